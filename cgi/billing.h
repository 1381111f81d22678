/* billing.h: the domain's view of an organization's billing: subscriptions, next renewal, credit, sensors. */
#ifndef RECKON_BILLING_H
#define RECKON_BILLING_H

#include <stddef.h>
#include <stdint.h>

#include "db_org.h"
#include "money.h"

struct db;

/* Deployed and subscribed units of one sensor product. */
struct sensor_row {
	int64_t		 product_id;
	char		*product_name;
	int64_t		 deployed;
	int64_t		 subscribed;
};

struct child_billing {
	struct org	 org;		/* id, name, currency */
	struct sub_list	 subs;
	cents_t		*amount;	/* per subscription: renewal amount */
};

struct billing_overview {
	struct org		*org;
	struct sub_list		 subs;
	cents_t			*amount;	/* per subscription: quantity × unit price */
	int64_t			 next_renewal;	/* earliest renewing period end; 0: none */
	cents_t			 renewal_net;	/* invoiced at next_renewal, net */
	cents_t			 renewal_tax;	/* its VAT, per line as invoiced */
	cents_t			 renewal_total;	/* net + VAT: what is invoiced */
	int32_t			 tax_rate_bp;	/* the buyer's VAT rule now */
	int			 reverse_charge;
	cents_t			 credit;	/* customer credit available */
	cents_t			 credit_applied;/* of it, used at next_renewal */
	cents_t			 renewal_due;	/* total less the credit */
	struct sensor_row	*sensors;
	size_t			 nsensors;
	struct child_billing	*children;
	size_t			 nchildren;
};

int	billing_sub_amount(const struct subscription *, cents_t *);
int	billing_sub_renews(const struct subscription *);
int	billing_overview_get(struct db *, int64_t, struct billing_overview **);
void	billing_overview_free(struct billing_overview *);

#endif
