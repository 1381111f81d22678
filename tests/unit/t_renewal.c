/* t_renewal.c: thirteen months of a monthly and an annual subscription, invoice by invoice, against hand-computed figures; runs cut short; credit beyond the invoice, cancellation at the period's end, a mid-period line's service period. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "details.h"
#include "gateway.h"
#include "invoice.h"
#include "ledger.h"
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
static struct actor	 a = { 0, "t_renewal", "", 0 };

/* Run renewals (twice: the second must do nothing) at when. */
static void
renew_at(const char *when)
{
	struct renewal_stats	 s1, s2;

	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	renewal_run(db, t(when), 0, &s1);
	renewal_run(db, t(when), 0, &s2);
	is_i64(s2.renewed + s2.charged + s2.expired + s2.declined, 0,
	    "renew at %s twice: the second run does nothing", when);
}

static void
deploy(int64_t org, const char *id, const char *type, const char *when)
{
	struct deploy_result	 r;

	a.now = t(when);
	db_begin_write(db);
	if (sensor_deploy(db, org, &a, id, type, t(when), &r) != SENSOR_OK)
		diag("deploy %s failed", id);
	db_commit(db);
	if (r.charge_id != 0) {
		struct renewal_stats st;

		memset(&st, 0, sizeof(st));
		renewal_charge_now(db, r.charge_id, t(when), &st);
	}
}

static void
setup_org(int64_t *org, const char *name, const char *token)
{
	struct details		 d;
	struct gw_method	 g;
	const char		*why;
	int64_t			 id;

	db_org_insert(db, 0, name, "USD", "US", "a@x.test", 0, org);
	memset(&d, 0, sizeof(d));
	snprintf(d.account_email, sizeof(d.account_email), "a@x.test");
	snprintf(d.invoice_email, sizeof(d.invoice_email), "a@x.test");
	snprintf(d.billing_name, sizeof(d.billing_name), "%s", name);
	snprintf(d.address1, sizeof(d.address1), "1 Main St");
	snprintf(d.city, sizeof(d.city), "Springfield");
	snprintf(d.postal_code, sizeof(d.postal_code), "12345");
	snprintf(d.country, sizeof(d.country), "US");
	details_write(db, *org, &d);
	gateway_attach(token, 0, &g, &why);
	payment_add(db, *org, &a, &g, &id);
}

int
main(void)
{
	char			 dir[] = "/tmp/t_renewal.XXXXXX", path[128];
	char			 cmd[96], id[16];
	struct ledger_report	 rep;
	struct renewal_stats	 st;
	struct sync_plan	 sp;
	struct gw_charge	 gc, gc2;
	const char		*why;
	int64_t			 org, bad, temp, hum, p, sub_m, sub_a, sub_b, x;
	size_t			 i;
	cents_t			 c;
	/* The monthly renewal invoices, hand-computed (see below). */
	static const struct {
		const char	*date;
		cents_t		 total;
	} monthly[] = {
		{ "2026-02-01", 5774 },	/* 11 × 5.00 + 2.74 (Jan 15th) */
		{ "2026-03-01", 5500 },	/* 11 × 5.00 */
		{ "2026-04-01", 4000 },	/* synced to 8 on Mar 16th */
		{ "2026-05-01", 4000 },
		{ "2026-06-01", 4000 },
		{ "2026-07-01", 4000 },
		{ "2026-08-01", 4000 },
		{ "2026-09-01", 4000 },
		{ "2026-10-01", 4000 },
		{ "2026-11-01", 4000 },
		{ "2026-12-01", 4000 },
		{ "2027-01-01", 26000 },	/* and the annual 5 × 44.00: */
						/* one invoice a date */
		{ "2027-02-01", 4000 },
	};

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
	db_product_insert(db, "humidity", "Humidity sensor", "sensor", &hum);
	setup_org(&org, "Acme", "tok_visa");
	setup_org(&bad, "Badco", "tok_chargeDeclined");
	db_plan_insert(db, temp, "monthly", "USD", 500, &p);
	db_sub_insert(db, org, p, 10, t("2026-01-01"), t("2026-02-01"), 0,
	    &sub_m);
	db_sub_insert(db, bad, p, 2, t("2026-01-01"), t("2026-02-01"), 0,
	    &sub_b);
	db_plan_insert(db, hum, "annual", "USD", 4400, &p);
	db_sub_insert(db, org, p, 4, t("2026-01-01"), t("2027-01-01"), 0,
	    &sub_a);
	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "T-%02zu", i);
		db_sensor_insert(db, org, id, temp, t("2026-01-01"), &x);
	}
	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "H-%02zu", i);
		db_sensor_insert(db, org, id, hum, t("2026-01-01"), &x);
	}
	db_commit(db);

	/* Jan 15th: an 11th temperature sensor: 5.00 × 17/31 = 2.74. */
	deploy(org, "T-10", "temp", "2026-01-15");
	is_i64(scalar("SELECT amount FROM accrual"), 274,
	    "Jan 15th: 2.74 is accrued for the next invoice");
	is_i64(scalar("SELECT quantity FROM subscription WHERE id = %lld",
	    (long long)sub_m), 11, "11 subscribed");
	renew_at("2026-02-01T00:00:01Z");
	/* Badco's card declines: retries after 1, 3 and 5 days, then failed. */
	x = scalar("SELECT id FROM charge WHERE org_id = %lld ORDER BY id "
	    "LIMIT 1", (long long)bad);
	is_i64(scalar("SELECT attempts FROM charge WHERE id = %lld",
	    (long long)x), 1, "Badco's first charge: one attempt so far");
	is_i64(scalar("SELECT next_attempt_at - created_at FROM charge WHERE "
	    "id = %lld", (long long)x), 86400, "next try a day later");
	memset(&st, 0, sizeof(st));
	renewal_charges(db, t("2026-02-02T00:00:01Z"), &st);
	is_i64(scalar("SELECT next_attempt_at - created_at FROM charge WHERE "
	    "id = %lld", (long long)x), 3 * 86400, "then three days after");
	renewal_charges(db, t("2026-02-04T00:00:01Z"), &st);
	is_i64(scalar("SELECT next_attempt_at - created_at FROM charge WHERE "
	    "id = %lld", (long long)x), 5 * 86400, "then five days after");
	renewal_charges(db, t("2026-02-06T00:00:01Z"), &st);
	is_i64(scalar("SELECT status = 'failed' AND attempts = 4 FROM charge "
	    "WHERE id = %lld", (long long)x), 1,
	    "then given up: four attempts");
	is_i64(scalar("SELECT count(*) FROM receipt r JOIN document d ON "
	    "d.id = r.document_id WHERE d.id = (SELECT document_id FROM "
	    "charge WHERE id = %lld)", (long long)x), 0,
	    "its invoice stays open");
	is_i64(scalar("SELECT count(*) FROM outbox WHERE org_id = %lld AND "
	    "kind = 'notice' AND subject LIKE 'Payment failed: invoice %%'",
	    (long long)bad), 4, "each decline emailed: 'Payment failed'");
	is_i64(scalar("SELECT count(*) FROM outbox WHERE org_id = %lld AND "
	    "subject LIKE 'Payment failed%%' AND body LIKE '%%$10.00%%' AND "
	    "body LIKE '%%Payment methods%%' AND body LIKE "
	    "'%%the last automatic attempt%%'", (long long)bad), 1,
	    "with the amount and what to do; the last one says it was the "
	    "last");
	/* A good card, then "Pay now": the failed charge is paid at once. */
	{
		struct gw_method	 g;
		size_t			 n;
		int64_t			 pm;

		gateway_attach("tok_visa", 0, &g, &why);
		db_begin_write(db);
		payment_add(db, bad, &a, &g, &pm);
		payment_set_default(db, bad, &a, pm);
		db_commit(db);
		memset(&st, 0, sizeof(st));
		is_i64(renewal_pay_now(db, bad, t("2026-02-07T10:00:00Z"), &n,
		    &st), DB_OK, "Pay now");
		is_i64((int64_t)n, 1, "tries the one failed charge");
		is_i64(scalar("SELECT status = 'succeeded' AND attempts = 5 FROM "
		    "charge WHERE id = %lld", (long long)x), 1,
		    "succeeded, on a fifth attempt");
		is_i64(scalar("SELECT count(*) FROM receipt r JOIN "
		    "journal_entry e ON e.id = r.entry_id JOIN charge c ON "
		    "c.document_id = r.document_id WHERE c.id = %lld AND "
		    "e.idem_key = c.idem_key || ':5'", (long long)x), 1,
		    "paid under the fifth attempt's own key, KEY:5");
		is_i64(scalar("SELECT count(DISTINCT o.idem_key) FROM outbox "
		    "o, charge c WHERE c.id = %lld AND o.idem_key IN ("
		    "'declined-mail:' || c.idem_key || ':1', "
		    "'declined-mail:' || c.idem_key || ':2', "
		    "'declined-mail:' || c.idem_key || ':3', "
		    "'declined-mail:' || c.idem_key || ':4')", (long long)x), 4,
		    "each declined attempt had its own key, KEY:1 to KEY:4");
		is_i64(scalar("SELECT count(*) FROM receipt r JOIN document d ON "
		    "d.id = r.document_id WHERE d.id = (SELECT document_id FROM "
		    "charge WHERE id = %lld)", (long long)x), 1,
		    "the invoice is paid");
		memset(&st, 0, sizeof(st));
		renewal_pay_now(db, bad, t("2026-02-07T10:05:00Z"), &n, &st);
		is_i64((int64_t)n, 0, "Pay now again: nothing left to pay");
	}

	renew_at("2026-03-01T00:00:01Z");

	/* Mar 16th: 3 removed, then a sync: 3 × 5.00 × 16/31 = 7.74. */
	a.now = t("2026-03-16");
	db_begin_write(db);
	for (i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "T-%02zu", i);
		sensor_remove(db, org, id, a.now);
	}
	db_commit(db);
	is_i64(scalar("SELECT quantity FROM subscription WHERE id = %lld",
	    (long long)sub_m), 11, "removing sensors does not reduce");
	db_begin_write(db);
	sync_preview(db, org, a.now, &sp);
	is_i64(sp.credit, 774, "the sync credits 7.74");
	is_i64(sync_apply(db, org, &a, &sp, "t:sync"), DB_OK, "applied");
	db_commit(db);
	sync_plan_free(&sp);
	ledger_credit_available(db, org, "USD", &c);
	is_i64(c, 774, "7.74 of customer credit");
	renew_at("2026-04-01T00:00:01Z");
	ledger_credit_available(db, org, "USD", &c);
	is_i64(c, 0, "used by the April renewal");
	is_i64(scalar("SELECT amount FROM receipt r JOIN document d ON "
	    "d.id = r.document_id WHERE d.issued_at = %lld AND r.method = "
	    "'Customer credit'", (long long)t("2026-04-01")), 774,
	    "as a receipt 'Customer credit'");
	is_i64(scalar("SELECT amount FROM receipt r JOIN document d ON "
	    "d.id = r.document_id WHERE d.issued_at = %lld AND r.method = "
	    "'Visa ending 4242'", (long long)t("2026-04-01")), 3226,
	    "the card pays the rest: 32.26");
	renew_at("2026-05-01T00:00:01Z");

	/* Jun 1st: a 5th humidity sensor on the annual plan: at once. */
	deploy(org, "H-04", "humidity", "2026-06-01");
	is_i64(scalar("SELECT total FROM document WHERE id = (SELECT max(id) "
	    "FROM document)"), 2580,
	    "44.00 × 214/365 = 25.80, invoiced at once");
	is_i64(scalar("SELECT count(*) FROM charge WHERE document_id = "
	    "(SELECT max(id) FROM document) AND status = 'succeeded'"), 1,
	    "and charged at once");
	for (i = 6; i <= 12; i++) {
		char when[32];

		snprintf(when, sizeof(when), "2026-%02zu-01T00:00:01Z", i);
		renew_at(when);
	}
	renew_at("2027-01-01T00:00:01Z");
	renew_at("2027-02-01T00:00:01Z");

	for (i = 0; i < sizeof(monthly) / sizeof(monthly[0]); i++)
		is_i64(scalar("SELECT total FROM document d JOIN document_line "
		    "l ON l.document_id = d.id AND l.position = 0 WHERE "
		    "d.org_id = %lld AND d.issued_at = %lld AND l.description "
		    "LIKE 'Temperature%%'", (long long)org,
		    (long long)t(monthly[i].date)), monthly[i].total,
		    "monthly invoice of %s", monthly[i].date);
	is_i64(scalar("SELECT l.amount FROM document d JOIN document_line l ON "
	    "l.document_id = d.id WHERE d.issued_at = %lld "
	    "AND l.description LIKE 'Humidity%%'",
	    (long long)t("2027-01-01")), 22000,
	    "the annual renewal: 5 × 44.00");
	is_i64(scalar("SELECT count(*) FROM document d JOIN document_line l "
	    "ON l.document_id = d.id AND l.position = 0 WHERE d.org_id = %lld "
	    "AND l.description = 'Temperature sensor, monthly'",
	    (long long)org), 13, "13 monthly renewals, each once");
	is_i64(scalar("SELECT count(*) FROM document d JOIN document_line l "
	    "ON l.document_id = d.id WHERE d.org_id = %lld "
	    "AND l.description = 'Humidity sensor, annual'", (long long)org),
	    1, "one annual renewal");
	is_i64(scalar("SELECT count(*) FROM charge WHERE org_id = %lld AND "
	    "status <> 'succeeded'", (long long)org), 0,
	    "every Acme charge succeeded");

	/*
	 * A run cut short after invoicing (no_charge stands for the kill)
	 * leaves its charges pending; the next run attempts them first.
	 */
	memset(&st, 0, sizeof(st));
	is_i64(renewal_run(db, t("2027-03-01T00:00:01Z"), 1, &st), DB_OK,
	    "March 2027 invoiced, not charged");
	is_i64(st.renewed * 10 + st.charged, 20, "two renewed, none charged");
	is_i64(scalar("SELECT count(*) FROM charge WHERE status = 'pending'"),
	    2, "two charges pending");
	memset(&st, 0, sizeof(st));
	is_i64(renewal_run(db, t("2027-03-01T00:00:01Z"), 0, &st), DB_OK,
	    "the next run");
	is_i64(st.renewed * 10 + st.charged, 2,
	    "renews nothing, charges both (Badco's new card since Pay now)");
	is_i64(scalar("SELECT count(*) FROM charge WHERE status = 'pending'"),
	    0, "no charge left pending");

	/*
	 * The processor's batches: answers given in a batch that never
	 * ended (the process died) are forgotten and nothing was charged;
	 * once a batch has ended, a key answers as it did.
	 */
	is_i64(gateway_batch_begin(), 0, "a batch begins");
	is_i64(gateway_charge("pm_sbx_visa_t", "USD", 100, "t:lost:1",
	    t("2027-03-02"), &gc, &why), GW_OK, "charged inside the batch");
	gateway_close();
	snprintf(path, sizeof(path), "%s/t.db.sandbox", dir);
	if (gateway_init(path) == -1)
		return 1;
	is_i64(gateway_charge("pm_sbx_visa_t", "USD", 200, "t:lost:1",
	    t("2027-03-02"), &gc, &why), GW_OK,
	    "the key of a batch that never ended is free again");
	is_i64(gateway_batch_begin(), 0, "another batch");
	is_i64(gateway_charge("pm_sbx_visa_t", "USD", 300, "t:kept:1",
	    t("2027-03-02"), &gc, &why), GW_OK, "charged");
	is_i64(gateway_batch_end(), 0, "the batch ends");
	is_i64(gateway_charge("pm_sbx_visa_t", "USD", 300, "t:kept:1",
	    t("2027-03-03"), &gc2, &why), GW_OK, "asked again");
	is_str(gc2.charge_ref, gc.charge_ref, "the same charge answers");
	is_i64(gateway_charge("pm_sbx_visa_t", "USD", 400, "t:kept:1",
	    t("2027-03-03"), &gc2, &why), GW_ERROR,
	    "the key is refused for another amount");
	is_i64(gateway_batch_end(), -1, "no batch to end");

	/*
	 * Credco: 10 temperature units at 5.00 with one sensor deployed,
	 * and 3 humidity units at 4.00 a month with 3 sensors, renewed
	 * (and paid by card) on March 1st 2027.  Synced on
	 * March 2nd 2027: 9 × 5.00 × 30/31 = 43.55 of credit.  The
	 * humidity renewal is cancelled on March 10th.
	 */
	{
		int64_t	 credco, pt, ph, sub_t, sub_h, d1, d2, hx;
		int64_t	 ends;
		cents_t	 before;

		pt = scalar("SELECT id FROM plan WHERE product_id = %lld AND "
		    "period = 'monthly'", (long long)temp);
		db_begin_write(db);
		setup_org(&credco, "Credco", "tok_visa");
		db_plan_insert(db, hum, "monthly", "USD", 400, &ph);
		db_sub_insert(db, credco, pt, 10, t("2027-02-01"),
		    t("2027-03-01"), 0, &sub_t);
		db_sub_insert(db, credco, ph, 3, t("2027-02-01"),
		    t("2027-03-01"), 0, &sub_h);
		db_sensor_insert(db, credco, "C-T-0", temp, t("2027-02-01"),
		    &x);
		for (i = 0; i < 3; i++) {
			snprintf(id, sizeof(id), "C-H-%zu", i);
			db_sensor_insert(db, credco, id, hum, t("2027-02-01"),
			    &hx);
		}
		db_commit(db);
		renew_at("2027-03-01T00:00:02Z");	/* March, charged */
		a.now = t("2027-03-02");
		db_begin_write(db);
		sync_preview(db, credco, a.now, &sp);
		is_i64(sp.credit, 4355, "Credco's sync credits 43.55");
		sync_apply(db, credco, &a, &sp, "t:credco:sync");
		db_commit(db);
		sync_plan_free(&sp);
		a.now = t("2027-03-10");
		db_begin_write(db);
		is_i64(sub_cancel(db, credco, &a, sub_h, &ends), SUB_OK,
		    "the humidity renewal is cancelled");
		db_commit(db);
		is_i64(ends, t("2027-04-01"), "it ends at the period's end");

		memset(&st, 0, sizeof(st));
		is_i64(renewal_run(db, t("2027-04-01T00:00:01Z"), 0, &st),
		    DB_OK, "April 2027: the batch commits");
		is_i64(st.org_failures, 0, "no organization failed");
		d1 = scalar("SELECT id FROM document WHERE org_id = %lld AND "
		    "kind = 'invoice' AND issued_at = %lld", (long long)credco,
		    (long long)t("2027-04-01"));
		is_i64(scalar("SELECT total FROM document WHERE id = %lld",
		    (long long)d1), 500, "Credco's invoice: 1 × 5.00");
		is_i64(scalar("SELECT count(*) FROM document_line WHERE "
		    "document_id = %lld AND description LIKE 'Humidity%%'",
		    (long long)d1), 0,
		    "nothing for the cancelled humidity subscription");
		is_i64(scalar("SELECT amount FROM receipt WHERE document_id = "
		    "%lld AND method = 'Customer credit'", (long long)d1), 500,
		    "paid in full from the credit");
		is_i64(scalar("SELECT count(*) FROM charge WHERE document_id = "
		    "%lld", (long long)d1), 0,
		    "nothing is charged to the card");
		ledger_credit_available(db, credco, "USD", &c);
		is_i64(c, 3855, "the rest of the credit is kept: 38.55");
		is_i64(scalar("SELECT count(*) FROM document WHERE issued_at = "
		    "%lld AND org_id = %lld", (long long)t("2027-04-01"),
		    (long long)org), 1, "Acme renewed in the same run");
		is_i64(scalar("SELECT status = 'expired' FROM subscription "
		    "WHERE id = %lld", (long long)sub_h), 1,
		    "cancelled at the period's end: expired");
		is_i64(scalar("SELECT period_end FROM subscription WHERE id = "
		    "%lld", (long long)sub_h), t("2027-04-01"),
		    "not renewed into another period");
		is_i64(scalar("SELECT count(*) FROM sensor WHERE org_id = %lld "
		    "AND product_id = %lld AND removed_at IS NULL",
		    (long long)credco, (long long)hum), 0,
		    "its sensors are removed");
		is_i64(scalar("SELECT period_start FROM subscription WHERE "
		    "id = %lld", (long long)sub_t), t("2027-04-01"),
		    "the temperature subscription renewed");

		/* April 10th: a second temperature sensor, 5.00 × 21/30. */
		deploy(credco, "C-T-1", "temp", "2027-04-10");
		ledger_credit_available(db, credco, "USD", &before);
		renew_at("2027-05-01T00:00:01Z");
		d2 = scalar("SELECT id FROM document WHERE org_id = %lld AND "
		    "kind = 'invoice' AND issued_at = %lld", (long long)credco,
		    (long long)t("2027-05-01"));
		is_i64(scalar("SELECT total FROM document WHERE id = %lld",
		    (long long)d2), 1350, "May: 2 × 5.00 and 3.50 accrued");
		is_i64(scalar("SELECT period_start FROM document WHERE id = "
		    "%lld", (long long)d2), t("2027-04-10"),
		    "the document's service starts with the mid-period line");
		is_i64(scalar("SELECT period_end FROM document WHERE id = %lld",
		    (long long)d2), t("2027-06-01"),
		    "and ends with the renewed period");
		is_i64(scalar("SELECT count(*) FROM document_line WHERE "
		    "document_id = %lld AND period_start = %lld AND "
		    "period_end = %lld AND amount = 350 AND description LIKE "
		    "'%%2027-04-10 to 2027-04-30%%'", (long long)d2,
		    (long long)t("2027-04-10"), (long long)t("2027-05-01")), 1,
		    "the mid-period line: April 10th to 30th");
		is_i64(scalar("SELECT count(*) FROM outbox WHERE document_id = "
		    "%lld AND body LIKE '%%for the service from 2027-04-10 to "
		    "2027-05-31.%%'", (long long)d2), 1,
		    "the email states the same service period");
		ledger_credit_available(db, credco, "USD", &c);
		is_i64(before - c, 1350, "paid from the credit again");

		/*
		 * May 16th: 2 → 3 units of the same plan.  The new time and
		 * the unused old time are lines of their own on the June
		 * invoice, never netted into one: 3 × 5.00 × 16/31 = 7.74
		 * and the net (3 − 2) × 5.00 × 16/31 = 2.58, rounded once,
		 * leaves 5.16 of unused time.
		 */
		{
			struct plan_quote	 q;
			int64_t			 pdoc, pch, d3;

			a.now = t("2027-05-16");
			db_begin_write(db);
			is_i64(plan_quote(db, credco, sub_t, pt, 3, a.now, &q),
			    PLAN_OK, "a quote for 3 units");
			is_i64(plan_apply(db, credco, &a, &q, "t:credco:plan",
			    &pdoc, &pch), PLAN_OK, "applied");
			db_commit(db);
			renew_at("2027-06-01T00:00:01Z");
			d3 = scalar("SELECT id FROM document WHERE org_id = "
			    "%lld AND kind = 'invoice' AND issued_at = %lld",
			    (long long)credco, (long long)t("2027-06-01"));
			is_i64(scalar("SELECT count(*) FROM document_line WHERE "
			    "document_id = %lld", (long long)d3), 3,
			    "June: the renewal, the new time, the unused time");
			is_i64(scalar("SELECT count(*) FROM document_line "
			    "WHERE document_id = %lld AND amount = 774 AND "
			    "quantity = 3", (long long)d3), 1,
			    "3 units for 16 days: 7.74");
			is_i64(scalar("SELECT count(*) FROM document_line "
			    "WHERE document_id = %lld AND amount = -516 AND "
			    "quantity = 2 AND description LIKE 'Unused time%%'",
			    (long long)d3), 1,
			    "2 units' unused time: −5.16, a line of its own");
			is_i64(scalar("SELECT total FROM document WHERE id = "
			    "%lld", (long long)d3), 1758,
			    "15.00 + 7.74 − 5.16 = 17.58");
		}
		(void)x;
		(void)hx;
	}

	db_begin_read(db);
	ledger_check(db, &rep);
	db_rollback(db);
	ok(!ledger_report_bad(&rep),
	    "the ledger balances after 13 months");
	gateway_close();
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
