//! Checkout server functions and the webhook route.

use super::OrderView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Provider, Sandbox, WebhookEvent, apply},
    crate::courses::db,
    crate::server::{session, state},
};

/// An order of the signed-in buyer. Errors: `NotAuthenticated`, `NotFound` (not theirs).
#[server(endpoint = "payments/order")]
pub async fn get_order(id: String) -> Result<OrderView, AppError> {
    let s = session::require_user()?;
    let st = state();
    let o = db::select_order(&st.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.user_id != s.user_id {
        return Err(AppError::NotFound);
    }
    let c = db::select_course(&st.db, o.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OrderView {
        public_id: o.public_id,
        course_slug: c.slug,
        course_title: c.title,
        amount_minor: o.amount_minor,
        currency: o.currency,
        status: o.status,
        provider: "sandbox".into(),
    })
}

/// The sandbox's "pay" button: the provider confirms the payment through its signed webhook
/// path. The buyer only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "payments/sandbox-pay")]
pub async fn sandbox_pay(id: String) -> Result<String, AppError> {
    let s = session::require_user()?;
    let st = state();
    let o = db::select_order(&st.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if o.user_id != s.user_id {
        return Err(AppError::NotFound);
    }
    let provider = Sandbox::new(&st);
    let body = serde_json::to_vec(&WebhookEvent {
        order: o.public_id.clone(),
        status: "paid".into(),
    })
    .map_err(|_| AppError::Internal)?;
    let event = provider
        .verify(&body, &provider.sign(&body))
        .ok_or(AppError::Internal)?;
    apply(&st, &event).await?;
    let c = db::select_course(&st.db, o.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(c.slug)
}

/// `POST /api/payments/webhook/sandbox`: a provider's confirmation, signed in `X-Signature`.
/// Idempotent: repeating an event changes nothing.
#[cfg(feature = "ssr")]
pub async fn webhook(
    axum::extract::State(st): axum::extract::State<crate::server::AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let provider = Sandbox::new(&st);
    let sig = headers
        .get("x-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(event) = provider.verify(&body, sig) else {
        return (StatusCode::BAD_REQUEST, "bad signature").into_response();
    };
    match apply(&st, &event).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
