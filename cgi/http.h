/* http.h: parsers of outside input (query string, urlencoded body, cookies) with fixed limits, and status codes. */
#ifndef RECKON_HTTP_H
#define RECKON_HTTP_H

#include <stddef.h>

/* Limits, the same as nginx's in conf/nginx.conf.in. */
#define HTTP_MAX_BODY		(64 * 1024)	/* urlencoded body bytes */
#define HTTP_MAX_QUERY		4096		/* query string bytes */
#define HTTP_MAX_FIELDS		64		/* pairs in a query or body */
#define HTTP_MAX_NAME		64		/* bytes of a field name */
#define HTTP_MAX_VALUE		(16 * 1024)	/* bytes of a decoded value */
#define HTTP_MAX_COOKIE		4096		/* bytes of the Cookie header */
#define HTTP_MAX_COOKIES	32		/* cookies in the header */

enum http_status {
	HTTP_OK = 200,
	HTTP_CREATED = 201,
	HTTP_SEE_OTHER = 303,
	HTTP_BAD_REQUEST = 400,
	HTTP_UNAUTHORIZED = 401,
	HTTP_FORBIDDEN = 403,
	HTTP_NOT_FOUND = 404,
	HTTP_METHOD_NOT_ALLOWED = 405,
	HTTP_CONFLICT = 409,
	HTTP_PAYLOAD_TOO_LARGE = 413,
	HTTP_UNSUPPORTED_MEDIA_TYPE = 415,
	HTTP_UNPROCESSABLE = 422,
	HTTP_TOO_MANY_REQUESTS = 429,
	HTTP_INTERNAL = 500,
	HTTP_UNAVAILABLE = 503
};

/* Parser results: 0, or the status to answer with. */
#define HTTP_PARSE_OK	0

struct kv {
	char	*key;	/* decoded, NUL-free */
	char	*val;	/* decoded, NUL-free */
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

int		 http_parse_urlencoded(const char *, size_t, struct kvlist *);
int		 http_parse_cookies(const char *, struct kvlist *);
const char	*http_kv_get(const struct kvlist *, const char *);
size_t		 http_kv_count(const struct kvlist *, const char *);
void		 http_kv_free(struct kvlist *);
const char	*http_status_text(int);

#endif
