/* gateway.c: the payment processor behind one interface; the built-in sandbox driver. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "gateway.h"
#include "log.h"
#include "util.h"

/*
 * The sandbox's documented test tokens, in the manner of the big
 * processors' test cards: each stands for what a real card form would
 * have tokenized.  "decline" is what a later charge does (GW_OK: it
 * succeeds); attach is what adding the method does.
 */
static const struct sandbox_token {
	const char	*token;
	const char	*label;
	int		 attach;	/* gateway_rc on attaching */
	const char	*kind;
	const char	*brand;
	const char	*last4;
	int		 exp_month, exp_year;
	const char	*country;
	int		 decline;	/* gateway_rc on charging */
} sandbox[] = {
	{ "tok_visa", "Visa ending 4242: succeeds", GW_OK, "card", "Visa",
	  "4242", 12, 2030, "", GW_OK },
	{ "tok_mastercard", "Mastercard ending 4444: succeeds", GW_OK, "card",
	  "Mastercard", "4444", 8, 2029, "", GW_OK },
	{ "tok_amex", "American Express ending 8431: succeeds", GW_OK, "card",
	  "American Express", "8431", 3, 2031, "", GW_OK },
	{ "tok_chargeDeclined", "Visa ending 0002: added, every charge is "
	  "declined", GW_OK, "card", "Visa", "0002", 11, 2030, "",
	  GW_DECLINED },
	{ "tok_insufficientFunds", "Visa ending 9995: added, charges fail "
	  "for insufficient funds", GW_OK, "card", "Visa", "9995", 6, 2030,
	  "", GW_DECLINED },
	{ "tok_cardDeclined", "Visa ending 0341: refused when added",
	  GW_DECLINED, "card", "Visa", "0341", 1, 2030, "", GW_DECLINED },
	{ "tok_expired", "Visa ending 0069: expired card", GW_EXPIRED, "card",
	  "Visa", "0069", 1, 2020, "", GW_EXPIRED },
	{ "tok_sepa_de", "SEPA Direct Debit, DE, IBAN ending 3000: succeeds",
	  GW_OK, "sepa_debit", "SEPA Direct Debit", "3000", 0, 0, "DE",
	  GW_OK },
	{ "tok_sepa_nl", "SEPA Direct Debit, NL, IBAN ending 4300: succeeds",
	  GW_OK, "sepa_debit", "SEPA Direct Debit", "4300", 0, 0, "NL",
	  GW_OK },
	{ "tok_sepa_failed", "SEPA Direct Debit, DE, IBAN ending 1111: "
	  "debits fail", GW_OK, "sepa_debit", "SEPA Direct Debit", "1111", 0,
	  0, "DE", GW_DECLINED },
};
#define NSANDBOX	(sizeof(sandbox) / sizeof(sandbox[0]))

static const struct sandbox_token *
sandbox_find(const char *token)
{
	size_t	 i;

	for (i = 0; i < NSANDBOX; i++)
		if (strcmp(sandbox[i].token, token) == 0)
			return &sandbox[i];
	return NULL;
}

/* Whether the built-in sandbox is the processor (the only driver yet). */
int
gateway_is_sandbox(void)
{
	return 1;
}

/* The i-th documented test token, or NULL past the end. */
const struct gw_test_token *
gateway_test_token(size_t i)
{
	static struct gw_test_token	 t;

	if (i >= NSANDBOX)
		return NULL;
	t.token = sandbox[i].token;
	t.label = sandbox[i].label;
	return &t;
}

/*
 * Ask the processor for the payment method behind token (from its card
 * or mandate form) and fill *out with what may be kept: kind, brand,
 * last four, expiry, and for SEPA the country and mandate reference.
 * now decides expiry.  On anything but GW_OK, *reason is a sentence for
 * the customer.
 */
int
gateway_attach(const char *token, int64_t now, struct gw_method *out,
    const char **reason)
{
	const struct sandbox_token	*t;
	unsigned long			 h = 5381;
	const char			*p;
	char				 rnd[13], ym[8];
	int				 year, month;

	memset(out, 0, sizeof(*out));
	*reason = NULL;
	util_time_fmt(now, "%Y %m", ym, sizeof(ym));
	if (sscanf(ym, "%d %d", &year, &month) != 2)
		return GW_ERROR;
	if ((t = sandbox_find(token)) == NULL) {
		*reason = "The payment processor does not know this token. "
		    "Add the payment method again.";
		return GW_UNKNOWN;
	}
	if (t->attach == GW_EXPIRED || (t->exp_year != 0 &&
	    (t->exp_year < year || (t->exp_year == year &&
	    t->exp_month < month)))) {
		*reason = "This card has expired. Use another card.";
		return GW_EXPIRED;
	}
	if (t->attach == GW_DECLINED) {
		*reason = "The card issuer declined this card. Use another "
		    "card or contact your bank.";
		return GW_DECLINED;
	}
	snprintf(out->kind, sizeof(out->kind), "%s", t->kind);
	snprintf(out->brand, sizeof(out->brand), "%s", t->brand);
	snprintf(out->last4, sizeof(out->last4), "%s", t->last4);
	snprintf(out->country, sizeof(out->country), "%s", t->country);
	out->exp_month = t->exp_month;
	out->exp_year = t->exp_year;
	util_random_hex(rnd, sizeof(rnd));
	snprintf(out->processor_ref, sizeof(out->processor_ref),
	    "pm_sbx_%s_%s", token + 4, rnd);
	if (strcmp(t->kind, "sepa_debit") == 0) {
		for (p = out->processor_ref; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
		snprintf(out->mandate_ref, sizeof(out->mandate_ref),
		    "RECKON-SBX-%08lX", h & 0xffffffffUL);
	}
	return GW_OK;
}

/*
 * The sandbox keeps the charges it made in a small SQLite file of its
 * own, as a processor keeps them on its side: a call repeated with the
 * same idempotency key answers what it answered the first time and
 * charges nothing more, whichever process asks.
 */
static sqlite3		*store;
static sqlite3_stmt	*st_find;	/* a charge by its idempotency key */
static sqlite3_stmt	*st_add;	/* a new charge */

/*
 * Open the processor.  For the sandbox, path is its charge store
 * (created if missing); the caller passes the database's path with
 * ".sandbox" appended.  Returns 0, or -1 (logged).
 */
int
gateway_init(const char *path)
{
	char	*err = NULL;

	if (store != NULL)
		return 0;
	if (sqlite3_open(path, &store) != SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path,
		    store ? sqlite3_errmsg(store) : "out of memory");
		gateway_close();
		return -1;
	}
	sqlite3_busy_timeout(store, 5000);
	/*
	 * WAL and NORMAL: a charge survives our process being killed, which
	 * is what the sandbox stands in for; a power cut is the real
	 * processor's business.
	 */
	if (sqlite3_exec(store, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; "
	    "CREATE TABLE IF NOT EXISTS sandbox_charge ("
	    "idem_key TEXT PRIMARY KEY, payment_method TEXT NOT NULL, "
	    "currency TEXT NOT NULL, amount INTEGER NOT NULL, "
	    "result INTEGER NOT NULL, charge_ref TEXT NOT NULL, "
	    "at INTEGER NOT NULL)", NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path, err ? err : "?");
		sqlite3_free(err);
		gateway_close();
		return -1;
	}
	if (sqlite3_prepare_v3(store, "SELECT result, charge_ref, amount, "
	    "currency FROM sandbox_charge WHERE idem_key = ?", -1,
	    SQLITE_PREPARE_PERSISTENT, &st_find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(store, "INSERT INTO sandbox_charge VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", -1, SQLITE_PREPARE_PERSISTENT, &st_add,
	    NULL) != SQLITE_OK) {
		log_warnx("%s: %s: %s", __func__, path, sqlite3_errmsg(store));
		gateway_close();
		return -1;
	}
	return 0;
}

/* Close the processor's connection; safe to call twice. */
void
gateway_close(void)
{
	sqlite3_finalize(st_find);
	sqlite3_finalize(st_add);
	st_find = st_add = NULL;
	if (store != NULL)
		sqlite3_close(store);
	store = NULL;
}

/*
 * Begin a batch of charges that the processor makes durable together,
 * at gateway_batch_end (the sandbox: one transaction of its store
 * rather than one per charge).  No answer given inside a batch may be
 * acted on before gateway_batch_end has returned 0: until then a crash
 * forgets them, and the same keys charge afresh.  Returns 0, or -1
 * (logged) if the processor cannot be reached.
 */
int
gateway_batch_begin(void)
{
	int	 rc;

	if (store == NULL)
		return -1;
	if ((rc = sqlite3_exec(store, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		log_warnx("%s: %s", __func__, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/*
 * End the batch begun by gateway_batch_begin: its charges are durable.
 * Returns 0, or -1 (logged) if they could not be made so: then the
 * processor has forgotten every answer of the batch, none may be acted
 * on, and the calls are to be repeated later with the same keys.
 */
int
gateway_batch_end(void)
{
	int	 rc;

	if (store == NULL || sqlite3_get_autocommit(store)) {
		log_warnx("%s: the batch was lost", __func__);
		return -1;
	}
	if ((rc = sqlite3_exec(store, "COMMIT", NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		log_warnx("%s: %s", __func__, sqlite3_errstr(rc));
		if (!sqlite3_get_autocommit(store))
			sqlite3_exec(store, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static const char *
decline_reason(int rc)
{
	switch (rc) {
	case GW_DECLINED:
		return "The card issuer declined the payment.";
	case GW_EXPIRED:
		return "The card has expired.";
	case GW_UNKNOWN:
		return "The payment method is no longer known to the "
		    "processor.";
	default:
		return "The payment processor could not be reached.";
	}
}

/*
 * Charge amount in currency to the payment method processor_ref (from
 * gateway_attach) under the idempotency key key: the same key never
 * charges twice and answers as it did the first time (a different
 * amount under a known key is an error).  On GW_OK *out names the
 * charge; otherwise *reason is a sentence for the customer.  Inside a
 * batch (gateway_batch_begin) the answer holds only once the batch has
 * ended.
 */
int
gateway_charge(const char *processor_ref, const char *currency,
    cents_t amount, const char *key, int64_t now, struct gw_charge *out,
    const char **reason)
{
	const struct sandbox_token	*t = NULL;
	char				 tok[80], rnd[17];
	const char			*p, *end;
	int				 rc = GW_ERROR, step;

	memset(out, 0, sizeof(*out));
	*reason = decline_reason(GW_ERROR);
	if (store == NULL || amount <= 0)
		return GW_ERROR;
	if (sqlite3_bind_text(st_find, 1, key, -1, SQLITE_STATIC) !=
	    SQLITE_OK)
		goto out;
	if ((step = sqlite3_step(st_find)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st_find, 2) != amount ||
		    strcmp((const char *)sqlite3_column_text(st_find, 3),
		    currency)) {
			log_warnx("%s: key %s reused for another charge",
			    __func__, key);
			goto out;
		}
		rc = sqlite3_column_int(st_find, 0);
		snprintf(out->charge_ref, sizeof(out->charge_ref), "%s",
		    (const char *)sqlite3_column_text(st_find, 1));
		*reason = rc == GW_OK ? NULL : decline_reason(rc);
		goto out;
	}
	if (step != SQLITE_DONE)
		goto out;

	/* "pm_sbx_visa_1a2b…" stands for the test token "tok_visa". */
	if (strncmp(processor_ref, "pm_sbx_", 7) == 0 &&
	    (end = strrchr(processor_ref, '_')) != NULL &&
	    end > processor_ref + 7 && (size_t)(end - processor_ref) < 70) {
		p = processor_ref + 7;
		snprintf(tok, sizeof(tok), "tok_%.*s", (int)(end - p), p);
		t = sandbox_find(tok);
	}
	rc = t == NULL ? GW_UNKNOWN : t->decline;
	util_random_hex(rnd, sizeof(rnd));
	snprintf(out->charge_ref, sizeof(out->charge_ref), "ch_sbx_%s", rnd);
	if (sqlite3_bind_text(st_add, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st_add, 2, processor_ref, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st_add, 3, currency, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st_add, 4, amount) ||
	    sqlite3_bind_int(st_add, 5, rc) ||
	    sqlite3_bind_text(st_add, 6, out->charge_ref, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st_add, 7, now) ||
	    sqlite3_step(st_add) != SQLITE_DONE) {
		log_warnx("%s: %s", __func__, sqlite3_errmsg(store));
		rc = GW_ERROR;
		goto out;
	}
	*reason = rc == GW_OK ? NULL : decline_reason(rc);
out:
	sqlite3_reset(st_find);
	sqlite3_clear_bindings(st_find);
	sqlite3_reset(st_add);
	sqlite3_clear_bindings(st_add);
	return rc;
}
