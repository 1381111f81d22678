#!/usr/bin/env bash
# make install: the tree an operator gets (programs in sbin, templates,
# static files, nginx's error pages and the PDF fonts in share/reckon,
# reckon.hdf and the nginx site in etc/reckon, never written over, the
# systemd units and the reckon user, the manual pages), with every path
# rendered for the installed layout; the units pass systemd-analyze
# verify, the site passes nginx -t, the pages mandoc -Tlint; make
# uninstall takes it all away but a configuration the operator changed.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
[ -f "$RECKON_BUILD/Makefile" ] || bail "no $RECKON_BUILD/Makefile (configure first)"
for c in systemd-analyze mandoc nginx; do
	command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] ||
	    bail "no $c (apt-get install systemd mandoc nginx-light)"
done
D=$(mktemp -d "${TMPDIR:-/tmp}/reckon-install.XXXXXX")
on_exit "rm -rf '$D'"
P=$(sed -n 's/^prefix = //p' "$RECKON_BUILD/Makefile")
diag "prefix $P, DESTDIR $D"

make -s -C "$RECKON_BUILD" install DESTDIR="$D" >"$D.log" 2>&1 && rc=0 || rc=$?
is "$rc" 0 "make install DESTDIR=... exits 0"
[ "$rc" = 0 ] || diag "$(tail -n 20 "$D.log")"
tree=$(cd "$D$P" && find . -type f ! -path './share/reckon/templates/*' \
    ! -path './share/reckon/static/*' | sed 's|^\./||' | LC_ALL=C sort)
want="etc/reckon/nginx-site.conf
etc/reckon/reckon.hdf
lib/systemd/system/reckon-mail.service
lib/systemd/system/reckon-mail.timer
lib/systemd/system/reckon-renew.service
lib/systemd/system/reckon-renew.timer
lib/systemd/system/reckon.service
lib/sysusers.d/reckon.conf
sbin/reckon.fcgi
sbin/reckonctl
share/man/man5/reckon.hdf.5
share/man/man8/reckon.fcgi.8
share/man/man8/reckonctl.8
$(cd "$TOP/conf/errors" && ls | sed 's|^|share/reckon/errors/|')
share/reckon/fonts/DejaVuSans-Bold-core.ttf
share/reckon/fonts/DejaVuSans-Bold-wide.ttf
share/reckon/fonts/DejaVuSans-core.ttf
share/reckon/fonts/DejaVuSans-wide.ttf"
is "$tree" "$(LC_ALL=C sort <<<"$want")" "the installed tree, templates and static files aside"
is "$(cd "$TOP" && find templates static -type f | LC_ALL=C sort)" \
    "$(cd "$D$P/share/reckon" && find templates static -type f | LC_ALL=C sort)" \
    "every template and static file, in share/reckon"
is "$(find "$D" -type f ! -path "$D$P/*" | wc -l)" 0 "nothing outside the prefix"
is "$(cmp -s "$D$P/sbin/reckonctl" "$RECKON_BUILD/cgi/reckonctl" && echo same)" same \
    "sbin/reckonctl is the built program"
unlike "$(cat "$D$P"/etc/reckon/* "$D$P"/lib/systemd/system/*)" '@[A-Z_]+@' \
    "no placeholder is left in what was rendered"

hdf=$D$P/etc/reckon/reckon.hdf
like "$(cat "$hdf")" "Config.TemplateDir = $P/share/reckon/templates" \
    "reckon.hdf reads the installed templates"
like "$(cat "$hdf")" 'Config.Db = /var/lib/reckon/reckon.db' "and the ledger in /var/lib/reckon"
like "$(cat "$hdf")" 'Config.Socket = /run/reckon/reckon.sock' "listens in /run/reckon"
like "$(cat "$D$P/etc/reckon/nginx-site.conf")" "alias \"$P/share/reckon/static/\"" \
    "the nginx site serves the installed static files"
like "$(cat "$D$P/etc/reckon/nginx-site.conf")" 'fastcgi_pass "unix:/run/reckon/reckon.sock"' \
    "and passes to the workers' socket"
like "$(cat "$D$P/lib/systemd/system/reckon.service")" "ExecStart=$P/sbin/reckon.fcgi -c $P/etc/reckon/reckon.hdf" \
    "reckon.service starts the installed program on the installed configuration"

# The units, as installed but with the programs where DESTDIR put them.
mkdir "$D/units"
for f in "$D$P"/lib/systemd/system/*; do
	sed "s|$P/sbin/|$D$P/sbin/|g" "$f" >"$D/units/${f##*/}"
done
out=$(systemd-analyze verify --man=no "$D"/units/* 2>&1) && rc=0 || rc=$?
is "$rc:$out" "0:" "systemd-analyze verify: the units are clean"
for k in 'User=reckon' 'Restart=always' 'ProtectSystem=strict' 'PrivateTmp=yes' \
    'NoNewPrivileges=yes' 'ReadWritePaths=/var/lib/reckon'; do
	like "$(cat "$D/units/reckon.service")" "^$k\$|"$'\n'"$k"$'\n' "reckon.service: $k"
done
for j in renew mail; do
	like "$(cat "$D/units/reckon-$j.timer")" 'Persistent=true' "reckon-$j.timer makes up missed runs"
	like "$(cat "$D/units/reckon-$j.service")" "ExecStart=.*/reckonctl --db /var/lib/reckon/reckon.db $j\$|ExecStart=.*/reckonctl --db /var/lib/reckon/reckon.db $j"$'\n' \
	    "reckon-$j.service runs reckonctl $j"
done

# The nginx site, in a throw-away nginx.conf (its log in the sandbox).
sed "s|access_log \"[^\"]*\"|access_log \"$D/access.log\"|" \
    "$D$P/etc/reckon/nginx-site.conf" >"$D/site.conf"
printf 'pid "%s/nginx.pid";\nevents {}\nhttp {\n\tinclude /etc/nginx/mime.types;\n\tinclude "%s/site.conf";\n}\n' \
    "$D" "$D" >"$D/nginx.conf"
out=$("$NGINX" -t -q -p "$D" -c "$D/nginx.conf" -e "$D/error.log" 2>&1) && rc=0 || rc=$?
is "$rc:$out" "0:" "nginx -t: the site is a valid part of an nginx.conf"

# (Whether other packages' pages are installed, nginx(8) say, depends on
# the machine: those references alone are left out; ours must resolve.)
out=$(MANPATH="$D$P/share/man" mandoc -Tlint -Wstyle "$D$P"/share/man/man*/* 2>&1 |
    grep -v 'outdated mandoc.db' |
    grep -Ev 'referenced manual not found: Xr [^ ]+ [0-9]' || true)
ours=$(MANPATH="$D$P/share/man" mandoc -Tlint -Wstyle "$D$P"/share/man/man*/* 2>&1 |
    grep -E 'referenced manual not found: Xr (reckon\.fcgi|reckonctl|reckon\.hdf) ' || true)
is "$out$ours" "" "mandoc -Tlint -Wstyle: the manual pages are clean"

# A second install keeps the operator's configuration.
echo "# the operator's own" >>"$hdf"
make -s -C "$RECKON_BUILD" install DESTDIR="$D" >"$D.log" 2>&1 && rc=0 || rc=$?
is "$rc" 0 "make install again exits 0"
like "$(cat "$D.log")" 'reckon.hdf is there: kept' "and says it kept reckon.hdf"
like "$(tail -n 1 "$hdf")" "the operator's own" "which is not written over"

make -s -C "$RECKON_BUILD" uninstall DESTDIR="$D" >"$D.log" 2>&1 && rc=0 || rc=$?
is "$rc" 0 "make uninstall exits 0"
like "$(cat "$D.log")" 'reckon.hdf was changed: kept' "and says it kept the changed reckon.hdf"
is "$(cd "$D$P" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')" \
    "etc/reckon/reckon.hdf " "it leaves only the configuration the operator changed"
rm -f "$D.log"

done_testing
