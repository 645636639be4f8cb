//! The learner's quiz page: the quiz's rules and past attempts, taking an attempt (one question
//! per screen or all on one page, a timer when there is a time limit, answers saved as they are
//! given) and the result with the correct answers and explanations, shown only after submitting.

use super::api::{attempt_result, quiz_overview, start_attempt};
use super::{
    Answer, AttemptResult, AttemptView, CorrectAnswer, QuestionKind, QuestionView, QuizOverview,
    Review,
};
use crate::error::{AppError, Msg};
use crate::i18n::{Locale, use_i18n};
use crate::tr;
use crate::ui::{FormError, Load, Seo, format_datetime};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::HashMap;

/// `/quizzes/:id`, with `?attempt=N` to show one submitted attempt.
#[component]
pub fn QuizPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|x| x.parse::<i64>().ok()).unwrap_or(0));
    let shown_attempt =
        move || query.with(|q| q.get("attempt").and_then(|x| x.parse::<i64>().ok()));
    // Bumped after an attempt ends, so the overview (attempts left, best score) is read again.
    let reload = RwSignal::new(0u32);
    let overview = Resource::new(move || (id(), reload.get()), |(id, _)| quiz_overview(id));
    // Lives here, not in `QuizView`: reloading the overview after an attempt re-creates the
    // view, and the result just received must stay on screen.
    let stage = RwSignal::new(Stage::Overview);
    Effect::new(move |prev: Option<i64>| {
        let now = id();
        if prev.is_some_and(|p| p != now) {
            stage.set(Stage::Overview);
        }
        now
    });
    view! {
        <Load resource=overview let:o>
            <QuizView overview=o shown_attempt=Signal::derive(shown_attempt) reload stage />
        </Load>
    }
}

/// The running attempt, or the result just received, or neither (the overview).
#[derive(Clone)]
enum Stage {
    Overview,
    Running(AttemptView),
    Done(AttemptResult, Option<Msg>),
}

#[component]
fn QuizView(
    overview: QuizOverview,
    shown_attempt: Signal<Option<i64>>,
    reload: RwSignal<u32>,
    stage: RwSignal<Stage>,
) -> impl IntoView {
    let l = use_i18n();
    let o = overview;
    let start = Action::new(move |quiz: &i64| start_attempt(*quiz));
    Effect::new(move |_| {
        if let Some(Ok(a)) = start.value().get() {
            stage.set(Stage::Running(a));
        }
    });
    let back = match o.lesson_id {
        Some(lesson) => format!("/learn/{}/{lesson}", o.course_slug),
        None => format!("/courses/{}", o.course_slug),
    };
    let back_text = o
        .lesson_title
        .clone()
        .unwrap_or_else(|| o.course_title.clone());
    let title = o.title.clone();
    let quiz_id = o.id;
    let facts = o.clone();
    let on_done = Callback::new(move |(r, msg): (AttemptResult, Option<Msg>)| {
        stage.set(Stage::Done(r, msg));
        reload.update(|n| *n += 1);
    });
    view! {
        <Seo title=Signal::derive(move || title.clone()) description=Signal::derive(String::new)
            path=format!("/quizzes/{quiz_id}") noindex=true />
        <div class="page page--narrow quiz-page">
            <nav class="breadcrumbs" aria-label=tr!("Breadcrumbs", "Навигация")>
                <a href=format!("/courses/{}", o.course_slug)>{o.course_title.clone()}</a>
                {o.lesson_title.clone().map(|t| view! { " / " <a href=back.clone()>{t}</a> })}
            </nav>
            <h1>{o.title.clone()}</h1>
            <p class="muted">{move || match o.lesson_id {
                None => l.get().pick("Final exam of the course", "Итоговый экзамен курса"),
                Some(_) => l.get().pick("Lesson quiz", "Тест к уроку"),
            }}</p>
            {move || match stage.get() {
                Stage::Running(a) => view! { <AttemptRunner attempt=a on_done /> }.into_any(),
                Stage::Done(r, msg) => {
                    let again = facts.may_start_again(&r);
                    view! {
                        {msg.map(|m| view! { <p class="callout" role="alert">{move || m.text(l.get())}</p> })}
                        <ResultPanel result=r />
                        <div class="quiz__actions">
                            {again.then(|| view! {
                                <button class="button" on:click=move |_| { start.dispatch(quiz_id); }
                                    disabled=move || start.pending().get()>{tr!("Try again", "Пройти ещё раз")}</button>
                            })}
                            <a class="button button--ghost" href=back.clone()>{format!("← {back_text}")}</a>
                        </div>
                    }.into_any()
                }
                Stage::Overview => {
                    let o = facts.clone();
                    view! {
                        <Facts overview=o.clone() />
                        {match shown_attempt.get() {
                            Some(a) => view! { <ShownResult attempt=a /> }.into_any(),
                            None => ().into_any(),
                        }}
                        <div class="quiz__actions">
                            {o.may_start.then(|| {
                                let label = if o.in_progress.is_some() {
                                    ("Continue the attempt", "Продолжить попытку")
                                } else if o.attempts.is_empty() {
                                    ("Start the quiz", "Начать тест")
                                } else {
                                    ("Start a new attempt", "Начать новую попытку")
                                };
                                view! {
                                    <button class="button" on:click=move |_| { start.dispatch(quiz_id); }
                                        disabled=move || start.pending().get()>{move || l.get().pick(label.0, label.1)}</button>
                                }
                            })}
                            {(!o.may_start && o.attempts_left == Some(0)).then(|| view! {
                                <p class="callout">{tr!("You have used every attempt of this quiz.", "Вы использовали все попытки этого теста.")}</p>
                            })}
                        </div>
                        <FormError msg=crate::ui::form_error(start.value(), &[]) />
                        <PastAttempts overview=o />
                    }.into_any()
                }
            }}
        </div>
    }
}

impl QuizOverview {
    /// Whether another attempt may start after `r`: attempts are left (or unlimited).
    fn may_start_again(&self, r: &AttemptResult) -> bool {
        self.may_start && r.attempts_left != Some(0)
    }
}

/// The quiz's rules and the learner's standing.
#[component]
fn Facts(overview: QuizOverview) -> impl IntoView {
    let l = use_i18n();
    let o = overview;
    let questions = o.questions;
    let points = o.total_points;
    let pass = o.pass_percent;
    let attempts = o.attempts_allowed;
    let left = o.attempts_left;
    let time = o.time_limit_minutes;
    let best = o.best_percent;
    let passed = o.passed;
    view! {
        <dl class="quiz__facts">
            <div><dt>{tr!("Questions", "Вопросов")}</dt><dd>{questions}</dd></div>
            <div><dt>{tr!("Points", "Баллов")}</dt><dd>{points}</dd></div>
            <div><dt>{tr!("Pass mark", "Проходной балл")}</dt><dd>{format!("{pass}%")}</dd></div>
            <div><dt>{tr!("Attempts", "Попытки")}</dt><dd>{move || match (attempts, left) {
                (None, _) => l.get().pick("unlimited", "без ограничений").to_string(),
                (Some(n), Some(left)) => match l.get() {
                    Locale::En => format!("{left} of {n} left"),
                    Locale::Ru => format!("осталось {left} из {n}"),
                },
                (Some(n), None) => n.to_string(),
            }}</dd></div>
            <div><dt>{tr!("Time limit", "Ограничение по времени")}</dt><dd>{move || match time {
                None => l.get().pick("none", "нет").to_string(),
                Some(m) => match l.get() { Locale::En => format!("{m} min"), Locale::Ru => format!("{m} мин") },
            }}</dd></div>
            {best.map(|b| view! {
                <div><dt>{tr!("Your best score", "Ваш лучший результат")}</dt>
                    <dd>{format!("{b}% ")}{move || if passed { l.get().pick("✓ passed", "✓ сдано") } else { l.get().pick("not passed yet", "пока не сдано") }}</dd></div>
            })}
        </dl>
    }
}

#[component]
fn PastAttempts(overview: QuizOverview) -> impl IntoView {
    let l = use_i18n();
    let id = overview.id;
    (!overview.attempts.is_empty()).then(|| view! {
        <section aria-labelledby="attempts-h" class="quiz__attempts">
            <h2 id="attempts-h">{tr!("Your attempts", "Ваши попытки")}</h2>
            <table>
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{tr!("Score", "Результат")}</th>
                    <th scope="col">{tr!("Submitted", "Отправлено")}</th>
                    <th scope="col"><span class="visually-hidden">{tr!("Details", "Подробности")}</span></th>
                </tr></thead>
                <tbody>{overview.attempts.into_iter().map(|a| view! {
                    <tr>
                        <td>{a.number}</td>
                        <td>{format!("{}% ", a.percent)}{move || if a.passed { l.get().pick("✓ passed", "✓ сдано") } else { l.get().pick("✗ not passed", "✗ не сдано") }}</td>
                        <td>{move || format_datetime(a.submitted_at, l.get())}</td>
                        <td><a href=format!("/quizzes/{id}?attempt={}", a.id)>{move || match l.get() {
                            Locale::En => format!("Answers of attempt {}", a.number),
                            Locale::Ru => format!("Ответы попытки {}", a.number),
                        }}</a></td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </section>
    })
}

/// A submitted attempt chosen from the list.
#[component]
fn ShownResult(attempt: i64) -> impl IntoView {
    let result = Resource::new(move || attempt, attempt_result);
    view! {
        <Load resource=result let:r>
            <ResultPanel result=r />
        </Load>
    }
}

#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum SaveState {
    Idle,
    InFlight,
    Saved,
    Failed,
}

/// Taking an attempt.
#[component]
fn AttemptRunner(
    attempt: AttemptView,
    on_done: Callback<(AttemptResult, Option<Msg>)>,
) -> impl IntoView {
    let l = use_i18n();
    let attempt_id = attempt.id;
    let questions = StoredValue::new(attempt.questions.clone());
    let total = attempt.questions.len();
    let answers: RwSignal<HashMap<i64, Answer>> =
        RwSignal::new(attempt.answers.iter().cloned().collect());
    let one_per_screen = RwSignal::new(total > 1);
    let current = RwSignal::new(0usize);
    let saving = RwSignal::new(SaveState::Idle);
    let error = RwSignal::new(None::<Msg>);
    let submitting = RwSignal::new(false);
    // Each question's latest edit; a save only goes out if no newer edit came meanwhile
    // (text answers are saved after a short pause in typing).
    let generation = StoredValue::new(HashMap::<i64, u64>::new());

    let finish = move |r: Result<AttemptResult, AppError>| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match r {
                Ok(r) => on_done.run((r, None)),
                Err(AppError::Conflict(
                    m @ (Msg::Quiz(super::QuizMsg::TimeUp)
                    | Msg::Quiz(super::QuizMsg::AlreadySubmitted)),
                )) => match attempt_result(attempt_id).await {
                    Ok(r) => on_done.run((r, Some(m))),
                    Err(e) => {
                        submitting.set(false);
                        error.set(Some(e.msg()));
                    }
                },
                Err(e) => {
                    submitting.set(false);
                    error.set(Some(e.msg()));
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (r, on_done, attempt_id, submitting, error);
    };
    let submit = move || {
        if submitting.get_untracked() {
            return;
        }
        submitting.set(true);
        let list: Vec<(i64, Answer)> = answers.get_untracked().into_iter().collect();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            finish(super::api::submit_attempt(attempt_id, list).await);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (list, finish);
    };

    let set_answer = Callback::new(move |(qid, a, delay): (i64, Answer, u32)| {
        answers.update(|m| {
            m.insert(qid, a.clone());
        });
        let g = generation
            .try_update_value(|m| {
                let e = m.entry(qid).or_insert(0);
                *e += 1;
                *e
            })
            .unwrap_or(0);
        saving.set(SaveState::InFlight);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if delay > 0 {
                gloo_sleep(delay).await;
                // Skipped when a newer edit came meanwhile. The runner may be gone by now (the
                // attempt was submitted, or the person left the page): no newer edit can come
                // then, so the answer still goes out and the server decides.
                if let Some(latest) = generation.try_with_value(|m| m.get(&qid).copied())
                    && latest != Some(g)
                {
                    return;
                }
            }
            let state = match super::api::save_answer(attempt_id, qid, Some(a)).await {
                Ok(()) => SaveState::Saved,
                Err(_) => SaveState::Failed,
            };
            // `try_set`: the runner may have been disposed while the save was in flight.
            let _ = saving.try_set(state);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (g, delay);
    });

    // The countdown, against the server's clock.
    let remaining = RwSignal::new(None::<i64>);
    if let Some(deadline) = attempt.deadline_at {
        let offset = attempt.now - client_now();
        remaining.set(Some(deadline - attempt.now));
        #[cfg(feature = "hydrate")]
        {
            let handle = set_interval_with_handle(
                move || {
                    let left = deadline - (client_now() + offset);
                    remaining.set(Some(left));
                    if left <= 0 {
                        submit();
                    }
                },
                std::time::Duration::from_millis(1000),
            );
            if let Ok(h) = handle {
                on_cleanup(move || h.clear());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = offset;
    }

    let answered = move || {
        answers.with(|m| {
            questions.with_value(|qs| qs.iter().filter(|q| m.contains_key(&q.id)).count())
        })
    };
    let on_submit = move |_| {
        let missing = total - answered();
        if missing > 0 {
            let text = match l.get_untracked() {
                Locale::En => format!("{missing} question(s) have no answer. Submit anyway?"),
                Locale::Ru => format!("Без ответа вопросов: {missing}. Всё равно отправить?"),
            };
            if !confirm(&text) {
                return;
            }
        }
        submit();
    };

    view! {
        <section class="quiz-run" aria-label=tr!("Quiz attempt", "Попытка теста")>
            <div class="quiz-run__bar">
                <span>{move || match l.get() {
                    Locale::En => format!("Attempt {} · answered {} of {total}", attempt.number, answered()),
                    Locale::Ru => format!("Попытка {} · отвечено {} из {total}", attempt.number, answered()),
                }}</span>
                {move || remaining.get().map(|ms| {
                    let s = (ms.max(0) + 999) / 1000;
                    let urgent = s <= 60;
                    view! {
                        <span class="quiz-run__timer" class:quiz-run__timer--urgent=urgent role="timer"
                            aria-label=tr!("Time left", "Осталось времени")>
                            <crate::ui::Icon kind=crate::ui::IconKind::Clock />{format!(" {}:{:02}", s / 60, s % 60)}
                        </span>
                    }
                })}
                <span class="quiz-run__saved muted" role="status" aria-live="polite">{move || match saving.get() {
                    SaveState::Idle => "",
                    SaveState::InFlight => l.get().pick("Saving…", "Сохраняем…"),
                    SaveState::Saved => l.get().pick("Answers saved", "Ответы сохранены"),
                    SaveState::Failed => l.get().pick("Not saved: check the connection", "Не сохранено: проверьте соединение"),
                }}</span>
                {(total > 1).then(|| view! {
                    <button type="button" class="button button--ghost button--small" on:click=move |_| one_per_screen.update(|v| *v = !*v)>
                        {move || if one_per_screen.get() { l.get().pick("Show all questions", "Все вопросы сразу") } else { l.get().pick("One question per screen", "По одному вопросу") }}
                    </button>
                })}
            </div>
            {move || one_per_screen.get().then(|| view! {
                <nav class="quiz-run__nav" aria-label=tr!("Questions", "Вопросы")>
                    {questions.with_value(|qs| qs.iter().enumerate().map(|(i, q)| {
                        let qid = q.id;
                        view! {
                            <button type="button" class="quiz-run__dot"
                                class:quiz-run__dot--answered=move || answers.with(|m| m.contains_key(&qid))
                                aria-current=move || (current.get() == i).then_some("step")
                                aria-label=move || match l.get() { Locale::En => format!("Question {}", i + 1), Locale::Ru => format!("Вопрос {}", i + 1) }
                                on:click=move |_| current.set(i)>{i + 1}</button>
                        }
                    }).collect_view())}
                </nav>
            })}
            <form class="quiz-run__questions" on:submit=move |ev| ev.prevent_default()>
                {questions.with_value(|qs| qs.iter().cloned().enumerate().map(|(i, q)| {
                    let qid = q.id;
                    let answer = Signal::derive(move || answers.with(|m| m.get(&qid).cloned()));
                    view! {
                        <div class="quiz-q" hidden=move || one_per_screen.get() && current.get() != i>
                            <QuestionInput number=i + 1 question=q answer on_change=set_answer />
                        </div>
                    }
                }).collect_view())}
            </form>
            <div class="quiz__actions">
                <Show when=move || one_per_screen.get()>
                    <button type="button" class="button button--ghost" disabled=move || current.get() == 0
                        on:click=move |_| current.update(|c| *c = c.saturating_sub(1))>{tr!("← Previous", "← Назад")}</button>
                    <button type="button" class="button button--ghost" disabled=move || { current.get() + 1 >= total }
                        on:click=move |_| current.update(|c| *c = (*c + 1).min(total - 1))>{tr!("Next →", "Далее →")}</button>
                </Show>
                <button type="button" class="button" on:click=on_submit disabled=move || submitting.get()>
                    {tr!("Submit answers", "Отправить ответы")}</button>
            </div>
            <FormError msg=Signal::derive(move || error.get()) />
        </section>
    }
}

/// One question's answer control.
#[component]
fn QuestionInput(
    number: usize,
    question: QuestionView,
    answer: Signal<Option<Answer>>,
    on_change: Callback<(i64, Answer, u32)>,
) -> impl IntoView {
    let l = use_i18n();
    let q = question;
    let qid = q.id;
    let name = format!("q{qid}");
    let points = q.points;
    let heading = move || match l.get() {
        Locale::En => format!("Question {number} · {points} pt"),
        Locale::Ru => format!("Вопрос {number} · баллов: {points}"),
    };
    let prompt = q.prompt.clone();
    let control = match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let multiple = q.kind == QuestionKind::Multiple;
            q.options
                .iter()
                .cloned()
                .enumerate()
                .map(|(pos, text)| {
                    let checked = move || match answer.get() {
                        Some(Answer::Single(p)) => p == pos,
                        Some(Answer::Multiple(ps)) => ps.contains(&pos),
                        _ => false,
                    };
                    let change = move |_| {
                        let a = if multiple {
                            let mut ps = match answer.get_untracked() {
                                Some(Answer::Multiple(ps)) => ps,
                                _ => Vec::new(),
                            };
                            if let Some(i) = ps.iter().position(|p| *p == pos) {
                                ps.remove(i);
                            } else {
                                ps.push(pos);
                                ps.sort_unstable();
                            }
                            Answer::Multiple(ps)
                        } else {
                            Answer::Single(pos)
                        };
                        on_change.run((qid, a, 0));
                    };
                    view! {
                        <label class="quiz-q__option">
                            <input type=if multiple { "checkbox" } else { "radio" } name=name.clone() value=pos
                                prop:checked=checked on:change=change />
                            <span>{text}</span>
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::Text => view! {
            <label class="quiz-q__text">
                <span>{tr!("Your answer", "Ваш ответ")}</span>
                <input type="text" name=name.clone() maxlength="500" autocomplete="off"
                    prop:value=move || match answer.get() { Some(Answer::Text(t)) => t, _ => String::new() }
                    on:input=move |ev| on_change.run((qid, Answer::Text(event_target_value(&ev)), 700)) />
            </label>
        }
        .into_any(),
        QuestionKind::Ordering => {
            let items = q.options.clone();
            let n = items.len();
            let order = move || match answer.get() {
                Some(Answer::Ordering(o)) if o.len() == n => o,
                _ => (0..n).collect(),
            };
            let swap = move |i: usize, j: usize| {
                let mut o = order();
                o.swap(i, j);
                on_change.run((qid, Answer::Ordering(o), 0));
            };
            view! {
                <p class="muted">{tr!("Put the items in the right order with the arrows.", "Расставьте элементы в правильном порядке стрелками.")}</p>
                <ol class="quiz-q__order">
                    {move || {
                        let items = items.clone();
                        order().into_iter().enumerate().map(|(i, pos)| {
                            let text = items.get(pos).cloned().unwrap_or_default();
                            let t2 = text.clone();
                            view! {
                                <li>
                                    <span>{text}</span>
                                    <button type="button" class="button button--ghost button--small" disabled={i == 0}
                                        aria-label=move || format!("{} {}", l.get().pick("Move up:", "Выше:"), t2)
                                        on:click=move |_| swap(i, i - 1)>"↑"</button>
                                    <button type="button" class="button button--ghost button--small" disabled={i + 1 == n}
                                        aria-label={let t = items.get(pos).cloned().unwrap_or_default(); move || format!("{} {}", l.get().pick("Move down:", "Ниже:"), t)}
                                        on:click=move |_| swap(i, i + 1)>"↓"</button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
            }
            .into_any()
        }
    };
    view! {
        <fieldset class="quiz-q__set">
            <legend><span class="quiz-q__n">{heading}</span></legend>
            <div class="quiz-q__prompt">{prompt}</div>
            {control}
        </fieldset>
    }
}

/// The score and, per question, the learner's answer, the correct one and the explanation.
#[component]
fn ResultPanel(result: AttemptResult) -> impl IntoView {
    let l = use_i18n();
    let r = result;
    let passed = r.passed;
    let (earned, total, percent, pass) = (r.earned, r.total, r.percent, r.pass_percent);
    view! {
        <section class="quiz-result" aria-labelledby="result-h">
            <h2 id="result-h">{move || match l.get() {
                Locale::En => format!("Attempt {}: {percent}%", r.number),
                Locale::Ru => format!("Попытка {}: {percent}%", r.number),
            }}</h2>
            <p class="quiz-result__verdict" class:quiz-result__verdict--pass=passed role="status">
                {move || match (l.get(), passed) {
                    (Locale::En, true) => format!("Passed ✓ — {earned} of {total} points; the pass mark is {pass}%."),
                    (Locale::En, false) => format!("Not passed — {earned} of {total} points; the pass mark is {pass}%."),
                    (Locale::Ru, true) => format!("Сдано ✓ — {earned} из {total} баллов; проходной балл {pass}%."),
                    (Locale::Ru, false) => format!("Не сдано — {earned} из {total} баллов; проходной балл {pass}%."),
                }}
            </p>
            <p class="muted">{move || {
                let left = match (l.get(), r.attempts_left) {
                    (Locale::En, None) => "Attempts are unlimited.".to_string(),
                    (Locale::Ru, None) => "Попытки не ограничены.".to_string(),
                    (Locale::En, Some(n)) => format!("Attempts left: {n}."),
                    (Locale::Ru, Some(n)) => format!("Осталось попыток: {n}."),
                };
                let best = r.best_percent.map(|b| match l.get() {
                    Locale::En => format!(" Your best score: {b}% (the best attempt counts)."),
                    Locale::Ru => format!(" Ваш лучший результат: {b}% (засчитывается лучшая попытка)."),
                }).unwrap_or_default();
                format!("{left}{best}")
            }}</p>
            {r.certificate_code.clone().map(|code| view! {
                <p class="callout quiz-result__certificate">
                    {tr!("You have completed the course.", "Вы прошли курс.")}" "
                    <a href=format!("/certificates/{code}")>{tr!("Your certificate is ready", "Ваш сертификат готов")}</a>
                </p>
            })}
            {(!r.answers_shown).then(|| {
                let review = r.review;
                view! {
                    <p class="callout quiz-result__held" role="note">{move || match (l.get(), review) {
                        (Locale::En, Review::Never) => "The correct answers of this quiz are not shown.",
                        (Locale::Ru, Review::Never) => "Правильные ответы этого теста не показываются.",
                        (Locale::En, _) => "The correct answers and explanations are shown once you pass, or when no attempts are left.",
                        (Locale::Ru, _) => "Правильные ответы и пояснения появятся, когда вы сдадите тест или когда попытки закончатся.",
                    }}</p>
                }
            })}
            <ol class="quiz-result__items">
                {r.items.into_iter().map(|item| {
                    let right = item.earned == item.points;
                    let q = item.question.clone();
                    let yours = describe_answer(&q, item.your_answer.as_ref());
                    let correct = item.correct.as_ref().map(|c| describe_correct(&q, c));
                    let (earned, points) = (item.earned, item.points);
                    view! {
                        <li class="quiz-result__item" class:quiz-result__item--right=right>
                            <p class="quiz-q__prompt">{q.prompt.clone()}</p>
                            <p><strong>{tr!("Your answer: ", "Ваш ответ: ")}</strong>
                                {move || yours.clone().unwrap_or_else(|| l.get().pick("no answer", "нет ответа").to_string())}
                                " "<span class="quiz-result__mark">{move || if right { l.get().pick("✓ correct", "✓ верно") } else { l.get().pick("✗ incorrect", "✗ неверно") }}</span>
                                <span class="muted">{format!(" ({earned}/{points})")}</span></p>
                            {correct.map(|c| view! {
                                <p><strong>{tr!("Correct answer: ", "Правильный ответ: ")}</strong>{c}</p>
                            })}
                            {item.explanation.clone().map(|e| view! {
                                <p class="quiz-result__explain"><strong>{tr!("Explanation: ", "Пояснение: ")}</strong>{e}</p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn option_text(q: &QuestionView, pos: usize) -> String {
    q.options.get(pos).cloned().unwrap_or_default()
}

fn describe_answer(q: &QuestionView, a: Option<&Answer>) -> Option<String> {
    Some(match a? {
        Answer::Single(p) => option_text(q, *p),
        Answer::Multiple(ps) => ps
            .iter()
            .map(|p| option_text(q, *p))
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Text(t) => t.clone(),
        Answer::Ordering(ps) => ps
            .iter()
            .map(|p| option_text(q, *p))
            .collect::<Vec<_>>()
            .join(" → "),
    })
}

fn describe_correct(q: &QuestionView, c: &CorrectAnswer) -> String {
    match c {
        CorrectAnswer::Options(ps) => ps
            .iter()
            .map(|p| option_text(q, *p))
            .collect::<Vec<_>>()
            .join("; "),
        CorrectAnswer::Text(t) => t.join(" / "),
        CorrectAnswer::Order(ps) => ps
            .iter()
            .map(|p| option_text(q, *p))
            .collect::<Vec<_>>()
            .join(" → "),
    }
}

/// The browser's clock in unix ms (the server's on the server, where it is unused).
fn client_now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

pub(crate) fn confirm(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(text).ok())
            .unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        true
    }
}

#[cfg(feature = "hydrate")]
async fn gloo_sleep(ms: u32) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = tx.send(());
        },
        std::time::Duration::from_millis(ms as u64),
    );
    let _ = rx.await;
}
