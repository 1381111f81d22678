#!/usr/bin/env bash
# The README's examples, run as they are written there (only the paths,
# the port, the mail relay's port and the API key are this stack's):
# "let a month pass" renews on the 1st of next month, ahead of the
# portal's clock, and delivers that renewal's emails; then the sensors
# API calls. The renewed periods begin in the future, and the pages must
# still make sense: the plan page quotes (no 409 "being renewed"), a
# change takes effect when the period begins and is prorated over that
# one period, no more; the ledger verifies.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)

readme_block()	# WORDS: the README's fenced sh block holding WORDS
{
	awk -v w="$1" '/^```/ { if (f) { if (index(b, w)) { printf "%s", b; exit } b = "" }
	    f = !f; next } f { b = b $0 "\n" }' "$TOP/README.md"
}
as_here()	# the README's commands with this stack's paths, port and key
{
	sed -e "s|build/cgi/reckonctl|$RECKONCTL|g" -e "s|var/reckon\.db|$DB|g" \
	    -e "s|http://127\.0\.0\.1:8080|$BASE|g" -e "s|rk_\.\.\.|${KEY:-}|g"
}

# The mail sink the demo has, on a port of this test's own.
SMTP_PORT=$(_free_port) || bail "no free port"
MAILDIR=$RECKON_HOME/mail
mkdir -p "$MAILDIR"
/usr/bin/python3 "$TOP/tests/smtp-sink" --port "$SMTP_PORT" --dir "$MAILDIR" \
    --pidfile "$RECKON_HOME/sink.pid" </dev/null >"$RECKON_HOME/sink.log" 2>&1 &
sink_pid=$!
on_exit '_stop_pid "$sink_pid"'
for _ in $(seq 1 100); do
	[ -s "$RECKON_HOME/sink.pid" ] && break
	sleep 0.1
done
[ -s "$RECKON_HOME/sink.pid" ] || bail "smtp-sink did not start: $(cat "$RECKON_HOME/sink.log")"
export RECKON_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT

TEMP_M=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'temp' AND p.period = 'monthly' AND p.currency = 'USD'")
TEMP=$(q "SELECT id FROM subscription WHERE org_id = 1 AND plan_id = $TEMP_M
    AND status = 'active' ORDER BY id LIMIT 1")
like "$TEMP" '^[0-9]+$' "Acme has a monthly temperature subscription"
QTY=$(q "SELECT quantity FROM subscription WHERE id = $TEMP")

# ---- "let a month pass", as written ----
block=$(readme_block 'renew --now')
like "$block" 'renew --now' "the README has the renew commands"
diag "$block"
rc=0
out=$(bash -euo pipefail -c "$(as_here <<<"$block")" 2>&1) || rc=$?
is "$rc" 0 "the README's renew and mail commands: exit 0"
diag "$out"
like "$out" 'sent [1-9][0-9]*, failed 0' "reckonctl mail delivered the renewal's emails"
is "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" 0 "none is left waiting"
isnt "$(ls "$MAILDIR" | grep -c '\.eml$' || true)" 0 "the sink holds them"
next=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%s)
ps=$(q "SELECT period_start FROM subscription WHERE id = $TEMP")
pe=$(q "SELECT period_end FROM subscription WHERE id = $TEMP")
is "$ps" "$next" "the subscription's period now begins on the 1st of next month"
is "$((ps > $(date +%s)))" 1 "which is still to come"

# ---- the pages ----
http_req GET "$BASE/billing" -b "$jar"
is "$RESP_STATUS" 200 "the overview: 200"
http_req GET "$BASE/billing/plan?subscription_id=$TEMP" -b "$jar"
is "$RESP_STATUS" 200 "the plan page: 200, not 409"
unlike "$(body_line)" 'being renewed' "it does not say the period is being renewed"
like "$(body_line)" "<dt>Current period</dt><dd>$(date -u -d "@$ps" +%F) to $(date -u -d "@$pe" +%F)</dd>" \
    "it shows the period to come"

http_req GET "$BASE/billing/plan?subscription_id=$TEMP&plan_id=$TEMP_M&quantity=$((QTY + 1))" \
    -b "$jar"
is "$RESP_STATUS" 200 "a quote for one more unit: 200"
per=$(grouped $((pe - ps)))
like "$(body_line)" "× $per s remaining / $per s = " \
    "prorated over the whole period that is to come, not more"
FORM=$(hidden_value form_token)
CSRF=$(csrf_from_html <"$RESP_BODY")
AS_OF=$(hidden_value as_of)
http_req POST "$BASE/billing/plan" -b "$jar" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "form_token=$FORM" \
    --data-urlencode "subscription_id=$TEMP" \
    --data-urlencode "plan_id=$TEMP_M" --data-urlencode "quantity=$((QTY + 1))" \
    --data-urlencode "version=$(hidden_value version)" \
    --data-urlencode "seal=$(hidden_value seal)" --data-urlencode "as_of=$AS_OF"
is "$RESP_STATUS" 303 "confirmed: 303"
is "$(q "SELECT quantity FROM subscription WHERE id = $TEMP")" "$((QTY + 1))" \
    "one more unit"
is "$(q "SELECT min(period_start) || ' ' || max(period_end) FROM accrual
    WHERE subscription_id = $TEMP AND created_at = $AS_OF")" "$ps $pe" \
    "accrued for the period to come, from its start"

# ---- the sensors API, as written ----
fresh_page=$(curl -q -sS --max-time 20 -b "$jar" "$BASE/billing/details")
http_req POST "$BASE/billing/api-keys" -b "$jar" \
    --data-urlencode "csrf=$(csrf_from_html <<<"$fresh_page")" \
    --data-urlencode "form_token=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$fresh_page" |
    head -n 1 | sed 's/.*value="//; s/"$//')"
KEY=$(grep -Eo 'rk_[0-9a-f]{64}' "$RESP_BODY" | head -n 1 || true)
like "$KEY" '^rk_[0-9a-f]{64}$' "a key from the billing details page"
block=$(readme_block '/api/v1/sensors')
like "$block" 'curl' "the README has the API calls"
rc=0
out=$(bash -euo pipefail -c "$(as_here <<<"$block")" 2>&1) || rc=$?
is "$rc" 0 "the README's curl commands: exit 0"
diag "$out"
like "$out" '"id": *"T-0042".*"status": *"deployed"' "the first deploys T-0042"
like "$out" '"id": *"T-0042", *"status": *"removed"' "the second removes it"
is "$(q "SELECT removed_at IS NOT NULL FROM sensor WHERE ext_id = 'T-0042'")" 1 \
    "T-0042 was deployed and is removed"

rc=0
"$RECKONCTL" --db "$DB" verify >>"$RECKON_HOME/ctl.log" 2>&1 || rc=$?
is "$rc" 0 "reckonctl verify passes"
done_testing
