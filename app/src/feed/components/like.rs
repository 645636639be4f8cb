//! The like button of posts and comments.

use crate::error::{AppError, Msg};
use crate::feed::LikeState;
use crate::i18n::{Locale, plural_ru, use_i18n};
use leptos::prelude::*;

/// "3 likes" / "3 лайка".
fn likes_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "like" } else { "likes" }),
        Locale::Ru => format!("{n} {}", plural_ru(n, "лайк", "лайка", "лайков")),
    }
}

/// A like toggle: the count moves at once and settles on the server's exact number. Clicks while
/// one is on its way are sent too; only the answer to the last click counts.
#[component]
pub fn LikeButton(
    liked: bool,
    count: i64,
    /// Sends `like` for the post or comment, returns the exact state.
    send: Callback<bool, ()>,
    state: RwSignal<Option<(u64, Result<LikeState, AppError>)>>,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let l = use_i18n();
    let on = RwSignal::new(liked);
    let n = RwSignal::new(count);
    // The last state the server confirmed: an error puts the button back there.
    let confirmed = RwSignal::new((liked, count));
    let seq = RwSignal::new(0u64);
    let error = RwSignal::new(None::<Msg>);
    Effect::new(move |_| {
        if let Some((s, r)) = state.get()
            && s == seq.get_untracked()
        {
            match r {
                Ok(st) => {
                    on.set(st.liked);
                    n.set(st.count);
                    confirmed.set((st.liked, st.count));
                    error.set(None);
                }
                Err(e) => {
                    let (l, c) = confirmed.get_untracked();
                    on.set(l);
                    n.set(c);
                    error.set(Some(e.msg()));
                }
            }
        }
    });
    let click = move |_| {
        let next = !on.get_untracked();
        on.set(next);
        n.update(|c| *c = (*c + if next { 1 } else { -1 }).max(0));
        seq.update(|s| *s += 1);
        send.run(next);
    };
    view! {
        <span class="like">
            <button type="button" class="like__button" class:like__button--small=small
                aria-pressed=move || on.get().to_string() on:click=click
                aria-label=move || if on.get() { l.get().pick("Unlike", "Убрать лайк") } else { l.get().pick("Like", "Нравится") }>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                    <path d="M12 21s-7.5-4.6-9.5-9.2C1 8.3 3.3 4.5 7 4.5c2 0 3.4 1.1 5 3 1.6-1.9 3-3 5-3 3.7 0 6 3.8 4.5 7.3C19.5 16.4 12 21 12 21z"
                        fill=move || if on.get() { "currentColor" } else { "none" } stroke="currentColor" stroke-width="1.8"/>
                </svg>
                <span data-testid="like-count">{move || likes_text(n.get(), l.get())}</span>
            </button>
            {move || error.get().map(|m| view! { <span class="field__error" role="alert">{m.text(l.get())}</span> })}
        </span>
    }
}
