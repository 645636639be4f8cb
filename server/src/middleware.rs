//! Request middleware: sessions, same-origin checks for writes, security headers, and HTTP
//! statuses for server-function errors.

use app::error::AppError;
use app::server::{AppState, request::ClientIp, session};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Puts the client's address and the resolved session (if any) into the request extensions.
pub async fn session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // Static files and public media need no session (video media may be private: they do).
    let is_static = path.starts_with("/pkg/")
        || (path.starts_with("/media/") && !path.starts_with("/media/videos/"))
        || path == "/favicon.svg"
        || path == "/healthz";
    if !is_static {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let ip = app::server::request::client_address(
            peer,
            req.headers(),
            state.config.trust_proxy,
            state.config.trusted_proxy_hops,
        );
        req.extensions_mut().insert(ClientIp(ip.clone()));
        if let Some(token) = app::server::request::cookie_from_headers(
            req.headers(),
            session::cookie_name(&state.config),
        ) && let Some(mut s) = session::resolve(&state, &token).await
        {
            s.ip = ip;
            req.extensions_mut().insert(s);
        }
    }
    next.run(req).await
}

/// Refuses state-changing requests sent from other sites (CSRF defence on top of SameSite=Lax):
/// `Sec-Fetch-Site: cross-site`, an `Origin` of another host, and `Origin: null` (sandboxed
/// frames, `data:` pages and some redirects send it, and it names no site that could be trusted).
pub async fn same_origin(req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if writes {
        let h = req.headers();
        if h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
        if let Some(origin) = h.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("null");
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .or_else(|| req.uri().authority().map(|a| a.as_str()));
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            let foreign = match host {
                Some(host) => origin_host != Some(host),
                None => origin_host.is_none(),
            };
            if foreign {
                return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
            }
        }
    }
    next.run(req).await
}

const CSP_BASE: &str = "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob:; \
    style-src 'self' 'unsafe-inline'; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Adds the CSP with this render's nonce to a page response (called inside the render context).
pub fn set_page_csp() {
    use leptos::prelude::use_context;
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let csp = format!("{CSP_BASE}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'");
    if let (Some(resp), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&csp),
    ) {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

/// Security headers on every response (pages set their own CSP with a nonce); HSTS when the
/// site is served over HTTPS (PUBLIC_URL), so browsers never try plain HTTP for it again.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.config.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!("{CSP_BASE}; script-src 'self' 'wasm-unsafe-eval'"))
                .unwrap_or(HeaderValue::from_static("default-src 'self'")),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Gives server-function errors their real HTTP status (401, 403, 404, 409, 422, 429) instead of
/// a blanket 500, and never lets an error page be cached.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited { retry_after_secs } = err
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            parts.headers.insert(header::RETRY_AFTER, v);
        }
    }
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(bytes))
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
