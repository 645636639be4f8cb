//! Signed, expiring links to private media (`/media/s/{token}/videos/{id}/…` for videos today),
//! and keys derived from the same secret (the sandbox payment webhook).
//!
//! The token signs the video's storage prefix and an expiry time with HMAC-SHA256, so relative
//! URLs inside HLS playlists (segments) stay covered by it. The key comes from MEDIA_SIGNING_KEY
//! or, by default, a random key kept in DATA_DIR/signing.key.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    pub fn new(key: &[u8]) -> Self {
        Signer { key: key.to_vec() }
    }

    /// The configured key, or the one in DATA_DIR/signing.key (created on first use).
    pub fn from_config(c: &crate::server::config::Config) -> anyhow::Result<Self> {
        if let Some(k) = c.media_signing_key.as_deref().filter(|k| k.len() >= 16) {
            return Ok(Signer::new(k.as_bytes()));
        }
        let path = c.data_dir.join("signing.key");
        if let Ok(k) = std::fs::read_to_string(&path)
            && k.trim().len() >= 32
        {
            return Ok(Signer::new(k.trim().as_bytes()));
        }
        std::fs::create_dir_all(&c.data_dir)?;
        let k = crate::server::random_token(32);
        std::fs::write(&path, &k)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(Signer::new(k.as_bytes()))
    }

    /// A 32-byte key for `purpose`, derived from the signing key (HMAC-SHA256 of the purpose):
    /// one secret, separate keys per use.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("hmac takes any key");
        m.update(b"derive|");
        m.update(purpose.as_bytes());
        m.finalize().into_bytes().into()
    }

    fn mac(&self, prefix: &str, expires_s: i64) -> String {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("hmac takes any key");
        m.update(prefix.as_bytes());
        m.update(b"|");
        m.update(expires_s.to_string().as_bytes());
        B64.encode(&m.finalize().into_bytes()[..18])
    }

    /// A token for `prefix` valid until `expires_s` (unix seconds).
    pub fn token(&self, prefix: &str, expires_s: i64) -> String {
        format!("{expires_s}.{}", self.mac(prefix, expires_s))
    }

    /// Whether `token` is a valid, unexpired signature of `prefix`.
    pub fn verify(&self, prefix: &str, token: &str, now_s: i64) -> bool {
        let Some((exp, sig)) = token.split_once('.') else {
            return false;
        };
        let Ok(exp) = exp.parse::<i64>() else {
            return false;
        };
        if exp < now_s {
            return false;
        }
        let Ok(given) = B64.decode(sig) else {
            return false;
        };
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("hmac takes any key");
        m.update(prefix.as_bytes());
        m.update(b"|");
        m.update(exp.to_string().as_bytes());
        let full = m.finalize().into_bytes();
        // Constant-time comparison of the truncated tag.
        given.len() == 18
            && given
                .iter()
                .zip(&full[..18])
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_for_their_prefix_and_until_they_expire() {
        let s = Signer::new(b"a test key that is long enough");
        let t = s.token("videos/abc", 1000);
        assert!(s.verify("videos/abc", &t, 999));
        assert!(!s.verify("videos/abd", &t, 999));
        assert!(!s.verify("videos/abc", &t, 1001));
        assert!(!s.verify("videos/abc", &t.replace("1000.", "2000."), 999));
        assert!(!Signer::new(b"another key, also long enough").verify("videos/abc", &t, 999));
        assert!(!s.verify("videos/abc", "garbage", 0));
    }
}
