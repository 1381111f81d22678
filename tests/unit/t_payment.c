/* t_payment.c: payment methods on the demo database: labels, gateway, add, default, remove. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "db_org.h"
#include "demo.h"
#include "gateway.h"
#include "payment.h"
#include "tap.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int64_t
count(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Text of the first column of the first row of sql, or "" (static). */
static const char *
text(struct db *db, const char *sql)
{
	static char	 out[2][512];
	static int	 which;
	char		*b = out[which ^= 1];
	sqlite3_stmt	*st;

	b[0] = '\0';
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return "(bad SQL)";
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		snprintf(b, sizeof(out[0]), "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return b;
}

static int64_t
t(const char *s)
{
	int64_t	 v = -1;

	if (util_time_parse(s, &v) == -1)
		diag("bad time in test: %s", s);
	return v;
}

/* The newest audit row of org as "action|old|new", static. */
static const char *
last_audit(struct db *db, int64_t org)
{
	char	 sql[256];

	snprintf(sql, sizeof(sql), "SELECT action || '|' || old_value || "
	    "'|' || new_value FROM audit_log WHERE org_id = %" PRId64
	    " ORDER BY id DESC LIMIT 1", org);
	return text(db, sql);
}

/* The ids of org's methods in use, default first, as "d:1,2", static. */
static const char *
methods(struct db *db, int64_t org)
{
	static char	 out[256];
	struct pm_list	 l;
	size_t		 i, n = 0;

	out[0] = '\0';
	if (payment_list(db, org, &l) == DB_OK)
		for (i = 0; i < l.n && n < sizeof(out); i++)
			n += (size_t)snprintf(out + n, sizeof(out) - n,
			    "%s%s%" PRId64, i ? "," : "",
			    l.v[i].is_default ? "d:" : "", l.v[i].id);
	payment_list_free(&l);
	return out;
}

/* What gateway_attach gives for each token at 2026-11-15. */
static const struct {
	const char	*token;
	int		 rc;
	const char	*kind;
	const char	*brand;
	const char	*last4;
	int		 exp_month, exp_year;
	const char	*country;
} attach_cases[] = {
	{ "tok_visa", GW_OK, "card", "Visa", "4242", 12, 2030, "" },
	{ "tok_mastercard", GW_OK, "card", "Mastercard", "4444", 8, 2029, "" },
	{ "tok_amex", GW_OK, "card", "American Express", "8431", 3, 2031, "" },
	{ "tok_chargeDeclined", GW_OK, "card", "Visa", "0002", 11, 2030, "" },
	{ "tok_insufficientFunds", GW_OK, "card", "Visa", "9995", 6, 2030,
	  "" },
	{ "tok_cardDeclined", GW_DECLINED, NULL, NULL, NULL, 0, 0, NULL },
	{ "tok_expired", GW_EXPIRED, NULL, NULL, NULL, 0, 0, NULL },
	{ "tok_sepa_de", GW_OK, "sepa_debit", "SEPA Direct Debit", "3000", 0,
	  0, "DE" },
	{ "tok_sepa_nl", GW_OK, "sepa_debit", "SEPA Direct Debit", "4300", 0,
	  0, "NL" },
	{ "tok_sepa_failed", GW_OK, "sepa_debit", "SEPA Direct Debit", "1111",
	  0, 0, "DE" },
	{ "tok_unknown", GW_UNKNOWN, NULL, NULL, NULL, 0, 0, NULL },
	{ "", GW_UNKNOWN, NULL, NULL, NULL, 0, 0, NULL },
	{ "TOK_VISA", GW_UNKNOWN, NULL, NULL, NULL, 0, 0, NULL },
	{ "4242424242424242", GW_UNKNOWN, NULL, NULL, NULL, 0, 0, NULL },
};

/* Expiry: a card is good to the end of its expiry month. */
static const struct {
	const char	*token;
	const char	*now;
	int		 rc;
} expiry_cases[] = {
	{ "tok_mastercard", "2029-08-31T23:59:59Z", GW_OK },	/* 08/2029 */
	/* Month and year count: expired from the month after. */
	{ "tok_mastercard", "2029-09-01T00:00:00Z", GW_EXPIRED },
	{ "tok_mastercard", "2029-11-15T12:00:00Z", GW_EXPIRED },
	{ "tok_mastercard", "2030-01-02T00:00:00Z", GW_EXPIRED },
	{ "tok_visa", "2030-12-31T12:00:00Z", GW_OK },		/* 12/2030 */
	/* The calendar year, not an average one: valid to the last second. */
	{ "tok_visa", "2030-12-31T23:59:59Z", GW_OK },
	{ "tok_visa", "2031-01-02T00:00:00Z", GW_EXPIRED },
	{ "tok_amex", "2031-03-31T12:00:00Z", GW_OK },		/* 03/2031 */
	{ "tok_amex", "2031-06-01T00:00:00Z", GW_EXPIRED },
	{ "tok_sepa_de", "2099-06-01T00:00:00Z", GW_OK },	/* no expiry */
};

/* Whether s is a sentence: a capital first, a full stop last. */
static int
sentence(const char *s)
{
	size_t	 n;

	if (s == NULL || (n = strlen(s)) < 10)
		return 0;
	return isupper((unsigned char)s[0]) && s[n - 1] == '.';
}

static void
run_gateway(int64_t now)
{
	struct gw_method		 g, g2;
	const struct gw_test_token	*tt;
	const char			*why;
	char				 want[64];
	size_t				 i, k;
	int				 rc;

	for (i = 0; i < NELEM(attach_cases); i++) {
		rc = gateway_attach(attach_cases[i].token, now, &g, &why);
		is_i64(rc, attach_cases[i].rc, "attach \"%s\"",
		    attach_cases[i].token);
		if (attach_cases[i].rc != GW_OK) {
			ok(sentence(why), "  with a reason: %s",
			    why ? why : "(none)");
			ok(g.processor_ref[0] == '\0' && g.last4[0] == '\0',
			    "  and nothing to keep");
			continue;
		}
		ok(why == NULL, "  no reason");
		is_str(g.kind, attach_cases[i].kind, "  kind");
		is_str(g.brand, attach_cases[i].brand, "  brand");
		is_str(g.last4, attach_cases[i].last4, "  last four");
		ok(g.exp_month == attach_cases[i].exp_month &&
		    g.exp_year == attach_cases[i].exp_year,
		    "  expiry %02d/%d", attach_cases[i].exp_month,
		    attach_cases[i].exp_year);
		is_str(g.country, attach_cases[i].country, "  country");
		snprintf(want, sizeof(want), "pm_sbx_%s_",
		    attach_cases[i].token + 4);
		ok(strncmp(g.processor_ref, want, strlen(want)) == 0 &&
		    strlen(g.processor_ref) == strlen(want) + 12,
		    "  processor ref %s", g.processor_ref);
		if (strcmp(g.kind, "sepa_debit") == 0)
			ok(strncmp(g.mandate_ref, "RECKON-SBX-", 11) == 0 &&
			    strlen(g.mandate_ref) == 19,
			    "  mandate reference %s", g.mandate_ref);
		else
			is_str(g.mandate_ref, "", "  no mandate for a card");
		gateway_attach(attach_cases[i].token, now, &g2, &why);
		ok(strcmp(g.processor_ref, g2.processor_ref) != 0,
		    "  a second attach gets another processor ref");
		ok(g.mandate_ref[0] == '\0' ||
		    strcmp(g2.mandate_ref, g.mandate_ref) != 0,
		    "  and, for a mandate, another mandate reference");
	}
	/* Every documented test token is in the table above. */
	for (i = 0; (tt = gateway_test_token(i)) != NULL; i++) {
		for (k = 0; k < NELEM(attach_cases); k++)
			if (strcmp(attach_cases[k].token, tt->token) == 0)
				break;
		ok(k < NELEM(attach_cases) && tt->label != NULL &&
		    tt->label[0] != '\0', "test token %s (%s) is tested",
		    tt->token, tt->label ? tt->label : "no label");
	}
	is_i64((int64_t)i, 10, "ten test tokens");
	ok(gateway_is_sandbox(), "the sandbox is the processor");

	for (i = 0; i < NELEM(expiry_cases); i++)
		is_i64(gateway_attach(expiry_cases[i].token,
		    t(expiry_cases[i].now), &g, &why), expiry_cases[i].rc,
		    "attach %s at %s", expiry_cases[i].token,
		    expiry_cases[i].now);
}

/* Labels of methods built by hand. */
static const struct {
	const char	*kind;
	const char	*brand;
	const char	*last4;
	const char	*country;
	const char	*want;
} label_cases[] = {
	{ "card", "Visa", "4242", "", "Visa ending 4242" },
	{ "card", "Mastercard", "4444", "", "Mastercard ending 4444" },
	{ "card", "American Express", "8431", "",
	  "American Express ending 8431" },
	{ "sepa_debit", "SEPA Direct Debit", "3000", "DE",
	  "SEPA Direct Debit, DE, IBAN ending 3000" },
	{ "sepa_debit", "SEPA Direct Debit", "4300", "NL",
	  "SEPA Direct Debit, NL, IBAN ending 4300" },
};

static void
run_labels(void)
{
	struct payment_method	 m;
	char			 out[128];
	size_t			 i;

	for (i = 0; i < NELEM(label_cases); i++) {
		memset(&m, 0, sizeof(m));
		snprintf(m.kind, sizeof(m.kind), "%s", label_cases[i].kind);
		snprintf(m.brand, sizeof(m.brand), "%s", label_cases[i].brand);
		snprintf(m.last4, sizeof(m.last4), "%s", label_cases[i].last4);
		snprintf(m.country, sizeof(m.country), "%s",
		    label_cases[i].country);
		snprintf(m.processor_ref, sizeof(m.processor_ref),
		    "pm_sbx_secret_0123456789ab");
		payment_label(&m, out, sizeof(out));
		is_str(out, label_cases[i].want, "label %zu", i);
		ok(strstr(out, "pm_sbx") == NULL,
		    "  without the processor ref");
	}
}

/*
 * Whether raw SQL is refused by the one-default index (a UNIQUE
 * failure on payment_method.org_id), not by something else.
 */
static int
refused_by_index(struct db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	if (strstr(sqlite3_errmsg(db->h),
	    "UNIQUE constraint failed: payment_method.org_id") == NULL) {
		diag("refused for another reason: %s", sqlite3_errmsg(db->h));
		return 0;
	}
	return 1;
}

/* Attach token and add it to org in its own write transaction. */
static int
add(struct db *db, int64_t org, const struct actor *a, const char *token,
    int64_t *id)
{
	struct gw_method	 g;
	const char		*why;
	int			 rc;

	*id = 0;
	if (gateway_attach(token, a->now, &g, &why) != GW_OK)
		return -1;
	if (db_begin_write(db) != DB_OK)
		return -1;
	if ((rc = payment_add(db, org, a, &g, id)) == PAY_OK)
		db_commit(db);
	else
		db_rollback(db);
	return rc;
}

/* op (set_default or remove) of id for org in a write transaction. */
static int
change(struct db *db, int64_t org, const struct actor *a, int64_t id,
    int (*op)(struct db *, int64_t, const struct actor *, int64_t))
{
	int	 rc;

	if (db_begin_write(db) != DB_OK)
		return -1;
	if ((rc = op(db, org, a, id)) == PAY_OK)
		db_commit(db);
	else
		db_rollback(db);
	return rc;
}

int
main(void)
{
	char			 dir[] = "/tmp/t_payment.XXXXXX", path[128];
	char			 cmd[160], want[64], label[128];
	struct db		*db;
	struct pm_list		 l;
	struct actor		 a = { 1, "owner@demo.test", "192.0.2.7", 0 };
	int64_t			 now, visa, mc, globex_mc, org5, x, y, z, a0;
	int64_t			 n0;

	run_labels();
	if (util_time_parse("2026-11-15T12:00:00Z", &now) == -1)
		return 1;
	a.now = now;
	run_gateway(now);

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_MIGRATE, &db) != DB_OK)
		return 1;
	is_i64(demo_create(db, now, NULL), DB_OK,
	    "the demo is created");

	/* Acme: Visa (default) and Mastercard. */
	is_i64(payment_list(db, 1, &l), DB_OK, "Acme's methods");
	is_i64((int64_t)l.n, 2, "two of them");
	visa = mc = 0;
	if (l.n == 2) {
		payment_label(&l.v[0], label, sizeof(label));
		is_str(label, "Visa ending 4242", "the Visa first");
		ok(l.v[0].is_default, "as the default");
		payment_label(&l.v[1], label, sizeof(label));
		is_str(label, "Mastercard ending 4444", "then the Mastercard");
		ok(!l.v[1].is_default, "not the default");
		ok(strncmp(l.v[0].processor_ref, "pm_sbx_visa_", 12) == 0,
		    "the processor ref is kept for charging");
		visa = l.v[0].id;
		mc = l.v[1].id;
	}
	payment_list_free(&l);
	is_i64(payment_list(db, 3, &l), DB_OK, "Acme Europe's methods");
	if (l.n == 1) {
		payment_label(&l.v[0], label, sizeof(label));
		is_str(label, "SEPA Direct Debit, NL, IBAN ending 4300",
		    "a Dutch SEPA mandate");
		ok(strncmp(l.v[0].mandate_ref, "RECKON-SBX-", 11) == 0,
		    "with its mandate reference");
	} else
		ok(0, "one method for Acme Europe");
	payment_list_free(&l);
	payment_list(db, 4, &l);
	globex_mc = l.n == 1 ? l.v[0].id : 0;
	ok(l.n == 1 && l.v[0].is_default, "Globex has one method, default");
	payment_list_free(&l);

	/* Another organization's method is not found. */
	a0 = count(db, "SELECT count(*) FROM audit_log");
	is_i64(change(db, 1, &a, globex_mc, payment_set_default),
	    PAY_NOTFOUND, "Acme cannot make Globex's card its default");
	is_i64(change(db, 4, &a, mc, payment_set_default), PAY_NOTFOUND,
	    "nor Globex Acme's");
	is_i64(change(db, 1, &a, globex_mc, payment_remove), PAY_NOTFOUND,
	    "Acme cannot remove Globex's card");
	is_i64(change(db, 1, &a, 9999, payment_set_default), PAY_NOTFOUND,
	    "an unknown id is not found");
	snprintf(want, sizeof(want), "d:%" PRId64, globex_mc);
	is_str(methods(db, 4), want, "Globex's card is untouched");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 0,
	    "and nothing was audited");

	/* Acme makes the Mastercard its default. */
	is_i64(change(db, 1, &a, mc, payment_set_default), PAY_OK,
	    "the Mastercard becomes the default");
	snprintf(want, sizeof(want), "d:%" PRId64 ",%" PRId64, mc, visa);
	is_str(methods(db, 1), want, "and is listed first");
	is_str(last_audit(db, 1), "Default payment method|Visa ending 4242|"
	    "Mastercard ending 4444", "audited with the old and new default");
	a0 = count(db, "SELECT count(*) FROM audit_log");
	is_i64(change(db, 1, &a, mc, payment_set_default), PAY_OK,
	    "making it the default again is fine");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 0,
	    "and changes nothing");

	/* Removing the default passes it on. */
	is_i64(change(db, 1, &a, mc, payment_remove), PAY_OK,
	    "the default Mastercard is removed");
	snprintf(want, sizeof(want), "d:%" PRId64, visa);
	is_str(methods(db, 1), want, "the Visa is the default again");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 2,
	    "two audit rows");
	snprintf(cmd, sizeof(cmd), "SELECT action || '|' || old_value || '|' "
	    "|| new_value FROM audit_log WHERE org_id = 1 ORDER BY id DESC "
	    "LIMIT 1 OFFSET 1");
	is_str(text(db, cmd), "Payment method removed|Mastercard ending 4444|",
	    "the removal");
	is_str(last_audit(db, 1), "Default payment method||Visa ending 4242",
	    "and the new default");
	snprintf(cmd, sizeof(cmd), "SELECT removed_at FROM payment_method "
	    "WHERE id = %" PRId64, mc);
	is_i64(count(db, cmd), now, "the removed row is kept, dated");
	is_i64(change(db, 1, &a, mc, payment_remove), PAY_NOTFOUND,
	    "it cannot be removed twice");
	is_i64(change(db, 1, &a, mc, payment_set_default), PAY_NOTFOUND,
	    "nor made the default");

	/* The last method of an organization that renews stays. */
	a0 = count(db, "SELECT count(*) FROM audit_log");
	is_i64(change(db, 1, &a, visa, payment_remove), PAY_LAST_METHOD,
	    "Acme's last method cannot be removed");
	is_str(methods(db, 1), want, "it is still there, the default");
	is_i64(change(db, 4, &a, globex_mc, payment_remove), PAY_LAST_METHOD,
	    "nor Globex's");
	is_i64(count(db, "SELECT count(*) FROM audit_log") - a0, 0,
	    "nothing audited");

	/* A new organization without methods or subscriptions. */
	org5 = 0;
	if (db_begin_write(db) == DB_OK) {
		db_org_insert(db, 0, "Initech", "EUR", "DE",
		    "ap@initech.test", now, &org5);
		db_commit(db);
	}
	ok(org5 > 0, "a new organization");
	is_str(methods(db, org5), "", "without payment methods");
	is_i64(add(db, org5, &a, "tok_visa", &x), PAY_OK, "a Visa is added");
	snprintf(want, sizeof(want), "d:%" PRId64, x);
	is_str(methods(db, org5), want, "the first method is the default");
	is_str(last_audit(db, org5),
	    "Payment method added||Visa ending 4242 (default)",
	    "audited by brand and last four, as the default");
	is_i64(add(db, org5, &a, "tok_sepa_de", &y), PAY_OK,
	    "a SEPA mandate is added");
	is_str(last_audit(db, org5), "Payment method added||"
	    "SEPA Direct Debit, DE, IBAN ending 3000", "audited, not default");
	is_i64(add(db, org5, &a, "tok_amex", &z), PAY_OK, "an Amex is added");
	snprintf(want, sizeof(want), "d:%" PRId64 ",%" PRId64 ",%" PRId64, x,
	    y, z);
	is_str(methods(db, org5), want, "the first stays the default");

	/* The partial unique index: one default per organization. */
	snprintf(cmd, sizeof(cmd), "UPDATE payment_method SET is_default = 1 "
	    "WHERE id = %" PRId64, z);
	ok(refused_by_index(db, cmd), "raw SQL cannot make a second default");
	snprintf(cmd, sizeof(cmd), "UPDATE payment_method SET is_default = 1 "
	    "WHERE org_id = %" PRId64, org5);
	ok(refused_by_index(db, cmd), "nor make them all default");
	snprintf(cmd, sizeof(cmd), "INSERT INTO payment_method (org_id, kind, "
	    "processor_ref, brand, last4, is_default, created_at) VALUES "
	    "(%" PRId64 ", 'card', 'pm_x', 'Visa', '1234', 1, 0)", org5);
	ok(refused_by_index(db, cmd), "nor insert one");
	/* The same row, not default, would go in: the index refused it. */
	sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "INSERT INTO payment_method (org_id, kind, "
	    "processor_ref, brand, last4, is_default, created_at) VALUES "
	    "(%" PRId64 ", 'card', 'pm_x', 'Visa', '1234', 0, 0)", org5);
	ok(sqlite3_exec(db->h, cmd, NULL, NULL, NULL) == SQLITE_OK,
	    "  (the same row, not default, would go in)");
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "SELECT count(*) FROM payment_method WHERE "
	    "org_id = %" PRId64 " AND is_default = 1", org5);
	is_i64(count(db, cmd), 1, "one default still");
	is_str(methods(db, org5), want, "the same one");

	/* Removing the default passes it to the oldest remaining. */
	is_i64(change(db, org5, &a, z, payment_set_default), PAY_OK,
	    "the Amex becomes the default");
	is_i64(change(db, org5, &a, z, payment_remove), PAY_OK,
	    "and is removed");
	snprintf(want, sizeof(want), "d:%" PRId64 ",%" PRId64, x, y);
	is_str(methods(db, org5), want, "the oldest, the Visa, is default");
	is_i64(change(db, org5, &a, x, payment_remove), PAY_OK,
	    "the Visa is removed");
	snprintf(want, sizeof(want), "d:%" PRId64, y);
	is_str(methods(db, org5), want, "the SEPA mandate is the default");
	is_i64(change(db, org5, &a, y, payment_remove), PAY_OK,
	    "without subscriptions the last method may go");
	is_str(methods(db, org5), "", "none left");
	is_str(last_audit(db, org5), "Payment method removed|"
	    "SEPA Direct Debit, DE, IBAN ending 3000|", "audited");
	is_i64(add(db, org5, &a, "tok_mastercard", &x), PAY_OK,
	    "a new method after all were removed");
	snprintf(want, sizeof(want), "d:%" PRId64, x);
	is_str(methods(db, org5), want, "is the default");

	/* Never a processor ref or mandate in the audit log. */
	n0 = count(db, "SELECT count(*) FROM audit_log a JOIN payment_method p "
	    "ON instr(a.old_value, p.processor_ref) > 0 OR "
	    "instr(a.new_value, p.processor_ref) > 0 OR "
	    "(p.mandate_ref <> '' AND (instr(a.old_value, p.mandate_ref) > 0 "
	    "OR instr(a.new_value, p.mandate_ref) > 0))");
	is_i64(n0, 0, "no audit row holds a processor or mandate ref");
	is_i64(count(db, "SELECT count(*) FROM audit_log WHERE "
	    "old_value LIKE '%pm_sbx%' OR new_value LIKE '%pm_sbx%'"), 0,
	    "nor anything like one");
	is_i64(count(db, "SELECT count(*) FROM audit_log WHERE action LIKE "
	    "'%payment method%' AND (old_value || new_value) NOT GLOB "
	    "'*ending [0-9][0-9][0-9][0-9]*'"), 0,
	    "every payment row names a brand and last four");
	snprintf(cmd, sizeof(cmd), "SELECT count(*) FROM audit_log WHERE "
	    "org_id = %" PRId64 " AND (user_id <> 1 OR actor <> "
	    "'owner@demo.test' OR remote_addr <> '192.0.2.7' OR at <> %"
	    PRId64 ")", org5, now);
	is_i64(count(db, cmd), 0, "and who, where and when");
	snprintf(cmd, sizeof(cmd), "SELECT count(*) FROM audit_log WHERE "
	    "org_id = %" PRId64, org5);
	is_i64(count(db, cmd), 10, "ten changes, ten rows");

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
