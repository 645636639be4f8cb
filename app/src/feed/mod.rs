//! The social feed: tutors' posts (safe Markdown, an optional video, up to five tags), likes,
//! threaded comments, and the feed tabs Following, Popular and For you, plus tag pages.
//!
//! Invariants:
//! - `likes_count`, `comments_count` and a comment's `likes_count` change in the same transaction
//!   as the like or comment row, by conditional inserts/deletes: exact under concurrency;
//! - `hot` (popularity with time decay, Reddit-style: log10 of engagement plus creation time /
//!   45 000 s) is recomputed in that same transaction, so it never needs a batch job, and newer
//!   posts rank above older ones of equal engagement;
//! - user text is stored as written and rendered once, on write, through Markdown and an HTML
//!   sanitiser (a small allow-list: emphasis, links, lists, code, quotes); nothing else reaches a
//!   page as markup;
//! - hidden posts (by a moderator) appear in no feed and cannot be liked or commented; their
//!   author still sees them;
//! - a feed page is a bounded number of queries whatever its size (posts, then authors, tags,
//!   the viewer's likes and videos in one query each).

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
mod messages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use messages::FeedMsg;

use crate::error::Msg;
pub use crate::people::Author;
use serde::{Deserialize, Serialize};

pub const BODY_MAX: usize = 5000;
pub const COMMENT_MAX: usize = 2000;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX: usize = 30;
pub const PAGE: i64 = 10;
pub const COMMENTS_PAGE: i64 = 20;
/// Replies deeper than this are shown behind "continue thread".
pub const SHOWN_DEPTH: i64 = 4;

/// The video of a post, as a card shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostVideo {
    pub public_id: String,
    pub ready: bool,
    /// Present when ready and the viewer may watch it (the video policy: a video made private,
    /// e.g. for a lesson, plays for its owner only — no links are made for anyone else).
    pub view: Option<crate::video::VideoView>,
    /// Ready, but not for this viewer.
    pub unavailable: bool,
}

/// A post in a feed or on its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostCard {
    pub id: i64,
    pub author: Author,
    pub body_html: String,
    pub body: String,
    pub tags: Vec<String>,
    pub video: Option<PostVideo>,
    pub likes_count: i64,
    pub comments_count: i64,
    pub liked: bool,
    pub hidden: bool,
    pub is_mine: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// One page of posts and the cursor of the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<PostCard>,
    pub next: Option<String>,
}

crate::codes! {
    /// The tabs of the feed (the code is the `?tab=` value and the `tab` argument of `feed/list`).
    pub enum Tab {
        Following = "following",
        Popular = "popular",
        ForYou = "for-you",
    }
}

crate::codes! {
    /// Where a post stands: moderators hide published posts and may show them again.
    pub enum PostStatus {
        Published = "published",
        /// In no feed, closed to likes and comments; its author (and moderators) still see it.
        Hidden = "hidden",
    }
}

/// A comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    /// `None` when deleted (the place stays while it has replies).
    pub author: Option<Author>,
    pub body_html: String,
    pub body: String,
    pub deleted: bool,
    pub likes_count: i64,
    pub liked: bool,
    pub replies_count: i64,
    pub is_mine: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

/// A page of comments (one level: top-level ones, or the replies to one comment).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentPage {
    pub items: Vec<Comment>,
    pub next: Option<String>,
}

/// A like button's state after a click.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LikeState {
    pub liked: bool,
    pub count: i64,
}

/// Trims and checks a post body.
pub fn clean_body(s: &str, max: usize) -> Result<String, Msg> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Msg::Required);
    }
    if t.chars().count() > max {
        return Err(Msg::TooLong { max: max as u32 });
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Msg::BadInput);
    }
    Ok(t.replace("\r\n", "\n"))
}

/// Parses "#Rust, math  #ЕГЭ" into normalised tags: lower case, letters, digits, `-` and `_`;
/// at most five, each at most 30 characters, no duplicates.
pub fn parse_tags(s: &str) -> Result<Vec<String>, Msg> {
    let mut out: Vec<String> = Vec::new();
    for raw in s.split(|c: char| c == ',' || c.is_whitespace()) {
        let t = raw.trim().trim_start_matches('#').to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > TAG_MAX
            || !t
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Msg::Feed(FeedMsg::TagInvalid));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > TAGS_MAX {
        return Err(Msg::TooMany {
            max: TAGS_MAX as u32,
        });
    }
    Ok(out)
}

/// Reddit-style popularity: engagement on a log scale plus creation time, so that it needs no
/// recomputation as time passes (newer posts simply start higher).
pub fn hot(likes: i64, comments: i64, created_at_ms: i64) -> f64 {
    let engagement = (likes + 2 * comments).max(0) as f64;
    (1.0 + engagement).log10() + (created_at_ms as f64 / 1000.0) / 45_000.0
}

/// Tells an author's followers about their new post, off the request path. Payload:
/// `{"author": …, "post_id": …}`. (The stored name predates the feed owning it.)
#[cfg(feature = "ssr")]
pub const FANOUT_JOB: crate::server::jobs::JobKind = crate::server::jobs::JobKind {
    name: "notify.fanout",
    lane: crate::server::jobs::Lane::Messages,
    max_attempts: 5,
    scrub_payload: false,
};

#[cfg(feature = "ssr")]
mod server {
    use super::FANOUT_JOB;
    use crate::error::AppError;
    use crate::ids::{PostId, UserId};
    use crate::notifications::{Kind, Subject};
    use crate::server::AppState;
    use crate::server::hooks::Hooks;
    use crate::server::jobs::{self, Job, JobFailure, JobHandler};

    /// Registers the fan-out job.
    pub fn register(hooks: &mut Hooks) {
        hooks.job(JobHandler {
            kind: &FANOUT_JOB,
            timeout: |_| std::time::Duration::from_secs(300),
            run: |st, job, _| Box::pin(run_fanout(st, job)),
            on_failure: None,
        });
    }

    /// Queues the fan-out of a new post to its author's followers.
    pub async fn queue_fanout(st: &AppState, author: UserId, post: PostId) -> Result<(), AppError> {
        jobs::enqueue(
            &st.db,
            &FANOUT_JOB,
            &serde_json::json!({ "author": author, "post_id": post }),
            Some(&format!("post:{post}")),
        )
        .await?;
        Ok(())
    }

    /// One notification per follower (of a post that still exists), then their digests.
    async fn run_fanout(st: &AppState, job: &Job) -> Result<(), JobFailure> {
        let p = job.payload_json();
        let author = UserId(p["author"].as_i64().unwrap_or(0));
        let post = PostId(p["post_id"].as_i64().unwrap_or(0));
        if super::db::select_post(&st.db, post).await?.is_none() {
            return Ok(());
        }
        let followers = crate::profiles::db::follower_ids(&st.db, author).await?;
        crate::notifications::service::notify_many(
            st,
            &followers,
            Kind::NewPost,
            author,
            Subject::new("post", post.get(), format!("/posts/{post}")),
        )
        .await?;
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use server::{queue_fanout, register};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_limited() {
        assert_eq!(
            parse_tags("#Rust, math  #ЕГЭ math").unwrap(),
            vec!["rust", "math", "егэ"]
        );
        assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_tags("a b c d e f"), Err(Msg::TooMany { max: 5 }));
        assert_eq!(parse_tags("<script>"), Err(Msg::Feed(FeedMsg::TagInvalid)));
        assert_eq!(
            parse_tags("x\"onmouseover=alert(1)"),
            Err(Msg::Feed(FeedMsg::TagInvalid))
        );
        assert_eq!(
            parse_tags(&"a".repeat(31)),
            Err(Msg::Feed(FeedMsg::TagInvalid))
        );
    }

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(clean_body("  hi \r\n there ", 100).unwrap(), "hi \n there");
        assert_eq!(clean_body("   ", 100), Err(Msg::Required));
        assert_eq!(
            clean_body(&"x".repeat(101), 100),
            Err(Msg::TooLong { max: 100 })
        );
    }

    #[test]
    fn hot_grows_with_engagement_and_with_recency() {
        let t = 1_800_000_000_000;
        assert!(hot(10, 0, t) > hot(1, 0, t));
        assert!(hot(0, 5, t) > hot(5, 0, t));
        // A day newer beats ten times the likes.
        assert!(hot(0, 0, t + 86_400_000) > hot(9, 0, t));
    }
}
