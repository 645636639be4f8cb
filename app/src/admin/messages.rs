//! The messages of the staff area, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason the staff area gives; wrapped in `Msg::Admin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminMsg {
    /// Admins cannot take their own admin role away (someone else must).
    OwnAdminRole,
    CannotBanSelf,
    /// Admins are not banned (their admin role is revoked first); other staff only by admins.
    CannotBanStaff,
    AlreadyBanned,
    NotBanned,
    RoleUnknown,
}

impl AdminMsg {
    pub fn text(self, locale: Locale) -> String {
        use AdminMsg::*;
        let (en, ru) = match self {
            OwnAdminRole => (
                "You cannot revoke your own admin role: ask another admin.",
                "Нельзя снять с себя роль администратора: попросите другого администратора.",
            ),
            CannotBanSelf => (
                "You cannot ban yourself.",
                "Нельзя заблокировать самого себя.",
            ),
            CannotBanStaff => (
                "Staff can be banned only by an admin, and admins only after their admin role is revoked.",
                "Сотрудника может заблокировать только администратор, а администратора — только после снятия с него этой роли.",
            ),
            AlreadyBanned => (
                "This account is already banned.",
                "Этот аккаунт уже заблокирован.",
            ),
            NotBanned => (
                "This account is not banned.",
                "Этот аккаунт не заблокирован.",
            ),
            RoleUnknown => ("Unknown role.", "Неизвестная роль."),
        };
        locale.pick(en, ru).to_string()
    }
}

impl From<AdminMsg> for crate::error::Msg {
    fn from(m: AdminMsg) -> Self {
        crate::error::Msg::Admin(m)
    }
}
