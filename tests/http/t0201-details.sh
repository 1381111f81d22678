#!/usr/bin/env bash
# Billing details: a good save is audited and announced; each of many bad
# inputs answers 422 with a message beside the field and changes nothing;
# a double submit applies once; a card number is refused and stored nowhere.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)

# The state a refused request must leave untouched.
state()
{
	sqlite3 "$DB" "SELECT * FROM organization; SELECT * FROM billing_cc;
	    SELECT count(*) FROM audit_log; SELECT count(*) FROM outbox;
	    SELECT count(*) FROM form_token;" | md5sum
}

# A fresh form token and CSRF token from the details page.
fresh_form()
{
	local page
	page=$(curl -q -sS --max-time 20 -b "$jar" "$BASE/billing/details")
	CSRF=$(csrf_from_html <<<"$page")
	FORM=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//')
}

# post_details [name=value ...]: the valid demo details with the given
# fields replaced (a name given twice is sent twice; "name=" sends empty).
post_details()
{
	local -A over=()
	local args=() kv k seen=" "
	for kv in "$@"; do
		k=${kv%%=*}
		over[$k]=1
	done
	for kv in account_email=accounts@acme.test \
	    invoice_email=accounts@acme.test cc_email=cfo@acme.test \
	    "billing_name=Acme Holdings Inc." \
	    "address_line1=500 Howard Street" address_line2= \
	    "city=San Francisco" postal_code=94105 region=CA country=US \
	    vat_number= po_reference=PO-2026-117; do
		k=${kv%%=*}
		[ -n "${over[$k]:-}" ] || args+=(--data-urlencode "$kv")
	done
	for kv in "$@"; do
		args+=(--data-urlencode "$kv")
	done
	http_req POST "$BASE/billing/details" -b "$jar" \
	    --data-urlencode "csrf=$CSRF" --data-urlencode "form_token=$FORM" \
	    "${args[@]}" ${CURL_EXTRA[@]+"${CURL_EXTRA[@]}"}
}
CURL_EXTRA=()	# more curl arguments for post_details (headers)

fresh_form
like "$FORM" '^[0-9a-f]{64}$' "the form carries a one-time token"

# Bad inputs: field=value, and the words expected beside the field.
long=$(head -c 201 /dev/zero | tr '\0' 'a')
cases=(
	"account_email=|account email: it is required"
	"account_email=not-an-email|such as name@example.com"
	"account_email=a@b|such as name@example.com"
	"account_email=a@@b.test|such as name@example.com"
	"account_email=a b@c.test|such as name@example.com"
	"invoice_email=|invoices need somewhere to go"
	"invoice_email=x@|such as name@example.com"
	"invoice_email=@x.test|such as name@example.com"
	"invoice_email=x@x..test|such as name@example.com"
	"invoice_email=x@-x.test|such as name@example.com"
	"invoice_email=$(head -c 250 /dev/zero | tr '\0' 'a')@x.test|such as name@example.com"
	"invoice_email=x@x.1test|such as name@example.com"
	"cc_email=bad|such as name@example.com"
	"cc_email=bad@|such as name@example.com"
	"cc_new=nope|such as name@example.com"
	"cc_new=x@y|such as name@example.com"
	"billing_name=|name to print on invoices"
	"billing_name=$long|up to 200 characters"
	"billing_name=Acme"$'\n'"Evil|up to 200 characters"
	"billing_name=Acme"$'\001'"|up to 200 characters"
	"address_line1=|first line of the address"
	"address_line1=$long|up to 200 characters"
	"address_line2=Suite"$'\t'"5|up to 200 characters"
	"city=|Enter the city"
	"city=Paris"$'\r'"|up to 200 characters"
	"postal_code=|Enter the postal code"
	"postal_code=123/45|letters, digits, spaces and hyphens"
	"postal_code=12345678901234567|letters, digits, spaces and hyphens"
	"region=CA"$'\177'"|up to 200 characters"
	"country=|Choose the country"
	"country=XX|Choose a country from the list"
	"country=us|Choose a country from the list"
	"country=USA|Choose a country from the list"
	"vat_number=DE12345678|not a VAT number we know"
	"vat_number=XX123456789|not a VAT number we know"
	"vat_number=DE12345678A|not a VAT number we know"
	"vat_number=NL123456789B1|not a VAT number we know"
	"vat_number=ATU1234567|not a VAT number we know"
	"vat_number=EL1234567|not a VAT number we know"
	"vat_number=DE123456788|another country than the billing address"
	"vat_number=FR40303265045|another country than the billing address"
	"vat_number=DE123456789|check digits of this VAT number do not add up"
	"vat_number=FR 41 303 265 045|check digits of this VAT number do not add up"
	"po_reference=$(head -c 65 /dev/zero | tr '\0' 'p')|up to 64 characters"
	"po_reference=PO"$'\n'"1|up to 64 characters"
	"billing_name=$(printf 'Acme \xc3\x28')|up to 200 characters"
	"city=$(printf 'x\xc0\xaf')|up to 200 characters"
)
before=$(state)
for c in "${cases[@]}"; do
	kv=${c%%|*}
	want=${c#*|}
	post_details "$kv"
	show=$(printf '%.40s' "$kv" | tr -c '[:print:]' '?')
	is "$RESP_STATUS" 422 "bad input $show: 422"
	like "$(resp_body)" "$want" "bad input $show: says so beside the field"
	like "$(resp_body)" 'aria-invalid="true"' "bad input $show: the field is marked"
done
is "$(state)" "$before" "none of the ${#cases[@]} bad inputs changed anything"

# A repeated single field, and eleven CC emails.
post_details account_email=a@b.test account_email=c@d.test
is "$RESP_STATUS" 422 "a repeated field: 422"
ccs=()
for i in $(seq 1 11); do ccs+=("cc_email=cc$i@acme.test"); done
post_details "${ccs[@]}"
is "$RESP_STATUS" 422 "eleven CC emails: 422"
like "$(resp_body)" 'at most 10 CC emails' "said so"
is "$(state)" "$before" "still nothing changed"

# In the address's own country: a mistyped check digit, and the seller's
# own number as printed on its invoices (any spelling), are refused too.
post_details country=DE postal_code=10115 city=Berlin region= \
    vat_number=DE271828181
is "$RESP_STATUS" 422 "a German number with a mistyped digit: 422"
like "$(resp_body)" 'check digits of this VAT number do not add up' "said so"
post_details country=DE postal_code=10115 city=Berlin region= \
    'vat_number=de 314 159 262'
is "$RESP_STATUS" 422 "the seller's own VAT number: 422"
like "$(resp_body)" 'This is our own VAT number' "said so"
is "$(state)" "$before" "neither changed anything"

# Values come back as typed, escaped.
post_details 'billing_name=<b>"Acme" & Co</b>' country=XX
like "$(resp_body)" '&lt;b&gt;&quot;Acme&quot; &amp; Co&lt;/b&gt;' "a refused form keeps what was typed, escaped"
unlike "$(resp_body)" '<b>"Acme"' "and never as markup"

# No form token: 400, nothing changed.
http_req POST "$BASE/billing/details" -b "$jar" --data-urlencode "csrf=$CSRF" \
    --data-urlencode 'invoice_email=x@y.test'
is "$RESP_STATUS" 400 "a form without its one-time token: 400"
is "$(state)" "$before" "nothing changed"

# A good save: new invoice email, CC list with a duplicate, VAT stays empty.
post_details invoice_email=finance@acme.test cc_email=cfo@acme.test \
    cc_email=CFO@acme.test cc_new=ap@acme.test
is "$RESP_STATUS" 303 "a good save: 303"
loc=$(resp_header Location)
is "$loc" "/billing/details?done=saved" "back to the details page"
http_req GET "$BASE$loc" -b "$jar"
like "$(resp_body)" 'Billing details saved' "the page says it was saved"
like "$(resp_body)" 'value="finance@acme.test"' "the new invoice email is shown"
like "$(resp_body)" 'value="ap@acme.test"' "the new CC is shown"
is "$(sqlite3 "$DB" "SELECT group_concat(email, ' ') FROM (SELECT email FROM billing_cc WHERE org_id = 1 ORDER BY position)")" \
    "cfo@acme.test ap@acme.test" "CCs deduplicated without regard to case"
is "$(sqlite3 "$DB" "SELECT to_addr FROM outbox WHERE kind = 'invoice_email_changed' ORDER BY to_addr")" \
    "$(printf 'accounts@acme.test\nfinance@acme.test')" "a notice queued to the old and the new address"

# The same form again (double submit, browser retry): the same answer, applied once.
n_audit=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")
n_out=$(sqlite3 "$DB" "SELECT count(*) FROM outbox")
post_details invoice_email=finance@acme.test cc_email=cfo@acme.test \
    cc_email=CFO@acme.test cc_new=ap@acme.test
is "$RESP_STATUS" 303 "the same form again: 303"
is "$(resp_header Location)" "$loc" "to the same place"
is "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log")" "$n_audit" "audited once"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox")" "$n_out" "announced once"

# Remove a CC with its button, add a VAT number (normalized) in Europe.
fresh_form
post_details cc_email=cfo@acme.test cc_email=ap@acme.test remove_cc=0 \
    country=DE 'vat_number=de 271.828-180' postal_code=10115 city=Berlin \
    region= buyer_reference=04011000-1234512345-06
is "$RESP_STATUS" 303 "remove a CC and set a German VAT number: 303"
is "$(sqlite3 "$DB" "SELECT group_concat(email) FROM billing_cc WHERE org_id = 1")" \
    "ap@acme.test" "the CC is removed"
is "$(sqlite3 "$DB" "SELECT vat_number FROM organization WHERE id = 1")" \
    DE271828180 "the VAT number is stored normalized"
is "$(sqlite3 "$DB" "SELECT buyer_reference FROM organization WHERE id = 1")" \
    04011000-1234512345-06 "the buyer reference (a Leitweg-ID) is stored"

# The owner sees every change in the audit log, newest first.
is "$(login owner@demo.test)" 303 "owner signs in"
http_req GET "$BASE/billing/audit" -b "$(jar_of owner@demo.test)"
is "$RESP_STATUS" 200 "owner: audit log 200"
body=$(tr -d '\n' <"$RESP_BODY")
like "$body" 'Invoice email.*accounts@acme\.test.*finance@acme\.test' "invoice email old and new"
like "$body" 'CC emails.*cfo@acme\.test, ap@acme\.test.*ap@acme\.test' "the CC list old and new"
like "$body" 'VAT number.*DE271828180' "the VAT number"
like "$body" 'Buyer reference.*04011000-1234512345-06' "the buyer reference"
like "$body" 'billing@demo\.test' "who"
like "$body" '127\.0\.0\.1' "from where"
like "$body" 'VAT number.*Invoice email' "newest first"
is "$(http_status GET "$BASE/billing/audit" -b "$jar")" 403 "the billing admin may not read it"

# A card number in any form is refused and written nowhere.
is "$(login billing@demo.test)" 303 "billing admin signs in again"
fresh_form
before=$(state)
for c in "billing_name=4242 4242 4242 4242" "po_reference=4111-1111-1111-1111" \
    "cc_new=5555555555554444@x.test" "address_line2=card 378282246310005"; do
	post_details "$c"
	is "$RESP_STATUS" 422 "a card number in ${c%%=*}: 422"
	like "$(resp_body)" 'never takes card numbers' "in ${c%%=*}: said plainly"
	unlike "$(resp_body)" '4242 4242|4111-1111|5555555555554444|378282246310005' \
	    "in ${c%%=*}: not echoed"
done
is "$(http_status GET "$BASE/billing?note=4000056655665556" -b "$jar")" 422 "in a query string: 422"
http_req POST "$BASE/login" --data 'email=x%40y.test&password=6011111111111117&csrf=0'
is "$RESP_STATUS" 422 "in the sign-in form: 422"
is "$(state)" "$before" "nothing changed"
if grep -rlaE '4242 ?4242 ?4242 ?4242|4111-?1111-?1111-?1111|5555555555554444|378282246310005|4000056655665556|6011111111111117' \
    "$RECKON_HOME"; then
	not_ok "no card number in any file under RECKON_HOME"
else
	ok "no card number in any file under RECKON_HOME"
fi

# A second layer behind the CSRF token: a POST the browser says comes
# from another site is refused, and a token in the URL counts for nothing.
before=$(state)
for h in "Origin: http://evil.test" "Sec-Fetch-Site: cross-site" \
    "Origin: http://127.0.0.1:$PORT.evil.test"; do
	fresh_form
	CURL_EXTRA=(-H "$h")
	post_details po_reference=PO-ORIGIN
	is "$RESP_STATUS" 403 "$h: 403"
done
like "$(resp_body)" 'did not come from this portal' "in words"
fresh_form
http_req POST "$BASE/billing/details?csrf=$CSRF" -b "$jar" \
    --data-urlencode "form_token=$FORM" --data-urlencode po_reference=PO-ORIGIN
is "$RESP_STATUS" 403 "the CSRF token in the query instead of the body: 403"
is "$(state)" "$before" "nothing changed"
fresh_form
CURL_EXTRA=(-H "Origin: http://127.0.0.1:$PORT")
post_details po_reference=PO-ORIGIN
is "$RESP_STATUS" 303 "the portal's own origin: saved"
fresh_form
CURL_EXTRA=(-H "Origin: null" -H "Sec-Fetch-Site: same-origin")
post_details po_reference=PO-ORIGIN-2
CURL_EXTRA=()
is "$RESP_STATUS" 303 "what a browser sends under no-referrer (Origin: null, same-origin): saved"

done_testing
