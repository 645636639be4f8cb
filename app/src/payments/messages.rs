//! The messages of payments that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason payments gives; wrapped in `Msg::Payment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMsg {
    OrderExpired,
    OrderClosed,
    /// No payment provider is configured, so paid items cannot be bought.
    NoProvider,
}

impl PaymentMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            PaymentMsg::OrderExpired => s(
                "This order waited too long for its payment and has expired. Start again from the course page.",
                "Этот заказ слишком долго ждал оплаты и истёк. Начните заново со страницы курса.",
            ),
            PaymentMsg::OrderClosed => s(
                "This order can no longer be paid: it was cancelled. Start again from the course page.",
                "Этот заказ больше нельзя оплатить: он отменён. Начните заново со страницы курса.",
            ),
            PaymentMsg::NoProvider => s(
                "Payments are not set up on this platform yet, so paid courses cannot be bought. Please tell its administrators.",
                "На этой платформе ещё не подключена оплата, поэтому платные курсы купить нельзя. Сообщите об этом администраторам.",
            ),
        }
    }
}

impl From<PaymentMsg> for crate::error::Msg {
    fn from(m: PaymentMsg) -> Self {
        crate::error::Msg::Payment(m)
    }
}
