//! Server functions of courses: thin adapters over `service` (who is acting, raw ids to
//! newtypes, the page's HTTP status). Each states who may call it.

use super::{
    AuthorCourse, CatalogPage, CatalogQuery, CourseCard, CourseDetail, CourseDraft, CourseForm,
    LearningItem, LessonView,
};
pub use super::{Deleted, Enrolled};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ids::{AttachmentId, CourseId, LessonId, SectionId},
    crate::server::{auth, request::set_status, state},
};

// ---------------- authoring ----------------

/// Creates a draft course. Tutors only. Errors: `NotAuthenticated`, `Forbidden`, `Validation`
/// (with `SlugTaken`).
#[server(endpoint = "courses/create", input = Json)]
pub async fn create_course(form: CourseForm) -> Result<i64, AppError> {
    let id = service::create_course(&state(), &auth::actor()?, &form).await?;
    Ok(id.get())
}

/// The course as its author edits it. The author (or an admin) only. Errors: `NotAuthenticated`,
/// `NotFound`.
#[server(endpoint = "courses/draft")]
pub async fn get_course_draft(id: i64) -> Result<CourseDraft, AppError> {
    service::get_course_draft(&state(), &auth::actor()?, CourseId(id)).await
}

/// Saves the course form. The author only. On a published course a new title or description
/// waits for review. Errors: `NotAuthenticated`, `NotFound`, `Validation` (with `SlugTaken`).
#[server(endpoint = "courses/update", input = Json)]
pub async fn update_course(id: i64, form: CourseForm) -> Result<(), AppError> {
    service::update_course(&state(), &auth::actor()?, CourseId(id), &form).await
}

/// Adds a section. The author only. Errors: `NotAuthenticated`, `NotFound`, `Validation`.
#[server(endpoint = "courses/section-add")]
pub async fn add_section(course: i64, title: String) -> Result<i64, AppError> {
    let id = service::add_section(&state(), &auth::actor()?, CourseId(course), &title).await?;
    Ok(id.get())
}

/// Renames a section. The author only. Errors: `NotAuthenticated`, `NotFound`, `Validation`.
#[server(endpoint = "courses/section-rename")]
pub async fn rename_section(course: i64, id: i64, title: String) -> Result<(), AppError> {
    let (course, id) = (CourseId(course), SectionId(id));
    service::rename_section(&state(), &auth::actor()?, course, id, &title).await
}

/// Deletes a section and its lessons. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/section-delete")]
pub async fn delete_section(course: i64, id: i64) -> Result<(), AppError> {
    let (course, id) = (CourseId(course), SectionId(id));
    service::delete_section(&state(), &auth::actor()?, course, id).await
}

/// Adds a lesson to a section of the course. The author only. Errors: `NotAuthenticated`,
/// `NotFound` (course, or a section of another course), `Validation`.
#[server(endpoint = "courses/lesson-add")]
pub async fn add_lesson(course: i64, section: i64, title: String) -> Result<i64, AppError> {
    let (course, section) = (CourseId(course), SectionId(section));
    let id = service::add_lesson(&state(), &auth::actor()?, course, section, &title).await?;
    Ok(id.get())
}

/// Saves a lesson: title, Markdown body, one of the author's videos ("" for none), free preview.
/// The author only. Errors: `NotAuthenticated`, `NotFound` (a lesson of another course),
/// `Validation`.
#[server(endpoint = "courses/lesson-update", input = Json)]
pub async fn update_lesson(
    course: i64,
    id: i64,
    title: String,
    body: String,
    video: String,
    free_preview: bool,
) -> Result<(), AppError> {
    let lesson = service::LessonUpdate {
        title,
        body,
        video,
        free_preview,
    };
    let (course, id) = (CourseId(course), LessonId(id));
    service::update_lesson(&state(), &auth::actor()?, course, id, &lesson).await
}

/// Deletes a lesson. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/lesson-delete")]
pub async fn delete_lesson(course: i64, id: i64) -> Result<(), AppError> {
    let (course, id) = (CourseId(course), LessonId(id));
    service::delete_lesson(&state(), &auth::actor()?, course, id).await
}

/// Reorders sections and lessons: `layout` lists every section with its lessons, in order;
/// `version` is the structure version the editor saw. The author only. Errors:
/// `NotAuthenticated`, `NotFound`, `Conflict(StructureChanged)` when someone changed the course
/// meanwhile, `BadRequest` when the layout is not exactly this course's sections and lessons.
#[server(endpoint = "courses/reorder", input = Json)]
pub async fn reorder_course(
    course: i64,
    version: i64,
    layout: Vec<(i64, Vec<i64>)>,
) -> Result<i64, AppError> {
    let layout: Vec<(SectionId, Vec<LessonId>)> = layout
        .into_iter()
        .map(|(s, ls)| (SectionId(s), ls.into_iter().map(LessonId).collect()))
        .collect();
    let (st, actor) = (state(), auth::actor()?);
    service::reorder_course(&st, &actor, CourseId(course), version, &layout).await
}

/// Removes an attachment. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/attachment-delete")]
pub async fn delete_attachment(course: i64, id: i64) -> Result<(), AppError> {
    let (course, id) = (CourseId(course), AttachmentId(id));
    service::delete_attachment(&state(), &auth::actor()?, course, id).await
}

/// Sends a draft for review (or a published course's pending changes). The author only. Errors:
/// `NotAuthenticated`, `NotFound`, `Conflict(IllegalTransition)`, `Validation(CourseIncomplete)`.
#[server(endpoint = "courses/submit")]
pub async fn submit_course(id: i64) -> Result<(), AppError> {
    service::submit_course(&state(), &auth::actor()?, CourseId(id)).await
}

/// Archives a published course: no new enrollments; learners keep access. The author or a
/// moderator. Errors: `NotAuthenticated`, `NotFound`, `Conflict(IllegalTransition)`.
#[server(endpoint = "courses/archive")]
pub async fn archive_course(id: i64) -> Result<(), AppError> {
    service::archive_course(&state(), &auth::actor()?, CourseId(id)).await
}

/// Deletes a course: the author or an admin. A course with learners is archived instead.
/// Errors: `NotAuthenticated`, `NotFound` (not theirs).
#[server(endpoint = "courses/delete")]
pub async fn delete_course(id: i64) -> Result<Deleted, AppError> {
    service::delete_course(&state(), &auth::actor()?, CourseId(id)).await
}

// ---------------- moderation ----------------

/// The review queue, oldest first, without the moderator's own courses (admins see all).
/// Moderators only. Errors: `NotAuthenticated`, `Forbidden`.
#[server(endpoint = "courses/queue")]
pub async fn review_queue() -> Result<Vec<CourseCard>, AppError> {
    service::review_queue(&state(), &auth::actor()?).await
}

/// Approves a course (or its pending changes), or returns it to its author with `feedback`.
/// Moderators only (not of their own course). Errors: `NotAuthenticated`, `Forbidden`,
/// `NotFound`, `Conflict(IllegalTransition)`, `Validation(Required)` for a return without
/// feedback.
#[server(endpoint = "courses/moderate")]
pub async fn moderate_course(
    id: i64,
    approve: bool,
    #[server(default)] feedback: String,
) -> Result<(), AppError> {
    let (st, actor) = (state(), auth::actor()?);
    service::moderate_course(&st, &actor, CourseId(id), approve, &feedback).await
}

// ---------------- learners ----------------

/// A tutor's published courses, for their profile. Anyone. Errors: `NotFound`.
#[server(endpoint = "courses/by-tutor")]
pub async fn courses_by_tutor(handle: String) -> Result<Vec<CourseCard>, AppError> {
    service::by_tutor(&state(), auth::current().as_ref(), &handle).await
}

/// A catalog page: published courses matching the query, with the number of matches. Anyone.
/// Errors: `BadRequest` (a malformed cursor or filter).
#[server(endpoint = "courses/catalog", input = Json)]
pub async fn list_catalog(query: CatalogQuery) -> Result<CatalogPage, AppError> {
    service::list_catalog(&state(), &query).await
}

/// A course page. Anyone for published and archived courses; the author and moderators also
/// for drafts and courses in review (the moderator's preview). Errors: `NotFound` (also the
/// page's status, as for any error).
#[server(endpoint = "courses/get")]
pub async fn get_course(slug: String) -> Result<CourseDetail, AppError> {
    service::get_course(&state(), auth::current().as_ref(), &slug)
        .await
        .inspect_err(|_| set_status(404))
}

/// Enrolls in a free course, or starts the checkout of a paid one. Signed-in people. Errors:
/// `NotAuthenticated`, `NotFound`, `Conflict(AlreadyEnrolled)`, `Conflict(CourseNotOpen)` for a
/// draft, a course in review or an archived course.
#[server(endpoint = "courses/enroll")]
pub async fn enroll(course: i64) -> Result<Enrolled, AppError> {
    service::enroll(&state(), &auth::actor()?, CourseId(course)).await
}

/// A lesson in the player. Enrolled learners, the author, moderators; everyone for a free
/// preview. Errors: `NotFound`, `Forbidden` (not enrolled; also the page's status 403).
#[server(endpoint = "courses/lesson")]
pub async fn get_lesson(slug: String, lesson: i64) -> Result<LessonView, AppError> {
    let viewer = auth::current();
    service::get_lesson(&state(), viewer.as_ref(), &slug, LessonId(lesson))
        .await
        .inspect_err(|e| {
            if *e == AppError::Forbidden {
                set_status(403);
            }
        })
}

/// Records where the learner is in a lesson's video; a video watched to 90 % completes the lesson.
/// The client's `duration_ms` is not trusted: the stored video's length counts.
/// Enrolled learners. Errors: `NotAuthenticated`, `NotFound`, `Forbidden`.
#[server(endpoint = "courses/progress")]
pub async fn save_lesson_progress(
    lesson: i64,
    position_ms: i64,
    duration_ms: i64,
) -> Result<bool, AppError> {
    let _client_duration = duration_ms;
    let (st, actor) = (state(), auth::actor()?);
    service::save_lesson_progress(&st, &actor, LessonId(lesson), position_ms).await
}

/// Marks a lesson complete. Enrolled learners. Errors: `NotAuthenticated`, `NotFound`, `Forbidden`.
#[server(endpoint = "courses/complete")]
pub async fn complete_lesson(lesson: i64) -> Result<(), AppError> {
    service::complete_lesson(&state(), &auth::actor()?, LessonId(lesson)).await
}

/// The signed-in learner's courses: in progress (with percent and where to continue) and completed.
/// Errors: `NotAuthenticated`.
#[server(endpoint = "courses/learning")]
pub async fn my_learning() -> Result<Vec<LearningItem>, AppError> {
    service::my_learning(&state(), &auth::actor()?).await
}

/// The signed-in tutor's courses with enrollments, completion rate and average progress.
/// Errors: `NotAuthenticated`.
#[server(endpoint = "courses/mine")]
pub async fn my_courses() -> Result<Vec<AuthorCourse>, AppError> {
    service::my_courses(&state(), &auth::actor()?).await
}
