//! The messages of quizzes that people see, in English and Russian.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A reason quizzes gives; wrapped in `Msg::Quiz`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuizMsg {
    NoTitle,
    NoQuestions,
    TooManyQuestions { max: u32 },
    EmptyPrompt,
    PointsRange,
    EmptyExplanation,
    KindMismatch,
    TooFewOptions { min: u32 },
    TooManyOptions { max: u32 },
    EmptyOption,
    DuplicateOption,
    NoCorrectOption,
    OneCorrectOption,
    CorrectIndex,
    NoAcceptedAnswer,
    TooManyAnswers { max: u32 },
    EmptyAnswer,
    DuplicateAnswer,
    Multiline,
    PassRange,
    AttemptsRange,
    TimeRange,
    Format,
    UnknownLine,
    UnknownKey,
    DuplicateKey,
    SettingsFirst,
    OutsideQuestion,
    LineNotForKind,
    OrderNumber { expected: u32 },
    Continuation,
    ShuffleValue,
    ReviewValue,
    RequiredValue,
    Line { line: u32 },
    Question { number: u32 },
    NoAttemptsLeft,
    AlreadySubmitted,
    TimeUp,
    NotSubmitted,
    AnswerInvalid,
}

impl QuizMsg {
    /// The message in the given language.
    pub fn text(self, locale: Locale) -> String {
        use QuizMsg::*;
        let ru = locale == Locale::Ru;
        let s = |en: &str, ru_s: &str| if ru { ru_s.to_string() } else { en.to_string() };
        match self {
            NoTitle => s("Give the quiz a title.", "Укажите название теста."),
            NoQuestions => s(
                "Add at least one question.",
                "Добавьте хотя бы один вопрос.",
            ),
            TooManyQuestions { max } => {
                if ru {
                    format!("В тесте может быть не больше {max} вопросов.")
                } else {
                    format!("A quiz can have at most {max} questions.")
                }
            }
            EmptyPrompt => s("Write the question text.", "Напишите текст вопроса."),
            PointsRange => s(
                "Points must be a whole number from 1 to 100.",
                "Баллы — целое число от 1 до 100.",
            ),
            EmptyExplanation => s(
                "The explanation is empty: write it or remove it.",
                "Пояснение пустое: напишите его или удалите.",
            ),
            KindMismatch => s(
                "This question has data its type does not use: options belong to choice and ordering questions, accepted answers to text questions. Remove them or change the type.",
                "В вопросе есть данные, которые его тип не использует: варианты — для вопросов с выбором и на порядок, правильные ответы текстом — для вопросов с вводом ответа. Удалите их или смените тип вопроса.",
            ),
            TooFewOptions { min } => {
                if ru {
                    format!("Нужно не меньше {min} вариантов ответа.")
                } else {
                    format!("Give at least {min} options.")
                }
            }
            TooManyOptions { max } => {
                if ru {
                    format!("Вариантов ответа может быть не больше {max}.")
                } else {
                    format!("A question can have at most {max} options.")
                }
            }
            EmptyOption => s(
                "This option is empty: write it or remove it.",
                "Вариант ответа пустой: заполните его или удалите.",
            ),
            DuplicateOption => s(
                "This option repeats another one (case, extra spaces and ё/е are ignored).",
                "Этот вариант повторяет другой (регистр, лишние пробелы и ё/е не учитываются).",
            ),
            NoCorrectOption => s(
                "Mark at least one option as correct.",
                "Отметьте хотя бы один правильный вариант.",
            ),
            OneCorrectOption => s(
                "A single-choice question has exactly one correct option. Leave one, or make it a multiple-choice question.",
                "В вопросе с одним ответом правильный вариант ровно один. Оставьте один или сделайте вопрос с несколькими ответами.",
            ),
            CorrectIndex => s(
                "A correct answer points to an option that does not exist, or is marked twice.",
                "Правильный ответ указывает на несуществующий вариант или отмечен дважды.",
            ),
            NoAcceptedAnswer => s(
                "Add at least one accepted answer.",
                "Добавьте хотя бы один правильный ответ.",
            ),
            TooManyAnswers { max } => {
                if ru {
                    format!("Правильных ответов может быть не больше {max}.")
                } else {
                    format!("A question can have at most {max} accepted answers.")
                }
            }
            EmptyAnswer => s(
                "This accepted answer is empty: write it or remove it.",
                "Правильный ответ пустой: заполните его или удалите.",
            ),
            DuplicateAnswer => s(
                "This answer repeats another one (case, extra spaces and ё/е are ignored).",
                "Этот ответ повторяет другой (регистр, лишние пробелы и ё/е не учитываются).",
            ),
            Multiline => s(
                "Options, answers and the title must fit on one line.",
                "Варианты, ответы и название должны умещаться в одну строку.",
            ),
            PassRange => s(
                "The passing score is a percentage from 1 to 100.",
                "Проходной балл — процент от 1 до 100.",
            ),
            AttemptsRange => s(
                "Attempts: a number from 1 to 100, or unlimited.",
                "Число попыток — от 1 до 100 или без ограничений.",
            ),
            TimeRange => s(
                "The time limit is a number of minutes from 1 to 600; leave it out for no limit.",
                "Ограничение времени — число минут от 1 до 600; уберите его, если время не ограничено.",
            ),
            Format => s(
                "This is not a valid quiz file: check the brackets, quotes, commas and field names.",
                "Это не файл теста: проверьте скобки, кавычки, запятые и названия полей.",
            ),
            UnknownLine => s(
                "This line is not understood. Start a question with “?”, options with “+” (correct) or “-”, accepted answers with “=”, items to order with “1.”, settings with a name and a colon; indent the lines that continue a question's text.",
                "Строка не распознана. Вопрос начинается с «?», варианты — с «+» (правильный) или «-», правильные ответы — с «=», элементы для упорядочивания — с «1.», настройки — с названия и двоеточия; строки, продолжающие текст вопроса, пишите с отступом.",
            ),
            UnknownKey => s(
                "Unknown setting. Before the questions: title, pass, attempts, time, shuffle; in a question: points, explain.",
                "Неизвестная настройка. Перед вопросами: название, порог, попытки, время, перемешать (или title, pass, attempts, time, shuffle); в вопросе: баллы, пояснение (points, explain).",
            ),
            DuplicateKey => s(
                "This setting is already given above.",
                "Эта настройка уже указана выше.",
            ),
            SettingsFirst => s(
                "Quiz settings go before the first question.",
                "Настройки теста указываются до первого вопроса.",
            ),
            OutsideQuestion => s(
                "This line belongs to a question: start one above it with “?”.",
                "Эта строка относится к вопросу: начните вопрос выше строкой с «?».",
            ),
            LineNotForKind => s(
                "This line does not fit the question type: “+”/“-” options are for “?” and “??” questions, “=” answers for “?=”, numbered items for “?>”.",
                "Строка не подходит к типу вопроса: варианты «+»/«-» — для вопросов «?» и «??», ответы «=» — для «?=», нумерованные элементы — для «?>».",
            ),
            OrderNumber { expected } => {
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
            Continuation => s(
                "An indented line continues the text of a question or explanation, but there is none right above it.",
                "Строка с отступом продолжает текст вопроса или пояснения, но прямо над ней такого текста нет.",
            ),
            ShuffleValue => s(
                "Shuffle: write questions, options, both, or none.",
                "Перемешивание: укажите вопросы, варианты, и то и другое, или нет (questions, options, none).",
            ),
            ReviewValue => s(
                "Review: write each (after each attempt), pass (after a pass or the last attempt) or never.",
                "Разбор: укажите каждая (после каждой попытки), сдача (после сдачи или последней попытки) или никогда.",
            ),
            RequiredValue => s(
                "Required: write yes or no.",
                "Обязательный: укажите да или нет.",
            ),
            Line { line } => {
                if ru {
                    format!("Строка {line}")
                } else {
                    format!("Line {line}")
                }
            }
            Question { number } => {
                if ru {
                    format!("Вопрос {number}")
                } else {
                    format!("Question {number}")
                }
            }
            NoAttemptsLeft => s(
                "You have used all the attempts this quiz allows.",
                "Вы использовали все попытки, которые даёт этот тест.",
            ),
            AlreadySubmitted => s(
                "This attempt has already been submitted.",
                "Эта попытка уже отправлена.",
            ),
            TimeUp => s(
                "Time is up: the attempt was closed with the answers saved before the deadline.",
                "Время вышло: попытка завершена с ответами, сохранёнными до конца времени.",
            ),
            NotSubmitted => s(
                "The results appear once the attempt is submitted.",
                "Результаты появятся после отправки попытки.",
            ),
            AnswerInvalid => s(
                "This answer does not fit the question. Reload the page and answer again.",
                "Этот ответ не подходит к вопросу. Обновите страницу и ответьте снова.",
            ),
        }
    }
}

impl From<QuizMsg> for crate::error::Msg {
    fn from(m: QuizMsg) -> Self {
        crate::error::Msg::Quiz(m)
    }
}
