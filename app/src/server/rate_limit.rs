//! Fixed-window rate limits kept in the database (shared by every app instance).
//! One conditional upsert per hit: exact under concurrency on SQLite and PostgreSQL. An attempt
//! whose outcome is still unknown (a password to check) is counted before it is tried, and
//! refunded when it turns out not to count, so parallel attempts cannot overrun a limit.

use super::{db::Db, now_ms};
use crate::error::AppError;

pub const MINUTE_MS: i64 = 60 * 1000;

/// A limit: at most `max` events per `window_ms`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

/// The part of a client address that per-IP limits count: an IPv4 address, or the /64 of an
/// IPv6 one (one subscriber's network: rotating addresses inside it does not buy more tries).
pub fn ip_bucket(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>().map(|a| a.to_canonical()) {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(v4) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
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

/// Gives back one event of `key`: an attempt counted in advance (see [`hit`]) that turned out
/// not to count (it succeeded, or another limit refused it).
pub async fn refund(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND count > 0")
        .bind(key)
        .execute(db.w())
        .await?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::ip_bucket;

    #[test]
    fn ipv6_clients_share_the_bucket_of_their_64() {
        assert_eq!(ip_bucket("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(ip_bucket("2001:db8:1:2:ffff:0:0:9"), "2001:db8:1:2::/64");
        assert_ne!(ip_bucket("2001:db8:1:3::1"), ip_bucket("2001:db8:1:2::1"));
        assert_eq!(ip_bucket("198.51.100.4"), "198.51.100.4");
        assert_eq!(ip_bucket("::ffff:198.51.100.4"), "198.51.100.4");
        assert_eq!(ip_bucket(""), "");
    }
}
