//! Security hardening at the HTTP edge (issue 10): log-in limits under parallel guesses, the
//! throttle that never locks the owner out, the client address behind proxies, where a log-in
//! may send you next, which writes the CSRF check lets through, and the headers and cookie flags
//! of every kind of response, what the log keeps of the secrets mail carries, and which
//! passwords are too easy to guess, and that sign-up never tells whether an e-mail is registered.

use crate::both;
use crate::helpers::*;
use app::error::AppError;
use futures::StreamExt;
use std::sync::Arc;

both!(
    parallel_guesses_at_one_account_are_evaluated_at_most_the_limit,
    parallel_guesses_from_one_address_are_evaluated_at_most_the_limit,
    wrong_passwords_slow_their_address_down_but_never_lock_the_owner_out,
    a_spoofed_forwarded_for_entry_does_not_change_the_address_that_is_limited,
    ipv6_clients_in_one_64_share_their_limit,
    next_paths_off_the_site_are_refused_and_none_crashes_the_server,
    writes_with_origin_null_are_refused,
    every_kind_of_response_carries_the_security_headers_and_cookie_flags,
    codes_and_reset_links_stay_out_of_the_log_when_mail_goes_by_smtp,
    common_passwords_are_refused_with_the_reason_and_how_to_do_better,
    signing_up_never_tells_whether_an_email_is_registered,
);

/// Sends `wrong` logins at once from `attacker`, then — once the first of them has been
/// answered, when every one has been counted — `right`. Returns every answer, `right`'s last.
async fn burst(
    attacker: Arc<Client>,
    wrong: Vec<(String, String)>,
    right: (String, String),
) -> Vec<Call<()>> {
    let mut pending: futures::stream::FuturesUnordered<_> = wrong
        .into_iter()
        .map(|(email, password)| {
            let c = attacker.clone();
            tokio::spawn(async move { c.log_in(&email, &password).await })
        })
        .collect();
    let mut answers = vec![pending.next().await.unwrap().unwrap()];
    let last = attacker.log_in(&right.0, &right.1).await;
    while let Some(a) = pending.next().await {
        answers.push(a.unwrap());
    }
    answers.push(last);
    answers
}

/// (evaluated: the password was checked, 200 or 422; refused with 429).
fn tally(answers: &[Call<()>]) -> (usize, usize) {
    let evaluated = answers
        .iter()
        .filter(|a| matches!(a, Ok(()) | Err((422, _))))
        .count();
    let refused = answers
        .iter()
        .filter(|a| matches!(a, Err((429, AppError::RateLimited { .. }))))
        .count();
    (evaluated, refused)
}

async fn parallel_guesses_at_one_account_are_evaluated_at_most_the_limit(b: Backend) {
    const LIMIT: usize = 5;
    let app = spawn_app_with(b, |c| c.limit_login_per_account = LIMIT as i64).await;
    let email = unique_email("target");
    confirmed_user(&app, &email, "Target Person", "student").await;
    let attacker = Arc::new(app.client_from("203.0.113.50"));
    let wrong = (0..99)
        .map(|i| (email.clone(), format!("wrong guess number {i}")))
        .collect();
    let answers = burst(attacker, wrong, (email.clone(), PASSWORD.to_string())).await;
    let (evaluated, refused) = tally(&answers);
    println!(
        "100 parallel log-ins at one account, limit {LIMIT}: {evaluated} evaluated, {refused} refused"
    );
    assert_eq!((evaluated, refused), (LIMIT, 100 - LIMIT), "{answers:?}");
    assert!(
        answers.last().unwrap().is_err(),
        "the right password, sent while the guesses are in flight, is not tried"
    );
    app.cleanup().await;
}

async fn parallel_guesses_from_one_address_are_evaluated_at_most_the_limit(b: Backend) {
    const LIMIT: usize = 7;
    let app = spawn_app_with(b, |c| c.limit_login_per_ip = LIMIT as i64).await;
    let email = unique_email("victim");
    confirmed_user(&app, &email, "Victim Person", "student").await;
    let attacker = Arc::new(app.client_from("203.0.113.51"));
    // Credential stuffing: one guess at each of 99 accounts.
    let wrong = (0..99)
        .map(|i| {
            (
                unique_email(&format!("stuffed{i}")),
                format!("leaked password {i}"),
            )
        })
        .collect();
    let answers = burst(attacker, wrong, (email.clone(), PASSWORD.to_string())).await;
    let (evaluated, refused) = tally(&answers);
    println!(
        "100 parallel log-ins from one address, limit {LIMIT}: {evaluated} evaluated, {refused} refused"
    );
    assert_eq!((evaluated, refused), (LIMIT, 100 - LIMIT), "{answers:?}");
    assert!(answers.last().unwrap().is_err());
    app.cleanup().await;
}

async fn wrong_passwords_slow_their_address_down_but_never_lock_the_owner_out(b: Backend) {
    let app = spawn_app_with(b, |c| c.limit_login_per_account = 5).await;
    let email = unique_email("owner");
    confirmed_user(&app, &email, "Owner Person", "student").await;
    // Five typos on the laptop: the sixth attempt from there waits a minute, right password or not.
    let laptop = app.client_from("203.0.113.60");
    for _ in 0..5 {
        assert_eq!(
            laptop
                .log_in(&email, "mistyped password")
                .await
                .unwrap_err()
                .0,
            422
        );
    }
    let Err((429, AppError::RateLimited { retry_after_secs })) =
        laptop.log_in(&email, PASSWORD).await
    else {
        panic!("the laptop should wait")
    };
    assert!((1..=60).contains(&retry_after_secs), "{retry_after_secs}");
    // The owner is not locked out: the phone, on another network, gets in at once.
    let phone = app.client_from("198.51.100.61");
    phone.log_in(&email, PASSWORD).await.expect("phone logs in");
    // Each further failure from the laptop doubles its wait (the minute is made to pass).
    let pass_the_wait = "UPDATE login_throttle SET last_at = last_at - delay_ms";
    sqlx::query(pass_the_wait)
        .execute(app.db.w())
        .await
        .unwrap();
    assert_eq!(
        laptop.log_in(&email, "mistyped again").await.unwrap_err().0,
        422
    );
    let Err((429, AppError::RateLimited { retry_after_secs })) =
        laptop.log_in(&email, PASSWORD).await
    else {
        panic!("the laptop should wait longer")
    };
    assert!((61..=120).contains(&retry_after_secs), "{retry_after_secs}");
    // A reset link lifts the wait: the owner gets in on the laptop with the new password.
    let r: Call<()> = laptop.call("accounts/forgot", &[("email", &email)]).await;
    r.unwrap();
    let mail = app.mail_to_after(&email, 1).await;
    let token = reset_token_in(&mail);
    let fresh = app.client_from("203.0.113.60");
    let r: Call<()> = fresh
        .call(
            "accounts/reset",
            &[("token", &token), ("password", "a fresh start at last")],
        )
        .await;
    r.unwrap();
    laptop
        .log_in(&email, "a fresh start at last")
        .await
        .expect("no wait after the reset");
    app.cleanup().await;
}

async fn a_spoofed_forwarded_for_entry_does_not_change_the_address_that_is_limited(b: Backend) {
    let app = spawn_app_with(b, |c| c.limit_login_per_ip = 3).await;
    // The proxy appends the address it saw (203.0.113.9) to whatever the client sent.
    for spoof in ["1.1.1.1", "2.2.2.2", "3.3.3.3"] {
        let c = app.client_from(&format!("{spoof}, 203.0.113.9"));
        let e = c
            .log_in(&unique_email("nobody"), "wrong password 1234")
            .await
            .unwrap_err();
        assert_eq!(e.0, 422, "{spoof}");
    }
    let e = app
        .client_from("4.4.4.4, 203.0.113.9")
        .log_in(&unique_email("nobody"), "wrong password 1234")
        .await
        .unwrap_err();
    assert_eq!(e.0, 429, "a new leftmost entry is still 203.0.113.9");
    let e = app
        .client_from("203.0.113.10")
        .log_in(&unique_email("nobody"), "wrong password 1234")
        .await
        .unwrap_err();
    assert_eq!(e.0, 422, "another address is not affected");
    // Sessions record the address the proxy saw, not the spoofed one.
    let email = unique_email("listed");
    confirmed_user(&app, &email, "Listed Person", "student").await;
    let c = app.client_from("6.6.6.6, 198.51.100.70");
    c.log_in(&email, PASSWORD).await.unwrap();
    let sessions: Vec<app::accounts::SessionInfo> = c.call("accounts/sessions", &[]).await.unwrap();
    let current = sessions.iter().find(|s| s.current).unwrap();
    assert_eq!(current.ip, "198.51.100.70");
    app.cleanup().await;
}

async fn ipv6_clients_in_one_64_share_their_limit(b: Backend) {
    let app = spawn_app_with(b, |c| c.limit_login_per_ip = 2).await;
    let guess = |ip: &'static str| {
        let c = app.client_from(ip);
        async move {
            c.log_in(&unique_email("nobody"), "wrong password 1234")
                .await
                .unwrap_err()
                .0
        }
    };
    assert_eq!(guess("2001:db8:5:6::1").await, 422);
    assert_eq!(guess("2001:db8:5:6:ffff:1:2:3").await, 422);
    assert_eq!(guess("2001:db8:5:6::abcd").await, 429, "the same /64");
    assert_eq!(guess("2001:db8:5:7::1").await, 422, "the next /64");
    app.cleanup().await;
}

async fn next_paths_off_the_site_are_refused_and_none_crashes_the_server(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique_email("next");
    confirmed_user(&app, &email, "Next Person", "student").await;
    let c = app.client();
    let cases = [
        ("/courses/x?tab=2", "/courses/x?tab=2"),
        ("/\t/evil.example", "/"),
        ("/%09/evil.example", "/"),
        ("/\n", "/"),
        ("/%0A", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/%2F%2Fevil.example", "/"),
        ("https://evil.example/", "/"),
        ("/x\r\nSet-Cookie: a=1", "/"),
    ];
    for (next, expected) in cases {
        // As a form posted without JavaScript (302) and by the app's own client.
        for accept in ["text/html", "application/json"] {
            let res = c
                .http
                .post(format!("{}/api/accounts/login", c.base))
                .header("accept", accept)
                .form(&[
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap_or_else(|e| panic!("{next:?}: {e}"));
            if accept == "text/html" {
                assert_eq!(res.status(), 302, "{next:?}");
            }
            let location = res.headers().get("location").map(|v| v.to_str().unwrap());
            assert_eq!(location, Some(expected), "{next:?} ({accept})");
        }
    }
    app.cleanup().await;
}

async fn writes_with_origin_null_are_refused(b: Backend) {
    let app = spawn_app(b).await;
    let c = person_with(&app, "Null Origin", "student", &[]).await;
    let logout = |origin: &str| {
        c.http
            .post(format!("{}/api/accounts/logout", c.base))
            .header("origin", origin)
            .send()
    };
    assert_eq!(logout("null").await.unwrap().status(), 403);
    assert!(c.me().await.is_some(), "still logged in");
    assert_eq!(logout("http://evil.example").await.unwrap().status(), 403);
    assert_eq!(logout(&app.addr).await.unwrap().status(), 200);
    assert!(c.me().await.is_none());
    app.cleanup().await;
}

/// The headers every response carries, whatever produced it.
fn assert_security_headers(what: &str, res: &reqwest::Response, https: bool) {
    let h = res.headers();
    let get = |name: &str| {
        h.get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{what}: no {name} ({})", res.status()))
    };
    let csp = get("content-security-policy");
    for part in [
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(
        get("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{what}");
    assert!(get("permissions-policy").contains("camera=()"), "{what}");
    if https {
        assert_eq!(
            get("strict-transport-security"),
            "max-age=31536000; includeSubDomains",
            "{what}"
        );
    } else {
        assert!(
            h.get("strict-transport-security").is_none(),
            "{what}: HSTS over plain HTTP"
        );
    }
}

async fn every_kind_of_response_carries_the_security_headers_and_cookie_flags(b: Backend) {
    for https in [true, false] {
        let public_url = if https {
            "https://tutorium.example"
        } else {
            "http://127.0.0.1"
        };
        let app = spawn_app_with(b, |c| c.public_url = public_url.into()).await;
        let email = unique_email("headers");
        let r: Call<()> = app
            .client()
            .call(
                "accounts/signup",
                &[
                    ("email", &email),
                    ("password", PASSWORD),
                    ("display_name", "Header Person"),
                    ("role", "student"),
                ],
            )
            .await;
        r.unwrap();
        app.state
            .storage
            .put("avatars/headers/64.jpg", vec![0xff, 0xd8, 0xff, 0xd9])
            .await
            .unwrap();
        let c = app.client();
        let page = c.get("/").await;
        assert_eq!(page.status(), 200);
        assert_security_headers("an SSR page", &page, https);
        let csp = page.headers()["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("'nonce-"),
            "pages allow only their own scripts: {csp}"
        );
        let server_fn = c
            .http
            .post(format!("{}/api/accounts/me", c.base))
            .send()
            .await
            .unwrap();
        assert_eq!(server_fn.status(), 200);
        assert_security_headers("a server function", &server_fn, https);
        let failing_fn = c
            .http
            .post(format!("{}/api/accounts/sessions", c.base))
            .send()
            .await
            .unwrap();
        assert_eq!(failing_fn.status(), 401);
        assert_security_headers("a server function's error", &failing_fn, https);
        let media = c.get("/media/avatars/headers/64.jpg").await;
        assert_eq!(media.status(), 200);
        assert_security_headers("a media file", &media, https);
        let missing_media = c.get("/media/avatars/nobody/64.jpg").await;
        assert_eq!(missing_media.status(), 404);
        assert_security_headers("a missing media file", &missing_media, https);
        let not_found = c.get("/no/such/page").await;
        assert_eq!(not_found.status(), 404);
        assert_security_headers("the 404 page", &not_found, https);
        let health = c.get("/healthz").await;
        assert_security_headers("a plain route", &health, https);
        // A log-in posted as a plain form: a redirect that sets the session cookie.
        let login = c
            .http
            .post(format!("{}/api/accounts/login", c.base))
            .header("accept", "text/html")
            .form(&[
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("next", "/courses"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 302);
        assert_security_headers("a redirect", &login, https);
        let cookie = login
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.contains("tutorium_session="))
            .expect("a session cookie");
        let name = if https {
            "__Host-tutorium_session="
        } else {
            "tutorium_session="
        };
        assert!(cookie.starts_with(name), "{cookie}");
        for flag in ["; Path=/", "; HttpOnly", "; SameSite=Lax"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert_eq!(cookie.contains("; Secure"), https, "{cookie}");
        assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
        // The server reads the cookie under that name, and logging out clears that one.
        let pair = cookie.split(';').next().unwrap().to_string();
        let fresh = reqwest::Client::new();
        let me = fresh
            .post(format!("{}/api/accounts/me", app.addr))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(me.contains(&email), "{me}");
        let out = fresh
            .post(format!("{}/api/accounts/logout", app.addr))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap();
        let cleared = out.headers()["set-cookie"].to_str().unwrap();
        assert!(
            cleared.starts_with(name) && cleared.contains("Max-Age=0"),
            "{cleared}"
        );
        app.cleanup().await;
    }
}

/// A tiny SMTP server that keeps the raw messages it is given.
async fn smtp_sink() -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = mails.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                let mut line = String::new();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if cmd == "DATA" {
                        let _ = w.write_all(b"354 go on\r\n").await;
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        kept.lock().unwrap().push(data);
                        b"250 kept\r\n"
                    } else if cmd == "QUIT" {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, mails)
}

/// The text (subject and body) of the newest mail in `mails` whose text matches `re`.
async fn wait_for_mail(mails: &std::sync::Mutex<Vec<String>>, re: &regex::Regex) -> String {
    for _ in 0..150 {
        let texts: Vec<String> = mails
            .lock()
            .unwrap()
            .iter()
            .filter_map(|raw| {
                let m = mail_parser::MessageParser::default().parse(raw.as_bytes())?;
                Some(format!(
                    "{}\n{}",
                    m.subject().unwrap_or_default(),
                    m.body_text(0).unwrap_or_default()
                ))
            })
            .collect();
        if let Some(t) = texts.into_iter().rev().find(|t| re.is_match(t)) {
            return t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail matching {re}");
}

/// A server process of its own that mails through the SMTP sink and logs everything.
async fn smtp_server_process(app: &TestApp, smtp_port: u16) -> ServerProcess {
    let env = [
        ("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
        // Everything the server and its HTTP layer log, down to debug.
        ("RUST_LOG", "debug".to_string()),
    ];
    server_process(app, &env).await
}

async fn codes_and_reset_links_stay_out_of_the_log_when_mail_goes_by_smtp(b: Backend) {
    // This process serves nothing: the server process below sends the mail.
    let app = spawn_app_with(b, |c| c.worker_in_server = false).await;
    let (smtp_port, mails) = smtp_sink().await;
    let server = smtp_server_process(&app, smtp_port).await;
    let mut c = app.client();
    c.base = server.addr.clone();
    let email = unique_email("quiet");
    let r: Call<()> = c
        .call(
            "accounts/signup",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("display_name", "Quiet Person"),
                ("role", "student"),
            ],
        )
        .await;
    r.unwrap();
    let code = code_in(&wait_for_mail(&mails, &regex::Regex::new(r"\b\d{6}\b").unwrap()).await);
    let r: Call<()> = c.call("accounts/confirm", &[("code", &code)]).await;
    r.expect("the code confirms");
    let r: Call<()> = c.call("accounts/forgot", &[("email", &email)]).await;
    r.unwrap();
    let link_re = regex::Regex::new(r"reset-password\?token=").unwrap();
    let token = reset_token_in(&wait_for_mail(&mails, &link_re).await);
    // The person opens the link and sets a new password.
    assert_eq!(
        c.get(&format!("/reset-password?token={token}"))
            .await
            .status(),
        200
    );
    let r: Call<()> = c
        .call(
            "accounts/reset",
            &[("token", &token), ("password", "a fresh start at last")],
        )
        .await;
    r.unwrap();
    let log = server.stop();
    assert!(
        log.contains("mail sent by SMTP"),
        "the log is written:\n{log}"
    );
    // As a number of its own (timestamps' microseconds follow a '.').
    let code_re = regex::Regex::new(&format!(r"(^|[^\d.]){code}($|\D)")).unwrap();
    assert!(
        !code_re.is_match(&log),
        "the confirmation code is in the log:\n{log}"
    );
    assert!(
        !log.contains(&token),
        "the reset link is in the log:\n{log}"
    );
    app.cleanup().await;
}

async fn common_passwords_are_refused_with_the_reason_and_how_to_do_better(b: Backend) {
    use app::accounts::{AccountMsg, WeakReason};
    use app::error::Msg;
    use app::i18n::Locale;
    let app = spawn_app(b).await;
    // Ranks 987, 3847 and 8152 of the common-password list; the old 33 entries let them through.
    for common in ["manchester", "harrypotter", "watermelon"] {
        let err = app
            .client()
            .sign_up(&unique_email("weak"), common, "Weak Person", "student")
            .await
            .unwrap_err();
        assert_eq!(err.0, 422, "{common}");
        let msg = err.1.field_msg("password").unwrap();
        assert_eq!(
            msg,
            Msg::Account(AccountMsg::PasswordWeak {
                reason: WeakReason::Common
            }),
            "{common}"
        );
        assert_eq!(
            msg.text(Locale::En),
            "This password is too easy to guess. It is one of the most common passwords, which are \
             tried first. Pick three or four unrelated words instead: length helps more than digits \
             and symbols."
        );
        assert!(
            msg.text(Locale::Ru).starts_with(
                "Такой пароль легко угадать. Это один из самых распространённых паролей"
            )
        );
    }
    // The same check guards a new password.
    let c = person_with(&app, "Strong Person", "student", &[]).await;
    let err = c
        .call::<()>(
            "accounts/change-password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "strawberry"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.1.field_msg("new_password"),
        Some(Msg::Account(AccountMsg::PasswordWeak {
            reason: WeakReason::Common
        })),
    );
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(app.db.r())
        .await
        .unwrap();
    assert_eq!(n, 1, "no account was made with a common password");
    app.cleanup().await;
}

/// What a sign-up answers, with cookie values blanked: everything a caller could compare.
async fn sign_up_answer(c: &Client, email: &str) -> (u16, String, Vec<String>, Option<String>) {
    let res = c
        .http
        .post(format!("{}/api/accounts/signup", c.base))
        .form(&[
            ("email", email),
            ("password", "a completely different passphrase"),
            ("display_name", "Someone Else"),
            ("role", "student"),
            ("next", "/courses"),
        ])
        .send()
        .await
        .unwrap();
    let cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| {
            let v = v.to_str().unwrap();
            let (pair, attrs) = v.split_once(';').unwrap_or((v, ""));
            format!("{}=…;{attrs}", pair.split('=').next().unwrap())
        })
        .collect();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (
        res.status().as_u16(),
        res.text().await.unwrap(),
        cookies,
        location,
    )
}

async fn signing_up_never_tells_whether_an_email_is_registered(b: Backend) {
    use app::accounts::AccountMsg;
    use app::error::Msg;
    let app = spawn_app(b).await;
    let taken = unique_email("taken");
    confirmed_user(&app, &taken, "Taken Owner", "student").await;
    let fresh = unique_email("fresh");
    let (tried, newcomer) = (app.client(), app.client());
    let answer_taken = sign_up_answer(&tried, &taken).await;
    let answer_fresh = sign_up_answer(&newcomer, &fresh).await;
    assert_eq!(answer_taken, answer_fresh, "the same answer for both");
    assert_eq!(answer_fresh.0, 200, "{answer_fresh:?}");
    assert_eq!(answer_fresh.3.as_deref(), Some("/confirm?next=/courses"));
    assert!(
        tried.me().await.is_none() && newcomer.me().await.is_none(),
        "no session yet"
    );
    // The owner is told, with no code, and the account is as it was.
    let note = app.mail_to_after(&taken, 1).await;
    assert!(
        note.contains("You already have a Tutorium account"),
        "{note}"
    );
    assert!(
        note.contains("/forgot-password") && note.contains("/login"),
        "{note}"
    );
    assert!(
        !regex::Regex::new(r"\b\d{6}\b").unwrap().is_match(&note),
        "{note}"
    );
    app.client()
        .log_in(&taken, PASSWORD)
        .await
        .expect("the old password still works");
    // Both confirmation pages say the same: check your mail.
    let pending: Option<String> = tried.call("accounts/pending", &[]).await.unwrap();
    assert_eq!(pending.as_deref(), Some(taken.as_str()));
    let page = tried.get("/confirm").await.text().await.unwrap();
    assert!(
        page.contains("Check your mail: we sent a message to"),
        "{page}"
    );
    // In the browser that tried the registered address, no code works, a new one is "sent" ...
    for code in ["123456", "000000"] {
        let e = tried
            .call::<()>("accounts/confirm", &[("code", code)])
            .await
            .unwrap_err();
        assert_eq!(
            e,
            (
                422,
                AppError::field("code", Msg::Account(AccountMsg::CodeInvalid))
            )
        );
    }
    let r: Call<()> = tried.call("accounts/resend-code", &[]).await;
    r.unwrap();
    // ... while the new address gets its code, which confirms the sign-up and logs in.
    let code = app.confirmation_code(&fresh).await;
    let r: Call<()> = newcomer.call("accounts/confirm", &[("code", &code)]).await;
    r.unwrap();
    let me = newcomer.me().await.expect("logged in by the code");
    assert!(me.email == fresh && me.email_confirmed);
    assert!(tried.me().await.is_none());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.mails_to(&taken).len(),
        2,
        "the resend mailed the owner nothing"
    );
    // Two sign-ups of one new address at once: one account, both answered alike.
    let race = unique_email("race");
    let (one, two) = (app.client(), app.client());
    let (a, b2) = tokio::join!(sign_up_answer(&one, &race), sign_up_answer(&two, &race));
    assert_eq!(a, b2);
    assert_eq!(
        app.count_text("SELECT COUNT(*) FROM users WHERE email = $1", &race)
            .await,
        1
    );
    app.cleanup().await;
}
