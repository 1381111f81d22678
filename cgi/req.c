/* req.c: a request's input, parsed within limits and typed by the field table. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "req.h"
#include "session.h"
#include "util.h"
#include "valid.h"

const struct field_def field_defs[F__MAX] = {
	{ "email",	valid_email },		/* F_EMAIL */
	{ "password",	valid_password },	/* F_PASSWORD */
	{ "csrf",	valid_token },		/* F_CSRF */
	{ "next",	valid_next },		/* F_NEXT */
};

/* Zero r and set its context; nothing is allocated yet. */
void
req_init(struct req *r, struct db *db, const struct config *cfg, int64_t now)
{
	memset(r, 0, sizeof(*r));
	r->db = db;
	r->cfg = cfg;
	r->now = now;
}

static enum method
method_of(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "DELETE") == 0)
		return M_DELETE;
	return M_OTHER;
}

/* Run the field table over one list of pairs. */
static void
run_fields(struct req *r, const struct kvlist *l)
{
	size_t	 i, j;

	for (i = 0; i < F__MAX; i++) {
		for (j = 0; j < l->n; j++) {
			if (strcmp(l->v[j].key, field_defs[i].name) != 0)
				continue;
			if (r->field[i].raw != NULL || r->bad[i].raw != NULL) {
				/* A repeated field is invalid. */
				r->bad[i].raw = l->v[j].val;
				r->field[i].raw = NULL;
				r->field[i].type = FIELD_NONE;
				continue;
			}
			r->field[i].raw = l->v[j].val;
			if (!field_defs[i].valid(&r->field[i])) {
				r->bad[i] = r->field[i];
				memset(&r->field[i], 0, sizeof(r->field[i]));
			}
		}
	}
}

/* Whether a Content-Type is urlencoded ("; charset=..." allowed). */
static int
form_type(const char *ct)
{
	static const char	 t[] = "application/x-www-form-urlencoded";

	if (strncasecmp(ct, t, sizeof(t) - 1) != 0)
		return 0;
	ct += sizeof(t) - 1;
	return *ct == '\0' || *ct == ';' || *ct == ' ';
}

/*
 * Fill r from CGI-style parameters (REQUEST_METHOD, PATH_INFO,
 * QUERY_STRING, CONTENT_TYPE, HTTP_COOKIE, REMOTE_ADDR, HTTPS) read
 * through get(arg, name), and the body (borrowed, NULL if none).  Input
 * beyond the limits or malformed sets r->parse_status to 413 or 400 and
 * leaves every field empty.  Only urlencoded bodies are read.
 */
void
req_parse(struct req *r, req_param_fn get, void *arg, const char *body,
    size_t bodylen)
{
	const char	*s, *ct;
	int		 rc;

	r->method = method_of(get(arg, "REQUEST_METHOD"));
	s = get(arg, "PATH_INFO");
	if (s == NULL || *s == '\0')
		s = get(arg, "DOCUMENT_URI");
	r->path = xstrdup(s == NULL || *s == '\0' ? "/" : s);
	r->remote_addr = get(arg, "REMOTE_ADDR");
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	s = get(arg, "HTTPS");
	r->https = s != NULL && *s != '\0' && strcmp(s, "off") != 0;

	if ((s = get(arg, "HTTP_COOKIE")) != NULL &&
	    (rc = http_parse_cookies(s, &r->cookies)) != HTTP_PARSE_OK) {
		r->parse_status = rc;
		return;
	}
	if ((s = get(arg, "QUERY_STRING")) != NULL) {
		if (strlen(s) > HTTP_MAX_QUERY) {
			r->parse_status = HTTP_PAYLOAD_TOO_LARGE;
			return;
		}
		if ((rc = http_parse_urlencoded(s, strlen(s), &r->query)) !=
		    HTTP_PARSE_OK) {
			r->parse_status = rc;
			return;
		}
	}
	if (bodylen > HTTP_MAX_BODY) {
		r->parse_status = HTTP_PAYLOAD_TOO_LARGE;
		return;
	}
	ct = get(arg, "CONTENT_TYPE");
	if (body != NULL && bodylen > 0 && ct != NULL && form_type(ct) &&
	    (rc = http_parse_urlencoded(body, bodylen, &r->form)) !=
	    HTTP_PARSE_OK) {
		r->parse_status = rc;
		return;
	}
	run_fields(r, &r->query);
	run_fields(r, &r->form);
}

/* The typed field id if it was present and valid, else NULL. */
const struct field *
req_field(const struct req *r, enum field_id id)
{
	return r->field[id].type == FIELD_NONE ? NULL : &r->field[id];
}

/* The raw text of a field that was present but refused, else NULL. */
const char *
req_bad_raw(const struct req *r, enum field_id id)
{
	return r->bad[id].raw;
}

/* The value of cookie name, borrowed; NULL if absent. */
const char *
req_cookie(const struct req *r, const char *name)
{
	return http_kv_get(&r->cookies, name);
}

/*
 * Add a response header line ("Name: value", no CRLF).  Only fixed text
 * and values that passed a validator may go in.
 */
void
req_header(struct req *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("%s", __func__);
	if (strpbrk(s, "\r\n") != NULL)
		abort();	/* header injection is a bug, not an input */
	buf_add(&r->headers, s, (size_t)n);
	buf_add(&r->headers, "\r\n", 2);
	free(s);
}

/* Free everything r owns (not r itself). */
void
req_free(struct req *r)
{
	free(r->path);
	http_kv_free(&r->query);
	http_kv_free(&r->form);
	http_kv_free(&r->cookies);
	session_free(r->sess);
	free(r->location);
	buf_free(&r->headers);
	buf_free(&r->blob);
	memset(r, 0, sizeof(*r));
}
