//! The use cases of the feed, callable from server functions, REST handlers, jobs, the CLI and
//! the demo alike: posts (`posts`: cards, publishing, editing, moderation, likes), the lists
//! behind the tabs, tag pages and profiles (`feeds`), and comments (`comments`).
//!
//! Each takes the state and who is acting (`&Actor`, or `Option<&Actor>` for what visitors may
//! read), decides through [`super::access`], and returns `AppError`s that name the field or the
//! reason. None reads Leptos context.

mod comments;
mod feeds;
mod posts;

pub use comments::*;
pub use feeds::*;
pub use posts::*;

use crate::ids::{CommentId, PostId};
use crate::notifications::Subject;

/// What a notification about a post (or a comment under it) names and links to.
fn post_subject(post: PostId, comment: Option<CommentId>) -> Subject {
    let link = match comment {
        Some(c) => format!("/posts/{post}#comment-{c}"),
        None => format!("/posts/{post}"),
    };
    Subject::new("post", post.get(), link)
}
