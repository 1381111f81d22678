/* tdb.h: header-only helpers of the unit tests that work on a ledger: times and one-value queries. */
/* Copyright (c) 2026 the Reckon authors. SPDX-License-Identifier: ISC */

#ifndef TDB_H
#define TDB_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "db.h"
#include "tap.h"
#include "util.h"

/* The UTC time s ("2026-02-01", "2026-02-01T00:00:01Z") in seconds. */
static inline int64_t
tdb_time(const char *s)
{
	int64_t	 v = 0;

	if (util_time_parse(s, &v) == -1)
		diag("bad time %s", s);
	return v;
}

/* The first column of the first row of a query (printf-formatted), -1 if none. */
static inline int64_t
tdb_int(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline int64_t
tdb_int(struct db *db, const char *fmt, ...)
{
	char		 sql[768];
	va_list		 ap;
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		diag("%s: %s", sql, sqlite3_errmsg(db->h));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#endif
