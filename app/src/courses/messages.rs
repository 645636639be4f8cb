//! The messages of courses that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason courses gives; wrapped in `Msg::Course`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseMsg {
    SlugInvalid,
    SlugTaken,
    CategoryUnknown,
    IllegalTransition,
    AlreadyEnrolled,
    NotOpen,
    StructureChanged,
    Incomplete,
    AttachmentType,
    AttachmentTooBig { max_mb: u32 },
    PriceInvalid,
    PassQuizToComplete,
}

impl CourseMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use CourseMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            SlugInvalid => s(
                "Use 3–60 latin letters, digits or hyphens.",
                "Используйте 3–60 латинских букв, цифр или дефисов.",
            ),
            SlugTaken => s(
                "This address is taken by another course.",
                "Этот адрес уже занят другим курсом.",
            ),
            CategoryUnknown => s("Choose a category.", "Выберите категорию."),
            IllegalTransition => s(
                "The course cannot move to this state now. Reload the page to see where it stands.",
                "Курс нельзя перевести в это состояние сейчас. Обновите страницу, чтобы увидеть его статус.",
            ),
            PassQuizToComplete => s(
                "This lesson is completed by passing its quiz.",
                "Этот урок засчитывается после сдачи его теста.",
            ),
            AlreadyEnrolled => s(
                "You are already enrolled in this course.",
                "Вы уже записаны на этот курс.",
            ),
            NotOpen => s(
                "This course is not open for enrollment.",
                "Запись на этот курс закрыта.",
            ),
            StructureChanged => s(
                "Someone else changed this course meanwhile. The latest version is loaded; make your change again.",
                "Курс тем временем изменил кто-то другой. Загружена последняя версия — повторите изменение.",
            ),
            Incomplete => s(
                "Add a description and at least one lesson before sending the course for review.",
                "Перед отправкой на проверку добавьте описание и хотя бы один урок.",
            ),
            AttachmentType => s(
                "Attach a PDF, a presentation, a document or an archive (PDF, PPTX, DOCX, XLSX, ODP, ZIP).",
                "Прикрепите PDF, презентацию, документ или архив (PDF, PPTX, DOCX, XLSX, ODP, ZIP).",
            ),
            AttachmentTooBig { max_mb } => {
                if ru {
                    format!("Файл слишком большой: не больше {max_mb} МБ.")
                } else {
                    format!("The file is too large: at most {max_mb} MB.")
                }
            }
            PriceInvalid => s(
                "Enter a price from 0 to 1 000 000, like 1990 or 19.90; leave it empty for a free course.",
                "Введите цену от 0 до 1 000 000, например 1990 или 19,90; оставьте пустым для бесплатного курса.",
            ),
        }
    }
}

impl From<CourseMsg> for crate::error::Msg {
    fn from(m: CourseMsg) -> Self {
        crate::error::Msg::Course(m)
    }
}
