//! Server functions of quizzes. Each states who may call it.
//!
//! Who may do what:
//! - the course's author writes, imports and deletes its quizzes (admins may also read them);
//! - anyone who may see a course sees its quizzes' settings (never their questions);
//! - enrolled learners and the author take a quiz; moderators and admins see its overview;
//! - an attempt is answered and submitted only by the learner who started it; its result (with
//!   the correct answers and explanations) opens after submission to that learner, the course's
//!   author and moderators.
//!
//! Time limits: answers are accepted until the deadline plus [`GRACE_MS`] (for the network and
//! a slow last save); after that the attempt is closed with the answers saved before.

use super::{AttemptResult, AttemptView, QuizEdit, QuizOverview, QuizSpec, QuizSummary};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::quizzes::QuizMsg;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::{
        Answer, AttemptSummary, Question, ResultItem, correct_shown, db, format, grade_shown,
        learner_view, passed, question_order, score_percent, to_app_error, validate,
    },
    crate::accounts::Role,
    crate::courses,
    crate::error::{FieldError, Msg},
    crate::server::{AppState, auth, auth::Actor, hooks, now_ms, sha256_hex, state},
    std::collections::HashMap,
    std::sync::{Arc, Mutex, OnceLock},
};

/// How long after the deadline answers are still taken (network, a slow last save).
pub const GRACE_MS: i64 = 30_000;

/// The largest quiz file `import_quiz` reads, in bytes.
pub const IMPORT_MAX_BYTES: usize = 2_000_000;

/// The longest typed answer kept, in characters.
#[cfg(feature = "ssr")]
const TEXT_ANSWER_MAX: usize = 2_000;

// ---------------- helpers ----------------

/// Parsed specs by the SHA-256 of their JSON. Versions never change, so an entry never goes
/// stale, and hashing the content (not the version id) keeps two databases in one process (the
/// tests) or a reused id apart. One cell per spec: a thousand learners starting the same exam at
/// once parse its JSON once.
#[cfg(feature = "ssr")]
type SpecCell = Arc<tokio::sync::OnceCell<Arc<QuizSpec>>>;

#[cfg(feature = "ssr")]
const SPEC_CACHE_MAX: usize = 512;

#[cfg(feature = "ssr")]
fn spec_cell(hash: &str) -> SpecCell {
    static CACHE: OnceLock<Mutex<HashMap<String, SpecCell>>> = OnceLock::new();
    let mut map = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(cell) = map.get(hash) {
        return cell.clone();
    }
    if map.len() >= SPEC_CACHE_MAX {
        map.clear();
    }
    map.entry(hash.to_string()).or_default().clone()
}

/// The spec of a version (from the cache when it is there).
#[cfg(feature = "ssr")]
async fn version_spec(st: &AppState, v: &db::VersionRow) -> Result<Arc<QuizSpec>, AppError> {
    let cell = spec_cell(&v.spec_hash);
    cell.get_or_try_init(|| async {
        let json = db::select_spec_json(&st.db, v.id)
            .await?
            .ok_or(AppError::NotFound)?;
        serde_json::from_str::<QuizSpec>(&json)
            .map(Arc::new)
            .map_err(|e| {
                tracing::error!(error = %e, version = v.id, "unreadable quiz version");
                AppError::Internal
            })
    })
    .await
    .cloned()
}

/// A version and its spec.
#[cfg(feature = "ssr")]
async fn version_and_spec(
    st: &AppState,
    id: i64,
) -> Result<(db::VersionRow, Arc<QuizSpec>), AppError> {
    let v = db::select_version(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let spec = version_spec(st, &v).await?;
    Ok((v, spec))
}

#[cfg(feature = "ssr")]
fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

#[cfg(feature = "ssr")]
fn time_limit_minutes(v: &db::VersionRow) -> Option<u32> {
    v.time_limit_s.map(|s| to_u32(s / 60))
}

/// The course of `id` if the signed-in user is its author (or, with `or_admin`, an admin), else
/// `NotFound`.
#[cfg(feature = "ssr")]
async fn authored_course(
    st: &AppState,
    s: &Actor,
    id: i64,
    or_admin: bool,
) -> Result<courses::db::CourseRow, AppError> {
    let c = courses::db::select_course(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.author_id == s.user.get() || (or_admin && s.is_admin()) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// `NotFound` unless `lesson` (when given) belongs to `course`. Returns the lesson's title.
#[cfg(feature = "ssr")]
async fn lesson_of(
    st: &AppState,
    course: i64,
    lesson: Option<i64>,
) -> Result<Option<String>, AppError> {
    let Some(l) = lesson else {
        return Ok(None);
    };
    match courses::db::select_lesson(&st.db, l).await? {
        Some((c, row)) if c == course => Ok(Some(row.title)),
        _ => Err(AppError::NotFound),
    }
}

/// A quiz with its course and what the viewer may do there.
#[cfg(feature = "ssr")]
struct QuizContext {
    quiz: db::QuizRow,
    course: courses::db::CourseRow,
    access: courses::api::Access,
}

#[cfg(feature = "ssr")]
impl QuizContext {
    /// Whether the viewer may see the course at all (the course page's rule).
    fn visible(&self) -> bool {
        matches!(self.course.status.as_str(), "published" | "archived")
            || self.access.author
            || self.access.moderator
    }

    /// Whether the viewer may take the quiz.
    fn may_take(&self) -> bool {
        self.access.enrolled() || self.access.author
    }
}

#[cfg(feature = "ssr")]
async fn quiz_context(
    st: &AppState,
    quiz: i64,
    viewer: Option<&Actor>,
) -> Result<QuizContext, AppError> {
    let quiz = db::select_quiz(&st.db, quiz)
        .await?
        .ok_or(AppError::NotFound)?;
    let course = courses::db::select_course(&st.db, quiz.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = courses::api::access(st, &course, viewer).await?;
    let ctx = QuizContext {
        quiz,
        course,
        access,
    };
    if !ctx.visible() {
        return Err(AppError::NotFound);
    }
    Ok(ctx)
}

/// An attempt of the signed-in user (someone else's is `NotFound`).
#[cfg(feature = "ssr")]
async fn own_attempt(st: &AppState, s: &Actor, id: i64) -> Result<db::AttemptRow, AppError> {
    match db::select_attempt(&st.db, id).await? {
        Some(a) if a.user_id == s.user.get() => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

#[cfg(feature = "ssr")]
fn expired(a: &db::AttemptRow, now: i64) -> bool {
    a.deadline_at
        .is_some_and(|d| now > d.saturating_add(GRACE_MS))
}

/// Why a submitted attempt takes nothing more: closed when its time ran out, or submitted.
#[cfg(feature = "ssr")]
fn submitted_error(a: &db::AttemptRow) -> AppError {
    match (a.deadline_at, a.submitted_at) {
        (Some(d), Some(at)) if at > d.saturating_add(GRACE_MS) => {
            AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp))
        }
        _ => AppError::Conflict(Msg::Quiz(QuizMsg::AlreadySubmitted)),
    }
}

#[cfg(feature = "ssr")]
fn seed_of(a: &db::AttemptRow) -> u64 {
    a.seed.cast_unsigned()
}

/// Saved answers by question id; unreadable ones are left out (they would earn nothing).
#[cfg(feature = "ssr")]
fn parse_answers(rows: &[(i64, String)]) -> HashMap<i64, Answer> {
    rows.iter()
        .filter_map(|(q, json)| Some((*q, serde_json::from_str::<Answer>(json).ok()?)))
        .collect()
}

/// Whether an answer (in shown positions) fits a question: its kind, positions in range, a
/// typed answer of sensible length. Anything else is refused before it is stored.
#[cfg(feature = "ssr")]
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
#[cfg(feature = "ssr")]
fn question(spec: &QuizSpec, id: i64) -> Option<&Question> {
    usize::try_from(id).ok().and_then(|i| spec.questions.get(i))
}

/// Grades the answers of an attempt against its own version.
#[cfg(feature = "ssr")]
fn score(spec: &QuizSpec, v: &db::VersionRow, seed: u64, stored: &[(i64, String)]) -> db::Score {
    let answers = parse_answers(stored);
    let earned: u32 = spec
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let id = i as i64;
            grade_shown(q, id, seed, v.shuffle_options == 1, answers.get(&id))
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
#[cfg(feature = "ssr")]
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
/// lesson completed this way, may earn the course's certificate.
#[cfg(feature = "ssr")]
async fn passed_quiz(st: &AppState, a: &db::AttemptRow) -> Result<(), AppError> {
    let Some(quiz) = db::select_quiz(&st.db, a.quiz_id).await? else {
        return Ok(());
    };
    if courses::db::enrollment(&st.db, quiz.course_id, a.user_id)
        .await?
        .is_none()
    {
        return Ok(());
    }
    if let Some(lesson) = quiz.lesson_id {
        courses::db::record_progress(
            &st.db,
            a.user_id,
            quiz.course_id,
            lesson,
            None,
            true,
            now_ms(),
        )
        .await?;
    }
    hooks::emit(
        st,
        courses::ProgressChanged {
            learner: crate::ids::UserId(a.user_id),
            course: crate::ids::CourseId(quiz.course_id),
        },
    )
    .await
}

/// Closes an attempt whose time ran out with the answers saved before; the attempt as it is
/// afterwards.
#[cfg(feature = "ssr")]
async fn settle_expired(st: &AppState, a: db::AttemptRow) -> Result<db::AttemptRow, AppError> {
    if a.submitted_at.is_some() || !expired(&a, now_ms()) {
        return Ok(a);
    }
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    close_attempt(st, &a, &v, &spec, &[], None).await?;
    db::select_attempt(&st.db, a.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Attempts used, attempts left (on the quiz's current settings), best percent, passed.
#[cfg(feature = "ssr")]
fn tally(
    attempts: &[db::AttemptRow],
    current: &db::VersionRow,
) -> (u32, Option<u32>, Option<u32>, bool) {
    let used = to_u32(attempts.iter().map(|a| a.number).max().unwrap_or(0));
    let left = current
        .attempts_allowed
        .map(|allowed| to_u32(allowed).saturating_sub(used));
    let done = attempts.iter().filter(|a| a.submitted_at.is_some());
    let best = done.clone().map(|a| to_u32(a.percent)).max();
    let passed = done.clone().any(|a| a.passed == 1);
    (used, left, best, passed)
}

#[cfg(feature = "ssr")]
async fn attempt_view(st: &AppState, a: &db::AttemptRow) -> Result<AttemptView, AppError> {
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    let seed = seed_of(a);
    let shuffle = v.shuffle_options == 1;
    let questions = question_order(spec.questions.len(), seed, v.shuffle_questions == 1)
        .into_iter()
        .map(|i| learner_view(&spec.questions[i], i as i64, seed, shuffle))
        .collect();
    let stored = db::answers(&st.db, a.id).await?;
    let mut answers: Vec<(i64, Answer)> = parse_answers(&stored).into_iter().collect();
    answers.sort_by_key(|(q, _)| *q);
    Ok(AttemptView {
        id: a.id,
        quiz_id: a.quiz_id,
        title: v.title.clone(),
        number: to_u32(a.number),
        questions,
        answers,
        deadline_at: a.deadline_at,
        now: now_ms(),
    })
}

/// The result of a submitted attempt, correct answers and explanations included.
#[cfg(feature = "ssr")]
async fn attempt_result_of(st: &AppState, a: &db::AttemptRow) -> Result<AttemptResult, AppError> {
    let submitted_at = a
        .submitted_at
        .ok_or(AppError::Conflict(Msg::Quiz(QuizMsg::NotSubmitted)))?;
    let (v, spec) = version_and_spec(st, a.version_id).await?;
    let quiz = db::select_quiz(&st.db, a.quiz_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = if quiz.current_version_id == v.id {
        v.clone()
    } else {
        db::select_version(&st.db, quiz.current_version_id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let attempts = db::attempts_of(&st.db, a.quiz_id, a.user_id).await?;
    let (_, attempts_left, best_percent, _) = tally(&attempts, &current);
    let answers = parse_answers(&db::answers(&st.db, a.id).await?);
    let certificate_code = if a.passed == 1 {
        crate::certificates::db::select_for(
            &st.db,
            crate::ids::UserId(a.user_id),
            crate::ids::CourseId(quiz.course_id),
        )
        .await?
        .map(|c| c.code)
    } else {
        None
    };
    let seed = seed_of(a);
    let shuffle = v.shuffle_options == 1;
    let items = question_order(spec.questions.len(), seed, v.shuffle_questions == 1)
        .into_iter()
        .map(|i| {
            let q = &spec.questions[i];
            let id = i as i64;
            let your_answer = answers.get(&id).cloned();
            ResultItem {
                question: learner_view(q, id, seed, shuffle),
                correct: correct_shown(q, id, seed, shuffle),
                earned: grade_shown(q, id, seed, shuffle, your_answer.as_ref()),
                points: q.points,
                explanation: q.explanation.clone(),
                your_answer,
            }
        })
        .collect();
    Ok(AttemptResult {
        attempt_id: a.id,
        quiz_id: a.quiz_id,
        title: v.title.clone(),
        number: to_u32(a.number),
        submitted_at,
        earned: to_u32(a.earned),
        total: to_u32(a.total),
        percent: to_u32(a.percent),
        passed: a.passed == 1,
        pass_percent: to_u32(v.pass_percent),
        attempts_left,
        best_percent,
        items,
        certificate_code,
    })
}

/// Import problems as a validation error: one field `line:N` per problem.
#[cfg(feature = "ssr")]
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

// ---------------- authoring ----------------

/// The quiz of a lesson (or, with `lesson` `None`, the course's final exam) as its author edits
/// it; `None` when there is none yet. The course's author and admins. Errors: `NotAuthenticated`,
/// `NotFound` (no such course or lesson, the lesson is in another course, or not the author).
#[server(endpoint = "quizzes/edit")]
pub async fn get_quiz_for_edit(
    course: i64,
    lesson: Option<i64>,
) -> Result<Option<QuizEdit>, AppError> {
    let s = auth::actor()?;
    let st = state();
    authored_course(&st, &s, course, true).await?;
    lesson_of(&st, course, lesson).await?;
    let Some(quiz) = db::select_quiz_for(&st.db, course, lesson).await? else {
        return Ok(None);
    };
    let (_, spec) = version_and_spec(&st, quiz.current_version_id).await?;
    Ok(Some(QuizEdit {
        id: quiz.id,
        text: format::to_text(&spec),
        spec: (*spec).clone(),
        attempts_count: db::count_attempts(&st.db, quiz.id).await?,
    }))
}

/// Saves the quiz of a lesson (or, with `lesson` `None`, the course's final exam) as a new
/// version; attempts in progress keep grading against the version they started with. The
/// course's author. Returns the quiz id. Errors: `NotAuthenticated`, `NotFound` (not the author,
/// or the lesson is not in this course), `Validation` (fields named by `QuizField::name`).
#[server(endpoint = "quizzes/save", input = Json)]
pub async fn save_quiz(course: i64, lesson: Option<i64>, spec: QuizSpec) -> Result<i64, AppError> {
    let s = auth::actor()?;
    let st = state();
    authored_course(&st, &s, course, false).await?;
    lesson_of(&st, course, lesson).await?;
    let mut spec = spec;
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
    Ok(db::save_version(&st.db, course, lesson, &version, now_ms()).await?)
}

/// Reads a quiz file (the text format, or JSON with `json`) and checks it; saves nothing.
/// Tutors. Errors: `NotAuthenticated`, `Forbidden`, `Validation` with one field `line:N` per
/// problem (1-based; problems of a JSON file that parsed are reported at the lines of its text
/// form, [`format::to_text`]).
#[server(endpoint = "quizzes/import")]
pub async fn import_quiz(text: String, json: bool) -> Result<QuizSpec, AppError> {
    auth::require(Role::Tutor)?;
    if text.len() > IMPORT_MAX_BYTES {
        return Err(AppError::field(
            "line:1",
            Msg::TooLong {
                max: IMPORT_MAX_BYTES as u32,
            },
        ));
    }
    let mut spec = if json {
        let mut spec = format::from_json(&text).map_err(|e| import_error(&[e]))?;
        spec.tidy();
        if let Err(problems) = validate(&spec) {
            // Lines of the quiz's text form, where every problem has one.
            return Err(match format::parse_text(&format::to_text(&spec)) {
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
            });
        }
        spec
    } else {
        format::parse_text(&text).map_err(|e| import_error(&e))?
    };
    spec.tidy();
    Ok(spec)
}

/// Deletes a quiz of a course with all its attempts. The course's author. Errors:
/// `NotAuthenticated`, `NotFound`.
#[server(endpoint = "quizzes/delete")]
pub async fn delete_quiz(course: i64, quiz: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    authored_course(&st, &s, course, false).await?;
    if !db::delete_quiz(&st.db, course, quiz).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

// ---------------- learning ----------------

/// A course's quizzes (settings only) with the caller's best results. Anyone who may see the
/// course page. Errors: `NotFound`.
#[server(endpoint = "quizzes/for-course")]
pub async fn course_quizzes(course: i64) -> Result<Vec<QuizSummary>, AppError> {
    let st = state();
    let viewer = auth::current();
    let c = courses::db::select_course(&st.db, course)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = courses::api::access(&st, &c, viewer.as_ref()).await?;
    if !matches!(c.status.as_str(), "published" | "archived") && !a.author && !a.moderator {
        return Err(AppError::NotFound);
    }
    let list = db::list_course_quizzes(&st.db, course).await?;
    let best = match &viewer {
        Some(v) => {
            let ids: Vec<i64> = list.iter().map(|(q, _)| q.id).collect();
            db::best_results(&st.db, v.user.get(), &ids).await?
        }
        None => Vec::new(),
    };
    Ok(list
        .into_iter()
        .map(|(q, v)| {
            let mine = best.iter().find(|b| b.0 == q.id);
            QuizSummary {
                id: q.id,
                lesson_id: q.lesson_id,
                title: v.title.clone(),
                questions: v.questions_count,
                total_points: to_u32(v.total_points),
                pass_percent: to_u32(v.pass_percent),
                attempts_allowed: v.attempts_allowed.map(to_u32),
                time_limit_minutes: time_limit_minutes(&v),
                best_percent: mine.map(|b| to_u32(b.1)),
                passed: mine.is_some_and(|b| b.2 == 1),
            }
        })
        .collect())
}

/// A quiz's start page: settings, the caller's attempts and best result. Enrolled learners, the
/// course's author, moderators and admins. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`.
#[server(name = GetQuizOverview, endpoint = "quizzes/overview")]
pub async fn quiz_overview(quiz: i64) -> Result<QuizOverview, AppError> {
    let s = auth::actor()?;
    let st = state();
    let ctx = quiz_context(&st, quiz, Some(&s)).await?;
    if !ctx.access.full() {
        return Err(AppError::Forbidden);
    }
    if let Some(open) = db::open_attempt(&st.db, quiz, s.user.get()).await? {
        settle_expired(&st, open).await?;
    }
    let current = db::select_version(&st.db, ctx.quiz.current_version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lesson_title = lesson_of(&st, ctx.course.id, ctx.quiz.lesson_id).await?;
    let attempts = db::attempts_of(&st.db, quiz, s.user.get()).await?;
    let (attempts_used, attempts_left, best_percent, passed) = tally(&attempts, &current);
    let in_progress = attempts
        .iter()
        .find(|a| a.submitted_at.is_none())
        .map(|a| a.id);
    Ok(QuizOverview {
        id: ctx.quiz.id,
        title: current.title.clone(),
        course_id: ctx.course.id,
        course_slug: ctx.course.slug.clone(),
        course_title: ctx.course.title.clone(),
        lesson_id: ctx.quiz.lesson_id,
        lesson_title,
        questions: current.questions_count,
        total_points: to_u32(current.total_points),
        pass_percent: to_u32(current.pass_percent),
        attempts_allowed: current.attempts_allowed.map(to_u32),
        time_limit_minutes: time_limit_minutes(&current),
        attempts_used,
        attempts_left,
        best_percent,
        passed,
        in_progress,
        may_start: ctx.may_take() && (in_progress.is_some() || attempts_left != Some(0)),
        is_author: ctx.access.author,
        attempts: attempts
            .iter()
            .filter_map(|a| {
                Some(AttemptSummary {
                    id: a.id,
                    number: to_u32(a.number),
                    percent: to_u32(a.percent),
                    passed: a.passed == 1,
                    submitted_at: a.submitted_at?,
                })
            })
            .collect(),
    })
}

/// Starts an attempt, or continues the one in progress (same questions in the same order).
/// Enrolled learners and the course's author. The view has no correct answers and no
/// explanations. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`,
/// `Conflict(QuizNoAttemptsLeft)`.
#[server(endpoint = "quizzes/start")]
pub async fn start_attempt(quiz: i64) -> Result<AttemptView, AppError> {
    let s = auth::actor()?;
    let st = state();
    let ctx = quiz_context(&st, quiz, Some(&s)).await?;
    if !ctx.may_take() {
        return Err(AppError::Forbidden);
    }
    let mut open = match db::open_attempt(&st.db, quiz, s.user.get()).await? {
        Some(a) => Some(settle_expired(&st, a).await?).filter(|a| a.submitted_at.is_none()),
        None => None,
    };
    if open.is_none() {
        let seed = rand::random::<i64>();
        open = match db::insert_attempt(&st.db, quiz, s.user.get(), seed, now_ms()).await? {
            Some(id) => db::select_attempt(&st.db, id).await?,
            // Used up, or a concurrent start of the same learner won: continue that one.
            None => db::open_attempt(&st.db, quiz, s.user.get()).await?,
        };
    }
    let a = open.ok_or(AppError::Conflict(Msg::Quiz(QuizMsg::NoAttemptsLeft)))?;
    attempt_view(&st, &a).await
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
    let s = auth::actor()?;
    let st = state();
    let a = own_attempt(&st, &s, attempt).await?;
    if a.submitted_at.is_some() {
        return Err(submitted_error(&a));
    }
    if expired(&a, now_ms()) {
        settle_expired(&st, a).await?;
        return Err(AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp)));
    }
    let (_, spec) = version_and_spec(&st, a.version_id).await?;
    let q = question_of_attempt(&spec, question)?;
    let json = match &answer {
        Some(ans) if !fits(q, ans) => {
            return Err(AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)));
        }
        Some(ans) => Some(serde_json::to_string(ans).map_err(|_| AppError::Internal)?),
        None => None,
    };
    let now = now_ms();
    let Some(mut tx) = db::lock_open(&st.db, a.id, now, Some(GRACE_MS)).await? else {
        return Err(closed_reason(&st, a.id).await?);
    };
    db::put_answer(&mut tx, a.id, question, json.as_deref(), now).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
fn question_of_attempt(spec: &QuizSpec, id: i64) -> Result<&Question, AppError> {
    question(spec, id).ok_or(AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)))
}

/// Why an attempt no longer takes answers (closing it if its time ran out).
#[cfg(feature = "ssr")]
async fn closed_reason(st: &AppState, attempt: i64) -> Result<AppError, AppError> {
    let a = db::select_attempt(&st.db, attempt)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.submitted_at.is_some() {
        return Ok(submitted_error(&a));
    }
    settle_expired(st, a).await?;
    Ok(AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp)))
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
    let s = auth::actor()?;
    let st = state();
    let a = own_attempt(&st, &s, attempt).await?;
    if a.submitted_at.is_some() {
        return Err(submitted_error(&a));
    }
    if expired(&a, now_ms()) {
        settle_expired(&st, a).await?;
        return Err(AppError::Conflict(Msg::Quiz(QuizMsg::TimeUp)));
    }
    let (v, spec) = version_and_spec(&st, a.version_id).await?;
    // The last answer to a question wins, as if they had been saved one by one.
    let mut kept: HashMap<i64, String> = HashMap::new();
    for (id, ans) in &answers {
        if let Some(q) = question(&spec, *id)
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
    if !close_attempt(&st, &a, &v, &spec, &kept, Some(GRACE_MS)).await? {
        return Err(closed_reason(&st, a.id).await?);
    }
    let a = db::select_attempt(&st.db, a.id)
        .await?
        .ok_or(AppError::NotFound)?;
    attempt_result_of(&st, &a).await
}

/// A submitted attempt with its score, the correct answers and explanations. The learner who
/// made it, the course's author and moderators. Errors: `NotAuthenticated`, `NotFound`,
/// `Conflict(QuizNotSubmitted)`.
#[server(name = GetAttemptResult, endpoint = "quizzes/result")]
pub async fn attempt_result(attempt: i64) -> Result<AttemptResult, AppError> {
    let s = auth::actor()?;
    let st = state();
    let a = db::select_attempt(&st.db, attempt)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = if a.user_id == s.user.get() {
        // A learner whose time ran out sees the attempt closed with what was saved.
        settle_expired(&st, a).await?
    } else {
        let ctx = quiz_context(&st, a.quiz_id, Some(&s)).await?;
        if !ctx.access.author && !ctx.access.moderator {
            return Err(AppError::NotFound);
        }
        a
    };
    attempt_result_of(&st, &a).await
}

/// The best passing attempt of a course's final exam by a learner: (attempt id, percent); `None`
/// when the course has no final exam or the learner has not passed it. For certificates.
#[cfg(feature = "ssr")]
pub async fn final_exam_passed(
    st: &AppState,
    course_id: i64,
    user_id: i64,
) -> Result<Option<(i64, u32)>, AppError> {
    Ok(db::best_final_pass(&st.db, course_id, user_id)
        .await?
        .map(|(id, percent)| (id, to_u32(percent))))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::quizzes::{QuestionKind, QuizSettings};

    fn version(shuffle_options: bool) -> db::VersionRow {
        db::VersionRow {
            id: 1,
            quiz_id: 1,
            spec_hash: String::new(),
            title: "Quiz".into(),
            questions_count: 2,
            total_points: 3,
            pass_percent: 60,
            attempts_allowed: None,
            time_limit_s: None,
            shuffle_questions: 0,
            shuffle_options: i64::from(shuffle_options),
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
        assert!(question(&s, 2).is_none());
        assert!(question(&s, -1).is_none());
    }

    #[test]
    fn expiry_allows_the_grace() {
        let mut a = db::AttemptRow {
            id: 1,
            quiz_id: 1,
            version_id: 1,
            user_id: 1,
            number: 1,
            seed: -5,
            started_at: 0,
            deadline_at: None,
            submitted_at: None,
            earned: 0,
            total: 0,
            percent: 0,
            passed: 0,
        };
        assert!(!expired(&a, i64::MAX));
        a.deadline_at = Some(1_000);
        assert!(!expired(&a, 1_000 + GRACE_MS));
        assert!(expired(&a, 1_001 + GRACE_MS));
        assert_eq!(seed_of(&a), (-5i64).cast_unsigned());
    }
}
