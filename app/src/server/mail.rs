//! Outgoing mail: SMTP through lettre when SMTP_URL is set; otherwise each mail is written to the
//! outbox folder as an .eml file (and logged), so every flow works with nothing installed.
//! With SMTP nothing of a mail but its recipient reaches the log: subjects and bodies carry
//! confirmation codes and reset links.
//! Sending happens off the request path: [`queue`] makes a `mail.send` job in the messages lane
//! (retried when the SMTP server is away; its payload — a code or a reset link — is emptied once
//! sent), and digests send from their own job.

use super::AppState;
use super::hooks::Hooks;
use super::jobs::{self, Job, JobFailure, JobHandler, JobKind, Lane};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;

/// A mail to send: plain text plus an HTML alternative.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

enum Transport {
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

struct Inner {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn new(config: &super::config::Config) -> anyhow::Result<Self> {
        let from: Mailbox = config.mail_from.parse()?;
        let transport = match &config.smtp_url {
            Some(url) if !url.is_empty() => {
                Transport::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())
            }
            _ => {
                let dir = config.outbox_dir();
                std::fs::create_dir_all(&dir)?;
                Transport::Outbox(dir)
            }
        };
        Ok(Mailer {
            inner: Arc::new(Inner { from, transport }),
        })
    }

    fn build(&self, mail: &Mail) -> anyhow::Result<Message> {
        // lettre picks the transfer encoding (7bit, quoted-printable or base64) per part.
        let text = SinglePart::plain(mail.text.clone());
        let html = SinglePart::html(mail.html.clone());
        Ok(Message::builder()
            .from(self.inner.from.clone())
            .to(mail.to.parse()?)
            .subject(mail.subject.clone())
            .multipart(MultiPart::alternative().singlepart(text).singlepart(html))?)
    }

    /// Sends now and waits for the result.
    pub async fn send_now(&self, mail: &Mail) -> anyhow::Result<()> {
        let message = self.build(mail)?;
        match &self.inner.transport {
            Transport::Smtp(t) => {
                t.send(message).await?;
                // Not the subject: it may carry a confirmation code.
                tracing::info!(to = %mail.to, "mail sent by SMTP");
            }
            Transport::Outbox(dir) => {
                let safe_to: String = mail
                    .to
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '@' || c == '.' || c == '-' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let name = format!(
                    "{}-{}-{}.eml",
                    super::now_ms(),
                    safe_to,
                    &uuid::Uuid::new_v4().simple().to_string()[..8]
                );
                let path = dir.join(&name);
                // Written under a temporary name first, so a reader never sees half a mail.
                let tmp = dir.join(format!("{name}.tmp"));
                tokio::fs::write(&tmp, message.formatted()).await?;
                tokio::fs::rename(&tmp, &path).await?;
                tracing::info!(to = %mail.to, subject = %mail.subject, path = %path.display(), "mail written to outbox\n{}", mail.text);
            }
        }
        Ok(())
    }
}

/// Sends one queued mail. Payload: the [`Mail`].
pub const SEND_JOB: JobKind = JobKind {
    name: "mail.send",
    lane: Lane::Messages,
    max_attempts: 8,
    scrub_payload: true,
};

/// Queues a mail: it goes out from the messages lane, within a moment.
pub async fn queue(state: &AppState, mail: &Mail) -> Result<(), crate::error::AppError> {
    let payload = serde_json::to_value(mail).map_err(|_| crate::error::AppError::Internal)?;
    jobs::enqueue(&state.db, &SEND_JOB, &payload, None).await?;
    Ok(())
}

/// Registers the mail job.
pub fn register(hooks: &mut Hooks) {
    hooks.job(JobHandler {
        kind: &SEND_JOB,
        timeout: |_| std::time::Duration::from_secs(60),
        run: |st, job, _| Box::pin(run_send(st, job)),
        on_failure: None,
    });
}

async fn run_send(state: &AppState, job: &Job) -> Result<(), JobFailure> {
    let mail: Mail = serde_json::from_str(&job.payload)
        .map_err(|e| JobFailure::permanent("bad_payload", e.to_string()))?;
    state.mailer.send_now(&mail).await?;
    Ok(())
}

/// Escapes text for HTML mail bodies.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Wraps paragraphs into the house HTML mail layout.
pub fn html_layout(title: &str, body_html: &str) -> String {
    format!(
        "<!doctype html><html><body style=\"margin:0;background:#f4f5fb;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c1d2b\">\
<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" style=\"padding:32px 12px\">\
<table width=\"560\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#fff;border-radius:12px;padding:32px\"><tr><td>\
<p style=\"font-size:20px;font-weight:700;color:#4f46e5;margin:0 0 24px\">Tutorium</p>\
<h1 style=\"font-size:22px;margin:0 0 16px\">{}</h1>{}\
</td></tr></table></td></tr></table></body></html>",
        escape_html(title),
        body_html
    )
}
