/* demo.c: a deterministic demo: a parent company with two children, another customer, a year of history. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "audit.h"
#include "db_org.h"
#include "demo.h"
#include "details.h"
#include "gateway.h"
#include "payment.h"
#include "ledger.h"
#include "money.h"
#include "util.h"

/* Sensor products and their unit prices (the same figures per currency). */
static const struct {
	const char	*code;
	const char	*name;
	cents_t		 monthly;
	cents_t		 annual;
} products[] = {
	{ "temp",	"Temperature sensor",	500,	5500 },
	{ "humidity",	"Humidity sensor",	400,	4400 },
	{ "air",	"Air quality sensor",	900,	9900 },
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
	{ 0, "Acme Labs LLC", "USD", "US", "labs@acme.test",
	  "12 Lab Road", "Boston", "02110", "MA", "", "", NULL,
	  { "tok_amex", NULL } },
	{ 0, "Acme Europe B.V.", "EUR", "NL", "europe@acme.test",
	  "Keizersgracht 100", "Amsterdam", "1015 AA", "", "NL123456789B01",
	  "", NULL, { "tok_sepa_nl", NULL } },
	{ -1, "Globex Ltd", "GBP", "GB", "billing@globex.test",
	  "1 Globex Way", "London", "EC1A 1BB", "", "GB123456789", "", NULL,
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
	{ 2, 2, 1, 2, 2, 24 },		/* Europe: 2 air, annual, 2-year contract */
	{ 3, 0, 0, 20, 12, 0 },		/* Globex: 20 temperature, monthly */
	{ 3, 1, 1, 6, 7, 0 },		/* Globex: 6 humidity, annual */
};

/* Deployed sensors per organization and product. */
static const struct {
	int		 org;
	int		 product;
	int		 count;
} sensors[] = {
	{ 0, 0, 10 },	/* two fewer than subscribed: a sync gives credit */
	{ 0, 1, 8 },
	{ 0, 2, 6 },	/* one more than subscribed */
	{ 1, 0, 4 },
	{ 2, 2, 2 },
	{ 3, 0, 18 },
	{ 3, 1, 6 },
};

static int
post(struct db *db, int64_t org, const char *cur, const char *key,
    const char *kind, const char *memo, int64_t at, enum ledger_account dr,
    enum ledger_account cr, cents_t amount)
{
	struct ledger_line	 l[2] = { { dr, amount }, { cr, -amount } };
	struct ledger_entry	 e = { org, key, kind, memo, cur, at, l, 2 };

	return ledger_post(db, &e, NULL) == LEDGER_OK ? DB_OK : DB_ERROR;
}

/* Invoice and pay one period of a subscription. */
static int
history(struct db *db, int64_t org, const char *cur, int64_t sub,
    const char *what, cents_t amount, int64_t start)
{
	char	 key[96], memo[256], day[16];

	util_time_fmt(start, "%Y-%m-%d", day, sizeof(day));
	snprintf(key, sizeof(key), "demo:invoice:%lld:%lld", (long long)sub,
	    (long long)start);
	snprintf(memo, sizeof(memo), "%s, period from %s", what, day);
	if (post(db, org, cur, key, "invoice", memo, start, ACC_RECEIVABLE,
	    ACC_REVENUE, amount) != DB_OK)
		return DB_ERROR;
	snprintf(key, sizeof(key), "demo:payment:%lld:%lld", (long long)sub,
	    (long long)start);
	snprintf(memo, sizeof(memo), "Card payment, period from %s", day);
	return post(db, org, cur, key, "payment", memo, start + 3600,
	    ACC_CASH, ACC_RECEIVABLE, amount);
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
 * same ledger).  Every user's password hash is pwhash.  Returns DB_OK,
 * DB_CONFLICT if the database already holds organizations, or a failure.
 */
int
demo_create(struct db *db, int64_t now, const char *pwhash)
{
	int64_t	 org_id[NORGS], plan_id[NPRODUCTS][NCURRENCIES][2];
	int64_t	 prod_id[NPRODUCTS], ms, start, end, sub_id, n, id;
	char	 ext[32], what[160];
	size_t	 i, j, k;
	int	 c, p, rc;
	cents_t	 amount, price;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if ((rc = db_org_count(db, &n)) != DB_OK)
		goto fail;
	if (n > 0) {
		rc = DB_CONFLICT;
		goto fail;
	}
	ms = util_month_start(now);
	if ((rc = db_seller_insert(db, "Reckon Demo Seller Inc.",
	    "100 Market Street, San Francisco, CA 94105", "US", "")) != DB_OK)
		goto fail;
	for (i = 0; i < NPRODUCTS; i++) {
		if ((rc = db_product_insert(db, products[i].code,
		    products[i].name, "sensor", &prod_id[i])) != DB_OK)
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
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		if ((rc = db_user_insert(db, org_id[users[i].org],
		    users[i].email, users[i].name, users[i].role, pwhash,
		    util_month_add(ms, -13), NULL)) != DB_OK)
			goto fail;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		const char *cur = orgs[subs[i].org].currency;

		for (c = 0; c < (int)NCURRENCIES; c++)
			if (strcmp(currencies[c], cur) == 0)
				break;
		p = subs[i].product;
		price = subs[i].annual ? products[p].annual :
		    products[p].monthly;
		if (money_mul(price, subs[i].quantity, &amount) != MONEY_OK) {
			rc = DB_ERROR;
			goto fail;
		}
		/* The current period, and the history before it. */
		start = util_month_add(ms, -subs[i].start);
		while (util_month_add(start, subs[i].annual ? 12 : 1) <= ms)
			start = util_month_add(start, subs[i].annual ? 12 : 1);
		end = util_month_add(start, subs[i].annual ? 12 : 1);
		if ((rc = db_sub_insert(db, org_id[subs[i].org],
		    plan_id[p][c][subs[i].annual], subs[i].quantity, start, end,
		    subs[i].contract ? util_month_add(util_month_add(ms,
		    -subs[i].start), subs[i].contract) : 0, &sub_id)) != DB_OK)
			goto fail;
		snprintf(what, sizeof(what), "%lld × %s (%s)",
		    (long long)subs[i].quantity, products[p].name,
		    subs[i].annual ? "annual" : "monthly");
		for (start = util_month_add(ms, -subs[i].start); start < end;
		    start = util_month_add(start, subs[i].annual ? 12 : 1))
			if ((rc = history(db, org_id[subs[i].org], cur, sub_id,
			    what, amount, start)) != DB_OK)
				goto fail;
	}

	/* Two months ago Acme reduced 2 temperature sensors mid-period. */
	if ((rc = post(db, org_id[0], "USD", "demo:credit:sync:1", "credit",
	    "Credit: 2 × Temperature sensor removed halfway through the "
	    "period", util_month_add(ms, -2) + 15 * 86400, ACC_REVENUE,
	    ACC_CUSTOMER_CREDIT, 500)) != DB_OK)
		goto fail;

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
