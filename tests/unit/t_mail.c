/* t_mail.c: unit tests of mail.c: composing, and delivery to a fake relay. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "db.h"
#include "demo.h"
#include "mail.h"
#include "outbox.h"
#include "util.h"
#include "tap.h"

#define T0	1796083201	/* 2026-12-01T00:00:01Z, a Tuesday */

/* ---- decoders, written for the test ---------------------------------- */

/* Decode base64 s[0..n) (CRLF ignored) into out.  Returns 0, or -1. */
static int
b64_decode(const char *s, size_t n, struct buf *out)
{
	static const char	 a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned		 v = 0;
	int			 bits = 0, pad = 0;
	const char		*p;
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n')
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad || (p = strchr(a, s[i])) == NULL || s[i] == '\0')
			return -1;
		v = (v << 6) | (unsigned)(p - a);
		if ((bits += 6) >= 8) {
			bits -= 8;
			c = (unsigned char)(v >> bits);
			buf_add(out, &c, 1);
		}
	}
	return 0;
}

/* Decode quoted-printable s into out.  Returns 0, or -1. */
static int
qp_decode(const char *s, struct buf *out)
{
	unsigned int	 v;
	char		 h[3];
	unsigned char	 c;

	while (*s != '\0') {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
			continue;
		}
		if (s[0] == '=') {
			h[0] = s[1];
			h[1] = h[0] != '\0' ? s[2] : '\0';
			h[2] = '\0';
			if (h[1] == '\0' || sscanf(h, "%2x", &v) != 1)
				return -1;
			c = (unsigned char)v;
			buf_add(out, &c, 1);
			s += 3;
			continue;
		}
		buf_add(out, s, 1);
		s++;
	}
	return 0;
}

/* ---- looking into a message ------------------------------------------- */

/* Whether every line of s ends in CRLF: no bare CR, no bare LF. */
static int
all_crlf(const char *s, size_t n)
{
	size_t	 i;

	if (n < 2 || s[n - 2] != '\r' || s[n - 1] != '\n')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n'))
			return 0;
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return 0;
	}
	return 1;
}

/* The longest line of s[0..n), CRLF not counted. */
static size_t
longest_line(const char *s, size_t n)
{
	size_t	 i, col = 0, max = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			col = 0;
			continue;
		}
		if (s[i] != '\r' && ++col > max)
			max = col;
	}
	return max;
}

/*
 * The header block of msg (up to the first empty line), unfolded, into
 * a new string (free).
 */
static char *
headers_of(const char *msg)
{
	const char	*end = strstr(msg, "\r\n\r\n");
	struct buf	 b;
	size_t		 i, n;

	memset(&b, 0, sizeof(b));
	n = end != NULL ? (size_t)(end - msg) + 2 : strlen(msg);
	for (i = 0; i < n; i++) {
		if (msg[i] == '\r' && msg[i + 1] == '\n' && i + 2 < n &&
		    (msg[i + 2] == ' ' || msg[i + 2] == '\t')) {
			i++;
			continue;
		}
		buf_add(&b, msg + i, 1);
	}
	if (b.p == NULL)
		return xstrdup("");
	return b.p;
}

/*
 * The value of header name in the unfolded block h, into out ("" if
 * absent).
 */
static const char *
header(const char *h, const char *name, char *out, size_t outsz)
{
	const char	*p = h;
	size_t		 n = strlen(name), len;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			p += *p == ' ';
			len = strcspn(p, "\r\n");
			snprintf(out, outsz, "%.*s", (int)len, p);
			return out;
		}
		if ((p = strstr(p, "\r\n")) != NULL)
			p += 2;
	}
	return out;
}

/* Decode an unfolded Subject value made of =?UTF-8?B?...?= words. */
static int
subject_decode(const char *v, struct buf *out)
{
	const char	*p = v, *end;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (strncmp(p, "=?UTF-8?B?", 10) != 0 ||
		    (end = strstr(p + 10, "?=")) == NULL)
			return -1;
		if (end + 2 - p > 75)
			return -1;	/* RFC 2047: at most 75 characters */
		if (b64_decode(p + 10, (size_t)(end - p - 10), out) == -1)
			return -1;
		p = end + 2;
	}
	return 0;
}

/* ---- composing --------------------------------------------------------- */

static struct outbox_msg
msg_of(const char *to, const char *subject, const char *body)
{
	struct outbox_msg	 m;

	memset(&m, 0, sizeof(m));
	m.id = 7;
	m.org_id = 1;
	m.idem_key = "invoice-mail:43:to";
	m.kind = "invoice";
	m.to_addr = to;
	m.subject = subject;
	m.body = body;
	m.created_at = T0;
	return m;
}

static void
test_plain(void)
{
	struct outbox_msg	 m;
	struct buf		 out, again, dec;
	char			*h, v[512], mid[64];
	const char		*body;

	memset(&out, 0, sizeof(out));
	memset(&again, 0, sizeof(again));
	memset(&dec, 0, sizeof(dec));
	m = msg_of("accounts@acme.test",
	    "Invoice INV-2026-000036 from Reckon Demo GmbH",
	    "Hello,\n\nattached is invoice INV-2026-000036 for $1,200.00.\n");
	is_i64(mail_compose(&m, NULL, "billing@reckon.invalid", &out), 0,
	    "a plain message is composed");
	ok(all_crlf(out.p, out.len), "every line ends in CRLF");
	ok(longest_line(out.p, out.len) <= 78, "no line longer than 78");
	h = headers_of(out.p);
	is_str(header(h, "From", v, sizeof(v)), "billing@reckon.invalid",
	    "From");
	is_str(header(h, "To", v, sizeof(v)), "accounts@acme.test", "To");
	is_str(header(h, "Subject", v, sizeof(v)),
	    "Invoice INV-2026-000036 from Reckon Demo GmbH",
	    "an ASCII subject as it is");
	is_str(header(h, "Date", v, sizeof(v)),
	    "Tue, 01 Dec 2026 00:00:01 +0000", "Date from created_at");
	mail_message_id(&m, mid, sizeof(mid));
	is_str(header(h, "Message-ID", v, sizeof(v)), mid,
	    "Message-ID from the idempotency key");
	ok(strlen(mid) == 49 && mid[0] == '<' &&
	    strcmp(mid + 33, "@reckon.invalid>") == 0 &&
	    strspn(mid + 1, "0123456789abcdef") == 32,
	    "Message-ID is <32 hex digits@reckon.invalid>: %s", mid);
	is_str(header(h, "MIME-Version", v, sizeof(v)), "1.0", "MIME-Version");
	is_str(header(h, "Content-Type", v, sizeof(v)),
	    "text/plain; charset=utf-8", "text/plain, UTF-8");
	is_str(header(h, "Content-Transfer-Encoding", v, sizeof(v)),
	    "quoted-printable", "quoted-printable");
	is_str(header(h, "Auto-Submitted", v, sizeof(v)), "auto-generated",
	    "Auto-Submitted: no auto-replies");
	free(h);
	body = strstr(out.p, "\r\n\r\n") + 4;
	qp_decode(body, &dec);
	is_str(dec.p, "Hello,\r\n\r\nattached is invoice INV-2026-000036 for "
	    "$1,200.00.\r\n", "the body decodes to the text, CRLF");

	is_i64(mail_compose(&m, NULL, "billing@reckon.invalid", &again), 0,
	    "composed again");
	ok(again.len == out.len && memcmp(again.p, out.p, out.len) == 0,
	    "the same message gives the same bytes");
	buf_free(&out);
	buf_free(&again);
	buf_free(&dec);
}

static void
test_message_id(void)
{
	struct outbox_msg	 a, b;
	char			 ia[64], ib[64];

	a = msg_of("x@y.test", "s", "b");
	b = a;
	b.subject = "another subject";
	b.to_addr = "z@y.test";
	mail_message_id(&a, ia, sizeof(ia));
	mail_message_id(&b, ib, sizeof(ib));
	is_str(ia, ib, "a resend (same row) carries the same Message-ID");
	b.idem_key = "invoice-mail:43:cc0";
	mail_message_id(&b, ib, sizeof(ib));
	ok(strcmp(ia, ib) != 0, "another key, another Message-ID");
	b = a;
	b.created_at++;
	mail_message_id(&b, ib, sizeof(ib));
	ok(strcmp(ia, ib) != 0, "the same key queued at another time (another "
	    "installation): another Message-ID");
	is_i64(mail_message_id(&a, ia, 20), -1, "a short buffer is refused");
}

static void
test_subject(void)
{
	static const char	*utf8[] = {
		"Rechnung für März – Müller & Söhne GmbH",
		"Счёт INV-2026-000036 от ООО «Ромашка» за декабрь 2026 года, "
		"с НДС 20 %, к оплате в течение 14 дней",
		"请查收发票 INV-2026-000036 😀😀😀😀😀😀😀😀😀😀😀😀😀",
		"ASCII but =?UTF-8?B?Zm9v?= looks encoded",
	};
	struct outbox_msg	 m;
	struct buf		 out, dec;
	char			*h, v[2048], *un;
	size_t			 i, n;
	const char		*longs = "Invoice INV-2026-000036 from A Very "
	    "Long Seller Name Incorporated Holding Company Of The "
	    "Northern Hemisphere And Elsewhere, for December 2026";

	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		memset(&out, 0, sizeof(out));
		memset(&dec, 0, sizeof(dec));
		m = msg_of("a@b.test", utf8[i], "x\n");
		is_i64(mail_compose(&m, NULL, "billing@reckon.invalid", &out),
		    0, "subject %zu composed", i);
		ok(all_crlf(out.p, out.len) &&
		    longest_line(out.p, out.len) <= 78,
		    "subject %zu: CRLF, lines of at most 78", i);
		h = headers_of(out.p);
		header(h, "Subject", v, sizeof(v));
		ok(strncmp(v, "=?UTF-8?B?", 10) == 0,
		    "subject %zu is RFC 2047 encoded", i);
		ok(subject_decode(v, &dec) == 0 && dec.p != NULL &&
		    strcmp(dec.p, utf8[i]) == 0,
		    "subject %zu decodes back, words of at most 75", i);
		free(h);
		buf_free(&out);
		buf_free(&dec);
	}

	memset(&out, 0, sizeof(out));
	m = msg_of("a@b.test", longs, "x\n");
	is_i64(mail_compose(&m, NULL, "billing@reckon.invalid", &out), 0,
	    "a long ASCII subject composed");
	ok(longest_line(out.p, out.len) <= 78, "folded to lines of at most 78");
	un = headers_of(out.p);
	is_str(header(un, "Subject", v, sizeof(v)), longs,
	    "unfolded, it is the subject again");
	n = (size_t)(strstr(out.p, "\r\n\r\n") - out.p);
	ok(memmem(out.p, n, "\r\n ", 3) != NULL, "and it was folded");
	free(un);
	buf_free(&out);
}

static void
test_refusals(void)
{
	static const struct {
		const char	*to;
		const char	*subject;
		const char	*from;
		const char	*what;
	} bad[] = {
		{ "a@b.test\r\nBcc: victim@else.test", "s", NULL,
		  "CRLF in To" },
		{ "a@b.test\nBcc: victim@else.test", "s", NULL, "LF in To" },
		{ "a@b.test\r", "s", NULL, "CR in To" },
		{ "a@b.test", "Hi\r\nBcc: victim@else.test", NULL,
		  "CRLF in Subject" },
		{ "a@b.test", "Hi\nBcc: victim@else.test", NULL,
		  "LF in Subject" },
		{ "a@b.test", "Hi\rthere", NULL, "CR in Subject" },
		{ "a@b.test", "tab\there", NULL, "a control in Subject" },
		{ "a@b.test", "C1 \xc2\x85 NEL", NULL, "a C1 control (NEL)" },
		{ "a@b.test", "bad \xff UTF-8", NULL, "not UTF-8" },
		{ "a@b.test", "overlong \xc0\xaf", NULL, "overlong UTF-8" },
		{ "a@b.test", "", NULL, "empty subject" },
		{ "a@b.test", "s", "billing@reckon.invalid\r\nX: y",
		  "CRLF in From" },
		{ "Eve <a@b.test>", "s", NULL, "a display name in To" },
		{ "a b@c.test", "s", NULL, "a space in To" },
		{ "a@b.test,c@d.test", "s", NULL, "two addresses in To" },
		{ "ab.test", "s", NULL, "no @ in To" },
		{ "a@@b.test", "s", NULL, "two @ in To" },
		{ "a@b..test", "s", NULL, "two dots in To" },
		{ "\"a\"@b.test", "s", NULL, "quotes in To" },
		{ "ä@b.test", "s", NULL, "non-ASCII in To" },
	};
	struct outbox_msg	 m;
	struct buf		 out, pdf;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&out, 0, sizeof(out));
		m = msg_of(bad[i].to, bad[i].subject, "body\n");
		is_i64(mail_compose(&m, NULL, bad[i].from != NULL ?
		    bad[i].from : "billing@reckon.invalid", &out), -1,
		    "refused: %s", bad[i].what);
		is_i64((int64_t)out.len, 0, "nothing written: %s",
		    bad[i].what);
		buf_free(&out);
	}

	memset(&out, 0, sizeof(out));
	memset(&pdf, 0, sizeof(pdf));
	buf_puts(&pdf, "%PDF-1.4\n");
	m = msg_of("a@b.test", "s", "b\n");
	m.attach_name = "x\".pdf\r\nX-Evil: 1";
	is_i64(mail_compose(&m, &pdf, "billing@reckon.invalid", &out), -1,
	    "refused: a quote or CRLF in the attachment name");
	m.attach_name = "INV-2026-000036.pdf";
	m.created_at = -1;
	is_i64(mail_compose(&m, &pdf, "billing@reckon.invalid", &out), -1,
	    "refused: a date before 1970");
	is_i64((int64_t)out.len, 0, "nothing written");
	buf_free(&pdf);

	ok(mail_addr_ok("cfo@acme.test") && mail_addr_ok("a.b+c@d-e.f.test")
	    && mail_addr_ok("o'neil@x.test"), "plain addresses pass");
	ok(!mail_addr_ok(".a@b.test") && !mail_addr_ok("a.@b.test") &&
	    !mail_addr_ok("a@.b.test") && !mail_addr_ok("a@b.test.") &&
	    !mail_addr_ok("@b.test") && !mail_addr_ok("a@"),
	    "dots and @ at the edges are refused");
}

static void
test_body(void)
{
	struct outbox_msg	 m;
	struct buf		 out, body, dec, want;
	const char		*p, *s;
	size_t			 i;

	memset(&out, 0, sizeof(out));
	memset(&body, 0, sizeof(body));
	memset(&dec, 0, sizeof(dec));
	memset(&want, 0, sizeof(want));
	buf_puts(&body, "Total: 1.200,00 € (Müller)\n");
	buf_puts(&body, "a = b, 100% sure\n");
	buf_puts(&body, ".\n");		/* would end DATA if sent as it is */
	buf_puts(&body, ".leading dot\n");
	buf_puts(&body, "trailing space \n");
	buf_puts(&body, "trailing tab\t\n");
	buf_puts(&body, "windows line\r\n");
	buf_puts(&body, "lone\rCR\n");
	for (i = 0; i < 30; i++)
		buf_puts(&body, "long line é= ");
	buf_puts(&body, "\nno newline at the end");
	m = msg_of("a@b.test", "s", body.p);
	is_i64(mail_compose(&m, NULL, "billing@reckon.invalid", &out), 0,
	    "a hard body composed");
	ok(all_crlf(out.p, out.len), "CRLF everywhere");
	ok(longest_line(out.p, out.len) <= 76, "no line longer than 76");
	s = strstr(out.p, "\r\n\r\n") + 4;
	for (p = s; p != NULL && *p != '\0'; p = strstr(p, "\r\n")) {
		p += p == s ? 0 : 2;
		if (*p == '.')
			break;
	}
	ok(p == NULL || *p == '\0', "no body line starts with a dot");
	ok(strstr(s, " \r\n") == NULL && strstr(s, "\t\r\n") == NULL,
	    "no line ends in white space");
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p > 126)
			break;
	ok(*p == '\0', "the body is 7-bit");
	qp_decode(s, &dec);
	for (p = body.p; *p != '\0'; p++) {
		if (*p == '\n' && (p == body.p || p[-1] != '\r'))
			buf_puts(&want, "\r\n");
		else
			buf_add(&want, p, 1);
	}
	buf_puts(&want, "\r\n");
	is_str(dec.p, want.p, "it decodes to the text with CRLF line ends");
	buf_free(&out);
	buf_free(&body);
	buf_free(&dec);
	buf_free(&want);
}

static void
test_attachment(void)
{
	struct outbox_msg	 m;
	struct buf		 out, again, pdf, dec;
	char			*h, v[256], want[128], *b, *e, *part;
	const char		*p;
	size_t			 i, n, lines = 0, bad = 0, col;

	memset(&out, 0, sizeof(out));
	memset(&again, 0, sizeof(again));
	memset(&pdf, 0, sizeof(pdf));
	memset(&dec, 0, sizeof(dec));
	buf_puts(&pdf, "%PDF-1.4\n");
	for (i = 0; i < 5000; i++) {
		unsigned char	 c = (unsigned char)(i * 7 + i / 256);

		buf_add(&pdf, &c, 1);
	}
	buf_puts(&pdf, "\n%%EOF\n");
	m = msg_of("accounts@acme.test", "Invoice INV-2026-000036",
	    "Attached.\n");
	m.document_id = 43;
	m.attach_name = "INV-2026-000036.pdf";
	is_i64(mail_compose(&m, &pdf, "billing@reckon.invalid", &out), 0,
	    "a message with a PDF composed");
	ok(all_crlf(out.p, out.len), "CRLF everywhere");
	ok(longest_line(out.p, out.len) <= 78, "no line longer than 78");
	h = headers_of(out.p);
	header(h, "Content-Type", v, sizeof(v));
	ok(strncmp(v, "multipart/mixed; boundary=\"=_reckon_", 36) == 0,
	    "multipart/mixed with a =_ boundary: %s", v);
	free(h);
	b = strstr(v, "boundary=\"") + 10;
	b[strcspn(b, "\"")] = '\0';
	snprintf(want, sizeof(want), "\r\n--%s\r\n", b);
	p = out.p;
	for (n = 0; (p = strstr(p, want)) != NULL; p++)
		n++;
	is_i64((int64_t)n, 2, "two parts");
	snprintf(want, sizeof(want), "\r\n--%s--\r\n", b);
	ok(out.len > strlen(want) &&
	    strcmp(out.p + out.len - strlen(want), want) == 0,
	    "the closing boundary ends the message");
	ok(strstr(out.p, "Content-Disposition: attachment; "
	    "filename=\"INV-2026-000036.pdf\"\r\n") != NULL,
	    "Content-Disposition names the invoice's file");
	ok(strstr(out.p, "Content-Type: application/pdf; "
	    "name=\"INV-2026-000036.pdf\"\r\n") != NULL, "application/pdf");
	part = strstr(out.p, "Content-Transfer-Encoding: base64\r\n\r\n");
	ok(part != NULL, "the PDF is base64");
	if (part != NULL) {
		part += strlen("Content-Transfer-Encoding: base64\r\n\r\n");
		e = strstr(part, "\r\n--");
		for (p = part, col = 0; p < e + 2; p++) {
			if (*p == '\n') {
				lines++;
				if (col != 76 && p + 1 < e + 2)
					bad++;	/* only the last may be short */
				col = 0;
			} else if (*p != '\r')
				col++;
		}
		is_i64((int64_t)bad, 0, "base64 in lines of 76 (%zu lines)",
		    lines);
		ok(b64_decode(part, (size_t)(e - part), &dec) == 0 &&
		    dec.len == pdf.len && memcmp(dec.p, pdf.p, pdf.len) == 0,
		    "the PDF decodes back byte for byte");
	}
	is_i64(mail_compose(&m, &pdf, "billing@reckon.invalid", &again), 0,
	    "composed again");
	ok(again.len == out.len && memcmp(again.p, out.p, out.len) == 0,
	    "deterministic with the attachment too");
	buf_free(&out);
	buf_free(&again);
	buf_free(&pdf);
	buf_free(&dec);
}

static void
test_backoff(void)
{
	static const struct {
		int64_t	 n;
		int64_t	 want;
	} c[] = {
		{ 1, 60 }, { 2, 120 }, { 3, 240 }, { 4, 480 }, { 8, 7680 },
		{ 9, 15360 }, { 10, 21600 }, { 11, 21600 }, { 1000, 21600 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		is_i64(mail_backoff(c[i].n), c[i].want, "backoff after %lld "
		    "failed attempts", (long long)c[i].n);
}

/* ---- delivery, against a fake relay ------------------------------------ */

static char	 dir[] = "/tmp/t_mail.XXXXXX";

/*
 * Serve SMTP on fd, one connection after another, until killed: every
 * recipient is accepted except refuse@..., and a message to later@...
 * gets 451 after its data; each accepted message is written to
 * dir/N.eml.
 */
static void __attribute__((noreturn))
fake_relay(int lfd)
{
	char	 line[2048], rcpt[2048], path[256];
	FILE	*in, *msg;
	int	 fd, n = 0;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			_exit(1);
		if ((in = fdopen(fd, "r")) == NULL)
			_exit(1);
		dprintf(fd, "220 fake ESMTP\r\n");
		rcpt[0] = '\0';
		while (fgets(line, sizeof(line), in) != NULL) {
			if (strncasecmp(line, "EHLO", 4) == 0 ||
			    strncasecmp(line, "HELO", 4) == 0)
				dprintf(fd, "250 fake\r\n");
			else if (strncasecmp(line, "MAIL", 4) == 0)
				dprintf(fd, "250 ok\r\n");
			else if (strncasecmp(line, "RCPT", 4) == 0) {
				snprintf(rcpt, sizeof(rcpt), "%s", line);
				dprintf(fd, strstr(line, "<refuse@") ?
				    "550 no such user\r\n" : "250 ok\r\n");
			} else if (strncasecmp(line, "DATA", 4) == 0) {
				dprintf(fd, "354 go on\r\n");
				snprintf(path, sizeof(path), "%s/%d.eml", dir,
				    ++n);
				if ((msg = fopen(path, "w")) == NULL)
					_exit(1);
				while (fgets(line, sizeof(line), in) != NULL &&
				    strcmp(line, ".\r\n") != 0)
					fputs(line, msg);
				fclose(msg);
				if (strstr(rcpt, "<later@") != NULL) {
					unlink(path);
					n--;
					dprintf(fd, "451 try again later\r\n");
				} else
					dprintf(fd, "250 queued\r\n");
			} else if (strncasecmp(line, "QUIT", 4) == 0) {
				dprintf(fd, "221 bye\r\n");
				break;
			} else
				dprintf(fd, "250 ok\r\n");	/* RSET, NOOP */
		}
		fclose(in);
	}
}

/* Listen on a free loopback port; returns the socket, sets *port. */
static int
listen_any(int *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 8) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static int64_t
scalar(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *
text(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	char		*v = NULL;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return xstrdup("");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = db_col_dup(st, 0);
	sqlite3_finalize(st);
	return v != NULL ? v : xstrdup("");
}

static int
queue(struct db *db, int64_t org, const char *key, const char *to,
    int64_t doc, int64_t now)
{
	int	 rc;

	if (db_begin_write(db) != DB_OK)
		return -1;
	rc = outbox_queue(db, org, key, doc > 0 ? "invoice" : "notice", to,
	    "Your invoice", "Hello.\n", doc, now);
	if (rc != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == DB_OK ? 0 : -1;
}

/*
 * SQLite's work to claim the next due message with n queued, all due:
 * VM steps, and whether it sorted.
 */
static void
claim_cost(int n, int64_t *steps, int64_t *sorts)
{
	struct db	*db;
	sqlite3_stmt	*st;
	char		 path[256], sql[512];

	snprintf(path, sizeof(path), "%s/flat-%d.db", dir, n);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK ||
	    demo_create(db, T0, NULL) != DB_OK)
		exit(1);
	snprintf(sql, sizeof(sql), "WITH RECURSIVE k(i) AS (SELECT 1 UNION "
	    "ALL SELECT i + 1 FROM k WHERE i < %d) INSERT INTO outbox "
	    "(org_id, idem_key, kind, to_addr, subject, body, created_at, "
	    "next_attempt_at) SELECT 1, 'flat-' || i, 'notice', 'a@x.test', "
	    "'s', 'b', %lld, %lld FROM k", n, (long long)T0, (long long)T0);
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		exit(1);
	st = db_stmt(db, STMT_OUTBOX_NEXT_DUE);
	(void)sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
	(void)sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 1);
	if (db_bind(db, st, "ii", T0, (int64_t)n / 2) != DB_OK ||
	    db_step(db, st) != DB_ROW)
		exit(1);
	db_reset(st);
	*steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
	*sorts = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0);
	db_close(db);
}

/*
 * reckonctl mail claims each message with STMT_OUTBOX_NEXT_DUE: its cost
 * must not grow with the queue (it did: every due message was sorted
 * again for each one sent, quadratic).
 */
static void
test_flat_claim(void)
{
	int64_t	 s100, s10k, sort100, sort10k;

	claim_cost(100, &s100, &sort100);
	claim_cost(10000, &s10k, &sort10k);
	diag("claiming the next message: %lld VM steps with 100 queued, "
	    "%lld with 10,000", (long long)s100, (long long)s10k);
	ok(s10k <= 2 * s100 + 20, "the next message costs the same with "
	    "10,000 queued as with 100 (%lld and %lld steps)",
	    (long long)s10k, (long long)s100);
	ok(sort100 == 0 && sort10k == 0, "and nothing is sorted for it");
}

static int
count_eml(void)
{
	char	 path[256];
	int	 n;

	for (n = 0; ; n++) {
		snprintf(path, sizeof(path), "%s/%d.eml", dir, n + 1);
		if (access(path, F_OK) != 0)
			return n;
	}
}

static void
test_delivery(void)
{
	struct db		*db;
	struct mail_config	 cfg;
	struct mail_stats	 st;
	struct buf		 eml;
	char			 path[256], url[64], q[256], *s;
	int64_t			 doc, other;
	int			 lfd, port, closed, i;
	pid_t			 pid;
	FILE			*f;

	if (mkdtemp(dir) == NULL)
		exit(1);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		exit(1);
	if (demo_create(db, T0 - 10 * 86400, NULL) != DB_OK)
		exit(1);
	doc = scalar(db, "SELECT min(id) FROM document WHERE org_id = 1 "
	    "AND kind = 'invoice'");
	other = scalar(db, "SELECT min(id) FROM document WHERE org_id <> 1");
	ok(doc > 0 && other > 0, "the demo has documents");

	/* A port nobody listens on. */
	if ((lfd = listen_any(&closed)) == -1)
		exit(1);
	close(lfd);

	queue(db, 1, "t:plain", "ok@x.test", 0, T0);
	queue(db, 1, "t:refused", "refuse@x.test", 0, T0);
	queue(db, 1, "t:invoice", "cfo@acme.test", doc, T0);
	queue(db, 1, "t:nodoc", "ok@x.test", 999999, T0);
	queue(db, 1, "t:other", "ok@x.test", other, T0);
	queue(db, 1, "t:later", "later@x.test", 0, T0);
	/* New mail is due at once; this one waits as if a retry were set. */
	sqlite3_exec(db->h, "UPDATE outbox SET next_attempt_at = 1796088201 "
	    "WHERE idem_key = 't:later'", NULL, NULL, NULL);
	is_i64(queue(db, 1, "t:plain", "ok@x.test", 0, T0), 0, "a key "
	    "queued again...");
	is_i64(scalar(db, "SELECT count(*) FROM outbox"), 6, "...is queued "
	    "once");

	memset(&cfg, 0, sizeof(cfg));
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", closed);
	cfg.relay = url;
	cfg.from = "billing@reckon.invalid";
	cfg.connect_timeout = 5;
	cfg.timeout = 20;
	is_i64(mail_send_due(db, T0, &cfg, &st), DB_OK,
	    "relay down: the run completes");
	is_i64(st.sent, 0, "relay down: nothing sent");
	is_i64(st.failed, 5, "relay down: the five due failed");
	is_i64(st.waiting, 6, "relay down: all six wait");
	is_i64(scalar(db, "SELECT count(*) FROM outbox WHERE attempts = 1 "
	    "AND last_error <> '' AND next_attempt_at = 1796083261 AND "
	    "sent_at IS NULL"), 5, "each: attempts 1, last_error, retry in a "
	    "minute");
	s = text(db, "SELECT last_error FROM outbox WHERE idem_key = "
	    "'t:plain'");
	ok(strstr(s, "onnect") != NULL, "the error says why: %s", s);
	free(s);
	s = text(db, "SELECT last_error FROM outbox WHERE idem_key = "
	    "'t:nodoc'");
	is_str(s, "document 999999 not found", "a missing document is an "
	    "error of its own");
	free(s);
	s = text(db, "SELECT last_error FROM outbox WHERE idem_key = "
	    "'t:other'");
	ok(strstr(s, "another organization") != NULL,
	    "another organization's document is never attached: %s", s);
	free(s);

	is_i64(mail_send_due(db, T0 + 59, &cfg, &st), DB_OK, "a run before "
	    "the retry time");
	ok(st.sent == 0 && st.failed == 0 && st.waiting == 6,
	    "tries nothing: %lld sent, %lld failed", (long long)st.sent,
	    (long long)st.failed);

	if ((lfd = listen_any(&port)) == -1)
		exit(1);
	fflush(stdout);
	if ((pid = fork()) == -1)
		exit(1);
	if (pid == 0)
		fake_relay(lfd);
	close(lfd);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
	is_i64(mail_send_due(db, T0 + 60, &cfg, &st), DB_OK,
	    "relay up: the run completes");
	is_i64(st.sent, 2, "relay up: the plain one and the invoice sent");
	is_i64(st.failed, 3, "the refused one and the two bad documents "
	    "failed again");
	is_i64(st.waiting, 4, "four wait");
	is_i64(count_eml(), 2, "the relay got two messages");
	is_i64(scalar(db, "SELECT count(*) FROM outbox WHERE sent_at = "
	    "1796083261"), 2, "both marked sent at the time of the run");
	is_i64(scalar(db, "SELECT attempts FROM outbox WHERE idem_key = "
	    "'t:plain'"), 1, "sent: attempts counts the failed one");
	s = text(db, "SELECT last_error || ' ' || attempts || ' ' || "
	    "next_attempt_at FROM outbox WHERE idem_key = 't:refused'");
	ok(strstr(s, "the relay said: 550 no such user 2 1796083381") != NULL,
	    "refused: the relay's answer kept, attempts 2, retry in 2 "
	    "minutes: %s", s);
	free(s);

	memset(&eml, 0, sizeof(eml));
	for (i = 1; i <= 2; i++) {
		char	 buf[4096];
		size_t	 n;

		snprintf(path, sizeof(path), "%s/%d.eml", dir, i);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			buf_add(&eml, buf, n);
		fclose(f);
	}
	ok(eml.p != NULL && strstr(eml.p, "To: cfo@acme.test\r\n") != NULL &&
	    strstr(eml.p, "Content-Type: application/pdf; name=\"INV-") !=
	    NULL, "the invoice's message carries its PDF");
	s = text(db, "SELECT number FROM document WHERE id = (SELECT "
	    "document_id FROM outbox WHERE idem_key = 't:invoice')");
	snprintf(q, sizeof(q), "filename=\"%s.pdf\"", s);
	ok(eml.p != NULL && strstr(eml.p, q) != NULL, "named %s.pdf", s);
	free(s);
	buf_free(&eml);

	is_i64(mail_send_due(db, T0 + 100000, &cfg, &st), DB_OK,
	    "a later run");
	is_i64(st.sent, 0, "nothing is sent twice");
	is_i64(count_eml(), 2, "the relay still has two");
	s = text(db, "SELECT last_error || ' ' || attempts FROM outbox WHERE "
	    "idem_key = 't:later'");
	ok(strstr(s, "the relay said: 451 try again later 1") != NULL,
	    "451 after the data: not sent, a failed attempt: %s", s);
	free(s);
	is_i64(scalar(db, "SELECT count(*) FROM outbox WHERE sent_at IS NOT "
	    "NULL"), 2, "only what the relay took with 250 is marked sent");
	is_i64(scalar(db, "SELECT count(*) FROM outbox"), 6,
	    "no message was lost");

	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	db_close(db);
}

int
main(void)
{
	char	 rm[64];

	if (sodium_init() < 0)
		return 1;
	test_plain();
	test_message_id();
	test_subject();
	test_refusals();
	test_body();
	test_attachment();
	test_backoff();
	test_delivery();	/* makes dir */
	test_flat_claim();
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
