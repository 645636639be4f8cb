//! Enrollment, progress, authors' figures and the sitemap.

use super::*;

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
