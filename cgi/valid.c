/* valid.c: validators of form and query input; narrow syntax, no trimming. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "valid.h"

#define EMAIL_MAX	254
#define PASSWORD_MAX	1024
#define TEXT_LINE_MAX	200
#define NEXT_MAX	200
#define TOKEN_LEN	64

static int
accept_str(struct field *f)
{
	f->type = FIELD_STR;
	f->u.s = f->raw;
	return 1;
}

/*
 * Whether n bytes of s are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF).  Returns 1 or 0.
 */
int
valid_utf8(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + n;
	uint32_t		 c;
	int			 len, i;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			len = 2;
			c = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			len = 3;
			c = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			len = 4;
			c = *p & 0x07;
		} else
			return 0;
		if (end - p < len)
			return 0;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i] & 0x3f);
		}
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
		    (len == 4 && c < 0x10000) || c > 0x10ffff ||
		    (c >= 0xd800 && c <= 0xdfff))
			return 0;
		p += len;
	}
	return 1;
}

/* UTF-8 without control characters (C0, DEL, C1), at most max bytes. */
static int
text_ok(const char *s, size_t max)
{
	const unsigned char	*p;
	size_t			 n = strlen(s);

	if (n > max || !valid_utf8(s, n))
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 0;
	}
	return 1;
}

/*
 * An email address as a person types it into a form: local@domain, at
 * most 254 bytes, an ASCII local part of atext and dots (no leading,
 * trailing or double dot), a domain of two or more labels of letters,
 * digits and inner hyphens, the last one alphabetic.  No spaces.
 */
int
valid_email(struct field *f)
{
	const char	*s = f->raw, *at, *p, *label;
	size_t		 n = strlen(s);

	if (n == 0 || n > EMAIL_MAX || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL || at == s || at - s > 64)
		return 0;
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (p == s || p + 1 == at || p[1] == '.')
				return 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) &&
		    strchr("!#$%&'*+/=?^_`{|}~-", *p) == NULL)
			return 0;
	}
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || label[0] == '-' ||
			    p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
	if (label == at + 1)
		return 0;	/* one label only */
	for (p = label; *p != '\0'; p++)
		if (!isalpha((unsigned char)*p))
			return 0;
	if (p - label < 2)
		return 0;
	return accept_str(f);
}

/* A password: 1 to 1024 bytes of UTF-8 without NUL (checked by http.c). */
int
valid_password(struct field *f)
{
	size_t	 n = strlen(f->raw);

	if (n == 0 || n > PASSWORD_MAX || !valid_utf8(f->raw, n))
		return 0;
	return accept_str(f);
}

/* A token of ours (CSRF, session, form): exactly 64 lower-case hex. */
int
valid_token(struct field *f)
{
	const char	*p;

	if (strlen(f->raw) != TOKEN_LEN)
		return 0;
	for (p = f->raw; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && (*p < 'a' || *p > 'f'))
			return 0;
	return accept_str(f);
}

/*
 * A place to go after signing in: a local absolute path ("/billing"),
 * never "//host" or a scheme, of letters, digits and "/-_.", at most 200
 * bytes.  This is what keeps the login form from being an open redirect.
 */
int
valid_next(struct field *f)
{
	const char	*p = f->raw;

	if (p[0] != '/' || p[1] == '/' || strlen(p) > NEXT_MAX)
		return 0;
	for (; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/-_.", *p) == NULL)
			return 0;
	if (strstr(f->raw, "..") != NULL)
		return 0;
	return accept_str(f);
}

/* A row id: 1 to 15 decimal digits, no sign, no leading zero. */
int
valid_rowid(struct field *f)
{
	const char	*p = f->raw;
	int64_t		 v = 0;

	if (*p == '0' || *p == '\0' || strlen(p) > 15)
		return 0;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		v = v * 10 + (*p - '0');
	}
	f->type = FIELD_INT;
	f->u.i = v;
	return 1;
}

/* One line of text: 1 to 200 bytes of UTF-8, no control characters. */
int
valid_text_line(struct field *f)
{
	if (f->raw[0] == '\0' || !text_ok(f->raw, TEXT_LINE_MAX))
		return 0;
	return accept_str(f);
}
