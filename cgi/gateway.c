/* gateway.c: the payment processor behind one interface; the built-in sandbox driver. */
/* Copyright (c) 2026 the Reckon authors. ISC licence. */
#include <stdio.h>
#include <string.h>

#include "gateway.h"
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
	char				 rnd[13];
	int				 year = 1970 + (int)(now / 31556952);

	memset(out, 0, sizeof(*out));
	*reason = NULL;
	if ((t = sandbox_find(token)) == NULL) {
		*reason = "The payment processor does not know this token. "
		    "Add the payment method again.";
		return GW_UNKNOWN;
	}
	if (t->attach == GW_EXPIRED ||
	    (t->exp_year != 0 && t->exp_year < year)) {
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
		for (p = token; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
		snprintf(out->mandate_ref, sizeof(out->mandate_ref),
		    "RECKON-SBX-%08lX", h & 0xffffffffUL);
	}
	return GW_OK;
}
