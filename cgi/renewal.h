/* renewal.h: period ends: renew and invoice, or expire; collect what is due, with retries. */
#ifndef RECKON_RENEWAL_H
#define RECKON_RENEWAL_H

#include <stdint.h>

#include "money.h"

struct db;

/* Retries of a declined charge, counted from its first attempt. */
#define RENEWAL_RETRY_DAYS	{ 1, 3, 5 }

struct renewal_stats {
	int64_t	 renewed;	/* periods invoiced */
	int64_t	 expired;	/* subscriptions ended */
	int64_t	 credited;	/* invoices paid (partly) by credit */
	int64_t	 charged;	/* charges that succeeded */
	int64_t	 declined;	/* charges declined (will retry) */
	int64_t	 failed;	/* charges given up after the last retry */
};

int	renewal_next_end(int64_t, int, int64_t, int64_t *);
int	renewal_run(struct db *, int64_t, int, struct renewal_stats *);
int	renewal_charges(struct db *, int64_t, struct renewal_stats *);
int	renewal_charge_now(struct db *, int64_t, int64_t, struct renewal_stats *);
int	renewal_settle(struct db *, int64_t, int64_t, const char *, int64_t,
	    int64_t *);

#endif
