//! Accounts: sign-up with e-mail confirmation, log-in/out, sessions, password change and reset,
//! roles and brute-force limits.
//!
//! Invariants:
//! - passwords are stored only as argon2id hashes, computed off the async runtime;
//! - a new password must be hard to guess (`strength`: zxcvbn, which knows the 30,000 most
//!   common passwords); a refusal says why and how to pick a better one;
//! - session and reset tokens are stored only as SHA-256 hashes;
//! - sign-up, log-in and reset answers never reveal whether an e-mail has an account: sign-up
//!   mails a code to a new address and a note to the owner of a registered one, and opens no
//!   session until the code is confirmed in the browser that signed up;
//! - every server function decides who may call it on the server (`server::auth`: `actor()`,
//!   `require(role)`); admins hold every role, in the UI and on the server alike (`holds`).

mod messages;
pub use messages::{AccountMsg, WeakReason};
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mfa;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
mod pending;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod strength;

use crate::error::Msg;
use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;
pub const NAME_MAX: usize = 60;

pub use crate::roles::{Role, holds};

/// The signed-in person, as the UI needs them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub handle: String,
    pub email_confirmed: bool,
    /// The roles that count in this session.
    pub roles: Vec<Role>,
    /// Staff roles held but locked until this session proves a second factor.
    #[serde(default)]
    pub locked: Vec<Role>,
    pub avatar_url: Option<String>,
}

impl CurrentUser {
    /// Whether this person holds `role` (admins hold every role): the same rule as the server's.
    pub fn has(&self, role: Role) -> bool {
        holds(&self.roles, role)
    }
}

impl CurrentUser {
    /// Whether this person holds a staff role, counting or locked (staff links are shown).
    pub fn is_staff(&self) -> bool {
        crate::roles::holds_staff(&self.roles) || !self.locked.is_empty()
    }
}

/// Two-factor authentication of the signed-in person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MfaStatus {
    pub enabled: bool,
    /// Unused recovery codes.
    pub recovery_left: u32,
    /// They hold a staff role: two-factor authentication is required.
    pub required: bool,
    /// This session proved a second factor.
    pub session_verified: bool,
}

/// A started enrolment: the secret as a QR code and as text to type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MfaEnrolment {
    /// Base32 in groups of four.
    pub secret: String,
    pub otpauth_url: String,
    /// The QR code, an SVG made on the server from the otpauth URL.
    pub qr_svg: String,
}

/// One of the signed-in person's sessions, for the sessions list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    pub device: String,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

/// Lower-cases and trims an e-mail, and checks its shape.
pub fn normalize_email(raw: &str) -> Result<String, Msg> {
    let e = raw.trim().to_lowercase();
    if e.is_empty() {
        return Err(Msg::Required);
    }
    if e.len() > 254 {
        return Err(Msg::TooLong { max: 254 });
    }
    let Some((local, domain)) = e.split_once('@') else {
        return Err(Msg::Account(AccountMsg::EmailInvalid));
    };
    let ok = !local.is_empty()
        && local.len() <= 64
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.contains('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if ok {
        Ok(e)
    } else {
        Err(Msg::Account(AccountMsg::EmailInvalid))
    }
}

/// Trims a display name and checks its length.
pub fn normalize_name(raw: &str) -> Result<String, Msg> {
    let n: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = n.chars().count();
    if len == 0 {
        Err(Msg::Required)
    } else if len < 2 {
        Err(Msg::TooShort { min: 2 })
    } else if len > NAME_MAX {
        Err(Msg::TooLong {
            max: NAME_MAX as u32,
        })
    } else if n.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        Err(Msg::BadInput)
    } else {
        Ok(n)
    }
}

/// "Chrome on Linux" from a User-Agent string.
pub fn describe_device(ua: &str) -> String {
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("YaBrowser") {
        "Yandex Browser"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.contains("curl/") {
        "curl"
    } else if ua.is_empty() {
        "Unknown browser"
    } else {
        "Browser"
    };
    let os = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    if os.is_empty() {
        browser.to_string()
    } else {
        format!("{browser} · {os}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            normalize_email("  Ann@Example.COM ").as_deref(),
            Ok("ann@example.com")
        );
        assert_eq!(normalize_email(""), Err(Msg::Required));
        for bad in [
            "ann",
            "ann@",
            "@x.ru",
            "ann@x",
            "a b@x.ru",
            "ann@x..ru",
            "ann@.x.ru",
            "a@b@c.ru",
        ] {
            assert_eq!(
                normalize_email(bad),
                Err(Msg::Account(AccountMsg::EmailInvalid)),
                "{bad}"
            );
        }
        assert!(normalize_email("иван@почта.рф").is_ok());
    }

    #[test]
    fn names_collapse_spaces_and_refuse_markup() {
        assert_eq!(
            normalize_name("  Anna   Petrova ").as_deref(),
            Ok("Anna Petrova")
        );
        assert_eq!(normalize_name(" "), Err(Msg::Required));
        assert_eq!(normalize_name("<script>"), Err(Msg::BadInput));
    }

    #[test]
    fn devices_are_described_from_user_agents() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
        assert_eq!(describe_device(ua), "Chrome · Linux");
        assert_eq!(describe_device(""), "Unknown browser");
    }
}
