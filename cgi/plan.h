/* plan.h: plan changes: upgrade, downgrade, quantity, monthly ↔ annual, with a prorated quote. */
#ifndef RECKON_PLAN_H
#define RECKON_PLAN_H

#include <stdint.h>

#include "accrual.h"
#include "money.h"

struct db;
struct actor;

enum plan_rc {
	PLAN_OK,
	PLAN_NOTFOUND,		/* no such subscription or plan for the org */
	PLAN_EINVAL,		/* nothing changes, another currency or kind */
	PLAN_CHANGED,		/* the subscription changed since the quote */
	PLAN_DB
};

/* How a quote is billed. */
enum plan_billing {
	PLAN_NOTHING,		/* no amount */
	PLAN_NEXT_INVOICE,	/* monthly: on the next renewal invoice */
	PLAN_INVOICE_NOW,	/* annual, or a new period: invoiced at once */
	PLAN_CREDIT		/* less to pay: customer credit */
};

struct plan_side {
	int64_t		 plan_id;
	char		 product[256];
	int		 annual;
	int64_t		 quantity;
	cents_t		 unit_price;
};

struct plan_quote {
	int64_t			 sub_id;
	int64_t			 as_of;
	int64_t			 effective;	/* sub_effective at as_of */
	char			 currency[4];
	struct plan_side	 from, to;
	int			 new_period;	/* monthly ↔ annual: starts at effective */
	int64_t			 period_start;	/* of the current period */
	int64_t			 period_end;
	int64_t			 remaining;	/* seconds left at effective */
	int64_t			 period;	/* seconds in it */
	cents_t			 unused;	/* credit: from's unused time */
	cents_t			 charge;	/* to's remaining time, or a new period */
	cents_t			 net;		/* charge − unused */
	int64_t			 new_end;	/* the new period's end, if new_period */
	enum plan_billing	 billing;
	int64_t			 version;	/* the subscription's, quoted */
	/* VAT as the invoice will charge it (invoice_tax_rule) */
	int32_t			 tax_rate_bp;
	int			 reverse_charge;
	cents_t			 due_net;	/* invoiced now or accrued */
	cents_t			 due_tax;
	struct giveback		 gb;		/* a credit: how it is given back */
};

int	plan_quote(struct db *, int64_t, int64_t, int64_t, int64_t, int64_t,
	    struct plan_quote *);
int	plan_apply(struct db *, int64_t, const struct actor *,
	    const struct plan_quote *, const char *, int64_t *, int64_t *);

#endif
