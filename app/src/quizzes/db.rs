//! SQL of quizzes, their immutable versions, attempts and saved answers.
//!
//! Races are settled by the database: attempt numbers are unique per learner and quiz (so
//! concurrent starts cannot exceed the attempts allowed), one attempt per learner and quiz may be
//! in progress (a partial unique index), and every write to an attempt first runs a conditional
//! `UPDATE … WHERE submitted_at IS NULL` on its row. That statement takes the row's lock on
//! PostgreSQL (SQLite has one writer anyway), so an answer saved while the attempt is being
//! submitted either lands before the grading reads the answers or is refused.
//!
//! Rows carry typed ids (`QuizId`, `QuizVersionId`, `AttemptId`, the course's `CourseId` and
//! `LessonId`, the learner's `UserId`) and 0/1 columns as `bool`. A question is named by its
//! index in the version's spec (a plain `i64`).

use crate::ids::{AttemptId, CourseId, Flag, LessonId, QuizId, QuizVersionId, UserId, flag};
use crate::server::db::Db;
use crate::server::db::Tx;
use crate::server::sql::placeholders;

/// How long after a replacement an unused version is kept (an attempt may be starting with it).
const PRUNE_AFTER_MS: i64 = 60 * 60 * 1000;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QuizRow {
    pub id: QuizId,
    pub course_id: CourseId,
    /// `None`: the course's final exam.
    pub lesson_id: Option<LessonId>,
    pub current_version_id: QuizVersionId,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const QUIZ_COLS: &str = "id, course_id, lesson_id, COALESCE(current_version_id, 0) AS current_version_id, title, created_at, updated_at";

/// A version without its JSON (read on a cache miss only, see [`select_spec_json`]).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VersionRow {
    pub id: QuizVersionId,
    pub quiz_id: QuizId,
    pub spec_hash: String,
    pub title: String,
    pub questions_count: i64,
    pub total_points: i64,
    pub pass_percent: i64,
    pub attempts_allowed: Option<i64>,
    pub time_limit_s: Option<i64>,
    #[sqlx(try_from = "Flag")]
    pub shuffle_questions: bool,
    #[sqlx(try_from = "Flag")]
    pub shuffle_options: bool,
    pub created_at: i64,
}

const VERSION_COLS: &str = "v.id, v.quiz_id, v.spec_hash, v.title, v.questions_count, v.total_points, v.pass_percent, \
    v.attempts_allowed, v.time_limit_s, v.shuffle_questions, v.shuffle_options, v.created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub quiz_id: QuizId,
    pub version_id: QuizVersionId,
    pub user_id: UserId,
    pub number: i64,
    pub seed: i64,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub earned: i64,
    pub total: i64,
    pub percent: i64,
    #[sqlx(try_from = "Flag")]
    pub passed: bool,
}

const ATTEMPT_COLS: &str = "id, quiz_id, version_id, user_id, number, seed, started_at, deadline_at, submitted_at, \
    earned, total, percent, passed";

/// What a saved quiz version records besides its JSON.
pub struct NewVersion<'a> {
    pub spec_json: &'a str,
    pub spec_hash: &'a str,
    pub title: &'a str,
    pub questions_count: i64,
    pub total_points: i64,
    pub pass_percent: i64,
    pub attempts_allowed: Option<i64>,
    pub time_limit_s: Option<i64>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
}

/// A learner's best submitted attempt on a quiz ([`best_results`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BestResult {
    pub quiz_id: QuizId,
    pub percent: i64,
    /// Whether any of the attempts passed.
    #[sqlx(try_from = "Flag")]
    pub passed: bool,
}

/// The score an attempt is closed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    pub earned: i64,
    pub total: i64,
    pub percent: i64,
    pub passed: bool,
}

// ---- quizzes and versions ----

pub async fn select_quiz(db: &Db, id: QuizId) -> sqlx::Result<Option<QuizRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {QUIZ_COLS} FROM quizzes WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// The quiz of a lesson, or the course's final exam when `lesson` is `None`.
pub async fn select_quiz_for(
    db: &Db,
    course: CourseId,
    lesson: Option<LessonId>,
) -> sqlx::Result<Option<QuizRow>> {
    match lesson {
        Some(l) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {QUIZ_COLS} FROM quizzes WHERE course_id = $1 AND lesson_id = $2"
            )))
            .bind(course)
            .bind(l)
            .fetch_optional(db.r())
            .await
        }
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {QUIZ_COLS} FROM quizzes WHERE course_id = $1 AND lesson_id IS NULL"
            )))
            .bind(course)
            .fetch_optional(db.r())
            .await
        }
    }
}

/// A course's quizzes with their current versions, lesson quizzes by id, the final exam last.
pub async fn list_course_quizzes(
    db: &Db,
    course: CourseId,
) -> sqlx::Result<Vec<(QuizRow, VersionRow)>> {
    #[derive(sqlx::FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        quiz: QuizRow,
        #[sqlx(flatten)]
        version: VersionJoined,
    }
    #[derive(sqlx::FromRow)]
    struct VersionJoined {
        v_id: QuizVersionId,
        v_quiz_id: QuizId,
        v_spec_hash: String,
        v_title: String,
        v_questions_count: i64,
        v_total_points: i64,
        v_pass_percent: i64,
        v_attempts_allowed: Option<i64>,
        v_time_limit_s: Option<i64>,
        #[sqlx(try_from = "Flag")]
        v_shuffle_questions: bool,
        #[sqlx(try_from = "Flag")]
        v_shuffle_options: bool,
        v_created_at: i64,
    }
    let rows: Vec<Joined> = sqlx::query_as(
        "SELECT q.id, q.course_id, q.lesson_id, q.current_version_id, q.title, q.created_at, q.updated_at, \
         v.id AS v_id, v.quiz_id AS v_quiz_id, v.spec_hash AS v_spec_hash, v.title AS v_title, \
         v.questions_count AS v_questions_count, v.total_points AS v_total_points, v.pass_percent AS v_pass_percent, \
         v.attempts_allowed AS v_attempts_allowed, v.time_limit_s AS v_time_limit_s, \
         v.shuffle_questions AS v_shuffle_questions, v.shuffle_options AS v_shuffle_options, v.created_at AS v_created_at \
         FROM quizzes q JOIN quiz_versions v ON v.id = q.current_version_id \
         WHERE q.course_id = $1 ORDER BY CASE WHEN q.lesson_id IS NULL THEN 1 ELSE 0 END, q.id",
    )
    .bind(course)
    .fetch_all(db.r())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let v = r.version;
            (
                r.quiz,
                VersionRow {
                    id: v.v_id,
                    quiz_id: v.v_quiz_id,
                    spec_hash: v.v_spec_hash,
                    title: v.v_title,
                    questions_count: v.v_questions_count,
                    total_points: v.v_total_points,
                    pass_percent: v.v_pass_percent,
                    attempts_allowed: v.v_attempts_allowed,
                    time_limit_s: v.v_time_limit_s,
                    shuffle_questions: v.v_shuffle_questions,
                    shuffle_options: v.v_shuffle_options,
                    created_at: v.v_created_at,
                },
            )
        })
        .collect())
}

pub async fn select_version(db: &Db, id: QuizVersionId) -> sqlx::Result<Option<VersionRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLS} FROM quiz_versions v WHERE v.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// The JSON of a version (the whole spec, correct answers included).
pub async fn select_spec_json(db: &Db, version: QuizVersionId) -> sqlx::Result<Option<String>> {
    let r: Option<(String,)> = sqlx::query_as("SELECT spec_json FROM quiz_versions WHERE id = $1")
        .bind(version)
        .fetch_optional(db.r())
        .await?;
    Ok(r.map(|r| r.0))
}

/// Saves a version of the quiz of `lesson` (or the final exam) in `course`, creating the quiz if
/// it has none yet, and makes it current. A version equal to the current one is not stored
/// again. Returns the quiz id.
pub async fn save_version(
    db: &Db,
    course: CourseId,
    lesson: Option<LessonId>,
    v: &NewVersion<'_>,
    now: i64,
) -> sqlx::Result<QuizId> {
    let mut tx = db.w().begin().await?;
    // A concurrent first save of the same quiz meets the unique index and does nothing.
    sqlx::query(
        "INSERT INTO quizzes (course_id, lesson_id, current_version_id, title, created_at, updated_at) \
         VALUES ($1, $2, NULL, $3, $4, $4) ON CONFLICT DO NOTHING",
    )
    .bind(course)
    .bind(lesson)
    .bind(v.title)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let (quiz, current): (QuizId, Option<QuizVersionId>) = match lesson {
        Some(l) => sqlx::query_as(
            "SELECT id, current_version_id FROM quizzes WHERE course_id = $1 AND lesson_id = $2",
        )
        .bind(course)
        .bind(l)
        .fetch_one(&mut *tx)
        .await?,
        None => sqlx::query_as(
            "SELECT id, current_version_id FROM quizzes WHERE course_id = $1 AND lesson_id IS NULL",
        )
        .bind(course)
        .fetch_one(&mut *tx)
        .await?,
    };
    if let Some(cur) = current {
        let same: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM quiz_versions WHERE id = $1 AND spec_hash = $2")
                .bind(cur)
                .bind(v.spec_hash)
                .fetch_optional(&mut *tx)
                .await?;
        if same.is_some() {
            tx.commit().await?;
            return Ok(quiz);
        }
    }
    let (version,): (QuizVersionId,) = sqlx::query_as(
        "INSERT INTO quiz_versions (quiz_id, spec_json, spec_hash, title, questions_count, total_points, pass_percent, \
         attempts_allowed, time_limit_s, shuffle_questions, shuffle_options, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(quiz)
    .bind(v.spec_json)
    .bind(v.spec_hash)
    .bind(v.title)
    .bind(v.questions_count)
    .bind(v.total_points)
    .bind(v.pass_percent)
    .bind(v.attempts_allowed)
    .bind(v.time_limit_s)
    .bind(flag(v.shuffle_questions))
    .bind(flag(v.shuffle_options))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE quizzes SET current_version_id = $1, title = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(version)
    .bind(v.title)
    .bind(now)
    .bind(quiz)
    .execute(&mut *tx)
    .await?;
    if let Some(cur) = current {
        sqlx::query("UPDATE quiz_versions SET replaced_at = $1 WHERE id = $2")
            .bind(now)
            .bind(cur)
            .execute(&mut *tx)
            .await?;
    }
    // Versions replaced long ago that no attempt uses are of no use any more.
    sqlx::query(
        "DELETE FROM quiz_versions WHERE quiz_id = $1 AND replaced_at IS NOT NULL AND replaced_at < $2 \
         AND NOT EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.version_id = quiz_versions.id)",
    )
    .bind(quiz)
    .bind(now - PRUNE_AFTER_MS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(quiz)
}

/// Deletes a quiz of `course` with its versions, attempts and answers; false when there is none.
pub async fn delete_quiz(db: &Db, course: CourseId, quiz: QuizId) -> sqlx::Result<bool> {
    let r = sqlx::query("DELETE FROM quizzes WHERE id = $1 AND course_id = $2")
        .bind(quiz)
        .bind(course)
        .execute(db.w())
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Attempts started on a quiz, by anyone, on any version.
pub async fn count_attempts(db: &Db, quiz: QuizId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = $1")
        .bind(quiz)
        .fetch_one(db.r())
        .await?;
    Ok(n)
}

// ---- attempts ----

pub async fn select_attempt(db: &Db, id: AttemptId) -> sqlx::Result<Option<AttemptRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ATTEMPT_COLS} FROM quiz_attempts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// A learner's attempts on a quiz, newest first.
pub async fn attempts_of(db: &Db, quiz: QuizId, user: UserId) -> sqlx::Result<Vec<AttemptRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ATTEMPT_COLS} FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2 ORDER BY number DESC"
    )))
    .bind(quiz)
    .bind(user)
    .fetch_all(db.r())
    .await
}

/// A learner's attempt in progress on a quiz.
pub async fn open_attempt(db: &Db, quiz: QuizId, user: UserId) -> sqlx::Result<Option<AttemptRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ATTEMPT_COLS} FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2 AND submitted_at IS NULL"
    )))
    .bind(quiz)
    .bind(user)
    .fetch_optional(db.r())
    .await
}

/// Per quiz of `quizzes`: the best of a learner's submitted attempts.
pub async fn best_results(
    db: &Db,
    user: UserId,
    quizzes: &[QuizId],
) -> sqlx::Result<Vec<BestResult>> {
    if quizzes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT quiz_id, CAST(MAX(percent) AS BIGINT) AS percent, CAST(MAX(passed) AS BIGINT) AS passed \
         FROM quiz_attempts \
         WHERE user_id = $1 AND submitted_at IS NOT NULL AND quiz_id IN ({}) GROUP BY quiz_id",
        placeholders(2, quizzes.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user);
    for id in quizzes {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

/// Starts attempt number n + 1 on the quiz's current version, unless the learner has one in
/// progress or the version's attempts are used up: one statement, so concurrent starts never
/// exceed the limit (attempt numbers are unique). `None` when nothing was started.
pub async fn insert_attempt(
    db: &Db,
    quiz: QuizId,
    user: UserId,
    seed: i64,
    now: i64,
) -> sqlx::Result<Option<AttemptId>> {
    let r: Option<(AttemptId,)> = sqlx::query_as(
        "INSERT INTO quiz_attempts (quiz_id, version_id, user_id, number, seed, started_at, deadline_at, total) \
         SELECT q.id, v.id, $2, n.num, $3, $4, \
                CASE WHEN v.time_limit_s IS NULL THEN NULL ELSE $4 + v.time_limit_s * 1000 END, v.total_points \
         FROM quizzes q JOIN quiz_versions v ON v.id = q.current_version_id \
         CROSS JOIN (SELECT COALESCE(MAX(number), 0) + 1 AS num FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2) n \
         WHERE q.id = $1 AND (v.attempts_allowed IS NULL OR n.num <= v.attempts_allowed) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(quiz)
    .bind(user)
    .bind(seed)
    .bind(now)
    .fetch_optional(db.w())
    .await?;
    Ok(r.map(|r| r.0))
}

/// Opens a write to an attempt in progress: touches its row (which locks it until the
/// transaction ends). `None` when it is submitted (or gone). With `deadline_grace`, also `None`
/// once `now` is past the deadline plus the grace.
pub async fn lock_open(
    db: &Db,
    attempt: AttemptId,
    now: i64,
    deadline_grace: Option<i64>,
) -> sqlx::Result<Option<Tx>> {
    let mut tx = db.w().begin().await?;
    let r = sqlx::query(
        "UPDATE quiz_attempts SET answered_at = $1 WHERE id = $2 AND submitted_at IS NULL \
         AND ($3 < 0 OR deadline_at IS NULL OR deadline_at + $3 >= $1)",
    )
    .bind(now)
    .bind(attempt)
    .bind(deadline_grace.unwrap_or(-1))
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    Ok(Some(tx))
}

/// Saves (or with `None`, clears) the answer to a question.
pub async fn put_answer(
    tx: &mut Tx,
    attempt: AttemptId,
    question: i64,
    answer_json: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    match answer_json {
        Some(json) => {
            sqlx::query(
                "INSERT INTO quiz_answers (attempt_id, question, answer_json, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (attempt_id, question) DO UPDATE SET answer_json = excluded.answer_json, updated_at = excluded.updated_at",
            )
            .bind(attempt)
            .bind(question)
            .bind(json)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM quiz_answers WHERE attempt_id = $1 AND question = $2")
                .bind(attempt)
                .bind(question)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// The answers saved in an attempt: (question, answer JSON).
pub async fn answers(db: &Db, attempt: AttemptId) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT question, answer_json FROM quiz_answers WHERE attempt_id = $1 ORDER BY question",
    )
    .bind(attempt)
    .fetch_all(db.r())
    .await
}

/// The answers, read inside a write transaction (what the grading sees).
pub async fn answers_in(tx: &mut Tx, attempt: AttemptId) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT question, answer_json FROM quiz_answers WHERE attempt_id = $1 ORDER BY question",
    )
    .bind(attempt)
    .fetch_all(&mut **tx)
    .await
}

/// Closes an attempt with its score: the one conditional statement that decides which of
/// concurrent submissions wins. False when it was already submitted.
pub async fn finish_attempt(
    tx: &mut Tx,
    attempt: AttemptId,
    score: Score,
    now: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE quiz_attempts SET submitted_at = $1, earned = $2, total = $3, percent = $4, passed = $5 \
         WHERE id = $6 AND submitted_at IS NULL",
    )
    .bind(now)
    .bind(score.earned)
    .bind(score.total)
    .bind(score.percent)
    .bind(flag(score.passed))
    .bind(attempt)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// The best passing attempt of a course's final exam by a learner: (attempt id, percent).
pub async fn best_final_pass(
    db: &Db,
    course: CourseId,
    user: UserId,
) -> sqlx::Result<Option<(AttemptId, i64)>> {
    sqlx::query_as(
        "SELECT a.id, a.percent FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id \
         WHERE q.course_id = $1 AND q.lesson_id IS NULL AND a.user_id = $2 AND a.passed = 1 \
         ORDER BY a.percent DESC, a.submitted_at, a.id LIMIT 1",
    )
    .bind(course)
    .bind(user)
    .fetch_optional(db.r())
    .await
}
