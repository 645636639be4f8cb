//! Per-person storage quotas: what someone may keep in uploads (`STORAGE_QUOTA_MB`), summed
//! over the storage meters features register (videos, lesson files). Uploads ask [`reserve`]
//! before storing anything.
//!
//! The check and the upload's row are two steps; [`reserve`] returns a [`Reserved`] turn that
//! serialises one person's reservations in this process until the row that counts is written,
//! so uploads started at the same moment cannot pass the quota together. (Several server
//! processes each keep their own turns: then two simultaneous uploads may exceed it by one.)

use super::AppState;
use crate::error::{AppError, Msg};
use crate::ids::UserId;

const MIB: i64 = 1024 * 1024;

type Turns =
    std::sync::Mutex<std::collections::HashMap<UserId, std::sync::Arc<tokio::sync::Mutex<()>>>>;

fn turns() -> &'static Turns {
    static TURNS: std::sync::OnceLock<Turns> = std::sync::OnceLock::new();
    TURNS.get_or_init(Default::default)
}

/// One person's turn to reserve space: hold it until the upload's row (which the meters count)
/// is written.
pub struct Reserved {
    user: UserId,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Reserved {
    fn drop(&mut self) {
        // Forget the person's lock when nobody else waits for it (the map stays small).
        if let Ok(mut map) = turns().lock()
            && map
                .get(&self.user)
                .is_some_and(|m| std::sync::Arc::strong_count(m) <= 2)
        {
            map.remove(&self.user);
        }
    }
}

async fn turn(user: UserId) -> tokio::sync::OwnedMutexGuard<()> {
    let lock = {
        let mut map = turns().lock().unwrap_or_else(|e| e.into_inner());
        map.entry(user).or_default().clone()
    };
    lock.lock_owned().await
}

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
/// (`Validation` on `field`: `StorageFull` with what is used); else the turn to hold until the
/// upload's row is written.
pub async fn reserve(
    st: &AppState,
    user: UserId,
    bytes: i64,
    field: &str,
) -> Result<Reserved, AppError> {
    let guard = turn(user).await;
    let (used, quota) = usage(st, user).await?;
    if used.saturating_add(bytes) <= quota {
        return Ok(Reserved {
            user,
            _guard: guard,
        });
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
