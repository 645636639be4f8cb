//! Payment providers behind one interface; the sandbox is the default.

use super::WebhookEvent;
use crate::server::AppState;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A payment provider.
pub trait Provider: Send + Sync {
    fn name(&self) -> &'static str;
    /// Where the buyer goes to pay for an order.
    fn checkout_url(&self, order_public_id: &str) -> String;
    /// Checks a webhook's signature and reads its event.
    fn verify(&self, body: &[u8], signature: &str) -> Option<WebhookEvent>;
}

/// The default provider: pays on a button press; webhooks signed with the platform's key.
pub struct Sandbox {
    key: Vec<u8>,
}

impl Sandbox {
    pub fn new(state: &AppState) -> Self {
        // The webhook secret is derived from the media signing key (MEDIA_SIGNING_KEY, or the
        // random key in DATA_DIR/signing.key) — never from anything public such as a path.
        Sandbox {
            key: format!(
                "sandbox-webhook:{}",
                state.signer.token("sandbox-webhook", 0)
            )
            .into_bytes(),
        }
    }

    pub fn sign(&self, body: &[u8]) -> String {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("hmac takes any key");
        m.update(body);
        format!("sha256={}", hex::encode(m.finalize().into_bytes()))
    }
}

impl Provider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }
    fn checkout_url(&self, order: &str) -> String {
        format!("/checkout/{order}")
    }
    fn verify(&self, body: &[u8], signature: &str) -> Option<WebhookEvent> {
        let hex_sig = signature.strip_prefix("sha256=")?;
        let given = hex::decode(hex_sig).ok()?;
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).ok()?;
        m.update(body);
        m.verify_slice(&given).ok()?;
        serde_json::from_slice(body).ok()
    }
}
