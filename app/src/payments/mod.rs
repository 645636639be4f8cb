//! Payments: orders for anything the platform sells, paid through a provider.
//!
//! An order buys an item of some kind, named by the feature that sells it (`course` today;
//! event tickets, lessons, lesson packages and balance top-ups next) and snapshots what was
//! bought (title, price, where to go afterwards). The feature that sells an item fulfils it when
//! payments raises [`OrderPaid`] (courses enroll the buyer).
//!
//! The default provider is a sandbox: it shows a checkout page with a "pay" button and
//! confirms the payment with a signed webhook — the same path a real provider's webhook takes
//! (Stripe-style: HMAC-SHA256 of the body).
//!
//! Invariants:
//! - an order is paid once (a conditional update from `pending`), and a paid order is
//!   fulfilled at most once however many times the confirmation arrives (the fulfilment is
//!   idempotent: an enrollment is one row);
//! - at most one pending order per buyer and item (a unique partial index): a double click or
//!   a retried checkout finds the one there is;
//! - an unpaid order expires after `ORDER_TTL_MINUTES` (a job at its `expires_at`; reads treat
//!   an overdue pending order as expired before the job has run): it can no longer be paid,
//!   and the buyer starts again;
//! - statuses are checked in Rust (`OrderStatus`), so new ones need no migration.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod messages;
pub mod pages;
#[cfg(feature = "ssr")]
mod provider;
#[cfg(feature = "ssr")]
pub mod service;

pub use messages::PaymentMsg;
#[cfg(feature = "ssr")]
pub use provider::{Provider, Sandbox};

use serde::{Deserialize, Serialize};

crate::codes! {
    /// Where an order stands.
    pub enum OrderStatus {
        Pending = "pending",
        Paid = "paid",
        /// The buyer or the provider cancelled it before it was paid.
        Cancelled = "cancelled",
        /// It waited too long for its payment.
        Expired = "expired",
        Refunded = "refunded",
        PartiallyRefunded = "partially_refunded",
    }
}

/// What the checkout page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub public_id: String,
    /// What is bought (e.g. the course's title when the order was made).
    pub title: String,
    /// Where the buyer goes once it is paid (e.g. `/courses/{slug}`).
    pub return_path: String,
    pub amount_minor: i64,
    pub currency: String,
    pub status: OrderStatus,
    pub provider: String,
    pub expires_at: i64,
}

/// The event a provider's webhook delivers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub order: String,
    /// "paid" or "cancelled"
    pub status: String,
}

/// Raised once an order is paid (again for a repeated confirmation: fulfilment must be
/// idempotent). The feature that sells `item_type` fulfils it.
#[derive(Clone, Debug)]
pub struct OrderPaid {
    pub order: crate::ids::OrderId,
    pub buyer: crate::ids::UserId,
    pub item_type: String,
    pub item_id: i64,
}
