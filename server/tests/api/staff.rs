//! Two-factor authentication, staff tools (accounts, roles, bans) and the audit log, over HTTP.

use crate::both;
use crate::helpers::*;
use app::accounts::{AccountMsg, MfaStatus, Role};
use app::admin::{AdminMsg, UserDetail, UserListPage};
use app::audit::AuditPage;
use app::error::{AppError, Msg};
use app::feed::{CommentPage, PostCard};
use serde_json::json;

both!(
    log_in_with_two_factor_asks_for_a_code_that_works_once,
    staff_roles_count_only_after_a_second_factor,
    admins_change_roles_and_every_change_is_audited,
    a_ban_ends_sessions_hides_content_and_says_why_at_log_in,
    the_audit_log_is_append_only_filtered_and_exported_safely,
    the_accounts_list_searches_filters_and_pages,
);

/// Logs in with e-mail and password; returns where the server sends the browser next.
async fn log_in_to(c: &Client, email: &str) -> (u16, Option<String>) {
    let res = c
        .http
        .post(format!("{}/api/accounts/login", c.base))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (status, location)
}

fn code_error(r: Call<()>) -> (u16, Option<Msg>) {
    let (status, e) = r.unwrap_err();
    (status, e.field_msg("code"))
}

/// The authenticator's code `ahead` steps from now (one step ahead is still accepted).
fn code_ahead(secret: &[u8], ahead: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    app::accounts::mfa::code_at(secret, now + 30 * ahead)
}

async fn log_in_with_two_factor_asks_for_a_code_that_works_once(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique_email("twofa");
    let c = confirmed_user(&app, &email, "Two Factor", "student").await;
    let (secret, codes) = c.turn_on_mfa().await;
    let st: MfaStatus = c.call("accounts/mfa", &[]).await.unwrap();
    assert!(st.enabled && st.session_verified && !st.required);
    assert_eq!(st.recovery_left, 10);

    // A new browser: the right password alone opens no session, it asks for the code.
    let b2 = app.client();
    let (_, location) = log_in_to(&b2, &email).await;
    assert_eq!(location.as_deref(), Some("/login/code"));
    assert!(b2.me().await.is_none(), "no session before the code");
    assert_eq!(
        code_error(b2.call("accounts/login-code", &[("code", "000000")]).await),
        (422, Some(Msg::Account(AccountMsg::MfaCodeInvalid)))
    );
    assert_eq!(
        code_error(b2.call("accounts/login-code", &[("code", "12ab")]).await).0,
        422
    );
    let x = code_ahead(&secret, 1);
    let r: Call<()> = b2.call("accounts/login-code", &[("code", &x)]).await;
    r.unwrap();
    assert_eq!(b2.me().await.unwrap().email, email);
    // The same code does not work twice, even from another browser with the password.
    let b3 = app.client();
    log_in_to(&b3, &email).await;
    assert_eq!(
        code_error(b3.call("accounts/login-code", &[("code", &x)]).await).1,
        Some(Msg::Account(AccountMsg::MfaCodeInvalid))
    );
    // A recovery code (any case) logs in, once.
    let r: Call<()> = b3
        .call("accounts/login-code", &[("code", &codes[0].to_uppercase())])
        .await;
    r.unwrap();
    assert!(b3.me().await.is_some());

    // A browser without the password step cannot send a code at all.
    let stranger = app.client();
    let (status, e) = stranger
        .call::<()>("accounts/login-code", &[("code", "123456")])
        .await
        .unwrap_err();
    assert_eq!(
        (status, e),
        (
            422,
            AppError::BadRequest(Msg::Account(AccountMsg::MfaLoginExpired))
        )
    );

    // New recovery codes (after a recovery code) replace the old ones.
    let fresh: Vec<String> = c
        .call("accounts/mfa-recovery", &[("code", &codes[1])])
        .await
        .unwrap();
    assert_eq!(fresh.len(), 10);
    let b4 = app.client();
    log_in_to(&b4, &email).await;
    for old in [&codes[0], &codes[2]] {
        assert_eq!(
            code_error(b4.call("accounts/login-code", &[("code", old)]).await).1,
            Some(Msg::Account(AccountMsg::MfaCodeInvalid)),
            "{old} is spent or replaced"
        );
    }
    // Guesses are limited per account: five wrong codes, then 429 even for a right one.
    for _ in 0..3 {
        let r: Call<()> = b4.call("accounts/login-code", &[("code", "111111")]).await;
        assert_eq!(r.unwrap_err().0, 422);
    }
    let r: Call<()> = b4.call("accounts/login-code", &[("code", &fresh[0])]).await;
    assert_eq!(r.unwrap_err().0, 429);
    assert!(b4.me().await.is_none());
    // Two-factor changes are in the audit log.
    let uid = app.user_id(&email).await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE target_id = $1 AND action IN ('mfa.enabled', 'mfa.recovery_renewed')",
            uid
        )
        .await,
        2
    );
    app.cleanup().await;
}

async fn staff_roles_count_only_after_a_second_factor(b: Backend) {
    let app = spawn_app(b).await;
    let email = unique_email("mod");
    let m = confirmed_user(&app, &email, "New Moderator", "student").await;
    app::accounts::service::grant_role(&app.state, &email, Role::Moderator)
        .await
        .unwrap();
    // Without a second factor the role is locked: staff server functions say so.
    let me = m.me().await.unwrap();
    assert!(!me.has(Role::Moderator) && me.locked == vec![Role::Moderator]);
    let e = m
        .call::<Vec<serde_json::Value>>("courses/queue", &[])
        .await
        .unwrap_err();
    assert_eq!(e, (403, AppError::MfaRequired));
    let e = m
        .call_json::<UserListPage>("admin/users", json!({ "filter": {} }))
        .await
        .unwrap_err();
    assert_eq!(e, (403, AppError::MfaRequired));
    // The staff page renders the "two-factor required" panel on the server.
    let html = m.get("/admin").await.text().await.unwrap();
    assert!(
        html.contains("Two-factor authentication required"),
        "{html}"
    );
    let st: MfaStatus = m.call("accounts/mfa", &[]).await.unwrap();
    assert!(st.required && !st.enabled);

    let (secret, _) = m.turn_on_mfa().await;
    assert!(m.me().await.unwrap().has(Role::Moderator));
    m.call::<Vec<serde_json::Value>>("courses/queue", &[])
        .await
        .unwrap();
    // Staff cannot turn it off.
    let next = code_ahead(&secret, 1);
    let e = m
        .call::<()>("accounts/mfa-disable", &[("code", &next)])
        .await
        .unwrap_err();
    assert_eq!(
        e,
        (
            409,
            AppError::Conflict(Msg::Account(AccountMsg::MfaStaffMustKeep))
        )
    );
    // A session opened before MFA was on stays locked until it proves a code.
    let admin = person_with(&app, "An Admin", "student", &[Role::Admin]).await;
    let plain_email = unique_email("later");
    let later = confirmed_user(&app, &plain_email, "Later Staff", "student").await;
    let uid = app.user_id(&plain_email).await;
    let r: Call<()> = admin
        .call(
            "admin/set-role",
            &[
                ("id", &uid.to_string()),
                ("role", "support"),
                ("grant", "true"),
            ],
        )
        .await;
    r.unwrap();
    let e = later
        .call::<UserDetail>("admin/user", &[("id", &uid.to_string())])
        .await
        .unwrap_err();
    assert_eq!(e.1, AppError::MfaRequired);
    later.turn_on_mfa().await;
    let d: UserDetail = later
        .call("admin/user", &[("id", &uid.to_string())])
        .await
        .unwrap();
    assert!(d.roles.contains(&Role::Support) && d.mfa);
    // Support sees accounts but changes nothing.
    assert!(!d.may_change_roles && !d.may_ban);
    let e = later
        .call::<()>("admin/ban", &[("id", &uid.to_string()), ("reason", "x")])
        .await
        .unwrap_err();
    assert_eq!(e.0, 403);
    app.cleanup().await;
}

async fn admins_change_roles_and_every_change_is_audited(b: Backend) {
    let app = spawn_app(b).await;
    let admin = person_with(&app, "Role Admin", "student", &[Role::Admin]).await;
    let admin_id = admin.me().await.unwrap().id;
    let email = unique_email("person");
    let p = confirmed_user(&app, &email, "Promoted Person", "student").await;
    let uid = app.user_id(&email).await.to_string();
    let set = |c: &Client, role: &str, grant: bool| {
        let (uid, role) = (uid.clone(), role.to_string());
        let grant = grant.to_string();
        let c = Client {
            http: c.http.clone(),
            base: c.base.clone(),
        };
        async move {
            c.call::<()>(
                "admin/set-role",
                &[("id", &uid), ("role", &role), ("grant", &grant)],
            )
            .await
        }
    };
    set(&admin, "tutor", true).await.unwrap();
    set(&admin, "moderator", true).await.unwrap();
    let d: UserDetail = admin.call("admin/user", &[("id", &uid)]).await.unwrap();
    assert_eq!(d.roles, vec![Role::Student, Role::Tutor, Role::Moderator]);
    // The tutor role switched the profile's teaching card on.
    assert_eq!(
        app.count(
            "SELECT is_tutor FROM profiles WHERE user_id = $1",
            uid.parse().unwrap()
        )
        .await,
        1
    );
    // Unknown roles, and people who are not admins, are refused; nothing changes.
    assert_eq!(
        set(&admin, "root", true)
            .await
            .unwrap_err()
            .1
            .field_msg("role"),
        Some(Msg::Admin(AdminMsg::RoleUnknown))
    );
    p.turn_on_mfa().await;
    assert_eq!(set(&p, "admin", true).await.unwrap_err().0, 403);
    // An admin cannot revoke their own admin role.
    let r: Call<()> = admin
        .call(
            "admin/set-role",
            &[
                ("id", &admin_id.to_string()),
                ("role", "admin"),
                ("grant", "false"),
            ],
        )
        .await;
    assert_eq!(
        r.unwrap_err(),
        (409, AppError::Conflict(Msg::Admin(AdminMsg::OwnAdminRole)))
    );
    set(&admin, "moderator", false).await.unwrap();
    // Three changes: who (the admin, from their address), what, before and after.
    let page: AuditPage = admin
        .call_json(
            "audit/list",
            json!({ "filter": { "target_kind": "user", "target_id": uid.parse::<i64>().unwrap() } }),
        )
        .await
        .unwrap();
    let roles: Vec<_> = page
        .items
        .iter()
        .filter(|e| e.action.code().starts_with("role."))
        .collect();
    let actions: Vec<&str> = roles.iter().map(|e| e.action.code()).collect();
    assert_eq!(
        actions,
        vec!["role.revoked", "role.granted", "role.granted"]
    );
    let last = roles[0];
    assert_eq!(last.actor_id, Some(admin_id));
    assert_eq!(last.target_label, email);
    assert!(last.ip.starts_with("10.0."), "{}", last.ip);
    assert!(last.before.as_deref().unwrap().contains("moderator"));
    assert!(!last.after.as_deref().unwrap().contains("moderator"));
    // Only admins read the log.
    let e = p
        .call_json::<AuditPage>("audit/list", json!({ "filter": {} }))
        .await
        .unwrap_err();
    assert_eq!(e.0, 403);
    app.cleanup().await;
}

async fn a_ban_ends_sessions_hides_content_and_says_why_at_log_in(b: Backend) {
    let app = spawn_app(b).await;
    let moderator = a_moderator(&app).await;
    let tutor_email = unique_email("banned");
    let tutor = confirmed_user(&app, &tutor_email, "Banned Tutor", "tutor").await;
    let handle = tutor.me().await.unwrap().handle;
    let tid = app.user_id(&tutor_email).await;
    let post: i64 = tutor
        .call(
            "feed/create",
            &[("body", "Soon hidden"), ("tags", "ban"), ("video", "")],
        )
        .await
        .unwrap();
    let course = CourseBuilder::new("Курс заблокированного")
        .build(&tutor, Some(&moderator))
        .await;
    // Comment on someone else's post: a tutor's post by another tutor.
    let host = a_tutor(&app, "Host Tutor").await;
    let host_post: i64 = host
        .call(
            "feed/create",
            &[("body", "Host post"), ("tags", "host"), ("video", "")],
        )
        .await
        .unwrap();
    let _: app::feed::Comment = tutor
        .call(
            "feed/comment",
            &[
                ("post", &host_post.to_string()),
                ("body", "A banned comment"),
            ],
        )
        .await
        .unwrap();

    // A reason is required; a moderator cannot ban themselves.
    let e = moderator
        .call::<()>("admin/ban", &[("id", &tid.to_string()), ("reason", "  ")])
        .await
        .unwrap_err();
    assert_eq!(e.1.field_msg("reason"), Some(Msg::Required));
    let mid = moderator.me().await.unwrap().id.to_string();
    let e = moderator
        .call::<()>("admin/ban", &[("id", &mid), ("reason", "self")])
        .await
        .unwrap_err();
    assert_eq!(e.1, AppError::Conflict(Msg::Admin(AdminMsg::CannotBanSelf)));
    // A moderator cannot ban an admin.
    let admin = an_admin(&app).await;
    let aid = admin.me().await.unwrap().id.to_string();
    let e = moderator
        .call::<()>("admin/ban", &[("id", &aid), ("reason", "nope")])
        .await
        .unwrap_err();
    assert_eq!(
        e.1,
        AppError::Conflict(Msg::Admin(AdminMsg::CannotBanStaff))
    );

    let r: Call<()> = moderator
        .call(
            "admin/ban",
            &[("id", &tid.to_string()), ("reason", "Spam in comments")],
        )
        .await;
    r.unwrap();
    // Twice: a conflict, nothing changes.
    let e = moderator
        .call::<()>(
            "admin/ban",
            &[("id", &tid.to_string()), ("reason", "again")],
        )
        .await
        .unwrap_err();
    assert_eq!(e.1, AppError::Conflict(Msg::Admin(AdminMsg::AlreadyBanned)));
    // Their session ended.
    assert!(tutor.me().await.is_none());
    // A wrong password reveals nothing; the right one is told why.
    let c = app.client();
    let e = c
        .log_in(&tutor_email, "wrong password here")
        .await
        .unwrap_err();
    assert_eq!(
        e.1,
        AppError::BadRequest(Msg::Account(AccountMsg::InvalidCredentials))
    );
    let e = c.log_in(&tutor_email, PASSWORD).await.unwrap_err();
    assert_eq!(
        e,
        (
            403,
            AppError::Suspended {
                reason: "Spam in comments".into()
            }
        )
    );
    assert!(c.me().await.is_none());
    // Their content is hidden from others.
    let anon = app.client();
    let e = anon
        .call::<PostCard>("feed/post", &[("id", &post.to_string())])
        .await
        .unwrap_err();
    assert_eq!(e.0, 404);
    let e = anon
        .call::<serde_json::Value>("profiles/get", &[("handle", &handle)])
        .await
        .unwrap_err();
    assert_eq!(e.0, 404);
    assert!(
        !anon_catalog_has(&anon, "заблокированного").await,
        "course left the catalog"
    );
    assert!(!course.slug.is_empty());
    let comments: CommentPage = anon
        .call("feed/comments", &[("post", &host_post.to_string())])
        .await
        .unwrap();
    assert!(
        comments
            .items
            .iter()
            .all(|c| !c.body.contains("banned comment") && !c.body_html.contains("banned comment"))
    );
    // Staff still see the profile.
    moderator
        .call::<serde_json::Value>("profiles/get", &[("handle", &handle)])
        .await
        .unwrap();

    // The unban brings back exactly what the ban hid.
    let r: Call<()> = moderator
        .call("admin/unban", &[("id", &tid.to_string())])
        .await;
    r.unwrap();
    anon.call::<PostCard>("feed/post", &[("id", &post.to_string())])
        .await
        .unwrap();
    assert!(anon_catalog_has(&anon, "заблокированного").await);
    let comments: CommentPage = anon
        .call("feed/comments", &[("post", &host_post.to_string())])
        .await
        .unwrap();
    assert!(
        comments
            .items
            .iter()
            .any(|c| c.body.contains("banned comment"))
    );
    c.log_in(&tutor_email, PASSWORD).await.unwrap();
    assert!(c.me().await.is_some());
    let page: AuditPage = admin
        .call_json(
            "audit/list",
            json!({ "filter": { "target_kind": "user", "target_id": tid } }),
        )
        .await
        .unwrap();
    let actions: Vec<&str> = page.items.iter().map(|e| e.action.code()).collect();
    assert!(
        actions.starts_with(&["user.unbanned", "user.banned"]),
        "{actions:?}"
    );
    assert_eq!(page.items[1].reason, "Spam in comments");
    app.cleanup().await;
}

async fn anon_catalog_has(c: &Client, needle: &str) -> bool {
    let page: app::courses::CatalogPage = c
        .call_json(
            "courses/catalog",
            json!({ "query": { "q": "", "category": "", "level": "", "language": "", "price": "",
                "rating": "", "duration": "", "sort": "newest", "after": "" } }),
        )
        .await
        .unwrap();
    page.items.iter().any(|i| i.title.contains(needle))
}

async fn the_audit_log_is_append_only_filtered_and_exported_safely(b: Backend) {
    let app = spawn_app(b).await;
    let admin = an_admin(&app).await;
    let email = unique_email("csv");
    let _p = confirmed_user(&app, &email, "Csv Person", "student").await;
    let uid = app.user_id(&email).await;
    let r: Call<()> = admin
        .call(
            "admin/ban",
            &[
                ("id", &uid.to_string()),
                ("reason", "=HYPERLINK(\"http://evil\")"),
            ],
        )
        .await;
    r.unwrap();
    // Filtered by action.
    let page: AuditPage = admin
        .call_json(
            "audit/list",
            json!({ "filter": { "action": "user.banned" } }),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    // The CSV: a header, the entry, and no cell a spreadsheet would run as a formula.
    let res = admin.get("/admin/audit.csv?action=user.banned").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("id,time_utc,actor_id"));
    assert!(lines[1].contains(&email));
    assert!(
        lines[1].contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{}",
        lines[1]
    );
    // Not for others.
    let anon = app.client();
    assert_eq!(anon.get("/admin/audit.csv").await.status(), 401);
    let student = a_student(&app, "Curious").await;
    assert_eq!(student.get("/admin/audit.csv").await.status(), 403);
    // The database refuses to change or delete an entry.
    let upd = sqlx::query("UPDATE audit_log SET reason = 'changed'")
        .execute(app.state.db.w())
        .await;
    assert!(upd.is_err(), "update must be refused");
    let del = sqlx::query("DELETE FROM audit_log")
        .execute(app.state.db.w())
        .await;
    assert!(del.is_err(), "delete must be refused");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE target_id = $1", uid)
            .await,
        1
    );
    app.cleanup().await;
}

async fn the_accounts_list_searches_filters_and_pages(b: Backend) {
    let app = spawn_app(b).await;
    let admin = an_admin(&app).await;
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    for i in 0..33 {
        let c = app.client();
        c.sign_up(
            &format!("list-{tag}-{i}@example.com"),
            PASSWORD,
            &format!("Listed {i}"),
            if i % 5 == 0 { "tutor" } else { "student" },
        )
        .await
        .unwrap();
    }
    let list = |filter: serde_json::Value| {
        let c = Client {
            http: admin.http.clone(),
            base: admin.base.clone(),
        };
        async move {
            c.call_json::<UserListPage>("admin/users", json!({ "filter": filter }))
                .await
                .unwrap()
        }
    };
    // Search, keyset pages that neither repeat nor skip.
    let first = list(json!({ "q": tag })).await;
    assert_eq!(first.items.len(), 30);
    let second = list(json!({ "q": tag, "before": first.next.unwrap() })).await;
    assert_eq!(second.items.len(), 3);
    assert!(second.next.is_none());
    let mut all: Vec<i64> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|u| u.id)
        .collect();
    all.dedup();
    assert_eq!(all.len(), 33);
    // Filters: role, unconfirmed (these sign-ups never confirmed), joined recently, banned.
    let tutors = list(json!({ "q": tag, "role": "tutor" })).await;
    assert_eq!(tutors.items.len(), 7);
    assert!(tutors.items.iter().all(|u| u.roles.contains(&Role::Tutor)));
    assert_eq!(
        list(json!({ "q": tag, "confirmed": "yes" }))
            .await
            .items
            .len(),
        0
    );
    assert_eq!(
        list(json!({ "q": tag, "joined": "7" })).await.items.len(),
        30
    );
    let victim = first.items[3].id;
    let r: Call<()> = admin
        .call(
            "admin/ban",
            &[("id", &victim.to_string()), ("reason", "test")],
        )
        .await;
    r.unwrap();
    let banned = list(json!({ "q": tag, "banned": "yes" })).await;
    assert_eq!(
        banned.items.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![victim]
    );
    // Bad filters are refused with a message, LIKE wildcards are matched literally.
    let e = admin
        .call_json::<UserListPage>("admin/users", json!({ "filter": { "role": "root" } }))
        .await
        .unwrap_err();
    assert_eq!(
        e.1.field_msg("role"),
        Some(Msg::Admin(AdminMsg::RoleUnknown))
    );
    assert_eq!(list(json!({ "q": "%" })).await.items.len(), 0);
    app.cleanup().await;
}
