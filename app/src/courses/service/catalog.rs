//! The catalog (filters, full-text search, keyset pages) and the course page.

use super::{cards, lesson_videos};
use crate::courses::access::{self, Access};
use crate::courses::{
    CATALOG_PAGE, CATEGORIES, CatalogPage, CatalogQuery, Changes, CourseDetail, LessonItem, Level,
    SectionItem, Status, catalog_count, db, percent,
};
use crate::error::{AppError, Msg};
use crate::ids::LessonId;
use crate::markdown::rich as markdown;
use crate::server::auth::Actor;
use crate::server::{AppState, search};

/// A catalog page: published courses matching the query, with the number of matches. Anyone.
/// Errors: `BadRequest` (a malformed cursor or filter).
pub async fn list_catalog(st: &AppState, query: &CatalogQuery) -> Result<CatalogPage, AppError> {
    let bad = || AppError::BadRequest(Msg::BadInput);
    if (!query.category.is_empty() && !CATEGORIES.iter().any(|c| c.0 == query.category))
        || (!query.level.is_empty() && Level::from_code(&query.level).is_none())
        || query.q.chars().count() > 200
    {
        return Err(bad());
    }
    let after = if query.after.is_empty() {
        None
    } else {
        let (a, b) = query.after.split_once('_').ok_or_else(bad)?;
        Some((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?))
    };
    let terms = search::query_terms(&query.q);
    if !query.q.trim().is_empty() && terms.is_empty() {
        return Ok(CatalogPage {
            items: Vec::new(),
            total: 0,
            next: None,
        });
    }
    let limit = CATALOG_PAGE;
    let mut rows = db::catalog_page(&st.db, query, &terms, after, limit + 1).await?;
    let total = catalog_count(st, query, &terms).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}_{}", db::sort_key(&query.sort, r), r.id))
    } else {
        None
    };
    Ok(CatalogPage {
        items: cards(st, &rows).await?,
        total,
        next,
    })
}

/// A course page. Anyone for published and archived courses; the author and moderators also
/// for drafts and courses in review (the moderator's preview). Errors: `NotFound`.
pub async fn get_course(
    st: &AppState,
    viewer: Option<&Actor>,
    slug: &str,
) -> Result<CourseDetail, AppError> {
    let c = db::select_course_by_slug(&st.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = access::access(st, &c, viewer).await?;
    Ok(detail(st, c, viewer, a).await?.0)
}

/// The course page's data and the lesson the viewer last opened (when enrolled), for a viewer
/// with access `a`. Errors: `NotFound` when `a` may not view the course.
pub(super) async fn detail(
    st: &AppState,
    c: db::CourseRow,
    viewer: Option<&Actor>,
    a: Access,
) -> Result<(CourseDetail, Option<LessonId>), AppError> {
    if !a.may_view(&c) {
        return Err(AppError::NotFound);
    }
    let sections = db::sections(&st.db, c.id).await?;
    let lessons = db::lessons(&st.db, c.id).await?;
    let videos = lesson_videos(st, &lessons).await?;
    let completed = match viewer {
        Some(v) if a.enrolled() => db::completed_lessons(&st.db, v.user, c.id).await?,
        _ => Vec::new(),
    };
    let enrollment = a.enrollment.clone();
    let profile = crate::profiles::db::select_by_user(&st.db, c.author_id).await?;
    let card = cards(st, std::slice::from_ref(&c))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let total = lessons.len().max(1) as i64;
    let last_lesson = enrollment.as_ref().and_then(|e| e.last_lesson_id);
    // Drafts' feedback and pending changes are for the author and moderators only.
    let staff = a.author || a.moderator;
    let detail = CourseDetail {
        card,
        description_html: c.description_html.clone(),
        outcomes: c.outcomes.lines().map(String::from).collect(),
        sections: sections
            .into_iter()
            .map(|s| SectionItem {
                id: s.id.get(),
                title: s.title,
                lessons: lessons
                    .iter()
                    .filter(|l| l.section_id == s.id)
                    .map(|l| {
                        let video = l.video_id.and_then(|v| videos.iter().find(|x| x.id == v));
                        LessonItem {
                            id: l.id.get(),
                            title: l.title.clone(),
                            free_preview: l.free_preview,
                            has_video: video.is_some(),
                            duration_ms: video.and_then(|v| v.duration_ms).unwrap_or(0),
                            completed: completed.contains(&l.id),
                        }
                    })
                    .collect(),
            })
            .collect(),
        enrolled: a.enrolled(),
        is_author: a.author,
        can_edit: a.may_edit(),
        can_moderate: a.may_review(),
        progress_percent: percent(completed.len() as i64, total),
        resume_lesson: enrollment
            .and_then(|e| e.last_lesson_id)
            .or(lessons.first().map(|l| l.id))
            .map(LessonId::get),
        author_headline: profile.map(|p| p.headline).unwrap_or_default(),
        published_at: c.published_at,
        review_feedback: staff.then_some(c.review_feedback.clone()).flatten(),
        pending_review: c.status == Status::Review || c.changes_state == Changes::Review,
        pending_title: staff.then(|| c.pending_title.clone()).flatten(),
        pending_description_html: staff
            .then(|| c.pending_description.as_deref().map(markdown))
            .flatten(),
        status_changes: c.changes_state.code().to_string(),
    };
    Ok((detail, last_lesson))
}

/// A tutor's published courses, newest first, as cards — for their profile. Anyone; nothing for
/// a banned tutor, and for visitors of a members-only profile. Errors: `NotFound` (no such handle).
pub async fn by_tutor(
    st: &AppState,
    viewer: Option<&Actor>,
    handle: &str,
) -> Result<Vec<crate::courses::CourseCard>, AppError> {
    let p = crate::profiles::db::select_by_handle(&st.db, handle)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.banned_at.is_some() || (p.visibility == "members" && viewer.is_none()) {
        return Ok(Vec::new());
    }
    let mut rows = db::list_by_author(&st.db, p.user_id).await?;
    rows.retain(|c| c.status == Status::Published);
    cards(st, &rows).await
}
