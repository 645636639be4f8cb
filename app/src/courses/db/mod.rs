//! SQL of courses, lessons, enrollments, orders and progress.
//!
//! Rows carry typed ids (`CourseId`, `LessonId`, …), the course's `Status`, `Level` and
//! `Changes` as enums and 0/1 columns as `bool`, so that an argument in the wrong place (a user
//! for a course) does not compile.

use super::{Changes, CleanCourse, Level, Status};
use crate::ids::{
    AttachmentId, CourseId, Flag, LessonId, OrderId, SectionId, UserId, VideoId, flag,
};
use crate::server::db::{Backend, Db};
use crate::server::search;
use crate::server::sql::{Sql, placeholders};

mod catalog;
mod learning;
mod structure;

pub use catalog::*;
pub use learning::*;
pub use structure::*;

#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct CourseRow {
    pub id: CourseId,
    pub slug: String,
    pub author_id: UserId,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub outcomes: String,
    pub category: String,
    #[sqlx(try_from = "String")]
    pub level: Level,
    pub language: String,
    pub price_minor: i64,
    pub currency: String,
    pub cover_key: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub pending_title: Option<String>,
    pub pending_description: Option<String>,
    /// Where a published course's pending title and description are.
    #[sqlx(try_from = "String")]
    pub changes_state: Changes,
    pub review_feedback: Option<String>,
    pub submitted_at: Option<i64>,
    pub published_at: Option<i64>,
    pub structure_version: i64,
    pub lessons_count: i64,
    pub duration_ms: i64,
    pub enrollments_count: i64,
    pub rating_x100: i64,
    pub rating_count: i64,
    pub created_at: i64,
}

const COLS: &str = "c.id, c.slug, c.author_id, c.title, c.description, c.description_html, c.outcomes, c.category, c.level, \
    c.language, c.price_minor, c.currency, c.cover_key, c.status, c.pending_title, c.pending_description, c.changes_state, \
    c.review_feedback, c.submitted_at, c.published_at, c.structure_version, c.lessons_count, c.duration_ms, c.enrollments_count, \
    c.rating_x100, c.rating_count, c.created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SectionRow {
    pub id: SectionId,
    pub title: String,
    pub position: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LessonRow {
    pub id: LessonId,
    pub section_id: SectionId,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub video_id: Option<VideoId>,
    /// Open to everyone once the course is public.
    #[sqlx(try_from = "Flag")]
    pub free_preview: bool,
    pub position: i64,
    /// Completed only by passing its quiz (see [`set_quiz_required`]).
    #[sqlx(try_from = "Flag")]
    pub quiz_required: bool,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: AttachmentId,
    pub lesson_id: LessonId,
    pub name: String,
    pub storage_key: String,
    pub size_bytes: i64,
    pub mime: String,
}

pub async fn slug_taken(db: &Db, slug: &str, except: CourseId) -> sqlx::Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as("SELECT id FROM courses WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except)
        .fetch_optional(db.r())
        .await?;
    Ok(r.is_some())
}

/// Creates a draft course; `None` when the slug is taken.
pub async fn insert_course(
    db: &Db,
    author: UserId,
    c: &CleanCourse,
    html: &str,
    search_doc: &str,
    now: i64,
) -> sqlx::Result<Option<CourseId>> {
    let r: Option<(CourseId,)> = sqlx::query_as(
        "INSERT INTO courses (slug, author_id, title, description, description_html, outcomes, category, level, language, \
         price_minor, currency, status, search_doc, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $13) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(&c.slug)
    .bind(author)
    .bind(&c.title)
    .bind(&c.description)
    .bind(html)
    .bind(&c.outcomes)
    .bind(&c.category)
    .bind(c.level.code())
    .bind(&c.language)
    .bind(c.price_minor)
    .bind(&c.currency)
    .bind(search_doc)
    .bind(now)
    .fetch_optional(db.w())
    .await?;
    Ok(r.map(|r| r.0))
}

/// Saves the course form. On a draft the title and description change at once; on a published
/// course they wait in `pending_*` for review (`changes_state = 'editing'`); a form that brings
/// back the live title and description withdraws what was pending.
pub async fn update_course(
    db: &Db,
    row: &CourseRow,
    c: &CleanCourse,
    html: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let live = matches!(row.status, Status::Published | Status::Archived);
    let text_changed = c.title != row.title || c.description != row.description;
    let mut q = Sql::new("UPDATE courses SET slug = ");
    q.push_bind(c.slug.clone());
    q.push(", outcomes = ").push_bind(c.outcomes.clone());
    q.push(", category = ").push_bind(c.category.clone());
    q.push(", level = ").push_bind(c.level.code().to_string());
    q.push(", language = ").push_bind(c.language.clone());
    q.push(", price_minor = ").push_bind(c.price_minor);
    q.push(", currency = ").push_bind(c.currency.clone());
    match (live, text_changed) {
        (true, true) => {
            q.push(", pending_title = ").push_bind(c.title.clone());
            q.push(", pending_description = ")
                .push_bind(c.description.clone());
            q.push(", changes_state = ")
                .push_bind(Changes::Editing.code().to_string());
        }
        (true, false) => {
            q.push(", pending_title = NULL, pending_description = NULL, changes_state = ");
            q.push_bind(Changes::None.code().to_string());
        }
        (false, _) => {
            q.push(", title = ").push_bind(c.title.clone());
            q.push(", description = ").push_bind(c.description.clone());
            q.push(", description_html = ").push_bind(html.to_string());
        }
    }
    q.push(", updated_at = ").push_bind(now);
    q.push(" WHERE id = ").push_bind(row.id);
    let n = q.query().execute(db.w()).await?.rows_affected();
    Ok(n == 1)
}

pub async fn select_course(db: &Db, id: CourseId) -> sqlx::Result<Option<CourseRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM courses c WHERE c.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// Deletes a course that nobody is enrolled in (one guarded statement: a learner who enrolls at
/// the same moment keeps the course). Its sections, lessons, attachments and quizzes go with it
/// (foreign keys); orders and certificates refer to it without a key and stay. False when it
/// has learners (or is gone).
pub async fn delete_course_without_learners(db: &Db, id: CourseId) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "DELETE FROM courses WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM enrollments WHERE course_id = $1)",
    )
    .bind(id)
    .execute(db.w())
    .await?
    .rows_affected()
        == 1)
}

pub async fn select_course_by_slug(db: &Db, slug: &str) -> sqlx::Result<Option<CourseRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM courses c WHERE c.slug = $1"
    )))
    .bind(slug)
    .fetch_optional(db.r())
    .await
}

pub async fn select_courses(db: &Db, ids: &[CourseId]) -> sqlx::Result<Vec<CourseRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLS} FROM courses c WHERE c.id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

pub async fn list_by_author(db: &Db, author: UserId) -> sqlx::Result<Vec<CourseRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM courses c WHERE c.author_id = $1 ORDER BY c.id DESC LIMIT 200"
    )))
    .bind(author)
    .fetch_all(db.r())
    .await
}

/// The moderation queue: courses in review and published courses with changes in review, oldest first.
pub async fn review_queue(db: &Db) -> sqlx::Result<Vec<CourseRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM courses c WHERE c.status = 'review' OR (c.status = 'published' AND c.changes_state = 'review') \
         ORDER BY c.submitted_at, c.id LIMIT 200"
    )))
    .fetch_all(db.r())
    .await
}

/// Moves a course from `from` to `to` (with the given side effects); false when it was not in `from`.
pub async fn set_status(
    ex: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: CourseId,
    from: Status,
    to: Status,
    feedback: Option<&str>,
    now: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE courses SET status = $1, review_feedback = COALESCE($2, review_feedback), \
         submitted_at = CASE WHEN $1 = 'review' THEN $3 ELSE submitted_at END, \
         published_at = CASE WHEN $1 = 'published' THEN COALESCE(published_at, $3) ELSE published_at END, updated_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(feedback)
    .bind(now)
    .bind(id)
    .bind(from.code())
    .execute(ex)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Moves the pending title/description of a published course: submit (editing/returned → review),
/// approve (review → applied), return (review → returned).
pub async fn set_changes(
    ex: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: CourseId,
    from: &[Changes],
    to: Changes,
    feedback: Option<&str>,
    html: Option<&str>,
    now: i64,
) -> sqlx::Result<bool> {
    let apply = to == Changes::None;
    // Codes from the enum, never from input: safe to write into the text.
    let states = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE courses SET changes_state = $1, review_feedback = COALESCE($2, review_feedback), \
         submitted_at = CASE WHEN $1 = 'review' THEN $3 ELSE submitted_at END, \
         title = CASE WHEN $4 = 1 THEN COALESCE(pending_title, title) ELSE title END, \
         description = CASE WHEN $4 = 1 THEN COALESCE(pending_description, description) ELSE description END, \
         description_html = CASE WHEN $4 = 1 THEN COALESCE($5, description_html) ELSE description_html END, \
         pending_title = CASE WHEN $4 = 1 THEN NULL ELSE pending_title END, \
         pending_description = CASE WHEN $4 = 1 THEN NULL ELSE pending_description END, updated_at = $3 \
         WHERE id = $6 AND status = 'published' AND changes_state IN ({states})"
    );
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to.code())
        .bind(feedback)
        .bind(now)
        .bind(flag(apply))
        .bind(html)
        .bind(id)
        .execute(ex)
        .await?
        .rows_affected();
    Ok(n == 1)
}

pub async fn set_search_doc(db: &Db, id: CourseId, doc: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE courses SET search_doc = $1 WHERE id = $2")
        .bind(doc)
        .bind(id)
        .execute(db.w())
        .await?;
    Ok(())
}

pub async fn set_cover(
    db: &Db,
    id: CourseId,
    key: Option<&str>,
    now: i64,
) -> sqlx::Result<Option<String>> {
    let mut tx = db.w().begin().await?;
    let old: Option<(Option<String>,)> =
        sqlx::query_as("SELECT cover_key FROM courses WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("UPDATE courses SET cover_key = $1, updated_at = $2 WHERE id = $3")
        .bind(key)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(old.and_then(|o| o.0))
}
