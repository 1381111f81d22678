#!/usr/bin/env bash
# Busy and read-only: while another process holds the write lock (the
# application's lock beside the database, or SQLite's own), a page that
# only reads answers at once, even when the session's last-seen time is
# due to be written; a write waits at most 5 s and then answers 503 in
# words with Retry-After, changing nothing. (A read-only database is
# t_session's: the same 503, and reads that still work.)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)

fresh_form()	# CSRF and FORM from the details page
{
	local page
	page=$(curl -q -sS --max-time 20 -b "$jar" "$BASE/billing/details")
	CSRF=$(csrf_from_html <<<"$page")
	FORM=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" |
	    head -n 1 | sed 's/.*value="//; s/"$//')
}
save()		# POST the details with a new PO reference $1; sets SECS
{
	local t0
	t0=$(date +%s%N)
	http_req POST "$BASE/billing/details" -b "$jar" \
	    --data-urlencode "csrf=$CSRF" --data-urlencode "form_token=$FORM" \
	    --data-urlencode account_email=accounts@acme.test \
	    --data-urlencode invoice_email=accounts@acme.test \
	    --data-urlencode cc_email=cfo@acme.test \
	    --data-urlencode "billing_name=Acme Holdings Inc." \
	    --data-urlencode "address_line1=500 Howard Street" \
	    --data-urlencode address_line2= \
	    --data-urlencode "city=San Francisco" --data-urlencode postal_code=94105 \
	    --data-urlencode region=CA --data-urlencode country=US \
	    --data-urlencode vat_number= --data-urlencode "po_reference=$1"
	SECS=$((($(date +%s%N) - t0) / 1000000))
}
timed_get()	# PATH: GET it; sets SECS (milliseconds)
{
	local t0
	t0=$(date +%s%N)
	http_req GET "$BASE$1" -b "$jar"
	SECS=$((($(date +%s%N) - t0) / 1000000))
}
due_touch()	# make the session's last-seen time due to be written
{
	q "UPDATE session SET seen_at = seen_at - 120"
}
holder=
release()
{
	if [ -n "$holder" ]; then
		kill "$holder" 2>/dev/null || true
		wait "$holder" 2>/dev/null || true
		holder=
	fi
}
on_exit release
state()
{
	q "SELECT po_reference FROM organization WHERE id = 1;
	    SELECT count(*) FROM audit_log;"
}

for how in "the application's lock" "SQLite's write lock"; do
	due_touch
	: >"$RECKON_HOME/holder.out"
	/usr/bin/python3 -c 'import fcntl, sqlite3, sys, time
if sys.argv[2] == "app":
    f = open(sys.argv[1] + ".lock", "a"); fcntl.flock(f, fcntl.LOCK_EX)
else:
    c = sqlite3.connect(sys.argv[1], isolation_level=None)
    c.execute("BEGIN IMMEDIATE")
print("locked", flush=True); time.sleep(30)' \
	    "$DB" "$([ "$how" = "the application's lock" ] && echo app || echo sqlite)" \
	    >"$RECKON_HOME/holder.out" &
	holder=$!
	for _ in $(seq 1 50); do
		[ -s "$RECKON_HOME/holder.out" ] && break
		sleep 0.1
	done
	fresh_form
	before=$(state)
	timed_get /billing
	is "$RESP_STATUS" 200 "$how held: the overview answers"
	is "$((SECS < 1000))" 1 "$how held: at once, though the session is due to be touched (${SECS} ms)"
	save "PO-BUSY-1"
	is "$RESP_STATUS" 503 "$how held: a save answers 503"
	is "$(resp_header Retry-After)" 30 "with Retry-After: 30"
	like "$(resp_body)" 'busy, short of storage or cannot save anything right now, and nothing was changed' \
	    "and a page in words"
	is "$((SECS >= 4000 && SECS < 9000))" 1 "after waiting about 5 s (${SECS} ms)"
	is "$(state)" "$before" "nothing changed"
	release
	fresh_form
	save "PO-BUSY-2"
	is "$RESP_STATUS" 303 "released: the save goes through"
	is "$(q "SELECT po_reference FROM organization WHERE id = 1")" PO-BUSY-2 "and is kept"
done

rc=0
"$RECKONCTL" --db "$DB" verify >>"$RECKON_HOME/ctl.log" 2>&1 || rc=$?
is "$rc" 0 "reckonctl verify passes"
done_testing
