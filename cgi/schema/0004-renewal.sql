-- 0004-renewal.sql: renewals and charges, mid-period additions waiting
-- for the next invoice, API keys of the sensors API, and plan quotes.

-- The day periods are counted from, so months do not drift (Jan 31st,
-- Feb 28th, Mar 31st).
ALTER TABLE subscription ADD COLUMN anchor INTEGER NOT NULL DEFAULT 0;
UPDATE subscription SET anchor = period_start;

-- An attempt to collect what an invoice leaves due after credit.  Its
-- idem_key is the processor's idempotency key too, so a retried call
-- never charges twice.
CREATE TABLE charge (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	document_id	INTEGER NOT NULL REFERENCES document(id),
	idem_key	TEXT NOT NULL UNIQUE,
	amount		INTEGER NOT NULL CHECK (amount > 0),
	currency	TEXT NOT NULL,
	payment_method_id INTEGER REFERENCES payment_method(id),
	status		TEXT NOT NULL CHECK (status IN ('pending', 'succeeded',
			    'declined', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	INTEGER NOT NULL,
	processor_ref	TEXT NOT NULL DEFAULT '',
	last_error	TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL
);
CREATE INDEX charge_due ON charge(status, next_attempt_at);
CREATE INDEX charge_org ON charge(org_id, status);

-- Units added mid-period to a monthly subscription: prorated, and put on
-- the next renewal invoice (document_id set then).
CREATE TABLE pending_line (
	id		INTEGER PRIMARY KEY,
	subscription_id	INTEGER NOT NULL REFERENCES subscription(id),
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	idem_key	TEXT NOT NULL UNIQUE,
	description	TEXT NOT NULL,
	period_start	INTEGER NOT NULL,
	period_end	INTEGER NOT NULL,
	quantity	INTEGER NOT NULL CHECK (quantity > 0),
	unit_price	INTEGER NOT NULL,
	amount		INTEGER NOT NULL CHECK (amount >= 0),
	created_at	INTEGER NOT NULL,
	document_id	INTEGER REFERENCES document(id)
);
CREATE INDEX pending_line_sub ON pending_line(subscription_id, document_id);

-- Keys of the sensors API: shown once, kept only as a hash.
CREATE TABLE api_key (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	prefix		TEXT NOT NULL,
	key_hash	BLOB NOT NULL UNIQUE,
	created_at	INTEGER NOT NULL,
	created_by	TEXT NOT NULL,
	revoked_at	INTEGER
);
CREATE INDEX api_key_org ON api_key(org_id);

-- Removing a sensor of an expired subscription is recorded, not deleted.
ALTER TABLE sensor ADD COLUMN removed_reason TEXT NOT NULL DEFAULT '';
