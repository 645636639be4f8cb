//! Roles and the one rule about them, shared by the UI, the server's `Actor` and every feature.
//! Stored as TEXT codes, checked in Rust (new roles — support, organizer — need no migration).

crate::codes! {
    /// What a person may act as.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Student = "student",
        Tutor = "tutor",
        Moderator = "moderator",
        Admin = "admin",
    }
}

/// Whether `held` grants `role`: admins hold every role. The one rule, for the UI
/// (`CurrentUser::has`) and the server (`Actor::holds`).
pub fn holds(held: &[Role], role: Role) -> bool {
    held.contains(&role) || held.contains(&Role::Admin)
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
    }
}
