/* mail.h: the outbox delivered: RFC 5322 + MIME messages sent by SMTP. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#ifndef RECKON_MAIL_H
#define RECKON_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct db;

/* Retry delays after a failed attempt: 1 min, doubling, at most 6 h. */
#define MAIL_BACKOFF_FIRST	60
#define MAIL_BACKOFF_MAX	(6 * 3600)

/*
 * While a runner delivers a message, the message is not due for others
 * (a second "reckonctl mail" started by cron meanwhile skips it).  Must
 * exceed the overall SMTP timeout.
 */
#define MAIL_LEASE		600

/* One outbox row, as mail_compose needs it.  Strings are borrowed. */
struct outbox_msg {
	int64_t		 id;
	int64_t		 org_id;
	const char	*idem_key;	/* UNIQUE: names the message for ever */
	const char	*kind;		/* "invoice", "invoice_email_changed" */
	const char	*to_addr;
	const char	*subject;	/* UTF-8, one line */
	const char	*body;		/* UTF-8 text, lines end in "\n" */
	int64_t		 document_id;	/* 0: no attachment */
	const char	*attach_name;	/* "INV-2026-000036.pdf", or NULL */
	int64_t		 created_at;	/* UTC seconds: the Date: header */
	int64_t		 attempts;	/* failed attempts so far */
};

/* Where and how to deliver.  Strings are borrowed. */
struct mail_config {
	const char	*relay;		/* smtp://HOST:PORT or smtps://... */
	const char	*from;		/* envelope and From: address */
	const char	*username;	/* NULL or "": no SMTP AUTH */
	const char	*password;
	long		 connect_timeout;	/* seconds; 0: 10 */
	long		 timeout;		/* seconds per message; 0: 60 */
};

struct mail_stats {
	int64_t	 sent;		/* accepted by the relay, marked sent */
	int64_t	 failed;	/* refused, unreachable or not composable */
	int64_t	 waiting;	/* unsent after the run (failed ones too) */
};

int	mail_addr_ok(const char *);
int	mail_compose(const struct outbox_msg *, const struct buf *,
	    const char *, struct buf *);
int	mail_message_id(const struct outbox_msg *, char *, size_t);
int64_t	mail_backoff(int64_t);
int	mail_send_due(struct db *, int64_t, const struct mail_config *,
	    struct mail_stats *);

#endif /* RECKON_MAIL_H */
