/* form.h: one-time form tokens, so a double submit or a retried POST applies once. */
#ifndef RECKON_FORM_H
#define RECKON_FORM_H

#include <ClearSilver.h>

struct req;

int	form_token_new(HDF *);
int	form_replayed(struct req *);
int	form_token_spend(struct req *, const char *);
int	form_field(HDF *, const char *, const char *, const char *);

#endif
