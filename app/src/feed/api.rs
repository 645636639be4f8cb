//! Server functions of the feed. Each states who may call it.

use super::{Comment, CommentPage, FeedPage, LikeState, PostCard};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::feed::FeedMsg;
#[cfg(feature = "ssr")]
use crate::video::VideoMsg;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{PostVideo, Tab, db},
    crate::accounts::Role,
    crate::error::Msg,
    crate::ids::UserId,
    crate::notifications::Kind,
    crate::notifications::Subject,
    crate::people::authors,
    crate::server::{AppState, auth, auth::Actor, now_ms, state},
};

/// What a notification about a post (or a comment under it) names and links to.
#[cfg(feature = "ssr")]
fn post_subject(post: i64, comment: Option<i64>) -> Subject {
    let link = match comment {
        Some(c) => format!("/posts/{post}#comment-{c}"),
        None => format!("/posts/{post}"),
    };
    Subject::new("post", post, link)
}

/// Tells `user` (a post's or comment's author) that the actor did something.
#[cfg(feature = "ssr")]
async fn notify(
    st: &AppState,
    user: i64,
    kind: Kind,
    actor: UserId,
    subject: Subject,
) -> Result<(), AppError> {
    crate::notifications::service::notify(st, UserId(user), kind, actor, subject).await
}

/// Cards for posts, in the order of `ids`, in a fixed number of queries whatever their number:
/// posts, authors, tags, the viewer's likes, videos (and their renditions, captions, positions).
#[cfg(feature = "ssr")]
pub async fn cards(
    st: &AppState,
    ids: &[i64],
    viewer: Option<&Actor>,
) -> Result<Vec<PostCard>, AppError> {
    let rows = db::select_posts(&st.db, ids).await?;
    let author_ids: Vec<i64> = rows.iter().map(|r| r.author_id).collect();
    let authors = authors(st, &author_ids).await?;
    let tags = db::select_tags(&st.db, ids).await?;
    let liked = match viewer {
        Some(v) => db::select_liked(&st.db, v.user.get(), ids).await?,
        None => Vec::new(),
    };
    let video_ids: Vec<i64> = rows.iter().filter_map(|r| r.video_id).collect();
    let videos = crate::video::db::select_by_ids(&st.db, &video_ids).await?;
    let views = crate::video::api::build_views(st, &videos, viewer).await?;
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
            let view = views.iter().find(|w| w.public_id == v.public_id).cloned();
            Some(PostVideo {
                public_id: v.public_id.clone(),
                ready: v.status == "ready",
                view: view.filter(|_| v.status == "ready"),
            })
        });
        out.push(PostCard {
            id: r.id,
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
            hidden: r.status == "hidden",
            is_mine: viewer.is_some_and(|v| v.user.get() == r.author_id),
            created_at: r.created_at,
            edited_at: r.edited_at,
        });
    }
    Ok(out)
}

#[cfg(feature = "ssr")]
fn time_cursor(c: &str) -> Result<db::TimeCursor, AppError> {
    if c.is_empty() {
        return Ok(None);
    }
    let (a, b) = c
        .strip_prefix('t')
        .and_then(|c| c.split_once('_'))
        .ok_or(AppError::BadRequest(Msg::BadInput))?;
    Ok(Some((
        a.parse().map_err(|_| AppError::BadRequest(Msg::BadInput))?,
        b.parse().map_err(|_| AppError::BadRequest(Msg::BadInput))?,
    )))
}

#[cfg(feature = "ssr")]
fn hot_cursor(c: &str) -> Result<db::HotCursor, AppError> {
    if c.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::BadRequest(Msg::BadInput);
    let (a, b) = c
        .strip_prefix('h')
        .and_then(|c| c.split_once('_'))
        .ok_or_else(bad)?;
    let bits = u64::from_str_radix(a, 16).map_err(|_| bad())?;
    Ok(Some((f64::from_bits(bits), b.parse().map_err(|_| bad())?)))
}

#[cfg(feature = "ssr")]
fn hot_str(h: f64, id: i64) -> String {
    format!("h{:x}_{id}", h.to_bits())
}

/// One page of a feed tab. Anyone may call it; Following needs a signed-in viewer (visitors get
/// `NotAuthenticated`), For you is Popular for visitors. `cursor` is the previous page's `next`.
#[server(endpoint = "feed/list")]
pub async fn list_feed(
    tab: String,
    #[server(default)] cursor: String,
) -> Result<FeedPage, AppError> {
    let st = state();
    let viewer = auth::current();
    let tab = Tab::from_code(&tab).ok_or(AppError::BadRequest(Msg::BadInput))?;
    let limit = super::PAGE;
    let (ids, next): (Vec<i64>, Option<String>) = match (tab, &viewer) {
        (Tab::Following, None) => return Err(AppError::NotAuthenticated),
        (Tab::Following, Some(v)) => {
            let after = time_cursor(&cursor)?;
            let mut ids = db::following_ids(&st.db, v.user.get(), after, limit + 1).await?;
            let more = ids.len() as i64 > limit;
            ids.truncate(limit as usize);
            let next = if more {
                let last = db::select_post(&st.db, *ids.last().unwrap_or(&0)).await?;
                last.map(|p| format!("t{}_{}", p.created_at, p.id))
            } else {
                None
            };
            (ids, next)
        }
        (Tab::Popular, _) | (Tab::ForYou, None) => {
            let after = hot_cursor(&cursor)?;
            let mut rows = db::popular_ids(&st.db, after, None, limit + 1).await?;
            let more = rows.len() as i64 > limit;
            rows.truncate(limit as usize);
            let next = more
                .then(|| rows.last().map(|(id, h)| hot_str(*h, *id)))
                .flatten();
            (rows.into_iter().map(|r| r.0).collect(), next)
        }
        (Tab::ForYou, Some(v)) => for_you(&st, v.user.get(), &cursor, limit).await?,
    };
    Ok(FeedPage {
        items: cards(&st, &ids, viewer.as_ref()).await?,
        next,
    })
}

/// For you: posts matching the viewer's interests (tags and authors they engaged with), with
/// popular posts from outside them mixed in (one in five); never their own. Two keyset streams,
/// one cursor each, so pages neither repeat nor skip.
#[cfg(feature = "ssr")]
async fn for_you(
    st: &AppState,
    viewer: i64,
    cursor: &str,
    limit: i64,
) -> Result<(Vec<i64>, Option<String>), AppError> {
    let (mc, pc) = match cursor.split_once('.') {
        Some((m, p)) => (m, p),
        None if cursor.is_empty() => ("", ""),
        None => return Err(AppError::BadRequest(Msg::BadInput)),
    };
    let done = |c: &str| c == "-";
    let tags = db::engaged_tags(&st.db, viewer, 10).await?;
    let authors = db::engaged_authors(&st.db, viewer, 200).await?;
    let want_popular = (limit / 5).max(1);
    let mut matching = if done(mc) {
        Vec::new()
    } else {
        db::for_you_ids(
            &st.db,
            viewer,
            &tags,
            &authors,
            true,
            hot_cursor(mc)?,
            limit - want_popular + 1,
        )
        .await?
    };
    let mut popular = if done(pc) {
        Vec::new()
    } else {
        db::for_you_ids(
            &st.db,
            viewer,
            &tags,
            &authors,
            false,
            hot_cursor(pc)?,
            limit + 1,
        )
        .await?
    };
    // Take matching posts first, popular ones to fill (at least one in five when there are any).
    let m_take = (matching.len() as i64).min(limit - want_popular.min(popular.len() as i64));
    let p_take = (limit - m_take).min(popular.len() as i64);
    let m_more = matching.len() as i64 > m_take;
    let p_more = popular.len() as i64 > p_take;
    matching.truncate(m_take as usize);
    popular.truncate(p_take as usize);
    let m_next = if m_more {
        matching
            .last()
            .map(|(id, h)| hot_str(*h, *id))
            .unwrap_or_else(|| mc.to_string())
    } else {
        "-".into()
    };
    let p_next = if p_more {
        popular
            .last()
            .map(|(id, h)| hot_str(*h, *id))
            .unwrap_or_else(|| pc.to_string())
    } else {
        "-".into()
    };
    // Interleave: four from interests, then one popular.
    let mut ids = Vec::new();
    let (mut mi, mut pi) = (matching.into_iter(), popular.into_iter());
    loop {
        let mut took = false;
        for _ in 0..4 {
            if let Some((id, _)) = mi.next() {
                ids.push(id);
                took = true;
            }
        }
        if let Some((id, _)) = pi.next() {
            ids.push(id);
            took = true;
        }
        if !took {
            break;
        }
    }
    let next = (m_next != "-" || p_next != "-").then(|| format!("{m_next}.{p_next}"));
    Ok((ids, next))
}

/// Posts with a tag, newest first. Anyone may call it. Errors: `BadRequest` (bad tag or cursor).
#[server(endpoint = "feed/tag")]
pub async fn list_tag_posts(
    tag: String,
    #[server(default)] cursor: String,
) -> Result<FeedPage, AppError> {
    let st = state();
    let tag = super::parse_tags(&tag)
        .map_err(AppError::BadRequest)?
        .into_iter()
        .next()
        .ok_or(AppError::BadRequest(Msg::Feed(FeedMsg::TagInvalid)))?;
    let limit = super::PAGE;
    let mut ids = db::tag_ids(&st.db, &tag, time_cursor(&cursor)?, limit + 1).await?;
    let more = ids.len() as i64 > limit;
    ids.truncate(limit as usize);
    let viewer = auth::current();
    let items = cards(&st, &ids, viewer.as_ref()).await?;
    let next = if more {
        items.last().map(|p| format!("t{}_{}", p.created_at, p.id))
    } else {
        None
    };
    Ok(FeedPage { items, next })
}

/// A person's posts, newest first (hidden ones only for themselves and moderators). Anyone may
/// call it. Errors: `NotFound`.
#[server(endpoint = "feed/user")]
pub async fn list_user_posts(
    handle: String,
    #[server(default)] cursor: String,
) -> Result<FeedPage, AppError> {
    let st = state();
    let viewer = auth::current();
    let Some(profile) = crate::profiles::db::select_by_handle(&st.db, &handle).await? else {
        return Err(AppError::NotFound);
    };
    let include_hidden = match &viewer {
        Some(v) if v.user == profile.user_id => true,
        Some(v) => v.holds(Role::Moderator),
        None => false,
    };
    let limit = super::PAGE;
    let mut ids = db::author_ids(
        &st.db,
        profile.user_id.get(),
        include_hidden,
        time_cursor(&cursor)?,
        limit + 1,
    )
    .await?;
    let more = ids.len() as i64 > limit;
    ids.truncate(limit as usize);
    let items = cards(&st, &ids, viewer.as_ref()).await?;
    let next = if more {
        items.last().map(|p| format!("t{}_{}", p.created_at, p.id))
    } else {
        None
    };
    Ok(FeedPage { items, next })
}

/// A post. Anyone may call it; a hidden post only its author and moderators. Errors: `NotFound`.
#[server(endpoint = "feed/post")]
pub async fn get_post(id: i64) -> Result<PostCard, AppError> {
    let st = state();
    let viewer = auth::current();
    let card = cards(&st, &[id], viewer.as_ref()).await?.pop();
    let Some(card) = card else {
        crate::server::request::set_status(404);
        return Err(AppError::NotFound);
    };
    if card.hidden && !card.is_mine {
        let moderator = match &viewer {
            Some(v) => v.holds(Role::Moderator),
            None => false,
        };
        if !moderator {
            crate::server::request::set_status(404);
            return Err(AppError::NotFound);
        }
    }
    Ok(card)
}

/// Publishes a post. Tutors only. `video` is the id of one of their videos ("" for none); the
/// video becomes public with the post. Errors: `NotAuthenticated`, `Forbidden`, `Validation`.
#[server(endpoint = "feed/create")]
pub async fn create_post(
    body: String,
    #[server(default)] tags: String,
    #[server(default)] video: String,
) -> Result<i64, AppError> {
    let s = auth::require(Role::Tutor)?;
    let st = state();
    let mut checks = crate::error::Checks::new();
    let body = super::clean_body(&body, super::BODY_MAX);
    checks.check("body", body.as_ref().map(|_| ()).map_err(|m| *m));
    let tags = super::parse_tags(&tags);
    checks.check("tags", tags.as_ref().map(|_| ()).map_err(|m| *m));
    let video_row = if video.trim().is_empty() {
        None
    } else {
        match crate::video::db::select_by_public_id(&st.db, video.trim()).await? {
            Some(v)
                if v.owner_id == s.user.get()
                    && v.status != "failed"
                    && v.status != "uploading" =>
            {
                Some(v)
            }
            _ => {
                checks.add("video", Msg::Video(VideoMsg::NotReady));
                None
            }
        }
    };
    checks.finish()?;
    let body = body.unwrap_or_default();
    let now = now_ms();
    if let Some(v) = &video_row {
        crate::video::db::set_visibility(&st.db, v.id, "public", now).await?;
    }
    crate::server::rate_limit::hit(
        &st.db,
        &format!("post:{}", s.user.get()),
        crate::server::rate_limit::Limit {
            max: 60,
            window_ms: 3_600_000,
        },
    )
    .await?;
    let id = db::insert_post(
        &st.db,
        s.user.get(),
        &body,
        &crate::markdown::render(&body),
        video_row.map(|v| v.id),
        &tags.unwrap_or_default(),
        now,
    )
    .await?;
    super::queue_fanout(&st, s.user, id).await?;
    Ok(id)
}

/// Edits one's own post. Errors: `NotAuthenticated`, `NotFound` (not theirs), `Validation`.
#[server(endpoint = "feed/update")]
pub async fn update_post(
    id: i64,
    body: String,
    #[server(default)] tags: String,
) -> Result<PostCard, AppError> {
    let s = auth::actor()?;
    let st = state();
    let mut checks = crate::error::Checks::new();
    let body = super::clean_body(&body, super::BODY_MAX);
    checks.check("body", body.as_ref().map(|_| ()).map_err(|m| *m));
    let tags = super::parse_tags(&tags);
    checks.check("tags", tags.as_ref().map(|_| ()).map_err(|m| *m));
    checks.finish()?;
    let body = body.unwrap_or_default();
    if !db::update_post(
        &st.db,
        id,
        s.user.get(),
        &body,
        &crate::markdown::render(&body),
        &tags.unwrap_or_default(),
        now_ms(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    cards(&st, &[id], Some(&s))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Deletes one's own post (moderators: any). Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "feed/delete")]
pub async fn delete_post(id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    let post = db::select_post(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if post.author_id != s.user.get() && !s.holds(Role::Moderator) {
        return Err(AppError::NotFound);
    }
    db::delete_post(&st.db, id).await?;
    crate::notifications::service::forget_subject(&st, "post", id).await?;
    Ok(())
}

/// Hides or shows any post. Moderators only. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`.
#[server(endpoint = "feed/hide")]
pub async fn set_post_hidden(id: i64, hidden: bool) -> Result<(), AppError> {
    auth::require(Role::Moderator)?;
    if db::set_status(
        &state().db,
        id,
        if hidden { "hidden" } else { "published" },
        now_ms(),
    )
    .await?
        == 0
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Likes or unlikes a post (idempotent). Errors: `NotAuthenticated`, `NotFound` (missing or hidden).
#[server(endpoint = "feed/like")]
pub async fn like_post(id: i64, like: bool) -> Result<LikeState, AppError> {
    let s = auth::actor()?;
    let st = state();
    let (liked, count) = db::set_post_like(&st.db, id, s.user.get(), like, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    if like && let Some(p) = db::select_post(&st.db, id).await? {
        notify(
            &st,
            p.author_id,
            Kind::PostLike,
            s.user,
            post_subject(id, None),
        )
        .await?;
    }
    Ok(LikeState { liked, count })
}

#[cfg(feature = "ssr")]
async fn comment_views(
    st: &AppState,
    rows: Vec<db::CommentRow>,
    viewer: Option<&Actor>,
) -> Result<Vec<Comment>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let author_ids: Vec<i64> = rows.iter().map(|c| c.author_id).collect();
    let authors = authors(st, &author_ids).await?;
    let liked = match viewer {
        Some(v) => db::select_liked_comments(&st.db, v.user.get(), &ids).await?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|c| Comment {
            id: c.id,
            post_id: c.post_id,
            parent_id: c.parent_id,
            depth: c.depth,
            author: if c.deleted == 1 {
                None
            } else {
                authors.get(&c.author_id).cloned()
            },
            body_html: c.body_html,
            body: c.body,
            deleted: c.deleted == 1,
            likes_count: c.likes_count,
            liked: liked.contains(&c.id),
            replies_count: c.replies_count,
            is_mine: viewer.is_some_and(|v| v.user.get() == c.author_id) && c.deleted == 0,
            created_at: c.created_at,
            edited_at: c.edited_at,
        })
        .collect())
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
    let st = state();
    let viewer = auth::current();
    let p = db::select_post(&st.db, post)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.status != "published" && viewer.as_ref().is_none_or(|v| v.user.get() != p.author_id) {
        return Err(AppError::NotFound);
    }
    let after = if cursor.is_empty() {
        None
    } else {
        Some(
            cursor
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest(Msg::BadInput))?,
        )
    };
    let limit = super::COMMENTS_PAGE;
    let mut rows = db::list_comments(
        &st.db,
        post,
        (parent > 0).then_some(parent),
        newest,
        after,
        limit + 1,
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|c| c.id.to_string())
    } else {
        None
    };
    Ok(CommentPage {
        items: comment_views(&st, rows, viewer.as_ref()).await?,
        next,
    })
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
    let s = auth::actor()?;
    let st = state();
    let body =
        super::clean_body(&body, super::COMMENT_MAX).map_err(|m| AppError::field("body", m))?;
    let p = db::select_post(&st.db, post)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.status != "published" {
        return Err(AppError::NotFound);
    }
    let parent_row = if parent > 0 {
        match db::select_comment(&st.db, parent).await? {
            Some(c) if c.post_id == post => Some(c),
            _ => {
                return Err(AppError::field(
                    "parent",
                    Msg::Feed(FeedMsg::CommentWrongPost),
                ));
            }
        }
    } else {
        None
    };
    crate::server::rate_limit::hit(
        &st.db,
        &format!("comment:{}", s.user.get()),
        crate::server::rate_limit::Limit {
            max: 120,
            window_ms: 3_600_000,
        },
    )
    .await?;
    let id = db::insert_comment(
        &st.db,
        post,
        parent_row.as_ref().map(|c| (c.id, c.depth)),
        s.user.get(),
        &body,
        &crate::markdown::render(&body),
        now_ms(),
    )
    .await?;
    // The parent's author hears of a reply; the post's author of a comment (once, if both).
    let replied_to = parent_row
        .as_ref()
        .filter(|c| c.deleted == 0)
        .map(|c| c.author_id);
    if let Some(a) = replied_to {
        notify(&st, a, Kind::Reply, s.user, post_subject(post, Some(id))).await?;
    }
    if replied_to != Some(p.author_id) {
        notify(
            &st,
            p.author_id,
            Kind::Comment,
            s.user,
            post_subject(post, Some(id)),
        )
        .await?;
    }
    let row = db::select_comment(&st.db, id)
        .await?
        .ok_or(AppError::Internal)?;
    comment_views(&st, vec![row], Some(&s))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Edits one's own comment. Errors: `NotAuthenticated`, `NotFound`, `Validation`.
#[server(endpoint = "feed/comment-edit")]
pub async fn edit_comment(id: i64, body: String) -> Result<Comment, AppError> {
    let s = auth::actor()?;
    let st = state();
    let body =
        super::clean_body(&body, super::COMMENT_MAX).map_err(|m| AppError::field("body", m))?;
    if !db::update_comment(
        &st.db,
        id,
        s.user.get(),
        &body,
        &crate::markdown::render(&body),
        now_ms(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    let row = db::select_comment(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    comment_views(&st, vec![row], Some(&s))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Deletes one's own comment (moderators: any); with replies, "deleted" stays in its place.
/// Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "feed/comment-delete")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    let c = db::select_comment(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.deleted == 1 || (c.author_id != s.user.get() && !s.holds(Role::Moderator)) {
        return Err(AppError::NotFound);
    }
    db::delete_comment(&st.db, &c).await?;
    Ok(())
}

/// Likes or unlikes a comment (idempotent). Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "feed/comment-like")]
pub async fn like_comment(id: i64, like: bool) -> Result<LikeState, AppError> {
    let s = auth::actor()?;
    let st = state();
    let (liked, count) = db::set_comment_like(&st.db, id, s.user.get(), like, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    if like && let Some(c) = db::select_comment(&st.db, id).await? {
        notify(
            &st,
            c.author_id,
            Kind::CommentLike,
            s.user,
            post_subject(c.post_id, Some(id)),
        )
        .await?;
    }
    Ok(LikeState { liked, count })
}
