/* plan.c: quote and apply plan changes, prorated by the second, one rounding per line. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "accrual.h"
#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "invoice.h"
#include "ledger.h"
#include "money.h"
#include "plan.h"
#include "renewal.h"
#include "subscription.h"
#include "util.h"

static int
plan_get(struct db *db, int64_t id, struct plan_side *p, int64_t *product,
    char *cur, char *kind, size_t kindsz)
{
	sqlite3_stmt		*st = db_stmt(db, STMT_PLAN_GET);
	const unsigned char	*t;
	int			 rc;

	if (db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		p->plan_id = db_col_int(st, 0);
		*product = db_col_int(st, 1);
		t = sqlite3_column_text(st, 2);
		p->annual = t != NULL && strcmp((const char *)t, "annual") == 0;
		t = sqlite3_column_text(st, 3);
		snprintf(cur, 4, "%s", t ? (const char *)t : "");
		p->unit_price = db_col_int(st, 4);
		t = sqlite3_column_text(st, 5);
		snprintf(p->product, sizeof(p->product), "%s",
		    t ? (const char *)t : "");
		t = sqlite3_column_text(st, 6);
		snprintf(kind, kindsz, "%s", t ? (const char *)t : "");
	}
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

/*
 * Quote changing subscription sub of org to plan (possibly the same)
 * and quantity at as_of, taking effect then or, if the period is still
 * to begin, when it begins (sub_effective).  Within the same period
 * length: the unused time of the current plan is credited (unit ×
 * quantity × remaining / period) and the remaining time on the new one
 * charged the same way, each rounded half-up once; the difference goes
 * on the next invoice (monthly), is invoiced at once (annual), or
 * becomes customer credit.  Monthly ↔ annual: the unused time is
 * credited and a new period of the new plan starts when the change
 * takes effect, invoiced at once.  Plans may change only to the same
 * product or between per-user products, in the same currency.  Returns
 * PLAN_OK, PLAN_NOTFOUND, PLAN_EINVAL or PLAN_DB.
 */
int
plan_quote(struct db *db, int64_t org, int64_t sub, int64_t plan,
    int64_t quantity, int64_t as_of, struct plan_quote *q)
{
	struct subscription	 s;
	struct plan_side	 to;
	char			 cur[4], kind[16], kind0[16];
	int64_t			 product, product0;
	int			 rc, ret = PLAN_DB;

	memset(q, 0, sizeof(*q));
	if ((rc = db_sub_get(db, sub, &s)) != DB_OK)
		return rc == DB_NOTFOUND ? PLAN_NOTFOUND : PLAN_DB;
	if (s.org_id != org || s.expired) {
		ret = PLAN_NOTFOUND;
		goto out;
	}
	memset(&to, 0, sizeof(to));
	if ((rc = plan_get(db, s.plan_id, &q->from, &product0, cur, kind0,
	    sizeof(kind0))) != DB_OK)
		goto out;
	if ((rc = plan_get(db, plan, &to, &product, cur, kind,
	    sizeof(kind))) != DB_OK) {
		ret = rc == DB_NOTFOUND ? PLAN_NOTFOUND : PLAN_DB;
		goto out;
	}
	ret = PLAN_EINVAL;
	if (quantity < 1 || quantity > 100000 || strcmp(cur, s.currency) ||
	    (product != product0 && (strcmp(kind, "seat") ||
	    strcmp(kind0, "seat"))) ||
	    (plan == s.plan_id && quantity == s.quantity) ||
	    as_of >= s.period_end)
		goto out;
	q->sub_id = sub;
	q->as_of = as_of;
	q->effective = sub_effective(&s, as_of);
	snprintf(q->currency, sizeof(q->currency), "%s", cur);
	q->from.quantity = s.quantity;
	q->to = to;
	q->to.quantity = quantity;
	q->period_start = s.period_start;
	q->period_end = s.period_end;
	q->period = s.period_end - s.period_start;
	q->remaining = s.period_end - q->effective;
	q->new_period = to.annual != q->from.annual;
	ret = PLAN_DB;
	if (money_prorate_line(q->from.unit_price, q->from.quantity,
	    q->remaining, q->period, &q->unused) != MONEY_OK)
		goto out;
	if (q->new_period) {
		q->new_end = util_month_add(q->effective, to.annual ? 12 : 1);
		if (money_mul(to.unit_price, quantity, &q->charge) != MONEY_OK)
			goto out;
		if (money_sub(q->charge, q->unused, &q->net) != MONEY_OK)
			goto out;
	} else {
		/* The net is rounded once; the unused time shown is what
		 * the charge line leaves of it. */
		if (money_prorate_change(q->from.unit_price, q->from.quantity,
		    to.unit_price, quantity, q->remaining, q->period,
		    &q->net) != MONEY_OK ||
		    money_prorate_line(to.unit_price, quantity, q->remaining,
		    q->period, &q->charge) != MONEY_OK ||
		    money_sub(q->charge, q->net, &q->unused) != MONEY_OK)
			goto out;
	}
	if (q->new_period)
		q->billing = PLAN_INVOICE_NOW;
	else if (q->net > 0)
		q->billing = to.annual ? PLAN_INVOICE_NOW : PLAN_NEXT_INVOICE;
	else
		q->billing = q->net < 0 ? PLAN_CREDIT : PLAN_NOTHING;
	q->version = s.version;
	/* What the customer is shown is what is booked: the same calls. */
	if (invoice_org_tax(db, org, &q->tax_rate_bp, &q->reverse_charge) !=
	    DB_OK)
		goto out;
	q->due_net = q->new_period ? q->charge : q->net > 0 ? q->net : 0;
	if (q->billing == PLAN_NEXT_INVOICE) {
		/* Accrued as two lines (the new time, the unused old time):
		 * the next invoice taxes each. */
		cents_t	 t1, t2;

		if (invoice_line_tax(q->charge, q->tax_rate_bp, &t1) !=
		    MONEY_OK || invoice_line_tax(-q->unused, q->tax_rate_bp,
		    &t2) != MONEY_OK)
			goto out;
		q->due_tax = t1 + t2;
	} else if (invoice_line_tax(q->due_net, q->tax_rate_bp,
	    &q->due_tax) != MONEY_OK)
		goto out;
	if (accrual_giveback_plan(db, &s, q->new_period ?
	    q->unused : q->net < 0 ? -q->net : 0, &q->gb) != DB_OK)
		goto out;
	ret = PLAN_OK;
out:
	db_sub_clear(&s);
	return ret;
}

/*
 * Apply quote q (from plan_quote at q->as_of) to org inside the
 * caller's write transaction, at the quoted amounts: the subscription
 * takes the new plan and quantity (and, for a new period length, a new
 * period from q->effective); the amounts are billed as quoted; audited.  key
 * makes the money idempotent.  *doc and *charge get an invoice issued
 * at once and what it leaves to charge (the caller attempts it after
 * committing), 0 if none.  Returns PLAN_OK, PLAN_CHANGED if the
 * subscription changed since the quote, or PLAN_DB.
 */
int
plan_apply(struct db *db, int64_t org, const struct actor *a,
    const struct plan_quote *q, const char *key, int64_t *doc,
    int64_t *charge)
{
	struct subscription	 s;
	struct doc_line		 l;
	struct invoice_req	 r;
	sqlite3_stmt		*st;
	char			 ckey[160], old[400], new[400], day[16];
	int64_t			 start, end, anchor;
	int			 rc, ret = PLAN_DB;

	*doc = *charge = 0;
	if ((rc = db_sub_get(db, q->sub_id, &s)) != DB_OK)
		return rc == DB_NOTFOUND ? PLAN_CHANGED : PLAN_DB;
	if (s.org_id != org || s.expired || s.version != q->version ||
	    s.plan_id != q->from.plan_id || s.quantity != q->from.quantity ||
	    s.period_start != q->period_start ||
	    s.period_end != q->period_end) {
		ret = PLAN_CHANGED;
		goto out;
	}
	/* Unused time given back first, while s is the period it was. */
	if (q->new_period ? q->unused > 0 : q->net < 0) {
		struct accrual_part	 part = { q->from.product,
		    q->new_period || q->from.plan_id != q->to.plan_id ?
		    q->from.quantity : q->from.quantity - q->to.quantity,
		    q->from.unit_price, q->new_period ? -q->unused : q->net };
		struct giveback		 gb;
		int64_t			 note;

		snprintf(ckey, sizeof(ckey), "%s:unused", key);
		if (accrual_giveback(db, &s, ckey, q->as_of, &part, &gb,
		    &note) != DB_OK)
			goto out;
		if (gb.netted != q->gb.netted || gb.noted != q->gb.noted) {
			ret = PLAN_CHANGED;
			goto out;
		}
	}
	start = q->new_period ? q->effective : s.period_start;
	end = q->new_period ? q->new_end : s.period_end;
	anchor = q->new_period ? q->effective : s.anchor;
	st = db_stmt(db, STMT_SUB_CHANGE_PLAN);
	if (db_bind(db, st, "iiiiii", q->to.plan_id, q->to.quantity, start,
	    end, anchor, s.id) != DB_OK || db_exec(db, st) != DB_OK)
		goto out;

	util_time_fmt(q->effective, "%Y-%m-%d", day, sizeof(day));
	memset(&l, 0, sizeof(l));
	l.quantity = 1;
	l.subscription_id = s.id;
	if (q->new_period) {
		snprintf(l.description, sizeof(l.description), "%.120s, %s, "
		    "from %s", q->to.product, q->to.annual ? "annual" : "monthly",
		    day);
		l.quantity = q->to.quantity;
		l.unit_price = q->to.unit_price;
		l.amount = q->charge;
		l.period_start = start;
		l.period_end = end;
	} else {
		snprintf(l.description, sizeof(l.description), "Plan change on "
		    "%s: %lld × %.60s for the rest of the period, less the "
		    "unused time of %lld × %.60s", day, (long long)q->to.quantity,
		    q->to.product, (long long)q->from.quantity, q->from.product);
		l.unit_price = q->net;
		l.amount = q->net;
		l.period_start = q->effective;
		l.period_end = s.period_end;
	}
	switch (q->billing) {
	case PLAN_INVOICE_NOW:
		if (l.amount <= 0)
			break;
		r = (struct invoice_req){ org, key, q->as_of, &l, 1, 0, 0 };
		rc = invoice_issue(db, &r, doc);
		if (rc == INV_OK)
			rc = renewal_settle(db, *doc, q->as_of, key, org, charge);
		else if (rc == INV_DUPLICATE)
			rc = DB_OK;
		else
			rc = DB_ERROR;
		if (rc != DB_OK)
			goto out;
		break;
	case PLAN_NEXT_INVOICE: {
		struct accrual_part	 parts[2] = {
		    { q->to.product, q->to.quantity, q->to.unit_price,
		    q->charge },
		    { q->from.product, q->from.quantity, q->from.unit_price,
		    -q->unused } };

		if (accrual_post(db, &s, key, q->as_of, parts, 2, NULL) !=
		    DB_OK)
			goto out;
		break;
	}
	case PLAN_CREDIT:	/* given back above */
	case PLAN_NOTHING:
		break;
	}
	snprintf(old, sizeof(old), "%lld × %s, %s", (long long)q->from.quantity,
	    q->from.product, q->from.annual ? "annual" : "monthly");
	snprintf(new, sizeof(new), "%lld × %s, %s", (long long)q->to.quantity,
	    q->to.product, q->to.annual ? "annual" : "monthly");
	if (audit_add(db, org, a, "Plan changed", old, new, NULL) != DB_OK)
		goto out;
	ret = PLAN_OK;
out:
	db_sub_clear(&s);
	return ret;
}
