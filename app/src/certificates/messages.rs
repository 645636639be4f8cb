//! The messages of certificates that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason certificates gives; wrapped in `Msg::Certificate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificateMsg {
    AlreadyRevoked,
}

impl CertificateMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use CertificateMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            AlreadyRevoked => s(
                "This certificate has already been revoked.",
                "Этот сертификат уже отозван.",
            ),
        }
    }
}

impl From<CertificateMsg> for crate::error::Msg {
    fn from(m: CertificateMsg) -> Self {
        crate::error::Msg::Certificate(m)
    }
}
