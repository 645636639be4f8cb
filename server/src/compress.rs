//! Compression of dynamic responses: pages and server-function answers (HTML and JSON).
//!
//! Static files come precompressed at their best level (`assets`); everything else goes through
//! tower-http's `CompressionLayer`, whose brotli is quality 4 with a 4 MB window and no idea of
//! the body's size: about 0.6–0.9 ms of CPU for a 40 kB catalog page on this machine, a fifth of
//! rendering the page (`scripts/profile-ssr.sh`, issue 13). A rendered page is complete before its
//! first byte leaves (every route renders with `SsrMode::Async`), so this layer collects the
//! body and compresses it in one call that knows its size: brotli quality 2 with a 256 kB window
//! (0.3 ms, 10 % bigger than quality 4) when the client accepts brotli, gzip at its fast level
//! otherwise. Bodies over [`MAX_BUFFERED`] are passed on as they stream (tower-http's layer then
//! compresses them as before); event streams, media and files are never touched here.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use std::io::Write;

/// Larger bodies are streamed on uncompressed by this layer.
const MAX_BUFFERED: usize = 4 * 1024 * 1024;
/// Smaller bodies are not worth a `Content-Encoding`.
const MIN_SIZE: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        })
    }
}

/// The encoding to use for a request's `Accept-Encoding`: brotli if accepted (also through `*`),
/// else gzip, else none. An encoding with `q=0` is refused.
fn negotiate(headers: &HeaderMap) -> Option<Encoding> {
    let (mut br, mut gzip, mut any) = (false, false, false);
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match name.as_str() {
                "br" => br = true,
                "gzip" | "x-gzip" => gzip = true,
                "*" => any = true,
                _ => {}
            }
        }
    }
    if br || any {
        Some(Encoding::Brotli)
    } else if gzip {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

/// Whether a response is a complete dynamic document this layer compresses.
fn is_dynamic(res: &Response) -> bool {
    let status = res.status();
    if status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || status == StatusCode::PARTIAL_CONTENT
        || status.is_informational()
    {
        return false;
    }
    let h = res.headers();
    if h.contains_key(header::CONTENT_ENCODING) || h.contains_key(header::CONTENT_RANGE) {
        return false;
    }
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|t| {
            let t = t.trim_start().to_ascii_lowercase();
            t.starts_with("text/html")
                || t.starts_with("application/json")
                || t.starts_with("application/problem+json")
        })
        .unwrap_or(false)
}

/// Brotli at quality 2, its window sized for the body.
fn brotli(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 2,
        lgwin: 18,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    // Writing to a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &data[..], &mut out, &params);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3 + 64),
        flate2::Compression::fast(),
    );
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// The middleware (see the module comment).
pub async fn dynamic(req: Request, next: Next) -> Response {
    let encoding = negotiate(req.headers());
    let head = req.method() == Method::HEAD;
    let res = next.run(req).await;
    let Some(encoding) = encoding else {
        return res;
    };
    if head || !is_dynamic(&res) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let mut stream = body.into_data_stream();
    let mut buf: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => {
                buf.extend_from_slice(&c);
                if buf.len() > MAX_BUFFERED {
                    // Too big to hold: what was read, then the rest as it comes.
                    let head = futures::stream::once(async move { Ok(Bytes::from(buf)) });
                    return Response::from_parts(parts, Body::from_stream(head.chain(stream)));
                }
            }
            Err(e) => {
                // The body failed part way: pass on what there was and the error.
                let head = futures::stream::iter([Ok(Bytes::from(buf)), Err(e)]);
                return Response::from_parts(parts, Body::from_stream(head));
            }
        }
    }
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if buf.len() < MIN_SIZE {
        return Response::from_parts(parts, Body::from(buf));
    }
    let out = match encoding {
        Encoding::Brotli => brotli(&buf),
        Encoding::Gzip => gzip(&buf),
    };
    parts
        .headers
        .insert(header::CONTENT_ENCODING, encoding.header());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn brotli_is_preferred_and_refusals_are_respected() {
        assert_eq!(
            negotiate(&accept("gzip, deflate, br, zstd")),
            Some(Encoding::Brotli)
        );
        assert_eq!(negotiate(&accept("br;q=0, gzip")), Some(Encoding::Gzip));
        assert_eq!(negotiate(&accept("gzip;q=0.5")), Some(Encoding::Gzip));
        assert_eq!(negotiate(&accept("*")), Some(Encoding::Brotli));
        assert_eq!(negotiate(&accept("identity")), None);
        assert_eq!(negotiate(&accept("gzip;q=0, br;q=0")), None);
        assert_eq!(negotiate(&HeaderMap::new()), None);
    }

    #[test]
    fn both_encodings_round_trip() {
        let page = "<p>Привет, Tutorium!</p>".repeat(500);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(page.as_bytes())[..], &mut back).unwrap();
        assert_eq!(back, page.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gzip(page.as_bytes())[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
    }
}
