//! Comments: a page of one level (top-level ones or the replies to one comment), writing,
//! replying, editing, deleting and likes, with the notifications they cause.

use super::post_subject;
use crate::error::{AppError, Msg};
use crate::feed::{
    COMMENT_MAX, COMMENTS_PAGE, Comment, CommentPage, FeedMsg, LikeState, access, clean_body, db,
};
use crate::ids::{CommentId, PostId};
use crate::notifications::Kind;
use crate::people::authors;
use crate::server::auth::Actor;
use crate::server::rate_limit::{self, Limit};
use crate::server::{AppState, now_ms};

/// Comments as a thread shows them (one query for the authors, one for the viewer's likes).
/// A deleted comment keeps its place without its author.
pub async fn comment_views(
    st: &AppState,
    rows: Vec<db::CommentRow>,
    viewer: Option<&Actor>,
) -> Result<Vec<Comment>, AppError> {
    let ids: Vec<CommentId> = rows.iter().map(|c| c.id).collect();
    let author_ids: Vec<crate::ids::UserId> = rows.iter().map(|c| c.author_id).collect();
    let authors = authors(st, &author_ids).await?;
    let liked = match viewer {
        Some(v) => db::select_liked_comments(&st.db, v.user, &ids).await?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|c| Comment {
            id: c.id.get(),
            post_id: c.post_id.get(),
            parent_id: c.parent_id.map(CommentId::get),
            depth: c.depth,
            author: if c.deleted {
                None
            } else {
                authors.get(&c.author_id).cloned()
            },
            body_html: c.body_html,
            body: c.body,
            deleted: c.deleted,
            likes_count: c.likes_count,
            liked: liked.contains(&c.id),
            replies_count: c.replies_count,
            is_mine: viewer.is_some_and(|v| v.user == c.author_id) && !c.deleted,
            created_at: c.created_at,
            edited_at: c.edited_at,
        })
        .collect())
}

/// A page of the comments under `post` (`parent` `None`) or the replies to one comment, oldest
/// first (newest first with `newest`); `cursor` is the previous page's `next`.
/// Errors: `NotFound` (no post, or hidden from this viewer), `BadRequest` (bad cursor).
pub async fn list_comments(
    st: &AppState,
    viewer: Option<&Actor>,
    post: PostId,
    parent: Option<CommentId>,
    cursor: &str,
    newest: bool,
) -> Result<CommentPage, AppError> {
    let p = db::select_post(&st.db, post)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access::may_read_comments(viewer, &p) {
        return Err(AppError::NotFound);
    }
    let after = if cursor.is_empty() {
        None
    } else {
        Some(
            cursor
                .parse::<CommentId>()
                .map_err(|_| AppError::BadRequest(Msg::BadInput))?,
        )
    };
    let limit = COMMENTS_PAGE;
    let mut rows = db::list_comments(&st.db, post, parent, newest, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|c| c.id.to_string())
    } else {
        None
    };
    Ok(CommentPage {
        items: comment_views(st, rows, viewer).await?,
        next,
    })
}

/// Comments on a published post as `actor`, or replies to `parent`, a comment under the same
/// post. The parent's author hears of a reply, the post's author of a comment (once when they
/// are the same person). Errors: `Validation` (empty or too long body, a parent from another
/// post), `NotFound` (post missing or hidden), `RateLimited` (120 comments an hour).
pub async fn add_comment(
    st: &AppState,
    actor: &Actor,
    post: PostId,
    parent: Option<CommentId>,
    body: &str,
) -> Result<Comment, AppError> {
    actor.require_confirmed()?;
    let body = clean_body(body, COMMENT_MAX).map_err(|m| AppError::field("body", m))?;
    let p = db::select_post(&st.db, post)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access::may_comment(&p) {
        return Err(AppError::NotFound);
    }
    let parent = match parent {
        None => None,
        Some(id) => match db::select_comment(&st.db, id).await? {
            Some(c) if c.post_id == post => Some(c),
            _ => return Err(AppError::field("parent", FeedMsg::CommentWrongPost)),
        },
    };
    let key = format!("comment:{}", actor.user);
    rate_limit::hit(
        &st.db,
        &key,
        Limit {
            max: 120,
            window_ms: 3_600_000,
        },
    )
    .await?;
    let id = db::insert_comment(
        &st.db,
        post,
        parent.as_ref().map(|c| (c.id, c.depth)),
        actor.user,
        &body,
        &crate::markdown::render(&body),
        now_ms(),
    )
    .await?;
    let subject = || post_subject(post, Some(id));
    let replied_to = parent.filter(|c| !c.deleted).map(|c| c.author_id);
    if let Some(a) = replied_to {
        crate::notifications::service::notify(st, a, Kind::Reply, actor.user, subject()).await?;
    }
    if replied_to != Some(p.author_id) {
        crate::notifications::service::notify(
            st,
            p.author_id,
            Kind::Comment,
            actor.user,
            subject(),
        )
        .await?;
    }
    let row = db::select_comment(&st.db, id)
        .await?
        .ok_or(AppError::Internal)?;
    comment_views(st, vec![row], Some(actor))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Edits `actor`'s own comment. Errors: `Validation` (body), `NotFound` (missing, deleted or
/// not theirs).
pub async fn edit_comment(
    st: &AppState,
    actor: &Actor,
    id: CommentId,
    body: &str,
) -> Result<Comment, AppError> {
    let body = clean_body(body, COMMENT_MAX).map_err(|m| AppError::field("body", m))?;
    let html = crate::markdown::render(&body);
    if !db::update_comment(&st.db, id, actor.user, &body, &html, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    let row = db::select_comment(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    comment_views(st, vec![row], Some(actor))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Deletes a comment (its author or a moderator); with replies, "deleted" stays in its place.
/// Errors: `NotFound` (missing, already deleted, or someone else's for a non-moderator).
pub async fn delete_comment(st: &AppState, actor: &Actor, id: CommentId) -> Result<(), AppError> {
    let c = db::select_comment(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access::may_delete_comment(actor, &c) {
        return Err(AppError::NotFound);
    }
    db::delete_comment(&st.db, &c).await?;
    Ok(())
}

/// Likes or unlikes a comment (idempotent); its author hears of a like.
/// Errors: `NotFound` (missing, deleted, or under a hidden post).
pub async fn like_comment(
    st: &AppState,
    actor: &Actor,
    id: CommentId,
    like: bool,
) -> Result<LikeState, AppError> {
    let (liked, count) = db::set_comment_like(&st.db, id, actor.user, like, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    if like && let Some(c) = db::select_comment(&st.db, id).await? {
        crate::notifications::service::notify(
            st,
            c.author_id,
            Kind::CommentLike,
            actor.user,
            post_subject(c.post_id, Some(id)),
        )
        .await?;
    }
    Ok(LikeState { liked, count })
}
