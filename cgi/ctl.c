/* ctl.c: reckonctl, the operator's command: migrate, demo, user add, verify. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "db.h"
#include "db_org.h"
#include "demo.h"
#include "ledger.h"
#include "session.h"
#include "util.h"
#include "valid.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: reckonctl [--db PATH] command\n"
	    "  migrate                      bring the schema up to date\n"
	    "  demo [--now TIME]            create the demo ledger in an empty database\n"
	    "  user add EMAIL ORG_ID ROLE [NAME]\n"
	    "                               add a user; the password is read from stdin\n"
	    "  verify                       check ledger invariants and integrity\n"
	    "PATH defaults to $RECKON_HOME/reckon.db (RECKON_HOME: ./var);\n"
	    "TIME is YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD.\n");
	exit(2);
}

static int
cmd_demo(struct db *db, int argc, char *argv[])
{
	char	 hash[crypto_pwhash_STRBYTES];
	int64_t	 now = (int64_t)time(NULL);
	int	 rc;

	if (argc == 2 && strcmp(argv[0], "--now") == 0) {
		if (util_time_parse(argv[1], &now) == -1) {
			fprintf(stderr, "reckonctl: --now: not a time: %s\n",
			    argv[1]);
			return 2;
		}
	} else if (argc != 0)
		usage();
	if (session_password_hash(DEMO_PASSWORD, hash, sizeof(hash)) == -1)
		return 1;
	switch ((rc = demo_create(db, now, hash))) {
	case DB_OK:
		printf("demo ledger created\n");
		return 0;
	case DB_CONFLICT:
		printf("the database already holds data: demo not created\n");
		return 0;
	default:
		fprintf(stderr, "reckonctl: demo: %s\n", db_rc_str(rc));
		return 1;
	}
}

static int
cmd_user(struct db *db, int argc, char *argv[])
{
	char		 pw[1100], hash[crypto_pwhash_STRBYTES];
	struct field	 f;
	struct org	*org = NULL;
	enum role	 role;
	int64_t		 org_id;
	char		*end;
	size_t		 n;
	int		 rc;

	if (argc < 4 || argc > 5 || strcmp(argv[0], "add") != 0)
		usage();
	memset(&f, 0, sizeof(f));
	f.raw = argv[1];
	if (!valid_email(&f)) {
		fprintf(stderr, "reckonctl: not an email address: %s\n",
		    argv[1]);
		return 2;
	}
	org_id = strtoll(argv[2], &end, 10);
	if (*end != '\0' || org_id <= 0) {
		fprintf(stderr, "reckonctl: not an organization id: %s\n",
		    argv[2]);
		return 2;
	}
	if (session_role_parse(argv[3], &role) == -1) {
		fprintf(stderr, "reckonctl: role must be owner, billing_admin, "
		    "accountant or member\n");
		return 2;
	}
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "reckonctl: give the password on stdin\n");
		return 2;
	}
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	memset(&f, 0, sizeof(f));
	f.raw = pw;
	if (n < 8 || !valid_password(&f)) {
		fprintf(stderr, "reckonctl: the password needs 8 to 1024 "
		    "bytes\n");
		sodium_memzero(pw, sizeof(pw));
		return 2;
	}
	rc = session_password_hash(pw, hash, sizeof(hash));
	sodium_memzero(pw, sizeof(pw));
	if (rc == -1)
		return 1;
	if ((rc = db_begin_write(db)) != DB_OK)
		return 1;
	if ((rc = db_org_get(db, org_id, &org)) == DB_NOTFOUND) {
		db_rollback(db);
		fprintf(stderr, "reckonctl: no organization %lld\n",
		    (long long)org_id);
		return 1;
	}
	db_org_free(org);
	if (rc != DB_OK || (rc = db_user_insert(db, org_id, argv[1],
	    argc == 5 ? argv[4] : argv[1], argv[3], hash,
	    (int64_t)time(NULL), NULL)) != DB_OK) {
		db_rollback(db);
		fprintf(stderr, "reckonctl: user add: %s\n", rc == DB_CONFLICT ?
		    "that email address is taken" : db_rc_str(rc));
		return 1;
	}
	if (db_commit(db) != DB_OK)
		return 1;
	printf("user %s added\n", argv[1]);
	return 0;
}

static int
cmd_verify(struct db *db)
{
	struct ledger_report	 rep;
	char			 msg[256];
	int			 rc, bad = 0;

	if ((rc = db_integrity_check(db, msg, sizeof(msg))) == DB_ERROR)
		return 1;
	printf("integrity_check: %s\n", msg);
	bad |= rc != DB_OK;
	if (db_begin_read(db) != DB_OK)
		return 1;
	rc = ledger_check(db, &rep);
	db_rollback(db);
	if (rc != LEDGER_OK)
		return 1;
	printf("unbalanced entries: %lld\n", (long long)rep.unbalanced);
	printf("entries with fewer than two lines: %lld\n",
	    (long long)rep.thin);
	printf("balances unlike their lines: %lld\n", (long long)rep.balances);
	printf("lines under another organization: %lld\n",
	    (long long)rep.line_org);
	printf("customer credit overdrawn: %lld\n", (long long)rep.overdrawn);
	bad |= rep.unbalanced || rep.thin || rep.balances || rep.line_org ||
	    rep.overdrawn;
	printf("%s\n", bad ? "verify: FAILED" : "verify: ok");
	return bad ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	struct db	*db;
	const char	*path = NULL, *home;
	char		*def = NULL;
	int		 rc;

	log_init("reckonctl");
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	argc--;
	argv++;
	if (argc >= 2 && strcmp(argv[0], "--db") == 0) {
		path = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 1)
		usage();
	if (path == NULL) {
		home = getenv("RECKON_HOME");
		def = xasprintf("%s/reckon.db", home && *home ? home : "./var");
		path = def;
	}
	if (db_open(path, strcmp(argv[0], "verify") == 0 ? 0 : DB_MIGRATE,
	    &db) != DB_OK) {
		free(def);
		return 1;
	}
	if (strcmp(argv[0], "migrate") == 0 && argc == 1)
		rc = 0;
	else if (strcmp(argv[0], "demo") == 0)
		rc = cmd_demo(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "user") == 0)
		rc = cmd_user(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "verify") == 0 && argc == 1)
		rc = cmd_verify(db);
	else
		usage();
	db_close(db);
	free(def);
	return rc;
}
