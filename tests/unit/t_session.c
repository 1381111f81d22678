/* t_session.c: sign-in with argon2id: good and bad passwords, rehash of old settings, throttling. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "db_org.h"
#include "session.h"
#include "tap.h"

int
main(void)
{
	char		 dir[] = "/tmp/t_session.XXXXXX", path[128], cmd[96];
	char		 old[crypto_pwhash_STRBYTES], rehash[crypto_pwhash_STRBYTES];
	struct db	*db;
	int64_t		 org, uid, got;
	int		 i;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	/* A hash made with the earlier settings: 19 MiB, two passes. */
	if (crypto_pwhash_str_alg(old, "correct horse", 13, 2,
	    19U * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return 1;
	db_begin_write(db);
	db_org_insert(db, 0, "Org", "USD", "US", "o@x.test", 0, &org);
	db_user_insert(db, org, "ada@x.test", "Ada", "owner", old, 0, &uid);
	db_commit(db);

	is_i64(session_login(db, "ada@x.test", "wrong", "10.0.0.1", 100, &got,
	    rehash, sizeof(rehash)), LOGIN_BAD, "a wrong password");
	is_i64(session_login(db, "nobody@x.test", "correct horse", "10.0.0.1",
	    100, &got, rehash, sizeof(rehash)), LOGIN_BAD, "an unknown account");
	is_i64(session_login(db, "ADA@x.test", "correct horse", "10.0.0.1", 100,
	    &got, rehash, sizeof(rehash)), LOGIN_OK,
	    "the right password, the address in another case");
	is_i64(got, uid, "the right user");
	ok(strncmp(rehash, "$argon2id$", 10) == 0,
	    "a hash of the old settings is made again");
	ok(strstr(rehash, "m=7168,t=5") != NULL, "with 7 MiB and five passes");
	db_begin_write(db);
	is_i64(session_password_set(db, uid, rehash), DB_OK, "stored");
	db_commit(db);
	is_i64(session_login(db, "ada@x.test", "correct horse", "10.0.0.1", 100,
	    &got, rehash, sizeof(rehash)), LOGIN_OK, "the new hash verifies");
	is_str(rehash, "", "and needs no rehash");

	/* Five failures lock the account for a while, right password or not. */
	for (i = 0; i < 4; i++)
		session_login(db, "ada@x.test", "wrong", "10.0.0.2", 200, &got,
		    NULL, 0);
	is_i64(session_login(db, "ada@x.test", "correct horse", "10.0.0.3",
	    200, &got, NULL, 0), LOGIN_THROTTLED, "five failures: throttled");
	is_i64(session_login(db, "ada@x.test", "correct horse", "10.0.0.3",
	    200 + 15 * 60 + 1, &got, NULL, 0), LOGIN_OK,
	    "fifteen minutes later it works again");

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
