//! Who may do what in the feed — the one policy the use cases (`service`) apply.
//!
//! - publish a post: tutors (admins hold every role), with one of their own videos that has
//!   arrived (not failed, not still uploading);
//! - edit a post or a comment: its author only — checked by the conditional `UPDATE … WHERE
//!   author_id = …` in `db`, so that no read-then-write race can edit someone else's;
//! - delete a post or a comment: its author or a moderator;
//! - hide or show a post: moderators;
//! - see a hidden post (its page, the author's list on their profile): its author and
//!   moderators; everyone else gets `NotFound`, as if it did not exist;
//! - read the comments under a hidden post: its author;
//! - comment on a post: signed-in people, while it is published; liking a post or a comment
//!   needs the same, and is checked inside the like's transaction (`db::set_post_like`).

use super::PostStatus;
use super::db::{CommentRow, PostRow};
use crate::accounts::Role;
use crate::ids::UserId;
use crate::server::auth::Actor;
use crate::video::Status as VideoStatus;

/// Whether `actor` may publish posts: tutors.
pub fn may_publish(actor: &Actor) -> bool {
    actor.holds(Role::Tutor)
}

/// Whether `actor` may attach `video` to a post: their own, once it has arrived.
pub fn may_attach(actor: &Actor, video: &crate::video::db::VideoRow) -> bool {
    video.owner_id == actor.user
        && !matches!(video.status, VideoStatus::Failed | VideoStatus::Uploading)
}

/// Whether `actor` may hide or show posts: moderators.
pub fn may_hide(actor: &Actor) -> bool {
    actor.holds(Role::Moderator)
}

/// Whether `actor` may delete `post`: its author or a moderator.
pub fn may_delete_post(actor: &Actor, post: &PostRow) -> bool {
    post.author_id == actor.user || actor.holds(Role::Moderator)
}

/// Whether `actor` may delete `comment`: its author or a moderator, once.
pub fn may_delete_comment(actor: &Actor, comment: &CommentRow) -> bool {
    !comment.deleted && (comment.author_id == actor.user || actor.holds(Role::Moderator))
}

/// Whether `viewer` may see the hidden posts of `author`: the author and moderators.
pub fn may_see_hidden(viewer: Option<&Actor>, author: UserId) -> bool {
    viewer.is_some_and(|v| v.user == author || v.holds(Role::Moderator))
}

/// Whether `viewer` may read the comments under `post`: anyone while it is published, only its
/// author once hidden.
pub fn may_read_comments(viewer: Option<&Actor>, post: &PostRow) -> bool {
    post.status == PostStatus::Published || viewer.is_some_and(|v| v.user == post.author_id)
}

/// Whether `post` takes comments: while it is published.
pub fn may_comment(post: &PostRow) -> bool {
    post.status == PostStatus::Published
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CommentId, PostId};

    fn post(author: i64, status: PostStatus) -> PostRow {
        PostRow {
            id: PostId(1),
            author_id: UserId(author),
            body: String::new(),
            body_html: String::new(),
            video_id: None,
            status,
            likes_count: 0,
            comments_count: 0,
            hot: 0.0,
            created_at: 0,
            edited_at: None,
        }
    }

    fn comment(author: i64, deleted: bool) -> CommentRow {
        CommentRow {
            id: CommentId(1),
            post_id: PostId(1),
            parent_id: None,
            author_id: UserId(author),
            body: String::new(),
            body_html: String::new(),
            depth: 0,
            likes_count: 0,
            replies_count: 0,
            deleted,
            created_at: 0,
            edited_at: None,
        }
    }

    fn actor(user: i64, roles: &[Role]) -> Actor {
        Actor::acting_as(UserId(user), roles.to_vec())
    }

    #[test]
    fn tutors_publish_and_moderators_hide() {
        assert!(may_publish(&actor(1, &[Role::Tutor])));
        assert!(may_publish(&actor(1, &[Role::Admin])));
        assert!(!may_publish(&actor(1, &[Role::Student, Role::Moderator])));
        assert!(may_hide(&actor(1, &[Role::Moderator])));
        assert!(may_hide(&actor(1, &[Role::Admin])));
        assert!(!may_hide(&actor(1, &[Role::Tutor])));
    }

    #[test]
    fn the_author_or_a_moderator_deletes() {
        let p = post(1, PostStatus::Published);
        assert!(may_delete_post(&actor(1, &[Role::Tutor]), &p));
        assert!(may_delete_post(&actor(2, &[Role::Moderator]), &p));
        assert!(!may_delete_post(&actor(2, &[Role::Tutor]), &p));
        assert!(may_delete_comment(&actor(1, &[]), &comment(1, false)));
        assert!(may_delete_comment(
            &actor(2, &[Role::Moderator]),
            &comment(1, false)
        ));
        assert!(!may_delete_comment(&actor(2, &[]), &comment(1, false)));
        assert!(
            !may_delete_comment(&actor(1, &[]), &comment(1, true)),
            "a deleted comment is gone"
        );
    }

    #[test]
    fn hidden_posts_are_seen_by_their_author_and_moderators_only() {
        let hidden = post(1, PostStatus::Hidden);
        assert!(may_see_hidden(Some(&actor(1, &[])), UserId(1)));
        assert!(may_see_hidden(
            Some(&actor(2, &[Role::Moderator])),
            UserId(1)
        ));
        assert!(!may_see_hidden(Some(&actor(2, &[Role::Tutor])), UserId(1)));
        assert!(!may_see_hidden(None, UserId(1)));
        assert!(!may_comment(&hidden) && may_comment(&post(1, PostStatus::Published)));
        assert!(may_read_comments(Some(&actor(1, &[])), &hidden));
        assert!(!may_read_comments(None, &hidden));
        assert!(may_read_comments(None, &post(1, PostStatus::Published)));
    }
}
