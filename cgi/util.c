/* util.c: allocation wrappers, byte buffers, hex, random tokens, UTC dates. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "util.h"

/* malloc(n) or exit(1) with a log line. Free with free(3). */
void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fatal("%s", __func__);
	return p;
}

/* calloc(n, sz) or exit(1). */
void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		fatal("%s", __func__);
	return p;
}

/* realloc(p, n) or exit(1). */
void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL)
		fatal("%s", __func__);
	return p;
}

/* strdup(s) or exit(1). */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("%s", __func__);
	return p;
}

/* A formatted string the caller frees, or exit(1). */
char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("%s", __func__);
	return p;
}

/* Append n bytes of p to b, keeping b->p NUL-terminated. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t	 cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append the string s to b. */
void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append formatted text to b. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("%s", __func__);
	buf_add(b, s, (size_t)n);
	free(s);
}

/* Release b's memory and zero it. */
void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/*
 * Write the lower-case hex of n bytes of p into out (2n+1 bytes at least).
 * Returns 0, or -1 if out is too small.
 */
int
util_hex(const unsigned char *p, size_t n, char *out, size_t outsz)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	if (outsz < 2 * n + 1)
		return -1;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
	return 0;
}

/*
 * Fill out with (outsz - 1) / 2 random bytes as hex, from the kernel's
 * CSPRNG through libsodium. Returns 0, or -1 if outsz < 3.
 */
int
util_random_hex(char *out, size_t outsz)
{
	unsigned char	 raw[64];
	size_t		 n = (outsz - 1) / 2;

	if (outsz < 3 || n > sizeof(raw))
		return -1;
	randombytes_buf(raw, n);
	util_hex(raw, n, out, outsz);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/*
 * Format the UTC epoch second t with strftime's fmt into out.
 * Returns 0, or -1 if the time cannot be represented or out is short.
 */
int
util_time_fmt(int64_t t, const char *fmt, char *out, size_t outsz)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return -1;
	/*
	 * The pages' one date form without strftime (a dozen a page), for
	 * the years strftime writes with four digits.
	 */
	if (strcmp(fmt, "%Y-%m-%d") == 0 && tm.tm_year >= 1000 - 1900 &&
	    tm.tm_year <= 9999 - 1900 && outsz >= 11) {
		tm.tm_year += 1900;
		tm.tm_mon += 1;
		out[0] = (char)('0' + tm.tm_year / 1000);
		out[1] = (char)('0' + tm.tm_year / 100 % 10);
		out[2] = (char)('0' + tm.tm_year / 10 % 10);
		out[3] = (char)('0' + tm.tm_year % 10);
		out[4] = '-';
		out[5] = (char)('0' + tm.tm_mon / 10);
		out[6] = (char)('0' + tm.tm_mon % 10);
		out[7] = '-';
		out[8] = (char)('0' + tm.tm_mday / 10);
		out[9] = (char)('0' + tm.tm_mday % 10);
		out[10] = '\0';
		return 0;
	}
	/* fmt is checked at each call site through the format attribute. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, outsz, fmt, &tm) == 0)
		return -1;
#pragma GCC diagnostic pop
	return 0;
}

/*
 * Parse "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (midnight UTC) into *out.
 * Returns 0, or -1 on any other form or an impossible date.
 */
int
util_time_parse(const char *s, int64_t *out)
{
	struct tm	 tm;
	const char	*end;
	time_t		 t;
	struct tm	 back;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL || *end) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end)
			return -1;
	}
	back = tm;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if (tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon)
		return -1;
	*out = t;
	return 0;
}

/*
 * The same day and time n calendar months after (or before, n < 0) t,
 * clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
 */
int64_t
util_month_add(int64_t t, int n)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;
	int		 mday, y, m, last;
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	gmtime_r(&tt, &tm);
	mday = tm.tm_mday;
	m = tm.tm_mon + n;
	y = tm.tm_year + 1900 + (m >= 0 ? m / 12 : -((11 - m) / 12));
	m = ((m % 12) + 12) % 12;
	last = days[m];
	if (m == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		last = 29;
	tm.tm_year = y - 1900;
	tm.tm_mon = m;
	tm.tm_mday = mday > last ? last : mday;
	return (int64_t)timegm(&tm);
}

/* Midnight UTC of the first day of t's month. */
int64_t
util_month_start(int64_t t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return (int64_t)timegm(&tm);
}
