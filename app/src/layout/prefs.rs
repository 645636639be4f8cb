//! Theme (light, dark, or the system's) and language, remembered in cookies so that the server
//! renders the right one at once (no flash).

use crate::i18n::{LOCALE_COOKIE, Locale, use_i18n};
use crate::tr;
use leptos::prelude::*;

crate::codes! {
    /// The colour theme, remembered in the `theme` cookie (an unknown code reads as `System`).
    #[derive(Default)]
    pub enum Theme {
        #[default]
        System = "system",
        Light = "light",
        Dark = "dark",
    }
}

pub const THEME_COOKIE: &str = "theme";

#[derive(Clone, Copy)]
pub struct ThemeCtx(pub RwSignal<Theme>);

/// The language and theme this page starts with: from the request on the server, from the
/// server-rendered `<html>` in the browser.
pub fn initial_prefs() -> (Locale, Theme) {
    #[cfg(feature = "ssr")]
    {
        let theme = crate::server::request::cookie(THEME_COOKIE)
            .and_then(|c| Theme::from_code(&c))
            .unwrap_or_default();
        (crate::i18n::request_locale(), theme)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let html = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        let lang = html
            .as_ref()
            .and_then(|h| h.get_attribute("lang"))
            .and_then(|l| Locale::from_code(&l))
            .unwrap_or_default();
        let theme = html
            .as_ref()
            .and_then(|h| h.get_attribute("data-theme"))
            .and_then(|t| Theme::from_code(&t))
            .unwrap_or_default();
        (lang, theme)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        (Locale::En, Theme::System)
    }
}

pub fn provide_theme(initial: Theme) -> RwSignal<Theme> {
    let s = RwSignal::new(initial);
    provide_context(ThemeCtx(s));
    s
}

#[cfg(feature = "hydrate")]
fn write_cookie(name: &str, value: &str) {
    use wasm_bindgen::JsCast;
    if let Some(doc) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = doc.set_cookie(&format!(
            "{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
        ));
    }
}

#[cfg(feature = "hydrate")]
fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// Switches between light and dark (from "system", to the opposite of what the system shows).
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = expect_context::<ThemeCtx>().0;
    let l = use_i18n();
    let toggle = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let dark_now = match theme.get_untracked() {
                Theme::Dark => true,
                Theme::Light => false,
                Theme::System => system_prefers_dark(),
            };
            let next = if dark_now { Theme::Light } else { Theme::Dark };
            write_cookie(THEME_COOKIE, next.code());
            theme.set(next);
        }
    };
    let label = move || match theme.get() {
        Theme::Dark => l
            .get()
            .pick("Switch to light theme", "Включить светлую тему"),
        Theme::Light => l.get().pick("Switch to dark theme", "Включить тёмную тему"),
        Theme::System => l.get().pick("Toggle dark theme", "Переключить тёмную тему"),
    };
    view! {
        <button type="button" class="icon-button theme-toggle" on:click=toggle aria-label=label title=label>
            <svg class="theme-toggle__sun" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <circle cx="12" cy="12" r="4.5" fill="currentColor"/>
                <g stroke="currentColor" stroke-width="2" stroke-linecap="round">
                    <path d="M12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/>
                </g>
            </svg>
            <svg class="theme-toggle__moon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path fill="currentColor" d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z"/>
            </svg>
        </button>
    }
}

/// Russian / English switch. The choice is remembered (cookie, and the account for e-mails).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let l = use_i18n();
    let set_locale = ServerAction::<crate::layout::header::SetLocale>::new();
    let choose = move |next: Locale| {
        #[cfg(feature = "hydrate")]
        {
            write_cookie(LOCALE_COOKIE, next.code());
        }
        let _ = LOCALE_COOKIE;
        l.set(next);
        set_locale.dispatch(crate::layout::header::SetLocale {
            locale: next.code().to_string(),
        });
    };
    view! {
        <div class="lang-switch" role="group" aria-label=tr!("Language", "Язык")>
            {Locale::ALL.iter().map(|&loc| view! {
                <button type="button" class="lang-switch__option"
                    lang=loc.code()
                    aria-pressed=move || if l.get() == loc { "true" } else { "false" }
                    on:click=move |_| choose(loc)>
                    {loc.native_name()}
                </button>
            }).collect_view()}
        </div>
    }
}
