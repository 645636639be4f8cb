//! The use cases of payments: starting a checkout for an item, confirming or cancelling an
//! order (from the provider's webhook or the sandbox's buttons), and expiring unpaid orders.

use super::db::{self, NewOrder, OrderRow};
use super::{OrderPaid, OrderStatus, OrderView, PaymentMsg, Provider, Sandbox, WebhookEvent};
use crate::error::AppError;
use crate::server::auth::Actor;
use crate::server::hooks::{self, Hooks};
use crate::server::jobs::{self, Job, JobFailure, JobHandler, JobKind, Lane};
use crate::server::{AppState, now_ms};

/// Expires one order when its time is up. Payload: `{"order": public id}`.
pub const EXPIRE_JOB: JobKind = JobKind {
    name: "payments.expire_order",
    lane: Lane::Messages,
    max_attempts: 5,
    scrub_payload: false,
};

/// Registers the expiry job.
pub fn register(hooks: &mut Hooks) {
    hooks.job(JobHandler {
        kind: &EXPIRE_JOB,
        timeout: |_| std::time::Duration::from_secs(30),
        run: |st, job, _| Box::pin(run_expire(st, job)),
        on_failure: None,
    });
}

/// The provider buyers pay through, if the platform has one: today only the sandbox, and only
/// when `PAYMENTS_SANDBOX` is on. Real providers plug in here.
pub fn provider(st: &AppState) -> Option<Sandbox> {
    test_payments(st).then(|| Sandbox::new(st))
}

/// Whether payments are test payments (the sandbox is on): every page says so.
pub fn test_payments(st: &AppState) -> bool {
    st.config.payments_sandbox
}

/// What a feature sells through a checkout.
pub struct Item<'a> {
    /// The selling feature's name for the kind of item: "course".
    pub kind: &'a str,
    pub id: i64,
    pub title: &'a str,
    /// Where the buyer goes once it is paid.
    pub return_path: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
}

/// Starts (or resumes) the actor's checkout of an item; returns where to pay. A second call
/// while the first order waits gives the same order.
pub async fn start_checkout(
    st: &AppState,
    actor: &Actor,
    item: &Item<'_>,
) -> Result<String, AppError> {
    actor.require_confirmed()?;
    let provider = provider(st).ok_or(AppError::conflict(PaymentMsg::NoProvider))?;
    let now = now_ms();
    db::expire_overdue(&st.db, actor.user, item.kind, item.id, now).await?;
    if let Some(o) = db::select_pending(&st.db, actor.user, item.kind, item.id).await? {
        return Ok(provider.checkout_url(&o.public_id));
    }
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let expires_at = now + st.config.order_ttl_minutes * 60_000;
    let new = NewOrder {
        public_id: &public_id,
        buyer: actor.user,
        item_type: item.kind,
        item_id: item.id,
        title: item.title,
        return_path: item.return_path,
        amount_minor: item.amount_minor,
        currency: item.currency,
        provider: provider.name(),
        now,
        expires_at,
    };
    if db::insert_order(&st.db, &new).await?.is_none() {
        // A concurrent checkout of the same item by the same buyer made the order first.
        let o = db::select_pending(&st.db, actor.user, item.kind, item.id)
            .await?
            .ok_or(AppError::Internal)?;
        return Ok(provider.checkout_url(&o.public_id));
    }
    let payload = serde_json::json!({ "order": public_id });
    jobs::enqueue_at(
        &st.db,
        &EXPIRE_JOB,
        &payload,
        Some(&format!("order:{public_id}")),
        expires_at,
    )
    .await?;
    Ok(provider.checkout_url(&public_id))
}

/// The status a reader should see: an overdue pending order is expired, job or not.
fn effective_status(o: &OrderRow, now: i64) -> OrderStatus {
    if o.status == OrderStatus::Pending && o.expires_at <= now {
        OrderStatus::Expired
    } else {
        o.status
    }
}

/// The buyer's order of this public id (someone else's is `NotFound`).
async fn own_order(st: &AppState, actor: &Actor, id: &str) -> Result<OrderRow, AppError> {
    match db::select_order(&st.db, id).await? {
        Some(o) if o.user_id == actor.user => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

/// An order of the actor, for the checkout page.
pub async fn order(st: &AppState, actor: &Actor, id: &str) -> Result<OrderView, AppError> {
    let o = own_order(st, actor, id).await?;
    Ok(OrderView {
        status: effective_status(&o, now_ms()),
        public_id: o.public_id,
        title: o.title,
        return_path: o.return_path,
        amount_minor: o.amount_minor,
        currency: o.currency,
        provider: o.provider,
        expires_at: o.expires_at,
    })
}

/// Applies a verified provider event: a paid order is fulfilled (`OrderPaid`), a cancelled one
/// closed. Repeating an event changes nothing.
pub async fn apply(st: &AppState, event: &WebhookEvent) -> Result<(), AppError> {
    let order = db::select_order(&st.db, &event.order)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    match event.status.as_str() {
        "paid" => {
            db::mark_paid(&st.db, &order.public_id, now).await?;
            // Whether this call or an earlier one marked it paid, fulfilment is idempotent.
            if let Some(o) = db::select_order(&st.db, &order.public_id).await?
                && o.status == OrderStatus::Paid
            {
                hooks::emit(
                    st,
                    OrderPaid {
                        order: o.id,
                        buyer: o.user_id,
                        item_type: o.item_type,
                        item_id: o.item_id,
                    },
                )
                .await?;
            }
        }
        "cancelled" => {
            db::close_pending(&st.db, &order.public_id, OrderStatus::Cancelled, None, now).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The sandbox's "pay" button: the sandbox confirms through its signed webhook path. Returns
/// where the buyer goes next. The buyer only; an expired or cancelled order cannot be paid.
pub async fn sandbox_pay(st: &AppState, actor: &Actor, id: &str) -> Result<String, AppError> {
    let provider = provider(st).ok_or(AppError::NotFound)?;
    actor.require_confirmed()?;
    let o = own_order(st, actor, id).await?;
    match effective_status(&o, now_ms()) {
        OrderStatus::Pending | OrderStatus::Paid => {}
        OrderStatus::Expired => return Err(AppError::conflict(PaymentMsg::OrderExpired)),
        _ => return Err(AppError::conflict(PaymentMsg::OrderClosed)),
    }
    let body = serde_json::to_vec(&WebhookEvent {
        order: o.public_id.clone(),
        status: "paid".into(),
    })
    .map_err(|_| AppError::Internal)?;
    let event = provider
        .verify(&body, &provider.sign(&body))
        .ok_or(AppError::Internal)?;
    apply(st, &event).await?;
    Ok(o.return_path)
}

/// The buyer cancels a pending order (the checkout page's "Cancel").
pub async fn cancel(st: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
    let o = own_order(st, actor, id).await?;
    if !db::close_pending(
        &st.db,
        &o.public_id,
        OrderStatus::Cancelled,
        Some(actor.user),
        now_ms(),
    )
    .await?
        && o.status == OrderStatus::Paid
    {
        return Err(AppError::conflict(PaymentMsg::OrderClosed));
    }
    Ok(())
}

/// An item is no longer sold (a course was deleted): its pending orders are cancelled, so
/// nobody pays for it.
pub async fn withdraw_item(st: &AppState, kind: &str, id: i64) -> Result<(), AppError> {
    db::cancel_pending_for_item(&st.db, kind, id, now_ms()).await?;
    Ok(())
}

async fn run_expire(st: &AppState, job: &Job) -> Result<(), JobFailure> {
    let id = job.payload_json()["order"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some(o) = db::select_order(&st.db, &id).await? else {
        return Ok(());
    };
    let now = now_ms();
    if o.status != OrderStatus::Pending {
        return Ok(());
    }
    if o.expires_at > now {
        return Err(JobFailure::retry("not due yet"));
    }
    db::close_pending(&st.db, &id, OrderStatus::Expired, None, now).await?;
    Ok(())
}
