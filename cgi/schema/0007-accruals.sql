-- 0007-accruals.sql: what is owed but not invoiced yet lives in the
-- journal (the unbilled account), not beside it; credits are credit
-- notes; subscriptions carry a version that quotes are sealed against.
--
-- db_migrate runs this with foreign keys off and checks them before it
-- commits, so the two journal tables can be rebuilt (SQLite cannot
-- change a CHECK in place).  Their CHECKs become OR chains: SQLite 3.40
-- builds a throw-away b-tree for an IN list on every row it checks.

DROP TRIGGER journal_line_balance;

CREATE TABLE journal_entry_new (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	idem_key	TEXT NOT NULL UNIQUE,
	kind		TEXT NOT NULL CHECK (kind = 'invoice' OR
			    kind = 'payment' OR kind = 'credit' OR
			    kind = 'credit_applied' OR kind = 'adjustment' OR
			    kind = 'accrual' OR kind = 'credit_note'),
	memo		TEXT NOT NULL,
	currency	TEXT NOT NULL CHECK (length(currency) = 3),
	posted_at	INTEGER NOT NULL
);
INSERT INTO journal_entry_new SELECT id, org_id, idem_key, kind, memo,
    currency, posted_at FROM journal_entry;
DROP TABLE journal_entry;
ALTER TABLE journal_entry_new RENAME TO journal_entry;
CREATE INDEX journal_entry_org ON journal_entry(org_id, posted_at);

-- unbilled: owed for service already given or granted, not invoiced
-- yet (an asset, like receivable).  An accrual debits it against
-- revenue; the invoice that bills it credits it against receivable.
CREATE TABLE journal_line_new (
	id		INTEGER PRIMARY KEY,
	entry_id	INTEGER NOT NULL REFERENCES journal_entry(id),
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	account		TEXT NOT NULL CHECK (account = 'receivable' OR
			    account = 'customer_credit' OR account = 'cash' OR
			    account = 'revenue' OR account = 'tax' OR
			    account = 'unbilled'),
	amount		INTEGER NOT NULL CHECK (amount <> 0)
);
INSERT INTO journal_line_new SELECT id, entry_id, org_id, account, amount
    FROM journal_line;
DROP TABLE journal_line;
ALTER TABLE journal_line_new RENAME TO journal_line;
CREATE INDEX journal_line_entry ON journal_line(entry_id);

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

-- One accrued amount of a subscription: a prorated change (positive:
-- owed; negative: unused time given back), posted to the journal as
-- entry_id when it arose.  The invoice that bills it, or the renewal
-- that finds it netted to nothing, closes it; nothing else changes.
CREATE TABLE accrual (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	subscription_id	INTEGER NOT NULL REFERENCES subscription(id),
	entry_id	INTEGER NOT NULL REFERENCES journal_entry(id),
	product		TEXT NOT NULL,
	period_start	INTEGER NOT NULL,
	period_end	INTEGER NOT NULL CHECK (period_end > period_start),
	period_days	INTEGER NOT NULL CHECK (period_days > 0),
	quantity	INTEGER NOT NULL CHECK (quantity > 0),
	unit_price	INTEGER NOT NULL CHECK (unit_price >= 0),
	amount		INTEGER NOT NULL CHECK (amount <> 0),
	created_at	INTEGER NOT NULL,
	document_id	INTEGER REFERENCES document(id),
	closed_at	INTEGER
);
CREATE INDEX accrual_open ON accrual(subscription_id, id)
    WHERE closed_at IS NULL;
CREATE INDEX accrual_entry ON accrual(entry_id);
CREATE TRIGGER accrual_no_delete BEFORE DELETE ON accrual
BEGIN SELECT RAISE(ABORT, 'accruals are append-only'); END;
CREATE TRIGGER accrual_close_once BEFORE UPDATE ON accrual
WHEN OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL OR
    NEW.id <> OLD.id OR NEW.org_id <> OLD.org_id OR
    NEW.subscription_id <> OLD.subscription_id OR
    NEW.entry_id <> OLD.entry_id OR NEW.amount <> OLD.amount OR
    NEW.quantity <> OLD.quantity OR NEW.unit_price <> OLD.unit_price OR
    NEW.period_start <> OLD.period_start OR
    NEW.period_end <> OLD.period_end OR NEW.product <> OLD.product OR
    NEW.period_days <> OLD.period_days OR NEW.created_at <> OLD.created_at
BEGIN SELECT RAISE(ABORT, 'an accrual is only ever closed, once'); END;

-- The open pending lines become accruals, in the journal.
INSERT INTO journal_entry (org_id, idem_key, kind, memo, currency, posted_at)
    SELECT pl.org_id, 'accrual:' || pl.idem_key, 'accrual', pl.description,
    p.currency, pl.created_at FROM pending_line pl
    JOIN subscription s ON s.id = pl.subscription_id
    JOIN plan p ON p.id = s.plan_id
    WHERE pl.document_id IS NULL AND pl.amount > 0;
INSERT INTO journal_line (entry_id, org_id, account, amount)
    SELECT e.id, e.org_id, 'unbilled', pl.amount FROM pending_line pl
    JOIN journal_entry e ON e.idem_key = 'accrual:' || pl.idem_key;
INSERT INTO journal_line (entry_id, org_id, account, amount)
    SELECT e.id, e.org_id, 'revenue', -pl.amount FROM pending_line pl
    JOIN journal_entry e ON e.idem_key = 'accrual:' || pl.idem_key;
INSERT INTO accrual (org_id, subscription_id, entry_id, product,
    period_start, period_end, period_days, quantity, unit_price, amount,
    created_at)
    SELECT pl.org_id, pl.subscription_id, e.id, pr.name, pl.period_start,
    pl.period_end, max(1, (s.period_end - s.period_start + 43200) / 86400),
    pl.quantity, max(0, pl.unit_price), pl.amount, pl.created_at
    FROM pending_line pl
    JOIN journal_entry e ON e.idem_key = 'accrual:' || pl.idem_key
    JOIN subscription s ON s.id = pl.subscription_id
    JOIN plan p ON p.id = s.plan_id JOIN product pr ON pr.id = p.product_id;
DROP TABLE pending_line;

-- Quotes are sealed against the subscription's version: every change
-- to a subscription's row bumps it.
ALTER TABLE subscription ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- A document line names the subscription it bills, so a credit finds
-- the invoice that billed the period it gives back.
ALTER TABLE document_line ADD COLUMN subscription_id INTEGER
    REFERENCES subscription(id);
DROP TRIGGER document_line_no_update;
UPDATE document_line SET subscription_id = (SELECT s.id FROM subscription s
    JOIN plan p ON p.id = s.plan_id JOIN product pr ON pr.id = p.product_id
    JOIN document d ON d.id = document_line.document_id
    WHERE s.org_id = d.org_id AND d.kind = 'invoice' AND
    document_line.period_end = s.period_end AND
    substr(document_line.description, 1, length(pr.name) + 1) =
    pr.name || ',' ORDER BY s.id LIMIT 1);
CREATE TRIGGER document_line_no_update BEFORE UPDATE ON document_line
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE INDEX document_line_sub ON document_line(subscription_id, period_end)
    WHERE subscription_id IS NOT NULL;

-- An invoice may be reduced by several credit notes (never by more than
-- its total, which invoice.c checks and reckonctl verify reconciles).
DROP INDEX document_one_credit_note;
CREATE INDEX document_corrects ON document(corrects_id)
    WHERE corrects_id IS NOT NULL;

-- The key quotes are sealed with (libsodium's crypto_auth).
CREATE TABLE server_secret (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	secret		BLOB NOT NULL CHECK (length(secret) = 32)
);
INSERT INTO server_secret (id, secret) VALUES (1, randomblob(32));

-- An organization whose renewal failed in a run: reported by reckonctl
-- renew and retried by the next run while every other one renews.
CREATE TABLE renewal_failure (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES organization(id),
	period_end	INTEGER NOT NULL,
	failed_at	INTEGER NOT NULL,
	error		TEXT NOT NULL
);
CREATE INDEX renewal_failure_org ON renewal_failure(org_id, failed_at);

-- Calls of each sensors API key in the current minute (the per-key rate
-- limit, Config.ApiRateLimit): one row per key, rewritten each window.
CREATE TABLE api_rate (
	prefix		TEXT PRIMARY KEY,
	window_start	INTEGER NOT NULL,
	calls		INTEGER NOT NULL
) WITHOUT ROWID;
