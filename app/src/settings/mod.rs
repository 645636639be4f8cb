//! Settings pages of the signed-in person: profile, account (password), sessions, notifications
//! and privacy. They call the accounts and profiles features' server functions; every one of those
//! checks the session on the server.

use crate::accounts::api::{
    ChangePassword, MfaBegin, MfaDisable, MfaEnable, MfaRenewRecovery, MfaUnlock,
    RevokeOtherSessions, RevokeSession, get_mfa_status, list_sessions,
};
use crate::i18n::use_i18n;
use crate::layout::{ErrorPanel, auth_action, use_auth};
use crate::profiles::api::{UpdateProfile, UpdateSettings, get_my_profile, get_settings};
use crate::profiles::components::AvatarUploader;
use crate::profiles::{
    CURRENCIES, LANGUAGES, NOTIFICATION_KINDS, ProfileUpdate, SUBJECTS, subject_name,
};
use crate::tr;
use crate::ui::{
    ErrorText, FormError, FormFields, Load, LoginRequired, Notice, Seo, TextField, field_error,
    form_error, format_datetime,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// Settings navigation plus the page, or a log-in prompt for visitors.
#[component]
fn SettingsShell(
    /// The page's title in the reader's language: `tr!("Account", "Аккаунт")`.
    #[prop(into)]
    title: Signal<&'static str>,
    path: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    // Its own look-up of the user: the header's refetches (after a profile save) must not re-create
    // the page, which would drop the form's state and its "saved" note.
    let me = Resource::new(|| (), |_| crate::accounts::api::get_me());
    let location = use_location();
    let children = StoredValue::new(children);
    let tabs: [(&str, &str, &str); 5] = [
        ("/settings/profile", "Profile", "Профиль"),
        ("/settings/account", "Account", "Аккаунт"),
        ("/settings/security", "Security", "Безопасность"),
        ("/settings/sessions", "Sessions", "Сеансы"),
        (
            "/settings/notifications",
            "Notifications & privacy",
            "Уведомления и приватность",
        ),
    ];
    let l = use_i18n();
    view! {
        <Seo title=Signal::derive(move || title.get().to_string()) description=Signal::derive(move || title.get().to_string()) path=path noindex=true />
        <section class="page settings">
            <h1>{tr!("Settings", "Настройки")}</h1>
            <nav class="tabs" aria-label=tr!("Settings sections", "Разделы настроек")>
                {tabs.into_iter().map(|(href, en, ru)| view! {
                    <a href=href class="tabs__tab"
                        aria-current=move || (location.pathname.get() == href).then_some("page")>
                        {move || l.get().pick(en, ru)}
                    </a>
                }).collect_view()}
            </nav>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(_)) => children.with_value(|c| c()).into_any(),
                        Ok(None) => view! {
                            <LoginRequired text=tr!("Log in to see your settings.", "Войдите, чтобы открыть настройки.") next=path />
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn ProfileSettingsPage() -> impl IntoView {
    view! {
        <SettingsShell title=tr!("Edit profile", "Редактирование профиля") path="/settings/profile">
            <ProfileForm />
        </SettingsShell>
    }
}

const PROFILE_FIELDS: &[&str] = &[
    "display_name",
    "headline",
    "bio",
    "subjects",
    "languages",
    "years_experience",
    "hourly_rate",
    "currency",
];

#[component]
fn ProfileForm() -> impl IntoView {
    let auth = use_auth();
    // The header shows the name and avatar: a save fetches the user again.
    let save = auth_action::<UpdateProfile>();
    let value = save.value();
    let pending = save.pending();
    let profile = Resource::new(move || (), |_| get_my_profile());
    let query = use_query_map();
    let welcome = Signal::derive(move || query.with(|q| q.get("welcome").is_some()));
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(()))));
    let l = use_i18n();
    view! {
        <Load resource=profile let:p>
            {
                let avatar = RwSignal::new(p.avatar_url.clone());
                let name = RwSignal::new(p.display_name.clone());
                let is_tutor = RwSignal::new(p.is_tutor);
                let on_avatar = Callback::new(move |url: Option<String>| {
                    avatar.set(url);
                    auth.refetch();
                });
                let subjects = p.subjects.clone();
                let languages = p.languages.clone();
                let rate = p.hourly_rate_minor.map(|m| if m % 100 == 0 { (m / 100).to_string() } else { format!("{}.{:02}", m / 100, m % 100) }).unwrap_or_default();
                let currency = p.currency.clone();
                let handle = p.handle.clone();
                view! {
                    <Notice show=welcome>
                        {tr!("Your e-mail is confirmed. Tell people about yourself!", "Почта подтверждена. Расскажите о себе!")}
                    </Notice>
                    <section class="card settings__section" aria-labelledby="photo-h">
                        <h2 id="photo-h">{tr!("Photo", "Фото")}</h2>
                        <AvatarUploader current=avatar name=name max_bytes=5 * 1024 * 1024 on_change=on_avatar />
                    </section>
                    <form class="form card settings__section" novalidate=true on:submit=move |ev| {
                        ev.prevent_default();
                        let f = FormFields::from_event(&ev);
                        save.dispatch(UpdateProfile { update: ProfileUpdate {
                            display_name: f.get("display_name"),
                            headline: f.get("headline"),
                            bio: f.get("bio"),
                            is_tutor: f.checked("is_tutor"),
                            subjects: f.get_all("subjects"),
                            languages: f.get_all("languages"),
                            years_experience: f.get("years_experience"),
                            hourly_rate: f.get("hourly_rate"),
                            currency: f.get("currency"),
                        }});
                    }>
                        <h2>{tr!("About you", "О вас")}</h2>
                        <FormError msg=form_error(value, PROFILE_FIELDS) />
                        <TextField label=tr!("Name", "Имя") name="display_name" autocomplete="name" required=true maxlength=60
                            value=p.display_name.clone() error=field_error(value, "display_name") />
                        <TextField label=tr!("Headline", "Коротко о себе") name="headline" maxlength=120
                            value=p.headline.clone() error=field_error(value, "headline")
                            hint=Signal::derive(tr!("One line people see under your name.", "Одна строка под вашим именем."))/>
                        <div class="field" class:field--invalid=move || field_error(value, "bio").get().is_some()>
                            <label for="f-bio">{tr!("Bio", "О себе")}</label>
                            <textarea id="f-bio" name="bio" rows="6" maxlength="3000">{p.bio.clone()}</textarea>
                            <ErrorText msg=field_error(value, "bio") />
                        </div>
                        <label class="switch">
                            <input type="checkbox" name="is_tutor" value="1" prop:checked=move || is_tutor.get()
                                on:change=move |ev| is_tutor.set(event_target_checked(&ev)) />
                            <span>{tr!("I teach (show me in the tutors directory)", "Я преподаю (показывать меня в каталоге репетиторов)")}</span>
                        </label>
                        <div class="tutor-fields" class:tutor-fields--hidden=move || !is_tutor.get()>
                            <fieldset class="field">
                                <legend>{tr!("Subjects (up to 8)", "Предметы (до 8)")}</legend>
                                <div class="check-grid">
                                    {SUBJECTS.iter().map(|(code, _, _)| {
                                        let checked = subjects.iter().any(|s| s == code);
                                        view! {
                                            <label class="check">
                                                <input type="checkbox" name="subjects" value=*code checked=checked />
                                                <span>{move || subject_name(code, l.get())}</span>
                                            </label>
                                        }
                                    }).collect_view()}
                                </div>
                                <ErrorText msg=field_error(value, "subjects") />
                            </fieldset>
                            <fieldset class="field">
                                <legend>{tr!("Languages I teach in", "Языки преподавания")}</legend>
                                <div class="check-grid">
                                    {LANGUAGES.iter().map(|(code, name)| {
                                        let checked = languages.iter().any(|s| s == code);
                                        view! {
                                            <label class="check">
                                                <input type="checkbox" name="languages" value=*code checked=checked />
                                                <span lang=*code>{*name}</span>
                                            </label>
                                        }
                                    }).collect_view()}
                                </div>
                                <ErrorText msg=field_error(value, "languages") />
                            </fieldset>
                            <div class="form__row">
                                <TextField label=tr!("Years of experience", "Опыт, лет") name="years_experience" inputmode="numeric"
                                    value=p.years_experience.map(|y| y.to_string()).unwrap_or_default()
                                    error=field_error(value, "years_experience") />
                                <TextField label=tr!("Hourly rate", "Стоимость часа") name="hourly_rate" inputmode="decimal"
                                    value=rate error=field_error(value, "hourly_rate") />
                                <div class="field">
                                    <label for="f-currency">{tr!("Currency", "Валюта")}</label>
                                    <select id="f-currency" name="currency">
                                        {CURRENCIES.iter().map(|c| view! { <option value=*c selected=*c == currency>{*c}</option> }).collect_view()}
                                    </select>
                                    <ErrorText msg=field_error(value, "currency") />
                                </div>
                            </div>
                        </div>
                        <Notice show=saved>
                            {tr!("Profile saved.", "Профиль сохранён.")} " "
                            <a href=format!("/u/{handle}")>{tr!("View your profile", "Открыть профиль")}</a>
                        </Notice>
                        <button type="submit" class="button" disabled=move || pending.get()>
                            {move || if pending.get() { l.get().pick("Saving…", "Сохраняем…") } else { l.get().pick("Save profile", "Сохранить профиль") }}
                        </button>
                    </form>
                }.into_any()
            }
        </Load>
    }
}

#[component]
pub fn AccountSettingsPage() -> impl IntoView {
    view! {
        <SettingsShell title=tr!("Account", "Аккаунт") path="/settings/account">
            <PasswordForm />
        </SettingsShell>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let value = action.value();
    let pending = action.pending();
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(()))));
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(f)) = (value.get(), form_ref.get()) {
            f.reset();
        }
    });
    view! {
        <section class="card settings__section">
            <h2>{tr!("Change password", "Смена пароля")}</h2>
            <p class="muted">{tr!(
                "Changing the password logs you out on every other device.",
                "После смены пароля вы выйдете на всех остальных устройствах."
            )}</p>
            <ActionForm action=action node_ref=form_ref attr:class="form" attr:novalidate=true>
                <FormError msg=form_error(value, &["current_password", "new_password"]) />
                <TextField label=tr!("Current password", "Текущий пароль") name="current_password" kind="password"
                    autocomplete="current-password" required=true error=field_error(value, "current_password") />
                <TextField label=tr!("New password", "Новый пароль") name="new_password" kind="password"
                    autocomplete="new-password" required=true error=field_error(value, "new_password") />
                <Notice show=saved>{tr!("Password changed. Other sessions were ended.", "Пароль изменён. Остальные сеансы завершены.")}</Notice>
                <button type="submit" class="button" disabled=move || pending.get()>{tr!("Change password", "Сменить пароль")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <SettingsShell title=tr!("Sessions", "Сеансы") path="/settings/sessions">
            <SessionList />
        </SettingsShell>
    }
}

#[component]
fn SessionList() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let sessions = Resource::new(
        move || (revoke.version().get(), revoke_others.version().get()),
        |_| list_sessions(),
    );
    let l = use_i18n();
    let error = Signal::derive(move || match revoke.value().get() {
        Some(Err(e)) => Some(e.msg()),
        _ => None,
    });
    view! {
        <section class="card settings__section">
            <h2>{tr!("Where you are logged in", "Где выполнен вход")}</h2>
            <FormError msg=error />
            <Load resource=sessions transition=true let:list>
                {
                            let others = list.iter().filter(|s| !s.current).count();
                            view! {
                                <ul class="session-list">
                                    {list.into_iter().map(|s| {
                                        let id = s.id;
                                        view! {
                                            <li class="session-list__item">
                                                <div>
                                                    <strong>{s.device.clone()}</strong>
                                                    {s.current.then(|| view! { <span class="badge">{tr!("This device", "Это устройство")}</span> })}
                                                    <p class="muted">
                                                        {move || format!("{} · {} {}", s.ip, l.get().pick("last active", "последняя активность"), format_datetime(s.last_seen_at, l.get()))}
                                                    </p>
                                                </div>
                                                {(!s.current).then(|| view! {
                                                    <button type="button" class="button button--ghost button--danger"
                                                        on:click=move |_| { revoke.dispatch(RevokeSession { id }); }>
                                                        {tr!("End session", "Завершить")}
                                                    </button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {(others > 0).then(|| view! {
                                    <ActionForm action=revoke_others>
                                        <button type="submit" class="button button--danger">{tr!("Log out everywhere else", "Выйти на всех остальных устройствах")}</button>
                                    </ActionForm>
                                })}
                            }.into_any()
                        }
            </Load>
        </section>
    }
}

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    view! {
        <SettingsShell title=tr!("Notifications & privacy", "Уведомления и приватность") path="/settings/notifications">
            <NotificationForm />
        </SettingsShell>
    }
}

#[component]
fn NotificationForm() -> impl IntoView {
    let save = ServerAction::<UpdateSettings>::new();
    let value = save.value();
    let settings = Resource::new(move || (), |_| get_settings());
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(()))));
    let l = use_i18n();
    view! {
        <Load resource=settings let:s>
            {
                let visibility = s.visibility.clone();
                view! {
                    <form class="form card settings__section" on:submit=move |ev| {
                        ev.prevent_default();
                        let f = FormFields::from_event(&ev);
                        save.dispatch(UpdateSettings { email_on: f.get_all("email_on"), visibility: f.get("visibility") });
                    }>
                        <FormError msg=form_error(value, &[]) />
                        <fieldset class="field">
                            <legend>{tr!("E-mail me about", "Присылать письма о")}</legend>
                            {NOTIFICATION_KINDS.iter().map(|(code, en, ru)| {
                                let on = s.email.iter().find(|(k, _)| k == code).is_none_or(|(_, v)| *v);
                                view! {
                                    <label class="switch">
                                        <input type="checkbox" name="email_on" value=*code checked=on />
                                        <span>{move || l.get().pick(*en, *ru)}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <fieldset class="field choice-group">
                            <legend>{tr!("Who can see my profile", "Кто видит мой профиль")}</legend>
                            <label class="choice">
                                <input type="radio" name="visibility" value="public" checked=visibility == "public" />
                                <span><strong>{tr!("Everyone", "Все")}</strong>
                                <small>{tr!("Also search engines and the tutors directory", "В том числе поисковики и каталог репетиторов")}</small></span>
                            </label>
                            <label class="choice">
                                <input type="radio" name="visibility" value="members" checked=visibility == "members" />
                                <span><strong>{tr!("Tutorium members only", "Только участники Tutorium")}</strong>
                                <small>{tr!("Hidden from visitors who are not logged in", "Скрыт от посетителей без входа")}</small></span>
                            </label>
                        </fieldset>
                        <Notice show=saved>{tr!("Settings saved.", "Настройки сохранены.")}</Notice>
                        <button type="submit" class="button">{tr!("Save settings", "Сохранить настройки")}</button>
                    </form>
                }.into_any()
            }
        </Load>
    }
}

#[component]
pub fn SecuritySettingsPage() -> impl IntoView {
    view! {
        <SettingsShell title=tr!("Security", "Безопасность") path="/settings/security">
            <MfaSection />
        </SettingsShell>
    }
}

/// Recovery codes, shown once after they are made.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <div class="recovery-codes" role="region" aria-labelledby="recovery-h">
            <h3 id="recovery-h">{tr!("Your recovery codes", "Ваши коды восстановления")}</h3>
            <p>{tr!(
                "Each code logs you in once if you lose your phone. Save them somewhere safe now: they are not shown again.",
                "Каждый код позволяет один раз войти, если вы потеряете телефон. Сохраните их в надёжном месте сейчас: больше они не будут показаны."
            )}</p>
            <ul class="recovery-codes__list" aria-label="recovery codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </div>
    }
}

/// Two-factor authentication: set up with a QR code, recovery codes, unlock staff tools,
/// turn off (not for staff).
#[component]
fn MfaSection() -> impl IntoView {
    let begin = ServerAction::<MfaBegin>::new();
    let enable = auth_action::<MfaEnable>();
    let unlock = auth_action::<MfaUnlock>();
    let renew = ServerAction::<MfaRenewRecovery>::new();
    let disable = ServerAction::<MfaDisable>::new();
    let status = Resource::new(
        move || {
            (
                enable.version().get(),
                unlock.version().get(),
                renew.version().get(),
                disable.version().get(),
            )
        },
        |_| get_mfa_status(),
    );
    let begin_value = begin.value();
    let enable_value = enable.value();
    let unlock_value = unlock.value();
    let renew_value = renew.value();
    let disable_value = disable.value();
    let new_codes = Signal::derive(move || match (enable_value.get(), renew_value.get()) {
        (_, Some(Ok(c))) | (Some(Ok(c)), _) => Some(c),
        _ => None,
    });
    view! {
        <section class="card settings__section" aria-labelledby="mfa-h">
            <h2 id="mfa-h">{tr!("Two-factor authentication", "Двухфакторная аутентификация")}</h2>
            <p class="muted">{tr!(
                "Besides your password, log-in asks for a code from an authenticator app on your phone (Google Authenticator, Aegis, 1Password, Яндекс Ключ…). Required for staff.",
                "Кроме пароля, при входе нужен код из приложения-аутентификатора на телефоне (Google Authenticator, Aegis, 1Password, Яндекс Ключ…). Обязательна для персонала."
            )}</p>
            {move || new_codes.get().map(|c| view! { <RecoveryCodes codes=c /> })}
            <Load resource=status transition=true let:st>
                {
                    if st.enabled {
                        view! {
                            <p class="mfa-state"><span class="badge badge--ok">{tr!("On", "Включена")}</span> " "
                                {move || {
                                    let l = use_i18n().get();
                                    format!("{} {}", l.pick("Unused recovery codes:", "Неиспользованных кодов восстановления:"), st.recovery_left)
                                }}
                            </p>
                            {(!st.session_verified && st.required).then(|| view! {
                                <ActionForm action=unlock attr:class="form" attr:novalidate=true>
                                    <h3>{tr!("Unlock staff tools on this device", "Открыть инструменты персонала на этом устройстве")}</h3>
                                    <FormError msg=form_error(unlock_value, &["code"]) />
                                    <TextField label=tr!("Authentication code", "Код аутентификации") name="code"
                                        autocomplete="one-time-code" required=true maxlength=12 error=field_error(unlock_value, "code") />
                                    <button type="submit" class="button">{tr!("Unlock", "Открыть")}</button>
                                </ActionForm>
                            })}
                            <ActionForm action=renew attr:class="form" attr:novalidate=true>
                                <h3>{tr!("New recovery codes", "Новые коды восстановления")}</h3>
                                <FormError msg=form_error(renew_value, &["code"]) />
                                <TextField label=tr!("Code from your app", "Код из приложения") name="code"
                                    autocomplete="one-time-code" required=true maxlength=12 error=field_error(renew_value, "code") />
                                <button type="submit" class="button button--ghost">{tr!("Make new recovery codes", "Получить новые коды")}</button>
                            </ActionForm>
                            {if st.required {
                                view! { <p class="muted">{tr!(
                                    "Your staff role needs two-factor authentication, so it cannot be turned off. Lost your phone? Use a recovery code, or ask an admin to reset it.",
                                    "Для вашей роли персонала двухфакторная аутентификация обязательна, её нельзя выключить. Потеряли телефон? Войдите с кодом восстановления или попросите администратора сбросить её."
                                )}</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=disable attr:class="form" attr:novalidate=true>
                                        <h3>{tr!("Turn off", "Выключить")}</h3>
                                        <FormError msg=form_error(disable_value, &["code"]) />
                                        <TextField label=tr!("Code to turn it off", "Код для выключения") name="code"
                                            autocomplete="one-time-code" required=true maxlength=12 error=field_error(disable_value, "code") />
                                        <button type="submit" class="button button--danger">{tr!("Turn off two-factor authentication", "Выключить двухфакторную аутентификацию")}</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        }.into_any()
                    } else {
                        view! {
                            {st.required.then(|| view! {
                                <p class="notice notice--warning" role="status">{tr!(
                                    "You hold a staff role: staff pages open once two-factor authentication is on.",
                                    "У вас роль персонала: инструменты персонала откроются после включения двухфакторной аутентификации."
                                )}</p>
                            })}
                            <FormError msg=form_error(begin_value, &[]) />
                            {move || match begin_value.get() {
                                Some(Ok(e)) => view! {
                                    <ol class="mfa-steps">
                                        <li>{tr!("Scan this QR code with your authenticator app:", "Отсканируйте QR-код приложением-аутентификатором:")}
                                            <div class="mfa-qr" inner_html=e.qr_svg.clone()></div>
                                            <p class="muted">{tr!("Or type this key into the app:", "Или введите в приложение этот ключ:")} " "
                                                <code class="mfa-secret" aria-label="secret key">{e.secret.clone()}</code></p>
                                        </li>
                                        <li>{tr!("Enter the 6-digit code the app shows:", "Введите 6-значный код из приложения:")}
                                            <ActionForm action=enable attr:class="form" attr:novalidate=true>
                                                <FormError msg=form_error(enable_value, &["code"]) />
                                                <TextField label=tr!("Code from your app", "Код из приложения") name="code" inputmode="numeric"
                                                    autocomplete="one-time-code" required=true maxlength=6 error=field_error(enable_value, "code") />
                                                <button type="submit" class="button">{tr!("Turn on", "Включить")}</button>
                                            </ActionForm>
                                        </li>
                                    </ol>
                                }.into_any(),
                                _ => view! {
                                    <button type="button" class="button" disabled=move || begin.pending().get()
                                        on:click=move |_| { begin.dispatch(MfaBegin {}); }>
                                        {tr!("Set up two-factor authentication", "Включить двухфакторную аутентификацию")}
                                    </button>
                                }.into_any(),
                            }}
                        }.into_any()
                    }
                }
            </Load>
        </section>
    }
}
