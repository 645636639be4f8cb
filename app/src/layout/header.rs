//! Header (navigation, theme, language, the user's menu) and footer.

use super::{LanguageSwitch, ThemeToggle, use_auth};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::Avatar;
use leptos::prelude::*;
use leptos_router::components::A;

/// Remembers the signed-in user's language (for e-mails) and sets the cookie. Anyone may call it.
/// Errors: `BadRequest` for an unknown language.
#[server(endpoint = "prefs/locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    let Some(l) = crate::i18n::Locale::from_tag(&locale) else {
        return Err(AppError::BadRequest(crate::error::Msg::BadInput));
    };
    crate::server::request::set_cookie(
        crate::i18n::LOCALE_COOKIE,
        l.code(),
        365 * 24 * 3600,
        false,
    );
    if let Some(a) = crate::server::auth::current() {
        crate::accounts::db::update_locale(&crate::server::state().db, a.user, l.code()).await?;
    }
    Ok(())
}

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    // A resource (not a direct call) so that the server's answer is reused when the page hydrates.
    let unread = Resource::new(
        // `try_get`: on the server this may run after the response was sent and this page's
        // reactive graph was disposed; reading it then must not panic.
        move || auth.generation.try_get(),
        |_| crate::notifications::api::unread_count(),
    );
    let l = use_i18n();
    view! {
        <a class="skip-link" href="#main">{tr!("Skip to content", "Перейти к содержимому")}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/" aria-label="Tutorium">
                    <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
                        <rect width="32" height="32" rx="8" fill="var(--brand)"/>
                        <path d="M8 10h16v3h-6.5v11h-3V13H8z" fill="#fff"/>
                    </svg>
                    <span class="brand__name">"Tutorium"</span>
                </a>
                <SiteMenu/>
                <nav class="site-nav" aria-label=tr!("Main", "Основная навигация")>
                    <NavLinks/>
                </nav>
                <div class="site-header__tools">
                    <LanguageSwitch/>
                    <ThemeToggle/>
                    <Transition fallback=|| view! { <span class="user-menu__placeholder"></span> }>
                        {move || Suspend::new(async move {
                            let user = auth.user.await.ok().flatten();
                            match user {
                                Some(u) => {
                                    let unread = unread.await.unwrap_or(0);
                                    view! {
                                        <crate::notifications::components::NotificationBell initial=unread />
                                        <UserMenu user=u/>
                                    }.into_any()
                                }
                                None => view! {
                                    <div class="auth-links">
                                        <a class="button button--ghost" href="/login">{tr!("Log in", "Войти")}</a>
                                        <a class="button" href="/signup">{tr!("Sign up", "Регистрация")}</a>
                                    </div>
                                }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
            </div>
        </header>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let user = auth.user.await.ok().flatten();
                user.filter(|u| !u.email_confirmed).map(|u| view! {
                    <div class="banner" role="status">
                        <span>{move || match l.get() {
                            crate::i18n::Locale::En => format!("Confirm your e-mail: we sent a 6-digit code to {}.", u.email),
                            crate::i18n::Locale::Ru => format!("Подтвердите почту: мы отправили 6-значный код на {}.", u.email),
                        }}</span>
                        <a href="/confirm">{tr!("Enter the code", "Ввести код")}</a>
                    </div>
                })
            })}
        </Transition>
    }
}

/// The site's sections, in the header on wide screens and in the phone menu.
#[component]
fn NavLinks() -> impl IntoView {
    view! {
        <A href="/courses">{tr!("Courses", "Курсы")}</A>
        <A href="/feed">{tr!("Feed", "Лента")}</A>
        <A href="/tutors">{tr!("Tutors", "Репетиторы")}</A>
    }
}

/// On a phone: one compact row (logo, menu, bell, account), the sections and the language and
/// theme switches behind "Menu". Hidden on wider screens, where they sit in the header itself.
#[component]
fn SiteMenu() -> impl IntoView {
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move |ev: leptos::ev::MouseEvent| {
        // Close after following a link (a click on the switches keeps it open).
        let on_link = ev
            .target()
            .and_then(|t| wasm_safe_closest_link(&t))
            .unwrap_or(false);
        if on_link && let Some(d) = menu.get() {
            let _ = d.remove_attribute("open");
        }
    };
    view! {
        <details class="site-menu" node_ref=menu>
            <summary class="site-menu__button" aria-label=tr!("Menu", "Меню")>
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
                    <path d="M4 7h16M4 12h16M4 17h16"/>
                </svg>
                <span>{tr!("Menu", "Меню")}</span>
            </summary>
            <div class="site-menu__panel" on:click=close>
                <nav class="site-menu__nav" aria-label=tr!("Main", "Основная навигация")>
                    <NavLinks/>
                </nav>
                <div class="site-menu__prefs">
                    <LanguageSwitch/>
                    <ThemeToggle/>
                </div>
            </div>
        </details>
    }
}

/// Whether a click target is (inside) a link.
fn wasm_safe_closest_link(t: &leptos::web_sys::EventTarget) -> Option<bool> {
    use leptos::wasm_bindgen::JsCast;
    let el = t.dyn_ref::<leptos::web_sys::Element>()?;
    Some(el.closest("a").ok().flatten().is_some())
}

#[component]
fn UserMenu(user: crate::accounts::CurrentUser) -> impl IntoView {
    let auth = use_auth();
    let profile_href = format!("/u/{}", user.handle);
    let name = user.display_name.clone();
    // The menu closes once a choice is made (links navigate inside the app, so the page that
    // holds it stays and the menu would stay open over the next page).
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move |_| {
        if let Some(d) = menu.get() {
            let _ = d.remove_attribute("open");
        }
    };
    view! {
        <details class="user-menu" node_ref=menu>
            <summary class="user-menu__button" aria-label=tr!("Account menu", "Меню аккаунта")>
                <Avatar url=user.avatar_url.clone() name=name.clone() size=32 decorative=true/>
                <span class="user-menu__name">{name.clone()}</span>
            </summary>
            <div class="user-menu__panel" on:click=close>
                <p class="user-menu__email">{user.email.clone()}</p>
                <a href=profile_href>{tr!("My profile", "Мой профиль")}</a>
                <a href="/settings/profile">{tr!("Edit profile", "Редактировать профиль")}</a>
                <a href="/learning">{tr!("My learning", "Моё обучение")}</a>
                <a href="/certificates">{tr!("My certificates", "Мои сертификаты")}</a>
                {user.has(crate::accounts::Role::Tutor)
                    .then(|| view! {
                        <a href="/studio/courses">{tr!("My courses", "Мои курсы")}</a>
                        <a href="/studio/videos">{tr!("My videos", "Мои видео")}</a>
                    })}
                {(user.has(crate::accounts::Role::Moderator) || user.locked.iter().any(|r| *r == crate::accounts::Role::Moderator || *r == crate::accounts::Role::Admin))
                    .then(|| view! { <a href="/moderation/courses">{tr!("Course reviews", "Проверка курсов")}</a> })}
                {user.is_staff()
                    .then(|| view! { <a href="/admin">{tr!("Staff area", "Раздел персонала")}</a> })}
                <a href="/settings/account">{tr!("Settings", "Настройки")}</a>
                <a href="/settings/security">{tr!("Security", "Безопасность")}</a>
                <ActionForm action=auth.logout>
                    <button type="submit" class="user-menu__logout">{tr!("Log out", "Выйти")}</button>
                </ActionForm>
            </div>
        </details>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>"© Tutorium · "{tr!("Learn from people who love teaching.", "Учитесь у тех, кто любит учить.")}</p>
                <nav aria-label=tr!("Footer", "Нижнее меню")>
                    <a href="/courses">{tr!("Courses", "Курсы")}</a>
                    <a href="/feed">{tr!("Feed", "Лента")}</a>
                    <a href="/tutors">{tr!("Tutors", "Репетиторы")}</a>
                    <a href="/sitemap.xml">{tr!("Sitemap", "Карта сайта")}</a>
                </nav>
            </div>
        </footer>
    }
}
