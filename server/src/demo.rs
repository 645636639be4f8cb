//! Demo data: tutors with avatars and bios, students, and follows, so that a new platform looks
//! alive. `tutorium demo` (or `scripts/run.sh`, which adds it to an empty platform).

use app::accounts::{Role, db as accounts_db, password};
use app::ids::{CourseId, UserId};
use app::profiles::{CleanProfile, avatar, db as profiles_db};
use app::server::auth::Actor;
use app::server::{AppState, now_ms, session};

pub const PASSWORD: &str = "demo-password-2026";

pub const SUMMARY: &str = concat!(
    "Demo data added: 6 tutors, 4 students (one of them a moderator), 4 courses (a learner part-way\n",
    "through the algebra course, another with its certificate), and tutors' posts with short\n",
    "videos, likes and comments (the videos are transcoded by the server's worker).\n",
    "Log in as any of them with the password demo-password-2026, e.g.\n",
    "  anna.petrova@demo.tutorium.local (tutor)\n",
    "  maria.ivanova@demo.tutorium.local (student)\n",
    "  sofia.rossi@demo.tutorium.local (moderator: /moderation/courses and /admin, once two-factor\n",
    "    authentication is set up in Settings → Security with any authenticator app)"
);

struct DemoCourse {
    author: usize,
    title: &'static str,
    slug: &'static str,
    description: &'static str,
    outcomes: &'static str,
    category: &'static str,
    level: app::courses::Level,
    language: &'static str,
    /// As typed into the course form: major units, "" for free.
    price: &'static str,
    currency: &'static str,
    /// (section title, its lessons)
    sections: &'static [(&'static str, &'static [DemoLesson])],
    /// The cover's hue.
    hue: u16,
    /// PDF handouts attached to its lessons.
    handouts: &'static [Handout],
}

/// (lesson index in the course, file name, title, paragraphs)
type Handout = (usize, &'static str, &'static str, &'static [&'static str]);

/// (lesson title, Markdown body, free preview)
type DemoLesson = (&'static str, &'static str, bool);

const COURSES: &[DemoCourse] = &[
    DemoCourse {
        author: 0,
        title: "Алгебра 8–9 класс: подготовка к ОГЭ",
        slug: "algebra-oge",
        description: "Курс для тех, кто хочет уверенно решать уравнения и понимать графики функций.\n\nКаждый урок — короткое объяснение, разобранные примеры и задачи для самопроверки. Подходит для подготовки к **ОГЭ** и для повторения перед 10 классом.",
        outcomes: "Решать линейные и квадратные уравнения\nСтроить графики линейной функции и параболы\nРазбирать задачи ОГЭ по алгебре",
        category: "math",
        level: app::courses::Level::Beginner,
        language: "ru",
        price: "",
        currency: "RUB",
        hue: 235,
        handouts: &[
            (
                0,
                "lineinye-uravneniya.pdf",
                "Линейные уравнения: шаги решения",
                &[
                    "Линейное уравнение имеет вид ax + b = 0, где a и b — числа, a ≠ 0.",
                    "- Раскройте скобки и приведите подобные слагаемые.",
                    "- Перенесите слагаемые с x влево, числа — вправо, меняя знак.",
                    "- Разделите обе части на коэффициент при x.",
                    "- Проверьте ответ: подставьте его в исходное уравнение.",
                    "Пример: 3(x − 2) = x + 4 → 3x − 6 = x + 4 → 2x = 10 → x = 5. Проверка: 3 · 3 = 9 и 5 + 4 = 9.",
                    "Для самопроверки: 5x + 7 = 2x − 8 (ответ: x = −5); 4(x + 1) = 2x (ответ: x = −2).",
                ],
            ),
            (
                1,
                "kvadratnye-uravneniya.pdf",
                "Памятка: квадратные уравнения",
                &[
                    "Уравнение ax² + bx + c = 0 (a ≠ 0) решается через дискриминант D = b² − 4ac.",
                    "- D > 0: два корня, x = (−b ± √D) / 2a.",
                    "- D = 0: один корень, x = −b / 2a.",
                    "- D < 0: действительных корней нет.",
                    "Теорема Виета: x₁ + x₂ = −b / a, x₁ · x₂ = c / a — удобно для проверки.",
                    "Пример: x² − 5x + 6 = 0. D = 25 − 24 = 1, x₁ = 2, x₂ = 3. Проверка: 2 + 3 = 5, 2 · 3 = 6.",
                ],
            ),
        ],
        sections: &[
            (
                "Уравнения",
                &[
                    (
                        "Линейные уравнения",
                        "Линейное уравнение имеет вид **ax + b = 0**.\n\n1. Перенесите свободный член вправо: *ax = −b*.\n2. Разделите на *a*: *x = −b / a* (если *a ≠ 0*).\n\nПример: 3x − 12 = 0, значит x = 4.",
                        true,
                    ),
                    (
                        "Квадратные уравнения",
                        "Уравнение **ax² + bx + c = 0** решается через дискриминант *D = b² − 4ac*.\n\n- D > 0 — два корня;\n- D = 0 — один корень;\n- D < 0 — действительных корней нет.",
                        false,
                    ),
                ],
            ),
            (
                "Функции и графики",
                &[
                    (
                        "Линейная функция и её график",
                        "График функции *y = kx + b* — прямая. Коэффициент *k* отвечает за наклон, *b* — за сдвиг по оси *y*.",
                        false,
                    ),
                    (
                        "Парабола",
                        "График *y = ax² + bx + c* — парабола. Вершина находится в точке *x₀ = −b / 2a*.",
                        false,
                    ),
                ],
            ),
        ],
    },
    DemoCourse {
        author: 2,
        title: "Основы программирования на Python",
        slug: "python-basics",
        description: "Практический курс программирования с нуля: переменные, условия, циклы, функции и первые проекты.\n\nПосле каждого урока — небольшая задача. Материалы к урокам можно скачать.",
        outcomes: "Писать программы на Python с условиями и циклами\nРазбивать задачу на функции\nЧитать сообщения об ошибках и исправлять их",
        category: "programming",
        level: app::courses::Level::Beginner,
        language: "ru",
        price: "1990",
        currency: "RUB",
        hue: 150,
        handouts: &[
            (
                0,
                "python-shpargalka.pdf",
                "Шпаргалка по Python: первые команды",
                &[
                    "print(\"Привет\") — вывести текст; input() — прочитать строку, которую ввёл человек.",
                    "- int(\"42\") и float(\"3.5\") превращают строку в число, str(42) — число в строку.",
                    "- len(\"текст\") — длина строки или списка.",
                    "- # — комментарий: Python пропускает всё после этого знака.",
                    "Запуск программы: python3 hello.py в терминале или кнопка Run в редакторе.",
                ],
            ),
            (
                3,
                "zadachi-na-cikly.pdf",
                "Задачи на циклы",
                &[
                    "1. Выведите числа от 1 до 10, каждое на своей строке (for и range).",
                    "2. Посчитайте сумму чисел от 1 до 100. Ответ: 5050.",
                    "3. Спрашивайте число, пока человек не введёт 0 (while).",
                    "4. Выведите таблицу умножения на 7.",
                    "Подсказка: range(1, 11) даёт числа от 1 до 10 — правая граница не входит.",
                ],
            ),
        ],
        sections: &[
            (
                "Первые шаги",
                &[
                    (
                        "Установка Python и первая программа",
                        "Установите Python с python.org и запустите:\n\n```\nprint(\"Привет, мир!\")\n```",
                        true,
                    ),
                    (
                        "Переменные и типы данных",
                        "Числа, строки и списки. Функция `type()` показывает тип значения.",
                        false,
                    ),
                ],
            ),
            (
                "Управление потоком",
                &[
                    (
                        "Условия if/elif/else",
                        "Условие выполняет блок кода, только если выражение истинно.",
                        false,
                    ),
                    (
                        "Циклы for и while",
                        "`for` перебирает элементы, `while` повторяет, пока условие истинно.",
                        false,
                    ),
                    (
                        "Функции",
                        "Функция объявляется словом `def` и возвращает значение через `return`.",
                        false,
                    ),
                ],
            ),
        ],
    },
    DemoCourse {
        author: 1,
        title: "Spoken English: from A2 to B1",
        slug: "spoken-english-a2-b1",
        description: "Speak more, freeze less. Short lessons on everyday topics with phrases you can use the same day.\n\nEach lesson has a dialogue, the key phrases and a speaking task.",
        outcomes: "Talk about your day, plans and experience\nAsk and answer questions without long pauses\nUse the present perfect naturally",
        category: "languages",
        level: app::courses::Level::Intermediate,
        language: "en",
        price: "2490",
        currency: "RUB",
        hue: 20,
        handouts: &[(
            0,
            "small-talk-phrases.pdf",
            "Small talk: phrases that work",
            &[
                "Open questions keep a conversation going; yes/no questions end it.",
                "- How was your weekend? — It was great, I finally went hiking. And yours?",
                "- What are you working on at the moment? — A new project at work, actually.",
                "- Have you been here before? — No, it's my first time. What do you recommend?",
                "Follow-ups: Really? How come? / That sounds fun — what was the best part?",
                "Practice: ask a friend all three questions today and add one follow-up to each answer.",
            ],
        )],
        sections: &[
            (
                "Everyday conversations",
                &[
                    (
                        "Small talk that works",
                        "Three questions that keep any conversation going: *How was your weekend?*, *What are you working on?*, *Have you been here before?*",
                        true,
                    ),
                    (
                        "Talking about plans",
                        "Use *going to* for plans and *will* for decisions made now.",
                        false,
                    ),
                ],
            ),
            (
                "Stories and experience",
                &[(
                    "Present perfect in real life",
                    "*I have been to Spain* — experience; *I went to Spain last year* — a finished time.",
                    false,
                )],
            ),
        ],
    },
    DemoCourse {
        author: 4,
        title: "Сочинение ЕГЭ по русскому языку",
        slug: "ege-essay",
        description: "Пошаговая схема сочинения по тексту: формулировка проблемы, комментарий, позиция автора и своё мнение.\n\nРазбираем критерии и типичные ошибки.",
        outcomes: "Формулировать проблему текста\nПисать комментарий с двумя примерами\nНабирать максимум по критериям К1–К4",
        category: "exam-prep",
        level: app::courses::Level::Advanced,
        language: "ru",
        price: "",
        currency: "RUB",
        hue: 330,
        handouts: &[(
            0,
            "plan-sochineniya.pdf",
            "План сочинения ЕГЭ",
            &[
                "- Проблема: один вопрос, над которым размышляет автор.",
                "- Комментарий: два примера из текста с номерами предложений и пояснением к каждому.",
                "- Связь между примерами: «дополняет» или «противопоставляет», и почему.",
                "- Позиция автора: одно-два предложения, без цитат.",
                "- Своё мнение и аргумент: из литературы или жизненного опыта.",
                "Объём — не меньше 150 слов. Проверьте грамотность: критерии К7–К10 дают до 9 баллов.",
            ],
        )],
        sections: &[(
            "Структура сочинения",
            &[
                (
                    "Проблема текста",
                    "Проблема — это вопрос, над которым размышляет автор. Сформулируйте её вопросительным предложением.",
                    true,
                ),
                (
                    "Комментарий",
                    "Два примера из текста, пояснение к каждому и смысловая связь между ними.",
                    false,
                ),
            ],
        )],
    },
];

/// Publishes the demo courses through the courses use cases, as their tutors would (create,
/// sections, lessons, submit) and as the demo moderator (approve), skipping any whose address is
/// taken. The first one gets a final exam and, on its second lesson, a quiz that must be passed
/// to complete the lesson; a demo student is enrolled in it and has completed its first lesson.
async fn add_courses(state: &AppState, ids: &[i64], now: i64) -> anyhow::Result<()> {
    use app::courses::service::{self as courses, LessonUpdate};
    use app::courses::{CourseForm, CourseMsg, Enrolled};
    use app::error::Msg;
    let moderator = acting(state, ids[9]).await?;
    let student = acting(state, ids[6]).await?;
    let graduate = acting(state, ids[7]).await?;
    for (i, c) in COURSES.iter().enumerate() {
        let tutor = acting(state, ids[c.author]).await?;
        let form = CourseForm {
            title: c.title.into(),
            slug: c.slug.into(),
            description: c.description.into(),
            outcomes: c.outcomes.into(),
            category: c.category.into(),
            level: c.level.code().into(),
            language: c.language.into(),
            price: c.price.into(),
            currency: c.currency.into(),
        };
        let id = match courses::create_course(state, &tutor, &form).await {
            Ok(id) => id,
            Err(e) if e.field_msg("slug") == Some(Msg::Course(CourseMsg::SlugTaken)) => continue,
            Err(e) => return Err(e.into()),
        };
        let mut lesson_ids = Vec::new();
        for (section, lessons) in c.sections {
            let sid = courses::add_section(state, &tutor, id, section).await?;
            for (title, body, free) in *lessons {
                let lid = courses::add_lesson(state, &tutor, id, sid, title).await?;
                // The first course's first lesson (a free preview) is a video lesson.
                let video = if i == 0 && lesson_ids.is_empty() {
                    demo_clip(state, &tutor, &LESSON_CLIP).await?
                } else {
                    String::new()
                };
                let lesson = LessonUpdate {
                    title: title.to_string(),
                    body: body.to_string(),
                    video,
                    free_preview: *free,
                };
                courses::update_lesson(state, &tutor, id, lid, &lesson).await?;
                lesson_ids.push(lid);
            }
        }
        courses::set_cover(state, &tutor, id, cover_png(c.hue)).await?;
        for handout in c.handouts {
            add_handout(state, &tutor, id, lesson_ids[handout.0], c, handout).await?;
        }
        courses::submit_course(state, &tutor, id).await?;
        courses::moderate_course(state, &moderator, id, true, "").await?;
        if i == 0 {
            let (exam, exam_spec) = add_final_exam(state, id, now).await?;
            let quiz = match lesson_ids.get(1) {
                Some(&second) => Some((second, add_lesson_quiz(state, id, second).await?)),
                None => None,
            };
            // Мария is part-way: the first lesson done.
            let enrolled = courses::enroll(state, &student, id).await?;
            anyhow::ensure!(enrolled == Enrolled::Done, "the first demo course is free");
            if let Some(&first) = lesson_ids.first() {
                courses::complete_lesson(state, &student, first).await?;
            }
            // Alex went the whole way: every lesson (the second by passing its quiz), then the
            // final exam — the certificate follows.
            courses::enroll(state, &graduate, id).await?;
            for &lesson in &lesson_ids {
                match &quiz {
                    Some((with_quiz, (quiz_id, spec))) if *with_quiz == lesson => {
                        pass_quiz(state, &graduate, *quiz_id, spec).await?
                    }
                    _ => courses::complete_lesson(state, &graduate, lesson).await?,
                }
            }
            pass_quiz(state, &graduate, exam, &exam_spec).await?;
        }
    }
    Ok(())
}

/// A one-page PDF handout made by the certificate renderer, attached to a lesson through the
/// courses use case (type check, quota, storage) as the tutor would upload it.
async fn add_handout(
    state: &AppState,
    tutor: &Actor,
    course: CourseId,
    lesson: app::ids::LessonId,
    c: &DemoCourse,
    &(_, file, title, paragraphs): &Handout,
) -> anyhow::Result<()> {
    let handout = app::certificates::pdf::Handout {
        title,
        subtitle: c.title,
        paragraphs,
        locale_ru: c.language == "ru",
    };
    let pdf = app::certificates::pdf::render_handout(&handout).map_err(anyhow::Error::msg)?;
    let dir = state.config.work_dir();
    tokio::fs::create_dir_all(&dir).await?;
    let path = dir.join(format!("demo-{}.pdf", app::server::random_token(9)));
    tokio::fs::write(&path, &pdf).await?;
    let new = app::courses::service::NewFile {
        name: file,
        path: &path,
        size: pdf.len() as u64,
        head: &pdf[..pdf.len().min(64)],
    };
    let added = app::courses::service::attach_file(state, tutor, course, lesson, &new).await;
    let _ = tokio::fs::remove_file(&path).await;
    added.map_err(|e| anyhow::anyhow!("demo handout {file}: {e:?}"))?;
    Ok(())
}

/// A demo person acting with the roles they hold.
async fn acting(state: &AppState, id: i64) -> anyhow::Result<Actor> {
    let user = UserId(id);
    Ok(Actor::acting_as(user, session::roles(state, user).await?))
}

/// A lesson quiz that completes its lesson (the lesson has no "Mark as complete": passing the
/// quiz is the way through), answers shown after each attempt.
async fn add_lesson_quiz(
    state: &AppState,
    course: CourseId,
    lesson: app::ids::LessonId,
) -> anyhow::Result<(app::ids::QuizId, app::quizzes::QuizSpec)> {
    use app::quizzes::{Question, QuestionKind, QuizSettings, QuizSpec};
    let options = |o: &[&str]| o.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let spec = QuizSpec {
        settings: QuizSettings {
            title: "Проверьте себя".into(),
            pass_percent: 50,
            pass_required: true,
            ..QuizSettings::default()
        },
        questions: vec![
            Question {
                kind: QuestionKind::Single,
                prompt: "Сколько корней у уравнения x² − 4x + 4 = 0?".into(),
                options: options(&["Ни одного", "Один", "Два"]),
                correct: vec![1],
                explanation: Some("D = 16 − 16 = 0: корень один, x = 2.".into()),
                ..Question::default()
            },
            Question {
                kind: QuestionKind::Ordering,
                prompt: "Расположите шаги решения по порядку".into(),
                options: options(&[
                    "Найти дискриминант D = b² − 4ac",
                    "Сравнить D с нулём",
                    "Найти корни по формуле x = (−b ± √D) / 2a",
                ]),
                explanation: Some(
                    "Сначала D, по его знаку — число корней, затем сами корни.".into(),
                ),
                ..Question::default()
            },
        ],
    };
    let tutor = author_of(state, course).await?;
    let id = app::quizzes::service::save_quiz(state, &tutor, course, Some(lesson), spec.clone())
        .await
        .map_err(|e| anyhow::anyhow!("demo lesson quiz: {e:?}"))?;
    Ok((id, spec))
}

/// The course's author, acting as a tutor.
async fn author_of(state: &AppState, course: CourseId) -> anyhow::Result<Actor> {
    let author = app::courses::db::select_course(&state.db, course)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo: no course {course}"))?
        .author_id;
    Ok(Actor::acting_as(author, vec![Role::Tutor]))
}

/// A short final exam for the first demo course, so a newcomer can walk the whole way to a
/// certificate: complete every lesson, pass the exam (60 %), download the PDF.
/// Saved through the quizzes' use case, acting as the course's tutor; the version is stamped
/// at the real time, not the course's backdated `_now`.
async fn add_final_exam(
    state: &AppState,
    course: CourseId,
    _now: i64,
) -> anyhow::Result<(app::ids::QuizId, app::quizzes::QuizSpec)> {
    use app::quizzes::{Question, QuestionKind, QuizSettings, QuizSpec};
    let options = |o: &[&str]| o.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let spec = QuizSpec {
        settings: QuizSettings {
            title: "Итоговый экзамен".into(),
            pass_percent: 60,
            shuffle_options: true,
            ..QuizSettings::default()
        },
        questions: vec![
            Question {
                kind: QuestionKind::Single,
                prompt: "Решите уравнение 3x − 12 = 0.".into(),
                options: options(&["x = −4", "x = 4", "x = 36"]),
                correct: vec![1],
                explanation: Some("3x = 12, значит x = 4.".into()),
                ..Question::default()
            },
            Question {
                kind: QuestionKind::Multiple,
                prompt: "Какие из функций линейные?".into(),
                options: options(&["y = 2x + 1", "y = x²", "y = −x", "y = 1/x"]),
                correct: vec![0, 2],
                explanation: Some("Линейная функция имеет вид y = kx + b.".into()),
                ..Question::default()
            },
            Question {
                kind: QuestionKind::Text,
                prompt: "Как называется выражение b² − 4ac?".into(),
                accepted: options(&["дискриминант", "discriminant"]),
                explanation: Some("По знаку дискриминанта судят о числе корней.".into()),
                ..Question::default()
            },
        ],
    };
    let tutor = author_of(state, course).await?;
    let id = app::quizzes::service::save_quiz(state, &tutor, course, None, spec.clone())
        .await
        .map_err(|e| anyhow::anyhow!("demo exam: {e:?}"))?;
    Ok((id, spec))
}

/// Takes quiz `quiz` as `learner`, answering every question right (matched to `spec` by its
/// prompt, options by their text in the order the attempt shows them), and submits.
async fn pass_quiz(
    state: &AppState,
    learner: &Actor,
    quiz: app::ids::QuizId,
    spec: &app::quizzes::QuizSpec,
) -> anyhow::Result<()> {
    use app::quizzes::{Answer, QuestionKind};
    let attempt = app::quizzes::service::start_attempt(state, learner, quiz)
        .await
        .map_err(|e| anyhow::anyhow!("demo attempt: {e:?}"))?;
    let mut answers = Vec::new();
    for q in &attempt.questions {
        let s = spec
            .questions
            .iter()
            .find(|s| s.prompt == q.prompt)
            .ok_or_else(|| anyhow::anyhow!("demo quiz: no question {}", q.prompt))?;
        let shown = |i: usize| q.options.iter().position(|o| *o == s.options[i]);
        let answer = match s.kind {
            QuestionKind::Single => Answer::Single(shown(s.correct[0]).unwrap_or(0)),
            QuestionKind::Multiple => {
                Answer::Multiple(s.correct.iter().filter_map(|i| shown(*i)).collect())
            }
            QuestionKind::Text => Answer::Text(s.accepted[0].clone()),
            QuestionKind::Ordering => {
                Answer::Ordering((0..s.options.len()).filter_map(shown).collect())
            }
        };
        answers.push((q.id, answer));
    }
    let result = app::quizzes::service::submit_attempt(
        state,
        learner,
        app::ids::AttemptId(attempt.id),
        &answers,
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo submit: {e:?}"))?;
    anyhow::ensure!(
        result.passed,
        "the demo learner should pass {}",
        attempt.title
    );
    Ok(())
}

struct Person {
    name: &'static str,
    email: &'static str,
    tutor: bool,
    headline: &'static str,
    bio: &'static str,
    subjects: &'static [&'static str],
    languages: &'static [&'static str],
    years: Option<i64>,
    rate: Option<i64>,
    currency: &'static str,
    hue: u16,
}

const PEOPLE: &[Person] = &[
    Person {
        name: "Анна Петрова",
        email: "anna.petrova@demo.tutorium.local",
        tutor: true,
        headline: "Математика и физика: ОГЭ, ЕГЭ, олимпиады",
        bio: "Преподаю математику и физику 12 лет. Объясняю сложное простыми словами и помогаю полюбить задачи.\n\nГотовлю к ОГЭ и ЕГЭ, к олимпиадам и к поступлению в технические вузы.",
        subjects: &["math", "physics", "exam-prep"],
        languages: &["ru", "en"],
        years: Some(12),
        rate: Some(200_000),
        currency: "RUB",
        hue: 250,
    },
    Person {
        name: "James Carter",
        email: "james.carter@demo.tutorium.local",
        tutor: true,
        headline: "Conversational English for busy adults",
        bio: "Native speaker from Manchester. I help adults speak English with confidence: travel, work meetings and interviews.\n\nLessons are relaxed, practical and full of real conversations.",
        subjects: &["english"],
        languages: &["en", "ru"],
        years: Some(8),
        rate: Some(30_00),
        currency: "USD",
        hue: 20,
    },
    Person {
        name: "Дмитрий Соколов",
        email: "dmitry.sokolov@demo.tutorium.local",
        tutor: true,
        headline: "Программирование на Python и Rust с нуля",
        bio: "Разработчик с 15-летним стажем. Учу программировать через проекты: от первой строчки кода до собственного веб-сервиса.",
        subjects: &["programming", "computer-science"],
        languages: &["ru"],
        years: Some(6),
        rate: Some(250_000),
        currency: "RUB",
        hue: 140,
    },
    Person {
        name: "Elena Müller",
        email: "elena.mueller@demo.tutorium.local",
        tutor: true,
        headline: "Deutsch A1–C1 · Немецкий для работы и учёбы",
        bio: "Teaching German in Berlin and online since 2014. Grammar that finally makes sense, and lots of speaking practice.",
        subjects: &["german"],
        languages: &["de", "ru", "en"],
        years: Some(10),
        rate: Some(25_00),
        currency: "EUR",
        hue: 320,
    },
    Person {
        name: "Ольга Смирнова",
        email: "olga.smirnova@demo.tutorium.local",
        tutor: true,
        headline: "Русский язык и литература, подготовка к сочинению",
        bio: "Учитель высшей категории. Помогаю писать грамотно и интересно, разбираем классику без скуки.",
        subjects: &["russian", "literature", "exam-prep"],
        languages: &["ru"],
        years: Some(20),
        rate: Some(180_000),
        currency: "RUB",
        hue: 40,
    },
    Person {
        name: "Li Wei",
        email: "li.wei@demo.tutorium.local",
        tutor: true,
        headline: "Chinese for beginners: characters, tones, HSK 1–4",
        bio: "I make Chinese approachable: tones through songs, characters through stories.",
        subjects: &["chinese"],
        languages: &["zh", "en"],
        years: Some(5),
        rate: Some(20_00),
        currency: "USD",
        hue: 0,
    },
    Person {
        name: "Мария Иванова",
        email: "maria.ivanova@demo.tutorium.local",
        tutor: false,
        headline: "Учу английский и немецкий",
        bio: "Готовлюсь к переезду, учу языки по вечерам.",
        subjects: &[],
        languages: &[],
        years: None,
        rate: None,
        currency: "RUB",
        hue: 200,
    },
    Person {
        name: "Alex Kim",
        email: "alex.kim@demo.tutorium.local",
        tutor: false,
        headline: "Learning to code",
        bio: "",
        subjects: &[],
        languages: &[],
        years: None,
        rate: None,
        currency: "USD",
        hue: 100,
    },
    Person {
        name: "Сергей Новиков",
        email: "sergey.novikov@demo.tutorium.local",
        tutor: false,
        headline: "",
        bio: "",
        subjects: &[],
        languages: &[],
        years: None,
        rate: None,
        currency: "RUB",
        hue: 280,
    },
    Person {
        name: "Sofia Rossi",
        email: "sofia.rossi@demo.tutorium.local",
        tutor: false,
        headline: "Maths student",
        bio: "",
        subjects: &[],
        languages: &[],
        years: None,
        rate: None,
        currency: "EUR",
        hue: 170,
    },
];

/// Who follows whom (indexes into PEOPLE).
const FOLLOWS: &[(usize, usize)] = &[
    (6, 0),
    (6, 1),
    (6, 3),
    (7, 2),
    (7, 0),
    (7, 1),
    (8, 0),
    (8, 2),
    (8, 4),
    (9, 0),
    (9, 5),
    (1, 0),
    (2, 0),
    (3, 1),
    (0, 2),
    (4, 0),
];

/// A colour from hue (degrees), saturation and lightness (0–1).
fn hsl(h: f32, s: f32, l: f32) -> [u8; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = (h % 360.0) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [
        ((r + m) * 255.0) as u8,
        ((g + m) * 255.0) as u8,
        ((b + m) * 255.0) as u8,
    ]
}

/// A course cover (16:9): a diagonal gradient in the course's hue with soft rings and a dot
/// grid, drawn so that no image file is needed.
fn cover_png(hue: u16) -> Vec<u8> {
    let (w, h) = (1280u32, 720u32);
    let base = hue as f32;
    let rings = [(0.78, 0.3, 0.34), (0.9, 0.78, 0.22), (0.18, 0.85, 0.16)];
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let t = (fx + fy) / 2.0;
        let mut light = 0.42 + t * 0.16;
        for (cx, cy, r) in rings {
            let d = ((fx - cx) * 16.0 / 9.0).hypot(fy - cy);
            if (d - r).abs() < 0.012 || d < r * 0.55 {
                light += 0.06;
            }
        }
        if x % 48 < 3 && y % 48 < 3 && fx < 0.45 {
            light += 0.1;
        }
        image::Rgb(hsl(base + t * 50.0, 0.55, light.min(0.9)))
    });
    let mut buf = Vec::new();
    let _ = image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut buf), image::ImageFormat::Png);
    buf
}

/// A soft gradient portrait placeholder with circles, drawn so that no image file is needed.
fn avatar_png(hue: u16, seed: u32) -> Vec<u8> {
    let size = 320u32;
    let base = hue as f32;
    let img = image::RgbImage::from_fn(size, size, |x, y| {
        let t = (x + y) as f32 / (2 * size) as f32;
        let mut px = hsl(base + t * 40.0, 0.55, 0.55 + t * 0.2);
        // head and shoulders silhouette
        let (cx, cy) = (size as f32 / 2.0, size as f32 * 0.42);
        let dx = x as f32 - cx;
        let dy = y as f32 - cy;
        let head = dx * dx + dy * dy < (size as f32 * 0.18).powi(2);
        let sy = y as f32 - size as f32 * 1.02;
        let shoulders = dx * dx / 1.4 + sy * sy < (size as f32 * 0.42).powi(2);
        if head || shoulders {
            px = hsl(base + 180.0 + (seed % 30) as f32, 0.25, 0.92);
        }
        image::Rgb(px)
    });
    let mut buf = Vec::new();
    let _ = image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut buf), image::ImageFormat::Png);
    buf
}

/// Whether a site address is only reachable from this machine or its local network.
pub fn is_local(public_url: &str) -> bool {
    let rest = public_url.split_once("://").map_or(public_url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    }
    .to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Adds the demo people. With `if_empty`, does nothing when any account exists.
/// Returns whether data was added.
pub async fn fill(state: &AppState, if_empty: bool) -> anyhow::Result<bool> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(state.db.r())
        .await?;
    if if_empty && count > 0 {
        return Ok(false);
    }
    let hash = password::hash(PASSWORD.to_string()).await?;
    let now = now_ms();
    let mut ids = Vec::new();
    for (i, p) in PEOPLE.iter().enumerate() {
        if let Some(existing) = accounts_db::select_user_by_email(&state.db, p.email).await? {
            ids.push(existing.id);
            continue;
        }
        let handle = app::profiles::handle_from_name(p.name);
        let mut tx = state.db.w().begin().await?;
        let locale = if p.name.is_ascii() { "en" } else { "ru" };
        let id = accounts_db::insert_user(
            &mut tx,
            p.email,
            &hash,
            p.name,
            &handle,
            locale,
            now - (i as i64) * 86_400_000,
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("handle {handle} is taken"))?;
        accounts_db::insert_role(&mut tx, id, Role::Student.code(), now).await?;
        profiles_db::insert_profile(&mut tx, id, p.tutor, now).await?;
        tx.commit().await?;
        accounts_db::confirm_email(&state.db, id, now).await?;
        profiles_db::update_profile(
            &state.db,
            id,
            &CleanProfile {
                display_name: p.name.to_string(),
                headline: p.headline.to_string(),
                bio: p.bio.to_string(),
                is_tutor: p.tutor,
                subjects: p.subjects.iter().map(|s| s.to_string()).collect(),
                languages: p.languages.iter().map(|s| s.to_string()).collect(),
                years_experience: p.years,
                hourly_rate_minor: p.rate,
                currency: p.currency.to_string(),
            },
            now,
        )
        .await?;
        if p.tutor || i % 2 == 0 {
            let png = avatar_png(p.hue, i as u32 * 7);
            let sizes = tokio::task::spawn_blocking(move || avatar::process(&png))
                .await?
                .map_err(|m| anyhow::anyhow!("demo avatar: {m:?}"))?;
            avatar::store(state, id, sizes).await?;
        }
        ids.push(id);
    }
    // Through the use case, so that each followed person gets their "new follower" notice.
    for (a, b) in FOLLOWS {
        let follower = acting(state, ids[*a].get()).await?;
        app::profiles::service::follow(state, &follower, ids[*b])
            .await
            .map_err(|e| anyhow::anyhow!("demo follow: {e:?}"))?;
    }
    let mut tx = state.db.w().begin().await?;
    accounts_db::insert_role(&mut tx, ids[9], Role::Moderator.code(), now).await?;
    tx.commit().await?;
    app::accounts::service::mark_demo(state, &ids).await?;
    let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
    add_courses(state, &raw, now).await?;
    add_posts(state, &ids).await?;
    Ok(true)
}

/// A short clip for a demo post, made offline by ffmpeg from one of its generated sources
/// (`lavfi`), with a silent soundtrack; it then goes through the real upload checks and
/// transcoding like any upload.
struct DemoClip {
    file: &'static str,
    source: &'static str,
    title: &'static str,
}

/// The demo's video lesson (the algebra course's first lesson).
const LESSON_CLIP: DemoClip = DemoClip {
    file: "lesson.mp4",
    source: "cellauto=s=640x360:rule=90:r=25:scroll=1:pattern=1",
    title: "Линейные уравнения",
};

/// Makes `clip` and adds it as `owner`'s video (upload checks and transcoding); its public id.
async fn demo_clip(state: &AppState, owner: &Actor, clip: &DemoClip) -> anyhow::Result<String> {
    let dir = state
        .config
        .work_dir()
        .join(format!("demo-{}", app::server::random_token(9)));
    tokio::fs::create_dir_all(&dir).await?;
    let made = make_clip(state, &dir, clip).await;
    let id = match made {
        Ok(file) => app::video::service::ingest_file(state, owner, &file, clip.title)
            .await
            .map_err(|e| anyhow::anyhow!("demo clip {}: {e:?}", clip.file)),
        Err(e) => Err(e),
    };
    let _ = tokio::fs::remove_dir_all(&dir).await;
    id
}

const CLIPS: [DemoClip; 3] = [
    DemoClip {
        file: "mandelbrot.mp4",
        source: "mandelbrot=s=640x360:r=25:end_scale=0.02",
        title: "Фрактал Мандельброта",
    },
    DemoClip {
        file: "life.mp4",
        source: "life=s=640x360:mold=10:r=25:ratio=0.1:death_color=#4f46e5:life_color=#f5f3ff",
        title: "Game of Life",
    },
    DemoClip {
        file: "gradients.mp4",
        source: "gradients=s=640x360:r=25:speed=0.03:n=4",
        title: "Speaking warm-up",
    },
];

async fn make_clip(
    state: &AppState,
    dir: &std::path::Path,
    c: &DemoClip,
) -> anyhow::Result<std::path::PathBuf> {
    let out = dir.join(c.file);
    let status = tokio::process::Command::new(&state.config.ffmpeg)
        .args([
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            c.source,
        ])
        .args(["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono"])
        .args([
            "-t", "6", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        ])
        .args(["-c:a", "aac", "-shortest", "-movflags", "+faststart"])
        .arg(&out)
        .status()
        .await?;
    anyhow::ensure!(
        status.success(),
        "ffmpeg could not make the demo clip {}",
        c.file
    );
    Ok(out)
}

/// A demo post: its author (index into PEOPLE), text, tags, and the clip it carries.
struct DemoPost {
    author: usize,
    body: &'static str,
    tags: &'static str,
    clip: Option<usize>,
    /// (commenter, comment, reply by the author)
    comments: &'static [(usize, &'static str, &'static str)],
    likers: &'static [usize],
}

const POSTS: &[DemoPost] = &[
    DemoPost {
        author: 1,
        body: "Phrasal verb of the week: **figure out** — to understand or solve something.\n\n> I finally *figured out* the Present Perfect!\n\nWrite your own sentence in the comments and I will check it.",
        tags: "english, vocabulary",
        clip: None,
        comments: &[(
            7,
            "I can't figure out why my code doesn't work :)",
            "Perfect sentence — and very true for programmers!",
        )],
        likers: &[6, 7],
    },
    DemoPost {
        author: 4,
        body: "Перед сочинением ЕГЭ: план за пять минут.\n\n1. Сформулируйте проблему одним предложением.\n2. Два примера из текста — с номерами предложений.\n3. Связь между примерами: «дополняет» или «противопоставляет».\n4. Своё мнение и аргумент из литературы.",
        tags: "литература, егэ",
        clip: None,
        comments: &[(
            8,
            "А если пример из текста всего один?",
            "Тогда возьмите две детали одного эпизода — проверяющие это засчитывают.",
        )],
        likers: &[6, 8],
    },
    DemoPost {
        author: 5,
        body: "Tones matter in Mandarin: **mā** (mother), **má** (hemp), **mǎ** (horse), **mà** (to scold). Same syllable, four words. Say them aloud, slowly, then fast.",
        tags: "chinese, pronunciation",
        clip: None,
        comments: &[],
        likers: &[7],
    },
    DemoPost {
        author: 1,
        body: "Warm-up for today's speaking club: describe what you see for **30 seconds** without pausing — colours, movement, how it makes you feel. Record yourself and listen back.",
        tags: "english, speaking",
        clip: Some(2),
        comments: &[(
            7,
            "Slow waves of purple and orange, like the sea at sunset.",
            "Lovely! Now say it again using \"as if\".",
        )],
        likers: &[6, 7, 8],
    },
    DemoPost {
        author: 2,
        body: "«Жизнь» Конвея: четыре правила — и узоры рождаются, живут и умирают сами. На Python это двадцать строк; разбираем их в курсе «Python с нуля».",
        tags: "python, программирование",
        clip: Some(1),
        comments: &[(
            8,
            "Запустил у себя — работает! А как сделать поле бесконечным?",
            "Храните только живые клетки в множестве (set) — и у поля нет границ.",
        )],
        likers: &[6, 8, 9],
    },
    DemoPost {
        author: 0,
        body: "Фрактал Мандельброта: одна формула **z → z² + c**, а граница бесконечно сложная. Приближаем — и узор повторяется снова и снова. Так выглядит математика, которую не проходят в школе.",
        tags: "математика, фракталы",
        clip: Some(0),
        comments: &[
            (
                6,
                "Красиво! А где это применяется?",
                "В компьютерной графике, при сжатии изображений и даже в моделировании береговой линии.",
            ),
            (
                7,
                "Can you explain what c is?",
                "c is the point of the plane we test: it belongs to the set if z stays small.",
            ),
        ],
        likers: &[6, 7, 8, 9],
    },
];

/// Tutors' posts with tags, short videos, likes and threaded comments — through the feed's use
/// cases, as the people themselves. Skipped when the demo's first tutor already posted.
async fn add_posts(state: &AppState, ids: &[UserId]) -> anyhow::Result<()> {
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM posts WHERE author_id = $1")
        .bind(ids[0])
        .fetch_one(state.db.r())
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let mut clips = Vec::new();
    for (i, c) in CLIPS.iter().enumerate() {
        let author = POSTS
            .iter()
            .find(|p| p.clip == Some(i))
            .map(|p| p.author)
            .unwrap_or(0);
        let actor = acting(state, ids[author].get()).await?;
        clips.push(demo_clip(state, &actor, c).await?);
    }
    for p in POSTS {
        let author = acting(state, ids[p.author].get()).await?;
        let video = p.clip.map(|i| clips[i].as_str()).unwrap_or("");
        let post = app::feed::service::create_post(state, &author, p.body, p.tags, video)
            .await
            .map_err(|e| anyhow::anyhow!("demo post: {e:?}"))?;
        for (who, text, reply) in p.comments {
            let reader = acting(state, ids[*who].get()).await?;
            let c = app::feed::service::add_comment(state, &reader, post, None, text)
                .await
                .map_err(|e| anyhow::anyhow!("demo comment: {e:?}"))?;
            app::feed::service::add_comment(
                state,
                &author,
                post,
                Some(app::ids::CommentId(c.id)),
                reply,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo reply: {e:?}"))?;
        }
        for who in p.likers {
            let reader = acting(state, ids[*who].get()).await?;
            app::feed::service::like_post(state, &reader, post, true)
                .await
                .map_err(|e| anyhow::anyhow!("demo like: {e:?}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_sites_count_as_local() {
        for url in [
            "http://127.0.0.1:3000",
            "http://localhost",
            "https://tutorium.localhost/x",
            "http://[::1]:3000/",
            "http://school.local",
        ] {
            assert!(super::is_local(url), "{url}");
        }
        for url in [
            "https://tutorium.example",
            "http://10.0.0.5",
            "http://127.0.0.1.evil.example",
            "https://localhost.example.com",
            "http://[2001:db8::1]",
        ] {
            assert!(!super::is_local(url), "{url}");
        }
    }
}
