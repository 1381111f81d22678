/* t_session.c: sign-in with argon2id (passwords, rehash, throttling); the token comparison; idle and absolute session limits. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "db_org.h"
#include "req.h"
#include "session.h"
#include "tap.h"

static int64_t	 wait;

static int
try_login(struct db *db, const char *email, const char *pw, const char *addr,
    const char *device, int64_t now, int64_t *uid, char *rehash, size_t sz)
{
	struct login_try	 t = { email, pw, addr, device, now };

	return session_login(db, &t, uid, &wait, rehash, sz);
}

int
main(void)
{
	char		 dir[] = "/tmp/t_session.XXXXXX", path[128], cmd[96];
	char		 old[crypto_pwhash_STRBYTES], rehash[crypto_pwhash_STRBYTES];
	char		 device[SESSION_DEVICE_LEN];
	struct db	*db;
	int64_t		 org, uid, uid2, got;
	int		 i;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	/* A hash made with the earlier settings: 7 MiB, five passes. */
	if (crypto_pwhash_str_alg(old, "correct horse", 13, 5,
	    7U * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return 1;
	db_begin_write(db);
	db_org_insert(db, 0, "Org", "USD", "US", "o@x.test", 0, &org);
	db_user_insert(db, org, "ada@x.test", "Ada", "owner", old, 0, &uid);
	db_commit(db);

	is_i64(try_login(db, "ada@x.test", "wrong", "10.0.0.1", NULL, 100,
	    &got, rehash, sizeof(rehash)), LOGIN_BAD, "a wrong password");
	is_i64(try_login(db, "nobody@x.test", "correct horse", "10.0.0.1", NULL,
	    100, &got, rehash, sizeof(rehash)), LOGIN_BAD,
	    "an unknown account");
	is_i64(try_login(db, "ADA@x.test", "correct horse", "10.0.0.1", NULL,
	    100, &got, rehash, sizeof(rehash)), LOGIN_OK,
	    "the right password, the address in another case");
	is_i64(got, uid, "the right user");
	ok(strncmp(rehash, "$argon2id$", 10) == 0,
	    "a hash of the old settings is made again");
	ok(strstr(rehash, "m=19456,t=2") != NULL,
	    "with 19 MiB and two passes (ASVS 5.0's floor)");
	db_begin_write(db);
	is_i64(session_password_set(db, uid, rehash), DB_OK, "stored");
	db_commit(db);
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.1", NULL,
	    100, &got, rehash, sizeof(rehash)), LOGIN_OK,
	    "the new hash verifies");
	is_str(rehash, "", "and needs no rehash");

	/*
	 * Five failures from one address hold that account there, with a
	 * delay that doubles with each failure more; another address, or
	 * a browser that signed in before, still signs in.
	 */
	db_begin_write(db);
	session_device_cookie(db, uid, 150, device, sizeof(device));
	db_commit(db);
	for (i = 0; i < 5; i++)
		try_login(db, "ada@x.test", "wrong", "10.0.0.2", NULL, 200,
		    &got, NULL, 0);
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.2", NULL,
	    200, &got, NULL, 0), LOGIN_THROTTLED,
	    "five failures from 10.0.0.2: held there");
	is_i64(wait, 60, "for a minute");
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.3", NULL,
	    200, &got, NULL, 0), LOGIN_OK,
	    "10.0.0.3, which has not failed, signs in");
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.2", device,
	    200, &got, NULL, 0), LOGIN_OK,
	    "a browser that signed in before signs in from 10.0.0.2");
	is_i64(try_login(db, "ada@x.test", "wrong", "10.0.0.2", NULL, 261,
	    &got, NULL, 0), LOGIN_BAD, "a minute later: tried again, wrong");
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.2", NULL,
	    262, &got, NULL, 0), LOGIN_THROTTLED, "now held for two minutes");
	is_i64(wait, 119, "119 s to go");
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.2", NULL,
	    381, &got, NULL, 0), LOGIN_OK, "then the right password works");
	device[strlen(device) - 1] ^= 1;
	for (i = 0; i < 5; i++)
		try_login(db, "ada@x.test", "wrong", "10.0.0.4", NULL, 400,
		    &got, NULL, 0);
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.4", device,
	    400, &got, NULL, 0), LOGIN_THROTTLED,
	    "a forged device cookie vouches for nothing");

	/* Twenty failures from one address hold every account there. */
	db_begin_write(db);
	db_user_insert(db, org, "bo@x.test", "Bo", "owner", old, 0, &uid2);
	db_commit(db);
	for (i = 0; i < 20; i++) {
		char	 who[32];

		snprintf(who, sizeof(who), "u%d@x.test", i);
		try_login(db, who, "wrong", "10.0.0.9", NULL, 500, &got,
		    NULL, 0);
	}
	is_i64(try_login(db, "bo@x.test", "correct horse", "10.0.0.9", NULL,
	    500, &got, NULL, 0), LOGIN_THROTTLED,
	    "20 failures from 10.0.0.9: every account held there");
	db_begin_write(db);
	session_device_cookie(db, uid, 450, device, sizeof(device));
	db_commit(db);
	is_i64(try_login(db, "bo@x.test", "correct horse", "10.0.0.9", device,
	    500, &got, NULL, 0), LOGIN_THROTTLED,
	    "Ada's device cookie vouches for nobody else");
	is_i64(try_login(db, "ada@x.test", "correct horse", "10.0.0.9", device,
	    500, &got, NULL, 0), LOGIN_OK, "but lets Ada sign in there");
	is_i64(try_login(db, "bo@x.test", "correct horse", "10.0.0.9", NULL,
	    500 + 15 * 60 + 1, &got, NULL, 0), LOGIN_OK,
	    "fifteen minutes later it works again");

	/*
	 * The CSRF and session token comparison: equal or not, however
	 * close (sodium_memcmp: the time does not depend on where they
	 * differ), and nothing that is not one of our tokens.
	 */
	{
		char	 a[SESSION_TOKEN_LEN + 1], b[SESSION_TOKEN_LEN + 1];

		memset(a, 'a', SESSION_TOKEN_LEN);
		a[SESSION_TOKEN_LEN] = '\0';
		memcpy(b, a, sizeof(b));
		ok(session_token_eq(a, b), "the same token: equal");
		b[SESSION_TOKEN_LEN - 1] = 'b';
		ok(!session_token_eq(a, b),
		    "its last character changed: refused");
		memcpy(b, a, sizeof(b));
		b[0] = 'b';
		ok(!session_token_eq(a, b),
		    "its first character changed: refused");
		memcpy(b, a, sizeof(b));
		b[SESSION_TOKEN_LEN - 1] = '\0';
		ok(!session_token_eq(a, b), "one character short: refused");
		ok(!session_token_eq(b, b), "two equal short strings: refused");
		{
			char	 c[SESSION_TOKEN_LEN + 2];

			memcpy(c, a, SESSION_TOKEN_LEN);
			c[SESSION_TOKEN_LEN] = 'a';
			c[SESSION_TOKEN_LEN + 1] = '\0';
			ok(!session_token_eq(a, c),
			    "one character more: refused");
			ok(!session_token_eq(c, a),
			    "one character more, the other way: refused");
		}
		ok(!session_token_eq(a, NULL) && !session_token_eq(NULL, NULL),
		    "no token: refused");
	}

	/* A POST's origin, a second layer behind the CSRF token. */
	{
		static const struct {
			const char	*origin, *site;
			int		 want;
		} o[] = {
			{ NULL, NULL, 1 },		/* curl, an old browser */
			{ "https://portal.test", "same-origin", 1 },
			{ "null", "same-origin", 1 },	/* under no-referrer */
			{ "https://evil.test", "same-origin", 1 }, /* its word */
			{ "null", NULL, 1 },		/* left to the token */
			{ "http://portal.test:8080", NULL, 1 },
			{ "https://PORTAL.test", NULL, 1 },
			{ NULL, "cross-site", 0 },
			{ "https://portal.test", "cross-site", 0 },
			{ "https://evil.test", NULL, 0 },
			{ "https://portal.test.evil.test", NULL, 0 },
			{ "https://portal.test:8080.evil.test", NULL, 0 },
			{ "https://portal.test:", NULL, 0 },
			{ "https://evilportal.test", NULL, 0 },
			{ "file://portal.test", NULL, 0 },
		};
		struct req	 r;

		for (i = 0; i < (int)(sizeof(o) / sizeof(o[0])); i++) {
			memset(&r, 0, sizeof(r));
			r.host = "portal.test";
			r.origin = o[i].origin;
			r.fetch_site = o[i].site;
			is_i64(session_same_origin(&r), o[i].want,
			    "origin %s, Sec-Fetch-Site %s: %s",
			    o[i].origin ? o[i].origin : "none",
			    o[i].site ? o[i].site : "none",
			    o[i].want ? "ours" : "refused");
		}
	}

	/*
	 * Idle limit 1800 s, absolute limit 43200 s (the defaults): a
	 * session used every 20 minutes outlives 30 minutes from sign-in;
	 * one left alone for 30 minutes ends; neither outlives 12 hours.
	 */
	{
		char		 busy[SESSION_TOKEN_LEN + 1];
		char		 idle[SESSION_TOKEN_LEN + 1];
		struct session	*sess;
		int64_t		 t0 = 1000000, at;

		db_begin_write(db);
		session_create(db, uid, t0, busy, sizeof(busy));
		session_create(db, uid, t0, idle, sizeof(idle));
		db_commit(db);
		for (at = t0 + 1200; at < t0 + 43200; at += 1200) {
			if (session_load(db, busy, at, 1800, 43200, &sess) !=
			    DB_OK)
				break;
			session_free(sess);
		}
		is_i64(at, t0 + 43200,
		    "used every 20 minutes, it lasts 12 hours");
		is_i64(session_load(db, busy, t0 + 43200 + 1, 1800, 43200,
		    &sess), DB_NOTFOUND, "and not a second more");
		is_i64(session_load(db, idle, t0 + 1800 + 1, 1800, 43200,
		    &sess), DB_NOTFOUND, "left alone for 30 minutes, it ends");
		is_i64(session_load(db, idle, t0 + 1200, 1800, 43200, &sess),
		    DB_NOTFOUND, "and stays ended");
	}

	/*
	 * A database that cannot be written: the session still loads (its
	 * last-seen time is simply not written), and a write says so with
	 * DB_READONLY, which the pages answer 503, not 500.
	 */
	{
		char		 tok[SESSION_TOKEN_LEN + 1];
		char		 tok2[SESSION_TOKEN_LEN + 1];
		struct session	*sess;

		db_begin_write(db);
		session_create(db, uid, 5000000, tok, sizeof(tok));
		db_commit(db);
		sqlite3_exec(db->h, "PRAGMA query_only = ON", NULL, NULL, NULL);
		is_i64(session_load(db, tok, 5000000 + 600, 1800, 43200, &sess),
		    DB_OK, "read-only: a session due to be touched still loads");
		session_free(sess);
		db_begin_write(db);
		is_i64(session_create(db, uid, 5000000, tok2, sizeof(tok2)),
		    DB_READONLY, "read-only: a write says so");
		db_rollback(db);
		ok(db_rc_unavailable(DB_READONLY) &&
		    db_rc_unavailable(DB_BUSY) && db_rc_unavailable(DB_FULL) &&
		    !db_rc_unavailable(DB_ERROR),
		    "read-only, busy and full are 'not now' (503); errors 500");
		sqlite3_exec(db->h, "PRAGMA query_only = OFF", NULL, NULL, NULL);
	}

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
