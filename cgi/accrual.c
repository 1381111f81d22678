/* accrual.c: amounts owed or given back but not invoiced yet, in the journal until an invoice bills them. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accrual.h"
#include "db.h"
#include "db_org.h"
#include "invoice.h"
#include "ledger.h"
#include "money.h"
#include "subscription.h"
#include "util.h"

#define DAY	86400

static struct db_sql q_insert = {
	.text = "INSERT INTO accrual (org_id, subscription_id, entry_id, product, "
	"period_start, period_end, period_days, quantity, unit_price, amount, "
	"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
};

static struct db_sql q_open_sum = {
	.text = "SELECT coalesce(sum(amount), 0) FROM accrual "
	"WHERE subscription_id = ? AND closed_at IS NULL"
};

/*
 * The open accruals of a subscription as invoice lines: grouped by
 * product, price, sign, the UTC day the service starts and its end, so
 * a subscription has at most a few lines per day of its period however
 * many changes it had.
 */
static struct db_sql q_groups = {
	.text = "SELECT product, unit_price, min(period_start), period_end, "
	"period_days, sum(quantity), sum(amount) FROM accrual "
	"WHERE subscription_id = ? AND closed_at IS NULL "
	"GROUP BY product, unit_price, amount > 0, period_start / 86400, "
	"period_end, period_days "
	"ORDER BY min(period_start), amount < 0, product"
};

static struct db_sql q_close = {
	.text = "UPDATE accrual SET document_id = nullif(?, 0), closed_at = ? "
	"WHERE subscription_id = ? AND closed_at IS NULL"
};

/* Whole days from the start of start's UTC day to end (rounded up). */
static int64_t
days_left(int64_t start, int64_t end)
{
	int64_t	 day0 = start - ((start % DAY) + DAY) % DAY;

	return (end - day0 + DAY - 1) / DAY;
}

/*
 * Accrue a change of subscription s at now inside the caller's write
 * transaction: parts (the sides of the change, signed amounts that sum
 * to its net, rounded once by money_prorate_change) for the service
 * from when the change takes effect (sub_effective) to the period's
 * end, and one journal entry under key, booked at now, for
 * the net: unbilled against revenue (a credit the other way round).
 * A net of zero posts nothing.  *entry (may be NULL) gets the entry, 0
 * if none.  A key posted before posts nothing again.  Returns DB_OK or
 * a failure.
 */
int
accrual_post(struct db *db, const struct subscription *s, const char *key,
    int64_t now, const struct accrual_part *parts, size_t n, int64_t *entry)
{
	struct ledger_line	 ll[2];
	struct ledger_entry	 e;
	sqlite3_stmt		*st;
	char			 memo[320], day[16];
	cents_t			 net = 0;
	int64_t			 eid = 0, days, from = sub_effective(s, now);
	size_t			 i;
	int			 rc;

	if (entry != NULL)
		*entry = 0;
	if (now >= s->period_end)
		return DB_ERROR;
	for (i = 0; i < n; i++)
		if (money_add(net, parts[i].amount, &net) != MONEY_OK)
			return DB_ERROR;
	if (net == 0)
		return DB_OK;
	util_time_fmt(from, "%Y-%m-%d", day, sizeof(day));
	snprintf(memo, sizeof(memo), "%.200s: change on %s, accrued until "
	    "the next invoice", s->product_name, day);
	ll[0] = (struct ledger_line){ ACC_UNBILLED, net };
	ll[1] = (struct ledger_line){ ACC_REVENUE, -net };
	e = (struct ledger_entry){ s->org_id, key, "accrual", memo, s->currency,
	    now, ll, 2 };
	switch (ledger_post(db, &e, &eid)) {
	case LEDGER_OK:
		break;
	case LEDGER_EDUPLICATE:
		return DB_OK;
	default:
		return DB_ERROR;
	}
	days = (s->period_end - s->period_start + DAY / 2) / DAY;
	for (i = 0; i < n; i++) {
		if (parts[i].amount == 0)
			continue;
		st = db_sql(db, &q_insert);
		if ((rc = db_bind(db, st, "iiitiiiiiii", s->org_id, s->id, eid,
		    parts[i].product, from, s->period_end, days < 1 ? 1 : days,
		    parts[i].quantity, (int64_t)parts[i].unit_price,
		    (int64_t)parts[i].amount, now)) != DB_OK ||
		    (rc = db_exec(db, st)) != DB_OK)
			return rc;
	}
	if (entry != NULL)
		*entry = eid;
	return DB_OK;
}

/* The sum of subscription sub's open accruals into *sum. */
int
accrual_open_sum(struct db *db, int64_t sub, cents_t *sum)
{
	int64_t	 v;
	int	 rc;

	rc = db_sql_int(db, &q_open_sum, &v, "i", sub);
	*sum = v;
	return rc == DB_NOTFOUND ? DB_OK : rc;
}

/*
 * Append subscription sub's open accruals to *lines (*n of them, grown
 * with xrealloc) as invoice lines, grouped (see q_groups), each saying
 * what it is: "Temperature sensor, 3 units, 2026-12-10 to 2026-12-31,
 * prorated 22/31 days", the unused time given back on a line of its
 * own.  *sum gets what they add up to.  Returns DB_OK or a failure.
 */
int
accrual_lines(struct db *db, int64_t sub, struct doc_line **lines, size_t *n,
    cents_t *sum)
{
	sqlite3_stmt	*st = db_sql(db, &q_groups);
	struct doc_line	*l;
	char		 from[16], to[16], product[256];
	int64_t		 qty, days;
	int		 rc;

	*sum = 0;
	if (db_bind(db, st, "i", sub) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		*lines = xrealloc(*lines, (*n + 1) * sizeof(**lines));
		l = &(*lines)[(*n)++];
		memset(l, 0, sizeof(*l));
		db_col_copy(st, 0, product, sizeof(product));
		l->unit_price = db_col_int(st, 1);
		l->period_start = db_col_int(st, 2);
		l->period_end = db_col_int(st, 3);
		days = db_col_int(st, 4);
		qty = db_col_int(st, 5);
		l->amount = db_col_int(st, 6);
		l->quantity = qty;
		l->subscription_id = sub;
		util_time_fmt(l->period_start, "%Y-%m-%d", from, sizeof(from));
		util_time_fmt(l->period_end - 1, "%Y-%m-%d", to, sizeof(to));
		snprintf(l->description, sizeof(l->description),
		    "%s%.120s, %lld unit%s, %s to %s, prorated %lld/%lld days",
		    l->amount < 0 ? "Unused time: " : "", product,
		    (long long)qty, qty == 1 ? "" : "s", from, to,
		    (long long)days_left(l->period_start, l->period_end),
		    (long long)days);
		if (money_add(*sum, l->amount, sum) != MONEY_OK) {
			rc = DB_ERROR;
			break;
		}
	}
	db_reset(st);
	return rc;
}

/*
 * Close subscription sub's open accruals at now: billed by document doc,
 * or (doc 0) netted to nothing.  Returns DB_OK or a failure.
 */
int
accrual_close(struct db *db, int64_t sub, int64_t doc, int64_t now)
{
	sqlite3_stmt	*st = db_sql(db, &q_close);

	if (db_bind(db, st, "iii", doc, now, sub) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/*
 * The invoices that billed subscription s's current period, newest
 * first, with what each billed for it net of VAT and less what credit
 * notes gave back of that, and the invoice's VAT rate and room left
 * (total less credited).
 */
static struct db_sql q_billed = {
	.text = "SELECT d.id, "
	"(SELECT coalesce(sum(l.amount), 0) FROM document_line l "
	"WHERE l.document_id = d.id AND l.subscription_id = ?1) + "
	"(SELECT coalesce(sum(cl.amount), 0) FROM document c "
	"JOIN document_line cl ON cl.document_id = c.id "
	"WHERE c.corrects_id = d.id AND cl.subscription_id = ?1), "
	"coalesce((SELECT tax_rate_bp FROM document_line l "
	"WHERE l.document_id = d.id ORDER BY position LIMIT 1), 0), "
	"d.total + (SELECT coalesce(sum(c.total), 0) FROM document c "
	"WHERE c.corrects_id = d.id) "
	"FROM document d WHERE d.kind = 'invoice' AND d.id IN "
	"(SELECT document_id FROM document_line WHERE subscription_id = ?1 "
	"AND period_end = ?2) ORDER BY d.id DESC LIMIT 4"
};

/* The largest net whose gross (net plus VAT at rate_bp) fits in room. */
static cents_t
net_within(cents_t net, cents_t room, int32_t rate_bp)
{
	cents_t	 n, tax;

	if (room <= 0 || net <= 0)
		return 0;
	n = (cents_t)((__int128)room * 10000 / (10000 + rate_bp));
	if (n > net)
		n = net;
	while (n > 0 && (invoice_line_tax(n, rate_bp, &tax) != MONEY_OK ||
	    n + tax > room))
		n--;
	return n;
}

/*
 * How a credit of net (positive, net of VAT) on subscription s would be
 * given back now, into *g (see struct giveback): what the preview shows
 * is what accrual_giveback books.  Returns DB_OK or a failure.
 */
int
accrual_giveback_plan(struct db *db, const struct subscription *s,
    cents_t net, struct giveback *g)
{
	sqlite3_stmt	*st;
	cents_t		 open, left, billed, room, n, tax;
	int32_t		 rate;
	int		 rc;

	memset(g, 0, sizeof(*g));
	g->asked = net;
	if (net <= 0)
		return DB_OK;
	if ((rc = accrual_open_sum(db, s->id, &open)) != DB_OK)
		return rc;
	g->netted = open <= 0 ? 0 : open < net ? open : net;
	left = net - g->netted;
	st = db_sql(db, &q_billed);
	if (left > 0 && db_bind(db, st, "ii", s->id, s->period_end) != DB_OK)
		return DB_ERROR;
	while (left > 0 && (rc = db_step(db, st)) == DB_ROW) {
		billed = db_col_int(st, 1);
		rate = (int32_t)db_col_int(st, 2);
		room = db_col_int(st, 3);
		if ((n = net_within(left < billed ? left : billed, room,
		    rate)) <= 0)
			continue;
		if (invoice_line_tax(n, rate, &tax) != MONEY_OK) {
			rc = DB_ERROR;
			break;
		}
		g->doc[g->ndocs] = db_col_int(st, 0);
		g->doc_net[g->ndocs++] = n;
		g->noted += n;
		g->noted_tax += tax;
		left -= n;
		rc = DB_OK;
	}
	db_reset(st);
	if (rc != DB_OK && rc != DB_ROW)
		return rc;
	g->unbacked = left;
	return DB_OK;
}

/*
 * Give back unused time of subscription s at now inside the caller's
 * write transaction: part (a negative amount: the credit, net of VAT,
 * as one accrual_part would say it) against s's open accruals, the rest
 * on credit notes (see accrual_giveback_plan), all under key.  *g gets
 * what was booked, *doc the first credit note (0 if none).  Returns
 * DB_OK or a failure.
 */
int
accrual_giveback(struct db *db, const struct subscription *s, const char *key,
    int64_t now, const struct accrual_part *part, struct giveback *g,
    int64_t *doc)
{
	struct accrual_part	 p = *part;
	struct doc_line		 l;
	char			 k[200], from[16], to[16];
	int64_t			 id, start = sub_effective(s, now);
	size_t			 i;
	int			 rc;

	*doc = 0;
	if (part->amount >= 0 || part->amount == INT64_MIN)
		return DB_ERROR;
	if ((rc = accrual_giveback_plan(db, s, -part->amount, g)) != DB_OK)
		return rc;
	if (g->netted > 0) {
		p.amount = -g->netted;
		snprintf(k, sizeof(k), "%s:accrued", key);
		if ((rc = accrual_post(db, s, k, now, &p, 1, NULL)) != DB_OK)
			return rc;
	}
	memset(&l, 0, sizeof(l));
	util_time_fmt(start, "%Y-%m-%d", from, sizeof(from));
	util_time_fmt(s->period_end - 1, "%Y-%m-%d", to, sizeof(to));
	snprintf(l.description, sizeof(l.description), "Unused time: %.120s, "
	    "%lld unit%s, %s to %s, prorated %lld/%lld days", part->product,
	    (long long)part->quantity, part->quantity == 1 ? "" : "s", from,
	    to, (long long)days_left(start, s->period_end),
	    (long long)((s->period_end - s->period_start + DAY / 2) / DAY));
	l.period_start = start;
	l.period_end = s->period_end;
	l.quantity = part->quantity;
	l.unit_price = part->unit_price;
	l.subscription_id = s->id;
	for (i = 0; i < g->ndocs; i++) {
		l.amount = g->doc_net[i];
		snprintf(k, sizeof(k), "%s:note:%zu", key, i);
		rc = invoice_credit_lines(db, g->doc[i], &l, 1, now, k, 0, &id);
		if (rc != INV_OK && rc != INV_DUPLICATE)
			return DB_ERROR;
		if (*doc == 0)
			*doc = id;
	}
	return DB_OK;
}
