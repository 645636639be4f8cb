//! Who is acting: one way to authenticate and authorise for every adapter.
//!
//! The session middleware resolves the request's credentials once (today the session cookie;
//! bearer tokens for the REST API plug in at the same place) into an [`Actor`] — the user, their
//! session and their roles — and leaves it in the request extensions. Everything else reads it
//! from there:
//! - axum handlers take [`Actor`] (401 without one), `Option<Actor>`, or [`RequireRole`]
//!   (403 without the role) as extractors;
//! - server functions call [`actor`], [`current`] or [`require`];
//! - use cases (`<feature>/service.rs`) take `&Actor` or `Option<&Actor>` and ask
//!   [`Actor::holds`], which applies the one rule "admins hold every role"
//!   ([`crate::roles::holds`], the same function the UI uses).
//!
//! Jobs, the CLI and the demo act as a real person through [`Actor::acting_as`].

use crate::error::AppError;
use crate::ids::{SessionId, UserId};
use crate::roles::Role;
use http::request::Parts;
use std::marker::PhantomData;

/// The person a request (or a job, or a CLI command) acts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    /// The session the request came with (`SessionId(0)` outside a request).
    pub session: SessionId,
    /// The roles that count in this session: staff roles only when it proved a second factor.
    pub roles: Vec<Role>,
    /// Staff roles held but locked in this session: it has not proved a second factor (MFA is
    /// required for staff, ASVS 6.3.3). Staff pages ask to set up or enter a code.
    pub locked: Vec<Role>,
    pub email_confirmed: bool,
    /// The client's address (empty outside a request), for the audit log.
    pub ip: String,
}

impl Actor {
    /// An actor outside any request: the demo, the seeders, the CLI, jobs.
    pub fn acting_as(user: UserId, roles: Vec<Role>) -> Self {
        Actor {
            user,
            session: SessionId(0),
            roles,
            locked: Vec::new(),
            email_confirmed: true,
            ip: String::new(),
        }
    }

    /// Splits `held` roles into those that count and those locked: staff roles count only
    /// when the session proved a second factor (`mfa`).
    pub fn effective_roles(held: Vec<Role>, mfa: bool) -> (Vec<Role>, Vec<Role>) {
        if mfa {
            (held, Vec::new())
        } else {
            held.into_iter().partition(|r| !r.is_staff())
        }
    }

    /// Whether this person holds `role` (admins hold every role).
    pub fn holds(&self, role: Role) -> bool {
        crate::roles::holds(&self.roles, role)
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    /// `EmailUnconfirmed` unless this person confirmed their e-mail address: posting,
    /// commenting, messaging, enrolling, paying and booking ask for it; reading does not.
    pub fn require_confirmed(&self) -> Result<(), AppError> {
        if self.email_confirmed {
            Ok(())
        } else {
            Err(AppError::EmailUnconfirmed)
        }
    }

    /// `Forbidden` unless this person holds `role`; `MfaRequired` when they hold it but this
    /// session has not proved a second factor.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.holds(role) {
            Ok(())
        } else if crate::roles::holds(&self.locked, role) {
            Err(AppError::MfaRequired)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// `Forbidden` unless this person holds one of `roles` (`MfaRequired` as in [`Self::require`]).
    pub fn require_any(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.iter().any(|r| self.holds(*r)) {
            Ok(())
        } else if roles.iter().any(|r| crate::roles::holds(&self.locked, *r)) {
            Err(AppError::MfaRequired)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The actor the middleware left in these request parts, if any.
pub fn from_parts(parts: &Parts) -> Option<Actor> {
    parts.extensions.get::<Actor>().cloned()
}

/// The actor of the current server function or render, if signed in.
pub fn current() -> Option<Actor> {
    super::request::parts().and_then(|p| from_parts(&p))
}

/// The signed-in actor of the current server function, or `NotAuthenticated`.
pub fn actor() -> Result<Actor, AppError> {
    current().ok_or(AppError::NotAuthenticated)
}

/// The signed-in actor if they hold `role`, else `NotAuthenticated` or `Forbidden`.
pub fn require(role: Role) -> Result<Actor, AppError> {
    let a = actor()?;
    a.require(role)?;
    Ok(a)
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        from_parts(parts).ok_or(AppError::NotAuthenticated)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, AppError> {
        Ok(from_parts(parts))
    }
}

/// A role named as a type, for [`RequireRole`].
pub trait RoleMarker: Send + Sync + 'static {
    const ROLE: Role;
}

macro_rules! role_marker {
    ($($name:ident => $role:expr),*) => {$(
        /// The role of the same name, for `RequireRole`.
        pub struct $name;
        impl RoleMarker for $name {
            const ROLE: Role = $role;
        }
    )*};
}

role_marker!(Tutor => Role::Tutor, Moderator => Role::Moderator, Support => Role::Support, Admin => Role::Admin);

/// Extracts the actor when they hold `R`'s role: `RequireRole(actor, _): RequireRole<Tutor>`.
/// Rejects with `NotAuthenticated` (401) or `Forbidden` (403).
pub struct RequireRole<R: RoleMarker>(pub Actor, pub PhantomData<R>);

impl<S: Send + Sync, R: RoleMarker> axum::extract::FromRequestParts<S> for RequireRole<R> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let a = from_parts(parts).ok_or(AppError::NotAuthenticated)?;
        a.require(R::ROLE)?;
        Ok(RequireRole(a, PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::FromRequestParts;

    fn parts_with(actor: Option<Actor>) -> Parts {
        let (mut parts, _) = http::Request::new(()).into_parts();
        if let Some(a) = actor {
            parts.extensions.insert(a);
        }
        parts
    }

    fn person(roles: Vec<Role>) -> Actor {
        Actor::acting_as(UserId(7), roles)
    }

    #[tokio::test]
    async fn the_actor_extractor_needs_a_signed_in_person() {
        let mut anon = parts_with(None);
        assert_eq!(
            Actor::from_request_parts(&mut anon, &()).await,
            Err(AppError::NotAuthenticated)
        );
        let maybe: Option<Actor> =
            <Actor as axum::extract::OptionalFromRequestParts<()>>::from_request_parts(
                &mut anon,
                &(),
            )
            .await
            .unwrap();
        assert!(maybe.is_none());
        let mut signed_in = parts_with(Some(person(vec![Role::Student])));
        let a = Actor::from_request_parts(&mut signed_in, &())
            .await
            .unwrap();
        assert_eq!(a.user, UserId(7));
    }

    #[tokio::test]
    async fn require_role_refuses_others_and_admins_hold_every_role() {
        let mut student = parts_with(Some(person(vec![Role::Student])));
        let r = RequireRole::<Tutor>::from_request_parts(&mut student, &()).await;
        assert_eq!(r.err(), Some(AppError::Forbidden));
        let mut anon = parts_with(None);
        let r = RequireRole::<Tutor>::from_request_parts(&mut anon, &()).await;
        assert_eq!(r.err(), Some(AppError::NotAuthenticated));
        let mut tutor = parts_with(Some(person(vec![Role::Student, Role::Tutor])));
        assert!(
            RequireRole::<Tutor>::from_request_parts(&mut tutor, &())
                .await
                .is_ok()
        );
        let mut admin = parts_with(Some(person(vec![Role::Admin])));
        let RequireRole(a, _) = RequireRole::<Moderator>::from_request_parts(&mut admin, &())
            .await
            .unwrap();
        assert!(a.holds(Role::Tutor) && a.holds(Role::Moderator) && a.is_admin());
    }

    #[test]
    fn staff_roles_count_only_after_a_second_factor() {
        let held = vec![Role::Student, Role::Moderator, Role::Admin];
        let (roles, locked) = Actor::effective_roles(held.clone(), false);
        assert_eq!(
            (roles.clone(), locked.clone()),
            (vec![Role::Student], vec![Role::Moderator, Role::Admin])
        );
        let a = Actor {
            roles,
            locked,
            ..person(vec![])
        };
        assert!(!a.holds(Role::Moderator) && !a.holds(Role::Tutor));
        assert_eq!(a.require(Role::Moderator), Err(AppError::MfaRequired));
        assert_eq!(
            a.require(Role::Tutor),
            Err(AppError::MfaRequired),
            "admin would hold it"
        );
        assert_eq!(
            person(vec![Role::Student]).require(Role::Moderator),
            Err(AppError::Forbidden)
        );
        assert_eq!(Actor::effective_roles(held.clone(), true), (held, vec![]));
    }
}
