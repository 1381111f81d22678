-- 0002-details.sql: billing details, CC emails, payment methods, the audit
-- log, the outbox of notices, and one-time form tokens.

ALTER TABLE organization ADD COLUMN invoice_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN billing_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN address_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN address_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN vat_number TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN po_reference TEXT NOT NULL DEFAULT '';
UPDATE organization SET invoice_email = account_email, billing_name = name;

-- Who else receives the invoices, in the order given.
CREATE TABLE billing_cc (
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	position	INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
	email		TEXT NOT NULL COLLATE NOCASE,
	PRIMARY KEY (org_id, position),
	UNIQUE (org_id, email)
) WITHOUT ROWID;

-- A processor token and what may be shown of it; never a card number.
-- A removed method keeps its row (receipts name it) with removed_at set.
CREATE TABLE payment_method (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	kind		TEXT NOT NULL CHECK (kind IN ('card', 'sepa_debit')),
	processor_ref	TEXT NOT NULL,
	brand		TEXT NOT NULL,
	last4		TEXT NOT NULL CHECK (length(last4) = 4 AND
			    last4 NOT GLOB '*[^0-9]*'),
	exp_month	INTEGER CHECK (exp_month BETWEEN 1 AND 12),
	exp_year	INTEGER,
	country		TEXT NOT NULL DEFAULT '',
	mandate_ref	TEXT NOT NULL DEFAULT '',
	is_default	INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
	created_at	INTEGER NOT NULL,
	removed_at	INTEGER,
	UNIQUE (org_id, processor_ref)
);
CREATE INDEX payment_method_org ON payment_method(org_id, removed_at);
CREATE UNIQUE INDEX payment_method_one_default ON payment_method(org_id)
    WHERE is_default = 1 AND removed_at IS NULL;

-- Who changed what, when, from where: written in the same transaction as
-- the change, never edited.
CREATE TABLE audit_log (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	user_id		INTEGER REFERENCES user(id),
	actor		TEXT NOT NULL,
	remote_addr	TEXT NOT NULL,
	at		INTEGER NOT NULL,
	action		TEXT NOT NULL,
	old_value	TEXT NOT NULL,
	new_value	TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Messages to send; idem_key keeps a message from being queued twice.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	idem_key	TEXT NOT NULL UNIQUE,
	kind		TEXT NOT NULL,
	to_addr		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	document_id	INTEGER,
	created_at	INTEGER NOT NULL,
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	INTEGER NOT NULL,
	sent_at		INTEGER,
	last_error	TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);

-- A form's one-time token: the first POST that carries it is applied and
-- remembers where it went; a repeat gets the same answer, applied once.
CREATE TABLE form_token (
	token		TEXT PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	location	TEXT NOT NULL,
	used_at		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX form_token_used ON form_token(used_at);
