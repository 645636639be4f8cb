//! Learning: enrolling (free, or through a checkout), the lesson player, progress, "My
//! learning", and the author's "My courses" with its numbers.

use super::catalog::detail;
use super::{attachment, cards, course};
use crate::courses::{
    AuthorCourse, CourseMsg, Enrolled, LearningItem, LessonItem, LessonView, ORDER_ITEM,
    ProgressChanged, SectionItem, access, db, percent,
};
use crate::error::{AppError, Msg};
use crate::ids::{CourseId, LessonId, VideoId};
use crate::server::auth::Actor;
use crate::server::{AppState, hooks, now_ms};
use crate::video::VideoView;

/// Enrolls `actor` in a free course, or starts the checkout of a paid one. Errors:
/// `EmailUnconfirmed`, `NotFound`,
/// `Conflict(AlreadyEnrolled)`, `Conflict(CourseNotOpen)` for a draft, a course in review or an
/// archived course.
pub async fn enroll(st: &AppState, actor: &Actor, id: CourseId) -> Result<Enrolled, AppError> {
    actor.require_confirmed()?;
    let c = course(st, id).await?;
    if !access::open_for_enrollment(&c) {
        return Err(AppError::Conflict(Msg::Course(CourseMsg::NotOpen)));
    }
    let already = || AppError::Conflict(Msg::Course(CourseMsg::AlreadyEnrolled));
    if access::is_enrolled(st, id, actor).await? {
        return Err(already());
    }
    if c.price_minor == 0 {
        if !db::enroll(&st.db, id, actor.user, None, now_ms()).await? {
            return Err(already());
        }
        return Ok(Enrolled::Done);
    }
    let item = crate::payments::service::Item {
        kind: ORDER_ITEM,
        id: c.id.get(),
        title: &c.title,
        return_path: &format!("/courses/{}", c.slug),
        amount_minor: c.price_minor,
        currency: &c.currency,
    };
    let url = crate::payments::service::start_checkout(st, actor, &item).await?;
    Ok(Enrolled::Checkout(url))
}

/// A lesson in the player; opening it records the visit for an enrolled learner. Enrolled
/// learners, the author, moderators; everyone for a free preview of a public course. Errors:
/// `NotFound`, `Forbidden` (not enrolled).
pub async fn get_lesson(
    st: &AppState,
    viewer: Option<&Actor>,
    slug: &str,
    lesson: LessonId,
) -> Result<LessonView, AppError> {
    let c = db::select_course_by_slug(&st.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some((course_id, l)) = db::select_lesson(&st.db, lesson).await? else {
        return Err(AppError::NotFound);
    };
    if course_id != c.id {
        return Err(AppError::NotFound);
    }
    let a = access::access(st, &c, viewer).await?;
    if !a.may_open(&c, l.free_preview) {
        return Err(AppError::Forbidden);
    }
    let full = a.full();
    let (course, last_lesson) = detail(st, c, viewer, a).await?;
    let (prev, next) = neighbours(&course.sections, lesson, full);
    let video = match l.video_id {
        Some(v) => lesson_video(st, viewer, v, lesson).await?,
        None => None,
    };
    let attachments = db::attachments(&st.db, &[lesson])
        .await?
        .into_iter()
        .map(attachment)
        .collect();
    // Reopening the lesson one is on (a reload, the resume link) records nothing new.
    if let Some(v) = viewer
        && course.enrolled
        && last_lesson != Some(lesson)
    {
        let (user, now) = (v.user, now_ms());
        db::record_progress(&st.db, user, course_id, lesson, None, false, now).await?;
    }
    let completed = course
        .sections
        .iter()
        .flat_map(|s| &s.lessons)
        .any(|x| x.id == lesson.get() && x.completed);
    Ok(LessonView {
        quiz_required: l.quiz_required,
        preview_only: !full,
        id: l.id.get(),
        title: l.title,
        body_html: l.body_html,
        video,
        attachments,
        completed,
        prev,
        next,
        course,
    })
}

/// The lessons before and after `lesson` that the viewer may open: every lesson with `full`
/// access, else the free previews only.
fn neighbours(
    sections: &[SectionItem],
    lesson: LessonId,
    full: bool,
) -> (Option<i64>, Option<i64>) {
    let all: Vec<&LessonItem> = sections.iter().flat_map(|s| &s.lessons).collect();
    let pos = all.iter().position(|x| x.id == lesson.get()).unwrap_or(0);
    let visible = |x: &&&LessonItem| full || x.free_preview;
    let prev = all[..pos].iter().rev().find(visible).map(|x| x.id);
    let next = all.get(pos + 1..).unwrap_or(&[]).iter().find(visible);
    (prev, next.map(|x| x.id))
}

/// The player's view of a lesson's video, starting where the viewer left it.
async fn lesson_video(
    st: &AppState,
    viewer: Option<&Actor>,
    video: VideoId,
    lesson: LessonId,
) -> Result<Option<VideoView>, AppError> {
    let Some(v) = crate::video::db::select_by_ids(&st.db, &[video])
        .await?
        .pop()
    else {
        return Ok(None);
    };
    // The lesson has let the viewer in (enrolled, staff, or a free preview): its video plays
    // for them even when private, through signed links.
    let mut view = crate::video::service::build_view_granted(st, &v, viewer).await?;
    if let Some(s) = viewer {
        view.start_ms = db::lesson_position(&st.db, s.user, lesson).await?;
    }
    Ok(Some(view))
}

/// Records where `actor` is in a lesson's video; a video watched to 90 % completes the lesson
/// (unless the lesson is completed by passing its quiz).
/// The length that counts is the stored video's, not the client's: a lesson without a video is
/// never completed by a position, and an absurd position is clamped to the video's end. Returns
/// whether the lesson is complete. Enrolled learners. Errors: `NotFound`, `Forbidden`.
pub async fn save_lesson_progress(
    st: &AppState,
    actor: &Actor,
    lesson: LessonId,
    position_ms: i64,
) -> Result<bool, AppError> {
    let (course, l) = learners_lesson(st, actor, lesson).await?;
    let video_ms = match l.video_id {
        Some(v) => crate::video::db::select_by_ids(&st.db, &[v])
            .await?
            .pop()
            .and_then(|v| v.duration_ms)
            .unwrap_or(0),
        None => 0,
    };
    let position_ms = position_ms.clamp(0, video_ms);
    // A lesson completed by its quiz is not completed by watching either.
    let complete =
        !l.quiz_required && video_ms > 0 && position_ms as i128 * 10 >= video_ms as i128 * 9;
    let (user, now) = (actor.user, now_ms());
    db::record_progress(
        &st.db,
        user,
        course,
        lesson,
        Some(position_ms),
        complete,
        now,
    )
    .await?;
    if complete {
        progressed(st, actor, course).await?;
    }
    Ok(complete)
}

/// Marks a lesson complete. Enrolled learners. Errors: `NotFound`, `Forbidden`,
/// `Conflict(PassQuizToComplete)` (the lesson is completed by passing its quiz).
pub async fn complete_lesson(
    st: &AppState,
    actor: &Actor,
    lesson: LessonId,
) -> Result<(), AppError> {
    let (course, l) = learners_lesson(st, actor, lesson).await?;
    if l.quiz_required {
        // Passing the quiz completes the lesson (quizzes record it); a click must not skip it.
        return Err(AppError::Conflict(Msg::Course(
            CourseMsg::PassQuizToComplete,
        )));
    }
    let (user, now) = (actor.user, now_ms());
    db::record_progress(&st.db, user, course, lesson, None, true, now).await?;
    progressed(st, actor, course).await
}

/// A lesson and its course, if `actor` is enrolled in it. Errors: `NotFound`, `Forbidden`.
async fn learners_lesson(
    st: &AppState,
    actor: &Actor,
    lesson: LessonId,
) -> Result<(CourseId, db::LessonRow), AppError> {
    let (course, l) = db::select_lesson(&st.db, lesson)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access::is_enrolled(st, course, actor).await? {
        return Err(AppError::Forbidden);
    }
    Ok((course, l))
}

/// Tells those who react to progress (certificates) that `actor`'s progress in `course` moved.
async fn progressed(st: &AppState, actor: &Actor, course: CourseId) -> Result<(), AppError> {
    let learner = actor.user;
    hooks::emit(st, ProgressChanged { learner, course }).await
}

/// `actor`'s courses: in progress (with percent and where to continue) and completed.
pub async fn my_learning(st: &AppState, actor: &Actor) -> Result<Vec<LearningItem>, AppError> {
    let enrollments = db::enrollments_of(&st.db, actor.user).await?;
    let ids: Vec<CourseId> = enrollments.iter().map(|e| e.course_id).collect();
    let rows = db::select_courses(&st.db, &ids).await?;
    let cards = cards(st, &rows).await?;
    Ok(enrollments
        .iter()
        .filter_map(|e| {
            let card = cards.iter().find(|c| c.id == e.course_id.get())?.clone();
            let total = card.lessons_count.max(1);
            Some(LearningItem {
                percent: percent(e.completed_lessons, total),
                completed: e.completed_at.is_some(),
                continue_lesson: e.last_lesson_id.map(LessonId::get),
                card,
            })
        })
        .collect())
}

/// The courses `actor` authored, with enrollments, completion rate and average progress.
pub async fn my_courses(st: &AppState, actor: &Actor) -> Result<Vec<AuthorCourse>, AppError> {
    let rows = db::list_by_author(&st.db, actor.user).await?;
    let stats = db::author_stats(&st.db, actor.user).await?;
    let cards = cards(st, &rows).await?;
    Ok(cards
        .into_iter()
        .map(|card| {
            let (learners, completed, lessons_done) = stats
                .iter()
                .find(|x| x.0.get() == card.id)
                .map(|x| (x.1, x.2, x.3))
                .unwrap_or((0, 0, 0));
            let changes = rows
                .iter()
                .find(|r| r.id.get() == card.id)
                .map(|r| r.changes_state.code().to_string())
                .unwrap_or_default();
            let total = card.lessons_count.max(1);
            AuthorCourse {
                completion_rate: if learners > 0 {
                    completed as f64 / learners as f64
                } else {
                    0.0
                },
                average_progress: if learners > 0 {
                    (lessons_done as f64 / learners as f64 / total as f64).min(1.0)
                } else {
                    0.0
                },
                changes_state: changes,
                card,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(lessons: &[(i64, bool)]) -> SectionItem {
        SectionItem {
            id: 0,
            title: String::new(),
            lessons: lessons
                .iter()
                .map(|&(id, free_preview)| LessonItem {
                    id,
                    title: String::new(),
                    free_preview,
                    has_video: false,
                    duration_ms: 0,
                    completed: false,
                })
                .collect(),
        }
    }

    #[test]
    fn neighbours_cross_sections_and_skip_what_a_visitor_may_not_open() {
        let s = [
            section(&[(1, true), (2, false)]),
            section(&[(3, false), (4, true)]),
        ];
        assert_eq!(neighbours(&s, LessonId(2), true), (Some(1), Some(3)));
        assert_eq!(neighbours(&s, LessonId(1), false), (None, Some(4)));
        assert_eq!(neighbours(&s, LessonId(4), false), (Some(1), None));
        assert_eq!(neighbours(&s, LessonId(4), true), (Some(3), None));
    }
}
