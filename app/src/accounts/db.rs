//! SQL of the accounts feature.

use crate::ids::{SessionId, UserId};
use crate::server::db::Db;
use crate::server::db::Tx;

#[derive(sqlx::FromRow)]
pub struct LoginRow {
    pub id: UserId,
    pub password_hash: String,
    pub display_name: String,
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub handle: String,
    pub locale: String,
    pub email_confirmed_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub id: SessionId,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
    pub ip: String,
}

pub async fn email_exists(db: &Db, email: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db.r())
        .await?;
    Ok(row.is_some())
}

pub async fn handle_exists(db: &Db, handle: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE handle = $1")
        .bind(handle)
        .fetch_optional(db.r())
        .await?;
    Ok(row.is_some())
}

/// Inserts a user unless the e-mail or handle is taken (then `None`).
pub async fn insert_user(
    tx: &mut Tx,
    email: &str,
    password_hash: &str,
    display_name: &str,
    handle: &str,
    locale: &str,
    now: i64,
) -> sqlx::Result<Option<UserId>> {
    let row: Option<(UserId,)> = sqlx::query_as(
        "INSERT INTO users (email, password_hash, display_name, handle, locale, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(display_name)
    .bind(handle)
    .bind(locale)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Grants a role; false when it was held already.
pub async fn insert_role(tx: &mut Tx, user_id: UserId, role: &str, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(role)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn select_login(db: &Db, email: &str) -> sqlx::Result<Option<LoginRow>> {
    sqlx::query_as("SELECT id, password_hash, display_name FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db.r())
        .await
}

pub async fn select_password_hash(db: &Db, user_id: UserId) -> sqlx::Result<String> {
    let (h,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(db.r())
        .await?;
    Ok(h)
}

pub async fn select_user(db: &Db, user_id: UserId) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(
        "SELECT id, email, display_name, handle, locale, email_confirmed_at FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.r())
    .await
}

/// A user with their avatar's key, in one query (the header of every signed-in page).
#[derive(sqlx::FromRow)]
pub struct UserWithAvatar {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub avatar_key: Option<String>,
}

pub async fn select_user_with_avatar(
    db: &Db,
    user_id: UserId,
) -> sqlx::Result<Option<UserWithAvatar>> {
    sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.handle, u.locale, u.email_confirmed_at, p.avatar_key \
         FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.r())
    .await
}

pub async fn select_user_by_email(db: &Db, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(
        "SELECT id, email, display_name, handle, locale, email_confirmed_at FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(db.r())
    .await
}

pub async fn update_locale(db: &Db, user_id: UserId, locale: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(user_id)
        .execute(db.w())
        .await?;
    Ok(())
}

pub async fn update_display_name(
    db: &Db,
    user_id: UserId,
    name: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now)
        .bind(user_id)
        .execute(db.w())
        .await?;
    Ok(())
}

pub async fn update_password(db: &Db, user_id: UserId, hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user_id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Stores a new confirmation code (replacing the previous one and its attempt counter).
pub async fn upsert_email_code(
    db: &Db,
    user_id: UserId,
    code_hash: &str,
    expires_at: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO email_codes (user_id, code_hash, expires_at, attempts, sent_at) VALUES ($1, $2, $3, 0, $4) \
         ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, \
         attempts = 0, sent_at = excluded.sent_at",
    )
    .bind(user_id)
    .bind(code_hash)
    .bind(expires_at)
    .bind(now)
    .execute(db.w())
    .await?;
    Ok(())
}

/// Counts one guess and returns (code_hash, expires_at, attempts including this one).
pub async fn count_code_attempt(
    db: &Db,
    user_id: UserId,
) -> sqlx::Result<Option<(String, i64, i64)>> {
    sqlx::query_as(
        "UPDATE email_codes SET attempts = attempts + 1 WHERE user_id = $1 RETURNING code_hash, expires_at, attempts",
    )
    .bind(user_id)
    .fetch_optional(db.w())
    .await
}

/// Marks the e-mail confirmed and drops the code; false when it already was.
pub async fn confirm_email(db: &Db, user_id: UserId, now: i64) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let done = sqlx::query(
        "UPDATE users SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM email_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done == 1)
}

pub async fn insert_password_reset(
    db: &Db,
    user_id: UserId,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(db.w())
        .await?;
    Ok(())
}

/// The user of a usable reset token, without using it.
pub async fn select_password_reset(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<UserId>> {
    let row: Option<(UserId,)> = sqlx::query_as(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.r())
    .await?;
    Ok(row.map(|r| r.0))
}

/// Uses a reset token once: sets the new password, confirms the e-mail (the link proved the
/// mailbox), voids the user's other reset links and ends all their sessions — atomically.
/// Returns the user, or `None` when the token is unknown, used or expired.
pub async fn use_password_reset(
    db: &Db,
    token_hash: &str,
    new_hash: &str,
    now: i64,
) -> sqlx::Result<Option<UserId>> {
    let mut tx = db.w().begin().await?;
    let row: Option<(UserId,)> = sqlx::query_as(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id,)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE users SET password_hash = $1, updated_at = $2, email_confirmed_at = COALESCE(email_confirmed_at, $2) \
         WHERE id = $3",
    )
    .bind(new_hash)
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(user_id))
}

pub async fn list_sessions(
    db: &Db,
    user_id: UserId,
    now: i64,
    idle_ms: i64,
) -> sqlx::Result<Vec<SessionRow>> {
    sqlx::query_as(
        "SELECT id, created_at, last_seen_at, user_agent, ip FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(now - idle_ms)
    .fetch_all(db.r())
    .await
}

/// Deletes one of the user's own sessions; 0 when it is not theirs.
pub async fn delete_session(db: &Db, user_id: UserId, session_id: SessionId) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(session_id)
            .bind(user_id)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

/// Deletes the session of a token; its user, when there was one.
pub async fn delete_session_by_token(db: &Db, token_hash: &str) -> sqlx::Result<Option<UserId>> {
    let row: Option<(UserId,)> =
        sqlx::query_as("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(token_hash)
            .fetch_optional(db.w())
            .await?;
    Ok(row.map(|r| r.0))
}

/// Whether a session still exists (live streams end when theirs does).
pub async fn session_exists(db: &Db, id: SessionId) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_optional(db.r())
        .await?;
    Ok(row.is_some())
}

/// Ends every session of the user but `keep`.
pub async fn delete_other_sessions(db: &Db, user_id: UserId, keep: SessionId) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

/// How log-in attempts from one address are slowed down (see `login_throttle` in the migrations).
#[derive(Clone, Copy, Debug)]
pub struct Throttle {
    /// Attempts before the first wait.
    pub free: i64,
    /// The first wait; each further failure doubles it, up to `max_delay_ms`.
    pub delay_ms: i64,
    pub max_delay_ms: i64,
    /// After this long without attempts (past the wait), the count starts over.
    pub quiet_ms: i64,
}

/// Counts one log-in attempt of `account` from `client` unless it must still wait: one guarded
/// upsert, so parallel attempts are counted one by one and those past the limit are refused.
/// Returns the attempts counted so far, or `None` when this one is refused.
pub async fn count_login_attempt(
    db: &Db,
    account: &str,
    client: &str,
    t: Throttle,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    let first_delay = if t.free <= 1 { t.delay_ms } else { 0 };
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO login_throttle (account, client, failures, delay_ms, last_at) VALUES ($1, $2, 1, $3, $4) \
         ON CONFLICT (account, client) DO UPDATE SET \
           failures = CASE WHEN login_throttle.last_at + login_throttle.delay_ms <= $5 THEN 1 \
                           ELSE login_throttle.failures + 1 END, \
           delay_ms = CASE WHEN login_throttle.last_at + login_throttle.delay_ms <= $5 THEN $3 \
                           WHEN login_throttle.failures + 1 < $6 THEN 0 \
                           WHEN login_throttle.delay_ms = 0 THEN $7 \
                           WHEN login_throttle.delay_ms * 2 > $8 THEN $8 \
                           ELSE login_throttle.delay_ms * 2 END, \
           last_at = $4 \
         WHERE login_throttle.last_at + login_throttle.delay_ms <= $4 \
         RETURNING failures",
    )
    .bind(account)
    .bind(client)
    .bind(first_delay)
    .bind(now)
    .bind(now - t.quiet_ms)
    .bind(t.free)
    .bind(t.delay_ms)
    .bind(t.max_delay_ms)
    .fetch_optional(db.w())
    .await?;
    Ok(row.map(|r| r.0))
}

/// When the next log-in attempt of `account` from `client` is allowed (unix ms), if it waits.
pub async fn select_login_wait(db: &Db, account: &str, client: &str) -> sqlx::Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT last_at + delay_ms FROM login_throttle WHERE account = $1 AND client = $2",
    )
    .bind(account)
    .bind(client)
    .fetch_optional(db.r())
    .await?;
    Ok(row.map(|r| r.0))
}

/// Forgets the log-in attempts of `account` from `client` (after a success).
pub async fn delete_login_throttle(db: &Db, account: &str, client: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE account = $1 AND client = $2")
        .bind(account)
        .bind(client)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Forgets the log-in attempts of `account` from every address (after a password reset).
pub async fn delete_login_throttles(db: &Db, account: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE account = $1")
        .bind(account)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Deletes sessions past their absolute or idle expiry, reset links older than a day and
/// log-in throttles quiet for a day or more. Returns how many sessions and reset links went.
pub async fn delete_expired(db: &Db, now: i64, idle_ms: i64) -> sqlx::Result<u64> {
    let s = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle_ms)
        .execute(db.w())
        .await?
        .rows_affected();
    let r = sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1")
        .bind(now - 24 * 3600 * 1000)
        .execute(db.w())
        .await?
        .rows_affected();
    // Waits last at most an hour, so a row two days old is a day past its wait.
    sqlx::query("DELETE FROM login_throttle WHERE last_at <= $1")
        .bind(now - 2 * 24 * 3600 * 1000)
        .execute(db.w())
        .await?;
    Ok(s + r)
}

/// Marks an account as made by `tutorium demo`.
pub async fn mark_demo(db: &Db, user_id: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET demo = 1 WHERE id = $1")
        .bind(user_id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Whether any account was made by `tutorium demo`.
pub async fn demo_accounts_exist(db: &Db) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE demo = 1 LIMIT 1")
        .fetch_optional(db.r())
        .await?;
    Ok(row.is_some())
}

// --- two-factor authentication -------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub struct MfaRow {
    pub secret: String,
    pub created_at: i64,
    pub enabled_at: Option<i64>,
}

pub async fn select_mfa(db: &Db, user: UserId) -> sqlx::Result<Option<MfaRow>> {
    sqlx::query_as("SELECT secret, created_at, enabled_at FROM user_mfa WHERE user_id = $1")
        .bind(user)
        .fetch_optional(db.r())
        .await
}

/// Starts (or restarts) an enrolment; never touches an enabled one.
pub async fn upsert_pending_mfa(db: &Db, user: UserId, sealed: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO user_mfa (user_id, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at \
         WHERE user_mfa.enabled_at IS NULL",
    )
    .bind(user)
    .bind(sealed)
    .bind(now)
    .execute(db.w())
    .await?;
    Ok(())
}

/// Turns the enrolment begun at `created_at` on; false when it was turned on (or replaced) meanwhile.
pub async fn enable_mfa(
    tx: &mut Tx,
    user: UserId,
    created_at: i64,
    step: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE user_mfa SET enabled_at = $1, last_step = $2 \
         WHERE user_id = $3 AND created_at = $4 AND enabled_at IS NULL",
    )
    .bind(now)
    .bind(step)
    .bind(user)
    .bind(created_at)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Accepts a code of `step` once: false when that step (or a later one) was used already.
pub async fn advance_mfa_step(db: &Db, user: UserId, step: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE user_mfa SET last_step = $1 WHERE user_id = $2 AND enabled_at IS NOT NULL AND last_step < $1",
    )
    .bind(step)
    .bind(user)
    .execute(db.w())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Spends a recovery code; false when it is unknown or spent.
pub async fn use_recovery_code(db: &Db, user: UserId, hash: &str, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE mfa_recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user)
    .bind(hash)
    .execute(db.w())
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn count_recovery_codes(db: &Db, user: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user)
    .fetch_one(db.r())
    .await?;
    Ok(n)
}

pub async fn replace_recovery_codes(
    tx: &mut Tx,
    user: UserId,
    hashes: &[String],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    for h in hashes {
        sqlx::query("INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user)
            .bind(h)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn mark_session_mfa(tx: &mut Tx, session: SessionId, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET mfa_at = $1 WHERE id = $2")
        .bind(now)
        .bind(session)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn session_mfa_at(db: &Db, session: SessionId) -> sqlx::Result<Option<i64>> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT mfa_at FROM sessions WHERE id = $1")
        .bind(session)
        .fetch_optional(db.r())
        .await?;
    Ok(row.and_then(|r| r.0))
}

/// Removes a second factor and its recovery codes; no session of the person stays verified.
pub async fn delete_mfa(tx: &mut Tx, user: UserId) -> sqlx::Result<()> {
    for q in [
        "DELETE FROM user_mfa WHERE user_id = $1",
        "DELETE FROM mfa_recovery_codes WHERE user_id = $1",
        "UPDATE sessions SET mfa_at = NULL WHERE user_id = $1",
    ] {
        sqlx::query(q).bind(user).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The ban of an account: (when, reason), if banned.
pub async fn select_ban(db: &Db, user: UserId) -> sqlx::Result<Option<(i64, String)>> {
    let row: Option<(Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT banned_at, banned_reason FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(db.r())
            .await?;
    Ok(row.and_then(|(at, reason)| at.map(|at| (at, reason.unwrap_or_default()))))
}
