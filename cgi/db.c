/* db.c: the SQLite connection, the statement table, transactions. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "util.h"

/* Frames in the WAL after which a commit checkpoints (under the lock). */
#define DB_CHECKPOINT_FRAMES	1000
#define DB_BUSY_MS		5000

static const char *const stmts[STMT__MAX] = {
	/* STMT_SELLER_INSERT */
	"INSERT INTO seller (id, name, address, country, vat_number) "
	"VALUES (1, ?, ?, ?, ?)",
	/* STMT_ORG_INSERT */
	"INSERT INTO organization (parent_id, name, currency, country, "
	"account_email, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_ORG_GET */
	"SELECT id, parent_id, name, currency, country, account_email "
	"FROM organization WHERE id = ?",
	/* STMT_ORG_CHILDREN: sorted by name in C (db_org_list_children) */
	"SELECT id, name, currency FROM organization WHERE parent_id = ?",
	/* STMT_ORG_COUNT */
	"SELECT count(*) FROM organization",
	/* STMT_USER_INSERT */
	"INSERT INTO user (org_id, email, name, role, pwhash, created_at) "
	"VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_USER_BY_EMAIL */
	"SELECT id, org_id, email, name, role, pwhash FROM user "
	"WHERE email = ?",
	/* STMT_USER_SET_PWHASH */
	"UPDATE user SET pwhash = ? WHERE id = ?",
	/* STMT_SESSION_INSERT */
	"INSERT INTO session (token_hash, user_id, csrf, created_at, seen_at) "
	"VALUES (?, ?, ?, ?, ?)",
	/* STMT_SESSION_GET */
	"SELECT u.id, u.org_id, u.email, u.name, u.role, s.csrf, "
	"s.created_at, s.seen_at, o.name, o.currency "
	"FROM session s JOIN user u ON u.id = s.user_id "
	"JOIN organization o ON o.id = u.org_id WHERE s.token_hash = ?",
	/* STMT_SESSION_TOUCH */
	"UPDATE session SET seen_at = ? WHERE token_hash = ?",
	/* STMT_SESSION_DELETE */
	"DELETE FROM session WHERE token_hash = ?",
	/* STMT_SESSION_PURGE: idle or past the absolute limit */
	"DELETE FROM session WHERE seen_at < ? OR created_at < ?",
	/* STMT_LOGIN_FAIL_INSERT */
	"INSERT INTO login_failure (key, at) VALUES (?, ?)",
	/* STMT_LOGIN_FAIL_COUNT */
	"SELECT count(*) FROM login_failure WHERE key = ? AND at >= ?",
	/* STMT_LOGIN_FAIL_CLEAR */
	"DELETE FROM login_failure WHERE key = ?",
	/* STMT_LOGIN_FAIL_PURGE */
	"DELETE FROM login_failure WHERE at < ?",
	/* STMT_PRODUCT_INSERT */
	"INSERT INTO product (code, name, kind) VALUES (?, ?, ?)",
	/* STMT_PLAN_INSERT */
	"INSERT INTO plan (product_id, period, currency, unit_price) "
	"VALUES (?, ?, ?, ?)",
	/* STMT_SUB_INSERT */
	"INSERT INTO subscription (org_id, plan_id, quantity, period_start, "
	"period_end, auto_renew, cancel_at, contract_end, status, created_at, "
	"anchor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?4)",
	/* STMT_SUB_LIST_BY_ORG: sorted in C (db_sub_list_by_org) */
	"SELECT s.id, s.quantity, s.period_start, s.period_end, s.auto_renew, "
	"s.cancel_at, s.contract_end, s.status, p.period, p.currency, "
	"p.unit_price, pr.id, pr.code, pr.name, pr.kind, s.org_id, s.anchor, "
	"s.plan_id, s.replaced_by, s.version FROM subscription s "
	"JOIN plan p ON p.id = s.plan_id "
	"JOIN product pr ON pr.id = p.product_id WHERE s.org_id = ?",
	/* STMT_SENSOR_INSERT */
	"INSERT INTO sensor (org_id, ext_id, product_id, deployed_at, "
	"removed_at) VALUES (?, ?, ?, ?, ?)",
	/*
	 * STMT_SENSOR_COUNT_BY_ORG: deployed sensors per product, grouped in
	 * the index's order and sorted by name in C (db_sensor_count_by_org)
	 */
	"SELECT pr.id, pr.name, count(*) FROM sensor se "
	"JOIN product pr ON pr.id = se.product_id "
	"WHERE se.org_id = ? AND se.removed_at IS NULL "
	"GROUP BY se.product_id",
	/* STMT_ENTRY_INSERT */
	"INSERT INTO journal_entry (org_id, idem_key, kind, memo, currency, "
	"posted_at) VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_ENTRY_BY_KEY */
	"SELECT id FROM journal_entry WHERE idem_key = ?",
	/* STMT_LINE_INSERT */
	"INSERT INTO journal_line (entry_id, org_id, account, amount) "
	"VALUES (?, ?, ?, ?)",
	/* STMT_BALANCE_GET */
	"SELECT balance FROM account_balance "
	"WHERE org_id = ? AND account = ? AND currency = ?",
	/* STMT_DETAILS_GET */
	"SELECT account_email, invoice_email, billing_name, address_line1, "
	"address_line2, city, postal_code, region, country, vat_number, "
	"po_reference, buyer_reference FROM organization WHERE id = ?",
	/* STMT_DETAILS_UPDATE */
	"UPDATE organization SET account_email = ?, invoice_email = ?, "
	"billing_name = ?, address_line1 = ?, address_line2 = ?, city = ?, "
	"postal_code = ?, region = ?, country = ?, vat_number = ?, "
	"po_reference = ?, buyer_reference = ? WHERE id = ?",
	/* STMT_CC_LIST */
	"SELECT email FROM billing_cc WHERE org_id = ? ORDER BY position",
	/* STMT_CC_DELETE */
	"DELETE FROM billing_cc WHERE org_id = ?",
	/* STMT_CC_INSERT */
	"INSERT INTO billing_cc (org_id, position, email) VALUES (?, ?, ?)",
	/* STMT_PM_LIST: the methods in use, the default first */
	"SELECT id, kind, brand, last4, exp_month, exp_year, country, "
	"mandate_ref, is_default, processor_ref FROM payment_method "
	"WHERE org_id = ? AND removed_at IS NULL ORDER BY is_default DESC, id",
	/* STMT_PM_GET */
	"SELECT id, kind, brand, last4, exp_month, exp_year, country, "
	"mandate_ref, is_default, processor_ref FROM payment_method "
	"WHERE id = ? AND org_id = ? AND removed_at IS NULL",
	/* STMT_PM_INSERT */
	"INSERT INTO payment_method (org_id, kind, processor_ref, brand, last4, "
	"exp_month, exp_year, country, mandate_ref, is_default, created_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_PM_CLEAR_DEFAULT */
	"UPDATE payment_method SET is_default = 0 "
	"WHERE org_id = ? AND is_default = 1",
	/* STMT_PM_SET_DEFAULT */
	"UPDATE payment_method SET is_default = 1 "
	"WHERE id = ? AND org_id = ? AND removed_at IS NULL",
	/* STMT_PM_REMOVE */
	"UPDATE payment_method SET removed_at = ?, is_default = 0 "
	"WHERE id = ? AND org_id = ? AND removed_at IS NULL",
	/* STMT_PM_COUNT */
	"SELECT count(*) FROM payment_method "
	"WHERE org_id = ? AND removed_at IS NULL",
	/* STMT_SUB_CHARGEABLE_COUNT: subscriptions that will charge again */
	"SELECT count(*) FROM subscription WHERE org_id = ? AND "
	"status = 'active' AND auto_renew = 1 AND cancel_at IS NULL",
	/* STMT_AUDIT_INSERT */
	"INSERT INTO audit_log (org_id, user_id, actor, remote_addr, at, "
	"action, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_AUDIT_LIST: newest first, rows before an id (keyset paging) */
	"SELECT id, actor, remote_addr, at, action, old_value, new_value "
	"FROM audit_log WHERE org_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
	/* STMT_OUTBOX_INSERT: a key queued before is not queued again */
	"INSERT INTO outbox (org_id, idem_key, kind, to_addr, subject, body, "
	"document_id, created_at, next_attempt_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING",
	/* STMT_FORM_TOKEN_GET */
	"SELECT location FROM form_token WHERE token = ? AND user_id = ?",
	/* STMT_FORM_TOKEN_INSERT */
	"INSERT INTO form_token (token, user_id, location, used_at) "
	"VALUES (?, ?, ?, ?)",
	/* STMT_FORM_TOKEN_PURGE */
	"DELETE FROM form_token WHERE used_at < ?",
	/* STMT_SELLER_DOC */
	"SELECT name, address, country, vat_number, paper, invoice_prefix, "
	"credit_prefix FROM seller WHERE id = 1",
	/* STMT_SERIES_NEXT: the next number of a kind's yearly series */
	"INSERT INTO doc_series (kind, year, last) VALUES (?, ?, 1) "
	"ON CONFLICT (kind, year) DO UPDATE SET last = last + 1 "
	"RETURNING last",
	/* STMT_DOC_INSERT */
	"INSERT INTO document (org_id, kind, number, series_year, seq, "
	"issued_at, period_start, period_end, currency, paper, seller_name, "
	"seller_address, seller_country, seller_vat, buyer_name, "
	"buyer_address, buyer_country, buyer_vat, po_reference, "
	"reverse_charge, tax_note, net_total, tax_total, total, corrects_id, "
	"entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	"?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* STMT_DOC_LINE_INSERT */
	"INSERT INTO document_line (document_id, position, description, "
	"period_start, period_end, quantity, unit_price, amount, tax_rate_bp, "
	"tax_amount, subscription_id) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0))",
	/* STMT_DOC_GET: one document, with what its status derives from */
	"SELECT d.id, d.org_id, d.kind, d.number, d.issued_at, d.period_start, "
	"d.period_end, d.currency, d.paper, d.seller_name, d.seller_address, "
	"d.seller_country, d.seller_vat, d.buyer_name, d.buyer_address, "
	"d.buyer_country, d.buyer_vat, d.po_reference, d.reverse_charge, "
	"d.tax_note, d.net_total, d.tax_total, d.total, "
	"coalesce((SELECT number FROM document o WHERE o.id = d.corrects_id), "
	"''), "
	"(SELECT coalesce(sum(amount), 0) FROM receipt r "
	"WHERE r.document_id = d.id), "
	"(SELECT coalesce(-sum(c.total), 0) FROM document c "
	"WHERE c.corrects_id = d.id) "
	"FROM document d WHERE d.id = ?",
	/* STMT_DOC_BY_NUMBER */
	"SELECT id FROM document WHERE number = ?",
	/* STMT_DOC_BY_ENTRY */
	"SELECT id FROM document WHERE entry_id = ?",
	/* STMT_DOC_LINES */
	"SELECT description, period_start, period_end, quantity, unit_price, "
	"amount, tax_rate_bp, tax_amount, coalesce(subscription_id, 0) "
	"FROM document_line "
	"WHERE document_id = ? ORDER BY position",
	/* STMT_RECEIPT_INSERT */
	"INSERT INTO receipt (document_id, org_id, paid_at, amount, method, "
	"entry_id) VALUES (?, ?, ?, ?, ?, ?)",
	/* STMT_RECEIPT_BY_ENTRY */
	"SELECT id FROM receipt WHERE entry_id = ?",
	/* STMT_RECEIPTS_BY_DOC */
	"SELECT id, paid_at, amount, method FROM receipt "
	"WHERE document_id = ? ORDER BY paid_at, id",
	/* STMT_DOC_LIST: an organization's documents in [from, to), newest first */
	"SELECT d.id, d.kind, d.number, d.issued_at, d.period_start, "
	"d.period_end, d.currency, d.total, "
	"(SELECT coalesce(sum(amount), 0) FROM receipt r "
	"WHERE r.document_id = d.id), "
	"(SELECT coalesce(-sum(c.total), 0) FROM document c "
	"WHERE c.corrects_id = d.id) "
	"FROM document d WHERE d.org_id = ? AND d.issued_at >= ? "
	"AND d.issued_at < ? ORDER BY d.issued_at DESC, d.id DESC LIMIT ?",
	/* STMT_DOC_LIST_BEFORE: the same, after a given document (keyset) */
	"SELECT d.id, d.kind, d.number, d.issued_at, d.period_start, "
	"d.period_end, d.currency, d.total, "
	"(SELECT coalesce(sum(amount), 0) FROM receipt r "
	"WHERE r.document_id = d.id), "
	"(SELECT coalesce(-sum(c.total), 0) FROM document c "
	"WHERE c.corrects_id = d.id) "
	"FROM document d, (SELECT issued_at AS bi, id AS bid FROM document "
	"WHERE id = ?) b WHERE d.org_id = ? AND d.issued_at >= ? "
	"AND d.issued_at < ? AND (d.issued_at, d.id) < (b.bi, b.bid) "
	"ORDER BY d.issued_at DESC, d.id DESC LIMIT ?",
	/* STMT_SUB_GET */
	"SELECT s.id, s.quantity, s.period_start, s.period_end, s.auto_renew, "
	"s.cancel_at, s.contract_end, s.status, p.period, p.currency, "
	"p.unit_price, pr.id, pr.code, pr.name, pr.kind, s.org_id, s.anchor, "
	"s.plan_id, s.replaced_by, s.version FROM subscription s "
	"JOIN plan p ON p.id = s.plan_id "
	"JOIN product pr ON pr.id = p.product_id WHERE s.id = ?",
	/* STMT_SUB_ADVANCE: to the next period, if still at the one read */
	"UPDATE subscription SET period_start = ?, period_end = ?, "
	"version = version + 1 "
	"WHERE id = ? AND period_end = ? AND status = 'active'",
	/* STMT_SUB_EXPIRE */
	"UPDATE subscription SET status = 'expired', auto_renew = 0, "
	"version = version + 1 "
	"WHERE id = ? AND status = 'active'",
	/* STMT_SUB_OTHERS_OF_PRODUCT: other active subscriptions of a product */
	"SELECT count(*) FROM subscription s JOIN plan p ON p.id = s.plan_id "
	"WHERE s.org_id = ? AND p.product_id = ? AND s.status = 'active' "
	"AND s.id <> ?",
	/* STMT_SENSOR_REMOVE_PRODUCT: disable and remove a product's sensors */
	"UPDATE sensor SET removed_at = ?, removed_reason = ? "
	"WHERE org_id = ? AND product_id = ? AND removed_at IS NULL",
	/* STMT_PM_DEFAULT */
	"SELECT id, kind, brand, last4, exp_month, exp_year, country, "
	"mandate_ref, is_default, processor_ref FROM payment_method "
	"WHERE org_id = ? AND is_default = 1 AND removed_at IS NULL",
	/* STMT_CHARGE_INSERT */
	"INSERT INTO charge (org_id, document_id, idem_key, amount, currency, "
	"status, next_attempt_at, created_at) "
	"VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
	/*
	 * STMT_CHARGE_DUE: in id order from the partial index charge_open
	 * (0006), whose WHERE must stay the same as this one's status test
	 */
	"SELECT id FROM charge WHERE status IN ('pending', 'declined') "
	"AND next_attempt_at <= ? AND id > ? ORDER BY id LIMIT ?",
	/* STMT_CHARGE_GET */
	"SELECT c.id, c.org_id, c.document_id, c.idem_key, c.amount, "
	"c.currency, c.status, c.attempts, c.next_attempt_at, c.created_at, "
	"d.number FROM charge c JOIN document d ON d.id = c.document_id "
	"WHERE c.id = ?",
	/* STMT_CHARGE_UPDATE */
	"UPDATE charge SET status = ?, attempts = ?, next_attempt_at = ?, "
	"payment_method_id = ?, processor_ref = ?, last_error = ? "
	"WHERE id = ?",
	/*
	 * STMT_CHARGE_TROUBLE: an organization's declined or failed charges,
	 * read in order from the partial index charge_trouble (0006): its
	 * WHERE must stay the same as this one's.
	 */
	"SELECT c.amount, c.currency, d.number, c.last_error, c.status "
	"FROM charge c JOIN document d ON d.id = c.document_id "
	"WHERE c.org_id = ? AND c.status IN ('declined', 'failed') "
	"ORDER BY c.id DESC LIMIT 5",
	/* STMT_PRODUCT_BY_CODE */
	"SELECT id, name, kind FROM product WHERE code = ?",
	/* STMT_SENSOR_GET: by the monitoring product's id */
	"SELECT id, product_id, removed_at FROM sensor "
	"WHERE org_id = ? AND ext_id = ?",
	/* STMT_SENSOR_REDEPLOY */
	"UPDATE sensor SET product_id = ?, deployed_at = ?, removed_at = NULL, "
	"removed_reason = '' WHERE id = ?",
	/* STMT_SENSOR_REMOVE */
	"UPDATE sensor SET removed_at = ?, removed_reason = ? "
	"WHERE id = ? AND removed_at IS NULL",
	/* STMT_SENSOR_COUNT_PRODUCT: deployed sensors of one product */
	"SELECT count(*) FROM sensor WHERE org_id = ? AND product_id = ? "
	"AND removed_at IS NULL",
	/* STMT_SUB_ACTIVE_BY_PRODUCT: renewing ones first, monthly first */
	"SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id "
	"WHERE s.org_id = ? AND p.product_id = ? AND s.status = 'active' "
	"ORDER BY s.cancel_at IS NOT NULL, p.period = 'annual', s.id",
	/* STMT_SUB_SET_QUANTITY */
	"UPDATE subscription SET quantity = ?, version = version + 1 "
	"WHERE id = ? AND quantity = ? "
	"AND status = 'active'",
	/* STMT_SUB_CANCEL: cancellation takes effect at cancel_at */
	"UPDATE subscription SET auto_renew = 0, cancel_at = ?, "
	"version = version + 1 "
	"WHERE id = ? AND org_id = ? AND status = 'active' "
	"AND cancel_at IS NULL",
	/* STMT_SUB_RESUME */
	"UPDATE subscription SET auto_renew = 1, cancel_at = NULL, "
	"version = version + 1 "
	"WHERE id = ? AND org_id = ? AND status = 'active' "
	"AND cancel_at IS NOT NULL",
	/* STMT_PLAN_GET */
	"SELECT p.id, p.product_id, p.period, p.currency, p.unit_price, "
	"pr.name, pr.kind FROM plan p JOIN product pr ON pr.id = p.product_id "
	"WHERE p.id = ?",
	/* STMT_PLAN_LIST: the plans in a currency, for plan changes */
	"SELECT p.id, p.product_id, p.period, p.currency, p.unit_price, "
	"pr.name, pr.kind FROM plan p JOIN product pr ON pr.id = p.product_id "
	"WHERE p.currency = ? ORDER BY pr.kind, pr.name, p.period",
	/* STMT_SUB_CHANGE_PLAN: another plan or quantity, maybe a new period */
	"UPDATE subscription SET plan_id = ?, quantity = ?, period_start = ?, "
	"period_end = ?, anchor = ?, version = version + 1 "
	"WHERE id = ? AND status = 'active'",
	/* STMT_APIKEY_INSERT: a sensors API key, kept only as its hash */
	"INSERT INTO api_key (org_id, prefix, key_hash, created_at, "
	"created_by) VALUES (?, ?, ?, ?, ?)",
	/* STMT_APIKEY_LIST: an organization's keys, active first, newest first */
	"SELECT id, prefix, created_at, created_by, revoked_at FROM api_key "
	"WHERE org_id = ? ORDER BY revoked_at IS NOT NULL, id DESC",
	/* STMT_APIKEY_GET: one key of an organization */
	"SELECT prefix, revoked_at FROM api_key WHERE id = ? AND org_id = ?",
	/* STMT_APIKEY_REVOKE */
	"UPDATE api_key SET revoked_at = ? WHERE id = ? AND org_id = ? "
	"AND revoked_at IS NULL",
	/* STMT_APIKEY_CHECK: the organization of an active key, by its hash */
	"SELECT org_id FROM api_key WHERE key_hash = ? AND revoked_at IS NULL",
	/* STMT_OUTBOX_NEXT_DUE: first unsent message due at ?1 after id ?2 */
	"SELECT id, org_id, idem_key, kind, to_addr, subject, body, "
	"document_id, created_at, attempts FROM outbox "
	"WHERE sent_at IS NULL AND next_attempt_at <= ?1 AND id > ?2 "
	"ORDER BY id LIMIT 1",
	/* STMT_OUTBOX_LEASE: a runner has it: not due for others until ? */
	"UPDATE outbox SET next_attempt_at = ? WHERE id = ? "
	"AND sent_at IS NULL",
	/* STMT_OUTBOX_SENT: the relay took it (attempts: the failed ones) */
	"UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
	/* STMT_OUTBOX_FAILED: one more failed attempt, why, when to retry */
	"UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
	"next_attempt_at = ? WHERE id = ? AND sent_at IS NULL",
	/* STMT_OUTBOX_WAITING: messages not sent yet */
	"SELECT count(*) FROM outbox WHERE sent_at IS NULL",
	/* STMT_SUB_REPLACED: an expired subscription names its successor */
	"UPDATE subscription SET replaced_by = ?, version = version + 1 "
	"WHERE id = ? AND "
	"status = 'expired' AND replaced_by IS NULL",
	/* STMT_VERIFY_UNBALANCED: entries whose lines do not sum to zero */
	"SELECT e.id FROM journal_entry e JOIN journal_line l "
	"ON l.entry_id = e.id GROUP BY e.id HAVING sum(l.amount) <> 0",
	/* STMT_VERIFY_EMPTY_ENTRIES: entries with fewer than two lines */
	"SELECT e.id FROM journal_entry e WHERE (SELECT count(*) "
	"FROM journal_line l WHERE l.entry_id = e.id) < 2",
	/* STMT_VERIFY_BALANCES: stored balances that differ from the lines */
	"WITH d AS (SELECT l.org_id, l.account, e.currency, "
	"sum(l.amount) AS balance FROM journal_line l JOIN journal_entry e "
	"ON e.id = l.entry_id GROUP BY 1, 2, 3), "
	"a AS (SELECT org_id, account, currency, balance FROM account_balance), "
	"x AS (SELECT * FROM d EXCEPT SELECT * FROM a), "
	"y AS (SELECT * FROM a EXCEPT SELECT * FROM d) "
	"SELECT count(*) FROM (SELECT org_id, account, currency FROM x "
	"UNION SELECT org_id, account, currency FROM y)",
	/* STMT_VERIFY_LINE_ORG: lines filed under another organization */
	"SELECT count(*) FROM journal_line l JOIN journal_entry e "
	"ON e.id = l.entry_id WHERE l.org_id <> e.org_id",
	/* STMT_VERIFY_CREDIT_OVERDRAWN: more credit used than granted */
	"SELECT count(*) FROM account_balance "
	"WHERE account = 'customer_credit' AND balance > 0",
	/* STMT_VERIFY_DOC_GAPS: series whose numbers are not 1..last */
	"SELECT count(*) FROM doc_series s WHERE s.last <> (SELECT count(*) "
	"FROM document d WHERE d.kind = s.kind AND d.series_year = s.year) "
	"OR s.last <> (SELECT max(seq) FROM document d WHERE d.kind = s.kind "
	"AND d.series_year = s.year)",
	/* STMT_VERIFY_DOC_ENTRY: documents whose entry is not their total */
	"SELECT count(*) FROM document d WHERE d.total <> (SELECT "
	"coalesce(sum(l.amount), 0) FROM journal_line l WHERE l.entry_id = "
	"d.entry_id AND (l.account = 'receivable' OR (d.kind = 'credit_note' "
	"AND l.account = 'customer_credit')))",
	/* STMT_TX_BEGIN..STMT_TX_ROLLBACK: prepared once, not per request */
	"BEGIN DEFERRED",
	"BEGIN IMMEDIATE",
	"COMMIT",
	"ROLLBACK",
};

static int
db_fail_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return DB_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_FULL:
		return DB_FULL;
	case SQLITE_READONLY:
		return DB_READONLY;
	default:
		return DB_ERROR;
	}
}

static int
db_fail(struct db *db, const char *func, int rc)
{
	db->last_rc = db_fail_rc(rc);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return DB_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		log_warnx("%s: database busy: %s", func, sqlite3_errmsg(db->h));
		return DB_BUSY;
	case SQLITE_FULL:
		log_warnx("%s: disk full: %s", func, sqlite3_errmsg(db->h));
		return DB_FULL;
	case SQLITE_READONLY:
		log_warnx("%s: the database cannot be written: %s", func,
		    sqlite3_errmsg(db->h));
		return DB_READONLY;
	default:
		log_warnx("%s: %s", func, sqlite3_errmsg(db->h));
		return DB_ERROR;
	}
}

static int
wal_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
	struct db	*db = arg;

	(void)h;
	(void)name;
	db->wal_frames = frames;
	return SQLITE_OK;
}

static int
exec_pragma(struct db *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_warnx("db_open: %s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Open the database at path (created if missing) with the pragmas every
 * connection needs, and the application lock file beside it.  With
 * DB_MIGRATE, bring the schema up to date; without it, refuse a schema
 * that is older or newer than this binary's.  With DB_COPY (a backup, to
 * be read), leave its journal mode as it is.  Call after fork(), never
 * before.  On success *out is the connection (db_close frees it).
 * Returns DB_OK, or DB_ERROR (logged) with *out NULL.
 */
int
db_open(const char *path, int flags, struct db **out)
{
	struct db	*db;
	char		*lock;
	int		 v;

	*out = NULL;
	/*
	 * No memory statistics: keeping them takes a global mutex on every
	 * allocation SQLite makes.  Only possible before SQLite starts, so
	 * a process that opened another database first keeps them.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	db = xcalloc(1, sizeof(*db));
	db->lockfd = -1;
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path,
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	if (exec_pragma(db, "PRAGMA foreign_keys = ON") == -1 ||
	    (!(flags & DB_COPY) &&
	    exec_pragma(db, "PRAGMA journal_mode = WAL") == -1) ||
	    exec_pragma(db, "PRAGMA synchronous = FULL") == -1)
		goto fail;
	/*
	 * SQLite before 3.51.3 can corrupt a WAL database when two processes
	 * commit and checkpoint at nearly the same moment.  No automatic
	 * checkpoints: db_commit checkpoints under the application lock.
	 */
	sqlite3_wal_autocheckpoint(db->h, 0);
	sqlite3_wal_hook(db->h, wal_hook, db);
	lock = xasprintf("%s.lock", path);
	db->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (db->lockfd == -1) {
		log_warn("%s: %s", __func__, lock);
		free(lock);
		goto fail;
	}
	free(lock);
	if (flags & DB_MIGRATE) {
		if (db_migrate(db) != DB_OK)
			goto fail;
	} else {
		if (db_schema_version(db, &v) != DB_OK)
			goto fail;
		if (v != (int)db_nmigrations) {
			log_warnx("%s: %s: schema version %d, this binary "
			    "needs %zu%s", __func__, path, v, db_nmigrations,
			    v < (int)db_nmigrations ? " (run reckonctl migrate)"
			    : " (the database is newer than this binary)");
			goto fail;
		}
	}
	*out = db;
	return DB_OK;
fail:
	db_close(db);
	return DB_ERROR;
}

/* Finalize every statement, close the connection and the lock; NULL is ok. */
void
db_close(struct db *db)
{
	size_t	 i;

	if (db == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(db->st[i]);
	for (i = 0; i < db->nlocal; i++)
		sqlite3_finalize(db->local[i]);
	free(db->local);
	if (db->h != NULL)
		sqlite3_close(db->h);
	if (db->lockfd != -1)
		close(db->lockfd);
	free(db);
}

/* Read PRAGMA user_version into *v.  Returns DB_OK or DB_ERROR. */
int
db_schema_version(struct db *db, int *v)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, __func__, sqlite3_errcode(db->h));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_fail(db, __func__, rc);
		sqlite3_finalize(st);
		return rc;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return DB_OK;
}

static int	migrate(struct db *);
static int	vbind(struct db *, sqlite3_stmt *, const char *, va_list);

/*
 * Apply the compiled-in migrations the database lacks, each in its own
 * write transaction with its user_version bump.  Refuses (DB_ERROR,
 * logged) a database whose version is newer than this binary.
 */
int
db_migrate(struct db *db)
{
	int	 rc;

	/*
	 * A migration may rebuild a table others refer to (SQLite's
	 * twelve steps): foreign keys are off while it runs, and checked
	 * before it commits.
	 */
	if (exec_pragma(db, "PRAGMA foreign_keys = OFF") == -1)
		return DB_ERROR;
	rc = migrate(db);
	if (exec_pragma(db, "PRAGMA foreign_keys = ON") == -1)
		return DB_ERROR;
	return rc;
}

/* Whether the schema's foreign keys hold: DB_OK, or DB_ERROR (logged). */
static int
foreign_keys_hold(struct db *db)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, __func__, sqlite3_errcode(db->h));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		log_warnx("%s: a row of %s refers to a missing row of %s",
		    __func__, sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}

static int
migrate(struct db *db)
{
	char	 sql[64];
	char	*msg = NULL;
	size_t	 i;
	int	 v, rc;

	for (;;) {
		if ((rc = db_begin_write(db)) != DB_OK)
			return rc;
		if ((rc = db_schema_version(db, &v)) != DB_OK)
			goto fail;
		if (v > (int)db_nmigrations) {
			log_warnx("%s: the database's schema version %d is "
			    "newer than this binary's %zu: refusing to use it",
			    __func__, v, db_nmigrations);
			rc = DB_ERROR;
			goto fail;
		}
		if (v == (int)db_nmigrations) {
			db_rollback(db);
			return DB_OK;
		}
		i = (size_t)v;
		if (sqlite3_exec(db->h, db_migrations[i].sql, NULL, NULL,
		    &msg) != SQLITE_OK) {
			log_warnx("%s: %s: %s", __func__, db_migrations[i].name,
			    msg ? msg : "?");
			sqlite3_free(msg);
			rc = DB_ERROR;
			goto fail;
		}
		if ((rc = foreign_keys_hold(db)) != DB_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (exec_pragma(db, sql) == -1) {
			rc = DB_ERROR;
			goto fail;
		}
		if ((rc = db_commit(db)) != DB_OK)
			return rc;
		log_info("%s: applied %s", __func__, db_migrations[i].name);
	}
fail:
	db_rollback(db);
	return rc;
}

/*
 * The prepared statement id, reset and ready to bind; borrowed from db.
 * Returns NULL (logged) if it cannot be prepared.
 */
sqlite3_stmt *
db_stmt(struct db *db, enum stmt_id id)
{
	if (db->st[id] == NULL &&
	    sqlite3_prepare_v3(db->h, stmts[id], -1, SQLITE_PREPARE_PERSISTENT,
	    &db->st[id], NULL) != SQLITE_OK) {
		log_warnx("%s: statement %d: %s", __func__, (int)id,
		    sqlite3_errmsg(db->h));
		return NULL;
	}
	return db->st[id];
}

/*
 * Savepoints inside the write transaction: a part that fails is undone
 * (db_savepoint_undo) while the rest commits.  Return DB_OK or a
 * failure (logged).
 */
int
db_savepoint(struct db *db)
{
	return exec_pragma(db, "SAVEPOINT part") == -1 ? DB_ERROR : DB_OK;
}

int
db_savepoint_release(struct db *db)
{
	return exec_pragma(db, "RELEASE part") == -1 ? DB_ERROR : DB_OK;
}

int
db_savepoint_undo(struct db *db)
{
	return exec_pragma(db, "ROLLBACK TO part") == -1 ||
	    exec_pragma(db, "RELEASE part") == -1 ? DB_ERROR : DB_OK;
}

/* Bind st's parameters from ap and read one integer (db_get_int). */
static int
vget_int(struct db *db, sqlite3_stmt *st, int64_t *out, const char *types,
    va_list ap)
{
	int	 rc;

	*out = 0;
	if ((rc = vbind(db, st, types, ap)) != DB_OK)
		return rc;
	if ((rc = db_step(db, st)) == DB_ROW)
		*out = db_col_int(st, 0);
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc == DB_OK ? DB_NOTFOUND : rc;
}

/*
 * The statement q (SQL kept beside the code that binds it and reads its
 * columns), prepared once per connection on first use; borrowed from
 * db.  Returns NULL (logged) if it cannot be prepared.
 */
sqlite3_stmt *
db_sql(struct db *db, struct db_sql *q)
{
	static int	 nslots;	/* slots handed out, in every connection */
	size_t		 i;

	if (q->slot == 0)
		q->slot = ++nslots;
	i = (size_t)q->slot - 1;
	if (i >= db->nlocal) {
		db->local = xrealloc(db->local, (i + 1) * sizeof(*db->local));
		memset(db->local + db->nlocal, 0,
		    (i + 1 - db->nlocal) * sizeof(*db->local));
		db->nlocal = i + 1;
	}
	if (db->local[i] == NULL &&
	    sqlite3_prepare_v3(db->h, q->text, -1, SQLITE_PREPARE_PERSISTENT,
	    &db->local[i], NULL) != SQLITE_OK) {
		log_warnx("%s: %.60s: %s", __func__, q->text,
		    sqlite3_errmsg(db->h));
		return NULL;
	}
	return db->local[i];
}

/*
 * Bind q's parameters (db_bind's types) and read one integer: DB_OK with
 * *out, DB_NOTFOUND without a row (*out 0), or a failure.
 */
int
db_sql_int(struct db *db, struct db_sql *q, int64_t *out, const char *types,
    ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, types);
	rc = vget_int(db, db_sql(db, q), out, types, ap);
	va_end(ap);
	return rc;
}

static int
vbind(struct db *db, sqlite3_stmt *st, const char *types, va_list ap)
{
	const char	*s;
	const void	*p;
	size_t		 n;
	int		 i, rc = SQLITE_OK;

	if (st == NULL)
		return DB_ERROR;
	if (strlen(types) != (size_t)sqlite3_bind_parameter_count(st))
		abort();	/* a caller out of step with its statement */
	for (i = 1; *types != '\0' && rc == SQLITE_OK; types++, i++) {
		switch (*types) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		case 't':
			s = va_arg(ap, const char *);
			rc = s == NULL ? sqlite3_bind_null(st, i) :
			    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
			break;
		case 'b':
			p = va_arg(ap, const void *);
			n = va_arg(ap, size_t);
			rc = sqlite3_bind_blob(st, i, p, (int)n,
			    SQLITE_TRANSIENT);
			break;
		default:
			abort();
		}
	}
	if (rc != SQLITE_OK) {
		log_warnx("db_bind: parameter %d: %s", i - 1,
		    sqlite3_errmsg(db->h));
		db_reset(st);
		return DB_ERROR;
	}
	return DB_OK;
}

/*
 * Bind parameters 1..n of st from the variadic list, one per character
 * of types: 'i' int64_t, 'n' SQL NULL (no argument), 't' const char *
 * (NULL binds NULL), 'b' const void * and size_t (a blob).  Text and
 * blobs are copied.  Returns DB_OK or DB_ERROR (logged).
 */
int
db_bind(struct db *db, sqlite3_stmt *st, const char *types, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, types);
	rc = vbind(db, st, types, ap);
	va_end(ap);
	return rc;
}

/*
 * Run statement id with parameters bound as db_bind does and read the
 * first column of its first row as an integer into *out.  Returns
 * DB_OK, DB_NOTFOUND (no row; *out is 0) or a failure.  For counts,
 * sums, and ids looked up by key.
 */
int
db_get_int(struct db *db, enum stmt_id id, int64_t *out, const char *types,
    ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, types);
	rc = vget_int(db, db_stmt(db, id), out, types, ap);
	va_end(ap);
	return rc;
}

/*
 * Step st once.  Returns DB_ROW with a row ready, DB_OK when done,
 * DB_CONFLICT on a constraint, DB_BUSY, DB_FULL or DB_ERROR (logged).
 * The caller resets the statement (db_reset) when finished with it.
 */
int
db_step(struct db *db, sqlite3_stmt *st)
{
	int	 rc;

	if (st == NULL)
		return DB_ERROR;
	switch ((rc = sqlite3_step(st))) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_OK;
	default:
		return db_fail(db, sqlite3_sql(st), rc);
	}
}

/* Reset st and clear its bindings; NULL is ok. */
void
db_reset(sqlite3_stmt *st)
{
	if (st != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

/* Step a statement that returns no row to completion, then reset it. */
int
db_exec(struct db *db, sqlite3_stmt *st)
{
	int	 rc;

	rc = db_step(db, st);
	db_reset(st);
	return rc == DB_ROW ? DB_OK : rc;
}

/* Column i of the current row as an integer (0 for NULL). */
int64_t
db_col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/* A copy of column i's text ("" for NULL); the caller frees it. */
char *
db_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char	*s = sqlite3_column_text(st, i);

	return xstrdup(s == NULL ? "" : (const char *)s);
}

/* Copy column i's text ("" for NULL) into out, cut to outsz - 1 bytes. */
void
db_col_copy(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
	const unsigned char	*s = sqlite3_column_text(st, i);

	snprintf(out, outsz, "%s", s == NULL ? "" : (const char *)s);
}

/*
 * Run one of the prepared transaction statements.  sqlite3_exec would
 * parse the text again on every call, a fifth of a small page's SQL.
 */
static int
tx_exec(struct db *db, enum stmt_id id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(db, id)) == NULL)
		return db_fail(db, stmts[id], sqlite3_errcode(db->h));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, stmts[id], rc);
	return DB_OK;
}

/*
 * Begin a read transaction: one consistent view for several queries.
 * Inside a read transaction already, only count the nesting: a page can
 * hold one view over helpers that each ask for their own.
 */
int
db_begin_read(struct db *db)
{
	int	 rc;

	if (db->read_depth > 0) {
		db->read_depth++;
		return DB_OK;
	}
	if ((rc = tx_exec(db, STMT_TX_BEGIN)) == DB_OK)
		db->read_depth = 1;
	return rc;
}

/*
 * Take the application's write lock within ms milliseconds (0: only if
 * it is free now), trying again every few milliseconds.  Returns DB_OK,
 * DB_BUSY when the time is up, or DB_ERROR.
 */
static int
lock_within(struct db *db, int ms)
{
	struct timespec	 nap = { 0, 5 * 1000 * 1000 };
	int		 waited = 0;

	while (flock(db->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			log_warn("%s: flock", __func__);
			return DB_ERROR;
		}
		if (waited >= ms) {
			if (ms > 0)
				log_warnx("%s: the database stayed locked for "
				    "%d ms", __func__, ms);
			db->last_rc = DB_BUSY;
			return DB_BUSY;
		}
		nanosleep(&nap, NULL);
		waited += 5;
	}
	return DB_OK;
}

/*
 * Take the application write lock (an flock beside the database, shared
 * by every process; DB_BUSY if another holds it for DB_BUSY_MS) and
 * BEGIN IMMEDIATE.  End with db_commit or db_rollback, which release the
 * lock.  Never inside a read transaction.
 */
int
db_begin_write(struct db *db)
{
	int	 rc;

	if (db->read_depth > 0) {
		log_warnx("%s: inside a read transaction", __func__);
		return DB_ERROR;
	}
	if ((rc = lock_within(db, DB_BUSY_MS)) != DB_OK)
		return rc;
	db->in_write = 1;
	if ((rc = tx_exec(db, STMT_TX_BEGIN_WRITE)) != DB_OK) {
		db->in_write = 0;
		flock(db->lockfd, LOCK_UN);
	}
	return rc;
}

/*
 * Begin a write transaction only if no other writer holds the database
 * now: DB_BUSY at once otherwise, for a write that may be skipped (a
 * session's last-seen time), so that a read never waits for a writer.
 */
int
db_begin_write_nowait(struct db *db)
{
	int	 rc;

	if (db->read_depth > 0) {
		log_warnx("%s: inside a read transaction", __func__);
		return DB_ERROR;
	}
	if ((rc = lock_within(db, 0)) != DB_OK)
		return rc;
	sqlite3_busy_timeout(db->h, 0);
	db->in_write = 1;
	if ((rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		rc = db_fail_rc(rc);
		db->in_write = 0;
		flock(db->lockfd, LOCK_UN);
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	return rc;
}

/*
 * Whether a db_rc means "not now" (503: busy, disk full, read-only)
 * rather than a failure of this request (500).
 */
int
db_rc_unavailable(int rc)
{
	return rc == DB_BUSY || rc == DB_FULL || rc == DB_READONLY;
}

/*
 * Commit.  After a write transaction, checkpoint while still holding
 * the lock if the WAL has grown past DB_CHECKPOINT_FRAMES, then unlock.
 * On failure the transaction is rolled back and the lock released.  A
 * nested read transaction only ends its nesting.
 */
int
db_commit(struct db *db)
{
	int	 rc;

	if (db->read_depth > 1) {
		db->read_depth--;
		return DB_OK;
	}
	db->read_depth = 0;
	if ((rc = tx_exec(db, STMT_TX_COMMIT)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	if (db->in_write) {
		if (db->wal_frames >= DB_CHECKPOINT_FRAMES)
			(void)db_checkpoint(db);
		db->in_write = 0;
		flock(db->lockfd, LOCK_UN);
	}
	return DB_OK;
}

/*
 * Roll back whatever transaction is open and release the lock; a nested
 * read transaction only ends its nesting.
 */
void
db_rollback(struct db *db)
{
	if (db->read_depth > 1) {
		db->read_depth--;
		return;
	}
	db->read_depth = 0;
	if (!sqlite3_get_autocommit(db->h))
		(void)tx_exec(db, STMT_TX_ROLLBACK);
	if (db->in_write) {
		db->in_write = 0;
		flock(db->lockfd, LOCK_UN);
	}
}

/*
 * Checkpoint the WAL (PASSIVE).  The caller holds the application lock
 * (db_commit does); reckonctl calls it between write transactions after
 * taking the lock itself.  Returns DB_OK or a db_rc.
 */
int
db_checkpoint(struct db *db)
{
	int	 rc;

	rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, __func__, rc);
	db->wal_frames = 0;
	return DB_OK;
}

/*
 * Run PRAGMA integrity_check; copy its first line into msg.
 * Returns DB_OK if the answer is "ok", DB_CONFLICT if not, or DB_ERROR.
 */
int
db_integrity_check(struct db *db, char *msg, size_t msgsz)
{
	sqlite3_stmt		*st;
	const unsigned char	*s;
	int			 rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, __func__, sqlite3_errcode(db->h));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = db_fail(db, __func__, rc);
		sqlite3_finalize(st);
		return rc;
	}
	s = sqlite3_column_text(st, 0);
	snprintf(msg, msgsz, "%s", s ? (const char *)s : "?");
	sqlite3_finalize(st);
	return strcmp(msg, "ok") == 0 ? DB_OK : DB_CONFLICT;
}

/*
 * Copy the whole database into a new file path with SQLite's online
 * backup, in one step: one read transaction, so the copy is the database
 * as of one moment, while writers go on (WAL).  Refuses (DB_CONFLICT,
 * nothing written) if path exists.  The copy is synced before DB_OK.
 * Returns DB_OK, DB_CONFLICT, or DB_ERROR (logged; the partial copy
 * removed).
 */
int
db_backup(struct db *db, const char *path)
{
	sqlite3		*dst = NULL;
	sqlite3_backup	*b;
	int		 fd, rc;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		if (errno == EEXIST)
			return DB_CONFLICT;
		log_warn("%s: %s", __func__, path);
		return DB_ERROR;
	}
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path, dst != NULL ?
		    sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL) {
		log_warnx("%s: %s: %s", __func__, path, sqlite3_errmsg(dst));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		log_warnx("%s: %s: %s", __func__, path, sqlite3_errstr(rc));
		goto fail;
	}
	/* The copy stands alone: its WAL folded in and removed. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK || sqlite3_close(dst) != SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path, sqlite3_errmsg(dst));
		goto fail;
	}
	dst = NULL;
	if (fsync(fd) == -1) {
		log_warn("%s: fsync %s", __func__, path);
		goto fail;
	}
	close(fd);
	return DB_OK;
fail:
	if (dst != NULL)
		sqlite3_close(dst);
	close(fd);
	unlink(path);
	return DB_ERROR;
}

/*
 * Read the schema version of the database file path, opened read-only
 * (nothing is created or changed).  Returns DB_OK, DB_NOTFOUND if it is
 * not there, or DB_ERROR (not a database, logged).
 */
int
db_file_schema_version(const char *path, int *v)
{
	struct db	 tmp;
	int		 rc;

	memset(&tmp, 0, sizeof(tmp));
	if (access(path, F_OK) == -1)
		return DB_NOTFOUND;
	if (sqlite3_open_v2(path, &tmp.h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path, tmp.h != NULL ?
		    sqlite3_errmsg(tmp.h) : "out of memory");
		sqlite3_close(tmp.h);
		return DB_ERROR;
	}
	rc = db_schema_version(&tmp, v);
	sqlite3_close(tmp.h);
	return rc;
}

/*
 * Replace the whole database with the copy at path (checked by the
 * caller), under the application write lock, so that no request or
 * renewal runs half on the old and half on the new.  Returns DB_OK,
 * DB_BUSY (another writer held the lock), or DB_ERROR (logged; the
 * database is as it was: SQLite's backup writes in one transaction).
 */
int
db_restore(struct db *db, const char *path)
{
	sqlite3		*src = NULL;
	sqlite3_backup	*b;
	int		 rc;

	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path, src != NULL ?
		    sqlite3_errmsg(src) : "out of memory");
		sqlite3_close(src);
		return DB_ERROR;
	}
	if ((rc = lock_within(db, DB_BUSY_MS)) != DB_OK) {
		sqlite3_close(src);
		return rc;
	}
	if ((b = sqlite3_backup_init(db->h, "main", src, "main")) == NULL) {
		log_warnx("%s: %s", __func__, sqlite3_errmsg(db->h));
		rc = DB_ERROR;
	} else {
		rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
		rc = rc == SQLITE_DONE ? DB_OK : db_fail(db, __func__, rc);
	}
	if (rc == DB_OK)
		rc = db_checkpoint(db);
	flock(db->lockfd, LOCK_UN);
	sqlite3_close(src);
	return rc;
}

/* A word for a db_rc, for log lines. */
const char *
db_rc_str(int rc)
{
	static const char *const names[] = { "ok", "row", "not found",
	    "conflict", "busy", "disk full", "read-only", "error" };

	return rc >= 0 && rc <= DB_ERROR ? names[rc] : "?";
}
