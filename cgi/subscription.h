/* subscription.h: cancel renewal, take the cancellation back, reactivate an expired subscription. */
#ifndef RECKON_SUBSCRIPTION_H
#define RECKON_SUBSCRIPTION_H

#include <stdint.h>

struct db;
struct actor;
struct subscription;

enum sub_rc {
	SUB_OK,
	SUB_NOTFOUND,		/* not the organization's */
	SUB_STATE,		/* not in a state that allows it */
	SUB_DB
};

int64_t	sub_effective(const struct subscription *, int64_t);
void	sub_reactivated_period(const struct subscription *, int64_t,
	    int64_t *, int64_t *);
int	sub_cancel_date(int64_t, int64_t, int64_t *);
int	sub_cancel(struct db *, int64_t, const struct actor *, int64_t,
	    int64_t *);
int	sub_resume(struct db *, int64_t, const struct actor *, int64_t);
int	sub_reactivate(struct db *, int64_t, const struct actor *, int64_t,
	    const char *, int64_t *, int64_t *, int64_t *);

#endif
