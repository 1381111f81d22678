/* page_sync.c: synchronize the subscription with deployed sensors: a preview of the credit, then confirm. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "money.h"
#include "pages.h"
#include "quote.h"
#include "render.h"
#include "req.h"
#include "sensors.h"
#include "session.h"
#include "util.h"

/* How old a preview may be when it is confirmed, in seconds. */

static const char *const msg_stale =
    "This preview is more than 30 minutes old, so it was not applied. "
    "Check the figures below, worked out again just now, then confirm "
    "again.";
static const char *const msg_changed =
    "The numbers changed since you looked, so nothing was applied. Check "
    "the new figures below, then confirm again.";
static const char *const msg_nothing =
    "There is nothing to synchronize any more: your subscription matches "
    "your deployed sensors.";

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

/* One line of the plan under Sync.Lines.i, with its formula in words. */
static int
put_line(HDF *hdf, const struct sync_line *l, size_t i)
{
	char	 unit[MONEY_FMT_BUFSZ], credit[MONEY_FMT_BUFSZ];
	char	 rem[32], per[32], formula[256];

	if (money_fmt(l->unit_price, l->currency, unit, sizeof(unit)) !=
	    MONEY_OK ||
	    money_fmt(l->credit, l->currency, credit, sizeof(credit)) !=
	    MONEY_OK)
		return -1;
	fmt_count(l->remaining, rem, sizeof(rem));
	fmt_count(l->period, per, sizeof(per));
	snprintf(formula, sizeof(formula), "%s × %lld %s × %s s remaining / "
	    "%s s in the period = %s, rounded half-up", unit,
	    (long long)l->reduce, l->reduce == 1 ? "unit" : "units", rem, per,
	    credit);
	return hdf_put(hdf, l->product, "Sync.Lines.%zu.Type", i) ||
	    hdf_put(hdf, l->annual ? "Annual" : "Monthly",
	    "Sync.Lines.%zu.Period", i) ||
	    hdf_put_int(hdf, l->subscribed, "Sync.Lines.%zu.Subscribed", i) ||
	    hdf_put_int(hdf, l->deployed, "Sync.Lines.%zu.Deployed", i) ||
	    hdf_put_int(hdf, l->reduce, "Sync.Lines.%zu.Remove", i) ||
	    hdf_put(hdf, credit, "Sync.Lines.%zu.Credit", i) ||
	    hdf_put(hdf, formula, "Sync.Lines.%zu.Formula", i);
}

/*
 * Render sync.cs with the preview of synchronizing now and status;
 * msg (may be NULL) says why a confirmation was not applied.
 */
/*
 * How the credit is given back, in words, as Sync.CreditWords: off the
 * next invoice where it was accrued, by credit note (VAT reversed) where
 * it was invoiced, and what was never invoiced.
 */
static int
put_credit_words(HDF *hdf, const struct sync_plan *p)
{
	char	 buf[1024], a[MONEY_FMT_BUFSZ], b[MONEY_FMT_BUFSZ];
	char	 c[MONEY_FMT_BUFSZ];
	cents_t	 netted = 0, noted = 0;
	size_t	 i, n = 0;

	for (i = 0; i < p->n; i++) {
		netted += p->v[i].gb.netted;
		noted += p->v[i].gb.noted;
	}
	buf[0] = '\0';
	if (netted > 0 && money_fmt(netted, p->currency, a, sizeof(a)) ==
	    MONEY_OK)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s comes off "
		    "what your next invoice would bill. ", a);
	if (noted > 0 && n < sizeof(buf) &&
	    money_fmt(noted, p->currency, a, sizeof(a)) == MONEY_OK &&
	    money_fmt(p->credit_tax, p->currency, b, sizeof(b)) == MONEY_OK &&
	    money_fmt(noted + p->credit_tax, p->currency, c, sizeof(c)) ==
	    MONEY_OK)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "A credit note "
		    "for %s plus VAT %s (%s) reduces the invoice that billed "
		    "the period; what it does not leave to pay becomes customer "
		    "credit, used at your next renewal and never refunded to "
		    "your card. ", a, b, c);
	if (p->unbacked > 0 && n < sizeof(buf) &&
	    money_fmt(p->unbacked, p->currency, a, sizeof(a)) == MONEY_OK)
		snprintf(buf + n, sizeof(buf) - n, "%s of unused time was never "
		    "invoiced, so there is nothing to give back for it.", a);
	return buf[0] != '\0' && hdf_put(hdf, buf, "Sync.CreditWords");
}

/*
 * The terms a sync preview's seal covers, into buf: who, when, the
 * credit, and each subscription it reduces at its version.
 */
static void
seal_terms(const struct req *r, const struct sync_plan *p, char *buf,
    size_t sz)
{
	size_t	 i, n;

	n = (size_t)snprintf(buf, sz, "sync|%" PRId64 "|%" PRId64 "|%" PRId64
	    "|%" PRId64, r->sess->org_id, r->sess->user_id, p->as_of,
	    (int64_t)p->credit);
	for (i = 0; i < p->n && n < sz; i++)
		n += (size_t)snprintf(buf + n, sz - n, "|%" PRId64 ":%" PRId64
		    ":%" PRId64, p->v[i].sub_id, p->v[i].version,
		    p->v[i].reduce);
}

static int
show(struct req *r, HDF *hdf, int status, const char *msg)
{
	struct sync_plan	 p;
	char			 when[32], terms[1024], seal[QUOTE_SEAL_HEX + 1];
	size_t			 i;
	int			 rc;

	seal[0] = '\0';
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = sync_preview(r->db, r->sess->org_id, r->now, &p);
	if (rc == DB_OK && p.n > 0) {
		seal_terms(r, &p, terms, sizeof(terms));
		rc = quote_seal(r->db, terms, seal, sizeof(seal));
	}
	db_rollback(r->db);
	if (rc != DB_OK) {
		sync_plan_free(&p);
		return page_db_status(r, rc);
	}
	rc = -1;
	util_time_fmt(p.as_of, "%Y-%m-%d %H:%M UTC", when, sizeof(when));
	if (hdf_put(hdf, "Synchronize with deployed sensors", "Page.Title") ||
	    hdf_put(hdf, when, "Sync.AsOfText"))
		goto out;
	if (msg != NULL && hdf_put(hdf, msg, "Form.Error"))
		goto out;
	if (p.n == 0) {
		if (hdf_put(hdf, "1", "Sync.InStep"))
			goto out;
	} else {
		for (i = 0; i < p.n; i++)
			if (put_line(hdf, &p.v[i], i))
				goto out;
		if (hdf_put_money(hdf, p.credit, p.currency, "Sync.Total") ||
		    put_credit_words(hdf, &p) ||
		    hdf_put_int(hdf, p.as_of, "Sync.AsOf") ||
		    hdf_put(hdf, seal, "Sync.Seal") ||
		    (p.credit > 0 ? hdf_put_int(hdf, p.credit,
		    "Sync.CreditMinor") : hdf_put(hdf, "", "Sync.CreditMinor"))
		    || form_token_new(hdf))
			goto out;
	}
	r->tmpl = "sync.cs";
	rc = status;
out:
	sync_plan_free(&p);
	return rc;
}

/*
 * GET /billing/sensors/sync (accountant and above)
 * Renders sync.cs: per subscription line the units subscribed beyond
 * those deployed and the credit for removing them now, with the
 * formula; the confirmation form for owners and billing admins.
 */
int
page_sync(struct req *r, HDF *hdf)
{
	return show(r, hdf, HTTP_OK, NULL);
}

/*
 * POST /billing/sensors/sync (billing admin and above)
 * Fields: F_AS_OF (the preview's time), F_CREDIT (its total in minor
 * units, empty for none), F_FORM_TOKEN.  Recomputes the preview at
 * as_of in the write transaction and applies it once per form token:
 * 303 to /billing?done=synced.  409 with a fresh preview if
 * as_of is not within the last 30 minutes, if the total differs from
 * the one shown, or if nothing is left to synchronize.
 */
int
page_sync_apply(struct req *r, HDF *hdf)
{
	const struct field	*tok = req_field(r, F_FORM_TOKEN);
	const struct field	*asof = req_field(r, F_AS_OF);
	const struct field	*cf = req_field(r, F_CREDIT);
	const struct field	*seal = req_field(r, F_SEAL);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	struct sync_plan	 p;
	const char		*msg;
	char			 key[128], loc[128], terms[1024];
	cents_t			 shown;
	int			 rc;

	if (tok == NULL || req_bad_raw(r, F_CREDIT) != NULL) {
		r->error_msg = "This form is out of date. Reload the page and "
		    "try again; nothing was changed.";
		return HTTP_BAD_REQUEST;
	}
	if (asof == NULL || asof->u.i > r->now ||
	    asof->u.i < r->now - QUOTE_MAX_AGE)
		return show(r, hdf, HTTP_CONFLICT, msg_stale);
	shown = cf != NULL ? cf->u.i : 0;
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	if ((rc = sync_preview(r->db, r->sess->org_id, asof->u.i, &p)) !=
	    DB_OK)
		goto fail;
	/* Only a preview this server made, as it made it, is honoured. */
	if (p.n > 0 && p.credit == shown) {
		seal_terms(r, &p, terms, sizeof(terms));
		switch (quote_check(r->db, terms, seal ? seal->u.s : NULL,
		    asof->u.i, r->now)) {
		case QUOTE_OK:
			break;
		case QUOTE_DB:
			rc = DB_ERROR;
			goto fail;
		default:
			shown = -1;	/* not what this server showed */
			break;
		}
	}
	if (p.n == 0 || p.credit != shown) {
		msg = p.n == 0 ? msg_nothing : msg_changed;
		db_rollback(r->db);
		sync_plan_free(&p);
		return show(r, hdf, HTTP_CONFLICT, msg);
	}
	snprintf(key, sizeof(key), "sync:%s", tok->u.s);
	snprintf(loc, sizeof(loc), "/billing?done=synced");
	if ((rc = sync_apply(r->db, r->sess->org_id, &a, &p, key)) ==
	    DB_CONFLICT) {
		db_rollback(r->db);
		sync_plan_free(&p);
		return show(r, hdf, HTTP_CONFLICT, msg_changed);
	}
	if (rc != DB_OK || (rc = form_token_spend(r, loc)) != DB_OK ||
	    (rc = db_commit(r->db)) != DB_OK)
		goto fail;
	sync_plan_free(&p);
	return render_redirect(r, loc);
fail:
	db_rollback(r->db);
	sync_plan_free(&p);
	return page_db_status(r, rc);
}
