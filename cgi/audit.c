/* audit.c: write and page through the audit log. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "util.h"

/*
 * Record that actor changed action ("invoice email", ...) of org from
 * old to new, inside the caller's write transaction, so the record and
 * the change commit together.  *id (if not NULL) is the new row.
 * Returns DB_OK or a failure.
 */
int
audit_add(struct db *db, int64_t org, const struct actor *a,
    const char *action, const char *old, const char *new, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_AUDIT_INSERT);
	int		 rc;

	rc = a->user_id > 0 ?
	    db_bind(db, st, "iittittt", org, a->user_id, a->email, a->addr,
	    a->now, action, old, new) :
	    db_bind(db, st, "inttittt", org, a->email, a->addr, a->now,
	    action, old, new);
	if (rc != DB_OK)
		return rc;
	if ((rc = db_exec(db, st)) == DB_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

/*
 * Up to limit rows of org's audit log older than row before (0: from the
 * newest), newest first, into out (audit_list_free, even on failure).
 */
int
audit_list(struct db *db, int64_t org, int64_t before, size_t limit,
    struct audit_list *out)
{
	sqlite3_stmt		*st = db_stmt(db, STMT_AUDIT_LIST);
	struct audit_row	*a;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "iii", org, before > 0 ? before : INT64_MAX,
	    (int64_t)limit) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		a = &out->v[out->n++];
		a->id = db_col_int(st, 0);
		a->actor = db_col_dup(st, 1);
		a->addr = db_col_dup(st, 2);
		a->at = db_col_int(st, 3);
		a->action = db_col_dup(st, 4);
		a->old_value = db_col_dup(st, 5);
		a->new_value = db_col_dup(st, 6);
	}
	db_reset(st);
	return rc;
}

/* Free an audit list's contents. */
void
audit_list_free(struct audit_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].actor);
		free(l->v[i].addr);
		free(l->v[i].action);
		free(l->v[i].old_value);
		free(l->v[i].new_value);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
