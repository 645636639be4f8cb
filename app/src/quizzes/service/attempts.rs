//! Attempts: starting (or continuing), saving answers, submitting, results, and the grading
//! under the attempt row's lock.

use super::overview::tally;
use super::{GRACE_MS, quiz_context, to_u32, version_and_spec};
use crate::courses;
use crate::error::{AppError, Msg};
use crate::ids::{AttemptId, CourseId, QuizId, UserId};
use crate::quizzes::{
    Answer, AttemptResult, AttemptView, Question, QuizMsg, QuizSpec, ResultItem, Review, access,
    correct_shown, db, grade_shown, learner_view, passed, question_order, score_percent,
};
use crate::server::auth::Actor;
use crate::server::{AppState, hooks, now_ms};
use std::collections::HashMap;

/// The longest typed answer kept, in characters.
const TEXT_ANSWER_MAX: usize = 2_000;

/// Starts an attempt, or continues the one in progress (same questions in the same order).
/// Enrolled learners and the course's author. The view has no correct answers and no
/// explanations. Errors: `Forbidden`, `NotFound`, `Conflict(QuizNoAttemptsLeft)`.
pub async fn start_attempt(
    st: &AppState,
    actor: &Actor,
    quiz: QuizId,
) -> Result<AttemptView, AppError> {
    let ctx = quiz_context(st, quiz, Some(actor)).await?;
    if !access::may_take(&ctx.access) {
        return Err(AppError::Forbidden);
    }
    let user = actor.user;
    let mut open = match db::open_attempt(&st.db, quiz, user).await? {
        Some(a) => Some(settle_expired(st, a).await?).filter(|a| a.submitted_at.is_none()),
        None => None,
    };
    if open.is_none() {
        let seed = rand::random::<i64>();
        open = match db::insert_attempt(&st.db, quiz, user, seed, now_ms()).await? {
            Some(id) => db::select_attempt(&st.db, id).await?,
            // Used up, or a concurrent start of the same learner won: continue that one.
            None => db::open_attempt(&st.db, quiz, user).await?,
        };
    }
    let a = open.ok_or(AppError::Conflict(Msg::Quiz(QuizMsg::NoAttemptsLeft)))?;
    attempt_view(st, &a).await
}

/// Saves (or with `None`, clears) the answer to one question of an attempt in progress, in the
/// positions the learner sees. The learner who started it. Errors: `NotFound` (no such
/// attempt, or someone else's), `BadRequest(QuizAnswerInvalid)` (no such question in the
/// attempt, or an answer that does not fit it), `Conflict(QuizAlreadySubmitted)`,
/// `Conflict(QuizTimeUp)` (past the deadline and its grace, also once the attempt was closed
/// for that reason).
pub async fn save_answer(
    st: &AppState,
    actor: &Actor,
    attempt: AttemptId,
    question: i64,
    answer: Option<&Answer>,
) -> Result<(), AppError> {
    let a = open_own_attempt(st, actor, attempt).await?;
    let (_, spec) = version_and_spec(st, a.version_id).await?;
    let q = question_of(&spec, question)
        .ok_or(AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)))?;
    let json = match answer {
        Some(ans) if !fits(q, ans) => {
            return Err(AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)));
        }
        Some(ans) => Some(serde_json::to_string(ans).map_err(|_| AppError::Internal)?),
        None => None,
    };
    let now = now_ms();
    let Some(mut tx) = db::lock_open(&st.db, a.id, now, Some(GRACE_MS)).await? else {
        return Err(closed_reason(st, a.id).await?);
    };
    db::put_answer(&mut tx, a.id, question, json.as_deref(), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Submits an attempt: stores `answers` (in shown positions; answers to questions not in the
/// attempt, or that do not fit their question, are ignored), then grades everything saved
/// against the attempt's own version. Of concurrent submissions exactly one succeeds. Passing a
/// lesson's quiz completes the lesson. The learner who started it. Errors: `NotFound`,
/// `Conflict(QuizAlreadySubmitted)`, `Conflict(QuizTimeUp)` (after the deadline and its grace:
/// `answers` are not stored and the attempt is closed with the answers saved before).
pub async fn submit_attempt(
    st: &AppState,
    actor: &Actor,
    attempt: AttemptId,
    answers: &[(i64, Answer)],
) -> Result<AttemptResult, AppError> {
    let a = open_own_attempt(st, actor, attempt).await?;
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    // The last answer to a question wins, as if they had been saved one by one.
    let mut kept: HashMap<i64, String> = HashMap::new();
    for (id, ans) in answers {
        if let Some(q) = question_of(&spec, *id)
            && fits(q, ans)
        {
            kept.insert(
                *id,
                serde_json::to_string(ans).map_err(|_| AppError::Internal)?,
            );
        }
    }
    let mut kept: Vec<(i64, String)> = kept.into_iter().collect();
    kept.sort_by_key(|(id, _)| *id);
    if !close_attempt(st, &a, &v, &spec, &kept, Some(GRACE_MS)).await? {
        return Err(closed_reason(st, a.id).await?);
    }
    let a = db::select_attempt(&st.db, a.id)
        .await?
        .ok_or(AppError::NotFound)?;
    attempt_result_of(st, &a, actor.user).await
}

/// A submitted attempt with its score, the correct answers and explanations. The learner who
/// made it (an attempt whose time ran out is closed first), the course's author and
/// moderators. Errors: `NotFound`, `Conflict(QuizNotSubmitted)`.
pub async fn attempt_result(
    st: &AppState,
    actor: &Actor,
    attempt: AttemptId,
) -> Result<AttemptResult, AppError> {
    let a = db::select_attempt(&st.db, attempt)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = if a.user_id == actor.user {
        // A learner whose time ran out sees the attempt closed with what was saved.
        settle_expired(st, a).await?
    } else {
        let ctx = quiz_context(st, a.quiz_id, Some(actor)).await?;
        if !access::may_review_attempts(&ctx.access) {
            return Err(AppError::NotFound);
        }
        a
    };
    attempt_result_of(st, &a, actor.user).await
}

/// An attempt of `actor` that still takes answers (someone else's is `NotFound`); one whose
/// time ran out is closed with the answers saved before, and refused.
async fn open_own_attempt(
    st: &AppState,
    actor: &Actor,
    id: AttemptId,
) -> Result<db::AttemptRow, AppError> {
    let a = match db::select_attempt(&st.db, id).await? {
        Some(a) if a.user_id == actor.user => a,
        _ => return Err(AppError::NotFound),
    };
    if a.submitted_at.is_some() {
        return Err(submitted_error(&a));
    }
    if expired(&a, now_ms()) {
        settle_expired(st, a).await?;
        return Err(AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp)));
    }
    Ok(a)
}

fn expired(a: &db::AttemptRow, now: i64) -> bool {
    a.deadline_at
        .is_some_and(|d| now > d.saturating_add(GRACE_MS))
}

/// Why a submitted attempt takes nothing more: closed when its time ran out, or submitted.
fn submitted_error(a: &db::AttemptRow) -> AppError {
    match (a.deadline_at, a.submitted_at) {
        (Some(d), Some(at)) if at > d.saturating_add(GRACE_MS) => {
            AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp))
        }
        _ => AppError::Conflict(Msg::Quiz(QuizMsg::AlreadySubmitted)),
    }
}

/// Why an attempt no longer takes answers (closing it if its time ran out).
async fn closed_reason(st: &AppState, attempt: AttemptId) -> Result<AppError, AppError> {
    let a = db::select_attempt(&st.db, attempt)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.submitted_at.is_some() {
        return Ok(submitted_error(&a));
    }
    settle_expired(st, a).await?;
    Ok(AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp)))
}

fn seed_of(a: &db::AttemptRow) -> u64 {
    a.seed.cast_unsigned()
}

/// Saved answers by question id; unreadable ones are left out (they would earn nothing).
fn parse_answers(rows: &[(i64, String)]) -> HashMap<i64, Answer> {
    rows.iter()
        .filter_map(|(q, json)| Some((*q, serde_json::from_str::<Answer>(json).ok()?)))
        .collect()
}

/// Whether an answer (in shown positions) fits a question: its kind, positions in range, a
/// typed answer of sensible length. Anything else is refused before it is stored.
fn fits(q: &Question, a: &Answer) -> bool {
    let n = q.options.len();
    a.kind() == q.kind
        && match a {
            Answer::Single(i) => *i < n,
            Answer::Multiple(list) | Answer::Ordering(list) => {
                list.len() <= n && list.iter().all(|i| *i < n)
            }
            Answer::Text(t) => t.chars().count() <= TEXT_ANSWER_MAX,
        }
}

/// The question of an attempt's spec with this id (ids are indices in the version's spec).
fn question_of(spec: &QuizSpec, id: i64) -> Option<&Question> {
    usize::try_from(id).ok().and_then(|i| spec.questions.get(i))
}

/// Grades the answers of an attempt against its own version.
fn score(spec: &QuizSpec, v: &db::VersionRow, seed: u64, stored: &[(i64, String)]) -> db::Score {
    let answers = parse_answers(stored);
    let earned: u32 = spec
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let id = i as i64;
            grade_shown(q, id, seed, v.shuffle_options, answers.get(&id))
        })
        .fold(0u32, u32::saturating_add);
    let total = spec.total_points();
    db::Score {
        earned: i64::from(earned),
        total: i64::from(total),
        percent: i64::from(score_percent(earned, total)),
        passed: passed(earned, total, spec.settings.pass_percent),
    }
}

/// Closes an attempt with `answers` (already checked) added to what was saved: the answers and
/// the grading happen under the attempt row's lock, so they agree, and of concurrent closings
/// exactly one wins. With `grace`, refuses once the deadline plus the grace has passed. Returns
/// whether this call closed it.
async fn close_attempt(
    st: &AppState,
    a: &db::AttemptRow,
    v: &db::VersionRow,
    spec: &QuizSpec,
    answers: &[(i64, String)],
    grace: Option<i64>,
) -> Result<bool, AppError> {
    let now = now_ms();
    let Some(mut tx) = db::lock_open(&st.db, a.id, now, grace).await? else {
        return Ok(false);
    };
    for (q, json) in answers {
        db::put_answer(&mut tx, a.id, *q, Some(json), now).await?;
    }
    let stored = db::answers_in(&mut tx, a.id).await?;
    let sc = score(spec, v, seed_of(a), &stored);
    if !db::finish_attempt(&mut tx, a.id, sc, now).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    tx.commit().await?;
    if sc.passed {
        passed_quiz(st, a).await?;
    }
    Ok(true)
}

/// A passed lesson quiz completes its lesson for an enrolled learner; a passed final exam, or a
/// lesson completed this way, may earn the course's certificate (certificates react to the
/// progress event).
async fn passed_quiz(st: &AppState, a: &db::AttemptRow) -> Result<(), AppError> {
    let Some(quiz) = db::select_quiz(&st.db, a.quiz_id).await? else {
        return Ok(());
    };
    let (learner, course) = (a.user_id, quiz.course_id);
    if courses::db::enrollment(&st.db, course, learner)
        .await?
        .is_none()
    {
        return Ok(());
    }
    if let Some(lesson) = quiz.lesson_id {
        courses::db::record_progress(&st.db, learner, course, lesson, None, true, now_ms()).await?;
    }
    hooks::emit(st, courses::ProgressChanged { learner, course }).await
}

/// Closes an attempt whose time ran out with the answers saved before; the attempt as it is
/// afterwards.
pub(super) async fn settle_expired(
    st: &AppState,
    a: db::AttemptRow,
) -> Result<db::AttemptRow, AppError> {
    if a.submitted_at.is_some() || !expired(&a, now_ms()) {
        return Ok(a);
    }
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    close_attempt(st, &a, &v, &spec, &[], None).await?;
    db::select_attempt(&st.db, a.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What the learner sees during an attempt: the questions in their order, no correct answers.
async fn attempt_view(st: &AppState, a: &db::AttemptRow) -> Result<AttemptView, AppError> {
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    let seed = seed_of(a);
    let shuffle = v.shuffle_options;
    let questions = question_order(spec.questions.len(), seed, v.shuffle_questions)
        .into_iter()
        .map(|i| learner_view(&spec.questions[i], i as i64, seed, shuffle))
        .collect();
    let stored = db::answers(&st.db, a.id).await?;
    let mut answers: Vec<(i64, Answer)> = parse_answers(&stored).into_iter().collect();
    answers.sort_by_key(|(q, _)| *q);
    Ok(AttemptView {
        id: a.id.get(),
        quiz_id: a.quiz_id.get(),
        title: v.title.clone(),
        number: to_u32(a.number),
        questions,
        answers,
        deadline_at: a.deadline_at,
        now: now_ms(),
    })
}

/// The learner's certificate code for the quiz's course, for a passed attempt (certificates
/// own the table; this reads it through their db module).
async fn certificate_code(
    st: &AppState,
    a: &db::AttemptRow,
    course: CourseId,
) -> Result<Option<String>, AppError> {
    if !a.passed {
        return Ok(None);
    }
    Ok(
        crate::certificates::db::select_for(&st.db, a.user_id, course)
            .await?
            .map(|c| c.code),
    )
}

/// The result of a submitted attempt for `viewer`: with the correct answers and explanations
/// when the quiz's review option allows them to its learner now, always to staff.
async fn attempt_result_of(
    st: &AppState,
    a: &db::AttemptRow,
    viewer: UserId,
) -> Result<AttemptResult, AppError> {
    let submitted_at = a
        .submitted_at
        .ok_or(AppError::Conflict(Msg::Quiz(QuizMsg::NotSubmitted)))?;
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    let quiz = db::select_quiz(&st.db, a.quiz_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (current, current_spec) = if quiz.current_version_id == v.id {
        (v.clone(), spec.clone())
    } else {
        version_and_spec(st, quiz.current_version_id).await?
    };
    let attempts = db::attempts_of(&st.db, a.quiz_id, a.user_id).await?;
    let (_, attempts_left, best_percent, ever_passed) = tally(&attempts, &current);
    let answers = parse_answers(&db::answers(&st.db, a.id).await?);
    let certificate_code = certificate_code(st, a, quiz.course_id).await?;
    let seed = seed_of(a);
    let shuffle = v.shuffle_options;
    // The quiz's review option as it is now (an author who tightens it closes old attempts
    // too), against the learner's standing now; staff (author, moderators) always see them.
    let review = current_spec
        .settings
        .review
        .unwrap_or(Review::default_for(quiz.lesson_id.is_none()));
    let answers_shown = viewer != a.user_id || review.shows_answers(ever_passed, attempts_left);
    let items = question_order(spec.questions.len(), seed, v.shuffle_questions)
        .into_iter()
        .map(|i| {
            let q = &spec.questions[i];
            let id = i as i64;
            let your_answer = answers.get(&id).cloned();
            ResultItem {
                question: learner_view(q, id, seed, shuffle),
                correct: answers_shown.then(|| correct_shown(q, id, seed, shuffle)),
                earned: grade_shown(q, id, seed, shuffle, your_answer.as_ref()),
                points: q.points,
                explanation: q.explanation.clone().filter(|_| answers_shown),
                your_answer,
            }
        })
        .collect();
    Ok(AttemptResult {
        attempt_id: a.id.get(),
        quiz_id: a.quiz_id.get(),
        title: v.title.clone(),
        number: to_u32(a.number),
        submitted_at,
        earned: to_u32(a.earned),
        total: to_u32(a.total),
        percent: to_u32(a.percent),
        passed: a.passed,
        pass_percent: to_u32(v.pass_percent),
        attempts_left,
        best_percent,
        items,
        certificate_code,
        review,
        answers_shown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{QuizVersionId, UserId};
    use crate::quizzes::{QuestionKind, QuizSettings};

    fn version(shuffle_options: bool) -> db::VersionRow {
        db::VersionRow {
            id: QuizVersionId(1),
            quiz_id: QuizId(1),
            spec_hash: String::new(),
            title: "Quiz".into(),
            questions_count: 2,
            total_points: 3,
            pass_percent: 60,
            attempts_allowed: None,
            time_limit_s: None,
            shuffle_questions: false,
            shuffle_options,
            created_at: 0,
        }
    }

    fn spec() -> QuizSpec {
        QuizSpec {
            settings: QuizSettings {
                title: "Quiz".into(),
                pass_percent: 60,
                ..QuizSettings::default()
            },
            questions: vec![
                Question {
                    kind: QuestionKind::Single,
                    prompt: "Q".into(),
                    points: 2,
                    options: vec!["a".into(), "b".into(), "c".into()],
                    correct: vec![1],
                    ..Question::default()
                },
                Question {
                    kind: QuestionKind::Text,
                    prompt: "T".into(),
                    points: 1,
                    accepted: vec!["Ёлка".into()],
                    ..Question::default()
                },
            ],
        }
    }

    #[test]
    fn scores_count_only_fitting_saved_answers() {
        let s = spec();
        let v = version(false);
        let json = |a: &Answer| serde_json::to_string(a).unwrap();
        let sc = score(
            &s,
            &v,
            7,
            &[
                (0, json(&Answer::Single(1))),
                (1, json(&Answer::Text(" елка ".into()))),
            ],
        );
        assert_eq!(
            (sc.earned, sc.total, sc.percent, sc.passed),
            (3, 3, 100, true)
        );
        let sc = score(
            &s,
            &v,
            7,
            &[(0, json(&Answer::Single(1))), (1, "garbage".into())],
        );
        assert_eq!((sc.earned, sc.percent, sc.passed), (2, 66, true));
        let sc = score(&s, &v, 7, &[(1, json(&Answer::Text("елка".into())))]);
        assert_eq!((sc.earned, sc.percent, sc.passed), (1, 33, false));
    }

    #[test]
    fn answers_must_fit_their_question() {
        let s = spec();
        assert!(fits(&s.questions[0], &Answer::Single(2)));
        assert!(!fits(&s.questions[0], &Answer::Single(3)));
        assert!(!fits(&s.questions[0], &Answer::Multiple(vec![1])));
        assert!(fits(&s.questions[1], &Answer::Text("x".into())));
        assert!(!fits(
            &s.questions[1],
            &Answer::Text("x".repeat(TEXT_ANSWER_MAX + 1))
        ));
        assert!(question_of(&s, 2).is_none());
        assert!(question_of(&s, -1).is_none());
    }

    #[test]
    fn expiry_allows_the_grace() {
        let mut a = db::AttemptRow {
            id: AttemptId(1),
            quiz_id: QuizId(1),
            version_id: QuizVersionId(1),
            user_id: UserId(1),
            number: 1,
            seed: -5,
            started_at: 0,
            deadline_at: None,
            submitted_at: None,
            earned: 0,
            total: 0,
            percent: 0,
            passed: false,
        };
        assert!(!expired(&a, i64::MAX));
        a.deadline_at = Some(1_000);
        assert!(!expired(&a, 1_000 + GRACE_MS));
        assert!(expired(&a, 1_001 + GRACE_MS));
        assert_eq!(seed_of(&a), (-5i64).cast_unsigned());
    }
}
