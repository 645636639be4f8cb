//! The messages of video that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason video gives; wrapped in `Msg::Video`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VideoMsg {
    NotVideo,
    NoVideoStream,
    Truncated,
    Empty,
    TooBig { max_mb: u32 },
    TooLong { max_minutes: u32 },
    Resolution,
    ProcessingFailed,
    NotReady,
    UploadOffsetMismatch,
    CaptionsInvalid,
    CaptionsTooBig,
    LanguageInvalid,
}

impl VideoMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use VideoMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            NotVideo => s(
                "This file is not a video we can read.",
                "Этот файл не является видео, которое мы можем прочитать.",
            ),
            NoVideoStream => s(
                "This file has no video stream (only sound?).",
                "В этом файле нет видеодорожки (только звук?).",
            ),
            Truncated => s(
                "The file is truncated: it looks cut off. Upload the whole file again.",
                "Файл обрезан: похоже, он загружен не полностью. Загрузите весь файл ещё раз.",
            ),
            Empty => s("The file is empty.", "Файл пустой."),
            TooBig { max_mb } => {
                if ru {
                    format!("Видео слишком большое: не больше {} ГБ.", fmt_gb(max_mb))
                } else {
                    format!("The video is too large: at most {} GB.", fmt_gb(max_mb))
                }
            }
            TooLong { max_minutes } => {
                if ru {
                    format!("Видео слишком длинное: не больше {max_minutes} минут.")
                } else {
                    format!("The video is too long: at most {max_minutes} minutes.")
                }
            }
            Resolution => s(
                "The video's picture must be between 16×16 and 7680×4320 pixels.",
                "Размер кадра должен быть от 16×16 до 7680×4320 пикселей.",
            ),
            ProcessingFailed => s(
                "We could not process this video. Try again, or upload another file.",
                "Не удалось обработать видео. Попробуйте ещё раз или загрузите другой файл.",
            ),
            NotReady => s("The video is not ready yet.", "Видео ещё не готово."),
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
        }
    }
}

impl From<VideoMsg> for crate::error::Msg {
    fn from(m: VideoMsg) -> Self {
        crate::error::Msg::Video(m)
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
