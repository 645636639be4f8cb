//! Decoding the images people upload (avatars, course covers; event galleries next) and
//! re-encoding them, shared by every feature that takes pictures.
//!
//! The type is taken from the bytes (JPEG, PNG or WebP), never from the name or the header; the
//! image is decoded with size limits and turned upright (EXIF orientation); output is a JPEG
//! without metadata.

use crate::error::Msg;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

const MIN_SIDE: u32 = 64;
const MAX_SIDE: u32 = 8000;

/// Reads an uploaded image: the type from the bytes (JPEG, PNG or WebP only), decoded with size
/// limits and turned upright (EXIF orientation).
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
