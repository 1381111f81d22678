/* apikey.c: keys of the sensors API: created once and shown once, kept as a hash, revoked. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "apikey.h"
#include "audit.h"
#include "db.h"
#include "util.h"

/*
 * Whether s has the shape of a key: "rk_" and 64 lower-case hex digits,
 * nothing else.  Says nothing of whether such a key exists.
 */
int
apikey_valid(const char *s)
{
	size_t	 i;

	if (strncmp(s, "rk_", 3) != 0)
		return 0;
	for (i = 3; i < APIKEY_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[APIKEY_LEN] == '\0';
}

/* The stored form of key (APIKEY_LEN bytes): its BLAKE2b-256 hash. */
static void
key_hash(const char *key, unsigned char h[APIKEY_HASH_LEN])
{
	crypto_generichash(h, APIKEY_HASH_LEN, (const unsigned char *)key,
	    APIKEY_LEN, NULL, 0);
}

/* "rk_0123abcd…": how a key is named to people and in the audit log. */
static void
key_label(const char *prefix, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s\xe2\x80\xa6", prefix);
}

/*
 * Create a sensors API key for org, inside the caller's write
 * transaction: "rk_" and 64 hex digits of 256 random bits, written into
 * key (keysz >= APIKEY_LEN + 1) for the caller to show once.  Only its
 * hash and its first APIKEY_PREFIX_LEN characters are stored; the
 * creation is audited under a (borrowed).  Returns DB_OK, or a failure
 * (key is wiped then).
 */
int
apikey_create(struct db *db, int64_t org, const struct actor *a, char *key,
    size_t keysz)
{
	unsigned char	 h[APIKEY_HASH_LEN];
	char		 prefix[APIKEY_PREFIX_LEN + 1], label[32];
	sqlite3_stmt	*st;
	int		 rc;

	if (keysz < APIKEY_LEN + 1) {
		log_warnx("%s: buffer too small", __func__);
		return DB_ERROR;
	}
	memcpy(key, "rk_", 3);
	if (util_random_hex(key + 3, APIKEY_LEN - 3 + 1) == -1) {
		sodium_memzero(key, keysz);
		return DB_ERROR;
	}
	key_hash(key, h);
	snprintf(prefix, sizeof(prefix), "%.*s", APIKEY_PREFIX_LEN, key);
	st = db_stmt(db, STMT_APIKEY_INSERT);
	if ((rc = db_bind(db, st, "itbit", org, prefix, h, sizeof(h), a->now,
	    a->email)) == DB_OK)
		rc = db_exec(db, st);
	sodium_memzero(h, sizeof(h));
	if (rc == DB_OK) {
		key_label(prefix, label, sizeof(label));
		rc = audit_add(db, org, a, "API key created", "", label, NULL);
	}
	if (rc != DB_OK)
		sodium_memzero(key, keysz);
	return rc;
}

/*
 * Revoke key id of org, inside the caller's write transaction, and
 * audit it under a (borrowed).  Revoking a revoked key changes nothing.
 * Returns DB_OK, DB_NOTFOUND if org has no such key (another
 * organization's key included), or a failure.
 */
int
apikey_revoke(struct db *db, int64_t org, const struct actor *a, int64_t id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_APIKEY_GET);
	char		 prefix[APIKEY_PREFIX_LEN + 1], label[32];
	int		 rc, revoked = 0;

	if (db_bind(db, st, "ii", id, org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		snprintf(prefix, sizeof(prefix), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		revoked = sqlite3_column_type(st, 1) != SQLITE_NULL;
	}
	db_reset(st);
	if (rc == DB_OK)
		return DB_NOTFOUND;
	if (rc != DB_ROW)
		return rc;
	if (revoked)
		return DB_OK;
	st = db_stmt(db, STMT_APIKEY_REVOKE);
	if (db_bind(db, st, "iii", a->now, id, org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_exec(db, st)) != DB_OK)
		return rc;
	if (sqlite3_changes(db->h) != 1)
		return DB_ERROR;
	key_label(prefix, label, sizeof(label));
	return audit_add(db, org, a, "API key revoked", label, "", NULL);
}

/*
 * Org's keys, active ones first, newest first, into out (always a
 * valid list: apikey_list_free it, even on failure).  Returns DB_OK or
 * a failure.
 */
int
apikey_list(struct db *db, int64_t org, struct apikey_list *out)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_APIKEY_LIST);
	struct apikey	*k;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		k = &out->v[out->n++];
		memset(k, 0, sizeof(*k));
		k->id = db_col_int(st, 0);
		snprintf(k->prefix, sizeof(k->prefix), "%s",
		    sqlite3_column_text(st, 1) ?
		    (const char *)sqlite3_column_text(st, 1) : "");
		k->created_at = db_col_int(st, 2);
		k->created_by = db_col_dup(st, 3);
		k->revoked_at = db_col_int(st, 4);
	}
	db_reset(st);
	return rc;
}

/* Free a key list's contents. */
void
apikey_list_free(struct apikey_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].created_by);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * The organization of key (borrowed; any string) if it is an active
 * key, in *org.  The key is looked up by its hash, so no comparison
 * with a stored key ever happens, in constant time or otherwise.
 * Returns DB_OK, DB_NOTFOUND (malformed, unknown or revoked; *org 0),
 * or a failure.
 */
int
apikey_check(struct db *db, const char *key, int64_t *org)
{
	unsigned char	 h[APIKEY_HASH_LEN];
	int		 rc;

	*org = 0;
	if (!apikey_valid(key))
		return DB_NOTFOUND;
	key_hash(key, h);
	rc = db_get_int(db, STMT_APIKEY_CHECK, org, "b", h, sizeof(h));
	sodium_memzero(h, sizeof(h));
	return rc;
}

static struct db_sql q_rate_bump = { .text =
	"INSERT INTO api_rate (prefix, window_start, calls) "
	"VALUES (?1, ?2, 1) ON CONFLICT (prefix) DO UPDATE SET calls = "
	"CASE WHEN window_start = ?2 THEN calls + 1 ELSE 1 END, "
	"window_start = ?2 RETURNING calls"
};

/*
 * Count one call of the key whose prefix is prefix at now, inside the
 * caller's write transaction, in windows of a minute: DB_OK if it is
 * within limit calls a minute (limit <= 0: no limit), DB_CONFLICT if
 * not, with *retry_after the seconds until the next window (the caller
 * rolls back, so a refused call is not counted).  Returns those or a
 * failure.
 */
int
apikey_rate(struct db *db, const char *prefix, int64_t now, int64_t limit,
    int64_t *retry_after)
{
	int64_t	 window = now - now % 60, calls;
	int	 rc;

	*retry_after = 0;
	if (limit <= 0)
		return DB_OK;
	if ((rc = db_sql_int(db, &q_rate_bump, &calls, "ti", prefix,
	    window)) != DB_OK)
		return rc == DB_NOTFOUND ? DB_ERROR : rc;
	if (calls <= limit)
		return DB_OK;
	*retry_after = window + 60 - now;
	return DB_CONFLICT;
}
