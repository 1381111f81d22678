/* db_plan.h: data access for plans: those on offer in a currency, and what a plan change did. */
#ifndef RECKON_DB_PLAN_H
#define RECKON_DB_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

struct db;

/* One plan on offer: a product at a price per period in a currency. */
struct plan_row {
	int64_t		 id;
	int64_t		 product_id;
	int		 annual;	/* 1: annual; 0: monthly */
	char		 currency[4];
	cents_t		 unit_price;
	char		*product;	/* the product's name */
	int		 seat;		/* 1: a per-user product; 0: a sensor */
};

struct plan_list {
	struct plan_row	*v;	/* by kind, product name, period */
	size_t		 n;
};

/* What a plan change applied under a form token billed. */
enum plan_outcome {
	PLAN_OUT_UNKNOWN,	/* not a plan change of this user's */
	PLAN_OUT_NEXT_INVOICE,	/* a line waits for the next invoice */
	PLAN_OUT_INVOICE,	/* an invoice was issued at once */
	PLAN_OUT_CREDIT		/* the difference became customer credit */
};

int	db_plan_list_by_currency(struct db *, const char *, struct plan_list *);
void	db_plan_list_free(struct plan_list *);
int	db_plan_outcome_get(struct db *, int64_t, const char *, const char *,
	    enum plan_outcome *, int64_t *);

#endif
