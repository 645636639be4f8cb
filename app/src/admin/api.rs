//! Server functions of the staff area: thin adapters over `service`, which decides who may call
//! each (staff roles count only in a session that proved a second factor).

use super::{UserDetail, UserFilter, UserListPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ids::UserId,
    crate::server::{auth, state},
};

/// A page of accounts. Staff. Errors: `Forbidden`, `MfaRequired`, `Validation`.
#[server(endpoint = "admin/users", input = Json)]
pub async fn list_users(filter: UserFilter) -> Result<UserListPage, AppError> {
    service::list_users(&state(), &auth::actor()?, &filter).await
}

/// A person's page. Staff. Errors: `Forbidden`, `MfaRequired`, `NotFound`.
#[server(endpoint = "admin/user")]
pub async fn get_user(id: i64) -> Result<UserDetail, AppError> {
    service::user_detail(&state(), &auth::actor()?, UserId(id)).await
}

/// Grants (`grant` = true) or revokes a role. Admins. Errors: see `service::set_role`.
#[server(endpoint = "admin/set-role")]
pub async fn set_role(id: i64, role: String, grant: bool) -> Result<(), AppError> {
    service::set_role(&state(), &auth::actor()?, UserId(id), &role, grant).await
}

/// Bans an account with a reason. Moderators and admins. Errors: see `service::ban`.
#[server(endpoint = "admin/ban")]
pub async fn ban_user(id: i64, reason: String) -> Result<(), AppError> {
    service::ban(&state(), &auth::actor()?, UserId(id), &reason).await
}

/// Lifts a ban. Moderators and admins. Errors: see `service::unban`.
#[server(endpoint = "admin/unban")]
pub async fn unban_user(id: i64) -> Result<(), AppError> {
    service::unban(&state(), &auth::actor()?, UserId(id)).await
}

/// Removes a person's second factor. Admins. Errors: see `service::reset_mfa`.
#[server(endpoint = "admin/reset-mfa")]
pub async fn reset_mfa(id: i64) -> Result<(), AppError> {
    service::reset_mfa(&state(), &auth::actor()?, UserId(id)).await
}
