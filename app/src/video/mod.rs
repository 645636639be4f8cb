//! Video: resumable upload (the tus 1.0 protocol), validation with ffprobe, transcoding by a
//! background job into H.264/AAC renditions (progressive MP4 with faststart, and an HLS ladder with
//! aligned keyframes), a poster and a thumbnail strip; serving with HTTP Range; and the player.
//! Used by posts and lessons.
//!
//! Invariants:
//! - uploaded names and types are never trusted: ffprobe reads the bytes;
//! - a refused upload leaves no row, no job and no file behind;
//! - a video is `ready` only when every rendition, the poster and the playlists are stored; a
//!   worker that lost its job's lease cannot mark it ready;
//! - storage keys are deterministic (`videos/{public_id}/…`), so a retried job overwrites instead
//!   of adding duplicates;
//! - private videos are served only to their owner, admins, or holders of a signed, expiring link.

mod messages;
pub use messages::VideoMsg;
#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod probe;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod transcode;
#[cfg(feature = "ssr")]
pub mod upload;

use serde::{Deserialize, Serialize};

/// Transcodes one upload into the ladder. Payload: `{"video_id": …}`.
#[cfg(feature = "ssr")]
pub const TRANSCODE_JOB: crate::server::jobs::JobKind = crate::server::jobs::JobKind {
    name: "video.transcode",
    lane: crate::server::jobs::Lane::Media,
    max_attempts: 3,
    scrub_payload: false,
};

/// The bus topic of one video's processing (its owner's studio listens).
#[cfg(feature = "ssr")]
pub fn topic(video_id: crate::ids::VideoId) -> String {
    format!("video:{video_id}")
}

/// Tells the open views of a video that its processing state changed.
#[cfg(feature = "ssr")]
pub async fn changed(st: &crate::server::AppState, video_id: crate::ids::VideoId) {
    st.bus
        .notify(&st.db, &topic(video_id), serde_json::json!({}))
        .await;
}

/// Registers the transcoding job and who may read `videos/…` media.
#[cfg(feature = "ssr")]
pub fn register(hooks: &mut crate::server::hooks::Hooks) {
    use crate::server::jobs::JobHandler;
    hooks.job(JobHandler {
        kind: &TRANSCODE_JOB,
        timeout: |st| std::time::Duration::from_secs(st.config.video_job_timeout_seconds),
        run: |st, job, cx| Box::pin(transcode::run(st, job, cx)),
        on_failure: Some(|st, job, f, final_| Box::pin(transcode::on_failure(st, job, f, final_))),
    });
    hooks.media("videos", |st, key, token, viewer| {
        Box::pin(access::media_access(st, key, token, viewer))
    });
    hooks.storage(|st, user| Box::pin(async move { Ok(db::storage_used(&st.db, user).await?) }));
}

/// The processing stream's route (the router limits open streams: `crate::wiring`).
#[cfg(feature = "ssr")]
pub fn stream_routes() -> axum::Router<crate::server::AppState> {
    axum::Router::new().route("/api/videos/{id}/events", axum::routing::get(api::events))
}

/// The routes of uploads (tus) and captions.
#[cfg(feature = "ssr")]
pub fn routes() -> axum::Router<crate::server::AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{head, post};
    axum::Router::new()
        .route(
            "/api/videos/uploads",
            post(upload::create).options(upload::options),
        )
        .route(
            "/api/videos/uploads/{id}",
            head(upload::head)
                .patch(upload::patch)
                .delete(upload::terminate)
                .options(upload::options)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/videos/{id}/captions",
            post(api::upload_captions).layer(DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
}

crate::codes! {
    /// Where a video is in its life.
    pub enum Status {
        Uploading = "uploading",
        Processing = "processing",
        Ready = "ready",
        Failed = "failed",
    }
}

crate::codes! {
    /// Who may watch a video without a signed link: anyone once it is ready, or only its owner
    /// and admins (the policy is in `access`).
    pub enum Visibility {
        Public = "public",
        Private = "private",
    }
}

/// A video in its owner's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VideoSummary {
    pub public_id: String,
    pub title: String,
    pub status: Status,
    pub public: bool,
    pub progress: i64,
    pub size_bytes: i64,
    pub uploaded_bytes: i64,
    pub duration_ms: Option<i64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub storage_bytes: i64,
    pub error: Option<crate::error::Msg>,
    pub poster_url: Option<String>,
    pub created_at: i64,
}

/// One playable file of a video.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub height: i64,
    pub width: i64,
    pub url: String,
}

/// A captions track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Caption {
    pub lang: String,
    pub label: String,
    pub url: String,
}

/// The thumbnail strip for seek previews: `count` tiles of `width`×`height`, one every `interval_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thumbs {
    pub url: String,
    pub count: i64,
    pub interval_ms: i64,
    pub width: i64,
    pub height: i64,
}

/// Everything the player needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VideoView {
    pub public_id: String,
    pub title: String,
    pub status: Status,
    pub public: bool,
    pub is_owner: bool,
    pub duration_ms: i64,
    pub width: i64,
    pub height: i64,
    pub poster_url: Option<String>,
    pub hls_url: Option<String>,
    /// Progressive MP4s, smallest first.
    pub sources: Vec<Source>,
    pub captions: Vec<Caption>,
    pub thumbs: Option<Thumbs>,
    /// Where the signed-in viewer stopped last time.
    pub start_ms: i64,
    pub created_at: i64,
}

/// What a person keeps in uploads (videos and lesson files) and may keep, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageUse {
    pub used_bytes: i64,
    pub quota_bytes: i64,
}

/// The processing state pushed to the owner's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub status: Status,
    pub progress: i64,
    pub error: Option<crate::error::Msg>,
}

/// Languages captions can be in: (code, name in that language).
pub const CAPTION_LANGUAGES: &[(&str, &str)] = &[
    ("ru", "Русский"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("zh", "中文"),
    ("uk", "Українська"),
    ("kk", "Қазақ тілі"),
];

/// A reason code stored with a failed video, as a message.
pub fn error_msg(code: &str) -> crate::error::Msg {
    use crate::error::Msg;
    match code {
        "truncated" => Msg::Video(VideoMsg::Truncated),
        "no_video_stream" => Msg::Video(VideoMsg::NoVideoStream),
        "not_video" => Msg::Video(VideoMsg::NotVideo),
        _ => Msg::Video(VideoMsg::ProcessingFailed),
    }
}

/// "1:05:09", "4:07".
pub fn format_duration(ms: i64) -> String {
    let s = ms / 1000;
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{sec:02}")
    } else {
        format!("{m}:{sec:02}")
    }
}

/// "1.4 GB", "730 MB", "12 KB".
pub fn format_bytes(b: i64, l: crate::i18n::Locale) -> String {
    let (v, en, ru) = if b >= 1 << 30 {
        (b as f64 / (1u64 << 30) as f64, "GB", "ГБ")
    } else if b >= 1 << 20 {
        (b as f64 / (1u64 << 20) as f64, "MB", "МБ")
    } else {
        (b as f64 / 1024.0, "KB", "КБ")
    };
    let n = if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    let n = if l == crate::i18n::Locale::Ru {
        n.replace('.', ",")
    } else {
        n
    };
    format!("{n} {}", l.pick(en, ru))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn durations_and_sizes_read_naturally() {
        assert_eq!(format_duration(247_000), "4:07");
        assert_eq!(format_duration(3_909_000), "1:05:09");
        assert_eq!(format_bytes(1_500_000_000, Locale::En), "1.4 GB");
        assert_eq!(format_bytes(1_500_000_000, Locale::Ru), "1,4 ГБ");
        assert_eq!(format_bytes(730 << 20, Locale::En), "730 MB");
    }
}
