//! Decoding the images people upload (avatars, course covers; event galleries next) and
//! re-encoding them, shared by every feature that takes pictures.
//!
//! The type is taken from the bytes (JPEG, PNG or WebP), never from the name or the header; the
//! image is decoded with size limits and turned upright (EXIF orientation); output is a JPEG
//! without metadata.
//!
//! Image bombs (a small file that decodes to gigabytes: 8000×8000 at 16 bits per channel is
//! 512 MB) are refused from the header, before any pixel is decoded: a picture may have at most
//! [`MAX_PIXELS`] pixels and take at most [`MAX_DECODED_BYTES`] once decoded, and the decoder's
//! own allocations are capped too. Decoding runs on blocking threads, at most [`DECODES`] at a
//! time across the server ([`run`]), so memory for pictures stays within
//! `DECODES × (MAX_ALLOC + the resized copies)` whatever arrives.

use crate::error::Msg;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

const MIN_SIDE: u32 = 64;
const MAX_SIDE: u32 = 8000;
/// Enough for any avatar or cover (a 24-megapixel photo, 6000×4000).
pub const MAX_PIXELS: u64 = 24_000_000;
/// What the decoded picture may take: 24 megapixels of 8-bit RGBA.
pub const MAX_DECODED_BYTES: u64 = 96 * 1024 * 1024;
/// What the decoder may allocate in all (its working buffers, e.g. a progressive JPEG's
/// coefficients, come on top of the picture).
const MAX_ALLOC: u64 = 2 * MAX_DECODED_BYTES;
/// Pictures decoded at the same time across the server.
pub const DECODES: usize = 2;

static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(DECODES);

/// Runs picture work (decoding, resizing, encoding) on a blocking thread once one of the
/// server's [`DECODES`] slots is free.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Msg> + Send + 'static,
) -> Result<T, Msg> {
    let _slot = SLOTS.acquire().await.map_err(|_| Msg::Internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or(Err(Msg::Internal))
}

/// Reads an uploaded image: the type from the bytes (JPEG, PNG or WebP only), the size from the
/// header (refused at once when over the budget), then decoded with allocation limits and
/// turned upright (EXIF orientation).
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
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(map_decode_error)?;
    // The sides were checked against the limits by `into_decoder`.
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS || decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(too_many_pixels());
    }
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

fn too_many_pixels() -> Msg {
    Msg::ImageTooManyPixels {
        megapixels: (MAX_PIXELS / 1_000_000) as u32,
    }
}

fn map_decode_error(e: image::ImageError) -> Msg {
    match e {
        image::ImageError::Limits(l)
            if matches!(l.kind(), image::error::LimitErrorKind::InsufficientMemory) =>
        {
            too_many_pixels()
        }
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
