//! Server functions of the accounts feature. Each states who may call it.

use super::{CurrentUser, SessionInfo};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service::{self, Client},
    crate::ids::SessionId,
    crate::server::{auth, request, session, state},
};

#[cfg(feature = "ssr")]
fn client() -> Client {
    Client {
        ip: request::client_ip(),
        user_agent: request::user_agent(),
        locale: crate::i18n::request_locale(),
    }
}

/// A safe place to go after log-in: a local path, else "/".
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.contains("://")
    {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// The signed-in user, or `None`. Anyone may call it.
#[server(endpoint = "accounts/me")]
pub async fn get_me() -> Result<Option<CurrentUser>, AppError> {
    match auth::current() {
        Some(a) => service::current_user(&state(), &a).await,
        None => Ok(None),
    }
}

/// Creates an account and signs it in; mails a confirmation code and goes to /confirm (which then
/// goes on to `next`, a local path, when given).
/// Anyone may call it (limited per IP). Errors: `Validation` (with `EmailTaken`), `RateLimited`.
#[server(endpoint = "accounts/signup")]
pub async fn sign_up(
    email: String,
    password: String,
    display_name: String,
    role: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    let st = state();
    let input = service::SignUp {
        email,
        password,
        display_name,
        role,
    };
    let token = service::sign_up(&st, input, &client()).await?;
    session::set_cookie(&token, st.config.session_absolute_days);
    leptos_axum::redirect(&confirm_path(&next));
    Ok(())
}

/// Where sign-up goes next: the confirmation page, carrying `next` when it is a local path.
#[cfg(feature = "ssr")]
fn confirm_path(next: &str) -> String {
    match safe_next(next).as_str() {
        "/" => "/confirm".to_string(),
        _ => format!("/confirm?next={}", crate::url::path(next)),
    }
}

/// Confirms the signed-in user's e-mail with the 6-digit code, then goes to `next` (a local path)
/// or to the profile form. Errors: `NotAuthenticated`, `Validation` (wrong, expired or exhausted code).
#[server(endpoint = "accounts/confirm")]
pub async fn confirm_email(code: String, #[server(default)] next: String) -> Result<(), AppError> {
    let a = auth::actor()?;
    service::confirm_email(&state(), a.user, &code).await?;
    let next = safe_next(&next);
    leptos_axum::redirect(if next == "/" {
        "/settings/profile?welcome=1"
    } else {
        &next
    });
    Ok(())
}

/// Mails a new confirmation code. Errors: `NotAuthenticated`, `RateLimited`, `BadRequest` when confirmed.
#[server(endpoint = "accounts/resend-code")]
pub async fn resend_code() -> Result<(), AppError> {
    let a = auth::actor()?;
    service::resend_code(&state(), a.user, &client()).await
}

/// Logs in and goes to `next` (a local path). Anyone may call it (limited per account and IP).
/// Errors: `BadRequest(InvalidCredentials)`, `RateLimited`.
#[server(endpoint = "accounts/login")]
pub async fn log_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    let st = state();
    let token = service::log_in(&st, &email, password, &client()).await?;
    session::set_cookie(&token, st.config.session_absolute_days);
    leptos_axum::redirect(&safe_next(&next));
    Ok(())
}

/// Ends the current session. Anyone may call it.
#[server(endpoint = "accounts/logout")]
pub async fn log_out() -> Result<(), AppError> {
    if let Some(token) = request::cookie(session::SESSION_COOKIE) {
        service::log_out(&state(), &token).await?;
    }
    session::clear_cookie();
    leptos_axum::redirect("/");
    Ok(())
}

/// Changes the signed-in user's password and ends their other sessions.
/// Errors: `NotAuthenticated`, `Validation` (wrong current password, weak new one), `RateLimited`.
#[server(endpoint = "accounts/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    service::change_password(&state(), &auth::actor()?, current_password, new_password).await
}

/// Mails a password-reset link if the e-mail has an account; answers the same either way.
/// Anyone may call it (limited). Errors: `Validation` (malformed e-mail), `RateLimited`.
#[server(endpoint = "accounts/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    service::request_reset(&state(), &email, &client()).await
}

/// Whether a reset link can still be used. Anyone may call it.
#[server(endpoint = "accounts/reset-valid")]
pub async fn check_reset_token(token: String) -> Result<bool, AppError> {
    service::reset_token_valid(&state(), &token).await
}

/// Sets a new password with a reset link, ends all sessions and logs in.
/// Errors: `BadRequest(ResetLinkInvalid)`, `Validation` (weak password).
#[server(endpoint = "accounts/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let st = state();
    let token = service::reset_password(&st, &token, password, &client()).await?;
    session::set_cookie(&token, st.config.session_absolute_days);
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in user's sessions, newest use first. Errors: `NotAuthenticated`.
#[server(endpoint = "accounts/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    service::list_sessions(&state(), &auth::actor()?).await
}

/// Ends one of the signed-in user's sessions. Errors: `NotAuthenticated`, `NotFound` (not theirs).
#[server(endpoint = "accounts/revoke-session")]
pub async fn revoke_session(id: i64) -> Result<(), AppError> {
    let a = auth::actor()?;
    service::revoke_session(&state(), &a, SessionId(id)).await?;
    if SessionId(id) == a.session {
        session::clear_cookie();
    }
    Ok(())
}

/// Ends every session of the signed-in user except this one. Errors: `NotAuthenticated`.
#[server(endpoint = "accounts/revoke-others")]
pub async fn revoke_other_sessions() -> Result<u64, AppError> {
    service::revoke_other_sessions(&state(), &auth::actor()?).await
}
