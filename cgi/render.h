/* render.h: HDF helpers, template rendering, redirects and the one error page. */
#ifndef RECKON_RENDER_H
#define RECKON_RENDER_H

#include <stdint.h>

#include <ClearSilver.h>

#include "money.h"
#include "util.h"

struct req;
struct config;

/* Seconds a 503 ("busy, or cannot save now") asks the client to wait. */
#define RENDER_RETRY_AFTER	30

int	render_nerr(const char *, NEOERR *);
int	render_hdf_new(const struct config *, HDF **);
HDF	*hdf_row(HDF *, const char *, size_t);
int	hdf_put(HDF *, const char *, const char *, ...) PRINTF_LIKE(3, 4);
int	hdf_put_int(HDF *, int64_t, const char *, ...) PRINTF_LIKE(3, 4);
int	hdf_put_money(HDF *, cents_t, const char *, const char *, ...)
	    PRINTF_LIKE(4, 5);
int	hdf_put_date(HDF *, int64_t, const char *, ...) PRINTF_LIKE(3, 4);
int	render_redirect(struct req *, const char *);
int	render_session(struct req *, HDF *);
int	render_response(struct req *, HDF *, int, struct buf *);
int	render_string(HDF *, const char *, struct buf *);
void	render_cleanup(void);

#endif
