//! Server functions of the profiles feature: thin adapters over `service`. Each states who may
//! call it.

use super::{FollowPage, FollowState, ProfileLookup, ProfileUpdate, Settings, TutorPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ids::UserId,
    crate::server::{auth, state},
};

/// A profile by its handle. Anyone may call it; members-only profiles show only the name to
/// anonymous visitors. Errors: `NotFound`.
#[server(endpoint = "profiles/get")]
pub async fn get_profile(handle: String) -> Result<ProfileLookup, AppError> {
    service::profile(&state(), auth::current().as_ref(), &handle)
        .await
        .inspect_err(|e| crate::server::request::set_status(e.status()))
}

/// The signed-in user's own profile, for the edit form. Errors: `NotAuthenticated`.
#[server(endpoint = "profiles/mine")]
pub async fn get_my_profile() -> Result<super::Profile, AppError> {
    service::my_profile(&state(), &auth::actor()?).await
}

/// Saves the signed-in user's profile. Errors: `NotAuthenticated`, `Validation` per field.
#[server(endpoint = "profiles/update", input = Json)]
pub async fn update_profile(update: ProfileUpdate) -> Result<(), AppError> {
    service::update_profile(&state(), &auth::actor()?, update).await
}

/// Removes the signed-in user's avatar. Errors: `NotAuthenticated`.
#[server(endpoint = "profiles/avatar-delete")]
pub async fn delete_avatar() -> Result<(), AppError> {
    service::delete_avatar(&state(), &auth::actor()?).await
}

/// Follows a person (idempotent). Errors: `NotAuthenticated`, `NotFound`, `BadRequest(CannotFollowSelf)`.
#[server(endpoint = "profiles/follow")]
pub async fn follow(user_id: i64) -> Result<FollowState, AppError> {
    service::follow(&state(), &auth::actor()?, UserId(user_id)).await
}

/// Unfollows a person (idempotent). Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "profiles/unfollow")]
pub async fn unfollow(user_id: i64) -> Result<FollowState, AppError> {
    service::unfollow(&state(), &auth::actor()?, UserId(user_id)).await
}

/// A page of someone's followers (`followers`) or of the people they follow. Anyone may call it
/// for a public profile, members for a members-only one. `after` is the `next` cursor of the
/// previous page. Errors: `NotFound`, `NotAuthenticated`, `BadRequest` for a bad cursor.
#[server(endpoint = "profiles/follows")]
pub async fn list_follows(
    handle: String,
    followers: bool,
    #[server(default)] after: String,
) -> Result<FollowPage, AppError> {
    service::follows(
        &state(),
        auth::current().as_ref(),
        &handle,
        followers,
        &after,
    )
    .await
}

/// A page of the tutors directory, optionally for one subject. Anyone may call it.
/// `after` is the `next` cursor of the previous page. Errors: `BadRequest` for a bad cursor or subject.
#[server(endpoint = "profiles/tutors")]
pub async fn list_tutors(
    #[server(default)] subject: String,
    #[server(default)] after: String,
) -> Result<TutorPage, AppError> {
    service::tutors(&state(), &subject, &after).await
}

/// The signed-in user's notification and privacy settings. Errors: `NotAuthenticated`.
#[server(endpoint = "profiles/settings")]
pub async fn get_settings() -> Result<Settings, AppError> {
    service::settings(&state(), &auth::actor()?).await
}

/// Saves notification and privacy settings: `email_on` lists the kinds to keep on.
/// Errors: `NotAuthenticated`, `Validation` (unknown kind or visibility).
#[server(endpoint = "profiles/settings-update", input = Json)]
pub async fn update_settings(email_on: Vec<String>, visibility: String) -> Result<(), AppError> {
    service::update_settings(&state(), &auth::actor()?, email_on, visibility).await
}
