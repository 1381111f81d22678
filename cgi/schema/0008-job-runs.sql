-- 0008-job-runs.sql: when the operator's jobs last ran, for
-- "reckonctl status": one row per job ("renew", "mail"), rewritten at
-- each run's start and end. Not money: the ledger stays append-only.
CREATE TABLE job_run (
	job		TEXT PRIMARY KEY,
	started_at	INTEGER NOT NULL,
	finished_at	INTEGER,		-- NULL: running, or killed
	result		TEXT NOT NULL DEFAULT ''
);
