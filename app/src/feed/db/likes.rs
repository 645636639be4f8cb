//! Likes of posts and comments: idempotent toggles whose counters move only when a row changes,
//! and which of a page's posts or comments the viewer likes.

use super::posts::move_counters;
use crate::ids::{CommentId, PostId, UserId};
use crate::server::db::Db;
use crate::server::sql::Sql;

/// +1 for a like that was added, -1 for one that was removed, 0 when nothing changed.
fn delta(like: bool, rows_changed: u64) -> i64 {
    match (rows_changed, like) {
        (0, _) => 0,
        (_, true) => 1,
        (_, false) => -1,
    }
}

/// Which of `post_ids` `user` likes.
pub async fn select_liked(db: &Db, user: UserId, post_ids: &[PostId]) -> sqlx::Result<Vec<PostId>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT post_id FROM post_likes WHERE user_id = ");
    q.push_bind(user)
        .push(" AND post_id IN (")
        .push_list(post_ids.iter().copied())
        .push(")");
    let rows: Vec<(PostId,)> = q.query_as().fetch_all(db.r()).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Likes or unlikes; returns (liked, count) after. Counts and hot move only when a row changes.
/// Refuses (None) a post that is not published.
pub async fn set_post_like(
    db: &Db,
    post_id: PostId,
    user: UserId,
    like: bool,
    now: i64,
) -> sqlx::Result<Option<(bool, i64)>> {
    let mut tx = db.w().begin().await?;
    let open: Option<(PostId,)> =
        sqlx::query_as("SELECT id FROM posts WHERE id = $1 AND status = 'published'")
            .bind(post_id)
            .fetch_optional(&mut *tx)
            .await?;
    if open.is_none() {
        return Ok(None);
    }
    let changed = if like {
        sqlx::query("INSERT INTO post_likes (post_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(post_id)
            .bind(user)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    } else {
        sqlx::query("DELETE FROM post_likes WHERE post_id = $1 AND user_id = $2")
            .bind(post_id)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    };
    let likes = move_counters(&mut tx, post_id, delta(like, changed), 0).await?;
    tx.commit().await?;
    Ok(Some((like, likes)))
}

/// Likes or unlikes a comment (not deleted) of a published post; (liked, count) or None when
/// not allowed.
pub async fn set_comment_like(
    db: &Db,
    comment_id: CommentId,
    user: UserId,
    like: bool,
    now: i64,
) -> sqlx::Result<Option<(bool, i64)>> {
    let mut tx = db.w().begin().await?;
    let open: Option<(CommentId,)> = sqlx::query_as(
        "SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id \
         WHERE c.id = $1 AND c.deleted = 0 AND p.status = 'published'",
    )
    .bind(comment_id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_none() {
        return Ok(None);
    }
    let changed = if like {
        sqlx::query("INSERT INTO comment_likes (comment_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(comment_id)
            .bind(user)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    } else {
        sqlx::query("DELETE FROM comment_likes WHERE comment_id = $1 AND user_id = $2")
            .bind(comment_id)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    };
    let (count,): (i64,) = sqlx::query_as(
        "UPDATE comments SET likes_count = likes_count + $1 WHERE id = $2 RETURNING likes_count",
    )
    .bind(delta(like, changed))
    .bind(comment_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((like, count)))
}

/// Which of `comment_ids` `user` likes.
pub async fn select_liked_comments(
    db: &Db,
    user: UserId,
    comment_ids: &[CommentId],
) -> sqlx::Result<Vec<CommentId>> {
    if comment_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT comment_id FROM comment_likes WHERE user_id = ");
    q.push_bind(user)
        .push(" AND comment_id IN (")
        .push_list(comment_ids.iter().copied())
        .push(")");
    let rows: Vec<(CommentId,)> = q.query_as().fetch_all(db.r()).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
