/* bench_sqlite.c: the floor for reckonctl renew: plain SQLite writing the rows a renewal writes, in batches, with the product's pragmas. */
/*
 * usage: bench_sqlite DB NOW BATCH
 *
 * Reads every subscription due at NOW (one query, with its plan, product
 * and organization), then per subscription, BATCH to a write transaction
 * (BEGIN IMMEDIATE ... COMMIT; WAL, synchronous = FULL, foreign keys on,
 * as db_open sets them), with prepared statements:
 *   the next invoice number (doc_series, the product's statement),
 *   the invoice's journal entry and its 2 or 3 lines (the balance
 *   trigger runs), the document and its line, the pending charge, the
 *   invoice email in the outbox, the subscription moved to its next
 *   period; then the payment as a successful charge leaves it: a journal
 *   entry and 2 lines, the receipt, the charge marked succeeded.
 * VAT comes from invoice_tax_rule (pure C).  Prints
 *	sqlite: N subscriptions in S s: X subs/s (R rows)
 */
#include <stdio.h>
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

static sqlite3		*h;
static sqlite3_stmt	*st[S__MAX];
static long		 rows;

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
	int			 rev, nl;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_sqlite DB NOW BATCH\n");
		return 2;
	}
	now = strtoll(argv[2], NULL, 10);
	batch = (size_t)strtoul(argv[3], NULL, 10);
	if (sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		die(argv[1]);
	sqlite3_busy_timeout(h, 5000);
	exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL");
	sqlite3_wal_autocheckpoint(h, 0);

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
		if (sqlite3_prepare_v3(h, sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st[i], NULL) != SQLITE_OK)
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
		exec("COMMIT");
	}
	t = now_s() - t0;
	printf("sqlite: %zu subscriptions in %.3f s: %.1f subs/s (%ld rows "
	    "written, %zu a transaction)\n", n, t, (double)n / t, rows, batch);
	for (i = 0; i < S__MAX; i++)
		sqlite3_finalize(st[i]);
	free(v);
	sqlite3_close(h);
	return 0;
}
