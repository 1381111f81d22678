#!/usr/bin/env bash
# nginx alone: static files, security headers, request caps, and nginx's
# own error pages (plain pages in words, with the same headers).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

CSP="default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

# security_headers WHAT: the four headers of the last http_req.
security_headers()
{
	is "$(resp_header Content-Security-Policy)" "$CSP" "$1: CSP"
	is "$(resp_header X-Content-Type-Options)" nosniff "$1: nosniff"
	is "$(resp_header X-Frame-Options)" DENY "$1: X-Frame-Options"
	is "$(resp_header Referrer-Policy)" no-referrer "$1: Referrer-Policy"
}

# plain_page WHAT REGEX: the last answer is our page in words, not nginx's.
plain_page()
{
	local body
	body=$(resp_body)
	like "$(resp_header Content-Type)" '^text/html' "$1: HTML"
	like "$body" "$2" "$1: says what happened"
	like "$body" 'href="/static/css/reckon.css"' "$1: links reckon.css"
	unlike "$body" '<center>|nginx|<script|style=' \
	    "$1: not nginx's page, no inline script or style"
}

stack_start nginx

http_req GET "$BASE/static/css/reckon.css"
is "$RESP_STATUS" 200 "reckon.css is served"
like "$(resp_header Content-Type)" '^text/css' "reckon.css is text/css"
security_headers "reckon.css"
is "$(resp_header Server)" nginx "Server header carries no version"

# 70 KiB body: over client_max_body_size (64 KiB).
big=$RECKON_HOME/big.form
{ printf 'email=owner%%40demo.test&note='; head -c 71680 /dev/zero | tr '\0' 'a'; } >"$big"
http_req POST "$BASE/login" --data-binary "@$big" \
    -H 'Content-Type: application/x-www-form-urlencoded'
is "$RESP_STATUS" 413 "70 KiB POST is refused with 413"
security_headers "413 page"
plain_page "413 page" 'too large'

# No workers are running: nginx answers 502 with its plain page.
http_req GET "$BASE/login"
is "$RESP_STATUS" 502 "no workers: 502"
security_headers "502 page"
plain_page "502 page" 'not available'

# A cookie over 4 KiB does not fit a header buffer.
cookie="reckon_session=$(head -c 5000 /dev/zero | tr '\0' 'b')"
http_req GET "$BASE/login" -H "Cookie: $cookie"
is "$RESP_STATUS" 400 "5000-byte cookie is refused with 400"
security_headers "400 page"
plain_page "400 page" 'cookie'

http_req GET "$BASE/static/no-such-file.css"
is "$RESP_STATUS" 404 "missing static file: 404"
plain_page "404 page" 'not found'

http_req GET "$BASE/static/errors/413.html"
is "$RESP_STATUS" 404 "error pages are not served directly"

done_testing
