/* db_org.h: data access for organizations, subscriptions and sensors. */
#ifndef RECKON_DB_ORG_H
#define RECKON_DB_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

struct db;

struct org {
	int64_t		 id;
	int64_t		 parent_id;	/* 0: none */
	char		*name;
	char		*currency;
	char		*country;
	char		*account_email;
};

struct org_list {
	struct org	*v;	/* id, name and currency only */
	size_t		 n;
};

struct subscription {
	int64_t		 id;
	int64_t		 org_id;
	int64_t		 anchor;	/* periods are counted from here */
	int64_t		 plan_id;
	int64_t		 replaced_by;	/* reactivated as this one; 0: not */
	int64_t		 version;	/* bumped by every change to the row */
	int64_t		 quantity;
	int64_t		 period_start;
	int64_t		 period_end;
	int		 auto_renew;
	int64_t		 cancel_at;	/* 0: no cancellation scheduled */
	int64_t		 contract_end;	/* 0: no contract */
	int		 expired;
	int		 annual;
	char		 currency[4];
	cents_t		 unit_price;
	int64_t		 product_id;
	char		*product_code;
	char		*product_name;
	int		 product_is_sensor;
};

struct sub_list {
	struct subscription	*v;
	size_t			 n;
};

struct sensor_count {
	int64_t		 product_id;
	char		*product_name;
	int64_t		 deployed;
};

struct sensor_count_list {
	struct sensor_count	*v;
	size_t			 n;
};

int	db_org_get(struct db *, int64_t, struct org **);
void	db_org_free(struct org *);
int	db_org_list_children(struct db *, int64_t, struct org_list *);
void	db_org_list_free(struct org_list *);
int	db_sub_list_by_org(struct db *, int64_t, struct sub_list *);
int	db_sub_get(struct db *, int64_t, struct subscription *);
void	db_sub_clear(struct subscription *);
void	db_sub_list_free(struct sub_list *);
int	db_sensor_count_by_org(struct db *, int64_t, struct sensor_count_list *);
void	db_sensor_count_list_free(struct sensor_count_list *);



/* Inserts; each returns DB_OK with *id set (when id is not NULL),
 * DB_CONFLICT, or a failure.  The caller holds a write transaction. */
int	db_seller_vat(struct db *, char *, size_t);
int	db_seller_parts(struct db *, const char *, const char *,
	    const char *, const char *, const char *, const char *);
int	db_seller_insert(struct db *, const char *, const char *,
	    const char *, const char *);
int	db_org_insert(struct db *, int64_t, const char *, const char *,
	    const char *, const char *, int64_t, int64_t *);
int	db_user_insert(struct db *, int64_t, const char *, const char *,
	    const char *, const char *, int64_t, int64_t *);
int	db_product_insert(struct db *, const char *, const char *,
	    const char *, int64_t *);
int	db_plan_insert(struct db *, int64_t, const char *, const char *,
	    cents_t, int64_t *);
int	db_sub_insert(struct db *, int64_t, int64_t, int64_t, int64_t,
	    int64_t, int64_t, int64_t *);
int	db_sensor_insert(struct db *, int64_t, const char *, int64_t,
	    int64_t, int64_t *);
int	db_org_count(struct db *, int64_t *);

#endif
