//! SQL of payments: the orders table.

use super::OrderStatus;
use crate::ids::{OrderId, UserId};
use crate::server::db::Db;

/// A new order, as a checkout records it.
pub struct NewOrder<'a> {
    pub public_id: &'a str,
    pub buyer: UserId,
    pub item_type: &'a str,
    pub item_id: i64,
    pub title: &'a str,
    pub return_path: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub provider: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub id: OrderId,
    pub public_id: String,
    pub user_id: UserId,
    pub item_type: String,
    pub item_id: i64,
    pub title: String,
    pub return_path: String,
    pub amount_minor: i64,
    pub currency: String,
    pub provider: String,
    #[sqlx(try_from = "String")]
    pub status: OrderStatus,
    pub expires_at: i64,
}

const COLS: &str = "id, public_id, user_id, item_type, item_id, title, return_path, amount_minor, currency, provider, status, expires_at";

/// Records a pending order unless the buyer has one for this item (then `None`: at most one
/// pending order per buyer and item, by a unique partial index).
pub async fn insert_order(db: &Db, o: &NewOrder<'_>) -> sqlx::Result<Option<OrderId>> {
    let row: Option<(OrderId,)> = sqlx::query_as(
        "INSERT INTO orders (public_id, user_id, item_type, item_id, title, return_path, amount_minor, currency, provider, status, created_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $10) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(o.public_id)
    .bind(o.buyer)
    .bind(o.item_type)
    .bind(o.item_id)
    .bind(o.title)
    .bind(o.return_path)
    .bind(o.amount_minor)
    .bind(o.currency)
    .bind(o.provider)
    .bind(o.now)
    .bind(o.expires_at)
    .fetch_optional(db.w())
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn select_order(db: &Db, public_id: &str) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM orders WHERE public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(db.r())
    .await
}

/// The buyer's pending order for an item, if any.
pub async fn select_pending(
    db: &Db,
    buyer: UserId,
    item_type: &str,
    item_id: i64,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM orders WHERE item_type = $1 AND item_id = $2 AND user_id = $3 AND status = 'pending'"
    )))
    .bind(item_type)
    .bind(item_id)
    .bind(buyer)
    .fetch_optional(db.w())
    .await
}

/// Marks an order paid once: true only for the call that moved it from pending (and only
/// while it has not expired).
pub async fn mark_paid(db: &Db, public_id: &str, now: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE orders SET status = 'paid', paid_at = $1, updated_at = $1 \
         WHERE public_id = $2 AND status = 'pending' AND expires_at > $1",
    )
    .bind(now)
    .bind(public_id)
    .execute(db.w())
    .await?
    .rows_affected()
        == 1)
}

/// Moves a pending order to `to` (cancelled or expired); with `buyer`, only theirs. True for
/// the call that moved it.
pub async fn close_pending(
    db: &Db,
    public_id: &str,
    to: OrderStatus,
    buyer: Option<UserId>,
    now: i64,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE orders SET status = $1, updated_at = $2 \
         WHERE public_id = $3 AND status = 'pending' AND ($4 = 0 OR user_id = $4)",
    )
    .bind(to.code())
    .bind(now)
    .bind(public_id)
    .bind(buyer.map(|b| b.get()).unwrap_or(0))
    .execute(db.w())
    .await?
    .rows_affected()
        == 1)
}

/// Expires the buyer's overdue pending orders for an item (so that a new checkout may start).
pub async fn expire_overdue(
    db: &Db,
    buyer: UserId,
    item_type: &str,
    item_id: i64,
    now: i64,
) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE orders SET status = 'expired', updated_at = $1 \
         WHERE item_type = $2 AND item_id = $3 AND user_id = $4 AND status = 'pending' AND expires_at <= $1",
    )
    .bind(now)
    .bind(item_type)
    .bind(item_id)
    .bind(buyer)
    .execute(db.w())
    .await?
    .rows_affected())
}

/// Cancels every pending order for an item that is no longer sold (a deleted course).
pub async fn cancel_pending_for_item(
    db: &Db,
    item_type: &str,
    item_id: i64,
    now: i64,
) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE orders SET status = 'cancelled', updated_at = $1 \
         WHERE item_type = $2 AND item_id = $3 AND status = 'pending'",
    )
    .bind(now)
    .bind(item_type)
    .bind(item_id)
    .execute(db.w())
    .await?
    .rows_affected())
}
