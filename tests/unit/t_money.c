/* t_money.c: unit tests of money.c: rounding, proration, overflow, display. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "tap.h"
#include "util.h"

/* An out-parameter holds this before each call; failures must keep it. */
#define UNSET		INT64_C(0x5eed5eed5eed)

#define DAY		INT64_C(86400)
#define MONTH30		(30 * DAY)		/* a 30-day billing period */
#define HALF30		(MONTH30 / 2)		/* exactly halfway through it */
#define P62		(INT64_C(1) << 62)
#define THIRD64		INT64_C(6148914691236517205)	/* (2^64 - 1) / 3 */

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

static int	check(int, const int64_t *, int, int64_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
static int	check_str(int, const char *, int, const char *,
		    const char *, ...)
		    __attribute__((format(printf, 5, 6)));

/*
 * One TAP line for a call that returned rc and left *got in its
 * out-parameter: passes if rc is want_rc and *got is want, or, when
 * want_rc is a failure, if *got is still UNSET (out untouched).
 * got is a pointer so that check(money_x(..., &v), &v, ...) reads v
 * after the call, whatever the order of argument evaluation.
 */
static int
check(int rc, const int64_t *got, int want_rc, int64_t want,
    const char *fmt, ...)
{
	char	 desc[256];
	va_list	 ap;
	int	 pass;

	if (want_rc != MONEY_OK)
		want = UNSET;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	pass = rc == want_rc && *got == want;
	if (!ok(pass, "%s", desc)) {
		diag("  rc:   %d (%s), want %d (%s)", rc, money_strerror(rc),
		    want_rc, money_strerror(want_rc));
		diag("  got:  %" PRId64 ", want %" PRId64, *got, want);
	}
	return pass;
}

/*
 * As check, for a formatting call: on failure the buffer must hold "".
 */
static int
check_str(int rc, const char *got, int want_rc, const char *want,
    const char *fmt, ...)
{
	char	 desc[256];
	va_list	 ap;
	int	 pass;

	if (want_rc != MONEY_OK)
		want = "";
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	pass = rc == want_rc && strcmp(got, want) == 0;
	if (!ok(pass, "%s", desc)) {
		diag("  rc:   %d (%s), want %d (%s)", rc, money_strerror(rc),
		    want_rc, money_strerror(want_rc));
		diag("  got:  \"%s\", want \"%s\"", got, want);
	}
	return pass;
}

/* ---- currencies ------------------------------------------------------- */

static const struct {
	const char	*code;
	const char	*symbol;	/* NULL: unknown code */
	int		 exponent;
} cur_cases[] = {
	{ "USD",	"$",	2 },	/* required */
	{ "EUR",	"€",	2 },	/* required, UTF-8 symbol */
	{ "GBP",	"£",	2 },	/* required, UTF-8 symbol */
	{ "CHF",	"CHF",	2 },	/* letter symbol */
	{ "SEK",	"SEK",	2 },	/* letter symbol */
	{ "NOK",	"NOK",	2 },	/* letter symbol */
	{ "DKK",	"DKK",	2 },	/* letter symbol */
	{ "PLN",	"PLN",	2 },	/* letter symbol */
	{ "JPY",	"¥",	0 },	/* no minor unit */
	{ "XYZ",	NULL,	0 },	/* well-formed but unknown */
	{ "usd",	NULL,	0 },	/* codes are upper case */
	{ "US",		NULL,	0 },	/* too short */
	{ "USDX",	NULL,	0 },	/* too long */
	{ "",		NULL,	0 },	/* empty */
	{ NULL,		NULL,	0 },	/* no code at all */
};

static void
test_currency(void)
{
	const struct currency	*c;
	size_t			 i;

	for (i = 0; i < sizeof(cur_cases) / sizeof(cur_cases[0]); i++) {
		c = money_currency(cur_cases[i].code);
		if (cur_cases[i].symbol == NULL) {
			ok(c == NULL, "money_currency(%s%s%s) is NULL",
			    cur_cases[i].code ? "\"" : "",
			    cur_cases[i].code ? cur_cases[i].code : "NULL",
			    cur_cases[i].code ? "\"" : "");
			continue;
		}
		ok(c != NULL && strcmp(c->code, cur_cases[i].code) == 0 &&
		    strcmp(c->symbol, cur_cases[i].symbol) == 0 &&
		    c->exponent == cur_cases[i].exponent,
		    "money_currency(\"%s\"): symbol %s, exponent %d",
		    cur_cases[i].code, cur_cases[i].symbol,
		    cur_cases[i].exponent);
	}
}

/* ---- add, sub, neg, mul ----------------------------------------------- */

static const struct {
	int64_t	 a, b;
	int	 rc;
	int64_t	 want;
} add_cases[] = {
	{ 0, 0,			MONEY_OK,	0 },		/* zero */
	{ 1, 0,			MONEY_OK,	1 },		/* one cent */
	{ -5, 3,		MONEY_OK,	-2 },		/* signs mix */
	{ INT64_MAX, 0,		MONEY_OK,	INT64_MAX },	/* max stays */
	{ INT64_MAX, 1,		MONEY_EOVERFLOW, 0 },		/* max + 1 */
	{ 1, INT64_MAX,		MONEY_EOVERFLOW, 0 },		/* 1 + max */
	{ INT64_MIN, -1,	MONEY_EOVERFLOW, 0 },		/* min - 1 */
	{ INT64_MIN, INT64_MAX,	MONEY_OK,	-1 },		/* extremes */
	{ INT64_MIN, 0,		MONEY_OK,	INT64_MIN },	/* min stays */
}, sub_cases[] = {
	{ 0, 0,			MONEY_OK,	0 },		/* zero */
	{ 1, 0,			MONEY_OK,	1 },		/* one cent */
	{ 5, 7,			MONEY_OK,	-2 },		/* below 0 */
	{ 0, INT64_MIN,		MONEY_EOVERFLOW, 0 },		/* -min */
	{ INT64_MIN, 1,		MONEY_EOVERFLOW, 0 },		/* min - 1 */
	{ INT64_MAX, -1,	MONEY_EOVERFLOW, 0 },		/* max + 1 */
	{ -1, INT64_MAX,	MONEY_OK,	INT64_MIN },	/* to min */
	{ INT64_MAX, INT64_MAX,	MONEY_OK,	0 },		/* max - max */
}, mul_cases[] = {
	{ 0, INT64_MAX,		MONEY_OK,	0 },		/* zero */
	{ 1, 1,			MONEY_OK,	1 },		/* one cent */
	{ 500, 10,		MONEY_OK,	5000 },		/* 10 sensors */
	{ -500, 2,		MONEY_OK,	-1000 },	/* a credit */
	{ INT64_MAX, 1,		MONEY_OK,	INT64_MAX },	/* max × 1 */
	{ INT64_MAX, 2,		MONEY_EOVERFLOW, 0 },		/* max × 2 */
	{ INT64_MIN, 1,		MONEY_OK,	INT64_MIN },	/* min × 1 */
	{ INT64_MIN, -1,	MONEY_EOVERFLOW, 0 },		/* -min */
	{ INT64_C(4294967296), INT64_C(2147483648),
				MONEY_EOVERFLOW, 0 },		/* 2^63 */
	{ INT64_C(3037000499), INT64_C(3037000499),
				MONEY_OK, INT64_C(9223372030926249001) },
								/* fits */
}, neg_cases[] = {					/* b unused */
	{ 0, 0,			MONEY_OK,	0 },		/* zero */
	{ 1, 0,			MONEY_OK,	-1 },		/* one cent */
	{ -500, 0,		MONEY_OK,	500 },		/* back */
	{ INT64_MAX, 0,		MONEY_OK,	-INT64_MAX },	/* max */
	{ INT64_MIN, 0,		MONEY_EOVERFLOW, 0 },		/* no -min */
};

static void
test_arith(void)
{
	int64_t	 got;
	size_t	 i;

	for (i = 0; i < sizeof(add_cases) / sizeof(add_cases[0]); i++) {
		got = UNSET;
		check(money_add(add_cases[i].a, add_cases[i].b, &got), &got,
		    add_cases[i].rc, add_cases[i].want,
		    "money_add(%" PRId64 ", %" PRId64 ")",
		    add_cases[i].a, add_cases[i].b);
	}
	for (i = 0; i < sizeof(sub_cases) / sizeof(sub_cases[0]); i++) {
		got = UNSET;
		check(money_sub(sub_cases[i].a, sub_cases[i].b, &got), &got,
		    sub_cases[i].rc, sub_cases[i].want,
		    "money_sub(%" PRId64 ", %" PRId64 ")",
		    sub_cases[i].a, sub_cases[i].b);
	}
	for (i = 0; i < sizeof(mul_cases) / sizeof(mul_cases[0]); i++) {
		got = UNSET;
		check(money_mul(mul_cases[i].a, mul_cases[i].b, &got), &got,
		    mul_cases[i].rc, mul_cases[i].want,
		    "money_mul(%" PRId64 ", %" PRId64 ")",
		    mul_cases[i].a, mul_cases[i].b);
	}
	for (i = 0; i < sizeof(neg_cases) / sizeof(neg_cases[0]); i++) {
		got = UNSET;
		check(money_neg(neg_cases[i].a, &got), &got,
		    neg_cases[i].rc, neg_cases[i].want,
		    "money_neg(%" PRId64 ")", neg_cases[i].a);
	}
}

/* ---- struct money ----------------------------------------------------- */

static const struct {
	char		 op;		/* '+' money_add_m, '-' money_sub_m */
	struct money	 a, b;
	int		 rc;
	struct money	 want;
} m_cases[] = {
	{ '+', { 100, "USD" }, { 50, "USD" },
	    MONEY_OK, { 150, "USD" } },		/* same currency */
	{ '+', { 0, "EUR" }, { 0, "EUR" },
	    MONEY_OK, { 0, "EUR" } },		/* zero */
	{ '-', { 100, "USD" }, { 250, "USD" },
	    MONEY_OK, { -150, "USD" } },	/* below 0 */
	{ '-', { 1, "JPY" }, { 1, "JPY" },
	    MONEY_OK, { 0, "JPY" } },		/* exponent 0 */
	{ '+', { INT64_MIN, "GBP" }, { INT64_MAX, "GBP" },
	    MONEY_OK, { -1, "GBP" } },		/* extremes */
	{ '+', { 100, "USD" }, { 100, "EUR" },
	    MONEY_ECURRENCY, { 0, "" } },	/* mismatch, no conversion */
	{ '-', { 1, "GBP" }, { 1, "JPY" },
	    MONEY_ECURRENCY, { 0, "" } },	/* mismatch on sub */
	{ '+', { 0, "USD" }, { 0, "usd" },
	    MONEY_ECURRENCY, { 0, "" } },	/* case matters */
	{ '+', { 1, "XYZ" }, { 1, "XYZ" },
	    MONEY_ECURRENCY, { 0, "" } },	/* equal but unknown */
	{ '+', { 1, "" }, { 1, "" },
	    MONEY_ECURRENCY, { 0, "" } },	/* no currency */
	{ '+', { 1, { 'U', 'S', 'D', 'X' } }, { 1, "USD" },
	    MONEY_ECURRENCY, { 0, "" } },	/* code not NUL-terminated */
	{ '+', { INT64_MAX, "USD" }, { 1, "USD" },
	    MONEY_EOVERFLOW, { 0, "" } },	/* overflow */
	{ '-', { INT64_MIN, "USD" }, { 1, "USD" },
	    MONEY_EOVERFLOW, { 0, "" } },	/* underflow */
};

static void
test_money_m(void)
{
	struct money	 out, x;
	size_t		 i;
	int		 rc, pass;

	for (i = 0; i < sizeof(m_cases) / sizeof(m_cases[0]); i++) {
		out.amount = UNSET;
		memcpy(out.cur, "---", sizeof(out.cur));
		if (m_cases[i].op == '+')
			rc = money_add_m(&m_cases[i].a, &m_cases[i].b, &out);
		else
			rc = money_sub_m(&m_cases[i].a, &m_cases[i].b, &out);
		if (m_cases[i].rc == MONEY_OK)
			pass = rc == MONEY_OK &&
			    out.amount == m_cases[i].want.amount &&
			    strcmp(out.cur, m_cases[i].want.cur) == 0;
		else
			pass = rc == m_cases[i].rc && out.amount == UNSET &&
			    strcmp(out.cur, "---") == 0;
		if (!ok(pass, "money_%s_m row %zu: %s",
		    m_cases[i].op == '+' ? "add" : "sub", i,
		    money_strerror(m_cases[i].rc)))
			diag("  rc %d, got %" PRId64 " %.4s", rc, out.amount,
			    out.cur);
	}

	/* out may be one of the inputs. */
	x.amount = 250;
	memcpy(x.cur, "EUR", sizeof(x.cur));
	rc = money_add_m(&x, &x, &x);
	ok(rc == MONEY_OK && x.amount == 500 && strcmp(x.cur, "EUR") == 0,
	    "money_add_m with out aliasing both inputs");
}

/* ---- the rounding function -------------------------------------------- */

static const struct {
	int64_t	 num, den;
	int	 rc;
	int64_t	 want;
} div_cases[] = {
	{ 0, 5,			MONEY_OK,	0 },	/* zero */
	{ 7, 1,			MONEY_OK,	7 },	/* den 1 is exact */
	{ 1, 2,			MONEY_OK,	1 },	/* +0.5 tie: away */
	{ -1, 2,		MONEY_OK,	-1 },	/* -0.5 tie: away */
	{ 3, 2,			MONEY_OK,	2 },	/* +1.5 tie */
	{ -3, 2,		MONEY_OK,	-2 },	/* -1.5 tie */
	{ 5, 2,			MONEY_OK,	3 },	/* +2.5 tie: not even */
	{ -5, 2,		MONEY_OK,	-3 },	/* -2.5 tie: not even */
	{ 15, 10,		MONEY_OK,	2 },	/* +1.5 tie, den 10 */
	{ -15, 10,		MONEY_OK,	-2 },	/* -1.5 tie, den 10 */
	{ 25, 10,		MONEY_OK,	3 },	/* +2.5 tie, den 10 */
	{ -25, 10,		MONEY_OK,	-3 },	/* -2.5 tie, den 10 */
	{ 24, 10,		MONEY_OK,	2 },	/* +2.4 down */
	{ -24, 10,		MONEY_OK,	-2 },	/* -2.4 toward 0 */
	{ 26, 10,		MONEY_OK,	3 },	/* +2.6 up */
	{ -26, 10,		MONEY_OK,	-3 },	/* -2.6 away */
	{ 1, 3,			MONEY_OK,	0 },	/* +0.33 */
	{ -1, 3,		MONEY_OK,	0 },	/* -0.33 */
	{ 2, 3,			MONEY_OK,	1 },	/* +0.67 */
	{ -2, 3,		MONEY_OK,	-1 },	/* -0.67 */
	{ 4999, 10000,		MONEY_OK,	0 },	/* just under the tie */
	{ 5000, 10000,		MONEY_OK,	1 },	/* the tie */
	{ -5000, 10000,		MONEY_OK,	-1 },	/* the negative tie */
	{ INT64_MAX, 1,		MONEY_OK,	INT64_MAX },	/* max */
	{ INT64_MIN, 1,		MONEY_OK,	INT64_MIN },	/* min */
	{ INT64_MAX, 2,		MONEY_OK,
	    INT64_C(4611686018427387904) },		/* max/2 tie */
	{ INT64_MIN, 2,		MONEY_OK,
	    INT64_C(-4611686018427387904) },		/* min/2 exact */
	{ INT64_MIN + 1, 2,	MONEY_OK,
	    INT64_C(-4611686018427387904) },		/* (min+1)/2 tie */
	{ INT64_MAX, 3,		MONEY_OK,
	    INT64_C(3074457345618258602) },		/* max/3 down */
	{ INT64_MAX, INT64_MAX,	MONEY_OK,	1 },	/* max/max */
	{ INT64_MIN, INT64_MAX,	MONEY_OK,	-1 },	/* min/max */
	{ 1, 0,			MONEY_EINVAL,	0 },	/* den 0 */
	{ 1, -2,		MONEY_EINVAL,	0 },	/* den negative */
	{ INT64_MIN, -1,	MONEY_EINVAL,	0 },	/* den negative */
};

static void
test_div(void)
{
	int64_t	 got;
	size_t	 i;

	for (i = 0; i < sizeof(div_cases) / sizeof(div_cases[0]); i++) {
		got = UNSET;
		check(money_div_half_up(div_cases[i].num, div_cases[i].den,
		    &got), &got, div_cases[i].rc, div_cases[i].want,
		    "money_div_half_up(%" PRId64 ", %" PRId64 ")",
		    div_cases[i].num, div_cases[i].den);
	}
}

/* ---- proration -------------------------------------------------------- */

static const struct {
	int64_t	 amount, rem, per;
	int	 rc;
	int64_t	 want;
} prorate_cases[] = {
	{ 0, 50, 100,		MONEY_OK,	0 },	/* zero */
	{ 1, 1, 1,		MONEY_OK,	1 },	/* one cent, full */
	{ 1, 1, 2,		MONEY_OK,	1 },	/* 0.5 tie up */
	{ 1, 1, 3,		MONEY_OK,	0 },	/* 0.33 down */
	{ 1, 2, 3,		MONEY_OK,	1 },	/* 0.67 up */
	{ 3, 1, 2,		MONEY_OK,	2 },	/* 1.5 tie up */
	{ 5, 1, 2,		MONEY_OK,	3 },	/* 2.5 tie, not even */
	{ 2, 1, 4,		MONEY_OK,	1 },	/* 0.5 tie, quarter */
	{ 10, 1, 4,		MONEY_OK,	3 },	/* 2.5 tie, quarter */
	{ 999, 1, 1000,		MONEY_OK,	1 },	/* 0.999 up */
	{ 6000, HALF30, MONTH30, MONEY_OK,	3000 },	/* help: standard */
	{ 13000, HALF30, MONTH30, MONEY_OK,	6500 },	/* help: premium */
	{ 6000, DAY, MONTH30,	MONEY_OK,	200 },	/* one day left */
	{ 1000, 0, 100,		MONEY_OK,	0 },	/* nothing left */
	{ 1000, 100, 100,	MONEY_OK,	1000 },	/* all left */
	{ INT64_MAX, MONTH30, MONTH30, MONEY_OK, INT64_MAX },	/* max, full */
	{ INT64_MAX, 1, 2,	MONEY_OK,
	    INT64_C(4611686018427387904) },		/* max, tie */
	{ INT64_MAX, INT64_MAX - 1, INT64_MAX, MONEY_OK,
	    INT64_MAX - 1 },		/* needs 128 bits, exact */
	{ INT64_MAX, 1, INT64_MAX, MONEY_OK, 1 },	/* tiny share of max */
	{ 1, 1, INT64_MAX,	MONEY_OK,	0 },	/* tiny share of 1 */
	{ -1, 1, 2,		MONEY_EINVAL,	0 },	/* negative amount */
	{ INT64_MIN, 1, 2,	MONEY_EINVAL,	0 },	/* min amount */
	{ 100, -1, 10,		MONEY_EINVAL,	0 },	/* negative remaining */
	{ 100, 11, 10,		MONEY_EINVAL,	0 },	/* remaining > period */
	{ 100, 0, 0,		MONEY_EINVAL,	0 },	/* empty period */
	{ 100, 5, -10,		MONEY_EINVAL,	0 },	/* negative period */
};

static const struct {
	int64_t	 unit, qty, rem, per;
	int	 rc;
	int64_t	 want;
} line_cases[] = {
	{ 500, 2, HALF30, MONTH30, MONEY_OK,	500 },	/* help: 2 sensors */
	{ 600, 10, HALF30, MONTH30, MONEY_OK,	3000 },	/* help: standard */
	{ 1300, 10, HALF30, MONTH30, MONEY_OK,	6500 },	/* help: premium */
	{ 1, 1, 1, 2,		MONEY_OK,	1 },	/* 0.5 tie up */
	{ 1, 5, 1, 2,		MONEY_OK,	3 },	/* 2.5 tie up */
	{ 1, 3, 1, 2,		MONEY_OK,	2 },	/* 1.5; unit-first: 3 */
	{ 1, 3, 1, 3,		MONEY_OK,	1 },	/* 1.0; unit-first: 0 */
	{ 0, 10, HALF30, MONTH30, MONEY_OK,	0 },	/* zero unit */
	{ 100, 0, HALF30, MONTH30, MONEY_OK,	0 },	/* zero qty */
	{ 999, 7, 0, MONTH30,	MONEY_OK,	0 },	/* nothing left */
	{ 999, 7, MONTH30, MONTH30, MONEY_OK,	6993 },	/* all left */
	{ INT64_MAX, 2, 1, 2,	MONEY_OK,	INT64_MAX },
					/* unit × qty > max, result fits */
	{ INT64_MAX, 2, 2, 2,	MONEY_EOVERFLOW, 0 },	/* 2 × max */
	{ P62, 2, 1, 2,		MONEY_OK,	P62 },	/* 2^62 */
	{ P62, 2, 1, 1,		MONEY_EOVERFLOW, 0 },	/* 2^63 */
	{ THIRD64, 3, 1, 3,	MONEY_OK,	THIRD64 },	/* exact */
	{ THIRD64, 3, 1, 2,	MONEY_EOVERFLOW, 0 },
					/* max + 0.5 rounds over max */
	{ INT64_MAX, INT64_MAX, 1, INT64_MAX, MONEY_OK, INT64_MAX },
					/* product 2^126, over max */
	{ INT64_MAX, INT64_MAX, 2, INT64_MAX, MONEY_EOVERFLOW, 0 },
					/* twice that */
	{ INT64_MAX, INT64_MAX, 0, INT64_MAX, MONEY_OK, 0 },
					/* huge line, nothing left */
	{ -1, 1, 1, 2,		MONEY_EINVAL,	0 },	/* negative unit */
	{ 1, -1, 1, 2,		MONEY_EINVAL,	0 },	/* negative qty */
	{ INT64_MIN, -1, 1, 1,	MONEY_EINVAL,	0 },	/* both negative */
	{ 1, 1, -1, 2,		MONEY_EINVAL,	0 },	/* negative remaining */
	{ 1, 1, 3, 2,		MONEY_EINVAL,	0 },	/* remaining > period */
	{ 1, 1, 0, 0,		MONEY_EINVAL,	0 },	/* empty period */
	{ 1, 1, 0, -5,		MONEY_EINVAL,	0 },	/* negative period */
};

static void
test_prorate(void)
{
	int64_t	 got;
	size_t	 i;

	for (i = 0; i < sizeof(prorate_cases) / sizeof(prorate_cases[0]);
	    i++) {
		got = UNSET;
		check(money_prorate(prorate_cases[i].amount,
		    prorate_cases[i].rem, prorate_cases[i].per, &got), &got,
		    prorate_cases[i].rc, prorate_cases[i].want,
		    "money_prorate(%" PRId64 ", %" PRId64 ", %" PRId64 ")",
		    prorate_cases[i].amount, prorate_cases[i].rem,
		    prorate_cases[i].per);
	}
	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		got = UNSET;
		check(money_prorate_line(line_cases[i].unit, line_cases[i].qty,
		    line_cases[i].rem, line_cases[i].per, &got), &got,
		    line_cases[i].rc, line_cases[i].want,
		    "money_prorate_line(%" PRId64 ", %" PRId64 ", %" PRId64
		    ", %" PRId64 ")", line_cases[i].unit, line_cases[i].qty,
		    line_cases[i].rem, line_cases[i].per);
	}
}

/* money_prorate_change: (new × nq − old × oq) × rem / per, rounded once. */
static const struct {
	int64_t	 ou, oq, nu, nq, rem, per;
	int	 rc;
	int64_t	 want;
} change_cases[] = {
	/* the help page: 10 users, $6 standard to $13 premium, halfway */
	{ 600, 10, 1300, 10, HALF30, MONTH30,	MONEY_OK,	3500 },
	/* ... and back: the same amount, credited */
	{ 1300, 10, 600, 10, HALF30, MONTH30,	MONEY_OK,	-3500 },
	/* a sensor deployed: one unit more of the same plan */
	{ 500, 12, 500, 13, HALF30, MONTH30,	MONEY_OK,	250 },
	/* a sync: 2 of 10 sensors at $5.00 off, halfway */
	{ 500, 10, 500, 8, HALF30, MONTH30,	MONEY_OK,	-500 },
	/* rounded once on the net, not per side: 1.5 - 1.0 = 0.5 -> 1 */
	{ 2, 1, 3, 1, 1, 2,			MONEY_OK,	1 },
	/* per side it would be round(1.5) - round(1.0) = 1; and here: */
	{ 1, 3, 1, 4, 1, 2,			MONEY_OK,	1 },	/* 0.5 */
	{ 1, 4, 1, 3, 1, 2,			MONEY_OK,	-1 },	/* -0.5 */
	{ 3, 1, 2, 1, 1, 2,			MONEY_OK,	-1 },	/* -0.5 */
	{ 1, 1, 1, 2, 1, 3,			MONEY_OK,	0 },	/* 0.33 */
	{ 1, 2, 1, 1, 2, 3,			MONEY_OK,	-1 },	/* -0.67 */
	{ 700, 3, 700, 3, 10, 20,		MONEY_OK,	0 },	/* no change */
	{ 0, 0, 0, 0, 0, 1,			MONEY_OK,	0 },	/* nothing */
	{ 999, 7, 0, 0, MONTH30, MONTH30,	MONEY_OK,	-6993 },/* all, off */
	{ 0, 0, 999, 7, 0, MONTH30,		MONEY_OK,	0 },	/* none left */
	/* away from the middle: a third of the period left */
	{ 600, 10, 1300, 10, 864000, MONTH30,	MONEY_OK,	2333 },	/* 2333.3 */
	{ 600, 10, 1300, 11, 864000, MONTH30,	MONEY_OK,	2767 },	/* 2766.7 */
	/* extremes */
	{ 0, 0, INT64_MAX, 1, 1, 1,		MONEY_OK,	INT64_MAX },
	{ INT64_MAX, 1, 0, 0, 1, 1,		MONEY_OK,	-INT64_MAX },
	{ INT64_MAX, 2, 0, 0, 1, 2,		MONEY_OK,	-INT64_MAX },
	{ INT64_MAX, 2, 0, 0, 2, 2,		MONEY_EOVERFLOW, 0 },
	{ INT64_MAX, INT64_MAX, 0, 0, 1, INT64_MAX, MONEY_OK,	-INT64_MAX },
	{ INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX - 1, 1, 1,
	    MONEY_OK,	-INT64_MAX },
	{ 0, 0, INT64_MAX, INT64_MAX, 2, INT64_MAX, MONEY_EOVERFLOW, 0 },
	/* refused */
	{ -1, 1, 1, 1, 1, 2,			MONEY_EINVAL,	0 },
	{ 1, -1, 1, 1, 1, 2,			MONEY_EINVAL,	0 },
	{ 1, 1, -1, 1, 1, 2,			MONEY_EINVAL,	0 },
	{ 1, 1, 1, -1, 1, 2,			MONEY_EINVAL,	0 },
	{ 1, 1, 2, 1, -1, 2,			MONEY_EINVAL,	0 },
	{ 1, 1, 2, 1, 3, 2,			MONEY_EINVAL,	0 },
	{ 1, 1, 2, 1, 0, 0,			MONEY_EINVAL,	0 },
};

static void
test_prorate_change(void)
{
	int64_t	 got;
	size_t	 i;

	for (i = 0; i < sizeof(change_cases) / sizeof(change_cases[0]);
	    i++) {
		got = UNSET;
		check(money_prorate_change(change_cases[i].ou,
		    change_cases[i].oq, change_cases[i].nu, change_cases[i].nq,
		    change_cases[i].rem, change_cases[i].per, &got), &got,
		    change_cases[i].rc, change_cases[i].want,
		    "money_prorate_change(%" PRId64 " x %" PRId64 " -> %"
		    PRId64 " x %" PRId64 ", %" PRId64 "/%" PRId64 ")",
		    change_cases[i].ou, change_cases[i].oq, change_cases[i].nu,
		    change_cases[i].nq, change_cases[i].rem,
		    change_cases[i].per);
	}
}

/* ---- rates ------------------------------------------------------------ */

static const struct {
	int64_t	 amount;
	int32_t	 rate_bp;
	int	 rc;
	int64_t	 want;
} rate_cases[] = {
	{ 0, 2000,		MONEY_OK,	0 },	/* zero stays zero */
	{ 1, 2000,		MONEY_OK,	0 },	/* 0.2 cent: down */
	{ 1, 4999,		MONEY_OK,	0 },	/* just under the tie */
	{ 1, 5000,		MONEY_OK,	1 },	/* 0.5 cent: tie up */
	{ 3, 5000,		MONEY_OK,	2 },	/* 1.5 cents: tie up */
	{ 5, 1000,		MONEY_OK,	1 },	/* 0.5 at 10 %: tie */
	{ 25, 1000,		MONEY_OK,	3 },	/* 2.5: tie, not even */
	{ 999, 2000,		MONEY_OK,	200 },	/* 199.8 rounds up */
	{ 10000, 1900,		MONEY_OK,	1900 },	/* 19 % of 100.00 */
	{ 105, 1900,		MONEY_OK,	20 },	/* 19.95 rounds up */
	{ 12345, 0,		MONEY_OK,	0 },	/* rate 0 */
	{ 12345, 10000,		MONEY_OK,	12345 },	/* rate 100 % */
	{ INT64_MAX, 10000,	MONEY_OK,	INT64_MAX },	/* 100 % */
	{ INT64_MAX, 5000,	MONEY_OK,
	    INT64_C(4611686018427387904) },	/* tie; product > max */
	{ INT64_MAX, 10001,	MONEY_EOVERFLOW, 0 },	/* over 100 % of max */
	{ INT64_MAX, INT32_MAX,	MONEY_EOVERFLOW, 0 },	/* largest rate */
	{ -1, 1900,		MONEY_EINVAL,	0 },	/* negative amount */
	{ INT64_MIN, 0,		MONEY_EINVAL,	0 },	/* min amount */
	{ 100, -1,		MONEY_EINVAL,	0 },	/* negative rate */
};

static void
test_rate(void)
{
	int64_t	 got;
	size_t	 i;

	for (i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++) {
		got = UNSET;
		check(money_apply_rate(rate_cases[i].amount,
		    rate_cases[i].rate_bp, &got), &got, rate_cases[i].rc,
		    rate_cases[i].want, "money_apply_rate(%" PRId64 ", %"
		    PRId32 ")", rate_cases[i].amount, rate_cases[i].rate_bp);
	}
}

/* ---- formatting ------------------------------------------------------- */

static const struct {
	int64_t		 amount;
	const char	*cur;
	int		 rc;
	const char	*want;
} fmt_cases[] = {
	{ 0, "USD",		MONEY_OK, "$0.00" },		/* zero */
	{ 1, "USD",		MONEY_OK, "$0.01" },		/* one cent */
	{ 50, "USD",		MONEY_OK, "$0.50" },		/* cents only */
	{ 100, "USD",		MONEY_OK, "$1.00" },		/* one dollar */
	{ 99999, "USD",		MONEY_OK, "$999.99" },		/* no group */
	{ 100000, "USD",	MONEY_OK, "$1,000.00" },	/* 1 group */
	{ 123450, "USD",	MONEY_OK, "$1,234.50" },	/* brief */
	{ 123456789, "USD",	MONEY_OK, "$1,234,567.89" },	/* 2 groups */
	{ 3500, "USD",		MONEY_OK, "$35.00" },		/* help page */
	{ -500, "USD",		MONEY_OK, "-$5.00" },		/* negative */
	{ -1, "USD",		MONEY_OK, "-$0.01" },		/* -1 cent */
	{ -123450, "USD",	MONEY_OK, "-$1,234.50" },	/* neg group */
	{ 123450, "EUR",	MONEY_OK, "€1,234.50" },	/* euro */
	{ -99, "EUR",		MONEY_OK, "-€0.99" },		/* neg euro */
	{ 123450, "GBP",	MONEY_OK, "£1,234.50" },	/* pound */
	{ 1235, "JPY",		MONEY_OK, "¥1,235" },		/* yen */
	{ 0, "JPY",		MONEY_OK, "¥0" },		/* yen zero */
	{ 999, "JPY",		MONEY_OK, "¥999" },		/* no group */
	{ -1235, "JPY",		MONEY_OK, "-¥1,235" },		/* neg yen */
	{ 123450, "CHF",	MONEY_OK, "CHF 1,234.50" },	/* letters */
	{ -123450, "SEK",	MONEY_OK, "-SEK 1,234.50" },	/* negative */
	{ INT64_MAX, "USD",	MONEY_OK,
	    "$92,233,720,368,547,758.07" },			/* max */
	{ INT64_MIN, "USD",	MONEY_OK,
	    "-$92,233,720,368,547,758.08" },			/* min, no UB */
	{ INT64_MIN + 1, "USD",	MONEY_OK,
	    "-$92,233,720,368,547,758.07" },			/* -max */
	{ INT64_MAX, "JPY",	MONEY_OK,
	    "¥9,223,372,036,854,775,807" },			/* max yen */
	{ INT64_MIN, "JPY",	MONEY_OK,
	    "-¥9,223,372,036,854,775,808" },			/* min yen */
	{ 100, "XYZ",		MONEY_ECURRENCY, "" },		/* unknown */
	{ 100, "usd",		MONEY_ECURRENCY, "" },		/* lower case */
	{ 100, "",		MONEY_ECURRENCY, "" },		/* empty */
	{ 100, NULL,		MONEY_ECURRENCY, "" },		/* none */
}, plain_cases[] = {
	{ 0, "USD",		MONEY_OK, "0.00" },		/* zero */
	{ 1, "USD",		MONEY_OK, "0.01" },		/* one cent */
	{ 123450, "USD",	MONEY_OK, "1234.50" },		/* no group */
	{ -500, "USD",		MONEY_OK, "-5.00" },		/* negative */
	{ -1, "EUR",		MONEY_OK, "-0.01" },		/* -1 cent */
	{ 123456789, "GBP",	MONEY_OK, "1234567.89" },	/* no group */
	{ 1235, "JPY",		MONEY_OK, "1235" },		/* no point */
	{ -1235, "JPY",		MONEY_OK, "-1235" },		/* neg yen */
	{ 123450, "CHF",	MONEY_OK, "1234.50" },		/* no symbol */
	{ INT64_MAX, "EUR",	MONEY_OK, "92233720368547758.07" }, /* max */
	{ INT64_MIN, "USD",	MONEY_OK, "-92233720368547758.08" }, /* min */
	{ INT64_MIN, "JPY",	MONEY_OK, "-9223372036854775808" }, /* min */
	{ 100, "XYZ",		MONEY_ECURRENCY, "" },		/* unknown */
	{ 100, NULL,		MONEY_ECURRENCY, "" },		/* none */
};

static const struct {
	int64_t		 amount;
	const char	*cur;
	size_t		 sz;
	int		 rc;
	const char	*want;
} bufsz_cases[] = {
	{ 100, "USD", 6,	MONEY_OK,	"$1.00" },	/* exact fit */
	{ 100, "USD", 5,	MONEY_EINVAL,	"" },		/* one short */
	{ 100, "USD", 1,	MONEY_EINVAL,	"" },		/* NUL only */
	{ 100, "USD", 0,	MONEY_EINVAL,	"" },		/* no room */
	{ 100, "EUR", 8,	MONEY_OK,	"€1.00" },	/* 3 bytes */
	{ 100, "EUR", 7,	MONEY_EINVAL,	"" },		/* one short */
	{ INT64_MIN, "USD", 28,	MONEY_OK,
	    "-$92,233,720,368,547,758.08" },			/* exact fit */
	{ INT64_MIN, "USD", 27,	MONEY_EINVAL,	"" },		/* one short */
};

static void
test_fmt(void)
{
	char		 buf[MONEY_FMT_BUFSZ + 16];
	const char	*codes[] = { "USD", "EUR", "GBP", "CHF", "SEK", "NOK",
			    "DKK", "PLN", "JPY" };
	size_t		 i, j;
	int		 rc;

	for (i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		rc = money_fmt(fmt_cases[i].amount, fmt_cases[i].cur, buf,
		    sizeof(buf));
		check_str(rc, buf, fmt_cases[i].rc, fmt_cases[i].want,
		    "money_fmt(%" PRId64 ", %s)", fmt_cases[i].amount,
		    fmt_cases[i].cur ? fmt_cases[i].cur : "NULL");
	}
	for (i = 0; i < sizeof(plain_cases) / sizeof(plain_cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		rc = money_fmt_plain(plain_cases[i].amount, plain_cases[i].cur,
		    buf, sizeof(buf));
		check_str(rc, buf, plain_cases[i].rc, plain_cases[i].want,
		    "money_fmt_plain(%" PRId64 ", %s)", plain_cases[i].amount,
		    plain_cases[i].cur ? plain_cases[i].cur : "NULL");
	}
	for (i = 0; i < sizeof(bufsz_cases) / sizeof(bufsz_cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		rc = money_fmt(bufsz_cases[i].amount, bufsz_cases[i].cur, buf,
		    bufsz_cases[i].sz);
		if (bufsz_cases[i].sz == 0) {
			/* Nothing may be written, not even a NUL. */
			ok(rc == MONEY_EINVAL && buf[0] == 'x',
			    "money_fmt into 0 bytes: EINVAL, buf untouched");
			continue;
		}
		buf[sizeof(buf) - 1] = '\0';
		ok(buf[bufsz_cases[i].sz] == 'x', "money_fmt(%" PRId64
		    ", %s) into %zu bytes: nothing written past them",
		    bufsz_cases[i].amount, bufsz_cases[i].cur,
		    bufsz_cases[i].sz);
		buf[bufsz_cases[i].sz] = '\0';
		check_str(rc, buf, bufsz_cases[i].rc, bufsz_cases[i].want,
		    "money_fmt(%" PRId64 ", %s) into %zu bytes",
		    bufsz_cases[i].amount, bufsz_cases[i].cur,
		    bufsz_cases[i].sz);
	}
	rc = money_fmt(100, "USD", NULL, 16);
	is_i64(rc, MONEY_EINVAL, "money_fmt into a NULL buffer: EINVAL");

	/* MONEY_FMT_BUFSZ holds the extremes of every currency. */
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		for (j = 0; j < 2; j++) {
			char	 small[MONEY_FMT_BUFSZ];

			ok(money_fmt(j ? INT64_MIN : INT64_MAX, codes[i],
			    small, sizeof(small)) == MONEY_OK &&
			    money_fmt_plain(j ? INT64_MIN : INT64_MAX,
			    codes[i], small, sizeof(small)) == MONEY_OK,
			    "MONEY_FMT_BUFSZ holds %s %s", codes[i],
			    j ? "INT64_MIN" : "INT64_MAX");
		}
}

/* ---- parsing ---------------------------------------------------------- */

static const struct {
	const char	*s;
	const char	*cur;
	int64_t		 want;
} parse_good[] = {
	{ "0",			"USD",	0 },		/* zero */
	{ "0.00",		"USD",	0 },		/* zero, decimals */
	{ "-0",			"USD",	0 },		/* negative zero */
	{ "0.01",		"USD",	1 },		/* one cent */
	{ "-0.01",		"USD",	-1 },		/* minus one cent */
	{ "12",			"USD",	1200 },		/* integer */
	{ "12.5",		"USD",	1250 },		/* one decimal */
	{ "12.50",		"USD",	1250 },		/* two decimals */
	{ "-5",			"USD",	-500 },		/* negative */
	{ "1234.50",		"USD",	123450 },	/* no separators */
	{ "007",		"USD",	700 },		/* leading zeros */
	{ "12.5",		"EUR",	1250 },		/* euro */
	{ "0",			"JPY",	0 },		/* yen zero */
	{ "1235",		"JPY",	1235 },		/* yen */
	{ "-1235",		"JPY",	-1235 },	/* negative yen */
	{ "100000000000000",	"USD",
	    INT64_C(10000000000000000) },		/* 15 digits */
	{ "999999999999999.99",	"USD",
	    INT64_C(99999999999999999) },		/* largest */
	{ "-999999999999999.99", "USD",
	    INT64_C(-99999999999999999) },		/* smallest */
	{ "999999999999999",	"JPY",
	    INT64_C(999999999999999) },			/* largest yen */
};

static const struct {
	const char	*s;
	const char	*cur;
	int		 rc;
} parse_bad[] = {
	{ "",			"USD",	MONEY_EINVAL },	/* empty */
	{ ".5",			"USD",	MONEY_EINVAL },	/* no integer part */
	{ "5.",			"USD",	MONEY_EINVAL },	/* no decimals */
	{ "+1",			"USD",	MONEY_EINVAL },	/* plus sign */
	{ "-",			"USD",	MONEY_EINVAL },	/* sign alone */
	{ "--1",		"USD",	MONEY_EINVAL },	/* two signs */
	{ "-.5",		"USD",	MONEY_EINVAL },	/* sign, no integer */
	{ "1-",			"USD",	MONEY_EINVAL },	/* trailing sign */
	{ " 1",			"USD",	MONEY_EINVAL },	/* leading space */
	{ "1 ",			"USD",	MONEY_EINVAL },	/* trailing space */
	{ "1\n",		"USD",	MONEY_EINVAL },	/* newline */
	{ "1 000",		"USD",	MONEY_EINVAL },	/* space group */
	{ "1,000",		"USD",	MONEY_EINVAL },	/* comma group */
	{ "1,5",		"EUR",	MONEY_EINVAL },	/* decimal comma */
	{ "1.000",		"USD",	MONEY_EINVAL },	/* three decimals */
	{ "1.2.3",		"USD",	MONEY_EINVAL },	/* two points */
	{ "1e5",		"USD",	MONEY_EINVAL },	/* exponent */
	{ "1E5",		"USD",	MONEY_EINVAL },	/* exponent */
	{ "0x10",		"USD",	MONEY_EINVAL },	/* hex */
	{ "inf",		"USD",	MONEY_EINVAL },	/* infinity */
	{ "nan",		"USD",	MONEY_EINVAL },	/* not a number */
	{ "$5",			"USD",	MONEY_EINVAL },	/* symbol */
	{ "5 USD",		"USD",	MONEY_EINVAL },	/* code */
	{ "\xe2\x88\x92" "5",	"USD",	MONEY_EINVAL },	/* U+2212 minus */
	{ "\xef\xbc\x91",	"USD",	MONEY_EINVAL },	/* fullwidth 1 */
	{ "12.5",		"JPY",	MONEY_EINVAL },	/* yen decimals */
	{ "12.",		"JPY",	MONEY_EINVAL },	/* yen point */
	{ "1000000000000000",	"USD",	MONEY_EOVERFLOW },	/* 16 digits */
	{ "-1000000000000000.00", "USD", MONEY_EOVERFLOW },	/* 16, neg */
	{ "99999999999999999999999", "USD", MONEY_EOVERFLOW },	/* 23 */
	{ "1000000000000000",	"JPY",	MONEY_EOVERFLOW },	/* 16 yen */
	{ "1000000000000000x",	"USD",	MONEY_EINVAL },	/* syntax first */
	{ "1000000000000000.001", "USD", MONEY_EINVAL },	/* syntax 1st */
	{ "12",			"XYZ",	MONEY_ECURRENCY },	/* unknown */
	{ "12",			"usd",	MONEY_ECURRENCY },	/* lower case */
	{ "12",			NULL,	MONEY_ECURRENCY },	/* none */
	{ NULL,			"USD",	MONEY_EINVAL },	/* no string */
};

static void
test_parse(void)
{
	int64_t	 got;
	size_t	 i;

	for (i = 0; i < sizeof(parse_good) / sizeof(parse_good[0]); i++) {
		got = UNSET;
		check(money_parse(parse_good[i].s, parse_good[i].cur, &got),
		    &got, MONEY_OK, parse_good[i].want,
		    "money_parse(\"%s\", %s) good", parse_good[i].s,
		    parse_good[i].cur);
	}
	for (i = 0; i < sizeof(parse_bad) / sizeof(parse_bad[0]); i++) {
		got = UNSET;
		check(money_parse(parse_bad[i].s, parse_bad[i].cur, &got),
		    &got, parse_bad[i].rc, 0,
		    "money_parse bad row %zu: %s", i,
		    money_strerror(parse_bad[i].rc));
	}
}

/* ---- error strings ---------------------------------------------------- */

static void
test_strerror(void)
{
	const char	*s, *t;
	int		 rc, other, distinct = 1;

	for (rc = 0; rc < MONEY__MAX; rc++) {
		s = money_strerror(rc);
		ok(s != NULL && *s != '\0', "money_strerror(%d) is \"%s\"", rc,
		    s ? s : "(null)");
		for (other = 0; other < rc; other++)
			if (s != NULL && (t = money_strerror(other)) != NULL &&
			    strcmp(s, t) == 0)
				distinct = 0;
	}
	ok(distinct, "money_strerror texts are distinct");
	s = money_strerror(-1);
	ok(s != NULL && *s != '\0', "money_strerror(-1) is a text");
	s = money_strerror(MONEY__MAX);
	ok(s != NULL && *s != '\0', "money_strerror(MONEY__MAX) is a text");
}

/* ---- the help page's examples ----------------------------------------- */

static void
test_help_page(void)
{
	char	 buf[MONEY_FMT_BUFSZ];
	int64_t	 std = UNSET, prem = UNSET, charge = UNSET, credit = UNSET,
		 neg = UNSET;

	/*
	 * 10 users, standard $60/month in all, upgraded to premium
	 * $130/month exactly halfway through a 30-day period:
	 * $65 - $30 = $35.
	 */
	check(money_prorate(6000, HALF30, MONTH30, &std), &std, MONEY_OK,
	    3000, "help: half of standard $60.00 is 3000 cents");
	check(money_prorate(13000, HALF30, MONTH30, &prem), &prem, MONEY_OK,
	    6500, "help: half of premium $130.00 is 6500 cents");
	check(money_sub(prem, std, &charge), &charge, MONEY_OK, 3500,
	    "help: upgrade charge is 3500 cents");
	check_str(money_fmt(charge, "USD", buf, sizeof(buf)), buf, MONEY_OK,
	    "$35.00", "help: upgrade charge shows as $35.00");

	/*
	 * Synchronizing down 2 of 10 sensors at $5.00 each halfway through
	 * the period: a credit of $5.00.
	 */
	check(money_prorate_line(500, 10 - 8, HALF30, MONTH30, &credit),
	    &credit, MONEY_OK, 500, "help: 2 sensors x $5.00 for half: 500");
	check_str(money_fmt(credit, "USD", buf, sizeof(buf)), buf, MONEY_OK,
	    "$5.00", "help: sensor credit shows as $5.00");
	check(money_neg(credit, &neg), &neg, MONEY_OK, -500,
	    "help: the credit posted as -500 cents");
	check_str(money_fmt(neg, "USD", buf, sizeof(buf)), buf, MONEY_OK,
	    "-$5.00", "help: the posted credit shows as -$5.00");
}

/* ---- properties over pseudo-random inputs ----------------------------- */

static uint64_t	 lcg_state = UINT64_C(0x243f6a8885a308d3);	/* fixed seed */

/*
 * The next 64 pseudo-random bits: two steps of Knuth's MMIX LCG, high
 * halves only (the low bits of an LCG are weak).
 */
static uint64_t
rnd64(void)
{
	uint64_t	 hi;

	lcg_state = lcg_state * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	hi = lcg_state >> 32;
	lcg_state = lcg_state * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return hi << 32 | lcg_state >> 32;
}

/* A value in [0, 2^bits) for bits in [0, 63], bits chosen at random. */
static int64_t
rnd_width(void)
{
	unsigned	 bits = (unsigned)(rnd64() % 64);

	return bits == 0 ? 0 : (int64_t)(rnd64() >> (64 - bits));
}

/* Reference half-up rounding of n / d, n >= 0, d > 0: floor((2n + d) / 2d). */
static u128
ref_round(u128 n, u128 d)
{
	return (2 * n + d) / (2 * d);
}

#define NPROP	100000

static void
prop_prorate(void)
{
	static const int64_t	 periods[] = { DAY, 28 * DAY, 29 * DAY,
				    30 * DAY, 31 * DAY, 365 * DAY, 366 * DAY };
	int64_t			 amount, rem, per, got;
	u128			 want;
	int			 i, rc, bad = 0, badrange = 0, ties = 0;

	for (i = 0; i < NPROP; i++) {
		amount = rnd_width();
		if (rnd64() % 4 == 0)
			per = periods[rnd64() % (sizeof(periods) /
			    sizeof(periods[0]))];
		else if ((per = rnd_width()) == 0)
			per = 1;
		rem = (int64_t)(rnd64() % ((uint64_t)per + 1));
		if (rnd64() % 8 == 0 && per % 2 == 0) {
			/* Force a tie: odd amount over half an even period. */
			rem = per / 2;
			amount |= 1;
			ties++;
		}
		got = UNSET;
		rc = money_prorate(amount, rem, per, &got);
		want = ref_round((u128)amount * (u128)rem, (u128)per);
		if (rc != MONEY_OK || (u128)got != want) {
			if (bad++ < 5)
				diag("  prorate(%" PRId64 ", %" PRId64 ", %"
				    PRId64 ") = %" PRId64 " rc %d, want %"
				    PRId64, amount, rem, per, got, rc,
				    (int64_t)want);
		}
		if (rc != MONEY_OK || got < 0 || got > amount)
			badrange++;
	}
	ok(bad == 0, "money_prorate equals a 128-bit reference on %d "
	    "random cases (%d forced ties)", NPROP, ties);
	ok(badrange == 0, "money_prorate stays within [0, amount] on %d "
	    "random cases", NPROP);
}

static void
prop_prorate_line(void)
{
	int64_t	 unit, qty, rem, per, got;
	u128	 want;
	int	 i, rc, bad = 0, over = 0;

	for (i = 0; i < NPROP; i++) {
		/* Keep unit × qty × rem below 2^126 for the reference. */
		unit = rnd_width() >> 23;		/* < 2^40 */
		qty = (int64_t)(rnd64() >> 40);		/* < 2^24 */
		if ((per = rnd_width() >> 1) == 0)	/* < 2^62 */
			per = 1;
		rem = (int64_t)(rnd64() % ((uint64_t)per + 1));
		got = UNSET;
		rc = money_prorate_line(unit, qty, rem, per, &got);
		want = ref_round((u128)unit * (u128)qty * (u128)rem,
		    (u128)per);
		if (want > INT64_MAX) {
			over++;
			if (rc != MONEY_EOVERFLOW || got != UNSET)
				bad++;
		} else if (rc != MONEY_OK || (u128)got != want)
			bad++;
	}
	ok(bad == 0, "money_prorate_line equals a 128-bit reference on %d "
	    "random cases (%d overflow)", NPROP, over);
}

/*
 * The number of random changes prop_prorate_change tries: NPROP, or
 * RECKON_PROP_CASES from the environment for a longer run
 * (tests/unit/README.md says how).
 */
static long
prop_cases(void)
{
	const char	*s = getenv("RECKON_PROP_CASES");
	long		 n;

	if (s == NULL || (n = strtol(s, NULL, 10)) < 1)
		return NPROP;
	return n;
}

/*
 * money_prorate_change against exact rational arithmetic on random
 * changes of real billing periods: monthly and annual periods counted
 * from random anchors between 1970 and 2100 (28- to 31-day months,
 * leap years), instants anywhere in them, prices and quantities of
 * every size a plan may have (either side zero), in each currency's
 * minor unit.  The reference is the fraction itself: the result r must
 * be the integer nearest to num / per, |2 (num - r per)| <= per, and
 * at a tie the one away from zero; and it equals the sign-magnitude
 * rounding floor((2 |num| + per) / 2 per).
 */
static void
prop_prorate_change(void)
{
	static const char *const	 curs[] = { "USD", "EUR", "GBP",
					    "JPY", "CHF" };
	long				 i, n = prop_cases();
	int64_t				 ou, oq, nu, nq, anchor, start, end;
	int64_t				 at, rem, per, got;
	i128				 num, err;
	u128				 mag, want;
	int				 rc, bad = 0, badref = 0, neg = 0;
	int				 ties = 0, leap = 0, step, k;
	char				 buf[MONEY_FMT_BUFSZ];

	for (i = 0; i < n; i++) {
		anchor = (int64_t)(rnd64() % UINT64_C(4102444800));
		step = rnd64() % 3 == 0 ? 12 : 1;
		k = (int)(rnd64() % 24);
		start = util_month_add(anchor, k * step);
		end = util_month_add(anchor, (k + 1) * step);
		per = end - start;
		if (per == 29 * DAY || per == 366 * DAY)
			leap++;
		at = start + (int64_t)(rnd64() % ((uint64_t)per + 1));
		if (rnd64() % 16 == 0)
			at = start + per / 2;	/* the middle: ties */
		rem = end - at;
		/* Prices up to 10^10 minor units, quantities up to 10^6. */
		ou = (int64_t)(rnd64() % UINT64_C(10000000000));
		nu = rnd64() % 4 == 0 ? ou :
		    (int64_t)(rnd64() % UINT64_C(10000000000));
		oq = (int64_t)(rnd64() % 1000001);
		nq = rnd64() % 4 == 0 ? oq + 1 - (int64_t)(rnd64() % 3) :
		    (int64_t)(rnd64() % 1000001);
		if (nq < 0)
			nq = 0;
		if (rnd64() % 10 == 0)
			ou = oq = 0;		/* from nothing */
		got = UNSET;
		rc = money_prorate_change(ou, oq, nu, nq, rem, per, &got);
		num = ((i128)nu * nq - (i128)ou * oq) * rem;
		mag = (u128)(num < 0 ? -num : num);
		want = ref_round(mag, (u128)per);
		err = 2 * (num - (i128)got * per);
		if (err < 0)
			err = -err;
		if (rc != MONEY_OK || (num < 0 ? -(i128)want : (i128)want) !=
		    got) {
			if (bad++ < 5)
				diag("  change %" PRId64 " x %" PRId64 " -> %"
				    PRId64 " x %" PRId64 ", %" PRId64 "/%"
				    PRId64 " = %" PRId64 " rc %d", ou, oq, nu,
				    nq, rem, per, got, rc);
		}
		if (rc != MONEY_OK || err > per || (err == per &&
		    ((num < 0 && (i128)got * per > num) ||
		    (num > 0 && (i128)got * per < num))))
			badref++;
		if (err == per)
			ties++;
		if (got < 0)
			neg++;
		/* Every currency shows and reads back the same minor units. */
		if (money_fmt_plain(got, curs[i % 5], buf, sizeof(buf)) !=
		    MONEY_OK)
			bad++;
	}
	ok(bad == 0, "money_prorate_change equals exact rational rounding on "
	    "%ld random changes of calendar periods (%d credits, %d ties, %d "
	    "leap months or years)", n, neg, ties, leap);
	ok(badref == 0, "each result is the nearest integer to the fraction, "
	    "ties away from zero, on %ld random changes", n);
	ok(ties > 0 && neg > 0 && leap > 0, "the random changes include "
	    "ties, credits and leap periods");
}

static void
prop_div(void)
{
	int64_t	 num, den, got;
	i128	 want, t;
	u128	 mag;
	int	 i, rc, bad = 0;

	for (i = 0; i < NPROP; i++) {
		num = rnd_width();
		if (rnd64() % 2)
			num = -num - (int64_t)(rnd64() % 2); /* to min */
		if ((den = rnd_width()) == 0)
			den = 1;
		if (rnd64() % 8 == 0 && den < INT64_MAX / 2) {
			/* Force a tie: an odd multiple of den / 2. */
			den = 2 * (den | 1);
			t = (i128)(num / den) * den +
			    (num < 0 ? -den : den) / 2;
			if (t >= INT64_MIN && t <= INT64_MAX)
				num = (int64_t)t;
		}
		mag = num < 0 ? (u128)(-(i128)num) : (u128)num;
		want = (i128)ref_round(mag, (u128)den);
		if (num < 0)
			want = -want;
		got = UNSET;
		rc = money_div_half_up(num, den, &got);
		if (rc != MONEY_OK || got != want) {
			if (bad++ < 5)
				diag("  div_half_up(%" PRId64 ", %" PRId64
				    ") = %" PRId64 " rc %d", num, den, got, rc);
		}
	}
	ok(bad == 0, "money_div_half_up equals a reference on %d random "
	    "cases, both signs", NPROP);
}

static void
prop_rate(void)
{
	int64_t	 amount, got;
	int32_t	 bp;
	u128	 want;
	int	 i, rc, bad = 0;

	for (i = 0; i < NPROP; i++) {
		amount = rnd_width();
		bp = (int32_t)(rnd64() % 100001);	/* up to 1000 % */
		got = UNSET;
		rc = money_apply_rate(amount, bp, &got);
		want = ref_round((u128)amount * (u128)bp, 10000);
		if (want > INT64_MAX) {
			if (rc != MONEY_EOVERFLOW || got != UNSET)
				bad++;
		} else if (rc != MONEY_OK || (u128)got != want)
			bad++;
	}
	ok(bad == 0, "money_apply_rate equals a reference on %d random "
	    "cases", NPROP);
}

static void
prop_roundtrip(void)
{
	static const char *const codes[] = { "USD", "JPY" };
	char		 plain[MONEY_FMT_BUFSZ], human[MONEY_FMT_BUFSZ];
	char		*p, *q;
	int64_t		 amount, limit, got;
	size_t		 c;
	int		 i, bad = 0, badhuman = 0;

	for (i = 0; i < NPROP; i++) {
		c = (size_t)(rnd64() % 2);
		/* Largest amount money_parse takes: 15 integer digits. */
		limit = c == 0 ? INT64_C(99999999999999999) :
		    INT64_C(999999999999999);
		amount = (int64_t)((uint64_t)rnd_width() % (uint64_t)limit);
		if (rnd64() % 2)
			amount = -amount;
		got = UNSET;
		if (money_fmt_plain(amount, codes[c], plain, sizeof(plain)) !=
		    MONEY_OK ||
		    money_parse(plain, codes[c], &got) != MONEY_OK ||
		    got != amount) {
			if (bad++ < 5)
				diag("  %" PRId64 " %s -> \"%s\" -> %" PRId64,
				    amount, codes[c], plain, got);
		}

		/* The human form is the plain one plus sign, symbol, ','. */
		if (money_fmt(amount, codes[c], human, sizeof(human)) !=
		    MONEY_OK) {
			badhuman++;
			continue;
		}
		for (p = q = human; *p != '\0'; p++)
			if ((*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
				*q++ = *p;
		*q = '\0';
		if (strcmp(human, plain) != 0)
			badhuman++;
	}
	ok(bad == 0, "money_parse(money_fmt_plain(x)) == x on %d random "
	    "amounts", NPROP);
	ok(badhuman == 0, "money_fmt minus symbol and ',' equals "
	    "money_fmt_plain on %d random amounts", NPROP);
}

int
main(void)
{
	test_currency();
	test_arith();
	test_money_m();
	test_div();
	test_prorate();
	test_prorate_change();
	test_rate();
	test_fmt();
	test_parse();
	test_strerror();
	test_help_page();
	prop_prorate();
	prop_prorate_line();
	prop_prorate_change();
	prop_div();
	prop_rate();
	prop_roundtrip();
	return tap_done();
}
