/* page_receipt.c: a period's documents: the list, a PDF or e-invoice, CSV, ZIP. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "csv.h"
#include "db.h"
#include "http.h"
#include "invoice.h"
#include "money.h"
#include "pages.h"
#include "pdf_receipt.h"
#include "ubl.h"
#include "render.h"
#include "req.h"
#include "session.h"
#include "util.h"

#define RECEIPT_URL	"/billing/receipts"
#define RECEIPT_TITLE	"Receipts and invoices"
#define RECEIPT_PAGE	25	/* rows on a page of the list */
#define RECEIPT_CHUNK	200	/* rows read at a time by the exports */
#define RECEIPT_ZIP_MAX	500	/* documents in one ZIP */
#define NUMBER_MAX	31	/* bytes of a document number */
#define YEAR_MIN	2000	/* the range valid_month and valid_year take */
#define YEAR_END	3000	/* the first year out of that range */

/* The selection: a month or a year, from the query or the clock. */
struct sel {
	int64_t	 from;		/* its first second, UTC */
	int64_t	 to;		/* the first second after it */
	int	 is_year;	/* a whole year, not a month */
	char	 key[8];	/* "2026-11" or "2026": query values, names */
	char	 label[32];	/* "November 2026" or "2026": for people */
};

/* One document summary's id, collected by sel_ids. */
struct ids {
	int64_t	*v;
	size_t	 n;
};

/* Fill sel's key and label for the period starting at from. */
static void
sel_fill(struct sel *sel, int64_t from, int is_year)
{
	sel->from = from;
	sel->is_year = is_year;
	sel->to = util_month_add(from, is_year ? 12 : 1);
	util_time_fmt(from, is_year ? "%Y" : "%Y-%m", sel->key,
	    sizeof(sel->key));
	util_time_fmt(from, is_year ? "%Y" : "%B %Y", sel->label,
	    sizeof(sel->label));
}

/*
 * The selection of r: F_YEAR (a year), F_PERIOD (a month), or neither
 * (the current month).  Returns 0, or HTTP_BAD_REQUEST with
 * r->error_msg set if a value is malformed or both are given.
 */
static int
sel_of(struct req *r, struct sel *sel)
{
	const struct field	*month = req_field(r, F_PERIOD);
	const struct field	*year = req_field(r, F_YEAR);

	memset(sel, 0, sizeof(*sel));
	if (req_bad_raw(r, F_PERIOD) != NULL) {
		r->error_msg = "Enter the month as YYYY-MM, for example "
		    "2026-11, between 2000-01 and 2999-12.";
		return HTTP_BAD_REQUEST;
	}
	if (req_bad_raw(r, F_YEAR) != NULL) {
		r->error_msg = "Enter the year as four digits, for example "
		    "2026, between 2000 and 2999.";
		return HTTP_BAD_REQUEST;
	}
	if (month != NULL && year != NULL) {
		r->error_msg = "Choose a month or a year, not both.";
		return HTTP_BAD_REQUEST;
	}
	if (year != NULL)
		sel_fill(sel, year->u.i, 1);
	else
		sel_fill(sel, month != NULL ? month->u.i :
		    util_month_start(r->now), 0);
	return 0;
}

/* The query selecting sel, into out: "period=2026-11" or "year=2026". */
static void
sel_query(const struct sel *sel, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s=%s", sel->is_year ? "year" : "period",
	    sel->key);
}

/*
 * A service period for people and the CSV: its first and its last day,
 * UTC, into start and end (YYYY-MM-DD).  period_end is the first
 * second after the period, so the last day is the one before it.
 */
static void
period_days(int64_t period_start, int64_t period_end, char *start,
    char *end, size_t sz)
{
	util_time_fmt(period_start, "%Y-%m-%d", start, sz);
	util_time_fmt(period_end > period_start ? period_end - 1 :
	    period_start, "%Y-%m-%d", end, sz);
}

/*
 * Put one list row under Docs.i: the summary d of the selection.
 * Returns 0, or -1 (logged).
 */
static int
put_doc(HDF *hdf, const struct doc_summary *d, size_t i)
{
	char	 start[16], end[16], period[40], url[64];
	HDF	*row;

	period_days(d->period_start, d->period_end, start, end,
	    sizeof(start));
	if (strcmp(start, end) == 0)
		snprintf(period, sizeof(period), "%s", start);
	else
		snprintf(period, sizeof(period), "%s – %s", start, end);
	if ((row = hdf_row(hdf, "Docs", i)) == NULL ||
	    hdf_put(row, d->number, "Number") ||
	    hdf_put(row, invoice_kind_word(d->kind), "Kind") ||
	    hdf_put_date(row, d->issued_at, "Issued") ||
	    hdf_put(row, period, "Period") ||
	    hdf_put_money(row, d->total, d->currency, "Total") ||
	    hdf_put(row, invoice_status_word(d->status), "Status"))
		return -1;
	if (!valid_doc_number(d->number)) {
		log_warnx("%s: document %lld: number not served", __func__,
		    (long long)d->id);
		return 0;
	}
	snprintf(url, sizeof(url), RECEIPT_URL "/%s.pdf", d->number);
	if (hdf_put(row, url, "PdfUrl"))
		return -1;
	snprintf(url, sizeof(url), RECEIPT_URL "/%s.xml", d->number);
	return hdf_put(row, url, "XmlUrl");
}

/*
 * Put the period navigation and the picker's values for sel: Sel.*,
 * Form.Period.Value, Form.Year.Value.  Returns 0, or -1 (logged).
 */
static int
put_sel(struct req *r, HDF *hdf, const struct sel *sel)
{
	struct sel	 prev, next;
	char		 q[32], url[96], year[8];

	sel_fill(&prev, util_month_add(sel->from, sel->is_year ? -12 : -1),
	    sel->is_year);
	sel_fill(&next, sel->to, sel->is_year);
	snprintf(year, sizeof(year), "%.4s", sel->key);
	if (hdf_put(hdf, sel->label, "Sel.Label") ||
	    hdf_put(hdf, sel->is_year ? "" : sel->key, "Form.Period.Value") ||
	    hdf_put(hdf, year, "Form.Year.Value"))
		return -1;
	if (sel->is_year) {
		if (hdf_put(hdf, "1", "Sel.IsYear"))
			return -1;
	} else {
		snprintf(url, sizeof(url), RECEIPT_URL "?year=%s", year);
		if (hdf_put(hdf, url, "Sel.YearUrl") ||
		    hdf_put(hdf, year, "Sel.YearLabel"))
			return -1;
	}
	if (atoi(prev.key) >= YEAR_MIN) {
		sel_query(&prev, q, sizeof(q));
		snprintf(url, sizeof(url), RECEIPT_URL "?%s", q);
		if (hdf_put(hdf, url, "Sel.PrevUrl") ||
		    hdf_put(hdf, prev.label, "Sel.PrevLabel"))
			return -1;
	}
	/* No link to a period that has not begun: nothing is issued there. */
	if (next.from <= r->now && atoi(next.key) < YEAR_END) {
		sel_query(&next, q, sizeof(q));
		snprintf(url, sizeof(url), RECEIPT_URL "?%s", q);
		if (hdf_put(hdf, url, "Sel.NextUrl") ||
		    hdf_put(hdf, next.label, "Sel.NextLabel"))
			return -1;
	}
	return 0;
}

/*
 * The picker again, after a malformed period: 400, with the error at
 * the field it belongs to and the raw value kept (the template escapes
 * it).  No list is shown.
 */
static int
show_bad(struct req *r, HDF *hdf)
{
	const char	*bad;

	if (hdf_put(hdf, RECEIPT_TITLE, "Page.Title") ||
	    hdf_put(hdf, "The period could not be read.", "Form.Error"))
		return -1;
	if ((bad = req_bad_raw(r, F_PERIOD)) != NULL) {
		if (hdf_put(hdf, bad, "Form.Period.Value") ||
		    hdf_put(hdf, r->error_msg, "Form.Period.Error"))
			return -1;
	} else if ((bad = req_bad_raw(r, F_YEAR)) != NULL) {
		if (hdf_put(hdf, bad, "Form.Year.Value") ||
		    hdf_put(hdf, r->error_msg, "Form.Year.Error"))
			return -1;
	} else if (hdf_put(hdf, r->error_msg, "Form.Period.Error"))
		return -1;
	r->tmpl = "receipts.cs";
	return HTTP_BAD_REQUEST;
}

/*
 * GET /billing/receipts (accountant and above)
 * Fields: F_PERIOD (a month) or F_YEAR (a year), default the current
 * month; F_BEFORE (optional: documents older than this one).
 * Renders receipts.cs: the organization's documents issued in the
 * period, newest first, RECEIPT_PAGE a page, paged by keyset (no
 * OFFSET); 400 with the picker for a malformed period.
 */
int
page_receipt_list(struct req *r, HDF *hdf)
{
	const struct field	*before = req_field(r, F_BEFORE);
	struct doc_list		 l;
	struct sel		 sel;
	char			 q[32], url[128];
	size_t			 i;
	int			 rc;

	memset(&l, 0, sizeof(l));
	if (sel_of(r, &sel) != 0)
		return show_bad(r, hdf);
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = invoice_list(r->db, r->sess->org_id, sel.from, sel.to,
	    before != NULL ? before->u.i : 0, RECEIPT_PAGE + 1, &l);
	db_rollback(r->db);
	if (rc != INV_OK) {
		invoice_list_free(&l);
		return page_db_status(r, DB_ERROR);
	}
	rc = -1;
	for (i = 0; i < l.n && i < RECEIPT_PAGE; i++)
		if (put_doc(hdf, &l.v[i], i))
			goto out;
	sel_query(&sel, q, sizeof(q));
	if (l.n > RECEIPT_PAGE) {
		snprintf(url, sizeof(url), RECEIPT_URL "?%s&before=%lld", q,
		    (long long)l.v[RECEIPT_PAGE - 1].id);
		if (hdf_put(hdf, url, "Page.NextUrl"))
			goto out;
	}
	if (before != NULL) {
		snprintf(url, sizeof(url), RECEIPT_URL "?%s", q);
		if (hdf_put(hdf, url, "Page.FirstUrl"))
			goto out;
	}
	if (l.n > 0) {
		snprintf(url, sizeof(url), RECEIPT_URL ".csv?%s", q);
		if (hdf_put(hdf, url, "Sel.CsvUrl"))
			goto out;
		snprintf(url, sizeof(url), RECEIPT_URL ".zip?%s", q);
		if (hdf_put(hdf, url, "Sel.ZipUrl"))
			goto out;
	}
	if (put_sel(r, hdf, &sel) ||
	    hdf_put(hdf, RECEIPT_TITLE, "Page.Title"))
		goto out;
	r->tmpl = "receipts.cs";
	rc = HTTP_OK;
out:
	invoice_list_free(&l);
	return rc;
}

/*
 * Collect into *ids the ids of the documents of r's organization in
 * sel, newest first, reading RECEIPT_CHUNK at a time by keyset, and
 * stopping once more than max are collected (so max + 1 says "too
 * many").  Call inside a read transaction.  Returns INV_OK or INV_DB;
 * *ids is the caller's to free either way.
 */
static int
sel_ids(struct req *r, const struct sel *sel, size_t max, struct ids *ids)
{
	struct doc_list	 l;
	int64_t		 before = 0;
	size_t		 i;
	int		 rc, full;

	memset(ids, 0, sizeof(*ids));
	do {
		memset(&l, 0, sizeof(l));
		rc = invoice_list(r->db, r->sess->org_id, sel->from, sel->to,
		    before, RECEIPT_CHUNK, &l);
		if (rc != INV_OK) {
			invoice_list_free(&l);
			return INV_DB;
		}
		ids->v = xrealloc(ids->v, (ids->n + l.n + 1) *
		    sizeof(*ids->v));
		for (i = 0; i < l.n; i++)
			ids->v[ids->n++] = l.v[i].id;
		full = l.n == RECEIPT_CHUNK;
		before = l.n > 0 ? l.v[l.n - 1].id : 0;
		invoice_list_free(&l);
	} while (full && ids->n <= max);
	return INV_OK;
}

/*
 * Load the document id, which must be r's organization's (the list
 * was scoped to it; checked again).  Returns INV_OK with *doc set
 * (invoice_free), or INV_DB (logged) with *doc NULL.
 */
static int
load_doc(struct req *r, int64_t id, struct document **doc)
{
	int	 rc;

	if ((rc = invoice_get(r->db, id, doc)) == INV_OK &&
	    (*doc)->org_id == r->sess->org_id)
		return INV_OK;
	if (rc == INV_OK) {
		log_warnx("%s: document %lld is not organization %lld's",
		    __func__, (long long)id, (long long)r->sess->org_id);
		invoice_free(*doc);
	} else if (rc == INV_NOTFOUND)
		log_warnx("%s: listed document %lld not found", __func__,
		    (long long)id);
	*doc = NULL;
	return INV_DB;
}

/* Append the CSV row of doc to b.  Returns 0, or -1 (logged). */
static int
csv_doc(struct buf *b, const struct document *d)
{
	char	 start[16], end[16], issued[16], net[MONEY_FMT_BUFSZ],
		 vat[MONEY_FMT_BUFSZ], total[MONEY_FMT_BUFSZ];

	if (money_fmt_plain(d->net_total, d->currency, net, sizeof(net)) ||
	    money_fmt_plain(d->tax_total, d->currency, vat, sizeof(vat)) ||
	    money_fmt_plain(d->total, d->currency, total, sizeof(total))) {
		log_warnx("%s: document %lld: cannot format its amounts",
		    __func__, (long long)d->id);
		return -1;
	}
	util_time_fmt(d->issued_at, "%Y-%m-%d", issued, sizeof(issued));
	period_days(d->period_start, d->period_end, start, end,
	    sizeof(start));
	csv_field(b, d->number);
	csv_field(b, invoice_kind_word(d->kind));
	csv_field(b, issued);
	csv_field(b, start);
	csv_field(b, end);
	csv_field(b, d->currency);
	csv_field(b, net);
	csv_field(b, vat);
	csv_field(b, total);
	csv_field(b, invoice_status_word(d->status));
	csv_field(b, d->po_reference);
	csv_row_end(b);
	return 0;
}

/*
 * GET /billing/receipts.csv (accountant and above)
 * Fields: F_PERIOD or F_YEAR, as the list.
 * Answers every document of the selection, newest first, as RFC 4180
 * CSV in UTF-8 with a header row (see csv.c for quoting and the
 * formula guard), as an attachment receipts-<period>.csv; 400 for a
 * malformed period.
 */
int
page_receipt_csv(struct req *r, HDF *hdf)
{
	static const char *const head[] = { "number", "kind", "issued",
	    "period_start", "period_end", "currency", "net", "vat", "total",
	    "status", "po_reference" };
	struct document	*doc = NULL;
	struct ids	 ids;
	struct sel	 sel;
	struct buf	 b;
	size_t		 i;
	int		 rc;

	(void)hdf;
	memset(&b, 0, sizeof(b));
	memset(&ids, 0, sizeof(ids));
	if ((rc = sel_of(r, &sel)) != 0)
		return rc;
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_field(&b, head[i]);
	csv_row_end(&b);
	rc = sel_ids(r, &sel, SIZE_MAX - 1, &ids);
	for (i = 0; rc == INV_OK && i < ids.n; i++) {
		if ((rc = load_doc(r, ids.v[i], &doc)) != INV_OK)
			break;
		if (csv_doc(&b, doc) == -1)
			rc = INV_DB;
		invoice_free(doc);
		doc = NULL;
	}
	db_rollback(r->db);
	free(ids.v);
	if (rc != INV_OK) {
		buf_free(&b);
		return page_db_status(r, DB_ERROR);
	}
	buf_free(&r->blob);
	r->blob = b;
	r->ctype = "text/csv; charset=utf-8";
	req_header(r, "Content-Disposition: attachment; "
	    "filename=\"receipts-%s.csv\"", sel.key);
	return HTTP_OK;
}

/* Log a libzip error under func; returns -1. */
static int
zip_fail(const char *func, const char *what, zip_error_t *ze)
{
	log_warnx("%s: %s: %s", func, what, zip_error_strerror(ze));
	return -1;
}

/*
 * Add to za the file name holding b's bytes (taken over: freed with
 * the archive, or here on failure), dated mtime.  Returns 0 or -1.
 */
static int
zip_put(zip_t *za, const char *name, struct buf *b, int64_t mtime)
{
	zip_source_t	*file;
	zip_int64_t	 idx;

	/* On success the source owns b->p (freed with free()). */
	if ((file = zip_source_buffer(za, b->p, b->len, 1)) == NULL) {
		buf_free(b);
		return zip_fail(__func__, "source", zip_get_error(za));
	}
	memset(b, 0, sizeof(*b));
	if ((idx = zip_file_add(za, name, file, ZIP_FL_ENC_GUESS)) < 0) {
		zip_source_free(file);
		return zip_fail(__func__, name, zip_get_error(za));
	}
	if (zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)mtime, 0) < 0)
		return zip_fail(__func__, name, zip_get_error(za));
	return 0;
}

/*
 * Build in out (appended) a ZIP of the PDFs of docs[0..n), named
 * NUMBER.pdf, each with its e-invoice NUMBER.xml beside it, in memory.
 * Each entry's time is its document's issue time, never the clock, so
 * the same documents always give the same bytes.  Returns 0, or -1
 * (logged).
 */
static int
zip_docs(struct document **docs, size_t n, struct buf *out)
{
	zip_error_t	 ze;
	zip_source_t	*src = NULL;
	zip_t		*za = NULL;
	struct buf	 pdf, xml;
	char		 name[NUMBER_MAX + 8], chunk[16384];
	zip_int64_t	 got;
	size_t		 i;
	int		 rc = -1;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_fail(__func__, "buffer", &ze);
		goto out;
	}
	zip_source_keep(src);	/* ours to read after zip_close */
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_fail(__func__, "open", &ze);
		goto out;
	}
	for (i = 0; i < n; i++) {
		memset(&pdf, 0, sizeof(pdf));
		memset(&xml, 0, sizeof(xml));
		if (pdf_document(docs[i], &pdf) == -1 ||
		    ubl_document(docs[i], &xml) == -1) {
			log_warnx("%s: document %lld: no PDF or XML", __func__,
			    (long long)docs[i]->id);
			buf_free(&pdf);
			buf_free(&xml);
			goto out;
		}
		snprintf(name, sizeof(name), "%s.pdf", docs[i]->number);
		if (zip_put(za, name, &pdf, docs[i]->issued_at) == -1) {
			buf_free(&xml);
			goto out;
		}
		snprintf(name, sizeof(name), "%s.xml", docs[i]->number);
		if (zip_put(za, name, &xml, docs[i]->issued_at) == -1)
			goto out;
	}
	if (zip_close(za) < 0) {
		zip_fail(__func__, "close", zip_get_error(za));
		goto out;
	}
	za = NULL;
	if (zip_source_open(src) < 0) {
		zip_fail(__func__, "reopen", zip_source_error(src));
		goto out;
	}
	while ((got = zip_source_read(src, chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)got);
	if (got < 0)
		zip_fail(__func__, "read", zip_source_error(src));
	zip_source_close(src);
	if (got == 0)
		rc = 0;
out:
	if (za != NULL)
		zip_discard(za);
	if (src != NULL)
		zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

/*
 * GET /billing/receipts.zip (accountant and above)
 * Fields: F_PERIOD or F_YEAR, as the list.
 * Answers one ZIP of the PDFs of every document of the selection, as
 * an attachment receipts-<period>.zip.  400 for a malformed period;
 * 404 (in words) if the period has no documents; 422 (in words) above
 * RECEIPT_ZIP_MAX documents.  The documents are read in one read
 * transaction and rendered after it ends.
 */
int
page_receipt_zip(struct req *r, HDF *hdf)
{
	struct document	**docs = NULL;
	struct ids	  ids;
	struct sel	  sel;
	struct buf	  b;
	size_t		  i, n = 0;
	int		  rc;

	(void)hdf;
	memset(&b, 0, sizeof(b));
	if ((rc = sel_of(r, &sel)) != 0)
		return rc;
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = sel_ids(r, &sel, RECEIPT_ZIP_MAX, &ids);
	if (rc == INV_OK && ids.n > 0 && ids.n <= RECEIPT_ZIP_MAX) {
		docs = xcalloc(ids.n, sizeof(*docs));
		for (n = 0; rc == INV_OK && n < ids.n; n++)
			rc = load_doc(r, ids.v[n], &docs[n]);
	}
	db_rollback(r->db);
	if (rc != INV_OK) {
		rc = page_db_status(r, DB_ERROR);
		goto out;
	}
	if (ids.n == 0) {
		r->error_msg = "There are no documents in this period, so "
		    "there is no ZIP to download.";
		rc = HTTP_NOT_FOUND;
		goto out;
	}
	if (ids.n > RECEIPT_ZIP_MAX) {
		r->error_msg = sel.is_year ?
		    "This year has more than 500 documents, too many for one "
		    "ZIP. Download the PDFs one month at a time." :
		    "This month has more than 500 documents, too many for one "
		    "ZIP. Download the CSV, or the PDFs one by one from the "
		    "list.";
		rc = HTTP_UNPROCESSABLE;
		goto out;
	}
	rc = -1;
	for (i = 0; i < n; i++)
		if (!valid_doc_number(docs[i]->number)) {
			log_warnx("%s: document %lld: number not served",
			    __func__, (long long)docs[i]->id);
			goto out;
		}
	if (zip_docs(docs, n, &b) == -1)
		goto out;
	buf_free(&r->blob);
	r->blob = b;
	memset(&b, 0, sizeof(b));
	r->ctype = "application/zip";
	req_header(r, "Content-Disposition: attachment; "
	    "filename=\"receipts-%s.zip\"", sel.key);
	rc = HTTP_OK;
out:
	for (i = 0; i < n; i++)
		if (docs[i] != NULL)
			invoice_free(docs[i]);
	free(docs);
	free(ids.v);
	buf_free(&b);
	return rc;
}

/*
 * GET /billing/receipts/NUMBER.SUF (accountant and above), the document
 * written by make as ctype: the number comes from the path; anything
 * but [A-Z0-9-]{1,31} is 404.  Answers the organization's own document
 * as an attachment NUMBER.SUF; another organization's number is 404 as
 * if it did not exist.
 */
static int
receipt_file(struct req *r, const char *suf,
    int (*make)(const struct document *, struct buf *), const char *ctype)
{
	static const char	 pre[] = RECEIPT_URL "/";
	struct document		*doc = NULL;
	char			 number[NUMBER_MAX + 1];
	size_t			 n = strlen(r->path), ns = strlen(suf);
	int			 rc;

	if (n < sizeof(pre) + ns ||
	    n - (sizeof(pre) - 1) - ns > NUMBER_MAX ||
	    strncmp(r->path, pre, sizeof(pre) - 1) != 0 ||
	    strcmp(r->path + n - ns, suf) != 0)
		return HTTP_NOT_FOUND;
	n -= (sizeof(pre) - 1) + ns;
	memcpy(number, r->path + sizeof(pre) - 1, n);
	number[n] = '\0';
	if (!valid_doc_number(number))
		return HTTP_NOT_FOUND;

	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = invoice_get_by_number(r->db, number, &doc);
	db_rollback(r->db);
	switch (rc) {
	case INV_OK:
		break;
	case INV_NOTFOUND:
		return HTTP_NOT_FOUND;
	default:
		return page_db_status(r, DB_ERROR);
	}
	if (doc->org_id != r->sess->org_id) {
		rc = HTTP_NOT_FOUND;	/* never say it exists */
		goto out;
	}
	rc = -1;
	buf_free(&r->blob);
	if (make(doc, &r->blob) == -1) {
		log_warnx("%s: document %lld: no %s", __func__,
		    (long long)doc->id, suf);
		buf_free(&r->blob);
		goto out;
	}
	r->ctype = ctype;
	req_header(r, "Content-Disposition: attachment; filename=\"%s%s\"",
	    number, suf);
	rc = HTTP_OK;
out:
	invoice_free(doc);
	return rc;
}

/* GET /billing/receipts/NUMBER.pdf: the document as a PDF. */
int
page_receipt_pdf(struct req *r, HDF *hdf)
{
	(void)hdf;
	return receipt_file(r, ".pdf", pdf_document, "application/pdf");
}

/*
 * GET /billing/receipts/NUMBER.xml: the document as a UBL e-invoice
 * (Peppol BIS Billing 3.0, or XRechnung 3.0 between German parties).
 */
int
page_receipt_xml(struct req *r, HDF *hdf)
{
	(void)hdf;
	return receipt_file(r, ".xml", ubl_document, "application/xml");
}
