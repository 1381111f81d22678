/* db.h: the SQLite connection, its statement table, transactions, result codes. */
#ifndef RECKON_DB_H
#define RECKON_DB_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* Results of the db layer: expected answers vs. "500 this request". */
enum db_rc {
	DB_OK = 0,	/* done; for db_step: no (more) rows */
	DB_ROW,		/* db_step: a row is ready */
	DB_NOTFOUND,	/* get: no such row */
	DB_CONFLICT,	/* a constraint refused the write */
	DB_BUSY,	/* locked past the busy timeout: 503 */
	DB_FULL,	/* disk full: 503 */
	DB_READONLY,	/* the database cannot be written now: 503 */
	DB_ERROR	/* anything else, logged in db.c: 500 */
};

/* Every SQL statement of the program; text in db.c's stmts[]. */
enum stmt_id {
	STMT_SELLER_INSERT,
	STMT_ORG_INSERT,
	STMT_ORG_GET,
	STMT_ORG_CHILDREN,
	STMT_ORG_COUNT,
	STMT_USER_INSERT,
	STMT_USER_BY_EMAIL,
	STMT_USER_SET_PWHASH,
	STMT_SESSION_INSERT,
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_PURGE,
	STMT_LOGIN_FAIL_INSERT,
	STMT_LOGIN_FAIL_COUNT,
	STMT_LOGIN_FAIL_CLEAR,
	STMT_LOGIN_FAIL_PURGE,
	STMT_PRODUCT_INSERT,
	STMT_PLAN_INSERT,
	STMT_SUB_INSERT,
	STMT_SUB_LIST_BY_ORG,
	STMT_SENSOR_INSERT,
	STMT_SENSOR_COUNT_BY_ORG,
	STMT_ENTRY_INSERT,
	STMT_ENTRY_BY_KEY,
	STMT_LINE_INSERT,
	STMT_BALANCE_GET,
	STMT_DETAILS_GET,
	STMT_DETAILS_UPDATE,
	STMT_CC_LIST,
	STMT_CC_DELETE,
	STMT_CC_INSERT,
	STMT_PM_LIST,
	STMT_PM_GET,
	STMT_PM_INSERT,
	STMT_PM_CLEAR_DEFAULT,
	STMT_PM_SET_DEFAULT,
	STMT_PM_REMOVE,
	STMT_PM_COUNT,
	STMT_SUB_CHARGEABLE_COUNT,
	STMT_AUDIT_INSERT,
	STMT_AUDIT_LIST,
	STMT_OUTBOX_INSERT,
	STMT_FORM_TOKEN_GET,
	STMT_FORM_TOKEN_INSERT,
	STMT_FORM_TOKEN_PURGE,
	STMT_SELLER_DOC,
	STMT_SERIES_NEXT,
	STMT_DOC_INSERT,
	STMT_DOC_LINE_INSERT,
	STMT_DOC_GET,
	STMT_DOC_BY_NUMBER,
	STMT_DOC_BY_ENTRY,
	STMT_DOC_LINES,
	STMT_RECEIPT_INSERT,
	STMT_RECEIPT_BY_ENTRY,
	STMT_RECEIPTS_BY_DOC,
	STMT_DOC_LIST,
	STMT_DOC_LIST_BEFORE,
	STMT_SUB_GET,
	STMT_SUB_ADVANCE,
	STMT_SUB_EXPIRE,
	STMT_SUB_OTHERS_OF_PRODUCT,
	STMT_SENSOR_REMOVE_PRODUCT,
	STMT_PM_DEFAULT,
	STMT_CHARGE_INSERT,
	STMT_CHARGE_DUE,
	STMT_CHARGE_GET,
	STMT_CHARGE_UPDATE,
	STMT_CHARGE_TROUBLE,
	STMT_PRODUCT_BY_CODE,
	STMT_SENSOR_GET,
	STMT_SENSOR_REDEPLOY,
	STMT_SENSOR_REMOVE,
	STMT_SENSOR_COUNT_PRODUCT,
	STMT_SUB_ACTIVE_BY_PRODUCT,
	STMT_SUB_SET_QUANTITY,
	STMT_SUB_CANCEL,
	STMT_SUB_RESUME,
	STMT_PLAN_GET,
	STMT_PLAN_LIST,
	STMT_SUB_CHANGE_PLAN,
	STMT_APIKEY_INSERT,
	STMT_APIKEY_LIST,
	STMT_APIKEY_GET,
	STMT_APIKEY_REVOKE,
	STMT_APIKEY_CHECK,
	STMT_OUTBOX_NEXT_DUE,
	STMT_OUTBOX_LEASE,
	STMT_OUTBOX_SENT,
	STMT_OUTBOX_FAILED,
	STMT_OUTBOX_WAITING,
	STMT_SUB_REPLACED,
	STMT_VERIFY_UNBALANCED,
	STMT_VERIFY_EMPTY_ENTRIES,
	STMT_VERIFY_BALANCES,
	STMT_VERIFY_LINE_ORG,
	STMT_VERIFY_CREDIT_OVERDRAWN,
	STMT_VERIFY_DOC_GAPS,
	STMT_VERIFY_DOC_ENTRY,
	STMT_TX_BEGIN,
	STMT_TX_BEGIN_WRITE,
	STMT_TX_COMMIT,
	STMT_TX_ROLLBACK,
	STMT__MAX
};

/* A compiled-in migration (cgi/schema/NNNN-*.sql, see embed.sh). */
struct migration {
	const char	*name;
	const char	*sql;
};
extern const struct migration db_migrations[];
extern const size_t db_nmigrations;

/*
 * A statement kept beside the code that binds it and reads its rows:
 * static struct db_sql q = { "SELECT ..." }; then db_sql(db, &q).
 */
struct db_sql {
	const char	*text;
	int		 slot;		/* set on first use */
};

struct db {
	sqlite3		*h;
	sqlite3_stmt	*st[STMT__MAX];	/* prepared lazily */
	sqlite3_stmt	**local;	/* db_sql's, by slot */
	size_t		 nlocal;
	int		 lockfd;	/* the application write lock */
	int		 in_write;	/* holding the lock in a write tx */
	int		 read_depth;	/* nested db_begin_read calls */
	int		 wal_frames;	/* frames in the WAL after the last commit */
	int		 last_rc;	/* the last failure, for 500 vs 503 */
};

#define DB_MIGRATE	0x01	/* db_open: bring the schema up to date */
#define DB_COPY		0x02	/* db_open: a backup, its journal mode kept */

int		 db_open(const char *, int, struct db **);
void		 db_close(struct db *);
int		 db_migrate(struct db *);
int		 db_schema_version(struct db *, int *);
sqlite3_stmt	*db_stmt(struct db *, enum stmt_id);
int		 db_bind(struct db *, sqlite3_stmt *, const char *, ...);
int		 db_get_int(struct db *, enum stmt_id, int64_t *, const char *,
		    ...);
sqlite3_stmt	*db_sql(struct db *, struct db_sql *);
int		 db_sql_int(struct db *, struct db_sql *, int64_t *,
		    const char *, ...);
int		 db_step(struct db *, sqlite3_stmt *);
void		 db_reset(sqlite3_stmt *);
int		 db_exec(struct db *, sqlite3_stmt *);
int64_t		 db_col_int(sqlite3_stmt *, int);
char		*db_col_dup(sqlite3_stmt *, int);
void		 db_col_copy(sqlite3_stmt *, int, char *, size_t);
int		 db_begin_read(struct db *);
int		 db_begin_write(struct db *);
int		 db_begin_write_nowait(struct db *);
int		 db_rc_unavailable(int);
int		 db_commit(struct db *);
int		 db_savepoint(struct db *);
int		 db_savepoint_release(struct db *);
int		 db_savepoint_undo(struct db *);
void		 db_rollback(struct db *);
int		 db_checkpoint(struct db *);
int		 db_integrity_check(struct db *, char *, size_t);
int		 db_backup(struct db *, const char *);
int		 db_file_schema_version(const char *, int *);
int		 db_restore(struct db *, const char *);
const char	*db_rc_str(int);

#endif
