//! Server-only infrastructure shared by the features: configuration, application state, the
//! database and its SQL helpers, sessions and who is acting, storage, mail, rate limits, jobs,
//! the live bus and the hooks features register. Compiled only with the `ssr` feature.
//!
//! Nothing here names a feature: features register their job kinds, reactions and routes
//! (`crate::wiring`), and the worker, the bus and the router dispatch by name.

pub mod auth;
pub mod bus;
pub mod cache;
pub mod config;
pub mod db;
pub mod hooks;
pub mod images;
pub mod jobs;
pub mod mail;
pub mod media;
pub mod quota;
pub mod rate_limit;
pub mod request;
pub mod search;
pub mod session;
pub mod signing;
pub mod sql;
pub mod state;
pub mod storage;
pub mod streams;
pub mod uploads;
pub mod worker;

pub use state::{AppState, state};

/// Unix time in milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A random URL-safe token with `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256 of a secret, for storing tokens and codes.
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}
