/* page_payment.c: payment methods: list, add by processor token, make default, remove. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "form.h"
#include "gateway.h"
#include "http.h"
#include "pages.h"
#include "payment.h"
#include "render.h"
#include "req.h"
#include "session.h"
#include "util.h"

#define PM_URL	"/billing/payment-methods"

static const struct {
	const char	*word;
	const char	*flash;
} done_words[] = {
	{ "added", "Payment method added." },
	{ "default", "Default payment method changed." },
	{ "removed", "Payment method removed." },
};

/* Render the list and the forms, with status; msg for the add form. */
static int
show(struct req *r, HDF *hdf, int status, const char *msg)
{
	const struct gw_test_token	*t;
	const struct field		*done = req_field(r, F_DONE);
	struct pm_list			 l;
	char				 label[128], exp[16];
	size_t				 i;
	int				 rc;

	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = payment_list(r->db, r->sess->org_id, &l);
	db_rollback(r->db);
	if (rc != DB_OK) {
		payment_list_free(&l);
		return page_db_status(r, rc);
	}
	rc = -1;
	for (i = 0; i < l.n; i++) {
		const struct payment_method *m = &l.v[i];

		payment_label(m, label, sizeof(label));
		if (hdf_put_int(hdf, m->id, "Methods.%zu.Id", i) ||
		    hdf_put(hdf, label, "Methods.%zu.Label", i) ||
		    hdf_put(hdf, strcmp(m->kind, "card") == 0 ? "Card" :
		    "SEPA Direct Debit", "Methods.%zu.Kind", i) ||
		    hdf_put(hdf, m->mandate_ref, "Methods.%zu.Mandate", i))
			goto out;
		if (m->exp_month > 0) {
			snprintf(exp, sizeof(exp), "%02d/%d", m->exp_month,
			    m->exp_year);
			if (hdf_put(hdf, exp, "Methods.%zu.Expiry", i))
				goto out;
		}
		if (m->is_default && hdf_put(hdf, "1", "Methods.%zu.IsDefault",
		    i))
			goto out;
	}
	if (gateway_is_sandbox()) {
		if (hdf_put(hdf, "1", "Page.Sandbox"))
			goto out;
		for (i = 0; (t = gateway_test_token(i)) != NULL; i++)
			if (hdf_put(hdf, t->token, "SandboxTokens.%zu.Token",
			    i) || hdf_put(hdf, t->label,
			    "SandboxTokens.%zu.Label", i))
				goto out;
	}
	for (i = 0; done != NULL && i < sizeof(done_words) /
	    sizeof(done_words[0]); i++)
		if (strcmp(done->u.s, done_words[i].word) == 0 &&
		    hdf_put(hdf, done_words[i].flash, "Page.Flash"))
			goto out;
	if (msg != NULL && (hdf_put(hdf, msg, "Form.ProcessorToken.Error") ||
	    hdf_put(hdf, msg, "Form.Error")))
		goto out;
	if (hdf_put(hdf, "Payment methods", "Page.Title") ||
	    form_token_new(hdf))
		goto out;
	r->tmpl = "payment_methods.cs";
	rc = status;
out:
	payment_list_free(&l);
	return rc;
}

/*
 * GET /billing/payment-methods (accountant and above)
 * Renders payment_methods.cs: the methods on file; the forms for owners
 * and billing admins.
 */
int
page_payment_list(struct req *r, HDF *hdf)
{
	return show(r, hdf, HTTP_OK, NULL);
}

/* Run one change in a write transaction, once per form token. */
static int
apply(struct req *r, HDF *hdf, int (*fn)(struct req *, const char **),
    const char *where)
{
	const char	*refusal = NULL;
	int		 rc, pr;

	if (req_field(r, F_FORM_TOKEN) == NULL) {
		r->error_msg = "This form is out of date. Reload the page and "
		    "try again; nothing was changed.";
		return HTTP_BAD_REQUEST;
	}
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	pr = fn(r, &refusal);
	if (pr == PAY_OK && form_token_spend(r, where) == DB_OK &&
	    db_commit(r->db) == DB_OK)
		return render_redirect(r, where);
	db_rollback(r->db);
	switch (pr) {
	case PAY_OK:
	case PAY_DB:
		return page_db_status(r, DB_ERROR);
	case PAY_NOTFOUND:
		return HTTP_NOT_FOUND;
	default:
		return show(r, hdf, HTTP_UNPROCESSABLE, refusal);
	}
}

static int
do_add(struct req *r, const char **refusal)
{
	const struct field	*tok = req_field(r, F_PROCESSOR_TOKEN);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	struct gw_method	 g;
	int64_t			 id;

	if (tok == NULL) {
		*refusal = "Choose or enter the token of the payment method.";
		return PAY_LAST_METHOD;
	}
	if (gateway_attach(tok->u.s, r->now, &g, refusal) != GW_OK)
		return PAY_LAST_METHOD;	/* refused, *refusal says why */
	return payment_add(r->db, r->sess->org_id, &a, &g, &id);
}

static int
do_default(struct req *r, const char **refusal)
{
	const struct field	*id = req_field(r, F_PAYMENT_METHOD_ID);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };

	(void)refusal;
	if (id == NULL)
		return PAY_NOTFOUND;
	return payment_set_default(r->db, r->sess->org_id, &a, id->u.i);
}

static int
do_remove(struct req *r, const char **refusal)
{
	const struct field	*id = req_field(r, F_PAYMENT_METHOD_ID);
	struct actor		 a = { r->sess->user_id, r->sess->email,
	    r->remote_addr, r->now };
	int			 rc;

	if (id == NULL)
		return PAY_NOTFOUND;
	rc = payment_remove(r->db, r->sess->org_id, &a, id->u.i);
	if (rc == PAY_LAST_METHOD)
		*refusal = "This is your only payment method and a "
		    "subscription renews with it. Add another method first, "
		    "or cancel the renewal.";
	return rc;
}

/*
 * POST /billing/payment-methods (billing admin and above)
 * Fields: F_PROCESSOR_TOKEN, F_FORM_TOKEN.  Asks the processor about
 * the token and keeps the method: 303; refused by the processor or
 * missing: 422 with the reason.
 */
int
page_payment_add(struct req *r, HDF *hdf)
{
	return apply(r, hdf, do_add, PM_URL "?done=added");
}

/*
 * POST /billing/payment-methods/default (billing admin and above)
 * Fields: F_PAYMENT_METHOD_ID, F_FORM_TOKEN.  303; 404 if not the
 * organization's.
 */
int
page_payment_default(struct req *r, HDF *hdf)
{
	return apply(r, hdf, do_default, PM_URL "?done=default");
}

/*
 * POST /billing/payment-methods/remove (billing admin and above)
 * Fields: F_PAYMENT_METHOD_ID, F_FORM_TOKEN.  303; 404 if not the
 * organization's; 422 with the reason when it is the last method and a
 * subscription renews.
 */
int
page_payment_remove(struct req *r, HDF *hdf)
{
	return apply(r, hdf, do_remove, PM_URL "?done=removed");
}
