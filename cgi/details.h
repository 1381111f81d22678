/* details.h: an organization's billing details: who gets invoices, the address, VAT number, PO reference. */
#ifndef RECKON_DETAILS_H
#define RECKON_DETAILS_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct actor;

#define DETAILS_MAX_CC	10

struct details {
	char	 account_email[256];
	char	 invoice_email[256];
	char	 cc[DETAILS_MAX_CC][256];
	size_t	 ncc;
	char	 billing_name[256];
	char	 address1[256];
	char	 address2[256];
	char	 city[256];
	char	 postal_code[32];
	char	 region[256];
	char	 country[4];
	char	 vat_number[32];
	char	 po_reference[80];
	char	 buyer_reference[80];	/* BT-10: a Leitweg-ID, a cost centre */
};

/* What details_check can find wrong; the page says it beside the field. */
enum details_problem {
	DETAILS_OK,
	DETAILS_VAT_COUNTRY,	/* the VAT number is of another country */
	DETAILS_VAT_CHECK,	/* its check digits do not add up */
	DETAILS_VAT_SELLER	/* it is the seller's own VAT number */
};

int	details_get(struct db *, int64_t, struct details *);
void	details_cc_dedupe(struct details *);
int	details_check(const struct details *, const char *);
int	details_write(struct db *, int64_t, const struct details *);
int	details_save(struct db *, int64_t, const struct actor *,
	    const struct details *, const struct details *, int *);

#endif
