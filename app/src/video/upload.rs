//! Resumable uploads with the tus 1.0 protocol (core, creation, termination), so that a dropped
//! connection or a reloaded tab continues where it stopped:
//!
//! - `POST /api/videos/uploads` with `Upload-Length` (and `Upload-Metadata: filename …`) creates
//!   an upload and answers `201` with its `Location`;
//! - `HEAD` on it answers the `Upload-Offset` the server holds;
//! - `PATCH` with `Upload-Offset` and `Content-Type: application/offset+octet-stream` appends;
//!   the bytes that arrive are kept even when the connection drops midway;
//! - `DELETE` abandons it.
//!
//! The last PATCH checks the file with ffprobe: a file that is not a playable video is refused
//! with a clear reason and nothing of it is kept; a good one is queued for transcoding.
//! Tutors only; only the owner may touch an upload.

use super::{Status, db};
use crate::accounts::Role;
use crate::error::{AppError, Msg};
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms};
use crate::video::VideoMsg;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use tokio::io::AsyncWriteExt;

const TUS_VERSION: &str = "1.0.0";
/// The stored offset is moved forward at least this often while bytes arrive.
const CHECKPOINT: u64 = 4 * 1024 * 1024;

fn tus_headers(h: &mut HeaderMap) {
    h.insert("tus-resumable", HeaderValue::from_static(TUS_VERSION));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The error as JSON with its status, plus the tus headers.
fn error(e: AppError) -> Response {
    let mut r = e.into_response();
    tus_headers(r.headers_mut());
    r
}

fn require_tutor(auth: Option<Actor>) -> Result<Actor, AppError> {
    let a = auth.ok_or(AppError::NotAuthenticated)?;
    a.require(Role::Tutor)?;
    Ok(a)
}

/// The owner's upload by id, or the error to answer.
async fn owned(state: &AppState, auth: Option<Actor>, id: &str) -> Result<db::VideoRow, AppError> {
    let Some(a) = auth else {
        return Err(AppError::NotAuthenticated);
    };
    if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    let v = db::select_by_public_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if v.owner_id != a.user {
        // Someone else's upload does not exist for this caller.
        return Err(AppError::NotFound);
    }
    Ok(v)
}

fn max_mb(state: &AppState) -> u32 {
    (state.config.video_max_bytes / (1024 * 1024)) as u32
}

/// `OPTIONS`: what this server supports.
pub async fn options(State(state): State<AppState>) -> Response {
    let mut h = HeaderMap::new();
    tus_headers(&mut h);
    h.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    h.insert(
        "tus-extension",
        HeaderValue::from_static("creation,termination"),
    );
    if let Ok(v) = HeaderValue::from_str(&state.config.video_max_bytes.to_string()) {
        h.insert("tus-max-size", v);
    }
    (StatusCode::NO_CONTENT, h).into_response()
}

fn file_name(metadata: Option<&HeaderValue>) -> String {
    use base64::Engine;
    let raw = metadata.and_then(|v| v.to_str().ok()).unwrap_or("");
    let name = raw
        .split(',')
        .filter_map(|kv| kv.trim().split_once(' '))
        .find(|(k, _)| *k == "filename")
        .and_then(|(_, v)| {
            base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let clean: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "video".to_string()
    } else {
        clean.trim().to_string()
    }
}

/// `POST`: creates an upload.
pub async fn create(
    State(state): State<AppState>,
    auth: Option<Actor>,
    headers: HeaderMap,
) -> Response {
    let a = match require_tutor(auth) {
        Ok(a) => a,
        Err(e) => return error(e),
    };
    let Some(length) = headers
        .get("upload-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    else {
        return error(AppError::BadRequest(Msg::BadInput));
    };
    if length == 0 {
        return error(AppError::field("file", Msg::Video(VideoMsg::Empty)));
    }
    if length > state.config.video_max_bytes {
        let mut r = error(AppError::field(
            "file",
            Msg::Video(VideoMsg::TooBig {
                max_mb: max_mb(&state),
            }),
        ));
        *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return r;
    }
    if let Err(e) = crate::server::rate_limit::hit(
        &state.db,
        &format!("video-upload:{}", a.user),
        crate::server::rate_limit::Limit {
            max: 200,
            window_ms: 3_600_000,
        },
    )
    .await
    {
        return error(e);
    }
    // Held until the upload's row (which the quota counts) is written.
    let _reserved = match crate::server::quota::reserve(&state, a.user, length as i64, "file").await
    {
        Ok(r) => r,
        Err(e) => {
            let mut r = error(e);
            *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return r;
        }
    };
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let dir = state.config.uploads_dir();
    if let Err(e) = tokio::fs::create_dir_all(&dir).await.and(
        tokio::fs::File::create(dir.join(&public_id))
            .await
            .map(|_| ()),
    ) {
        tracing::error!(error = %e, "creating the upload file failed");
        return error(AppError::Internal);
    }
    let title = file_name(headers.get("upload-metadata"));
    if let Err(e) = db::insert_upload(
        &state.db,
        &public_id,
        a.user,
        &title,
        length as i64,
        now_ms(),
    )
    .await
    {
        let _ = tokio::fs::remove_file(dir.join(&public_id)).await;
        return error(e.into());
    }
    let mut h = HeaderMap::new();
    tus_headers(&mut h);
    if let Ok(v) = HeaderValue::from_str(&format!("/api/videos/uploads/{public_id}")) {
        h.insert(header::LOCATION, v);
    }
    h.insert("upload-offset", HeaderValue::from_static("0"));
    (
        StatusCode::CREATED,
        h,
        Json(serde_json::json!({ "id": public_id })),
    )
        .into_response()
}

fn offset_headers(v: &db::VideoRow) -> HeaderMap {
    let mut h = HeaderMap::new();
    tus_headers(&mut h);
    let offset = if v.status == Status::Uploading {
        v.uploaded_bytes
    } else {
        v.size_bytes
    };
    if let Ok(x) = HeaderValue::from_str(&offset.to_string()) {
        h.insert("upload-offset", x);
    }
    if let Ok(x) = HeaderValue::from_str(&v.size_bytes.to_string()) {
        h.insert("upload-length", x);
    }
    h.insert("x-video-status", HeaderValue::from_static(v.status.code()));
    h
}

/// `HEAD`: the offset to resume from.
pub async fn head(
    State(state): State<AppState>,
    auth: Option<Actor>,
    Path(id): Path<String>,
) -> Response {
    match owned(&state, auth, &id).await {
        Ok(v) => (StatusCode::OK, offset_headers(&v)).into_response(),
        Err(e) => {
            let mut h = HeaderMap::new();
            tus_headers(&mut h);
            (
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
                h,
            )
                .into_response()
        }
    }
}

/// One PATCH at a time per upload in this process (the database guards across processes).
fn busy() -> &'static Mutex<HashSet<String>> {
    static B: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    B.get_or_init(|| Mutex::new(HashSet::new()))
}

struct Busy(String);
impl Busy {
    fn take(id: &str) -> Option<Busy> {
        let mut set = busy().lock().ok()?;
        set.insert(id.to_string()).then(|| Busy(id.to_string()))
    }
}
impl Drop for Busy {
    fn drop(&mut self) {
        if let Ok(mut set) = busy().lock() {
            set.remove(&self.0);
        }
    }
}

/// `PATCH`: appends bytes at `Upload-Offset`; the last one checks and queues the video.
pub async fn patch(
    State(state): State<AppState>,
    auth: Option<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let v = match owned(&state, auth, &id).await {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        != Some("application/offset+octet-stream")
    {
        return error(AppError::BadRequest(Msg::BadInput))
            .map_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    if v.status != Status::Uploading {
        return (StatusCode::NO_CONTENT, offset_headers(&v)).into_response();
    }
    let Some(offset) = headers
        .get("upload-offset")
        .and_then(|o| o.to_str().ok())
        .and_then(|o| o.parse::<i64>().ok())
    else {
        return error(AppError::BadRequest(Msg::BadInput));
    };
    if offset != v.uploaded_bytes {
        let mut r = error(AppError::Conflict(Msg::Video(
            VideoMsg::UploadOffsetMismatch,
        )));
        r.headers_mut().extend(offset_headers(&v));
        return r;
    }
    let Some(_busy) = Busy::take(&id) else {
        return error(AppError::Conflict(Msg::Video(
            VideoMsg::UploadOffsetMismatch,
        )))
        .map_status(StatusCode::LOCKED);
    };
    let path = state.config.uploads_dir().join(&v.public_id);
    let file = match tokio::fs::OpenOptions::new().write(true).open(&path).await {
        Ok(f) => f,
        Err(_) => return error(AppError::NotFound),
    };
    // Bytes past the acknowledged offset (from a request cut off before its checkpoint) go.
    if file.set_len(offset as u64).await.is_err() {
        return error(AppError::Internal);
    }
    let mut file = tokio::io::BufWriter::with_capacity(1024 * 1024, file);
    if let Err(e) =
        tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(offset as u64)).await
    {
        tracing::error!(error = %e, "seek failed");
        return error(AppError::Internal);
    }
    let total = v.size_bytes;
    let mut acked = offset;
    let mut written = offset;
    let mut stream = body.into_data_stream();
    let mut too_much = false;
    let mut dropped = false;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            dropped = true;
            break;
        };
        if written + chunk.len() as i64 > total {
            too_much = true;
            break;
        }
        if file.write_all(&chunk).await.is_err() {
            return error(AppError::Internal);
        }
        written += chunk.len() as i64;
        if (written - acked) as u64 >= CHECKPOINT {
            if file.flush().await.is_err() {
                return error(AppError::Internal);
            }
            if !db::advance_offset(&state.db, v.id, acked, written, now_ms())
                .await
                .unwrap_or(false)
            {
                return error(AppError::Conflict(Msg::Video(
                    VideoMsg::UploadOffsetMismatch,
                )));
            }
            acked = written;
        }
    }
    // Keep what arrived, even when the connection dropped: the client resumes from here.
    let _ = file.flush().await;
    let _ = file.get_ref().sync_data().await;
    if written != acked
        && !db::advance_offset(&state.db, v.id, acked, written, now_ms())
            .await
            .unwrap_or(false)
    {
        return error(AppError::Conflict(Msg::Video(
            VideoMsg::UploadOffsetMismatch,
        )));
    }
    if too_much {
        return error(AppError::BadRequest(Msg::BadInput))
            .map_status(StatusCode::PAYLOAD_TOO_LARGE);
    }
    if dropped || written < total {
        let mut h = HeaderMap::new();
        tus_headers(&mut h);
        if let Ok(x) = HeaderValue::from_str(&written.to_string()) {
            h.insert("upload-offset", x);
        }
        return (StatusCode::NO_CONTENT, h).into_response();
    }
    finalize(&state, &v, &path).await
}

/// Checks the complete upload; refuses it (leaving nothing behind) or queues its processing.
async fn finalize(state: &AppState, v: &db::VideoRow, path: &std::path::Path) -> Response {
    let limits = super::probe::Limits {
        max_seconds: state.config.video_max_seconds,
    };
    match super::probe::probe(&state.config.ffprobe, path, &limits).await {
        Ok(p) => {
            match db::start_processing(&state.db, v.id, p.duration_ms, p.width, p.height, now_ms())
                .await
            {
                Ok(_) => super::changed(state, v.id).await,
                Err(e) => return error(e.into()),
            }
            let mut h = HeaderMap::new();
            tus_headers(&mut h);
            if let Ok(x) = HeaderValue::from_str(&v.size_bytes.to_string()) {
                h.insert("upload-offset", x);
            }
            h.insert("x-video-status", HeaderValue::from_static("processing"));
            (StatusCode::NO_CONTENT, h).into_response()
        }
        Err(msg) => {
            let _ = tokio::fs::remove_file(path).await;
            let _ = db::delete(&state.db, v.id).await;
            tracing::info!(video = %v.public_id, reason = ?msg, "upload refused");
            error(AppError::field("file", msg))
        }
    }
}

/// `DELETE`: abandons an upload (or deletes a video).
pub async fn terminate(
    State(state): State<AppState>,
    auth: Option<Actor>,
    Path(id): Path<String>,
) -> Response {
    let v = match owned(&state, auth, &id).await {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    match super::api::remove_video(&state, &v).await {
        Ok(()) => {
            let mut h = HeaderMap::new();
            tus_headers(&mut h);
            (StatusCode::NO_CONTENT, h).into_response()
        }
        Err(e) => error(e),
    }
}

trait MapStatus {
    fn map_status(self, s: StatusCode) -> Self;
}
impl MapStatus for Response {
    fn map_status(mut self, s: StatusCode) -> Self {
        *self.status_mut() = s;
        self
    }
}

/// Uploads untouched for a day are abandoned: their rows and partial files go.
pub async fn purge_stale(state: &AppState) -> anyhow::Result<u64> {
    let before = now_ms() - 24 * 3600 * 1000;
    let stale = db::list_stale_uploads(&state.db, before).await?;
    for (id, public_id) in &stale {
        let _ = tokio::fs::remove_file(state.config.uploads_dir().join(public_id)).await;
        db::delete(&state.db, *id).await?;
    }
    Ok(stale.len() as u64)
}
