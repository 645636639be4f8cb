//! Accounts: sign-up with e-mail confirmation, log-in/out, sessions, password change and reset,
//! roles and brute-force limits.
//!
//! Invariants:
//! - passwords are stored only as argon2id hashes, computed off the async runtime;
//! - session and reset tokens are stored only as SHA-256 hashes;
//! - log-in and reset answers never reveal whether an e-mail has an account;
//! - every server function decides who may call it on the server (`server::auth`: `actor()`,
//!   `require(role)`); admins hold every role, in the UI and on the server alike (`holds`).

mod messages;
pub use messages::AccountMsg;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;

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
    pub roles: Vec<Role>,
    pub avatar_url: Option<String>,
}

impl CurrentUser {
    /// Whether this person holds `role` (admins hold every role): the same rule as the server's.
    pub fn has(&self, role: Role) -> bool {
        holds(&self.roles, role)
    }
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

/// Passwords people pick most often (and keyboard walks); refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "qwerty",
    "qwertyuiop",
    "123456",
    "1234567890",
    "abc123",
    "letmein",
    "iloveyou",
    "admin",
    "welcome",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "trustno1",
    "superman",
    "starwars",
    "master",
    "shadow",
    "michael",
    "jennifer",
    "йцукен",
    "пароль",
    "qwerty123",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "asdfghjkl",
    "zxcvbnm",
    "tutorium",
];

/// Checks a new password: long enough, not too long, not common, not the e-mail or name.
pub fn check_password(password: &str, email: &str, name: &str) -> Result<(), Msg> {
    let len = password.chars().count();
    if len == 0 {
        return Err(Msg::Required);
    }
    if len < PASSWORD_MIN {
        return Err(Msg::Account(AccountMsg::PasswordTooShort {
            min: PASSWORD_MIN as u32,
        }));
    }
    if len > PASSWORD_MAX {
        return Err(Msg::Account(AccountMsg::PasswordTooLong {
            max: PASSWORD_MAX as u32,
        }));
    }
    let lower = password.to_lowercase();
    let distinct = {
        let mut cs: Vec<char> = lower.chars().collect();
        cs.sort_unstable();
        cs.dedup();
        cs.len()
    };
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let stripped: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let common = COMMON_PASSWORDS
        .iter()
        .any(|c| (lower.starts_with(c) && lower.len() - c.len() <= 4) || stripped == *c);
    let personal = (local.len() >= 3 && lower.contains(&local))
        || (!name.trim().is_empty()
            && name.trim().chars().count() >= 3
            && lower.contains(&name.trim().to_lowercase()));
    if distinct < 5 || common || personal || is_sequence(&lower) {
        return Err(Msg::Account(AccountMsg::PasswordWeak));
    }
    Ok(())
}

/// "0123456789", "abcdefghij" and the like.
fn is_sequence(s: &str) -> bool {
    let cs: Vec<u32> = s.chars().map(|c| c as u32).collect();
    cs.windows(2).all(|w| w[1] == w[0] + 1) || cs.windows(2).all(|w| w[0] == w[1] + 1)
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
    fn weak_passwords_are_refused_with_the_reason() {
        assert_eq!(
            check_password("short", "a@b.ru", "Ann"),
            Err(Msg::Account(AccountMsg::PasswordTooShort { min: 10 }))
        );
        for weak in [
            "password123",
            "qwertyuiop",
            "aaaaaaaaaaaa",
            "0123456789",
            "ababababab",
            "anna.petrova99",
        ] {
            assert_eq!(
                check_password(weak, "anna.petrova@x.ru", "Anna"),
                Err(Msg::Account(AccountMsg::PasswordWeak)),
                "{weak}"
            );
        }
        assert_eq!(
            check_password("correct horse battery", "a@b.ru", "Ann"),
            Ok(())
        );
        assert_eq!(check_password("Тёплый-ветер-42", "a@b.ru", "Ann"), Ok(()));
        assert_eq!(
            check_password(&"x1y2z3".repeat(30), "a@b.ru", "Ann"),
            Err(Msg::Account(AccountMsg::PasswordTooLong { max: 128 }))
        );
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
