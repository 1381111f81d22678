/* db_org.c: data access for organizations, subscriptions and sensors. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_org.h"
#include "util.h"

/*
 * Load organization id into *out (db_org_free).  Returns DB_OK,
 * DB_NOTFOUND with *out NULL, or a failure.
 */
int
db_org_get(struct db *db, int64_t id, struct org **out)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_ORG_GET);
	struct org	*o;
	int		 rc;

	*out = NULL;
	if (db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_OK ? DB_NOTFOUND : rc;
	}
	o = xcalloc(1, sizeof(*o));
	o->id = db_col_int(st, 0);
	o->parent_id = db_col_int(st, 1);
	o->name = db_col_dup(st, 2);
	o->currency = db_col_dup(st, 3);
	o->country = db_col_dup(st, 4);
	o->account_email = db_col_dup(st, 5);
	db_reset(st);
	*out = o;
	return DB_OK;
}

static void
org_clear(struct org *o)
{
	free(o->name);
	free(o->currency);
	free(o->country);
	free(o->account_email);
}

/* Free an organization; NULL is ok. */
void
db_org_free(struct org *o)
{
	if (o == NULL)
		return;
	org_clear(o);
	free(o);
}

/*
 * The lists below are sorted here rather than by ORDER BY: a sort in SQL
 * opens a temporary b-tree for each query, which cost more than the
 * rest of the query on the overview's handful of rows.
 */
static int
org_cmp(const void *a, const void *b)
{
	const struct org	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The child companies of parent (id, name, currency), by name, into
 * out (db_org_list_free, even on failure).  Returns DB_OK or a failure.
 */
int
db_org_list_children(struct db *db, int64_t parent, struct org_list *out)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_ORG_CHILDREN);
	struct org	*o;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "i", parent) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		o = &out->v[out->n++];
		memset(o, 0, sizeof(*o));
		o->id = db_col_int(st, 0);
		o->name = db_col_dup(st, 1);
		o->currency = db_col_dup(st, 2);
	}
	db_reset(st);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), org_cmp);
	return rc;
}

/* Free a list of organizations' contents. */
void
db_org_list_free(struct org_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		org_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* One row of STMT_SUB_LIST_BY_ORG or STMT_SUB_GET into *s. */
static void
read_sub(sqlite3_stmt *st, struct subscription *s)
{
	const unsigned char	*t;

	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->quantity = db_col_int(st, 1);
	s->period_start = db_col_int(st, 2);
	s->period_end = db_col_int(st, 3);
	s->auto_renew = db_col_int(st, 4) != 0;
	s->cancel_at = db_col_int(st, 5);
	s->contract_end = db_col_int(st, 6);
	t = sqlite3_column_text(st, 7);
	s->expired = t != NULL && strcmp((const char *)t, "expired") == 0;
	t = sqlite3_column_text(st, 8);
	s->annual = t != NULL && strcmp((const char *)t, "annual") == 0;
	t = sqlite3_column_text(st, 9);
	snprintf(s->currency, sizeof(s->currency), "%s",
	    t ? (const char *)t : "");
	s->unit_price = db_col_int(st, 10);
	s->product_id = db_col_int(st, 11);
	s->product_code = db_col_dup(st, 12);
	s->product_name = db_col_dup(st, 13);
	t = sqlite3_column_text(st, 14);
	s->product_is_sensor = t != NULL &&
	    strcmp((const char *)t, "sensor") == 0;
	s->org_id = db_col_int(st, 15);
	s->anchor = db_col_int(st, 16);
	s->plan_id = db_col_int(st, 17);
	s->replaced_by = db_col_int(st, 18);
	s->version = db_col_int(st, 19);
}

/* Active first, then by period end, product name and id. */
static int
sub_cmp(const void *a, const void *b)
{
	const struct subscription	*x = a, *y = b;
	int				 c;

	if (x->expired != y->expired)
		return x->expired - y->expired;
	if (x->period_end != y->period_end)
		return (x->period_end > y->period_end) -
		    (x->period_end < y->period_end);
	if ((c = strcmp(x->product_name, y->product_name)) != 0)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Every subscription of org with its plan and product, active first,
 * then by period end, into out (db_sub_list_free, even on failure).
 * Returns DB_OK or a failure.
 */
int
db_sub_list_by_org(struct db *db, int64_t org, struct sub_list *out)
{
	sqlite3_stmt		*st = db_stmt(db, STMT_SUB_LIST_BY_ORG);
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		read_sub(st, &out->v[out->n++]);
	}
	db_reset(st);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), sub_cmp);
	return rc;
}

/*
 * Load subscription id with its plan and product into *s (db_sub_clear).
 * Returns DB_OK, DB_NOTFOUND or a failure.
 */
int
db_sub_get(struct db *db, int64_t id, struct subscription *s)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SUB_GET);
	int		 rc;

	memset(s, 0, sizeof(*s));
	if (db_bind(db, st, "i", id) != DB_OK)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW)
		read_sub(st, s);
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

/* Free what a subscription holds (not s itself). */
void
db_sub_clear(struct subscription *s)
{
	free(s->product_code);
	free(s->product_name);
	memset(s, 0, sizeof(*s));
}

/* Free a subscription list's contents. */
void
db_sub_list_free(struct sub_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].product_code);
		free(l->v[i].product_name);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
sensor_count_cmp(const void *a, const void *b)
{
	const struct sensor_count	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->product_name, y->product_name)) != 0)
		return c;
	return (x->product_id > y->product_id) -
	    (x->product_id < y->product_id);
}

/*
 * Deployed (not removed) sensors of org counted per product, by product
 * name, into out (db_sensor_count_list_free, even on failure).
 */
int
db_sensor_count_by_org(struct db *db, int64_t org,
    struct sensor_count_list *out)
{
	sqlite3_stmt		*st = db_stmt(db, STMT_SENSOR_COUNT_BY_ORG);
	struct sensor_count	*c;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (db_bind(db, st, "i", org) != DB_OK)
		return DB_ERROR;
	while ((rc = db_step(db, st)) == DB_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		c = &out->v[out->n++];
		c->product_id = db_col_int(st, 0);
		c->product_name = db_col_dup(st, 1);
		c->deployed = db_col_int(st, 2);
	}
	db_reset(st);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), sensor_count_cmp);
	return rc;
}

/* Free a sensor count list's contents. */
void
db_sensor_count_list_free(struct sensor_count_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].product_name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
insert(struct db *db, sqlite3_stmt *st, int64_t *id)
{
	int	 rc;

	if ((rc = db_exec(db, st)) == DB_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

/* The seller: name, postal address, ISO country, VAT number. */
int
db_seller_insert(struct db *db, const char *name, const char *addr,
    const char *country, const char *vat)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SELLER_INSERT);

	if (db_bind(db, st, "tttt", name, addr, country, vat) != DB_OK)
		return DB_ERROR;
	return insert(db, st, NULL);
}

static struct db_sql q_seller_parts = {
	.text = "UPDATE seller SET street = ?, city = ?, postal_code = ?, "
	    "email = ?, phone = ?, registration = ? WHERE id = 1"
};

/*
 * The seller's address in parts, its contact and its company
 * registration (BT-30), for the e-invoices.
 */
int
db_seller_parts(struct db *db, const char *street, const char *city,
    const char *postal_code, const char *email, const char *phone,
    const char *registration)
{
	sqlite3_stmt	*st = db_sql(db, &q_seller_parts);

	if (st == NULL || db_bind(db, st, "tttttt", street, city,
	    postal_code, email, phone, registration) != DB_OK)
		return DB_ERROR;
	return db_exec(db, st);
}

static struct db_sql q_seller_vat = {
	.text = "SELECT vat_number FROM seller WHERE id = 1"
};

/* The seller's VAT number as stored into out ("" if none). */
int
db_seller_vat(struct db *db, char *out, size_t outsz)
{
	sqlite3_stmt	*st = db_sql(db, &q_seller_vat);
	int		 rc;

	out[0] = '\0';
	if (st == NULL)
		return DB_ERROR;
	if ((rc = db_step(db, st)) == DB_ROW) {
		db_col_copy(st, 0, out, outsz);
		rc = DB_OK;
	} else if (rc == DB_OK)
		rc = DB_NOTFOUND;
	db_reset(st);
	return rc;
}

/* An organization; parent 0 for none. */
int
db_org_insert(struct db *db, int64_t parent, const char *name,
    const char *currency, const char *country, const char *email,
    int64_t now, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_ORG_INSERT);
	int		 rc;

	rc = parent > 0 ?
	    db_bind(db, st, "itttti", parent, name, currency, country, email,
	    now) :
	    db_bind(db, st, "ntttti", name, currency, country, email, now);
	if (rc != DB_OK)
		return DB_ERROR;
	return insert(db, st, id);
}

/* A user with a role name and an argon2id hash (session_password_hash). */
int
db_user_insert(struct db *db, int64_t org, const char *email,
    const char *name, const char *role, const char *pwhash, int64_t now,
    int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_USER_INSERT);

	if (db_bind(db, st, "itttti", org, email, name, role, pwhash,
	    now) != DB_OK)
		return DB_ERROR;
	return insert(db, st, id);
}

/* A product: code, name, kind ("sensor" or "seat"). */
int
db_product_insert(struct db *db, const char *code, const char *name,
    const char *kind, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_PRODUCT_INSERT);

	if (db_bind(db, st, "ttt", code, name, kind) != DB_OK)
		return DB_ERROR;
	return insert(db, st, id);
}

/* A plan: product, period ("monthly"/"annual"), currency, unit price. */
int
db_plan_insert(struct db *db, int64_t product, const char *period,
    const char *currency, cents_t unit_price, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_PLAN_INSERT);

	if (db_bind(db, st, "itti", product, period, currency,
	    (int64_t)unit_price) != DB_OK)
		return DB_ERROR;
	return insert(db, st, id);
}

/*
 * An active, auto-renewing subscription of org to plan for quantity
 * units over [start, end); contract_end 0 for none.
 */
int
db_sub_insert(struct db *db, int64_t org, int64_t plan, int64_t quantity,
    int64_t start, int64_t end, int64_t contract_end, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SUB_INSERT);
	int		 rc;

	if (contract_end > 0)
		rc = db_bind(db, st, "iiiiiiniti", org, plan, quantity, start,
		    end, (int64_t)1, contract_end, "active", start);
	else
		rc = db_bind(db, st, "iiiiiinnti", org, plan, quantity, start,
		    end, (int64_t)1, "active", start);
	if (rc != DB_OK)
		return DB_ERROR;
	return insert(db, st, id);
}

/* A deployed sensor (removed_at 0: still deployed). */
int
db_sensor_insert(struct db *db, int64_t org, const char *ext_id,
    int64_t product, int64_t deployed_at, int64_t *id)
{
	sqlite3_stmt	*st = db_stmt(db, STMT_SENSOR_INSERT);

	if (db_bind(db, st, "itiin", org, ext_id, product, deployed_at) !=
	    DB_OK)
		return DB_ERROR;
	return insert(db, st, id);
}

/* How many organizations there are. */
int
db_org_count(struct db *db, int64_t *n)
{
	return db_get_int(db, STMT_ORG_COUNT, n, "");
}
