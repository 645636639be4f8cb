//! Quizzes: the quizzes tutors attach to lessons and the one final exam of a course. This module
//! is the pure core of the feature (no database, no UI), compiled for the server and the browser:
//! the question types, validation of what a tutor wrote, what a learner sees during an attempt,
//! grading and scoring, and import/export in [`format`] (JSON and a plain-text format).
//!
//! Question types ([`QuestionKind`]):
//! - single choice: exactly one correct option;
//! - multiple choice: one or more correct options, graded all-or-nothing (full points only when
//!   the chosen set equals the correct set);
//! - text answer: a list of accepted answers, matched after [`normalize_text`] (Unicode lowercase,
//!   trimmed, inner whitespace collapsed to one space, "ё" read as "е");
//! - ordering: the author lists the items in the correct order; the learner sees them shuffled
//!   and must restore the order (full points only for the exact order).
//!
//! Invariants:
//! - **correct answers never reach the learner's browser before submission.** During an attempt
//!   the browser gets only [`QuestionView`]s, made by [`learner_view`]: prompt, points and option
//!   texts — no correct indices, no accepted answers, no explanation;
//! - answers from the browser name options by their *position in the view*, never by the author's
//!   index: for an ordering question the author's index is the correct position, so sending it
//!   would give the answer away. [`grade_shown`] maps positions back with the same seed;
//! - the order a learner sees comes from a per-attempt seed that stays on the server, so it is
//!   the same after a reload and the server can map answers back; an ordering question of three
//!   or more items is never shown in its correct order (two items: either order, by coin);
//! - grading never fails: a missing answer, an answer of the wrong kind, an index out of range or
//!   a repeated index earns 0 points;
//! - scores are rounded down ([`score_percent`]), so "passed" means exactly
//!   `earned / total >= pass_percent / 100` — 69.9 % never passes a 70 % quiz;
//! - a quiz is stored only after [`validate`] accepts it; [`QuizSpec::tidy`] first trims what
//!   editors and files leave around the text.

mod messages;
pub use messages::QuizMsg;
#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod editor;
pub mod format;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::{AppError, FieldError, Msg};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// At most this many questions in one quiz.
pub const QUESTIONS_MAX: usize = 200;
/// Characters in a question's prompt.
pub const PROMPT_MAX: usize = 5000;
/// Characters in a question's explanation.
pub const EXPLANATION_MAX: usize = 5000;
/// Characters in a quiz title.
pub const TITLE_MAX: usize = 120;
/// Characters in one option, ordering item or accepted answer.
pub const OPTION_MAX: usize = 500;
/// Options of a choice question or items of an ordering question.
pub const OPTIONS_MIN: usize = 2;
pub const OPTIONS_MAX: usize = 20;
/// Accepted answers of a text question.
pub const ACCEPTED_MAX: usize = 20;
/// Points of one question: 1..=POINTS_MAX.
pub const POINTS_MAX: u32 = 100;
/// Passing score in percent: 1..=100.
pub const PASS_MAX: u32 = 100;
/// Attempts allowed, when limited: 1..=ATTEMPTS_MAX.
pub const ATTEMPTS_MAX: u32 = 100;
/// Time limit in minutes, when limited: 1..=TIME_MAX_MINUTES.
pub const TIME_MAX_MINUTES: u32 = 600;
/// Passing score of a new quiz.
pub const PASS_DEFAULT: u32 = 70;

crate::codes! {
    /// The type of a question; its code is also its name in a spec's JSON.
    #[derive(Default)]
    #[serde(rename_all = "lowercase")]
    pub enum QuestionKind {
        /// Exactly one correct option.
        #[default]
        Single = "single",
        /// One or more correct options; all-or-nothing.
        Multiple = "multiple",
        /// A typed answer compared with accepted answers.
        Text = "text",
        /// Items to put in the correct order.
        Ordering = "ordering",
    }
}

crate::codes! {
    /// When a learner sees the correct answers and explanations of their own attempts (as
    /// Moodle's review options do). Scores, and which answers earned points, show after every
    /// attempt; the course's author and moderators always see everything.
    #[serde(rename_all = "snake_case")]
    pub enum Review {
        /// After each attempt (the default for a lesson quiz).
        EachAttempt = "each_attempt",
        /// Once the learner has passed, or has no attempts left (the default for a final exam:
        /// otherwise a second attempt, or a second account, would pass with the key).
        PassOrLast = "pass_or_last",
        /// Never.
        Never = "never",
    }
}

impl Review {
    /// The option of a quiz that did not choose one: lesson quizzes show the answers after each
    /// attempt, final exams after a pass or the last attempt.
    pub fn default_for(final_exam: bool) -> Review {
        if final_exam {
            Review::PassOrLast
        } else {
            Review::EachAttempt
        }
    }

    /// Whether a learner sees the correct answers now, given whether they have passed (in any
    /// attempt) and their attempts left (`None`: unlimited).
    pub fn shows_answers(self, passed: bool, attempts_left: Option<u32>) -> bool {
        match self {
            Review::EachAttempt => true,
            Review::PassOrLast => passed || attempts_left == Some(0),
            Review::Never => false,
        }
    }
}

impl QuestionKind {
    /// Whether the question has options (choice) or items (ordering) rather than typed answers.
    pub fn has_options(self) -> bool {
        self != QuestionKind::Text
    }
}

fn one_point() -> u32 {
    1
}

/// A question as its author wrote it, correct answers included. Never sent to a learner during
/// an attempt (see [`QuestionView`]).
///
/// Which fields a kind uses:
/// - `Single`/`Multiple`: `options`, and `correct` (indices into `options`);
/// - `Text`: `accepted`;
/// - `Ordering`: `options`, listed in the correct order (`correct` stays empty).
///
/// Fields a kind does not use must be empty ([`validate`] refuses them otherwise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub kind: QuestionKind,
    /// Safe Markdown; may span several lines.
    pub prompt: String,
    /// 1..=POINTS_MAX.
    #[serde(default = "one_point")]
    pub points: u32,
    /// Options (choice) or items in the correct order (ordering); one line each.
    #[serde(default)]
    pub options: Vec<String>,
    /// Indices into `options` of the correct options (choice questions only).
    #[serde(default)]
    pub correct: Vec<usize>,
    /// Accepted answers (text questions only); one line each.
    #[serde(default)]
    pub accepted: Vec<String>,
    /// Shown to the learner after submission; may span several lines.
    #[serde(default)]
    pub explanation: Option<String>,
}

impl Default for Question {
    fn default() -> Self {
        Question {
            kind: QuestionKind::Single,
            prompt: String::new(),
            points: 1,
            options: Vec::new(),
            correct: Vec::new(),
            accepted: Vec::new(),
            explanation: None,
        }
    }
}

/// A quiz's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuizSettings {
    pub title: String,
    /// Passing score in percent, 1..=100.
    pub pass_percent: u32,
    /// `None`: unlimited; else 1..=ATTEMPTS_MAX.
    pub attempts: Option<u32>,
    /// `None`: no limit; else 1..=TIME_MAX_MINUTES minutes.
    pub time_limit_minutes: Option<u32>,
    pub shuffle_questions: bool,
    /// Shuffles the options of choice questions. Ordering items are always shuffled.
    pub shuffle_options: bool,
    /// When learners see the correct answers; `None`: [`Review::default_for`] the quiz's place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// Lesson quizzes: the lesson is completed by passing the quiz, not by marking it complete.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pass_required: bool,
}

impl Default for QuizSettings {
    fn default() -> Self {
        QuizSettings {
            title: String::new(),
            pass_percent: PASS_DEFAULT,
            attempts: None,
            time_limit_minutes: None,
            shuffle_questions: false,
            shuffle_options: false,
            review: None,
            pass_required: false,
        }
    }
}

/// A whole quiz as its author wrote it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuizSpec {
    pub settings: QuizSettings,
    pub questions: Vec<Question>,
}

impl QuizSpec {
    /// The points of all questions together.
    pub fn total_points(&self) -> u32 {
        self.questions
            .iter()
            .fold(0u32, |sum, q| sum.saturating_add(q.points))
    }

    /// Trims what editors and files leave around text: the title, options and accepted answers
    /// are trimmed; prompts and explanations lose trailing spaces on each line and blank lines at
    /// both ends (inner blank lines stay, they separate Markdown paragraphs); an explanation left
    /// empty becomes `None`. Line breaks become `\n`.
    pub fn tidy(&mut self) {
        self.settings.title = self.settings.title.trim().to_string();
        for q in &mut self.questions {
            q.prompt = tidy_block(&q.prompt);
            for o in q.options.iter_mut().chain(q.accepted.iter_mut()) {
                *o = o.trim().to_string();
            }
            q.explanation = q
                .explanation
                .as_deref()
                .map(tidy_block)
                .filter(|e| !e.is_empty());
        }
    }
}

/// Multi-line text without trailing spaces on its lines and without blank lines around it.
fn tidy_block(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = s.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// Text compared loosely: Unicode lowercase, surrounding whitespace removed, inner runs of
/// whitespace (spaces, tabs, line breaks, no-break spaces) collapsed to one space, and "ё" read
/// as "е" (also when typed as "е" + combining diaeresis; "и" + combining breve is read as "й").
pub fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match c {
                'ё' => out.push('е'),
                '\u{308}' if out.ends_with('е') => {}
                '\u{306}' if out.ends_with('и') => {
                    out.pop();
                    out.push('й');
                }
                _ => out.push(c),
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// What a learner sees, and shuffling

/// A question as a learner sees it during an attempt: no correct options, no accepted answers,
/// no explanation.
///
/// `options` are the option (or item) texts in the order shown — already shuffled when the quiz
/// shuffles options, and always for ordering questions. An [`Answer`] from the browser names
/// options by their position in this list; the server maps positions back to the author's
/// indices with [`to_original`] (or grades directly with [`grade_shown`]). Text questions have no
/// options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub points: u32,
    pub options: Vec<String>,
}

/// The view of a question for an attempt. `id` is the question's id and `seed` the attempt's
/// secret seed (kept on the server); together they fix the order of the options, so the same
/// attempt always shows the same order. `shuffle_options` is the quiz setting; it applies to
/// choice questions (ordering items are always shuffled).
pub fn learner_view(q: &Question, id: i64, seed: u64, shuffle_options: bool) -> QuestionView {
    let order = option_order(q, id, seed, shuffle_options);
    QuestionView {
        id,
        kind: q.kind,
        prompt: q.prompt.clone(),
        points: q.points,
        options: order.iter().map(|&i| q.options[i].clone()).collect(),
    }
}

/// The author's option indices in the order the learner sees them: `order[position] = index`.
/// Empty for text questions. Choice questions keep the author's order unless `shuffle_options`.
/// Ordering questions are always shuffled, and with three or more items never shown in the
/// correct order. Two items are shown either way, by the seed's coin: the one other order would
/// give the answer away.
pub fn option_order(q: &Question, id: i64, seed: u64, shuffle_options: bool) -> Vec<usize> {
    let n = q.options.len();
    let sub_seed = derive_seed(seed, id.cast_unsigned());
    match q.kind {
        QuestionKind::Text => Vec::new(),
        QuestionKind::Single | QuestionKind::Multiple if !shuffle_options => (0..n).collect(),
        QuestionKind::Single | QuestionKind::Multiple => permutation(n, sub_seed),
        QuestionKind::Ordering => {
            let mut order = permutation(n, sub_seed);
            if n >= 3 && order.iter().enumerate().all(|(pos, &i)| pos == i) {
                // The identity would show the answer; a rotation never is the identity.
                order.rotate_left(1);
            }
            order
        }
    }
}

/// The order of the questions in an attempt: `order[position] = question index`. The identity
/// unless `shuffle_questions`.
pub fn question_order(n: usize, seed: u64, shuffle_questions: bool) -> Vec<usize> {
    if shuffle_questions {
        // A salt that question ids (which salt option orders) are unlikely to take.
        permutation(n, derive_seed(seed, u64::MAX))
    } else {
        (0..n).collect()
    }
}

/// A tiny, well-mixed generator (splitmix64): the same seed gives the same numbers on every
/// platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * n as u128;
        (wide >> 64) as usize
    }
}

/// A seed for one purpose (`salt`) derived from an attempt's seed.
fn derive_seed(seed: u64, salt: u64) -> u64 {
    let mut g = SplitMix64(seed);
    let first = g.next_u64();
    SplitMix64(first ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

/// A permutation of `0..n` (Fisher–Yates) fixed by `seed`.
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut g = SplitMix64(seed);
    for i in (1..n).rev() {
        let j = g.below(i + 1);
        v.swap(i, j);
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Answers and grading

/// A learner's answer to one question.
///
/// From the browser, indices are positions in the [`QuestionView`]'s `options`; [`grade`] takes
/// the author's indices ([`to_original`] converts). `Ordering` lists the options in the order the
/// learner put them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Single(usize),
    Multiple(Vec<usize>),
    Text(String),
    Ordering(Vec<usize>),
}

impl Answer {
    pub fn kind(&self) -> QuestionKind {
        match self {
            Answer::Single(_) => QuestionKind::Single,
            Answer::Multiple(_) => QuestionKind::Multiple,
            Answer::Text(_) => QuestionKind::Text,
            Answer::Ordering(_) => QuestionKind::Ordering,
        }
    }
}

/// An answer given against a view (positions in `order`, from [`option_order`]) in the author's
/// indices. `None` when a position is out of range: such an answer earns nothing.
pub fn to_original(a: &Answer, order: &[usize]) -> Option<Answer> {
    let map = |pos: &usize| order.get(*pos).copied();
    Some(match a {
        Answer::Single(pos) => Answer::Single(map(pos)?),
        Answer::Multiple(list) => Answer::Multiple(list.iter().map(map).collect::<Option<_>>()?),
        Answer::Text(s) => Answer::Text(s.clone()),
        Answer::Ordering(list) => Answer::Ordering(list.iter().map(map).collect::<Option<_>>()?),
    })
}

/// Points for an answer given against the view [`learner_view`] made with the same `id`, `seed`
/// and `shuffle_options`. This is what the server calls on submission.
pub fn grade_shown(
    q: &Question,
    id: i64,
    seed: u64,
    shuffle_options: bool,
    shown: Option<&Answer>,
) -> u32 {
    let order = option_order(q, id, seed, shuffle_options);
    let original = shown.and_then(|a| to_original(a, &order));
    grade(q, original.as_ref())
}

/// Points earned for an answer in the author's indices: all of `q.points` or 0. No answer, an
/// answer of another kind, an index out of range or a repeated index earn 0.
pub fn grade(q: &Question, a: Option<&Answer>) -> u32 {
    if is_correct(q, a) { q.points } else { 0 }
}

/// Whether an answer (in the author's indices) is fully correct.
pub fn is_correct(q: &Question, a: Option<&Answer>) -> bool {
    let n = q.options.len();
    match (q.kind, a) {
        (QuestionKind::Single, Some(Answer::Single(i))) => *i < n && q.correct == [*i],
        (QuestionKind::Multiple, Some(Answer::Multiple(chosen))) => {
            let Some(chosen) = distinct_sorted(chosen) else {
                return false;
            };
            let Some(correct) = distinct_sorted(&q.correct) else {
                return false;
            };
            !chosen.is_empty() && chosen.iter().all(|&i| i < n) && chosen == correct
        }
        (QuestionKind::Text, Some(Answer::Text(typed))) => {
            let typed = normalize_text(typed);
            !typed.is_empty() && q.accepted.iter().any(|a| normalize_text(a) == typed)
        }
        (QuestionKind::Ordering, Some(Answer::Ordering(order))) => {
            n > 0 && order.len() == n && order.iter().enumerate().all(|(pos, &i)| pos == i)
        }
        _ => false,
    }
}

/// The indices sorted, or `None` if one repeats.
fn distinct_sorted(list: &[usize]) -> Option<Vec<usize>> {
    let mut v = list.to_vec();
    v.sort_unstable();
    if v.windows(2).any(|w| w[0] == w[1]) {
        None
    } else {
        Some(v)
    }
}

/// The score in whole percent, rounded down (2 of 3 points is 66 %); 0 when `total` is 0.
/// Rounding down makes `score_percent(e, t) >= p` exactly `e / t >= p / 100`.
pub fn score_percent(earned: u32, total: u32) -> u32 {
    if total == 0 {
        return 0;
    }
    let percent = u64::from(earned.min(total)) * 100 / u64::from(total);
    u32::try_from(percent).unwrap_or(100)
}

/// Whether an attempt passes: its score (rounded down) reaches `pass_percent`. A quiz without
/// points passes nobody.
pub fn passed(earned: u32, total: u32, pass_percent: u32) -> bool {
    total > 0 && score_percent(earned, total) >= pass_percent
}

/// The correct answer of a question, in the positions of the view made with the same `id`,
/// `seed` and `shuffle_options` (see [`learner_view`]). Shown only after submission.
pub fn correct_shown(q: &Question, id: i64, seed: u64, shuffle_options: bool) -> CorrectAnswer {
    let order = option_order(q, id, seed, shuffle_options);
    let position_of = |index: usize| order.iter().position(|&i| i == index).unwrap_or(index);
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let mut shown: Vec<usize> = q.correct.iter().map(|&i| position_of(i)).collect();
            shown.sort_unstable();
            CorrectAnswer::Options(shown)
        }
        QuestionKind::Text => CorrectAnswer::Text(q.accepted.clone()),
        QuestionKind::Ordering => {
            CorrectAnswer::Order((0..q.options.len()).map(position_of).collect())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

/// What a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuizField {
    Title,
    PassPercent,
    Attempts,
    TimeLimit,
    /// The list of questions (none, or too many).
    Questions,
    /// Question `i` as a whole (its options, correct marks or accepted answers as a set).
    Question(usize),
    Prompt(usize),
    Points(usize),
    Explanation(usize),
    /// `options[k]` of question `i` (a choice option or an ordering item).
    Item(usize, usize),
    /// `accepted[k]` of question `i`.
    Answer(usize, usize),
}

impl QuizField {
    /// The question the field belongs to, if any.
    pub fn question(self) -> Option<usize> {
        match self {
            QuizField::Question(i)
            | QuizField::Prompt(i)
            | QuizField::Points(i)
            | QuizField::Explanation(i)
            | QuizField::Item(i, _)
            | QuizField::Answer(i, _) => Some(i),
            _ => None,
        }
    }

    /// A form field name: `title`, `pass_percent`, `attempts`, `time_limit`, `questions`, `q3`,
    /// `q3.prompt`, `q3.points`, `q3.explanation`, `q3.option1`, `q3.accepted0` (0-based).
    pub fn name(self) -> String {
        match self {
            QuizField::Title => "title".into(),
            QuizField::PassPercent => "pass_percent".into(),
            QuizField::Attempts => "attempts".into(),
            QuizField::TimeLimit => "time_limit".into(),
            QuizField::Questions => "questions".into(),
            QuizField::Question(i) => format!("q{i}"),
            QuizField::Prompt(i) => format!("q{i}.prompt"),
            QuizField::Points(i) => format!("q{i}.points"),
            QuizField::Explanation(i) => format!("q{i}.explanation"),
            QuizField::Item(i, k) => format!("q{i}.option{k}"),
            QuizField::Answer(i, k) => format!("q{i}.accepted{k}"),
        }
    }
}

/// One reason a quiz cannot be saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizProblem {
    pub field: QuizField,
    pub msg: Msg,
}

impl QuizProblem {
    /// "Question 3: …" for a question's problem (1-based), the message alone otherwise.
    pub fn text(self, locale: Locale) -> String {
        match self.field.question() {
            Some(i) => {
                let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
                format!(
                    "{}: {}",
                    Msg::Quiz(QuizMsg::Question { number }).text(locale),
                    self.msg.text(locale)
                )
            }
            None => self.msg.text(locale),
        }
    }
}

/// The problems as a validation error, one per field (see [`QuizField::name`]).
pub fn to_app_error(problems: &[QuizProblem]) -> AppError {
    AppError::Validation(
        problems
            .iter()
            .map(|p| FieldError {
                field: p.field.name(),
                msg: p.msg,
            })
            .collect(),
    )
}

/// Checks a quiz before it is saved or imported. Returns every problem found, settings first,
/// then the questions in order.
pub fn validate(spec: &QuizSpec) -> Result<(), Vec<QuizProblem>> {
    let mut problems = Vec::new();
    let mut add = |field: QuizField, msg: Msg| problems.push(QuizProblem { field, msg });

    let s = &spec.settings;
    if let Some(msg) = check_line(&s.title, TITLE_MAX, Msg::Quiz(QuizMsg::NoTitle)) {
        add(QuizField::Title, msg);
    }
    if !(1..=PASS_MAX).contains(&s.pass_percent) {
        add(QuizField::PassPercent, Msg::Quiz(QuizMsg::PassRange));
    }
    if let Some(a) = s.attempts
        && !(1..=ATTEMPTS_MAX).contains(&a)
    {
        add(QuizField::Attempts, Msg::Quiz(QuizMsg::AttemptsRange));
    }
    if let Some(t) = s.time_limit_minutes
        && !(1..=TIME_MAX_MINUTES).contains(&t)
    {
        add(QuizField::TimeLimit, Msg::Quiz(QuizMsg::TimeRange));
    }

    if spec.questions.is_empty() {
        add(QuizField::Questions, Msg::Quiz(QuizMsg::NoQuestions));
    } else if spec.questions.len() > QUESTIONS_MAX {
        add(
            QuizField::Questions,
            Msg::Quiz(QuizMsg::TooManyQuestions {
                max: QUESTIONS_MAX as u32,
            }),
        );
    }
    for (i, q) in spec.questions.iter().enumerate() {
        validate_question(i, q, &mut add);
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn validate_question(i: usize, q: &Question, add: &mut impl FnMut(QuizField, Msg)) {
    if q.prompt.trim().is_empty() {
        add(QuizField::Prompt(i), Msg::Quiz(QuizMsg::EmptyPrompt));
    } else if q.prompt.chars().count() > PROMPT_MAX {
        add(
            QuizField::Prompt(i),
            Msg::TooLong {
                max: PROMPT_MAX as u32,
            },
        );
    }
    if !(1..=POINTS_MAX).contains(&q.points) {
        add(QuizField::Points(i), Msg::Quiz(QuizMsg::PointsRange));
    }
    if let Some(e) = &q.explanation {
        if e.trim().is_empty() {
            add(
                QuizField::Explanation(i),
                Msg::Quiz(QuizMsg::EmptyExplanation),
            );
        } else if e.chars().count() > EXPLANATION_MAX {
            add(
                QuizField::Explanation(i),
                Msg::TooLong {
                    max: EXPLANATION_MAX as u32,
                },
            );
        }
    }

    let whole = QuizField::Question(i);
    let stray = match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => !q.accepted.is_empty(),
        QuestionKind::Text => !q.options.is_empty() || !q.correct.is_empty(),
        QuestionKind::Ordering => !q.accepted.is_empty() || !q.correct.is_empty(),
    };
    if stray {
        add(whole, Msg::Quiz(QuizMsg::KindMismatch));
    }

    if q.kind == QuestionKind::Text {
        if q.accepted.is_empty() {
            add(whole, Msg::Quiz(QuizMsg::NoAcceptedAnswer));
        } else if q.accepted.len() > ACCEPTED_MAX {
            add(
                whole,
                Msg::Quiz(QuizMsg::TooManyAnswers {
                    max: ACCEPTED_MAX as u32,
                }),
            );
        }
        check_list(
            &q.accepted,
            Msg::Quiz(QuizMsg::EmptyAnswer),
            Msg::Quiz(QuizMsg::DuplicateAnswer),
            |k, m| add(QuizField::Answer(i, k), m),
        );
        return;
    }

    let n = q.options.len();
    if n < OPTIONS_MIN {
        add(
            whole,
            Msg::Quiz(QuizMsg::TooFewOptions {
                min: OPTIONS_MIN as u32,
            }),
        );
    } else if n > OPTIONS_MAX {
        add(
            whole,
            Msg::Quiz(QuizMsg::TooManyOptions {
                max: OPTIONS_MAX as u32,
            }),
        );
    }
    check_list(
        &q.options,
        Msg::Quiz(QuizMsg::EmptyOption),
        Msg::Quiz(QuizMsg::DuplicateOption),
        |k, m| add(QuizField::Item(i, k), m),
    );

    if q.kind == QuestionKind::Ordering {
        return;
    }
    match distinct_sorted(&q.correct) {
        Some(correct) if correct.iter().all(|&c| c < n) => {
            if correct.is_empty() {
                add(whole, Msg::Quiz(QuizMsg::NoCorrectOption));
            } else if q.kind == QuestionKind::Single && correct.len() > 1 {
                add(whole, Msg::Quiz(QuizMsg::OneCorrectOption));
            }
        }
        _ => add(whole, Msg::Quiz(QuizMsg::CorrectIndex)),
    }
}

/// Options or accepted answers: each on one line, not empty, not too long, not a repeat of an
/// earlier one (compared with `normalize_text`).
fn check_list(list: &[String], empty: Msg, duplicate: Msg, mut add: impl FnMut(usize, Msg)) {
    let mut seen: Vec<String> = Vec::with_capacity(list.len());
    for (k, item) in list.iter().enumerate() {
        let key = normalize_text(item);
        if let Some(msg) = check_line(item, OPTION_MAX, empty) {
            add(k, msg);
        } else if seen.contains(&key) {
            add(k, duplicate);
        }
        seen.push(key);
    }
}

/// A one-line text: not blank, no line breaks, at most `max` characters.
fn check_line(s: &str, max: usize, empty: Msg) -> Option<Msg> {
    if s.trim().is_empty() {
        Some(empty)
    } else if s.contains(['\n', '\r']) {
        Some(Msg::Quiz(QuizMsg::Multiline))
    } else if s.chars().count() > max {
        Some(Msg::TooLong { max: max as u32 })
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// What the server functions exchange (see [`api`])

/// A correct answer as the learner sees it after submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CorrectAnswer {
    /// Positions (in the shown options) of the correct options, ascending; one for single choice.
    Options(Vec<usize>),
    /// The accepted answers of a text question.
    Text(Vec<String>),
    /// The shown positions in the correct order: `Answer::Ordering` of this list is right.
    Order(Vec<usize>),
}

/// A quiz as its author edits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizEdit {
    pub id: i64,
    pub spec: QuizSpec,
    /// The quiz in the text format ([`format::to_text`]).
    pub text: String,
    /// Attempts learners have started on any version.
    pub attempts_count: i64,
}

/// A quiz in a course's list: settings and the caller's best result, no questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizSummary {
    pub id: i64,
    /// `None`: the course's final exam.
    pub lesson_id: Option<i64>,
    pub title: String,
    pub questions: i64,
    pub total_points: u32,
    pub pass_percent: u32,
    pub attempts_allowed: Option<u32>,
    pub time_limit_minutes: Option<u32>,
    /// The caller's best submitted score.
    pub best_percent: Option<u32>,
    /// Whether the caller passed it.
    pub passed: bool,
}

/// A submitted attempt in a quiz's overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: i64,
    pub number: u32,
    pub percent: u32,
    pub passed: bool,
    pub submitted_at: i64,
}

/// A quiz's start page: settings and the caller's attempts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizOverview {
    pub id: i64,
    pub title: String,
    pub course_id: i64,
    pub course_slug: String,
    pub course_title: String,
    /// `None`: the course's final exam.
    pub lesson_id: Option<i64>,
    pub lesson_title: Option<String>,
    pub questions: i64,
    pub total_points: u32,
    pub pass_percent: u32,
    pub attempts_allowed: Option<u32>,
    pub time_limit_minutes: Option<u32>,
    /// Attempts the caller started (submitted or not).
    pub attempts_used: u32,
    /// `None`: unlimited.
    pub attempts_left: Option<u32>,
    pub best_percent: Option<u32>,
    pub passed: bool,
    /// The caller's attempt in progress, if any.
    pub in_progress: Option<i64>,
    /// Whether the caller may start (or continue) an attempt: enrolled learners and the author,
    /// with an attempt in progress or attempts left.
    pub may_start: bool,
    pub is_author: bool,
    /// The caller's submitted attempts, newest first.
    pub attempts: Vec<AttemptSummary>,
}

/// An attempt in progress: the questions as the learner sees them (no correct answers, no
/// explanations) and the answers saved so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptView {
    pub id: i64,
    pub quiz_id: i64,
    pub title: String,
    pub number: u32,
    /// In the attempt's order; options shuffled as the quiz says.
    pub questions: Vec<QuestionView>,
    /// (question id, answer in shown positions).
    pub answers: Vec<(i64, Answer)>,
    /// Unix ms; `None`: no time limit.
    pub deadline_at: Option<i64>,
    /// The server's clock (unix ms), so the browser can count down without trusting its own.
    pub now: i64,
}

/// One question of a submitted attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultItem {
    pub question: QuestionView,
    pub your_answer: Option<Answer>,
    /// `None` while the quiz's review option keeps the answers back (see [`Review`]).
    pub correct: Option<CorrectAnswer>,
    pub earned: u32,
    pub points: u32,
    /// `None` when there is none, or while the answers are kept back.
    pub explanation: Option<String>,
}

/// A submitted attempt with its score and, per question, the correct answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub attempt_id: i64,
    pub quiz_id: i64,
    pub title: String,
    pub number: u32,
    pub submitted_at: i64,
    pub earned: u32,
    pub total: u32,
    pub percent: u32,
    pub passed: bool,
    pub pass_percent: u32,
    /// The attempt owner's attempts left on the quiz's current settings; `None`: unlimited.
    pub attempts_left: Option<u32>,
    /// The attempt owner's best score on the quiz.
    pub best_percent: Option<u32>,
    /// In the attempt's order.
    pub items: Vec<ResultItem>,
    /// The attempt owner's certificate for the course, once issued (shown with passing results).
    pub certificate_code: Option<String>,
    /// The quiz's review option in effect (its own, or the default for its place).
    pub review: Review,
    /// Whether `items` carry the correct answers and explanations.
    pub answers_shown: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(options: &[&str], correct: usize) -> Question {
        Question {
            kind: QuestionKind::Single,
            prompt: "Which?".into(),
            points: 2,
            options: options.iter().map(|s| s.to_string()).collect(),
            correct: vec![correct],
            ..Question::default()
        }
    }

    fn multiple(options: &[&str], correct: &[usize]) -> Question {
        Question {
            kind: QuestionKind::Multiple,
            prompt: "Which ones?".into(),
            points: 3,
            options: options.iter().map(|s| s.to_string()).collect(),
            correct: correct.to_vec(),
            ..Question::default()
        }
    }

    fn text(accepted: &[&str]) -> Question {
        Question {
            kind: QuestionKind::Text,
            prompt: "Capital of France?".into(),
            points: 4,
            accepted: accepted.iter().map(|s| s.to_string()).collect(),
            ..Question::default()
        }
    }

    fn ordering(items: &[&str]) -> Question {
        Question {
            kind: QuestionKind::Ordering,
            prompt: "Put in order".into(),
            points: 5,
            options: items.iter().map(|s| s.to_string()).collect(),
            ..Question::default()
        }
    }

    fn spec(questions: Vec<Question>) -> QuizSpec {
        QuizSpec {
            settings: QuizSettings {
                title: "Quiz".into(),
                ..QuizSettings::default()
            },
            questions,
        }
    }

    fn ten() -> Vec<String> {
        (0..10).map(|i| format!("option {i}")).collect()
    }

    /// The problems of a spec that has exactly one question `q`.
    fn problems_of(q: Question) -> Vec<QuizProblem> {
        validate(&spec(vec![q])).expect_err("expected problems")
    }

    fn problem(field: QuizField, msg: Msg) -> QuizProblem {
        QuizProblem { field, msg }
    }

    #[test]
    fn correct_answers_are_given_in_shown_positions() {
        let seed = 0xDEAD_BEEF;
        let q = multiple(
            &ten().iter().map(String::as_str).collect::<Vec<_>>(),
            &[1, 4],
        );
        let CorrectAnswer::Options(shown) = correct_shown(&q, 3, seed, true) else {
            panic!("options expected");
        };
        assert_eq!(
            grade_shown(&q, 3, seed, true, Some(&Answer::Multiple(shown))),
            3
        );
        let q = single(&["a", "b", "c"], 2);
        assert_eq!(
            correct_shown(&q, 0, seed, false),
            CorrectAnswer::Options(vec![2])
        );
        let q = ordering(&["one", "two", "three", "four", "five"]);
        let CorrectAnswer::Order(order) = correct_shown(&q, 7, seed, false) else {
            panic!("order expected");
        };
        assert_ne!(order, vec![0, 1, 2, 3, 4], "shown shuffled");
        assert_eq!(
            grade_shown(&q, 7, seed, false, Some(&Answer::Ordering(order))),
            5
        );
        let q = text(&["Париж", "Paris"]);
        assert_eq!(
            correct_shown(&q, 1, seed, true),
            CorrectAnswer::Text(vec!["Париж".into(), "Paris".into()])
        );
    }

    #[test]
    fn kinds_are_stored_as_short_codes() {
        for &k in QuestionKind::ALL {
            assert_eq!(QuestionKind::from_code(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        assert_eq!(QuestionKind::Ordering.code(), "ordering");
        assert_eq!(QuestionKind::from_code("Single"), None);
        assert_eq!(QuestionKind::from_code(""), None);
        // JSON uses the same codes.
        assert_eq!(
            serde_json::to_string(&QuestionKind::Multiple).unwrap(),
            "\"multiple\""
        );
    }

    #[test]
    fn normalize_ignores_case_spaces_and_yo() {
        assert_eq!(normalize_text("  Париж  "), "париж");
        assert_eq!(normalize_text("Нью   Йорк"), "нью йорк");
        assert_eq!(normalize_text("a\t\n b\u{a0}c"), "a b c");
        assert_eq!(normalize_text("ЁЛКА"), "елка");
        assert_eq!(normalize_text("ёж"), normalize_text("ЕЖ"));
        // Decomposed forms, as some keyboards and copy-paste produce them.
        assert_eq!(normalize_text("Е\u{308}ж"), "еж");
        assert_eq!(normalize_text("И\u{306}ога"), "йога");
        assert_eq!(normalize_text("ÄÖÜ Straße"), "äöü straße");
        assert_eq!(normalize_text(" \t "), "");
    }

    #[test]
    fn single_choice_grading() {
        let q = single(&["4", "7", "9"], 1);
        assert_eq!(grade(&q, Some(&Answer::Single(1))), 2);
        assert_eq!(grade(&q, Some(&Answer::Single(0))), 0);
        assert_eq!(grade(&q, Some(&Answer::Single(3))), 0, "out of range");
        assert_eq!(grade(&q, Some(&Answer::Single(usize::MAX))), 0);
        assert_eq!(grade(&q, Some(&Answer::Multiple(vec![1]))), 0, "wrong kind");
        assert_eq!(grade(&q, Some(&Answer::Text("7".into()))), 0, "wrong kind");
        assert_eq!(grade(&q, Some(&Answer::Ordering(vec![1]))), 0, "wrong kind");
        assert_eq!(grade(&q, None), 0);
    }

    #[test]
    fn multiple_choice_is_all_or_nothing() {
        let q = multiple(&["2", "3", "4", "5"], &[0, 2]);
        assert_eq!(grade(&q, Some(&Answer::Multiple(vec![0, 2]))), 3);
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![2, 0]))),
            3,
            "any order"
        );
        assert_eq!(grade(&q, Some(&Answer::Multiple(vec![0]))), 0, "subset");
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![0, 1, 2]))),
            0,
            "superset"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![0, 2, 2]))),
            0,
            "duplicate"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![0, 0, 2]))),
            0,
            "duplicate"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![]))),
            0,
            "nothing chosen"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![0, 2, 9]))),
            0,
            "out of range"
        );
        assert_eq!(grade(&q, Some(&Answer::Single(0))), 0, "wrong kind");
        assert_eq!(grade(&q, None), 0);
        // Every option correct: choosing all of them is right.
        let all = multiple(&["a", "b"], &[1, 0]);
        assert_eq!(grade(&all, Some(&Answer::Multiple(vec![0, 1]))), 3);
    }

    #[test]
    fn text_answers_match_loosely() {
        let q = text(&["Париж", "Paris"]);
        for typed in ["Париж", "париж", "  ПАРИЖ ", "paris", "PaRiS\n"] {
            assert_eq!(grade(&q, Some(&Answer::Text(typed.into()))), 4, "{typed:?}");
        }
        assert_eq!(grade(&q, Some(&Answer::Text("Лондон".into()))), 0);
        assert_eq!(grade(&q, Some(&Answer::Text("Пари".into()))), 0);
        assert_eq!(grade(&q, Some(&Answer::Text("".into()))), 0);
        assert_eq!(grade(&q, Some(&Answer::Text("   ".into()))), 0);
        assert_eq!(grade(&q, Some(&Answer::Single(0))), 0, "wrong kind");
        assert_eq!(grade(&q, None), 0);

        let q = text(&["Нью-Йорк", "ёлка зелёная"]);
        assert_eq!(grade(&q, Some(&Answer::Text("нью-йорк".into()))), 4);
        assert_eq!(grade(&q, Some(&Answer::Text("Нью - Йорк".into()))), 0);
        assert_eq!(grade(&q, Some(&Answer::Text("Елка   зеленая".into()))), 4);
        assert_eq!(grade(&q, Some(&Answer::Text("ЁЛКА\tЗЕЛЁНАЯ".into()))), 4);
        // An empty accepted answer (refused by `validate`) matches nothing.
        let q = text(&[""]);
        assert_eq!(grade(&q, Some(&Answer::Text(" ".into()))), 0);
    }

    #[test]
    fn ordering_needs_the_exact_order() {
        let q = ordering(&["one", "two", "three", "four"]);
        assert_eq!(grade(&q, Some(&Answer::Ordering(vec![0, 1, 2, 3]))), 5);
        assert_eq!(
            grade(&q, Some(&Answer::Ordering(vec![1, 0, 2, 3]))),
            0,
            "wrong"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Ordering(vec![0, 1, 2]))),
            0,
            "partial"
        );
        assert_eq!(grade(&q, Some(&Answer::Ordering(vec![]))), 0, "empty");
        assert_eq!(
            grade(&q, Some(&Answer::Ordering(vec![0, 1, 2, 2]))),
            0,
            "duplicate"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Ordering(vec![0, 1, 2, 3, 3]))),
            0,
            "longer"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Ordering(vec![0, 1, 2, 4]))),
            0,
            "out of range"
        );
        assert_eq!(
            grade(&q, Some(&Answer::Multiple(vec![0, 1, 2, 3]))),
            0,
            "wrong kind"
        );
        assert_eq!(grade(&q, None), 0);
    }

    #[test]
    fn scores_are_rounded_down() {
        assert_eq!(score_percent(0, 0), 0);
        assert_eq!(score_percent(0, 10), 0);
        assert_eq!(score_percent(2, 3), 66);
        assert_eq!(score_percent(1, 3), 33);
        assert_eq!(score_percent(699, 1000), 69);
        assert_eq!(score_percent(7, 10), 70);
        assert_eq!(score_percent(10, 10), 100);
        assert_eq!(score_percent(11, 10), 100, "never above 100");
        assert_eq!(score_percent(u32::MAX, u32::MAX), 100, "no overflow");
    }

    #[test]
    fn passing_needs_the_full_percentage() {
        assert!(passed(7, 10, 70));
        assert!(!passed(699, 1000, 70), "69.9 % is not 70 %");
        assert!(passed(700, 1000, 70));
        assert!(!passed(2, 3, 67), "66.7 % is not 67 %");
        assert!(passed(2, 3, 66));
        assert!(passed(10, 10, 100));
        assert!(!passed(9, 10, 100));
        assert!(passed(1, 100, 1));
        assert!(!passed(0, 100, 1));
        assert!(!passed(0, 0, 1), "a quiz without points passes nobody");
    }

    #[test]
    fn total_points_add_up() {
        let s = spec(vec![
            single(&["a", "b"], 0),
            text(&["x"]),
            ordering(&["a", "b"]),
        ]);
        assert_eq!(s.total_points(), 2 + 4 + 5);
    }

    #[test]
    fn shuffle_is_deterministic_and_seed_dependent() {
        let q = Question {
            options: ten(),
            ..single(&[], 0)
        };
        let a = option_order(&q, 7, 42, true);
        assert_eq!(a, option_order(&q, 7, 42, true), "same seed, same order");
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>(), "a permutation");
        assert_ne!(a, (0..10).collect::<Vec<_>>());
        assert_ne!(a, option_order(&q, 7, 43, true), "another seed");
        assert_ne!(a, option_order(&q, 8, 42, true), "another question");
        // Over many seeds the orders spread out (no generator stuck on a few outcomes).
        let distinct: std::collections::HashSet<Vec<usize>> = (0..50)
            .map(|seed| option_order(&q, 1, seed, true))
            .collect();
        assert_eq!(distinct.len(), 50);
        // The same holds for the view itself.
        let v1 = learner_view(&q, 7, 42, true);
        assert_eq!(v1, learner_view(&q, 7, 42, true));
        assert_ne!(v1.options, learner_view(&q, 7, 1, true).options);
    }

    #[test]
    fn choice_options_keep_the_authors_order_unless_shuffled() {
        let q = Question {
            options: ten(),
            ..multiple(&[], &[0])
        };
        assert_eq!(option_order(&q, 1, 99, false), (0..10).collect::<Vec<_>>());
        assert_eq!(learner_view(&q, 1, 99, false).options, ten());
    }

    #[test]
    fn ordering_items_are_shuffled_without_giving_the_order_away() {
        // Two items: either order, about half the time each (always reversed would tell).
        let two = ordering(&["a", "b"]);
        let reversed = (0..400)
            .filter(|&seed| option_order(&two, 5, seed, false) == vec![1, 0])
            .count();
        assert!(
            (150..=250).contains(&reversed),
            "{reversed} of 400 reversed"
        );
        for seed in 0..50 {
            let mut o = option_order(&two, 5, seed, false);
            o.sort_unstable();
            assert_eq!(o, vec![0, 1]);
        }
        let q = ordering(&["1", "2", "3", "4", "5"]);
        for seed in 0..500 {
            let order = option_order(&q, 5, seed, false);
            assert_ne!(order, vec![0, 1, 2, 3, 4], "seed {seed}");
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
        }
        // Shuffling options or not makes no difference for ordering.
        assert_eq!(option_order(&q, 5, 3, false), option_order(&q, 5, 3, true));
    }

    #[test]
    fn question_order_is_deterministic() {
        assert_eq!(question_order(5, 1, false), vec![0, 1, 2, 3, 4]);
        let a = question_order(10, 1, true);
        assert_eq!(a, question_order(10, 1, true));
        assert_ne!(a, question_order(10, 2, true));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert!(question_order(0, 1, true).is_empty());
    }

    #[test]
    fn the_view_carries_no_correct_data() {
        let secret = "SECRET-EXPLANATION";
        let mut questions = vec![
            Question {
                options: ten(),
                correct: vec![3],
                ..single(&[], 0)
            },
            Question {
                options: ten(),
                correct: vec![1, 4],
                ..multiple(&[], &[])
            },
            text(&["ACCEPTED-ONE", "ACCEPTED-TWO"]),
            ordering(&["first", "second", "third", "fourth"]),
        ];
        for q in &mut questions {
            q.explanation = Some(secret.into());
        }
        for (i, q) in questions.iter().enumerate() {
            let view = learner_view(q, i as i64 + 1, 12345, true);
            let json = serde_json::to_string(&view).unwrap();
            for leak in ["correct", "accepted", "explanation", secret, "ACCEPTED"] {
                assert!(!json.contains(leak), "{leak} in {json}");
            }
            assert_eq!(view.prompt, q.prompt);
            assert_eq!(view.points, q.points);
            assert_eq!(view.kind, q.kind);
            // The view lists the options and nothing else: as many as the author wrote.
            let mut shown = view.options.clone();
            shown.sort();
            let mut all = q.options.clone();
            all.sort();
            assert_eq!(shown, all);
        }
        // A text question shows no options at all.
        assert!(learner_view(&questions[2], 3, 1, true).options.is_empty());
        // An ordering question is not shown in its correct order.
        assert_ne!(
            learner_view(&questions[3], 4, 12345, false).options,
            questions[3].options
        );
    }

    #[test]
    fn answers_by_shown_position_are_graded_against_the_authors_indices() {
        let (id, seed) = (17, 0xFEED);
        // Single: the learner clicks the option whose text is the correct one.
        let q = Question {
            options: ten(),
            correct: vec![6],
            ..single(&[], 0)
        };
        let view = learner_view(&q, id, seed, true);
        let pos = view.options.iter().position(|o| o == "option 6").unwrap();
        assert_eq!(
            grade_shown(&q, id, seed, true, Some(&Answer::Single(pos))),
            2
        );
        let wrong = (pos + 1) % 10;
        assert_eq!(
            grade_shown(&q, id, seed, true, Some(&Answer::Single(wrong))),
            0
        );
        assert_eq!(
            grade_shown(&q, id, seed, true, Some(&Answer::Single(10))),
            0
        );
        assert_eq!(grade_shown(&q, id, seed, true, None), 0);

        // Multiple.
        let q = Question {
            options: ten(),
            correct: vec![2, 5, 9],
            ..multiple(&[], &[])
        };
        let view = learner_view(&q, id, seed, true);
        let find = |t: &str| view.options.iter().position(|o| o == t).unwrap();
        let chosen = vec![find("option 9"), find("option 2"), find("option 5")];
        assert_eq!(
            grade_shown(&q, id, seed, true, Some(&Answer::Multiple(chosen.clone()))),
            3
        );
        assert_eq!(
            grade_shown(
                &q,
                id,
                seed,
                true,
                Some(&Answer::Multiple(chosen[..2].to_vec()))
            ),
            0
        );

        // Ordering: the learner drags the shown items back into the correct order.
        let q = ordering(&["один", "два", "три", "четыре", "пять"]);
        let view = learner_view(&q, id, seed, false);
        let restored: Vec<usize> = q
            .options
            .iter()
            .map(|item| view.options.iter().position(|o| o == item).unwrap())
            .collect();
        assert_eq!(
            grade_shown(&q, id, seed, false, Some(&Answer::Ordering(restored))),
            5
        );
        // Sending the shown order back unchanged earns nothing.
        let untouched = Answer::Ordering((0..5).collect());
        assert_eq!(grade_shown(&q, id, seed, false, Some(&untouched)), 0);

        // Text answers pass through unchanged.
        let q = text(&["Париж"]);
        let a = Answer::Text("париж".into());
        assert_eq!(grade_shown(&q, id, seed, true, Some(&a)), 4);
    }

    #[test]
    fn positions_out_of_range_map_to_nothing() {
        let order = vec![2, 0, 1];
        assert_eq!(
            to_original(&Answer::Single(0), &order),
            Some(Answer::Single(2))
        );
        assert_eq!(
            to_original(&Answer::Ordering(vec![1, 2, 0]), &order),
            Some(Answer::Ordering(vec![0, 1, 2]))
        );
        assert_eq!(to_original(&Answer::Single(3), &order), None);
        assert_eq!(to_original(&Answer::Multiple(vec![0, 3]), &order), None);
        assert_eq!(to_original(&Answer::Ordering(vec![0, 1, 7]), &order), None);
        assert_eq!(
            to_original(&Answer::Text("x".into()), &order),
            Some(Answer::Text("x".into()))
        );
    }

    #[test]
    fn answers_travel_as_small_json() {
        let a = Answer::Multiple(vec![1, 3]);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"multiple":[1,3]}"#);
        assert_eq!(serde_json::from_str::<Answer>(&json).unwrap(), a);
        assert_eq!(a.kind(), QuestionKind::Multiple);
    }

    #[test]
    fn a_good_quiz_is_valid() {
        let s = spec(vec![
            single(&["4", "7", "9"], 1),
            multiple(&["2", "3", "4"], &[0, 2]),
            text(&["Париж", "Paris"]),
            ordering(&["один", "два", "три"]),
        ]);
        assert_eq!(validate(&s), Ok(()));
    }

    #[test]
    fn settings_out_of_range_are_refused() {
        let mut s = spec(vec![single(&["a", "b"], 0)]);
        s.settings.title = "  ".into();
        s.settings.pass_percent = 0;
        s.settings.attempts = Some(0);
        s.settings.time_limit_minutes = Some(0);
        assert_eq!(
            validate(&s),
            Err(vec![
                problem(QuizField::Title, Msg::Quiz(QuizMsg::NoTitle)),
                problem(QuizField::PassPercent, Msg::Quiz(QuizMsg::PassRange)),
                problem(QuizField::Attempts, Msg::Quiz(QuizMsg::AttemptsRange)),
                problem(QuizField::TimeLimit, Msg::Quiz(QuizMsg::TimeRange)),
            ])
        );
        s.settings.title = "x".repeat(TITLE_MAX + 1);
        s.settings.pass_percent = 101;
        s.settings.attempts = Some(101);
        s.settings.time_limit_minutes = Some(601);
        assert_eq!(
            validate(&s),
            Err(vec![
                problem(QuizField::Title, Msg::TooLong { max: 120 }),
                problem(QuizField::PassPercent, Msg::Quiz(QuizMsg::PassRange)),
                problem(QuizField::Attempts, Msg::Quiz(QuizMsg::AttemptsRange)),
                problem(QuizField::TimeLimit, Msg::Quiz(QuizMsg::TimeRange)),
            ])
        );
        s.settings.title = "Two\nlines".into();
        s.settings.pass_percent = 100;
        s.settings.attempts = Some(100);
        s.settings.time_limit_minutes = Some(600);
        assert_eq!(
            validate(&s),
            Err(vec![problem(
                QuizField::Title,
                Msg::Quiz(QuizMsg::Multiline)
            )])
        );
        s.settings.title = "x".repeat(TITLE_MAX);
        s.settings.pass_percent = 1;
        s.settings.attempts = Some(1);
        s.settings.time_limit_minutes = Some(1);
        assert_eq!(validate(&s), Ok(()));
        s.settings.attempts = None;
        s.settings.time_limit_minutes = None;
        assert_eq!(validate(&s), Ok(()));
    }

    #[test]
    fn the_number_of_questions_is_bounded() {
        assert_eq!(
            validate(&spec(vec![])),
            Err(vec![problem(
                QuizField::Questions,
                Msg::Quiz(QuizMsg::NoQuestions)
            )])
        );
        let q = single(&["a", "b"], 0);
        assert_eq!(validate(&spec(vec![q.clone(); QUESTIONS_MAX])), Ok(()));
        assert_eq!(
            validate(&spec(vec![q; QUESTIONS_MAX + 1])),
            Err(vec![problem(
                QuizField::Questions,
                Msg::Quiz(QuizMsg::TooManyQuestions { max: 200 })
            )])
        );
    }

    #[test]
    fn prompts_points_and_explanations_are_checked() {
        let mut q = single(&["a", "b"], 0);
        q.prompt = " \n ".into();
        q.points = 0;
        q.explanation = Some("  ".into());
        assert_eq!(
            problems_of(q.clone()),
            vec![
                problem(QuizField::Prompt(0), Msg::Quiz(QuizMsg::EmptyPrompt)),
                problem(QuizField::Points(0), Msg::Quiz(QuizMsg::PointsRange)),
                problem(
                    QuizField::Explanation(0),
                    Msg::Quiz(QuizMsg::EmptyExplanation)
                ),
            ]
        );
        q.prompt = "я".repeat(PROMPT_MAX + 1);
        q.points = POINTS_MAX + 1;
        q.explanation = Some("я".repeat(EXPLANATION_MAX + 1));
        assert_eq!(
            problems_of(q.clone()),
            vec![
                problem(QuizField::Prompt(0), Msg::TooLong { max: 5000 }),
                problem(QuizField::Points(0), Msg::Quiz(QuizMsg::PointsRange)),
                problem(QuizField::Explanation(0), Msg::TooLong { max: 5000 }),
            ]
        );
        // The limits themselves are fine; prompts may span lines.
        q.prompt = format!("{}\n", "я".repeat(PROMPT_MAX - 1));
        q.points = POINTS_MAX;
        q.explanation = Some("я".repeat(EXPLANATION_MAX));
        assert_eq!(validate(&spec(vec![q])), Ok(()));
    }

    #[test]
    fn options_are_checked() {
        assert_eq!(
            problems_of(single(&["only"], 0)),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::TooFewOptions { min: 2 })
            )]
        );
        assert_eq!(
            problems_of(ordering(&["only"])),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::TooFewOptions { min: 2 })
            )]
        );
        let many: Vec<String> = (0..=OPTIONS_MAX).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            problems_of(multiple(&refs, &[0])),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::TooManyOptions { max: 20 })
            )]
        );
        assert_eq!(
            validate(&spec(vec![multiple(&refs[..OPTIONS_MAX], &[0])])),
            Ok(())
        );
        assert_eq!(
            problems_of(single(&["a", " ", "b"], 0)),
            vec![problem(
                QuizField::Item(0, 1),
                Msg::Quiz(QuizMsg::EmptyOption)
            )]
        );
        assert_eq!(
            problems_of(single(&["a", "b\nc"], 0)),
            vec![problem(
                QuizField::Item(0, 1),
                Msg::Quiz(QuizMsg::Multiline)
            )]
        );
        let long = "x".repeat(OPTION_MAX + 1);
        assert_eq!(
            problems_of(single(&["a", &long], 0)),
            vec![problem(QuizField::Item(0, 1), Msg::TooLong { max: 500 })]
        );
    }

    #[test]
    fn duplicate_options_are_compared_loosely() {
        assert_eq!(
            problems_of(single(&["Ёж", "кот", " ЕЖ "], 0)),
            vec![problem(
                QuizField::Item(0, 2),
                Msg::Quiz(QuizMsg::DuplicateOption)
            )]
        );
        assert_eq!(
            problems_of(multiple(&["a  b", "c", "A B", "a b"], &[1])),
            vec![
                problem(QuizField::Item(0, 2), Msg::Quiz(QuizMsg::DuplicateOption)),
                problem(QuizField::Item(0, 3), Msg::Quiz(QuizMsg::DuplicateOption)),
            ]
        );
        assert_eq!(
            problems_of(ordering(&["один", "два", "Один"])),
            vec![problem(
                QuizField::Item(0, 2),
                Msg::Quiz(QuizMsg::DuplicateOption)
            )]
        );
    }

    #[test]
    fn correct_marks_are_checked() {
        let mut q = single(&["a", "b", "c"], 0);
        q.correct = vec![];
        assert_eq!(
            problems_of(q.clone()),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::NoCorrectOption)
            )]
        );
        q.correct = vec![0, 2];
        assert_eq!(
            problems_of(q.clone()),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::OneCorrectOption)
            )]
        );
        q.correct = vec![3];
        assert_eq!(
            problems_of(q.clone()),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::CorrectIndex)
            )]
        );
        assert_eq!(
            problems_of(multiple(&["a", "b"], &[])),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::NoCorrectOption)
            )]
        );
        assert_eq!(
            problems_of(multiple(&["a", "b"], &[1, 1])),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::CorrectIndex)
            )]
        );
        assert_eq!(
            problems_of(multiple(&["a", "b"], &[0, 2])),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::CorrectIndex)
            )]
        );
    }

    #[test]
    fn accepted_answers_are_checked() {
        assert_eq!(
            problems_of(text(&[])),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::NoAcceptedAnswer)
            )]
        );
        assert_eq!(
            problems_of(text(&["Париж", "  "])),
            vec![problem(
                QuizField::Answer(0, 1),
                Msg::Quiz(QuizMsg::EmptyAnswer)
            )]
        );
        assert_eq!(
            problems_of(text(&["Париж", "париж"])),
            vec![problem(
                QuizField::Answer(0, 1),
                Msg::Quiz(QuizMsg::DuplicateAnswer)
            )]
        );
        let many: Vec<String> = (0..=ACCEPTED_MAX).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            problems_of(text(&refs)),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::TooManyAnswers { max: 20 })
            )]
        );
    }

    #[test]
    fn data_of_another_kind_is_refused() {
        let mut q = text(&["x"]);
        q.options = vec!["a".into(), "b".into()];
        assert_eq!(
            problems_of(q),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::KindMismatch)
            )]
        );
        let mut q = single(&["a", "b"], 0);
        q.accepted = vec!["a".into()];
        assert_eq!(
            problems_of(q),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::KindMismatch)
            )]
        );
        let mut q = ordering(&["a", "b"]);
        q.correct = vec![0];
        assert_eq!(
            problems_of(q),
            vec![problem(
                QuizField::Question(0),
                Msg::Quiz(QuizMsg::KindMismatch)
            )]
        );
    }

    #[test]
    fn every_problem_of_every_question_is_reported() {
        let s = spec(vec![
            single(&["a", "b"], 0),
            single(&["a", "a"], 5),
            text(&[]),
        ]);
        assert_eq!(
            validate(&s),
            Err(vec![
                problem(QuizField::Item(1, 1), Msg::Quiz(QuizMsg::DuplicateOption)),
                problem(QuizField::Question(1), Msg::Quiz(QuizMsg::CorrectIndex)),
                problem(QuizField::Question(2), Msg::Quiz(QuizMsg::NoAcceptedAnswer)),
            ])
        );
    }

    #[test]
    fn problems_read_well_and_name_form_fields() {
        let p = problem(QuizField::Item(2, 0), Msg::Quiz(QuizMsg::EmptyOption));
        assert!(p.text(Locale::En).starts_with("Question 3: "));
        assert!(p.text(Locale::Ru).starts_with("Вопрос 3: "));
        let p = problem(QuizField::PassPercent, Msg::Quiz(QuizMsg::PassRange));
        assert_eq!(
            p.text(Locale::En),
            Msg::Quiz(QuizMsg::PassRange).text(Locale::En)
        );

        let e = to_app_error(&[
            problem(QuizField::Title, Msg::Quiz(QuizMsg::NoTitle)),
            problem(QuizField::Item(2, 1), Msg::Quiz(QuizMsg::EmptyOption)),
            problem(QuizField::Answer(0, 3), Msg::Quiz(QuizMsg::EmptyAnswer)),
        ]);
        assert_eq!(e.field_msg("title"), Some(Msg::Quiz(QuizMsg::NoTitle)));
        assert_eq!(
            e.field_msg("q2.option1"),
            Some(Msg::Quiz(QuizMsg::EmptyOption))
        );
        assert_eq!(
            e.field_msg("q0.accepted3"),
            Some(Msg::Quiz(QuizMsg::EmptyAnswer))
        );
    }

    #[test]
    fn messages_state_the_same_limits_as_the_code() {
        let en = |m: Msg| m.text(Locale::En);
        assert!(en(Msg::Quiz(QuizMsg::PointsRange)).contains(&format!("1 to {POINTS_MAX}")));
        assert!(en(Msg::Quiz(QuizMsg::PassRange)).contains(&format!("1 to {PASS_MAX}")));
        assert!(en(Msg::Quiz(QuizMsg::AttemptsRange)).contains(&format!("1 to {ATTEMPTS_MAX}")));
        assert!(en(Msg::Quiz(QuizMsg::TimeRange)).contains(&format!("1 to {TIME_MAX_MINUTES}")));
        let ru = |m: Msg| m.text(Locale::Ru);
        assert!(ru(Msg::Quiz(QuizMsg::PointsRange)).contains(&format!("1 до {POINTS_MAX}")));
        assert!(ru(Msg::Quiz(QuizMsg::PassRange)).contains(&format!("1 до {PASS_MAX}")));
        assert!(ru(Msg::Quiz(QuizMsg::AttemptsRange)).contains(&format!("1 до {ATTEMPTS_MAX}")));
        assert!(ru(Msg::Quiz(QuizMsg::TimeRange)).contains(&format!("1 до {TIME_MAX_MINUTES}")));
    }

    #[test]
    fn quiz_messages_exist_in_both_languages() {
        let all = [
            Msg::Quiz(QuizMsg::NoTitle),
            Msg::Quiz(QuizMsg::NoQuestions),
            Msg::Quiz(QuizMsg::TooManyQuestions { max: 200 }),
            Msg::Quiz(QuizMsg::EmptyPrompt),
            Msg::Quiz(QuizMsg::PointsRange),
            Msg::Quiz(QuizMsg::EmptyExplanation),
            Msg::Quiz(QuizMsg::KindMismatch),
            Msg::Quiz(QuizMsg::TooFewOptions { min: 2 }),
            Msg::Quiz(QuizMsg::TooManyOptions { max: 20 }),
            Msg::Quiz(QuizMsg::EmptyOption),
            Msg::Quiz(QuizMsg::DuplicateOption),
            Msg::Quiz(QuizMsg::NoCorrectOption),
            Msg::Quiz(QuizMsg::OneCorrectOption),
            Msg::Quiz(QuizMsg::CorrectIndex),
            Msg::Quiz(QuizMsg::NoAcceptedAnswer),
            Msg::Quiz(QuizMsg::TooManyAnswers { max: 20 }),
            Msg::Quiz(QuizMsg::EmptyAnswer),
            Msg::Quiz(QuizMsg::DuplicateAnswer),
            Msg::Quiz(QuizMsg::Multiline),
            Msg::Quiz(QuizMsg::PassRange),
            Msg::Quiz(QuizMsg::AttemptsRange),
            Msg::Quiz(QuizMsg::TimeRange),
            Msg::Quiz(QuizMsg::Format),
            Msg::Quiz(QuizMsg::UnknownLine),
            Msg::Quiz(QuizMsg::UnknownKey),
            Msg::Quiz(QuizMsg::DuplicateKey),
            Msg::Quiz(QuizMsg::SettingsFirst),
            Msg::Quiz(QuizMsg::OutsideQuestion),
            Msg::Quiz(QuizMsg::LineNotForKind),
            Msg::Quiz(QuizMsg::OrderNumber { expected: 3 }),
            Msg::Quiz(QuizMsg::Continuation),
            Msg::Quiz(QuizMsg::ShuffleValue),
            Msg::Quiz(QuizMsg::Line { line: 12 }),
            Msg::Quiz(QuizMsg::Question { number: 4 }),
        ];
        let mut seen = std::collections::HashSet::new();
        for m in all {
            let (en, ru) = (m.text(Locale::En), m.text(Locale::Ru));
            assert_ne!(en, ru, "{m:?}");
            assert!(!en.is_empty() && !ru.is_empty(), "{m:?}");
            assert!(seen.insert(en), "{m:?} repeats another message");
        }
        assert_eq!(
            Msg::Quiz(QuizMsg::Line { line: 12 }).text(Locale::Ru),
            "Строка 12"
        );
        assert!(
            Msg::Quiz(QuizMsg::OrderNumber { expected: 3 })
                .text(Locale::En)
                .contains("be 3.")
        );
    }

    #[test]
    fn tidy_trims_around_text_but_keeps_paragraphs() {
        let mut s = spec(vec![Question {
            prompt: "\r\n  First line  \r\n\r\n    code  \n\n".into(),
            options: vec![" a ".into(), "\tb".into()],
            explanation: Some(" \n ".into()),
            ..single(&[], 0)
        }]);
        s.settings.title = "  Title ".into();
        s.tidy();
        assert_eq!(s.settings.title, "Title");
        assert_eq!(s.questions[0].prompt, "First line\n\n    code");
        assert_eq!(s.questions[0].options, vec!["a", "b"]);
        assert_eq!(s.questions[0].explanation, None);
        let again = s.clone();
        s.tidy();
        assert_eq!(s, again, "idempotent");
    }
}
