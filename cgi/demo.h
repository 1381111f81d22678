/* demo.h: the deterministic demo ledger. */
#ifndef RECKON_DEMO_H
#define RECKON_DEMO_H

#include <stdint.h>

struct db;

#define DEMO_PASSWORD	"demo-password"

int	demo_create(struct db *, int64_t, const char *);

#endif
