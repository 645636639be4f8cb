//! Sections, lessons and their files.

use super::*;

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
    tx: &mut crate::server::db::Tx,
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
