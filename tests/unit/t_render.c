/* t_render.c: the HDF helpers pages build their data with: names, rows, integers, money, dates. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ClearSilver.h>

#include "log.h"
#include "money.h"
#include "render.h"
#include "tap.h"

/* The value at name, or "(none)". */
static const char *
get(HDF *hdf, const char *name)
{
	return hdf_get_value(hdf, name, "(none)");
}

int
main(void)
{
	HDF	*hdf = NULL, *row;
	char	 longname[300];

	log_init("t_render");
	if (hdf_init(&hdf) != STATUS_OK)
		return 1;

	/* Names: plain, with %zu and %s, and any other conversion. */
	is_i64(hdf_put(hdf, "a", "Page.Title"), 0, "a plain name");
	is_str(get(hdf, "Page.Title"), "a", "is set");
	is_i64(hdf_put(hdf, "b", "Subs.%zu.%s", (size_t)12, "Product"), 0,
	    "%%zu and %%s");
	is_str(get(hdf, "Subs.12.Product"), "b", "are formatted");
	is_i64(hdf_put(hdf, "c", "Subs.%zu.X", (size_t)0), 0, "zero");
	is_str(get(hdf, "Subs.0.X"), "c", "is 0");
	is_i64(hdf_put(hdf, "d", "N.%d.%02d", 7, 3), 0, "other conversions");
	is_str(get(hdf, "N.7.03"), "d", "go through vsnprintf");
	is_str(get(hdf, "Subs.12.Product"), "b", "and leave the rest alone");
	is_i64(hdf_put(hdf, "v", "%s", "100% sure"), 0, "a %% inside an "
	    "argument");
	is_str(get(hdf, "100% sure"), "v", "is copied as it is");

	/* Too long: refused, nothing set, whichever way it grows. */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	is_i64(hdf_put(hdf, "e", "%s", longname), -1, "a 299-byte name "
	    "from %%s is refused");
	is_i64(hdf_put(hdf, "e", "A.%s.%zu", longname + 40, (size_t)1), -1,
	    "and from text and %%s");
	is_i64(hdf_put(hdf, "e", "%s%zu", longname + 45, (size_t)123456),
	    -1, "and from %%zu at the end");
	ok(hdf_get_obj(hdf, "A") == NULL, "nothing was set");
	longname[255] = '\0';
	is_i64(hdf_put(hdf, "f", "%s", longname), 0, "255 bytes fit");
	longname[255] = 'x';
	longname[256] = '\0';
	is_i64(hdf_put(hdf, "f", "%s", longname), -1, "256 do not");

	/* Rows: values by relative names, the same node each time. */
	row = hdf_row(hdf, "Docs", 3);
	ok(row != NULL, "a row");
	is_i64(hdf_put(row, "INV-1", "Number"), 0, "a value in it");
	is_str(get(hdf, "Docs.3.Number"), "INV-1", "under Docs.3");
	ok(hdf_row(hdf, "Docs", 3) == row, "the same row again");
	ok(hdf_row(hdf, longname, 1) == NULL, "a row name too long");

	/* Integers: both ends of int64 and zero. */
	is_i64(hdf_put_int(hdf, 0, "I.Zero"), 0, "0");
	is_str(get(hdf, "I.Zero"), "0", "as 0");
	is_i64(hdf_put_int(hdf, -42, "I.Neg"), 0, "-42");
	is_str(get(hdf, "I.Neg"), "-42", "as -42");
	is_i64(hdf_put_int(hdf, INT64_MAX, "I.Max"), 0, "INT64_MAX");
	is_str(get(hdf, "I.Max"), "9223372036854775807", "in full");
	is_i64(hdf_put_int(hdf, INT64_MIN, "I.Min"), 0, "INT64_MIN");
	is_str(get(hdf, "I.Min"), "-9223372036854775808", "in full");

	/* Money and dates, as people read them. */
	is_i64(hdf_put_money(hdf, -123456, "EUR", "M.A"), 0, "an amount");
	is_str(get(hdf, "M.A"), "-€1,234.56", "with sign, symbol, groups");
	is_i64(hdf_put_money(hdf, 5, "XYZ", "M.B"), -1, "an unknown "
	    "currency is refused");
	is_i64(hdf_put_date(hdf, 1795347397, "D.A"), 0, "a date");
	is_str(get(hdf, "D.A"), "2026-11-22", "in UTC, YYYY-MM-DD");

	hdf_destroy(&hdf);
	return tap_done();
}
