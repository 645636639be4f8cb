//! Per-person storage quotas: what someone may keep in uploads (`STORAGE_QUOTA_MB`), summed
//! over the storage meters features register (videos, lesson files). Uploads ask [`reserve`]
//! before storing anything.
//!
//! The check and the upload are two steps, so uploads started at the same moment may together
//! pass the quota by what they carry; each one alone never does, and the next is refused.

use super::AppState;
use crate::error::{AppError, Msg};
use crate::ids::UserId;

const MIB: i64 = 1024 * 1024;

/// What `user` keeps now and may keep, in bytes: (used, quota).
pub async fn usage(st: &AppState, user: UserId) -> Result<(i64, i64), AppError> {
    let mut used = 0i64;
    for meter in st.hooks.storage_meters() {
        used = used.saturating_add(meter(st, user).await?);
    }
    let quota = i64::try_from(st.config.storage_quota_mb)
        .unwrap_or(i64::MAX / MIB)
        .saturating_mul(MIB);
    Ok((used, quota))
}

/// Refuses an upload of `bytes` that would take `user` past their quota
/// (`Validation` on `field`: `StorageFull` with what is used).
pub async fn reserve(st: &AppState, user: UserId, bytes: i64, field: &str) -> Result<(), AppError> {
    let (used, quota) = usage(st, user).await?;
    if used.saturating_add(bytes) <= quota {
        return Ok(());
    }
    let mb = |b: i64| u32::try_from((b + MIB - 1) / MIB).unwrap_or(u32::MAX);
    Err(AppError::field(
        field,
        Msg::StorageFull {
            used_mb: mb(used),
            quota_mb: mb(quota),
        },
    ))
}
