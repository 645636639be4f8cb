//! The bell: the unread count, live.

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The live unread count, shared by the bell and the notifications page.
#[derive(Clone, Copy)]
pub struct Unread(pub RwSignal<i64>);

#[component]
pub fn NotificationBell(initial: i64) -> impl IntoView {
    let l = use_i18n();
    let count = use_context::<Unread>()
        .map(|u| u.0)
        .unwrap_or_else(|| RwSignal::new(initial));
    count.set(initial);
    Effect::new(move |prev: Option<()>| {
        #[cfg(feature = "hydrate")]
        if prev.is_none() {
            use wasm_bindgen::JsCast;
            use wasm_bindgen::closure::Closure;
            if let Ok(es) = web_sys::EventSource::new("/api/notifications/stream") {
                let cb = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                    move |e: web_sys::MessageEvent| {
                        if let Some(n) = e.data().as_string().and_then(|d| d.parse::<i64>().ok()) {
                            count.set(n);
                        }
                    },
                );
                let _ = es.add_event_listener_with_callback("unread", cb.as_ref().unchecked_ref());
                cb.forget();
                let es = send_wrapper::SendWrapper::new(es);
                on_cleanup(move || es.close());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = prev;
    });
    let label = move || {
        let n = count.get();
        match l.get() {
            crate::i18n::Locale::En => format!("Notifications ({n} unread)"),
            crate::i18n::Locale::Ru => format!("Уведомления (непрочитанных: {n})"),
        }
    };
    view! {
        <a class="icon-button bell" href="/notifications" aria-label=label title=label>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/>
            </svg>
            <Show when=move || { count.get() > 0 }>
                <span class="bell__count" data-testid="unread-count">{move || if count.get() > 99 { "99+".to_string() } else { count.get().to_string() }}</span>
            </Show>
        </a>
    }
}
