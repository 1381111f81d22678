#!/usr/bin/env bash
# The security sweep: every route × every role, with the organization's
# own ids and another organization's, answers the expected status; every
# answer (error pages too) carries the security headers.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
q() { sqlite3 "$DB" "$1"; }

users=(owner@demo.test billing@demo.test accountant@demo.test member@demo.test owner@other.test)
for u in "${users[@]}"; do
	is "$(login "$u")" 303 "$u signs in"
done
declare -A tok
for u in "${users[@]}"; do
	tok[$u]=$(csrf_of "$BASE/billing/details" "$(jar_of "$u")")
done

sub=$(q "SELECT id FROM subscription WHERE org_id = 1 AND status = 'active' ORDER BY id LIMIT 1")
num=$(q "SELECT number FROM document WHERE org_id = 1 ORDER BY id LIMIT 1")
pm=$(q "SELECT id FROM payment_method WHERE org_id = 1 AND is_default = 1")

CSP="default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
headers_ok=0 headers_bad=0
check()		# METHOD PATH EXPECTED(owner billing accountant member other anon)
{
	local m=$1 path=$2 i=0 u args want got
	read -r -a want <<<"$3"
	for u in "${users[@]}" anonymous; do
		args=()
		[ "$u" = anonymous ] || args+=(-b "$(jar_of "$u")")
		if [ "$m" = POST ]; then
			args+=(--data-urlencode "csrf=${tok[$u]:-}"
			    --data-urlencode "form_token=$(printf '%062d%02d' $RANDOM $i)")
		fi
		http_req "$m" "$BASE$path" "${args[@]}"
		got=$RESP_STATUS
		is "$got" "${want[$i]}" "$m $path as $u: ${want[$i]}"
		if [ "$(resp_header Content-Security-Policy)" = "$CSP" ] &&
		    [ "$(resp_header X-Content-Type-Options)" = nosniff ] &&
		    [ "$(resp_header X-Frame-Options)" = DENY ] &&
		    [ "$(resp_header Referrer-Policy)" = no-referrer ]; then
			headers_ok=$((headers_ok + 1))
		else
			headers_bad=$((headers_bad + 1))
			diag "missing security headers: $m $path as $u ($got)"
		fi
		i=$((i + 1))
	done
}

#        method path                                              owner billing acct member other anon
check GET  /billing                                               "200 200 200 403 200 303"
check GET  /billing/details                                       "200 200 200 403 200 303"
check GET  /billing/payment-methods                               "200 200 200 403 200 303"
check GET  /billing/audit                                         "200 403 403 403 200 303"
check GET  /billing/receipts                                      "200 200 200 403 200 303"
check GET  /billing/receipts.csv                                  "200 200 200 403 200 303"
check GET  "/billing/receipts/$num.pdf"                           "200 200 200 403 404 303"
check GET  /billing/sensors/sync                                  "200 200 200 403 200 303"
check GET  "/billing/subscriptions/cancel?subscription_id=$sub"   "200 200 403 403 404 303"
check GET  "/billing/plan?subscription_id=$sub"                   "200 200 200 403 404 303"
check POST /billing/details                                       "422 422 403 403 422 403"
check POST /billing/payment-methods                               "422 422 403 403 422 403"
check POST "/billing/payment-methods/default?payment_method_id=$pm" "303 303 403 403 404 403"
check POST "/billing/subscriptions/cancel?subscription_id=$sub"   "303 409 403 403 404 403"
check POST "/billing/subscriptions/resume?subscription_id=$sub"   "303 409 403 403 404 403"
check POST /billing/api-keys/revoke                               "404 404 403 403 404 403"
check GET  /no/such/page                                          "404 404 404 404 404 404"
check DELETE /billing                                             "405 405 405 405 405 405"

is "$headers_bad" 0 "all $headers_ok answers carry the four security headers"

# The API: no cookie, no CSRF, a key or 401; its errors carry the headers too.
http_req POST "$BASE/api/v1/sensors" -H 'Content-Type: application/json' --data '{}'
is "$RESP_STATUS" 401 "the API without a key: 401"
is "$(resp_header Content-Security-Policy)" "$CSP" "with the CSP"
http_req POST "$BASE/api/v1/sensors" -b "$(jar_of owner@demo.test)" \
    -H 'Content-Type: application/json' --data '{"id": "x", "type": "temp"}'
is "$RESP_STATUS" 401 "a session cookie is no API key: 401"

done_testing
