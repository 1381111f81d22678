#!/usr/bin/env bash
# reckonctl renew is idempotent and crash-safe: killed with SIGKILL at
# random moments and run again, every due period is invoiced once and
# charged once, and reckonctl verify passes.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

RECKON_HOME=$(mktemp -d "${TMPDIR:-/tmp}/reckon-crash.XXXXXX")
trap 'rm -rf "$RECKON_HOME"' EXIT
DB=$RECKON_HOME/reckon.db
CTL=$RECKONCTL
"$CTL" --db "$DB" demo --now 2026-11-15 >/dev/null 2>&1 ||
    bail "reckonctl demo failed"

# 4,000 more customers, each with a card and a monthly subscription of
# 3 temperature sensors ending on Dec 1st.
N=4000
sqlite3 "$DB" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO organization (name, currency, country, account_email, created_at,
    invoice_email, billing_name, address_line1, city, postal_code)
SELECT 'Load ' || i, 'USD', 'US', 'load' || i || '@x.test', 0,
    'load' || i || '@x.test', 'Load ' || i, '1 Main St', 'Town', '12345'
FROM n;
INSERT INTO payment_method (org_id, kind, processor_ref, brand, last4,
    exp_month, exp_year, is_default, created_at)
SELECT id, 'card', 'pm_sbx_visa_load' || id, 'Visa', '4242', 12, 2030, 1, 0
FROM organization WHERE name LIKE 'Load %';
INSERT INTO subscription (org_id, plan_id, quantity, period_start, period_end,
    status, created_at, anchor)
SELECT o.id, (SELECT p.id FROM plan p JOIN product pr ON pr.id = p.product_id
    WHERE pr.code = 'temp' AND p.period = 'monthly' AND p.currency = 'USD'),
    3, strftime('%s', '2026-11-01'), strftime('%s', '2026-12-01'), 'active',
    0, strftime('%s', '2026-11-01')
FROM organization o WHERE o.name LIKE 'Load %';
SQL
due=$(sqlite3 "$DB" "SELECT count(*) FROM subscription WHERE status = 'active'
    AND period_end <= strftime('%s', '2026-12-01T00:00:01')")
diag "$due subscriptions due"
dates=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT DISTINCT org_id, period_end
    FROM subscription WHERE status = 'active'
    AND period_end <= strftime('%s', '2026-12-01T00:00:01'))")
diag "$dates renewal dates of an organization due"

NOW=2026-12-01T00:00:01Z
kills=0
for delay in 0.05 0.1 0.2 0.3 0.15 0.4; do
	"$CTL" --db "$DB" renew --now "$NOW" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -KILL "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null || true
done
diag "killed reckonctl renew $kills times mid-run"
isnt "$kills" 0 "renew was interrupted with SIGKILL ($kills of 6 runs were still working)"
"$CTL" --db "$DB" renew --now "$NOW" >"$RECKON_HOME/last.out" 2>&1 && rc=0 || rc=$?
is "$rc" 0 "a last renew completes"
out=$("$CTL" --db "$DB" renew --now "$NOW" 2>&1)
like "$out" '^renewed 0, expired 0, charged 0' "running it again does nothing"

is "$(sqlite3 "$DB" "SELECT count(*) FROM subscription WHERE status = 'active'
    AND period_end <= strftime('%s', '2026-12-01T00:00:01')")" 0 \
    "no subscription is left due"
is "$(sqlite3 "$DB" "SELECT count(*) FROM journal_entry WHERE kind = 'invoice'
    AND idem_key LIKE 'renew:%'")" "$dates" \
    "each organization's renewal date invoiced exactly once"
is "$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT document_id FROM charge
    GROUP BY document_id HAVING count(*) > 1)")" 0 "at most one charge per invoice"
is "$(sqlite3 "$DB" "SELECT count(*) FROM charge WHERE status <> 'succeeded'")" 0 \
    "every charge succeeded"
is "$(sqlite3 "$DB" "SELECT count(*) FROM charge c WHERE (SELECT count(*) FROM
    receipt r JOIN journal_entry e ON e.id = r.entry_id WHERE
    e.idem_key LIKE c.idem_key || ':%') <> 1")" 0 "each charge has exactly one receipt"
is "$(sqlite3 "$RECKON_HOME/reckon.db.sandbox" "SELECT count(*) FROM sandbox_charge
    WHERE result = 0")" "$(sqlite3 "$DB" "SELECT count(*) FROM charge")" \
    "the processor charged each exactly once"
is "$(sqlite3 "$DB" "SELECT count(*) FROM document d WHERE d.kind = 'invoice'
    AND d.total <> (SELECT coalesce(sum(amount), 0) FROM receipt
    WHERE document_id = d.id)")" 0 "every invoice is paid in full, no more"
"$CTL" --db "$DB" verify >"$RECKON_HOME/verify.out" 2>&1 && rc=0 || rc=$?
is "$rc" 0 "reckonctl verify passes"

done_testing
