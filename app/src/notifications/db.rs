//! SQL of notifications.

use crate::server::db::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub course_id: Option<i64>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Adds a notification unless the same unread one is already there (a like, unlike and like
/// again is one notification). Returns whether one was added.
pub async fn insert(
    db: &Db,
    user_id: i64,
    kind: &str,
    actor_id: i64,
    post_id: Option<i64>,
    comment_id: Option<i64>,
    now: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, post_id, comment_id, created_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS ( \
           SELECT 1 FROM notifications WHERE user_id = $1 AND kind = $2 AND actor_id = $3 \
           AND COALESCE(post_id, 0) = COALESCE($4, 0) AND COALESCE(comment_id, 0) = COALESCE($5, 0) AND read_at IS NULL)",
    )
    .bind(user_id)
    .bind(kind)
    .bind(actor_id)
    .bind(post_id)
    .bind(comment_id)
    .bind(now)
    .execute(db.w())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A notification about a course (moderation results).
pub async fn insert_course(
    db: &Db,
    user_id: i64,
    kind: &str,
    actor_id: i64,
    course_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO notifications (user_id, kind, actor_id, course_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(kind)
        .bind(actor_id)
        .bind(course_id)
        .bind(now)
        .execute(db.w())
        .await?;
    Ok(())
}

/// One notification per follower of `author` for a new post, in one statement.
pub async fn fan_out_new_post(db: &Db, author: i64, post_id: i64, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, post_id, created_at) \
         SELECT follower_id, 'new_post', $1, $2, $3 FROM follows WHERE followee_id = $1",
    )
    .bind(author)
    .bind(post_id)
    .bind(now)
    .execute(db.w())
    .await?
    .rows_affected())
}

/// Followers of `author` (for scheduling their digests).
pub async fn followers_of(db: &Db, author: i64) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT follower_id FROM follows WHERE followee_id = $1")
            .bind(author)
            .fetch_all(db.r())
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn list(
    db: &Db,
    user_id: i64,
    before_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as(
        "SELECT id, kind, actor_id, post_id, comment_id, course_id, created_at, read_at FROM notifications \
         WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(user_id)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

pub async fn unread_count(db: &Db, user_id: i64) -> sqlx::Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(db.r())
            .await?;
    Ok(n)
}

pub async fn mark_read(db: &Db, user_id: i64, id: i64, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(db.w())
    .await?
    .rows_affected())
}

pub async fn mark_all_read(db: &Db, user_id: i64, now: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

/// Unread notifications not yet mailed, oldest first (for the digest).
pub async fn list_unmailed(
    db: &Db,
    user_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as(
        "SELECT id, kind, actor_id, post_id, comment_id, course_id, created_at, read_at FROM notifications \
         WHERE user_id = $1 AND emailed_at IS NULL AND read_at IS NULL ORDER BY id LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

/// Marks the user's notifications up to `max_id` as handled by a digest.
pub async fn mark_emailed(db: &Db, user_id: i64, max_id: i64, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("UPDATE notifications SET emailed_at = $1 WHERE user_id = $2 AND id <= $3 AND emailed_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(max_id)
        .execute(db.w())
        .await?
        .rows_affected())
}

/// Books the user's next digest; false when one is already booked.
pub async fn book_digest(db: &Db, user_id: i64, due_at: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO digest_schedule (user_id, due_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(due_at)
    .execute(db.w())
    .await?
    .rows_affected()
        == 1)
}

pub async fn clear_digest(db: &Db, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM digest_schedule WHERE user_id = $1")
        .bind(user_id)
        .execute(db.w())
        .await?;
    Ok(())
}
