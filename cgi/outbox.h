/* outbox.h: messages queued for delivery, each at most once. */
#ifndef RECKON_OUTBOX_H
#define RECKON_OUTBOX_H

#include <stdint.h>

struct db;

int	outbox_queue(struct db *, int64_t, const char *, const char *,
	    const char *, const char *, const char *, int64_t, int64_t);

#endif
