/* accrual.h: amounts owed or given back but not invoiced yet, in the journal until an invoice bills them. */
#ifndef RECKON_ACCRUAL_H
#define RECKON_ACCRUAL_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

struct db;
struct doc_line;
struct subscription;

/* One side of a change, as accrued: units of a product at a price. */
struct accrual_part {
	const char	*product;	/* borrowed */
	int64_t		 quantity;
	cents_t		 unit_price;
	cents_t		 amount;	/* signed: < 0 gives back unused time */
};

/*
 * How a credit of unused time on one subscription is given back: first
 * against its open accruals, then by credit notes on the invoices that
 * billed its current period, never more than they billed for it.
 */
struct giveback {
	cents_t		 asked;		/* the credit, net of VAT */
	cents_t		 netted;	/* against open accruals */
	cents_t		 noted;		/* on credit notes, net */
	cents_t		 noted_tax;	/* their VAT */
	cents_t		 unbacked;	/* never invoiced: nothing to give back */
	size_t		 ndocs;		/* credit notes it takes */
	int64_t		 doc[4];	/* the invoices they reduce */
	cents_t		 doc_net[4];	/* and by how much, net */
};

int	accrual_giveback_plan(struct db *, const struct subscription *,
	    cents_t, struct giveback *);
int	accrual_giveback(struct db *, const struct subscription *, const char *,
	    int64_t, const struct accrual_part *, struct giveback *,
	    int64_t *);
int	accrual_post(struct db *, const struct subscription *, const char *,
	    int64_t, const struct accrual_part *, size_t, int64_t *);
int	accrual_open_sum(struct db *, int64_t, cents_t *);
int	accrual_lines(struct db *, int64_t, struct doc_line **, size_t *,
	    cents_t *);
int	accrual_close(struct db *, int64_t, int64_t, int64_t);

#endif
