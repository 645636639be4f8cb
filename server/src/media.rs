//! Serving stored media: `/media/{key}` and signed `/media/s/{token}/{key}`.
//!
//! - HTTP Range: one range → 206 with `Content-Range`; an unsatisfiable one → 416 with
//!   `Content-Range: bytes */size`; several ranges → the whole object (allowed by RFC 9110);
//!   `If-Range` with a stale validator → the whole object.
//! - ETags, `If-None-Match` → 304; public objects are cached for a year (keys never change),
//!   private ones only by the viewer's browser.
//! - Bytes are streamed from storage, never held whole in memory.
//! - Video files are public only for public, ready videos; otherwise the owner, an admin, or a
//!   valid signed link; anyone else gets 403.

use app::server::{AppState, now_ms, session::AuthSession};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or("") {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "m3u8" => "application/vnd.apple.mpegurl",
        "ts" => "video/mp2t",
        "vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A parsed `Range` header against an object of `size` bytes.
#[derive(Debug, PartialEq)]
pub enum RangeReq {
    /// No (usable) range: the whole object.
    Full,
    /// `start..end` (end exclusive).
    Part(u64, u64),
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-`, `bytes=-n`. Several ranges or other units mean `Full`.
pub fn parse_range(header: Option<&str>, size: u64) -> RangeReq {
    let Some(h) = header else {
        return RangeReq::Full;
    };
    let Some(spec) = h.trim().strip_prefix("bytes=") else {
        return RangeReq::Full;
    };
    if spec.contains(',') {
        return RangeReq::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeReq::Unsatisfiable;
    };
    let (a, b) = (a.trim(), b.trim());
    let parsed = match (a.is_empty(), b.is_empty()) {
        (true, true) => return RangeReq::Unsatisfiable,
        (true, false) => {
            // The last n bytes.
            let Ok(n) = b.parse::<u64>() else {
                return RangeReq::Unsatisfiable;
            };
            if n == 0 || size == 0 {
                return RangeReq::Unsatisfiable;
            }
            (size.saturating_sub(n), size)
        }
        (false, _) => {
            let Ok(start) = a.parse::<u64>() else {
                return RangeReq::Unsatisfiable;
            };
            let end = if b.is_empty() {
                size
            } else {
                match b.parse::<u64>() {
                    Ok(e) if e >= start => (e + 1).min(size),
                    _ => return RangeReq::Unsatisfiable,
                }
            };
            if start >= size {
                return RangeReq::Unsatisfiable;
            }
            (start, end)
        }
    };
    RangeReq::Part(parsed.0, parsed.1)
}

enum Access {
    Public,
    Private,
    Denied,
    Missing,
}

/// Who may read `key`. Avatars and other non-video media are public.
async fn access(
    state: &AppState,
    key: &str,
    token: Option<&str>,
    auth: Option<&AuthSession>,
) -> Access {
    let mut parts = key.split('/');
    match parts.next() {
        Some("videos") => {}
        // Lesson attachments are served only through their route, which checks enrollment.
        Some("attachments") => return Access::Denied,
        _ => return Access::Public,
    }
    let Some(public_id) = parts.next() else {
        return Access::Missing;
    };
    let Ok(Some(v)) = app::video::db::select_by_public_id(&state.db, public_id).await else {
        return Access::Missing;
    };
    if let Some(t) = token {
        return if state
            .signer
            .verify(&format!("videos/{public_id}"), t, now_ms() / 1000)
        {
            Access::Private
        } else {
            Access::Denied
        };
    }
    if v.visibility == "public" && v.status == "ready" {
        return Access::Public;
    }
    match app::video::api::may_watch(state, &v, auth).await {
        Ok(true) => Access::Private,
        _ => Access::Denied,
    }
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && !key
            .split('/')
            .any(|seg| seg.is_empty() || seg == ".." || seg == "." || seg.starts_with('.'))
}

/// `/media/{*key}`: a public or permitted object.
pub async fn serve(
    State(state): State<AppState>,
    auth: Option<axum::Extension<AuthSession>>,
    Path(key): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let (key, token) = match key.strip_prefix("s/").and_then(|rest| rest.split_once('/')) {
        Some((token, rest)) => (rest.to_string(), Some(token.to_string())),
        None => (key, None),
    };
    if !valid_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let auth = auth.map(|a| a.0);
    let public = match access(&state, &key, token.as_deref(), auth.as_ref()).await {
        Access::Public => true,
        Access::Private => false,
        Access::Denied => return (StatusCode::FORBIDDEN, "forbidden").into_response(),
        Access::Missing => return StatusCode::NOT_FOUND.into_response(),
    };
    send(&state, &key, public, &method, &headers).await
}

/// `GET /api/courses/attachments/{id}`: a lesson's attachment, to those who may open the lesson
/// (enrolled learners, the author, moderators; anyone for a free-preview lesson).
pub async fn attachment(
    State(state): State<AppState>,
    auth: Option<axum::Extension<AuthSession>>,
    Path(id): Path<i64>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let Ok(Some(a)) = app::courses::db::select_attachment(&state.db, id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let auth = auth.map(|a| a.0);
    match app::courses::api::may_open_lesson(&state, a.lesson_id, auth.as_ref()).await {
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

/// `GET /certificates/{code}.pdf`: a certificate's PDF, for anyone with its code (the code is the
/// secret, as on the verification page). Rendered and stored on the spot if its job has not run
/// yet; unknown codes → 404, revoked certificates → 410 Gone. Public and cached for a year: the
/// PDF never changes (it is the snapshot taken at issue time; revocation shows on the page).
///
/// A layer, not a route: the page `/certificates/{code}` owns that path shape in the router.
pub async fn certificate_pdf(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let code = req
        .uri()
        .path()
        .strip_prefix("/certificates/")
        .and_then(|rest| rest.strip_suffix(".pdf"))
        .map(str::to_string);
    let method = req.method().clone();
    let Some(code) = code.filter(|_| method == Method::GET || method == Method::HEAD) else {
        return next.run(req).await;
    };
    if !app::certificates::code_well_formed(&code) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cert = match app::certificates::db::select_by_code(&state.db, &code).await {
        Ok(Some(c)) => c,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading a certificate failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if cert.revoked_at.is_some() {
        return (StatusCode::GONE, "this certificate was revoked").into_response();
    }
    let key = match app::certificates::service::ensure_pdf(&state, &cert).await {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = %e, %code, "producing a certificate PDF failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut res = send(&state, &key, true, &method, req.headers()).await;
    let name = format!("Certificate {} {}.pdf", cert.course_title, cert.code);
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&name)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode(name)
    )
}

/// RFC 5987 percent-encoding of a file name.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Answers a GET/HEAD for a stored object with Range, ETag and caching.
pub async fn send(
    state: &AppState,
    key: &str,
    public: bool,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let meta = match state.storage.head(key).await {
        Ok(Some(m)) => m,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, key, "reading media failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let size = meta.size;
    let etag = format!(
        "\"{}\"",
        meta.e_tag
            .clone()
            .unwrap_or_else(|| format!("{:x}-{:x}", size, meta.last_modified.timestamp_millis()))
            .trim_matches('"')
    );
    let last_modified = meta
        .last_modified
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(key)),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if public {
            "public, max-age=31536000, immutable"
        } else {
            "private, max-age=3600"
        }),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&last_modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    if if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*")) {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    let mut range = parse_range(
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
        size,
    );
    if let Some(ir) = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok())
        && ir.trim() != etag
        && ir.trim() != last_modified
    {
        range = RangeReq::Full;
    }
    let (status, start, end) = match range {
        RangeReq::Full => (StatusCode::OK, 0, size),
        RangeReq::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b),
        RangeReq::Unsatisfiable => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                h.insert(header::CONTENT_RANGE, v);
            }
            return (StatusCode::RANGE_NOT_SATISFIABLE, h).into_response();
        }
    };
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(v) =
            HeaderValue::from_str(&format!("bytes {start}-{}/{size}", end.saturating_sub(1)))
    {
        h.insert(header::CONTENT_RANGE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&(end - start).to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    if *method == Method::HEAD || end == start {
        return (status, h).into_response();
    }
    match state.storage.read_range(key, start..end).await {
        Ok(stream) => (status, h, Body::from_stream(stream)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, key, "streaming media failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Liveness and readiness: the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query("SELECT 1").execute(state.db.r()).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_parsed_as_rfc_9110_says() {
        assert_eq!(parse_range(None, 100), RangeReq::Full);
        assert_eq!(parse_range(Some("bytes=0-9"), 100), RangeReq::Part(0, 10));
        assert_eq!(parse_range(Some("bytes=90-"), 100), RangeReq::Part(90, 100));
        assert_eq!(
            parse_range(Some("bytes=90-500"), 100),
            RangeReq::Part(90, 100)
        );
        assert_eq!(parse_range(Some("bytes=-10"), 100), RangeReq::Part(90, 100));
        assert_eq!(parse_range(Some("bytes=-500"), 100), RangeReq::Part(0, 100));
        assert_eq!(
            parse_range(Some("bytes=100-"), 100),
            RangeReq::Unsatisfiable
        );
        assert_eq!(parse_range(Some("bytes=5-2"), 100), RangeReq::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 100), RangeReq::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=x-1"), 100), RangeReq::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 100), RangeReq::Full);
        assert_eq!(parse_range(Some("items=0-1"), 100), RangeReq::Full);
    }
}
