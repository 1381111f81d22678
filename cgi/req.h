/* req.h: one request: its parsed and typed input, its session, its response. */
#ifndef RECKON_REQ_H
#define RECKON_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "util.h"
#include "valid.h"

struct db;
struct config;
struct session;

enum method {
	M_GET = 0x01,
	M_POST = 0x02,
	M_HEAD = 0x04,
	M_DELETE = 0x08,
	M_OTHER = 0x10
};

/* Every input field of every page: the field table's index. */
enum field_id {
	F_EMAIL,		/* login */
	F_PASSWORD,		/* login */
	F_CSRF,			/* every POST */
	F_NEXT,			/* login: where to go afterwards */
	F_FORM_TOKEN,		/* every state-changing form: applied once */
	F_ACCOUNT_EMAIL,	/* details */
	F_INVOICE_EMAIL,	/* details */
	F_CC_EMAIL,		/* details: the CC list, repeated */
	F_CC_NEW,		/* details: a CC to add */
	F_REMOVE_CC,		/* details: the CC to remove, by index */
	F_BILLING_NAME,		/* details */
	F_ADDRESS1,		/* details */
	F_ADDRESS2,		/* details */
	F_CITY,			/* details */
	F_POSTAL_CODE,		/* details */
	F_REGION,		/* details */
	F_COUNTRY,		/* details */
	F_VAT_NUMBER,		/* details */
	F_PO_REFERENCE,		/* details */
	F_BUYER_REFERENCE,	/* details: BT-10 of the e-invoices */
	F_PROCESSOR_TOKEN,	/* payment methods: the processor's token */
	F_PAYMENT_METHOD_ID,	/* payment methods */
	F_BEFORE,		/* paging: rows before this id */
	F_DONE,			/* after a redirect: what was done */
	F_ADD_CC,		/* details: the "Add CC" button */
	F_PERIOD,		/* receipts: a month, YYYY-MM */
	F_YEAR,			/* receipts: a year, YYYY */
	F_API_KEY_ID,		/* details: the sensors API key to revoke */
	F_SUBSCRIPTION_ID,	/* cancel, resume, reactivate; the overview's flash */
	F_DOCUMENT_ID,		/* the overview's flash after a reactivation */
	F_AS_OF,		/* plan change, sync: the quote's time (sealed) */
	F_CREDIT,		/* sensor sync: the previewed credit, minor units */
	F_PLAN_ID,		/* plan change: the new plan */
	F_QUANTITY,		/* plan change: the new quantity */
	F_VERSION,		/* plan change: the subscription's version quoted */
	F_SEAL,			/* plan change, sync: the server's seal of the quote */
	F__MAX
};

#define FF_EMPTY_ABSENT	0x01	/* an empty value counts as not sent */
#define FF_TEXT		0x02	/* text a person types: checked for a card
				   number with its neighbours too */
#define FF_BODY		0x04	/* taken from the body only, never a query */

struct field_def {
	const char	*name;
	int		(*valid)(struct field *);
	unsigned	 flags;
	unsigned	 max;		/* > 1: may repeat up to max times */
};

/* The values of a repeatable field, in order; invalid ones untyped. */
struct field_list {
	struct field	*v;
	size_t		 n;
	int		 bad;		/* an invalid value */
	int		 over;		/* more than the field's max */
};

extern const struct field_def field_defs[F__MAX];
unsigned	 req_field_flags(const char *);

/* Returns one of these from a getter of CGI/FastCGI parameters. */
typedef const char *(*req_param_fn)(void *, const char *);

struct req {
	/* input */
	enum method	 method;
	char		*path;		/* decoded PATH_INFO, owned */
	struct kvlist	 query;
	struct kvlist	 form;
	struct kvlist	 cookies;
	struct field	 field[F__MAX];	/* valid, typed values */
	struct field	 bad[F__MAX];	/* present but refused: raw kept */
	struct field_list list[F__MAX];	/* repeatable fields */
	const char	*remote_addr;	/* borrowed from the params */
	int		 https;
	int64_t		 now;
	int		 parse_status;	/* 0, or 400/413 from the parsers */
	int		 api;		/* a /api/ path: errors answer JSON */
	const char	*json;		/* an application/json body, borrowed */
	size_t		 jsonlen;
	const char	*content_type;	/* CONTENT_TYPE, borrowed; NULL if none */
	const char	*authorization;	/* HTTP_AUTHORIZATION, borrowed */
	const char	*host;		/* HTTP_HOST, borrowed; NULL if none */
	const char	*origin;	/* HTTP_ORIGIN, borrowed; NULL if none */
	const char	*fetch_site;	/* HTTP_SEC_FETCH_SITE, borrowed */
	/* context, borrowed */
	struct db	*db;
	const struct config *cfg;
	struct session	*sess;		/* owned; NULL if not signed in */
	const char	*route;		/* the route's pattern, static; for the
					   log line, which never has the path */
	int64_t		 org_id;	/* the organization of the API key
					   (else the session's), for the log */
	/* response */
	const char	*tmpl;		/* template to render, static */
	const char	*error_msg;	/* fixed text for the error page */
	char		*location;	/* 303 target, owned */
	struct buf	 headers;	/* extra header lines, CRLF-ended */
	const char	*ctype;		/* blob responses: content type */
	struct buf	 blob;		/* blob responses: the bytes */
};

void			 req_init(struct req *, struct db *,
			    const struct config *, int64_t);
void			 req_parse(struct req *, req_param_fn, void *,
			    const char *, size_t);
const struct field	*req_field(const struct req *, enum field_id);
const char		*req_bad_raw(const struct req *, enum field_id);
const struct field_list	*req_list(const struct req *, enum field_id);
const char		*req_cookie(const struct req *, const char *);
void			 req_header(struct req *, const char *, ...)
			    PRINTF_LIKE(2, 3);
void			 req_free(struct req *);

#endif
