//! The app shell over HTTP: health, robots, sitemap, 404s, languages, security headers.

use crate::both;
use crate::helpers::*;

both!(
    health_robots_and_sitemap_answer,
    unknown_pages_are_404_with_a_page,
    the_language_follows_accept_language_then_the_cookie,
    responses_carry_security_headers,
    pages_never_stall_while_another_app_builds_its_router,
    pages_and_answers_are_compressed_as_the_client_accepts,
);

async fn health_robots_and_sitemap_answer(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let res = c.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let robots = c.get("/robots.txt").await.text().await.unwrap();
    assert!(
        robots.contains("Sitemap: http://127.0.0.1/sitemap.xml")
            && robots.contains("Disallow: /api/")
    );
    let email = format!("sitemap-{}@example.com", uuid::Uuid::new_v4().simple());
    confirmed_user(&app, &email, "Sitemap Person", "student").await;
    let res = c.get("/sitemap.xml").await;
    assert_eq!(
        res.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let xml = res.text().await.unwrap();
    assert!(
        xml.starts_with("<?xml") && xml.contains("<loc>http://127.0.0.1/u/sitemap-person</loc>"),
        "{xml}"
    );
    app.cleanup().await;
}

async fn unknown_pages_are_404_with_a_page(b: Backend) {
    let app = spawn_app(b).await;
    let res = app.client().get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("This page does not exist"));
    app.cleanup().await;
}

async fn the_language_follows_accept_language_then_the_cookie(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let ru = c
        .http
        .get(format!("{}/login", c.base))
        .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ru.contains(r#"lang="ru""#) && ru.contains("С возвращением"),
        "Russian by Accept-Language"
    );
    let en = c
        .http
        .get(format!("{}/login", c.base))
        .header("accept-language", "ru-RU")
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        en.contains(r#"lang="en""#) && en.contains("Welcome back"),
        "the cookie wins"
    );
    let r: Call<()> = c.call("prefs/locale", &[("locale", "xx")]).await;
    assert_eq!(r.unwrap_err().0, 422);
    app.cleanup().await;
}

async fn responses_carry_security_headers(b: Backend) {
    let app = spawn_app(b).await;
    let res = app.client().get("/").await;
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"));
    app.cleanup().await;
}

/// Building a router (as every app start does) must not stall pages being rendered at the same
/// time in the same process: Leptos suppresses resource loads process-wide while it generates
/// the route list, and a resource first polled then never finished (leptos-rs/leptos#4773).
async fn pages_never_stall_while_another_app_builds_its_router(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Router Tutor").await;
    let post: i64 = tutor
        .call(
            "feed/create",
            &[("body", "A post"), ("tags", "x"), ("video", "")],
        )
        .await
        .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let (state, stop) = (app.state.clone(), stop.clone());
        let rt = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            let _rt = rt.enter();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                drop(server::router(state.clone()));
            }
        })
    };
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap();
    let mut stalled = Vec::new();
    for i in 0..60 {
        let path = ["/", "/courses", &format!("/posts/{post}")][i % 3].to_string();
        match http.get(format!("{}{path}", tutor.base)).send().await {
            Ok(r) => match r.text().await {
                Ok(body) => assert!(body.contains("</html>"), "{path}: an unfinished page"),
                Err(e) => stalled.push(format!("{path}: {e}")),
            },
            Err(e) => stalled.push(format!("{path}: {e}")),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    builder.join().unwrap();
    assert!(stalled.is_empty(), "pages stalled: {stalled:?}");
    app.cleanup().await;
}

/// Pages and server-function answers are compressed whole (`server::compress`): brotli for
/// browsers, gzip for clients without it, nothing for clients that accept neither.
async fn pages_and_answers_are_compressed_as_the_client_accepts(b: Backend) {
    use std::io::Read;
    let app = spawn_app(b).await;
    let c = app.client();
    let get = |path: &'static str, accept: &'static str| {
        c.http
            .get(format!("{}{path}", c.base))
            .header("accept-encoding", accept)
            .send()
    };
    let res = get("/login", "gzip, deflate, br").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert!(
        res.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("accept-encoding")
    );
    let bytes = res.bytes().await.unwrap();
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    // The hydration data follows `</html>`: the whole page is there when its last script is.
    let whole = |h: &str| {
        h.starts_with("<!DOCTYPE html>")
            && h.contains("</html>")
            && h.trim_end().ends_with("</script>")
    };
    assert!(whole(&html), "{html}");
    assert!(
        bytes.len() * 2 < html.len(),
        "{} of {}",
        bytes.len(),
        html.len()
    );

    let res = get("/login", "gzip").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&res.bytes().await.unwrap()[..])
        .read_to_string(&mut text)
        .unwrap();
    assert!(whole(&text));

    let res = get("/login", "identity").await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert!(whole(&res.text().await.unwrap()));

    // A server function's JSON answer (tutors, so that it is worth compressing).
    for i in 0..3 {
        let email = format!("tutor{i}-{}@example.com", uuid::Uuid::new_v4().simple());
        confirmed_user(&app, &email, &format!("Compressed Tutor {i}"), "tutor").await;
    }
    let res = c
        .http
        .post(format!("{}/api/profiles/tutors", c.base))
        .header("accept-encoding", "br")
        .form(&[("subject", ""), ("after", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    let mut json = Vec::new();
    brotli::BrotliDecompress(&mut &res.bytes().await.unwrap()[..], &mut json).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(v.get("items").is_some(), "{v}");
    app.cleanup().await;
}
