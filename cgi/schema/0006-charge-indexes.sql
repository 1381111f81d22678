-- 0006-charge-indexes.sql: each read of charges by an index that holds
-- just the charges it wants, in the order it wants them.
--
-- The overview's banner reads an organization's declined and failed
-- charges, newest first, on every page view (STMT_CHARGE_TROUBLE).
CREATE INDEX charge_trouble ON charge(org_id, id)
    WHERE status IN ('declined', 'failed');
-- reckonctl renew pages through the charges still to attempt in id
-- order (STMT_CHARGE_DUE); through charge_due it sorted every due charge
-- again for each page, quadratic after a crash left many pending.
CREATE INDEX charge_open ON charge(id, next_attempt_at)
    WHERE status IN ('pending', 'declined');
DROP INDEX charge_due;
-- No statement reads charges by organization and status any more.
DROP INDEX charge_org;
