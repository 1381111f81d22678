/* route.h: the route table and the dispatcher that enforces method, sign-in, role and CSRF. */
#ifndef RECKON_ROUTE_H
#define RECKON_ROUTE_H

#include <ClearSilver.h>

#include "pages.h"
#include "session.h"

struct req;

struct route {
	const char	*path;		/* exact, or with one '*' in a segment */
	unsigned	 methods;	/* M_GET | M_POST ... */
	enum role	 role;		/* the least role allowed */
	page_fn		 fn;
	unsigned	 flags;
};

/* The route is the JSON API: no session or CSRF; the handler checks the key. */
#define R_API	0x01

const struct route	*route_find(const char *, unsigned, unsigned *);
int			 route_dispatch(struct req *, HDF *);

#endif
