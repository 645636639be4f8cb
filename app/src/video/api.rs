//! Server functions of the video feature, and the owner's live progress stream.

use super::{Progress, VideoSummary, VideoView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Caption, Source, Status, Thumbs, db},
    crate::error::Msg,
    crate::server::{AppState, now_ms, session, session::AuthSession, state},
};

/// The base URL of a video's files: public, or signed for six hours.
#[cfg(feature = "ssr")]
pub fn media_base(state: &AppState, v: &db::VideoRow) -> String {
    let prefix = format!("videos/{}", v.public_id);
    if v.visibility == "public" {
        format!("/media/{prefix}")
    } else {
        let exp = now_ms() / 1000 + 6 * 3600;
        format!("/media/s/{}/{prefix}", state.signer.token(&prefix, exp))
    }
}

/// Whether `viewer` may watch `v`: anyone a public, ready video; the owner and admins any.
#[cfg(feature = "ssr")]
pub async fn may_watch(
    state: &AppState,
    v: &db::VideoRow,
    viewer: Option<&AuthSession>,
) -> Result<bool, AppError> {
    if let Some(s) = viewer {
        if s.user_id == v.owner_id {
            return Ok(true);
        }
        if crate::server::session::roles(state, s.user_id)
            .await?
            .contains(&crate::accounts::Role::Admin)
        {
            return Ok(true);
        }
    }
    Ok(v.visibility == "public" && v.status == "ready")
}

#[cfg(feature = "ssr")]
fn summary(state: &AppState, v: db::VideoRow) -> VideoSummary {
    let status = Status::from_code(&v.status);
    let poster_url = (v.has_poster == 1).then(|| format!("{}/poster.jpg", media_base(state, &v)));
    VideoSummary {
        public_id: v.public_id,
        title: v.title,
        status,
        public: v.visibility == "public",
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

/// Everything the player needs, for a viewer already allowed to watch.
#[cfg(feature = "ssr")]
pub async fn build_view(
    state: &AppState,
    v: &db::VideoRow,
    viewer: Option<&AuthSession>,
) -> Result<VideoView, AppError> {
    let mut views = build_views(state, std::slice::from_ref(v), viewer).await?;
    views.pop().ok_or(AppError::Internal)
}

/// Player views of several videos in a fixed number of queries (renditions, captions, positions).
#[cfg(feature = "ssr")]
pub async fn build_views(
    state: &AppState,
    videos: &[db::VideoRow],
    viewer: Option<&AuthSession>,
) -> Result<Vec<VideoView>, AppError> {
    let ids: Vec<i64> = videos.iter().map(|v| v.id).collect();
    let ready: Vec<i64> = videos
        .iter()
        .filter(|v| v.status == "ready")
        .map(|v| v.id)
        .collect();
    let renditions = db::select_renditions_of(&state.db, &ready).await?;
    let captions = db::select_captions_of(&state.db, &ids).await?;
    let positions = match viewer {
        Some(s) => db::select_positions_of(&state.db, s.user_id, &ids).await?,
        None => Vec::new(),
    };
    Ok(videos
        .iter()
        .map(|v| {
            let base = media_base(state, v);
            let ready = v.status == "ready";
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
                status: Status::from_code(&v.status),
                public: v.visibility == "public",
                is_owner: viewer.is_some_and(|s| s.user_id == v.owner_id),
                duration_ms: v.duration_ms.unwrap_or(0),
                width: v.width.unwrap_or(16),
                height: v.height.unwrap_or(9),
                poster_url: (v.has_poster == 1).then(|| format!("{base}/poster.jpg")),
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
#[cfg(feature = "ssr")]
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

/// The caller's own video, or `NotFound` (someone else's video does not exist for them).
#[cfg(feature = "ssr")]
async fn own_video(id: &str) -> Result<(AppState, AuthSession, db::VideoRow), AppError> {
    let s = session::require_user()?;
    let st = state();
    let v = db::select_by_public_id(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if v.owner_id != s.user_id {
        return Err(AppError::NotFound);
    }
    Ok((st, s, v))
}

/// Upload limits, shown before an upload: (max bytes, max seconds). Anyone may call it.
#[server(endpoint = "videos/limits")]
pub async fn video_limits() -> Result<(u64, u64), AppError> {
    let c = &state().config;
    Ok((c.video_max_bytes, c.video_max_seconds))
}

/// The signed-in user's videos, newest first; `before` is the last id of the previous page
/// (public id), empty for the first. Errors: `NotAuthenticated`.
#[server(endpoint = "videos/mine")]
pub async fn list_my_videos(
    #[server(default)] before: String,
) -> Result<Vec<VideoSummary>, AppError> {
    let s = session::require_user()?;
    let st = state();
    let before_id = if before.is_empty() {
        i64::MAX
    } else {
        match db::select_by_public_id(&st.db, &before).await? {
            Some(v) if v.owner_id == s.user_id => v.id,
            _ => return Err(AppError::BadRequest(Msg::BadInput)),
        }
    };
    let rows = db::list_for_owner(&st.db, s.user_id, before_id, 50).await?;
    Ok(rows.into_iter().map(|v| summary(&st, v)).collect())
}

/// A video for the player. Anyone may call it for a public, ready video; the owner and admins
/// for any. Errors: `NotFound`.
#[server(endpoint = "videos/get")]
pub async fn get_video(id: String) -> Result<VideoView, AppError> {
    let st = state();
    let viewer = session::current();
    let v = db::select_by_public_id(&st.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_watch(&st, &v, viewer.as_ref()).await? {
        crate::server::request::set_status(404);
        return Err(AppError::NotFound);
    }
    build_view(&st, &v, viewer.as_ref()).await
}

/// Processing state of the caller's video. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/progress")]
pub async fn get_video_progress(id: String) -> Result<Progress, AppError> {
    let (_, _, v) = own_video(&id).await?;
    Ok(Progress {
        status: Status::from_code(&v.status),
        progress: v.progress,
        error: v.error.as_deref().map(super::error_msg),
    })
}

/// Deletes the caller's video and all its files. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/delete")]
pub async fn delete_video(id: String) -> Result<(), AppError> {
    let (st, _, v) = own_video(&id).await?;
    remove_video(&st, &v).await
}

/// Processes a failed video again. Errors: `NotAuthenticated`, `NotFound`, `Conflict` when it did
/// not fail or its upload is gone.
#[server(endpoint = "videos/retry")]
pub async fn retry_video(id: String) -> Result<(), AppError> {
    let (st, _, v) = own_video(&id).await?;
    if !st.config.uploads_dir().join(&v.public_id).exists()
        || !db::retry(&st.db, v.id, now_ms()).await?
    {
        return Err(AppError::Conflict(Msg::VideoProcessingFailed));
    }
    Ok(())
}

/// Makes the caller's video public or private. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/visibility")]
pub async fn set_video_visibility(id: String, public: bool) -> Result<(), AppError> {
    let (st, _, v) = own_video(&id).await?;
    db::set_visibility(
        &st.db,
        v.id,
        if public { "public" } else { "private" },
        now_ms(),
    )
    .await?;
    Ok(())
}

/// Removes a captions track. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/captions-delete")]
pub async fn delete_captions(id: String, lang: String) -> Result<(), AppError> {
    let (st, _, v) = own_video(&id).await?;
    if db::delete_caption(&st.db, v.id, &lang).await? == 0 {
        return Err(AppError::NotFound);
    }
    st.storage
        .delete_prefix(&format!("videos/{}/captions/{lang}.vtt", v.public_id))
        .await?;
    Ok(())
}

/// Remembers where the signed-in viewer is in a video. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/position")]
pub async fn save_video_position(id: String, position_ms: i64) -> Result<(), AppError> {
    let s = session::require_user()?;
    let st = state();
    let v = db::select_by_public_id(&st.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_watch(&st, &v, Some(&s)).await? {
        return Err(AppError::NotFound);
    }
    let pos = position_ms.clamp(0, v.duration_ms.unwrap_or(0));
    db::upsert_position(&st.db, s.user_id, v.id, pos, now_ms()).await?;
    Ok(())
}

/// `POST /api/videos/{id}/captions` (multipart: `lang`, `file`): adds or replaces a WebVTT track.
/// The owner only.
#[cfg(feature = "ssr")]
pub async fn upload_captions(
    axum::extract::State(st): axum::extract::State<AppState>,
    auth: Option<axum::Extension<AuthSession>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    mut multipart: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let fail = |e: AppError| {
        (
            axum::http::StatusCode::from_u16(e.status())
                .unwrap_or(axum::http::StatusCode::BAD_REQUEST),
            axum::Json(e),
        )
            .into_response()
    };
    let Some(axum::Extension(s)) = auth else {
        return fail(AppError::NotAuthenticated);
    };
    let v = match db::select_by_public_id(&st.db, &id).await {
        Ok(Some(v)) if v.owner_id == s.user_id => v,
        Ok(_) => return fail(AppError::NotFound),
        Err(e) => return fail(e.into()),
    };
    let (mut lang, mut bytes) = (String::new(), None::<Vec<u8>>);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("lang") => lang = field.text().await.unwrap_or_default(),
            Some("file") => match field.bytes().await {
                Ok(b) if b.len() <= 1024 * 1024 => bytes = Some(b.to_vec()),
                _ => return fail(AppError::field("file", Msg::CaptionsTooBig)),
            },
            _ => {}
        }
    }
    let Some((code, label)) = super::CAPTION_LANGUAGES.iter().find(|(c, _)| *c == lang) else {
        return fail(AppError::field("lang", Msg::LanguageInvalid));
    };
    let Some(bytes) = bytes else {
        return fail(AppError::field("file", Msg::Required));
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => return fail(AppError::field("file", Msg::CaptionsInvalid)),
    };
    if !text.trim_start_matches('\u{feff}').starts_with("WEBVTT") {
        return fail(AppError::field("file", Msg::CaptionsInvalid));
    }
    if let Err(e) = st
        .storage
        .put(
            &format!("videos/{}/captions/{code}.vtt", v.public_id),
            text.into_bytes(),
        )
        .await
    {
        return fail(e.into());
    }
    if let Err(e) = db::upsert_caption(&st.db, v.id, code, label, now_ms()).await {
        return fail(e.into());
    }
    axum::http::StatusCode::NO_CONTENT.into_response()
}

/// `GET /api/videos/{id}/events`: server-sent processing progress for the owner, until the video
/// is ready or failed.
#[cfg(feature = "ssr")]
pub async fn events(
    axum::extract::State(st): axum::extract::State<AppState>,
    auth: Option<axum::Extension<AuthSession>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, KeepAlive, Sse};
    let Some(axum::Extension(s)) = auth else {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    };
    let v = match db::select_by_public_id(&st.db, &id).await {
        Ok(Some(v)) if v.owner_id == s.user_id => v,
        _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
    };
    let video_id = v.id;
    let stream = futures::stream::unfold(
        (st, None::<Progress>, false),
        move |(st, last, done)| async move {
            if done {
                return None;
            }
            loop {
                let p = match db::select_by_id(&st.db, video_id).await {
                    Ok(Some(v)) => Progress {
                        status: Status::from_code(&v.status),
                        progress: v.progress,
                        error: v.error.as_deref().map(super::error_msg),
                    },
                    _ => return None,
                };
                if last.as_ref() != Some(&p) {
                    let finished = matches!(p.status, Status::Ready | Status::Failed);
                    let ev = Event::default()
                        .event("progress")
                        .json_data(&p)
                        .unwrap_or_default();
                    return Some((
                        Ok::<_, std::convert::Infallible>(ev),
                        (st, Some(p), finished),
                    ));
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
