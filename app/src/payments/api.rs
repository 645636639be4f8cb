//! Checkout server functions and the provider's webhook route.

use super::OrderView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Provider, service},
    crate::server::{AppState, auth, state},
};

/// An order of the signed-in buyer. Errors: `NotAuthenticated`, `NotFound` (not theirs).
#[server(endpoint = "payments/order")]
pub async fn get_order(id: String) -> Result<OrderView, AppError> {
    service::order(&state(), &auth::actor()?, &id).await
}

/// The sandbox's "pay" button: the provider confirms the payment through its signed webhook
/// path; returns where to go next. The buyer only. Errors: `NotAuthenticated`, `NotFound`,
/// `Conflict(OrderExpired | OrderClosed)`.
#[server(endpoint = "payments/sandbox-pay")]
pub async fn sandbox_pay(id: String) -> Result<String, AppError> {
    service::sandbox_pay(&state(), &auth::actor()?, &id).await
}

/// Cancels the signed-in buyer's pending order. Errors: `NotAuthenticated`, `NotFound`,
/// `Conflict(OrderClosed)` when it is paid already.
#[server(endpoint = "payments/cancel")]
pub async fn cancel_order(id: String) -> Result<(), AppError> {
    service::cancel(&state(), &auth::actor()?, &id).await
}

/// `POST /api/payments/webhook/sandbox`: a provider's confirmation, signed in `X-Signature`.
/// Idempotent: repeating an event changes nothing. 400 for a bad signature, 404 for an
/// unknown order or when the sandbox is off.
#[cfg(feature = "ssr")]
pub async fn webhook(
    axum::extract::State(st): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let Some(provider) = service::provider(&st) else {
        return AppError::NotFound.into_response();
    };
    let sig = headers
        .get("x-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(event) = provider.verify(&body, sig) else {
        return (StatusCode::BAD_REQUEST, "bad signature").into_response();
    };
    match service::apply(&st, &event).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

/// The webhook route.
#[cfg(feature = "ssr")]
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/api/payments/webhook/sandbox",
        axum::routing::post(webhook),
    )
}
