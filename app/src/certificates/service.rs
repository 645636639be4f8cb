//! The use cases of certificates: issuing one in reaction to progress, listing and verifying
//! them, revoking one, and producing their PDFs (a job in the documents lane).
//!
//! Certificates react to `courses::ProgressChanged` (a lesson completed, a final exam passed):
//! courses and quizzes raise the event and never call certificates.

use super::db::{self, CertificateRow, NewCertificate};
use super::{CODE_ALPHABET, CertificateItem, CertificateMsg, CertificateView, REASON_MAX, pdf};
use super::{code_well_formed, pdf_url};
use crate::accounts::Role;
use crate::error::{AppError, Msg};
use crate::i18n::Locale;
use crate::ids::{CourseId, UserId};
use crate::server::auth::Actor;
use crate::server::hooks::Hooks;
use crate::server::jobs::{self, Job, JobFailure, JobHandler, JobKind, Lane};
use crate::server::media::MediaAccess;
use crate::server::{AppState, now_ms};

/// Renders and stores a certificate's PDF. Payload: `{"code": "TUT-…"}`.
pub const PDF_JOB: JobKind = JobKind {
    name: "certificate_pdf",
    lane: Lane::Documents,
    max_attempts: 5,
    scrub_payload: false,
};

/// Registers the PDF job, the reaction to progress and who may read stored PDFs.
pub fn register(hooks: &mut Hooks) {
    hooks.media("certificates", |st, key, _, _| {
        Box::pin(media_access(st, key))
    });
    hooks.job(JobHandler {
        kind: &PDF_JOB,
        timeout: |_| std::time::Duration::from_secs(60),
        run: |st, job, _| Box::pin(run_pdf_job(st, job)),
        on_failure: None,
    });
    hooks.on::<crate::courses::ProgressChanged>(|st, e| {
        Box::pin(async move {
            issue_quietly(st, e.learner, e.course).await;
            Ok(())
        })
    });
}

/// A new random code, `TUT-XXXX-XXXX-XXXX` (60 bits of entropy).
pub fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let mut group = || -> String {
        (0..4)
            .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
            .collect()
    };
    format!("TUT-{}-{}-{}", group(), group(), group())
}

/// Issues the learner's certificate for a course if they are enrolled, have completed every
/// lesson and have passed the course's final exam (a course without one issues none). Returns
/// the certificate's code: the new one, or the one issued before; `None` when not eligible.
/// Concurrent calls issue exactly one certificate; the new one's PDF is queued.
pub async fn issue_if_eligible(
    st: &AppState,
    user_id: UserId,
    course_id: CourseId,
) -> Result<Option<String>, AppError> {
    // Most calls come from completed lessons of learners who have not passed the exam.
    let Some((attempt_id, percent)) =
        crate::quizzes::service::final_exam_passed(st, course_id, user_id).await?
    else {
        return Ok(None);
    };
    if let Some(c) = db::select_for(&st.db, user_id, course_id).await? {
        return Ok(Some(c.code));
    }
    if crate::courses::db::enrollment(&st.db, course_id, user_id)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    let lessons = crate::courses::db::lessons(&st.db, course_id).await?;
    let done = crate::courses::db::completed_lessons(&st.db, user_id, course_id).await?;
    if lessons.is_empty() || lessons.iter().any(|l| !done.contains(&l.id)) {
        return Ok(None);
    }
    let course = crate::courses::db::select_course(&st.db, course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let learner = crate::accounts::db::select_user(&st.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let tutor = crate::accounts::db::select_user(&st.db, course.author_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    // A taken code (one chance in ~10^18) inserts nothing either: try another.
    for _ in 0..3 {
        let code = new_code();
        let new = NewCertificate {
            code: &code,
            user_id,
            course_id,
            attempt_id,
            learner_name: &learner.display_name,
            course_title: &course.title,
            tutor_name: &tutor,
            score_percent: i64::from(percent),
            issued_at: now_ms(),
        };
        if db::insert_certificate(&st.db, &new).await?.is_some() {
            let payload = serde_json::json!({ "code": code });
            jobs::enqueue(
                &st.db,
                &PDF_JOB,
                &payload,
                Some(&format!("certificate:{code}")),
            )
            .await?;
            tracing::info!(%user_id, %course_id, %code, "certificate issued");
            return Ok(Some(code));
        }
        if let Some(c) = db::select_for(&st.db, user_id, course_id).await? {
            return Ok(Some(c.code));
        }
    }
    Err(AppError::Internal)
}

/// [`issue_if_eligible`] for triggers whose own work is already done (a submit, a completed
/// lesson): a failure is logged, not returned, so the learner's action still succeeds; the next
/// trigger tries again.
pub async fn issue_quietly(st: &AppState, user_id: UserId, course_id: CourseId) -> Option<String> {
    match issue_if_eligible(st, user_id, course_id).await {
        Ok(code) => code,
        Err(e) => {
            tracing::warn!(error = %e, %user_id, %course_id, "issuing a certificate failed");
            None
        }
    }
}

/// `/media/certificates/{code}.pdf`, the stored copy: the same answer as
/// `/certificates/{code}.pdf` — public while valid, 410 once revoked, 404 for unknown codes.
async fn media_access(st: &AppState, key: &str) -> MediaAccess {
    let Some(code) = key
        .strip_prefix("certificates/")
        .and_then(|k| k.strip_suffix(".pdf"))
        .filter(|c| code_well_formed(c))
    else {
        return MediaAccess::Missing;
    };
    match db::select_by_code(&st.db, code).await {
        Ok(Some(c)) if c.revoked_at.is_some() => MediaAccess::Gone,
        Ok(Some(_)) => MediaAccess::Public,
        Ok(None) => MediaAccess::Missing,
        Err(e) => {
            tracing::error!(error = %e, "reading a certificate failed");
            MediaAccess::Denied
        }
    }
}

/// The storage key of a certificate's PDF.
pub fn pdf_key(code: &str) -> String {
    format!("certificates/{code}.pdf")
}

/// Renders the certificate (on a blocking thread: it is CPU work), in the learner's language.
pub async fn render_pdf(st: &AppState, c: &CertificateRow) -> anyhow::Result<Vec<u8>> {
    let locale = crate::accounts::db::select_user(&st.db, c.user_id)
        .await?
        .and_then(|u| Locale::from_code(&u.locale))
        .unwrap_or_default();
    let verify_url = format!("{}/certificates/{}", st.config.base_url(), c.code);
    let issued_on = crate::ui::format_date(c.issued_at, locale);
    let c = c.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        pdf::render(&pdf::CertificateData {
            learner_name: &c.learner_name,
            course_title: &c.course_title,
            tutor_name: &c.tutor_name,
            issued_on: &issued_on,
            score_percent: u32::try_from(c.score_percent).unwrap_or(0),
            code: &c.code,
            verify_url: &verify_url,
            locale_ru: locale == Locale::Ru,
        })
    })
    .await?
    .map_err(|e| anyhow::anyhow!("rendering certificate PDF: {e}"))?;
    Ok(bytes)
}

/// Makes sure the certificate's PDF is in storage and recorded; returns its key. Idempotent:
/// a stored PDF is neither rendered nor written again.
pub async fn ensure_pdf(st: &AppState, c: &CertificateRow) -> anyhow::Result<String> {
    let key = pdf_key(&c.code);
    if !st.storage.exists(&key).await? {
        let bytes = render_pdf(st, c).await?;
        st.storage.put_new(&key, bytes).await?;
    }
    if c.pdf_key.as_deref() != Some(key.as_str()) {
        db::set_pdf_key(&st.db, c.id, &key).await?;
    }
    Ok(key)
}

/// The `certificate_pdf` job.
async fn run_pdf_job(st: &AppState, job: &Job) -> Result<(), JobFailure> {
    let payload = job.payload_json();
    let code = payload
        .get("code")
        .and_then(|c| c.as_str())
        .ok_or_else(|| {
            JobFailure::permanent("bad_payload", "certificate_pdf job without a code")
        })?;
    store_pdf(st, code).await?;
    Ok(())
}

/// What the PDF job does: renders and stores the PDF of the certificate with this code (once).
/// A certificate deleted with its learner leaves nothing to do.
pub async fn store_pdf(st: &AppState, code: &str) -> anyhow::Result<()> {
    let Some(c) = db::select_by_code(&st.db, code).await? else {
        return Ok(());
    };
    ensure_pdf(st, &c).await?;
    Ok(())
}

/// The actor's certificates, newest first.
pub async fn mine(st: &AppState, actor: &Actor) -> Result<Vec<CertificateItem>, AppError> {
    let rows = db::list_for_user(&st.db, actor.user).await?;
    let ids: Vec<CourseId> = rows.iter().filter_map(|r| r.course_id).collect();
    let courses = crate::courses::db::select_courses(&st.db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| CertificateItem {
            course_slug: courses
                .iter()
                .find(|c| Some(c.id) == r.course_id)
                .map(|c| c.slug.clone())
                .unwrap_or_default(),
            pdf_url: pdf_url(&r.code),
            score_percent: u32::try_from(r.score_percent).unwrap_or(0),
            revoked: r.revoked_at.is_some(),
            code: r.code,
            course_title: r.course_title,
            issued_at: r.issued_at,
        })
        .collect())
}

/// A certificate as issued (its snapshot) and whether it was revoked; `NotFound` for an
/// unknown or malformed code. Anyone may verify.
pub async fn verify(
    st: &AppState,
    viewer: Option<&Actor>,
    code: &str,
) -> Result<CertificateView, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if !code_well_formed(&code) {
        return Err(AppError::NotFound);
    }
    let r = db::select_by_code(&st.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let course_slug = match r.course_id {
        Some(c) => crate::courses::db::select_course(&st.db, c)
            .await?
            .map(|c| c.slug)
            .unwrap_or_default(),
        None => String::new(),
    };
    let admin = viewer.is_some_and(|a| a.is_admin());
    Ok(CertificateView {
        pdf_url: pdf_url(&r.code),
        can_revoke: admin && r.revoked_at.is_none(),
        revoked: r
            .revoked_at
            .map(|at| (at, r.revoked_reason.clone().unwrap_or_default())),
        score_percent: u32::try_from(r.score_percent).unwrap_or(0),
        code: r.code,
        learner_name: r.learner_name,
        course_title: r.course_title,
        course_slug,
        tutor_name: r.tutor_name,
        issued_at: r.issued_at,
    })
}

/// Revokes a certificate with a reason shown on its verification page; its PDF is no longer
/// served. Admins. The first revocation stays.
pub async fn revoke(
    st: &AppState,
    actor: &Actor,
    code: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", Msg::Required));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::field(
            "reason",
            Msg::TooLong {
                max: REASON_MAX as u32,
            },
        ));
    }
    actor.require(Role::Admin)?;
    let code = code.trim().to_ascii_uppercase();
    let mut tx = st.db.w().begin().await?;
    if db::revoke(&mut *tx, &code, reason, actor.user, now_ms()).await? {
        let entry = crate::audit::Entry {
            target_label: code.clone(),
            ..crate::audit::Entry::user(crate::audit::Action::CertificateRevoked, actor.user)
        };
        let entry = crate::audit::Entry {
            target_kind: "certificate",
            target_id: None,
            ..entry
        }
        .reason(reason);
        crate::audit::record(&mut tx, &crate::audit::By::actor(actor), entry).await?;
        tx.commit().await?;
        tracing::info!(%code, by = %actor.user, "certificate revoked");
        return Ok(());
    }
    drop(tx);
    match db::select_by_code(&st.db, &code).await? {
        Some(_) => Err(AppError::conflict(CertificateMsg::AlreadyRevoked)),
        None => Err(AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_codes_are_well_formed_and_differ() {
        let a = new_code();
        assert!(super::super::code_well_formed(&a), "{a}");
        assert_ne!(a, new_code());
    }
}
