//! What a server function knows about the request it serves: cookies, client address, user agent.

use http::request::Parts;
use leptos::prelude::use_context;

/// The client's address, put into request extensions by the server's middleware.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// The request parts of the current server function or render.
pub fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// A cookie's value from a `Cookie` header.
pub fn cookie_from_headers(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A cookie of the current request.
pub fn cookie(name: &str) -> Option<String> {
    parts().and_then(|p| cookie_from_headers(&p.headers, name))
}

/// The client's address as the middleware should record it: the peer's, or with `trust_proxy`
/// the X-Forwarded-For entry `hops` from the right — the address the outermost of your proxies
/// saw. Entries further left were sent by the client and are ignored (a chain shorter than
/// `hops` gives its leftmost entry). Anything that is not an IP address falls back to the peer.
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    headers: &http::HeaderMap,
    trust_proxy: bool,
    hops: usize,
) -> String {
    let peer = peer
        .map(|p| p.to_canonical().to_string())
        .unwrap_or_default();
    if !trust_proxy || hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let entry = match entries.len().checked_sub(hops) {
        Some(i) => entries.get(i),
        None => entries.first(),
    };
    entry
        .and_then(|e| parse_ip(e))
        .map(|ip| ip.to_canonical().to_string())
        .unwrap_or(peer)
}

/// An address as proxies write it: `1.2.3.4`, `2001:db8::1`, with or without a port.
fn parse_ip(s: &str) -> Option<std::net::IpAddr> {
    s.parse()
        .ok()
        .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

/// The client's address ("" when unknown).
pub fn client_ip() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone()))
        .unwrap_or_default()
}

/// The User-Agent header, shortened.
pub fn user_agent() -> String {
    parts()
        .and_then(|p| {
            p.headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(300).collect())
        })
        .unwrap_or_default()
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure on HTTPS.
pub fn set_cookie_value(
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
    http_only: bool,
) -> String {
    let mut c = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Adds a `Set-Cookie` header to the response of the current server function or render.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, http_only: bool) {
    let secure = super::state().config.secure_cookies();
    let value = set_cookie_value(name, value, max_age_secs, secure, http_only);
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(v) = http::HeaderValue::from_str(&value)
    {
        resp.append_header(http::header::SET_COOKIE, v);
    }
}

/// Sends the current server function's caller to `path` — or to "/" when `path` cannot be a
/// header value (`leptos_axum::redirect` panics on a newline).
pub fn redirect(path: &str) {
    let path = if http::HeaderValue::from_str(path).is_ok() {
        path
    } else {
        "/"
    };
    leptos_axum::redirect(path);
}

/// Sets the HTTP status of the current response.
pub fn set_status(code: u16) {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(s) = http::StatusCode::from_u16(code)
    {
        resp.set_status(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; sid=abc; theme=dark".parse().unwrap(),
        );
        assert_eq!(cookie_from_headers(&h, "sid").as_deref(), Some("abc"));
        assert_eq!(cookie_from_headers(&h, "theme").as_deref(), Some("dark"));
        assert_eq!(cookie_from_headers(&h, "x"), None);
    }

    #[test]
    fn the_client_address_is_taken_from_the_right_of_x_forwarded_for() {
        let peer = Some("10.0.0.1".parse().unwrap());
        let xff = |v: &str| {
            let mut h = http::HeaderMap::new();
            h.insert("x-forwarded-for", v.parse().unwrap());
            h
        };
        let spoofed = xff("6.6.6.6, 203.0.113.9");
        assert_eq!(client_address(peer, &spoofed, true, 1), "203.0.113.9");
        assert_eq!(client_address(peer, &spoofed, true, 2), "6.6.6.6");
        assert_eq!(client_address(peer, &spoofed, false, 1), "10.0.0.1");
        assert_eq!(
            client_address(peer, &xff("203.0.113.9"), true, 2),
            "203.0.113.9"
        );
        assert_eq!(
            client_address(peer, &xff("[2001:db8::1]:443"), true, 1),
            "2001:db8::1"
        );
        assert_eq!(
            client_address(peer, &xff("::ffff:198.51.100.4"), true, 1),
            "198.51.100.4"
        );
        assert_eq!(client_address(peer, &xff("not-an-ip"), true, 1), "10.0.0.1");
        assert_eq!(
            client_address(peer, &http::HeaderMap::new(), true, 1),
            "10.0.0.1"
        );
        // Two headers read as one list, in order.
        let mut two = xff("6.6.6.6");
        two.append("x-forwarded-for", "198.51.100.4".parse().unwrap());
        assert_eq!(client_address(peer, &two, true, 1), "198.51.100.4");
    }

    #[test]
    fn session_cookies_are_http_only_and_lax() {
        let c = set_cookie_value("sid", "t", 60, true, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!set_cookie_value("sid", "t", 60, false, true).contains("Secure"));
    }
}
