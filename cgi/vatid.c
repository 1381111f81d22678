/* vatid.c: VAT numbers written and checked the way each tax office does. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "valid.h"
#include "vatid.h"

#define D(c)	((c) - '0')
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The digits d[0..n-1], each times its weight, summed. */
static int
weighted(const char *d, const int *w, size_t n)
{
	size_t	 i;
	int	 s = 0;

	for (i = 0; i < n; i++)
		s += D(d[i]) * w[i];
	return s;
}

/* The digits d[0..n-1] as a number (n at most 18). */
static int64_t
number(const char *d, size_t n)
{
	int64_t	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++)
		v = v * 10 + D(d[i]);
	return v;
}

static int
date_ok(int64_t y, int64_t m, int64_t d)
{
	static const int	 mdays[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int			 leap = (y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* ISO 7064 MOD 11,10 over n digits, the last the check digit. */
static int
mod11_10(const char *d, size_t n)
{
	size_t	 i;
	int	 p = 10, s;

	for (i = 0; i + 1 < n; i++) {
		if ((s = (D(d[i]) + p) % 10) == 0)
			s = 10;
		p = s * 2 % 11;
	}
	return (11 - p) % 10 == D(d[n - 1]);
}

/* ISO 7064 MOD 97-10: r carried on over s, letters as 10 to 35. */
static int
mod97_10(int r, const char *s)
{
	for (; *s != '\0'; s++)
		r = isdigit((unsigned char)*s) ? (r * 10 + D(*s)) % 97 :
		    (r * 100 + *s - 'A' + 10) % 97;
	return r;
}

/*
 * One checker per country: s is what follows the prefix, n its length,
 * already of one of the country's shapes.  Each returns 1 if the check
 * digits (and any date or office code they carry) are right.
 */

static int
ck_at(const char *s, size_t n)
{
	const char	*d = s + 1;	/* after the 'U' */
	size_t		 i;
	int		 sum = 0, v;

	(void)n;
	for (i = 0; i < 7; i++) {
		v = D(d[i]);
		if (i % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return (10 - (sum + 4) % 10) % 10 == D(d[7]);
}

static int
ck_be(const char *d, size_t n)
{
	return number(d, n) > 0 && (number(d, 8) + number(d + 8, 2)) % 97 == 0;
}

/* A Bulgarian personal number (EGN): a birth date, then a check digit. */
static int
bg_egn(const char *d)
{
	static const int	 w[] = { 2, 4, 8, 5, 10, 9, 7, 3, 6 };
	int64_t			 y = 1900 + number(d, 2), m = number(d + 2, 2);

	if (m > 40) {
		y += 100;
		m -= 40;
	} else if (m > 20) {
		y -= 100;
		m -= 20;
	}
	return date_ok(y, m, number(d + 4, 2)) &&
	    weighted(d, w, 9) % 11 % 10 == D(d[9]);
}

static int
ck_bg(const char *d, size_t n)
{
	static const int	 pnf[] = { 21, 19, 17, 13, 11, 9, 7, 3, 1 };
	static const int	 other[] = { 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	static const int	 w1[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const int	 w3[] = { 3, 4, 5, 6, 7, 8, 9, 10 };
	int			 c;

	if (n == 9) {		/* a legal entity */
		if ((c = weighted(d, w1, 8) % 11) == 10)
			c = weighted(d, w3, 8) % 11;
		return c % 10 == D(d[8]);
	}
	/* a person, a foreigner, or another kind of taxable person */
	if (bg_egn(d) || weighted(d, pnf, 9) % 10 == D(d[9]))
		return 1;
	c = (11 - weighted(d, other, 9) % 11) % 11;
	return c < 10 && c == D(d[9]);
}

static int
ck_ch(const char *d, size_t n)
{
	static const int	 w[] = { 5, 4, 3, 2, 7, 6, 5, 4 };
	int			 c = (11 - weighted(d, w, 8) % 11) % 11;

	(void)n;
	return c < 10 && c == D(d[8]);
}

static int
ck_cy(const char *d, size_t n)
{
	static const int	 even[] = { 1, 0, 5, 7, 9, 13, 15, 17, 19, 21 };
	size_t			 i;
	int			 sum = 0;

	(void)n;
	if (d[0] == '1' && d[1] == '2')
		return 0;
	for (i = 0; i < 8; i++)
		sum += i % 2 == 0 ? even[D(d[i])] : D(d[i]);
	return d[8] == 'A' + sum % 26;
}

/* A Czech or Slovak birth number of 9 (before 1954) or 10 digits. */
static int
birth_number(const char *d, size_t n)
{
	int64_t	 y = 1900 + number(d, 2), m = number(d + 2, 2) % 50 % 20;

	if (n == 9) {
		if (y >= 1980)
			y -= 100;
		if (y > 1953)
			return 0;
	} else if (y < 1954)
		y += 100;
	if (!date_ok(y, m, number(d + 4, 2)))
		return 0;
	return n == 9 || number(d, 9) % 11 % 10 == D(d[9]);
}

static int
ck_cz(const char *d, size_t n)
{
	static const int	 w[] = { 8, 7, 6, 5, 4, 3, 2 };
	int			 c;

	if (n == 8) {		/* a legal entity */
		c = (11 - weighted(d, w, 7) % 11) % 11;
		return d[0] != '9' && (c == 0 ? 1 : c) % 10 == D(d[7]);
	}
	if (n == 9 && d[0] == '6') {	/* a person without a birth number */
		c = weighted(d + 1, w, 7) % 11;
		return ((8 - (10 - c) % 11) % 10 + 10) % 10 == D(d[8]);
	}
	return birth_number(d, n);
}

static int
ck_de(const char *d, size_t n)
{
	return d[0] != '0' && mod11_10(d, n);
}

static int
ck_dk(const char *d, size_t n)
{
	static const int	 w[] = { 2, 7, 6, 5, 4, 3, 2, 1 };

	return d[0] != '0' && weighted(d, w, n) % 11 == 0;
}

static int
ck_ee(const char *d, size_t n)
{
	static const int	 w[] = { 3, 7, 1, 3, 7, 1, 3, 7, 1 };

	return weighted(d, w, n) % 10 == 0;
}

static int
ck_el(const char *d, size_t n)
{
	size_t	 i;
	int64_t	 c = 0;

	(void)n;
	for (i = 0; i < 8; i++)
		c = c * 2 + D(d[i]);
	return c * 2 % 11 % 10 == D(d[8]);
}

static int
ck_es(const char *d, size_t n)
{
	static const char	 dni[] = "TRWAGMYFPDXBNJZSQVHLCKE";
	char			 c = d[0], t[8];
	int			 k;

	(void)n;
	if (isdigit((unsigned char)c))		/* a resident */
		return d[8] == dni[number(d, 8) % 23];
	if (c == 'X' || c == 'Y' || c == 'Z')	/* a foreigner (NIE) */
		return d[8] == dni[((c - 'X') * 10000000 + number(d + 1, 7)) %
		    23];
	if (c == 'K' || c == 'L' || c == 'M')	/* a person without NIE */
		return d[8] == dni[number(d + 1, 7) % 23];
	if (strchr("ABCDEFGHJNPQRSUVW", c) == NULL)
		return 0;
	/* a legal entity (CIF): the Luhn digit of the seven, or its letter */
	memcpy(t, d + 1, 7);
	for (k = 0; k < 10; k++) {
		t[7] = (char)('0' + k);
		if (valid_luhn(t, 8))
			break;
	}
	return d[8] == '0' + k || d[8] == "JABCDEFGHI"[k];
}

static int
ck_fi(const char *d, size_t n)
{
	static const int	 w[] = { 7, 9, 10, 5, 8, 4, 2, 1 };

	return weighted(d, w, n) % 11 == 0;
}

static int
ck_fr(const char *d, size_t n)
{
	static const char	 key[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	const char		*a, *b;
	int64_t			 siren = number(d + 2, 9), c;

	(void)n;
	if ((a = strchr(key, d[0])) == NULL || (b = strchr(key, d[1])) == NULL)
		return 0;
	if (strncmp(d + 2, "000", 3) != 0 && !valid_luhn(d + 2, 9))
		return 0;
	if (isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[1]))
		return number(d, 2) == (siren * 100 + 12) % 97;
	/* the key of 2012 and later, with letters */
	c = isdigit((unsigned char)d[0]) ? (a - key) * 24 + (b - key) - 10 :
	    (a - key) * 34 + (b - key) - 100;
	return (siren + 1 + c / 11) % 11 == c % 11;
}

static int
ck_gb(const char *d, size_t n)
{
	static const int	 w[] = { 8, 7, 6, 5, 4, 3, 2, 10, 1 };
	int			 s;

	(void)n;
	if (d[0] == 'G')	/* government departments */
		return number(d + 2, 3) < 500;
	if (d[0] == 'H')	/* health authorities */
		return number(d + 2, 3) >= 500;
	s = weighted(d, w, 9) % 97;
	if (number(d, 3) < 100)
		return s == 0;
	return s == 0 || s == 42 || s == 55;
}

static int
ck_hr(const char *d, size_t n)
{
	return mod11_10(d, n);
}

static int
ck_hu(const char *d, size_t n)
{
	static const int	 w[] = { 9, 7, 3, 1, 9, 7, 3, 1 };

	return weighted(d, w, n) % 10 == 0;
}

static int
ck_ie(const char *d, size_t n)
{
	static const char	 alpha[] = "WABCDEFGHIJKLMNOPQRSTUV";
	static const int	 w[] = { 8, 7, 6, 5, 4, 3, 2 };
	const char		*p;
	char			 t[7];
	int			 s;

	if (isdigit((unsigned char)d[1]))
		memcpy(t, d, 7);
	else {			/* before 2013: 9X99999A is 099999 9 A */
		t[0] = '0';
		memcpy(t + 1, d + 2, 5);
		t[6] = d[0];
	}
	s = weighted(t, w, 7);
	if (n == 9) {
		if ((p = strchr(alpha, d[8])) == NULL)
			return 0;
		s += 9 * (int)(p - alpha);
	}
	return d[7] == alpha[s % 23];
}

static int
ck_it(const char *d, size_t n)
{
	int64_t	 office = number(d + 7, 3);

	return number(d, 7) > 0 && ((office >= 1 && office <= 100) ||
	    office == 120 || office == 121 || office == 888 || office == 999) &&
	    valid_luhn(d, n);
}

static int
ck_lt(const char *d, size_t n)
{
	size_t	 i;
	int	 s = 0;

	if (d[n - 2] != '1')
		return 0;
	for (i = 0; i + 1 < n; i++)
		s += (int)(1 + i % 9) * D(d[i]);
	if (s % 11 == 10)
		for (s = 0, i = 0; i + 1 < n; i++)
			s += (int)(1 + (i + 2) % 9) * D(d[i]);
	return s % 11 % 10 == D(d[n - 1]);
}

static int
ck_lu(const char *d, size_t n)
{
	(void)n;
	return number(d, 6) % 89 == number(d + 6, 2);
}

static int
ck_lv(const char *d, size_t n)
{
	static const int	 legal[] = { 9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1 };
	static const int	 person[] = { 10, 5, 8, 4, 2, 1, 6, 3, 7, 9 };

	if (d[0] > '3')		/* a legal entity */
		return weighted(d, legal, n) % 11 == 3;
	/* a person: DDMMYY and the century, unless the new kind, 32... */
	if (!(d[0] == '3' && d[1] == '2') && !date_ok(1800 + 100 * D(d[6]) +
	    number(d + 4, 2), number(d + 2, 2), number(d, 2)))
		return 0;
	return (1 + weighted(d, person, 10)) % 11 % 10 == D(d[10]);
}

static int
ck_mt(const char *d, size_t n)
{
	static const int	 w[] = { 3, 4, 6, 7, 8, 9, 10, 1 };

	return d[0] != '0' && weighted(d, w, n) % 37 == 0;
}

static int
ck_nl(const char *d, size_t n)
{
	static const int	 w[] = { 9, 8, 7, 6, 5, 4, 3, 2, -1 };

	(void)n;
	if (number(d, 9) == 0 || number(d + 10, 2) == 0)
		return 0;
	if ((weighted(d, w, 9) % 11 + 11) % 11 == 0)
		return 1;
	/* sole traders' numbers since 2020: MOD 97-10 over "NL" and all */
	return mod97_10(mod97_10(0, "NL"), d) == 1;
}

static int
ck_no(const char *d, size_t n)
{
	static const int	 w[] = { 3, 2, 7, 6, 5, 4, 3, 2, 1 };

	(void)n;
	return weighted(d, w, 9) % 11 == 0;
}

static int
ck_pl(const char *d, size_t n)
{
	static const int	 w[] = { 6, 5, 7, 2, 3, 4, 5, 6, 7, -1 };

	return (weighted(d, w, n) % 11 + 11) % 11 == 0;
}

static int
ck_pt(const char *d, size_t n)
{
	static const int	 w[] = { 9, 8, 7, 6, 5, 4, 3, 2 };

	(void)n;
	return d[0] != '0' &&
	    (11 - weighted(d, w, 8) % 11) % 11 % 10 == D(d[8]);
}

static int
ck_ro(const char *d, size_t n)
{
	static const int	 w[] = { 7, 5, 3, 2, 1, 7, 5, 3, 2 };
	char			 t[9];

	if (d[0] == '0')
		return 0;
	memset(t, '0', sizeof(t));
	memcpy(t + 9 - (n - 1), d, n - 1);	/* right-aligned */
	return weighted(t, w, 9) * 10 % 11 % 10 == D(d[n - 1]);
}

static int
ck_se(const char *d, size_t n)
{
	(void)n;
	return valid_luhn(d, 10);	/* then "01" */
}

static int
ck_si(const char *d, size_t n)
{
	static const int	 w[] = { 8, 7, 6, 5, 4, 3, 2 };
	int			 c = 11 - weighted(d, w, 7) % 11;

	(void)n;
	return d[0] != '0' && c != 11 && c % 10 == D(d[7]);
}

static int
ck_sk(const char *d, size_t n)
{
	if (birth_number(d, n))		/* a person */
		return 1;
	return d[0] != '0' && strchr("234789", d[2]) != NULL &&
	    number(d, n) % 11 == 0;
}

/*
 * Per prefix its country and shapes after the prefix: '9' a digit, 'A' a
 * letter, 'X' either, anything else itself.  From the EU's VIES rules
 * and the UK's, Switzerland's and Norway's own.
 */
static const struct vat_country {
	const char	*prefix;
	const char	*country;	/* ISO 3166 of the prefix */
	int		(*check)(const char *, size_t);
	const char	*shapes[9];
} countries[] = {
	{ "AT", "AT", ck_at, { "U99999999" } },
	{ "BE", "BE", ck_be, { "0999999999", "1999999999" } },
	{ "BG", "BG", ck_bg, { "999999999", "9999999999" } },
	{ "CHE", "CH", ck_ch, { "999999999", "999999999MWST", "999999999TVA",
	    "999999999IVA", "999999999TPV" } },
	{ "CY", "CY", ck_cy, { "99999999A" } },
	{ "CZ", "CZ", ck_cz, { "99999999", "999999999", "9999999999" } },
	{ "DE", "DE", ck_de, { "999999999" } },
	{ "DK", "DK", ck_dk, { "99999999" } },
	{ "EE", "EE", ck_ee, { "999999999" } },
	{ "EL", "GR", ck_el, { "999999999" } },
	{ "ES", "ES", ck_es, { "X9999999X" } },
	{ "FI", "FI", ck_fi, { "99999999" } },
	{ "FR", "FR", ck_fr, { "XX999999999" } },
	{ "GB", "GB", ck_gb, { "999999999", "999999999999", "GD999",
	    "HA999" } },
	{ "HR", "HR", ck_hr, { "99999999999" } },
	{ "HU", "HU", ck_hu, { "99999999" } },
	{ "IE", "IE", ck_ie, { "9999999A", "9999999AA", "9X99999A" } },
	{ "IT", "IT", ck_it, { "99999999999" } },
	{ "LT", "LT", ck_lt, { "999999999", "999999999999" } },
	{ "LU", "LU", ck_lu, { "99999999" } },
	{ "LV", "LV", ck_lv, { "99999999999" } },
	{ "MT", "MT", ck_mt, { "99999999" } },
	{ "NL", "NL", ck_nl, { "999999999B99" } },
	{ "NO", "NO", ck_no, { "999999999", "999999999MVA" } },
	{ "PL", "PL", ck_pl, { "9999999999" } },
	{ "PT", "PT", ck_pt, { "999999999" } },
	{ "RO", "RO", ck_ro, { "99", "999", "9999", "99999", "999999",
	    "9999999", "99999999", "999999999", "9999999999" } },
	{ "SE", "SE", ck_se, { "999999999901" } },
	{ "SI", "SI", ck_si, { "99999999" } },
	{ "SK", "SK", ck_sk, { "9999999999" } },
	{ "XI", "GB", ck_gb, { "999999999", "999999999999", "GD999",
	    "HA999" } },
};

static int
shape_ok(const char *s, const char *shape)
{
	for (; *shape != '\0'; s++, shape++) {
		if (*s == '\0')
			return 0;
		if (*shape == '9' ? !isdigit((unsigned char)*s) :
		    *shape == 'A' ? !isupper((unsigned char)*s) :
		    *shape == 'X' ? !isupper((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) : *s != *shape)
			return 0;
	}
	return *s == '\0';
}

/* The country whose prefix and one of whose shapes v has, or NULL. */
static const struct vat_country *
find(const char *v)
{
	size_t	 i, j, n;

	for (i = 0; i < NELEM(countries); i++) {
		n = strlen(countries[i].prefix);
		if (strncmp(v, countries[i].prefix, n) != 0)
			continue;
		for (j = 0; j < NELEM(countries[i].shapes) &&
		    countries[i].shapes[j] != NULL; j++)
			if (shape_ok(v + n, countries[i].shapes[j]))
				return &countries[i];
		return NULL;
	}
	return NULL;
}

/*
 * A short form written out: the digits after the two-letter prefix of
 * s, if there are lo to width - 1 of them and then tail's shape, are
 * left-padded with zeros to width.  Returns 0 if s is not of that form
 * or would not fit in sz.
 */
static int
zero_pad(char *s, size_t sz, size_t lo, size_t width, const char *tail)
{
	size_t	 k = strspn(s + 2, "0123456789"), len = strlen(s);

	if (k < lo || k >= width || !shape_ok(s + 2 + k, tail) ||
	    len + width - k >= sz)
		return 0;
	memmove(s + 2 + width - k, s + 2, len - 2 + 1);
	memset(s + 2, '0', width - k);
	return 1;
}

/*
 * raw as the tax offices write it, into out: upper-cased, without
 * spaces, dots, hyphens, slashes or brackets, "GR" as "EL", and the
 * short forms written out: a Belgian number of 9 digits takes a leading
 * 0, a Greek one of 8 too, and a Dutch one has 9 digits before its "B".
 * Returns VATID_OK if out then has a country's shape, else VATID_SHAPE.
 */
enum vatid_status
vatid_normalize(const char *raw, char *out, size_t outsz)
{
	const char	*p;
	size_t		 n = 0;

	if (outsz == 0)
		return VATID_SHAPE;
	for (p = raw; *p != '\0'; p++) {
		if (strchr(" .-/()", *p) != NULL)
			continue;
		if (!isalnum((unsigned char)*p) || n + 1 >= outsz) {
			out[0] = '\0';
			return VATID_SHAPE;
		}
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	if (strncmp(out, "GR", 2) == 0)
		out[0] = 'E', out[1] = 'L';
	if (strncmp(out, "BE", 2) == 0)
		zero_pad(out, outsz, 9, 10, "");
	else if (strncmp(out, "EL", 2) == 0)
		zero_pad(out, outsz, 8, 9, "");
	else if (strncmp(out, "NL", 2) == 0)
		zero_pad(out, outsz, 1, 9, "B99");
	return find(out) == NULL ? VATID_SHAPE : VATID_OK;
}

/*
 * Whether a normalized VAT number has its country's shape (else
 * VATID_SHAPE) and check digits (else VATID_CHECK).
 */
enum vatid_status
vatid_check(const char *v)
{
	const struct vat_country	*c;
	size_t				 n;

	if ((c = find(v)) == NULL)
		return VATID_SHAPE;
	n = strlen(c->prefix);
	return c->check(v + n, strlen(v + n)) ? VATID_OK : VATID_CHECK;
}

/*
 * The ISO country of a normalized VAT number of a known shape ("EL..."
 * is "GR", "XI..." is "GB"), or NULL.
 */
const char *
vatid_country(const char *v)
{
	const struct vat_country	*c = find(v);

	return c == NULL ? NULL : c->country;
}
