//! Pages rendered for visitors, served again while the database has not changed.
//!
//! A visitor's page (no session, no cookie but the language and theme) depends only on its URL,
//! its language, its theme and what the database holds. So the HTML rendered for one visitor is
//! the page for the next one with the same three, until something is written:
//!
//! - **Correct, not "a little old".** An entry remembers [`Db::writes`] from before its render and
//!   is served only while that number has not moved. It moves as soon as a statement through
//!   `Db::w()` or a transaction begun there is done (every write goes through it: the readers
//!   refuse to write), before the writer goes on, so no page older than a finished write is served;
//!   another process's writes arrive on the bus (`db:changed`, sent by the server after a
//!   request that wrote, by the worker after each job and by the command line when it is done).
//!   A page whose render saw the number move is not kept. Entries are also rendered again after
//!   `PAGE_CACHE_MS` (relative times such as "5 minutes ago"): by one request, while the others
//!   are still served the entry.
//! - **Never one person's page for another.** A request with a session (or any cookie other than
//!   `lang` and `theme`) or an `Authorization` header is never served from here, and its page is
//!   never kept; only 200 HTML answers without `Set-Cookie` or `Cache-Control: private/no-store`
//!   are.
//! - **A fresh CSP nonce per answer.** The nonce of the render is replaced in the page and in its
//!   `Content-Security-Policy` by a new one each time the page is served again (compression
//!   comes after this layer, so every answer is compressed with its own nonce).
//!
//! Measured with and without (`PAGE_CACHE_MS=0`) by `scripts/bench-ssr.sh`
//! (`docs/decisions/ssr-speed.md`).

use app::server::AppState;
use app::server::bus::Bus;
use app::server::db::Db;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What all entries together may hold.
const MAX_BYTES: usize = 64 << 20;
/// The largest page kept.
const MAX_PAGE: usize = 1 << 20;
/// Says whether an answer came from here (`hit`) or was rendered and kept (`miss`).
pub const STATUS_HEADER: &str = "x-page-cache";
/// The cookies a visitor's page may depend on (read by the render, part of the key).
const VISITOR_COOKIES: [&str; 2] = [app::i18n::LOCALE_COOKIE, app::layout::THEME_COOKIE];

#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    ttl: Duration,
    db: Db,
    bus: Bus,
    entries: Mutex<Entries>,
    /// Pages being rendered for the cache: who else asks for one waits for it.
    flights: Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Arc<Entry>>,
    bytes: usize,
}

struct Entry {
    /// [`Db::writes`] before the render.
    writes: u64,
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
    /// The render's CSP nonce, replaced in every answer.
    nonce: Option<String>,
    /// A request is rendering this page again (it expired).
    renewing: AtomicBool,
}

impl PageCache {
    pub fn new(state: &AppState) -> Self {
        Self::with(
            Duration::from_millis(state.config.page_cache_ms),
            state.db.clone(),
            state.bus.clone(),
        )
    }

    fn with(ttl: Duration, db: Db, bus: Bus) -> Self {
        PageCache {
            inner: Arc::new(Inner {
                ttl,
                db,
                bus,
                entries: Mutex::default(),
                flights: Mutex::default(),
            }),
        }
    }

    fn enabled(&self) -> bool {
        !self.inner.ttl.is_zero()
    }

    /// The entry for `key` while nothing was written since its render. Past its time, one request
    /// renders it again while the others are still served the entry (only its relative times are
    /// old); after a write, nobody is.
    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.inner.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.map.get(key)?;
        if e.writes != self.inner.db.writes() {
            return None;
        }
        let (age, ttl) = (e.at.elapsed(), self.inner.ttl);
        // Twice its time at most: the renewing render may not have been kept.
        if age >= 2 * ttl || (age >= ttl && !e.renewing.swap(true, Ordering::AcqRel)) {
            return None;
        }
        Some(e.clone())
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        let size = entry.body.len() + key.len();
        let mut entries = self.inner.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.bytes + size > MAX_BYTES {
            let (now, ttl) = (self.inner.db.writes(), self.inner.ttl);
            entries
                .map
                .retain(|_, e| e.writes == now && e.at.elapsed() < ttl);
            entries.bytes = entries
                .map
                .iter()
                .map(|(k, e)| k.len() + e.body.len())
                .sum();
            if entries.bytes + size > MAX_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
        }
        if let Some(old) = entries.map.insert(key.clone(), entry) {
            entries.bytes -= old.body.len() + key.len();
        }
        entries.bytes += size;
    }
}

/// The middleware: serves visitors' pages from the cache, keeps the ones it may, and announces
/// this process's writes to the others.
pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        let before = cache.inner.db.writes();
        let res = next.run(req).await;
        if cache.inner.db.writes() != before {
            cache.inner.bus.announce_change();
        }
        return res;
    }
    let Some(key) = cache.enabled().then(|| key(&req)).flatten() else {
        return next.run(req).await;
    };
    if let Some(e) = cache.get(&key) {
        return answer(&e, true);
    }
    // One render per missing page: the requests that come meanwhile wait for it (fifty
    // connections asking for a page that was just invalidated make one render, not fifty).
    let rendering: Arc<tokio::sync::Notify>;
    let mut done = None;
    let mut flight = None;
    {
        let mut flights = cache
            .inner
            .flights
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match flights.get(&key) {
            Some(n) => {
                rendering = n.clone();
                // Registered under the lock, before the render can end: `notify_waiters` wakes
                // it even though it is polled only later.
                done = Some(rendering.notified());
            }
            None => {
                flights.insert(key.clone(), Arc::default());
                flight = Some(Flight {
                    cache: &cache,
                    key: &key,
                });
            }
        }
    }
    if let Some(done) = done {
        done.await;
        if let Some(e) = cache.get(&key) {
            return answer(&e, true);
        }
        // Not kept (a write came meanwhile): rendered for this request too.
    }
    let writes = cache.inner.db.writes();
    let res = next.run(req).await;
    if !keepable(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 16 * MAX_PAGE).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let entry = Arc::new(Entry {
        writes,
        at: Instant::now(),
        nonce: csp_nonce(&parts.headers),
        headers: parts.headers,
        body,
        renewing: AtomicBool::new(false),
    });
    // Kept only when nothing was written during the render (it may show the state before).
    if entry.body.len() <= MAX_PAGE && cache.inner.db.writes() == writes {
        cache.put(key.clone(), entry.clone());
    }
    drop(flight);
    answer(&entry, false)
}

/// A render for the cache in progress; when it ends (or its request goes away), whoever waits
/// for it looks again.
struct Flight<'a> {
    cache: &'a PageCache,
    key: &'a str,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut flights = self
            .cache
            .inner
            .flights
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = flights.remove(self.key) {
            n.notify_waiters();
        }
    }
}

/// The cache key of a visitor's GET, or `None` when the request is someone's.
fn key(req: &Request) -> Option<String> {
    let headers = req.headers();
    if headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/media/") {
        return None;
    }
    let mut theme = "";
    for v in headers.get_all(header::COOKIE) {
        for kv in v.to_str().ok()?.split(';') {
            let (name, value) = kv.trim().split_once('=').unwrap_or((kv.trim(), ""));
            if name.is_empty() {
                continue;
            }
            if !VISITOR_COOKIES.contains(&name) {
                return None;
            }
            if name == app::layout::THEME_COOKIE {
                theme = value;
            }
        }
    }
    let locale = app::i18n::locale_from_headers(headers);
    let uri = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or(path);
    Some(format!("{}\n{}\n{uri}", locale.code(), theme))
}

/// A page for anyone: 200, HTML, no cookie set, not marked private.
fn keepable(res: &Response) -> bool {
    let h = res.headers();
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let private = h
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("no-store") || v.contains("private"));
    res.status() == StatusCode::OK
        && html
        && !private
        && !h.contains_key(header::SET_COOKIE)
        && !h.contains_key(header::CONTENT_ENCODING)
}

fn csp_nonce(h: &HeaderMap) -> Option<String> {
    let csp = h.get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(csp[start..start + len].to_string()).filter(|n| n.len() >= 16)
}

/// An entry as an answer: the render's own (`again` false), or served again with a new nonce in
/// the page and in its CSP.
fn answer(e: &Entry, again: bool) -> Response {
    let mut headers = e.headers.clone();
    let body = match &e.nonce {
        Some(old) if again => {
            let new = leptos::nonce::Nonce::new().to_string();
            if let Some(csp) = headers
                .get(header::CONTENT_SECURITY_POLICY)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| HeaderValue::from_str(&v.replace(old.as_str(), &new)).ok())
            {
                headers.insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            Bytes::from(replace_all(&e.body, old.as_bytes(), new.as_bytes()))
        }
        _ => e.body.clone(),
    };
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = headers;
    res.headers_mut().insert(
        STATUS_HEADER,
        HeaderValue::from_static(if again { "hit" } else { "miss" }),
    );
    res
}

fn replace_all(hay: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len() + 64);
    let mut last = 0;
    for at in memchr::memmem::find_iter(hay, old) {
        out.extend_from_slice(&hay[last..at]);
        out.extend_from_slice(new);
        last = at + old.len();
    }
    out.extend_from_slice(&hay[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_visitors_with_language_and_theme_cookies_have_a_key() {
        let plain = key(&get("/courses?q=rust", None)).unwrap();
        assert!(plain.ends_with("\n/courses?q=rust"));
        let ru = key(&get("/courses", Some("lang=ru; theme=dark"))).unwrap();
        let en = key(&get("/courses", Some("lang=en; theme=dark"))).unwrap();
        assert_ne!(ru, en);
        assert_ne!(
            key(&get("/courses", Some("theme=dark"))),
            key(&get("/courses", Some("theme=light")))
        );
        assert_eq!(
            key(&get("/courses", Some("tutorium_session=abc; lang=ru"))),
            None
        );
        assert_eq!(key(&get("/courses", Some("tutorium_signup=x"))), None);
        assert_eq!(key(&get("/api/catalog", None)), None);
        let mut auth = get("/courses", None);
        auth.headers_mut()
            .insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(key(&auth), None);
    }

    #[tokio::test]
    async fn an_entry_lives_until_a_write_and_one_request_renews_it_when_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let ttl = Duration::from_millis(200);
        let cache = PageCache::with(ttl, db.clone(), Bus::new(db.backend()));
        let entry = |at: Instant| {
            Arc::new(Entry {
                writes: db.writes(),
                at,
                headers: HeaderMap::new(),
                body: Bytes::from_static(b"<p>page</p>"),
                nonce: None,
                renewing: AtomicBool::new(false),
            })
        };
        cache.put("k".into(), entry(Instant::now()));
        assert!(cache.get("k").is_some() && cache.get("k").is_some());
        // A write ends (here: one through the writer pool): the entry is never served again.
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(db.w())
            .await
            .unwrap();
        assert!(cache.get("k").is_none());
        // Another process's announced write does the same.
        cache.put("k".into(), entry(Instant::now()));
        db.changed_elsewhere();
        assert!(cache.get("k").is_none());
        // Expired: the first request renders again, the others still get the entry, until twice
        // its time.
        cache.put("k".into(), entry(Instant::now() - ttl));
        assert!(cache.get("k").is_none(), "the renewing request");
        assert!(cache.get("k").is_some() && cache.get("k").is_some());
        cache.put("k".into(), entry(Instant::now() - 2 * ttl));
        assert!(cache.get("k").is_none() && cache.get("k").is_none());
        // A transaction moves it when it is committed, not before.
        let mut tx = db.w().begin().await.unwrap();
        let before = db.writes();
        sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut *tx)
            .await
            .unwrap();
        assert_eq!(db.writes(), before, "not committed yet");
        tx.commit().await.unwrap();
        assert_ne!(db.writes(), before);
        // A read through the reader pool moves nothing; a write through it is refused.
        let before = db.writes();
        sqlx::query("SELECT 1").execute(db.r()).await.unwrap();
        assert_eq!(db.writes(), before);
        assert!(
            sqlx::query("INSERT INTO t VALUES (1)")
                .execute(db.r())
                .await
                .is_err()
        );
        assert_eq!(db.writes(), before);
    }

    #[test]
    fn every_occurrence_of_the_nonce_is_replaced() {
        let page = b"<script nonce=\"AAAAAAAAAAAAAAAAAAAAAA\">x</script><link nonce=\"AAAAAAAAAAAAAAAAAAAAAA\">";
        let out = replace_all(page, b"AAAAAAAAAAAAAAAAAAAAAA", b"BBBBBBBBBBBBBBBBBBBBBB");
        assert_eq!(
            out,
            b"<script nonce=\"BBBBBBBBBBBBBBBBBBBBBB\">x</script><link nonce=\"BBBBBBBBBBBBBBBBBBBBBB\">"
        );
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'wasm-unsafe-eval'"),
        );
        assert_eq!(csp_nonce(&h).as_deref(), Some("AAAAAAAAAAAAAAAAAAAAAA"));
    }
}
