//! The app shell over HTTP: health, robots, sitemap, 404s, languages, security headers.

use crate::both;
use crate::helpers::*;

both!(
    health_robots_and_sitemap_answer,
    unknown_pages_are_404_with_a_page,
    the_language_follows_accept_language_then_the_cookie,
    responses_carry_security_headers,
    pages_never_stall_while_another_app_builds_its_router,
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
