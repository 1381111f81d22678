/* page_billing.c: the billing overview. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "billing.h"
#include "db.h"
#include "http.h"
#include "money.h"
#include "pages.h"
#include "render.h"
#include "req.h"
#include "session.h"
#include "util.h"

static const char *
period_word(const struct subscription *s)
{
	return s->annual ? "Annual" : "Monthly";
}

static int
put_status(HDF *hdf, const struct subscription *s, const char *root,
    size_t i)
{
	char	 d[16], t[64];

	if (s->expired) {
		util_time_fmt(s->period_end, "%Y-%m-%d", d, sizeof(d));
		snprintf(t, sizeof(t), "Expired on %s", d);
	} else if (s->cancel_at != 0) {
		util_time_fmt(s->cancel_at, "%Y-%m-%d", d, sizeof(d));
		snprintf(t, sizeof(t), "Cancels on %s", d);
	} else
		snprintf(t, sizeof(t), "Active");
	return hdf_put(hdf, t, "%s.%zu.Status", root, i);
}

/* One subscription under Subs.i: the figures, dates and breakdown. */
static int
put_sub(HDF *hdf, const struct subscription *s, cents_t amount, size_t i)
{
	char	 label[300], price[MONEY_FMT_BUFSZ];

	if (hdf_put(hdf, s->product_name, "Subs.%zu.Product", i) ||
	    hdf_put_int(hdf, s->quantity, "Subs.%zu.Quantity", i) ||
	    hdf_put_money(hdf, s->unit_price, s->currency,
	    "Subs.%zu.UnitPrice", i) ||
	    hdf_put(hdf, period_word(s), "Subs.%zu.Period", i) ||
	    hdf_put_date(hdf, s->period_start, "Subs.%zu.PeriodStart", i) ||
	    hdf_put_date(hdf, s->period_end, "Subs.%zu.PeriodEnd", i) ||
	    hdf_put_money(hdf, amount, s->currency, "Subs.%zu.Amount", i) ||
	    hdf_put(hdf, billing_sub_renews(s) ? "On" : "Off",
	    "Subs.%zu.AutoRenew", i) ||
	    put_status(hdf, s, "Subs", i))
		return -1;
	if (billing_sub_renews(s)) {
		if (hdf_put_date(hdf, s->period_end, "Subs.%zu.RenewsOn", i))
			return -1;
	} else if (hdf_put(hdf, "Does not renew", "Subs.%zu.RenewsOn", i))
		return -1;
	if (s->contract_end != 0 &&
	    hdf_put_date(hdf, s->contract_end, "Subs.%zu.ContractEnd", i))
		return -1;
	if (money_fmt(s->unit_price, s->currency, price, sizeof(price)) !=
	    MONEY_OK)
		return -1;
	snprintf(label, sizeof(label), "%lld × %s %s, %s",
	    (long long)s->quantity, price, s->product_name,
	    s->annual ? "per year" : "per month");
	return hdf_put(hdf, label, "Subs.%zu.Lines.0.Label", i) ||
	    hdf_put_money(hdf, amount, s->currency, "Subs.%zu.Lines.0.Amount",
	    i);
}

static int
put_sensors(HDF *hdf, const struct billing_overview *o)
{
	char	 note[96];
	size_t	 i;
	int64_t	 d;

	for (i = 0; i < o->nsensors; i++) {
		const struct sensor_row *s = &o->sensors[i];

		d = s->deployed - s->subscribed;
		if (d > 0)
			snprintf(note, sizeof(note), "%lld more deployed than "
			    "subscribed", (long long)d);
		else if (d < 0)
			snprintf(note, sizeof(note), "%lld subscribed but not "
			    "deployed", (long long)-d);
		else
			snprintf(note, sizeof(note), "In step");
		if (hdf_put(hdf, s->product_name, "Sensors.%zu.Type", i) ||
		    hdf_put_int(hdf, s->deployed, "Sensors.%zu.Deployed", i) ||
		    hdf_put_int(hdf, s->subscribed, "Sensors.%zu.Subscribed",
		    i) || hdf_put(hdf, note, "Sensors.%zu.Note", i))
			return -1;
	}
	return 0;
}

static int
put_children(HDF *hdf, const struct billing_overview *o)
{
	size_t	 i, j, n = 0;

	for (i = 0; i < o->nchildren; i++) {
		const struct child_billing *c = &o->children[i];

		if (c->subs.n == 0) {
			if (hdf_put(hdf, c->org.name, "Children.%zu.Company",
			    n) || hdf_put(hdf, "No subscriptions",
			    "Children.%zu.Product", n))
				return -1;
			n++;
			continue;
		}
		for (j = 0; j < c->subs.n; j++, n++) {
			const struct subscription *s = &c->subs.v[j];

			if (hdf_put(hdf, c->org.name, "Children.%zu.Company",
			    n) ||
			    hdf_put(hdf, s->product_name,
			    "Children.%zu.Product", n) ||
			    hdf_put_int(hdf, s->quantity,
			    "Children.%zu.Quantity", n) ||
			    hdf_put_money(hdf, c->amount[j], s->currency,
			    "Children.%zu.Amount", n) ||
			    put_status(hdf, s, "Children", n))
				return -1;
			if (billing_sub_renews(s) ? hdf_put_date(hdf,
			    s->period_end, "Children.%zu.RenewsOn", n) :
			    hdf_put(hdf, "Does not renew",
			    "Children.%zu.RenewsOn", n))
				return -1;
		}
	}
	return 0;
}

/*
 * GET /billing (accountant and above; the dispatcher checked the role)
 * Renders billing_overview.cs for the session's organization: plan
 * summary with the next renewal and credit, subscriptions with their
 * breakdown, sensors per type, child companies.  Returns 200, or
 * 503/-1 when the database fails.
 */
int
page_billing_overview(struct req *r, HDF *hdf)
{
	struct billing_overview	*o = NULL;
	const char		*cur;
	size_t			 i;
	int			 rc = -1;

	if ((rc = billing_overview_get(r->db, r->sess->org_id, &o)) != DB_OK)
		return page_db_status(r, rc);
	rc = -1;
	cur = o->org->currency;
	if (hdf_put(hdf, "Billing", "Page.Title") ||
	    hdf_put(hdf, o->org->name, "Org.Name") ||
	    hdf_put_money(hdf, o->credit, cur, "Org.Credit"))
		goto out;
	if (o->credit > 0 && hdf_put(hdf, "Credit is used at the next "
	    "renewal before your payment method is charged. It is never "
	    "refunded to a card.", "Org.CreditNote"))
		goto out;
	if (o->next_renewal == 0) {
		if (hdf_put(hdf, "1", "Renewal.None"))
			goto out;
	} else if (hdf_put_date(hdf, o->next_renewal, "Renewal.Date") ||
	    hdf_put_money(hdf, o->renewal_total, cur, "Renewal.Total") ||
	    hdf_put_money(hdf, o->credit_applied, cur,
	    "Renewal.CreditApplied") ||
	    hdf_put_money(hdf, o->renewal_due, cur, "Renewal.Due"))
		goto out;
	for (i = 0; i < o->subs.n; i++)
		if (put_sub(hdf, &o->subs.v[i], o->amount[i], i))
			goto out;
	if (put_sensors(hdf, o) || put_children(hdf, o))
		goto out;
	r->tmpl = "billing_overview.cs";
	rc = HTTP_OK;
out:
	billing_overview_free(o);
	return rc;
}
