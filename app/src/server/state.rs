//! The application state every request, server function, job and CLI command sees.

use super::{
    bus::Bus, cache::TtlCache, config::Config, db::Db, hooks::Hooks, mail::Mailer, signing::Signer,
    storage::Storage,
};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub storage: Storage,
    pub mailer: Mailer,
    pub signer: Signer,
    /// Numbers costly to compute that may be a little old (catalog match counts).
    pub counts: TtlCache<i64>,
    /// Documents costly to build that may be a little old (`/sitemap.xml`).
    pub pages: TtlCache<axum::body::Bytes>,
    /// Live events for open pages.
    pub bus: Bus,
    /// Open live streams, for their limits.
    pub streams: super::streams::Streams,
    /// Job handlers and event reactions the features registered.
    pub hooks: Arc<Hooks>,
    pub leptos_options: leptos::config::LeptosOptions,
}

impl axum::extract::FromRef<AppState> for leptos::config::LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, inside a server function or an SSR render.
pub fn state() -> AppState {
    leptos::prelude::expect_context::<AppState>()
}
