//! The quiz editor inside the course editor: `/studio/courses/:id/quiz/:target`, where `target`
//! is a lesson id or `final` (the course's final exam). Questions are edited in a form, or the
//! whole quiz as text in the documented format (`format.rs`), both checked as you type; the
//! quiz downloads as text or JSON.

use super::api::{DeleteQuiz, get_quiz_for_edit, save_quiz};
use super::format::{self, ImportError};
use super::{Question, QuestionKind, QuizSpec, Review, validate};
use crate::courses::api::get_course_draft;
use crate::error::AppError;
use crate::i18n::{Locale, use_i18n};
use crate::layout::ErrorPanel;
use crate::tr;
use crate::ui::{FormError, Load, Seo};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// What the editor edits: a lesson's quiz or the final exam.
fn target(p: &leptos_router::params::ParamsMap) -> (i64, Option<i64>) {
    let course = p.get("id").and_then(|x| x.parse().ok()).unwrap_or(0);
    let lesson = p.get("target").and_then(|x| x.parse().ok());
    (course, lesson)
}

#[component]
pub fn QuizEditorPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(target);
    let data = Resource::new(key, |(course, lesson)| async move {
        let draft = get_course_draft(course).await?;
        let quiz = get_quiz_for_edit(course, lesson).await?;
        Ok::<_, AppError>((draft, quiz))
    });
    view! {
        <Load resource=data let:loaded>
            {
                let (course, lesson) = key();
                let (draft, quiz) = loaded;
                let lesson_title = lesson.and_then(|id| {
                    draft.sections.iter().flat_map(|s| &s.lessons).find(|l| l.id == id).map(|l| l.title.clone())
                });
                if lesson.is_some() && lesson_title.is_none() {
                    view! { <ErrorPanel error=AppError::NotFound /> }.into_any()
                } else {
                    view! {
                        <QuizEditor course lesson course_title=draft.title.clone() lesson_title
                            quiz_id=quiz.as_ref().map(|q| q.id) attempts=quiz.as_ref().map(|q| q.attempts_count).unwrap_or(0)
                            spec=quiz.map(|q| q.spec) />
                    }.into_any()
                }
            }
        </Load>
    }
}

/// A new quiz: one single-choice question to start from.
fn starter(title: String) -> QuizSpec {
    let mut spec = QuizSpec::default();
    spec.settings.title = title;
    spec.questions.push(blank(QuestionKind::Single));
    spec
}

fn blank(kind: QuestionKind) -> Question {
    let mut q = Question {
        kind,
        ..Question::default()
    };
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            q.options = vec![String::new(), String::new()];
            q.correct = vec![0];
        }
        QuestionKind::Text => q.accepted = vec![String::new()],
        QuestionKind::Ordering => q.options = vec![String::new(), String::new(), String::new()],
    }
    q
}

/// Changes a question's kind, keeping what still fits.
fn rekind(q: &mut Question, kind: QuestionKind) {
    if q.kind == kind {
        return;
    }
    let fresh = blank(kind);
    let had_options = q.kind.has_options();
    q.kind = kind;
    if kind.has_options() {
        if !had_options {
            q.options = fresh.options;
        }
        q.accepted.clear();
        q.correct = match kind {
            QuestionKind::Single => vec![q.correct.first().copied().unwrap_or(0)],
            QuestionKind::Multiple => {
                if q.correct.is_empty() {
                    vec![0]
                } else {
                    q.correct.clone()
                }
            }
            _ => Vec::new(),
        };
    } else {
        q.options.clear();
        q.correct.clear();
        q.accepted = fresh.accepted;
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Form,
    Text,
}

#[component]
fn QuizEditor(
    course: i64,
    lesson: Option<i64>,
    course_title: String,
    lesson_title: Option<String>,
    quiz_id: Option<i64>,
    attempts: i64,
    spec: Option<QuizSpec>,
) -> impl IntoView {
    let l = use_i18n();
    let default_title = lesson_title.clone().map_or_else(
        || {
            l.get_untracked()
                .pick("Final exam", "Итоговый экзамен")
                .to_string()
        },
        |t| format!("{} {t}", l.get_untracked().pick("Quiz:", "Тест:")),
    );
    let spec = RwSignal::new(spec.unwrap_or_else(|| starter(default_title)));
    let quiz_id = RwSignal::new(quiz_id);
    let mode = RwSignal::new(Mode::Form);
    let text = RwSignal::new(String::new());
    let text_errors = RwSignal::new(Vec::<ImportError>::new());
    let dirty = RwSignal::new(false);
    // The question list is rebuilt only when its shape changes, so typing keeps the focus.
    let shape = Memo::new(move |_| {
        spec.with(|s| {
            s.questions
                .iter()
                .map(|q| (q.kind, q.options.len(), q.accepted.len()))
                .collect::<Vec<_>>()
        })
    });
    let problems = Memo::new(move |_| spec.with(|s| validate(s).err().unwrap_or_default()));
    let save = Action::new(move |s: &QuizSpec| save_quiz(course, lesson, s.clone()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            quiz_id.set(Some(id));
            dirty.set(false);
        }
    });
    let delete = ServerAction::<DeleteQuiz>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate(&format!("/studio/courses/{course}"), Default::default());
        }
    });
    let edit = move |f: &dyn Fn(&mut QuizSpec)| {
        spec.update(|s| f(s));
        dirty.set(true);
    };
    let to_text_mode = move |_| {
        text.set(format::to_text(&spec.get_untracked()));
        text_errors.set(Vec::new());
        mode.set(Mode::Text);
    };
    // The text format, or a JSON export pasted back (checked in the form like any edit).
    let parse = |t: &str| {
        if t.trim_start().starts_with('{') {
            format::from_json(t)
                .map(|mut s| {
                    s.tidy();
                    s
                })
                .map_err(|e| vec![e])
        } else {
            format::parse_text(t)
        }
    };
    let apply_text = move || match parse(&text.get_untracked()) {
        Ok(s) => {
            spec.set(s);
            dirty.set(true);
            text_errors.set(Vec::new());
            mode.set(Mode::Form);
        }
        Err(e) => text_errors.set(e),
    };
    let heading = lesson_title.clone().map_or_else(
        || ("Final exam".to_string(), "Итоговый экзамен".to_string()),
        |t| (format!("Quiz of “{t}”"), format!("Тест к уроку «{t}»")),
    );
    let page_title = heading.clone();
    let download = move |json: bool| {
        spec.with(|s| {
            let body = if json {
                format::to_json(s)
            } else {
                format::to_text(s)
            };
            let mime = if json {
                "application/json"
            } else {
                "text/plain"
            };
            format!("data:{mime};charset=utf-8,{}", crate::url::component(&body))
        })
    };

    view! {
        <Seo title=Signal::derive(move || l.get().pick(&page_title.0, &page_title.1).to_string())
            description=Signal::derive(String::new) path=format!("/studio/courses/{course}/quiz/{}", lesson.map_or("final".to_string(), |x| x.to_string())) noindex=true />
        <div class="page quiz-editor">
            <nav class="breadcrumbs" aria-label=tr!("Breadcrumbs", "Навигация")>
                <a href=format!("/studio/courses/{course}")>{course_title.clone()}</a>
            </nav>
            <h1>{move || l.get().pick(&heading.0, &heading.1).to_string()}</h1>
            {(attempts > 0).then(|| view! {
                <p class="callout">{move || match l.get() {
                    Locale::En => format!("Learners have started {attempts} attempt(s). Saving makes a new version: attempts in progress are graded by the version they started with."),
                    Locale::Ru => format!("Ученики начали попыток: {attempts}. Сохранение создаёт новую версию: начатые попытки проверяются по той версии, с которой начались."),
                }}</p>
            })}
            <div class="tabs" role="group" aria-label=tr!("Editing mode", "Режим редактирования")>
                <button type="button" class="button button--ghost" aria-pressed=move || (mode.get() == Mode::Form).to_string()
                    on:click=move |_| if mode.get_untracked() == Mode::Text { apply_text() }>{tr!("Form", "Форма")}</button>
                <button type="button" class="button button--ghost" aria-pressed=move || (mode.get() == Mode::Text).to_string()
                    on:click=to_text_mode>{tr!("Text", "Текст")}</button>
                <a class="button button--ghost" download="quiz.txt" href=move || download(false)>{tr!("Download as text", "Скачать как текст")}</a>
                <a class="button button--ghost" download="quiz.json" href=move || download(true)>{tr!("Download as JSON", "Скачать как JSON")}</a>
            </div>

            <Show when=move || mode.get() == Mode::Text fallback=move || view! {
                <Settings spec edit final_exam=lesson.is_none() />
                <section aria-labelledby="questions-h">
                    <h2 id="questions-h">{tr!("Questions", "Вопросы")}</h2>
                    {move || {
                        let n = shape.get().len();
                        (0..n).map(|i| view! { <QuestionEditor spec index=i count=n edit /> }).collect_view()
                    }}
                    <div class="quiz-editor__add">
                        <span>{tr!("Add a question:", "Добавить вопрос:")}</span>
                        {[QuestionKind::Single, QuestionKind::Multiple, QuestionKind::Text, QuestionKind::Ordering].into_iter().map(|k| view! {
                            <button type="button" class="button button--ghost button--small"
                                on:click=move |_| edit(&|s: &mut QuizSpec| s.questions.push(blank(k)))>{move || kind_name(k, l.get())}</button>
                        }).collect_view()}
                    </div>
                </section>
            }>
                <label class="field">
                    <span>{tr!("The quiz as text", "Тест в виде текста")}</span>
                    <textarea class="quiz-editor__text" rows="24" spellcheck="false"
                        prop:value=move || text.get()
                        on:input=move |ev| { text.set(event_target_value(&ev)); dirty.set(true); }></textarea>
                </label>
                <p class="field__hint">{tr!("The text format is explained below; a JSON export can be pasted too.", "Формат текста описан ниже; можно вставить и экспорт в JSON.")}</p>
                <details class="quiz-editor__help">
                    <summary>{tr!("How to write a quiz as text", "Как записать тест текстом")}</summary>
                    <p>{tr!(
                        "Settings first, then questions: “?” single choice, “??” multiple choice, “?=” text answer, “?>” ordering. “+” marks a correct option, “-” a wrong one, “=” an accepted answer, “1.” “2.” items in the right order; “points:” and “explain:” after a question. Example:",
                        "Сначала настройки, затем вопросы: «?» — один вариант, «??» — несколько, «?=» — ответ текстом, «?>» — порядок. «+» — верный вариант, «-» — неверный, «=» — принимаемый ответ, «1.» «2.» — элементы в верном порядке; «points:» и «explain:» после вопроса. Пример:"
                    )}</p>
                    <pre>{format::EXAMPLE}</pre>
                </details>
                <button type="button" class="button" on:click=move |_| apply_text()>{tr!("Check and apply", "Проверить и применить")}</button>
                <ul class="quiz-editor__problems" role="alert">
                    {move || text_errors.get().into_iter().map(|e| view! { <li>{move || e.text(l.get())}</li> }).collect_view()}
                </ul>
            </Show>

            <Show when=move || mode.get() == Mode::Form && !problems.with(Vec::is_empty)>
                <section class="quiz-editor__problems" aria-labelledby="problems-h">
                    <h2 id="problems-h">{tr!("To fix before saving", "Исправьте перед сохранением")}</h2>
                    <ul>{move || problems.get().into_iter().map(|p| view! { <li>{move || p.text(l.get())}</li> }).collect_view()}</ul>
                </section>
            </Show>
            <div class="quiz-editor__actions">
                <button type="button" class="button"
                    disabled=move || save.pending().get() || mode.get() == Mode::Text || !problems.with(Vec::is_empty)
                    on:click=move |_| { save.dispatch(spec.get_untracked()); }>{tr!("Save quiz", "Сохранить тест")}</button>
                <span role="status" class="muted">{move || match (save.value().get(), dirty.get()) {
                    (Some(Ok(_)), false) => l.get().pick("Saved", "Сохранено"),
                    (_, true) => l.get().pick("Unsaved changes", "Есть несохранённые изменения"),
                    _ => "",
                }}</span>
                {move || quiz_id.get().map(|id| view! {
                    <a class="button button--ghost" href=format!("/quizzes/{id}")>{tr!("Try it as a learner", "Пройти как ученик")}</a>
                    <ActionForm action=delete attr:class="inline-form" on:submit=move |ev| {
                        if !super::pages::confirm(l.get_untracked().pick("Delete this quiz with all learners' attempts?", "Удалить тест вместе со всеми попытками учеников?")) {
                            ev.prevent_default();
                        }
                    }>
                        <input type="hidden" name="course" value=course />
                        <input type="hidden" name="quiz" value=id />
                        <button type="submit" class="button button--danger">{tr!("Delete quiz", "Удалить тест")}</button>
                    </ActionForm>
                })}
                <a class="button button--ghost" href=format!("/studio/courses/{course}")>{tr!("Back to the course", "Назад к курсу")}</a>
            </div>
            <FormError msg=crate::ui::form_error(save.value(), &[]) />
            <FormError msg=crate::ui::form_error(delete.value(), &[]) />
        </div>
    }
}

pub(crate) fn kind_name(k: QuestionKind, l: Locale) -> &'static str {
    match k {
        QuestionKind::Single => l.pick("One answer", "Один ответ"),
        QuestionKind::Multiple => l.pick("Several answers", "Несколько ответов"),
        QuestionKind::Text => l.pick("Text answer", "Ответ текстом"),
        QuestionKind::Ordering => l.pick("Ordering", "Порядок"),
    }
}

#[component]
fn Settings(
    spec: RwSignal<QuizSpec>,
    edit: impl Fn(&dyn Fn(&mut QuizSpec)) + Copy + Send + Sync + 'static,
    final_exam: bool,
) -> impl IntoView {
    let num = |v: String| v.trim().parse::<u32>().ok();
    let l = use_i18n();
    let review_name = move |r: Review| match r {
        Review::EachAttempt => l.get().pick("After each attempt", "После каждой попытки"),
        Review::PassOrLast => l.get().pick(
            "After a pass, or when no attempts are left",
            "После сдачи или когда попытки закончатся",
        ),
        Review::Never => l.get().pick("Never", "Никогда"),
    };
    let review = move || {
        spec.with(|s| s.settings.review)
            .unwrap_or(Review::default_for(final_exam))
    };
    view! {
        <section class="quiz-editor__settings" aria-labelledby="settings-h">
            <h2 id="settings-h">{tr!("Settings", "Настройки")}</h2>
            <label class="field"><span>{tr!("Title", "Название")}</span>
                <input type="text" maxlength="120" required prop:value=move || spec.with(|s| s.settings.title.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|s: &mut QuizSpec| s.settings.title = v.clone()) } /></label>
            <div class="field-row">
                <label class="field"><span>{tr!("Pass mark, %", "Проходной балл, %")}</span>
                    <input type="number" min="1" max="100" prop:value=move || spec.with(|s| s.settings.pass_percent.to_string())
                        on:input=move |ev| { let v = num(event_target_value(&ev)).unwrap_or(0); edit(&|s: &mut QuizSpec| s.settings.pass_percent = v) } /></label>
                <label class="field"><span>{tr!("Attempts (empty: unlimited)", "Попыток (пусто — без ограничений)")}</span>
                    <input type="number" min="1" max="100" prop:value=move || spec.with(|s| s.settings.attempts.map(|a| a.to_string()).unwrap_or_default())
                        on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|s: &mut QuizSpec| s.settings.attempts = v) } /></label>
                <label class="field"><span>{tr!("Time limit, min (empty: none)", "Время, мин (пусто — без ограничения)")}</span>
                    <input type="number" min="1" max="600" prop:value=move || spec.with(|s| s.settings.time_limit_minutes.map(|a| a.to_string()).unwrap_or_default())
                        on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|s: &mut QuizSpec| s.settings.time_limit_minutes = v) } /></label>
            </div>
            <label class="check"><input type="checkbox" prop:checked=move || spec.with(|s| s.settings.shuffle_questions)
                on:change=move |ev| { let v = event_target_checked(&ev); edit(&|s: &mut QuizSpec| s.settings.shuffle_questions = v) } />
                {tr!("Shuffle questions", "Перемешивать вопросы")}</label>
            <label class="check"><input type="checkbox" prop:checked=move || spec.with(|s| s.settings.shuffle_options)
                on:change=move |ev| { let v = event_target_checked(&ev); edit(&|s: &mut QuizSpec| s.settings.shuffle_options = v) } />
                {tr!("Shuffle answer options", "Перемешивать варианты ответа")}</label>
            <label class="field"><span>{tr!("Learners see the correct answers", "Ученики видят правильные ответы")}</span>
                <select on:change=move |ev| {
                    let v = Review::from_code(&event_target_value(&ev));
                    edit(&|s: &mut QuizSpec| s.settings.review = v);
                }>
                    {Review::ALL.iter().map(|&r| view! {
                        <option value=r.code() selected=move || review() == r>{move || review_name(r)}</option>
                    }).collect_view()}
                </select></label>
            {(!final_exam).then(|| view! {
                <label class="check"><input type="checkbox" prop:checked=move || spec.with(|s| s.settings.pass_required)
                    on:change=move |ev| { let v = event_target_checked(&ev); edit(&|s: &mut QuizSpec| s.settings.pass_required = v) } />
                    {tr!("Learners complete the lesson by passing this quiz", "Урок засчитывается только после сдачи этого теста")}</label>
            })}
        </section>
    }
}

#[component]
fn QuestionEditor(
    spec: RwSignal<QuizSpec>,
    index: usize,
    count: usize,
    edit: impl Fn(&dyn Fn(&mut QuizSpec)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let l = use_i18n();
    let i = index;
    let q = move |f: &dyn Fn(&Question) -> String| {
        spec.with(|s| s.questions.get(i).map(f).unwrap_or_default())
    };
    let kind = spec.with_untracked(|s| s.questions[i].kind);
    let n_items = spec.with_untracked(|s| {
        if kind == QuestionKind::Text {
            s.questions[i].accepted.len()
        } else {
            s.questions[i].options.len()
        }
    });
    let name = format!("q{i}-correct");
    let items = (0..n_items).map(|k| {
        let name = name.clone();
        let label = move || match (kind, l.get()) {
            (QuestionKind::Text, Locale::En) => format!("Accepted answer {}", k + 1),
            (QuestionKind::Text, Locale::Ru) => format!("Принимаемый ответ {}", k + 1),
            (QuestionKind::Ordering, Locale::En) => format!("Item {} (in the right order)", k + 1),
            (QuestionKind::Ordering, Locale::Ru) => format!("Элемент {} (в верном порядке)", k + 1),
            (_, Locale::En) => format!("Option {}", k + 1),
            (_, Locale::Ru) => format!("Вариант {}", k + 1),
        };
        let value = move || spec.with(|s| {
            let q = &s.questions[i];
            if kind == QuestionKind::Text { q.accepted.get(k).cloned() } else { q.options.get(k).cloned() }.unwrap_or_default()
        });
        view! {
            <li class="quiz-editor__item">
                {kind.has_options().then(|| (kind != QuestionKind::Ordering).then(|| {
                    let multiple = kind == QuestionKind::Multiple;
                    view! {
                        <label class="check">
                            <input type=if multiple { "checkbox" } else { "radio" } name=name.clone()
                                aria-label=move || match l.get() { Locale::En => format!("Option {} is correct", k + 1), Locale::Ru => format!("Вариант {} верный", k + 1) }
                                prop:checked=move || spec.with(|s| s.questions[i].correct.contains(&k))
                                on:change=move |_| edit(&|s: &mut QuizSpec| {
                                    let c = &mut s.questions[i].correct;
                                    if multiple {
                                        if let Some(p) = c.iter().position(|x| *x == k) { c.remove(p); } else { c.push(k); c.sort_unstable(); }
                                    } else {
                                        *c = vec![k];
                                    }
                                }) />
                            <span aria-hidden="true">{tr!("correct", "верный")}</span>
                        </label>
                    }
                })).flatten()}
                <label class="field quiz-editor__item-text"><span class="visually-hidden">{label}</span>
                    <input type="text" maxlength="500" prop:value=value
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|s: &mut QuizSpec| {
                            let q = &mut s.questions[i];
                            let list = if kind == QuestionKind::Text { &mut q.accepted } else { &mut q.options };
                            if let Some(x) = list.get_mut(k) { *x = v.clone(); }
                        }) } /></label>
                {(kind == QuestionKind::Ordering).then(|| view! {
                    <button type="button" class="button button--ghost button--small" disabled={k == 0}
                        aria-label=move || format!("{} {}", l.get().pick("Move up item", "Поднять элемент"), k + 1)
                        on:click=move |_| edit(&|s: &mut QuizSpec| s.questions[i].options.swap(k, k - 1))>"↑"</button>
                    <button type="button" class="button button--ghost button--small" disabled={k + 1 == n_items}
                        aria-label=move || format!("{} {}", l.get().pick("Move down item", "Опустить элемент"), k + 1)
                        on:click=move |_| edit(&|s: &mut QuizSpec| s.questions[i].options.swap(k, k + 1))>"↓"</button>
                })}
                <button type="button" class="button button--ghost button--small"
                    aria-label=move || match l.get() { Locale::En => format!("Remove {}", k + 1), Locale::Ru => format!("Удалить {}", k + 1) }
                    on:click=move |_| edit(&|s: &mut QuizSpec| {
                        let q = &mut s.questions[i];
                        if kind == QuestionKind::Text {
                            q.accepted.remove(k);
                        } else {
                            q.options.remove(k);
                            q.correct.retain(|c| *c != k);
                            for c in q.correct.iter_mut() { if *c > k { *c -= 1; } }
                        }
                    })>"✕"</button>
            </li>
        }
    }).collect_view();
    view! {
        <fieldset class="quiz-editor__question">
            <legend>{move || match l.get() { Locale::En => format!("Question {}", i + 1), Locale::Ru => format!("Вопрос {}", i + 1) }}</legend>
            <div class="field-row">
                <label class="field"><span>{tr!("Type", "Тип")}</span>
                    <select on:change=move |ev| {
                        if let Some(k) = QuestionKind::from_code(&event_target_value(&ev)) { edit(&|s: &mut QuizSpec| rekind(&mut s.questions[i], k)); }
                    }>
                        {[QuestionKind::Single, QuestionKind::Multiple, QuestionKind::Text, QuestionKind::Ordering].into_iter().map(|k| view! {
                            <option value=k.code() selected=k == kind>{move || kind_name(k, l.get())}</option>
                        }).collect_view()}
                    </select></label>
                <label class="field"><span>{tr!("Points", "Баллы")}</span>
                    <input type="number" min="1" max="100" prop:value=move || q(&|q| q.points.to_string())
                        on:input=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); edit(&|s: &mut QuizSpec| s.questions[i].points = v) } /></label>
            </div>
            <label class="field"><span>{tr!("Question", "Вопрос")}</span>
                <textarea rows="3" prop:value=move || q(&|q| q.prompt.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|s: &mut QuizSpec| s.questions[i].prompt = v.clone()) }></textarea></label>
            <p class="muted">{move || match kind {
                QuestionKind::Single => l.get().pick("Mark the one correct option.", "Отметьте один верный вариант."),
                QuestionKind::Multiple => l.get().pick("Mark every correct option; the answer counts when exactly these are chosen.", "Отметьте все верные варианты; ответ засчитывается, если выбраны ровно они."),
                QuestionKind::Text => l.get().pick("Answers that count; case and extra spaces do not matter.", "Засчитываемые ответы; регистр и лишние пробелы не важны."),
                QuestionKind::Ordering => l.get().pick("Write the items in the right order; learners see them shuffled.", "Запишите элементы в верном порядке; ученики увидят их перемешанными."),
            }}</p>
            <ul class="quiz-editor__items">{items}</ul>
            <button type="button" class="button button--ghost button--small" on:click=move |_| edit(&|s: &mut QuizSpec| {
                let q = &mut s.questions[i];
                if kind == QuestionKind::Text { q.accepted.push(String::new()) } else { q.options.push(String::new()) }
            })>{move || match kind {
                QuestionKind::Text => l.get().pick("+ Accepted answer", "+ Принимаемый ответ"),
                QuestionKind::Ordering => l.get().pick("+ Item", "+ Элемент"),
                _ => l.get().pick("+ Option", "+ Вариант"),
            }}</button>
            <label class="field"><span>{tr!("Explanation, shown with the correct answer (optional)", "Пояснение, показывается вместе с правильным ответом (необязательно)")}</span>
                <textarea rows="2" prop:value=move || q(&|q| q.explanation.clone().unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|s: &mut QuizSpec| s.questions[i].explanation = Some(v.clone()).filter(|x| !x.is_empty())) }></textarea></label>
            <div class="quiz-editor__question-actions">
                <button type="button" class="button button--ghost button--small" disabled={i == 0}
                    on:click=move |_| edit(&|s: &mut QuizSpec| s.questions.swap(i, i - 1))>{tr!("↑ Move up", "↑ Выше")}</button>
                <button type="button" class="button button--ghost button--small" disabled={i + 1 >= count}
                    on:click=move |_| edit(&|s: &mut QuizSpec| s.questions.swap(i, i + 1))>{tr!("↓ Move down", "↓ Ниже")}</button>
                <button type="button" class="button button--ghost button--small"
                    on:click=move |_| edit(&|s: &mut QuizSpec| { s.questions.remove(i); })>{tr!("Delete question", "Удалить вопрос")}</button>
            </div>
        </fieldset>
    }
}
