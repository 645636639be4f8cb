//! Server functions and the CSV route of the audit log. Admins only (decided in `service`).

use super::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::server::{AppState, auth, state},
};

/// A page of entries, newest first. Admins. Errors: `Forbidden`, `MfaRequired`.
#[server(endpoint = "audit/list", input = Json)]
pub async fn list_audit(filter: AuditFilter) -> Result<AuditPage, AppError> {
    service::list(&state(), &auth::actor()?, &filter).await
}

/// `GET /admin/audit.csv?action=…&actor=…&target_kind=…&target_id=…`: the matching entries as a
/// CSV download. Admins.
#[cfg(feature = "ssr")]
async fn csv(
    axum::extract::State(st): axum::extract::State<AppState>,
    actor: auth::Actor,
    axum::extract::Query(filter): axum::extract::Query<AuditFilter>,
) -> Result<axum::response::Response, AppError> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let body = service::csv(
        &st,
        &actor,
        &AuditFilter {
            before: None,
            ..filter
        },
    )
    .await?;
    let name = format!(
        "attachment; filename=\"tutorium-audit-{}.csv\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[cfg(feature = "ssr")]
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/admin/audit.csv", axum::routing::get(csv))
}
