#!/usr/bin/env bash
# The documents' chain of seals: every issued invoice and credit note is
# sealed in its issuing transaction by a SHA-256 chained to the seal
# before it in its series; the PDF and "invoice show" print it;
# "reckonctl verify" recomputes every seal from the stored documents and
# names the first that differs, also when the append-only triggers were
# dropped and a document was changed by hand (a buyer's name, a line, a
# seal rewritten to match, a document deleted); "chain head" prints each
# series' last seal, which a rewrite of the whole chain cannot keep; a
# ledger of documents issued before the chain is sealed by the next
# reckonctl run. No server: reckonctl on copies of a demo ledger.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
command -v pdftotext >/dev/null || bail "no pdftotext (apt-get install poppler-utils)"
D=$(mktemp -d "${TMPDIR:-/tmp}/reckon-chain.XXXXXX")
on_exit "rm -rf '$D'"
ctl() { local db=$1; shift; "$RECKONCTL" --db "$D/$db" "$@"; }
q1() { sqlite3 "$D/$1" "$2"; }

is "$(ctl demo.db demo --now 2026-11-15 >/dev/null 2>&1; echo $?)" 0 "a demo ledger"
n=$(q1 demo.db "SELECT count(*) FROM document")
is "$(q1 demo.db "SELECT count(*) FROM document_seal")" "$n" "each of its $n documents is sealed"
is "$(q1 demo.db "SELECT count(DISTINCT hash) FROM document_seal")" "$n" "each by its own seal"
out=$(ctl demo.db verify) && rc=0 || rc=$?
is "$rc" 0 "verify passes"
like "$out" "documents sealed: $n of $n" "and says every document is sealed"
like "$out" 'documents unlike their seal: 0' "none unlike its seal"

# The seal is printed where the document is.
num=$(q1 demo.db "SELECT number FROM document WHERE kind = 'invoice' ORDER BY id LIMIT 1 OFFSET 4")
seal=$(q1 demo.db "SELECT hash FROM document_seal JOIN document ON id = document_id WHERE number = '$num'")
like "$seal" '^[0-9a-f]{64}$' "$num has a SHA-256 seal"
like "$(ctl demo.db invoice show "$num")" "Seal \\(SHA-256, chained\\) $seal" "invoice show prints it"
ctl demo.db invoice pdf "$num" >"$D/doc.pdf"
like "$(pdftotext "$D/doc.pdf" - | tr -d '\n')" "$seal" "and the PDF"

# The head of each series; it moves with each document issued.
heads=$(ctl demo.db chain head)
is "$(wc -l <<<"$heads")" "$(q1 demo.db "SELECT count(DISTINCT kind || series_year) FROM document")" \
    "chain head: one line per series"
last=$(q1 demo.db "SELECT number FROM document WHERE kind = 'invoice' ORDER BY series_year DESC, seq DESC LIMIT 1")
like "$heads" "^invoice 20[0-9]{2} $last [0-9a-f]{64}$" "ending in the last invoice and its seal"
cp "$D/demo.db" "$D/base.db"
ctl demo.db renew --now 2027-01-15 >/dev/null 2>&1
heads2=$(ctl demo.db chain head)
isnt "$heads2" "$heads" "a renewal adds documents and a new head"
like "$heads2" "invoice 2027 INV-2027-[0-9]{6} [0-9a-f]{64}" "the new year's series has its head"
is "$(ctl demo.db verify >/dev/null; echo $?)" 0 "verify still passes"

# Tampering, each on a fresh copy, each with the triggers dropped.
tamper() {	# tamper NAME SQL: a copy of base.db with SQL applied
	cp "$D/base.db" "$D/$1.db"
	sqlite3 "$D/$1.db" "DROP TRIGGER document_no_update;
	    DROP TRIGGER document_no_delete; DROP TRIGGER document_line_no_update;
	    DROP TRIGGER document_line_no_delete;
	    DROP TRIGGER document_seal_no_update; DROP TRIGGER document_seal_no_delete;
	    $2"
}
victim=$(q1 base.db "SELECT number FROM document WHERE kind = 'invoice' AND series_year = 2026 ORDER BY seq LIMIT 1 OFFSET 3")
next=$(q1 base.db "SELECT n.number FROM document d JOIN document n ON n.kind = d.kind AND n.series_year = d.series_year AND n.seq = d.seq + 1 WHERE d.number = '$victim'")

tamper name "UPDATE document SET buyer_name = buyer_name || ' Ltd' WHERE number = '$victim'"
out=$(ctl name.db verify) && rc=0 || rc=$?
is "$rc" 1 "a buyer's name changed by hand: verify fails"
like "$out" "first document unlike its seal: $victim" "and names $victim"
like "$out" 'documents unlike their seal: 1' "only it"

tamper line "UPDATE document_line SET amount = amount + 1 WHERE position = 0 AND document_id = (SELECT id FROM document WHERE number = '$victim')"
out=$(ctl line.db verify) && rc=0 || rc=$?
is "$rc" 1 "a line's amount changed: verify fails"
like "$out" "first document unlike its seal: $victim" "naming $victim"

tamper vat "UPDATE document SET buyer_vat = 'DE271828180' WHERE number = '$victim'"
like "$(ctl vat.db verify || true)" "first document unlike its seal: $victim" "a buyer VAT number added: named"

# Rewriting the changed document's seal to match moves the break to the
# next document; rewriting every seal after it changes the head.
tamper reseal "UPDATE document SET buyer_name = 'Someone Else' WHERE number = '$victim'"
reseal() {	# reseal DB NUMBER: the seal NUMBER's content now hashes to
	local db=$1 number=$2 id prev
	id=$(q1 "$db" "SELECT id FROM document WHERE number = '$number'")
	# chain.c hashes what invoice_get reads; a forger has the same code:
	# take the seal of a copy of the document sealed afresh.
	cp "$D/$db" "$D/forge.db"
	sqlite3 "$D/forge.db" "DELETE FROM document_seal WHERE document_id >= $id"
	ctl forge.db migrate 2>/dev/null
	q1 "$db" "UPDATE document_seal SET hash = '$(q1 forge.db "SELECT hash FROM document_seal WHERE document_id = $id")' WHERE document_id = $id"
}
reseal reseal.db "$victim"
out=$(ctl reseal.db verify) && rc=0 || rc=$?
is "$rc" 1 "the changed document's seal rewritten: verify still fails"
like "$out" "first document unlike its seal: $next" "now naming the document after it, $next"

cp "$D/base.db" "$D/forged.db"
sqlite3 "$D/forged.db" "DROP TRIGGER document_no_update; DROP TRIGGER document_seal_no_delete;
    UPDATE document SET buyer_name = 'Someone Else' WHERE number = '$victim';
    DELETE FROM document_seal WHERE document_id >= (SELECT id FROM document WHERE number = '$victim')"
is "$(ctl forged.db migrate 2>&1)" "reckonctl: sealed $(( n - $(q1 base.db "SELECT count(*) FROM document WHERE id < (SELECT id FROM document WHERE number = '$victim')") )) documents issued before the chain" \
    "a forger who reseals everything after the change (as if never sealed)"
is "$(ctl forged.db verify >/dev/null; echo $?)" 0 "gets a chain that verifies"
isnt "$(ctl forged.db chain head | grep "^invoice 2026 ")" "$(grep "^invoice 2026 " <<<"$heads")" \
    "but not the head the seller published"

tamper gone "DELETE FROM document_line WHERE document_id = (SELECT id FROM document WHERE number = '$victim');
    DELETE FROM document_seal WHERE document_id = (SELECT id FROM document WHERE number = '$victim');
    DELETE FROM document WHERE number = '$victim'"
out=$(ctl gone.db verify) && rc=0 || rc=$?
is "$rc" 1 "a document deleted: verify fails"
like "$out" "first document unlike its seal: $next" "naming the one after the hole, $next"

tamper unsealed "DELETE FROM document_seal WHERE document_id = (SELECT id FROM document WHERE number = '$victim')"
out=$(ctl unsealed.db verify) && rc=0 || rc=$?
is "$rc" 1 "a seal deleted: verify fails"
like "$out" "$victim: it has no seal" "saying which document has none"

# The triggers keep seals as written.
cp "$D/base.db" "$D/t.db"
like "$(sqlite3 "$D/t.db" "UPDATE document_seal SET hash = replace(hash, 'a', 'b')" 2>&1 || true)" \
    'document seals are immutable' "a seal cannot be updated"
like "$(sqlite3 "$D/t.db" "DELETE FROM document_seal" 2>&1 || true)" \
    'document seals are immutable' "nor deleted"

# A ledger from before the chain: every document sealed by the next run,
# in series order, to the same seals (the seal depends on content alone).
cp "$D/base.db" "$D/old.db"
sqlite3 "$D/old.db" "DROP TRIGGER document_seal_no_delete; DELETE FROM document_seal"
out=$(ctl old.db verify) && rc=0 || rc=$?
is "$rc" 1 "documents without seals do not verify"
like "$out" "documents sealed: 0 of $n" "and are counted"
is "$(ctl old.db migrate 2>&1)" "reckonctl: sealed $n documents issued before the chain" \
    "reckonctl migrate seals them"
is "$(ctl old.db migrate 2>&1)" "" "once"
is "$(ctl old.db chain head)" "$heads" "to the very seals of the ledger sealed as it went"
is "$(ctl old.db verify >/dev/null; echo $?)" 0 "and verify passes"

done_testing
