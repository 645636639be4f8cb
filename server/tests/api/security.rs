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
    image_bombs_are_refused_from_their_header,
    uploads_stop_at_the_owners_storage_quota,
    upload_bodies_are_streamed_to_disk_and_leave_nothing_behind,
    parallel_uploads_cannot_pass_the_quota_together,
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

/// A PNG chunk: length, type, data, CRC-32 of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    out.extend(kind);
    out.extend(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend(crc.sum().to_be_bytes());
}

/// The image bomb of the review: 8000×8000, 16-bit RGBA, all zeros — about 0.5 MB of file that
/// decodes to 512 MB. Made once per run (compressing 512 MB of zeros takes a moment).
fn bomb() -> &'static [u8] {
    static B: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        use std::io::Write;
        let (w, h) = (8000u32, 8000u32);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let row = vec![0u8; 1 + w as usize * 8];
        for _ in 0..h {
            z.write_all(&row).unwrap();
        }
        let idat = z.finish().unwrap();
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([16, 6, 0, 0, 0]); // 16 bits, RGBA, deflate, no filter, no interlace
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &idat);
        chunk(&mut png, b"IEND", &[]);
        png
    })
}

async fn upload_picture(c: &Client, path: &str, field: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("bomb.png")
        .mime_str("image/png")
        .unwrap();
    c.http
        .post(format!("{}{path}", c.base))
        .header("accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part(field.to_string(), part))
        .send()
        .await
        .unwrap()
}

/// Twenty bombs at once, as avatars and as a course cover: each refused from its header with a
/// message saying what fits, nothing stored. (Before: each was decoded, 12–17 s of CPU and
/// gigabytes of memory, and accepted.)
async fn image_bombs_are_refused_from_their_header(b: Backend) {
    let app = spawn_app(b).await;
    let bytes = bomb().to_vec();
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let c = confirmed_user(
        &app,
        &format!(
            "bomb-{}@example.com",
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        ),
        "Bomb Maker",
        "tutor",
    )
    .await;
    let (course, _, _) = crate::quizzes::course(&c, None, "Курс с обложкой", 0).await;
    let expected = Msg::ImageTooManyPixels { megapixels: 24 };
    let uploads = (0..20).map(|i| {
        let (path, field) = if i % 4 == 0 {
            (format!("/api/courses/{course}/cover"), "cover")
        } else {
            ("/api/profiles/avatar".to_string(), "avatar")
        };
        let (c, bytes) = (&c, bytes.clone());
        async move { upload_picture(c, &path, field, bytes).await }
    });
    for r in futures::future::join_all(uploads).await {
        assert_eq!(r.status().as_u16(), 422);
        let e: AppError = r.json().await.unwrap();
        assert_eq!(e.msg(), expected);
    }
    assert!(
        expected
            .text(app::i18n::Locale::En)
            .starts_with("The image is too large to process: at most 24 megapixels")
    );
    assert!(c.me().await.unwrap().avatar_url.is_none());
    app.cleanup().await;
}

/// A quota of 1 MiB: a video announced over what is left is refused before a byte is sent, a
/// lesson file too, with how much is used; deleting frees the space; the studio shows the use.
async fn uploads_stop_at_the_owners_storage_quota(b: Backend) {
    let app = spawn_app_with(b, |c| c.storage_quota_mb = 1).await;
    let c = confirmed_user(
        &app,
        &format!(
            "quota-{}@example.com",
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        ),
        "Quota Tutor",
        "tutor",
    )
    .await;
    let mib = 1024 * 1024;
    let full = |used_mb| Msg::StorageFull {
        used_mb,
        quota_mb: 1,
    };
    // Over the whole quota at once: 413, nothing created.
    let r = crate::video::create(&c, mib + 1, "big.mp4").await;
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<AppError>().await.unwrap().field_msg("file"),
        Some(full(0))
    );
    // 900 kB announced: accepted, and it counts while it uploads.
    let r = crate::video::create(&c, 900_000, "first.mp4").await;
    assert_eq!(r.status(), 201);
    let upload = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        storage(&c).await,
        app::video::StorageUse {
            used_bytes: 900_000,
            quota_bytes: mib as i64
        }
    );
    let r = crate::video::create(&c, 200_000, "second.mp4").await;
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<AppError>().await.unwrap().field_msg("file"),
        Some(full(1))
    );
    // A lesson file counts against the same quota.
    let (course, _, lessons) = crate::quizzes::course(&c, None, "Курс с файлами", 1).await;
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(200_000, b' ');
    let r =
        crate::courses::upload_attachment(&c, course, lessons[0], "notes.pdf", pdf.clone()).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<AppError>().await.unwrap().field_msg("file"),
        Some(full(1))
    );
    // Deleting the upload frees its space.
    let r: Call<()> = c
        .call(
            "videos/delete",
            &[("id", upload.rsplit('/').next().unwrap())],
        )
        .await;
    r.unwrap();
    let r = crate::courses::upload_attachment(&c, course, lessons[0], "notes.pdf", pdf).await;
    assert_eq!(r.status(), 200);
    assert_eq!(storage(&c).await.used_bytes, 200_000);
    assert!(
        full(1)
            .text(app::i18n::Locale::En)
            .starts_with("Your storage is full: 1 MB of 1 MB used.")
    );
    // Someone else's quota is their own; visitors have none to see.
    let other = confirmed_user(
        &app,
        &format!(
            "quota-other-{}@example.com",
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        ),
        "Other Tutor",
        "tutor",
    )
    .await;
    assert_eq!(storage(&other).await.used_bytes, 0);
    let r = app
        .client()
        .call::<app::video::StorageUse>("videos/storage", &[])
        .await;
    assert_eq!(r.unwrap_err().0, 401);
    app.cleanup().await;
}

async fn storage(c: &Client) -> app::video::StorageUse {
    c.call("videos/storage", &[]).await.unwrap()
}

/// Temporary upload files (`DATA_DIR/uploads/form-*`) left behind.
fn spooled_files(app: &TestApp) -> Vec<String> {
    let dir = app.state.config.uploads_dir();
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with("form-"))
                .collect()
        })
        .unwrap_or_default()
}

async fn upload_bodies_are_streamed_to_disk_and_leave_nothing_behind(b: Backend) {
    let app = spawn_app(b).await;
    let c = a_tutor(&app, "Streaming Tutor").await;
    let (course, _, lessons) = crate::quizzes::course(&c, None, "Курс с большим файлом", 1).await;
    // A 30 MB lesson file goes through a temporary file into storage, byte for byte.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.extend((0..30 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let r = crate::courses::upload_attachment(&c, course, lessons[0], "big.pdf", big.clone()).await;
    assert_eq!(r.status(), 200);
    let a: app::courses::Attachment = r.json().await.unwrap();
    assert_eq!(a.size_bytes, big.len() as i64);
    let got = c.get(&a.url).await.bytes().await.unwrap();
    assert!(got == big.as_slice(), "the stored file differs");
    assert!(spooled_files(&app).is_empty(), "{:?}", spooled_files(&app));
    // Over the limit: refused with the limit named, and the partial file is gone too.
    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(app::courses::ATTACHMENT_MAX_BYTES + 1024, b' ');
    let r = crate::courses::upload_attachment(&c, course, lessons[0], "huge.pdf", huge).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<AppError>().await.unwrap().field_msg("file"),
        Some(Msg::Course(app::courses::CourseMsg::AttachmentTooBig {
            max_mb: 50
        }))
    );
    // A fake file (not what its name says) is refused from its first bytes, and removed.
    let r = crate::courses::upload_attachment(&c, course, lessons[0], "fake.pdf", vec![0u8; 4096])
        .await;
    assert_eq!(r.status(), 422);
    assert!(spooled_files(&app).is_empty(), "{:?}", spooled_files(&app));
    app.cleanup().await;
}

async fn parallel_uploads_cannot_pass_the_quota_together(b: Backend) {
    let app = spawn_app_with(b, |c| c.storage_quota_mb = 1).await;
    let c = a_tutor(&app, "Racing Tutor").await;
    let (course, _, lessons) = crate::quizzes::course(&c, None, "Курс гонки", 1).await;
    // Eight lesson files of 300 kB at once against 1 MB: each alone fits, together only three.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(300_000, b' ');
    let names: Vec<String> = (0..8).map(|i| format!("part{i}.pdf")).collect();
    let uploads = names
        .iter()
        .map(|n| crate::courses::upload_attachment(&c, course, lessons[0], n, pdf.clone()));
    let statuses: Vec<u16> = futures::future::join_all(uploads)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        5,
        "{statuses:?}"
    );
    let used = app
        .count(
            "SELECT CAST(COALESCE(SUM(a.size_bytes), 0) AS BIGINT) FROM lesson_attachments a WHERE a.lesson_id = $1",
            lessons[0],
        )
        .await;
    assert!(used <= 1024 * 1024, "{used}");
    app.cleanup().await;
}
