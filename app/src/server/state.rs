//! The application state every request and server function sees.

use super::{config::Config, db::Db, mail::Mailer, storage::Storage};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub storage: Storage,
    pub mailer: Mailer,
    pub signer: crate::video::signing::Signer,
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
