/* outbox.c: queue messages in the same transaction as the change that causes them. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include "db.h"
#include "outbox.h"

/*
 * Queue a message to to for org inside the caller's write transaction.
 * key makes it idempotent: a message queued under the same key before
 * is not queued again (still DB_OK).  document 0 means no attachment.
 * A new message is due at once, whatever now says (a renewal run with a
 * --now in the future queues mail that a later real-time run delivers).
 * Returns DB_OK or a failure.
 */
int
outbox_queue(struct db *db, int64_t org, const char *key, const char *kind,
    const char *to, const char *subject, const char *body, int64_t document,
    int64_t now)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_OUTBOX_INSERT);
	int		 rc;

	rc = document > 0 ?
	    db_bind(db, st, "itttttiii", org, key, kind, to, subject, body,
	    document, now, (int64_t)0) :
	    db_bind(db, st, "itttttnii", org, key, kind, to, subject, body,
	    now, (int64_t)0);
	if (rc != DB_OK)
		return rc;
	return db_exec(db, st);
}
