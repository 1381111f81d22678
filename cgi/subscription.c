/* subscription.c: cancel and resume renewal, reactivate an expired subscription; each audited. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "invoice.h"
#include "money.h"
#include "renewal.h"
#include "subscription.h"
#include "util.h"

/*
 * When a change to subscription s made at now takes effect: now, or the
 * start of its current period if that is still to come (a renewal run
 * ahead of time billed it already), so that no change is ever prorated
 * over more than one period.
 */
int64_t
sub_effective(const struct subscription *s, int64_t now)
{
	return now < s->period_start ? s->period_start : now;
}

/*
 * The first period of expired subscription s reactivated at now into
 * *start and *end: from now, or from the end of its last period if a
 * renewal run ahead of time expired it before then, for one period of
 * its plan.
 */
void
sub_reactivated_period(const struct subscription *s, int64_t now,
    int64_t *start, int64_t *end)
{
	*start = now < s->period_end ? s->period_end : now;
	*end = util_month_add(*start, s->annual ? 12 : 1);
}

/*
 * When a cancellation made now takes effect for a subscription whose
 * period ends at period_end with a contract ending at contract_end (0:
 * none): the period's end, or the contract's end if that is later.
 */
int
sub_cancel_date(int64_t period_end, int64_t contract_end, int64_t *out)
{
	*out = contract_end > period_end ? contract_end : period_end;
	return 0;
}

static int
load(struct db *db, int64_t org, int64_t id, struct subscription *s)
{
	int	 rc;

	if ((rc = db_sub_get(db, id, s)) == DB_NOTFOUND)
		return SUB_NOTFOUND;
	if (rc != DB_OK)
		return SUB_DB;
	if (s->org_id != org) {
		db_sub_clear(s);
		return SUB_NOTFOUND;
	}
	return SUB_OK;
}

/*
 * Cancel the automatic renewal of subscription id of org, inside the
 * caller's write transaction: the service runs to the end of the period
 * (of the contract, for a contract subscription), then it expires and
 * its sensors are removed.  *ends gets that date.  Returns SUB_OK,
 * SUB_NOTFOUND, SUB_STATE (expired, or cancelled already) or SUB_DB.
 */
int
sub_cancel(struct db *db, int64_t org, const struct actor *a, int64_t id,
    int64_t *ends)
{
	struct subscription	 s;
	sqlite3_stmt		*st;
	char			 d[16], what[300];
	int			 rc;

	if ((rc = load(db, org, id, &s)) != SUB_OK)
		return rc;
	rc = SUB_STATE;
	if (s.expired || s.cancel_at != 0)
		goto out;
	sub_cancel_date(s.period_end, s.contract_end, ends);
	st = db_stmt(db, STMT_SUB_CANCEL);
	rc = SUB_DB;
	if (db_bind(db, st, "iii", *ends, id, org) != DB_OK ||
	    db_exec(db, st) != DB_OK)
		goto out;
	util_time_fmt(*ends, "%Y-%m-%d", d, sizeof(d));
	snprintf(what, sizeof(what), "%s: ends on %s", s.product_name, d);
	if (audit_add(db, org, a, "Renewal cancelled", "Renews "
	    "automatically", what, NULL) != DB_OK)
		goto out;
	rc = SUB_OK;
out:
	db_sub_clear(&s);
	return rc;
}

/*
 * Take back the scheduled cancellation of subscription id of org, while
 * it has not taken effect, inside the caller's write transaction.
 * Returns SUB_OK, SUB_NOTFOUND, SUB_STATE (not cancelled, or past its
 * end) or SUB_DB.
 */
int
sub_resume(struct db *db, int64_t org, const struct actor *a, int64_t id)
{
	struct subscription	 s;
	sqlite3_stmt		*st;
	char			 d[16], what[300], old[300];
	int			 rc;

	if ((rc = load(db, org, id, &s)) != SUB_OK)
		return rc;
	rc = SUB_STATE;
	if (s.expired || s.cancel_at == 0 || s.cancel_at <= a->now)
		goto out;
	st = db_stmt(db, STMT_SUB_RESUME);
	rc = SUB_DB;
	if (db_bind(db, st, "ii", id, org) != DB_OK ||
	    db_exec(db, st) != DB_OK)
		goto out;
	util_time_fmt(s.cancel_at, "%Y-%m-%d", d, sizeof(d));
	snprintf(old, sizeof(old), "%s: ends on %s", s.product_name, d);
	snprintf(what, sizeof(what), "%s: renews automatically",
	    s.product_name);
	if (audit_add(db, org, a, "Cancellation taken back", old, what,
	    NULL) != DB_OK)
		goto out;
	rc = SUB_OK;
out:
	db_sub_clear(&s);
	return rc;
}

/*
 * Reactivate expired subscription id of org at a->now, inside the
 * caller's write transaction: a new subscription of the same plan and
 * quantity for the period sub_reactivated_period says, invoiced at
 * once (customer credit first, the rest as a pending charge for the
 * caller to attempt after committing).  key makes it idempotent.
 * *sub, *doc and *charge get the new subscription, its invoice and the
 * charge (0 if none).
 * Returns SUB_OK, SUB_NOTFOUND, SUB_STATE (not expired, or reactivated
 * already) or SUB_DB.
 */
int
sub_reactivate(struct db *db, int64_t org, const struct actor *a,
    int64_t id, const char *key, int64_t *sub, int64_t *doc,
    int64_t *charge)
{
	struct subscription	 s;
	struct doc_line		 l;
	struct invoice_req	 r;
	sqlite3_stmt		*st;
	int64_t			 start, end;
	char			 what[300], day[16];
	int			 rc;

	*sub = *doc = *charge = 0;
	if ((rc = load(db, org, id, &s)) != SUB_OK)
		return rc;
	rc = SUB_STATE;
	if (!s.expired || s.replaced_by != 0)
		goto out;
	rc = SUB_DB;
	sub_reactivated_period(&s, a->now, &start, &end);
	if (db_sub_insert(db, org, s.plan_id, s.quantity, start, end, 0,
	    sub) != DB_OK)
		goto out;
	st = db_stmt(db, STMT_SUB_REPLACED);
	if (db_bind(db, st, "ii", *sub, id) != DB_OK ||
	    db_exec(db, st) != DB_OK || sqlite3_changes(db->h) != 1)
		goto out;
	memset(&l, 0, sizeof(l));
	snprintf(l.description, sizeof(l.description), "%s, %s",
	    s.product_name, s.annual ? "annual" : "monthly");
	l.period_start = start;
	l.period_end = end;
	l.quantity = s.quantity;
	l.unit_price = s.unit_price;
	if (money_mul(s.unit_price, s.quantity, &l.amount) != MONEY_OK)
		goto out;
	if (l.amount > 0) {
		r = (struct invoice_req){ org, key, a->now, &l, 1, 0, 0 };
		if (invoice_issue(db, &r, doc) != INV_OK ||
		    renewal_settle(db, *doc, a->now, key, org, charge) != DB_OK)
			goto out;
	}
	util_time_fmt(start, "%Y-%m-%d", day, sizeof(day));
	snprintf(what, sizeof(what), "%lld × %s, a new period from %s",
	    (long long)s.quantity, s.product_name, day);
	if (audit_add(db, org, a, "Subscription reactivated", "Expired", what,
	    NULL) != DB_OK)
		goto out;
	rc = SUB_OK;
out:
	db_sub_clear(&s);
	return rc;
}
