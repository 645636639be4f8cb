//! Creating notifications, and the jobs that fan new posts out and mail digests.

use super::{Kind, db};
use crate::server::mail::{Mail, escape_html, html_layout};
use crate::server::{AppState, jobs, now_ms};

pub const DIGEST_JOB: &str = "notify.digest";
pub const FANOUT_JOB: &str = "notify.fanout";

/// Tells `user` that `actor` did something; books an e-mail digest when they want mail of this kind.
pub async fn notify(
    state: &AppState,
    user: i64,
    kind: Kind,
    actor: i64,
    post_id: Option<i64>,
    comment_id: Option<i64>,
) -> anyhow::Result<()> {
    if user == actor {
        return Ok(());
    }
    if db::insert(
        &state.db,
        user,
        kind.code(),
        actor,
        post_id,
        comment_id,
        now_ms(),
    )
    .await?
    {
        book_digest(state, user, kind).await?;
    }
    Ok(())
}

/// Tells a course's author about a moderation result (in the app, and by mail if they want it).
pub async fn notify_course(
    state: &AppState,
    user: i64,
    kind: Kind,
    actor: i64,
    course_id: i64,
) -> anyhow::Result<()> {
    db::insert_course(&state.db, user, kind.code(), actor, course_id, now_ms()).await?;
    book_digest(state, user, kind).await
}

async fn book_digest(state: &AppState, user: i64, kind: Kind) -> anyhow::Result<()> {
    if !crate::profiles::db::wants_email(&state.db, user, kind.email_pref()).await? {
        return Ok(());
    }
    let due = now_ms() + state.config.digest_delay_seconds as i64 * 1000;
    if db::book_digest(&state.db, user, due).await? {
        jobs::enqueue_at(
            &state.db,
            DIGEST_JOB,
            &serde_json::json!({ "user_id": user }),
            Some(&format!("digest:{user}")),
            5,
            due,
        )
        .await?;
    }
    Ok(())
}

/// Queues the fan-out of a new post to its author's followers.
pub async fn queue_fanout(state: &AppState, author: i64, post_id: i64) -> anyhow::Result<()> {
    jobs::enqueue(
        &state.db,
        FANOUT_JOB,
        &serde_json::json!({ "author": author, "post_id": post_id }),
        Some(&format!("post:{post_id}")),
        5,
    )
    .await?;
    Ok(())
}

/// The fan-out job: one notification per follower, then their digests.
pub async fn run_fanout(state: &AppState, payload: &serde_json::Value) -> anyhow::Result<()> {
    let author = payload["author"].as_i64().unwrap_or(0);
    let post_id = payload["post_id"].as_i64().unwrap_or(0);
    if crate::feed::db::select_post(&state.db, post_id)
        .await?
        .is_none()
    {
        return Ok(());
    }
    db::fan_out_new_post(&state.db, author, post_id, now_ms()).await?;
    for follower in db::followers_of(&state.db, author).await? {
        book_digest(state, follower, Kind::NewPost).await?;
    }
    Ok(())
}

/// The digest job: one mail with everything not mailed yet, in the kinds the person wants.
pub async fn run_digest(state: &AppState, payload: &serde_json::Value) -> anyhow::Result<()> {
    let user_id = payload["user_id"].as_i64().unwrap_or(0);
    let Some(user) = crate::accounts::db::select_user(&state.db, user_id).await? else {
        db::clear_digest(&state.db, user_id).await?;
        return Ok(());
    };
    let rows = db::list_unmailed(&state.db, user_id, 500).await?;
    let max_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    let mut wanted = Vec::new();
    for r in &rows {
        if let Some(k) = Kind::from_code(&r.kind)
            && crate::profiles::db::wants_email(&state.db, user_id, k.email_pref()).await?
        {
            wanted.push((k, r));
        }
    }
    if !wanted.is_empty() {
        let actors: Vec<i64> = wanted.iter().filter_map(|(_, r)| r.actor_id).collect();
        let names = crate::feed::db::select_authors(&state.db, &actors).await?;
        let name_of = |id: Option<i64>| {
            names
                .iter()
                .find(|a| Some(a.id) == id)
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
    if max_id > 0 {
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
