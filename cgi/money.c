/* money.c: pure money arithmetic: overflow, rounding, proration, display. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

/*
 * 128-bit intermediates: a product of two int64_t always fits, so
 * amount × remaining / period is computed exactly and rounded once.
 */
__extension__ typedef __int128 i128;

static const struct currency currencies[] = {
	/* code   symbol               exponent */
	{ "USD",  "$",			2 },	/* US dollar */
	{ "EUR",  "\xe2\x82\xac",	2 },	/* euro, U+20AC */
	{ "GBP",  "\xc2\xa3",		2 },	/* pound sterling, U+00A3 */
	{ "CHF",  "CHF",		2 },	/* Swiss franc */
	{ "SEK",  "SEK",		2 },	/* Swedish krona */
	{ "NOK",  "NOK",		2 },	/* Norwegian krone */
	{ "DKK",  "DKK",		2 },	/* Danish krone */
	{ "PLN",  "PLN",		2 },	/* Polish zloty */
	{ "JPY",  "\xc2\xa5",		0 },	/* yen, U+00A5: no minor unit */
};

static const char *const money_errs[MONEY__MAX] = {
	"success",				/* MONEY_OK */
	"invalid amount or argument",		/* MONEY_EINVAL */
	"amount out of range",			/* MONEY_EOVERFLOW */
	"unknown or mismatched currency",	/* MONEY_ECURRENCY */
};

/*
 * The one rounding rule: num / den to the nearest integer, ties away
 * from zero (half-up, commercial rounding).  den must be positive.
 * Sets *out only on success; MONEY_EINVAL if den <= 0, MONEY_EOVERFLOW
 * if the rounded quotient does not fit in an int64_t.
 */
static int
div_half_up(i128 num, int64_t den, int64_t *out)
{
	i128	 q, r;

	if (den <= 0)
		return MONEY_EINVAL;
	q = num / den;
	r = num % den;			/* truncated: same sign as num */
	if (r < 0)
		r = -r;
	if (2 * r >= den)		/* |r| < den < 2^63: no overflow */
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return MONEY_EOVERFLOW;
	*out = (int64_t)q;
	return MONEY_OK;
}

/*
 * The currency of a struct money, or NULL if its code is not
 * NUL-terminated within cur[] or not a known currency.
 */
static const struct currency *
money_currency_of(const struct money *m)
{
	if (memchr(m->cur, '\0', sizeof(m->cur)) == NULL)
		return NULL;
	return money_currency(m->cur);
}

/*
 * Format amount in the currency cur into buf (size sz): with the symbol
 * and thousands grouping if human, bare digits otherwise.  See
 * money_fmt for the contract.
 */
static int
money_fmt_common(cents_t amount, const char *cur, int human, char *buf,
    size_t sz)
{
	const struct currency	*c;
	const char		*sym = "", *space = "";
	char			 num[MONEY_FMT_BUFSZ], *p, *q;
	uint64_t		 u;
	size_t			 lsym, lspace, ldig;
	int			 i, ndig;

	if (buf == NULL || sz == 0)
		return MONEY_EINVAL;
	buf[0] = '\0';
	if ((c = money_currency(cur)) == NULL)
		return MONEY_ECURRENCY;

	/* The magnitude, computed unsigned: defined even for INT64_MIN. */
	u = amount < 0 ? -(uint64_t)amount : (uint64_t)amount;

	/* Digits right to left: minor unit, point, grouped integer part. */
	p = num + sizeof(num);
	*--p = '\0';
	for (i = 0; i < c->exponent; i++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	if (c->exponent > 0)
		*--p = '.';
	ndig = 0;
	do {
		if (human && ndig > 0 && ndig % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + u % 10);
		u /= 10;
		ndig++;
	} while (u > 0);

	if (human)
		sym = c->symbol;
	lsym = strlen(sym);
	/* A letter symbol ("CHF") is set apart: "CHF 1.00". */
	if (lsym > 0 && sym[lsym - 1] >= 'A' && sym[lsym - 1] <= 'Z')
		space = " ";

	/* Joined by hand: snprintf was most of the cost of a page's amounts. */
	lspace = strlen(space);
	ldig = strlen(p);
	if ((amount < 0) + lsym + lspace + ldig >= sz)
		return MONEY_EINVAL;
	q = buf;
	if (amount < 0)
		*q++ = '-';
	memcpy(q, sym, lsym);
	q += lsym;
	memcpy(q, space, lspace);
	q += lspace;
	memcpy(q, p, ldig + 1);
	return MONEY_OK;
}

/*
 * Look up an ISO 4217 code (exact, upper case: "USD").
 * Returns a pointer to a static, read-only entry (never freed), or NULL
 * if code is NULL or not a currency Reckon knows.
 */
const struct currency *
money_currency(const char *code)
{
	size_t	 i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++)
		if (strcmp(code, currencies[i].code) == 0)
			return &currencies[i];
	return NULL;
}

/*
 * Set *out to a + b.  Returns MONEY_OK, or MONEY_EOVERFLOW (*out
 * untouched) if the sum does not fit in a cents_t.
 */
int
money_add(cents_t a, cents_t b, cents_t *out)
{
	cents_t	 v;

	if (__builtin_add_overflow(a, b, &v))
		return MONEY_EOVERFLOW;
	*out = v;
	return MONEY_OK;
}

/*
 * Set *out to a - b.  Returns MONEY_OK, or MONEY_EOVERFLOW (*out
 * untouched) if the difference does not fit in a cents_t.
 */
int
money_sub(cents_t a, cents_t b, cents_t *out)
{
	cents_t	 v;

	if (__builtin_sub_overflow(a, b, &v))
		return MONEY_EOVERFLOW;
	*out = v;
	return MONEY_OK;
}

/*
 * Set *out to -a (a charge turned into a credit).  Returns MONEY_OK, or
 * MONEY_EOVERFLOW (*out untouched) for INT64_MIN, which has no opposite.
 */
int
money_neg(cents_t a, cents_t *out)
{
	if (a == INT64_MIN)
		return MONEY_EOVERFLOW;
	*out = -a;
	return MONEY_OK;
}

/*
 * Set *out to unit × qty (either may be negative).  Returns MONEY_OK,
 * or MONEY_EOVERFLOW (*out untouched) if the product does not fit.
 */
int
money_mul(cents_t unit, int64_t qty, cents_t *out)
{
	cents_t	 v;

	if (__builtin_mul_overflow(unit, qty, &v))
		return MONEY_EOVERFLOW;
	*out = v;
	return MONEY_OK;
}

/*
 * Set *out to a + b in their common currency; a, b and out are borrowed
 * and may be the same object.  Returns MONEY_OK, MONEY_ECURRENCY if the
 * codes differ or either is unknown, MONEY_EOVERFLOW if the sum does
 * not fit; *out is untouched on failure.
 */
int
money_add_m(const struct money *a, const struct money *b, struct money *out)
{
	const struct currency	*c;
	cents_t			 v;
	int			 rc;

	if ((c = money_currency_of(a)) == NULL || c != money_currency_of(b))
		return MONEY_ECURRENCY;
	if ((rc = money_add(a->amount, b->amount, &v)) != MONEY_OK)
		return rc;
	memmove(out->cur, a->cur, sizeof(out->cur));
	out->amount = v;
	return MONEY_OK;
}

/*
 * Set *out to a - b in their common currency; as money_add_m otherwise.
 */
int
money_sub_m(const struct money *a, const struct money *b, struct money *out)
{
	const struct currency	*c;
	cents_t			 v;
	int			 rc;

	if ((c = money_currency_of(a)) == NULL || c != money_currency_of(b))
		return MONEY_ECURRENCY;
	if ((rc = money_sub(a->amount, b->amount, &v)) != MONEY_OK)
		return rc;
	memmove(out->cur, a->cur, sizeof(out->cur));
	out->amount = v;
	return MONEY_OK;
}

/*
 * THE rounding function: set *out to num / den rounded to the nearest
 * integer, ties away from zero (half-up, commercial rounding):
 * 5/2 -> 3, -5/2 -> -3, 4/3 -> 1.  Every rounding of money in Reckon
 * goes through this rule.  Returns MONEY_OK, or MONEY_EINVAL (*out
 * untouched) if den <= 0.
 */
int
money_div_half_up(int64_t num, int64_t den, int64_t *out)
{
	return div_half_up(num, den, out);
}

/*
 * THE proration of a change: set *out to the net amount of changing a
 * subscription from old_qty units at old_unit to new_qty units at
 * new_unit with remaining_s of a period of period_s seconds left:
 *
 *	(new_unit × new_qty − old_unit × old_qty) × remaining_s / period_s
 *
 * computed exactly and rounded once, half-up (ties away from zero), to
 * the minor unit.  Positive: owed by the customer; negative: credited
 * (unused time).  Every prorated amount in Reckon comes from here: a
 * sensor deployed (old = new unit, one unit more), a plan changed, a
 * sync, a seat activated or deactivated.  Needs non-negative units and
 * quantities, period_s > 0 and 0 <= remaining_s <= period_s, else
 * MONEY_EINVAL; MONEY_EOVERFLOW if the result does not fit in a
 * cents_t (a product unit × qty alone may exceed one).  *out is
 * untouched on failure.
 */
int
money_prorate_change(cents_t old_unit, int64_t old_qty, cents_t new_unit,
    int64_t new_qty, int64_t remaining_s, int64_t period_s, cents_t *out)
{
	i128	 d, whole;
	int64_t	 frac;
	int	 rc;

	if (old_unit < 0 || old_qty < 0 || new_unit < 0 || new_qty < 0 ||
	    period_s <= 0 || remaining_s < 0 || remaining_s > period_s)
		return MONEY_EINVAL;

	/*
	 * Each product is below 2^126, so their difference d fits 128
	 * bits, but d × remaining may not: split d = whole × period + rest
	 * (truncated, rest of d's sign).  Then d × rem / period = whole ×
	 * rem + rest × rem / period, the first term exact and the second
	 * of the same sign with |rest × rem| < 2^126: rounding it alone,
	 * away from zero at a tie, is rounding the sum, once.
	 */
	d = (i128)new_unit * new_qty - (i128)old_unit * old_qty;
	whole = d / period_s;
	if (remaining_s != 0 && (whole > INT64_MAX / remaining_s ||
	    whole < -(INT64_MAX / remaining_s)))
		return MONEY_EOVERFLOW;
	whole *= remaining_s;
	if ((rc = div_half_up(d % period_s * remaining_s, period_s, &frac)) !=
	    MONEY_OK)
		return rc;
	whole += frac;
	if (whole > INT64_MAX || whole < -INT64_MAX)
		return MONEY_EOVERFLOW;
	*out = (cents_t)whole;
	return MONEY_OK;
}

/*
 * Prorate amount over the part of a period that remains: the change
 * from nothing to one unit at amount (money_prorate_change).  The
 * result is between 0 and amount.
 */
int
money_prorate(cents_t amount, int64_t remaining_s, int64_t period_s,
    cents_t *out)
{
	return money_prorate_change(0, 0, amount, 1, remaining_s, period_s,
	    out);
}

/*
 * Prorate a line of qty units at unit each: the change from nothing to
 * qty units (money_prorate_change), rounded once at the end, never
 * unit by unit.
 */
int
money_prorate_line(cents_t unit, int64_t qty, int64_t remaining_s,
    int64_t period_s, cents_t *out)
{
	return money_prorate_change(0, 0, unit, qty, remaining_s, period_s,
	    out);
}

/*
 * Apply a rate in basis points (1900 = 19 %) to a non-negative amount:
 * set *out to amount × rate_bp / 10000, exact, rounded half-up to the
 * minor unit (the per-line tax rule).  Returns MONEY_OK, MONEY_EINVAL
 * for a negative amount or rate, MONEY_EOVERFLOW if the result does not
 * fit; *out is untouched on failure.
 */
int
money_apply_rate(cents_t amount, int32_t rate_bp, cents_t *out)
{
	if (amount < 0 || rate_bp < 0)
		return MONEY_EINVAL;
	return div_half_up((i128)amount * rate_bp, 10000, out);
}

/*
 * Format amount (minor units of cur) for people into buf of sz bytes:
 * symbol, thousands grouped by ',', '.' before the minor unit, and a
 * leading '-' for negatives: "$1,234.50", "-$5.00", "€1.00", "£1.00",
 * "¥1,235" (JPY), "CHF 1.00" (letter symbols get a space).
 * cur is borrowed.  Returns MONEY_OK; MONEY_ECURRENCY if cur is NULL or
 * unknown; MONEY_EINVAL if buf is NULL, sz is 0 or buf is too small
 * (MONEY_FMT_BUFSZ always suffices).  On failure buf, if sz > 0, holds "".
 */
int
money_fmt(cents_t amount, const char *cur, char *buf, size_t sz)
{
	return money_fmt_common(amount, cur, 1, buf, sz);
}

/*
 * Format amount for machines (CSV, form values) into buf of sz bytes:
 * no symbol, no grouping, '.' before the minor unit: "1234.50",
 * "-5.00", "1235" (JPY); money_parse reads it back.  Returns as
 * money_fmt.
 */
int
money_fmt_plain(cents_t amount, const char *cur, char *buf, size_t sz)
{
	return money_fmt_common(amount, cur, 0, buf, sz);
}

/*
 * Parse a decimal amount of currency cur into minor units: an optional
 * '-', 1 to MONEY_PARSE_MAXINT integer digits, and optionally '.'
 * followed by 1 to exponent digits ("12", "12.5", "12.50"; JPY takes no
 * '.').  Rejects "", ".5", "5.", "+1", spaces, exponents, separators
 * and anything else.  s and cur are borrowed.  Returns MONEY_OK and
 * sets *out; MONEY_EINVAL for bad syntax or a NULL s;
 * MONEY_ECURRENCY if cur is NULL or unknown; MONEY_EOVERFLOW if the
 * syntax is right but there are too many integer digits.  *out is
 * untouched on failure.
 */
int
money_parse(const char *s, const char *cur, cents_t *out)
{
	const struct currency	*c;
	const char		*p;
	int64_t			 v = 0;
	int			 neg = 0, nint = 0, nfrac = -1; /* -1: no '.' */

	if ((c = money_currency(cur)) == NULL)
		return MONEY_ECURRENCY;
	if (s == NULL)
		return MONEY_EINVAL;
	p = s;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p == '.' && nfrac == -1 && nint > 0 && c->exponent > 0) {
			nfrac = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return MONEY_EINVAL;
		if (nfrac == -1)
			nint++;
		else if (++nfrac > c->exponent)
			return MONEY_EINVAL;
		if (nint > MONEY_PARSE_MAXINT)
			continue;	/* too long; still check the syntax */
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, *p - '0', &v))
			return MONEY_EOVERFLOW;
	}
	if (nint == 0 || nfrac == 0)
		return MONEY_EINVAL;
	if (nint > MONEY_PARSE_MAXINT)
		return MONEY_EOVERFLOW;
	for (nfrac = nfrac < 0 ? 0 : nfrac; nfrac < c->exponent; nfrac++)
		if (__builtin_mul_overflow(v, 10, &v))
			return MONEY_EOVERFLOW;
	*out = neg ? -v : v;
	return MONEY_OK;
}

/*
 * A short English description of a money_rc, for logs.  Returns a
 * static string (never NULL, never freed), also for unknown values.
 */
const char *
money_strerror(int rc)
{
	if (rc < 0 || rc >= MONEY__MAX)
		return "unknown money error";
	return money_errs[rc];
}
