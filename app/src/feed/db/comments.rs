//! Comments and replies: writing, reading a page of one level, editing, deleting.

use super::posts::move_counters;
use super::{COMMENT_COLS, CommentRow};
use crate::ids::{CommentId, PostId, UserId};
use crate::server::db::Db;
use crate::server::sql::Sql;

/// Adds a comment (or a reply to `parent`, given as (id, depth)) and moves the post's and the
/// parent's counters in one transaction.
pub async fn insert_comment(
    db: &Db,
    post_id: PostId,
    parent: Option<(CommentId, i64)>,
    author_id: UserId,
    body: &str,
    body_html: &str,
    now: i64,
) -> sqlx::Result<CommentId> {
    let mut tx = db.w().begin().await?;
    let depth = parent.map(|(_, d)| d + 1).unwrap_or(0);
    let (id,): (CommentId,) = sqlx::query_as(
        "INSERT INTO comments (post_id, parent_id, author_id, body, body_html, depth, likes_count, replies_count, deleted, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, $7) RETURNING id",
    )
    .bind(post_id)
    .bind(parent.map(|p| p.0))
    .bind(author_id)
    .bind(body)
    .bind(body_html)
    .bind(depth)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if let Some((pid, _)) = parent {
        sqlx::query("UPDATE comments SET replies_count = replies_count + 1 WHERE id = $1")
            .bind(pid)
            .execute(&mut *tx)
            .await?;
    }
    move_counters(&mut tx, post_id, 0, 1).await?;
    tx.commit().await?;
    Ok(id)
}

/// One comment (a deleted one too, while its place stays).
pub async fn select_comment(db: &Db, id: CommentId) -> sqlx::Result<Option<CommentRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMENT_COLS} FROM comments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// A page of the comments under `parent` (top level when `None`), oldest or newest first,
/// after the comment `after`.
pub async fn list_comments(
    db: &Db,
    post_id: PostId,
    parent: Option<CommentId>,
    newest_first: bool,
    after: Option<CommentId>,
    limit: i64,
) -> sqlx::Result<Vec<CommentRow>> {
    let start = after.unwrap_or(CommentId(if newest_first { i64::MAX } else { 0 }));
    let mut q = Sql::new(&format!(
        "SELECT {COMMENT_COLS} FROM comments WHERE post_id = "
    ));
    q.push_bind(post_id);
    match parent {
        Some(p) => q.and("parent_id = {}", p),
        None => q.push(" AND parent_id IS NULL"),
    };
    if newest_first {
        q.and("id < {}", start).push(" ORDER BY id DESC LIMIT ");
    } else {
        q.and("id > {}", start).push(" ORDER BY id ASC LIMIT ");
    }
    q.push_bind(limit);
    q.query_as().fetch_all(db.r()).await
}

/// Edits a comment of `author` that is not deleted; false otherwise.
pub async fn update_comment(
    db: &Db,
    id: CommentId,
    author: UserId,
    body: &str,
    body_html: &str,
    now: i64,
) -> sqlx::Result<bool> {
    Ok(sqlx::query("UPDATE comments SET body = $1, body_html = $2, edited_at = $3 WHERE id = $4 AND author_id = $5 AND deleted = 0")
        .bind(body)
        .bind(body_html)
        .bind(now)
        .bind(id)
        .bind(author)
        .execute(db.w())
        .await?
        .rows_affected()
        == 1)
}

/// Deletes a comment: its text goes; its place stays (as "deleted") while it has replies.
pub async fn delete_comment(db: &Db, c: &CommentRow) -> sqlx::Result<()> {
    let mut tx = db.w().begin().await?;
    if c.replies_count > 0 {
        sqlx::query("UPDATE comments SET deleted = 1, body = '', body_html = '' WHERE id = $1")
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("DELETE FROM comments WHERE id = $1")
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        if let Some(p) = c.parent_id {
            sqlx::query("UPDATE comments SET replies_count = replies_count - 1 WHERE id = $1")
                .bind(p)
                .execute(&mut *tx)
                .await?;
        }
        move_counters(&mut tx, c.post_id, 0, -1).await?;
    }
    tx.commit().await
}
