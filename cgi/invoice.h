/* invoice.h: documents issued from the ledger: numbered invoices and credit notes, VAT, receipts. */
#ifndef RECKON_INVOICE_H
#define RECKON_INVOICE_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "money.h"

struct db;

/* The most lines one document holds (renewals group theirs). */
#define INVOICE_MAX_LINES	1000

enum doc_kind {
	DOC_INVOICE,
	DOC_CREDIT_NOTE
};

/* Derived, never stored: what the ledger says of an invoice. */
enum doc_status {
	DOC_OPEN,		/* not (fully) paid */
	DOC_PAID,		/* receipts and credit cover the total */
	DOC_CREDITED,		/* a credit note corrects all of it */
	DOC_ISSUED		/* a credit note: nothing to pay */
};

struct doc_line {
	char		 description[256];
	int64_t		 period_start;	/* the service period, UTC seconds */
	int64_t		 period_end;
	int64_t		 quantity;
	cents_t		 unit_price;	/* net */
	cents_t		 amount;	/* net: quantity × unit price, or prorated */
	int32_t		 tax_rate_bp;	/* basis points: 1900 = 19 % */
	cents_t		 tax_amount;	/* half-up, per line */
	int64_t		 subscription_id;	/* the one it bills; 0: none */
};

/* One VAT rate's totals (a document has one or a few). */
struct doc_tax {
	int32_t		 rate_bp;
	cents_t		 net;
	cents_t		 tax;
};

struct receipt {
	int64_t		 id;
	int64_t		 paid_at;
	cents_t		 amount;
	char		 method[96];	/* "Visa ending 4242", "Customer credit" */
};

/*
 * The parties in the parts a structured e-invoice states, as they were at
 * issue; absent (present 0) for documents issued before they were kept.
 */
struct doc_parts {
	int		 present;
	char		 seller_street[256];
	char		 seller_city[128];
	char		 seller_postal_code[32];
	char		 seller_email[256];
	char		 seller_phone[64];
	char		 seller_registration[128];	/* BT-30 */
	char		 buyer_street[256];
	char		 buyer_street2[256];
	char		 buyer_city[256];
	char		 buyer_postal_code[32];
	char		 buyer_region[256];
	char		 buyer_email[256];		/* the invoice email */
	char		 buyer_reference[80];		/* BT-10 */
};

struct document {
	int64_t		 id;
	int64_t		 org_id;
	enum doc_kind	 kind;
	char		 number[32];	/* INV-2026-000123 */
	int64_t		 issued_at;
	int64_t		 period_start;	/* earliest line start */
	int64_t		 period_end;	/* latest line end */
	char		 currency[4];
	char		 paper[8];	/* "A4" or "Letter" */
	/* the seller and buyer as they were when the document was issued */
	char		 seller_name[256];
	char		 seller_address[512];	/* lines separated by '\n' */
	char		 seller_country[3];
	char		 seller_vat[32];
	char		 buyer_name[256];
	char		 buyer_address[1536];	/* lines separated by '\n' */
	char		 buyer_country[3];
	char		 buyer_vat[32];
	char		 po_reference[80];
	int		 reverse_charge;	/* VAT due from the buyer */
	char		 tax_note[256];		/* the VAT mention, if any */
	cents_t		 net_total;
	cents_t		 tax_total;
	cents_t		 total;
	char		 corrects[32];		/* credit note: the invoice's number */
	struct doc_parts parts;
	char		 seal[CHAIN_HEX];	/* its chained SHA-256; "": none yet */
	struct doc_line	*lines;
	size_t		 nlines;
	struct doc_tax	 taxes[4];
	size_t		 ntaxes;
	struct receipt	*receipts;
	size_t		 nreceipts;
	cents_t		 paid;			/* receipts' sum */
	cents_t		 credited;		/* credit notes' sum (positive) */
	enum doc_status	 status;
};

/* A row of the receipts list: enough to list, not to print. */
struct doc_summary {
	int64_t		 id;
	enum doc_kind	 kind;
	char		 number[32];
	int64_t		 issued_at;
	int64_t		 period_start;
	int64_t		 period_end;
	char		 currency[4];
	cents_t		 total;
	enum doc_status	 status;
};

struct doc_list {
	struct doc_summary	*v;
	size_t			 n;
};

enum invoice_rc {
	INV_OK,
	INV_DUPLICATE,		/* the idempotency key was issued before */
	INV_NOTFOUND,
	INV_EINVAL,		/* no lines, mixed currency, too much */
	INV_DB			/* see db->last_rc */
};

/* What to invoice: the lines' net amounts are computed by the caller. */
struct invoice_req {
	int64_t			 org_id;
	const char		*idem_key;	/* UNIQUE in the journal */
	int64_t			 now;
	const struct doc_line	*lines;		/* tax filled in by invoice_issue */
	size_t			 nlines;
	cents_t			 unbilled;	/* of the net: accrued before */
	int			 no_mail;	/* history loaded by the demo */
};

int	invoice_tax_rule(const char *, const char *, const char *, int32_t *,
	    int *, char *, size_t);
int	invoice_issue(struct db *, const struct invoice_req *, int64_t *);
int	invoice_pay(struct db *, int64_t, int64_t, cents_t, const char *,
	    const char *, int64_t *);	/* method NULL: customer credit */
int	invoice_credit(struct db *, int64_t, int64_t, int, const char *,
	    int64_t *);
int	invoice_credit_lines(struct db *, int64_t, const struct doc_line *,
	    size_t, int64_t, const char *, int, int64_t *);
int	invoice_creditable(struct db *, int64_t, cents_t *, int32_t *);
int	invoice_line_tax(cents_t, int32_t, cents_t *);
int	invoice_org_tax(struct db *, int64_t, int32_t *, int *);
int	invoice_get(struct db *, int64_t, struct document **);
int	invoice_get_by_number(struct db *, const char *, struct document **);
void	invoice_free(struct document *);
int	invoice_list(struct db *, int64_t, int64_t, int64_t, int64_t, size_t,
	    struct doc_list *);
void	invoice_list_free(struct doc_list *);
const char *invoice_status_word(enum doc_status);
const char *invoice_kind_word(enum doc_kind);

#endif
