//! The use cases of quizzes, callable from server functions, REST handlers, jobs, the CLI and
//! the demo alike: authoring (`authoring`: the editor's read, saving a version, checking a file,
//! deleting), a course's quizzes and a quiz's start page (`overview`), and attempts (`attempts`:
//! starting, answering, submitting, results, grading).
//!
//! Each takes the state and who is acting (`&Actor`, or `Option<&Actor>` for what visitors may
//! read), decides through [`super::access`] (built on the course's policy), and returns
//! `AppError`s that name the field or the reason. None reads Leptos context.
//!
//! Time limits: answers are accepted until the deadline plus [`GRACE_MS`] (for the network and
//! a slow last save); after that the attempt is closed with the answers saved before.
//!
//! Certificates: a passed quiz raises `courses::ProgressChanged` (certificates react to it), and
//! a result names the learner's certificate code, read through `certificates::db::select_for`;
//! certificates in turn ask [`final_exam_passed`]. Quizzes hold no SQL of certificates.

mod attempts;
mod authoring;
mod overview;

pub use attempts::*;
pub use authoring::*;
pub use overview::*;

use super::{QuizSpec, access, db};
use crate::courses;
use crate::courses::access::Access;
use crate::error::AppError;
use crate::ids::{CourseId, LessonId, QuizId, QuizVersionId};
use crate::server::AppState;
use crate::server::auth::Actor;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How long after the deadline answers are still taken (network, a slow last save).
pub const GRACE_MS: i64 = 30_000;

/// The largest quiz file [`import_quiz`] reads, in bytes.
pub const IMPORT_MAX_BYTES: usize = 2_000_000;

/// Parsed specs by the SHA-256 of their JSON. Versions never change, so an entry never goes
/// stale, and hashing the content (not the version id) keeps two databases in one process (the
/// tests) or a reused id apart. One cell per spec: a thousand learners starting the same exam at
/// once parse its JSON once.
type SpecCell = Arc<tokio::sync::OnceCell<Arc<QuizSpec>>>;

const SPEC_CACHE_MAX: usize = 512;

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
async fn version_spec(st: &AppState, v: &db::VersionRow) -> Result<Arc<QuizSpec>, AppError> {
    let cell = spec_cell(&v.spec_hash);
    cell.get_or_try_init(|| async {
        let json = db::select_spec_json(&st.db, v.id)
            .await?
            .ok_or(AppError::NotFound)?;
        serde_json::from_str::<QuizSpec>(&json)
            .map(Arc::new)
            .map_err(|e| {
                tracing::error!(error = %e, version = v.id.get(), "unreadable quiz version");
                AppError::Internal
            })
    })
    .await
    .cloned()
}

/// A version and its spec.
async fn version_and_spec(
    st: &AppState,
    id: QuizVersionId,
) -> Result<(db::VersionRow, Arc<QuizSpec>), AppError> {
    let v = db::select_version(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let spec = version_spec(st, &v).await?;
    Ok((v, spec))
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn time_limit_minutes(v: &db::VersionRow) -> Option<u32> {
    v.time_limit_s.map(|s| to_u32(s / 60))
}

/// The course `course` if `rule` lets `actor` at its quizzes, else `NotFound`.
async fn course_for(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    rule: fn(&Actor, &courses::db::CourseRow) -> bool,
) -> Result<courses::db::CourseRow, AppError> {
    match courses::db::select_course(&st.db, course).await? {
        Some(c) if rule(actor, &c) => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// `NotFound` unless `lesson` (when given) belongs to `course`. Returns the lesson's title.
async fn lesson_of(
    st: &AppState,
    course: CourseId,
    lesson: Option<LessonId>,
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
struct QuizContext {
    quiz: db::QuizRow,
    course: courses::db::CourseRow,
    access: Access,
}

/// A quiz, its course and the viewer's access; `NotFound` when the viewer may not see the course.
async fn quiz_context(
    st: &AppState,
    quiz: QuizId,
    viewer: Option<&Actor>,
) -> Result<QuizContext, AppError> {
    let quiz = db::select_quiz(&st.db, quiz)
        .await?
        .ok_or(AppError::NotFound)?;
    let course = courses::db::select_course(&st.db, quiz.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = courses::access::access(st, &course, viewer).await?;
    if !access::may_see(&access, &course) {
        return Err(AppError::NotFound);
    }
    Ok(QuizContext {
        quiz,
        course,
        access,
    })
}
