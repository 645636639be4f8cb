//! SQL of the feed: posts, tags, likes, comments.

use crate::server::db::Db;
use crate::server::sql::placeholders;
use sqlx::{Any, Transaction};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub author_id: i64,
    pub body: String,
    pub body_html: String,
    pub video_id: Option<i64>,
    pub status: String,
    pub likes_count: i64,
    pub comments_count: i64,
    pub hot: f64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body: String,
    pub body_html: String,
    pub depth: i64,
    pub likes_count: i64,
    pub replies_count: i64,
    pub deleted: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

const POST_COLS: &str = "p.id, p.author_id, p.body, p.body_html, p.video_id, p.status, p.likes_count, p.comments_count, p.hot, p.created_at, p.edited_at";
const COMMENT_COLS: &str = "id, post_id, parent_id, author_id, body, body_html, depth, likes_count, replies_count, deleted, created_at, edited_at";

pub async fn insert_post(
    db: &Db,
    author_id: i64,
    body: &str,
    body_html: &str,
    video_id: Option<i64>,
    tags: &[String],
    now: i64,
) -> sqlx::Result<i64> {
    let mut tx = db.w().begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO posts (author_id, body, body_html, video_id, status, likes_count, comments_count, hot, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'published', 0, 0, $5, $6, $6) RETURNING id",
    )
    .bind(author_id)
    .bind(body)
    .bind(body_html)
    .bind(video_id)
    .bind(super::hot(0, 0, now))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    replace_tags(&mut tx, id, tags, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn replace_tags(
    tx: &mut Transaction<'_, Any>,
    post_id: i64,
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
    id: i64,
    author_id: i64,
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

pub async fn delete_post(db: &Db, id: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM posts WHERE id = $1")
        .bind(id)
        .execute(db.w())
        .await?
        .rows_affected())
}

pub async fn set_status(db: &Db, id: i64, status: &str, now: i64) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("UPDATE posts SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status)
            .bind(now)
            .bind(id)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

pub async fn select_post(db: &Db, id: i64) -> sqlx::Result<Option<PostRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {POST_COLS} FROM posts p WHERE p.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// Posts by ids, in no particular order.
pub async fn select_posts(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<PostRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {POST_COLS} FROM posts p WHERE p.id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

/// Newest-first keyset cursor: (created_at, id); `None` starts at the top.
pub type TimeCursor = Option<(i64, i64)>;
/// Hot-first keyset cursor: (hot, id).
pub type HotCursor = Option<(f64, i64)>;

/// Ids of the newest published posts by the people `viewer` follows ("ids from the index, then
/// rows": an index-only scan on posts_author, then a short lookup).
pub async fn following_ids(
    db: &Db,
    viewer: i64,
    after: TimeCursor,
    limit: i64,
) -> sqlx::Result<Vec<i64>> {
    let (t, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM posts p WHERE p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = $1) \
         AND p.status = 'published' AND (p.created_at < $2 OR (p.created_at = $2 AND p.id < $3)) \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $4",
    )
    .bind(viewer)
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// (id, hot) of the most popular published posts, optionally not by `exclude_author`.
pub async fn popular_ids(
    db: &Db,
    after: HotCursor,
    exclude_author: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<(i64, f64)>> {
    let (h, id) = after.unwrap_or((f64::MAX, i64::MAX));
    sqlx::query_as(
        "SELECT p.id, p.hot FROM posts p WHERE p.status = 'published' AND p.author_id <> $1 \
         AND (p.hot < $2 OR (p.hot = $2 AND p.id < $3)) ORDER BY p.hot DESC, p.id DESC LIMIT $4",
    )
    .bind(exclude_author.unwrap_or(-1))
    .bind(h)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

/// The tags of the posts `user` liked or commented on, most frequent first.
pub async fn engaged_tags(db: &Db, user: i64, limit: i64) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.tag, COUNT(*) AS n FROM post_tags t WHERE t.post_id IN ( \
           SELECT post_id FROM post_likes WHERE user_id = $1 \
           UNION SELECT post_id FROM comments WHERE author_id = $1) \
         GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT $2",
    )
    .bind(user)
    .bind(limit)
    .fetch_all(db.r())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Authors `user` follows or whose posts they liked.
pub async fn engaged_authors(db: &Db, user: i64, limit: i64) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT followee_id FROM follows WHERE follower_id = $1 \
         UNION SELECT p.author_id FROM post_likes l JOIN posts p ON p.id = l.post_id WHERE l.user_id = $1 \
         LIMIT $2",
    )
    .bind(user)
    .bind(limit)
    .fetch_all(db.r())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The "matches the viewer's interests" condition for the For you tab, with its binds from `$first`.
fn interest_sql(first: usize, tags: usize, authors: usize) -> String {
    let mut parts = Vec::new();
    if authors > 0 {
        parts.push(format!("p.author_id IN ({})", placeholders(first, authors)));
    }
    if tags > 0 {
        parts.push(format!(
            "EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag IN ({}))",
            placeholders(first + authors, tags)
        ));
    }
    if parts.is_empty() {
        "1 = 0".into()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// (id, hot) of posts that match (`matching`) or do not match the viewer's interests, never
/// their own, hottest first.
pub async fn for_you_ids(
    db: &Db,
    viewer: i64,
    tags: &[String],
    authors: &[i64],
    matching: bool,
    after: HotCursor,
    limit: i64,
) -> sqlx::Result<Vec<(i64, f64)>> {
    let (h, id) = after.unwrap_or((f64::MAX, i64::MAX));
    let cond = interest_sql(5, tags.len(), authors.len());
    let cond = if matching {
        cond
    } else {
        format!("NOT {cond}")
    };
    let sql = format!(
        "SELECT p.id, p.hot FROM posts p WHERE p.status = 'published' AND p.author_id <> $1 \
         AND (p.hot < $2 OR (p.hot = $2 AND p.id < $3)) AND {cond} ORDER BY p.hot DESC, p.id DESC LIMIT $4"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(viewer)
        .bind(h)
        .bind(id)
        .bind(limit);
    for a in authors {
        q = q.bind(*a);
    }
    for t in tags {
        q = q.bind(t.clone());
    }
    q.fetch_all(db.r()).await
}

/// Ids of the newest published posts with `tag`.
pub async fn tag_ids(db: &Db, tag: &str, after: TimeCursor, limit: i64) -> sqlx::Result<Vec<i64>> {
    let (t, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM post_tags t JOIN posts p ON p.id = t.post_id WHERE t.tag = $1 AND p.status = 'published' \
         AND (t.created_at < $2 OR (t.created_at = $2 AND t.post_id < $3)) ORDER BY t.created_at DESC, t.post_id DESC LIMIT $4",
    )
    .bind(tag)
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Ids of an author's posts, newest first (hidden ones only when `include_hidden`).
pub async fn author_ids(
    db: &Db,
    author: i64,
    include_hidden: bool,
    after: TimeCursor,
    limit: i64,
) -> sqlx::Result<Vec<i64>> {
    let (t, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM posts p WHERE p.author_id = $1 AND (p.status = 'published' OR $2 = 1) \
         AND (p.created_at < $3 OR (p.created_at = $3 AND p.id < $4)) ORDER BY p.created_at DESC, p.id DESC LIMIT $5",
    )
    .bind(author)
    .bind(include_hidden as i64)
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// (post_id, tag) for posts.
pub async fn select_tags(db: &Db, post_ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_id, tag FROM post_tags WHERE post_id IN ({}) ORDER BY post_id, tag",
        placeholders(1, post_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in post_ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

/// Which of `post_ids` `user` likes.
pub async fn select_liked(db: &Db, user: i64, post_ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT post_id FROM post_likes WHERE user_id = $1 AND post_id IN ({})",
        placeholders(2, post_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user);
    for id in post_ids {
        q = q.bind(*id);
    }
    let rows: Vec<(i64,)> = q.fetch_all(db.r()).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Likes or unlikes; returns (liked, count) after. Counts and hot move only when a row changes.
/// Refuses (None) a post that is not published.
pub async fn set_post_like(
    db: &Db,
    post_id: i64,
    user: i64,
    like: bool,
    now: i64,
) -> sqlx::Result<Option<(bool, i64)>> {
    let mut tx = db.w().begin().await?;
    let post: Option<(String,)> = sqlx::query_as("SELECT status FROM posts WHERE id = $1")
        .bind(post_id)
        .fetch_optional(&mut *tx)
        .await?;
    if post.as_ref().map(|p| p.0.as_str()) != Some("published") {
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
    let delta: i64 = if changed == 0 {
        0
    } else if like {
        1
    } else {
        -1
    };
    let (likes, comments, created): (i64, i64, i64) = sqlx::query_as(
        "UPDATE posts SET likes_count = likes_count + $1 WHERE id = $2 RETURNING likes_count, comments_count, created_at",
    )
    .bind(delta)
    .bind(post_id)
    .fetch_one(&mut *tx)
    .await?;
    if delta != 0 {
        sqlx::query("UPDATE posts SET hot = $1 WHERE id = $2")
            .bind(super::hot(likes, comments, created))
            .bind(post_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Some((like, likes)))
}

/// Adds a comment (or a reply) and moves the post's and parent's counters in one transaction.
pub async fn insert_comment(
    db: &Db,
    post_id: i64,
    parent: Option<(i64, i64)>,
    author_id: i64,
    body: &str,
    body_html: &str,
    now: i64,
) -> sqlx::Result<i64> {
    let mut tx = db.w().begin().await?;
    let depth = parent.map(|(_, d)| d + 1).unwrap_or(0);
    let (id,): (i64,) = sqlx::query_as(
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
    let (likes, comments, created): (i64, i64, i64) = sqlx::query_as(
        "UPDATE posts SET comments_count = comments_count + 1 WHERE id = $1 RETURNING likes_count, comments_count, created_at",
    )
    .bind(post_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE posts SET hot = $1 WHERE id = $2")
        .bind(super::hot(likes, comments, created))
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn select_comment(db: &Db, id: i64) -> sqlx::Result<Option<CommentRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COMMENT_COLS} FROM comments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// A page of the comments under `parent` (top level when `None`), oldest or newest first.
pub async fn list_comments(
    db: &Db,
    post_id: i64,
    parent: Option<i64>,
    newest_first: bool,
    after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<CommentRow>> {
    let (cmp, order) = if newest_first {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let start = after.unwrap_or(if newest_first { i64::MAX } else { 0 });
    let parent_cond = if parent.is_some() {
        "parent_id = $2"
    } else {
        "parent_id IS NULL AND $2 = 0"
    };
    let sql = format!(
        "SELECT {COMMENT_COLS} FROM comments WHERE post_id = $1 AND {parent_cond} AND id {cmp} $3 ORDER BY id {order} LIMIT $4"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(post_id)
        .bind(parent.unwrap_or(0))
        .bind(start)
        .bind(limit)
        .fetch_all(db.r())
        .await
}

pub async fn update_comment(
    db: &Db,
    id: i64,
    author: i64,
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
        let (likes, comments, created): (i64, i64, i64) = sqlx::query_as(
            "UPDATE posts SET comments_count = comments_count - 1 WHERE id = $1 RETURNING likes_count, comments_count, created_at",
        )
        .bind(c.post_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE posts SET hot = $1 WHERE id = $2")
            .bind(super::hot(likes, comments, created))
            .bind(c.post_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Likes or unlikes a comment of a published post; (liked, count) or None when not allowed.
pub async fn set_comment_like(
    db: &Db,
    comment_id: i64,
    user: i64,
    like: bool,
    now: i64,
) -> sqlx::Result<Option<(bool, i64)>> {
    let mut tx = db.w().begin().await?;
    let ok: Option<(i64, String)> = sqlx::query_as(
        "SELECT c.deleted, p.status FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = $1",
    )
    .bind(comment_id)
    .fetch_optional(&mut *tx)
    .await?;
    if !matches!(ok, Some((0, ref s)) if s == "published") {
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
    let delta: i64 = if changed == 0 {
        0
    } else if like {
        1
    } else {
        -1
    };
    let (count,): (i64,) = sqlx::query_as(
        "UPDATE comments SET likes_count = likes_count + $1 WHERE id = $2 RETURNING likes_count",
    )
    .bind(delta)
    .bind(comment_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((like, count)))
}

/// Which of `comment_ids` `user` likes.
pub async fn select_liked_comments(
    db: &Db,
    user: i64,
    comment_ids: &[i64],
) -> sqlx::Result<Vec<i64>> {
    if comment_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT comment_id FROM comment_likes WHERE user_id = $1 AND comment_id IN ({})",
        placeholders(2, comment_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user);
    for id in comment_ids {
        q = q.bind(*id);
    }
    let rows: Vec<(i64,)> = q.fetch_all(db.r()).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Published posts for the sitemap: (id, updated_at), by id after `after_id`.
pub async fn list_sitemap_posts(
    db: &Db,
    after_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
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
