/* ledger.c: post balanced journal entries, derive balances, check invariants. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "ledger.h"
#include "money.h"
#include "util.h"

static const char *const account_names[ACC__MAX] = {
	"receivable",		/* ACC_RECEIVABLE */
	"customer_credit",	/* ACC_CUSTOMER_CREDIT */
	"cash",			/* ACC_CASH */
	"revenue",		/* ACC_REVENUE */
	"tax",			/* ACC_TAX */
	"unbilled",		/* ACC_UNBILLED */
};

/* The account's name as stored in journal_line.account. */
const char *
ledger_account_name(enum ledger_account a)
{
	if ((unsigned)a >= ACC__MAX)
		abort();
	return account_names[a];
}

/*
 * Check an entry without touching the database: at least two lines, no
 * zero line, known accounts, a known currency, a key, and lines that sum
 * to exactly zero.  Returns LEDGER_OK, LEDGER_EINVAL, LEDGER_EOVERFLOW
 * or LEDGER_EUNBALANCED.
 */
int
ledger_entry_check(const struct ledger_entry *e)
{
	cents_t	 sum = 0;
	size_t	 i;

	if (e->nlines < 2 || e->idem_key == NULL || *e->idem_key == '\0' ||
	    e->kind == NULL || e->memo == NULL || e->currency == NULL ||
	    money_currency(e->currency) == NULL || e->org_id <= 0)
		return LEDGER_EINVAL;
	for (i = 0; i < e->nlines; i++) {
		if ((unsigned)e->lines[i].account >= ACC__MAX ||
		    e->lines[i].amount == 0)
			return LEDGER_EINVAL;
		if (money_add(sum, e->lines[i].amount, &sum) != MONEY_OK)
			return LEDGER_EOVERFLOW;
	}
	return sum == 0 ? LEDGER_OK : LEDGER_EUNBALANCED;
}

/*
 * Post e inside the caller's write transaction.  An entry whose key was
 * posted before is not posted again: LEDGER_EDUPLICATE, with *id (if not
 * NULL) set to the earlier entry.  On LEDGER_OK *id is the new entry.
 * Other failures: those of ledger_entry_check, or LEDGER_EDB; the caller
 * rolls back.
 */
int
ledger_post(struct db *db, const struct ledger_entry *e, int64_t *id)
{
	sqlite3_stmt	*st;
	int64_t		 eid;
	size_t		 i;
	int		 rc;

	if ((rc = ledger_entry_check(e)) != LEDGER_OK)
		return rc;
	if ((rc = db_get_int(db, STMT_ENTRY_BY_KEY, &eid, "t",
	    e->idem_key)) == DB_OK) {
		if (id != NULL)
			*id = eid;
		return LEDGER_EDUPLICATE;
	}
	if (rc != DB_NOTFOUND)
		return LEDGER_EDB;

	st = db_stmt(db, STMT_ENTRY_INSERT);
	if (db_bind(db, st, "itttti", e->org_id, e->idem_key, e->kind,
	    e->memo, e->currency, e->posted_at) != DB_OK ||
	    db_exec(db, st) != DB_OK)
		return LEDGER_EDB;
	eid = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < e->nlines; i++) {
		st = db_stmt(db, STMT_LINE_INSERT);
		if (db_bind(db, st, "iiti", eid, e->org_id,
		    account_names[e->lines[i].account],
		    (int64_t)e->lines[i].amount) != DB_OK ||
		    db_exec(db, st) != DB_OK)
			return LEDGER_EDB;
	}
	if (id != NULL)
		*id = eid;
	return LEDGER_OK;
}

/*
 * The balance of one account of org in currency cur (debit positive),
 * as kept by the journal's trigger.  Returns LEDGER_OK or LEDGER_EDB.
 */
int
ledger_balance(struct db *db, int64_t org, enum ledger_account a,
    const char *cur, cents_t *out)
{
	int	 rc;

	rc = db_get_int(db, STMT_BALANCE_GET, out, "itt", org,
	    ledger_account_name(a), cur);
	return rc == DB_OK || rc == DB_NOTFOUND ? LEDGER_OK : LEDGER_EDB;
}

/*
 * The customer credit org may spend, as a non-negative amount (the
 * liability account's credit balance).  Returns LEDGER_OK or LEDGER_EDB.
 */
int
ledger_credit_available(struct db *db, int64_t org, const char *cur,
    cents_t *out)
{
	cents_t	 b;
	int	 rc;

	*out = 0;
	if ((rc = ledger_balance(db, org, ACC_CUSTOMER_CREDIT, cur, &b)) !=
	    LEDGER_OK)
		return rc;
	*out = b < 0 ? -b : 0;
	return LEDGER_OK;
}

static int
count_rows(struct db *db, enum stmt_id id, int64_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*n = 0;
	if ((st = db_stmt(db, id)) == NULL)
		return LEDGER_EDB;
	while ((rc = db_step(db, st)) == DB_ROW)
		(*n)++;
	db_reset(st);
	return rc == DB_OK ? LEDGER_OK : LEDGER_EDB;
}

static int
count_value(struct db *db, enum stmt_id id, int64_t *n)
{
	return db_get_int(db, id, n, "") == DB_OK ? LEDGER_OK : LEDGER_EDB;
}

/* Accrual entries whose accruals do not add up to their unbilled line. */
static struct db_sql q_verify_accrual_entry = { .text =
	"SELECT count(*) FROM journal_entry e WHERE e.kind = 'accrual' AND "
	"(SELECT coalesce(sum(l.amount), 0) FROM journal_line l "
	"WHERE l.entry_id = e.id AND l.account = 'unbilled') <> "
	"(SELECT coalesce(sum(a.amount), 0) FROM accrual a "
	"WHERE a.entry_id = e.id)"
};

/* Organizations whose unbilled balance is not their open accruals. */
static struct db_sql q_verify_unbilled = { .text =
	"WITH b AS (SELECT org_id, sum(balance) AS v FROM account_balance "
	"WHERE account = 'unbilled' GROUP BY org_id), "
	"a AS (SELECT org_id, sum(amount) AS v FROM accrual "
	"WHERE closed_at IS NULL GROUP BY org_id) "
	"SELECT count(*) FROM (SELECT org_id FROM b WHERE v <> coalesce("
	"(SELECT v FROM a WHERE a.org_id = b.org_id), 0) UNION "
	"SELECT org_id FROM a WHERE v <> coalesce((SELECT v FROM b "
	"WHERE b.org_id = a.org_id), 0))"
};

/* Invoices whose entry moved from unbilled what they did not close. */
static struct db_sql q_verify_billed = { .text =
	"SELECT count(*) FROM document d WHERE d.kind = 'invoice' AND "
	"-(SELECT coalesce(sum(l.amount), 0) FROM journal_line l "
	"WHERE l.entry_id = d.entry_id AND l.account = 'unbilled') <> "
	"(SELECT coalesce(sum(a.amount), 0) FROM accrual a "
	"WHERE a.document_id = d.id)"
};

/* Open accruals of a subscription that ended: dropped, never billed. */
static struct db_sql q_verify_expired_open = { .text =
	"SELECT count(*) FROM accrual a JOIN subscription s "
	"ON s.id = a.subscription_id WHERE a.closed_at IS NULL "
	"AND s.status = 'expired'"
};

/* Invoices credited by more than their total. */
static struct db_sql q_verify_overcredited = { .text =
	"SELECT count(*) FROM document d WHERE d.kind = 'invoice' AND "
	"-(SELECT coalesce(sum(c.total), 0) FROM document c "
	"WHERE c.corrects_id = d.id) > d.total"
};

/* Customer credit granted by an entry no document explains. */
static struct db_sql q_verify_credit_unexplained = { .text =
	"SELECT count(*) FROM journal_line l WHERE l.account = "
	"'customer_credit' AND l.amount < 0 AND NOT EXISTS (SELECT 1 "
	"FROM document d WHERE d.entry_id = l.entry_id)"
};

/* Documents issued before an earlier number of their series. */
static struct db_sql q_verify_dates_back = { .text =
	"SELECT count(*) FROM document d JOIN document p ON p.kind = d.kind "
	"AND p.series_year = d.series_year AND p.seq = d.seq - 1 "
	"WHERE d.issued_at < p.issued_at"
};

static int
count_sql(struct db *db, struct db_sql *q, int64_t *n)
{
	return db_sql_int(db, q, n, "") == DB_OK ? LEDGER_OK : LEDGER_EDB;
}

/*
 * Check the journal's invariants over the whole database: every entry
 * balances and has two lines or more, stored balances equal the sums of
 * lines, lines belong to their entry's organization, no customer has
 * spent more credit than granted, document numbers have no holes and
 * their dates never go back, every document's total is what its journal
 * entry posted; accruals add up to their entries, each organization's
 * unbilled balance is its open accruals, each invoice closed what it
 * moved from unbilled, no ended subscription keeps open accruals, no
 * invoice is credited beyond its total, and every customer credit
 * granted has a document.  Fills *rep.  Returns LEDGER_OK
 * when the check ran (look at *rep), LEDGER_EDB if it could not.
 */
int
ledger_check(struct db *db, struct ledger_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (count_rows(db, STMT_VERIFY_UNBALANCED, &rep->unbalanced) ||
	    count_rows(db, STMT_VERIFY_EMPTY_ENTRIES, &rep->thin) ||
	    count_value(db, STMT_VERIFY_BALANCES, &rep->balances) ||
	    count_value(db, STMT_VERIFY_LINE_ORG, &rep->line_org) ||
	    count_value(db, STMT_VERIFY_CREDIT_OVERDRAWN, &rep->overdrawn) ||
	    count_value(db, STMT_VERIFY_DOC_GAPS, &rep->doc_gaps) ||
	    count_value(db, STMT_VERIFY_DOC_ENTRY, &rep->doc_entry) ||
	    count_sql(db, &q_verify_accrual_entry, &rep->accrual_entry) ||
	    count_sql(db, &q_verify_unbilled, &rep->unbilled) ||
	    count_sql(db, &q_verify_billed, &rep->billed) ||
	    count_sql(db, &q_verify_expired_open, &rep->expired_open) ||
	    count_sql(db, &q_verify_overcredited, &rep->overcredited) ||
	    count_sql(db, &q_verify_credit_unexplained,
	    &rep->credit_unexplained) ||
	    count_sql(db, &q_verify_dates_back, &rep->dates_back))
		return LEDGER_EDB;
	return LEDGER_OK;
}

#define FIELD(label, name) { label, offsetof(struct ledger_report, name) }

/* Every count of a ledger_report, in the order verify prints them. */
const struct ledger_report_field ledger_report_fields[] = {
	FIELD("unbalanced entries", unbalanced),
	FIELD("entries with fewer than two lines", thin),
	FIELD("balances unlike their lines", balances),
	FIELD("lines under another organization", line_org),
	FIELD("customer credit overdrawn", overdrawn),
	FIELD("document series with holes", doc_gaps),
	FIELD("documents unlike their entry", doc_entry),
	FIELD("accrual entries unlike their accruals", accrual_entry),
	FIELD("unbilled balances unlike open accruals", unbilled),
	FIELD("invoices unlike the accruals they billed", billed),
	FIELD("open accruals of ended subscriptions", expired_open),
	FIELD("invoices credited beyond their total", overcredited),
	FIELD("customer credit no document explains", credit_unexplained),
	FIELD("documents dated before an earlier number", dates_back),
};
const size_t ledger_report_nfields =
    sizeof(ledger_report_fields) / sizeof(ledger_report_fields[0]);

/* Count i of ledger_report_fields in *r. */
int64_t
ledger_report_count(const struct ledger_report *r, size_t i)
{
	int64_t	 v;

	memcpy(&v, (const char *)r + ledger_report_fields[i].offset,
	    sizeof(v));
	return v;
}

/* Whether report r found anything wrong. */
int
ledger_report_bad(const struct ledger_report *r)
{
	size_t	 i;

	for (i = 0; i < ledger_report_nfields; i++)
		if (ledger_report_count(r, i) != 0)
			return 1;
	return 0;
}

/* A sentence for a ledger_rc. */
const char *
ledger_strerror(int rc)
{
	switch (rc) {
	case LEDGER_OK:
		return "posted";
	case LEDGER_EUNBALANCED:
		return "the entry's lines do not sum to zero";
	case LEDGER_EDUPLICATE:
		return "the entry was posted before";
	case LEDGER_EINVAL:
		return "the entry is malformed";
	case LEDGER_EOVERFLOW:
		return "an amount is too large";
	case LEDGER_EDB:
		return "the database failed";
	default:
		return "unknown ledger error";
	}
}
