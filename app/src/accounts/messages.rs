//! The messages of accounts that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason accounts gives; wrapped in `Msg::Account`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountMsg {
    EmailInvalid,
    EmailTaken,
    PasswordTooShort { min: u32 },
    PasswordTooLong { max: u32 },
    PasswordWeak,
    InvalidCredentials,
    WrongCurrentPassword,
    CodeInvalid,
    CodeExpired,
    CodeAttemptsExhausted,
    AlreadyConfirmed,
    ResetLinkInvalid,
    RoleInvalid,
}

impl AccountMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use AccountMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            EmailInvalid => s(
                "Enter a valid e-mail address, like name@example.com.",
                "Введите правильный адрес почты, например name@example.com.",
            ),
            EmailTaken => s(
                "An account with this e-mail already exists. Log in or reset your password.",
                "Аккаунт с этой почтой уже есть. Войдите или восстановите пароль.",
            ),
            PasswordTooShort { min } => {
                if ru {
                    format!("Пароль слишком короткий: нужно не меньше {min} символов.")
                } else {
                    format!("The password is too short: use at least {min} characters.")
                }
            }
            PasswordTooLong { max } => {
                if ru {
                    format!("Пароль слишком длинный: не больше {max} символов.")
                } else {
                    format!("The password is too long: at most {max} characters.")
                }
            }
            PasswordWeak => s(
                "This password is too easy to guess. Avoid common words, repeats and your own name or e-mail.",
                "Такой пароль легко угадать. Не используйте распространённые слова, повторы, своё имя или почту.",
            ),
            InvalidCredentials => s("Wrong e-mail or password.", "Неверная почта или пароль."),
            WrongCurrentPassword => s(
                "The current password is wrong.",
                "Текущий пароль указан неверно.",
            ),
            CodeInvalid => s(
                "This code is wrong. Check the latest e-mail from us.",
                "Код неверный. Проверьте последнее письмо от нас.",
            ),
            CodeExpired => s(
                "This code has expired. Send a new one.",
                "Срок действия кода истёк. Отправьте новый.",
            ),
            CodeAttemptsExhausted => s(
                "Too many wrong codes. Send a new code.",
                "Слишком много неверных попыток. Отправьте новый код.",
            ),
            AlreadyConfirmed => s(
                "Your e-mail is already confirmed.",
                "Ваша почта уже подтверждена.",
            ),
            ResetLinkInvalid => s(
                "This reset link is invalid, already used or expired. Request a new one.",
                "Ссылка для сброса неверна, уже использована или устарела. Запросите новую.",
            ),
            RoleInvalid => s(
                "Choose student or tutor.",
                "Выберите: ученик или репетитор.",
            ),
        }
    }
}

impl From<AccountMsg> for crate::error::Msg {
    fn from(m: AccountMsg) -> Self {
        crate::error::Msg::Account(m)
    }
}
