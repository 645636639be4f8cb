//! The one error type every server function returns, shared by server and browser.
//!
//! Variants name what the UI must react to; `Msg` names each user-visible reason so that the
//! browser can show it in the reader's language. SQL and internal details never cross the wire.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A user-visible reason, translated at the edge (`Msg::text`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Msg {
    Required,
    TooShort { min: u32 },
    TooLong { max: u32 },
    BadInput,
    EmailInvalid,
    EmailTaken,
    PasswordTooShort { min: u32 },
    PasswordTooLong { max: u32 },
    PasswordWeak,
    PasswordsDiffer,
    InvalidCredentials,
    WrongCurrentPassword,
    CodeInvalid,
    CodeExpired,
    CodeAttemptsExhausted,
    AlreadyConfirmed,
    ResetLinkInvalid,
    RoleInvalid,
    NotAuthenticated,
    Forbidden,
    NotFound,
    Internal,
    Network,
    RateLimited { minutes: u32 },
    ImageTooLarge { max_mb: u32 },
    ImageUnsupported,
    ImageCorrupt,
    ImageDimensions,
    NumberOutOfRange { min: i64, max: i64 },
    SubjectUnknown,
    LanguageUnknown,
    CurrencyUnknown,
    TooMany { max: u32 },
    CannotFollowSelf,
    VisibilityInvalid,
    EmailNotConfirmed,
    HandleInvalid,
    HandleTaken,
    VideoNotVideo,
    VideoNoVideoStream,
    VideoTruncated,
    VideoEmpty,
    VideoTooBig { max_mb: u32 },
    VideoTooLong { max_minutes: u32 },
    VideoResolution,
    VideoProcessingFailed,
    VideoNotReady,
    UploadOffsetMismatch,
    CaptionsInvalid,
    CaptionsTooBig,
    LanguageInvalid,
    TagInvalid,
    CommentWrongPost,
}

impl Msg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use Msg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            Required => s("This field is required.", "Заполните это поле."),
            TooShort { min } => {
                if ru {
                    format!("Слишком коротко: не меньше {min} символов.")
                } else {
                    format!("Too short: at least {min} characters.")
                }
            }
            TooLong { max } => {
                if ru {
                    format!("Слишком длинно: не больше {max} символов.")
                } else {
                    format!("Too long: at most {max} characters.")
                }
            }
            BadInput => s(
                "The form was sent with invalid data. Reload the page and try again.",
                "Форма отправлена с неверными данными. Обновите страницу и попробуйте снова.",
            ),
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
            PasswordsDiffer => s("The passwords do not match.", "Пароли не совпадают."),
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
            NotAuthenticated => s("Please log in to continue.", "Войдите, чтобы продолжить."),
            Forbidden => s(
                "You are not allowed to do this.",
                "У вас нет прав на это действие.",
            ),
            NotFound => s("Not found.", "Не найдено."),
            Internal => s(
                "Something went wrong on our side. Please try again.",
                "Что-то пошло не так на нашей стороне. Попробуйте ещё раз.",
            ),
            Network => s(
                "Could not reach the server. Check your connection and try again.",
                "Не удалось связаться с сервером. Проверьте соединение и попробуйте снова.",
            ),
            RateLimited { minutes } => {
                if ru {
                    format!(
                        "Слишком много попыток. Попробуйте снова через {minutes} {}.",
                        ru_minutes(minutes)
                    )
                } else if minutes == 1 {
                    "Too many attempts. Try again in 1 minute.".to_string()
                } else {
                    format!("Too many attempts. Try again in {minutes} minutes.")
                }
            }
            ImageTooLarge { max_mb } => {
                if ru {
                    format!("Файл слишком большой: не больше {max_mb} МБ.")
                } else {
                    format!("The file is too large: at most {max_mb} MB.")
                }
            }
            ImageUnsupported => s(
                "This file is not a JPEG, PNG or WebP image.",
                "Этот файл не является изображением JPEG, PNG или WebP.",
            ),
            ImageCorrupt => s(
                "The image could not be read: the file is damaged.",
                "Не удалось прочитать изображение: файл повреждён.",
            ),
            ImageDimensions => s(
                "The image must be between 64×64 and 8000×8000 pixels.",
                "Размер изображения должен быть от 64×64 до 8000×8000 пикселей.",
            ),
            NumberOutOfRange { min, max } => {
                if ru {
                    format!("Введите число от {min} до {max}.")
                } else {
                    format!("Enter a number from {min} to {max}.")
                }
            }
            SubjectUnknown => s("Unknown subject.", "Неизвестный предмет."),
            LanguageUnknown => s("Unknown language.", "Неизвестный язык."),
            CurrencyUnknown => s("Unknown currency.", "Неизвестная валюта."),
            TooMany { max } => {
                if ru {
                    format!("Выберите не больше {max}.")
                } else {
                    format!("Choose at most {max}.")
                }
            }
            CannotFollowSelf => s(
                "You cannot follow yourself.",
                "Нельзя подписаться на самого себя.",
            ),
            VisibilityInvalid => s("Unknown visibility.", "Неизвестная видимость."),
            EmailNotConfirmed => s("Confirm your e-mail first.", "Сначала подтвердите почту."),
            HandleInvalid => s(
                "Use 3–30 latin letters, digits or hyphens.",
                "Используйте 3–30 латинских букв, цифр или дефисов.",
            ),
            HandleTaken => s("This address is taken.", "Этот адрес уже занят."),
            VideoNotVideo => s(
                "This file is not a video we can read.",
                "Этот файл не является видео, которое мы можем прочитать.",
            ),
            VideoNoVideoStream => s(
                "This file has no video stream (only sound?).",
                "В этом файле нет видеодорожки (только звук?).",
            ),
            VideoTruncated => s(
                "The file is truncated: it looks cut off. Upload the whole file again.",
                "Файл обрезан: похоже, он загружен не полностью. Загрузите весь файл ещё раз.",
            ),
            VideoEmpty => s("The file is empty.", "Файл пустой."),
            VideoTooBig { max_mb } => {
                if ru {
                    format!("Видео слишком большое: не больше {} ГБ.", fmt_gb(max_mb))
                } else {
                    format!("The video is too large: at most {} GB.", fmt_gb(max_mb))
                }
            }
            VideoTooLong { max_minutes } => {
                if ru {
                    format!("Видео слишком длинное: не больше {max_minutes} минут.")
                } else {
                    format!("The video is too long: at most {max_minutes} minutes.")
                }
            }
            VideoResolution => s(
                "The video's picture must be between 16×16 and 7680×4320 pixels.",
                "Размер кадра должен быть от 16×16 до 7680×4320 пикселей.",
            ),
            VideoProcessingFailed => s(
                "We could not process this video. Try again, or upload another file.",
                "Не удалось обработать видео. Попробуйте ещё раз или загрузите другой файл.",
            ),
            VideoNotReady => s("The video is not ready yet.", "Видео ещё не готово."),
            UploadOffsetMismatch => s(
                "The upload went out of step; it continues from where the server stopped.",
                "Загрузка сбилась; она продолжится с места, где остановился сервер.",
            ),
            CaptionsInvalid => s(
                "This is not a WebVTT captions file (it must start with WEBVTT).",
                "Это не файл субтитров WebVTT (он должен начинаться с WEBVTT).",
            ),
            CaptionsTooBig => s(
                "The captions file is too large: at most 1 MB.",
                "Файл субтитров слишком большой: не больше 1 МБ.",
            ),
            LanguageInvalid => s("Choose a language.", "Выберите язык."),
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

/// "2", "1.5" gigabytes from megabytes.
fn fmt_gb(mb: u32) -> String {
    let gb = mb as f64 / 1024.0;
    if (gb - gb.round()).abs() < 0.05 {
        format!("{}", gb.round() as u64)
    } else {
        format!("{gb:.1}")
    }
}

/// "минуту", "минуты", "минут" for a count.
pub fn ru_minutes(n: u32) -> &'static str {
    let (d, dd) = (n % 10, n % 100);
    if d == 1 && dd != 11 {
        "минуту"
    } else if (2..=4).contains(&d) && !(12..=14).contains(&dd) {
        "минуты"
    } else {
        "минут"
    }
}

/// A message about one form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

/// What a server function can fail with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not authenticated")]
    NotAuthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    #[error("bad request: {0:?}")]
    BadRequest(Msg),
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    #[error("network error")]
    Network,
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// One field's validation error.
    pub fn field(field: &str, msg: Msg) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_string(),
            msg,
        }])
    }

    /// The message for a field, if this error names it.
    pub fn field_msg(&self, field: &str) -> Option<Msg> {
        match self {
            AppError::Validation(list) => list.iter().find(|e| e.field == field).map(|e| e.msg),
            _ => None,
        }
    }

    /// The message to show for the whole form.
    pub fn msg(&self) -> Msg {
        match self {
            AppError::NotAuthenticated => Msg::NotAuthenticated,
            AppError::Forbidden => Msg::Forbidden,
            AppError::NotFound => Msg::NotFound,
            AppError::Validation(list) => list.first().map(|e| e.msg).unwrap_or(Msg::BadInput),
            AppError::Conflict(m) | AppError::BadRequest(m) => *m,
            AppError::RateLimited { retry_after_secs } => Msg::RateLimited {
                minutes: retry_after_secs.div_ceil(60).max(1) as u32,
            },
            AppError::Network => Msg::Network,
            AppError::Internal => Msg::Internal,
        }
    }

    /// The HTTP status that fits this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotAuthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) | AppError::BadRequest(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Network => 503,
            AppError::Internal => 500,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) => AppError::Network,
            E::Args(_) | E::MissingArg(_) | E::Deserialization(_) => {
                AppError::BadRequest(Msg::BadInput)
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                AppError::Conflict(Msg::BadInput)
            }
            _ => {
                tracing::error!(error = %e, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!(error = %e, "internal error");
        AppError::Internal
    }
}

/// Collects field errors during validation.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, msg: Msg) {
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError {
                field: field.to_string(),
                msg,
            });
        }
    }
    pub fn check(&mut self, field: &str, result: Result<(), Msg>) {
        if let Err(m) = result {
            self.add(field, m);
        }
    }
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_minutes_agree_with_the_number() {
        assert_eq!(ru_minutes(1), "минуту");
        assert_eq!(ru_minutes(3), "минуты");
        assert_eq!(ru_minutes(5), "минут");
        assert_eq!(ru_minutes(11), "минут");
        assert_eq!(ru_minutes(21), "минуту");
        assert_eq!(ru_minutes(14), "минут");
    }

    #[test]
    fn rate_limit_message_rounds_up_to_whole_minutes() {
        let e = AppError::RateLimited {
            retry_after_secs: 61,
        };
        assert_eq!(
            e.msg().text(Locale::En),
            "Too many attempts. Try again in 2 minutes."
        );
        assert_eq!(
            e.msg().text(Locale::Ru),
            "Слишком много попыток. Попробуйте снова через 2 минуты."
        );
    }

    #[test]
    fn every_message_has_distinct_english_and_russian_text() {
        for m in [
            Msg::Required,
            Msg::EmailInvalid,
            Msg::InvalidCredentials,
            Msg::ImageUnsupported,
            Msg::CodeInvalid,
        ] {
            assert_ne!(m.text(Locale::En), m.text(Locale::Ru));
        }
    }
}
