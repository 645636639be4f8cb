//! The use cases of courses, callable from server functions, REST handlers, jobs, the CLI and
//! the demo alike: authoring (`authoring`: the course form, sections, lessons, attachments,
//! deleting), the review lifecycle (`review`: submitting, the queue, approving or returning,
//! archiving), the catalog and course pages (`catalog`), and learning (`learning`: enrolling,
//! the player, progress, "My learning" and "My courses").
//!
//! Each takes the state and who is acting (`&Actor`, or `Option<&Actor>` for what visitors may
//! read) and typed ids, decides through [`super::access`], and returns `AppError`s that name the
//! field or the reason. None reads Leptos context.

mod authoring;
mod catalog;
mod learning;
mod review;

pub use authoring::*;
pub use catalog::*;
pub use learning::*;
pub use review::*;

use super::{access, db};
use crate::error::{AppError, Msg};
use crate::ids::{CourseId, VideoId};
use crate::server::auth::Actor;
use crate::server::{AppState, search};

/// The course of `id` if `actor` may edit it (its author or an admin), else `NotFound`.
pub(crate) async fn authored(
    st: &AppState,
    actor: &Actor,
    id: CourseId,
) -> Result<db::CourseRow, AppError> {
    let c = course(st, id).await?;
    if !access::may_edit(actor, &c) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// The videos of these lessons, in one query.
async fn lesson_videos(
    st: &AppState,
    lessons: &[db::LessonRow],
) -> Result<Vec<crate::video::db::VideoRow>, AppError> {
    let ids: Vec<VideoId> = lessons.iter().filter_map(|l| l.video_id).collect();
    Ok(crate::video::db::select_by_ids(&st.db, &ids).await?)
}

/// The course of `id`, or `NotFound`.
async fn course(st: &AppState, id: CourseId) -> Result<db::CourseRow, AppError> {
    db::select_course(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The address of a course cover at `width` pixels.
pub fn cover_url(key: &Option<String>, width: u32) -> Option<String> {
    key.as_ref().map(|k| format!("/media/{k}/{width}.jpg"))
}

/// The download address of an attachment (served to those who may open its lesson).
fn attachment(a: db::AttachmentRow) -> super::Attachment {
    super::Attachment {
        id: a.id.get(),
        name: a.name,
        size_bytes: a.size_bytes,
        url: format!("/api/courses/attachments/{}", a.id),
    }
}

/// Catalog cards for course rows (one query for the authors).
pub async fn cards(
    st: &AppState,
    rows: &[db::CourseRow],
) -> Result<Vec<super::CourseCard>, AppError> {
    let ids: Vec<crate::ids::UserId> = rows.iter().map(|r| r.author_id).collect();
    let authors = crate::people::authors(st, &ids).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(super::CourseCard {
                id: r.id.get(),
                slug: r.slug.clone(),
                title: r.title.clone(),
                excerpt: crate::ui::excerpt(&crate::markdown::plain_text(&r.description), 160),
                category: r.category.clone(),
                level: r.level,
                language: r.language.clone(),
                price_minor: r.price_minor,
                currency: r.currency.clone(),
                cover_url: cover_url(&r.cover_key, 640),
                author: authors.get(&r.author_id).cloned()?,
                lessons_count: r.lessons_count,
                duration_ms: r.duration_ms,
                enrollments_count: r.enrollments_count,
                rating_avg: (r.rating_count > 0).then(|| r.rating_x100 as f64 / 100.0),
                rating_count: r.rating_count,
                status: r.status,
            })
        })
        .collect())
}

/// Rebuilds the search document: title, description and lesson titles, stemmed.
async fn reindex(st: &AppState, course: CourseId) -> Result<(), AppError> {
    let Some(c) = db::select_course(&st.db, course).await? else {
        return Ok(());
    };
    let lessons = db::lessons(&st.db, course).await?;
    let titles: Vec<&str> = lessons.iter().map(|l| l.title.as_str()).collect();
    let mut parts = vec![
        c.title.as_str(),
        c.description.as_str(),
        c.outcomes.as_str(),
    ];
    parts.extend(titles);
    db::set_search_doc(&st.db, course, &search::document(&parts)).await?;
    super::forget_counts(st);
    Ok(())
}

/// A section or lesson title: spaces collapsed, required, at most `TITLE_MAX` characters.
fn lesson_title(s: &str) -> Result<String, AppError> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(AppError::field("title", Msg::Required));
    }
    if t.chars().count() > super::TITLE_MAX {
        return Err(AppError::field(
            "title",
            Msg::TooLong {
                max: super::TITLE_MAX as u32,
            },
        ));
    }
    Ok(t)
}

/// `Conflict(IllegalTransition)`: the course is not where the move starts.
fn illegal() -> AppError {
    AppError::Conflict(Msg::Course(super::CourseMsg::IllegalTransition))
}
