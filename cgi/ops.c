/* ops.c: the operator's view: when the jobs last ran, what is queued. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <string.h>

#include "db.h"
#include "ops.h"

static struct db_sql q_start = {
	.text = "INSERT INTO job_run (job, started_at, finished_at, result) "
	"VALUES (?, ?, NULL, '') ON CONFLICT (job) DO UPDATE SET "
	"started_at = excluded.started_at, finished_at = NULL, result = ''"
};

static struct db_sql q_end = {
	.text = "UPDATE job_run SET finished_at = ?, result = ? WHERE job = ?"
};

static struct db_sql q_run = {
	.text = "SELECT started_at, coalesce(finished_at, 0), result "
	"FROM job_run WHERE job = ?"
};
enum { RUN_STARTED, RUN_FINISHED, RUN_RESULT };

static struct db_sql q_mail = {
	.text = "SELECT count(*), coalesce(sum(next_attempt_at <= ?), 0) "
	"FROM outbox WHERE sent_at IS NULL"
};

/* The charges renew attempts again (STMT_CHARGE_DUE's, by charge_open). */
static struct db_sql q_charges = {
	.text = "SELECT count(*), coalesce(sum(next_attempt_at <= ?), 0) "
	"FROM charge WHERE status IN ('pending', 'declined')"
};

/*
 * Run st (bound by the caller; NULL if that failed) in the write
 * transaction the caller began, and end it.
 */
static int
write_one(struct db *db, sqlite3_stmt *st)
{
	int	 rc;

	if ((rc = st == NULL ? DB_ERROR : db_exec(db, st)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* Record that job started at now (wall-clock time). */
int
ops_job_start(struct db *db, const char *job, int64_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if ((st = db_sql(db, &q_start)) != NULL &&
	    db_bind(db, st, "ti", job, now) != DB_OK)
		st = NULL;
	return write_one(db, st);
}

/* Record that job ended at now with result, a line in words. */
int
ops_job_end(struct db *db, const char *job, int64_t now, const char *result)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if ((st = db_sql(db, &q_end)) != NULL &&
	    db_bind(db, st, "itt", now, result, job) != DB_OK)
		st = NULL;
	return write_one(db, st);
}

static int
read_run(struct db *db, const char *job, struct ops_run *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((st = db_sql(db, &q_run)) == NULL ||
	    db_bind(db, st, "t", job) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		r->started_at = db_col_int(st, RUN_STARTED);
		r->finished_at = db_col_int(st, RUN_FINISHED);
		db_col_copy(st, RUN_RESULT, r->result, sizeof(r->result));
		rc = DB_OK;
	}
	db_reset(st);
	return rc;
}

/* A count and how many of them are due at now. */
static int
read_queue(struct db *db, struct db_sql *q, int64_t now, int64_t *all,
    int64_t *due)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_sql(db, q)) == NULL || db_bind(db, st, "i", now) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		*all = db_col_int(st, 0);
		*due = db_col_int(st, 1);
		rc = DB_OK;
	}
	db_reset(st);
	return rc == DB_OK ? DB_OK : DB_ERROR;
}

/* Fill *s as of now, in one read transaction. */
int
ops_status(struct db *db, int64_t now, struct ops_status *s)
{
	int	 rc;

	memset(s, 0, sizeof(*s));
	if ((rc = db_schema_version(db, &s->schema)) != DB_OK ||
	    (rc = db_begin_read(db)) != DB_OK)
		return rc;
	if ((rc = read_queue(db, &q_mail, now, &s->mail_waiting,
	    &s->mail_due)) == DB_OK &&
	    (rc = read_queue(db, &q_charges, now, &s->charges_open,
	    &s->charges_due)) == DB_OK &&
	    (rc = read_run(db, "renew", &s->renew)) == DB_OK)
		rc = read_run(db, "mail", &s->mail);
	db_rollback(db);
	return rc;
}
