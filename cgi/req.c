/* req.c: a request's input, parsed within limits and typed by the field table. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "http.h"
#include "req.h"
#include "session.h"
#include "util.h"
#include "valid.h"

const struct field_def field_defs[F__MAX] = {
	{ "email", valid_email, FF_TEXT, 0 },		/* F_EMAIL */
	{ "password", valid_password, FF_BODY, 0 },	/* F_PASSWORD */
	{ "csrf", valid_token, FF_BODY, 0 },		/* F_CSRF */
	{ "next", valid_next, FF_EMPTY_ABSENT, 0 },	/* F_NEXT */
	{ "form_token", valid_token, 0, 0 },		/* F_FORM_TOKEN */
	{ "account_email", valid_email, FF_TEXT, 0 },	/* F_ACCOUNT_EMAIL */
	{ "invoice_email", valid_email, FF_TEXT, 0 },	/* F_INVOICE_EMAIL */
	{ "cc_email", valid_email, FF_EMPTY_ABSENT | FF_TEXT, 10 }, /* F_CC_EMAIL */
	{ "cc_new", valid_email, FF_EMPTY_ABSENT | FF_TEXT, 0 }, /* F_CC_NEW */
	{ "remove_cc", valid_index, 0, 0 },		/* F_REMOVE_CC */
	{ "billing_name", valid_text_line, FF_TEXT, 0 },	/* F_BILLING_NAME */
	{ "address_line1", valid_text_line, FF_TEXT, 0 },	/* F_ADDRESS1 */
	{ "address_line2", valid_text_opt, FF_TEXT, 0 },	/* F_ADDRESS2 */
	{ "city", valid_text_line, FF_TEXT, 0 },		/* F_CITY */
	{ "postal_code", valid_postal_code, FF_TEXT, 0 },	/* F_POSTAL_CODE */
	{ "region", valid_text_opt, FF_TEXT, 0 },		/* F_REGION */
	{ "country", valid_country, 0, 0 },		/* F_COUNTRY */
	{ "vat_number", valid_vat, FF_TEXT, 0 },		/* F_VAT_NUMBER */
	{ "po_reference", valid_po_reference, FF_TEXT, 0 },	/* F_PO_REFERENCE */
	{ "buyer_reference", valid_po_reference, FF_TEXT, 0 }, /* F_BUYER_REFERENCE */
	{ "processor_token", valid_processor_token, FF_TEXT, 0 }, /* F_PROCESSOR_TOKEN */
	{ "payment_method_id", valid_rowid, 0, 0 },	/* F_PAYMENT_METHOD_ID */
	{ "before", valid_rowid, FF_EMPTY_ABSENT, 0 },	/* F_BEFORE */
	{ "done", valid_word, 0, 0 },			/* F_DONE */
	{ "add_cc", valid_word, 0, 0 },			/* F_ADD_CC */
	{ "period", valid_month, FF_EMPTY_ABSENT, 0 },	/* F_PERIOD */
	{ "year", valid_year, FF_EMPTY_ABSENT, 0 },	/* F_YEAR */
	{ "api_key_id", valid_rowid, 0, 0 },		/* F_API_KEY_ID */
	{ "subscription_id", valid_rowid, 0, 0 },	/* F_SUBSCRIPTION_ID */
	{ "document_id", valid_rowid, 0, 0 },		/* F_DOCUMENT_ID */
	{ "as_of", valid_rowid, 0, 0 },		/* F_AS_OF */
	{ "credit", valid_rowid, FF_EMPTY_ABSENT, 0 },	/* F_CREDIT: empty is 0 */
	{ "plan_id", valid_rowid, 0, 0 },		/* F_PLAN_ID */
	{ "quantity", valid_rowid, 0, 0 },		/* F_QUANTITY: 1 or more */
	{ "version", valid_rowid, 0, 0 },		/* F_VERSION */
	{ "seal", valid_token, 0, 0 },			/* F_SEAL */
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

static void
list_add(struct field_list *l, const struct field_def *d, const char *raw)
{
	struct field	*f;

	if (l->n >= d->max) {
		l->over = 1;
		return;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->raw = raw;
	if (!d->valid(f)) {
		memset(f, 0, sizeof(*f));
		f->raw = raw;
		l->bad = 1;
	}
}

/* Run the field table over one list of pairs (the query's: in_query). */
static void
run_fields(struct req *r, const struct kvlist *l, int in_query)
{
	const struct field_def	*d;
	size_t			 i, j;

	for (i = 0; i < F__MAX; i++) {
		d = &field_defs[i];
		if (in_query && (d->flags & FF_BODY))
			continue;	/* a CSRF token in a URL counts for nothing */
		for (j = 0; j < l->n; j++) {
			if (strcmp(l->v[j].key, d->name) != 0)
				continue;
			if ((d->flags & FF_EMPTY_ABSENT) &&
			    l->v[j].val[0] == '\0')
				continue;
			if (d->max > 1) {
				list_add(&r->list[i], d, l->v[j].val);
				continue;
			}
			if (r->field[i].raw != NULL || r->bad[i].raw != NULL) {
				/* A repeated field is invalid. */
				memset(&r->field[i], 0, sizeof(r->field[i]));
				memset(&r->bad[i], 0, sizeof(r->bad[i]));
				r->bad[i].raw = l->v[j].val;
				continue;
			}
			r->field[i].raw = l->v[j].val;
			if (!d->valid(&r->field[i])) {
				memset(&r->bad[i], 0, sizeof(r->bad[i]));
				r->bad[i].raw = l->v[j].val;
				memset(&r->field[i], 0, sizeof(r->field[i]));
			}
		}
	}
}

/* The flags of the field named key (FF_*), 0 for a name not ours. */
unsigned
req_field_flags(const char *key)
{
	size_t	 i;

	for (i = 0; i < F__MAX; i++)
		if (strcmp(field_defs[i].name, key) == 0)
			return field_defs[i].flags;
	return 0;
}

/*
 * Whether a and b, one after the other, hold a card number: split where
 * a separator was ("4111 1111" and "1111 1111") or inside a group
 * ("4111 11" and "11 1111 1111").
 */
static int
card_across(const char *a, const char *b)
{
	char	*s = xasprintf("%s%s", a, b), *t = xasprintf("%s\n%s", a, b);
	int	 found = valid_has_card_number(s) || valid_has_card_number(t);

	explicit_bzero(s, strlen(s));
	explicit_bzero(t, strlen(t));
	free(s);
	free(t);
	return found;
}

/*
 * Whether the pairs of l hold a card number: in a value (but for our
 * own random tokens, which may hold a Luhn-valid digit run), or split
 * over two neighbouring fields of typed text ("4111 1111" in one
 * address line, "1111 1111" in the next).
 */
static int
holds_card(const struct kvlist *l)
{
	struct field	 tok;
	size_t		 i;

	for (i = 0; i < l->n; i++) {
		memset(&tok, 0, sizeof(tok));
		tok.raw = l->v[i].val;
		if (!valid_token(&tok) && valid_has_card_number(l->v[i].val))
			return 1;
		if (i + 1 < l->n && (req_field_flags(l->v[i].key) & FF_TEXT) &&
		    (req_field_flags(l->v[i + 1].key) & FF_TEXT) &&
		    card_across(l->v[i].val, l->v[i + 1].val))
			return 1;
	}
	return 0;
}

/*
 * Whether JSON value v holds a card number once decoded ("\u0034..."
 * is "4..."): in a string or a key, or split over two strings in a row
 * (*prev: the last string seen, NULL at first).
 */
static int
json_holds_card(json_t *v, const char **prev)
{
	const char	*key, *s;
	json_t		*e;
	size_t		 i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, e)
			if (valid_has_card_number(key) ||
			    json_holds_card(e, prev))
				return 1;
		return 0;
	case JSON_ARRAY:
		json_array_foreach(v, i, e)
			if (json_holds_card(e, prev))
				return 1;
		return 0;
	case JSON_STRING:
		s = json_string_value(v);
		if (valid_has_card_number(s) ||
		    (*prev != NULL && card_across(*prev, s)))
			return 1;
		*prev = s;
		return 0;
	default:
		return 0;
	}
}

/* Whether the JSON body holds a card number, as sent or decoded. */
static int
json_body_holds_card(const struct req *r)
{
	json_t		*root;
	const char	*prev = NULL;
	int		 found;

	if (valid_has_card_number(r->json))
		return 1;
	if ((root = json_loadb(r->json, r->jsonlen, 0, NULL)) == NULL)
		return 0;	/* the API refuses it as it is */
	found = json_holds_card(root, &prev);
	json_decref(root);
	return found;
}

static void
wipe(struct kvlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		explicit_bzero(l->v[i].val, strlen(l->v[i].val));
}

/*
 * Refuse input holding a card number: wipe the path if it holds one,
 * every value of the query and the body (so it is stored, logged and
 * echoed nowhere) and say so.  Returns 1 if refused.
 */
static int
refuse_cards(struct req *r)
{
	int	 in_path = valid_has_card_number(r->path);

	if (!in_path && !holds_card(&r->query) && !holds_card(&r->form) &&
	    (r->json == NULL || !json_body_holds_card(r)))
		return 0;
	if (in_path) {
		explicit_bzero(r->path, strlen(r->path));
		strcpy(r->path, "/");	/* it was longer */
	}
	wipe(&r->query);
	wipe(&r->form);
	if (r->json != NULL)	/* the caller's buffer, NUL-terminated */
		explicit_bzero((char *)r->json, r->jsonlen);
	r->parse_status = HTTP_UNPROCESSABLE;
	r->error_msg = "What you sent contains a payment card number. Reckon "
	    "never takes card numbers: add a card with the payment method "
	    "form, which sends only a token from the payment processor. "
	    "Nothing was saved.";
	return 1;
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
 * QUERY_STRING, CONTENT_TYPE, HTTP_COOKIE, HTTP_AUTHORIZATION,
 * REMOTE_ADDR, HTTPS) read through get(arg, name), and the body
 * (borrowed, NULL if none); the params must outlive r.  Input
 * beyond the limits or malformed sets r->parse_status to 413 or 400 and
 * leaves every field empty.  Urlencoded bodies are parsed; a JSON body
 * (which must be NUL-terminated after bodylen bytes) is kept in r->json
 * for the API's handler.
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
	r->api = strncmp(r->path, "/api/", 5) == 0;
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
	r->content_type = ct;
	r->authorization = get(arg, "HTTP_AUTHORIZATION");
	r->host = get(arg, "HTTP_HOST");
	r->origin = get(arg, "HTTP_ORIGIN");
	r->fetch_site = get(arg, "HTTP_SEC_FETCH_SITE");
	if (body != NULL && bodylen > 0 && ct != NULL &&
	    strncasecmp(ct, "application/json", 16) == 0) {
		if (memchr(body, '\0', bodylen) != NULL) {
			r->parse_status = HTTP_BAD_REQUEST;
			return;
		}
		r->json = body;
		r->jsonlen = bodylen;
	}
	if (body != NULL && bodylen > 0 && ct != NULL && form_type(ct) &&
	    (rc = http_parse_urlencoded(body, bodylen, &r->form)) !=
	    HTTP_PARSE_OK) {
		r->parse_status = rc;
		return;
	}
	if (refuse_cards(r))
		return;
	run_fields(r, &r->query, 1);
	run_fields(r, &r->form, 0);
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

/* The values of a repeatable field (an empty list if none). */
const struct field_list *
req_list(const struct req *r, enum field_id id)
{
	return &r->list[id];
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
	for (size_t i = 0; i < F__MAX; i++)
		free(r->list[i].v);
	session_free(r->sess);
	free(r->location);
	buf_free(&r->headers);
	buf_free(&r->blob);
	memset(r, 0, sizeof(*r));
}
