//! SQL of the staff area: the accounts list, a person's page, roles and bans.

use super::{ContentCounts, UserFilter};
use crate::ids::UserId;
use crate::server::db::Db;
use crate::server::db::Tx;
use crate::server::sql::Sql;

#[derive(sqlx::FromRow)]
pub struct AccountRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub handle: String,
    pub locale: String,
    pub email_confirmed_at: Option<i64>,
    pub created_at: i64,
    pub banned_at: Option<i64>,
    pub banned_reason: Option<String>,
    pub demo: i64,
    /// 1 when a second factor is on.
    pub mfa: i64,
}

const ACCOUNT_COLS: &str = "u.id, u.email, u.display_name, u.handle, u.locale, u.email_confirmed_at, u.created_at, \
     u.banned_at, u.banned_reason, u.demo, \
     CASE WHEN EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = u.id AND m.enabled_at IS NOT NULL) THEN 1 ELSE 0 END AS mfa";

/// Accounts matching `f`, newest first (keyset on id), at most `limit`.
pub async fn list_accounts(
    db: &Db,
    f: &UserFilter,
    joined_after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AccountRow>> {
    let mut q = Sql::new(&format!("SELECT {ACCOUNT_COLS} FROM users u WHERE 1 = 1"));
    let needle = f.q.trim().to_lowercase();
    if !needle.is_empty() {
        let like = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let p = q.bind(like);
        q.push(&format!(
            " AND (u.email LIKE {p} ESCAPE '\\' OR LOWER(u.display_name) LIKE {p} ESCAPE '\\' OR u.handle LIKE {p} ESCAPE '\\')"
        ));
    }
    if !f.role.is_empty() {
        q.and(
            "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = {})",
            f.role.clone(),
        );
    }
    match f.confirmed.as_str() {
        "yes" => {
            q.push(" AND u.email_confirmed_at IS NOT NULL");
        }
        "no" => {
            q.push(" AND u.email_confirmed_at IS NULL");
        }
        _ => {}
    }
    match f.banned.as_str() {
        "yes" => {
            q.push(" AND u.banned_at IS NOT NULL");
        }
        "no" => {
            q.push(" AND u.banned_at IS NULL");
        }
        _ => {}
    }
    if let Some(t) = joined_after {
        q.and("u.created_at >= {}", t);
    }
    if let Some(b) = f.before {
        q.and("u.id < {}", b);
    }
    q.push(" ORDER BY u.id DESC LIMIT ").push_bind(limit);
    q.query_as().fetch_all(db.r()).await
}

pub async fn select_account(db: &Db, id: UserId) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ACCOUNT_COLS} FROM users u WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// (user, role) of these accounts, for the list (one query).
pub async fn roles_of(db: &Db, ids: &[UserId]) -> sqlx::Result<Vec<(UserId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT user_id, role FROM user_roles WHERE user_id IN (");
    q.push_list(ids.iter().copied())
        .push(") ORDER BY user_id, role");
    q.query_as().fetch_all(db.r()).await
}

#[derive(sqlx::FromRow)]
pub struct StaffSessionRow {
    pub user_agent: String,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub mfa_at: Option<i64>,
}

/// A person's live sessions, newest use first.
pub async fn sessions_of(db: &Db, id: UserId, now: i64) -> sqlx::Result<Vec<StaffSessionRow>> {
    sqlx::query_as(
        "SELECT user_agent, ip, created_at, last_seen_at, mfa_at FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC LIMIT 50",
    )
    .bind(id)
    .bind(now)
    .fetch_all(db.r())
    .await
}

/// How much a person made (one query, each count on an index of its table).
pub async fn counts(db: &Db, id: UserId) -> sqlx::Result<ContentCounts> {
    let (posts, comments, courses, enrollments, videos): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM posts WHERE author_id = $1), \
             (SELECT COUNT(*) FROM comments WHERE author_id = $1), \
             (SELECT COUNT(*) FROM courses WHERE author_id = $1), \
             (SELECT COUNT(*) FROM enrollments WHERE user_id = $1), \
             (SELECT COUNT(*) FROM videos WHERE owner_id = $1)",
        )
        .bind(id)
        .fetch_one(db.r())
        .await?;
    Ok(ContentCounts {
        posts,
        comments,
        courses,
        enrollments,
        videos,
    })
}

pub async fn delete_role(tx: &mut Tx, user: UserId, role: &str) -> sqlx::Result<bool> {
    let r = sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user)
        .bind(role)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn role_codes(tx: &mut Tx, user: UserId) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// What a ban hid (or an unban brought back).
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Hidden {
    pub posts: u64,
    pub comments: u64,
    pub courses: u64,
    pub sessions: u64,
}

/// Bans an account that is not banned: records the reason, hides its published posts, its
/// comments and its published courses (marked, so the unban brings back only those), and ends
/// its sessions. `None` when it was banned already.
pub async fn ban(
    tx: &mut Tx,
    user: UserId,
    reason: &str,
    now: i64,
) -> sqlx::Result<Option<Hidden>> {
    let r = sqlx::query(
        "UPDATE users SET banned_at = $1, banned_reason = $2, updated_at = $1 WHERE id = $3 AND banned_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(None);
    }
    let posts = affected(tx, user, "UPDATE posts SET status = 'hidden', hidden_by_ban = 1 WHERE author_id = $1 AND status = 'published'").await?;
    let comments = affected(
        tx,
        user,
        "UPDATE comments SET hidden_by_ban = 1 WHERE author_id = $1 AND hidden_by_ban = 0",
    )
    .await?;
    let courses = affected(tx, user, "UPDATE courses SET status = 'archived', hidden_by_ban = 1 WHERE author_id = $1 AND status = 'published'").await?;
    let sessions = affected(tx, user, "DELETE FROM sessions WHERE user_id = $1").await?;
    Ok(Some(Hidden {
        posts,
        comments,
        courses,
        sessions,
    }))
}

/// Runs `sql` with `$1` = `user`; how many rows it changed.
async fn affected(tx: &mut Tx, user: UserId, sql: &'static str) -> sqlx::Result<u64> {
    Ok(sqlx::query(sql)
        .bind(user)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Lifts a ban and brings back what it hid. `None` when the account was not banned.
pub async fn unban(tx: &mut Tx, user: UserId, now: i64) -> sqlx::Result<Option<Hidden>> {
    let r = sqlx::query(
        "UPDATE users SET banned_at = NULL, banned_reason = NULL, updated_at = $1 WHERE id = $2 AND banned_at IS NOT NULL",
    )
    .bind(now)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(None);
    }
    let posts = affected(tx, user, "UPDATE posts SET status = 'published', hidden_by_ban = 0 WHERE author_id = $1 AND hidden_by_ban = 1").await?;
    let comments = affected(
        tx,
        user,
        "UPDATE comments SET hidden_by_ban = 0 WHERE author_id = $1 AND hidden_by_ban = 1",
    )
    .await?;
    let courses = affected(tx, user, "UPDATE courses SET status = 'published', hidden_by_ban = 0 WHERE author_id = $1 AND hidden_by_ban = 1").await?;
    Ok(Some(Hidden {
        posts,
        comments,
        courses,
        sessions: 0,
    }))
}

/// The ids of a person's courses (to refresh the search index after a ban).
pub async fn course_ids_of(db: &Db, user: UserId) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM courses WHERE author_id = $1")
        .bind(user)
        .fetch_all(db.r())
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
