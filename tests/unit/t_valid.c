/* t_valid.c: unit tests of valid.c: kcgi-style good and bad strings for every validator. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valid.h"
#include "tap.h"

/* Sixty-four lower-case hex digits: a well-formed token. */
#define HEX64	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

typedef int	(*validator)(struct field *);

/* One string from the kcgi-style lists, and the verdict wanted. */
struct scase {
	const char	*in;
	int		 want;	/* 1 valid, 0 refused */
};

/* Part of a generated (long) input: s repeated rep times. */
struct part {
	const char	*s;
	int		 rep;
};

/* A generated input: the concatenation of up to 8 parts. */
struct gcase {
	struct part	 p[8];
	int		 want;
};

static const char	*show(const char *, size_t);
static char		*build(const struct part *);
static int		 check(validator, const char *, const char *, int);
static void		 run_list(validator, const char *, const struct scase *,
			    size_t);
static void		 run_gen(validator, const char *, const struct gcase *,
			    size_t);

/*
 * A printable rendering of n bytes of s for a test description, bytes
 * outside 0x21..0x7e as \xNN, long strings cut with their length.
 * Returns one of two static buffers (two calls per line at most).
 */
static const char *
show(const char *s, size_t n)
{
	static char	 bufs[2][160];
	static int	 which;
	char		*b = bufs[which ^= 1], *o = b;
	size_t		 i;
	unsigned char	 c;

	*o++ = '"';
	for (i = 0; i < n && o - b < 100; i++) {
		c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7f && c != '"' && c != '\\')
			*o++ = (char)c;
		else
			o += snprintf(o, 6, "\\x%02X", c);
	}
	*o++ = '"';
	*o = '\0';
	if (i < n)
		snprintf(o, (size_t)(b + sizeof(bufs[0]) - o),
		    "... (%zu bytes)", n);
	return b;
}

/* The concatenation of the parts of p (ended by a NULL s); caller frees. */
static char *
build(const struct part *p)
{
	size_t	 len = 0, k;
	int	 i, r;
	char	*s, *o;

	for (i = 0; i < 8 && p[i].s != NULL; i++)
		len += strlen(p[i].s) * (size_t)p[i].rep;
	if ((s = o = malloc(len + 1)) == NULL)
		abort();
	for (i = 0; i < 8 && p[i].s != NULL; i++)
		for (r = 0; r < p[i].rep; r++) {
			k = strlen(p[i].s);
			memcpy(o, p[i].s, k);
			o += k;
		}
	*o = '\0';
	return s;
}

/*
 * One TAP line: fn over in must return want; an accepted string must be
 * typed (a string borrowing raw, or an integer) and a refused one must
 * stay FIELD_NONE.
 */
static int
check(validator fn, const char *name, const char *in, int want)
{
	struct field	 f;
	int		 got, pass;

	memset(&f, 0, sizeof(f));
	f.raw = in;
	got = fn(&f);
	if (got && f.type == FIELD_STR)
		pass = f.u.s == in;
	else if (got)
		pass = f.type == FIELD_INT;
	else
		pass = f.type == FIELD_NONE;
	pass = pass && got == want;
	if (!ok(pass, "%s %s %s", name, want ? "accepts" : "refuses",
	    show(in, strlen(in))))
		diag("  returned %d, type %d", got, (int)f.type);
	return pass;
}

static void
run_list(validator fn, const char *name, const struct scase *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		check(fn, name, c[i].in, c[i].want);
}

static void
run_gen(validator fn, const char *name, const struct gcase *c, size_t n)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < n; i++) {
		s = build(c[i].p);
		check(fn, name, s, c[i].want);
		free(s);
	}
}

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct scase email_cases[] = {
	{ "user@example.com", 1 },		/* the plain case */
	{ "first.last@example.com", 1 },	/* a dot in the local part */
	{ "user+billing@example.com", 1 },	/* plus-addressing */
	{ "user+tag+more@example.org", 1 },	/* two pluses */
	{ "a@b.co", 1 },			/* shortest: 1 + 1 + 2 */
	{ "user@mail.example.co.uk", 1 },	/* subdomains */
	{ "u@a.b.c.d.e.example.com", 1 },	/* many labels */
	{ "user123@example123.com", 1 },	/* digits in local and label */
	{ "123@456.example.com", 1 },		/* all-digit local and label */
	{ "USER@EXAMPLE.COM", 1 },		/* upper case */
	{ "o'brien@example.ie", 1 },		/* apostrophe (atext) */
	{ "user_name@example.com", 1 },		/* underscore in local */
	{ "user-name@my-domain.example", 1 },	/* inner hyphens */
	{ "x@1example.com", 1 },		/* label starting with a digit */
	{ "x@a--b.example", 1 },		/* double inner hyphen */
	{ "x@xn--bcher-kva.example", 1 },	/* punycode label (not TLD) */
	{ "!#$%&'*/=?^_`{|}~-@example.com", 1 },	/* every atext symbol */
	{ "", 0 },				/* empty */
	{ "userexample.com", 0 },		/* no @ */
	{ "user@@example.com", 0 },		/* two @ together */
	{ "a@b@example.com", 0 },		/* two @ apart */
	{ "@example.com", 0 },			/* empty local part */
	{ "user@", 0 },				/* empty domain */
	{ "user", 0 },				/* a bare word */
	{ ".user@example.com", 0 },		/* leading dot in local */
	{ "user.@example.com", 0 },		/* trailing dot in local */
	{ "us..er@example.com", 0 },		/* double dot in local */
	{ "user@.example.com", 0 },		/* empty first label */
	{ "user@example..com", 0 },		/* empty middle label */
	{ "user@example.com.", 0 },		/* trailing dot: empty label */
	{ "user@localhost", 0 },		/* one-label domain */
	{ "user@example.123", 0 },		/* numeric TLD */
	{ "user@1.2.3.4", 0 },			/* dotted quad */
	{ "user@example.c", 0 },		/* one-letter TLD */
	{ "user@example.c0m", 0 },		/* digit in the TLD */
	{ "user@example.co-m", 0 },		/* hyphen in the TLD */
	{ "us er@example.com", 0 },		/* space in local */
	{ " user@example.com", 0 },		/* leading space (no trim) */
	{ "user@example.com ", 0 },		/* trailing space (no trim) */
	{ "user@exa mple.com", 0 },		/* space in domain */
	{ "user\t@example.com", 0 },		/* tab */
	{ "user\n@example.com", 0 },		/* newline */
	{ "user@example.com\r\nBcc: x@y.zz", 0 },	/* header injection */
	{ "us\001er@example.com", 0 },		/* C0 control in local */
	{ "user@exam\001ple.com", 0 },		/* C0 control in domain */
	{ "user@example.com\177", 0 },		/* DEL */
	{ "user@-example.com", 0 },		/* hyphen at label start */
	{ "user@example-.com", 0 },		/* hyphen at label end */
	{ "user@example.-com", 0 },		/* hyphen at TLD start */
	{ "user@example.com-", 0 },		/* hyphen at TLD end */
	{ "user@exa_mple.com", 0 },		/* underscore in domain */
	{ "\"user\"@example.com", 0 },		/* quoted local part */
	{ "user(c)@example.com", 0 },		/* comment syntax */
	{ "user@[192.0.2.1]", 0 },		/* address literal */
	{ "jos\303\251@example.com", 0 },	/* non-ASCII local (é) */
	{ "user@b\303\274cher.example", 0 },	/* non-ASCII domain (ü) */
	{ "user@example.com;x", 0 },		/* separator */
	{ "a,b@example.com", 0 },		/* comma (a list) */
	{ "<user@example.com>", 0 },		/* angle brackets */
};

/* Long email addresses, built from parts. */
static const struct gcase email_gen[] = {
	{ { { "a", 64 }, { "@example.com", 1 } }, 1 },	/* 64-byte local */
	{ { { "a", 65 }, { "@example.com", 1 } }, 0 },	/* 65-byte local */
	{ { { "u@", 1 }, { "a", 63 }, { ".com", 1 } }, 1 },	/* 63 label */
	{ { { "u@", 1 }, { "a", 64 }, { ".com", 1 } }, 0 },	/* 64 label */
	{ { { "u@example.", 1 }, { "a", 63 } }, 1 },	/* 63-letter TLD */
	{ { { "u@example.", 1 }, { "a", 64 } }, 0 },	/* 64-letter TLD */
	{ { { "a", 64 }, { "@", 1 }, { "b", 63 }, { ".", 1 }, { "c", 63 },
	    { ".", 1 }, { "d", 57 }, { ".com", 1 } }, 1 },	/* 254 bytes */
	{ { { "a", 64 }, { "@", 1 }, { "b", 63 }, { ".", 1 }, { "c", 63 },
	    { ".", 1 }, { "d", 58 }, { ".com", 1 } }, 0 },	/* 255 bytes */
	{ { { "u@", 1 }, { "a.", 126 }, { "com", 1 } }, 0 },	/* 257 bytes */
};

static const struct scase token_cases[] = {
	{ HEX64, 1 },				/* every hex digit */
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	    1 },				/* all zeros */
	{ "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    1 },				/* all f */
	{ "", 0 },				/* empty */
	{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	    0 },				/* 63 digits */
	{ HEX64 "0", 0 },			/* 65 digits */
	{ HEX64 HEX64, 0 },			/* 128 digits */
	{ "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
	    0 },				/* upper-case hex */
	{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF",
	    0 },				/* one upper-case digit */
	{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
	    0 },				/* g: not hex */
	{ "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
	    0 },				/* 64 non-hex letters */
	{ "0x23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    0 },				/* 0x prefix */
	{ " 123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    0 },				/* leading space */
	{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n",
	    0 },				/* trailing newline */
	{ "0123456789abcdef0123456789abcdef-123456789abcdef0123456789abcdef",
	    0 },				/* a dash */
	{ "\303\251123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
	    0 },				/* 64 bytes, non-ASCII */
};

static const struct scase next_cases[] = {
	{ "/", 1 },				/* the root */
	{ "/billing", 1 },			/* a page */
	{ "/billing/receipts", 1 },		/* a sub-page */
	{ "/billing/invoices/42", 1 },		/* with a row id */
	{ "/a-b_c.d", 1 },			/* every allowed symbol */
	{ "/billing/", 1 },			/* trailing slash */
	{ "", 0 },				/* empty */
	{ "billing", 0 },			/* relative */
	{ "//evil.test", 0 },			/* protocol-relative */
	{ "///evil.test", 0 },			/* three slashes */
	{ "/\\evil.test", 0 },			/* backslash (browsers: //) */
	{ "\\\\evil.test", 0 },			/* two backslashes */
	{ "http://x", 0 },			/* a scheme */
	{ "https://evil.test/billing", 0 },	/* https scheme */
	{ "javascript:alert(1)", 0 },		/* script scheme */
	{ "/a/../b", 0 },			/* dot-dot segment */
	{ "/..", 0 },				/* dot-dot at the end */
	{ "/a?b", 0 },				/* query string */
	{ "/a#b", 0 },				/* fragment */
	{ "/a b", 0 },				/* space */
	{ "/a%2fb", 0 },			/* percent escape */
	{ "/a\r\nLocation: x", 0 },		/* header injection */
	{ "/a\tb", 0 },				/* tab */
	{ "/a;b", 0 },				/* semicolon */
	{ "/a:b", 0 },				/* colon */
	{ "/a@b", 0 },				/* at sign */
	{ "/caf\303\251", 0 },			/* non-ASCII */
	{ " /billing", 0 },			/* leading space */
};

/* Long next values. */
static const struct gcase next_gen[] = {
	{ { { "/", 1 }, { "a", 199 } }, 1 },	/* 200 bytes: the limit */
	{ { { "/", 1 }, { "a", 200 } }, 0 },	/* 201 bytes */
	{ { { "/ab", 66 } }, 1 },		/* 198 bytes, 66 segments */
};

static const struct scase rowid_cases[] = {
	{ "1", 1 },				/* smallest */
	{ "9", 1 },				/* one digit */
	{ "42", 1 },				/* typical */
	{ "100", 1 },				/* inner zeros */
	{ "999999999999999", 1 },		/* 15 digits: largest */
	{ "100000000000000", 1 },		/* 15 digits, zeros */
	{ "0", 0 },				/* zero */
	{ "00", 0 },				/* zeros */
	{ "01", 0 },				/* leading zero */
	{ "-1", 0 },				/* sign */
	{ "+1", 0 },				/* plus sign */
	{ "1e3", 0 },				/* exponent */
	{ "1.0", 0 },				/* decimal point */
	{ "1,000", 0 },				/* thousands separator */
	{ "0x1", 0 },				/* hex */
	{ " 1", 0 },				/* leading space */
	{ "1 ", 0 },				/* trailing space */
	{ "1\n", 0 },				/* trailing newline */
	{ "", 0 },				/* empty */
	{ "a", 0 },				/* a letter */
	{ "1000000000000000", 0 },		/* 16 digits */
	{ "9999999999999999999", 0 },		/* 19 digits (int64 range) */
	{ "99999999999999999999", 0 },		/* 20 digits (overflow) */
	{ "\331\241", 0 },			/* Arabic-Indic digit one */
	{ "\357\274\221", 0 },			/* fullwidth digit one */
};

/* The typed values of accepted row ids. */
static const struct {
	const char	*in;
	int64_t		 want;
} rowid_values[] = {
	{ "1", 1 },				/* smallest */
	{ "42", 42 },				/* typical */
	{ "100", 100 },				/* inner zeros */
	{ "999999999999999", INT64_C(999999999999999) },	/* largest */
	{ "123456789012345", INT64_C(123456789012345) },	/* every digit */
};

static const struct scase text_cases[] = {
	{ "Ada Lovelace", 1 },			/* ASCII */
	{ "a", 1 },				/* one byte */
	{ "Zo\303\253 \303\221\303\272\303\261ez", 1 },	/* Latin-1 range */
	{ "\320\220\320\275\320\275\320\260 "
	  "\320\232\320\260\321\200\320\265\320\275\320\270\320\275\320\260",
	  1 },					/* Cyrillic: Анна Каренина */
	{ "\316\221\316\273\316\255\316\276\316\261\316\275\316\264\317\201"
	  "\316\277\317\202", 1 },		/* Greek: Αλέξανδρος */
	{ "\346\235\216\345\260\217\351\276\215", 1 },	/* CJK (3 bytes) */
	{ "\360\237\230\200 smile", 1 },	/* emoji (4 bytes) */
	{ "O'Brien & Sons <Ltd> \"quoted\"", 1 },	/* HTML metacharacters */
	{ " leading and trailing ", 1 },	/* spaces kept, not trimmed */
	{ "\302\240", 1 },			/* U+00A0, just past C1 */
	{ "\355\237\277", 1 },			/* U+D7FF, below surrogates */
	{ "\356\200\200", 1 },			/* U+E000, above surrogates */
	{ "\364\217\277\277", 1 },		/* U+10FFFF, the last */
	{ "\337\277", 1 },			/* U+07FF, longest 2-byte */
	{ "\340\240\200", 1 },			/* U+0800, shortest 3-byte */
	{ "\360\220\200\200", 1 },		/* U+10000, shortest 4-byte */
	{ "", 0 },				/* empty */
	{ "a\tb", 0 },				/* tab */
	{ "a\nb", 0 },				/* newline */
	{ "a\rb", 0 },				/* carriage return */
	{ "\001", 0 },				/* SOH */
	{ "\037", 0 },				/* US, the last C0 */
	{ "\033[31mred", 0 },			/* ANSI escape */
	{ "a\177", 0 },				/* DEL */
	{ "\302\205", 0 },			/* U+0085 NEL (C1) */
	{ "\302\200", 0 },			/* U+0080, the first C1 */
	{ "\302\237", 0 },			/* U+009F, the last C1 */
	{ "x\302\233y", 0 },			/* U+009B CSI inside text */
	{ "\300\257", 0 },			/* overlong '/' (C0 AF) */
	{ "\301\277", 0 },			/* overlong U+007F (C1 BF) */
	{ "\340\200\257", 0 },			/* overlong '/' in 3 bytes */
	{ "\340\237\277", 0 },			/* overlong U+07FF */
	{ "\360\200\200\257", 0 },		/* overlong '/' in 4 bytes */
	{ "\360\217\277\277", 0 },		/* overlong U+FFFF */
	{ "\355\240\200", 0 },			/* surrogate U+D800 */
	{ "\355\277\277", 0 },			/* surrogate U+DFFF */
	{ "\355\240\275\355\270\200", 0 },	/* CESU-8 surrogate pair */
	{ "\364\220\200\200", 0 },		/* U+110000 (F4 90 80 80) */
	{ "\365\200\200\200", 0 },		/* F5 lead byte */
	{ "\370\210\200\200\200", 0 },		/* 5-byte form */
	{ "\374\204\200\200\200\200", 0 },	/* 6-byte form */
	{ "\376", 0 },				/* FE */
	{ "\377", 0 },				/* FF */
	{ "\200", 0 },				/* lone continuation byte */
	{ "abc\277", 0 },			/* stray continuation at end */
	{ "\303", 0 },				/* truncated 2-byte */
	{ "ab\342\202", 0 },			/* truncated 3-byte at end */
	{ "\360\237\230", 0 },			/* truncated 4-byte */
	{ "\303(", 0 },				/* bad continuation */
	{ "\342(\241", 0 },			/* bad 2nd byte of 3 */
	{ "\342\202(", 0 },			/* bad 3rd byte of 3 */
	{ "\303\251\303", 0 },			/* good then truncated */
};

/* Long text lines. */
static const struct gcase text_gen[] = {
	{ { { "a", 200 } }, 1 },			/* 200 bytes: the limit */
	{ { { "a", 201 } }, 0 },			/* 201 bytes */
	{ { { "\303\251", 100 } }, 1 },			/* 100 é, 200 bytes */
	{ { { "\303\251", 100 }, { "a", 1 } }, 0 },	/* 201 bytes */
	{ { { "\320\226", 101 } }, 0 },			/* 101 Ж, 202 bytes */
	{ { { "a", 199 }, { "\303\251", 1 } }, 0 },	/* 201, é at the end */
	{ { { "a", 199 }, { "\n", 1 } }, 0 },		/* 200 with a newline */
};

static const struct scase password_cases[] = {
	{ "x", 1 },				/* one byte */
	{ "correct horse battery staple", 1 },	/* spaces */
	{ " padded ", 1 },			/* not trimmed */
	{ "p\303\244ssw\303\266rd", 1 },	/* UTF-8 */
	{ "\360\237\224\221\360\237\224\222", 1 },	/* emoji */
	{ "'; DROP TABLE users; --", 1 },	/* anything printable */
	{ "", 0 },				/* empty */
	{ "\377", 0 },				/* invalid byte */
	{ "abc\303", 0 },			/* truncated sequence */
	{ "\300\257", 0 },			/* overlong */
	{ "\355\240\200", 0 },			/* surrogate */
	{ "\364\220\200\200", 0 },		/* above U+10FFFF */
	{ "p\351ss", 0 },			/* Latin-1, not UTF-8 */
};

/* Long passwords. */
static const struct gcase password_gen[] = {
	{ { { "x", 1024 } }, 1 },			/* 1024 bytes: limit */
	{ { { "x", 1025 } }, 0 },			/* 1025 bytes */
	{ { { "\303\251", 512 } }, 1 },			/* 1024 bytes of é */
	{ { { "\303\251", 512 }, { "x", 1 } }, 0 },	/* 1025 bytes */
	{ { { "x", 1023 }, { "\303", 1 } }, 0 },	/* 1024, truncated */
	{ { { "x", 100000 } }, 0 },			/* 100 KB */
};

/* valid_utf8 over an explicit length (NUL is a character there). */
static const struct {
	const char	*in;
	size_t		 n;
	int		 want;
} utf8_cases[] = {
	{ "", 0, 1 },				/* nothing */
	{ "abc", 3, 1 },			/* ASCII */
	{ "a\0b", 3, 1 },			/* NUL is U+0000 */
	{ "\303\251", 2, 1 },			/* é */
	{ "\303\251", 1, 0 },			/* é cut by the length */
	{ "\342\202\254", 2, 0 },		/* € cut by the length */
	{ "\360\237\230\200", 3, 0 },		/* emoji cut by the length */
	{ "a\303\251", 1, 1 },			/* the cut is on a boundary */
	{ "\300\200", 2, 0 },			/* overlong NUL (C0 80) */
	{ "\355\240\200", 3, 0 },		/* surrogate */
	{ "\364\220\200\200", 4, 0 },		/* above U+10FFFF */
	{ "\377", 1, 0 },			/* FF */
};

int
main(void)
{
	size_t		 i;
	struct field	 f;

	run_list(valid_email, "email", email_cases, NELEM(email_cases));
	run_gen(valid_email, "email", email_gen, NELEM(email_gen));

	run_list(valid_token, "token", token_cases, NELEM(token_cases));

	run_list(valid_next, "next", next_cases, NELEM(next_cases));
	run_gen(valid_next, "next", next_gen, NELEM(next_gen));

	run_list(valid_rowid, "rowid", rowid_cases, NELEM(rowid_cases));
	for (i = 0; i < NELEM(rowid_values); i++) {
		memset(&f, 0, sizeof(f));
		f.raw = rowid_values[i].in;
		if (!valid_rowid(&f)) {
			ok(0, "rowid %s is typed", rowid_values[i].in);
			continue;
		}
		is_i64(f.type, FIELD_INT, "rowid %s: type is FIELD_INT",
		    rowid_values[i].in);
		is_i64(f.u.i, rowid_values[i].want, "rowid %s: value",
		    rowid_values[i].in);
	}

	run_list(valid_text_line, "text line", text_cases, NELEM(text_cases));
	run_gen(valid_text_line, "text line", text_gen, NELEM(text_gen));

	run_list(valid_password, "password", password_cases,
	    NELEM(password_cases));
	run_gen(valid_password, "password", password_gen, NELEM(password_gen));

	for (i = 0; i < NELEM(utf8_cases); i++)
		is_i64(valid_utf8(utf8_cases[i].in, utf8_cases[i].n),
		    utf8_cases[i].want, "valid_utf8 %s, %zu bytes",
		    show(utf8_cases[i].in, utf8_cases[i].n), utf8_cases[i].n);

	return tap_done();
}
