/* page_billing.c: the billing overview. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "billing.h"
#include "db.h"
#include "db_charge.h"
#include "form.h"
#include "http.h"
#include "invoice.h"
#include "money.h"
#include "pages.h"
#include "render.h"
#include "req.h"
#include "renewal.h"
#include "session.h"
#include "util.h"

static const char *
period_word(const struct subscription *s)
{
	return s->annual ? "Annual" : "Monthly";
}

/* Status of s in its row: active, cancelling on a date, or expired. */
static int
put_status(HDF *row, const struct subscription *s)
{
	char	 d[16], t[128];

	if (s->expired) {
		util_time_fmt(s->period_end, "%Y-%m-%d", d, sizeof(d));
		snprintf(t, sizeof(t), "Expired on %s", d);
	} else if (s->cancel_at != 0 && s->cancel_at > s->period_end) {
		util_time_fmt(s->cancel_at, "%Y-%m-%d", d, sizeof(d));
		snprintf(t, sizeof(t), "Cancels at the end of the contract, %s; "
		    "its renewals until then are billed", d);
	} else if (s->cancel_at != 0) {
		util_time_fmt(s->cancel_at, "%Y-%m-%d", d, sizeof(d));
		snprintf(t, sizeof(t), "Cancels on %s", d);
	} else
		snprintf(t, sizeof(t), "Active");
	return hdf_put(row, t, "Status");
}

/* When s renews in its row: the date, or that it does not. */
static int
put_renews_on(HDF *row, const struct subscription *s)
{
	if (billing_sub_renews(s))
		return hdf_put_date(row, s->period_end, "RenewsOn");
	return hdf_put(row, "Does not renew", "RenewsOn");
}

/*
 * Renewal.Vat: what the renewal total is made of, as the invoice will
 * say it: "€80.00 + 19 % VAT €15.20", or why there is no VAT.
 */
static int
put_vat_words(HDF *hdf, const struct billing_overview *o)
{
	char	 net[MONEY_FMT_BUFSZ], tax[MONEY_FMT_BUFSZ], buf[160];

	if (money_fmt(o->renewal_net, o->org->currency, net, sizeof(net)) !=
	    MONEY_OK || money_fmt(o->renewal_tax, o->org->currency, tax,
	    sizeof(tax)) != MONEY_OK)
		return -1;
	if (o->reverse_charge)
		snprintf(buf, sizeof(buf), "No VAT charged: reverse charge");
	else if (o->tax_rate_bp == 0)
		snprintf(buf, sizeof(buf), "No VAT");
	else
		snprintf(buf, sizeof(buf), "%s + %d.%02d %% VAT %s", net,
		    o->tax_rate_bp / 100, o->tax_rate_bp % 100, tax);
	return hdf_put(hdf, buf, "Renewal.Vat");
}

/* One subscription under row (Subs.i): the figures, dates and breakdown. */
static int
put_sub(HDF *row, const struct subscription *s, cents_t net,
    const struct billing_overview *o)
{
	char	 label[300], price[MONEY_FMT_BUFSZ];
	cents_t	 tax = 0, amount;

	/* The renewal line as the invoice taxes it: VAT included. */
	if (strcmp(s->currency, o->org->currency) == 0 &&
	    invoice_line_tax(net, o->tax_rate_bp, &tax) != MONEY_OK)
		return -1;
	amount = net + tax;

	if (hdf_put(row, s->product_name, "Product") ||
	    hdf_put_int(row, s->quantity, "Quantity") ||
	    hdf_put_money(row, s->unit_price, s->currency, "UnitPrice") ||
	    hdf_put(row, period_word(s), "Period") ||
	    hdf_put_date(row, s->period_start, "PeriodStart") ||
	    hdf_put_date(row, s->period_end - 1, "PeriodLast") ||
	    hdf_put_money(row, amount, s->currency, "Amount") ||
	    put_status(row, s) || put_renews_on(row, s))
		return -1;
	if (s->contract_end != 0 &&
	    hdf_put_date(row, s->contract_end, "ContractEnd"))
		return -1;
	if (money_fmt(s->unit_price, s->currency, price, sizeof(price)) !=
	    MONEY_OK)
		return -1;
	snprintf(label, sizeof(label), "%lld × %s %s, %s",
	    (long long)s->quantity, price, s->product_name,
	    s->annual ? "per year" : "per month");
	if (hdf_put(row, label, "Lines.0.Label") ||
	    hdf_put_money(row, net, s->currency, "Lines.0.Amount"))
		return -1;
	if (tax == 0)
		return 0;
	snprintf(label, sizeof(label), "VAT %d.%02d %%", o->tax_rate_bp / 100,
	    o->tax_rate_bp % 100);
	return hdf_put(row, label, "Lines.1.Label") ||
	    hdf_put_money(row, tax, s->currency, "Lines.1.Amount");
}

static int
put_sensors(HDF *hdf, const struct billing_overview *o)
{
	char	 note[96];
	size_t	 i;
	int64_t	 d;
	HDF	*row;

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
		if ((row = hdf_row(hdf, "Sensors", i)) == NULL ||
		    hdf_put(row, s->product_name, "Type") ||
		    hdf_put_int(row, s->deployed, "Deployed") ||
		    hdf_put_int(row, s->subscribed, "Subscribed") ||
		    hdf_put(row, note, "Note"))
			return -1;
	}
	return 0;
}

static int
put_children(HDF *hdf, const struct billing_overview *o)
{
	size_t	 i, j, n = 0;
	HDF	*row;

	for (i = 0; i < o->nchildren; i++) {
		const struct child_billing *c = &o->children[i];

		if (c->subs.n == 0) {
			if ((row = hdf_row(hdf, "Children", n++)) == NULL ||
			    hdf_put(row, c->org.name, "Company") ||
			    hdf_put(row, "No subscriptions", "Product"))
				return -1;
			continue;
		}
		for (j = 0; j < c->subs.n; j++) {
			const struct subscription *s = &c->subs.v[j];

			if ((row = hdf_row(hdf, "Children", n++)) == NULL ||
			    hdf_put(row, c->org.name, "Company") ||
			    hdf_put(row, s->product_name, "Product") ||
			    hdf_put_int(row, s->quantity, "Quantity") ||
			    hdf_put_money(row, c->amount[j], s->currency,
			    "Amount") ||
			    put_status(row, s) || put_renews_on(row, s))
				return -1;
		}
	}
	return 0;
}

/* Action j of a subscription's row: "Change plan", a link. */
static int
put_plan_action(HDF *row, const struct subscription *s, size_t j)
{
	char	 url[96];

	snprintf(url, sizeof(url), "/billing/plan?subscription_id=%lld",
	    (long long)s->id);
	return hdf_put(row, "Change plan", "Actions.%zu.Label", j) ||
	    hdf_put(row, url, "Actions.%zu.Url", j);
}

/*
 * What an owner or billing admin may do with subscription s at now,
 * under its row's Actions: cancel the renewal (a link to the
 * confirmation), take a scheduled cancellation back (a POST form), or
 * reactivate an ended subscription (a link to the confirmation); and
 * change the plan of one that renews (a link to the plan page).
 */
static int
put_actions(HDF *row, const struct subscription *s, int64_t now)
{
	char	 url[96];

	if (s->expired && s->replaced_by != 0)
		return 0;	/* reactivated already */
	if (s->expired) {
		snprintf(url, sizeof(url), "/billing/subscriptions/reactivate?"
		    "subscription_id=%lld", (long long)s->id);
		return hdf_put(row, "Reactivate", "Actions.0.Label") ||
		    hdf_put(row, url, "Actions.0.Url");
	}
	if (s->cancel_at == 0) {
		snprintf(url, sizeof(url), "/billing/subscriptions/cancel?"
		    "subscription_id=%lld", (long long)s->id);
		return hdf_put(row, "Cancel renewal", "Actions.0.Label") ||
		    hdf_put(row, url, "Actions.0.Url") ||
		    put_plan_action(row, s, 1);
	}
	if (s->cancel_at > now)
		return hdf_put(row, "Keep renewing", "Actions.0.Label") ||
		    hdf_put(row, "/billing/subscriptions/resume",
		    "Actions.0.Url") ||
		    hdf_put(row, "1", "Actions.0.Post") ||
		    hdf_put_int(row, s->id, "Actions.0.Id");
	return 0;	/* it ends at the next renewal run */
}

/*
 * Page.Flash after a redirect (F_DONE, with F_SUBSCRIPTION_ID,
 * F_DOCUMENT_ID or F_CREDIT to name what was done); d is the invoice
 * named by F_DOCUMENT_ID, or NULL.
 */
static int
put_flash(struct req *r, HDF *hdf, const struct billing_overview *o,
    const struct document *d, size_t troubled)
{
	const struct field	*done = req_field(r, F_DONE);
	const struct field	*id = req_field(r, F_SUBSCRIPTION_ID);
	char			 msg[256], date[16], amount[MONEY_FMT_BUFSZ];
	size_t			 i;

	if (done == NULL)
		return 0;
	if (strcmp(done->u.s, "cancelled") == 0) {
		snprintf(msg, sizeof(msg), "Renewal cancelled.");
		for (i = 0; id != NULL && i < o->subs.n; i++)
			if (o->subs.v[i].id == id->u.i &&
			    o->subs.v[i].cancel_at != 0) {
				util_time_fmt(o->subs.v[i].cancel_at,
				    "%Y-%m-%d", date, sizeof(date));
				snprintf(msg, sizeof(msg), "Renewal cancelled. "
				    "Your service continues until %s.", date);
			}
	} else if (strcmp(done->u.s, "resumed") == 0)
		snprintf(msg, sizeof(msg), "Your subscription will renew "
		    "automatically again.");
	else if (strcmp(done->u.s, "reactivated") == 0) {
		if (d == NULL)
			snprintf(msg, sizeof(msg), "Subscription reactivated.");
		else
			snprintf(msg, sizeof(msg), "Subscription reactivated. "
			    "Invoice %s was issued%s", d->number,
			    d->status == DOC_PAID ? " and paid." :
			    "; it is not paid yet.");
	} else if (strcmp(done->u.s, "synced") == 0) {
		/* The figure comes from the ledger, never from the URL. */
		if (money_fmt(o->credit, o->org->currency, amount,
		    sizeof(amount)) != MONEY_OK)
			return -1;
		snprintf(msg, sizeof(msg), "Synchronized with your deployed "
		    "sensors. Your customer credit is now %s.", amount);
	} else if (strcmp(done->u.s, "paid_now") == 0) {
		snprintf(msg, sizeof(msg), troubled == 0 ? "Thank you: your "
		    "open invoices are paid." : "We tried again now, but the "
		    "payment did not go through: see the notice above.");
	} else if (strcmp(done->u.s, "plan_changed") == 0) {
		/* What was billed is read back from the ledger. */
		if (page_plan_flash(r, msg, sizeof(msg)) != 0)
			return -1;
	} else
		return 0;
	return hdf_put(hdf, msg, "Page.Flash");
}

/*
 * Page.Banner when a charge of the organization was declined or failed
 * (t, newest first), with a link to the payment methods.
 */
static int
put_banner(HDF *hdf, const struct charge_trouble_list *t, int can_pay)
{
	const struct charge_trouble	*c;
	char				 msg[768], amount[MONEY_FMT_BUFSZ];
	char				 why[512];
	size_t				 n;

	if (t->n == 0)
		return 0;
	c = &t->v[0];
	if (money_fmt(c->amount, c->currency, amount, sizeof(amount)) !=
	    MONEY_OK) {
		log_warnx("%s: invoice %s: cannot format %lld %s", __func__,
		    c->number, (long long)c->amount, c->currency);
		return -1;
	}
	/* The reason is a sentence: "The card issuer declined ...". */
	snprintf(why, sizeof(why), "%s", c->last_error);
	if ((n = strlen(why)) > 0 && why[n - 1] == '.')
		why[n - 1] = '\0';
	if (why[0] >= 'A' && why[0] <= 'Z' && why[1] >= 'a' && why[1] <= 'z')
		why[0] = (char)(why[0] - 'A' + 'a');
	snprintf(msg, sizeof(msg), "A payment of %s for invoice %s %s%s%s.",
	    amount, c->number, c->failed ? "could not be collected" :
	    "was declined", why[0] != '\0' ? ": " : "", why);
	if (t->n > 1 && (n = strlen(msg)) < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, " %zu other %s did not go "
		    "through either.", t->n - 1, t->n == 2 ? "payment" :
		    "payments");
	return hdf_put(hdf, msg, "Page.Banner") ||
	    hdf_put(hdf, "/billing/payment-methods", "Page.BannerUrl") ||
	    hdf_put(hdf, "Update your payment method.", "Page.BannerLink") ||
	    (can_pay && hdf_put(hdf, "1", "Page.BannerPay"));
}

/*
 * POST /billing/pay (billing admin and above)
 * "Pay now": the organization's declined and failed charges are
 * attempted at once with its default payment method (after it was
 * updated), each under its next attempt's key.  303 to
 * /billing?done=paid_now; the banner says what is still not paid.
 */
int
page_pay_now(struct req *r, HDF *hdf)
{
	struct renewal_stats	 st;
	size_t			 n;
	int			 rc;

	(void)hdf;
	memset(&st, 0, sizeof(st));
	if ((rc = renewal_pay_now(r->db, r->sess->org_id, r->now, &n, &st)) !=
	    DB_OK)
		return page_db_status(r, rc);
	return render_redirect(r, "/billing?done=paid_now");
}

/*
 * The banner and the flash, from one read transaction: the troubled
 * charges, and the invoice a reactivation issued (if it is the
 * organization's).  Returns 0, or the status to answer.
 */
static int
put_notices(struct req *r, HDF *hdf, const struct billing_overview *o)
{
	const struct field		*doc = req_field(r, F_DOCUMENT_ID);
	struct charge_trouble_list	 t;
	struct document			*d = NULL;
	int				 rc, irc;

	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = db_charge_trouble_list(r->db, r->sess->org_id, &t);
	if (rc == DB_OK && doc != NULL) {
		irc = invoice_get(r->db, doc->u.i, &d);
		if (irc == INV_OK && d->org_id != r->sess->org_id) {
			invoice_free(d);
			d = NULL;
		} else if (irc != INV_OK && irc != INV_NOTFOUND)
			rc = DB_ERROR;
	}
	db_rollback(r->db);
	if (rc != DB_OK)
		rc = page_db_status(r, rc);
	else if (put_banner(hdf, &t, r->sess->role >= ROLE_BILLING_ADMIN) ||
	    put_flash(r, hdf, o, d, t.n))
		rc = -1;
	invoice_free(d);
	db_charge_trouble_list_free(&t);
	return rc;
}

/*
 * GET /billing (accountant and above; the dispatcher checked the role)
 * Renders billing_overview.cs for the session's organization: plan
 * summary with the next renewal and credit, subscriptions with their
 * breakdown (and, for owners and billing admins, what they may do
 * with each), sensors per type, child companies; a banner when a charge
 * was declined.  Fields: F_DONE with F_SUBSCRIPTION_ID, F_DOCUMENT_ID
 * or F_CREDIT (optional, after a change) for the flash.  Returns 200,
 * or 503/-1 when the database fails.
 */
int
page_billing_overview(struct req *r, HDF *hdf)
{
	struct billing_overview	*o = NULL;
	const char		*cur;
	size_t			 i;
	int			 rc = -1;
	HDF			*row;

	/* One view for the overview and the notices (they nest in it). */
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = billing_overview_get(r->db, r->sess->org_id, &o)) != DB_OK) {
		db_rollback(r->db);
		return page_db_status(r, rc);
	}
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
	    hdf_put_money(hdf, o->renewal_due, cur, "Renewal.Due") ||
	    put_vat_words(hdf, o))
		goto out;
	for (i = 0; i < o->subs.n; i++)
		if ((row = hdf_row(hdf, "Subs", i)) == NULL ||
		    put_sub(row, &o->subs.v[i], o->amount[i], o) ||
		    (r->sess->role >= ROLE_BILLING_ADMIN &&
		    put_actions(row, &o->subs.v[i], r->now)))
			goto out;
	if (put_sensors(hdf, o) || put_children(hdf, o) ||
	    (r->sess->role >= ROLE_BILLING_ADMIN && form_token_new(hdf)))
		goto out;
	if ((rc = put_notices(r, hdf, o)) != 0)
		goto out;
	r->tmpl = "billing_overview.cs";
	rc = HTTP_OK;
out:
	db_rollback(r->db);
	billing_overview_free(o);
	return rc;
}
