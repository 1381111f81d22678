/* render.c: the HDF contract, ClearSilver rendering, whole responses in memory. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "db.h"
#include "http.h"
#include "money.h"
#include "render.h"
#include "req.h"
#include "server.h"
#include "session.h"
#include "util.h"

/* The error page's fixed words, per status. */
static const struct {
	int		 status;
	const char	*title;
	const char	*message;
} errors[] = {
	{ HTTP_BAD_REQUEST, "Bad request",
	  "The request could not be understood. Check the address or the "
	  "form and try again." },
	{ HTTP_UNAUTHORIZED, "Please sign in",
	  "You need to sign in to see this page." },
	{ HTTP_FORBIDDEN, "Access denied",
	  "You do not have permission to do this. If you think you should, "
	  "ask an owner of your organization." },
	{ HTTP_NOT_FOUND, "Page not found",
	  "There is no page at this address. Check the link, or go back to "
	  "the billing overview." },
	{ HTTP_METHOD_NOT_ALLOWED, "Not allowed",
	  "This page cannot be used that way. Go back and use the page's own "
	  "links and buttons." },
	{ HTTP_CONFLICT, "Something changed meanwhile",
	  "What you were looking at changed before you confirmed, and nothing "
	  "was done. Look at the page again, then confirm." },
	{ HTTP_UNSUPPORTED_MEDIA_TYPE, "Unsupported format",
	  "This address takes data in another format. Nothing was changed." },
	{ HTTP_PAYLOAD_TOO_LARGE, "Too much data",
	  "What you sent is larger than this portal accepts. Shorten it and "
	  "try again." },
	{ HTTP_UNPROCESSABLE, "Please check the form",
	  "Some of what you entered needs correcting. Nothing was changed." },
	{ HTTP_TOO_MANY_REQUESTS, "Too many attempts",
	  "There have been too many failed attempts. Wait 15 minutes, then "
	  "try again." },
	{ HTTP_INTERNAL, "Something went wrong",
	  "The portal could not complete this request, and nothing was "
	  "changed. Try again in a moment; if it keeps happening, contact "
	  "support." },
	{ HTTP_UNAVAILABLE, "Temporarily unavailable",
	  "The portal is busy, short of storage or cannot save anything right "
	  "now, and nothing was changed. Try again in a minute." },
};

/* Navigation: shown to roles at or above role. */
static const struct {
	const char	*label;
	const char	*url;
	enum role	 role;
} nav[] = {
	{ "Overview",		"/billing",			ROLE_ACCOUNTANT },
	{ "Sensors",		"/billing/sensors/sync",	ROLE_ACCOUNTANT },
	{ "Plan",		"/billing/plan",		ROLE_ACCOUNTANT },
	{ "Receipts",		"/billing/receipts",		ROLE_ACCOUNTANT },
	{ "Billing details",	"/billing/details",		ROLE_ACCOUNTANT },
	{ "Payment methods",	"/billing/payment-methods",	ROLE_ACCOUNTANT },
	{ "Audit log",		"/billing/audit",		ROLE_OWNER },
};

static const char fallback_500[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Something went wrong — Reckon</title>"
    "<link rel=\"stylesheet\" href=\"/static/css/reckon.css\"></head>"
    "<body><main><h1>Something went wrong</h1><p>The portal could not "
    "complete this request, and nothing was changed. Try again in a "
    "moment.</p></main></body></html>\n";

/*
 * Log a ClearSilver error with its traceback under func and free it.
 * Returns -1, so callers can `return render_nerr(__func__, err)`.
 */
int
render_nerr(const char *func, NEOERR *err)
{
	STRING	 s;

	string_init(&s);
	nerr_error_traceback(err, &s);
	log_warnx("%s: %s", func, s.buf ? s.buf : "ClearSilver error");
	string_clear(&s);
	nerr_ignore(&err);
	return -1;
}

/*
 * A new page HDF holding only the escaping mode and the template load
 * path: no request input is ever in it until a handler puts it there
 * as a value.  Refuses (-1, logged) if HTML escaping does not read back.
 */
int
render_hdf_new(const struct config *cfg, HDF **out)
{
	HDF	*hdf = NULL;
	NEOERR	*err;

	*out = NULL;
	if ((err = hdf_init(&hdf)) != STATUS_OK)
		return render_nerr(__func__, err);
	if ((err = hdf_set_value(hdf, "Config.VarEscapeMode", "html")) !=
	    STATUS_OK ||
	    (err = hdf_set_value(hdf, "hdf.loadpaths.0", cfg->template_dir)) !=
	    STATUS_OK) {
		hdf_destroy(&hdf);
		return render_nerr(__func__, err);
	}
	if (strcmp(hdf_get_value(hdf, "Config.VarEscapeMode", ""), "html")) {
		log_warnx("%s: HTML escaping is not on", __func__);
		hdf_destroy(&hdf);
		return -1;
	}
	*out = hdf;
	return 0;
}

/*
 * The decimal digits of u, written backwards to end at end (the caller
 * leaves 20 bytes before it).  Returns the first digit.
 */
static char *
digits(uint64_t u, char *end)
{
	do
		*--end = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	return end;
}

/*
 * Format a node name into out (outsz bytes).  Names are text with %zu
 * and %s ("Subs.%zu.Amount"), formatted here directly: vsnprintf cost
 * a tenth of the overview page's instructions, over a hundred names a
 * page.  Any other conversion goes to vsnprintf.  Returns the length,
 * outsz or more when out is too small, or -1.
 */
static int
name_fmt(char *out, size_t outsz, const char *fmt, va_list ap)
{
	const char	*p, *s;
	char		 num[24], *d;
	size_t		 n = 0, k;
	va_list		 aq;

	va_copy(aq, ap);
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			if (n + 1 >= outsz)
				break;
			out[n++] = *p;
			continue;
		}
		if (p[1] == 's') {
			for (s = va_arg(aq, const char *); *s != '\0'; s++) {
				if (n + 1 >= outsz)
					break;
				out[n++] = *s;
			}
			if (*s != '\0')
				break;
			p++;
		} else if (p[1] == 'z' && p[2] == 'u') {
			d = digits(va_arg(aq, size_t), num + sizeof(num));
			k = (size_t)(num + sizeof(num) - d);
			if (n + k >= outsz)
				break;
			memcpy(out + n, d, k);
			n += k;
			p += 2;
		} else {
			va_end(aq);
			return vsnprintf(out, outsz, fmt, ap);
		}
	}
	va_end(aq);
	if (*p != '\0')
		return (int)outsz;	/* too long */
	out[n] = '\0';
	return (int)n;
}

static int	name_printf(char *, size_t, const char *, ...) PRINTF_LIKE(3, 4);

static int
name_printf(char *out, size_t outsz, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = name_fmt(out, outsz, fmt, ap);
	va_end(ap);
	return n;
}

static int
vput(HDF *hdf, const char *value, const char *fmt, va_list ap)
{
	char		 buf[256];
	const char	*name = fmt;
	int		 n;
	NEOERR		*err;

	/* A row's names ("Product") are mostly plain: nothing to format. */
	if (strchr(fmt, '%') != NULL) {
		n = name_fmt(buf, sizeof(buf), fmt, ap);
		if (n < 0 || (size_t)n >= sizeof(buf)) {
			log_warnx("%s: node name too long", __func__);
			return -1;
		}
		name = buf;
	}
	if ((err = hdf_set_value(hdf, name, value)) != STATUS_OK)
		return render_nerr(__func__, err);
	return 0;
}

/*
 * Set the node named by fmt to a copy of value.  Only the name is
 * formatted; value is stored as it is.  Returns 0, or -1 (logged).
 */
int
hdf_put(HDF *hdf, const char *value, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = vput(hdf, value, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * The node list.i, created if missing: a row whose values are then put
 * by short names relative to it ("Product" under "Subs.2"), so that each
 * put neither formats nor walks the row's path again.  Returns NULL
 * (logged) on failure.
 */
HDF *
hdf_row(HDF *hdf, const char *list, size_t i)
{
	char	 name[128];
	HDF	*row;
	NEOERR	*err;

	if ((size_t)name_printf(name, sizeof(name), "%s.%zu", list, i) >=
	    sizeof(name)) {
		log_warnx("%s: node name too long", __func__);
		return NULL;
	}
	if ((err = hdf_get_node(hdf, name, &row)) != STATUS_OK) {
		render_nerr(__func__, err);
		return NULL;
	}
	return row;
}

/* Set the node named by fmt to the decimal integer v. */
int
hdf_put_int(HDF *hdf, int64_t v, const char *fmt, ...)
{
	char		 s[24], *p;
	va_list		 ap;
	int		 rc;

	/* No snprintf for a number. */
	s[sizeof(s) - 1] = '\0';
	p = digits(v < 0 ? -(uint64_t)v : (uint64_t)v, s + sizeof(s) - 1);
	if (v < 0)
		*--p = '-';
	va_start(ap, fmt);
	rc = vput(hdf, p, fmt, ap);
	va_end(ap);
	return rc;
}

/* Set the node named by fmt to the amount formatted for people. */
int
hdf_put_money(HDF *hdf, cents_t v, const char *cur, const char *fmt, ...)
{
	char	 s[64];
	va_list	 ap;
	int	 rc;

	if (money_fmt(v, cur, s, sizeof(s)) != MONEY_OK) {
		log_warnx("%s: cannot format %lld %s", __func__, (long long)v,
		    cur);
		return -1;
	}
	va_start(ap, fmt);
	rc = vput(hdf, s, fmt, ap);
	va_end(ap);
	return rc;
}

/* Set the node named by fmt to the UTC date of t, as YYYY-MM-DD. */
int
hdf_put_date(HDF *hdf, int64_t t, const char *fmt, ...)
{
	char	 s[32];
	va_list	 ap;
	int	 rc;

	if (util_time_fmt(t, "%Y-%m-%d", s, sizeof(s)) == -1)
		return -1;
	va_start(ap, fmt);
	rc = vput(hdf, s, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Answer 303 to url, a local path built by the program (never raw
 * input).  Returns HTTP_SEE_OTHER for the handler to return.
 */
int
render_redirect(struct req *r, const char *url)
{
	free(r->location);
	r->location = xstrdup(url);
	return HTTP_SEE_OTHER;
}

/*
 * Put the signed-in user, role flags, CSRF token and navigation under
 * Session.* and Page.Nav.* (what the templates read, and no more).
 * Nothing is put for an anonymous request.
 */
int
render_session(struct req *r, HDF *hdf)
{
	const struct session	*s = r->sess;
	size_t			 i, n = 0;
	HDF			*node;
	NEOERR			*err;

	if (s == NULL)
		return 0;
	if ((err = hdf_get_node(hdf, "Session", &node)) != STATUS_OK)
		return render_nerr(__func__, err);
	if (hdf_put(node, s->name, "UserName") ||
	    hdf_put(node, s->org_name, "OrgName") ||
	    hdf_put(node, s->csrf, "Csrf") ||
	    hdf_put(node, session_role_label(s->role), "RoleLabel"))
		return -1;
	if (s->role >= ROLE_BILLING_ADMIN && hdf_put(node, "1", "CanManage"))
		return -1;
	if (s->role == ROLE_ACCOUNTANT && hdf_put(node, "1", "ReadOnly"))
		return -1;
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		if (s->role < nav[i].role)
			continue;
		if ((node = hdf_row(hdf, "Page.Nav", n++)) == NULL ||
		    hdf_put(node, nav[i].label, "Label") ||
		    hdf_put(node, nav[i].url, "Url"))
			return -1;
		if (strcmp(r->path, nav[i].url) == 0 &&
		    hdf_put(node, "1", "Current"))
			return -1;
	}
	return 0;
}

static NEOERR *
out_cb(void *ctx, char *s)
{
	buf_puts(ctx, s);
	return STATUS_OK;
}

/*
 * Templates parsed once per worker.  Parsing was most of a page's cost
 * (every request read and parsed the page and its four includes).  A
 * parse is made against a small HDF of its own, holding only the
 * escaping mode and the load path (includes are resolved at parse time),
 * and a request's HDF is lent to it for the render alone.  The templates
 * set nothing (no set:, no evar:), so a render leaves the parse as it
 * was.  Nothing of a request is kept: the cache holds program text.
 */
#define TMPL_CACHE	32

static struct {
	char	*name;
	CSPARSE	*cs;
} tmpl_cache[TMPL_CACHE];
static HDF	*tmpl_base;

static CSPARSE *
tmpl_parse(HDF *req_hdf, const char *tmpl, NEOERR **err, int *cached)
{
	CSPARSE	*cs = NULL;
	size_t	 i;

	*err = STATUS_OK;
	*cached = 1;
	for (i = 0; i < TMPL_CACHE && tmpl_cache[i].name != NULL; i++)
		if (strcmp(tmpl_cache[i].name, tmpl) == 0)
			return tmpl_cache[i].cs;
	if (tmpl_base == NULL) {
		if ((*err = hdf_init(&tmpl_base)) != STATUS_OK ||
		    (*err = hdf_set_value(tmpl_base, "Config.VarEscapeMode",
		    "html")) != STATUS_OK ||
		    (*err = hdf_set_value(tmpl_base, "hdf.loadpaths.0",
		    hdf_get_value(req_hdf, "hdf.loadpaths.0", "."))) !=
		    STATUS_OK) {
			hdf_destroy(&tmpl_base);
			return NULL;
		}
	}
	if ((*err = cs_init(&cs, tmpl_base)) != STATUS_OK ||
	    (*err = cs_parse_file(cs, tmpl)) != STATUS_OK) {
		cs_destroy(&cs);
		return NULL;
	}
	if (i < TMPL_CACHE) {
		tmpl_cache[i].name = xstrdup(tmpl);
		tmpl_cache[i].cs = cs;
	} else
		*cached = 0;	/* more templates than places: parse each time */
	return cs;
}

/* Forget a cached parse (after a failed render), or free an uncached one. */
static void
tmpl_drop(CSPARSE *cs)
{
	size_t	 i;

	for (i = 0; i < TMPL_CACHE && tmpl_cache[i].name != NULL; i++)
		if (tmpl_cache[i].cs == cs) {
			free(tmpl_cache[i].name);
			for (; i + 1 < TMPL_CACHE; i++)
				tmpl_cache[i] = tmpl_cache[i + 1];
			tmpl_cache[TMPL_CACHE - 1].name = NULL;
			tmpl_cache[TMPL_CACHE - 1].cs = NULL;
			break;
		}
	cs_destroy(&cs);
}

/* Free every cached template (at a worker's exit). */
void
render_cleanup(void)
{
	size_t	 i;

	for (i = 0; i < TMPL_CACHE && tmpl_cache[i].name != NULL; i++) {
		free(tmpl_cache[i].name);
		cs_destroy(&tmpl_cache[i].cs);
		tmpl_cache[i].name = NULL;
	}
	hdf_destroy(&tmpl_base);
}

/*
 * Render template tmpl (found through hdf.loadpaths) with hdf into out,
 * from this worker's parse of it.  Returns 0, or -1 (logged).
 */
int
render_string(HDF *hdf, const char *tmpl, struct buf *out)
{
	CSPARSE	*cs;
	NEOERR	*err;
	int	 cached;

	if ((cs = tmpl_parse(hdf, tmpl, &err, &cached)) == NULL)
		return render_nerr(tmpl, err);
	cs->hdf = hdf;
	err = cs_render(cs, out, out_cb);
	cs->hdf = tmpl_base;
	if (err != STATUS_OK || !cached)
		tmpl_drop(cs);
	if (err != STATUS_OK)
		return render_nerr(tmpl, err);
	return 0;
}

static void
head(struct buf *out, int status, const char *ctype, size_t len,
    const struct req *r)
{
	buf_printf(out, "Status: %d %s\r\n", status, http_status_text(status));
	if (ctype != NULL)
		buf_printf(out, "Content-Type: %s\r\n", ctype);
	buf_printf(out, "Content-Length: %zu\r\n", len);
	buf_puts(out, "Cache-Control: no-store\r\n");
	if (r->headers.len > 0)
		buf_add(out, r->headers.p, r->headers.len);
	buf_puts(out, "\r\n");
}

static int
fill_error(struct req *r, HDF *hdf, int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].status == status)
			break;
	if (i == sizeof(errors) / sizeof(errors[0]))
		return -1;
	if (hdf_put_int(hdf, status, "Error.Status") ||
	    hdf_put(hdf, errors[i].title, "Error.Title") ||
	    hdf_put(hdf, errors[i].title, "Page.Title") ||
	    hdf_put(hdf, r->error_msg ? r->error_msg : errors[i].message,
	    "Error.Message"))
		return -1;
	if (r->sess == NULL && hdf_put(hdf, "/login", "Error.BackUrl") == 0)
		return hdf_put(hdf, "Sign in", "Error.BackLabel");
	/* A member has no billing page to go back to: say who can help. */
	if (status == HTTP_FORBIDDEN && r->sess != NULL &&
	    r->sess->role == ROLE_MEMBER && r->error_msg == NULL)
		return hdf_put(hdf, "You are signed in as a member of your "
		    "organization, and members have no access to its billing. "
		    "Ask an owner or a billing admin of your organization to "
		    "give you the accountant or billing admin role, or sign "
		    "out and sign in with another account.", "Error.Message") ||
		    hdf_put(hdf, "1", "Error.SignOut");
	return 0;
}

/* Append s to b as the inside of a JSON string. */
static void
json_str(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\u%04x", (unsigned char)*s);
		else
			buf_add(b, s, 1);
	}
}

/*
 * The API's error body: {"error": "not_found", "message": "..."}, the
 * message the handler chose (r->error_msg) or the status's own words.
 */
static void
json_error(const struct req *r, int status, struct buf *b)
{
	size_t		 i;
	const char	*msg = NULL, *word;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].status == status)
			msg = errors[i].message;
	switch (status) {
	case HTTP_BAD_REQUEST:		word = "bad_request"; break;
	case HTTP_UNAUTHORIZED:		word = "unauthorized"; break;
	case HTTP_FORBIDDEN:		word = "forbidden"; break;
	case HTTP_NOT_FOUND:		word = "not_found"; break;
	case HTTP_METHOD_NOT_ALLOWED:	word = "method_not_allowed"; break;
	case HTTP_PAYLOAD_TOO_LARGE:	word = "too_large"; break;
	case HTTP_UNSUPPORTED_MEDIA_TYPE:
		word = "unsupported_media_type";
		break;
	case HTTP_UNPROCESSABLE:	word = "unprocessable"; break;
	case HTTP_CONFLICT:		word = "conflict"; break;
	case HTTP_TOO_MANY_REQUESTS:	word = "too_many_requests"; break;
	case HTTP_UNAVAILABLE:		word = "unavailable"; break;
	default:			word = "internal_error"; break;
	}
	if (r->error_msg != NULL)
		msg = r->error_msg;
	buf_printf(b, "{\"error\": \"%s\", \"message\": \"", word);
	json_str(b, msg != NULL ? msg : "The request failed.");
	buf_puts(b, "\"}\n");
}

/*
 * Turn a handler's result into the whole response (FastCGI headers and
 * body) in out: a 303 to r->location, a blob (r->ctype), the page r->tmpl
 * for a 2xx (or a 4xx form re-shown with r->tmpl set), or the error page
 * for any other status; -1 becomes 500.  Always produces a response.
 * Returns the status sent.
 */
int
render_response(struct req *r, HDF *hdf, int status, struct buf *out)
{
	struct buf	 body;

	memset(&body, 0, sizeof(body));
	if (status == -1)
		status = HTTP_INTERNAL;
	/* "Not now": when to try again (the API's own 503s say it too). */
	if (status == HTTP_UNAVAILABLE &&
	    strstr(r->headers.p ? r->headers.p : "", "Retry-After:") == NULL)
		req_header(r, "Retry-After: %d", RENDER_RETRY_AFTER);
	if (status == HTTP_SEE_OTHER && r->location != NULL) {
		req_header(r, "Location: %s", r->location);
		head(out, status, NULL, 0, r);
		return status;
	}
	if ((status == HTTP_OK || status == HTTP_CREATED) && r->ctype != NULL) {
		head(out, status, r->ctype, r->blob.len, r);
		if (r->blob.len > 0)
			buf_add(out, r->blob.p, r->blob.len);
		return status;
	}
	if (r->api && (status >= 400 || r->ctype == NULL)) {
		if (status < 400)
			status = HTTP_INTERNAL;
		json_error(r, status, &body);
		head(out, status, "application/json", body.len, r);
		buf_add(out, body.p, body.len);
		buf_free(&body);
		return status;
	}
	if (status >= 400 || r->tmpl == NULL) {
		if (status < 400)
			status = HTTP_INTERNAL;
		if (r->tmpl == NULL || status >= 500) {
			r->tmpl = "error.cs";
			if (fill_error(r, hdf, status) == -1)
				goto fallback;
		}
	}
	if (render_session(r, hdf) == -1 ||
	    render_string(hdf, r->tmpl, &body) == -1)
		goto fallback;
	head(out, status, "text/html; charset=utf-8", body.len, r);
	buf_add(out, body.p, body.len);
	buf_free(&body);
	return status;
fallback:
	buf_free(&body);
	out->len = 0;
	if (out->p != NULL)
		out->p[0] = '\0';
	status = HTTP_INTERNAL;
	head(out, status, "text/html; charset=utf-8", sizeof(fallback_500) - 1,
	    r);
	buf_add(out, fallback_500, sizeof(fallback_500) - 1);
	return status;
}
