/* fuzz_valid.c: every validator of valid.c on any string. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * fuzz-args: -max_len=2048
 *
 * Each validator gets the input as a C string (valid_utf8 also gets the
 * raw bytes, NULs included).  Invariants: a refused field stays untyped;
 * an accepted one has the typed form of its kind and keeps its promise
 * (an email has one '@' and a dotted domain, a token is 64 lower-case
 * hex, next is a local path, a row id prints back to the same digits,
 * text is UTF-8 without controls); validators never change raw;
 * valid_utf8 agrees with a table-driven reference (RFC 3629); and the
 * kinds nest (a token is a text line, a text line is a password, ...).
 * A VAT number valid_vat accepts is vatid_normalize's form, which is
 * upper-case letters and digits of a known country, normalizes to
 * itself, and has check digits that are right or wrong but never a
 * shape vatid_check does not know.
 */
#include <inttypes.h>
#include <string.h>

#include "valid.h"
#include "vatid.h"
#include "fuzz.h"

/* Reference UTF-8 check, by the table of RFC 3629 section 4. */
static int
ref_utf8(const unsigned char *s, size_t n)
{
	size_t		 i = 0, len, j;
	unsigned char	 lo, hi, c;

	while (i < n) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c <= 0x7f)
			len = 1;
		else if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c == 0xe0) {
			len = 3;
			lo = 0xa0;
		} else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef)
			len = 3;
		else if (c == 0xed) {
			len = 3;
			hi = 0x9f;
		} else if (c == 0xf0) {
			len = 4;
			lo = 0x90;
		} else if (c >= 0xf1 && c <= 0xf3)
			len = 4;
		else if (c == 0xf4) {
			len = 4;
			hi = 0x8f;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (j = 1; j < len; j++) {
			if (s[i + j] < (j == 1 ? lo : 0x80) ||
			    s[i + j] > (j == 1 ? hi : 0xbf))
				return 0;
		}
		i += len;
	}
	return 1;
}

/* No C0, DEL or C1 control in s. */
static int
no_controls(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 0;
	return 1;
}

/* Run v on s; check what every validator promises; return its answer. */
static int
run(int (*v)(struct field *), const char *s, struct field *f)
{
	int	 ok;

	memset(f, 0, sizeof(*f));
	f->raw = s;
	ok = v(f);
	CHECK(ok == 0 || ok == 1);
	CHECK(f->raw == s);
	if (!ok)
		CHECK(f->type == FIELD_NONE);
	else
		CHECK(f->type == FIELD_INT || (f->type == FIELD_STR &&
		    f->u.s != NULL && strcmp(f->u.s, s) == 0));
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field	 f;
	char		*s, num[32], vat[32], again[32];
	const char	*at, *dot;
	size_t		 n;
	int		 email, pass, token, next, rowid, line, vatok;

	/* The raw bytes, exactly: no NUL after them. */
	CHECK(valid_utf8((const char *)data, size) == ref_utf8(data, size));

	s = fuzz_str(data, size);
	n = strlen(s);

	if ((email = run(valid_email, s, &f))) {
		CHECK(f.type == FIELD_STR);
		CHECK(n >= 6 && n <= 254);
		CHECK((at = strchr(s, '@')) != NULL && strrchr(s, '@') == at);
		CHECK(at > s && at - s <= 64);
		CHECK((dot = strrchr(at, '.')) != NULL && dot > at + 1);
		CHECK(strlen(dot + 1) >= 2);
		CHECK(strpbrk(s, " \t\r\n\"(),:;<>[\\]") == NULL);
		CHECK(s[0] != '.' && at[-1] != '.' && strstr(s, "..") == NULL);
		CHECK(at[1] != '-' && s[n - 1] != '-');
	}

	if ((pass = run(valid_password, s, &f))) {
		CHECK(f.type == FIELD_STR);
		CHECK(n >= 1 && n <= 1024 && ref_utf8((unsigned char *)s, n));
	}

	if ((token = run(valid_token, s, &f))) {
		CHECK(f.type == FIELD_STR);
		CHECK(n == 64 && strspn(s, "0123456789abcdef") == 64);
	}

	if ((next = run(valid_next, s, &f))) {
		CHECK(f.type == FIELD_STR);
		CHECK(s[0] == '/' && s[1] != '/' && n <= 200);
		CHECK(strstr(s, "..") == NULL);
		CHECK(strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.") == n);
	}

	/* A row id is exactly the canonical decimal of a 1..15 digit id. */
	rowid = run(valid_rowid, s, &f);
	CHECK(rowid == (n >= 1 && n <= 15 && s[0] >= '1' && s[0] <= '9' &&
	    strspn(s, "0123456789") == n));
	if (rowid) {
		CHECK(f.type == FIELD_INT);
		CHECK(f.u.i >= 1 && f.u.i <= INT64_C(999999999999999));
		snprintf(num, sizeof(num), "%" PRId64, f.u.i);
		CHECK(strcmp(num, s) == 0);
	}

	line = run(valid_text_line, s, &f);
	CHECK(line == (n >= 1 && n <= 200 && ref_utf8((unsigned char *)s, n) &&
	    no_controls(s)));
	if (line)
		CHECK(f.type == FIELD_STR);

	/* Not through run: an accepted VAT number is typed normalized. */
	memset(&f, 0, sizeof(f));
	f.raw = s;
	vatok = valid_vat(&f);
	CHECK((vatok == 0 || vatok == 1) && f.raw == s);
	if (!vatok)
		CHECK(f.type == FIELD_NONE);
	CHECK(vatok == (n == 0 ||
	    vatid_normalize(s, vat, sizeof(vat)) == VATID_OK));
	if (vatok && n > 0) {
		CHECK(f.type == FIELD_STR && strcmp(f.u.s, vat) == 0);
		CHECK(strspn(vat, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
		    strlen(vat));
		CHECK(vatid_country(vat) != NULL);
		CHECK(vatid_normalize(vat, again, sizeof(again)) == VATID_OK);
		CHECK(strcmp(vat, again) == 0);
		CHECK(vatid_check(vat) != VATID_SHAPE);
	}

	/* The kinds nest. */
	if (token || rowid || next || line)
		CHECK(pass);
	if (token || rowid || next)
		CHECK(line);
	if (email && n <= 200)
		CHECK(line);

	free(s);
	return 0;
}
