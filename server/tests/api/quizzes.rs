//! Quizzes: authoring with versions, import, attempts with limits and time limits, grading of
//! every question type through the API, results, lesson completion, the final exam, that
//! correct answers never reach a learner before submission, races, and who may call what.

use crate::both;
use crate::helpers::*;
use app::courses::CourseForm;
use app::error::{AppError, Msg};
use app::ids::{AttemptId, CourseId, LessonId, UserId};
use app::quizzes::QuizMsg;
use app::quizzes::{
    Answer, AttemptResult, AttemptView, CorrectAnswer, Question, QuestionKind, QuestionView,
    QuizEdit, QuizOverview, QuizSettings, QuizSpec, QuizSummary, Review,
};
use serde_json::json;

both!(
    every_question_type_is_graded_through_the_api,
    correct_answers_never_reach_the_learner_before_submission,
    attempts_are_limited_even_when_started_concurrently,
    time_limits_close_the_attempt_with_the_answers_saved_before,
    concurrent_submissions_succeed_exactly_once,
    attempts_take_answers_only_from_their_owner_and_for_their_questions,
    every_server_function_checks_who_calls_it,
    bad_quizzes_are_refused_and_nothing_is_saved,
    imports_report_problems_with_line_numbers,
    an_edited_quiz_grades_a_running_attempt_against_its_own_version,
    the_final_exam_counts_the_best_passing_attempt,
    review_options_keep_the_answer_key_back_until_allowed,
    a_lesson_that_requires_its_quiz_is_completed_only_by_passing_it,
);

// ---------------- helpers ----------------

pub(crate) fn email(p: &str) -> String {
    format!(
        "{p}-{}@example.com",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

pub(crate) fn n(i: i64) -> String {
    i.to_string()
}

pub(crate) async fn tutor(app: &TestApp, name: &str) -> Client {
    confirmed_user(app, &email("tutor"), name, "tutor").await
}

pub(crate) async fn student(app: &TestApp, name: &str) -> Client {
    confirmed_user(app, &email("student"), name, "student").await
}

pub(crate) async fn moderator(app: &TestApp) -> Client {
    let e = email("mod");
    let c = confirmed_user(app, &e, "Quiz Moderator", "student").await;
    app::accounts::service::grant_role(&app.state, &e, app::accounts::Role::Moderator)
        .await
        .unwrap();
    c.turn_on_mfa().await;
    c
}

fn course_form(title: &str) -> CourseForm {
    CourseForm {
        title: title.into(),
        slug: String::new(),
        description: "Описание курса.".into(),
        outcomes: String::new(),
        category: "programming".into(),
        level: "beginner".into(),
        language: "ru".into(),
        price: String::new(),
        currency: "RUB".into(),
    }
}

/// A course with one section of `lessons` lessons: (id, slug, lesson ids). Published when a
/// moderator is given.
pub(crate) async fn course(
    author: &Client,
    moderator: Option<&Client>,
    title: &str,
    lessons: usize,
) -> (i64, String, Vec<i64>) {
    let id: i64 = author
        .call_json("courses/create", json!({ "form": course_form(title) }))
        .await
        .unwrap();
    let section: i64 = author
        .call(
            "courses/section-add",
            &[("course", &n(id)), ("title", "Часть 1")],
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..lessons {
        let l: i64 = author
            .call(
                "courses/lesson-add",
                &[
                    ("course", &n(id)),
                    ("section", &n(section)),
                    ("title", &format!("Урок {}", i + 1)),
                ],
            )
            .await
            .unwrap();
        ids.push(l);
    }
    if let Some(m) = moderator {
        let r: Call<()> = author.call("courses/submit", &[("id", &n(id))]).await;
        r.unwrap();
        let r: Call<()> = m
            .call(
                "courses/moderate",
                &[("id", &n(id)), ("approve", "true"), ("feedback", "")],
            )
            .await;
        r.unwrap();
    }
    let d: app::courses::CourseDraft = author
        .call("courses/draft", &[("id", &n(id))])
        .await
        .unwrap();
    (id, d.slug, ids)
}

pub(crate) async fn enroll(c: &Client, course: i64) {
    let r: Call<app::courses::api::Enrolled> =
        c.call("courses/enroll", &[("course", &n(course))]).await;
    r.unwrap();
}

/// A published course with two lessons, its author, a moderator and an enrolled learner.
struct Fixture {
    author: Client,
    moderator: Client,
    learner: Client,
    course: i64,
    slug: String,
    lessons: Vec<i64>,
}

async fn fixture(app: &TestApp) -> Fixture {
    let author = tutor(app, "Quiz Author").await;
    let moderator = moderator(app).await;
    let title = format!("Курс {}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let (course, slug, lessons) = course(&author, Some(&moderator), &title, 2).await;
    let learner = student(app, "Quiz Learner").await;
    enroll(&learner, course).await;
    Fixture {
        author,
        moderator,
        learner,
        course,
        slug,
        lessons,
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Four questions, one of each type, with markers that only the correct answers and the
/// explanations contain ("ZZACCEPT…", "ZZEXPLAIN…").
fn quiz_spec(title: &str) -> QuizSpec {
    QuizSpec {
        settings: QuizSettings {
            title: title.into(),
            pass_percent: 60,
            ..QuizSettings::default()
        },
        questions: vec![
            Question {
                kind: QuestionKind::Single,
                prompt: "Какое число простое?".into(),
                points: 2,
                options: strings(&["4", "7", "9"]),
                correct: vec![1],
                explanation: Some("ZZEXPLAIN1: у 7 два делителя.".into()),
                ..Question::default()
            },
            Question {
                kind: QuestionKind::Multiple,
                prompt: "Выберите чётные числа".into(),
                points: 3,
                options: strings(&["2", "3", "4", "5"]),
                correct: vec![0, 2],
                explanation: Some("ZZEXPLAIN2".into()),
                ..Question::default()
            },
            Question {
                kind: QuestionKind::Text,
                prompt: "Что растёт в лесу?".into(),
                points: 1,
                accepted: strings(&["ZZACCEPT Ёлка зелёная", "ZZACCEPT сосна"]),
                explanation: Some("ZZEXPLAIN3".into()),
                ..Question::default()
            },
            Question {
                kind: QuestionKind::Ordering,
                prompt: "По возрастанию".into(),
                points: 4,
                options: strings(&["один", "два", "три", "четыре"]),
                explanation: Some("ZZEXPLAIN4".into()),
                ..Question::default()
            },
        ],
    }
}

pub(crate) fn single_question(title: &str) -> QuizSpec {
    QuizSpec {
        settings: QuizSettings {
            title: title.into(),
            ..QuizSettings::default()
        },
        questions: vec![Question {
            kind: QuestionKind::Single,
            prompt: "2 + 2?".into(),
            options: strings(&["3", "4"]),
            correct: vec![1],
            ..Question::default()
        }],
    }
}

pub(crate) async fn save(
    c: &Client,
    course: i64,
    lesson: Option<i64>,
    spec: &QuizSpec,
) -> Call<i64> {
    c.call_json(
        "quizzes/save",
        json!({ "course": course, "lesson": lesson, "spec": spec }),
    )
    .await
}

async fn edit(c: &Client, course: i64, lesson: Option<i64>) -> Call<Option<QuizEdit>> {
    let course = n(course);
    match lesson {
        Some(l) => {
            c.call("quizzes/edit", &[("course", &course), ("lesson", &n(l))])
                .await
        }
        None => c.call("quizzes/edit", &[("course", &course)]).await,
    }
}

async fn import(c: &Client, text: &str, as_json: bool) -> Call<QuizSpec> {
    c.call(
        "quizzes/import",
        &[
            ("text", text),
            ("json", if as_json { "true" } else { "false" }),
        ],
    )
    .await
}

async fn delete(c: &Client, course: i64, quiz: i64) -> Call<()> {
    c.call(
        "quizzes/delete",
        &[("course", &n(course)), ("quiz", &n(quiz))],
    )
    .await
}

async fn for_course(c: &Client, course: i64) -> Call<Vec<QuizSummary>> {
    c.call("quizzes/for-course", &[("course", &n(course))])
        .await
}

async fn overview(c: &Client, quiz: i64) -> Call<QuizOverview> {
    c.call("quizzes/overview", &[("quiz", &n(quiz))]).await
}

pub(crate) async fn start(c: &Client, quiz: i64) -> Call<AttemptView> {
    c.call("quizzes/start", &[("quiz", &n(quiz))]).await
}

async fn answer(c: &Client, attempt: i64, question: i64, a: Option<&Answer>) -> Call<()> {
    c.call_json(
        "quizzes/answer",
        json!({ "attempt": attempt, "question": question, "answer": a }),
    )
    .await
}

pub(crate) async fn submit(
    c: &Client,
    attempt: i64,
    answers: &[(i64, Answer)],
) -> Call<AttemptResult> {
    c.call_json(
        "quizzes/submit",
        json!({ "attempt": attempt, "answers": answers }),
    )
    .await
}

async fn result(c: &Client, attempt: i64) -> Call<AttemptResult> {
    c.call("quizzes/result", &[("attempt", &n(attempt))]).await
}

/// The raw body of a server function call (to look for what must not be there).
async fn raw(c: &Client, endpoint: &str, form: &[(&str, &str)]) -> String {
    c.http
        .post(format!("{}/api/{endpoint}", c.base))
        .form(form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn page(c: &Client, path: &str) -> String {
    let r = c.get(path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.unwrap()
}

fn refused<T: std::fmt::Debug>(r: Call<T>) -> (u16, AppError) {
    r.expect_err("the call should be refused")
}

fn conflict(msg: Msg) -> (u16, AppError) {
    (409, AppError::Conflict(msg))
}

fn field(r: (u16, AppError), name: &str) -> Msg {
    assert_eq!(r.0, 422, "{r:?}");
    r.1.field_msg(name)
        .unwrap_or_else(|| panic!("no error on {name}: {r:?}"))
}

/// Fails when `text` carries anything only the correct answers or explanations contain.
fn assert_no_secrets(text: &str, what: &str) {
    for marker in [
        "ZZACCEPT",
        "ZZEXPLAIN",
        "\"correct\"",
        "\"accepted\"",
        "\"explanation\"",
    ] {
        assert!(
            !text.contains(marker),
            "{what} leaks {marker}: {}",
            &text[..text.len().min(2000)]
        );
    }
}

/// The question of a view by its prompt.
pub(crate) fn by_prompt<'a>(v: &'a AttemptView, prompt: &str) -> &'a QuestionView {
    v.questions
        .iter()
        .find(|q| q.prompt == prompt)
        .unwrap_or_else(|| panic!("no question {prompt:?}"))
}

/// The shown position of an option text.
pub(crate) fn pos(q: &QuestionView, text: &str) -> usize {
    q.options
        .iter()
        .position(|o| o == text)
        .unwrap_or_else(|| panic!("no option {text:?} in {q:?}"))
}

/// Answers to the four questions of `quiz_spec`, all correct, as shown in `v`.
fn all_correct(v: &AttemptView) -> Vec<(i64, Answer)> {
    let single = by_prompt(v, "Какое число простое?");
    let multiple = by_prompt(v, "Выберите чётные числа");
    let text = by_prompt(v, "Что растёт в лесу?");
    let order = by_prompt(v, "По возрастанию");
    vec![
        (single.id, Answer::Single(pos(single, "7"))),
        (
            multiple.id,
            Answer::Multiple(vec![pos(multiple, "4"), pos(multiple, "2")]),
        ),
        (text.id, Answer::Text("  zzaccept   ЕЛКА зеленая ".into())),
        (
            order.id,
            Answer::Ordering(
                ["один", "два", "три", "четыре"]
                    .iter()
                    .map(|t| pos(order, t))
                    .collect(),
            ),
        ),
    ]
}

/// The earned points per question prompt.
fn earned(r: &AttemptResult) -> Vec<(String, u32)> {
    r.items
        .iter()
        .map(|i| (i.question.prompt.clone(), i.earned))
        .collect()
}

fn points_of(r: &AttemptResult, prompt: &str) -> u32 {
    r.items
        .iter()
        .find(|i| i.question.prompt == prompt)
        .map(|i| i.earned)
        .unwrap()
}

async fn attempts_in_db(app: &TestApp, quiz: i64) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = $1",
        quiz,
    )
    .await
}

// ---------------- 1. grading ----------------

async fn every_question_type_is_graded_through_the_api(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let quiz = save(
        &f.author,
        f.course,
        Some(f.lessons[0]),
        &quiz_spec("Тест урока 1"),
    )
    .await
    .unwrap();
    let me = app.user_id_of(&f.learner).await;
    assert!(
        app.completed_lessons(me, f.course)
            .await
            .unwrap()
            .is_empty()
    );

    // Attempt 1: near misses everywhere.
    let v = start(&f.learner, quiz).await.unwrap();
    assert_eq!((v.number, v.questions.len(), v.deadline_at), (1, 4, None));
    let single = by_prompt(&v, "Какое число простое?").clone();
    let multiple = by_prompt(&v, "Выберите чётные числа").clone();
    let text = by_prompt(&v, "Что растёт в лесу?").clone();
    let order = by_prompt(&v, "По возрастанию").clone();
    assert!(text.options.is_empty());
    assert_ne!(
        order.options,
        strings(&["один", "два", "три", "четыре"]),
        "ordering items are never shown in the correct order"
    );
    let right_order: Vec<usize> = ["один", "два", "три", "четыре"]
        .iter()
        .map(|t| pos(&order, t))
        .collect();
    let mut wrong_order = right_order.clone();
    wrong_order.swap(0, 1);
    let near_misses = vec![
        (single.id, Answer::Single(pos(&single, "9"))),
        (multiple.id, Answer::Multiple(vec![pos(&multiple, "2")])), // a subset
        (text.id, Answer::Text("ZZACCEPT Ёлка".into())),            // a part
        (order.id, Answer::Ordering(wrong_order)),
    ];
    let r = submit(&f.learner, v.id, &near_misses).await.unwrap();
    assert_eq!((r.earned, r.total, r.percent, r.passed), (0, 10, 0, false));
    assert_eq!(r.pass_percent, 60);
    assert!(earned(&r).iter().all(|(_, e)| *e == 0), "{r:?}");
    assert!(
        app.completed_lessons(me, f.course)
            .await
            .unwrap()
            .is_empty(),
        "a failed quiz completes nothing"
    );

    // Attempt 2: a superset, no answer to the ordering, case/space/ё differences in the text.
    let v = start(&f.learner, quiz).await.unwrap();
    assert_eq!(v.number, 2);
    assert!(v.answers.is_empty());
    let single = by_prompt(&v, "Какое число простое?").clone();
    let multiple = by_prompt(&v, "Выберите чётные числа").clone();
    let text = by_prompt(&v, "Что растёт в лесу?").clone();
    let answers = vec![
        (single.id, Answer::Single(pos(&single, "7"))),
        (
            multiple.id,
            Answer::Multiple(vec![
                pos(&multiple, "2"),
                pos(&multiple, "4"),
                pos(&multiple, "5"),
            ]),
        ),
        (
            text.id,
            Answer::Text("\tzzaccept   ЁЛКА   ЗЕЛЕНАЯ\n".into()),
        ),
    ];
    let r = submit(&f.learner, v.id, &answers).await.unwrap();
    assert_eq!(points_of(&r, "Какое число простое?"), 2);
    assert_eq!(points_of(&r, "Выберите чётные числа"), 0, "superset");
    assert_eq!(points_of(&r, "Что растёт в лесу?"), 1);
    assert_eq!(points_of(&r, "По возрастанию"), 0, "no answer");
    assert_eq!((r.earned, r.total, r.percent, r.passed), (3, 10, 30, false));
    let no_answer = r
        .items
        .iter()
        .find(|i| i.question.prompt == "По возрастанию")
        .unwrap();
    assert_eq!(no_answer.your_answer, None);

    // Attempt 3: everything right, answered as you go and overwritten once.
    let v = start(&f.learner, quiz).await.unwrap();
    assert_eq!(v.number, 3);
    let correct = all_correct(&v);
    answer(&f.learner, v.id, correct[0].0, Some(&Answer::Single(0)))
        .await
        .unwrap();
    for (q, a) in &correct {
        answer(&f.learner, v.id, *q, Some(a)).await.unwrap();
    }
    // Reloading continues the same attempt in the same order, with the answers.
    let again = start(&f.learner, quiz).await.unwrap();
    assert_eq!((again.id, &again.questions), (v.id, &v.questions));
    let mut saved = again.answers.clone();
    saved.sort_by_key(|(q, _)| *q);
    let mut expected = correct.clone();
    expected.sort_by_key(|(q, _)| *q);
    assert_eq!(saved, expected);
    let r = submit(&f.learner, v.id, &[]).await.unwrap();
    assert_eq!(
        (r.earned, r.total, r.percent, r.passed),
        (10, 10, 100, true)
    );
    assert_eq!(r.best_percent, Some(100));
    assert_eq!(r.attempts_left, None);
    // The result gives the correct answers in the positions the learner saw.
    for item in &r.items {
        let mine = item.your_answer.clone().unwrap();
        match (
            item.correct
                .as_ref()
                .expect("a lesson quiz shows the answers"),
            mine,
        ) {
            (CorrectAnswer::Options(c), Answer::Single(i)) => assert_eq!(c, &vec![i]),
            (CorrectAnswer::Options(c), Answer::Multiple(mut l)) => {
                l.sort();
                assert_eq!(c, &l)
            }
            (CorrectAnswer::Text(t), Answer::Text(_)) => {
                assert_eq!(t, &strings(&["ZZACCEPT Ёлка зелёная", "ZZACCEPT сосна"]))
            }
            (CorrectAnswer::Order(c), Answer::Ordering(l)) => assert_eq!(c, &l),
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            item.explanation
                .as_deref()
                .unwrap()
                .starts_with("ZZEXPLAIN")
        );
        assert_eq!(item.earned, item.points);
    }

    // Passing the lesson's quiz completed the lesson.
    assert_eq!(
        app.completed_lessons(me, f.course).await.unwrap(),
        vec![f.lessons[0]]
    );

    // A later, worse attempt does not lower the best result.
    let v = start(&f.learner, quiz).await.unwrap();
    let r = submit(&f.learner, v.id, &[]).await.unwrap();
    assert_eq!((r.earned, r.percent, r.passed), (0, 0, false));
    assert_eq!(r.best_percent, Some(100));
    let o = overview(&f.learner, quiz).await.unwrap();
    assert_eq!(
        (o.attempts_used, o.best_percent, o.passed, o.in_progress),
        (4, Some(100), true, None)
    );
    assert_eq!(
        o.attempts
            .iter()
            .map(|a| (a.number, a.percent, a.passed))
            .collect::<Vec<_>>(),
        vec![(4, 0, false), (3, 100, true), (2, 30, false), (1, 0, false)]
    );
    assert_eq!(o.lesson_id, Some(f.lessons[0]));
    assert_eq!(o.lesson_title.as_deref(), Some("Урок 1"));
    assert_eq!(o.course_slug, f.slug);
    assert!(o.may_start);
    let list = for_course(&f.learner, f.course).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0].id,
            list[0].best_percent,
            list[0].passed,
            list[0].questions,
            list[0].total_points
        ),
        (quiz, Some(100), true, 4, 10)
    );
    // Someone else's best is not mine.
    let other = student(&app, "Other Learner").await;
    let list = for_course(&other, f.course).await.unwrap();
    assert_eq!((list[0].best_percent, list[0].passed), (None, false));
    app.cleanup().await;
}

// ---------------- 2. no leaks ----------------

async fn correct_answers_never_reach_the_learner_before_submission(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let quiz = save(
        &f.author,
        f.course,
        Some(f.lessons[1]),
        &quiz_spec("Секретный тест"),
    )
    .await
    .unwrap();
    let mut final_spec = quiz_spec("Итоговый экзамен");
    final_spec.settings.time_limit_minutes = Some(30);
    final_spec.settings.shuffle_questions = true;
    final_spec.settings.shuffle_options = true;
    let exam = save(&f.author, f.course, None, &final_spec).await.unwrap();
    let q = n(quiz);

    for (id, name) in [(quiz, "lesson quiz"), (exam, "final exam")] {
        let id_s = n(id);
        let body = raw(&f.learner, "quizzes/start", &[("quiz", &id_s)]).await;
        assert_no_secrets(&body, &format!("start of the {name}"));
        let v: AttemptView = serde_json::from_str(&body).unwrap();
        let body = raw(&f.learner, "quizzes/overview", &[("quiz", &id_s)]).await;
        assert_no_secrets(&body, "overview");
        // Answering, right or wrong, tells nothing either.
        for (qid, a) in all_correct(&v) {
            let res = f
                .learner
                .http
                .post(format!("{}/api/quizzes/answer", f.learner.base))
                .json(&json!({ "attempt": v.id, "question": qid, "answer": a }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 200);
            assert_no_secrets(&res.text().await.unwrap(), "answer");
        }
        let body = raw(&f.learner, "quizzes/start", &[("quiz", &id_s)]).await;
        assert_no_secrets(&body, "the continued attempt");
        // Before submission there is no result to see.
        assert_eq!(
            refused(result(&f.learner, v.id).await),
            conflict(Msg::Quiz(QuizMsg::NotSubmitted))
        );
    }
    let body = raw(
        &f.learner,
        "quizzes/for-course",
        &[("course", &n(f.course))],
    )
    .await;
    assert_no_secrets(&body, "for-course");
    let anon = app.client();
    let body = raw(&anon, "quizzes/for-course", &[("course", &n(f.course))]).await;
    assert_no_secrets(&body, "for-course (anonymous)");
    for path in [
        format!("/courses/{}", f.slug),
        format!("/learn/{}/{}", f.slug, f.lessons[1]),
        format!("/learn/{}/{}", f.slug, f.lessons[0]),
    ] {
        let html = page(&f.learner, &path).await;
        for marker in ["ZZACCEPT", "ZZEXPLAIN"] {
            assert!(!html.contains(marker), "{path} leaks {marker}");
        }
    }

    // After submission the result has them.
    let v = start(&f.learner, quiz).await.unwrap();
    let r = submit(&f.learner, v.id, &[]).await.unwrap();
    assert_eq!(
        r.percent, 100,
        "the answers saved as the learner went count"
    );
    let body = raw(&f.learner, "quizzes/result", &[("attempt", &n(v.id))]).await;
    assert!(
        body.contains("ZZACCEPT") && body.contains("ZZEXPLAIN1"),
        "{body}"
    );
    // The next attempt is again without them.
    let body = raw(&f.learner, "quizzes/start", &[("quiz", &q)]).await;
    assert_no_secrets(&body, "the next attempt");
    app.cleanup().await;
}

// ---------------- 3. limits ----------------

async fn attempts_are_limited_even_when_started_concurrently(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let mut spec = single_question("Две попытки");
    spec.settings.attempts = Some(2);
    let quiz = save(&f.author, f.course, Some(f.lessons[0]), &spec)
        .await
        .unwrap();
    let o = overview(&f.learner, quiz).await.unwrap();
    assert_eq!(
        (
            o.attempts_allowed,
            o.attempts_used,
            o.attempts_left,
            o.may_start
        ),
        (Some(2), 0, Some(2), true)
    );

    // Ten starts at once make one attempt; all get it.
    let views = futures::future::join_all((0..10).map(|_| start(&f.learner, quiz))).await;
    let ids: std::collections::BTreeSet<i64> = views.into_iter().map(|v| v.unwrap().id).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(attempts_in_db(&app, quiz).await, 1);
    let first = *ids.iter().next().unwrap();
    let r = submit(&f.learner, first, &[]).await.unwrap();
    assert_eq!(r.attempts_left, Some(1));

    let views = futures::future::join_all((0..10).map(|_| start(&f.learner, quiz))).await;
    let ids: std::collections::BTreeSet<i64> = views.into_iter().map(|v| v.unwrap().id).collect();
    assert_eq!(ids.len(), 1);
    let second = *ids.iter().next().unwrap();
    let r = submit(&f.learner, second, &[]).await.unwrap();
    assert_eq!(r.attempts_left, Some(0));
    assert_eq!(attempts_in_db(&app, quiz).await, 2);

    // Used up: refused, nothing created, even when asked many times at once.
    let tries = futures::future::join_all((0..10).map(|_| start(&f.learner, quiz))).await;
    for t in tries {
        assert_eq!(refused(t), conflict(Msg::Quiz(QuizMsg::NoAttemptsLeft)));
    }
    assert_eq!(attempts_in_db(&app, quiz).await, 2);
    let o = overview(&f.learner, quiz).await.unwrap();
    assert_eq!(
        (o.attempts_used, o.attempts_left, o.may_start, o.in_progress),
        (2, Some(0), false, None)
    );

    // Another learner has attempts of their own; concurrent starts by several learners.
    let others = futures::future::join_all((0..3).map(|i| {
        let app = &app;
        async move { student(app, &format!("Learner {i}")).await }
    }))
    .await;
    for o in &others {
        enroll(o, f.course).await;
    }
    let views = futures::future::join_all(
        others
            .iter()
            .flat_map(|o| [start(o, quiz), start(o, quiz), start(o, quiz)]),
    )
    .await;
    assert!(
        views
            .iter()
            .all(|v| v.as_ref().is_ok_and(|v| v.number == 1))
    );
    assert_eq!(attempts_in_db(&app, quiz).await, 5);

    // Raising the limit gives more attempts.
    spec.settings.attempts = Some(3);
    save(&f.author, f.course, Some(f.lessons[0]), &spec)
        .await
        .unwrap();
    let v = start(&f.learner, quiz).await.unwrap();
    assert_eq!(v.number, 3);
    app.cleanup().await;
}

// ---------------- 4. time limits ----------------

async fn time_limits_close_the_attempt_with_the_answers_saved_before(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let mut spec = quiz_spec("На время");
    spec.settings.time_limit_minutes = Some(10);
    let quiz = save(&f.author, f.course, Some(f.lessons[0]), &spec)
        .await
        .unwrap();
    let v = start(&f.learner, quiz).await.unwrap();
    let deadline = v.deadline_at.unwrap();
    assert!((deadline - v.now - 600_000).abs() < 5_000, "{v:?}");
    let correct = all_correct(&v);
    // The single-choice answer saved in time; then the clock runs past the deadline, but within
    // the grace answers are still taken.
    answer(&f.learner, v.id, correct[0].0, Some(&correct[0].1))
        .await
        .unwrap();
    let set_deadline = |ms_ago: i64| {
        let db = app.state.db.clone();
        let id = v.id;
        async move {
            sqlx::query("UPDATE quiz_attempts SET deadline_at = $1 WHERE id = $2")
                .bind(app::server::now_ms() - ms_ago)
                .bind(id)
                .execute(db.w())
                .await
                .unwrap();
        }
    };
    set_deadline(10_000).await;
    answer(&f.learner, v.id, correct[1].0, Some(&correct[1].1))
        .await
        .unwrap();
    // Past the grace: nothing more is taken.
    set_deadline(31_000).await;
    assert_eq!(
        refused(answer(&f.learner, v.id, correct[2].0, Some(&correct[2].1)).await),
        conflict(Msg::Quiz(QuizMsg::TimeUp))
    );
    assert_eq!(
        refused(submit(&f.learner, v.id, &correct).await),
        conflict(Msg::Quiz(QuizMsg::TimeUp))
    );
    // Closed with what was saved before: the single and the multiple choice (5 of 10 points).
    let r = result(&f.learner, v.id).await.unwrap();
    assert_eq!((r.earned, r.total, r.percent, r.passed), (5, 10, 50, false));
    assert_eq!(points_of(&r, "Что растёт в лесу?"), 0);
    // It stays closed for that reason.
    assert_eq!(
        refused(submit(&f.learner, v.id, &correct).await),
        conflict(Msg::Quiz(QuizMsg::TimeUp))
    );
    assert_eq!(
        refused(answer(&f.learner, v.id, correct[2].0, Some(&correct[2].1)).await),
        conflict(Msg::Quiz(QuizMsg::TimeUp))
    );
    assert_eq!(result(&f.learner, v.id).await.unwrap(), r);

    // An attempt left to run out is closed when the learner comes back; a new one starts.
    let v2 = start(&f.learner, quiz).await.unwrap();
    assert_eq!(v2.number, 2);
    let correct = all_correct(&v2);
    for (q, a) in &correct {
        answer(&f.learner, v2.id, *q, Some(a)).await.unwrap();
    }
    sqlx::query("UPDATE quiz_attempts SET deadline_at = $1 WHERE id = $2")
        .bind(app::server::now_ms() - 60_000)
        .bind(v2.id)
        .execute(app.state.db.w())
        .await
        .unwrap();
    let o = overview(&f.learner, quiz).await.unwrap();
    assert_eq!(
        (o.in_progress, o.best_percent, o.passed),
        (None, Some(100), true)
    );
    let v3 = start(&f.learner, quiz).await.unwrap();
    assert_eq!(v3.number, 3);
    assert!(v3.answers.is_empty());
    // Submitted in time: a second submission is just that.
    submit(&f.learner, v3.id, &[]).await.unwrap();
    assert_eq!(
        refused(submit(&f.learner, v3.id, &[]).await),
        conflict(Msg::Quiz(QuizMsg::AlreadySubmitted))
    );
    app.cleanup().await;
}

// ---------------- 5. double submit ----------------

async fn concurrent_submissions_succeed_exactly_once(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let quiz = save(&f.author, f.course, Some(f.lessons[0]), &quiz_spec("Гонка"))
        .await
        .unwrap();
    for round in 0..2 {
        let v = start(&f.learner, quiz).await.unwrap();
        let correct = all_correct(&v);
        let results = futures::future::join_all((0..10).map(|i| {
            // Every request sends other answers; only the winner's are stored and graded.
            let mine: Vec<(i64, Answer)> = if i % 2 == 0 {
                correct.clone()
            } else {
                Vec::new()
            };
            let c = &f.learner;
            async move { submit(c, v.id, &mine).await }
        }))
        .await;
        let ok: Vec<&AttemptResult> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 1, "round {round}: {results:?}");
        for r in results.iter().filter(|r| r.is_err()) {
            assert_eq!(
                r.as_ref().unwrap_err(),
                &conflict(Msg::Quiz(QuizMsg::AlreadySubmitted))
            );
        }
        // What was graded is what is stored.
        let stored = result(&f.learner, v.id).await.unwrap();
        assert_eq!(&stored, ok[0]);
        assert!(stored.percent == 0 || stored.percent == 100);
        assert_eq!(
            refused(answer(&f.learner, v.id, correct[0].0, Some(&correct[0].1)).await),
            conflict(Msg::Quiz(QuizMsg::AlreadySubmitted))
        );
    }
    app.cleanup().await;
}

// ---------------- 6. ownership ----------------

async fn attempts_take_answers_only_from_their_owner_and_for_their_questions(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let quiz = save(
        &f.author,
        f.course,
        Some(f.lessons[0]),
        &quiz_spec("Чужие ответы"),
    )
    .await
    .unwrap();
    let other = student(&app, "Other Learner").await;
    enroll(&other, f.course).await;
    let mine = start(&f.learner, quiz).await.unwrap();
    let theirs = start(&other, quiz).await.unwrap();
    assert_ne!(mine.id, theirs.id);
    let correct = all_correct(&mine);

    // Another learner's attempt does not exist for me.
    let (q, a) = &correct[0];
    assert_eq!(refused(answer(&other, mine.id, *q, Some(a)).await).0, 404);
    assert_eq!(refused(submit(&other, mine.id, &correct).await).0, 404);
    assert_eq!(refused(result(&other, mine.id).await).0, 404);
    assert_eq!(
        refused(answer(&f.learner, 999_999, *q, Some(a)).await).0,
        404
    );
    // Saving names a question of the attempt, with an answer that fits it.
    assert_eq!(
        refused(answer(&f.learner, mine.id, 99, Some(&Answer::Single(0))).await),
        (422, AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)))
    );
    assert_eq!(
        refused(answer(&f.learner, mine.id, -1, Some(&Answer::Single(0))).await),
        (422, AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)))
    );
    let single = by_prompt(&mine, "Какое число простое?").id;
    assert_eq!(
        refused(answer(&f.learner, mine.id, single, Some(&Answer::Text("7".into()))).await),
        (422, AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)))
    );
    assert_eq!(
        refused(answer(&f.learner, mine.id, single, Some(&Answer::Single(3))).await),
        (422, AppError::BadRequest(Msg::Quiz(QuizMsg::AnswerInvalid)))
    );
    // Clearing an answer.
    answer(&f.learner, mine.id, single, Some(&Answer::Single(0)))
        .await
        .unwrap();
    answer(&f.learner, mine.id, single, None).await.unwrap();
    assert!(start(&f.learner, quiz).await.unwrap().answers.is_empty());

    // On submit, answers to questions the attempt does not have are ignored.
    let mut with_strays = correct.clone();
    with_strays.push((99, Answer::Single(0)));
    with_strays.push((-5, Answer::Text("x".into())));
    let r = submit(&f.learner, mine.id, &with_strays).await.unwrap();
    assert_eq!((r.percent, r.items.len()), (100, 4));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM quiz_answers WHERE attempt_id = $1",
            mine.id
        )
        .await,
        4
    );
    // The other learner's attempt is untouched.
    let theirs_now = start(&other, quiz).await.unwrap();
    assert_eq!(theirs_now.id, theirs.id);
    assert!(theirs_now.answers.is_empty());
    app.cleanup().await;
}

// ---------------- 7. authorization ----------------

async fn every_server_function_checks_who_calls_it(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let quiz = save(&f.author, f.course, Some(f.lessons[0]), &quiz_spec("Права"))
        .await
        .unwrap();
    let attempt = start(&f.learner, quiz).await.unwrap();
    let spec = quiz_spec("Права 2");
    let anon = app.client();
    let stranger = student(&app, "Not Enrolled").await;
    let other_tutor = tutor(&app, "Other Tutor").await;
    let (other_course, _, other_lessons) =
        course(&other_tutor, Some(&f.moderator), "Чужой курс", 1).await;
    let (draft_course, _, draft_lessons) = course(&f.author, None, "Черновик", 1).await;

    // Anonymous: 401 everywhere but the list of a public course's quizzes.
    let unauth = |r: (u16, AppError)| assert_eq!(r, (401, AppError::NotAuthenticated));
    unauth(refused(edit(&anon, f.course, Some(f.lessons[0])).await));
    unauth(refused(save(&anon, f.course, None, &spec).await));
    unauth(refused(
        import(&anon, "title: x\n? q\n+ a\n- b\n", false).await,
    ));
    unauth(refused(delete(&anon, f.course, quiz).await));
    unauth(refused(overview(&anon, quiz).await));
    unauth(refused(start(&anon, quiz).await));
    unauth(refused(
        answer(&anon, attempt.id, 0, Some(&Answer::Single(0))).await,
    ));
    unauth(refused(submit(&anon, attempt.id, &[]).await));
    unauth(refused(result(&anon, attempt.id).await));
    assert_eq!(for_course(&anon, f.course).await.unwrap().len(), 1);
    assert_eq!(refused(for_course(&anon, draft_course).await).0, 404);
    assert_eq!(refused(for_course(&anon, 999_999).await).0, 404);

    // A learner not enrolled sees the list, not the quiz.
    assert_eq!(for_course(&stranger, f.course).await.unwrap().len(), 1);
    assert_eq!(refused(overview(&stranger, quiz).await).0, 403);
    assert_eq!(refused(start(&stranger, quiz).await).0, 403);
    assert_eq!(refused(overview(&stranger, 999_999).await).0, 404);
    assert_eq!(
        refused(import(&stranger, "title: x\n? q\n+ a\n- b\n", false).await).0,
        403
    );
    assert_eq!(refused(edit(&stranger, f.course, None).await).0, 404);
    assert_eq!(refused(save(&stranger, f.course, None, &spec).await).0, 404);

    // Another tutor cannot read, write or delete my quizzes.
    assert_eq!(
        refused(edit(&other_tutor, f.course, Some(f.lessons[0])).await).0,
        404
    );
    assert_eq!(
        refused(save(&other_tutor, f.course, Some(f.lessons[0]), &spec).await).0,
        404
    );
    assert_eq!(
        refused(save(&other_tutor, f.course, None, &spec).await).0,
        404
    );
    assert_eq!(refused(delete(&other_tutor, f.course, quiz).await).0, 404);
    // Not even through their own course.
    assert_eq!(
        refused(delete(&other_tutor, other_course, quiz).await).0,
        404
    );
    assert_eq!(
        refused(save(&other_tutor, other_course, Some(f.lessons[0]), &spec).await).0,
        404
    );
    assert_eq!(refused(result(&other_tutor, attempt.id).await).0, 404);
    // A lesson of another course is not found in mine.
    assert_eq!(
        refused(save(&f.author, f.course, Some(other_lessons[0]), &spec).await).0,
        404
    );
    assert_eq!(
        refused(edit(&f.author, f.course, Some(other_lessons[0])).await).0,
        404
    );
    assert_eq!(
        refused(save(&f.author, f.course, Some(draft_lessons[0]), &spec).await).0,
        404
    );
    assert_eq!(refused(save(&f.author, 999_999, None, &spec).await).0, 404);
    let e = edit(&f.author, f.course, Some(f.lessons[0]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((e.id, e.attempts_count), (quiz, 1));
    assert_eq!(e.spec, quiz_spec("Права"));
    assert!(e.text.contains("title: Права") && e.text.contains("= ZZACCEPT сосна"));
    assert_eq!(
        edit(&f.author, f.course, Some(f.lessons[1])).await.unwrap(),
        None
    );
    assert_eq!(edit(&f.author, f.course, None).await.unwrap(), None);

    // Quizzes of a draft course are the author's (and moderators') only.
    let dq = save(&f.author, draft_course, Some(draft_lessons[0]), &spec)
        .await
        .unwrap();
    assert_eq!(refused(overview(&stranger, dq).await).0, 404);
    assert_eq!(refused(start(&stranger, dq).await).0, 404);
    assert_eq!(for_course(&f.author, draft_course).await.unwrap().len(), 1);
    assert_eq!(
        for_course(&f.moderator, draft_course).await.unwrap().len(),
        1
    );
    start(&f.author, dq).await.unwrap();

    // Moderators see the overview and results, but do not take the quiz or edit it.
    let o = overview(&f.moderator, quiz).await.unwrap();
    assert!(!o.may_start && !o.is_author);
    assert_eq!(refused(start(&f.moderator, quiz).await).0, 403);
    assert_eq!(
        refused(save(&f.moderator, f.course, None, &spec).await).0,
        404
    );
    assert_eq!(refused(delete(&f.moderator, f.course, quiz).await).0, 404);
    // The author tries their own quiz.
    let mine = start(&f.author, quiz).await.unwrap();
    assert!(overview(&f.author, quiz).await.unwrap().is_author);
    submit(&f.author, mine.id, &[]).await.unwrap();
    // Results of a learner: the learner, the author and moderators, once submitted.
    assert_eq!(
        refused(result(&f.author, attempt.id).await),
        conflict(Msg::Quiz(QuizMsg::NotSubmitted))
    );
    submit(&f.learner, attempt.id, &[]).await.unwrap();
    assert_eq!(
        result(&f.author, attempt.id).await.unwrap().attempt_id,
        attempt.id
    );
    assert_eq!(
        result(&f.moderator, attempt.id).await.unwrap().attempt_id,
        attempt.id
    );
    assert_eq!(refused(result(&stranger, attempt.id).await).0, 404);
    // Tutors may import.
    import(&other_tutor, "title: x\n? q\n+ a\n- b\n", false)
        .await
        .unwrap();

    // Deleting takes the attempts with it.
    assert_eq!(
        refused(delete(&f.author, f.course, dq).await).0,
        404,
        "another course's quiz"
    );
    delete(&f.author, f.course, quiz).await.unwrap();
    assert_eq!(attempts_in_db(&app, quiz).await, 0);
    assert_eq!(refused(delete(&f.author, f.course, quiz).await).0, 404);
    assert_eq!(refused(overview(&f.learner, quiz).await).0, 404);
    assert_eq!(refused(result(&f.learner, attempt.id).await).0, 404);
    assert!(for_course(&f.learner, f.course).await.unwrap().is_empty());
    app.cleanup().await;
}

// ---------------- 8. bad input ----------------

async fn bad_quizzes_are_refused_and_nothing_is_saved(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let lesson = Some(f.lessons[0]);

    let mut no_correct = quiz_spec("Без правильного");
    no_correct.questions[0].correct.clear();
    assert_eq!(
        field(
            refused(save(&f.author, f.course, lesson, &no_correct).await),
            "q0"
        ),
        Msg::Quiz(QuizMsg::NoCorrectOption)
    );
    let mut duplicate = quiz_spec("Повтор");
    duplicate.questions[1].options[3] = " 2 ".into();
    assert_eq!(
        field(
            refused(save(&f.author, f.course, lesson, &duplicate).await),
            "q1.option3"
        ),
        Msg::Quiz(QuizMsg::DuplicateOption)
    );
    let mut untitled = quiz_spec("   ");
    untitled.questions.clear();
    let e = refused(save(&f.author, f.course, None, &untitled).await);
    assert_eq!(field(e.clone(), "title"), Msg::Quiz(QuizMsg::NoTitle));
    assert_eq!(field(e, "questions"), Msg::Quiz(QuizMsg::NoQuestions));
    assert_eq!(edit(&f.author, f.course, lesson).await.unwrap(), None);
    assert_eq!(edit(&f.author, f.course, None).await.unwrap(), None);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM quizzes WHERE course_id = $1",
            f.course
        )
        .await,
        0
    );
    // A broken body is a bad request.
    let r: Call<i64> = f
        .author
        .call_json(
            "quizzes/save",
            json!({ "course": f.course, "lesson": null, "spec": { "questions": [{ "kind": "essay" }] } }),
        )
        .await;
    assert_eq!(refused(r).0, 422);

    // What is saved is tidied; saving the same quiz again makes no new version.
    let mut messy = quiz_spec("  Аккуратно  ");
    messy.questions[0].options[0] = "  4 ".into();
    let quiz = save(&f.author, f.course, lesson, &messy).await.unwrap();
    let e = edit(&f.author, f.course, lesson).await.unwrap().unwrap();
    assert_eq!(e.spec.settings.title, "Аккуратно");
    assert_eq!(e.spec.questions[0].options[0], "4");
    assert_eq!(
        save(&f.author, f.course, lesson, &messy).await.unwrap(),
        quiz
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM quiz_versions WHERE quiz_id = $1",
            quiz
        )
        .await,
        1
    );
    // An invalid save leaves the saved quiz as it was.
    refused(save(&f.author, f.course, lesson, &no_correct).await);
    assert_eq!(
        edit(&f.author, f.course, lesson)
            .await
            .unwrap()
            .unwrap()
            .spec,
        e.spec
    );
    app.cleanup().await;
}

async fn imports_report_problems_with_line_numbers(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Importer").await;

    let spec = import(&t, app::quizzes::format::EXAMPLE, false)
        .await
        .unwrap();
    assert_eq!(spec.questions.len(), 5);
    assert_eq!(spec.settings.attempts, Some(3));
    // JSON round trip.
    let json_text = app::quizzes::format::to_json(&spec);
    assert_eq!(import(&t, &json_text, true).await.unwrap(), spec);

    let bad = "title: Тест\n\n? Без правильного\n- a\n- b\n\n?? Повтор\n+ x\n- X \nнепонятно\n";
    let e = refused(import(&t, bad, false).await);
    assert_eq!(
        field(e.clone(), "line:3"),
        Msg::Quiz(QuizMsg::NoCorrectOption)
    );
    assert_eq!(
        field(e.clone(), "line:9"),
        Msg::Quiz(QuizMsg::DuplicateOption)
    );
    assert_eq!(field(e, "line:10"), Msg::Quiz(QuizMsg::UnknownLine));
    let e = refused(import(&t, "? Вопрос\n+ a\n- b\n", false).await);
    assert_eq!(field(e, "line:1"), Msg::Quiz(QuizMsg::NoTitle));

    // Broken JSON names the line where reading stopped.
    let e = refused(import(&t, "{\n  \"settings\": {\n    \"title\": 5\n  }\n}", true).await);
    assert_eq!(field(e, "line:3"), Msg::Quiz(QuizMsg::Format));
    // JSON that reads but is not a valid quiz: problems carry the lines of its text form.
    let mut invalid = quiz_spec("Из JSON");
    invalid.questions[0].correct.clear();
    let e = refused(import(&t, &app::quizzes::format::to_json(&invalid), true).await);
    let text = app::quizzes::format::to_text(&invalid);
    let line = text
        .lines()
        .position(|l| l.starts_with("? Какое число простое?"))
        .unwrap()
        + 1;
    assert_eq!(
        field(e, &format!("line:{line}")),
        Msg::Quiz(QuizMsg::NoCorrectOption)
    );
    app.cleanup().await;
}

// ---------------- 9. versions ----------------

async fn an_edited_quiz_grades_a_running_attempt_against_its_own_version(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let lesson = Some(f.lessons[0]);
    let quiz = save(&f.author, f.course, lesson, &quiz_spec("Версия 1"))
        .await
        .unwrap();
    let v1 = start(&f.learner, quiz).await.unwrap();
    let correct = all_correct(&v1);
    answer(&f.learner, v1.id, correct[0].0, Some(&correct[0].1))
        .await
        .unwrap();

    // The author changes the answer of the first question, drops the text question and adds one.
    let mut spec2 = quiz_spec("Версия 2");
    spec2.questions[0].correct = vec![2];
    spec2.questions.remove(2);
    spec2.questions.push(Question {
        kind: QuestionKind::Single,
        prompt: "Новый вопрос".into(),
        points: 5,
        options: strings(&["да", "нет"]),
        correct: vec![0],
        ..Question::default()
    });
    assert_eq!(
        save(&f.author, f.course, lesson, &spec2).await.unwrap(),
        quiz
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM quiz_versions WHERE quiz_id = $1",
            quiz
        )
        .await,
        2
    );
    let e = edit(&f.author, f.course, lesson).await.unwrap().unwrap();
    assert_eq!(
        (e.spec.settings.title.as_str(), e.attempts_count),
        ("Версия 2", 1)
    );

    // The running attempt still shows and grades version 1.
    let again = start(&f.learner, quiz).await.unwrap();
    assert_eq!(
        (again.id, &again.title, &again.questions),
        (v1.id, &v1.title, &v1.questions)
    );
    let r = submit(&f.learner, v1.id, &correct).await.unwrap();
    assert_eq!((r.earned, r.total, r.percent), (10, 10, 100));
    assert_eq!(r.title, "Версия 1");
    assert_eq!(result(&f.learner, v1.id).await.unwrap(), r);

    // A new attempt takes version 2.
    let v2 = start(&f.learner, quiz).await.unwrap();
    assert_eq!(v2.title, "Версия 2");
    assert!(v2.questions.iter().any(|q| q.prompt == "Новый вопрос"));
    assert!(
        !v2.questions
            .iter()
            .any(|q| q.prompt == "Что растёт в лесу?")
    );
    let single = by_prompt(&v2, "Какое число простое?");
    let r = submit(
        &f.learner,
        v2.id,
        &[(single.id, Answer::Single(pos(single, "7")))],
    )
    .await
    .unwrap();
    assert_eq!((r.earned, r.total), (0, 14), "7 is no longer the answer");
    let list = for_course(&f.learner, f.course).await.unwrap();
    assert_eq!((list[0].title.as_str(), list[0].questions), ("Версия 2", 4));
    app.cleanup().await;
}

// ---------------- 10. final exam ----------------

async fn the_final_exam_counts_the_best_passing_attempt(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let me = app.user_id_of(&f.learner).await;
    let passed = |user: i64| {
        app::quizzes::service::final_exam_passed(&app.state, CourseId(f.course), UserId(user))
    };
    assert_eq!(passed(me).await.unwrap(), None, "no exam yet");
    let exam = save(&f.author, f.course, None, &quiz_spec("Экзамен"))
        .await
        .unwrap();
    // A lesson quiz is not the exam.
    let lesson_quiz = save(&f.author, f.course, Some(f.lessons[0]), &quiz_spec("Урок"))
        .await
        .unwrap();
    let v = start(&f.learner, lesson_quiz).await.unwrap();
    submit(&f.learner, v.id, &all_correct(&v)).await.unwrap();
    assert_eq!(passed(me).await.unwrap(), None);

    // 30 %: not passed.
    let v = start(&f.learner, exam).await.unwrap();
    let single = by_prompt(&v, "Какое число простое?");
    let text = by_prompt(&v, "Что растёт в лесу?");
    let r = submit(
        &f.learner,
        v.id,
        &[
            (single.id, Answer::Single(pos(single, "7"))),
            (text.id, Answer::Text("zzaccept сосна".into())),
        ],
    )
    .await
    .unwrap();
    assert_eq!((r.percent, r.passed), (30, false));
    assert_eq!(passed(me).await.unwrap(), None);
    // 60 % passes; 100 % is better.
    let v = start(&f.learner, exam).await.unwrap();
    let mut answers = all_correct(&v);
    answers.retain(|(id, _)| {
        let q = v.questions.iter().find(|q| q.id == *id).unwrap();
        q.kind != QuestionKind::Ordering
    });
    let r60 = submit(&f.learner, v.id, &answers).await.unwrap();
    assert_eq!((r60.percent, r60.passed), (60, true));
    assert_eq!(passed(me).await.unwrap(), Some((AttemptId(v.id), 60)));
    let v = start(&f.learner, exam).await.unwrap();
    let r100 = submit(&f.learner, v.id, &all_correct(&v)).await.unwrap();
    assert_eq!(
        passed(me).await.unwrap(),
        Some((AttemptId(r100.attempt_id), 100))
    );
    // Passing the exam completes no lesson by itself.
    assert_eq!(
        app.completed_lessons(me, f.course).await.unwrap(),
        vec![f.lessons[0]]
    );
    let list = for_course(&f.learner, f.course).await.unwrap();
    assert_eq!(
        list.iter().map(|q| q.lesson_id).collect::<Vec<_>>(),
        vec![Some(f.lessons[0]), None],
        "the final exam comes last"
    );
    app.cleanup().await;
}

/// Whether a result carries the answer key: the flag, every item, and the raw JSON (the markers
/// only correct answers and explanations contain).
async fn key_shown(c: &Client, attempt: i64) -> bool {
    let r = result(c, attempt).await.unwrap();
    let body = raw(c, "quizzes/result", &[("attempt", &n(attempt))]).await;
    let in_body = body.contains("ZZACCEPT") || body.contains("ZZEXPLAIN");
    let in_items = r
        .items
        .iter()
        .all(|i| i.correct.is_some() && i.explanation.is_some());
    let none = r
        .items
        .iter()
        .all(|i| i.correct.is_none() && i.explanation.is_none());
    assert!(
        (r.answers_shown && in_items && in_body) || (!r.answers_shown && none && !in_body),
        "inconsistent: {r:?}"
    );
    r.answers_shown
}

async fn review_options_keep_the_answer_key_back_until_allowed(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let second = student(&app, "Second Account").await;
    enroll(&second, f.course).await;
    // A final exam with two attempts and the default review option.
    let mut spec = quiz_spec("Экзамен");
    spec.settings.attempts = Some(2);
    let exam = save(&f.author, f.course, None, &spec).await.unwrap();
    let v = start(&f.learner, exam).await.unwrap();
    let r = submit(&f.learner, v.id, &[]).await.unwrap();
    assert_eq!(
        (r.passed, r.review, r.answers_shown),
        (false, Review::PassOrLast, false)
    );
    assert!(
        r.items
            .iter()
            .all(|i| i.correct.is_none() && i.explanation.is_none())
    );
    // Points per question still show.
    assert_eq!(r.items.len(), 4);
    let first = v.id;
    assert!(
        !key_shown(&f.learner, first).await,
        "attempts remain: no key"
    );
    // The author and a moderator see everything.
    assert!(key_shown(&f.author, first).await);
    assert!(key_shown(&f.moderator, first).await);
    // A second account that passes sees the key of its own attempt, not the first learner's.
    let v2 = start(&second, exam).await.unwrap();
    let r = submit(&second, v2.id, &all_correct(&v2)).await.unwrap();
    assert!(r.passed && r.answers_shown);
    assert_eq!(
        result(&second, first).await.unwrap_err().0,
        404,
        "someone else's attempt"
    );
    // The last attempt, failed: now the learner may see the key, of both attempts.
    let v = start(&f.learner, exam).await.unwrap();
    let r = submit(&f.learner, v.id, &[]).await.unwrap();
    assert_eq!(
        (r.passed, r.attempts_left, r.answers_shown),
        (false, Some(0), true)
    );
    assert!(key_shown(&f.learner, first).await);

    // A lesson quiz shows the key after each attempt by default…
    let lesson_quiz = save(&f.author, f.course, Some(f.lessons[0]), &quiz_spec("Урок"))
        .await
        .unwrap();
    let v = start(&f.learner, lesson_quiz).await.unwrap();
    let r = submit(&f.learner, v.id, &[]).await.unwrap();
    assert_eq!(
        (r.passed, r.review, r.answers_shown),
        (false, Review::EachAttempt, true)
    );
    // …until the author says never: old attempts close too, even a passed one.
    let mut never = quiz_spec("Урок");
    never.settings.review = Some(Review::Never);
    save(&f.author, f.course, Some(f.lessons[0]), &never)
        .await
        .unwrap();
    assert!(!key_shown(&f.learner, v.id).await);
    let v = start(&f.learner, lesson_quiz).await.unwrap();
    let r = submit(&f.learner, v.id, &all_correct(&v)).await.unwrap();
    assert!(r.passed && !r.answers_shown && r.review == Review::Never);
    assert!(key_shown(&f.author, v.id).await, "staff still see it");
    // The setting round-trips through the editor and the text format.
    let e = edit(&f.author, f.course, Some(f.lessons[0]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.spec.settings.review, Some(Review::Never));
    assert!(e.text.contains("review: never"), "{}", e.text);
    app.cleanup().await;
}

async fn complete(c: &Client, lesson: i64) -> Call<()> {
    c.call("courses/complete", &[("lesson", &n(lesson))]).await
}

async fn a_lesson_that_requires_its_quiz_is_completed_only_by_passing_it(b: Backend) {
    let app = spawn_app(b).await;
    let f = fixture(&app).await;
    let me = app.user_id_of(&f.learner).await;
    let lesson = f.lessons[0];
    let mut spec = quiz_spec("Обязательный");
    spec.settings.pass_required = true;
    let quiz = save(&f.author, f.course, Some(lesson), &spec)
        .await
        .unwrap();
    // "Mark as complete" is refused, and the page offers none.
    assert_eq!(
        complete(&f.learner, lesson).await.unwrap_err(),
        (
            409,
            AppError::Conflict(Msg::Course(app::courses::CourseMsg::PassQuizToComplete))
        )
    );
    assert!(
        app.completed_lessons(me, f.course)
            .await
            .unwrap()
            .is_empty()
    );
    let html = page(&f.learner, &format!("/learn/{}/{lesson}", f.slug)).await;
    assert!(!html.contains("Mark as complete") && !html.contains("Отметить как пройденный"));
    assert!(
        html.contains("Pass the quiz above to complete this lesson.")
            || html.contains("Сдайте тест выше, чтобы урок был засчитан.")
    );
    // A failed attempt completes nothing; a pass completes the lesson.
    let v = start(&f.learner, quiz).await.unwrap();
    submit(&f.learner, v.id, &[]).await.unwrap();
    assert!(
        app.completed_lessons(me, f.course)
            .await
            .unwrap()
            .is_empty()
    );
    let v = start(&f.learner, quiz).await.unwrap();
    assert!(
        submit(&f.learner, v.id, &all_correct(&v))
            .await
            .unwrap()
            .passed
    );
    assert_eq!(
        app.completed_lessons(me, f.course).await.unwrap(),
        vec![lesson]
    );
    // Once the quiz is optional again (or deleted), marking by hand works.
    let other = student(&app, "Other Learner").await;
    enroll(&other, f.course).await;
    assert_eq!(complete(&other, lesson).await.unwrap_err().0, 409);
    delete(&f.author, f.course, quiz).await.unwrap();
    complete(&other, lesson).await.unwrap();
    spec.settings.pass_required = false;
    save(&f.author, f.course, Some(f.lessons[1]), &spec)
        .await
        .unwrap();
    complete(&other, f.lessons[1]).await.unwrap();
    app.cleanup().await;
}

impl TestApp {
    /// The id of the user signed in on `c`.
    pub(crate) async fn user_id_of(&self, c: &Client) -> i64 {
        c.me().await.expect("signed in").id
    }

    /// The lessons `user` completed in `course` (plain ids, as the fixtures hold them).
    async fn completed_lessons(&self, user: i64, course: i64) -> sqlx::Result<Vec<i64>> {
        let done =
            app::courses::db::completed_lessons(&self.db, UserId(user), CourseId(course)).await?;
        Ok(done.into_iter().map(LessonId::get).collect())
    }
}
