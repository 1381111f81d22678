#!/usr/bin/env bash
# Slow clients: 300 connections from one address that send their headers
# and then a body one byte a second must not keep anyone else out. While
# they trickle, a client on another address (127.0.0.2) signs-in page
# answers within 1 s each time; the slow address gets 429 in words once
# it holds more connections than one address may; a flood of sign-ins
# from one address is slowed, then refused with 429 and Retry-After; a
# client that never finishes its headers is cut off.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start

out=$RECKON_HOME/slow.out
/usr/bin/python3 - "$PORT" >"$out" <<'PY'
import http.client, socket, sys, threading, time
port = int(sys.argv[1])
SLOW, SECONDS = 300, 12
head = ("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 1000\r\n\r\n").encode()
socks = []
for i in range(SLOW):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(head)
        s.setblocking(False)
        socks.append(s)
        time.sleep(0.005)	# each one's headers read before the next
    except OSError:
        s.close()
print(f"# {len(socks)} of {SLOW} slow connections opened")

times, statuses = [], []
def normal():
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5,
                                           source_address=("127.0.0.2", 0))
            c.request("GET", "/login")
            r = c.getresponse()
            r.read()
            statuses.append(r.status)
            c.close()
        except OSError as e:
            statuses.append(str(e))
        times.append(time.monotonic() - t0)
        time.sleep(0.5)
t = threading.Thread(target=normal)
t.start()

answers = {}
end = time.monotonic() + SECONDS
while time.monotonic() < end:
    for s in socks:
        if s.fileno() < 0:
            continue
        try:
            s.send(b"a")
        except OSError:
            pass
        try:
            d = s.recv(4096)
            if d:
                st = d.split(b" ", 2)[1].decode() if d.startswith(b"HTTP/") \
                    else "?"
                answers[st] = answers.get(st, 0) + 1
                if st == "429" and b"Too many" in d:
                    answers["429 in words"] = answers.get("429 in words", 0) + 1
            s.close()
        except BlockingIOError:
            pass
        except OSError:
            s.close()
    time.sleep(1)
t.join()
for s in socks:
    s.close()
ok = [x for x in statuses if x == 200]
print(f"# normal client: {len(times)} GET /login, {len(ok)} answered 200, "
      f"slowest {max(times):.3f} s")
print(f"# slow address answered: {answers}")
print(f"normal {len(times)} {len(ok)} {int(max(times) * 1000)}")
print(f"refused {answers.get('429', 0)} {answers.get('429 in words', 0)}")
PY
cat "$out" | grep '^#' | while read -r line; do diag "${line#\# }"; done
read -r _ tries oks slowest <<<"$(grep '^normal ' "$out")"
read -r _ refused words <<<"$(grep '^refused ' "$out")"
is "$((tries >= 10))" 1 "the other client tried $tries times in 12 s"
is "$oks" "$tries" "every GET /login of the other client answered 200"
is "$((slowest < 1000))" 1 \
    "the other client's slowest answer took $slowest ms (under 1000)"
is "$((refused >= 200))" 1 \
    "the slow address was refused beyond its share ($refused of 300 got 429)"
is "$words" "$refused" "each 429 says so in words"

# Many requests at once from one address (127.0.0.3): each is answered,
# those beyond the address's share with 429, Retry-After and words.
/usr/bin/python3 - "$PORT" >"$out" <<'PY'
import http.client, sys, threading
port = int(sys.argv[1])
res = []
def one():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                       source_address=("127.0.0.3", 0))
        c.request("GET", "/login")
        r = c.getresponse()
        body = r.read()
        res.append((r.status, r.getheader("Retry-After") or "",
                    b"Too many" in body))
    except OSError:
        res.append((0, "", False))
th = [threading.Thread(target=one) for _ in range(120)]
for t in th: t.start()
for t in th: t.join()
n429 = [x for x in res if x[0] == 429]
print(len([x for x in res if x[0] in (200, 429)]), len(n429),
      sum(1 for x in n429 if x[1].isdigit() and x[2]))
PY
read -r answered n429 good429 <<<"$(cat "$out")"
diag "120 requests at once from one address: $n429 answered 429"
is "$answered" 120 "each of 120 simultaneous requests got 200 or 429"
is "$((n429 >= 1))" 1 "those beyond the share were refused ($n429)"
is "$good429" "$n429" "each 429 has Retry-After and says so in words"

# Sign-ins one after another from one address (127.0.0.4) are slowed to
# the sign-in rate, never refused: 40 of them take seconds, not a blink,
# and each gets the portal's own answer (403: none carries the form's
# token, so no password is checked and the accounts' throttle is not
# what slows them).
t0=$(date +%s%N)
codes=$(for i in $(seq 1 40); do
	curl -q -sS --interface 127.0.0.4 -o /dev/null -w '%{http_code}\n' \
	    --max-time 30 -d "email=not-an-address&password=x" "$BASE/login"
done | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')
ms=$((($(date +%s%N) - t0) / 1000000))
diag "40 sign-ins one after another: $codes in $ms ms"
is "$codes" "403:40 " "each sign-in was answered by the portal (403), none refused"
is "$((ms >= 1500))" 1 "and they were slowed down ($ms ms)"

done_testing
