/* http.c: our own parsers of the query string, urlencoded body and cookies. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "util.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode len bytes of s ('+' is a space, %XX a byte) into a new string.
 * Returns HTTP_PARSE_OK with *out set (caller frees), HTTP_BAD_REQUEST
 * for a broken escape or a NUL byte, HTTP_PAYLOAD_TOO_LARGE past max.
 */
static int
decode(const char *s, size_t len, size_t max, char **out)
{
	char	*d;
	size_t	 i, n = 0;
	int	 hi, lo;

	*out = NULL;
	d = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			d[n++] = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= len)
				goto bad;
			if ((hi = hexval((unsigned char)s[i + 1])) == -1 ||
			    (lo = hexval((unsigned char)s[i + 2])) == -1)
				goto bad;
			if ((d[n++] = (char)(hi << 4 | lo)) == '\0')
				goto bad;
			i += 2;
		} else if (s[i] == '\0')
			goto bad;
		else
			d[n++] = s[i];
		if (n > max) {
			free(d);
			return HTTP_PAYLOAD_TOO_LARGE;
		}
	}
	d[n] = '\0';
	*out = d;
	return HTTP_PARSE_OK;
bad:
	free(d);
	return HTTP_BAD_REQUEST;
}

static void
kv_push(struct kvlist *l, char *k, char *v)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].key = k;
	l->v[l->n].val = v;
	l->n++;
}

/*
 * Parse len bytes of an application/x-www-form-urlencoded string (a query
 * string or a body) into out, appending.  Empty pairs are skipped; a pair
 * without '=' has an empty value.  Limits: HTTP_MAX_FIELDS pairs, names
 * of 1..HTTP_MAX_NAME bytes, values of HTTP_MAX_VALUE bytes.
 * Returns HTTP_PARSE_OK, HTTP_BAD_REQUEST (malformed) or
 * HTTP_PAYLOAD_TOO_LARGE (a limit); on failure out is emptied.
 */
int
http_parse_urlencoded(const char *s, size_t len, struct kvlist *out)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	char		*k, *v;
	int		 rc;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (out->n >= HTTP_MAX_FIELDS) {
			rc = HTTP_PAYLOAD_TOO_LARGE;
			goto fail;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (eq == p) {
			rc = HTTP_BAD_REQUEST;
			goto fail;
		}
		if ((rc = decode(p, (size_t)(eq - p), HTTP_MAX_NAME, &k)) != 0)
			goto fail;
		if (eq == amp)
			v = xstrdup("");
		else if ((rc = decode(eq + 1, (size_t)(amp - eq - 1),
		    HTTP_MAX_VALUE, &v)) != 0) {
			free(k);
			goto fail;
		}
		kv_push(out, k, v);
		p = amp;
	}
	return HTTP_PARSE_OK;
fail:
	http_kv_free(out);
	return rc;
}

/*
 * Parse a Cookie header ("a=b; c=d") into out.  Values are taken as
 * they are (no decoding); a pair without '=' is skipped.  Limits:
 * HTTP_MAX_COOKIE bytes, HTTP_MAX_COOKIES pairs, names of
 * HTTP_MAX_NAME bytes.  Returns HTTP_PARSE_OK or HTTP_BAD_REQUEST (as
 * nginx answers an oversized cookie); on failure out is emptied.
 */
int
http_parse_cookies(const char *s, struct kvlist *out)
{
	const char	*p = s, *semi, *eq, *ke, *vs, *ve;
	char		*k, *v;

	if (strlen(s) > HTTP_MAX_COOKIE) {
		http_kv_free(out);
		return HTTP_BAD_REQUEST;
	}
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		if ((semi = strchr(p, ';')) == NULL)
			semi = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(semi - p))) == NULL) {
			p = semi;
			continue;
		}
		ke = eq;
		while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		vs = eq + 1;
		while (vs < semi && (*vs == ' ' || *vs == '\t'))
			vs++;
		ve = semi;
		while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (ke == p || (size_t)(ke - p) > HTTP_MAX_NAME ||
		    out->n >= HTTP_MAX_COOKIES) {
			http_kv_free(out);
			return HTTP_BAD_REQUEST;
		}
		k = xmalloc((size_t)(ke - p) + 1);
		memcpy(k, p, (size_t)(ke - p));
		k[ke - p] = '\0';
		v = xmalloc((size_t)(ve - vs) + 1);
		memcpy(v, vs, (size_t)(ve - vs));
		v[ve - vs] = '\0';
		kv_push(out, k, v);
		p = semi;
	}
	return HTTP_PARSE_OK;
}

/* The value of the first pair named key, borrowed; NULL if none. */
const char *
http_kv_get(const struct kvlist *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

/* How many pairs are named key. */
size_t
http_kv_count(const struct kvlist *l, const char *key)
{
	size_t	 i, n = 0;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			n++;
	return n;
}

/* Free every pair of l and empty it. */
void
http_kv_free(struct kvlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The reason phrase of a status we send. */
const char *
http_status_text(int status)
{
	switch (status) {
	case HTTP_OK:			return "OK";
	case HTTP_SEE_OTHER:		return "See Other";
	case HTTP_BAD_REQUEST:		return "Bad Request";
	case HTTP_UNAUTHORIZED:		return "Unauthorized";
	case HTTP_FORBIDDEN:		return "Forbidden";
	case HTTP_NOT_FOUND:		return "Not Found";
	case HTTP_METHOD_NOT_ALLOWED:	return "Method Not Allowed";
	case HTTP_CONFLICT:		return "Conflict";
	case HTTP_CREATED:		return "Created";
	case HTTP_PAYLOAD_TOO_LARGE:	return "Payload Too Large";
	case HTTP_UNSUPPORTED_MEDIA_TYPE: return "Unsupported Media Type";
	case HTTP_UNPROCESSABLE:	return "Unprocessable Content";
	case HTTP_TOO_MANY_REQUESTS:	return "Too Many Requests";
	case HTTP_UNAVAILABLE:		return "Service Unavailable";
	default:			return "Internal Server Error";
	}
}
