/* renewal.c: renew or expire subscriptions at their period end, invoice, apply credit, charge with retries. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "details.h"
#include "gateway.h"
#include "invoice.h"
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

/* Queue the email of invoice inv (just issued) to org's addresses. */
static int
queue_invoice_mail(struct db *db, int64_t org, const struct document *inv,
    int64_t now)
{
	struct details	 d;
	char		 key[96], subject[320], body[1024], total[MONEY_FMT_BUFSZ];
	char		 from[16], to[16];
	int64_t		 doc = inv->id;
	size_t		 i;
	int		 rc;

	if ((rc = details_get(db, org, &d)) != DB_OK)
		return rc;
	money_fmt(inv->total, inv->currency, total, sizeof(total));
	util_time_fmt(inv->period_start, "%Y-%m-%d", from, sizeof(from));
	/* The period's last day: period_end is the first second after it. */
	util_time_fmt(inv->period_end - 1, "%Y-%m-%d", to, sizeof(to));
	snprintf(subject, sizeof(subject), "Invoice %s from %s", inv->number,
	    inv->seller_name);
	snprintf(body, sizeof(body), "Hello,\n\nattached is invoice %s for "
	    "%s, for the service from %s to %s.\nYour subscription renews "
	    "automatically; the amount due after any credit is charged to "
	    "your payment method on file.\n\n%s\n", inv->number, total, from,
	    to, inv->seller_name);
	snprintf(key, sizeof(key), "invoice-mail:%lld:to", (long long)doc);
	if ((rc = outbox_queue(db, org, key, "invoice", d.invoice_email,
	    subject, body, doc, now)) != DB_OK)
		return rc;
	for (i = 0; i < d.ncc; i++) {
		snprintf(key, sizeof(key), "invoice-mail:%lld:cc%zu",
		    (long long)doc, i);
		if ((rc = outbox_queue(db, org, key, "invoice", d.cc[i],
		    subject, body, doc, now)) != DB_OK)
			return rc;
	}
	return DB_OK;
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

/*
 * Renew one period of s: invoice it with pending additions, settle,
 * queue its email.  *charge is the pending charge it leaves, 0 if none.
 */
static int
renew(struct db *db, const struct subscription *s, int64_t now,
    struct renewal_stats *stats, int64_t *charge)
{
	struct doc_line		*lines = NULL;
	struct document		*inv = NULL;
	struct invoice_req	 r;
	sqlite3_stmt		*st;
	char			 key[96];
	int64_t			 next, doc = 0;
	size_t			 n = 0, first;
	int			 rc = DB_ERROR, irc;

	*charge = 0;
	if (renewal_next_end(s->anchor, s->annual, s->period_end, &next) == -1)
		return DB_ERROR;
	snprintf(key, sizeof(key), "renew:%lld:%lld", (long long)s->id,
	    (long long)s->period_end);
	lines = xcalloc(1, sizeof(*lines));
	if (s->quantity > 0) {
		snprintf(lines[0].description, sizeof(lines[0].description),
		    "%s, %s", s->product_name, s->annual ? "annual" : "monthly");
		lines[0].period_start = s->period_end;
		lines[0].period_end = next;
		lines[0].quantity = s->quantity;
		lines[0].unit_price = s->unit_price;
		if (money_mul(s->unit_price, s->quantity, &lines[0].amount) !=
		    MONEY_OK)
			goto out;
		n = 1;
	}
	first = n;	/* lines from here on are pending additions */
	st = db_stmt(db, STMT_PENDING_BY_SUB);
	if (db_bind(db, st, "i", s->id) != DB_OK)
		goto out;
	while ((rc = db_step(db, st)) == DB_ROW) {
		struct doc_line *l;
		const unsigned char *t = sqlite3_column_text(st, 1);

		lines = xrealloc(lines, (n + 1) * sizeof(*lines));
		l = &lines[n++];
		memset(l, 0, sizeof(*l));
		snprintf(l->description, sizeof(l->description), "%s",
		    t ? (const char *)t : "");
		l->period_start = db_col_int(st, 2);
		l->period_end = db_col_int(st, 3);
		l->quantity = db_col_int(st, 4);
		l->unit_price = db_col_int(st, 5);
		l->amount = db_col_int(st, 6);
	}
	db_reset(st);
	if (rc != DB_OK)
		goto out;
	rc = DB_ERROR;
	if (n > 0) {
		r = (struct invoice_req){ s->org_id, key, s->period_end, lines,
		    n };
		irc = invoice_issue(db, &r, &doc);
		if (irc == INV_OK) {
			stats->renewed++;
			st = db_stmt(db, STMT_PENDING_BILL);
			if ((n > first && (db_bind(db, st, "ii", doc, s->id) !=
			    DB_OK || db_exec(db, st) != DB_OK)) ||
			    invoice_get(db, doc, &inv) != INV_OK ||
			    settle(db, inv, s->period_end, key, s->org_id,
			    charge) != DB_OK || queue_invoice_mail(db,
			    s->org_id, inv, now) != DB_OK)
				goto out;
		} else if (irc != INV_DUPLICATE)
			goto out;
	}
	st = db_stmt(db, STMT_SUB_ADVANCE);
	if ((rc = db_bind(db, st, "iiii", s->period_end, next, s->id,
	    s->period_end)) != DB_OK)
		goto out;
	rc = db_exec(db, st);
out:
	invoice_free(inv);
	free(lines);
	return rc;
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
 * Renew every subscription whose period ended by now, in write
 * transactions of RENEW_BATCH subscriptions: a renewing one gets the
 * next period's invoice (with any pending additions), customer credit
 * first, and a pending charge for the rest, and its invoice email is
 * queued; a cancelled one expires and its sensors are disabled and
 * removed.  A subscription behind by several periods catches up one
 * period at a time.  Each period's invoice has the key
 * "renew:SUB:PERIOD_END", so running this twice, or again after a
 * crash at any point, invoices each period once.  Unless no_charge,
 * the charges due from earlier runs are attempted first
 * (renewal_charges), then each batch's new charges right after it
 * commits (attempt_batch), while their pages are still in the cache; a
 * charge a crash leaves pending is attempted by the next run.  Returns
 * DB_OK or a failure (the batch in hand is rolled back; what committed
 * stays).
 */
int
renewal_run(struct db *db, int64_t now, int no_charge,
    struct renewal_stats *stats)
{
	struct subscription	 s;
	sqlite3_stmt		*st;
	int64_t			 ids[RENEW_BATCH], charges[RENEW_BATCH], charge;
	size_t			 n, nc, i;
	int			 rc;

	if (!no_charge && (rc = renewal_charges(db, now, stats)) != DB_OK)
		return rc;
	for (;;) {
		if ((rc = db_begin_write(db)) != DB_OK)
			return rc;
		st = db_stmt(db, STMT_SUB_DUE);
		if ((rc = db_bind(db, st, "ii", now, (int64_t)RENEW_BATCH)) !=
		    DB_OK)
			goto fail;
		n = 0;
		while ((rc = db_step(db, st)) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_reset(st);
		if (rc != DB_OK)
			goto fail;
		if (n == 0) {
			db_rollback(db);
			break;
		}
		for (i = nc = 0; i < n; i++) {
			if ((rc = db_sub_get(db, ids[i], &s)) != DB_OK)
				goto fail;
			charge = 0;
			if (s.cancel_at != 0 && s.cancel_at <= s.period_end) {
				rc = expire(db, &s, now);
				stats->expired++;
			} else
				rc = renew(db, &s, now, stats, &charge);
			db_sub_clear(&s);
			if (rc != DB_OK)
				goto fail;
			if (charge != 0)
				charges[nc++] = charge;
		}
		if ((rc = db_commit(db)) != DB_OK)
			return rc;
		if (!no_charge && nc > 0 &&
		    (rc = attempt_batch(db, charges, nc, now, stats)) != DB_OK)
			return rc;
	}
	return DB_OK;
fail:
	db_rollback(db);
	return rc;
}
