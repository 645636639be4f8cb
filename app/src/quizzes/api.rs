//! Server functions of quizzes: thin adapters over `service` (who is acting, raw ids to
//! newtypes, the page's HTTP status). Each states who may call it; the rules themselves live in
//! `access` (built on the course's policy).

use super::{AttemptResult, AttemptView, QuizEdit, QuizOverview, QuizSpec, QuizSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ids::{AttemptId, CourseId, LessonId, QuizId},
    crate::server::{auth, state},
};

// ---------------- authoring ----------------

/// The quiz of a lesson (or, with `lesson` `None`, the course's final exam) as its author edits
/// it; `None` when there is none yet. The course's author and admins. Errors: `NotAuthenticated`,
/// `NotFound` (no such course or lesson, the lesson is in another course, or not the author).
#[server(endpoint = "quizzes/edit")]
pub async fn get_quiz_for_edit(
    course: i64,
    lesson: Option<i64>,
) -> Result<Option<QuizEdit>, AppError> {
    let actor = auth::actor()?;
    let lesson = lesson.map(LessonId);
    service::get_quiz_for_edit(&state(), &actor, CourseId(course), lesson).await
}

/// Saves the quiz of a lesson (or, with `lesson` `None`, the course's final exam) as a new
/// version; attempts in progress keep grading against the version they started with. The
/// course's author. Returns the quiz id. Errors: `NotAuthenticated`, `NotFound` (not the author,
/// or the lesson is not in this course), `Validation` (fields named by `QuizField::name`).
#[server(endpoint = "quizzes/save", input = Json)]
pub async fn save_quiz(course: i64, lesson: Option<i64>, spec: QuizSpec) -> Result<i64, AppError> {
    let actor = auth::actor()?;
    let lesson = lesson.map(LessonId);
    let id = service::save_quiz(&state(), &actor, CourseId(course), lesson, spec).await?;
    Ok(id.get())
}

/// Reads a quiz file (the text format, or JSON with `json`) and checks it; saves nothing.
/// Tutors. Errors: `NotAuthenticated`, `Forbidden`, `Validation` with one field `line:N` per
/// problem (1-based; problems of a JSON file that parsed are reported at the lines of its text
/// form, [`super::format::to_text`]).
#[server(endpoint = "quizzes/import")]
pub async fn import_quiz(text: String, json: bool) -> Result<QuizSpec, AppError> {
    service::import_quiz(&auth::actor()?, &text, json)
}

/// Deletes a quiz of a course with all its attempts. The course's author. Errors:
/// `NotAuthenticated`, `NotFound`.
#[server(endpoint = "quizzes/delete")]
pub async fn delete_quiz(course: i64, quiz: i64) -> Result<(), AppError> {
    let actor = auth::actor()?;
    service::delete_quiz(&state(), &actor, CourseId(course), QuizId(quiz)).await
}

// ---------------- learning ----------------

/// A course's quizzes (settings only) with the caller's best results. Anyone who may see the
/// course page. Errors: `NotFound`.
#[server(endpoint = "quizzes/for-course")]
pub async fn course_quizzes(course: i64) -> Result<Vec<QuizSummary>, AppError> {
    service::course_quizzes(&state(), auth::current().as_ref(), CourseId(course)).await
}

/// A quiz's start page: settings, the caller's attempts and best result. Enrolled learners, the
/// course's author, moderators and admins. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`.
#[server(name = GetQuizOverview, endpoint = "quizzes/overview")]
pub async fn quiz_overview(quiz: i64) -> Result<QuizOverview, AppError> {
    service::quiz_overview(&state(), &auth::actor()?, QuizId(quiz)).await
}

/// Starts an attempt, or continues the one in progress (same questions in the same order).
/// Enrolled learners and the course's author. The view has no correct answers and no
/// explanations. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`,
/// `Conflict(QuizNoAttemptsLeft)`.
#[server(endpoint = "quizzes/start")]
pub async fn start_attempt(quiz: i64) -> Result<AttemptView, AppError> {
    service::start_attempt(&state(), &auth::actor()?, QuizId(quiz)).await
}

/// Saves (or with `None`, clears) the answer to one question of an attempt in progress, in the
/// positions the learner sees. The learner who started it. Errors: `NotAuthenticated`,
/// `NotFound` (no such attempt, or someone else's), `BadRequest(QuizAnswerInvalid)` (no such
/// question in the attempt, or an answer that does not fit it), `Conflict(QuizAlreadySubmitted)`,
/// `Conflict(QuizTimeUp)` (past the deadline and its grace, also once the attempt was closed
/// for that reason).
#[server(endpoint = "quizzes/answer", input = Json)]
pub async fn save_answer(
    attempt: i64,
    question: i64,
    answer: Option<super::Answer>,
) -> Result<(), AppError> {
    let actor = auth::actor()?;
    let attempt = AttemptId(attempt);
    service::save_answer(&state(), &actor, attempt, question, answer.as_ref()).await
}

/// Submits an attempt: stores `answers` (in shown positions; answers to questions not in the
/// attempt, or that do not fit their question, are ignored), then grades everything saved
/// against the attempt's own version. Of concurrent submissions exactly one succeeds. Passing a
/// lesson's quiz completes the lesson. The learner who started it. Errors: `NotAuthenticated`,
/// `NotFound`, `Conflict(QuizAlreadySubmitted)`, `Conflict(QuizTimeUp)` (after the deadline and
/// its grace: `answers` are not stored and the attempt is closed with the answers saved before).
#[server(endpoint = "quizzes/submit", input = Json)]
pub async fn submit_attempt(
    attempt: i64,
    answers: Vec<(i64, super::Answer)>,
) -> Result<AttemptResult, AppError> {
    let actor = auth::actor()?;
    service::submit_attempt(&state(), &actor, AttemptId(attempt), &answers).await
}

/// A submitted attempt with its score, the correct answers and explanations. The learner who
/// made it, the course's author and moderators. Errors: `NotAuthenticated`, `NotFound`,
/// `Conflict(QuizNotSubmitted)`.
#[server(name = GetAttemptResult, endpoint = "quizzes/result")]
pub async fn attempt_result(attempt: i64) -> Result<AttemptResult, AppError> {
    service::attempt_result(&state(), &auth::actor()?, AttemptId(attempt)).await
}
