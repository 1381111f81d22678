/* valid.c: validators of form and query input; narrow syntax, no trimming. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "country.h"
#include "valid.h"
#include "vatid.h"

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

/* An optional line of text: empty, or as valid_text_line. */
int
valid_text_opt(struct field *f)
{
	if (!text_ok(f->raw, TEXT_LINE_MAX))
		return 0;
	return accept_str(f);
}

/* An ISO 3166-1 alpha-2 code of a country that exists, upper case. */
int
valid_country(struct field *f)
{
	if (strlen(f->raw) != 2 || country_find(f->raw) == NULL)
		return 0;
	return accept_str(f);
}

/* A postal code: 1 to 16 letters, digits, spaces and hyphens. */
int
valid_postal_code(struct field *f)
{
	const char	*p;

	if (f->raw[0] == '\0' || strlen(f->raw) > 16)
		return 0;
	for (p = f->raw; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != ' ' && *p != '-')
			return 0;
	return accept_str(f);
}

/* A purchase-order reference: empty, or up to 64 bytes of text. */
int
valid_po_reference(struct field *f)
{
	if (!text_ok(f->raw, 64))
		return 0;
	return accept_str(f);
}

/* A list index from a form button: 0 to 99, no leading zero. */
int
valid_index(struct field *f)
{
	const char	*p = f->raw;

	if (p[0] == '\0' || strlen(p) > 2 || (p[0] == '0' && p[1] != '\0'))
		return 0;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	f->type = FIELD_INT;
	f->u.i = strtol(f->raw, NULL, 10);
	return 1;
}

/* A payment processor's token: 3 to 64 of [A-Za-z0-9_]. */
int
valid_processor_token(struct field *f)
{
	const char	*p;
	size_t		 n = strlen(f->raw);

	if (n < 3 || n > 64)
		return 0;
	for (p = f->raw; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	return accept_str(f);
}

/*
 * A VAT number of an EU country, the UK, Switzerland or Norway, as the
 * tax offices write it (vatid_normalize) into f->norm, of its country's
 * shape; its check digits are a business rule (details_check), so the
 * page can say which is wrong.  An empty value is valid (none).
 */
int
valid_vat(struct field *f)
{
	if (f->raw[0] == '\0')
		f->norm[0] = '\0';
	else if (vatid_normalize(f->raw, f->norm, sizeof(f->norm)) != VATID_OK)
		return 0;
	f->type = FIELD_STR;
	f->u.s = f->norm;
	return 1;
}

/* Whether the n ASCII digits d end in their Luhn (mod 10) check digit. */
int
valid_luhn(const char *d, size_t n)
{
	size_t	 i;
	int	 sum = 0, v;

	for (i = 0; i < n; i++) {
		v = d[n - 1 - i] - '0';
		if (i % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return sum % 10 == 0;
}

/* Digit groups kept while scanning: a window has at most 19 digits. */
#define CARD_GROUPS	20
#define CARD_GAP_MAX	3	/* separators between two groups, at most */
#define GAP_BREAK	((gunichar)-1)	/* no gap: the groups are apart */
#define GAP_BLANK	((gunichar)-2)	/* spaces and dashes only */

/*
 * What joins two digit groups, c being one separator of the gap
 * (*cls so far, 0 at the gap's start): spaces of every kind and dashes
 * of every kind are one class, GAP_BLANK; any other punctuation or
 * symbol is a class of its own, and a gap holds at most one such
 * character besides blanks ("4111. 1111"); letters and other digits
 * break the run.  Returns 0 if c cannot be in a gap.
 */
static int
gap_add(gunichar c, gunichar *cls)
{
	GUnicodeType	 t = g_unichar_type(c);

	if (g_unichar_isspace(c) || t == G_UNICODE_SPACE_SEPARATOR ||
	    t == G_UNICODE_DASH_PUNCTUATION || c == 0x2212) {
		if (*cls == 0)
			*cls = GAP_BLANK;
		return 1;
	}
	if (g_unichar_isalnum(c) || t == G_UNICODE_CONTROL ||
	    t == G_UNICODE_UNASSIGNED || t == G_UNICODE_PRIVATE_USE ||
	    t == G_UNICODE_SURROGATE)
		return 0;
	if (*cls != 0 && *cls != GAP_BLANK && *cls != c)
		return 0;
	*cls = c;
	return 1;
}

/*
 * Whether s holds what looks like a payment card number: 13 to 19
 * digits passing the Luhn check, in whole groups of a run.  Every
 * Unicode decimal digit counts as its value (fullwidth, Arabic-Indic,
 * Devanagari...); invisible format characters (zero-width spaces, soft
 * hyphens) are not there at all; groups join across gaps of up to three
 * separators (see gap_add), all of one class within a run, so
 * "4111.1111.1111.1111", "4111 – 1111 – 1111 – 1111" and
 * "4242 4242-4242 4242" are found, while the two dates of
 * "15.11.2026 - 15.12.2026" are two runs.  Every run of whole groups is
 * tried, so "4242 4242 4242 4242 12/30" (the number, then the expiry)
 * is found, while a 20-digit run is not taken for a card.  s is UTF-8;
 * a byte that is not is a letter.  Such input is refused everywhere and
 * stored nowhere.
 */
int
valid_has_card_number(const char *s)
{
	char		 dig[CARD_GROUPS][20], w[20];
	size_t		 len[CARD_GROUPS], n, tot, g, k, m;
	gunichar	 before[CARD_GROUPS], cls, c;
	const char	*p = s, *q;
	int		 v, in = 0, gap = 0;

	n = m = 0;
	cls = GAP_BREAK;
	for (;;) {
		c = *p == '\0' ? 0 : g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			q = p + 1;	/* not UTF-8: a letter */
			c = 'x';
		} else
			q = *p == '\0' ? p : g_utf8_next_char(p);
		if (c != 0 && g_unichar_type(c) == G_UNICODE_FORMAT) {
			p = q;		/* invisible: not there */
			continue;
		}
		if (c != 0 && (v = g_unichar_digit_value(c)) >= 0) {
			if (!in) {	/* a new group */
				k = n % CARD_GROUPS;
				before[k] = gap && n > 0 ? cls : GAP_BREAK;
				len[k] = 0;
				n++;
				in = 1;
			}
			k = (n - 1) % CARD_GROUPS;
			if (len[k] < sizeof(dig[k]))
				dig[k][len[k]] = (char)('0' + v);
			len[k]++;
			p = q;
			continue;
		}
		if (in) {
			/* A group ended: try every window that ends with it. */
			in = 0;
			tot = 0;
			for (g = n; g-- > 0 && n - g <= CARD_GROUPS;) {
				k = g % CARD_GROUPS;
				if ((tot += len[k]) > 19)
					break;
				if (tot >= 13) {
					for (m = g, tot = 0; m < n; m++) {
						memcpy(w + tot,
						    dig[m % CARD_GROUPS],
						    len[m % CARD_GROUPS]);
						tot += len[m % CARD_GROUPS];
					}
					if (valid_luhn(w, tot))
						return 1;
				}
				if (before[k] == GAP_BREAK || (g + 1 < n &&
				    before[k] != before[(n - 1) %
				    CARD_GROUPS]))
					break;
			}
			gap = 1;
			cls = 0;
			m = 0;
		}
		if (c == 0)
			return 0;
		if (gap && (++m > CARD_GAP_MAX || !gap_add(c, &cls)))
			gap = 0;
		p = q;
	}
}

/* A word of ours in a URL or button: 1 to 32 of [a-z0-9_]. */
int
valid_word(struct field *f)
{
	const char	*p;

	if (f->raw[0] == '\0' || strlen(f->raw) > 32)
		return 0;
	for (p = f->raw; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_')
			return 0;
	return accept_str(f);
}

/*
 * Days from 1970-01-01 to the first of month m (1-12) of year y
 * (proleptic Gregorian), by whole years and a table of month offsets.
 */
static int64_t
days_to_month(int y, int m)
{
	static const int	 before[12] = { 0, 31, 59, 90, 120, 151, 181,
	    212, 243, 273, 304, 334 };
	int64_t			 yy = y - 1;
	int64_t			 d;

	/* Leap days from year 1 to y - 1, less those up to 1969 (477). */
	d = (int64_t)(y - 1970) * 365 + (yy / 4 - yy / 100 + yy / 400) - 477;
	d += before[m - 1];
	if (m > 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		d++;
	return d;
}

/* Four digits forming a year from 2000 to 2999 into *y; 1 or 0. */
static int
year_ok(const char *p, int *y)
{
	int	 i;

	for (*y = 0, i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)p[i]))
			return 0;
		*y = *y * 10 + (p[i] - '0');
	}
	return *y >= 2000 && *y <= 2999;
}

/*
 * A month of the receipts list, as an <input type="month"> sends it:
 * exactly "YYYY-MM", year 2000 to 2999, month 01 to 12.  On success
 * store the first second of that month, UTC, in f->u.i.
 */
int
valid_month(struct field *f)
{
	const char	*p = f->raw;
	int		 y, m;

	if (strlen(p) != 7 || !year_ok(p, &y) || p[4] != '-' ||
	    !isdigit((unsigned char)p[5]) || !isdigit((unsigned char)p[6]))
		return 0;
	m = (p[5] - '0') * 10 + (p[6] - '0');
	if (m < 1 || m > 12)
		return 0;
	f->type = FIELD_INT;
	f->u.i = days_to_month(y, m) * 86400;
	return 1;
}

/*
 * A year of the receipts list: exactly four digits, 2000 to 2999.  On
 * success store the first second of January 1st, UTC, in f->u.i.
 */
int
valid_year(struct field *f)
{
	int	 y;

	if (strlen(f->raw) != 4 || !year_ok(f->raw, &y))
		return 0;
	f->type = FIELD_INT;
	f->u.i = days_to_month(y, 1) * 86400;
	return 1;
}

/*
 * Whether s is a document number as invoice.c issues them: 1 to 31 of
 * [A-Z0-9-].  The same test guards URLs, file names, ZIP entries and
 * reckonctl's arguments.  Returns 1 or 0.
 */
int
valid_doc_number(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (n >= 31 || !((s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
			return 0;
	return n > 0;
}
