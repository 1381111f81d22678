/* t_apikey.c: sensors API keys on the demo database: create, check, list, revoke; only hashes are stored. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "apikey.h"
#include "audit.h"
#include "db.h"
#include "demo.h"
#include "tap.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define HEX16	"0123456789abcdef"
#define KEY_A	"rk_" HEX16 HEX16 HEX16 HEX16

/* The shape of a key, good and bad. */
static const struct {
	const char	*s;
	int		 valid;
} shape_cases[] = {
	{ KEY_A, 1 },
	{ "rk_" "0000000000000000" "0000000000000000" "0000000000000000"
	  "0000000000000000", 1 },
	{ "", 0 },
	{ "rk_", 0 },
	{ "rk_0123", 0 },				/* short */
	{ KEY_A "0", 0 },				/* long */
	{ KEY_A " ", 0 },				/* a space after */
	{ "RK_" HEX16 HEX16 HEX16 HEX16, 0 },		/* upper RK_ */
	{ "rk_0123456789ABCDEF" HEX16 HEX16 HEX16, 0 },	/* upper hex */
	{ "rk-" HEX16 HEX16 HEX16 HEX16, 0 },		/* a hyphen */
	{ "rk_0123456789abcdeg" HEX16 HEX16 HEX16, 0 },	/* not hex */
	{ HEX16 HEX16 HEX16 HEX16, 0 },			/* no "rk_" */
	{ "Bearer " KEY_A, 0 },
};

static int64_t
count(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Create a key for org in its own write transaction. */
static int
create_key(struct db *db, int64_t org, const struct actor *a, char *key,
    size_t keysz)
{
	int	 rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if ((rc = apikey_create(db, org, a, key, keysz)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* Revoke key id of org in its own write transaction. */
static int
revoke_key(struct db *db, int64_t org, const struct actor *a, int64_t id)
{
	int	 rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if ((rc = apikey_revoke(db, org, a, id)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* The stored hash of key id into h (32 bytes); returns its length. */
static int
stored_hash(struct db *db, int64_t id, unsigned char *h)
{
	sqlite3_stmt	*st;
	int		 n = -1;

	if (sqlite3_prepare_v2(db->h, "SELECT key_hash FROM api_key "
	    "WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 0);
		if (n == APIKEY_HASH_LEN)
			memcpy(h, sqlite3_column_blob(st, 0), APIKEY_HASH_LEN);
	}
	sqlite3_finalize(st);
	return n;
}

/* Whether the file at path holds the string s. */
static int
file_holds(const char *path, const char *s)
{
	FILE	*f;
	char	*p = NULL;
	size_t	 n = 0, cap = 0, got;
	int	 found;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	for (;;) {
		if (n + 65536 > cap)
			p = xrealloc(p, cap = n + 65536);
		if ((got = fread(p + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	fclose(f);
	found = p != NULL && memmem(p, n, s, strlen(s)) != NULL;
	free(p);
	return found;
}

int
main(void)
{
	char			 dir[] = "/tmp/t_apikey.XXXXXX", path[128];
	char			 wal[160], small[16];
	char			 k1[APIKEY_LEN + 1], k2[APIKEY_LEN + 1];
	char			 k3[APIKEY_LEN + 1], upper[APIKEY_LEN + 1];
	unsigned char		 h[APIKEY_HASH_LEN], want[APIKEY_HASH_LEN];
	struct db		*db;
	struct apikey_list	 l;
	struct actor		 a, b;
	int64_t			 now, acme, other, org, id1, id2, uid;
	size_t			 i;

	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < NELEM(shape_cases); i++)
		is_i64(apikey_valid(shape_cases[i].s), shape_cases[i].valid,
		    "shape of \"%.24s...\" (%zu)", shape_cases[i].s, i);

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	now = 1795262400;	/* 2026-11-20T12:00:00Z */
	is_i64(demo_create(db, now, NULL), DB_OK, "the demo");
	acme = count(db, "SELECT id FROM organization WHERE name LIKE 'Acme%' "
	    "AND parent_id IS NULL");
	other = count(db, "SELECT org_id FROM user "
	    "WHERE email = 'owner@other.test'");
	uid = count(db, "SELECT id FROM user "
	    "WHERE email = 'billing@demo.test'");
	ok(acme > 0 && other > 0 && acme != other, "two organizations");
	a = (struct actor){ uid, "billing@demo.test", "192.0.2.1", now };
	b = (struct actor){ 0, "owner@other.test", "192.0.2.2", now + 60 };

	/* Create: a key of the right shape, stored as its hash. */
	is_i64(apikey_create(db, acme, &a, small, sizeof(small)), DB_ERROR,
	    "a buffer too small is refused");
	is_i64(create_key(db, acme, &a, k1, sizeof(k1)), DB_OK, "create a key");
	ok(apikey_valid(k1), "it is rk_ and 64 hex digits: %.11s...", k1);
	is_i64((int64_t)strlen(k1), APIKEY_LEN, "67 characters");
	id1 = count(db, "SELECT max(id) FROM api_key");
	is_i64(stored_hash(db, id1, h), APIKEY_HASH_LEN, "a 32-byte hash");
	crypto_generichash(want, sizeof(want), (unsigned char *)k1, APIKEY_LEN,
	    NULL, 0);
	ok(memcmp(h, want, sizeof(h)) == 0, "the stored hash is BLAKE2b-256 "
	    "of the key");
	ok(memcmp(h, k1, sizeof(h)) != 0 && memcmp(h, k1 + 3, sizeof(h)) != 0,
	    "the stored hash is not the key");
	is_i64(count(db, "SELECT count(*) FROM api_key "
	    "WHERE length(prefix) = 11 AND substr(prefix, 1, 3) = 'rk_'"), 1,
	    "with an 11-character prefix");
	is_i64(count(db, "SELECT count(*) FROM audit_log WHERE action = "
	    "'API key created' AND actor = 'billing@demo.test' AND "
	    "old_value = '' AND new_value LIKE 'rk\\_%' ESCAPE '\\'"), 1,
	    "the creation is audited with the prefix");

	is_i64(create_key(db, acme, &a, k2, sizeof(k2)), DB_OK, "a second key");
	id2 = count(db, "SELECT max(id) FROM api_key");
	ok(strcmp(k1, k2) != 0, "another key");
	is_i64(create_key(db, other, &b, k3, sizeof(k3)), DB_OK,
	    "another organization's key");

	/* Check: by hash, to the right organization. */
	is_i64(apikey_check(db, k1, &org), DB_OK, "the key is active");
	is_i64(org, acme, "for Acme");
	is_i64(apikey_check(db, k3, &org), DB_OK, "the other key is active");
	is_i64(org, other, "for the other organization");
	org = 99;
	is_i64(apikey_check(db, KEY_A, &org), DB_NOTFOUND, "an unknown key");
	is_i64(org, 0, "no organization");
	is_i64(apikey_check(db, "", &org), DB_NOTFOUND, "an empty key");
	memcpy(upper, k1, sizeof(upper));
	for (i = 3; i < APIKEY_LEN; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] -= 'a' - 'A';
	is_i64(apikey_check(db, strcmp(upper, k1) ? upper : "X", &org),
	    DB_NOTFOUND, "the key in upper case");
	upper[0] = '\0';
	snprintf(upper, sizeof(upper), "%.66s", k1);
	is_i64(apikey_check(db, upper, &org), DB_NOTFOUND, "the key cut short");

	/* List: newest first, never the key. */
	is_i64(apikey_list(db, acme, &l), DB_OK, "list Acme's keys");
	is_i64((int64_t)l.n, 2, "two");
	if (l.n == 2) {
		is_i64(l.v[0].id, id2, "newest first");
		is_str(l.v[0].prefix, (snprintf(small, sizeof(small), "%.11s",
		    k2), small), "the prefix");
		is_str(l.v[1].created_by, "billing@demo.test", "by whom");
		is_i64(l.v[1].created_at, now, "when");
		is_i64(l.v[1].revoked_at, 0, "active");
	}
	apikey_list_free(&l);
	is_i64(apikey_list(db, other, &l), DB_OK, "list the other's keys");
	is_i64((int64_t)l.n, 1, "one, its own");
	apikey_list_free(&l);

	/* Revoke: only one's own; afterwards the key does not work. */
	is_i64(revoke_key(db, other, &b, id1), DB_NOTFOUND,
	    "another organization's key id: not found");
	is_i64(apikey_check(db, k1, &org), DB_OK, "and the key still works");
	is_i64(revoke_key(db, acme, &a, 999999), DB_NOTFOUND, "no such key");
	a.now = now + 3600;
	is_i64(revoke_key(db, acme, &a, id1), DB_OK, "revoke the first key");
	is_i64(apikey_check(db, k1, &org), DB_NOTFOUND, "it no longer works");
	is_i64(apikey_check(db, k2, &org), DB_OK, "the second still does");
	is_i64(revoke_key(db, acme, &a, id1), DB_OK,
	    "revoking it again: nothing to do");
	is_i64(count(db, "SELECT count(*) FROM audit_log WHERE action = "
	    "'API key revoked'"), 1, "the revocation is audited once");
	is_i64(apikey_list(db, acme, &l), DB_OK, "list again");
	if (l.n == 2) {
		is_i64(l.v[0].id, id2, "the active key first");
		is_i64(l.v[1].revoked_at, now + 3600, "then the revoked one, "
		    "with when");
	} else
		ok(0, "two keys listed");
	apikey_list_free(&l);

	/* The per-key rate limit: a minute's window, refused calls uncounted. */
	{
		int64_t	 wait, t0 = 1795999980;	/* a minute's start */
		int	 k, allowed = 0;

		db_begin_write(db);
		for (k = 0; k < 5; k++)
			allowed += apikey_rate(db, "rk_test", t0 + 10, 3,
			    &wait) == DB_OK;
		is_i64(allowed, 3, "3 calls a minute allowed of 5");
		is_i64(apikey_rate(db, "rk_test", t0 + 10, 3, &wait),
		    DB_CONFLICT, "the next one refused");
		is_i64(wait, 50, "Retry-After: the 50 s left of the minute");
		is_i64(apikey_rate(db, "rk_other", t0 + 10, 3, &wait), DB_OK,
		    "another key is not held back");
		is_i64(apikey_rate(db, "rk_test", t0 + 60, 3, &wait), DB_OK,
		    "the next minute: allowed again");
		is_i64(apikey_rate(db, "rk_test", t0 + 61, 0, &wait), DB_OK,
		    "a limit of 0: no limit");
		db_rollback(db);
	}

	/* No key is anywhere in the database files. */
	db_close(db);
	ok(file_holds(path, small), "the database holds the prefixes");
	ok(!file_holds(path, k1 + 3) && !file_holds(path, k2 + 3) &&
	    !file_holds(path, k3 + 3), "but no key");
	ok(!file_holds(wal, k1 + 3) && !file_holds(wal, k2 + 3) &&
	    !file_holds(wal, k3 + 3), "nor does its WAL");
	sodium_memzero(k1, sizeof(k1));
	sodium_memzero(k2, sizeof(k2));
	sodium_memzero(k3, sizeof(k3));

	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s.lock", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s.sandbox", path);
	unlink(wal);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
