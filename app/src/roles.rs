//! Roles and the one rule about them, shared by the UI, the server's `Actor` and every feature.
//! Stored as TEXT codes, checked in Rust (new roles — support, organizer — need no migration).

crate::codes! {
    /// What a person may act as.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Student = "student",
        Tutor = "tutor",
        Moderator = "moderator",
        /// Support agents: they see people's accounts in the staff area (and answer the support
        /// chat to come); they change nothing there.
        Support = "support",
        Admin = "admin",
    }
}

/// Whether `held` grants `role`: admins hold every role. The one rule, for the UI
/// (`CurrentUser::has`) and the server (`Actor::holds`).
pub fn holds(held: &[Role], role: Role) -> bool {
    held.contains(&role) || held.contains(&Role::Admin)
}

impl Role {
    /// Staff roles: they open staff pages, and count only in a session that proved a second
    /// factor (MFA is required for them).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Moderator | Role::Support | Role::Admin)
    }
}

/// Whether `held` grants any staff role.
pub fn holds_staff(held: &[Role]) -> bool {
    held.iter().any(|r| r.is_staff())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_hold_every_role_and_others_only_theirs() {
        assert!(holds(&[Role::Admin], Role::Tutor));
        assert!(holds(&[Role::Student, Role::Tutor], Role::Tutor));
        assert!(!holds(&[Role::Student, Role::Tutor], Role::Moderator));
        assert_eq!(Role::from_code("moderator"), Some(Role::Moderator));
        assert_eq!(Role::from_code("root"), None);
        assert_eq!(Role::from_code("support"), Some(Role::Support));
        assert!(Role::Support.is_staff() && !Role::Tutor.is_staff());
        assert!(holds_staff(&[Role::Student, Role::Moderator]) && !holds_staff(&[Role::Tutor]));
    }
}
