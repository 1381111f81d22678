/* fuzz_urlencoded.c: http_parse_urlencoded on any bytes (query strings, bodies). */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * fuzz-args: -max_len=20000
 *
 * Invariants: the result is 0, 400 or 413; a failure leaves the list
 * empty; every pair keeps the limits of http.h and holds no NUL; the
 * pairs, percent-encoded again and parsed, give the same pairs; parsing
 * twice into one list appends (or fails with 413 past HTTP_MAX_FIELDS).
 */
#include <string.h>

#include "http.h"
#include "fuzz.h"

/* Append s, every byte but [A-Za-z0-9-._~] as %XX, to the buffer at *p. */
static char *
enc(char *p, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '%';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 0xf];
	}
	return p;
}

static void
check_pairs(const struct kvlist *l)
{
	size_t	 i, kl;

	CHECK(l->n <= HTTP_MAX_FIELDS);
	CHECK((l->n == 0) == (l->v == NULL));
	for (i = 0; i < l->n; i++) {
		CHECK(l->v[i].key != NULL && l->v[i].val != NULL);
		kl = strlen(l->v[i].key);
		CHECK(kl >= 1 && kl <= HTTP_MAX_NAME);
		CHECK(strlen(l->v[i].val) <= HTTP_MAX_VALUE);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist	 l = { NULL, 0 }, again = { NULL, 0 };
	const char	*s = (const char *)data;
	char		*buf, *p;
	size_t		 i, n, cap;
	int		 rc;

	/* The bytes as they come: no NUL after them, so overreads show. */
	rc = http_parse_urlencoded(s, size, &l);
	CHECK(rc == HTTP_PARSE_OK || rc == HTTP_BAD_REQUEST ||
	    rc == HTTP_PAYLOAD_TOO_LARGE);
	if (rc != HTTP_PARSE_OK) {
		CHECK(l.n == 0 && l.v == NULL);
		return 0;
	}
	check_pairs(&l);

	/* Encode the pairs again: the same pairs come back. */
	cap = 1;
	for (i = 0; i < l.n; i++)
		cap += 3 * (strlen(l.v[i].key) + strlen(l.v[i].val)) + 2;
	p = buf = malloc(cap);
	CHECK(buf != NULL);
	for (i = 0; i < l.n; i++) {
		if (i > 0)
			*p++ = '&';
		p = enc(p, l.v[i].key);
		*p++ = '=';
		p = enc(p, l.v[i].val);
	}
	*p = '\0';
	rc = http_parse_urlencoded(buf, (size_t)(p - buf), &again);
	CHECK(rc == HTTP_PARSE_OK);
	CHECK(again.n == l.n);
	for (i = 0; i < l.n; i++) {
		CHECK(strcmp(again.v[i].key, l.v[i].key) == 0);
		CHECK(strcmp(again.v[i].val, l.v[i].val) == 0);
	}
	free(buf);
	http_kv_free(&again);
	CHECK(again.n == 0 && again.v == NULL);

	/* Parsing again into the same list appends, within the limit. */
	n = l.n;
	rc = http_parse_urlencoded(s, size, &l);
	if (2 * n <= HTTP_MAX_FIELDS) {
		CHECK(rc == HTTP_PARSE_OK && l.n == 2 * n);
		for (i = 0; i < n; i++) {
			CHECK(strcmp(l.v[i].key, l.v[n + i].key) == 0);
			CHECK(strcmp(l.v[i].val, l.v[n + i].val) == 0);
		}
		check_pairs(&l);
	} else
		CHECK(rc == HTTP_PAYLOAD_TOO_LARGE && l.n == 0 && l.v == NULL);
	http_kv_free(&l);
	return 0;
}
