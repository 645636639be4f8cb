//! "My learning": the learner's courses in progress and completed.

use crate::courses::api::my_learning;
use crate::courses::components::{Cover, ProgressBar};
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::{Load, Seo};
use leptos::prelude::*;

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
fn LearningRow(item: crate::courses::LearningItem) -> impl IntoView {
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
