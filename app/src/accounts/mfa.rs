//! Two-factor authentication: TOTP (RFC 6238, `totp-rs`) with single-use recovery codes.
//! Anyone may turn it on; it is **required** for staff (moderators, support agents, admins):
//! their staff roles count only in a session that proved a second factor (`server::session`),
//! so every staff check on the server — pages, server functions, REST — needs it (ASVS 6.3.3).
//!
//! - Enrolment: [`begin`] makes a secret (160 bits) and shows it as a QR code and as text;
//!   [`enable`] turns it on with the first code from the app and returns ten recovery codes,
//!   shown once. The secret is stored sealed with a key derived from the server's signing key.
//! - Log-in with MFA on: the password step leaves a signed five-minute cookie ([`pending`]); the
//!   code step ([`log_in_with_code`]) opens the session. Each code works once (the step it
//!   matched is stored with a guarded update) and guesses are limited per account.
//! - [`unlock`] proves a code in a session opened before MFA was on (e.g. on another device);
//!   [`disable`] (not for staff) and [`renew_recovery_codes`] need a code too.
//! - Enabling, disabling, renewing and an admin's reset are written to the audit log.

use super::{AccountMsg, MfaEnrolment, MfaStatus, db, service::Client};
use crate::audit::{self, Action};
use crate::error::{AppError, Msg};
use crate::ids::UserId;
use crate::server::auth::Actor;
use crate::server::rate_limit::{self, Limit, MINUTE_MS};
use crate::server::{AppState, now_ms, request, session, sha256_hex};
use base64::Engine;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD_NO_PAD;
/// How many recovery codes an enrolment gets.
pub const RECOVERY_CODES: usize = 10;
/// Wrong codes allowed per account per 15 minutes.
const GUESSES: i64 = 5;
/// How long the password step of a log-in waits for its code.
const PENDING_TTL_MS: i64 = 5 * MINUTE_MS;
const ISSUER: &str = "Tutorium";
/// Recovery codes use letters and digits that cannot be mistaken for each other.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn wrong_code() -> AppError {
    AppError::field("code", Msg::Account(AccountMsg::MfaCodeInvalid))
}

/// The pad that seals one enrolment's secret: derived from the server key, the person and the
/// moment of enrolment, so no two enrolments share one.
fn pad(st: &AppState, user: UserId, created_at: i64) -> [u8; 32] {
    st.signer.derive(&format!("mfa-secret|{user}|{created_at}"))
}

fn seal(st: &AppState, user: UserId, created_at: i64, secret: &[u8]) -> String {
    let p = pad(st, user, created_at);
    let sealed: Vec<u8> = secret.iter().zip(p.iter()).map(|(a, b)| a ^ b).collect();
    B64.encode(sealed)
}

fn unseal(st: &AppState, user: UserId, created_at: i64, sealed: &str) -> Option<Vec<u8>> {
    let bytes = B64.decode(sealed).ok()?;
    let p = pad(st, user, created_at);
    (bytes.len() <= p.len()).then(|| bytes.iter().zip(p.iter()).map(|(a, b)| a ^ b).collect())
}

/// The TOTP of a secret: SHA-1, 6 digits, 30-second steps, one step of clock skew either way
/// (what every authenticator app uses).
pub fn totp(secret: &[u8], account: &str) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| {
            tracing::error!(error = ?e, "totp");
            AppError::Internal
        })
}

/// The 30-second step a 6-digit `code` matches at `now_s` (±1 step), if any.
pub fn matching_step(secret: &[u8], code: &str, now_s: u64) -> Option<u64> {
    let t = totp(secret, "x").ok()?;
    t.check(code, now_s)
}

/// The current code of a secret (tests and the demo's walk-through compute codes like an app).
pub fn code_at(secret: &[u8], now_s: u64) -> String {
    totp(secret, "x")
        .map(|t| t.generate(now_s).to_string())
        .unwrap_or_default()
}

/// The secret of a key as shown to people (base32, spaces allowed): what an app reads.
pub fn secret_from_text(text: &str) -> Option<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    totp_rs::Secret::try_from_base32(clean)
        .ok()
        .map(|s| s.as_bytes().to_vec())
}

/// A code as typed: a 6-digit authenticator code, or a recovery code (letters and digits,
/// spaces and dashes ignored, any case).
enum Typed {
    Totp(String),
    Recovery(String),
}

fn parse(code: &str) -> Result<Typed, AppError> {
    let clean: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    if clean.len() == 6 && clean.chars().all(|c| c.is_ascii_digit()) {
        Ok(Typed::Totp(clean))
    } else if clean.len() == 10 && clean.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        Ok(Typed::Recovery(clean))
    } else {
        Err(wrong_code())
    }
}

/// A recovery code as stored: keyed with a key derived from the server's signing key, so a
/// leaked table cannot be searched for codes offline.
fn recovery_hash(st: &AppState, user: UserId, code: &str) -> String {
    let key = st.signer.derive("mfa-recovery");
    sha256_hex(&format!("{}:{user}:{code}", hex::encode(key)))
}

/// Ten new recovery codes (`abcde-fghjk`), as shown to the person.
fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let s: String = (0..10)
                .map(|_| RECOVERY_ALPHABET[rand::random_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// Base32 in groups of four, as people type it into an app.
fn grouped(base32: &str) -> String {
    base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR code of `text` as an SVG (black modules on white, four modules of quiet zone).
pub fn qr_svg(text: &str, label: &str) -> Result<String, AppError> {
    use qrcode::{Color, EcLevel, QrCode};
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    let w = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % w + 4, i / w + 4));
        }
    }
    let size = w + 8;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"220\" height=\"220\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        crate::server::mail::escape_html(label)
    ))
}

/// Counts a guess at `user`'s second factor before it is checked (so parallel guesses stop
/// at the limit); forgiven on success by [`forgive`].
async fn count_guess(st: &AppState, user: UserId) -> Result<(), AppError> {
    rate_limit::hit(
        &st.db,
        &format!("mfa:user:{user}"),
        Limit {
            max: GUESSES,
            window_ms: 15 * MINUTE_MS,
        },
    )
    .await
}

async fn forgive(st: &AppState, user: UserId) -> Result<(), AppError> {
    rate_limit::clear(&st.db, &format!("mfa:user:{user}")).await
}

/// Checks a code of `user`'s enabled second factor and uses it up: a TOTP code's step is
/// stored (no code works twice), a recovery code is spent. Counted against the guess limit.
async fn check_and_use(st: &AppState, user: UserId, code: &str) -> Result<(), AppError> {
    let typed = parse(code)?;
    count_guess(st, user).await?;
    let row = db::select_mfa(&st.db, user)
        .await?
        .filter(|m| m.enabled_at.is_some())
        .ok_or_else(|| AppError::bad_request(AccountMsg::MfaNotEnabled))?;
    let ok = match typed {
        Typed::Totp(code) => {
            let secret = unseal(st, user, row.created_at, &row.secret).ok_or(AppError::Internal)?;
            match matching_step(&secret, &code, (now_ms() / 1000) as u64) {
                Some(step) => db::advance_mfa_step(&st.db, user, step as i64).await?,
                None => false,
            }
        }
        Typed::Recovery(code) => {
            db::use_recovery_code(&st.db, user, &recovery_hash(st, user, &code), now_ms()).await?
        }
    };
    if !ok {
        return Err(wrong_code());
    }
    forgive(st, user).await
}

/// Whether `user` has a second factor turned on.
pub async fn is_enabled(st: &AppState, user: UserId) -> Result<bool, AppError> {
    Ok(db::select_mfa(&st.db, user)
        .await?
        .is_some_and(|m| m.enabled_at.is_some()))
}

/// The actor's two-factor state, for the security settings and staff pages.
pub async fn status(st: &AppState, actor: &Actor) -> Result<MfaStatus, AppError> {
    let row = db::select_mfa(&st.db, actor.user).await?;
    let enabled = row.as_ref().is_some_and(|m| m.enabled_at.is_some());
    let held = session::roles(st, actor.user).await?;
    Ok(MfaStatus {
        enabled,
        recovery_left: if enabled {
            db::count_recovery_codes(&st.db, actor.user).await? as u32
        } else {
            0
        },
        required: crate::roles::holds_staff(&held),
        session_verified: db::session_mfa_at(&st.db, actor.session).await?.is_some(),
    })
}

/// Starts enrolment: a new secret (replacing an unfinished one), shown as a QR code and text.
/// Errors: `Conflict(MfaAlreadyEnabled)`.
pub async fn begin(st: &AppState, actor: &Actor) -> Result<MfaEnrolment, AppError> {
    if is_enabled(st, actor.user).await? {
        return Err(AppError::conflict(AccountMsg::MfaAlreadyEnabled));
    }
    let user = db::select_user(&st.db, actor.user)
        .await?
        .ok_or(AppError::NotFound)?;
    let secret: [u8; 20] = rand::random();
    let now = now_ms();
    db::upsert_pending_mfa(&st.db, actor.user, &seal(st, actor.user, now, &secret), now).await?;
    let t = totp(&secret, &user.email)?;
    let url = t.to_url().map_err(|_| AppError::Internal)?;
    Ok(MfaEnrolment {
        secret: grouped(&t.secret().to_base32()),
        qr_svg: qr_svg(&url, "QR code for your authenticator app")?,
        otpauth_url: url,
    })
}

/// Turns two-factor authentication on with the first code from the app; this session counts
/// as verified. Returns the ten recovery codes (shown once). Errors: `Validation(code)` for a
/// wrong code, `Conflict(MfaAlreadyEnabled)`, `BadRequest(MfaNotEnabled)` without [`begin`],
/// `RateLimited`.
pub async fn enable(st: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>, AppError> {
    let Typed::Totp(code) = parse(code)? else {
        return Err(wrong_code());
    };
    count_guess(st, actor.user).await?;
    let row = db::select_mfa(&st.db, actor.user)
        .await?
        .ok_or_else(|| AppError::bad_request(AccountMsg::MfaNotEnabled))?;
    if row.enabled_at.is_some() {
        return Err(AppError::conflict(AccountMsg::MfaAlreadyEnabled));
    }
    let secret = unseal(st, actor.user, row.created_at, &row.secret).ok_or(AppError::Internal)?;
    let step = matching_step(&secret, &code, (now_ms() / 1000) as u64).ok_or_else(wrong_code)?;
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| recovery_hash(st, actor.user, &c.replace('-', "")))
        .collect();
    let now = now_ms();
    let mut tx = st.db.w().begin().await?;
    if !db::enable_mfa(&mut tx, actor.user, row.created_at, step as i64, now).await? {
        return Err(AppError::conflict(AccountMsg::MfaAlreadyEnabled));
    }
    db::replace_recovery_codes(&mut tx, actor.user, &hashes).await?;
    db::mark_session_mfa(&mut tx, actor.session, now).await?;
    audit::record(
        &mut tx,
        &audit::By::actor(actor),
        audit::Entry::user(Action::MfaEnabled, actor.user),
    )
    .await?;
    tx.commit().await?;
    forgive(st, actor.user).await?;
    // Staff roles count from the next request of this session on.
    Ok(codes)
}

/// Proves a code in this session (one opened before MFA was on): staff roles count in it from
/// now on. Errors: `Validation(code)`, `BadRequest(MfaNotEnabled)`, `RateLimited`.
pub async fn unlock(st: &AppState, actor: &Actor, code: &str) -> Result<(), AppError> {
    check_and_use(st, actor.user, code).await?;
    let mut tx = st.db.w().begin().await?;
    db::mark_session_mfa(&mut tx, actor.session, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ten new recovery codes in place of the old ones, after a code. Errors as for [`unlock`].
pub async fn renew_recovery_codes(
    st: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<Vec<String>, AppError> {
    check_and_use(st, actor.user, code).await?;
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| recovery_hash(st, actor.user, &c.replace('-', "")))
        .collect();
    let mut tx = st.db.w().begin().await?;
    db::replace_recovery_codes(&mut tx, actor.user, &hashes).await?;
    audit::record(
        &mut tx,
        &audit::By::actor(actor),
        audit::Entry::user(Action::MfaRecoveryRenewed, actor.user),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns two-factor authentication off after a code; staff cannot (it is required for them).
/// Errors: `Conflict(MfaStaffMustKeep)`, and as for [`unlock`].
pub async fn disable(st: &AppState, actor: &Actor, code: &str) -> Result<(), AppError> {
    let held = session::roles(st, actor.user).await?;
    if crate::roles::holds_staff(&held) {
        return Err(AppError::conflict(AccountMsg::MfaStaffMustKeep));
    }
    check_and_use(st, actor.user, code).await?;
    let mut tx = st.db.w().begin().await?;
    remove(&mut tx, actor.user).await?;
    audit::record(
        &mut tx,
        &audit::By::actor(actor),
        audit::Entry::user(Action::MfaDisabled, actor.user),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a person's second factor and its recovery codes; no session of theirs counts as
/// verified any more.
pub async fn remove(tx: &mut crate::server::db::Tx, user: UserId) -> sqlx::Result<()> {
    db::delete_mfa(tx, user).await
}

/// The log-in that proved its password and waits for a code in this browser: a signed,
/// HttpOnly cookie naming the account, for five minutes.
pub mod pending {
    use super::*;

    const COOKIE: &str = "tutorium_mfa";
    const COOKIE_HTTPS: &str = "__Host-tutorium_mfa";

    fn name(st: &AppState) -> &'static str {
        if st.config.secure_cookies() {
            COOKIE_HTTPS
        } else {
            COOKIE
        }
    }

    /// Remembers that `user` passed the password step.
    pub fn set(st: &AppState, user: UserId) {
        let expires_s = (now_ms() + PENDING_TTL_MS) / 1000;
        let token = st.signer.token(&format!("mfa-login:{user}"), expires_s);
        request::set_cookie(
            name(st),
            &format!("{user}.{token}"),
            PENDING_TTL_MS / 1000,
            true,
        );
    }

    /// The account waiting for its code in this browser, while the cookie is valid.
    pub fn user(st: &AppState) -> Option<UserId> {
        let value = request::cookie(name(st))?;
        let (user, token) = value.split_once('.')?;
        let user: UserId = user.parse().ok()?;
        st.signer
            .verify(&format!("mfa-login:{user}"), token, now_ms() / 1000)
            .then_some(user)
    }

    pub fn clear(st: &AppState) {
        request::set_cookie(name(st), "", 0, true);
    }
}

/// The code step of a log-in: checks the code of the account whose password was right in this
/// browser and opens a session that counts as verified; returns its token. Errors:
/// `BadRequest(MfaLoginExpired)`, `Validation(code)`, `RateLimited`, `Suspended`.
pub async fn log_in_with_code(
    st: &AppState,
    user: UserId,
    code: &str,
    client: &Client,
) -> Result<String, AppError> {
    check_and_use(st, user, code).await?;
    super::service::refuse_banned(st, user).await?;
    Ok(session::create_with(st, user, &client.user_agent, &client.ip, true).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_its_neighbours_only() {
        let secret = [7u8; 20];
        let now = 1_800_000_000u64;
        let code = code_at(&secret, now);
        assert_eq!(code.len(), 6);
        assert_eq!(matching_step(&secret, &code, now), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 95), None);
        assert_eq!(matching_step(&[8u8; 20], &code, now), None);
    }

    #[test]
    fn typed_codes_are_told_apart() {
        assert!(matches!(parse(" 123 456 "), Ok(Typed::Totp(c)) if c == "123456"));
        assert!(matches!(parse("ABCDE-FGHJK"), Ok(Typed::Recovery(c)) if c == "abcdefghjk"));
        assert!(parse("12345").is_err());
        assert!(parse("abcde-fghj1").is_err(), "1 is not in the alphabet");
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(
            codes
                .iter()
                .all(|c| matches!(parse(c), Ok(Typed::Recovery(_))))
        );
    }

    #[test]
    fn the_qr_code_is_an_svg_of_dark_modules() {
        let svg = qr_svg(
            "otpauth://totp/Tutorium:a%40b.ru?secret=ABC&issuer=Tutorium",
            "QR",
        )
        .unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("h1v1h-1z") && svg.ends_with("</svg>"));
    }
}
