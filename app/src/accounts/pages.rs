//! Sign-up, log-in, e-mail confirmation, forgotten and reset password pages.

use super::api::{
    ConfirmEmail, LogIn, LogInCode, RequestPasswordReset, ResendCode, ResetPassword, SignUp,
    check_reset_token, pending_sign_up,
};
use crate::i18n::use_i18n;
use crate::layout::{auth_action, use_auth};
use crate::tr;
use crate::ui::{ErrorText, FormError, Load, Notice, Seo, TextField, field_error, form_error};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn title(en: &'static str, ru: &'static str) -> Signal<String> {
    let l = use_i18n();
    Signal::derive(move || l.get().pick(en, ru).to_string())
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = auth_action::<SignUp>();
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let value = action.value();
    let pending = action.pending();
    let l = use_i18n();
    view! {
        <Seo
            title=title("Sign up", "Регистрация")
            description=title(
                "Create a Tutorium account to learn from tutors or to teach.",
                "Создайте аккаунт Tutorium, чтобы учиться у репетиторов или преподавать.",
            )
            path="/signup"
        />
        <section class="page page--narrow auth-card">
            <h1>{tr!("Create your account", "Создайте аккаунт")}</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError msg=form_error(value, &["email", "password", "display_name", "role"]) />
                <input type="hidden" name="next" prop:value=next />
                <TextField
                    label=tr!("Your name", "Ваше имя")
                    name="display_name"
                    autocomplete="name"
                    required=true
                    maxlength=60
                    error=field_error(value, "display_name")
                />
                <TextField
                    label=tr!("E-mail", "Электронная почта")
                    name="email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    error=field_error(value, "email")
                />
                <TextField
                    label=tr!("Password", "Пароль")
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    error=field_error(value, "password")
                    hint=Signal::derive(tr!(
                        "At least 10 characters. A few unrelated words work well.",
                        "Не меньше 10 символов. Хорошо подходят несколько не связанных слов."
                    ))
                />
                <fieldset class="field choice-group">
                    <legend>{tr!("I want to", "Я хочу")}</legend>
                    <label class="choice">
                        <input type="radio" name="role" value="student" checked=true />
                        <span>
                            <strong>{tr!("Learn", "Учиться")}</strong>
                            <small>{tr!("Find tutors, courses and events", "Найти репетиторов, курсы и события")}</small>
                        </span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="role" value="tutor" />
                        <span>
                            <strong>{tr!("Teach", "Преподавать")}</strong>
                            <small>{tr!("Share lessons, build courses, find students", "Делиться уроками, создавать курсы, находить учеников")}</small>
                        </span>
                    </label>
                    <ErrorText msg=field_error(value, "role") />
                </fieldset>
                <button type="submit" class="button button--wide" disabled=move || pending.get()>
                    {move || if pending.get() {
                        l.get().pick("Creating your account…", "Создаём аккаунт…")
                    } else {
                        l.get().pick("Create account", "Создать аккаунт")
                    }}
                </button>
            </ActionForm>
            <p class="auth-card__alt">
                {tr!("Already have an account?", "Уже есть аккаунт?")} " "
                <a href=move || if next().is_empty() { "/login".to_string() } else { format!("/login?next={}", crate::url::path(&next())) }>{tr!("Log in", "Войти")}</a>
            </p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = auth_action::<LogIn>();
    let value = action.value();
    let pending = action.pending();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let l = use_i18n();
    view! {
        <Seo
            title=title("Log in", "Вход")
            description=title("Log in to Tutorium.", "Вход в Tutorium.")
            path="/login"
        />
        <section class="page page--narrow auth-card">
            <h1>{tr!("Welcome back", "С возвращением")}</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError msg=form_error(value, &["email", "password"]) />
                <SuspendedReason error=Signal::derive(move || value.get().and_then(|r| r.err())) />
                <input type="hidden" name="next" prop:value=next />
                <TextField
                    label=tr!("E-mail", "Электронная почта")
                    name="email"
                    kind="email"
                    autocomplete="username"
                    required=true
                    error=field_error(value, "email")
                />
                <TextField
                    label=tr!("Password", "Пароль")
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error=field_error(value, "password")
                />
                <p class="form__aside"><a href="/forgot-password">{tr!("Forgot your password?", "Забыли пароль?")}</a></p>
                <button type="submit" class="button button--wide" disabled=move || pending.get()>
                    {move || if pending.get() {
                        l.get().pick("Logging in…", "Входим…")
                    } else {
                        l.get().pick("Log in", "Войти")
                    }}
                </button>
            </ActionForm>
            <p class="auth-card__alt">
                {tr!("New to Tutorium?", "Впервые в Tutorium?")} " "
                <a href="/signup">{tr!("Create an account", "Создайте аккаунт")}</a>
            </p>
        </section>
    }
}

/// The staff's reason, under "Your account is suspended", when log-in answers so.
#[component]
fn SuspendedReason(#[prop(into)] error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    move || match error.get() {
        Some(crate::error::AppError::Suspended { reason }) => Some(view! {
            <p class="form__suspended" role="alert">
                <strong>{tr!("Reason:", "Причина:")}</strong> " " {reason} " "
                {tr!(
                    "If you think this is a mistake, reply to any e-mail from us.",
                    "Если вы считаете это ошибкой, ответьте на любое наше письмо."
                )}
            </p>
        }),
        _ => None,
    }
}

/// The second step of a log-in with two-factor authentication: a code from the authenticator
/// app, or a recovery code.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = auth_action::<LogInCode>();
    let value = action.value();
    let pending = action.pending();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    let l = use_i18n();
    view! {
        <Seo
            title=title("Two-factor authentication", "Двухфакторная аутентификация")
            description=title("Enter the code from your authenticator app.", "Введите код из приложения-аутентификатора.")
            path="/login/code"
            noindex=true
        />
        <section class="page page--narrow auth-card">
            <h1>{tr!("Enter your code", "Введите код")}</h1>
            <p class="muted">{tr!(
                "Open your authenticator app and enter the 6-digit code for Tutorium. Lost your phone? Enter one of your recovery codes instead.",
                "Откройте приложение-аутентификатор и введите 6-значный код Tutorium. Потеряли телефон? Введите один из кодов восстановления."
            )}</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError msg=form_error(value, &["code"]) />
                <SuspendedReason error=Signal::derive(move || value.get().and_then(|r| r.err())) />
                <input type="hidden" name="next" prop:value=next />
                <TextField
                    label=tr!("Authentication code", "Код аутентификации")
                    name="code"
                    autocomplete="one-time-code"
                    required=true
                    maxlength=12
                    error=field_error(value, "code")
                />
                <button type="submit" class="button button--wide" disabled=move || pending.get()>
                    {move || if pending.get() { l.get().pick("Checking…", "Проверяем…") } else { l.get().pick("Log in", "Войти") }}
                </button>
            </ActionForm>
            <p class="auth-card__alt"><a href="/login">{tr!("Start again", "Начать заново")}</a></p>
        </section>
    }
}

/// The code form and "send a new code", for the signed-in user or this browser's sign-up.
#[component]
fn CodeForm(next: Signal<String>, action: ServerAction<ConfirmEmail>) -> impl IntoView {
    let value = action.value();
    let pending = action.pending();
    let resend = ServerAction::<ResendCode>::new();
    let resend_value = resend.value();
    let resent = Signal::derive(move || matches!(resend_value.get(), Some(Ok(()))));
    view! {
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormError msg=form_error(value, &["code"]) />
            <input type="hidden" name="next" prop:value=next />
            <TextField
                label=tr!("Confirmation code", "Код подтверждения")
                name="code"
                autocomplete="one-time-code"
                inputmode="numeric"
                maxlength=6
                required=true
                error=field_error(value, "code")
            />
            <button type="submit" class="button button--wide" disabled=move || pending.get()>
                {tr!("Confirm", "Подтвердить")}
            </button>
        </ActionForm>
        <ActionForm action=resend attr:class="form form--inline">
            <FormError msg=form_error(resend_value, &[]) />
            <Notice show=resent>
                {tr!("A new code is on its way.", "Новый код уже в пути.")}
            </Notice>
            <button type="submit" class="button button--ghost">{tr!("Send a new code", "Отправить новый код")}</button>
        </ActionForm>
    }
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let auth = use_auth();
    // Here, not in the form: the form re-renders when the user is fetched again.
    let confirm = auth_action::<ConfirmEmail>();
    let query = leptos_router::hooks::use_query_map();
    let next = Signal::derive(move || query.with(|q| q.get("next").unwrap_or_default()));
    // A sign-up opens no session: it waits for its code in this browser.
    let waiting = Resource::new(|| (), |_| pending_sign_up());
    let l = use_i18n();
    view! {
        <Seo
            title=title("Confirm your e-mail", "Подтверждение почты")
            description=title("Enter the code we sent you.", "Введите код из письма.")
            path="/confirm"
            noindex=true
        />
        <section class="page page--narrow auth-card">
            <h1>{tr!("Confirm your e-mail", "Подтвердите почту")}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let user = auth.user.await.ok().flatten();
                    let waiting = waiting.await.ok().flatten();
                    match (user, waiting) {
                        (Some(u), _) if u.email_confirmed => view! {
                            <p role="status">{tr!("Your e-mail is confirmed. Thank you!", "Ваша почта подтверждена. Спасибо!")}</p>
                            <a class="button" href="/settings/profile">{tr!("Fill in your profile", "Заполнить профиль")}</a>
                        }.into_any(),
                        (Some(u), _) => {
                            let email = u.email.clone();
                            view! {
                                <p>{move || match l.get() {
                                    crate::i18n::Locale::En => format!("We sent a 6-digit code to {email}. It is valid for 30 minutes."),
                                    crate::i18n::Locale::Ru => format!("Мы отправили 6-значный код на {email}. Он действует 30 минут."),
                                }}</p>
                                <CodeForm next=next action=confirm />
                            }.into_any()
                        }
                        (None, Some(email)) => view! {
                            <p role="status">{move || match l.get() {
                                crate::i18n::Locale::En => format!("Check your mail: we sent a message to {email}. If this address is new to Tutorium, the message holds a 6-digit code — enter it here within 30 minutes. If you already have an account, the message tells you how to log in."),
                                crate::i18n::Locale::Ru => format!("Проверьте почту: мы отправили письмо на {email}. Если этот адрес в Tutorium новый, в письме 6-значный код — введите его здесь в течение 30 минут. Если у вас уже есть аккаунт, в письме сказано, как войти."),
                            }}</p>
                            <CodeForm next=next action=confirm />
                        }.into_any(),
                        (None, None) => view! {
                            <p>{tr!("Log in to confirm your e-mail.", "Войдите, чтобы подтвердить почту.")}</p>
                            <a class="button" href="/login?next=/confirm">{tr!("Log in", "Войти")}</a>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    let pending = action.pending();
    let sent = Signal::derive(move || matches!(value.get(), Some(Ok(()))));
    view! {
        <Seo
            title=title("Forgot your password?", "Забыли пароль?")
            description=title("Get a link to choose a new password.", "Получите ссылку, чтобы задать новый пароль.")
            path="/forgot-password"
        />
        <section class="page page--narrow auth-card">
            <h1>{tr!("Forgot your password?", "Забыли пароль?")}</h1>
            <p>{tr!(
                "Enter the e-mail of your account and we will send you a link to choose a new password.",
                "Введите почту вашего аккаунта, и мы пришлём ссылку для выбора нового пароля."
            )}</p>
            <Notice show=sent>
                {tr!(
                    "If an account exists for this e-mail, a link is on its way. It works once, for one hour.",
                    "Если аккаунт с этой почтой существует, ссылка уже в пути. Она работает один раз в течение часа."
                )}
            </Notice>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError msg=form_error(value, &["email"]) />
                <TextField
                    label=tr!("E-mail", "Электронная почта")
                    name="email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    error=field_error(value, "email")
                />
                <button type="submit" class="button button--wide" disabled=move || pending.get()>
                    {tr!("Send the link", "Отправить ссылку")}
                </button>
            </ActionForm>
            <p class="auth-card__alt"><a href="/login">{tr!("Back to log in", "Вернуться ко входу")}</a></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = auth_action::<ResetPassword>();
    let value = action.value();
    let pending = action.pending();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let valid = Resource::new(token, check_reset_token);
    // A link the server could not check is shown as invalid too.
    let invalid = || {
        view! {
            <p role="alert" class="form-error">{tr!(
                "This reset link is invalid, already used or expired.",
                "Ссылка для сброса неверна, уже использована или устарела."
            )}</p>
            <a class="button" href="/forgot-password">{tr!("Request a new link", "Запросить новую ссылку")}</a>
        }
        .into_any()
    };
    view! {
        <Seo
            title=title("Choose a new password", "Новый пароль")
            description=title("Choose a new password for Tutorium.", "Задайте новый пароль для Tutorium.")
            path="/reset-password"
            noindex=true
        />
        <section class="page page--narrow auth-card">
            <h1>{tr!("Choose a new password", "Задайте новый пароль")}</h1>
            <Load resource=valid fallback=|| () error=move |_| invalid() let:ok>
                {if ok {
                    view! {
                        <ActionForm action=action attr:class="form" attr:novalidate=true>
                            <FormError msg=form_error(value, &["password"]) />
                            <input type="hidden" name="token" prop:value=token />
                            <TextField
                                label=tr!("New password", "Новый пароль")
                                name="password"
                                kind="password"
                                autocomplete="new-password"
                                required=true
                                error=field_error(value, "password")
                            />
                            <button type="submit" class="button button--wide" disabled=move || pending.get()>
                                {tr!("Save the password and log in", "Сохранить пароль и войти")}
                            </button>
                        </ActionForm>
                    }.into_any()
                } else {
                    invalid()
                }}
            </Load>
        </section>
    }
}
