/* csv.c: RFC 4180 CSV for the receipts export: quoting, CRLF rows, formula guard. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <ctype.h>
#include <string.h>

#include "csv.h"
#include "util.h"

/*
 * The CSV is opened by accountants in spreadsheets, which run a cell
 * that starts with '=', '+', '-' or '@' (or a tab or CR before one) as
 * a formula: "=HYPERLINK(...)" in a purchase-order reference would run
 * on the accountant's machine.  So a field that starts with one of
 * these is written with a leading apostrophe, which spreadsheets show
 * as text and do not run (OWASP's advice).  Numbers are exempt: a
 * plain decimal like "-12.50" (a credit note's amount) runs nothing
 * and must stay a number.  The price: such a text field does not
 * round-trip byte for byte (it gains the apostrophe); none of our
 * generated fields (numbers, dates, words) starts with a trigger.
 */
static int
formula_like(const char *s)
{
	const char	*p = s;

	if (*s == '\0' || strchr("=+-@\t\r", *s) == NULL)
		return 0;
	/* -?[0-9]+(\.[0-9]+)? is a number, not a formula. */
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return 1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return 1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p != '\0';
}

/*
 * Append the field s (borrowed, UTF-8, written as it is) to the row
 * being built at the end of b, with a ',' before it unless it is the
 * row's first.  The field is quoted, with its quotes doubled, if it
 * holds ',', '"', CR or LF, starts or ends with a space (so no reader
 * trims it), or is a formula guarded as above (apostrophe inside the
 * quotes).  An empty field is written as nothing, except as the first
 * of a row, where it is "" so that a one-field row is never an empty
 * line.  A row's start is where b is empty or ends with csv_row_end's
 * LF (a quoted field always ends with '"', never with LF).
 */
void
csv_field(struct buf *b, const char *s)
{
	const char	*p;
	int		 first, guard, quote;
	size_t		 k, n = strlen(s);

	first = b->len == 0 || b->p[b->len - 1] == '\n';
	if (!first)
		buf_add(b, ",", 1);
	guard = formula_like(s);
	quote = guard || strpbrk(s, ",\"\r\n") != NULL ||
	    (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) || (first && n == 0);
	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	buf_add(b, "\"", 1);
	if (guard)
		buf_add(b, "'", 1);
	for (p = s; *p != '\0'; p += k) {
		k = strcspn(p, "\"");
		buf_add(b, p, k);
		if (p[k] == '"') {
			buf_add(b, "\"\"", 2);
			k++;
		}
	}
	buf_add(b, "\"", 1);
}

/* End the row being built in b: RFC 4180's CRLF. */
void
csv_row_end(struct buf *b)
{
	buf_add(b, "\r\n", 2);
}
