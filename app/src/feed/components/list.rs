//! The infinite list of posts.

use super::PostCardView;
use crate::error::{AppError, Msg};
use crate::feed::FeedPage;
use crate::i18n::use_i18n;
use crate::tr;
use leptos::prelude::*;

/// A list of posts with infinite scroll: the first page comes rendered from the server; the next
/// ones load when the end comes into view (or with the button). Posts already shown are skipped,
/// so nothing repeats even when new posts arrive meanwhile.
#[component]
pub fn PostList(
    first: FeedPage,
    load: Callback<String, ()>,
    more: RwSignal<Option<Result<FeedPage, AppError>>>,
    next_href: Callback<String, String>,
) -> impl IntoView {
    let l = use_i18n();
    let items = RwSignal::new(first.items.clone());
    let next = RwSignal::new(first.next.clone());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    Effect::new(move |_| {
        if let Some(r) = more.get() {
            loading.set(false);
            match r {
                Ok(page) => {
                    items.update(|list| {
                        for p in page.items {
                            if !list.iter().any(|x| x.id == p.id) {
                                list.push(p);
                            }
                        }
                    });
                    next.set(page.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.msg())),
            }
        }
    });
    let load_more = move || {
        if loading.get_untracked() {
            return;
        }
        if let Some(c) = next.get_untracked() {
            loading.set(true);
            load.run(c);
        }
    };
    let sentinel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |prev: Option<()>| {
        #[cfg(feature = "hydrate")]
        if prev.is_none()
            && let Some(el) = sentinel.get()
        {
            use wasm_bindgen::JsCast;
            use wasm_bindgen::closure::Closure;
            let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let visible = entries.iter().any(|e| {
                    js_sys::Reflect::get(&e, &"isIntersecting".into())
                        .ok()
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false)
                });
                if visible {
                    load_more();
                }
            });
            let ctor = js_sys::Reflect::get(&js_sys::global(), &"IntersectionObserver".into()).ok();
            if let Some(ctor) = ctor.and_then(|c| c.dyn_into::<js_sys::Function>().ok()) {
                let opts = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&opts, &"rootMargin".into(), &"400px".into());
                if let Ok(obs) =
                    js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(cb.as_ref(), &opts))
                    && let Some(observe) = js_sys::Reflect::get(&obs, &"observe".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                {
                    let _ = observe.call1(&obs, &el);
                }
            }
            cb.forget();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (prev, &sentinel);
    });
    let remove = Callback::new(move |id: i64| items.update(|list| list.retain(|p| p.id != id)));
    view! {
        <div class="post-list">
            <For each=move || items.get() key=|p| p.id let:post>
                <PostCardView post on_removed=remove />
            </For>
            <Show when=move || items.with(|i| i.is_empty())>
                <p class="muted empty-state">{tr!("No posts here yet.", "Здесь пока нет публикаций.")}</p>
            </Show>
            {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
            <div class="post-list__more" node_ref=sentinel>
                {move || next.get().map(|c| view! {
                    <a class="button button--ghost" href=next_href.run(c.clone()) rel="next"
                        on:click=move |ev| { ev.prevent_default(); load_more(); }>
                        {move || if loading.get() { l.get().pick("Loading…", "Загрузка…") } else { l.get().pick("More posts", "Ещё публикации") }}
                    </a>
                })}
            </div>
        </div>
    }
}
