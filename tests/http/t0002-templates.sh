#!/usr/bin/env bash
# Every template rendered by ClearSilver's cstest from the fixtures in
# tests/render/ (NAME[_variant].hdf renders templates/NAME.cs): each
# renders, has no script or inline style (the CSP allows neither), and
# in the hostile fixtures every value comes out HTML-escaped.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

cd "$TOP"		# the fixtures load templates from "templates"
command -v cstest >/dev/null || bail "cstest is missing (clearsilver-dev)"
n=0
for f in tests/render/*.hdf; do
	base=$(basename "$f" .hdf)
	# The longest template name that begins the fixture's name.
	tmpl=
	for t in templates/*.cs; do
		t=$(basename "$t" .cs)
		case $base in
		"$t"|"$t"_*) [ ${#t} -gt ${#tmpl} ] && tmpl=$t ;;
		esac
	done
	if [ -z "$tmpl" ]; then
		not_ok "$base: names no template"
		continue
	fi
	rc=0
	out=$(cstest "$f" "templates/$tmpl.cs" 2>&1) || rc=$?
	is "$rc" 0 "$base: $tmpl.cs renders"
	like "$out" '</html>' "$base: to the end of the page"
	unlike "$out" '<script|<[a-z][^>]* style=|<[a-z][^>]* on[a-z]+=' \
	    "$base: no script, inline style or handler"
	case $base in
	*hostile*)
		like "$out" '&lt;script&gt;alert\(1\)&lt;/script&gt;' \
		    "$base: the markup in values is escaped"
		unlike "$out" '[?&][a-z]+="' \
		    "$base: no quote in a value ends an attribute" ;;
	esac
	n=$((n + 1))
done
if [ "$n" -gt 0 ]; then
	ok "$n fixtures rendered"
else
	not_ok "no fixture in tests/render"
fi
done_testing
