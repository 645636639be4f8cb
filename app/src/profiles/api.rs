//! Server functions of the profiles feature. Each states who may call it.

use super::{FollowState, ProfileLookup, ProfileUpdate, Settings, TutorPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::{Profile, TutorCard, avatar_url, db},
    crate::error::Msg,
    crate::server::{now_ms, session, state},
};

#[cfg(feature = "ssr")]
fn to_profile(r: db::ProfileRow, subjects: Vec<String>, is_me: bool, followed: bool) -> Profile {
    Profile {
        user_id: r.user_id,
        handle: r.handle,
        display_name: r.display_name,
        headline: r.headline,
        bio: r.bio,
        avatar_url: r.avatar_key.map(|k| avatar_url(&k, 256)),
        is_tutor: r.is_tutor == 1,
        subjects,
        languages: r
            .languages
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        years_experience: r.years_experience,
        hourly_rate_minor: r.hourly_rate_minor,
        currency: r.currency,
        followers_count: r.followers_count,
        following_count: r.following_count,
        members_only: r.visibility == "members",
        joined_at: r.created_at,
        is_me,
        followed,
    }
}

/// A profile by its handle. Anyone may call it; members-only profiles show only the name to
/// anonymous visitors. Errors: `NotFound`.
#[server(endpoint = "profiles/get")]
pub async fn get_profile(handle: String) -> Result<ProfileLookup, AppError> {
    let st = state();
    let viewer = session::current();
    let Some(row) = db::select_by_handle(&st.db, &handle).await? else {
        crate::server::request::set_status(404);
        return Err(AppError::NotFound);
    };
    if row.visibility == "members" && viewer.is_none() {
        return Ok(ProfileLookup::MembersOnly {
            display_name: row.display_name,
        });
    }
    let subjects = db::select_subjects(&st.db, row.user_id).await?;
    let (is_me, followed) = match &viewer {
        Some(v) if v.user_id == row.user_id => (true, false),
        Some(v) => (
            false,
            db::is_following(&st.db, v.user_id, row.user_id).await?,
        ),
        None => (false, false),
    };
    Ok(ProfileLookup::Found(Box::new(to_profile(
        row, subjects, is_me, followed,
    ))))
}

/// The signed-in user's own profile, for the edit form. Errors: `NotAuthenticated`.
#[server(endpoint = "profiles/mine")]
pub async fn get_my_profile() -> Result<super::Profile, AppError> {
    let s = session::require_user()?;
    let st = state();
    let row = db::select_by_user(&st.db, s.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let subjects = db::select_subjects(&st.db, s.user_id).await?;
    Ok(to_profile(row, subjects, true, false))
}

/// Saves the signed-in user's profile. Errors: `NotAuthenticated`, `Validation` per field.
#[server(endpoint = "profiles/update", input = Json)]
pub async fn update_profile(update: ProfileUpdate) -> Result<(), AppError> {
    let s = session::require_user()?;
    let clean = update.validate()?;
    db::update_profile(&state().db, s.user_id, &clean, now_ms()).await?;
    Ok(())
}

/// Removes the signed-in user's avatar. Errors: `NotAuthenticated`.
#[server(endpoint = "profiles/avatar-delete")]
pub async fn delete_avatar() -> Result<(), AppError> {
    let s = session::require_user()?;
    super::avatar::remove(&state(), s.user_id).await?;
    Ok(())
}

/// Follows a person (idempotent). Errors: `NotAuthenticated`, `NotFound`, `BadRequest(CannotFollowSelf)`.
#[server(endpoint = "profiles/follow")]
pub async fn follow(user_id: i64) -> Result<FollowState, AppError> {
    let s = session::require_user()?;
    if s.user_id == user_id {
        return Err(AppError::BadRequest(Msg::CannotFollowSelf));
    }
    let st = state();
    let target = db::select_by_user(&st.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::insert_follow(&st.db, s.user_id, target.user_id, now_ms()).await? {
        crate::notifications::service::notify(
            &st,
            target.user_id,
            crate::notifications::Kind::Follow,
            s.user_id,
            None,
            None,
        )
        .await?;
    }
    Ok(FollowState {
        followed: true,
        followers_count: db::select_followers_count(&st.db, user_id).await?,
    })
}

/// Unfollows a person (idempotent). Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "profiles/unfollow")]
pub async fn unfollow(user_id: i64) -> Result<FollowState, AppError> {
    let s = session::require_user()?;
    let st = state();
    db::select_by_user(&st.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::delete_follow(&st.db, s.user_id, user_id).await?;
    Ok(FollowState {
        followed: false,
        followers_count: db::select_followers_count(&st.db, user_id).await?,
    })
}

/// A page of the tutors directory, optionally for one subject. Anyone may call it.
/// `after` is the `next` cursor of the previous page. Errors: `BadRequest` for a bad cursor or subject.
#[server(endpoint = "profiles/tutors")]
pub async fn list_tutors(
    #[server(default)] subject: String,
    #[server(default)] after: String,
) -> Result<TutorPage, AppError> {
    let st = state();
    let subject = Some(subject.trim()).filter(|s| !s.is_empty());
    if let Some(s) = subject
        && !super::SUBJECTS.iter().any(|k| k.0 == s)
    {
        return Err(AppError::BadRequest(Msg::SubjectUnknown));
    }
    let after = if after.is_empty() {
        None
    } else {
        let parsed = after
            .split_once('_')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
        Some(parsed.ok_or(AppError::BadRequest(Msg::BadInput))?)
    };
    let limit = super::TUTORS_PAGE;
    let mut rows = db::list_tutors(&st.db, subject, after, limit + 1).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}_{}", r.followers_count, r.user_id))
    } else {
        None
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let subjects = db::select_subjects_of(&st.db, &ids).await?;
    let items = rows
        .into_iter()
        .map(|r| TutorCard {
            subjects: subjects
                .iter()
                .filter(|(id, _)| *id == r.user_id)
                .map(|(_, s)| s.clone())
                .collect(),
            handle: r.handle,
            display_name: r.display_name,
            headline: r.headline,
            avatar_url: r.avatar_key.map(|k| avatar_url(&k, 256)),
            years_experience: r.years_experience,
            hourly_rate_minor: r.hourly_rate_minor,
            currency: r.currency,
            followers_count: r.followers_count,
        })
        .collect();
    Ok(TutorPage { items, next })
}

/// The signed-in user's notification and privacy settings. Errors: `NotAuthenticated`.
#[server(endpoint = "profiles/settings")]
pub async fn get_settings() -> Result<Settings, AppError> {
    let s = session::require_user()?;
    let st = state();
    let prefs = db::select_notification_prefs(&st.db, s.user_id).await?;
    let row = db::select_by_user(&st.db, s.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Settings {
        email: super::NOTIFICATION_KINDS
            .iter()
            .map(|(k, _, _)| {
                let on = prefs
                    .iter()
                    .find(|(pk, _)| pk == k)
                    .is_none_or(|(_, v)| *v == 1);
                (k.to_string(), on)
            })
            .collect(),
        visibility: row.visibility,
    })
}

/// Saves notification and privacy settings: `email_on` lists the kinds to keep on.
/// Errors: `NotAuthenticated`, `Validation` (unknown kind or visibility).
#[server(endpoint = "profiles/settings-update", input = Json)]
pub async fn update_settings(email_on: Vec<String>, visibility: String) -> Result<(), AppError> {
    let s = session::require_user()?;
    if email_on
        .iter()
        .any(|k| !super::NOTIFICATION_KINDS.iter().any(|(c, _, _)| c == k))
    {
        return Err(AppError::field("email_on", Msg::BadInput));
    }
    if visibility != "public" && visibility != "members" {
        return Err(AppError::field("visibility", Msg::VisibilityInvalid));
    }
    let st = state();
    for (kind, _, _) in super::NOTIFICATION_KINDS {
        db::upsert_notification_pref(&st.db, s.user_id, kind, email_on.iter().any(|k| k == kind))
            .await?;
    }
    db::update_visibility(&st.db, s.user_id, &visibility, now_ms()).await?;
    Ok(())
}
