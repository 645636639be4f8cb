//! `/admin/audit`: the audit log for admins, filtered by action, person and target, with a CSV
//! export of what the filters show.

use super::api::list_audit;
use super::{Action, AuditFilter};
use crate::admin::pages::AdminNav;
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::{Load, Seo, format_datetime};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn filter_from_query(q: &leptos_router::params::ParamsMap) -> AuditFilter {
    AuditFilter {
        action: q.get("action").unwrap_or_default(),
        actor: q.get("actor").and_then(|a| a.parse().ok()),
        target_kind: q.get("target_kind").unwrap_or_default(),
        target_id: q.get("target_id").and_then(|a| a.parse().ok()),
        before: q.get("before").and_then(|b| b.parse().ok()),
    }
}

/// The filters as a query string (without the page cursor).
fn query_of(f: &AuditFilter) -> String {
    let mut parts = Vec::new();
    if !f.action.is_empty() {
        parts.push(format!("action={}", crate::url::component(&f.action)));
    }
    if let Some(a) = f.actor {
        parts.push(format!("actor={a}"));
    }
    if !f.target_kind.is_empty() {
        parts.push(format!(
            "target_kind={}",
            crate::url::component(&f.target_kind)
        ));
    }
    if let Some(t) = f.target_id {
        parts.push(format!("target_id={t}"));
    }
    parts.join("&")
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let l = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_query));
    let page = Resource::new(move || filter.get(), list_audit);
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Audit log · Staff", "Журнал аудита · Персонал").to_string())
            description=Signal::derive(String::new) path="/admin/audit" noindex=true />
        <section class="page admin">
            <h1>{tr!("Audit log", "Журнал аудита")}</h1>
            <AdminNav current="/admin/audit" />
            {move || {
                let f = filter.get();
                let csv = format!("/admin/audit.csv?{}", query_of(&f));
                view! {
                    <leptos_router::components::Form method="GET" action="/admin/audit" attr:class="admin__filters" attr:role="search">
                        <div class="field">
                            <label for="f-action">{tr!("Action", "Действие")}</label>
                            <select id="f-action" name="action">
                                <option value="" selected=f.action.is_empty()>{tr!("Any", "Любое")}</option>
                                {Action::ALL.iter().map(|a| {
                                    let a = *a;
                                    view! { <option value=a.code() selected=f.action == a.code()>{move || a.label(l.get())}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="f-actor">{tr!("Done by (account number)", "Кто (номер аккаунта)")}</label>
                            <input id="f-actor" name="actor" inputmode="numeric" value=f.actor.map(|a| a.to_string()).unwrap_or_default() />
                        </div>
                        <div class="field">
                            <label for="f-kind">{tr!("Target", "Объект")}</label>
                            <select id="f-kind" name="target_kind">
                                {[("", "Any", "Любой"), ("user", "Account", "Аккаунт"), ("course", "Course", "Курс"), ("post", "Post", "Публикация"), ("certificate", "Certificate", "Сертификат")]
                                    .into_iter().map(|(v, en, ru)| view! { <option value=v selected=f.target_kind == v>{move || l.get().pick(en, ru)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="f-target">{tr!("Target number", "Номер объекта")}</label>
                            <input id="f-target" name="target_id" inputmode="numeric" value=f.target_id.map(|a| a.to_string()).unwrap_or_default() />
                        </div>
                        <button type="submit" class="button">{tr!("Filter", "Показать")}</button>
                        <a class="button button--ghost" href=csv rel="external" download="">{tr!("Download CSV", "Скачать CSV")}</a>
                    </leptos_router::components::Form>
                }
            }}
            <Load resource=page transition=true let:p>
                {
                    let next = p.next.map(|n| {
                        let q = query_of(&filter.get_untracked());
                        format!("/admin/audit?{q}{}before={n}", if q.is_empty() { "" } else { "&" })
                    });
                    if p.items.is_empty() {
                        view! { <p class="muted">{tr!("No entries match.", "Записей не найдено.")}</p> }.into_any()
                    } else {
                        view! {
                            <table class="table admin__table">
                                <caption class="visually-hidden">{tr!("Audit entries", "Записи аудита")}</caption>
                                <thead><tr>
                                    <th scope="col">{tr!("When", "Когда")}</th>
                                    <th scope="col">{tr!("Who", "Кто")}</th>
                                    <th scope="col">{tr!("What", "Что")}</th>
                                    <th scope="col">{tr!("Target", "Объект")}</th>
                                    <th scope="col">{tr!("Before → after", "До → после")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|e| {
                                        let target = match e.target_id {
                                            Some(id) if e.target_kind == "user" => view! { <a href=format!("/admin/users/{id}")>{e.target_label.clone()}</a> }.into_any(),
                                            Some(id) => view! { <span>{format!("{} #{id} {}", e.target_kind, e.target_label)}</span> }.into_any(),
                                            None => view! { <span>{e.target_label.clone()}</span> }.into_any(),
                                        };
                                        let change = match (&e.before, &e.after) {
                                            (Some(b), Some(a)) => format!("{b} → {a}"),
                                            _ => String::new(),
                                        };
                                        view! {
                                            <tr>
                                                <td>{move || format_datetime(e.at, l.get())}</td>
                                                <td>{e.actor_label.clone()}<br/><span class="muted">{e.ip.clone()}</span></td>
                                                <td>{move || e.action.label(l.get())}
                                                    {(!e.reason.is_empty()).then(|| view! { <br/><span class="muted">{e.reason.clone()}</span> })}
                                                </td>
                                                <td>{target}</td>
                                                <td class="admin__change"><code>{change}</code></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {next.map(|href| view! { <a class="button button--ghost" href=href>{tr!("Older entries", "Более ранние")}</a> })}
                        }.into_any()
                    }
                }
            </Load>
        </section>
    }
}
