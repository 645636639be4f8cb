//! Posts: cards for any list, one post's page, publishing, editing, deleting, hiding, likes.

use super::post_subject;
use crate::error::{AppError, Checks};
use crate::feed::{
    BODY_MAX, LikeState, PostCard, PostStatus, PostVideo, access, clean_body, db, parse_tags,
};
use crate::ids::{PostId, UserId, VideoId};
use crate::notifications::Kind;
use crate::people::authors;
use crate::server::auth::Actor;
use crate::server::rate_limit::{self, Limit};
use crate::server::{AppState, now_ms};
use crate::video::{Status as VideoStatus, VideoMsg, Visibility};

/// Cards for posts, in the order of `ids`, in a fixed number of queries whatever their number:
/// posts, authors, tags, the viewer's likes, videos (and their renditions, captions, positions).
/// Ids without a post are skipped.
pub async fn cards(
    st: &AppState,
    ids: &[PostId],
    viewer: Option<&Actor>,
) -> Result<Vec<PostCard>, AppError> {
    let rows = db::select_posts(&st.db, ids).await?;
    let author_ids: Vec<UserId> = rows.iter().map(|r| r.author_id).collect();
    let authors = authors(st, &author_ids).await?;
    let tags = db::select_tags(&st.db, ids).await?;
    let liked = match viewer {
        Some(v) => db::select_liked(&st.db, v.user, ids).await?,
        None => Vec::new(),
    };
    let video_ids: Vec<VideoId> = rows.iter().filter_map(|r| r.video_id).collect();
    let videos = crate::video::db::select_by_ids(&st.db, &video_ids).await?;
    let views = crate::video::service::build_views(st, &videos, viewer).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(r) = rows.iter().find(|r| r.id == *id) else {
            continue;
        };
        let Some(author) = authors.get(&r.author_id).cloned() else {
            continue;
        };
        let video = r.video_id.and_then(|vid| {
            let v = videos.iter().find(|v| v.id == vid)?;
            let ready = v.status == VideoStatus::Ready;
            // `build_views` leaves out the videos this viewer may not watch.
            let view = views.iter().find(|w| w.public_id == v.public_id).cloned();
            Some(PostVideo {
                public_id: v.public_id.clone(),
                ready,
                unavailable: ready && view.is_none(),
                view: view.filter(|_| ready),
            })
        });
        out.push(PostCard {
            id: r.id.get(),
            author,
            body_html: r.body_html.clone(),
            body: r.body.clone(),
            tags: tags
                .iter()
                .filter(|(p, _)| p == id)
                .map(|(_, t)| t.clone())
                .collect(),
            video,
            likes_count: r.likes_count,
            comments_count: r.comments_count,
            liked: liked.contains(id),
            hidden: r.status == PostStatus::Hidden,
            is_mine: viewer.is_some_and(|v| v.user == r.author_id),
            created_at: r.created_at,
            edited_at: r.edited_at,
        });
    }
    Ok(out)
}

/// A post; a hidden one only for its author and moderators (`NotFound` for everyone else).
pub async fn get_post(
    st: &AppState,
    viewer: Option<&Actor>,
    id: PostId,
) -> Result<PostCard, AppError> {
    let card = cards(st, &[id], viewer)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    if card.hidden && !access::may_see_hidden(viewer, UserId(card.author.id)) {
        return Err(AppError::NotFound);
    }
    Ok(card)
}

/// Checks a post's body and tags into `checks`; their clean values (empty when refused, and
/// then `checks` fails).
fn post_fields(checks: &mut Checks, body: &str, tags: &str) -> (String, Vec<String>) {
    let body = clean_body(body, BODY_MAX)
        .map_err(|m| checks.add("body", m))
        .unwrap_or_default();
    let tags = parse_tags(tags)
        .map_err(|m| checks.add("tags", m))
        .unwrap_or_default();
    (body, tags)
}

/// Publishes a post of `actor` (a tutor): Markdown `body`, `tags` as typed ("#math, fractions"),
/// and the public id of one of their videos (`""` for none), which becomes public with the
/// post. Followers hear of it through the fan-out job. Errors: `Forbidden` (not a tutor),
/// `EmailUnconfirmed`,
/// `Validation` (body, tags, video), `RateLimited` (60 posts an hour).
pub async fn create_post(
    st: &AppState,
    actor: &Actor,
    body: &str,
    tags: &str,
    video: &str,
) -> Result<PostId, AppError> {
    if !access::may_publish(actor) {
        return Err(AppError::Forbidden);
    }
    actor.require_confirmed()?;
    let mut checks = Checks::new();
    let (body, tags) = post_fields(&mut checks, body, tags);
    let video = video.trim();
    let video_row = if video.is_empty() {
        None
    } else {
        match crate::video::db::select_by_public_id(&st.db, video).await? {
            Some(v) if access::may_attach(actor, &v) => Some(v),
            _ => {
                checks.add("video", VideoMsg::NotReady);
                None
            }
        }
    };
    checks.finish()?;
    let now = now_ms();
    if let Some(v) = &video_row {
        crate::video::db::set_visibility(&st.db, v.id, Visibility::Public, now).await?;
    }
    let key = format!("post:{}", actor.user);
    rate_limit::hit(
        &st.db,
        &key,
        Limit {
            max: 60,
            window_ms: 3_600_000,
        },
    )
    .await?;
    let id = db::insert_post(
        &st.db,
        actor.user,
        &body,
        &crate::markdown::render(&body),
        video_row.map(|v| v.id),
        &tags,
        now,
    )
    .await?;
    crate::feed::queue_fanout(st, actor.user, id).await?;
    Ok(id)
}

/// Edits `actor`'s own post; its card after. Errors: `NotFound` (missing or not theirs),
/// `Validation` (body, tags).
pub async fn update_post(
    st: &AppState,
    actor: &Actor,
    id: PostId,
    body: &str,
    tags: &str,
) -> Result<PostCard, AppError> {
    actor.require_confirmed()?;
    let mut checks = Checks::new();
    let (body, tags) = post_fields(&mut checks, body, tags);
    checks.finish()?;
    let html = crate::markdown::render(&body);
    if !db::update_post(&st.db, id, actor.user, &body, &html, &tags, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    cards(st, &[id], Some(actor))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Deletes a post (its author or a moderator) and the notifications about it.
/// Errors: `NotFound` (missing, or someone else's for a non-moderator).
pub async fn delete_post(st: &AppState, actor: &Actor, id: PostId) -> Result<(), AppError> {
    let post = db::select_post(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access::may_delete_post(actor, &post) {
        return Err(AppError::NotFound);
    }
    db::delete_post(&st.db, id).await?;
    crate::seo::forget_sitemap(st);
    crate::notifications::service::forget_subject(st, "post", id.get()).await?;
    Ok(())
}

/// Hides or shows a post (moderators). Errors: `Forbidden`, `NotFound`.
pub async fn set_post_hidden(
    st: &AppState,
    actor: &Actor,
    id: PostId,
    hidden: bool,
) -> Result<(), AppError> {
    if !access::may_hide(actor) {
        return Err(AppError::Forbidden);
    }
    let status = if hidden {
        PostStatus::Hidden
    } else {
        PostStatus::Published
    };
    let mut tx = st.db.w().begin().await?;
    if db::set_status(&mut *tx, id, status, now_ms()).await? == 0 {
        return Err(AppError::NotFound);
    }
    let action = if hidden {
        crate::audit::Action::PostHidden
    } else {
        crate::audit::Action::PostShown
    };
    let entry = crate::audit::Entry::on(action, "post", id.get(), String::new());
    crate::audit::record(&mut tx, &crate::audit::By::actor(actor), entry).await?;
    tx.commit().await?;
    crate::seo::forget_sitemap(st);
    Ok(())
}

/// Likes or unlikes a published post (idempotent); its author hears of a like.
/// Errors: `NotFound` (missing or hidden).
pub async fn like_post(
    st: &AppState,
    actor: &Actor,
    id: PostId,
    like: bool,
) -> Result<LikeState, AppError> {
    let (liked, count) = db::set_post_like(&st.db, id, actor.user, like, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    if like && let Some(p) = db::select_post(&st.db, id).await? {
        crate::notifications::service::notify(
            st,
            p.author_id,
            Kind::PostLike,
            actor.user,
            post_subject(id, None),
        )
        .await?;
    }
    Ok(LikeState { liked, count })
}
