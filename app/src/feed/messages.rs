//! The messages of feed that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason feed gives; wrapped in `Msg::Feed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedMsg {
    TagInvalid,
    CommentWrongPost,
}

impl FeedMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use FeedMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            TagInvalid => s(
                "Tags are single words: letters, digits, “-” and “_”, up to 30 characters.",
                "Теги — отдельные слова: буквы, цифры, «-» и «_», до 30 символов.",
            ),
            CommentWrongPost => s(
                "You can only reply to a comment under the same post.",
                "Отвечать можно только на комментарий под этой же публикацией.",
            ),
        }
    }
}

impl From<FeedMsg> for crate::error::Msg {
    fn from(m: FeedMsg) -> Self {
        crate::error::Msg::Feed(m)
    }
}
