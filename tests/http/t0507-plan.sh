#!/usr/bin/env bash
# Change plan or quantity: the preview writes out every prorated line
# (checked here to the cent, half-up, against the database's period);
# the help page's example (10 users, standard $60/month to premium
# $130/month halfway: $35 on the next invoice) comes out exactly; a
# downgrade becomes customer credit; an annual plan is invoiced at once;
# monthly to annual starts a new period, paid from the unused time's
# credit first; a stale or changed quote is refused; a double submit
# applies once; another organization's subscription is not found;
# accountants only look.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
URL=$BASE/billing/plan
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
prorate()	# UNIT QTY REMAINING PERIOD: unit × qty × rem / period, half-up
{
	echo $(((2 * $1 * $2 * $3 + $4) / (2 * $4)))
}
prorate_change()	# OLD_UNIT OLD_QTY NEW_UNIT NEW_QTY REMAINING PERIOD
{			# the net of a change, rounded once, ties away from 0
	local d=$((($3 * $4 - $1 * $2) * $5)) p=$6
	if [ "$d" -ge 0 ]; then
		echo $(((2 * d + p) / (2 * p)))
	else
		echo $((-((-2 * d + p) / (2 * p))))
	fi
}
credit_balance()	# Acme's customer credit held, in cents (positive)
{
	q "SELECT -coalesce((SELECT balance FROM account_balance
	    WHERE org_id = 1 AND account = 'customer_credit'), 0)"
}
preview()	# SUB PLAN QTY: GET the preview (always now) as the billing admin
{
	http_req GET "$URL?subscription_id=$1&plan_id=$2&quantity=$3" \
	    -b "$jar"
	FORM=$(hidden form_token)
	CSRF=$(csrf_from_html <"$RESP_BODY")
	AS_OF=$(hidden as_of)
	VERSION=$(hidden version)
	SEAL=$(hidden seal)
}
confirm()	# SUB PLAN QTY AS_OF [FORM [VERSION SEAL]]: POST it
{
	http_req POST "$URL" -b "$jar" --data-urlencode "csrf=$CSRF" \
	    --data-urlencode "form_token=${5:-$FORM}" \
	    --data-urlencode "subscription_id=$1" \
	    --data-urlencode "plan_id=$2" --data-urlencode "quantity=$3" \
	    --data-urlencode "version=${6:-$VERSION}" \
	    --data-urlencode "seal=${7:-$SEAL}" \
	    --data-urlencode "as_of=$4"
}
accrued()	# KEY: the accruals posted under journal key KEY, in cents
{
	q "SELECT coalesce(sum(a.amount), 0) FROM accrual a JOIN journal_entry e
	    ON e.id = a.entry_id WHERE e.idem_key = '$1'"
}
until_of()	# AS_OF: the time the quote is honoured until, HH:MM
{
	date -u -d "@$(($1 + 1800))" +%H:%M
}

# Plans in USD (the demo's figures).
STD_M=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'standard' AND p.period = 'monthly' AND p.currency = 'USD'")
PRE_M=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'premium' AND p.period = 'monthly' AND p.currency = 'USD'")
AIR_A=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'air' AND p.period = 'annual' AND p.currency = 'USD'")
TEMP_M=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'temp' AND p.period = 'monthly' AND p.currency = 'USD'")
TEMP_A=$(q "SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'temp' AND p.period = 'annual' AND p.currency = 'USD'")

# The help page's customer: 10 users on the standard plan, monthly,
# in a 30-day period whose middle is T (now: a quote is always made at
# the time of the request, so its remaining time is a second or two
# short of half the period; the amounts still round to the help page's).
T=$(date +%s)
q "INSERT INTO subscription (org_id, plan_id, quantity, period_start,
    period_end, anchor, created_at) VALUES (1, $STD_M, 10, $((T - 1296000)),
    $((T + 1296000)), $((T - 1296000)), $((T - 1296000)))"
SEATS=$(q "SELECT max(id) FROM subscription")

# ---- the page ----
http_req GET "$URL?subscription_id=$SEATS" -b "$jar"
is "$RESP_STATUS" 200 "the plan page: 200"
b=$(body)
like "$b" '<dt>Plan</dt><dd>Standard plan, per user</dd>.*<dt>Billing period</dt><dd>Monthly</dd>.*<dt>Quantity</dt><dd>10 users</dd>.*<dt>Unit price</dt><dd>\$6\.00 per user per month</dd>' \
    "the subscription now: product, period, quantity, unit price"
like "$b" "<dt>Current period</dt><dd>$(date -u -d "@$((T - 1296000))" +%F) to $(date -u -d "@$((T + 1296000))" +%F)</dd>" \
    "and its period's dates"
like "$b" '<form class="form" method="get" action="/billing/plan">' "a GET form to pick the plan"
like "$b" "<option value=\"$PRE_M\">Premium plan, per user, monthly: \\\$13.00 per user per month</option>" \
    "premium, monthly, is offered"
like "$b" "<option value=\"$STD_M\" selected>Standard plan, per user, monthly: \\\$6.00 per user per month \\(your plan now\\)</option>" \
    "the plan now is selected"
unlike "$b" 'Temperature sensor|EUR|€' "neither sensor plans nor another currency are offered for seats"
like "$b" '<input id="plan-quantity" name="quantity" type="number"[^>]*value="10"' "the quantity, 10 now"
like "$b" '<button type="submit" class="button button-secondary">Preview</button>' "a Preview button"
unlike "$b" 'Confirm the change' "no confirmation before a preview"
like "$b" '<a href="/billing/plan" aria-current="page">Plan</a>' "'Plan' in the navigation"
http_req GET "$URL" -b "$jar"
is "$RESP_STATUS" 200 "the plan page without a subscription: 200"
like "$(body)" "<a href=\"/billing/plan\\?subscription_id=$SEATS\">Standard plan, per user</a>" \
    "it lists the subscriptions to choose from"
http_req GET "$BASE/billing" -b "$jar"
like "$(body)" "<a href=\"/billing/plan\\?subscription_id=$SEATS\">Change plan<span class=\"visually-hidden\">: Standard plan, per user</span></a>" \
    "the overview links 'Change plan' for an active subscription"

# ---- the help page's example: $35.00 on the next invoice ----
preview "$SEATS" "$PRE_M" 10
is "$RESP_STATUS" 200 "the preview, standard → premium at the middle of the period: 200"
b=$(body)
if [ "$AS_OF" -ge "$T" ] && [ "$AS_OF" -le $((T + 5)) ]; then
	ok "the quote is at the time of the request ($AS_OF)"
else
	not_ok "the quote is at the time of the request"
	diag "as_of '$AS_OF', T $T"
fi
R=$(grouped $((T + 1296000 - AS_OF)))
like "$b" "<th scope=\"row\">Unused time on Standard plan, per user \\(monthly\\)</th>    <td class=\"formula\">\\\$6\\.00 × 10 users × $R s remaining / 2,592,000 s = \\\$30\\.00 credit</td>    <td class=\"num\">−\\\$30\\.00</td>" \
    "unused time: \$6.00 × 10 users × $R s remaining / 2,592,000 s = \$30.00 credit"
like "$b" "<th scope=\"row\">Premium plan, per user \\(monthly\\) for the rest of the period</th>    <td class=\"formula\">\\\$13\\.00 × 10 users × $R s remaining / 2,592,000 s = \\\$65\\.00</td>    <td class=\"num\">\\\$65\\.00</td>" \
    "premium for the rest of the period: \$13.00 × 10 users × … = \$65.00"
like "$b" '<strong>To pay: \$35\.00 \(no VAT\), on your next invoice</strong>' \
    "To pay: \$35.00 (no VAT: the buyer is outside the EU), on your next invoice"
like "$b" "This quote is honoured until $(until_of "$AS_OF") UTC \\(30 minutes\\)\\." \
    "honoured until $(until_of "$AS_OF") UTC (30 minutes)"
like "$b" '<form class="form" method="post" action="/billing/plan">' "a POST form to confirm"
like "$b" '<button type="submit" class="button button-primary">Confirm the change</button>' \
    "a 'Confirm the change' button"
is "$(hidden subscription_id),$(hidden plan_id),$(hidden quantity),$VERSION" \
    "$SEATS,$PRE_M,10,$(q "SELECT version FROM subscription WHERE id = $SEATS")" \
    "it carries subscription, plan, quantity and the subscription's version"
like "$SEAL" '^[0-9a-f]{64}$' "sealed by the server"
unlike "$b" 'name="from_plan_id"|name="from_quantity"' "no 'from' state for the client to send back"
like "$FORM" '^[0-9a-f]{64}$' "and a one-time form token"
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$STD_M 10" "looking changes nothing"
FORM35=$FORM AS_OF35=$AS_OF VERSION35=$VERSION SEAL35=$SEAL
PENDING_BEFORE=$(q "SELECT count(*) FROM accrual")

# ---- accountants look only; members not at all ----
is "$(login accountant@demo.test)" 303 "accountant signs in"
ajar=$(jar_of accountant@demo.test)
http_req GET "$URL?subscription_id=$SEATS&plan_id=$PRE_M&quantity=10" -b "$ajar"
is "$RESP_STATUS" 200 "the accountant sees the preview"
like "$(body)" 'To pay: \$35\.00 \(no VAT\), on your next invoice' "with its figures"
like "$(body)" 'You have read-only access' "said to be read-only"
unlike "$(body)" 'Confirm the change|method="post" action="/billing/plan"' "but no confirmation"
acsrf=$(csrf_from_html <"$RESP_BODY")
is "$(http_status POST "$URL" -b "$ajar" --data-urlencode "csrf=$acsrf" \
    --data-urlencode "form_token=$(printf '%064d' 1)" \
    --data-urlencode "subscription_id=$SEATS" --data-urlencode "plan_id=$PRE_M" \
    --data-urlencode "quantity=10" --data-urlencode "version=$VERSION35" \
    --data-urlencode "seal=$SEAL35" --data-urlencode "as_of=$AS_OF35")" 403 \
    "the accountant's POST: 403"
http_req GET "$BASE/billing" -b "$ajar"
like "$(body)" '<a href="/billing/plan">Plan</a>' "accountants have 'Plan' in the navigation"
unlike "$(body)" 'Change plan' "but no 'Change plan' action"
is "$(login member@demo.test)" 303 "member signs in"
is "$(http_status GET "$URL?subscription_id=$SEATS" -b "$(jar_of member@demo.test)")" \
    403 "a member: 403"

# ---- another organization's subscription ----
is "$(login owner@other.test)" 303 "another organization's owner signs in"
ojar=$(jar_of owner@other.test)
is "$(http_status GET "$URL?subscription_id=$SEATS&plan_id=$PRE_M&quantity=10" -b "$ojar")" \
    404 "their GET of Acme's subscription: 404"
ocsrf=$(csrf_of "$BASE/billing" "$ojar")
is "$(http_status POST "$URL" -b "$ojar" --data-urlencode "csrf=$ocsrf" \
    --data-urlencode "form_token=$(printf '%064d' 2)" \
    --data-urlencode "subscription_id=$SEATS" --data-urlencode "plan_id=$PRE_M" \
    --data-urlencode "quantity=10" --data-urlencode "version=$VERSION35" \
    --data-urlencode "seal=$SEAL35" --data-urlencode "as_of=$AS_OF35")" 404 \
    "their POST of Acme's subscription: 404"
GLOBEX=$(q "SELECT id FROM subscription WHERE org_id = 4 LIMIT 1")
is "$(http_status GET "$URL?subscription_id=$GLOBEX" -b "$jar")" 404 \
    "Acme's GET of another organization's subscription: 404"
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$STD_M 10" "nothing changed"

# ---- bad plan or quantity: 422 beside the field ----
http_req GET "$URL?subscription_id=$SEATS&plan_id=$PRE_M&quantity=0" -b "$jar"
is "$RESP_STATUS" 422 "quantity 0: 422"
like "$(body)" 'field-invalid.*id="plan-quantity-error"><span class="visually-hidden">Error: </span>Enter the number of users: a whole number from 1 to 100,000\.</p>' \
    "the message beside the quantity"
like "$(body)" 'name="quantity" type="number"[^>]*value="0"' "the quantity sent is kept"
unlike "$(body)" 'Confirm the change' "no confirmation"
http_req GET "$URL?subscription_id=$SEATS&plan_id=$TEMP_M&quantity=10" -b "$jar"
is "$RESP_STATUS" 422 "a sensor plan for seats: 422"
like "$(body)" 'id="plan-plan-error"><span class="visually-hidden">Error: </span>Choose one of the plans in the list\.</p>' \
    "the message beside the plan"
http_req GET "$URL?subscription_id=$SEATS&plan_id=$STD_M&quantity=10" -b "$jar"
is "$RESP_STATUS" 422 "the plan and quantity it has now: 422"
like "$(body)" 'This is your plan and quantity now' "said so"
confirm "$SEATS" "$PRE_M" abc "$AS_OF35"
is "$RESP_STATUS" 422 "a POST with quantity 'abc': 422"
like "$(body)" 'Enter the number of users' "with the message beside the field"
confirm "$SEATS" 999999 10 "$AS_OF35"
is "$RESP_STATUS" 422 "a POST with an unknown plan: 422"
like "$(body)" 'Choose one of the plans in the list' "said so"

TEMP=$(q "SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id
    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1 AND pr.code = 'temp'")
deployed=$(q "SELECT count(*) FROM sensor se JOIN product pr ON pr.id = se.product_id
    WHERE se.org_id = 1 AND pr.code = 'temp' AND se.removed_at IS NULL")
http_req GET "$URL?subscription_id=$TEMP&plan_id=$TEMP_M&quantity=$((deployed - 1))" -b "$jar"
is "$RESP_STATUS" 422 "fewer temperature sensors than the $deployed deployed: 422"
like "$(body)" "You have $deployed sensors of this type deployed: the quantity cannot go down below that" "said so"
http_req GET "$URL?subscription_id=$TEMP" -b "$jar"
unlike "$(body)" 'Standard plan|Premium plan|Humidity' "a sensor plan changes only to the same sensor, monthly or annual"
like "$(body)" "<option value=\"$TEMP_A\">Temperature sensor, annual: \\\$55.00 per sensor per year</option>" \
    "the same sensor, annual, is offered"
HUM=$(q "SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id
    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1 AND pr.code = 'humidity'")
hum_pe=$(q "SELECT period_end FROM subscription WHERE id = $HUM")
q "UPDATE subscription SET auto_renew = 0, cancel_at = $hum_pe WHERE id = $HUM"
http_req GET "$URL?subscription_id=$HUM" -b "$jar"
is "$RESP_STATUS" 409 "a subscription whose renewal is cancelled: 409"
like "$(body)" 'The renewal of Humidity sensor is cancelled' "said so"
http_req GET "$URL" -b "$jar"
unlike "$(body)" "subscription_id=$HUM\"" "and it is not offered to choose"
q "UPDATE subscription SET auto_renew = 1, cancel_at = NULL WHERE id = $HUM"

# ---- stale or future quotes: 409 with a fresh preview ----
now=$(date +%s)
confirm "$SEATS" "$PRE_M" 10 $((now - 31 * 60))
is "$RESP_STATUS" 409 "a quote 31 minutes old: 409"
like "$(body)" 'This quote is more than 30 minutes old, so it was not applied' "said so"
like "$(body)" 'Confirm the change' "with a fresh preview to confirm"
fresh=$(hidden as_of)
if [ -n "$fresh" ] && [ "$fresh" -ge "$now" ]; then
	ok "the fresh preview is at the time of the request"
else
	not_ok "the fresh preview is at the time of the request"
	diag "as_of '$fresh', now $now"
fi
confirm "$SEATS" "$PRE_M" 10 $((now + 120))
is "$RESP_STATUS" 409 "a quote from the future: 409"
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$STD_M 10" "nothing applied"
is "$(q "SELECT count(*) FROM accrual")" "$PENDING_BEFORE" "nothing billed"

# ---- backdated or forged: 409, nothing applied ----
CSRF=$(csrf_of "$BASE/billing" "$jar")
confirm "$SEATS" "$PRE_M" 10 $((AS_OF35 - 1)) "$FORM35" "$VERSION35" "$SEAL35"
is "$RESP_STATUS" 409 "the quote's seal with an earlier as_of: 409"
like "$(body)" 'does not match a quote we made' "said so"
confirm "$SEATS" "$PRE_M" 9 "$AS_OF35" "$FORM35" "$VERSION35" "$SEAL35"
is "$RESP_STATUS" 409 "the seal of another quantity: 409"
confirm "$SEATS" "$PRE_M" 10 "$AS_OF35" "$FORM35" "$VERSION35" "$(printf '%064d' 5)"
is "$RESP_STATUS" 409 "a made-up seal: 409"
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$STD_M 10" "none applied"
is "$(q "SELECT count(*) FROM accrual")" "$PENDING_BEFORE" "nothing accrued"

# ---- confirm: applied once ----
confirm "$SEATS" "$PRE_M" 10 "$AS_OF35" "$FORM35" "$VERSION35" "$SEAL35"
is "$RESP_STATUS" 303 "confirm the help page's change: 303"
loc=$(resp_header Location)
is "$loc" "/billing?done=plan_changed&form_token=$FORM35" "to the overview"
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$PRE_M 10" "the subscription is now 10 × premium"
is "$(accrued "plan:$FORM35")" 3500 \
    "accrued: exactly 3500 cents for the rest of the period, for the next invoice"
is "$(q "SELECT group_concat(amount || ' ' || quantity || ' ' || period_start || ' ' ||
    period_end, ', ') FROM (SELECT a.* FROM accrual a JOIN journal_entry e ON
    e.id = a.entry_id WHERE e.idem_key = 'plan:$FORM35' AND a.subscription_id = $SEATS
    AND a.closed_at IS NULL ORDER BY a.id)")" \
    "6500 10 $AS_OF35 $((T + 1296000)), -3000 10 $AS_OF35 $((T + 1296000))" \
    "as the premium time and the unused standard time, each a line"
is "$(q "SELECT kind || ' ' || (SELECT group_concat(a, ' ') FROM (SELECT l.account || '=' ||
    l.amount AS a FROM journal_line l WHERE l.entry_id = e.id ORDER BY l.account))
    FROM journal_entry e WHERE idem_key = 'plan:$FORM35'")" \
    "accrual revenue=-3500 unbilled=3500" "in the journal: unbilled against revenue"
is "$(q "SELECT old_value || ' → ' || new_value FROM audit_log WHERE action = 'Plan changed'")" \
    "10 × Standard plan, per user, monthly → 10 × Premium plan, per user, monthly" "audited"
confirm "$SEATS" "$PRE_M" 10 "$AS_OF35" "$FORM35" "$VERSION35" "$SEAL35"
is "$RESP_STATUS" 303 "the same form again: 303"
is "$(resp_header Location)" "$loc" "to the same place"
is "$(q "SELECT count(*) FROM journal_entry WHERE idem_key LIKE 'plan:%'")" 1 "applied once"
is "$(q "SELECT count(*) FROM audit_log WHERE action = 'Plan changed'")" 1 "audited once"
http_req GET "$BASE$loc" -b "$jar"
like "$(body)" 'role="status"><p>Your plan was changed. The difference is on your next invoice\.</p>' \
    "the flash: on your next invoice"
http_req GET "$BASE/billing?done=plan_changed&form_token=$(printf '%064d' 3)" -b "$jar"
like "$(body)" 'role="status"><p>Your plan was changed\.</p>' \
    "a made-up token says no more than that"

# ---- a changed subscription: 409 ----
preview "$SEATS" "$PRE_M" 12
is "$RESP_STATUS" 200 "quote B: 10 → 12 premium users"
B_FORM=$FORM B_AS_OF=$AS_OF B_CSRF=$CSRF B_VERSION=$VERSION B_SEAL=$SEAL
preview "$SEATS" "$STD_M" 10
is "$RESP_STATUS" 200 "quote A, at the same time: premium → standard"
A_FORM=$FORM A_AS_OF=$AS_OF A_VERSION=$VERSION A_SEAL=$SEAL
CSRF=$B_CSRF
confirm "$SEATS" "$PRE_M" 12 "$B_AS_OF" "$B_FORM" "$B_VERSION" "$B_SEAL"
is "$RESP_STATUS" 303 "quote B confirmed: 303"
rem=$((T + 1296000 - B_AS_OF))
want=$(prorate 1300 2 "$rem" 2592000)
is "$(accrued "plan:$B_FORM")" "$want" \
    "two more users on the next invoice: $want cents"
confirm "$SEATS" "$STD_M" 10 "$A_AS_OF" "$A_FORM" "$A_VERSION" "$A_SEAL"
is "$RESP_STATUS" 409 "quote A, made before B was applied: 409"
like "$(body)" 'Your subscription changed since this quote was made, so nothing was applied' "said so"
like "$(body)" 'Unused time on Premium plan, per user \(monthly\)</th>    <td class="formula">\$13\.00 × 12 users' \
    "the fresh preview starts from 12 premium users"
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$PRE_M 12" "A was not applied"

# ---- a downgrade: netted against what is accrued ----
FORM=$(hidden form_token) AS_OF=$(hidden as_of)
VERSION=$(hidden version) SEAL=$(hidden seal)
rem=$((T + 1296000 - AS_OF))
# (the net is rounded once; the lines show what the charge leaves of it)
credit=$((-$(prorate_change 1300 12 600 10 "$rem" 2592000)))
like "$(body)" "<strong>Credit for the unused time: \\$(usd "$credit") off what your next invoice would bill" \
    "the fresh preview: $(usd "$credit") off the next invoice (it nets what is accrued)"
balance_before=$(credit_balance)
unbilled_before=$(q "SELECT balance FROM account_balance WHERE org_id = 1
    AND account = 'unbilled'")
confirm "$SEATS" "$STD_M" 10 "$AS_OF"
is "$RESP_STATUS" 303 "confirm the downgrade: 303"
loc=$(resp_header Location)
is "$(q "SELECT plan_id || ' ' || quantity FROM subscription WHERE id = $SEATS")" \
    "$STD_M 10" "back to 10 standard users"
is "$(credit_balance)" "$balance_before" "no customer credit: it nets the accruals"
is "$(q "SELECT balance FROM account_balance WHERE org_id = 1 AND account = 'unbilled'")" \
    $((unbilled_before - credit)) "the unbilled balance fell by exactly the quoted $credit cents"
is "$(q "SELECT kind || ' ' || posted_at FROM journal_entry WHERE idem_key = 'plan:$FORM:unused:accrued'")" \
    "accrual $AS_OF" "one accrual entry, at as_of"
http_req GET "$BASE$loc" -b "$jar"
like "$(body)" 'role="status"><p>Your plan was changed. The unused time was credited' \
    "the flash: the unused time was credited"

# ---- annual air quality: more sensors, invoiced at once ----
AIR=$(q "SELECT s.id FROM subscription s JOIN plan p ON p.id = s.plan_id
    JOIN product pr ON pr.id = p.product_id WHERE s.org_id = 1 AND pr.code = 'air'")
air_qty=$(q "SELECT quantity FROM subscription WHERE id = $AIR")
air_ps=$(q "SELECT period_start FROM subscription WHERE id = $AIR")
air_pe=$(q "SELECT period_end FROM subscription WHERE id = $AIR")
new_qty=$((air_qty + 2))
preview "$AIR" "$AIR_A" "$new_qty"
is "$RESP_STATUS" 200 "the preview, $air_qty → $new_qty air quality sensors, annual"
rem=$((air_pe - AS_OF))
per=$((air_pe - air_ps))
net=$(prorate_change 9900 "$air_qty" 9900 "$new_qty" "$rem" "$per")
charge=$(prorate 9900 "$new_qty" "$rem" "$per")
unused=$((charge - net))
like "$(body)" "\\\$99\\.00 × $air_qty sensors × $(grouped "$rem") s remaining / $(grouped "$per") s = \\$(usd "$unused") credit" \
    "the unused time, written out"
like "$(body)" "<strong>To pay now: \\$(usd "$net") \\(no VAT\\), invoiced at once; customer credit first, your payment method is charged" \
    "To pay now: $(usd "$net") (no VAT), invoiced at once, customer credit first"
docs_before=$(q "SELECT count(*) FROM document WHERE org_id = 1")
confirm "$AIR" "$AIR_A" "$new_qty" "$AS_OF"
is "$RESP_STATUS" 303 "confirm: 303"
loc=$(resp_header Location)
is "$(q "SELECT count(*) FROM document WHERE org_id = 1")" $((docs_before + 1)) "a new document"
doc=$(q "SELECT d.id FROM document d JOIN journal_entry e ON e.id = d.entry_id
    WHERE e.idem_key = 'plan:$FORM'")
is "$(q "SELECT net_total FROM document WHERE id = $doc")" "$net" \
    "an invoice of the quoted $net cents (before tax)"
is "$(q "SELECT (SELECT coalesce(sum(amount), 0) FROM receipt WHERE document_id = d.id) = d.total
    FROM document d WHERE d.id = $doc")" 1 "paid at once: receipts cover its total"
is "$(q "SELECT count(*) FROM receipt WHERE document_id = $doc AND method = 'Customer credit'")" 1 \
    "customer credit first"
is "$(q "SELECT quantity FROM subscription WHERE id = $AIR")" "$new_qty" "now $new_qty sensors"
number=$(q "SELECT number FROM document WHERE id = $doc")
http_req GET "$BASE$loc" -b "$jar"
like "$(body)" "role=\"status\"><p>Your plan was changed. Invoice $number was issued and paid\\.</p>" \
    "the flash names invoice $number"

# ---- monthly → annual: a new period from as_of ----
t_qty=$(q "SELECT quantity FROM subscription WHERE id = $TEMP")
t_ps=$(q "SELECT period_start FROM subscription WHERE id = $TEMP")
t_pe=$(q "SELECT period_end FROM subscription WHERE id = $TEMP")
preview "$TEMP" "$TEMP_A" "$t_qty"
is "$RESP_STATUS" 200 "the preview, temperature monthly → annual"
rem=$((t_pe - AS_OF))
unused=$(prorate 500 "$t_qty" "$rem" $((t_pe - t_ps)))
yearly=$((5500 * t_qty))
new_end=$(q "SELECT strftime('%s', $AS_OF, 'unixepoch', '+12 months')")
like "$(body)" "\\\$55\\.00 × $t_qty sensors for a full annual period, $(date -u -d "@$AS_OF" +%F) to $(date -u -d "@$new_end" +%F) = \\$(usd "$yearly")" \
    "the new period, written out"
like "$(body)" "A new annual period starts with the change" "said to start a new period"
credit_before=$(credit_balance)
confirm "$TEMP" "$TEMP_A" "$t_qty" "$AS_OF"
is "$RESP_STATUS" 303 "confirm: 303"
loc=$(resp_header Location)
is "$(q "SELECT plan_id || ' ' || period_start || ' ' || period_end || ' ' || anchor
    FROM subscription WHERE id = $TEMP")" "$TEMP_A $AS_OF $new_end $AS_OF" \
    "annual now, its period from as_of to a year later"
is "$(q "SELECT kind || ' ' || (SELECT amount FROM journal_line l WHERE l.entry_id = e.id
    AND l.account = 'customer_credit') FROM journal_entry e
    WHERE e.idem_key = 'plan:$FORM:unused:note:0'")" "credit_note -$unused" \
    "the unused time ($unused cents): a credit note on the paid invoice, so customer credit"
is "$(q "SELECT -total FROM document WHERE entry_id = (SELECT id FROM journal_entry
    WHERE idem_key = 'plan:$FORM:unused:note:0')")" "$unused" "a credit note of that amount"
doc=$(q "SELECT d.id FROM document d JOIN journal_entry e ON e.id = d.entry_id
    WHERE e.idem_key = 'plan:$FORM'")
is "$(q "SELECT net_total || ' ' || period_start || ' ' || period_end FROM document WHERE id = $doc")" \
    "$yearly $AS_OF $new_end" "the new period is invoiced at once"
total=$(q "SELECT total FROM document WHERE id = $doc")
held=$((credit_before + unused))
used=$((held < total ? held : total))
is "$(q "SELECT amount FROM receipt WHERE document_id = $doc AND method = 'Customer credit'")" \
    "$used" "credit first on the new invoice ($used cents, with the unused time)"
is "$(q "SELECT count(*) FROM receipt r WHERE r.document_id = $doc AND r.method <> 'Customer credit'
    AND r.id < (SELECT r2.id FROM receipt r2 WHERE r2.document_id = $doc
    AND r2.method = 'Customer credit')")" 0 "nothing charged before the credit"
http_req GET "$BASE$loc" -b "$jar"
like "$(body)" "role=\"status\"><p>Your plan was changed. Invoice $(q "SELECT number FROM document WHERE id = $doc") was issued" \
    "the flash names the invoice"

rc=0
"$RECKONCTL" --db "$DB" verify >"$RECKON_HOME/verify.out" 2>&1 || rc=$?
is "$rc" 0 "reckonctl verify passes"
[ "$rc" = 0 ] || diag "$(cat "$RECKON_HOME/verify.out")"

done_testing
