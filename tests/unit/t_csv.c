/* t_csv.c: unit tests of csv.c: quoting, rows, and the formula guard, as a table. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util.h"
#include "tap.h"

/* One field alone in a row, and the row wanted (CRLF included). */
static const struct {
	const char	*in;
	const char	*want;
	const char	*what;
} one[] = {
	{ "INV-2026-000012", "INV-2026-000012\r\n", "plain" },
	{ "a,b", "\"a,b\"\r\n", "comma: quoted" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"\r\n", "quote: quoted, doubled" },
	{ "\"", "\"\"\"\"\r\n", "a lone quote" },
	{ "a\rb", "\"a\rb\"\r\n", "CR: quoted" },
	{ "a\nb", "\"a\nb\"\r\n", "LF: quoted" },
	{ "a\r\nb", "\"a\r\nb\"\r\n", "CRLF: quoted, kept" },
	{ "", "\"\"\r\n", "empty as a row's only field: \"\"" },
	{ "Müller & Søn – 北京", "Müller & Søn – 北京\r\n",
	  "UTF-8: bytes as they are" },
	{ " lead", "\" lead\"\r\n", "leading space: quoted" },
	{ "trail ", "\"trail \"\r\n", "trailing space: quoted" },
	{ "in side", "in side\r\n", "inner space: not quoted" },
	{ "=1+1", "\"'=1+1\"\r\n", "formula: apostrophe, quoted" },
	{ "+1", "\"'+1\"\r\n", "plus sign: guarded" },
	{ "@SUM(A1)", "\"'@SUM(A1)\"\r\n", "at sign: guarded" },
	{ "-1+1", "\"'-1+1\"\r\n", "minus then formula: guarded" },
	{ "=HYPERLINK(\"http://x\",\"y\")",
	  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n",
	  "formula with quotes: guarded and doubled" },
	{ "\t=1", "\"'\t=1\"\r\n", "tab first: guarded" },
	{ "\r=1", "\"'\r=1\"\r\n", "CR first: guarded" },
	{ "-12.50", "-12.50\r\n", "negative amount stays a number" },
	{ "-5", "-5\r\n", "negative integer stays a number" },
	{ "-", "\"'-\"\r\n", "a lone minus: guarded" },
	{ "-1.", "\"'-1.\"\r\n", "not a plain number: guarded" },
	{ "-.5", "\"'-.5\"\r\n", "no integer digit: guarded" },
	{ "1234.50", "1234.50\r\n", "amount: plain" },
	{ "a=1", "a=1\r\n", "'=' inside: plain" },
};

/* Fields of one row (NULL-terminated), and the rows wanted. */
static const struct {
	const char	*in[6];
	const char	*want;
	const char	*what;
} rows[] = {
	{ { "a", "b", "c", NULL }, "a,b,c\r\n", "three plain fields" },
	{ { "", "b", NULL }, "\"\",b\r\n", "empty first field" },
	{ { "a", "", NULL }, "a,\r\n", "empty last field" },
	{ { "a", "", "", "d", NULL }, "a,,,d\r\n", "empty middle fields" },
	{ { "x,y", "z\n", "q", NULL }, "\"x,y\",\"z\n\",q\r\n",
	  "quoted fields in a row" },
};

int
main(void)
{
	struct buf	 b;
	size_t		 i, j;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		memset(&b, 0, sizeof(b));
		csv_field(&b, one[i].in);
		csv_row_end(&b);
		is_str(b.p, one[i].want, "field: %s", one[i].what);
		buf_free(&b);
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&b, 0, sizeof(b));
		for (j = 0; rows[i].in[j] != NULL; j++)
			csv_field(&b, rows[i].in[j]);
		csv_row_end(&b);
		is_str(b.p, rows[i].want, "row: %s", rows[i].what);
		buf_free(&b);
	}

	/* Rows follow each other: each starts without a comma. */
	memset(&b, 0, sizeof(b));
	csv_field(&b, "number");
	csv_field(&b, "total");
	csv_row_end(&b);
	csv_field(&b, "");
	csv_field(&b, "a\nb");
	csv_row_end(&b);
	csv_field(&b, "INV-1");
	csv_field(&b, "-1.00");
	csv_row_end(&b);
	is_str(b.p, "number,total\r\n\"\",\"a\nb\"\r\nINV-1,-1.00\r\n",
	    "three rows: a quoted LF does not start a row");
	buf_free(&b);

	/* A long field is quoted whole, not cut. */
	memset(&b, 0, sizeof(b));
	{
		char	*big = xmalloc(100001), *want;

		memset(big, 'x', 100000);
		big[100000] = '\0';
		big[50000] = ',';
		csv_field(&b, big);
		want = xasprintf("\"%s\"", big);
		is_str(b.p, want, "100 000 bytes with a comma: quoted whole");
		free(want);
		free(big);
	}
	buf_free(&b);
	return tap_done();
}
