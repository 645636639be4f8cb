//! The built site (`LEPTOS_SITE_ROOT`: JS, WASM, CSS, icons) served from memory.
//!
//! Files are read once at start; gzip and brotli versions are taken from `file.br` / `file.gz`
//! next to the file when the build made them, else made in the background for small files, so every request is a
//! map lookup: no file system work, no compression on the request path. Responses carry an ETag
//! and are revalidated (`no-cache`), so a new build is picked up at once while an unchanged file
//! costs a 304.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// Larger files (the WASM bundle) are compressed at build time (`file.br`, `file.gz`, made by
/// scripts/run.sh): brotli at its best level takes seconds per megabyte.
const RUNTIME_COMPRESS_MAX: usize = 512 * 1024;

#[derive(Clone)]
struct Asset {
    raw: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    etag: HeaderValue,
    content_type: &'static str,
}

#[derive(Clone, Default)]
pub struct Assets {
    files: Arc<RwLock<HashMap<String, Asset>>>,
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "html" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" | "map" => "application/json",
        "vtt" => "text/vtt",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn compressible(ct: &str) -> bool {
    ct.starts_with("text/")
        || ct.contains("javascript")
        || ct.contains("wasm")
        || ct.contains("svg")
        || ct.contains("json")
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, std::path::PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !rel.ends_with(".br") && !rel.ends_with(".gz") {
                out.push((format!("/{rel}"), p));
            }
        }
    }
}

impl Assets {
    /// Loads every file under `root`; compression finishes in the background.
    pub fn load(root: &Path) -> Self {
        let mut list = Vec::new();
        walk(root, root, &mut list);
        let mut files = HashMap::new();
        for (url, path) in list {
            let Ok(raw) = std::fs::read(&path) else {
                continue;
            };
            let mut h = std::collections::hash_map::DefaultHasher::new();
            raw.hash(&mut h);
            let etag = HeaderValue::from_str(&format!("\"{:016x}-{}\"", h.finish(), raw.len()))
                .unwrap_or(HeaderValue::from_static("\"0\""));
            let side = |ext: &str| {
                std::fs::read(format!("{}.{ext}", path.display()))
                    .ok()
                    .map(Bytes::from)
            };
            files.insert(
                url.clone(),
                Asset {
                    gzip: side("gz"),
                    brotli: side("br"),
                    raw: Bytes::from(raw),
                    etag,
                    content_type: content_type(&url),
                },
            );
        }
        let assets = Assets {
            files: Arc::new(RwLock::new(files)),
        };
        let bg = assets.clone();
        std::thread::spawn(move || bg.compress_all());
        assets
    }

    fn compress_all(&self) {
        let todo: Vec<(String, Bytes)> = match self.files.read() {
            Ok(f) => f
                .iter()
                .filter(|(_, a)| {
                    compressible(a.content_type)
                        && (512..=RUNTIME_COMPRESS_MAX).contains(&a.raw.len())
                        && (a.gzip.is_none() || a.brotli.is_none())
                })
                .map(|(k, a)| (k.clone(), a.raw.clone()))
                .collect(),
            Err(_) => return,
        };
        for (url, raw) in todo {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let gz = gz
                .write_all(&raw)
                .and_then(|_| gz.finish())
                .ok()
                .map(Bytes::from);
            let mut br = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                lgwin: 22,
                ..Default::default()
            };
            let br = brotli::BrotliCompress(&mut raw.as_ref(), &mut br, &params)
                .ok()
                .map(|_| Bytes::from(br));
            if let Ok(mut f) = self.files.write()
                && let Some(a) = f.get_mut(&url)
            {
                a.gzip = a.gzip.take().or(gz);
                a.brotli = a.brotli.take().or(br);
            }
        }
    }

    /// The file for a request path, if the site has it.
    pub fn respond(&self, path: &str, headers: &HeaderMap) -> Option<Response> {
        let asset = self.files.read().ok()?.get(path)?.clone();
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        h.insert(header::ETAG, asset.etag.clone());
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, no-cache"),
        );
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let etag = asset.etag.to_str().unwrap_or("");
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        if fresh {
            return Some((StatusCode::NOT_MODIFIED, h).into_response());
        }
        let accepts = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let wants = |enc: &str| {
            accepts
                .split(',')
                .any(|e| e.trim().split(';').next() == Some(enc))
        };
        let body = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if wants("br") => {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
                br.clone()
            }
            (_, Some(gz)) if wants("gzip") => {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                gz.clone()
            }
            _ => asset.raw.clone(),
        };
        Some((StatusCode::OK, h, Body::from(body)).into_response())
    }
}

/// Middleware: serve the site's files from memory before routing.
pub async fn serve(
    axum::extract::State(assets): axum::extract::State<Assets>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    if matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) && let Some(res) = assets.respond(req.uri().path(), req.headers())
    {
        return res;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_served_compressed_with_etags_and_304s() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        let js = "console.log('hello');\n".repeat(200);
        std::fs::write(dir.path().join("pkg/app.js"), &js).unwrap();
        let assets = Assets::load(dir.path());
        assets.compress_all();
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br"),
        );
        let res = assets.respond("/pkg/app.js", &h).unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
        let etag = res.headers()[header::ETAG].clone();
        h.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            assets.respond("/pkg/app.js", &h).unwrap().status(),
            StatusCode::NOT_MODIFIED
        );
        assert!(
            assets
                .respond("/pkg/missing.js", &HeaderMap::new())
                .is_none()
        );
        let plain = assets.respond("/pkg/app.js", &HeaderMap::new()).unwrap();
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
