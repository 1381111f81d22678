/* page_details.c: billing details: invoice and CC emails, address, VAT number, PO reference. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "country.h"
#include "db.h"
#include "db_org.h"
#include "details.h"
#include "form.h"
#include "http.h"
#include "pages.h"
#include "render.h"
#include "req.h"
#include "session.h"
#include "util.h"

/* The form's single-valued fields: field, HDF name, required, messages. */
static const struct {
	enum field_id	 id;
	const char	*name;
	size_t		 off;	/* offset in struct details */
	size_t		 size;
	int		 required;
	const char	*missing;
	const char	*invalid;
} fields[] = {
	{ F_ACCOUNT_EMAIL, "AccountEmail",
	  offsetof(struct details, account_email), 256, 1,
	  "Enter the account email: it is required.",
	  "Enter an email address such as name@example.com." },
	{ F_INVOICE_EMAIL, "InvoiceEmail",
	  offsetof(struct details, invoice_email), 256, 1,
	  "Enter the invoice email: invoices need somewhere to go.",
	  "Enter an email address such as name@example.com." },
	{ F_BILLING_NAME, "BillingName",
	  offsetof(struct details, billing_name), 256, 1,
	  "Enter the name to print on invoices.",
	  "Use up to 200 characters, without line breaks." },
	{ F_ADDRESS1, "Address1", offsetof(struct details, address1), 256, 1,
	  "Enter the first line of the address.",
	  "Use up to 200 characters, without line breaks." },
	{ F_ADDRESS2, "Address2", offsetof(struct details, address2), 256, 0,
	  NULL, "Use up to 200 characters, without line breaks." },
	{ F_CITY, "City", offsetof(struct details, city), 256, 1,
	  "Enter the city.", "Use up to 200 characters, without line breaks." },
	{ F_POSTAL_CODE, "PostalCode", offsetof(struct details, postal_code),
	  32, 1, "Enter the postal code.",
	  "Use up to 16 letters, digits, spaces and hyphens." },
	{ F_REGION, "Region", offsetof(struct details, region), 256, 0,
	  NULL, "Use up to 200 characters, without line breaks." },
	{ F_COUNTRY, "Country", offsetof(struct details, country), 4, 1,
	  "Choose the country.", "Choose a country from the list." },
	{ F_VAT_NUMBER, "VatNumber", offsetof(struct details, vat_number), 32,
	  0, NULL, "This is not a VAT number we know: check the country "
	  "prefix and the digits (for example DE123456788)." },
	{ F_PO_REFERENCE, "PoReference",
	  offsetof(struct details, po_reference), 80, 0, NULL,
	  "Use up to 64 characters, without line breaks." },
	{ F_BUYER_REFERENCE, "BuyerReference",
	  offsetof(struct details, buyer_reference), 80, 0, NULL,
	  "Use up to 64 characters, without line breaks." },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

/* What the page says beside the VAT number for details_check's reason. */
static const char *
vat_problem(int problem)
{
	switch (problem) {
	case DETAILS_VAT_CHECK:
		return "The check digits of this VAT number do not add up: "
		    "compare it with the number on your registration, a digit "
		    "may be mistyped.";
	case DETAILS_VAT_COUNTRY:
		return "This VAT number belongs to another country than the "
		    "billing address. Enter the VAT number of the address's "
		    "country, or correct the country.";
	case DETAILS_VAT_SELLER:
		return "This is our own VAT number, as printed on our "
		    "invoices. Enter your organization's VAT number, or leave "
		    "the field empty.";
	default:
		return NULL;
	}
}

static const char *const msg_cc_invalid =
    "Enter an email address such as name@example.com.";

static int
put_countries(HDF *hdf, const char *selected)
{
	const struct country	*c;
	size_t			 i;

	for (i = 0; (c = country_at(i)) != NULL; i++) {
		if (hdf_put(hdf, c->code, "Countries.%zu.Code", i) ||
		    hdf_put(hdf, c->name, "Countries.%zu.Name", i))
			return -1;
		if (strcmp(c->code, selected) == 0 &&
		    hdf_put(hdf, "1", "Countries.%zu.Selected", i))
			return -1;
	}
	return 0;
}

static int
put_common(struct req *r, HDF *hdf)
{
	size_t	 n = 0;

	if (hdf_put(hdf, "Billing details", "Page.Title") ||
	    hdf_put(hdf, "Payment methods", "Page.Links.%zu.Label", n) ||
	    hdf_put(hdf, "/billing/payment-methods", "Page.Links.%zu.Url", n))
		return -1;
	n++;
	if (r->sess->role == ROLE_OWNER &&
	    (hdf_put(hdf, "Audit log of changes", "Page.Links.%zu.Label", n) ||
	    hdf_put(hdf, "/billing/audit", "Page.Links.%zu.Url", n)))
		return -1;
	if (page_api_keys_put(r, hdf) == -1)	/* the sensors API keys */
		return -1;
	r->tmpl = "details.cs";
	return 0;
}

/* Fill the form from stored details (GET). */
static int
put_details(struct req *r, HDF *hdf, const struct details *d)
{
	const struct country	*c;
	size_t			 i;

	for (i = 0; i < NFIELDS; i++)
		if (form_field(hdf, fields[i].name,
		    (const char *)d + fields[i].off, NULL))
			return -1;
	for (i = 0; i < d->ncc; i++)
		if (hdf_put(hdf, d->cc[i], "Form.Cc.%zu.Value", i))
			return -1;
	if (d->ncc >= DETAILS_MAX_CC && hdf_put(hdf, "1", "Form.CcFull"))
		return -1;
	if ((c = country_find(d->country)) != NULL &&
	    hdf_put(hdf, c->name, "Form.Country.Name"))
		return -1;
	if (put_countries(hdf, d->country) || form_token_new(hdf))
		return -1;
	return put_common(r, hdf);
}

/*
 * GET /billing/details (accountant and above)
 * Fields: F_DONE (optional, after saving).  Renders details.cs: a form
 * for owners and billing admins, read-only for accountants.
 */
int
page_details(struct req *r, HDF *hdf)
{
	const struct field	*done = req_field(r, F_DONE);
	struct details		 d;
	int			 rc;

	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = details_get(r->db, r->sess->org_id, &d);
	db_rollback(r->db);
	if (rc != DB_OK)
		return page_db_status(r, rc);
	if (done != NULL && strcmp(done->u.s, "saved") == 0 &&
	    hdf_put(hdf, "Billing details saved.", "Page.Flash"))
		return -1;
	if (done != NULL && strcmp(done->u.s, "unchanged") == 0 &&
	    hdf_put(hdf, "Nothing changed.", "Page.Flash"))
		return -1;
	if (put_details(r, hdf, &d) == -1)
		return -1;
	return HTTP_OK;
}

/*
 * Read the submitted form into *d, putting every value as typed and
 * every error into the HDF; seller_vat is the seller's own VAT number.
 * Returns the number of errors, or -1.
 */
static int
read_form(struct req *r, HDF *hdf, const char *seller_vat,
    struct details *d)
{
	const struct field	*f;
	const struct field_list	*cc = req_list(r, F_CC_EMAIL);
	const char		*raw, *err;
	const struct field	*rm = req_field(r, F_REMOVE_CC);
	size_t			 i, n = 0;
	int			 bad = 0;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < NFIELDS; i++) {
		err = NULL;
		if ((f = req_field(r, fields[i].id)) != NULL) {
			snprintf((char *)d + fields[i].off, fields[i].size,
			    "%s", f->u.s);
			raw = f->u.s;
		} else if ((raw = req_bad_raw(r, fields[i].id)) != NULL &&
		    (raw[0] != '\0' || !fields[i].required))
			err = fields[i].invalid;
		else if (fields[i].required)
			err = fields[i].missing;
		bad += err != NULL;
		if (form_field(hdf, fields[i].name, raw, err))
			return -1;
	}
	if (cc->over) {
		bad++;
		if (hdf_put(hdf, "You can have at most 10 CC emails.",
		    "Form.CcNew.Error"))
			return -1;
	}
	for (i = 0; i < cc->n; i++) {
		if (rm != NULL && (size_t)rm->u.i == i)
			continue;
		if (hdf_put(hdf, cc->v[i].raw, "Form.Cc.%zu.Value", n))
			return -1;
		if (cc->v[i].type == FIELD_NONE) {
			bad++;
			if (hdf_put(hdf, msg_cc_invalid, "Form.Cc.%zu.Error", n))
				return -1;
		} else if (d->ncc < DETAILS_MAX_CC)
			snprintf(d->cc[d->ncc++], sizeof(d->cc[0]), "%s",
			    cc->v[i].u.s);
		n++;
	}
	if ((f = req_field(r, F_CC_NEW)) != NULL) {
		if (d->ncc >= DETAILS_MAX_CC) {
			bad++;
			if (form_field(hdf, "CcNew", f->u.s, "You can have at "
			    "most 10 CC emails: remove one first."))
				return -1;
		} else
			snprintf(d->cc[d->ncc++], sizeof(d->cc[0]), "%s",
			    f->u.s);
	} else if ((raw = req_bad_raw(r, F_CC_NEW)) != NULL) {
		bad++;
		if (form_field(hdf, "CcNew", raw, msg_cc_invalid))
			return -1;
	}
	if (!bad) {
		details_cc_dedupe(d);
		if ((err = vat_problem(details_check(d, seller_vat))) != NULL) {
			bad++;
			if (hdf_put(hdf, err, "Form.VatNumber.Error"))
				return -1;
		}
	}
	return bad;
}

/*
 * POST /billing/details (billing admin and above; CSRF checked)
 * Fields: the details, F_CC_EMAIL (repeated), F_CC_NEW, F_REMOVE_CC,
 * F_FORM_TOKEN.  Any bad field: 422 with the form as typed and a message
 * beside each bad field, nothing changed.  Else saves, audits, queues
 * the invoice-email notices, and answers 303 to the details page; a
 * repeat of the same form answers the same 303 and applies nothing.
 */
int
page_details_save(struct req *r, HDF *hdf)
{
	struct details	 old, new;
	struct actor	 a = { r->sess->user_id, r->sess->email, r->remote_addr,
	    r->now };
	char		 errmsg[96], seller_vat[32];
	int		 bad, rc, changed;
	const char	*loc;

	if (req_field(r, F_FORM_TOKEN) == NULL) {
		r->error_msg = "This form is out of date. Reload the page and "
		    "try again; nothing was changed.";
		return HTTP_BAD_REQUEST;
	}
	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = db_seller_vat(r->db, seller_vat, sizeof(seller_vat));
	db_rollback(r->db);
	if (rc != DB_OK && rc != DB_NOTFOUND)
		return page_db_status(r, rc);
	if ((bad = read_form(r, hdf, seller_vat, &new)) == -1)
		return -1;
	if (bad > 0) {
		snprintf(errmsg, sizeof(errmsg), bad == 1 ?
		    "One field needs correcting; nothing was saved." :
		    "%d fields need correcting; nothing was saved.", bad);
		if (hdf_put(hdf, errmsg, "Form.Error") ||
		    hdf_put(hdf, req_field(r, F_FORM_TOKEN)->u.s, "Form.Token") ||
		    put_countries(hdf, new.country) || put_common(r, hdf))
			return -1;
		return HTTP_UNPROCESSABLE;
	}
	if ((rc = db_begin_write(r->db)) != DB_OK)
		return page_db_status(r, rc);
	if ((rc = form_replayed(r)) != 0) {
		db_rollback(r->db);
		return rc == 1 ? HTTP_SEE_OTHER : -1;
	}
	if ((rc = details_get(r->db, r->sess->org_id, &old)) != DB_OK ||
	    (rc = details_save(r->db, r->sess->org_id, &a, &old, &new,
	    &changed)) != DB_OK)
		goto fail;
	loc = changed ? "/billing/details?done=saved" :
	    "/billing/details?done=unchanged";
	if ((rc = form_token_spend(r, loc)) != DB_OK ||
	    (rc = db_commit(r->db)) != DB_OK)
		goto fail;
	return render_redirect(r, loc);
fail:
	db_rollback(r->db);
	return page_db_status(r, rc);
}
