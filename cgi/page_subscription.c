/* page_subscription.c: cancel renewal (after a confirmation), take the cancellation back, reactivate an expired subscription. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "form.h"
#include "gateway.h"
#include "http.h"
#include "invoice.h"
#include "ledger.h"
#include "money.h"
#include "pages.h"
#include "render.h"
#include "renewal.h"
#include "req.h"
#include "server.h"
#include "session.h"
#include "subscription.h"
#include "util.h"

static const char *const msg_stale_form =
    "This form is out of date. Reload the page and try again; nothing was "
    "changed.";

/*
 * Answer 409 with the error page saying, in msg (copied), why nothing
 * was changed.  Returns HTTP_CONFLICT, or -1.
 */
static int
refuse(struct req *r, HDF *hdf, const char *msg)
{
	if (hdf_put_int(hdf, HTTP_CONFLICT, "Error.Status") ||
	    hdf_put(hdf, "Nothing was changed", "Error.Title") ||
	    hdf_put(hdf, "Nothing was changed", "Page.Title") ||
	    hdf_put(hdf, msg, "Error.Message") ||
	    hdf_put(hdf, "/billing", "Error.BackUrl") ||
	    hdf_put(hdf, "Back to billing", "Error.BackLabel"))
		return -1;
	r->tmpl = "error.cs";
	return HTTP_CONFLICT;
}

/* Why sub_* answered SUB_STATE, in words, for s as it is now. */
static int
refuse_state(struct req *r, HDF *hdf, const struct subscription *s)
{
	char	 d[16], msg[512];

	if (s->expired) {
		util_time_fmt(s->period_end, "%Y-%m-%d", d, sizeof(d));
		snprintf(msg, sizeof(msg), "%s ended on %s. You can reactivate "
		    "it from the billing overview.", s->product_name, d);
	} else if (s->cancel_at != 0 && s->cancel_at <= r->now) {
		util_time_fmt(s->cancel_at, "%Y-%m-%d", d, sizeof(d));
		snprintf(msg, sizeof(msg), "The cancellation of %s took effect "
		    "on %s and can no longer be taken back.", s->product_name,
		    d);
	} else if (s->cancel_at != 0) {
		util_time_fmt(s->cancel_at, "%Y-%m-%d", d, sizeof(d));
		snprintf(msg, sizeof(msg), "The renewal of %s is already "
		    "cancelled: your service continues until %s.",
		    s->product_name, d);
	} else
		snprintf(msg, sizeof(msg), "%s is active and renews "
		    "automatically.", s->product_name);
	return refuse(r, hdf, msg);
}

/*
 * Load the subscription named by F_SUBSCRIPTION_ID into *s if it is
 * the session's organization's, in a read transaction that the caller
 * ends (db_rollback).  Returns 0 with *s filled (db_sub_clear), or the
 * status to answer: 404 (absent, another's, no id), 503 or -1.
 */
static int
load(struct req *r, struct subscription *s)
{
	const struct field	*id = req_field(r, F_SUBSCRIPTION_ID);
	int			 rc;

	memset(s, 0, sizeof(*s));
	if (id == NULL)
		return HTTP_NOT_FOUND;
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = db_sub_get(r->db, id->u.i, s)) == DB_NOTFOUND ||
	    (rc == DB_OK && s->org_id != r->sess->org_id)) {
		db_rollback(r->db);
		db_sub_clear(s);
		return HTTP_NOT_FOUND;
	}
	if (rc != DB_OK) {
		db_rollback(r->db);
		return page_db_status(r, rc);
	}
	return 0;
}

/* The deployed sensors of s's type (0 for a plan that is no sensor). */
static int
deployed_of(struct req *r, const struct subscription *s, int64_t *n)
{
	struct sensor_count_list	 l;
	size_t				 i;
	int				 rc;

	*n = 0;
	if (!s->product_is_sensor)
		return DB_OK;
	rc = db_sensor_count_by_org(r->db, s->org_id, &l);
	for (i = 0; rc == DB_OK && i < l.n; i++)
		if (l.v[i].product_id == s->product_id)
			*n = l.v[i].deployed;
	db_sensor_count_list_free(&l);
	return rc;
}

/*
 * GET /billing/subscriptions/cancel?subscription_id=N (billing admin
 * and above)
 * Renders cancel_confirm.cs: until when the service runs and why, what
 * ends then, and the form that cancels.  404 if not the organization's;
 * 409 if it cannot be cancelled (ended, or cancelled already).
 */
int
page_subscription_cancel_form(struct req *r, HDF *hdf)
{
	struct subscription	 s;
	int64_t			 ends, deployed;
	char			 after[512];
	int			 rc;

	if ((rc = load(r, &s)) != 0)
		return rc;
	rc = deployed_of(r, &s, &deployed);
	db_rollback(r->db);
	if (rc != DB_OK) {
		db_sub_clear(&s);
		return page_db_status(r, rc);
	}
	if (s.expired || s.cancel_at != 0) {
		rc = refuse_state(r, hdf, &s);
		goto out;
	}
	sub_cancel_date(s.period_end, s.contract_end, &ends);
	if (!s.product_is_sensor)
		snprintf(after, sizeof(after), "After that date the "
		    "subscription ends, its %lld %s end, and their data is "
		    "deleted.", (long long)s.quantity,
		    s.quantity == 1 ? "seat" : "seats");
	else if (deployed == 0)
		snprintf(after, sizeof(after), "After that date the "
		    "subscription ends, any sensors of this type are disabled "
		    "and removed, and their data is deleted.");
	else
		snprintf(after, sizeof(after), "After that date the "
		    "subscription ends, its %lld %s disabled and removed, and "
		    "their data is deleted.", (long long)deployed,
		    deployed == 1 ? "sensor is" : "sensors are");
	rc = -1;
	if (hdf_put(hdf, "Cancel renewal", "Page.Title") ||
	    hdf_put_int(hdf, s.id, "Sub.Id") ||
	    hdf_put(hdf, s.product_name, "Sub.Product") ||
	    hdf_put_int(hdf, s.quantity, "Sub.Quantity") ||
	    hdf_put(hdf, s.annual ? "Annual" : "Monthly", "Sub.Period") ||
	    hdf_put_date(hdf, ends, "Sub.Ends") ||
	    hdf_put(hdf, ends > s.period_end ? "the end of your contract term" :
	    "the end of the current billing period", "Sub.EndsWhy") ||
	    hdf_put(hdf, after, "Sub.AfterEnd") ||
	    form_token_new(hdf))
		goto out;
	r->tmpl = "cancel_confirm.cs";
	rc = HTTP_OK;
out:
	db_sub_clear(&s);
	return rc;
}

/*
 * Attempt charge id now, after the commit (the worker opened the
 * payment processor at start-up).  A failure leaves the
 * charge pending for the next renewal run; it is only logged.
 */
static void
charge_now(struct req *r, int64_t id)
{
	struct renewal_stats	 st;

	memset(&st, 0, sizeof(st));
	if (renewal_charge_now(r->db, id, r->now, &st) != DB_OK)
		log_warnx("%s: charge %lld of organization %lld left for the "
		    "next run", __func__, (long long)id,
		    (long long)r->sess->org_id);
}

/* A change of one subscription, applied once per form token. */
enum change {
	CHANGE_CANCEL,
	CHANGE_RESUME,
	CHANGE_REACTIVATE
};

/*
 * Apply change c to the subscription named by F_SUBSCRIPTION_ID in one
 * write transaction, once per form token, and answer 303 to the
 * overview with the word of its flash; a reactivation's charge is
 * attempted after the commit.  404 if not the organization's; 409 in
 * words if its state does not allow the change.
 */
static int
change(struct req *r, HDF *hdf, enum change c)
{
	const struct field	*id = req_field(r, F_SUBSCRIPTION_ID);
	const struct field	*tok = req_field(r, F_FORM_TOKEN);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	struct subscription	 s;
	char			 loc[128], key[128];
	int64_t			 ends, sub = 0, doc = 0, charge = 0;
	int			 rc, src;

	if (tok == NULL) {
		r->error_msg = msg_stale_form;
		return HTTP_BAD_REQUEST;
	}
	if (id == NULL)
		return HTTP_NOT_FOUND;
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	switch (c) {
	case CHANGE_CANCEL:
		src = sub_cancel(r->db, r->sess->org_id, &a, id->u.i, &ends);
		snprintf(loc, sizeof(loc), "/billing?done=cancelled&"
		    "subscription_id=%lld", (long long)id->u.i);
		break;
	case CHANGE_RESUME:
		src = sub_resume(r->db, r->sess->org_id, &a, id->u.i);
		snprintf(loc, sizeof(loc), "/billing?done=resumed");
		break;
	case CHANGE_REACTIVATE:
		snprintf(key, sizeof(key), "reactivate:%s", tok->u.s);
		src = sub_reactivate(r->db, r->sess->org_id, &a, id->u.i, key,
		    &sub, &doc, &charge);
		if (doc != 0)
			snprintf(loc, sizeof(loc), "/billing?done=reactivated&"
			    "document_id=%lld", (long long)doc);
		else
			snprintf(loc, sizeof(loc), "/billing?done=reactivated");
		break;
	default:
		abort();
	}
	if (src == SUB_OK) {
		if ((rc = form_token_spend(r, loc)) != DB_OK ||
		    (rc = db_commit(r->db)) != DB_OK) {
			db_rollback(r->db);
			return page_db_status(r, rc);
		}
		if (charge != 0)
			charge_now(r, charge);
		return render_redirect(r, loc);
	}
	if (src != SUB_STATE) {
		db_rollback(r->db);
		return src == SUB_NOTFOUND ? HTTP_NOT_FOUND :
		    page_db_status(r, DB_ERROR);
	}
	/* Say why, from the subscription as this transaction sees it. */
	rc = db_sub_get(r->db, id->u.i, &s);
	db_rollback(r->db);
	if (rc != DB_OK)
		return page_db_status(r, rc);
	rc = refuse_state(r, hdf, &s);
	db_sub_clear(&s);
	return rc;
}

/*
 * POST /billing/subscriptions/cancel (billing admin and above)
 * Fields: F_SUBSCRIPTION_ID, F_FORM_TOKEN.  Cancels the renewal (the
 * service runs to the period's or the contract's end), audited: 303 to
 * /billing?done=cancelled&subscription_id=N.  404 if not the
 * organization's; 409 if ended or cancelled already; a repeat of the
 * form answers the same 303.
 */
int
page_subscription_cancel(struct req *r, HDF *hdf)
{
	return change(r, hdf, CHANGE_CANCEL);
}

/*
 * POST /billing/subscriptions/resume (billing admin and above)
 * Fields: F_SUBSCRIPTION_ID, F_FORM_TOKEN.  Takes a scheduled
 * cancellation back before it takes effect, audited: 303 to
 * /billing?done=resumed.  404 if not the organization's; 409 if there
 * is none or it took effect.
 */
int
page_subscription_resume(struct req *r, HDF *hdf)
{
	return change(r, hdf, CHANGE_RESUME);
}

/*
 * GET /billing/subscriptions/reactivate?subscription_id=N (billing
 * admin and above)
 * Renders reactivate_confirm.cs: the new period (sub_reactivated_period),
 * what is invoiced now, and the form.  404 if not the organization's;
 * 409 if it has not ended.
 */
int
page_subscription_reactivate_form(struct req *r, HDF *hdf)
{
	struct subscription	 s;
	cents_t			 amount, credit = 0;
	char			 price[MONEY_FMT_BUFSZ], total[MONEY_FMT_BUFSZ];
	char			 line[512], vat[48];
	cents_t			 tax, card;
	int64_t			 start, end;
	int32_t			 rate = 0;
	int			 rc, reverse = 0;

	if ((rc = load(r, &s)) != 0)
		return rc;
	sub_reactivated_period(&s, r->now, &start, &end);
	rc = ledger_credit_available(r->db, s.org_id, s.currency, &credit);
	if (rc == LEDGER_OK &&
	    invoice_org_tax(r->db, s.org_id, &rate, &reverse) != DB_OK)
		rc = LEDGER_EDB;
	db_rollback(r->db);
	if (rc != LEDGER_OK) {
		db_sub_clear(&s);
		return page_db_status(r, DB_ERROR);
	}
	if (!s.expired) {
		rc = refuse_state(r, hdf, &s);
		goto out;
	}
	rc = -1;
	/* What the invoice will say: the line, its VAT, the total. */
	if (money_mul(s.unit_price, s.quantity, &amount) != MONEY_OK ||
	    invoice_line_tax(amount, rate, &tax) != MONEY_OK ||
	    money_fmt(s.unit_price, s.currency, price, sizeof(price)) !=
	    MONEY_OK ||
	    money_fmt(amount, s.currency, total, sizeof(total)) != MONEY_OK)
		goto out;
	card = amount + tax > credit ? amount + tax - credit : 0;
	if (reverse)
		snprintf(vat, sizeof(vat), "none: reverse charge");
	else if (rate == 0)
		snprintf(vat, sizeof(vat), "none");
	else
		snprintf(vat, sizeof(vat), "%d.%02d %%", rate / 100,
		    rate % 100);
	snprintf(line, sizeof(line), "%lld × %s %s, %s = %s",
	    (long long)s.quantity, price, s.product_name,
	    s.annual ? "per year" : "per month", total);
	if (hdf_put(hdf, "Reactivate subscription", "Page.Title") ||
	    hdf_put_int(hdf, s.id, "Sub.Id") ||
	    hdf_put(hdf, s.product_name, "Sub.Product") ||
	    hdf_put(hdf, s.annual ? "annual" : "monthly", "Sub.Period") ||
	    hdf_put_date(hdf, start, "Sub.Starts") ||
	    hdf_put_int(hdf, start == r->now, "Sub.StartsNow") ||
	    hdf_put_date(hdf, end, "Sub.Ends") ||
	    hdf_put(hdf, line, "Sub.Line") ||
	    hdf_put_money(hdf, amount, s.currency, "Sub.Amount") ||
	    hdf_put(hdf, vat, "Sub.VatRate") ||
	    hdf_put_money(hdf, tax, s.currency, "Sub.Vat") ||
	    hdf_put_money(hdf, amount + tax, s.currency, "Sub.Total") ||
	    hdf_put_money(hdf, card, s.currency, "Sub.Card") ||
	    form_token_new(hdf))
		goto out;
	if (credit > 0 && hdf_put_money(hdf, credit, s.currency, "Sub.Credit"))
		goto out;
	r->tmpl = "reactivate_confirm.cs";
	rc = HTTP_OK;
out:
	db_sub_clear(&s);
	return rc;
}

/*
 * POST /billing/subscriptions/reactivate (billing admin and above)
 * Fields: F_SUBSCRIPTION_ID, F_FORM_TOKEN.  A new subscription of the
 * same plan and quantity (sub_reactivate), invoiced at once (credit first),
 * audited; the rest is charged after the commit: 303 to
 * /billing?done=reactivated&document_id=N.  404 if not the
 * organization's; 409 if it has not ended; a repeat of the form answers
 * the same 303 and charges nothing more.
 */
int
page_subscription_reactivate(struct req *r, HDF *hdf)
{
	return change(r, hdf, CHANGE_REACTIVATE);
}
