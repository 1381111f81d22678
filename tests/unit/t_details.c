/* t_details.c: billing details on the demo database: read, check, save, audit, outbox. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "demo.h"
#include "details.h"
#include "outbox.h"
#include "tap.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int64_t
count(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Text of the first column of the first row of sql, or "" (static). */
static const char *
text(struct db *db, const char *sql)
{
	static char	 out[2][2600];
	static int	 which;
	char		*b = out[which ^= 1];
	sqlite3_stmt	*st;

	b[0] = '\0';
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return "(bad SQL)";
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		snprintf(b, sizeof(out[0]), "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return b;
}

/*
 * details_save of new over old for org in one write transaction,
 * committed if commit is set (else rolled back).  Returns its result;
 * *changed gets the number of changed details.
 */
static int
save(struct db *db, int64_t org, const struct actor *a,
    const struct details *old, const struct details *new, int *changed,
    int commit)
{
	int	 rc;

	*changed = -1;
	if (db_begin_write(db) != DB_OK)
		return DB_ERROR;
	rc = details_save(db, org, a, old, new, changed);
	if (rc == DB_OK && commit)
		rc = db_commit(db);
	else
		db_rollback(db);
	return rc;
}

/* CC lists before and after details_cc_dedupe, "," separated. */
static const struct {
	const char	*in[6];
	const char	*want;
} dedupe_cases[] = {
	{ { NULL }, "" },					/* none */
	{ { "a@x.test", NULL }, "a@x.test" },			/* one */
	{ { "a@x.test", "b@x.test", NULL }, "a@x.test,b@x.test" },
	{ { "a@x.test", "a@x.test", NULL }, "a@x.test" },	/* twice */
	{ { "a@x.test", "A@X.TEST", NULL }, "a@x.test" },	/* case */
	{ { "B@x.test", "a@x.test", "b@X.test", NULL },
	  "B@x.test,a@x.test" },				/* first kept */
	{ { "c@x.test", "b@x.test", "a@x.test", "B@x.test", "C@x.test",
	    NULL }, "c@x.test,b@x.test,a@x.test" },		/* order kept */
	{ { "a@x.test", "a@x.tes", "a@x.testt", NULL },
	  "a@x.test,a@x.tes,a@x.testt" },			/* prefixes */
	{ { "a@x.test", "b@x.test", "a@x.test", "b@x.test", "a@x.test",
	    NULL }, "a@x.test,b@x.test" },		/* alternating */
};

/*
 * details_check: the VAT number (normalized) against its check digits,
 * the country, and the seller's own (DE314159262, stored as typed).
 */
#define SELLER_VAT	"de 314 159 262"
static const struct {
	const char	*vat;
	const char	*country;
	int		 want;
} check_cases[] = {
	{ "DE123456788", "DE", DETAILS_OK },		/* German, Germany */
	{ "DE123456788", "FR", DETAILS_VAT_COUNTRY },	/* German, France */
	{ "EL123456783", "GR", DETAILS_OK },		/* Greek as EL */
	{ "EL123456783", "EL", DETAILS_VAT_COUNTRY },	/* EL is no country */
	{ "XI123456782", "GB", DETAILS_OK },		/* Northern Ireland */
	{ "XI123456782", "IE", DETAILS_VAT_COUNTRY },	/* not Ireland */
	{ "GB123456782", "GB", DETAILS_OK },		/* UK */
	{ "CHE123456788MWST", "CH", DETAILS_OK },	/* Swiss */
	{ "NL123456782B01", "NL", DETAILS_OK },		/* Dutch */
	{ "NL123456782B01", "BE", DETAILS_VAT_COUNTRY },	/* Belgium */
	{ "", "US", DETAILS_OK },			/* none, anywhere */
	{ "", "DE", DETAILS_OK },			/* none, in the EU */
	{ "DE12345678", "DE", DETAILS_VAT_COUNTRY },	/* not a number */
	{ "US123456789", "US", DETAILS_VAT_COUNTRY },	/* no such prefix */
	{ "DE123456789", "DE", DETAILS_VAT_CHECK },	/* last digit off */
	{ "DE123456789", "FR", DETAILS_VAT_CHECK },	/* the digits first */
	{ "NL123456789B01", "NL", DETAILS_VAT_CHECK },	/* off by one */
	{ "CHE123456789MWST", "CH", DETAILS_VAT_CHECK },	/* Swiss, off */
	{ "DE314159262", "DE", DETAILS_VAT_SELLER },	/* the seller's own */
	{ "DE314159263", "DE", DETAILS_VAT_CHECK },	/* and one digit off */
};

static void
run_tables(void)
{
	struct details	 d;
	char		 got[600];
	size_t		 i, k, n;

	for (i = 0; i < NELEM(dedupe_cases); i++) {
		memset(&d, 0, sizeof(d));
		for (k = 0; k < 6 && dedupe_cases[i].in[k] != NULL; k++)
			snprintf(d.cc[d.ncc++], sizeof(d.cc[0]), "%s",
			    dedupe_cases[i].in[k]);
		details_cc_dedupe(&d);
		got[0] = '\0';
		for (k = n = 0; k < d.ncc; k++)
			n += (size_t)snprintf(got + n, sizeof(got) - n,
			    "%s%s", k ? "," : "", d.cc[k]);
		is_str(got, dedupe_cases[i].want, "cc dedupe case %zu", i);
	}
	for (i = 0; i < NELEM(check_cases); i++) {
		memset(&d, 0, sizeof(d));
		snprintf(d.vat_number, sizeof(d.vat_number), "%s",
		    check_cases[i].vat);
		snprintf(d.country, sizeof(d.country), "%s",
		    check_cases[i].country);
		is_i64(details_check(&d, SELLER_VAT), check_cases[i].want,
		    "check VAT \"%s\" with country %s", check_cases[i].vat,
		    check_cases[i].country);
	}
}

int
main(void)
{
	char			 dir[] = "/tmp/t_details.XXXXXX", path[128];
	char			 cmd[160], sql[512];
	struct db		*db;
	struct details		 d, old, new;
	struct audit_list	 l;
	struct actor		 a = { 1, "owner@demo.test", "192.0.2.7", 0 };
	int64_t			 now, a0, o0, before, last, id;
	size_t			 i, total, pages;
	int			 changed, desc, overlap;

	run_tables();

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	if (util_time_parse("2026-11-15T12:00:00Z", &now) == -1)
		return 1;
	a.now = now;
	is_i64(demo_create(db, now, NULL), DB_OK,
	    "the demo is created");

	/* details_get matches the demo's Acme and Globex. */
	is_i64(details_get(db, 1, &d), DB_OK, "details of Acme");
	is_str(d.account_email, "accounts@acme.test", "account email");
	is_str(d.invoice_email, "accounts@acme.test", "invoice email");
	is_i64((int64_t)d.ncc, 1, "one CC");
	is_str(d.cc[0], "cfo@acme.test", "the CFO");
	is_str(d.billing_name, "Acme Holdings Inc.", "billing name");
	is_str(d.address1, "500 Howard Street", "address line 1");
	is_str(d.address2, "", "no address line 2");
	is_str(d.city, "San Francisco", "city");
	is_str(d.postal_code, "94105", "postal code");
	is_str(d.region, "CA", "region");
	is_str(d.country, "US", "country");
	is_str(d.vat_number, "", "no VAT number");
	is_str(d.po_reference, "PO-2026-117", "PO reference");
	is_i64(details_check(&d, ""), DETAILS_OK,
	    "Acme's details check out");
	is_i64(details_get(db, 4, &d), DB_OK, "details of Globex");
	is_str(d.billing_name, "Globex Ltd", "its name");
	is_str(d.postal_code, "EC1A 1BB", "its postal code");
	is_str(d.vat_number, "GB123456782", "its VAT number");
	is_i64((int64_t)d.ncc, 0, "no CC");
	is_i64(details_check(&d, "DE314159262"), DETAILS_OK,
	    "a GB number in GB");
	snprintf(d.vat_number, sizeof(d.vat_number), "GB123456782");
	is_i64(details_check(&d, "GB 123 456 782"), DETAILS_VAT_SELLER,
	    "the seller's number, however the seller wrote it");
	is_i64(details_get(db, 99, &d), DB_NOTFOUND,
	    "an unknown organization is not found");

	/* Only the invoice email changes: one audit row, two notices. */
	details_get(db, 1, &old);
	new = old;
	snprintf(new.invoice_email, sizeof(new.invoice_email),
	    "ap@acme.test");
	a0 = count(db, "SELECT count(*) FROM audit_log");
	o0 = count(db, "SELECT count(*) FROM outbox");
	is_i64(save(db, 1, &a, &old, &new, &changed, 1), DB_OK,
	    "a new invoice email is saved");
	is_i64(changed, 1, "one detail changed");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 1,
	    "one audit row");
	id = count(db, "SELECT max(id) FROM audit_log");
	snprintf(sql, sizeof(sql), "SELECT action || '|' || old_value || "
	    "'|' || new_value || '|' || actor || '|' || remote_addr || '|' || "
	    "at || '|' || user_id || '|' || org_id FROM audit_log "
	    "WHERE id = %" PRId64, id);
	snprintf(cmd, sizeof(cmd), "Invoice email|accounts@acme.test|"
	    "ap@acme.test|owner@demo.test|192.0.2.7|%" PRId64 "|1|1", now);
	is_str(text(db, sql), cmd, "with who, where, when, old and new");
	is_i64(count(db, "SELECT count(*) FROM outbox") - o0, 2,
	    "two notices queued");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE "
	    "idem_key = 'invoice-email:%" PRId64 ":old' AND "
	    "to_addr = 'accounts@acme.test' AND org_id = 1 AND "
	    "kind = 'invoice_email_changed' AND sent_at IS NULL", id);
	is_i64(count(db, sql), 1, "one to the old address, keyed by the "
	    "audit row");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE "
	    "idem_key = 'invoice-email:%" PRId64 ":new' AND "
	    "to_addr = 'ap@acme.test' AND org_id = 1", id);
	is_i64(count(db, sql), 1, "one to the new address");
	ok(strstr(text(db, "SELECT body FROM outbox ORDER BY id DESC "
	    "LIMIT 1"), "from accounts@acme.test\nto ap@acme.test\n"
	    "by owner@demo.test on 2026-11-15 12:00 UTC") != NULL,
	    "the notice says from, to, who and when");
	details_get(db, 1, &d);
	is_str(d.invoice_email, "ap@acme.test", "the new email is stored");
	is_str(d.account_email, "accounts@acme.test",
	    "the account email is not");

	/* Saving the same details again changes nothing. */
	old = d;
	new = d;
	a0 = count(db, "SELECT count(*) FROM audit_log");
	o0 = count(db, "SELECT count(*) FROM outbox");
	is_i64(save(db, 1, &a, &old, &new, &changed, 1), DB_OK,
	    "identical details are saved");
	is_i64(changed, 0, "nothing changed");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 0,
	    "no audit row");
	is_i64(count(db, "SELECT count(*) FROM outbox") - o0, 0,
	    "no notice");

	/* The address and the PO reference: two rows, no notice. */
	snprintf(new.address2, sizeof(new.address2), "Suite 300");
	snprintf(new.po_reference, sizeof(new.po_reference), "PO-2027-001");
	is_i64(save(db, 1, &a, &old, &new, &changed, 1), DB_OK,
	    "address and PO are saved");
	is_i64(changed, 2, "two details changed");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 2,
	    "two audit rows");
	is_i64(count(db, "SELECT count(*) FROM outbox") - o0, 0,
	    "no notice for them");
	snprintf(sql, sizeof(sql), "SELECT old_value || ' => ' || new_value "
	    "FROM audit_log WHERE id > %" PRId64 " AND action = "
	    "'Billing address'", id);
	is_str(text(db, sql), "Acme Holdings Inc., 500 Howard Street, "
	    "94105 San Francisco, CA, US => Acme Holdings Inc., "
	    "500 Howard Street, Suite 300, 94105 San Francisco, CA, US",
	    "the address row holds both addresses");
	snprintf(sql, sizeof(sql), "SELECT old_value || ' => ' || new_value "
	    "FROM audit_log WHERE id > %" PRId64 " AND action = "
	    "'PO reference'", id);
	is_str(text(db, sql), "PO-2026-117 => PO-2027-001",
	    "the PO row holds both references");
	details_get(db, 1, &d);
	is_str(d.address2, "Suite 300", "the address is stored");
	is_str(d.po_reference, "PO-2027-001", "the PO is stored");

	/* CC list: added, deduplicated by the caller, one row. */
	old = d;
	new = d;
	snprintf(new.cc[new.ncc++], sizeof(new.cc[0]), "ap-team@acme.test");
	snprintf(new.cc[new.ncc++], sizeof(new.cc[0]), "CFO@acme.test");
	details_cc_dedupe(&new);
	a0 = count(db, "SELECT count(*) FROM audit_log");
	is_i64(save(db, 1, &a, &old, &new, &changed, 1), DB_OK,
	    "a CC is added");
	is_i64(changed, 1, "one detail changed");
	is_str(text(db, "SELECT old_value || ' => ' || new_value FROM "
	    "audit_log ORDER BY id DESC LIMIT 1"),
	    "cfo@acme.test => cfo@acme.test, ap-team@acme.test",
	    "the CC row holds both lists");
	details_get(db, 1, &d);
	is_i64((int64_t)d.ncc, 2, "two CCs stored");
	is_str(d.cc[1], "ap-team@acme.test", "in order");

	/* A rolled-back save leaves nothing behind. */
	old = d;
	new = d;
	snprintf(new.invoice_email, sizeof(new.invoice_email),
	    "evil@attacker.test");
	snprintf(new.account_email, sizeof(new.account_email),
	    "evil@attacker.test");
	a0 = count(db, "SELECT count(*) FROM audit_log");
	o0 = count(db, "SELECT count(*) FROM outbox");
	is_i64(save(db, 1, &a, &old, &new, &changed, 0), DB_OK,
	    "a save is rolled back");
	is_i64(changed, 2, "it had changed two details");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 0,
	    "no audit row survives");
	is_i64(count(db, "SELECT count(*) FROM outbox") - o0, 0,
	    "no notice survives");
	details_get(db, 1, &d);
	is_str(d.invoice_email, "ap@acme.test", "the invoice email is kept");
	is_str(d.account_email, "accounts@acme.test",
	    "the account email is kept");

	/* Paging: 23 more rows for Acme, 3 for Globex, pages of 10. */
	if (db_begin_write(db) == DB_OK) {
		for (i = 0; i < 23; i++) {
			snprintf(cmd, sizeof(cmd), "v%zu", i);
			audit_add(db, 1, &a, "Test", "", cmd, NULL);
		}
		for (i = 0; i < 3; i++)
			audit_add(db, 4, &a, "Other", "", "x", NULL);
		db_commit(db);
	}
	total = pages = 0;
	before = 0;
	last = INT64_MAX;
	desc = 1;		/* ids fall within each page */
	overlap = 0;		/* a row repeated or of another org */
	for (;;) {
		if (audit_list(db, 1, before, 10, &l) != DB_OK) {
			ok(0, "audit_list page %zu", pages);
			audit_list_free(&l);
			break;
		}
		if (l.n == 0) {
			audit_list_free(&l);
			break;
		}
		pages++;
		for (i = 0; i < l.n; i++) {
			if (l.v[i].id >= last) {
				if (i == 0)
					overlap = 1;
				else
					desc = 0;
			}
			if (strcmp(l.v[i].action, "Other") == 0)
				overlap = 1;
			last = l.v[i].id;
		}
		if (pages == 1)
			is_str(l.v[0].new_value, "v22",
			    "the first page starts with the newest");
		total += l.n;
		before = l.v[l.n - 1].id;
		audit_list_free(&l);
		if (pages > 100)
			break;
	}
	is_i64((int64_t)total, count(db, "SELECT count(*) FROM audit_log "
	    "WHERE org_id = 1"), "the pages hold every row of Acme's");
	ok(desc, "newest first within each page");
	ok(!overlap, "no row twice, none of Globex's");
	is_i64((int64_t)pages, (total + 9) / 10, "in pages of 10");
	is_i64(audit_list(db, 1, 0, 3, &l), DB_OK, "a page of 3");
	is_i64((int64_t)l.n, 3, "holds 3");
	if (l.n == 3) {
		before = l.v[2].id;
		audit_list_free(&l);
		audit_list(db, 1, before, 3, &l);
		ok(l.n == 3 && l.v[0].id < before, "the next starts below it");
	}
	audit_list_free(&l);
	is_i64(audit_list(db, 4, 0, 100, &l), DB_OK, "Globex's log");
	for (i = 0; i < l.n && strcmp(l.v[i].actor, "owner@demo.test") != 0;
	    i++)
		;
	ok(l.n >= 3 && i < l.n, "holds its own rows");
	audit_list_free(&l);

	/* The audit log is append-only. */
	ok(sqlite3_exec(db->h, "UPDATE audit_log SET new_value = 'x'",
	    NULL, NULL, NULL) != SQLITE_OK, "UPDATE of the audit log refused");
	ok(sqlite3_exec(db->h, "DELETE FROM audit_log WHERE id = 1",
	    NULL, NULL, NULL) != SQLITE_OK, "DELETE of an audit row refused");
	is_str(text(db, "SELECT count(*) FROM audit_log WHERE "
	    "new_value = 'x' AND org_id = 1"), "0", "nothing was changed");

	/* The outbox queues a key once. */
	o0 = count(db, "SELECT count(*) FROM outbox");
	if (db_begin_write(db) == DB_OK) {
		is_i64(outbox_queue(db, 1, "t:once", "test", "a@acme.test",
		    "S", "B1", 0, now), DB_OK, "a message is queued");
		is_i64(outbox_queue(db, 1, "t:once", "test", "b@acme.test",
		    "S", "B2", 0, now + 1), DB_OK,
		    "the same key again is not an error");
		db_commit(db);
	}
	is_i64(count(db, "SELECT count(*) FROM outbox") - o0, 1,
	    "one row for the key");
	is_str(text(db, "SELECT to_addr || ' ' || body FROM outbox WHERE "
	    "idem_key = 't:once'"), "a@acme.test B1", "the first one");

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
