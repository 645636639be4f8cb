//! The use cases of the staff area: callable from server functions, REST handlers and the CLI.
//! Each decides on the server who may call it (see the feature's doc for the rules).

use super::{
    AdminMsg, GRANTABLE, REASON_MAX, StaffSessionInfo, UserDetail, UserFilter, UserListItem,
    UserListPage, db,
};
use crate::accounts::describe_device;
use crate::audit::{self, Action, By, Entry};
use crate::error::{AppError, Msg};
use crate::ids::UserId;
use crate::roles::Role;
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms};
use std::collections::HashMap;

/// Accounts per page of the list.
pub const PAGE: i64 = 30;
const DAY_MS: i64 = 24 * 3600 * 1000;
const STAFF: [Role; 2] = [Role::Moderator, Role::Support];

/// `Forbidden` (or `MfaRequired`) unless the actor is staff: moderators, support, admins.
fn require_staff(actor: &Actor) -> Result<(), AppError> {
    actor.require_any(&STAFF)
}

fn roles_from(codes: &[String]) -> Vec<Role> {
    let mut r: Vec<Role> = codes.iter().filter_map(|c| Role::from_code(c)).collect();
    r.sort();
    r
}

/// A page of accounts matching `f`, newest first. Staff.
pub async fn list_users(
    st: &AppState,
    actor: &Actor,
    f: &UserFilter,
) -> Result<UserListPage, AppError> {
    require_staff(actor)?;
    if !f.role.is_empty() && Role::from_code(&f.role).is_none() {
        return Err(AppError::field("role", AdminMsg::RoleUnknown));
    }
    if f.q.chars().count() > 200 {
        return Err(AppError::field("q", Msg::TooLong { max: 200 }));
    }
    let joined_after = match f.joined.as_str() {
        "" => None,
        d => Some(
            now_ms()
                - d.parse::<i64>()
                    .ok()
                    .filter(|d| (1..=3650).contains(d))
                    .ok_or_else(|| AppError::field("joined", Msg::BadInput))?
                    * DAY_MS,
        ),
    };
    let mut rows = db::list_accounts(&st.db, f, joined_after, PAGE + 1).await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id.get())
    } else {
        None
    };
    let ids: Vec<UserId> = rows.iter().map(|r| r.id).collect();
    let mut roles: HashMap<UserId, Vec<String>> = HashMap::new();
    for (u, r) in db::roles_of(&st.db, &ids).await? {
        roles.entry(u).or_default().push(r);
    }
    Ok(UserListPage {
        items: rows
            .into_iter()
            .map(|r| UserListItem {
                id: r.id.get(),
                roles: roles_from(roles.get(&r.id).map(Vec::as_slice).unwrap_or(&[])),
                email: r.email,
                display_name: r.display_name,
                handle: r.handle,
                confirmed: r.email_confirmed_at.is_some(),
                banned: r.banned_at.is_some(),
                mfa: r.mfa == 1,
                demo: r.demo == 1,
                created_at: r.created_at,
            })
            .collect(),
        next,
    })
}

/// A person's page: account, roles, sessions, content counts, and what the viewer may do.
/// Staff. Errors: `Forbidden`, `MfaRequired`, `NotFound`.
pub async fn user_detail(st: &AppState, actor: &Actor, id: UserId) -> Result<UserDetail, AppError> {
    require_staff(actor)?;
    let r = db::select_account(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = roles_from(
        &db::roles_of(&st.db, &[id])
            .await?
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Vec<_>>(),
    );
    let sessions = db::sessions_of(&st.db, id, now_ms())
        .await?
        .into_iter()
        .map(|s| StaffSessionInfo {
            device: describe_device(&s.user_agent),
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            mfa: s.mfa_at.is_some(),
        })
        .collect();
    let counts = db::counts(&st.db, id).await?;
    let may_ban = ban_check(actor, id, &roles).is_ok();
    Ok(UserDetail {
        id: r.id.get(),
        email: r.email,
        display_name: r.display_name,
        handle: r.handle,
        locale: r.locale,
        confirmed_at: r.email_confirmed_at,
        created_at: r.created_at,
        banned_at: r.banned_at,
        banned_reason: r.banned_reason.unwrap_or_default(),
        mfa: r.mfa == 1,
        demo: r.demo == 1,
        sessions,
        counts,
        may_change_roles: actor.is_admin(),
        may_ban,
        may_reset_mfa: actor.is_admin() && r.mfa == 1,
        roles,
    })
}

/// Grants (`grant`) or revokes `role` of `user` and writes the audit entry, in one transaction;
/// false when nothing changed. The tutor role also switches the profile's teaching card.
async fn apply_role(
    st: &AppState,
    by: &By,
    user: UserId,
    role: Role,
    grant: bool,
) -> Result<bool, AppError> {
    let mut tx = st.db.w().begin().await?;
    let before = db::role_codes(&mut tx, user).await?;
    let changed = if grant {
        crate::accounts::db::insert_role(&mut tx, user, role.code(), now_ms()).await?
    } else {
        db::delete_role(&mut tx, user, role.code()).await?
    };
    if !changed {
        return Ok(false);
    }
    if role == Role::Tutor {
        crate::profiles::db::set_tutor(&mut *tx, user, grant).await?;
    }
    let after = db::role_codes(&mut tx, user).await?;
    let action = if grant {
        Action::RoleGranted
    } else {
        Action::RoleRevoked
    };
    let entry = Entry::user(action, user).change(
        serde_json::json!({ "roles": before }),
        serde_json::json!({ "roles": after }),
    );
    audit::record(&mut tx, by, entry).await?;
    tx.commit().await?;
    // Open pages re-read the person (their live streams are told their sessions changed).
    crate::accounts::service::sessions_ended(st, user).await;
    Ok(true)
}

/// Grants or revokes a role. Admins (not their own admin role). Errors: `Forbidden`,
/// `MfaRequired`, `NotFound`, `Validation(role)`, `Conflict(OwnAdminRole)`.
pub async fn set_role(
    st: &AppState,
    actor: &Actor,
    user: UserId,
    role: &str,
    grant: bool,
) -> Result<(), AppError> {
    actor.require(Role::Admin)?;
    let role = Role::from_code(role)
        .filter(|r| GRANTABLE.contains(r))
        .ok_or_else(|| AppError::field("role", AdminMsg::RoleUnknown))?;
    if db::select_account(&st.db, user).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if user == actor.user && role == Role::Admin && !grant {
        return Err(AppError::conflict(AdminMsg::OwnAdminRole));
    }
    apply_role(st, &By::actor(actor), user, role, grant).await?;
    Ok(())
}

/// The command line's grant and revoke (`tutorium user grant|revoke EMAIL ROLE`), audited as
/// done by the command line.
pub async fn set_role_by_email(
    st: &AppState,
    email: &str,
    role: Role,
    grant: bool,
) -> anyhow::Result<bool> {
    let email =
        crate::accounts::normalize_email(email).map_err(|_| anyhow::anyhow!("invalid e-mail"))?;
    let user = crate::accounts::db::select_user_by_email(&st.db, &email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with e-mail {email}"))?;
    apply_role(st, &By::cli(), user.id, role, grant)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Who may ban whom: moderators and admins; not themselves; staff only by admins; admins never
/// (their admin role is revoked first).
fn ban_check(actor: &Actor, user: UserId, roles: &[Role]) -> Result<(), AppError> {
    actor.require(Role::Moderator)?;
    if user == actor.user {
        return Err(AppError::conflict(AdminMsg::CannotBanSelf));
    }
    if roles.contains(&Role::Admin) || (crate::roles::holds_staff(roles) && !actor.is_admin()) {
        return Err(AppError::conflict(AdminMsg::CannotBanStaff));
    }
    Ok(())
}

/// Bans an account with a reason shown to them at log-in: their sessions end and their posts,
/// comments, courses and profile are hidden from others. Moderators and admins. Errors:
/// `Forbidden`, `MfaRequired`, `NotFound`, `Validation(reason)`, `Conflict(CannotBanSelf |
/// CannotBanStaff | AlreadyBanned)`.
pub async fn ban(st: &AppState, actor: &Actor, user: UserId, reason: &str) -> Result<(), AppError> {
    actor.require(Role::Moderator)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", Msg::Required));
    }
    if reason.chars().count() > REASON_MAX {
        let max = REASON_MAX as u32;
        return Err(AppError::field("reason", Msg::TooLong { max }));
    }
    if db::select_account(&st.db, user).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut tx = st.db.w().begin().await?;
    let roles = roles_from(&db::role_codes(&mut tx, user).await?);
    ban_check(actor, user, &roles)?;
    let hidden = db::ban(&mut tx, user, reason, now_ms())
        .await?
        .ok_or_else(|| AppError::conflict(AdminMsg::AlreadyBanned))?;
    let entry = Entry::user(Action::UserBanned, user)
        .change(
            serde_json::json!({ "banned": false }),
            serde_json::json!({ "banned": true, "hidden": hidden }),
        )
        .reason(reason);
    audit::record(&mut tx, &By::actor(actor), entry).await?;
    tx.commit().await?;
    crate::accounts::service::sessions_ended(st, user).await;
    crate::courses::forget_counts(st);
    Ok(())
}

/// Lifts a ban: the person can log in again and what the ban hid comes back. Moderators and
/// admins (staff only by admins). Errors: `Forbidden`, `MfaRequired`, `NotFound`,
/// `Conflict(NotBanned | CannotBanStaff)`.
pub async fn unban(st: &AppState, actor: &Actor, user: UserId) -> Result<(), AppError> {
    actor.require(Role::Moderator)?;
    if db::select_account(&st.db, user).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut tx = st.db.w().begin().await?;
    let roles = roles_from(&db::role_codes(&mut tx, user).await?);
    ban_check(actor, user, &roles)?;
    let restored = db::unban(&mut tx, user, now_ms())
        .await?
        .ok_or_else(|| AppError::conflict(AdminMsg::NotBanned))?;
    let entry = Entry::user(Action::UserUnbanned, user).change(
        serde_json::json!({ "banned": true }),
        serde_json::json!({ "banned": false, "restored": restored }),
    );
    audit::record(&mut tx, &By::actor(actor), entry).await?;
    tx.commit().await?;
    crate::courses::forget_counts(st);
    Ok(())
}

/// Removes a person's second factor (they lost their device): they log in with the password
/// alone and set it up again (staff must, before staff pages). Admins. Errors: `Forbidden`,
/// `MfaRequired`, `NotFound`, `BadRequest(MfaNotEnabled)`.
pub async fn reset_mfa(st: &AppState, actor: &Actor, user: UserId) -> Result<(), AppError> {
    actor.require(Role::Admin)?;
    if db::select_account(&st.db, user).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if !crate::accounts::mfa::is_enabled(st, user).await? {
        return Err(AppError::bad_request(
            crate::accounts::AccountMsg::MfaNotEnabled,
        ));
    }
    let mut tx = st.db.w().begin().await?;
    crate::accounts::mfa::remove(&mut tx, user).await?;
    audit::record(
        &mut tx,
        &By::actor(actor),
        Entry::user(Action::MfaReset, user),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
