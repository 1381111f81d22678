#!/usr/bin/env bash
# Sign-in and sign-out through nginx and the workers: the pre-session CSRF
# cookie, good and bad passwords, open-redirect refusal, throttling, cookie
# attributes, tokens stored only as hashes.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start

jar=$RECKON_HOME/jar.anon
http_req GET "$BASE/login" -c "$jar"
is "$RESP_STATUS" 200 "GET /login"
tok=$(resp_body | csrf_from_html)
like "$tok" '^[0-9a-f]{64}$' "the form carries a CSRF token"
like "$(resp_header Set-Cookie)" "^reckon_pre=$tok; Path=/login; HttpOnly; SameSite=Strict" \
    "the pre-session cookie holds the same token, HttpOnly, SameSite=Strict"
is "$(resp_header Strict-Transport-Security)" "" \
    "no Strict-Transport-Security over plain HTTP (t0607 has it over TLS)"

post_login()	# EMAIL PASSWORD CSRF [curl args]
{
	local e=$1 p=$2 c=$3
	shift 3
	http_req POST "$BASE/login" -b "$jar" -c "$jar" \
	    --data-urlencode "email=$e" --data-urlencode "password=$p" \
	    --data-urlencode "csrf=$c" "$@"
}

post_login owner@demo.test demo-password ""
is "$RESP_STATUS" 403 "POST /login without a CSRF token: 403"
post_login owner@demo.test demo-password "$(printf '%064d' 0)"
is "$RESP_STATUS" 403 "POST /login with a token unlike the cookie's: 403"

post_login owner@demo.test wrong-password "$tok"
is "$RESP_STATUS" 401 "a wrong password: 401"
like "$(resp_body)" 'email address or the password is not right' \
    "in plain words"
like "$(resp_body)" 'value="owner@demo.test"' "the email stays in the form"
post_login nobody@demo.test demo-password "$tok"
is "$RESP_STATUS" 401 "an unknown account: the same 401"
like "$(resp_body)" 'email address or the password is not right' \
    "with the same words"
post_login 'not an email' demo-password "$tok"
is "$RESP_STATUS" 401 "not an email address: 401"
like "$(resp_body)" 'not an email address' "said so"

post_login billing@demo.test demo-password "$tok" --data-urlencode 'next=//evil.test/x'
is "$RESP_STATUS" 303 "a right password: 303"
is "$(resp_header Location)" /billing "an off-site next= is ignored"
cookie=$(grep -i '^set-cookie: reckon_session=' "$RESP_HEADERS" | tr -d '\r')
like "$cookie" '^Set-Cookie: reckon_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Lax$' \
    "session cookie: 256 bits, HttpOnly, SameSite=Lax (no Secure over plain HTTP)"
sid=$(sed -E 's/.*reckon_session=([0-9a-f]{64}).*/\1/' <<<"$cookie")
is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "the session opens /billing"
is "$(sqlite3 "$RECKON_HOME/reckon.db" "SELECT count(*) FROM session WHERE hex(token_hash) = upper('$sid')")" \
    0 "the token is not stored as it is"
is "$(sqlite3 "$RECKON_HOME/reckon.db" "SELECT count(*) FROM session")" 1 \
    "one session row (its hash)"
if grep -rqs "$sid" "$RECKON_HOME"/reckon.db* "$RECKON_HOME"/*.log; then
	not_ok "the token is in no file under RECKON_HOME"
else
	ok "the token is in no file under RECKON_HOME"
fi

# Signing out needs the session's CSRF token.
is "$(http_status POST "$BASE/logout" -b "$jar")" 403 "POST /logout without a token: 403"
stok=$(csrf_of "$BASE/billing" "$jar")
like "$stok" '^[0-9a-f]{64}$' "the overview carries the session's token"
http_req POST "$BASE/logout" -b "$jar" -c "$jar" --data-urlencode "csrf=$stok"
is "$RESP_STATUS" 303 "POST /logout: 303"
is "$(resp_header Location)" /login "to the sign-in page"
is "$(http_status GET "$BASE/billing" -b "$jar")" 303 "after signing out /billing sends to /login"
is "$(http_status GET "$BASE/billing" -b "reckon_session=$sid")" 303 \
    "and the old token is dead even if replayed"
is "$(http_status GET "$BASE/logout")" 405 "GET /logout: 405"

# Idle and absolute expiry, decided by the server.
is "$(login owner@demo.test)" 303 "owner signs in"
ojar=$(jar_of owner@demo.test)
sqlite3 "$RECKON_HOME/reckon.db" "UPDATE session SET seen_at = seen_at - 1801"
is "$(http_status GET "$BASE/billing" -b "$ojar")" 303 "idle for over 30 minutes: signed out"
is "$(sqlite3 "$RECKON_HOME/reckon.db" "SELECT count(*) FROM session")" 0 \
    "and the expired session is deleted"
is "$(login owner@demo.test)" 303 "owner signs in again"
sqlite3 "$RECKON_HOME/reckon.db" "UPDATE session SET created_at = created_at - 43201"
is "$(http_status GET "$BASE/billing" -b "$ojar")" 303 "12 hours after signing in: signed out, however active"

# reckonctl user add: the password from stdin, then a normal sign-in.
printf 'a-new-password\n' | "$RECKONCTL" --db "$RECKON_HOME/reckon.db" user add \
    new.accountant@demo.test 1 accountant "Nora New" >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 0 "reckonctl user add"
is "$(login new.accountant@demo.test a-new-password)" 303 "the new user signs in"
is "$(http_status GET "$BASE/billing" -b "$(jar_of new.accountant@demo.test)")" 200 \
    "and sees the overview as an accountant"
printf 'short\n' | "$RECKONCTL" --db "$RECKON_HOME/reckon.db" user add \
    x@demo.test 1 accountant >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 2 "a password under 8 bytes is refused"
printf 'a-new-password\n' | "$RECKONCTL" --db "$RECKON_HOME/reckon.db" user add \
    NEW.accountant@demo.test 1 member >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 1 "an email address taken (in any case) is refused"

# Throttling (the README's rule): five failures of one account from one
# address hold that account there, for a minute and then twice as long
# for each failure more; an address that has not failed, and a browser
# that signed in to the account before (its device cookie), still sign
# in with the right password; twenty failures from one address hold
# every account there, but for browsers that signed in before.
djar=$RECKON_HOME/jar.device	# the accountant's own browser
dtok=$(csrf_of "$BASE/login" "$djar")
http_req POST "$BASE/login" -b "$djar" -c "$djar" \
    --data-urlencode email=accountant@demo.test \
    --data-urlencode password=demo-password --data-urlencode "csrf=$dtok"
is "$RESP_STATUS" 303 "the accountant signs in with a browser"
like "$(tr -d '\r' <"$RESP_HEADERS" | grep -i '^Set-Cookie: reckon_device=' || true)" 'reckon_device=[0-9]+\.[0-9]+\.[0-9a-f]{64}; Path=/login; Max-Age=15552000; HttpOnly; SameSite=Strict' \
    "which keeps a device cookie for /login, 180 days"
device_again()	# the accountant's browser, its session over, signs in again
{
	sed -i '/reckon_session/d' "$djar"
	dtok=$(csrf_of "$BASE/login" "$djar")
	http_req POST "$BASE/login" -b "$djar" -c "$djar" \
	    --data-urlencode email=accountant@demo.test \
	    --data-urlencode password=demo-password --data-urlencode "csrf=$dtok"
}
rm -f "$jar"
tok=$(csrf_of "$BASE/login" "$jar")
for i in 1 2 3 4 5; do
	post_login accountant@demo.test "wrong-$i" "$tok"
done
is "$RESP_STATUS" 401 "five wrong passwords for the accountant: each 401"
post_login accountant@demo.test demo-password "$tok"
is "$RESP_STATUS" 429 "the sixth try from that address, right or wrong: 429"
like "$(resp_body)" 'Wait 1 minute, then try again; a browser you signed in with before can sign in now' \
    "with the words to wait, and what else works"
like "$(resp_header Retry-After)" '^([1-5][0-9]|60|[1-9])$' "and Retry-After, a minute at most"
jar2=$RECKON_HOME/jar.other-address
tok2=$(curl -q -sS --interface 127.0.0.2 -c "$jar2" "$BASE/login" | csrf_from_html)
http_req POST "$BASE/login" --interface 127.0.0.2 -b "$jar2" -c "$jar2" \
    --data-urlencode email=accountant@demo.test \
    --data-urlencode password=demo-password --data-urlencode "csrf=$tok2"
is "$RESP_STATUS" 303 "from 127.0.0.2, which has not failed: signed in"
device_again
is "$RESP_STATUS" 303 "the browser that signed in before, from the same address: signed in"
is "$(login owner@demo.test)" 303 "another account from that address still signs in"

for i in $(seq 1 20); do
	post_login "user$i@nowhere.test" wrong "$tok"
done
post_login owner@other.test demo-password "$tok"
is "$RESP_STATUS" 429 "twenty failures from one address hold every account there"
device_again
is "$RESP_STATUS" 303 "but the accountant's own browser still signs in"

# The demo users' hashes: argon2id at ASVS 5.0's floor, a salt each.
is "$(sqlite3 "$RECKON_HOME/reckon.db" "SELECT count(DISTINCT pwhash) = count(*)
    AND count(*) > 1 FROM user")" 1 "every demo user has a hash (and salt) of its own"
is "$(sqlite3 "$RECKON_HOME/reckon.db" "SELECT count(*) FROM user WHERE pwhash
    NOT LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%'")" 0 \
    "every one argon2id with 19 MiB and two passes"

done_testing
