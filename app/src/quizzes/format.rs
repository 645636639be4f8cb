//! Writing quizzes outside the browser: a plain-text format meant for people, and JSON.
//!
//! # The text format
//!
//! A quiz file is plain text (UTF-8), read line by line. Settings come first, then the
//! questions. A complete example:
//!
//! ````text
//! # Lines that start with "#" are comments.
//! title: Итоговый тест по арифметике
//! pass: 70
//! attempts: 3
//! time: 20
//! shuffle: questions, options
//!
//! ? Какое из чисел простое?
//! points: 2
//! - 4
//! + 7
//! - 9
//! explain: У 7 ровно два делителя: 1 и 7.
//!
//! ?? Выберите чётные числа.
//! + 2
//! - 3
//! + 4
//!
//! ?= Столица Франции?
//! = Париж
//! = Paris
//!
//! ?> Расположите числа по возрастанию.
//! 1. один
//! 2. два
//! 3. три
//!
//! ? Что выведет программа?
//!   ```python
//!   print(2 + 2)
//!   ```
//!
//!   Выберите **один** ответ.
//! - 22
//! + 4
//! - -4
//! explain: Оператор `+` складывает числа.
//!   Строки он бы склеил: `"2" + "2"` даёт `"22"`.
//! ````
//!
//! ## Settings
//!
//! One per line, as `name: value`, before the first question. Names are case-insensitive and may
//! be written in Russian (in brackets below).
//!
//! | name | value | if left out |
//! |------|-------|-------------|
//! | `title` (`название`) | the quiz title, one line, up to 120 characters | required |
//! | `pass` (`порог`) | passing score in percent, 1 to 100; `70` or `70%` | 70 |
//! | `attempts` (`попытки`) | 1 to 100, or `unlimited` (`без ограничений`) | unlimited |
//! | `time` (`время`) | time limit in minutes, 1 to 600, or `none` (`нет`) | no limit |
//! | `shuffle` (`перемешать`) | `questions` (`вопросы`), `options` (`варианты`), both (comma or space between), or `none` (`нет`) | none |
//! | `review` (`разбор`) | when learners see the correct answers: `each` (`каждая`, after each attempt), `pass` (`сдача`, once passed or out of attempts), `never` (`никогда`) | `each` for a lesson quiz, `pass` for a final exam |
//! | `required` (`обязательный`) | `yes` (`да`): a lesson quiz that must be passed to complete its lesson; `no` (`нет`) | no |
//!
//! `shuffle: options` shuffles the options of choice questions; the items of an ordering question
//! are always shown shuffled.
//!
//! ## Questions
//!
//! A question starts with a line whose first characters give its type, followed by its text:
//!
//! | starts with | type | then, one per line |
//! |-------------|------|--------------------|
//! | `?`  | single choice: exactly one correct option | `+ correct option`, `- wrong option` |
//! | `??` | multiple choice: one or more correct options, full points only for exactly the correct set | `+ correct option`, `- wrong option` |
//! | `?=` | text answer | `= accepted answer` (any of them counts) |
//! | `?>` | ordering: the learner puts shuffled items back in order | `1. item`, `2. item`, … in the correct order |
//!
//! Choice and ordering questions have 2 to 20 options (items); a text question has 1 to 20
//! accepted answers. Options and answers are one line each, up to 500 characters, and must differ
//! from each other (ignoring case, extra spaces and "ё"/"е"). Items are numbered 1, 2, 3… in
//! order; the number is checked, the correct order is the order of the lines. Typed answers are
//! compared ignoring case and extra spaces, and "ё" counts as "е": `= Париж` accepts "париж",
//! "  ПАРИЖ ".
//!
//! A question may also have, anywhere in its block:
//! - `points: N` (`баллы`) — 1 to 100, default 1;
//! - `explain: text` (`пояснение`) — shown to the learner after the attempt is submitted.
//!
//! ## Longer text
//!
//! A question's text and its explanation may be Markdown over several lines: every *indented*
//! line (starting with a space or a tab) continues the text above it. Two spaces (or one tab) of
//! indentation are removed, deeper indentation is kept (for code). Blank lines between indented
//! lines are kept as paragraph breaks. Inside the indented text the markers mean nothing, so a
//! Markdown list (`  - item`) or heading (`  # Title`) is fine there.
//!
//! ## What a line means
//!
//! Only a line's first characters decide what it is, and everything after the marker is text:
//! `- -4` is a wrong option "-4", `+ +` a correct option "+", `? ?` a question "?", `1. 2. два` an
//! item "2. два". So no escaping is needed. The space after `+`, `-`, `=` and `?` markers is
//! optional (`+7` is the option "7"); after `1.` it is required. Options, answers and settings
//! start at the beginning of the line — indented, they would be taken as text. Blank lines are
//! ignored (they separate questions nicely); a `#` starts a comment only at the beginning of a
//! line, so `title: C# для начинающих` is fine.
//!
//! ## Errors
//!
//! The file is checked as a whole, and every problem is reported with its line number (the first
//! line is 1): lines that are not understood, options outside a question, bad numbers, unknown
//! or repeated settings, and the same checks as the quiz editor (a question without a correct
//! option is reported on its `?` line, a repeated option on its own line). Problems that have no
//! line of their own — a missing title, no questions — are reported at line 1.
//!
//! # JSON
//!
//! [`to_json`] writes a [`QuizSpec`] as pretty JSON; [`from_json`] reads it back, refusing
//! unknown field names, and reports where the JSON is broken. Question fields: `kind` (`single`,
//! `multiple`, `text`, `ordering`), `prompt`, `points` (default 1), `options`, `correct`
//! (0-based indices into `options`), `accepted`, `explanation`. [`from_json`] checks only the
//! shape; call [`validate`](super::validate) before saving.

use super::{
    Question, QuestionKind, QuizField, QuizProblem, QuizSettings, QuizSpec, Review, validate,
};
use crate::error::Msg;
use crate::i18n::Locale;
use crate::quizzes::QuizMsg;
use serde::{Deserialize, Serialize};

/// The example from this module's documentation, for the editor's help and placeholder.
pub const EXAMPLE: &str = r##"# Lines that start with "#" are comments.
title: Итоговый тест по арифметике
pass: 70
attempts: 3
time: 20
shuffle: questions, options

? Какое из чисел простое?
points: 2
- 4
+ 7
- 9
explain: У 7 ровно два делителя: 1 и 7.

?? Выберите чётные числа.
+ 2
- 3
+ 4

?= Столица Франции?
= Париж
= Paris

?> Расположите числа по возрастанию.
1. один
2. два
3. три

? Что выведет программа?
  ```python
  print(2 + 2)
  ```

  Выберите **один** ответ.
- 22
+ 4
- -4
explain: Оператор `+` складывает числа.
  Строки он бы склеил: `"2" + "2"` даёт `"22"`.
"##;

/// A problem in an imported file, at a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    pub line: u32,
    pub msg: Msg,
}

impl ImportError {
    /// "Line 12: …" / "Строка 12: …".
    pub fn text(self, locale: Locale) -> String {
        format!(
            "{}: {}",
            Msg::Quiz(QuizMsg::Line { line: self.line }).text(locale),
            self.msg.text(locale)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

/// The quiz as pretty-printed JSON.
pub fn to_json(spec: &QuizSpec) -> String {
    // Plain structs of strings and numbers always serialize; the fallback is never taken.
    serde_json::to_string_pretty(spec).unwrap_or_default()
}

/// Reads a quiz written as JSON. Checks the shape only (see [`validate`]); a broken file is
/// reported at the line where reading stopped.
pub fn from_json(input: &str) -> Result<QuizSpec, ImportError> {
    serde_json::from_str(input).map_err(|e| ImportError {
        line: u32::try_from(e.line()).unwrap_or(u32::MAX).max(1),
        msg: Msg::Quiz(QuizMsg::Format),
    })
}

// ---------------------------------------------------------------------------------------------
// Writing text

/// The quiz in the text format. Writes a tidied copy (see [`QuizSpec::tidy`]), so for every
/// valid quiz `parse_text(&to_text(spec))` gives back the tidied quiz. Line breaks inside
/// one-line fields (which [`validate`] refuses) are written as spaces.
pub fn to_text(spec: &QuizSpec) -> String {
    let mut spec = spec.clone();
    spec.tidy();
    let mut out = String::new();
    let s = &spec.settings;
    push_line(&mut out, &format!("title: {}", one_line(&s.title)));
    push_line(&mut out, &format!("pass: {}", s.pass_percent));
    match s.attempts {
        Some(n) => push_line(&mut out, &format!("attempts: {n}")),
        None => push_line(&mut out, "attempts: unlimited"),
    }
    if let Some(t) = s.time_limit_minutes {
        push_line(&mut out, &format!("time: {t}"));
    }
    match (s.shuffle_questions, s.shuffle_options) {
        (true, true) => push_line(&mut out, "shuffle: questions, options"),
        (true, false) => push_line(&mut out, "shuffle: questions"),
        (false, true) => push_line(&mut out, "shuffle: options"),
        (false, false) => {}
    }
    if let Some(r) = s.review {
        push_line(&mut out, &format!("review: {}", review_word(r)));
    }
    if s.pass_required {
        push_line(&mut out, "required: yes");
    }

    for q in &spec.questions {
        out.push('\n');
        let marker = match q.kind {
            QuestionKind::Single => "?",
            QuestionKind::Multiple => "??",
            QuestionKind::Text => "?=",
            QuestionKind::Ordering => "?>",
        };
        push_block(&mut out, marker, &q.prompt);
        if q.points != 1 {
            push_line(&mut out, &format!("points: {}", q.points));
        }
        match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                for (k, o) in q.options.iter().enumerate() {
                    let mark = if q.correct.contains(&k) { '+' } else { '-' };
                    push_line(&mut out, &format!("{mark} {}", one_line(o)));
                }
            }
            QuestionKind::Text => {
                for a in &q.accepted {
                    push_line(&mut out, &format!("= {}", one_line(a)));
                }
            }
            QuestionKind::Ordering => {
                for (k, o) in q.options.iter().enumerate() {
                    push_line(&mut out, &format!("{}. {}", k + 1, one_line(o)));
                }
            }
        }
        if let Some(e) = &q.explanation {
            push_block(&mut out, "explain:", e);
        }
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// `head` and the first line of `text`, then the other lines indented (blank ones left blank).
fn push_block(out: &mut String, head: &str, text: &str) {
    let mut lines = text.split('\n');
    push_line(out, &format!("{head} {}", lines.next().unwrap_or_default()));
    for l in lines {
        if l.is_empty() {
            out.push('\n');
        } else {
            push_line(out, &format!("  {l}"));
        }
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

// ---------------------------------------------------------------------------------------------
// Reading text

/// Reads a quiz in the text format (see the module documentation) and validates it. Returns
/// every problem found, in line order.
pub fn parse_text(input: &str) -> Result<QuizSpec, Vec<ImportError>> {
    let mut p = Parser::default();
    for (i, line) in input.lines().enumerate() {
        p.line(u32::try_from(i + 1).unwrap_or(u32::MAX), line);
    }
    p.finish()
}

/// Which text indented lines continue.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Target {
    #[default]
    Nothing,
    Prompt,
    Explanation,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Title,
    Pass,
    Attempts,
    Time,
    Shuffle,
    Review,
    Required,
    Points,
    Explain,
}

impl Key {
    fn from_name(name: &str) -> Option<Key> {
        Some(match name.to_lowercase().as_str() {
            "title" | "название" => Key::Title,
            "pass" | "порог" => Key::Pass,
            "attempts" | "попытки" => Key::Attempts,
            "time" | "время" => Key::Time,
            "shuffle" | "перемешать" => Key::Shuffle,
            "review" | "разбор" => Key::Review,
            "required" | "обязательный" => Key::Required,
            "points" | "баллы" => Key::Points,
            "explain" | "пояснение" => Key::Explain,
            _ => return None,
        })
    }
}

/// Where the settings were given.
#[derive(Default)]
struct SettingLines {
    title: Option<u32>,
    pass: Option<u32>,
    attempts: Option<u32>,
    time: Option<u32>,
    shuffle: Option<u32>,
    review: Option<u32>,
    required: Option<u32>,
}

/// Where a question's parts were given.
struct QuestionLines {
    start: u32,
    points: Option<u32>,
    explain: Option<u32>,
    options: Vec<u32>,
    accepted: Vec<u32>,
}

#[derive(Default)]
struct Parser {
    spec: QuizSpec,
    settings: SettingLines,
    lines: Vec<QuestionLines>,
    errors: Vec<ImportError>,
    target: Target,
    /// Blank lines seen since the last line of the text being continued.
    blanks: usize,
}

impl Parser {
    fn error(&mut self, line: u32, msg: Msg) {
        self.errors.push(ImportError { line, msg });
    }

    fn line(&mut self, n: u32, line: &str) {
        if line.trim().is_empty() {
            if self.target != Target::Nothing {
                self.blanks += 1;
            }
            return;
        }
        if line.starts_with(char::is_whitespace) {
            self.continuation(n, line);
            return;
        }
        if line.starts_with('#') {
            // Comments leave everything as it was, even a text being continued.
            return;
        }
        self.target = Target::Nothing;
        self.blanks = 0;

        for (marker, kind) in [
            ("??", QuestionKind::Multiple),
            ("?=", QuestionKind::Text),
            ("?>", QuestionKind::Ordering),
            ("?", QuestionKind::Single),
        ] {
            if let Some(rest) = line.strip_prefix(marker) {
                self.question(n, kind, rest.trim());
                return;
            }
        }
        if let Some(rest) = line.strip_prefix('+') {
            self.option(n, true, rest.trim());
        } else if let Some(rest) = line.strip_prefix('-') {
            self.option(n, false, rest.trim());
        } else if let Some(rest) = line.strip_prefix('=') {
            self.accepted(n, rest.trim());
        } else if let Some((number, rest)) = numbered(line) {
            self.item(n, number, rest.trim());
        } else if let Some((name, value)) = key_value(line) {
            self.key(n, name, value.trim());
        } else {
            self.error(n, Msg::Quiz(QuizMsg::UnknownLine));
        }
    }

    /// An indented line: more of the prompt or explanation above.
    fn continuation(&mut self, n: u32, line: &str) {
        let content = line
            .strip_prefix("  ")
            .or_else(|| line.strip_prefix('\t'))
            .unwrap_or_else(|| {
                let mut chars = line.chars();
                chars.next();
                chars.as_str()
            })
            .trim_end();
        let blanks = std::mem::take(&mut self.blanks);
        let q = self.spec.questions.last_mut();
        let text = match (self.target, q) {
            (Target::Prompt, Some(q)) => &mut q.prompt,
            (Target::Explanation, Some(q)) => q.explanation.get_or_insert_with(String::new),
            _ => {
                self.error(n, Msg::Quiz(QuizMsg::Continuation));
                return;
            }
        };
        if text.is_empty() {
            text.push_str(content.trim_start());
        } else {
            for _ in 0..=blanks {
                text.push('\n');
            }
            text.push_str(content);
        }
    }

    fn question(&mut self, n: u32, kind: QuestionKind, prompt: &str) {
        self.spec.questions.push(Question {
            kind,
            prompt: prompt.to_string(),
            ..Question::default()
        });
        self.lines.push(QuestionLines {
            start: n,
            points: None,
            explain: None,
            options: Vec::new(),
            accepted: Vec::new(),
        });
        self.target = Target::Prompt;
    }

    /// The current question, if its kind is one of `kinds`; reports the line otherwise.
    fn current(&mut self, n: u32, kinds: &[QuestionKind]) -> Option<usize> {
        match self.spec.questions.last() {
            None => {
                self.error(n, Msg::Quiz(QuizMsg::OutsideQuestion));
                None
            }
            Some(q) if !kinds.contains(&q.kind) => {
                self.error(n, Msg::Quiz(QuizMsg::LineNotForKind));
                None
            }
            Some(_) => Some(self.spec.questions.len() - 1),
        }
    }

    fn option(&mut self, n: u32, correct: bool, text: &str) {
        let Some(i) = self.current(n, &[QuestionKind::Single, QuestionKind::Multiple]) else {
            return;
        };
        let q = &mut self.spec.questions[i];
        if correct {
            q.correct.push(q.options.len());
        }
        q.options.push(text.to_string());
        self.lines[i].options.push(n);
    }

    fn accepted(&mut self, n: u32, text: &str) {
        let Some(i) = self.current(n, &[QuestionKind::Text]) else {
            return;
        };
        self.spec.questions[i].accepted.push(text.to_string());
        self.lines[i].accepted.push(n);
    }

    fn item(&mut self, n: u32, number: Option<u32>, text: &str) {
        let Some(i) = self.current(n, &[QuestionKind::Ordering]) else {
            return;
        };
        let q = &mut self.spec.questions[i];
        let expected = u32::try_from(q.options.len() + 1).unwrap_or(u32::MAX);
        q.options.push(text.to_string());
        self.lines[i].options.push(n);
        if number != Some(expected) {
            self.error(n, Msg::Quiz(QuizMsg::OrderNumber { expected }));
        }
    }

    fn key(&mut self, n: u32, name: &str, value: &str) {
        let Some(key) = Key::from_name(name) else {
            self.error(n, Msg::Quiz(QuizMsg::UnknownKey));
            return;
        };
        let in_question = !self.spec.questions.is_empty();
        match key {
            Key::Points | Key::Explain if !in_question => {
                self.error(n, Msg::Quiz(QuizMsg::OutsideQuestion))
            }
            Key::Points | Key::Explain => self.question_key(n, key, value),
            _ if in_question => self.error(n, Msg::Quiz(QuizMsg::SettingsFirst)),
            _ => self.setting(n, key, value),
        }
    }

    fn setting(&mut self, n: u32, key: Key, value: &str) {
        let seen = match key {
            Key::Title => &mut self.settings.title,
            Key::Pass => &mut self.settings.pass,
            Key::Attempts => &mut self.settings.attempts,
            Key::Time => &mut self.settings.time,
            Key::Review => &mut self.settings.review,
            Key::Required => &mut self.settings.required,
            Key::Shuffle | Key::Points | Key::Explain => &mut self.settings.shuffle,
        };
        if seen.is_some() {
            self.error(n, Msg::Quiz(QuizMsg::DuplicateKey));
            return;
        }
        *seen = Some(n);
        let s = &mut self.spec.settings;
        let result = match key {
            Key::Title => {
                s.title = value.to_string();
                Ok(())
            }
            Key::Pass => number(value.strip_suffix('%').unwrap_or(value).trim_end())
                .map(|v| s.pass_percent = v)
                .ok_or(Msg::Quiz(QuizMsg::PassRange)),
            Key::Attempts => limit(value)
                .map(|v| s.attempts = v)
                .ok_or(Msg::Quiz(QuizMsg::AttemptsRange)),
            Key::Time => limit(value)
                .map(|v| s.time_limit_minutes = v)
                .ok_or(Msg::Quiz(QuizMsg::TimeRange)),
            Key::Review => review(value)
                .map(|r| s.review = Some(r))
                .ok_or(Msg::Quiz(QuizMsg::ReviewValue)),
            Key::Required => yes_no(value)
                .map(|v| s.pass_required = v)
                .ok_or(Msg::Quiz(QuizMsg::RequiredValue)),
            Key::Shuffle | Key::Points | Key::Explain => shuffle(value, s),
        };
        if let Err(msg) = result {
            self.error(n, msg);
        }
    }

    fn question_key(&mut self, n: u32, key: Key, value: &str) {
        let i = self.spec.questions.len() - 1;
        let (lines, q) = (&mut self.lines[i], &mut self.spec.questions[i]);
        let seen = if key == Key::Points {
            &mut lines.points
        } else {
            &mut lines.explain
        };
        if seen.is_some() {
            self.error(n, Msg::Quiz(QuizMsg::DuplicateKey));
            return;
        }
        *seen = Some(n);
        if key == Key::Points {
            match number(value) {
                Some(points) => q.points = points,
                None => self.error(n, Msg::Quiz(QuizMsg::PointsRange)),
            }
        } else {
            q.explanation = Some(value.to_string());
            self.target = Target::Explanation;
        }
    }

    fn finish(mut self) -> Result<QuizSpec, Vec<ImportError>> {
        if let Err(problems) = validate(&self.spec) {
            for p in problems {
                let line = self.line_of(p);
                self.error(line, p.msg);
            }
        }
        let mut errors = self.errors;
        errors.sort_by_key(|e| e.line);
        errors.dedup();
        if errors.is_empty() {
            Ok(self.spec)
        } else {
            Err(errors)
        }
    }

    /// The line a validation problem is about (1 when it has none).
    fn line_of(&self, p: QuizProblem) -> u32 {
        let s = &self.settings;
        let q = |i: usize| self.lines.get(i);
        let line = match p.field {
            QuizField::Title => s.title,
            QuizField::PassPercent => s.pass,
            QuizField::Attempts => s.attempts,
            QuizField::TimeLimit => s.time,
            // Too many questions: the first one over the limit.
            QuizField::Questions => q(super::QUESTIONS_MAX).map(|l| l.start),
            QuizField::Question(i) | QuizField::Prompt(i) => q(i).map(|l| l.start),
            QuizField::Points(i) => q(i).map(|l| l.points.unwrap_or(l.start)),
            QuizField::Explanation(i) => q(i).map(|l| l.explain.unwrap_or(l.start)),
            QuizField::Item(i, k) => q(i).and_then(|l| l.options.get(k).copied()),
            QuizField::Answer(i, k) => q(i).and_then(|l| l.accepted.get(k).copied()),
        };
        line.unwrap_or(1)
    }
}

/// `12. text` or `12) text`: the number (`None` if too large) and the text.
fn numbered(line: &str) -> Option<(Option<u32>, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let rest = line[digits..]
        .strip_prefix('.')
        .or_else(|| line[digits..].strip_prefix(')'))?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((line[..digits].parse().ok(), rest))
}

/// `name: value` where the name is one word of letters.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim_end();
    (!name.is_empty() && name.chars().all(char::is_alphabetic)).then_some((name, value))
}

/// A whole number; range checks are left to `validate`, which reports them on the same line.
fn number(value: &str) -> Option<u32> {
    value.trim().parse().ok()
}

/// A number, or a word for "no limit".
fn limit(value: &str) -> Option<Option<u32>> {
    match value.to_lowercase().as_str() {
        "unlimited" | "none" | "no" | "нет" | "без ограничений" | "неограниченно" => {
            Some(None)
        }
        v => number(v).map(Some),
    }
}

/// The word `to_text` writes for a review option.
fn review_word(r: Review) -> &'static str {
    match r {
        Review::EachAttempt => "each",
        Review::PassOrLast => "pass",
        Review::Never => "never",
    }
}

fn review(value: &str) -> Option<Review> {
    Some(match value.trim().to_lowercase().as_str() {
        "each"
        | "each attempt"
        | "after each attempt"
        | "каждая"
        | "каждая попытка"
        | "после каждой попытки" => Review::EachAttempt,
        "pass" | "after a pass" | "pass or last" | "сдача" | "после сдачи" => {
            Review::PassOrLast
        }
        "never" | "no" | "никогда" | "нет" => Review::Never,
        _ => return None,
    })
}

fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "yes" | "true" | "да" => Some(true),
        "no" | "false" | "нет" => Some(false),
        _ => None,
    }
}

fn shuffle(value: &str, s: &mut QuizSettings) -> Result<(), Msg> {
    let (mut questions, mut options) = (false, false);
    let words: Vec<String> = value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Err(Msg::Quiz(QuizMsg::ShuffleValue));
    }
    for w in &words {
        match w.as_str() {
            "questions" | "вопросы" => questions = true,
            "options" | "варианты" => options = true,
            "none" | "no" | "нет" if words.len() == 1 => {}
            _ => return Err(Msg::Quiz(QuizMsg::ShuffleValue)),
        }
    }
    s.shuffle_questions = questions;
    s.shuffle_options = options;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{QUESTIONS_MAX, SplitMix64};
    use super::*;

    fn err(line: u32, msg: Msg) -> ImportError {
        ImportError { line, msg }
    }

    fn parse_err(input: &str) -> Vec<ImportError> {
        parse_text(input).expect_err("expected errors")
    }

    /// A small valid file with one question after `header` lines, for settings tests.
    fn with_header(header: &str) -> String {
        format!("{header}\n? Q\n+ a\n- b\n")
    }

    fn lines_of(s: &str) -> Vec<&str> {
        s.lines().collect()
    }

    #[test]
    fn the_example_reads_as_documented() {
        let spec = parse_text(EXAMPLE).unwrap();
        let s = &spec.settings;
        assert_eq!(s.title, "Итоговый тест по арифметике");
        assert_eq!(s.pass_percent, 70);
        assert_eq!(s.attempts, Some(3));
        assert_eq!(s.time_limit_minutes, Some(20));
        assert!(s.shuffle_questions && s.shuffle_options);

        let q = &spec.questions;
        assert_eq!(q.len(), 5);
        assert_eq!(
            q[0],
            Question {
                kind: QuestionKind::Single,
                prompt: "Какое из чисел простое?".into(),
                points: 2,
                options: vec!["4".into(), "7".into(), "9".into()],
                correct: vec![1],
                accepted: vec![],
                explanation: Some("У 7 ровно два делителя: 1 и 7.".into()),
            }
        );
        assert_eq!(q[1].kind, QuestionKind::Multiple);
        assert_eq!(q[1].points, 1);
        assert_eq!(q[1].correct, vec![0, 2]);
        assert_eq!(q[2].kind, QuestionKind::Text);
        assert_eq!(q[2].accepted, vec!["Париж", "Paris"]);
        assert!(q[2].options.is_empty());
        assert_eq!(q[3].kind, QuestionKind::Ordering);
        assert_eq!(q[3].options, vec!["один", "два", "три"]);
        assert!(q[3].correct.is_empty());
        assert_eq!(
            q[4].prompt,
            "Что выведет программа?\n```python\nprint(2 + 2)\n```\n\nВыберите **один** ответ."
        );
        assert_eq!(q[4].options, vec!["22", "4", "-4"]);
        assert_eq!(q[4].correct, vec![1]);
        assert_eq!(
            q[4].explanation.as_deref(),
            Some(
                "Оператор `+` складывает числа.\nСтроки он бы склеил: `\"2\" + \"2\"` даёт `\"22\"`."
            )
        );
    }

    #[test]
    fn the_documentation_shows_the_example() {
        let source = include_str!("format.rs");
        let doc: Vec<&str> = source
            .lines()
            .skip_while(|l| *l != "//! ````text")
            .skip(1)
            .take_while(|l| *l != "//! ````")
            .map(|l| {
                l.strip_prefix("//! ")
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        assert_eq!(doc, lines_of(EXAMPLE));
    }

    #[test]
    fn writing_the_example_reads_back_the_same_quiz() {
        let spec = parse_text(EXAMPLE).unwrap();
        let text = to_text(&spec);
        assert_eq!(parse_text(&text).unwrap(), spec);
        // Comments aside, the written form is the example itself.
        let without_comment: Vec<&str> = lines_of(EXAMPLE).into_iter().skip(1).collect();
        assert_eq!(lines_of(&text), without_comment);
    }

    fn tricky_spec() -> QuizSpec {
        QuizSpec {
            settings: QuizSettings {
                title: "Тест: «Ёжики» & C# — часть 2".into(),
                pass_percent: 85,
                attempts: None,
                time_limit_minutes: Some(600),
                shuffle_questions: false,
                shuffle_options: true,
                review: Some(Review::PassOrLast),
                pass_required: true,
            },
            questions: vec![
                Question {
                    kind: QuestionKind::Single,
                    prompt: "? Вопрос, который начинается с вопросительного знака".into(),
                    points: 100,
                    options: vec!["+5".into(), "-5".into(), "- 5 -".into(), "= 5".into()],
                    correct: vec![1],
                    accepted: vec![],
                    explanation: None,
                },
                Question {
                    kind: QuestionKind::Multiple,
                    prompt: "Многострочный вопрос:\n\n- пункт списка\n+ ещё пункт\n\n\n    код()\n# заголовок\n1. нумерация\n? и вопрос".into(),
                    points: 1,
                    options: vec!["+".into(), "-".into(), "?".into(), "#".into(), "1. два".into()],
                    correct: vec![0, 1, 4],
                    accepted: vec![],
                    explanation: Some("Первая строка\n  с отступом\n\nи абзац: points: 5".into()),
                },
                Question {
                    kind: QuestionKind::Text,
                    prompt: "=> стрелка".into(),
                    points: 7,
                    options: vec![],
                    correct: vec![],
                    accepted: vec!["= равно".into(), "Ёлка".into(), "title: нет".into()],
                    explanation: Some("explain: внутри".into()),
                },
                Question {
                    kind: QuestionKind::Ordering,
                    prompt: ">".into(),
                    points: 3,
                    options: vec!["3. три".into(), "- минус".into(), "+ плюс".into(), "12) двенадцать".into()],
                    correct: vec![],
                    accepted: vec![],
                    explanation: None,
                },
            ],
        }
    }

    #[test]
    fn text_round_trip_keeps_everything() {
        let spec = tricky_spec();
        assert_eq!(validate(&spec), Ok(()));
        let text = to_text(&spec);
        assert_eq!(parse_text(&text), Ok(spec.clone()), "{text}");
        // Writing twice gives the same text.
        assert_eq!(to_text(&parse_text(&text).unwrap()), text);
        // Windows line endings read the same.
        assert_eq!(parse_text(&text.replace('\n', "\r\n")), Ok(spec));
    }

    #[test]
    fn text_round_trip_of_every_setting_combination() {
        let mut spec = tricky_spec();
        for (q, o) in [(false, false), (true, false), (false, true), (true, true)] {
            for (attempts, time) in [(None, None), (Some(1), Some(1)), (Some(100), None)] {
                spec.settings.shuffle_questions = q;
                spec.settings.shuffle_options = o;
                spec.settings.attempts = attempts;
                spec.settings.time_limit_minutes = time;
                assert_eq!(parse_text(&to_text(&spec)), Ok(spec.clone()));
            }
        }
    }

    #[test]
    fn untidy_quizzes_come_back_tidied() {
        let mut spec = tricky_spec();
        spec.settings.title = "  padded  ".into();
        spec.questions[0].prompt = "\n\n  text  \r\n".into();
        spec.questions[0].options[0] = "  +5  ".into();
        spec.questions[1].explanation = Some(" \n ".into());
        let mut tidy = spec.clone();
        tidy.tidy();
        assert_eq!(tidy.questions[1].explanation, None);
        assert_eq!(parse_text(&to_text(&spec)), Ok(tidy));
    }

    /// Random valid quizzes from a pool of awkward fragments survive the text format.
    #[test]
    fn random_quizzes_round_trip() {
        const BITS: &[&str] = &[
            "a",
            "Ё",
            "ж",
            " ",
            "  ",
            "+",
            "-",
            "=",
            "?",
            "??",
            "?=",
            "?>",
            "#",
            ":",
            "1.",
            "2)",
            "title:",
            "points: 3",
            "explain:",
            "\t",
            "`",
            "*",
            "«",
            "»",
            "€",
            "😀",
            "\u{a0}",
            "x",
        ];
        let mut g = SplitMix64(2024);
        fn text_of(g: &mut SplitMix64, lines: bool) -> String {
            let mut s = String::new();
            for _ in 0..1 + g.below(8) {
                if lines && g.below(5) == 0 {
                    s.push_str(["\n", "\n\n", "\n  "][g.below(3)]);
                }
                s.push_str(BITS[g.below(BITS.len())]);
            }
            s
        }
        let mut checked = 0;
        for round in 0..400 {
            let mut spec = QuizSpec::default();
            spec.settings.title = text_of(&mut g, false);
            spec.settings.pass_percent = 1 + g.below(100) as u32;
            spec.settings.attempts = [None, Some(1 + g.below(100) as u32)][g.below(2)];
            spec.settings.time_limit_minutes = [None, Some(1 + g.below(600) as u32)][g.below(2)];
            spec.settings.shuffle_questions = g.below(2) == 0;
            spec.settings.shuffle_options = g.below(2) == 0;
            spec.settings.review = [
                None,
                Some(Review::EachAttempt),
                Some(Review::PassOrLast),
                Some(Review::Never),
            ][g.below(4)];
            spec.settings.pass_required = g.below(2) == 0;
            for _ in 0..1 + g.below(4) {
                let kind = QuestionKind::ALL[g.below(4)];
                let mut q = Question {
                    kind,
                    prompt: text_of(&mut g, true),
                    points: 1 + g.below(100) as u32,
                    explanation: [None, Some(text_of(&mut g, true))][g.below(2)].clone(),
                    ..Question::default()
                };
                let list: Vec<String> = (0..2 + g.below(4))
                    .map(|_| text_of(&mut g, false))
                    .collect();
                match kind {
                    QuestionKind::Text => q.accepted = list,
                    QuestionKind::Ordering => q.options = list,
                    QuestionKind::Single => {
                        q.correct = vec![g.below(list.len())];
                        q.options = list;
                    }
                    QuestionKind::Multiple => {
                        q.correct = (0..list.len()).filter(|_| g.below(2) == 0).collect();
                        q.options = list;
                    }
                }
                spec.questions.push(q);
            }
            spec.tidy();
            if validate(&spec).is_err() {
                continue; // e.g. two options equal after normalization
            }
            checked += 1;
            let text = to_text(&spec);
            assert_eq!(parse_text(&text), Ok(spec), "round {round}:\n{text}");
        }
        assert!(checked > 100, "only {checked} valid quizzes generated");
    }

    #[test]
    fn json_round_trip() {
        let spec = tricky_spec();
        let json = to_json(&spec);
        assert!(json.contains("\"kind\": \"multiple\""), "{json}");
        assert_eq!(from_json(&json), Ok(spec));
        let example = parse_text(EXAMPLE).unwrap();
        assert_eq!(from_json(&to_json(&example)), Ok(example));
    }

    #[test]
    fn short_json_uses_defaults() {
        let json = r#"{
  "settings": {"title": "Тест"},
  "questions": [{"kind": "text", "prompt": "2+2?", "accepted": ["4", "четыре"]}]
}"#;
        let spec = from_json(json).unwrap();
        assert_eq!(spec.settings.pass_percent, 70);
        assert_eq!(spec.settings.attempts, None);
        assert_eq!(spec.questions[0].points, 1);
        assert_eq!(validate(&spec), Ok(()));
    }

    #[test]
    fn broken_json_names_the_line() {
        let unknown_field = "{\n  \"settings\": {\"title\": \"T\"},\n  \"questions\": [\n    {\"kind\": \"single\", \"prompt\": \"x\", \"optons\": []}\n  ]\n}";
        assert_eq!(
            from_json(unknown_field),
            Err(err(4, Msg::Quiz(QuizMsg::Format)))
        );
        let trailing_comma =
            "{\n  \"questions\": [\n    {\"kind\": \"text\", \"prompt\": \"x\"},\n  ]\n}";
        assert_eq!(
            from_json(trailing_comma),
            Err(err(4, Msg::Quiz(QuizMsg::Format)))
        );
        let bad_kind = "{\n\"questions\": [\n{\"kind\": \"essay\", \"prompt\": \"x\"}]}";
        assert_eq!(from_json(bad_kind), Err(err(3, Msg::Quiz(QuizMsg::Format))));
        let negative_points =
            "{\"questions\": [\n\n{\"kind\": \"text\", \"prompt\": \"x\", \"points\": -1}]}";
        assert_eq!(
            from_json(negative_points),
            Err(err(3, Msg::Quiz(QuizMsg::Format)))
        );
        assert_eq!(from_json(""), Err(err(1, Msg::Quiz(QuizMsg::Format))));
        assert_eq!(from_json("42"), Err(err(1, Msg::Quiz(QuizMsg::Format))));
        assert_eq!(
            from_json("{\"questions\": {}}"),
            Err(err(1, Msg::Quiz(QuizMsg::Format)))
        );
    }

    #[test]
    fn settings_are_read_with_defaults_and_russian_names() {
        let spec = parse_text(&with_header("title: T")).unwrap();
        assert_eq!(
            spec.settings,
            QuizSettings {
                title: "T".into(),
                ..QuizSettings::default()
            }
        );
        let spec = parse_text(&with_header(
            "НАЗВАНИЕ: Т\nпорог: 55%\nпопытки: без ограничений\nвремя: нет\nперемешать: вопросы варианты",
        ))
        .unwrap();
        assert_eq!(
            spec.settings,
            QuizSettings {
                title: "Т".into(),
                pass_percent: 55,
                attempts: None,
                time_limit_minutes: None,
                shuffle_questions: true,
                shuffle_options: true,
                ..QuizSettings::default()
            }
        );
        let spec = parse_text(&with_header(
            "Title:T\nPass: 100\nAttempts: Unlimited\nTime: 45\nShuffle: options",
        ))
        .unwrap();
        assert_eq!(spec.settings.pass_percent, 100);
        assert_eq!(spec.settings.time_limit_minutes, Some(45));
        assert!(!spec.settings.shuffle_questions && spec.settings.shuffle_options);
        let spec = parse_text(&with_header("title: T\nshuffle: none")).unwrap();
        assert!(!spec.settings.shuffle_questions && !spec.settings.shuffle_options);
        let spec = parse_text(&with_header(
            "title: T\nразбор: после сдачи\nобязательный: да",
        ))
        .unwrap();
        assert_eq!(spec.settings.review, Some(Review::PassOrLast));
        assert!(spec.settings.pass_required);
        let spec = parse_text(&with_header("title: T\nreview: Never\nrequired: no")).unwrap();
        assert_eq!(spec.settings.review, Some(Review::Never));
        assert!(!spec.settings.pass_required);
        assert_eq!(
            parse_text(&with_header("title: T"))
                .unwrap()
                .settings
                .review,
            None
        );
        assert_eq!(
            parse_err(&with_header("title: T\nreview: sometimes\nrequired: maybe")),
            vec![
                err(2, Msg::Quiz(QuizMsg::ReviewValue)),
                err(3, Msg::Quiz(QuizMsg::RequiredValue))
            ]
        );
    }

    #[test]
    fn questions_take_points_and_explanations_anywhere_in_their_block() {
        let spec = parse_text("title: T\n\n?= Q\n= a\nexplain: E\n  more\nbaллы: 2\n");
        // A mixed-alphabet key is just an unknown key.
        assert_eq!(spec, Err(vec![err(7, Msg::Quiz(QuizMsg::UnknownKey))]));
        let spec =
            parse_text("title: T\n\n?= Q\n= a\nexplain: E\n  more\nбаллы: 2\n= b\n").unwrap();
        let q = &spec.questions[0];
        assert_eq!(q.points, 2);
        assert_eq!(q.accepted, vec!["a", "b"]);
        assert_eq!(q.explanation.as_deref(), Some("E\nmore"));
    }

    #[test]
    fn markers_need_no_space_and_items_accept_parentheses() {
        let spec =
            parse_text("title: T\n?Q\n+7\n-4\n??M\n+a\n+b\n?=T\n=x\n?>O\n1) a\n2) b\n").unwrap();
        assert_eq!(spec.questions[0].prompt, "Q");
        assert_eq!(spec.questions[0].options, vec!["7", "4"]);
        assert_eq!(spec.questions[1].correct, vec![0, 1]);
        assert_eq!(spec.questions[2].accepted, vec!["x"]);
        assert_eq!(spec.questions[3].options, vec!["a", "b"]);
    }

    #[test]
    fn a_question_may_start_its_text_on_the_next_line() {
        let spec = parse_text("title: T\n?\n    Indented   \n\n  second\n+ a\n- b\n").unwrap();
        assert_eq!(spec.questions[0].prompt, "Indented\n\nsecond");
    }

    #[test]
    fn comments_and_blank_lines_are_ignored() {
        let spec = parse_text(
            "# header\n\ntitle: T\n# between\n? Q\n  line two\n# inside\n\n  line three\n+ a\n# x\n- b\n#",
        )
        .unwrap();
        assert_eq!(spec.questions[0].prompt, "Q\nline two\n\nline three");
        assert_eq!(spec.questions[0].options, vec!["a", "b"]);
    }

    #[test]
    fn unknown_lines_are_reported_at_their_line() {
        let input = "title: T\n\nКакое число простое?\n? Q\n+ a\n- b\nwhat is this\n3.14 pi\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(3, Msg::Quiz(QuizMsg::UnknownLine)),
                err(7, Msg::Quiz(QuizMsg::UnknownLine)),
                err(8, Msg::Quiz(QuizMsg::UnknownLine))
            ]
        );
    }

    #[test]
    fn lines_outside_a_question_are_reported() {
        let input = "title: T\n+ 7\n- 4\n= x\n1. a\npoints: 2\nexplain: e\n? Q\n+ a\n- b\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(2, Msg::Quiz(QuizMsg::OutsideQuestion)),
                err(3, Msg::Quiz(QuizMsg::OutsideQuestion)),
                err(4, Msg::Quiz(QuizMsg::OutsideQuestion)),
                err(5, Msg::Quiz(QuizMsg::OutsideQuestion)),
                err(6, Msg::Quiz(QuizMsg::OutsideQuestion)),
                err(7, Msg::Quiz(QuizMsg::OutsideQuestion)),
            ]
        );
    }

    #[test]
    fn lines_of_another_question_type_are_reported() {
        let input = "title: T\n? Q\n+ a\n- b\n= c\n1. d\n?= T\n= x\n+ y\n?> O\n1. a\n2. b\n- c\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(5, Msg::Quiz(QuizMsg::LineNotForKind)),
                err(6, Msg::Quiz(QuizMsg::LineNotForKind)),
                err(9, Msg::Quiz(QuizMsg::LineNotForKind)),
                err(13, Msg::Quiz(QuizMsg::LineNotForKind)),
            ]
        );
    }

    #[test]
    fn bad_numbers_are_reported_at_their_line() {
        let input = "title: T\npass: seventy\nattempts: 0\ntime: 20 min\n? Q\npoints: 1.5\n+ a\n- b\n?? M\npoints: 0\n+ a\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(2, Msg::Quiz(QuizMsg::PassRange)),
                err(3, Msg::Quiz(QuizMsg::AttemptsRange)),
                err(4, Msg::Quiz(QuizMsg::TimeRange)),
                err(6, Msg::Quiz(QuizMsg::PointsRange)),
                err(9, Msg::Quiz(QuizMsg::TooFewOptions { min: 2 })),
                err(10, Msg::Quiz(QuizMsg::PointsRange)),
            ]
        );
        // Numbers that parse but are out of range are reported on their line by validation.
        let input = "title: T\npass: 101\nattempts: 101\ntime: 601\n? Q\npoints: 101\n+ a\n- b\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(2, Msg::Quiz(QuizMsg::PassRange)),
                err(3, Msg::Quiz(QuizMsg::AttemptsRange)),
                err(4, Msg::Quiz(QuizMsg::TimeRange)),
                err(6, Msg::Quiz(QuizMsg::PointsRange)),
            ]
        );
        assert_eq!(
            parse_err(&with_header("title: T\npass: 99999999999999999999")),
            vec![err(2, Msg::Quiz(QuizMsg::PassRange))]
        );
    }

    #[test]
    fn settings_keys_are_checked() {
        let input = "title: T\ntitel: X\nPass: 50\npass: 60\nshuffle: everything\n? Q\npoints: 2\npoints: 3\nnote: x\ntime: 5\n+ a\n- b\nexplain: a\nexplain: b\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(2, Msg::Quiz(QuizMsg::UnknownKey)),
                err(4, Msg::Quiz(QuizMsg::DuplicateKey)),
                err(5, Msg::Quiz(QuizMsg::ShuffleValue)),
                err(8, Msg::Quiz(QuizMsg::DuplicateKey)),
                err(9, Msg::Quiz(QuizMsg::UnknownKey)),
                err(10, Msg::Quiz(QuizMsg::SettingsFirst)),
                err(14, Msg::Quiz(QuizMsg::DuplicateKey)),
            ]
        );
        assert_eq!(
            parse_err(&with_header("title: T\nshuffle:")),
            vec![err(2, Msg::Quiz(QuizMsg::ShuffleValue))]
        );
        assert_eq!(
            parse_err(&with_header("title: T\nshuffle: none, questions")),
            vec![err(2, Msg::Quiz(QuizMsg::ShuffleValue))]
        );
    }

    #[test]
    fn ordering_items_must_be_numbered_in_order() {
        let input = "title: T\n?> O\n1. a\n3. b\n3. c\n99999999999. d\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(4, Msg::Quiz(QuizMsg::OrderNumber { expected: 2 })),
                err(6, Msg::Quiz(QuizMsg::OrderNumber { expected: 4 })),
            ]
        );
    }

    #[test]
    fn indented_lines_need_a_text_to_continue() {
        let input = "  stray\ntitle: T\n  after title\n? Q\n+ a\n  after option\n- b\npoints: 2\n  after points\n";
        assert_eq!(
            parse_err(input),
            vec![
                err(1, Msg::Quiz(QuizMsg::Continuation)),
                err(3, Msg::Quiz(QuizMsg::Continuation)),
                err(6, Msg::Quiz(QuizMsg::Continuation)),
                err(9, Msg::Quiz(QuizMsg::Continuation)),
            ]
        );
    }

    #[test]
    fn validation_problems_point_at_the_offending_line() {
        let input = "\
title: T

? No correct option
- a
- b

? Two correct options
+ a
+ b

?? Duplicate
+ Ёж
- кот
-  ЕЖ

?= No answers
explain: nothing to accept

?= Empty answer
= x
=

?> One item
1. only

? Empty option
+ a
-
? 
+ a
- b
explain:
";
        assert_eq!(
            parse_err(input),
            vec![
                err(3, Msg::Quiz(QuizMsg::NoCorrectOption)),
                err(7, Msg::Quiz(QuizMsg::OneCorrectOption)),
                err(14, Msg::Quiz(QuizMsg::DuplicateOption)),
                err(16, Msg::Quiz(QuizMsg::NoAcceptedAnswer)),
                err(21, Msg::Quiz(QuizMsg::EmptyAnswer)),
                err(23, Msg::Quiz(QuizMsg::TooFewOptions { min: 2 })),
                err(28, Msg::Quiz(QuizMsg::EmptyOption)),
                err(29, Msg::Quiz(QuizMsg::EmptyPrompt)),
                err(32, Msg::Quiz(QuizMsg::EmptyExplanation)),
            ]
        );
    }

    #[test]
    fn problems_without_a_line_are_reported_at_line_one() {
        assert_eq!(
            parse_err("# nothing here\n"),
            vec![
                err(1, Msg::Quiz(QuizMsg::NoTitle)),
                err(1, Msg::Quiz(QuizMsg::NoQuestions))
            ]
        );
        assert_eq!(
            parse_err("\n\ntitle:\n"),
            vec![
                err(1, Msg::Quiz(QuizMsg::NoQuestions)),
                err(3, Msg::Quiz(QuizMsg::NoTitle))
            ]
        );
        assert_eq!(
            parse_err(""),
            vec![
                err(1, Msg::Quiz(QuizMsg::NoTitle)),
                err(1, Msg::Quiz(QuizMsg::NoQuestions))
            ]
        );
    }

    #[test]
    fn too_many_questions_are_reported_at_the_first_one_over_the_limit() {
        let mut input = String::from("title: T\n");
        for i in 0..=QUESTIONS_MAX {
            input.push_str(&format!("? Q{i}\n+ a\n- b\n"));
        }
        let over = 2 + 3 * QUESTIONS_MAX as u32;
        assert_eq!(
            parse_err(&input),
            vec![err(over, Msg::Quiz(QuizMsg::TooManyQuestions { max: 200 }))]
        );
    }

    #[test]
    fn long_texts_are_reported_at_their_line() {
        let long = "я".repeat(super::super::OPTION_MAX + 1);
        let input = format!("title: T\n? Q\n+ a\n- {long}\n?= T\n= {long}\n");
        assert_eq!(
            parse_err(&input),
            vec![
                err(4, Msg::TooLong { max: 500 }),
                err(6, Msg::TooLong { max: 500 })
            ]
        );
    }

    #[test]
    fn import_errors_read_well() {
        let e = err(12, Msg::Quiz(QuizMsg::UnknownLine));
        assert!(e.text(Locale::En).starts_with("Line 12: "));
        assert!(e.text(Locale::Ru).starts_with("Строка 12: "));
    }
}
