/* renewal.h: period ends: renew and invoice, or expire; collect what is due, with retries. */
#ifndef RECKON_RENEWAL_H
#define RECKON_RENEWAL_H

#include <stddef.h>
#include <stdint.h>

#include "db_org.h"
#include "money.h"

struct db;
struct doc_line;

/* Retries of a declined charge, counted from its first attempt. */
#define RENEWAL_RETRY_DAYS	{ 1, 3, 5 }

struct renewal_stats {
	int64_t	 renewed;	/* periods invoiced */
	int64_t	 expired;	/* subscriptions ended */
	int64_t	 credited;	/* invoices paid (partly) by credit */
	int64_t	 charged;	/* charges that succeeded */
	int64_t	 declined;	/* charges declined (will retry) */
	int64_t	 failed;	/* charges given up after the last retry */
	int64_t	 org_failures;	/* organizations whose renewal failed */
};

/* What a renewal date of an organization would invoice. */
struct renewal_draft {
	struct subscription	*subs;		/* due at that date */
	size_t			 ns;
	int64_t			*next;		/* each one's next period end */
	struct doc_line		*lines;
	size_t			 n;
	cents_t			 net;
	cents_t			 unbilled;	/* of it, accrued before */
	cents_t			 tax;		/* VAT, per line as invoiced */
	int32_t			 tax_rate_bp;	/* the buyer's VAT rule it used */
	int			 reverse_charge;
};

int	renewal_draft(struct db *, int64_t, int64_t, struct renewal_draft *);
void	renewal_draft_free(struct renewal_draft *);
int	renewal_next_end(int64_t, int, int64_t, int64_t *);
int	renewal_run(struct db *, int64_t, int, struct renewal_stats *);
int	renewal_charges(struct db *, int64_t, struct renewal_stats *);
int	renewal_charge_now(struct db *, int64_t, int64_t, struct renewal_stats *);
int	renewal_pay_now(struct db *, int64_t, int64_t, size_t *,
	    struct renewal_stats *);
int	renewal_settle(struct db *, int64_t, int64_t, const char *, int64_t,
	    int64_t *);

#endif
