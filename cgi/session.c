/* session.c: argon2id sign-in with throttling, hashed session tokens, roles, CSRF. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "db.h"
#include "quote.h"
#include "req.h"
#include "server.h"
#include "session.h"
#include "util.h"

/*
 * argon2id cost: ASVS 5.0's floor (and OWASP's first choice), 19 MiB and
 * two passes.  Hashes made with other settings still verify and are
 * rehashed at sign-in.
 */
#define PW_OPSLIMIT		2
#define PW_MEMLIMIT		(19U * 1024 * 1024)
/*
 * Throttling, over failures of the last THROTTLE_WINDOW seconds: an
 * account and an address together may fail THROTTLE_PAIR times, then
 * wait THROTTLE_DELAY seconds, doubled for each failure more; an address
 * may fail THROTTLE_ADDR times whatever the accounts; an account may
 * fail THROTTLE_ACCOUNT times from everywhere (a spread-out attack).  A
 * browser that signed in to the account before (its device cookie) is
 * held only by its own THROTTLE_DEVICE failures, so a lockout made by
 * someone else keeps no one out.
 */
#define THROTTLE_WINDOW		(15 * 60)
#define THROTTLE_PAIR		5
#define THROTTLE_DELAY		60
#define THROTTLE_ADDR		20
#define THROTTLE_ACCOUNT	100
#define THROTTLE_DEVICE		5
/* Refresh seen_at at most this often, to spare writes on every page. */
#define SESSION_TOUCH_EVERY	60

static const char *const role_names[ROLE__MAX] = {
	"anonymous",		/* ROLE_ANON */
	"member",		/* ROLE_MEMBER */
	"accountant",		/* ROLE_ACCOUNTANT */
	"billing_admin",	/* ROLE_BILLING_ADMIN */
	"owner",		/* ROLE_OWNER */
};

static const char *const role_labels[ROLE__MAX] = {
	"Visitor",		/* ROLE_ANON */
	"Member",		/* ROLE_MEMBER */
	"Accountant",		/* ROLE_ACCOUNTANT */
	"Billing admin",	/* ROLE_BILLING_ADMIN */
	"Owner",		/* ROLE_OWNER */
};

/* Set *out from a stored role name.  Returns 0, or -1 if unknown. */
int
session_role_parse(const char *s, enum role *out)
{
	int	 i;

	for (i = ROLE_MEMBER; i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

/* The name of a role for people ("Billing admin"). */
const char *
session_role_label(enum role r)
{
	if ((unsigned)r >= ROLE__MAX)
		abort();
	return role_labels[r];
}

/* Whether the session (NULL: anonymous) holds at least role r. */
int
session_role_at_least(const struct session *s, enum role r)
{
	return (s == NULL ? ROLE_ANON : s->role) >= r;
}

/*
 * Hash a password with argon2id into out (crypto_pwhash_STRBYTES at
 * least).  Returns 0, or -1 if memory is short or out is too small.
 */
int
session_password_hash(const char *pw, char *out, size_t outsz)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT,
	    PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_warnx("%s: out of memory", __func__);
		return -1;
	}
	return 0;
}

/* When the last failure under a key was, within the window (0: none). */
static struct db_sql q_fail_last = { .text =
	"SELECT coalesce(max(at), 0) FROM login_failure WHERE key = ? "
	"AND at >= ?"
};

/* The failures of a sign-in: under these keys, each counted apart. */
enum fkey { FK_PAIR, FK_ADDR, FK_ACCOUNT, FK_DEVICE, FK__MAX };

static void
keys_make(const struct login_try *t, const char *device_seal,
    char *k[FK__MAX])
{
	char	*p;

	k[FK_ACCOUNT] = xasprintf("account:%s", t->email);
	for (p = k[FK_ACCOUNT]; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	k[FK_PAIR] = xasprintf("pair:%s|%s", k[FK_ACCOUNT] + 8, t->addr);
	k[FK_ADDR] = xasprintf("addr:%s", t->addr);
	k[FK_DEVICE] = device_seal == NULL ? NULL :
	    xasprintf("device:%s", device_seal);
}

static void
keys_free(char *k[FK__MAX])
{
	int	 i;

	for (i = 0; i < FK__MAX; i++)
		free(k[i]);
}

/* Record a failure under every key of k, in its own transaction. */
static int
fail_record(struct db *db, char *k[FK__MAX], int64_t now)
{
	sqlite3_stmt	*st;
	int		 i, rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	for (i = 0; i < FK__MAX; i++) {
		if (k[i] == NULL)
			continue;
		st = db_stmt(db, STMT_LOGIN_FAIL_INSERT);
		if ((rc = db_bind(db, st, "ti", k[i], now)) != DB_OK ||
		    (rc = db_exec(db, st)) != DB_OK)
			goto fail;
	}
	st = db_stmt(db, STMT_LOGIN_FAIL_PURGE);
	if ((rc = db_bind(db, st, "i", now - THROTTLE_WINDOW)) != DB_OK ||
	    (rc = db_exec(db, st)) != DB_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

/*
 * A device cookie for user_id, issued at now, into out: "UID.ISSUED.SEAL"
 * with the server's seal (quote_seal) of both.  Returns DB_OK or a
 * failure.
 */
int
session_device_cookie(struct db *db, int64_t user_id, int64_t now, char *out,
    size_t outsz)
{
	char	 terms[80], seal[QUOTE_SEAL_HEX + 1];
	int	 rc;

	snprintf(terms, sizeof(terms), "device:%lld:%lld", (long long)user_id,
	    (long long)now);
	if ((rc = quote_seal(db, terms, seal, sizeof(seal))) != DB_OK)
		return rc;
	if ((size_t)snprintf(out, outsz, "%lld.%lld.%s", (long long)user_id,
	    (long long)now, seal) >= outsz)
		return DB_ERROR;
	return DB_OK;
}

/*
 * The user device cookie c vouches for at now (its seal into seal), or
 * 0 if it is none of ours or too old.
 */
static int64_t
device_user(struct db *db, const char *c, int64_t now,
    char seal[QUOTE_SEAL_HEX + 1])
{
	char		 want[SESSION_DEVICE_LEN];
	long long	 uid, at;
	int		 n = 0;

	if (c == NULL || strlen(c) >= SESSION_DEVICE_LEN ||
	    sscanf(c, "%lld.%lld.%n", &uid, &at, &n) != 2 || n == 0 ||
	    strlen(c + n) != QUOTE_SEAL_HEX || uid <= 0 || at > now ||
	    now - at > SESSION_DEVICE_MAX_AGE ||
	    session_device_cookie(db, uid, at, want, sizeof(want)) != DB_OK ||
	    strlen(want) != strlen(c) ||
	    sodium_memcmp(want, c, strlen(c)) != 0)
		return 0;
	memcpy(seal, c + n, QUOTE_SEAL_HEX + 1);
	return uid;
}

/*
 * Check t's email and password, throttled (see THROTTLE_WINDOW).  The
 * slow hash runs outside any transaction.  A failure is recorded; an
 * unknown account costs the same time as a wrong password.  Returns
 * LOGIN_OK with *user_id set, LOGIN_BAD, LOGIN_THROTTLED with *wait the
 * seconds until a try is taken again, or LOGIN_ERROR.  If rehash is not
 * NULL it gets, on LOGIN_OK, a new hash of the password when the stored
 * one was made with other settings (else ""), for the caller to store
 * with session_password_set.
 */
int
session_login(struct db *db, const struct login_try *t, int64_t *user_id,
    int64_t *wait, char *rehash, size_t rehashsz)
{
	static char	 dummy[crypto_pwhash_STRBYTES];
	sqlite3_stmt	*st;
	char		*k[FK__MAX], *hash = NULL, seal[QUOTE_SEAL_HEX + 1];
	int64_t		 n[FK__MAX], last = 0, uid = 0, dev, delay;
	int		 i, rc, trusted, ret = LOGIN_ERROR;

	*user_id = *wait = 0;
	if (rehash != NULL && rehashsz > 0)
		rehash[0] = '\0';
	if (dummy[0] == '\0' &&
	    session_password_hash("not a password", dummy, sizeof(dummy)))
		return LOGIN_ERROR;
	if (db_begin_read(db) != DB_OK)
		return LOGIN_ERROR;
	dev = device_user(db, t->device, t->now, seal);
	keys_make(t, dev != 0 ? seal : NULL, k);
	for (i = 0; i < FK__MAX; i++) {
		n[i] = 0;
		if (k[i] != NULL && db_get_int(db, STMT_LOGIN_FAIL_COUNT, &n[i],
		    "ti", k[i], t->now - THROTTLE_WINDOW) != DB_OK) {
			db_rollback(db);
			goto out;
		}
	}
	if (db_sql_int(db, &q_fail_last, &last, "ti", k[FK_PAIR],
	    t->now - THROTTLE_WINDOW) != DB_OK) {
		db_rollback(db);
		goto out;
	}
	st = db_stmt(db, STMT_USER_BY_EMAIL);
	if (db_bind(db, st, "t", t->email) != DB_OK) {
		db_rollback(db);
		goto out;
	}
	if ((rc = db_step(db, st)) == DB_ROW) {
		uid = db_col_int(st, 0);
		hash = db_col_dup(st, 5);
	}
	db_reset(st);
	db_rollback(db);
	if (rc != DB_ROW && rc != DB_OK)
		goto out;
	trusted = dev != 0 && dev == uid && n[FK_DEVICE] < THROTTLE_DEVICE;
	if (!trusted) {
		free(k[FK_DEVICE]);	/* not this account's: no key of its own */
		k[FK_DEVICE] = NULL;
		if (n[FK_ADDR] >= THROTTLE_ADDR ||
		    n[FK_ACCOUNT] >= THROTTLE_ACCOUNT) {
			*wait = THROTTLE_WINDOW;
			ret = LOGIN_THROTTLED;
			goto out;
		}
		if (n[FK_PAIR] >= THROTTLE_PAIR) {
			delay = n[FK_PAIR] - THROTTLE_PAIR >= 4 ?
			    THROTTLE_WINDOW : (int64_t)THROTTLE_DELAY <<
			    (n[FK_PAIR] - THROTTLE_PAIR);
			if (t->now < last + delay) {
				*wait = last + delay - t->now;
				ret = LOGIN_THROTTLED;
				goto out;
			}
		}
	}
	if (crypto_pwhash_str_verify(hash ? hash : dummy, t->password,
	    strlen(t->password)) != 0 || hash == NULL) {
		ret = fail_record(db, k, t->now) == DB_OK ? LOGIN_BAD :
		    LOGIN_ERROR;
		goto out;
	}
	*user_id = uid;
	if (rehash != NULL && crypto_pwhash_str_needs_rehash(hash,
	    PW_OPSLIMIT, PW_MEMLIMIT) != 0 &&
	    session_password_hash(t->password, rehash, rehashsz) == -1)
		rehash[0] = '\0';
	ret = LOGIN_OK;
out:
	keys_free(k);
	free(hash);
	return ret;
}

/*
 * Store hash (from session_password_hash) as user_id's password, inside
 * the caller's write transaction.  Returns DB_OK or a failure.
 */
int
session_password_set(struct db *db, int64_t user_id, const char *hash)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_USER_SET_PWHASH);

	if (db_bind(db, st, "ti", hash, user_id) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/*
 * Forget the failures of t's account, and of it from t's address,
 * inside the caller's write transaction (after a successful sign-in).
 * The address's own count stays: other accounts may have failed there.
 */
int
session_failures_clear(struct db *db, const struct login_try *t)
{
	sqlite3_stmt	*st;
	char		*k[FK__MAX];
	int		 i, rc = DB_OK;

	keys_make(t, NULL, k);
	for (i = 0; i < FK__MAX && rc == DB_OK; i++) {
		if (k[i] == NULL || i == FK_ADDR)
			continue;
		st = db_stmt(db, STMT_LOGIN_FAIL_CLEAR);
		if ((rc = db_bind(db, st, "t", k[i])) == DB_OK)
			rc = db_exec(db, st);
	}
	keys_free(k);
	return rc;
}

/*
 * Start a session for user_id inside the caller's write transaction:
 * a fresh 256-bit token (hex into token, 65 bytes at least), stored only
 * as its hash, and a fresh CSRF token.  Returns DB_OK or a db_rc.
 */
int
session_create(struct db *db, int64_t user_id, int64_t now, char *token,
    size_t tokensz)
{
	unsigned char	 h[32];
	char		 csrf[SESSION_TOKEN_LEN + 1];
	sqlite3_stmt	*st;

	if (tokensz < SESSION_TOKEN_LEN + 1)
		return DB_ERROR;
	util_random_hex(token, SESSION_TOKEN_LEN + 1);
	util_random_hex(csrf, sizeof(csrf));
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    SESSION_TOKEN_LEN, NULL, 0);
	st = db_stmt(db, STMT_SESSION_INSERT);
	if (db_bind(db, st, "bitii", h, sizeof(h), user_id, csrf, now,
	    now) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/*
 * Delete the sessions idle for idle seconds or begun max seconds ago,
 * inside the caller's write transaction.
 */
int
session_purge(struct db *db, int64_t now, int64_t idle, int64_t max)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SESSION_PURGE);

	if (db_bind(db, st, "ii", now - idle, now - max) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/*
 * Load the session whose cookie token is token, if it has been used
 * within idle seconds and began within max seconds.  An expired session
 * is deleted.  On DB_OK *out is the session (session_free); otherwise
 * *out is NULL and the result is DB_NOTFOUND or a failure.
 */
int
session_load(struct db *db, const char *token, int64_t now, int64_t idle,
    int64_t max, struct session **out)
{
	struct session	*s;
	sqlite3_stmt	*st;
	char		*role = NULL, *csrf = NULL;
	int64_t		 created, seen;
	int		 rc;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	crypto_generichash(s->hash, sizeof(s->hash),
	    (const unsigned char *)token, strlen(token), NULL, 0);
	st = db_stmt(db, STMT_SESSION_GET);
	if ((rc = db_bind(db, st, "b", s->hash, sizeof(s->hash))) != DB_OK)
		goto fail;
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		rc = rc == DB_OK ? DB_NOTFOUND : rc;
		goto fail;
	}
	s->user_id = db_col_int(st, 0);
	s->org_id = db_col_int(st, 1);
	s->email = db_col_dup(st, 2);
	s->name = db_col_dup(st, 3);
	role = db_col_dup(st, 4);
	csrf = db_col_dup(st, 5);
	created = db_col_int(st, 6);
	seen = db_col_int(st, 7);
	s->org_name = db_col_dup(st, 8);
	s->currency = db_col_dup(st, 9);
	db_reset(st);
	if (session_role_parse(role, &s->role) == -1 ||
	    strlen(csrf) != SESSION_TOKEN_LEN) {
		log_warnx("%s: user %lld: bad stored role or token", __func__,
		    (long long)s->user_id);
		rc = DB_ERROR;
		goto fail;
	}
	memcpy(s->csrf, csrf, sizeof(s->csrf));
	if (seen < now - idle || created < now - max) {
		(void)session_delete(db, s);
		rc = DB_NOTFOUND;
		goto fail;
	}
	/*
	 * Record the activity, if nobody else is writing now: a read never
	 * waits for a writer, and the next request records it instead.
	 */
	if (now - seen >= SESSION_TOUCH_EVERY &&
	    (rc = db_begin_write_nowait(db)) != DB_OK) {
		if (!db_rc_unavailable(rc))
			goto fail;
		db->last_rc = DB_OK;
	} else if (now - seen >= SESSION_TOUCH_EVERY) {
		st = db_stmt(db, STMT_SESSION_TOUCH);
		if ((rc = db_bind(db, st, "ib", now, s->hash,
		    sizeof(s->hash))) != DB_OK ||
		    (rc = db_exec(db, st)) != DB_OK) {
			db_rollback(db);
			if (!db_rc_unavailable(rc))
				goto fail;
			db->last_rc = DB_OK;
		} else if ((rc = db_commit(db)) != DB_OK) {
			if (!db_rc_unavailable(rc))
				goto fail;
			db->last_rc = DB_OK;
		}
	}
	free(role);
	free(csrf);
	*out = s;
	return DB_OK;
fail:
	free(role);
	free(csrf);
	session_free(s);
	return rc;
}

/* End session s (sign out) in its own write transaction. */
int
session_delete(struct db *db, const struct session *s)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	st = db_stmt(db, STMT_SESSION_DELETE);
	if ((rc = db_bind(db, st, "b", s->hash, sizeof(s->hash))) != DB_OK ||
	    (rc = db_exec(db, st)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* Compare two tokens of ours in constant time; 1 if equal. */
int
session_token_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strlen(a) != SESSION_TOKEN_LEN ||
	    strlen(b) != SESSION_TOKEN_LEN)
		return 0;
	return sodium_memcmp(a, b, SESSION_TOKEN_LEN) == 0;
}

/*
 * Whether the browser reached us over TLS (or Config.CookieSecure says
 * so, for TLS ended before nginx): cookies are then Secure and prefixed.
 */
int
session_secure(const struct req *r)
{
	return r->https || (r->cfg != NULL && r->cfg->cookie_secure);
}

/* The name of cookie c for this request's browser. */
const char *
session_cookie(const struct req *r, enum session_cookie c)
{
	static const char *const names[][2] = {
		[COOKIE_SESSION] = { "reckon_session", "__Host-reckon_session" },
		[COOKIE_PRE] = { "reckon_pre", "__Secure-reckon_pre" },
		[COOKIE_DEVICE] = { "reckon_device", "__Secure-reckon_device" },
	};

	return names[c][session_secure(r)];
}

/*
 * Whether a POST carries the right CSRF token: the session's, or before
 * signing in, the one in the pre-session cookie (double submit).
 */
int
session_csrf_ok(const struct session *s, const struct req *r)
{
	const struct field	*f = req_field(r, F_CSRF);

	if (f == NULL)
		return 0;
	if (s != NULL)
		return session_token_eq(f->u.s, s->csrf);
	return session_token_eq(f->u.s, req_cookie(r, session_cookie(r, COOKIE_PRE)));
}

/*
 * Whether a POST comes from this portal's own pages, as a second layer
 * behind the CSRF token.  A browser that says where a request comes
 * from (Sec-Fetch-Site) is taken at its word: "cross-site" is refused.
 * Otherwise an Origin header must name the request's host (HTTP_HOST,
 * which nginx passes without a port); "null" is what browsers send
 * under the portal's own Referrer-Policy: no-referrer, so it is left to
 * the token, as is a request with neither header (curl).
 */
int
session_same_origin(const struct req *r)
{
	const char	*o = r->origin, *host, *end;
	size_t		 n;

	if (r->fetch_site != NULL)
		return strcmp(r->fetch_site, "cross-site") != 0;
	if (o == NULL || strcmp(o, "null") == 0)
		return 1;
	if (strncmp(o, "https://", 8) == 0)
		host = o + 8;
	else if (strncmp(o, "http://", 7) == 0)
		host = o + 7;
	else
		return 0;	/* not a web origin */
	if (host[0] == '[')	/* an IPv6 address: up to its ']' */
		end = strchr(host, ']') ? strchr(host, ']') + 1 : host;
	else
		end = host + strcspn(host, ":/");
	n = (size_t)(end - host);
	if (*end == ':' && (end[1] == '\0' ||
	    strspn(end + 1, "0123456789") != strlen(end + 1)))
		return 0;	/* a port is digits, and nothing after */
	return r->host != NULL && n > 0 && strlen(r->host) == n &&
	    strncasecmp(host, r->host, n) == 0 &&
	    (*end == '\0' || *end == ':');
}

/* Free a session; NULL is ok. */
void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	free(s->email);
	free(s->name);
	free(s->org_name);
	free(s->currency);
	sodium_memzero(s, sizeof(*s));
	free(s);
}
