/* money.h: amounts in minor units, currencies, rounding, proration, display. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#ifndef MONEY_H
#define MONEY_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every function below is pure: no I/O, no allocation, no global state.
 * The contract of each is written above its definition in money.c.
 * Results go through out-parameters, which are left untouched on failure.
 */

typedef int64_t cents_t;		/* amount in minor units (cents, yen) */

enum money_rc {
	MONEY_OK = 0,			/* success */
	MONEY_EINVAL,			/* bad argument, syntax or buffer */
	MONEY_EOVERFLOW,		/* result does not fit in a cents_t */
	MONEY_ECURRENCY,		/* unknown or mismatched currency */
	MONEY__MAX
};

struct money {
	cents_t	 amount;
	char	 cur[4];		/* ISO 4217 code, NUL-terminated */
};

struct currency {
	const char	*code;		/* ISO 4217 code: "USD" */
	const char	*symbol;	/* display prefix, UTF-8: "$", "CHF" */
	int		 exponent;	/* minor unit digits: 2, JPY 0 */
};

/* Large enough for money_fmt and money_fmt_plain of any amount. */
#define MONEY_FMT_BUFSZ	48

/* Most integer digits money_parse accepts. */
#define MONEY_PARSE_MAXINT	15

const struct currency	*money_currency(const char *);

int	 money_add(cents_t, cents_t, cents_t *);
int	 money_sub(cents_t, cents_t, cents_t *);
int	 money_neg(cents_t, cents_t *);
int	 money_mul(cents_t, int64_t, cents_t *);
int	 money_add_m(const struct money *, const struct money *,
	    struct money *);
int	 money_sub_m(const struct money *, const struct money *,
	    struct money *);

int	 money_div_half_up(int64_t, int64_t, int64_t *);
int	 money_prorate_change(cents_t, int64_t, cents_t, int64_t, int64_t,
	    int64_t, cents_t *);
int	 money_prorate(cents_t, int64_t, int64_t, cents_t *);
int	 money_prorate_line(cents_t, int64_t, int64_t, int64_t, cents_t *);
int	 money_apply_rate(cents_t, int32_t, cents_t *);

int	 money_fmt(cents_t, const char *, char *, size_t);
int	 money_fmt_plain(cents_t, const char *, char *, size_t);
int	 money_parse(const char *, const char *, cents_t *);

const char	*money_strerror(int);

#endif /* MONEY_H */
