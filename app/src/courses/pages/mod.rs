//! Course pages: the catalog, a course, the lesson player, "My learning", the author's "My
//! courses" and the moderators' review queue. The course editor is in `editor.rs`.

mod catalog;
mod course;
mod learning;
mod lesson;
mod review;
mod studio;

pub use catalog::CatalogPage;
pub use course::CoursePage;
pub use learning::LearningPage;
pub use lesson::LessonPage;
pub use review::ReviewQueuePage;
pub use studio::StudioCoursesPage;
