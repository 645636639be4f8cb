-- A persistent job queue shared by every process on the database (video processing now; mail,
-- reminders and certificates later). A worker claims a job by leasing it (locked_by,
-- locked_until) in one conditional UPDATE; a lease that runs out (the worker died) makes the job
-- claimable again. Failures are retried with backoff up to max_attempts.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,                 -- JSON
    ref_key      TEXT,                             -- what the job is about, e.g. "video:42" (to cancel)
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    locked_by    TEXT,
    locked_until INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
-- Claiming: the oldest due queued job, or a running one whose lease ran out.
CREATE INDEX jobs_due ON jobs (status, run_at, id);
CREATE INDEX jobs_lease ON jobs (status, locked_until);
CREATE INDEX jobs_ref ON jobs (ref_key);
