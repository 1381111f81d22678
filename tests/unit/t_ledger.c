/* t_ledger.c: the journal on a real, migrated SQLite file: balance, idempotency, append-only, invariants. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_org.h"
#include "ledger.h"
#include "tap.h"

static char	 dir[] = "/tmp/t_ledger.XXXXXX";
static char	 path[128];

static struct db *
fresh(void)
{
	struct db	*db;
	int64_t		 id;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		exit(1);
	db_begin_write(db);
	db_org_insert(db, 0, "Org A", "USD", "US", "a@a.test", 0, &id);
	db_org_insert(db, 0, "Org B", "EUR", "DE", "b@b.test", 0, &id);
	db_commit(db);
	return db;
}

static int
post(struct db *db, int64_t org, const char *key, const char *cur,
    const struct ledger_line *l, size_t n, int64_t *id)
{
	struct ledger_entry	 e = { org, key, "adjustment", "test", cur, 1,
	    l, n };
	int			 rc;

	if (db_begin_write(db) != DB_OK)
		return -1;
	rc = ledger_post(db, &e, id);
	if (rc == LEDGER_OK)
		db_commit(db);
	else
		db_rollback(db);
	return rc;
}

static int64_t
count(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static cents_t
bal(struct db *db, int64_t org, enum ledger_account a, const char *cur)
{
	cents_t	 b = -999;

	ledger_balance(db, org, a, cur, &b);
	return b;
}

/* Entries that ledger_entry_check must refuse, without the database. */
static const struct ledger_line l_one[] = { { ACC_CASH, 100 } };
static const struct ledger_line l_unbal[] = { { ACC_CASH, 100 },
    { ACC_RECEIVABLE, -99 } };
static const struct ledger_line l_zero[] = { { ACC_CASH, 0 },
    { ACC_RECEIVABLE, 0 } };
static const struct ledger_line l_ovf[] = { { ACC_CASH, INT64_MAX },
    { ACC_CASH, 1 }, { ACC_RECEIVABLE, -1 } };
static const struct ledger_line l_badacc[] = { { ACC__MAX, 100 },
    { ACC_RECEIVABLE, -100 } };
static const struct ledger_line l_ok[] = { { ACC_RECEIVABLE, 6000 },
    { ACC_REVENUE, -5000 }, { ACC_TAX, -1000 } };

static const struct {
	const struct ledger_line	*l;
	size_t				 n;
	const char			*cur;
	const char			*key;
	int				 want;
} checks[] = {
	{ l_ok, 3, "USD", "k", LEDGER_OK },		/* balanced, 3 lines */
	{ l_one, 1, "USD", "k", LEDGER_EINVAL },	/* one line */
	{ l_unbal, 2, "USD", "k", LEDGER_EUNBALANCED },	/* off by a cent */
	{ l_zero, 2, "USD", "k", LEDGER_EINVAL },	/* zero lines */
	{ l_ovf, 3, "USD", "k", LEDGER_EOVERFLOW },	/* sum overflows */
	{ l_badacc, 2, "USD", "k", LEDGER_EINVAL },	/* unknown account */
	{ l_ok, 3, "XXX", "k", LEDGER_EINVAL },		/* unknown currency */
	{ l_ok, 3, "USD", "", LEDGER_EINVAL },		/* empty key */
	{ l_ok, 3, "USD", NULL, LEDGER_EINVAL },	/* no key */
};

int
main(void)
{
	struct db		*db, *db2;
	struct ledger_report	 rep;
	struct ledger_line	 inv[] = { { ACC_RECEIVABLE, 6000 },
	    { ACC_REVENUE, -6000 } };
	struct ledger_line	 pay[] = { { ACC_CASH, 6000 },
	    { ACC_RECEIVABLE, -6000 } };
	struct ledger_line	 cred[] = { { ACC_REVENUE, 500 },
	    { ACC_CUSTOMER_CREDIT, -500 } };
	struct ledger_line	 use[] = { { ACC_CUSTOMER_CREDIT, 300 },
	    { ACC_RECEIVABLE, -300 } };
	int64_t			 id1 = 0, id2 = 0;
	cents_t			 c;
	size_t			 i;
	char			 cmd[300];
	int			 v;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct ledger_entry e = { 1, checks[i].key, "adjustment",
		    "m", checks[i].cur, 0, checks[i].l, checks[i].n };

		is_i64(ledger_entry_check(&e), checks[i].want,
		    "entry check %zu: %s", i, ledger_strerror(checks[i].want));
	}

	db = fresh();
	is_i64(db_schema_version(db, &v), DB_OK, "schema version read");
	is_i64(v, (int64_t)db_nmigrations, "migrated to the binary's version");

	is_i64(post(db, 1, "inv-1", "USD", inv, 2, &id1), LEDGER_OK,
	    "an invoice entry posts");
	is_i64(post(db, 1, "pay-1", "USD", pay, 2, NULL), LEDGER_OK,
	    "its payment posts");
	is_i64(post(db, 1, "inv-1", "USD", inv, 2, &id2), LEDGER_EDUPLICATE,
	    "the same key posts once");
	is_i64(id2, id1, "the duplicate names the first entry");
	is_i64(count(db, "SELECT count(*) FROM journal_entry"), 2,
	    "two entries, not three");
	is_i64(post(db, 1, "bad-1", "USD", l_unbal, 2, NULL),
	    LEDGER_EUNBALANCED, "an unbalanced entry is refused");
	is_i64(count(db, "SELECT count(*) FROM journal_entry WHERE "
	    "idem_key = 'bad-1'"), 0, "and leaves nothing behind");

	is_i64(bal(db, 1, ACC_RECEIVABLE, "USD"), 0, "receivable settled");
	is_i64(bal(db, 1, ACC_CASH, "USD"), 6000, "cash 60.00");
	is_i64(bal(db, 1, ACC_REVENUE, "USD"), -6000, "revenue -60.00");
	is_i64(bal(db, 2, ACC_CASH, "EUR"), 0, "another org sees nothing");

	is_i64(post(db, 1, "credit-1", "USD", cred, 2, NULL), LEDGER_OK,
	    "a sync credit posts");
	is_i64(post(db, 1, "use-1", "USD", use, 2, NULL), LEDGER_OK,
	    "part of it is used");
	ledger_credit_available(db, 1, "USD", &c);
	is_i64(c, 200, "2.00 of credit is left");
	is_i64(bal(db, 1, ACC_RECEIVABLE, "USD"), -300,
	    "receivable reflects the credit used");

	ledger_check(db, &rep);
	ok(rep.unbalanced == 0 && rep.thin == 0 && rep.balances == 0 &&
	    rep.line_org == 0 && rep.overdrawn == 0, "invariants hold");

	/* Append-only: the triggers refuse changes, even by hand. */
	ok(sqlite3_exec(db->h, "UPDATE journal_line SET amount = 1",
	    NULL, NULL, NULL) != SQLITE_OK, "UPDATE of a line is refused");
	ok(sqlite3_exec(db->h, "DELETE FROM journal_line", NULL, NULL,
	    NULL) != SQLITE_OK, "DELETE of lines is refused");
	ok(sqlite3_exec(db->h, "UPDATE journal_entry SET memo = 'x'",
	    NULL, NULL, NULL) != SQLITE_OK, "UPDATE of an entry is refused");
	ok(sqlite3_exec(db->h, "DELETE FROM journal_entry", NULL, NULL,
	    NULL) != SQLITE_OK, "DELETE of entries is refused");
	ok(sqlite3_exec(db->h, "DELETE FROM account_balance", NULL, NULL,
	    NULL) != SQLITE_OK, "DELETE of balances is refused");

	/* The check finds damage done behind the ledger's back. */
	sqlite3_exec(db->h, "INSERT INTO journal_line (entry_id, org_id, "
	    "account, amount) VALUES (1, 1, 'cash', 7)", NULL, NULL, NULL);
	ledger_check(db, &rep);
	is_i64(rep.unbalanced, 1, "a stray line unbalances its entry");
	sqlite3_exec(db->h, "INSERT INTO journal_line (entry_id, org_id, "
	    "account, amount) VALUES (1, 2, 'cash', -7)", NULL, NULL, NULL);
	ledger_check(db, &rep);
	is_i64(rep.unbalanced, 0, "balanced again by a second stray line");
	is_i64(rep.line_org, 1, "but filed under another organization");
	sqlite3_exec(db->h, "UPDATE account_balance SET balance = 1 WHERE "
	    "account = 'revenue'", NULL, NULL, NULL);
	ledger_check(db, &rep);
	is_i64(rep.balances, 1, "an edited stored balance is found");
	sqlite3_exec(db->h, "INSERT INTO journal_entry (org_id, idem_key, "
	    "kind, memo, currency, posted_at) VALUES (2, 'thin', "
	    "'adjustment', '', 'EUR', 0)", NULL, NULL, NULL);
	ledger_check(db, &rep);
	is_i64(rep.thin, 1, "an entry without lines is found");

	/* Overdrawn credit in a fresh organization. */
	is_i64(post(db, 2, "over-1", "EUR", use, 2, NULL), LEDGER_OK,
	    "posting credit use without credit is not the ledger's business");
	ledger_check(db, &rep);
	is_i64(rep.overdrawn, 1, "but verify reports it overdrawn");

	/* A database newer than the binary is refused. */
	db_close(db);
	db = NULL;
	snprintf(cmd, sizeof(cmd), "%s", path);
	if (db_open(cmd, 0, &db2) == DB_OK) {
		sqlite3_exec(db2->h, "PRAGMA user_version = 99", NULL, NULL,
		    NULL);
		db_close(db2);
	}
	is_i64(db_open(path, 0, &db2), DB_ERROR,
	    "a newer schema is refused by the workers");
	is_i64(db_open(path, DB_MIGRATE, &db2), DB_ERROR,
	    "and by migrate");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	/* Every count of the report is in the table verify prints. */
	is_i64((int64_t)(ledger_report_nfields * sizeof(int64_t)),
	    (int64_t)sizeof(struct ledger_report),
	    "each of the report's counts has a label");
	{
		struct ledger_report	 r;
		size_t			 f;
		int			 each = 1;

		for (f = 0; f < ledger_report_nfields; f++) {
			memset(&r, 0, sizeof(r));
			memcpy((char *)&r + ledger_report_fields[f].offset,
			    &(int64_t){ 1 }, sizeof(int64_t));
			each = each && ledger_report_bad(&r) &&
			    ledger_report_count(&r, f) == 1;
		}
		memset(&r, 0, sizeof(r));
		ok(each && !ledger_report_bad(&r),
		    "any one count makes the report bad; none, good");
	}
	return tap_done();
}
