//! Payments behind a provider interface. The default provider is a sandbox: it records an order,
//! shows a checkout page with a "pay" button, and confirms the payment with a signed webhook —
//! the same path a real provider's webhook takes (Stripe-style: HMAC-SHA256 of the body).
//!
//! Invariants: an order is paid once (a conditional update from `pending`); an enrollment comes
//! only from a paid order, and only once, however many times the confirmation arrives.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

/// What the checkout page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub public_id: String,
    pub course_slug: String,
    pub course_title: String,
    pub amount_minor: i64,
    pub currency: String,
    pub status: String,
    pub provider: String,
}

/// The event a provider's webhook delivers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub order: String,
    /// "paid" or "cancelled"
    pub status: String,
}

#[cfg(feature = "ssr")]
mod server {
    use super::WebhookEvent;
    use crate::courses::db::{self, CourseRow};
    use crate::error::AppError;
    use crate::server::{AppState, now_ms};
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

    /// Records a pending order and returns where to pay.
    pub async fn start_checkout(
        state: &AppState,
        user: i64,
        course: &CourseRow,
    ) -> Result<String, AppError> {
        let provider = Sandbox::new(state);
        let public_id = uuid::Uuid::new_v4().simple().to_string();
        db::insert_order(
            &state.db,
            &db::NewOrder {
                public_id: &public_id,
                user,
                course: course.id,
                amount_minor: course.price_minor,
                currency: &course.currency,
                provider: provider.name(),
                now: now_ms(),
            },
        )
        .await?;
        Ok(provider.checkout_url(&public_id))
    }

    /// Applies a verified event: a paid order enrolls its buyer, once.
    pub async fn apply(state: &AppState, event: &WebhookEvent) -> Result<(), AppError> {
        let order = db::select_order(&state.db, &event.order)
            .await?
            .ok_or(AppError::NotFound)?;
        if event.status != "paid" {
            return Ok(());
        }
        let now = now_ms();
        db::mark_paid(&state.db, &order.public_id, now).await?;
        // Whether this call or an earlier one marked it paid, the enrollment is made at most once.
        if let Some(o) = db::select_order(&state.db, &order.public_id).await?
            && o.status == "paid"
        {
            db::enroll(&state.db, o.course_id, o.user_id, Some(o.id), now).await?;
        }
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use server::*;
