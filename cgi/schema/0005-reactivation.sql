-- 0005-reactivation.sql: an expired subscription that was reactivated
-- names its successor, so it is reactivated once.
ALTER TABLE subscription ADD COLUMN replaced_by INTEGER
    REFERENCES subscription(id);
