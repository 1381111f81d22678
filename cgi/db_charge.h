/* db_charge.h: data access for charges: those declined or failed, for the overview's banner. */
#ifndef RECKON_DB_CHARGE_H
#define RECKON_DB_CHARGE_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

struct db;

/* A charge that did not go through: still retried, or given up. */
struct charge_trouble {
	cents_t		 amount;
	char		 currency[4];
	char		 number[32];	/* the invoice it was for */
	char		*last_error;	/* the processor's reason, in words */
	int		 failed;	/* 1: no retry is left; 0: declined */
};

struct charge_trouble_list {
	struct charge_trouble	*v;	/* newest first, at most 5 */
	size_t			 n;
};

int	db_charge_trouble_list(struct db *, int64_t,
	    struct charge_trouble_list *);
void	db_charge_trouble_list_free(struct charge_trouble_list *);

#endif
