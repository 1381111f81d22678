#!/usr/bin/env bash
# Synchronize the subscription with deployed sensors: the preview shows
# per line the units to remove and the credit with its formula (checked
# here against the database's period, to the cent, half-up); confirming
# reduces the quantity and posts exactly that credit, once; a stale or
# changed preview is refused; accountants only look; the next renewal
# uses the credit before the card.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
URL=$BASE/billing/sensors/sync
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
usd()		# CENTS: as the portal writes dollars
{
	printf '$%s.%02d' "$(grouped $(($1 / 100)))" $(($1 % 100))
}
hidden()	# NAME: the value of the hidden input NAME in the last body
{
	{ grep -o "name=\"$1\" value=\"[^\"]*\"" "$RESP_BODY" || true; } |
	    head -n 1 | sed 's/.*value="//; s/"$//'
}
credit_balance()	# Acme's customer credit held, in cents (positive)
{
	q "SELECT -coalesce((SELECT balance FROM account_balance
	    WHERE org_id = 1 AND account = 'customer_credit'), 0)"
}
overview_credit()	# the credit on the overview, as shown
{
	http_req GET "$BASE/billing" -b "$jar"
	body | grep -o '<dt>Customer credit</dt>[^$]*\$[0-9,.]*' |
	    sed 's/.*\(\$[0-9,.]*\)$/\1/'
}

temp=$(q "SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id
    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1 AND pr.code = 'temp'")
ps=$(q "SELECT period_start FROM subscription WHERE id = $temp")
pe=$(q "SELECT period_end FROM subscription WHERE id = $temp")
credit_before=$(overview_credit)
balance_before=$(credit_balance)

# ---- the preview ----
http_req GET "$URL" -b "$jar"
is "$RESP_STATUS" 200 "the preview: 200"
b=$(body)
AS_OF=$(hidden as_of)
CREDIT=$(hidden credit)
SEAL=$(hidden seal)
FORM=$(hidden form_token)
CSRF=$(csrf_from_html <"$RESP_BODY")
now=$(date +%s)
if [ "$AS_OF" -le "$now" ] && [ "$AS_OF" -ge $((now - 60)) ]; then
	ok "as_of is the preview's time ($AS_OF)"
else
	not_ok "as_of is the preview's time"
	diag "as_of '$AS_OF', now $now"
fi
# unit × units × remaining / period, half-up, in integers
period=$((pe - ps))
remaining=$((pe - AS_OF))
want=$(((2 * 500 * 2 * remaining + period) / (2 * period)))
is "$CREDIT" "$want" "the previewed credit is 500 × 2 × $remaining / $period, half-up: $want cents"
like "$b" '<th scope="row">Temperature sensor</th>    <td>Monthly</td>    <td class="num">12</td>    <td class="num">10</td>    <td class="num">2</td>' \
    "the line: Temperature sensor, monthly, 12 subscribed, 10 deployed, 2 to remove"
like "$b" "\\\$5.00 × 2 units × $(grouped $remaining) s remaining / $(grouped $period) s in the period = \\$(usd "$want"), rounded half-up" \
    "the formula, written out"
like "$b" "Total credit</th>    <td class=\"num\"><strong>\\$(usd "$want")</strong>" "the total credit"
like "$b" "A credit note for \\$(usd "$want") plus VAT \\\$0.00 \(\\$(usd "$want")\) reduces the invoice that billed the period; what it does not leave to pay becomes customer credit, used at your next renewal and never refunded to your card." \
    "where the credit goes: a credit note, customer credit, never the card"
like "$b" '<button type="submit" class="button button-primary">Synchronize now</button>' "a 'Synchronize now' button"
unlike "$b" 'Humidity sensor</th>' "types in step are not listed"
like "$b" '<a href="/billing/sensors/sync" aria-current="page">Sensors</a>' "'Sensors' in the navigation"
is "$(q "SELECT quantity FROM subscription WHERE id = $temp")" 12 "looking changes nothing"

# ---- accountants look only; members not at all ----
is "$(login accountant@demo.test)" 303 "accountant signs in"
ajar=$(jar_of accountant@demo.test)
http_req GET "$URL" -b "$ajar"
is "$RESP_STATUS" 200 "the accountant sees the preview"
like "$(body)" "\\$(usd "$want")" "with the credit"
unlike "$(body)" 'Synchronize now|action="/billing/sensors/sync"' "but no button"
acsrf=$(csrf_from_html <"$RESP_BODY")
is "$(http_status POST "$URL" -b "$ajar" --data-urlencode "csrf=$acsrf" \
    --data-urlencode "form_token=$(printf '%064d' 1)" \
    --data-urlencode "as_of=$AS_OF" --data-urlencode "credit=$CREDIT")" 403 \
    "the accountant's POST: 403"
is "$(login member@demo.test)" 303 "member signs in"
is "$(http_status GET "$URL" -b "$(jar_of member@demo.test)")" 403 "a member: 403"
http_req GET "$BASE/billing" -b "$ajar"
like "$(body)" '<a href="/billing/sensors/sync">Sensors</a>' "accountants have 'Sensors' in the navigation"

sync_post()	# AS_OF CREDIT [FORM [SEAL]]: confirm as the billing admin
{
	http_req POST "$URL" -b "$jar" --data-urlencode "csrf=$CSRF" \
	    --data-urlencode "form_token=${3:-$FORM}" \
	    --data-urlencode "as_of=$1" --data-urlencode "credit=$2" \
	    --data-urlencode "seal=${4:-$SEAL}"
}

# ---- refused: a time or total the server did not seal ----
# (backdated well within the 30 minutes a quote is honoured, so that a
# slow machine's seconds between the preview and this cannot make it
# an expired quote instead)
sync_post $((AS_OF - 600)) "$CREDIT"
is "$RESP_STATUS" 409 "the preview backdated by 600 s: 409"
like "$(body)" 'The numbers changed since you looked' "said so"
is "$(q "SELECT quantity FROM subscription WHERE id = $temp")" 12 "nothing applied"
sync_post "$AS_OF" "$CREDIT" "$FORM" "$(printf '%064d' 7)"
is "$RESP_STATUS" 409 "a forged seal: 409"
is "$(credit_balance)" "$balance_before" "no credit posted"

# ---- refused: stale, from the future, changed ----
sync_post $((now - 31 * 60)) "$CREDIT"
is "$RESP_STATUS" 409 "a preview 31 minutes old: 409"
like "$(body)" 'more than 30 minutes old' "said so"
like "$(body)" 'Synchronize now' "with a fresh preview to confirm"
sync_post $((now + 120)) "$CREDIT"
is "$RESP_STATUS" 409 "a preview from the future: 409"
sync_post "$AS_OF" $((CREDIT + 1))
is "$RESP_STATUS" 409 "another total than the preview's: 409"
like "$(body)" 'The numbers changed since you looked' "said so"
sync_post "$AS_OF" abc
is "$RESP_STATUS" 400 "a malformed total: 400"
is "$(q "SELECT quantity FROM subscription WHERE id = $temp")" 12 "nothing applied"
is "$(credit_balance)" "$balance_before" "no credit posted"

# ---- confirm: applied once ----
sync_post "$AS_OF" "$CREDIT"
is "$RESP_STATUS" 303 "confirm: 303"
loc=$(resp_header Location)
is "$loc" "/billing?done=synced" "to the overview"
is "$(q "SELECT quantity FROM subscription WHERE id = $temp")" 10 "the quantity is now 10"
is "$(credit_balance)" $((balance_before + CREDIT)) "the customer credit grew by exactly $CREDIT cents"
is "$(q "SELECT kind || ' ' || posted_at || ' ' || (SELECT group_concat(a, ' ')
    FROM (SELECT l.account || '=' || l.amount AS a FROM journal_line l
    WHERE l.entry_id = e.id ORDER BY l.account))
    FROM journal_entry e WHERE e.idem_key LIKE 'sync:$FORM:%'")" \
    "credit_note $AS_OF customer_credit=-$CREDIT revenue=$CREDIT" \
    "one journal entry: a credit note, revenue against customer credit (the invoice was paid), at as_of"
is "$(q "SELECT count(*) || ' ' || -total FROM document WHERE kind = 'credit_note'
    AND entry_id = (SELECT id FROM journal_entry WHERE idem_key LIKE 'sync:$FORM:%')")" \
    "1 $CREDIT" "a numbered credit note of that amount"
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'Synchronized with deployed sensors'")" 1 \
    "audited"
like "$(q "SELECT new_value FROM audit_log WHERE action = 'Synchronized with deployed sensors'")" \
    "Temperature sensor −2; credit \\$(usd "$CREDIT")" "the audit row names the change and the credit"
sync_post "$AS_OF" "$CREDIT"
is "$RESP_STATUS" 303 "the same form again: 303"
is "$(resp_header Location)" "$loc" "to the same place"
is "$(q "SELECT count(*) FROM journal_entry WHERE idem_key LIKE 'sync:%'")" 1 "applied once"
is "$(credit_balance)" $((balance_before + CREDIT)) "the credit posted once"

http_req GET "$BASE$loc" -b "$jar"
like "$(body)" "role=\"status\"><p>Synchronized with your deployed sensors. Your customer credit is now \\$(usd $((balance_before + CREDIT)))\.</p>" \
    "the flash names the credit from the ledger"
credit_after=$(overview_credit)
is "$credit_after" "$(usd $((balance_before + CREDIT)))" \
    "the overview shows the higher credit ($credit_before → $credit_after)"

http_req GET "$URL" -b "$jar"
like "$(body)" 'Your subscription matches your deployed sensors.' "now in step"
unlike "$(body)" 'Synchronize now' "nothing to confirm"
sync_post "$(date +%s)" "$CREDIT" "$(printf '%064d' 2)"
is "$RESP_STATUS" 409 "an old form with a new token: 409"
like "$(body)" 'nothing to synchronize any more' "said so"
is "$(q "SELECT count(*) FROM journal_entry WHERE idem_key LIKE 'sync:%'")" 1 "still once"

# ---- the next renewal uses the credit before the card ----
rc=0
"$RECKONCTL" --db "$DB" renew --now "$(date -u -d "@$((pe + 1))" +%FT%TZ)" \
    >>"$RECKON_HOME/ctl.log" 2>&1 || rc=$?
is "$rc" 0 "reckonctl renew at the period's end + 1 s"
held=$((balance_before + CREDIT))
is "$(q "SELECT r.amount FROM receipt r JOIN document d ON d.id = r.document_id
    WHERE d.org_id = 1 AND d.issued_at >= $pe AND r.method = 'Customer credit'")" \
    "$held" "the renewal invoice has a 'Customer credit' receipt of all credit held ($(usd $held), with the $(usd "$CREDIT") of the sync)"
is "$(q "SELECT count(*) FROM document d JOIN receipt r ON r.document_id = d.id
    WHERE d.org_id = 1 AND d.issued_at >= $pe AND r.method <> 'Customer credit'
    AND r.id > (SELECT r2.id FROM receipt r2 WHERE r2.document_id = d.id
    AND r2.method = 'Customer credit')")" 1 "the card paid only the rest, after the credit"
is "$(credit_balance)" 0 "no credit left"
rc=0
"$RECKONCTL" --db "$DB" verify >"$RECKON_HOME/verify.out" 2>&1 || rc=$?
is "$rc" 0 "reckonctl verify passes"

done_testing
