-- A persistent job queue shared by every process on the database (video processing now; mail,
-- reminders and certificates later). A worker claims a job by leasing it (locked_by,
-- locked_until) in one conditional UPDATE; a lease that runs out (the worker died) makes the job
-- claimable again. Failures are retried with backoff up to max_attempts.
CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,                 -- JSON
    ref_key      TEXT,                             -- what the job is about, e.g. "video:42" (to cancel)
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     BIGINT  NOT NULL DEFAULT 0,
    max_attempts BIGINT  NOT NULL,
    run_at       BIGINT  NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT,
    last_error   TEXT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
-- Claiming: the oldest due queued job, or a running one whose lease ran out.
CREATE INDEX jobs_due ON jobs (status, run_at, id);
CREATE INDEX jobs_lease ON jobs (status, locked_until);
CREATE INDEX jobs_ref ON jobs (ref_key);
