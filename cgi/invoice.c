/* invoice.c: issue numbered invoices and credit notes from the ledger, with VAT; record receipts. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "country.h"
#include "db.h"
#include "details.h"
#include "invoice.h"
#include "ledger.h"
#include "money.h"
#include "outbox.h"
#include "util.h"

/*
 * Standard VAT rates of the EU member states, in basis points, as in
 * force on 2025-07-01 (the Commission's "VAT rates in the EU").  Greece
 * is GR here, though its VAT numbers say EL.
 */
static const struct {
	const char	*country;
	int32_t		 rate_bp;
} eu_rates[] = {
	{ "AT", 2000 }, { "BE", 2100 }, { "BG", 2000 }, { "CY", 1900 },
	{ "CZ", 2100 }, { "DE", 1900 }, { "DK", 2500 }, { "EE", 2400 },
	{ "ES", 2100 }, { "FI", 2550 }, { "FR", 2000 }, { "GR", 2400 },
	{ "HR", 2500 }, { "HU", 2700 }, { "IE", 2300 }, { "IT", 2200 },
	{ "LT", 2100 }, { "LU", 1700 }, { "LV", 2100 }, { "MT", 1800 },
	{ "NL", 2100 }, { "PL", 2300 }, { "PT", 2300 }, { "RO", 1900 },
	{ "SE", 2500 }, { "SI", 2200 }, { "SK", 2300 },
};

static int32_t
eu_rate(const char *country)
{
	size_t	 i;

	for (i = 0; i < sizeof(eu_rates) / sizeof(eu_rates[0]); i++)
		if (strcmp(eu_rates[i].country, country) == 0)
			return eu_rates[i].rate_bp;
	return -1;
}

/*
 * The VAT rule for a supply of services by a seller in seller_country
 * to a buyer in buyer_country with VAT number buyer_vat ("" if none):
 * the rate in basis points, whether the reverse charge applies, and the
 * mention to print (note, may be empty).  A seller outside the EU
 * charges no VAT; inside: the domestic rate at home, the reverse charge
 * to a business elsewhere in the EU, the buyer country's rate to a
 * consumer there (OSS), nothing outside the EU.  Returns 0.
 */
int
invoice_tax_rule(const char *seller_country, const char *buyer_country,
    const char *buyer_vat, int32_t *rate_bp, int *reverse, char *note,
    size_t notesz)
{
	int32_t	 home = eu_rate(seller_country), there = eu_rate(buyer_country);

	*reverse = 0;
	note[0] = '\0';
	if (home < 0)
		*rate_bp = 0;
	else if (strcmp(seller_country, buyer_country) == 0)
		*rate_bp = home;
	else if (there >= 0 && buyer_vat[0] != '\0') {
		*rate_bp = 0;
		*reverse = 1;
		snprintf(note, notesz, "Reverse charge: VAT is due from the "
		    "customer (Article 196 of Council Directive 2006/112/EC).");
	} else if (there >= 0) {
		*rate_bp = there;
		snprintf(note, notesz, "VAT at the rate of the customer's "
		    "country (EU One-Stop Shop).");
	} else {
		*rate_bp = 0;
		snprintf(note, notesz, "Not subject to EU VAT: the place of "
		    "supply is outside the EU (Article 44 of Council Directive "
		    "2006/112/EC).");
	}
	return 0;
}

struct parties {
	char		 seller_name[256], seller_address[512], seller_country[3];
	char		 seller_vat[32], paper[8], prefix[2][16];
	char		 buyer_name[256], buyer_address[1536], buyer_country[3];
	char		 buyer_vat[32], po[80], currency[4];
	struct doc_parts parts;
};

static struct db_sql q_seller_parts = { .text =
	"SELECT street, city, postal_code, email, phone, registration "
	"FROM seller WHERE id = 1"
};

static struct db_sql q_buyer_parts = { .text =
	"SELECT address_line1, address_line2, city, postal_code, region, "
	"invoice_email, buyer_reference FROM organization WHERE id = ?"
};

/* The seller's parts from columns col.. of st, in document_party order. */
static void
col_seller_parts(sqlite3_stmt *st, int col, struct doc_parts *dp)
{
	db_col_copy(st, col, dp->seller_street, sizeof(dp->seller_street));
	db_col_copy(st, col + 1, dp->seller_city, sizeof(dp->seller_city));
	db_col_copy(st, col + 2, dp->seller_postal_code,
	    sizeof(dp->seller_postal_code));
	db_col_copy(st, col + 3, dp->seller_email, sizeof(dp->seller_email));
	db_col_copy(st, col + 4, dp->seller_phone, sizeof(dp->seller_phone));
	db_col_copy(st, col + 5, dp->seller_registration,
	    sizeof(dp->seller_registration));
}

/* The buyer's parts from columns col.. of st, in document_party order. */
static void
col_buyer_parts(sqlite3_stmt *st, int col, struct doc_parts *dp)
{
	db_col_copy(st, col, dp->buyer_street, sizeof(dp->buyer_street));
	db_col_copy(st, col + 1, dp->buyer_street2, sizeof(dp->buyer_street2));
	db_col_copy(st, col + 2, dp->buyer_city, sizeof(dp->buyer_city));
	db_col_copy(st, col + 3, dp->buyer_postal_code,
	    sizeof(dp->buyer_postal_code));
	db_col_copy(st, col + 4, dp->buyer_region, sizeof(dp->buyer_region));
	db_col_copy(st, col + 5, dp->buyer_email, sizeof(dp->buyer_email));
	db_col_copy(st, col + 6, dp->buyer_reference,
	    sizeof(dp->buyer_reference));
}

/* The parties' parts now, for the e-invoice, into *dp. */
static int
load_parts(struct db *db, int64_t org, struct doc_parts *dp)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(dp, 0, sizeof(*dp));
	if ((st = db_sql(db, &q_seller_parts)) == NULL)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW)
		col_seller_parts(st, 0, dp);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_OK ? DB_NOTFOUND : rc;
	if ((st = db_sql(db, &q_buyer_parts)) == NULL ||
	    db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		col_buyer_parts(st, 0, dp);
		dp->present = 1;
	}
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

static struct db_sql q_parts_insert = { .text =
	"INSERT INTO document_party (document_id, seller_street, seller_city, "
	"seller_postal_code, seller_email, seller_phone, seller_registration, "
	"buyer_street, buyer_street2, buyer_city, buyer_postal_code, "
	"buyer_region, buyer_email, buyer_reference) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
};

static int
insert_parts(struct db *db, int64_t id, const struct doc_parts *dp)
{
	sqlite3_stmt	*st = db_sql(db, &q_parts_insert);

	if (st == NULL || db_bind(db, st, "ittttttttttttt", id,
	    dp->seller_street, dp->seller_city, dp->seller_postal_code,
	    dp->seller_email, dp->seller_phone, dp->seller_registration,
	    dp->buyer_street, dp->buyer_street2, dp->buyer_city,
	    dp->buyer_postal_code, dp->buyer_region, dp->buyer_email,
	    dp->buyer_reference) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

static struct db_sql q_parts_get = { .text =
	"SELECT seller_street, seller_city, seller_postal_code, seller_email, "
	"seller_phone, seller_registration, buyer_street, buyer_street2, "
	"buyer_city, buyer_postal_code, buyer_region, buyer_email, "
	"buyer_reference FROM document_party WHERE document_id = ?"
};

/* Document id's parts into *dp (present 0 if it has none). */
static int
get_parts(struct db *db, int64_t id, struct doc_parts *dp)
{
	sqlite3_stmt	*st = db_sql(db, &q_parts_get);
	int		 rc;

	memset(dp, 0, sizeof(*dp));
	if (st == NULL || db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		col_seller_parts(st, 0, dp);
		col_buyer_parts(st, 6, dp);
		dp->present = 1;
		rc = DB_OK;
	}
	db_reset(st);
	return rc;
}

static int
load_parties(struct db *db, int64_t org, struct parties *p)
{
	sqlite3_stmt		*st;
	const struct country	*c;
	char			 a1[256], a2[256], city[256], pc[32], reg[256];
	int			 rc;

	memset(p, 0, sizeof(*p));
	st = db_stmt(db, STMT_SELLER_DOC);
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_OK ? DB_NOTFOUND : rc;
	}
	db_col_copy(st, 0, p->seller_name, sizeof(p->seller_name));
	db_col_copy(st, 1, p->seller_address, sizeof(p->seller_address));
	db_col_copy(st, 2, p->seller_country, sizeof(p->seller_country));
	db_col_copy(st, 3, p->seller_vat, sizeof(p->seller_vat));
	db_col_copy(st, 4, p->paper, sizeof(p->paper));
	db_col_copy(st, 5, p->prefix[0], sizeof(p->prefix[0]));
	db_col_copy(st, 6, p->prefix[1], sizeof(p->prefix[1]));
	db_reset(st);

	st = db_stmt(db, STMT_DETAILS_GET);
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_OK ? DB_NOTFOUND : rc;
	}
	db_col_copy(st, 2, p->buyer_name, sizeof(p->buyer_name));
	db_col_copy(st, 3, a1, sizeof(a1));
	db_col_copy(st, 4, a2, sizeof(a2));
	db_col_copy(st, 5, city, sizeof(city));
	db_col_copy(st, 6, pc, sizeof(pc));
	db_col_copy(st, 7, reg, sizeof(reg));
	db_col_copy(st, 8, p->buyer_country, sizeof(p->buyer_country));
	db_col_copy(st, 9, p->buyer_vat, sizeof(p->buyer_vat));
	db_col_copy(st, 10, p->po, sizeof(p->po));
	db_reset(st);
	c = country_find(p->buyer_country);
	snprintf(p->buyer_address, sizeof(p->buyer_address),
	    "%s%s%s\n%s%s%s%s%s\n%s", a1, a2[0] ? "\n" : "", a2, pc,
	    pc[0] ? " " : "", city, reg[0] ? ", " : "", reg,
	    c ? c->name : p->buyer_country);

	st = db_stmt(db, STMT_ORG_GET);
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW)
		db_col_copy(st, 3, p->currency, sizeof(p->currency));
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_OK ? DB_NOTFOUND : rc;
	return load_parts(db, org, &p->parts);
}

static struct db_sql q_series_last_issued = { .text =
	"SELECT coalesce(max(issued_at), 0) FROM document "
	"WHERE kind = ? AND series_year = ?"
};

/*
 * The next number of kind's series for a document dated *issued, and
 * the date it gets: never before the series' last document, so dates
 * never go back against numbers (a renewal run that catches up on an
 * old period dates its invoice no earlier than the last one issued).
 */
static int
next_number(struct db *db, enum doc_kind kind, const struct parties *p,
    int64_t *issued, char *number, size_t numsz, int64_t *year, int64_t *seq)
{
	int64_t		 now = *issued, last;

	char		 y[8];
	int		 rc;

	util_time_fmt(now, "%Y", y, sizeof(y));
	*year = strtoll(y, NULL, 10);
	if ((rc = db_get_int(db, STMT_SERIES_NEXT, seq, "ti",
	    kind == DOC_INVOICE ? "invoice" : "credit_note", *year)) != DB_OK)
		return rc == DB_NOTFOUND ? DB_ERROR : rc;
	snprintf(number, numsz, "%s-%lld-%06lld",
	    p->prefix[kind == DOC_INVOICE ? 0 : 1], (long long)*year,
	    (long long)*seq);
	if ((rc = db_sql_int(db, &q_series_last_issued, &last, "ti",
	    kind == DOC_INVOICE ? "invoice" : "credit_note", *year)) != DB_OK)
		return rc;
	if (last > *issued)
		*issued = last;
	return DB_OK;
}

/*
 * Whether key was posted already: DB_OK with *id the row found through
 * the entry by stmt (a document or a receipt), DB_NOTFOUND if not.
 * Checked before a number is taken, so a repeat never uses one up.
 */
static int
key_taken(struct db *db, const char *key, enum stmt_id by_entry, int64_t *id)
{
	int64_t		 entry;
	int		 rc;

	if ((rc = db_get_int(db, STMT_ENTRY_BY_KEY, &entry, "t", key)) !=
	    DB_OK)
		return rc;
	return db_get_int(db, by_entry, id, "i", entry);
}

/* Insert the document row and its lines, and seal it (chain_seal). */
static int
insert_doc(struct db *db, const struct document *d, int64_t year,
    int64_t seq, int64_t corrects, int64_t entry, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_DOC_INSERT);
	size_t		 i;

	if ((corrects > 0 ?
	    db_bind(db, st, "ittiiiiitttttttttttitiiiii", d->org_id,
	    d->kind == DOC_INVOICE ? "invoice" : "credit_note", d->number,
	    year, seq, d->issued_at, d->period_start, d->period_end,
	    d->currency, d->paper, d->seller_name, d->seller_address,
	    d->seller_country, d->seller_vat, d->buyer_name, d->buyer_address,
	    d->buyer_country, d->buyer_vat, d->po_reference,
	    (int64_t)d->reverse_charge, d->tax_note, d->net_total,
	    d->tax_total, d->total, corrects, entry) :
	    db_bind(db, st, "ittiiiiitttttttttttitiiini", d->org_id,
	    d->kind == DOC_INVOICE ? "invoice" : "credit_note", d->number,
	    year, seq, d->issued_at, d->period_start, d->period_end,
	    d->currency, d->paper, d->seller_name, d->seller_address,
	    d->seller_country, d->seller_vat, d->buyer_name, d->buyer_address,
	    d->buyer_country, d->buyer_vat, d->po_reference,
	    (int64_t)d->reverse_charge, d->tax_note, d->net_total,
	    d->tax_total, d->total, entry)) != DB_OK ||
	    db_exec(db, st) != DB_OK)
		return DB_ERROR;
	*id = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < d->nlines; i++) {
		const struct doc_line *l = &d->lines[i];

		st = db_stmt(db, STMT_DOC_LINE_INSERT);
		if (db_bind(db, st, "iitiiiiiiii", *id, (int64_t)i,
		    l->description, l->period_start, l->period_end,
		    l->quantity, (int64_t)l->unit_price, (int64_t)l->amount,
		    (int64_t)l->tax_rate_bp, (int64_t)l->tax_amount,
		    l->subscription_id) != DB_OK ||
		    db_exec(db, st) != DB_OK)
			return DB_ERROR;
	}
	if (d->parts.present && insert_parts(db, *id, &d->parts) != DB_OK)
		return DB_ERROR;
	return chain_seal(db, *id) == DB_OK ? DB_OK : DB_ERROR;
}

static void
fill_parties(struct document *d, const struct parties *p)
{
	snprintf(d->currency, sizeof(d->currency), "%s", p->currency);
	snprintf(d->paper, sizeof(d->paper), "%s", p->paper);
	snprintf(d->seller_name, sizeof(d->seller_name), "%s", p->seller_name);
	snprintf(d->seller_address, sizeof(d->seller_address), "%s",
	    p->seller_address);
	snprintf(d->seller_country, sizeof(d->seller_country), "%s",
	    p->seller_country);
	snprintf(d->seller_vat, sizeof(d->seller_vat), "%s", p->seller_vat);
	snprintf(d->buyer_name, sizeof(d->buyer_name), "%s", p->buyer_name);
	snprintf(d->buyer_address, sizeof(d->buyer_address), "%s",
	    p->buyer_address);
	snprintf(d->buyer_country, sizeof(d->buyer_country), "%s",
	    p->buyer_country);
	snprintf(d->buyer_vat, sizeof(d->buyer_vat), "%s", p->buyer_vat);
	snprintf(d->po_reference, sizeof(d->po_reference), "%s", p->po);
	d->parts = p->parts;
}

/*
 * The VAT rule an invoice to org would apply now (invoice_tax_rule on
 * the seller's and the buyer's details): *rate_bp and *reverse.
 * Returns DB_OK or a failure.
 */
int
invoice_org_tax(struct db *db, int64_t org, int32_t *rate_bp, int *reverse)
{
	struct parties	 p;
	char		 note[256];
	int		 rc;

	*rate_bp = 0;
	*reverse = 0;
	if ((rc = load_parties(db, org, &p)) != DB_OK)
		return rc;
	invoice_tax_rule(p.seller_country, p.buyer_country, p.buyer_vat,
	    rate_bp, reverse, note, sizeof(note));
	return DB_OK;
}

/*
 * The VAT of one line of net amount at rate_bp into *tax: half-up on
 * the amount's size, with its sign (a line that gives back unused time
 * gives back its VAT).  Returns MONEY_OK or a failure of
 * money_apply_rate.
 */
int
invoice_line_tax(cents_t amount, int32_t rate_bp, cents_t *tax)
{
	cents_t	 t;
	int	 rc;

	if (amount >= 0)
		return money_apply_rate(amount, rate_bp, tax);
	if (amount == INT64_MIN)
		return MONEY_EOVERFLOW;
	if ((rc = money_apply_rate(-amount, rate_bp, &t)) == MONEY_OK)
		*tax = -t;
	return rc;
}

/*
 * Queue the email of document d (just issued) to its organization's
 * invoice email and every CC, with its PDF (the mailer attaches the
 * document), once per address.
 */
static int
queue_mail(struct db *db, const struct document *d, int64_t now)
{
	struct details	 det;
	char		 key[96], subject[320], body[1024], total[MONEY_FMT_BUFSZ];
	char		 from[16], to[16];
	const char	*what = d->kind == DOC_INVOICE ? "Invoice" :
			    "Credit note";
	size_t		 i;
	int		 rc;

	if ((rc = details_get(db, d->org_id, &det)) != DB_OK)
		return rc;
	money_fmt(d->total, d->currency, total, sizeof(total));
	util_time_fmt(d->period_start, "%Y-%m-%d", from, sizeof(from));
	/* The period's last day: period_end is the first second after it. */
	util_time_fmt(d->period_end - 1, "%Y-%m-%d", to, sizeof(to));
	snprintf(subject, sizeof(subject), "%s %s from %s", what, d->number,
	    d->seller_name);
	if (d->kind == DOC_INVOICE)
		snprintf(body, sizeof(body), "Hello,\n\nattached is invoice %s "
		    "for %s, for the service from %s to %s.\nThe amount due "
		    "after any customer credit is charged to your payment "
		    "method on file.\n\n%s\n", d->number, total, from, to,
		    d->seller_name);
	else
		snprintf(body, sizeof(body), "Hello,\n\nattached is credit "
		    "note %s for %s, correcting invoice %s for the service "
		    "from %s to %s.\nWhat it credits reduces what the invoice "
		    "leaves to pay, and the rest is kept as customer credit "
		    "for your next invoices.\n\n%s\n", d->number, total,
		    d->corrects, from, to, d->seller_name);
	snprintf(key, sizeof(key), "invoice-mail:%lld:to", (long long)d->id);
	if ((rc = outbox_queue(db, d->org_id, key, "invoice",
	    det.invoice_email, subject, body, d->id, now)) != DB_OK)
		return rc;
	for (i = 0; i < det.ncc; i++) {
		snprintf(key, sizeof(key), "invoice-mail:%lld:cc%zu",
		    (long long)d->id, i);
		if ((rc = outbox_queue(db, d->org_id, key, "invoice", det.cc[i],
		    subject, body, d->id, now)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

/*
 * Issue an invoice for r->lines (descriptions, periods, quantities,
 * unit prices and net amounts set by the caller) inside the caller's
 * write transaction: VAT per line by invoice_tax_rule (half-up, per
 * line), the next number of this year's series, the seller and buyer
 * as they are now, and the journal entry (receivable against revenue
 * and tax) under r->idem_key.  *id gets the document.  Returns INV_OK;
 * INV_DUPLICATE with *id the earlier document if the key was issued
 * before (no number is used up); INV_EINVAL for no lines or a total that does not fit or is
 * not positive; INV_DB.
 */
int
invoice_issue(struct db *db, const struct invoice_req *r, int64_t *id)
{
	struct document		 d;
	struct parties		 p;
	struct doc_line		*lines = NULL;
	struct ledger_line	 ll[4];
	struct ledger_entry	 e;
	int64_t			 year, seq, entry = 0;
	size_t			 i, n = 0;
	int32_t			 rate;
	int			 rc, ret = INV_DB;

	*id = 0;
	if (r->nlines == 0 || r->nlines > INVOICE_MAX_LINES || r->unbilled < 0)
		return INV_EINVAL;
	if (load_parties(db, r->org_id, &p) != DB_OK)
		return INV_DB;
	memset(&d, 0, sizeof(d));
	d.org_id = r->org_id;
	d.kind = DOC_INVOICE;
	d.issued_at = r->now;
	fill_parties(&d, &p);
	invoice_tax_rule(p.seller_country, p.buyer_country, p.buyer_vat,
	    &rate, &d.reverse_charge, d.tax_note, sizeof(d.tax_note));
	lines = xcalloc(r->nlines, sizeof(*lines));
	for (i = 0; i < r->nlines; i++) {
		lines[i] = r->lines[i];
		lines[i].tax_rate_bp = rate;
		if (invoice_line_tax(lines[i].amount, rate,
		    &lines[i].tax_amount) != MONEY_OK ||
		    money_add(d.net_total, lines[i].amount, &d.net_total) ||
		    money_add(d.tax_total, lines[i].tax_amount, &d.tax_total)) {
			ret = INV_EINVAL;
			goto out;
		}
		if (i == 0 || lines[i].period_start < d.period_start)
			d.period_start = lines[i].period_start;
		if (lines[i].period_end > d.period_end)
			d.period_end = lines[i].period_end;
	}
	if (money_add(d.net_total, d.tax_total, &d.total) != MONEY_OK ||
	    d.total <= 0 || d.net_total <= 0 || r->unbilled > d.net_total) {
		ret = INV_EINVAL;
		goto out;
	}
	d.lines = lines;
	d.nlines = r->nlines;

	if ((rc = key_taken(db, r->idem_key, STMT_DOC_BY_ENTRY, id)) !=
	    DB_NOTFOUND) {
		ret = rc == DB_OK ? INV_DUPLICATE : INV_DB;
		goto out;
	}
	ll[n++] = (struct ledger_line){ ACC_RECEIVABLE, d.total };
	if (d.net_total != r->unbilled)
		ll[n++] = (struct ledger_line){ ACC_REVENUE,
		    r->unbilled - d.net_total };
	if (r->unbilled != 0)
		ll[n++] = (struct ledger_line){ ACC_UNBILLED, -r->unbilled };
	if (d.tax_total != 0)
		ll[n++] = (struct ledger_line){ ACC_TAX, -d.tax_total };
	if (next_number(db, DOC_INVOICE, &p, &d.issued_at, d.number,
	    sizeof(d.number), &year, &seq) != DB_OK)
		goto out;
	e = (struct ledger_entry){ r->org_id, r->idem_key, "invoice",
	    d.number, d.currency, d.issued_at, ll, n };
	switch ((rc = ledger_post(db, &e, &entry))) {
	case LEDGER_OK:
		break;
	default:
		ret = rc == LEDGER_EDB ? INV_DB : INV_EINVAL;
		goto out;
	}
	if (insert_doc(db, &d, year, seq, 0, entry, id) != DB_OK)
		goto out;
	d.id = *id;
	if (!r->no_mail && queue_mail(db, &d, r->now) != DB_OK)
		goto out;
	ret = INV_OK;
out:
	free(lines);
	return ret;
}

static int
doc_paid(struct db *db, int64_t doc, int64_t *org, cents_t *total,
    cents_t *paid, char *cur, cents_t *credited, int *is_invoice)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_DOC_GET);
	int		 rc;

	if (db_bind(db, st, "i", doc) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		*org = db_col_int(st, 1);
		*is_invoice = strcmp((const char *)sqlite3_column_text(st, 2),
		    "invoice") == 0;
		db_col_copy(st, 7, cur, 4);
		*total = db_col_int(st, 22);
		*paid = db_col_int(st, 24);
		*credited = db_col_int(st, 25);
	}
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

/*
 * Record a payment of amount against invoice doc at time at, inside the
 * caller's write transaction: a receipt naming method ("Visa ending
 * 4242"), and the journal entry under key: cash against receivable, or
 * with method NULL, customer credit against receivable ("Customer
 * credit").  *id gets the receipt.  Returns INV_OK; INV_DUPLICATE with
 * *id the earlier receipt; INV_NOTFOUND; INV_EINVAL for a non-positive
 * amount, more than is open, a credited invoice, or more credit than
 * the customer holds; INV_DB.
 */
int
invoice_pay(struct db *db, int64_t doc, int64_t at, cents_t amount,
    const char *method, const char *key, int64_t *id)
{
	struct ledger_line	 ll[2];
	struct ledger_entry	 e;
	sqlite3_stmt		*st;
	char			 cur[4], memo[96];
	cents_t			 total, paid, open, credit, credited;
	int64_t			 org, entry;
	int			 inv, rc;

	*id = 0;
	if ((rc = key_taken(db, key, STMT_RECEIPT_BY_ENTRY, id)) != DB_NOTFOUND)
		return rc == DB_OK ? INV_DUPLICATE : INV_DB;
	if ((rc = doc_paid(db, doc, &org, &total, &paid, cur, &credited,
	    &inv)) != DB_OK)
		return rc == DB_NOTFOUND ? INV_NOTFOUND : INV_DB;
	if (!inv || amount <= 0 || money_sub(total, paid, &open) != MONEY_OK ||
	    money_sub(open, credited, &open) != MONEY_OK || amount > open)
		return INV_EINVAL;
	if (method == NULL) {
		if (ledger_credit_available(db, org, cur, &credit) != LEDGER_OK)
			return INV_DB;
		if (amount > credit)
			return INV_EINVAL;
	}
	ll[0] = (struct ledger_line){ method ? ACC_CASH : ACC_CUSTOMER_CREDIT,
	    amount };
	ll[1] = (struct ledger_line){ ACC_RECEIVABLE, -amount };
	snprintf(memo, sizeof(memo), "%s", method ? method : "Customer credit");
	e = (struct ledger_entry){ org, key, method ? "payment" :
	    "credit_applied", memo, cur, at, ll, 2 };
	if ((rc = ledger_post(db, &e, &entry)) != LEDGER_OK)
		return rc == LEDGER_EDB ? INV_DB : INV_EINVAL;
	st = db_stmt(db, STMT_RECEIPT_INSERT);
	if (db_bind(db, st, "iiiiti", doc, org, at, (int64_t)amount, memo,
	    entry) != DB_OK || db_exec(db, st) != DB_OK)
		return INV_DB;
	*id = sqlite3_last_insert_rowid(db->h);
	return INV_OK;
}

/*
 * Issue a credit note against invoice o (loaded) for lines (net amounts
 * positive: what is credited; the note stores them negative, with the
 * VAT at the invoice's rate) inside the caller's write transaction: its
 * own number series, the invoice's parties, and the journal entry under
 * key reversing revenue and tax against what the invoice still leaves
 * receivable and, for the rest, customer credit (never a refund to the
 * card).  Never more than the invoice's total less what earlier credit
 * notes credited.  The note is emailed like an invoice.
 */
static int
credit_note(struct db *db, const struct document *o, const struct doc_line *in,
    size_t nin, int64_t now, const char *key, int no_mail, int64_t *id)
{
	struct document		 c;
	struct parties		 p;
	struct ledger_line	 ll[4];
	struct ledger_entry	 e;
	struct doc_line		*lines = NULL;
	int64_t			 year, seq, entry;
	cents_t			 open, room, gross, to_recv;
	size_t			 i, n = 0;
	int32_t			 rate = nin > 0 && o->nlines > 0 ?
				    o->lines[0].tax_rate_bp : 0;
	int			 rc, ret = INV_EINVAL;

	if (o->kind != DOC_INVOICE || nin == 0 || nin > INVOICE_MAX_LINES)
		return INV_EINVAL;
	if (load_parties(db, o->org_id, &p) != DB_OK)
		return INV_DB;
	c = *o;
	c.kind = DOC_CREDIT_NOTE;
	c.issued_at = now;
	c.net_total = c.tax_total = c.total = 0;
	c.period_start = c.period_end = 0;
	c.receipts = NULL;
	c.nreceipts = 0;
	lines = xcalloc(nin, sizeof(*lines));
	for (i = 0; i < nin; i++) {
		lines[i] = in[i];
		if (in[i].amount <= 0)
			goto out;
		lines[i].amount = -in[i].amount;
		lines[i].unit_price = -in[i].unit_price;
		lines[i].tax_rate_bp = rate;
		if (invoice_line_tax(lines[i].amount, rate,
		    &lines[i].tax_amount) != MONEY_OK ||
		    money_add(c.net_total, lines[i].amount, &c.net_total) ||
		    money_add(c.tax_total, lines[i].tax_amount, &c.tax_total))
			goto out;
		if (i == 0 || lines[i].period_start < c.period_start)
			c.period_start = lines[i].period_start;
		if (lines[i].period_end > c.period_end)
			c.period_end = lines[i].period_end;
	}
	c.total = c.net_total + c.tax_total;
	gross = -c.total;
	room = o->total - o->credited;
	if (gross <= 0 || gross > room)
		goto out;
	c.lines = lines;
	c.nlines = nin;
	ret = INV_DB;
	if (next_number(db, DOC_CREDIT_NOTE, &p, &c.issued_at, c.number,
	    sizeof(c.number), &year, &seq) != DB_OK)
		goto out;
	ll[n++] = (struct ledger_line){ ACC_REVENUE, -c.net_total };
	if (c.tax_total != 0)
		ll[n++] = (struct ledger_line){ ACC_TAX, -c.tax_total };
	open = o->total - o->paid - o->credited;
	to_recv = open < 0 ? 0 : open < gross ? open : gross;
	if (to_recv != 0)
		ll[n++] = (struct ledger_line){ ACC_RECEIVABLE, -to_recv };
	if (gross - to_recv != 0)
		ll[n++] = (struct ledger_line){ ACC_CUSTOMER_CREDIT,
		    to_recv - gross };
	e = (struct ledger_entry){ o->org_id, key, "credit_note", c.number,
	    c.currency, c.issued_at, ll, n };
	if ((rc = ledger_post(db, &e, &entry)) != LEDGER_OK) {
		ret = rc == LEDGER_EDB ? INV_DB : INV_EINVAL;
		goto out;
	}
	if (insert_doc(db, &c, year, seq, o->id, entry, id) != DB_OK)
		goto out;
	c.id = *id;
	snprintf(c.corrects, sizeof(c.corrects), "%s", o->number);
	if (!no_mail && queue_mail(db, &c, now) != DB_OK)
		goto out;
	ret = INV_OK;
out:
	free(lines);
	return ret;
}

/*
 * Issue a credit note correcting all of invoice doc inside the caller's
 * write transaction (see credit_note): the invoice's lines, each
 * "Correction: …", emailed unless no_mail (history the demo loads).  *id
 * gets the credit note.  Returns INV_OK, INV_DUPLICATE (with *id the earlier
 * note), INV_NOTFOUND, INV_EINVAL (not an invoice, or credited already,
 * in part or in full) or INV_DB.
 */
int
invoice_credit(struct db *db, int64_t doc, int64_t now, int no_mail,
    const char *key, int64_t *id)
{
	struct document		*o = NULL;
	struct doc_line		*lines = NULL;
	size_t			 i, n = 0;
	int			 rc;

	*id = 0;
	if ((rc = key_taken(db, key, STMT_DOC_BY_ENTRY, id)) != DB_NOTFOUND)
		return rc == DB_OK ? INV_DUPLICATE : INV_DB;
	if ((rc = invoice_get(db, doc, &o)) != INV_OK)
		return rc;
	rc = INV_EINVAL;
	if (o->kind != DOC_INVOICE || o->credited != 0)
		goto out;
	lines = xcalloc(o->nlines, sizeof(*lines));
	for (i = 0; i < o->nlines; i++) {
		if (o->lines[i].amount == 0)
			continue;
		if (o->lines[i].amount < 0)
			goto out;	/* a line that gave back time: by hand */
		lines[n] = o->lines[i];
		snprintf(lines[n].description, sizeof(lines[n].description),
		    "Correction: %.200s", o->lines[i].description);
		n++;
	}
	rc = credit_note(db, o, lines, n, now, key, no_mail, id);
out:
	free(lines);
	invoice_free(o);
	return rc;
}

/*
 * Issue a credit note against invoice doc for lines (positive net
 * amounts, see credit_note) under key, emailed unless no_mail.  Returns INV_OK, INV_DUPLICATE
 * (with *id the earlier note), INV_NOTFOUND, INV_EINVAL (more than the
 * invoice has left to credit, a line not positive) or INV_DB.
 */
int
invoice_credit_lines(struct db *db, int64_t doc, const struct doc_line *lines,
    size_t n, int64_t now, const char *key, int no_mail, int64_t *id)
{
	struct document	*o = NULL;
	int		 rc;

	*id = 0;
	if ((rc = key_taken(db, key, STMT_DOC_BY_ENTRY, id)) != DB_NOTFOUND)
		return rc == DB_OK ? INV_DUPLICATE : INV_DB;
	if ((rc = invoice_get(db, doc, &o)) != INV_OK)
		return rc;
	rc = credit_note(db, o, lines, n, now, key, no_mail, id);
	invoice_free(o);
	return rc;
}

/*
 * What invoice doc has left to credit, VAT included, into *room, and
 * its VAT rate into *rate_bp.  Returns INV_OK, INV_NOTFOUND, INV_EINVAL
 * (not an invoice) or INV_DB.
 */
int
invoice_creditable(struct db *db, int64_t doc, cents_t *room, int32_t *rate_bp)
{
	struct document	*o = NULL;
	int		 rc;

	*room = 0;
	*rate_bp = 0;
	if ((rc = invoice_get(db, doc, &o)) != INV_OK)
		return rc;
	if (o->kind != DOC_INVOICE)
		rc = INV_EINVAL;
	else {
		*room = o->total - o->credited;
		*rate_bp = o->nlines > 0 ? o->lines[0].tax_rate_bp : 0;
	}
	invoice_free(o);
	return rc;
}

/* An invoice of total with receipts paid and credit notes credited. */
static enum doc_status
status_of(int is_invoice, cents_t total, cents_t paid, cents_t credited)
{
	if (!is_invoice)
		return DOC_ISSUED;
	if (credited >= total)
		return DOC_CREDITED;
	return paid + credited >= total ? DOC_PAID : DOC_OPEN;
}

static void
sum_taxes(struct document *d)
{
	size_t	 i, j;

	for (i = 0; i < d->nlines; i++) {
		for (j = 0; j < d->ntaxes; j++)
			if (d->taxes[j].rate_bp == d->lines[i].tax_rate_bp)
				break;
		if (j == d->ntaxes) {
			if (d->ntaxes == sizeof(d->taxes) / sizeof(d->taxes[0]))
				continue;	/* more rates than a page shows */
			d->taxes[d->ntaxes++].rate_bp = d->lines[i].tax_rate_bp;
		}
		d->taxes[j].net += d->lines[i].amount;
		d->taxes[j].tax += d->lines[i].tax_amount;
	}
}

/*
 * Load document id with its lines, VAT totals per rate, receipts and
 * status into *out (invoice_free).  Returns INV_OK, INV_NOTFOUND (with
 * *out NULL) or INV_DB.  The caller checks it belongs to the right
 * organization.
 */
int
invoice_get(struct db *db, int64_t id, struct document **out)
{
	struct document	*d;
	sqlite3_stmt	*st = db_stmt(db, STMT_DOC_GET);
	int		 rc;

	*out = NULL;
	if (db_bind(db, st, "i", id) != DB_OK)
		return INV_DB;
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_OK ? INV_NOTFOUND : INV_DB;
	}
	d = xcalloc(1, sizeof(*d));
	d->id = db_col_int(st, 0);
	d->org_id = db_col_int(st, 1);
	d->kind = strcmp((const char *)sqlite3_column_text(st, 2),
	    "invoice") == 0 ? DOC_INVOICE : DOC_CREDIT_NOTE;
	db_col_copy(st, 3, d->number, sizeof(d->number));
	d->issued_at = db_col_int(st, 4);
	d->period_start = db_col_int(st, 5);
	d->period_end = db_col_int(st, 6);
	db_col_copy(st, 7, d->currency, sizeof(d->currency));
	db_col_copy(st, 8, d->paper, sizeof(d->paper));
	db_col_copy(st, 9, d->seller_name, sizeof(d->seller_name));
	db_col_copy(st, 10, d->seller_address, sizeof(d->seller_address));
	db_col_copy(st, 11, d->seller_country, sizeof(d->seller_country));
	db_col_copy(st, 12, d->seller_vat, sizeof(d->seller_vat));
	db_col_copy(st, 13, d->buyer_name, sizeof(d->buyer_name));
	db_col_copy(st, 14, d->buyer_address, sizeof(d->buyer_address));
	db_col_copy(st, 15, d->buyer_country, sizeof(d->buyer_country));
	db_col_copy(st, 16, d->buyer_vat, sizeof(d->buyer_vat));
	db_col_copy(st, 17, d->po_reference, sizeof(d->po_reference));
	d->reverse_charge = db_col_int(st, 18) != 0;
	db_col_copy(st, 19, d->tax_note, sizeof(d->tax_note));
	d->net_total = db_col_int(st, 20);
	d->tax_total = db_col_int(st, 21);
	d->total = db_col_int(st, 22);
	db_col_copy(st, 23, d->corrects, sizeof(d->corrects));
	d->paid = db_col_int(st, 24);
	d->credited = db_col_int(st, 25);
	db_reset(st);
	d->status = status_of(d->kind == DOC_INVOICE, d->total, d->paid,
	    d->credited);
	if ((rc = chain_get(db, id, d->seal)) != DB_OK && rc != DB_NOTFOUND)
		goto fail;
	if ((rc = get_parts(db, id, &d->parts)) != DB_OK && rc != DB_NOTFOUND)
		goto fail;

	st = db_stmt(db, STMT_DOC_LINES);
	if (db_bind(db, st, "i", id) != DB_OK)
		goto fail;
	while ((rc = db_step(db, st)) == DB_ROW) {
		struct doc_line *l;

		d->lines = xrealloc(d->lines, (d->nlines + 1) *
		    sizeof(*d->lines));
		l = &d->lines[d->nlines++];
		memset(l, 0, sizeof(*l));
		db_col_copy(st, 0, l->description, sizeof(l->description));
		l->period_start = db_col_int(st, 1);
		l->period_end = db_col_int(st, 2);
		l->quantity = db_col_int(st, 3);
		l->unit_price = db_col_int(st, 4);
		l->amount = db_col_int(st, 5);
		l->tax_rate_bp = (int32_t)db_col_int(st, 6);
		l->tax_amount = db_col_int(st, 7);
		l->subscription_id = db_col_int(st, 8);
	}
	db_reset(st);
	if (rc != DB_OK)
		goto fail;
	sum_taxes(d);

	st = db_stmt(db, STMT_RECEIPTS_BY_DOC);
	if (db_bind(db, st, "i", id) != DB_OK)
		goto fail;
	while ((rc = db_step(db, st)) == DB_ROW) {
		struct receipt *rr;

		d->receipts = xrealloc(d->receipts, (d->nreceipts + 1) *
		    sizeof(*d->receipts));
		rr = &d->receipts[d->nreceipts++];
		memset(rr, 0, sizeof(*rr));
		rr->id = db_col_int(st, 0);
		rr->paid_at = db_col_int(st, 1);
		rr->amount = db_col_int(st, 2);
		db_col_copy(st, 3, rr->method, sizeof(rr->method));
	}
	db_reset(st);
	if (rc != DB_OK)
		goto fail;
	*out = d;
	return INV_OK;
fail:
	invoice_free(d);
	return INV_DB;
}

/* invoice_get by the document's number. */
int
invoice_get_by_number(struct db *db, const char *number,
    struct document **out)
{
	int64_t		 id;
	int		 rc;

	*out = NULL;
	if ((rc = db_get_int(db, STMT_DOC_BY_NUMBER, &id, "t", number)) !=
	    DB_OK)
		return rc == DB_NOTFOUND ? INV_NOTFOUND : INV_DB;
	return invoice_get(db, id, out);
}

/* Free a document; NULL is ok. */
void
invoice_free(struct document *d)
{
	if (d == NULL)
		return;
	free(d->lines);
	free(d->receipts);
	free(d);
}

/*
 * org's documents issued in [from, to), newest first, at most limit,
 * after document before (0: from the newest), into out
 * (invoice_list_free, even on failure).  Keyset paging over the
 * (org_id, issued_at, id) index: no OFFSET scan.  Returns DB_OK or a
 * failure.
 */
int
invoice_list(struct db *db, int64_t org, int64_t from, int64_t to,
    int64_t before, size_t limit, struct doc_list *out)
{
	sqlite3_stmt		*st;
	struct doc_summary	*s;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (before > 0) {
		st = db_stmt(db, STMT_DOC_LIST_BEFORE);
		rc = db_bind(db, st, "iiiii", before, org, from, to,
		    (int64_t)limit);
	} else {
		st = db_stmt(db, STMT_DOC_LIST);
		rc = db_bind(db, st, "iiii", org, from, to, (int64_t)limit);
	}
	if (rc != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		s = &out->v[out->n++];
		memset(s, 0, sizeof(*s));
		s->id = db_col_int(st, 0);
		s->kind = strcmp((const char *)sqlite3_column_text(st, 1),
		    "invoice") == 0 ? DOC_INVOICE : DOC_CREDIT_NOTE;
		db_col_copy(st, 2, s->number, sizeof(s->number));
		s->issued_at = db_col_int(st, 3);
		s->period_start = db_col_int(st, 4);
		s->period_end = db_col_int(st, 5);
		db_col_copy(st, 6, s->currency, sizeof(s->currency));
		s->total = db_col_int(st, 7);
		s->status = status_of(s->kind == DOC_INVOICE, s->total,
		    db_col_int(st, 8), db_col_int(st, 9));
	}
	db_reset(st);
	return rc;
}

/* Free a document list's contents. */
void
invoice_list_free(struct doc_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* "Paid", "Open", "Credited", "Issued". */
const char *
invoice_status_word(enum doc_status s)
{
	switch (s) {
	case DOC_OPEN:
		return "Open";
	case DOC_PAID:
		return "Paid";
	case DOC_CREDITED:
		return "Credited";
	case DOC_ISSUED:
		return "Issued";
	}
	abort();
}

/* "Invoice" or "Credit note". */
const char *
invoice_kind_word(enum doc_kind k)
{
	return k == DOC_INVOICE ? "Invoice" : "Credit note";
}
