//! `tutorium seed --users N --posts M [--courses C --lessons L]`: a realistic graph for
//! benchmarks, on either database.
//!
//! One in ten people is a tutor. Followers, post authorship, tags, likes and comments follow
//! power laws (a few tutors and tags get most of the attention). Rows go in with multi-row
//! INSERTs inside transactions; the counters are computed from the rows at the end, so they are
//! exact. Courses (published, a few drafts) come with sections, lessons, stemmed search documents
//! and power-law enrollments. Everyone's password is `seed-password-2026`.

use app::server::{AppState, now_ms};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

pub const PASSWORD: &str = "seed-password-2026";

const TAGS: &[&str] = &[
    "math",
    "algebra",
    "geometry",
    "physics",
    "chemistry",
    "biology",
    "english",
    "grammar",
    "ielts",
    "русский",
    "егэ",
    "огэ",
    "programming",
    "python",
    "rust",
    "javascript",
    "history",
    "literature",
    "music",
    "guitar",
    "piano",
    "drawing",
    "german",
    "french",
    "spanish",
    "chinese",
    "exam-prep",
    "olympiad",
    "kids",
    "speaking",
];

const WORDS: &[&str] = &[
    "today",
    "we",
    "solve",
    "a",
    "classic",
    "problem",
    "step",
    "by",
    "lesson",
    "tip",
    "how",
    "to",
    "remember",
    "rule",
    "quick",
    "trick",
    "for",
    "exam",
    "practice",
    "every",
    "day",
    "сегодня",
    "разберём",
    "задачу",
    "шаг",
    "за",
    "шагом",
    "правило",
    "совет",
    "урок",
    "практика",
    "экзамен",
];

/// A Zipf-like index in 0..n: small indexes are much more likely.
fn zipf(rng: &mut StdRng, n: usize, s: f64) -> usize {
    // Inverse transform of a continuous power law, clamped.
    let u: f64 = rng.random_range(0.0..1.0);
    let x = ((n as f64).powf(1.0 - s) * u + (1.0 - u)).powf(1.0 / (1.0 - s));
    (x as usize).saturating_sub(1).min(n - 1)
}

/// Inserts `rows` (each a list of values) into `table (cols)` in chunks, binding `$n` placeholders.
async fn insert_rows(
    state: &AppState,
    table: &str,
    cols: &[&str],
    rows: &[Vec<Value>],
) -> anyhow::Result<()> {
    let per = (30_000 / cols.len()).min(1000);
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut n = 1;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..cols.len() {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${n}"));
                n += 1;
            }
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::I(x) => q.bind(*x),
                    Value::F(x) => q.bind(*x),
                    Value::S(x) => q.bind(x.clone()),
                    Value::N => q.bind(None::<i64>),
                };
            }
        }
        q.execute(state.db.w()).await?;
    }
    Ok(())
}

#[derive(Clone)]
enum Value {
    I(i64),
    F(f64),
    S(String),
    N,
}

/// Adds `users` people and `posts` posts (and `courses` courses of about `lessons` lessons each);
/// prints what it made and how fast.
pub async fn run(
    state: &AppState,
    users: usize,
    posts: usize,
    courses: usize,
    lessons: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let now = now_ms();
    let run_id = format!("{:x}", now % 0xffffff);
    let hash = app::accounts::password::hash(PASSWORD.to_string()).await?;
    let (before,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM users")
        .fetch_one(state.db.r())
        .await?;

    // People.
    let t = Instant::now();
    let mut rows = Vec::with_capacity(users);
    for i in 0..users {
        let created = now - rng.random_range(0..365 * 86_400_000i64);
        rows.push(vec![
            Value::S(format!("seed-{run_id}-{i}@seed.tutorium.local")),
            Value::S(hash.clone()),
            Value::S(format!("Seed Person {i}")),
            Value::S(format!("seed-{run_id}-{i}")),
            Value::S(if i % 3 == 0 { "ru".into() } else { "en".into() }),
            Value::I(created),
            Value::I(created),
            Value::I(created),
        ]);
    }
    insert_rows(
        state,
        "users",
        &[
            "email",
            "password_hash",
            "display_name",
            "handle",
            "locale",
            "email_confirmed_at",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id > $1 ORDER BY id")
        .bind(before)
        .fetch_all(state.db.r())
        .await?;
    let ids: Vec<i64> = ids.into_iter().map(|r| r.0).collect();
    let tutors: Vec<i64> = ids.iter().copied().step_by(10).collect();
    let is_tutor = |id: i64| (id - ids[0]) % 10 == 0;
    let roles: Vec<Vec<Value>> = ids
        .iter()
        .flat_map(|id| {
            let mut r = vec![vec![
                Value::I(*id),
                Value::S("student".into()),
                Value::I(now),
            ]];
            if is_tutor(*id) {
                r.push(vec![Value::I(*id), Value::S("tutor".into()), Value::I(now)]);
            }
            r
        })
        .collect();
    insert_rows(
        state,
        "user_roles",
        &["user_id", "role", "granted_at"],
        &roles,
    )
    .await?;
    let profiles: Vec<Vec<Value>> = ids
        .iter()
        .map(|id| {
            vec![
                Value::I(*id),
                Value::S("Learning and teaching on Tutorium".into()),
                Value::I(is_tutor(*id) as i64),
                Value::S("ru,en".into()),
                Value::I(now),
            ]
        })
        .collect();
    insert_rows(
        state,
        "profiles",
        &["user_id", "headline", "is_tutor", "languages", "updated_at"],
        &profiles,
    )
    .await?;
    let subjects: Vec<Vec<Value>> = tutors
        .iter()
        .map(|id| {
            vec![
                Value::I(*id),
                Value::S(
                    app::profiles::SUBJECTS[zipf(&mut rng, app::profiles::SUBJECTS.len(), 1.2)]
                        .0
                        .into(),
                ),
            ]
        })
        .collect();
    insert_rows(state, "tutor_subjects", &["user_id", "subject"], &subjects).await?;
    let people_s = t.elapsed().as_secs_f64();

    // Follows: each person follows a few tutors, popular ones far more often.
    let t = Instant::now();
    let mut follows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        let k = 1 + zipf(&mut rng, 60, 1.6);
        for _ in 0..k {
            let f = tutors[zipf(&mut rng, tutors.len(), 1.3)];
            if f != *id && seen.insert((*id, f)) {
                follows.push(vec![Value::I(*id), Value::I(f), Value::I(now)]);
            }
        }
    }
    insert_rows(
        state,
        "follows",
        &["follower_id", "followee_id", "created_at"],
        &follows,
    )
    .await?;
    let follows_s = t.elapsed().as_secs_f64();

    // Posts by tutors (popular tutors post more), with tags.
    let t = Instant::now();
    let (post_before,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM posts")
        .fetch_one(state.db.r())
        .await?;
    let mut rows = Vec::with_capacity(posts);
    let mut created = Vec::with_capacity(posts);
    for i in 0..posts {
        let author = tutors[zipf(&mut rng, tutors.len(), 1.2)];
        let at = now - rng.random_range(0..180 * 86_400_000i64);
        let words: Vec<&str> = (0..rng.random_range(8..40))
            .map(|_| WORDS[rng.random_range(0..WORDS.len())])
            .collect();
        let body = format!("Post {i}: {}", words.join(" "));
        let html = format!("<p>{}</p>", app::server::mail::escape_html(&body));
        created.push(at);
        rows.push(vec![
            Value::I(author),
            Value::S(body),
            Value::S(html),
            Value::S("published".into()),
            Value::F(app::feed::hot(0, 0, at)),
            Value::I(at),
            Value::I(at),
        ]);
    }
    insert_rows(
        state,
        "posts",
        &[
            "author_id",
            "body",
            "body_html",
            "status",
            "hot",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    let post_ids: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, created_at FROM posts WHERE id > $1 ORDER BY id")
            .bind(post_before)
            .fetch_all(state.db.r())
            .await?;
    let mut tags = Vec::new();
    for (pid, at) in &post_ids {
        let mut set = std::collections::HashSet::new();
        for _ in 0..rng.random_range(1..4) {
            set.insert(TAGS[zipf(&mut rng, TAGS.len(), 1.1)]);
        }
        for t in set {
            tags.push(vec![Value::I(*pid), Value::S(t.into()), Value::I(*at)]);
        }
    }
    insert_rows(state, "post_tags", &["post_id", "tag", "created_at"], &tags).await?;
    let posts_s = t.elapsed().as_secs_f64();

    // Likes and comments: a few posts get most of them.
    let t = Instant::now();
    let mut likes = Vec::new();
    let mut comments = Vec::new();
    let mut liked = std::collections::HashSet::new();
    for (pid, at) in &post_ids {
        let n_likes = zipf(&mut rng, 100, 1.7);
        for _ in 0..n_likes {
            let u = ids[rng.random_range(0..ids.len())];
            if liked.insert((*pid, u)) {
                likes.push(vec![Value::I(*pid), Value::I(u), Value::I(at + 60_000)]);
            }
        }
        for _ in 0..zipf(&mut rng, 20, 2.0) {
            let u = ids[rng.random_range(0..ids.len())];
            comments.push(vec![
                Value::I(*pid),
                Value::N,
                Value::I(u),
                Value::S("Thank you!".into()),
                Value::S("<p>Thank you!</p>".into()),
                Value::I(0),
                Value::I(at + 120_000),
            ]);
        }
    }
    insert_rows(
        state,
        "post_likes",
        &["post_id", "user_id", "created_at"],
        &likes,
    )
    .await?;
    insert_rows(
        state,
        "comments",
        &[
            "post_id",
            "parent_id",
            "author_id",
            "body",
            "body_html",
            "depth",
            "created_at",
        ],
        &comments,
    )
    .await?;
    let engagement_s = t.elapsed().as_secs_f64();

    // Counters from the rows, then popularity.
    let t = Instant::now();
    sqlx::query("UPDATE profiles SET followers_count = (SELECT COUNT(*) FROM follows WHERE followee_id = profiles.user_id), \
                 following_count = (SELECT COUNT(*) FROM follows WHERE follower_id = profiles.user_id) WHERE user_id > $1")
        .bind(before)
        .execute(state.db.w())
        .await?;
    sqlx::query("UPDATE posts SET likes_count = (SELECT COUNT(*) FROM post_likes WHERE post_id = posts.id), \
                 comments_count = (SELECT COUNT(*) FROM comments WHERE post_id = posts.id) WHERE id > $1")
        .bind(post_before)
        .execute(state.db.w())
        .await?;
    let counts: Vec<(i64, i64, i64, i64)> = sqlx::query_as("SELECT id, likes_count, comments_count, created_at FROM posts WHERE id > $1 AND (likes_count > 0 OR comments_count > 0)")
        .bind(post_before)
        .fetch_all(state.db.r())
        .await?;
    for chunk in counts.chunks(1000) {
        let mut tx = state.db.w().begin().await?;
        for (id, l, c, at) in chunk {
            sqlx::query("UPDATE posts SET hot = $1 WHERE id = $2")
                .bind(app::feed::hot(*l, *c, *at))
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    let counters_s = t.elapsed().as_secs_f64();
    let course_rows = if courses > 0 {
        seed_courses(
            state,
            &mut rng,
            &ids,
            &tutors,
            courses,
            lessons.max(1),
            now,
            &run_id,
        )
        .await?
    } else {
        0
    };
    if state.db.backend() == app::server::db::Backend::Postgres {
        sqlx::query("ANALYZE").execute(state.db.w()).await?;
    }
    let total = started.elapsed().as_secs_f64();
    let rows_total = course_rows
        + users
        + roles.len()
        + users
        + subjects.len()
        + follows.len()
        + posts
        + tags.len()
        + likes.len()
        + comments.len();
    println!(
        "seeded {users} people ({} tutors), {} follows, {posts} posts, {} tags, {} likes, {} comments in {total:.1} s \
         ({:.0} rows/s; people {people_s:.1} s, follows {follows_s:.1} s, posts {posts_s:.1} s, likes+comments {engagement_s:.1} s, counters {counters_s:.1} s)\n\
         log in as seed-{run_id}-0@seed.tutorium.local (a tutor) with the password {PASSWORD}",
        tutors.len(),
        follows.len(),
        tags.len(),
        likes.len(),
        comments.len(),
        rows_total as f64 / total
    );
    Ok(())
}

const COURSE_TOPICS: &[(&str, &str)] = &[
    ("Основы программирования", "programming"),
    ("Программирование на Python для начинающих", "programming"),
    ("Introduction to Programming", "programming"),
    ("Web Development with JavaScript", "programming"),
    ("Алгебра и начала анализа", "math"),
    ("Геометрия для старшеклассников", "math"),
    ("Calculus Made Simple", "math"),
    ("Подготовка к ЕГЭ по математике", "exam-prep"),
    ("IELTS Preparation", "exam-prep"),
    ("Английский язык для путешествий", "languages"),
    ("Spoken English for Work", "languages"),
    ("Немецкий язык с нуля", "languages"),
    ("Химия для школьников", "science"),
    ("Physics Through Experiments", "science"),
    ("История России XX века", "humanities"),
    ("World Literature Classics", "humanities"),
    ("Рисование акварелью", "arts"),
    ("Guitar for Beginners", "arts"),
    ("Основы финансовой грамотности", "business"),
    ("Time Management and Focus", "personal"),
];

const LESSON_PHRASES: &[&str] = &[
    "введение в программирование",
    "переменные и типы данных",
    "условия и циклы",
    "функции и модули",
    "решение уравнений",
    "графики функций",
    "разбор задач",
    "практика и повторение",
    "getting started",
    "core concepts",
    "worked examples",
    "common mistakes",
    "practice session",
    "review and next steps",
];

/// Courses by tutors (popular tutors teach more), sections, lessons and enrollments.
#[allow(clippy::too_many_arguments)]
async fn seed_courses(
    state: &AppState,
    rng: &mut StdRng,
    ids: &[i64],
    tutors: &[i64],
    courses: usize,
    lessons: usize,
    now: i64,
    run_id: &str,
) -> anyhow::Result<usize> {
    let t = Instant::now();
    let (before,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM courses")
        .fetch_one(state.db.r())
        .await?;
    let levels = ["beginner", "intermediate", "advanced"];
    let mut rows = Vec::with_capacity(courses);
    let mut lesson_titles: Vec<Vec<Vec<String>>> = Vec::with_capacity(courses);
    for i in 0..courses {
        let (topic, category) = COURSE_TOPICS[zipf(rng, COURSE_TOPICS.len(), 1.1)];
        let title = format!(
            "{topic}: {} {i}",
            if topic.is_ascii() {
                "course"
            } else {
                "курс"
            }
        );
        let language = if topic.is_ascii() { "en" } else { "ru" };
        let n_sections = 1 + rng.random_range(0..4usize);
        let n_lessons = (lessons / 2 + rng.random_range(0..=lessons)).max(n_sections);
        let mut sections = vec![Vec::new(); n_sections];
        for l in 0..n_lessons {
            let phrase = LESSON_PHRASES[rng.random_range(0..LESSON_PHRASES.len())];
            sections[l * n_sections / n_lessons].push(format!(
                "{} {}: {phrase}",
                if topic.is_ascii() {
                    "Lesson"
                } else {
                    "Урок"
                },
                l + 1
            ));
        }
        let description = format!(
            "{topic}. {}",
            (0..rng.random_range(12..40))
                .map(|_| WORDS[rng.random_range(0..WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut parts: Vec<&str> = vec![&title, &description];
        parts.extend(sections.iter().flatten().map(String::as_str));
        let doc = app::server::search::document(&parts);
        let published = rng.random_range(0..10) > 0;
        let at = now - rng.random_range(0..365 * 86_400_000i64);
        let price = if rng.random_range(0..10) < 4 {
            0
        } else {
            rng.random_range(5..100i64) * 10_000 - 100
        };
        rows.push(vec![
            Value::S(format!("seed-{run_id}-c{i}")),
            Value::I(tutors[zipf(rng, tutors.len(), 1.2)]),
            Value::S(title),
            Value::S(description.clone()),
            Value::S(format!(
                "<p>{}</p>",
                app::server::mail::escape_html(&description)
            )),
            Value::S(category.into()),
            Value::S(levels[rng.random_range(0..3)].into()),
            Value::S(language.into()),
            Value::I(price),
            Value::S("RUB".into()),
            Value::S(if published { "published" } else { "draft" }.into()),
            if published { Value::I(at) } else { Value::N },
            Value::I(n_lessons as i64),
            Value::I(n_lessons as i64 * rng.random_range(3..40i64) * 60_000),
            Value::S(doc),
            Value::I(at),
            Value::I(at),
        ]);
        lesson_titles.push(sections);
    }
    insert_rows(
        state,
        "courses",
        &[
            "slug",
            "author_id",
            "title",
            "description",
            "description_html",
            "category",
            "level",
            "language",
            "price_minor",
            "currency",
            "status",
            "published_at",
            "lessons_count",
            "duration_ms",
            "search_doc",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    let course_ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM courses WHERE id > $1 ORDER BY id")
            .bind(before)
            .fetch_all(state.db.r())
            .await?;
    let (sec_before,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM course_sections")
        .fetch_one(state.db.r())
        .await?;
    let mut sections = Vec::new();
    for ((cid,), secs) in course_ids.iter().zip(&lesson_titles) {
        for (p, _) in secs.iter().enumerate() {
            sections.push(vec![
                Value::I(*cid),
                Value::S(format!("Section {}", p + 1)),
                Value::I(p as i64 + 1),
            ]);
        }
    }
    insert_rows(
        state,
        "course_sections",
        &["course_id", "title", "position"],
        &sections,
    )
    .await?;
    let section_ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM course_sections WHERE id > $1 ORDER BY id")
            .bind(sec_before)
            .fetch_all(state.db.r())
            .await?;
    let mut lesson_rows = Vec::new();
    let mut next_section = section_ids.iter();
    for ((cid,), secs) in course_ids.iter().zip(&lesson_titles) {
        for (si, titles) in secs.iter().enumerate() {
            let Some((sid,)) = next_section.next() else {
                break;
            };
            for (li, title) in titles.iter().enumerate() {
                let body = format!("{title}. {}", WORDS[(si + li) % WORDS.len()]);
                lesson_rows.push(vec![
                    Value::I(*cid),
                    Value::I(*sid),
                    Value::S(title.clone()),
                    Value::S(body.clone()),
                    Value::S(format!("<p>{}</p>", app::server::mail::escape_html(&body))),
                    Value::I((si == 0 && li == 0) as i64),
                    Value::I(li as i64 + 1),
                    Value::I(now),
                    Value::I(now),
                ]);
            }
        }
    }
    insert_rows(
        state,
        "lessons",
        &[
            "course_id",
            "section_id",
            "title",
            "body",
            "body_html",
            "free_preview",
            "position",
            "created_at",
            "updated_at",
        ],
        &lesson_rows,
    )
    .await?;
    // Enrollments: popular courses get most learners.
    let mut enrollments = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..courses * 5 {
        let (cid,) = course_ids[zipf(rng, course_ids.len(), 1.1)];
        let u = ids[rng.random_range(0..ids.len())];
        if seen.insert((cid, u)) {
            enrollments.push(vec![
                Value::I(cid),
                Value::I(u),
                Value::I(now),
                Value::I(now),
            ]);
        }
    }
    insert_rows(
        state,
        "enrollments",
        &["course_id", "user_id", "created_at", "updated_at"],
        &enrollments,
    )
    .await?;
    sqlx::query("UPDATE courses SET enrollments_count = (SELECT COUNT(*) FROM enrollments WHERE course_id = courses.id) WHERE id > $1")
        .bind(before)
        .execute(state.db.w())
        .await?;
    let made = rows.len() + sections.len() + lesson_rows.len() + enrollments.len();
    println!(
        "seeded {courses} courses, {} sections, {} lessons, {} enrollments in {:.1} s ({:.0} rows/s)",
        sections.len(),
        lesson_rows.len(),
        enrollments.len(),
        t.elapsed().as_secs_f64(),
        made as f64 / t.elapsed().as_secs_f64()
    );
    Ok(made)
}

/// An exam-day data set for `scripts/bench-quizzes.sh`: the first published course gets a final
/// exam (20 questions of every kind, 3 attempts, 30 minutes, shuffled), `learners` people (not
/// its author) are enrolled in it, and each gets a session. Writes the quiz id on the first line
/// of `out` and one session token per line after it.
pub async fn exam(state: &AppState, learners: usize, out: &std::path::Path) -> anyhow::Result<()> {
    use app::quizzes::{Question, QuestionKind, QuizSettings, QuizSpec};
    let started = Instant::now();
    let (course, author): (app::ids::CourseId, app::ids::UserId) = sqlx::query_as(
        "SELECT id, author_id FROM courses WHERE status = 'published' ORDER BY id LIMIT 1",
    )
    .fetch_optional(state.db.r())
    .await?
    .ok_or_else(|| anyhow::anyhow!("no published course: run `tutorium seed --courses 1` first"))?;
    let texts = |o: &[&str]| o.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let questions = (0..20)
        .map(|i| match i % 4 {
            0 => Question {
                kind: QuestionKind::Single,
                prompt: format!("Question {i}: which one?"),
                options: texts(&["alpha", "beta", "gamma", "delta"]),
                correct: vec![1],
                explanation: Some("Beta it is.".into()),
                ..Question::default()
            },
            1 => Question {
                kind: QuestionKind::Multiple,
                prompt: format!("Question {i}: which ones?"),
                options: texts(&["one", "two", "three", "four"]),
                correct: vec![0, 2],
                ..Question::default()
            },
            2 => Question {
                kind: QuestionKind::Text,
                prompt: format!("Question {i}: the word?"),
                accepted: texts(&["ответ", "answer"]),
                ..Question::default()
            },
            _ => Question {
                kind: QuestionKind::Ordering,
                prompt: format!("Question {i}: in order"),
                options: texts(&["first", "second", "third", "fourth"]),
                ..Question::default()
            },
        })
        .collect();
    let spec = QuizSpec {
        settings: QuizSettings {
            title: "Final exam".into(),
            pass_percent: 70,
            attempts: Some(3),
            time_limit_minutes: Some(30),
            shuffle_questions: true,
            shuffle_options: true,
            ..QuizSettings::default()
        },
        questions,
    };
    // Saved as the course's tutor would save it, through the quizzes' use case.
    let tutor = app::server::auth::Actor::acting_as(author, vec![app::accounts::Role::Tutor]);
    let quiz = app::quizzes::service::save_quiz(state, &tutor, course, None, spec)
        .await
        .map_err(|e| anyhow::anyhow!("exam: {e:?}"))?;
    let now = now_ms();
    let people: Vec<(app::ids::UserId,)> =
        sqlx::query_as("SELECT id FROM users WHERE id <> $1 ORDER BY id LIMIT $2")
            .bind(author)
            .bind(learners as i64)
            .fetch_all(state.db.r())
            .await?;
    anyhow::ensure!(
        people.len() == learners,
        "only {} people: seed more users",
        people.len()
    );
    let mut lines = vec![quiz.to_string()];
    for (user,) in people {
        app::courses::db::enroll(&state.db, course, user, None, now).await?;
        lines.push(app::server::session::create(state, user, "bench", "127.0.0.1").await?);
    }
    std::fs::write(out, lines.join("\n") + "\n")?;
    println!(
        "exam {quiz} on course {course}: {learners} learners enrolled with sessions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
