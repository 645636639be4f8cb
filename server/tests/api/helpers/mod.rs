//! `spawn_app()` and the calls tests make; `people` (confirmed accounts by role) and `builders`
//! (a published course with lessons, an enrolled learner) for the scenarios of every feature.

pub mod builders;
pub mod people;
pub mod process;

pub use builders::*;
pub use people::*;
pub use process::*;

use app::error::AppError;
use app::server::config::Config;
use app::server::db::Db;
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::time::Duration;

pub use app::server::db::Backend;

/// Generates `name::sqlite` and `name::postgres` tests from `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                $crate::helpers::run(super::$name($crate::helpers::Backend::Sqlite))
            }
            #[test]
            fn postgres() {
                $crate::helpers::run(super::$name($crate::helpers::Backend::Postgres))
            }
        }
    )*};
}

/// Runs one test on its own two-worker runtime. Panics on that runtime's worker threads
/// (request handlers, rendering, jobs) are charged to this test alone, with their messages,
/// so `cleanup()` fails the test that caused them and no other.
pub fn run(test: impl std::future::Future<Output = ()>) {
    count_server_panics();
    log_server_warnings();
    let panics = std::sync::Arc::new(Panics::default());
    let on_workers = panics.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .on_thread_start(move || {
            WORKER_PANICS.with(|p| *p.borrow_mut() = Some(on_workers.clone()));
        })
        .build()
        .expect("test runtime");
    TEST_PANICS.with(|p| *p.borrow_mut() = Some(panics));
    rt.block_on(test);
}

pub struct TestApp {
    pub addr: String,
    /// The database URL, for a second server process on the same database.
    pub database_url: String,
    pub state: app::server::AppState,
    pub db: Db,
    pub backend: Backend,
    pub media_dir: PathBuf,
    mail_dir: PathBuf,
    _tmp: tempfile::TempDir,
    next_ip: std::sync::atomic::AtomicU32,
}

/// Limits high enough that ordinary tests never meet them; the rate-limit tests lower them.
pub fn test_config(tmp: &std::path::Path, database_url: String) -> Config {
    let mut c = Config::from_env();
    c.database_url = database_url;
    c.data_dir = tmp.to_path_buf();
    c.media_dir = Some(tmp.join("media"));
    c.outbox_dir = Some(tmp.join("outbox"));
    c.public_url = "http://127.0.0.1".into();
    c.trust_proxy = true;
    c.payments_sandbox = true;
    c.limit_login_per_account = 1000;
    c.limit_login_per_ip = 1000;
    c.limit_signup_per_ip = 1000;
    c.limit_mail_per_account = 1000;
    c
}

async fn database_url(backend: Backend, tmp: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}/test.db", tmp.display()),
        Backend::Postgres => {
            let admin = std::env::var("TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let name = format!("tutorium_t_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&admin).await.expect(
                "PostgreSQL on 127.0.0.1:5432 must be running for the PostgreSQL half of the tests",
            );
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .expect("create test database");
            pool.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Panics seen on one test's worker threads.
#[derive(Default)]
struct Panics(std::sync::Mutex<Vec<String>>);

thread_local! {
    /// Set on a test runtime's worker threads: where their panics are recorded.
    static WORKER_PANICS: std::cell::RefCell<Option<std::sync::Arc<Panics>>> =
        const { std::cell::RefCell::new(None) };
    /// Set on the thread that runs the test body: what `cleanup()` checks.
    static TEST_PANICS: std::cell::RefCell<Option<std::sync::Arc<Panics>>> =
        const { std::cell::RefCell::new(None) };
}

/// A panic on a server thread is a bug even when the client sees an answer, so `cleanup()`
/// fails on any. The hook is installed once for the whole test binary.
fn count_server_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_with`: a panic while the thread's locals are being torn down is not lost.
            let _ = WORKER_PANICS.try_with(|p| {
                if let Some(p) = p.borrow().as_ref() {
                    let mut seen = p.0.lock().unwrap_or_else(|e| e.into_inner());
                    seen.push(info.to_string());
                }
            });
            default(info);
        }));
    });
}

/// The server's warnings and errors go to the test's output (shown when it fails): a request
/// that times out then says what the server was doing. `RUST_LOG` overrides the level.
fn log_server_warnings() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// The panics on this test's worker threads so far.
fn server_panics() -> Vec<String> {
    TEST_PANICS.with(|p| {
        p.borrow()
            .as_ref()
            .map(|p| p.0.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    })
}

pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_with_hooks(backend, tweak, |_| {}).await
}

/// A test app with every feature's hooks plus the test's own (job kinds that only a test runs).
pub async fn spawn_app_with_hooks(
    backend: Backend,
    tweak: impl FnOnce(&mut Config),
    extra: impl FnOnce(&mut app::server::hooks::Hooks),
) -> TestApp {
    let tmp = tempfile::tempdir().expect("tempdir");
    let url = database_url(backend, tmp.path()).await;
    let mut config = test_config(tmp.path(), url.clone());
    // Real SMTP to the local sink when the test script started one.
    let mail_dir = match (
        std::env::var("TEST_SMTP_URL"),
        std::env::var("TEST_SMTP_DIR"),
    ) {
        (Ok(url), Ok(dir)) => {
            config.smtp_url = Some(url);
            PathBuf::from(dir)
        }
        _ => tmp.path().join("outbox"),
    };
    tweak(&mut config);
    let media_dir = config.media_dir();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let options = server::leptos_options(Some(addr)).expect("options");
    let mut hooks = app::wiring::hooks();
    extra(&mut hooks);
    let state = server::build_state_with(config, options, hooks)
        .await
        .expect("state");
    let db = state.db.clone();
    let served = state.clone();
    tokio::spawn(async move {
        let _ = server::serve(served, listener).await;
    });
    TestApp {
        addr: format!("http://{addr}"),
        database_url: url,
        state,
        db,
        backend,
        media_dir,
        mail_dir,
        _tmp: tmp,
        next_ip: std::sync::atomic::AtomicU32::new(1),
    }
}

/// A browser: its own cookies and its own client address.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

impl TestApp {
    /// A new visitor with an empty cookie jar and a fresh address.
    pub fn client(&self) -> Client {
        let n = self
            .next_ip
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.client_from(&format!("10.0.{}.{}", n / 250, n % 250 + 1))
    }

    /// A new visitor coming from `ip`.
    pub fn client_from(&self, ip: &str) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().expect("ip header"));
        headers.insert(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 test"
                .parse()
                .expect("ua"),
        );
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            base: self.addr.clone(),
        }
    }

    /// The newest mail to `to` (waits for it up to 10 s).
    pub async fn mail_to(&self, to: &str) -> String {
        self.mail_to_after(to, 0).await
    }

    /// The newest mail to `to` once more than `seen` mails have arrived for them.
    pub async fn mail_to_after(&self, to: &str, seen: usize) -> String {
        for _ in 0..100 {
            let mails = self.mails_to(to);
            if mails.len() > seen {
                return mails.last().cloned().unwrap_or_default();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no mail to {to} in {}", self.mail_dir.display());
    }

    /// Every mail to `to`, oldest first.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        let mut files: Vec<(std::time::SystemTime, String, String)> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
            .filter_map(|e| {
                let raw = std::fs::read(e.path()).ok()?;
                let t = e.metadata().ok()?.modified().ok()?;
                let msg = mail_parser::MessageParser::default().parse(&raw)?;
                let to_matches = msg
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .is_some_and(|a| a.eq_ignore_ascii_case(to));
                if !to_matches {
                    return None;
                }
                let text = format!(
                    "Subject: {}\n\n{}",
                    msg.subject().unwrap_or_default(),
                    msg.body_text(0).unwrap_or_default()
                );
                Some((t, e.file_name().to_string_lossy().to_string(), text))
            })
            .collect();
        files.sort();
        files.into_iter().map(|(_, _, b)| b).collect()
    }

    /// The 6-digit code of the newest confirmation mail to `to`.
    pub async fn confirmation_code(&self, to: &str) -> String {
        let mail = self.mail_to(to).await;
        code_in(&mail)
    }

    pub async fn count(&self, sql: &'static str, bind: i64) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(bind)
            .fetch_one(self.db.r())
            .await
            .expect("count");
        n
    }

    /// A count with one text parameter.
    pub async fn count_text(&self, sql: &'static str, bind: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(bind.to_string())
            .fetch_one(self.db.r())
            .await
            .expect("count");
        n
    }

    pub async fn user_id(&self, email: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(self.db.r())
            .await
            .expect("user id");
        id
    }

    pub async fn cleanup(self) {
        let panics = server_panics();
        assert!(
            panics.is_empty(),
            "a server task of this test panicked:\n{}",
            panics.join("\n")
        );
        self.db.close().await;
        if self.backend == Backend::Postgres {
            // The test script drops every tutorium_t_* database; nothing to do per test.
        }
    }
}

pub fn code_in(mail: &str) -> String {
    let re = regex::Regex::new(r"\b(\d{6})\b").expect("regex");
    re.captures_iter(mail)
        .map(|c| c[1].to_string())
        .next()
        .unwrap_or_else(|| panic!("no code in mail:\n{mail}"))
}

/// The token of the password-reset link in a mail.
pub fn reset_token_in(mail: &str) -> String {
    let re = regex::Regex::new(r"reset-password\?token=([A-Za-z0-9_-]+)").expect("regex");
    re.captures(mail)
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| panic!("no reset link in mail:\n{mail}"))
}

/// The result of a server function call: the value, or the HTTP status and the error.
pub type Call<T> = Result<T, (u16, AppError)>;

impl Client {
    /// POSTs a form to a server function (`/api/{endpoint}`) like the app's own client does.
    pub async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Call<T> {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form)
            .send()
            .await
            .expect("request");
        decode(res).await
    }

    /// POSTs JSON to a server function that takes JSON.
    pub async fn call_json<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: serde_json::Value,
    ) -> Call<T> {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .json(&body)
            .send()
            .await
            .expect("request");
        decode(res).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// Signs up, then logs in with the same password. (Sign-up alone opens no session: it would
    /// tell whether the e-mail was new; the code from the mail confirms and logs in.)
    pub async fn sign_up(&self, email: &str, password: &str, name: &str, role: &str) -> Call<()> {
        self.call::<()>(
            "accounts/signup",
            &[
                ("email", email),
                ("password", password),
                ("display_name", name),
                ("role", role),
            ],
        )
        .await?;
        self.log_in(email, password).await
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Call<()> {
        self.call(
            "accounts/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Sets up two-factor authentication like a person with an authenticator app (reading the
    /// key the page shows) and proves it in this session; returns the secret and the recovery
    /// codes.
    pub async fn turn_on_mfa(&self) -> (Vec<u8>, Vec<String>) {
        let e: app::accounts::MfaEnrolment = self
            .call("accounts/mfa-begin", &[])
            .await
            .expect("mfa begin");
        let secret = app::accounts::mfa::secret_from_text(&e.secret).expect("base32 secret");
        let code = totp_now(&secret);
        let codes: Vec<String> = self
            .call("accounts/mfa-enable", &[("code", &code)])
            .await
            .expect("mfa enable");
        assert_eq!(codes.len(), 10);
        (secret, codes)
    }

    pub async fn me(&self) -> Option<app::accounts::CurrentUser> {
        self.call::<Option<app::accounts::CurrentUser>>("accounts/me", &[])
            .await
            .expect("me")
    }
}

async fn decode<T: DeserializeOwned>(res: reqwest::Response) -> Call<T> {
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    if (200..300).contains(&status) {
        Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot decode {text}: {e}")))
    } else {
        let err = serde_json::from_str::<AppError>(&text)
            .unwrap_or_else(|_| panic!("status {status}: {text}"));
        Err((status, err))
    }
}

/// The current authenticator code of a secret.
pub fn totp_now(secret: &[u8]) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    app::accounts::mfa::code_at(secret, now)
}

pub const PASSWORD: &str = "correct horse battery staple";

/// A confirmed account, logged in on the returned client.
pub async fn confirmed_user(app: &TestApp, email: &str, name: &str, role: &str) -> Client {
    let c = app.client();
    c.sign_up(email, PASSWORD, name, role)
        .await
        .expect("sign up");
    let code = app.confirmation_code(email).await;
    let r: Call<()> = c.call("accounts/confirm", &[("code", &code)]).await;
    r.expect("confirm");
    c
}
