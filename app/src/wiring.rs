//! The composition root (server only): the one place that lists the features' extension
//! points — their job handlers, event reactions and media policies (`hooks`), and their routes
//! outside the Leptos routes (`routes`, `layers`). Infrastructure (`server/`) reads these and
//! names no feature; a new feature adds its lines here, as it adds its pages to `routes.rs`.

use crate::server::AppState;
use crate::server::hooks::Hooks;
use axum::Router;

/// Every feature's job handlers, reactions and media policies.
pub fn hooks() -> Hooks {
    let mut h = Hooks::default();
    crate::server::mail::register(&mut h);
    crate::video::register(&mut h);
    crate::feed::register(&mut h);
    crate::notifications::service::register(&mut h);
    crate::courses::register(&mut h);
    crate::certificates::service::register(&mut h);
    crate::payments::service::register(&mut h);
    h
}

/// Every feature's routes outside the Leptos routes (uploads, files, webhooks, streams).
pub fn routes(state: &AppState) -> Router<AppState> {
    // Live streams, limited per person and per address.
    let streams = Router::new()
        .route(
            "/api/notifications/stream",
            axum::routing::get(crate::notifications::api::stream),
        )
        .merge(crate::video::stream_routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::server::streams::limit,
        ));
    Router::new()
        .merge(crate::profiles::avatar::routes())
        .merge(crate::video::routes())
        .merge(crate::courses::routes())
        .merge(crate::payments::api::routes())
        .merge(crate::audit::api::routes())
        .merge(streams)
}

/// Middleware of features that must see requests before the router (a path shape owned by a
/// page: `/certificates/{code}.pdf`).
pub fn layers(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::certificates::files::pdf,
    ))
}
