//! SQL of the feed, by concern: posts and their tags (`posts`), the lists of post ids behind
//! the tabs, tag pages and profiles (`feeds`), comments (`comments`) and likes (`likes`).
//!
//! Counters (`likes_count`, `comments_count`, a comment's `likes_count` and `replies_count`)
//! move in the transaction of the row that changes them, and `hot` is recomputed there too
//! ([`posts::move_counters`]).

mod comments;
mod feeds;
mod likes;
mod posts;

pub use comments::*;
pub use feeds::*;
pub use likes::*;
pub use posts::*;

use super::PostStatus;
use crate::ids::{CommentId, PostId, UserId, VideoId};

/// A post as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PostRow {
    pub id: PostId,
    pub author_id: UserId,
    pub body: String,
    pub body_html: String,
    pub video_id: Option<VideoId>,
    #[sqlx(try_from = "String")]
    pub status: PostStatus,
    pub likes_count: i64,
    pub comments_count: i64,
    pub hot: f64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// A comment as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentRow {
    pub id: CommentId,
    pub post_id: PostId,
    pub parent_id: Option<CommentId>,
    pub author_id: UserId,
    pub body: String,
    pub body_html: String,
    pub depth: i64,
    pub likes_count: i64,
    pub replies_count: i64,
    /// The text is gone; the place stays while the comment has replies.
    #[sqlx(try_from = "crate::ids::Flag")]
    pub deleted: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

const POST_COLS: &str = "p.id, p.author_id, p.body, p.body_html, p.video_id, p.status, p.likes_count, p.comments_count, p.hot, p.created_at, p.edited_at";
/// A banned author's comments read as deleted (their text hidden, their place kept) until the
/// ban is lifted.
const COMMENT_COLS: &str = "id, post_id, parent_id, author_id, \
     CASE WHEN hidden_by_ban = 1 THEN '' ELSE body END AS body, \
     CASE WHEN hidden_by_ban = 1 THEN '' ELSE body_html END AS body_html, \
     depth, likes_count, replies_count, CASE WHEN hidden_by_ban = 1 THEN 1 ELSE deleted END AS deleted, created_at, edited_at";

/// Newest-first keyset cursor: (created_at, id); `None` starts at the top.
pub type TimeCursor = Option<(i64, PostId)>;
/// Hot-first keyset cursor: (hot, id).
pub type HotCursor = Option<(f64, PostId)>;
