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
    SlugInvalid,
    SlugTaken,
    CategoryUnknown,
    IllegalTransition,
    AlreadyEnrolled,
    CourseNotOpen,
    StructureChanged,
    CourseIncomplete,
    AttachmentType,
    AttachmentTooBig { max_mb: u32 },
    PriceInvalid,
    QuizNoTitle,
    QuizNoQuestions,
    QuizTooManyQuestions { max: u32 },
    QuizEmptyPrompt,
    QuizPointsRange,
    QuizEmptyExplanation,
    QuizKindMismatch,
    QuizTooFewOptions { min: u32 },
    QuizTooManyOptions { max: u32 },
    QuizEmptyOption,
    QuizDuplicateOption,
    QuizNoCorrectOption,
    QuizOneCorrectOption,
    QuizCorrectIndex,
    QuizNoAcceptedAnswer,
    QuizTooManyAnswers { max: u32 },
    QuizEmptyAnswer,
    QuizDuplicateAnswer,
    QuizMultiline,
    QuizPassRange,
    QuizAttemptsRange,
    QuizTimeRange,
    QuizFormat,
    QuizUnknownLine,
    QuizUnknownKey,
    QuizDuplicateKey,
    QuizSettingsFirst,
    QuizOutsideQuestion,
    QuizLineNotForKind,
    QuizOrderNumber { expected: u32 },
    QuizContinuation,
    QuizShuffleValue,
    QuizLine { line: u32 },
    QuizQuestion { number: u32 },
    QuizNoAttemptsLeft,
    QuizAlreadySubmitted,
    QuizTimeUp,
    QuizNotSubmitted,
    QuizAnswerInvalid,
    CertificateAlreadyRevoked,
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
            AlreadyEnrolled => s(
                "You are already enrolled in this course.",
                "Вы уже записаны на этот курс.",
            ),
            CourseNotOpen => s(
                "This course is not open for enrollment.",
                "Запись на этот курс закрыта.",
            ),
            StructureChanged => s(
                "Someone else changed this course meanwhile. The latest version is loaded; make your change again.",
                "Курс тем временем изменил кто-то другой. Загружена последняя версия — повторите изменение.",
            ),
            CourseIncomplete => s(
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
            QuizNoTitle => s("Give the quiz a title.", "Укажите название теста."),
            QuizNoQuestions => s(
                "Add at least one question.",
                "Добавьте хотя бы один вопрос.",
            ),
            QuizTooManyQuestions { max } => {
                if ru {
                    format!("В тесте может быть не больше {max} вопросов.")
                } else {
                    format!("A quiz can have at most {max} questions.")
                }
            }
            QuizEmptyPrompt => s("Write the question text.", "Напишите текст вопроса."),
            QuizPointsRange => s(
                "Points must be a whole number from 1 to 100.",
                "Баллы — целое число от 1 до 100.",
            ),
            QuizEmptyExplanation => s(
                "The explanation is empty: write it or remove it.",
                "Пояснение пустое: напишите его или удалите.",
            ),
            QuizKindMismatch => s(
                "This question has data its type does not use: options belong to choice and ordering questions, accepted answers to text questions. Remove them or change the type.",
                "В вопросе есть данные, которые его тип не использует: варианты — для вопросов с выбором и на порядок, правильные ответы текстом — для вопросов с вводом ответа. Удалите их или смените тип вопроса.",
            ),
            QuizTooFewOptions { min } => {
                if ru {
                    format!("Нужно не меньше {min} вариантов ответа.")
                } else {
                    format!("Give at least {min} options.")
                }
            }
            QuizTooManyOptions { max } => {
                if ru {
                    format!("Вариантов ответа может быть не больше {max}.")
                } else {
                    format!("A question can have at most {max} options.")
                }
            }
            QuizEmptyOption => s(
                "This option is empty: write it or remove it.",
                "Вариант ответа пустой: заполните его или удалите.",
            ),
            QuizDuplicateOption => s(
                "This option repeats another one (case, extra spaces and ё/е are ignored).",
                "Этот вариант повторяет другой (регистр, лишние пробелы и ё/е не учитываются).",
            ),
            QuizNoCorrectOption => s(
                "Mark at least one option as correct.",
                "Отметьте хотя бы один правильный вариант.",
            ),
            QuizOneCorrectOption => s(
                "A single-choice question has exactly one correct option. Leave one, or make it a multiple-choice question.",
                "В вопросе с одним ответом правильный вариант ровно один. Оставьте один или сделайте вопрос с несколькими ответами.",
            ),
            QuizCorrectIndex => s(
                "A correct answer points to an option that does not exist, or is marked twice.",
                "Правильный ответ указывает на несуществующий вариант или отмечен дважды.",
            ),
            QuizNoAcceptedAnswer => s(
                "Add at least one accepted answer.",
                "Добавьте хотя бы один правильный ответ.",
            ),
            QuizTooManyAnswers { max } => {
                if ru {
                    format!("Правильных ответов может быть не больше {max}.")
                } else {
                    format!("A question can have at most {max} accepted answers.")
                }
            }
            QuizEmptyAnswer => s(
                "This accepted answer is empty: write it or remove it.",
                "Правильный ответ пустой: заполните его или удалите.",
            ),
            QuizDuplicateAnswer => s(
                "This answer repeats another one (case, extra spaces and ё/е are ignored).",
                "Этот ответ повторяет другой (регистр, лишние пробелы и ё/е не учитываются).",
            ),
            QuizMultiline => s(
                "Options, answers and the title must fit on one line.",
                "Варианты, ответы и название должны умещаться в одну строку.",
            ),
            QuizPassRange => s(
                "The passing score is a percentage from 1 to 100.",
                "Проходной балл — процент от 1 до 100.",
            ),
            QuizAttemptsRange => s(
                "Attempts: a number from 1 to 100, or unlimited.",
                "Число попыток — от 1 до 100 или без ограничений.",
            ),
            QuizTimeRange => s(
                "The time limit is a number of minutes from 1 to 600; leave it out for no limit.",
                "Ограничение времени — число минут от 1 до 600; уберите его, если время не ограничено.",
            ),
            QuizFormat => s(
                "This is not a valid quiz file: check the brackets, quotes, commas and field names.",
                "Это не файл теста: проверьте скобки, кавычки, запятые и названия полей.",
            ),
            QuizUnknownLine => s(
                "This line is not understood. Start a question with “?”, options with “+” (correct) or “-”, accepted answers with “=”, items to order with “1.”, settings with a name and a colon; indent the lines that continue a question's text.",
                "Строка не распознана. Вопрос начинается с «?», варианты — с «+» (правильный) или «-», правильные ответы — с «=», элементы для упорядочивания — с «1.», настройки — с названия и двоеточия; строки, продолжающие текст вопроса, пишите с отступом.",
            ),
            QuizUnknownKey => s(
                "Unknown setting. Before the questions: title, pass, attempts, time, shuffle; in a question: points, explain.",
                "Неизвестная настройка. Перед вопросами: название, порог, попытки, время, перемешать (или title, pass, attempts, time, shuffle); в вопросе: баллы, пояснение (points, explain).",
            ),
            QuizDuplicateKey => s(
                "This setting is already given above.",
                "Эта настройка уже указана выше.",
            ),
            QuizSettingsFirst => s(
                "Quiz settings go before the first question.",
                "Настройки теста указываются до первого вопроса.",
            ),
            QuizOutsideQuestion => s(
                "This line belongs to a question: start one above it with “?”.",
                "Эта строка относится к вопросу: начните вопрос выше строкой с «?».",
            ),
            QuizLineNotForKind => s(
                "This line does not fit the question type: “+”/“-” options are for “?” and “??” questions, “=” answers for “?=”, numbered items for “?>”.",
                "Строка не подходит к типу вопроса: варианты «+»/«-» — для вопросов «?» и «??», ответы «=» — для «?=», нумерованные элементы — для «?>».",
            ),
            QuizOrderNumber { expected } => {
                if ru {
                    format!(
                        "Нумеруйте элементы по порядку: 1, 2, 3… У этого должен быть номер {expected}."
                    )
                } else {
                    format!(
                        "Number the items 1, 2, 3… in the correct order: this one should be {expected}."
                    )
                }
            }
            QuizContinuation => s(
                "An indented line continues the text of a question or explanation, but there is none right above it.",
                "Строка с отступом продолжает текст вопроса или пояснения, но прямо над ней такого текста нет.",
            ),
            QuizShuffleValue => s(
                "Shuffle: write questions, options, both, or none.",
                "Перемешивание: укажите вопросы, варианты, и то и другое, или нет (questions, options, none).",
            ),
            QuizLine { line } => {
                if ru {
                    format!("Строка {line}")
                } else {
                    format!("Line {line}")
                }
            }
            QuizQuestion { number } => {
                if ru {
                    format!("Вопрос {number}")
                } else {
                    format!("Question {number}")
                }
            }
            QuizNoAttemptsLeft => s(
                "You have used all the attempts this quiz allows.",
                "Вы использовали все попытки, которые даёт этот тест.",
            ),
            QuizAlreadySubmitted => s(
                "This attempt has already been submitted.",
                "Эта попытка уже отправлена.",
            ),
            QuizTimeUp => s(
                "Time is up: the attempt was closed with the answers saved before the deadline.",
                "Время вышло: попытка завершена с ответами, сохранёнными до конца времени.",
            ),
            QuizNotSubmitted => s(
                "The results appear once the attempt is submitted.",
                "Результаты появятся после отправки попытки.",
            ),
            QuizAnswerInvalid => s(
                "This answer does not fit the question. Reload the page and answer again.",
                "Этот ответ не подходит к вопросу. Обновите страницу и ответьте снова.",
            ),
            CertificateAlreadyRevoked => s(
                "This certificate has already been revoked.",
                "Этот сертификат уже отозван.",
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
