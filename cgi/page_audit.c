/* page_audit.c: the audit log of billing changes, for owners. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>

#include "audit.h"
#include "db.h"
#include "http.h"
#include "pages.h"
#include "render.h"
#include "req.h"
#include "session.h"
#include "util.h"

#define AUDIT_PAGE	25

/*
 * GET /billing/audit (owner)
 * Fields: F_BEFORE (optional: show rows older than this id).
 * Renders audit.cs, newest first, AUDIT_PAGE rows a page, paged by id
 * (no OFFSET scans).
 */
int
page_audit(struct req *r, HDF *hdf)
{
	const struct field	*before = req_field(r, F_BEFORE);
	struct audit_list	 l;
	char			 when[32], url[64];
	size_t			 i;
	int			 rc;

	if ((rc = db_begin_read(r->db)) != DB_OK)
		return page_db_status(r, rc);
	rc = audit_list(r->db, r->sess->org_id, before ? before->u.i : 0,
	    AUDIT_PAGE + 1, &l);
	db_rollback(r->db);
	if (rc != DB_OK) {
		audit_list_free(&l);
		return page_db_status(r, rc);
	}
	rc = -1;
	for (i = 0; i < l.n && i < AUDIT_PAGE; i++) {
		util_time_fmt(l.v[i].at, "%Y-%m-%d %H:%M:%S UTC", when,
		    sizeof(when));
		if (hdf_put(hdf, when, "Audit.%zu.At", i) ||
		    hdf_put(hdf, l.v[i].actor, "Audit.%zu.Actor", i) ||
		    hdf_put(hdf, l.v[i].addr, "Audit.%zu.Addr", i) ||
		    hdf_put(hdf, l.v[i].action, "Audit.%zu.Action", i) ||
		    hdf_put(hdf, l.v[i].old_value, "Audit.%zu.Old", i) ||
		    hdf_put(hdf, l.v[i].new_value, "Audit.%zu.New", i))
			goto out;
	}
	if (l.n > AUDIT_PAGE) {
		snprintf(url, sizeof(url), "/billing/audit?before=%lld",
		    (long long)l.v[AUDIT_PAGE - 1].id);
		if (hdf_put(hdf, url, "Page.NextUrl"))
			goto out;
	}
	if (before != NULL && hdf_put(hdf, "/billing/audit", "Page.FirstUrl"))
		goto out;
	if (hdf_put(hdf, "Audit log", "Page.Title"))
		goto out;
	r->tmpl = "audit.cs";
	rc = HTTP_OK;
out:
	audit_list_free(&l);
	return rc;
}
