//! The app shell: header with navigation and the user's menu, footer, theme and language
//! switches, the signed-in user's context, and the 404 page.

mod auth;
mod header;
mod notices;
mod prefs;

pub use auth::*;
pub use header::*;
pub use notices::*;
pub use prefs::*;

use crate::i18n::use_i18n;
use crate::ui::Seo;
use leptos::prelude::*;

/// The page for unknown addresses (HTTP 404).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::request::set_status(404);
    let l = use_i18n();
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Page not found", "Страница не найдена").to_string())
            description=Signal::derive(String::new) path="/404" noindex=true />
        <section class="page page--narrow empty-state">
            <p class="empty-state__code" aria-hidden="true">"404"</p>
            <h1>{crate::tr!("This page does not exist", "Такой страницы нет")}</h1>
            <p>{crate::tr!(
                "The link may be broken or the page may have been removed.",
                "Возможно, ссылка устарела или страница была удалена."
            )}</p>
            <a class="button" href="/">{crate::tr!("Go to the home page", "На главную")}</a>
        </section>
    }
}

pub use crate::ui::ErrorPanel;
