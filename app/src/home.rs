//! The home page: what Tutorium is, and tutors to meet.

use crate::i18n::use_i18n;
use crate::profiles::api::list_tutors;
use crate::profiles::components::TutorCardView;
use crate::tr;
use crate::ui::{JsonLd, Seo};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let l = use_i18n();
    let tutors = Resource::new(|| (), |_| list_tutors(String::new(), String::new()));
    let courses = Resource::new(
        || (),
        |_| crate::courses::api::list_catalog(Default::default()),
    );
    let base = crate::ui::base_url();
    let site = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Tutorium",
        "url": format!("{base}/"),
    });
    view! {
        <Seo
            title=Signal::derive(move || l.get().pick("Learn from tutors who love teaching", "Учитесь у репетиторов, которые любят учить").to_string())
            description=Signal::derive(move || l.get().pick(
                "Tutorium is a learning platform: tutors share short lessons, run courses and events; learners follow them, learn and get certificates.",
                "Tutorium — платформа для обучения: репетиторы делятся короткими уроками, ведут курсы и события; ученики подписываются, учатся и получают сертификаты.",
            ).to_string())
            path="/"
        />
        <JsonLd data=site />
        <section class="hero">
            <div class="hero__inner">
                <h1 class="hero__title">{tr!("Learn from people who love teaching", "Учитесь у тех, кто любит учить")}</h1>
                <p class="hero__lead">{tr!(
                    "Find a tutor, follow their short lessons, take courses and get certificates — in Russian and English.",
                    "Найдите репетитора, смотрите его короткие уроки, проходите курсы и получайте сертификаты — на русском и английском."
                )}</p>
                <div class="hero__actions">
                    <a class="button button--large" href="/courses">{tr!("Browse courses", "Выбрать курс")}</a>
                    <a class="button button--large button--ghost" href="/tutors">{tr!("Find a tutor", "Найти репетитора")}</a>
                    <a class="button button--large button--ghost" href="/signup">{tr!("Start teaching", "Начать преподавать")}</a>
                </div>
            </div>
        </section>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(p) if !p.items.is_empty() => Some(view! {
                        <section class="page">
                            <h2>{tr!("Popular courses", "Популярные курсы")}</h2>
                            <div class="course-grid">
                                {p.items.into_iter().take(4).map(|card| view! { <crate::courses::components::CourseCardView card /> }).collect_view()}
                            </div>
                            <p><a href="/courses">{tr!("All courses →", "Все курсы →")}</a></p>
                        </section>
                    }),
                    _ => None,
                }
            })}
        </Transition>
        <section class="page">
            <h2>{tr!("Tutors to meet", "Познакомьтесь с репетиторами")}</h2>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match tutors.await {
                        Ok(p) if !p.items.is_empty() => view! {
                            <ul class="tutor-list">
                                {p.items.into_iter().take(6).map(|t| view! { <TutorCardView tutor=t /> }).collect_view()}
                            </ul>
                            <p><a href="/tutors">{tr!("All tutors →", "Все репетиторы →")}</a></p>
                        }.into_any(),
                        _ => view! {
                            <p class="muted">{tr!("Tutors will appear here soon.", "Скоро здесь появятся репетиторы.")}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="page features" aria-labelledby="features-h">
            <h2 id="features-h" class="visually-hidden">{tr!("What Tutorium offers", "Что есть в Tutorium")}</h2>
            <div class="feature">
                <h3>{tr!("Short lessons", "Короткие уроки")}</h3>
                <p>{tr!("Tutors show how they teach in short videos. Follow the ones you like.", "Репетиторы показывают, как они учат, в коротких видео. Подписывайтесь на понравившихся.")}</p>
            </div>
            <div class="feature">
                <h3>{tr!("Courses with certificates", "Курсы с сертификатами")}</h3>
                <p>{tr!("Learn step by step, pass the tests and get a certificate anyone can verify.", "Учитесь шаг за шагом, проходите тесты и получайте сертификат, который может проверить любой.")}</p>
            </div>
            <div class="feature">
                <h3>{tr!("Lessons and events", "Занятия и события")}</h3>
                <p>{tr!("Book a lesson or a master class at a time that suits you.", "Записывайтесь на занятия и мастер-классы в удобное время.")}</p>
            </div>
        </section>
    }
}
