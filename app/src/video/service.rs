//! The use cases of video: the owner's list and actions (visibility, captions, retry, delete),
//! the player's view for any viewer the access policy lets in, positions, and the processing
//! state. Server functions, the tus and captions routes and the studio page call these.

use super::access::may_watch;
use super::{
    Caption, Progress, Source, Status, Thumbs, VideoMsg, VideoSummary, VideoView, Visibility, db,
};
use crate::error::{AppError, Msg};
use crate::ids::VideoId;
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms};

/// The base URL of a video's files: public, or signed for six hours.
pub fn media_base(state: &AppState, v: &db::VideoRow) -> String {
    let prefix = format!("videos/{}", v.public_id);
    if v.visibility == Visibility::Public {
        format!("/media/{prefix}")
    } else {
        let exp = now_ms() / 1000 + 6 * 3600;
        format!("/media/s/{}/{prefix}", state.signer.token(&prefix, exp))
    }
}

pub fn summary(state: &AppState, v: db::VideoRow) -> VideoSummary {
    let poster_url = v
        .has_poster
        .then(|| format!("{}/poster.jpg", media_base(state, &v)));
    VideoSummary {
        public_id: v.public_id,
        title: v.title,
        status: v.status,
        public: v.visibility == Visibility::Public,
        progress: v.progress,
        size_bytes: v.size_bytes,
        uploaded_bytes: v.uploaded_bytes,
        duration_ms: v.duration_ms,
        width: v.width,
        height: v.height,
        storage_bytes: v.storage_bytes,
        error: v.error.as_deref().map(super::error_msg),
        poster_url,
        created_at: v.created_at,
    }
}

/// The player's view of a video that a feature has let `viewer` in to, whatever the video's
/// own policy says: a lesson's video for its enrolled learners. The links are signed when the
/// video is not public. Nothing else may call this: features that merely show a video (posts)
/// use [`build_views`], which applies the policy.
pub async fn build_view_granted(
    state: &AppState,
    v: &db::VideoRow,
    viewer: Option<&Actor>,
) -> Result<VideoView, AppError> {
    let mut views = views_of(state, std::slice::from_ref(v), viewer).await?;
    views.pop().ok_or(AppError::Internal)
}

/// Player views of the videos `viewer` may watch by the video policy ([`may_watch`]: public and
/// ready, or their own, or an admin), in a fixed number of queries; the others are left out, so
/// no link to a private video is ever made for someone it does not let in.
pub async fn build_views(
    state: &AppState,
    videos: &[db::VideoRow],
    viewer: Option<&Actor>,
) -> Result<Vec<VideoView>, AppError> {
    let mut allowed = Vec::with_capacity(videos.len());
    for v in videos {
        if may_watch(state, v, viewer).await? {
            allowed.push(v.clone());
        }
    }
    views_of(state, &allowed, viewer).await
}

/// Player views of `videos`, with no access check (see the two callers).
async fn views_of(
    state: &AppState,
    videos: &[db::VideoRow],
    viewer: Option<&Actor>,
) -> Result<Vec<VideoView>, AppError> {
    let ids: Vec<VideoId> = videos.iter().map(|v| v.id).collect();
    let ready: Vec<VideoId> = videos
        .iter()
        .filter(|v| v.status == Status::Ready)
        .map(|v| v.id)
        .collect();
    let renditions = db::select_renditions_of(&state.db, &ready).await?;
    let captions = db::select_captions_of(&state.db, &ids).await?;
    let positions = match viewer {
        Some(s) => db::select_positions_of(&state.db, s.user, &ids).await?,
        None => Vec::new(),
    };
    Ok(videos
        .iter()
        .map(|v| {
            let base = media_base(state, v);
            let ready = v.status == Status::Ready;
            let sources = renditions
                .iter()
                .filter(|(id, _)| *id == v.id)
                .map(|(_, r)| Source {
                    url: format!("{base}/{}.mp4", r.name),
                    name: r.name.clone(),
                    height: r.height,
                    width: r.width,
                })
                .collect();
            let caps = captions
                .iter()
                .filter(|(id, _, _)| *id == v.id)
                .map(|(_, lang, label)| Caption {
                    url: format!("{base}/captions/{lang}.vtt"),
                    lang: lang.clone(),
                    label: label.clone(),
                })
                .collect();
            let thumbs = v
                .thumbs
                .as_deref()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                .map(|t| Thumbs {
                    url: format!("{base}/thumbs.jpg"),
                    count: t["count"].as_i64().unwrap_or(1),
                    interval_ms: t["interval_ms"].as_i64().unwrap_or(10_000),
                    width: t["width"].as_i64().unwrap_or(160),
                    height: t["height"].as_i64().unwrap_or(90),
                });
            VideoView {
                public_id: v.public_id.clone(),
                title: v.title.clone(),
                status: v.status,
                public: v.visibility == Visibility::Public,
                is_owner: viewer.is_some_and(|s| s.user == v.owner_id),
                duration_ms: v.duration_ms.unwrap_or(0),
                width: v.width.unwrap_or(16),
                height: v.height.unwrap_or(9),
                poster_url: v.has_poster.then(|| format!("{base}/poster.jpg")),
                hls_url: ready.then(|| format!("{base}/hls/master.m3u8")),
                sources,
                captions: caps,
                thumbs,
                start_ms: positions
                    .iter()
                    .find(|(id, _)| *id == v.id)
                    .map(|(_, p)| *p)
                    .unwrap_or(0),
                created_at: v.created_at,
            }
        })
        .collect())
}

/// Deletes a video: its jobs, stored files, upload, scratch files and rows.
pub async fn remove_video(state: &AppState, v: &db::VideoRow) -> Result<(), AppError> {
    crate::server::jobs::cancel(&state.db, &format!("video:{}", v.id)).await?;
    db::delete(&state.db, v.id).await?;
    state
        .storage
        .delete_prefix(&format!("videos/{}", v.public_id))
        .await?;
    let _ = tokio::fs::remove_file(state.config.uploads_dir().join(&v.public_id)).await;
    let _ = tokio::fs::remove_dir_all(state.config.work_dir().join(&v.public_id)).await;
    Ok(())
}

/// The actor's own video by public id, or `NotFound` (someone else's does not exist for them).
pub async fn own_video(st: &AppState, actor: &Actor, id: &str) -> Result<db::VideoRow, AppError> {
    let v = db::select_by_public_id(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if v.owner_id != actor.user {
        return Err(AppError::NotFound);
    }
    Ok(v)
}

/// The actor's videos, newest first; `before` is the last public id of the previous page.
pub async fn my_videos(
    st: &AppState,
    actor: &Actor,
    before: &str,
) -> Result<Vec<VideoSummary>, AppError> {
    let before_id = if before.is_empty() {
        VideoId(i64::MAX)
    } else {
        match db::select_by_public_id(&st.db, before).await? {
            Some(v) if v.owner_id == actor.user => v.id,
            _ => return Err(AppError::BadRequest(Msg::BadInput)),
        }
    };
    let rows = db::list_for_owner(&st.db, actor.user, before_id, 50).await?;
    Ok(rows.into_iter().map(|v| summary(st, v)).collect())
}

/// A video for the player: a public, ready video for anyone; any for its owner and admins.
pub async fn video(st: &AppState, viewer: Option<&Actor>, id: &str) -> Result<VideoView, AppError> {
    let v = db::select_by_public_id(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    build_views(st, std::slice::from_ref(&v), viewer)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// What `actor` keeps in uploads (every feature's storage meter) and may keep.
pub async fn storage_use(st: &AppState, actor: &Actor) -> Result<super::StorageUse, AppError> {
    let (used_bytes, quota_bytes) = crate::server::quota::usage(st, actor.user).await?;
    Ok(super::StorageUse {
        used_bytes,
        quota_bytes,
    })
}

/// The processing state of one of the actor's videos.
pub async fn progress(st: &AppState, actor: &Actor, id: &str) -> Result<Progress, AppError> {
    let v = own_video(st, actor, id).await?;
    Ok(Progress {
        status: v.status,
        progress: v.progress,
        error: v.error.as_deref().map(super::error_msg),
    })
}

/// Deletes one of the actor's videos and all its files.
pub async fn delete(st: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
    let v = own_video(st, actor, id).await?;
    remove_video(st, &v).await
}

/// Processes a failed video again; `Conflict` when it did not fail or its upload is gone.
pub async fn retry(st: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
    let v = own_video(st, actor, id).await?;
    if !st.config.uploads_dir().join(&v.public_id).exists()
        || !db::retry(&st.db, v.id, now_ms()).await?
    {
        return Err(AppError::conflict(VideoMsg::ProcessingFailed));
    }
    super::changed(st, v.id).await;
    Ok(())
}

/// Makes one of the actor's videos public or private.
pub async fn set_visibility(
    st: &AppState,
    actor: &Actor,
    id: &str,
    public: bool,
) -> Result<(), AppError> {
    let v = own_video(st, actor, id).await?;
    let visibility = if public {
        Visibility::Public
    } else {
        Visibility::Private
    };
    db::set_visibility(&st.db, v.id, visibility, now_ms()).await?;
    Ok(())
}

/// Removes a captions track of one of the actor's videos.
pub async fn delete_captions(
    st: &AppState,
    actor: &Actor,
    id: &str,
    lang: &str,
) -> Result<(), AppError> {
    let v = own_video(st, actor, id).await?;
    if db::delete_caption(&st.db, v.id, lang).await? == 0 {
        return Err(AppError::NotFound);
    }
    st.storage
        .delete_prefix(&format!("videos/{}/captions/{lang}.vtt", v.public_id))
        .await?;
    Ok(())
}

/// Adds or replaces a WebVTT captions track (checked: UTF-8, starts with `WEBVTT`, ≤ 1 MB).
pub async fn put_captions(
    st: &AppState,
    actor: &Actor,
    id: &str,
    lang: &str,
    bytes: Option<Vec<u8>>,
) -> Result<(), AppError> {
    let v = own_video(st, actor, id).await?;
    let Some((code, label)) = super::CAPTION_LANGUAGES.iter().find(|(c, _)| *c == lang) else {
        return Err(AppError::field("lang", VideoMsg::LanguageInvalid));
    };
    let Some(bytes) = bytes else {
        return Err(AppError::field("file", Msg::Required));
    };
    if bytes.len() > 1024 * 1024 {
        return Err(AppError::field("file", VideoMsg::CaptionsTooBig));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| AppError::field("file", VideoMsg::CaptionsInvalid))?;
    if !text.trim_start_matches('\u{feff}').starts_with("WEBVTT") {
        return Err(AppError::field("file", VideoMsg::CaptionsInvalid));
    }
    st.storage
        .put(
            &format!("videos/{}/captions/{code}.vtt", v.public_id),
            text.into_bytes(),
        )
        .await?;
    db::upsert_caption(&st.db, v.id, code, label, now_ms()).await?;
    Ok(())
}

/// Remembers where the actor is in a video they may watch.
pub async fn save_position(
    st: &AppState,
    actor: &Actor,
    id: &str,
    position_ms: i64,
) -> Result<(), AppError> {
    let v = db::select_by_public_id(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_watch(st, &v, Some(actor)).await? {
        return Err(AppError::NotFound);
    }
    let pos = position_ms.clamp(0, v.duration_ms.unwrap_or(0));
    db::upsert_position(&st.db, actor.user, v.id, pos, now_ms()).await?;
    Ok(())
}

/// Adds a video file from the server's disk as `actor`'s upload, through the same checks and
/// transcoding as a browser upload (the demo and imports use it); returns its public id.
/// The file is copied; the transcoding job renders the ladder and poster.
/// Errors: `Validation(file)` when ffprobe refuses it, `Validation(StorageFull)`.
pub async fn ingest_file(
    st: &AppState,
    actor: &Actor,
    src: &std::path::Path,
    title: &str,
) -> Result<String, AppError> {
    let size = tokio::fs::metadata(src)
        .await
        .map_err(|_| AppError::field("file", Msg::Required))?
        .len() as i64;
    let _reserved = crate::server::quota::reserve(st, actor.user, size, "file").await?;
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let dir = st.config.uploads_dir();
    let path = dir.join(&public_id);
    tokio::fs::create_dir_all(&dir)
        .await
        .and(tokio::fs::copy(src, &path).await.map(|_| ()))
        .map_err(|e| anyhow::anyhow!("copying {}: {e}", src.display()))?;
    let now = now_ms();
    let id = db::insert_upload(&st.db, &public_id, actor.user, title, size, now).await?;
    db::advance_offset(&st.db, id, 0, size, now).await?;
    let limits = super::probe::Limits {
        max_seconds: st.config.video_max_seconds,
    };
    match super::probe::probe(&st.config.ffprobe, &path, &limits).await {
        Ok(p) => {
            db::start_processing(&st.db, id, p.duration_ms, p.width, p.height, now_ms()).await?;
            super::changed(st, id).await;
            Ok(public_id)
        }
        Err(msg) => {
            let _ = tokio::fs::remove_file(&path).await;
            db::delete(&st.db, id).await?;
            Err(AppError::field("file", msg))
        }
    }
}
