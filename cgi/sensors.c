/* sensors.c: deploying a sensor adds it to the subscription (prorated); a sync reduces to what is deployed, as credit. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accrual.h"
#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "invoice.h"
#include "money.h"
#include "renewal.h"
#include "sensors.h"
#include "subscription.h"
#include "util.h"

/* The active subscriptions of a product, renewing and monthly first. */
static int
subs_of_product(struct db *db, int64_t org, int64_t product,
    struct sub_list *out)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SUB_ACTIVE_BY_PRODUCT);
	int64_t		 ids[64];
	size_t		 n = 0, i;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "ii", org, product) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW && n < 64)
		ids[n++] = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_OK && rc != DB_ROW)
		return rc;
	out->v = xcalloc(n, sizeof(*out->v));
	for (i = 0; i < n; i++, out->n++)
		if ((rc = db_sub_get(db, ids[i], &out->v[i])) != DB_OK)
			return rc;
	return DB_OK;
}

static int
set_quantity(struct db *db, const struct subscription *s, int64_t q)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SUB_SET_QUANTITY);

	if (db_bind(db, st, "iii", q, s->id, s->quantity) != DB_OK)
		return DB_ERROR;
	if (db_exec(db, st) != DB_OK || sqlite3_changes(db->h) != 1)
		return DB_ERROR;
	return DB_OK;
}

/*
 * Add one unit to subscription s at now, prorated by the second from
 * when it takes effect (sub_effective): on a monthly plan it is accrued
 * until the next renewal invoice; on an annual plan it is invoiced at
 * once, credit first, the rest charged (the caller attempts the charge
 * after committing).
 */
static int
add_unit(struct db *db, const struct subscription *s, int64_t sensor,
    int64_t now, struct deploy_result *r)
{
	struct doc_line		 l;
	struct invoice_req	 req;
	char			 key[96], day[16];
	int64_t			 from = sub_effective(s, now);
	int			 rc;

	memset(&l, 0, sizeof(l));
	if (money_prorate_change(s->unit_price, s->quantity, s->unit_price,
	    s->quantity + 1, s->period_end - from,
	    s->period_end - s->period_start, &l.amount) != MONEY_OK)
		return DB_ERROR;
	util_time_fmt(now, "%Y-%m-%d", day, sizeof(day));
	snprintf(l.description, sizeof(l.description), "%s, %s, added %s "
	    "(prorated)", s->product_name, s->annual ? "annual" : "monthly",
	    day);
	l.period_start = from;
	l.period_end = s->period_end;
	l.quantity = 1;
	l.unit_price = s->unit_price;
	snprintf(key, sizeof(key), "deploy:%lld:%lld", (long long)sensor,
	    (long long)now);
	r->units_added = 1;
	r->subscription_id = s->id;
	r->amount = l.amount;
	snprintf(r->currency, sizeof(r->currency), "%s", s->currency);
	{
		int32_t	 rate;
		int	 reverse;

		if (invoice_org_tax(db, s->org_id, &rate, &reverse) != DB_OK ||
		    invoice_line_tax(l.amount, rate, &r->tax) != MONEY_OK)
			return DB_ERROR;
	}
	if ((rc = set_quantity(db, s, s->quantity + 1)) != DB_OK)
		return rc;
	if (l.amount == 0)
		return DB_OK;
	if (!s->annual) {
		struct accrual_part	 part = { s->product_name, 1,
		    s->unit_price, l.amount };

		return accrual_post(db, s, key, now, &part, 1, NULL);
	}
	l.subscription_id = s->id;
	req = (struct invoice_req){ s->org_id, key, now, &l, 1, 0, 0 };
	if ((rc = invoice_issue(db, &req, &r->document_id)) != INV_OK)
		return rc == INV_DUPLICATE ? DB_OK : DB_ERROR;
	r->invoiced_now = 1;
	return renewal_settle(db, r->document_id, now, key, s->org_id,
	    &r->charge_id);
}

/*
 * The monitoring product deployed sensor ext_id of type (a product
 * code) for org at now, inside the caller's write transaction.  A
 * sensor beyond the subscribed count adds a unit to the type's
 * subscription with a prorated charge.  Deploying a deployed sensor
 * again changes nothing (SENSOR_ALREADY).  Returns SENSOR_OK,
 * SENSOR_ALREADY, SENSOR_UNKNOWN_TYPE, SENSOR_NO_SUBSCRIPTION (nothing
 * recorded) or SENSOR_DB.
 */
int
sensor_deploy(struct db *db, int64_t org, const struct actor *a,
    const char *ext_id, const char *type, int64_t now,
    struct deploy_result *r)
{
	struct sub_list	 subs;
	sqlite3_stmt	*st;
	char		 what[400];
	int64_t		 product, sensor = 0, deployed, subscribed = 0;
	size_t		 i;
	int		 rc, removed = 0, ret = SENSOR_DB;

	memset(r, 0, sizeof(*r));
	memset(&subs, 0, sizeof(subs));
	st = db_stmt(db, STMT_PRODUCT_BY_CODE);
	if (db_bind(db, st, "t", type) != DB_OK)
		return SENSOR_DB;
	rc = db_step(db, st);
	product = rc == DB_ROW && strcmp((const char *)
	    sqlite3_column_text(st, 2), "sensor") == 0 ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW && rc != DB_OK)
		return SENSOR_DB;
	if (product == 0)
		return SENSOR_UNKNOWN_TYPE;

	st = db_stmt(db, STMT_SENSOR_GET);
	if (db_bind(db, st, "it", org, ext_id) != DB_OK)
		return SENSOR_DB;
	if ((rc = db_step(db, st)) == DB_ROW) {
		sensor = db_col_int(st, 0);
		removed = sqlite3_column_type(st, 2) != SQLITE_NULL;
		if (!removed && db_col_int(st, 1) == product) {
			r->sensor_id = sensor;
			db_reset(st);
			return SENSOR_ALREADY;
		}
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_OK)
		return SENSOR_DB;

	if (subs_of_product(db, org, product, &subs) != DB_OK)
		goto out;
	if (subs.n == 0) {
		ret = SENSOR_NO_SUBSCRIPTION;
		goto out;
	}
	if (sensor == 0) {
		if (db_sensor_insert(db, org, ext_id, product, now, &sensor) !=
		    DB_OK)
			goto out;
	} else {
		st = db_stmt(db, STMT_SENSOR_REDEPLOY);
		if (db_bind(db, st, "iii", product, now, sensor) != DB_OK ||
		    db_exec(db, st) != DB_OK)
			goto out;
	}
	r->sensor_id = sensor;
	if (db_get_int(db, STMT_SENSOR_COUNT_PRODUCT, &deployed, "ii",
	    org, product) != DB_OK)
		goto out;
	for (i = 0; i < subs.n; i++)
		subscribed += subs.v[i].quantity;
	if (deployed > subscribed) {
		if (subs.v[0].quantity >= SENSOR_UNITS_MAX) {
			ret = SENSOR_TOO_MANY;
			goto out;
		}
		if (add_unit(db, &subs.v[0], sensor, now, r) != DB_OK)
			goto out;
		snprintf(what, sizeof(what), "%s %s deployed: %lld → %lld "
		    "subscribed", subs.v[0].product_name, ext_id,
		    (long long)subscribed, (long long)subscribed + 1);
		if (audit_add(db, org, a, "Sensor added to the subscription",
		    "", what, NULL) != DB_OK)
			goto out;
	}
	ret = SENSOR_OK;
out:
	for (i = 0; i < subs.n; i++)
		db_sub_clear(&subs.v[i]);
	free(subs.v);
	return ret;
}

/*
 * The monitoring product removed sensor ext_id of org at now, inside
 * the caller's write transaction.  The subscription is not reduced:
 * the customer may be moving the sensor (a sync reduces it).  Returns
 * SENSOR_OK, SENSOR_ALREADY (removed before), SENSOR_NOT_FOUND or
 * SENSOR_DB.
 */
int
sensor_remove(struct db *db, int64_t org, const char *ext_id, int64_t now)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SENSOR_GET);
	int64_t		 id = 0;
	int		 rc, removed = 0;

	if (db_bind(db, st, "it", org, ext_id) != DB_OK)
		return SENSOR_DB;
	if ((rc = db_step(db, st)) == DB_ROW) {
		id = db_col_int(st, 0);
		removed = sqlite3_column_type(st, 2) != SQLITE_NULL;
	}
	db_reset(st);
	if (rc == DB_OK)
		return SENSOR_NOT_FOUND;
	if (rc != DB_ROW)
		return SENSOR_DB;
	if (removed)
		return SENSOR_ALREADY;
	st = db_stmt(db, STMT_SENSOR_REMOVE);
	if (db_bind(db, st, "iti", now, "removed by the monitoring product",
	    id) != DB_OK || db_exec(db, st) != DB_OK)
		return SENSOR_DB;
	return SENSOR_OK;
}

/*
 * What synchronizing org's subscriptions with its deployed sensors
 * would do at as_of: per sensor type, the units subscribed beyond those
 * deployed come off its subscriptions (renewing and monthly ones
 * first), each reduction credited unit × units × seconds remaining /
 * seconds in the period, rounded half-up once per line.  Fills *p
 * (sync_plan_free).  Returns DB_OK or a failure.
 */
int
sync_preview(struct db *db, int64_t org, int64_t as_of, struct sync_plan *p)
{
	struct sub_list		 all, subs;
	struct org		*o = NULL;
	struct sync_line	*l;
	int64_t			 deployed, subscribed, excess, cut, seen[64];
	size_t			 i, j, k, nseen = 0;
	int			 rc;

	memset(p, 0, sizeof(*p));
	p->as_of = as_of;
	if ((rc = db_org_get(db, org, &o)) != DB_OK)
		return rc;
	snprintf(p->currency, sizeof(p->currency), "%s", o->currency);
	db_org_free(o);
	if ((rc = db_sub_list_by_org(db, org, &all)) != DB_OK) {
		db_sub_list_free(&all);
		return rc;
	}
	for (i = 0; i < all.n; i++) {
		const struct subscription *s = &all.v[i];

		if (s->expired || !s->product_is_sensor)
			continue;
		for (k = 0; k < nseen; k++)
			if (seen[k] == s->product_id)
				break;
		if (k < nseen || nseen == 64)
			continue;
		seen[nseen++] = s->product_id;
		if ((rc = db_get_int(db, STMT_SENSOR_COUNT_PRODUCT,
		    &deployed, "ii", org, s->product_id)) != DB_OK ||
		    (rc = subs_of_product(db, org, s->product_id, &subs)) !=
		    DB_OK)
			goto out;
		subscribed = 0;
		for (j = 0; j < subs.n; j++)
			subscribed += subs.v[j].quantity;
		excess = subscribed - deployed;
		for (j = 0; j < subs.n && excess > 0; j++) {
			const struct subscription *t = &subs.v[j];

			if ((cut = t->quantity < excess ? t->quantity :
			    excess) == 0)
				continue;
			excess -= cut;
			p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
			l = &p->v[p->n++];
			memset(l, 0, sizeof(*l));
			l->sub_id = t->id;
			l->version = t->version;
			snprintf(l->product, sizeof(l->product), "%s",
			    t->product_name);
			l->annual = t->annual;
			l->subscribed = t->quantity;
			l->deployed = deployed;
			l->reduce = cut;
			l->unit_price = t->unit_price;
			snprintf(l->currency, sizeof(l->currency), "%s",
			    t->currency);
			l->period = t->period_end - t->period_start;
			l->remaining = t->period_end - sub_effective(t, as_of);
			if (l->remaining < 0)
				l->remaining = 0;
			if (money_prorate_change(t->unit_price, t->quantity,
			    t->unit_price, t->quantity - cut, l->remaining,
			    l->period, &l->credit) != MONEY_OK ||
			    money_sub(0, l->credit, &l->credit) != MONEY_OK ||
			    (rc = accrual_giveback_plan(db, t, l->credit,
			    &l->gb)) != DB_OK) {
				rc = DB_ERROR;
				break;
			}
			if (strcmp(l->currency, p->currency) == 0 &&
			    (money_add(p->credit, l->gb.netted + l->gb.noted,
			    &p->credit) != MONEY_OK ||
			    money_add(p->credit_tax, l->gb.noted_tax,
			    &p->credit_tax) != MONEY_OK ||
			    money_add(p->unbacked, l->gb.unbacked,
			    &p->unbacked) != MONEY_OK)) {
				rc = DB_ERROR;
				break;
			}
		}
		for (j = 0; j < subs.n; j++)
			db_sub_clear(&subs.v[j]);
		free(subs.v);
		if (rc != DB_OK)
			goto out;
	}
out:
	db_sub_list_free(&all);
	return rc;
}

/* Free a sync plan's lines. */
void
sync_plan_free(struct sync_plan *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * Apply plan (from sync_preview, inside the same write transaction) for
 * org: reduce each subscription, post the credit to the customer
 * credit account (revenue against customer credit, never a refund to
 * the card) under key, and audit it.  Returns DB_OK, DB_CONFLICT if a
 * quantity changed since the preview, or a failure.
 */
int
sync_apply(struct db *db, int64_t org, const struct actor *a,
    const struct sync_plan *p, const char *key)
{
	struct subscription	 s;
	struct giveback		 gb;
	struct accrual_part	 part;
	char			 what[512], credit[MONEY_FMT_BUFSZ], k[160];
	int64_t			 doc;
	size_t			 i, n = 0;
	int			 rc;

	for (i = 0; i < p->n; i++) {
		const struct sync_line *l = &p->v[i];

		if ((rc = db_sub_get(db, l->sub_id, &s)) != DB_OK)
			return rc;
		part = (struct accrual_part){ s.product_name, l->reduce,
		    s.unit_price, -l->credit };
		snprintf(k, sizeof(k), "%s:%zu", key, i);
		rc = s.org_id != org || s.quantity != l->subscribed ?
		    DB_CONFLICT : set_quantity(db, &s, s.quantity - l->reduce);
		if (rc == DB_OK && l->credit > 0) {
			rc = accrual_giveback(db, &s, k, p->as_of, &part, &gb,
			    &doc);
			if (rc == DB_OK && gb.netted + gb.noted !=
			    l->gb.netted + l->gb.noted)
				rc = DB_CONFLICT;
		}
		db_sub_clear(&s);
		if (rc != DB_OK)
			return rc;
		if (n < sizeof(what))
			n += (size_t)snprintf(what + n, sizeof(what) - n,
			    "%s%s −%lld", n ? "; " : "", p->v[i].product,
			    (long long)p->v[i].reduce);
	}
	money_fmt(p->credit, p->currency, credit, sizeof(credit));
	if (n + 40 < sizeof(what))
		snprintf(what + n, sizeof(what) - n, "; credit %s", credit);
	return audit_add(db, org, a, "Synchronized with deployed sensors", "",
	    what, NULL);
}
