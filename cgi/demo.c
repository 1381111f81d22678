/* demo.c: a deterministic demo: a parent company with two children, another customer, a year of history. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "audit.h"
#include "db_org.h"
#include "demo.h"
#include "details.h"
#include "gateway.h"
#include "invoice.h"
#include "payment.h"
#include "ledger.h"
#include "money.h"
#include "session.h"
#include "util.h"

/* Sensor products and their unit prices (the same figures per currency). */
static const struct {
	const char	*code;
	const char	*name;
	const char	*kind;
	cents_t		 monthly;
	cents_t		 annual;
} products[] = {
	{ "temp",	"Temperature sensor",	"sensor", 500,	5500 },
	{ "humidity",	"Humidity sensor",	"sensor", 400,	4400 },
	{ "air",	"Air quality sensor",	"sensor", 900,	9900 },
	/* Per-user plans, as in the help pages' proration example. */
	{ "standard",	"Standard plan, per user", "seat", 600, 6600 },
	{ "premium",	"Premium plan, per user", "seat", 1300, 14300 },
};
#define NPRODUCTS	(sizeof(products) / sizeof(products[0]))
static const char *const currencies[] = { "USD", "EUR", "GBP" };
#define NCURRENCIES	(sizeof(currencies) / sizeof(currencies[0]))

/* The organizations; parent is an index into this table, -1 for none. */
static const struct {
	int		 parent;
	const char	*name;
	const char	*currency;
	const char	*country;
	const char	*email;
	const char	*address1;
	const char	*city;
	const char	*postal_code;
	const char	*region;
	const char	*vat_number;
	const char	*po_reference;
	const char	*cc;
	const char	*tokens[2];	/* sandbox payment methods, default first */
} orgs[] = {
	{ -1, "Acme Holdings Inc.", "USD", "US", "accounts@acme.test",
	  "500 Howard Street", "San Francisco", "94105", "CA", "",
	  "PO-2026-117", "cfo@acme.test", { "tok_visa", "tok_mastercard" } },
	{ 0, "Acme Labs GmbH", "EUR", "DE", "labs@acme.test",
	  "Torstraße 1", "Berlin", "10119", "", "DE987654328", "", NULL,
	  { "tok_amex", NULL } },
	{ 0, "Acme Europe B.V.", "EUR", "NL", "europe@acme.test",
	  "Keizersgracht 100", "Amsterdam", "1015 AA", "", "NL123456782B01",
	  "", NULL, { "tok_sepa_nl", NULL } },
	{ -1, "Globex Ltd", "GBP", "GB", "billing@globex.test",
	  "1 Globex Way", "London", "EC1A 1BB", "", "GB123456782", "", NULL,
	  { "tok_mastercard", NULL } },
};
#define NORGS	(sizeof(orgs) / sizeof(orgs[0]))

static const struct {
	int		 org;
	const char	*email;
	const char	*name;
	const char	*role;
} users[] = {
	{ 0, "owner@demo.test",		"Olivia Owner",		"owner" },
	{ 0, "billing@demo.test",	"Bill Payne",		"billing_admin" },
	{ 0, "accountant@demo.test",	"Ada Ledger",		"accountant" },
	{ 0, "member@demo.test",	"Max Member",		"member" },
	{ 1, "owner@labs.test",		"Lena Lange",		"owner" },
	{ 2, "owner@europe.test",	"Eva de Vries",		"owner" },
	{ 3, "owner@other.test",	"Oscar Other",		"owner" },
};

/*
 * Subscriptions: start is in months before the current month's start;
 * contract is the contract's length in months (0: none).
 */
static const struct {
	int		 org;
	int		 product;
	int		 annual;
	int64_t		 quantity;
	int		 start;
	int		 contract;
} subs[] = {
	{ 0, 0, 0, 12, 12, 0 },		/* Acme: 12 temperature, monthly */
	{ 0, 1, 0, 8, 12, 0 },		/* Acme: 8 humidity, monthly */
	{ 0, 2, 1, 5, 4, 0 },		/* Acme: 5 air quality, annual */
	{ 1, 0, 0, 4, 12, 0 },		/* Labs: 4 temperature, monthly */
	{ 1, 3, 0, 10, 3, 0 },		/* Labs: 10 standard users, monthly */
	{ 2, 2, 1, 2, 2, 24 },		/* Europe: 2 air, annual, 2-year contract */
	{ 3, 0, 0, 20, 12, 0 },		/* Globex: 20 temperature, monthly */
	{ 3, 1, 1, 6, 7, 0 },		/* Globex: 6 humidity, annual */
};
#define NSUBS	(sizeof(subs) / sizeof(subs[0]))

/* Deployed sensors per organization and product. */
static const struct {
	int		 org;
	int		 product;
	int		 count;
} sensors[] = {
	{ 0, 0, 10 },	/* two fewer than subscribed: a sync gives credit */
	{ 0, 1, 8 },
	{ 0, 2, 5 },	/* as many as subscribed */
	{ 1, 0, 4 },
	{ 2, 2, 2 },
	{ 3, 0, 18 },
	{ 3, 1, 6 },
};

/* The label of org's default payment method, for its receipts. */
static int
default_method(struct db *db, int64_t org, char *out, size_t outsz)
{
	struct pm_list	 l;
	int		 rc;

	if ((rc = payment_list(db, org, &l)) == DB_OK && l.n > 0)
		payment_label(&l.v[0], out, outsz);
	else if (rc == DB_OK)
		rc = DB_ERROR;
	payment_list_free(&l);
	return rc;
}

/* Issue one invoice of lines to org at at, and pay it by its default method. */
static int
invoice_and_pay(struct db *db, int64_t org, const char *tag, int64_t at,
    const struct doc_line *lines, size_t n, int64_t *doc)
{
	struct invoice_req	 r;
	struct document		*d = NULL;
	char			 key[96], method[128];
	int64_t			 rid;
	int			 rc;

	snprintf(key, sizeof(key), "demo:invoice:%lld:%s", (long long)org,
	    tag);
	r = (struct invoice_req){ org, key, at, lines, n, 0, 1 };
	if (invoice_issue(db, &r, doc) != INV_OK ||
	    invoice_get(db, *doc, &d) != INV_OK ||
	    default_method(db, org, method, sizeof(method)) != DB_OK) {
		invoice_free(d);
		return DB_ERROR;
	}
	snprintf(key, sizeof(key), "demo:payment:%lld:%s", (long long)org,
	    tag);
	rc = invoice_pay(db, *doc, at + 3600, d->total, method, key, &rid);
	invoice_free(d);
	return rc == INV_OK ? DB_OK : DB_ERROR;
}

/* An organization's billing details and payment methods. */
static int
org_setup(struct db *db, size_t i, int64_t org, int64_t at)
{
	struct details		 d;
	struct gw_method	 g;
	struct actor		 a = { 0, "reckonctl demo", "", at };
	const char		*why;
	int64_t			 id;
	size_t			 k;

	memset(&d, 0, sizeof(d));
	snprintf(d.account_email, sizeof(d.account_email), "%s",
	    orgs[i].email);
	snprintf(d.invoice_email, sizeof(d.invoice_email), "%s",
	    orgs[i].email);
	snprintf(d.billing_name, sizeof(d.billing_name), "%s", orgs[i].name);
	snprintf(d.address1, sizeof(d.address1), "%s", orgs[i].address1);
	snprintf(d.city, sizeof(d.city), "%s", orgs[i].city);
	snprintf(d.postal_code, sizeof(d.postal_code), "%s",
	    orgs[i].postal_code);
	snprintf(d.region, sizeof(d.region), "%s", orgs[i].region);
	snprintf(d.country, sizeof(d.country), "%s", orgs[i].country);
	snprintf(d.vat_number, sizeof(d.vat_number), "%s", orgs[i].vat_number);
	snprintf(d.po_reference, sizeof(d.po_reference), "%s",
	    orgs[i].po_reference);
	if (orgs[i].cc != NULL)
		snprintf(d.cc[d.ncc++], sizeof(d.cc[0]), "%s", orgs[i].cc);
	if (details_write(db, org, &d) != DB_OK)
		return DB_ERROR;
	for (k = 0; k < 2 && orgs[i].tokens[k] != NULL; k++)
		if (gateway_attach(orgs[i].tokens[k], at, &g, &why) != GW_OK ||
		    payment_add(db, org, &a, &g, &id) != PAY_OK)
			return DB_ERROR;
	return DB_OK;
}

/*
 * Fill an empty, migrated database with the demo, in one write
 * transaction, relative to the month of now (so the same now gives the
 * same ledger).  Every user's password is password, hashed with a salt
 * of the user's own; NULL gives them none that can sign in (for tests
 * that need no sign-in).  Returns DB_OK, DB_CONFLICT if the database
 * already holds organizations, or a failure.
 */
int
demo_create(struct db *db, int64_t now, const char *password)
{
	char	 pwhash[crypto_pwhash_STRBYTES];
	int64_t	 org_id[NORGS], plan_id[NPRODUCTS][NCURRENCIES][2];
	int64_t	 prod_id[NPRODUCTS], ms, start, end, sub_id, n, id, doc;
	int64_t	 acme_doc = 0, sub_ids[NSUBS];
	char	 ext[32];
	size_t	 i, j, k;
	int	 c, p, rc, m, step;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if ((rc = db_org_count(db, &n)) != DB_OK)
		goto fail;
	if (n > 0) {
		rc = DB_CONFLICT;
		goto fail;
	}
	ms = util_month_start(now);
	if ((rc = db_seller_insert(db, "Reckon Demo GmbH",
	    "Friedrichstraße 68\n10117 Berlin\nGermany", "DE", "DE314159262"))
	    != DB_OK || (rc = db_seller_parts(db, "Friedrichstraße 68",
	    "Berlin", "10117", "billing@reckon-demo.test", "+49 30 1234567",
	    "HRB 123456 B")) != DB_OK)
		goto fail;
	for (i = 0; i < NPRODUCTS; i++) {
		if ((rc = db_product_insert(db, products[i].code,
		    products[i].name, products[i].kind, &prod_id[i])) != DB_OK)
			goto fail;
		for (j = 0; j < NCURRENCIES; j++)
			for (k = 0; k < 2; k++)
				if ((rc = db_plan_insert(db, prod_id[i],
				    k ? "annual" : "monthly", currencies[j],
				    k ? products[i].annual :
				    products[i].monthly,
				    &plan_id[i][j][k])) != DB_OK)
					goto fail;
	}
	for (i = 0; i < NORGS; i++)
		if ((rc = db_org_insert(db, orgs[i].parent < 0 ? 0 :
		    org_id[orgs[i].parent], orgs[i].name, orgs[i].currency,
		    orgs[i].country, orgs[i].email, util_month_add(ms, -13),
		    &org_id[i])) != DB_OK ||
		    (rc = org_setup(db, i, org_id[i],
		    util_month_add(ms, -13))) != DB_OK)
			goto fail;
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		if (password == NULL)
			snprintf(pwhash, sizeof(pwhash), "!");
		else if (session_password_hash(password, pwhash,
		    sizeof(pwhash)) == -1) {
			rc = DB_ERROR;
			goto fail;
		}
		if ((rc = db_user_insert(db, org_id[users[i].org],
		    users[i].email, users[i].name, users[i].role, pwhash,
		    util_month_add(ms, -13), NULL)) != DB_OK)
			goto fail;
	}

	for (i = 0; i < NSUBS; i++) {
		const char *cur = orgs[subs[i].org].currency;

		for (c = 0; c < (int)NCURRENCIES; c++)
			if (strcmp(currencies[c], cur) == 0)
				break;
		p = subs[i].product;
		step = subs[i].annual ? 12 : 1;
		/* The current period. */
		start = util_month_add(ms, -subs[i].start);
		while (util_month_add(start, step) <= ms)
			start = util_month_add(start, step);
		end = util_month_add(start, step);
		if ((rc = db_sub_insert(db, org_id[subs[i].org],
		    plan_id[p][c][subs[i].annual], subs[i].quantity, start, end,
		    subs[i].contract ? util_month_add(util_month_add(ms,
		    -subs[i].start), subs[i].contract) : 0, &sub_id)) != DB_OK)
			goto fail;
		sub_ids[i] = sub_id;
	}

	/*
	 * The history: at each month's start, one invoice per organization
	 * for the subscriptions whose period begins then, paid an hour
	 * later by the default payment method.
	 */
	for (m = -16; m <= 0; m++) {
		start = util_month_add(ms, m);
		for (i = 0; i < NORGS; i++) {
			struct doc_line	 lines[NSUBS];
			char		 tag[32];
			size_t		 nl = 0;

			for (k = 0; k < NSUBS; k++) {
				struct doc_line *l = &lines[nl];

				if ((size_t)subs[k].org != i || m <
				    -subs[k].start || (subs[k].annual &&
				    (m + subs[k].start) % 12 != 0))
					continue;
				p = subs[k].product;
				step = subs[k].annual ? 12 : 1;
				memset(l, 0, sizeof(*l));
				snprintf(l->description,
				    sizeof(l->description), "%s, %s",
				    products[p].name, subs[k].annual ?
				    "annual" : "monthly");
				l->period_start = start;
				l->period_end = util_month_add(start, step);
				l->subscription_id = sub_ids[k];
				l->quantity = subs[k].quantity;
				l->unit_price = subs[k].annual ?
				    products[p].annual : products[p].monthly;
				if (money_mul(l->unit_price, l->quantity,
				    &l->amount) != MONEY_OK) {
					rc = DB_ERROR;
					goto fail;
				}
				nl++;
			}
			if (nl == 0)
				continue;
			snprintf(tag, sizeof(tag), "%d", m);
			if ((rc = invoice_and_pay(db, org_id[i], tag, start,
			    lines, nl, &doc)) != DB_OK)
				goto fail;
			if (i == 0 && m == -2)
				acme_doc = doc;
		}
		/*
		 * Three months ago Globex was billed for two sensors it
		 * never had; the credit note the next day left the amount
		 * as customer credit.
		 */
		if (m == -3) {
			struct doc_line	 extra;

			memset(&extra, 0, sizeof(extra));
			snprintf(extra.description, sizeof(extra.description),
			    "Temperature sensor, added mid-period");
			extra.period_start = start + 2 * 86400;
			extra.period_end = util_month_add(ms, -2);
			extra.quantity = 2;
			extra.unit_price = 500;
			extra.amount = 1000;
			if ((rc = invoice_and_pay(db, org_id[3], "extra",
			    start + 2 * 86400, &extra, 1, &doc)) != DB_OK ||
			    invoice_credit(db, doc, start + 3 * 86400, 1,
			    "demo:credit-note:extra", &id) != INV_OK) {
				rc = DB_ERROR;
				goto fail;
			}
		}
	}


	/*
	 * Two months ago Acme reduced 2 temperature sensors halfway through
	 * the period: a credit note against that month's invoice, kept as
	 * customer credit (the invoice was paid).
	 */
	if (acme_doc != 0) {
		struct doc_line	 cl;

		memset(&cl, 0, sizeof(cl));
		snprintf(cl.description, sizeof(cl.description), "Unused "
		    "time: Temperature sensor, 2 units removed halfway "
		    "through the period");
		cl.period_start = util_month_add(ms, -2) + 15 * 86400;
		cl.period_end = util_month_add(ms, -1);
		cl.quantity = 2;
		cl.unit_price = 250;
		cl.amount = 500;
		if (invoice_credit_lines(db, acme_doc, &cl, 1, cl.period_start,
		    "demo:credit:sync:1", 1, &id) != INV_OK) {
			rc = DB_ERROR;
			goto fail;
		}
	}

	for (i = 0; i < sizeof(sensors) / sizeof(sensors[0]); i++)
		for (c = 0; c < sensors[i].count; c++) {
			snprintf(ext, sizeof(ext), "%s-%02d-%03d",
			    products[sensors[i].product].code, sensors[i].org,
			    c + 1);
			if ((rc = db_sensor_insert(db, org_id[sensors[i].org],
			    ext, prod_id[sensors[i].product],
			    util_month_add(ms, -12) + c * 3600, &id)) != DB_OK)
				goto fail;
		}
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}
