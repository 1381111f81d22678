/* apikey.h: keys of the sensors API: created once and shown once, kept as a hash, revoked. */
#ifndef RECKON_APIKEY_H
#define RECKON_APIKEY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct actor;

#define APIKEY_LEN		67	/* "rk_" and 64 lower-case hex */
#define APIKEY_PREFIX_LEN	11	/* shown to people: "rk_" and 8 */
#define APIKEY_HASH_LEN		32	/* BLAKE2b-256 */

/* One key as people see it: never the key itself. */
struct apikey {
	int64_t		 id;
	char		 prefix[APIKEY_PREFIX_LEN + 1];
	int64_t		 created_at;
	char		*created_by;	/* email of who created it */
	int64_t		 revoked_at;	/* 0: active */
};

struct apikey_list {
	struct apikey	*v;
	size_t		 n;
};

int	apikey_valid(const char *);
int	apikey_create(struct db *, int64_t, const struct actor *, char *,
	    size_t);
int	apikey_revoke(struct db *, int64_t, const struct actor *, int64_t);
int	apikey_list(struct db *, int64_t, struct apikey_list *);
void	apikey_list_free(struct apikey_list *);
int	apikey_check(struct db *, const char *, int64_t *);
int	apikey_rate(struct db *, const char *, int64_t, int64_t, int64_t *);

#endif
