//! Server functions of certificates: thin adapters over `service`. Each states who may call it.

use super::{CertificateItem, CertificateView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::server::{auth, state},
};

/// The signed-in learner's certificates, newest first. Errors: `NotAuthenticated`.
#[server(endpoint = "certificates/mine")]
pub async fn my_certificates() -> Result<Vec<CertificateItem>, AppError> {
    service::mine(&state(), &auth::actor()?).await
}

/// A certificate as issued (its snapshot), and whether it was revoked. Anyone. Errors:
/// `NotFound` (an unknown or malformed code).
#[server(endpoint = "certificates/verify")]
pub async fn verify_certificate(code: String) -> Result<CertificateView, AppError> {
    service::verify(&state(), auth::current().as_ref(), &code).await
}

/// Revokes a certificate with a reason shown on its verification page; its PDF is no longer
/// served. Admins. Errors: `Validation` (`reason` empty or longer than 500 characters),
/// `NotAuthenticated`, `Forbidden`, `NotFound`, `Conflict(CertificateAlreadyRevoked)` (the first
/// revocation stays).
#[server(endpoint = "certificates/revoke")]
pub async fn revoke_certificate(code: String, reason: String) -> Result<(), AppError> {
    service::revoke(&state(), &auth::actor()?, &code, &reason).await
}
