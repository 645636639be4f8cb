//! The messages of accounts that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason accounts gives; wrapped in `Msg::Account`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountMsg {
    EmailInvalid,
    PasswordTooShort {
        min: u32,
    },
    PasswordTooLong {
        max: u32,
    },
    PasswordWeak {
        reason: WeakReason,
    },
    InvalidCredentials,
    WrongCurrentPassword,
    CodeInvalid,
    CodeExpired,
    CodeAttemptsExhausted,
    AlreadyConfirmed,
    ResetLinkInvalid,
    RoleInvalid,
    /// A staff role is held, but this session has not proved a second factor.
    MfaRequiredForStaff,
    /// The account is banned; the staff's reason is shown beside this.
    Suspended,
    /// A wrong (or already used) authenticator or recovery code.
    MfaCodeInvalid,
    /// The log-in waiting for its second step expired (or never began).
    MfaLoginExpired,
    MfaAlreadyEnabled,
    MfaNotEnabled,
    /// Staff cannot turn two-factor authentication off.
    MfaStaffMustKeep,
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
            PasswordWeak { reason } => {
                if ru {
                    format!(
                        "Такой пароль легко угадать. {} Возьмите три-четыре не связанных между собой слова: длина помогает больше, чем цифры и спецсимволы.",
                        reason.text(locale)
                    )
                } else {
                    format!(
                        "This password is too easy to guess. {} Pick three or four unrelated words instead: length helps more than digits and symbols.",
                        reason.text(locale)
                    )
                }
            }
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
            MfaRequiredForStaff => s(
                "Staff tools need two-factor authentication: set it up in Settings → Security, or enter a code from your authenticator app.",
                "Для инструментов персонала нужна двухфакторная аутентификация: включите её в «Настройки → Безопасность» или введите код из приложения-аутентификатора.",
            ),
            Suspended => s("Your account is suspended.", "Ваш аккаунт заблокирован."),
            MfaCodeInvalid => s(
                "This code is wrong or was already used. Enter the current 6-digit code from your authenticator app, or one of your recovery codes.",
                "Код неверный или уже использован. Введите текущий 6-значный код из приложения-аутентификатора или один из кодов восстановления.",
            ),
            MfaLoginExpired => s(
                "This log-in has expired. Enter your e-mail and password again.",
                "Время входа истекло. Введите почту и пароль ещё раз.",
            ),
            MfaAlreadyEnabled => s(
                "Two-factor authentication is already on.",
                "Двухфакторная аутентификация уже включена.",
            ),
            MfaNotEnabled => s(
                "Two-factor authentication is not on.",
                "Двухфакторная аутентификация не включена.",
            ),
            MfaStaffMustKeep => s(
                "Staff accounts must keep two-factor authentication on. You can set up a new authenticator or new recovery codes instead.",
                "Для аккаунтов персонала двухфакторная аутентификация обязательна. Можно подключить новое приложение или получить новые коды восстановления.",
            ),
        }
    }
}

/// Why a new password is easy to guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WeakReason {
    /// One of the most common passwords, or close to one.
    Common,
    /// Built on the person's e-mail or name.
    Personal,
    /// A single word or name.
    Word,
    Repeats,
    /// Like abc or 6543.
    Sequence,
    /// Neighbouring keys, like qwerty.
    Keyboard,
    /// A date or a year.
    Date,
    /// Nothing in particular: simply too few combinations.
    Guessable,
}

impl WeakReason {
    /// The reason in the given language.
    pub fn text(self, locale: Locale) -> &'static str {
        use WeakReason::*;
        let (en, ru) = match self {
            Common => (
                "It is one of the most common passwords, which are tried first.",
                "Это один из самых распространённых паролей — их пробуют первыми.",
            ),
            Personal => (
                "It contains your name or e-mail.",
                "В нём есть ваше имя или почта.",
            ),
            Word => (
                "A single word or name is easy to guess, even with capitals or digits.",
                "Одно слово или имя легко угадать, даже с заглавными буквами или цифрами.",
            ),
            Repeats => (
                "Repeated letters or words are easy to guess.",
                "Повторы букв или слов легко угадать.",
            ),
            Sequence => (
                "Sequences like abc or 6543 are easy to guess.",
                "Последовательности вроде abc или 6543 легко угадать.",
            ),
            Keyboard => (
                "Rows of neighbouring keys, like qwerty, are easy to guess.",
                "Ряды соседних клавиш, например qwerty, легко угадать.",
            ),
            Date => (
                "Dates and years are easy to guess.",
                "Даты и годы легко угадать.",
            ),
            Guessable => (
                "It would be found quickly by trying combinations.",
                "Его быстро подберут перебором.",
            ),
        };
        if locale == Locale::Ru { ru } else { en }
    }
}

impl From<AccountMsg> for crate::error::Msg {
    fn from(m: AccountMsg) -> Self {
        crate::error::Msg::Account(m)
    }
}
