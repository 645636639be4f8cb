//! Server functions of the video feature (thin adapters over `service`), the captions upload
//! and the owner's live progress stream.

use super::{Progress, VideoSummary, VideoView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Status, db, service},
    crate::ids::VideoId,
    crate::server::{AppState, auth, auth::Actor, state},
};

#[cfg(feature = "ssr")]
pub use super::service::{build_view_granted, build_views, media_base, remove_video};

/// Upload limits, shown before an upload: (max bytes, max seconds). Anyone may call it.
#[server(endpoint = "videos/limits")]
pub async fn video_limits() -> Result<(u64, u64), AppError> {
    let c = &state().config;
    Ok((c.video_max_bytes, c.video_max_seconds))
}

/// What the signed-in person keeps in uploads and may keep (`STORAGE_QUOTA_MB`).
/// Errors: `NotAuthenticated`.
#[server(endpoint = "videos/storage")]
pub async fn storage_use() -> Result<super::StorageUse, AppError> {
    service::storage_use(&state(), &auth::actor()?).await
}

/// The signed-in user's videos, newest first; `before` is the last id of the previous page
/// (public id), empty for the first. Errors: `NotAuthenticated`.
#[server(endpoint = "videos/mine")]
pub async fn list_my_videos(
    #[server(default)] before: String,
) -> Result<Vec<VideoSummary>, AppError> {
    service::my_videos(&state(), &auth::actor()?, &before).await
}

/// A video for the player. Anyone may call it for a public, ready video; the owner and admins
/// for any. Errors: `NotFound`.
#[server(endpoint = "videos/get")]
pub async fn get_video(id: String) -> Result<VideoView, AppError> {
    service::video(&state(), auth::current().as_ref(), &id)
        .await
        .inspect_err(|e| crate::server::request::set_status(e.status()))
}

/// Processing state of the caller's video. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/progress")]
pub async fn get_video_progress(id: String) -> Result<Progress, AppError> {
    service::progress(&state(), &auth::actor()?, &id).await
}

/// Deletes the caller's video and all its files. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/delete")]
pub async fn delete_video(id: String) -> Result<(), AppError> {
    service::delete(&state(), &auth::actor()?, &id).await
}

/// Processes a failed video again. Errors: `NotAuthenticated`, `NotFound`, `Conflict` when it did
/// not fail or its upload is gone.
#[server(endpoint = "videos/retry")]
pub async fn retry_video(id: String) -> Result<(), AppError> {
    service::retry(&state(), &auth::actor()?, &id).await
}

/// Makes the caller's video public or private. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/visibility")]
pub async fn set_video_visibility(id: String, public: bool) -> Result<(), AppError> {
    service::set_visibility(&state(), &auth::actor()?, &id, public).await
}

/// Removes a captions track. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/captions-delete")]
pub async fn delete_captions(id: String, lang: String) -> Result<(), AppError> {
    service::delete_captions(&state(), &auth::actor()?, &id, &lang).await
}

/// Remembers where the signed-in viewer is in a video. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "videos/position")]
pub async fn save_video_position(id: String, position_ms: i64) -> Result<(), AppError> {
    service::save_position(&state(), &auth::actor()?, &id, position_ms).await
}

/// `POST /api/videos/{id}/captions` (multipart: `lang`, `file`): adds or replaces a WebVTT track.
/// The owner only. Errors (JSON, with their status): 401, 404, 422 (language, file).
#[cfg(feature = "ssr")]
pub async fn upload_captions(
    axum::extract::State(st): axum::extract::State<AppState>,
    s: Actor,
    axum::extract::Path(id): axum::extract::Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<axum::http::StatusCode, AppError> {
    let (mut lang, mut bytes) = (String::new(), None::<Vec<u8>>);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("lang") => lang = field.text().await.unwrap_or_default(),
            Some("file") => match field.bytes().await {
                Ok(b) if b.len() <= 1024 * 1024 => bytes = Some(b.to_vec()),
                _ => {
                    return Err(AppError::field("file", super::VideoMsg::CaptionsTooBig));
                }
            },
            _ => {}
        }
    }
    service::put_captions(&st, &s, &id, &lang, bytes).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `GET /api/videos/{id}/events`: server-sent processing progress for the owner, now and at
/// every change, until the video is ready or failed (or the owner's session ends). It waits on
/// the video's bus topic and re-reads the row on each event: no polling.
#[cfg(feature = "ssr")]
pub async fn events(
    axum::extract::State(st): axum::extract::State<AppState>,
    s: Actor,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    use crate::server::bus::{Signal, Subscription};
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, KeepAlive, Sse};
    let v = match db::select_by_public_id(&st.db, &id).await {
        Ok(Some(v)) if v.owner_id == s.user => v,
        _ => return axum::http::StatusCode::NOT_FOUND.into_response(),
    };
    let video_id = v.id;
    let topic = st.bus.subscribe(&super::topic(video_id));
    let person = st
        .bus
        .subscribe(&crate::accounts::service::user_topic(s.user));
    struct Live {
        st: AppState,
        topic: Subscription,
        person: Subscription,
        actor: Actor,
        last: Option<Progress>,
        done: bool,
    }
    let read = |st: AppState, video_id: VideoId| async move {
        match db::select_by_id(&st.db, video_id).await {
            Ok(Some(v)) => Some(Progress {
                status: v.status,
                progress: v.progress,
                error: v.error.as_deref().map(super::error_msg),
            }),
            _ => None,
        }
    };
    let start = Live {
        st,
        topic,
        person,
        actor: s,
        last: None,
        done: false,
    };
    let stream = futures::stream::unfold(start, move |mut l| async move {
        if l.done {
            return None;
        }
        loop {
            if l.last.is_some() {
                tokio::select! {
                    _ = l.topic.next() => {}
                    sig = l.person.next() => {
                        if let Signal::Event(e) = sig
                            && e.get("sessions").is_some()
                            && !crate::accounts::db::session_exists(&l.st.db, l.actor.session)
                                .await
                                .unwrap_or(false)
                        {
                            return None;
                        }
                        continue;
                    }
                }
            }
            let p = read(l.st.clone(), video_id).await?;
            if l.last.as_ref() != Some(&p) {
                l.done = matches!(p.status, Status::Ready | Status::Failed);
                let ev = Event::default()
                    .event("progress")
                    .json_data(&p)
                    .unwrap_or_default();
                l.last = Some(p);
                return Some((Ok::<_, std::convert::Infallible>(ev), l));
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
