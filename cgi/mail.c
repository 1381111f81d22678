/* mail.c: the outbox delivered: RFC 5322 + MIME messages sent by SMTP. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
/*
 * Delivery is at most once, with one window.  For each due message a
 * runner (1) claims it in a write transaction (a lease: not due for
 * others for MAIL_LEASE seconds), (2) composes it and talks SMTP outside
 * any transaction, (3) records the outcome in a write transaction of
 * its own: sent_at when the relay answered 250 to the end of DATA,
 * otherwise attempts + 1, last_error and the next attempt, backing off
 * from 1 minute to at most 6 hours.  A message is never given up.
 *
 * The window: if the process dies (or the database refuses the commit)
 * after the relay accepted a message and before step 3 commits, the
 * message is due again when its lease ends and is sent a second time.
 * Both copies carry the same Message-ID (derived from the outbox row's
 * idempotency key), so mail systems that drop duplicates drop it.
 * Nothing else sends a message twice; nothing loses one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "db.h"
#include "invoice.h"
#include "mail.h"
#include "pdf_receipt.h"
#include "util.h"

#define MAIL_CONNECT_TIMEOUT	10	/* seconds, if the config says 0 */
#define MAIL_TIMEOUT		60
#define MAIL_LINE_SOFT		78	/* header lines fold before this */
#define MAIL_QP_LINE		76	/* quoted-printable line, with '=' */
#define MAIL_SUBJECT_MAX	900	/* bytes of subject before encoding */
#define MAIL_ERROR_MAX		256	/* bytes of last_error kept */

/* An outbox row as read back, the strings owned. */
struct mail_row {
	int64_t		 id;
	int64_t		 org_id;
	char		*idem_key;
	char		*kind;
	char		*to_addr;
	char		*subject;
	char		*body;
	int64_t		 document_id;
	int64_t		 created_at;
	int64_t		 attempts;
};

/* The bytes curl reads as the message. */
struct mail_reader {
	const char	*p;
	size_t		 len;
	size_t		 off;
};

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * Whether s (borrowed) is an address mail_compose puts in a header and
 * an SMTP envelope as it is: ASCII local@domain, at most 254 bytes, the
 * local part of RFC 5322 atext and dots, the domain of letters, digits,
 * '-' and dots; no spaces, no controls, no angle brackets, no quotes.
 * Returns 1 if it is, else 0.
 */
int
mail_addr_ok(const char *s)
{
	const char	*at, *p;
	size_t		 n = strlen(s);

	if (n < 3 || n > 254 || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL || at == s || at[1] == '\0')
		return 0;
	for (p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') ||
		    strchr(".!#$%&'*+-/=?^_`{|}~", *p) != NULL))
			return 0;
	for (p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return s[0] != '.' && at[-1] != '.' && at[1] != '.' &&
	    s[n - 1] != '.' && strstr(s, "..") == NULL;
}

/*
 * Whether s is valid UTF-8 (shortest forms, no surrogates) without
 * control characters: no CR, no LF, nothing below 0x20, no DEL.
 * Sets *ascii to whether every byte is below 0x80.
 */
static int
text_ok(const char *s, int *ascii)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 c, min;
	int			 n, i;

	*ascii = 1;
	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		*ascii = 0;
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			c = *p & 0x1f;
			min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			c = *p & 0x0f;
			min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			c = *p & 0x07;
			min = 0x10000;
		} else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[i] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		if (c >= 0x80 && c < 0xa0)	/* C1 controls */
			return 0;
		p += n + 1;
	}
	return 1;
}

/* Whether s is an attachment file name: 1 to 64 of [A-Za-z0-9._-]. */
static int
filename_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (n >= 64 || !((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		    s[n] == '_' || s[n] == '-'))
			return 0;
	return n > 0 && s[0] != '.';
}

/*
 * Append p[0..n) to b in base64: with wrap, in lines of 76 characters
 * each ending in CRLF; without, on the current line.
 */
static void
base64_add(struct buf *b, const unsigned char *p, size_t n, int wrap)
{
	char	 q[4];
	size_t	 i, col = 0;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64[(v >> 18) & 0x3f];
		q[1] = b64[(v >> 12) & 0x3f];
		q[2] = i + 1 < n ? b64[(v >> 6) & 0x3f] : '=';
		q[3] = i + 2 < n ? b64[v & 0x3f] : '=';
		buf_add(b, q, 4);
		if (wrap && (col += 4) == 76) {
			buf_puts(b, "\r\n");
			col = 0;
		}
	}
	if (wrap && col > 0)
		buf_puts(b, "\r\n");
}

/*
 * Append "Subject:" and s to b, ending in CRLF.  Printable ASCII goes
 * as it is, folded before a space where a line would pass 78 columns;
 * anything else (or text that looks like an encoded word) as RFC 2047
 * encoded words "=?UTF-8?B?...?=" of at most 42 bytes of whole UTF-8
 * characters each (at most 68 columns), one per line.  s was checked
 * by text_ok, which set ascii.
 */
static void
header_subject(struct buf *b, const char *s, int ascii)
{
	const char	*p, *q;
	size_t		 col, n, k;
	int		 word = 1;	/* the line holds more than spaces */

	buf_puts(b, "Subject:");
	if (ascii && strlen(s) <= MAIL_SUBJECT_MAX && strstr(s, "=?") == NULL) {
		buf_puts(b, " ");
		col = strlen("Subject: ");
		for (p = s; *p != '\0'; p = q) {
			/* one segment: a space (or the start), then a word */
			q = p + (*p == ' ');
			q += strcspn(q, " ");
			n = (size_t)(q - p);
			if (*p == ' ' && word && col + n > MAIL_LINE_SOFT) {
				buf_puts(b, "\r\n");
				col = 0;
				word = 0;
			}
			buf_add(b, p, n);
			col += n;
			word |= n > (size_t)(*p == ' ');
		}
		buf_puts(b, "\r\n");
		return;
	}
	for (p = s; *p != '\0'; p += n) {
		/* whole characters, at most 42 bytes (56 in base64) */
		for (n = 0; p[n] != '\0'; n += k) {
			for (k = 1; (p[n + k] & 0xc0) == 0x80; k++)
				;
			if (n + k > 42)
				break;
		}
		buf_puts(b, p == s ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?");
		base64_add(b, (const unsigned char *)p, n, 0);
		buf_puts(b, "?=");
	}
	buf_puts(b, "\r\n");
}

/*
 * Whether quoted-printable encodes byte c: '=', bytes outside printable
 * ASCII (tab aside), a space or tab ending a line, a '.' starting one
 * (a line of just "." would end the SMTP data).
 */
static int
qp_enc(unsigned char c, int first, int last)
{
	return c == '=' || c > 126 || (c < 32 && c != '\t') ||
	    ((c == ' ' || c == '\t') && last) || (c == '.' && first);
}

static void
qp_put(struct buf *b, unsigned char c, int enc)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 e[3];

	if (!enc) {
		buf_add(b, &c, 1);
		return;
	}
	e[0] = '=';
	e[1] = hex[c >> 4];
	e[2] = hex[c & 0xf];
	buf_add(b, e, 3);
}

/*
 * Append body to b in quoted-printable (RFC 2045): "\n" and "\r\n"
 * become CRLF; a longer line is cut with soft breaks into lines of at
 * most 76 characters, after a space where one is near, so the raw
 * text stays readable.  Each line ends in CRLF.
 */
static void
body_qp(struct buf *b, const char *body)
{
	const unsigned char	*s = (const unsigned char *)body;
	const unsigned char	*e, *next, *p, *cut, *sp;
	size_t			 col, w;

	while (*s != '\0') {
		/* a line [s, e), then "\n", "\r\n" or the end */
		e = s + strcspn((const char *)s, "\n");
		next = *e == '\n' ? e + 1 : e;
		if (e > s && e[-1] == '\r')
			e--;
		while (s < e) {
			/* what fits before a soft break (the last: 76) */
			col = 0;
			sp = NULL;
			for (p = s; p < e; p++) {
				w = qp_enc(*p, p == s, p + 1 == e) ? 3 : 1;
				if (col + w > (p + 1 == e ? MAIL_QP_LINE :
				    MAIL_QP_LINE - 1))
					break;
				col += w;
				if (*p == ' ' || *p == '\t')
					sp = p;
			}
			cut = p < e && sp != NULL && sp - s >= 20 ? sp + 1 : p;
			for (p = s; p < cut; p++)
				qp_put(b, *p, qp_enc(*p, p == s, p + 1 == e));
			if (cut < e)
				buf_puts(b, "=\r\n");
			s = cut;
		}
		buf_puts(b, "\r\n");
		s = next;
	}
}

/*
 * Append the RFC 5322 date of t (UTC) to b: "Tue, 01 Dec 2026 00:00:01
 * +0000", in English whatever the locale.  Returns 0, or -1 if t is
 * out of range.
 */
static int
header_date(struct buf *b, int64_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (t < 0 || gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/*
 * Write the Message-ID of m, "<32 hex digits@reckon.invalid>", into
 * out (outsz >= 50): a hash of the message's idempotency key, creation
 * time and organization, so every attempt to deliver one outbox row
 * carries the same id, and rows of other installations (or other rows)
 * do not.  Returns 0, or -1 if out is too small.
 */
int
mail_message_id(const struct outbox_msg *m, char *out, size_t outsz)
{
	crypto_generichash_state	 h;
	unsigned char			 d[16];
	char				 hex[33], num[64];
	int				 n;

	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	crypto_generichash_update(&h, (const unsigned char *)"reckon-mail\n",
	    strlen("reckon-mail\n"));
	crypto_generichash_update(&h, (const unsigned char *)m->idem_key,
	    strlen(m->idem_key) + 1);
	n = snprintf(num, sizeof(num), "%lld %lld", (long long)m->created_at,
	    (long long)m->org_id);
	crypto_generichash_update(&h, (const unsigned char *)num, (size_t)n);
	crypto_generichash_final(&h, d, sizeof(d));
	util_hex(d, sizeof(d), hex, sizeof(hex));
	n = snprintf(out, outsz, "<%s@reckon.invalid>", hex);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/*
 * Compose m (borrowed) as an RFC 5322 + MIME message from the address
 * from, with CRLF line ends: From, To, Subject (RFC 2047 when not
 * ASCII), Date (m->created_at), Message-ID (mail_message_id),
 * MIME-Version, Auto-Submitted; the body as text/plain; charset=utf-8,
 * quoted-printable.  With pdf (borrowed, may be NULL) the message is
 * multipart/mixed and the PDF follows in base64 as an attachment named
 * m->attach_name ("document.pdf" if NULL).  The same arguments always
 * give the same bytes.
 * On success appends the message to out (the caller's, buf_free) and
 * returns 0.  Returns -1 (logged) and leaves out as it was if a header
 * would be unsafe: an address that is not a plain local@domain, a
 * subject with CR, LF or other control characters or not UTF-8, a bad
 * attachment name, a date out of range.
 */
int
mail_compose(const struct outbox_msg *m, const struct buf *pdf,
    const char *from, struct buf *out)
{
	struct buf	 b;
	char		 mid[64], boundary[48];
	const char	*name;
	int		 ascii, rc = -1;

	memset(&b, 0, sizeof(b));
	name = m->attach_name != NULL ? m->attach_name : "document.pdf";
	if (!mail_addr_ok(from)) {
		log_warnx("%s: message %lld: refused From address", __func__,
		    (long long)m->id);
		goto out;
	}
	if (!mail_addr_ok(m->to_addr)) {
		log_warnx("%s: message %lld: refused To address", __func__,
		    (long long)m->id);
		goto out;
	}
	if (!text_ok(m->subject, &ascii) || m->subject[0] == '\0') {
		log_warnx("%s: message %lld: refused subject (empty, control "
		    "characters or not UTF-8)", __func__, (long long)m->id);
		goto out;
	}
	if (pdf != NULL && !filename_ok(name)) {
		log_warnx("%s: message %lld: refused attachment name",
		    __func__, (long long)m->id);
		goto out;
	}
	if (mail_message_id(m, mid, sizeof(mid)) == -1)
		goto out;

	buf_printf(&b, "From: %s\r\n", from);
	buf_printf(&b, "To: %s\r\n", m->to_addr);
	header_subject(&b, m->subject, ascii);
	if (header_date(&b, m->created_at) == -1) {
		log_warnx("%s: message %lld: date out of range", __func__,
		    (long long)m->id);
		goto out;
	}
	buf_printf(&b, "Message-ID: %s\r\n", mid);
	buf_puts(&b, "MIME-Version: 1.0\r\n");
	buf_puts(&b, "Auto-Submitted: auto-generated\r\n");
	if (pdf == NULL) {
		buf_puts(&b, "Content-Type: text/plain; charset=utf-8\r\n");
		buf_puts(&b, "Content-Transfer-Encoding: quoted-printable\r\n");
		buf_puts(&b, "\r\n");
		body_qp(&b, m->body);
	} else {
		/*
		 * "=_" never occurs in quoted-printable or base64 text, so
		 * the boundary cannot occur in the parts.
		 */
		snprintf(boundary, sizeof(boundary), "=_reckon_%.24s",
		    mid + 1);
		buf_printf(&b, "Content-Type: multipart/mixed; "
		    "boundary=\"%s\"\r\n", boundary);
		buf_puts(&b, "\r\nThis is a MIME message.\r\n");
		buf_printf(&b, "\r\n--%s\r\n", boundary);
		buf_puts(&b, "Content-Type: text/plain; charset=utf-8\r\n");
		buf_puts(&b, "Content-Transfer-Encoding: quoted-printable\r\n");
		buf_puts(&b, "\r\n");
		body_qp(&b, m->body);
		buf_printf(&b, "\r\n--%s\r\n", boundary);
		buf_printf(&b, "Content-Type: application/pdf; name=\"%s\"\r\n",
		    name);
		buf_printf(&b, "Content-Disposition: attachment; "
		    "filename=\"%s\"\r\n", name);
		buf_puts(&b, "Content-Transfer-Encoding: base64\r\n");
		buf_puts(&b, "\r\n");
		base64_add(&b, (const unsigned char *)pdf->p, pdf->len, 1);
		buf_printf(&b, "\r\n--%s--\r\n", boundary);
	}
	buf_add(out, b.p, b.len);
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/*
 * The delay before the next attempt after the n-th failed one (n >= 1):
 * 1 minute, 2, 4, ... at most 6 hours.
 */
int64_t
mail_backoff(int64_t n)
{
	int64_t	 d = MAIL_BACKOFF_FIRST;

	while (--n > 0 && d < MAIL_BACKOFF_MAX)
		d *= 2;
	return d < MAIL_BACKOFF_MAX ? d : MAIL_BACKOFF_MAX;
}

static void
row_free(struct mail_row *r)
{
	free(r->idem_key);
	free(r->kind);
	free(r->to_addr);
	free(r->subject);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/*
 * In one write transaction, take the first unsent message due at now
 * with an id above after, copy it into *r (row_free) and lease it: it
 * is not due again before now + MAIL_LEASE, whatever becomes of this
 * runner.  Returns DB_OK, DB_NOTFOUND (nothing due), or a failure.
 */
static int
claim_next(struct db *db, int64_t now, int64_t after, struct mail_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	st = db_stmt(db, STMT_OUTBOX_NEXT_DUE);
	if ((rc = db_bind(db, st, "ii", now, after)) != DB_OK)
		goto out;
	if ((rc = db_step(db, st)) == DB_OK) {
		rc = DB_NOTFOUND;
		db_reset(st);
		goto out;
	}
	if (rc != DB_ROW) {
		db_reset(st);
		goto out;
	}
	r->id = db_col_int(st, 0);
	r->org_id = db_col_int(st, 1);
	r->idem_key = db_col_dup(st, 2);
	r->kind = db_col_dup(st, 3);
	r->to_addr = db_col_dup(st, 4);
	r->subject = db_col_dup(st, 5);
	r->body = db_col_dup(st, 6);
	r->document_id = db_col_int(st, 7);
	r->created_at = db_col_int(st, 8);
	r->attempts = db_col_int(st, 9);
	db_reset(st);
	st = db_stmt(db, STMT_OUTBOX_LEASE);
	if ((rc = db_bind(db, st, "ii", now + MAIL_LEASE, r->id)) != DB_OK ||
	    (rc = db_exec(db, st)) != DB_OK)
		goto out;
	rc = db_commit(db);
out:
	if (rc != DB_OK) {
		db_rollback(db);
		row_free(r);
	}
	return rc;
}

/*
 * Render the PDF of r's document into pdf and its file name into name
 * (namesz >= 40), reading in one read transaction.  Returns 0; 1 if the
 * message cannot have it (err says why: no such document, another
 * organization's, cannot render); -1 on a database error (logged).
 */
static int
attachment(struct db *db, const struct mail_row *r, struct buf *pdf,
    char *name, size_t namesz, char *err, size_t errsz)
{
	struct document	*doc = NULL;
	int		 rc;

	if (db_begin_read(db) != DB_OK)
		return -1;
	rc = invoice_get(db, r->document_id, &doc);
	db_rollback(db);
	switch (rc) {
	case INV_OK:
		break;
	case INV_NOTFOUND:
		snprintf(err, errsz, "document %lld not found",
		    (long long)r->document_id);
		return 1;
	default:
		return -1;
	}
	rc = 1;
	if (doc->org_id != r->org_id)
		snprintf(err, errsz, "document %lld belongs to another "
		    "organization", (long long)r->document_id);
	else if (snprintf(name, namesz, "%s.pdf", doc->number) >= (int)namesz)
		snprintf(err, errsz, "document number too long");
	else if (pdf_document(doc, pdf) == -1)
		snprintf(err, errsz, "cannot render the PDF of %s",
		    doc->number);
	else
		rc = 0;
	invoice_free(doc);
	return rc;
}

/*
 * CURLOPT_HEADERFUNCTION: libcurl hands SMTP server responses here;
 * keep the last refusal (a line starting with 4 or 5; printable ASCII
 * only) in arg, a char[256]: after a refusal curl says QUIT, whose
 * "221" must not hide it.
 */
static size_t
mail_response(char *p, size_t size, size_t nmemb, void *arg)
{
	char	*last = arg;
	size_t	 n = size * nmemb, i, j;

	if (n == 0 || (p[0] != '4' && p[0] != '5'))
		return n;
	for (i = 0, j = 0; i < n && j < 255; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			break;
		last[j++] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	}
	last[j] = '\0';
	return n;
}

/* CURLOPT_READFUNCTION: hand curl the next bytes of the message. */
static size_t
mail_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct mail_reader	*rd = arg;
	size_t			 n = size * nmemb;

	if (n > rd->len - rd->off)
		n = rd->len - rd->off;
	memcpy(dst, rd->p + rd->off, n);
	rd->off += n;
	return n;
}

/*
 * Send msg (borrowed) to the address to through the relay of cfg, on
 * curl handle c (reset first; its connection may be reused).  STARTTLS
 * is used when the relay offers it, and required when a username is
 * set (a password never travels in clear).
 * Returns 1 if the relay accepted the message (250 after DATA), else 0
 * with the reason in err (errsz bytes, no control characters) and
 * *unreachable set if no SMTP conversation took place at all.
 */
static int
deliver(CURL *c, const struct mail_config *cfg, const char *to,
    const struct buf *msg, char *err, size_t errsz, int *unreachable)
{
	struct mail_reader	 rd;
	struct curl_slist	*rcpt = NULL, *l;
	char			 ebuf[CURL_ERROR_SIZE], resp[256];
	char			*from = NULL, *rto = NULL;
	const char		*why;
	long			 code = 0;
	CURLcode		 cc = CURLE_OK;
	int			 auth, i;

	*unreachable = 0;
	auth = cfg->username != NULL && cfg->username[0] != '\0';
	rd.p = msg->p;
	rd.len = msg->len;
	rd.off = 0;
	ebuf[0] = resp[0] = '\0';
	from = xasprintf("<%s>", cfg->from);
	rto = xasprintf("<%s>", to);
	if ((l = curl_slist_append(NULL, rto)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	rcpt = l;

	curl_easy_reset(c);
#define SET(opt, val) \
	do { if (cc == CURLE_OK) cc = curl_easy_setopt(c, opt, val); } while (0)
	SET(CURLOPT_ERRORBUFFER, ebuf);
	SET(CURLOPT_URL, cfg->relay);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout > 0 ?
	    cfg->connect_timeout : (long)MAIL_CONNECT_TIMEOUT);
	SET(CURLOPT_TIMEOUT, cfg->timeout > 0 ? cfg->timeout :
	    (long)MAIL_TIMEOUT);
	SET(CURLOPT_USE_SSL, auth ? (long)CURLUSESSL_ALL :
	    (long)CURLUSESSL_TRY);
	if (auth) {
		SET(CURLOPT_USERNAME, cfg->username);
		SET(CURLOPT_PASSWORD, cfg->password != NULL ? cfg->password :
		    "");
	}
	SET(CURLOPT_MAIL_FROM, from);
	SET(CURLOPT_MAIL_RCPT, rcpt);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, mail_read);
	SET(CURLOPT_READDATA, &rd);
	SET(CURLOPT_HEADERFUNCTION, mail_response);
	SET(CURLOPT_HEADERDATA, (void *)resp);
#undef SET
	if (cc != CURLE_OK) {
		snprintf(err, errsz, "curl setup: %s", curl_easy_strerror(cc));
		goto out;
	}
	cc = curl_easy_perform(c);
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
		code = 0;
	if (cc == CURLE_OK) {
		/* libcurl answers CURLE_OK only after a 250 to the data */
		if (code != 250)
			log_warnx("%s: the relay accepted with %ld", __func__,
			    code);
		goto out;
	}
	why = ebuf[0] != '\0' ? ebuf : curl_easy_strerror(cc);
	if (resp[0] != '\0')
		snprintf(err, errsz, "%s; the relay said: %s", why, resp);
	else if (code > 0)
		snprintf(err, errsz, "%s (SMTP %ld)", why, code);
	else
		snprintf(err, errsz, "%s", why);
	for (i = 0; err[i] != '\0'; i++)
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			err[i] = ' ';
	*unreachable = code == 0 && (cc == CURLE_COULDNT_CONNECT ||
	    cc == CURLE_COULDNT_RESOLVE_HOST ||
	    cc == CURLE_COULDNT_RESOLVE_PROXY ||
	    cc == CURLE_OPERATION_TIMEDOUT);
out:
	/* nothing of this call may outlive it in the handle */
	(void)curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpt);
	free(from);
	free(rto);
	return cc == CURLE_OK && err[0] == '\0';
}

/*
 * Record the outcome of delivering r in one write transaction: sent at
 * now, or (err not NULL) one more failed attempt, err as last_error and
 * the next attempt after the backoff.  Returns DB_OK or a failure.
 */
static int
record(struct db *db, const struct mail_row *r, int64_t now,
    const char *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = db_begin_write(db)) != DB_OK)
		return rc;
	if (err == NULL) {
		st = db_stmt(db, STMT_OUTBOX_SENT);
		rc = db_bind(db, st, "ii", now, r->id);
	} else {
		st = db_stmt(db, STMT_OUTBOX_FAILED);
		rc = db_bind(db, st, "tii", err,
		    now + mail_backoff(r->attempts + 1), r->id);
	}
	if (rc != DB_OK || (rc = db_exec(db, st)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* Count the unsent messages into *n.  Returns DB_OK or a failure. */
static int
count_waiting(struct db *db, int64_t *n)
{
	int		 rc;

	if ((rc = db_begin_read(db)) != DB_OK)
		return rc;
	rc = db_get_int(db, STMT_OUTBOX_WAITING, n, "");
	db_rollback(db);
	return rc == DB_NOTFOUND ? DB_ERROR : rc;
}

/*
 * Deliver every outbox message that is unsent and due at now (UTC
 * seconds; next_attempt_at <= now), oldest id first, through the relay
 * of cfg (borrowed): claim, compose (with the invoice PDF when the row
 * names a document), send over SMTP outside any transaction, record
 * (see the top of this file).  A message that cannot be composed or
 * attached counts as a failed attempt, like a refusal or an unreachable
 * relay; once the relay is found unreachable, the rest of the run
 * records that for each due message without connecting again.
 * Counts into *st (zeroed first): sent, failed, and waiting (unsent
 * when the run ends).  Returns DB_OK, even if messages failed (they
 * wait for their next attempt), or the database failure that stopped
 * the run (logged; what was recorded stays).
 */
int
mail_send_due(struct db *db, int64_t now, const struct mail_config *cfg,
    struct mail_stats *st)
{
	struct mail_row		 r;
	struct outbox_msg	 m;
	struct buf		 pdf, msg;
	CURL			*c = NULL;
	char			 err[MAIL_ERROR_MAX], down[MAIL_ERROR_MAX];
	char			 name[48];
	int64_t			 after = 0;
	int			 rc = DB_ERROR, a, unreachable;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	memset(&pdf, 0, sizeof(pdf));
	memset(&msg, 0, sizeof(msg));
	down[0] = '\0';
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("%s: curl_global_init failed", __func__);
		return DB_ERROR;
	}
	if ((c = curl_easy_init()) == NULL) {
		log_warnx("%s: curl_easy_init failed", __func__);
		goto out;
	}
	for (;;) {
		if ((rc = claim_next(db, now, after, &r)) == DB_NOTFOUND)
			break;
		if (rc != DB_OK)
			goto out;
		after = r.id;
		err[0] = '\0';
		name[0] = '\0';
		pdf.len = msg.len = 0;
		if (r.document_id > 0 && (a = attachment(db, &r, &pdf, name,
		    sizeof(name), err, sizeof(err))) != 0) {
			if (a == -1) {
				rc = DB_ERROR;
				goto out;
			}
		} else {
			memset(&m, 0, sizeof(m));
			m.id = r.id;
			m.org_id = r.org_id;
			m.idem_key = r.idem_key;
			m.kind = r.kind;
			m.to_addr = r.to_addr;
			m.subject = r.subject;
			m.body = r.body;
			m.document_id = r.document_id;
			m.attach_name = r.document_id > 0 ? name : NULL;
			m.created_at = r.created_at;
			m.attempts = r.attempts;
			if (mail_compose(&m, r.document_id > 0 ? &pdf : NULL,
			    cfg->from, &msg) == -1)
				snprintf(err, sizeof(err), "cannot compose: "
				    "an address, the subject or the date is "
				    "refused");
			else if (down[0] != '\0')
				snprintf(err, sizeof(err), "%s", down);
			else if (!deliver(c, cfg, r.to_addr, &msg, err,
			    sizeof(err), &unreachable) && unreachable)
				snprintf(down, sizeof(down), "%s", err);
		}
		if (err[0] != '\0')
			log_warnx("%s: message %lld (%s) to %s: %s", __func__,
			    (long long)r.id, r.kind, r.to_addr, err);
		if ((rc = record(db, &r, now, err[0] != '\0' ? err : NULL)) !=
		    DB_OK)
			goto out;
		if (err[0] != '\0')
			st->failed++;
		else
			st->sent++;
		row_free(&r);
	}
	rc = count_waiting(db, &st->waiting);
out:
	row_free(&r);
	buf_free(&pdf);
	buf_free(&msg);
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc;
}
