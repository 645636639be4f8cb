//! The notifications page.

use super::api::{MarkAllNotificationsRead, MarkNotificationRead, list_notifications};
use super::components::Unread;
use crate::i18n::use_i18n;
use crate::tr;
use crate::ui::{Avatar, Load, Seo, format_datetime};
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let l = use_i18n();
    let read_all = ServerAction::<MarkAllNotificationsRead>::new();
    let read_one = ServerAction::<MarkNotificationRead>::new();
    let page = Resource::new(
        move || (read_all.version().get(), read_one.version().get()),
        |_| list_notifications(0),
    );
    let unread = use_context::<Unread>();
    Effect::new(move |_| {
        if let (Some(Ok(p)), Some(u)) = (page.get(), unread) {
            u.0.set(p.unread);
        }
    });
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Notifications", "Уведомления").to_string())
            description=Signal::derive(String::new) path="/notifications" noindex=true />
        <section class="page page--narrow notifications">
            <header class="page__header">
                <h1>{tr!("Notifications", "Уведомления")}</h1>
                <button type="button" class="button button--ghost" on:click=move |_| { read_all.dispatch(MarkAllNotificationsRead {}); }>
                    {tr!("Mark all as read", "Отметить все прочитанными")}
                </button>
            </header>
            <Load resource=page transition=true login=tr!("Log in to see your notifications.", "Войдите, чтобы увидеть уведомления.") next="/notifications" let:p>
                {if p.items.is_empty() {
                    view! { <p class="muted">{tr!("Nothing yet.", "Пока ничего нет.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="notification-list">
                            {p.items.into_iter().map(|n| {
                                let href = n.link.clone();
                                let name = n.actor.as_ref().map(|a| a.display_name.clone()).unwrap_or_default();
                                let avatar = n.actor.as_ref().and_then(|a| a.avatar_url.clone());
                                let (id, read, kind, at) = (n.id, n.read, n.kind, n.created_at);
                                let name2 = name.clone();
                                view! {
                                    <li class="notification" class:notification--unread=!read>
                                        <Avatar url=avatar name=name.clone() size=40 />
                                        <a href=href on:click=move |_| { if !read { read_one.dispatch(MarkNotificationRead { id }); } }>
                                            {move || kind.sentence(&name2, l.get())}
                                        </a>
                                        <span class="muted notification__time">{move || format_datetime(at, l.get())}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}
