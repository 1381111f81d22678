/* t_http.c: unit tests of http.c's parsers and of req_parse over them. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "req.h"
#include "route.h"
#include "valid.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A string literal and its length, embedded NULs included. */
#define S(s)		s, sizeof(s) - 1

/* Sixty-four lower-case hex digits: a well-formed token. */
#define HEX64	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define HEX64B	"fedcba9876543210fedcba9876543210" \
		"fedcba9876543210fedcba9876543210"

#define FORM	"application/x-www-form-urlencoded"

/* Random robustness loop: iterations and longest input. */
#define FUZZ_ROUNDS	20000
#define FUZZ_MAXLEN	300
#define FUZZ_REQ_EVERY	10	/* every Nth input also goes to req_parse */

/* One expected pair. */
struct pair {
	const char	*k;
	const char	*v;
};

/* Part of a generated (long) input: s repeated rep times. */
struct part {
	const char	*s;
	int		 rep;
};

/* One CGI parameter for the getter. */
struct param {
	const char	*name;
	const char	*value;
};

static const char	*show(const char *, size_t);
static char		*build(const struct part *, size_t *);
static int		 same_list(const struct kvlist *, const struct pair *,
			    size_t, const char *);
static void		 prefill(struct kvlist *);
static const char	*getp(void *, const char *);
static int		 check_fields(const struct req *, const char *const *,
			    const char *const *, const char *);
static uint32_t		 rnd(void);
static int		 hexdig(int);
static void		 ref_decode(const char *, size_t, char *, size_t *,
			    int *);
static int		 url_oracle(const char *, size_t, int,
			    const struct kvlist *);
static int		 cookie_oracle(const char *, int, const struct kvlist *);
static void		 test_urlencoded(void);
static void		 test_cookies(void);
static void		 test_req(void);
static void		 test_fuzz(void);

/*
 * A printable rendering of n bytes of s for a description, bytes
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

	if (s == NULL)
		return "(null)";
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

/*
 * The concatenation of up to 8 parts of p (ended by a NULL s), its
 * length in *len if len is not NULL; caller frees.
 */
static char *
build(const struct part *p, size_t *len)
{
	size_t	 n = 0, k;
	int	 i, r;
	char	*s, *o;

	for (i = 0; i < 8 && p[i].s != NULL; i++)
		n += strlen(p[i].s) * (size_t)p[i].rep;
	if ((s = o = malloc(n + 1)) == NULL)
		abort();
	for (i = 0; i < 8 && p[i].s != NULL; i++)
		for (r = 0; r < p[i].rep; r++) {
			k = strlen(p[i].s);
			memcpy(o, p[i].s, k);
			o += k;
		}
	*o = '\0';
	if (len != NULL)
		*len = n;
	return s;
}

/*
 * Whether l holds exactly the n pairs of want, in order; diagnostics
 * (prefixed by what) for the first difference.
 */
static int
same_list(const struct kvlist *l, const struct pair *want, size_t n,
    const char *what)
{
	size_t	 i;

	if (l->n != n) {
		diag("  %s: %zu pairs, want %zu", what, l->n, n);
		for (i = 0; i < l->n && i < 8; i++)
			diag("  [%zu] %s = %s", i,
			    show(l->v[i].key, strlen(l->v[i].key)),
			    show(l->v[i].val, strlen(l->v[i].val)));
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(l->v[i].key, want[i].k) != 0 ||
		    strcmp(l->v[i].val, want[i].v) != 0) {
			diag("  %s: pair %zu is %s = %s", what, i,
			    show(l->v[i].key, strlen(l->v[i].key)),
			    show(l->v[i].val, strlen(l->v[i].val)));
			diag("  want %s = %s", show(want[i].k, strlen(want[i].k)),
			    show(want[i].v, strlen(want[i].v)));
			return 0;
		}
	}
	return 1;
}

/* Put one pair into l (empty on entry), so that a failure must drop it. */
static void
prefill(struct kvlist *l)
{
	if (http_parse_urlencoded(S("pre=1"), l) != HTTP_PARSE_OK ||
	    l->n != 1)
		abort();
}

/* ---------------------------------------------------------------- */
/* http_parse_urlencoded */

static const struct {
	const char	*in;
	size_t		 len;
	size_t		 n;		/* pairs wanted */
	struct pair	 want[4];
} url_good[] = {
	{ S("a=1"), 1, { { "a", "1" } } },		/* plain */
	{ S("a=1&b=2&c=3"), 3,
	    { { "a", "1" }, { "b", "2" }, { "c", "3" } } },	/* three pairs */
	{ S("name=Ada+Lovelace"), 1,
	    { { "name", "Ada Lovelace" } } },		/* '+' is a space */
	{ S("a+b=c+"), 1, { { "a b", "c " } } },	/* '+' in name too */
	{ S("a=%41%42%5A"), 1, { { "a", "ABZ" } } },	/* %XX upper case */
	{ S("a=%2f%2F%7e"), 1, { { "a", "//~" } } },	/* %xx lower, mixed */
	{ S("a=%e2%82%ac"), 1, { { "a", "\342\202\254" } } },	/* lower € */
	{ S("%61%62=1"), 1, { { "ab", "1" } } },	/* escapes in name */
	{ S("a="), 1, { { "a", "" } } },		/* empty value */
	{ S("flag"), 1, { { "flag", "" } } },		/* no '=' */
	{ S("flag&a=1"), 2, { { "flag", "" }, { "a", "1" } } },	/* mixed */
	{ S("a=1&&b=2"), 2, { { "a", "1" }, { "b", "2" } } },	/* empty pair */
	{ S("&a=1&"), 1, { { "a", "1" } } },		/* leading, trailing & */
	{ S("&&&a=1&&&&"), 1, { { "a", "1" } } },	/* runs of & */
	{ S(""), 0, { { NULL, NULL } } },		/* nothing */
	{ S("&&&"), 0, { { NULL, NULL } } },		/* only separators */
	{ S("name=%C3%A9"), 1, { { "name", "\303\251" } } },	/* UTF-8 é */
	{ S("n=%D0%90%D0%BD%D0%BD%D0%B0"), 1,
	    { { "n", "\320\220\320\275\320\275\320\260" } } },	/* Анна */
	{ S("e=%F0%9F%98%80"), 1, { { "e", "\360\237\230\200" } } },	/* emoji */
	{ S("r=\303\251"), 1, { { "r", "\303\251" } } },	/* raw UTF-8 kept */
	{ S("h=%FF%80"), 1, { { "h", "\377\200" } } },	/* any byte but NUL */
	{ S("a=1&a=2&b=3&a=4"), 4,
	    { { "a", "1" }, { "a", "2" }, { "b", "3" }, { "a", "4" } } },
							/* repeats in order */
	{ S("a=b=c"), 1, { { "a", "b=c" } } },		/* '=' in a value */
	{ S("a=="), 1, { { "a", "=" } } },		/* value is '=' */
	{ S("a=%2B&b=%26&c=%3D&d=%25"), 4,
	    { { "a", "+" }, { "b", "&" }, { "c", "=" }, { "d", "%" } } },
							/* escaped specials */
	{ S("q=<script>\"'"), 1, { { "q", "<script>\"'" } } },	/* raw punct */
	{ S("s=a;b"), 1, { { "s", "a;b" } } },		/* ';' separates not */
	{ S("%3D=%26"), 1, { { "=", "&" } } },		/* '=' as a name */
	{ S("a=%2541"), 1, { { "a", "%41" } } },	/* decoded once only */
};

static const struct {
	const char	*in;
	size_t		 len;
	int		 want;
} url_bad[] = {
	{ S("a=%"), 400 },			/* lone % */
	{ S("a=%4"), 400 },			/* one hex digit */
	{ S("a=%zz"), 400 },			/* no hex digits */
	{ S("a=%4g"), 400 },			/* second digit bad */
	{ S("a=%g4"), 400 },			/* first digit bad */
	{ S("a=% 41"), 400 },			/* space in escape */
	{ S("a=%%41"), 400 },			/* %% */
	{ S("a=x%"), 400 },			/* % at the end */
	{ S("a=%4&b=1"), 400 },			/* % cut by & */
	{ S("a=%00"), 400 },			/* %00: NUL byte */
	{ S("a=x%00y"), 400 },			/* NUL inside */
	{ S("a%00=1"), 400 },			/* NUL in name */
	{ S("%=1"), 400 },			/* broken escape in name */
	{ S("a=1\0b"), 400 },			/* raw NUL byte */
	{ S("\0=1"), 400 },			/* raw NUL as name */
	{ S("=x"), 400 },			/* empty name */
	{ S("="), 400 },			/* empty name and value */
	{ S("a=1&=x"), 400 },			/* empty name, second pair */
	{ S("a=1&b=2&c=%"), 400 },		/* good pairs, then bad */
};

/* Long inputs, built from parts. */
static const struct {
	struct part	 p[8];
	int		 want;		/* status */
	size_t		 n;		/* pairs, on success */
} url_gen[] = {
	{ { { "a=1&", 63 }, { "a=1", 1 } }, 0, 64 },	/* 64 pairs */
	{ { { "a=1&", 64 }, { "a=1", 1 } }, 413, 0 },	/* 65 pairs */
	{ { { "a=1&", 64 }, { "&", 20 } }, 0, 64 },	/* 64 + empty ones */
	{ { { "f&", 65 } }, 413, 0 },			/* 65 bare names */
	{ { { "a=1&", 64 }, { "=x", 1 } }, 413, 0 },	/* 65th bad too */
	{ { { "n", 64 }, { "=1", 1 } }, 0, 1 },		/* 64-byte name */
	{ { { "n", 65 }, { "=1", 1 } }, 413, 0 },	/* 65-byte name */
	{ { { "n", 65 } }, 413, 0 },			/* 65, no '=' */
	{ { { "%6E", 65 }, { "=1", 1 } }, 413, 0 },	/* 65 decoded bytes */
	{ { { "+", 65 }, { "=1", 1 } }, 413, 0 },	/* 65 spaces */
	{ { { "%6E", 22 }, { "=1", 1 } }, 0, 1 },	/* 66 raw, 22 decoded */
	{ { { "v=", 1 }, { "x", HTTP_MAX_VALUE } }, 0, 1 },	/* max value */
	{ { { "v=", 1 }, { "x", HTTP_MAX_VALUE + 1 } }, 413, 0 },
							/* value over */
	{ { { "v=", 1 }, { "%41", HTTP_MAX_VALUE } }, 0, 1 },
							/* 48 KB raw, ok */
	{ { { "v=", 1 }, { "%41", HTTP_MAX_VALUE + 1 } }, 413, 0 },
							/* decoded over */
	{ { { "v=", 1 }, { "+", HTTP_MAX_VALUE + 1 } }, 413, 0 },
							/* spaces over */
	{ { { "a=1&", 10 }, { "v=", 1 }, { "x", HTTP_MAX_VALUE + 1 } },
	    413, 0 },					/* after good pairs */
};

static void
test_urlencoded(void)
{
	struct kvlist	 l;
	size_t		 i, len;
	char		*s;
	int		 rc, pass;

	for (i = 0; i < NELEM(url_good); i++) {
		memset(&l, 0, sizeof(l));
		rc = http_parse_urlencoded(url_good[i].in, url_good[i].len, &l);
		pass = rc == HTTP_PARSE_OK;
		if (!pass)
			diag("  returned %d", rc);
		pass = pass && same_list(&l, url_good[i].want, url_good[i].n,
		    "urlencoded");
		ok(pass, "urlencoded %s", show(url_good[i].in, url_good[i].len));
		http_kv_free(&l);
	}

	for (i = 0; i < NELEM(url_bad); i++) {
		memset(&l, 0, sizeof(l));
		prefill(&l);
		rc = http_parse_urlencoded(url_bad[i].in, url_bad[i].len, &l);
		is_i64(rc, url_bad[i].want, "urlencoded %s is %d",
		    show(url_bad[i].in, url_bad[i].len), url_bad[i].want);
		ok(l.n == 0 && l.v == NULL,
		    "urlencoded %s leaves the list empty",
		    show(url_bad[i].in, url_bad[i].len));
		http_kv_free(&l);
	}

	for (i = 0; i < NELEM(url_gen); i++) {
		s = build(url_gen[i].p, &len);
		memset(&l, 0, sizeof(l));
		if (url_gen[i].want != 0)
			prefill(&l);
		rc = http_parse_urlencoded(s, len, &l);
		is_i64(rc, url_gen[i].want, "urlencoded %s is %d",
		    show(s, len), url_gen[i].want);
		is_i64((int64_t)l.n, (int64_t)url_gen[i].n,
		    "urlencoded %s: %zu pairs", show(s, len), url_gen[i].n);
		http_kv_free(&l);
		free(s);
	}

	/* The accessors, over repeated keys. */
	memset(&l, 0, sizeof(l));
	rc = http_parse_urlencoded(S("a=1&b=&a=2&c&a=3"), &l);
	is_i64(rc, 0, "accessors: parse");
	is_str(http_kv_get(&l, "a"), "1", "http_kv_get: the first of three");
	is_str(http_kv_get(&l, "b"), "", "http_kv_get: an empty value");
	is_str(http_kv_get(&l, "c"), "", "http_kv_get: a bare name");
	is_str(http_kv_get(&l, "d"), NULL, "http_kv_get: absent is NULL");
	is_str(http_kv_get(&l, "A"), NULL, "http_kv_get: case-sensitive");
	is_i64((int64_t)http_kv_count(&l, "a"), 3, "http_kv_count: three");
	is_i64((int64_t)http_kv_count(&l, "b"), 1, "http_kv_count: one");
	is_i64((int64_t)http_kv_count(&l, "d"), 0, "http_kv_count: none");
	http_kv_free(&l);
	ok(l.n == 0 && l.v == NULL, "http_kv_free empties the list");
	http_kv_free(&l);
	ok(l.n == 0 && l.v == NULL, "http_kv_free twice is harmless");

	/* Parsing appends: a body after a query in one list. */
	memset(&l, 0, sizeof(l));
	rc = http_parse_urlencoded(S("a=1"), &l);
	rc |= http_parse_urlencoded(S("b=2"), &l);
	ok(rc == 0 && l.n == 2 && strcmp(l.v[1].key, "b") == 0,
	    "urlencoded appends to a list");
	http_kv_free(&l);
}

/* ---------------------------------------------------------------- */
/* http_parse_cookies */

static const struct {
	const char	*in;
	size_t		 n;
	struct pair	 want[4];
} cookie_good[] = {
	{ "sid=abc", 1, { { "sid", "abc" } } },		/* one cookie */
	{ "a=1; b=2", 2, { { "a", "1" }, { "b", "2" } } },	/* the usual */
	{ "a=1;b=2", 2, { { "a", "1" }, { "b", "2" } } },	/* no space */
	{ "  a = 1 ;  b=2  ", 2,
	    { { "a", "1" }, { "b", "2" } } },		/* spaces trimmed */
	{ "\ta=1;\tb\t=\t2\t", 2,
	    { { "a", "1" }, { "b", "2" } } },		/* tabs trimmed */
	{ "a=\"quoted value\"", 1,
	    { { "a", "quoted value" } } },		/* quotes removed */
	{ "a= \"q\" ; b=2", 2,
	    { { "a", "q" }, { "b", "2" } } },		/* quotes and spaces */
	{ "a=\"\"", 1, { { "a", "" } } },		/* empty quoted */
	{ "a=\"", 1, { { "a", "\"" } } },		/* a lone quote kept */
	{ "a=\"x", 1, { { "a", "\"x" } } },		/* unbalanced kept */
	{ "a=x\"", 1, { { "a", "x\"" } } },		/* unbalanced kept */
	{ "a=\"in side\"x", 1,
	    { { "a", "\"in side\"x" } } },		/* not a quoted value */
	{ "flag; a=1", 1, { { "a", "1" } } },		/* no '=': skipped */
	{ "a=1; flag; b=2", 2,
	    { { "a", "1" }, { "b", "2" } } },		/* skipped in between */
	{ "a=1; flag", 1, { { "a", "1" } } },		/* skipped at the end */
	{ "a=", 1, { { "a", "" } } },			/* empty value */
	{ "a=b=c", 1, { { "a", "b=c" } } },		/* '=' in value */
	{ "a=%41+", 1, { { "a", "%41+" } } },		/* no decoding */
	{ "a=1;;; b=2;", 2,
	    { { "a", "1" }, { "b", "2" } } },		/* empty pairs */
	{ "", 0, { { NULL, NULL } } },			/* empty header */
	{ " ; ;\t", 0, { { NULL, NULL } } },		/* only separators */
	{ "flag", 0, { { NULL, NULL } } },		/* only a bare word */
	{ "sid=abc; sid=def", 2,
	    { { "sid", "abc" }, { "sid", "def" } } },	/* repeats kept */
	{ "n=\303\251", 1, { { "n", "\303\251" } } },	/* bytes kept */
};

static const struct {
	const char	*in;
	int		 want;
} cookie_bad[] = {
	{ "=x", 400 },				/* empty name */
	{ " =x", 400 },				/* name of spaces only */
	{ "a=1; =x", 400 },			/* empty name, second */
	{ "a=1;\t = 2", 400 },			/* blank name, second */
};

/* Long cookie headers. */
static const struct {
	struct part	 p[8];
	int		 want;
	size_t		 n;
} cookie_gen[] = {
	{ { { "c", 64 }, { "=1", 1 } }, 0, 1 },		/* 64-byte name */
	{ { { "c", 65 }, { "=1", 1 } }, 400, 0 },	/* 65-byte name */
	{ { { "a=", 1 }, { "x", HTTP_MAX_COOKIE - 2 } }, 0, 1 },
							/* 4096 bytes */
	{ { { "a=", 1 }, { "x", HTTP_MAX_COOKIE - 1 } }, 400, 0 },
							/* 4097 bytes */
	{ { { " ", HTTP_MAX_COOKIE + 1 } }, 400, 0 },	/* 4097 blanks */
	{ { { "c=1; ", HTTP_MAX_COOKIES - 1 }, { "c=1", 1 } }, 0,
	    HTTP_MAX_COOKIES },				/* 32 pairs */
	{ { { "c=1; ", HTTP_MAX_COOKIES }, { "c=1", 1 } }, 400, 0 },
							/* 33 pairs */
	{ { { "c=1; flag; ", HTTP_MAX_COOKIES } }, 0,
	    HTTP_MAX_COOKIES },				/* 32 + 32 skipped */
};

static void
test_cookies(void)
{
	struct kvlist	 l;
	size_t		 i, len;
	char		*s;
	int		 rc, pass;

	for (i = 0; i < NELEM(cookie_good); i++) {
		memset(&l, 0, sizeof(l));
		rc = http_parse_cookies(cookie_good[i].in, &l);
		pass = rc == HTTP_PARSE_OK;
		if (!pass)
			diag("  returned %d", rc);
		pass = pass && same_list(&l, cookie_good[i].want,
		    cookie_good[i].n, "cookies");
		ok(pass, "cookies %s", show(cookie_good[i].in,
		    strlen(cookie_good[i].in)));
		http_kv_free(&l);
	}

	for (i = 0; i < NELEM(cookie_bad); i++) {
		memset(&l, 0, sizeof(l));
		rc = http_parse_cookies(cookie_bad[i].in, &l);
		is_i64(rc, cookie_bad[i].want, "cookies %s is %d",
		    show(cookie_bad[i].in, strlen(cookie_bad[i].in)),
		    cookie_bad[i].want);
		ok(l.n == 0 && l.v == NULL, "cookies %s leaves the list empty",
		    show(cookie_bad[i].in, strlen(cookie_bad[i].in)));
		http_kv_free(&l);
	}

	for (i = 0; i < NELEM(cookie_gen); i++) {
		s = build(cookie_gen[i].p, &len);
		memset(&l, 0, sizeof(l));
		rc = http_parse_cookies(s, &l);
		is_i64(rc, cookie_gen[i].want, "cookies %s is %d",
		    show(s, len), cookie_gen[i].want);
		is_i64((int64_t)l.n, (int64_t)cookie_gen[i].n,
		    "cookies %s: %zu pairs", show(s, len), cookie_gen[i].n);
		http_kv_free(&l);
		free(s);
	}

	/*
	 * "On failure out is emptied": also pairs that were in it before,
	 * whichever limit failed.
	 */
	memset(&l, 0, sizeof(l));
	prefill(&l);
	rc = http_parse_cookies("a=1; =x", &l);
	ok(rc == 400 && l.n == 0 && l.v == NULL,
	    "cookies: an empty name empties a non-empty list");
	http_kv_free(&l);

	memset(&l, 0, sizeof(l));
	prefill(&l);
	s = build((const struct part[]){ { "c=1;", HTTP_MAX_COOKIES + 1 },
	    { NULL, 0 } }, NULL);
	rc = http_parse_cookies(s, &l);
	ok(rc == 400 && l.n == 0 && l.v == NULL,
	    "cookies: 33 pairs empty a non-empty list");
	http_kv_free(&l);
	free(s);

	/* An oversized header empties the list like the other failures. */
	memset(&l, 0, sizeof(l));
	prefill(&l);
	s = build((const struct part[]){ { "a=", 1 },
	    { "x", HTTP_MAX_COOKIE - 1 }, { NULL, 0 } }, NULL);
	rc = http_parse_cookies(s, &l);
	if (!ok(rc == 400 && l.n == 0 && l.v == NULL,
	    "cookies: 4097 bytes empty a non-empty list"))
		diag("  returned %d, %zu pairs left", rc, l.n);
	http_kv_free(&l);
	free(s);

	memset(&l, 0, sizeof(l));
	rc = http_parse_cookies("sid=abc; theme=dark; sid=def", &l);
	is_str(http_kv_get(&l, "sid"), "abc", "cookies: the first sid wins");
	is_i64((int64_t)http_kv_count(&l, "sid"), 2, "cookies: two sid");
	http_kv_free(&l);
}

/* ---------------------------------------------------------------- */
/* req_parse */

/* The getter: arg is an array of params ended by a NULL name. */
static const char *
getp(void *arg, const char *name)
{
	const struct param	*p;

	for (p = arg; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p->value;
	return NULL;
}

static const char *const	 field_name[F__MAX] = {
	"email", "password", "csrf", "next"
};

/*
 * Whether r's fields are exactly good (typed string values) and bad
 * (raw refused text), indexed by field id, NULL for absent; diagnostics
 * prefixed by what.
 */
static int
check_fields(const struct req *r, const char *const *good,
    const char *const *bad, const char *what)
{
	const struct field	*f;
	const char		*raw;
	int			 i, pass = 1;

	for (i = 0; i < F__MAX; i++) {
		f = req_field(r, (enum field_id)i);
		if (good[i] == NULL ? f != NULL : f == NULL ||
		    f->type != FIELD_STR || strcmp(f->u.s, good[i]) != 0) {
			diag("  %s: field %s is %s, want %s", what,
			    field_name[i], f == NULL ? "absent" : f->raw == NULL ?
			    "(no raw)" : show(f->raw, strlen(f->raw)),
			    good[i] == NULL ? "absent" :
			    show(good[i], strlen(good[i])));
			pass = 0;
		}
		raw = req_bad_raw(r, (enum field_id)i);
		if (bad[i] == NULL ? raw != NULL :
		    raw == NULL || strcmp(raw, bad[i]) != 0) {
			diag("  %s: bad %s is %s, want %s", what,
			    field_name[i], raw == NULL ? "absent" :
			    show(raw, strlen(raw)), bad[i] == NULL ?
			    "absent" : show(bad[i], strlen(bad[i])));
			pass = 0;
		}
	}
	return pass;
}

/* End-to-end requests: parameters and body in, fields out. */
static const struct {
	struct param	 env[8];
	const char	*body;		/* NULL: none */
	int		 status;
	const char	*good[F__MAX];	/* typed values wanted */
	const char	*bad[F__MAX];	/* refused raw text wanted */
} req_cases[] = {
	/* GET with next in the query string */
	{ { { "REQUEST_METHOD", "GET" }, { "QUERY_STRING", "next=/billing" } },
	  NULL, 0, { [F_NEXT] = "/billing" }, { NULL } },
	/* POST login form: escapes decoded before validation */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "email=ada%40example.com&password=s3cret+pw&csrf=" HEX64, 0,
	  { [F_EMAIL] = "ada@example.com", [F_PASSWORD] = "s3cret pw",
	    [F_CSRF] = HEX64 }, { NULL } },
	/* content type with a charset parameter */
	{ { { "REQUEST_METHOD", "POST" },
	    { "CONTENT_TYPE", FORM "; charset=UTF-8" } },
	  "csrf=" HEX64, 0, { [F_CSRF] = HEX64 }, { NULL } },
	/* query and body together, different fields */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM },
	    { "QUERY_STRING", "next=/billing/receipts" } },
	  "csrf=" HEX64, 0, { [F_CSRF] = HEX64, [F_NEXT] = "/billing/receipts" },
	  { NULL } },
	/* multipart body: not read */
	{ { { "REQUEST_METHOD", "POST" },
	    { "CONTENT_TYPE", "multipart/form-data; boundary=x" } },
	  "csrf=" HEX64, 0, { NULL }, { NULL } },
	/* text/plain body: not read */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", "text/plain" } },
	  "csrf=" HEX64, 0, { NULL }, { NULL } },
	/* no content type: body not read */
	{ { { "REQUEST_METHOD", "POST" } }, "csrf=" HEX64, 0, { NULL },
	  { NULL } },
	/* not-urlencoded body is not even checked: broken escape ignored */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", "text/plain" } },
	  "a=%zz", 0, { NULL }, { NULL } },
	/* csrf in the query counts for nothing: the body's is taken */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM },
	    { "QUERY_STRING", "csrf=" HEX64 } },
	  "csrf=" HEX64B, 0, { [F_CSRF] = HEX64B }, { NULL } },
	/* only in the query: no token at all */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM },
	    { "QUERY_STRING", "csrf=" HEX64 } },
	  "email=a%40example.com", 0, { [F_EMAIL] = "a@example.com" },
	  { NULL } },
	/* csrf twice in the body: repeated, refused, last raw kept */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "csrf=" HEX64 "&csrf=" HEX64B, 0, { NULL }, { [F_CSRF] = HEX64B } },
	/* email twice in the body */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "email=a%40example.com&email=b%40example.com", 0, { NULL },
	  { [F_EMAIL] = "b@example.com" } },
	/* next twice in the query, first invalid */
	{ { { "REQUEST_METHOD", "GET" },
	    { "QUERY_STRING", "next=//evil.test&next=/billing" } },
	  NULL, 0, { NULL }, { [F_NEXT] = "/billing" } },
	/* three times: still refused, other fields unaffected */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "next=/a&next=/b&csrf=" HEX64 "&next=/c", 0, { [F_CSRF] = HEX64 },
	  { [F_NEXT] = "/c" } },
	/* an invalid email: raw text kept */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "email=not+an+email&password=pw", 0, { [F_PASSWORD] = "pw" },
	  { [F_EMAIL] = "not an email" } },
	/* an open-redirect next is refused */
	{ { { "REQUEST_METHOD", "GET" },
	    { "QUERY_STRING", "next=%2F%2Fevil.test" } },
	  NULL, 0, { NULL }, { [F_NEXT] = "//evil.test" } },
	/* an empty csrf is present but bad */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "csrf=", 0, { NULL }, { [F_CSRF] = "" } },
	/* a bare csrf (no '=') in the body is present but bad */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "csrf", 0, { NULL }, { [F_CSRF] = "" } },
	/* and in a query, nothing at all */
	{ { { "REQUEST_METHOD", "GET" }, { "QUERY_STRING", "csrf" } },
	  NULL, 0, { NULL }, { NULL } },
	/* an upper-case token is refused */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "csrf=ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
	  0, { NULL },
	  { [F_CSRF] =
	    "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789" } },
	/* unknown fields and names differing in case are ignored */
	{ { { "REQUEST_METHOD", "GET" },
	    { "QUERY_STRING", "debug=1&Next=/x&next=/billing&NEXT=/y" } },
	  NULL, 0, { [F_NEXT] = "/billing" }, { NULL } },
	/* a broken escape in the query: 400, no fields */
	{ { { "REQUEST_METHOD", "GET" },
	    { "QUERY_STRING", "next=/billing&a=%zz" } },
	  NULL, 400, { NULL }, { NULL } },
	/* a broken body: 400, the good query gives no field either */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM },
	    { "QUERY_STRING", "next=/billing" } },
	  "csrf=%", 400, { NULL }, { NULL } },
	/* an empty name in the body: 400 */
	{ { { "REQUEST_METHOD", "POST" }, { "CONTENT_TYPE", FORM } },
	  "csrf=" HEX64 "&=x", 400, { NULL }, { NULL } },
	/* a bad cookie header: 400, no fields */
	{ { { "REQUEST_METHOD", "GET" }, { "QUERY_STRING", "next=/billing" },
	    { "HTTP_COOKIE", "sid=1; =x" } },
	  NULL, 400, { NULL }, { NULL } },
	/* a good cookie header changes nothing */
	{ { { "REQUEST_METHOD", "GET" }, { "QUERY_STRING", "next=/billing" },
	    { "HTTP_COOKIE", "sid=abc; next=/evil" } },
	  NULL, 0, { [F_NEXT] = "/billing" }, { NULL } },
	/* an empty query string */
	{ { { "REQUEST_METHOD", "GET" }, { "QUERY_STRING", "" } },
	  NULL, 0, { NULL }, { NULL } },
	/* no parameters at all */
	{ { { NULL, NULL } }, NULL, 0, { NULL }, { NULL } },
};

/* REQUEST_METHOD to enum method. */
static const struct {
	const char	*in;
	enum method	 want;
} method_cases[] = {
	{ "GET", M_GET },		/* read */
	{ "POST", M_POST },		/* write */
	{ "HEAD", M_HEAD },		/* headers only */
	{ "DELETE", M_DELETE },		/* delete */
	{ "PUT", M_OTHER },		/* not ours */
	{ "OPTIONS", M_OTHER },		/* not ours */
	{ "get", M_OTHER },		/* methods are case-sensitive */
	{ "GETX", M_OTHER },		/* a prefix is not enough */
	{ "GE", M_OTHER },		/* nor a truncation */
	{ "", M_OTHER },		/* empty */
	{ NULL, M_OTHER },		/* absent */
};

/* PATH_INFO, falling back to DOCUMENT_URI, then "/". */
static const struct {
	const char	*path_info;
	const char	*document_uri;
	const char	*want;
} path_cases[] = {
	{ "/billing", "/other", "/billing" },	/* PATH_INFO wins */
	{ "", "/billing", "/billing" },		/* empty: DOCUMENT_URI */
	{ NULL, "/billing", "/billing" },	/* absent: DOCUMENT_URI */
	{ NULL, NULL, "/" },			/* neither: the root */
	{ "", "", "/" },			/* both empty: the root */
	{ "/a b/\303\251", NULL, "/a b/\303\251" },	/* kept as given */
};

/* HTTPS parameter. */
static const struct {
	const char	*in;
	int		 want;
} https_cases[] = {
	{ "on", 1 },		/* nginx's value */
	{ "1", 1 },		/* any other non-empty value */
	{ "off", 0 },		/* explicitly off */
	{ "", 0 },		/* empty */
	{ NULL, 0 },		/* absent */
};

/* Size limits of the query string and body, at and over. */
static const struct {
	struct part	 query[4];	/* QUERY_STRING, or none */
	struct part	 body[4];	/* urlencoded body, or none */
	int		 status;
	const char	*next;		/* F_NEXT wanted */
} req_limit_cases[] = {
	{ { { "next=/billing&", 1 }, { "&", HTTP_MAX_QUERY - 14 } },
	  { { NULL, 0 } }, 0, "/billing" },		/* query 4096 bytes */
	{ { { "next=/billing&", 1 }, { "&", HTTP_MAX_QUERY - 13 } },
	  { { NULL, 0 } }, 413, NULL },			/* query 4097 bytes */
	{ { { "next=/billing", 1 } },
	  { { "&", HTTP_MAX_BODY } }, 0, "/billing" },	/* body 64 KB */
	{ { { "next=/billing", 1 } },
	  { { "&", HTTP_MAX_BODY + 1 } }, 413, NULL },	/* body 64 KB + 1 */
	{ { { "a=1&", 64 }, { "next=/billing", 1 } },
	  { { NULL, 0 } }, 413, NULL },			/* 65 query pairs */
	{ { { "next=/billing", 1 } },
	  { { "a=1&", 64 }, { "b=1", 1 } }, 413, NULL },	/* 65 body pairs */
	{ { { "next=/billing&", 1 }, { "a=1&", 63 } },
	  { { "a=1&", 63 }, { "b=1", 1 } }, 0, "/billing" },
				/* 64 query + 64 body pairs: limits apart */
};

static void
test_req(void)
{
	struct req	 r;
	struct param	 env[4];
	char		*q, *b;
	size_t		 i, blen;
	const char	*nothing[F__MAX] = { NULL }, *want[F__MAX];

	for (i = 0; i < NELEM(req_cases); i++) {
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, getp, (void *)(uintptr_t)req_cases[i].env,
		    req_cases[i].body, req_cases[i].body == NULL ? 0 :
		    strlen(req_cases[i].body));
		is_i64(r.parse_status, req_cases[i].status,
		    "req %zu: parse_status %d", i, req_cases[i].status);
		ok(check_fields(&r, req_cases[i].good, req_cases[i].bad,
		    "req"), "req %zu: fields and refused fields", i);
		req_free(&r);
	}

	for (i = 0; i < NELEM(method_cases); i++) {
		env[0].name = "REQUEST_METHOD";
		env[0].value = method_cases[i].in;
		env[1].name = NULL;
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, getp, env, NULL, 0);
		is_i64(r.method, method_cases[i].want, "method %s",
		    method_cases[i].in == NULL ? "(absent)" :
		    show(method_cases[i].in, strlen(method_cases[i].in)));
		req_free(&r);
	}

	for (i = 0; i < NELEM(path_cases); i++) {
		env[0].name = "PATH_INFO";
		env[0].value = path_cases[i].path_info;
		env[1].name = "DOCUMENT_URI";
		env[1].value = path_cases[i].document_uri;
		env[2].name = NULL;
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, getp, env, NULL, 0);
		is_str(r.path, path_cases[i].want,
		    "path: PATH_INFO %s, DOCUMENT_URI %s",
		    path_cases[i].path_info == NULL ? "absent" :
		    show(path_cases[i].path_info,
		    strlen(path_cases[i].path_info)),
		    path_cases[i].document_uri == NULL ? "absent" :
		    show(path_cases[i].document_uri,
		    strlen(path_cases[i].document_uri)));
		req_free(&r);
	}

	for (i = 0; i < NELEM(https_cases); i++) {
		env[0].name = "HTTPS";
		env[0].value = https_cases[i].in;
		env[1].name = NULL;
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, getp, env, NULL, 0);
		is_i64(r.https, https_cases[i].want, "https %s",
		    https_cases[i].in == NULL ? "(absent)" :
		    show(https_cases[i].in, strlen(https_cases[i].in)));
		req_free(&r);
	}

	/* REMOTE_ADDR borrowed, or "" when absent; cookies readable. */
	env[0].name = "REMOTE_ADDR";
	env[0].value = "192.0.2.7";
	env[1].name = "HTTP_COOKIE";
	env[1].value = "sid=abc; theme=\"dark\"";
	env[2].name = NULL;
	req_init(&r, NULL, NULL, 0);
	req_parse(&r, getp, env, NULL, 0);
	is_str(r.remote_addr, "192.0.2.7", "remote_addr from the params");
	is_str(req_cookie(&r, "sid"), "abc", "req_cookie sid");
	is_str(req_cookie(&r, "theme"), "dark", "req_cookie unquotes");
	is_str(req_cookie(&r, "none"), NULL, "req_cookie absent");
	req_free(&r);
	env[0].name = NULL;
	req_init(&r, NULL, NULL, 0);
	req_parse(&r, getp, env, NULL, 0);
	is_str(r.remote_addr, "", "remote_addr absent is empty");
	is_str(r.path, "/", "no parameters: path is /");
	is_i64(r.method, M_OTHER, "no parameters: method is M_OTHER");
	req_free(&r);

	/* A bad cookie header with a valid query: 400, nothing typed. */
	b = build((const struct part[]){ { "a=", 1 },
	    { "x", HTTP_MAX_COOKIE - 1 }, { NULL, 0 } }, NULL);
	env[0].name = "HTTP_COOKIE";
	env[0].value = b;
	env[1].name = "QUERY_STRING";
	env[1].value = "next=/billing";
	env[2].name = NULL;
	req_init(&r, NULL, NULL, 0);
	req_parse(&r, getp, env, NULL, 0);
	is_i64(r.parse_status, 400, "a 4097-byte cookie header is 400");
	ok(check_fields(&r, nothing, nothing, "cookie 4097"),
	    "a 4097-byte cookie header leaves no field");
	req_free(&r);
	free(b);

	for (i = 0; i < NELEM(req_limit_cases); i++) {
		q = req_limit_cases[i].query[0].s == NULL ? NULL :
		    build(req_limit_cases[i].query, NULL);
		b = req_limit_cases[i].body[0].s == NULL ? NULL :
		    build(req_limit_cases[i].body, &blen);
		env[0].name = "REQUEST_METHOD";
		env[0].value = "POST";
		env[1].name = "CONTENT_TYPE";
		env[1].value = FORM;
		env[2].name = q == NULL ? NULL : "QUERY_STRING";
		env[2].value = q;
		env[3].name = NULL;
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, getp, env, b, b == NULL ? 0 : blen);
		is_i64(r.parse_status, req_limit_cases[i].status,
		    "limits %zu: query %zu bytes, body %zu bytes: %d", i,
		    q == NULL ? 0 : strlen(q), b == NULL ? 0 : blen,
		    req_limit_cases[i].status);
		memset(want, 0, sizeof(want));
		want[F_NEXT] = req_limit_cases[i].next;
		ok(check_fields(&r, want, nothing, "limits"),
		    "limits %zu: fields", i);
		req_free(&r);
		free(q);
		free(b);
	}
}

/* ---------------------------------------------------------------- */
/* Robustness: random input to both parsers. */

static uint64_t	 lcg = UINT64_C(0x5eed2026);

/* The next number of a fixed-seed 64-bit LCG (Knuth's MMIX constants). */
static uint32_t
rnd(void)
{
	lcg = lcg * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return (uint32_t)(lcg >> 33);
}

static int
hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Reference decoding of n bytes of s into out (n + 1 bytes): '+' a
 * space, %XX a byte.  *broken is set for a malformed escape, a NUL byte
 * raw or escaped; a broken '%' counts as one byte in *outlen.
 */
static void
ref_decode(const char *s, size_t n, char *out, size_t *outlen, int *broken)
{
	size_t	 i, o = 0;
	int	 hi, lo;

	*broken = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexdig((unsigned char)s[i + 1])) != -1 &&
		    (lo = hexdig((unsigned char)s[i + 2])) != -1) {
			if ((out[o++] = (char)(hi << 4 | lo)) == '\0')
				*broken = 1;
			i += 2;
		} else if (s[i] == '%' || s[i] == '\0') {
			*broken = 1;
			out[o++] = '?';
		} else
			out[o++] = s[i] == '+' ? ' ' : s[i];
	}
	out[o] = '\0';
	*outlen = o;
}

#define R400	0x1	/* a reason for 400 exists */
#define R413	0x2	/* a reason for 413 exists */

/*
 * Whether http_parse_urlencoded's answer rc and list l over len bytes of
 * s are right: on success, exactly the reference pairs (so every key is
 * non-empty and NUL-free, within limits); on failure, an empty list and
 * a status for which the input has a reason.
 */
static int
url_oracle(const char *s, size_t len, int rc, const struct kvlist *l)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	char		*k, *v;
	size_t		 np = 0, kn, vn;
	int		 reasons = 0, match = 1, kb, vb;

	if ((k = malloc(len + 1)) == NULL || (v = malloc(len + 1)) == NULL)
		abort();
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (eq == p)
			reasons |= R400;
		ref_decode(p, (size_t)(eq - p), k, &kn, &kb);
		if (eq == amp) {
			vn = 0;
			vb = 0;
			v[0] = '\0';
		} else
			ref_decode(eq + 1, (size_t)(amp - eq - 1), v, &vn, &vb);
		if (kb || vb)
			reasons |= R400;
		if (kn > HTTP_MAX_NAME || vn > HTTP_MAX_VALUE)
			reasons |= R413;
		if (rc == HTTP_PARSE_OK && np < l->n &&
		    (l->v[np].key == NULL || l->v[np].val == NULL ||
		    strlen(l->v[np].key) != kn || strlen(l->v[np].val) != vn ||
		    memcmp(l->v[np].key, k, kn) != 0 ||
		    memcmp(l->v[np].val, v, vn) != 0))
			match = 0;
		np++;
		p = amp;
	}
	free(k);
	free(v);
	if (np > HTTP_MAX_FIELDS)
		reasons |= R413;
	if (rc == HTTP_PARSE_OK)
		return reasons == 0 && match && np == l->n;
	if (l->n != 0 || l->v != NULL)
		return 0;
	return (rc == HTTP_BAD_REQUEST && (reasons & R400)) ||
	    (rc == HTTP_PAYLOAD_TOO_LARGE && (reasons & R413));
}

/*
 * Whether http_parse_cookies's answer rc and list l over s are right:
 * each ';'-separated piece with an '=' is one pair, name and value
 * trimmed of blanks, one pair of quotes off the value; a blank or
 * too-long name, too many pairs or too many bytes is a 400 with an
 * empty list.
 */
static int
cookie_oracle(const char *s, int rc, const struct kvlist *l)
{
	const char	*a = s, *b, *eq, *ks, *ke, *vs, *ve;
	size_t		 np = 0;
	int		 bad = strlen(s) > HTTP_MAX_COOKIE, match = 1;

	for (; *a != '\0'; a = *b == '\0' ? b : b + 1) {
		if ((b = strchr(a, ';')) == NULL)
			b = a + strlen(a);
		if ((eq = memchr(a, '=', (size_t)(b - a))) == NULL)
			continue;
		for (ks = a; ks < eq && (*ks == ' ' || *ks == '\t'); ks++)
			continue;
		for (ke = eq; ke > ks && (ke[-1] == ' ' || ke[-1] == '\t');
		    ke--)
			continue;
		for (vs = eq + 1; vs < b && (*vs == ' ' || *vs == '\t'); vs++)
			continue;
		for (ve = b; ve > vs && (ve[-1] == ' ' || ve[-1] == '\t');
		    ve--)
			continue;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (ke == ks || ke - ks > HTTP_MAX_NAME)
			bad = 1;
		if (rc == HTTP_PARSE_OK && np < l->n &&
		    (strlen(l->v[np].key) != (size_t)(ke - ks) ||
		    memcmp(l->v[np].key, ks, (size_t)(ke - ks)) != 0 ||
		    strlen(l->v[np].val) != (size_t)(ve - vs) ||
		    memcmp(l->v[np].val, vs, (size_t)(ve - vs)) != 0))
			match = 0;
		np++;
	}
	if (np > HTTP_MAX_COOKIES)
		bad = 1;
	if (rc == HTTP_PARSE_OK)
		return !bad && match && np == l->n;
	return rc == HTTP_BAD_REQUEST && bad && l->n == 0 && l->v == NULL;
}

static void
test_fuzz(void)
{
	/*
	 * Alphabets: rich in the special bytes, in '&' (many pairs), in
	 * name bytes (long names); and whole well-formed tokens, so that
	 * successes are frequent too.
	 */
	static const char	 rich[] = "%&=+;\" \t0123456789abcdefABCDEFgz"
				    "\0\200\303\251\377";
	static const char	 amps[] = "a&";
	static const char	 names[] = "nN+1";
	static const char *const tokens[] = { "a", "b", "=", "&", "&", "+",
				    "%41", "%c3%A9", "%26", "%3D", " ", ";",
				    "\"", "\303\251", NULL };
	static const struct {
		const char	*set;
		size_t		 n;
	} alpha[] = {
		{ rich, sizeof(rich) - 1 },	/* everything special */
		{ rich, sizeof(rich) - 1 },	/* (twice as often) */
		{ amps, sizeof(amps) - 1 },	/* many pairs: 413 */
		{ names, sizeof(names) - 1 },	/* long names: 413 */
		{ NULL, 0 },			/* tokens */
		{ NULL, 0 },			/* (twice as often) */
	};
	struct kvlist	 l;
	struct req	 r;
	struct param	 env[5];
	char		 in[FUZZ_MAXLEN + 1], cs[FUZZ_MAXLEN + 1];
	size_t		 len, i, a, j;
	int		 rc, url_fail = 0, ck_fail = 0, req_fail = 0;
	int		 url_seen[3] = { 0 }, ck_seen[2] = { 0 };
	const struct field *f;
	const char	*t;

	for (i = 0; i < FUZZ_ROUNDS; i++) {
		a = rnd() % NELEM(alpha);
		len = rnd() % (FUZZ_MAXLEN + 1);
		for (j = 0; j < len && alpha[a].set != NULL; j++)
			in[j] = alpha[a].set[rnd() % alpha[a].n];
		while (j < len) {
			t = tokens[rnd() % (NELEM(tokens) - 1)];
			for (; *t != '\0' && j < len; t++)
				in[j++] = *t;
		}
		in[len] = '\0';

		memset(&l, 0, sizeof(l));
		rc = http_parse_urlencoded(in, len, &l);
		url_seen[rc == 0 ? 0 : rc == 400 ? 1 : 2]++;
		if ((rc != 0 && rc != 400 && rc != 413) ||
		    !url_oracle(in, len, rc, &l)) {
			if (url_fail++ < 3)
				diag("  urlencoded %s: %d, %zu pairs",
				    show(in, len), rc, l.n);
		}
		http_kv_free(&l);

		/* The cookie header is a C string: NULs become 'x'. */
		for (j = 0; j <= len; j++)
			cs[j] = j < len && in[j] == '\0' ? 'x' : in[j];
		memset(&l, 0, sizeof(l));
		rc = http_parse_cookies(cs, &l);
		ck_seen[rc == 0 ? 0 : 1]++;
		if ((rc != 0 && rc != 400) || !cookie_oracle(cs, rc, &l)) {
			if (ck_fail++ < 3)
				diag("  cookies %s: %d, %zu pairs",
				    show(cs, len), rc, l.n);
		}
		http_kv_free(&l);

		if (i % FUZZ_REQ_EVERY != 0)
			continue;
		env[0].name = "REQUEST_METHOD";
		env[0].value = "POST";
		env[1].name = "CONTENT_TYPE";
		env[1].value = FORM;
		env[2].name = "QUERY_STRING";
		env[2].value = cs;
		env[3].name = "HTTP_COOKIE";
		env[3].value = cs;
		env[4].name = NULL;
		req_init(&r, NULL, NULL, 0);
		req_parse(&r, getp, env, in, len);
		rc = r.parse_status;
		if (rc != 0 && rc != 400 && rc != 413)
			req_fail++;
		for (j = 0; j < F__MAX; j++) {
			f = req_field(&r, (enum field_id)j);
			if (f != NULL && (rc != 0 || f->raw == NULL ||
			    req_bad_raw(&r, (enum field_id)j) != NULL))
				req_fail++;
		}
		req_free(&r);
	}
	diag("urlencoded: %d ok, %d x 400, %d x 413; cookies: %d ok, %d x 400",
	    url_seen[0], url_seen[1], url_seen[2], ck_seen[0], ck_seen[1]);
	is_i64(url_fail, 0, "urlencoded: %d random inputs answered right",
	    FUZZ_ROUNDS);
	ok(url_seen[0] > 0 && url_seen[1] > 0 && url_seen[2] > 0,
	    "urlencoded: the random inputs reach 0, 400 and 413");
	is_i64(ck_fail, 0, "cookies: %d random inputs answered right",
	    FUZZ_ROUNDS);
	ok(ck_seen[0] > 0 && ck_seen[1] > 0,
	    "cookies: the random inputs reach 0 and 400");
	is_i64(req_fail, 0, "req_parse: %d random requests consistent",
	    FUZZ_ROUNDS / FUZZ_REQ_EVERY);
}

/*
 * The route table's one wildcard: '*' is one or more characters of a
 * single path segment, so an empty document number or sensor id, or a
 * path that goes a segment deeper, is no route (404), and a path that
 * another method takes is told apart (405).
 */
static void
test_routes(void)
{
	static const struct {
		const char	*path;
		unsigned	 m;
		int		 found;
		unsigned	 allowed;
	} t[] = {
		{ "/billing/receipts/INV-2026-000001.pdf", M_GET, 1, M_GET },
		{ "/billing/receipts/.pdf", M_GET, 0, 0 },
		{ "/billing/receipts/a/b.pdf", M_GET, 0, 0 },
		{ "/billing/receipts/x.pdf/", M_GET, 0, 0 },
		{ "/billing/receipts/x.PDF", M_GET, 0, 0 },
		{ "/billing/receipts.pdf", M_GET, 0, 0 },
		{ "/billing/receipts/x.pdf", M_POST, 0, M_GET },
		{ "/api/v1/sensors/T-0042", M_DELETE, 1, M_DELETE },
		{ "/api/v1/sensors/", M_DELETE, 0, 0 },
		{ "/api/v1/sensors/T-0042", M_GET, 0, M_DELETE },
		{ "/api/v1/sensors", M_POST, 1, M_POST },
		{ "/billing/plan", M_POST, 1, M_GET | M_POST },
		{ "/billing/plan/", M_GET, 0, 0 },
		{ "/billing", M_DELETE, 0, M_GET },
	};
	const struct route	*rt;
	unsigned		 allowed;
	size_t			 i;

	for (i = 0; i < NELEM(t); i++) {
		rt = route_find(t[i].path, t[i].m, &allowed);
		is_i64(rt != NULL, t[i].found, "route %s: %s", t[i].path,
		    t[i].found ? "found" : "none");
		is_i64(allowed, t[i].allowed, "route %s: the methods it takes",
		    t[i].path);
	}
}

int
main(void)
{
	test_urlencoded();
	test_cookies();
	test_req();
	test_routes();
	test_fuzz();
	return tap_done();
}
