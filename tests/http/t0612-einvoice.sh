#!/usr/bin/env bash
# E-invoices: every document of the demo downloads as UBL XML at
# /billing/receipts/NUMBER.xml (the same bytes as "reckonctl invoice
# xml"), well-formed to xmllint, XRechnung between German parties and
# Peppol BIS otherwise, with the reverse charge (AE) and supplies outside
# EU VAT (O) stated as such; its totals are those of the document's
# journal entry; the receipts page links it; another organization's
# number is 404 as if it did not exist. (The business rules themselves:
# tests/unit/t_ubl.c.)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
command -v xmllint >/dev/null || bail "no xmllint (apt-get install libxml2-utils)"
stack_start
DB=$RECKON_HOME/reckon.db
q() { sqlite3 "$DB" "$1"; }
TMP=$(mktemp -d "${TMP:-/tmp}/reckon-ubl.XXXXXX")
on_exit "rm -rf '$TMP'"

# Every document, through reckonctl: well-formed, totals as the ledger's.
n=0 bad=0
while IFS='|' read -r num entry; do
	f=$TMP/$num.xml
	"$RECKONCTL" --db "$DB" invoice xml "$num" >"$f" || { bad=$((bad + 1)); continue; }
	xmllint --noout "$f" 2>/dev/null || { diag "$num: not well-formed"; bad=$((bad + 1)); continue; }
	pay=$(xmllint --xpath 'string(//*[local-name()="LegalMonetaryTotal"]/*[local-name()="PayableAmount"])' "$f")
	tax=$(xmllint --xpath 'string(/*/*[local-name()="TaxTotal"]/*[local-name()="TaxAmount"])' "$f")
	# The entry: receivable and credit against revenue, unbilled and tax.
	want=$(q "SELECT printf('%.2f|%.2f', abs(sum(amount)) / 100.0,
	    abs(coalesce(sum(CASE WHEN account = 'tax' THEN amount END), 0)) / 100.0)
	    FROM journal_line WHERE entry_id = $entry AND account IN ('revenue', 'unbilled', 'tax')")
	if [ "$pay|$tax" != "$want" ]; then
		diag "$num: XML $pay|$tax, ledger $want"
		bad=$((bad + 1))
	fi
	n=$((n + 1))
done < <(q "SELECT number, entry_id FROM document ORDER BY id")
all=$(q "SELECT count(*) FROM document")
is "$n" "$all" "reckonctl invoice xml writes each of the $all documents"
is "$bad" 0 "each well-formed, its payable amount and VAT those of its journal entry"

# The three cases, as a tax office reads them.
de=$(q "SELECT number FROM document WHERE kind = 'invoice' AND buyer_country = 'DE' ORDER BY id DESC LIMIT 1")
nl=$(q "SELECT number FROM document WHERE kind = 'invoice' AND reverse_charge = 1 ORDER BY id DESC LIMIT 1")
us=$(q "SELECT number FROM document WHERE kind = 'invoice' AND buyer_country = 'US' ORDER BY id DESC LIMIT 1")
cn=$(q "SELECT number FROM document WHERE kind = 'credit_note' ORDER BY id DESC LIMIT 1")
cust='string(/*/*[local-name()="CustomizationID"])'
cat_of() { xmllint --xpath 'string(//*[local-name()="TaxSubtotal"]/*[local-name()="TaxCategory"]/*[local-name()="ID"])' "$TMP/$1.xml"; }
like "$(xmllint --xpath "$cust" "$TMP/$de.xml")" 'xrechnung_3\.0$' "$de (German buyer): XRechnung 3.0"
is "$(cat_of "$de")" S "at the standard rate (S)"
like "$(xmllint --xpath "$cust" "$TMP/$nl.xml")" 'peppol\.eu:2017:poacc:billing:3\.0$' "$nl (Dutch business): Peppol BIS 3.0"
is "$(cat_of "$nl")" AE "the reverse charge (AE)"
is "$(xmllint --xpath 'string(//*[local-name()="TaxExemptionReasonCode"])' "$TMP/$nl.xml")" VATEX-EU-AE "with its exemption reason"
is "$(cat_of "$us")" O "$us (US buyer): outside EU VAT (O)"
is "$(xmllint --xpath 'count(//*[local-name()="PartyTaxScheme"])' "$TMP/$us.xml")" 0 "and no VAT identifier (BR-O-02)"
is "$(xmllint --xpath 'local-name(/*)' "$TMP/$cn.xml")" CreditNote "$cn is a UBL CreditNote"
is "$(xmllint --xpath 'string(//*[local-name()="InvoiceDocumentReference"]/*[local-name()="ID"])' "$TMP/$cn.xml")" \
    "$(q "SELECT o.number FROM document c JOIN document o ON o.id = c.corrects_id WHERE c.number = '$cn'")" \
    "naming the invoice it corrects"
seal=$(q "SELECT hash FROM document_seal JOIN document ON id = document_id WHERE number = '$de'")
like "$(xmllint --xpath 'string(/*/*[local-name()="Note"])' "$TMP/$de.xml")" "Seal \\(SHA-256, chained\\): $seal" "the XML prints the seal"

# The buyer reference (BT-10) of the billing details goes on the next
# document, as it was at issue; documents issued before keep theirs.
q "UPDATE organization SET buyer_reference = '04011000-1234512345-06' WHERE id = 2"
before=$(xmllint --xpath 'string(/*/*[local-name()="BuyerReference"])' "$TMP/$de.xml")
"$RECKONCTL" --db "$DB" renew --now "$(date -u -d "$(q "SELECT date(max(period_end), 'unixepoch') FROM subscription WHERE org_id = 2")" +%Y-%m-%d)" >/dev/null 2>&1
de2=$(q "SELECT number FROM document WHERE kind = 'invoice' AND org_id = 2 ORDER BY id DESC LIMIT 1")
isnt "$de2" "$de" "a renewal invoices Acme Labs again: $de2"
"$RECKONCTL" --db "$DB" invoice xml "$de2" >"$TMP/$de2.xml"
is "$(xmllint --xpath 'string(/*/*[local-name()="BuyerReference"])' "$TMP/$de2.xml")" \
    04011000-1234512345-06 "its e-invoice carries the Leitweg-ID as BuyerReference"
is "$("$RECKONCTL" --db "$DB" invoice xml "$de" | xmllint --xpath 'string(/*/*[local-name()="BuyerReference"])' -)" \
    "$before" "the earlier one is as it was issued"
is "$("$RECKONCTL" --db "$DB" verify >/dev/null; echo $?)" 0 "verify passes"

# Through the portal: Acme's accountant.
is "$(login accountant@demo.test)" 303 "the accountant signs in"
jar=$(jar_of accountant@demo.test)
mine=$(q "SELECT number FROM document WHERE org_id = 1 AND kind = 'invoice' ORDER BY id DESC LIMIT 1")
http_req GET "$BASE/billing/receipts?year=${mine:4:4}" -b "$jar"
like "$(resp_body)" "href=\"/billing/receipts/$mine\\.xml\">E-invoice" "the receipts page links $mine's e-invoice"
http_req GET "$BASE/billing/receipts/$mine.xml" -b "$jar"
is "$RESP_STATUS" 200 "GET /billing/receipts/$mine.xml: 200"
like "$(resp_header Content-Type)" '^application/xml' "as application/xml"
is "$(resp_header Content-Disposition)" "attachment; filename=\"$mine.xml\"" "named $mine.xml"
"$RECKONCTL" --db "$DB" invoice xml "$mine" >"$TMP/mine.xml"
if cmp -s "$RESP_BODY" "$TMP/mine.xml"; then
	ok "the same bytes as reckonctl invoice xml"
else
	not_ok "the same bytes as reckonctl invoice xml"
fi
is "$(http_status GET "$BASE/billing/receipts/$de.xml" -b "$jar")" 404 "another organization's document: 404"
is "$(http_status GET "$BASE/billing/receipts/INV-1999-000001.xml" -b "$jar")" 404 "no such document: 404"
is "$(http_status GET "$BASE/billing/receipts/inv%3Cx%3E.xml" -b "$jar")" 404 "not a number: 404"
is "$(login member@demo.test)" 303 "a member signs in"
is "$(http_status GET "$BASE/billing/receipts/$mine.xml" -b "$(jar_of member@demo.test)")" 403 "a member may not download it"

done_testing
