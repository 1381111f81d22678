#!/usr/bin/env bash
# Payment methods: add by processor token (sandbox), refusals in words,
# make default, remove (not the last one while a subscription renews),
# every change audited by brand and last four; another organization's
# ids are not found.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
URL=$BASE/billing/payment-methods

fresh_form()	# JAR
{
	local page
	page=$(curl -q -sS --max-time 20 -b "$1" "$URL")
	CSRF=$(csrf_from_html <<<"$page")
	FORM=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//')
}
post()		# PATH JAR name=value...
{
	local path=$1 j=$2 args=() kv
	shift 2
	fresh_form "$j"
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	http_req POST "$BASE$path" -b "$j" --data-urlencode "csrf=$CSRF" \
	    --data-urlencode "form_token=$FORM" "${args[@]}"
}
methods()	# ORG: "brand last4 default" lines of the methods in use
{
	sqlite3 "$DB" "SELECT brand || ' ' || last4 || ' ' || is_default
	    FROM payment_method WHERE org_id = $1 AND removed_at IS NULL ORDER BY id"
}

http_req GET "$URL" -b "$jar"
is "$RESP_STATUS" 200 "the list: 200"
like "$(resp_body)" 'Visa ending 4242' "the demo's Visa"
like "$(resp_body)" 'never receives your card number' "says no card number is taken"
like "$(resp_body)" 'tok_chargeDeclined' "sandbox test tokens are offered"
is "$(methods 1)" "$(printf 'Visa 4242 1\nMastercard 4444 0')" "two methods, Visa the default"

post /billing/payment-methods "$jar" processor_token=tok_sepa_de
is "$RESP_STATUS" 303 "add a SEPA mandate: 303"
is "$(resp_header Location)" "/billing/payment-methods?done=added" "back to the list"
is "$(sqlite3 "$DB" "SELECT kind || ' ' || country || ' ' || last4 || ' ' || (mandate_ref <> '') FROM payment_method WHERE id = (SELECT max(id) FROM payment_method)")" \
    "sepa_debit DE 3000 1" "kept: country, last four of the IBAN, a mandate reference"

post /billing/payment-methods "$jar" processor_token=tok_expired
is "$RESP_STATUS" 422 "an expired card: 422"
like "$(resp_body)" 'This card has expired' "said so"
post /billing/payment-methods "$jar" processor_token=tok_cardDeclined
is "$RESP_STATUS" 422 "a declined card: 422"
like "$(resp_body)" 'declined this card' "said so"
post /billing/payment-methods "$jar" processor_token=tok_nosuchthing
is "$RESP_STATUS" 422 "an unknown token: 422"
like "$(resp_body)" 'does not know this token' "said so"
post /billing/payment-methods "$jar" 'processor_token=<x>'
is "$RESP_STATUS" 422 "a malformed token: 422"
post /billing/payment-methods "$jar" processor_token=4242424242424242
is "$RESP_STATUS" 422 "a card number instead of a token: 422"
like "$(resp_body)" 'never takes card numbers' "said plainly"
is "$(sqlite3 "$DB" "SELECT count(*) FROM payment_method WHERE org_id = 1")" 3 "none of these was kept"

sepa=$(sqlite3 "$DB" "SELECT max(id) FROM payment_method WHERE org_id = 1")
post /billing/payment-methods/default "$jar" "payment_method_id=$sepa"
is "$RESP_STATUS" 303 "make the mandate the default: 303"
is "$(methods 1 | grep ' 1$')" "SEPA Direct Debit 3000 1" "it is the default"

visa=$(sqlite3 "$DB" "SELECT id FROM payment_method WHERE org_id = 1 AND last4 = '4242'")
mc=$(sqlite3 "$DB" "SELECT id FROM payment_method WHERE org_id = 1 AND last4 = '4444'")
post /billing/payment-methods/remove "$jar" "payment_method_id=$sepa"
is "$RESP_STATUS" 303 "remove the default: 303"
is "$(methods 1 | grep -c ' 1$')" 1 "another method became the default"
post /billing/payment-methods/remove "$jar" "payment_method_id=$mc"
is "$RESP_STATUS" 303 "remove another: 303"
post /billing/payment-methods/remove "$jar" "payment_method_id=$visa"
is "$RESP_STATUS" 422 "removing the last one while subscriptions renew: 422"
like "$(resp_body)" 'only payment method and a subscription renews' "with the reason"
is "$(methods 1)" "Visa 4242 1" "the Visa is still there, the default"
post /billing/payment-methods/remove "$jar" "payment_method_id=$visa"
is "$RESP_STATUS" 422 "asked again: still 422"

# Another organization's ids: not found, nothing changed.
is "$(login owner@other.test)" 303 "the other owner signs in"
ojar=$(jar_of owner@other.test)
before=$(sqlite3 "$DB" "SELECT * FROM payment_method" | md5sum)
post /billing/payment-methods/default "$ojar" "payment_method_id=$visa"
is "$RESP_STATUS" 404 "another organization's method: 404 to make default"
post /billing/payment-methods/remove "$ojar" "payment_method_id=$visa"
is "$RESP_STATUS" 404 "and 404 to remove"
post /billing/payment-methods/remove "$ojar" "payment_method_id=999999"
is "$RESP_STATUS" 404 "a method that does not exist: 404"
is "$(sqlite3 "$DB" "SELECT * FROM payment_method" | md5sum)" "$before" "nothing changed"
http_req GET "$URL" -b "$ojar"
unlike "$(resp_body)" 'Visa ending 4242[^:]' "the other owner never sees Acme's cards"

# Audited by brand and last four, newest first; no token in the log.
is "$(login owner@demo.test)" 303 "owner signs in"
http_req GET "$BASE/billing/audit" -b "$(jar_of owner@demo.test)"
body=$(tr -d '\n' <"$RESP_BODY")
like "$body" 'Payment method removed.*Mastercard ending 4444' "removal audited"
like "$body" 'Default payment method.*Visa ending 4242.*SEPA Direct Debit, DE, IBAN ending 3000' "default change audited old to new"
like "$body" 'Payment method added.*SEPA Direct Debit, DE, IBAN ending 3000' "addition audited"
unlike "$body" 'pm_sbx_|tok_' "no processor token in the audit log"

done_testing
