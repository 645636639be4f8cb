//! Course pages: the catalog, a course, the lesson player, "My learning", the author's "My
//! courses" and the moderators' review queue. The course editor is in `editor.rs`.

use super::api::{
    ArchiveCourse, CompleteLesson, DeleteCourse, Enroll, Enrolled, ModerateCourse, get_course,
    get_lesson, list_catalog, my_courses, my_learning, review_queue,
};
use super::components::{
    CourseCardView, Cover, ProgressBar, Syllabus, learners_text, lessons_text, price_text,
};
use super::{
    CATEGORIES, COURSE_LANGUAGES, CatalogPage as Page, CatalogQuery, CourseDetail, Level, Status,
    category_name, format_length,
};
use crate::error::AppError;
use crate::i18n::{Locale, use_i18n};
use crate::layout::{ErrorPanel, use_user};
use crate::tr;
use crate::ui::{Avatar, FormError, JsonLd, Load, Seo, excerpt, format_date};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

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

/// Reads the catalog query from the address.
fn catalog_query(m: &leptos_router::params::ParamsMap) -> CatalogQuery {
    let g = |k: &str| m.get(k).unwrap_or_default();
    CatalogQuery {
        q: g("q"),
        category: g("category"),
        level: g("level"),
        language: g("language"),
        price: g("price"),
        duration: g("duration"),
        rating: g("rating"),
        sort: g("sort"),
        after: g("after"),
    }
}

/// The address of a catalog query (`after` included when not empty).
fn catalog_href(q: &CatalogQuery) -> String {
    let pairs = [
        ("q", &q.q),
        ("category", &q.category),
        ("level", &q.level),
        ("language", &q.language),
        ("price", &q.price),
        ("duration", &q.duration),
        ("rating", &q.rating),
        ("sort", &q.sort),
        ("after", &q.after),
    ];
    let qs: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::url::component(v)))
        .collect();
    if qs.is_empty() {
        "/courses".into()
    } else {
        format!("/courses?{}", qs.join("&"))
    }
}

/// A select of the catalog filter form; submits the form when changed (after hydration).
#[component]
fn FilterSelect(
    name: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: String,
    options: Vec<(String, Signal<String>)>,
) -> impl IntoView {
    let id = format!("catalog-{name}");
    view! {
        <div class="filter">
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=name on:change=submit_form>
                {options.into_iter().map(|(v, text)| {
                    let selected = v == value;
                    view! { <option value=v selected=selected>{move || text.get()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Submits the form of the element that fired the event (filters apply as soon as they change).
fn submit_form(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|s| s.form())
        {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let l = use_i18n();
    let query = use_query_map();
    let q = move || query.with(catalog_query);
    let page = Resource::new(q, list_catalog);
    let any = |en: &'static str, ru: &'static str| {
        (
            String::new(),
            Signal::derive(move || use_i18n().get().pick(en, ru).to_string()),
        )
    };
    let current = query.with_untracked(catalog_query);
    let categories: Vec<(String, Signal<String>)> =
        std::iter::once(any("All categories", "Все категории"))
            .chain(CATEGORIES.iter().map(|c| {
                (
                    c.0.to_string(),
                    Signal::derive(move || use_i18n().get().pick(c.1, c.2).to_string()),
                )
            }))
            .collect();
    let levels: Vec<(String, Signal<String>)> = std::iter::once(any("Any level", "Любой уровень"))
        .chain(Level::ALL.iter().map(|lv| {
            (
                lv.code().to_string(),
                Signal::derive(move || lv.name(use_i18n().get()).to_string()),
            )
        }))
        .collect();
    let languages: Vec<(String, Signal<String>)> =
        std::iter::once(any("Any language", "Любой язык"))
            .chain(
                COURSE_LANGUAGES
                    .iter()
                    .map(|c| (c.0.to_string(), Signal::derive(move || c.1.to_string()))),
            )
            .collect();
    let opt = |v: &str, en: &'static str, ru: &'static str| {
        (
            v.to_string(),
            Signal::derive(move || use_i18n().get().pick(en, ru).to_string()),
        )
    };
    let prices = vec![
        any("Free and paid", "Бесплатные и платные"),
        opt("free", "Free", "Бесплатные"),
        opt("paid", "Paid", "Платные"),
    ];
    let durations = vec![
        any("Any length", "Любая длительность"),
        opt("short", "Under 1 hour", "До 1 часа"),
        opt("medium", "1–5 hours", "1–5 часов"),
        opt("long", "Over 5 hours", "Больше 5 часов"),
    ];
    let ratings = vec![
        any("Any rating", "Любой рейтинг"),
        opt("4.5", "4.5 and up", "От 4,5"),
        opt("4", "4 and up", "От 4"),
        opt("3", "3 and up", "От 3"),
    ];
    let sorts = vec![
        opt("popular", "Popular", "Популярные"),
        opt("newest", "Newest", "Новые"),
        opt("rating", "Top rated", "С высоким рейтингом"),
        opt("price", "Price: low to high", "Сначала дешевле"),
        opt("price-desc", "Price: high to low", "Сначала дороже"),
    ];
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Courses", "Курсы").to_string())
            description=Signal::derive(move || l.get().pick(
                "Online courses from tutors: programming, math, languages, exam preparation and more. Free previews, progress tracking.",
                "Онлайн-курсы от репетиторов: программирование, математика, языки, подготовка к экзаменам и другое. Бесплатные уроки, учёт прогресса.",
            ).to_string())
            path="/courses" />
        <section class="page catalog">
            <header class="page__header">
                <h1>{tr!("Courses", "Курсы")}</h1>
            </header>
            <leptos_router::components::Form method="GET" action="/courses" attr:class="catalog__filters" attr:role="search">
                <div class="field catalog__search">
                    <label for="catalog-q">{tr!("Search courses", "Поиск курсов")}</label>
                    <input id="catalog-q" type="search" name="q" value=current.q.clone() maxlength="200"
                        placeholder=move || l.get().pick("Python, algebra, English…", "Python, алгебра, английский…") />
                </div>
                <FilterSelect name="category" label=Signal::derive(move || l.get().pick("Category", "Категория")) value=current.category.clone() options=categories />
                <FilterSelect name="level" label=Signal::derive(move || l.get().pick("Level", "Уровень")) value=current.level.clone() options=levels />
                <FilterSelect name="language" label=Signal::derive(move || l.get().pick("Language", "Язык")) value=current.language.clone() options=languages />
                <FilterSelect name="price" label=Signal::derive(move || l.get().pick("Price", "Цена")) value=current.price.clone() options=prices />
                <FilterSelect name="duration" label=Signal::derive(move || l.get().pick("Length", "Длительность")) value=current.duration.clone() options=durations />
                <FilterSelect name="rating" label=Signal::derive(move || l.get().pick("Rating", "Рейтинг")) value=current.rating.clone() options=ratings />
                <FilterSelect name="sort" label=Signal::derive(move || l.get().pick("Sort by", "Сортировка")) value=current.sort.clone() options=sorts />
                <button type="submit" class="button">{tr!("Search", "Найти")}</button>
            </leptos_router::components::Form>
            <Load resource=page transition=true let:first>
                <CatalogResults first query=q() />
            </Load>
        </section>
    }
}

/// The result count, the cards, and "show more" (a plain link to the next page without JS).
#[component]
fn CatalogResults(first: Page, query: CatalogQuery) -> impl IntoView {
    let l = use_i18n();
    let total = first.total;
    let base = crate::ui::base_url();
    let json = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": total,
        "itemListElement": first.items.iter().enumerate().map(|(i, c)| serde_json::json!({
            "@type": "ListItem", "position": i + 1, "url": format!("{base}/courses/{}", c.slug), "name": c.title,
        })).collect::<Vec<_>>(),
    });
    let items = RwSignal::new(first.items);
    let next = RwSignal::new(first.next);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<crate::error::Msg>);
    let q = StoredValue::new(query);
    let more = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let Some(after) = next.get_untracked() else {
            return;
        };
        loading.set(true);
        let mut query = q.get_value();
        query.after = after;
        leptos::task::spawn_local(async move {
            match list_catalog(query).await {
                Ok(p) => {
                    items.update(|v| {
                        for c in p.items {
                            if !v.iter().any(|x| x.id == c.id) {
                                v.push(c);
                            }
                        }
                    });
                    next.set(p.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.msg())),
            }
            loading.set(false);
        });
    };
    view! {
        <JsonLd data=json />
        <p class="catalog__count" role="status">{move || match l.get() {
            Locale::En => format!("{total} {} found", if total == 1 { "course" } else { "courses" }),
            Locale::Ru => format!("Найдено: {total} {}", crate::i18n::plural_ru(total, "курс", "курса", "курсов")),
        }}</p>
        {(total == 0).then(|| view! {
            <div class="empty-state">
                <p>{tr!("No courses match. Try other words or fewer filters.", "Ничего не нашлось. Попробуйте другие слова или меньше фильтров.")}</p>
                <a class="button button--ghost" href="/courses">{tr!("Reset filters", "Сбросить фильтры")}</a>
            </div>
        })}
        <div class="course-grid">
            <For each=move || items.get() key=|c| c.id let:card>
                <CourseCardView card />
            </For>
        </div>
        {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
        {move || next.get().map(|after| {
            let mut query = q.get_value();
            query.after = after;
            view! {
                <p class="post-list__more">
                    <a class="button button--ghost" href=catalog_href(&query) on:click=more aria-disabled=move || loading.get().then_some("true")>
                        {tr!("Show more courses", "Показать ещё курсы")}
                    </a>
                </p>
            }
        })}
    }
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
                        {card.rating_avg.map(|r| view! { <li>{format!("★ {r:.1}")}</li> })}
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
                            <Avatar url=card.author.avatar_url.clone() name=card.author.display_name.clone() size=56 />
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
        Some(Ok(super::api::Deleted::Removed)) => {
            use_navigate()("/studio/courses?deleted=1", Default::default());
        }
        Some(Ok(super::api::Deleted::Archived)) => {
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
    let l = use_i18n();
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
            <p><a href="/moderation/courses">{move || l.get().pick("← Review queue", "← Очередь проверки")}</a></p>
        </section>
    }
}

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
fn LessonView(lesson: super::LessonView) -> impl IntoView {
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
    let percent = Signal::derive(move || super::percent(done.with(|d| d.len() as i64), total));
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
    let on_progress = enrolled.then(|| {
        Callback::new(move |(t, d): (f64, f64)| {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                if let Ok(true) =
                    super::api::save_lesson_progress(id, (t * 1000.0) as i64, (d * 1000.0) as i64)
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
            <aside class="player-page__side" aria-label=move || l.get().pick("Course contents", "Содержание курса")>
                <p class="player-page__course"><a href=format!("/courses/{}", course.card.slug)>{course.card.title.clone()}</a></p>
                {enrolled.then(|| view! {
                    <div class="course-progress">
                        <progress max="100" value=move || percent.get().to_string() aria-label=move || l.get().pick("Course progress", "Прогресс по курсу")></progress>
                        <span>{move || match l.get() { Locale::En => format!("{}% complete", percent.get()), Locale::Ru => format!("Пройдено {}%", percent.get()) }}</span>
                    </div>
                })}
                <LessonList slug=course.card.slug.clone() course=course.clone() current=id done />
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
                <nav class="lesson__nav" aria-label=move || l.get().pick("Lessons", "Уроки")>
                    {prev.clone().map(|h| view! { <a class="button button--ghost" href=h rel="prev" aria-keyshortcuts="p">{tr!("← Previous", "← Назад")}</a> })}
                    {enrolled.then(|| view! {
                        <Show when=move || !completed.get() fallback=|| view! { <p class="lesson__done" role="status">{tr!("✓ Lesson completed", "✓ Урок пройден")}</p> }>
                            <ActionForm action=complete>
                                <input type="hidden" name="lesson" value=id />
                                <button type="submit" class="button" disabled=move || complete.pending().get()>{tr!("Mark as complete", "Отметить как пройденный")}</button>
                            </ActionForm>
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
                                    <span class="syllabus__tick" aria-hidden="true">{move || if is_done() { "✓" } else if can_open { "▷" } else { "🔒" }}</span>
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

#[component]
pub fn LearningPage() -> impl IntoView {
    let l = use_i18n();
    let list = Resource::new(|| (), |_| my_learning());
    view! {
        <Seo title=Signal::derive(move || l.get().pick("My learning", "Моё обучение").to_string()) description=Signal::derive(String::new) path="/learning" noindex=true />
        <section class="page learning">
            <h1>{tr!("My learning", "Моё обучение")}</h1>
            <Load resource=list login=tr!("Log in to see your courses.", "Войдите, чтобы увидеть свои курсы.") next="/learning" let:items>
                {
                    let (done, active): (Vec<_>, Vec<_>) = items.into_iter().partition(|i| i.completed);
                    let empty = done.is_empty() && active.is_empty();
                    view! {
                        {empty.then(|| view! {
                            <div class="empty-state">
                                <p>{tr!("You are not enrolled in any course yet.", "Вы пока не записаны ни на один курс.")}</p>
                                <a class="button" href="/courses">{tr!("Find a course", "Найти курс")}</a>
                            </div>
                        })}
                        {(!active.is_empty()).then(|| view! {
                            <section aria-labelledby="active-h">
                                <h2 id="active-h">{tr!("In progress", "В процессе")}</h2>
                                <ul class="learning-list">{active.into_iter().map(|i| view! { <LearningRow item=i /> }).collect_view()}</ul>
                            </section>
                        })}
                        {(!done.is_empty()).then(|| view! {
                            <section aria-labelledby="done-h">
                                <h2 id="done-h">{tr!("Completed", "Пройденные")}</h2>
                                <ul class="learning-list">{done.into_iter().map(|i| view! { <LearningRow item=i /> }).collect_view()}</ul>
                            </section>
                        })}
                    }
                }
            </Load>
        </section>
    }
}

#[component]
fn LearningRow(item: super::LearningItem) -> impl IntoView {
    let l = use_i18n();
    let c = item.card;
    let label_title = c.title.clone();
    let completed = item.completed;
    let href = match item.continue_lesson {
        Some(id) => format!("/learn/{}/{id}", c.slug),
        None => format!("/courses/{}", c.slug),
    };
    view! {
        <li class="learning-row card">
            <Cover url=c.cover_url.clone() title=c.title.clone() />
            <div class="learning-row__body">
                <h3><a href=format!("/courses/{}", c.slug)>{c.title.clone()}</a></h3>
                <p class="muted">{c.author.display_name.clone()}</p>
                <ProgressBar percent=item.percent />
            </div>
            <a class="button" href=href aria-label=move || format!("{} — {label_title}", if completed { l.get().pick("Review", "Повторить") } else { l.get().pick("Continue", "Продолжить") })>
                {if item.completed { tr!("Review", "Повторить").into_any() } else { tr!("Continue", "Продолжить").into_any() }}
            </a>
        </li>
    }
}

#[component]
pub fn StudioCoursesPage() -> impl IntoView {
    let l = use_i18n();
    let list = Resource::new(|| (), |_| my_courses());
    let query = leptos_router::hooks::use_query_map();
    let deleted = move || query.with(|q| q.get("deleted").is_some());
    view! {
        <Seo title=Signal::derive(move || l.get().pick("My courses", "Мои курсы").to_string()) description=Signal::derive(String::new) path="/studio/courses" noindex=true />
        <section class="page studio">
            <header class="page__header">
                <h1>{tr!("My courses", "Мои курсы")}</h1>
            </header>
            <Show when=deleted>
                <p class="callout" role="status">{tr!("The course was deleted.", "Курс удалён.")}</p>
            </Show>
            <super::editor::NewCourseForm />
            <Load resource=list login="" next="/studio/courses" let:items>
                {if items.is_empty() {
                    view! {
                        <p class="muted">{tr!("No courses yet. Create your first one above.", "Курсов пока нет. Создайте первый выше.")}</p>
                    }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <caption class="visually-hidden">{tr!("Your courses", "Ваши курсы")}</caption>
                            <thead><tr>
                                <th scope="col">{tr!("Course", "Курс")}</th>
                                <th scope="col">{tr!("Status", "Статус")}</th>
                                <th scope="col">{tr!("Learners", "Ученики")}</th>
                                <th scope="col">{tr!("Completion rate", "Завершили")}</th>
                                <th scope="col">{tr!("Average progress", "Средний прогресс")}</th>
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|c| {
                                    let status = c.card.status;
                                    let changes = c.changes_state.clone();
                                    view! {
                                        <tr>
                                            <td><a href=format!("/studio/courses/{}", c.card.id)>{c.card.title.clone()}</a></td>
                                            <td>
                                                <span class="badge">{move || status.name(l.get())}</span>
                                                {match changes.as_str() {
                                                    "editing" => Some(tr!(" · changes not sent", " · изменения не отправлены").into_any()),
                                                    "review" => Some(tr!(" · changes in review", " · изменения на проверке").into_any()),
                                                    "returned" => Some(tr!(" · changes returned", " · изменения возвращены").into_any()),
                                                    _ => None,
                                                }}
                                            </td>
                                            <td>{c.card.enrollments_count}</td>
                                            <td>{format!("{:.0}%", c.completion_rate * 100.0)}</td>
                                            <td>{format!("{:.0}%", c.average_progress * 100.0)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let l = use_i18n();
    let query = use_query_map();
    let done = move || query.with(|q| q.get("done").unwrap_or_default());
    let list = Resource::new(|| (), |_| review_queue());
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Course reviews", "Проверка курсов").to_string()) description=Signal::derive(String::new) path="/moderation/courses" noindex=true />
        <section class="page">
            <h1>{tr!("Courses waiting for review", "Курсы на проверке")}</h1>
            {move || match done().as_str() {
                "approved" => Some(view! { <p class="notice" role="status">{tr!("The course is published. The author is notified.", "Курс опубликован. Автор получил уведомление.")}</p> }.into_any()),
                "returned" => Some(view! { <p class="notice" role="status">{tr!("The course is returned to the author with your feedback.", "Курс возвращён автору с вашими замечаниями.")}</p> }.into_any()),
                _ => None,
            }}
            <Load resource=list let:items>
                {if items.is_empty() {
                    view! { <p class="muted">{tr!("The queue is empty.", "Очередь пуста.")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="queue">
                            {items.into_iter().map(|c| {
                                let href = format!("/courses/{}", c.slug);
                                view! {
                                    <li class="queue__item card">
                                        <a href=href>{c.title.clone()}</a>
                                        <span class="muted">{c.author.display_name.clone()}</span>
                                        <span class="badge">{move || if c.status == Status::Published { l.get().pick("Changes", "Изменения") } else { l.get().pick("New course", "Новый курс") }}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}
