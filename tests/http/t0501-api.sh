#!/usr/bin/env bash
# The sensors API: a key is created on the details page, shown once and
# kept only as its hash; with it the monitoring product deploys sensors
# (beyond the subscribed count: a prorated unit, on the next invoice for a
# monthly plan, invoiced at once for an annual one) and removes them (the
# subscription stays).  Every refusal answers JSON with its exact status
# and changes nothing; a revoked key or another organization's key cannot
# touch Acme's sensors; the ledger verifies at the end.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
API=$BASE/api/v1/sensors

q()		# SQL: the answer of sqlite3
{
	sqlite3 "$DB" "$1"
}
fresh_form()	# JAR: CSRF and FORM from the details page
{
	local page
	page=$(curl -q -sS --max-time 20 -b "$1" "$BASE/billing/details")
	CSRF=$(csrf_from_html <<<"$page")
	FORM=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//' || true)
	[ -n "$FORM" ] || FORM=$(printf '%064d' 1)	# a page without forms
}
post()		# PATH JAR name=value...: a form of the details page
{
	local path=$1 j=$2 args=() kv
	shift 2
	fresh_form "$j"
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	http_req POST "$BASE$path" -b "$j" --data-urlencode "csrf=$CSRF" \
	    --data-urlencode "form_token=$FORM" ${args[@]+"${args[@]}"}
}
api()		# METHOD URL KEY [BODY [CONTENT-TYPE]]: a call of the API
{
	local m=$1 u=$2 k=$3 args=()
	[ -z "$k" ] || args+=(-H "Authorization: Bearer $k")
	if [ $# -ge 4 ]; then
		args+=(-H "Content-Type: ${5-application/json}"
		    --data-binary "$4")
	fi
	http_req "$m" "$u" ${args[@]+"${args[@]}"}
}
field()		# NAME: a top-level string or boolean of the last JSON body
{
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(("true" if v else "false") if isinstance(v, bool) else v)' \
	    "$RESP_BODY" "$1" 2>/dev/null || echo "(no $1)"
}
state()		# what a refused call must leave untouched
{
	q "SELECT * FROM sensor; SELECT * FROM subscription;
	    SELECT * FROM accrual; SELECT count(*) FROM document;
	    SELECT count(*) FROM charge; SELECT count(*) FROM receipt;
	    SELECT count(*) FROM journal_entry; SELECT count(*) FROM audit_log;
	    SELECT * FROM api_key;" | md5sum
}
refused()	# STATUS DESC: the last call was refused in JSON, nothing changed
{
	is "$RESP_STATUS" "$1" "$2: $1"
	like "$(resp_header Content-Type)" '^application/json' "$2: JSON"
	like "$(resp_body)" '"error": *"[a-z_]+"' "$2: an \"error\" member"
	is "$(state)" "$before" "$2: nothing changed"
}
acme_q()	# PRODUCT: Acme's subscribed quantity of it
{
	q "SELECT s.quantity FROM subscription s JOIN plan p ON p.id = s.plan_id
	    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1
	    AND pr.code = '$1' AND s.status = 'active'"
}
deployed()	# PRODUCT: Acme's deployed sensors of it
{
	q "SELECT count(*) FROM sensor s JOIN product pr ON pr.id = s.product_id
	    WHERE s.org_id = 1 AND pr.code = '$1' AND s.removed_at IS NULL"
}

# ---- a key, on the details page --------------------------------------
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
http_req GET "$BASE/billing/details" -b "$jar"
is "$RESP_STATUS" 200 "the details page: 200"
like "$(resp_body)" 'Sensors API keys' "it has a sensors API keys section"
like "$(resp_body)" 'No API keys yet' "with no key yet"
like "$(resp_body)" 'Create an API key' "and a button to create one"

post /billing/api-keys "$jar"
create_form=$FORM
is "$RESP_STATUS" 200 "create a key: 200, the key on the page"
like "$(resp_body)" 'Copy it now: it will not be shown again' "says to copy it now"
KEY=$(grep -Eo 'rk_[0-9a-f]{64}' "$RESP_BODY" | head -n 1 || true)
like "$KEY" '^rk_[0-9a-f]{64}$' "the key: rk_ and 64 hex digits"
is "$(grep -Eo 'rk_[0-9a-f]{64}' "$RESP_BODY" | sort -u | wc -l)" 1 "one key on the page"
PREFIX=${KEY:0:11}
is "$(q "SELECT prefix || ' ' || (revoked_at IS NULL) FROM api_key")" \
    "$PREFIX 1" "stored: its prefix, active"
is "$(q "SELECT lower(hex(key_hash)) FROM api_key")" \
    "$(printf '%s' "$KEY" | b2sum -l 256 | cut -d' ' -f1)" \
    "stored as its BLAKE2b-256 hash"
isnt "$(q "SELECT lower(hex(key_hash)) FROM api_key")" "$KEY" "the hash is not the key"
is "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c -a -F "${KEY:3}" || true)" 0 \
    "the key is nowhere in the database files"
is "$(grep -c -a -F "${KEY:3}" "$RECKON_HOME"/*.log 2>/dev/null |
    awk -F: '{ n += $NF } END { print n + 0 }')" 0 "nor in a log"
is "$(q "SELECT actor || ' | ' || action || ' | ' || new_value FROM audit_log
    WHERE action LIKE 'API key%'")" \
    "billing@demo.test | API key created | $PREFIX…" "the creation is audited"

http_req POST "$BASE/billing/api-keys" -b "$jar" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "form_token=$create_form"
is "$RESP_STATUS" 303 "the same form again: 303"
is "$(resp_header Location)" "/billing/details?done=key_created" "to the details page"
is "$(q "SELECT count(*) FROM api_key")" 1 "no second key"
http_req GET "$BASE/billing/details?done=key_created" -b "$jar"
unlike "$(resp_body)" "${KEY:3}" "the key is never shown again"
like "$(resp_body)" 'shown once and cannot be shown again' "said so"
like "$(tr -d '\n' <"$RESP_BODY")" "$PREFIX….*billing@demo.test.*Active.*Revoke" \
    "listed: prefix, by whom, active, a Revoke button"

is "$(login accountant@demo.test)" 303 "accountant signs in"
ajar=$(jar_of accountant@demo.test)
http_req GET "$BASE/billing/details" -b "$ajar"
like "$(resp_body)" "$PREFIX…" "the accountant sees the list"
unlike "$(resp_body)" 'Create an API key|>Revoke<' "read-only: no buttons"
post /billing/api-keys "$ajar"
is "$RESP_STATUS" 403 "the accountant cannot create a key: 403"
is "$(q "SELECT count(*) FROM api_key")" 1 "none created"

# ---- deploy ----------------------------------------------------------
is "$(deployed temp) $(acme_q temp)" "10 12" "Acme: 10 temperature sensors of 12"
api POST "$API" "$KEY" '{"id": "T-0042", "type": "temp"}'
is "$RESP_STATUS" 201 "deploy T-0042: 201"
is "$(field id) $(field type) $(field status)" "T-0042 temp deployed" "deployed"
is "$(field added_to_subscription) $(field prorated_charge) $(field currency) $(field billing)" \
    "false 0.00 USD none" "within the subscribed count: nothing added"
api POST "$API" "$KEY" '{"type": "temp", "id": "T-0043"}' 'application/json; charset=utf-8'
is "$RESP_STATUS" 201 "deploy T-0043 (members in any order, a charset): 201"
is "$(field added_to_subscription)" false "nothing added"
is "$(deployed temp) $(acme_q temp) $(q "SELECT count(*) FROM accrual")" \
    "12 12 0" "12 of 12, nothing accrued"

api POST "$API" "$KEY" '{"id": "T-0044", "type": "temp"}'
is "$RESP_STATUS" 201 "deploy a 13th: 201"
is "$(field status) $(field added_to_subscription) $(field billing) $(field currency)" \
    "deployed true next_invoice USD" "a unit added, billed on the next invoice"
charge=$(field prorated_charge)
like "$charge" '^[0-9]+\.[0-9]{2}$' "a prorated charge ($charge)"
isnt "$charge" "0.00" "not zero"
is "$(field vat) $(field total)" "0.00 $charge" \
    "with its VAT (none for Acme Holdings, in the US) and the total it adds"
is "$(acme_q temp)" 13 "the subscription is now 13"
is "$(q "SELECT count(*) || ' ' || printf('%d.%02d', amount / 100, amount % 100) ||
    ' ' || (closed_at IS NULL) FROM accrual")" "1 $charge 1" \
    "an accrual of that amount waits for the next invoice"
is "$(q "SELECT printf('%d.%02d', balance / 100, balance % 100) FROM
    account_balance WHERE account = 'unbilled' AND org_id = (SELECT org_id
    FROM accrual)")" "$charge" "in the journal, as unbilled"
like "$(q "SELECT actor FROM audit_log WHERE action = 'Sensor added to the subscription'")" \
    "^API key $PREFIX…$" "audited under the key's prefix"

before=$(state)
api POST "$API" "$KEY" '{"id": "T-0044", "type": "temp"}'
is "$RESP_STATUS" 200 "the same sensor again: 200"
is "$(field status) $(field added_to_subscription) $(field billing)" \
    "already_deployed false none" "already deployed"
is "$(state)" "$before" "nothing changed"

docs=$(q "SELECT count(*) FROM document WHERE org_id = 1")
is "$(deployed air) $(acme_q air)" "5 5" "Acme: 5 air quality sensors of 5 (annual)"
api POST "$API" "$KEY" '{"id": "AQ-7", "type": "air"}'
is "$RESP_STATUS" 201 "deploy an air quality sensor: 201"
is "$(field added_to_subscription) $(field billing)" "true invoiced_now" \
    "annual plan: invoiced now"
aircharge=$(field prorated_charge)
like "$aircharge" '^[1-9][0-9]*\.[0-9]{2}$' "with a prorated charge ($aircharge)"
is "$(acme_q air)" 6 "the subscription is 6: one unit added"
is "$(q "SELECT count(*) FROM document WHERE org_id = 1")" $((docs + 1)) "a new invoice"
doc=$(q "SELECT max(id) FROM document WHERE org_id = 1")
is "$(q "SELECT kind || ' ' || printf('%d.%02d', total / 100, total % 100)
    FROM document WHERE id = $doc")" "invoice $aircharge" "for the prorated charge"
is "$(q "SELECT count(*) || ' ' || status FROM charge WHERE document_id = $doc")" \
    "1 succeeded" "what credit left was charged after the commit"
is "$(q "SELECT sum(amount) = (SELECT total FROM document WHERE id = $doc)
    FROM receipt WHERE document_id = $doc")" 1 "receipts pay it in full"

# ---- remove ----------------------------------------------------------
api DELETE "$API/T-0042" "$KEY"
is "$RESP_STATUS" 200 "remove T-0042: 200"
is "$(field id) $(field status)" "T-0042 removed" "removed"
is "$(acme_q temp) $(deployed temp)" "13 12" "the subscription stays at 13"
before=$(state)
api DELETE "$API/T-0042" "$KEY"
is "$RESP_STATUS" 200 "remove it again: 200"
is "$(field status)" already_removed "already removed"
is "$(state)" "$before" "nothing changed"
api DELETE "$API/NO-SUCH-1" "$KEY"
refused 404 "remove an unknown sensor"
api POST "$API" "$KEY" '{"id": "T-0042", "type": "temp"}'
is "$RESP_STATUS" 201 "a removed sensor deployed again: 201"
is "$(acme_q temp) $(deployed temp)" "13 13" "within the count again: 13 of 13"

# ---- refusals --------------------------------------------------------
before=$(state)
api POST "$API" "" '{"id": "T-1", "type": "temp"}'
refused 401 "no key"
like "$(resp_header WWW-Authenticate)" '^Bearer' "with WWW-Authenticate: Bearer"
http_req POST "$API" -H "Authorization: Basic $(printf 'a:b' | base64)" \
    -H 'Content-Type: application/json' --data-binary '{"id": "T-1", "type": "temp"}'
refused 401 "Basic authentication"
like "$(resp_header WWW-Authenticate)" '^Bearer' "with WWW-Authenticate: Bearer"
http_req POST "$API" -H "Authorization: Bearer" \
    -H 'Content-Type: application/json' --data-binary '{"id": "T-1", "type": "temp"}'
refused 401 "Bearer without a key"
api POST "$API" "rk_$(printf '%064d' 0)" '{"id": "T-1", "type": "temp"}'
refused 401 "an unknown key"
api POST "$API" "${KEY}0" '{"id": "T-1", "type": "temp"}'
refused 401 "a key one digit too long"
api POST "$API" "$(tr a-f A-F <<<"$KEY")" '{"id": "T-1", "type": "temp"}'
refused 401 "the key in upper case"
api DELETE "$API/T-0043" "${KEY:0:66}"
refused 401 "remove with a truncated key"

api POST "$API" "$KEY" '{"id": "T-1", "type": "temp"}' 'text/plain'
refused 415 "Content-Type text/plain"
http_req POST "$API" -H "Authorization: Bearer $KEY" \
    --data-binary '{"id": "T-1", "type": "temp"}'
refused 415 "a form's content type (curl's default)"
api POST "$API" "$KEY" '{"id": "T-1", "type": "temp"}' 'application/jsonp'
refused 415 "Content-Type application/jsonp"

api POST "$API" "$KEY" '' 'application/json'
refused 400 "an empty body"
api POST "$API" "$KEY" '{"id": "T-1", "type": "temp"'
refused 400 "JSON cut short"
api POST "$API" "$KEY" '{"id": "T-1", "type": "temp"} {}'
refused 400 "something after the object"
api POST "$API" "$KEY" '[{"id": "T-1", "type": "temp"}]'
refused 400 "an array"
api POST "$API" "$KEY" '"T-1"'
refused 400 "a bare string"
api POST "$API" "$KEY" '{"id": "T-1", "type": "temp", "id": "T-2"}'
refused 400 "a member twice"
api POST "$API" "$KEY" '{"id": "T-1", "type": "temp", "site": "Lab"}'
refused 400 "an unknown member"
like "$(field message)" 'only, "id" and "type"' "says which members it takes"
api POST "$API" "$KEY" '{"id": 42, "type": "temp"}'
refused 400 "a number for id"
api POST "$API" "$KEY" '{"id": "T-1", "type": null}'
refused 400 "null for type"
api POST "$API" "$KEY" '{"id": "T-1"}'
refused 400 "no type"
api POST "$API" "$KEY" '{"type": "temp"}'
refused 400 "no id"
api POST "$API" "$KEY" '{"id": "", "type": "temp"}'
refused 400 "an empty id"
api POST "$API" "$KEY" '{"id": "T 1", "type": "temp"}'
refused 400 "a space in the id"
api POST "$API" "$KEY" '{"id": "T/1", "type": "temp"}'
refused 400 "a slash in the id"
api POST "$API" "$KEY" "{\"id\": \"$(printf 'x%.0s' $(seq 65))\", \"type\": \"temp\"}"
refused 400 "an id of 65 characters"
api POST "$API" "$KEY" '{"id": "T-\u00e9", "type": "temp"}'
refused 400 "a non-ASCII id"
api POST "$API" "$KEY" '{"id": "T-\u0000", "type": "temp"}'
refused 400 "a NUL in the id"
api POST "$API" "$KEY" '{"id": "T-1", "type": "Temp!"}'
refused 400 "a type that is no product code"
api DELETE "$API/T%201" "$KEY"
refused 400 "remove: a space in the id"
api DELETE "$API/$(printf 'x%.0s' $(seq 65))" "$KEY"
refused 400 "remove: an id of 65 characters"

api POST "$API" "$KEY" '{"id": "P-1", "type": "pressure"}'
refused 422 "an unknown sensor type"
api POST "$API" "$KEY" '{"id": "U-1", "type": "seat"}'
refused 422 "a product that is no sensor type"
api POST "$API" "$KEY" '{"id": "4242424242424242", "type": "temp"}'
refused 422 "a card number in the JSON"
like "$(field message)" 'card number' "said plainly"
is "$(grep -c -a 4242424242424242 "$RECKON_HOME"/*.log 2>/dev/null |
    awk -F: '{ n += $NF } END { print n + 0 }')" 0 "the number is in no log"

http_req GET "$API" -H "Authorization: Bearer $KEY"
refused 405 "GET on the collection"
like "$(resp_header Allow)" 'POST' "Allow: POST"
api DELETE "$API" "$KEY"
refused 405 "DELETE on the collection"
api POST "$API/T-0043" "$KEY" '{"id": "T-0043", "type": "temp"}'
refused 405 "POST on a sensor"
api DELETE "$BASE/api/v1/sensors/T-0043/x" "$KEY"
refused 404 "a path below a sensor"
http_req POST "$API" -b "$jar" -H 'Content-Type: application/json' \
    --data-binary '{"id": "T-1", "type": "temp"}'
refused 401 "a session cookie is no key"

# ---- another organization --------------------------------------------
is "$(login owner@other.test)" 303 "Globex's owner signs in"
ojar=$(jar_of owner@other.test)
post /billing/api-keys "$ojar"
is "$RESP_STATUS" 200 "Globex creates its own key: 200"
OKEY=$(grep -Eo 'rk_[0-9a-f]{64}' "$RESP_BODY" | head -n 1 || true)
like "$OKEY" '^rk_[0-9a-f]{64}$' "and sees it once"
isnt "$OKEY" "$KEY" "another key"
http_req GET "$BASE/billing/details" -b "$ojar"
unlike "$(resp_body)" "$PREFIX" "Globex does not see Acme's key"
before=$(state)
api DELETE "$API/T-0043" "$OKEY"
refused 404 "Globex's key and Acme's sensor T-0043"
api DELETE "$API/temp-00-001" "$OKEY"
refused 404 "Globex's key and Acme's demo sensor temp-00-001"
is "$(q "SELECT removed_at IS NULL FROM sensor WHERE org_id = 1 AND ext_id = 'temp-00-001'")" \
    1 "Acme's sensor is still deployed"
api POST "$API" "$OKEY" '{"id": "AQ-9", "type": "air"}'
refused 409 "Globex has no air quality subscription"
like "$(field message)" 'Subscribe to it first' "says to subscribe first"
akey=$(q "SELECT id FROM api_key WHERE org_id = 1")
post /billing/api-keys/revoke "$ojar" "api_key_id=$akey"
is "$RESP_STATUS" 404 "Globex cannot revoke Acme's key: 404"
post /billing/api-keys/revoke "$ojar" "api_key_id=999999"
is "$RESP_STATUS" 404 "nor a key that does not exist"
is "$(state)" "$before" "nothing changed"

# ---- revoke ----------------------------------------------------------
post /billing/api-keys/revoke "$jar" "api_key_id=$akey"
is "$RESP_STATUS" 303 "revoke Acme's key: 303"
is "$(resp_header Location)" "/billing/details?done=key_revoked" "to the details page"
is "$(q "SELECT revoked_at IS NOT NULL FROM api_key WHERE id = $akey")" 1 "revoked"
is "$(q "SELECT actor || ' | ' || old_value FROM audit_log WHERE action = 'API key revoked'")" \
    "billing@demo.test | $PREFIX…" "audited"
before=$(state)
api POST "$API" "$KEY" '{"id": "T-9", "type": "temp"}'
refused 401 "the revoked key deploys nothing"
api DELETE "$API/T-0043" "$KEY"
refused 401 "nor removes"
http_req GET "$BASE/billing/details?done=key_revoked" -b "$jar"
like "$(resp_body)" 'API key revoked' "the page says so"
like "$(tr -d '\n' <"$RESP_BODY")" "$PREFIX….*Revoked [0-9]{4}-[0-9]{2}-[0-9]{2}" "listed as revoked"
post /billing/api-keys/revoke "$jar" "api_key_id=$akey"
is "$RESP_STATUS" 303 "revoking it again: 303, nothing to do"
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'API key revoked'")" 1 "audited once"

# ---- the ledger ------------------------------------------------------
if out=$("$RECKONCTL" --db "$DB" verify 2>&1); then
	ok "reckonctl verify passes"
else
	not_ok "reckonctl verify passes"
	diag "$out"
fi

done_testing
