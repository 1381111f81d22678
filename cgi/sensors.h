/* sensors.h: deployed sensors and the subscription: deploy, remove, synchronize. */
#ifndef RECKON_SENSORS_H
#define RECKON_SENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "accrual.h"
#include "money.h"

struct db;
struct actor;

/* The most units one subscription holds (as plan_quote allows). */
#define SENSOR_UNITS_MAX	100000

enum sensor_rc {
	SENSOR_OK,
	SENSOR_ALREADY,		/* deployed (or removed) already: nothing to do */
	SENSOR_UNKNOWN_TYPE,	/* no such sensor type */
	SENSOR_NO_SUBSCRIPTION,	/* no active subscription covers the type */
	SENSOR_NOT_FOUND,	/* no such sensor */
	SENSOR_TOO_MANY,	/* beyond SENSOR_UNITS_MAX on one subscription */
	SENSOR_DB		/* see db->last_rc */
};

struct deploy_result {
	int64_t		 sensor_id;
	int64_t		 units_added;	/* to the subscription: 0 or 1 */
	int64_t		 subscription_id;
	cents_t		 amount;	/* the prorated charge, net */
	cents_t		 tax;		/* its VAT, as its invoice line gets it */
	char		 currency[4];
	int		 invoiced_now;	/* annual plan: invoiced at once */
	int64_t		 document_id;	/* that invoice */
	int64_t		 charge_id;	/* what it leaves to charge, 0 if none */
};

/* What reducing one subscription to the deployed count would credit. */
struct sync_line {
	int64_t		 sub_id;
	int64_t		 version;	/* the subscription's, previewed */
	char		 product[256];
	int		 annual;
	int64_t		 subscribed;	/* the subscription's quantity now */
	int64_t		 deployed;	/* the type's deployed sensors */
	int64_t		 reduce;	/* units to remove from it */
	cents_t		 unit_price;
	char		 currency[4];
	int64_t		 remaining;	/* seconds left in its period */
	int64_t		 period;	/* seconds in its period */
	cents_t		 credit;	/* unit × reduce × remaining / period */
	struct giveback	 gb;		/* how the credit is given back */
};

struct sync_plan {
	struct sync_line	*v;
	size_t			 n;
	cents_t			 credit;	/* given back, net of VAT */
	cents_t			 credit_tax;	/* the VAT credit notes give back */
	cents_t			 unbacked;	/* unused time never invoiced */
	char			 currency[4];
	int64_t			 as_of;
};

int	sensor_deploy(struct db *, int64_t, const struct actor *, const char *,
	    const char *, int64_t, struct deploy_result *);
int	sensor_remove(struct db *, int64_t, const char *, int64_t);
int	sync_preview(struct db *, int64_t, int64_t, struct sync_plan *);
void	sync_plan_free(struct sync_plan *);
int	sync_apply(struct db *, int64_t, const struct actor *,
	    const struct sync_plan *, const char *);

#endif
