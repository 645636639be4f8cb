//! The messages of profiles that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason profiles gives; wrapped in `Msg::Profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileMsg {
    SubjectUnknown,
    CannotFollowSelf,
    VisibilityInvalid,
}

impl ProfileMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use ProfileMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            SubjectUnknown => s("Unknown subject.", "Неизвестный предмет."),
            CannotFollowSelf => s(
                "You cannot follow yourself.",
                "Нельзя подписаться на самого себя.",
            ),
            VisibilityInvalid => s("Unknown visibility.", "Неизвестная видимость."),
        }
    }
}

impl From<ProfileMsg> for crate::error::Msg {
    fn from(m: ProfileMsg) -> Self {
        crate::error::Msg::Profile(m)
    }
}
