#!/usr/bin/env bash
# The README's "let a month pass" runs reckonctl renew on the 1st of
# next month, ahead of the portal's clock: the renewed periods begin in
# the future.  The pages must still make sense then: the plan page
# quotes (no 409 "being renewed"), a change takes effect when the
# period begins and is prorated over that one period, no more; the
# ledger verifies.  The renew command is taken from the README as it is
# written there.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)

q()		# SQL: one value
{
	sqlite3 "$DB" "$1"
}
body()		# the last body on one line
{
	tr -d '\n' <"$RESP_BODY"
}
grouped()	# N: with thousands separators
{
	printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}
hidden()	# NAME: the value of the hidden input NAME in the last body
{
	{ grep -o "name=\"$1\" value=\"[^\"]*\"" "$RESP_BODY" || true; } |
	    head -n 1 | sed 's/.*value="//; s/"$//'
}

TEMP_M=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'temp' AND p.period = 'monthly' AND p.currency = 'USD'")
TEMP=$(q "SELECT id FROM subscription WHERE org_id = 1 AND plan_id = $TEMP_M
    AND status = 'active' ORDER BY id LIMIT 1")
like "$TEMP" '^[0-9]+$' "Acme has a monthly temperature subscription"
QTY=$(q "SELECT quantity FROM subscription WHERE id = $TEMP")

# ---- the README's command, as written ----
cmd=$(grep -m 1 '^build/cgi/reckonctl --db var/reckon.db renew ' \
    "$TOP/README.md" | sed 's/  *# .*//')
like "$cmd" 'renew --now' "the README has the renew command"
cmd=${cmd/build\/cgi\/reckonctl/\"\$RECKONCTL\"}
cmd=${cmd/var\/reckon.db/\"\$DB\"}
rc=0
eval "$cmd" >>"$RECKON_HOME/ctl.log" 2>&1 || rc=$?
is "$rc" 0 "reckonctl renew on the 1st of next month: exit 0"
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
unlike "$(body)" 'being renewed' "it does not say the period is being renewed"
like "$(body)" "<dt>Current period</dt><dd>$(date -u -d "@$ps" +%F) to $(date -u -d "@$pe" +%F)</dd>" \
    "it shows the period to come"

http_req GET "$BASE/billing/plan?subscription_id=$TEMP&plan_id=$TEMP_M&quantity=$((QTY + 1))" \
    -b "$jar"
is "$RESP_STATUS" 200 "a quote for one more unit: 200"
per=$(grouped $((pe - ps)))
like "$(body)" "× $per s remaining / $per s = " \
    "prorated over the whole period that is to come, not more"
FORM=$(hidden form_token)
CSRF=$(csrf_from_html <"$RESP_BODY")
AS_OF=$(hidden as_of)
http_req POST "$BASE/billing/plan" -b "$jar" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "form_token=$FORM" \
    --data-urlencode "subscription_id=$TEMP" \
    --data-urlencode "plan_id=$TEMP_M" --data-urlencode "quantity=$((QTY + 1))" \
    --data-urlencode "version=$(hidden version)" \
    --data-urlencode "seal=$(hidden seal)" --data-urlencode "as_of=$AS_OF"
is "$RESP_STATUS" 303 "confirmed: 303"
is "$(q "SELECT quantity FROM subscription WHERE id = $TEMP")" "$((QTY + 1))" \
    "one more unit"
is "$(q "SELECT min(period_start) || ' ' || max(period_end) FROM accrual
    WHERE subscription_id = $TEMP AND created_at = $AS_OF")" "$ps $pe" \
    "accrued for the period to come, from its start"

rc=0
"$RECKONCTL" --db "$DB" verify >>"$RECKON_HOME/ctl.log" 2>&1 || rc=$?
is "$rc" 0 "reckonctl verify passes"
done_testing
