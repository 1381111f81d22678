/* bench_pdf.c: render one stored document as a PDF N times in process (pdf_document), print the rate; write the PDF and the same receipt as HTML (for Chromium). */
/*
 * usage: bench_pdf DB NUMBER SECONDS OUT.pdf OUT.html
 *        bench_pdf DB NUMBER --names NAMES OUTDIR
 *
 * The first form loads NUMBER once (invoice_get_by_number, one read
 * transaction), renders it 3 times to warm up, then again and again
 * until SECONDS have passed and 10 documents at least were made, and
 * prints
 *	pdf: N docs in S s: X ms/doc, Y docs/s, B bytes
 * The second renders the document once per line of NAMES with that line
 * as the buyer's name, to OUTDIR/name-I.pdf (the glyph check).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "invoice.h"
#include "log.h"
#include "money.h"
#include "pdf_receipt.h"
#include "util.h"

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
write_file(const char *path, const char *p, size_t n)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "bench_pdf: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Append s to b, HTML-escaped; '\n' becomes <br>. */
static void
esc(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\n':
			buf_puts(b, "<br>");
			break;
		default:
			buf_add(b, s, 1);
		}
}

static const char *
money(const struct document *d, cents_t v, char *out)
{
	if (money_fmt(v, d->currency, out, MONEY_FMT_BUFSZ) != MONEY_OK)
		snprintf(out, MONEY_FMT_BUFSZ, "?");
	return out;
}

static const char *
day(int64_t t, char *out)
{
	if (util_time_fmt(t, "%Y-%m-%d", out, 16) == -1)
		snprintf(out, 16, "?");
	return out;
}

static void
party(struct buf *b, const char *name, const char *addr, const char *vat,
    const char *po)
{
	buf_puts(b, "<p class=name>");
	esc(b, name);
	buf_puts(b, "</p><p>");
	esc(b, addr);
	if (vat[0] != '\0') {
		buf_puts(b, "<br>VAT number ");
		esc(b, vat);
	}
	if (po != NULL && po[0] != '\0') {
		buf_puts(b, "<br>PO reference ");
		esc(b, po);
	}
	buf_puts(b, "</p>");
}

/* The receipt as a plain HTML page with the PDF's content and layout. */
static void
html(const struct document *d, struct buf *b)
{
	char	 m1[MONEY_FMT_BUFSZ], m2[MONEY_FMT_BUFSZ], d1[16], d2[16];
	char	 rate[16];
	size_t	 i;

	buf_puts(b, "<!doctype html><html lang=en><head><meta charset=utf-8>"
	    "<title>");
	esc(b, invoice_kind_word(d->kind));
	buf_puts(b, " ");
	esc(b, d->number);
	buf_puts(b, "</title><style>"
	    "@page{size:A4;margin:50pt}"
	    "body{font-family:'DejaVu Sans',sans-serif;font-size:9pt;"
	    "margin:0;color:#000}"
	    ".top{display:flex;justify-content:space-between}"
	    ".right{text-align:right}h1{font-size:20pt;margin:0}"
	    ".name{font-weight:bold;font-size:11pt;margin:0}p{margin:0}"
	    ".label{color:#666;font-size:7.5pt;margin-top:18pt}"
	    "table{width:100%;border-collapse:collapse;margin-top:18pt}"
	    "th{font-size:7.5pt;color:#404040;text-align:left;"
	    "border-bottom:.75pt solid #000}"
	    "td{vertical-align:top;border-bottom:.3pt solid #bfbfbf;"
	    "padding:2pt 0 5pt}.n{text-align:right}"
	    ".totals{margin-left:auto;width:240pt;margin-top:6pt}"
	    ".totals td{border:0;padding:1pt 0}"
	    ".total td{font-weight:bold;font-size:11pt;"
	    "border-top:.75pt solid #000}"
	    ".notes{margin-top:14pt}h2{font-size:9pt;margin:14pt 0 0}"
	    "</style></head><body><div class=top><div>");
	party(b, d->seller_name, d->seller_address, d->seller_vat, NULL);
	buf_puts(b, "</div><div class=right><h1>");
	esc(b, invoice_kind_word(d->kind));
	buf_puts(b, "</h1><p class=name>");
	esc(b, d->number);
	buf_printf(b, "</p><p>Issue date %s</p><p>Service period %s – %s"
	    "</p></div></div><p class=label>Bill to</p>",
	    day(d->issued_at, d1), day(d->period_start, d2),
	    day(d->period_end > d->period_start ? d->period_end - 1 :
	    d->period_start, m1));
	party(b, d->buyer_name, d->buyer_address, d->buyer_vat,
	    d->po_reference);
	if (d->corrects[0] != '\0') {
		buf_puts(b, "<p><strong>Corrects invoice ");
		esc(b, d->corrects);
		buf_puts(b, "</strong></p>");
	}
	buf_puts(b, "<table><tr><th>Description</th><th>Period</th>"
	    "<th class=n>Qty</th><th class=n>Unit price</th>"
	    "<th class=n>VAT</th><th class=n>Amount</th></tr>");
	for (i = 0; i < d->nlines; i++) {
		const struct doc_line *l = &d->lines[i];

		if (pdf_rate_fmt(l->tax_rate_bp, rate, sizeof(rate)) == -1)
			snprintf(rate, sizeof(rate), "?");
		buf_puts(b, "<tr><td>");
		esc(b, l->description);
		buf_printf(b, "</td><td>%s –<br>%s</td><td class=n>%lld</td>",
		    day(l->period_start, d1), day(l->period_end >
		    l->period_start ? l->period_end - 1 : l->period_start,
		    d2), (long long)l->quantity);
		buf_printf(b, "<td class=n>%s</td><td class=n>%s</td>",
		    money(d, l->unit_price, m1), rate);
		buf_printf(b, "<td class=n>%s</td></tr>",
		    money(d, l->amount, m1));
	}
	buf_printf(b, "</table><table class=totals><tr><td class=n>Net total"
	    "</td><td class=n>%s</td></tr>", money(d, d->net_total, m1));
	for (i = 0; i < d->ntaxes; i++) {
		if (pdf_rate_fmt(d->taxes[i].rate_bp, rate, sizeof(rate)) == -1)
			snprintf(rate, sizeof(rate), "?");
		buf_printf(b, "<tr><td class=n>VAT %s on %s</td>"
		    "<td class=n>%s</td></tr>", rate,
		    money(d, d->taxes[i].net, m1),
		    money(d, d->taxes[i].tax, m2));
	}
	buf_printf(b, "<tr><td class=n>VAT total</td><td class=n>%s</td></tr>"
	    "<tr class=total><td class=n>Total</td><td class=n>%s</td></tr>"
	    "</table>", money(d, d->tax_total, m1), money(d, d->total, m2));
	if (d->tax_note[0] != '\0') {
		buf_puts(b, "<p class=notes>");
		esc(b, d->tax_note);
		buf_puts(b, "</p>");
	}
	if (d->kind == DOC_INVOICE)
		buf_puts(b, "<h2>Payments</h2>");
	for (i = 0; i < d->nreceipts; i++) {
		buf_printf(b, "<p>Paid %s", day(d->receipts[i].paid_at, d1));
		if (d->receipts[i].method[0] != '\0') {
			buf_puts(b, " by ");
			esc(b, d->receipts[i].method);
		}
		buf_printf(b, ": %s</p>", money(d, d->receipts[i].amount, m1));
	}
	switch (d->status) {
	case DOC_OPEN:
		if (d->paid == 0)
			buf_puts(b, "<p>Not paid yet</p>");
		else
			buf_printf(b, "<p>Balance due: %s</p>",
			    money(d, d->total - d->paid, m1));
		break;
	case DOC_PAID:
		buf_puts(b, "<p>Paid in full</p>");
		break;
	case DOC_CREDITED:
		buf_puts(b, "<p>Cancelled by a credit note</p>");
		break;
	case DOC_ISSUED:
		buf_puts(b, "<p>Credit note issued: nothing to pay</p>");
		break;
	}
	buf_puts(b, "</body></html>\n");
}

static int
names(struct document *d, const char *file, const char *dir)
{
	struct buf	 out;
	FILE		*f;
	char		 line[256], path[4096];
	size_t		 n;
	int		 i = 0, rc = 0;

	if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "bench_pdf: %s: %s\n", file, strerror(errno));
		return 1;
	}
	memset(&out, 0, sizeof(out));
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n == 0)
			continue;
		snprintf(d->buyer_name, sizeof(d->buyer_name), "%s", line);
		out.len = 0;
		if (pdf_document(d, &out) == -1) {
			fprintf(stderr, "bench_pdf: cannot render for %s\n",
			    line);
			rc = 1;
			continue;
		}
		snprintf(path, sizeof(path), "%s/name-%d.pdf", dir, i++);
		if (write_file(path, out.p, out.len) == -1)
			rc = 1;
	}
	fclose(f);
	buf_free(&out);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct db	*db;
	struct document	*d = NULL;
	struct buf	 out, h;
	double		 t0, t, secs;
	long		 n = 0, i;
	int		 rc;

	if (argc != 6) {
		fprintf(stderr, "usage: bench_pdf DB NUMBER SECONDS OUT.pdf "
		    "OUT.html\n"
		    "       bench_pdf DB NUMBER --names NAMES OUTDIR\n");
		return 2;
	}
	log_init("bench_pdf");
	if (db_open(argv[1], 0, &db) != DB_OK || db_begin_read(db) != DB_OK)
		return 1;
	rc = invoice_get_by_number(db, argv[2], &d);
	db_rollback(db);
	db_close(db);
	if (rc != INV_OK) {
		fprintf(stderr, "bench_pdf: no document %s\n", argv[2]);
		return 1;
	}
	if (strcmp(argv[3], "--names") == 0) {
		rc = names(d, argv[4], argv[5]);
		invoice_free(d);
		return rc;
	}
	secs = strtod(argv[3], NULL);
	memset(&out, 0, sizeof(out));
	for (i = 0; i < 3; i++) {
		out.len = 0;
		if (pdf_document(d, &out) == -1)
			return 1;
	}
	t0 = now_s();
	do {
		out.len = 0;
		if (pdf_document(d, &out) == -1)
			return 1;
		n++;
	} while (n < 10 || now_s() - t0 < secs);
	t = now_s() - t0;
	printf("pdf: %ld docs in %.3f s: %.4f ms/doc, %.1f docs/s, %zu bytes\n",
	    n, t, t * 1000.0 / (double)n, (double)n / t, out.len);
	memset(&h, 0, sizeof(h));
	html(d, &h);
	if (write_file(argv[4], out.p, out.len) == -1 ||
	    write_file(argv[5], h.p, h.len) == -1)
		return 1;
	buf_free(&out);
	buf_free(&h);
	invoice_free(d);
	return 0;
}
