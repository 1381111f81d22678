#!/usr/bin/env bash
# The workers' log an operator can use: one line per request with the
# method, the route (its pattern, never the path), the status, the time
# spent and the organization served; never an email, a token, a key or
# a card number. With Config.LogFile, lines go to that file, stamped
# with the time, and SIGHUP reopens it (after logrotate moved it away)
# and replaces the workers, which then log to the new file.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
RECKON_LOGFILE=1 stack_start
LOG=$RECKON_HOME/portal.log

is "$(http_status GET "$BASE/login")" 200 "GET /login"
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
sid=$(awk '$6 == "reckon_session" { print $7 }' "$jar")
is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "GET /billing"
is "$(http_status GET "$BASE/billing/receipts/INV-2026-0001.pdf" -b "$jar")" 404 \
    "a receipt that is not there: 404"
is "$(http_status GET "$BASE/billing/receipts/4111111111111111.pdf" -b "$jar")" 422 \
    "a receipt path holding a card number: 422"
is "$(http_status POST "$BASE/api/v1/sensors" -H "Content-Type: application/json" \
    -H "Authorization: Bearer rk_$(printf '%064d' 0)" -d '{"id": "T-1", "type": "temp"}')" \
    401 "an API call with a wrong key: 401"
is "$(http_status GET "$BASE/no/such/page" -b "$jar")" 404 "a page that is not there: 404"
sleep 0.2

stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z reckon\.fcgi worker\[[0-9]+\]: info: request'
like "$(cat "$LOG")" "$stamp GET /login 200 [0-9.]+ ms org 0$" \
    "a line for GET /login: stamped, route, status, time, no organization"
like "$(cat "$LOG")" "$stamp POST /login 303 [0-9.]+ ms org 0$" "one for the sign-in"
like "$(cat "$LOG")" "$stamp GET /billing 200 [0-9.]+ ms org 1$" \
    "one for GET /billing, with the organization served"
like "$(cat "$LOG")" "$stamp GET /billing/receipts/\\*\\.pdf 404 [0-9.]+ ms org 1$" \
    "the receipt by its route's pattern, not its path"
like "$(cat "$LOG")" "$stamp GET - 422 [0-9.]+ ms org 0$" \
    "the one with a card number: refused before any route or session"
like "$(cat "$LOG")" "$stamp POST /api/v1/sensors 401 [0-9.]+ ms org 0$" "the API call"
like "$(cat "$LOG")" "$stamp GET - 404 [0-9.]+ ms org 1$" "a page that is not there: route -"
is "$(grep -c ': info: request ' "$LOG")" 9 \
    "one line per request (9: the start-up check's GET /login too)"
unlike "$(cat "$LOG")" '4111|INV-|billing@demo\.test|demo-password|rk_' \
    "no card number, email, password or key in the log"
is "$(grep -c -F "$sid" "$LOG" || true)" 0 "no session token"

# logrotate's way: move the file away, SIGHUP, and the new lines go to a
# new file while the old one keeps what it had.
before=$(pgrep -P "$_fcgi_pid" | sort | tr '\n' ' ')
mv "$LOG" "$LOG.1"
kill -HUP "$_fcgi_pid"
for i in $(seq 1 50); do
	[ -s "$LOG" ] && now=$(pgrep -P "$_fcgi_pid" | sort | tr '\n' ' ') &&
	    [ "$(wc -w <<<"$now")" = 2 ] && [ -z "$(comm -12 \
	    <(tr ' ' '\n' <<<"$before" | grep .) <(tr ' ' '\n' <<<"$now" | grep .))" ] &&
	    break
	sleep 0.1
done
like "$(cat "$LOG" 2>/dev/null)" 'info: SIGHUP: log file reopened; replacing the workers' \
    "SIGHUP reopened the log file"
is "$(wc -w <<<"$now")" 2 "two workers after SIGHUP"
is "$(comm -12 <(tr ' ' '\n' <<<"$before" | grep .) <(tr ' ' '\n' <<<"$now" | grep .) | wc -l)" 0 \
    "both replaced (were $before, now $now)"
n1=$(wc -l <"$LOG.1")
is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "the session survives SIGHUP"
sleep 0.2
like "$(cat "$LOG")" "$stamp GET /billing 200 [0-9.]+ ms org 1$" "the request is in the new file"
is "$(wc -l <"$LOG.1")" "$n1" "and not in the old one"

done_testing
