//! The audit log: an append-only record of staff actions and of changes to accounts' security
//! (role changes, bans, two-factor changes, course moderation, post moderation, certificate
//! revocation; refunds when payments land). Each entry says who acted, from which address,
//! when, what was done to what, and the state before and after.
//!
//! Invariants:
//! - an entry is written in the same transaction as its action ([`service::record`] takes the
//!   transaction), so there is no action without its entry and no entry without its action;
//! - nothing changes or deletes an entry: the database refuses it (triggers on both backends);
//! - only admins read the log ([`service::list`], the CSV export), filtered and paged by keyset.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub use service::{By, Entry, record};

use serde::{Deserialize, Serialize};

crate::codes! {
    /// What was done.
    pub enum Action {
        RoleGranted = "role.granted",
        RoleRevoked = "role.revoked",
        UserBanned = "user.banned",
        UserUnbanned = "user.unbanned",
        MfaEnabled = "mfa.enabled",
        MfaDisabled = "mfa.disabled",
        MfaReset = "mfa.reset",
        MfaRecoveryRenewed = "mfa.recovery_renewed",
        CourseApproved = "course.approved",
        CourseReturned = "course.returned",
        CourseArchived = "course.archived",
        PostHidden = "post.hidden",
        PostShown = "post.shown",
        CertificateRevoked = "certificate.revoked",
    }
}

impl Action {
    /// How the log names the action, in the reader's language.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use Action::*;
        let (en, ru) = match self {
            RoleGranted => ("Role granted", "Роль выдана"),
            RoleRevoked => ("Role revoked", "Роль снята"),
            UserBanned => ("Account banned", "Аккаунт заблокирован"),
            UserUnbanned => ("Account unbanned", "Аккаунт разблокирован"),
            MfaEnabled => ("Two-factor turned on", "Двухфакторная включена"),
            MfaDisabled => ("Two-factor turned off", "Двухфакторная выключена"),
            MfaReset => (
                "Two-factor reset by staff",
                "Двухфакторная сброшена персоналом",
            ),
            MfaRecoveryRenewed => ("Recovery codes renewed", "Коды восстановления обновлены"),
            CourseApproved => ("Course approved", "Курс одобрен"),
            CourseReturned => ("Course returned", "Курс возвращён"),
            CourseArchived => ("Course archived", "Курс в архиве"),
            PostHidden => ("Post hidden", "Публикация скрыта"),
            PostShown => ("Post shown again", "Публикация снова видна"),
            CertificateRevoked => ("Certificate revoked", "Сертификат отозван"),
        };
        locale.pick(en, ru)
    }
}

/// One entry, as admins read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub ip: String,
    pub action: Action,
    pub target_kind: String,
    pub target_id: Option<i64>,
    pub target_label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

/// Which entries to list: all filters optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// An action code (`role.granted`).
    #[serde(default)]
    pub action: String,
    /// The acting person's id.
    #[serde(default)]
    pub actor: Option<i64>,
    /// A target kind (`user`, `course`, …) and, optionally, its id.
    #[serde(default)]
    pub target_kind: String,
    #[serde(default)]
    pub target_id: Option<i64>,
    /// Entries older than this id (the next page).
    #[serde(default)]
    pub before: Option<i64>,
}

/// A page of entries, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub items: Vec<AuditItem>,
    pub next: Option<i64>,
}
