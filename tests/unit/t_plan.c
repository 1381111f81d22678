/* t_plan.c: the help pages' proration examples through the real domain: plan changes, sensor sync, deployments. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "demo.h"
#include "invoice.h"
#include "ledger.h"
#include "plan.h"
#include "quote.h"
#include "sensors.h"
#include "subscription.h"
#include "tap.h"
#include "util.h"

static struct db	*db;

static int64_t
scalar(const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
plan_id(const char *code, const char *period, const char *cur)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "SELECT p.id FROM plan p JOIN product pr "
	    "ON pr.id = p.product_id WHERE pr.code = '%s' AND p.period = '%s' "
	    "AND p.currency = '%s'", code, period, cur);
	return scalar(sql);
}

int
main(void)
{
	char			 dir[] = "/tmp/t_plan.XXXXXX", path[128], cmd[96];
	struct actor		 a = { 0, "t_plan", "", 0 };
	struct plan_quote	 q;
	struct sync_plan	 sp;
	struct deploy_result	 dr;
	struct ledger_report	 rep;
	int64_t			 start, end, half, sub, sub2, doc, charge, now;
	cents_t			 c0, c1;
	size_t			 i;
	int			 found;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK ||
	    demo_create(db, 1795392000 /* 2026-11-22 */, NULL) != DB_OK)
		return 1;

	/* The demo holds no state the product forbids. */
	is_i64(scalar("SELECT count(*) FROM (SELECT s.org_id, s.product_id, "
	    "count(*) AS n FROM sensor s WHERE s.removed_at IS NULL GROUP BY "
	    "s.org_id, s.product_id) d WHERE d.n > (SELECT coalesce(sum("
	    "b.quantity), 0) FROM subscription b JOIN plan p ON p.id = "
	    "b.plan_id WHERE b.org_id = d.org_id AND p.product_id = "
	    "d.product_id AND b.status = 'active')"), 0,
	    "the demo deploys no more sensors of a type than are subscribed");

	/*
	 * The help page: 10 users at $60 a month on the standard plan move
	 * to premium at $130 exactly halfway: $65 − $30 = $35.
	 */
	start = 1793491200;		/* 2026-11-01 */
	end = start + 30 * 86400;
	half = start + 15 * 86400;
	db_begin_write(db);
	db_sub_insert(db, 1, plan_id("standard", "monthly", "USD"), 10, start,
	    end, 0, &sub);
	db_commit(db);
	is_i64(plan_quote(db, 1, sub, plan_id("premium", "monthly", "USD"),
	    10, half, &q), PLAN_OK, "quote standard → premium halfway");
	is_i64(q.unused, 3000, "unused standard time: $30.00");
	is_i64(q.charge, 6500, "remaining premium time: $65.00");
	is_i64(q.net, 3500, "to pay: $35.00");
	is_i64(q.billing, PLAN_NEXT_INVOICE, "monthly: on the next invoice");
	is_i64(plan_quote(db, 2, sub, plan_id("premium", "monthly", "USD"),
	    10, half, &q), PLAN_NOTFOUND, "another organization's: not found");
	is_i64(plan_quote(db, 1, sub, plan_id("premium", "monthly", "EUR"),
	    10, half, &q), PLAN_EINVAL, "another currency: refused");
	is_i64(plan_quote(db, 1, sub, plan_id("temp", "monthly", "USD"),
	    10, half, &q), PLAN_EINVAL, "a sensor plan for users: refused");
	is_i64(plan_quote(db, 1, sub, plan_id("standard", "monthly", "USD"),
	    10, half, &q), PLAN_EINVAL, "no change: refused");

	/* Away from the middle: 10 of 30 days gone, 20 left. */
	is_i64(plan_quote(db, 1, sub, plan_id("premium", "monthly", "USD"),
	    10, start + 10 * 86400, &q), PLAN_OK, "a quote on day 11");
	is_i64(q.remaining, 20 * 86400, "20 days remaining");
	is_i64(q.net, 4667, "($130 − $60) × 20/30 = $46.67, rounded once");
	is_i64(q.charge, 8667, "premium for 20 days: $86.67");
	is_i64(q.unused, 4000, "standard unused for 20 days: $40.00");
	/* The period's bounds, and the domain's quantity limit. */
	is_i64(plan_quote(db, 1, sub, plan_id("premium", "monthly", "USD"),
	    10, end - 1, &q), PLAN_OK, "a quote in the period's last second");
	is_i64(q.remaining, 1, "with one second remaining");
	is_i64(plan_quote(db, 1, sub, plan_id("premium", "monthly", "USD"),
	    10, end, &q), PLAN_EINVAL, "a quote at the period's end: refused");
	is_i64(plan_quote(db, 1, sub, plan_id("standard", "monthly", "USD"),
	    100000, half, &q), PLAN_OK, "100,000 users: quoted");
	is_i64(plan_quote(db, 1, sub, plan_id("standard", "monthly", "USD"),
	    100001, half, &q), PLAN_EINVAL, "100,001 users: refused");
	is_i64(plan_quote(db, 1, sub, plan_id("standard", "monthly", "USD"),
	    0, half, &q), PLAN_EINVAL, "no users: refused");

	plan_quote(db, 1, sub, plan_id("premium", "monthly", "USD"), 10, half,
	    &q);
	a.now = half + 60;	/* confirmed a minute later: as quoted */
	db_begin_write(db);
	is_i64(plan_apply(db, 1, &a, &q, "t:plan:1", &doc, &charge), PLAN_OK,
	    "apply the quote");
	db_commit(db);
	is_i64(scalar("SELECT sum(a.amount) FROM accrual a JOIN journal_entry "
	    "e ON e.id = a.entry_id WHERE e.idem_key = 't:plan:1'"), 3500,
	    "$35.00 is accrued for the next invoice");
	is_i64(scalar("SELECT sum(l.amount) FROM journal_line l JOIN "
	    "journal_entry e ON e.id = l.entry_id WHERE e.idem_key = "
	    "'t:plan:1' AND l.account = 'unbilled'"), 3500,
	    "in the journal, as unbilled");
	is_i64(scalar("SELECT count(*) FROM accrual a JOIN journal_entry "
	    "e ON e.id = a.entry_id WHERE e.idem_key = 't:plan:1'"), 2,
	    "the premium time and the unused standard time, each a line");
	db_begin_write(db);
	is_i64(plan_apply(db, 1, &a, &q, "t:plan:2", &doc, &charge),
	    PLAN_CHANGED, "the same quote again: the subscription changed");
	db_rollback(db);

	/* Deactivating 4 premium users halfway yields credit: 4 × $13 / 2. */
	ledger_credit_available(db, 1, "USD", &c0);
	plan_quote(db, 1, sub, plan_id("premium", "monthly", "USD"), 6, half,
	    &q);
	is_i64(q.net, -2600, "4 fewer premium users halfway: −$26.00");
	is_i64(q.billing, PLAN_CREDIT, "a credit");
	is_i64(q.gb.netted, 2600, "netted against the $35.00 accrued first");
	db_begin_write(db);
	plan_apply(db, 1, &a, &q, "t:plan:3", &doc, &charge);
	db_commit(db);
	ledger_credit_available(db, 1, "USD", &c1);
	is_i64(c1 - c0, 0, "no customer credit: nothing was invoiced yet");
	{
		char sql[160];

		snprintf(sql, sizeof(sql), "SELECT sum(amount) FROM accrual "
		    "WHERE subscription_id = %lld AND closed_at IS NULL",
		    (long long)sub);
		is_i64(scalar(sql), 900, "$9.00 stays accrued");
	}

	/* Monthly → annual: credit the unused month, invoice a year now. */
	plan_quote(db, 1, sub, plan_id("premium", "annual", "USD"), 6, half,
	    &q);
	is_i64(q.new_period, 1, "another period length starts a new period");
	is_i64(q.unused, 3900, "6 × $13 unused for half a month: $39.00");
	is_i64(q.charge, 85800, "a year of 6 × $143.00");
	is_i64(q.gb.netted, 900, "the unused time nets the $9.00 accrued");
	is_i64(q.gb.unbacked, 3000, "the rest was never invoiced: not given");
	db_begin_write(db);
	is_i64(plan_apply(db, 1, &a, &q, "t:plan:4", &doc, &charge), PLAN_OK,
	    "switch to annual");
	db_commit(db);
	ok(doc > 0, "invoiced at once");
	is_i64(scalar("SELECT amount FROM receipt WHERE method = 'Customer "
	    "credit' ORDER BY id DESC LIMIT 1"), c1,
	    "all the credit was used first");
	is_i64(scalar("SELECT amount FROM charge ORDER BY id DESC LIMIT 1"),
	    85800 - c1, "the rest is to be charged");
	{
		char sql[128];

		snprintf(sql, sizeof(sql), "SELECT period_end - period_start "
		    "> 360 * 86400 FROM subscription WHERE id = %lld",
		    (long long)sub);
		is_i64(scalar(sql), 1, "the new period is a year");
	}

	/* Acme has 12 temperature sensors subscribed and 10 deployed. */
	memset(&sp, 0, sizeof(sp));
	db_begin_read(db);
	sync_preview(db, 1, half, &sp);
	db_rollback(db);
	found = 0;
	for (i = 0; i < sp.n; i++)
		if (strcmp(sp.v[i].product, "Temperature sensor") == 0) {
			found = 1;
			is_i64(sp.v[i].reduce, 2, "sync: 2 temperature units off");
		}
	ok(found, "sync finds the temperature subscription");
	sync_plan_free(&sp);

	/*
	 * The help page: reducing 2 of 10 sensors at £5 halfway gives
	 * £5.00.  Globex gets a controlled 30-day subscription of 10, its
	 * other temperature subscription goes to 0, and 8 sensors stay.
	 */
	db_begin_write(db);
	db_sub_insert(db, 4, plan_id("temp", "monthly", "GBP"), 10, start,
	    end, 0, &sub2);
	db_commit(db);
	sqlite3_exec(db->h, "UPDATE sensor SET removed_at = 1 WHERE org_id = 4 "
	    "AND product_id = 1 AND id IN (SELECT id FROM sensor WHERE "
	    "org_id = 4 AND product_id = 1 AND removed_at IS NULL LIMIT 10)",
	    NULL, NULL, NULL);
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "UPDATE subscription SET quantity = "
		    "0 WHERE org_id = 4 AND id <> %lld AND plan_id IN (SELECT "
		    "p.id FROM plan p JOIN product pr ON pr.id = p.product_id "
		    "WHERE pr.code = 'temp')", (long long)sub2);
		sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	}
	db_begin_read(db);
	sync_preview(db, 4, half, &sp);
	db_rollback(db);
	found = 0;
	for (i = 0; i < sp.n; i++)
		if (sp.v[i].sub_id == sub2) {
			found = 1;
			is_i64(sp.v[i].deployed, 8, "8 of 10 sensors deployed");
			is_i64(sp.v[i].reduce, 2, "2 to remove");
			is_i64(sp.v[i].credit, 500,
			    "halfway at £5 each: £5.00 credit");
		}
	ok(found, "the controlled subscription is in the preview");
	ledger_credit_available(db, 4, "GBP", &c0);
	a.now = half;
	db_begin_write(db);
	is_i64(sync_apply(db, 4, &a, &sp, "t:sync:1"), DB_OK, "sync applied");
	db_commit(db);
	ledger_credit_available(db, 4, "GBP", &c1);
	is_i64(c1 - c0, sp.credit, "the whole preview's credit is posted");
	db_begin_write(db);
	is_i64(sync_apply(db, 4, &a, &sp, "t:sync:2"), DB_CONFLICT,
	    "the same preview twice: quantities changed, refused");
	db_rollback(db);
	sync_plan_free(&sp);

	/* Deployments: within the subscribed count, then one beyond. */
	now = half;
	db_begin_write(db);
	is_i64(sensor_deploy(db, 4, &a, "T-NEW-1", "temp", now, &dr),
	    SENSOR_OK, "deploy a 9th sensor, 8 subscribed");
	db_commit(db);
	is_i64(dr.units_added, 1, "beyond the subscription: a unit added");
	is_i64(dr.amount, 250, "£5 for half a month: £2.50 prorated");
	db_begin_write(db);
	is_i64(sensor_deploy(db, 4, &a, "T-NEW-1", "temp", now, &dr),
	    SENSOR_ALREADY, "the same sensor again: nothing to do");
	is_i64(sensor_deploy(db, 4, &a, "X-1", "nosuch", now, &dr),
	    SENSOR_UNKNOWN_TYPE, "an unknown type");
	is_i64(sensor_deploy(db, 4, &a, "X-2", "standard", now, &dr),
	    SENSOR_UNKNOWN_TYPE, "a seat is not a sensor type");
	is_i64(sensor_remove(db, 4, "T-NEW-1", now), SENSOR_OK,
	    "remove it");
	is_i64(sensor_remove(db, 4, "T-NEW-1", now), SENSOR_ALREADY,
	    "removing twice");
	is_i64(sensor_remove(db, 4, "NOPE", now), SENSOR_NOT_FOUND,
	    "an unknown sensor");
	is_i64(sensor_deploy(db, 4, &a, "T-NEW-2", "temp", now, &dr),
	    SENSOR_OK, "deploy a 9th sensor again, 9 subscribed now");
	is_i64(dr.units_added, 0, "within the subscription: no unit added");
	is_i64(dr.amount, 0, "and nothing to pay");
	is_i64(sensor_remove(db, 4, "T-NEW-2", now), SENSOR_OK,
	    "and remove it");
	db_commit(db);

	/* Quotes are sealed and honoured for 30 minutes, never ahead. */
	{
		char	 seal[QUOTE_SEAL_HEX + 1], bad[QUOTE_SEAL_HEX + 1];
		int64_t	 at = 1795392000;

		is_i64(quote_seal(db, "terms", seal, sizeof(seal)), DB_OK,
		    "a seal");
		is_i64(quote_check(db, "terms", seal, at, at), QUOTE_OK,
		    "checked at once: honoured");
		is_i64(quote_check(db, "terms", seal, at, at + QUOTE_MAX_AGE),
		    QUOTE_OK, "30 minutes later: honoured");
		is_i64(quote_check(db, "terms", seal, at,
		    at + QUOTE_MAX_AGE + 1), QUOTE_EXPIRED,
		    "a second more: expired");
		is_i64(quote_check(db, "terms", seal, at + 1, at),
		    QUOTE_EXPIRED, "a quote made in the future: refused");
		is_i64(quote_check(db, "other terms", seal, at, at),
		    QUOTE_FORGED, "other terms: forged");
		memcpy(bad, seal, sizeof(bad));
		bad[QUOTE_SEAL_HEX - 1] = bad[QUOTE_SEAL_HEX - 1] == '0' ?
		    '1' : '0';
		is_i64(quote_check(db, "terms", bad, at, at), QUOTE_FORGED,
		    "its last character changed: forged");
	}

	/*
	 * A renewal run ahead of time (reckonctl renew --now in the
	 * future) leaves a period that begins later than now: a change
	 * made before it takes effect when it begins, prorated over at
	 * most that one period.  Globex's 8 units at £5 (for its 8
	 * sensors; its other temperature subscriptions are emptied and do
	 * not renew) now renew on 2026-12-01 (end) for 30 days.
	 */
	{
		char	 sql[384];
		int64_t	 fut, nsub, ndoc, nch;

		snprintf(sql, sizeof(sql), "UPDATE subscription SET quantity "
		    "= 0, auto_renew = 0, cancel_at = period_end WHERE org_id "
		    "= 4 AND id <> %lld AND status = 'active' AND plan_id IN "
		    "(SELECT p.id FROM plan p JOIN product pr ON pr.id = "
		    "p.product_id WHERE pr.code = 'temp')",
		    (long long)sub2);
		sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		snprintf(sql, sizeof(sql), "UPDATE subscription SET "
		    "period_start = %lld, period_end = %lld, quantity = 8, "
		    "version = version + 1 WHERE id = %lld", (long long)end,
		    (long long)(end + 30 * 86400), (long long)sub2);
		sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		is_i64(scalar("SELECT count(*) FROM sensor WHERE org_id = 4 "
		    "AND product_id = 1 AND removed_at IS NULL"), 8,
		    "Globex has 8 temperature sensors");
		db_begin_read(db);
		is_i64(plan_quote(db, 4, sub2, plan_id("temp", "monthly",
		    "GBP"), 9, half, &q), PLAN_OK,
		    "a quote before the period begins is made");
		db_rollback(db);
		is_i64(q.effective, end,
		    "it takes effect when the period begins");
		is_i64(q.remaining, q.period, "over the whole period, no more");
		is_i64(q.net, 500, "one more unit for the period: £5.00");

		db_begin_write(db);
		is_i64(sensor_deploy(db, 4, &a, "T-FUT-1", "temp", half, &dr),
		    SENSOR_OK, "a 9th sensor before the period begins");
		db_commit(db);
		is_i64(dr.units_added, 1, "it adds a unit");
		is_i64(dr.amount, 500, "for one whole period: £5.00, no more");
		snprintf(sql, sizeof(sql), "SELECT period_start FROM accrual "
		    "WHERE subscription_id = %lld ORDER BY id DESC LIMIT 1",
		    (long long)sub2);
		is_i64(scalar(sql), end, "accrued from the period's start");

		db_begin_write(db);
		sensor_remove(db, 4, "T-FUT-1", half);
		db_commit(db);
		memset(&sp, 0, sizeof(sp));
		db_begin_read(db);
		sync_preview(db, 4, half, &sp);
		db_rollback(db);
		found = 0;
		for (i = 0; i < sp.n; i++)
			if (sp.v[i].sub_id == sub2) {
				found = 1;
				is_i64(sp.v[i].reduce, 1, "sync: 1 unit off");
				is_i64(sp.v[i].remaining, sp.v[i].period,
				    "sync credits the whole period at most");
				is_i64(sp.v[i].credit, 500,
				    "£5 for one period: £5.00, no more");
			}
		ok(found, "the future period is in the sync preview");
		sync_plan_free(&sp);

		/* Expired by a run ahead of time: the next period follows. */
		db_begin_write(db);
		db_sub_insert(db, 4, plan_id("temp", "monthly", "GBP"), 1,
		    end, end + 30 * 86400, 0, &fut);
		db_commit(db);
		snprintf(sql, sizeof(sql), "UPDATE subscription SET status = "
		    "'expired', auto_renew = 0, cancel_at = period_end WHERE "
		    "id = %lld", (long long)fut);
		sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		a.now = half;
		db_begin_write(db);
		is_i64(sub_reactivate(db, 4, &a, fut, "t:react:fut", &nsub,
		    &ndoc, &nch), SUB_OK, "reactivate before the expiry");
		db_commit(db);
		snprintf(sql, sizeof(sql), "SELECT period_start FROM "
		    "subscription WHERE id = %lld", (long long)nsub);
		is_i64(scalar(sql), end + 30 * 86400,
		    "the new period starts when the last one ends, not today");
	}

	db_begin_read(db);
	ledger_check(db, &rep);
	db_rollback(db);
	ok(!ledger_report_bad(&rep),
	    "the ledger still balances");
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
