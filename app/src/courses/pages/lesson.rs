//! The lesson player: the lesson, the course's contents with live ticks, and keyboard navigation.

use crate::courses::CourseDetail;
use crate::courses::api::{CompleteLesson, get_lesson};
use crate::error::AppError;
use crate::i18n::{Locale, use_i18n};
use crate::layout::ErrorPanel;
use crate::tr;
use crate::ui::{FormError, Load, Seo, excerpt};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("slug").unwrap_or_default(),
                p.get("lesson")
                    .and_then(|x| x.parse::<i64>().ok())
                    .unwrap_or(0),
            )
        })
    };
    let lesson = Resource::new(key, |(s, id)| get_lesson(s, id));
    let error = move |e: AppError| match e {
        AppError::Forbidden => {
            let (slug, _) = key();
            view! {
                <section class="page page--narrow empty-state" role="alert">
                    <h1>{tr!("This lesson is for enrolled learners", "Этот урок доступен записавшимся ученикам")}</h1>
                    <p>{tr!("Enroll in the course to open every lesson.", "Запишитесь на курс, чтобы открыть все уроки.")}</p>
                    <a class="button" href=format!("/courses/{slug}")>{tr!("Go to the course", "Перейти к курсу")}</a>
                </section>
            }
            .into_any()
        }
        e => view! { <ErrorPanel error=e /> }.into_any(),
    };
    view! {
        <Load resource=lesson error let:v>
            <LessonView lesson=v />
        </Load>
    }
}

#[component]
fn LessonView(lesson: crate::courses::LessonView) -> impl IntoView {
    let l = use_i18n();
    let course = lesson.course.clone();
    let slug = course.card.slug.clone();
    let id = lesson.id;
    let total: i64 = course.sections.iter().map(|s| s.lessons.len() as i64).sum();
    let done_before: Vec<i64> = course
        .sections
        .iter()
        .flat_map(|s| &s.lessons)
        .filter(|x| x.completed)
        .map(|x| x.id)
        .collect();
    let done = RwSignal::new(done_before);
    let percent =
        Signal::derive(move || crate::courses::percent(done.with(|d| d.len() as i64), total));
    let completed = Signal::derive(move || done.with(|d| d.contains(&id)));
    let complete = ServerAction::<CompleteLesson>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = complete.value().get() {
            done.update(|d| {
                if !d.contains(&id) {
                    d.push(id);
                }
            });
        }
    });
    let enrolled = course.enrolled;
    let quiz_required = lesson.quiz_required;
    let on_progress = enrolled.then(|| {
        Callback::new(move |(t, d): (f64, f64)| {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                if let Ok(true) = crate::courses::api::save_lesson_progress(
                    id,
                    (t * 1000.0) as i64,
                    (d * 1000.0) as i64,
                )
                .await
                {
                    done.update(|x| {
                        if !x.contains(&id) {
                            x.push(id);
                        }
                    });
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (t, d);
        })
    });
    let prev = lesson.prev.map(|p| format!("/learn/{slug}/{p}"));
    let next = lesson.next.map(|n| format!("/learn/{slug}/{n}"));
    // Keyboard: "n" next lesson, "p" previous (not while typing).
    {
        let (prev, next) = (prev.clone(), next.clone());
        let handle = leptos::prelude::window_event_listener(leptos::ev::keydown, move |ev| {
            #[cfg(feature = "hydrate")]
            {
                use leptos_router::hooks::use_navigate;
                use wasm_bindgen::JsCast;
                if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                    return;
                }
                let typing = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|e| {
                        matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                            || e.has_attribute("contenteditable")
                    });
                if typing {
                    return;
                }
                let go = match ev.key().as_str() {
                    "n" | "N" => next.clone(),
                    "p" | "P" => prev.clone(),
                    _ => None,
                };
                if let Some(href) = go {
                    ev.prevent_default();
                    use_navigate()(&href, Default::default());
                }
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (ev, &prev, &next);
        });
        on_cleanup(move || handle.remove());
    }
    let title = format!("{} · {}", lesson.title, course.card.title);
    let desc = excerpt(&course.card.excerpt, 160);
    view! {
        <Seo title=Signal::derive(move || title.clone()) description=Signal::derive(move || desc.clone())
            path=format!("/learn/{slug}/{id}") noindex=!lesson.preview_only />
        <div class="page player-page">
            <aside class="player-page__side" aria-label=tr!("Course contents", "Содержание курса")>
                <p class="player-page__course"><a href=format!("/courses/{}", course.card.slug)>{course.card.title.clone()}</a></p>
                {enrolled.then(|| view! {
                    <div class="course-progress">
                        <progress max="100" value=move || percent.get().to_string() aria-label=tr!("Course progress", "Прогресс по курсу")></progress>
                        <span>{move || match l.get() { Locale::En => format!("{}% complete", percent.get()), Locale::Ru => format!("Пройдено {}%", percent.get()) }}</span>
                    </div>
                })}
                // Collapsible: on a phone the outline comes after the lesson, folded away on demand.
                <details class="player-page__outline" open=true>
                    <summary>{tr!("Course contents", "Содержание курса")}</summary>
                    <LessonList slug=course.card.slug.clone() course=course.clone() current=id done />
                </details>
            </aside>
            <article class="player-page__main">
                {lesson.preview_only.then(|| view! {
                    <p class="callout">{tr!("This is a free preview lesson.", "Это бесплатный урок.")}" "
                        <a href=format!("/courses/{}", course.card.slug)>{tr!("Enroll to open the whole course.", "Запишитесь, чтобы открыть весь курс.")}</a></p>
                })}
                <h1>{lesson.title.clone()}</h1>
                {lesson.video.clone().map(|v| match on_progress {
                    Some(cb) => view! { <crate::video::components::VideoPlayer view=v on_progress=cb /> }.into_any(),
                    None => view! { <crate::video::components::VideoPlayer view=v /> }.into_any(),
                })}
                <div class="post__body lesson__body" inner_html=lesson.body_html.clone()></div>
                {(!lesson.attachments.is_empty()).then(|| view! {
                    <section class="lesson__files" aria-labelledby="files-h">
                        <h2 id="files-h">{tr!("Materials", "Материалы")}</h2>
                        <ul>{lesson.attachments.clone().into_iter().map(|a| view! {
                            <li><a href=a.url.clone() download=a.name.clone()>{a.name.clone()}</a>" "<span class="muted">{move || crate::ui::format_size(a.size_bytes, l.get())}</span></li>
                        }).collect_view()}</ul>
                    </section>
                })}
                {(!lesson.preview_only).then(|| view! { <crate::quizzes::components::QuizFor course=course.card.id lesson=Some(id) /> })}
                <nav class="lesson__nav" aria-label=tr!("Lessons", "Уроки")>
                    {prev.clone().map(|h| view! { <a class="button button--ghost" href=h rel="prev" aria-keyshortcuts="p">{tr!("← Previous", "← Назад")}</a> })}
                    {enrolled.then(|| view! {
                        <Show when=move || !completed.get() fallback=|| view! { <p class="lesson__done" role="status">{tr!("✓ Lesson completed", "✓ Урок пройден")}</p> }>
                            {if quiz_required {
                                view! { <p class="muted lesson__gate">{tr!("Pass the quiz above to complete this lesson.", "Сдайте тест выше, чтобы урок был засчитан.")}</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=complete>
                                        <input type="hidden" name="lesson" value=id />
                                        <button type="submit" class="button" disabled=move || complete.pending().get()>{tr!("Mark as complete", "Отметить как пройденный")}</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </Show>
                    })}
                    {next.clone().map(|h| view! { <a class="button" href=h rel="next" aria-keyshortcuts="n">{tr!("Next →", "Далее →")}</a> })}
                </nav>
                <FormError msg=crate::ui::form_error(complete.value(), &[]) />
                <p class="muted lesson__keys">{tr!("Keys: N next lesson, P previous; in the video: space, ←/→, F.", "Клавиши: N — следующий урок, P — предыдущий; в видео: пробел, ←/→, F.")}</p>
            </article>
        </div>
    }
}

/// The player's lesson list, with ticks that follow completion live.
#[component]
fn LessonList(
    slug: String,
    course: CourseDetail,
    current: i64,
    done: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let open_all = course.enrolled || course.is_author || course.can_moderate;
    course
        .sections
        .into_iter()
        .map(|s| {
            let slug = slug.clone();
            view! {
                <section class="syllabus__section">
                    <h2 class="syllabus__title">{s.title.clone()}</h2>
                    <ol class="syllabus__lessons">
                        {s.lessons.into_iter().map(|x| {
                            let lid = x.id;
                            let can_open = open_all || x.free_preview;
                            let is_done = move || done.with(|d| d.contains(&lid));
                            view! {
                                <li class="syllabus__lesson" class:syllabus__lesson--done=is_done class:syllabus__lesson--current=lid == current>
                                    <span class="syllabus__tick" aria-hidden="true">{move || view! {
                                        <crate::ui::Icon kind=crate::courses::components::lesson_tick(is_done(), can_open) />
                                    }}</span>
                                    {if can_open {
                                        view! { <a href=format!("/learn/{slug}/{lid}") aria-current=(lid == current).then_some("page")>{x.title.clone()}</a> }.into_any()
                                    } else {
                                        view! { <span>{x.title.clone()}</span> }.into_any()
                                    }}
                                    <Show when=is_done><span class="visually-hidden">{tr!("(completed)", "(пройден)")}</span></Show>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
            }
        })
        .collect_view()
}
