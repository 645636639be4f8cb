//! The author's "My courses": a new course, and their courses with their numbers.

use crate::courses::api::my_courses;
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::{Load, Seo};
use leptos::prelude::*;

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
            <crate::courses::editor::NewCourseForm />
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
