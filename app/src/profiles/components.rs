//! Profile pieces: tutor cards, the follow button, the avatar uploader.

use super::api::{Follow, Unfollow};
use super::{FollowState, TutorCard, subject_name};
use crate::error::{AppError, Msg};
use crate::i18n::{Locale, plural_ru, use_i18n};
use crate::money::format_money;
use crate::tr;
use crate::ui::Avatar;
use leptos::prelude::*;

/// "12 followers" / "12 подписчиков".
pub fn followers_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "follower" } else { "followers" }),
        Locale::Ru => format!(
            "{n} {}",
            plural_ru(n, "подписчик", "подписчика", "подписчиков")
        ),
    }
}

/// "per hour" price line.
pub fn rate_text(minor: i64, currency: &str, l: Locale) -> String {
    format!(
        "{} {}",
        format_money(minor, currency),
        l.pick("/ hour", "/ час")
    )
}

/// A tutor in a list.
#[component]
pub fn TutorCardView(tutor: TutorCard) -> impl IntoView {
    let l = use_i18n();
    let href = format!("/u/{}", tutor.handle);
    let subjects = tutor.subjects.clone();
    let followers = tutor.followers_count;
    let rate = tutor.hourly_rate_minor;
    let currency = tutor.currency.clone();
    let years = tutor.years_experience;
    view! {
        <li class="tutor-card">
            <a class="tutor-card__link" href=href>
                <Avatar url=tutor.avatar_url.clone() name=tutor.display_name.clone() size=72 decorative=true />
                <span class="tutor-card__body">
                    <span class="tutor-card__name">{tutor.display_name.clone()}</span>
                    <span class="tutor-card__headline">{tutor.headline.clone()}</span>
                    <span class="tutor-card__subjects">
                        {move || subjects.iter().map(|s| view! { <span class="chip">{subject_name(s, l.get())}</span> }).collect_view()}
                    </span>
                    <span class="tutor-card__meta">
                        <span>{move || followers_text(followers, l.get())}</span>
                        {years.map(|y| view! {
                            <span>{move || match l.get() {
                                Locale::En => format!("{y} {} of experience", if y == 1 { "year" } else { "years" }),
                                Locale::Ru => format!("Опыт {y} {}", plural_ru(y, "год", "года", "лет")),
                            }}</span>
                        })}
                    </span>
                </span>
                {rate.map(|r| {
                    let currency = currency.clone();
                    view! { <span class="tutor-card__rate">{move || rate_text(r, &currency, l.get())}</span> }
                })}
            </a>
        </li>
    }
}

/// Follow / unfollow with the follower count. The count updates at once and settles on the
/// server's exact number.
#[component]
pub fn FollowButton(
    user_id: i64,
    followed: bool,
    followers: RwSignal<i64>,
    #[prop(optional)] signed_in: bool,
) -> impl IntoView {
    let l = use_i18n();
    let follow = ServerAction::<Follow>::new();
    let unfollow = ServerAction::<Unfollow>::new();
    let is_followed = RwSignal::new(followed);
    let error = RwSignal::new(None::<Msg>);
    let settle = move |r: Option<Result<FollowState, AppError>>| match r {
        Some(Ok(s)) => {
            is_followed.set(s.followed);
            followers.set(s.followers_count);
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e.msg())),
        None => {}
    };
    Effect::new(move |_| settle(follow.value().get()));
    Effect::new(move |_| settle(unfollow.value().get()));
    let pending = Signal::derive(move || follow.pending().get() || unfollow.pending().get());
    let click = move |_| {
        if pending.get_untracked() {
            return;
        }
        if is_followed.get_untracked() {
            is_followed.set(false);
            followers.update(|n| *n = (*n - 1).max(0));
            unfollow.dispatch(Unfollow { user_id });
        } else {
            is_followed.set(true);
            followers.update(|n| *n += 1);
            follow.dispatch(Follow { user_id });
        }
    };
    if !signed_in {
        return view! {
            <a class="button" href="/login">{tr!("Follow", "Подписаться")}</a>
        }
        .into_any();
    }
    view! {
        <button
            type="button"
            class="button"
            class:button--ghost=move || is_followed.get()
            aria-pressed=move || if is_followed.get() { "true" } else { "false" }
            on:click=click
        >
            {move || if is_followed.get() {
                l.get().pick("Following", "Вы подписаны")
            } else {
                l.get().pick("Follow", "Подписаться")
            }}
        </button>
        {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
    }
    .into_any()
}

/// Picks, checks and uploads an avatar with a progress bar. Works without JavaScript as a plain
/// form post.
#[component]
pub fn AvatarUploader(
    #[prop(into)] current: Signal<Option<String>>,
    #[prop(into)] name: Signal<String>,
    max_bytes: usize,
    on_change: Callback<Option<String>>,
) -> impl IntoView {
    let l = use_i18n();
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<Msg>);
    let saved = RwSignal::new(false);
    let delete = ServerAction::<super::api::DeleteAvatar>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            on_change.run(None);
        }
    });
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let start = move || {
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = input_ref.get() else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            saved.set(false);
            error.set(None);
            if file.size() > max_bytes as f64 {
                error.set(Some(Msg::ImageTooLarge {
                    max_mb: (max_bytes / (1024 * 1024)) as u32,
                }));
                input.set_value("");
                return;
            }
            upload(file, progress, error, saved, on_change);
            input.set_value("");
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (input_ref, max_bytes, &progress, &saved);
        }
    };
    view! {
        <div class="avatar-uploader">
            <Avatar url=current name=name size=96 />
            <form
                class="avatar-uploader__form"
                method="post"
                action="/api/profiles/avatar"
                enctype="multipart/form-data"
                on:submit=move |ev| {
                    ev.prevent_default();
                    start();
                }
            >
                <label class="button button--ghost" for="avatar-file">{tr!("Choose a photo", "Выбрать фото")}</label>
                <input
                    id="avatar-file"
                    class="visually-hidden"
                    type="file"
                    name="avatar"
                    accept="image/jpeg,image/png,image/webp"
                    aria-label=tr!("Profile photo", "Фото профиля")
                    node_ref=input_ref
                    on:change=move |_| start()
                />
                <button type="submit" class="button button--ghost avatar-uploader__submit">{tr!("Upload", "Загрузить")}</button>
                <p class="field__hint">{move || l.get().pick(
                    "JPEG, PNG or WebP, up to 5 MB. It is cropped to a square.",
                    "JPEG, PNG или WebP, до 5 МБ. Фото обрезается до квадрата.",
                )}</p>
                {move || progress.get().map(|p| view! {
                    <div class="progress">
                        <progress max="100" value=format!("{:.0}", p)
                            aria-label=tr!("Uploading the photo", "Загрузка фото")></progress>
                        <span>{format!("{:.0}%", p)}</span>
                    </div>
                })}
                {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
                <Show when=move || saved.get()>
                    <p class="notice" role="status">{tr!("Photo updated.", "Фото обновлено.")}</p>
                </Show>
            </form>
            <Show when=move || current.get().is_some()>
                <button type="button" class="button button--ghost button--danger"
                    on:click=move |_| { delete.dispatch(super::api::DeleteAvatar {}); }>
                    {tr!("Remove photo", "Удалить фото")}
                </button>
            </Show>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn upload(
    file: web_sys::File,
    progress: RwSignal<Option<f64>>,
    error: RwSignal<Option<Msg>>,
    saved: RwSignal<bool>,
    on_change: Callback<Option<String>>,
) {
    let done = Callback::new(move |r: Result<String, AppError>| match r {
        Ok(body) => {
            let url = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("avatar_url")
                        .and_then(|u| u.as_str())
                        .map(String::from)
                });
            saved.set(true);
            on_change.run(url);
        }
        Err(e) => error.set(Some(e.msg())),
    });
    crate::ui::upload::post_file("/api/profiles/avatar", "avatar", &file, progress, done);
}
