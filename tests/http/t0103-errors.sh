#!/usr/bin/env bash
# Errors in plain words with the right status, from one template, never
# with internals; limits enforced by our own parsers behind nginx; forged
# and tampered requests refused.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
is "$(login owner@demo.test)" 303 "owner signs in"
jar=$(jar_of owner@demo.test)

page_ok()	# WHAT STATUS REGEX
{
	is "$RESP_STATUS" "$2" "$1: $2"
	like "$(resp_body)" "$3" "$1: says so in words"
	like "$(resp_header Content-Security-Policy)" "default-src 'none'" "$1: CSP"
	unlike "$(resp_body)" 'sqlite|SELECT|\.c:[0-9]|Traceback|NEOERR|/tmp/' \
	    "$1: no internals"
}

http_req GET "$BASE/no/such/page" -b "$jar"
page_ok "unknown path" 404 'Page not found'
http_req GET "$BASE/no/such/page"
page_ok "unknown path, signed out" 404 'Page not found'

http_req DELETE "$BASE/billing" -b "$jar"
page_ok "DELETE /billing" 405 'cannot be used that way'
is "$(resp_header Allow)" "GET, HEAD" "405 names the allowed methods"
is "$(http_status HEAD "$BASE/billing" -b "$jar")" 200 "HEAD /billing: 200"

http_req POST "$BASE/logout" -b "$jar" --data 'csrf=0000'
page_ok "POST with a malformed token" 403 'did not come from this portal'

# Our own parsers' limits (65 fields), and nginx's on the request line.
fields=$(for i in $(seq 1 65); do printf 'f%d=1&' "$i"; done)
http_req POST "$BASE/login" --data "$fields"
page_ok "65 form fields" 413 'larger than this portal accepts'
http_req GET "$BASE/billing?q=$(head -c 5000 /dev/zero | tr '\0' 'a')" -b "$jar"
page_ok "a 5,000-byte query string" 414 'too long'
http_req POST "$BASE/login" --data 'email=%zz'
page_ok "a broken %-escape" 400 'could not be understood'
http_req GET "$BASE/billing" -b "$jar" -H "Cookie: x=$(head -c 4500 /dev/zero | tr '\0' 'a')"
is "$RESP_STATUS" 400 "a 4.5 KiB cookie: 400"

# Tampered or forged session cookies are no session at all.
sid=$(awk '$6 == "reckon_session" { print $7 }' "$jar")
bad=$(printf '%s' "$sid" | sed 's/^./0/;t' | sed 's/^0/1/')
[ "$bad" != "$sid" ] || bad=$(printf '%064d' 7)
is "$(http_status GET "$BASE/billing" -b "reckon_session=$bad")" 303 "a tampered session token: back to /login"
is "$(http_status GET "$BASE/billing" -b 'reckon_session=<script>')" 303 "a malformed one too"
is "$(http_status GET "$BASE/billing" -b "reckon_session=$sid")" 200 "the real one still works"

# ClearSilver's CGI debug hooks do not exist here.
http_req GET "$BASE/billing?debug=1&Query.debug=1" -b "$jar"
is "$RESP_STATUS" 200 "?debug= is ignored"
unlike "$(resp_body)" 'Query\.|CGI\.|HTTP\.' "and dumps nothing"

# Nothing of the request is echoed unescaped.
http_req POST "$BASE/login" --data-urlencode 'email=<script>alert(1)</script>@x.test'
unlike "$(resp_body)" '<script>alert' "input never comes back as markup"

done_testing
