/* pdf_receipt.c: one invoice or credit note rendered as a PDF (libharu). */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "country.h"
#include "invoice.h"
#include "log.h"
#include "money.h"
#include "pdf_receipt.h"
#include "util.h"

/*
 * The page, in PDF points (1/72 in).  The body runs from MARGIN below
 * the top edge down to BOTTOM; the footer (page numbers) sits below.
 */
#define MARGIN		50.0f	/* left, right and top */
#define BOTTOM		64.0f	/* lowest baseline of the body */
#define FOOTER_Y	34.0f	/* baseline of the footer */
#define GUTTER		8.0f	/* space between table columns */
#define ROWPAD		5.0f	/* below each table row */
#define NUMMIN		4.0f	/* smallest size a shrunk number may take */

#define MAXWRAP		64	/* lines of one wrapped text; more are cut */
#define MAXNAME		3	/* lines of a party's name */
#define MAXADDR		12	/* lines of an address */
#define MAXCELL		16	/* lines of a table cell */
#define TEXTMAX		1100	/* bytes of one drawn line; > any field */

/* Text styles: every string on the page is drawn in one of these. */
enum ts {
	TS_TITLE,
	TS_NAME,
	TS_STRONG,
	TS_BODY,
	TS_LABEL,
	TS_HEAD,
	TS__MAX
};

static const struct {
	int	 bold;
	float	 size;
	float	 grey;		/* fill: 0 black, 1 white */
} styles[TS__MAX] = {
	{ 1, 20.0f, 0.0f },	/* TS_TITLE: "Invoice" */
	{ 1, 11.0f, 0.0f },	/* TS_NAME: party names, number, total */
	{ 1, 9.0f, 0.0f },	/* TS_STRONG: headings, "Corrects" */
	{ 0, 9.0f, 0.0f },	/* TS_BODY: everything else */
	{ 0, 7.5f, 0.4f },	/* TS_LABEL: "Bill to", footers */
	{ 1, 7.5f, 0.25f },	/* TS_HEAD: table column heads */
};

#define LEAD(t)		(styles[(t)].size * 1.35f)

/* The fonts, indexed by styles[].bold. */
static const char *const fontfiles[2] = {
	PDF_FONT_REGULAR,	/* 0: regular */
	PDF_FONT_BOLD		/* 1: bold */
};

/* The columns of the lines table. */
enum col {
	COL_DESC,
	COL_PERIOD,
	COL_QTY,
	COL_UNIT,
	COL_RATE,
	COL_AMOUNT,
	COL__MAX
};

static const struct {
	const char	*head;
	float		 width;		/* 0: what the others leave */
	int		 right;		/* right-aligned */
} cols[COL__MAX] = {
	{ "Description", 0.0f, 0 },	/* COL_DESC */
	{ "Period", 72.0f, 0 },		/* COL_PERIOD: wraps to two lines */
	{ "Qty", 40.0f, 1 },		/* COL_QTY */
	{ "Unit price", 72.0f, 1 },	/* COL_UNIT */
	{ "VAT", 40.0f, 1 },		/* COL_RATE */
	{ "Amount", 80.0f, 1 },		/* COL_AMOUNT */
};

/* The first error libharu reported, recorded by pdf_error. */
struct pdf_err {
	HPDF_STATUS	 error_no;	/* HPDF_OK while none */
	HPDF_STATUS	 detail_no;
};

/* One rendering in progress. */
struct pdf {
	const struct document	*d;		/* borrowed */
	HPDF_Doc		 doc;
	HPDF_Font		 font[2];	/* regular, bold */
	HPDF_Page		 page;		/* the current page */
	HPDF_Page		*pages;		/* all of them, for footers */
	size_t			 npages;
	float			 w, h;		/* page size */
	float			 x0, x1;	/* left and right of the body */
	float			 y;		/* bottom of what is drawn */
	float			 colx[COL__MAX];/* left edge of each column */
	float			 colw[COL__MAX];/* width, with its gutter */
	int			 bad;		/* our own failure, logged */
	struct pdf_err		 err;
};

/* A piece of a string: bytes off .. off + len. */
struct span {
	size_t	 off;
	size_t	 len;
};

/*
 * libharu's error handler: record the first error in the struct
 * pdf_err that HPDF_New was given, and return.  libharu then fails
 * every later call on the document; the code checks the record after
 * each block and bails out (no longjmp).
 */
static void
pdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *arg)
{
	struct pdf_err	*err = arg;

	if (err->error_no == HPDF_OK) {
		err->error_no = error_no;
		err->detail_no = detail_no;
	}
}

/*
 * After a block: if libharu or our code failed, log it as func's
 * failure in the block what, naming the document, and return -1.
 * Returns 0 if all is well.
 */
static int
pdf_check(const struct pdf *p, const char *func, const char *what)
{
	if (p->err.error_no != HPDF_OK) {
		log_warnx("%s: %s: %s: libharu error 0x%04lX, detail %lu",
		    func, p->d->number, what, (unsigned long)p->err.error_no,
		    (unsigned long)p->err.detail_no);
		return -1;
	}
	if (p->bad) {
		log_warnx("%s: %s: %s failed", func, p->d->number, what);
		return -1;
	}
	return 0;
}

/*
 * Decode the UTF-8 character at s (n > 0 bytes left).  Returns the
 * number of bytes it takes (1 for an invalid byte) and sets *cp to the
 * code point, or to UINT32_MAX if the bytes are not well-formed UTF-8
 * (overlong, surrogate, beyond U+10FFFF, truncated).
 */
static size_t
utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 c, min;
	size_t			 len, i;

	*cp = UINT32_MAX;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xe0) == 0xc0) {
		len = 2;
		c = u[0] & 0x1f;
		min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3;
		c = u[0] & 0x0f;
		min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else
		return 1;
	if (len > n)
		return 1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 1;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 1;
	*cp = c;
	return len;
}

/*
 * Copy the string in (borrowed) into out (outsz bytes) as text libharu
 * can draw: invalid UTF-8 bytes and characters beyond U+FFFF (libharu's
 * UTF-8 encoder stops at the BMP) become '?', control characters
 * become ' ', and '\n' is kept if keepnl is set.  Stops before a
 * character that does not fit, so out is always whole UTF-8 and
 * NUL-terminated.  The output is never longer than the input.
 */
static void
pdf_clean(const char *in, char *out, size_t outsz, int keepnl)
{
	size_t		 i, n, k, o = 0, len = strlen(in);
	uint32_t	 cp;

	for (i = 0; i < len; i += k) {
		k = utf8_next(in + i, len - i, &cp);
		n = k;
		if (cp == UINT32_MAX || cp > 0xffff)
			n = 1;
		if (o + n >= outsz)
			break;
		if (cp == UINT32_MAX || cp > 0xffff)
			out[o] = '?';
		else if (cp == '\n' && keepnl)
			out[o] = '\n';
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			out[o] = ' ';
		else
			memcpy(out + o, in + i, n);
		o += n;
	}
	out[o] = '\0';
}

/*
 * Width in points of the character cp (a code point of a clean
 * string) in style t.
 */
static float
pdf_cw(const struct pdf *p, enum ts t, uint32_t cp)
{
	HPDF_INT	 w;

	w = HPDF_Font_GetUnicodeWidth(p->font[styles[t].bold],
	    (HPDF_UNICODE)cp);
	return (float)w * styles[t].size / 1000.0f;
}

/* Width in points of n bytes of the clean string s in style t. */
static float
pdf_width(const struct pdf *p, enum ts t, const char *s, size_t n)
{
	size_t		 i, k;
	uint32_t	 cp;
	float		 w = 0.0f;

	for (i = 0; i < n; i += k) {
		k = utf8_next(s + i, n - i, &cp);
		if (cp != UINT32_MAX)
			w += pdf_cw(p, t, cp);
	}
	return w;
}

/*
 * Break the clean string s into lines no wider than maxw points in
 * style t: at each '\n', else at the last space that fits, else (a
 * word wider than the line) between two characters.  Spaces at a
 * break are dropped; empty lines are kept.  Fills v with at most maxv
 * lines and returns their number; text beyond maxv lines is cut.
 */
static size_t
pdf_wrap(const struct pdf *p, enum ts t, float maxw, const char *s,
    struct span *v, size_t maxv)
{
	size_t		 len = strlen(s), i = 0, j, k, end, brk, n = 0;
	uint32_t	 cp;
	float		 w, cw;

	while (i < len && n < maxv) {
		w = 0.0f;
		brk = 0;
		for (j = i; j < len && s[j] != '\n'; j += k) {
			k = utf8_next(s + j, len - j, &cp);
			cw = pdf_cw(p, t, cp);
			if (s[j] == ' ' && j > i)
				brk = j;
			if (w + cw > maxw && j > i)
				break;
			w += cw;
		}
		if (j < len && s[j] != '\n' && brk > i) {
			end = brk;		/* at the last space */
			j = brk;
		} else
			end = j;		/* '\n', the end, or mid-word */
		while (end > i && s[end - 1] == ' ')
			end--;
		v[n].off = i;
		v[n].len = end - i;
		n++;
		if (j < len && s[j] == '\n')
			j++;
		else
			while (j < len && s[j] == ' ')
				j++;
		i = j;
	}
	return n;
}

/*
 * Draw n bytes of the clean string s in style t at size (0: the
 * style's), with its left end at x on baseline y of the current page.
 */
static void
pdf_draw(struct pdf *p, enum ts t, float size, float x, float y,
    const char *s, size_t n)
{
	char		 tmp[TEXTMAX];
	size_t		 k;
	uint32_t	 cp;

	if (n == 0)
		return;
	if (n >= sizeof(tmp)) {
		/* Not reached with fields as declared; cut whole chars. */
		for (k = 0; k < n; k += utf8_next(s + k, n - k, &cp))
			if (k + 4 >= sizeof(tmp))
				break;
		n = k;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetFontAndSize(p->page, p->font[styles[t].bold],
	    size > 0.0f ? size : styles[t].size);
	HPDF_Page_SetGrayFill(p->page, styles[t].grey);
	HPDF_Page_TextOut(p->page, x, y, tmp);
	HPDF_Page_EndText(p->page);
}

/* Draw the clean string s in style t ending at x (right-aligned). */
static void
pdf_draw_right(struct pdf *p, enum ts t, float x, float y, const char *s)
{
	size_t	 n = strlen(s);

	pdf_draw(p, t, 0.0f, x - pdf_width(p, t, s, n), y, s, n);
}

/*
 * Draw the clean string s (a number) in style t ending at x; if wider
 * than maxw, at a smaller size that fits (never below NUMMIN), so an
 * amount is never cut.
 */
static void
pdf_draw_num(struct pdf *p, enum ts t, float x, float maxw, float y,
    const char *s)
{
	size_t	 n = strlen(s);
	float	 w, size = styles[t].size;

	w = pdf_width(p, t, s, n);
	if (w > maxw && w > 0.0f) {
		size = size * maxw / w;
		if (size < NUMMIN)
			size = NUMMIN;
		w = w * size / styles[t].size;
	}
	pdf_draw(p, t, size, x - w, y, s, n);
}

/* Draw a horizontal rule from x0 to x1 at y, w points thick, in grey. */
static void
pdf_rule(struct pdf *p, float x0, float x1, float y, float w, float grey)
{
	HPDF_Page_SetGrayStroke(p->page, grey);
	HPDF_Page_SetLineWidth(p->page, w);
	HPDF_Page_MoveTo(p->page, x0, y);
	HPDF_Page_LineTo(p->page, x1, y);
	HPDF_Page_Stroke(p->page);
}

/*
 * Start a page of the document's paper size and make it current.  A
 * page after the first starts with a "(continued)" line.
 */
static void
pdf_page(struct pdf *p)
{
	char	 s[128];

	p->page = HPDF_AddPage(p->doc);
	HPDF_Page_SetWidth(p->page, p->w);
	HPDF_Page_SetHeight(p->page, p->h);
	p->pages = xrealloc(p->pages, (p->npages + 1) * sizeof(*p->pages));
	p->pages[p->npages++] = p->page;
	p->y = p->h - MARGIN;
	if (p->npages > 1) {
		snprintf(s, sizeof(s), "%s %s (continued)",
		    p->d->kind == DOC_CREDIT_NOTE ? "Credit note" : "Invoice",
		    p->d->number);
		p->y -= LEAD(TS_STRONG);
		pdf_draw(p, TS_STRONG, 0.0f, p->x0, p->y, s, strlen(s));
		p->y -= 10.0f;
	}
}

/* If fewer than hgt points are left on the page, start a new one: 1. */
static int
pdf_need(struct pdf *p, float hgt)
{
	if (p->y - hgt >= BOTTOM)
		return 0;
	pdf_page(p);
	return 1;
}

/*
 * Draw raw (borrowed, any bytes: cleaned here; '\n' breaks lines)
 * wrapped to maxw points in style t, at most maxl lines, one line under
 * the other from p->y down, starting new pages as needed.  With right
 * set, x is the right edge, else the left.
 */
static void
pdf_put(struct pdf *p, enum ts t, float x, float maxw, int right,
    size_t maxl, const char *raw)
{
	char		 s[TEXTMAX];
	struct span	 v[MAXWRAP];
	size_t		 i, n;
	float		 w;

	pdf_clean(raw, s, sizeof(s), 1);
	n = pdf_wrap(p, t, maxw, s, v, maxl < MAXWRAP ? maxl : MAXWRAP);
	for (i = 0; i < n; i++) {
		if (v[i].len == 0)
			continue;
		pdf_need(p, LEAD(t));
		p->y -= LEAD(t);
		w = right ? pdf_width(p, t, s + v[i].off, v[i].len) : 0.0f;
		pdf_draw(p, t, 0.0f, x - w, p->y, s + v[i].off, v[i].len);
	}
}

/* Format amount in the document's currency into out; on failure "?". */
static void
pdf_money(struct pdf *p, cents_t amount, char *out, size_t outsz)
{
	int	 rc;

	if ((rc = money_fmt(amount, p->d->currency, out, outsz)) !=
	    MONEY_OK) {
		log_warnx("%s: %s: %s", __func__, p->d->number,
		    money_strerror(rc));
		snprintf(out, outsz, "?");
		p->bad = 1;
	}
}

/* Format the UTC day of t as YYYY-MM-DD into out; on failure "?". */
static void
pdf_date(struct pdf *p, int64_t t, char *out, size_t outsz)
{
	if (util_time_fmt(t, "%Y-%m-%d", out, outsz) == -1) {
		log_warnx("%s: %s: bad time %" PRId64, __func__,
		    p->d->number, t);
		snprintf(out, outsz, "?");
		p->bad = 1;
	}
}

/*
 * Format the period from .. to as its first and last day, "2026-10-01 –
 * 2026-10-31": to is the first second after the period (as on the
 * receipts page), so the last day is the one before it.
 */
static void
pdf_period(struct pdf *p, int64_t from, int64_t to, char *out,
    size_t outsz)
{
	char	 a[32], b[32];

	pdf_date(p, from, a, sizeof(a));
	pdf_date(p, to > from ? to - 1 : from, b, sizeof(b));
	snprintf(out, outsz, "%.24s \xe2\x80\x93 %.24s", a, b);
}

/*
 * Whether the last line of addr (borrowed) already names the country
 * (name or code), as invoice.c's snapshots do.
 */
static int
pdf_addr_has_country(const char *addr, const char *code, const char *name)
{
	const char	*last = strrchr(addr, '\n');

	last = last != NULL ? last + 1 : addr;
	return strcmp(last, code) == 0 ||
	    (name != NULL && strcmp(last, name) == 0);
}

/*
 * Draw one party's block in column x .. x + maxw from p->y down: name,
 * address lines, the country unless the address ends with it, the VAT
 * number, and (the buyer) the PO reference.
 */
static void
pdf_party(struct pdf *p, float x, float maxw, const char *name,
    const char *addr, const char *country, const char *vat, const char *po)
{
	const struct country	*c;
	char			 s[128], cc[3];

	pdf_put(p, TS_NAME, x, maxw, 0, MAXNAME, name);
	pdf_put(p, TS_BODY, x, maxw, 0, MAXADDR, addr);
	snprintf(cc, sizeof(cc), "%.2s", country);
	c = cc[0] != '\0' ? country_find(cc) : NULL;
	if (cc[0] != '\0' && !pdf_addr_has_country(addr, cc,
	    c != NULL ? c->name : NULL))
		pdf_put(p, TS_BODY, x, maxw, 0, 1, c != NULL ? c->name : cc);
	if (vat[0] != '\0') {
		snprintf(s, sizeof(s), "VAT number %s", vat);
		pdf_put(p, TS_BODY, x, maxw, 0, 2, s);
	}
	if (po != NULL && po[0] != '\0') {
		snprintf(s, sizeof(s), "PO reference %s", po);
		pdf_put(p, TS_BODY, x, maxw, 0, 2, s);
	}
}

/*
 * The top of page one: seller (left) and title, number, dates (right);
 * then the buyer; then, for a credit note, the invoice it corrects.
 */
static void
pdf_header(struct pdf *p)
{
	const struct document	*d = p->d;
	char			 s[128], date[32], per[64];
	float			 top, half, yl;

	half = (p->x1 - p->x0 - 20.0f) / 2.0f;
	top = p->y;
	pdf_party(p, p->x0, half, d->seller_name, d->seller_address,
	    d->seller_country, d->seller_vat, NULL);
	yl = p->y;

	p->y = top;
	pdf_put(p, TS_TITLE, p->x1, half, 1, 1,
	    d->kind == DOC_CREDIT_NOTE ? "Credit note" : "Invoice");
	p->y -= 2.0f;
	pdf_put(p, TS_NAME, p->x1, half, 1, 1, d->number);
	pdf_date(p, d->issued_at, date, sizeof(date));
	snprintf(s, sizeof(s), "Issue date %s", date);
	pdf_put(p, TS_BODY, p->x1, half, 1, 1, s);
	pdf_period(p, d->period_start, d->period_end, per, sizeof(per));
	snprintf(s, sizeof(s), "Service period %s", per);
	pdf_put(p, TS_BODY, p->x1, half, 1, 2, s);
	if (yl < p->y)
		p->y = yl;

	p->y -= 18.0f;
	pdf_put(p, TS_LABEL, p->x0, half, 0, 1, "Bill to");
	p->y -= 2.0f;
	pdf_party(p, p->x0, half, d->buyer_name, d->buyer_address,
	    d->buyer_country, d->buyer_vat, d->po_reference);

	if (d->kind == DOC_CREDIT_NOTE && d->corrects[0] != '\0') {
		p->y -= 10.0f;
		snprintf(s, sizeof(s), "Corrects invoice %s", d->corrects);
		pdf_put(p, TS_STRONG, p->x0, p->x1 - p->x0, 0, 2, s);
	}
	p->y -= 18.0f;
}

/* The column heads of the lines table, and a rule under them. */
static void
pdf_table_head(struct pdf *p)
{
	size_t	 c;
	float	 y;

	pdf_need(p, LEAD(TS_HEAD) + LEAD(TS_BODY) + ROWPAD);
	y = p->y - LEAD(TS_HEAD);
	for (c = 0; c < COL__MAX; c++) {
		if (cols[c].right)
			pdf_draw_right(p, TS_HEAD, p->colx[c] + p->colw[c], y,
			    cols[c].head);
		else
			pdf_draw(p, TS_HEAD, 0.0f, p->colx[c], y, cols[c].head,
			    strlen(cols[c].head));
	}
	p->y = y - 4.0f;
	pdf_rule(p, p->x0, p->x1, p->y, 0.75f, 0.0f);
}

/*
 * Format a tax rate in basis points as a percentage with at most two
 * decimals and no trailing zeros into out (outsz bytes): 1900 "19%",
 * 2550 "25.5%", 5 "0.05%", 0 "0%", -700 "-7%".
 * Returns 0, or -1 if out is too small (out is then "").
 */
int
pdf_rate_fmt(int32_t bp, char *out, size_t outsz)
{
	int64_t	 v = bp;
	int	 n;

	if (outsz == 0)
		return -1;
	if (v < 0)
		v = -v;
	if (v % 100 == 0)
		n = snprintf(out, outsz, "%s%" PRId64 "%%", bp < 0 ? "-" : "",
		    v / 100);
	else if (v % 10 == 0)
		n = snprintf(out, outsz, "%s%" PRId64 ".%" PRId64 "%%",
		    bp < 0 ? "-" : "", v / 100, v % 100 / 10);
	else
		n = snprintf(out, outsz, "%s%" PRId64 ".%02" PRId64 "%%",
		    bp < 0 ? "-" : "", v / 100, v % 100);
	if (n < 0 || (size_t)n >= outsz) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* One row of the lines table, on a new page (with heads) if needed. */
static void
pdf_row(struct pdf *p, const struct doc_line *l)
{
	char		 desc[sizeof(l->description)], per[64];
	char		 num[COL__MAX][MONEY_FMT_BUFSZ];
	struct span	 dv[MAXCELL], pv[MAXCELL];
	size_t		 nd, np, nl, i, c;
	float		 y, rowh;

	pdf_clean(l->description, desc, sizeof(desc), 0);
	pdf_period(p, l->period_start, l->period_end, per, sizeof(per));
	nd = pdf_wrap(p, TS_BODY, p->colw[COL_DESC] - GUTTER, desc, dv,
	    MAXCELL);
	np = pdf_wrap(p, TS_BODY, p->colw[COL_PERIOD] - GUTTER, per, pv,
	    MAXCELL);
	snprintf(num[COL_QTY], sizeof(num[COL_QTY]), "%" PRId64, l->quantity);
	pdf_money(p, l->unit_price, num[COL_UNIT], sizeof(num[COL_UNIT]));
	if (pdf_rate_fmt(l->tax_rate_bp, num[COL_RATE],
	    sizeof(num[COL_RATE])) == -1)
		p->bad = 1;
	pdf_money(p, l->amount, num[COL_AMOUNT], sizeof(num[COL_AMOUNT]));

	nl = nd > np ? nd : np;
	if (nl == 0)
		nl = 1;
	rowh = (float)nl * LEAD(TS_BODY) + ROWPAD;
	if (pdf_need(p, rowh))
		pdf_table_head(p);
	y = p->y;
	for (i = 0; i < nl; i++) {
		y -= LEAD(TS_BODY);
		if (i < nd)
			pdf_draw(p, TS_BODY, 0.0f, p->colx[COL_DESC], y,
			    desc + dv[i].off, dv[i].len);
		if (i < np)
			pdf_draw(p, TS_BODY, 0.0f, p->colx[COL_PERIOD], y,
			    per + pv[i].off, pv[i].len);
		if (i > 0)
			continue;
		for (c = COL_QTY; c < COL__MAX; c++)
			pdf_draw_num(p, TS_BODY, p->colx[c] + p->colw[c],
			    p->colw[c] - GUTTER, y, num[c]);
	}
	p->y -= rowh;
	pdf_rule(p, p->x0, p->x1, p->y + 1.0f, 0.3f, 0.75f);
}

/* The lines table: heads, then one row per line, across pages. */
static void
pdf_lines(struct pdf *p)
{
	size_t	 c, i;
	float	 x = p->x1, rest = p->x1 - p->x0;

	/* Lay the fixed columns out from the right; the description
	 * takes the rest.  Right-aligned columns have their gutter on
	 * the left; the left-aligned ones subtract it from their text. */
	for (c = COL__MAX; c-- > 1; ) {
		p->colw[c] = cols[c].width;
		x -= cols[c].width;
		p->colx[c] = cols[c].right ? x : x + GUTTER;
		rest -= cols[c].width;
	}
	p->colx[COL_DESC] = p->x0;
	p->colw[COL_DESC] = rest;
	pdf_table_head(p);
	for (i = 0; i < p->d->nlines; i++)
		pdf_row(p, &p->d->lines[i]);
}

/* One row of the totals: label right-aligned before the value. */
static void
pdf_total_row(struct pdf *p, enum ts t, const char *label, cents_t amount)
{
	char	 v[MONEY_FMT_BUFSZ], s[TEXTMAX];
	float	 vw = 100.0f;

	pdf_money(p, amount, v, sizeof(v));
	pdf_clean(label, s, sizeof(s), 0);
	pdf_need(p, LEAD(t));
	p->y -= LEAD(t);
	pdf_draw_right(p, t, p->x1 - vw, p->y, s);
	pdf_draw_num(p, t, p->x1, vw - GUTTER, p->y, v);
}

/* Net total, one row per VAT rate, VAT total, total. */
static void
pdf_totals(struct pdf *p)
{
	const struct document	*d = p->d;
	char			 s[128], rate[16], net[MONEY_FMT_BUFSZ];
	size_t			 i;

	p->y -= 6.0f;
	pdf_total_row(p, TS_BODY, "Net total", d->net_total);
	for (i = 0; i < d->ntaxes && i < sizeof(d->taxes) /
	    sizeof(d->taxes[0]); i++) {
		if (pdf_rate_fmt(d->taxes[i].rate_bp, rate, sizeof(rate)) == -1)
			p->bad = 1;
		pdf_money(p, d->taxes[i].net, net, sizeof(net));
		snprintf(s, sizeof(s), "VAT %s on %s", rate, net);
		pdf_total_row(p, TS_BODY, s, d->taxes[i].tax);
	}
	pdf_total_row(p, TS_BODY, "VAT total", d->tax_total);
	pdf_need(p, LEAD(TS_NAME) + 4.0f);
	p->y -= 4.0f;
	pdf_rule(p, p->x1 - 240.0f, p->x1, p->y, 0.75f, 0.0f);
	pdf_total_row(p, TS_NAME, "Total", d->total);
}

/* What a document's status says when no receipt says it all. */
static void
pdf_status(struct pdf *p, char *out, size_t outsz)
{
	const struct document	*d = p->d;
	char			 v[MONEY_FMT_BUFSZ];
	cents_t			 due;

	switch (d->status) {
	case DOC_OPEN:
		if (d->paid == 0) {
			snprintf(out, outsz, "Not paid yet");
			break;
		}
		if (money_sub(d->total, d->paid, &due) != MONEY_OK) {
			p->bad = 1;
			due = 0;
		}
		pdf_money(p, due, v, sizeof(v));
		snprintf(out, outsz, "Balance due: %s", v);
		break;
	case DOC_PAID:
		snprintf(out, outsz, "Paid in full");
		break;
	case DOC_CREDITED:
		snprintf(out, outsz, "Cancelled by a credit note");
		break;
	case DOC_ISSUED:
		snprintf(out, outsz, "Credit note issued: nothing to pay");
		break;
	default:
		abort();
	}
}

/* The tax note, then the payments: each receipt, then the status. */
static void
pdf_notes(struct pdf *p)
{
	const struct document	*d = p->d;
	const struct receipt	*r;
	char			 s[256], date[32], v[MONEY_FMT_BUFSZ];
	char			 method[sizeof(r->method)];
	float			 full = p->x1 - p->x0;
	size_t			 i;

	if (d->tax_note[0] != '\0') {
		p->y -= 14.0f;
		pdf_put(p, TS_BODY, p->x0, full, 0, MAXWRAP, d->tax_note);
	}
	p->y -= 14.0f;
	pdf_need(p, LEAD(TS_STRONG) + LEAD(TS_BODY));
	if (d->kind == DOC_INVOICE)
		pdf_put(p, TS_STRONG, p->x0, full, 0, 1, "Payments");
	for (i = 0; i < d->nreceipts; i++) {
		r = &d->receipts[i];
		pdf_date(p, r->paid_at, date, sizeof(date));
		pdf_money(p, r->amount, v, sizeof(v));
		snprintf(method, sizeof(method), "%s", r->method);
		if (method[0] != '\0')
			snprintf(s, sizeof(s), "Paid %s by %s: %s", date,
			    method, v);
		else
			snprintf(s, sizeof(s), "Paid %s: %s", date, v);
		pdf_put(p, TS_BODY, p->x0, full, 0, 3, s);
	}
	pdf_status(p, s, sizeof(s));
	pdf_put(p, TS_BODY, p->x0, full, 0, 1, s);
}

/* With more than one page: the number and "Page i of n" on each. */
static void
pdf_footers(struct pdf *p)
{
	char	 s[64], num[sizeof(p->d->number)];
	size_t	 i;

	if (p->npages < 2)
		return;
	pdf_clean(p->d->number, num, sizeof(num), 0);
	for (i = 0; i < p->npages; i++) {
		p->page = p->pages[i];
		snprintf(s, sizeof(s), "Page %zu of %zu", i + 1, p->npages);
		pdf_draw(p, TS_LABEL, 0.0f, p->x0, FOOTER_Y, num, strlen(num));
		pdf_draw_right(p, TS_LABEL, p->x1, FOOTER_Y, s);
	}
}

/*
 * Create the document: compression, the two DejaVu fonts with the
 * UTF-8 encoder, the paper size, and fixed document information (no
 * dates: libharu adds none, and no /ID without encryption), so equal
 * documents give equal bytes.
 */
static void
pdf_setup(struct pdf *p)
{
	const struct document	*d = p->d;
	const char		*name;
	char			 s[TEXTMAX], t[TEXTMAX];
	size_t			 i;

	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	/* Document information strings are written in this encoder. */
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	for (i = 0; i < 2; i++) {
		name = HPDF_LoadTTFontFromFile(p->doc, fontfiles[i],
		    HPDF_TRUE);
		if (name == NULL) {
			log_warnx("%s: cannot load the font %s", __func__,
			    fontfiles[i]);
			p->bad = 1;
			return;
		}
		p->font[i] = HPDF_GetFont(p->doc, name, "UTF-8");
	}
	if (strcmp(d->paper, "Letter") == 0) {
		p->w = 612.0f;
		p->h = 792.0f;
	} else {
		p->w = 595.0f;
		p->h = 842.0f;
	}
	p->x0 = MARGIN;
	p->x1 = p->w - MARGIN;

	snprintf(t, sizeof(t), "%s %s",
	    d->kind == DOC_CREDIT_NOTE ? "Credit note" : "Invoice", d->number);
	pdf_clean(t, s, sizeof(s), 0);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, s);
	pdf_clean(d->seller_name, s, sizeof(s), 0);
	if (s[0] != '\0')
		HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, s);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "Reckon");
}

/*
 * Render the invoice or credit note d (borrowed) as a PDF on its paper
 * ("Letter", else A4): parties, lines, VAT per rate, totals, tax note,
 * payments; as many pages as the lines need, numbered when more than
 * one.  Text is any UTF-8 (DejaVu Sans covers Latin, Greek and
 * Cyrillic); what is too long for its place is wrapped or cut between
 * characters.  The same document always gives the same bytes.
 * On success appends the PDF to out (the caller's, freed with
 * buf_free) and returns 0.  Returns -1 (logged: libharu error, missing
 * font, unknown currency) and leaves out as it was.
 */
int
pdf_document(const struct document *d, struct buf *out)
{
	struct pdf	 p;
	HPDF_BYTE	*bytes = NULL;
	HPDF_UINT32	 size;
	HPDF_UINT	 n;
	int		 rc = -1;

	memset(&p, 0, sizeof(p));
	p.d = d;
	if (money_currency(d->currency) == NULL) {
		log_warnx("%s: %s: unknown currency %.3s", __func__, d->number,
		    d->currency);
		return -1;
	}
	if ((p.doc = HPDF_New(pdf_error, &p.err)) == NULL) {
		log_warnx("%s: %s: HPDF_New failed", __func__, d->number);
		return -1;
	}
	pdf_setup(&p);
	if (pdf_check(&p, __func__, "setup") == -1)
		goto out;
	pdf_page(&p);
	pdf_header(&p);
	if (pdf_check(&p, __func__, "header") == -1)
		goto out;
	pdf_lines(&p);
	if (pdf_check(&p, __func__, "lines") == -1)
		goto out;
	pdf_totals(&p);
	if (pdf_check(&p, __func__, "totals") == -1)
		goto out;
	pdf_notes(&p);
	if (pdf_check(&p, __func__, "notes") == -1)
		goto out;
	pdf_footers(&p);
	if (pdf_check(&p, __func__, "footers") == -1)
		goto out;

	HPDF_SaveToStream(p.doc);
	if (pdf_check(&p, __func__, "save") == -1)
		goto out;
	if ((size = HPDF_GetStreamSize(p.doc)) == 0) {
		log_warnx("%s: %s: empty stream", __func__, d->number);
		goto out;
	}
	/* Read exactly size bytes: asking for more reports an error. */
	HPDF_ResetStream(p.doc);
	bytes = xmalloc(size);
	n = size;
	HPDF_ReadFromStream(p.doc, bytes, &n);
	if (pdf_check(&p, __func__, "read") == -1)
		goto out;
	if (n != size) {
		log_warnx("%s: %s: read %u of %lu bytes", __func__, d->number,
		    (unsigned)n, (unsigned long)size);
		goto out;
	}
	buf_add(out, bytes, n);
	rc = 0;
out:
	free(bytes);
	free(p.pages);
	HPDF_Free(p.doc);
	return rc;
}
