/* gateway.h: the one interface to the payment processor; a sandbox driver is built in. */
#ifndef RECKON_GATEWAY_H
#define RECKON_GATEWAY_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

enum gateway_rc {
	GW_OK,
	GW_DECLINED,	/* the processor refused: a reason is given */
	GW_EXPIRED,	/* the card has expired */
	GW_UNKNOWN,	/* no such token */
	GW_ERROR	/* the processor could not be reached: try later */
};

/* What the processor tells us of a payment method: never its number. */
struct gw_method {
	char	 kind[16];		/* "card" or "sepa_debit" */
	char	 brand[24];		/* "Visa", "SEPA Direct Debit" */
	char	 last4[5];
	int	 exp_month;		/* cards; 0 otherwise */
	int	 exp_year;
	char	 country[3];		/* SEPA: the IBAN's country */
	char	 mandate_ref[40];	/* SEPA: the mandate reference */
	char	 processor_ref[65];	/* the processor's id for it */
};

struct gw_test_token {
	const char	*token;
	const char	*label;
};

/* A charge the processor made (or refused). */
struct gw_charge {
	char	 charge_ref[65];	/* the processor's id of the charge */
};

int		 gateway_init(const char *);
void		 gateway_close(void);
int		 gateway_charge(const char *, const char *, cents_t,
		    const char *, int64_t, struct gw_charge *, const char **);
int		 gateway_batch_begin(void);
int		 gateway_batch_end(void);
int		 gateway_attach(const char *, int64_t, struct gw_method *,
		    const char **);
const struct gw_test_token *gateway_test_token(size_t);
int		 gateway_is_sandbox(void);

#endif
