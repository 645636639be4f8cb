//! The use cases of accounts, apart from the HTTP edge: callable from server functions, REST
//! handlers, the CLI and tests. Sessions that end publish a `user:{id}` event with
//! `{"sessions": "ended"}`, so that the live streams of those sessions close.

use super::{
    AccountMsg, CurrentUser, Role, SessionInfo, db, normalize_email, normalize_name, password,
};
use crate::error::{AppError, Checks, Msg};
use crate::i18n::Locale;
use crate::ids::{SessionId, UserId};
use crate::server::auth::Actor;
use crate::server::mail::{Mail, escape_html, html_layout};
use crate::server::rate_limit::{self, Limit, MINUTE_MS};
use crate::server::{AppState, now_ms, random_token, session, sha256_hex};

/// How long a confirmation code (and the sign-up waiting for it) is valid.
pub const CODE_TTL_MS: i64 = 30 * MINUTE_MS;
const CODE_MAX_ATTEMPTS: i64 = 5;
const RESET_TTL_MS: i64 = 60 * MINUTE_MS;
const LOGIN_WINDOW_MS: i64 = 15 * MINUTE_MS;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// What sign-up asks for.
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub role: String,
}

/// Where a request comes from, for sessions and limits.
pub struct Client {
    pub ip: String,
    pub user_agent: String,
    pub locale: Locale,
}

/// Failed log-ins per address, per 15 minutes.
fn login_ip_limit(state: &AppState) -> Limit {
    Limit {
        max: state.config.limit_login_per_ip,
        window_ms: LOGIN_WINDOW_MS,
    }
}

/// How attempts on one account from one address slow down: LIMIT_LOGIN_PER_ACCOUNT free, then a
/// minute, doubled after every failure up to an hour; forgotten after 15 quiet minutes.
fn login_throttle(state: &AppState) -> db::Throttle {
    db::Throttle {
        free: state.config.limit_login_per_account,
        delay_ms: MINUTE_MS,
        max_delay_ms: HOUR_MS,
        quiet_ms: LOGIN_WINDOW_MS,
    }
}

/// The rate-limit key of a client address for `what` (an IPv6 client counts by its /64).
fn ip_key(what: &str, client: &Client) -> String {
    format!("{what}:ip:{}", rate_limit::ip_bucket(&client.ip))
}

fn mail_limit(state: &AppState) -> (Limit, Limit) {
    let per = state.config.limit_mail_per_account;
    (
        Limit {
            max: per,
            window_ms: HOUR_MS,
        },
        Limit {
            max: per * 4,
            window_ms: HOUR_MS,
        },
    )
}

/// Signs up: creates the account (and its profile) and mails it a confirmation code — or, when
/// the e-mail already has an account, mails its owner that someone tried to sign up with it. The
/// caller cannot tell which: the answer is the same and the password is hashed either way, and no
/// session opens before the code is confirmed ([`confirm_sign_up`]). Returns the normalized
/// e-mail, the sign-up that now waits for its code.
pub async fn sign_up(state: &AppState, input: SignUp, client: &Client) -> Result<String, AppError> {
    let mut checks = Checks::new();
    let email = normalize_email(&input.email);
    let name = normalize_name(&input.display_name);
    checks.check("email", email.as_ref().map(|_| ()).map_err(|m| *m));
    checks.check("display_name", name.as_ref().map(|_| ()).map_err(|m| *m));
    let role = match input.role.as_str() {
        "student" => Some(Role::Student),
        "tutor" => Some(Role::Tutor),
        _ => None,
    };
    if role.is_none() {
        checks.add("role", Msg::Account(AccountMsg::RoleInvalid));
    }
    checks.check(
        "password",
        password::check_strength(
            input.password.clone(),
            input.email.clone(),
            input.display_name.clone(),
        )
        .await?,
    );
    checks.finish()?;
    let (email, name, role) = (
        email.unwrap_or_default(),
        name.unwrap_or_default(),
        role.unwrap_or(Role::Student),
    );

    rate_limit::hit(
        &state.db,
        &ip_key("signup", client),
        Limit {
            max: state.config.limit_signup_per_ip,
            window_ms: HOUR_MS,
        },
    )
    .await?;
    let hash = password::hash(input.password).await?;
    if let Some(owner) = db::select_user_by_email(&state.db, &email).await? {
        tell_owner_of_sign_up(state, owner).await?;
        return Ok(email);
    }
    let now = now_ms();
    let base = crate::profiles::handle_from_name(&name);
    let mut user_id = None;
    for attempt in 0..20 {
        let handle = if attempt == 0 {
            base.clone()
        } else if attempt < 10 {
            format!("{base}-{}", attempt + 1)
        } else {
            format!(
                "{base}-{}",
                &random_token(4).to_lowercase().replace(['_', '-'], "x")
            )
        };
        if attempt < 10 && db::handle_exists(&state.db, &handle).await? {
            continue;
        }
        let mut tx = state.db.w().begin().await?;
        if let Some(id) = db::insert_user(
            &mut tx,
            &email,
            &hash,
            &name,
            &handle,
            client.locale.code(),
            now,
        )
        .await?
        {
            db::insert_role(&mut tx, id, Role::Student.code(), now).await?;
            if role == Role::Tutor {
                db::insert_role(&mut tx, id, Role::Tutor.code(), now).await?;
            }
            crate::profiles::db::insert_profile(&mut tx, id, role == Role::Tutor, now).await?;
            tx.commit().await?;
            user_id = Some(id);
            break;
        }
        drop(tx);
        // Lost a race: either the e-mail (a double submit, whose first half mails the code) or
        // the handle was taken meanwhile.
        if db::email_exists(&state.db, &email).await? {
            return Ok(email);
        }
    }
    let user_id = user_id.ok_or(AppError::Internal)?;
    issue_code(state, user_id, &email, &name, client.locale).await?;
    Ok(email)
}

/// Mails the owner of an account that someone (maybe they) tried to sign up with its e-mail,
/// and how to get in. At most LIMIT_MAIL_PER_ACCOUNT such mails an hour; past that, none.
async fn tell_owner_of_sign_up(state: &AppState, owner: db::UserRow) -> Result<(), AppError> {
    let (per_account, _) = mail_limit(state);
    let key = format!("signup-notice:acct:{}", owner.email);
    match rate_limit::hit(&state.db, &key, per_account).await {
        Err(AppError::RateLimited { .. }) => return Ok(()),
        other => other?,
    }
    let base = state.config.base_url();
    let (login, forgot) = (format!("{base}/login"), format!("{base}/forgot-password"));
    let name = owner.display_name;
    let (subject, text, html) = match Locale::from_code(&owner.locale).unwrap_or_default() {
        Locale::En => (
            "You already have a Tutorium account".to_string(),
            format!(
                "Hello, {name}!\n\nSomeone — maybe you — tried to sign up for Tutorium with this e-mail address. You already have an account, so nothing was changed.\n\nTo log in: {login}\nForgot your password? Choose a new one: {forgot}\n\nIf it was not you, ignore this e-mail: nobody gets into your account without your password.\n"
            ),
            html_layout(
                "You already have an account",
                &format!(
                    "<p>Hello, {}!</p><p>Someone — maybe you — tried to sign up for Tutorium with this e-mail address. You already have an account, so nothing was changed.</p><p><a href=\"{login}\">Log in</a> · <a href=\"{forgot}\">Forgot your password?</a></p><p>If it was not you, ignore this e-mail: nobody gets into your account without your password.</p>",
                    escape_html(&name)
                ),
            ),
        ),
        Locale::Ru => (
            "У вас уже есть аккаунт Tutorium".to_string(),
            format!(
                "Здравствуйте, {name}!\n\nКто-то — возможно, вы — пытался зарегистрироваться в Tutorium с этим адресом почты. У вас уже есть аккаунт, поэтому ничего не изменилось.\n\nВойти: {login}\nЗабыли пароль? Задайте новый: {forgot}\n\nЕсли это были не вы, просто проигнорируйте письмо: без вашего пароля в аккаунт никто не войдёт.\n"
            ),
            html_layout(
                "У вас уже есть аккаунт",
                &format!(
                    "<p>Здравствуйте, {}!</p><p>Кто-то — возможно, вы — пытался зарегистрироваться в Tutorium с этим адресом почты. У вас уже есть аккаунт, поэтому ничего не изменилось.</p><p><a href=\"{login}\">Войти</a> · <a href=\"{forgot}\">Забыли пароль?</a></p><p>Если это были не вы, просто проигнорируйте письмо: без вашего пароля в аккаунт никто не войдёт.</p>",
                    escape_html(&name)
                ),
            ),
        ),
    };
    crate::server::mail::queue(
        state,
        &Mail {
            to: owner.email,
            subject,
            text,
            html,
        },
    )
    .await
}

/// Creates and mails a new 6-digit confirmation code.
async fn issue_code(
    state: &AppState,
    user_id: UserId,
    email: &str,
    name: &str,
    locale: Locale,
) -> Result<(), AppError> {
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let now = now_ms();
    db::upsert_email_code(
        &state.db,
        user_id,
        &sha256_hex(&format!("{user_id}:{code}")),
        now + CODE_TTL_MS,
        now,
    )
    .await?;
    let (subject, text, html) = match locale {
        Locale::En => (
            format!("Your Tutorium confirmation code: {code}"),
            format!(
                "Hello, {name}!\n\nYour confirmation code is {code}\n\nEnter it on the confirmation page. It is valid for 30 minutes.\nIf you did not sign up for Tutorium, ignore this e-mail.\n"
            ),
            html_layout(
                "Confirm your e-mail",
                &format!(
                    "<p>Hello, {}!</p><p>Your confirmation code is</p><p style=\"font-size:32px;font-weight:700;letter-spacing:6px\">{code}</p><p>It is valid for 30 minutes. If you did not sign up for Tutorium, ignore this e-mail.</p>",
                    escape_html(name)
                ),
            ),
        ),
        Locale::Ru => (
            format!("Код подтверждения Tutorium: {code}"),
            format!(
                "Здравствуйте, {name}!\n\nВаш код подтверждения: {code}\n\nВведите его на странице подтверждения. Код действует 30 минут.\nЕсли вы не регистрировались в Tutorium, просто проигнорируйте это письмо.\n"
            ),
            html_layout(
                "Подтвердите почту",
                &format!(
                    "<p>Здравствуйте, {}!</p><p>Ваш код подтверждения</p><p style=\"font-size:32px;font-weight:700;letter-spacing:6px\">{code}</p><p>Код действует 30 минут. Если вы не регистрировались в Tutorium, проигнорируйте это письмо.</p>",
                    escape_html(name)
                ),
            ),
        ),
    };
    crate::server::mail::queue(
        state,
        &Mail {
            to: email.to_string(),
            subject,
            text,
            html,
        },
    )
    .await
}

/// The user, while their e-mail is unconfirmed. Errors: `NotFound`, `AlreadyConfirmed`.
async fn unconfirmed_user(state: &AppState, user_id: UserId) -> Result<db::UserRow, AppError> {
    let user = db::select_user(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.email_confirmed_at.is_some() {
        return Err(AppError::BadRequest(Msg::Account(
            AccountMsg::AlreadyConfirmed,
        )));
    }
    Ok(user)
}

/// Sends a fresh confirmation code to the signed-in user (rate-limited).
pub async fn resend_code(
    state: &AppState,
    user_id: UserId,
    client: &Client,
) -> Result<(), AppError> {
    let user = unconfirmed_user(state, user_id).await?;
    let (per_account, per_ip) = mail_limit(state);
    rate_limit::hit(&state.db, &format!("code:user:{user_id}"), per_account).await?;
    rate_limit::hit(&state.db, &ip_key("mail", client), per_ip).await?;
    issue_code(
        state,
        user_id,
        &user.email,
        &user.display_name,
        client.locale,
    )
    .await
}

/// Sends a fresh code for this browser's sign-up (rate-limited alike whether or not the e-mail
/// has an account): only an unconfirmed account gets one; the answer is the same either way.
pub async fn resend_sign_up_code(
    state: &AppState,
    email: &str,
    client: &Client,
) -> Result<(), AppError> {
    let (per_account, per_ip) = mail_limit(state);
    rate_limit::hit(&state.db, &format!("code:email:{email}"), per_account).await?;
    rate_limit::hit(&state.db, &ip_key("mail", client), per_ip).await?;
    match db::select_user_by_email(&state.db, email).await? {
        Some(user) if user.email_confirmed_at.is_none() => {
            issue_code(state, user.id, email, &user.display_name, client.locale).await
        }
        _ => Ok(()),
    }
}

fn code_error(msg: AccountMsg) -> AppError {
    AppError::field("code", Msg::Account(msg))
}

/// A code as typed: six digits, spaces ignored.
fn clean_code(code: &str) -> Result<String, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(code_error(AccountMsg::CodeInvalid))
    }
}

/// Counts a guess of `user`'s code and checks it: at most five guesses per code, within 30
/// minutes; the error says which.
async fn check_code(state: &AppState, user_id: UserId, code: &str) -> Result<(), AppError> {
    let Some((hash, expires_at, attempts)) = db::count_code_attempt(&state.db, user_id).await?
    else {
        return Err(code_error(AccountMsg::CodeExpired));
    };
    if attempts > CODE_MAX_ATTEMPTS {
        return Err(code_error(AccountMsg::CodeAttemptsExhausted));
    }
    if expires_at <= now_ms() {
        return Err(code_error(AccountMsg::CodeExpired));
    }
    if hash != sha256_hex(&format!("{user_id}:{code}")) {
        return Err(code_error(AccountMsg::CodeInvalid));
    }
    Ok(())
}

/// Confirms the signed-in user's e-mail with the code mailed to them.
pub async fn confirm_email(state: &AppState, user_id: UserId, code: &str) -> Result<(), AppError> {
    let code = clean_code(code)?;
    unconfirmed_user(state, user_id).await?;
    check_code(state, user_id, &code).await?;
    db::confirm_email(&state.db, user_id, now_ms()).await?;
    Ok(())
}

/// Confirms a sign-up with the code from its mail and opens the account's first session;
/// returns its token. Every refusal is "wrong code": which one (no account, already confirmed,
/// expired, guesses used up) would tell whether the e-mail was registered before.
pub async fn confirm_sign_up(
    state: &AppState,
    email: &str,
    code: &str,
    client: &Client,
) -> Result<String, AppError> {
    let code = clean_code(code)?;
    let wrong = || code_error(AccountMsg::CodeInvalid);
    let user = db::select_user_by_email(&state.db, email)
        .await?
        .filter(|u| u.email_confirmed_at.is_none())
        .ok_or_else(wrong)?;
    check_code(state, user.id, &code)
        .await
        .map_err(|e| match e {
            AppError::Validation(_) => wrong(),
            other => other,
        })?;
    db::confirm_email(&state.db, user.id, now_ms()).await?;
    Ok(session::create(state, user.id, &client.user_agent, &client.ip).await?)
}

/// What a right password leads to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// A session: its cookie token.
    Session(String),
    /// Two-factor authentication is on: the code step follows (`mfa::log_in_with_code`).
    NeedsCode(UserId),
}

/// `Suspended` with the staff's reason when the account is banned.
pub async fn refuse_banned(state: &AppState, user: UserId) -> Result<(), AppError> {
    match db::select_ban(&state.db, user).await? {
        Some((_, reason)) => Err(AppError::Suspended { reason }),
        None => Ok(()),
    }
}

/// Checks e-mail and password and opens a session (or asks for the second factor).
/// Unknown e-mail and wrong password get the same answer, in the same time. Each attempt is
/// counted before the password is checked (per address, and per account from that address), so
/// parallel guesses are refused once they reach a limit instead of all being tried. A banned
/// account is told so — with the reason — only once its password was right.
pub async fn log_in(
    state: &AppState,
    email: &str,
    password_input: String,
    client: &Client,
) -> Result<LoginOutcome, AppError> {
    let email = normalize_email(email)
        .map_err(|_| AppError::BadRequest(Msg::Account(AccountMsg::InvalidCredentials)))?;
    if password_input.is_empty() || password_input.chars().count() > super::PASSWORD_MAX {
        return Err(AppError::BadRequest(Msg::Account(
            AccountMsg::InvalidCredentials,
        )));
    }
    let ip_key = ip_key("login", client);
    let bucket = rate_limit::ip_bucket(&client.ip);
    rate_limit::hit(&state.db, &ip_key, login_ip_limit(state)).await?;
    let now = now_ms();
    if db::count_login_attempt(&state.db, &email, &bucket, login_throttle(state), now)
        .await?
        .is_none()
    {
        rate_limit::refund(&state.db, &ip_key).await?;
        let until = db::select_login_wait(&state.db, &email, &bucket)
            .await?
            .unwrap_or(now);
        return Err(AppError::RateLimited {
            retry_after_secs: ((until - now).max(1000) as u64).div_ceil(1000),
        });
    }
    let row = db::select_login(&state.db, &email).await?;
    let ok = password::verify(
        password_input,
        row.as_ref().map(|r| r.password_hash.clone()),
    )
    .await?;
    match row {
        Some(r) if ok => {
            db::delete_login_throttle(&state.db, &email, &bucket).await?;
            rate_limit::refund(&state.db, &ip_key).await?;
            refuse_banned(state, r.id).await?;
            if super::mfa::is_enabled(state, r.id).await? {
                return Ok(LoginOutcome::NeedsCode(r.id));
            }
            Ok(LoginOutcome::Session(
                session::create(state, r.id, &client.user_agent, &client.ip).await?,
            ))
        }
        _ => Err(AppError::BadRequest(Msg::Account(
            AccountMsg::InvalidCredentials,
        ))),
    }
}

/// Changes the password after checking the current one; ends every other session.
pub async fn change_password(
    state: &AppState,
    auth: &Actor,
    current: String,
    new: String,
) -> Result<(), AppError> {
    let user = db::select_user(&state.db, auth.user)
        .await?
        .ok_or(AppError::NotFound)?;
    password::check_strength(new.clone(), user.email.clone(), user.display_name.clone())
        .await?
        .map_err(|m| AppError::field("new_password", m))?;
    // Counted before the check (so parallel guesses stop at the limit), forgiven on success.
    let key = format!("password:user:{}", auth.user);
    let limit = Limit {
        max: state.config.limit_login_per_account,
        window_ms: LOGIN_WINDOW_MS,
    };
    rate_limit::hit(&state.db, &key, limit).await?;
    let hash = db::select_password_hash(&state.db, auth.user).await?;
    if !password::verify(current, Some(hash)).await? {
        return Err(AppError::field(
            "current_password",
            Msg::Account(AccountMsg::WrongCurrentPassword),
        ));
    }
    rate_limit::clear(&state.db, &key).await?;
    let new_hash = password::hash(new).await?;
    db::update_password(&state.db, auth.user, &new_hash, now_ms()).await?;
    if db::delete_other_sessions(&state.db, auth.user, auth.session).await? > 0 {
        sessions_ended(state, auth.user).await;
    }
    Ok(())
}

/// Mails a single-use reset link when the e-mail has an account. Answers the same either way.
pub async fn request_reset(state: &AppState, email: &str, client: &Client) -> Result<(), AppError> {
    let email = normalize_email(email).map_err(|m| AppError::field("email", m))?;
    let (per_account, per_ip) = mail_limit(state);
    rate_limit::hit(&state.db, &format!("reset:acct:{email}"), per_account).await?;
    rate_limit::hit(&state.db, &ip_key("mail", client), per_ip).await?;
    let Some(user) = db::select_user_by_email(&state.db, &email).await? else {
        return Ok(());
    };
    let token = random_token(32);
    let now = now_ms();
    db::insert_password_reset(
        &state.db,
        user.id,
        &sha256_hex(&token),
        now,
        now + RESET_TTL_MS,
    )
    .await?;
    let link = format!("{}/reset-password?token={token}", state.config.base_url());
    let locale = Locale::from_code(&user.locale).unwrap_or_default();
    let name = user.display_name;
    let (subject, text, html) = match locale {
        Locale::En => (
            "Reset your Tutorium password".to_string(),
            format!(
                "Hello, {name}!\n\nTo choose a new password, open this link within one hour:\n{link}\n\nThe link works once. If you did not ask for it, ignore this e-mail: your password stays the same.\n"
            ),
            html_layout(
                "Reset your password",
                &format!(
                    "<p>Hello, {}!</p><p>To choose a new password, open this link within one hour:</p><p><a href=\"{link}\" style=\"display:inline-block;background:#4f46e5;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none\">Choose a new password</a></p><p style=\"word-break:break-all\">{link}</p><p>The link works once. If you did not ask for it, ignore this e-mail.</p>",
                    escape_html(&name)
                ),
            ),
        ),
        Locale::Ru => (
            "Сброс пароля Tutorium".to_string(),
            format!(
                "Здравствуйте, {name}!\n\nЧтобы задать новый пароль, откройте эту ссылку в течение часа:\n{link}\n\nСсылка работает один раз. Если вы не запрашивали сброс, проигнорируйте письмо: пароль останется прежним.\n"
            ),
            html_layout(
                "Сброс пароля",
                &format!(
                    "<p>Здравствуйте, {}!</p><p>Чтобы задать новый пароль, откройте эту ссылку в течение часа:</p><p><a href=\"{link}\" style=\"display:inline-block;background:#4f46e5;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none\">Задать новый пароль</a></p><p style=\"word-break:break-all\">{link}</p><p>Ссылка работает один раз. Если вы не запрашивали сброс, проигнорируйте письмо.</p>",
                    escape_html(&name)
                ),
            ),
        ),
    };
    crate::server::mail::queue(
        state,
        &Mail {
            to: user.email,
            subject,
            text,
            html,
        },
    )
    .await
}

/// Whether a reset token can still be used (for the reset page).
pub async fn reset_token_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    if token.is_empty() || token.len() > 100 {
        return Ok(false);
    }
    Ok(
        db::select_password_reset(&state.db, &sha256_hex(token), now_ms())
            .await?
            .is_some(),
    )
}

/// Sets a new password with a reset token, ends every session, and opens a new one (or asks
/// for the second factor when it is on).
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new: String,
    client: &Client,
) -> Result<LoginOutcome, AppError> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::BadRequest(Msg::Account(
            AccountMsg::ResetLinkInvalid,
        )));
    }
    let hash = sha256_hex(token);
    let Some(user_id) = db::select_password_reset(&state.db, &hash, now_ms()).await? else {
        return Err(AppError::BadRequest(Msg::Account(
            AccountMsg::ResetLinkInvalid,
        )));
    };
    let user = db::select_user(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    password::check_strength(new.clone(), user.email.clone(), user.display_name.clone())
        .await?
        .map_err(|m| AppError::field("password", m))?;
    let new_hash = password::hash(new).await?;
    let user_id = db::use_password_reset(&state.db, &hash, &new_hash, now_ms())
        .await?
        .ok_or(AppError::BadRequest(Msg::Account(
            AccountMsg::ResetLinkInvalid,
        )))?;
    sessions_ended(state, user_id).await;
    // The link proved the mailbox: log-ins are no longer slowed down, from any address.
    db::delete_login_throttles(&state.db, &user.email).await?;
    refuse_banned(state, user_id).await?;
    // A mailbox is one factor: with two-factor authentication on, the code step follows.
    if super::mfa::is_enabled(state, user_id).await? {
        return Ok(LoginOutcome::NeedsCode(user_id));
    }
    Ok(LoginOutcome::Session(
        session::create(state, user_id, &client.user_agent, &client.ip).await?,
    ))
}

/// The signed-in user as the UI shows them.
pub async fn current_user(state: &AppState, auth: &Actor) -> Result<Option<CurrentUser>, AppError> {
    let Some(db::UserWithAvatar {
        user: u,
        avatar_key,
    }) = db::select_user_with_avatar(&state.db, auth.user).await?
    else {
        return Ok(None);
    };
    let avatar_url = avatar_key.map(|k| crate::profiles::avatar_url(&k, 64));
    Ok(Some(CurrentUser {
        id: u.id.get(),
        email: u.email,
        display_name: u.display_name,
        handle: u.handle,
        email_confirmed: u.email_confirmed_at.is_some(),
        roles: auth.roles.clone(),
        locked: auth.locked.clone(),
        avatar_url,
    }))
}

/// Grants a role to the account with this e-mail (CLI: `tutorium user grant EMAIL ROLE`);
/// audited as done by the command line.
pub async fn grant_role(state: &AppState, email: &str, role: Role) -> anyhow::Result<()> {
    crate::admin::service::set_role_by_email(state, email, role, true).await?;
    Ok(())
}

/// Takes a role away (CLI); audited as done by the command line.
pub async fn revoke_role(state: &AppState, email: &str, role: Role) -> anyhow::Result<()> {
    crate::admin::service::set_role_by_email(state, email, role, false).await?;
    Ok(())
}

/// Tells the live streams of `user` that some of their sessions ended (they check theirs).
pub async fn sessions_ended(state: &AppState, user: UserId) {
    state
        .bus
        .notify(
            &state.db,
            &user_topic(user),
            serde_json::json!({ "sessions": "ended" }),
        )
        .await;
}

/// The bus topic of one person's live views (the bell, session ends).
pub fn user_topic(user: UserId) -> String {
    format!("user:{user}")
}

/// Ends the session of a cookie token (log out).
pub async fn log_out(state: &AppState, token: &str) -> Result<(), AppError> {
    if let Some(user) = db::delete_session_by_token(&state.db, &sha256_hex(token)).await? {
        sessions_ended(state, user).await;
    }
    Ok(())
}

/// The actor's sessions, newest use first.
pub async fn list_sessions(state: &AppState, actor: &Actor) -> Result<Vec<SessionInfo>, AppError> {
    let now = now_ms();
    let idle = state.config.session_idle_days * 24 * 3600 * 1000;
    let rows = db::list_sessions(&state.db, actor.user, now, idle).await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            id: r.id.get(),
            device: super::describe_device(&r.user_agent),
            ip: r.ip,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            current: r.id == actor.session,
        })
        .collect())
}

/// Ends one of the actor's sessions; `NotFound` when it is not theirs.
pub async fn revoke_session(
    state: &AppState,
    actor: &Actor,
    id: SessionId,
) -> Result<(), AppError> {
    if db::delete_session(&state.db, actor.user, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    sessions_ended(state, actor.user).await;
    Ok(())
}

/// Ends every session of the actor but the current one; how many ended.
pub async fn revoke_other_sessions(state: &AppState, actor: &Actor) -> Result<u64, AppError> {
    let n = db::delete_other_sessions(&state.db, actor.user, actor.session).await?;
    if n > 0 {
        sessions_ended(state, actor.user).await;
    }
    Ok(n)
}

/// Whether this site holds accounts made by `tutorium demo` (checked at most once a minute per
/// process): then every page says it is a demo.
pub async fn is_demo_site(state: &AppState) -> Result<bool, AppError> {
    const KEY: &str = "accounts|demo";
    let n = state
        .counts
        .get_or_compute(KEY, std::time::Duration::from_secs(60), || async {
            db::demo_accounts_exist(&state.db).await.map(i64::from)
        })
        .await?;
    Ok(n != 0)
}

/// Marks the accounts `tutorium demo` made (and forgets the cached answer of [`is_demo_site`]).
pub async fn mark_demo(state: &AppState, users: &[UserId]) -> Result<(), AppError> {
    for &u in users {
        db::mark_demo(&state.db, u).await?;
    }
    state.counts.forget("accounts|demo");
    Ok(())
}
