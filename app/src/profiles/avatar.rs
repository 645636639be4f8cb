//! Avatar upload: `POST /api/profiles/avatar` (multipart, field `avatar`).
//!
//! The type is taken from the bytes (JPEG, PNG or WebP), never from the name or the header; the
//! image is decoded with size limits, turned upright (EXIF orientation), cropped square, resized to
//! 256 and 64 px and re-encoded as JPEG, so no metadata survives. The new files get a fresh key
//! (cacheable forever); the replaced avatar's files are deleted.

use crate::error::{AppError, Msg};
use crate::ids::UserId;
use crate::server::auth::Actor;
use crate::server::images;
use crate::server::{AppState, now_ms};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use image::imageops::FilterType;

pub const SIZES: [u32; 2] = [256, 64];
/// Oversized uploads are read (and dropped) up to this many bytes so that the client gets a clear
/// answer instead of a reset connection.
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Checks and converts an uploaded image into JPEGs of every size in `SIZES`.
pub fn process(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, Msg> {
    let img = images::decode(bytes)?;
    // Resized, then the centre square cut (no full-size copy of the picture is made).
    let mut out = Vec::new();
    for size in SIZES {
        out.push((
            size,
            images::jpeg(&img.resize_to_fill(size, size, FilterType::Lanczos3))?,
        ));
    }
    Ok(out)
}

/// Stores a processed avatar under a new key and retires the old one. Returns the new key.
pub async fn store(
    state: &AppState,
    user_id: UserId,
    sizes: Vec<(u32, Vec<u8>)>,
) -> anyhow::Result<String> {
    let key = format!("avatars/{}", uuid::Uuid::new_v4().simple());
    for (size, bytes) in sizes {
        state
            .storage
            .put(&format!("{key}/{size}.jpg"), bytes)
            .await?;
    }
    let old = super::db::replace_avatar_key(&state.db, user_id, Some(&key), now_ms()).await?;
    if let Some(old) = old {
        state.storage.delete_prefix(&old).await?;
    }
    Ok(key)
}

/// Removes the avatar (files and reference).
pub async fn remove(state: &AppState, user_id: UserId) -> anyhow::Result<()> {
    let old = super::db::replace_avatar_key(&state.db, user_id, None, now_ms()).await?;
    if let Some(old) = old {
        state.storage.delete_prefix(&old).await?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct Uploaded {
    avatar_url: String,
    avatar_small_url: String,
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A form posted without JavaScript goes back to the settings page; scripts get the error.
fn fail(html: bool, e: AppError) -> Response {
    if html {
        return Redirect::to("/settings/profile?avatar=failed").into_response();
    }
    e.into_response()
}

/// The upload route. Signed-in users only.
pub async fn upload(
    State(state): State<AppState>,
    auth: Option<Actor>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let Some(auth) = auth else {
        return fail(html, AppError::NotAuthenticated);
    };
    let max = state.config.avatar_max_bytes;
    let too_large = || {
        AppError::BadRequest(Msg::ImageTooLarge {
            max_mb: (max / (1024 * 1024)) as u32,
        })
    };
    let upload =
        match crate::server::uploads::spool(&state, &mut multipart, "avatar", max as u64).await {
            Ok(Some(u)) => u,
            Ok(None) => return fail(html, AppError::field("avatar", Msg::Required)),
            Err(e) => return fail(html, e.into_app(too_large())),
        };
    let Ok(bytes) = upload.read().await else {
        return fail(html, AppError::Internal);
    };
    let processed = match images::run(move || process(&bytes)).await {
        Ok(p) => p,
        Err(Msg::Internal) => return fail(html, AppError::Internal),
        Err(msg) => return fail(html, AppError::field("avatar", msg)),
    };
    match store(&state, auth.user, processed).await {
        Ok(key) => {
            if html {
                return Redirect::to("/settings/profile?avatar=saved").into_response();
            }
            Json(Uploaded {
                avatar_url: super::avatar_url(&key, 256),
                avatar_small_url: super::avatar_url(&key, 64),
            })
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "storing avatar failed");
            fail(html, AppError::Internal)
        }
    }
}

/// The avatar route.
pub fn routes() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    axum::Router::new().route(
        "/api/profiles/avatar",
        axum::routing::post(upload).layer(DefaultBodyLimit::max(DRAIN_LIMIT)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, ImageFormat};
    use std::io::Cursor;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, 200])
        });
        let mut buf = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut buf), ImageFormat::Png)
            .unwrap();
        buf
    }

    #[test]
    fn a_png_becomes_two_square_jpegs() {
        let out = process(&png(300, 200)).unwrap();
        assert_eq!(out.len(), 2);
        for (size, bytes) in out {
            let img = image::load_from_memory(&bytes).unwrap();
            assert_eq!((img.width(), img.height()), (size, size));
            assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::Jpeg);
        }
    }

    #[test]
    fn text_named_like_an_image_is_refused() {
        assert_eq!(
            process(b"hello, I am not a picture").unwrap_err(),
            Msg::ImageUnsupported
        );
    }

    #[test]
    fn truncated_images_and_tiny_images_are_refused() {
        let p = png(300, 300);
        assert_eq!(process(&p[..p.len() / 2]).unwrap_err(), Msg::ImageCorrupt);
        assert_eq!(process(&png(10, 10)).unwrap_err(), Msg::ImageDimensions);
    }

    #[test]
    fn gif_is_not_accepted() {
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        assert_eq!(process(gif).unwrap_err(), Msg::ImageUnsupported);
    }
}
