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
int	page_receipt_list(struct req *, HDF *);
int	page_receipt_csv(struct req *, HDF *);
int	page_receipt_zip(struct req *, HDF *);
int	page_receipt_pdf(struct req *, HDF *);
int	page_receipt_xml(struct req *, HDF *);
int	page_subscription_cancel_form(struct req *, HDF *);
int	page_subscription_cancel(struct req *, HDF *);
int	page_subscription_resume(struct req *, HDF *);
int	page_subscription_reactivate_form(struct req *, HDF *);
int	page_subscription_reactivate(struct req *, HDF *);
int	page_sync(struct req *, HDF *);
int	page_sync_apply(struct req *, HDF *);
int	page_pay_now(struct req *, HDF *);
int	page_plan(struct req *, HDF *);
int	page_plan_apply(struct req *, HDF *);
int	page_plan_flash(struct req *, char *, size_t);

int	page_db_status(const struct req *, int);

/* The sensors API and its keys (page_api.c). */
int	page_api_sensor_deploy(struct req *, HDF *);
int	page_api_sensor_remove(struct req *, HDF *);
int	page_api_key_create(struct req *, HDF *);
int	page_api_key_revoke(struct req *, HDF *);
int	page_api_keys_put(struct req *, HDF *);

/* The body of POST /api/v1/sensors, as page_api_sensor_body reads it. */
struct sensor_body {
	char	 id[65];	/* 1-64 of [A-Za-z0-9._-] */
	char	 type[33];	/* a product code: 1-32 of [a-z0-9_-] */
};

enum sensor_body_rc {
	SB_OK,
	SB_SYNTAX,		/* not JSON, or a member twice */
	SB_NOT_OBJECT,		/* not a JSON object */
	SB_MEMBER,		/* a member other than id and type */
	SB_NOT_STRING,		/* id or type not a string */
	SB_MISSING,		/* id or type absent */
	SB_BAD_ID,		/* id not 1-64 of [A-Za-z0-9._-] */
	SB_BAD_TYPE		/* type not 1-32 of [a-z0-9_-] */
};

int	page_api_sensor_body(const char *, size_t, struct sensor_body *);
int	page_api_sensor_id_valid(const char *);
int	page_api_sensor_type_valid(const char *);

#endif
