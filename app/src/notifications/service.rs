//! The use cases of notifications: sending one (in the app, and by mail as a digest when the
//! person wants that kind), listing, marking read, forgetting a deleted subject, and the digest
//! job. Every change of someone's unread count publishes on their bus topic (`user:{id}`), which
//! their open bells listen to.

use super::{Kind, Notification, NotificationPage, Subject, db};
use crate::accounts::service::user_topic;
use crate::error::AppError;
use crate::ids::{NotificationId, UserId};
use crate::server::auth::Actor;
use crate::server::hooks::Hooks;
use crate::server::jobs::{self, Job, JobFailure, JobHandler, JobKind, Lane};
use crate::server::mail::{Mail, escape_html, html_layout};
use crate::server::{AppState, now_ms};

/// Mails one person a digest of what they have not read. Payload: `{"user_id": …}`.
pub const DIGEST_JOB: JobKind = JobKind {
    name: "notify.digest",
    lane: Lane::Messages,
    max_attempts: 5,
    scrub_payload: false,
};

/// Registers the digest job.
pub fn register(hooks: &mut Hooks) {
    hooks.job(JobHandler {
        kind: &DIGEST_JOB,
        timeout: |_| std::time::Duration::from_secs(300),
        run: |st, job, _| Box::pin(run_digest(st, job)),
        on_failure: None,
    });
}

/// Tells the person's open bells that their unread count changed.
pub async fn unread_changed(state: &AppState, user: UserId) {
    state
        .bus
        .notify(
            &state.db,
            &user_topic(user),
            serde_json::json!({ "unread": true }),
        )
        .await;
}

/// Tells `user` that `actor` did something about `subject`; books an e-mail digest when they
/// want mail of this kind. Nothing happens when people act on their own things.
pub async fn notify(
    state: &AppState,
    user: UserId,
    kind: Kind,
    actor: UserId,
    subject: Subject,
) -> Result<(), AppError> {
    if user == actor {
        return Ok(());
    }
    if db::insert(&state.db, user, kind, actor, &subject, now_ms()).await? {
        unread_changed(state, user).await;
        book_digest(state, user, kind).await?;
    }
    Ok(())
}

/// The same notification for many people at once (a new post for its author's followers).
pub async fn notify_many(
    state: &AppState,
    users: &[UserId],
    kind: Kind,
    actor: UserId,
    subject: Subject,
) -> Result<(), AppError> {
    let users: Vec<UserId> = users.iter().copied().filter(|u| *u != actor).collect();
    db::insert_many(&state.db, &users, kind.code(), actor, &subject, now_ms()).await?;
    for u in users {
        unread_changed(state, u).await;
        book_digest(state, u, kind).await?;
    }
    Ok(())
}

/// Forgets every notification about a subject that was deleted (a post, a course).
pub async fn forget_subject(
    state: &AppState,
    subject_type: &str,
    subject_id: i64,
) -> Result<(), AppError> {
    for u in db::delete_about(&state.db, subject_type, subject_id).await? {
        unread_changed(state, u).await;
    }
    Ok(())
}

async fn book_digest(state: &AppState, user: UserId, kind: Kind) -> Result<(), AppError> {
    if !crate::profiles::db::wants_email(&state.db, user, kind.email_pref()).await? {
        return Ok(());
    }
    let due = now_ms() + state.config.digest_delay_seconds as i64 * 1000;
    if db::book_digest(&state.db, user, due).await? {
        jobs::enqueue_at(
            &state.db,
            &DIGEST_JOB,
            &serde_json::json!({ "user_id": user }),
            Some(&format!("digest:{user}")),
            due,
        )
        .await?;
    }
    Ok(())
}

/// The actor's notifications, newest first; `before` is the previous page's `next` (0 for the
/// first).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    before: i64,
) -> Result<NotificationPage, AppError> {
    let before = if before <= 0 { i64::MAX } else { before };
    let limit = 30;
    let mut rows = db::list(&state.db, actor.user, before, limit + 1).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.get())
    } else {
        None
    };
    let actor_ids: Vec<UserId> = rows.iter().filter_map(|r| r.actor_id).collect();
    let authors = crate::people::authors(state, &actor_ids).await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(Notification {
                id: r.id.get(),
                kind: Kind::from_code(&r.kind)?,
                actor: r.actor_id.and_then(|a| authors.get(&a).cloned()),
                subject_type: r.subject_type,
                subject_id: r.subject_id,
                link: r.link,
                created_at: r.created_at,
                read: r.read_at.is_some(),
            })
        })
        .collect();
    Ok(NotificationPage {
        items,
        next,
        unread: db::unread_count(&state.db, actor.user).await?,
    })
}

/// Unread notifications of the actor (0 for visitors).
pub async fn unread(state: &AppState, actor: Option<&Actor>) -> Result<i64, AppError> {
    match actor {
        Some(a) => Ok(db::unread_count(&state.db, a.user).await?),
        None => Ok(0),
    }
}

/// Marks one of the actor's notifications read (another's, or a read one, changes nothing).
pub async fn mark_read(
    state: &AppState,
    actor: &Actor,
    id: NotificationId,
) -> Result<(), AppError> {
    if db::mark_read(&state.db, actor.user, id, now_ms()).await? > 0 {
        unread_changed(state, actor.user).await;
    }
    Ok(())
}

/// Marks all the actor's notifications read; how many were unread.
pub async fn mark_all_read(state: &AppState, actor: &Actor) -> Result<u64, AppError> {
    let n = db::mark_all_read(&state.db, actor.user, now_ms()).await?;
    if n > 0 {
        unread_changed(state, actor.user).await;
    }
    Ok(n)
}

/// The digest job: one mail with everything not mailed yet, in the kinds the person wants.
async fn run_digest(state: &AppState, job: &Job) -> Result<(), JobFailure> {
    let user_id = UserId(job.payload_json()["user_id"].as_i64().unwrap_or(0));
    let Some(user) = crate::accounts::db::select_user(&state.db, user_id).await? else {
        db::clear_digest(&state.db, user_id).await?;
        return Ok(());
    };
    let rows = db::list_unmailed(&state.db, user_id, 500).await?;
    let max_id = rows.iter().map(|r| r.id).max();
    let mut wanted = Vec::new();
    for r in &rows {
        if let Some(k) = Kind::from_code(&r.kind)
            && crate::profiles::db::wants_email(&state.db, user_id, k.email_pref()).await?
        {
            wanted.push((k, r));
        }
    }
    if !wanted.is_empty() {
        let actors: Vec<UserId> = wanted.iter().filter_map(|(_, r)| r.actor_id).collect();
        let names = crate::people::authors(state, &actors).await?;
        let name_of = |id: Option<UserId>| {
            id.and_then(|id| names.get(&id))
                .map(|a| a.display_name.clone())
                .unwrap_or_default()
        };
        let locale = crate::i18n::Locale::from_code(&user.locale).unwrap_or_default();
        let lines: Vec<String> = wanted
            .iter()
            .take(20)
            .map(|(k, r)| k.sentence(&name_of(r.actor_id), locale))
            .collect();
        let more = wanted.len().saturating_sub(lines.len());
        let link = format!("{}/notifications", state.config.base_url());
        let (subject, intro, more_text, open) = match locale {
            crate::i18n::Locale::En => (
                format!("{} new on Tutorium", wanted.len()),
                "Here is what happened while you were away:".to_string(),
                format!("…and {more} more."),
                "Open your notifications",
            ),
            crate::i18n::Locale::Ru => (
                format!("Новое в Tutorium: {}", wanted.len()),
                "Вот что произошло, пока вас не было:".to_string(),
                format!("…и ещё {more}."),
                "Открыть уведомления",
            ),
        };
        let mut text = format!("{intro}\n\n");
        for l in &lines {
            text.push_str(&format!("• {l}\n"));
        }
        if more > 0 {
            text.push_str(&format!("{more_text}\n"));
        }
        text.push_str(&format!("\n{open}: {link}\n"));
        let items: String = lines
            .iter()
            .map(|l| format!("<li>{}</li>", escape_html(l)))
            .collect();
        let html = html_layout(
            &subject,
            &format!(
                "<p>{}</p><ul>{items}</ul>{}<p><a href=\"{link}\">{open}</a></p>",
                escape_html(&intro),
                if more > 0 {
                    format!("<p>{}</p>", escape_html(&more_text))
                } else {
                    String::new()
                }
            ),
        );
        state
            .mailer
            .send_now(&Mail {
                to: user.email.clone(),
                subject,
                text,
                html,
            })
            .await?;
    }
    if let Some(max_id) = max_id {
        db::mark_emailed(&state.db, user_id, max_id, now_ms()).await?;
    }
    db::clear_digest(&state.db, user_id).await?;
    // Anything that arrived while this ran books the next digest.
    if let Some(r) = db::list_unmailed(&state.db, user_id, 1).await?.first()
        && let Some(k) = Kind::from_code(&r.kind)
    {
        book_digest(state, user_id, k).await?;
    }
    Ok(())
}
