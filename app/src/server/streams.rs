//! Limits on open live streams (server-sent events today, WebSockets next), per person and per
//! client address, in this process. A stream route is wrapped with [`limit`]: past a limit the
//! request gets 429; otherwise the response body holds a slot until the stream ends or the
//! client goes away.

use super::AppState;
use super::auth::Actor;
use super::request::ClientIp;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many streams are open, by key (`user:…`, `ip:…`).
#[derive(Clone, Default)]
pub struct Streams {
    open: Arc<Mutex<HashMap<String, u32>>>,
}

/// One open stream's slots; dropping it frees them.
pub struct Slot {
    open: Arc<Mutex<HashMap<String, u32>>>,
    keys: Vec<String>,
}

impl Streams {
    /// Takes a slot under every key if each has fewer than its limit open, else none.
    pub fn acquire(&self, keys: &[(String, u32)]) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if keys
            .iter()
            .any(|(k, max)| open.get(k).copied().unwrap_or(0) >= *max)
        {
            return None;
        }
        for (k, _) in keys {
            *open.entry(k.clone()).or_insert(0) += 1;
        }
        Some(Slot {
            open: self.open.clone(),
            keys: keys.iter().map(|(k, _)| k.clone()).collect(),
        })
    }

    /// Streams open under `key`.
    pub fn open(&self, key: &str) -> u32 {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.get(key).copied().unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        for k in &self.keys {
            if let Some(n) = open.get_mut(k) {
                *n -= 1;
                if *n == 0 {
                    open.remove(k);
                }
            }
        }
    }
}

/// Middleware for stream routes: at most `LIMIT_STREAMS_PER_USER` open streams per person and
/// `LIMIT_STREAMS_PER_IP` per client address (IPv6: per /64); 429 past either.
pub async fn limit(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let mut keys = Vec::with_capacity(2);
    if let Some(a) = req.extensions().get::<Actor>() {
        keys.push((format!("user:{}", a.user), st.config.limit_streams_per_user));
    }
    if let Some(ip) = req.extensions().get::<ClientIp>() {
        // An IPv6 client counts by its /64, as for every per-address limit.
        let bucket = super::rate_limit::ip_bucket(&ip.0);
        keys.push((format!("ip:{bucket}"), st.config.limit_streams_per_ip));
    }
    let Some(slot) = st.streams.acquire(&keys) else {
        return crate::error::AppError::RateLimited {
            retry_after_secs: 60,
        }
        .into_response();
    };
    let res = next.run(req).await;
    if !res.status().is_success() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let body = body.into_data_stream().map(move |chunk| {
        let _held = &slot;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_limited_per_key_and_freed_on_drop() {
        let s = Streams::default();
        let keys = |u: &str| vec![(format!("user:{u}"), 2), ("ip:1".to_string(), 3)];
        let a = s.acquire(&keys("a")).unwrap();
        let b = s.acquire(&keys("a")).unwrap();
        assert!(
            s.acquire(&keys("a")).is_none(),
            "a third stream of one person"
        );
        let c = s.acquire(&keys("b")).unwrap();
        assert!(
            s.acquire(&keys("b")).is_none(),
            "a fourth stream of one address"
        );
        assert_eq!(s.open("user:a"), 2, "a refused stream takes no slot");
        drop(a);
        assert!(s.acquire(&keys("b")).is_some());
        drop((b, c));
        assert_eq!(s.open("ip:1"), 0);
    }
}
