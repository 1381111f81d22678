/* t_valid.c: unit tests of valid.c: kcgi-style good and bad strings for every validator. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "http.h"
#include "req.h"
#include "valid.h"
#include "vatid.h"
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

/*
 * VAT numbers: the raw input, the normalized number wanted in f->norm
 * (NULL: refused) and the ISO country vatid_country gives for it
 * (NULL for the empty value, which means "none").
 */
static const struct {
	const char	*in;
	const char	*norm;
	const char	*country;
} vat_cases[] = {
	{ "ATU12345678", "ATU12345678", "AT" },		/* Austria */
	{ "atu 123 456 78", "ATU12345678", "AT" },	/* lower case, spaces */
	{ "BE0123456789", "BE0123456789", "BE" },	/* Belgium, 0... */
	{ "be 1234.567.890", "BE1234567890", "BE" },	/* 1..., dots */
	{ "CHE-123.456.789", "CHE123456789", "CH" },	/* Swiss UID style */
	{ "CHE-123.456.789 MWST", "CHE123456789MWST", "CH" },	/* MWST */
	{ "che 123 456 789 tva", "CHE123456789TVA", "CH" },	/* TVA */
	{ "CHE123456789IVA", "CHE123456789IVA", "CH" },	/* IVA */
	{ "DE123456789", "DE123456789", "DE" },		/* Germany */
	{ "de 123 456 789", "DE123456789", "DE" },	/* lower, spaces */
	{ "DE-123.456 789", "DE123456789", "DE" },	/* every separator */
	{ "DE123456789 ", "DE123456789", "DE" },	/* a trailing space */
	{ "EL123456789", "EL123456789", "GR" },		/* Greece is EL */
	{ "el-123-456-789", "EL123456789", "GR" },	/* hyphens */
	{ "ESX1234567X", "ESX1234567X", "ES" },		/* Spain, letters */
	{ "es a1234567 4", "ESA12345674", "ES" },	/* letter first */
	{ "ES12345678Z", "ES12345678Z", "ES" },		/* letter last */
	{ "FR40303265045", "FR40303265045", "FR" },	/* France, digits */
	{ "fr ab 123456789", "FRAB123456789", "FR" },	/* letter key */
	{ "GB123456789", "GB123456789", "GB" },		/* UK, 9 digits */
	{ "GB 123 4567 89 012", "GB123456789012", "GB" },	/* 12 digits */
	{ "GBGD123", "GBGD123", "GB" },			/* government dept */
	{ "gbha 499", "GBHA499", "GB" },		/* health authority */
	{ "IE1234567T", "IE1234567T", "IE" },		/* Ireland */
	{ "IE1234567WA", "IE1234567WA", "IE" },		/* two letters */
	{ "ie 8z49289f", "IE8Z49289F", "IE" },		/* old style */
	{ "NL123456789B01", "NL123456789B01", "NL" },	/* Netherlands */
	{ "nl.1234.56.789.b.01", "NL123456789B01", "NL" },	/* dots */
	{ "NO123456789", "NO123456789", "NO" },		/* Norway */
	{ "NO 123 456 789 MVA", "NO123456789MVA", "NO" },	/* MVA */
	{ "RO12", "RO12", "RO" },			/* Romania, shortest */
	{ "ro 1234567890", "RO1234567890", "RO" },	/* longest */
	{ "SE123456789701", "SE123456789701", "SE" },	/* Sweden */
	{ "se 1234567897 01", "SE123456789701", "SE" },	/* spaces */
	{ "XI123456789", "XI123456789", "GB" },		/* Northern Ireland */
	{ "xi gd 001", "XIGD001", "GB" },		/* NI government */
	{ "", "", NULL },				/* none */
	{ "DE12345678", NULL, NULL },			/* 8 digits */
	{ "DE1234567890", NULL, NULL },			/* 10 digits */
	{ "DE12345678X", NULL, NULL },			/* a letter */
	{ "ATU1234567", NULL, NULL },			/* 7 digits */
	{ "AT123456789", NULL, NULL },			/* no U */
	{ "BE2123456789", NULL, NULL },			/* starts with 2 */
	{ "BE123456789", "BE0123456789", "BE" },	/* 9 digits: a 0 first */
	{ "CHE12345678", NULL, NULL },			/* 8 digits */
	{ "CHE123456789VAT", NULL, NULL },		/* no such suffix */
	{ "CH123456789", NULL, NULL },			/* CH, not CHE */
	{ "GR123456789", "EL123456789", "GR" },		/* Greece is EL */
	{ "EL12345678", "EL012345678", "GR" },		/* 8 digits: a 0 first */
	{ "EL1234567", NULL, NULL },			/* 7 digits */
	{ "UK123456789", NULL, NULL },			/* the UK is GB */
	{ "US123456789", NULL, NULL },			/* no US VAT */
	{ "ES1234567", NULL, NULL },			/* 7 characters */
	{ "FR1234567890", NULL, NULL },			/* 10 characters */
	{ "IE12345678", NULL, NULL },			/* no letter */
	{ "NL123456789B1", NULL, NULL },		/* one-digit suffix */
	{ "NL123456789A01", NULL, NULL },		/* A, not B */
	{ "NO123456789VAT", NULL, NULL },		/* MVA, not VAT */
	{ "SE123456789702", NULL, NULL },		/* must end 01 */
	{ "RO1", NULL, NULL },				/* 1 digit */
	{ "RO12345678901", NULL, NULL },		/* 11 digits */
	{ "XI12345678", NULL, NULL },			/* 8 digits */
	{ "GBGD12", NULL, NULL },			/* short */
	{ "123456789", NULL, NULL },			/* no prefix */
	{ "DE 123/456/789", "DE123456789", "DE" },	/* slashes */
	{ "BE (0)468.561.072", "BE0468561072", "BE" },	/* brackets */
	{ "NL4495445B01", "NL004495445B01", "NL" },	/* Dutch, short */
	{ "nl 1b01", "NL000000001B01", "NL" },		/* one digit */
	{ "NLB01", NULL, NULL },			/* no digits */
	{ "BE12345678", NULL, NULL },			/* 8 digits */
	{ "DE_123456789", NULL, NULL },			/* underscore */
	{ "DE,123456789", NULL, NULL },			/* comma */
	{ "DE123456789\n", NULL, NULL },		/* newline */
	{ "DE123456789\t", NULL, NULL },		/* tab */
	{ "DE\303\251123456789", NULL, NULL },		/* non-ASCII */
	{ "DE1234567890123456789012345678901234567", NULL, NULL },
							/* 39 bytes */
};

/*
 * One TAP line per VAT case: the verdict, and for an accepted number
 * the normalized value (in f->norm, as u.s) and its country.
 */
static void
run_vat(void)
{
	struct field	 f;
	const char	*c;
	size_t		 i;
	int		 got, pass;

	for (i = 0; i < NELEM(vat_cases); i++) {
		memset(&f, 0, sizeof(f));
		f.raw = vat_cases[i].in;
		got = valid_vat(&f);
		if (vat_cases[i].norm == NULL) {
			if (!ok(!got && f.type == FIELD_NONE, "vat refuses %s",
			    show(f.raw, strlen(f.raw))))
				diag("  returned %d, type %d", got,
				    (int)f.type);
			continue;
		}
		pass = got && f.type == FIELD_STR && f.u.s == f.norm &&
		    strcmp(f.norm, vat_cases[i].norm) == 0;
		c = pass ? vatid_country(f.norm) : NULL;
		if (vat_cases[i].country == NULL)
			pass = pass && c == NULL;
		else
			pass = pass && c != NULL &&
			    strcmp(c, vat_cases[i].country) == 0;
		if (!ok(pass, "vat accepts %s as \"%s\", %s",
		    show(f.raw, strlen(f.raw)), vat_cases[i].norm,
		    vat_cases[i].country ? vat_cases[i].country : "no country"))
			diag("  returned %d, norm \"%s\", country %s", got,
			    f.norm, c ? c : "(null)");
	}
}

/* vatid_country on raw (unnormalized) or odd strings. */
static const struct scase vat_country_none[] = {
	{ "de123456789", 0 },			/* not upper-cased */
	{ "DE 123456789", 0 },			/* not stripped */
	{ "GR123456789", 0 },			/* not a valid number */
	{ "", 0 },				/* nothing */
	{ "EL", 0 },				/* a bare prefix */
};

static const struct scase country_cases[] = {
	{ "US", 1 },				/* United States */
	{ "DE", 1 },				/* Germany */
	{ "GR", 1 },				/* Greece (VAT prefix EL) */
	{ "GB", 1 },				/* United Kingdom */
	{ "CH", 1 },				/* Switzerland */
	{ "NO", 1 },				/* Norway */
	{ "AD", 1 },				/* the first code */
	{ "ZW", 1 },				/* the last code */
	{ "us", 0 },				/* lower case */
	{ "Us", 0 },				/* mixed case */
	{ "XX", 0 },				/* no such country */
	{ "USA", 0 },				/* alpha-3 */
	{ "", 0 },				/* empty */
	{ "U", 0 },				/* one letter */
	{ "EL", 0 },				/* a VAT prefix, not ISO */
	{ "XI", 0 },				/* a VAT prefix, not ISO */
	{ "UK", 0 },				/* reserved, not assigned */
	{ " US", 0 },				/* leading space */
	{ "US ", 0 },				/* trailing space */
	{ "U\303\234", 0 },			/* non-ASCII */
	{ "00", 0 },				/* digits */
};

static const struct scase postal_cases[] = {
	{ "94105", 1 },				/* US ZIP */
	{ "02110", 1 },				/* leading zero kept */
	{ "94105-1234", 1 },			/* ZIP+4 */
	{ "EC1A 1BB", 1 },			/* UK */
	{ "1015 AA", 1 },			/* Netherlands */
	{ "H0H 0H0", 1 },			/* Canada */
	{ "00-950", 1 },			/* Poland */
	{ "A", 1 },				/* one character */
	{ "1234567890123456", 1 },		/* 16: the limit */
	{ "", 0 },				/* empty */
	{ "12345678901234567", 0 },		/* 17 */
	{ "EC1A_1BB", 0 },			/* underscore */
	{ "EC1A\t1BB", 0 },			/* tab */
	{ "10115.", 0 },			/* dot */
	{ "75008,", 0 },			/* comma */
	{ "94105\n", 0 },			/* newline */
	{ "<b>1</b>", 0 },			/* markup */
	{ "1015 \303\205A", 0 },		/* non-ASCII */
	{ "#12", 0 },				/* hash */
};

static const struct scase po_cases[] = {
	{ "", 1 },				/* none */
	{ "PO-2026-117", 1 },			/* the demo's */
	{ "4500012345", 1 },			/* SAP style */
	{ "Bestellung Nr. 17/2026", 1 },	/* spaces, slash, dot */
	{ "R\303\251f. 2026 \342\200\223 17", 1 },	/* UTF-8 */
	{ "<PO & \"x\">", 1 },			/* metacharacters kept */
	{ "PO\n1", 0 },				/* newline */
	{ "PO\t1", 0 },				/* tab */
	{ "PO\r1", 0 },				/* carriage return */
	{ "PO\177", 0 },			/* DEL */
	{ "PO\302\205", 0 },			/* C1 NEL */
	{ "PO\303", 0 },			/* truncated UTF-8 */
	{ "PO\377", 0 },			/* invalid byte */
};

static const struct gcase po_gen[] = {
	{ { { "P", 64 } }, 1 },				/* 64 bytes */
	{ { { "P", 65 } }, 0 },				/* 65 bytes */
	{ { { "\303\251", 32 } }, 1 },			/* 32 é, 64 bytes */
	{ { { "\303\251", 32 }, { "x", 1 } }, 0 },	/* 65 bytes */
};

static const struct scase text_opt_cases[] = {
	{ "", 1 },				/* empty: the point */
	{ "Suite 100", 1 },			/* text */
	{ " ", 1 },				/* a space */
	{ "Stra\303\237e 5", 1 },		/* UTF-8 */
	{ "\n", 0 },				/* newline */
	{ "a\tb", 0 },				/* tab */
	{ "\302\233", 0 },			/* C1 CSI */
	{ "\300\257", 0 },			/* overlong */
};

static const struct gcase text_opt_gen[] = {
	{ { { "a", 200 } }, 1 },		/* 200 bytes */
	{ { { "a", 201 } }, 0 },		/* 201 bytes */
};

/* Indexes: the verdict and, if valid, the value. */
static const struct {
	const char	*in;
	int		 want;
	int64_t		 value;
} index_cases[] = {
	{ "0", 1, 0 },				/* the first */
	{ "9", 1, 9 },				/* one digit */
	{ "10", 1, 10 },			/* two digits */
	{ "99", 1, 99 },			/* the last */
	{ "00", 0, 0 },				/* leading zero */
	{ "01", 0, 0 },				/* leading zero */
	{ "100", 0, 0 },			/* three digits */
	{ "-1", 0, 0 },				/* sign */
	{ "+1", 0, 0 },				/* plus */
	{ "", 0, 0 },				/* empty */
	{ " 1", 0, 0 },				/* leading space */
	{ "1 ", 0, 0 },				/* trailing space */
	{ "1a", 0, 0 },				/* a letter */
	{ "a", 0, 0 },				/* a letter */
	{ "1.", 0, 0 },				/* a dot */
	{ "\331\241", 0, 0 },			/* Arabic-Indic one */
};

static const struct scase ptoken_cases[] = {
	{ "tok_visa", 1 },			/* sandbox card */
	{ "tok_sepa_de", 1 },			/* sandbox SEPA */
	{ "tok_chargeDeclined", 1 },		/* mixed case */
	{ "pm_1NzZ2bLkdIwHu7ix", 1 },		/* processor style */
	{ "abc", 1 },				/* 3: the shortest */
	{ "A_9", 1 },				/* every class */
	{ "ab", 0 },				/* 2 */
	{ "", 0 },				/* empty */
	{ "tok-visa", 0 },			/* hyphen */
	{ "tok visa", 0 },			/* space */
	{ "tok.visa", 0 },			/* dot */
	{ "tok_visa\n", 0 },			/* newline */
	{ "tok_\303\251", 0 },			/* non-ASCII */
	{ "tok_visa'--", 0 },			/* quote */
	{ "tok/../visa", 0 },			/* path */
};

static const struct gcase ptoken_gen[] = {
	{ { { "a", 64 } }, 1 },			/* 64: the limit */
	{ { { "a", 65 } }, 0 },			/* 65 */
};

static const struct scase word_cases[] = {
	{ "saved", 1 },				/* a done word */
	{ "removed", 1 },
	{ "add_cc", 1 },			/* underscore */
	{ "a", 1 },				/* one letter */
	{ "x9", 1 },				/* digit */
	{ "_", 1 },				/* underscore alone */
	{ "", 0 },				/* empty */
	{ "Saved", 0 },				/* upper case */
	{ "add-cc", 0 },			/* hyphen */
	{ "add cc", 0 },			/* space */
	{ "a.b", 0 },				/* dot */
	{ "done\n", 0 },			/* newline */
	{ "\303\251", 0 },			/* non-ASCII */
	{ "<b>", 0 },				/* markup */
};

static const struct gcase word_gen[] = {
	{ { { "w", 32 } }, 1 },			/* 32: the limit */
	{ { { "w", 33 } }, 0 },			/* 33 */
};

/* valid_has_card_number: 1 a card number is there, 0 none. */
static const struct scase card_cases[] = {
	{ "4242424242424242", 1 },		/* Visa */
	{ "4242 4242 4242 4242", 1 },		/* with spaces */
	{ "4242-4242-4242-4242", 1 },		/* with hyphens */
	{ "4242 4242-4242 4242", 1 },		/* both */
	{ "378282246310005", 1 },		/* Amex, 15 */
	{ "3782 822463 10005", 1 },		/* Amex grouping */
	{ "4222222222222", 1 },			/* Visa, 13 */
	{ "4917610000000000003", 1 },		/* Visa, 19 */
	{ "6304 0000 0000 0000 000", 1 },	/* Maestro, 19, grouped */
	{ "6011000990139424", 1 },		/* Discover, 16 */
	{ "30569309025904", 1 },		/* Diners, 14 */
	{ "5555555555554444", 1 },		/* Mastercard */
	{ "2223003122003222", 1 },		/* Mastercard 2-series */
	{ "my card 4111 1111 1111 1111 thanks", 1 },	/* in text */
	{ "card:4242424242424242;", 1 },	/* punctuation around */
	{ "x4242424242424242x", 1 },		/* letters around */
	{ "ref 1234, card 5555-5555-5555-4444", 1 },	/* after digits */
	/* The common paste: the number, then the expiry or the CVC. */
	{ "4242 4242 4242 4242 12/30", 1 },	/* card, space, expiry */
	{ "4242424242424242 123", 1 },		/* card, space, CVC */
	{ "4242424242424241", 0 },		/* Luhn fails */
	{ "424242424242", 0 },			/* 12 digits (Luhn ok) */
	{ "42424242424242424242", 0 },		/* 20 digits (Luhn ok) */
	{ "4242  4242  4242  4242", 1 },	/* double spaces */
	{ "4242 - 4242 - 4242 - 4242", 1 },	/* spaced hyphens */
	{ "4111.1111.1111.1111", 1 },		/* dots */
	{ "4111. 1111. 1111. 1111", 1 },	/* dots and spaces */
	{ "4111/1111/1111/1111", 1 },		/* slashes */
	{ "4111_1111_1111_1111", 1 },		/* underscores */
	{ "4111,1111,1111,1111", 1 },		/* commas */
	{ "4111\xc2\xa0" "1111\xc2\xa0" "1111\xc2\xa0" "1111", 1 },	/* NBSP */
	{ "4111\xe2\x80\xaf" "1111\xe2\x80\xaf" "1111\xe2\x80\xaf" "1111", 1 },
						/* narrow NBSP */
	{ "4111\xe3\x80\x80" "1111\xe3\x80\x80" "1111\xe3\x80\x80" "1111", 1 },
						/* ideographic space */
	{ "4111\xe2\x80\x93" "1111\xe2\x80\x93" "1111\xe2\x80\x93" "1111", 1 },
						/* en dashes */
	{ "4111\xe2\x88\x92" "1111\xe2\x88\x92" "1111\xe2\x88\x92" "1111", 1 },
						/* minus signs */
	{ "4\xe2\x80\x8b" "111111111111111", 1 },	/* a zero-width space */
	{ "4111\xc2\xad" "1111\xc2\xad" "1111\xc2\xad" "1111", 1 },	/* soft hyphens */
	{ "4111\n1111\n1111\n1111", 1 },	/* over lines */
	{ "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", 1 },	/* digit by digit */
	/* Fullwidth, Arabic-Indic, Devanagari digits: 4111 1111 1111 1111 */
	{ "\xef\xbc\x94\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91"
	  "\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91"
	  "\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91"
	  "\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91", 1 },
	{ "\xd9\xa4\xd9\xa1\xd9\xa1\xd9\xa1 \xd9\xa1\xd9\xa1\xd9\xa1"
	  "\xd9\xa1 \xd9\xa1\xd9\xa1\xd9\xa1\xd9\xa1 \xd9\xa1\xd9\xa1"
	  "\xd9\xa1\xd9\xa1", 1 },
	{ "\xe0\xa5\xaa\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7"
	  "\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7"
	  "\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7"
	  "\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7\xe0\xa5\xa7", 1 },
	{ "4111\xef\xbc\x91" "111 1111 1111", 1 },	/* one fullwidth digit */
	{ "4111.1111.1111.1111@acme.test", 1 },	/* an email's local part */
	{ "4111 1111 1111 1111 1111 1111", 1 },	/* the number twice */
	{ "4111    1111    1111    1111", 0 },	/* four spaces: apart */
	{ "4111.1111-1111.1111", 0 },		/* two kinds of separators */
	{ "4111 1111 \xe2\x80\x93 1111 1111", 1 },	/* blanks and a dash */
	{ "+49 30 1234 5678", 0 },		/* a phone number */
	{ "DE89370400440532013000", 0 },	/* an IBAN */
	{ "DE89 3704 0044 0532 0130 00", 0 },	/* an IBAN, grouped */
	{ "2026-11-15", 0 },			/* a date */
	{ "15.11.2026 - 15.12.2026", 0 },	/* a date range */
	{ "DE123456789", 0 },			/* a VAT number */
	{ "GB123456789012", 0 },		/* a 12-digit VAT number */
	{ "PO-2026-117", 0 },			/* a PO reference */
	{ HEX64, 0 },				/* one of our tokens */
	{ "", 0 },				/* nothing */
};

/* One LCG step (Knuth's MMIX constants): a fixed, portable sequence. */
static uint64_t
lcg(uint64_t *x)
{
	*x = *x * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return *x;
}

/* 64 lower-case hex digits from the LCG's high bits into out[65]. */
static void
lcg_token(uint64_t *x, char *out)
{
	int	 i;

	for (i = 0; i < 64; i++)
		out[i] = "0123456789abcdef"[lcg(x) >> 60];
	out[64] = '\0';
}

/* CGI parameters for req_parse: a NULL-ended table of names and values. */
struct param {
	const char	*name;
	const char	*val;
};

static const char *
param_get(void *arg, const char *name)
{
	const struct param	*p;

	for (p = arg; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p->val;
	return NULL;
}

static const struct param post_params[] = {
	{ "REQUEST_METHOD", "POST" },
	{ "PATH_INFO", "/billing/details" },
	{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
	{ "REMOTE_ADDR", "192.0.2.1" },
	{ NULL, NULL },
};

/* Whether the first n bytes of s are all zero. */
static int
all_zero(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != '\0')
			return 0;
	return 1;
}

/*
 * Property: 20,000 random tokens as csrf and form_token never make
 * req_parse refuse a request, though some of them hold a digit run
 * that passes for a card number; the same request with a card number
 * in another field is refused with 422 and every value wiped.
 */
static void
run_req_tokens(void)
{
	struct req	 r;
	uint64_t	 x = UINT64_C(20261115);
	char		 t1[65], t2[65], body[256];
	size_t		 i, k, n, lookalike = 0, refused = 0, missed = 0;
	size_t		 untyped = 0, unwiped = 0, nomsg = 0, typed = 0;
	int		 bodylen;

	for (i = 0; i < 20000; i++) {
		lcg_token(&x, t1);
		lcg_token(&x, t2);
		if (valid_has_card_number(t1) || valid_has_card_number(t2))
			lookalike++;

		bodylen = snprintf(body, sizeof(body),
		    "csrf=%s&form_token=%s&po_reference=PO-17", t1, t2);
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, param_get, (void *)post_params, body,
		    (size_t)bodylen);
		if (r.parse_status != 0)
			refused++;
		else if (req_field(&r, F_CSRF) == NULL ||
		    req_field(&r, F_FORM_TOKEN) == NULL ||
		    strcmp(req_field(&r, F_CSRF)->u.s, t1) != 0 ||
		    strcmp(req_field(&r, F_FORM_TOKEN)->u.s, t2) != 0)
			untyped++;
		req_free(&r);

		bodylen = snprintf(body, sizeof(body),
		    "csrf=%s&form_token=%s&po_reference=4242424242424242",
		    t1, t2);
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, param_get, (void *)post_params, body,
		    (size_t)bodylen);
		if (r.parse_status != HTTP_UNPROCESSABLE)
			missed++;
		if (r.error_msg == NULL)
			nomsg++;
		if (req_field(&r, F_CSRF) != NULL ||
		    req_field(&r, F_FORM_TOKEN) != NULL ||
		    req_field(&r, F_PO_REFERENCE) != NULL)
			typed++;
		for (k = 0; k < r.form.n; k++) {
			n = strcmp(r.form.v[k].key, "po_reference") == 0 ?
			    16 : 64;
			if (!all_zero(r.form.v[k].val, n))
				unwiped++;
		}
		if (r.form.n != 3)
			unwiped++;
		req_free(&r);
	}
	diag("%zu of the tokens hold a Luhn-valid digit run", lookalike);
	ok(lookalike > 0, "some random tokens look like card numbers");
	is_i64((int64_t)refused, 0,
	    "20000 requests with random tokens: none refused");
	is_i64((int64_t)untyped, 0, "and both tokens are typed as sent");
	is_i64((int64_t)missed, 0,
	    "20000 with a card number in po_reference: all 422");
	is_i64((int64_t)nomsg, 0, "each with an error message");
	is_i64((int64_t)typed, 0, "no field typed from a refused request");
	is_i64((int64_t)unwiped, 0, "every value is all zero bytes after");
}

/* Single requests around the card refusal. */
static const struct {
	const char	*query;		/* QUERY_STRING, or NULL */
	const char	*body;		/* urlencoded body, or NULL */
	int		 want;		/* parse_status */
	int		 inbody;	/* the card is in the body */
} card_reqs[] = {
	{ NULL, "po_reference=4242+4242+4242+4242", 422, 1 },	/* + spaces */
	{ NULL, "po_reference=4242%204242%204242%204242", 422, 1 },
	{ NULL, "po_reference=4242-4242-4242-4242", 422, 1 },	/* hyphens */
	{ NULL, "billing_name=Acme&address_line2=378282246310005", 422, 1 },
	{ NULL, "unknown_field=4242424242424242", 422, 1 },	/* any name */
	{ "q=4242424242424242", NULL, 422, 0 },			/* query */
	{ "done=saved", "po_reference=4242424242424242", 422, 1 },
	{ "before=4242424242424242", NULL, 422, 0 },		/* a row id */
	{ NULL, "csrf=" HEX64, 0, 0 },				/* a token */
	{ NULL, "po_reference=4242424242424241", 0, 0 },	/* Luhn fails */
	{ NULL, "po_reference=PO-2026-117", 0, 0 },		/* plain */
	{ NULL, "vat_number=DE+123+456+789", 0, 0 },		/* VAT */
	/* split over two address lines, at a gap or inside a group */
	{ NULL, "address_line1=4111+1111&address_line2=1111+1111", 422, 1 },
	{ NULL, "address_line1=4111+11&address_line2=11+1111+1111", 422, 1 },
	{ NULL, "city=4111+1111+1111&postal_code=1111", 422, 1 },
	/* numbers of ours side by side are not typed text: not joined */
	{ NULL, "as_of=41111111&version=11111111", 0, 0 },
	/* typed text, but not neighbours */
	{ NULL, "address_line1=4111+1111&country=US&address_line2=1111+1111",
	  0, 0 },
};

/* The sensors API's JSON, checked once decoded. */
static const struct {
	const char	*json;
	int		 want;
} card_json[] = {
	{ "{\"id\": \"\\u0034111111111111111\", \"type\": \"temp\"}", 422 },
	{ "{\"id\": \"\\u0034\\u0031\\u0031\\u0031 1111 1111 1111\"}", 422 },
	{ "{\"id\": \"4111 1111\", \"type\": \"1111 1111\"}", 422 },
	{ "{\"\\u0034111111111111111\": \"temp\"}", 422 },	/* a key */
	{ "{\"id\": [\"4111 1111 1111\", \"1111\"]}", 422 },	/* an array */
	{ "{\"id\": \"T-0042\", \"type\": \"temp\"}", 0 },
	{ "{\"id\": \"T-4111\", \"type\": \"1111\"}", 0 },	/* 8 digits */
};

static void
run_card_json(void)
{
	struct param	 p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "PATH_INFO", "/api/v1/sensors" },
		{ "CONTENT_TYPE", "application/json" },
		{ NULL, NULL },
	};
	struct req	 r;
	char		 body[256];
	size_t		 i;

	for (i = 0; i < NELEM(card_json); i++) {
		snprintf(body, sizeof(body), "%s", card_json[i].json);
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, param_get, p, body, strlen(body));
		is_i64(r.parse_status, card_json[i].want, "JSON %s: %d",
		    card_json[i].json, card_json[i].want);
		if (card_json[i].want == 422)
			ok(!valid_has_card_number(body) &&
			    body[0] == '\0', "  and the body is wiped");
		req_free(&r);
	}
}

static void
run_card_reqs(void)
{
	struct param	 p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "PATH_INFO", "/billing/details" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
		{ "QUERY_STRING", NULL },
		{ NULL, NULL },
	};
	struct req	 r;
	struct kvlist	*l;
	size_t		 i, k;
	int		 wiped;

	for (i = 0; i < NELEM(card_reqs); i++) {
		p[3].val = card_reqs[i].query;
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, param_get, p, card_reqs[i].body,
		    card_reqs[i].body ? strlen(card_reqs[i].body) : 0);
		is_i64(r.parse_status, card_reqs[i].want, "req %s%s%s: %d",
		    card_reqs[i].query ? card_reqs[i].query : "",
		    card_reqs[i].query && card_reqs[i].body ? " + " : "",
		    card_reqs[i].body ? card_reqs[i].body : "",
		    card_reqs[i].want);
		if (card_reqs[i].want == 422) {
			/* The list that held the card is wiped whole. */
			l = card_reqs[i].inbody ? &r.form : &r.query;
			wiped = l->n > 0;
			for (k = 0; k < l->n; k++)
				wiped = wiped && l->v[k].val[0] == '\0';
			ok(wiped, "  and every value of its %s is wiped",
			    l == &r.form ? "body" : "query");
			wiped = 1;
			for (k = 0; k < r.query.n; k++)
				wiped = wiped &&
				    !valid_has_card_number(r.query.v[k].val);
			for (k = 0; k < r.form.n; k++)
				wiped = wiped &&
				    !valid_has_card_number(r.form.v[k].val);
			ok(wiped, "  and no card number is left anywhere");
		}
		req_free(&r);
	}
}

/* Run the lists of the billing-details and payment-method validators. */
static void
run_details_fields(void)
{
	struct field	 f;
	size_t		 i, n;
	int		 got;

	run_vat();
	for (i = 0; i < NELEM(vat_country_none); i++)
		ok(vatid_country(vat_country_none[i].in) == NULL,
		    "vat country of %s is none",
		    show(vat_country_none[i].in,
		    strlen(vat_country_none[i].in)));

	run_list(valid_country, "country", country_cases,
	    NELEM(country_cases));
	for (i = n = 0; country_at(i) != NULL; i++) {
		memset(&f, 0, sizeof(f));
		f.raw = country_at(i)->code;
		if (!valid_country(&f)) {
			diag("country %s refused", f.raw);
			n++;
		}
	}
	is_i64((int64_t)n, 0, "country accepts every one of its %zu codes",
	    i);

	run_list(valid_postal_code, "postal code", postal_cases,
	    NELEM(postal_cases));
	run_list(valid_po_reference, "po reference", po_cases,
	    NELEM(po_cases));
	run_gen(valid_po_reference, "po reference", po_gen, NELEM(po_gen));
	run_list(valid_text_opt, "text opt", text_opt_cases,
	    NELEM(text_opt_cases));
	run_gen(valid_text_opt, "text opt", text_opt_gen, NELEM(text_opt_gen));

	for (i = 0; i < NELEM(index_cases); i++) {
		memset(&f, 0, sizeof(f));
		f.raw = index_cases[i].in;
		got = valid_index(&f);
		if (index_cases[i].want)
			ok(got && f.type == FIELD_INT &&
			    f.u.i == index_cases[i].value,
			    "index accepts %s as %" PRId64,
			    show(f.raw, strlen(f.raw)), index_cases[i].value);
		else
			ok(!got && f.type == FIELD_NONE, "index refuses %s",
			    show(f.raw, strlen(f.raw)));
	}

	run_list(valid_processor_token, "processor token", ptoken_cases,
	    NELEM(ptoken_cases));
	run_gen(valid_processor_token, "processor token", ptoken_gen,
	    NELEM(ptoken_gen));
	run_list(valid_word, "word", word_cases, NELEM(word_cases));
	run_gen(valid_word, "word", word_gen, NELEM(word_gen));

	for (i = 0; i < NELEM(card_cases); i++)
		is_i64(valid_has_card_number(card_cases[i].in),
		    card_cases[i].want, "card number %s in %s",
		    card_cases[i].want ? "found" : "not found",
		    show(card_cases[i].in, strlen(card_cases[i].in)));

	run_card_reqs();
	run_req_tokens();
}

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

	run_details_fields();
	run_card_json();

	/* Document numbers, as URLs, file names and ZIP entries use them. */
	{
		static const struct {
			const char	*in;
			int		 want;
		} doc[] = {
			{ "INV-2026-000001", 1 }, { "CN-2026-000003", 1 },
			{ "A", 1 }, { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1 },
			{ "", 0 }, { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0 },
			{ "inv-1", 0 }, { "INV/1", 0 }, { "..", 0 },
			{ "INV 1", 0 }, { "INV_1", 0 }, { "INV-1.pdf", 0 },
		};

		for (i = 0; i < NELEM(doc); i++)
			is_i64(valid_doc_number(doc[i].in), doc[i].want,
			    "document number \"%s\": %s", doc[i].in,
			    doc[i].want ? "accepted" : "refused");
	}

	return tap_done();
}
