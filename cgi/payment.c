/* payment.c: add, make default and remove payment methods; every change audited by brand and last four. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "gateway.h"
#include "payment.h"
#include "util.h"

static void
read_row(sqlite3_stmt *st, struct payment_method *m)
{
	memset(m, 0, sizeof(*m));
	m->id = db_col_int(st, 0);
	db_col_copy(st, 1, m->kind, sizeof(m->kind));
	db_col_copy(st, 2, m->brand, sizeof(m->brand));
	db_col_copy(st, 3, m->last4, sizeof(m->last4));
	m->exp_month = (int)db_col_int(st, 4);
	m->exp_year = (int)db_col_int(st, 5);
	db_col_copy(st, 6, m->country, sizeof(m->country));
	db_col_copy(st, 7, m->mandate_ref, sizeof(m->mandate_ref));
	m->is_default = db_col_int(st, 8) != 0;
	db_col_copy(st, 9, m->processor_ref, sizeof(m->processor_ref));
}

/*
 * org's payment methods in use, the default first, into out
 * (payment_list_free, even on failure).  Returns DB_OK or a failure.
 */
int
payment_list(struct db *db, int64_t org, struct pm_list *out)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_PM_LIST);
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		read_row(st, &out->v[out->n++]);
	}
	db_reset(st);
	return rc;
}

/* Free a list of payment methods. */
void
payment_list_free(struct pm_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* "Visa ending 4242", "SEPA Direct Debit, DE, IBAN ending 3000". */
void
payment_label(const struct payment_method *m, char *out, size_t outsz)
{
	if (strcmp(m->kind, "sepa_debit") == 0)
		snprintf(out, outsz, "%s, %s, IBAN ending %s", m->brand,
		    m->country, m->last4);
	else
		snprintf(out, outsz, "%s ending %s", m->brand, m->last4);
}

static int
pm_get(struct db *db, int64_t org, int64_t id, struct payment_method *m)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_PM_GET);
	int		 rc;

	if (db_bind(db, st, "ii", id, org) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW)
		read_row(st, m);
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

static int
set_default(struct db *db, int64_t org, int64_t id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_PM_CLEAR_DEFAULT);

	if (db_bind(db, st, "i", org) != DB_OK || db_exec(db, st) != DB_OK)
		return DB_ERROR;
	st = db_stmt(db, STMT_PM_SET_DEFAULT);
	if (db_bind(db, st, "ii", id, org) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

/*
 * Keep the method the processor described (gateway_attach) for org,
 * inside the caller's write transaction; the first one becomes the
 * default.  Audited as "Payment method added".  *id gets the new row.
 * Returns PAY_OK or PAY_DB.
 */
int
payment_add(struct db *db, int64_t org, const struct actor *a,
    const struct gw_method *g, int64_t *id)
{
	struct payment_method	 m;
	sqlite3_stmt		*st = db_stmt(db, STMT_PM_INSERT);
	char			 label[128], what[160];
	int64_t			 n;

	if (db_get_int(db, STMT_PM_COUNT, &n, "i", org) != DB_OK)
		return PAY_DB;
	if ((g->exp_month > 0 ?
	    db_bind(db, st, "ittttiittii", org, g->kind,
	    g->processor_ref, g->brand, g->last4, (int64_t)g->exp_month,
	    (int64_t)g->exp_year, g->country, g->mandate_ref,
	    (int64_t)(n == 0), a->now) :
	    db_bind(db, st, "ittttnnttii", org, g->kind,
	    g->processor_ref, g->brand, g->last4, g->country, g->mandate_ref,
	    (int64_t)(n == 0), a->now)) != DB_OK || db_exec(db, st) != DB_OK)
		return PAY_DB;
	*id = sqlite3_last_insert_rowid(db->h);
	memset(&m, 0, sizeof(m));
	snprintf(m.kind, sizeof(m.kind), "%s", g->kind);
	snprintf(m.brand, sizeof(m.brand), "%s", g->brand);
	snprintf(m.last4, sizeof(m.last4), "%s", g->last4);
	snprintf(m.country, sizeof(m.country), "%s", g->country);
	payment_label(&m, label, sizeof(label));
	snprintf(what, sizeof(what), "%s%s", label, n == 0 ? " (default)" : "");
	return audit_add(db, org, a, "Payment method added", "", what, NULL) ==
	    DB_OK ? PAY_OK : PAY_DB;
}

/*
 * Make method id of org the default, inside the caller's write
 * transaction; audited with the old and new default.  Returns PAY_OK,
 * PAY_NOTFOUND (not org's, or removed) or PAY_DB.
 */
int
payment_set_default(struct db *db, int64_t org, const struct actor *a,
    int64_t id)
{
	struct pm_list		 l;
	struct payment_method	 m;
	char			 old[128] = "", new[128];
	size_t			 i;
	int			 rc;

	if ((rc = pm_get(db, org, id, &m)) != DB_OK)
		return rc == DB_NOTFOUND ? PAY_NOTFOUND : PAY_DB;
	if (m.is_default)
		return PAY_OK;
	if (payment_list(db, org, &l) != DB_OK) {
		payment_list_free(&l);
		return PAY_DB;
	}
	for (i = 0; i < l.n; i++)
		if (l.v[i].is_default)
			payment_label(&l.v[i], old, sizeof(old));
	payment_list_free(&l);
	payment_label(&m, new, sizeof(new));
	if (set_default(db, org, id) != DB_OK ||
	    audit_add(db, org, a, "Default payment method", old, new, NULL) !=
	    DB_OK)
		return PAY_DB;
	return PAY_OK;
}

/*
 * Remove method id of org, inside the caller's write transaction.
 * Refused (PAY_LAST_METHOD) when it is the last one and a subscription
 * will renew; a removed default passes to the oldest remaining method.
 * Audited.  Returns PAY_OK, PAY_NOTFOUND, PAY_LAST_METHOD or PAY_DB.
 */
int
payment_remove(struct db *db, int64_t org, const struct actor *a,
    int64_t id)
{
	struct payment_method	 m;
	struct pm_list		 l;
	sqlite3_stmt		*st;
	char			 label[128];
	int64_t			 n, subs;
	int			 rc;

	if ((rc = pm_get(db, org, id, &m)) != DB_OK)
		return rc == DB_NOTFOUND ? PAY_NOTFOUND : PAY_DB;
	if (db_get_int(db, STMT_PM_COUNT, &n, "i", org) != DB_OK ||
	    db_get_int(db, STMT_SUB_CHARGEABLE_COUNT, &subs, "i", org) != DB_OK)
		return PAY_DB;
	if (n <= 1 && subs > 0)
		return PAY_LAST_METHOD;
	st = db_stmt(db, STMT_PM_REMOVE);
	if (db_bind(db, st, "iii", a->now, id, org) != DB_OK ||
	    db_exec(db, st) != DB_OK)
		return PAY_DB;
	payment_label(&m, label, sizeof(label));
	if (audit_add(db, org, a, "Payment method removed", label, "", NULL) !=
	    DB_OK)
		return PAY_DB;
	if (!m.is_default)
		return PAY_OK;
	if (payment_list(db, org, &l) != DB_OK) {
		payment_list_free(&l);
		return PAY_DB;
	}
	rc = PAY_OK;
	if (l.n > 0)
		rc = payment_set_default(db, org, a, l.v[0].id);
	payment_list_free(&l);
	return rc;
}
