//! SQL of the profiles feature.

use super::CleanProfile;
use crate::ids::UserId;
use crate::server::db::Db;
use crate::server::db::Tx;
use crate::server::sql::Sql;
use sqlx::Any;

#[derive(sqlx::FromRow)]
pub struct ProfileRow {
    pub user_id: UserId,
    pub handle: String,
    pub display_name: String,
    pub created_at: i64,
    pub headline: String,
    pub bio: String,
    pub avatar_key: Option<String>,
    pub is_tutor: i64,
    pub languages: String,
    pub years_experience: Option<i64>,
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
    pub visibility: String,
    pub followers_count: i64,
    pub following_count: i64,
    /// Set while the account is banned: the profile is hidden from everyone but staff.
    pub banned_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub struct TutorRow {
    pub user_id: UserId,
    pub handle: String,
    pub display_name: String,
    pub headline: String,
    pub avatar_key: Option<String>,
    pub years_experience: Option<i64>,
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
    pub followers_count: i64,
}

const PROFILE_COLUMNS: &str = "p.user_id, u.handle, u.display_name, u.created_at, p.headline, p.bio, p.avatar_key, \
     p.is_tutor, p.languages, p.years_experience, p.hourly_rate_minor, p.currency, p.visibility, \
     p.followers_count, p.following_count, u.banned_at";

pub async fn insert_profile(
    tx: &mut Tx,
    user_id: UserId,
    is_tutor: bool,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO profiles (user_id, is_tutor, updated_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(is_tutor as i64)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn select_by_handle(db: &Db, handle: &str) -> sqlx::Result<Option<ProfileRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PROFILE_COLUMNS} FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.handle = $1"
    )))
    .bind(handle)
    .fetch_optional(db.r())
    .await
}

pub async fn select_by_user(db: &Db, user_id: UserId) -> sqlx::Result<Option<ProfileRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PROFILE_COLUMNS} FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.id = $1"
    )))
    .bind(user_id)
    .fetch_optional(db.r())
    .await
}

pub async fn select_subjects(db: &Db, user_id: UserId) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT subject FROM tutor_subjects WHERE user_id = $1 ORDER BY subject")
            .bind(user_id)
            .fetch_all(db.r())
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Sets a new avatar key and returns the one it replaces.
pub async fn replace_avatar_key(
    db: &Db,
    user_id: UserId,
    key: Option<&str>,
    now: i64,
) -> sqlx::Result<Option<String>> {
    let mut tx = db.w().begin().await?;
    let old: Option<(Option<String>,)> =
        sqlx::query_as("SELECT avatar_key FROM profiles WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("UPDATE profiles SET avatar_key = $1, updated_at = $2 WHERE user_id = $3")
        .bind(key)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(old.and_then(|r| r.0))
}

/// Switches the teaching card (with the tutor role, in the role change's transaction).
pub async fn set_tutor(
    ex: impl sqlx::Executor<'_, Database = Any>,
    user_id: UserId,
    is_tutor: bool,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE profiles SET is_tutor = $1 WHERE user_id = $2")
        .bind(is_tutor as i64)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Saves the profile form: name, profile fields, subjects and the tutor role, in one transaction.
pub async fn update_profile(
    db: &Db,
    user_id: UserId,
    p: &CleanProfile,
    now: i64,
) -> sqlx::Result<()> {
    let mut tx = db.w().begin().await?;
    sqlx::query("UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3")
        .bind(&p.display_name)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE profiles SET headline = $1, bio = $2, is_tutor = $3, languages = $4, years_experience = $5, \
         hourly_rate_minor = $6, currency = $7, updated_at = $8 WHERE user_id = $9",
    )
    .bind(&p.headline)
    .bind(&p.bio)
    .bind(p.is_tutor as i64)
    .bind(p.languages.join(","))
    .bind(p.years_experience)
    .bind(p.hourly_rate_minor)
    .bind(&p.currency)
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM tutor_subjects WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for s in &p.subjects {
        sqlx::query("INSERT INTO tutor_subjects (user_id, subject) VALUES ($1, $2)")
            .bind(user_id)
            .bind(s)
            .execute(&mut *tx)
            .await?;
    }
    if p.is_tutor {
        sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, 'tutor', $2) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = 'tutor'")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Follows; returns whether a new follow was made. Counters move only when the row is new.
pub async fn insert_follow(
    db: &Db,
    follower: UserId,
    followee: UserId,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING RETURNING follower_id",
    )
    .bind(follower)
    .bind(followee)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_some() {
        sqlx::query("UPDATE profiles SET followers_count = followers_count + 1 WHERE user_id = $1")
            .bind(followee)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE profiles SET following_count = following_count + 1 WHERE user_id = $1")
            .bind(follower)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(inserted.is_some())
}

/// Unfollows; returns whether a follow existed. Counters move only when a row was deleted.
pub async fn delete_follow(db: &Db, follower: UserId, followee: UserId) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let deleted: Option<(i64,)> = sqlx::query_as(
        "DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING follower_id",
    )
    .bind(follower)
    .bind(followee)
    .fetch_optional(&mut *tx)
    .await?;
    if deleted.is_some() {
        sqlx::query("UPDATE profiles SET followers_count = followers_count - 1 WHERE user_id = $1")
            .bind(followee)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE profiles SET following_count = following_count - 1 WHERE user_id = $1")
            .bind(follower)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(deleted.is_some())
}

pub async fn is_following(db: &Db, follower: UserId, followee: UserId) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT follower_id FROM follows WHERE follower_id = $1 AND followee_id = $2",
    )
    .bind(follower)
    .bind(followee)
    .fetch_optional(db.r())
    .await?;
    Ok(row.is_some())
}

pub async fn select_followers_count(db: &Db, user_id: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT followers_count FROM profiles WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db.r())
        .await?;
    Ok(n)
}

/// A page of confirmed, public tutors by popularity, after the keyset cursor `(followers, id)`.
pub async fn list_tutors(
    db: &Db,
    subject: Option<&str>,
    after: Option<(i64, i64)>,
    limit: i64,
) -> sqlx::Result<Vec<TutorRow>> {
    let (count, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let columns = "p.user_id, u.handle, u.display_name, p.headline, p.avatar_key, p.years_experience, \
                   p.hourly_rate_minor, p.currency, p.followers_count";
    let filter = "p.is_tutor = 1 AND p.visibility = 'public' AND u.email_confirmed_at IS NOT NULL AND u.banned_at IS NULL \
                  AND (p.followers_count < $1 OR (p.followers_count = $1 AND p.user_id < $2))";
    let order = "ORDER BY p.followers_count DESC, p.user_id DESC LIMIT $3";
    match subject {
        Some(s) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {columns} FROM tutor_subjects s JOIN profiles p ON p.user_id = s.user_id \
                 JOIN users u ON u.id = p.user_id WHERE s.subject = $4 AND {filter} {order}"
            )))
            .bind(count)
            .bind(id)
            .bind(limit)
            .bind(s)
            .fetch_all(db.r())
            .await
        }
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {columns} FROM profiles p JOIN users u ON u.id = p.user_id WHERE {filter} {order}"
            )))
            .bind(count)
            .bind(id)
            .bind(limit)
            .fetch_all(db.r())
            .await
        }
    }
}

/// A person in a followers or following list.
#[derive(sqlx::FromRow)]
pub struct FollowRow {
    pub user_id: UserId,
    pub handle: String,
    pub display_name: String,
    pub headline: String,
    pub avatar_key: Option<String>,
    pub is_tutor: i64,
    /// When the follow was made: the list's order, newest first.
    pub followed_at: i64,
}

/// The people who follow `user` (`followers`) or whom `user` follows, newest follow first, after
/// the keyset `after` (followed_at, user id). Banned people are left out, and members-only
/// people too unless `members` (a signed-in viewer).
pub async fn list_follows(
    db: &Db,
    user: UserId,
    followers: bool,
    members: bool,
    after: Option<(i64, i64)>,
    limit: i64,
) -> sqlx::Result<Vec<FollowRow>> {
    let (at, id) = after.unwrap_or((i64::MAX, i64::MAX));
    // followers: the other side is the follower; following: the followee.
    let (mine, theirs) = if followers {
        ("followee_id", "follower_id")
    } else {
        ("follower_id", "followee_id")
    };
    let visible = if members {
        ""
    } else {
        " AND p.visibility = 'public'"
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT u.id AS user_id, u.handle, u.display_name, p.headline, p.avatar_key, p.is_tutor, \
         f.created_at AS followed_at \
         FROM follows f JOIN users u ON u.id = f.{theirs} JOIN profiles p ON p.user_id = u.id \
         WHERE f.{mine} = $1 AND u.banned_at IS NULL{visible} \
         AND (f.created_at < $2 OR (f.created_at = $2 AND f.{theirs} < $3)) \
         ORDER BY f.created_at DESC, f.{theirs} DESC LIMIT $4"
    )))
    .bind(user)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

/// Subjects of several users in one query: (user_id, subject).
pub async fn select_subjects_of(
    db: &Db,
    user_ids: &[UserId],
) -> sqlx::Result<Vec<(UserId, String)>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT user_id, subject FROM tutor_subjects WHERE user_id IN (");
    q.push_list(user_ids.iter().copied())
        .push(") ORDER BY user_id, subject");
    q.query_as().fetch_all(db.r()).await
}

/// A person as an author line shows them.
#[derive(sqlx::FromRow)]
pub struct AuthorRow {
    pub id: UserId,
    pub handle: String,
    pub display_name: String,
    pub avatar_key: Option<String>,
}

/// Author lines of several people in one query (`crate::people::authors`).
pub async fn select_authors(db: &Db, ids: &[UserId]) -> sqlx::Result<Vec<AuthorRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(
        "SELECT u.id, u.handle, u.display_name, p.avatar_key FROM users u \
         LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id IN (",
    );
    q.push_list(ids.iter().copied()).push(")");
    q.query_as().fetch_all(db.r()).await
}

/// The people who follow `user` (for fan-outs).
pub async fn follower_ids(db: &Db, user: UserId) -> sqlx::Result<Vec<UserId>> {
    let rows: Vec<(UserId,)> =
        sqlx::query_as("SELECT follower_id FROM follows WHERE followee_id = $1")
            .bind(user)
            .fetch_all(db.r())
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// E-mail preferences that differ from the default, as (kind, on).
pub async fn select_notification_prefs(
    db: &Db,
    user_id: UserId,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT kind, email FROM notification_prefs WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(db.r())
        .await
}

pub async fn upsert_notification_pref(
    db: &Db,
    user_id: UserId,
    kind: &str,
    on: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notification_prefs (user_id, kind, email) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email",
    )
    .bind(user_id)
    .bind(kind)
    .bind(on as i64)
    .execute(db.w())
    .await?;
    Ok(())
}

/// Whether a user wants e-mail of this kind (on unless switched off). Used by later features.
pub async fn wants_email(db: &Db, user_id: UserId, kind: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT email FROM notification_prefs WHERE user_id = $1 AND kind = $2")
            .bind(user_id)
            .bind(kind)
            .fetch_optional(db.r())
            .await?;
    Ok(row.is_none_or(|r| r.0 == 1))
}

pub async fn update_visibility(
    db: &Db,
    user_id: UserId,
    visibility: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE profiles SET visibility = $1, updated_at = $2 WHERE user_id = $3")
        .bind(visibility)
        .bind(now)
        .bind(user_id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Public, confirmed profiles for the sitemap: (handle, updated_at), by id after `after_id`.
pub async fn list_sitemap_profiles(
    db: &Db,
    after_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT u.id, u.handle, p.updated_at FROM users u JOIN profiles p ON p.user_id = u.id \
         WHERE p.visibility = 'public' AND u.email_confirmed_at IS NOT NULL AND u.banned_at IS NULL AND u.id > $1 ORDER BY u.id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}
