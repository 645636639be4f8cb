//! Server functions of notifications, and the live unread count.

use super::NotificationPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ids::NotificationId,
    crate::server::{AppState, auth, state},
};

/// The signed-in user's notifications, newest first; `before` is the previous page's `next`
/// (0 for the first). Errors: `NotAuthenticated`.
#[server(endpoint = "notifications/list")]
pub async fn list_notifications(
    #[server(default)] before: i64,
) -> Result<NotificationPage, AppError> {
    service::list(&state(), &auth::actor()?, before).await
}

/// Unread notifications of the signed-in user (0 for visitors). Anyone may call it.
#[server(endpoint = "notifications/unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    service::unread(&state(), auth::current().as_ref()).await
}

/// Marks one of the signed-in user's notifications read. Errors: `NotAuthenticated`.
#[server(endpoint = "notifications/read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    service::mark_read(&state(), &auth::actor()?, NotificationId(id)).await
}

/// Marks all the signed-in user's notifications read. Errors: `NotAuthenticated`.
#[server(endpoint = "notifications/read-all")]
pub async fn mark_all_notifications_read() -> Result<u64, AppError> {
    service::mark_all_read(&state(), &auth::actor()?).await
}

/// `GET /api/notifications/stream`: server-sent `unread` events with the unread count, now and
/// whenever it changes. It waits on the person's bus topic (no polling: an idle stream costs no
/// query) and re-reads the count from the database on each event, so it is right across
/// processes and instances. It ends when its session ends (log-out, revoked elsewhere).
/// Errors: 401 without a session.
#[cfg(feature = "ssr")]
pub async fn stream(
    axum::extract::State(st): axum::extract::State<AppState>,
    actor: auth::Actor,
) -> axum::response::Response {
    use crate::server::bus::Signal;
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, KeepAlive, Sse};
    // Subscribe before the first read, so that no change falls in between.
    let sub = st
        .bus
        .subscribe(&crate::accounts::service::user_topic(actor.user));
    let stream = futures::stream::unfold(
        (st, sub, actor, None::<i64>),
        |(st, mut sub, actor, last)| async move {
            let unread = |st: &AppState, actor: &auth::Actor| {
                let (db, user) = (st.db.clone(), actor.user);
                async move { super::db::unread_count(&db, user).await.ok() }
            };
            let n = match last {
                None => unread(&st, &actor).await?,
                Some(last) => loop {
                    match sub.next().await {
                        Signal::Event(e) if e.get("sessions").is_some() => {
                            if !crate::accounts::db::session_exists(&st.db, actor.session)
                                .await
                                .unwrap_or(false)
                            {
                                return None;
                            }
                        }
                        _ => {
                            let n = unread(&st, &actor).await?;
                            if n != last {
                                break n;
                            }
                        }
                    }
                },
            };
            let ev = Event::default().event("unread").data(n.to_string());
            Some((
                Ok::<_, std::convert::Infallible>(ev),
                (st, sub, actor, Some(n)),
            ))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
