//! Sessions: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (`__Host-` prefixed and
//! Secure on HTTPS); only its SHA-256 is stored.
//! A session ends after SESSION_IDLE_DAYS without use or SESSION_ABSOLUTE_DAYS after log-in.
//!
//! The server's middleware resolves the cookie once per request (`resolve`) into an
//! [`Actor`](super::auth::Actor) in the request extensions; see `server/auth.rs` for how
//! adapters read it.

use super::auth::Actor;
use super::{AppState, now_ms, random_token, sha256_hex};
use crate::ids::{SessionId, UserId};
use crate::roles::Role;
use sqlx::Row;

/// The session cookie's name on plain HTTP (local runs).
pub const SESSION_COOKIE: &str = "tutorium_session";
/// Its name on HTTPS: the browser keeps a `__Host-` cookie only when it is Secure, for Path=/
/// and without Domain, so no sibling subdomain (or plain-HTTP page) can set or shadow it.
pub const SESSION_COOKIE_HTTPS: &str = "__Host-tutorium_session";
const DAY_MS: i64 = 24 * 3600 * 1000;
/// last_seen_at is written at most this often per session, so reads do not turn into writes.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// Looks up the session for a cookie token, with its user's roles (one query); touches it;
/// deletes it when expired. The middleware calls this once per request.
pub async fn resolve(state: &AppState, token: &str) -> Option<Actor> {
    if token.is_empty() || token.len() > 100 {
        return None;
    }
    let hash = sha256_hex(token);
    // One row per role (or one row with a NULL role): the session and the roles in one round trip.
    let rows = sqlx::query(
        "SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, u.email_confirmed_at, r.role, s.mfa_at, u.banned_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN user_roles r ON r.user_id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_all(state.db.r())
    .await
    .ok()?;
    let row = rows.first()?;
    let (id, user_id, last_seen, expires): (i64, i64, i64, i64) = (
        row.try_get(0).ok()?,
        row.try_get(1).ok()?,
        row.try_get(2).ok()?,
        row.try_get(3).ok()?,
    );
    let confirmed: Option<i64> = row.try_get(4).ok()?;
    let mfa_at: Option<i64> = row.try_get(6).ok()?;
    let banned_at: Option<i64> = row.try_get(7).ok()?;
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>(5).ok().flatten())
        .filter_map(|r| Role::from_code(&r))
        .collect();
    roles.sort();
    let now = now_ms();
    let idle_limit = state.config.session_idle_days * DAY_MS;
    // A ban ends every session; one that slipped past it (made meanwhile) ends here.
    if expires <= now || last_seen + idle_limit <= now || banned_at.is_some() {
        let _ = sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(state.db.w())
            .await;
        return None;
    }
    if now - last_seen > TOUCH_EVERY_MS {
        let _ = sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(state.db.w())
            .await;
    }
    let (roles, locked) = Actor::effective_roles(roles, mfa_at.is_some());
    Some(Actor {
        user: UserId(user_id),
        session: SessionId(id),
        roles,
        locked,
        email_confirmed: confirmed.is_some(),
        ip: String::new(),
    })
}

/// Creates a session and returns its cookie token.
pub async fn create(
    state: &AppState,
    user_id: UserId,
    user_agent: &str,
    ip: &str,
) -> sqlx::Result<String> {
    create_with(state, user_id, user_agent, ip, false).await
}

/// Creates a session, marked as having proved a second factor when `mfa`; returns its token.
pub async fn create_with(
    state: &AppState,
    user_id: UserId,
    user_agent: &str,
    ip: &str,
    mfa: bool,
) -> sqlx::Result<String> {
    let token = random_token(32);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip, mfa_at) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7)",
    )
    .bind(sha256_hex(&token))
    .bind(user_id)
    .bind(now)
    .bind(now + state.config.session_absolute_days * DAY_MS)
    .bind(user_agent)
    .bind(ip)
    .bind(mfa.then_some(now))
    .execute(state.db.w())
    .await?;
    Ok(token)
}

/// The roles a user holds.
pub async fn roles(state: &AppState, user_id: UserId) -> sqlx::Result<Vec<Role>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(state.db.r())
            .await?;
    Ok(rows.iter().filter_map(|(r,)| Role::from_code(r)).collect())
}

/// The session cookie's name under this configuration (see [`SESSION_COOKIE_HTTPS`]).
pub fn cookie_name(config: &super::config::Config) -> &'static str {
    if config.secure_cookies() {
        SESSION_COOKIE_HTTPS
    } else {
        SESSION_COOKIE
    }
}

/// The session token the current request carries, if any.
pub fn token() -> Option<String> {
    super::request::cookie(cookie_name(&super::state().config))
}

/// Sets the session cookie.
pub fn set_cookie(token: &str, absolute_days: i64) {
    let name = cookie_name(&super::state().config);
    super::request::set_cookie(name, token, absolute_days * 24 * 3600, true);
}

/// Clears the session cookie.
pub fn clear_cookie() {
    super::request::set_cookie(cookie_name(&super::state().config), "", 0, true);
}
