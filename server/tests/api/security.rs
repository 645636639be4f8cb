//! Security hardening (the review against OWASP ASVS): each test here failed before its fix.

use crate::both;
use crate::helpers::*;
use app::courses::api::Enrolled;
use app::error::{AppError, Msg};
use app::layout::SiteNotices;
use app::payments::PaymentMsg;

both!(
    the_sandbox_provider_is_off_unless_configured,
    a_site_with_demo_accounts_says_so_on_every_page,
    posting_commenting_and_enrolling_need_a_confirmed_address,
    live_streams_are_limited_per_person_and_per_address,
    pages_may_connect_only_to_the_site_itself,
);

async fn enroll(c: &Client, course: i64) -> Call<Enrolled> {
    c.call("courses/enroll", &[("course", &course.to_string())])
        .await
}

/// Without `PAYMENTS_SANDBOX`, nobody can mark an order paid: a paid course cannot be bought
/// (with a message saying why), the sandbox's pay button and webhook answer 404, and no page
/// speaks of test payments. With it, pages say payments are test payments.
async fn the_sandbox_provider_is_off_unless_configured(b: Backend) {
    let app = spawn_app_with(b, |c| c.payments_sandbox = false).await;
    let author = a_tutor(&app, "Paid Author").await;
    let m = a_moderator(&app).await;
    let course = CourseBuilder::new("Платный курс")
        .price("990")
        .build(&author, Some(&m))
        .await;
    let buyer = a_student(&app, "Buyer").await;
    assert_eq!(
        enroll(&buyer, course.id).await.unwrap_err(),
        (
            409,
            AppError::Conflict(Msg::Payment(PaymentMsg::NoProvider))
        )
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders WHERE item_id = $1", course.id)
            .await,
        0,
        "no order is made"
    );
    // An order made while the sandbox was on cannot be paid once it is off.
    sqlx::query(
        "INSERT INTO orders (public_id, user_id, item_type, item_id, title, return_path, amount_minor, currency, provider, status, created_at, expires_at, updated_at) \
         VALUES ('old-order', $1, 'course', $2, 't', '/', 99000, 'RUB', 'sandbox', 'pending', 1, 9999999999999, 1)",
    )
    .bind(buyer.me().await.unwrap().id)
    .bind(course.id)
    .execute(app.db.w())
    .await
    .unwrap();
    let paid: Call<String> = buyer
        .call("payments/sandbox-pay", &[("id", "old-order")])
        .await;
    assert_eq!(paid.unwrap_err().0, 404);
    let hook = buyer
        .http
        .post(format!("{}/api/payments/webhook/sandbox", app.addr))
        .header("x-signature", "sha256=00")
        .body(r#"{"order":"old-order","status":"paid"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), 404);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM enrollments WHERE course_id = $1",
            course.id
        )
        .await,
        0
    );
    let notices: SiteNotices = buyer.call("site/notices", &[]).await.unwrap();
    assert_eq!(notices, SiteNotices::default());
    let page = buyer.get("/courses").await.text().await.unwrap();
    assert!(!page.contains("test payments"), "no test-payments notice");
    app.cleanup().await;

    let app = spawn_app(b).await;
    let visitor = app.client();
    let notices: SiteNotices = visitor.call("site/notices", &[]).await.unwrap();
    assert!(notices.test_payments && !notices.demo);
    let page = visitor.get("/").await.text().await.unwrap();
    assert!(
        page.contains("Payments are test payments: no money moves."),
        "every page says payments are test payments"
    );
    app.cleanup().await;
}

/// `tutorium demo` marks its accounts, and then every page says the site is a demo.
async fn a_site_with_demo_accounts_says_so_on_every_page(b: Backend) {
    let app = spawn_app(b).await;
    let visitor = app.client();
    let page = visitor.get("/courses").await.text().await.unwrap();
    assert!(!page.contains("This is a demo site"));
    assert!(server::demo::fill(&app.state, true).await.unwrap());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE demo = $1", 1)
            .await,
        10,
        "every demo account is marked"
    );
    let someone = a_student(&app, "Real Person").await;
    assert_eq!(
        app.count_text(
            "SELECT demo FROM users WHERE email = $1",
            &someone.me().await.unwrap().email
        )
        .await,
        0,
        "accounts people make are not"
    );
    for path in ["/", "/courses", "/login"] {
        let page = visitor.get(path).await.text().await.unwrap();
        assert!(
            page.contains("This is a demo site: its sample accounts share a published password"),
            "{path} says the site is a demo"
        );
    }
    let ru = app.client();
    let page = ru
        .http
        .get(format!("{}/courses", app.addr))
        .header("accept-language", "ru")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Это демонстрационный сайт"), "in Russian too");
    app.cleanup().await;
}

/// Until they confirm their e-mail address, people can read but not post, comment, enroll or
/// pay; the refusal says so (403 `EmailUnconfirmed`) and changes nothing.
async fn posting_commenting_and_enrolling_need_a_confirmed_address(b: Backend) {
    let app = spawn_app(b).await;
    let tutor = a_tutor(&app, "Confirmed Tutor").await;
    let m = a_moderator(&app).await;
    let free = CourseBuilder::new("Бесплатный курс")
        .lessons(1)
        .build(&tutor, Some(&m))
        .await;
    let paid = CourseBuilder::new("Платный курс")
        .price("500")
        .build(&tutor, Some(&m))
        .await;
    let post: i64 = tutor
        .call(
            "feed/create",
            &[("body", "Hello"), ("tags", ""), ("video", "")],
        )
        .await
        .unwrap();

    let newcomer = app.client();
    let email = unique_email("unconfirmed");
    newcomer
        .sign_up(&email, PASSWORD, "Not Yet Confirmed", "tutor")
        .await
        .unwrap();
    let refused = (403, AppError::EmailUnconfirmed);
    let made: Call<i64> = newcomer
        .call(
            "feed/create",
            &[("body", "Spam"), ("tags", ""), ("video", "")],
        )
        .await;
    assert_eq!(made.unwrap_err(), refused, "posting");
    let said: Call<serde_json::Value> = newcomer
        .call(
            "feed/comment",
            &[("post", &post.to_string()), ("body", "Spam")],
        )
        .await;
    assert_eq!(said.unwrap_err(), refused, "commenting");
    assert_eq!(
        enroll(&newcomer, free.id).await.unwrap_err(),
        refused,
        "enrolling"
    );
    assert_eq!(
        enroll(&newcomer, paid.id).await.unwrap_err(),
        refused,
        "paying"
    );
    let uid = newcomer.me().await.unwrap().id;
    for (sql, what) in [
        ("SELECT COUNT(*) FROM posts WHERE author_id = $1", "posts"),
        (
            "SELECT COUNT(*) FROM comments WHERE author_id = $1",
            "comments",
        ),
        (
            "SELECT COUNT(*) FROM enrollments WHERE user_id = $1",
            "enrollments",
        ),
        ("SELECT COUNT(*) FROM orders WHERE user_id = $1", "orders"),
    ] {
        assert_eq!(app.count(sql, uid).await, 0, "no {what}");
    }
    // Reading needs nothing.
    let page = newcomer.get(&format!("/courses/{}", free.slug)).await;
    assert_eq!(page.status(), 200);
    let feed: Call<serde_json::Value> = newcomer.call("feed/list", &[("tab", "popular")]).await;
    assert!(feed.is_ok());

    let code = app.confirmation_code(&email).await;
    let ok: Call<()> = newcomer.call("accounts/confirm", &[("code", &code)]).await;
    ok.unwrap();
    assert!(matches!(
        enroll(&newcomer, free.id).await.unwrap(),
        Enrolled::Done
    ));
    let made: Call<i64> = newcomer
        .call(
            "feed/create",
            &[("body", "Now I may"), ("tags", ""), ("video", "")],
        )
        .await;
    assert!(made.is_ok(), "{made:?}");
    app.cleanup().await;
}

async fn open_stream(c: &Client) -> reqwest::Response {
    c.http
        .get(format!("{}/api/notifications/stream", c.base))
        .send()
        .await
        .unwrap()
}

/// A person may keep only so many live streams open, and so may one address; a closed stream
/// frees its slot.
async fn live_streams_are_limited_per_person_and_per_address(b: Backend) {
    let app = spawn_app_with(b, |c| {
        c.limit_streams_per_user = 2;
        c.limit_streams_per_ip = 3;
    })
    .await;
    let email = unique_email("streamer");
    let one = confirmed_user(&app, &email, "Streamer", "student").await;
    let a = open_stream(&one).await;
    let b2 = open_stream(&one).await;
    assert_eq!((a.status().as_u16(), b2.status().as_u16()), (200, 200));
    let refused = open_stream(&one).await;
    assert_eq!(refused.status(), 429, "a third stream of one person");
    assert_eq!(
        serde_json::from_str::<AppError>(&refused.text().await.unwrap()).unwrap(),
        AppError::RateLimited {
            retry_after_secs: 60
        }
    );
    drop(a);
    let mut again = None;
    for _ in 0..50 {
        let r = open_stream(&one).await;
        if r.status() == 200 {
            again = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(again.is_some(), "a closed stream frees its slot");

    // Three people behind one address: the fourth stream from it is refused.
    let mut held = Vec::new();
    for i in 0..4 {
        let e = unique_email("office");
        confirmed_user(&app, &e, "Office Worker", "student").await;
        let c = app.client_from("10.200.0.1");
        c.log_in(&e, PASSWORD).await.unwrap();
        let r = open_stream(&c).await;
        if i < 3 {
            assert_eq!(r.status(), 200, "stream {i} from the office");
            held.push(r);
        } else {
            assert_eq!(r.status(), 429, "one address past its limit");
        }
    }
    app.cleanup().await;
}

/// The CSP lets pages connect (fetch, EventSource, WebSocket) only to the site itself.
async fn pages_may_connect_only_to_the_site_itself(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    for path in ["/", "/api/site/notices", "/no-such-page"] {
        let res = if path.starts_with("/api/") {
            c.http
                .post(format!("{}{path}", c.base))
                .send()
                .await
                .unwrap()
        } else {
            c.get(path).await
        };
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let connect = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("connect-src"))
            .unwrap_or_else(|| panic!("{path}: no connect-src in {csp}"));
        assert_eq!(connect, "connect-src 'self'", "{path}");
    }
    app.cleanup().await;
}
