#!/usr/bin/env bash
# The billing overview for every role, and tenant isolation: another
# organization's figures are never visible.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start

is "$(http_status GET "$BASE/billing")" 303 "not signed in: 303"
http_req GET "$BASE/billing"
is "$(resp_header Location)" /login "to /login"

for u in owner billing accountant member; do
	is "$(login "$u@demo.test")" 303 "$u signs in"
done
is "$(login owner@other.test)" 303 "the other organization's owner signs in"

for u in owner billing accountant; do
	http_req GET "$BASE/billing" -b "$(jar_of "$u@demo.test")"
	is "$RESP_STATUS" 200 "$u: 200"
	body=$(resp_body)
	like "$body" 'Acme Holdings Inc\.' "$u: the organization's name"
	like "$body" '2026-|20[0-9]{2}-[0-9]{2}-01' "$u: a renewal date"
	like "$body" '\$92\.00' "$u: next renewal amount 12 × \$5 + 8 × \$4"
	like "$body" '\$87\.00' "$u: due after \$5.00 credit"
	like "$body" '8 × \$4\.00 Humidity sensor, per month' "$u: the breakdown"
	like "$body" 'Air quality sensor' "$u: the annual subscription"
	like "$body" 'Acme Europe B\.V\.' "$u: child companies"
	like "$body" '€198\.00' "$u: a child's amount in its own currency"
	unlike "$body" 'Globex' "$u: nothing of the other organization"
	is "$(resp_header Cache-Control)" no-store "$u: not cached"
done

# Sensors counted by type beside the subscribed count.
http_req GET "$BASE/billing" -b "$(jar_of owner@demo.test)"
tr -d '\n' <"$RESP_BODY" | sed 's/.*Deployed sensors//' |
    grep -Eo 'Temperature sensor</[a-z]+>[^T]*' | head -n 1 >"$RECKON_HOME/row"
like "$(cat "$RECKON_HOME/row")" '>10<.*>12<' "temperature: 10 deployed of 12 subscribed"
like "$(resp_body)" 'Actions' "the owner sees the actions column"
unlike "$(resp_body)" 'read-only access' "and no read-only note"

http_req GET "$BASE/billing" -b "$(jar_of accountant@demo.test)"
like "$(resp_body)" 'read-only access' "the accountant is told the page is read-only"
unlike "$(resp_body)" '<th[^>]*>Actions' "and sees no actions"

http_req GET "$BASE/billing" -b "$(jar_of member@demo.test)"
is "$RESP_STATUS" 403 "a member: 403"
like "$(resp_body)" 'members have no access to its billing. Ask an owner or a billing admin of your organization' \
    "with a clear page: who to ask"
like "$(resp_body)" '<form class="form" method="post" action="/logout">' \
    "and a way to sign out, not a link back to the same 403"
unlike "$(resp_body)" 'Back to billing' "no link back to the same 403"
unlike "$(resp_body)" '\$[0-9]' "and no billing figure"

http_req GET "$BASE/billing" -b "$(jar_of owner@other.test)"
is "$RESP_STATUS" 200 "the other owner: 200"
like "$(resp_body)" 'Globex Ltd' "sees Globex"
like "$(resp_body)" '£100\.00' "in pounds"
unlike "$(resp_body)" 'Acme' "and nothing of Acme"

# Each child company has its own owner (the README's logins).
for u in labs europe; do
	is "$(login "owner@$u.test")" 303 "owner@$u.test signs in"
done
http_req GET "$BASE/billing" -b "$(jar_of owner@labs.test)"
is "$RESP_STATUS" 200 "the Acme Labs owner: 200"
like "$(resp_body)" 'Acme Labs GmbH' "sees Acme Labs"
like "$(resp_body)" '€[0-9]' "in euros"
unlike "$(resp_body)" 'Acme Holdings|Acme Europe|Globex' \
    "and neither the parent, its sibling nor another customer"
http_req GET "$BASE/billing" -b "$(jar_of owner@europe.test)"
is "$RESP_STATUS" 200 "the Acme Europe owner: 200"
like "$(resp_body)" 'Acme Europe B\.V\.' "sees Acme Europe"
unlike "$(resp_body)" 'Acme Holdings|Acme Labs|Globex' \
    "and neither the parent, its sibling nor another customer"

done_testing
