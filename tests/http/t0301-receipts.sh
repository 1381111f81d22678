#!/usr/bin/env bash
# Receipts and invoices: the list of a month and of a year (keyset pages
# without overlap), one PDF (a real PDF, the organization's own only,
# byte-identical each time), the CSV (RFC 4180, one row per document,
# quoting and the formula guard) and the ZIP (exactly the period's PDFs,
# deterministic, refused above 500 documents); members get 403, other
# organizations' numbers and malformed ones 404.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start
DB=$RECKON_HOME/reckon.db
TMP=$RECKON_HOME/t0301
mkdir -p "$TMP"
command -v python3 >/dev/null || bail "no python3"

is "$(login accountant@demo.test)" 303 "the accountant signs in"
jar=$(jar_of accountant@demo.test)
URL=$BASE/billing/receipts

q()		# SQL: one query of the test's database
{
	sqlite3 "$DB" "$1"
}
numbers_of()	# FILE: the document numbers in the rows of a list page
{
	grep -o '<th scope="row">[A-Z0-9-]*</th>' "$1" |
	    sed 's/<th scope="row">//; s/<\/th>//' || true
}
older_of()	# FILE: the "Older documents" link of a list page, HTML-decoded
{
	grep -o '<a href="[^"]*">Older documents</a>' "$1" |
	    sed 's/<a href="//; s/">Older documents<\/a>//; s/&amp;/\&/g' || true
}

# The newest month in which Acme (organization 1) has documents.
month=$(q "SELECT strftime('%Y-%m', max(issued_at), 'unixepoch') FROM document WHERE org_id = 1")
year=${month%-*}
in_month="org_id = 1 AND strftime('%Y-%m', issued_at, 'unixepoch') = '$month'"
diag "month $month, year $year"
[ -n "$month" ] || bail "the demo has no documents for organization 1"

# ---- the list ----------------------------------------------------------

http_req GET "$URL?period=$month" -b "$jar"
is "$RESP_STATUS" 200 "the list of $month: 200"
cp "$RESP_BODY" "$TMP/month.html"
like "$(resp_body)" '<title>Receipts and invoices — Reckon</title>' "titled"
like "$(resp_body)" 'aria-current="page">Receipts</a>' "Receipts in the navigation, current"
want=$(q "SELECT number FROM document WHERE $in_month ORDER BY issued_at DESC, id DESC")
is "$(numbers_of "$TMP/month.html")" "$want" "every document of the month, newest first"
num=$(q "SELECT number FROM document WHERE $in_month ORDER BY issued_at DESC, id DESC LIMIT 1")
buyer=$(q "SELECT buyer_name FROM document WHERE number = '$num'")
cents=$(q "SELECT total FROM document WHERE number = '$num'")
total=$(printf '%d.%02d' $((cents / 100)) $((cents % 100)))
row=$(tr -d '\n' <"$TMP/month.html" | grep -o "<th scope=\"row\">$num</th>.*" |
    sed 's/<\/tr>.*//')
like "$row" "<td>Invoice</td>" "its kind"
like "$row" "\\\$$total<" "its total, formatted (\$$total)"
like "$row" "<td>(Paid|Open|Credited)</td>" "its status in a word"
like "$row" "href=\"/billing/receipts/$num.pdf\"" "its PDF link"
like "$(resp_body)" "href=\"/billing/receipts.csv\\?period=$month\">Download CSV" "a CSV link for the month"
like "$(resp_body)" "href=\"/billing/receipts.zip\\?period=$month\">Download all PDFs and e-invoices \\(ZIP\\)" "a ZIP link for the month"
like "$(resp_body)" 'type="month" value="'"$month"'"' "the picker shows the month"

http_req GET "$URL" -b "$jar"
is "$RESP_STATUS" 200 "no period: 200"
like "$(resp_body)" "Issued in $(date -u '+%B %Y')" "no period: the current month"

http_req GET "$URL?period=2001-02" -b "$jar"
is "$RESP_STATUS" 200 "a month without documents: 200"
like "$(resp_body)" 'No documents in this period.' "says so"
unlike "$(resp_body)" 'Download CSV|<table' "no table, no downloads"

for bad in 2026-13 2026-1 1999-12 '2026-11"><b>' 11-2026; do
	http_req GET "$URL" -b "$jar" --get --data-urlencode "period=$bad"
	is "$RESP_STATUS" 400 "a malformed month ($bad): 400"
done
like "$(resp_body)" 'Enter the month as YYYY-MM' "the error says how to write it"
unlike "$(resp_body)" '"><b>' "the bad value comes back escaped"
http_req GET "$URL?year=99" -b "$jar"
is "$RESP_STATUS" 400 "a malformed year: 400"
http_req GET "$URL?year=$year&period=$month" -b "$jar"
is "$RESP_STATUS" 400 "a month and a year at once: 400"

# ---- one PDF -----------------------------------------------------------

http_req GET "$URL/$num.pdf" -b "$jar"
is "$RESP_STATUS" 200 "$num.pdf: 200"
is "$(resp_header Content-Type)" "application/pdf" "Content-Type: application/pdf"
is "$(resp_header Content-Disposition)" "attachment; filename=\"$num.pdf\"" "an attachment named $num.pdf"
cp "$RESP_BODY" "$TMP/a.pdf"
is "$(head -c 5 "$TMP/a.pdf")" "%PDF-" "%PDF- magic"
if qpdf --check "$TMP/a.pdf" >"$TMP/qpdf.log" 2>&1; then
	ok "qpdf --check passes"
else
	not_ok "qpdf --check passes"
	diag "$(tail -n 5 "$TMP/qpdf.log")"
fi
text=$(pdftotext "$TMP/a.pdf" - 2>/dev/null || true)
like "$text" "$num" "the PDF shows the number"
like "$text" "$(sed 's/[.]/[.]/g' <<<"$buyer")" "the PDF shows the buyer ($buyer)"
like "$text" "$total" "the PDF shows the total"
http_req GET "$URL/$num.pdf" -b "$jar"
if cmp -s "$RESP_BODY" "$TMP/a.pdf"; then
	ok "a second download is byte-identical"
else
	not_ok "a second download is byte-identical"
fi

globex=$(q "SELECT number FROM document WHERE org_id = 4 ORDER BY id LIMIT 1")
is "$(http_status GET "$URL/$globex.pdf" -b "$jar")" 404 "Acme asking for Globex's $globex: 404"
is "$(login owner@other.test)" 303 "Globex's owner signs in"
ojar=$(jar_of owner@other.test)
http_req GET "$URL/$num.pdf" -b "$ojar"
is "$RESP_STATUS" 404 "Globex asking for Acme's $num: 404"
unlike "$(resp_body)" "$buyer" "and nothing of Acme's in the answer"
is "$(http_status GET "$URL/$globex.pdf" -b "$ojar")" 200 "Globex gets its own $globex"
is "$(http_status GET "$URL/INV-1999-000001.pdf" -b "$jar")" 404 "a number that does not exist: 404"
is "$(http_status GET "$URL/inv-1.pdf" -b "$jar")" 404 "lower case: 404"
is "$(http_status GET "$URL/..%2F..%2Fetc.pdf" -b "$jar" --path-as-is)" 404 "..%2F..%2Fetc.pdf: 404"
is "$(http_status GET "$URL/%2E%2E.pdf" -b "$jar" --path-as-is)" 404 "%2E%2E.pdf: 404"
is "$(http_status GET "$URL/INV%0A1.pdf" -b "$jar" --path-as-is)" 404 "a newline in the number: 404"
is "$(http_status GET "$URL/$(printf 'A%.0s' $(seq 1 32)).pdf" -b "$jar")" 404 "32 characters: 404"
is "$(http_status GET "$URL/.pdf" -b "$jar")" 404 "no number: 404"

# ---- members ------------------------------------------------------------

is "$(login member@demo.test)" 303 "a member signs in"
mjar=$(jar_of member@demo.test)
for p in "" ".csv?period=$month" ".zip?period=$month" "/$num.pdf"; do
	is "$(http_status GET "$URL$p" -b "$mjar")" 403 "a member: GET /billing/receipts$p is 403"
done
is "$(http_status GET "$URL")" 303 "signed out: sent to sign in"

# ---- the CSV ------------------------------------------------------------

# csv_check FILE ROWS: FILE parses as RFC 4180 CSV into a header and ROWS
# rows of 11 fields, every line ends CRLF; prints problems, nothing if none.
csv_check()
{
	python3 - "$1" "$2" <<'PY'
import csv, io, sys
raw = open(sys.argv[1], 'rb').read()
text = raw.decode('utf-8')
want = int(sys.argv[2])
rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
head = 'number,kind,issued,period_start,period_end,currency,net,vat,total,status,po_reference'
if not text.startswith(head + '\r\n'):
    print('header row: %r' % text[:120])
if len(rows) != want + 1:
    print('%d rows, want %d' % (len(rows) - 1, want))
for r in rows:
    if len(r) != 11:
        print('a row of %d fields: %r' % (len(r), r))
if not raw.endswith(b'\r\n') or raw.replace(b'\r\n', b'').count(b'\n') != 0:
    print('a line does not end with CRLF')
PY
}
n_month=$(q "SELECT count(*) FROM document WHERE $in_month")
http_req GET "$URL.csv?period=$month" -b "$jar"
is "$RESP_STATUS" 200 "the CSV of $month: 200"
is "$(resp_header Content-Type)" "text/csv; charset=utf-8" "Content-Type: text/csv; charset=utf-8"
is "$(resp_header Content-Disposition)" "attachment; filename=\"receipts-$month.csv\"" "named receipts-$month.csv"
is "$(csv_check "$RESP_BODY" "$n_month")" "" "header, $n_month rows of 11 fields, CRLF line ends"
is "$(sed -n 2p "$RESP_BODY" | cut -d, -f1,9)" "$num,$total" "the newest first, with its plain total"
http_req GET "$URL.csv?year=$year" -b "$jar"
is "$(resp_header Content-Disposition)" "attachment; filename=\"receipts-$year.csv\"" "a year: receipts-$year.csv"
is "$(csv_check "$RESP_BODY" "$(q "SELECT count(*) FROM document WHERE org_id = 1 AND strftime('%Y', issued_at, 'unixepoch') = '$year'")")" "" "every document of the year"
is "$(http_status GET "$URL.csv?period=2026-00" -b "$jar")" 400 "a malformed month: 400"
http_req GET "$URL.csv?period=2001-02" -b "$jar"
is "$(csv_check "$RESP_BODY" 0)" "" "an empty month: the header row alone"
# Globex's credit note: a negative amount stays a number.
cn=$(q "SELECT number || ' ' || strftime('%Y-%m', issued_at, 'unixepoch') FROM document WHERE org_id = 4 AND kind = 'credit_note' LIMIT 1")
if [ -n "$cn" ]; then
	http_req GET "$URL.csv?period=${cn#* }" -b "$ojar"
	like "$(resp_body)" "^${cn% *},Credit note,.*,-[0-9]+\\.[0-9]{2},Issued," "a credit note's negative total stays a number"
fi

# ---- the ZIP ------------------------------------------------------------

# zip_names FILE: the entries of a ZIP, one a line, sorted; each .pdf must
# be a PDF that qpdf accepts, each .xml well-formed to xmllint (else "BAD
# name" lines).
zip_names()
{
	python3 - "$1" "$TMP/unzip" <<'PY'
import os, subprocess, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
out = []
for i in z.infolist():
    data = z.read(i)
    xml = i.filename.endswith('.xml')
    p = os.path.join(sys.argv[2], 'entry.xml' if xml else 'entry.pdf')
    os.makedirs(sys.argv[2], exist_ok=True)
    open(p, 'wb').write(data)
    ok = (data.startswith(b'<?xml') if xml else data.startswith(b'%PDF-')) \
        and subprocess.run(['xmllint', '--noout', p] if xml else
        ['qpdf', '--check', p], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0
    out.append(i.filename if ok else 'BAD ' + i.filename)
print('\n'.join(sorted(out)))
PY
}
http_req GET "$URL.zip?period=$month" -b "$jar"
is "$RESP_STATUS" 200 "the ZIP of $month: 200"
is "$(resp_header Content-Type)" "application/zip" "Content-Type: application/zip"
is "$(resp_header Content-Disposition)" "attachment; filename=\"receipts-$month.zip\"" "named receipts-$month.zip"
cp "$RESP_BODY" "$TMP/a.zip"
is "$(zip_names "$TMP/a.zip")" "$(q "SELECT number || '.pdf' FROM document WHERE $in_month UNION ALL SELECT number || '.xml' FROM document WHERE $in_month ORDER BY 1")" \
    "exactly the month's NUMBER.pdf files, each a valid PDF, each with its NUMBER.xml"
unzip -p "$TMP/a.zip" "$num.pdf" >"$TMP/z.pdf" 2>/dev/null || true
if cmp -s "$TMP/z.pdf" "$TMP/a.pdf"; then
	ok "the ZIP's $num.pdf is the PDF the link gives"
else
	not_ok "the ZIP's $num.pdf is the PDF the link gives"
fi
http_req GET "$URL.zip?period=$month" -b "$jar"
if cmp -s "$RESP_BODY" "$TMP/a.zip"; then
	ok "a second ZIP is byte-identical"
else
	not_ok "a second ZIP is byte-identical"
fi
http_req GET "$URL.zip?period=2001-02" -b "$jar"
is "$RESP_STATUS" 404 "the ZIP of an empty month: 404"
like "$(resp_body)" 'no documents in this period' "says why"

# ---- more documents than a page -----------------------------------------

# The demo issues about one document a month per organization: too few for
# a second page.  Copy Acme's newest document (and its lines) 30 times,
# minutes apart, with numbers of their own, straight into the test's
# database (no ledger entries: these rows are only read).  Every third
# shares its issue time with the one before, so the keyset must break
# ties by id.  Two carry purchase-order references that need quoting.
sqlite3 "$DB" <<SQL
PRAGMA foreign_keys = OFF;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
INSERT INTO document (org_id, kind, number, series_year, seq, issued_at,
    period_start, period_end, currency, paper, seller_name, seller_address,
    seller_country, seller_vat, buyer_name, buyer_address, buyer_country,
    buyer_vat, po_reference, reverse_charge, tax_note, net_total, tax_total,
    total, corrects_id, entry_id)
SELECT org_id, kind, printf('TST-%s-%06d', '$year', i), 9999, i,
    issued_at + 60 * (i - i % 3), period_start, period_end, currency, paper,
    seller_name, seller_address, seller_country, seller_vat, buyer_name,
    buyer_address, buyer_country, buyer_vat,
    CASE i WHEN 1 THEN 'PO "7", rush' WHEN 2 THEN '=1+1' ELSE po_reference END,
    reverse_charge, tax_note, net_total, tax_total, total, NULL, 1000000 + i
FROM document, n WHERE number = '$num';
INSERT INTO document_line SELECT d.id, l.position, l.description,
    l.period_start, l.period_end, l.quantity, l.unit_price, l.amount,
    l.tax_rate_bp, l.tax_amount, l.subscription_id
FROM document d, document_line l
WHERE d.number LIKE 'TST-%' AND l.document_id = (SELECT id FROM document WHERE number = '$num');
SQL
in_year="org_id = 1 AND strftime('%Y', issued_at, 'unixepoch') = '$year'"
n_year=$(q "SELECT count(*) FROM document WHERE $in_year")
diag "$n_year documents in $year"
seen=
next="$URL?year=$year"
pages=0
while [ -n "$next" ] && [ "$pages" -lt 10 ]; do
	http_req GET "$next" -b "$jar"
	pages=$((pages + 1))
	[ "$RESP_STATUS" = 200 ] || break
	cp "$RESP_BODY" "$TMP/page$pages.html"
	seen=$seen$(numbers_of "$TMP/page$pages.html")$'\n'
	next=$(older_of "$TMP/page$pages.html")
	[ -z "$next" ] || next=$BASE$next
done
is "$pages" $(((n_year + 24) / 25)) "$n_year documents: $(((n_year + 24) / 25)) pages of 25"
is "$(numbers_of "$TMP/page1.html" | wc -l)" 25 "the first page holds 25"
like "$(older_of "$TMP/page1.html")" "^/billing/receipts\\?year=$year&before=[0-9]+$" "Older documents: keyset by before="
like "$(cat "$TMP/page2.html")" "href=\"/billing/receipts\\?year=$year\">Newest documents" "page 2 links back to the newest"
is "$(printf '%s' "$seen" | sed '/^$/d' | sort | uniq -d)" "" "no document on two pages"
is "$(printf '%s' "$seen" | sed '/^$/d')" \
    "$(q "SELECT number FROM document WHERE $in_year ORDER BY issued_at DESC, id DESC")" \
    "the pages together: every document of the year, newest first, once"
http_req GET "$URL?year=$year&before=abc" -b "$jar"
is "$(numbers_of "$RESP_BODY" | head -n 1)" "$(numbers_of "$TMP/page1.html" | head -n 1)" "a malformed before=: the first page"

n_month=$(q "SELECT count(*) FROM document WHERE $in_month")
http_req GET "$URL.csv?period=$month" -b "$jar"
cp "$RESP_BODY" "$TMP/b.csv"
is "$(csv_check "$TMP/b.csv" "$n_month")" "" "the CSV: $n_month rows now, all parsed"
like "$(cat "$TMP/b.csv")" ',"PO ""7"", rush"'$'\r''$' "a field with a comma and quotes is quoted, quotes doubled"
is "$(python3 -c '
import csv, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r[0] == sys.argv[2]:
        print(r[10])' "$TMP/b.csv" "TST-$year-000001")" 'PO "7", rush' "and reads back as it was"
like "$(cat "$TMP/b.csv")" "^TST-$year-000002,.*,\"'=1\\+1\""$'\r''$' "a formula is kept from running: '=1+1"
http_req GET "$URL.zip?period=$month" -b "$jar"
is "$(zip_names "$RESP_BODY")" "$(q "SELECT number || '.pdf' FROM document WHERE $in_month UNION ALL SELECT number || '.xml' FROM document WHERE $in_month ORDER BY 1")" \
    "the ZIP: all $n_month PDFs of the month now, each valid, and their e-invoices"

# ---- over 500 in one ZIP -------------------------------------------------

# 501 bare documents in January 2030 (no lines: only listed, never drawn).
sqlite3 "$DB" <<SQL
PRAGMA foreign_keys = OFF;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 501)
INSERT INTO document (org_id, kind, number, series_year, seq, issued_at,
    period_start, period_end, currency, paper, seller_name, seller_address,
    seller_country, seller_vat, buyer_name, buyer_address, buyer_country,
    buyer_vat, po_reference, reverse_charge, tax_note, net_total, tax_total,
    total, corrects_id, entry_id)
SELECT org_id, kind, printf('BLK-2030-%06d', i), 9998, i,
    strftime('%s', '2030-01-01') + i, period_start, period_end, currency,
    paper, seller_name, seller_address, seller_country, seller_vat,
    buyer_name, buyer_address, buyer_country, buyer_vat, po_reference,
    reverse_charge, tax_note, net_total, tax_total, total, NULL, 2000000 + i
FROM document, n WHERE number = '$num';
SQL
http_req GET "$URL.zip?period=2030-01" -b "$jar"
is "$RESP_STATUS" 422 "501 documents in one ZIP: 422"
like "$(resp_body)" 'more than 500 documents' "says why"
http_req GET "$URL.zip?year=2030" -b "$jar"
is "$RESP_STATUS" 422 "a year of them: 422"
like "$(resp_body)" 'one month at a time' "suggests a month"
http_req GET "$URL.csv?period=2030-01" -b "$jar"
is "$(csv_check "$RESP_BODY" 501)" "" "the CSV has no such limit: 501 rows"

done_testing
