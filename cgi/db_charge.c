/* db_charge.c: data access for charges: those declined or failed, for the overview's banner. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_charge.h"
#include "util.h"

/*
 * The declined or failed charges of org, newest first, into out
 * (db_charge_trouble_list_free, even on failure).  Returns DB_OK
 * (possibly with none) or a failure.
 */
int
db_charge_trouble_list(struct db *db, int64_t org,
    struct charge_trouble_list *out)
{
	sqlite3_stmt		*st = db_stmt(db, STMT_CHARGE_TROUBLE);
	struct charge_trouble	*c;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		c = &out->v[out->n++];
		memset(c, 0, sizeof(*c));
		c->amount = db_col_int(st, 0);
		snprintf(c->currency, sizeof(c->currency), "%s",
		    (const char *)sqlite3_column_text(st, 1));
		snprintf(c->number, sizeof(c->number), "%s",
		    (const char *)sqlite3_column_text(st, 2));
		c->last_error = db_col_dup(st, 3);
		c->failed = strcmp((const char *)sqlite3_column_text(st, 4),
		    "failed") == 0;
	}
	db_reset(st);
	return rc;
}

/* Free a trouble list's contents. */
void
db_charge_trouble_list_free(struct charge_trouble_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].last_error);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
