//! Who may watch a video: one policy for the player's links, the media route and every feature
//! that shows a video (posts, lessons).
//!
//! A public, ready video: anyone. Otherwise the owner and admins — and whoever holds a signed
//! link, which the feature that shows a private video (a lesson) hands out to those it lets in.

use super::db::VideoRow;
use super::{Status, Visibility};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::auth::Actor;
use crate::server::media::MediaAccess;
use crate::server::now_ms;

/// Whether `viewer` may watch `v` without a signed link.
pub async fn may_watch(
    _state: &AppState,
    v: &VideoRow,
    viewer: Option<&Actor>,
) -> Result<bool, AppError> {
    if let Some(a) = viewer
        && (a.user == v.owner_id || a.is_admin())
    {
        return Ok(true);
    }
    Ok(open_to_all(v))
}

/// A public, ready video: anyone may watch it.
fn open_to_all(v: &VideoRow) -> bool {
    v.visibility == Visibility::Public && v.status == Status::Ready
}

/// The media policy of `videos/{public_id}/…`: public for public, ready videos; otherwise a
/// valid signed link, the owner or an admin; anyone else is refused.
pub async fn media_access(
    state: &AppState,
    key: &str,
    token: Option<&str>,
    viewer: Option<&Actor>,
) -> MediaAccess {
    let Some(public_id) = key.split('/').nth(1) else {
        return MediaAccess::Missing;
    };
    let Ok(Some(v)) = super::db::select_by_public_id(&state.db, public_id).await else {
        return MediaAccess::Missing;
    };
    if let Some(t) = token {
        return if state
            .signer
            .verify(&format!("videos/{public_id}"), t, now_ms() / 1000)
        {
            MediaAccess::Private
        } else {
            MediaAccess::Denied
        };
    }
    if open_to_all(&v) {
        return MediaAccess::Public;
    }
    match may_watch(state, &v, viewer).await {
        Ok(true) => MediaAccess::Private,
        _ => MediaAccess::Denied,
    }
}
