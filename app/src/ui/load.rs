//! Rendering what a page loads: one wrapper instead of a `Suspense` block per page.
//!
//! `<Load resource=r let:value>…</Load>` shows a loading line while the resource loads, the
//! page-level [`ErrorPanel`] when the server could not answer, a "log in to …" prompt
//! ([`LoginRequired`]) when the page needs a signed-in person and `login` says why, and its
//! children with the value otherwise. `transition` keeps the old content on screen while a new
//! value loads (filters, pagination) instead of flashing the loading line. `fallback` and
//! `error` replace the loading line and the panel where a page shows something else; `quiet`
//! shows neither (a small part of a page that is simply absent without its data).

use crate::error::AppError;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

/// A page-level error (the server could not answer).
#[component]
pub fn ErrorPanel(#[prop(into)] error: AppError) -> impl IntoView {
    let l = use_i18n();
    let not_found = error == AppError::NotFound;
    let msg = error.msg();
    if error == AppError::MfaRequired {
        // Staff pages in a session without a second factor: say how to unlock them.
        return view! {
            <section class="page page--narrow empty-state" role="alert">
                <h1>{crate::tr!("Two-factor authentication required", "Нужна двухфакторная аутентификация")}</h1>
                <p>{move || msg.text(l.get())}</p>
                <a class="button" href="/settings/security">{crate::tr!("Open security settings", "Открыть настройки безопасности")}</a>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="page page--narrow empty-state" role="alert">
            {not_found.then(|| view! { <p class="empty-state__code" aria-hidden="true">"404"</p> })}
            <h1>{move || if not_found {
                l.get().pick("Not found", "Не найдено").to_string()
            } else {
                l.get().pick("Something went wrong", "Что-то пошло не так").to_string()
            }}</h1>
            <p>{move || msg.text(l.get())}</p>
            <a class="button" href="/">{crate::tr!("Go to the home page", "На главную")}</a>
        </section>
    }
    .into_any()
}

/// "Log in to see …" with a button that comes back to `next` after log-in.
#[component]
pub fn LoginRequired(
    /// Why: "Log in to see your certificates." Empty: the button alone.
    #[prop(into)]
    text: Signal<&'static str>,
    /// Where to come back to (a local path).
    #[prop(into)]
    next: String,
) -> impl IntoView {
    let href = format!("/login?next={}", crate::url::path(&next));
    let has_text = !text.get_untracked().is_empty();
    view! {
        <div class="empty-state">
            {has_text.then(|| view! { <p>{move || text.get()}</p> })}
            <a class="button" href=href>{crate::tr!("Log in", "Войти")}</a>
        </div>
    }
}

/// Renders a resource's value, or loading, a log-in prompt or an error.
#[component]
pub fn Load<T, F, V>(
    resource: Resource<Result<T, AppError>>,
    /// Shown with a log-in button when the server answers `NotAuthenticated` (empty: the button
    /// alone); without it that answer shows the error panel.
    #[prop(optional, into)]
    login: Option<Signal<&'static str>>,
    /// Where log-in comes back to.
    #[prop(optional, into)]
    next: String,
    /// Keep the previous content while reloading.
    #[prop(optional)]
    transition: bool,
    /// Show nothing for `NotAuthenticated` (another part of the page already asks to log in).
    #[prop(optional)]
    quiet_signed_out: bool,
    /// Show nothing while loading and nothing on an error.
    #[prop(optional)]
    quiet: bool,
    /// Shown while loading instead of the loading line.
    #[prop(optional, into)]
    fallback: Option<ViewFnOnce>,
    /// Renders an error instead of the page-level panel (a log-in prompt asked by `login` comes first).
    #[prop(optional, into)]
    error: Option<Callback<AppError, AnyView>>,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let content = move || {
        let children = children.clone();
        let next = next.clone();
        Suspend::new(async move {
            match resource.await {
                Ok(v) => children(v).into_any(),
                Err(_) if quiet => ().into_any(),
                Err(AppError::NotAuthenticated) if quiet_signed_out => ().into_any(),
                Err(AppError::NotAuthenticated) if login.is_some() => {
                    let text = login.unwrap_or_else(|| Signal::derive(|| ""));
                    view! { <LoginRequired text next /> }.into_any()
                }
                Err(e) => match error {
                    Some(render) => render.run(e),
                    None => view! { <ErrorPanel error=e /> }.into_any(),
                },
            }
        })
    };
    let fallback = match fallback {
        _ if quiet => ViewFnOnce::default(),
        Some(f) => f,
        None => ViewFnOnce::from(|| view! { <p class="loading">"…"</p> }),
    };
    if transition {
        view! { <Transition fallback>{content}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback>{content}</Suspense> }.into_any()
    }
}
