/* pdf_receipt.c: one invoice or credit note rendered as a PDF (libharu). */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */

#include <inttypes.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
/* libharu 2.3's internals, for the per-document encodings (pdf_enc_new)
 * and the glyph check (pdf_glyph_w): installed by libhpdf-dev. */
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <hb.h>
#include <hb-subset.h>

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

/* The stroke, per point of size, that makes the fallback's glyphs bold. */
#define EMBOLDEN	0.03f

/*
 * The faces a document can be set in, tried in this order: the first
 * with a glyph for every character drawn sets the whole document.  In
 * the TrueType faces, a character the face lacks but the fallback font
 * has (Chinese, Japanese, Korean: no DejaVu has them) is drawn in the
 * fallback (struct pdf_fallback) and does not count as lacking.
 */
enum face {
	FACE_BASE14,	/* Helvetica, not embedded: WinAnsi (CP1252) text */
	FACE_CORE,	/* DejaVu Sans subsets: European, Greek, Cyrillic */
	FACE_WIDE,	/* larger subsets: all Latin, Cyrillic, ... */
	FACE_FULL,	/* Debian's whole DejaVu Sans */
	FACE__MAX
};

/*
 * The fonts of each face, indexed by styles[].bold.  The subsets are
 * made at build time (cgi/fonts/subset.sh): the fewer glyphs a
 * TrueType font has, the less libharu writes for each document.  Theirs
 * are file names in the first of font_dirs() that has them.
 */
static const char *const facefonts[FACE__MAX][2] = {
	{ "Helvetica", "Helvetica-Bold" },	/* FACE_BASE14: built in */
	{ "DejaVuSans-core.ttf", "DejaVuSans-Bold-core.ttf" },
	{ "DejaVuSans-wide.ttf", "DejaVuSans-Bold-wide.ttf" },
	{ PDF_FONT_REGULAR, PDF_FONT_BOLD },	/* FACE_FULL */
};

/*
 * The path of face f's font i in buf, or NULL if it is nowhere: the
 * subsets are looked for in $RECKON_FONTDIR, where "make install" puts
 * them, then in the build tree (for the tests and the demo).
 */
static const char *
font_path(enum face f, int i, char *buf, size_t bufsz)
{
	const char	*dirs[] = { getenv("RECKON_FONTDIR"), PDF_FONTDIR,
	    PDF_FONTDIR_BUILD };
	size_t		 d;

	if (f == FACE_FULL)
		return access(facefonts[f][i], R_OK) == 0 ?
		    facefonts[f][i] : NULL;
	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++)
		if (dirs[d] != NULL && *dirs[d] != '\0' &&
		    (size_t)snprintf(buf, bufsz, "%s/%s", dirs[d],
		    facefonts[f][i]) < bufsz && access(buf, R_OK) == 0)
			return buf;
	return NULL;
}

/*
 * WinAnsiEncoding's 0x80 .. 0x9f (0: unused); 0xa0 .. 0xff are
 * Latin-1's, 0x20 .. 0x7e ASCII's.
 */
static const uint16_t winansi[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

#define MAXENC		64	/* encodings of one document: 8192 chars */
#define W_NONE		INT16_MIN	/* struct pdf_char: not looked up */

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

/*
 * A face's libharu handle, kept from one document to the next for the
 * life of the process: HPDF_FreeDoc ends a document but keeps the
 * handle's font definitions and encoders, so each TrueType file is
 * parsed once per process.  Loaded first, in a fixed order, the fonts
 * always get the same subset tags (HPDFAA+, HPDFAB+): the bytes of a
 * document do not depend on what the process rendered before.
 */
struct pdf_kept {
	HPDF_Doc	 doc;		/* NULL: not open */
	struct pdf_err	 err;		/* what pdf_error records for doc */
	const char	*name[2];	/* TrueType: the fonts' names in doc */
	HPDF_FontDef	 def[2];	/* and their definitions */
	HPDF_Encoder	 enc[MAXENC];	/* "Reckon-0" ..., see pdf_enc_new */
	size_t		 nenc;
	int		 absent;	/* the files are missing: skip the face */
};

static struct pdf_kept	 kept[FACE__MAX];

/*
 * The fallback font (PDF_FONT_FALLBACK), opened with HarfBuzz on the
 * first document that needs it and kept for the life of the process
 * (mapped, not read).  A CJK font has tens of thousands of glyphs: its
 * cmap, hmtx and loca alone, which libharu copies whole, would make
 * each PDF 100 KB and take libharu milliseconds.  So each document gets
 * a subset of its own, with only the characters it draws in it
 * (pdf_fb_load, hb-subset), which libharu parses from memory.  The
 * last subset is kept too: a customer's receipts, downloaded one after
 * the other, have the same characters beyond DejaVu (their names).
 */
struct pdf_fallback {
	hb_face_t	*face;		/* NULL: not open */
	hb_font_t	*font;		/* for its cmap */
	hb_set_t	*last;		/* the characters of the last subset */
	hb_blob_t	*lastblob;	/* and its bytes, or NULL */
	int		 absent;	/* cannot be read: logged once */
};

static struct pdf_fallback	 fallback;

/*
 * A character beyond ASCII met in a document, in the hash struct
 * pdf.ch: the byte and encoding it is drawn with, and its widths.
 */
struct pdf_char {
	uint32_t	 cp;		/* the code point; 0: a free bucket */
	uint8_t		 enc;		/* TrueType: index of the encoding */
	uint8_t		 byte;		/* its code in that encoding */
	uint8_t		 fb;		/* drawn in the fallback font */
	int16_t		 w[2];		/* per weight, 1/1000 em, or W_NONE */
};

/* One rendering in progress. */
struct pdf {
	const struct document	*d;		/* borrowed */
	enum face		 face;
	struct pdf_kept		*k;		/* kept[face] */
	HPDF_Doc		 doc;		/* k->doc */
	HPDF_Font		 font[2][MAXENC];/* per weight and encoding */
	HPDF_FontDef		 fbdef;		/* the fallback subset, or NULL */
	hb_blob_t		*fbblob;	/* and its bytes */
	HPDF_Font		 fbfont[MAXENC];/* in it, per encoding */
	int			 fbdone;	/* pdf_fb_load has run */
	int16_t			 aw[2][128];	/* ASCII widths, or W_NONE */
	struct pdf_char		*ch;		/* hash of the other chars */
	size_t			 chsz;		/* buckets: a power of 2 */
	size_t			 nch;
	size_t			 nslots;	/* codes given, see pdf_char */
	int			 miss;		/* a char the face lacks */
	HPDF_Font		 tf;		/* the page's font, or NULL */
	float			 tfsize;	/* and size */
	float			 grey;		/* its fill, or -1 */
	HPDF_Page		 page;		/* the current page */
	HPDF_Page		*pages;		/* all of them, for footers */
	size_t			 npages;
	float			 w, h;		/* page size */
	float			 x0, x1;	/* left and right of the body */
	float			 y;		/* bottom of what is drawn */
	float			 colx[COL__MAX];/* left edge of each column */
	float			 colw[COL__MAX];/* width, with its gutter */
	int			 bad;		/* our own failure, logged */
	struct pdf_err		*err;		/* &k->err */
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
 * failure in the block what, naming the document, and return -1; if
 * the face lacks a character (p->miss), return -1 without a word.
 * Returns 0 if all is well.
 */
static int
pdf_check(const struct pdf *p, const char *func, const char *what)
{
	if (p->err->error_no != HPDF_OK) {
		log_warnx("%s: %s: %s: libharu error 0x%04lX, detail %lu",
		    func, p->d->number, what, (unsigned long)p->err->error_no,
		    (unsigned long)p->err->detail_no);
		return -1;
	}
	if (p->bad) {
		log_warnx("%s: %s: %s failed", func, p->d->number, what);
		return -1;
	}
	return p->miss ? -1 : 0;
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
 * Write the /Encoding of a font with a per-document encoding (an
 * HPDF_Encoder_Write_Func): WinAnsi's ASCII, then from 128 the
 * characters the document was given, named uniXXXX.  libharu's own
 * writer takes glyph names from its table, some of which the Adobe
 * Glyph List reads as other characters ("Delta" is U+2206, "mu"
 * U+00B5): viewers would draw, and pdftotext give, the wrong ones.
 */
static HPDF_STATUS
pdf_enc_write(HPDF_Encoder e, HPDF_Stream out)
{
	HPDF_BasicEncoderAttr	 a = e->attr;
	HPDF_STATUS		 rc;
	char			 s[16];
	unsigned int		 c;

	if (!a->has_differences)
		return HPDF_Stream_WriteStr(out, "/Encoding /WinAnsiEncoding\012");
	rc = HPDF_Stream_WriteStr(out, "/Encoding <<\012/Type /Encoding\012"
	    "/BaseEncoding /WinAnsiEncoding\012/Differences [128");
	for (c = 128; rc == HPDF_OK && c < 256 && a->differences[c]; c++) {
		snprintf(s, sizeof(s), "%s/uni%04X", c % 16 == 0 ? "\012" :
		    " ", (unsigned int)a->unicode_map[c]);
		rc = HPDF_Stream_WriteStr(out, s);
	}
	if (rc == HPDF_OK)
		rc = HPDF_Stream_WriteStr(out, "]\012>>\012");
	return rc;
}

/* Empty the per-document encoding e: no code from 128 on is given. */
static void
pdf_enc_reset(HPDF_Encoder e)
{
	HPDF_BasicEncoderAttr	 a = e->attr;

	memset(a->differences, 0, sizeof(a->differences));
	a->has_differences = HPDF_FALSE;
}

/*
 * Register the next per-document encoding of the kept handle k,
 * "Reckon-<n>": a single-byte encoding whose codes 32 .. 127 are ASCII
 * and 128 .. 255 are given, in the order they are met, to the
 * characters of the document being drawn (pdf_char).  A simple font
 * with such an encoding needs no 65,536-entry CID maps, and libharu
 * embeds only the glyphs its codes use.  The encoding outlives the
 * document with the handle; pdf_render empties it for the next.
 * Returns it, or NULL (libharu's error recorded).
 */
static HPDF_Encoder
pdf_enc_new(struct pdf_kept *k)
{
	HPDF_Encoder		 e;
	HPDF_BasicEncoderAttr	 a;

	if (k->nenc >= MAXENC)
		return NULL;
	if ((e = HPDF_BasicEncoder_New(k->doc->mmgr,
	    HPDF_ENCODING_WIN_ANSI)) == NULL)
		return NULL;
	snprintf(e->name, sizeof(e->name), "Reckon-%zu", k->nenc);
	e->write_fn = pdf_enc_write;
	a = e->attr;
	a->first_char = 32;
	a->last_char = 255;
	pdf_enc_reset(e);
	/* Registered, the handle owns e; else libharu freed it. */
	if (HPDF_Doc_RegisterEncoder(k->doc, e) != HPDF_OK)
		return NULL;
	k->enc[k->nenc++] = e;
	return e;
}

/*
 * Load the TrueType font of len bytes at data (borrowed: copied) into
 * the handle doc, to be embedded, with the subset tag tag (6 capitals);
 * as HPDF_LoadTTFontFromFile, the only way libharu 2.3 offers, but from
 * memory, which its loader proper reads as well as a file (it keeps the
 * stream, to copy the glyphs a document uses when it is written, and
 * from memory that costs no system call per glyph).  Returns the font's
 * definition, registered with doc (which frees it), or NULL (libharu's
 * error recorded in doc).
 */
static HPDF_FontDef
pdf_ttf_load(HPDF_Doc doc, const char *data, unsigned int len, char *tag)
{
	HPDF_Stream	 st;
	HPDF_FontDef	 def;

	if ((st = HPDF_MemStream_New(doc->mmgr, len)) == NULL)
		return NULL;
	if (HPDF_Stream_Write(st, (const HPDF_BYTE *)data, len) != HPDF_OK) {
		HPDF_Stream_Free(st);
		return NULL;
	}
	/* Takes the stream, and frees it on failure. */
	if ((def = HPDF_TTFontDef_Load(doc->mmgr, st, HPDF_TRUE)) == NULL)
		return NULL;
	HPDF_TTFontDef_SetTagName(def, tag);
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	return def;
}

/*
 * Open the fallback font unless it is.  Returns 0, or -1 if it cannot
 * be read (logged once: its characters are then drawn as any other
 * the faces lack).
 */
static int
pdf_fb_open(void)
{
	hb_blob_t	*blob;

	if (fallback.face != NULL)
		return 0;
	if (fallback.absent)
		return -1;
	if ((blob = hb_blob_create_from_file_or_fail(PDF_FONT_FALLBACK)) ==
	    NULL) {
		log_warnx("%s: cannot read the font %s: Chinese, Japanese "
		    "and Korean are drawn without glyphs", __func__,
		    PDF_FONT_FALLBACK);
		fallback.absent = 1;
		return -1;
	}
	fallback.face = hb_face_create(blob, 0);
	hb_blob_destroy(blob);
	if (hb_face_get_glyph_count(fallback.face) == 0) {
		log_warnx("%s: %s is not a font: Chinese, Japanese and "
		    "Korean are drawn without glyphs", __func__,
		    PDF_FONT_FALLBACK);
		hb_face_destroy(fallback.face);
		fallback.face = NULL;
		fallback.absent = 1;
		return -1;
	}
	fallback.font = hb_font_create(fallback.face);
	return 0;
}

/* Free the fallback font and its last subset, if open. */
static void
pdf_fb_close(void)
{
	hb_blob_destroy(fallback.lastblob);
	hb_set_destroy(fallback.last);
	hb_font_destroy(fallback.font);
	hb_face_destroy(fallback.face);
	memset(&fallback, 0, sizeof(fallback));
}

/*
 * Add to u the characters of the string s (borrowed) that p's face
 * lacks (its regular font, as pdf_fb_has asks) and the fallback font
 * has.  As pdf_clean, leaves out what is not drawn as
 * itself: invalid bytes and characters beyond U+FFFF.
 */
static void
pdf_fb_add(struct pdf *p, hb_set_t *u, const char *s)
{
	size_t		 i, k, n = strlen(s);
	uint32_t	 cp;
	hb_codepoint_t	 g;

	for (i = 0; i < n; i += k) {
		if ((unsigned char)s[i] < 0x80) {
			k = 1;
			continue;
		}
		k = utf8_next(s + i, n - i, &cp);
		if (cp < 0xa0 || cp > 0xffff || hb_set_has(u, cp) ||
		    HPDF_TTFontDef_GetGlyphid(p->k->def[0],
		    (HPDF_UINT16)cp) != 0 ||
		    !hb_font_get_nominal_glyph(fallback.font, cp, &g))
			continue;
		hb_set_add(u, cp);
	}
}

/*
 * Set tag (7 bytes) to the subset tag of the fallback subset of the
 * characters u: 6 capitals hashed from them, so that documents with
 * other characters, whose subsets differ, name them differently (a
 * viewer or a merger may take two fonts of one name for one), and the
 * same characters give the same bytes.
 */
static void
pdf_fb_tag(const hb_set_t *u, char *tag)
{
	hb_codepoint_t	 cp = HB_SET_VALUE_INVALID;
	uint32_t	 h = 2166136261u;	/* FNV-1a */
	int		 i;

	while (hb_set_next(u, &cp))
		for (i = 0; i < 3; i++)
			h = (h ^ ((cp >> (8 * i)) & 0xff)) * 16777619u;
	for (i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '\0';
}

/*
 * Make the document's subset of the fallback font: the characters of
 * its text that the face lacks and the fallback has (pdf_fb_add), and
 * .notdef, without hinting or layout tables (libharu does no shaping),
 * or take the last one if it has the same characters (the same bytes);
 * load it into libharu from memory and register it with p's handle,
 * from which pdf_fb_free takes it after the document.  Leaves p->fbdef
 * NULL if the text needs no fallback or the font cannot be read; sets
 * p->bad (logged) if HarfBuzz or libharu fails.
 */
static void
pdf_fb_load(struct pdf *p)
{
	static const char *const drop[] = { "GSUB", "GPOS", "GDEF", "BASE",
	    "JSTF", "vhea", "vmtx", "VORG", "kern", "gasp", "DSIG" };
	const struct document	*d = p->d;
	hb_subset_input_t	*in;
	hb_face_t		*sub = NULL;
	hb_blob_t		*blob = NULL;
	hb_set_t		*u, *tags;
	const char		*data = NULL;
	unsigned int		 len = 0;
	char			 tag[7];
	size_t			 i;

	p->fbdone = 1;
	if (pdf_fb_open() == -1)
		return;
	if ((in = hb_subset_input_create_or_fail()) == NULL) {
		log_warnx("%s: %s: hb_subset_input_create_or_fail failed",
		    __func__, d->number);
		p->bad = 1;
		return;
	}
	/* Every string drawn that a user may have typed. */
	u = hb_subset_input_unicode_set(in);
	pdf_fb_add(p, u, d->number);
	pdf_fb_add(p, u, d->seller_name);
	pdf_fb_add(p, u, d->seller_address);
	pdf_fb_add(p, u, d->seller_vat);
	pdf_fb_add(p, u, d->buyer_name);
	pdf_fb_add(p, u, d->buyer_address);
	pdf_fb_add(p, u, d->buyer_vat);
	pdf_fb_add(p, u, d->po_reference);
	pdf_fb_add(p, u, d->tax_note);
	pdf_fb_add(p, u, d->corrects);
	for (i = 0; i < d->nlines; i++)
		pdf_fb_add(p, u, d->lines[i].description);
	for (i = 0; i < d->nreceipts; i++)
		pdf_fb_add(p, u, d->receipts[i].method);
	if (hb_set_is_empty(u))
		goto out;
	pdf_fb_tag(u, tag);

	if (fallback.lastblob != NULL && hb_set_is_equal(u, fallback.last))
		blob = hb_blob_reference(fallback.lastblob);
	else {
		tags = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			hb_set_add(tags, hb_tag_from_string(drop[i], 4));
		hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
		if ((sub = hb_subset_or_fail(fallback.face, in)) != NULL)
			blob = hb_face_reference_blob(sub);
		hb_blob_destroy(fallback.lastblob);
		hb_set_destroy(fallback.last);
		fallback.lastblob = NULL;
		fallback.last = hb_set_copy(u);
		if (blob != NULL && hb_blob_get_length(blob) > 0 &&
		    hb_set_allocation_successful(fallback.last))
			fallback.lastblob = hb_blob_reference(blob);
	}
	if (blob != NULL)
		data = hb_blob_get_data(blob, &len);
	if (len == 0) {
		log_warnx("%s: %s: hb_subset_or_fail failed", __func__,
		    d->number);
		p->bad = 1;
		goto out;
	}

	if ((p->fbdef = pdf_ttf_load(p->doc, data, len, tag)) == NULL) {
		log_warnx("%s: %s: libharu cannot load the fallback subset: "
		    "error 0x%04lX", __func__, d->number,
		    (unsigned long)p->doc->error.error_no);
		p->bad = 1;
		goto out;
	}
	p->fbblob = blob;	/* pdf_fb_embed writes it as it is */
	blob = NULL;
out:
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
}

/*
 * Before the document is written: if a font of it uses the fallback
 * subset, give the subset its font descriptor, with the keys libharu
 * writes (hpdf_font_tt.c, CreateDescriptor), and hb-subset's bytes as
 * the font program.  libharu would make the descriptor itself when it
 * writes the first such font, and copy the program anew, 4 bytes at a
 * time, keeping the glyphs the document used: all of the subset's.
 * Sets p->bad (logged) on failure.
 */
static void
pdf_fb_embed(struct pdf *p)
{
	HPDF_FontDef		 def = p->fbdef;
	HPDF_TTFontDefAttr	 a;
	HPDF_Dict		 desc, prog;
	HPDF_STATUS		 rc = HPDF_OK;
	const char		*data;
	unsigned int		 len, i;

	if (def == NULL)
		return;
	for (i = 0; i < MAXENC && p->fbfont[i] == NULL; i++)
		continue;
	if (i == MAXENC)
		return;		/* drawn nothing: libharu writes nothing */
	a = def->attr;
	data = hb_blob_get_data(p->fbblob, &len);
	if ((desc = HPDF_Dict_New(p->doc->mmgr)) == NULL ||
	    HPDF_Xref_Add(p->doc->xref, desc) != HPDF_OK ||
	    (prog = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref)) ==
	    NULL) {
		log_warnx("%s: %s: libharu failed", __func__, p->d->number);
		p->bad = 1;
		return;
	}
	rc += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	rc += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
	rc += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
	rc += HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height);
	rc += HPDF_Dict_AddNumber(desc, "Flags", def->flags);
	rc += HPDF_Dict_Add(desc, "FontBBox",
	    HPDF_Box_Array_New(p->doc->mmgr, def->font_bbox));
	rc += HPDF_Dict_AddName(desc, "FontName", a->base_font);
	rc += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
	rc += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
	rc += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
	rc += HPDF_Stream_Write(prog->stream, (const HPDF_BYTE *)data, len);
	rc += HPDF_Dict_AddNumber(prog, "Length1", len);
	rc += HPDF_Dict_Add(desc, "FontFile2", prog);
	/* As libharu: deflated only with the whole fonts (pdf_setup). */
	if (p->doc->compression_mode & HPDF_COMP_METADATA)
		prog->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (rc != HPDF_OK) {
		log_warnx("%s: %s: libharu failed", __func__, p->d->number);
		p->bad = 1;
		return;
	}
	def->descriptor = desc;
}

/*
 * Take the document's fallback subset, if any, from p's handle and free
 * it: after HPDF_FreeDoc, which freed the fonts that used it.
 */
static void
pdf_fb_free(struct pdf *p)
{
	hb_blob_destroy(p->fbblob);
	p->fbblob = NULL;
	if (p->fbdef == NULL)
		return;
	HPDF_List_Remove(p->doc->fontdef_list, p->fbdef);
	HPDF_FontDef_Free(p->fbdef);
	p->fbdef = NULL;
}

/*
 * 1 if the character cp (beyond ASCII) is drawn in the fallback font:
 * p's face (a TrueType one) lacks it and the document's fallback subset,
 * made on the first such character, has it.
 */
static int
pdf_fb_has(struct pdf *p, uint32_t cp)
{
	if (HPDF_TTFontDef_GetGlyphid(p->k->def[0], (HPDF_UINT16)cp) != 0)
		return 0;
	if (!p->fbdone)
		pdf_fb_load(p);
	return p->fbdef != NULL &&
	    HPDF_TTFontDef_GetGlyphid(p->fbdef, (HPDF_UINT16)cp) != 0;
}

/*
 * The font of weight bold (styles[].bold) that draws codes of the
 * encoding enc (TrueType faces; ignored for Helvetica), or with fb set
 * the fallback subset's for that encoding (both weights: it has one),
 * made on first use.  NULL if libharu failed (its error recorded).
 */
static HPDF_Font
pdf_font(struct pdf *p, int bold, size_t enc, int fb)
{
	HPDF_Font	*f;
	char		 name[32];

	if (p->face == FACE_BASE14)
		enc = 0;
	f = fb ? &p->fbfont[enc] : &p->font[bold][enc];
	if (*f != NULL)
		return *f;
	if (p->face == FACE_BASE14)
		*f = HPDF_GetFont(p->doc, facefonts[FACE_BASE14][bold],
		    HPDF_ENCODING_WIN_ANSI);
	else {
		while (enc >= p->k->nenc)
			if (pdf_enc_new(p->k) == NULL)
				return NULL;
		snprintf(name, sizeof(name), "Reckon-%zu", enc);
		*f = HPDF_GetFont(p->doc, fb ? p->fbdef->base_font :
		    p->k->name[bold], name);
	}
	return *f;
}

/*
 * The code of cp (beyond ASCII) in WinAnsiEncoding, or 0 if it has
 * none.
 */
static unsigned int
pdf_winansi(uint32_t cp)
{
	unsigned int	 i;

	if (cp >= 0xa0 && cp <= 0xff)
		return cp;
	for (i = 0; i < 32; i++)
		if (winansi[i] == cp)
			return 0x80 + i;
	return 0;
}

/*
 * The entry of the character cp (beyond ASCII, not UINT32_MAX) in the
 * hash p->ch, added on first sight with the code it is drawn with:
 * with Helvetica its WinAnsi code; with TrueType the next free code of
 * the per-document encodings, 128 .. 255 of "Reckon-0", then of
 * "Reckon-1" and so on, and whether the fallback font draws it (the
 * fonts share the encodings: a font's /Differences name codes it never
 * shows, and pdftotext reads each font's codes right).  Returns NULL
 * if Helvetica cannot show cp (p->miss is set) or libharu or HarfBuzz
 * failed.
 */
static struct pdf_char *
pdf_char(struct pdf *p, uint32_t cp)
{
	struct pdf_char	*old;
	HPDF_Encoder	 e;
	size_t		 i, j, mask, oldsz;
	unsigned int	 byte = 0, enc = 0;
	int		 fb = 0;

	if (p->nch * 4 >= p->chsz * 3) {
		old = p->ch;
		oldsz = p->chsz;
		p->chsz = oldsz != 0 ? oldsz * 2 : 256;
		p->ch = xcalloc(p->chsz, sizeof(*p->ch));
		mask = p->chsz - 1;
		for (j = 0; j < oldsz; j++) {
			if (old[j].cp == 0)
				continue;
			for (i = (old[j].cp * 2654435761u) & mask;
			    p->ch[i].cp != 0; i = (i + 1) & mask)
				continue;
			p->ch[i] = old[j];
		}
		free(old);
	}
	mask = p->chsz - 1;
	for (i = (cp * 2654435761u) & mask; p->ch[i].cp != 0;
	    i = (i + 1) & mask)
		if (p->ch[i].cp == cp)
			return &p->ch[i];

	if (p->face == FACE_BASE14) {
		if ((byte = pdf_winansi(cp)) == 0) {
			p->miss = 1;
			return NULL;
		}
	} else if (p->nslots < MAXENC * 128) {
		fb = pdf_fb_has(p, cp);
		enc = p->nslots / 128;
		byte = 128 + p->nslots % 128;
		e = enc < p->k->nenc ? p->k->enc[enc] : pdf_enc_new(p->k);
		if (e == NULL || p->bad) {
			p->bad = 1;
			return NULL;
		}
		((HPDF_BasicEncoderAttr)e->attr)->unicode_map[byte] =
		    (HPDF_UNICODE)cp;
		((HPDF_BasicEncoderAttr)e->attr)->differences[byte] = 1;
		((HPDF_BasicEncoderAttr)e->attr)->has_differences = HPDF_TRUE;
		p->nslots++;
	} else
		byte = '?';	/* beyond 8,192 distinct characters */
	p->ch[i].cp = cp;
	p->ch[i].enc = (uint8_t)enc;
	p->ch[i].byte = (uint8_t)byte;
	p->ch[i].fb = (uint8_t)fb;
	p->ch[i].w[0] = p->ch[i].w[1] = W_NONE;
	p->nch++;
	return &p->ch[i];
}

/*
 * The width of cp (weight bold; in the fallback font if fb) in 1/1000
 * em, looked up once per document (in *w).  With the subset fonts, a
 * character without a glyph sets p->miss: the document is then set in
 * the next face.
 */
static int
pdf_glyph_w(struct pdf *p, int bold, uint32_t cp, int fb, int16_t *w)
{
	HPDF_Font	 f;

	if (*w != W_NONE)
		return *w;
	/* Straight from the definition: a font made for the width
	 * alone would be written into the PDF. */
	if (fb)
		return *w = HPDF_TTFontDef_GetCharWidth(p->fbdef,
		    (HPDF_UNICODE)cp);
	if (p->face != FACE_BASE14 && p->face != FACE_FULL && cp >= 128 &&
	    HPDF_TTFontDef_GetGlyphid(p->k->def[bold], (HPDF_UINT16)cp) == 0) {
		p->miss = 1;
		return *w = 0;
	}
	if ((f = pdf_font(p, bold, 0, 0)) == NULL)
		return *w = 0;
	return *w = (int16_t)HPDF_Font_GetUnicodeWidth(f, (HPDF_UNICODE)cp);
}

/*
 * Find how the character cp (of a clean string: UINT32_MAX and beyond
 * U+FFFF count as '?') is drawn in weight bold: set *enc to its
 * encoding (-1 for ASCII, the same in all), *byte to its code and *fb
 * to whether the fallback font draws it, and return its width in
 * 1/1000 em.  Returns -1 if the face cannot show it (p->miss) or
 * libharu failed.
 */
static int
pdf_code(struct pdf *p, int bold, uint32_t cp, int *enc, unsigned char *byte,
    int *fb)
{
	struct pdf_char	*c;
	int		 w;

	if (cp > 0xffff)
		cp = '?';
	*fb = 0;
	if (cp >= 128) {
		if ((c = pdf_char(p, cp)) == NULL)
			return -1;
		if (c->byte >= 128) {
			*enc = c->enc;
			*byte = c->byte;
			*fb = c->fb;
			w = pdf_glyph_w(p, bold, cp, c->fb, &c->w[bold]);
			return p->miss ? -1 : w;
		}
		cp = c->byte;	/* '?': no code left */
	}
	*enc = -1;
	*byte = (unsigned char)cp;
	w = pdf_glyph_w(p, bold, cp, 0, &p->aw[bold][cp]);
	return p->miss ? -1 : w;
}

/*
 * Width in points of the character cp (a code point of a clean
 * string) in style t.
 */
static float
pdf_cw(struct pdf *p, enum ts t, uint32_t cp)
{
	unsigned char	 byte;
	int		 enc, fb, w;

	if ((w = pdf_code(p, styles[t].bold, cp, &enc, &byte, &fb)) < 0)
		return 0.0f;
	return (float)w * styles[t].size / 1000.0f;
}

/* Width in points of n bytes of the clean string s in style t. */
static float
pdf_width(struct pdf *p, enum ts t, const char *s, size_t n)
{
	size_t		 i, k;
	uint32_t	 cp;
	float		 w = 0.0f;

	for (i = 0; i < n; i += k) {
		k = utf8_next(s + i, n - i, &cp);
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
pdf_wrap(struct pdf *p, enum ts t, float maxw, const char *s,
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
 * Show the NUL-terminated bytes s at size, at the text position, in
 * the font of weight bold and encoding enc, or the fallback's (fb): the
 * Tf operator only when they change (the font is part of the page's
 * graphics state, which nothing here saves or restores).  The fallback
 * has no bold: its glyphs are stroked as well as filled, in the fill's
 * grey, and the text rendering mode set back.
 */
static void
pdf_show(struct pdf *p, int bold, size_t enc, int fb, float size,
    const char *s)
{
	HPDF_Font	 f;

	if ((f = pdf_font(p, bold, enc, fb)) == NULL)
		return;		/* libharu's error is recorded */
	if (f != p->tf || size != p->tfsize) {
		p->tf = f;
		p->tfsize = size;
		HPDF_Page_SetFontAndSize(p->page, f, size);
	}
	if (fb && bold) {
		HPDF_Page_SetTextRenderingMode(p->page, HPDF_FILL_THEN_STROKE);
		HPDF_Page_SetGrayStroke(p->page, p->grey);
		HPDF_Page_SetLineWidth(p->page, size * EMBOLDEN);
	}
	HPDF_Page_ShowText(p->page, s);
	if (fb && bold)
		HPDF_Page_SetTextRenderingMode(p->page, HPDF_FILL);
}

/* Make page the current one: its font and fill are not known. */
static void
pdf_goto(struct pdf *p, HPDF_Page page)
{
	p->page = page;
	p->tf = NULL;
	p->grey = -1.0f;
}

/*
 * Draw n bytes of the clean string s in style t at size (0: the
 * style's), with its left end at x on baseline y of the current page:
 * one run of text per font, as the characters' encodings change and
 * as they go from the face to the fallback font and back.  ASCII is
 * drawn in the face (the fallback's glyphs for it are not DejaVu's),
 * in the face's font of the last encoding used (in all of them).
 */
static void
pdf_draw(struct pdf *p, enum ts t, float size, float x, float y,
    const char *s, size_t n)
{
	char		 run[TEXTMAX];
	size_t		 i, k, o = 0;
	uint32_t	 cp;
	unsigned char	 byte;
	int		 bold = styles[t].bold, enc, fb, curfb = 0;
	int		 cur[2] = { -1, -1 };	/* per font: face, fallback */

	if (n == 0 || p->miss)
		return;
	if (size <= 0.0f)
		size = styles[t].size;
	HPDF_Page_BeginText(p->page);
	if (p->grey != styles[t].grey) {
		p->grey = styles[t].grey;
		HPDF_Page_SetGrayFill(p->page, p->grey);
	}
	HPDF_Page_MoveTextPos(p->page, x, y);
	for (i = 0; i < n; i += k) {
		k = utf8_next(s + i, n - i, &cp);
		if (pdf_code(p, bold, cp, &enc, &byte, &fb) < 0)
			break;
		if (o > 0 && ((enc >= 0 && cur[fb] >= 0 && enc != cur[fb]) ||
		    fb != curfb || o + 1 >= sizeof(run))) {
			run[o] = '\0';
			pdf_show(p, bold, cur[curfb] >= 0 ? (size_t)cur[curfb] :
			    0, curfb, size, run);
			o = 0;
		}
		if (enc >= 0)
			cur[fb] = enc;
		curfb = fb;
		run[o++] = (char)byte;
	}
	if (o > 0 && !p->miss) {
		run[o] = '\0';
		pdf_show(p, bold, cur[curfb] >= 0 ? (size_t)cur[curfb] : 0,
		    curfb, size, run);
	}
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
	char	 s[128], num[sizeof(p->d->number)];

	pdf_goto(p, HPDF_AddPage(p->doc));
	HPDF_Page_SetWidth(p->page, p->w);
	HPDF_Page_SetHeight(p->page, p->h);
	p->pages = xrealloc(p->pages, (p->npages + 1) * sizeof(*p->pages));
	p->pages[p->npages++] = p->page;
	p->y = p->h - MARGIN;
	if (p->npages > 1) {
		pdf_clean(p->d->number, num, sizeof(num), 0);
		snprintf(s, sizeof(s), "%s %s (continued)",
		    p->d->kind == DOC_CREDIT_NOTE ? "Credit note" : "Invoice",
		    num);
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
	if (d->seal[0] != '\0') {
		p->y -= 14.0f;
		snprintf(s, sizeof(s), "Seal (SHA-256, chained to the document "
		    "before it): %s", d->seal);
		pdf_put(p, TS_LABEL, p->x0, full, 0, 2, s);
	}
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
		pdf_goto(p, p->pages[i]);
		snprintf(s, sizeof(s), "Page %zu of %zu", i + 1, p->npages);
		pdf_draw(p, TS_LABEL, 0.0f, p->x0, FOOTER_Y, num, strlen(num));
		pdf_draw_right(p, TS_LABEL, p->x1, FOOTER_Y, s);
	}
}

/* Free the kept handle of face f (its fonts and encodings), if open. */
static void
pdf_kept_close(enum face f)
{
	struct pdf_kept	*k = &kept[f];
	int		 absent = k->absent;

	if (k->doc != NULL)
		HPDF_Free(k->doc);
	memset(k, 0, sizeof(*k));
	k->absent = absent;
}

/*
 * Load the font file (borrowed) into the kept handle k, as
 * HPDF_LoadTTFontFromFile would, with the tag it would give the i-th
 * font of a handle: from memory (pdf_ttf_load).  Returns its name in
 * k->doc, or NULL (logged by the caller).
 */
static const char *
pdf_kept_load(struct pdf_kept *k, const char *file, int i)
{
	hb_blob_t	*blob;
	HPDF_FontDef	 def;
	const char	*data;
	unsigned int	 len;
	char		 tag[7];

	if ((blob = hb_blob_create_from_file_or_fail(file)) == NULL)
		return NULL;
	data = hb_blob_get_data(blob, &len);
	snprintf(tag, sizeof(tag), "HPDFA%c", 'A' + i);
	def = len > 0 ? pdf_ttf_load(k->doc, data, len, tag) : NULL;
	hb_blob_destroy(blob);
	return def != NULL ? def->base_font : NULL;
}

/*
 * Open the kept handle of face f unless it is: a new libharu handle
 * with the UTF-8 encoder (for the document information) and, for
 * the TrueType faces, the face's regular and bold fonts, in that order.
 * The subsets are held in memory (tens of KB); the whole fonts, of
 * some 700 KB each and seldom used, are read from their files.
 * Returns 0, 1 if the face's files are missing (logged once: the next
 * face will do), or -1 (logged).
 */
static int
pdf_kept_open(enum face f)
{
	struct pdf_kept	*k = &kept[f];
	const char	*file[2] = { NULL, NULL };
	char		 path[2][PATH_MAX];
	int		 i;

	if (k->doc != NULL)
		return 0;
	if (k->absent)
		return 1;
	for (i = 0; f != FACE_BASE14 && i < 2; i++)
		if ((file[i] = font_path(f, i, path[i],
		    sizeof(path[i]))) == NULL) {
			if (f == FACE_FULL) {
				file[i] = facefonts[f][i];
				continue;	/* said when it fails to load */
			}
			log_warnx("%s: no font subset %s: PDFs embed the "
			    "whole fonts", __func__, facefonts[f][i]);
			k->absent = 1;
			return 1;
		}
	memset(&k->err, 0, sizeof(k->err));
	if ((k->doc = HPDF_New(pdf_error, &k->err)) == NULL) {
		log_warnx("%s: HPDF_New failed", __func__);
		return -1;
	}
	HPDF_UseUTFEncodings(k->doc);
	for (i = 0; f != FACE_BASE14 && i < 2; i++) {
		if (f == FACE_FULL)
			k->name[i] = HPDF_LoadTTFontFromFile(k->doc,
			    file[i], HPDF_TRUE);
		else
			k->name[i] = pdf_kept_load(k, file[i], i);
		if (k->name[i] == NULL || (k->def[i] =
		    HPDF_Doc_FindFontDef(k->doc, k->name[i])) == NULL) {
			log_warnx("%s: cannot load the font %s", __func__,
			    file[i]);
			pdf_kept_close(f);
			return -1;
		}
	}
	if (k->err.error_no != HPDF_OK) {
		log_warnx("%s: libharu error 0x%04lX, detail %lu", __func__,
		    (unsigned long)k->err.error_no,
		    (unsigned long)k->err.detail_no);
		pdf_kept_close(f);
		return -1;
	}
	return 0;
}

/*
 * Free the libharu handles, fonts and the fallback font kept between
 * documents.  For tests and leak checkers: the next document opens
 * them again.
 */
void
pdf_cleanup(void)
{
	int	 f;

	for (f = 0; f < FACE__MAX; f++) {
		pdf_kept_close((enum face)f);
		kept[f].absent = 0;
	}
	pdf_fb_close();
}

/*
 * Start the document: compression, the paper size, and fixed document
 * information (no dates: libharu adds none, and no /ID without
 * encryption), so equal documents give equal bytes.  The fonts come
 * on first use (pdf_font).
 */
static void
pdf_setup(struct pdf *p)
{
	const struct document	*d = p->d;
	char			 s[TEXTMAX], t[TEXTMAX];

	/*
	 * Deflate the pages; not the subset fonts, which are small and
	 * would take twice as long to compress as all the rest to make;
	 * the whole fonts (the rare FACE_FULL) are large, and compressed.
	 */
	HPDF_SetCompressionMode(p->doc, p->face == FACE_FULL ? HPDF_COMP_ALL :
	    HPDF_COMP_TEXT);
	/* Document information strings are written in this encoder. */
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
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
 * Render d in face f, as pdf_document.  Returns 0 (the PDF appended to
 * out), 1 if the face lacks a glyph for a character of d or is not
 * built (out untouched: try the next face), or -1 (logged).
 */
static int
pdf_render(const struct document *d, enum face f, struct buf *out)
{
	struct pdf	 p;
	HPDF_BYTE	*bytes = NULL;
	HPDF_UINT32	 size;
	HPDF_UINT	 n;
	size_t		 i;
	int		 rc;

	if ((rc = pdf_kept_open(f)) != 0)
		return rc;
	rc = -1;
	memset(&p, 0, sizeof(p));
	p.d = d;
	p.face = f;
	p.k = &kept[f];
	p.doc = p.k->doc;
	p.err = &p.k->err;
	for (i = 0; i < 2 * 128; i++)
		p.aw[i / 128][i % 128] = W_NONE;
	memset(p.err, 0, sizeof(*p.err));
	if (HPDF_NewDoc(p.doc) != HPDF_OK) {
		log_warnx("%s: %s: HPDF_NewDoc failed", __func__, d->number);
		goto out;
	}
	for (i = 0; i < p.k->nenc; i++)
		pdf_enc_reset(p.k->enc[i]);

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
	pdf_fb_embed(&p);
	if (pdf_check(&p, __func__, "fallback") == -1)
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
	if (p.miss && p.err->error_no == HPDF_OK && !p.bad)
		rc = 1;
	free(bytes);
	free(p.pages);
	free(p.ch);
	/* After a failure, start the next document from a new handle
	 * (the fallback subset goes with the old one). */
	if (rc == -1) {
		pdf_kept_close(f);
		p.fbdef = NULL;
	} else
		HPDF_FreeDoc(p.doc);
	pdf_fb_free(&p);
	return rc;
}

/* 1 if the string s has a character beyond WinAnsiEncoding (CP1252). */
static int
pdf_not_winansi(const char *s)
{
	size_t		 i, k, n = strlen(s);
	uint32_t	 cp;

	for (i = 0; i < n; i += k) {
		if ((unsigned char)s[i] < 0x80) {
			k = 1;
			continue;
		}
		k = utf8_next(s + i, n - i, &cp);
		if (cp > 0x9f && cp <= 0xffff && pdf_winansi(cp) == 0)
			return 1;
	}
	return 0;
}

/*
 * 1 if a text field of d has a character beyond WinAnsiEncoding: then
 * Helvetica will not do, and is not tried.  Only a shortcut: drawing
 * checks every character (p->miss).
 */
static int
pdf_needs_ttf(const struct document *d)
{
	size_t	 i;

	if (pdf_not_winansi(d->seller_name) ||
	    pdf_not_winansi(d->seller_address) ||
	    pdf_not_winansi(d->buyer_name) ||
	    pdf_not_winansi(d->buyer_address) ||
	    pdf_not_winansi(d->po_reference) ||
	    pdf_not_winansi(d->tax_note))
		return 1;
	for (i = 0; i < d->nlines; i++)
		if (pdf_not_winansi(d->lines[i].description))
			return 1;
	for (i = 0; i < d->nreceipts; i++)
		if (pdf_not_winansi(d->receipts[i].method))
			return 1;
	return 0;
}

/*
 * Render the invoice or credit note d (borrowed) as a PDF on its paper
 * ("Letter", else A4): parties, lines, VAT per rate, totals, tax note,
 * payments; as many pages as the lines need, numbered when more than
 * one.  Text is any UTF-8, set in the first face that shows all of it:
 * Helvetica (not embedded) if it is all WinAnsi (CP1252), else the
 * build's DejaVu Sans subsets (enum face), else the whole DejaVu Sans
 * (the only faces embedded), with what DejaVu lacks (Chinese, Japanese,
 * Korean) in a subset of the fallback font made for the document; what
 * is too long for its place is wrapped or cut between characters.  The
 * same document always gives the same bytes.
 * On success appends the PDF to out (the caller's, freed with
 * buf_free) and returns 0.  Returns -1 (logged: libharu error, missing
 * font, unknown currency) and leaves out as it was.
 */
int
pdf_document(const struct document *d, struct buf *out)
{
	int	 f, rc = -1;

	if (money_currency(d->currency) == NULL) {
		log_warnx("%s: %s: unknown currency %.3s", __func__, d->number,
		    d->currency);
		return -1;
	}
	for (f = pdf_needs_ttf(d) ? FACE_CORE : FACE_BASE14; f < FACE__MAX;
	    f++)
		if ((rc = pdf_render(d, (enum face)f, out)) != 1)
			return rc;
	return -1;	/* not reached: FACE_FULL never misses */
}
