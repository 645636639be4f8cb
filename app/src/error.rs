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
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    BadInput,
    NotAuthenticated,
    Forbidden,
    /// The action needs a confirmed e-mail address.
    EmailUnconfirmed,
    NotFound,
    Internal,
    Network,
    RateLimited {
        minutes: u32,
    },
    ImageTooLarge {
        max_mb: u32,
    },
    ImageUnsupported,
    ImageCorrupt,
    ImageDimensions,
    /// More pixels (or bytes once decoded) than a picture may take.
    ImageTooManyPixels {
        megapixels: u32,
    },
    NumberOutOfRange {
        min: i64,
        max: i64,
    },
    LanguageUnknown,
    CurrencyUnknown,
    TooMany {
        max: u32,
    },
    /// An upload would take its owner past their storage quota.
    StorageFull {
        used_mb: u32,
        quota_mb: u32,
    },
    Account(crate::accounts::AccountMsg),
    Profile(crate::profiles::ProfileMsg),
    Video(crate::video::VideoMsg),
    Feed(crate::feed::FeedMsg),
    Course(crate::courses::CourseMsg),
    Quiz(crate::quizzes::QuizMsg),
    Certificate(crate::certificates::CertificateMsg),
    Payment(crate::payments::PaymentMsg),
    Admin(crate::admin::AdminMsg),
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
            NotAuthenticated => s("Please log in to continue.", "Войдите, чтобы продолжить."),
            Forbidden => s(
                "You are not allowed to do this.",
                "У вас нет прав на это действие.",
            ),
            EmailUnconfirmed => s(
                "Confirm your e-mail address first: we sent you a code when you signed up.",
                "Сначала подтвердите адрес почты: мы отправили код при регистрации.",
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
            ImageTooManyPixels { megapixels } => {
                if ru {
                    format!(
                        "Изображение слишком велико для обработки: не больше {megapixels} мегапикселей (например, 6000×4000) и 8 бит на канал. Уменьшите его и загрузите снова."
                    )
                } else {
                    format!(
                        "The image is too large to process: at most {megapixels} megapixels (e.g. 6000×4000) at 8 bits per channel. Make it smaller and upload it again."
                    )
                }
            }
            NumberOutOfRange { min, max } => {
                if ru {
                    format!("Введите число от {min} до {max}.")
                } else {
                    format!("Enter a number from {min} to {max}.")
                }
            }
            LanguageUnknown => s("Unknown language.", "Неизвестный язык."),
            CurrencyUnknown => s("Unknown currency.", "Неизвестная валюта."),
            TooMany { max } => {
                if ru {
                    format!("Выберите не больше {max}.")
                } else {
                    format!("Choose at most {max}.")
                }
            }
            StorageFull { used_mb, quota_mb } => {
                if ru {
                    format!(
                        "Место закончилось: занято {used_mb} МБ из {quota_mb} МБ. Удалите ненужные видео или файлы уроков и попробуйте снова."
                    )
                } else {
                    format!(
                        "Your storage is full: {used_mb} MB of {quota_mb} MB used. Delete videos or lesson files you no longer need and try again."
                    )
                }
            }
            Account(m) => m.text(locale),
            Profile(m) => m.text(locale),
            Video(m) => m.text(locale),
            Feed(m) => m.text(locale),
            Course(m) => m.text(locale),
            Quiz(m) => m.text(locale),
            Certificate(m) => m.text(locale),
            Payment(m) => m.text(locale),
            Admin(m) => m.text(locale),
        }
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
    /// Posting, commenting, enrolling and paying need a confirmed e-mail address (reading does not).
    #[error("e-mail not confirmed")]
    EmailUnconfirmed,
    /// A staff role is held but this session has not proved a second factor.
    #[error("two-factor authentication required")]
    MfaRequired,
    /// The account is banned (said only after its password was right), with the staff's reason.
    #[error("account suspended")]
    Suspended { reason: String },
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
    pub fn field(field: &str, msg: impl Into<Msg>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_string(),
            msg: msg.into(),
        }])
    }

    /// A conflict with the current state, for the whole form.
    pub fn conflict(msg: impl Into<Msg>) -> Self {
        AppError::Conflict(msg.into())
    }

    /// A request that cannot be carried out as sent, for the whole form.
    pub fn bad_request(msg: impl Into<Msg>) -> Self {
        AppError::BadRequest(msg.into())
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
            AppError::EmailUnconfirmed => Msg::EmailUnconfirmed,
            AppError::MfaRequired => Msg::Account(crate::accounts::AccountMsg::MfaRequiredForStaff),
            AppError::Suspended { .. } => Msg::Account(crate::accounts::AccountMsg::Suspended),
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
            AppError::Forbidden
            | AppError::EmailUnconfirmed
            | AppError::MfaRequired
            | AppError::Suspended { .. } => 403,
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

/// A unique-constraint violation as the error the caller names (realworld-axum-sqlx's
/// `on_constraint`): `db::insert_course(…).await.on_unique(|| AppError::field("slug", …))`.
#[cfg(feature = "ssr")]
pub trait OnUnique<T> {
    fn on_unique(self, f: impl FnOnce() -> AppError) -> Result<T, AppError>;
}

#[cfg(feature = "ssr")]
impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, f: impl FnOnce() -> AppError) -> Result<T, AppError> {
        self.map_err(|e| match &e {
            sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                f()
            }
            _ => e.into(),
        })
    }
}

/// Plain axum handlers (uploads, media, webhooks, streams, REST) return `Result<_, AppError>`:
/// the status of [`AppError::status`], the error as JSON (what server functions send, so one
/// client decodes both), `Retry-After` when rate limited, and never cached.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, StatusCode, header};
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = match &self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let mut res = (status, axum::Json(self)).into_response();
        let h = res.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(secs) = retry
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            h.insert(header::RETRY_AFTER, v);
        }
        res
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
    pub fn add(&mut self, field: &str, msg: impl Into<Msg>) {
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError {
                field: field.to_string(),
                msg: msg.into(),
            });
        }
    }
    pub fn check<M: Into<Msg>>(&mut self, field: &str, result: Result<(), M>) {
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
            Msg::Account(crate::accounts::AccountMsg::EmailInvalid),
            Msg::Account(crate::accounts::AccountMsg::InvalidCredentials),
            Msg::ImageUnsupported,
            Msg::Account(crate::accounts::AccountMsg::CodeInvalid),
        ] {
            assert_ne!(m.text(Locale::En), m.text(Locale::Ru));
        }
    }
}
