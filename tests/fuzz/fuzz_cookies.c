/* fuzz_cookies.c: http_parse_cookies on any Cookie header. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * fuzz-args: -max_len=6000
 *
 * Invariants: the result is 0 or 400; a failure leaves the list empty;
 * a header over HTTP_MAX_COOKIE bytes is refused; every pair keeps the
 * limits of http.h, a name holds no '=' or ';' and is not padded with
 * blanks, a value holds no ';'; the pairs, written again as
 * name="value"; ..., parse to the same pairs.
 */
#include <string.h>

#include "http.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist	 l = { NULL, 0 }, again = { NULL, 0 };
	char		*s, *buf, *p;
	const char	*k;
	size_t		 i, kl, cap;
	int		 rc;

	s = fuzz_str(data, size);
	rc = http_parse_cookies(s, &l);
	CHECK(rc == HTTP_PARSE_OK || rc == HTTP_BAD_REQUEST);
	if (strlen(s) > HTTP_MAX_COOKIE)
		CHECK(rc == HTTP_BAD_REQUEST);
	if (rc != HTTP_PARSE_OK) {
		CHECK(l.n == 0 && l.v == NULL);
		free(s);
		return 0;
	}
	CHECK(l.n <= HTTP_MAX_COOKIES);
	cap = 1;
	for (i = 0; i < l.n; i++) {
		k = l.v[i].key;
		kl = strlen(k);
		CHECK(kl >= 1 && kl <= HTTP_MAX_NAME);
		CHECK(strpbrk(k, "=;") == NULL);
		CHECK(k[0] != ' ' && k[0] != '\t');
		CHECK(k[kl - 1] != ' ' && k[kl - 1] != '\t');
		CHECK(strchr(l.v[i].val, ';') == NULL);
		cap += kl + strlen(l.v[i].val) + 5;
	}

	/* Written again, quoted so the value is kept as it is. */
	p = buf = malloc(cap);
	CHECK(buf != NULL);
	*p = '\0';
	for (i = 0; i < l.n; i++)
		p += sprintf(p, "%s%s=\"%s\"", i > 0 ? "; " : "",
		    l.v[i].key, l.v[i].val);
	if ((size_t)(p - buf) <= HTTP_MAX_COOKIE) {
		rc = http_parse_cookies(buf, &again);
		CHECK(rc == HTTP_PARSE_OK && again.n == l.n);
		for (i = 0; i < l.n; i++) {
			CHECK(strcmp(again.v[i].key, l.v[i].key) == 0);
			CHECK(strcmp(again.v[i].val, l.v[i].val) == 0);
		}
	}
	/* The first pair of a name is the one found by name. */
	for (i = 0; i < l.n; i++)
		CHECK(http_kv_count(&l, l.v[i].key) >= 1);
	if (l.n > 0)
		CHECK(http_kv_get(&l, l.v[0].key) == l.v[0].val);
	http_kv_free(&again);
	http_kv_free(&l);
	free(buf);
	free(s);
	return 0;
}
