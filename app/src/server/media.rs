//! Serving stored media: `/media/{key}` and signed `/media/s/{token}/{key}`, and the same
//! byte-serving for routes of features (lesson attachments, certificate PDFs).
//!
//! - HTTP Range: one range → 206 with `Content-Range`; an unsatisfiable one → 416 with
//!   `Content-Range: bytes */size`; several ranges → the whole object (allowed by RFC 9110);
//!   `If-Range` with a stale validator → the whole object.
//! - ETags, `If-None-Match` → 304; public objects are cached for a year (keys never change),
//!   private ones only by the viewer's browser.
//! - Bytes are streamed from storage, never held whole in memory.
//! - Who may read a key is decided by the policy the owning feature registered for the key's
//!   first segment (`videos/…` by video, `attachments/…` by courses); keys no feature claims
//!   (avatars, covers) are public; `certificates/…` answers 410 once a certificate is revoked.

use super::AppState;
use super::auth::Actor;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What a policy decides about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaAccess {
    /// Anyone, and cacheable by everyone.
    Public,
    /// This viewer only (cached by their browser only).
    Private,
    Denied,
    Missing,
    /// It existed and was withdrawn (a revoked certificate): 410.
    Gone,
}

/// Decides who may read the keys under one first segment: `(state, key, signed-link token,
/// viewer)`.
pub type MediaPolicy = for<'a> fn(
    &'a AppState,
    &'a str,
    Option<&'a str>,
    Option<&'a Actor>,
) -> super::jobs::BoxFuture<'a, MediaAccess>;

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
                    // `saturating_add`: `bytes=0-18446744073709551615` means "to the end".
                    Ok(e) if e >= start => e.saturating_add(1).min(size),
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

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && !key
            .split('/')
            .any(|seg| seg.is_empty() || seg == ".." || seg == "." || seg.starts_with('.'))
}

/// `/media/{*key}`: a public or permitted object.
pub async fn serve(
    State(state): State<AppState>,
    viewer: Option<Actor>,
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
    let prefix = key.split('/').next().unwrap_or("");
    let access = match state.hooks.media_policy(prefix) {
        Some(policy) => policy(&state, &key, token.as_deref(), viewer.as_ref()).await,
        None => MediaAccess::Public,
    };
    let public = match access {
        MediaAccess::Public => true,
        MediaAccess::Private => false,
        MediaAccess::Denied => return (StatusCode::FORBIDDEN, "forbidden").into_response(),
        MediaAccess::Missing => return StatusCode::NOT_FOUND.into_response(),
        MediaAccess::Gone => return (StatusCode::GONE, "gone").into_response(),
    };
    send(&state, &key, public, &method, &headers).await
}

/// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266).
pub fn content_disposition(name: &str) -> String {
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
        crate::url::component(name)
    )
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
        assert_eq!(
            parse_range(Some("bytes=0-18446744073709551615"), 100),
            RangeReq::Part(0, 100)
        );
        assert_eq!(
            parse_range(Some("bytes=0-99999999999999999999"), 100),
            RangeReq::Unsatisfiable
        );
    }
}
