/* fuzz_money.c: money_parse on any string; money_fmt of any amount. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * fuzz-args: -max_len=256
 *
 * Invariants, for USD (exponent 2) and JPY (exponent 0):
 * - money_parse agrees with a reference reading of its contract (result
 *   and amount) and leaves *out untouched on failure;
 * - an unknown currency is MONEY_ECURRENCY;
 * - a parsed amount, written by money_fmt_plain, parses back to itself,
 *   and money_fmt gives the same digits with a symbol and ',' groups;
 * - any int64_t (the first 8 input bytes) formats within
 *   MONEY_FMT_BUFSZ and parses back unless it has over 15 integer
 *   digits (then MONEY_EOVERFLOW).
 */
#include <string.h>

#include "money.h"
#include "fuzz.h"

#define SENTINEL	((cents_t)0x5a5a5a5a5a5a5a5a)

/* The contract of money_parse, read plainly, with 128-bit arithmetic. */
static int
ref_parse(const char *s, int exp, cents_t *out)
{
	const char	*p = s;
	__int128	 v = 0;
	int		 neg = 0, nint = 0, nfrac = 0, i;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, nint++)
		v = nint < 30 ? v * 10 + (*p - '0') : v;
	if (nint == 0)
		return MONEY_EINVAL;
	if (*p == '.') {
		if (exp == 0)
			return MONEY_EINVAL;
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++)
			v = nfrac < exp ? v * 10 + (*p - '0') : v;
		if (nfrac == 0 || nfrac > exp)
			return MONEY_EINVAL;
	}
	if (*p != '\0')
		return MONEY_EINVAL;
	if (nint > MONEY_PARSE_MAXINT)
		return MONEY_EOVERFLOW;
	for (i = nfrac; i < exp; i++)
		v *= 10;
	*out = (cents_t)(neg ? -v : v);
	return MONEY_OK;
}

/* money_fmt's text with the symbol and ',' removed, into out. */
static void
strip_human(const char *h, const char *sym, char *out)
{
	if (*h == '-')
		*out++ = *h++;
	CHECK(strncmp(h, sym, strlen(sym)) == 0);
	h += strlen(sym);
	if (*h == ' ')
		h++;
	for (; *h != '\0'; h++)
		if (*h != ',')
			*out++ = *h;
	*out = '\0';
}

static void
one(const char *s, const char *cur)
{
	const struct currency	*c;
	char			 plain[MONEY_FMT_BUFSZ], human[MONEY_FMT_BUFSZ];
	char			 bare[MONEY_FMT_BUFSZ];
	cents_t			 got = SENTINEL, want = SENTINEL, back = SENTINEL;
	int			 rc, rrc;

	CHECK((c = money_currency(cur)) != NULL);
	rc = money_parse(s, cur, &got);
	rrc = ref_parse(s, c->exponent, &want);
	CHECK(rc == rrc);
	CHECK(got == want);		/* both SENTINEL on failure */
	if (rc != MONEY_OK)
		return;

	CHECK(money_fmt_plain(got, cur, plain, sizeof(plain)) == MONEY_OK);
	CHECK(money_parse(plain, cur, &back) == MONEY_OK);
	CHECK(back == got);

	CHECK(money_fmt(got, cur, human, sizeof(human)) == MONEY_OK);
	CHECK((human[0] == '-') == (got < 0));
	strip_human(human, c->symbol, bare);
	CHECK(strcmp(bare, plain) == 0);
}

/* Any amount formats, and reads back if it has at most 15 integer digits. */
static void
amount(cents_t v, const char *cur)
{
	const struct currency	*c;
	char			 plain[MONEY_FMT_BUFSZ], human[MONEY_FMT_BUFSZ];
	cents_t			 back = SENTINEL;
	size_t			 nint;
	int			 rc;

	CHECK((c = money_currency(cur)) != NULL);
	CHECK(money_fmt(v, cur, human, sizeof(human)) == MONEY_OK);
	CHECK(money_fmt_plain(v, cur, plain, sizeof(plain)) == MONEY_OK);
	nint = strspn(plain + (v < 0), "0123456789");
	rc = money_parse(plain, cur, &back);
	if (nint <= MONEY_PARSE_MAXINT)
		CHECK(rc == MONEY_OK && back == v);
	else
		CHECK(rc == MONEY_EOVERFLOW && back == SENTINEL);
	/* Too small a buffer: refused, and left empty. */
	CHECK(money_fmt(v, cur, human, 2) == MONEY_EINVAL && human[0] == '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cents_t	 v, out = SENTINEL;
	char	*s;

	s = fuzz_str(data, size);
	one(s, "USD");
	one(s, "JPY");
	CHECK(money_parse(s, "usd", &out) == MONEY_ECURRENCY);
	CHECK(money_parse(s, NULL, &out) == MONEY_ECURRENCY);
	CHECK(out == SENTINEL);
	if (money_currency(s) != NULL)
		CHECK(strcmp(money_currency(s)->code, s) == 0);
	free(s);

	if (size >= sizeof(v)) {
		memcpy(&v, data, sizeof(v));
		amount(v, "USD");
		amount(v, "JPY");
	}
	return 0;
}
