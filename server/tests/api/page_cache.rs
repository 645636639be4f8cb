//! Visitors' pages served again while nothing was written (`server/src/page_cache.rs`): never
//! someone else's page, never older than the last write — of this process or of another one.

use crate::both;
use crate::helpers::*;
use std::time::{Duration, Instant};

both!(
    a_visitors_page_is_served_again_until_something_is_written,
    a_signed_in_page_never_reaches_anyone_else,
    another_processes_writes_reach_the_pages_at_once,
    each_language_and_theme_has_its_own_page,
    concurrent_visitors_of_a_missing_page_wait_for_one_render,
);

/// GET as a browser would: the page, its `x-page-cache` status, its CSP nonce.
async fn page(c: &Client, path: &str, cookie: Option<&str>) -> (String, String, String) {
    let mut req = c.http.get(format!("{}{path}", c.base));
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let status = res
        .headers()
        .get(server::page_cache::STATUS_HEADER)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap_or_default()
        .to_string();
    (res.text().await.unwrap(), status, nonce)
}

/// Waits until the jobs that sign-ups and edits queue (mails, notifications) are done writing.
async fn settle(app: &TestApp) {
    let start = Instant::now();
    let mut last = app.db.writes();
    let mut still = Instant::now();
    while still.elapsed() < Duration::from_millis(400) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "writes never stop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = app.db.writes();
        if now != last {
            (last, still) = (now, Instant::now());
        }
    }
}

fn renamed(name: &str) -> serde_json::Value {
    profile_json(name, &["math"])
}

/// A tutor named `name` and a visitor who has opened the tutor's profile page once (so it is kept),
/// once the sign-up's and the edit's jobs are done writing; with that first page and its nonce.
async fn tutor_and_visitor(
    app: &TestApp,
    name: &str,
    path: &str,
) -> (Client, Client, String, String) {
    let tutor = a_tutor(app, name).await;
    let r: Call<()> = tutor.call_json("profiles/update", renamed(name)).await;
    r.unwrap();
    settle(app).await;
    let visitor = app.client();
    let (html, status, nonce) = page(&visitor, path, None).await;
    assert_eq!(status, "miss");
    assert!(html.contains(name));
    (tutor, visitor, html, nonce)
}

async fn a_visitors_page_is_served_again_until_something_is_written(b: Backend) {
    let app = spawn_app(b).await;
    let (tutor, visitor, first, n1) =
        tutor_and_visitor(&app, "Cache Tutor", "/u/cache-tutor").await;
    let (again, s2, n2) = page(&visitor, "/u/cache-tutor", None).await;
    assert_eq!(s2, "hit");
    // Every answer has its own nonce, in its CSP and in its scripts; the rest is the same page.
    assert!(n1.len() >= 16 && n2.len() >= 16 && n1 != n2);
    assert!(again.contains(&format!("nonce=\"{n2}\"")) && !again.contains(&n1));
    assert_eq!(first.replace(&n1, "N"), again.replace(&n2, "N"));

    // A change through a server function: the next visitor sees it.
    let r: Call<()> = tutor
        .call_json("profiles/update", renamed("Cache Tutor Renamed"))
        .await;
    r.unwrap();
    let (after, s3, _) = page(&visitor, "/u/cache-tutor", None).await;
    assert_eq!(s3, "miss");
    assert!(after.contains("Cache Tutor Renamed"));
    // (The edit's jobs write for a moment after it: a page rendered meanwhile is not kept.)
    settle(&app).await;
    page(&visitor, "/u/cache-tutor", None).await;
    let (_, s4, _) = page(&visitor, "/u/cache-tutor", None).await;
    assert_eq!(s4, "hit");

    // A write straight through the writer pool (a job, the command line in this process).
    sqlx::query("UPDATE profiles SET headline = $1 WHERE user_id = (SELECT id FROM users WHERE handle = $2)")
        .bind("Geometry for everyone")
        .bind("cache-tutor")
        .execute(app.db.w())
        .await
        .unwrap();
    let (after, s5, _) = page(&visitor, "/u/cache-tutor", None).await;
    assert_eq!(s5, "miss");
    assert!(after.contains("Geometry for everyone"));

    // Readers refuse to write, so no write can bypass the count.
    let refused = sqlx::query("UPDATE profiles SET headline = 'x'")
        .execute(app.db.r())
        .await;
    assert!(refused.is_err(), "a write through the reader pool");
    app.cleanup().await;
}

async fn a_signed_in_page_never_reaches_anyone_else(b: Backend) {
    let app = spawn_app(b).await;
    let alice = a_student(&app, "Alice Cachetest").await;
    let bob = a_student(&app, "Bob Cachetest").await;
    settle(&app).await;
    let visitor = app.client();
    // A visitor's page is kept; it is not what a signed-in person gets.
    for _ in 0..2 {
        page(&visitor, "/courses", None).await;
    }
    let (_, status, _) = page(&visitor, "/courses", None).await;
    assert_eq!(status, "hit");
    for _ in 0..2 {
        let (html, status, _) = page(&alice, "/courses", None).await;
        assert_eq!(
            status, "",
            "a signed-in page never comes from or goes to the cache"
        );
        assert!(html.contains("Alice Cachetest"));
    }
    let (html, _, _) = page(&bob, "/courses", None).await;
    assert!(html.contains("Bob Cachetest") && !html.contains("Alice Cachetest"));
    let (html, status, _) = page(&visitor, "/courses", None).await;
    assert_eq!(status, "hit");
    assert!(!html.contains("Alice Cachetest") && !html.contains("Bob Cachetest"));
    app.cleanup().await;
}

async fn another_processes_writes_reach_the_pages_at_once(b: Backend) {
    let app = spawn_app(b).await;
    let (_, visitor, _, _) = tutor_and_visitor(&app, "Far Tutor", "/u/far-tutor").await;
    let (_, status, _) = page(&visitor, "/u/far-tutor", None).await;
    assert_eq!(status, "hit");
    // Another process (its own pools, its own bus) writes and says so, as the worker and the
    // command line do.
    let other = app::server::db::Db::connect(&app.database_url)
        .await
        .unwrap();
    let bus = app::server::bus::Bus::new(other.backend());
    sqlx::query("UPDATE profiles SET headline = $1 WHERE user_id = (SELECT id FROM users WHERE handle = $2)")
        .bind("Taught from afar")
        .bind("far-tutor")
        .execute(other.w())
        .await
        .unwrap();
    // Until it says so, this process cannot know: the old page is still served.
    let (html, status, _) = page(&visitor, "/u/far-tutor", None).await;
    assert_eq!(status, "hit");
    assert!(!html.contains("Taught from afar"));
    bus.announce_change_now(&other).await;
    let start = Instant::now();
    loop {
        let (html, _, _) = page(&visitor, "/u/far-tutor", None).await;
        if html.contains("Taught from afar") {
            break;
        }
        // PostgreSQL notifies at once; SQLite's relay reads other processes' events every second.
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the announcement did not arrive"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    other.close().await;
    app.cleanup().await;
}

async fn each_language_and_theme_has_its_own_page(b: Backend) {
    let app = spawn_app(b).await;
    let visitor = app.client();
    for _ in 0..2 {
        let (ru, _, _) = page(&visitor, "/courses", Some("lang=ru")).await;
        assert!(ru.contains(r#"lang="ru""#));
        let (en, _, _) = page(&visitor, "/courses", Some("lang=en")).await;
        assert!(en.contains(r#"lang="en""#));
        let (dark, _, _) = page(&visitor, "/courses", Some("lang=en; theme=dark")).await;
        assert!(dark.contains(r#"data-theme="dark""#), "dark theme page");
    }
    let (_, status, _) = page(&visitor, "/courses", Some("lang=en; theme=dark")).await;
    assert_eq!(status, "hit");
    app.cleanup().await;
}

async fn concurrent_visitors_of_a_missing_page_wait_for_one_render(b: Backend) {
    let app = spawn_app(b).await;
    settle(&app).await;
    let visitors: Vec<Client> = (0..20).map(|_| app.client()).collect();
    let answers =
        futures::future::join_all(visitors.iter().map(|v| page(v, "/courses", None))).await;
    let misses = answers.iter().filter(|(_, s, _)| s == "miss").count();
    assert_eq!(misses, 1, "one render for twenty visitors");
    // Each has its own nonce all the same.
    let mut nonces: Vec<&String> = answers.iter().map(|(_, _, n)| n).collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 20);
    app.cleanup().await;
}
