/* t_pdf.c: unit tests of pdf_receipt.c, checked with poppler-utils and qpdf. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hb.h>

#include "invoice.h"
#include "pdf_receipt.h"
#include "util.h"
#include "tap.h"

static char	 dir[64];
static int	 have_poppler;	/* pdftotext, pdfinfo, pdffonts */
static int	 have_qpdf;

static const char *const paths[] = { "inv", "cn", "intl", "long",
    "letter", "hostile", "winansi", "alphabets", "wide", "full", "cjk",
    "cjkmany", "mixed", "empty" };

/* Seconds since the epoch of a YYYY-MM-DD day (UTC); exits if bad. */
static int64_t
day(const char *s)
{
	int64_t	 t;

	if (util_time_parse(s, &t) == -1) {
		fprintf(stderr, "bad fixture date %s\n", s);
		exit(1);
	}
	return t;
}

/* Fill a line of the lines table. */
static void
line(struct doc_line *l, const char *desc, const char *from, const char *to,
    int64_t qty, cents_t unit, int32_t bp)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->description, sizeof(l->description), "%s", desc);
	l->period_start = day(from);
	l->period_end = day(to);
	l->quantity = qty;
	l->unit_price = unit;
	l->amount = qty * unit;
	l->tax_rate_bp = bp;
	/* Half-up, as money_apply_rate: exact for these fixtures. */
	l->tax_amount = (l->amount * bp + (l->amount < 0 ? -5000 : 5000)) /
	    10000;
}

/* Fill the parties, currency and paper of a document. */
static void
head(struct document *d, enum doc_kind kind, const char *number,
    const char *issued, const char *cur, const char *paper)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	snprintf(d->number, sizeof(d->number), "%s", number);
	d->issued_at = day(issued);
	snprintf(d->currency, sizeof(d->currency), "%s", cur);
	snprintf(d->paper, sizeof(d->paper), "%s", paper);
	snprintf(d->seller_name, sizeof(d->seller_name), "Reckon Demo GmbH");
	snprintf(d->seller_address, sizeof(d->seller_address),
	    "Hauptstraße 1\n10115 Berlin");
	snprintf(d->seller_country, sizeof(d->seller_country), "DE");
	snprintf(d->seller_vat, sizeof(d->seller_vat), "DE123456788");
	snprintf(d->buyer_name, sizeof(d->buyer_name), "Kühl & Söhne AG");
	snprintf(d->buyer_address, sizeof(d->buyer_address),
	    "Industriestraße 42\nHalle 3\n80331 München");
	snprintf(d->buyer_country, sizeof(d->buyer_country), "DE");
	snprintf(d->buyer_vat, sizeof(d->buyer_vat), "DE987654328");
}

/*
 * Sum the lines into net, tax and total, the per-rate taxes (in order
 * of first appearance) and the period; status from receipts.
 */
static void
sum(struct document *d)
{
	size_t	 i, j;

	d->net_total = d->tax_total = 0;
	d->ntaxes = 0;
	for (i = 0; i < d->nlines; i++) {
		const struct doc_line	*l = &d->lines[i];

		d->net_total += l->amount;
		d->tax_total += l->tax_amount;
		if (i == 0 || l->period_start < d->period_start)
			d->period_start = l->period_start;
		if (i == 0 || l->period_end > d->period_end)
			d->period_end = l->period_end;
		for (j = 0; j < d->ntaxes; j++)
			if (d->taxes[j].rate_bp == l->tax_rate_bp)
				break;
		if (j == d->ntaxes) {
			if (d->ntaxes == 4)
				abort();
			d->taxes[d->ntaxes++].rate_bp = l->tax_rate_bp;
		}
		d->taxes[j].net += l->amount;
		d->taxes[j].tax += l->tax_amount;
	}
	d->total = d->net_total + d->tax_total;
	d->paid = 0;
	for (i = 0; i < d->nreceipts; i++)
		d->paid += d->receipts[i].amount;
	if (d->kind == DOC_CREDIT_NOTE)
		d->status = DOC_ISSUED;
	else
		d->status = d->paid >= d->total ? DOC_PAID : DOC_OPEN;
}

/*
 * Run the shell command cmd; append its stdout to out.  Returns its
 * exit status, or -1 if it could not run or was killed.
 */
static int
run(const char *cmd, struct buf *out)
{
	FILE	*f;
	char	 b[4096];
	size_t	 n;
	int	 st;

	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	while ((n = fread(b, 1, sizeof(b), f)) > 0)
		buf_add(out, b, n);
	if ((st = pclose(f)) == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* 1 if the program name is on $PATH. */
static int
have(const char *name)
{
	char	*cmd;
	int	 rc;

	cmd = xasprintf("command -v %s >/dev/null 2>&1", name);
	rc = system(cmd);
	free(cmd);
	return rc == 0;
}

/*
 * In pdffonts' output text, find the font name: the first column, less
 * a subset tag ("HPDFAA+") and a style (",Bold").  Returns 1 if it is
 * embedded, 0 if not, -1 if it is not listed.
 */
static int
font_emb(const char *text, const char *name)
{
	const char	*dash, *l, *eol, *n, *end;
	size_t		 col = 0, group = 0, i, nlen = strlen(name);

	if ((dash = strstr(text, "\n---")) == NULL)
		return -1;
	dash++;
	/* The fourth group of dashes is the emb column. */
	for (i = 0; dash[i] != '\n' && dash[i] != '\0'; i++)
		if (dash[i] == '-' && (i == 0 || dash[i - 1] == ' ') &&
		    ++group == 4) {
			col = i;
			break;
		}
	if (group != 4)
		return -1;
	for (l = strchr(dash, '\n'); l != NULL && l[1] != '\0';
	    l = strchr(l + 1, '\n')) {
		l++;
		if ((eol = strchr(l, '\n')) == NULL)
			eol = l + strlen(l);
		for (end = l; end < eol && *end != ' ' && *end != ','; end++)
			continue;
		n = l;
		if (end - l > 7 && l[6] == '+')
			n = l + 7;
		if ((size_t)(end - n) != nlen || strncmp(n, name, nlen) != 0)
			continue;
		if ((size_t)(eol - l) < col + 3)
			return -1;
		return strncmp(l + col, "yes", 3) == 0;
	}
	return -1;
}

/* The number of rows of pdffonts' output text for the font name. */
static int
font_rows(const char *text, const char *name)
{
	const char	*l, *n, *end;
	size_t		 nlen = strlen(name);
	int		 rows = 0;

	if (text == NULL || (l = strstr(text, "\n---")) == NULL)
		return 0;
	for (l = strchr(l + 1, '\n'); l != NULL && l[1] != '\0';
	    l = strchr(l + 1, '\n')) {
		l++;
		for (end = l; *end != '\0' && *end != '\n' && *end != ' ' &&
		    *end != ','; end++)
			continue;
		n = end - l > 7 && l[6] == '+' ? l + 7 : l;
		rows += (size_t)(end - n) == nlen &&
		    strncmp(n, name, nlen) == 0;
	}
	return rows;
}

/* Occurrences of needle in the PDF pdf. */
static size_t
count_mem(const struct buf *pdf, const char *needle)
{
	const char	*p = pdf->p, *end = pdf->p + pdf->len;
	size_t		 n = 0, len = strlen(needle);

	while (p != NULL && (p = memmem(p, (size_t)(end - p), needle, len)) !=
	    NULL) {
		n++;
		p += len;
	}
	return n;
}

/* The largest /Length1 (an embedded TrueType font's size) of a PDF. */
static long
max_length1(const struct buf *pdf)
{
	const char	*p = pdf->p, *end = pdf->p + pdf->len;
	long		 v, max = 0;

	while ((p = memmem(p, (size_t)(end - p), "/Length1 ", 9)) != NULL) {
		p += 9;
		v = strtol(p, NULL, 10);
		if (v > max)
			max = v;
	}
	return max;
}

/* 1 if one of the lines of text is exactly l. */
static int
has_line(const char *text, const char *l)
{
	const char	*p = text;
	size_t		 n = strlen(l);

	for (;;) {
		if (strncmp(p, l, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, '\n')) == NULL)
			return 0;
		p++;
	}
}

/* Occurrences of needle in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * Decode the UTF-8 character at *s (well-formed: the fixtures') and
 * step past it.
 */
static uint32_t
utf8_cp(const char **s)
{
	const unsigned char	*u = (const unsigned char *)*s;
	uint32_t		 c;
	size_t			 n, i;

	if (u[0] < 0x80) {
		(*s)++;
		return u[0];
	}
	n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
	c = u[0] & (0x7f >> n);
	for (i = 1; i < n && u[i] != '\0'; i++)
		c = (c << 6) | (u[i] & 0x3f);
	*s += i;
	return c;
}

/*
 * Check that every character of each string of want (NULL-terminated;
 * spaces aside) has a glyph with an outline in an embedded TrueType
 * font of pdf, written at path: the font program (each /FontFile2,
 * decoded by qpdf) maps it in its Unicode cmap to a glyph whose glyf
 * data is not empty, as tests/bench/glyphs.py does.  libharu keeps the
 * data of the glyphs a document uses only, and a font without the
 * character draws .notdef: both fail.  One check, named name.
 */
static void
check_glyphs(const char *name, const struct buf *pdf, const char *path,
    const char *const *want)
{
	struct buf		 prog[8], lack;
	hb_font_t		*font[8];
	hb_glyph_extents_t	 ext;
	hb_codepoint_t		 g;
	const char		*p, *end = pdf->p + pdf->len, *s;
	char			*cmd;
	uint32_t		 cp;
	size_t			 nf = 0, i, nc = 0;
	int			 found;

	memset(&lack, 0, sizeof(lack));
	for (p = pdf->p; nf < 8 && (p = memmem(p, (size_t)(end - p),
	    "/FontFile2 ", 11)) != NULL; p += 11) {
		hb_blob_t	*blob;
		hb_face_t	*face;

		memset(&prog[nf], 0, sizeof(prog[nf]));
		cmd = xasprintf("qpdf --show-object=%ld --filtered-stream-data "
		    "'%s' 2>/dev/null", strtol(p + 11, NULL, 10), path);
		if (run(cmd, &prog[nf]) != 0 || prog[nf].len == 0) {
			free(cmd);
			buf_free(&prog[nf]);
			continue;
		}
		free(cmd);
		blob = hb_blob_create(prog[nf].p, (unsigned int)prog[nf].len,
		    HB_MEMORY_MODE_READONLY, NULL, NULL);
		face = hb_face_create(blob, 0);
		font[nf++] = hb_font_create(face);
		hb_face_destroy(face);
		hb_blob_destroy(blob);
	}
	for (; want != NULL && *want != NULL; want++)
		for (s = *want; *s != '\0'; ) {
			p = s;
			if ((cp = utf8_cp(&s)) == ' ' || cp == '\n')
				continue;
			nc++;
			for (i = 0, found = 0; i < nf && !found; i++)
				found = hb_font_get_nominal_glyph(font[i], cp,
				    &g) && g != 0 &&
				    hb_font_get_glyph_extents(font[i], g,
				    &ext) && ext.width != 0 && ext.height != 0;
			if (!found)
				buf_add(&lack, p, (size_t)(s - p));
		}
	if (!ok(nf > 0 && lack.len == 0, "%s: a glyph for each of %zu "
	    "characters in the %zu embedded fonts", name, nc, nf))
		diag("no glyph: %s", lack.p != NULL ? lack.p : "(no font)");
	for (i = 0; i < nf; i++) {
		hb_font_destroy(font[i]);
		buf_free(&prog[i]);
	}
	buf_free(&lack);
}

/* The fonts a document is expected to be set in. */
enum fonts {
	HELVETICA,	/* all WinAnsi: Helvetica, Helvetica-Bold, built in */
	DEJAVU,		/* DejaVu Sans and Sans Bold, embedded subsets */
	DEJAVU_CJK	/* and a subset of the fallback font (Droid Sans) */
};

/*
 * Render d twice and check the bytes, then write it as dir/name.pdf
 * and check it with qpdf, pdfinfo (size, pages, information, no
 * dates), pdffonts (the fonts, embedded or not) and pdftotext (each of
 * want, NULL-terminated, appears; none of unwanted does).  Leaves the
 * text in text and the PDF in pdf if not NULL.
 */
static void
check_doc(const char *name, const struct document *d, const char *size,
    int pages, enum fonts fonts, const char *const *want,
    const char *const *unwanted, struct buf *text, struct buf *pdf)
{
	struct buf	 a, b, out;
	char		 path[128], *cmd, *tr;
	FILE		*f;
	int		 rc, n;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&out, 0, sizeof(out));
	rc = pdf_document(d, &a);
	if (!ok(rc == 0, "%s: pdf_document renders %s", name, d->number))
		return;
	ok(a.len > 5 && memcmp(a.p, "%PDF-", 5) == 0, "%s: starts with %%PDF-",
	    name);
	ok(pdf_document(d, &b) == 0 && a.len == b.len &&
	    memcmp(a.p, b.p, a.len) == 0,
	    "%s: rendering twice gives identical bytes (%zu)", name, a.len);
	tr = memmem(a.p, a.len, "trailer", 7);
	ok(tr != NULL && memmem(tr, a.len - (size_t)(tr - a.p), "/ID", 3) ==
	    NULL, "%s: no /ID in the trailer", name);
	ok(memmem(a.p, a.len, "/CreationDate", 13) == NULL &&
	    memmem(a.p, a.len, "/ModDate", 8) == NULL,
	    "%s: no creation or modification date", name);

	snprintf(path, sizeof(path), "%s/%s.pdf", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(a.p, 1, a.len, f) !=
	    a.len || fclose(f) != 0) {
		ok(0, "%s: write %s", name, path);
		goto out;
	}

	if (have_qpdf) {
		cmd = xasprintf("qpdf --check '%s' 2>&1", path);
		rc = run(cmd, &out);
		free(cmd);
		if (!ok(rc == 0, "%s: qpdf --check exits 0", name))
			diag("%s", out.p ? out.p : "");
		buf_free(&out);
	}
	if (!have_poppler)
		goto out;

	cmd = xasprintf("pdfinfo '%s' 2>/dev/null", path);
	rc = run(cmd, &out);
	free(cmd);
	ok(rc == 0 && out.p != NULL && strstr(out.p, size) != NULL,
	    "%s: pdfinfo: page size %s", name, size);
	{
		const char	*pg = out.p ? strstr(out.p, "Pages:") : NULL;

		n = -1;
		if (pg != NULL)
			sscanf(pg + 6, "%d", &n);
		is_i64(n, pages, "%s: pdfinfo: %d page(s)", name, pages);
	}
	{
		char	 t[512], au[512];

		snprintf(t, sizeof(t), "Title:           %s %s",
		    d->kind == DOC_CREDIT_NOTE ? "Credit note" : "Invoice",
		    d->number);
		snprintf(au, sizeof(au), "Author:          %s",
		    d->seller_name);
		ok(out.p != NULL && has_line(out.p, t) && has_line(out.p, au) &&
		    has_line(out.p, "Creator:         Reckon"),
		    "%s: pdfinfo: title, author, creator", name);
		ok(out.p != NULL && strstr(out.p, "CreationDate") == NULL &&
		    strstr(out.p, "ModDate") == NULL,
		    "%s: pdfinfo: no dates", name);
	}
	buf_free(&out);

	cmd = xasprintf("pdffonts '%s' 2>/dev/null", path);
	rc = run(cmd, &out);
	free(cmd);
	if (fonts != HELVETICA)
		ok(rc == 0 && out.p != NULL &&
		    font_emb(out.p, "DejaVuSans") == 1 &&
		    font_emb(out.p, "DejaVuSans-Bold") == 1 &&
		    font_emb(out.p, "Helvetica") == -1,
		    "%s: pdffonts: DejaVuSans and DejaVuSans-Bold embedded",
		    name);
	else
		ok(rc == 0 && out.p != NULL &&
		    font_emb(out.p, "Helvetica") == 0 &&
		    font_emb(out.p, "Helvetica-Bold") == 0 &&
		    font_emb(out.p, "DejaVuSans") == -1 &&
		    font_emb(out.p, "DejaVuSans-Bold") == -1,
		    "%s: pdffonts: Helvetica and Helvetica-Bold, not embedded",
		    name);
	if (fonts == DEJAVU_CJK)
		ok(out.p != NULL && font_emb(out.p, "DroidSansFallback") == 1,
		    "%s: pdffonts: DroidSansFallback embedded", name);
	/* Header, dashes, a row per font: no other font. */
	n = fonts != HELVETICA ? font_rows(out.p, "DejaVuSans") +
	    font_rows(out.p, "DejaVuSans-Bold") : font_rows(out.p,
	    "Helvetica") + font_rows(out.p, "Helvetica-Bold");
	if (fonts == DEJAVU_CJK)
		n += font_rows(out.p, "DroidSansFallback");
	if (!ok(out.p != NULL && n > 0 && count(out.p, "\n") == (size_t)n + 2,
	    "%s: pdffonts: no other font", name))
		diag("pdffonts:\n%s", out.p != NULL ? out.p : "");
	buf_free(&out);

	/* Quiet: poppler warns of what it mends (2>/dev/null). */
	cmd = xasprintf("pdftotext -layout '%s' - 2>/dev/null", path);
	rc = run(cmd, &out);
	free(cmd);
	if (!ok(rc == 0 && out.p != NULL, "%s: pdftotext runs", name))
		goto out;
	for (; want != NULL && *want != NULL; want++)
		if (!ok(strstr(out.p, *want) != NULL, "%s: text has \"%s\"",
		    name, *want))
			diag("pdftotext -layout:\n%s", out.p);
	for (; unwanted != NULL && *unwanted != NULL; unwanted++)
		ok(strstr(out.p, *unwanted) == NULL, "%s: text lacks \"%s\"",
		    name, *unwanted);
	if (text != NULL)
		buf_add(text, out.p, out.len);
out:
	if (pdf != NULL)
		buf_add(pdf, a.p, a.len);
	buf_free(&out);
	buf_free(&a);
	buf_free(&b);
}

/*
 * The invoice of test_invoice (all Latin): 3 lines, two VAT rates, PO
 * reference, two receipts; l and r are the caller's.
 */
static void
fx_latin(struct document *d, struct doc_line l[3], struct receipt r[2])
{
	head(d, DOC_INVOICE, "INV-2026-000123", "2026-11-01", "EUR", "A4");
	snprintf(d->po_reference, sizeof(d->po_reference), "PO-4711");
	line(&l[0], "Temperature sensor T100, monthly plan", "2026-10-01",
	    "2026-11-01", 10, 500, 1900);
	line(&l[1], "Humidity sensor H20, monthly plan", "2026-10-01",
	    "2026-11-01", 4, 750, 1900);
	line(&l[2], "Calibration handbook (printed)", "2026-10-15",
	    "2026-10-16", 1, 2000, 700);
	memset(r, 0, 2 * sizeof(*r));
	r[0].id = 1;
	r[0].paid_at = day("2026-11-01");
	r[0].amount = 9200;
	snprintf(r[0].method, sizeof(r[0].method), "Visa ending 4242");
	r[1].id = 2;
	r[1].paid_at = day("2026-11-03");
	r[1].amount = 2460;
	snprintf(r[1].method, sizeof(r[1].method), "Customer credit");
	d->lines = l;
	d->nlines = 3;
	d->receipts = r;
	d->nreceipts = 2;
	sum(d);
}

/*
 * A Russian buyer billed in Russian (Cyrillic name, address, lines,
 * payment method), as the bench's second document; l and r are the
 * caller's.
 */
static void
fx_cyrillic(struct document *d, struct doc_line l[3], struct receipt r[1])
{
	head(d, DOC_INVOICE, "INV-2026-000129", "2026-11-01", "EUR", "A4");
	snprintf(d->buyer_name, sizeof(d->buyer_name), "ООО «Ромашка»");
	snprintf(d->buyer_address, sizeof(d->buyer_address),
	    "ул. Ленина, д. 5, офис № 12\nМосква 101000");
	snprintf(d->buyer_country, sizeof(d->buyer_country), "RU");
	d->buyer_vat[0] = '\0';
	snprintf(d->tax_note, sizeof(d->tax_note), "Not subject to German VAT: "
	    "place of supply outside the EU (§ 3a UStG).");
	line(&l[0], "Датчик температуры T100, ежемесячный тариф",
	    "2026-10-01", "2026-11-01", 10, 500, 0);
	line(&l[1], "Датчик влажности H20, ежемесячный тариф", "2026-10-01",
	    "2026-11-01", 4, 750, 0);
	line(&l[2], "Руководство по калибровке (печатное)", "2026-10-15",
	    "2026-10-16", 1, 2000, 0);
	memset(r, 0, sizeof(*r));
	r[0].id = 3;
	r[0].paid_at = day("2026-11-02");
	r[0].amount = 5000;
	snprintf(r[0].method, sizeof(r[0].method), "Банковский перевод");
	d->lines = l;
	d->nlines = 3;
	d->receipts = r;
	d->nreceipts = 1;
	sum(d);
}

/*
 * A Chinese seller, a Japanese buyer (kanji and kana), a Korean line
 * (Hangul) and full-width forms, in Chinese, Japanese and Korean all
 * through, as a receipt of the bench's ledger; l and r are the
 * caller's.
 */
static void
fx_cjk(struct document *d, struct doc_line l[3], struct receipt r[1])
{
	head(d, DOC_INVOICE, "INV-2026-000135", "2026-11-01", "USD", "A4");
	snprintf(d->seller_name, sizeof(d->seller_name),
	    "深圳传感科技有限公司");
	snprintf(d->seller_address, sizeof(d->seller_address),
	    "南山区科技园路1号\n深圳市 518057");
	snprintf(d->seller_country, sizeof(d->seller_country), "CN");
	d->seller_vat[0] = '\0';
	snprintf(d->buyer_name, sizeof(d->buyer_name), "株式会社センサー技研");
	snprintf(d->buyer_address, sizeof(d->buyer_address),
	    "丸の内1丁目1-1\n東京都千代田区 100-0005");
	snprintf(d->buyer_country, sizeof(d->buyer_country), "JP");
	d->buyer_vat[0] = '\0';
	snprintf(d->po_reference, sizeof(d->po_reference), "発注（４７１１）");
	line(&l[0], "서울센서 주식회사: 온도 센서 T100", "2026-10-01",
	    "2026-11-01", 10, 500, 0);
	line(&l[1], "湿度センサー H20、年間プラン", "2026-10-01", "2026-11-01",
	    4, 750, 0);
	line(&l[2], "校准手册（印刷版）", "2026-10-15", "2026-10-16", 1, 2000,
	    0);
	memset(r, 0, sizeof(*r));
	r[0].id = 4;
	r[0].paid_at = day("2026-11-02");
	r[0].amount = 5000;
	snprintf(r[0].method, sizeof(r[0].method), "銀行振込");
	d->lines = l;
	d->nlines = 3;
	d->receipts = r;
	d->nreceipts = 1;
	sum(d);
}

/* An invoice: 3 lines, two VAT rates, PO reference, two receipts. */
static void
test_invoice(void)
{
	struct document	 d;
	struct doc_line	 l[3];
	struct receipt	 r[2];
	static const char *const want[] = {
		"Invoice", "INV-2026-000123", "Issue date 2026-11-01",
		"Service period 2026-10-01 \xe2\x80\x93 2026-10-31",
		"Reckon Demo GmbH", "Hauptstraße 1", "10115 Berlin", "Germany",
		"VAT number DE123456788", "Bill to", "Kühl & Söhne AG",
		"Industriestraße 42", "Halle 3", "80331 München",
		"VAT number DE987654328", "PO reference PO-4711",
		"Temperature sensor T100, monthly plan",
		"Humidity sensor H20, monthly plan",
		"Calibration handbook (printed)",
		"€5.00", "€50.00", "€7.50", "€30.00", "€20.00", "19%", "7%",
		"2026-10-01 \xe2\x80\x93", "2026-10-31", "2026-10-15",
		"Net total", "€100.00",
		"VAT 19% on €80.00", "€15.20", "VAT 7% on €20.00", "€1.40",
		"VAT total", "€16.60", "Total", "€116.60", "Payments",
		"Paid 2026-11-01 by Visa ending 4242: €92.00",
		"Paid 2026-11-03 by Customer credit: €24.60", "Paid in full",
		NULL
	};
	static const char *const unwanted[] = { "Page 1", "Not paid",
	    "Corrects", NULL };

	fx_latin(&d, l, r);
	is_i64(d.total, 11660, "inv: fixture total is 116.60");
	check_doc("inv", &d, "595 x 842 pts (A4)", 1, HELVETICA, want,
	    unwanted, NULL, NULL);
}

/* A credit note correcting the invoice above. */
static void
test_credit_note(void)
{
	struct document	 d;
	struct doc_line	 l[1];
	static const char *const want[] = {
		"Credit note", "CN-2026-000007",
		"Corrects invoice INV-2026-000123",
		"Refund: humidity sensor H20 (2 of 4)", "-€15.00",
		"VAT 19% on -€15.00", "-€2.85", "-€17.85",
		"Credit note issued: nothing to pay", NULL
	};
	static const char *const unwanted[] = { "Payments", "Not paid",
	    NULL };

	head(&d, DOC_CREDIT_NOTE, "CN-2026-000007", "2026-11-05", "EUR", "A4");
	snprintf(d.corrects, sizeof(d.corrects), "INV-2026-000123");
	line(&l[0], "Refund: humidity sensor H20 (2 of 4)", "2026-10-01",
	    "2026-11-01", 2, -750, 1900);
	d.lines = l;
	d.nlines = 1;
	sum(&d);
	check_doc("cn", &d, "595 x 842 pts (A4)", 1, HELVETICA, want,
	    unwanted, NULL, NULL);
}

/* Cyrillic buyer, Greek lines, a tax note, a long word that must wrap. */
static void
test_international(void)
{
	struct document	 d;
	struct doc_line	 l[3];
	struct buf	 text, pdf;
	char		 longword[256];
	size_t		 i, o;
	static const char *const want[] = {
		"ООО «Ромашка»", "ул. Ленина, д. 5", "Москва 101000",
		"Russian Federation", "Αισθητήρας θερμοκρασίας",
		"Βάση στήριξης", "Συντήρηση", "0%",
		"Not subject to German VAT: place of supply outside the EU "
		"(§ 3a UStG).", "Not paid yet", NULL
	};
	static const char *const unwanted[] = { "VAT number DE987",
	    "PO reference", "?", "\xef\xbf\xbd", NULL };

	head(&d, DOC_INVOICE, "INV-2026-000124", "2026-11-01", "EUR", "A4");
	snprintf(d.buyer_name, sizeof(d.buyer_name), "ООО «Ромашка»");
	snprintf(d.buyer_address, sizeof(d.buyer_address),
	    "ул. Ленина, д. 5\nМосква 101000");
	snprintf(d.buyer_country, sizeof(d.buyer_country), "RU");
	d.buyer_vat[0] = '\0';
	snprintf(d.tax_note, sizeof(d.tax_note), "Not subject to German VAT: "
	    "place of supply outside the EU (§ 3a UStG).");
	line(&l[0], "Αισθητήρας θερμοκρασίας", "2026-10-01", "2026-11-01",
	    3, 4900, 0);
	line(&l[1], "Βάση στήριξης", "2026-10-01", "2026-11-01", 3, 1000, 0);
	/* 100 Greek capital alphas in one word: wider than the column. */
	o = (size_t)snprintf(longword, sizeof(longword), "Συντήρηση ");
	for (i = 0; i < 100; i++, o += 2)
		memcpy(longword + o, "\xce\x91", 2);
	longword[o] = '\0';
	line(&l[2], longword, "2026-10-01", "2026-11-01", 1, 100, 0);
	d.lines = l;
	d.nlines = 3;
	sum(&d);
	memset(&text, 0, sizeof(text));
	memset(&pdf, 0, sizeof(pdf));
	check_doc("intl", &d, "595 x 842 pts (A4)", 1, DEJAVU, want,
	    unwanted, &text, &pdf);
	/* Latin, Greek and Cyrillic: the core subsets, not the fonts. */
	ok(max_length1(&pdf) > 0 && max_length1(&pdf) < 30000,
	    "intl: the fonts are small subsets (largest %ld bytes)",
	    max_length1(&pdf));
	if (have_poppler) {
		/* Αισθητήρας has one more capital alpha. */
		is_i64((int64_t)count(text.p ? text.p : "", "\xce\x91"), 101,
		    "intl: the long word wraps whole: 100 + 1 alphas");
		ok(text.p != NULL && strstr(text.p,
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91\xce\x91"
		    "\xce\x91\xce\x91") == NULL,
		    "intl: the long word is broken over lines");
	}
	buf_free(&text);
	buf_free(&pdf);
}

/* 80 lines: the table runs over pages, which get numbers. */
static void
test_long(void)
{
	struct document	 d;
	struct doc_line	 l[80];
	struct buf	 text;
	char		 desc[64], want1[32], want80[32], pn[32], plast[32];
	size_t		 i;
	int		 n;
	const char	*want[5];

	head(&d, DOC_INVOICE, "INV-2026-000125", "2026-11-01", "EUR", "A4");
	for (i = 0; i < 80; i++) {
		snprintf(desc, sizeof(desc), "Sensor unit %02zu, serial "
		    "SN-%06zu", i + 1, 4711 + i);
		line(&l[i], desc, "2026-10-01", "2026-11-01", 1, 1000 + (int)i,
		    1900);
	}
	d.lines = l;
	d.nlines = 80;
	sum(&d);
	memset(&text, 0, sizeof(text));
	/* 80 rows of two lines (~29 pt): four A4 pages. */
	n = 4;
	snprintf(want1, sizeof(want1), "Sensor unit 01");
	snprintf(want80, sizeof(want80), "Sensor unit 80");
	snprintf(pn, sizeof(pn), "Page 1 of %d", n);
	snprintf(plast, sizeof(plast), "Page %d of %d", n, n);
	want[0] = want1;
	want[1] = want80;
	want[2] = pn;
	want[3] = plast;
	want[4] = NULL;
	check_doc("long", &d, "595 x 842 pts (A4)", n, HELVETICA, want, NULL,
	    &text, NULL);
	if (have_poppler && text.p != NULL) {
		for (i = 0, n = 0; i < 80; i++) {
			snprintf(desc, sizeof(desc), "Sensor unit %02zu,",
			    i + 1);
			n += strstr(text.p, desc) != NULL;
		}
		is_i64(n, 80, "long: all 80 lines are printed");
		is_i64((int64_t)count(text.p, "INV-2026-000125 (continued)"), 3,
		    "long: pages 2 to 4 say (continued)");
		is_i64((int64_t)count(text.p, "Description"), 4,
		    "long: each page repeats the column heads");
	}
	buf_free(&text);
}

/*
 * Letter paper, dollars, no VAT numbers, a partial payment; the
 * seller's address ends with its country, as invoice.c writes them.
 */
static void
test_letter(void)
{
	struct document	 d;
	struct doc_line	 l[1];
	struct receipt	 r[1];
	struct buf	 text;
	static const char *const want[] = {
		"Reckon Demo Inc.", "500 Market Street", "United States",
		"Example Corp", "Paid 2026-11-01 by Visa ending 4242: $92.00",
		"Balance due: $8.00", "$100.00", "VAT total", NULL
	};
	static const char *const unwanted[] = { "VAT number", "VAT 0%",
	    "Paid in full", NULL };

	head(&d, DOC_INVOICE, "INV-2026-000126", "2026-11-01", "USD",
	    "Letter");
	snprintf(d.seller_name, sizeof(d.seller_name), "Reckon Demo Inc.");
	snprintf(d.seller_address, sizeof(d.seller_address),
	    "500 Market Street\nSan Francisco, CA 94105\nUnited States");
	snprintf(d.seller_country, sizeof(d.seller_country), "US");
	d.seller_vat[0] = '\0';
	snprintf(d.buyer_name, sizeof(d.buyer_name), "Example Corp");
	snprintf(d.buyer_address, sizeof(d.buyer_address),
	    "1 Infinite Loop\nCupertino, CA 95014");
	snprintf(d.buyer_country, sizeof(d.buyer_country), "US");
	d.buyer_vat[0] = '\0';
	line(&l[0], "Sensor fleet, 20 units", "2026-10-01", "2026-11-01", 20,
	    500, 0);
	memset(r, 0, sizeof(r));
	r[0].paid_at = day("2026-11-01");
	r[0].amount = 9200;
	snprintf(r[0].method, sizeof(r[0].method), "Visa ending 4242");
	d.lines = l;
	d.nlines = 1;
	d.receipts = r;
	d.nreceipts = 1;
	sum(&d);
	d.ntaxes = 0;		/* no VAT in the US */
	memset(&text, 0, sizeof(text));
	check_doc("letter", &d, "612 x 792 pts (letter)", 1, HELVETICA, want,
	    unwanted, &text, NULL);
	if (have_poppler)
		is_i64((int64_t)count(text.p ? text.p : "", "United States"), 2,
		    "letter: the country once per party");
	buf_free(&text);
}

/* Every field full, invalid UTF-8, controls, astral characters. */
static void
test_hostile(void)
{
	struct document	 d;
	struct doc_line	 l[2];
	size_t		 i;
	static const char *const want[] = { "Bad?byte", "Smile ? please",
	    "Tab here", NULL };

	head(&d, DOC_INVOICE, "INV-2026-000127", "2026-11-01", "EUR", "A4");
	memset(d.seller_name, 'W', sizeof(d.seller_name) - 1);
	d.seller_name[sizeof(d.seller_name) - 1] = '\0';
	for (i = 0; i + 1 < sizeof(d.buyer_address); i++)
		d.buyer_address[i] = i % 3 == 2 ? '\n' : 'M';
	d.buyer_address[sizeof(d.buyer_address) - 1] = '\0';
	/* 127 two-byte characters, then a lone lead byte at the end. */
	for (i = 0; i + 2 < sizeof(d.po_reference); i += 2)
		memcpy(d.po_reference + i, "\xd0\x96", 2);
	d.po_reference[i] = '\xd0';
	d.po_reference[i + 1] = '\0';
	memset(d.tax_note, 'x', sizeof(d.tax_note) - 1);
	d.tax_note[sizeof(d.tax_note) - 1] = '\0';
	line(&l[0], "Bad\xff" "byte Smile \xf0\x9f\x98\x80 please Tab\there",
	    "2026-10-01", "2026-11-01", 1, 100, 1900);
	line(&l[1], "", "2026-10-01", "2026-11-01", 1, 0, 2550);
	l[1].quantity = INT64_C(999999999999);
	l[1].unit_price = INT64_C(99999999);
	l[1].amount = INT64_C(999999999999999999);
	l[1].tax_amount = 1;
	d.lines = l;
	d.nlines = 2;
	sum(&d);
	check_doc("hostile", &d, "595 x 842 pts (A4)", 1, DEJAVU, want, NULL,
	    NULL, NULL);
}

/*
 * Make d an invoice of one line per word of words (NULL-terminated, at
 * most 32), each word a line's whole description; l has room for 32.
 */
static void
fx_words(struct document *d, struct doc_line *l, const char *number,
    const char *const *words)
{
	size_t	 n;

	head(d, DOC_INVOICE, number, "2026-11-01", "EUR", "A4");
	for (n = 0; words[n] != NULL && n < 32; n++)
		line(&l[n], words[n], "2026-10-01", "2026-11-01", 1, 100, 1900);
	d->lines = l;
	d->nlines = n;
	sum(d);
}

/*
 * Every WinAnsi character but the no-break space and the soft hyphen
 * (pdftotext makes them others): Helvetica draws them all, not
 * embedded, and pdftotext reads each back.
 */
static void
test_winansi(void)
{
	struct document	 d;
	struct doc_line	 l[32];
	static const char *const words[] = {
		"\xe2\x82\xac\xe2\x80\x9a\xc6\x92\xe2\x80\x9e\xe2\x80\xa6"
		"\xe2\x80\xa0\xe2\x80\xa1\xcb\x86",		/* 80 .. 88 */
		"\xe2\x80\xb0\xc5\xa0\xe2\x80\xb9\xc5\x92\xc5\xbd"
		"\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9c",	/* 89 .. 93 */
		"\xe2\x80\x9d\xe2\x80\xa2\xe2\x80\x93\xe2\x80\x94\xcb\x9c"
		"\xe2\x84\xa2\xc5\xa1\xe2\x80\xba",		/* 94 .. 9b */
		"\xc5\x93\xc5\xbe\xc5\xb8",			/* 9c .. 9f */
		"¡¢£¤¥¦§¨", "©ª«¬®¯°±", "²³´µ¶·¸¹", "º»¼½¾¿ÀÁ",
		"ÂÃÄÅÆÇÈÉ", "ÊËÌÍÎÏÐÑ", "ÒÓÔÕÖ×ØÙ", "ÚÛÜÝÞßàá",
		"âãäåæçèé", "êëìíîïðñ", "òóôõö÷øù", "úûüýþÿ", NULL
	};

	fx_words(&d, l, "INV-2026-000130", words);
	check_doc("winansi", &d, "595 x 842 pts (A4)", 2, HELVETICA, words,
	    NULL, NULL, NULL);
}

/*
 * Greek (with Delta and mu, whose Adobe glyph names mean other
 * characters), all of basic Cyrillic, Central European and Romanian
 * letters: over 128 characters beyond ASCII, so two per-document
 * encodings.  The core subsets show them all, and pdftotext reads each
 * back.
 */
static void
test_alphabets(void)
{
	struct document	 d;
	struct doc_line	 l[32];
	struct buf	 pdf;
	static const char *const words[] = {
		"ΑΒΓΔΕΖΗΘΙΚΛΜ", "ΝΞΟΠΡΣΤΥΦΧΨΩ", "αβγδεζηθικλμ",
		"νξοπρςστυφχψω", "άέήίόύώΐΰϊϋ", "ΆΈΉΊΌΎΏΪΫ",
		"АБВГДЕЖЗИЙКЛ", "МНОПРСТУФХЦЧ", "ШЩЪЫЬЭЮЯ", "абвгдежзийкл",
		"мнопрстуфхцч", "шщъыьэюя", "ЀЁЂЃЄЅІЇ", "ЈЉЊЋЌЍЎЏҐ",
		"ѐёђѓєѕії", "јљњћќѝўџґ", "ĄąĆćĘęŁłŃńŚśŹźŻż",
		"ČčĎďĚěŇňŘřŤťŮů", "ŐőŰűĞğİıŞş", "ȘșȚțĂăÎî",
		"Μάιος", "Ρωμαίος", NULL
	};

	fx_words(&d, l, "INV-2026-000131", words);
	memset(&pdf, 0, sizeof(pdf));
	check_doc("alphabets", &d, "595 x 842 pts (A4)", 2, DEJAVU, words,
	    NULL, NULL, &pdf);
	ok(count_mem(&pdf, "/Differences") >= 2,
	    "alphabets: two encodings (%zu /Differences)",
	    count_mem(&pdf, "/Differences"));
	ok(memmem(pdf.p, pdf.len, "/uni0394", 8) != NULL &&
	    memmem(pdf.p, pdf.len, "/uni03BC", 8) != NULL &&
	    memmem(pdf.p, pdf.len, "/Delta", 6) == NULL &&
	    memmem(pdf.p, pdf.len, "/mu", 3) == NULL,
	    "alphabets: Delta and mu named /uni0394 and /uni03BC");
	ok(max_length1(&pdf) > 0 && max_length1(&pdf) < 30000,
	    "alphabets: the core subsets (largest font %ld bytes)",
	    max_length1(&pdf));
	buf_free(&pdf);
}

/*
 * Beyond the core subsets: Vietnamese and Kazakh (the wide subsets),
 * Georgian and Armenian (the whole fonts): each word printed and read
 * back.  (Right-to-left scripts are drawn in logical order, as ever:
 * libharu does no bidi.)
 */
static void
test_beyond(void)
{
	struct document	 d;
	struct doc_line	 l[32];
	struct buf	 pdf;
	static const char *const wide[] = { "Nguyễn", "Thị", "Hương",
	    "Đường", "Қазақстан", "Өскемен", NULL };
	static const char *const full[] = { "საქართველო", "Երևան",
	    "Ромашка", "Μάιος", NULL };
	static const char *const mixed[] = { "ภาษาไทย", "საქართველო",
	    "株式会社センサー技研", NULL };
	char		 path[128];

	memset(&pdf, 0, sizeof(pdf));
	fx_words(&d, l, "INV-2026-000132", wide);
	snprintf(d.buyer_name, sizeof(d.buyer_name), "Công ty Nguyễn");
	check_doc("wide", &d, "595 x 842 pts (A4)", 1, DEJAVU, wide, NULL,
	    NULL, &pdf);
	ok(max_length1(&pdf) > 0 && max_length1(&pdf) < 60000,
	    "wide: subsets (largest font %ld bytes)", max_length1(&pdf));
	buf_free(&pdf);

	fx_words(&d, l, "INV-2026-000133", full);
	snprintf(d.buyer_name, sizeof(d.buyer_name), "შპს საქართველო");
	check_doc("full", &d, "595 x 842 pts (A4)", 1, DEJAVU, full, NULL,
	    NULL, &pdf);
	ok(max_length1(&pdf) > 100000,
	    "full: the whole fonts (largest %ld bytes)", max_length1(&pdf));
	buf_free(&pdf);

	/* Georgian sets the whole DejaVu, Japanese the fallback beside
	 * it; Thai, in neither, is drawn as today: without glyphs, and
	 * read back. */
	fx_words(&d, l, "INV-2026-000136", mixed);
	snprintf(path, sizeof(path), "%s/mixed.pdf", dir);
	check_doc("mixed", &d, "595 x 842 pts (A4)", 1, DEJAVU_CJK, mixed,
	    NULL, NULL, &pdf);
	if (have_qpdf)
		check_glyphs("mixed", &pdf, path, mixed + 1);
	buf_free(&pdf);
}

/*
 * Chinese, Japanese and Korean, which no DejaVu has: each character
 * drawn with a real glyph of the fallback font, in a subset made for
 * the document (small, not the whole font), and read back as it was.
 */
static void
test_cjk(void)
{
	struct document	 d;
	struct doc_line	 l[32];
	struct receipt	 r[1];
	struct buf	 text, pdf;
	char		 path[128], many[16][64];
	const char	*words[17];
	size_t		 i, j, o;
	uint32_t	 cp;
	static const char *const want[] = {
		"株式会社センサー技研", "深圳传感科技有限公司",
		"서울센서 주식회사", "丸の内1丁目1-1",
		"東京都千代田区 100-0005", "南山区科技园路1号",
		"深圳市 518057", "China", "Japan",
		"PO reference 発注（４７１１）", "온도 센서 T100",
		"湿度センサー H20、年間プラン", "校准手册（印刷版）",
		"Paid 2026-11-02 by 銀行振込: $50.00", "Not subject",
		NULL
	};
	static const char *const unwanted[] = { "?", "\xef\xbf\xbd",
	    NULL };

	fx_cjk(&d, l, r);
	memset(&text, 0, sizeof(text));
	memset(&pdf, 0, sizeof(pdf));
	snprintf(d.tax_note, sizeof(d.tax_note), "Not subject to EU VAT.");
	check_doc("cjk", &d, "595 x 842 pts (A4)", 1, DEJAVU_CJK, want,
	    unwanted, &text, &pdf);
	snprintf(path, sizeof(path), "%s/cjk.pdf", dir);
	if (have_qpdf)
		check_glyphs("cjk", &pdf, path, want);
	/* The whole fallback font is 3.4 MB; its cmap alone 130 KB. */
	ok(pdf.len > 0 && pdf.len < 40000 && max_length1(&pdf) < 30000,
	    "cjk: %zu bytes, fonts of at most %ld: subsets", pdf.len,
	    max_length1(&pdf));
	buf_free(&text);
	buf_free(&pdf);

	/* 240 ideographs, more than one encoding holds, and ASCII: 16
	 * lines of 15 and a number, each fitting its column. */
	for (i = 0; i < 16; i++) {
		for (o = 0, j = 0; j < 15; j++, o += 3) {
			cp = 0x4e00 + 15 * (uint32_t)i + (uint32_t)j;
			many[i][o] = (char)(0xe0 | cp >> 12);
			many[i][o + 1] = (char)(0x80 | (cp >> 6 & 0x3f));
			many[i][o + 2] = (char)(0x80 | (cp & 0x3f));
		}
		snprintf(many[i] + o, sizeof(many[i]) - o, " T%zu", i);
		words[i] = many[i];
	}
	words[16] = NULL;
	fx_words(&d, l, "INV-2026-000137", words);
	snprintf(path, sizeof(path), "%s/cjkmany.pdf", dir);
	check_doc("cjkmany", &d, "595 x 842 pts (A4)", 2, DEJAVU_CJK, words,
	    NULL, NULL, &pdf);
	if (have_qpdf)
		check_glyphs("cjkmany", &pdf, path, words);
	ok(count_mem(&pdf, "/Differences") >= 4,
	    "cjkmany: two encodings, each in both fonts (%zu /Differences)",
	    count_mem(&pdf, "/Differences"));
	buf_free(&pdf);
}

/*
 * The fonts kept between documents change nothing: a document gives
 * the same bytes after others in other faces, and after pdf_cleanup.
 */
static void
test_kept(void)
{
	struct document	 d, o;
	struct doc_line	 l[3], ol[32];
	struct receipt	 r[2], or[2];
	struct buf	 a, b, c;
	static const char *const other[] = { "Nguyễn", "საქართველო", NULL };

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	fx_cyrillic(&d, l, r);
	fx_words(&o, ol, "INV-2026-000134", other);
	ok(pdf_document(&d, &a) == 0 && pdf_document(&o, &b) == 0,
	    "kept: a Cyrillic and a Georgian document");
	buf_free(&b);
	fx_cjk(&o, ol, or);
	ok(pdf_document(&o, &b) == 0, "kept: a Chinese, Japanese, Korean one");
	buf_free(&b);
	fx_latin(&o, ol, or);
	ok(pdf_document(&o, &b) == 0, "kept: a Latin document");
	fx_cyrillic(&d, l, r);
	buf_free(&b);
	ok(pdf_document(&d, &b) == 0 && a.len == b.len &&
	    memcmp(a.p, b.p, a.len) == 0,
	    "kept: the Cyrillic one again: the same bytes");
	pdf_cleanup();
	ok(pdf_document(&d, &c) == 0 && a.len == c.len &&
	    memcmp(a.p, c.p, a.len) == 0,
	    "kept: after pdf_cleanup: the same bytes");
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);

	/* The same for a CJK document, whose fallback subset is made
	 * afresh each time: after another with other characters. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	fx_cjk(&d, l, r);
	ok(pdf_document(&d, &a) == 0, "kept: a CJK document");
	fx_cjk(&o, ol, or);
	snprintf(o.buyer_name, sizeof(o.buyer_name), "東京センサー株式会社");
	ok(pdf_document(&o, &b) == 0, "kept: another, other characters");
	buf_free(&b);
	pdf_cleanup();
	ok(pdf_document(&o, &b) == 0, "kept: after pdf_cleanup");
	buf_free(&b);
	ok(pdf_document(&d, &b) == 0 && a.len == b.len &&
	    memcmp(a.p, b.p, a.len) == 0,
	    "kept: the first CJK one again: the same bytes");
	buf_free(&a);
	buf_free(&b);
}

/* A document without lines still renders; errors leave out alone. */
static void
test_edges(void)
{
	struct document	 d;
	struct buf	 out;

	head(&d, DOC_INVOICE, "INV-2026-000128", "2026-11-01", "EUR", "A4");
	sum(&d);
	check_doc("empty", &d, "595 x 842 pts (A4)", 1, HELVETICA, NULL, NULL,
	    NULL, NULL);

	memset(&out, 0, sizeof(out));
	buf_puts(&out, "keep");
	snprintf(d.currency, sizeof(d.currency), "XXX");
	ok(pdf_document(&d, &out) == -1 && out.len == 4 &&
	    strcmp(out.p, "keep") == 0,
	    "unknown currency: -1, out untouched");
	buf_free(&out);
}

static void
test_rate_fmt(void)
{
	static const struct {
		int32_t		 bp;
		const char	*want;
	} cases[] = {
		{ 1900, "19%" },
		{ 2550, "25.5%" },
		{ 1234, "12.34%" },
		{ 5, "0.05%" },
		{ 50, "0.5%" },
		{ 0, "0%" },
		{ 700, "7%" },
		{ 10000, "100%" },
		{ -700, "-7%" },
		{ INT32_MIN, "-21474836.48%" },
	};
	char	 b[32];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pdf_rate_fmt(cases[i].bp, b, sizeof(b));
		is_str(b, cases[i].want, "pdf_rate_fmt(%d)", (int)cases[i].bp);
	}
	ok(pdf_rate_fmt(1900, b, 3) == -1 && b[0] == '\0',
	    "pdf_rate_fmt: short buffer: -1 and \"\"");
}

/*
 * Render d n times; set *bytes to the size of the last PDF and return
 * the milliseconds per document, or -1 if a rendering failed.
 */
static double
bench_one(const struct document *d, int n, size_t *bytes)
{
	struct buf	 out;
	struct timespec	 t0, t1;
	int		 i;

	memset(&out, 0, sizeof(out));
	*bytes = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		out.len = 0;
		if (pdf_document(d, &out) == -1) {
			buf_free(&out);
			return -1.0;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*bytes = out.len;
	buf_free(&out);
	return ((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / n;
}

/*
 * With T_PDF_BENCH=N: render the Latin, the Cyrillic and the CJK
 * fixture N times each and print the time per document and the size
 * as TAP comments.  A figure, never a failure.  (The CJK one, the same
 * each time, reuses its fallback subset after the first: see
 * pdf_fb_load.)
 */
static void
bench(void)
{
	struct document	 d;
	struct doc_line	 l[3];
	struct receipt	 r[2];
	const char	*e = getenv("T_PDF_BENCH");
	int		 n = e != NULL ? atoi(e) : 0;
	size_t		 lb, cb, jb;
	double		 lms, cms, jms;

	if (n <= 0)
		return;
	fx_latin(&d, l, r);
	lms = bench_one(&d, n, &lb);
	fx_cyrillic(&d, l, r);
	cms = bench_one(&d, n, &cb);
	fx_cjk(&d, l, r);
	jms = bench_one(&d, n, &jb);
	diag("latin: %.3f ms/doc, %zu bytes; cyrillic: %.3f ms/doc, "
	    "%zu bytes; cjk: %.3f ms/doc, %zu bytes (%d renders each)", lms,
	    lb, cms, cb, jms, jb, n);
}

int
main(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		 path[128];
	size_t		 i;

	snprintf(dir, sizeof(dir), "%s/t_pdf.XXXXXX", tmp && *tmp &&
	    strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	have_poppler = have("pdftotext") && have("pdfinfo") &&
	    have("pdffonts");
	have_qpdf = have("qpdf");
	ok(have_poppler, "pdftotext, pdfinfo, pdffonts are installed "
	    "(Debian: poppler-utils)");
	ok(have_qpdf, "qpdf is installed (Debian: qpdf)");
	ok(access(PDF_FONT_REGULAR, R_OK) == 0 &&
	    access(PDF_FONT_BOLD, R_OK) == 0,
	    "the DejaVu fonts are installed (Debian: fonts-dejavu-core)");
#ifdef PDF_FONTDIR_BUILD
	ok(access(PDF_FONTDIR_BUILD "/DejaVuSans-core.ttf", R_OK) == 0 &&
	    access(PDF_FONTDIR_BUILD "/DejaVuSans-Bold-wide.ttf", R_OK) == 0,
	    "the font subsets are built in %s (make; Debian: fonttools)",
	    PDF_FONTDIR_BUILD);
#else
	ok(0, "the font subsets are built (no PDF_FONTDIR_BUILD)");
#endif

	test_rate_fmt();
	test_invoice();
	test_credit_note();
	test_international();
	test_long();
	test_letter();
	test_hostile();
	test_winansi();
	test_alphabets();
	test_beyond();
	test_cjk();
	test_kept();
	test_edges();
	bench();
	pdf_cleanup();		/* leak checkers see nothing kept */

	if (getenv("T_PDF_KEEP") != NULL) {
		diag("T_PDF_KEEP: the PDFs are in %s", dir);
		return tap_done();
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.pdf", dir, paths[i]);
		unlink(path);
	}
	if (rmdir(dir) == -1)
		perror(dir);
	return tap_done();
}
