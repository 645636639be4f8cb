//! Where quizzes show up outside their own page: a lesson's quiz under the lesson, the final exam
//! on the course page, and the author's links in the course editor.

use super::QuizSummary;
use super::api::course_quizzes;
use crate::i18n::{Locale, use_i18n};
use crate::tr;
use crate::ui::Load;
use leptos::prelude::*;

/// A quiz's one-line description: "5 questions · pass mark 70% · 3 attempts · 20 min".
fn facts(q: &QuizSummary, l: Locale) -> String {
    let mut parts = vec![match l {
        Locale::En => format!("{} questions", q.questions),
        Locale::Ru => format!("вопросов: {}", q.questions),
    }];
    parts.push(match l {
        Locale::En => format!("pass mark {}%", q.pass_percent),
        Locale::Ru => format!("проходной балл {}%", q.pass_percent),
    });
    if let Some(a) = q.attempts_allowed {
        parts.push(match l {
            Locale::En => format!("{a} attempt(s)"),
            Locale::Ru => format!("попыток: {a}"),
        });
    }
    if let Some(m) = q.time_limit_minutes {
        parts.push(match l {
            Locale::En => format!("{m} min"),
            Locale::Ru => format!("{m} мин"),
        });
    }
    parts.join(" · ")
}

#[component]
fn QuizBox(quiz: QuizSummary, final_exam: bool) -> impl IntoView {
    let l = use_i18n();
    let q = quiz;
    let href = format!("/quizzes/{}", q.id);
    let title = q.title.clone();
    let best = q.best_percent;
    let passed = q.passed;
    let line = q.clone();
    view! {
        <section class="quiz-box" aria-label=move || if final_exam { l.get().pick("Final exam", "Итоговый экзамен") } else { l.get().pick("Lesson quiz", "Тест к уроку") }>
            <h2>{move || if final_exam { l.get().pick("Final exam", "Итоговый экзамен") } else { l.get().pick("Check yourself", "Проверьте себя") }}</h2>
            <p><strong>{title.clone()}</strong></p>
            <p class="muted">{move || facts(&line, l.get())}</p>
            {best.map(|b| view! {
                <p>{move || match (l.get(), passed) {
                    (Locale::En, true) => format!("Your best: {b}% ✓ passed"),
                    (Locale::En, false) => format!("Your best: {b}% — not passed yet"),
                    (Locale::Ru, true) => format!("Ваш лучший результат: {b}% ✓ сдано"),
                    (Locale::Ru, false) => format!("Ваш лучший результат: {b}% — пока не сдано"),
                }}</p>
            })}
            <a class="button" href=href>{move || match (best.is_some(), final_exam) {
                (false, true) => l.get().pick("Take the exam", "Сдать экзамен"),
                (false, false) => l.get().pick("Take the quiz", "Пройти тест"),
                (true, _) => l.get().pick("Open", "Открыть"),
            }}</a>
        </section>
    }
}

/// The quiz of a lesson, if it has one; or, with `lesson` `None`, the course's final exam.
#[component]
pub fn QuizFor(course: i64, lesson: Option<i64>) -> impl IntoView {
    let list = Resource::new(move || course, course_quizzes);
    view! {
        <Load resource=list quiet=true let:qs>
            {qs.into_iter().find(|q| q.lesson_id == lesson).map(|q| view! {
                <QuizBox quiz=q final_exam=lesson.is_none() />
            })}
        </Load>
    }
}

/// The author's links from the course editor: a lesson's quiz, or the final exam.
#[component]
pub fn EditQuizLink(course: i64, lesson: Option<i64>) -> impl IntoView {
    let target = lesson.map_or("final".to_string(), |l| l.to_string());
    view! {
        <a class="button button--ghost button--small" href=format!("/studio/courses/{course}/quiz/{target}")>
            {match lesson {
                Some(_) => tr!("Lesson quiz", "Тест к уроку").into_any(),
                None => tr!("Final exam", "Итоговый экзамен").into_any(),
            }}
        </a>
    }
}
