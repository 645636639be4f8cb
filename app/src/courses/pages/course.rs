//! A course's page: what the learner sees, enrollment, and the author's and moderators' panels.

use crate::courses::api::{
    ArchiveCourse, DeleteCourse, Enroll, Enrolled, ModerateCourse, get_course,
};
use crate::courses::components::{
    Cover, ProgressBar, Syllabus, learners_text, lessons_text, price_text,
};
use crate::courses::{COURSE_LANGUAGES, CourseDetail, Status, category_name, format_length};
use crate::i18n::{Locale, use_i18n};
use crate::layout::use_user;
use crate::tr;
use crate::ui::{Avatar, FormError, JsonLd, Load, Seo, excerpt, format_date};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

fn course_json_ld(c: &CourseDetail, base: &str) -> serde_json::Value {
    let card = &c.card;
    let url = format!("{base}/courses/{}", card.slug);
    let hours = card.duration_ms / 3_600_000;
    let minutes = (card.duration_ms % 3_600_000) / 60_000;
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": card.title,
        "description": excerpt(&card.excerpt, 300),
        "url": url,
        "inLanguage": card.language,
        "educationalLevel": card.level.code(),
        "about": category_name(&card.category, Locale::En),
        "image": card.cover_url.as_ref().map(|u| format!("{base}{}", u.replace("/640.jpg", "/1280.jpg"))),
        "teaches": c.outcomes,
        "provider": { "@type": "Organization", "name": "Tutorium", "url": base },
        "creator": { "@type": "Person", "name": card.author.display_name, "url": format!("{base}/u/{}", card.author.handle) },
        "numberOfCredits": card.lessons_count,
        "offers": {
            "@type": "Offer",
            "category": if card.price_minor == 0 { "Free" } else { "Paid" },
            "price": format!("{}.{:02}", card.price_minor / 100, card.price_minor % 100),
            "priceCurrency": card.currency,
            "url": url,
        },
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": "online",
            "courseWorkload": format!("PT{hours}H{minutes}M"),
        },
    })
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let course = Resource::new(slug, get_course);
    view! {
        <Load resource=course let:c>
            <CourseView course=c on_change=Callback::new(move |_| course.refetch()) />
        </Load>
    }
}

#[component]
fn CourseView(course: CourseDetail, on_change: Callback<()>) -> impl IntoView {
    let l = use_i18n();
    let base = crate::ui::base_url();
    let card = course.card.clone();
    let json = course_json_ld(&course, &base);
    let title = card.title.clone();
    let desc = excerpt(&card.excerpt, 160);
    let slug = card.slug.clone();
    let c = StoredValue::new(course.clone());
    let open_all = course.enrolled || course.is_author || course.can_moderate;
    let unlisted = !matches!(card.status, Status::Published | Status::Archived);
    view! {
        <Seo title=Signal::derive(move || title.clone()) description=Signal::derive(move || desc.clone())
            path=format!("/courses/{slug}") image=card.cover_url.clone().unwrap_or_default() noindex=unlisted />
        <JsonLd data=json />
        <article class="page course">
            {(course.can_moderate && course.pending_review).then(|| view! { <ModerationPanel course=course.clone() /> })}
            {course.can_edit.then(|| view! { <AuthorPanel course=course.clone() on_change /> })}
            <header class="course__hero">
                <div class="course__intro">
                    <p class="course__crumbs"><a href="/courses">{tr!("Courses", "Курсы")}</a>" · "
                        <a href=format!("/courses?category={}", card.category)>{move || c.with_value(|c| category_name(&c.card.category, l.get()))}</a></p>
                    <h1>{card.title.clone()}</h1>
                    <p class="course__lead">{card.excerpt.clone()}</p>
                    <ul class="course__facts">
                        <li>{move || c.with_value(|c| c.card.level.name(l.get()))}</li>
                        <li>{move || c.with_value(|c| lessons_text(c.card.lessons_count, l.get()))}</li>
                        {(card.duration_ms > 0).then(|| view! { <li>{move || c.with_value(|c| format_length(c.card.duration_ms, l.get()))}</li> })}
                        <li>{COURSE_LANGUAGES.iter().find(|x| x.0 == card.language).map(|x| x.1).unwrap_or("")}</li>
                        <li>{move || c.with_value(|c| learners_text(c.card.enrollments_count, l.get()))}</li>
                        {card.rating_avg.map(|r| view! { <li><crate::ui::Icon kind=crate::ui::IconKind::Star class="icon--star" />{format!(" {r:.1}")}</li> })}
                    </ul>
                    {(card.status == Status::Archived).then(|| view! {
                        <p class="notice">{tr!("This course is archived: it takes no new learners. Enrolled learners keep access.", "Курс в архиве: новые ученики не принимаются, записавшиеся сохраняют доступ.")}</p>
                    })}
                </div>
                <aside class="course__buy card">
                    <Cover url=card.cover_url.clone() title=card.title.clone() large=true />
                    <EnrollBox course=course.clone() on_change />
                </aside>
            </header>
            <div class="course__grid">
                <div class="course__main">
                    {(!course.outcomes.is_empty()).then(|| view! {
                        <section class="card course__outcomes" aria-labelledby="outcomes-h">
                            <h2 id="outcomes-h">{tr!("What you will learn", "Чему вы научитесь")}</h2>
                            <ul>{course.outcomes.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
                        </section>
                    })}
                    <section aria-labelledby="about-h">
                        <h2 id="about-h">{tr!("About the course", "О курсе")}</h2>
                        <div class="post__body" inner_html=course.description_html.clone()></div>
                    </section>
                    <section class="syllabus" aria-labelledby="syllabus-h">
                        <h2 id="syllabus-h">{tr!("Syllabus", "Программа курса")}</h2>
                        <Syllabus slug=card.slug.clone() sections=course.sections.clone() open_all />
                    </section>
                    {open_all.then(|| view! { <crate::quizzes::components::QuizFor course=card.id lesson=None /> })}
                </div>
                <aside class="course__side">
                    <section class="card tutor-box" aria-labelledby="tutor-h">
                        <h2 id="tutor-h">{tr!("Your tutor", "Ваш преподаватель")}</h2>
                        <a class="tutor-box__link" href=format!("/u/{}", card.author.handle)>
                            <Avatar url=card.author.avatar_url.clone() name=card.author.display_name.clone() size=56 decorative=true />
                            <span>
                                <strong>{card.author.display_name.clone()}</strong>
                                <span class="muted">{course.author_headline.clone()}</span>
                            </span>
                        </a>
                    </section>
                    {course.published_at.map(|t| view! { <p class="muted">{tr!("Published", "Опубликован")}" "{move || format_date(t, l.get())}</p> })}
                </aside>
            </div>
        </article>
    }
}

/// The price and the enroll / continue / pay button.
#[component]
fn EnrollBox(course: CourseDetail, on_change: Callback<()>) -> impl IntoView {
    let l = use_i18n();
    let user = use_user();
    let enroll = ServerAction::<Enroll>::new();
    let value = enroll.value();
    let slug = course.card.slug.clone();
    Effect::new(move |_| match value.get() {
        Some(Ok(Enrolled::Done)) => on_change.run(()),
        Some(Ok(Enrolled::Checkout(url))) => use_navigate()(&url, Default::default()),
        _ => {}
    });
    let price = price_text(
        course.card.price_minor,
        &course.card.currency,
        l.get_untracked(),
    );
    let resume = course.resume_lesson.map(|id| format!("/learn/{slug}/{id}"));
    let first_preview = course
        .sections
        .iter()
        .flat_map(|s| &s.lessons)
        .find(|x| x.free_preview)
        .map(|x| format!("/learn/{slug}/{}", x.id));
    let id = course.card.id;
    let next = format!("/courses/{slug}");
    let open = course.card.status == Status::Published;
    let started = course.progress_percent > 0;
    view! {
        <p class="course__price">{move || if course.card.price_minor == 0 { l.get().pick("Free", "Бесплатно").to_string() } else { price.clone() }}</p>
        {if course.enrolled {
            view! {
                <ProgressBar percent=course.progress_percent />
                {resume.map(|href| view! {
                    <a class="button button--wide button--large" href=href>
                        {move || if started { l.get().pick("Continue learning", "Продолжить обучение") } else { l.get().pick("Start learning", "Начать обучение") }}
                    </a>
                })}
            }.into_any()
        } else if !open {
            view! { <p class="muted">{tr!("Enrollment is closed.", "Запись закрыта.")}</p> }.into_any()
        } else {
            view! {
                <Show when=move || user.get().is_some() fallback=move || {
                    let next = next.clone();
                    view! {
                        <a class="button button--wide button--large" href=format!("/signup?next={}", crate::url::path(&next))>{tr!("Sign up to enroll", "Зарегистрируйтесь, чтобы записаться")}</a>
                        <p class="muted">{tr!("Already have an account?", "Уже есть аккаунт?")}" "<a href=format!("/login?next={}", crate::url::path(&next))>{tr!("Log in", "Войти")}</a></p>
                    }
                }>
                    <ActionForm action=enroll>
                        <input type="hidden" name="course" value=id />
                        <button type="submit" class="button button--wide button--large" disabled=move || enroll.pending().get()>
                            {move || if course.card.price_minor == 0 { l.get().pick("Enroll for free", "Записаться бесплатно") } else { l.get().pick("Buy the course", "Купить курс") }}
                        </button>
                    </ActionForm>
                    <FormError msg=crate::ui::form_error(value, &[]) />
                </Show>
            }.into_any()
        }}
        {(!course.enrolled).then(|| first_preview.map(|href| view! {
            <a class="button button--ghost button--wide" href=href>{tr!("Watch a free lesson", "Смотреть бесплатный урок")}</a>
        }))}
    }
}

/// What the author sees on their course's page.
#[component]
fn AuthorPanel(course: CourseDetail, on_change: Callback<()>) -> impl IntoView {
    let l = use_i18n();
    let archive = ServerAction::<ArchiveCourse>::new();
    let delete = ServerAction::<DeleteCourse>::new();
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = archive.value().get() {
            on_change.run(());
        }
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(crate::courses::api::Deleted::Removed)) => {
            use_navigate()("/studio/courses?deleted=1", Default::default());
        }
        Some(Ok(crate::courses::api::Deleted::Archived)) => {
            confirming.set(false);
            on_change.run(());
        }
        _ => {}
    });
    let status = course.card.status;
    let id = course.card.id;
    let has_learners = course.card.enrollments_count > 0;
    let title = if course.is_author {
        ("Your course", "Ваш курс")
    } else {
        ("Course administration", "Управление курсом")
    };
    view! {
        <div class="callout" role="region" aria-label=move || l.get().pick(title.0, title.1)>
            <p>
                <span class="badge">{move || status.name(l.get())}</span>" "
                {match (status, course.status_changes.as_str()) {
                    (Status::Draft, _) => tr!("Only you can see this draft.", "Этот черновик видите только вы.").into_any(),
                    (Status::Review, _) => tr!("A moderator is reviewing your course.", "Модератор проверяет ваш курс.").into_any(),
                    (_, "review") => tr!("Your changes to the title and description wait for review.", "Изменения названия и описания ждут проверки.").into_any(),
                    _ => ().into_any(),
                }}
            </p>
            {course.review_feedback.clone().filter(|_| matches!(status, Status::Draft) || course.status_changes == "returned").map(|f| view! {
                <p><strong>{tr!("Moderator's feedback:", "Замечания модератора:")}</strong>" "{f}</p>
            })}
            <p class="callout__actions">
                <a class="button" href=format!("/studio/courses/{id}")>{tr!("Edit course", "Редактировать курс")}</a>
                {(status == Status::Published).then(|| view! {
                    <ActionForm action=archive>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button button--ghost button--danger">{tr!("Archive", "В архив")}</button>
                    </ActionForm>
                })}
                <button type="button" class="button button--ghost button--danger" aria-expanded=move || confirming.get().to_string()
                    on:click=move |_| confirming.update(|c| *c = !*c)>{tr!("Delete course", "Удалить курс")}</button>
            </p>
            <Show when=move || confirming.get()>
                <div class="callout callout--danger" role="alertdialog" aria-labelledby="delete-course-h">
                    <p id="delete-course-h"><strong>{if has_learners {
                        tr!("This course has learners: it will be archived instead, so that they keep their access, progress and certificates.",
                            "У курса есть ученики: вместо удаления он уйдёт в архив — они сохранят доступ, прогресс и сертификаты.").into_any()
                    } else {
                        tr!("The course, its lessons and files will be deleted for good.",
                            "Курс, его уроки и файлы будут удалены навсегда.").into_any()
                    }}</strong></p>
                    <ActionForm action=delete>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button button--danger">{if has_learners {
                            tr!("Archive the course", "Перенести в архив").into_any()
                        } else {
                            tr!("Yes, delete the course", "Да, удалить курс").into_any()
                        }}</button>
                        " "
                        <button type="button" class="button button--ghost" on:click=move |_| confirming.set(false)>{tr!("Keep it", "Оставить")}</button>
                    </ActionForm>
                </div>
            </Show>
            <FormError msg=crate::ui::form_error(archive.value(), &[]) />
            <FormError msg=crate::ui::form_error(delete.value(), &[]) />
        </div>
    }
}

/// Approve, or return with feedback (moderators, on a course in review). Done, it goes back to
/// the queue, which says what happened.
#[component]
fn ModerationPanel(course: CourseDetail) -> impl IntoView {
    let approve = ServerAction::<ModerateCourse>::new();
    let moderate = ServerAction::<ModerateCourse>::new();
    let value = moderate.value();
    for (action, done) in [(approve, "approved"), (moderate, "returned")] {
        Effect::new(move |_| {
            if let Some(Ok(())) = action.value().get() {
                use_navigate()(
                    &format!("/moderation/courses?done={done}"),
                    Default::default(),
                );
            }
        });
    }
    let id = course.card.id;
    view! {
        <section class="callout callout--review" aria-labelledby="review-h">
            <h2 id="review-h">{tr!("Review", "Проверка")}</h2>
            <p>{tr!("You see the course as a learner will. Check every lesson, then approve it or return it with feedback.",
                "Вы видите курс так, как его увидит ученик. Проверьте уроки, затем одобрите курс или верните с замечаниями.")}</p>
            {course.pending_title.clone().map(|t| view! { <p><strong>{tr!("Proposed title:", "Новое название:")}</strong>" "{t}</p> })}
            {course.pending_description_html.clone().map(|h| view! {
                <div><strong>{tr!("Proposed description:", "Новое описание:")}</strong><div class="post__body" inner_html=h></div></div>
            })}
            <ActionForm action=approve attr:class="form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="approve" value="true" />
                <button type="submit" class="button" disabled=move || approve.pending().get()>{tr!("Approve and publish", "Одобрить и опубликовать")}</button>
            </ActionForm>
            <FormError msg=crate::ui::form_error(approve.value(), &[]) />
            <ActionForm action=moderate attr:class="form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="approve" value="false" />
                <div class="field">
                    <label for="review-feedback">{tr!("Feedback for the author", "Замечания для автора")}</label>
                    <textarea id="review-feedback" name="feedback" rows="3" maxlength="5000"></textarea>
                    <crate::ui::ErrorText msg=crate::ui::field_error(value, "feedback") />
                </div>
                <button type="submit" class="button button--ghost" disabled=move || moderate.pending().get()>{tr!("Return to the author", "Вернуть автору")}</button>
            </ActionForm>
            <FormError msg=crate::ui::form_error(value, &["feedback"]) />
            <p><a href="/moderation/courses">{tr!("← Review queue", "← Очередь проверки")}</a></p>
        </section>
    }
}
