/* audit.h: the append-only record of who changed which billing detail. */
#ifndef RECKON_AUDIT_H
#define RECKON_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* Who is acting, from where, and when: passed down from a page or reckonctl. */
struct actor {
	int64_t		 user_id;	/* 0: the operator (reckonctl) */
	const char	*email;
	const char	*addr;
	int64_t		 now;
};

struct audit_row {
	int64_t		 id;
	char		*actor;
	char		*addr;
	int64_t		 at;
	char		*action;
	char		*old_value;
	char		*new_value;
};

struct audit_list {
	struct audit_row	*v;
	size_t			 n;
};

int	audit_add(struct db *, int64_t, const struct actor *, const char *,
	    const char *, const char *, int64_t *);
int	audit_list(struct db *, int64_t, int64_t, size_t, struct audit_list *);
void	audit_list_free(struct audit_list *);

#endif
