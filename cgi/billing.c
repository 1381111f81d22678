/* billing.c: an organization's billing overview, computed from its subscriptions, sensors and ledger. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "db.h"
#include "db_org.h"
#include "invoice.h"
#include "ledger.h"
#include "money.h"
#include "renewal.h"
#include "util.h"

/*
 * A subscription's amount for one full period: quantity × unit price.
 * Returns MONEY_OK or MONEY_EOVERFLOW.
 */
int
billing_sub_amount(const struct subscription *s, cents_t *out)
{
	return money_mul(s->unit_price, s->quantity, out);
}

/*
 * Whether s renews at its period end: active, and no cancellation that
 * takes effect by then (a contract cancelled before its end still
 * renews, and is billed, until the contract ends).
 */
int
billing_sub_renews(const struct subscription *s)
{
	return !s->expired && (s->cancel_at == 0 ||
	    s->cancel_at > s->period_end);
}

static int
sub_amounts(const struct sub_list *l, cents_t **out)
{
	size_t	 i;

	*out = xcalloc(l->n, sizeof(**out));
	for (i = 0; i < l->n; i++)
		if (billing_sub_amount(&l->v[i], &(*out)[i]) != MONEY_OK)
			return DB_ERROR;
	return DB_OK;
}

/* Merge deployed counts with subscribed quantities per sensor product. */
static int
sensor_rows(struct db *db, struct billing_overview *o)
{
	struct sensor_count_list	 dep;
	size_t				 i, j;
	int				 rc;

	if ((rc = db_sensor_count_by_org(db, o->org->id, &dep)) != DB_OK)
		goto out;
	o->sensors = xcalloc(dep.n + o->subs.n, sizeof(*o->sensors));
	for (i = 0; i < dep.n; i++) {
		o->sensors[i].product_id = dep.v[i].product_id;
		o->sensors[i].product_name = xstrdup(dep.v[i].product_name);
		o->sensors[i].deployed = dep.v[i].deployed;
	}
	o->nsensors = dep.n;
	for (i = 0; i < o->subs.n; i++) {
		const struct subscription *s = &o->subs.v[i];

		if (s->expired || !s->product_is_sensor)
			continue;
		for (j = 0; j < o->nsensors; j++)
			if (o->sensors[j].product_id == s->product_id)
				break;
		if (j == o->nsensors) {
			o->sensors[j].product_id = s->product_id;
			o->sensors[j].product_name = xstrdup(s->product_name);
			o->nsensors++;
		}
		o->sensors[j].subscribed += s->quantity;
	}
out:
	db_sensor_count_list_free(&dep);
	return rc;
}

/*
 * Compute the billing overview of org inside one read transaction:
 * subscriptions with their amounts, the next renewal (earliest period
 * end of a renewing subscription; several ending then add up), the
 * customer credit and how much of it that renewal uses, sensors per
 * type, and each child company's subscriptions.  On DB_OK *out is the
 * overview (billing_overview_free); DB_NOTFOUND if org does not exist.
 */
int
billing_overview_get(struct db *db, int64_t org, struct billing_overview **out)
{
	struct billing_overview	*o;
	struct org_list		 kids;
	size_t			 i;
	int			 rc;

	*out = NULL;
	memset(&kids, 0, sizeof(kids));
	o = xcalloc(1, sizeof(*o));
	if ((rc = db_begin_read(db)) != DB_OK) {
		free(o);
		return rc;
	}
	if ((rc = db_org_get(db, org, &o->org)) != DB_OK)
		goto out;
	if ((rc = db_sub_list_by_org(db, org, &o->subs)) != DB_OK ||
	    (rc = sub_amounts(&o->subs, &o->amount)) != DB_OK)
		goto out;
	for (i = 0; i < o->subs.n; i++) {
		const struct subscription *s = &o->subs.v[i];

		if (!billing_sub_renews(s) ||
		    strcmp(s->currency, o->org->currency) != 0)
			continue;
		if (o->next_renewal == 0 || s->period_end < o->next_renewal)
			o->next_renewal = s->period_end;
	}
	/* The very invoice the renewal will issue, VAT included. */
	if (o->next_renewal == 0 && (rc = invoice_org_tax(db, org,
	    &o->tax_rate_bp, &o->reverse_charge)) != DB_OK)
		goto out;
	if (o->next_renewal != 0) {
		struct renewal_draft	 d;

		rc = renewal_draft(db, org, o->next_renewal, &d);
		o->renewal_net = d.net;
		o->renewal_tax = d.tax;
		o->tax_rate_bp = d.tax_rate_bp;
		o->reverse_charge = d.reverse_charge;
		renewal_draft_free(&d);
		if (rc != DB_OK)
			goto out;
		if (money_add(o->renewal_net, o->renewal_tax,
		    &o->renewal_total) != MONEY_OK) {
			rc = DB_ERROR;
			goto out;
		}
	}
	if (ledger_credit_available(db, org, o->org->currency, &o->credit) !=
	    LEDGER_OK) {
		rc = db->last_rc ? db->last_rc : DB_ERROR;
		goto out;
	}
	o->credit_applied = o->credit < o->renewal_total ? o->credit :
	    o->renewal_total;
	o->renewal_due = o->renewal_total - o->credit_applied;
	if ((rc = sensor_rows(db, o)) != DB_OK)
		goto out;

	if ((rc = db_org_list_children(db, org, &kids)) != DB_OK)
		goto out;
	o->children = xcalloc(kids.n, sizeof(*o->children));
	for (i = 0; i < kids.n; i++)
		o->children[i].org = kids.v[i];	/* takes the strings */
	o->nchildren = kids.n;
	free(kids.v);
	memset(&kids, 0, sizeof(kids));
	for (i = 0; i < o->nchildren; i++) {
		struct child_billing *c = &o->children[i];

		if ((rc = db_sub_list_by_org(db, c->org.id, &c->subs)) !=
		    DB_OK || (rc = sub_amounts(&c->subs, &c->amount)) != DB_OK)
			break;
	}
out:
	db_org_list_free(&kids);
	db_rollback(db);
	if (rc != DB_OK) {
		billing_overview_free(o);
		return rc;
	}
	*out = o;
	return DB_OK;
}

/* Free an overview; NULL is ok. */
void
billing_overview_free(struct billing_overview *o)
{
	size_t	 i;

	if (o == NULL)
		return;
	db_org_free(o->org);
	db_sub_list_free(&o->subs);
	free(o->amount);
	for (i = 0; i < o->nsensors; i++)
		free(o->sensors[i].product_name);
	free(o->sensors);
	for (i = 0; i < o->nchildren; i++) {
		free(o->children[i].org.name);
		free(o->children[i].org.currency);
		free(o->children[i].org.country);
		free(o->children[i].org.account_email);
		db_sub_list_free(&o->children[i].subs);
		free(o->children[i].amount);
	}
	free(o->children);
	free(o);
}
