//! Confirmed people by role, each signed in on their own client.

use super::{Client, TestApp, confirmed_user};
use app::accounts::Role;

/// A unique e-mail address starting with `prefix`.
pub fn unique_email(prefix: &str) -> String {
    format!(
        "{prefix}-{}@example.com",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

/// A person with `role` granted on top of signing up as a student (or a tutor).
pub async fn person_with(app: &TestApp, name: &str, signup_role: &str, extra: &[Role]) -> Client {
    let e = unique_email(signup_role);
    let c = confirmed_user(app, &e, name, signup_role).await;
    for r in extra {
        app::accounts::service::grant_role(&app.state, &e, *r)
            .await
            .expect("grant role");
    }
    // Staff roles count only in a session that proved a second factor.
    if app::roles::holds_staff(extra) {
        c.turn_on_mfa().await;
    }
    c
}

pub async fn a_tutor(app: &TestApp, name: &str) -> Client {
    person_with(app, name, "tutor", &[]).await
}

pub async fn a_student(app: &TestApp, name: &str) -> Client {
    person_with(app, name, "student", &[]).await
}

pub async fn a_moderator(app: &TestApp) -> Client {
    person_with(app, "Course Moderator", "student", &[Role::Moderator]).await
}

pub async fn an_admin(app: &TestApp) -> Client {
    person_with(app, "Platform Admin", "student", &[Role::Admin]).await
}

/// The body of `profiles/update` for a tutor named `name` teaching `subjects` (its bio carries a
/// script tag, for the sanitising tests).
pub fn profile_json(name: &str, subjects: &[&str]) -> serde_json::Value {
    serde_json::json!({"update": {
        "display_name": name,
        "headline": "Maths that makes sense",
        "bio": "I teach algebra <script>alert(1)</script> and geometry.\n\nTwenty years at school.",
        "is_tutor": true,
        "subjects": subjects,
        "languages": ["ru", "en"],
        "years_experience": "20",
        "hourly_rate": "1500",
        "currency": "RUB"
    }})
}
