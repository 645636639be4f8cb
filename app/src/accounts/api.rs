//! Server functions of the accounts feature. Each states who may call it.

use super::{CurrentUser, MfaEnrolment, MfaStatus, SessionInfo};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::mfa,
    super::pending,
    super::service::{self, Client, LoginOutcome},
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

/// A safe place to go after log-in: a path on this site, else "/".
///
/// Browsers drop tabs and newlines from a `Location` and read `\` as `/`, so `/%09/evil.example`
/// would leave the site: the path must start with one `/` and hold no backslash, control
/// character or whitespace, and its percent-decoded form must pass the same test (control
/// characters, backslashes and `//` in the path refused). Non-ASCII is percent-encoded, so the
/// result is always a valid header value.
pub fn safe_next(next: &str) -> String {
    fn local(p: &str) -> bool {
        let path = p.split(['?', '#']).next().unwrap_or("");
        path.starts_with('/')
            && !path.contains("//")
            && !p.chars().any(|c| c == '\\' || c.is_control())
    }
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    if local(next) && !next.chars().any(char::is_whitespace) && local(&decoded) {
        percent_encoding::utf8_percent_encode(next, percent_encoding::CONTROLS).to_string()
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

/// Signs up and goes to /confirm (carrying `next`, a local path, when given): a new e-mail gets
/// an account and a confirmation code, a registered one a note to its owner — the answer is the
/// same, and no session opens until the code is confirmed (this browser remembers the sign-up).
/// Anyone may call it (limited per IP). Errors: `Validation`, `RateLimited`.
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
    let email = service::sign_up(&st, input, &client()).await?;
    pending::set(&st, &email, service::CODE_TTL_MS);
    request::redirect(&confirm_path(&next));
    Ok(())
}

/// Where sign-up goes next: the confirmation page, carrying `next` when it is a local path.
#[cfg(feature = "ssr")]
fn confirm_path(next: &str) -> String {
    match safe_next(next).as_str() {
        "/" => "/confirm".to_string(),
        next => format!("/confirm?next={}", crate::url::path(next)),
    }
}

/// The e-mail of the sign-up waiting for its code in this browser, if any. Anyone may call it.
#[server(endpoint = "accounts/pending")]
pub async fn pending_sign_up() -> Result<Option<String>, AppError> {
    Ok(pending::email(&state()))
}

/// Confirms an e-mail with the 6-digit code — the signed-in user's, or else this browser's
/// sign-up, which then logs in — and goes to `next` (a local path) or to the profile form.
/// Errors: `NotAuthenticated` (neither), `Validation` (wrong, expired or exhausted code; for a
/// sign-up always "wrong"), `BadRequest` when already confirmed.
#[server(endpoint = "accounts/confirm")]
pub async fn confirm_email(code: String, #[server(default)] next: String) -> Result<(), AppError> {
    let st = state();
    match auth::current() {
        Some(a) => service::confirm_email(&st, a.user, &code).await?,
        None => {
            let email = pending::email(&st).ok_or(AppError::NotAuthenticated)?;
            let token = service::confirm_sign_up(&st, &email, &code, &client()).await?;
            session::set_cookie(&token, st.config.session_absolute_days);
            pending::clear(&st);
        }
    }
    let next = safe_next(&next);
    request::redirect(if next == "/" {
        "/settings/profile?welcome=1"
    } else {
        &next
    });
    Ok(())
}

/// Mails a new confirmation code to the signed-in user, or for this browser's sign-up.
/// Errors: `NotAuthenticated` (neither), `RateLimited`, `BadRequest` when confirmed.
#[server(endpoint = "accounts/resend-code")]
pub async fn resend_code() -> Result<(), AppError> {
    let st = state();
    match auth::current() {
        Some(a) => service::resend_code(&st, a.user, &client()).await,
        None => {
            let email = pending::email(&st).ok_or(AppError::NotAuthenticated)?;
            service::resend_sign_up_code(&st, &email, &client()).await
        }
    }
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
    let outcome = service::log_in(&st, &email, password, &client()).await?;
    open_or_ask_code(outcome, &next);
    Ok(())
}

/// Sets the session cookie and goes to `next`, or — with two-factor authentication on —
/// remembers the password step and goes to the code page.
#[cfg(feature = "ssr")]
fn open_or_ask_code(outcome: LoginOutcome, next: &str) {
    let st = state();
    match outcome {
        LoginOutcome::Session(token) => {
            session::set_cookie(&token, st.config.session_absolute_days);
            request::redirect(&safe_next(next));
        }
        LoginOutcome::NeedsCode(user) => {
            mfa::pending::set(&st, user);
            let next = safe_next(next);
            request::redirect(&if next == "/" {
                "/login/code".to_string()
            } else {
                format!("/login/code?next={}", crate::url::path(&next))
            });
        }
    }
}

/// The code step of a log-in with two-factor authentication: a code from the authenticator
/// app (or a recovery code) for the account whose password was right in this browser; goes to
/// `next`. Anyone may call it (limited per account). Errors: `BadRequest(MfaLoginExpired)`,
/// `Validation(code)`, `RateLimited`, `Suspended`.
#[server(endpoint = "accounts/login-code")]
pub async fn log_in_code(code: String, #[server(default)] next: String) -> Result<(), AppError> {
    let st = state();
    let user = mfa::pending::user(&st)
        .ok_or_else(|| AppError::bad_request(super::AccountMsg::MfaLoginExpired))?;
    let token = mfa::log_in_with_code(&st, user, &code, &client()).await?;
    mfa::pending::clear(&st);
    session::set_cookie(&token, st.config.session_absolute_days);
    request::redirect(&safe_next(&next));
    Ok(())
}

/// The signed-in person's two-factor state. Errors: `NotAuthenticated`.
#[server(endpoint = "accounts/mfa")]
pub async fn get_mfa_status() -> Result<MfaStatus, AppError> {
    mfa::status(&state(), &auth::actor()?).await
}

/// Starts setting up an authenticator app: the secret as QR code and text.
/// Errors: `NotAuthenticated`, `Conflict(MfaAlreadyEnabled)`.
#[server(endpoint = "accounts/mfa-begin")]
pub async fn mfa_begin() -> Result<MfaEnrolment, AppError> {
    mfa::begin(&state(), &auth::actor()?).await
}

/// Turns two-factor authentication on with the app's first code; returns the recovery codes.
/// Errors: `NotAuthenticated`, `Validation(code)`, `Conflict`, `RateLimited`.
#[server(endpoint = "accounts/mfa-enable")]
pub async fn mfa_enable(code: String) -> Result<Vec<String>, AppError> {
    mfa::enable(&state(), &auth::actor()?, &code).await
}

/// Proves a code in this session, so that staff roles count in it.
/// Errors: `NotAuthenticated`, `Validation(code)`, `BadRequest(MfaNotEnabled)`, `RateLimited`.
#[server(endpoint = "accounts/mfa-unlock")]
pub async fn mfa_unlock(code: String) -> Result<(), AppError> {
    mfa::unlock(&state(), &auth::actor()?, &code).await
}

/// New recovery codes in place of the old ones, after a code. Errors as for `mfa_unlock`.
#[server(endpoint = "accounts/mfa-recovery")]
pub async fn mfa_renew_recovery(code: String) -> Result<Vec<String>, AppError> {
    mfa::renew_recovery_codes(&state(), &auth::actor()?, &code).await
}

/// Turns two-factor authentication off, after a code; not for staff.
/// Errors: `Conflict(MfaStaffMustKeep)`, and as for `mfa_unlock`.
#[server(endpoint = "accounts/mfa-disable")]
pub async fn mfa_disable(code: String) -> Result<(), AppError> {
    mfa::disable(&state(), &auth::actor()?, &code).await
}

/// Ends the current session. Anyone may call it.
#[server(endpoint = "accounts/logout")]
pub async fn log_out() -> Result<(), AppError> {
    if let Some(token) = session::token() {
        service::log_out(&state(), &token).await?;
    }
    session::clear_cookie();
    request::redirect("/");
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
    let outcome = service::reset_password(&st, &token, password, &client()).await?;
    open_or_ask_code(outcome, "/");
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_paths_stay_on_the_site() {
        assert_eq!(safe_next("/courses/x?tab=2#a"), "/courses/x?tab=2#a");
        assert_eq!(
            safe_next("/search?q=https://x.example"),
            "/search?q=https://x.example"
        );
        assert_eq!(safe_next("/курсы"), "/%D0%BA%D1%83%D1%80%D1%81%D1%8B");
        for bad in [
            "",
            "courses",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/\n",
            "/%0A",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/a//b",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "/x\r\nSet-Cookie: a=1",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
