/* ctl.c: reckonctl, the operator's command: migrate, demo, user add, verify. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "chain.h"
#include "country.h"
#include "db.h"
#include "db_org.h"
#include "demo.h"
#include "gateway.h"
#include "invoice.h"
#include "ledger.h"
#include "mail.h"
#include "ops.h"
#include "pdf_receipt.h"
#include "renewal.h"
#include "session.h"
#include "ubl.h"
#include "util.h"
#include "valid.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: reckonctl [--db PATH] command\n"
	    "  migrate                      bring the schema up to date\n"
	    "  demo [--now TIME]            create the demo ledger in an empty database\n"
	    "  user add EMAIL ORG_ID ROLE [NAME]\n"
	    "                               add a user; the password is read from stdin\n"
	    "  verify                       check ledger invariants, integrity and the\n"
	    "                               documents' chain of seals\n"
	    "  chain head                   print the last seal of every document series\n"
	    "  renew [--now TIME]           renew, invoice and charge what is due; expire\n"
	    "                               what was cancelled\n"
	    "  invoice show NUMBER          print a document as text\n"
	    "  invoice pdf NUMBER > FILE    write a document as PDF\n"
	    "  invoice xml NUMBER > FILE    write a document as a UBL e-invoice\n"
	    "  mail [--now TIME] [--relay smtp://HOST:PORT] [--from ADDR]\n"
	    "                               deliver the queued email that is due\n"
	    "  backup FILE                  copy the database, while it runs, to a new FILE\n"
	    "  restore FILE                 replace the database with a verified copy\n"
	    "  status                       schema, queues, and the jobs' last runs\n"
	    "PATH defaults to $RECKON_HOME/reckon.db (RECKON_HOME: ./var);\n"
	    "TIME is YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD.\n"
	    "mail: the relay defaults to $RECKON_SMTP_URL or smtp://127.0.0.1:2525,\n"
	    "ADDR to $RECKON_MAIL_FROM or billing@reckon.invalid; SMTP AUTH with\n"
	    "$RECKON_SMTP_USER and $RECKON_SMTP_PASSWORD if set (then TLS is required).\n");
	exit(2);
}

static int
cmd_demo(struct db *db, int argc, char *argv[])
{
	int64_t	 now = (int64_t)time(NULL);
	int	 rc;

	if (argc == 2 && strcmp(argv[0], "--now") == 0) {
		if (util_time_parse(argv[1], &now) == -1) {
			fprintf(stderr, "reckonctl: --now: not a time: %s\n",
			    argv[1]);
			return 2;
		}
	} else if (argc != 0)
		usage();
	switch ((rc = demo_create(db, now, DEMO_PASSWORD))) {
	case DB_OK:
		printf("demo ledger created\n");
		return 0;
	case DB_CONFLICT:
		printf("the database already holds data: demo not created\n");
		return 0;
	default:
		fprintf(stderr, "reckonctl: demo: %s\n", db_rc_str(rc));
		return 1;
	}
}

static int
cmd_user(struct db *db, int argc, char *argv[])
{
	char		 pw[1100], hash[crypto_pwhash_STRBYTES];
	struct field	 f;
	struct org	*org = NULL;
	enum role	 role;
	int64_t		 org_id;
	char		*end;
	size_t		 n;
	int		 rc;

	if (argc < 4 || argc > 5 || strcmp(argv[0], "add") != 0)
		usage();
	memset(&f, 0, sizeof(f));
	f.raw = argv[1];
	if (!valid_email(&f)) {
		fprintf(stderr, "reckonctl: not an email address: %s\n",
		    argv[1]);
		return 2;
	}
	org_id = strtoll(argv[2], &end, 10);
	if (*end != '\0' || org_id <= 0) {
		fprintf(stderr, "reckonctl: not an organization id: %s\n",
		    argv[2]);
		return 2;
	}
	if (session_role_parse(argv[3], &role) == -1) {
		fprintf(stderr, "reckonctl: role must be owner, billing_admin, "
		    "accountant or member\n");
		return 2;
	}
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "reckonctl: give the password on stdin\n");
		return 2;
	}
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	memset(&f, 0, sizeof(f));
	f.raw = pw;
	if (n < 8 || !valid_password(&f)) {
		fprintf(stderr, "reckonctl: the password needs 8 to 1024 "
		    "bytes\n");
		sodium_memzero(pw, sizeof(pw));
		return 2;
	}
	rc = session_password_hash(pw, hash, sizeof(hash));
	sodium_memzero(pw, sizeof(pw));
	if (rc == -1)
		return 1;
	if ((rc = db_begin_write(db)) != DB_OK)
		return 1;
	if ((rc = db_org_get(db, org_id, &org)) == DB_NOTFOUND) {
		db_rollback(db);
		fprintf(stderr, "reckonctl: no organization %lld\n",
		    (long long)org_id);
		return 1;
	}
	db_org_free(org);
	if (rc != DB_OK || (rc = db_user_insert(db, org_id, argv[1],
	    argc == 5 ? argv[4] : argv[1], argv[3], hash,
	    (int64_t)time(NULL), NULL)) != DB_OK) {
		db_rollback(db);
		fprintf(stderr, "reckonctl: user add: %s\n", rc == DB_CONFLICT ?
		    "that email address is taken" : db_rc_str(rc));
		return 1;
	}
	if (db_commit(db) != DB_OK)
		return 1;
	printf("user %s added\n", argv[1]);
	return 0;
}

/*
 * Record the start of job (for "reckonctl status"), wall-clock time
 * whatever --now says.  A failure to record it is said, not fatal.
 */
static void
job_start(struct db *db, const char *job)
{
	if (ops_job_start(db, job, (int64_t)time(NULL)) != DB_OK)
		fprintf(stderr, "reckonctl: %s: could not record its start "
		    "(the job runs anyway)\n", job);
}

/* Print the job's result line and record it with the job's end. */
static void
job_end(struct db *db, const char *job, const char *line, int failed)
{
	char	 res[160];

	printf("%s\n", line);
	snprintf(res, sizeof(res), "%s%s", line, failed ? " (exit 1)" : "");
	if (ops_job_end(db, job, (int64_t)time(NULL), res) != DB_OK)
		fprintf(stderr, "reckonctl: %s: could not record its end\n",
		    job);
}

static int
cmd_renew(struct db *db, int argc, char *argv[])
{
	struct renewal_stats	 st;
	int64_t			 now = (int64_t)time(NULL);
	char			 line[160];
	int			 rc;

	if (argc == 2 && strcmp(argv[0], "--now") == 0) {
		if (util_time_parse(argv[1], &now) == -1) {
			fprintf(stderr, "reckonctl: --now: not a time: %s\n",
			    argv[1]);
			return 2;
		}
	} else if (argc != 0)
		usage();
	memset(&st, 0, sizeof(st));
	job_start(db, "renew");
	rc = renewal_run(db, now, 0, &st);
	snprintf(line, sizeof(line), "renewed %lld, expired %lld, charged "
	    "%lld, declined %lld, failed %lld", (long long)st.renewed,
	    (long long)st.expired, (long long)st.charged,
	    (long long)st.declined, (long long)st.failed);
	job_end(db, "renew", line, rc != DB_OK || st.org_failures > 0);
	if (rc != DB_OK) {
		fprintf(stderr, "reckonctl: renew: %s (what was done is "
		    "kept; run it again)\n", db_rc_str(rc));
		return 1;
	}
	if (st.org_failures > 0) {
		fprintf(stderr, "reckonctl: renew: %lld organization(s) could "
		    "not be renewed (see the log and the renewal_failure "
		    "table); every other one was; the next run retries "
		    "them\n", (long long)st.org_failures);
		return 1;
	}
	return 0;
}

/* The value of the environment variable name, or def if unset or empty. */
static const char *
env_or(const char *name, const char *def)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/*
 * reckonctl mail [--now TIME] [--relay URL] [--from ADDR]: deliver the
 * outbox messages due at TIME (default: now), see mail_send_due.  The
 * password comes from the environment only, never from the command
 * line (where ps shows it).  Prints "sent N, failed N, waiting N".
 * Returns the exit status: 0 if something was sent or nothing was due
 * (a failed message waits for its next attempt); 1 if messages were due
 * and none could be sent (the relay is down or refuses: said why), or
 * on a database error; 2 for bad arguments.
 */
static int
cmd_mail(struct db *db, int argc, char *argv[])
{
	struct mail_config	 cfg;
	struct mail_stats	 st;
	int64_t			 now = (int64_t)time(NULL);
	char			 line[160];
	int			 i, rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.relay = env_or("RECKON_SMTP_URL", "smtp://127.0.0.1:2525");
	cfg.from = env_or("RECKON_MAIL_FROM", "billing@reckon.invalid");
	cfg.username = env_or("RECKON_SMTP_USER", NULL);
	cfg.password = env_or("RECKON_SMTP_PASSWORD", NULL);
	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--now") == 0) {
			if (util_time_parse(argv[i + 1], &now) == -1) {
				fprintf(stderr, "reckonctl: --now: not a time: "
				    "%s\n", argv[i + 1]);
				return 2;
			}
		} else if (strcmp(argv[i], "--relay") == 0)
			cfg.relay = argv[i + 1];
		else if (strcmp(argv[i], "--from") == 0)
			cfg.from = argv[i + 1];
		else
			usage();
	}
	if (strncmp(cfg.relay, "smtp://", 7) != 0 &&
	    strncmp(cfg.relay, "smtps://", 8) != 0) {
		fprintf(stderr, "reckonctl: mail: the relay must be an "
		    "smtp:// or smtps:// URL\n");
		return 2;
	}
	if (!mail_addr_ok(cfg.from)) {
		fprintf(stderr, "reckonctl: mail: not a plain address "
		    "(local@domain): %s\n", cfg.from);
		return 2;
	}
	job_start(db, "mail");
	rc = mail_send_due(db, now, &cfg, &st);
	snprintf(line, sizeof(line), "sent %lld, failed %lld, waiting %lld",
	    (long long)st.sent, (long long)st.failed, (long long)st.waiting);
	job_end(db, "mail", line, rc != DB_OK ||
	    (st.sent == 0 && st.failed > 0));
	if (rc != DB_OK) {
		fprintf(stderr, "reckonctl: mail: %s (what was done is kept; "
		    "run it again)\n", db_rc_str(rc));
		return 1;
	}
	if (st.sent == 0 && st.failed > 0) {
		fprintf(stderr, "reckonctl: mail: nothing could be sent: the "
		    "relay %s did not take the messages (see the log above; "
		    "set RECKON_SMTP_URL or --relay); they wait for their next "
		    "attempt\n", cfg.relay);
		return 1;
	}
	return 0;
}

/*
 * Check db's integrity and the ledger's invariants; with verbose (or
 * when one fails), print each count.  Prints "PREFIX: ok" or "PREFIX: FAILED".  Returns the
 * exit status: 0 if all hold, 1 if not (or on a database error).
 */
static int
verify_db(struct db *db, const char *prefix, int verbose)
{
	struct ledger_report	 rep;
	struct chain_report	 chain;
	char			 msg[256];
	size_t			 i;
	int			 rc, bad = 0, chain_bad;

	if ((rc = db_integrity_check(db, msg, sizeof(msg))) == DB_ERROR)
		return 1;
	if (verbose || rc != DB_OK)
		printf("integrity_check: %s\n", msg);
	bad |= rc != DB_OK;
	if (db_begin_read(db) != DB_OK)
		return 1;
	rc = ledger_check(db, &rep);
	db_rollback(db);
	if (rc != LEDGER_OK)
		return 1;
	bad |= ledger_report_bad(&rep);
	if (db_begin_read(db) != DB_OK)
		return 1;
	rc = chain_verify(db, &chain);
	db_rollback(db);
	if (rc != DB_OK)
		return 1;
	chain_bad = chain.bad != 0 || chain.sealed != chain.documents;
	bad |= chain_bad;
	for (i = 0; (verbose || bad) && i < ledger_report_nfields; i++)
		printf("%s: %lld\n", ledger_report_fields[i].label,
		    (long long)ledger_report_count(&rep, i));
	if (verbose || chain_bad)
		printf("documents sealed: %lld of %lld\n"
		    "documents unlike their seal: %lld\n",
		    (long long)chain.sealed, (long long)chain.documents,
		    (long long)chain.bad);
	if (chain_bad)
		printf("first document unlike its seal: %s: %s\n",
		    chain.first, chain.why);
	printf("%s: %s\n", prefix, bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}

static int
cmd_verify(struct db *db)
{
	return verify_db(db, "verify", 1);
}

/*
 * reckonctl chain head: the last document of every series and its seal,
 * one line each ("KIND YEAR NUMBER SEAL"), for the seller to publish or
 * have timestamped; a later change to any document of the series
 * changes this line.  Returns the exit status.
 */
static int
cmd_chain(struct db *db, int argc, char *argv[])
{
	struct chain_head	*h;
	size_t			 i, n;
	int			 rc;

	if (argc != 1 || strcmp(argv[0], "head") != 0)
		usage();
	if (db_begin_read(db) != DB_OK)
		return 1;
	rc = chain_heads(db, &h, &n);
	db_rollback(db);
	if (rc != DB_OK) {
		fprintf(stderr, "reckonctl: chain: %s\n",
		    db_rc_str(db->last_rc));
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%s %lld %s %s\n", h[i].kind, (long long)h[i].year,
		    h[i].number, h[i].hash[0] != '\0' ? h[i].hash : "unsealed");
	if (n == 0)
		fprintf(stderr, "reckonctl: chain: no document issued yet\n");
	free(h);
	return 0;
}

/*
 * Seal the documents issued before the chain existed (the migration to
 * it cannot hash), once, by the first command that migrates.
 */
static int
seal_missing(struct db *db)
{
	int64_t	 n;

	if (db_begin_write(db) != DB_OK)
		return -1;
	if (chain_seal_missing(db, &n) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) != DB_OK)
		return -1;
	if (n > 0)
		fprintf(stderr, "reckonctl: sealed %lld documents issued "
		    "before the chain\n", (long long)n);
	return 0;
}

/* The copy at path, opened as a database of this binary's schema, verified. */
static int
verify_file(const char *path, const char *prefix)
{
	struct db	*copy;
	char		*lock;
	int		 rc;

	if (db_open(path, DB_COPY, &copy) != DB_OK)
		return 1;
	rc = verify_db(copy, prefix, 0);
	db_close(copy);
	lock = xasprintf("%s.lock", path);	/* made by db_open */
	unlink(lock);
	free(lock);
	return rc;
}

/*
 * reckonctl backup FILE: a copy of the database as of one moment, taken
 * while the portal runs, never over an existing file, and verified.
 */
static int
cmd_backup(struct db *db, int argc, char *argv[])
{
	int	 rc;

	if (argc != 1)
		usage();
	if ((rc = db_backup(db, argv[0])) == DB_CONFLICT) {
		fprintf(stderr, "reckonctl: backup: %s exists; not "
		    "overwritten (choose a new name)\n", argv[0]);
		return 1;
	}
	if (rc != DB_OK) {
		fprintf(stderr, "reckonctl: backup: no copy made (see the "
		    "log above)\n");
		return 1;
	}
	if (verify_file(argv[0], "backup: the copy verifies") != 0) {
		fprintf(stderr, "reckonctl: backup: the copy %s does not "
		    "verify; do not rely on it\n", argv[0]);
		return 1;
	}
	printf("backup: %s written\n", argv[0]);
	return 0;
}

/*
 * reckonctl restore FILE: replace the database with a copy made by
 * backup, once the copy verifies; a copy of a newer schema than this
 * binary's is refused, an older one is migrated after.
 */
static int
cmd_restore(struct db *db, int argc, char *argv[])
{
	int	 v, rc;

	if (argc != 1)
		usage();
	if ((rc = db_file_schema_version(argv[0], &v)) == DB_NOTFOUND) {
		fprintf(stderr, "reckonctl: restore: no such file: %s\n",
		    argv[0]);
		return 1;
	}
	if (rc != DB_OK || v < 1) {
		fprintf(stderr, "reckonctl: restore: %s is not a Reckon "
		    "database\n", argv[0]);
		return 1;
	}
	if ((size_t)v > db_nmigrations) {
		fprintf(stderr, "reckonctl: restore: %s has schema version "
		    "%d, newer than this reckonctl's %zu; nothing restored "
		    "(use the reckonctl that made it)\n", argv[0], v,
		    db_nmigrations);
		return 1;
	}
	if ((size_t)v == db_nmigrations &&
	    verify_file(argv[0], "restore: the copy verifies") != 0) {
		fprintf(stderr, "reckonctl: restore: %s does not verify; "
		    "nothing restored\n", argv[0]);
		return 1;
	}
	if ((rc = db_restore(db, argv[0])) != DB_OK) {
		fprintf(stderr, "reckonctl: restore: %s; the database is as "
		    "it was\n", rc == DB_BUSY ? "another writer held the "
		    "database" : "the copy could not be written");
		return 1;
	}
	if ((size_t)v < db_nmigrations && db_migrate(db) != DB_OK) {
		fprintf(stderr, "reckonctl: restore: restored, but the "
		    "migration to schema %zu failed\n", db_nmigrations);
		return 1;
	}
	printf("restore: %s restored (schema %d%s)\n", argv[0], v,
	    (size_t)v < db_nmigrations ? ", migrated" : "");
	return verify_db(db, "restore: the database verifies", 0);
}

/* reckonctl status: schema, queues, and the last runs of the jobs. */
static void
run_put(const char *job, const struct ops_run *r)
{
	char	 a[32], b[32];

	if (r->started_at == 0) {
		printf("%s: never ran\n", job);
		return;
	}
	util_time_fmt(r->started_at, "%Y-%m-%dT%H:%M:%SZ", a, sizeof(a));
	if (r->finished_at == 0) {
		printf("%s: started %s, not finished (running, or "
		    "stopped)\n", job, a);
		return;
	}
	util_time_fmt(r->finished_at, "%Y-%m-%dT%H:%M:%SZ", b, sizeof(b));
	printf("%s: last run %s to %s: %s\n", job, a, b, r->result);
}

static int
cmd_status(struct db *db)
{
	struct ops_status	 s;

	if (ops_status(db, (int64_t)time(NULL), &s) != DB_OK)
		return 1;
	printf("schema: version %d (this reckonctl: %zu)\n", s.schema,
	    db_nmigrations);
	printf("mail queue: %lld waiting, %lld due now\n",
	    (long long)s.mail_waiting, (long long)s.mail_due);
	printf("charges to attempt: %lld, %lld due now\n",
	    (long long)s.charges_open, (long long)s.charges_due);
	run_put("renew", &s.renew);
	run_put("mail", &s.mail);
	return 0;
}

/*
 * Append s (borrowed, from the database) to b for a terminal: control
 * bytes, which could be escape sequences, become '?'; with indent set,
 * a '\n' starts a new line indented by it.
 */
static void
text_put(struct buf *b, const char *s, const char *indent)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\n' && indent != NULL) {
			buf_puts(b, "\n");
			buf_puts(b, indent);
		} else if (*p < 0x20 || *p == 0x7f)
			buf_puts(b, "?");
		else
			buf_add(b, p, 1);
	}
}

/* Format amount in cur into out (MONEY_FMT_BUFSZ): "?" if it cannot. */
static const char *
text_money(cents_t amount, const char *cur, char *out)
{
	if (money_fmt(amount, cur, out, MONEY_FMT_BUFSZ) != MONEY_OK)
		snprintf(out, MONEY_FMT_BUFSZ, "?");
	return out;
}

/*
 * Format the UTC day of t into out (16 bytes): "?" if it cannot.  For
 * the end of a period, pass the second before it: periods end at the
 * first second after them.
 */
static const char *
text_date(int64_t t, char *out)
{
	if (util_time_fmt(t, "%Y-%m-%d", out, 16) == -1)
		snprintf(out, 16, "?");
	return out;
}

/*
 * Append "label ... value\n" to b, value right-aligned to column 50,
 * counting characters, not bytes ("€" is one).
 */
static void
text_row(struct buf *b, const char *label, const char *value)
{
	const char	*p;
	int		 n = 0;

	for (p = label; *p != '\0'; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	for (p = value; *p != '\0'; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	buf_puts(b, label);
	for (; n < 49; n++)
		buf_puts(b, " ");
	buf_printf(b, " %s\n", value);
}

/*
 * Append one party (seller or buyer) of d to b, under label; the
 * country unless the address ends with it, as invoice.c writes them.
 */
static void
text_party(struct buf *b, const char *label, const char *name,
    const char *addr, const char *country, const char *vat, const char *po)
{
	const struct country	*c;
	const char		*last;

	buf_printf(b, "%-10s", label);
	text_put(b, name, NULL);
	buf_puts(b, "\n          ");
	text_put(b, addr, "          ");
	last = strrchr(addr, '\n');
	last = last != NULL ? last + 1 : addr;
	c = country_find(country);
	if (strcmp(last, country) != 0 && (c == NULL ||
	    strcmp(last, c->name) != 0))
		buf_printf(b, "\n          %s", c != NULL ? c->name : "?");
	buf_puts(b, "\n");
	if (vat[0] != '\0') {
		buf_puts(b, "          VAT number ");
		text_put(b, vat, NULL);
		buf_puts(b, "\n");
	}
	if (po != NULL && po[0] != '\0') {
		buf_puts(b, "          PO reference ");
		text_put(b, po, NULL);
		buf_puts(b, "\n");
	}
}

/*
 * Append document d (borrowed) to b as plain text: header, parties,
 * lines, VAT per rate, totals, tax note, payments and status.
 */
static void
invoice_text(const struct document *d, struct buf *b)
{
	const struct doc_line	*l;
	const struct receipt	*r;
	char			 m1[MONEY_FMT_BUFSZ], m2[MONEY_FMT_BUFSZ];
	char			 m3[MONEY_FMT_BUFSZ], d1[16], d2[16], rate[16];
	size_t			 i;

	buf_printf(b, "%s %s\n", invoice_kind_word(d->kind), d->number);
	buf_printf(b, "Issued          %s\n", text_date(d->issued_at, d1));
	buf_printf(b, "Service period  %s to %s\n",
	    text_date(d->period_start, d1), text_date(d->period_end >
	    d->period_start ? d->period_end - 1 : d->period_start, d2));
	buf_printf(b, "Status          %s\n", invoice_status_word(d->status));
	if (d->corrects[0] != '\0')
		buf_printf(b, "Corrects        invoice %s\n", d->corrects);
	buf_puts(b, "\n");
	text_party(b, "Seller", d->seller_name, d->seller_address,
	    d->seller_country, d->seller_vat, NULL);
	text_party(b, "Buyer", d->buyer_name, d->buyer_address,
	    d->buyer_country, d->buyer_vat, d->po_reference);

	buf_puts(b, "\nLines\n");
	for (i = 0; i < d->nlines; i++) {
		l = &d->lines[i];
		if (pdf_rate_fmt(l->tax_rate_bp, rate, sizeof(rate)) == -1)
			snprintf(rate, sizeof(rate), "?");
		buf_printf(b, "%3zu. ", i + 1);
		text_put(b, l->description, NULL);
		buf_printf(b, "\n     %s to %s: %lld x %s = %s, VAT %s %s\n",
		    text_date(l->period_start, d1), text_date(l->period_end >
		    l->period_start ? l->period_end - 1 : l->period_start, d2),
		    (long long)l->quantity,
		    text_money(l->unit_price, d->currency, m1),
		    text_money(l->amount, d->currency, m2), rate,
		    text_money(l->tax_amount, d->currency, m3));
	}

	buf_puts(b, "\n");
	text_row(b, "Net total", text_money(d->net_total, d->currency, m1));
	for (i = 0; i < d->ntaxes && i < sizeof(d->taxes) /
	    sizeof(d->taxes[0]); i++) {
		char	 label[80];

		if (pdf_rate_fmt(d->taxes[i].rate_bp, rate, sizeof(rate)) == -1)
			snprintf(rate, sizeof(rate), "?");
		snprintf(label, sizeof(label), "VAT %s on %s", rate,
		    text_money(d->taxes[i].net, d->currency, m1));
		text_row(b, label, text_money(d->taxes[i].tax, d->currency,
		    m2));
	}
	text_row(b, "VAT total", text_money(d->tax_total, d->currency, m1));
	text_row(b, "Total", text_money(d->total, d->currency, m1));
	if (d->tax_note[0] != '\0') {
		buf_puts(b, "\n");
		text_put(b, d->tax_note, NULL);
		buf_puts(b, "\n");
	}

	buf_puts(b, "\nPayments\n");
	for (i = 0; i < d->nreceipts; i++) {
		r = &d->receipts[i];
		buf_printf(b, "  Paid %s", text_date(r->paid_at, d1));
		if (r->method[0] != '\0') {
			buf_puts(b, " by ");
			text_put(b, r->method, NULL);
		}
		buf_printf(b, ": %s\n", text_money(r->amount, d->currency, m1));
	}
	if (d->nreceipts == 0)
		buf_printf(b, "  %s\n", d->kind == DOC_INVOICE ?
		    "Not paid yet" : "None: a credit note");
	buf_printf(b, "Paid %s of %s; status %s\n",
	    text_money(d->paid, d->currency, m1),
	    text_money(d->total, d->currency, m2),
	    invoice_status_word(d->status));
	if (d->seal[0] != '\0')
		buf_printf(b, "\nSeal (SHA-256, chained) %s\n", d->seal);
}

/*
 * reckonctl invoice show NUMBER: print the document as text.
 * reckonctl invoice pdf NUMBER: write its PDF to stdout, which must not
 * be a terminal; reckonctl invoice xml NUMBER: its UBL e-invoice.  Reads in one read transaction.  Returns the exit
 * status: 0; 1 if there is no such document or on internal error
 * (logged); 2 for a bad NUMBER or a terminal.
 */
static int
cmd_invoice(struct db *db, int argc, char *argv[])
{
	struct document	*doc = NULL;
	struct buf	 out;
	int		 rc, pdf, xml;

	if (argc != 2 || (strcmp(argv[0], "show") != 0 &&
	    strcmp(argv[0], "pdf") != 0 && strcmp(argv[0], "xml") != 0))
		usage();
	pdf = strcmp(argv[0], "pdf") == 0;
	xml = strcmp(argv[0], "xml") == 0;
	if (!valid_doc_number(argv[1])) {
		fprintf(stderr, "reckonctl: not a document number: %s\n",
		    argv[1]);
		return 2;
	}
	if (pdf && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "reckonctl: invoice pdf: will not write a PDF "
		    "to a terminal; redirect stdout to a file\n");
		return 2;
	}
	if (db_begin_read(db) != DB_OK)
		return 1;
	rc = invoice_get_by_number(db, argv[1], &doc);
	db_rollback(db);
	switch (rc) {
	case INV_OK:
		break;
	case INV_NOTFOUND:
		fprintf(stderr, "reckonctl: no document %s\n", argv[1]);
		return 1;
	default:
		fprintf(stderr, "reckonctl: invoice: %s\n",
		    db_rc_str(db->last_rc));
		return 1;
	}
	memset(&out, 0, sizeof(out));
	rc = 0;
	if (pdf)
		rc = pdf_document(doc, &out);
	else if (xml)
		rc = ubl_document(doc, &out);
	else
		invoice_text(doc, &out);
	invoice_free(doc);
	if (rc == -1)
		fprintf(stderr, "reckonctl: invoice %s: cannot render %s\n",
		    argv[0], argv[1]);
	else if (fwrite(out.p, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "reckonctl: invoice: write: %s\n",
		    strerror(errno));
		rc = -1;
	}
	buf_free(&out);
	return rc == -1 ? 1 : 0;
}

/*
 * Keep freed memory in the process instead of handing it back to the
 * kernel at once.  SQLite's statement journal takes a 64 KiB chunk for
 * each statement that fires a trigger or may fail halfway (most of a
 * renewal's writes) and frees it when the statement ends; with glibc's
 * defaults that chunk can lie at the top of the heap, and then every
 * such statement grows the heap with brk(2), trims it again and faults
 * its pages in anew (perf: a quarter of bench_sqlite's time, a tenth of
 * reckonctl renew's).  A command runs for minutes at most, so keeping
 * up to 64 MiB free costs nothing; blocks under 4 MiB come from the
 * heap, reused, rather than from mmap(2) each time.  (mimalloc, linked
 * unless configured --without-mimalloc, keeps freed memory itself and
 * ignores these settings.)
 */
static void
malloc_tune(void)
{
#ifdef M_TRIM_THRESHOLD
	(void)mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 1024 * 1024);
	(void)mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
}

int
main(int argc, char *argv[])
{
	struct db	*db;
	const char	*path = NULL, *home;
	char		*def = NULL, *sandbox;
	int		 rc, migrate;

	malloc_tune();
	log_init("reckonctl");
	if (sodium_init() < 0)
		fatalx("libsodium cannot start");
	argc--;
	argv++;
	if (argc >= 2 && strcmp(argv[0], "--db") == 0) {
		path = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 1)
		usage();
	if (path == NULL) {
		home = getenv("RECKON_HOME");
		def = xasprintf("%s/reckon.db", home && *home ? home : "./var");
		path = def;
	}
	migrate = strcmp(argv[0], "verify") != 0 &&
	    strcmp(argv[0], "invoice") != 0 && strcmp(argv[0], "backup") != 0 &&
	    strcmp(argv[0], "status") != 0 && strcmp(argv[0], "chain") != 0;
	if (db_open(path, migrate ? DB_MIGRATE : 0, &db) != DB_OK) {
		free(def);
		return 1;
	}
	if (migrate && seal_missing(db) == -1) {
		fprintf(stderr, "reckonctl: cannot seal the documents: %s\n",
		    db_rc_str(db->last_rc));
		db_close(db);
		free(def);
		return 1;
	}
	sandbox = xasprintf("%s.sandbox", path);
	if (gateway_init(sandbox) == -1) {
		free(sandbox);
		free(def);
		db_close(db);
		return 1;
	}
	free(sandbox);
	if (strcmp(argv[0], "migrate") == 0 && argc == 1)
		rc = 0;
	else if (strcmp(argv[0], "demo") == 0)
		rc = cmd_demo(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "user") == 0)
		rc = cmd_user(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "verify") == 0 && argc == 1)
		rc = cmd_verify(db);
	else if (strcmp(argv[0], "renew") == 0)
		rc = cmd_renew(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "invoice") == 0)
		rc = cmd_invoice(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "mail") == 0)
		rc = cmd_mail(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "backup") == 0)
		rc = cmd_backup(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "restore") == 0)
		rc = cmd_restore(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "status") == 0 && argc == 1)
		rc = cmd_status(db);
	else if (strcmp(argv[0], "chain") == 0)
		rc = cmd_chain(db, argc - 1, argv + 1);
	else
		usage();
	gateway_close();
	db_close(db);
	free(def);
	return rc;
}
