/* fuzz_json.c: the sensors API's body reader, page_api_sensor_body, on any bytes. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * fuzz-args: -max_len=4096
 * fuzz-libs: -ljansson
 *
 * The input is the body exactly (no NUL after it), as the API's handler
 * passes it.  Invariants: the answer is one of enum sensor_body_rc; a
 * refusal leaves out all zero bytes; an acceptance holds an id of 1-64
 * of [A-Za-z0-9._-] and a type of 1-32 of [a-z0-9_-] (checked here by
 * a plain reading of the rules, not by the code under test), both
 * NUL-terminated inside their arrays, and equal to the members of the
 * input as jansson reads them, which must be an object of exactly "id"
 * and "type"; the answer is the same the second time; and an accepted
 * body re-encoded (compact, members swapped) is accepted with the same
 * values.
 */
#include <string.h>

#include <jansson.h>

#include "pages.h"
#include "fuzz.h"

/* 1 to max characters, each a letter, digit or in extra (upper: A-Z too). */
static int
ref_word(const char *s, size_t max, int upper, const char *extra)
{
	size_t	 n = strlen(s), i;

	if (n < 1 || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			continue;
		if (s[i] >= '0' && s[i] <= '9')
			continue;
		if (upper && s[i] >= 'A' && s[i] <= 'Z')
			continue;
		if (strchr(extra, s[i]) == NULL)
			return 0;
	}
	return 1;
}

static int
all_zero(const void *p, size_t n)
{
	const unsigned char	*c = p;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (c[i] != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sensor_body	 b, again;
	json_t			*root, *id, *type;
	json_error_t		 err;
	char			 body[256];
	int			 rc, rc2, n;

	rc = page_api_sensor_body((const char *)data, size, &b);
	CHECK(rc >= SB_OK && rc <= SB_BAD_TYPE);
	rc2 = page_api_sensor_body((const char *)data, size, &again);
	CHECK(rc2 == rc);
	CHECK(memcmp(&b, &again, sizeof(b)) == 0);
	if (rc != SB_OK) {
		CHECK(all_zero(&b, sizeof(b)));
		return 0;
	}

	CHECK(memchr(b.id, '\0', sizeof(b.id)) != NULL);
	CHECK(memchr(b.type, '\0', sizeof(b.type)) != NULL);
	CHECK(ref_word(b.id, 64, 1, "._-"));
	CHECK(ref_word(b.type, 32, 0, "_-"));
	CHECK(page_api_sensor_id_valid(b.id));
	CHECK(page_api_sensor_type_valid(b.type));

	/* What was accepted is what the input says. */
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &err);
	CHECK(root != NULL && json_is_object(root));
	CHECK(json_object_size(root) == 2);
	CHECK((id = json_object_get(root, "id")) != NULL && json_is_string(id));
	CHECK((type = json_object_get(root, "type")) != NULL &&
	    json_is_string(type));
	CHECK(strcmp(json_string_value(id), b.id) == 0);
	CHECK(strcmp(json_string_value(type), b.type) == 0);
	json_decref(root);

	/* Written back another way, it reads the same. */
	n = snprintf(body, sizeof(body), "{\"type\":\"%s\",\"id\":\"%s\"}",
	    b.type, b.id);
	CHECK(n > 0 && (size_t)n < sizeof(body));
	CHECK(page_api_sensor_body(body, (size_t)n, &again) == SB_OK);
	CHECK(strcmp(again.id, b.id) == 0 && strcmp(again.type, b.type) == 0);
	return 0;
}
