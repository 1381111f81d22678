#!/bin/sh
# Print the SQL that grows a fresh demo ledger (reckonctl demo) into the
# benchmark's large ledger, in one transaction, through the schema's own
# triggers (account_balance is kept by journal_line's trigger; document
# numbers advance one by one through doc_series, so doc_series_forward
# holds):
#
#	tests/bench/ledger.sh ORGS DOCS BIG_LINES SMALL_LINES RENEW NOW | sqlite3 DB
#
#   ORGS         organizations in all (the demo's 4 included)
#   DOCS         invoices to add; each is posted (3 lines with VAT, else
#                2) and 9 in 10 are paid (2 more lines)
#   BIG_LINES    journal lines of organization 6, "Bench Large Inc."
#   SMALL_LINES  journal lines of organization 5, "Bench Small Inc."
#   RENEW        monthly subscriptions of the generated organizations
#                (7 and up) whose period ended at the start of NOW's
#                month: due
#   NOW          UTC seconds (the demo's "now")
#
# Organizations 5 and 6 are alike in everything but the size of their
# ledger: the same details, card, three subscriptions, ten sensors and
# BENCH_DOCS (30) invoices of this month each; balanced adjustments over
# the past two years bring their journal lines to SMALL_LINES and
# BIG_LINES.  Users for them are added with reckonctl user add.
# Generated organizations (7 and up) take their names, countries and
# currencies from a pool of Latin, Greek, Cyrillic, Japanese, Chinese
# and Korean names; each has billing details and a default sandbox Visa
# card, and gets the other invoices round-robin.  Document numbers
# continue the current year's invoice series; the documents are issued
# between the demo's last one and NOW, in number order.
set -eu

ORGS=$1 DOCS=$2 BIG=$3 SMALL=$4 RENEW=$5 NOW=$6

cat <<EOF
PRAGMA foreign_keys = ON;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY;
BEGIN IMMEDIATE;

CREATE TEMP TABLE par AS SELECT
	$ORGS AS orgs, $DOCS AS docs, $BIG AS big, $SMALL AS small,
	$RENEW AS renew, $NOW AS now,
	CAST(strftime('%s', $NOW, 'unixepoch', 'start of month') AS INTEGER)
	    AS ms,
	CAST(strftime('%s', $NOW, 'unixepoch', 'start of month', '-1 month')
	    AS INTEGER) AS prev_ms,
	CAST(strftime('%Y', $NOW, 'unixepoch') AS INTEGER) AS year,
	max(6, $ORGS) - 6 AS gen,
	min(30, $DOCS / 2) AS bench_docs;

-- The pool: name, country, currency, city, street, postal code, region,
-- VAT number, and the VAT the seller (DE) charges: rate, reverse charge,
-- note (as invoice_tax_rule decides).
CREATE TEMP TABLE pool (i INTEGER PRIMARY KEY, name, country, country_name,
    currency, city, a1, pc, region, vat, rate_bp, rev, note);
INSERT INTO pool VALUES
 (0, 'Müller Sensorik GmbH', 'DE', 'Germany', 'EUR', 'München',
  'Leopoldstraße 12', '80802', '', 'DE811234567', 1900, 0, ''),
 (1, 'Acme Sensors Inc.', 'US', 'United States', 'USD', 'Austin',
  '100 Congress Avenue', '78701', 'TX', '', 0, 0,
  'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).'),
 (2, 'Ωμέγα Αισθητήρες Α.Ε.', 'GR', 'Greece', 'EUR', 'Αθήνα',
  'Οδός Σταδίου 5', '105 64', '', 'EL094259216', 0, 1,
  'Reverse charge: VAT is due from the customer (Article 196 of Council Directive 2006/112/EC).'),
 (3, 'ООО «Датчик-Сервис»', 'RU', 'Russian Federation', 'USD', 'Москва',
  'ул. Тверская, д. 7', '125009', '', '', 0, 0,
  'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).'),
 (4, '株式会社センサー技研', 'JP', 'Japan', 'USD', '東京都千代田区',
  '丸の内1丁目1-1', '100-0005', '', '', 0, 0,
  'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).'),
 (5, 'Brightwell & Sons Ltd', 'GB', 'United Kingdom', 'GBP', 'Leeds',
  '12 Park Row', 'LS1 5JL', '', 'GB123456782', 0, 0,
  'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).'),
 (6, 'Łódź Pomiary Sp. z o.o.', 'PL', 'Poland', 'EUR', 'Łódź',
  'ul. Piotrkowska 104', '90-926', '', '', 2300, 0,
  'VAT at the rate of the customer''s country (EU One-Stop Shop).'),
 (7, '深圳传感科技有限公司', 'CN', 'China', 'USD', '深圳市',
  '南山区科技园路1号', '518057', '', '', 0, 0,
  'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).'),
 (8, 'Société Générale des Capteurs SARL', 'FR', 'France', 'EUR', 'Lyon',
  '14 rue de la République', '69002', '', 'FR40303265045', 0, 1,
  'Reverse charge: VAT is due from the customer (Article 196 of Council Directive 2006/112/EC).'),
 (9, '서울센서 주식회사', 'KR', 'South Korea', 'USD', '서울특별시',
  '세종대로 110', '04524', '', '', 0, 0,
  'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).');

-- Organizations 5 and 6: alike but for their ledgers.
INSERT INTO organization (id, parent_id, name, currency, country,
    account_email, created_at, invoice_email, billing_name, address_line1,
    city, postal_code, region, vat_number, po_reference)
SELECT 5 + i, NULL, 'Bench ' || w || ' Inc.', 'USD', 'US',
    'billing@' || lower(w) || '.bench.test', prev_ms - 86400 * 800,
    'billing@' || lower(w) || '.bench.test', 'Bench ' || w || ' Inc.',
    '1 Market Street', 'San Francisco', '94105', 'CA', '', 'PO-4711'
FROM par, (SELECT 0 AS i, 'Small' AS w UNION ALL SELECT 1, 'Large');
INSERT INTO subscription (org_id, plan_id, quantity, period_start,
    period_end, auto_renew, status, created_at, anchor)
SELECT o, pl.id, q, par.ms, CAST(strftime('%s', par.now, 'unixepoch',
    'start of month', '+' || m || ' month') AS INTEGER), 1, 'active', par.ms,
    par.ms
FROM par, (SELECT 5 AS o UNION ALL SELECT 6),
    (SELECT 1 AS pr, 'monthly' AS per, 12 AS q, 1 AS m UNION ALL
     SELECT 2, 'monthly', 8, 1 UNION ALL SELECT 3, 'annual', 5, 12) x
    JOIN plan pl ON pl.product_id = x.pr AND pl.period = x.per
	AND pl.currency = 'USD';
WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < 10)
INSERT INTO sensor (org_id, ext_id, product_id, deployed_at)
SELECT o, 'temp-bench-' || j, 1, (SELECT prev_ms FROM par) + j * 3600
FROM n, (SELECT 5 AS o UNION ALL SELECT 6);

-- Organizations 7 .. ORGS.
WITH RECURSIVE n(j) AS (SELECT 7 UNION ALL SELECT j + 1 FROM n, par
    WHERE j < par.orgs)
INSERT INTO organization (id, parent_id, name, currency, country,
    account_email, created_at, invoice_email, billing_name, address_line1,
    city, postal_code, region, vat_number)
SELECT j, NULL, p.name || ' ' || j, p.currency, p.country,
    'billing' || j || '@org' || j || '.test', par.prev_ms - 86400 * 400,
    'billing' || j || '@org' || j || '.test', p.name || ' ' || j, p.a1,
    p.city, p.pc, p.region, p.vat
FROM n, par JOIN pool p ON p.i = n.j % 10;

INSERT INTO payment_method (org_id, kind, processor_ref, brand, last4,
    exp_month, exp_year, is_default, created_at)
SELECT id, 'card', printf('pm_sbx_visa_%012x', id), 'Visa', '4242', 12,
    2030, 1, created_at FROM organization WHERE id >= 5;

-- The documents: org, issue time, amounts, ids.
CREATE TEMP TABLE d AS
WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k, par
    WHERE k < par.docs),
 base AS (SELECT
    (SELECT coalesce(max(id), 0) FROM main.journal_entry) AS e0,
    (SELECT coalesce(max(id), 0) FROM main.document) AS d0,
    (SELECT coalesce(max(issued_at), 0) FROM main.document) AS t0,
    (SELECT coalesce((SELECT last FROM main.doc_series WHERE kind = 'invoice'
	AND year = par.year), 0)) AS s0
    FROM par)
SELECT k.k AS k,
    CASE WHEN k.k > par.docs - 2 * par.bench_docs OR par.gen = 0
	THEN 5 + k.k % 2 ELSE 7 + (k.k - 1) % par.gen END AS org,
    base.e0 + 2 * k.k - 1 AS inv_entry,
    base.e0 + 2 * k.k AS pay_entry,
    base.d0 + k.k AS doc,
    base.s0 + k.k AS seq,
    max(base.t0 + 60, par.now - 86400 * 21) + (k.k - 1) *
	(par.now - 60 - max(base.t0 + 60, par.now - 86400 * 21)) / par.docs
	AS issued,
    1 + k.k % 20 AS qty,
    k.k % 10 <> 0 AS paid
FROM k, par, base;
UPDATE d SET issued = (SELECT now - 1 FROM par) WHERE issued >= (SELECT now FROM par);

CREATE TEMP TABLE dv AS
SELECT d.*, o.currency AS cur, o.billing_name AS buyer, o.country AS country,
    o.vat_number AS vat,
    o.address_line1 || char(10) || o.postal_code ||
	CASE WHEN o.postal_code <> '' THEN ' ' ELSE '' END || o.city ||
	CASE WHEN o.region <> '' THEN ', ' || o.region ELSE '' END ||
	char(10) || coalesce(p.country_name, CASE o.country
	WHEN 'US' THEN 'United States' WHEN 'GB' THEN 'United Kingdom'
	ELSE o.country END) AS addr,
    coalesce(p.rate_bp, CASE o.country WHEN 'DE' THEN 1900 ELSE 0 END)
	AS rate,
    coalesce(p.rev, 0) AS rev,
    coalesce(p.note, CASE o.country WHEN 'DE' THEN '' ELSE
	'Not subject to EU VAT: the place of supply is outside the EU (Article 44 of Council Directive 2006/112/EC).'
	END) AS note,
    o.po_reference AS po,
    d.qty * 500 AS net
FROM d JOIN organization o ON o.id = d.org
    LEFT JOIN pool p ON d.org >= 7 AND p.i = d.org % 10;
ALTER TABLE dv ADD COLUMN tax INTEGER;
ALTER TABLE dv ADD COLUMN total INTEGER;
UPDATE dv SET tax = (net * rate + 5000) / 10000;
UPDATE dv SET total = net + tax;

INSERT INTO journal_entry (id, org_id, idem_key, kind, memo, currency,
    posted_at)
SELECT inv_entry, org, 'bench:invoice:' || k, 'invoice',
    printf('INV-%d-%06d', (SELECT year FROM par), seq), cur, issued FROM dv;
INSERT INTO journal_line (entry_id, org_id, account, amount)
SELECT inv_entry, org, 'receivable', total FROM dv
UNION ALL SELECT inv_entry, org, 'revenue', -net FROM dv
UNION ALL SELECT inv_entry, org, 'tax', -tax FROM dv WHERE tax > 0
ORDER BY 1;
INSERT INTO journal_entry (id, org_id, idem_key, kind, memo, currency,
    posted_at)
SELECT pay_entry, org, 'bench:payment:' || k, 'payment', 'Visa ending 4242',
    cur, issued + 3600 FROM dv WHERE paid;
INSERT INTO journal_line (entry_id, org_id, account, amount)
SELECT pay_entry, org, 'cash', total FROM dv WHERE paid
UNION ALL SELECT pay_entry, org, 'receivable', -total FROM dv WHERE paid
ORDER BY 1;

-- Numbers one by one, so that doc_series_forward holds.
INSERT OR IGNORE INTO doc_series (kind, year, last)
SELECT 'invoice', year, 1 FROM par WHERE docs > 0 AND NOT EXISTS
    (SELECT 1 FROM doc_series WHERE kind = 'invoice' AND year = par.year);
CREATE TEMP TABLE bump (x);
CREATE TEMP TRIGGER bump_series AFTER INSERT ON bump BEGIN
	UPDATE doc_series SET last = last + 1
	WHERE kind = 'invoice' AND year = (SELECT year FROM par);
END;
INSERT INTO bump SELECT k FROM dv WHERE seq > (SELECT last FROM doc_series
    WHERE kind = 'invoice' AND year = (SELECT year FROM par));

INSERT INTO document (id, org_id, kind, number, series_year, seq, issued_at,
    period_start, period_end, currency, paper, seller_name, seller_address,
    seller_country, seller_vat, buyer_name, buyer_address, buyer_country,
    buyer_vat, po_reference, reverse_charge, tax_note, net_total, tax_total,
    total, corrects_id, entry_id)
SELECT dv.doc, dv.org, 'invoice', printf('INV-%d-%06d', par.year, dv.seq),
    par.year, dv.seq, dv.issued, dv.issued, dv.issued + 30 * 86400, dv.cur,
    s.paper, s.name, s.address, s.country, s.vat_number, dv.buyer, dv.addr,
    dv.country, dv.vat, dv.po, dv.rev, dv.note, dv.net, dv.tax, dv.total,
    NULL, dv.inv_entry
FROM dv, par, seller s ORDER BY dv.doc;
INSERT INTO document_line (document_id, position, description, period_start,
    period_end, quantity, unit_price, amount, tax_rate_bp, tax_amount)
SELECT doc, 0, 'Temperature sensor, monthly', issued, issued + 30 * 86400,
    qty, 500, net, rate, tax FROM dv;
INSERT INTO receipt (document_id, org_id, paid_at, amount, method, entry_id)
SELECT doc, org, issued + 3600, total, 'Visa ending 4242', pay_entry
FROM dv WHERE paid ORDER BY doc;

-- Balanced adjustments up to the lines wanted for organizations 6 and 5:
-- two lines each (one of three if the count is odd).
CREATE TEMP TABLE adj AS
SELECT 6 AS org, (SELECT big FROM par) - (SELECT count(*) FROM journal_line
    WHERE org_id = 6) AS need
UNION ALL SELECT 5, (SELECT small FROM par) - (SELECT count(*) FROM
    journal_line WHERE org_id = 5);
CREATE TEMP TABLE ae AS
WITH RECURSIVE j(org, j, n) AS (
	SELECT org, 1, need / 2 FROM adj WHERE need >= 2
	UNION ALL SELECT org, j + 1, n FROM j WHERE j < n)
SELECT org, j, n, (SELECT max(id) FROM journal_entry) +
    row_number() OVER (ORDER BY org, j) AS id,
    100 + j % 900 AS a,
    (SELECT need FROM adj WHERE adj.org = j.org) % 2 = 1 AND j = n AS odd
FROM j;
INSERT INTO journal_entry (id, org_id, idem_key, kind, memo, currency,
    posted_at)
SELECT ae.id, ae.org, 'bench:adjustment:' || ae.org || ':' || ae.j,
    'adjustment', 'Adjustment', o.currency,
    (SELECT now FROM par) - 86400 * 700 + ae.j * (86400 * 600 / ae.n)
FROM ae JOIN organization o ON o.id = ae.org;
INSERT INTO journal_line (entry_id, org_id, account, amount)
SELECT id, org, CASE WHEN j % 2 = 0 THEN 'cash' ELSE 'receivable' END,
    CASE WHEN odd THEN 2 * a ELSE a END FROM ae
UNION ALL SELECT id, org, CASE WHEN j % 2 = 0 THEN 'receivable' ELSE
    'revenue' END, -a FROM ae
UNION ALL SELECT id, org, CASE WHEN j % 2 = 0 THEN 'revenue' ELSE 'cash'
    END, -a FROM ae WHERE odd
ORDER BY 1;

-- Subscriptions due for renewal at NOW.
WITH RECURSIVE r(r) AS (SELECT 1 UNION ALL SELECT r + 1 FROM r, par
    WHERE r < par.renew AND par.gen > 0)
INSERT INTO subscription (org_id, plan_id, quantity, period_start,
    period_end, auto_renew, status, created_at, anchor)
SELECT o.id, pl.id, 1 + r.r % 10, par.prev_ms, par.ms, 1, 'active',
    par.prev_ms, par.prev_ms
FROM r, par
    JOIN organization o ON o.id = 7 + (r.r - 1) % par.gen
    JOIN plan pl ON pl.product_id = 1 + ((r.r - 1) / par.gen) % 5
	AND pl.period = 'monthly' AND pl.currency = o.currency
WHERE par.gen > 0;

COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);

EOF
