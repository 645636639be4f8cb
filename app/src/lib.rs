//! Tutorium: one Leptos codebase rendered on the server and hydrated in the browser.
//! This file lists the modules and builds the app shell; the route table is in `routes.rs`, the
//! features' jobs, reactions and non-page routes in `wiring.rs`.
//!
//! Shared building blocks sit beside the features that use them: `ids` (typed ids, stored
//! codes), `people` (how a person is shown), `markdown`, `money`, `slug`, `url`, `ui` (UI
//! pieces), `server` (infrastructure, server only).

#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod certificates;
pub mod courses;
pub mod error;
pub mod feed;
pub mod home;
pub mod i18n;
pub mod ids;
pub mod layout;
pub mod markdown;
pub mod money;
pub mod notifications;
pub mod payments;
pub mod people;
pub mod profiles;
pub mod quizzes;
pub mod roles;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod seo;
#[cfg(feature = "ssr")]
pub mod server;
pub mod settings;
pub mod slug;
pub mod ui;
pub mod url;
pub mod video;
#[cfg(feature = "ssr")]
pub mod wiring;

use leptos::prelude::*;
use leptos_meta::{Html, Link, MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::Router;

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let (locale, theme) = layout::initial_prefs();
    i18n::provide_i18n(locale);
    let l = i18n::use_i18n();
    let theme = layout::provide_theme(theme);
    layout::provide_auth();
    provide_context(notifications::components::Unread(RwSignal::new(0)));

    // Marks the page as interactive, so that browser tests click only after hydration.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Html {..} lang=move || l.get().code() data-theme=move || theme.get().code() />
        <Stylesheet id="leptos" href="/pkg/tutorium.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Router>
            <layout::SiteBanner/>
            <layout::Header/>
            <main id="main" class="site-main">
                <routes::AppRoutes/>
            </main>
            <layout::Footer/>
        </Router>
    }
}
