/* quote.h: quotes sealed by the server, so a confirmation honours exactly what was shown. */
#ifndef RECKON_QUOTE_H
#define RECKON_QUOTE_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* How long a quote is honoured, in seconds. */
#define QUOTE_MAX_AGE	1800
/* A seal: hex, as long as a form token. */
#define QUOTE_SEAL_HEX	64

enum quote_rc {
	QUOTE_OK,
	QUOTE_FORGED,		/* not a seal of these terms */
	QUOTE_EXPIRED,		/* older than QUOTE_MAX_AGE, or in the future */
	QUOTE_DB
};

int	quote_seal(struct db *, const char *, char *, size_t);
int	quote_check(struct db *, const char *, const char *, int64_t, int64_t);

#endif
