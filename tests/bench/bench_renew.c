/* bench_renew.c: reckonctl renew in its two phases, timed apart: renewal_run without charging, then renewal_charge_now on a sample of the charges it left, then renewal_charges on the rest. */
/*
 * usage: bench_renew DB NOW K
 *
 * Phase 1 is renewal_run(db, NOW, no_charge = 1, ...) over every due
 * subscription; phase 2 attempts the first K pending charges one by one
 * (renewal_charge_now, as a request charges); phase 3 attempts the
 * rest as reckonctl renew does, in batches (renewal_charges).  The
 * allocator is set as reckonctl's malloc_tune sets it.  Prints
 *	invoice: R renewed in S s: X subs/s
 *	charge: K charges in S s: X ms/charge
 *	charge batches: C charges in S s: X charges/s
 */
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "gateway.h"
#include "log.h"
#include "renewal.h"
#include "util.h"

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct renewal_stats	 st;
	struct db		*db;
	sqlite3_stmt		*q;
	int64_t			 now, *ids;
	char			*sandbox;
	double			 t0, t;
	long			 k, n = 0, i;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_renew DB NOW K\n");
		return 2;
	}
#ifdef M_TRIM_THRESHOLD
	(void)mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 1024 * 1024);
	(void)mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
	log_init("bench_renew");
	now = strtoll(argv[2], NULL, 10);
	k = strtol(argv[3], NULL, 10);
	if (db_open(argv[1], 0, &db) != DB_OK)
		return 1;
	sandbox = xasprintf("%s.sandbox", argv[1]);
	if (gateway_init(sandbox) == -1)
		return 1;
	free(sandbox);

	memset(&st, 0, sizeof(st));
	t0 = now_s();
	if (renewal_run(db, now, 1, &st) != DB_OK) {
		fprintf(stderr, "bench_renew: renewal_run failed\n");
		return 1;
	}
	t = now_s() - t0;
	printf("invoice: %lld renewed in %.3f s: %.1f subs/s\n",
	    (long long)st.renewed, t, (double)st.renewed / t);

	ids = xcalloc((size_t)k + 1, sizeof(*ids));
	if (sqlite3_prepare_v2(db->h, "SELECT id FROM charge WHERE status = "
	    "'pending' ORDER BY id LIMIT ?", -1, &q, NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_int64(q, 1, k);
	while (sqlite3_step(q) == SQLITE_ROW && n < k)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	memset(&st, 0, sizeof(st));
	t0 = now_s();
	for (i = 0; i < n; i++)
		if (renewal_charge_now(db, ids[i], now, &st) != DB_OK) {
			fprintf(stderr, "bench_renew: charge %lld failed\n",
			    (long long)ids[i]);
			return 1;
		}
	t = now_s() - t0;
	printf("charge: %ld charges (%lld succeeded) in %.3f s: "
	    "%.3f ms/charge\n", n, (long long)st.charged, t,
	    n > 0 ? t * 1000.0 / (double)n : 0.0);

	memset(&st, 0, sizeof(st));
	t0 = now_s();
	if (renewal_charges(db, now, &st) != DB_OK) {
		fprintf(stderr, "bench_renew: renewal_charges failed\n");
		return 1;
	}
	t = now_s() - t0;
	printf("charge batches: %lld charges in %.3f s: %.1f charges/s\n",
	    (long long)(st.charged + st.declined + st.failed), t,
	    (double)(st.charged + st.declined + st.failed) / t);
	free(ids);
	gateway_close();
	db_close(db);
	return 0;
}
