//! Server functions of certificates. Each states who may call it.

use super::{CertificateItem, CertificateView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{REASON_MAX, code_well_formed, db, pdf_url},
    crate::accounts::Role,
    crate::error::Msg,
    crate::server::{now_ms, session, state},
};

/// The signed-in learner's certificates, newest first. Errors: `NotAuthenticated`.
#[server(endpoint = "certificates/mine")]
pub async fn my_certificates() -> Result<Vec<CertificateItem>, AppError> {
    let s = session::require_user()?;
    let st = state();
    let rows = db::list_for_user(&st.db, s.user_id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.course_id).collect();
    let courses = crate::courses::db::select_courses(&st.db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| CertificateItem {
            course_slug: courses
                .iter()
                .find(|c| c.id == r.course_id)
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

/// A certificate as issued (its snapshot), and whether it was revoked. Anyone. Errors:
/// `NotFound` (an unknown or malformed code).
#[server(endpoint = "certificates/verify")]
pub async fn verify_certificate(code: String) -> Result<CertificateView, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if !code_well_formed(&code) {
        return Err(AppError::NotFound);
    }
    let st = state();
    let r = db::select_by_code(&st.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let course_slug = crate::courses::db::select_course(&st.db, r.course_id)
        .await?
        .map(|c| c.slug)
        .unwrap_or_default();
    let admin = match session::current() {
        Some(s) => session::roles(&st, s.user_id).await?.contains(&Role::Admin),
        None => false,
    };
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
/// served. Admins. Errors: `Validation` (`reason` empty or longer than 500 characters),
/// `NotAuthenticated`, `Forbidden`, `NotFound`, `Conflict(CertificateAlreadyRevoked)` (the first
/// revocation stays).
#[server(endpoint = "certificates/revoke")]
pub async fn revoke_certificate(code: String, reason: String) -> Result<(), AppError> {
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
    let s = session::require_role(Role::Admin).await?;
    let st = state();
    let code = code.trim().to_ascii_uppercase();
    if db::revoke(&st.db, &code, reason, s.user_id, now_ms()).await? {
        tracing::info!(%code, by = s.user_id, "certificate revoked");
        return Ok(());
    }
    match db::select_by_code(&st.db, &code).await? {
        Some(_) => Err(AppError::Conflict(Msg::CertificateAlreadyRevoked)),
        None => Err(AppError::NotFound),
    }
}
