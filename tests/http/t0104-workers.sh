#!/usr/bin/env bash
# The supervisor: the socket's mode, N workers, a worker killed with
# SIGKILL is replaced and the next request succeeds.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start

is "$(stat -c %a "$RECKON_HOME/run/reckon.sock")" 660 "the socket is mode 0660"
workers()
{
	pgrep -P "$_fcgi_pid" | sort | tr '\n' ' '
}
before=$(workers)
is "$(wc -w <<<"$before")" 2 "two workers, as configured"

is "$(login owner@demo.test)" 303 "owner signs in"
jar=$(jar_of owner@demo.test)
victim=$(awk '{ print $1 }' <<<"$before")
kill -KILL "$victim"
for i in $(seq 1 50); do
	now=$(workers)
	if [ "$(wc -w <<<"$now")" = 2 ] && ! grep -qw "$victim" <<<"$now"; then
		break
	fi
	sleep 0.1
done
is "$(wc -w <<<"$now")" 2 "two workers again after one was killed"
unlike "$now" "\\b$victim\\b" "the killed worker is gone"
for i in 1 2 3 4; do
	is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "request $i after the kill: 200"
done
like "$(cat "$RECKON_HOME/reckon.log")" "worker $victim ended \\(signal 9\\): replacing it" \
    "the supervisor logged the replacement"
is "$("$RECKONCTL" --db "$RECKON_HOME/reckon.db" verify >/dev/null 2>&1; echo $?)" 0 \
    "reckonctl verify passes afterwards"

done_testing
