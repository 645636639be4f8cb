//! The moderators' queue of courses waiting for review.

use crate::courses::Status;
use crate::courses::api::review_queue;
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::{Load, Seo};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
