/* t_accrual.c: what is owed lives in the ledger until an invoice bills it; credits are credit notes; renewals cannot block each other. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accrual.h"
#include "audit.h"
#include "billing.h"
#include "db.h"
#include "db_org.h"
#include "details.h"
#include "gateway.h"
#include "invoice.h"
#include "ledger.h"
#include "money.h"
#include "payment.h"
#include "plan.h"
#include "renewal.h"
#include "sensors.h"
#include "subscription.h"
#include "tap.h"
#include "tdb.h"
#include "util.h"

static struct db	*db;

/* The shared helpers (tdb.h), on this file's ledger. */
#define t(s)		tdb_time(s)
#define scalar(...)	tdb_int(db, __VA_ARGS__)
static struct actor	 a = { 0, "t_accrual", "", 0 };

static int
sound(void)
{
	struct ledger_report	 rep;

	db_begin_read(db);
	ledger_check(db, &rep);
	db_rollback(db);
	if (ledger_report_bad(&rep))
		diag("accrual %lld unbilled %lld billed %lld expired_open %lld "
		    "overcredited %lld unexplained %lld dates %lld entry %lld",
		    (long long)rep.accrual_entry, (long long)rep.unbilled,
		    (long long)rep.billed, (long long)rep.expired_open,
		    (long long)rep.overcredited,
		    (long long)rep.credit_unexplained,
		    (long long)rep.dates_back, (long long)rep.doc_entry);
	return !ledger_report_bad(&rep);
}

static void
setup_org(int64_t *org, const char *name, const char *cur,
    const char *country, const char *vat)
{
	struct details		 d;
	struct gw_method	 g;
	const char		*why;
	int64_t			 id;

	db_org_insert(db, 0, name, cur, country, "a@x.test", 0, org);
	memset(&d, 0, sizeof(d));
	snprintf(d.account_email, sizeof(d.account_email), "a@x.test");
	snprintf(d.invoice_email, sizeof(d.invoice_email), "a@x.test");
	snprintf(d.billing_name, sizeof(d.billing_name), "%s", name);
	snprintf(d.address1, sizeof(d.address1), "1 Main St");
	snprintf(d.city, sizeof(d.city), "Town");
	snprintf(d.postal_code, sizeof(d.postal_code), "12345");
	snprintf(d.country, sizeof(d.country), "%s", country);
	snprintf(d.vat_number, sizeof(d.vat_number), "%s", vat);
	details_write(db, *org, &d);
	gateway_attach("tok_visa", 0, &g, &why);
	payment_add(db, *org, &a, &g, &id);
}

static void
renew_at(int64_t when, struct renewal_stats *st)
{
	memset(st, 0, sizeof(*st));
	renewal_run(db, when, 0, st);
}

/* Change sub to plan × quantity at when, through plan_quote/plan_apply. */
static int
change(int64_t org, int64_t sub, int64_t plan, int64_t qty, int64_t when,
    const char *key, struct plan_quote *q)
{
	int64_t	 doc, charge;
	int	 rc;

	db_begin_read(db);
	rc = plan_quote(db, org, sub, plan, qty, when, q);
	db_rollback(db);
	if (rc != PLAN_OK)
		return rc;
	a.now = when;
	db_begin_write(db);
	rc = plan_apply(db, org, &a, q, key, &doc, &charge);
	db_commit(db);
	return rc;
}

int
main(void)
{
	char			 dir[] = "/tmp/t_accrual.XXXXXX", path[128];
	char			 cmd[256], ext[32];
	struct renewal_stats	 st;
	struct plan_quote	 q, q2;
	struct deploy_result	 dr;
	struct sync_plan	 sp;
	int64_t			 us, de, nl, temp, p_usd, p_eur, sub, sub_de, sub_nl;
	int64_t			 x, cancel_at, i;
	cents_t			 credit, pa, pb;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db.sandbox", dir);
	if (gateway_init(path) == -1)
		return 1;
	db_begin_write(db);
	db_seller_insert(db, "Seller GmbH", "Berlin", "DE", "DE123456788");
	db_product_insert(db, "temp", "Temperature sensor", "sensor", &temp);
	setup_org(&us, "Acme Holdings", "USD", "US", "");
	setup_org(&de, "Acme Labs GmbH", "EUR", "DE", "");
	setup_org(&nl, "Acme Europe BV", "EUR", "NL", "NL123456782B01");
	db_plan_insert(db, temp, "monthly", "USD", 500, &p_usd);
	db_plan_insert(db, temp, "monthly", "EUR", 500, &p_eur);
	db_sub_insert(db, us, p_usd, 10, t("2026-01-01"), t("2026-02-01"), 0,
	    &sub);
	db_sub_insert(db, de, p_eur, 10, t("2026-01-01"), t("2026-02-01"), 0,
	    &sub_de);
	db_sub_insert(db, nl, p_eur, 10, t("2026-01-01"), t("2026-02-01"), 0,
	    &sub_nl);
	for (i = 0; i < 10; i++) {
		snprintf(ext, sizeof(ext), "T-%02lld", (long long)i);
		db_sensor_insert(db, us, ext, temp, t("2026-01-01"), &x);
		db_sensor_insert(db, de, ext, temp, t("2026-01-01"), &x);
		db_sensor_insert(db, nl, ext, temp, t("2026-01-01"), &x);
	}
	db_commit(db);

	/*
	 * Scenario 1: up to 10,000 units, back to 10, cancel, renew past
	 * the end.  Nothing owed is dropped and no credit is left over.
	 */
	renew_at(t("2026-02-01T00:00:00Z"), &st);
	is_i64(st.renewed, 3, "February renewed for the three buyers");
	is_i64(change(us, sub, p_usd, 10000, t("2026-02-10T00:00:00Z"),
	    "s1:up", &q), PLAN_OK, "10 → 10,000 units on Feb 10th");
	is_i64(q.billing, PLAN_NEXT_INVOICE, "monthly: accrued");
	pa = q.net;
	is_i64(scalar("SELECT balance FROM account_balance WHERE org_id = "
	    "%lld AND account = 'unbilled'", (long long)us), pa,
	    "the accrual is in the journal: unbilled = the quoted net");
	is_i64(change(us, sub, p_usd, 10, t("2026-02-10T00:10:00Z"),
	    "s1:down", &q2), PLAN_OK, "back to 10 ten minutes later");
	is_i64(q2.gb.netted, -q2.net, "the credit nets the accrual first");
	is_i64(q2.gb.noted, 0, "no credit note: nothing of it was invoiced");
	ledger_credit_available(db, us, "USD", &credit);
	is_i64(credit, 0, "no customer credit appears");
	pb = scalar("SELECT balance FROM account_balance WHERE org_id = %lld "
	    "AND account = 'unbilled'", (long long)us);
	is_i64(pb, pa + q2.net, "ten minutes of 9,990 units stay owed");
	ok(pb > 0, "and that is more than nothing (%lld cents)",
	    (long long)pb);
	db_begin_write(db);
	is_i64(sub_cancel(db, us, &a, sub, &cancel_at), DB_OK,
	    "cancel the renewal");
	db_commit(db);
	ok(sound(), "verify: sound with the accruals open");
	renew_at(t("2026-03-01T00:00:01Z"), &st);
	is_i64(st.expired, 1, "the subscription expired at its period end");
	is_i64(scalar("SELECT count(*) FROM accrual WHERE subscription_id = "
	    "%lld AND closed_at IS NULL", (long long)sub), 0,
	    "its accruals are closed");
	is_i64(scalar("SELECT d.net_total FROM document d JOIN accrual a ON "
	    "a.document_id = d.id WHERE a.subscription_id = %lld LIMIT 1",
	    (long long)sub), pb, "by a final invoice for what was owed");
	is_i64(scalar("SELECT balance FROM account_balance WHERE org_id = "
	    "%lld AND account = 'unbilled'", (long long)us), 0,
	    "nothing is left unbilled");
	ledger_credit_available(db, us, "USD", &credit);
	is_i64(credit, 0, "and no credit is left to pay later invoices");
	ok(sound(), "verify: sound after the final invoice");

	/* Scenario 2: a confirmation must match the subscription quoted. */
	db_begin_read(db);
	plan_quote(db, de, sub_de, p_eur, 12, t("2026-03-10T00:00:00Z"), &q);
	db_rollback(db);
	is_i64(change(de, sub_de, p_eur, 15, t("2026-03-10T00:05:00Z"),
	    "s2:other", &q2), PLAN_OK, "another change lands first");
	db_begin_write(db);
	{
		int64_t	 doc, charge;

		is_i64(plan_apply(db, de, &a, &q, "s2:stale", &doc, &charge),
		    PLAN_CHANGED, "the older quote is refused: changed since");
	}
	db_rollback(db);

	/* The same change through the plan page and the sensors API. */
	db_begin_read(db);
	plan_quote(db, nl, sub_nl, p_eur, 11, t("2026-03-10T07:13:21Z"), &q);
	db_rollback(db);
	a.now = t("2026-03-10T07:13:21Z");
	db_begin_write(db);
	sensor_deploy(db, nl, &a, "T-NEW", "temp", a.now, &dr);
	db_commit(db);
	is_i64(dr.amount, q.net, "a deploy and a plan quote of +1 unit at the "
	    "same second give the same cents (%lld)", (long long)q.net);

	/*
	 * Scenario 6: a credit to a VAT payer is a credit note with the VAT
	 * reversed.  Acme Labs (DE, 19 %) syncs 15 → 7 sensors: the
	 * accrued 5 first, the invoiced rest by credit note.
	 */
	db_begin_write(db);
	for (i = 0; i < 3; i++) {
		snprintf(ext, sizeof(ext), "T-%02lld", (long long)i);
		sensor_remove(db, de, ext, t("2026-03-14T00:00:00Z"));
	}
	db_commit(db);
	db_begin_read(db);
	sync_preview(db, de, t("2026-03-15T00:00:00Z"), &sp);
	db_rollback(db);
	is_i64((int64_t)sp.n, 1, "sync: one line for Acme Labs");
	ok(sp.credit > 0, "a credit of %lld cents", (long long)sp.credit);
	db_begin_write(db);
	is_i64(sync_apply(db, de, &a, &sp, "s6:sync"), DB_OK, "sync applied");
	db_commit(db);
	ok(sp.n > 0 && sp.v[0].gb.netted > 0 && sp.v[0].gb.noted > 0,
	    "the accrued part nets, the invoiced part is noted");
	is_i64(scalar("SELECT count(*) FROM document WHERE org_id = %lld AND "
	    "kind = 'credit_note'", (long long)de), 1,
	    "one credit note against the March invoice");
	is_i64(scalar("SELECT tax_total FROM document WHERE org_id = %lld AND "
	    "kind = 'credit_note'", (long long)de), -sp.credit_tax,
	    "with its VAT reversed at 19 %% (%lld cents)",
	    (long long)sp.credit_tax);
	ok(sp.credit_tax > 0, "which is not nothing");
	sync_plan_free(&sp);
	ok(sound(), "verify: sound after the sync");

	/*
	 * Scenario 3: thousands of deploys on one subscription make a few
	 * grouped lines, and one organization failing does not stop the
	 * others.
	 */
	for (i = 0; i < 3000; i++) {
		snprintf(ext, sizeof(ext), "X-%05lld", (long long)i);
		a.now = t("2026-03-20T00:00:00Z") + i * 7;
		db_begin_write(db);
		sensor_deploy(db, nl, &a, ext, "temp", a.now, &dr);
		db_commit(db);
	}
	is_i64(scalar("SELECT count(*) FROM accrual WHERE subscription_id = "
	    "%lld AND closed_at IS NULL", (long long)sub_nl), 3001,
	    "3,001 additions accrued on Acme Europe");
	/* Acme Labs cannot be invoiced in this run (an injected fault). */
	snprintf(cmd, sizeof(cmd), "CREATE TEMP TRIGGER fault BEFORE INSERT "
	    "ON document WHEN NEW.org_id = %lld BEGIN SELECT RAISE(ABORT, "
	    "'injected'); END", (long long)de);
	ok(sqlite3_exec(db->h, cmd, NULL, NULL, NULL) == SQLITE_OK,
	    "a fault for Acme Labs");
	renew_at(t("2026-04-01T00:00:01Z"), &st);
	sqlite3_exec(db->h, "DROP TRIGGER temp.fault", NULL, NULL, NULL);
	is_i64(st.org_failures, 1, "one organization failed");
	is_i64(scalar("SELECT count(*) FROM renewal_failure WHERE org_id = "
	    "%lld", (long long)de), 1, "it is recorded");
	is_i64(scalar("SELECT period_end FROM subscription WHERE id = %lld",
	    (long long)sub_nl), t("2026-05-01"), "Acme Europe renewed anyway");
	ok(scalar("SELECT count(*) FROM document_line l JOIN document d ON "
	    "d.id = l.document_id WHERE d.org_id = %lld AND d.issued_at = %lld",
	    (long long)nl, (long long)t("2026-04-01")) < 40,
	    "on one invoice of a few grouped lines (%lld)",
	    (long long)scalar("SELECT count(*) FROM document_line l JOIN "
	    "document d ON d.id = l.document_id WHERE d.org_id = %lld AND "
	    "d.issued_at = %lld", (long long)nl, (long long)t("2026-04-01")));
	ok(scalar("SELECT count(*) FROM document_line l JOIN document d ON "
	    "d.id = l.document_id WHERE d.org_id = %lld AND l.description "
	    "LIKE 'Temperature sensor, %% units, 2026-03-20 to 2026-03-31, "
	    "prorated 12/31 days'", (long long)nl) == 1,
	    "a grouped line says what it is");
	is_i64(scalar("SELECT period_end FROM subscription WHERE id = %lld",
	    (long long)sub_de), t("2026-04-01"), "Acme Labs waits for a retry");
	ok(sound(), "verify: sound after a run with a failure");
	renew_at(t("2026-04-01T00:10:00Z"), &st);
	is_i64(st.org_failures, 0, "the next run retries Acme Labs");
	is_i64(scalar("SELECT period_end FROM subscription WHERE id = %lld",
	    (long long)sub_de), t("2026-05-01"), "and renews it");
	ok(sound(), "verify: sound after the retry");

	/* A subscription holds at most 100,000 units: refused in the domain. */
	snprintf(cmd, sizeof(cmd), "UPDATE subscription SET quantity = 100000 "
	    "WHERE id = %lld", (long long)sub_nl);
	sqlite3_exec(db->h, cmd, NULL, NULL, NULL);
	/* as many deployed sensors, and more */
	snprintf(cmd, sizeof(cmd), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < 97000) INSERT INTO sensor (org_id, "
	    "ext_id, product_id, deployed_at) SELECT %lld, 'Z-' || i, %lld, 0 "
	    "FROM n", (long long)nl, (long long)temp);
	ok(sqlite3_exec(db->h, cmd, NULL, NULL, NULL) == SQLITE_OK,
	    "100,011 sensors deployed");
	a.now = t("2026-04-05T00:00:00Z");
	db_begin_write(db);
	is_i64(sensor_deploy(db, nl, &a, "Z-LAST", "temp", a.now, &dr),
	    SENSOR_TOO_MANY, "the 100,001st unit: refused");
	db_rollback(db);
	sqlite3_exec(db->h, "DELETE FROM sensor WHERE ext_id LIKE 'Z-%'", NULL,
	    NULL, NULL);
	snprintf(cmd, sizeof(cmd), "UPDATE subscription SET quantity = 3011 "
	    "WHERE id = %lld", (long long)sub_nl);
	sqlite3_exec(db->h, cmd, NULL, NULL, NULL);

	/*
	 * Shown = invoiced = charged, to the cent, for a non-EU, a
	 * domestic (19 %) and a reverse-charge buyer: an annual upgrade
	 * invoiced at once, then the overview's next renewal against the
	 * renewal invoice and its charge.
	 */
	{
		static const struct {
			const char	*name, *cur, *country, *vat;
		} buyers[] = {
			{ "Globex Inc", "USD", "US", "" },
			{ "Acme Labs 2 GmbH", "EUR", "DE", "" },
			{ "Acme Europe 2 BV", "EUR", "NL", "NL123456782B01" },
		};
		struct billing_overview	*o[3] = { NULL, NULL, NULL };
		int64_t	 org[3], ann[2], sa, sm, doc, shown;
		int64_t	 accrued_shown[3];
		size_t	 b;

		db_begin_write(db);
		db_plan_insert(db, temp, "annual", "USD", 5500, &ann[0]);
		db_plan_insert(db, temp, "annual", "EUR", 5500, &ann[1]);
		for (b = 0; b < 3; b++) {
			setup_org(&org[b], buyers[b].name, buyers[b].cur,
			    buyers[b].country, buyers[b].vat);
			db_sub_insert(db, org[b], ann[b > 0], 2,
			    t("2026-04-10"), t("2027-04-10"), 0, &sa);
			db_sub_insert(db, org[b], b > 0 ? p_eur : p_usd, 7,
			    t("2026-04-01"), t("2026-05-01"), 0, &sm);
		}
		db_commit(db);
		for (b = 0; b < 3; b++) {
			sa = scalar("SELECT min(id) FROM subscription WHERE "
			    "org_id = %lld", (long long)org[b]);
			is_i64(change(org[b], sa, ann[b > 0], 3,
			    t("2026-04-20T13:14:15Z"), buyers[b].name, &q),
			    PLAN_OK, "%s: 2 → 3 annual", buyers[b].name);
			shown = q.due_net + q.due_tax;
			doc = scalar("SELECT d.id FROM document d JOIN "
			    "journal_entry e ON e.id = d.entry_id WHERE "
			    "e.idem_key = '%s'", buyers[b].name);
			is_i64(scalar("SELECT total FROM document WHERE id = "
			    "%lld", (long long)doc), shown,
			    "%s: the invoice is the quote's %lld (VAT %lld)",
			    buyers[b].name, (long long)shown,
			    (long long)q.due_tax);
			is_i64(scalar("SELECT coalesce(sum(amount), 0) FROM "
			    "charge WHERE document_id = %lld", (long long)doc) +
			    scalar("SELECT coalesce(sum(amount), 0) FROM receipt "
			    "WHERE document_id = %lld AND method = 'Customer "
			    "credit'", (long long)doc), shown,
			    "%s: charged (with credit) what was shown",
			    buyers[b].name);
			/* and a monthly change, accrued for the renewal */
			sm = scalar("SELECT max(id) FROM subscription WHERE "
			    "org_id = %lld", (long long)org[b]);
			snprintf(ext, sizeof(ext), "m:%zu", b);
			is_i64(change(org[b], sm, b > 0 ? p_eur : p_usd, 9,
			    t("2026-04-21T08:09:10Z"), ext, &q), PLAN_OK,
			    "%s: 7 → 9 monthly, accrued", buyers[b].name);
			accrued_shown[b] = q.due_net + q.due_tax;
			is_i64(billing_overview_get(db, org[b], &o[b]), DB_OK,
			    "%s: the overview", buyers[b].name);
		}
		renew_at(t("2026-05-01T00:00:01Z"), &st);
		for (b = 0; b < 3; b++) {
			doc = scalar("SELECT id FROM document WHERE org_id = %lld "
			    "AND issued_at = %lld", (long long)org[b],
			    (long long)t("2026-05-01"));
			is_i64(scalar("SELECT total FROM document WHERE id = "
			    "%lld", (long long)doc), o[b]->renewal_total,
			    "%s: the renewal invoice is the overview's renewal "
			    "total %lld", buyers[b].name,
			    (long long)o[b]->renewal_total);
			is_i64(scalar("SELECT coalesce(sum(amount), 0) FROM "
			    "charge WHERE document_id = %lld", (long long)doc),
			    o[b]->renewal_due, "%s: the card is charged the "
			    "overview's 'due at next renewal' %lld",
			    buyers[b].name, (long long)o[b]->renewal_due);
			is_i64(scalar("SELECT sum(amount + tax_amount) FROM "
			    "document_line WHERE document_id = %lld AND "
			    "description LIKE '%%prorated%%'", (long long)doc),
			    accrued_shown[b], "%s: the accrued change is "
			    "invoiced as its quote said, VAT included (%lld)",
			    buyers[b].name, (long long)accrued_shown[b]);
			if (b == 1)
				ok(o[b]->renewal_tax > 0 &&
				    o[b]->tax_rate_bp == 1900, "%s: 19 %% VAT "
				    "shown (%lld)", buyers[b].name,
				    (long long)o[b]->renewal_tax);
			else
				ok(o[b]->renewal_tax == 0, "%s: no VAT",
				    buyers[b].name);
			billing_overview_free(o[b]);
		}
	}

	/*
	 * Scenario 8: a contract subscription cancelled before its
	 * contract ends still renews, and is billed, until then.
	 */
	{
		struct subscription	 cs;
		int64_t			 csub, cend;

		db_begin_write(db);
		db_sub_insert(db, us, p_usd, 2, t("2026-05-01"),
		    t("2026-06-01"), t("2026-08-01"), &csub);
		db_commit(db);
		a.now = t("2026-05-02T00:00:00Z");
		db_begin_write(db);
		sub_cancel(db, us, &a, csub, &cend);
		db_commit(db);
		is_i64(cend, t("2026-08-01"), "the contract cancels at its end");
		db_sub_get(db, csub, &cs);
		ok(billing_sub_renews(&cs), "and renews until then: not "
		    "'Nothing renews'");
		db_sub_clear(&cs);
		renew_at(t("2026-06-01T00:00:01Z"), &st);
		renew_at(t("2026-07-01T00:00:01Z"), &st);
		is_i64(scalar("SELECT count(*) FROM document_line WHERE "
		    "subscription_id = %lld", (long long)csub), 2,
		    "June and July are billed");
		renew_at(t("2026-08-01T00:00:01Z"), &st);
		is_i64(scalar("SELECT status = 'expired' FROM subscription "
		    "WHERE id = %lld", (long long)csub), 1,
		    "it ends with the contract");
	}

	/*
	 * The plan page, the sensors API and the sync give the same cents
	 * for the same change: +1 unit by a quote and by a deploy, -1 unit
	 * by a quote and by a sync, at 500 random instants of a 31-day
	 * period (each tried in a transaction that is rolled back).
	 */
	{
		int64_t	 porg, psub, ps = t("2026-07-01"), pe = t("2026-08-01");
		int	 k, same_up = 0, same_down = 0;

		db_begin_write(db);
		setup_org(&porg, "Prop GmbH", "EUR", "DE", "");
		db_sub_insert(db, porg, p_eur, 5, ps, pe, 0, &psub);
		for (i = 0; i < 5; i++) {
			snprintf(ext, sizeof(ext), "P-%02lld", (long long)i);
			db_sensor_insert(db, porg, ext, temp, ps, &x);
		}
		db_commit(db);
		srand(20261203);
		for (k = 0; k < 500; k++) {
			int64_t	 at = ps + (int64_t)(((double)rand() /
			    ((double)RAND_MAX + 1)) * (double)(pe - ps));

			db_begin_write(db);
			plan_quote(db, porg, psub, p_eur, 6, at, &q);
			a.now = at;
			sensor_deploy(db, porg, &a, "P-NEW", "temp", at, &dr);
			same_up += dr.amount == q.net;
			db_rollback(db);

			db_begin_write(db);
			plan_quote(db, porg, psub, p_eur, 4, at, &q);
			sensor_remove(db, porg, "P-00", at);
			sync_preview(db, porg, at, &sp);
			same_down += sp.n == 1 && sp.v[0].credit == -q.net;
			sync_plan_free(&sp);
			db_rollback(db);
		}
		is_i64(same_up, 500, "+1 unit: the plan quote and a deploy agree "
		    "to the cent at 500 random instants");
		is_i64(same_down, 500, "-1 unit: the plan quote and the sync "
		    "agree to the cent at 500 random instants");
	}

	/* verify fails on an accrual deleted by hand. */
	a.now = t("2026-04-05T00:00:00Z");
	db_begin_write(db);
	sensor_deploy(db, nl, &a, "Y-1", "temp", a.now, &dr);
	db_commit(db);
	sqlite3_exec(db->h, "DROP TRIGGER accrual_no_delete; DELETE FROM "
	    "accrual WHERE id = (SELECT max(id) FROM accrual)", NULL, NULL,
	    NULL);
	ok(!sound(), "verify fails once an accrual is deleted by hand");

	db_close(db);
	snprintf(cmd, sizeof(cmd), getenv("KEEP") ? "true %s" : "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
