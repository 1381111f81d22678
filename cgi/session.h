/* session.h: sign-in, login sessions, roles and CSRF tokens. */
#ifndef RECKON_SESSION_H
#define RECKON_SESSION_H

#include <stdint.h>

struct db;
struct req;

#define SESSION_TOKEN_LEN	64		/* hex of 256 random bits */
#define SESSION_DEVICE_MAX_AGE	(180 * 86400)
#define SESSION_DEVICE_LEN	100		/* room for its value */

/*
 * The cookies, named by session_cookie(): over TLS (or with
 * Config.CookieSecure) "__Host-" or "__Secure-" prefixed, so that a
 * browser takes them only from a secure origin.
 */
enum session_cookie {
	COOKIE_SESSION,		/* the session's token, Path=/ */
	COOKIE_PRE,		/* CSRF before signing in, Path=/login */
	COOKIE_DEVICE,		/* signed in here before, Path=/login */
};

/* Ordered: a route's role is the least one that may use it. */
enum role {
	ROLE_ANON,
	ROLE_MEMBER,
	ROLE_ACCOUNTANT,
	ROLE_BILLING_ADMIN,
	ROLE_OWNER,
	ROLE__MAX
};

struct session {
	int64_t		 user_id;
	int64_t		 org_id;
	char		*email;
	char		*name;
	char		*org_name;
	char		*currency;
	enum role	 role;
	char		 csrf[SESSION_TOKEN_LEN + 1];
	unsigned char	 hash[32];	/* of the cookie's token */
};

enum login_rc {
	LOGIN_OK,
	LOGIN_BAD,		/* unknown account or wrong password */
	LOGIN_THROTTLED,	/* too many failures: try later */
	LOGIN_ERROR		/* database failure, see db->last_rc */
};

/* One attempt to sign in. */
struct login_try {
	const char	*email;
	const char	*password;
	const char	*addr;		/* the client's address */
	const char	*device;	/* its device cookie; NULL if none */
	int64_t		 now;
};

int		 session_role_parse(const char *, enum role *);
const char	*session_role_label(enum role);
int		 session_role_at_least(const struct session *, enum role);
int		 session_password_hash(const char *, char *, size_t);
int		 session_login(struct db *, const struct login_try *,
		    int64_t *, int64_t *, char *, size_t);
int		 session_password_set(struct db *, int64_t, const char *);
int		 session_failures_clear(struct db *, const struct login_try *);
int		 session_device_cookie(struct db *, int64_t, int64_t, char *,
		    size_t);
int		 session_create(struct db *, int64_t, int64_t, char *, size_t);
int		 session_load(struct db *, const char *, int64_t, int64_t,
		    int64_t, struct session **);
int		 session_purge(struct db *, int64_t, int64_t, int64_t);
int		 session_delete(struct db *, const struct session *);
int		 session_csrf_ok(const struct session *, const struct req *);
int		 session_secure(const struct req *);
const char	*session_cookie(const struct req *, enum session_cookie);
int		 session_same_origin(const struct req *);
int		 session_token_eq(const char *, const char *);
void		 session_free(struct session *);

#endif
