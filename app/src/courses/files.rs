//! A course's files: the cover image and lesson attachments.
//!
//! - `POST /api/courses/{course}/cover` (multipart `cover`): JPEG/PNG/WebP up to the avatar limit,
//!   decoded, cropped to 16:9 and re-encoded at 1280 and 640 px; the old cover's files go.
//! - `POST /api/courses/{course}/lessons/{lesson}/attachments` (multipart `file`): a PDF, an
//!   office document or presentation, or an archive, recognised from its bytes, up to 50 MB.
//! - `GET /api/courses/attachments/{id}` (with Range): only to those who may open the lesson;
//!   the stored files (`attachments/…`) are never served through `/media`.
//!
//! Both uploads are the course author's only.

use super::{ATTACHMENT_MAX_BYTES, db};
use crate::courses::CourseMsg;
use crate::error::{AppError, Msg};
use crate::ids::{AttachmentId, CourseId, LessonId};
use crate::server::AppState;
use crate::server::auth::Actor;
use crate::server::media::{MediaAccess, content_disposition, send};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use image::imageops::FilterType;

/// Cover widths (16:9).
pub const COVER_WIDTHS: [u32; 2] = [1280, 640];
/// Attachments per lesson.
pub const ATTACHMENTS_MAX: i64 = 20;
/// Oversized uploads are drained up to this many bytes to answer clearly.
pub const DRAIN_LIMIT: usize = ATTACHMENT_MAX_BYTES + 16 * 1024 * 1024;

/// Who may edit course `id` (its author or an admin: `access::may_edit`), checked before an
/// upload's body is read.
async fn editor(state: &AppState, auth: Option<Actor>, id: CourseId) -> Result<Actor, AppError> {
    let auth = auth.ok_or(AppError::NotAuthenticated)?;
    super::service::authored(state, &auth, id).await?;
    Ok(auth)
}

/// Crops to 16:9 and encodes every cover width.
pub fn process_cover(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, Msg> {
    let img = crate::server::images::decode(bytes)?;
    // Resized, then the centre 16:9 cut (no full-size copy of the picture is made).
    COVER_WIDTHS
        .iter()
        .map(|&width| {
            Ok((
                width,
                crate::server::images::jpeg(&img.resize_to_fill(
                    width,
                    width * 9 / 16,
                    FilterType::Lanczos3,
                ))?,
            ))
        })
        .collect()
}

/// The cover upload route; answers `{"cover_url": …}`.
pub async fn upload_cover(
    State(state): State<AppState>,
    auth: Option<Actor>,
    Path(course): Path<CourseId>,
    mut multipart: Multipart,
) -> Response {
    let actor = match editor(&state, auth, course).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let max = state.config.avatar_max_bytes;
    let too_large = AppError::BadRequest(Msg::ImageTooLarge {
        max_mb: (max / (1024 * 1024)) as u32,
    });
    let upload =
        match crate::server::uploads::spool(&state, &mut multipart, "cover", max as u64).await {
            Ok(Some(u)) => u,
            Ok(None) => return AppError::field("cover", Msg::Required).into_response(),
            Err(e) => return e.into_app(too_large).into_response(),
        };
    let Ok(bytes) = upload.read().await else {
        return AppError::Internal.into_response();
    };
    match super::service::set_cover(&state, &actor, course, bytes).await {
        Ok(url) => Json(serde_json::json!({ "cover_url": url })).into_response(),
        Err(e) => e.into_response(),
    }
}

/// What an attachment is, from its first bytes: (MIME type, extensions that fit it).
pub fn sniff(bytes: &[u8], name: &str) -> Option<(&'static str, &'static [&'static str])> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"%PDF-") {
        return Some(("application/pdf", &["pdf"]));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office Open XML and OpenDocument files are zip archives; the extension picks the type.
        const ZIPS: &[(&str, &str)] = &[
            (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ),
            (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("odt", "application/vnd.oasis.opendocument.text"),
            ("odp", "application/vnd.oasis.opendocument.presentation"),
            ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
            ("epub", "application/epub+zip"),
        ];
        return Some(match ZIPS.iter().find(|z| z.0 == ext) {
            Some(z) => (
                z.1,
                &["docx", "pptx", "xlsx", "odt", "odp", "ods", "epub", "zip"],
            ),
            None => ("application/zip", &["zip"]),
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let mime = match ext.as_str() {
            "ppt" => "application/vnd.ms-powerpoint",
            "xls" => "application/vnd.ms-excel",
            _ => "application/msword",
        };
        return Some((mime, &["doc", "ppt", "xls"]));
    }
    if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        return Some(("application/x-7z-compressed", &["7z"]));
    }
    if bytes.starts_with(b"Rar!\x1A\x07") {
        return Some(("application/vnd.rar", &["rar"]));
    }
    if bytes.starts_with(&[0x1F, 0x8B]) {
        return Some(("application/gzip", &["gz", "tgz"]));
    }
    None
}

/// A safe download name: no path, no control characters, at most 120 characters, and an
/// extension that fits the detected type.
pub fn clean_name(name: &str, fits: &[&str]) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut s: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .collect();
    s = s.trim().trim_start_matches('.').to_string();
    if s.is_empty() {
        s = "file".into();
    }
    if s.chars().count() > 120 {
        let (stem, ext) = s
            .rsplit_once('.')
            .map(|(a, b)| (a.to_string(), format!(".{b}")))
            .unwrap_or((s.clone(), String::new()));
        s = stem
            .chars()
            .take(120 - ext.chars().count().min(20))
            .collect::<String>()
            + &ext;
    }
    let ext = s
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !fits.contains(&ext.as_str()) {
        s = format!("{s}.{}", fits[0]);
    }
    s
}

/// The attachment upload route; answers with the new attachment.
pub async fn upload_attachment(
    State(state): State<AppState>,
    auth: Option<Actor>,
    Path((course, lesson)): Path<(CourseId, LessonId)>,
    mut multipart: Multipart,
) -> Response {
    let actor = match editor(&state, auth, course).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let too_large = AppError::field(
        "file",
        Msg::Course(CourseMsg::AttachmentTooBig {
            max_mb: (ATTACHMENT_MAX_BYTES / (1024 * 1024)) as u32,
        }),
    );
    // Streamed to a temporary file (never whole in memory), then to storage from there.
    let upload = match crate::server::uploads::spool(
        &state,
        &mut multipart,
        "file",
        ATTACHMENT_MAX_BYTES as u64,
    )
    .await
    {
        Ok(Some(u)) => u,
        Ok(None) => return AppError::field("file", Msg::Required).into_response(),
        Err(e) => return e.into_app(too_large).into_response(),
    };
    let file = super::service::NewFile {
        name: &upload.file_name,
        path: &upload.path,
        size: upload.size,
        head: &upload.head,
    };
    match super::service::attach_file(&state, &actor, course, lesson, &file).await {
        Ok(a) => Json(a).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/courses/attachments/{id}`: a lesson's attachment, to those who may open the lesson
/// (enrolled learners, the author, moderators; anyone for a free-preview lesson).
pub async fn download_attachment(
    State(state): State<AppState>,
    viewer: Option<Actor>,
    Path(id): Path<AttachmentId>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let Ok(Some(a)) = db::select_attachment(&state.db, id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match super::access::may_open_lesson(&state, a.lesson_id, viewer.as_ref()).await {
        Ok(true) => {}
        Ok(false) => return (StatusCode::FORBIDDEN, "forbidden").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let mut res = send(
        &state,
        &format!("{}/file", a.storage_key),
        false,
        &method,
        &headers,
    )
    .await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&a.mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&a.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The media policy of `attachments/…`: never through `/media` (the route above checks who may
/// open the lesson).
pub async fn media_access(
    _: &AppState,
    _: &str,
    _: Option<&str>,
    _: Option<&Actor>,
) -> MediaAccess {
    MediaAccess::Denied
}

/// The routes of course files.
pub fn routes() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/api/courses/{course}/cover",
            post(upload_cover).layer(DefaultBodyLimit::max(crate::profiles::avatar::DRAIN_LIMIT)),
        )
        .route(
            "/api/courses/{course}/lessons/{lesson}/attachments",
            post(upload_attachment).layer(DefaultBodyLimit::max(DRAIN_LIMIT)),
        )
        .route(
            "/api/courses/attachments/{id}",
            get(download_attachment).head(download_attachment),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_types_come_from_the_bytes() {
        assert_eq!(
            sniff(b"%PDF-1.7 ...", "notes.txt").map(|s| s.0),
            Some("application/pdf")
        );
        assert_eq!(
            sniff(b"PK\x03\x04....", "slides.pptx").map(|s| s.0),
            Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")
        );
        assert_eq!(
            sniff(b"PK\x03\x04....", "code.zip").map(|s| s.0),
            Some("application/zip")
        );
        assert_eq!(sniff(b"MZ\x90\x00 this is an exe", "slides.pdf"), None);
        assert_eq!(sniff(b"just some text", "notes.pdf"), None);
        assert_eq!(sniff(b"<html><script>", "page.pdf"), None);
    }

    #[test]
    fn names_are_made_safe_and_fit_the_type() {
        assert_eq!(clean_name("../../etc/passwd", &["pdf"]), "passwd.pdf");
        assert_eq!(
            clean_name("C:\\Users\\me\\Конспект.pdf", &["pdf"]),
            "Конспект.pdf"
        );
        assert_eq!(clean_name("virus.exe", &["pdf"]), "virus.exe.pdf");
        assert_eq!(clean_name("a\"b<c>.zip", &["zip"]), "abc.zip");
        assert_eq!(clean_name("", &["zip"]), "file.zip");
        assert!(
            clean_name(&format!("{}.pdf", "x".repeat(300)), &["pdf"])
                .chars()
                .count()
                <= 120
        );
    }

    #[test]
    fn covers_are_cropped_to_16_by_9() {
        let img = image::RgbImage::from_fn(1000, 1000, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let out = process_cover(&png).unwrap();
        let dims: Vec<(u32, u32)> = out
            .iter()
            .map(|(_, b)| {
                image::load_from_memory(b)
                    .map(|i| (i.width(), i.height()))
                    .unwrap()
            })
            .collect();
        assert_eq!(dims, vec![(1280, 720), (640, 360)]);
    }
}
