//! A persistent job queue in the database, the same on SQLite and PostgreSQL.
//!
//! - Jobs survive restarts: they are rows.
//! - A worker claims a job with one conditional UPDATE that leases it (`locked_by`,
//!   `locked_until`); on PostgreSQL the candidate row is picked `FOR UPDATE SKIP LOCKED`, on
//!   SQLite the single writer makes the statement atomic. Two workers — threads, processes or app
//!   instances — never hold the same job.
//! - The worker renews its lease while it works (`heartbeat`); if it dies, the lease runs out and
//!   another worker takes the job again (`attempts` counts every claim).
//! - A failure is retried with exponential backoff until `max_attempts`, then the job is `failed`.
//! - Finishing checks the lease, so a worker that lost its job cannot overwrite another's result.
//!
//! - Every job belongs to a lane (media, messages, documents) with its own workers, so a
//!   two-hour transcode never delays a confirmation e-mail or a certificate. Features declare
//!   their job kinds as [`JobKind`] constants and register a [`JobHandler`] for each at start
//!   (`<feature>::register`); the worker dispatches by name and knows no feature.
//!
//! No maintained crate fits: the queue crates for sqlx (apalis-sql, sqlxmq) pin other sqlx
//! versions, and two `libsqlite3-sys` cannot be linked into one binary.

use super::AppState;
use super::db::{Backend, Db};
use super::now_ms;
use crate::server::db::Tx;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

crate::codes! {
    /// Where a job runs: each lane has its own workers (`JOBS_*_WORKERS`).
    pub enum Lane {
        /// Transcoding and other long, CPU-heavy media work.
        Media = "media",
        /// Mail, notifications and other short bookkeeping (order expiry): never waits behind
        /// media.
        Messages = "messages",
        /// Documents people wait for: certificate PDFs (receipts and invoices next).
        Documents = "documents",
    }
}

/// A kind of job, declared by the feature that owns it.
#[derive(Debug)]
pub struct JobKind {
    /// Stored in `jobs.kind`, e.g. `video.transcode`.
    pub name: &'static str,
    pub lane: Lane,
    pub max_attempts: i64,
    /// The payload holds a secret (a mail with a code or a reset link): it is emptied once the
    /// job is done.
    pub scrub_payload: bool,
}

/// Why a job did not finish.
#[derive(Debug)]
pub struct JobFailure {
    /// Retrying cannot help (the input itself is bad).
    pub permanent: bool,
    /// A short code the owner may store (e.g. a failed video's reason): "processing_failed", …
    pub code: &'static str,
    pub detail: String,
}

impl JobFailure {
    /// A failure worth retrying later.
    pub fn retry(detail: impl Into<String>) -> Self {
        JobFailure {
            permanent: false,
            code: "processing_failed",
            detail: detail.into(),
        }
    }

    /// A failure retrying cannot fix.
    pub fn permanent(code: &'static str, detail: impl Into<String>) -> Self {
        JobFailure {
            permanent: true,
            code,
            detail: detail.into(),
        }
    }
}

impl From<anyhow::Error> for JobFailure {
    fn from(e: anyhow::Error) -> Self {
        JobFailure::retry(e.to_string())
    }
}

impl From<sqlx::Error> for JobFailure {
    fn from(e: sqlx::Error) -> Self {
        JobFailure::retry(e.to_string())
    }
}

impl From<crate::error::AppError> for JobFailure {
    fn from(e: crate::error::AppError) -> Self {
        JobFailure::retry(e.to_string())
    }
}

/// What a running job may need from the worker: its name (to finish the job in the same
/// transaction as its result) and whether the job was cancelled or its lease lost.
pub struct JobContext {
    pub worker: String,
    pub cancelled: Arc<AtomicBool>,
}

/// A boxed future, as job handlers and event reactions return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs one job.
pub type RunJob =
    for<'a> fn(&'a AppState, &'a Job, &'a JobContext) -> BoxFuture<'a, Result<(), JobFailure>>;

/// Reacts to a recorded failure; the flag is true when the job will not run again.
pub type OnJobFailure =
    for<'a> fn(&'a AppState, &'a Job, &'a JobFailure, bool) -> BoxFuture<'a, ()>;

/// How one kind of job runs.
pub struct JobHandler {
    pub kind: &'static JobKind,
    /// The longest one run may take (read from the configuration, e.g. for transcoding).
    pub timeout: fn(&AppState) -> Duration,
    pub run: RunJob,
    /// Called after a failure is recorded.
    pub on_failure: Option<OnJobFailure>,
}

/// Wakes the local workers when a job is queued, so that a mail or a certificate starts at once
/// instead of at the next poll (other instances poll).
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Waits until a job is queued in this process or `max` passes.
pub async fn wait_for_work(max: Duration) {
    let _ = tokio::time::timeout(max, WAKE.notified()).await;
}

/// A claimed job.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub ref_key: Option<String>,
    pub attempts: i64,
    pub max_attempts: i64,
}

impl Job {
    /// The payload as JSON (`Null` when it is not JSON).
    pub fn payload_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.payload).unwrap_or_default()
    }
}

/// A job as the owner's pages or tests see it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
}

const INSERT: &str = "INSERT INTO jobs (kind, lane, payload, ref_key, status, attempts, max_attempts, run_at, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $7) RETURNING id";

/// Adds a job due now. `ref_key` names what it is about (e.g. `video:42`) so it can be cancelled.
pub async fn enqueue(
    db: &Db,
    kind: &JobKind,
    payload: &serde_json::Value,
    ref_key: Option<&str>,
) -> sqlx::Result<i64> {
    enqueue_at(db, kind, payload, ref_key, now_ms()).await
}

/// Adds a job due at `run_at` (unix ms).
pub async fn enqueue_at(
    db: &Db,
    kind: &JobKind,
    payload: &serde_json::Value,
    ref_key: Option<&str>,
    run_at: i64,
) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(INSERT)
        .bind(kind.name)
        .bind(kind.lane.code())
        .bind(payload.to_string())
        .bind(ref_key)
        .bind(kind.max_attempts)
        .bind(run_at)
        .bind(now_ms())
        .fetch_one(db.w())
        .await?;
    WAKE.notify_waiters();
    Ok(id)
}

/// The same as `enqueue`, inside the caller's transaction (the workers are woken at once; a
/// worker that looks before the commit finds the job at its next poll).
pub async fn enqueue_tx(
    tx: &mut Tx,
    kind: &JobKind,
    payload: &serde_json::Value,
    ref_key: Option<&str>,
) -> sqlx::Result<i64> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(INSERT)
        .bind(kind.name)
        .bind(kind.lane.code())
        .bind(payload.to_string())
        .bind(ref_key)
        .bind(kind.max_attempts)
        .bind(now)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    WAKE.notify_waiters();
    Ok(id)
}

/// Claims the oldest due job of `lane` (or one whose lease ran out) for `worker` for `lease_ms`.
pub async fn claim(db: &Db, worker: &str, lease_ms: i64, lane: Lane) -> sqlx::Result<Option<Job>> {
    let now = now_ms();
    // A job of the lane is due: `$1` the lane, `$2` now.
    const DUE: &str = "lane = $1 AND ((status = 'queued' AND run_at <= $2) \
                       OR (status = 'running' AND locked_until < $2))";
    // An idle lane looks with a read: a write every poll would count as a change of the database
    // for the page cache (`Db::writes`) and take SQLite's write lock for nothing.
    let due: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM jobs WHERE {DUE} LIMIT 1"
    )))
    .bind(lane.code())
    .bind(now)
    .fetch_optional(db.r())
    .await?;
    if due.is_none() {
        return Ok(None);
    }
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $3, locked_until = $4, attempts = attempts + 1, updated_at = $2 \
         WHERE id = (SELECT id FROM jobs WHERE {DUE} ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING id, kind, payload, ref_key, attempts, max_attempts"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(lane.code())
        .bind(now)
        .bind(worker)
        .bind(now + lease_ms)
        .fetch_optional(db.w())
        .await
}

/// Renews the lease; false when the job is no longer this worker's (it was cancelled or taken).
pub async fn heartbeat(db: &Db, id: i64, worker: &str, lease_ms: i64) -> sqlx::Result<bool> {
    let now = now_ms();
    let n = sqlx::query(
        "UPDATE jobs SET locked_until = $1, updated_at = $2 WHERE id = $3 AND locked_by = $4 AND status = 'running'",
    )
    .bind(now + lease_ms)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(db.w())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Marks the job done if this worker still holds it (inside the transaction that stores its result).
pub async fn complete_tx(tx: &mut Tx, id: i64, worker: &str) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = $1 \
         WHERE id = $2 AND locked_by = $3 AND status = 'running'",
    )
    .bind(now_ms())
    .bind(id)
    .bind(worker)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Marks the job done if this worker still holds it; a secret payload is emptied.
pub async fn complete(db: &Db, id: i64, worker: &str, scrub_payload: bool) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = $1, \
         payload = CASE WHEN $4 = 1 THEN '{}' ELSE payload END \
         WHERE id = $2 AND locked_by = $3 AND status = 'running'",
    )
    .bind(now_ms())
    .bind(id)
    .bind(worker)
    .bind(i64::from(scrub_payload))
    .execute(db.w())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Backoff before attempt `n + 1`: 10 s, 40 s, 90 s, … capped at an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    (attempts.max(1).pow(2) * 10_000).min(3_600_000)
}

/// Records a failure: queued again after a backoff, or `failed` for good when `permanent` or out
/// of attempts. Returns true when the job will not run again.
pub async fn fail(
    db: &Db,
    job: &Job,
    worker: &str,
    error: &str,
    permanent: bool,
) -> sqlx::Result<bool> {
    let now = now_ms();
    let done = permanent || job.attempts >= job.max_attempts;
    let status = if done { "failed" } else { "queued" };
    sqlx::query(
        "UPDATE jobs SET status = $1, run_at = $2, last_error = $3, locked_by = NULL, locked_until = NULL, updated_at = $4 \
         WHERE id = $5 AND locked_by = $6",
    )
    .bind(status)
    .bind(now + backoff_ms(job.attempts))
    .bind(error.chars().take(2000).collect::<String>())
    .bind(now)
    .bind(job.id)
    .bind(worker)
    .execute(db.w())
    .await?;
    Ok(done)
}

/// Empties the payload of a job that will not run again (its kind carries a secret).
pub async fn scrub(db: &Db, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE jobs SET payload = '{}' WHERE id = $1 AND status IN ('done', 'failed')")
        .bind(id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Removes the queued, running and failed jobs about `ref_key` (a running one notices at its
/// next heartbeat).
pub async fn cancel(db: &Db, ref_key: &str) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM jobs WHERE ref_key = $1 AND status <> 'done'")
            .bind(ref_key)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

/// Jobs about `ref_key`, newest first.
pub async fn list_for(db: &Db, ref_key: &str) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(
        "SELECT id, kind, status, attempts, locked_by, last_error FROM jobs WHERE ref_key = $1 ORDER BY id DESC",
    )
    .bind(ref_key)
    .fetch_all(db.r())
    .await
}

/// Deletes finished (done or failed for good) jobs older than `age_ms`.
pub async fn purge_done(db: &Db, age_ms: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM jobs WHERE status IN ('done', 'failed') AND updated_at < $1")
            .bind(now_ms() - age_ms)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(2), 40_000);
        assert_eq!(backoff_ms(3), 90_000);
        assert_eq!(backoff_ms(100), 3_600_000);
    }
}
