/* page_login.c: sign in and sign out. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "http.h"
#include "pages.h"
#include "render.h"
#include "req.h"
#include "server.h"
#include "session.h"
#include "util.h"

/*
 * Map a failed db_rc to the status to answer: 503 when the database is
 * busy or the disk full (try again later), -1 (500) otherwise.
 */
int
page_db_status(const struct req *r, int rc)
{
	if (db_rc_unavailable(rc) ||
	    (rc != DB_OK && db_rc_unavailable(r->db->last_rc)))
		return HTTP_UNAVAILABLE;
	return -1;
}

static const char *
cookie_attrs(const struct req *r)
{
	return session_secure(r) ? "; Secure" : "";
}

/* Show the sign-in form with status, an optional message, sticky email. */
static int
login_form(struct req *r, HDF *hdf, int status, const char *msg)
{
	const struct field	*f;
	struct field		 pre;
	char			 tok[SESSION_TOKEN_LEN + 1];

	memset(&pre, 0, sizeof(pre));
	pre.raw = req_cookie(r, session_cookie(r, COOKIE_PRE));
	if (pre.raw != NULL && valid_token(&pre))
		memcpy(tok, pre.raw, sizeof(tok));
	else {
		util_random_hex(tok, sizeof(tok));
		req_header(r, "Set-Cookie: %s=%s; Path=/login; HttpOnly"
		    "; SameSite=Strict%s", session_cookie(r, COOKIE_PRE), tok,
		    cookie_attrs(r));
	}
	if (hdf_put(hdf, "Sign in", "Page.Title") ||
	    hdf_put(hdf, tok, "Form.Csrf"))
		return -1;
	if ((f = req_field(r, F_EMAIL)) != NULL &&
	    hdf_put(hdf, f->u.s, "Form.Email.Value"))
		return -1;
	if ((f = req_field(r, F_NEXT)) != NULL &&
	    hdf_put(hdf, f->u.s, "Form.Next"))
		return -1;
	if (msg != NULL && hdf_put(hdf, msg, "Form.Error"))
		return -1;
	r->tmpl = "login.cs";
	return status;
}

/*
 * GET / : to the overview if signed in, else to the sign-in form.
 */
int
page_root(struct req *r, HDF *hdf)
{
	(void)hdf;
	return render_redirect(r, r->sess != NULL ? "/billing" : "/login");
}

/*
 * GET|POST /login
 * Fields: F_EMAIL, F_PASSWORD, F_NEXT (optional); F_CSRF checked by the
 * dispatcher against the pre-session cookie.
 * GET renders login.cs.  POST: 303 to F_NEXT or /billing with a new
 * session cookie and a device cookie (this browser signed in here: see
 * session_login); 401 with the form for a wrong email or password; 429
 * with Retry-After when throttled; 503/500 when the database fails.
 */
int
page_login(struct req *r, HDF *hdf)
{
	const struct field	*email, *pw, *next;
	struct login_try	 t;
	char			 token[SESSION_TOKEN_LEN + 1];
	char			 rehash[crypto_pwhash_STRBYTES];
	char			 device[SESSION_DEVICE_LEN], msg[300];
	int64_t			 uid, wait;
	int			 rc;

	if (r->method != M_POST) {
		if (r->sess != NULL)
			return render_redirect(r, "/billing");
		return login_form(r, hdf, HTTP_OK, NULL);
	}
	email = req_field(r, F_EMAIL);
	pw = req_field(r, F_PASSWORD);
	if (email == NULL || pw == NULL)
		return login_form(r, hdf, HTTP_UNAUTHORIZED,
		    req_bad_raw(r, F_EMAIL) != NULL ?
		    "That is not an email address. Check it and try again." :
		    "Enter your email address and your password.");
	t = (struct login_try){ email->u.s, pw->u.s, r->remote_addr,
	    req_cookie(r, session_cookie(r, COOKIE_DEVICE)), r->now };
	switch (session_login(r->db, &t, &uid, &wait, rehash,
	    sizeof(rehash))) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		return login_form(r, hdf, HTTP_UNAUTHORIZED,
		    "The email address or the password is not right. "
		    "Try again.");
	case LOGIN_THROTTLED:
		snprintf(msg, sizeof(msg), "Too many failed attempts to sign "
		    "in from here. Wait %lld minute%s, then try again; a "
		    "browser you signed in with before can sign in now.",
		    (long long)((wait + 59) / 60), wait > 60 ? "s" : "");
		req_header(r, "Retry-After: %lld", (long long)wait);
		return login_form(r, hdf, HTTP_TOO_MANY_REQUESTS, msg);
	default:
		return page_db_status(r, DB_ERROR);
	}
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = session_create(r->db, uid, r->now, token,
	    sizeof(token))) != DB_OK ||
	    (rc = session_failures_clear(r->db, &t)) != DB_OK ||
	    (rc = session_device_cookie(r->db, uid, r->now, device,
	    sizeof(device))) != DB_OK ||
	    (rc = session_purge(r->db, r->now, r->cfg->session_idle,
	    r->cfg->session_max)) != DB_OK ||
	    (rehash[0] != '\0' &&
	    (rc = session_password_set(r->db, uid, rehash)) != DB_OK)) {
		db_rollback(r->db);
		return page_db_status(r, rc);
	}
	if ((rc = db_commit(r->db)) != DB_OK)
		return page_db_status(r, rc);
	req_header(r, "Set-Cookie: %s=%s; Path=/; HttpOnly; SameSite=Lax%s",
	    session_cookie(r, COOKIE_SESSION), token, cookie_attrs(r));
	req_header(r, "Set-Cookie: %s=; Path=/login; Max-Age=0; HttpOnly"
	    "; SameSite=Strict%s", session_cookie(r, COOKIE_PRE),
	    cookie_attrs(r));
	req_header(r, "Set-Cookie: %s=%s; Path=/login; Max-Age=%d; HttpOnly"
	    "; SameSite=Strict%s", session_cookie(r, COOKIE_DEVICE), device,
	    SESSION_DEVICE_MAX_AGE, cookie_attrs(r));
	next = req_field(r, F_NEXT);
	return render_redirect(r, next != NULL ? next->u.s : "/billing");
}

/*
 * POST /logout (CSRF checked by the dispatcher): end the session,
 * clear the cookie, 303 to /login.
 */
int
page_logout(struct req *r, HDF *hdf)
{
	int	 rc;

	(void)hdf;
	if ((rc = session_delete(r->db, r->sess)) != DB_OK)
		return page_db_status(r, rc);
	req_header(r, "Set-Cookie: %s=; Path=/; Max-Age=0; HttpOnly"
	    "; SameSite=Lax%s", session_cookie(r, COOKIE_SESSION),
	    cookie_attrs(r));
	return render_redirect(r, "/login");
}
