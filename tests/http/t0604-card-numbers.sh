#!/usr/bin/env bash
# No card number gets through in any form: five test card numbers, each
# written some fifteen ways (separators of every kind, digits of other
# scripts, invisible characters, an email's local part, JSON escapes),
# are sent in every field of every form, in a query, split over two
# address lines, in the sensors API's JSON and in the path. Each answer
# is 422 in words and nothing changes; then every file under
# $RECKON_HOME (database, WAL, logs, mail, a PDF) is scanned for the
# numbers as sent, as plain digits and as digits of each script.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
is "$(login billing@demo.test)" 303 "billing admin signs in"
jar=$(jar_of billing@demo.test)
CSRF=$(csrf_of "$BASE/billing/details" "$jar")
like "$CSRF" '^[0-9a-f]{64}$' "a CSRF token"

# An API key for the sensors API.
page=$(curl -q -sS -b "$jar" "$BASE/billing/details")
form=$(grep -o 'name="form_token" value="[0-9a-f]*"' <<<"$page" | head -n 1 |
    sed 's/.*value="//; s/"$//')
KEY=$(curl -q -sS -b "$jar" --data-urlencode "csrf=$CSRF" \
    --data-urlencode "form_token=$form" "$BASE/billing/api-keys" |
    grep -Eo 'rk_[0-9a-f]{64}' | head -n 1 || true)
like "$KEY" '^rk_[0-9a-f]{64}$' "an API key"

state()		# what a refused request must leave untouched
{
	sqlite3 "$DB" "SELECT * FROM billing_cc; SELECT * FROM login_failure;
	    SELECT * FROM payment_method; SELECT * FROM sensor;
	    SELECT * FROM subscription; SELECT count(*) FROM journal_entry;
	    SELECT count(*) FROM audit_log; SELECT count(*) FROM outbox;
	    SELECT * FROM organization; SELECT * FROM user;" | md5sum
}
before=$(state)

# The sweep, in one Python process over one keep-alive connection: one
# line per request, "ok DESC" or "not ok DESC: why", then a summary.
out=$RECKON_HOME/sweep.out
export RECKON_HOME BASE CSRF KEY
COOKIE=$(awk '$6 == "reckon_session" { print $6 "=" $7 }' "$jar")
export COOKIE
/usr/bin/python3 - >"$out" <<'PY'
import http.client, json, os, secrets, sys, urllib.parse

home, base = os.environ["RECKON_HOME"], os.environ["BASE"]
csrf, key, cookie = os.environ["CSRF"], os.environ["KEY"], os.environ["COOKIE"]
u = urllib.parse.urlsplit(base)

# Test numbers of the card schemes (never real cards): Visa 16 and 13,
# Mastercard, American Express (15), Discover.
CARDS = ["4111111111111111", "4222222222222", "5555555555554444",
         "378282246310005", "6011111111111117"]
SCRIPTS = {"fullwidth": 0xFF10, "arabic-indic": 0x0660,
           "extended arabic-indic": 0x06F0, "devanagari": 0x0966,
           "bengali": 0x09E6, "thai": 0x0E50}

def groups(n):
    return [n[0:4], n[4:10], n[10:]] if len(n) == 15 else \
        [n[i:i + 4] for i in range(0, len(n), 4)]

def script(n, zero):
    return "".join(chr(zero + int(d)) for d in n)

def encodings(n):
    g = groups(n)
    e = {
        "plain": n,
        "spaces": " ".join(g),
        "hyphens": "-".join(g),
        "dots": ".".join(g),
        "double spaces": "  ".join(g),
        "spaced hyphens": " - ".join(g),
        "NBSP": "\u00a0".join(g),
        "narrow NBSP": "\u202f".join(g),
        "thin spaces": "\u2009".join(g),
        "ideographic spaces": "\u3000".join(g),
        "slashes": "/".join(g),
        "en dashes": "\u2013".join(g),
        "em dashes": "\u2014".join(g),
        "minus signs": "\u2212".join(g),
        "underscores": "_".join(g),
        "commas": ",".join(g),
        "zero-width spaces": "\u200b".join(n),
        "soft hyphens": "\u00ad".join(g),
        "digit by digit": " ".join(n),
        "in a sentence": "my card is " + " ".join(g) + " exp 12/30",
        "mixed scripts": n[:4] + script(n[4:8], 0xFF10) + n[8:],
    }
    for name, zero in SCRIPTS.items():
        e[name + " digits"] = script(n, zero)
    e["fullwidth, ideographic spaces"] = "\u3000".join(
        script(x, 0xFF10) for x in g)
    return e

ENC = [(f"{n[:4]}… {name}", v) for n in CARDS
       for name, v in encodings(n).items()]

# The sweep is many clients' worth of requests, not one client's: sent
# round-robin from 16 loopback addresses, so that nginx's per-address
# rates (t0606 tests them) do not stretch it over a minute or more.
conns = [http.client.HTTPConnection(u.hostname, u.port, timeout=20,
                                    source_address=(f"127.0.1.{i}", 0))
         for i in range(1, 17)]
results = []

def send(method, path, body=None, ctype=None, auth=None):
    conn = conns[len(results) % len(conns)]
    h = {"Cookie": cookie}
    if ctype:
        h["Content-Type"] = ctype
    if auth:
        h["Authorization"] = "Bearer " + auth
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    return r.status, r.read().decode("utf-8", "replace")

def refused(desc, status, text, api=False):
    if status == 422 and "payment card number" in text and \
            (not api or text.startswith("{")):
        results.append(f"ok {desc}")
    else:
        results.append(f"not ok {desc}: {status} {text[:120]!r}")

DETAILS = {"billing_name": "Acme Holdings Inc.",
           "address_line1": "500 Howard Street", "address_line2": "",
           "city": "San Francisco", "postal_code": "94105",
           "region": "CA", "country": "US", "vat_number": "",
           "po_reference": "PO-2026-117",
           "account_email": "accounts@acme.test",
           "invoice_email": "accounts@acme.test", "cc_email": "cfo@acme.test",
           "cc_new": ""}

def form(fields):
    f = {"csrf": csrf, "form_token": secrets.token_hex(32)}
    f.update(fields)
    return urllib.parse.urlencode(f)

FORM = "application/x-www-form-urlencoded"
for desc, v in ENC:
    # Every field of the billing details form.
    for name in DETAILS:
        f = dict(DETAILS)
        f[name] = v if "email" not in name or "@" in v else v + "@acme.test"
        refused(f"details {name}: {desc}", *send("POST", "/billing/details",
                form(f), FORM))
    # Split over the two address lines.
    g = v.split(" ", 1) if " " in v else [v[:len(v) // 2], v[len(v) // 2:]]
    f = dict(DETAILS, address_line1=g[0], address_line2=g[1])
    refused(f"details, over two address lines: {desc}",
            *send("POST", "/billing/details", form(f), FORM))
    # The other forms and a query.
    refused(f"payment method token: {desc}", *send("POST",
            "/billing/payment-methods", form({"processor_token": v}), FORM))
    refused(f"login email: {desc}", *send("POST", "/login",
            form({"email": v, "password": "demo-password"}), FORM))
    refused(f"login password: {desc}", *send("POST", "/login",
            form({"email": "billing@demo.test", "password": v}), FORM))
    refused(f"plan quantity: {desc}", *send("POST", "/billing/plan",
            form({"subscription_id": "1", "plan_id": "1", "quantity": v}),
            FORM))
    refused(f"a query: {desc}", *send("GET", "/billing/receipts?" +
            urllib.parse.urlencode({"period": v})))
    # The sensors API: as sent, and JSON-escaped.
    for name in ("id", "type"):
        body = {"id": "T-9000", "type": "temp"}
        body[name] = v
        refused(f"API {name}: {desc}", *send("POST", "/api/v1/sensors",
                json.dumps(body, ensure_ascii=False).encode(),
                "application/json", key), api=True)
        refused(f"API {name}, \\u-escaped: {desc}", *send("POST",
                "/api/v1/sensors", json.dumps(body, ensure_ascii=True)
                .replace("".join(v[:1]), "\\u%04x" % ord(v[0]), 1)
                .encode(), "application/json", key), api=True)
    esc = "".join("\\u%04x" % ord(c) for c in v)
    refused(f"API id, every character \\u-escaped: {desc}", *send("POST",
            "/api/v1/sensors", ('{"id": "' + esc + '", "type": "temp"}')
            .encode(), "application/json", key), api=True)
    refused(f"API, split over id and type: {desc}", *send("POST",
            "/api/v1/sensors", json.dumps({"id": g[0], "type": g[1]})
            .encode(), "application/json", key), api=True)
    # The path.
    p = urllib.parse.quote(v)
    refused(f"a receipt's path: {desc}", *send("GET",
            f"/billing/receipts/{p}.pdf"))
    st, text = send("GET", f"/static/{p}")
    results.append(f"{'ok' if st == 404 else 'not ok'} a static path: "
                   f"{desc}: {st}")
for line in results:
    print(line)
print(f"# {len(ENC)} encodings, {len(results)} requests")
with open(os.path.join(home, "sweep.sent"), "w") as f:
    for _, v in ENC:
        f.write(v + "\n")
PY
while read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) not_ok "${line#not ok }" ;;
	"# "*) diag "${line#\# }" ;;
	esac
done <"$out"
is "$(grep -c '^ok ' "$out")" "$(grep -c '^[no]' "$out")" "every request refused"
is "$(state)" "$before" "nothing changed"

# A PDF and the mail outbox delivered to a file, for the scan.
num=$(sqlite3 "$DB" "SELECT number FROM document WHERE org_id = 1 ORDER BY id DESC LIMIT 1")
"$RECKONCTL" --db "$DB" invoice pdf "$num" >"$RECKON_HOME/scan.pdf"
sqlite3 "$DB" "PRAGMA wal_checkpoint(PASSIVE)" >/dev/null

# The scan: every file, for each number as sent, as ASCII digits and as
# the digits of each script; text files also with every character that
# is neither a letter nor a digit taken out.
/usr/bin/python3 - "$RECKON_HOME" >"$RECKON_HOME/scan.out" <<'PY'
import os, sys, unicodedata
home = sys.argv[1]
CARDS = ["4111111111111111", "4222222222222", "5555555555554444",
         "378282246310005", "6011111111111117"]
ZEROS = [0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50]
needles = set()
for n in CARDS:
    needles.add(n.encode())
    for z in ZEROS:
        needles.add("".join(chr(z + int(d)) for d in n).encode())
for v in open(os.path.join(home, "sweep.sent"), encoding="utf-8"):
    needles.add(v.rstrip("\n").encode())
files = found = 0
for d, _, names in os.walk(home):
    for name in names:
        if name.startswith("sweep.") or name == "scan.out":
            continue
        path = os.path.join(d, name)
        try:
            data = open(path, "rb").read()
        except OSError:
            continue
        files += 1
        hits = [x for x in needles if x in data]
        text = data.decode("utf-8", "ignore")
        if "\0" not in text:
            for line in text.splitlines():
                digits = "".join(str(unicodedata.digit(c)) if c.isdigit()
                                 else c for c in line if c.isalnum())
                hits += [n for n in CARDS if n in digits]
        for h in hits:
            found += 1
            print(f"FOUND {path}: {h!r}")
print(f"SCANNED {files} files, {len(needles)} forms")
PY
diag "$(grep SCANNED "$RECKON_HOME/scan.out")"
{ grep FOUND "$RECKON_HOME/scan.out" || true; } | head -n 5 |
    while read -r l; do diag "$l"; done
is "$(grep -c FOUND "$RECKON_HOME/scan.out" || true)" 0 \
    "no card number in any file under \$RECKON_HOME"
like "$(cat "$RECKON_HOME/access.log")" '"GET /billing/receipts/#\.pdf" 422' \
    "the access log masks the digits of a path"
done_testing
