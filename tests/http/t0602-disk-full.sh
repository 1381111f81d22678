#!/usr/bin/env bash
# A full disk: a change answers 503 with a page in words, nothing already
# committed is lost, and the portal recovers when space returns. Needs
# root (a small tmpfs as RECKON_HOME).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" != 0 ]; then
	ok "# SKIP needs root to mount a tmpfs"
	done_testing
fi
mnt=$(mktemp -d "${TMPDIR:-/tmp}/reckon-full.XXXXXX")
mount -t tmpfs -o size=8m tmpfs "$mnt" || bail "cannot mount a tmpfs"
cleanup_mount() { umount "$mnt" 2>/dev/null || true; rmdir "$mnt" 2>/dev/null || true; }
TMPDIR=$mnt stack_start
trap 'stack_stop; cleanup_mount; rm -rf "$out"' EXIT
DB=$RECKON_HOME/reckon.db

is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
fresh()
{
	local page
	page=$(curl -q -sS --max-time 20 -b "$jar" "$BASE/billing/payment-methods")
	CSRF=$(csrf_from_html <<<"$page")
	FORM=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" | head -n 1 |
	    sed 's/.*value="//; s/"$//')
}
# The answer goes outside the full disk.
out=$(mktemp -d)
add_card()
{
	fresh
	RESP_HEADERS=$out/h RESP_BODY=$out/b
	RESP_STATUS=$(curl -q -sS --max-time 20 -D "$RESP_HEADERS" \
	    -o "$RESP_BODY" -w '%{http_code}' -b "$jar" \
	    --data-urlencode "csrf=$CSRF" --data-urlencode "form_token=$FORM" \
	    --data-urlencode processor_token=tok_amex \
	    "$BASE/billing/payment-methods" || true)
}
add_card
is "$RESP_STATUS" 303 "a change commits while there is space"
before=$(sqlite3 "$DB" "SELECT count(*) FROM payment_method")

# Fill the disk.
dd if=/dev/zero of="$RECKON_HOME/filler" bs=64k 2>/dev/null || true
sync
add_card
is "$RESP_STATUS" 503 "the disk is full: 503"
like "$(resp_body)" 'short of storage' "with a page in words"
like "$(resp_header Content-Security-Policy)" "default-src 'none'" "and the security headers"
is "$(http_status GET "$BASE/billing" -b "$jar")" 200 "reading still works"

rm -f "$RECKON_HOME/filler"
add_card
is "$RESP_STATUS" 303 "space is back: the change goes through"
is "$(sqlite3 "$DB" "SELECT count(*) FROM payment_method")" $((before + 1)) \
    "nothing committed was lost, the refused change was not applied"
"$RECKONCTL" --db "$DB" verify >/dev/null 2>&1 && rc=0 || rc=$?
is "$rc" 0 "reckonctl verify passes"

done_testing
