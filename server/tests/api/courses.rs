//! Courses: authoring, the review lifecycle, enrollment (free and paid), the player with progress,
//! access to lessons and their files, authorization of every server function, reordering, the
//! catalog with full-text search, and the server-rendered pages.

use crate::both;
use crate::helpers::*;
use crate::video::{files_under, media, upload_all, wait_until_done};
use app::courses::CourseMsg;
use app::courses::api::Enrolled;
use app::courses::{
    Attachment, AuthorCourse, CatalogPage, CatalogQuery, CourseCard, CourseDetail, CourseDraft,
    CourseForm, LearningItem, LessonView, Status,
};
use app::error::{AppError, Msg};
use app::notifications::{Kind, NotificationPage};
use app::video::VideoMsg;
use serde_json::{Value, json};

both!(
    a_course_goes_through_review_and_published_edits_wait_for_approval,
    learners_enroll_progress_and_complete_courses,
    lessons_videos_and_attachments_open_only_to_those_allowed,
    every_server_function_checks_who_calls_it,
    bad_input_is_refused_and_changes_nothing,
    reordering_names_the_version_it_saw,
    a_paid_course_enrolls_once_per_paid_order,
    the_catalog_searches_filters_and_pages_exactly,
    course_pages_are_server_rendered_with_metadata_and_in_the_sitemap,
);

// ---------------- helpers ----------------

fn email(p: &str) -> String {
    format!(
        "{p}-{}@example.com",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

fn n(i: i64) -> String {
    i.to_string()
}

async fn tutor(app: &TestApp, name: &str) -> Client {
    confirmed_user(app, &email("tutor"), name, "tutor").await
}

async fn student(app: &TestApp, name: &str) -> Client {
    confirmed_user(app, &email("student"), name, "student").await
}

async fn moderator(app: &TestApp) -> Client {
    let e = email("mod");
    let c = confirmed_user(app, &e, "Course Moderator", "student").await;
    app::accounts::service::grant_role(&app.state, &e, app::accounts::Role::Moderator)
        .await
        .unwrap();
    c.turn_on_mfa().await;
    c
}

fn form(title: &str, description: &str) -> CourseForm {
    CourseForm {
        title: title.into(),
        slug: String::new(),
        description: description.into(),
        outcomes: String::new(),
        category: "programming".into(),
        level: "beginner".into(),
        language: "ru".into(),
        price: String::new(),
        currency: "RUB".into(),
    }
}

async fn create(c: &Client, f: &CourseForm) -> Call<i64> {
    c.call_json("courses/create", json!({ "form": f })).await
}

async fn update(c: &Client, id: i64, f: &CourseForm) -> Call<()> {
    c.call_json("courses/update", json!({ "id": id, "form": f }))
        .await
}

async fn draft(c: &Client, id: i64) -> Call<CourseDraft> {
    c.call("courses/draft", &[("id", &n(id))]).await
}

async fn add_section(c: &Client, course: i64, title: &str) -> Call<i64> {
    c.call(
        "courses/section-add",
        &[("course", &n(course)), ("title", title)],
    )
    .await
}

async fn add_lesson(c: &Client, course: i64, section: i64, title: &str) -> Call<i64> {
    c.call(
        "courses/lesson-add",
        &[
            ("course", &n(course)),
            ("section", &n(section)),
            ("title", title),
        ],
    )
    .await
}

async fn update_lesson(
    c: &Client,
    course: i64,
    id: i64,
    title: &str,
    body: &str,
    video: &str,
    free_preview: bool,
) -> Call<()> {
    c.call_json(
        "courses/lesson-update",
        json!({ "course": course, "id": id, "title": title, "body": body, "video": video, "free_preview": free_preview }),
    )
    .await
}

async fn reorder(c: &Client, course: i64, version: i64, layout: Value) -> Call<i64> {
    c.call_json(
        "courses/reorder",
        json!({ "course": course, "version": version, "layout": layout }),
    )
    .await
}

async fn submit(c: &Client, id: i64) -> Call<()> {
    c.call("courses/submit", &[("id", &n(id))]).await
}

async fn archive(c: &Client, id: i64) -> Call<()> {
    c.call("courses/archive", &[("id", &n(id))]).await
}

async fn moderate(c: &Client, id: i64, approve: bool, feedback: &str) -> Call<()> {
    c.call(
        "courses/moderate",
        &[
            ("id", &n(id)),
            ("approve", if approve { "true" } else { "false" }),
            ("feedback", feedback),
        ],
    )
    .await
}

async fn queue(c: &Client) -> Call<Vec<CourseCard>> {
    c.call("courses/queue", &[]).await
}

async fn get(c: &Client, slug: &str) -> Call<CourseDetail> {
    c.call("courses/get", &[("slug", slug)]).await
}

async fn catalog(c: &Client, q: &CatalogQuery) -> Call<CatalogPage> {
    c.call_json("courses/catalog", json!({ "query": q })).await
}

async fn enroll(c: &Client, course: i64) -> Call<Enrolled> {
    c.call("courses/enroll", &[("course", &n(course))]).await
}

async fn lesson(c: &Client, slug: &str, id: i64) -> Call<LessonView> {
    c.call("courses/lesson", &[("slug", slug), ("lesson", &n(id))])
        .await
}

async fn progress(c: &Client, lesson: i64, position_ms: i64, duration_ms: i64) -> Call<bool> {
    c.call(
        "courses/progress",
        &[
            ("lesson", &n(lesson)),
            ("position_ms", &n(position_ms)),
            ("duration_ms", &n(duration_ms)),
        ],
    )
    .await
}

async fn complete(c: &Client, lesson: i64) -> Call<()> {
    c.call("courses/complete", &[("lesson", &n(lesson))]).await
}

pub(crate) async fn upload_attachment(
    c: &Client,
    course: i64,
    lesson: i64,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str("application/octet-stream")
        .unwrap();
    c.http
        .post(format!(
            "{}/api/courses/{course}/lessons/{lesson}/attachments",
            c.base
        ))
        .multipart(
            reqwest::multipart::Form::new()
                .percent_encode_noop()
                .part("file", part),
        )
        .send()
        .await
        .unwrap()
}

fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    b.extend(std::iter::repeat_n(b'x', 4000));
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

/// The status and error of a refused call.
fn refused<T: std::fmt::Debug>(r: Call<T>) -> (u16, AppError) {
    r.expect_err("the call should be refused")
}

fn field(r: (u16, AppError), name: &str) -> Msg {
    assert_eq!(r.0, 422, "{r:?}");
    r.1.field_msg(name)
        .unwrap_or_else(|| panic!("no error on {name}: {r:?}"))
}

/// A course with sections of lessons; returns (id, section ids, lesson ids in order).
async fn course_with(
    c: &Client,
    f: &CourseForm,
    sections: &[(&str, &[&str])],
) -> (i64, Vec<i64>, Vec<i64>) {
    let id = create(c, f).await.unwrap();
    let mut secs = Vec::new();
    let mut lessons = Vec::new();
    for (title, ls) in sections {
        let s = add_section(c, id, title).await.unwrap();
        secs.push(s);
        for l in *ls {
            lessons.push(add_lesson(c, id, s, l).await.unwrap());
        }
    }
    (id, secs, lessons)
}

/// Submits and approves a course; returns its slug.
async fn approve(author: &Client, moderator: &Client, id: i64) -> String {
    submit(author, id).await.unwrap();
    moderate(moderator, id, true, "").await.unwrap();
    let d = draft(author, id).await.unwrap();
    assert_eq!(d.status, Status::Published);
    d.slug
}

/// Publishes a course through the API: created, one section of lessons, reviewed, approved.
#[allow(clippy::too_many_arguments)]
async fn publish(
    tutor: &Client,
    moderator: &Client,
    title: &str,
    category: &str,
    level: &str,
    language: &str,
    price: &str,
    lesson_titles: &[&str],
) -> (i64, String) {
    let f = CourseForm {
        category: category.into(),
        level: level.into(),
        language: language.into(),
        price: price.into(),
        ..form(title, "Описание курса.")
    };
    let (id, _, _) = course_with(tutor, &f, &[("Часть 1", lesson_titles)]).await;
    let slug = approve(tutor, moderator, id).await;
    (id, slug)
}

async fn notifications(c: &Client) -> NotificationPage {
    c.call("notifications/list", &[]).await.unwrap()
}

/// `/media/s/{token}/videos/…` → `/media/videos/…`.
fn unsigned(url: &str) -> String {
    let rest = url.strip_prefix("/media/s/").expect("a signed link");
    let (_, key) = rest.split_once('/').unwrap();
    format!("/media/{key}")
}

async fn ready_video(c: &Client) -> String {
    let id = upload_all(c, &media().clip).await;
    let p = wait_until_done(c, &id, 180).await;
    assert_eq!(p.status, app::video::Status::Ready, "{p:?}");
    id
}

// ---------------- 1. lifecycle ----------------

async fn a_course_goes_through_review_and_published_edits_wait_for_approval(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Course Author").await;
    let m = moderator(&app).await;

    // No lessons: not ready for review.
    let empty = create(&t, &form("Пустой курс", "Есть описание"))
        .await
        .unwrap();
    assert_eq!(
        field(refused(submit(&t, empty).await), "course"),
        Msg::Course(CourseMsg::Incomplete)
    );

    let (id, secs, ls) = course_with(
        &t,
        &form("Основы Python", ""),
        &[
            ("Введение", &["Установка", "Первая программа"]),
            ("Функции", &["Аргументы"]),
        ],
    )
    .await;
    let d = draft(&t, id).await.unwrap();
    assert_eq!(
        (d.slug.as_str(), d.status),
        ("osnovy-python", Status::Draft)
    );
    let shape: Vec<(i64, Vec<i64>)> = d
        .sections
        .iter()
        .map(|s| (s.id, s.lessons.iter().map(|l| l.id).collect()))
        .collect();
    assert_eq!(
        shape,
        vec![(secs[0], vec![ls[0], ls[1]]), (secs[1], vec![ls[2]])]
    );
    // No description: not ready either.
    assert_eq!(
        field(refused(submit(&t, id).await), "course"),
        Msg::Course(CourseMsg::Incomplete)
    );
    assert_eq!(draft(&t, id).await.unwrap().status, Status::Draft);
    update(&t, id, &form("Основы Python", "Учимся **программировать**"))
        .await
        .unwrap();
    submit(&t, id).await.unwrap();
    assert_eq!(draft(&t, id).await.unwrap().status, Status::Review);

    // Moves the lifecycle does not have.
    let illegal = (
        409,
        AppError::Conflict(Msg::Course(CourseMsg::IllegalTransition)),
    );
    assert_eq!(refused(submit(&t, id).await), illegal, "submit twice");
    assert_eq!(refused(archive(&t, id).await), illegal, "archive in review");
    // The author cannot moderate.
    assert_eq!(refused(moderate(&t, id, true, "").await).0, 403);
    assert_eq!(refused(queue(&t).await).0, 403);
    let q = queue(&m).await.unwrap();
    assert_eq!(q.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
    // A return needs feedback.
    assert_eq!(
        field(refused(moderate(&m, id, false, "   ").await), "feedback"),
        Msg::Required
    );
    assert_eq!(draft(&t, id).await.unwrap().status, Status::Review);
    moderate(&m, id, false, "Добавьте примеры кода")
        .await
        .unwrap();
    let d = draft(&t, id).await.unwrap();
    assert_eq!(d.status, Status::Draft);
    assert_eq!(d.review_feedback.as_deref(), Some("Добавьте примеры кода"));
    let nt = notifications(&t).await;
    assert_eq!(nt.items[0].kind, Kind::CourseReturned);
    assert_eq!(
        (nt.items[0].subject_type.as_str(), nt.items[0].subject_id),
        ("course", id)
    );
    assert!(queue(&m).await.unwrap().is_empty());
    // Resubmitted and approved.
    submit(&t, id).await.unwrap();
    assert_eq!(queue(&m).await.unwrap().len(), 1);
    moderate(&m, id, true, "").await.unwrap();
    let d = draft(&t, id).await.unwrap();
    assert_eq!(d.status, Status::Published);
    assert!(queue(&m).await.unwrap().is_empty());
    let nt = notifications(&t).await;
    assert_eq!(
        (
            nt.items[0].kind,
            nt.items[0].subject_type.as_str(),
            nt.items[0].subject_id
        ),
        (Kind::CourseApproved, "course", id)
    );
    let anon = app.client();
    let page = catalog(&anon, &CatalogQuery::default()).await.unwrap();
    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![id]
    );
    assert_eq!(page.total, 1);
    let c = get(&anon, "osnovy-python").await.unwrap();
    assert_eq!(c.card.title, "Основы Python");
    assert!(
        c.description_html
            .contains("<strong>программировать</strong>")
    );
    assert_eq!(
        refused(moderate(&m, id, true, "").await),
        illegal,
        "approve twice"
    );
    assert_eq!(refused(submit(&t, id).await), illegal, "nothing to submit");

    // A published course's new title waits for review; the old one stays public.
    // (The editor sends the address back as it is.)
    let edited = CourseForm {
        slug: "osnovy-python".into(),
        ..form("Основы Python 3", "Учимся **программировать**")
    };
    update(&t, id, &edited).await.unwrap();
    let c = get(&anon, "osnovy-python").await.unwrap();
    assert_eq!(c.card.title, "Основы Python");
    assert_eq!(c.pending_title, None, "not shown to visitors");
    let mine = get(&t, "osnovy-python").await.unwrap();
    assert_eq!(mine.card.title, "Основы Python");
    assert_eq!(mine.pending_title.as_deref(), Some("Основы Python 3"));
    let d = draft(&t, id).await.unwrap();
    assert_eq!(
        (d.title.as_str(), d.status),
        ("Основы Python 3", Status::Published)
    );
    assert_eq!(d.changes_state, "editing");
    assert!(queue(&m).await.unwrap().is_empty(), "not submitted yet");
    // Returned with feedback: the old title stays.
    submit(&t, id).await.unwrap();
    assert_eq!(queue(&m).await.unwrap().len(), 1);
    assert_eq!(
        field(refused(moderate(&m, id, false, "").await), "feedback"),
        Msg::Required
    );
    moderate(&m, id, false, "Оставьте старое название")
        .await
        .unwrap();
    let d = draft(&t, id).await.unwrap();
    assert_eq!(
        (d.title.as_str(), d.changes_state.as_str()),
        ("Основы Python 3", "returned")
    );
    assert_eq!(
        d.review_feedback.as_deref(),
        Some("Оставьте старое название")
    );
    assert_eq!(notifications(&t).await.items[0].kind, Kind::CourseReturned);
    assert!(queue(&m).await.unwrap().is_empty());
    assert_eq!(
        get(&anon, "osnovy-python").await.unwrap().card.title,
        "Основы Python"
    );
    // The author takes the change back: nothing is pending any more.
    let original = CourseForm {
        slug: "osnovy-python".into(),
        ..form("Основы Python", "Учимся **программировать**")
    };
    update(&t, id, &original).await.unwrap();
    let d = draft(&t, id).await.unwrap();
    assert_eq!(
        (d.title.as_str(), d.changes_state.as_str()),
        ("Основы Python", "none")
    );
    assert_eq!(get(&t, "osnovy-python").await.unwrap().pending_title, None);
    assert_eq!(refused(submit(&t, id).await), illegal, "nothing to submit");
    // Edited again, submitted, approved.
    update(&t, id, &edited).await.unwrap();
    submit(&t, id).await.unwrap();
    assert_eq!(
        queue(&m)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![id]
    );
    assert_eq!(
        get(&anon, "osnovy-python").await.unwrap().card.title,
        "Основы Python"
    );
    moderate(&m, id, true, "").await.unwrap();
    let c = get(&anon, "osnovy-python").await.unwrap();
    assert_eq!(c.card.title, "Основы Python 3");
    assert_eq!(get(&t, "osnovy-python").await.unwrap().pending_title, None);
    assert!(queue(&m).await.unwrap().is_empty());

    // Archived: no new learners; those enrolled keep their lessons.
    let early = student(&app, "Early Learner").await;
    assert_eq!(enroll(&early, id).await.unwrap(), Enrolled::Done);
    // Changes waiting for review when the course is archived leave the queue with it.
    let late_edit = CourseForm {
        description: "Новое описание".into(),
        ..edited.clone()
    };
    update(&t, id, &late_edit).await.unwrap();
    submit(&t, id).await.unwrap();
    assert_eq!(queue(&m).await.unwrap().len(), 1);
    archive(&t, id).await.unwrap();
    assert_eq!(draft(&t, id).await.unwrap().status, Status::Archived);
    assert!(
        queue(&m).await.unwrap().is_empty(),
        "nothing a moderator could act on"
    );
    assert_eq!(refused(moderate(&m, id, true, "").await), illegal);
    assert_eq!(refused(archive(&t, id).await), illegal, "archive twice");
    let late = student(&app, "Late Learner").await;
    assert_eq!(
        refused(enroll(&late, id).await),
        (409, AppError::Conflict(Msg::Course(CourseMsg::NotOpen)))
    );
    let v = lesson(&early, "osnovy-python", ls[2]).await.unwrap();
    assert_eq!(v.title, "Аргументы");
    assert!(!v.preview_only);
    assert_eq!(refused(lesson(&late, "osnovy-python", ls[2]).await).0, 403);
    assert!(
        catalog(&anon, &CatalogQuery::default())
            .await
            .unwrap()
            .items
            .is_empty(),
        "archived courses leave the catalog"
    );
    assert_eq!(
        get(&anon, "osnovy-python").await.unwrap().card.status,
        Status::Archived
    );
    app.cleanup().await;
}

// ---------------- 2. learners ----------------

async fn learners_enroll_progress_and_complete_courses(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Video Author").await;
    let m = moderator(&app).await;
    let video = ready_video(&t).await;
    let (id, _, ls) = course_with(
        &t,
        &form("Видеокурс", "С видео"),
        &[("Раздел", &["Видеоурок", "Текстовый урок", "Итоги"])],
    )
    .await;
    update_lesson(&t, id, ls[0], "Видеоурок", "Смотрите", &video, false)
        .await
        .unwrap();
    let slug = approve(&t, &m, id).await;
    let (draft_id, _, _) =
        course_with(&t, &form("Черновик", "Ещё не готов"), &[("Р", &["У"])]).await;

    let s_email = email("busy");
    let s = confirmed_user(&app, &s_email, "Busy Learner", "student").await;
    let s_id = app.user_id(&s_email).await;
    assert_eq!(enroll(&s, id).await.unwrap(), Enrolled::Done);
    assert_eq!(
        refused(enroll(&s, id).await),
        (
            409,
            AppError::Conflict(Msg::Course(CourseMsg::AlreadyEnrolled))
        )
    );
    assert_eq!(
        refused(enroll(&s, draft_id).await),
        (409, AppError::Conflict(Msg::Course(CourseMsg::NotOpen)))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM enrollments WHERE course_id = $1", id)
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT enrollments_count FROM courses WHERE id = $1", id)
            .await,
        1
    );

    // The video lesson: where the learner stopped comes back as the start position.
    let v = lesson(&s, &slug, ls[0]).await.unwrap();
    let dur = v.video.as_ref().unwrap().duration_ms;
    assert!(dur > 3000, "{dur}");
    assert_eq!(v.video.as_ref().unwrap().start_ms, 0);
    assert!(!progress(&s, ls[0], 1500, dur).await.unwrap());
    let (pos, done): (i64, Option<i64>) = sqlx::query_as(
        "SELECT last_position_ms, completed_at FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2",
    )
    .bind(s_id)
    .bind(ls[0])
    .fetch_one(app.db.r())
    .await
    .unwrap();
    assert_eq!((pos, done), (1500, None));
    let v = lesson(&s, &slug, ls[0]).await.unwrap();
    assert_eq!(v.video.as_ref().unwrap().start_ms, 1500);
    assert!(!v.completed);
    // 90 % watched completes the lesson.
    assert!(progress(&s, ls[0], dur * 9 / 10 + 1, dur).await.unwrap());
    assert!(lesson(&s, &slug, ls[0]).await.unwrap().completed);
    // Absurd numbers from the client never crash nor complete a lesson without a video: the
    // stored video's length counts, not the client's.
    assert!(!progress(&s, ls[1], i64::MAX, i64::MAX).await.unwrap());
    assert!(!progress(&s, ls[1], -5, i64::MIN).await.unwrap());
    assert!(!lesson(&s, &slug, ls[1]).await.unwrap().completed);
    let learning: Vec<LearningItem> = s.call("courses/learning", &[]).await.unwrap();
    assert_eq!(learning.len(), 1);
    assert_eq!((learning[0].card.id, learning[0].completed), (id, false));
    assert!(
        (33..=66).contains(&learning[0].percent),
        "{}",
        learning[0].percent
    );

    // Completing every lesson completes the course.
    complete(&s, ls[1]).await.unwrap();
    complete(&s, ls[2]).await.unwrap();
    complete(&s, ls[2]).await.unwrap();
    let learning: Vec<LearningItem> = s.call("courses/learning", &[]).await.unwrap();
    assert_eq!((learning[0].percent, learning[0].completed), (100, true));
    assert_eq!(learning[0].continue_lesson, Some(ls[2]));
    let c = get(&s, &slug).await.unwrap();
    assert!(c.enrolled);
    assert_eq!(c.progress_percent, 100);
    assert!(c.sections[0].lessons.iter().all(|l| l.completed));
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT started_at, completed_at FROM lesson_progress WHERE user_id = $1 AND course_id = $2 ORDER BY lesson_id",
    )
    .bind(s_id)
    .bind(id)
    .fetch_all(app.db.r())
    .await
    .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|(s, c)| *s > 0 && c.is_some_and(|c| c >= *s)),
        "{rows:?}"
    );

    // A second learner who finished one lesson of three.
    let s2 = student(&app, "Slow Learner").await;
    assert_eq!(enroll(&s2, id).await.unwrap(), Enrolled::Done);
    complete(&s2, ls[1]).await.unwrap();
    let mine: Vec<AuthorCourse> = t.call("courses/mine", &[]).await.unwrap();
    let c = mine.iter().find(|c| c.card.id == id).unwrap();
    assert_eq!(c.card.enrollments_count, 2);
    assert_eq!(c.card.lessons_count, 3);
    assert!(
        (c.completion_rate - 0.5).abs() < 1e-9,
        "{}",
        c.completion_rate
    );
    assert!(
        (c.average_progress - (3.0 + 1.0) / 2.0 / 3.0).abs() < 1e-9,
        "{}",
        c.average_progress
    );
    assert_eq!(mine.len(), 2, "the draft is listed too");

    // Not enrolled: no progress.
    let other = student(&app, "Not Enrolled").await;
    assert_eq!(refused(progress(&other, ls[0], 10, 100).await).0, 403);
    assert_eq!(refused(complete(&other, ls[0]).await).0, 403);
    assert!(
        other
            .call::<Vec<LearningItem>>("courses/learning", &[])
            .await
            .unwrap()
            .is_empty()
    );
    app.cleanup().await;
}

// ---------------- 3. access ----------------

async fn lessons_videos_and_attachments_open_only_to_those_allowed(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Private Author").await;
    let m = moderator(&app).await;
    let video = ready_video(&t).await;
    let (id, _, ls) = course_with(
        &t,
        &form("Закрытый курс", "Только для своих"),
        &[("Раздел", &["Закрытый урок", "Открытый урок"])],
    )
    .await;
    let (closed, open) = (ls[0], ls[1]);
    update_lesson(&t, id, closed, "Закрытый урок", "Секрет", &video, false)
        .await
        .unwrap();
    update_lesson(&t, id, open, "Открытый урок", "Для всех", "", true)
        .await
        .unwrap();
    let bytes = pdf();
    let r = upload_attachment(&t, id, closed, "Конспект урока.pdf", bytes.clone()).await;
    assert_eq!(r.status(), 200);
    let att: Attachment = r.json().await.unwrap();
    assert_eq!(att.name, "Конспект урока.pdf");
    assert_eq!(att.size_bytes, bytes.len() as i64);
    let slug = approve(&t, &m, id).await;
    let learner = student(&app, "Enrolled Learner").await;
    assert_eq!(enroll(&learner, id).await.unwrap(), Enrolled::Done);
    let anon = app.client();
    let stranger = student(&app, "Curious Stranger").await;

    let lv = lesson(&learner, &slug, closed).await.unwrap();
    assert!(!lv.preview_only);
    assert_eq!(lv.attachments, vec![att.clone()]);
    let v = lv.video.clone().unwrap();
    let signed: Vec<String> = v
        .sources
        .iter()
        .map(|s| s.url.clone())
        .chain(v.hls_url.clone())
        .chain(v.poster_url.clone())
        .collect();
    assert!(signed.len() >= 3);
    assert!(
        signed.iter().all(|u| u.starts_with("/media/s/")),
        "{signed:?}"
    );
    let plain: Vec<String> = signed.iter().map(|u| unsigned(u)).collect();

    for (who, c) in [("anonymous", &anon), ("stranger", &stranger)] {
        assert_eq!(refused(lesson(c, &slug, closed).await).0, 403, "{who}");
        for u in &plain {
            assert_eq!(c.get(u).await.status(), 403, "{who} {u}");
        }
        assert_eq!(c.get(&att.url).await.status(), 403, "{who}");
        let r = c
            .http
            .head(format!("{}{}", c.base, att.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{who} HEAD");
        // The free preview opens for everyone, and leads only to other previews.
        let p = lesson(c, &slug, open).await.unwrap();
        assert!(p.preview_only, "{who}");
        assert_eq!((p.prev, p.next), (None, None), "{who}");
        // The syllabus is public, the closed lesson marked as such.
        let cd = get(c, &slug).await.unwrap();
        assert_eq!(cd.sections[0].lessons.len(), 2);
        assert!(!cd.sections[0].lessons[0].free_preview && cd.sections[0].lessons[0].has_video);
    }

    // The learner, the author and a moderator: the lesson, the signed video, the attachment.
    for (who, c) in [("learner", &learner), ("author", &t), ("moderator", &m)] {
        let lv = lesson(c, &slug, closed).await.unwrap();
        assert!(!lv.preview_only, "{who}");
        let v = lv.video.unwrap();
        let r = c.get(&v.sources[0].url).await;
        assert_eq!(r.status(), 200, "{who}");
        assert_eq!(r.headers()["content-type"], "video/mp4");
        assert_eq!(
            anon.get(&v.sources[0].url).await.status(),
            200,
            "a signed link works for anyone holding it"
        );
        let r = c.get(&att.url).await;
        assert_eq!(r.status(), 200, "{who}");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let cd = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cd.starts_with("attachment;"), "{cd}");
        assert!(
            cd.contains("filename*=UTF-8''%D0%9A%D0%BE%D0%BD%D1%81%D0%BF%D0%B5%D0%BA%D1%82%20%D1%83%D1%80%D0%BE%D0%BA%D0%B0.pdf"),
            "{cd}"
        );
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice(), "{who}");
        let r = c
            .http
            .get(format!("{}{}", c.base, att.url))
            .header("range", "bytes=0-7")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 206, "{who}");
        assert_eq!(
            r.headers()["content-range"],
            format!("bytes 0-7/{}", bytes.len()).as_str()
        );
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4");
    }
    // The plain video address is the owner's only.
    assert_eq!(learner.get(&plain[0]).await.status(), 403);
    assert_eq!(t.get(&plain[0]).await.status(), 200);

    // Stored attachment files are never served directly, signed or not.
    let (key,): (String,) =
        sqlx::query_as("SELECT storage_key FROM lesson_attachments WHERE id = $1")
            .bind(att.id)
            .fetch_one(app.db.r())
            .await
            .unwrap();
    let direct = format!("/media/{key}/file");
    let token = app.state.signer.token(&key, i64::MAX / 2);
    for c in [&anon, &stranger, &learner, &t, &m] {
        assert_eq!(c.get(&direct).await.status(), 403);
        assert_eq!(
            c.get(&format!("/media/s/{token}/{key}/file"))
                .await
                .status(),
            403
        );
    }
    assert_eq!(
        anon.get("/api/courses/attachments/999999").await.status(),
        404
    );
    app.cleanup().await;
}

// ---------------- 4. authorization ----------------

async fn every_server_function_checks_who_calls_it(b: Backend) {
    let app = spawn_app(b).await;
    let a = tutor(&app, "Tutor Alpha").await;
    let bt = tutor(&app, "Tutor Beta").await;
    let s = student(&app, "Just Student").await;
    let anon = app.client();
    let (x, xs, xl) =
        course_with(&a, &form("Курс Альфы", "Описание"), &[("Р", &["У1", "У2"])]).await;
    let (y, ys, yl) = course_with(&bt, &form("Курс Беты", "Описание"), &[("Р", &["У1"])]).await;
    let r = upload_attachment(&bt, y, yl[0], "b.pdf", pdf()).await;
    assert_eq!(r.status(), 200);
    let y_att: Attachment = r.json().await.unwrap();
    let r = upload_attachment(&a, x, xl[0], "a.pdf", pdf()).await;
    assert_eq!(r.status(), 200);
    let x_att: Attachment = r.json().await.unwrap();
    let r = upload_cover(&a, x, png(320, 200)).await;
    assert_eq!(r.status(), 200);

    // Anonymous: 401 on every author and learner function.
    let (xs_o, x_o, xl_o) = (n(xs[0]), n(x), n(xl[0]));
    let (xs_, x_, xl_) = (xs_o.as_str(), x_o.as_str(), xl_o.as_str());
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("courses/draft", vec![("id", x_)]),
        ("courses/section-add", vec![("course", x_), ("title", "T")]),
        (
            "courses/section-rename",
            vec![("course", x_), ("id", xs_), ("title", "T")],
        ),
        ("courses/section-delete", vec![("course", x_), ("id", xs_)]),
        (
            "courses/lesson-add",
            vec![("course", x_), ("section", xs_), ("title", "T")],
        ),
        ("courses/lesson-delete", vec![("course", x_), ("id", xl_)]),
        (
            "courses/attachment-delete",
            vec![("course", x_), ("id", "1")],
        ),
        ("courses/submit", vec![("id", x_)]),
        ("courses/archive", vec![("id", x_)]),
        ("courses/queue", vec![]),
        ("courses/moderate", vec![("id", x_), ("approve", "true")]),
        ("courses/enroll", vec![("course", x_)]),
        (
            "courses/progress",
            vec![("lesson", xl_), ("position_ms", "1"), ("duration_ms", "2")],
        ),
        ("courses/complete", vec![("lesson", xl_)]),
        ("courses/learning", vec![]),
        ("courses/mine", vec![]),
        ("payments/order", vec![("id", "abc")]),
        ("payments/sandbox-pay", vec![("id", "abc")]),
    ];
    for (endpoint, f) in &forms {
        let r: Call<Value> = anon.call(endpoint, f).await;
        assert_eq!(refused(r), (401, AppError::NotAuthenticated), "{endpoint}");
    }
    let jsons = [
        ("courses/create", json!({ "form": form("Аноним", "") })),
        (
            "courses/update",
            json!({ "id": x, "form": form("Аноним", "") }),
        ),
        (
            "courses/lesson-update",
            json!({ "course": x, "id": xl[0], "title": "T", "body": "", "video": "", "free_preview": true }),
        ),
        (
            "courses/reorder",
            json!({ "course": x, "version": 0, "layout": [] }),
        ),
    ];
    for (endpoint, body) in &jsons {
        let r: Call<Value> = anon.call_json(endpoint, body.clone()).await;
        assert_eq!(refused(r), (401, AppError::NotAuthenticated), "{endpoint}");
    }
    assert_eq!(upload_cover(&anon, x, png(320, 200)).await.status(), 401);
    assert_eq!(
        upload_attachment(&anon, x, xl[0], "a.pdf", pdf())
            .await
            .status(),
        401
    );

    // A student cannot create courses.
    assert_eq!(
        refused(create(&s, &form("Студенческий", "")).await),
        (403, AppError::Forbidden)
    );

    // Another tutor: someone else's course does not exist for them; nothing changes.
    let before_x = draft(&a, x).await.unwrap();
    let before_y = draft(&bt, y).await.unwrap();
    let nf = (404, AppError::NotFound);
    assert_eq!(refused(draft(&bt, x).await), nf);
    assert_eq!(refused(update(&bt, x, &form("Захват", "Чужое")).await), nf);
    assert_eq!(refused(add_section(&bt, x, "Чужой раздел").await), nf);
    assert_eq!(
        refused(
            bt.call::<()>(
                "courses/section-rename",
                &[("course", x_), ("id", xs_), ("title", "Чужое")]
            )
            .await
        ),
        nf
    );
    assert_eq!(
        refused(
            bt.call::<()>("courses/section-delete", &[("course", x_), ("id", xs_)])
                .await
        ),
        nf
    );
    assert_eq!(refused(add_lesson(&bt, x, xs[0], "Чужой урок").await), nf);
    assert_eq!(
        refused(update_lesson(&bt, x, xl[0], "Чужой", "Чужое", "", true).await),
        nf
    );
    assert_eq!(
        refused(
            bt.call::<()>("courses/lesson-delete", &[("course", x_), ("id", xl_)])
                .await
        ),
        nf
    );
    let layout = json!([[xs[0], [xl[1], xl[0]]]]);
    assert_eq!(
        refused(reorder(&bt, x, before_x.structure_version, layout.clone()).await),
        nf
    );
    assert_eq!(
        refused(
            bt.call::<()>(
                "courses/attachment-delete",
                &[("course", x_), ("id", &n(x_att.id))]
            )
            .await
        ),
        nf
    );
    assert_eq!(refused(submit(&bt, x).await), nf);
    assert_eq!(refused(archive(&bt, x).await), nf);
    assert_eq!(refused(archive(&s, x).await), nf);
    assert_eq!(upload_cover(&bt, x, png(320, 200)).await.status(), 404);
    assert_eq!(
        upload_attachment(&bt, x, xl[0], "c.pdf", pdf())
            .await
            .status(),
        404
    );
    // Through my own course, someone else's sections, lessons and attachments stay out of reach.
    let (ys_o, yl_o) = (n(ys[0]), n(yl[0]));
    let (ys_, yl_) = (ys_o.as_str(), yl_o.as_str());
    assert_eq!(
        refused(add_lesson(&a, x, ys[0], "В чужой раздел").await),
        nf
    );
    assert_eq!(
        refused(update_lesson(&a, x, yl[0], "Чужой", "Чужое", "", true).await),
        nf
    );
    assert_eq!(
        refused(
            a.call::<()>("courses/lesson-delete", &[("course", x_), ("id", yl_)])
                .await
        ),
        nf
    );
    assert_eq!(
        refused(
            a.call::<()>(
                "courses/section-rename",
                &[("course", x_), ("id", ys_), ("title", "Чужое")]
            )
            .await
        ),
        nf
    );
    assert_eq!(
        refused(
            a.call::<()>("courses/section-delete", &[("course", x_), ("id", ys_)])
                .await
        ),
        nf
    );
    assert_eq!(
        refused(
            a.call::<()>(
                "courses/attachment-delete",
                &[("course", x_), ("id", &n(y_att.id))]
            )
            .await
        ),
        nf
    );
    assert_eq!(
        upload_attachment(&a, x, yl[0], "d.pdf", pdf())
            .await
            .status(),
        404
    );
    assert_eq!(
        upload_attachment(&a, y, yl[0], "d.pdf", pdf())
            .await
            .status(),
        404
    );
    // Someone else's video cannot go into my lesson.
    let r = crate::video::create(&bt, 1000, "beta.mp4").await;
    assert_eq!(r.status(), 201);
    let beta_video = r.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        field(
            refused(update_lesson(&a, x, xl[0], "Мой урок", "", &beta_video, false).await),
            "video"
        ),
        Msg::Video(VideoMsg::NotReady)
    );
    assert_eq!(
        draft(&a, x).await.unwrap(),
        before_x,
        "my course is unchanged"
    );
    assert_eq!(
        draft(&bt, y).await.unwrap(),
        before_y,
        "theirs is unchanged"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM lesson_attachments WHERE id > $1", 0)
            .await,
        2
    );
    // Tutors do not moderate.
    submit(&a, x).await.unwrap();
    assert_eq!(refused(queue(&bt).await), (403, AppError::Forbidden));
    assert_eq!(
        refused(moderate(&bt, x, true, "").await),
        (403, AppError::Forbidden)
    );
    assert_eq!(
        refused(moderate(&s, x, false, "Плохо").await),
        (403, AppError::Forbidden)
    );
    assert_eq!(draft(&a, x).await.unwrap().status, Status::Review);
    // A moderator does not review their own course: it is not in their queue and approving
    // it is refused; another moderator sees it.
    let own_email = email("selfmod");
    let sm = confirmed_user(&app, &own_email, "Self Moderator", "tutor").await;
    app::accounts::service::grant_role(&app.state, &own_email, app::accounts::Role::Moderator)
        .await
        .unwrap();
    sm.turn_on_mfa().await;
    let (own, _, _) = course_with(&sm, &form("Свой курс", "Описание"), &[("Р", &["У1"])]).await;
    submit(&sm, own).await.unwrap();
    assert!(queue(&sm).await.unwrap().iter().all(|c| c.id != own));
    assert_eq!(
        refused(moderate(&sm, own, true, "").await),
        (403, AppError::Forbidden)
    );
    assert_eq!(draft(&sm, own).await.unwrap().status, Status::Review);
    let m = moderator(&app).await;
    assert!(queue(&m).await.unwrap().iter().any(|c| c.id == own));
    // The author's own attachment goes.
    let r: Call<()> = a
        .call(
            "courses/attachment-delete",
            &[("course", x_), ("id", &n(x_att.id))],
        )
        .await;
    r.unwrap();
    assert_eq!(a.get(&x_att.url).await.status(), 404);
    app.cleanup().await;
}

// ---------------- 5. bad input ----------------

async fn bad_input_is_refused_and_changes_nothing(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Careless Tutor").await;
    let taken = create(
        &t,
        &CourseForm {
            slug: "taken-slug".into(),
            ..form("Первый курс", "Есть")
        },
    )
    .await
    .unwrap();
    let (id, _, ls) = course_with(&t, &form("Второй курс", "Тоже есть"), &[("Р", &["Урок"])]).await;
    let courses = || app.count("SELECT COUNT(*) FROM courses WHERE id > $1", 0);
    assert_eq!(courses().await, 2);
    let before = draft(&t, id).await.unwrap();
    let cases: Vec<(CourseForm, &str, Msg)> = vec![
        (
            CourseForm {
                slug: "taken-slug".into(),
                ..form("Дубль", "")
            },
            "slug",
            Msg::Course(CourseMsg::SlugTaken),
        ),
        (
            CourseForm {
                slug: "TAKEN-SLUG".into(),
                ..form("Дубль", "")
            },
            "slug",
            Msg::Course(CourseMsg::SlugTaken),
        ),
        (form("   ", ""), "title", Msg::Required),
        (
            CourseForm {
                price: "-5".into(),
                ..form("Цена", "")
            },
            "price",
            Msg::Course(CourseMsg::PriceInvalid),
        ),
        (
            CourseForm {
                price: "5000000".into(),
                ..form("Цена", "")
            },
            "price",
            Msg::Course(CourseMsg::PriceInvalid),
        ),
        (
            CourseForm {
                price: "abc".into(),
                ..form("Цена", "")
            },
            "price",
            Msg::Course(CourseMsg::PriceInvalid),
        ),
        (
            CourseForm {
                category: "astrology".into(),
                ..form("Категория", "")
            },
            "category",
            Msg::Course(CourseMsg::CategoryUnknown),
        ),
        (
            CourseForm {
                slug: "a b".into(),
                ..form("Адрес", "")
            },
            "slug",
            Msg::Course(CourseMsg::SlugInvalid),
        ),
        (
            CourseForm {
                slug: "ab".into(),
                ..form("Адрес", "")
            },
            "slug",
            Msg::Course(CourseMsg::SlugInvalid),
        ),
        (
            form(&"д".repeat(121), ""),
            "title",
            Msg::TooLong { max: 120 },
        ),
    ];
    for (f, name, msg) in &cases {
        assert_eq!(
            field(refused(create(&t, f).await), name),
            *msg,
            "create {f:?}"
        );
        assert_eq!(
            field(refused(update(&t, id, f).await), name),
            *msg,
            "update {f:?}"
        );
    }
    // A title taken automatically from another course's address.
    assert_eq!(
        field(refused(create(&t, &form("Второй курс", "")).await), "slug"),
        Msg::Course(CourseMsg::SlugTaken)
    );
    assert_eq!(courses().await, 2);
    assert_eq!(draft(&t, id).await.unwrap(), before);
    let _ = taken;

    // Attachments: the bytes decide, and the size is capped.
    let lesson_id = ls[0];
    let fake = b"These are my notes, honestly a PDF.\n".repeat(20);
    let r = upload_attachment(&t, id, lesson_id, "notes.pdf", fake).await;
    assert_eq!(r.status(), 422);
    let e: AppError = r.json().await.unwrap();
    assert_eq!(
        e.field_msg("file"),
        Some(Msg::Course(CourseMsg::AttachmentType))
    );
    let mut html = b"<html><script>alert(1)</script>".to_vec();
    html.extend(std::iter::repeat_n(b' ', 100));
    let r = upload_attachment(&t, id, lesson_id, "page.pdf", html).await;
    assert_eq!(r.status(), 422);
    let mut big = pdf();
    big.resize(app::courses::ATTACHMENT_MAX_BYTES + 1, b'x');
    let r = upload_attachment(&t, id, lesson_id, "big.pdf", big).await;
    assert_eq!(r.status(), 422);
    let e: AppError = r.json().await.unwrap();
    assert_eq!(
        e.field_msg("file"),
        Some(Msg::Course(CourseMsg::AttachmentTooBig { max_mb: 50 }))
    );
    let r = t
        .http
        .post(format!(
            "{}/api/courses/{id}/lessons/{lesson_id}/attachments",
            t.base
        ))
        .multipart(reqwest::multipart::Form::new().text("other", "value"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "no file");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM lesson_attachments WHERE lesson_id = $1",
            lesson_id
        )
        .await,
        0
    );
    assert!(
        files_under(&app.media_dir).is_empty(),
        "{:?}",
        files_under(&app.media_dir)
    );
    // A bad cover changes nothing either.
    let r = upload_cover(&t, id, b"not an image at all".repeat(10)).await;
    assert_eq!(r.status(), 422);
    assert!(files_under(&app.media_dir).is_empty());
    // A real one is kept, and a file name cannot escape.
    let r = upload_attachment(&t, id, lesson_id, "../../etc/notes.exe", pdf()).await;
    assert_eq!(r.status(), 200);
    let a: Attachment = r.json().await.unwrap();
    assert_eq!(a.name, "notes.exe.pdf");
    assert_eq!(files_under(&app.media_dir).len(), 1);
    // Bad lesson and section titles.
    assert_eq!(
        field(refused(add_section(&t, id, "  ").await), "title"),
        Msg::Required
    );
    assert_eq!(
        field(
            refused(add_lesson(&t, id, before.sections[0].id, "").await),
            "title"
        ),
        Msg::Required
    );
    assert_eq!(
        field(
            refused(update_lesson(&t, id, lesson_id, "Урок", &"x".repeat(50_001), "", false).await),
            "body"
        ),
        Msg::TooLong { max: 50_000 }
    );
    assert_eq!(
        refused(reorder(&t, id, before.structure_version, json!("nonsense")).await).0,
        422,
        "a body that is not a layout"
    );
    let after = draft(&t, id).await.unwrap();
    assert_eq!(after.structure_version, before.structure_version);
    assert_eq!(after.sections[0].lessons[0].attachments, vec![a]);
    app.cleanup().await;
}

// ---------------- 6. reordering ----------------

async fn reordering_names_the_version_it_saw(b: Backend) {
    let app = spawn_app(b).await;
    let e = email("editor");
    let ed1 = confirmed_user(&app, &e, "Two Windows", "tutor").await;
    let ed2 = app.client();
    ed2.log_in(&e, PASSWORD).await.unwrap();
    let (id, s, l) = course_with(
        &ed1,
        &form("Порядок", "Описание"),
        &[("Первый", &["A", "B"]), ("Второй", &["C"])],
    )
    .await;
    let other = tutor(&app, "Other Tutor").await;
    let (_, _, foreign) = course_with(&other, &form("Чужой", "Описание"), &[("Р", &["Z"])]).await;
    let d1 = draft(&ed1, id).await.unwrap();
    let d2 = draft(&ed2, id).await.unwrap();
    assert_eq!(d1, d2);
    let v = d1.structure_version;

    // The first editor moves A into the second section, first; and the sections swap.
    let v2 = reorder(&ed1, id, v, json!([[s[1], [l[0], l[2]]], [s[0], [l[1]]]]))
        .await
        .unwrap();
    assert_eq!(v2, v + 1);
    let shape = |d: &CourseDraft| -> Vec<(i64, Vec<i64>)> {
        d.sections
            .iter()
            .map(|s| (s.id, s.lessons.iter().map(|l| l.id).collect()))
            .collect()
    };
    let want = vec![(s[1], vec![l[0], l[2]]), (s[0], vec![l[1]])];
    let now = draft(&ed2, id).await.unwrap();
    assert_eq!(shape(&now), want);
    assert_eq!(now.structure_version, v2);
    let page = get(&ed1, &d1.slug).await.unwrap();
    let page_shape: Vec<(i64, Vec<i64>)> = page
        .sections
        .iter()
        .map(|s| (s.id, s.lessons.iter().map(|l| l.id).collect()))
        .collect();
    assert_eq!(page_shape, want);

    // The second editor still has the old version: refused, nothing changes.
    assert_eq!(
        refused(reorder(&ed2, id, v, json!([[s[0], [l[0], l[1], l[2]]], [s[1], []]])).await),
        (
            409,
            AppError::Conflict(Msg::Course(CourseMsg::StructureChanged))
        )
    );
    assert_eq!(draft(&ed1, id).await.unwrap(), now);

    // Layouts that are not exactly this course's sections and lessons.
    let bad = [
        json!([[s[1], [l[0], l[2]]], [s[0], []]]),
        json!([[s[1], [l[0], l[2]]], [s[0], [l[1], foreign[0]]]]),
        json!([[s[1], [l[0], l[2], l[1]]]]),
        json!([[s[1], [l[0], l[2]]], [s[0], [l[1]]], [s[0], []]]),
        json!([[s[1], [l[0], l[0]]], [s[0], [l[1]]]]),
    ];
    for layout in bad {
        assert_eq!(
            refused(reorder(&ed1, id, v2, layout.clone()).await).0,
            422,
            "{layout}"
        );
        assert_eq!(draft(&ed1, id).await.unwrap(), now, "{layout}");
    }

    // Editors racing with the same version: exactly one wins.
    let layouts: Vec<Value> = (0..8)
        .map(|i| {
            if i % 2 == 0 {
                json!([[s[0], [l[1], l[0]]], [s[1], [l[2]]]])
            } else {
                json!([[s[1], [l[2], l[1], l[0]]], [s[0], []]])
            }
        })
        .collect();
    let results =
        futures::future::join_all(layouts.iter().enumerate().map(|(i, layout)| {
            reorder(if i % 2 == 0 { &ed1 } else { &ed2 }, id, v2, layout.clone())
        }))
        .await;
    let wins = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            assert_eq!(
                *e,
                (
                    409,
                    AppError::Conflict(Msg::Course(CourseMsg::StructureChanged))
                )
            );
        }
    }
    let last = draft(&ed1, id).await.unwrap();
    assert_eq!(last.structure_version, v2 + 1);
    let lessons: usize = last.sections.iter().map(|s| s.lessons.len()).sum();
    assert_eq!(lessons, 3);
    // Adding a section is a structure change too.
    add_section(&ed1, id, "Третий").await.unwrap();
    assert_eq!(
        refused(
            reorder(
                &ed2,
                id,
                v2 + 1,
                json!([[s[0], [l[0], l[1], l[2]]], [s[1], []]])
            )
            .await
        )
        .0,
        409
    );
    app.cleanup().await;
}

// ---------------- 7. paid course ----------------

async fn webhook(app: &TestApp, body: &[u8], signature: Option<&str>) -> u16 {
    let mut r = reqwest::Client::new()
        .post(format!("{}/api/payments/webhook/sandbox", app.addr))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(s) = signature {
        r = r.header("x-signature", s);
    }
    r.send().await.unwrap().status().as_u16()
}

async fn order_status(app: &TestApp, order: &str) -> String {
    let (s,): (String,) = sqlx::query_as("SELECT status FROM orders WHERE public_id = $1")
        .bind(order)
        .fetch_one(app.db.r())
        .await
        .unwrap();
    s
}

async fn a_paid_course_enrolls_once_per_paid_order(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Paid Author").await;
    let m = moderator(&app).await;
    let (id, slug) = publish(
        &t,
        &m,
        "Платный курс",
        "programming",
        "beginner",
        "ru",
        "1990",
        &["Урок 1", "Урок 2"],
    )
    .await;
    let card = get(&app.client(), &slug).await.unwrap().card;
    assert_eq!((card.price_minor, card.currency.as_str()), (199_000, "RUB"));
    let lesson_id = get(&t, &slug).await.unwrap().sections[0].lessons[0].id;
    let buyer = student(&app, "Paying Buyer").await;
    let url = match enroll(&buyer, id).await.unwrap() {
        Enrolled::Checkout(u) => u,
        other => panic!("{other:?}"),
    };
    let order = url.strip_prefix("/checkout/").expect(&url).to_string();
    let o: app::payments::OrderView = buyer
        .call("payments/order", &[("id", &order)])
        .await
        .unwrap();
    assert_eq!(
        (o.amount_minor, o.status.code(), o.return_path.clone()),
        (199_000, "pending", format!("/courses/{slug}"))
    );
    let other = student(&app, "Someone Else").await;
    assert_eq!(
        refused(
            other
                .call::<app::payments::OrderView>("payments/order", &[("id", &order)])
                .await
        ),
        (404, AppError::NotFound)
    );
    assert_eq!(
        refused(
            other
                .call::<String>("payments/sandbox-pay", &[("id", &order)])
                .await
        ),
        (404, AppError::NotFound)
    );
    let enrollments = || app.count("SELECT COUNT(*) FROM enrollments WHERE course_id = $1", id);
    assert_eq!(enrollments().await, 0, "no enrollment before the payment");
    assert_eq!(refused(lesson(&buyer, &slug, lesson_id).await).0, 403);

    // Unsigned, badly signed, or signed with a key anyone could work out: refused.
    let body = serde_json::to_vec(&json!({ "order": order, "status": "paid" })).unwrap();
    let sandbox = app::payments::Sandbox::new(&app.state);
    assert_eq!(webhook(&app, &body, None).await, 400);
    assert_eq!(webhook(&app, &body, Some("sha256=00ff")).await, 400);
    assert_eq!(webhook(&app, &body, Some(&sandbox.sign(b"{}"))).await, 400);
    let guessed = app::server::AppState {
        signer: app::server::signing::Signer::new(b"a key the attacker cannot know"),
        ..app.state.clone()
    };
    let forged = app::payments::Sandbox::new(&guessed).sign(&body);
    assert_eq!(
        webhook(&app, &body, Some(&forged)).await,
        400,
        "a forged signature"
    );
    assert_eq!(enrollments().await, 0);
    assert_eq!(order_status(&app, &order).await, "pending");

    // The confirmation twice, then ten at once: one enrollment.
    let sig = sandbox.sign(&body);
    assert_eq!(webhook(&app, &body, Some(&sig)).await, 204);
    assert_eq!(webhook(&app, &body, Some(&sig)).await, 204);
    let codes = futures::future::join_all((0..10).map(|_| webhook(&app, &body, Some(&sig)))).await;
    assert!(codes.iter().all(|c| *c == 204), "{codes:?}");
    assert_eq!(enrollments().await, 1);
    assert_eq!(
        app.count("SELECT enrollments_count FROM courses WHERE id = $1", id)
            .await,
        1
    );
    assert_eq!(order_status(&app, &order).await, "paid");
    assert_eq!(
        refused(enroll(&buyer, id).await),
        (
            409,
            AppError::Conflict(Msg::Course(CourseMsg::AlreadyEnrolled))
        )
    );
    // The sandbox's button afterwards changes nothing.
    let r: String = buyer
        .call("payments/sandbox-pay", &[("id", &order)])
        .await
        .unwrap();
    assert_eq!(r, format!("/courses/{slug}"));
    assert_eq!(enrollments().await, 1);
    assert_eq!(
        app.count("SELECT enrollments_count FROM courses WHERE id = $1", id)
            .await,
        1
    );
    assert!(!lesson(&buyer, &slug, lesson_id).await.unwrap().preview_only);
    // An unknown order.
    let unknown = serde_json::to_vec(&json!({ "order": "nope", "status": "paid" })).unwrap();
    assert_eq!(
        webhook(&app, &unknown, Some(&sandbox.sign(&unknown))).await,
        404
    );

    // A second buyer pays through the sandbox's button.
    let second = student(&app, "Second Buyer").await;
    let Enrolled::Checkout(url) = enroll(&second, id).await.unwrap() else {
        panic!()
    };
    let order2 = url.trim_start_matches("/checkout/").to_string();
    let r: String = second
        .call("payments/sandbox-pay", &[("id", &order2)])
        .await
        .unwrap();
    assert_eq!(r, format!("/courses/{slug}"));
    assert_eq!(enrollments().await, 2);
    assert_eq!(
        app.count("SELECT enrollments_count FROM courses WHERE id = $1", id)
            .await,
        2
    );
    app.cleanup().await;
}

// ---------------- 8. catalog and search ----------------

fn q() -> CatalogQuery {
    CatalogQuery::default()
}

async fn ids(c: &Client, query: CatalogQuery) -> (Vec<i64>, i64) {
    let p = catalog(c, &query).await.unwrap();
    assert!(p.next.is_none(), "one page expected for {query:?}");
    let mut v: Vec<i64> = p.items.iter().map(|c| c.id).collect();
    v.sort();
    (v, p.total)
}

/// Every page of a query, following `next`.
async fn all_pages(c: &Client, mut query: CatalogQuery) -> Vec<CourseCard> {
    let mut out = Vec::new();
    let mut total = None;
    for _ in 0..10 {
        let p = catalog(c, &query).await.unwrap();
        assert!(p.items.len() as i64 <= app::courses::CATALOG_PAGE);
        if let Some(t) = total {
            assert_eq!(p.total, t, "the total stays the same on every page");
        }
        total = Some(p.total);
        out.extend(p.items);
        match p.next {
            Some(n) => query.after = n,
            None => {
                assert_eq!(out.len() as i64, p.total);
                return out;
            }
        }
    }
    panic!("too many pages");
}

async fn the_catalog_searches_filters_and_pages_exactly(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Prolific Tutor").await;
    let m = moderator(&app).await;
    // (title, category, level, language, price, lesson titles)
    type Spec<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a [&'a str]);
    let specs: [Spec; 14] = [
        (
            "Основы программирования на Python",
            "programming",
            "beginner",
            "ru",
            "",
            &["Переменные", "Циклы"],
        ),
        (
            "Running your first marathon",
            "personal",
            "beginner",
            "en",
            "990",
            &["Warm-up"],
        ),
        (
            "Run faster with intervals",
            "personal",
            "intermediate",
            "en",
            "",
            &["Intervals"],
        ),
        (
            "Алгебра для старшеклассников",
            "math",
            "intermediate",
            "ru",
            "1500",
            &["Уравнения"],
        ),
        (
            "Геометрия на плоскости",
            "math",
            "beginner",
            "ru",
            "",
            &["Треугольники"],
        ),
        (
            "Deutsch für Anfänger",
            "languages",
            "beginner",
            "de",
            "500",
            &["Begrüßung"],
        ),
        (
            "English grammar",
            "languages",
            "intermediate",
            "en",
            "2500",
            &["Tenses"],
        ),
        (
            "Химия вокруг нас",
            "science",
            "beginner",
            "ru",
            "",
            &["Фотосинтез растений"],
        ),
        (
            "Физика для ЕГЭ",
            "exam-prep",
            "advanced",
            "ru",
            "3000",
            &["Механика"],
        ),
        (
            "История России",
            "humanities",
            "beginner",
            "ru",
            "",
            &["Древняя Русь"],
        ),
        (
            "Рисование акварелью",
            "arts",
            "beginner",
            "ru",
            "700",
            &["Кисти"],
        ),
        (
            "Стартап с нуля",
            "business",
            "advanced",
            "ru",
            "4000",
            &["Идея"],
        ),
        (
            "Продуктивность без стресса",
            "personal",
            "beginner",
            "ru",
            "",
            &["Планирование"],
        ),
        (
            "Advanced Go",
            "programming",
            "advanced",
            "en",
            "5000",
            &["Goroutines"],
        ),
    ];
    let mut cs = Vec::new();
    for (title, cat, level, lang, price, lessons) in specs {
        cs.push(
            publish(&t, &m, title, cat, level, lang, price, lessons)
                .await
                .0,
        );
    }
    // Never listed: a draft and a course in review that match everything searched below.
    let (draft_id, _, _) = course_with(
        &t,
        &form(
            "Программирование на Python для бега",
            "Running программированию",
        ),
        &[("Р", &["Фотосинтез"])],
    )
    .await;
    let (review_id, _, _) = course_with(
        &t,
        &CourseForm {
            price: "10".into(),
            ..form("Python running в программировании", "Фотосинтез")
        },
        &[("Р", &["Урок"])],
    )
    .await;
    submit(&t, review_id).await.unwrap();
    let c = app.client();
    let sorted = |mut v: Vec<i64>| {
        v.sort();
        v
    };

    // Words in other forms.
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "программированию".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[0]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "Программирование".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[0]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "python".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[0]], 1)
    );
    // Short words count, on both databases.
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "Go".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[13]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "go goroutine".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[13]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "running".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[1], cs[2]], 2)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "Run".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[1], cs[2]], 2)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "runs marathons".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[1]], 1)
    );
    // Lesson titles are searched.
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "фотосинтеза".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[7]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "уравнение".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[3]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "несуществующее".into(),
                ..q()
            }
        )
        .await,
        (vec![], 0)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "\"*()".into(),
                ..q()
            }
        )
        .await,
        (vec![], 0)
    );

    // Filters narrow, and the total is exact.
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                category: "math".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[3], cs[4]], 2)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                level: "advanced".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[8], cs[11], cs[13]], 3)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                language: "en".into(),
                ..q()
            }
        )
        .await,
        (sorted(vec![cs[1], cs[2], cs[6], cs[13]]), 4)
    );
    let free = sorted(vec![cs[0], cs[2], cs[4], cs[7], cs[9], cs[12]]);
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                price: "free".into(),
                ..q()
            }
        )
        .await,
        (free.clone(), 6)
    );
    let paid = all_pages(
        &c,
        CatalogQuery {
            price: "paid".into(),
            ..q()
        },
    )
    .await;
    assert_eq!(paid.len(), 8);
    assert!(paid.iter().all(|c| c.price_minor > 0));
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                category: "personal".into(),
                price: "free".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[2], cs[12]], 2)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                q: "run".into(),
                price: "paid".into(),
                ..q()
            }
        )
        .await,
        (vec![cs[1]], 1)
    );
    assert_eq!(
        ids(
            &c,
            CatalogQuery {
                category: "math".into(),
                level: "advanced".into(),
                ..q()
            }
        )
        .await,
        (vec![], 0)
    );

    // Pages: every course exactly once, whatever the order.
    for sort in ["", "newest", "price", "price-desc", "rating"] {
        let all = all_pages(
            &c,
            CatalogQuery {
                sort: sort.into(),
                ..q()
            },
        )
        .await;
        let got: Vec<i64> = all.iter().map(|c| c.id).collect();
        assert_eq!(sorted(got.clone()), sorted(cs.clone()), "sort {sort:?}");
        if sort == "price" {
            let prices: Vec<i64> = all.iter().map(|c| c.price_minor).collect();
            assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
            assert_eq!(prices[0], 0);
            assert_eq!(*prices.last().unwrap(), 500_000);
        }
        if sort == "price-desc" {
            let prices: Vec<i64> = all.iter().map(|c| c.price_minor).collect();
            assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
        }
    }
    let first = catalog(&c, &q()).await.unwrap();
    assert_eq!((first.items.len(), first.total), (12, 14));
    assert!(first.next.is_some());
    assert!(
        !cs.is_empty()
            && !first
                .items
                .iter()
                .any(|c| c.id == draft_id || c.id == review_id)
    );

    // Malformed cursors and filters.
    for after in ["abc", "1_x", "_", "1_2_3x"] {
        let e = refused(
            catalog(
                &c,
                &CatalogQuery {
                    after: after.into(),
                    ..q()
                },
            )
            .await,
        );
        assert_eq!(e.0, 422, "{after}");
    }
    assert_eq!(
        refused(
            catalog(
                &c,
                &CatalogQuery {
                    category: "astrology".into(),
                    ..q()
                }
            )
            .await
        )
        .0,
        422
    );
    assert_eq!(
        refused(
            catalog(
                &c,
                &CatalogQuery {
                    level: "expert".into(),
                    ..q()
                }
            )
            .await
        )
        .0,
        422
    );
    app.cleanup().await;
}

// ---------------- 9. SSR ----------------

async fn course_pages_are_server_rendered_with_metadata_and_in_the_sitemap(b: Backend) {
    let app = spawn_app(b).await;
    let t = tutor(&app, "Seo Author").await;
    let m = moderator(&app).await;
    let (_, slug) = publish(
        &t,
        &m,
        "Органическая химия",
        "science",
        "beginner",
        "ru",
        "",
        &["Алканы", "Алкены"],
    )
    .await;
    let (draft_id, _, _) = course_with(
        &t,
        &form("Секретный черновик", "Ещё пишется"),
        &[("Р", &["Урок"])],
    )
    .await;
    let draft_slug = draft(&t, draft_id).await.unwrap().slug;
    let anon = app.client();
    let res = anon.get(&format!("/courses/{slug}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Органическая химия"), "{html}");
    assert!(
        html.contains(r#"<meta property="og:title" content="Органическая химия""#),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<link href="http://127.0.0.1/courses/{slug}" rel="canonical">"#
        )),
        "{html}"
    );
    assert!(html.contains(r#""@type":"Course""#), "{html}");
    assert!(html.contains("Алканы") && html.contains("Алкены"), "{html}");
    // A draft is the author's only.
    assert_eq!(
        anon.get(&format!("/courses/{draft_slug}")).await.status(),
        404
    );
    let stranger = student(&app, "Page Stranger").await;
    assert_eq!(
        stranger
            .get(&format!("/courses/{draft_slug}"))
            .await
            .status(),
        404
    );
    let res = t.get(&format!("/courses/{draft_slug}")).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Секретный черновик"));
    assert_eq!(anon.get("/courses/no-such-course").await.status(), 404);
    // The catalog page and the sitemap.
    let res = anon.get("/courses").await;
    assert_eq!(res.status(), 200);
    let list = res.text().await.unwrap();
    assert!(list.contains("Органическая химия"), "{list}");
    assert!(!list.contains("Секретный черновик"));
    let sitemap = anon.get("/sitemap.xml").await.text().await.unwrap();
    assert!(
        sitemap.contains(&format!("/courses/{slug}</loc>")),
        "{sitemap}"
    );
    assert!(!sitemap.contains(&draft_slug), "{sitemap}");
    app.cleanup().await;
}
