/* chain.h: each issued document sealed by a hash chained through its series. */
#ifndef RECKON_CHAIN_H
#define RECKON_CHAIN_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct document;

/* A SHA-256 in lower-case hex, NUL-terminated. */
#define CHAIN_HEX	65

/* What chain_verify found; documents == sealed and bad == 0 means sound. */
struct chain_report {
	int64_t		 documents;	/* documents issued */
	int64_t		 sealed;	/* of them, with a seal */
	int64_t		 bad;		/* whose content or chain differs */
	char		 first[32];	/* the first of those, by series */
	char		 why[160];	/* what differs about it */
};

/* The head of one series: its last document and seal. */
struct chain_head {
	char		 kind[16];	/* "invoice", "credit_note" */
	int64_t		 year;
	int64_t		 seq;
	char		 number[32];
	char		 hash[CHAIN_HEX];
};

void	chain_digest(const struct document *, const char *, char *);
int	chain_seal(struct db *, int64_t);
int	chain_seal_missing(struct db *, int64_t *);
int	chain_get(struct db *, int64_t, char *);
int	chain_verify(struct db *, struct chain_report *);
int	chain_heads(struct db *, struct chain_head **, size_t *);

#endif
