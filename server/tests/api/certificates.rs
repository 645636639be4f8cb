//! Certificates: issued only when every lesson is done and the final exam is passed, exactly
//! once under concurrent triggers; the PDF (Range, text content); the public verification page;
//! revoking; archived courses; "my certificates".

use crate::both;
use crate::helpers::*;
use crate::quizzes::{
    by_prompt, course, email, enroll, moderator, n, pos, save, single_question, start, student,
    submit, tutor,
};
use app::certificates::CertificateMsg;
use app::certificates::{CertificateItem, CertificateView};
use app::error::{AppError, Msg};
use app::quizzes::{Answer, AttemptResult};

both!(
    a_certificate_needs_every_lesson_and_the_passed_exam,
    concurrent_triggers_issue_exactly_one_certificate,
    the_pdf_holds_the_name_and_code_and_is_served_with_ranges,
    the_verification_page_shows_the_certificate_even_after_archiving,
    only_admins_revoke_and_only_once,
    my_certificates_lists_only_my_own,
);

// ---------------- helpers ----------------

/// A published course with two lessons and a one-question final exam, and its author.
struct Setup {
    author: Client,
    moderator: Client,
    course: i64,
    slug: String,
    title: String,
    lessons: Vec<i64>,
    exam: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let author = tutor(app, "Ирина Преподаватель").await;
    let moderator = moderator(app).await;
    let title = format!(
        "Rust с нуля {}",
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let (course, slug, lessons) = course(&author, Some(&moderator), &title, 2).await;
    let exam = save(&author, course, None, &single_question("Экзамен"))
        .await
        .unwrap();
    Setup {
        author,
        moderator,
        course,
        slug,
        title,
        lessons,
        exam,
    }
}

async fn learner(app: &TestApp, s: &Setup, name: &str) -> Client {
    let c = student(app, name).await;
    enroll(&c, s.course).await;
    c
}

async fn complete(c: &Client, lesson: i64) {
    let r: Call<()> = c.call("courses/complete", &[("lesson", &n(lesson))]).await;
    r.unwrap();
}

/// Takes the exam, answering right or wrong.
async fn take_exam(c: &Client, exam: i64, right: bool) -> AttemptResult {
    let v = start(c, exam).await.unwrap();
    let q = by_prompt(&v, "2 + 2?");
    let a = Answer::Single(pos(q, if right { "4" } else { "3" }));
    let r = submit(c, v.id, &[(q.id, a)]).await.unwrap();
    assert_eq!(r.passed, right);
    r
}

/// A learner who completed every lesson and passed the exam: (client, certificate code).
async fn graduate(app: &TestApp, s: &Setup, name: &str) -> (Client, String) {
    let c = learner(app, s, name).await;
    for l in &s.lessons {
        complete(&c, *l).await;
    }
    let r = take_exam(&c, s.exam, true).await;
    let code = r
        .certificate_code
        .expect("a certificate with the passing result");
    (c, code)
}

async fn certificates_of(app: &TestApp, user: i64) -> i64 {
    app.count("SELECT COUNT(*) FROM certificates WHERE user_id = $1", user)
        .await
}

async fn admin(app: &TestApp) -> Client {
    let e = email("admin");
    let c = confirmed_user(app, &e, "Cert Admin", "student").await;
    app::accounts::service::grant_role(&app.state, &e, app::accounts::Role::Admin)
        .await
        .unwrap();
    c.turn_on_mfa().await;
    c
}

async fn verify(c: &Client, code: &str) -> Call<CertificateView> {
    c.call("certificates/verify", &[("code", code)]).await
}

async fn revoke(c: &Client, code: &str, reason: &str) -> Call<()> {
    c.call("certificates/revoke", &[("code", code), ("reason", reason)])
        .await
}

async fn mine(c: &Client) -> Call<Vec<CertificateItem>> {
    c.call("certificates/mine", &[]).await
}

/// The text of a PDF, through `pdftotext` (poppler-utils).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The same code with its last character changed (still well formed).
fn tampered(code: &str) -> String {
    let mut s = code.to_string();
    let last = s.pop().unwrap();
    s.push(if last == 'A' { 'B' } else { 'A' });
    s
}

// ---------------- tests ----------------

async fn a_certificate_needs_every_lesson_and_the_passed_exam(b: Backend) {
    let app = spawn_app(b).await;
    let s = setup(&app).await;

    // Every lesson done, the exam failed: nothing.
    let first = learner(&app, &s, "Первый Ученик").await;
    let first_id = app.user_id_of(&first).await;
    for l in &s.lessons {
        complete(&first, *l).await;
    }
    assert_eq!(certificates_of(&app, first_id).await, 0, "no exam passed");
    let r = take_exam(&first, s.exam, false).await;
    assert_eq!(r.certificate_code, None);
    assert_eq!(certificates_of(&app, first_id).await, 0, "exam failed");
    // Passing it issues the certificate.
    let r = take_exam(&first, s.exam, true).await;
    let code = r.certificate_code.expect("issued");
    assert!(app::certificates::code_well_formed(&code), "{code}");
    assert_eq!(certificates_of(&app, first_id).await, 1);
    // Passing again issues nothing new.
    let again = take_exam(&first, s.exam, true).await;
    assert_eq!(again.certificate_code.as_deref(), Some(code.as_str()));
    assert_eq!(certificates_of(&app, first_id).await, 1);
    // Its PDF job was queued; running it (twice) stores one PDF and records it.
    let jobs = app::server::jobs::list_for(&app.db, &format!("certificate:{code}"))
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].kind, app::certificates::service::PDF_JOB.name);
    app::certificates::service::store_pdf(&app.state, &code)
        .await
        .unwrap();
    app::certificates::service::store_pdf(&app.state, &code)
        .await
        .unwrap();
    let row = app::certificates::db::select_by_code(&app.db, &code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.pdf_key.as_deref(),
        Some(format!("certificates/{code}.pdf").as_str())
    );
    assert_eq!(
        app.state.storage.list("certificates").await.unwrap().len(),
        1
    );
    // The snapshot.
    assert_eq!(row.learner_name, "Первый Ученик");
    assert_eq!(row.course_title, s.title);
    assert_eq!(row.tutor_name, "Ирина Преподаватель");
    assert_eq!(row.score_percent, 100);

    // The exam passed, a lesson left: nothing until the last lesson is completed.
    let second = learner(&app, &s, "Второй Ученик").await;
    let second_id = app.user_id_of(&second).await;
    let r = take_exam(&second, s.exam, true).await;
    assert_eq!(r.certificate_code, None, "lessons left");
    complete(&second, s.lessons[0]).await;
    assert_eq!(certificates_of(&app, second_id).await, 0, "a lesson left");
    complete(&second, s.lessons[1]).await;
    assert_eq!(certificates_of(&app, second_id).await, 1, "the last lesson");
    complete(&second, s.lessons[1]).await;
    assert_eq!(certificates_of(&app, second_id).await, 1);

    // A course without a final exam issues none.
    let (plain, _, plain_lessons) = course(&s.author, Some(&s.moderator), "Без экзамена", 1).await;
    enroll(&second, plain).await;
    complete(&second, plain_lessons[0]).await;
    assert_eq!(certificates_of(&app, second_id).await, 1);
    app.cleanup().await;
}

async fn concurrent_triggers_issue_exactly_one_certificate(b: Backend) {
    let app = spawn_app(b).await;
    let s = setup(&app).await;
    let (c, _) = graduate(&app, &s, "Гонка Ученик").await;
    let me = app.user_id_of(&c).await;
    // Forget the certificate: the learner is eligible and holds none.
    sqlx::query("DELETE FROM certificates WHERE user_id = $1")
        .bind(me)
        .execute(app.db.w())
        .await
        .unwrap();

    // Ten service calls at once.
    let calls = (0..10).map(|_| {
        let st = app.state.clone();
        let course = s.course;
        tokio::spawn(async move {
            app::certificates::service::issue_if_eligible(
                &st,
                app::ids::UserId(me),
                app::ids::CourseId(course),
            )
            .await
        })
    });
    let codes: Vec<Option<String>> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    assert_eq!(certificates_of(&app, me).await, 1);
    assert!(
        codes.iter().all(|c| c.is_some() && *c == codes[0]),
        "every caller gets the one code: {codes:?}"
    );

    // Ten lesson completions at once, through HTTP.
    sqlx::query("DELETE FROM certificates WHERE user_id = $1")
        .bind(me)
        .execute(app.db.w())
        .await
        .unwrap();
    let lesson = s.lessons[1];
    let calls = (0..10).map(|_| complete(&c, lesson));
    futures::future::join_all(calls).await;
    assert_eq!(certificates_of(&app, me).await, 1);
    app.cleanup().await;
}

async fn the_pdf_holds_the_name_and_code_and_is_served_with_ranges(b: Backend) {
    let app = spawn_app(b).await;
    let s = setup(&app).await;
    let (_, code) = graduate(&app, &s, "Мария Иванова").await;
    let anon = app.client();
    let path = format!("/certificates/{code}.pdf");

    // Served whether or not the job has run yet (rendered on the spot).
    let r = anon.get(&path).await;
    assert_eq!(r.status().as_u16(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains(&code), "{disposition}");
    // Revalidated on every use: a revoked certificate must not live on in caches.
    assert_eq!(h["cache-control"].to_str().unwrap(), "public, no-cache");
    let etag = h["etag"].to_str().unwrap().to_string();
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let text = pdf_text(&bytes);
    assert!(text.contains("Мария Иванова"), "{text}");
    assert!(text.contains(&code), "{text}");

    // Range and ETag.
    let r = anon
        .http
        .get(format!("{}{path}", anon.base))
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 206);
    assert_eq!(
        r.headers()["content-range"].to_str().unwrap(),
        format!("bytes 0-99/{}", bytes.len())
    );
    assert_eq!(r.bytes().await.unwrap(), bytes.slice(0..100));
    let r = anon
        .http
        .get(format!("{}{path}", anon.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);

    // Unknown and malformed codes.
    for bad in [tampered(&code), "TUT-0000-0000-0000".into(), "nope".into()] {
        let r = anon.get(&format!("/certificates/{bad}.pdf")).await;
        assert_eq!(r.status().as_u16(), 404, "{bad}");
    }
    app.cleanup().await;
}

async fn the_verification_page_shows_the_certificate_even_after_archiving(b: Backend) {
    let app = spawn_app(b).await;
    let s = setup(&app).await;
    let (_, code) = graduate(&app, &s, "Sofia Rossi").await;
    let anon = app.client();

    let check_page = |html: String| {
        assert!(html.contains("Sofia Rossi"), "the learner's name");
        assert!(html.contains(&s.title), "the course");
        assert!(
            html.contains("Valid certificate") || html.contains("Сертификат действителен"),
            "the status"
        );
        assert!(
            html.contains("EducationalOccupationalCredential"),
            "JSON-LD"
        );
        assert!(html.contains(&format!("/certificates/{code}")), "canonical");
        assert!(
            !html.contains("revoke-reason"),
            "no revoke form for visitors"
        );
    };
    let r = anon.get(&format!("/certificates/{code}")).await;
    assert_eq!(r.status().as_u16(), 200);
    check_page(r.text().await.unwrap());
    let v = verify(&anon, &code).await.unwrap();
    assert_eq!(v.learner_name, "Sofia Rossi");
    assert_eq!(v.course_slug, s.slug);
    assert_eq!(
        (v.revoked, v.can_revoke, v.score_percent),
        (None, false, 100)
    );

    // Tampered or unknown codes: 404, page and server function.
    let bad = tampered(&code);
    let r = anon.get(&format!("/certificates/{bad}")).await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(!r.text().await.unwrap().contains("Sofia Rossi"));
    assert_eq!(
        verify(&anon, &bad).await.unwrap_err(),
        (404, AppError::NotFound)
    );
    assert_eq!(
        verify(&anon, "garbage").await.unwrap_err(),
        (404, AppError::NotFound)
    );

    // Archived: still valid, from the snapshot.
    let r: Call<()> = s
        .author
        .call("courses/archive", &[("id", &n(s.course))])
        .await;
    r.unwrap();
    let r = anon.get(&format!("/certificates/{code}")).await;
    assert_eq!(r.status().as_u16(), 200);
    check_page(r.text().await.unwrap());
    app.cleanup().await;
}

async fn only_admins_revoke_and_only_once(b: Backend) {
    let app = spawn_app(b).await;
    let s = setup(&app).await;
    let (learner, code) = graduate(&app, &s, "Отзываемый Ученик").await;
    let admin = admin(&app).await;
    let reason = "Экзамен сдан нечестно";

    assert_eq!(
        revoke(&app.client(), &code, reason).await.unwrap_err(),
        (401, AppError::NotAuthenticated)
    );
    assert_eq!(
        revoke(&learner, &code, reason).await.unwrap_err(),
        (403, AppError::Forbidden)
    );
    assert_eq!(
        revoke(&s.author, &code, reason).await.unwrap_err(),
        (403, AppError::Forbidden)
    );
    let e = revoke(&admin, &code, "   ").await.unwrap_err();
    assert_eq!(e.0, 422);
    assert_eq!(e.1.field_msg("reason"), Some(Msg::Required));
    assert_eq!(
        revoke(&admin, &tampered(&code), reason).await.unwrap_err(),
        (404, AppError::NotFound)
    );
    // Its PDF downloads, also as the stored copy under /media.
    let stored = format!("/media/certificates/{code}.pdf");
    let r = app.client().get(&format!("/certificates/{code}.pdf")).await;
    assert_eq!(r.status().as_u16(), 200);
    let r = app.client().get(&stored).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // The admin sees the form, then revokes.
    let page = admin.get(&format!("/certificates/{code}")).await;
    assert!(page.text().await.unwrap().contains("revoke-reason"));
    assert!(verify(&admin, &code).await.unwrap().can_revoke);
    revoke(&admin, &code, reason).await.unwrap();

    let html = app
        .client()
        .get(&format!("/certificates/{code}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("This certificate was revoked: {reason}"))
            || html.contains(&format!("Этот сертификат отозван: {reason}")),
        "the reason is shown"
    );
    assert!(!html.contains("Valid certificate"));
    // Twice: refused, the first reason stays.
    assert_eq!(
        revoke(&admin, &code, "другая причина").await.unwrap_err(),
        (
            409,
            AppError::Conflict(Msg::Certificate(CertificateMsg::AlreadyRevoked))
        )
    );
    let v = verify(&app.client(), &code).await.unwrap();
    assert_eq!(v.revoked.map(|r| r.1).as_deref(), Some(reason));
    assert!(!verify(&admin, &code).await.unwrap().can_revoke);
    // The PDF is gone; the learner's list says revoked.
    let r = app.client().get(&format!("/certificates/{code}.pdf")).await;
    assert_eq!(r.status().as_u16(), 410);
    let r = app.client().get(&stored).await;
    assert_eq!(r.status().as_u16(), 410, "the stored copy is gone too");
    let r = app
        .client()
        .get(&format!("/media/certificates/{}.pdf", tampered(&code)))
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(mine(&learner).await.unwrap()[0].revoked);
    app.cleanup().await;
}

async fn my_certificates_lists_only_my_own(b: Backend) {
    let app = spawn_app(b).await;
    let s = setup(&app).await;
    assert_eq!(
        mine(&app.client()).await.unwrap_err(),
        (401, AppError::NotAuthenticated)
    );
    let (a, code_a) = graduate(&app, &s, "Ученик А").await;
    let (bb, code_b) = graduate(&app, &s, "Ученик Б").await;
    let list = mine(&a).await.unwrap();
    assert_eq!(list.len(), 1);
    let item = &list[0];
    assert_eq!(item.code, code_a);
    assert_eq!(item.course_title, s.title);
    assert_eq!(item.course_slug, s.slug);
    assert_eq!(item.pdf_url, format!("/certificates/{code_a}.pdf"));
    assert!(!item.revoked);
    assert_eq!(
        mine(&bb)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.code)
            .collect::<Vec<_>>(),
        vec![code_b]
    );
    assert!(mine(&s.author).await.unwrap().is_empty());
    // The page lists them with download and verification links.
    let html = a.get("/certificates").await.text().await.unwrap();
    assert!(html.contains(&format!("/certificates/{code_a}.pdf")));
    assert!(html.contains(&format!("href=\"/certificates/{code_a}\"")));
    app.cleanup().await;
}
