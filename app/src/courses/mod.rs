//! Courses: authoring (sections, lessons with Markdown, a video, attachments, free previews),
//! moderation (draft → review → published, or returned with feedback → …; published → archived),
//! the catalog with filters and full-text search in Russian and English, enrollment (free, or
//! through a confirmed order), the course player with progress, "My learning" and "My courses".
//!
//! Invariants:
//! - only the author edits a course; only moderators approve or return one; transitions other
//!   than the lifecycle's are refused;
//! - a published course stays online while edited; a new title or description waits for review
//!   (`pending_*`) and the old one stays public meanwhile;
//! - lessons (and their videos and attachments) open to enrolled learners, the author, moderators
//!   and admins; free-preview lessons to everyone;
//! - an enrollment exists once per learner and course; a paid one only for a paid order, even
//!   when the payment is confirmed twice;
//! - reordering names the structure version it saw; a stale one is refused.

mod messages;
pub use messages::CourseMsg;
#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod editor;
#[cfg(feature = "ssr")]
pub mod files;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::Msg;
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const LESSON_BODY_MAX: usize = 50_000;
pub const CATALOG_PAGE: i64 = 12;
pub const ATTACHMENT_MAX_BYTES: usize = 50 * 1024 * 1024;

/// Course categories: (code, English, Russian).
pub const CATEGORIES: &[(&str, &str, &str)] = &[
    ("programming", "Programming", "Программирование"),
    ("math", "Mathematics", "Математика"),
    ("science", "Science", "Естественные науки"),
    ("languages", "Languages", "Языки"),
    ("exam-prep", "Exam preparation", "Подготовка к экзаменам"),
    ("humanities", "Humanities", "Гуманитарные науки"),
    ("arts", "Arts and music", "Искусство и музыка"),
    ("business", "Business", "Бизнес"),
    ("personal", "Personal growth", "Личное развитие"),
];

pub const COURSE_LANGUAGES: &[(&str, &str)] = &[
    ("ru", "Русский"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("zh", "中文"),
];

pub fn category_name(code: &str, l: Locale) -> String {
    CATEGORIES
        .iter()
        .find(|c| c.0 == code)
        .map(|c| l.pick(c.1, c.2).to_string())
        .unwrap_or_else(|| code.to_string())
}

crate::codes! {
    /// How hard a course is.
    #[derive(Default)]
    pub enum Level {
        #[default]
        Beginner = "beginner",
        Intermediate = "intermediate",
        Advanced = "advanced",
    }
}

impl Level {
    pub fn name(self, l: Locale) -> &'static str {
        match self {
            Level::Beginner => l.pick("Beginner", "Начальный"),
            Level::Intermediate => l.pick("Intermediate", "Средний"),
            Level::Advanced => l.pick("Advanced", "Продвинутый"),
        }
    }
}

crate::codes! {
    /// Where a course is in its lifecycle ([`next_status`]).
    #[derive(Default)]
    pub enum Status {
        #[default]
        Draft = "draft",
        Review = "review",
        Published = "published",
        Archived = "archived",
    }
}

impl Status {
    pub fn name(self, l: Locale) -> &'static str {
        match self {
            Status::Draft => l.pick("Draft", "Черновик"),
            Status::Review => l.pick("In review", "На проверке"),
            Status::Published => l.pick("Published", "Опубликован"),
            Status::Archived => l.pick("Archived", "В архиве"),
        }
    }
}

crate::codes! {
    /// Where a published course's pending title and description are (`changes_state`): none;
    /// being edited; waiting for review; returned with feedback. Approving applies them and
    /// goes back to `None`.
    #[derive(Default)]
    pub enum Changes {
        #[default]
        None = "none",
        Editing = "editing",
        Review = "review",
        Returned = "returned",
    }
}

/// The lifecycle's moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    /// author: draft → review; or a published course's pending changes → review
    Submit,
    /// moderator: review → published (or apply pending changes)
    Approve,
    /// moderator, with feedback: review → draft (or pending changes → returned)
    Return,
    /// author or moderator: published → archived
    Archive,
}

/// The next status, or `None` when the move is not allowed from `from`.
pub fn next_status(from: Status, t: Transition) -> Option<Status> {
    match (from, t) {
        (Status::Draft, Transition::Submit) => Some(Status::Review),
        (Status::Review, Transition::Approve) => Some(Status::Published),
        (Status::Review, Transition::Return) => Some(Status::Draft),
        (Status::Published, Transition::Archive) => Some(Status::Archived),
        _ => None,
    }
}

/// A course in the catalog, "My learning" or "My courses".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub category: String,
    pub level: Level,
    pub language: String,
    pub price_minor: i64,
    pub currency: String,
    pub cover_url: Option<String>,
    pub author: crate::feed::Author,
    pub lessons_count: i64,
    pub duration_ms: i64,
    pub enrollments_count: i64,
    pub rating_avg: Option<f64>,
    pub rating_count: i64,
    pub status: Status,
}

/// A catalog page with the total number of matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub items: Vec<CourseCard>,
    pub total: i64,
    pub next: Option<String>,
}

/// Catalog query (from the URL).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogQuery {
    pub q: String,
    pub category: String,
    pub level: String,
    pub language: String,
    /// "", "free", "paid"
    pub price: String,
    /// "", "3", "4", "4.5": the least average rating
    pub rating: String,
    /// "", "short" (< 1 h), "medium" (1–5 h), "long" (> 5 h)
    pub duration: String,
    /// "popular" (default), "newest", "price", "price-desc", "rating"
    pub sort: String,
    pub after: String,
}

/// A lesson in a syllabus.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonItem {
    pub id: i64,
    pub title: String,
    pub free_preview: bool,
    pub has_video: bool,
    pub duration_ms: i64,
    pub completed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionItem {
    pub id: i64,
    pub title: String,
    pub lessons: Vec<LessonItem>,
}

/// The public course page (and the moderator's preview).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub card: CourseCard,
    pub description_html: String,
    pub outcomes: Vec<String>,
    pub sections: Vec<SectionItem>,
    pub enrolled: bool,
    pub is_author: bool,
    /// The author, or an admin: may edit and delete it.
    pub can_edit: bool,
    pub can_moderate: bool,
    pub progress_percent: i64,
    pub resume_lesson: Option<i64>,
    pub author_headline: String,
    pub published_at: Option<i64>,
    pub review_feedback: Option<String>,
    pub pending_review: bool,
    /// A published course's proposed new title and description (author and moderators only).
    pub pending_title: Option<String>,
    pub pending_description_html: Option<String>,
    pub status_changes: String,
}

/// The course as its author edits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseDraft {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub outcomes: String,
    pub category: String,
    pub level: Level,
    pub language: String,
    /// Major units, as typed back into the form ("" for free).
    pub price: String,
    pub currency: String,
    pub cover_url: Option<String>,
    pub status: Status,
    pub changes_state: String,
    pub review_feedback: Option<String>,
    pub structure_version: i64,
    pub sections: Vec<DraftSection>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftSection {
    pub id: i64,
    pub title: String,
    pub lessons: Vec<DraftLesson>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftLesson {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub video: Option<String>,
    pub free_preview: bool,
    pub attachments: Vec<Attachment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub size_bytes: i64,
    pub url: String,
}

/// A lesson in the player.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonView {
    pub course: CourseDetail,
    pub id: i64,
    pub title: String,
    pub body_html: String,
    pub video: Option<crate::video::VideoView>,
    pub attachments: Vec<Attachment>,
    pub completed: bool,
    pub prev: Option<i64>,
    pub next: Option<i64>,
    /// Whether the viewer only previews (not enrolled).
    pub preview_only: bool,
    /// Completed by passing the lesson's quiz only (no "Mark as complete").
    pub quiz_required: bool,
}

/// The author's course list with its numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthorCourse {
    pub card: CourseCard,
    pub completion_rate: f64,
    pub average_progress: f64,
    pub changes_state: String,
}

/// A learner's course in "My learning".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearningItem {
    pub card: CourseCard,
    pub percent: i64,
    pub completed: bool,
    pub continue_lesson: Option<i64>,
}

/// What enrolling led to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Enrolled {
    /// Enrolled (a free course).
    Done,
    /// Pay first: go to this checkout address.
    Checkout(String),
}

/// What deleting a course did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deleted {
    /// The course and its lessons are gone.
    Removed,
    /// It has learners: it was archived instead (no new enrollments; learners keep access,
    /// progress and certificates).
    Archived,
}

/// A slug from a title ("Основы Python" → "osnovy-python").
pub fn slug_from_title(title: &str) -> String {
    let full = crate::slug::slugify(title, usize::MAX);
    let mut s = crate::slug::slugify(title, 60);
    // Cut at a word, not in the middle of one.
    if s.len() < full.len()
        && full.as_bytes().get(s.len()) != Some(&b'-')
        && let Some(i) = s.rfind('-')
        && i >= 20
    {
        s.truncate(i);
    }
    if s.len() < 3 { "course".to_string() } else { s }
}

/// Checks a slug the author typed: 3–60 latin letters, digits and hyphens.
pub fn check_slug(s: &str) -> Result<String, Msg> {
    let s = s.trim().to_lowercase();
    let ok = (3..=60).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok {
        Ok(s)
    } else {
        Err(Msg::Course(CourseMsg::SlugInvalid))
    }
}

/// What the course form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseForm {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub outcomes: String,
    pub category: String,
    pub level: String,
    pub language: String,
    pub price: String,
    pub currency: String,
}

/// Validated course fields.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanCourse {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub outcomes: String,
    pub category: String,
    pub level: Level,
    pub language: String,
    pub price_minor: i64,
    pub currency: String,
}

impl CourseForm {
    pub fn validate(&self) -> Result<CleanCourse, crate::error::AppError> {
        let mut c = crate::error::Checks::new();
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            c.add("title", Msg::Required);
        } else if title.chars().count() > TITLE_MAX {
            c.add(
                "title",
                Msg::TooLong {
                    max: TITLE_MAX as u32,
                },
            );
        }
        let slug = if self.slug.trim().is_empty() {
            Ok(slug_from_title(&title))
        } else {
            check_slug(&self.slug)
        };
        c.check("slug", slug.as_ref().map(|_| ()).map_err(|m| *m));
        let description = self.description.trim().to_string();
        if description.chars().count() > DESCRIPTION_MAX {
            c.add(
                "description",
                Msg::TooLong {
                    max: DESCRIPTION_MAX as u32,
                },
            );
        }
        let outcomes: String = self
            .outcomes
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(20)
            .collect::<Vec<_>>()
            .join("\n");
        if outcomes.chars().count() > 3000 {
            c.add("outcomes", Msg::TooLong { max: 3000 });
        }
        if !CATEGORIES.iter().any(|k| k.0 == self.category) {
            c.add("category", Msg::Course(CourseMsg::CategoryUnknown));
        }
        let level = Level::from_code(&self.level);
        if level.is_none() {
            c.add("level", Msg::BadInput);
        }
        if !COURSE_LANGUAGES.iter().any(|k| k.0 == self.language) {
            c.add("language", Msg::LanguageUnknown);
        }
        let price = crate::money::parse_money(&self.price);
        c.check(
            "price",
            price
                .map(|_| ())
                .map_err(|_| Msg::Course(CourseMsg::PriceInvalid)),
        );
        let currency = if self.currency.is_empty() {
            "RUB".to_string()
        } else {
            self.currency.clone()
        };
        if !crate::money::CURRENCIES.contains(&currency.as_str()) {
            c.add("currency", Msg::CurrencyUnknown);
        }
        c.finish()?;
        Ok(CleanCourse {
            title,
            slug: slug.unwrap_or_default(),
            description,
            outcomes,
            category: self.category.clone(),
            level: level.unwrap_or(Level::Beginner),
            language: self.language.clone(),
            price_minor: price.ok().flatten().unwrap_or(0),
            currency,
        })
    }
}

/// Percent of `done` out of `total`, rounded (2 of 3 is 67 %), 0 for an empty course.
pub fn percent(done: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        ((done * 200 + total) / (2 * total)).clamp(0, 100)
    }
}

/// "4 h 05 min", "35 min".
pub fn format_length(ms: i64, l: Locale) -> String {
    let m = (ms + 59_999) / 60_000;
    let (h, m) = (m / 60, m % 60);
    match (h, l) {
        (0, Locale::En) => format!("{m} min"),
        (0, Locale::Ru) => format!("{m} мин"),
        (h, Locale::En) => format!("{h} h {m:02} min"),
        (h, Locale::Ru) => format!("{h} ч {m:02} мин"),
    }
}

/// What a course is called as an item of an order.
pub const ORDER_ITEM: &str = "course";

/// Raised when a learner's progress in a course changes: a lesson completed, the final exam
/// passed. Certificates react to it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ProgressChanged {
    pub learner: crate::ids::UserId,
    pub course: crate::ids::CourseId,
}

#[cfg(feature = "ssr")]
mod server {
    use super::{CatalogQuery, ORDER_ITEM, db};
    use crate::error::AppError;
    use crate::payments::OrderPaid;
    use crate::server::AppState;
    use crate::server::hooks::Hooks;

    /// How old a remembered catalog count may be.
    const COUNT_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30);

    /// The number of catalog matches. It reads every match (tens of ms at 20k courses) while a
    /// page reads one page, so counts are remembered per filter set for a short while and
    /// forgotten whenever the catalog changes (`forget_counts`).
    pub async fn catalog_count(
        st: &AppState,
        q: &CatalogQuery,
        terms: &[String],
    ) -> Result<i64, AppError> {
        let key = format!(
            "catalog|{}|{}|{}|{}|{}|{}|{}",
            q.category,
            q.level,
            q.language,
            q.price,
            q.rating,
            q.duration,
            terms.join(" ")
        );
        // One request counts when the remembered count is missing or old; the others wait for
        // it, or use the old count meanwhile.
        st.counts
            .get_or_compute(&key, COUNT_MAX_AGE, || async {
                Ok::<_, AppError>(db::catalog_count(&st.db, q, terms).await?)
            })
            .await
    }

    /// Forgets the remembered catalog counts (a course was published, changed or archived).
    pub fn forget_counts(st: &AppState) {
        st.counts.forget("catalog|");
        // A course that left the catalog leaves the sitemap at once too.
        crate::seo::forget_sitemap(st);
    }

    /// Registers what courses plug in: enrolling a buyer when their order is paid, and keeping
    /// lesson attachments out of `/media`.
    pub fn register(hooks: &mut Hooks) {
        hooks.on::<OrderPaid>(|st, e| Box::pin(on_order_paid(st, e)));
        hooks.media("attachments", |st, key, token, viewer| {
            Box::pin(super::files::media_access(st, key, token, viewer))
        });
        hooks.storage(|st, user| {
            Box::pin(async move { Ok(db::attachments_bytes_of(&st.db, user).await?) })
        });
    }

    /// A paid order for a course enrolls its buyer, once (the enrollment is one row).
    async fn on_order_paid(st: &AppState, e: &OrderPaid) -> Result<(), AppError> {
        if e.item_type != ORDER_ITEM {
            return Ok(());
        }
        let course = crate::ids::CourseId(e.item_id);
        db::enroll(
            &st.db,
            course,
            e.buyer,
            Some(e.order),
            crate::server::now_ms(),
        )
        .await?;
        Ok(())
    }

    /// The routes of course files (cover, attachments).
    pub fn routes() -> axum::Router<AppState> {
        super::files::routes()
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lifecycle_moves_are_allowed() {
        use Status::*;
        use Transition::*;
        assert_eq!(next_status(Draft, Submit), Some(Review));
        assert_eq!(next_status(Review, Approve), Some(Published));
        assert_eq!(next_status(Review, Return), Some(Draft));
        assert_eq!(next_status(Published, Archive), Some(Archived));
        for (from, t) in [
            (Draft, Approve),
            (Draft, Archive),
            (Published, Submit),
            (Archived, Approve),
            (Archived, Submit),
            (Review, Archive),
            (Published, Return),
        ] {
            assert_eq!(next_status(from, t), None, "{from:?} {t:?}");
        }
    }

    #[test]
    fn stored_codes_are_the_schema_s() {
        let status: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
        let level: Vec<&str> = Level::ALL.iter().map(|l| l.code()).collect();
        let changes: Vec<&str> = Changes::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(status.join(" "), "draft review published archived");
        assert_eq!(level.join(" "), "beginner intermediate advanced");
        assert_eq!(changes.join(" "), "none editing review returned");
        assert_eq!(
            (Status::default(), Level::default(), Changes::default()),
            (Status::Draft, Level::Beginner, Changes::None)
        );
    }

    #[test]
    fn percents_round_to_the_nearest() {
        assert_eq!(
            (
                percent(1, 3),
                percent(2, 3),
                percent(3, 3),
                percent(0, 0),
                percent(5, 3)
            ),
            (33, 67, 100, 0, 100)
        );
    }

    #[test]
    fn slugs_come_from_titles_and_are_checked() {
        assert_eq!(
            slug_from_title("Основы Python для школьников"),
            "osnovy-python-dlya-shkolnikov"
        );
        assert_eq!(
            slug_from_title("Основы программирования на Python"),
            "osnovy-programmirovaniya-na-python"
        );
        assert_eq!(slug_from_title("中文"), "course");
        let long = slug_from_title(
            "Подготовка к единому государственному экзамену по математике профильного уровня",
        );
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
        assert!(check_slug(&long).is_ok());
        assert_eq!(check_slug("My-Course").as_deref(), Ok("my-course"));
        assert_eq!(check_slug("ab"), Err(Msg::Course(CourseMsg::SlugInvalid)));
        assert_eq!(
            check_slug("bad slug"),
            Err(Msg::Course(CourseMsg::SlugInvalid))
        );
        assert_eq!(check_slug("-x-y"), Err(Msg::Course(CourseMsg::SlugInvalid)));
    }

    #[test]
    fn course_forms_are_validated_per_field() {
        let f = CourseForm {
            title: "  Python  basics ".into(),
            category: "programming".into(),
            level: "beginner".into(),
            language: "ru".into(),
            price: "1 990".into(),
            currency: "RUB".into(),
            ..Default::default()
        };
        let c = f.validate().unwrap();
        assert_eq!(
            (c.title.as_str(), c.slug.as_str(), c.price_minor),
            ("Python basics", "python-basics", 199_000)
        );
        let bad = CourseForm {
            price: "-5".into(),
            category: "astrology".into(),
            ..f
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(
            e.field_msg("category"),
            Some(Msg::Course(CourseMsg::CategoryUnknown))
        );
        assert!(e.field_msg("price").is_some());
    }
}
