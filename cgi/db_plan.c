/* db_plan.c: data access for plans: those on offer in a currency, and what a plan change did. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_plan.h"
#include "util.h"

/*
 * The plans in currency cur (borrowed), by kind, product name and
 * period, into out (db_plan_list_free, even on failure).  Returns
 * DB_OK (possibly with none) or a failure.
 */
int
db_plan_list_by_currency(struct db *db, const char *cur,
    struct plan_list *out)
{
	sqlite3_stmt		*st = db_stmt(db, STMT_PLAN_LIST);
	const unsigned char	*t;
	struct plan_row		*p;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "t", cur) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = db_col_int(st, 0);
		p->product_id = db_col_int(st, 1);
		t = sqlite3_column_text(st, 2);
		p->annual = t != NULL && strcmp((const char *)t, "annual") == 0;
		db_col_copy(st, 3, p->currency, sizeof(p->currency));
		p->unit_price = db_col_int(st, 4);
		p->product = db_col_dup(st, 5);
		t = sqlite3_column_text(st, 6);
		p->seat = t != NULL && strcmp((const char *)t, "seat") == 0;
	}
	db_reset(st);
	return rc;
}

/* Free a plan list's contents. */
void
db_plan_list_free(struct plan_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].product);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * What the plan change that user spent form token tok (borrowed) on
 * billed, read back from the ledger: *out is PLAN_OUT_INVOICE with the
 * invoice's id in *doc, PLAN_OUT_NEXT_INVOICE (an accrual under the
 * key), PLAN_OUT_CREDIT (nothing under the key: the unused time given
 * back under keys of its own), or PLAN_OUT_UNKNOWN if the token is not one this user
 * spent on a plan change whose answer was location (borrowed).  Call
 * inside a transaction.  Returns DB_OK or a failure.
 */
int
db_plan_outcome_get(struct db *db, int64_t user, const char *tok,
    const char *location, enum plan_outcome *out, int64_t *doc)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_FORM_TOKEN_GET);
	char		 key[128];
	int64_t		 entry;
	int		 rc, same = 0;

	*out = PLAN_OUT_UNKNOWN;
	*doc = 0;
	if (db_bind(db, st, "ti", tok, user) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW)
		same = sqlite3_column_text(st, 0) != NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 0),
		    location) == 0;
	db_reset(st);
	if (rc != DB_ROW)
		return rc;
	if (!same)
		return DB_OK;
	snprintf(key, sizeof(key), "plan:%s", tok);
	if ((rc = db_get_int(db, STMT_ENTRY_BY_KEY, &entry, "t", key)) !=
	    DB_OK && rc != DB_NOTFOUND)
		return rc;
	if (entry == 0) {
		/* Nothing under the key itself: a credit, or no amount. */
		*out = PLAN_OUT_CREDIT;
		return DB_OK;
	}
	if ((rc = db_get_int(db, STMT_DOC_BY_ENTRY, doc, "i", entry)) !=
	    DB_OK && rc != DB_NOTFOUND)
		return rc;
	/* An entry without a document is an accrual. */
	*out = *doc != 0 ? PLAN_OUT_INVOICE : PLAN_OUT_NEXT_INVOICE;
	return DB_OK;
}
