//! Password hashing with argon2id (OWASP: m = 19 MiB, t = 2, p = 1) and strength checks, off the
//! async runtime.
//!
//! Each hash takes ~20–40 ms of one core and 19 MiB, so hashing runs on the blocking pool behind a
//! semaphore sized to the number of cores: a burst of log-ins queues here instead of starving the
//! runtime that serves every other request.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

fn hasher() -> Argon2<'static> {
    // OWASP minimum for argon2id; the PHC string records them, so they can be raised later.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn permits() -> &'static Semaphore {
    static SEM: OnceLock<Semaphore> = OnceLock::new();
    SEM.get_or_init(|| {
        let n = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Semaphore::new(n)
    })
}

/// A hash of a password nobody has, to spend the same time when an e-mail has no account.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_blocking("not-a-real-password-0000").expect("hash"))
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?
        .to_string())
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Hashes a password on the blocking pool.
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _permit = permits().acquire().await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// Checks a new password's strength ([`super::strength::check_password`]) on the blocking pool,
/// behind the same permits as hashing: a flood of sign-ups queues instead of stalling the runtime.
pub async fn check_strength(
    password: String,
    email: String,
    name: String,
) -> anyhow::Result<Result<(), crate::error::Msg>> {
    let _permit = permits().acquire().await?;
    Ok(tokio::task::spawn_blocking(move || {
        super::strength::check_password(&password, &email, &name)
    })
    .await?)
}

/// Checks a password against a stored hash on the blocking pool. With no hash (unknown e-mail)
/// it checks against a dummy hash so that the answer takes as long as for a real account.
pub async fn verify(password: String, phc: Option<String>) -> anyhow::Result<bool> {
    let _permit = permits().acquire().await?;
    tokio::task::spawn_blocking(move || match phc {
        Some(h) => verify_blocking(&password, &h),
        None => {
            let _ = verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await
    .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password_and_uses_argon2id_owasp_params() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
