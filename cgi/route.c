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
	/* path			methods			role			handler */
	{ "/",			M_GET,			ROLE_ANON,		page_root },
	{ "/login",		M_GET | M_POST,		ROLE_ANON,		page_login },
	{ "/logout",		M_POST,			ROLE_MEMBER,		page_logout },
	{ "/billing",		M_GET,			ROLE_ACCOUNTANT,	page_billing_overview },
};

/* The route for path, or NULL.  A '*' at a pattern's end matches a tail. */
const struct route *
route_find(const char *path)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		n = strlen(routes[i].path);
		if (n > 0 && routes[i].path[n - 1] == '*') {
			if (strncmp(path, routes[i].path, n - 1) == 0 &&
			    path[n - 1] != '\0' &&
			    strchr(path + n - 1, '/') == NULL)
				return &routes[i];
		} else if (strcmp(path, routes[i].path) == 0)
			return &routes[i];
	}
	return NULL;
}

/*
 * Find the route for r->path and enforce its preconditions: the method
 * (405 with Allow), sign-in (a GET goes to /login, anything else is
 * 403), the role (403) and, for every POST, the CSRF token (403).
 * Returns the handler's status, or -1 on an internal error.
 */
int
route_dispatch(struct req *r, HDF *hdf)
{
	const struct route	*rt;
	unsigned		 m;

	if ((rt = route_find(r->path)) == NULL)
		return HTTP_NOT_FOUND;
	m = r->method == M_HEAD ? M_GET : r->method;
	if ((rt->methods & m) == 0) {
		req_header(r, "Allow: %s%s%s",
		    rt->methods & M_GET ? "GET, HEAD" : "",
		    (rt->methods & M_GET) && (rt->methods & M_POST) ? ", " : "",
		    rt->methods & M_POST ? "POST" : "");
		return HTTP_METHOD_NOT_ALLOWED;
	}
	if (rt->role != ROLE_ANON && r->sess == NULL) {
		if (m == M_GET)
			return render_redirect(r, "/login");
		r->error_msg = "Your session has ended. Sign in again, then "
		    "repeat what you were doing.";
		return HTTP_FORBIDDEN;
	}
	if (!session_role_at_least(r->sess, rt->role)) {
		r->error_msg = rt->role == ROLE_ACCOUNTANT ?
		    "Billing is open to owners, billing admins and "
		    "accountants. Ask an owner of your organization if you "
		    "need access." :
		    "Only an owner or a billing admin of your organization "
		    "may do this.";
		return HTTP_FORBIDDEN;
	}
	if (m == M_POST && !session_csrf_ok(r->sess, r)) {
		r->error_msg = "This form has expired or did not come from this "
		    "portal. Go back, reload the page and try again.";
		return HTTP_FORBIDDEN;
	}
	return rt->fn(r, hdf);
}
