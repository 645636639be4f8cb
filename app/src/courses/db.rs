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

// ---- structure ----

pub async fn sections(db: &Db, course: CourseId) -> sqlx::Result<Vec<SectionRow>> {
    sqlx::query_as("SELECT id, title, position FROM course_sections WHERE course_id = $1 ORDER BY position, id").bind(course).fetch_all(db.r()).await
}

pub async fn lessons(db: &Db, course: CourseId) -> sqlx::Result<Vec<LessonRow>> {
    sqlx::query_as(
        "SELECT l.id, l.section_id, l.title, l.body, l.body_html, l.video_id, l.free_preview, l.position, l.quiz_required FROM lessons l \
         JOIN course_sections s ON s.id = l.section_id WHERE l.course_id = $1 ORDER BY s.position, s.id, l.position, l.id",
    )
    .bind(course)
    .fetch_all(db.r())
    .await
}

/// Whether `lesson` is completed only by passing its quiz; written by quizzes when a lesson's
/// quiz is saved (its "required" setting) or deleted.
pub async fn set_quiz_required(db: &Db, lesson: LessonId, required: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE lessons SET quiz_required = $1 WHERE id = $2")
        .bind(flag(required))
        .bind(lesson)
        .execute(db.w())
        .await?;
    Ok(())
}

/// A lesson with the id of its course.
pub async fn select_lesson(db: &Db, id: LessonId) -> sqlx::Result<Option<(CourseId, LessonRow)>> {
    #[derive(sqlx::FromRow)]
    struct L {
        course_id: CourseId,
        #[sqlx(flatten)]
        lesson: LessonRow,
    }
    let r: Option<L> = sqlx::query_as(
        "SELECT course_id, id, section_id, title, body, body_html, video_id, free_preview, position, quiz_required FROM lessons WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.r())
    .await?;
    Ok(r.map(|l| (l.course_id, l.lesson)))
}

/// Bumps the structure version and recounts lessons and duration (after any structure change).
async fn touch_structure(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    course: CourseId,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE courses SET structure_version = structure_version + 1, updated_at = $1, \
         lessons_count = (SELECT COUNT(*) FROM lessons WHERE course_id = $2), \
         duration_ms = (SELECT COALESCE(SUM(v.duration_ms), 0) FROM lessons l JOIN videos v ON v.id = l.video_id WHERE l.course_id = $2) \
         WHERE id = $2",
    )
    .bind(now)
    .bind(course)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_section(
    db: &Db,
    course: CourseId,
    title: &str,
    now: i64,
) -> sqlx::Result<SectionId> {
    let mut tx = db.w().begin().await?;
    let (id,): (SectionId,) = sqlx::query_as(
        "INSERT INTO course_sections (course_id, title, position) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM course_sections WHERE course_id = $1)) RETURNING id",
    )
    .bind(course)
    .bind(title)
    .fetch_one(&mut *tx)
    .await?;
    touch_structure(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_section(
    db: &Db,
    course: CourseId,
    id: SectionId,
    title: &str,
) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("UPDATE course_sections SET title = $1 WHERE id = $2 AND course_id = $3")
            .bind(title)
            .bind(id)
            .bind(course)
            .execute(db.w())
            .await?
            .rows_affected()
            == 1,
    )
}

pub async fn delete_section(
    db: &Db,
    course: CourseId,
    id: SectionId,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let n = sqlx::query("DELETE FROM course_sections WHERE id = $1 AND course_id = $2")
        .bind(id)
        .bind(course)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    touch_structure(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn insert_lesson(
    db: &Db,
    course: CourseId,
    section: SectionId,
    title: &str,
    now: i64,
) -> sqlx::Result<Option<LessonId>> {
    let mut tx = db.w().begin().await?;
    let ok: Option<(SectionId,)> =
        sqlx::query_as("SELECT id FROM course_sections WHERE id = $1 AND course_id = $2")
            .bind(section)
            .bind(course)
            .fetch_optional(&mut *tx)
            .await?;
    if ok.is_none() {
        return Ok(None);
    }
    let (id,): (LessonId,) = sqlx::query_as(
        "INSERT INTO lessons (course_id, section_id, title, position, created_at, updated_at) \
         VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM lessons WHERE section_id = $2), $4, $4) RETURNING id",
    )
    .bind(course)
    .bind(section)
    .bind(title)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    touch_structure(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(Some(id))
}

#[allow(clippy::too_many_arguments)]
pub async fn update_lesson(
    db: &Db,
    course: CourseId,
    id: LessonId,
    title: &str,
    body: &str,
    html: &str,
    video: Option<VideoId>,
    free: bool,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let n = sqlx::query(
        "UPDATE lessons SET title = $1, body = $2, body_html = $3, video_id = $4, free_preview = $5, updated_at = $6 WHERE id = $7 AND course_id = $8",
    )
    .bind(title)
    .bind(body)
    .bind(html)
    .bind(video)
    .bind(flag(free))
    .bind(now)
    .bind(id)
    .bind(course)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    touch_structure(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn delete_lesson(
    db: &Db,
    course: CourseId,
    id: LessonId,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let n = sqlx::query("DELETE FROM lessons WHERE id = $1 AND course_id = $2")
        .bind(id)
        .bind(course)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    touch_structure(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Applies a new order: sections in order, each with its lessons in order. Refused (false) when
/// the course's structure changed since `version`, or when the layout names anything that is not
/// exactly this course's sections and lessons.
pub async fn reorder(
    db: &Db,
    course: CourseId,
    version: i64,
    layout: &[(SectionId, Vec<LessonId>)],
    now: i64,
) -> sqlx::Result<Result<(), &'static str>> {
    let mut tx = db.w().begin().await?;
    // A conditional write, not a read: it locks the course row (PostgreSQL), so a concurrent
    // reorder with the same version waits here and then finds the version moved on.
    let locked = sqlx::query("UPDATE courses SET structure_version = structure_version WHERE id = $1 AND structure_version = $2")
        .bind(course)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if locked != 1 {
        return Ok(Err("stale"));
    }
    let secs: Vec<(SectionId,)> =
        sqlx::query_as("SELECT id FROM course_sections WHERE course_id = $1")
            .bind(course)
            .fetch_all(&mut *tx)
            .await?;
    let less: Vec<(LessonId,)> = sqlx::query_as("SELECT id FROM lessons WHERE course_id = $1")
        .bind(course)
        .fetch_all(&mut *tx)
        .await?;
    let mut want_s: Vec<SectionId> = secs.into_iter().map(|r| r.0).collect();
    let mut want_l: Vec<LessonId> = less.into_iter().map(|r| r.0).collect();
    let mut got_s: Vec<SectionId> = layout.iter().map(|(s, _)| *s).collect();
    let mut got_l: Vec<LessonId> = layout.iter().flat_map(|(_, l)| l.iter().copied()).collect();
    for v in [&mut want_s, &mut got_s] {
        v.sort_unstable();
    }
    for v in [&mut want_l, &mut got_l] {
        v.sort_unstable();
    }
    if want_s != got_s || want_l != got_l {
        return Ok(Err("mismatch"));
    }
    for (si, (section, lessons)) in layout.iter().enumerate() {
        sqlx::query("UPDATE course_sections SET position = $1 WHERE id = $2")
            .bind(si as i64 + 1)
            .bind(*section)
            .execute(&mut *tx)
            .await?;
        for (li, lesson) in lessons.iter().enumerate() {
            sqlx::query("UPDATE lessons SET section_id = $1, position = $2 WHERE id = $3")
                .bind(*section)
                .bind(li as i64 + 1)
                .bind(*lesson)
                .execute(&mut *tx)
                .await?;
        }
    }
    touch_structure(&mut tx, course, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub async fn attachments(db: &Db, lesson_ids: &[LessonId]) -> sqlx::Result<Vec<AttachmentRow>> {
    if lesson_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, lesson_id, name, storage_key, size_bytes, mime FROM lesson_attachments WHERE lesson_id IN ({}) ORDER BY id",
        placeholders(1, lesson_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in lesson_ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

pub async fn select_attachment(db: &Db, id: AttachmentId) -> sqlx::Result<Option<AttachmentRow>> {
    sqlx::query_as("SELECT id, lesson_id, name, storage_key, size_bytes, mime FROM lesson_attachments WHERE id = $1").bind(id).fetch_optional(db.r()).await
}

pub async fn insert_attachment(
    db: &Db,
    lesson: LessonId,
    name: &str,
    key: &str,
    size: i64,
    mime: &str,
    now: i64,
) -> sqlx::Result<AttachmentId> {
    let (id,): (AttachmentId,) = sqlx::query_as(
        "INSERT INTO lesson_attachments (lesson_id, name, storage_key, size_bytes, mime, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(lesson)
    .bind(name)
    .bind(key)
    .bind(size)
    .bind(mime)
    .bind(now)
    .fetch_one(db.w())
    .await?;
    Ok(id)
}

pub async fn delete_attachment(db: &Db, id: AttachmentId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM lesson_attachments WHERE id = $1")
        .bind(id)
        .execute(db.w())
        .await?;
    Ok(())
}

// ---- catalog ----

/// The WHERE clause of a catalog query (published courses only), on `q`.
fn filter(sql: &mut Sql, backend: Backend, q: &super::CatalogQuery, terms: &[String]) {
    sql.push(" WHERE c.status = 'published'");
    if !q.category.is_empty() {
        sql.and("c.category = {}", q.category.clone());
    }
    if !q.level.is_empty() {
        sql.and("c.level = {}", q.level.clone());
    }
    if !q.language.is_empty() {
        sql.and("c.language = {}", q.language.clone());
    }
    sql.push(match q.price.as_str() {
        "free" => " AND c.price_minor = 0",
        "paid" => " AND c.price_minor > 0",
        _ => "",
    });
    sql.push(match q.rating.as_str() {
        "4.5" => " AND c.rating_count > 0 AND c.rating_x100 >= 450",
        "4" => " AND c.rating_count > 0 AND c.rating_x100 >= 400",
        "3" => " AND c.rating_count > 0 AND c.rating_x100 >= 300",
        _ => "",
    });
    sql.push(match q.duration.as_str() {
        "short" => " AND c.duration_ms < 3600000",
        "medium" => " AND c.duration_ms >= 3600000 AND c.duration_ms <= 18000000",
        "long" => " AND c.duration_ms > 18000000",
        _ => "",
    });
    search::matching(sql, backend, "c", &SEARCH, terms);
}

/// Where the courses' search document is indexed.
const SEARCH: search::Index = search::Index {
    fts_table: "courses_fts",
    tsv_column: "search_tsv",
};

/// ORDER BY, and the keyset comparison after a cursor `(a, b)` written with `{a}`/`{b}`.
fn order(sort: &str) -> (&'static str, &'static str) {
    match sort {
        "newest" => (
            "c.published_at DESC, c.id DESC",
            "(c.published_at < {a} OR (c.published_at = {a} AND c.id < {b}))",
        ),
        "price" => (
            "c.price_minor ASC, c.id ASC",
            "(c.price_minor > {a} OR (c.price_minor = {a} AND c.id > {b}))",
        ),
        "price-desc" => (
            "c.price_minor DESC, c.id DESC",
            "(c.price_minor < {a} OR (c.price_minor = {a} AND c.id < {b}))",
        ),
        "rating" => (
            "c.rating_x100 DESC, c.id DESC",
            "(c.rating_x100 < {a} OR (c.rating_x100 = {a} AND c.id < {b}))",
        ),
        _ => (
            "c.enrollments_count DESC, c.id DESC",
            "(c.enrollments_count < {a} OR (c.enrollments_count = {a} AND c.id < {b}))",
        ),
    }
}

/// The sort key of a row for the cursor.
pub fn sort_key(sort: &str, c: &CourseRow) -> i64 {
    match sort {
        "newest" => c.published_at.unwrap_or(0),
        "price" | "price-desc" => c.price_minor,
        "rating" => c.rating_x100,
        _ => c.enrollments_count,
    }
}

/// A catalog keyset cursor: the sort key ([`sort_key`]) and the id of the last course shown.
pub type CatalogCursor = Option<(i64, CourseId)>;

/// One catalog page of published courses after the keyset cursor `after`.
pub async fn catalog_page(
    db: &Db,
    q: &super::CatalogQuery,
    terms: &[String],
    after: CatalogCursor,
    limit: i64,
) -> sqlx::Result<Vec<CourseRow>> {
    let (order_by, keyset) = order(&q.sort);
    let mut sql = Sql::new(&format!("SELECT {COLS} FROM courses c"));
    filter(&mut sql, db.backend(), q, terms);
    if let Some((a, b)) = after {
        let (a, b) = (sql.bind(a), sql.bind(b));
        sql.push(" AND ")
            .push(&keyset.replace("{a}", &a).replace("{b}", &b));
    }
    sql.push(" ORDER BY ")
        .push(order_by)
        .push(" LIMIT ")
        .push_bind(limit);
    sql.query_as().fetch_all(db.r()).await
}

/// How many published courses match the query (reads every match: callers cache it).
pub async fn catalog_count(
    db: &Db,
    q: &super::CatalogQuery,
    terms: &[String],
) -> sqlx::Result<i64> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM courses c");
    filter(&mut sql, db.backend(), q, terms);
    let (n,): (i64,) = sql.query_as().fetch_one(db.r()).await?;
    Ok(n)
}

// ---- enrollment, orders, progress ----

/// Enrolls; false when already enrolled. Moves the course's counter only for a new row.
pub async fn enroll(
    db: &Db,
    course: CourseId,
    user: UserId,
    order: Option<OrderId>,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let r: Option<(CourseId,)> = sqlx::query_as(
        "INSERT INTO enrollments (course_id, user_id, order_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT DO NOTHING RETURNING course_id",
    )
    .bind(course)
    .bind(user)
    .bind(order)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if r.is_some() {
        sqlx::query("UPDATE courses SET enrollments_count = enrollments_count + 1 WHERE id = $1")
            .bind(course)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(r.is_some())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EnrollmentRow {
    pub course_id: CourseId,
    pub last_lesson_id: Option<LessonId>,
    pub completed_lessons: i64,
    pub completed_at: Option<i64>,
    pub updated_at: i64,
}

pub async fn enrollment(
    db: &Db,
    course: CourseId,
    user: UserId,
) -> sqlx::Result<Option<EnrollmentRow>> {
    sqlx::query_as("SELECT course_id, last_lesson_id, completed_lessons, completed_at, updated_at FROM enrollments WHERE course_id = $1 AND user_id = $2")
        .bind(course)
        .bind(user)
        .fetch_optional(db.r())
        .await
}

pub async fn enrollments_of(db: &Db, user: UserId) -> sqlx::Result<Vec<EnrollmentRow>> {
    sqlx::query_as("SELECT course_id, last_lesson_id, completed_lessons, completed_at, updated_at FROM enrollments WHERE user_id = $1 ORDER BY updated_at DESC LIMIT 500")
        .bind(user)
        .fetch_all(db.r())
        .await
}

/// Per course of an author: (course_id, learners, completed learners, sum of completed lessons).
pub async fn author_stats(db: &Db, author: UserId) -> sqlx::Result<Vec<(CourseId, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT e.course_id, COUNT(*), CAST(SUM(CASE WHEN e.completed_at IS NULL THEN 0 ELSE 1 END) AS BIGINT), \
         CAST(SUM(e.completed_lessons) AS BIGINT) FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE c.author_id = $1 GROUP BY e.course_id",
    )
    .bind(author)
    .fetch_all(db.r())
    .await
}

/// Lesson ids the learner completed in a course.
pub async fn completed_lessons(
    db: &Db,
    user: UserId,
    course: CourseId,
) -> sqlx::Result<Vec<LessonId>> {
    let r: Vec<(LessonId,)> = sqlx::query_as("SELECT lesson_id FROM lesson_progress WHERE user_id = $1 AND course_id = $2 AND completed_at IS NOT NULL")
        .bind(user)
        .bind(course)
        .fetch_all(db.r())
        .await?;
    Ok(r.into_iter().map(|r| r.0).collect())
}

pub async fn lesson_position(db: &Db, user: UserId, lesson: LessonId) -> sqlx::Result<i64> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT last_position_ms FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2",
    )
    .bind(user)
    .bind(lesson)
    .fetch_optional(db.r())
    .await?;
    Ok(r.map(|r| r.0).unwrap_or(0))
}

/// Records a visit (and the video position); completes the lesson when `complete`. Keeps the
/// enrollment's "continue here" and completed-lesson count in step. Returns whether the course
/// became complete with this call.
pub async fn record_progress(
    db: &Db,
    user: UserId,
    course: CourseId,
    lesson: LessonId,
    position_ms: Option<i64>,
    complete: bool,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    sqlx::query(
        "INSERT INTO lesson_progress (user_id, lesson_id, course_id, started_at, completed_at, last_position_ms, updated_at) \
         VALUES ($1, $2, $3, $4, CASE WHEN $5 = 1 THEN $4 ELSE NULL END, COALESCE($6, 0), $4) \
         ON CONFLICT (user_id, lesson_id) DO UPDATE SET \
           completed_at = CASE WHEN $5 = 1 THEN COALESCE(lesson_progress.completed_at, $4) ELSE lesson_progress.completed_at END, \
           last_position_ms = COALESCE($6, lesson_progress.last_position_ms), updated_at = $4",
    )
    .bind(user)
    .bind(lesson)
    .bind(course)
    .bind(now)
    .bind(flag(complete))
    .bind(position_ms)
    .execute(&mut *tx)
    .await?;
    let (done,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM lesson_progress WHERE user_id = $1 AND course_id = $2 AND completed_at IS NOT NULL")
        .bind(user)
        .bind(course)
        .fetch_one(&mut *tx)
        .await?;
    let (total,): (i64,) = sqlx::query_as("SELECT lessons_count FROM courses WHERE id = $1")
        .bind(course)
        .fetch_one(&mut *tx)
        .await?;
    let finished: Option<(i64,)> = sqlx::query_as(
        "UPDATE enrollments SET last_lesson_id = $1, completed_lessons = $2, updated_at = $3, \
         completed_at = CASE WHEN $2 >= $4 AND $4 > 0 THEN COALESCE(completed_at, $3) ELSE completed_at END \
         WHERE course_id = $5 AND user_id = $6 RETURNING completed_at",
    )
    .bind(lesson)
    .bind(done)
    .bind(now)
    .bind(total)
    .bind(course)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?
    .and_then(|r: (Option<i64>,)| r.0.map(|t| (t,)));
    tx.commit().await?;
    Ok(finished.is_some_and(|(t,)| t == now))
}

/// Published courses for the sitemap, by id.
pub async fn list_sitemap(
    db: &Db,
    after_id: CourseId,
    limit: i64,
) -> sqlx::Result<Vec<(CourseId, String, i64)>> {
    sqlx::query_as("SELECT id, slug, updated_at FROM courses WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2")
        .bind(after_id)
        .bind(limit)
        .fetch_all(db.r())
        .await
}

/// What the lesson files of `author`'s courses take, for their quota.
pub async fn attachments_bytes_of(db: &Db, author: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(a.size_bytes), 0) AS BIGINT) FROM lesson_attachments a \
         JOIN lessons l ON l.id = a.lesson_id JOIN courses c ON c.id = l.course_id WHERE c.author_id = $1",
    )
    .bind(author)
    .fetch_one(db.r())
    .await?;
    Ok(n)
}
