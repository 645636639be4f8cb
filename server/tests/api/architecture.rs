//! The groundwork every feature stands on: the two migration trees describe the same schema
//! (and upgrading keeps the data), job lanes keep mail and documents moving during a long
//! transcode, the live bus reaches a stream opened on another server process and ends it at
//! log-out, orders expire and can be cancelled, the courses permission table holds over HTTP,
//! and plain axum routes answer errors the way server functions do.

use crate::both;
use crate::helpers::*;
use app::courses::api::{Deleted, Enrolled};
use app::error::{AppError, Msg};
use app::payments::{OrderStatus, OrderView, PaymentMsg};
use app::server::jobs::{BoxFuture, Job, JobContext, JobFailure, JobHandler, JobKind, Lane};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

both!(
    a_long_media_job_does_not_delay_mail_or_documents,
    the_bus_reaches_a_stream_on_another_server_process_and_log_out_ends_it,
    unpaid_orders_expire_and_can_be_cancelled_and_a_checkout_is_reused,
    authors_and_admins_edit_and_delete_courses_and_learners_keep_theirs,
    certificates_outlive_their_course,
    notifications_about_a_deleted_post_are_forgotten,
    plain_routes_answer_errors_as_json_with_their_status,
    upgrading_from_the_previous_schema_keeps_orders_notifications_and_certificates,
    a_transaction_waits_for_another_processes_write_instead_of_failing,
);

/// Two processes on one database (here: the app and a second set of pools, as the command line
/// or a worker run apart has). A transaction that reads, then writes while the other process
/// writes in between, waits its turn on SQLite instead of failing with "database is locked"
/// (`BEGIN IMMEDIATE`); PostgreSQL takes both.
async fn a_transaction_waits_for_another_processes_write_instead_of_failing(b: Backend) {
    let app = spawn_app(b).await;
    let other = app::server::db::Db::connect(&app.database_url)
        .await
        .unwrap();
    let insert = "INSERT INTO bus_events (topic, payload, origin, created_at) VALUES ($1, 'null', 'test', 0)";
    let mut tx = other.w().begin().await.unwrap();
    let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bus_events WHERE origin = 'test'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let db = app.db.clone();
    let meanwhile =
        tokio::spawn(async move { sqlx::query(insert).bind("app").execute(db.w()).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    sqlx::query(insert)
        .bind("other")
        .execute(&mut *tx)
        .await
        .expect("the transaction's write");
    tx.commit().await.expect("the commit");
    meanwhile.await.unwrap().expect("the other process's write");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM bus_events WHERE origin = 'test' AND id > $1",
            0
        )
        .await,
        before + 2
    );
    other.close().await;
    app.cleanup().await;
}

// ---------------- schema parity ----------------

/// Per table: column → (type class, nullable); named index → (unique, columns); and the
/// column lists that are unique by a constraint (primary keys, UNIQUE).
type Schema = BTreeMap<String, Table>;

#[derive(Debug, Default, PartialEq)]
struct Table {
    columns: BTreeMap<String, (String, bool)>,
    indexes: BTreeMap<String, (bool, Vec<String>)>,
    unique: BTreeSet<Vec<String>>,
}

/// The one real dialect difference: full-text search (FTS5 tables on SQLite; a generated
/// `tsvector` with its GIN index on PostgreSQL), and the migrations' own bookkeeping.
fn backend_specific(table: &str) -> bool {
    table.starts_with("courses_fts") || table.starts_with("_sqlx") || table.starts_with("sqlite_")
}

fn class(sql_type: &str) -> String {
    let t = sql_type.to_ascii_lowercase();
    if t.contains("int") {
        "integer".into()
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "real".into()
    } else if t.contains("text") || t.contains("char") {
        "text".into()
    } else {
        t
    }
}

async fn sqlite_schema(db: &app::server::db::Db) -> Schema {
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(db.r())
            .await
            .unwrap();
    let mut out = Schema::new();
    for (t,) in tables.into_iter().filter(|(t,)| !backend_specific(t)) {
        let mut table = Table::default();
        let cols: Vec<(i64, String, String, i64, Option<String>, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{t}')"
            )))
            .fetch_all(db.r())
            .await
            .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (_, name, ty, notnull, _, in_pk) in cols {
            if in_pk > 0 {
                pk.push((in_pk, name.clone()));
            }
            table
                .columns
                .insert(name, (class(&ty), notnull == 0 && in_pk == 0));
        }
        pk.sort();
        if !pk.is_empty() {
            table.unique.insert(pk.into_iter().map(|p| p.1).collect());
        }
        let idx: Vec<(i64, String, i64, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list('{t}')"),
        ))
        .fetch_all(db.r())
        .await
        .unwrap();
        for (_, name, unique, origin, _) in idx {
            let cols: Vec<(i64, i64, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(
                format!("SELECT seqno, cid, name FROM pragma_index_info('{name}')"),
            ))
            .fetch_all(db.r())
            .await
            .unwrap();
            let cols: Vec<String> = cols.into_iter().filter_map(|c| c.2).collect();
            if origin == "c" {
                table.indexes.insert(name, (unique == 1, cols));
            } else {
                table.unique.insert(cols);
            }
        }
        out.insert(t, table);
    }
    out
}

async fn postgres_schema(db: &app::server::db::Db) -> Schema {
    let cols: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(db.r())
    .await
    .unwrap();
    let mut out = Schema::new();
    for (t, c, ty, nullable) in cols {
        if backend_specific(&t) || (t == "courses" && c == "search_tsv") {
            continue;
        }
        out.entry(t)
            .or_default()
            .columns
            .insert(c, (class(&ty), nullable == "YES"));
    }
    let idx: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, CASE WHEN ix.indisunique THEN 1 ELSE 0 END, \
                CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid) THEN 1 ELSE 0 END, \
                COALESCE((SELECT string_agg(a.attname::text, ',' ORDER BY array_position(ix.indkey::int2[], a.attnum)) \
                          FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)), '') \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'",
    )
    .fetch_all(db.r())
    .await
    .unwrap();
    for (t, name, unique, constraint, cols) in idx {
        if backend_specific(&t) || name == "courses_search" {
            continue;
        }
        let cols: Vec<String> = cols.split(',').map(String::from).collect();
        let table = out.entry(t).or_default();
        if constraint == 1 {
            table.unique.insert(cols);
        } else {
            table.indexes.insert(name, (unique == 1, cols));
        }
    }
    out
}

/// Not a `both!` test: it needs both databases at once.
#[test]
fn both_migration_trees_have_the_same_tables_columns_and_indexes() {
    crate::helpers::run(both_migration_trees_have_the_same_tables_columns_and_indexes_())
}

async fn both_migration_trees_have_the_same_tables_columns_and_indexes_() {
    let sqlite = spawn_app(Backend::Sqlite).await;
    let postgres = spawn_app(Backend::Postgres).await;
    let (s, p) = (
        sqlite_schema(&sqlite.db).await,
        postgres_schema(&postgres.db).await,
    );
    assert!(s.len() > 30, "{} tables", s.len());
    let names = |x: &Schema| x.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&s), names(&p), "the same tables");
    for (t, st) in &s {
        let pt = &p[t];
        assert_eq!(
            st.columns, pt.columns,
            "columns of {t} (type class, nullable)"
        );
        assert_eq!(st.indexes, pt.indexes, "indexes of {t}");
        assert_eq!(st.unique, pt.unique, "unique keys of {t}");
    }
    sqlite.cleanup().await;
    postgres.cleanup().await;
}

// ---------------- job lanes ----------------

/// A media job that takes its time (a transcode stands in): it runs until told to stop.
const SLOW_MEDIA: JobKind = JobKind {
    name: "test.slow_media",
    lane: Lane::Media,
    max_attempts: 1,
    scrub_payload: false,
};

fn slow_media<'a>(
    _: &'a app::server::AppState,
    _: &'a Job,
    cx: &'a JobContext,
) -> BoxFuture<'a, Result<(), JobFailure>> {
    Box::pin(async move {
        let until = Instant::now() + Duration::from_secs(60);
        while Instant::now() < until && !cx.cancelled.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    })
}

async fn job_status(app: &TestApp, id: i64) -> String {
    let (s,): (String,) = sqlx::query_as("SELECT status FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.r())
        .await
        .unwrap();
    s
}

async fn a_long_media_job_does_not_delay_mail_or_documents(b: Backend) {
    let app = spawn_app_with_hooks(
        b,
        |_| {},
        |h| {
            h.job(JobHandler {
                kind: &SLOW_MEDIA,
                timeout: |_| Duration::from_secs(120),
                run: slow_media,
                on_failure: None,
            });
        },
    )
    .await;
    // The media lane's one worker is busy for a minute.
    let slow = app::server::jobs::enqueue(&app.db, &SLOW_MEDIA, &serde_json::json!({}), None)
        .await
        .unwrap();
    for _ in 0..100 {
        if job_status(&app, slow).await == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(job_status(&app, slow).await, "running");
    // A confirmation mail (messages lane) arrives meanwhile.
    let started = Instant::now();
    let e = unique_email("lanes");
    let c = app.client();
    c.sign_up(&e, PASSWORD, "Lane Tester", "student")
        .await
        .unwrap();
    let code = app.confirmation_code(&e).await;
    assert_eq!(code.len(), 6);
    assert!(started.elapsed() < Duration::from_secs(10));
    // The mail job's payload (the code) is gone once sent. The mail is out before its job is
    // marked done, so wait for that.
    let mut done = 0;
    for _ in 0..100 {
        done = app
            .count(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send' AND status = 'done' AND id > $1",
                0,
            )
            .await;
        if done > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(done > 0, "the mail job is done");
    for _ in 0..50 {
        let left: Vec<(String,)> =
            sqlx::query_as("SELECT payload FROM jobs WHERE kind = 'mail.send' AND payload LIKE $1")
                .bind(format!("%{code}%"))
                .fetch_all(app.db.r())
                .await
                .unwrap();
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let left = app
        .count_text(
            "SELECT COUNT(*) FROM jobs WHERE payload LIKE $1",
            &format!("%{code}%"),
        )
        .await;
    assert_eq!(left, 0, "the code does not stay in the queue");
    // A certificate PDF (documents lane) is rendered meanwhile too.
    let pdf = app::server::jobs::enqueue(
        &app.db,
        &app::certificates::service::PDF_JOB,
        &serde_json::json!({ "code": "TUT-AAAA-BBBB-CCCC" }),
        None,
    )
    .await
    .unwrap();
    for _ in 0..100 {
        if job_status(&app, pdf).await == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(job_status(&app, pdf).await, "done");
    assert_eq!(
        job_status(&app, slow).await,
        "running",
        "the media job was still running all along"
    );
    sqlx::query("DELETE FROM jobs WHERE id = $1")
        .bind(slow)
        .execute(app.db.w())
        .await
        .unwrap();
    app.cleanup().await;
}

// ---------------- the bus ----------------

/// A second `tutorium` server process on the test app's database.
async fn other_process(app: &TestApp) -> ServerProcess {
    let env = [
        ("WORKER_IN_SERVER", "false".to_string()),
        ("PUBLIC_URL", "http://127.0.0.1".to_string()),
        ("RUST_LOG", "warn".to_string()),
    ];
    server_process(app, &env).await
}

/// Server-sent events as they arrive: (event, data).
struct Events {
    stream: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buf: String,
}

impl Events {
    async fn open(c: &Client, url: &str) -> Events {
        let res = c.http.get(url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        Events {
            stream: Box::pin(res.bytes_stream()),
            buf: String::new(),
        }
    }

    /// The next event other than keep-alives, or `None` when the stream ended; panics after 15 s.
    async fn next(&mut self) -> Option<(String, String)> {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut ev = (String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        ev.0 = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        ev.1 = v.trim().to_string();
                    }
                }
                if !ev.0.is_empty() {
                    return Some(ev);
                }
                continue;
            }
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(Some(Ok(b))) => self.buf.push_str(&String::from_utf8_lossy(&b)),
                Ok(Some(Err(_))) | Ok(None) => return None,
                Err(_) => panic!("no event in 15 s; got {:?}", self.buf),
            }
        }
    }
}

async fn the_bus_reaches_a_stream_on_another_server_process_and_log_out_ends_it(b: Backend) {
    let app = spawn_app(b).await;
    let watcher = a_tutor(&app, "Watched Tutor").await;
    let fan = a_student(&app, "Keen Follower").await;
    let watcher_id = watcher.me().await.unwrap().id;
    let other = other_process(&app).await;
    // The watcher's bell is open on the other process (cookies do not depend on the port).
    let mut bell = Events::open(
        &watcher,
        &format!("{}/api/notifications/stream", other.addr),
    )
    .await;
    assert_eq!(bell.next().await, Some(("unread".into(), "0".into())));
    // Someone follows them through this process: the other process's stream hears of it.
    let r: Call<app::profiles::FollowState> = fan
        .call("profiles/follow", &[("user_id", &watcher_id.to_string())])
        .await;
    r.unwrap();
    assert_eq!(bell.next().await, Some(("unread".into(), "1".into())));
    // Reading it elsewhere updates the count too.
    let n: u64 = watcher.call("notifications/read-all", &[]).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(bell.next().await, Some(("unread".into(), "0".into())));
    // A stream for the same person on this process, and a stream of another session.
    let mut here = Events::open(&watcher, &format!("{}/api/notifications/stream", app.addr)).await;
    assert_eq!(here.next().await, Some(("unread".into(), "0".into())));
    // Logging out ends both streams of that session.
    let r: Call<()> = watcher.call("accounts/logout", &[]).await;
    let _ = r;
    assert_eq!(bell.next().await, None, "the stream ended with its session");
    assert_eq!(here.next().await, None);
    // Without a session there is no stream.
    let res = app
        .client()
        .http
        .get(format!("{}/api/notifications/stream", other.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    drop(other);
    app.cleanup().await;
}

// ---------------- orders ----------------

async fn order_of(url: &str) -> String {
    url.strip_prefix("/checkout/").expect(url).to_string()
}

async fn unpaid_orders_expire_and_can_be_cancelled_and_a_checkout_is_reused(b: Backend) {
    // Orders here expire at once.
    let app = spawn_app_with(b, |c| c.order_ttl_minutes = 0).await;
    let author = a_tutor(&app, "Paid Author").await;
    let m = a_moderator(&app).await;
    let course = CourseBuilder::new("Оплачиваемый курс")
        .price("990")
        .build(&author, Some(&m))
        .await;
    let buyer = a_student(&app, "Slow Buyer").await;
    let enroll = |c: &Client| {
        let c = c.http.clone();
        let base = app.addr.clone();
        async move {
            let res = c
                .post(format!("{base}/api/courses/enroll"))
                .form(&[("course", course.id.to_string())])
                .send()
                .await
                .unwrap();
            serde_json::from_str::<Enrolled>(&res.text().await.unwrap()).unwrap()
        }
    };
    let Enrolled::Checkout(url) = enroll(&buyer).await else {
        panic!("a paid course goes to the checkout")
    };
    let first = order_of(&url).await;
    // The expiry job runs at once: the order cannot be paid any more.
    let mut status = OrderStatus::Pending;
    for _ in 0..100 {
        let o: OrderView = buyer
            .call("payments/order", &[("id", &first)])
            .await
            .unwrap();
        status = o.status;
        let stored: (String,) = sqlx::query_as("SELECT status FROM orders WHERE public_id = $1")
            .bind(&first)
            .fetch_one(app.db.r())
            .await
            .unwrap();
        if stored.0 == "expired" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, OrderStatus::Expired);
    assert_eq!(
        app.count_text(
            "SELECT COUNT(*) FROM orders WHERE public_id = $1 AND status = 'expired'",
            &first
        )
        .await,
        1,
        "the job expired it in the database"
    );
    let paid: Call<String> = buyer.call("payments/sandbox-pay", &[("id", &first)]).await;
    assert_eq!(
        paid.unwrap_err(),
        (
            409,
            AppError::Conflict(Msg::Payment(PaymentMsg::OrderExpired))
        )
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM enrollments WHERE course_id = $1",
            course.id
        )
        .await,
        0
    );
    app.cleanup().await;

    // With the usual time to pay: a second checkout is the same order; cancelling closes it.
    let app = spawn_app(b).await;
    let author = a_tutor(&app, "Paid Author").await;
    let m = a_moderator(&app).await;
    let course = CourseBuilder::new("Курс за деньги")
        .price("1990")
        .build(&author, Some(&m))
        .await;
    let buyer = a_student(&app, "Careful Buyer").await;
    let checkout = || async {
        let r: Call<Enrolled> = buyer
            .call("courses/enroll", &[("course", &course.id.to_string())])
            .await;
        match r.unwrap() {
            Enrolled::Checkout(u) => order_of(&u).await,
            other => panic!("{other:?}"),
        }
    };
    let (a, b2) = tokio::join!(checkout(), checkout());
    assert_eq!(a, b2, "concurrent checkouts find the one pending order");
    assert_eq!(checkout().await, a);
    let other = a_student(&app, "Nosy Neighbour").await;
    let r: Call<()> = other.call("payments/cancel", &[("id", &a)]).await;
    assert_eq!(r.unwrap_err(), (404, AppError::NotFound));
    let r: Call<()> = buyer.call("payments/cancel", &[("id", &a)]).await;
    r.unwrap();
    let o: OrderView = buyer.call("payments/order", &[("id", &a)]).await.unwrap();
    assert_eq!(o.status, OrderStatus::Cancelled);
    let paid: Call<String> = buyer.call("payments/sandbox-pay", &[("id", &a)]).await;
    assert_eq!(
        paid.unwrap_err(),
        (
            409,
            AppError::Conflict(Msg::Payment(PaymentMsg::OrderClosed))
        )
    );
    let again = checkout().await;
    assert_ne!(again, a, "a new checkout after cancelling");
    let path: String = buyer
        .call("payments/sandbox-pay", &[("id", &again)])
        .await
        .unwrap();
    assert_eq!(path, format!("/courses/{}", course.slug));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM enrollments WHERE course_id = $1",
            course.id
        )
        .await,
        1
    );
    app.cleanup().await;
}

// ---------------- the courses permission table ----------------

async fn delete(c: &Client, id: i64) -> Call<Deleted> {
    c.call("courses/delete", &[("id", &id.to_string())]).await
}

async fn authors_and_admins_edit_and_delete_courses_and_learners_keep_theirs(b: Backend) {
    let app = spawn_app(b).await;
    let author = a_tutor(&app, "Course Author").await;
    let stranger = a_tutor(&app, "Other Tutor").await;
    let m = a_moderator(&app).await;
    let admin = an_admin(&app).await;

    // A draft: another tutor and a moderator may neither edit nor delete it; its author may.
    let draft = CourseBuilder::new("Черновик курса")
        .build(&author, None)
        .await;
    for who in [&stranger, &m] {
        assert_eq!(
            delete(who, draft.id).await.unwrap_err(),
            (404, AppError::NotFound)
        );
        let r: Call<app::courses::CourseDraft> = who
            .call("courses/draft", &[("id", &draft.id.to_string())])
            .await;
        assert_eq!(r.unwrap_err().0, 404);
    }
    assert_eq!(delete(&app.client(), draft.id).await.unwrap_err().0, 401);
    assert_eq!(delete(&author, draft.id).await.unwrap(), Deleted::Removed);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM courses WHERE id = $1", draft.id)
            .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM lessons WHERE course_id = $1",
            draft.id
        )
        .await,
        0
    );

    // An admin edits and deletes someone else's course.
    let other = CourseBuilder::new("Курс для админа")
        .build(&author, None)
        .await;
    let r: Call<i64> = admin
        .call(
            "courses/section-add",
            &[
                ("course", &other.id.to_string()),
                ("title", "Added by the admin"),
            ],
        )
        .await;
    r.unwrap();
    // Uploads follow the same rule as the editor: the admin may set the cover, a stranger not.
    assert_eq!(
        upload_cover(&admin, other.id, png(320, 200)).await.status(),
        200
    );
    assert_eq!(
        upload_cover(&stranger, other.id, png(320, 200))
            .await
            .status(),
        404
    );
    assert_eq!(delete(&admin, other.id).await.unwrap(), Deleted::Removed);

    // A published course with a learner is archived instead; the learner keeps the lesson.
    let live = CourseBuilder::new("Курс с учениками")
        .lessons(2)
        .build(&author, Some(&m))
        .await;
    let learner = a_student(&app, "Loyal Learner").await;
    enroll_in(&learner, live.id).await;
    let r: Call<()> = learner
        .call(
            "courses/complete",
            &[("lesson", &live.lessons[0].to_string())],
        )
        .await;
    r.unwrap();
    assert_eq!(delete(&author, live.id).await.unwrap(), Deleted::Archived);
    let d: app::courses::CourseDetail = learner
        .call("courses/get", &[("slug", &live.slug)])
        .await
        .unwrap();
    assert_eq!(d.card.status, app::courses::Status::Archived);
    assert!(
        d.enrolled && d.sections[0].lessons[0].completed,
        "progress stays"
    );
    let v: app::courses::LessonView = learner
        .call(
            "courses/lesson",
            &[
                ("slug", &live.slug),
                ("lesson", &live.lessons[1].to_string()),
            ],
        )
        .await
        .unwrap();
    assert!(!v.preview_only);
    // Archived, it takes no new learners.
    let late = a_student(&app, "Late Learner").await;
    let r: Call<Enrolled> = late
        .call("courses/enroll", &[("course", &live.id.to_string())])
        .await;
    assert_eq!(r.unwrap_err().0, 409);
    app.cleanup().await;
}

async fn certificates_outlive_their_course(b: Backend) {
    let app = spawn_app(b).await;
    let author = a_tutor(&app, "Certifying Tutor").await;
    let learner = a_student(&app, "Certified Learner").await;
    let course = CourseBuilder::new("Курс с сертификатом")
        .build(&author, None)
        .await;
    let learner_id = learner.me().await.unwrap().id;
    // A certificate as the exam would issue it (the quizzes suite covers issuing).
    let code = "TUT-ABCD-EFGH-JKMN";
    sqlx::query(
        "INSERT INTO certificates (code, user_id, course_id, learner_name, course_title, tutor_name, score_percent, issued_at) \
         VALUES ($1, $2, $3, 'Certified Learner', 'Курс с сертификатом', 'Certifying Tutor', 90, $4)",
    )
    .bind(code)
    .bind(learner_id)
    .bind(course.id)
    .bind(app::server::now_ms())
    .execute(app.db.w())
    .await
    .unwrap();
    // The course goes (as an operator would delete it): the certificate stays valid.
    sqlx::query("DELETE FROM courses WHERE id = $1")
        .bind(course.id)
        .execute(app.db.w())
        .await
        .unwrap();
    let v: app::certificates::CertificateView = app
        .client()
        .call("certificates/verify", &[("code", code)])
        .await
        .unwrap();
    assert_eq!(
        (
            v.course_title.as_str(),
            v.revoked.is_none(),
            v.course_slug.as_str()
        ),
        ("Курс с сертификатом", true, "")
    );
    let mine: Vec<app::certificates::CertificateItem> =
        learner.call("certificates/mine", &[]).await.unwrap();
    assert_eq!(mine.len(), 1);
    let pdf = app.client().get(&format!("/certificates/{code}.pdf")).await;
    assert_eq!(pdf.status(), 200);
    app.cleanup().await;
}

async fn notifications_about_a_deleted_post_are_forgotten(b: Backend) {
    let app = spawn_app(b).await;
    let author = a_tutor(&app, "Posting Tutor").await;
    let fan = a_student(&app, "Liking Student").await;
    let id: i64 = author
        .call("feed/create", &[("body", "Сегодня разбираем дроби")])
        .await
        .unwrap();
    let r: Call<app::feed::LikeState> = fan
        .call("feed/like", &[("id", &id.to_string()), ("like", "true")])
        .await;
    r.unwrap();
    let n: i64 = author.call("notifications/unread", &[]).await.unwrap();
    assert_eq!(n, 1);
    let page: app::notifications::NotificationPage =
        author.call("notifications/list", &[]).await.unwrap();
    assert_eq!(
        (
            page.items[0].subject_type.as_str(),
            page.items[0].subject_id,
            page.items[0].link.clone()
        ),
        ("post", id, format!("/posts/{id}"))
    );
    let r: Call<()> = author.call("feed/delete", &[("id", &id.to_string())]).await;
    r.unwrap();
    let n: i64 = author.call("notifications/unread", &[]).await.unwrap();
    assert_eq!(n, 0, "nothing left that leads to a deleted post");
    app.cleanup().await;
}

async fn plain_routes_answer_errors_as_json_with_their_status(b: Backend) {
    let app = spawn_app(b).await;
    let student = a_student(&app, "Not A Tutor").await;
    // The tus upload route needs a tutor: 401 without a session, 403 for a student, with the
    // same JSON error a server function gives.
    for (c, status, err) in [
        (app.client(), 401, AppError::NotAuthenticated),
        (student, 403, AppError::Forbidden),
    ] {
        let res = c
            .http
            .post(format!("{}/api/videos/uploads", app.addr))
            .header("tus-resumable", "1.0.0")
            .header("upload-length", "100")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status);
        assert_eq!(res.headers()["cache-control"], "no-store");
        let body: AppError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(body, err);
    }
    app.cleanup().await;
}

// ---------------- upgrading ----------------

/// The migrations up to (not including) the architecture one, run on a fresh database, then a
/// few rows in the old shape, then the rest: the rows are still there in the new shape.
async fn upgrading_from_the_previous_schema_keeps_orders_notifications_and_certificates(
    b: Backend,
) {
    use std::borrow::Cow;
    let tmp = tempfile::tempdir().unwrap();
    let url = match b {
        Backend::Sqlite => format!("sqlite://{}/upgrade.db?mode=rwc", tmp.path().display()),
        Backend::Postgres => {
            // A fresh database from the test app, emptied.
            let app = spawn_app(Backend::Postgres).await;
            let url = app.database_url.clone();
            sqlx::query("DROP SCHEMA public CASCADE")
                .execute(app.db.w())
                .await
                .unwrap();
            sqlx::query("CREATE SCHEMA public")
                .execute(app.db.w())
                .await
                .unwrap();
            app.cleanup().await;
            url
        }
    };
    let dir = match b {
        Backend::Sqlite => "../migrations/sqlite",
        Backend::Postgres => "../migrations/postgres",
    };
    let all = sqlx::migrate::Migrator::new(std::path::Path::new(dir))
        .await
        .unwrap();
    let before = sqlx::migrate::Migrator {
        migrations: Cow::Owned(
            all.iter()
                .filter(|m| m.version < 9)
                .cloned()
                .collect::<Vec<_>>(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    before.run(&pool).await.unwrap();
    // Rows with their old ids (identity columns on PostgreSQL need to be told).
    let exec = |sql: &'static str| {
        let pool = pool.clone();
        let sql = if b == Backend::Postgres && sql.contains("(id, ") {
            sql.replacen(") VALUES", ") OVERRIDING SYSTEM VALUE VALUES", 1)
        } else {
            sql.to_string()
        };
        async move {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap()
        }
    };
    exec("INSERT INTO users (id, email, password_hash, display_name, handle, locale, created_at, updated_at) VALUES (1, 'a@x.io', 'h', 'Anna', 'anna', 'ru', 1, 1), (2, 'b@x.io', 'h', 'Boris', 'boris', 'en', 1, 1)").await;
    exec("INSERT INTO user_roles (user_id, role, granted_at) VALUES (1, 'tutor', 1)").await;
    exec("INSERT INTO courses (id, slug, author_id, title, description, description_html, category, level, language, price_minor, currency, status, created_at, updated_at) VALUES (7, 'old-course', 1, 'Old course', 'd', '<p>d</p>', 'programming', 'beginner', 'ru', 500, 'RUB', 'published', 1, 1)").await;
    exec("INSERT INTO orders (id, public_id, user_id, course_id, amount_minor, currency, provider, status, created_at, paid_at) VALUES (3, 'paid-one', 2, 7, 500, 'RUB', 'sandbox', 'paid', 10, 20), (4, 'waiting', 2, 7, 500, 'RUB', 'sandbox', 'pending', 30, NULL)").await;
    exec("INSERT INTO enrollments (course_id, user_id, order_id, created_at, updated_at) VALUES (7, 2, 3, 20, 20)").await;
    exec("INSERT INTO notifications (id, user_id, kind, actor_id, course_id, created_at) VALUES (5, 1, 'course_approved', 2, 7, 40)").await;
    exec("INSERT INTO notifications (id, user_id, kind, actor_id, created_at) VALUES (6, 1, 'follow', 2, 41)").await;
    exec("INSERT INTO certificates (id, code, user_id, course_id, learner_name, course_title, tutor_name, score_percent, issued_at) VALUES (8, 'TUT-AAAA-AAAA-AAAA', 2, 7, 'Boris', 'Old course', 'Anna', 80, 50)").await;
    all.run(&pool).await.unwrap();
    let q = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (String,)>(sql)
                .fetch_all(&pool)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.0)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        q("SELECT public_id || ':' || item_type || ':' || CAST(item_id AS TEXT) || ':' || status || ':' || title || ':' || return_path FROM orders ORDER BY id").await,
        vec!["paid-one:course:7:paid:Old course:/courses/old-course", "waiting:course:7:pending:Old course:/courses/old-course"]
    );
    assert_eq!(
        q("SELECT CAST(order_id AS TEXT) FROM enrollments").await,
        vec!["3"],
        "enrollments keep their order"
    );
    assert_eq!(
        q("SELECT subject_type || ':' || CAST(subject_id AS TEXT) || ':' || link FROM notifications ORDER BY id").await,
        vec!["course:7:/studio/courses/7", "user:2:/u/boris"]
    );
    assert_eq!(
        q("SELECT kind FROM jobs WHERE ref_key = 'order:waiting'").await,
        vec!["payments.expire_order"],
        "the pending order will expire"
    );
    // The certificate now outlives its course.
    exec("DELETE FROM enrollments").await;
    exec("DELETE FROM courses WHERE id = 7").await;
    assert_eq!(
        q("SELECT code || ':' || COALESCE(CAST(course_id AS TEXT), 'none') FROM certificates")
            .await,
        vec!["TUT-AAAA-AAAA-AAAA:none"]
    );
    assert_eq!(q("SELECT role FROM user_roles").await, vec!["tutor"]);
    pool.close().await;
}
