#!/usr/bin/env bash
# Over TLS (the stack as RECKON_TLS=1 conf/demo runs it, with a throw-away
# certificate): Strict-Transport-Security on every answer, the session
# cookie "__Host-" prefixed and Secure, the sign-in cookies "__Secure-"
# prefixed; a cookie without the prefix (one a plain-HTTP page or a
# sibling domain could have set) is not a session; the Origin check
# holds for https origins too.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
RECKON_TLS=1 stack_start

like "$BASE" '^https://127\.0\.0\.1:[0-9]+$' "the stack answers over TLS"
http_req GET "$BASE/login"
is "$RESP_STATUS" 200 "GET /login over TLS"
is "$(resp_header Strict-Transport-Security)" \
    "max-age=63072000; includeSubDomains" "Strict-Transport-Security is sent"
like "$(resp_header Set-Cookie)" \
    '^__Secure-reckon_pre=[0-9a-f]{64}; Path=/login; HttpOnly; SameSite=Strict; Secure$' \
    "the pre-session cookie is __Secure- prefixed and Secure"
http_req GET "$BASE/static/no-such-file"
is "$(resp_header Strict-Transport-Security)" \
    "max-age=63072000; includeSubDomains" "and on nginx's own error pages"

is "$(login billing@demo.test)" 303 "billing admin signs in over TLS"
jar=$(jar_of billing@demo.test)
# The cookies as set: sign in once more and read the headers.
tok=$(csrf_of "$BASE/login" "$jar.2")
http_req POST "$BASE/login" -b "$jar.2" --data-urlencode email=billing@demo.test \
    --data-urlencode password=demo-password --data-urlencode "csrf=$tok"
is "$RESP_STATUS" 303 "signs in again"
cookies=$(tr -d '\r' <"$RESP_HEADERS" | grep -i '^set-cookie:')
like "$cookies" \
    'Set-Cookie: __Host-reckon_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax; Secure' \
    "the session cookie is __Host- prefixed, Path=/, Secure"
unlike "$cookies" 'Domain=' "no cookie names a Domain"
like "$cookies" \
    'Set-Cookie: __Secure-reckon_device=[0-9]+\.[0-9]+\.[0-9a-f]{64}; Path=/login; Max-Age=15552000; HttpOnly; SameSite=Strict; Secure' \
    "the device cookie is __Secure- prefixed and Secure"
unlike "$cookies" 'Set-Cookie: reckon_' "no cookie without its prefix"

is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "the session works over TLS"
sid=$(awk '$6 == "__Host-reckon_session" { print $7 }' "$jar")
like "$sid" '^[0-9a-f]{64}$' "the jar holds the prefixed cookie"
is "$(http_status GET "$BASE/billing" -b "__Host-reckon_session=$sid")" 200 \
    "the token under its prefixed name is a session"
is "$(http_status GET "$BASE/billing" -b "reckon_session=$sid")" 303 \
    "the same token without the prefix is not (back to /login)"

# The Origin check with https origins.
csrf=$(csrf_of "$BASE/billing" "$jar")
is "$(http_status POST "$BASE/logout" -b "$jar" -H "Origin: https://evil.test" \
    --data-urlencode "csrf=$csrf")" 403 "a POST from another https origin is refused"
is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "and changed nothing"
is "$(http_status POST "$BASE/logout" -b "$jar" -H "Origin: $BASE" \
    --data-urlencode "csrf=$csrf")" 303 "a POST from the portal's own origin is taken"
is "$(http_status GET "$BASE/billing" -b "$jar")" 303 "signed out"

# Plain HTTP to the TLS port is refused, not answered in the clear.
st=$(curl -q --noproxy '*' -sS -o /dev/null -w '%{http_code}' --max-time 5 \
    "http://127.0.0.1:$PORT/login" 2>/dev/null || true)
is "$st" 400 "plain HTTP to the TLS port gets 400, no page"

done_testing
