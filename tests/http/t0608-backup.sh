#!/usr/bin/env bash
# reckonctl backup and restore, under load: while a client deploys
# sensors through the API (each one a write with money: the subscription
# grows and accrues), "reckonctl backup" copies the live database. The
# copy verifies, holds every deployment acknowledged before the backup
# began and none that was never sent; restored (into a new file, and
# over the live database while the portal runs) it verifies again and
# the portal serves it. A backup never overwrites a file; a copy of a
# newer schema, or one that is not a database, is refused unrestored.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
ctl() { "$RECKONCTL" --db "$DB" "$@"; }

is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
CSRF=$(csrf_of "$BASE/billing/details" "$jar")
page=$(_curl -b "$jar" "$BASE/billing/details")
form=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" | head -n 1 |
    sed 's/.*value="//; s/"$//')
KEY=$(_curl -b "$jar" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "form_token=$form" "$BASE/billing/api-keys" |
    grep -Eo 'rk_[0-9a-f]{64}' | head -n 1 || true)
like "$KEY" '^rk_[0-9a-f]{64}$' "an API key"

# The load: deploy T-B0001, T-B0002, ... one after another for 4 s; each
# acknowledged one is written to acks with the time its 201 came back.
acks=$RECKON_HOME/acks
/usr/bin/python3 - "$PORT" "$KEY" "$acks" <<'PY' &
import http.client, json, sys, time
port, key, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
end = time.time() + 4
n = 0
with open(out, "w") as f:
    while time.time() < end:
        n += 1
        c.request("POST", "/api/v1/sensors",
                  json.dumps({"id": f"T-B{n:04d}", "type": "temp"}),
                  {"Content-Type": "application/json",
                   "Authorization": "Bearer " + key})
        r = c.getresponse()
        r.read()
        if r.status == 201:
            f.write(f"{time.time():.6f} T-B{n:04d}\n")
            f.flush()
PY
load=$!
sleep 1.5
t0=$(date +%s.%N)
out=$(ctl backup "$RECKON_HOME/copy.db" 2>&1) && rc=0 || rc=$?
wait "$load"
is "$rc" 0 "reckonctl backup during the load: exit 0"
like "$out" 'backup: the copy verifies: ok' "the copy verifies"
is "$(sqlite3 "$RECKON_HOME/copy.db" "PRAGMA journal_mode")" delete \
    "the copy stands alone: a rollback-journal database, no WAL beside it"
is "$(ls "$RECKON_HOME"/copy.db* | tr '\n' ' ')" "$RECKON_HOME/copy.db " \
    "and nothing else beside it"
before=$(awk -v t="$t0" '$1 < t { print $2 }' "$acks" | sort)
total=$(wc -l <"$acks")
in_copy=$(sqlite3 "$RECKON_HOME/copy.db" \
    "SELECT ext_id FROM sensor WHERE ext_id LIKE 'T-B%' ORDER BY ext_id")
diag "$total deployments acknowledged, $(wc -w <<<"$before") before the backup began, $(wc -w <<<"$in_copy") in the copy"
is "$((total > 20))" 1 "the load kept writing ($total acknowledged)"
is "$(comm -23 <(echo "$before") <(echo "$in_copy") | grep -c . || true)" 0 \
    "every deployment acknowledged before the backup is in the copy"
is "$(comm -13 <(awk '{ print $2 }' "$acks" | sort) <(echo "$in_copy") |
    grep -c . || true)" 0 "and nothing that was not acknowledged"
is "$(ctl verify | tail -n 1)" "verify: ok" "the live ledger verifies after the load"

out=$(ctl backup "$RECKON_HOME/copy.db" 2>&1) && rc=0 || rc=$?
is "$rc" 1 "a second backup to the same file: exit 1"
like "$out" 'exists; not overwritten' "said why"
is "$(sqlite3 "$RECKON_HOME/copy.db" "SELECT count(*) FROM sensor WHERE ext_id LIKE 'T-B%'")" \
    "$(wc -w <<<"$in_copy")" "the first copy is untouched"

# Restore into a new database file.
out=$("$RECKONCTL" --db "$RECKON_HOME/new.db" restore "$RECKON_HOME/copy.db" 2>&1) &&
    rc=0 || rc=$?
is "$rc" 0 "restore into a new file: exit 0"
like "$out" 'restore: the database verifies: ok' "the restored database verifies"
is "$("$RECKONCTL" --db "$RECKON_HOME/new.db" verify | tail -n 1)" "verify: ok" \
    "and reckonctl verify says so"
is "$(sqlite3 "$RECKON_HOME/new.db" "SELECT ext_id FROM sensor WHERE ext_id LIKE 'T-B%' ORDER BY ext_id")" \
    "$in_copy" "it holds what the copy holds"

# Over the live database, the portal running: what was deployed after
# the backup is gone, the rest is there, and the portal serves it.
live_before=$(q "SELECT count(*) FROM sensor WHERE ext_id LIKE 'T-B%'")
out=$(ctl restore "$RECKON_HOME/copy.db" 2>&1) && rc=0 || rc=$?
is "$rc" 0 "restore over the live database: exit 0"
is "$(q "SELECT count(*) FROM sensor WHERE ext_id LIKE 'T-B%'")" \
    "$(wc -w <<<"$in_copy")" "the live database is the copy again (was $live_before)"
is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "the portal serves it"
is "$(ctl verify | tail -n 1)" "verify: ok" "and it verifies"

# Refusals, each changing nothing.
cp "$RECKON_HOME/copy.db" "$RECKON_HOME/newer.db"
sqlite3 "$RECKON_HOME/newer.db" "PRAGMA user_version = 99"
sum=$(q "SELECT count(*) || ':' || coalesce(max(id), 0) FROM journal_entry")
out=$(ctl restore "$RECKON_HOME/newer.db" 2>&1) && rc=0 || rc=$?
is "$rc" 1 "a copy of a newer schema: exit 1"
like "$out" 'schema version 99, newer than' "said why"
echo "not a database" >"$RECKON_HOME/junk.db"
out=$(ctl restore "$RECKON_HOME/junk.db" 2>&1) && rc=0 || rc=$?
is "$rc" 1 "a file that is not a database: exit 1"
like "$out" 'is not a Reckon database' "said why"
out=$(ctl restore "$RECKON_HOME/none.db" 2>&1) && rc=0 || rc=$?
is "$rc" 1 "a file that is not there: exit 1"
is "$(q "SELECT count(*) || ':' || coalesce(max(id), 0) FROM journal_entry")" \
    "$sum" "the ledger is as it was"

# reckonctl status: the schema, the queues, and the jobs' last runs.
st=$(ctl status)
like "$st" "^schema: version [0-9]+ \(this reckonctl: [0-9]+\)" "status: the schema version"
like "$st" $'\nrenew: never ran' "status: renew never ran here"
waiting=$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
like "$st" "mail queue: $waiting waiting, [0-9]+ due now" "status: the mail queue ($waiting)"
ctl renew >/dev/null 2>&1 || true
ctl mail --relay smtp://127.0.0.1:9 >/dev/null 2>&1 || true
st=$(ctl status)
like "$st" $'\nrenew: last run [0-9T:-]+Z to [0-9T:-]+Z: renewed [0-9]+, expired' \
    "status: renew's last run and its result"
like "$st" $'\nmail: last run [0-9T:-]+Z to [0-9T:-]+Z: sent 0, failed [0-9]+, waiting [0-9]+' \
    "status: mail's last run"
diag "$st"

done_testing
