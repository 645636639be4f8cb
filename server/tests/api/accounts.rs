//! Sign-up, confirmation, log-in/out, sessions, passwords, limits and authorization.

use crate::both;
use crate::helpers::*;
use app::accounts::AccountMsg;
use app::accounts::{CurrentUser, Role, SessionInfo};
use app::error::{AppError, Msg};

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}@example.com",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

both!(
    signing_up_creates_an_unconfirmed_account_and_mails_a_code,
    bad_sign_up_input_is_refused_and_changes_nothing,
    wrong_codes_are_refused_and_guesses_are_limited,
    wrong_password_and_unknown_email_get_the_same_answer,
    failed_logins_are_throttled_per_account_and_address,
    failed_logins_are_limited_per_ip,
    sign_ups_are_limited_per_ip,
    logging_out_ends_the_session_on_the_server,
    sessions_are_listed_and_can_be_revoked_only_by_their_owner,
    changing_the_password_ends_other_sessions,
    a_reset_link_works_once_and_not_after_it_expires,
    expired_and_idle_sessions_are_refused,
    server_functions_refuse_anonymous_callers,
    session_cookies_are_http_only_and_same_site,
    cross_site_posts_are_refused,
    roles_are_granted_from_the_command_line,
    housekeeping_removes_expired_sessions_links_and_limits,
);

async fn signing_up_creates_an_unconfirmed_account_and_mails_a_code(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let email = unique("ann");
    c.sign_up(&email, PASSWORD, "Анна Петрова", "tutor")
        .await
        .expect("sign up");
    let me: CurrentUser = c.me().await.expect("signed in after sign-up");
    assert_eq!(me.email, email);
    assert!(!me.email_confirmed);
    assert_eq!(me.handle, "anna-petrova");
    assert!(me.has(Role::Student) && me.has(Role::Tutor));
    let mail = app.mail_to(&email).await;
    assert!(
        mail.contains("confirmation code") || mail.contains("Tutorium"),
        "{mail}"
    );
    let code = code_in(&mail);
    let r: Call<()> = c.call("accounts/confirm", &[("code", &code)]).await;
    r.expect("right code confirms");
    assert!(c.me().await.expect("me").email_confirmed);
    // The password is stored as an argon2id hash only.
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(app.db.r())
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$") && !hash.contains(PASSWORD));
    app.cleanup().await;
}

async fn bad_sign_up_input_is_refused_and_changes_nothing(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let cases: &[(&str, &str, &str, &str, &str, Msg)] = &[
        (
            "not-an-email",
            PASSWORD,
            "Ann",
            "student",
            "email",
            Msg::Account(AccountMsg::EmailInvalid),
        ),
        (
            "x@example.com",
            "short",
            "Ann",
            "student",
            "password",
            Msg::Account(AccountMsg::PasswordTooShort { min: 10 }),
        ),
        (
            "y@example.com",
            "qwertyuiop",
            "Ann",
            "student",
            "password",
            Msg::Account(AccountMsg::PasswordWeak {
                reason: app::accounts::WeakReason::Common,
            }),
        ),
        (
            "z@example.com",
            PASSWORD,
            "   ",
            "student",
            "display_name",
            Msg::Required,
        ),
        (
            "w@example.com",
            PASSWORD,
            "Ann",
            "admin",
            "role",
            Msg::Account(AccountMsg::RoleInvalid),
        ),
    ];
    for (email, pw, name, role, field, msg) in cases {
        let err = c.sign_up(email, pw, name, role).await.unwrap_err();
        assert_eq!(err.0, 422, "{email}");
        assert_eq!(err.1.field_msg(field), Some(*msg), "{email}: {:?}", err.1);
    }
    // A missing argument is a clear bad request, not a crash.
    let err = c
        .call::<()>("accounts/signup", &[("email", "a@b.ru")])
        .await
        .unwrap_err();
    assert_eq!(err.1, AppError::BadRequest(Msg::BadInput));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(app.db.r())
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert!(c.me().await.is_none());
    app.cleanup().await;
}

async fn wrong_codes_are_refused_and_guesses_are_limited(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let email = unique("code");
    c.sign_up(&email, PASSWORD, "Coder", "student")
        .await
        .unwrap();
    let code = app.confirmation_code(&email).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let err = c
        .call::<()>("accounts/confirm", &[("code", "12ab")])
        .await
        .unwrap_err();
    assert_eq!(
        err.1.field_msg("code"),
        Some(Msg::Account(AccountMsg::CodeInvalid))
    );
    for _ in 0..5 {
        let err = c
            .call::<()>("accounts/confirm", &[("code", wrong)])
            .await
            .unwrap_err();
        assert_eq!(
            err.1.field_msg("code"),
            Some(Msg::Account(AccountMsg::CodeInvalid))
        );
    }
    let err = c
        .call::<()>("accounts/confirm", &[("code", &code)])
        .await
        .unwrap_err();
    assert_eq!(
        err.1.field_msg("code"),
        Some(Msg::Account(AccountMsg::CodeAttemptsExhausted)),
        "the right code is refused after 5 wrong ones"
    );
    assert!(!c.me().await.unwrap().email_confirmed);
    // A new code works.
    let r: Call<()> = c.call("accounts/resend-code", &[]).await;
    r.unwrap();
    let fresh = code_in(&app.mail_to_after(&email, 1).await);
    let r: Call<()> = c.call("accounts/confirm", &[("code", &fresh)]).await;
    r.unwrap();
    assert!(c.me().await.unwrap().email_confirmed);
    // Confirming again says so.
    let err = c
        .call::<()>("accounts/confirm", &[("code", &fresh)])
        .await
        .unwrap_err();
    assert_eq!(
        err.1,
        AppError::BadRequest(Msg::Account(AccountMsg::AlreadyConfirmed))
    );
    app.cleanup().await;
}

async fn wrong_password_and_unknown_email_get_the_same_answer(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("known");
    app.client()
        .sign_up(&email, PASSWORD, "Known", "student")
        .await
        .unwrap();
    let c = app.client();
    let wrong = c
        .log_in(&email, "not the password at all")
        .await
        .unwrap_err();
    let unknown = c
        .log_in(&unique("nobody"), "not the password at all")
        .await
        .unwrap_err();
    assert_eq!(wrong, unknown);
    assert_eq!(
        wrong,
        (
            422,
            AppError::BadRequest(Msg::Account(AccountMsg::InvalidCredentials))
        )
    );
    assert!(c.me().await.is_none());
    c.log_in(&email.to_uppercase(), PASSWORD)
        .await
        .expect("right password, any case of e-mail");
    assert_eq!(c.me().await.unwrap().email, email);
    app.cleanup().await;
}

async fn failed_logins_are_throttled_per_account_and_address(b: Backend) {
    let app = spawn_app_with(b, |c| c.limit_login_per_account = 3).await;
    let email = unique("locked");
    app.client()
        .sign_up(&email, PASSWORD, "Locked", "student")
        .await
        .unwrap();
    let c = app.client();
    for _ in 0..3 {
        assert_eq!(
            c.log_in(&email, "wrong password 1234").await.unwrap_err().1,
            AppError::BadRequest(Msg::Account(AccountMsg::InvalidCredentials))
        );
    }
    // The fourth attempt from this address waits, even with the right password...
    let (status, err) = c.log_in(&email, PASSWORD).await.unwrap_err();
    assert_eq!(status, 429);
    let AppError::RateLimited { retry_after_secs } = err else {
        panic!("{err:?}")
    };
    assert!((1..=60).contains(&retry_after_secs), "{retry_after_secs}");
    assert_eq!(
        err.msg().text(app::i18n::Locale::En),
        "Too many attempts. Try again in 1 minute."
    );
    // ... while the owner, from another address, is not locked out.
    app.client().log_in(&email, PASSWORD).await.unwrap();
    // An unknown e-mail is throttled the same way (no enumeration through the limit).
    let ghost = unique("ghost");
    for _ in 0..3 {
        let _ = c.log_in(&ghost, "wrong password 1234").await;
    }
    assert_eq!(
        c.log_in(&ghost, "wrong password 1234").await.unwrap_err().0,
        429
    );
    app.cleanup().await;
}

async fn failed_logins_are_limited_per_ip(b: Backend) {
    let app = spawn_app_with(b, |c| c.limit_login_per_ip = 4).await;
    let c = app.client_from("203.0.113.9");
    for i in 0..4 {
        let e = c
            .log_in(&format!("nobody{i}@example.com"), "wrong password 1234")
            .await
            .unwrap_err();
        assert_eq!(e.0, 422);
    }
    assert_eq!(
        c.log_in("other@example.com", "wrong password 1234")
            .await
            .unwrap_err()
            .0,
        429
    );
    // Another address is not affected.
    assert_eq!(
        app.client()
            .log_in("other@example.com", "wrong password 1234")
            .await
            .unwrap_err()
            .0,
        422
    );
    app.cleanup().await;
}

async fn sign_ups_are_limited_per_ip(b: Backend) {
    let app = spawn_app_with(b, |c| c.limit_signup_per_ip = 2).await;
    for i in 0..2 {
        app.client_from("198.51.100.7")
            .sign_up(&unique(&format!("s{i}")), PASSWORD, "Signer", "student")
            .await
            .unwrap();
    }
    let e = app
        .client_from("198.51.100.7")
        .sign_up(&unique("s3"), PASSWORD, "Signer", "student")
        .await
        .unwrap_err();
    assert_eq!(e.0, 429);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(app.db.r())
        .await
        .unwrap();
    assert_eq!(n, 2);
    app.cleanup().await;
}

async fn logging_out_ends_the_session_on_the_server(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("out");
    let c = app.client();
    c.sign_up(&email, PASSWORD, "Out", "student").await.unwrap();
    // Keep a copy of the cookie to replay after logging out.
    let res = c
        .http
        .post(format!("{}/api/accounts/login", c.base))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let r: Call<()> = c.call("accounts/logout", &[]).await;
    r.unwrap();
    assert!(c.me().await.is_none());
    let replay = reqwest::Client::new()
        .post(format!("{}/api/accounts/me", app.addr))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(replay, "null", "a logged-out token no longer works");
    app.cleanup().await;
}

async fn sessions_are_listed_and_can_be_revoked_only_by_their_owner(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("multi");
    let laptop = app.client();
    laptop
        .sign_up(&email, PASSWORD, "Multi", "student")
        .await
        .unwrap();
    let phone = app.client();
    phone.log_in(&email, PASSWORD).await.unwrap();
    let list: Vec<SessionInfo> = laptop.call("accounts/sessions", &[]).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s.current).count(), 1);
    assert!(list.iter().all(|s| s.device == "Chrome · Linux"));
    let phone_session = list.iter().find(|s| !s.current).unwrap().id;
    // Someone else cannot end it.
    let stranger = app.client();
    stranger
        .sign_up(&unique("stranger"), PASSWORD, "Stranger", "student")
        .await
        .unwrap();
    let e = stranger
        .call::<()>(
            "accounts/revoke-session",
            &[("id", &phone_session.to_string())],
        )
        .await
        .unwrap_err();
    assert_eq!(e.0, 404);
    assert!(phone.me().await.is_some());
    let r: Call<()> = laptop
        .call(
            "accounts/revoke-session",
            &[("id", &phone_session.to_string())],
        )
        .await;
    r.unwrap();
    assert!(phone.me().await.is_none());
    assert!(laptop.me().await.is_some());
    // "Log out everywhere else".
    let tablet = app.client();
    tablet.log_in(&email, PASSWORD).await.unwrap();
    let n: u64 = laptop.call("accounts/revoke-others", &[]).await.unwrap();
    assert_eq!(n, 1);
    assert!(tablet.me().await.is_none());
    app.cleanup().await;
}

async fn changing_the_password_ends_other_sessions(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("pw");
    let a = app.client();
    a.sign_up(&email, PASSWORD, "Pw", "student").await.unwrap();
    let other = app.client();
    other.log_in(&email, PASSWORD).await.unwrap();
    let e = a
        .call::<()>(
            "accounts/change-password",
            &[
                ("current_password", "wrong one here"),
                ("new_password", "brand new secret words"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1.field_msg("current_password"),
        Some(Msg::Account(AccountMsg::WrongCurrentPassword))
    );
    let e = a
        .call::<()>(
            "accounts/change-password",
            &[("current_password", PASSWORD), ("new_password", "123")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1.field_msg("new_password"),
        Some(Msg::Account(AccountMsg::PasswordTooShort { min: 10 }))
    );
    assert!(other.me().await.is_some(), "a refused change ends nothing");
    let r: Call<()> = a
        .call(
            "accounts/change-password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "brand new secret words"),
            ],
        )
        .await;
    r.unwrap();
    assert!(a.me().await.is_some());
    assert!(other.me().await.is_none());
    assert!(app.client().log_in(&email, PASSWORD).await.is_err());
    app.client()
        .log_in(&email, "brand new secret words")
        .await
        .unwrap();
    app.cleanup().await;
}

async fn a_reset_link_works_once_and_not_after_it_expires(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("reset");
    let old = app.client();
    old.sign_up(&email, PASSWORD, "Resetter", "student")
        .await
        .unwrap();
    app.mail_to(&email).await;
    let c = app.client();
    // Known and unknown e-mails get the same answer; only the known one gets mail.
    let r: Call<()> = c.call("accounts/forgot", &[("email", &email)]).await;
    r.unwrap();
    let nobody = unique("nobody");
    let r: Call<()> = c.call("accounts/forgot", &[("email", &nobody)]).await;
    r.unwrap();
    let mail = app.mail_to_after(&email, 1).await;
    let token = reset_token_in(&mail);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(app.mails_to(&nobody).is_empty());
    let valid: bool = c
        .call("accounts/reset-valid", &[("token", &token)])
        .await
        .unwrap();
    assert!(valid);
    let e = c
        .call::<()>(
            "accounts/reset",
            &[("token", &token), ("password", "short")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1.field_msg("password"),
        Some(Msg::Account(AccountMsg::PasswordTooShort { min: 10 }))
    );
    let r: Call<()> = c
        .call(
            "accounts/reset",
            &[("token", &token), ("password", "a fresh start at last")],
        )
        .await;
    r.unwrap();
    assert_eq!(c.me().await.unwrap().email, email, "the reset logs in");
    assert!(
        old.me().await.is_none(),
        "the reset ends the other sessions"
    );
    let e = c
        .call::<()>(
            "accounts/reset",
            &[("token", &token), ("password", "a second try at this")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1,
        AppError::BadRequest(Msg::Account(AccountMsg::ResetLinkInvalid))
    );
    // An expired link is refused.
    let r: Call<()> = c.call("accounts/forgot", &[("email", &email)]).await;
    r.unwrap();
    let mail = app.mail_to_after(&email, 2).await;
    let token2 = reset_token_in(&mail);
    sqlx::query("UPDATE password_resets SET expires_at = 0 WHERE used_at IS NULL")
        .execute(app.db.w())
        .await
        .unwrap();
    let e = c
        .call::<()>(
            "accounts/reset",
            &[("token", &token2), ("password", "too late for this one")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.1,
        AppError::BadRequest(Msg::Account(AccountMsg::ResetLinkInvalid))
    );
    app.client()
        .log_in(&email, "a fresh start at last")
        .await
        .unwrap();
    app.cleanup().await;
}

async fn expired_and_idle_sessions_are_refused(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let email = unique("exp");
    c.sign_up(&email, PASSWORD, "Exp", "student").await.unwrap();
    assert!(c.me().await.is_some());
    sqlx::query("UPDATE sessions SET expires_at = 1")
        .execute(app.db.w())
        .await
        .unwrap();
    assert!(c.me().await.is_none());
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
            app.user_id(&email).await
        )
        .await,
        0
    );
    let d = app.client();
    d.log_in(&email, PASSWORD).await.unwrap();
    sqlx::query("UPDATE sessions SET last_seen_at = 1")
        .execute(app.db.w())
        .await
        .unwrap();
    assert!(
        d.me().await.is_none(),
        "idle for longer than SESSION_IDLE_DAYS"
    );
    app.cleanup().await;
}

async fn server_functions_refuse_anonymous_callers(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let calls: &[(&str, &[(&str, &str)])] = &[
        ("accounts/confirm", &[("code", "123456")]),
        ("accounts/resend-code", &[]),
        (
            "accounts/change-password",
            &[("current_password", "x"), ("new_password", "y")],
        ),
        ("accounts/sessions", &[]),
        ("accounts/revoke-session", &[("id", "1")]),
        ("accounts/revoke-others", &[]),
        ("profiles/mine", &[]),
        ("profiles/avatar-delete", &[]),
        ("profiles/follow", &[("user_id", "1")]),
        ("profiles/unfollow", &[("user_id", "1")]),
        ("profiles/settings", &[]),
    ];
    for (endpoint, form) in calls {
        let e = c
            .call::<serde_json::Value>(endpoint, form)
            .await
            .unwrap_err();
        assert_eq!(e, (401, AppError::NotAuthenticated), "{endpoint}");
    }
    for endpoint in ["profiles/update", "profiles/settings-update"] {
        let e = c
            .call_json::<serde_json::Value>(
                endpoint,
                serde_json::json!({"update": {"display_name": "x", "headline": "", "bio": "", "is_tutor": false, "subjects": [], "languages": [], "years_experience": "", "hourly_rate": "", "currency": "RUB"}, "email_on": [], "visibility": "public"}),
            )
            .await
            .unwrap_err();
        assert_eq!(e.0, 401, "{endpoint}");
    }
    app.cleanup().await;
}

async fn session_cookies_are_http_only_and_same_site(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let email = unique("cookie");
    c.sign_up(&email, PASSWORD, "Cookie", "student")
        .await
        .unwrap();
    let res = c
        .http
        .post(format!("{}/api/accounts/login", c.base))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("tutorium_session="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let token = cookie.split(';').next().unwrap().split('=').nth(1).unwrap();
    assert!(token.len() >= 43, "256-bit token");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(token)
        .fetch_one(app.db.r())
        .await
        .unwrap();
    assert_eq!(n, 0, "the token itself is not stored");
    app.cleanup().await;
}

async fn cross_site_posts_are_refused(b: Backend) {
    let app = spawn_app(b).await;
    let c = app.client();
    let res = c
        .http
        .post(format!("{}/api/accounts/login", c.base))
        .header("origin", "https://evil.example")
        .form(&[("email", "a@b.ru"), ("password", "whatever-123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .http
        .post(format!("{}/api/accounts/login", c.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "a@b.ru"), ("password", "whatever-123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    app.cleanup().await;
}

async fn roles_are_granted_from_the_command_line(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("admin");
    let c = app.client();
    c.sign_up(&email, PASSWORD, "Admin", "student")
        .await
        .unwrap();
    app::accounts::service::grant_role(&app.state, &email, Role::Admin)
        .await
        .unwrap();
    app::accounts::service::grant_role(&app.state, &email, Role::Admin)
        .await
        .unwrap();
    // A staff role counts only once this session proved a second factor.
    let me = c.me().await.unwrap();
    assert!(
        !me.has(Role::Admin) && me.locked == vec![Role::Admin],
        "{me:?}"
    );
    c.turn_on_mfa().await;
    assert!(c.me().await.unwrap().has(Role::Admin));
    app::accounts::service::revoke_role(&app.state, &email, Role::Admin)
        .await
        .unwrap();
    assert!(!c.me().await.unwrap().has(Role::Admin));
    // Each change is in the audit log, done by the command line (the repeated grant changed nothing).
    assert_eq!(
        app.count_text(
            "SELECT COUNT(*) FROM audit_log WHERE actor_label = 'command line' AND target_label = $1 \
             AND action IN ('role.granted', 'role.revoked')",
            &email
        )
        .await,
        2
    );
    assert!(
        app::accounts::service::grant_role(&app.state, "nobody@example.com", Role::Admin)
            .await
            .is_err()
    );
    app.cleanup().await;
}

async fn housekeeping_removes_expired_sessions_links_and_limits(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique("house");
    let c = app.client();
    c.sign_up(&email, PASSWORD, "House", "student")
        .await
        .unwrap();
    let other = app.client();
    other.log_in(&email, PASSWORD).await.unwrap();
    let r: Call<()> = c.call("accounts/forgot", &[("email", &email)]).await;
    r.unwrap();
    let _ = app.client().log_in(&email, "wrong password 12345").await;
    let id = app.user_id(&email).await;
    // One session idle for too long, the reset link and the limits from two days ago.
    sqlx::query("UPDATE sessions SET last_seen_at = 1 WHERE id = (SELECT MIN(id) FROM sessions WHERE user_id = $1)")
        .bind(id)
        .execute(app.db.w())
        .await
        .unwrap();
    let two_days_ago = app::server::now_ms() - 2 * 24 * 3600 * 1000;
    sqlx::query("UPDATE password_resets SET expires_at = $1")
        .bind(two_days_ago)
        .execute(app.db.w())
        .await
        .unwrap();
    sqlx::query("UPDATE rate_limits SET window_start = $1")
        .bind(two_days_ago)
        .execute(app.db.w())
        .await
        .unwrap();
    let now = app::server::now_ms();
    let removed = app::accounts::db::delete_expired(&app.db, now, 14 * 24 * 3600 * 1000)
        .await
        .unwrap();
    assert_eq!(removed, 2, "one session and one reset link");
    assert!(app::server::rate_limit::purge(&app.db, now).await.unwrap() >= 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", id)
            .await,
        1
    );
    assert!(other.me().await.is_some(), "the session in use stays");
    app.cleanup().await;
}
