/* bench_sqlite.c: the floor for reckonctl renew: plain SQLite writing the rows a renewal writes, in batches, with the product's pragmas. */
/*
 * usage: bench_sqlite DB NOW BATCH [bare]
 *
 * Reads every subscription due at NOW (one query, with its plan, product
 * and organization), then per subscription, BATCH to a write transaction
 * (BEGIN IMMEDIATE ... COMMIT; WAL, synchronous = FULL, foreign keys on,
 * no memory statistics, and a passive checkpoint after a commit that
 * leaves 1000 frames in the WAL, as db_open and db_commit do; the
 * allocator keeps freed memory as reckonctl's malloc_tune has it, so
 * that glibc's heap trimming is not counted against SQLite), with
 * prepared statements:
 *   the next invoice number (doc_series, the product's statement),
 *   the invoice's journal entry and its 2 or 3 lines (the balance
 *   trigger runs), the document and its line, the pending charge, the
 *   invoice email in the outbox, the subscription moved to its next
 *   period; then the payment as a successful charge leaves it: a journal
 *   entry and 2 lines, the receipt, the charge marked succeeded.
 * VAT comes from invoice_tax_rule (pure C).
 *
 * With "bare", the lower bound of SQLite itself: first (untimed, and
 * destroying DB's schema: give it a copy) every table written is made
 * again, empty, with its columns and its INTEGER PRIMARY KEY only, and
 * the subscriptions' indexes are dropped: no trigger (so no balances),
 * CHECK, NOT NULL, UNIQUE, foreign key or index; the same rows are
 * then written the same way.  Prints
 *	sqlite: N subscriptions in S s: X subs/s (R rows)
 */
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "country.h"
#include "invoice.h"
#include "money.h"
#include "util.h"

struct due {
	int64_t	 id, org, qty, price, end;
	char	 cur[4], product[128], name[256], addr[1024], country[3];
	char	 vat[32], email[256];
};

enum {
	S_SERIES, S_ENTRY, S_LINE, S_DOC, S_DOCLINE, S_CHARGE, S_OUTBOX,
	S_ADVANCE, S_RECEIPT, S_CHARGE_OK, S__MAX
};

static const char *const sql[S__MAX] = {
	"INSERT INTO doc_series (kind, year, last) VALUES ('invoice', ?, 1) "
	"ON CONFLICT (kind, year) DO UPDATE SET last = last + 1 "
	"RETURNING last",
	"INSERT INTO journal_entry (org_id, idem_key, kind, memo, currency, "
	"posted_at) VALUES (?, ?, ?, ?, ?, ?)",
	"INSERT INTO journal_line (entry_id, org_id, account, amount) "
	"VALUES (?, ?, ?, ?)",
	"INSERT INTO document (org_id, kind, number, series_year, seq, "
	"issued_at, period_start, period_end, currency, paper, seller_name, "
	"seller_address, seller_country, seller_vat, buyer_name, "
	"buyer_address, buyer_country, buyer_vat, po_reference, "
	"reverse_charge, tax_note, net_total, tax_total, total, corrects_id, "
	"entry_id) VALUES (?, 'invoice', ?, ?, ?, ?, ?, ?, ?, 'A4', ?, ?, ?, "
	"?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, NULL, ?)",
	"INSERT INTO document_line (document_id, position, description, "
	"period_start, period_end, quantity, unit_price, amount, tax_rate_bp, "
	"tax_amount) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
	"INSERT INTO charge (org_id, document_id, idem_key, amount, currency, "
	"status, next_attempt_at, created_at) "
	"VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
	"INSERT INTO outbox (org_id, idem_key, kind, to_addr, subject, body, "
	"document_id, created_at, next_attempt_at) "
	"VALUES (?, ?, 'invoice', ?, ?, ?, ?, ?, ?) "
	"ON CONFLICT (idem_key) DO NOTHING",
	"UPDATE subscription SET period_start = ?, period_end = ? "
	"WHERE id = ? AND period_end = ? AND status = 'active'",
	"INSERT INTO receipt (document_id, org_id, paid_at, amount, method, "
	"entry_id) VALUES (?, ?, ?, ?, 'Visa ending 4242', ?)",
	"UPDATE charge SET status = 'succeeded', attempts = 1, "
	"processor_ref = ? WHERE id = ?",
};
/* S_OUTBOX when bare: no key to conflict on. */
static const char sql_bare_outbox[] =
	"INSERT INTO outbox (org_id, idem_key, kind, to_addr, subject, body, "
	"document_id, created_at, next_attempt_at) "
	"VALUES (?, ?, 'invoice', ?, ?, ?, ?, ?, ?)";

/* The tables "bare" makes again; doc_series keeps its key (the upsert). */
static const char *const bare_tables[] = {
	"journal_entry", "journal_line", "document", "document_line",
	"charge", "outbox", "receipt"
};

static sqlite3		*h;
static sqlite3_stmt	*st[S__MAX];
static long		 rows;
static int		 wal_frames;

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_sqlite: %s: %s\n", what, sqlite3_errmsg(h));
	exit(1);
}

static void
run(sqlite3_stmt *s)
{
	int	 rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		die(sqlite3_sql(s));
	if (sqlite3_changes(h) > 0)
		rows++;
	sqlite3_reset(s);
}

static void
exec(const char *q)
{
	if (sqlite3_exec(h, q, NULL, NULL, NULL) != SQLITE_OK)
		die(q);
}

static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)arg;
	(void)db;
	(void)name;
	wal_frames = frames;
	return SQLITE_OK;
}

/* COMMIT, then checkpoint as db_commit does. */
static void
commit(void)
{
	exec("COMMIT");
	if (wal_frames >= 1000) {
		if (sqlite3_wal_checkpoint_v2(h, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_OK)
			die("checkpoint");
		wal_frames = 0;
	}
}

/* Run the SQL that a query's rows hold, one statement a row. */
static void
exec_rows(const char *q)
{
	sqlite3_stmt	*s;
	char		**v = NULL;
	size_t		 n = 0, i;

	if (sqlite3_prepare_v2(h, q, -1, &s, NULL) != SQLITE_OK)
		die(q);
	while (sqlite3_step(s) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = xstrdup((const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	for (i = 0; i < n; i++) {
		exec(v[i]);
		free(v[i]);
	}
	free(v);
}

/*
 * Make the tables a renewal writes bare (see the top), in one
 * transaction: their triggers and indexes dropped, each table made
 * again from its columns, keeping only an INTEGER PRIMARY KEY.
 */
static void
make_bare(void)
{
	char	*q;
	size_t	 i;

	exec("PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; "
	    "BEGIN IMMEDIATE");
	exec_rows("SELECT format('DROP %s \"%w\"', type, name) "
	    "FROM sqlite_schema WHERE type IN ('trigger', 'index') AND sql IS NOT NULL AND "
	    "tbl_name IN ('journal_entry', 'journal_line', 'document', "
	    "'document_line', 'charge', 'outbox', 'receipt', 'doc_series', "
	    "'subscription', 'account_balance')");
	for (i = 0; i < sizeof(bare_tables) / sizeof(bare_tables[0]); i++) {
		q = sqlite3_mprintf("SELECT format('CREATE TABLE bare (%%s)', "
		    "group_concat(format('\"%%w\" %%s', name, CASE WHEN pk = 1 "
		    "AND type = 'INTEGER' AND (SELECT count(*) FROM "
		    "pragma_table_info(%Q) WHERE pk > 0) = 1 THEN "
		    "'INTEGER PRIMARY KEY' ELSE type END), ', ')) "
		    "FROM pragma_table_info(%Q)", bare_tables[i],
		    bare_tables[i]);
		exec_rows(q);
		sqlite3_free(q);
		q = sqlite3_mprintf("DROP TABLE \"%w\"; ALTER TABLE bare "
		    "RENAME TO \"%w\"", bare_tables[i], bare_tables[i]);
		exec(q);
		sqlite3_free(q);
	}
	exec("COMMIT; PRAGMA foreign_keys = ON");
	if (sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL) != SQLITE_OK)
		die("checkpoint");
}

static void
text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static int64_t
entry(int64_t org, const char *key, const char *kind, const char *memo,
    const char *cur, int64_t at, const char *a[], const int64_t v[], int n)
{
	int64_t	 id;
	int	 i;

	sqlite3_bind_int64(st[S_ENTRY], 1, org);
	text(st[S_ENTRY], 2, key);
	text(st[S_ENTRY], 3, kind);
	text(st[S_ENTRY], 4, memo);
	text(st[S_ENTRY], 5, cur);
	sqlite3_bind_int64(st[S_ENTRY], 6, at);
	run(st[S_ENTRY]);
	id = sqlite3_last_insert_rowid(h);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st[S_LINE], 1, id);
		sqlite3_bind_int64(st[S_LINE], 2, org);
		text(st[S_LINE], 3, a[i]);
		sqlite3_bind_int64(st[S_LINE], 4, v[i]);
		run(st[S_LINE]);
	}
	return id;
}

int
main(int argc, char *argv[])
{
	char			 sname[256], saddr[512], scountry[3], svat[32];
	char			 key[96], number[32], note[256], subject[320];
	char			 body[1024], money[MONEY_FMT_BUFSZ], y[8];
	struct due		*v = NULL, *d;
	const struct country	*c;
	sqlite3_stmt		*q;
	const char		*acc[3];
	int64_t			 now, amt[3], eid, doc, charge, seq, year;
	int64_t			 tax, total, next;
	int32_t			 rate;
	size_t			 n = 0, i, j, batch;
	double			 t0, t;
	int			 rev, nl, is_bare;

	if ((argc != 4 && argc != 5) || (argc == 5 &&
	    strcmp(argv[4], "bare") != 0)) {
		fprintf(stderr, "usage: bench_sqlite DB NOW BATCH [bare]\n");
		return 2;
	}
	is_bare = argc == 5;
#ifdef M_TRIM_THRESHOLD
	(void)mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 1024 * 1024);
	(void)mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	now = strtoll(argv[2], NULL, 10);
	batch = (size_t)strtoul(argv[3], NULL, 10);
	if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die(argv[1]);
	sqlite3_busy_timeout(h, 5000);
	exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL");
	sqlite3_wal_autocheckpoint(h, 0);
	sqlite3_wal_hook(h, wal_hook, NULL);
	if (is_bare)
		make_bare();

	t0 = now_s();
	if (sqlite3_prepare_v2(h, "SELECT name, address, country, vat_number "
	    "FROM seller", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW)
		die("seller");
	snprintf(sname, sizeof(sname), "%s", sqlite3_column_text(q, 0));
	snprintf(saddr, sizeof(saddr), "%s", sqlite3_column_text(q, 1));
	snprintf(scountry, sizeof(scountry), "%s", sqlite3_column_text(q, 2));
	snprintf(svat, sizeof(svat), "%s", sqlite3_column_text(q, 3));
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(h, "SELECT s.id, s.org_id, s.quantity, "
	    "p.unit_price, s.period_end, p.currency, pr.name, o.billing_name, "
	    "o.address_line1 || char(10) || o.postal_code || ' ' || o.city, "
	    "o.country, o.vat_number, o.invoice_email FROM subscription s "
	    "JOIN plan p ON p.id = s.plan_id JOIN product pr ON "
	    "pr.id = p.product_id JOIN organization o ON o.id = s.org_id "
	    "WHERE s.status = 'active' AND s.period_end <= ? "
	    "ORDER BY s.period_end, s.id", -1, &q, NULL) != SQLITE_OK)
		die("due");
	sqlite3_bind_int64(q, 1, now);
	while (sqlite3_step(q) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		d = &v[n++];
		d->id = sqlite3_column_int64(q, 0);
		d->org = sqlite3_column_int64(q, 1);
		d->qty = sqlite3_column_int64(q, 2);
		d->price = sqlite3_column_int64(q, 3);
		d->end = sqlite3_column_int64(q, 4);
		snprintf(d->cur, sizeof(d->cur), "%s",
		    sqlite3_column_text(q, 5));
		snprintf(d->product, sizeof(d->product), "%s",
		    sqlite3_column_text(q, 6));
		snprintf(d->name, sizeof(d->name), "%s",
		    sqlite3_column_text(q, 7));
		snprintf(d->country, sizeof(d->country), "%s",
		    sqlite3_column_text(q, 9));
		c = country_find(d->country);
		snprintf(d->addr, sizeof(d->addr), "%s\n%s",
		    sqlite3_column_text(q, 8), c ? c->name : d->country);
		snprintf(d->vat, sizeof(d->vat), "%s",
		    sqlite3_column_text(q, 10));
		snprintf(d->email, sizeof(d->email), "%s",
		    sqlite3_column_text(q, 11));
	}
	sqlite3_finalize(q);
	for (i = 0; i < S__MAX; i++)
		if (sqlite3_prepare_v3(h, is_bare && i == S_OUTBOX ?
		    sql_bare_outbox : sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &st[i], NULL) != SQLITE_OK)
			die(sql[i]);

	for (i = 0; i < n; i += batch) {
		exec("BEGIN IMMEDIATE");
		for (j = i; j < n && j < i + batch; j++) {
			d = &v[j];
			util_time_fmt(d->end, "%Y", y, sizeof(y));
			year = strtoll(y, NULL, 10);
			invoice_tax_rule(scountry, d->country, d->vat, &rate,
			    &rev, note, sizeof(note));
			money_apply_rate(d->qty * d->price, rate, &tax);
			total = d->qty * d->price + tax;
			next = util_month_add(d->end, 1);

			sqlite3_bind_int64(st[S_SERIES], 1, year);
			if (sqlite3_step(st[S_SERIES]) != SQLITE_ROW)
				die("series");
			seq = sqlite3_column_int64(st[S_SERIES], 0);
			run(st[S_SERIES]);
			snprintf(number, sizeof(number), "INV-%lld-%06lld",
			    (long long)year, (long long)seq);
			snprintf(key, sizeof(key), "renew:%lld:%lld",
			    (long long)d->id, (long long)d->end);
			acc[0] = "receivable";
			amt[0] = total;
			acc[1] = "revenue";
			amt[1] = -d->qty * d->price;
			acc[2] = "tax";
			amt[2] = -tax;
			nl = tax > 0 ? 3 : 2;
			eid = entry(d->org, key, "invoice", number, d->cur,
			    d->end, acc, amt, nl);

			q = st[S_DOC];
			sqlite3_bind_int64(q, 1, d->org);
			text(q, 2, number);
			sqlite3_bind_int64(q, 3, year);
			sqlite3_bind_int64(q, 4, seq);
			sqlite3_bind_int64(q, 5, d->end);
			sqlite3_bind_int64(q, 6, d->end);
			sqlite3_bind_int64(q, 7, next);
			text(q, 8, d->cur);
			text(q, 9, sname);
			text(q, 10, saddr);
			text(q, 11, scountry);
			text(q, 12, svat);
			text(q, 13, d->name);
			text(q, 14, d->addr);
			text(q, 15, d->country);
			text(q, 16, d->vat);
			sqlite3_bind_int64(q, 17, rev);
			text(q, 18, note);
			sqlite3_bind_int64(q, 19, d->qty * d->price);
			sqlite3_bind_int64(q, 20, tax);
			sqlite3_bind_int64(q, 21, total);
			sqlite3_bind_int64(q, 22, eid);
			run(q);
			doc = sqlite3_last_insert_rowid(h);

			q = st[S_DOCLINE];
			sqlite3_bind_int64(q, 1, doc);
			text(q, 2, d->product);
			sqlite3_bind_int64(q, 3, d->end);
			sqlite3_bind_int64(q, 4, next);
			sqlite3_bind_int64(q, 5, d->qty);
			sqlite3_bind_int64(q, 6, d->price);
			sqlite3_bind_int64(q, 7, d->qty * d->price);
			sqlite3_bind_int64(q, 8, rate);
			sqlite3_bind_int64(q, 9, tax);
			run(q);

			snprintf(key, sizeof(key), "renew:%lld:%lld:charge",
			    (long long)d->id, (long long)d->end);
			q = st[S_CHARGE];
			sqlite3_bind_int64(q, 1, d->org);
			sqlite3_bind_int64(q, 2, doc);
			text(q, 3, key);
			sqlite3_bind_int64(q, 4, total);
			text(q, 5, d->cur);
			sqlite3_bind_int64(q, 6, d->end);
			sqlite3_bind_int64(q, 7, d->end);
			run(q);
			charge = sqlite3_last_insert_rowid(h);

			money_fmt(total, d->cur, money, sizeof(money));
			snprintf(subject, sizeof(subject), "Invoice %s from %s",
			    number, sname);
			snprintf(body, sizeof(body), "Hello,\n\nattached is "
			    "invoice %s for %s, for the service from ... to "
			    "....\nYour subscription renews automatically; the "
			    "amount due after any credit is charged to your "
			    "payment method on file.\n\n%s\n", number, money,
			    sname);
			snprintf(key, sizeof(key), "invoice-mail:%lld:to",
			    (long long)doc);
			q = st[S_OUTBOX];
			sqlite3_bind_int64(q, 1, d->org);
			text(q, 2, key);
			text(q, 3, d->email);
			text(q, 4, subject);
			text(q, 5, body);
			sqlite3_bind_int64(q, 6, doc);
			sqlite3_bind_int64(q, 7, now);
			sqlite3_bind_int64(q, 8, now);
			run(q);

			q = st[S_ADVANCE];
			sqlite3_bind_int64(q, 1, d->end);
			sqlite3_bind_int64(q, 2, next);
			sqlite3_bind_int64(q, 3, d->id);
			sqlite3_bind_int64(q, 4, d->end);
			run(q);

			/* The charge succeeded: the payment and its receipt. */
			snprintf(key, sizeof(key), "renew:%lld:%lld:charge:1",
			    (long long)d->id, (long long)d->end);
			acc[0] = "cash";
			amt[0] = total;
			acc[1] = "receivable";
			amt[1] = -total;
			eid = entry(d->org, key, "payment", "Visa ending 4242",
			    d->cur, now, acc, amt, 2);
			q = st[S_RECEIPT];
			sqlite3_bind_int64(q, 1, doc);
			sqlite3_bind_int64(q, 2, d->org);
			sqlite3_bind_int64(q, 3, now);
			sqlite3_bind_int64(q, 4, total);
			sqlite3_bind_int64(q, 5, eid);
			run(q);
			q = st[S_CHARGE_OK];
			text(q, 1, "ch_sbx_0123456789abcdef");
			sqlite3_bind_int64(q, 2, charge);
			run(q);
		}
		commit();
	}
	t = now_s() - t0;
	printf("sqlite%s: %zu subscriptions in %.3f s: %.1f subs/s (%ld rows "
	    "written, %zu a transaction)\n", is_bare ? " (bare)" : "", n, t,
	    (double)n / t, rows, batch);
	for (i = 0; i < S__MAX; i++)
		sqlite3_finalize(st[i]);
	free(v);
	sqlite3_close(h);
	return 0;
}
