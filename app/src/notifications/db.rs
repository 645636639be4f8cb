//! SQL of notifications.

use crate::ids::{NotificationId, UserId};
use crate::server::db::Db;
use crate::server::sql::Sql;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: NotificationId,
    pub kind: String,
    pub actor_id: Option<UserId>,
    pub subject_type: String,
    pub subject_id: i64,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

const COLS: &str = "id, kind, actor_id, subject_type, subject_id, link, created_at, read_at";

/// Adds a notification — unless `collapse` and the same unread one is already there (a like,
/// unlike and like again is one notification). Returns whether one was added.
pub async fn insert(
    db: &Db,
    user: UserId,
    kind: super::Kind,
    actor: UserId,
    subject: &super::Subject,
    now: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, subject_type, subject_id, link, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE $8 = 0 OR NOT EXISTS ( \
           SELECT 1 FROM notifications WHERE user_id = $1 AND kind = $2 AND actor_id = $3 \
           AND subject_type = $4 AND subject_id = $5 AND link = $6 AND read_at IS NULL)",
    )
    .bind(user)
    .bind(kind.code())
    .bind(actor)
    .bind(subject.kind)
    .bind(subject.id)
    .bind(&subject.link)
    .bind(now)
    .bind(crate::ids::flag(kind.collapses()))
    .execute(db.w())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The same notification for many people (a new post to its author's followers), in batches
/// of one multi-row INSERT each.
pub async fn insert_many(
    db: &Db,
    users: &[UserId],
    kind: &str,
    actor: UserId,
    subject: &super::Subject,
    now: i64,
) -> sqlx::Result<u64> {
    let mut n = 0;
    for chunk in users.chunks(500) {
        let mut q = Sql::new(
            "INSERT INTO notifications (user_id, kind, actor_id, subject_type, subject_id, link, created_at) VALUES ",
        );
        let (k, a, st, si, l, t) = (
            q.bind(kind.to_string()),
            q.bind(actor),
            q.bind(subject.kind.to_string()),
            q.bind(subject.id),
            q.bind(subject.link.clone()),
            q.bind(now),
        );
        for (i, u) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").push_bind(*u);
            q.push(&format!(", {k}, {a}, {st}, {si}, {l}, {t})"));
        }
        n += q.query().execute(db.w()).await?.rows_affected();
    }
    Ok(n)
}

/// Forgets the notifications about a subject (it was deleted); the people whose unread count
/// changed.
pub async fn delete_about(
    db: &Db,
    subject_type: &str,
    subject_id: i64,
) -> sqlx::Result<Vec<UserId>> {
    let rows: Vec<(UserId, Option<i64>)> = sqlx::query_as(
        "DELETE FROM notifications WHERE subject_type = $1 AND subject_id = $2 RETURNING user_id, read_at",
    )
    .bind(subject_type)
    .bind(subject_id)
    .fetch_all(db.w())
    .await?;
    let mut users: Vec<UserId> = rows
        .into_iter()
        .filter(|r| r.1.is_none())
        .map(|r| r.0)
        .collect();
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

pub async fn list(
    db: &Db,
    user: UserId,
    before_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM notifications WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    )))
    .bind(user)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

pub async fn unread_count(db: &Db, user: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user)
            .fetch_one(db.r())
            .await?;
    Ok(n)
}

pub async fn mark_read(db: &Db, user: UserId, id: NotificationId, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(user)
    .execute(db.w())
    .await?
    .rows_affected())
}

pub async fn mark_all_read(db: &Db, user: UserId, now: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

/// Unread notifications not yet mailed, oldest first (for the digest).
pub async fn list_unmailed(
    db: &Db,
    user: UserId,
    limit: i64,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM notifications \
         WHERE user_id = $1 AND emailed_at IS NULL AND read_at IS NULL ORDER BY id LIMIT $2"
    )))
    .bind(user)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

/// Marks the user's notifications up to `max_id` as handled by a digest.
pub async fn mark_emailed(
    db: &Db,
    user: UserId,
    max_id: NotificationId,
    now: i64,
) -> sqlx::Result<u64> {
    Ok(sqlx::query("UPDATE notifications SET emailed_at = $1 WHERE user_id = $2 AND id <= $3 AND emailed_at IS NULL")
        .bind(now)
        .bind(user)
        .bind(max_id)
        .execute(db.w())
        .await?
        .rows_affected())
}

/// Books the user's next digest; false when one is already booked.
pub async fn book_digest(db: &Db, user: UserId, due_at: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO digest_schedule (user_id, due_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user)
    .bind(due_at)
    .execute(db.w())
    .await?
    .rows_affected()
        == 1)
}

pub async fn clear_digest(db: &Db, user: UserId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM digest_schedule WHERE user_id = $1")
        .bind(user)
        .execute(db.w())
        .await?;
    Ok(())
}
