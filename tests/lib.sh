# Helpers for the HTTP tests (tests/http/tNNNN-*.sh): TAP output and a
# real nginx + reckon.fcgi stack on a loopback port with a fresh demo
# ledger.  Source it from bash:
#
#	. "$(dirname "$0")/../lib.sh"
#	stack_start			# or: stack_start nginx (no workers)
#	is "$(login owner@demo.test)" 303 "owner logs in"
#	is "$(http_status GET "$BASE/billing" -b "$(jar_of owner@demo.test)")" \
#	    200 "owner sees billing"
#	done_testing
#
# Variables it sets: TOP (repository), RECKON_BUILD (where cgi/ holds the
# binaries: $RECKON_BUILD if exported by tests/run, else TOP), RECKON_HOME,
# PORT, BASE, and after http_req: RESP_STATUS, RESP_HEADERS, RESP_BODY.
# KEEP=1 keeps $RECKON_HOME (logs, database) after the run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RECKON_BUILD=${RECKON_BUILD:-$TOP}
RECKONCTL=$RECKON_BUILD/cgi/reckonctl
RECKON_FCGI=$RECKON_BUILD/cgi/reckon.fcgi
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

_t_n=0			# tests run
_t_fail=0		# tests failed
_t_done=		# done_testing was called
_stack_up=		# stack_start succeeded and stack_stop not yet run
_stack_mode=
_fcgi_pid=
_nginx_pid=

# ---- TAP -------------------------------------------------------------

# diag TEXT...: print TEXT as TAP comment lines.
diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

# ok DESC: record a passing test.
ok()
{
	_t_n=$((_t_n + 1))
	printf 'ok %d - %s\n' "$_t_n" "$*"
}

# not_ok DESC: record a failing test.
not_ok()
{
	_t_n=$((_t_n + 1))
	_t_fail=$((_t_fail + 1))
	printf 'not ok %d - %s\n' "$_t_n" "$*"
}

# is GOT WANT DESC: pass if GOT equals WANT (strings).
is()
{
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "got:  '$1'" "want: '$2'"
	fi
	return 0
}

# isnt GOT UNWANTED DESC: pass if GOT differs from UNWANTED.
isnt()
{
	if [ "$1" != "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "got '$1', which it must not be"
	fi
	return 0
}

# like TEXT REGEX DESC: pass if TEXT matches the extended REGEX (grep -E).
like()
{
	if grep -Eq -- "$2" <<<"$1"; then
		ok "$3"
	else
		not_ok "$3"
		diag "'$(printf '%.300s' "$1")'" "does not match /$2/"
	fi
	return 0
}

# unlike TEXT REGEX DESC: pass if TEXT does not match REGEX (a REGEX
# that grep cannot read fails, rather than matching nothing).
unlike()
{
	local rc=0
	grep -Eq -- "$2" <<<"$1" || rc=$?
	if [ "$rc" -eq 1 ]; then
		ok "$3"
	elif [ "$rc" -eq 0 ]; then
		not_ok "$3"
		diag "matches /$2/: $(grep -Eo -- "$2" <<<"$1" | head -n 3)"
	else
		not_ok "$3"
		diag "not a regular expression: /$2/"
	fi
	return 0
}

# bail REASON: abort the script (TAP "Bail out!"), with the logs.
bail()
{
	printf 'Bail out! %s\n' "$*"
	exit 1
}

# done_testing: stop the stack (which adds one test: the workers ran
# cleanly), print the plan, exit 0 only if every test passed.
done_testing()
{
	stack_stop
	_t_done=1
	printf '1..%d\n' "$_t_n"
	if [ "$_t_fail" -gt 0 ]; then
		diag "$_t_fail of $_t_n failed"
		exit 1
	fi
	exit 0
}

# ---- HTTP ------------------------------------------------------------

# Never a proxy, never ~/.curlrc, always bounded in time; over TLS,
# trusting the stack's own certificate.
_curl()
{
	curl -q --noproxy '*' -sS --max-time 20 \
	    ${RECKON_CACERT:+--cacert "$RECKON_CACERT"} "$@"
}

# http_status METHOD URL [curl args...]: print the status code (000 if
# there was no answer). Never fails.
http_status()
{
	local m=$1 u=$2
	shift 2
	if [ "$m" = HEAD ]; then
		_curl -o /dev/null -w '%{http_code}' --head "$u" "$@" || true
	else
		_curl -o /dev/null -w '%{http_code}' -X "$m" "$u" "$@" || true
	fi
}

# http_req METHOD URL [curl args...]: make a request and keep the answer:
# RESP_STATUS (code), RESP_HEADERS (file), RESP_BODY (file); these files
# are overwritten by the next http_req. Never fails.
http_req()
{
	local m=$1 u=$2
	shift 2
	RESP_HEADERS=$RECKON_HOME/resp.headers
	RESP_BODY=$RECKON_HOME/resp.body
	: >"$RESP_HEADERS"
	: >"$RESP_BODY"
	if [ "$m" = HEAD ]; then
		RESP_STATUS=$(_curl -D "$RESP_HEADERS" -o "$RESP_BODY" \
		    -w '%{http_code}' --head "$u" "$@" || true)
	else
		RESP_STATUS=$(_curl -D "$RESP_HEADERS" -o "$RESP_BODY" \
		    -w '%{http_code}' -X "$m" "$u" "$@" || true)
	fi
	return 0
}

# resp_header NAME: print the value of the first header NAME of the last
# http_req (case-insensitive name; empty if absent).
resp_header()
{
	local want
	want=$(printf '%s' "$1" | tr 'A-Z' 'a-z')
	awk -v want="$want" '
		{ sub(/\r$/, "") }
		{
			i = index($0, ":")
			if (i == 0)
				next
			name = tolower(substr($0, 1, i - 1))
			if (name == want) {
				v = substr($0, i + 1)
				sub(/^[ \t]+/, "", v)
				print v
				exit
			}
		}' "${RESP_HEADERS:-/dev/null}"
}

# resp_body: print the body of the last http_req.
resp_body()
{
	cat "${RESP_BODY:-/dev/null}"
}

# q SQL: run SQL on the stack's database, print its answer.
q()
{
	sqlite3 "$RECKON_HOME/reckon.db" "$1"
}

# body_line: the last response's body on one line (newlines dropped).
body_line()
{
	tr -d '\n' <"${RESP_BODY:-/dev/null}"
}

# hidden_value NAME: the value of the first hidden input NAME in the last
# response's body (empty if none).
hidden_value()
{
	{ grep -o "name=\"$1\" value=\"[^\"]*\"" "${RESP_BODY:-/dev/null}" ||
	    true; } | head -n 1 | sed 's/.*value="//; s/"$//'
}

# grouped N: N with thousands separators, as the portal writes counts.
grouped()
{
	printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# csrf_from_html: read HTML on stdin, print the value of the first hidden
# input named csrf (empty if none).
csrf_from_html()
{
	awk '
		found { next }
		{
			s = $0
			while (match(s, /<input[^>]*name="csrf"[^>]*>/)) {
				tag = substr(s, RSTART, RLENGTH)
				s = substr(s, RSTART + RLENGTH)
				if (match(tag, /value="[^"]*"/)) {
					print substr(tag, RSTART + 7, RLENGTH - 8)
					found = 1
					break
				}
			}
		}'
}

# csrf_of URL JAR: GET URL with cookie jar JAR (read and updated) and print
# the page's csrf token (empty if none).
csrf_of()
{
	{ _curl -b "$2" -c "$2" "$1" || true; } | csrf_from_html || true
}

# jar_of EMAIL: print the cookie jar file of EMAIL's session.
jar_of()
{
	printf '%s/jar.%s' "$RECKON_HOME" "$1"
}

# login EMAIL [PASSWORD]: start a fresh session for EMAIL in jar_of EMAIL
# (password demo-password unless given): GET /login, POST the form with
# its csrf token. Prints the status of the POST (303 on success), or
# "no-csrf" if the login page carried no token. Never fails.
login()
{
	local jar tok
	jar=$(jar_of "$1")
	rm -f "$jar"
	tok=$(csrf_of "$BASE/login" "$jar")
	if [ -z "$tok" ]; then
		printf 'no-csrf'
		return 0
	fi
	_curl -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
	    --data-urlencode "email=$1" \
	    --data-urlencode "password=${2-demo-password}" \
	    --data-urlencode "csrf=$tok" "$BASE/login" || true
}

# ---- the stack -------------------------------------------------------

# _render IN OUT NAME=VALUE...: copy IN to OUT replacing each @NAME@.
_render()
{
	"$TOP/conf/render" "$@"
}

# _free_port: print a TCP port free on 127.0.0.1.
_free_port()
{
	local p i
	if command -v python3 >/dev/null 2>&1 &&
	    p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null) && [ -n "$p" ]; then
		printf '%s' "$p"
		return 0
	fi
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]; then
			printf '%s' "$p"
			return 0
		fi
	done
	return 1
}

_alive()
{
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

# _stop_pid PID: SIGTERM PID, wait up to 10 s, then SIGKILL. Sets _rc to
# its exit status (137 if it had to be killed).
_stop_pid()
{
	local i
	kill -TERM "$1" 2>/dev/null || true
	for i in $(seq 1 100); do
		_alive "$1" || break
		sleep 0.1
	done
	if _alive "$1"; then
		kill -KILL "$1" 2>/dev/null || true
	fi
	_rc=0
	wait "$1" 2>/dev/null || _rc=$?
}

_stack_logs()
{
	local f
	[ -n "${RECKON_HOME:-}" ] && [ -d "$RECKON_HOME" ] || return 0
	for f in ctl.log reckon.log nginx.stderr error.log; do
		[ -s "$RECKON_HOME/$f" ] || continue
		diag "--- $f (last 40 lines)"
		tail -n 40 "$RECKON_HOME/$f" | sed 's/^/# /'
	done
}

# stack_start [nginx]: make $RECKON_HOME, create the demo ledger, render
# the configs, start reckon.fcgi and nginx on a free loopback port, wait
# until GET /login answers 200, export BASE. With "nginx", start nginx
# alone (no database, no workers: every page answers 502). With
# RECKON_TLS=1 in the environment, nginx serves TLS with a throw-away
# certificate (conf/tls-cert): BASE is https://, RECKON_CACERT names the
# certificate, and _curl trusts it. With RECKON_LOGFILE=1, the workers
# log to $RECKON_HOME/portal.log (Config.LogFile) instead of reckon.log.
# Bails out on failure. stack_stop runs at exit.
stack_start()
{
	local mode=${1:-full} tries want st i sock tls= tls_files= scheme=http

	_stack_mode=$mode
	if [ "$mode" = full ]; then
		[ -x "$RECKONCTL" ] || bail "no $RECKONCTL (build first)"
		[ -x "$RECKON_FCGI" ] || bail "no $RECKON_FCGI (build first)"
	fi
	[ -x "$NGINX" ] || bail "no nginx (apt-get install nginx-light)"
	command -v curl >/dev/null || bail "no curl (apt-get install curl)"

	RECKON_HOME=$(mktemp -d "${TMPDIR:-/tmp}/reckon-test.XXXXXX") ||
	    bail "cannot make a temporary directory"
	export RECKON_HOME
	mkdir -p "$RECKON_HOME/run"
	_stack_up=1

	sock=$RECKON_HOME/run/reckon.sock
	[ "${#sock}" -lt 108 ] ||
	    bail "socket path too long for a unix socket: $sock (set TMPDIR)"

	if [ "$mode" = full ]; then
		"$RECKONCTL" --db "$RECKON_HOME/reckon.db" demo \
		    >"$RECKON_HOME/ctl.log" 2>&1 ||
		    bail "reckonctl demo failed (exit $?)"
	fi
	_render "$TOP/conf/reckon.hdf.in" "$RECKON_HOME/reckon.hdf" \
	    HOME="$RECKON_HOME" SOCKET="$sock" SHARE="$TOP" \
	    WORKERS="${RECKON_WORKERS:-2}" ||
	    bail "cannot render reckon.hdf"
	[ "${RECKON_LOGFILE:-0}" != 1 ] ||
	    echo "Config.LogFile = $RECKON_HOME/portal.log" >>"$RECKON_HOME/reckon.hdf"

	if [ "${RECKON_TLS:-0}" = 1 ]; then
		"$TOP/conf/tls-cert" "$RECKON_HOME/tls" ||
		    bail "cannot make a certificate (conf/tls-cert)"
		tls=" ssl" scheme=https
		tls_files="ssl_certificate \"$RECKON_HOME/tls/cert.pem\"; ssl_certificate_key \"$RECKON_HOME/tls/key.pem\";"
		RECKON_CACERT=$RECKON_HOME/tls/cert.pem
		export RECKON_CACERT
	fi

	if [ "$mode" = full ]; then
		"$RECKON_FCGI" -c "$RECKON_HOME/reckon.hdf" \
		    </dev/null >>"$RECKON_HOME/reckon.log" 2>&1 &
		_fcgi_pid=$!
		want=200
	else
		want=502
	fi

	for tries in 1 2 3; do
		PORT=$(_free_port) || bail "no free port"
		_render "$TOP/conf/nginx.conf.in" "$RECKON_HOME/nginx.conf" \
		    HOME="$RECKON_HOME" USER="$(id -un) $(id -gn)" &&
		_render "$TOP/conf/nginx-site.conf.in" \
		    "$RECKON_HOME/nginx-site.conf" LISTEN="127.0.0.1:$PORT" \
		    TLS="$tls" TLS_FILES="$tls_files" STATIC="$TOP/static" \
		    ERRORS="$TOP/conf/errors" SOCKET="$sock" \
		    ACCESS_LOG="$RECKON_HOME/access.log" DEMO_MAIL= \
		    UNLIMITED= ||
		    bail "cannot render nginx.conf"
		"$NGINX" -p "$RECKON_HOME" -c "$RECKON_HOME/nginx.conf" \
		    -e "$RECKON_HOME/error.log" -g 'daemon off;' \
		    </dev/null >>"$RECKON_HOME/nginx.stderr" 2>&1 &
		_nginx_pid=$!
		BASE=$scheme://127.0.0.1:$PORT
		export PORT BASE

		st=000
		for i in $(seq 1 100); do	# 10 s
			if ! _alive "$_nginx_pid"; then
				break
			fi
			if [ -n "$_fcgi_pid" ] && ! _alive "$_fcgi_pid"; then
				bail "reckon.fcgi exited during start-up"
			fi
			st=$(http_status GET "$BASE/login" --max-time 2 2>/dev/null)
			[ "$st" = "$want" ] && return 0
			sleep 0.1
		done
		if _alive "$_nginx_pid"; then
			bail "GET /login answered $st, not $want, within 10 s"
		fi
		wait "$_nginx_pid" 2>/dev/null || true
		_nginx_pid=
		# Lost a race for the port? Try another one.
		grep -q 'Address already in use' "$RECKON_HOME/nginx.stderr" \
		    "$RECKON_HOME/error.log" 2>/dev/null || break
	done
	bail "nginx did not start"
}

# stack_stop: stop nginx, then reckon.fcgi (SIGTERM, bounded wait); remove
# $RECKON_HOME unless KEEP=1. Called by done_testing, where it adds one
# test (reckon.fcgi stayed up, exited 0 on SIGTERM, no sanitizer report),
# and at exit. Running it twice is harmless.
stack_stop()
{
	local problems=

	[ -n "$_stack_up" ] || return 0
	_stack_up=
	if [ -n "$_nginx_pid" ]; then
		_stop_pid "$_nginx_pid"
		_nginx_pid=
	fi
	if [ -n "$_fcgi_pid" ]; then
		if ! _alive "$_fcgi_pid"; then
			wait "$_fcgi_pid" 2>/dev/null && _rc=0 || _rc=$?
			problems="reckon.fcgi exited before the end (status $_rc)"
		else
			_stop_pid "$_fcgi_pid"
			[ "$_rc" = 0 ] ||
			    problems="reckon.fcgi exited with status $_rc on SIGTERM"
		fi
		_fcgi_pid=
		if grep -Eq 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' \
		    "$RECKON_HOME/reckon.log" 2>/dev/null; then
			problems="$problems${problems:+; }sanitizer report"
		fi
		if [ -z "$_t_done" ] && [ -z "$_t_aborting" ]; then
			if [ -z "$problems" ]; then
				ok "reckon.fcgi ran cleanly and stopped on SIGTERM"
			else
				not_ok "reckon.fcgi ran cleanly and stopped on SIGTERM"
				diag "$problems"
			fi
		fi
	fi
	if [ -n "$problems" ] || [ -n "$_t_aborting" ] || [ "$_t_fail" -gt 0 ]
	then
		_stack_logs
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		diag "kept $RECKON_HOME"
	else
		rm -rf "$RECKON_HOME"
	fi
}

_t_aborting=
# on_exit COMMAND: run COMMAND (eval'd) at exit, before the stack stops,
# keeping the script's exit status (a test's own EXIT trap would lose it).
_lib_on_exit=()
on_exit()
{
	_lib_on_exit+=("$1")
}

_lib_exit()
{
	local rc=$? c
	for c in ${_lib_on_exit[@]+"${_lib_on_exit[@]}"}; do
		eval "$c" || true
	done
	if [ -z "$_t_done" ]; then
		_t_aborting=1
		echo "# the script ended (status $rc) before done_testing"
		[ "$rc" != 0 ] || rc=1
	fi
	stack_stop
	exit "$rc"
}

# At exit: stop the stack, and fail a script that never reached
# done_testing. A signal ends the script through the same path.
trap '_lib_exit' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
