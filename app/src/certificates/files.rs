//! `GET /certificates/{code}.pdf`: a certificate's PDF, for anyone with its code (the code is the
//! secret, as on the verification page). Rendered and stored on the spot if its job has not run
//! yet; unknown codes → 404, revoked certificates → 410 Gone (the stored copy under
//! `/media/certificates/` too). Public, revalidated on every use (ETag → 304): the PDF never
//! changes (it is the snapshot taken at issue time), but it can be revoked.
//!
//! A layer, not a route: the page `/certificates/{code}` owns that path shape in the router.

use crate::server::AppState;
use crate::server::media::{content_disposition, send};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn pdf(
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
    if !super::code_well_formed(&code) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cert = match super::db::select_by_code(&state.db, &code).await {
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
    let key = match super::service::ensure_pdf(&state, &cert).await {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = %e, %code, "producing a certificate PDF failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut res = send(&state, &key, true, &method, req.headers()).await;
    // Public, but checked again each time (a cheap 304 by ETag): a revoked certificate must
    // stop downloading from caches too.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    let name = format!("Certificate {} {}.pdf", cert.course_title, cert.code);
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&name)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
