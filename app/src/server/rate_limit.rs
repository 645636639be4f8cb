//! Fixed-window rate limits kept in the database (shared by every app instance).
//! One conditional upsert per hit: exact under concurrency on SQLite and PostgreSQL.

use super::{db::Db, now_ms};
use crate::error::AppError;

pub const MINUTE_MS: i64 = 60 * 1000;

/// A limit: at most `max` events per `window_ms`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

fn refused(window_start: i64, limit: Limit, now: i64) -> AppError {
    let secs = ((window_start + limit.window_ms - now).max(1000) + 999) / 1000;
    AppError::RateLimited {
        retry_after_secs: secs as u64,
    }
}

/// Counts one event for `key`; refuses it when the window already holds `max` events.
pub async fn hit(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let (count, start): (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
         RETURNING count, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(now - limit.window_ms)
    .fetch_one(db.w())
    .await?;
    if count > limit.max {
        Err(refused(start, limit, now))
    } else {
        Ok(())
    }
}

/// Refuses when `key` has reached its limit in the current window, without counting.
pub async fn check(db: &Db, key: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT count, window_start FROM rate_limits WHERE key = $1")
            .bind(key)
            .fetch_optional(db.r())
            .await?;
    match row {
        Some((count, start)) if start > now - limit.window_ms && count >= limit.max => {
            Err(refused(start, limit, now))
        }
        _ => Ok(()),
    }
}

/// Forgets the events of `key` (e.g. failed log-ins after a successful one).
pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Forgets windows that ended long ago (the longest window is an hour).
pub async fn purge(db: &Db, now: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM rate_limits WHERE window_start <= $1")
            .bind(now - 24 * 3600 * 1000)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}
