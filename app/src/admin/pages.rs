//! The staff area's pages: `/admin` (accounts), `/admin/users/:id` (a person), and the
//! navigation to the audit log and the course review queue. Every action asks the server,
//! which decides (a session without a second factor gets the "two-factor required" panel).

use super::api::{BanUser, ResetMfa, SetRole, UnbanUser, get_user, list_users};
use super::{GRANTABLE, REASON_MAX, UserFilter};
use crate::i18n::{Locale, use_i18n};
use crate::roles::Role;
use crate::tr;
use crate::ui::{FormError, Load, Seo, field_error, form_error, format_date, format_datetime};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A role's name in the reader's language.
pub fn role_name(r: Role, l: Locale) -> &'static str {
    match r {
        Role::Student => l.pick("Student", "Ученик"),
        Role::Tutor => l.pick("Tutor", "Репетитор"),
        Role::Moderator => l.pick("Moderator", "Модератор"),
        Role::Support => l.pick("Support", "Поддержка"),
        Role::Admin => l.pick("Admin", "Администратор"),
    }
}

/// The staff area's tabs.
#[component]
pub fn AdminNav(current: &'static str) -> impl IntoView {
    let l = use_i18n();
    let tabs: [(&str, &str, &str); 3] = [
        ("/admin", "People", "Люди"),
        ("/admin/audit", "Audit log", "Журнал аудита"),
        ("/moderation/courses", "Course reviews", "Проверка курсов"),
    ];
    view! {
        <nav class="tabs" aria-label=tr!("Staff area", "Раздел персонала")>
            {tabs.into_iter().map(|(href, en, ru)| view! {
                <a href=href class="tabs__tab" aria-current=(href == current).then_some("page")>
                    {move || l.get().pick(en, ru)}
                </a>
            }).collect_view()}
        </nav>
    }
}

fn filter_from_query(q: &leptos_router::params::ParamsMap) -> UserFilter {
    UserFilter {
        q: q.get("q").unwrap_or_default(),
        role: q.get("role").unwrap_or_default(),
        confirmed: q.get("confirmed").unwrap_or_default(),
        banned: q.get("banned").unwrap_or_default(),
        joined: q.get("joined").unwrap_or_default(),
        before: q.get("before").and_then(|b| b.parse().ok()),
    }
}

/// A `<select>` of a filter with "any" first.
#[component]
fn FilterSelect(
    label: Signal<&'static str>,
    name: &'static str,
    selected: String,
    options: Vec<(&'static str, &'static str, &'static str)>,
) -> impl IntoView {
    let l = use_i18n();
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=name>
                <option value="" selected=selected.is_empty()>{tr!("Any", "Любой")}</option>
                {options.into_iter().map(|(v, en, ru)| view! {
                    <option value=v selected=selected == v>{move || l.get().pick(en, ru)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// `/admin`: accounts with search and filters, newest first.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let l = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_query));
    let page = Resource::new(move || filter.get(), list_users);
    view! {
        <Seo title=Signal::derive(move || l.get().pick("People · Staff", "Люди · Персонал").to_string())
            description=Signal::derive(String::new) path="/admin" noindex=true />
        <section class="page admin">
            <h1>{tr!("Staff area", "Раздел персонала")}</h1>
            <AdminNav current="/admin" />
            {move || {
                let f = filter.get();
                view! {
                    <leptos_router::components::Form method="GET" action="/admin" attr:class="admin__filters" attr:role="search">
                        <div class="field">
                            <label for="f-q">{tr!("E-mail, name or handle", "Почта, имя или адрес профиля")}</label>
                            <input id="f-q" type="search" name="q" value=f.q.clone() maxlength="200" />
                        </div>
                        <FilterSelect label=Signal::derive(tr!("Role", "Роль")) name="role" selected=f.role.clone()
                            options=vec![("student", "Student", "Ученик"), ("tutor", "Tutor", "Репетитор"), ("moderator", "Moderator", "Модератор"), ("support", "Support", "Поддержка"), ("admin", "Admin", "Администратор")] />
                        <FilterSelect label=Signal::derive(tr!("E-mail confirmed", "Почта подтверждена")) name="confirmed" selected=f.confirmed.clone()
                            options=vec![("yes", "Yes", "Да"), ("no", "No", "Нет")] />
                        <FilterSelect label=Signal::derive(tr!("Banned", "Заблокирован")) name="banned" selected=f.banned.clone()
                            options=vec![("yes", "Yes", "Да"), ("no", "No", "Нет")] />
                        <FilterSelect label=Signal::derive(tr!("Joined", "Регистрация")) name="joined" selected=f.joined.clone()
                            options=vec![("7", "In the last 7 days", "За 7 дней"), ("30", "In the last 30 days", "За 30 дней"), ("365", "In the last year", "За год")] />
                        <button type="submit" class="button">{tr!("Search", "Найти")}</button>
                    </leptos_router::components::Form>
                }
            }}
            <Load resource=page transition=true let:p>
                {
                    let next = p.next.map(|n| {
                        let f = filter.get_untracked();
                        format!(
                            "/admin?q={}&role={}&confirmed={}&banned={}&joined={}&before={n}",
                            crate::url::component(&f.q), f.role, f.confirmed, f.banned, f.joined
                        )
                    });
                    if p.items.is_empty() {
                        view! { <p class="muted">{tr!("Nobody matches these filters.", "Никто не подходит под эти фильтры.")}</p> }.into_any()
                    } else {
                        view! {
                            <table class="table admin__table">
                                <caption class="visually-hidden">{tr!("Accounts", "Аккаунты")}</caption>
                                <thead><tr>
                                    <th scope="col">{tr!("Person", "Человек")}</th>
                                    <th scope="col">{tr!("Roles", "Роли")}</th>
                                    <th scope="col">{tr!("Status", "Состояние")}</th>
                                    <th scope="col">{tr!("Joined", "Регистрация")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|u| {
                                        let href = format!("/admin/users/{}", u.id);
                                        let roles = u.roles.clone();
                                        view! {
                                            <tr>
                                                <td><a href=href>{u.display_name.clone()}</a><br/><span class="muted">{u.email.clone()}</span></td>
                                                <td>{move || roles.iter().map(|r| role_name(*r, l.get())).collect::<Vec<_>>().join(", ")}</td>
                                                <td class="admin__flags">
                                                    {u.banned.then(|| view! { <span class="badge badge--danger">{tr!("Banned", "Заблокирован")}</span> })}
                                                    {(!u.confirmed).then(|| view! { <span class="badge">{tr!("Unconfirmed", "Не подтверждён")}</span> })}
                                                    {u.mfa.then(|| view! { <span class="badge badge--ok">{tr!("2FA", "2FA")}</span> })}
                                                    {u.demo.then(|| view! { <span class="badge">{tr!("Demo", "Демо")}</span> })}
                                                </td>
                                                <td>{move || format_date(u.created_at, l.get())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {next.map(|href| view! { <a class="button button--ghost" href=href>{tr!("Older accounts", "Более ранние")}</a> })}
                        }.into_any()
                    }
                }
            </Load>
        </section>
    }
}

/// `/admin/users/:id`: a person's account, roles, sessions and content; roles, ban, 2FA reset.
#[component]
pub fn AdminUserPage() -> impl IntoView {
    let l = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()))
            .unwrap_or(0)
    };
    let set_role = ServerAction::<SetRole>::new();
    let ban = ServerAction::<BanUser>::new();
    let unban = ServerAction::<UnbanUser>::new();
    let reset = ServerAction::<ResetMfa>::new();
    let user = Resource::new(
        move || {
            (
                id(),
                set_role.version().get(),
                ban.version().get(),
                unban.version().get(),
                reset.version().get(),
            )
        },
        |(id, ..)| get_user(id),
    );
    let role_error = Signal::derive(move || match set_role.value().get() {
        Some(Err(e)) => Some(e.msg()),
        _ => None,
    });
    let ban_value = ban.value();
    let unban_error = Signal::derive(move || match (unban.value().get(), reset.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.msg()),
        _ => None,
    });
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Person · Staff", "Человек · Персонал").to_string())
            description=Signal::derive(String::new) path="/admin/users" noindex=true />
        <section class="page admin">
            <p><a href="/admin">{tr!("← All people", "← Все люди")}</a></p>
            <Load resource=user transition=true let:u>
                {
                    let uid = u.id;
                    let held = u.roles.clone();
                    let sessions = u.sessions.clone();
                    let c = u.counts.clone();
                    let audit_href = format!("/admin/audit?target_kind=user&target_id={uid}");
                    view! {
                        <h1>{u.display_name.clone()}</h1>
                        <p class="muted">{u.email.clone()} " · " <a href=format!("/u/{}", u.handle)>{format!("/u/{}", u.handle)}</a></p>
                        {u.banned_at.map(|at| {
                            let reason = u.banned_reason.clone();
                            view! {
                                <p class="notice notice--danger" role="status">
                                    <strong>{move || format!("{} {}", l.get().pick("Banned since", "Заблокирован с"), format_datetime(at, l.get()))}</strong>
                                    " — " {reason}
                                </p>
                            }
                        })}
                        <dl class="admin__facts">
                            <dt>{tr!("Joined", "Регистрация")}</dt><dd>{move || format_date(u.created_at, l.get())}</dd>
                            <dt>{tr!("E-mail", "Почта")}</dt>
                            <dd>{move || match u.confirmed_at {
                                Some(t) => format!("{} {}", l.get().pick("confirmed", "подтверждена"), format_date(t, l.get())),
                                None => l.get().pick("not confirmed", "не подтверждена").to_string(),
                            }}</dd>
                            <dt>{tr!("Two-factor", "Двухфакторная")}</dt>
                            <dd>{move || if u.mfa { l.get().pick("on", "включена") } else { l.get().pick("off", "выключена") }}</dd>
                            <dt>{tr!("Language", "Язык")}</dt><dd>{u.locale.clone()}</dd>
                            <dt>{tr!("Content", "Материалы")}</dt>
                            <dd>{move || format!(
                                "{} {} · {} {} · {} {} · {} {} · {} {}",
                                c.posts, l.get().pick("posts", "публикаций"),
                                c.comments, l.get().pick("comments", "комментариев"),
                                c.courses, l.get().pick("courses", "курсов"),
                                c.videos, l.get().pick("videos", "видео"),
                                c.enrollments, l.get().pick("enrollments", "записей на курсы"),
                            )}</dd>
                        </dl>
                        {u.demo.then(|| view! { <p class="muted">{tr!("A demo account (shared password).", "Демо-аккаунт (общий пароль).")}</p> })}

                        <section class="card" aria-labelledby="roles-h">
                            <h2 id="roles-h">{tr!("Roles", "Роли")}</h2>
                            <FormError msg=role_error />
                            <ul class="admin__roles">
                                {GRANTABLE.into_iter().map(|r| {
                                    let has = held.contains(&r);
                                    let may = u.may_change_roles;
                                    view! {
                                        <li>
                                            <span>{move || role_name(r, l.get())}</span>
                                            {if has { view! { <span class="badge badge--ok">{tr!("held", "есть")}</span> }.into_any() } else { ().into_any() }}
                                            {may.then(|| {
                                                let label = move || {
                                                    let l = l.get();
                                                    if has {
                                                        format!("{} {}", l.pick("Revoke", "Снять роль"), role_name(r, l))
                                                    } else {
                                                        format!("{} {}", l.pick("Grant", "Выдать роль"), role_name(r, l))
                                                    }
                                                };
                                                view! {
                                                    <button type="button" class=if has { "button button--ghost button--danger" } else { "button button--ghost" }
                                                        on:click=move |_| { set_role.dispatch(SetRole { id: uid, role: r.code().to_string(), grant: !has }); }>
                                                        {label}
                                                    </button>
                                                }
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(!u.may_change_roles).then(|| view! { <p class="muted">{tr!("Only admins change roles.", "Роли меняют только администраторы.")}</p> })}
                        </section>

                        <section class="card" aria-labelledby="ban-h">
                            <h2 id="ban-h">{tr!("Ban", "Блокировка")}</h2>
                            <FormError msg=unban_error />
                            {match (u.banned_at.is_some(), u.may_ban) {
                                (true, true) => view! {
                                    <button type="button" class="button" on:click=move |_| { unban.dispatch(UnbanUser { id: uid }); }>
                                        {tr!("Lift the ban", "Снять блокировку")}
                                    </button>
                                }.into_any(),
                                (false, true) => view! {
                                    <p class="muted">{tr!(
                                        "A ban ends their sessions, hides their posts, comments, courses and profile, and shows them the reason when they log in.",
                                        "Блокировка завершает сеансы, скрывает публикации, комментарии, курсы и профиль и показывает причину при входе."
                                    )}</p>
                                    <ActionForm action=ban attr:class="form" attr:novalidate=true>
                                        <FormError msg=form_error(ban_value, &["reason"]) />
                                        <input type="hidden" name="id" value=uid.to_string() />
                                        <div class="field">
                                            <label for="f-reason">{tr!("Reason (shown to them)", "Причина (её увидит пользователь)")}</label>
                                            <textarea id="f-reason" name="reason" required=true maxlength=REASON_MAX.to_string() rows="3"></textarea>
                                            <crate::ui::ErrorText msg=field_error(ban_value, "reason") />
                                        </div>
                                        <button type="submit" class="button button--danger">{tr!("Ban this account", "Заблокировать аккаунт")}</button>
                                    </ActionForm>
                                }.into_any(),
                                _ => view! { <p class="muted">{tr!("You cannot ban or unban this account.", "Вы не можете заблокировать или разблокировать этот аккаунт.")}</p> }.into_any(),
                            }}
                            {u.may_reset_mfa.then(|| view! {
                                <button type="button" class="button button--ghost button--danger" on:click=move |_| { reset.dispatch(ResetMfa { id: uid }); }>
                                    {tr!("Reset two-factor authentication", "Сбросить двухфакторную аутентификацию")}
                                </button>
                            })}
                        </section>

                        <section class="card" aria-labelledby="sessions-h">
                            <h2 id="sessions-h">{tr!("Sessions", "Сеансы")}</h2>
                            {if sessions.is_empty() {
                                view! { <p class="muted">{tr!("Not logged in anywhere.", "Нигде не выполнен вход.")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="session-list">
                                        {sessions.into_iter().map(|s| view! {
                                            <li class="session-list__item">
                                                <strong>{s.device.clone()}</strong>
                                                {s.mfa.then(|| view! { <span class="badge badge--ok">"2FA"</span> })}
                                                <span class="muted">{move || format!("{} · {} {}", s.ip, l.get().pick("last active", "последняя активность"), format_datetime(s.last_seen_at, l.get()))}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <p><a href=audit_href>{tr!("What the audit log says about this account", "Записи журнала аудита об этом аккаунте")}</a></p>
                    }.into_any()
                }
            </Load>
        </section>
    }
}
