-- 0006-charge-trouble.sql: the overview's banner reads an organization's
-- declined and failed charges, newest first, on every page view.  This
-- index holds only those charges in that order, so the query neither
-- sorts nor reads the pending and paid ones.
CREATE INDEX charge_trouble ON charge(org_id, id)
    WHERE status IN ('declined', 'failed');
