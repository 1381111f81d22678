/* page_plan.c: change plan or quantity: a prorated quote with every formula written out, then confirm. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "db_plan.h"
#include "form.h"
#include "http.h"
#include "invoice.h"
#include "money.h"
#include "pages.h"
#include "ledger.h"
#include "plan.h"
#include "quote.h"
#include "render.h"
#include "renewal.h"
#include "req.h"
#include "session.h"
#include "util.h"

/* How old a quote may be when it is confirmed, in seconds. */

/* The largest quantity a subscription may have (as plan_quote says). */
#define PLAN_QUANTITY_MAX	100000

static const char *const msg_stale_form =
    "This form is out of date. Reload the page and try again; nothing was "
    "changed.";
static const char *const msg_stale =
    "This quote is more than 30 minutes old, so it was not applied. Check "
    "the figures below, worked out again just now, then confirm again.";
static const char *const msg_forged =
    "This confirmation does not match a quote we made, so nothing was "
    "changed. Check the figures below, worked out again just now, then "
    "confirm again.";
static const char *const msg_changed =
    "Your subscription changed since this quote was made, so nothing was "
    "applied. Check the figures below, worked out again just now, then "
    "confirm again.";
static const char *const msg_period =
    "The current period of this subscription has ended and is being "
    "renewed, so no quote can be made now. Try again in a few minutes.";
static const char *const msg_bad_plan =
    "Choose one of the plans in the list.";
static const char *const msg_same =
    "This is your plan and quantity now: choose another plan or another "
    "quantity.";

/* What the preview form asked for, checked against what may be chosen. */
struct choice {
	const struct plan_row	*to;		/* the new plan; NULL if none */
	int64_t			 quantity;	/* the new quantity, if valid */
	int64_t			 selected;	/* the plan the select shows */
	int			 want;		/* a quote was asked for */
	int			 bad;		/* a field error was put */
};

/* Format a non-negative count with thousands separators: 1,296,000. */
static void
fmt_count(int64_t v, char *buf, size_t sz)
{
	char	 digits[32];
	size_t	 n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%" PRId64, v);
	for (i = 0; i < n && o + 1 < sz; i++) {
		if (i > 0 && digits[i - 1] != '-' && (n - i) % 3 == 0 &&
		    o + 2 < sz)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* "user"/"users" for a per-user product, "sensor"/"sensors" otherwise. */
static const char *
unit_word(int seat, int64_t n)
{
	if (seat)
		return n == 1 ? "user" : "users";
	return n == 1 ? "sensor" : "sensors";
}

static const char *
period_word(int annual)
{
	return annual ? "annual" : "monthly";
}

/*
 * Whether the subscription s may change to plan p: the same currency,
 * and the same product (another period or quantity) or, for a per-user
 * product, another per-user product.
 */
static int
plan_allowed(const struct subscription *s, const struct plan_row *p)
{
	if (strcmp(p->currency, s->currency) != 0)
		return 0;
	return p->product_id == s->product_id ||
	    (p->seat && !s->product_is_sensor);
}

/*
 * The sensors of s's type deployed now into *n (0 for a per-user
 * plan): a sensor subscription may not go down below them (reducing
 * to the deployed count is what the sync page is for).  Returns DB_OK
 * or a failure.
 */
static int
deployed_of(struct db *db, const struct subscription *s, int64_t *n)
{
	struct sensor_count_list	 l;
	size_t				 i;
	int				 rc;

	*n = 0;
	if (!s->product_is_sensor)
		return DB_OK;
	rc = db_sensor_count_by_org(db, s->org_id, &l);
	for (i = 0; rc == DB_OK && i < l.n; i++)
		if (l.v[i].product_id == s->product_id)
			*n = l.v[i].deployed;
	db_sensor_count_list_free(&l);
	return rc;
}

/*
 * Why s cannot change plan now, in words into buf, or 0 if it can:
 * it ended, or its renewal is cancelled (a change would bill a period,
 * or a next invoice, that never comes).
 */
static int
cannot_change(const struct subscription *s, char *buf, size_t sz)
{
	char	 d[16];

	if (s->expired) {
		util_time_fmt(s->period_end, "%Y-%m-%d", d, sizeof(d));
		snprintf(buf, sz, "%s ended on %s, so its plan cannot change. "
		    "You can reactivate it from the billing overview.",
		    s->product_name, d);
		return 1;
	}
	if (s->cancel_at != 0) {
		util_time_fmt(s->cancel_at, "%Y-%m-%d", d, sizeof(d));
		snprintf(buf, sz, "The renewal of %s is cancelled: it ends on "
		    "%s. To change its plan, first choose \"Keep renewing\" on "
		    "the billing overview.", s->product_name, d);
		return 1;
	}
	return 0;
}

/* Where a plan change answers, in buf: the flash reads it back. */
static void
done_url(char *buf, size_t sz, const char *tok, enum plan_billing b)
{
	if (b == PLAN_NOTHING)
		snprintf(buf, sz, "/billing?done=plan_changed");
	else
		snprintf(buf, sz, "/billing?done=plan_changed&form_token=%s",
		    tok);
}

/*
 * Answer 409 with the error page saying, in msg (copied), why nothing
 * can be changed.  Returns HTTP_CONFLICT, or -1.
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

/*
 * GET /billing/plan without a subscription: the organization's
 * subscriptions that renew under Subs.i, each with the link to change
 * it (Page.NoSubs if none).
 */
static int
list_subs(struct req *r, HDF *hdf)
{
	struct sub_list		 l;
	char			 url[96], q[64];
	size_t			 i, n = 0;
	int			 rc;

	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = db_sub_list_by_org(r->db, r->sess->org_id, &l);
	db_rollback(r->db);
	if (rc != DB_OK) {
		db_sub_list_free(&l);
		return page_db_status(r, rc);
	}
	rc = -1;
	if (hdf_put(hdf, "Change plan", "Page.Title"))
		goto out;
	for (i = 0; i < l.n; i++) {
		const struct subscription *s = &l.v[i];

		if (s->expired || s->cancel_at != 0)
			continue;
		snprintf(url, sizeof(url), "/billing/plan?subscription_id=%"
		    PRId64, s->id);
		snprintf(q, sizeof(q), "%" PRId64 " %s", s->quantity,
		    unit_word(!s->product_is_sensor, s->quantity));
		if (hdf_put(hdf, s->product_name, "Subs.%zu.Product", n) ||
		    hdf_put(hdf, q, "Subs.%zu.Quantity", n) ||
		    hdf_put(hdf, s->annual ? "Annual" : "Monthly",
		    "Subs.%zu.Period", n) ||
		    hdf_put(hdf, url, "Subs.%zu.Url", n))
			goto out;
		n++;
	}
	if (n == 0 && hdf_put(hdf, "1", "Page.NoSubs"))
		goto out;
	r->tmpl = "plan.cs";
	rc = HTTP_OK;
out:
	db_sub_list_free(&l);
	return rc;
}

/* The subscription as it is now, under Sub.*. */
static int
put_sub(HDF *hdf, const struct subscription *s)
{
	char	 price[MONEY_FMT_BUFSZ], t[160];
	int	 seat = !s->product_is_sensor;

	if (money_fmt(s->unit_price, s->currency, price, sizeof(price)) !=
	    MONEY_OK)
		return -1;
	snprintf(t, sizeof(t), "%s per %s per %s", price, unit_word(seat, 1),
	    s->annual ? "year" : "month");
	if (hdf_put_int(hdf, s->id, "Sub.Id") ||
	    hdf_put(hdf, s->product_name, "Sub.Product") ||
	    hdf_put(hdf, s->annual ? "Annual" : "Monthly", "Sub.Period") ||
	    hdf_put(hdf, t, "Sub.UnitPrice"))
		return -1;
	snprintf(t, sizeof(t), "%" PRId64 " %s", s->quantity,
	    unit_word(seat, s->quantity));
	return hdf_put(hdf, t, "Sub.Quantity") ||
	    hdf_put_date(hdf, s->period_start, "Sub.PeriodStart") ||
	    hdf_put_date(hdf, s->period_end, "Sub.PeriodEnd");
}

/* The plans s may change to under Plans.i, sel selected. */
static int
put_plans(HDF *hdf, const struct subscription *s, const struct plan_list *pl,
    int64_t sel)
{
	const struct plan_row	*p;
	char			 price[MONEY_FMT_BUFSZ], label[400];
	size_t			 i, n = 0;

	for (i = 0; i < pl->n; i++) {
		p = &pl->v[i];
		if (!plan_allowed(s, p))
			continue;
		if (money_fmt(p->unit_price, p->currency, price,
		    sizeof(price)) != MONEY_OK)
			return -1;
		snprintf(label, sizeof(label), "%s, %s: %s per %s per %s%s",
		    p->product, period_word(p->annual), price,
		    unit_word(p->seat, 1), p->annual ? "year" : "month",
		    p->id == s->plan_id ? " (your plan now)" : "");
		if (hdf_put_int(hdf, p->id, "Plans.%zu.Id", n) ||
		    hdf_put(hdf, label, "Plans.%zu.Label", n) ||
		    (p->id == sel &&
		    hdf_put(hdf, "1", "Plans.%zu.Selected", n)))
			return -1;
		n++;
	}
	return 0;
}

/*
 * Read F_PLAN_ID and F_QUANTITY into *c, checked against the plans s
 * may change to (pl) and, for sensors, the deployed ones (deployed),
 * and put
 * their sticky values and errors under Form.PlanId and Form.Quantity.
 * Returns 0 or -1.
 */
static int
read_choice(struct req *r, HDF *hdf, const struct subscription *s,
    const struct plan_list *pl, int64_t deployed, struct choice *c)
{
	const struct field	*pf = req_field(r, F_PLAN_ID);
	const struct field	*qf = req_field(r, F_QUANTITY);
	const char		*pbad = req_bad_raw(r, F_PLAN_ID);
	const char		*qbad = req_bad_raw(r, F_QUANTITY);
	const char		*perr = NULL, *qerr = NULL, *qval;
	char			 now[32], qmsg[160];
	size_t			 i;

	memset(c, 0, sizeof(*c));
	c->want = pf != NULL || pbad != NULL || qf != NULL || qbad != NULL;
	c->selected = pf != NULL ? pf->u.i : s->plan_id;
	for (i = 0; pf != NULL && i < pl->n; i++)
		if (pl->v[i].id == pf->u.i && plan_allowed(s, &pl->v[i]))
			c->to = &pl->v[i];
	if (c->want) {
		if (c->to == NULL)
			perr = msg_bad_plan;
		if (qf != NULL && qf->u.i < deployed &&
		    qf->u.i < s->quantity) {
			snprintf(qmsg, sizeof(qmsg), "You have %" PRId64
			    " sensors of this type deployed: the quantity "
			    "cannot go down below that.", deployed);
			qerr = qmsg;
		} else if (qf == NULL || qf->u.i > PLAN_QUANTITY_MAX) {
			snprintf(qmsg, sizeof(qmsg), "Enter the number of %s: "
			    "a whole number from 1 to 100,000.",
			    unit_word(c->to != NULL ? c->to->seat :
			    !s->product_is_sensor, 2));
			qerr = qmsg;
		} else
			c->quantity = qf->u.i;
		if (perr == NULL && qerr == NULL && c->to->id == s->plan_id &&
		    c->quantity == s->quantity)
			qerr = msg_same;
		c->bad = perr != NULL || qerr != NULL;
	}
	snprintf(now, sizeof(now), "%" PRId64, s->quantity);
	qval = qf != NULL ? qf->raw : qbad != NULL ? qbad : now;
	return form_field(hdf, "PlanId", NULL, perr) ||
	    form_field(hdf, "Quantity", qval, qerr);
}

/* "−$30.00" for a credit of 3000 in cur. */
static int
fmt_minus(cents_t v, const char *cur, char *buf, size_t sz)
{
	char	 m[MONEY_FMT_BUFSZ];

	if (money_fmt(v, cur, m, sizeof(m)) != MONEY_OK)
		return -1;
	snprintf(buf, sz, "%s%s", v > 0 ? "−" : "", m);
	return 0;
}

/*
 * The quote q under Quote.*: one line per prorated amount with its
 * formula in words (Quote.Lines.i.Label, .Formula, .Amount), the
 * total and how it is billed, the time it is honoured until, and the
 * values the confirmation carries.  seat0 and seat1: whether the
 * current and the new product are per user.
 */
/*
 * "€80.00 + 19 % VAT €15.20 = €95.20", or the net with why there is no
 * VAT, into buf: what the invoice will say, from the same rule.
 */
static int
with_vat(cents_t net, cents_t tax, const struct plan_quote *q, const char *cur,
    char *buf, size_t sz)
{
	char	 n[MONEY_FMT_BUFSZ], t[MONEY_FMT_BUFSZ], g[MONEY_FMT_BUFSZ];

	if (money_fmt(net, cur, n, sizeof(n)) != MONEY_OK ||
	    money_fmt(tax, cur, t, sizeof(t)) != MONEY_OK ||
	    money_fmt(net + tax, cur, g, sizeof(g)) != MONEY_OK)
		return -1;
	if (q->reverse_charge)
		snprintf(buf, sz, "%s (no VAT charged: reverse charge)", n);
	else if (q->tax_rate_bp == 0)
		snprintf(buf, sz, "%s (no VAT)", n);
	else
		snprintf(buf, sz, "%s + %d.%02d %% VAT %s = %s", n,
		    q->tax_rate_bp / 100, q->tax_rate_bp % 100, t, g);
	return 0;
}

/* How a credit is given back, in words, into buf. */
static int
giveback_words(const struct giveback *g, const struct plan_quote *q,
    const char *cur, char *buf, size_t sz)
{
	char	 a[MONEY_FMT_BUFSZ], b[200], c[MONEY_FMT_BUFSZ];
	size_t	 n = 0;

	buf[0] = '\0';
	if (g->netted > 0) {
		if (money_fmt(g->netted, cur, a, sizeof(a)) != MONEY_OK)
			return -1;
		n += (size_t)snprintf(buf + n, sz - n, "%s off what your next "
		    "invoice would bill (net of VAT). ", a);
	}
	if (g->noted > 0 && n < sz) {
		if (with_vat(g->noted, g->noted_tax, q, cur, b, sizeof(b)))
			return -1;
		n += (size_t)snprintf(buf + n, sz - n, "A credit note for %s "
		    "against the invoice that billed this period: it reduces "
		    "what that invoice leaves to pay, and the rest becomes "
		    "customer credit, used by your next invoices (never "
		    "refunded to a card). ", b);
	}
	if (g->unbacked > 0 && n < sz) {
		if (money_fmt(g->unbacked, cur, c, sizeof(c)) != MONEY_OK)
			return -1;
		snprintf(buf + n, sz - n, "%s of it was never invoiced, so "
		    "there is nothing to give back for it.", c);
	}
	return 0;
}

static int
put_quote(HDF *hdf, const struct plan_quote *q, int seat0, int seat1,
    cents_t credit, const char *seal)
{
	const char	*cur = q->currency;
	char		 vat[256], cardbuf[MONEY_FMT_BUFSZ];
	char		 unit0[MONEY_FMT_BUFSZ], unit1[MONEY_FMT_BUFSZ];
	char		 unused[MONEY_FMT_BUFSZ], charge[MONEY_FMT_BUFSZ];
	char		 net[MONEY_FMT_BUFSZ], amount[MONEY_FMT_BUFSZ + 4];
	char		 rem[32], per[32], d0[16], d1[16], when[32], until[32];
	char		 label[400], formula[512], summary[1024], note[1024];
	cents_t		 absnet = q->net < 0 ? -q->net : q->net;

	if (money_fmt(q->from.unit_price, cur, unit0, sizeof(unit0)) !=
	    MONEY_OK ||
	    money_fmt(q->to.unit_price, cur, unit1, sizeof(unit1)) !=
	    MONEY_OK ||
	    money_fmt(q->unused, cur, unused, sizeof(unused)) != MONEY_OK ||
	    money_fmt(q->charge, cur, charge, sizeof(charge)) != MONEY_OK ||
	    money_fmt(absnet, cur, net, sizeof(net)) != MONEY_OK)
		return -1;
	fmt_count(q->remaining, rem, sizeof(rem));
	fmt_count(q->period, per, sizeof(per));

	/* The unused time of the plan now, credited. */
	snprintf(label, sizeof(label), "Unused time on %s (%s)",
	    q->from.product, period_word(q->from.annual));
	snprintf(formula, sizeof(formula), "%s × %" PRId64 " %s × %s s "
	    "remaining / %s s = %s credit", unit0, q->from.quantity,
	    unit_word(seat0, q->from.quantity), rem, per, unused);
	if (fmt_minus(q->unused, cur, amount, sizeof(amount)) ||
	    hdf_put(hdf, label, "Quote.Lines.0.Label") ||
	    hdf_put(hdf, formula, "Quote.Lines.0.Formula") ||
	    hdf_put(hdf, amount, "Quote.Lines.0.Amount"))
		return -1;

	/* The new plan: the rest of this period, or a new period. */
	if (q->new_period) {
		util_time_fmt(q->effective, "%Y-%m-%d", d0, sizeof(d0));
		util_time_fmt(q->new_end, "%Y-%m-%d", d1, sizeof(d1));
		snprintf(label, sizeof(label), "%s (%s), a new period",
		    q->to.product, period_word(q->to.annual));
		snprintf(formula, sizeof(formula), "%s × %" PRId64 " %s for a "
		    "full %s period, %s to %s = %s", unit1, q->to.quantity,
		    unit_word(seat1, q->to.quantity),
		    period_word(q->to.annual), d0, d1, charge);
	} else {
		snprintf(label, sizeof(label), "%s (%s) for the rest of the "
		    "period", q->to.product, period_word(q->to.annual));
		snprintf(formula, sizeof(formula), "%s × %" PRId64 " %s × %s s "
		    "remaining / %s s = %s", unit1, q->to.quantity,
		    unit_word(seat1, q->to.quantity), rem, per, charge);
	}
	if (hdf_put(hdf, label, "Quote.Lines.1.Label") ||
	    hdf_put(hdf, formula, "Quote.Lines.1.Formula") ||
	    hdf_put(hdf, charge, "Quote.Lines.1.Amount"))
		return -1;

	/* The difference, VAT included, and how it is billed. */
	note[0] = '\0';
	util_time_fmt(q->period_end, "%Y-%m-%d", d1, sizeof(d1));
	if (q->due_net > 0) {
		cents_t	 total = q->due_net + q->due_tax, card;

		card = total > credit ? total - credit : 0;
		if (with_vat(q->due_net, q->due_tax, q, cur, vat, sizeof(vat)))
			return -1;
		if (q->billing == PLAN_NEXT_INVOICE) {
			snprintf(summary, sizeof(summary), "To pay: %s, on your "
			    "next invoice", vat);
			snprintf(note, sizeof(note), "It is added to the invoice "
			    "of your next renewal, on %s.", d1);
		} else {
			if (money_fmt(card, cur, cardbuf, sizeof(cardbuf)) !=
			    MONEY_OK)
				return -1;
			snprintf(summary, sizeof(summary), "To pay now: %s, "
			    "invoiced at once; customer credit first, your "
			    "payment method is charged %s", vat, cardbuf);
		}
	} else if (q->net == 0)
		snprintf(summary, sizeof(summary), "Nothing to pay and no "
		    "credit: the two amounts are equal");
	if (q->gb.asked > 0) {
		char	 part[700];

		if (giveback_words(&q->gb, q, cur, part, sizeof(part)))
			return -1;
		if (q->due_net > 0)
			snprintf(note, sizeof(note), "A new %s period starts "
			    "with the change. The unused time: %s",
			    period_word(q->to.annual), part);
		else
			snprintf(summary, sizeof(summary), "Credit for the "
			    "unused time: %s", part);
	}
	util_time_fmt(q->as_of, "%Y-%m-%d %H:%M UTC", when, sizeof(when));
	util_time_fmt(q->as_of + QUOTE_MAX_AGE, "%H:%M UTC", until,
	    sizeof(until));
	if (hdf_put(hdf, q->net < 0 ? "Credit" : q->net > 0 ? "To pay" :
	    "Difference", "Quote.TotalLabel") ||
	    hdf_put(hdf, net, "Quote.Total") ||
	    hdf_put(hdf, summary, "Quote.Summary") ||
	    (note[0] != '\0' && hdf_put(hdf, note, "Quote.Note")) ||
	    hdf_put(hdf, when, "Quote.AsOfText") ||
	    hdf_put(hdf, until, "Quote.Until") ||
	    hdf_put_int(hdf, q->as_of, "Quote.AsOf") ||
	    hdf_put_int(hdf, q->to.plan_id, "Quote.PlanId") ||
	    hdf_put_int(hdf, q->to.quantity, "Quote.Quantity") ||
	    hdf_put_int(hdf, q->version, "Quote.Version") ||
	    hdf_put(hdf, seal, "Quote.Seal"))
		return -1;
	return 0;
}

/*
 * Render plan.cs for the subscription named by F_SUBSCRIPTION_ID with
 * status: the subscription now, the plans it may change to and, if
 * F_PLAN_ID and F_QUANTITY ask for one, the quote at as_of with the
 * confirmation.  msg (may be NULL) says why a confirmation was not
 * applied.  404 if the subscription is not the organization's; 409 if
 * it ended or its renewal is cancelled; 422 (for a status of 200) if a
 * field is wrong.
 */
/* The terms a plan quote's seal covers, into buf. */
static void
seal_terms(const struct req *r, int64_t sub, int64_t version, int64_t plan,
    int64_t quantity, int64_t as_of, char *buf, size_t sz)
{
	snprintf(buf, sz, "plan|%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64
	    "|%" PRId64 "|%" PRId64 "|%" PRId64, r->sess->org_id,
	    r->sess->user_id, sub, version, plan, quantity, as_of);
}

static int
show(struct req *r, HDF *hdf, int status, const char *msg, int64_t as_of)
{
	const struct field	*id = req_field(r, F_SUBSCRIPTION_ID);
	struct subscription	 s;
	struct plan_list	 pl;
	struct plan_quote	 q;
	struct choice		 c;
	char			 why[512];
	int64_t			 deployed;
	int			 rc, qrc = PLAN_EINVAL;

	memset(&s, 0, sizeof(s));
	memset(&pl, 0, sizeof(pl));
	if (id == NULL)
		return req_bad_raw(r, F_SUBSCRIPTION_ID) != NULL ?
		    HTTP_NOT_FOUND : list_subs(r, hdf);
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = db_sub_get(r->db, id->u.i, &s)) == DB_NOTFOUND ||
	    (rc == DB_OK && s.org_id != r->sess->org_id)) {
		rc = HTTP_NOT_FOUND;
		goto out;
	}
	if (rc != DB_OK) {
		rc = page_db_status(r, rc);
		goto out;
	}
	if (cannot_change(&s, why, sizeof(why))) {
		rc = refuse(r, hdf, why);
		goto out;
	}
	if ((rc = db_plan_list_by_currency(r->db, s.currency, &pl)) !=
	    DB_OK || (rc = deployed_of(r->db, &s, &deployed)) != DB_OK) {
		rc = page_db_status(r, rc);
		goto out;
	}
	rc = -1;
	if (read_choice(r, hdf, &s, &pl, deployed, &c))
		goto out;
	if (c.want && !c.bad) {
		qrc = plan_quote(r->db, r->sess->org_id, s.id, c.to->id,
		    c.quantity, as_of, &q);
		if (qrc == PLAN_NOTFOUND) {
			rc = HTTP_NOT_FOUND;
			goto out;
		}
		if (qrc == PLAN_EINVAL) {
			/* Checked above: only the period can be over. */
			if (msg == NULL)
				msg = msg_period;
			if (status == HTTP_OK)
				status = HTTP_CONFLICT;
		} else if (qrc != PLAN_OK)
			goto out;
	}
	if (c.bad && status == HTTP_OK)
		status = HTTP_UNPROCESSABLE;
	if (hdf_put(hdf, "Change plan", "Page.Title") ||
	    put_sub(hdf, &s) || put_plans(hdf, &s, &pl, c.selected) ||
	    (msg != NULL && hdf_put(hdf, msg, "Form.Error")))
		goto out;
	if (qrc == PLAN_OK) {
		char	 terms[256], seal[QUOTE_SEAL_HEX + 1];
		cents_t	 credit;

		seal_terms(r, s.id, q.version, q.to.plan_id, q.to.quantity,
		    q.as_of, terms, sizeof(terms));
		if ((rc = quote_seal(r->db, terms, seal, sizeof(seal))) !=
		    DB_OK || ledger_credit_available(r->db, r->sess->org_id,
		    q.currency, &credit) != LEDGER_OK) {
			rc = page_db_status(r, rc == DB_OK ? DB_ERROR : rc);
			goto out;
		}
		rc = -1;
		if (put_quote(hdf, &q, !s.product_is_sensor, c.to->seat,
		    credit, seal) || (r->sess->role >= ROLE_BILLING_ADMIN &&
		    form_token_new(hdf)))
			goto out;
	}
	r->tmpl = "plan.cs";
	rc = status;
out:
	db_rollback(r->db);
	db_plan_list_free(&pl);
	db_sub_clear(&s);
	return rc;
}

/*
 * GET /billing/plan (accountant and above)
 * Fields: F_SUBSCRIPTION_ID; F_PLAN_ID and F_QUANTITY for a quote;
 * F_AS_OF (optional) to see again a quote made within the last 30
 * minutes.  Without a subscription: the active subscriptions to
 * choose from.  Renders plan.cs: the subscription now, the form that
 * picks the new plan and quantity, and the quote with every prorated
 * line's formula and, for owners and billing admins, the confirmation.
 * 404 if the subscription is not the organization's; 409 if it ended
 * or its period is being renewed; 422 if a field is wrong.
 */
int
page_plan(struct req *r, HDF *hdf)
{
	return show(r, hdf, HTTP_OK, NULL, r->now);
}

/*
 * Attempt charge id now, after the commit.  A failure leaves the
 * charge pending for the next renewal run; it is only logged.
 */
static void
charge_now(struct req *r, int64_t id)
{
	struct renewal_stats	 st;

	memset(&st, 0, sizeof(st));
	if (renewal_charge_now(r->db, id, r->now, &st) != DB_OK)
		log_warnx("%s: charge %" PRId64 " of organization %" PRId64
		    " left for the next run", __func__, id, r->sess->org_id);
}

/*
 * POST /billing/plan (billing admin and above)
 * Fields: F_SUBSCRIPTION_ID, F_PLAN_ID, F_QUANTITY, F_AS_OF (the
 * quote's time), F_FROM_PLAN_ID and F_FROM_QUANTITY (what the quote
 * started from), F_FORM_TOKEN.  In one write transaction, once per
 * form token: the quote is made again at as_of and applied at its
 * amounts (key "plan:" + the token); an invoice it issues is charged
 * after the commit.  303 to /billing?done=plan_changed (with the token,
 * for the flash to read what was billed back from the ledger).  404 if
 * the subscription is not the organization's; 409 with a fresh quote
 * if as_of is not within the last 30 minutes or the subscription
 * changed since (or it ended, or its renewal was cancelled); 422 if the
 * plan or quantity is wrong (a sensor plan below its deployed sensors);
 * 400 without the form's hidden fields.
 */
int
page_plan_apply(struct req *r, HDF *hdf)
{
	const struct field	*tok = req_field(r, F_FORM_TOKEN);
	const struct field	*id = req_field(r, F_SUBSCRIPTION_ID);
	const struct field	*asof = req_field(r, F_AS_OF);
	const struct field	*pf = req_field(r, F_PLAN_ID);
	const struct field	*qf = req_field(r, F_QUANTITY);
	const struct field	*fv = req_field(r, F_VERSION);
	const struct field	*seal = req_field(r, F_SEAL);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	struct subscription	 s;
	struct plan_list	 pl;
	struct plan_quote	 q;
	const struct plan_row	*to = NULL;
	const char		*msg;
	char			 key[128], loc[192], why[512], terms[256];
	int64_t			 doc = 0, charge = 0, deployed = 0;
	size_t			 i;
	int			 rc;

	if (tok == NULL || fv == NULL || seal == NULL || asof == NULL ||
	    (pf == NULL && req_bad_raw(r, F_PLAN_ID) == NULL) ||
	    (qf == NULL && req_bad_raw(r, F_QUANTITY) == NULL)) {
		r->error_msg = msg_stale_form;
		return HTTP_BAD_REQUEST;
	}
	if (id == NULL)
		return HTTP_NOT_FOUND;
	if (pf == NULL || qf == NULL || qf->u.i > PLAN_QUANTITY_MAX)
		return show(r, hdf, HTTP_UNPROCESSABLE, NULL, r->now);

	memset(&s, 0, sizeof(s));
	memset(&pl, 0, sizeof(pl));
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	if ((rc = db_sub_get(r->db, id->u.i, &s)) == DB_NOTFOUND ||
	    (rc == DB_OK && s.org_id != r->sess->org_id)) {
		db_rollback(r->db);
		db_sub_clear(&s);
		return HTTP_NOT_FOUND;
	}
	if (rc != DB_OK)
		goto fail;
	if (cannot_change(&s, why, sizeof(why)))
		goto changed;	/* show says why */

	if ((rc = db_plan_list_by_currency(r->db, s.currency, &pl)) !=
	    DB_OK || (rc = deployed_of(r->db, &s, &deployed)) != DB_OK)
		goto fail;
	for (i = 0; i < pl.n; i++)
		if (pl.v[i].id == pf->u.i && plan_allowed(&s, &pl.v[i]))
			to = &pl.v[i];
	if (to == NULL || (to->id == s.plan_id && qf->u.i == s.quantity) ||
	    (qf->u.i < deployed && qf->u.i < s.quantity)) {
		db_rollback(r->db);
		db_plan_list_free(&pl);
		db_sub_clear(&s);
		return show(r, hdf, HTTP_UNPROCESSABLE, NULL, r->now);
	}
	/* Only a quote this server made, as it made it, is honoured. */
	seal_terms(r, s.id, fv->u.i, to->id, qf->u.i, asof->u.i, terms,
	    sizeof(terms));
	switch (quote_check(r->db, terms, seal->u.s, asof->u.i, r->now)) {
	case QUOTE_OK:
		break;
	case QUOTE_EXPIRED:
		msg = msg_stale;
		goto refused;
	case QUOTE_FORGED:
		msg = msg_forged;
		goto refused;
	default:
		rc = DB_ERROR;
		goto fail;
	}
	if (s.version != fv->u.i)
		goto changed;
	switch (plan_quote(r->db, r->sess->org_id, s.id, to->id,
	    qf->u.i, asof->u.i, &q)) {
	case PLAN_OK:
		break;
	case PLAN_EINVAL:
		goto changed;	/* its period ended since */
	case PLAN_NOTFOUND:
		goto changed;
	default:
		rc = DB_ERROR;
		goto fail;
	}
	snprintf(key, sizeof(key), "plan:%s", tok->u.s);
	switch (plan_apply(r->db, r->sess->org_id, &a, &q, key, &doc,
	    &charge)) {
	case PLAN_OK:
		break;
	case PLAN_CHANGED:
		goto changed;
	default:
		rc = DB_ERROR;
		goto fail;
	}
	done_url(loc, sizeof(loc), tok->u.s, q.billing);
	if ((rc = form_token_spend(r, loc)) != DB_OK ||
	    (rc = db_commit(r->db)) != DB_OK)
		goto fail;
	db_plan_list_free(&pl);
	db_sub_clear(&s);
	if (charge != 0)
		charge_now(r, charge);
	return render_redirect(r, loc);
changed:
	msg = msg_changed;
refused:
	db_rollback(r->db);
	db_plan_list_free(&pl);
	db_sub_clear(&s);
	return show(r, hdf, HTTP_CONFLICT, msg, r->now);
fail:
	db_rollback(r->db);
	db_plan_list_free(&pl);
	db_sub_clear(&s);
	return page_db_status(r, rc);
}

/*
 * The flash after /billing?done=plan_changed, into msg: what the
 * change billed, read back from the ledger through the form token the
 * URL names (one this user spent on that very answer), never from the
 * URL's figures.  Call outside a transaction.  Returns 0, or -1 on a
 * database failure (logged).
 */
int
page_plan_flash(struct req *r, char *msg, size_t sz)
{
	const struct field	*tok = req_field(r, F_FORM_TOKEN);
	enum plan_outcome	 out = PLAN_OUT_UNKNOWN;
	struct document		*d = NULL;
	char			 loc[192];
	int64_t			 doc = 0;
	int			 rc, irc;

	snprintf(msg, sz, "Your plan was changed.");
	if (tok == NULL)
		return 0;
	done_url(loc, sizeof(loc), tok->u.s, PLAN_NEXT_INVOICE);
	if (db_begin_read(r->db) != DB_OK)
		return -1;
	rc = db_plan_outcome_get(r->db, r->sess->user_id, tok->u.s, loc, &out,
	    &doc);
	if (rc == DB_OK && out == PLAN_OUT_INVOICE) {
		if ((irc = invoice_get(r->db, doc, &d)) == INV_OK &&
		    d->org_id != r->sess->org_id)
			out = PLAN_OUT_UNKNOWN;
		else if (irc != INV_OK)
			rc = DB_ERROR;
	}
	db_rollback(r->db);
	if (rc != DB_OK) {
		invoice_free(d);
		return -1;
	}
	switch (out) {
	case PLAN_OUT_NEXT_INVOICE:
		snprintf(msg, sz, "Your plan was changed. The difference is on "
		    "your next invoice.");
		break;
	case PLAN_OUT_INVOICE:
		snprintf(msg, sz, "Your plan was changed. Invoice %s was "
		    "issued%s", d->number, d->status == DOC_PAID ?
		    " and paid." : "; it is not paid yet.");
		break;
	case PLAN_OUT_CREDIT:
		snprintf(msg, sz, "Your plan was changed. The unused time was "
		    "credited: off your next invoice where it was not invoiced "
		    "yet, by a credit note where it was.");
		break;
	case PLAN_OUT_UNKNOWN:
		break;
	}
	invoice_free(d);
	return 0;
}
