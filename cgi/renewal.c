/* renewal.c: renew or expire subscriptions at their period end, invoice, apply credit, charge with retries. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accrual.h"
#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "details.h"
#include "gateway.h"
#include "invoice.h"
#include "log.h"
#include "ledger.h"
#include "money.h"
#include "outbox.h"
#include "payment.h"
#include "renewal.h"
#include "util.h"

/* Subscriptions renewed per write transaction: one fsync for many. */
#define RENEW_BATCH	256

static const int retry_days[] = RENEWAL_RETRY_DAYS;
#define MAX_ATTEMPTS	((int64_t)(sizeof(retry_days) / sizeof(retry_days[0]) + 1))

/*
 * The end of the period that follows one ending at end, for a
 * subscription anchored at anchor (months are counted from the anchor,
 * so Jan 31st is followed by Feb 28th and then Mar 31st).  annual: 12
 * months, else 1.  Returns 0, or -1 if end is not after the anchor.
 */
int
renewal_next_end(int64_t anchor, int annual, int64_t end, int64_t *next)
{
	int	 step = annual ? 12 : 1, i;

	if (end <= anchor)
		return -1;
	for (i = 1; i < 12 * 1000; i++)
		if ((*next = util_month_add(anchor, i * step)) > end)
			return 0;
	return -1;
}

/* renewal_settle for the loaded invoice inv (what it was when loaded). */
static int
settle(struct db *db, const struct document *inv, int64_t now,
    const char *key, int64_t org, int64_t *charge)
{
	sqlite3_stmt	*st;
	char		 ckey[160];
	cents_t		 credit, use, due;
	int64_t		 rid;
	int		 rc;

	*charge = 0;
	due = inv->total - inv->paid;
	if (ledger_credit_available(db, org, inv->currency, &credit) !=
	    LEDGER_OK)
		return DB_ERROR;
	if ((use = credit < due ? credit : due) > 0) {
		snprintf(ckey, sizeof(ckey), "%s:credit", key);
		rc = invoice_pay(db, inv->id, now, use, NULL, ckey, &rid);
		if (rc != INV_OK && rc != INV_DUPLICATE)
			return DB_ERROR;
		due -= use;
	}
	if (due > 0) {
		snprintf(ckey, sizeof(ckey), "%s:charge", key);
		st = db_stmt(db, STMT_CHARGE_INSERT);
		if ((rc = db_bind(db, st, "iititii", org, inv->id, ckey,
		    (int64_t)due, inv->currency, now, now)) != DB_OK ||
		    (rc = db_exec(db, st)) != DB_OK)
			return rc;
		*charge = sqlite3_last_insert_rowid(db->h);
	}
	return DB_OK;
}

/*
 * Settle invoice doc of org issued at now, inside the caller's write
 * transaction: customer credit first (never more than is due), then a
 * pending charge for the rest under key (the charge's idempotency key
 * for the processor too).  *charge is that charge, 0 if none.  Returns
 * DB_OK or a failure.
 */
int
renewal_settle(struct db *db, int64_t doc, int64_t now, const char *key,
    int64_t org, int64_t *charge)
{
	struct document	*inv = NULL;
	int		 rc;

	*charge = 0;
	if (invoice_get(db, doc, &inv) != INV_OK)
		return DB_ERROR;
	rc = settle(db, inv, now, key, org, charge);
	invoice_free(inv);
	return rc;
}

/* End a cancelled subscription: expire it, disable and remove its sensors. */
static int
expire(struct db *db, const struct subscription *s, int64_t now)
{
	struct actor	 a = { 0, "reckonctl renew", "", now };
	sqlite3_stmt	*st;
	char		 what[300], d[16];
	int64_t		 others = 0;
	int		 rc;

	st = db_stmt(db, STMT_SUB_EXPIRE);
	if ((rc = db_bind(db, st, "i", s->id)) != DB_OK ||
	    (rc = db_exec(db, st)) != DB_OK)
		return rc;
	if ((rc = db_get_int(db, STMT_SUB_OTHERS_OF_PRODUCT, &others, "iii",
	    s->org_id, s->product_id, s->id)) != DB_OK)
		return rc;
	if (others == 0) {
		st = db_stmt(db, STMT_SENSOR_REMOVE_PRODUCT);
		if ((rc = db_bind(db, st, "itii", s->period_end,
		    "subscription expired", s->org_id, s->product_id)) !=
		    DB_OK || (rc = db_exec(db, st)) != DB_OK)
			return rc;
	}
	util_time_fmt(s->period_end, "%Y-%m-%d", d, sizeof(d));
	snprintf(what, sizeof(what), "%lld × %s, ended %s%s",
	    (long long)s->quantity, s->product_name, d, others == 0 ?
	    "; its sensors were disabled and removed" : "");
	return audit_add(db, s->org_id, &a, "Subscription expired",
	    "Active", what, NULL);
}

static struct db_sql q_org_next_end = {
	.text = "SELECT min(period_end) FROM subscription "
	"WHERE org_id = ? AND status = 'active' AND period_end <= ?"
};

static struct db_sql q_org_due_at = {
	.text = "SELECT id FROM subscription WHERE org_id = ? AND status = 'active' "
	"AND period_end = ? ORDER BY id"
};

static struct db_sql q_due_orgs = {
	.text = "SELECT DISTINCT org_id FROM subscription WHERE status = 'active' "
	"AND period_end <= ? AND org_id > ? ORDER BY org_id LIMIT ?"
};

static struct db_sql q_failure_insert = {
	.text = "INSERT INTO renewal_failure (org_id, period_end, failed_at, error) "
	"VALUES (?, ?, ?, ?)"
};

/* Whether s ends at its period end instead of renewing. */
static int
ends(const struct subscription *s)
{
	return s->cancel_at != 0 && s->cancel_at <= s->period_end;
}

/*
 * The invoice org's renewal at end would issue, into *d
 * (renewal_draft_free, even on failure): the subscriptions of org whose
 * period ends at end; a line per renewing one for its next period and
 * every one's open accruals (an ending one's on its final invoice),
 * grouped; their net, the part of it accrued before (unbilled), and
 * the VAT per line as invoice_issue computes it.  The overview shows
 * this very draft, so what it says is what the renewal invoices.
 * Returns DB_OK or a failure.
 */
int
renewal_draft(struct db *db, int64_t org, int64_t end, struct renewal_draft *d)
{
	struct doc_line		*l;
	sqlite3_stmt		*st;
	cents_t			 acc, tax;
	int64_t			 id;
	size_t			 i;
	int			 rc;

	memset(d, 0, sizeof(*d));
	st = db_sql(db, &q_org_due_at);
	if ((rc = db_bind(db, st, "ii", org, end)) != DB_OK)
		return rc;
	while ((rc = db_step(db, st)) == DB_ROW) {
		id = db_col_int(st, 0);
		d->subs = xrealloc(d->subs, (d->ns + 1) * sizeof(*d->subs));
		memset(&d->subs[d->ns], 0, sizeof(d->subs[d->ns]));
		d->subs[d->ns++].id = id;
	}
	db_reset(st);
	if (rc != DB_OK || d->ns == 0)
		return rc;
	d->next = xcalloc(d->ns, sizeof(*d->next));
	for (i = 0; i < d->ns; i++) {
		struct subscription *s = &d->subs[i];

		id = s->id;
		if ((rc = db_sub_get(db, id, s)) != DB_OK)
			return rc;
		if (!ends(s) && renewal_next_end(s->anchor, s->annual,
		    s->period_end, &d->next[i]) == -1)
			return DB_ERROR;
		if (!ends(s) && s->quantity > 0) {
			d->lines = xrealloc(d->lines, (d->n + 1) *
			    sizeof(*d->lines));
			l = &d->lines[d->n++];
			memset(l, 0, sizeof(*l));
			snprintf(l->description, sizeof(l->description),
			    "%s, %s", s->product_name, s->annual ? "annual" :
			    "monthly");
			l->period_start = s->period_end;
			l->period_end = d->next[i];
			l->quantity = s->quantity;
			l->unit_price = s->unit_price;
			l->subscription_id = s->id;
			if (money_mul(s->unit_price, s->quantity, &l->amount) !=
			    MONEY_OK || money_add(d->net, l->amount, &d->net) !=
			    MONEY_OK)
				return DB_ERROR;
		}
		if ((rc = accrual_lines(db, s->id, &d->lines, &d->n, &acc)) !=
		    DB_OK)
			return rc;
		if (money_add(d->unbilled, acc, &d->unbilled) != MONEY_OK ||
		    money_add(d->net, acc, &d->net) != MONEY_OK)
			return DB_ERROR;
	}
	if ((rc = invoice_org_tax(db, org, &d->tax_rate_bp,
	    &d->reverse_charge)) != DB_OK)
		return rc;
	for (i = 0; i < d->n; i++)
		if (invoice_line_tax(d->lines[i].amount, d->tax_rate_bp, &tax) !=
		    MONEY_OK || money_add(d->tax, tax, &d->tax) != MONEY_OK)
			return DB_ERROR;
	return DB_OK;
}

/* Free a draft's contents. */
void
renewal_draft_free(struct renewal_draft *d)
{
	size_t	 i;

	for (i = 0; i < d->ns; i++)
		db_sub_clear(&d->subs[i]);
	free(d->subs);
	free(d->next);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}

/*
 * Renew or end every subscription of org whose period ends at end, on
 * one invoice (renewal_draft).  Accruals that net to nothing close
 * without a document.  Then customer credit first and a pending charge
 * for the rest (*charge, 0 if none).  The key "renew:ORG:END:FIRST"
 * makes a rerun after a crash issue nothing twice.
 */
static int
renew_date(struct db *db, int64_t org, int64_t end, int64_t now,
    struct renewal_stats *stats, int64_t *charge)
{
	struct renewal_draft	 d;
	struct document		*inv = NULL;
	struct invoice_req	 r;
	sqlite3_stmt		*st;
	char			 key[96];
	int64_t			 doc = 0;
	size_t			 i;
	int			 rc, irc;

	*charge = 0;
	if ((rc = renewal_draft(db, org, end, &d)) != DB_OK || d.ns == 0)
		goto out;
	snprintf(key, sizeof(key), "renew:%lld:%lld:%lld", (long long)org,
	    (long long)end, (long long)d.subs[0].id);
	if (d.net > 0) {
		r = (struct invoice_req){ org, key, end, d.lines, d.n,
		    d.unbilled, 0 };
		irc = invoice_issue(db, &r, &doc);
		if (irc != INV_OK && irc != INV_DUPLICATE) {
			rc = irc == INV_DB ? DB_ERROR : DB_CONFLICT;
			goto out;
		}
		if (irc == INV_OK && (invoice_get(db, doc, &inv) != INV_OK ||
		    settle(db, inv, end, key, org, charge) != DB_OK)) {
			rc = DB_ERROR;
			goto out;
		}
	} else if (d.net < 0 || d.unbilled != 0) {
		rc = DB_CONFLICT;	/* more given back than owed */
		goto out;
	}
	for (i = 0; i < d.ns; i++) {
		if ((rc = accrual_close(db, d.subs[i].id, doc, now)) != DB_OK)
			goto out;
		if (ends(&d.subs[i])) {
			rc = expire(db, &d.subs[i], now);
			stats->expired++;
		} else {
			st = db_stmt(db, STMT_SUB_ADVANCE);
			if ((rc = db_bind(db, st, "iiii", d.subs[i].period_end,
			    d.next[i], d.subs[i].id, d.subs[i].period_end)) ==
			    DB_OK)
				rc = db_exec(db, st);
			stats->renewed++;
		}
		if (rc != DB_OK)
			goto out;
	}
	rc = DB_OK;
out:
	renewal_draft_free(&d);
	invoice_free(inv);
	return rc;
}

/*
 * Renew org up to now, one renewal date at a time (a subscription
 * behind by several periods catches up).  Charges it leaves go to
 * charges (grown with xrealloc).
 */
static int
renew_org(struct db *db, int64_t org, int64_t now, struct renewal_stats *stats,
    int64_t **charges, size_t *nc)
{
	int64_t		 end, charge, guard;
	int		 rc;

	for (guard = 0; guard < 12 * 1000; guard++) {
		if ((rc = db_sql_int(db, &q_org_next_end, &end, "ii", org,
		    now)) != DB_OK && rc != DB_NOTFOUND)
			return rc;
		if (end == 0)
			return DB_OK;
		if ((rc = renew_date(db, org, end, now, stats, &charge)) !=
		    DB_OK)
			return rc;
		if (charge != 0) {
			*charges = xrealloc(*charges, (*nc + 1) *
			    sizeof(**charges));
			(*charges)[(*nc)++] = charge;
		}
	}
	return DB_ERROR;
}

/* Record that org's renewal failed with rc, for reckonctl to report. */
static int
record_failure(struct db *db, int64_t org, int64_t now, int rc)
{
	sqlite3_stmt	*st;
	int64_t		 end;
	int		 r;

	if ((r = db_sql_int(db, &q_org_next_end, &end, "ii", org, now)) !=
	    DB_OK && r != DB_NOTFOUND)
		return r;
	st = db_sql(db, &q_failure_insert);
	if (db_bind(db, st, "iiit", org, end, now, rc == DB_CONFLICT ?
	    "the renewal invoice could not be issued (too many lines, or "
	    "more given back than owed)" : db_rc_str(rc)) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/* One charge attempt: what it needs, then what the processor said. */
struct attempt {
	int64_t			 id;
	int64_t			 org;
	int64_t			 doc;
	char			 key[160];	/* the charge's own key */
	char			 cur[4];
	cents_t			 amount;
	int64_t			 attempts;
	int64_t			 created;
	int			 due;		/* pending or declined */
	int			 have_pm;
	struct payment_method	 pm;
	/* the outcome */
	int			 grc;
	const char		*reason;
	struct gw_charge	 gc;
	char			 call_key[200];	/* KEY:ATTEMPT */
};

/*
 * Queue the "payment failed" email of attempt a (declined at now) to
 * the organization's invoice email: the amount, why, and what to do.
 */
static int
queue_declined_mail(struct db *db, const struct attempt *a, int64_t now,
    int last)
{
	struct details	 d;
	struct document	*inv = NULL;
	char		 key[200], subject[200], body[1024];
	char		 amount[MONEY_FMT_BUFSZ];
	int		 rc;

	if ((rc = details_get(db, a->org, &d)) != DB_OK)
		return rc;
	if (invoice_get(db, a->doc, &inv) != INV_OK)
		return DB_ERROR;
	money_fmt(a->amount, a->cur, amount, sizeof(amount));
	snprintf(subject, sizeof(subject), "Payment failed: invoice %s",
	    inv->number);
	snprintf(body, sizeof(body), "Hello,\n\nwe could not charge %s for "
	    "invoice %s to your payment method: %s\n\n%s\nTo pay it, add or "
	    "choose another payment method under Billing, Payment methods: "
	    "the next attempt charges your default payment method.\n\n%s\n",
	    amount, inv->number, a->reason ? a->reason : "it was declined.",
	    last ? "This was the last automatic attempt." : "We will try "
	    "again automatically in a few days.", inv->seller_name);
	snprintf(key, sizeof(key), "declined-mail:%.180s", a->call_key);
	rc = outbox_queue(db, a->org, key, "notice", d.invoice_email, subject,
	    body, 0, now);
	invoice_free(inv);
	return rc;
}

/* Read charge a->id and the organization's default payment method. */
static int
attempt_load(struct db *db, struct attempt *a)
{
	sqlite3_stmt	*st;
	int64_t		 id = a->id;
	int		 rc;

	memset(a, 0, sizeof(*a));
	a->id = id;
	st = db_stmt(db, STMT_CHARGE_GET);
	if (db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_OK ? DB_NOTFOUND : rc;
	}
	a->org = db_col_int(st, 1);
	a->doc = db_col_int(st, 2);
	db_col_copy(st, 3, a->key, sizeof(a->key));
	a->amount = db_col_int(st, 4);
	db_col_copy(st, 5, a->cur, sizeof(a->cur));
	a->due = strcmp((const char *)sqlite3_column_text(st, 6), "pending") ==
	    0 || strcmp((const char *)sqlite3_column_text(st, 6),
	    "declined") == 0;
	a->attempts = db_col_int(st, 7);
	a->created = db_col_int(st, 9);
	db_reset(st);
	st = db_stmt(db, STMT_PM_DEFAULT);
	if (db_bind(db, st, "i", a->org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		a->pm.id = db_col_int(st, 0);
		db_col_copy(st, 1, a->pm.kind, sizeof(a->pm.kind));
		db_col_copy(st, 2, a->pm.brand, sizeof(a->pm.brand));
		db_col_copy(st, 3, a->pm.last4, sizeof(a->pm.last4));
		db_col_copy(st, 6, a->pm.country, sizeof(a->pm.country));
		db_col_copy(st, 9, a->pm.processor_ref,
		    sizeof(a->pm.processor_ref));
		a->have_pm = 1;
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_OK ? DB_OK : rc;
}

/* Ask the processor, outside any transaction, under KEY:ATTEMPT. */
static void
attempt_call(struct attempt *a, int64_t now)
{
	snprintf(a->call_key, sizeof(a->call_key), "%s:%lld", a->key,
	    (long long)a->attempts + 1);
	if (a->have_pm)
		a->grc = gateway_charge(a->pm.processor_ref, a->cur, a->amount,
		    a->call_key, now, &a->gc, &a->reason);
	else {
		a->grc = GW_UNKNOWN;
		a->reason = "There is no payment method on file.";
	}
}

/*
 * Record what the processor said, inside the caller's write transaction:
 * a receipt on success; on a decline the next attempt 1, 3 and 5 days
 * after the first, then failed.  An unreachable processor records
 * nothing: the same attempt is made again on the next run.
 */
static int
attempt_record(struct db *db, struct attempt *a, int64_t now,
    struct renewal_stats *stats)
{
	sqlite3_stmt	*st;
	char		 label[128];
	int64_t		 attempts = a->attempts + 1, next, rid;
	int		 rc;

	if (a->grc == GW_ERROR)
		return DB_OK;
	st = db_stmt(db, STMT_CHARGE_UPDATE);
	if (a->grc == GW_OK) {
		payment_label(&a->pm, label, sizeof(label));
		rc = invoice_pay(db, a->doc, now, a->amount, label,
		    a->call_key, &rid);
		if (rc != INV_OK && rc != INV_DUPLICATE)
			return DB_ERROR;
		rc = db_bind(db, st, "tiiitti", "succeeded", attempts, now,
		    a->pm.id, a->gc.charge_ref, "", a->id);
		stats->charged++;
	} else {
		if (attempts >= MAX_ATTEMPTS) {
			next = now;
			stats->failed++;
		} else {
			next = a->created + 86400 *
			    (int64_t)retry_days[attempts - 1];
			if (next <= now)
				next = now + 3600;
			stats->declined++;
		}
		if ((rc = queue_declined_mail(db, a, now, attempts >=
		    MAX_ATTEMPTS)) != DB_OK)
			return rc;
		st = db_stmt(db, STMT_CHARGE_UPDATE);
		rc = a->have_pm ?
		    db_bind(db, st, "tiiitti", attempts >= MAX_ATTEMPTS ?
		    "failed" : "declined", attempts, next, a->pm.id, "",
		    a->reason, a->id) :
		    db_bind(db, st, "tiintti", attempts >= MAX_ATTEMPTS ?
		    "failed" : "declined", attempts, next, "", a->reason,
		    a->id);
	}
	return rc == DB_OK ? db_exec(db, st) : rc;
}

/*
 * Attempt charges ids[0..n) now: their details in one read
 * transaction, the processor called for each outside any transaction
 * with the key "CHARGE_KEY:ATTEMPT" (the organization's default payment
 * method at this moment), in one batch of the processor's, then every
 * outcome recorded in one write transaction once the processor's batch
 * has ended.  A crash between a call and the record is safe: the next
 * run repeats the call with the same key and the processor answers the
 * same charge, charging nothing more; a crash inside the processor's
 * batch, or a batch it could not keep, leaves nothing charged and
 * nothing recorded.  Returns DB_OK or a failure.
 */
static int
attempt_batch(struct db *db, const int64_t *ids, size_t n, int64_t now,
    struct renewal_stats *stats)
{
	struct attempt	*a;
	size_t		 i;
	int		 rc, lost;

	a = xcalloc(n, sizeof(*a));
	if ((rc = db_begin_read(db)) != DB_OK)
		goto out;
	for (i = 0; i < n; i++) {
		a[i].id = ids[i];
		if ((rc = attempt_load(db, &a[i])) != DB_OK)
			break;
	}
	db_rollback(db);
	if (rc != DB_OK)
		goto out;
	lost = gateway_batch_begin() == -1;
	for (i = 0; i < n && !lost; i++)
		if (a[i].due)
			attempt_call(&a[i], now);
	/* A batch the processor did not keep: the next run tries again. */
	if (lost || gateway_batch_end() == -1)
		goto out;
	if ((rc = db_begin_write(db)) != DB_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (a[i].due && (rc = attempt_record(db, &a[i], now, stats)) !=
		    DB_OK) {
			db_rollback(db);
			goto out;
		}
	rc = db_commit(db);
out:
	free(a);
	return rc;
}

/*
 * Attempt charge id now (a charge made from a request: an annual
 * deployment, a reactivation, a plan change).  See attempt_batch.
 */
int
renewal_charge_now(struct db *db, int64_t id, int64_t now,
    struct renewal_stats *stats)
{
	return attempt_batch(db, &id, 1, now, stats);
}

static struct db_sql q_troubled = { .text =
	"SELECT id FROM charge WHERE org_id = ? AND "
	"(status = 'declined' OR status = 'failed') ORDER BY id LIMIT 64"
};

static struct db_sql q_retry_now = { .text =
	"UPDATE charge SET status = 'declined', next_attempt_at = ? "
	"WHERE id = ? AND (status = 'declined' OR status = 'failed')"
};

/*
 * "Pay now": attempt org's declined and failed charges at once, with
 * its default payment method as it is now (each under its next
 * attempt's key, so nothing is charged twice).  *n gets how many were
 * attempted.  Returns DB_OK or a failure.
 */
int
renewal_pay_now(struct db *db, int64_t org, int64_t now, size_t *n,
    struct renewal_stats *stats)
{
	sqlite3_stmt	*st;
	int64_t		 ids[64];
	size_t		 i;
	int		 rc;

	*n = 0;
	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	st = db_sql(db, &q_troubled);
	if ((rc = db_bind(db, st, "i", org)) != DB_OK)
		goto fail;
	while ((rc = db_step(db, st)) == DB_ROW && *n < 64)
		ids[(*n)++] = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_OK && rc != DB_ROW)
		goto fail;
	for (i = 0; i < *n; i++) {
		st = db_sql(db, &q_retry_now);
		if ((rc = db_bind(db, st, "ii", now, ids[i])) != DB_OK ||
		    (rc = db_exec(db, st)) != DB_OK)
			goto fail;
	}
	if ((rc = db_commit(db)) != DB_OK || *n == 0)
		return rc;
	return attempt_batch(db, ids, *n, now, stats);
fail:
	db_rollback(db);
	return rc;
}

/*
 * Attempt every charge that is due by now (new ones, and declined ones
 * whose retry time has come), RENEW_BATCH at a time.  Returns DB_OK or a
 * failure.
 */
int
renewal_charges(struct db *db, int64_t now, struct renewal_stats *stats)
{
	sqlite3_stmt	*st;
	int64_t		 ids[RENEW_BATCH], last = 0;
	size_t		 n;
	int		 rc;

	for (;;) {
		if ((rc = db_begin_read(db)) != DB_OK)
			return rc;
		st = db_stmt(db, STMT_CHARGE_DUE);
		if ((rc = db_bind(db, st, "iii", now, last,
		    (int64_t)RENEW_BATCH)) != DB_OK) {
			db_rollback(db);
			return rc;
		}
		n = 0;
		while ((rc = db_step(db, st)) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_reset(st);
		db_rollback(db);
		if (rc != DB_OK)
			return rc;
		if (n == 0)
			return DB_OK;
		last = ids[n - 1];
		if ((rc = attempt_batch(db, ids, n, now, stats)) != DB_OK)
			return rc;
	}
}

/*
 * Renew every organization whose subscriptions' periods ended by now, in
 * write transactions of RENEW_BATCH organizations, each organization
 * inside a savepoint: per renewal date, one invoice with a line per
 * renewing subscription and every open accrual (renew_date), customer
 * credit first and a pending charge for the rest, the invoice emailed;
 * cancelled subscriptions get their final invoice and expire, their
 * sensors disabled and removed.  An organization that fails is undone,
 * recorded in renewal_failure and counted in stats->org_failures (the
 * next run retries it) while every other one renews.  Organizations
 * are visited once per run, in id order.  Unless no_charge, the
 * charges due from earlier runs are attempted first (renewal_charges),
 * then each batch's new charges right after it commits (attempt_batch).
 * Returns DB_OK or a failure of the database itself (the batch in hand
 * is rolled back; what committed stays).
 */
int
renewal_run(struct db *db, int64_t now, int no_charge,
    struct renewal_stats *stats)
{
	sqlite3_stmt	*st;
	int64_t		 orgs[RENEW_BATCH], last = 0, *charges = NULL;
	size_t		 n, nc, i;
	int		 rc;

	if (!no_charge && (rc = renewal_charges(db, now, stats)) != DB_OK)
		return rc;
	for (;;) {
		if ((rc = db_begin_write(db)) != DB_OK)
			break;
		st = db_sql(db, &q_due_orgs);
		if ((rc = db_bind(db, st, "iii", now, last,
		    (int64_t)RENEW_BATCH)) != DB_OK)
			goto fail;
		n = 0;
		while ((rc = db_step(db, st)) == DB_ROW)
			orgs[n++] = db_col_int(st, 0);
		db_reset(st);
		if (rc != DB_OK)
			goto fail;
		if (n == 0) {
			db_rollback(db);
			break;
		}
		nc = 0;
		for (i = 0; i < n; i++) {
			size_t	 before = nc;

			if ((rc = db_savepoint(db)) != DB_OK)
				goto fail;
			rc = renew_org(db, orgs[i], now, stats, &charges, &nc);
			if (db_rc_unavailable(rc))
				goto fail;
			if (rc == DB_OK)
				rc = db_savepoint_release(db);
			else {
				int	 why = rc;

				log_warnx("%s: organization %lld: %s; retried "
				    "by the next run", __func__,
				    (long long)orgs[i], db_rc_str(why));
				nc = before;
				stats->org_failures++;
				if ((rc = db_savepoint_undo(db)) != DB_OK ||
				    (rc = record_failure(db, orgs[i], now,
				    why)) != DB_OK)
					goto fail;
			}
			if (rc != DB_OK)
				goto fail;
		}
		last = orgs[n - 1];
		if ((rc = db_commit(db)) != DB_OK)
			break;
		if (!no_charge && nc > 0 &&
		    (rc = attempt_batch(db, charges, nc, now, stats)) != DB_OK)
			break;
	}
	free(charges);
	return rc;
fail:
	db_rollback(db);
	free(charges);
	return rc;
}
