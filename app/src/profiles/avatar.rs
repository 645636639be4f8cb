//! Avatar upload: `POST /api/profiles/avatar` (multipart, field `avatar`).
//!
//! The type is taken from the bytes (JPEG, PNG or WebP), never from the name or the header; the
//! image is decoded with size limits, turned upright (EXIF orientation), cropped square, resized to
//! 256 and 64 px and re-encoded as JPEG, so no metadata survives. The new files get a fresh key
//! (cacheable forever); the replaced avatar's files are deleted.

use crate::error::{AppError, Msg};
use crate::server::{AppState, now_ms, session::AuthSession};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, imageops::FilterType};
use std::io::Cursor;

pub const SIZES: [u32; 2] = [256, 64];
const MIN_SIDE: u32 = 64;
const MAX_SIDE: u32 = 8000;
/// Oversized uploads are read (and dropped) up to this many bytes so that the client gets a clear
/// answer instead of a reset connection.
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Reads an uploaded image: the type from the bytes (JPEG, PNG or WebP only), decoded with size
/// limits and turned upright (EXIF orientation). Shared with course covers.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, Msg> {
    let format = image::guess_format(bytes).map_err(|_| Msg::ImageUnsupported)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(Msg::ImageUnsupported);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(map_decode_error)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(map_decode_error)?;
    img.apply_orientation(orientation);
    if img.width() < MIN_SIDE || img.height() < MIN_SIDE {
        return Err(Msg::ImageDimensions);
    }
    Ok(img)
}

/// A JPEG of `img` (transparency on white), without any metadata.
pub fn jpeg(img: &DynamicImage) -> Result<Vec<u8>, Msg> {
    let rgb = flatten_on_white(img);
    let mut buf = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 86);
    enc.encode_image(&rgb).map_err(|_| Msg::ImageCorrupt)?;
    Ok(buf)
}

/// Checks and converts an uploaded image into JPEGs of every size in `SIZES`.
pub fn process(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, Msg> {
    let img = decode(bytes)?;
    let (w, h) = (img.width(), img.height());
    let side = w.min(h);
    let square = img.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let mut out = Vec::new();
    for size in SIZES {
        out.push((
            size,
            jpeg(&square.resize_exact(size, size, FilterType::Lanczos3))?,
        ));
    }
    Ok(out)
}

fn map_decode_error(e: image::ImageError) -> Msg {
    match e {
        image::ImageError::Limits(_) => Msg::ImageDimensions,
        image::ImageError::Unsupported(_) => Msg::ImageUnsupported,
        _ => Msg::ImageCorrupt,
    }
}

/// Transparent pixels become white (JPEG has no alpha).
fn flatten_on_white(img: &DynamicImage) -> image::RgbImage {
    let rgba = img.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = p[3] as u32;
        let mix = |c: u8| ((c as u32 * a + 255 * (255 - a)) / 255) as u8;
        rgb.put_pixel(x, y, image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])]));
    }
    rgb
}

/// Stores a processed avatar under a new key and retires the old one. Returns the new key.
pub async fn store(
    state: &AppState,
    user_id: i64,
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
pub async fn remove(state: &AppState, user_id: i64) -> anyhow::Result<()> {
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

fn fail(html: bool, e: AppError) -> Response {
    if html {
        return Redirect::to("/settings/profile?avatar=failed").into_response();
    }
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(e)).into_response()
}

/// The upload route. Signed-in users only.
pub async fn upload(
    State(state): State<AppState>,
    auth: Option<axum::Extension<AuthSession>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let Some(axum::Extension(auth)) = auth else {
        return fail(html, AppError::NotAuthenticated);
    };
    let max = state.config.avatar_max_bytes;
    let too_large = || {
        AppError::BadRequest(Msg::ImageTooLarge {
            max_mb: (max / (1024 * 1024)) as u32,
        })
    };
    let data = match crate::server::request::multipart_file(&mut multipart, "avatar", max).await {
        Ok(d) => d.map(|(bytes, _)| bytes),
        Err(_) => return fail(html, too_large()),
    };
    let Some(bytes) = data.filter(|d| !d.is_empty()) else {
        return fail(html, AppError::field("avatar", Msg::Required));
    };
    let processed = match tokio::task::spawn_blocking(move || process(&bytes)).await {
        Ok(Ok(p)) => p,
        Ok(Err(msg)) => return fail(html, AppError::field("avatar", msg)),
        Err(_) => return fail(html, AppError::Internal),
    };
    match store(&state, auth.user_id, processed).await {
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

#[cfg(test)]
mod tests {
    use super::*;

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
