//! Notifications: in-app (a bell with a live unread count, a list, mark read) and e-mail digests.
//!
//! Kinds: a like on your post or comment, a comment on your post, a reply to your comment, a new
//! follower, a new post by someone you follow. E-mail follows the person's settings and goes
//! through the job queue as a digest: a burst of a hundred likes is one mail, not a hundred.
//! Posting fans out to followers in a job too, never on the request path.
//!
//! A notification names its subject generically (`subject_type` + `subject_id`, and the link
//! its feature made), so a new feature adds kinds, not columns. The bell is live: every change
//! of a person's unread count publishes on their `user:{id}` bus topic.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

crate::codes! {
    /// What happened (stored as the notification's `kind`).
    pub enum Kind {
        PostLike = "post_like",
        CommentLike = "comment_like",
        Comment = "comment",
        Reply = "reply",
        Follow = "follow",
        NewPost = "new_post",
        CourseApproved = "course_approved",
        CourseReturned = "course_returned",
    }
}

impl Kind {
    /// Whether a repeat of the same unread notification is dropped (a like, unlike and like
    /// again; a follow, unfollow and follow again). Comments differ by their link; every
    /// moderation result and new post is news.
    pub fn collapses(self) -> bool {
        matches!(self, Kind::PostLike | Kind::CommentLike | Kind::Follow)
    }

    /// The e-mail setting (profiles::NOTIFICATION_KINDS) that covers this kind.
    pub fn email_pref(self) -> &'static str {
        match self {
            Kind::PostLike | Kind::CommentLike => "likes",
            Kind::Comment | Kind::Reply => "comments",
            Kind::Follow => "new_follower",
            Kind::NewPost => "new_posts",
            Kind::CourseApproved | Kind::CourseReturned => "courses",
        }
    }

    /// "Anna liked your post" in the reader's language.
    pub fn sentence(self, actor: &str, l: crate::i18n::Locale) -> String {
        use crate::i18n::Locale::*;
        match (self, l) {
            (Kind::PostLike, En) => format!("{actor} liked your post"),
            (Kind::PostLike, Ru) => format!("{actor} оценил(а) вашу публикацию"),
            (Kind::CommentLike, En) => format!("{actor} liked your comment"),
            (Kind::CommentLike, Ru) => format!("{actor} оценил(а) ваш комментарий"),
            (Kind::Comment, En) => format!("{actor} commented on your post"),
            (Kind::Comment, Ru) => format!("{actor} прокомментировал(а) вашу публикацию"),
            (Kind::Reply, En) => format!("{actor} replied to your comment"),
            (Kind::Reply, Ru) => format!("{actor} ответил(а) на ваш комментарий"),
            (Kind::Follow, En) => format!("{actor} followed you"),
            (Kind::Follow, Ru) => format!("{actor} подписался(-ась) на вас"),
            (Kind::NewPost, En) => format!("{actor} published a new post"),
            (Kind::NewPost, Ru) => format!("{actor} опубликовал(а) новую запись"),
            (Kind::CourseApproved, En) => format!("{actor} approved your course"),
            (Kind::CourseApproved, Ru) => format!("{actor} одобрил(а) ваш курс"),
            (Kind::CourseReturned, En) => format!("{actor} returned your course with feedback"),
            (Kind::CourseReturned, Ru) => format!("{actor} вернул(а) ваш курс с замечаниями"),
        }
    }
}

/// One notification in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub actor: Option<crate::people::Author>,
    /// What it is about, as its feature names it: ("post", id), ("course", id), ("user", id).
    pub subject_type: String,
    pub subject_id: i64,
    /// Where it leads (made by the feature that sent it).
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// A page of notifications, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub next: Option<i64>,
    pub unread: i64,
}

/// What a notification is about: named by the feature that sends it, which also says where the
/// notification leads. Deleting the subject forgets its notifications
/// (`service::forget_subject`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub kind: &'static str,
    pub id: i64,
    pub link: String,
}

impl Subject {
    pub fn new(kind: &'static str, id: i64, link: impl Into<String>) -> Self {
        Subject {
            kind,
            id,
            link: link.into(),
        }
    }
}
