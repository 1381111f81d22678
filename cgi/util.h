/* util.h: allocation that never returns NULL, and a growable byte buffer. */
#ifndef RECKON_UTIL_H
#define RECKON_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct buf {
	char	*p;	/* NUL-terminated, owned */
	size_t	 len;
	size_t	 cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xasprintf(const char *, ...) PRINTF_LIKE(1, 2);

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...) PRINTF_LIKE(2, 3);
void	 buf_free(struct buf *);

int	 util_hex(const unsigned char *, size_t, char *, size_t);
int	 util_random_hex(char *, size_t);
int	 util_time_fmt(int64_t, const char *, char *, size_t)
	    __attribute__((format(strftime, 2, 0)));
int	 util_time_parse(const char *, int64_t *);
int64_t	 util_month_add(int64_t, int);
int64_t	 util_month_start(int64_t);

#endif
