#!/usr/bin/env bash
# Crash safety under load: concurrent state-changing API requests while
# workers are killed with SIGKILL. Every acknowledged request is in the
# ledger exactly once, none is applied twice, and reckonctl verify passes.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
RECKON_WORKERS=2 stack_start
DB=$RECKON_HOME/reckon.db

# An API key for Acme, through the details page.
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
page=$(curl -q -sS --max-time 20 -b "$jar" "$BASE/billing/details")
csrf=$(csrf_from_html <<<"$page")
form=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" | head -n 1 |
    sed 's/.*value="//; s/"$//')
key=$(curl -q -sS --max-time 20 -b "$jar" --data-urlencode "csrf=$csrf" \
    --data-urlencode "form_token=$form" "$BASE/billing/api-keys" |
    grep -Eo 'rk_[0-9a-f]{64}' | head -n 1 || true)
like "$key" '^rk_[0-9a-f]{64}$' "an API key"

# Four clients, 30 deployments each, of air quality sensors: Acme's
# annual plan, so every one beyond the subscribed count is invoiced and
# charged at once (ledger entries). Meanwhile a worker dies every 0.3 s.
out=$RECKON_HOME/acks
mkdir -p "$out"
client()	# N
{
	local i id st
	for i in $(seq 1 30); do
		id="AQ-$1-$i"
		st=$(curl -q -sS --max-time 20 -o /dev/null -w '%{http_code}' \
		    -H "Authorization: Bearer $key" \
		    -H 'Content-Type: application/json' \
		    --data "{\"id\": \"$id\", \"type\": \"air\"}" \
		    "$BASE/api/v1/sensors" 2>/dev/null || true)
		printf '%s %s\n' "$id" "$st" >>"$out/client-$1"
	done
}
for c in 1 2 3 4; do client "$c" & done
kills=0
for i in $(seq 1 12); do
	sleep 0.3
	victim=$(pgrep -P "$_fcgi_pid" | shuf -n 1 || true)
	if [ -n "$victim" ] && kill -KILL "$victim" 2>/dev/null; then
		kills=$((kills + 1))
	fi
done
wait $(jobs -p | grep -v "^$_fcgi_pid$" | grep -v "^$_nginx_pid$") 2>/dev/null || true
for c in 1 2 3 4; do
	while [ "$(wc -l <"$out/client-$c" 2>/dev/null || echo 0)" -lt 30 ]; do
		sleep 0.2
	done
done
diag "killed $kills workers during 120 requests"
isnt "$kills" 0 "workers were killed mid-load ($kills)"

cat "$out"/client-* >"$out/all"
acked=$(awk '$2 == 201' "$out/all" | wc -l)
diag "$acked requests acknowledged with 201, $(awk '$2 != 201' "$out/all" | wc -l) lost to a killed worker"
isnt "$acked" 0 "most requests were acknowledged"
missing=0 twice=0
while read -r id st; do
	n=$(sqlite3 "$DB" "SELECT count(*) FROM sensor WHERE ext_id = '$id'")
	inv=$(sqlite3 "$DB" "SELECT count(*) FROM journal_entry e JOIN sensor s
	    ON e.idem_key LIKE 'deploy:' || s.id || ':%' WHERE s.ext_id = '$id'
	    AND e.kind = 'invoice'")
	if [ "$st" = 201 ]; then
		[ "$n" = 1 ] && [ "$inv" = 1 ] || missing=$((missing + 1))
	fi
	[ "$n" -le 1 ] && [ "$inv" -le 1 ] || twice=$((twice + 1))
done <"$out/all"
is "$missing" 0 "every acknowledged deployment is there, invoiced exactly once"
is "$twice" 0 "no request applied twice"
is "$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT document_id FROM charge
    GROUP BY document_id HAVING count(*) > 1)")" 0 "no invoice charged twice"
deployed=$(sqlite3 "$DB" "SELECT count(*) FROM sensor s JOIN product p ON
    p.id = s.product_id WHERE s.org_id = 1 AND p.code = 'air' AND s.removed_at IS NULL")
subscribed=$(sqlite3 "$DB" "SELECT sum(s.quantity) FROM subscription s JOIN plan
    pl ON pl.id = s.plan_id JOIN product p ON p.id = pl.product_id WHERE
    s.org_id = 1 AND p.code = 'air' AND s.status = 'active'")
is "$subscribed" "$deployed" "the subscription grew by exactly one unit per new sensor"
is "$(curl -q -sS -o /dev/null -w '%{http_code}' -b "$jar" "$BASE/billing")" 200 \
    "the portal answers afterwards"
"$RECKONCTL" --db "$DB" verify >"$RECKON_HOME/verify.out" 2>&1 && rc=0 || rc=$?
is "$rc" 0 "reckonctl verify passes"

done_testing
