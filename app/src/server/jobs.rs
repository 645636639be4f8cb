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
//! No maintained crate fits: the queue crates for sqlx (apalis-sql, sqlxmq) pin other sqlx
//! versions, and two `libsqlite3-sys` cannot be linked into one binary.

use super::db::{Backend, Db};
use super::now_ms;
use sqlx::{Any, Transaction};

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

/// Adds a job due now. `ref_key` names what it is about (e.g. `video:42`) so it can be cancelled.
pub async fn enqueue(
    db: &Db,
    kind: &str,
    payload: &serde_json::Value,
    ref_key: Option<&str>,
    max_attempts: i64,
) -> sqlx::Result<i64> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO jobs (kind, payload, ref_key, status, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5, $5) RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(ref_key)
    .bind(max_attempts)
    .bind(now)
    .fetch_one(db.w())
    .await?;
    Ok(id)
}

/// Adds a job due at `run_at` (unix ms).
pub async fn enqueue_at(
    db: &Db,
    kind: &str,
    payload: &serde_json::Value,
    ref_key: Option<&str>,
    max_attempts: i64,
    run_at: i64,
) -> sqlx::Result<i64> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO jobs (kind, payload, ref_key, status, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $6) RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(ref_key)
    .bind(max_attempts)
    .bind(run_at)
    .bind(now)
    .fetch_one(db.w())
    .await?;
    Ok(id)
}

/// The same as `enqueue`, inside the caller's transaction.
pub async fn enqueue_tx(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    payload: &serde_json::Value,
    ref_key: Option<&str>,
    max_attempts: i64,
) -> sqlx::Result<i64> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO jobs (kind, payload, ref_key, status, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5, $5) RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(ref_key)
    .bind(max_attempts)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Claims the oldest due job (or one whose lease ran out) for `worker` for `lease_ms`.
pub async fn claim(db: &Db, worker: &str, lease_ms: i64) -> sqlx::Result<Option<Job>> {
    let now = now_ms();
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, updated_at = $3 \
         WHERE id = (SELECT id FROM jobs \
                     WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until < $3) \
                     ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING id, kind, payload, ref_key, attempts, max_attempts"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
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
pub async fn complete_tx(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    worker: &str,
) -> sqlx::Result<bool> {
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

/// Marks the job done if this worker still holds it.
pub async fn complete(db: &Db, id: i64, worker: &str) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let ok = complete_tx(&mut tx, id, worker).await?;
    tx.commit().await?;
    Ok(ok)
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

/// Deletes finished jobs older than `age_ms`.
pub async fn purge_done(db: &Db, age_ms: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM jobs WHERE status = 'done' AND updated_at < $1")
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
