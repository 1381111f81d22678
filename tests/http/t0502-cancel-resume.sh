#!/usr/bin/env bash
# Cancel renewal after a confirmation in plain words (until when, what
# is removed then, until when it can be taken back), take it back,
# cancel a contract subscription at the contract's end, reactivate an
# expired one (invoiced at once; a declined charge shows the banner).
# Another organization's ids are not found; accountants and members may
# not; a double submit applies once; the ledger verifies.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)

form_of()	# URL JAR: CSRF and FORM (the first form token) of the page
{
	local page
	page=$(curl -q -sS --max-time 20 -b "$2" "$1")
	CSRF=$(csrf_from_html <<<"$page")
	FORM=$({ grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" ||
	    true; } | head -n 1 | sed 's/.*value="//; s/"$//')
}
post()		# PATH JAR name=value...: with CSRF and FORM as they are
{
	local path=$1 j=$2 args=() kv
	shift 2
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	http_req POST "$BASE$path" -b "$j" --data-urlencode "csrf=$CSRF" \
	    --data-urlencode "form_token=$FORM" "${args[@]}"
}
q()		# SQL: one value
{
	sqlite3 "$DB" "$1"
}
day()		# EPOCH: its UTC date
{
	date -u -d "@$1" +%F
}
body()		# the last body on one line
{
	tr -d '\n' <"$RESP_BODY"
}

temp=$(q "SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id
    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1 AND pr.code = 'temp'")
hum=$(q "SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id
    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1 AND pr.code = 'humidity'")
globex=$(q "SELECT min(id) FROM subscription WHERE org_id = 4")
pe=$(q "SELECT period_end FROM subscription WHERE id = $temp")
END=$(day "$pe")
CANCEL_URL="/billing/subscriptions/cancel?subscription_id=$temp"

# ---- the overview offers it; the confirmation says what happens ----
http_req GET "$BASE/billing" -b "$jar"
like "$(body)" "href=\"/billing/subscriptions/cancel\?subscription_id=$temp\">Cancel renewal<span class=\"visually-hidden\">: Temperature sensor" \
    "the overview offers 'Cancel renewal' per subscription"

http_req GET "$BASE$CANCEL_URL" -b "$jar"
is "$RESP_STATUS" 200 "the confirmation page: 200"
b=$(body)
like "$b" "Your service continues until <strong>$END</strong> \(the end of the current billing period\)" \
    "it says until when the service continues, and why"
like "$b" "its 10 sensors are disabled and removed, and their data is deleted" \
    "it says the deployed sensors are disabled and removed, their data deleted"
like "$b" "You can take this back until $END" "it says until when it can be taken back"
like "$b" '<button type="submit" class="button button-danger">Cancel renewal</button>' "a 'Cancel renewal' button"
like "$b" '<a class="button button-secondary" href="/billing">Keep my subscription</a>' "a 'Keep my subscription' link back"
is "$(q "SELECT cancel_at IS NULL FROM subscription WHERE id = $temp")" 1 "looking changes nothing"

# ---- cancel: once, however often the form is sent ----
form_of "$BASE$CANCEL_URL" "$jar"
post /billing/subscriptions/cancel "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 303 "cancel: 303"
loc=$(resp_header Location)
is "$loc" "/billing?done=cancelled&subscription_id=$temp" "back to the overview"
is "$(q "SELECT cancel_at || ' ' || auto_renew || ' ' || status FROM subscription WHERE id = $temp")" \
    "$pe 0 active" "subscription.cancel_at is the period's end; still active"
post /billing/subscriptions/cancel "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 303 "the same form again: 303"
is "$(resp_header Location)" "$loc" "to the same place"
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'Renewal cancelled'")" 1 \
    "applied once"

http_req GET "$BASE$loc" -b "$jar"
b=$(body)
like "$b" "role=\"status\"><p>Renewal cancelled. Your service continues until $END.</p>" "the flash names the date"
like "$b" "<td>Cancels on $END</td>" "the status: Cancels on $END"
like "$b" "<form class=\"inline-form\" method=\"post\" action=\"/billing/subscriptions/resume\">.*name=\"subscription_id\" value=\"$temp\"><button type=\"submit\" class=\"button button-secondary button-small\">Keep renewing<span class=\"visually-hidden\">: Temperature sensor" \
    "a 'Keep renewing' button in place of 'Cancel renewal'"

http_req GET "$BASE$CANCEL_URL" -b "$jar"
is "$RESP_STATUS" 409 "the confirmation of a cancelled one: 409"
like "$(body)" "already cancelled: your service continues until $END" "saying so"

is "$(login owner@demo.test)" 303 "owner signs in"
ojar=$(jar_of owner@demo.test)
http_req GET "$BASE/billing/audit" -b "$ojar"
like "$(body)" "Renewal cancelled.*Renews automatically.*Temperature sensor: ends on $END" \
    "the audit log shows the cancellation"

# ---- take it back ----
form_of "$BASE/billing" "$jar"
post /billing/subscriptions/resume "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 303 "resume: 303"
is "$(resp_header Location)" "/billing?done=resumed" "back to the overview"
is "$(q "SELECT coalesce(cancel_at, 'none') || ' ' || auto_renew FROM subscription WHERE id = $temp")" \
    "none 1" "cancel_at cleared, renews again"
http_req GET "$BASE/billing?done=resumed" -b "$jar"
like "$(body)" "Your subscription will renew automatically again." "the flash says so"
like "$(body)" "<td>Active</td>" "status Active again"
http_req GET "$BASE/billing/audit" -b "$ojar"
like "$(body)" "Cancellation taken back.*Temperature sensor: ends on $END.*Temperature sensor: renews automatically" \
    "audited"
form_of "$BASE$CANCEL_URL" "$jar"	# a fresh token: none on the overview now
post /billing/subscriptions/resume "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 409 "taking back what is not cancelled: 409"
like "$(body)" "is active and renews automatically" "in words"

# ---- a contract subscription ends with its contract ----
hpe=$(q "SELECT period_end FROM subscription WHERE id = $hum")
ce=$((hpe + 90 * 86400))
q "UPDATE subscription SET contract_end = $ce WHERE id = $hum"
http_req GET "$BASE/billing/subscriptions/cancel?subscription_id=$hum" -b "$jar"
like "$(body)" "Your service continues until <strong>$(day $ce)</strong> \(the end of your contract term\)" \
    "a contract: the service continues to the contract's end"
form_of "$BASE/billing/subscriptions/cancel?subscription_id=$hum" "$jar"
post /billing/subscriptions/cancel "$jar" "subscription_id=$hum"
is "$RESP_STATUS" 303 "cancel the contract subscription: 303"
is "$(q "SELECT cancel_at FROM subscription WHERE id = $hum")" "$ce" "cancel_at = contract_end"
http_req GET "$BASE/billing" -b "$jar"
like "$(body)" "<td>Cancels at the end of the contract, $(day $ce); its renewals until then are billed(<br>|</td>)" \
    "the overview: cancels at the contract's end, renewals until then billed"
unlike "$(body)" "Nothing renews" "and something still renews"

# ---- another organization's ids; roles ----
before=$(q "SELECT * FROM subscription" | md5sum)
http_req GET "$BASE/billing/subscriptions/cancel?subscription_id=$globex" -b "$jar"
is "$RESP_STATUS" 404 "another organization's subscription: 404 to look at"
form_of "$BASE$CANCEL_URL" "$jar"
for path in cancel resume reactivate; do
	post "/billing/subscriptions/$path" "$jar" "subscription_id=$globex"
	is "$RESP_STATUS" 404 "and 404 to $path"
done
post /billing/subscriptions/cancel "$jar" "subscription_id=999999"
is "$RESP_STATUS" 404 "a subscription that does not exist: 404"
post /billing/subscriptions/cancel "$jar"
is "$RESP_STATUS" 404 "no subscription named: 404"
is "$(login owner@other.test)" 303 "the other owner signs in"
xjar=$(jar_of owner@other.test)
http_req GET "$BASE$CANCEL_URL" -b "$xjar"
is "$RESP_STATUS" 404 "Acme's subscription for Globex: 404"
form_of "$BASE/billing/subscriptions/cancel?subscription_id=$globex" "$xjar"
post /billing/subscriptions/cancel "$xjar" "subscription_id=$temp"
is "$RESP_STATUS" 404 "and 404 to cancel it"
http_req GET "$BASE/billing" -b "$xjar"
unlike "$(body)" "subscription_id=$temp\"" "Globex is never offered Acme's subscriptions"
is "$(q "SELECT * FROM subscription" | md5sum)" "$before" "nothing changed"

for u in accountant member; do
	is "$(login "$u@demo.test")" 303 "$u signs in"
	ujar=$(jar_of "$u@demo.test")
	is "$(http_status GET "$BASE$CANCEL_URL" -b "$ujar")" 403 "$u: the confirmation is 403"
	CSRF=$(csrf_of "$BASE/billing/details" "$ujar")
	FORM=$(printf '%064d' 7)
	for path in cancel resume reactivate; do
		post "/billing/subscriptions/$path" "$ujar" "subscription_id=$temp"
		is "$RESP_STATUS" 403 "$u: POST $path is 403"
	done
done
http_req GET "$BASE/billing" -b "$(jar_of accountant@demo.test)"
unlike "$(body)" 'Cancel renewal|/billing/subscriptions/' "the accountant is offered no action"
is "$(q "SELECT * FROM subscription" | md5sum)" "$before" "nothing changed"

# ---- expire, then reactivate: a new subscription invoiced at once ----
form_of "$BASE$CANCEL_URL" "$jar"
post /billing/subscriptions/cancel "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 303 "cancel the temperature sensors again"
rc=0
"$RECKONCTL" --db "$DB" renew --now "$(date -u -d "@$((ce + 86400))" +%FT%TZ)" \
    >>"$RECKON_HOME/ctl.log" 2>&1 || rc=$?
is "$rc" 0 "reckonctl renew past both ends"
is "$(q "SELECT status FROM subscription WHERE id IN ($temp, $hum) ORDER BY id")" \
    "$(printf 'expired\nexpired')" "both have expired"
http_req GET "$BASE/billing" -b "$jar"
like "$(body)" "href=\"/billing/subscriptions/reactivate\?subscription_id=$temp\">Reactivate<span" \
    "an expired one offers 'Reactivate'"

http_req GET "$BASE/billing/subscriptions/reactivate?subscription_id=$temp" -b "$jar"
is "$RESP_STATUS" 200 "the reactivation page: 200"
b=$(body)
# The run went ahead of time: the expired period still ends in the
# future, and the new one starts then, not today.
tend=$(q "SELECT period_end FROM subscription WHERE id = $temp")
is "$((tend > $(date +%s)))" 1 "the expired period ends in the future"
like "$b" "A new monthly period starts on $(day "$tend"), when the last one ends, and runs until $(date -u -d "$(day "$tend") +1 month" +%F)" \
    "a new period from the end of the last one, not from today"
like "$b" '12 × \$5.00 Temperature sensor, per month = \$60.00' "what is invoiced now"
if [ "$(q "SELECT coalesce((SELECT balance FROM account_balance WHERE org_id = 1
    AND account = 'customer_credit'), 0)")" -lt 0 ]; then
	like "$b" 'Your customer credit of \$[0-9.,]* is used first; the rest is charged to your default payment method' \
	    "credit first, then the default payment method"
else
	like "$b" 'The invoice is charged to your default payment method' \
	    "no credit left: the default payment method is charged"
fi
docs=$(q "SELECT count(*) FROM document")
subs=$(q "SELECT count(*) FROM subscription")
form_of "$BASE/billing/subscriptions/reactivate?subscription_id=$temp" "$jar"
post /billing/subscriptions/reactivate "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 303 "reactivate: 303"
loc=$(resp_header Location)
doc=$(q "SELECT max(id) FROM document")
is "$loc" "/billing?done=reactivated&document_id=$doc" "to the overview, naming the invoice"
post /billing/subscriptions/reactivate "$jar" "subscription_id=$temp"
is "$(resp_header Location)" "$loc" "the same form again: the same answer"
is "$(q "SELECT count(*) FROM subscription")" "$((subs + 1))" "one new subscription"
is "$(q "SELECT count(*) FROM document")" "$((docs + 1))" "one new invoice"
new=$(q "SELECT max(id) FROM subscription")
is "$(q "SELECT s.status || ' ' || s.quantity || ' ' || s.auto_renew || ' ' || (s.plan_id = o.plan_id)
    FROM subscription s, subscription o WHERE s.id = $new AND o.id = $temp")" \
    "active 12 1 1" "active, the same plan and quantity, renewing"
is "$(q "SELECT period_start FROM subscription WHERE id = $new")" "$tend" \
    "its period starts when the expired one's ended"
number=$(q "SELECT number FROM document WHERE id = $doc")
is "$(q "SELECT org_id || ' ' || kind FROM document WHERE id = $doc")" "1 invoice" "an invoice to Acme"
is "$(q "SELECT count(*) FROM receipt WHERE document_id = $doc")" 1 \
    "paid at once (credit and card)"
http_req GET "$BASE$loc" -b "$jar"
like "$(body)" "Subscription reactivated. Invoice $number was issued and paid." "the flash names the invoice"
unlike "$(body)" 'role="alert"' "no banner: nothing was declined"
unlike "$(body)" "reactivate\?subscription_id=$temp\"" "the old subscription offers no second reactivation"
form_of "$BASE/billing/payment-methods" "$jar"
post /billing/subscriptions/reactivate "$jar" "subscription_id=$temp"
is "$RESP_STATUS" 409 "reactivating it again from another form: 409"
is "$(q "SELECT count(*) FROM subscription")" "$((subs + 1))" "still one new subscription"
is "$(q "SELECT replaced_by FROM subscription WHERE id = $temp")" "$new" "the old one names its successor"
http_req GET "$BASE/billing?done=reactivated&document_id=1" -b "$xjar"
unlike "$(body)" 'Invoice INV' "another organization's invoice is never named"

# A declined charge: the banner, with a link to the payment methods.
form_of "$BASE/billing/payment-methods" "$jar"
post /billing/payment-methods "$jar" processor_token=tok_chargeDeclined
is "$RESP_STATUS" 303 "add a card whose charges are declined"
pm=$(q "SELECT max(id) FROM payment_method WHERE org_id = 1")
form_of "$BASE/billing/payment-methods" "$jar"
post /billing/payment-methods/default "$jar" "payment_method_id=$pm"
is "$RESP_STATUS" 303 "and make it the default"
form_of "$BASE/billing/subscriptions/reactivate?subscription_id=$hum" "$jar"
post /billing/subscriptions/reactivate "$jar" "subscription_id=$hum"
is "$RESP_STATUS" 303 "reactivate the humidity sensors: 303"
doc=$(q "SELECT max(id) FROM document")
number=$(q "SELECT number FROM document WHERE id = $doc")
is "$(q "SELECT status FROM charge WHERE document_id = $doc")" declined "the charge was declined"
due=$(q "SELECT amount FROM charge WHERE document_id = $doc")
http_req GET "$BASE$(resp_header Location)" -b "$jar"
b=$(body)
like "$b" "Invoice $number was issued; it is not paid yet." "the flash says it is not paid"
amount=$(printf '$%d.%02d' $((due / 100)) $((due % 100)))
like "$b" "role=\"alert\"><p>A payment of \\$amount for invoice $number was declined: the card issuer declined the payment. <a href=\"/billing/payment-methods\">Update your payment method.</a></p>" \
    "the banner: amount, invoice, reason, and a link to update the payment method"
http_req GET "$BASE/billing" -b "$(jar_of accountant@demo.test)"
like "$(body)" "A payment of \\$amount for invoice $number was declined" "accountants see the banner too"
unlike "$(body)" 'action="/billing/pay"' "but no 'Pay now' (read-only)"
like "$(q "SELECT subject FROM outbox WHERE kind = 'notice' AND subject LIKE 'Payment failed%'
    ORDER BY id DESC LIMIT 1")" "Payment failed: invoice $number" "a 'Payment failed' email is queued"

# Pay now: a good card, then one click collects the open invoice.
like "$b" '<form class="banner-pay" method="post" action="/billing/pay">' "the banner offers 'Pay now'"
form_of "$BASE/billing/payment-methods" "$jar"
post /billing/payment-methods "$jar" processor_token=tok_visa
is "$RESP_STATUS" 303 "add a good card"
pm=$(q "SELECT max(id) FROM payment_method WHERE org_id = 1")
form_of "$BASE/billing/payment-methods" "$jar"
post /billing/payment-methods/default "$jar" "payment_method_id=$pm"
is "$RESP_STATUS" 303 "and make it the default"
form_of "$BASE/billing" "$jar"
post /billing/pay "$jar"
is "$RESP_STATUS" 303 "Pay now: 303"
is "$(resp_header Location)" "/billing?done=paid_now" "to the overview"
is "$(q "SELECT status FROM charge WHERE document_id = $doc")" succeeded "the charge succeeded"
is "$(q "SELECT coalesce(sum(amount), 0) FROM receipt WHERE document_id = $doc AND method <> 'Customer credit'")" \
    "$due" "a receipt of the amount due"
http_req GET "$BASE/billing?done=paid_now" -b "$jar"
like "$(body)" 'Thank you: your open invoices are paid.' "the flash says so"
unlike "$(body)" 'role="alert"' "and the banner is gone"
is "$(http_status POST "$BASE/billing/pay" -b "$(jar_of accountant@demo.test)" \
    --data-urlencode "csrf=$(csrf_of "$BASE/billing" "$(jar_of accountant@demo.test)")")" 403 \
    "an accountant cannot Pay now: 403"

rc=0
"$RECKONCTL" --db "$DB" verify >"$RECKON_HOME/verify.out" 2>&1 || rc=$?
is "$rc" 0 "reckonctl verify passes"
like "$(cat "$RECKON_HOME/verify.out")" '^verify: ok' "verify: ok"

done_testing
