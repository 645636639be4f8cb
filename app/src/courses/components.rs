//! Course pieces shared by pages: the catalog card, the price, a progress bar, the syllabus.

use super::{CourseCard, SectionItem, format_length};
use crate::i18n::{Locale, plural_ru, use_i18n};
use crate::tr;
use crate::ui::Avatar;
use leptos::prelude::*;

/// "Free" or "1 990 ₽".
pub fn price_text(minor: i64, currency: &str, l: Locale) -> String {
    if minor == 0 {
        l.pick("Free", "Бесплатно").to_string()
    } else {
        crate::money::format_money(minor, currency)
    }
}

/// "12 lessons" / "12 уроков".
pub fn lessons_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "lesson" } else { "lessons" }),
        Locale::Ru => format!("{n} {}", plural_ru(n, "урок", "урока", "уроков")),
    }
}

/// "35 learners" / "35 учеников".
pub fn learners_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "learner" } else { "learners" }),
        Locale::Ru => format!("{n} {}", plural_ru(n, "ученик", "ученика", "учеников")),
    }
}

/// A course's cover, or a calm placeholder with its category's initial.
#[component]
pub fn Cover(
    #[prop(into)] url: Option<String>,
    #[prop(into)] title: String,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let hue = title
        .bytes()
        .fold(11u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360;
    match url {
        Some(u) => {
            let src = if large { u.replace("/640.jpg", "/1280.jpg") } else { u };
            view! { <img class="course-cover" src=src alt="" width="640" height="360" loading=if large { "eager" } else { "lazy" } /> }.into_any()
        }
        None => view! {
            <div class="course-cover course-cover--empty" style=format!("--cover-hue:{hue}") aria-hidden="true">
                <span>{title.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default()}</span>
            </div>
        }
        .into_any(),
    }
}

/// A course in the catalog.
#[component]
pub fn CourseCardView(card: CourseCard, #[prop(optional)] href: Option<String>) -> impl IntoView {
    let l = use_i18n();
    let href = href.unwrap_or_else(|| format!("/courses/{}", card.slug));
    let c = StoredValue::new(card.clone());
    view! {
        <article class="course-card">
            <a class="course-card__link" href=href>
                <Cover url=card.cover_url.clone() title=card.title.clone() />
                <div class="course-card__body">
                    <h3 class="course-card__title">{card.title.clone()}</h3>
                    <p class="course-card__author">
                        <Avatar url=card.author.avatar_url.clone() name=card.author.display_name.clone() size=24 decorative=true />
                        <span>{card.author.display_name.clone()}</span>
                    </p>
                    <p class="course-card__meta">
                        <span>{move || c.with_value(|c| c.level.name(l.get()))}</span>
                        <span>{move || c.with_value(|c| lessons_text(c.lessons_count, l.get()))}</span>
                        {(card.duration_ms > 0).then(|| view! { <span>{move || c.with_value(|c| format_length(c.duration_ms, l.get()))}</span> })}
                    </p>
                    <p class="course-card__foot">
                        <strong class="course-card__price">{move || c.with_value(|c| price_text(c.price_minor, &c.currency, l.get()))}</strong>
                        {card.rating_avg.map(|r| view! { <span class="course-card__rating" aria-label=move || format!("{} {r:.1}", l.get().pick("Rating", "Рейтинг"))><crate::ui::Icon kind=crate::ui::IconKind::Star class="icon--star" />{format!(" {r:.1}")}</span> })}
                        <span class="muted">{move || c.with_value(|c| learners_text(c.enrollments_count, l.get()))}</span>
                    </p>
                </div>
            </a>
        </article>
    }
}

/// A progress bar with its percent, labelled for screen readers.
#[component]
pub fn ProgressBar(percent: i64) -> impl IntoView {
    let l = use_i18n();
    let p = percent.clamp(0, 100);
    view! {
        <div class="course-progress">
            <progress max="100" value=p.to_string() aria-label=tr!("Course progress", "Прогресс по курсу")></progress>
            <span>{move || match l.get() { Locale::En => format!("{p}% complete"), Locale::Ru => format!("Пройдено {p}%") }}</span>
        </div>
    }
}

/// The syllabus: sections and lessons, with ticks for completed lessons and links to the lessons
/// the viewer may open (all of them, or the free previews).
#[component]
pub fn Syllabus(
    slug: String,
    sections: Vec<SectionItem>,
    open_all: bool,
    #[prop(optional)] current: i64,
) -> impl IntoView {
    let l = use_i18n();
    sections
        .into_iter()
        .enumerate()
        .map(|(si, s)| {
            let slug = slug.clone();
            let count = s.lessons.len() as i64;
            view! {
                <section class="syllabus__section">
                    <h3 class="syllabus__title">
                        <span>{format!("{}. {}", si + 1, s.title)}</span>
                        <span class="muted">{move || lessons_text(count, l.get())}</span>
                    </h3>
                    <ol class="syllabus__lessons">
                        {s.lessons.into_iter().map(|lesson| {
                            let can_open = open_all || lesson.free_preview;
                            let href = format!("/learn/{slug}/{}", lesson.id);
                            let is_current = lesson.id == current;
                            let length = (lesson.duration_ms > 0).then_some(lesson.duration_ms);
                            view! {
                                <li class="syllabus__lesson" class:syllabus__lesson--done=lesson.completed class:syllabus__lesson--current=is_current>
                                    <span class="syllabus__tick" aria-hidden="true"><crate::ui::Icon kind=lesson_tick(lesson.completed, can_open) /></span>
                                    {if can_open {
                                        view! { <a href=href aria-current=is_current.then_some("page")>{lesson.title.clone()}</a> }.into_any()
                                    } else {
                                        view! { <span>{lesson.title.clone()}</span> }.into_any()
                                    }}
                                    {lesson.completed.then(|| view! { <span class="visually-hidden">{tr!("(completed)", "(пройден)")}</span> })}
                                    {(lesson.free_preview && !open_all).then(|| view! { <span class="badge">{tr!("Free preview", "Бесплатный просмотр")}</span> })}
                                    {length.map(|ms| view! { <span class="muted syllabus__length">{move || format_length(ms, l.get())}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
            }
        })
        .collect_view()
}

/// A tutor's published courses on their profile: cards, or nothing when there are none.
#[component]
pub fn TutorCourses(handle: String) -> impl IntoView {
    let courses = Resource::new(move || handle.clone(), super::api::courses_by_tutor);
    let l = use_i18n();
    // Not `Load`: a section of the profile, which shows nothing unless there are courses.
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(list) if !list.is_empty() => {
                        let n = list.len() as i64;
                        view! {
                            <section id="courses" class="profile__courses" aria-labelledby="courses-h">
                                <h2 id="courses-h">
                                    {tr!("Courses", "Курсы")}
                                    <span class="badge" aria-label=move || match l.get() {
                                        Locale::En => format!("{n} courses"),
                                        Locale::Ru => format!("{n} {}", plural_ru(n, "курс", "курса", "курсов")),
                                    }>{n}</span>
                                </h2>
                                <div class="course-grid">
                                    {list.into_iter().map(|c| view! { <CourseCardView card=c /> }).collect_view()}
                                </div>
                            </section>
                        }.into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// The syllabus symbol of a lesson: done, open, or locked.
pub fn lesson_tick(done: bool, can_open: bool) -> crate::ui::IconKind {
    use crate::ui::IconKind;
    if done {
        IconKind::Check
    } else if can_open {
        IconKind::Play
    } else {
        IconKind::Lock
    }
}
