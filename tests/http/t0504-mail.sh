#!/usr/bin/env bash
# Email delivery: renewals queue invoice emails (to the invoice address
# and each CC) with the invoice attached; "reckonctl mail" with the relay
# down sends nothing and loses nothing (attempts 1, last_error, backoff);
# with tests/smtp-sink up, every queued message arrives exactly once
# (one file per Message-ID), each invoice email with its PDF (qpdf checks
# it, pdftotext shows the number); a further run sends nothing twice.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
TMP=$RECKON_HOME/t0504
MAILDIR=$RECKON_HOME/mail
PY=/usr/bin/python3	# Debian's, with aiosmtpd (not a pyenv one on PATH)
mkdir -p "$TMP"
"$PY" -c 'import aiosmtpd' 2>/dev/null ||
    bail "no aiosmtpd for $PY (apt-get install python3-aiosmtpd)"
command -v qpdf >/dev/null || bail "no qpdf (apt-get install qpdf)"
command -v pdftotext >/dev/null || bail "no pdftotext (apt-get install poppler-utils)"

q()		# SQL: one query of the test's database
{
	sqlite3 "$DB" "$1"
}

# The sink, stopped at exit with the rest.
sink_pid=
sink_stop()
{
	if [ -n "$sink_pid" ]; then
		_stop_pid "$sink_pid"
		sink_rc=$_rc
		sink_pid=
	fi
}
on_exit sink_stop

# run_mail ARGS...: run reckonctl mail, keep stdout in $TMP/mail.out and
# stderr in $TMP/mail.err, set mail_rc.
run_mail()
{
	mail_rc=0
	"$RECKONCTL" --db "$DB" mail --relay "smtp://127.0.0.1:$SMTP_PORT" \
	    "$@" >"$TMP/mail.out" 2>"$TMP/mail.err" || mail_rc=$?
}

# ---- renewals queue the invoice emails ---------------------------------

first=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%Y-%m-%d)
T=${first}T00:00:01Z
t=$(date -u -d "$T" +%s)
diag "renewing at $T"
"$RECKONCTL" --db "$DB" renew --now "$T" >"$TMP/renew.out" 2>&1 ||
    bail "reckonctl renew failed: $(cat "$TMP/renew.out")"
n=$(q "SELECT count(*) FROM outbox")
inv=$(q "SELECT count(*) FROM outbox WHERE kind = 'invoice' AND document_id IS NOT NULL")
cc=$(q "SELECT count(*) FROM outbox WHERE to_addr = 'cfo@acme.test'")
diag "$n queued, $inv invoice emails, $cc to the CC"
[ "$n" -gt 0 ] || bail "renew queued no email"
is "$inv" "$n" "every queued message is an invoice email with its document"
isnt "$cc" 0 "the CC (cfo@acme.test) gets the Acme invoices too"
is "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts = 0 AND next_attempt_at <= $t")" \
    "$n" "all unsent, due at once"

# ---- the relay is down --------------------------------------------------

SMTP_PORT=$(_free_port) || bail "no free port"
run_mail --now "$T"
is "$mail_rc" 1 "relay down: reckonctl mail exits 1, nothing could be sent (the messages wait)"
like "$(cat "$TMP/mail.err")" 'nothing could be sent: the relay smtp://127.0.0.1:[0-9]+ did not take the messages' \
    "and says why"
is "$(cat "$TMP/mail.out")" "sent 0, failed $n, waiting $n" \
    "relay down: sent 0, failed $n, waiting $n"
is "$(q "SELECT count(*) FROM outbox")" "$n" "relay down: nothing lost"
is "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error <> '' AND next_attempt_at = $((t + 60))")" \
    "$n" "relay down: each has attempts 1, last_error, a retry in 1 minute"
like "$(q "SELECT last_error FROM outbox LIMIT 1")" "onnect" \
    "the error says the relay could not be reached"

run_mail --now "$T"
is "$(cat "$TMP/mail.out")" "sent 0, failed 0, waiting $n" \
    "before the retry time nothing is tried"

# ---- the relay is up ----------------------------------------------------

"$PY" "$TOP/tests/smtp-sink" --port "$SMTP_PORT" --dir "$MAILDIR" \
    --pidfile "$TMP/sink.pid" --html "$MAILDIR/index.html" \
    </dev/null >"$TMP/sink.log" 2>&1 &
sink_pid=$!
for i in $(seq 1 100); do
	[ -s "$TMP/sink.pid" ] && break
	_alive "$sink_pid" || bail "smtp-sink exited: $(cat "$TMP/sink.log")"
	sleep 0.1
done
[ -s "$TMP/sink.pid" ] || bail "smtp-sink did not start within 10 s"
is "$(cat "$TMP/sink.pid")" "$sink_pid" "the sink wrote its pidfile"

later=$(date -u -d "@$((t + 180))" +%Y-%m-%dT%H:%M:%SZ)
run_mail --now "$later"
is "$mail_rc" 0 "relay up: reckonctl mail exits 0"
is "$(cat "$TMP/mail.out")" "sent $n, failed 0, waiting 0" \
    "relay up: sent $n, failed 0, waiting 0"
is "$(q "SELECT count(*) FROM outbox WHERE sent_at = $((t + 180)) AND attempts = 1")" \
    "$n" "each marked sent at the time of the run"
is "$(ls "$MAILDIR" | grep -c '\.eml$' || true)" "$n" "the sink holds $n messages"

# Two runners at once (cron overlapping a slow run): each message is
# claimed by one of them, so each is still sent once.
t2=$(date -u -d "$(date -u -d "@$t" +%Y-%m-01) +1 month" +%s)
T2=$(date -u -d "@$((t2 + 1))" +%Y-%m-%dT%H:%M:%SZ)
"$RECKONCTL" --db "$DB" renew --now "$T2" >"$TMP/renew2.out" 2>&1 ||
    bail "reckonctl renew (2) failed: $(cat "$TMP/renew2.out")"
n2=$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
isnt "$n2" 0 "the next renewal queued $n2 more"
for r in 1 2; do
	"$RECKONCTL" --db "$DB" mail --relay "smtp://127.0.0.1:$SMTP_PORT" \
	    --now "$T2" >"$TMP/mail$r.out" 2>"$TMP/mail$r.err" &
	eval "runner$r=\$!"
done
wait "$runner1" && wait "$runner2" || not_ok "a runner failed"
sent1=$(sed -n 's/^sent \([0-9]*\),.*/\1/p' "$TMP/mail1.out")
sent2=$(sed -n 's/^sent \([0-9]*\),.*/\1/p' "$TMP/mail2.out")
is "$((sent1 + sent2))" "$n2" "two runners at once: $sent1 + $sent2 sent, $n2 in all"
n=$((n + n2))
inv=$(q "SELECT count(*) FROM outbox WHERE kind = 'invoice' AND document_id IS NOT NULL")
cc=$(q "SELECT count(*) FROM outbox WHERE to_addr = 'cfo@acme.test'")
is "$(ls "$MAILDIR" | grep -c '\.eml$' || true)" "$n" "the sink holds $n messages"

# One line per outbox row: its id, and how many received messages carry
# its Message-ID (the BLAKE2b-128 of its key, creation time and
# organization, see mail_message_id) with its address as the envelope
# recipient and To.  Then one line per received message: file, Message-ID,
# subject, attachment file names; each attachment saved as FILE-N.pdf.
"$PY" - "$DB" "$MAILDIR" "$TMP" >"$TMP/check.out" 2>"$TMP/check.err" <<'EOF' ||
import email, email.policy, glob, hashlib, json, os, sqlite3, sys
db, maildir, tmp = sys.argv[1:4]
got = []
for path in sorted(glob.glob(os.path.join(maildir, "*.eml"))):
    base = path[:-4]
    with open(base + ".json") as f:
        env = json.load(f)
    with open(path, "rb") as f:
        raw = f.read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    names = []
    for i, part in enumerate(m.iter_attachments()):
        with open("%s/%s-%d.pdf" % (tmp, os.path.basename(base), i), "wb") as f:
            f.write(part.get_content())
        names.append(part.get_filename())
    crlf = b"\n" not in raw.replace(b"\r\n", b"")
    got.append((os.path.basename(base), m["Message-ID"], env["rcpt_tos"],
                str(m["To"]), str(m["Subject"]), names, crlf))
rows = sqlite3.connect(db).execute(
    "SELECT id, idem_key, created_at, org_id, to_addr FROM outbox ORDER BY id")
for rid, key, created, org, to in rows:
    h = hashlib.blake2b(digest_size=16)
    h.update(b"reckon-mail\n" + key.encode() + b"\0" +
             ("%d %d" % (created, org)).encode())
    mid = "<%s@reckon.invalid>" % h.hexdigest()
    n = sum(1 for g in got if g[1] == mid and g[2] == [to] and g[3] == to)
    print("row\t%d\t%d" % (rid, n))
for g in got:
    print("msg\t%s\t%s\t%s\t%s\t%s" % (g[0], g[1], g[4],
                                       ",".join(g[5]) or "-",
                                       "crlf" if g[6] else "bare-lf"))
EOF
    bail "reading the messages failed: $(cat "$TMP/check.err")"

is "$(grep -c '^row' "$TMP/check.out")" "$n" "a line per outbox row"
is "$(grep '^row' "$TMP/check.out" | awk -F'\t' '$3 != 1' | wc -l)" 0 \
    "every queued message arrived exactly once, to its address, under its Message-ID"
is "$(grep '^msg' "$TMP/check.out" | cut -f3 | sort | uniq -d | wc -l)" 0 \
    "no Message-ID twice"
is "$(grep '^msg' "$TMP/check.out" | awk -F'\t' '$6 != "crlf"' | wc -l)" 0 \
    "every message has CRLF line ends"

pdfs=0
bad=
while IFS=$'\t' read -r kind file mid subject names crlf; do
	number=${subject#Invoice }
	number=${number%% *}
	if [ "$names" != "$number.pdf" ]; then
		bad="$bad $file: attachments '$names', subject '$subject';"
		continue
	fi
	pdf=$TMP/$file-0.pdf
	if ! qpdf --check "$pdf" >/dev/null 2>&1; then
		bad="$bad $file: qpdf --check fails;"
		continue
	fi
	if ! pdftotext "$pdf" - 2>/dev/null | grep -q "$number"; then
		bad="$bad $file: the PDF does not show $number;"
		continue
	fi
	pdfs=$((pdfs + 1))
done < <(grep '^msg' "$TMP/check.out")
is "$pdfs" "$inv" "each invoice email carries its invoice as a valid PDF named after it"
[ -z "$bad" ] || diag "$bad"

is "$(grep -l '^To: cfo@acme.test' "$MAILDIR"/*.eml | wc -l)" "$cc" \
    "the CC got one message per Acme invoice"
num=$(q "SELECT d.number FROM outbox o JOIN document d ON d.id = o.document_id WHERE o.to_addr = 'cfo@acme.test' LIMIT 1")
like "$(grep -h '^Subject:' $(grep -l '^To: cfo@acme.test' "$MAILDIR"/*.eml))" "$num" \
    "the CC's copy is of the Acme invoice ($num)"

# ---- the sink's listing, for people --------------------------------------

index=$(cat "$MAILDIR/index.html")
is "$(grep -o '<a href="[0-9]*\.eml">' <<<"$index" | wc -l)" "$n" \
    "index.html links every message"
like "$index" "<td>$num\\.pdf</td>|, $num\\.pdf|$num\\.pdf," "it names the attachments"
unlike "$index" '<script|<style|style=' "no script, no style"

# ---- nothing twice ---------------------------------------------------------

run_mail --now "$(date -u -d "@$((t + 86400))" +%Y-%m-%dT%H:%M:%SZ)"
is "$(cat "$TMP/mail.out")" "sent 0, failed 0, waiting 0" "a later run sends nothing"
is "$(ls "$MAILDIR" | grep -c '\.eml$' || true)" "$n" "the sink still holds $n messages"

# ---- arguments and errors ----------------------------------------------

rc=0
"$RECKONCTL" --db "$DB" mail --relay "http://127.0.0.1:$SMTP_PORT" \
    >/dev/null 2>&1 || rc=$?
is "$rc" 2 "a relay that is not smtp:// is refused (exit 2)"
rc=0
"$RECKONCTL" --db "$DB" mail --from "a@b.test>" >/dev/null 2>&1 || rc=$?
is "$rc" 2 "a From that is not a plain address is refused (exit 2)"
rc=0
"$RECKONCTL" --db "$TMP/no/such/dir/x.db" mail >/dev/null 2>&1 || rc=$?
is "$rc" 1 "a database that cannot be opened: exit 1"

# The test stack has no /mail/ (only conf/demo adds it).
isnt "$(http_status GET "$BASE/mail/")" 200 "GET /mail/ is not served by the test stack"

sink_stop
is "$sink_rc" 0 "the sink stops on SIGTERM (status 0)"
ok_pid=$([ -e "$TMP/sink.pid" ] && echo kept || echo removed)
is "$ok_pid" removed "and removes its pidfile"

done_testing
