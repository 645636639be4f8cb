//! The staff area (`/admin`): people's accounts with search and filters, a person's page
//! (profile, roles, sessions, content), granting and revoking roles, bans, resetting a lost
//! second factor; the audit log (`audit` feature) beside it.
//!
//! Who may do what (decided on the server, `service`):
//! - every staff role (moderator, support, admin) sees the list and a person's page — staff
//!   roles count only in a session that proved a second factor (`accounts::mfa`);
//! - moderators and admins ban and unban; nobody bans themselves or an admin, and only admins
//!   ban other staff;
//! - admins grant and revoke roles (not their own admin role) and reset a second factor.
//!
//! A ban ends the person's sessions, hides their posts, comments, courses and profile from
//! others, and tells them why when they log in; an unban brings back exactly what it hid.
//! Every change is written to the audit log in the same transaction.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod messages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use messages::AdminMsg;

use crate::roles::Role;
use serde::{Deserialize, Serialize};

/// Longest ban reason.
pub const REASON_MAX: usize = 500;

/// Which accounts to list; empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Part of an e-mail, name or handle.
    #[serde(default)]
    pub q: String,
    /// A role code.
    #[serde(default)]
    pub role: String,
    /// "yes" or "no".
    #[serde(default)]
    pub confirmed: String,
    /// "yes" or "no".
    #[serde(default)]
    pub banned: String,
    /// Joined within this many days ("7", "30", "365").
    #[serde(default)]
    pub joined: String,
    /// Accounts older than this id (the next page).
    #[serde(default)]
    pub before: Option<i64>,
}

/// One account in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserListItem {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub handle: String,
    pub roles: Vec<Role>,
    pub confirmed: bool,
    pub banned: bool,
    pub mfa: bool,
    pub demo: bool,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserListPage {
    pub items: Vec<UserListItem>,
    pub next: Option<i64>,
}

/// How much a person made.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentCounts {
    pub posts: i64,
    pub comments: i64,
    pub courses: i64,
    pub enrollments: i64,
    pub videos: i64,
}

/// A person's session as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffSessionInfo {
    pub device: String,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub mfa: bool,
}

/// A person's page in the staff area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub handle: String,
    pub locale: String,
    pub roles: Vec<Role>,
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
    pub banned_at: Option<i64>,
    pub banned_reason: String,
    pub mfa: bool,
    pub demo: bool,
    pub sessions: Vec<StaffSessionInfo>,
    pub counts: ContentCounts,
    /// What the viewer may do here.
    pub may_change_roles: bool,
    pub may_ban: bool,
    pub may_reset_mfa: bool,
}

/// The roles an admin can grant or revoke in the UI.
pub const GRANTABLE: [Role; 5] = [
    Role::Student,
    Role::Tutor,
    Role::Moderator,
    Role::Support,
    Role::Admin,
];
