//! The sign-up waiting for its code in this browser: a signed, HttpOnly cookie naming the e-mail,
//! for as long as a code is valid. Sign-up opens no session (it would tell whether the e-mail was
//! new), so the confirmation page and the code check find the sign-up through this cookie.
//! Set for new and registered e-mails alike.

use crate::server::{AppState, now_ms, request};
use base64::Engine;

const COOKIE: &str = "tutorium_signup";
const COOKIE_HTTPS: &str = "__Host-tutorium_signup";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        COOKIE_HTTPS
    } else {
        COOKIE
    }
}

fn signed(email: &str) -> String {
    format!("signup:{email}")
}

/// Remembers `email` as this browser's sign-up for `ttl_ms`.
pub fn set(state: &AppState, email: &str, ttl_ms: i64) {
    let expires_s = (now_ms() + ttl_ms) / 1000;
    let token = state.signer.token(&signed(email), expires_s);
    let value = format!("{}.{token}", B64.encode(email));
    request::set_cookie(name(state), &value, ttl_ms / 1000, true);
}

/// The e-mail of this browser's sign-up, while its cookie is valid.
pub fn email(state: &AppState) -> Option<String> {
    let value = request::cookie(name(state))?;
    let (email, token) = value.split_once('.')?;
    let email = String::from_utf8(B64.decode(email).ok()?).ok()?;
    state
        .signer
        .verify(&signed(&email), token, now_ms() / 1000)
        .then_some(email)
}

/// Forgets this browser's sign-up (it is confirmed).
pub fn clear(state: &AppState) {
    request::set_cookie(name(state), "", 0, true);
}
