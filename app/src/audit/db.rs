//! SQL of the audit log: one insert (inside the action's transaction) and a keyset list.

use super::AuditFilter;
use crate::server::db::Db;
use crate::server::db::Tx;
use crate::server::sql::Sql;

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub ip: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<i64>,
    pub target_label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

/// What one insert writes.
pub struct NewRow<'a> {
    pub at: i64,
    pub actor_id: Option<i64>,
    /// Used when the actor has no account row (the command line).
    pub actor_label: &'a str,
    pub ip: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<i64>,
    pub target_label: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: &'a str,
}

/// Appends an entry. The actor's label, and a user target's unless one is given, are their
/// e-mail addresses at this moment, read in the same statement.
pub async fn insert(tx: &mut Tx, r: NewRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_label, ip, action, target_kind, target_id, target_label, before, after, reason) \
         VALUES ($1, $2, COALESCE((SELECT email FROM users WHERE id = $2), $3), $4, $5, $6, $7, \
           COALESCE(NULLIF($8, ''), CASE WHEN $6 = 'user' THEN (SELECT email FROM users WHERE id = $7) END, ''), $9, $10, $11)",
    )
    .bind(r.at)
    .bind(r.actor_id)
    .bind(r.actor_label)
    .bind(r.ip)
    .bind(r.action)
    .bind(r.target_kind)
    .bind(r.target_id)
    .bind(r.target_label)
    .bind(r.before)
    .bind(r.after)
    .bind(r.reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Entries matching `f`, newest first, at most `limit` (keyset on id; each filter has an index).
pub async fn list(db: &Db, f: &AuditFilter, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    let mut q = Sql::new(
        "SELECT id, at, actor_id, actor_label, ip, action, target_kind, target_id, target_label, before, after, reason \
         FROM audit_log WHERE 1 = 1",
    );
    if !f.action.is_empty() {
        q.and("action = {}", f.action.clone());
    }
    if let Some(a) = f.actor {
        q.and("actor_id = {}", a);
    }
    if !f.target_kind.is_empty() {
        q.and("target_kind = {}", f.target_kind.clone());
        if let Some(t) = f.target_id {
            q.and("target_id = {}", t);
        }
    }
    if let Some(b) = f.before {
        q.and("id < {}", b);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
    q.query_as().fetch_all(db.r()).await
}
