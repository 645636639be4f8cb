//! Server functions of notifications, and the live unread count.

use super::NotificationPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Kind, Notification, db},
    crate::server::{AppState, now_ms, session, state},
};

/// The signed-in user's notifications, newest first; `before` is the previous page's `next`
/// (0 for the first). Errors: `NotAuthenticated`.
#[server(endpoint = "notifications/list")]
pub async fn list_notifications(
    #[server(default)] before: i64,
) -> Result<NotificationPage, AppError> {
    let s = session::require_user()?;
    let st = state();
    let before = if before <= 0 { i64::MAX } else { before };
    let limit = 30;
    let mut rows = db::list(&st.db, s.user_id, before, limit + 1).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    let authors = crate::feed::api::authors(&st, &actor_ids).await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(Notification {
                id: r.id,
                kind: Kind::from_code(&r.kind)?,
                actor: r.actor_id.and_then(|a| authors.get(&a).cloned()),
                post_id: r.post_id,
                comment_id: r.comment_id,
                course_id: r.course_id,
                created_at: r.created_at,
                read: r.read_at.is_some(),
            })
        })
        .collect();
    Ok(NotificationPage {
        items,
        next,
        unread: db::unread_count(&st.db, s.user_id).await?,
    })
}

/// Unread notifications of the signed-in user (0 for visitors). Anyone may call it.
#[server(endpoint = "notifications/unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    match session::current() {
        Some(s) => Ok(db::unread_count(&state().db, s.user_id).await?),
        None => Ok(0),
    }
}

/// Marks one of the signed-in user's notifications read. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "notifications/read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    let s = session::require_user()?;
    db::mark_read(&state().db, s.user_id, id, now_ms()).await?;
    Ok(())
}

/// Marks all the signed-in user's notifications read. Errors: `NotAuthenticated`.
#[server(endpoint = "notifications/read-all")]
pub async fn mark_all_notifications_read() -> Result<u64, AppError> {
    let s = session::require_user()?;
    Ok(db::mark_all_read(&state().db, s.user_id, now_ms()).await?)
}

/// `GET /api/notifications/stream`: server-sent `unread` events with the unread count, whenever
/// it changes. Works across processes and instances (it reads the database).
#[cfg(feature = "ssr")]
pub async fn stream(
    axum::extract::State(st): axum::extract::State<AppState>,
    auth: Option<axum::Extension<session::AuthSession>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, KeepAlive, Sse};
    let Some(axum::Extension(s)) = auth else {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    };
    let user = s.user_id;
    let stream = futures::stream::unfold((st, None::<i64>), move |(st, last)| async move {
        loop {
            let n = db::unread_count(&st.db, user).await.ok()?;
            if last != Some(n) {
                let ev = Event::default().event("unread").data(n.to_string());
                return Some((Ok::<_, std::convert::Infallible>(ev), (st, Some(n))));
            }
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
