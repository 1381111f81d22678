-- 0009-outbox-unsent.sql: reckonctl mail takes the next message due in
-- id order (STMT_OUTBOX_NEXT_DUE). Through outbox_due (sent_at,
-- next_attempt_at) SQLite read every due message and sorted them again
-- for each one sent: 7.8 ms a message with 100,000 queued, quadratic in
-- the queue. An index of just the unsent messages, in id order, takes
-- the next one at once however long the queue; it also counts the
-- waiting ones (STMT_OUTBOX_WAITING) without the sent history.
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
DROP INDEX outbox_due;
