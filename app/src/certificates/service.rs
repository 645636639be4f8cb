//! Issuing certificates and producing their PDFs (server only).

use super::db::{self, CertificateRow, NewCertificate};
use super::{CODE_ALPHABET, pdf};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::{AppState, jobs, now_ms};

/// The job that renders and stores a certificate's PDF. Payload: `{"code": "TUT-…"}`.
pub const PDF_JOB: &str = "certificate_pdf";

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
    user_id: i64,
    course_id: i64,
) -> Result<Option<String>, AppError> {
    // Most calls come from completed lessons of learners who have not passed the exam.
    let Some((attempt_id, percent)) =
        crate::quizzes::api::final_exam_passed(st, course_id, user_id).await?
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
                PDF_JOB,
                &payload,
                Some(&format!("certificate:{code}")),
                5,
            )
            .await?;
            tracing::info!(user_id, course_id, %code, "certificate issued");
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
pub async fn issue_quietly(st: &AppState, user_id: i64, course_id: i64) -> Option<String> {
    match issue_if_eligible(st, user_id, course_id).await {
        Ok(code) => code,
        Err(e) => {
            tracing::warn!(error = %e, user_id, course_id, "issuing a certificate failed");
            None
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
        st.storage.put(&key, bytes).await?;
    }
    if c.pdf_key.as_deref() != Some(key.as_str()) {
        db::set_pdf_key(&st.db, c.id, &key).await?;
    }
    Ok(key)
}

/// The `certificate_pdf` job.
pub async fn run_pdf_job(st: &AppState, payload: &serde_json::Value) -> anyhow::Result<()> {
    let code = payload
        .get("code")
        .and_then(|c| c.as_str())
        .ok_or_else(|| anyhow::anyhow!("certificate_pdf job without a code"))?;
    // A certificate deleted with its course or learner leaves nothing to do.
    let Some(c) = db::select_by_code(&st.db, code).await? else {
        return Ok(());
    };
    ensure_pdf(st, &c).await?;
    Ok(())
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
