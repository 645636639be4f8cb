//! The lists of post ids behind the feed tabs, tag pages and profiles: keyset pages read from
//! an index ("ids from the index, then rows"), the cards built afterwards in a few queries.

use super::{HotCursor, TimeCursor};
use crate::ids::{PostId, UserId, flag};
use crate::server::db::Db;
use crate::server::sql::Sql;

/// The start of a newest-first page.
fn time_start(after: TimeCursor) -> (i64, PostId) {
    after.unwrap_or((i64::MAX, PostId(i64::MAX)))
}

/// The start of a hottest-first page.
fn hot_start(after: HotCursor) -> (f64, PostId) {
    after.unwrap_or((f64::MAX, PostId(i64::MAX)))
}

/// Ids of the newest published posts by the people `viewer` follows ("ids from the index, then
/// rows": an index-only scan on posts_author, then a short lookup).
pub async fn following_ids(
    db: &Db,
    viewer: UserId,
    after: TimeCursor,
    limit: i64,
) -> sqlx::Result<Vec<PostId>> {
    let (t, id) = time_start(after);
    let rows: Vec<(PostId,)> = sqlx::query_as(
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
    exclude_author: Option<UserId>,
    limit: i64,
) -> sqlx::Result<Vec<(PostId, f64)>> {
    let (h, id) = hot_start(after);
    sqlx::query_as(
        "SELECT p.id, p.hot FROM posts p WHERE p.status = 'published' AND p.author_id <> $1 \
         AND (p.hot < $2 OR (p.hot = $2 AND p.id < $3)) ORDER BY p.hot DESC, p.id DESC LIMIT $4",
    )
    .bind(exclude_author.map_or(-1, UserId::get))
    .bind(h)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

/// The tags of the posts `user` liked or commented on, most frequent first.
pub async fn engaged_tags(db: &Db, user: UserId, limit: i64) -> sqlx::Result<Vec<String>> {
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
pub async fn engaged_authors(db: &Db, user: UserId, limit: i64) -> sqlx::Result<Vec<UserId>> {
    let rows: Vec<(UserId,)> = sqlx::query_as(
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

/// Appends the "matches the viewer's interests" condition of the For you tab: by one of
/// `authors` or tagged with one of `tags` (nothing matches when both are empty).
fn push_interests(q: &mut Sql, tags: &[String], authors: &[UserId]) {
    if tags.is_empty() && authors.is_empty() {
        q.push("1 = 0");
        return;
    }
    q.push("(");
    if !authors.is_empty() {
        q.push("p.author_id IN (")
            .push_list(authors.iter().copied())
            .push(")");
    }
    if !tags.is_empty() {
        if !authors.is_empty() {
            q.push(" OR ");
        }
        q.push("EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag IN (")
            .push_list(tags.iter().cloned())
            .push("))");
    }
    q.push(")");
}

/// (id, hot) of posts that match (`matching`) or do not match the viewer's interests, never
/// their own, hottest first.
pub async fn for_you_ids(
    db: &Db,
    viewer: UserId,
    tags: &[String],
    authors: &[UserId],
    matching: bool,
    after: HotCursor,
    limit: i64,
) -> sqlx::Result<Vec<(PostId, f64)>> {
    let (h, id) = hot_start(after);
    let mut q = Sql::new("SELECT p.id, p.hot FROM posts p WHERE p.status = 'published'");
    q.and("p.author_id <> {}", viewer);
    let (h, id) = (q.bind(h), q.bind(id));
    q.push(&format!(
        " AND (p.hot < {h} OR (p.hot = {h} AND p.id < {id}))"
    ));
    q.push(if matching { " AND " } else { " AND NOT " });
    push_interests(&mut q, tags, authors);
    q.push(" ORDER BY p.hot DESC, p.id DESC LIMIT ")
        .push_bind(limit);
    q.query_as().fetch_all(db.r()).await
}

/// Ids of the newest published posts with `tag`.
pub async fn tag_ids(
    db: &Db,
    tag: &str,
    after: TimeCursor,
    limit: i64,
) -> sqlx::Result<Vec<PostId>> {
    let (t, id) = time_start(after);
    let rows: Vec<(PostId,)> = sqlx::query_as(
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
    author: UserId,
    include_hidden: bool,
    after: TimeCursor,
    limit: i64,
) -> sqlx::Result<Vec<PostId>> {
    let (t, id) = time_start(after);
    let rows: Vec<(PostId,)> = sqlx::query_as(
        "SELECT p.id FROM posts p WHERE p.author_id = $1 AND (p.status = 'published' OR $2 = 1) \
         AND (p.created_at < $3 OR (p.created_at = $3 AND p.id < $4)) ORDER BY p.created_at DESC, p.id DESC LIMIT $5",
    )
    .bind(author)
    .bind(flag(include_hidden))
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// How many published posts `author` has (the count on their profile).
pub async fn count_published_by(db: &Db, author: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM posts WHERE author_id = $1 AND status = 'published'")
            .bind(author)
            .fetch_one(db.r())
            .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interests_are_the_authors_or_the_tags_and_nothing_without_either() {
        let mut q = Sql::new("");
        push_interests(&mut q, &["math".into(), "physics".into()], &[UserId(3)]);
        assert_eq!(
            q.text(),
            "(p.author_id IN ($1) OR EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag IN ($2, $3)))"
        );
        let mut q = Sql::new("");
        push_interests(&mut q, &["math".into()], &[]);
        assert_eq!(
            q.text(),
            "(EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag IN ($1)))"
        );
        let mut q = Sql::new("");
        push_interests(&mut q, &[], &[]);
        assert_eq!(q.text(), "1 = 0");
    }
}
