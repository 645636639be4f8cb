//! Feature-agnostic pieces of UI: form fields, errors, loading (`Load`), avatars, page
//! metadata, sizes and dates.

mod form;
mod icons;
mod load;
mod seo;
pub mod upload;

pub use form::*;
pub use icons::*;
pub use load::*;
pub use seo::*;

use leptos::prelude::*;

/// An avatar picture, or the person's initials on a colour derived from their name.
#[component]
pub fn Avatar(
    #[prop(into)] url: Signal<Option<String>>,
    #[prop(into)] name: Signal<String>,
    #[prop(default = 48)] size: u32,
    /// The name is written right beside it: the picture says nothing more (empty alt, hidden
    /// from screen readers), so the name is not read twice.
    #[prop(optional)]
    decorative: bool,
) -> impl IntoView {
    let initials = move || {
        name.get()
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .flat_map(|c| c.to_uppercase())
            .collect::<String>()
    };
    let hue = move || {
        name.get()
            .bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
            % 360
    };
    let style = move || format!("width:{size}px;height:{size}px;--avatar-hue:{}", hue());
    view! {
        {move || match url.get() {
            Some(u) => view! {
                <img class="avatar" src=u alt=move || if decorative { String::new() } else { name.get() } width=size height=size style=style loading="lazy" />
            }.into_any(),
            None => view! {
                <span class="avatar avatar--initials" role=(!decorative).then_some("img") aria-hidden=decorative.then_some("true") aria-label=move || (!decorative).then(|| name.get()) style=style>
                    <span aria-hidden="true" style=format!("font-size:{}px", size * 2 / 5)>{initials}</span>
                </span>
            }.into_any(),
        }}
    }
}

/// Formats unix milliseconds as a date in the reader's language ("23 Nov 2026", "23 нояб. 2026").
pub fn format_date(ms: i64, locale: crate::i18n::Locale) -> String {
    use chrono::{Datelike, TimeZone, Utc};
    let Some(d) = Utc.timestamp_millis_opt(ms).single() else {
        return String::new();
    };
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const RU: [&str; 12] = [
        "янв.",
        "февр.",
        "мар.",
        "апр.",
        "мая",
        "июн.",
        "июл.",
        "авг.",
        "сент.",
        "окт.",
        "нояб.",
        "дек.",
    ];
    let m = d.month0() as usize;
    format!("{} {} {}", d.day(), locale.pick(EN[m], RU[m]), d.year())
}

/// "2.4 MB", "2,4 МБ", "1.5 GB".
pub fn format_size(bytes: i64, l: crate::i18n::Locale) -> String {
    let s = if bytes >= 1024 * 1024 * 1024 {
        format!(
            "{:.1} {}",
            bytes as f64 / (1024.0 * 1024.0 * 1024.0),
            l.pick("GB", "ГБ")
        )
    } else if bytes >= 1024 * 1024 {
        format!(
            "{:.1} {}",
            bytes as f64 / (1024.0 * 1024.0),
            l.pick("MB", "МБ")
        )
    } else {
        format!("{} {}", (bytes + 1023) / 1024, l.pick("KB", "КБ"))
    };
    if l == crate::i18n::Locale::Ru {
        s.replace('.', ",")
    } else {
        s
    }
}

/// Formats unix milliseconds as date and time (UTC).
pub fn format_datetime(ms: i64, locale: crate::i18n::Locale) -> String {
    use chrono::{TimeZone, Timelike, Utc};
    let Some(d) = Utc.timestamp_millis_opt(ms).single() else {
        return String::new();
    };
    format!(
        "{}, {:02}:{:02} UTC",
        format_date(ms, locale),
        d.hour(),
        d.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn dates_are_formatted_per_language() {
        let ms = 1_795_000_000_000; // 18 Nov 2026
        assert_eq!(format_date(ms, Locale::En), "18 Nov 2026");
        assert_eq!(format_date(ms, Locale::Ru), "18 нояб. 2026");
    }
}
