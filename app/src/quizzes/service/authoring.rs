//! Authoring: the editor's read of a quiz, saving a new version, checking a quiz file, deleting.

use super::{IMPORT_MAX_BYTES, course_for, lesson_of, version_and_spec};
use crate::error::{AppError, FieldError, Msg};
use crate::ids::{CourseId, LessonId, QuizId};
use crate::quizzes::{QuizEdit, QuizSpec, access, db, format, to_app_error, validate};
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms, sha256_hex};

/// The quiz of a lesson (or, with `lesson` `None`, the course's final exam) as its author edits
/// it; `None` when there is none yet. The course's author and admins. Errors: `NotFound` (no
/// such course or lesson, the lesson is in another course, or not the author).
pub async fn get_quiz_for_edit(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    lesson: Option<LessonId>,
) -> Result<Option<QuizEdit>, AppError> {
    course_for(st, actor, course, access::may_edit).await?;
    lesson_of(st, course, lesson).await?;
    let Some(quiz) = db::select_quiz_for(&st.db, course, lesson).await? else {
        return Ok(None);
    };
    let (_, spec) = version_and_spec(st, quiz.current_version_id).await?;
    Ok(Some(QuizEdit {
        id: quiz.id.get(),
        text: format::to_text(&spec),
        spec: (*spec).clone(),
        attempts_count: db::count_attempts(&st.db, quiz.id).await?,
    }))
}

/// Saves the quiz of a lesson (or, with `lesson` `None`, the course's final exam) as a new
/// version, tidied and validated; attempts in progress keep grading against the version they
/// started with. The course's author. Returns the quiz id. Errors: `NotFound` (not the author,
/// or the lesson is not in this course), `Validation` (fields named by `QuizField::name`).
pub async fn save_quiz(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    lesson: Option<LessonId>,
    mut spec: QuizSpec,
) -> Result<QuizId, AppError> {
    course_for(st, actor, course, access::may_write).await?;
    lesson_of(st, course, lesson).await?;
    spec.tidy();
    validate(&spec).map_err(|p| to_app_error(&p))?;
    let json = serde_json::to_string(&spec).map_err(|_| AppError::Internal)?;
    let hash = sha256_hex(&json);
    let s = &spec.settings;
    let version = db::NewVersion {
        spec_json: &json,
        spec_hash: &hash,
        title: &s.title,
        questions_count: spec.questions.len() as i64,
        total_points: i64::from(spec.total_points()),
        pass_percent: i64::from(s.pass_percent),
        attempts_allowed: s.attempts.map(i64::from),
        time_limit_s: s.time_limit_minutes.map(|m| i64::from(m) * 60),
        shuffle_questions: s.shuffle_questions,
        shuffle_options: s.shuffle_options,
    };
    let id = db::save_version(&st.db, course, lesson, &version, now_ms()).await?;
    if let Some(lesson) = lesson {
        // The lesson then refuses "Mark as complete": passing this quiz completes it.
        crate::courses::db::set_quiz_required(&st.db, lesson, s.pass_required).await?;
    }
    Ok(id)
}

/// Import problems as a validation error: one field `line:N` per problem.
fn import_error(errors: &[format::ImportError]) -> AppError {
    AppError::Validation(
        errors
            .iter()
            .map(|e| FieldError {
                field: format!("line:{}", e.line),
                msg: e.msg,
            })
            .collect(),
    )
}

/// Reads a quiz file (the text format, or JSON with `json`) and checks it; saves nothing.
/// Tutors. Errors: `Forbidden`, `Validation` with one field `line:N` per problem (1-based;
/// problems of a JSON file that parsed are reported at the lines of its text form,
/// [`format::to_text`]).
pub fn import_quiz(actor: &Actor, text: &str, json: bool) -> Result<QuizSpec, AppError> {
    if !access::may_import(actor) {
        return Err(AppError::Forbidden);
    }
    if text.len() > IMPORT_MAX_BYTES {
        return Err(AppError::field(
            "line:1",
            Msg::TooLong {
                max: IMPORT_MAX_BYTES as u32,
            },
        ));
    }
    let mut spec = if json {
        from_json_checked(text)?
    } else {
        format::parse_text(text).map_err(|e| import_error(&e))?
    };
    spec.tidy();
    Ok(spec)
}

/// A JSON quiz file, tidied and validated; problems at the lines of its text form, where every
/// problem has one (else at line 1).
fn from_json_checked(text: &str) -> Result<QuizSpec, AppError> {
    let mut spec = format::from_json(text).map_err(|e| import_error(&[e]))?;
    spec.tidy();
    let Err(problems) = validate(&spec) else {
        return Ok(spec);
    };
    Err(match format::parse_text(&format::to_text(&spec)) {
        Err(errors) if !errors.is_empty() => import_error(&errors),
        _ => import_error(
            &problems
                .iter()
                .map(|p| format::ImportError {
                    line: 1,
                    msg: p.msg,
                })
                .collect::<Vec<_>>(),
        ),
    })
}

/// Deletes a quiz of a course with all its attempts. The course's author. Errors: `NotFound`.
pub async fn delete_quiz(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    quiz: QuizId,
) -> Result<(), AppError> {
    course_for(st, actor, course, access::may_write).await?;
    let lesson = db::select_quiz(&st.db, quiz)
        .await?
        .and_then(|q| q.lesson_id);
    if !db::delete_quiz(&st.db, course, quiz).await? {
        return Err(AppError::NotFound);
    }
    if let Some(lesson) = lesson {
        crate::courses::db::set_quiz_required(&st.db, lesson, false).await?;
    }
    Ok(())
}
