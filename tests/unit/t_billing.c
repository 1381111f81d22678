/* t_billing.c: the demo ledger and the billing overview computed from it; calendar helpers. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing.h"
#include "db.h"
#include "demo.h"
#include "ledger.h"
#include "tap.h"
#include "util.h"

static int64_t
t(const char *s)
{
	int64_t	 v = -1;

	if (util_time_parse(s, &v) == -1)
		diag("bad time in test: %s", s);
	return v;
}

static const struct {
	const char	*from;
	int		 months;
	const char	*want;
} month_cases[] = {
	{ "2026-01-31", 1, "2026-02-28" },	/* clamped to February's end */
	{ "2028-01-31", 1, "2028-02-29" },	/* leap year */
	{ "2026-11-15", 1, "2026-12-15" },	/* plain */
	{ "2026-12-01", 1, "2027-01-01" },	/* year change */
	{ "2026-01-01", -1, "2025-12-01" },	/* backwards over a year */
	{ "2026-03-31", -13, "2025-02-28" },	/* far back, clamped */
	{ "2026-07-01", 12, "2027-07-01" },	/* an annual period */
};

static const struct {
	const char	*s;
	int		 valid;
} time_cases[] = {
	{ "2026-11-22T10:00:00Z", 1 },
	{ "2026-11-22", 1 },
	{ "2026-02-30", 0 },			/* no such day */
	{ "2026-13-01", 0 },
	{ "2026-11-22T10:00:00", 0 },		/* no zone */
	{ "22/11/2026", 0 },
	{ "", 0 },
};

int
main(void)
{
	char			 dir[] = "/tmp/t_billing.XXXXXX", path[128];
	char			 d[32], cmd[160];
	struct db		*db;
	struct billing_overview	*o = NULL;
	struct ledger_report	 rep;
	int64_t			 now, v;
	size_t			 i;

	for (i = 0; i < sizeof(month_cases) / sizeof(month_cases[0]); i++) {
		util_time_fmt(util_month_add(t(month_cases[i].from),
		    month_cases[i].months), "%Y-%m-%d", d, sizeof(d));
		is_str(d, month_cases[i].want, "%s %+d months",
		    month_cases[i].from, month_cases[i].months);
	}
	for (i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++)
		is_i64(util_time_parse(time_cases[i].s, &v) == 0,
		    time_cases[i].valid, "time \"%s\"", time_cases[i].s);

	/* util_time_fmt's own "%Y-%m-%d" agrees with strftime, year 1 to 9999. */
	{
		int64_t		 x, bad = 0, n = 0;
		char		 want[32];
		struct tm	 tm;
		time_t		 tt;

		for (x = -62135596800LL; x < 253402300800LL;
		    x += 86400LL * 37 + 4321) {
			tt = (time_t)x;
			gmtime_r(&tt, &tm);
			strftime(want, sizeof(want), "%Y-%m-%d", &tm);
			if (util_time_fmt(x, "%Y-%m-%d", d, sizeof(d)) != 0 ||
			    strcmp(d, want) != 0) {
				if (bad++ == 0)
					diag("%lld: %s, want %s", (long long)x,
					    d, want);
			}
			n++;
		}
		is_i64(bad, 0, "dates as strftime writes them (%lld days)",
		    (long long)n);
		is_i64(util_time_fmt(0, "%Y-%m-%d", d, 10), -1,
		    "a date needs 11 bytes");
	}

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	now = t("2026-11-15T12:00:00Z");
	is_i64(demo_create(db, now, NULL), DB_OK,
	    "the demo is created");
	is_i64(demo_create(db, now, NULL), DB_CONFLICT,
	    "and not twice");
	db_begin_read(db);
	ledger_check(db, &rep);
	db_rollback(db);
	ok(rep.unbalanced + rep.thin + rep.balances + rep.line_org +
	    rep.overdrawn == 0, "the demo ledger's invariants hold");

	/* Acme Holdings: 12 × $5 + 8 × $4 monthly renew on Dec 1st. */
	is_i64(billing_overview_get(db, 1, &o), DB_OK, "overview of Acme");
	if (o == NULL)
		return tap_done();
	is_str(o->org->name, "Acme Holdings Inc.", "its name");
	util_time_fmt(o->next_renewal, "%Y-%m-%d", d, sizeof(d));
	is_str(d, "2026-12-01", "next renewal at the month's end");
	is_i64(o->renewal_total, 9200, "renewal 60.00 + 32.00");
	is_i64(o->credit, 500, "5.00 credit from the sync");
	is_i64(o->credit_applied, 500, "all of it used at the renewal");
	is_i64(o->renewal_due, 8700, "87.00 left to charge");
	is_i64((int64_t)o->subs.n, 3, "three subscriptions");
	is_i64((int64_t)o->nsensors, 3, "three sensor types");
	for (i = 0; i < o->nsensors; i++)
		if (strcmp(o->sensors[i].product_name, "Temperature sensor") ==
		    0) {
			is_i64(o->sensors[i].deployed, 10,
			    "10 temperature sensors deployed");
			is_i64(o->sensors[i].subscribed, 12,
			    "12 subscribed");
		}
	/* The lists are sorted in C now, no longer by ORDER BY. */
	for (i = 1; i < o->nsensors; i++)
		ok(strcmp(o->sensors[i - 1].product_name,
		    o->sensors[i].product_name) < 0, "sensor types by name: "
		    "%s before %s", o->sensors[i - 1].product_name,
		    o->sensors[i].product_name);
	for (i = 1; i < o->subs.n; i++) {
		const struct subscription *a = &o->subs.v[i - 1];
		const struct subscription *b = &o->subs.v[i];

		ok(a->expired < b->expired || (a->expired == b->expired &&
		    (a->period_end < b->period_end ||
		    (a->period_end == b->period_end &&
		    (strcmp(a->product_name, b->product_name) < 0 ||
		    (strcmp(a->product_name, b->product_name) == 0 &&
		    a->id < b->id))))), "subscriptions in order: %s (%lld) "
		    "before %s (%lld)", a->product_name, (long long)a->id,
		    b->product_name, (long long)b->id);
	}
	is_i64((int64_t)o->nchildren, 2, "two child companies");
	if (o->nchildren == 2) {
		is_str(o->children[0].org.name, "Acme Europe B.V.",
		    "children by name");
		is_i64(o->children[0].amount[0], 19800,
		    "2 × 99.00 annual in the child's currency");
		is_str(o->children[0].subs.v[0].currency, "EUR",
		    "which is euros");
		ok(o->children[0].subs.v[0].contract_end != 0,
		    "the European subscription has a contract");
	}
	billing_overview_free(o);

	/* Globex, the other customer: no children; the credit note's credit. */
	is_i64(billing_overview_get(db, 4, &o), DB_OK, "overview of Globex");
	if (o != NULL) {
		is_i64((int64_t)o->nchildren, 0, "no children");
		is_i64(o->credit, 1000, "10.00 credit from the credit note");
		is_i64(o->renewal_total, 10000, "20 × 5.00 renews next");
		is_str(o->org->currency, "GBP", "in pounds");
	}
	billing_overview_free(o);
	is_i64(billing_overview_get(db, 99, &o), DB_NOTFOUND,
	    "an unknown organization is not found");
	ok(o == NULL, "and nothing is returned");

	/*
	 * The statements of every overview and receipts page, and the
	 * renewal's page through due charges, read by index: no temporary
	 * b-tree (a sort cost more than the rest of such a query) and no
	 * scan of a whole table.
	 */
	{
#define HOT(s)	{ s, #s }
		static const struct {
			enum stmt_id	 id;
			const char	*name;
		} hot[] = {
			HOT(STMT_SESSION_GET), HOT(STMT_ORG_GET),
			HOT(STMT_ORG_CHILDREN), HOT(STMT_SUB_LIST_BY_ORG),
			HOT(STMT_SENSOR_COUNT_BY_ORG), HOT(STMT_CHARGE_TROUBLE),
			HOT(STMT_DOC_LIST), HOT(STMT_CHARGE_DUE),
		};
#undef HOT
		sqlite3_stmt	*st, *q;
		char		*eqp;
		const char	*detail;
		int		 bad;

		for (i = 0; i < sizeof(hot) / sizeof(hot[0]); i++) {
			st = db_stmt(db, hot[i].id);
			eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s",
			    st ? sqlite3_sql(st) : "");
			q = NULL;
			if (st == NULL || sqlite3_prepare_v2(db->h, eqp, -1,
			    &q, NULL) != SQLITE_OK) {
				ok(0, "%s: a query plan", hot[i].name);
				sqlite3_free(eqp);
				sqlite3_finalize(q);
				continue;
			}
			bad = 0;
			while (sqlite3_step(q) == SQLITE_ROW) {
				detail = (const char *)sqlite3_column_text(q, 3);
				if (detail != NULL &&
				    (strstr(detail, "TEMP B-TREE") != NULL ||
				    strncmp(detail, "SCAN ", 5) == 0)) {
					diag("%s: %s", hot[i].name, detail);
					bad++;
				}
			}
			ok(bad == 0, "%s reads by index, sorts nothing",
			    hot[i].name);
			sqlite3_free(eqp);
			sqlite3_finalize(q);
		}
	}

	/* Read transactions nest; a write never starts inside one. */
	is_i64(db_begin_read(db), DB_OK, "a read transaction");
	is_i64(db_begin_read(db), DB_OK, "and one inside it");
	db_rollback(db);
	ok(!sqlite3_get_autocommit(db->h), "ending the inner one keeps the "
	    "outer one");
	is_i64(db_begin_write(db), DB_ERROR, "no write inside a read");
	ok(!sqlite3_get_autocommit(db->h) && !db->in_write,
	    "and the read goes on without the write lock");
	is_i64(billing_overview_get(db, 4, &o), DB_OK, "an overview nests in "
	    "it too");
	billing_overview_free(o);
	ok(!sqlite3_get_autocommit(db->h), "and leaves it open");
	db_rollback(db);
	ok(sqlite3_get_autocommit(db->h), "ending the outer one ends it");
	is_i64(db_begin_write(db), DB_OK, "then a write may begin");
	is_i64(db_commit(db), DB_OK, "and commit");

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
