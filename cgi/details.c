/* details.c: read, check and save billing details; every change audited, invoice-email changes announced. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "db.h"
#include "details.h"
#include "outbox.h"
#include "util.h"
#include "valid.h"
#include "vatid.h"

/*
 * Load org's billing details into *d.  Returns DB_OK, DB_NOTFOUND or
 * a failure.
 */
int
details_get(struct db *db, int64_t org, struct details *d)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_DETAILS_GET);
	int		 rc;

	memset(d, 0, sizeof(*d));
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_OK ? DB_NOTFOUND : rc;
	}
	db_col_copy(st, 0, d->account_email, sizeof(d->account_email));
	db_col_copy(st, 1, d->invoice_email, sizeof(d->invoice_email));
	db_col_copy(st, 2, d->billing_name, sizeof(d->billing_name));
	db_col_copy(st, 3, d->address1, sizeof(d->address1));
	db_col_copy(st, 4, d->address2, sizeof(d->address2));
	db_col_copy(st, 5, d->city, sizeof(d->city));
	db_col_copy(st, 6, d->postal_code, sizeof(d->postal_code));
	db_col_copy(st, 7, d->region, sizeof(d->region));
	db_col_copy(st, 8, d->country, sizeof(d->country));
	db_col_copy(st, 9, d->vat_number, sizeof(d->vat_number));
	db_col_copy(st, 10, d->po_reference, sizeof(d->po_reference));
	db_col_copy(st, 11, d->buyer_reference, sizeof(d->buyer_reference));
	db_reset(st);
	st = db_stmt(db, STMT_CC_LIST);
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW && d->ncc < DETAILS_MAX_CC)
		db_col_copy(st, 0, d->cc[d->ncc++], sizeof(d->cc[0]));
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc;
}

/* Drop repeated CC emails, compared without regard to case; keep order. */
void
details_cc_dedupe(struct details *d)
{
	size_t	 i, j, n = 0;

	for (i = 0; i < d->ncc; i++) {
		for (j = 0; j < n; j++)
			if (strcasecmp(d->cc[i], d->cc[j]) == 0)
				break;
		if (j < n)
			continue;
		if (n != i)
			memcpy(d->cc[n], d->cc[i], sizeof(d->cc[0]));
		n++;
	}
	d->ncc = n;
}

/*
 * The business rules beyond each field's syntax: a VAT number's check
 * digits add up, it belongs to the country of the billing address, and
 * it is not seller_vat (the seller's own, as stored; "" for none).
 * Returns DETAILS_OK or the first problem found.
 */
int
details_check(const struct details *d, const char *seller_vat)
{
	const char	*vc;
	char		 seller[32];

	if (d->vat_number[0] == '\0')
		return DETAILS_OK;
	if (vatid_check(d->vat_number) == VATID_CHECK)
		return DETAILS_VAT_CHECK;
	if ((vc = vatid_country(d->vat_number)) == NULL ||
	    strcmp(vc, d->country) != 0)
		return DETAILS_VAT_COUNTRY;
	if (vatid_normalize(seller_vat, seller, sizeof(seller)) == VATID_OK &&
	    strcmp(d->vat_number, seller) == 0)
		return DETAILS_VAT_SELLER;
	return DETAILS_OK;
}

static void
cc_join(const struct details *d, char *out, size_t outsz)
{
	size_t	 i, n = 0;

	out[0] = '\0';
	for (i = 0; i < d->ncc && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s",
		    i ? ", " : "", d->cc[i]);
}

static void
address_join(const struct details *d, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s, %s%s%s, %s %s%s%s, %s", d->billing_name,
	    d->address1, d->address2[0] ? ", " : "", d->address2,
	    d->postal_code, d->city, d->region[0] ? ", " : "", d->region,
	    d->country);
}

static int
audit_if(struct db *db, int64_t org, const struct actor *a,
    const char *what, const char *old, const char *new, int *n,
    int64_t *id)
{
	if (strcmp(old, new) == 0)
		return DB_OK;
	(*n)++;
	return audit_add(db, org, a, what, old, new, id);
}

static int
notify_invoice_email(struct db *db, int64_t org, const struct actor *a,
    const struct details *old, const struct details *new, int64_t audit_id)
{
	char	 key[64], body[1200], day[32];
	int	 rc;

	util_time_fmt(a->now, "%Y-%m-%d %H:%M UTC", day, sizeof(day));
	snprintf(body, sizeof(body),
	    "The address that receives the invoices of %s was changed\n"
	    "from %s\nto %s\nby %s on %s.\n\n"
	    "If you did not expect this change, tell an owner of your "
	    "organization at once.\n", new->billing_name,
	    old->invoice_email, new->invoice_email, a->email, day);
	snprintf(key, sizeof(key), "invoice-email:%lld:old",
	    (long long)audit_id);
	if ((rc = outbox_queue(db, org, key, "invoice_email_changed",
	    old->invoice_email, "Your invoice email address was changed",
	    body, 0, a->now)) != DB_OK)
		return rc;
	snprintf(key, sizeof(key), "invoice-email:%lld:new",
	    (long long)audit_id);
	return outbox_queue(db, org, key, "invoice_email_changed",
	    new->invoice_email, "Your invoice email address was changed",
	    body, 0, a->now);
}

/*
 * Write d as org's billing details and CC list inside the caller's
 * write transaction, without auditing: for setting up an organization
 * (details_save is for changes).  Returns DB_OK or a failure.
 */
int
details_write(struct db *db, int64_t org, const struct details *d)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc;

	st = db_stmt(db, STMT_DETAILS_UPDATE);
	if ((rc = db_bind(db, st, "tttttttttttti", d->account_email,
	    d->invoice_email, d->billing_name, d->address1,
	    d->address2, d->city, d->postal_code, d->region,
	    d->country, d->vat_number, d->po_reference, d->buyer_reference,
	    org)) != DB_OK ||
	    (rc = db_exec(db, st)) != DB_OK)
		return rc;
	st = db_stmt(db, STMT_CC_DELETE);
	if ((rc = db_bind(db, st, "i", org)) != DB_OK ||
	    (rc = db_exec(db, st)) != DB_OK)
		return rc;
	for (i = 0; i < d->ncc; i++) {
		st = db_stmt(db, STMT_CC_INSERT);
		if ((rc = db_bind(db, st, "iit", org, (int64_t)i,
		    d->cc[i])) != DB_OK || (rc = db_exec(db, st)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

/*
 * Save new over old (as loaded by details_get) for org, inside the
 * caller's write transaction: one audit row per changed detail (who,
 * when, from where, old and new), and for a new invoice email a notice
 * queued to the old address and to the new one.  *changed gets the
 * number of details that changed (0: nothing written).  Returns DB_OK
 * or a failure; the caller rolls back on failure.
 */
int
details_save(struct db *db, int64_t org, const struct actor *a,
    const struct details *old, const struct details *new, int *changed)
{
	char		 o[2600], n[2600];
	int64_t		 id = 0;
	int		 rc;

	*changed = 0;
	if ((rc = audit_if(db, org, a, "Account email", old->account_email,
	    new->account_email, changed, NULL)) != DB_OK ||
	    (rc = audit_if(db, org, a, "Invoice email", old->invoice_email,
	    new->invoice_email, changed, &id)) != DB_OK)
		return rc;
	if (id > 0 && (rc = notify_invoice_email(db, org, a, old, new, id)) !=
	    DB_OK)
		return rc;
	cc_join(old, o, sizeof(o));
	cc_join(new, n, sizeof(n));
	if ((rc = audit_if(db, org, a, "CC emails", o, n, changed, NULL)) !=
	    DB_OK)
		return rc;
	address_join(old, o, sizeof(o));
	address_join(new, n, sizeof(n));
	if ((rc = audit_if(db, org, a, "Billing address", o, n, changed,
	    NULL)) != DB_OK ||
	    (rc = audit_if(db, org, a, "VAT number", old->vat_number,
	    new->vat_number, changed, NULL)) != DB_OK ||
	    (rc = audit_if(db, org, a, "PO reference", old->po_reference,
	    new->po_reference, changed, NULL)) != DB_OK ||
	    (rc = audit_if(db, org, a, "Buyer reference",
	    old->buyer_reference, new->buyer_reference, changed, NULL)) !=
	    DB_OK)
		return rc;
	if (*changed == 0)
		return DB_OK;
	return details_write(db, org, new);
}
