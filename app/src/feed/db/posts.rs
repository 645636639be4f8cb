//! Posts, their tags and counters, and the sitemap's lists.

use super::{POST_COLS, PostRow};
use crate::feed::{PostStatus, hot};
use crate::ids::{PostId, UserId, VideoId};
use crate::server::db::Db;
use crate::server::db::Tx;
use crate::server::sql::Sql;

/// Publishes a post with its tags; its id.
pub async fn insert_post(
    db: &Db,
    author_id: UserId,
    body: &str,
    body_html: &str,
    video_id: Option<VideoId>,
    tags: &[String],
    now: i64,
) -> sqlx::Result<PostId> {
    let mut tx = db.w().begin().await?;
    let (id,): (PostId,) = sqlx::query_as(
        "INSERT INTO posts (author_id, body, body_html, video_id, status, likes_count, comments_count, hot, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'published', 0, 0, $5, $6, $6) RETURNING id",
    )
    .bind(author_id)
    .bind(body)
    .bind(body_html)
    .bind(video_id)
    .bind(hot(0, 0, now))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    replace_tags(&mut tx, id, tags, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn replace_tags(
    tx: &mut Tx,
    post_id: PostId,
    tags: &[String],
    created_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM post_tags WHERE post_id = $1")
        .bind(post_id)
        .execute(&mut **tx)
        .await?;
    for t in tags {
        sqlx::query("INSERT INTO post_tags (post_id, tag, created_at) VALUES ($1, $2, $3)")
            .bind(post_id)
            .bind(t)
            .bind(created_at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Edits a post of `author_id`; false when it is not theirs.
pub async fn update_post(
    db: &Db,
    id: PostId,
    author_id: UserId,
    body: &str,
    body_html: &str,
    tags: &[String],
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE posts SET body = $1, body_html = $2, edited_at = $3, updated_at = $3 WHERE id = $4 AND author_id = $5 RETURNING created_at",
    )
    .bind(body)
    .bind(body_html)
    .bind(now)
    .bind(id)
    .bind(author_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((created_at,)) = row else {
        return Ok(false);
    };
    replace_tags(&mut tx, id, tags, created_at).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes a post (its tags, likes and comments go with it); the rows deleted.
pub async fn delete_post(db: &Db, id: PostId) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM posts WHERE id = $1")
        .bind(id)
        .execute(db.w())
        .await?
        .rows_affected())
}

/// Hides or shows a post; the rows changed (0: no such post).
pub async fn set_status(
    ex: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: PostId,
    status: PostStatus,
    now: i64,
) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE posts SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(now)
            .bind(id)
            .execute(ex)
            .await?
            .rows_affected(),
    )
}

/// One post, whatever its status.
pub async fn select_post(db: &Db, id: PostId) -> sqlx::Result<Option<PostRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {POST_COLS} FROM posts p WHERE p.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// Posts by ids, in no particular order.
pub async fn select_posts(db: &Db, ids: &[PostId]) -> sqlx::Result<Vec<PostRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(&format!("SELECT {POST_COLS} FROM posts p WHERE p.id IN ("));
    q.push_list(ids.iter().copied()).push(")");
    q.query_as().fetch_all(db.r()).await
}

/// (post_id, tag) for posts, by post then tag.
pub async fn select_tags(db: &Db, post_ids: &[PostId]) -> sqlx::Result<Vec<(PostId, String)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT post_id, tag FROM post_tags WHERE post_id IN (");
    q.push_list(post_ids.iter().copied())
        .push(") ORDER BY post_id, tag");
    q.query_as().fetch_all(db.r()).await
}

/// Moves a post's like and comment counters by the deltas inside `tx` and, when one moved,
/// recomputes `hot` in the same transaction. Returns the likes count after.
pub(super) async fn move_counters(
    tx: &mut Tx,
    post_id: PostId,
    likes: i64,
    comments: i64,
) -> sqlx::Result<i64> {
    let (likes_count, comments_count, created): (i64, i64, i64) = sqlx::query_as(
        "UPDATE posts SET likes_count = likes_count + $1, comments_count = comments_count + $2 \
         WHERE id = $3 RETURNING likes_count, comments_count, created_at",
    )
    .bind(likes)
    .bind(comments)
    .bind(post_id)
    .fetch_one(&mut **tx)
    .await?;
    if likes != 0 || comments != 0 {
        sqlx::query("UPDATE posts SET hot = $1 WHERE id = $2")
            .bind(hot(likes_count, comments_count, created))
            .bind(post_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(likes_count)
}

/// Published posts for the sitemap: (id, updated_at), by id after `after_id`.
pub async fn list_sitemap_posts(
    db: &Db,
    after_id: PostId,
    limit: i64,
) -> sqlx::Result<Vec<(PostId, i64)>> {
    sqlx::query_as("SELECT id, updated_at FROM posts WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2")
        .bind(after_id)
        .bind(limit)
        .fetch_all(db.r())
        .await
}

/// Tags in use for the sitemap.
pub async fn list_sitemap_tags(db: &Db, limit: i64) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT tag FROM post_tags ORDER BY tag LIMIT $1")
            .bind(limit)
            .fetch_all(db.r())
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
