//! Server functions of the feed: thin adapters over `service` (who is acting, raw ids to
//! newtypes, the page's HTTP status). Each states who may call it.

use super::{Comment, CommentPage, FeedPage, LikeState, PostCard};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Tab, service},
    crate::error::Msg,
    crate::ids::{CommentId, PostId},
    crate::server::{auth, state},
};

/// `parent` as the forms send it: 0 (or less) for none.
#[cfg(feature = "ssr")]
fn parent_id(parent: i64) -> Option<CommentId> {
    (parent > 0).then_some(CommentId(parent))
}

/// One page of a feed tab. Anyone may call it; Following needs a signed-in viewer (visitors get
/// `NotAuthenticated`), For you is Popular for visitors. `cursor` is the previous page's `next`.
/// Errors: `BadRequest` (unknown tab, bad cursor).
#[server(endpoint = "feed/list")]
pub async fn list_feed(
    tab: String,
    #[server(default)] cursor: String,
) -> Result<FeedPage, AppError> {
    let tab = Tab::from_code(&tab).ok_or(AppError::BadRequest(Msg::BadInput))?;
    service::list_feed(&state(), auth::current().as_ref(), tab, &cursor).await
}

/// Posts with a tag, newest first. Anyone may call it. Errors: `BadRequest` (bad tag or cursor).
#[server(endpoint = "feed/tag")]
pub async fn list_tag_posts(
    tag: String,
    #[server(default)] cursor: String,
) -> Result<FeedPage, AppError> {
    service::list_tag_posts(&state(), auth::current().as_ref(), &tag, &cursor).await
}

/// A person's posts, newest first (hidden ones only for themselves and moderators). Anyone may
/// call it. Errors: `NotFound`.
#[server(endpoint = "feed/user")]
pub async fn list_user_posts(
    handle: String,
    #[server(default)] cursor: String,
) -> Result<FeedPage, AppError> {
    service::list_user_posts(&state(), auth::current().as_ref(), &handle, &cursor).await
}

/// A post. Anyone may call it; a hidden post only its author and moderators. Errors: `NotFound`
/// (also the status of the page that shows it).
#[server(endpoint = "feed/post")]
pub async fn get_post(id: i64) -> Result<PostCard, AppError> {
    service::get_post(&state(), auth::current().as_ref(), PostId(id))
        .await
        .inspect_err(|e| {
            if *e == AppError::NotFound {
                crate::server::request::set_status(404);
            }
        })
}

/// Publishes a post. Tutors only. `video` is the id of one of their videos ("" for none); the
/// video becomes public with the post. Errors: `NotAuthenticated`, `Forbidden`, `Validation`.
#[server(endpoint = "feed/create")]
pub async fn create_post(
    body: String,
    #[server(default)] tags: String,
    #[server(default)] video: String,
) -> Result<i64, AppError> {
    let id = service::create_post(&state(), &auth::actor()?, &body, &tags, &video).await?;
    Ok(id.get())
}

/// Edits one's own post. Errors: `NotAuthenticated`, `NotFound` (not theirs), `Validation`.
#[server(endpoint = "feed/update")]
pub async fn update_post(
    id: i64,
    body: String,
    #[server(default)] tags: String,
) -> Result<PostCard, AppError> {
    service::update_post(&state(), &auth::actor()?, PostId(id), &body, &tags).await
}

/// Deletes one's own post (moderators: any). Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "feed/delete")]
pub async fn delete_post(id: i64) -> Result<(), AppError> {
    service::delete_post(&state(), &auth::actor()?, PostId(id)).await
}

/// Hides or shows any post. Moderators only. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`.
#[server(endpoint = "feed/hide")]
pub async fn set_post_hidden(id: i64, hidden: bool) -> Result<(), AppError> {
    service::set_post_hidden(&state(), &auth::actor()?, PostId(id), hidden).await
}

/// Likes or unlikes a post (idempotent). Errors: `NotAuthenticated`, `NotFound` (missing or hidden).
#[server(endpoint = "feed/like")]
pub async fn like_post(id: i64, like: bool) -> Result<LikeState, AppError> {
    service::like_post(&state(), &auth::actor()?, PostId(id), like).await
}

/// A page of comments under a post (`parent` 0) or the replies to one comment, oldest first (or
/// newest first with `newest`). Anyone may call it for a visible post. Errors: `NotFound`.
#[server(endpoint = "feed/comments")]
pub async fn list_comments(
    post: i64,
    #[server(default)] parent: i64,
    #[server(default)] cursor: String,
    #[server(default)] newest: bool,
) -> Result<CommentPage, AppError> {
    let viewer = auth::current();
    let (post, parent) = (PostId(post), parent_id(parent));
    service::list_comments(&state(), viewer.as_ref(), post, parent, &cursor, newest).await
}

/// Comments on a post, or replies to a comment of the same post. Signed-in people. Errors:
/// `NotAuthenticated`, `NotFound` (post missing or hidden), `Validation` (empty, too long, a
/// parent from another post).
#[server(endpoint = "feed/comment")]
pub async fn add_comment(
    post: i64,
    #[server(default)] parent: i64,
    body: String,
) -> Result<Comment, AppError> {
    let actor = auth::actor()?;
    service::add_comment(&state(), &actor, PostId(post), parent_id(parent), &body).await
}

/// Edits one's own comment. Errors: `NotAuthenticated`, `NotFound`, `Validation`.
#[server(endpoint = "feed/comment-edit")]
pub async fn edit_comment(id: i64, body: String) -> Result<Comment, AppError> {
    service::edit_comment(&state(), &auth::actor()?, CommentId(id), &body).await
}

/// Deletes one's own comment (moderators: any); with replies, "deleted" stays in its place.
/// Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "feed/comment-delete")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    service::delete_comment(&state(), &auth::actor()?, CommentId(id)).await
}

/// Likes or unlikes a comment (idempotent). Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "feed/comment-like")]
pub async fn like_comment(id: i64, like: bool) -> Result<LikeState, AppError> {
    service::like_comment(&state(), &auth::actor()?, CommentId(id), like).await
}
