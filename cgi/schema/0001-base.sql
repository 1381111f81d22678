-- 0001-base.sql: organizations, users and sessions, products and plans,
-- subscriptions, sensors, and the double-entry journal.
-- Amounts are INTEGER minor units; times are INTEGER UTC epoch seconds.

CREATE TABLE seller (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	name		TEXT NOT NULL,
	address		TEXT NOT NULL DEFAULT '',
	country		TEXT NOT NULL CHECK (length(country) = 2),
	vat_number	TEXT NOT NULL DEFAULT ''
);

CREATE TABLE organization (
	id		INTEGER PRIMARY KEY,
	parent_id	INTEGER REFERENCES organization(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	currency	TEXT NOT NULL CHECK (length(currency) = 3),
	country		TEXT NOT NULL CHECK (length(country) = 2),
	account_email	TEXT NOT NULL,
	created_at	INTEGER NOT NULL,
	CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX organization_parent ON organization(parent_id);

CREATE TABLE user (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name		TEXT NOT NULL,
	role		TEXT NOT NULL CHECK (role IN
			    ('owner', 'billing_admin', 'accountant', 'member')),
	pwhash		TEXT NOT NULL,
	created_at	INTEGER NOT NULL
);
CREATE INDEX user_org ON user(org_id);

-- A login session: only a hash of the cookie's token is kept.
CREATE TABLE session (
	token_hash	BLOB PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	csrf		TEXT NOT NULL,
	created_at	INTEGER NOT NULL,
	seen_at		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

-- Failed sign-ins, keyed 'account:<email>' or 'addr:<ip>', for throttling.
CREATE TABLE login_failure (
	key		TEXT NOT NULL,
	at		INTEGER NOT NULL
);
CREATE INDEX login_failure_key ON login_failure(key, at);

-- What is sold per unit: a sensor type or a seat.
CREATE TABLE product (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('sensor', 'seat'))
);

CREATE TABLE plan (
	id		INTEGER PRIMARY KEY,
	product_id	INTEGER NOT NULL REFERENCES product(id),
	period		TEXT NOT NULL CHECK (period IN ('monthly', 'annual')),
	currency	TEXT NOT NULL CHECK (length(currency) = 3),
	unit_price	INTEGER NOT NULL CHECK (unit_price >= 0),
	UNIQUE (product_id, period, currency)
);

-- cancel_at: when a scheduled cancellation takes effect (the period's end,
-- or the contract's end for a contract subscription); NULL if none.
CREATE TABLE subscription (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	plan_id		INTEGER NOT NULL REFERENCES plan(id),
	quantity	INTEGER NOT NULL CHECK (quantity >= 0),
	period_start	INTEGER NOT NULL,
	period_end	INTEGER NOT NULL CHECK (period_end > period_start),
	auto_renew	INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1)),
	cancel_at	INTEGER,
	contract_end	INTEGER,
	status		TEXT NOT NULL DEFAULT 'active'
			    CHECK (status IN ('active', 'expired')),
	created_at	INTEGER NOT NULL,
	CHECK (auto_renew = 1 OR cancel_at IS NOT NULL)
);
CREATE INDEX subscription_org ON subscription(org_id, status);
CREATE INDEX subscription_due ON subscription(status, period_end);

CREATE TABLE sensor (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	ext_id		TEXT NOT NULL,
	product_id	INTEGER NOT NULL REFERENCES product(id),
	deployed_at	INTEGER NOT NULL,
	removed_at	INTEGER,
	UNIQUE (org_id, ext_id)
);
CREATE INDEX sensor_org_deployed ON sensor(org_id, removed_at, product_id);

-- The journal. An entry's lines sum to zero (ledger.c refuses anything
-- else, reckonctl verify checks it); nothing posted is ever changed.
-- Sign: debit positive, credit negative.
CREATE TABLE journal_entry (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	idem_key	TEXT NOT NULL UNIQUE,
	kind		TEXT NOT NULL CHECK (kind IN ('invoice', 'payment',
			    'credit', 'credit_applied', 'adjustment')),
	memo		TEXT NOT NULL,
	currency	TEXT NOT NULL CHECK (length(currency) = 3),
	posted_at	INTEGER NOT NULL
);
CREATE INDEX journal_entry_org ON journal_entry(org_id, posted_at);

CREATE TABLE journal_line (
	id		INTEGER PRIMARY KEY,
	entry_id	INTEGER NOT NULL REFERENCES journal_entry(id),
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	account		TEXT NOT NULL CHECK (account IN ('receivable',
			    'customer_credit', 'cash', 'revenue', 'tax')),
	amount		INTEGER NOT NULL CHECK (amount <> 0)
);
CREATE INDEX journal_line_entry ON journal_line(entry_id);

-- Running balances, kept by the trigger below in the same transaction as
-- the lines, so a page reads one row instead of summing every line;
-- reckonctl verify recomputes them from the lines.
CREATE TABLE account_balance (
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	account		TEXT NOT NULL,
	currency	TEXT NOT NULL,
	balance		INTEGER NOT NULL,
	PRIMARY KEY (org_id, account, currency)
) WITHOUT ROWID;

CREATE TRIGGER journal_line_balance AFTER INSERT ON journal_line
BEGIN
	INSERT INTO account_balance (org_id, account, currency, balance)
	    VALUES (NEW.org_id, NEW.account,
	    (SELECT currency FROM journal_entry WHERE id = NEW.entry_id),
	    NEW.amount)
	    ON CONFLICT (org_id, account, currency)
	    DO UPDATE SET balance = balance + excluded.balance;
END;

CREATE TRIGGER journal_entry_no_update BEFORE UPDATE ON journal_entry
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entry
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_line_no_update BEFORE UPDATE ON journal_line
BEGIN SELECT RAISE(ABORT, 'journal lines are append-only'); END;
CREATE TRIGGER journal_line_no_delete BEFORE DELETE ON journal_line
BEGIN SELECT RAISE(ABORT, 'journal lines are append-only'); END;
-- Balances change only through the journal trigger.
CREATE TRIGGER account_balance_no_delete BEFORE DELETE ON account_balance
BEGIN SELECT RAISE(ABORT, 'balances are derived from the journal'); END;
