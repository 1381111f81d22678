/* route.c: the one route table; the dispatcher checks method, sign-in, role and CSRF for every route. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <string.h>

#include "http.h"
#include "pages.h"
#include "render.h"
#include "req.h"
#include "route.h"
#include "session.h"

static const struct route routes[] = {
	/* path			methods			role			handler, flags */
	{ "/",			M_GET,			ROLE_ANON,		page_root,	0 },
	{ "/login",		M_GET | M_POST,		ROLE_ANON,		page_login,	0 },
	{ "/logout",		M_POST,			ROLE_MEMBER,		page_logout,	0 },
	{ "/billing",		M_GET,			ROLE_ACCOUNTANT,	page_billing_overview,	0 },
	{ "/billing/details",	M_GET,			ROLE_ACCOUNTANT,	page_details,	0 },
	{ "/billing/details",	M_POST,			ROLE_BILLING_ADMIN,	page_details_save,	0 },
	{ "/billing/api-keys",	M_POST,			ROLE_BILLING_ADMIN,	page_api_key_create,	0 },
	{ "/billing/api-keys/revoke", M_POST,		ROLE_BILLING_ADMIN,	page_api_key_revoke,	0 },
	{ "/api/v1/sensors",	M_POST,			ROLE_ANON,		page_api_sensor_deploy,	R_API },
	{ "/api/v1/sensors/*",	M_DELETE,		ROLE_ANON,		page_api_sensor_remove,	R_API },
	{ "/billing/payment-methods", M_GET,		ROLE_ACCOUNTANT,	page_payment_list,	0 },
	{ "/billing/payment-methods", M_POST,		ROLE_BILLING_ADMIN,	page_payment_add,	0 },
	{ "/billing/payment-methods/default", M_POST,	ROLE_BILLING_ADMIN,	page_payment_default,	0 },
	{ "/billing/payment-methods/remove", M_POST,	ROLE_BILLING_ADMIN,	page_payment_remove,	0 },
	{ "/billing/audit",	M_GET,			ROLE_OWNER,		page_audit,	0 },
	{ "/billing/receipts",	M_GET,			ROLE_ACCOUNTANT,	page_receipt_list,	0 },
	{ "/billing/receipts.csv", M_GET,		ROLE_ACCOUNTANT,	page_receipt_csv,	0 },
	{ "/billing/receipts.zip", M_GET,		ROLE_ACCOUNTANT,	page_receipt_zip,	0 },
	{ "/billing/receipts/*.pdf", M_GET,		ROLE_ACCOUNTANT,	page_receipt_pdf,	0 },
	{ "/billing/receipts/*.xml", M_GET,		ROLE_ACCOUNTANT,	page_receipt_xml,	0 },
	{ "/billing/subscriptions/cancel", M_GET,	ROLE_BILLING_ADMIN,	page_subscription_cancel_form,	0 },
	{ "/billing/subscriptions/cancel", M_POST,	ROLE_BILLING_ADMIN,	page_subscription_cancel,	0 },
	{ "/billing/subscriptions/resume", M_POST,	ROLE_BILLING_ADMIN,	page_subscription_resume,	0 },
	{ "/billing/subscriptions/reactivate", M_GET,	ROLE_BILLING_ADMIN,	page_subscription_reactivate_form,	0 },
	{ "/billing/subscriptions/reactivate", M_POST, ROLE_BILLING_ADMIN,	page_subscription_reactivate,	0 },
	{ "/billing/sensors/sync", M_GET,		ROLE_ACCOUNTANT,	page_sync,	0 },
	{ "/billing/sensors/sync", M_POST,		ROLE_BILLING_ADMIN,	page_sync_apply,	0 },
	{ "/billing/pay", M_POST,		ROLE_BILLING_ADMIN,	page_pay_now,	0 },
	{ "/billing/plan",	M_GET,			ROLE_ACCOUNTANT,	page_plan,	0 },
	{ "/billing/plan",	M_POST,			ROLE_BILLING_ADMIN,	page_plan_apply,	0 },
};

/*
 * The route for path and method m, or NULL.  *allowed gets the methods
 * any route of that path takes (0: no such path).  A '*' in a pattern
 * matches one or more characters within a single path segment.
 */
const struct route *
route_find(const char *path, unsigned m, unsigned *allowed)
{
	const struct route	*found = NULL;
	const char		*star, *p;
	size_t			 i, pre, suf, n = strlen(path);

	*allowed = 0;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		p = routes[i].path;
		if ((star = strchr(p, '*')) != NULL) {
			pre = (size_t)(star - p);
			suf = strlen(star + 1);
			if (n <= pre + suf || strncmp(path, p, pre) != 0 ||
			    strcmp(path + n - suf, star + 1) != 0 ||
			    memchr(path + pre, '/', n - pre - suf) != NULL)
				continue;
		} else if (strcmp(path, p) != 0)
			continue;
		*allowed |= routes[i].methods;
		if (found == NULL && (routes[i].methods & m) != 0)
			found = &routes[i];
	}
	return found;
}

/*
 * Find the route for r->path and its method (HEAD is GET) and enforce
 * its preconditions: a path taken by another method only is 405 with
 * Allow; sign-in (a GET goes to /login, anything else is
 * 403), the role (403) and, for every POST, the CSRF token (403).
 * Returns the handler's status, or -1 on an internal error.
 */
int
route_dispatch(struct req *r, HDF *hdf)
{
	const struct route	*rt;
	unsigned		 m, allowed;

	m = r->method == M_HEAD ? M_GET : r->method;
	if ((rt = route_find(r->path, m, &allowed)) != NULL)
		r->route = rt->path;
	else {
		if (allowed == 0)
			return HTTP_NOT_FOUND;
		req_header(r, "Allow: %s%s%s%s",
		    allowed & M_GET ? "GET, HEAD" : "",
		    (allowed & M_GET) && (allowed & (M_POST | M_DELETE)) ?
		    ", " : "",
		    allowed & M_POST ? "POST" : "",
		    allowed & M_DELETE ? (allowed & M_POST ? ", DELETE" :
		    "DELETE") : "");
		return HTTP_METHOD_NOT_ALLOWED;
	}
	if (rt->flags & R_API)
		return rt->fn(r, hdf);	/* authenticated by its API key */
	if (rt->role != ROLE_ANON && r->sess == NULL) {
		if (m == M_GET)
			return render_redirect(r, "/login");
		r->error_msg = "Your session has ended. Sign in again, then "
		    "repeat what you were doing.";
		return HTTP_FORBIDDEN;
	}
	if (!session_role_at_least(r->sess, rt->role)) {
		/* A member has no billing page at all: render.c says who can
		 * help and offers to sign out. */
		r->error_msg = r->sess->role == ROLE_MEMBER ? NULL :
		    rt->role == ROLE_ACCOUNTANT ?
		    "Billing is open to owners, billing admins and "
		    "accountants. Ask an owner of your organization if you "
		    "need access." :
		    "Only an owner or a billing admin of your organization "
		    "may do this.";
		return HTTP_FORBIDDEN;
	}
	if (m == M_POST && (!session_csrf_ok(r->sess, r) ||
	    !session_same_origin(r))) {
		r->error_msg = "This form has expired or did not come from this "
		    "portal. Go back, reload the page and try again.";
		return HTTP_FORBIDDEN;
	}
	return rt->fn(r, hdf);
}
