//! A course's quizzes, a quiz's start page, and what certificates ask of the final exam.

use super::{
    QuizContext, attempts::settle_expired, lesson_of, quiz_context, time_limit_minutes, to_u32,
};
use crate::courses;
use crate::error::AppError;
use crate::ids::{AttemptId, CourseId, LessonId, QuizId, UserId};
use crate::quizzes::{AttemptSummary, QuizOverview, QuizSummary, access, db};
use crate::server::AppState;
use crate::server::auth::Actor;

/// Attempts used, attempts left (on the quiz's current settings), best percent, passed.
pub(super) fn tally(
    attempts: &[db::AttemptRow],
    current: &db::VersionRow,
) -> (u32, Option<u32>, Option<u32>, bool) {
    let used = to_u32(attempts.iter().map(|a| a.number).max().unwrap_or(0));
    let left = current
        .attempts_allowed
        .map(|allowed| to_u32(allowed).saturating_sub(used));
    let done = attempts.iter().filter(|a| a.submitted_at.is_some());
    let best = done.clone().map(|a| to_u32(a.percent)).max();
    let passed = done.clone().any(|a| a.passed);
    (used, left, best, passed)
}

/// A course's quizzes (settings only) with the viewer's best results. Anyone who may see the
/// course page. Errors: `NotFound`.
pub async fn course_quizzes(
    st: &AppState,
    viewer: Option<&Actor>,
    course: CourseId,
) -> Result<Vec<QuizSummary>, AppError> {
    let c = courses::db::select_course(&st.db, course)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = courses::access::access(st, &c, viewer).await?;
    if !access::may_see(&a, &c) {
        return Err(AppError::NotFound);
    }
    let list = db::list_course_quizzes(&st.db, course).await?;
    let best = match viewer {
        Some(v) => {
            let ids: Vec<QuizId> = list.iter().map(|(q, _)| q.id).collect();
            db::best_results(&st.db, v.user, &ids).await?
        }
        None => Vec::new(),
    };
    Ok(list
        .into_iter()
        .map(|(q, v)| {
            let mine = best.iter().find(|b| b.quiz_id == q.id);
            QuizSummary {
                id: q.id.get(),
                lesson_id: q.lesson_id.map(LessonId::get),
                title: v.title.clone(),
                questions: v.questions_count,
                total_points: to_u32(v.total_points),
                pass_percent: to_u32(v.pass_percent),
                attempts_allowed: v.attempts_allowed.map(to_u32),
                time_limit_minutes: time_limit_minutes(&v),
                best_percent: mine.map(|b| to_u32(b.percent)),
                passed: mine.is_some_and(|b| b.passed),
            }
        })
        .collect())
}

/// A quiz's start page: settings, the actor's attempts and best result (an attempt whose time
/// ran out is closed first). Enrolled learners, the course's author, moderators and admins.
/// Errors: `Forbidden`, `NotFound`.
pub async fn quiz_overview(
    st: &AppState,
    actor: &Actor,
    quiz: QuizId,
) -> Result<QuizOverview, AppError> {
    let ctx = quiz_context(st, quiz, Some(actor)).await?;
    if !access::may_open(&ctx.access) {
        return Err(AppError::Forbidden);
    }
    if let Some(open) = db::open_attempt(&st.db, quiz, actor.user).await? {
        settle_expired(st, open).await?;
    }
    let current = db::select_version(&st.db, ctx.quiz.current_version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lesson_title = lesson_of(st, ctx.course.id, ctx.quiz.lesson_id).await?;
    let attempts = db::attempts_of(&st.db, quiz, actor.user).await?;
    Ok(overview(&ctx, &current, lesson_title, &attempts))
}

/// The start page of `ctx`'s quiz from its current version and the viewer's attempts.
fn overview(
    ctx: &QuizContext,
    current: &db::VersionRow,
    lesson_title: Option<String>,
    attempts: &[db::AttemptRow],
) -> QuizOverview {
    let (attempts_used, attempts_left, best_percent, passed) = tally(attempts, current);
    let in_progress = attempts
        .iter()
        .find(|a| a.submitted_at.is_none())
        .map(|a| a.id.get());
    QuizOverview {
        id: ctx.quiz.id.get(),
        title: current.title.clone(),
        course_id: ctx.course.id.get(),
        course_slug: ctx.course.slug.clone(),
        course_title: ctx.course.title.clone(),
        lesson_id: ctx.quiz.lesson_id.map(LessonId::get),
        lesson_title,
        questions: current.questions_count,
        total_points: to_u32(current.total_points),
        pass_percent: to_u32(current.pass_percent),
        attempts_allowed: current.attempts_allowed.map(to_u32),
        time_limit_minutes: time_limit_minutes(current),
        attempts_used,
        attempts_left,
        best_percent,
        passed,
        in_progress,
        may_start: access::may_take(&ctx.access)
            && (in_progress.is_some() || attempts_left != Some(0)),
        is_author: ctx.access.author,
        attempts: attempts
            .iter()
            .filter_map(|a| {
                Some(AttemptSummary {
                    id: a.id.get(),
                    number: to_u32(a.number),
                    percent: to_u32(a.percent),
                    passed: a.passed,
                    submitted_at: a.submitted_at?,
                })
            })
            .collect(),
    }
}

/// The best passing attempt of a course's final exam by a learner: (attempt id, percent); `None`
/// when the course has no final exam or the learner has not passed it. For certificates.
pub async fn final_exam_passed(
    st: &AppState,
    course: CourseId,
    learner: UserId,
) -> Result<Option<(AttemptId, u32)>, AppError> {
    Ok(db::best_final_pass(&st.db, course, learner)
        .await?
        .map(|(id, percent)| (id, to_u32(percent))))
}
