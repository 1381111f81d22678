/* pages.h: every HTTP handler, for route.c's table. */
#ifndef RECKON_PAGES_H
#define RECKON_PAGES_H

#include <ClearSilver.h>

struct req;

/* A handler: returns an HTTP status, or -1 for an internal error. */
typedef int (*page_fn)(struct req *, HDF *);

int	page_login(struct req *, HDF *);
int	page_logout(struct req *, HDF *);
int	page_root(struct req *, HDF *);
int	page_billing_overview(struct req *, HDF *);
int	page_details(struct req *, HDF *);
int	page_details_save(struct req *, HDF *);
int	page_payment_list(struct req *, HDF *);
int	page_payment_add(struct req *, HDF *);
int	page_payment_default(struct req *, HDF *);
int	page_payment_remove(struct req *, HDF *);
int	page_audit(struct req *, HDF *);

int	page_db_status(const struct req *, int);

#endif
