//! UI symbols as inline SVG (never emoji, which render as empty boxes where no emoji font is
//! installed). They take the text colour and size (`1em`) and are hidden from screen readers:
//! the text beside them says what they mean.

use leptos::prelude::*;

/// Which symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconKind {
    Check,
    Play,
    Lock,
    Star,
    Clock,
}

/// An inline SVG icon.
#[component]
pub fn Icon(kind: IconKind, #[prop(optional)] class: &'static str) -> impl IntoView {
    let path = match kind {
        IconKind::Check => "M4 12.5l5 5L20 6.5",
        IconKind::Play => "M8 5.5v13l10-6.5z",
        IconKind::Lock => "M7 11V8a5 5 0 0 1 10 0v3M5.5 11h13v9.5h-13z",
        IconKind::Star => "M12 3.5l2.6 5.6 6.1.7-4.5 4.2 1.2 6-5.4-3-5.4 3 1.2-6-4.5-4.2 6.1-.7z",
        IconKind::Clock => "M12 7v5l3.5 2M12 3.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17z",
    };
    let filled = matches!(kind, IconKind::Star | IconKind::Play);
    view! {
        <svg class=format!("icon {class}") viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true"
            focusable="false" fill=if filled { "currentColor" } else { "none" } stroke="currentColor"
            stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d=path />
        </svg>
    }
}
