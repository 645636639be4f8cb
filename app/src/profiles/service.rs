//! The use cases of profiles: reading a profile (with its privacy rule), editing one's own,
//! following, the tutors directory and personal settings.

use super::{
    FollowPage, FollowState, PersonItem, Profile, ProfileLookup, ProfileMsg, ProfileUpdate,
    Settings, TutorCard, TutorPage, avatar_url, db,
};
use crate::error::{AppError, Msg};
use crate::ids::UserId;
use crate::notifications::{Kind, Subject};
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms};

fn to_profile(r: db::ProfileRow, subjects: Vec<String>, is_me: bool, followed: bool) -> Profile {
    Profile {
        user_id: r.user_id.get(),
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
        posts_count: 0,
        courses_count: 0,
        members_only: r.visibility == "members",
        joined_at: r.created_at,
        is_me,
        followed,
    }
}

/// A keyset cursor `a_b` of two numbers ("" for the first page). Errors: `BadRequest`.
fn pair_cursor(after: &str) -> Result<Option<(i64, i64)>, AppError> {
    if after.is_empty() {
        return Ok(None);
    }
    let parsed = after
        .split_once('_')
        .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
    Ok(Some(parsed.ok_or(AppError::BadRequest(Msg::BadInput))?))
}

/// A profile by handle. Members-only profiles show only the name to anonymous visitors.
pub async fn profile(
    st: &AppState,
    viewer: Option<&Actor>,
    handle: &str,
) -> Result<ProfileLookup, AppError> {
    let row = db::select_by_handle(&st.db, handle)
        .await?
        .ok_or(AppError::NotFound)?;
    // A banned person's profile is hidden from everyone but staff.
    if row.banned_at.is_some() && !viewer.is_some_and(|v| crate::roles::holds_staff(&v.roles)) {
        return Err(AppError::NotFound);
    }
    if row.visibility == "members" && viewer.is_none() {
        return Ok(ProfileLookup::MembersOnly {
            display_name: row.display_name,
        });
    }
    let subjects = db::select_subjects(&st.db, row.user_id).await?;
    let (is_me, followed) = match viewer {
        Some(v) if v.user == row.user_id => (true, false),
        Some(v) => (false, db::is_following(&st.db, v.user, row.user_id).await?),
        None => (false, false),
    };
    let user = row.user_id;
    let tutor = row.is_tutor != 0;
    let mut p = to_profile(row, subjects, is_me, followed);
    p.posts_count = crate::feed::db::count_published_by(&st.db, user).await?;
    if tutor {
        p.courses_count = crate::courses::db::count_published_by(&st.db, user).await?;
    }
    Ok(ProfileLookup::Found(Box::new(p)))
}

/// A page of the followers of the person at `handle` (`followers`), or of the people they
/// follow; `after` is the previous page's `next`. Visible as their profile is: members-only
/// profiles to signed-in members, banned people's to staff; banned people are left out of
/// lists, and members-only people are left out for anonymous visitors. Errors: `NotFound`,
/// `NotAuthenticated` (a members-only profile), `BadRequest` (a bad cursor).
pub async fn follows(
    st: &AppState,
    viewer: Option<&Actor>,
    handle: &str,
    followers: bool,
    after: &str,
) -> Result<FollowPage, AppError> {
    let owner = match profile(st, viewer, handle).await? {
        ProfileLookup::Found(p) => p,
        ProfileLookup::MembersOnly { .. } => return Err(AppError::NotAuthenticated),
    };
    let after = pair_cursor(after)?;
    let limit = super::FOLLOWS_PAGE;
    let user = UserId(owner.user_id);
    let mut rows =
        db::list_follows(&st.db, user, followers, viewer.is_some(), after, limit + 1).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}_{}", r.followed_at, r.user_id))
    } else {
        None
    };
    Ok(FollowPage {
        count: if followers {
            owner.followers_count
        } else {
            owner.following_count
        },
        display_name: owner.display_name,
        handle: owner.handle,
        items: rows
            .into_iter()
            .map(|r| PersonItem {
                handle: r.handle,
                display_name: r.display_name,
                headline: r.headline,
                avatar_url: r.avatar_key.map(|k| avatar_url(&k, 64)),
                is_tutor: r.is_tutor != 0,
            })
            .collect(),
        next,
    })
}

/// The actor's own profile, for the edit form.
pub async fn my_profile(st: &AppState, actor: &Actor) -> Result<Profile, AppError> {
    let row = db::select_by_user(&st.db, actor.user)
        .await?
        .ok_or(AppError::NotFound)?;
    let subjects = db::select_subjects(&st.db, actor.user).await?;
    Ok(to_profile(row, subjects, true, false))
}

/// Saves the actor's profile; errors name the field.
pub async fn update_profile(
    st: &AppState,
    actor: &Actor,
    update: ProfileUpdate,
) -> Result<(), AppError> {
    let clean = update.validate()?;
    db::update_profile(&st.db, actor.user, &clean, now_ms()).await?;
    Ok(())
}

/// Removes the actor's avatar (files and reference).
pub async fn delete_avatar(st: &AppState, actor: &Actor) -> Result<(), AppError> {
    super::avatar::remove(st, actor.user).await?;
    Ok(())
}

/// Follows a person (idempotent); they are told once.
pub async fn follow(st: &AppState, actor: &Actor, user: UserId) -> Result<FollowState, AppError> {
    if actor.user == user {
        return Err(AppError::bad_request(ProfileMsg::CannotFollowSelf));
    }
    let target = db::select_by_user(&st.db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::insert_follow(&st.db, actor.user, target.user_id, now_ms()).await? {
        let me = crate::accounts::db::select_user(&st.db, actor.user)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::notifications::service::notify(
            st,
            target.user_id,
            Kind::Follow,
            actor.user,
            Subject::new("user", actor.user.get(), format!("/u/{}", me.handle)),
        )
        .await?;
    }
    Ok(FollowState {
        followed: true,
        followers_count: db::select_followers_count(&st.db, user).await?,
    })
}

/// Unfollows a person (idempotent).
pub async fn unfollow(st: &AppState, actor: &Actor, user: UserId) -> Result<FollowState, AppError> {
    db::select_by_user(&st.db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    db::delete_follow(&st.db, actor.user, user).await?;
    Ok(FollowState {
        followed: false,
        followers_count: db::select_followers_count(&st.db, user).await?,
    })
}

/// A page of the tutors directory, optionally for one subject; `after` is the previous page's
/// `next`.
pub async fn tutors(st: &AppState, subject: &str, after: &str) -> Result<TutorPage, AppError> {
    let subject = Some(subject.trim()).filter(|s| !s.is_empty());
    if let Some(s) = subject
        && !super::SUBJECTS.iter().any(|k| k.0 == s)
    {
        return Err(AppError::bad_request(ProfileMsg::SubjectUnknown));
    }
    let after = pair_cursor(after)?;
    let limit = super::TUTORS_PAGE;
    let mut rows = db::list_tutors(&st.db, subject, after, limit + 1).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}_{}", r.followers_count, r.user_id))
    } else {
        None
    };
    let ids: Vec<UserId> = rows.iter().map(|r| r.user_id).collect();
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

/// The actor's notification and privacy settings.
pub async fn settings(st: &AppState, actor: &Actor) -> Result<Settings, AppError> {
    let prefs = db::select_notification_prefs(&st.db, actor.user).await?;
    let row = db::select_by_user(&st.db, actor.user)
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
pub async fn update_settings(
    st: &AppState,
    actor: &Actor,
    email_on: Vec<String>,
    visibility: String,
) -> Result<(), AppError> {
    if email_on
        .iter()
        .any(|k| !super::NOTIFICATION_KINDS.iter().any(|(c, _, _)| c == k))
    {
        return Err(AppError::field("email_on", Msg::BadInput));
    }
    if visibility != "public" && visibility != "members" {
        return Err(AppError::field("visibility", ProfileMsg::VisibilityInvalid));
    }
    for (kind, _, _) in super::NOTIFICATION_KINDS {
        db::upsert_notification_pref(&st.db, actor.user, kind, email_on.iter().any(|k| k == kind))
            .await?;
    }
    db::update_visibility(&st.db, actor.user, &visibility, now_ms()).await?;
    crate::seo::forget_sitemap(st);
    Ok(())
}
