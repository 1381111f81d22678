/* ledger.h: the double-entry journal: post balanced entries, read balances. */
#ifndef RECKON_LEDGER_H
#define RECKON_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

struct db;

/* A customer's accounts; debit positive, credit negative. */
enum ledger_account {
	ACC_RECEIVABLE,		/* owed by the customer (asset) */
	ACC_CUSTOMER_CREDIT,	/* credit held for the customer (liability) */
	ACC_CASH,		/* payments received (asset) */
	ACC_REVENUE,		/* earned (income, credit side) */
	ACC_TAX,		/* tax collected (liability) */
	ACC_UNBILLED,		/* owed, not invoiced yet: accruals (asset) */
	ACC__MAX
};

enum ledger_rc {
	LEDGER_OK = 0,
	LEDGER_EUNBALANCED,	/* lines do not sum to zero */
	LEDGER_EDUPLICATE,	/* the idempotency key was posted before */
	LEDGER_EINVAL,		/* too few lines, a zero line, bad currency */
	LEDGER_EOVERFLOW,	/* a sum does not fit in 64 bits */
	LEDGER_EDB		/* the database failed: see db->last_rc */
};

struct ledger_line {
	enum ledger_account	 account;
	cents_t			 amount;
};

struct ledger_entry {
	int64_t			 org_id;
	const char		*idem_key;	/* UNIQUE: posts at most once */
	const char		*kind;		/* invoice, payment, credit, ... */
	const char		*memo;
	const char		*currency;
	int64_t			 posted_at;
	const struct ledger_line *lines;
	size_t			 nlines;
};

/* What reckonctl verify and the tests count; all zero means sound. */
struct ledger_report {
	int64_t		 unbalanced;	/* entries whose lines do not sum to 0 */
	int64_t		 thin;		/* entries with fewer than two lines */
	int64_t		 balances;	/* stored balances unlike the lines */
	int64_t		 line_org;	/* lines filed under another org */
	int64_t		 overdrawn;	/* customer credit used beyond granted */
	int64_t		 doc_gaps;	/* number series with holes */
	int64_t		 doc_entry;	/* documents unlike their journal entry */
	int64_t		 accrual_entry;	/* accrual entries unlike their accruals */
	int64_t		 unbilled;	/* orgs: unbilled balance ≠ open accruals */
	int64_t		 billed;	/* invoices: unbilled moved ≠ accruals closed */
	int64_t		 expired_open;	/* open accruals of ended subscriptions */
	int64_t		 overcredited;	/* invoices credited beyond their total */
	int64_t		 credit_unexplained; /* customer credit without document */
	int64_t		 dates_back;	/* issue dates back against numbers */
};

/* What a count of struct ledger_report means, as verify prints it. */
struct ledger_report_field {
	const char	*label;
	size_t		 offset;	/* of its int64_t in the report */
};

extern const struct ledger_report_field	ledger_report_fields[];
extern const size_t			ledger_report_nfields;

const char	*ledger_account_name(enum ledger_account);
int		 ledger_entry_check(const struct ledger_entry *);
int		 ledger_post(struct db *, const struct ledger_entry *, int64_t *);
int		 ledger_balance(struct db *, int64_t, enum ledger_account,
		    const char *, cents_t *);
int		 ledger_credit_available(struct db *, int64_t, const char *,
		    cents_t *);
int		 ledger_check(struct db *, struct ledger_report *);
int64_t		 ledger_report_count(const struct ledger_report *, size_t);
int		 ledger_report_bad(const struct ledger_report *);
const char	*ledger_strerror(int);

#endif
