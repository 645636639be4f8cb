//! Profiles: pages, editing, avatars, following, the directory, settings.

use crate::both;
use crate::helpers::*;
use app::error::{AppError, Msg};
use app::profiles::ProfileMsg;
use app::profiles::{FollowPage, FollowState, Profile, ProfileLookup, Settings, TutorPage};
use serde_json::json;

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}@example.com",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

both!(
    a_profile_page_is_complete_html_with_metadata,
    profile_updates_are_validated_and_refusals_change_nothing,
    avatars_are_checked_resized_stripped_and_replaced,
    bad_avatar_files_are_refused_and_leave_nothing_behind,
    following_is_idempotent_and_counts_stay_exact_under_concurrency,
    following_refuses_self_unknown_and_anonymous,
    the_tutors_directory_filters_by_subject_and_pages_by_keyset,
    members_only_profiles_are_hidden_from_visitors,
    notification_settings_are_saved_and_checked,
    followers_and_following_lists_page_newest_first_and_keep_privacy,
);

async fn a_profile_page_is_complete_html_with_metadata(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("page");
    let c = confirmed_user(&app, &email, "Ivan Petrov", "tutor").await;
    let r: Call<()> = c
        .call_json(
            "profiles/update",
            profile_json("Ivan Petrov", &["math", "physics"]),
        )
        .await;
    r.unwrap();
    let anon = app.client();
    let res = anon.get("/u/ivan-petrov").await;
    assert_eq!(res.status(), 200);
    let csp = res
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<title>Ivan Petrov — tutor · Tutorium</title>"),
        "{html}"
    );
    assert!(html.contains(r#"<meta name="description" content="Maths that makes sense""#));
    assert!(
        html.contains(r#"<link href="http://127.0.0.1/u/ivan-petrov" rel="canonical">"#),
        "{html}"
    );
    assert!(!html.contains("og:image"), "no image without an avatar");
    assert!(html.contains(r#"<meta property="og:type" content="profile""#));
    assert!(
        html.contains(r#""@type":"Person""#)
            && html.contains(r#""knowsAbout":["Mathematics","Physics"]"#)
    );
    assert!(html.contains("Twenty years at school."));
    assert!(
        html.contains("1\u{a0}500\u{a0}₽") || html.contains("1 500"),
        "rate shown"
    );
    // User text is escaped, never markup.
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The page's own scripts carry the CSP nonce.
    let nonce = regex::Regex::new(r"'nonce-([^']+)'")
        .unwrap()
        .captures(&csp)
        .unwrap()[1]
        .to_string();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")));
    let p: ProfileLookup = anon
        .call("profiles/get", &[("handle", "ivan-petrov")])
        .await
        .unwrap();
    let ProfileLookup::Found(p) = p else { panic!() };
    assert_eq!(p.subjects, vec!["math", "physics"]);
    assert_eq!(p.hourly_rate_minor, Some(150_000));
    assert!(!p.is_me && !p.followed);
    // Unknown handles are a real 404.
    assert_eq!(anon.get("/u/nobody-here").await.status(), 404);
    app.cleanup().await;
}

async fn profile_updates_are_validated_and_refusals_change_nothing(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("val");
    let c = confirmed_user(&app, &email, "Valid Person", "tutor").await;
    let r: Call<()> = c
        .call_json("profiles/update", profile_json("Valid Person", &["math"]))
        .await;
    r.unwrap();
    let before: Profile = c.call("profiles/mine", &[]).await.unwrap();
    let mut bad = profile_json("", &["math", "astrology"]);
    bad["update"]["years_experience"] = json!("-3");
    bad["update"]["hourly_rate"] = json!("abc");
    bad["update"]["currency"] = json!("BTC");
    bad["update"]["headline"] = json!("x".repeat(500));
    let (status, e) = c.call_json::<()>("profiles/update", bad).await.unwrap_err();
    assert_eq!(status, 422);
    assert_eq!(e.field_msg("display_name"), Some(Msg::Required));
    assert_eq!(
        e.field_msg("subjects"),
        Some(Msg::Profile(ProfileMsg::SubjectUnknown))
    );
    assert_eq!(
        e.field_msg("years_experience"),
        Some(Msg::NumberOutOfRange { min: 0, max: 70 })
    );
    assert_eq!(
        e.field_msg("hourly_rate"),
        Some(Msg::NumberOutOfRange {
            min: 0,
            max: 1_000_000
        })
    );
    assert_eq!(e.field_msg("currency"), Some(Msg::CurrencyUnknown));
    assert_eq!(e.field_msg("headline"), Some(Msg::TooLong { max: 120 }));
    let after: Profile = c.call("profiles/mine", &[]).await.unwrap();
    assert_eq!(before, after);
    // Wrong types are a clear bad request.
    let e = c
        .call_json::<()>("profiles/update", json!({"update": {"display_name": 5}}))
        .await
        .unwrap_err();
    assert_eq!(e.1, AppError::BadRequest(Msg::BadInput));
    // Becoming a tutor adds the role; stopping removes it.
    let mut student = profile_json("Valid Person", &[]);
    student["update"]["is_tutor"] = json!(false);
    let r: Call<()> = c.call_json("profiles/update", student).await;
    r.unwrap();
    assert!(!c.me().await.unwrap().has(app::accounts::Role::Tutor));
    app.cleanup().await;
}

/// A JPEG carrying an EXIF block with a GPS-like marker string.
fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_fn(400, 300, |x, _| image::Rgb([(x % 255) as u8, 120, 200]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\0\0SECRET-GPS-LOCATION".to_vec();
    let len = (exif.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.append(&mut exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

async fn upload(c: &Client, name: &str, bytes: Vec<u8>, mime: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    c.http
        .post(format!("{}/api/profiles/avatar", c.base))
        .header("accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("avatar", part))
        .send()
        .await
        .unwrap()
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

async fn avatars_are_checked_resized_stripped_and_replaced(b: Backend) {
    let app = spawn_app(b).await;
    let c = confirmed_user(&app, &unique("pic"), "Pic Person", "student").await;
    let res = upload(&c, "me.jpg", jpeg_with_exif(), "image/jpeg").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let big = body["avatar_url"].as_str().unwrap().to_string();
    let small = body["avatar_small_url"].as_str().unwrap().to_string();
    for (url, size) in [(&big, 256), (&small, 64)] {
        let res = c.get(url).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert!(
            res.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        let etag = res.headers()["etag"].to_str().unwrap().to_string();
        let bytes = res.bytes().await.unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (size, size));
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF stripped");
        assert!(!bytes.windows(6).any(|w| w == b"SECRET"));
        let again = c
            .http
            .get(format!("{}{url}", c.base))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
    }
    assert_eq!(
        c.me().await.unwrap().avatar_url.as_deref(),
        Some(small.as_str())
    );
    assert_eq!(files_under(&app.media_dir).len(), 2);
    // Replacing removes the old files.
    let res = upload(&c, "new.png", png(300, 500), "image/png").await;
    assert_eq!(res.status(), 200);
    let files = files_under(&app.media_dir);
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(c.get(&big).await.status(), 404);
    // Removing deletes them too.
    let r: Call<()> = c.call("profiles/avatar-delete", &[]).await;
    r.unwrap();
    assert!(files_under(&app.media_dir).is_empty());
    assert!(c.me().await.unwrap().avatar_url.is_none());
    app.cleanup().await;
}

async fn bad_avatar_files_are_refused_and_leave_nothing_behind(b: Backend) {
    let app = spawn_app(b).await;
    let c = confirmed_user(&app, &unique("badpic"), "Bad Pic", "student").await;
    let cases: Vec<(&str, Vec<u8>, u16, Msg)> = vec![
        (
            "notes.jpg",
            b"just some text, not a picture at all".to_vec(),
            422,
            Msg::ImageUnsupported,
        ),
        (
            "half.png",
            png(300, 300)[..400].to_vec(),
            422,
            Msg::ImageCorrupt,
        ),
        ("tiny.png", png(20, 20), 422, Msg::ImageDimensions),
        ("empty.jpg", Vec::new(), 422, Msg::Required),
    ];
    for (name, bytes, status, msg) in cases {
        let res = upload(&c, name, bytes, "image/jpeg").await;
        assert_eq!(res.status().as_u16(), status, "{name}");
        let e: AppError = res.json().await.unwrap();
        assert_eq!(e.msg(), msg, "{name}");
    }
    // 20 MB: refused with the limit in the message.
    let mut big = png(1000, 1000);
    big.resize(20 * 1024 * 1024, 0);
    let res = upload(&c, "huge.png", big, "image/png").await;
    assert_eq!(res.status(), 422);
    let e: AppError = res.json().await.unwrap();
    assert_eq!(e.msg(), Msg::ImageTooLarge { max_mb: 5 });
    assert_eq!(
        e.msg().text(app::i18n::Locale::Ru),
        "Файл слишком большой: не больше 5 МБ."
    );
    // Anonymous uploads are refused.
    let res = upload(&app.client(), "me.png", png(100, 100), "image/png").await;
    assert_eq!(res.status(), 401);
    assert!(files_under(&app.media_dir).is_empty());
    assert!(c.me().await.unwrap().avatar_url.is_none());
    app.cleanup().await;
}

async fn following_is_idempotent_and_counts_stay_exact_under_concurrency(b: Backend) {
    let app = spawn_app(b).await;
    let tutor_email = unique("star");
    let _tutor = confirmed_user(&app, &tutor_email, "Star Tutor", "tutor").await;
    let tutor_id = app.user_id(&tutor_email).await.to_string();
    let mut fans = Vec::new();
    for i in 0..12 {
        let c = app.client();
        c.sign_up(
            &unique(&format!("fan{i}")),
            PASSWORD,
            "Fan Person",
            "student",
        )
        .await
        .unwrap();
        fans.push(c);
    }
    // Every fan double-clicks "follow": 24 concurrent requests.
    let form = [("user_id", tutor_id.as_str())];
    let mut tasks = Vec::new();
    for c in &fans {
        for _ in 0..2 {
            tasks.push(c.call::<FollowState>("profiles/follow", &form));
        }
    }
    for r in futures::future::join_all(tasks).await {
        assert!(r.unwrap().followed);
    }
    let id: i64 = tutor_id.parse().unwrap();
    assert_eq!(
        app.count(
            "SELECT followers_count FROM profiles WHERE user_id = $1",
            id
        )
        .await,
        12
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM follows WHERE followee_id = $1", id)
            .await,
        12
    );
    // Half of them unfollow, each twice at once.
    let mut tasks = Vec::new();
    for c in fans.iter().take(6) {
        for _ in 0..2 {
            tasks.push(c.call::<FollowState>("profiles/unfollow", &form));
        }
    }
    for r in futures::future::join_all(tasks).await {
        assert!(!r.unwrap().followed);
    }
    assert_eq!(
        app.count(
            "SELECT followers_count FROM profiles WHERE user_id = $1",
            id
        )
        .await,
        6
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM follows WHERE followee_id = $1", id)
            .await,
        6
    );
    let fan_id = app
        .count(
            "SELECT user_id FROM profiles WHERE following_count = 1 AND user_id <> $1 LIMIT 1",
            id,
        )
        .await;
    assert!(fan_id > 0);
    let p: ProfileLookup = fans[8]
        .call("profiles/get", &[("handle", "star-tutor")])
        .await
        .unwrap();
    let ProfileLookup::Found(p) = p else { panic!() };
    assert!(p.followed);
    assert_eq!(p.followers_count, 6);
    app.cleanup().await;
}

async fn following_refuses_self_unknown_and_anonymous(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("self");
    let c = confirmed_user(&app, &email, "Self Person", "student").await;
    let me = app.user_id(&email).await.to_string();
    let e = c
        .call::<FollowState>("profiles/follow", &[("user_id", &me)])
        .await
        .unwrap_err();
    assert_eq!(
        e.1,
        AppError::BadRequest(Msg::Profile(ProfileMsg::CannotFollowSelf))
    );
    let e = c
        .call::<FollowState>("profiles/follow", &[("user_id", "999999")])
        .await
        .unwrap_err();
    assert_eq!(e.0, 404);
    let e = c
        .call::<FollowState>("profiles/follow", &[("user_id", "abc")])
        .await
        .unwrap_err();
    assert_eq!(e.1, AppError::BadRequest(Msg::BadInput));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM follows WHERE follower_id = $1",
            me.parse().unwrap()
        )
        .await,
        0
    );
    app.cleanup().await;
}

async fn the_tutors_directory_filters_by_subject_and_pages_by_keyset(b: Backend) {
    let app = spawn_app(b).await;
    let mut math = 0;
    for i in 0..15 {
        let subject = if i % 3 == 0 { "math" } else { "english" };
        if subject == "math" {
            math += 1;
        }
        let c = confirmed_user(
            &app,
            &unique(&format!("t{i}")),
            &format!("Tutor Number {i}"),
            "tutor",
        )
        .await;
        let r: Call<()> = c
            .call_json(
                "profiles/update",
                profile_json(&format!("Tutor Number {i}"), &[subject]),
            )
            .await;
        r.unwrap();
    }
    // An unconfirmed tutor and a student are not listed.
    app.client()
        .sign_up(
            &unique("unconfirmed"),
            PASSWORD,
            "Unconfirmed Tutor",
            "tutor",
        )
        .await
        .unwrap();
    confirmed_user(&app, &unique("stud"), "Just Student", "student").await;
    let anon = app.client();
    let first: TutorPage = anon.call("profiles/tutors", &[]).await.unwrap();
    assert_eq!(first.items.len(), 12);
    let next = first.next.clone().expect("a second page");
    let second: TutorPage = anon
        .call("profiles/tutors", &[("after", &next)])
        .await
        .unwrap();
    assert_eq!(second.items.len(), 3);
    assert!(second.next.is_none());
    let mut handles: Vec<String> = first
        .items
        .iter()
        .chain(second.items.iter())
        .map(|t| t.handle.clone())
        .collect();
    handles.sort();
    handles.dedup();
    assert_eq!(handles.len(), 15, "no duplicates, no gaps");
    let only_math: TutorPage = anon
        .call("profiles/tutors", &[("subject", "math")])
        .await
        .unwrap();
    assert_eq!(only_math.items.len(), math);
    assert!(
        only_math
            .items
            .iter()
            .all(|t| t.subjects == vec!["math".to_string()])
    );
    let e = anon
        .call::<TutorPage>("profiles/tutors", &[("subject", "astrology")])
        .await
        .unwrap_err();
    assert_eq!(
        e.1,
        AppError::BadRequest(Msg::Profile(ProfileMsg::SubjectUnknown))
    );
    let e = anon
        .call::<TutorPage>("profiles/tutors", &[("after", "x_y")])
        .await
        .unwrap_err();
    assert_eq!(e.1, AppError::BadRequest(Msg::BadInput));
    // The server-rendered directory lists them too.
    let html = anon.get("/tutors?subject=math").await.text().await.unwrap();
    assert!(html.contains("Tutor Number 0") && !html.contains("Tutor Number 1<"));
    app.cleanup().await;
}

async fn members_only_profiles_are_hidden_from_visitors(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("private");
    let c = confirmed_user(&app, &email, "Private Tutor", "tutor").await;
    let r: Call<()> = c
        .call_json("profiles/update", profile_json("Private Tutor", &["math"]))
        .await;
    r.unwrap();
    assert!(
        app.client()
            .get("/sitemap.xml")
            .await
            .text()
            .await
            .unwrap()
            .contains("/u/private-tutor")
    );
    let r: Call<()> = c
        .call_json(
            "profiles/settings-update",
            json!({"email_on": [], "visibility": "members"}),
        )
        .await;
    r.unwrap();
    let anon = app.client();
    let p: ProfileLookup = anon
        .call("profiles/get", &[("handle", "private-tutor")])
        .await
        .unwrap();
    assert_eq!(
        p,
        ProfileLookup::MembersOnly {
            display_name: "Private Tutor".into()
        }
    );
    let html = anon.get("/u/private-tutor").await.text().await.unwrap();
    assert!(!html.contains("Maths that makes sense") && html.contains("noindex"));
    let member = confirmed_user(&app, &unique("member"), "Member", "student").await;
    let p: ProfileLookup = member
        .call("profiles/get", &[("handle", "private-tutor")])
        .await
        .unwrap();
    assert!(matches!(p, ProfileLookup::Found(_)));
    assert!(
        !anon
            .get("/sitemap.xml")
            .await
            .text()
            .await
            .unwrap()
            .contains("/u/private-tutor")
    );
    let page: TutorPage = anon.call("profiles/tutors", &[]).await.unwrap();
    assert!(page.items.is_empty());
    app.cleanup().await;
}

async fn notification_settings_are_saved_and_checked(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("notify");
    let c = confirmed_user(&app, &email, "Notify Me", "student").await;
    let s: Settings = c.call("profiles/settings", &[]).await.unwrap();
    assert!(s.email.iter().all(|(_, on)| *on), "on by default");
    assert_eq!(s.visibility, "public");
    let r: Call<()> = c
        .call_json(
            "profiles/settings-update",
            json!({"email_on": ["comments"], "visibility": "public"}),
        )
        .await;
    r.unwrap();
    let s: Settings = c.call("profiles/settings", &[]).await.unwrap();
    for (kind, on) in &s.email {
        assert_eq!(*on, kind == "comments", "{kind}");
    }
    let id = app.user_id(&email).await;
    assert!(
        !app::profiles::db::wants_email(&app.db, app::ids::UserId(id), "likes")
            .await
            .unwrap()
    );
    assert!(
        app::profiles::db::wants_email(&app.db, app::ids::UserId(id), "comments")
            .await
            .unwrap()
    );
    let e = c
        .call_json::<()>(
            "profiles/settings-update",
            json!({"email_on": ["spam"], "visibility": "public"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.0, 422);
    let e = c
        .call_json::<()>(
            "profiles/settings-update",
            json!({"email_on": [], "visibility": "secret"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1.field_msg("visibility"),
        Some(Msg::Profile(ProfileMsg::VisibilityInvalid))
    );
    let s2: Settings = c.call("profiles/settings", &[]).await.unwrap();
    assert_eq!(s, s2, "refused changes change nothing");
    app.cleanup().await;
}

/// `n` people made straight in the database (no sign-up round trips), named "Person 0"…, with
/// handles `{tag}-0`…
async fn people_in_db(app: &TestApp, tag: &str, n: usize) -> Vec<app::ids::UserId> {
    let mut ids = Vec::new();
    for i in 0..n {
        let mut tx = app.state.db.w().begin().await.unwrap();
        let id = app::accounts::db::insert_user(
            &mut tx,
            &unique(&format!("{tag}{i}")),
            "not-a-hash",
            &format!("Person {i}"),
            &format!("{tag}-{i}"),
            "en",
            1_000,
        )
        .await
        .unwrap()
        .unwrap();
        app::profiles::db::insert_profile(&mut tx, id, i % 3 == 0, 1_000)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

/// A page of popular-tutor's followers (`"true"`) or follows, after `after`.
async fn list(c: &Client, followers: &str, after: String) -> Call<FollowPage> {
    c.call(
        "profiles/follows",
        &[
            ("handle", "popular-tutor"),
            ("followers", followers),
            ("after", &after),
        ],
    )
    .await
}

async fn followers_and_following_lists_page_newest_first_and_keep_privacy(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("popular");
    let owner = confirmed_user(&app, &email, "Popular Tutor", "tutor").await;
    let owner_id = app::ids::UserId(app.user_id(&email).await);
    let tag = format!("f{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let fans = people_in_db(&app, &tag, 34).await;
    // Person i follows at time 10_000 + i: the newest follow is Person 33's.
    for (i, fan) in fans.iter().enumerate() {
        app::profiles::db::insert_follow(&app.state.db, *fan, owner_id, 10_000 + i as i64)
            .await
            .unwrap();
    }
    // Person 33 is banned, Person 32 shows their profile to members only.
    sqlx::query("UPDATE users SET banned_at = 1 WHERE id = $1")
        .bind(fans[33])
        .execute(app.state.db.w())
        .await
        .unwrap();
    sqlx::query("UPDATE profiles SET visibility = 'members' WHERE user_id = $1")
        .bind(fans[32])
        .execute(app.state.db.w())
        .await
        .unwrap();
    let anon = app.client();
    let first = list(&anon, "true", String::new()).await.unwrap();
    assert_eq!(first.count, 34, "the profile's counter");
    assert_eq!(first.display_name, "Popular Tutor");
    let names: Vec<&str> = first
        .items
        .iter()
        .map(|p| p.display_name.as_str())
        .collect();
    assert_eq!(names.len(), 30);
    assert_eq!(
        &names[..2],
        ["Person 31", "Person 30"],
        "newest first, banned and members-only left out"
    );
    assert!(first.items.iter().all(|p| p.avatar_url.is_none()));
    assert!(first.items[1].is_tutor && !first.items[0].is_tutor);
    let second = list(&anon, "true", first.next.clone().unwrap())
        .await
        .unwrap();
    let names: Vec<&str> = second
        .items
        .iter()
        .map(|p| p.display_name.as_str())
        .collect();
    assert_eq!(names, ["Person 1", "Person 0"]);
    assert_eq!(second.next, None);
    // A member also sees the members-only person; nobody sees the banned one.
    let member = confirmed_user(&app, &unique("member"), "Member", "student").await;
    let seen = list(&member, "true", String::new()).await.unwrap();
    assert_eq!(seen.items[0].display_name, "Person 32");
    // Whom the owner follows.
    for fan in &fans[..2] {
        let r: FollowState = owner
            .call("profiles/follow", &[("user_id", &fan.get().to_string())])
            .await
            .unwrap();
        assert!(r.followed);
    }
    let following = list(&anon, "false", String::new()).await.unwrap();
    assert_eq!(following.count, 2);
    let mut names: Vec<String> = following
        .items
        .into_iter()
        .map(|p| p.display_name)
        .collect();
    names.sort();
    assert_eq!(names, ["Person 0", "Person 1"]);
    // The pages: full HTML, not for search engines, linked from the profile's counts.
    let html = anon
        .get("/u/popular-tutor/followers")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Person 31") && html.contains("noindex"),
        "{html}"
    );
    assert!(html.contains(r#"href="/u/popular-tutor/followers?after="#));
    let html = anon
        .get("/u/popular-tutor/following")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Person 0") && !html.contains("Person 31"));
    let html = anon.get("/u/popular-tutor").await.text().await.unwrap();
    assert!(html.contains(r#"href="/u/popular-tutor/followers""#));
    assert!(html.contains(r#"href="/u/popular-tutor/following""#));
    // Bad input changes nothing and says why.
    let bad = list(&anon, "true", "soon".into()).await;
    assert!(
        matches!(bad, Err((422, AppError::BadRequest(Msg::BadInput)))),
        "{bad:?}"
    );
    let none = anon
        .call::<FollowPage>(
            "profiles/follows",
            &[("handle", "nobody-here"), ("followers", "true")],
        )
        .await;
    assert!(matches!(none, Err((404, AppError::NotFound))), "{none:?}");
    // A members-only owner's lists are for members.
    let r: Call<()> = owner
        .call_json(
            "profiles/settings-update",
            json!({"email_on": [], "visibility": "members"}),
        )
        .await;
    r.unwrap();
    let hidden = list(&anon, "true", String::new()).await;
    assert!(
        matches!(hidden, Err((401, AppError::NotAuthenticated))),
        "{hidden:?}"
    );
    assert!(list(&member, "true", String::new()).await.is_ok());
    app.cleanup().await;
}
