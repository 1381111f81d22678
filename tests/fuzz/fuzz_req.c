/* fuzz_req.c: req_parse on a whole request: query string, cookies, body. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * fuzz-args: -max_len=70000
 *
 * The input is split at its first two newlines: the first line is
 * QUERY_STRING, the second HTTP_COOKIE, the rest the body of a POST
 * with Content-Type application/x-www-form-urlencoded.  Without a
 * newline there is no cookie and no body (the parameters are unset).
 *
 * Invariants, over the whole field table (whatever fields it has):
 * - parse_status is 0, 400, 413 or 422; if not 0, no field is set;
 * - 422 exactly when a query or body value (not one of our 64-hex
 *   tokens) holds a card number, and then
 *   there is an error message and every byte of every value of that list
 *   (query or body) is wiped;
 * - a single field is valid or refused, never both; one sent once (query
 *   and body together; an empty value does not count if FF_EMPTY_ABSENT)
 *   is valid iff its validator accepts it, one sent more often is
 *   refused, one not sent is neither; the typed value is the validator's;
 * - a repeatable field (max > 1) keeps its first max values, in order,
 *   each typed iff valid, and is bad iff one is invalid or there are more;
 * - req_free releases everything (LeakSanitizer).
 */
#include <string.h>

#include "req.h"
#include "fuzz.h"

struct params {
	const char	*query;
	const char	*cookie;
};

static const char *
get(void *arg, const char *name)
{
	const struct params	*p = arg;

	if (strcmp(name, "REQUEST_METHOD") == 0)
		return "POST";
	if (strcmp(name, "PATH_INFO") == 0)
		return "/login";
	if (strcmp(name, "CONTENT_TYPE") == 0)
		return "application/x-www-form-urlencoded";
	if (strcmp(name, "REMOTE_ADDR") == 0)
		return "192.0.2.1";
	if (strcmp(name, "HTTPS") == 0)
		return "on";
	if (strcmp(name, "QUERY_STRING") == 0)
		return p->query;
	if (strcmp(name, "HTTP_COOKIE") == 0)
		return p->cookie;
	return NULL;
}

/* Whether pair kv is a value of field d. */
static int
counts(const struct field_def *d, const struct kv *kv)
{
	return strcmp(kv->key, d->name) == 0 &&
	    !((d->flags & FF_EMPTY_ABSENT) && kv->val[0] == '\0');
}

/* The k-th value (from 0) of field d in the query, then the body. */
static const char *
nth(const struct req *r, const struct field_def *d, size_t k)
{
	size_t	 j;

	for (j = 0; j < r->query.n && !(d->flags & FF_BODY); j++)
		if (counts(d, &r->query.v[j]) && k-- == 0)
			return r->query.v[j].val;
	for (j = 0; j < r->form.n; j++)
		if (counts(d, &r->form.v[j]) && k-- == 0)
			return r->form.v[j].val;
	return NULL;
}

/* The validator of d, run again on raw, agrees with the kept field f. */
static void
same_verdict(const struct field_def *d, const char *raw,
    const struct field *f)
{
	struct field	 g;
	int		 ok;

	memset(&g, 0, sizeof(g));
	g.raw = raw;
	ok = d->valid(&g);
	CHECK(f->raw == raw);
	CHECK(ok == (f->type != FIELD_NONE));
	if (!ok)
		return;
	CHECK(g.type == f->type);
	if (f->type == FIELD_INT)
		CHECK(g.u.i == f->u.i);
	else
		CHECK(f->u.s != NULL && strcmp(g.u.s, f->u.s) == 0);
}

/*
 * Whether any value of l, parsed here apart, holds a card number; our own
 * tokens (64 lower-case hex) may hold a Luhn-valid digit run and do not
 * count.
 */
/* Whether a, sep and b written one after the other hold a card number. */
static int
joined(const char *a, const char *sep, const char *b)
{
	size_t	 na = strlen(a), ns = strlen(sep), nb = strlen(b);
	char	*s = malloc(na + ns + nb + 1);
	int	 found;

	CHECK(s != NULL);
	memcpy(s, a, na);
	memcpy(s + na, sep, ns);
	memcpy(s + na + ns, b, nb + 1);
	found = valid_has_card_number(s);
	free(s);
	return found;
}

static int
has_card(const char *s, size_t n, struct kvlist *l)
{
	const char	*v;
	size_t		 i;

	if (http_parse_urlencoded(s, n, l) != HTTP_PARSE_OK)
		return 0;
	for (i = 0; i < l->n; i++) {
		v = l->v[i].val;
		if (!(strlen(v) == 64 && strspn(v, "0123456789abcdef") == 64) &&
		    valid_has_card_number(v))
			return 1;
		/* Split over two neighbouring fields of typed text. */
		if (i + 1 < l->n && (req_field_flags(l->v[i].key) & FF_TEXT) &&
		    (req_field_flags(l->v[i + 1].key) & FF_TEXT) &&
		    (joined(v, "", l->v[i + 1].val) ||
		    joined(v, "\n", l->v[i + 1].val)))
			return 1;
	}
	return 0;
}

/* Every byte of the values of got is zero (lengths from want). */
static void
wiped(const struct kvlist *got, const struct kvlist *want)
{
	size_t	 i, j;

	CHECK(got->n == want->n);
	for (i = 0; i < got->n; i++)
		for (j = 0; j < strlen(want->v[i].val); j++)
			CHECK(got->v[i].val[j] == '\0');
}

static void
check_fields(const struct req *r)
{
	const struct field_def	*d;
	const struct field_list	*l;
	size_t			 i, k, sent;

	for (i = 0; i < F__MAX; i++) {
		d = &field_defs[i];
		l = req_list(r, i);
		CHECK(req_bad_raw(r, i) == r->bad[i].raw);
		CHECK((req_field(r, i) != NULL) ==
		    (r->field[i].type != FIELD_NONE));
		if (r->parse_status != 0) {
			CHECK(r->field[i].raw == NULL && r->bad[i].raw == NULL);
			CHECK(r->field[i].type == FIELD_NONE);
			CHECK(l->n == 0 && l->v == NULL && l->bad == 0);
			continue;
		}
		for (sent = 0; nth(r, d, sent) != NULL; sent++)
			continue;
		CHECK(r->bad[i].type == FIELD_NONE);
		if (d->max > 1) {
			CHECK(r->field[i].raw == NULL && r->bad[i].raw == NULL);
			CHECK(l->n == (sent < d->max ? sent : d->max));
			CHECK(l->bad == 0 || l->bad == 1);
			CHECK(l->over == (sent > d->max));
			for (k = 0; k < l->n; k++) {
				same_verdict(d, nth(r, d, k), &l->v[k]);
				if (l->v[k].type == FIELD_NONE)
					CHECK(l->bad);
			}
			if (sent <= d->max && l->bad) {
				for (k = 0; k < l->n; k++)
					if (l->v[k].type == FIELD_NONE)
						break;
				CHECK(k < l->n);
			}
			continue;
		}
		CHECK(l->n == 0 && l->v == NULL && l->bad == 0);
		CHECK(!(r->field[i].type != FIELD_NONE && r->bad[i].raw != NULL));
		CHECK((r->field[i].type != FIELD_NONE) ==
		    (r->field[i].raw != NULL));
		if (sent == 0) {
			CHECK(r->field[i].raw == NULL && r->bad[i].raw == NULL);
		} else if (sent == 1) {
			if (r->field[i].raw != NULL)
				same_verdict(d, nth(r, d, 0), &r->field[i]);
			else {
				CHECK(r->bad[i].raw == nth(r, d, 0));
				same_verdict(d, nth(r, d, 0), &r->bad[i]);
			}
		} else {
			/* Repeated: refused, the last value kept raw. */
			CHECK(r->field[i].raw == NULL);
			CHECK(r->bad[i].raw == nth(r, d, sent - 1));
		}
	}
	if (req_field(r, F_NEXT) != NULL) {
		const char	*s = req_field(r, F_NEXT)->u.s;

		CHECK(s[0] == '/' && s[1] != '/');
		CHECK(strstr(s, "..") == NULL);
		CHECK(strpbrk(s, ":\\%@?#") == NULL);
	}
	if (req_field(r, F_CSRF) != NULL)
		CHECK(strlen(req_field(r, F_CSRF)->u.s) == 64 &&
		    strspn(req_field(r, F_CSRF)->u.s, "0123456789abcdef") == 64);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 r;
	struct params	 p = { NULL, NULL };
	struct kvlist	 q = { NULL, 0 }, b = { NULL, 0 };
	const uint8_t	*nl1, *nl2 = NULL, *end = data + size;
	char		*query, *cookie = NULL, *body = NULL;
	size_t		 bodylen = 0;
	int		 cardq, cardb = 0;

	if ((nl1 = memchr(data, '\n', size)) == NULL)
		nl1 = end;
	else if ((nl2 = memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1))) ==
	    NULL)
		nl2 = end;
	query = fuzz_str(data, (size_t)(nl1 - data));
	p.query = query;
	if (nl2 != NULL) {
		cookie = fuzz_str(nl1 + 1, (size_t)(nl2 - nl1 - 1));
		p.cookie = cookie;
		if (nl2 < end) {
			/* Exactly bodylen bytes, no NUL after: overreads show. */
			bodylen = (size_t)(end - nl2 - 1);
			CHECK((body = malloc(bodylen == 0 ? 1 : bodylen)) !=
			    NULL);
			memcpy(body, nl2 + 1, bodylen);
		}
	}
	cardq = has_card(query, strlen(query), &q);
	if (body != NULL)
		cardb = has_card(body, bodylen, &b);

	req_init(&r, NULL, NULL, 1767225600);
	req_parse(&r, get, &p, body, bodylen);

	CHECK(r.parse_status == 0 || r.parse_status == HTTP_BAD_REQUEST ||
	    r.parse_status == HTTP_PAYLOAD_TOO_LARGE ||
	    r.parse_status == HTTP_UNPROCESSABLE);
	CHECK(r.method == M_POST);
	CHECK(r.path != NULL && strcmp(r.path, "/login") == 0);
	CHECK(r.https == 1);
	CHECK(r.sess == NULL);
	CHECK(strcmp(r.remote_addr, "192.0.2.1") == 0);
	if (bodylen > HTTP_MAX_BODY || strlen(query) > HTTP_MAX_QUERY)
		CHECK(r.parse_status == HTTP_PAYLOAD_TOO_LARGE);
	if (r.parse_status == 0)
		CHECK(!cardq && !cardb);
	if (r.parse_status == HTTP_UNPROCESSABLE) {
		CHECK((cardq || cardb) && r.error_msg != NULL);
		if (cardq)
			wiped(&r.query, &q);
		if (cardb)
			wiped(&r.form, &b);
	}
	check_fields(&r);
	if (cookie == NULL)
		CHECK(req_cookie(&r, "reckon_session") == NULL);

	req_free(&r);
	CHECK(r.path == NULL && r.query.n == 0 && r.form.n == 0 &&
	    r.cookies.n == 0);
	http_kv_free(&q);
	http_kv_free(&b);
	free(body);
	free(cookie);
	free(query);
	return 0;
}
