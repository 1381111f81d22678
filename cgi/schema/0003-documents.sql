-- 0003-documents.sql: issued invoices and credit notes, numbered without
-- gaps per kind and year; their lines; receipts of payments.  Nothing
-- issued is ever changed: a mistake is corrected by a credit note.

ALTER TABLE seller ADD COLUMN paper TEXT NOT NULL DEFAULT 'A4'
    CHECK (paper IN ('A4', 'Letter'));
ALTER TABLE seller ADD COLUMN invoice_prefix TEXT NOT NULL DEFAULT 'INV';
ALTER TABLE seller ADD COLUMN credit_prefix TEXT NOT NULL DEFAULT 'CN';

-- The last number issued per kind and year: incremented in the issuing
-- transaction, so a transaction that fails leaves no hole.
CREATE TABLE doc_series (
	kind		TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
	year		INTEGER NOT NULL,
	last		INTEGER NOT NULL CHECK (last >= 1),
	PRIMARY KEY (kind, year)
) WITHOUT ROWID;
CREATE TRIGGER doc_series_no_delete BEFORE DELETE ON doc_series
BEGIN SELECT RAISE(ABORT, 'document numbers are never taken back'); END;
CREATE TRIGGER doc_series_forward BEFORE UPDATE ON doc_series
WHEN NEW.last <> OLD.last + 1 OR NEW.kind <> OLD.kind OR NEW.year <> OLD.year
BEGIN SELECT RAISE(ABORT, 'document numbers only move forward by one'); END;

-- Amounts of a credit note are negative.  Seller and buyer are copied as
-- they were at issue, so a document never changes when details do.
CREATE TABLE document (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	kind		TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
	number		TEXT NOT NULL UNIQUE,
	series_year	INTEGER NOT NULL,
	seq		INTEGER NOT NULL CHECK (seq >= 1),
	issued_at	INTEGER NOT NULL,
	period_start	INTEGER NOT NULL,
	period_end	INTEGER NOT NULL,
	currency	TEXT NOT NULL CHECK (length(currency) = 3),
	paper		TEXT NOT NULL,
	seller_name	TEXT NOT NULL,
	seller_address	TEXT NOT NULL,
	seller_country	TEXT NOT NULL,
	seller_vat	TEXT NOT NULL,
	buyer_name	TEXT NOT NULL,
	buyer_address	TEXT NOT NULL,
	buyer_country	TEXT NOT NULL,
	buyer_vat	TEXT NOT NULL,
	po_reference	TEXT NOT NULL,
	reverse_charge	INTEGER NOT NULL CHECK (reverse_charge IN (0, 1)),
	tax_note	TEXT NOT NULL,
	net_total	INTEGER NOT NULL,
	tax_total	INTEGER NOT NULL,
	total		INTEGER NOT NULL,
	corrects_id	INTEGER REFERENCES document(id),
	entry_id	INTEGER NOT NULL UNIQUE REFERENCES journal_entry(id),
	UNIQUE (kind, series_year, seq),
	CHECK (total = net_total + tax_total),
	CHECK ((kind = 'credit_note') = (corrects_id IS NOT NULL))
);
CREATE INDEX document_org_issued ON document(org_id, issued_at, id);
CREATE UNIQUE INDEX document_one_credit_note ON document(corrects_id)
    WHERE corrects_id IS NOT NULL;

CREATE TABLE document_line (
	document_id	INTEGER NOT NULL REFERENCES document(id),
	position	INTEGER NOT NULL,
	description	TEXT NOT NULL,
	period_start	INTEGER NOT NULL,
	period_end	INTEGER NOT NULL,
	quantity	INTEGER NOT NULL,
	unit_price	INTEGER NOT NULL,
	amount		INTEGER NOT NULL,
	tax_rate_bp	INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
	tax_amount	INTEGER NOT NULL,
	PRIMARY KEY (document_id, position)
) WITHOUT ROWID;

-- A payment recorded against an invoice (by card, debit, or credit).
CREATE TABLE receipt (
	id		INTEGER PRIMARY KEY,
	document_id	INTEGER NOT NULL REFERENCES document(id),
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	paid_at		INTEGER NOT NULL,
	amount		INTEGER NOT NULL CHECK (amount > 0),
	method		TEXT NOT NULL,
	entry_id	INTEGER NOT NULL UNIQUE REFERENCES journal_entry(id)
);
CREATE INDEX receipt_document ON receipt(document_id);

CREATE TRIGGER document_no_update BEFORE UPDATE ON document
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_no_delete BEFORE DELETE ON document
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_line_no_update BEFORE UPDATE ON document_line
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_line_no_delete BEFORE DELETE ON document_line
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER receipt_no_update BEFORE UPDATE ON receipt
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt
BEGIN SELECT RAISE(ABORT, 'receipts are immutable'); END;
