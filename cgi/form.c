/* form.c: one-time form tokens: the first POST carrying one is applied, a repeat gets the same redirect. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "form.h"
#include "render.h"
#include "req.h"
#include "session.h"
#include "util.h"

/* Tokens are remembered this long: a browser retries within minutes. */
#define FORM_TOKEN_KEEP	(7 * 86400)

/* Put a fresh one-time token under Form.Token.  Returns 0 or -1. */
int
form_token_new(HDF *hdf)
{
	char	 tok[SESSION_TOKEN_LEN + 1];

	util_random_hex(tok, sizeof(tok));
	return hdf_put(hdf, tok, "Form.Token");
}

/*
 * Inside the handler's write transaction, before applying anything:
 * whether this form's token was spent already.  If so r->location is
 * set to where the first submission went and 1 is returned (answer
 * 303, apply nothing).  0 if not spent; HTTP_BAD_REQUEST if the form
 * has no token; -1 on a database failure.
 */
int
form_replayed(struct req *r)
{
	const struct field	*f = req_field(r, F_FORM_TOKEN);
	sqlite3_stmt		*st;
	int			 rc;

	if (f == NULL)
		return HTTP_BAD_REQUEST;
	st = db_stmt(r->db, STMT_FORM_TOKEN_GET);
	if (db_bind(r->db, st, "ti", f->u.s, r->sess->user_id) != DB_OK)
		return -1;
	if ((rc = db_step(r->db, st)) == DB_ROW) {
		free(r->location);
		r->location = db_col_dup(st, 0);
	}
	db_reset(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_OK ? 0 : -1;
}

/*
 * Spend the form's token in the handler's write transaction, recording
 * location as the answer to repeats; forget tokens older than a week.
 * Returns DB_OK or a failure (DB_CONFLICT if it was spent meanwhile).
 */
int
form_token_spend(struct req *r, const char *location)
{
	const struct field	*f = req_field(r, F_FORM_TOKEN);
	sqlite3_stmt		*st;
	int			 rc;

	if (f == NULL)
		return DB_ERROR;
	st = db_stmt(r->db, STMT_FORM_TOKEN_PURGE);
	if ((rc = db_bind(r->db, st, "i", r->now - FORM_TOKEN_KEEP)) !=
	    DB_OK || (rc = db_exec(r->db, st)) != DB_OK)
		return rc;
	st = db_stmt(r->db, STMT_FORM_TOKEN_INSERT);
	if ((rc = db_bind(r->db, st, "titi", f->u.s, r->sess->user_id,
	    location, r->now)) != DB_OK)
		return rc;
	return db_exec(r->db, st);
}

/*
 * Put a form field's sticky value and, if err is not NULL, its error
 * under Form.<name>.Value and Form.<name>.Error.  Returns 0 or -1.
 */
int
form_field(HDF *hdf, const char *name, const char *value, const char *err)
{
	if (value != NULL && hdf_put(hdf, value, "Form.%s.Value", name))
		return -1;
	if (err != NULL && hdf_put(hdf, err, "Form.%s.Error", name))
		return -1;
	return 0;
}
