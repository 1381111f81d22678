/* payment.h: an organization's payment methods: processor tokens with what may be shown of them. */
#ifndef RECKON_PAYMENT_H
#define RECKON_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct actor;
struct gw_method;

struct payment_method {
	int64_t	 id;
	char	 kind[16];
	char	 brand[24];
	char	 last4[5];
	int	 exp_month;
	int	 exp_year;
	char	 country[3];
	char	 mandate_ref[40];
	char	 processor_ref[65];
	int	 is_default;
};

struct pm_list {
	struct payment_method	*v;
	size_t			 n;
};

enum payment_rc {
	PAY_OK,
	PAY_NOTFOUND,		/* no such method in this organization */
	PAY_LAST_METHOD,	/* removing it would leave renewals unpaid */
	PAY_DB			/* the database failed: see db->last_rc */
};

int	payment_list(struct db *, int64_t, struct pm_list *);
void	payment_list_free(struct pm_list *);
void	payment_label(const struct payment_method *, char *, size_t);
int	payment_add(struct db *, int64_t, const struct actor *,
	    const struct gw_method *, int64_t *);
int	payment_set_default(struct db *, int64_t, const struct actor *,
	    int64_t);
int	payment_remove(struct db *, int64_t, const struct actor *, int64_t);

#endif
