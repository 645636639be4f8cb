//! Russian and English.
//!
//! Every visible string is written in both languages at the place it is used, with `tr!("…", "…")`,
//! which returns a reactive closure: switching the language updates the page without a reload.
//! The first visit follows `Accept-Language`; a choice is remembered in the `lang` cookie.

use leptos::prelude::*;

crate::codes! {
    /// A language of the interface, stored as its code (an account's `locale`, the `lang`
    /// cookie, `<html lang>`).
    #[derive(Default)]
    pub enum Locale {
        #[default]
        En = "en",
        Ru = "ru",
    }
}

impl Locale {
    /// The language a request names (a cookie, a form, an `Accept-Language` tag): its code in
    /// any case, with spaces around.
    pub fn from_tag(tag: &str) -> Option<Self> {
        Locale::from_code(&tag.trim().to_ascii_lowercase())
    }

    /// The best match for an `Accept-Language` header, by quality; English when nothing matches.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(l) = Locale::from_tag(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, l));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// Picks the string for this language.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        match self {
            Locale::En => en,
            Locale::Ru => ru,
        }
    }

    /// The name of the language in itself.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ru => "Русский",
        }
    }

    /// The OpenGraph locale.
    pub fn og(self) -> &'static str {
        match self {
            Locale::En => "en_US",
            Locale::Ru => "ru_RU",
        }
    }
}

/// The reader's language, shared by the whole app.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

pub fn provide_i18n(initial: Locale) {
    provide_context(I18n(RwSignal::new(initial)));
}

/// The current language signal (English outside an app, e.g. in unit tests).
pub fn use_i18n() -> RwSignal<Locale> {
    use_context::<I18n>()
        .map(|i| i.0)
        .unwrap_or_else(|| RwSignal::new(Locale::En))
}

/// The current language, read untracked (for one-off formatting).
pub fn locale() -> Locale {
    use_i18n().get_untracked()
}

/// A reactive translated string: `tr!("Log in", "Войти")`.
#[macro_export]
macro_rules! tr {
    ($en:expr, $ru:expr) => {
        $crate::i18n::text($en, $ru)
    };
}

/// The reactive text behind `tr!`. One function, so every call site shares one closure type:
/// the view code that renders a translated text (build, hydrate, update, HTML) exists once in
/// the WebAssembly instead of once per call site (a closure written at each site is a type of
/// its own, and each type gets its own copy of that code).
pub fn text(
    en: &'static str,
    ru: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let l = use_i18n();
    move || l.get().pick(en, ru)
}

/// Formats a count with the right Russian plural: `plural_ru(n, "подписчик", "подписчика", "подписчиков")`.
pub fn plural_ru(n: i64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    let (d, dd) = (n.rem_euclid(10), n.rem_euclid(100));
    if d == 1 && dd != 11 {
        one
    } else if (2..=4).contains(&d) && !(12..=14).contains(&dd) {
        few
    } else {
        many
    }
}

/// The language of the current request: the `lang` cookie, else `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    let Some(parts) = crate::server::request::parts() else {
        return Locale::En;
    };
    locale_from_headers(&parts.headers)
}

/// The language for request headers: the `lang` cookie, else `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn locale_from_headers(headers: &http::HeaderMap) -> Locale {
    if let Some(l) = crate::server::request::cookie_from_headers(headers, LOCALE_COOKIE)
        .and_then(|c| Locale::from_tag(&c))
    {
        return l;
    }
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Locale::from_accept_language)
        .unwrap_or_default()
}

pub const LOCALE_COOKIE: &str = "lang";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality_supported_language() {
        assert_eq!(
            Locale::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Locale::Ru
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,en;q=0.5,ru;q=0.7"),
            Locale::Ru
        );
        assert_eq!(Locale::from_accept_language("en-GB,en"), Locale::En);
        assert_eq!(Locale::from_accept_language("fr, de"), Locale::En);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
        assert_eq!(Locale::from_accept_language("RU-ru"), Locale::Ru);
    }

    #[test]
    fn request_tags_are_read_in_any_case_stored_codes_exactly() {
        assert_eq!(Locale::from_tag(" RU "), Some(Locale::Ru));
        assert_eq!(Locale::from_tag("de"), None);
        assert_eq!(Locale::from_code("ru"), Some(Locale::Ru));
        assert_eq!(Locale::from_code("RU"), None);
    }

    #[test]
    fn russian_plurals() {
        assert_eq!(plural_ru(1, "a", "b", "c"), "a");
        assert_eq!(plural_ru(2, "a", "b", "c"), "b");
        assert_eq!(plural_ru(12, "a", "b", "c"), "c");
        assert_eq!(plural_ru(101, "a", "b", "c"), "a");
        assert_eq!(plural_ru(0, "a", "b", "c"), "c");
    }
}
