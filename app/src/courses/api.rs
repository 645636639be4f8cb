//! Server functions of courses. Each states who may call it.

use super::{
    AuthorCourse, CatalogPage, CatalogQuery, CourseDetail, CourseDraft, CourseForm, LearningItem,
    LessonView,
};
#[cfg(feature = "ssr")]
use crate::courses::CourseMsg;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::video::VideoMsg;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::{
        Attachment, CourseCard, DraftLesson, DraftSection, LessonItem, Level, ProgressChanged,
        SectionItem, Status, Transition, db, next_status,
    },
    crate::accounts::Role,
    crate::error::Msg,
    crate::ids::{CourseId, UserId},
    crate::markdown::rich as markdown,
    crate::notifications::{Kind, Subject, service::notify},
    crate::server::{AppState, auth, auth::Actor, hooks, now_ms, search, state},
};

/// The course of `id` if the actor may edit it (its author or an admin), else `NotFound`.
#[cfg(feature = "ssr")]
async fn authored(st: &AppState, s: &Actor, id: i64) -> Result<db::CourseRow, AppError> {
    let c = db::select_course(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::access::may_edit(s, &c) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

#[cfg(feature = "ssr")]
pub fn cover_url(key: &Option<String>, width: u32) -> Option<String> {
    key.as_ref().map(|k| format!("/media/{k}/{width}.jpg"))
}

/// Catalog cards for course rows (one query for the authors).
#[cfg(feature = "ssr")]
pub async fn cards(st: &AppState, rows: &[db::CourseRow]) -> Result<Vec<CourseCard>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.author_id).collect();
    let authors = crate::people::authors(st, &ids).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(CourseCard {
                id: r.id,
                slug: r.slug.clone(),
                title: r.title.clone(),
                excerpt: crate::ui::excerpt(&crate::markdown::plain_text(&r.description), 160),
                category: r.category.clone(),
                level: Level::from_code(&r.level).unwrap_or(Level::Beginner),
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
                status: Status::from_code(&r.status),
            })
        })
        .collect())
}

/// Rebuilds the search document: title, description and lesson titles, stemmed.
#[cfg(feature = "ssr")]
async fn reindex(st: &AppState, course: i64) -> Result<(), AppError> {
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

#[cfg(feature = "ssr")]
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

// ---------------- authoring ----------------

/// Creates a draft course. Tutors only. Errors: `NotAuthenticated`, `Forbidden`, `Validation`
/// (with `SlugTaken`).
#[server(endpoint = "courses/create", input = Json)]
pub async fn create_course(form: CourseForm) -> Result<i64, AppError> {
    let s = auth::require(Role::Tutor)?;
    let st = state();
    let c = form.validate()?;
    if db::slug_taken(&st.db, &c.slug, 0).await? {
        return Err(AppError::field("slug", Msg::Course(CourseMsg::SlugTaken)));
    }
    let doc = search::document(&[&c.title, &c.description, &c.outcomes]);
    db::insert_course(
        &st.db,
        s.user.get(),
        &c,
        &markdown(&c.description),
        &doc,
        now_ms(),
    )
    .await?
    .ok_or(AppError::field("slug", Msg::Course(CourseMsg::SlugTaken)))
}

/// The course as its author edits it. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/draft")]
pub async fn get_course_draft(id: i64) -> Result<CourseDraft, AppError> {
    let s = auth::actor()?;
    let st = state();
    let c = authored(&st, &s, id).await?;
    draft_of(&st, c).await
}

#[cfg(feature = "ssr")]
async fn draft_of(st: &AppState, c: db::CourseRow) -> Result<CourseDraft, AppError> {
    let sections = db::sections(&st.db, c.id).await?;
    let lessons = db::lessons(&st.db, c.id).await?;
    let lesson_ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let attachments = db::attachments(&st.db, &lesson_ids).await?;
    let video_ids: Vec<i64> = lessons.iter().filter_map(|l| l.video_id).collect();
    let videos = crate::video::db::select_by_ids(&st.db, &video_ids).await?;
    let price = if c.price_minor == 0 {
        String::new()
    } else if c.price_minor % 100 == 0 {
        (c.price_minor / 100).to_string()
    } else {
        format!("{}.{:02}", c.price_minor / 100, c.price_minor % 100)
    };
    Ok(CourseDraft {
        id: c.id,
        slug: c.slug,
        title: c.pending_title.clone().unwrap_or(c.title),
        description: c.pending_description.clone().unwrap_or(c.description),
        outcomes: c.outcomes,
        category: c.category,
        level: Level::from_code(&c.level).unwrap_or(Level::Beginner),
        language: c.language,
        price,
        currency: c.currency,
        cover_url: cover_url(&c.cover_key, 640),
        status: Status::from_code(&c.status),
        changes_state: c.changes_state,
        review_feedback: c.review_feedback,
        structure_version: c.structure_version,
        sections: sections
            .into_iter()
            .map(|s| DraftSection {
                id: s.id,
                title: s.title,
                lessons: lessons
                    .iter()
                    .filter(|l| l.section_id == s.id)
                    .map(|l| DraftLesson {
                        id: l.id,
                        title: l.title.clone(),
                        body: l.body.clone(),
                        video: l.video_id.and_then(|v| {
                            videos
                                .iter()
                                .find(|x| x.id == v)
                                .map(|x| x.public_id.clone())
                        }),
                        free_preview: l.free_preview == 1,
                        attachments: attachments
                            .iter()
                            .filter(|a| a.lesson_id == l.id)
                            .map(|a| Attachment {
                                id: a.id,
                                name: a.name.clone(),
                                size_bytes: a.size_bytes,
                                url: format!("/api/courses/attachments/{}", a.id),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// Saves the course form. The author only. On a published course a new title or description
/// waits for review. Errors: `NotAuthenticated`, `NotFound`, `Validation` (with `SlugTaken`).
#[server(endpoint = "courses/update", input = Json)]
pub async fn update_course(id: i64, form: CourseForm) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    let row = authored(&st, &s, id).await?;
    let c = form.validate()?;
    if db::slug_taken(&st.db, &c.slug, id).await? {
        return Err(AppError::field("slug", Msg::Course(CourseMsg::SlugTaken)));
    }
    db::update_course(&st.db, &row, &c, &markdown(&c.description), now_ms()).await?;
    reindex(&st, id).await
}

/// Adds a section. The author only. Errors: `NotAuthenticated`, `NotFound`, `Validation`.
#[server(endpoint = "courses/section-add")]
pub async fn add_section(course: i64, title: String) -> Result<i64, AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    Ok(db::insert_section(&st.db, course, &lesson_title(&title)?, now_ms()).await?)
}

/// Renames a section. The author only. Errors: `NotAuthenticated`, `NotFound`, `Validation`.
#[server(endpoint = "courses/section-rename")]
pub async fn rename_section(course: i64, id: i64, title: String) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    if !db::rename_section(&st.db, course, id, &lesson_title(&title)?).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes a section and its lessons. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/section-delete")]
pub async fn delete_section(course: i64, id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    if !db::delete_section(&st.db, course, id, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    reindex(&st, course).await
}

/// Adds a lesson to a section of the course. The author only. Errors: `NotAuthenticated`,
/// `NotFound` (course, or a section of another course), `Validation`.
#[server(endpoint = "courses/lesson-add")]
pub async fn add_lesson(course: i64, section: i64, title: String) -> Result<i64, AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    let id = db::insert_lesson(&st.db, course, section, &lesson_title(&title)?, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    reindex(&st, course).await?;
    Ok(id)
}

/// Saves a lesson: title, Markdown body, one of the author's videos ("" for none), free preview.
/// The author only. Errors: `NotAuthenticated`, `NotFound` (a lesson of another course),
/// `Validation`.
#[server(endpoint = "courses/lesson-update", input = Json)]
pub async fn update_lesson(
    course: i64,
    id: i64,
    title: String,
    body: String,
    video: String,
    free_preview: bool,
) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    let title = lesson_title(&title)?;
    if body.chars().count() > super::LESSON_BODY_MAX {
        return Err(AppError::field(
            "body",
            Msg::TooLong {
                max: super::LESSON_BODY_MAX as u32,
            },
        ));
    }
    let video_id = if video.trim().is_empty() {
        None
    } else {
        match crate::video::db::select_by_public_id(&st.db, video.trim()).await? {
            Some(v) if v.owner_id == s.user.get() => Some(v.id),
            _ => return Err(AppError::field("video", Msg::Video(VideoMsg::NotReady))),
        }
    };
    if !db::update_lesson(
        &st.db,
        course,
        id,
        &title,
        body.trim(),
        &markdown(body.trim()),
        video_id,
        free_preview,
        now_ms(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    // Lesson videos are private: their files are served through signed links given only to those
    // who may open the lesson.
    if let Some(v) = video_id {
        crate::video::db::set_visibility(&st.db, v, "private", now_ms()).await?;
    }
    reindex(&st, course).await
}

/// Deletes a lesson. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/lesson-delete")]
pub async fn delete_lesson(course: i64, id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    if !db::delete_lesson(&st.db, course, id, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    reindex(&st, course).await
}

/// Reorders sections and lessons: `layout` lists every section with its lessons, in order;
/// `version` is the structure version the editor saw. The author only. Errors:
/// `NotAuthenticated`, `NotFound`, `Conflict(StructureChanged)` when someone changed the course
/// meanwhile, `BadRequest` when the layout is not exactly this course's sections and lessons.
#[server(endpoint = "courses/reorder", input = Json)]
pub async fn reorder_course(
    course: i64,
    version: i64,
    layout: Vec<(i64, Vec<i64>)>,
) -> Result<i64, AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    match db::reorder(&st.db, course, version, &layout, now_ms()).await? {
        Ok(()) => Ok(version + 1),
        Err("stale") => Err(AppError::Conflict(Msg::Course(CourseMsg::StructureChanged))),
        Err(_) => Err(AppError::BadRequest(Msg::BadInput)),
    }
}

/// Removes an attachment. The author only. Errors: `NotAuthenticated`, `NotFound`.
#[server(endpoint = "courses/attachment-delete")]
pub async fn delete_attachment(course: i64, id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    authored(&st, &s, course).await?;
    let a = db::select_attachment(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match db::select_lesson(&st.db, a.lesson_id).await? {
        Some((c, _)) if c == course => {}
        _ => return Err(AppError::NotFound),
    }
    db::delete_attachment(&st.db, id).await?;
    st.storage.delete_prefix(&a.storage_key).await?;
    Ok(())
}

/// Sends a draft for review (or a published course's pending changes). The author only. Errors:
/// `NotAuthenticated`, `NotFound`, `Conflict(IllegalTransition)`, `Validation(CourseIncomplete)`.
#[server(endpoint = "courses/submit")]
pub async fn submit_course(id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    let c = authored(&st, &s, id).await?;
    let now = now_ms();
    if c.status == "published" && matches!(c.changes_state.as_str(), "editing" | "returned") {
        db::set_changes(
            &st.db,
            id,
            &["editing", "returned"],
            "review",
            None,
            None,
            now,
        )
        .await?;
        return Ok(());
    }
    let from = Status::from_code(&c.status);
    let to = next_status(from, Transition::Submit).ok_or(AppError::Conflict(Msg::Course(
        CourseMsg::IllegalTransition,
    )))?;
    if c.lessons_count == 0 || c.description.trim().is_empty() {
        return Err(AppError::field(
            "course",
            Msg::Course(CourseMsg::Incomplete),
        ));
    }
    if !db::set_status(&st.db, id, from.code(), to.code(), None, now).await? {
        return Err(AppError::Conflict(Msg::Course(
            CourseMsg::IllegalTransition,
        )));
    }
    Ok(())
}

/// Archives a published course: no new enrollments; learners keep access. The author or a
/// moderator. Errors: `NotAuthenticated`, `NotFound`, `Conflict(IllegalTransition)`.
#[server(endpoint = "courses/archive")]
pub async fn archive_course(id: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    let c = db::select_course(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::access::may_archive(&s, &c) {
        return Err(AppError::NotFound);
    }
    let from = Status::from_code(&c.status);
    let to = next_status(from, Transition::Archive).ok_or(AppError::Conflict(Msg::Course(
        CourseMsg::IllegalTransition,
    )))?;
    if !db::set_status(&st.db, id, from.code(), to.code(), None, now_ms()).await? {
        return Err(AppError::Conflict(Msg::Course(
            CourseMsg::IllegalTransition,
        )));
    }
    super::forget_counts(&st);
    Ok(())
}

/// What deleting a course did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Deleted {
    /// The course and its lessons are gone.
    Removed,
    /// It has learners: it was archived instead (no new enrollments; learners keep access,
    /// progress and certificates).
    Archived,
}

/// Deletes a course: the author or an admin. A course with learners is archived instead.
/// Errors: `NotAuthenticated`, `NotFound` (not theirs).
#[server(endpoint = "courses/delete")]
pub async fn delete_course(id: i64) -> Result<Deleted, AppError> {
    let s = auth::actor()?;
    let st = state();
    let c = authored(&st, &s, id).await?;
    let lesson_ids: Vec<i64> = db::lessons(&st.db, id)
        .await?
        .iter()
        .map(|l| l.id)
        .collect();
    let files = db::attachments(&st.db, &lesson_ids).await?;
    if db::delete_course_without_learners(&st.db, id).await? {
        for a in files {
            st.storage.delete_prefix(&a.storage_key).await?;
        }
        if let Some(cover) = &c.cover_key {
            st.storage.delete_prefix(cover).await?;
        }
        crate::payments::service::withdraw_item(&st, super::ORDER_ITEM, id).await?;
        crate::notifications::service::forget_subject(&st, "course", id).await?;
        super::forget_counts(&st);
        tracing::info!(course = id, by = %s.user, "course deleted");
        return Ok(Deleted::Removed);
    }
    if c.status == "published" {
        db::set_status(&st.db, id, "published", "archived", None, now_ms()).await?;
        super::forget_counts(&st);
    }
    Ok(Deleted::Archived)
}

// ---------------- moderation ----------------

/// The review queue, oldest first, without the moderator's own courses (admins see all).
/// Moderators only. Errors: `NotAuthenticated`, `Forbidden`.
#[server(endpoint = "courses/queue")]
pub async fn review_queue() -> Result<Vec<super::CourseCard>, AppError> {
    let s = auth::require(Role::Moderator)?;
    let st = state();
    let admin = s.is_admin();
    let mut rows = db::review_queue(&st.db).await?;
    rows.retain(|c| admin || c.author_id != s.user.get());
    cards(&st, &rows).await
}

/// Approves a course (or its pending changes), or returns it to its author with `feedback`.
/// Moderators only. Errors: `NotAuthenticated`, `Forbidden`, `NotFound`,
/// `Conflict(IllegalTransition)`, `Validation(Required)` for a return without feedback.
#[server(endpoint = "courses/moderate")]
pub async fn moderate_course(
    id: i64,
    approve: bool,
    #[server(default)] feedback: String,
) -> Result<(), AppError> {
    let s = auth::require(Role::Moderator)?;
    let st = state();
    let c = db::select_course(&st.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access(&st, &c, Some(&s)).await?.may_review() {
        return Err(AppError::Forbidden);
    }
    let feedback = feedback.trim().to_string();
    if !approve && feedback.is_empty() {
        return Err(AppError::field("feedback", Msg::Required));
    }
    if feedback.chars().count() > 5000 {
        return Err(AppError::field("feedback", Msg::TooLong { max: 5000 }));
    }
    let now = now_ms();
    let ok = if c.status == "published" && c.changes_state == "review" {
        if approve {
            let html = c.pending_description.as_deref().map(markdown);
            db::set_changes(&st.db, id, &["review"], "none", None, html.as_deref(), now).await?
        } else {
            db::set_changes(
                &st.db,
                id,
                &["review"],
                "returned",
                Some(&feedback),
                None,
                now,
            )
            .await?
        }
    } else {
        let t = if approve {
            Transition::Approve
        } else {
            Transition::Return
        };
        let from = Status::from_code(&c.status);
        let to = next_status(from, t).ok_or(AppError::Conflict(Msg::Course(
            CourseMsg::IllegalTransition,
        )))?;
        db::set_status(
            &st.db,
            id,
            from.code(),
            to.code(),
            (!approve).then_some(feedback.as_str()),
            now,
        )
        .await?
    };
    if !ok {
        return Err(AppError::Conflict(Msg::Course(
            CourseMsg::IllegalTransition,
        )));
    }
    reindex(&st, id).await?;
    let kind = if approve {
        Kind::CourseApproved
    } else {
        Kind::CourseReturned
    };
    notify(
        &st,
        UserId(c.author_id),
        kind,
        s.user,
        Subject::new("course", id, format!("/studio/courses/{id}")),
    )
    .await?;
    Ok(())
}

// ---------------- learners ----------------

/// A catalog page: published courses matching the query, with the number of matches. Anyone.
/// Errors: `BadRequest` (a malformed cursor or filter).
#[server(endpoint = "courses/catalog", input = Json)]
pub async fn list_catalog(query: CatalogQuery) -> Result<CatalogPage, AppError> {
    let st = state();
    let bad = || AppError::BadRequest(Msg::BadInput);
    if (!query.category.is_empty() && !super::CATEGORIES.iter().any(|c| c.0 == query.category))
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
    let limit = super::CATALOG_PAGE;
    let mut rows = db::catalog_page(&st.db, &query, &terms, after, limit + 1).await?;
    let total = super::catalog_count(&st, &query, &terms).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}_{}", db::sort_key(&query.sort, r), r.id))
    } else {
        None
    };
    Ok(CatalogPage {
        items: cards(&st, &rows).await?,
        total,
        next,
    })
}

#[cfg(feature = "ssr")]
pub use super::access::{Access, access, may_open_lesson};

#[cfg(feature = "ssr")]
async fn detail(
    st: &AppState,
    c: db::CourseRow,
    viewer: Option<&Actor>,
) -> Result<CourseDetail, AppError> {
    let a = access(st, &c, viewer).await?;
    Ok(detail_and_last_lesson(st, c, viewer, a).await?.0)
}

/// The course page's data and the lesson the viewer last opened (when enrolled).
#[cfg(feature = "ssr")]
async fn detail_and_last_lesson(
    st: &AppState,
    c: db::CourseRow,
    viewer: Option<&Actor>,
    a: Access,
) -> Result<(CourseDetail, Option<i64>), AppError> {
    if !a.may_view(&c) {
        return Err(AppError::NotFound);
    }
    let sections = db::sections(&st.db, c.id).await?;
    let lessons = db::lessons(&st.db, c.id).await?;
    let video_ids: Vec<i64> = lessons.iter().filter_map(|l| l.video_id).collect();
    let videos = crate::video::db::select_by_ids(&st.db, &video_ids).await?;
    let completed = match viewer {
        Some(v) if a.enrolled() => db::completed_lessons(&st.db, v.user.get(), c.id).await?,
        _ => Vec::new(),
    };
    let enrollment = a.enrollment.clone();
    let profile = crate::profiles::db::select_by_user(&st.db, UserId(c.author_id)).await?;
    let card = cards(st, std::slice::from_ref(&c))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let total = lessons.len().max(1) as i64;
    let last_lesson = enrollment.as_ref().and_then(|e| e.last_lesson_id);
    let detail = CourseDetail {
        card,
        description_html: c.description_html.clone(),
        outcomes: c.outcomes.lines().map(String::from).collect(),
        sections: sections
            .into_iter()
            .map(|s| SectionItem {
                id: s.id,
                title: s.title,
                lessons: lessons
                    .iter()
                    .filter(|l| l.section_id == s.id)
                    .map(|l| {
                        let video = l.video_id.and_then(|v| videos.iter().find(|x| x.id == v));
                        LessonItem {
                            id: l.id,
                            title: l.title.clone(),
                            free_preview: l.free_preview == 1,
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
        progress_percent: super::percent(completed.len() as i64, total),
        resume_lesson: enrollment
            .and_then(|e| e.last_lesson_id)
            .or(lessons.first().map(|l| l.id)),
        author_headline: profile.map(|p| p.headline).unwrap_or_default(),
        published_at: c.published_at,
        review_feedback: (a.author || a.moderator)
            .then_some(c.review_feedback.clone())
            .flatten(),
        pending_review: c.status == "review" || c.changes_state == "review",
        pending_title: (a.author || a.moderator)
            .then(|| c.pending_title.clone())
            .flatten(),
        pending_description_html: (a.author || a.moderator)
            .then(|| c.pending_description.as_deref().map(markdown))
            .flatten(),
        status_changes: c.changes_state.clone(),
    };
    Ok((detail, last_lesson))
}

/// A course page. Anyone for published and archived courses; the author and moderators also
/// for drafts and courses in review (the moderator's preview). Errors: `NotFound`.
#[server(endpoint = "courses/get")]
pub async fn get_course(slug: String) -> Result<CourseDetail, AppError> {
    let st = state();
    let viewer = auth::current();
    let Some(c) = db::select_course_by_slug(&st.db, &slug).await? else {
        crate::server::request::set_status(404);
        return Err(AppError::NotFound);
    };
    detail(&st, c, viewer.as_ref())
        .await
        .inspect_err(|_| crate::server::request::set_status(404))
}

/// What enrolling led to.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Enrolled {
    /// Enrolled (a free course).
    Done,
    /// Pay first: go to this checkout address.
    Checkout(String),
}

/// Enrolls in a free course, or starts the checkout of a paid one. Signed-in people. Errors:
/// `NotAuthenticated`, `NotFound`, `Conflict(AlreadyEnrolled)`, `Conflict(CourseNotOpen)` for a
/// draft, a course in review or an archived course.
#[server(endpoint = "courses/enroll")]
pub async fn enroll(course: i64) -> Result<Enrolled, AppError> {
    let s = auth::actor()?;
    let st = state();
    let c = db::select_course(&st.db, course)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.status != "published" {
        return Err(AppError::Conflict(Msg::Course(CourseMsg::NotOpen)));
    }
    if db::enrollment(&st.db, course, s.user.get())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(Msg::Course(CourseMsg::AlreadyEnrolled)));
    }
    if c.price_minor == 0 {
        if !db::enroll(&st.db, course, s.user.get(), None, now_ms()).await? {
            return Err(AppError::Conflict(Msg::Course(CourseMsg::AlreadyEnrolled)));
        }
        return Ok(Enrolled::Done);
    }
    let url = crate::payments::service::start_checkout(
        &st,
        &s,
        &crate::payments::service::Item {
            kind: super::ORDER_ITEM,
            id: c.id,
            title: &c.title,
            return_path: &format!("/courses/{}", c.slug),
            amount_minor: c.price_minor,
            currency: &c.currency,
        },
    )
    .await?;
    Ok(Enrolled::Checkout(url))
}

/// A lesson in the player. Enrolled learners, the author, moderators; everyone for a free
/// preview. Errors: `NotFound`, `Forbidden` (not enrolled).
#[server(endpoint = "courses/lesson")]
pub async fn get_lesson(slug: String, lesson: i64) -> Result<LessonView, AppError> {
    let st = state();
    let viewer = auth::current();
    let c = db::select_course_by_slug(&st.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some((course_id, l)) = db::select_lesson(&st.db, lesson).await? else {
        return Err(AppError::NotFound);
    };
    if course_id != c.id {
        return Err(AppError::NotFound);
    }
    let a = access(&st, &c, viewer.as_ref()).await?;
    if !a.may_open(&c, l.free_preview == 1) {
        crate::server::request::set_status(403);
        return Err(AppError::Forbidden);
    }
    let (course, last_lesson) = detail_and_last_lesson(&st, c, viewer.as_ref(), a).await?;
    let order: Vec<i64> = course
        .sections
        .iter()
        .flat_map(|s| s.lessons.iter().map(|l| l.id))
        .collect();
    let pos = order.iter().position(|x| *x == lesson).unwrap_or(0);
    let full = course.enrolled || course.is_author || course.can_moderate;
    let visible = |id: i64| {
        full || course
            .sections
            .iter()
            .flat_map(|s| &s.lessons)
            .any(|x| x.id == id && x.free_preview)
    };
    let prev = order[..pos].iter().rev().copied().find(|id| visible(*id));
    let next = order
        .get(pos + 1..)
        .unwrap_or(&[])
        .iter()
        .copied()
        .find(|id| visible(*id));
    let video = match l.video_id {
        Some(vid) => match crate::video::db::select_by_ids(&st.db, &[vid]).await?.pop() {
            Some(v) => {
                let mut view = crate::video::api::build_view(&st, &v, viewer.as_ref()).await?;
                if let Some(s) = &viewer {
                    view.start_ms = db::lesson_position(&st.db, s.user.get(), lesson).await?;
                }
                Some(view)
            }
            None => None,
        },
        None => None,
    };
    let attachments = db::attachments(&st.db, &[lesson])
        .await?
        .into_iter()
        .map(|a| Attachment {
            id: a.id,
            name: a.name,
            size_bytes: a.size_bytes,
            url: format!("/api/courses/attachments/{}", a.id),
        })
        .collect();
    // Reopening the lesson one is on (a reload, the resume link) records nothing new.
    if let Some(s) = &viewer
        && course.enrolled
        && last_lesson != Some(lesson)
    {
        db::record_progress(
            &st.db,
            s.user.get(),
            course_id,
            lesson,
            None,
            false,
            now_ms(),
        )
        .await?;
    }
    let completed = course
        .sections
        .iter()
        .flat_map(|s| &s.lessons)
        .any(|x| x.id == lesson && x.completed);
    Ok(LessonView {
        preview_only: !full,
        id: l.id,
        title: l.title,
        body_html: l.body_html,
        video,
        attachments,
        completed,
        prev,
        next,
        course,
    })
}

/// Records where the learner is in a lesson's video; a video watched to 90 % completes the lesson.
/// The client's `duration_ms` is not trusted: the stored video's length counts.
/// Enrolled learners. Errors: `NotAuthenticated`, `NotFound`, `Forbidden`.
#[server(endpoint = "courses/progress")]
pub async fn save_lesson_progress(
    lesson: i64,
    position_ms: i64,
    duration_ms: i64,
) -> Result<bool, AppError> {
    let s = auth::actor()?;
    let st = state();
    let (course, l) = db::select_lesson(&st.db, lesson)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::enrollment(&st.db, course, s.user.get())
        .await?
        .is_none()
    {
        return Err(AppError::Forbidden);
    }
    // The length that counts is the stored video's, not the client's: a lesson without a video
    // is never completed by a position, and an absurd position is clamped to the video's end.
    let video_ms = match l.video_id {
        Some(v) => crate::video::db::select_by_ids(&st.db, &[v])
            .await?
            .pop()
            .and_then(|v| v.duration_ms)
            .unwrap_or(0),
        None => 0,
    };
    let _client_duration = duration_ms;
    let position_ms = position_ms.clamp(0, video_ms);
    let complete = video_ms > 0 && position_ms as i128 * 10 >= video_ms as i128 * 9;
    db::record_progress(
        &st.db,
        s.user.get(),
        course,
        lesson,
        Some(position_ms),
        complete,
        now_ms(),
    )
    .await?;
    if complete {
        hooks::emit(
            &st,
            ProgressChanged {
                learner: s.user,
                course: CourseId(course),
            },
        )
        .await?;
    }
    Ok(complete)
}

/// Marks a lesson complete. Enrolled learners. Errors: `NotAuthenticated`, `NotFound`, `Forbidden`.
#[server(endpoint = "courses/complete")]
pub async fn complete_lesson(lesson: i64) -> Result<(), AppError> {
    let s = auth::actor()?;
    let st = state();
    let (course, _) = db::select_lesson(&st.db, lesson)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::enrollment(&st.db, course, s.user.get())
        .await?
        .is_none()
    {
        return Err(AppError::Forbidden);
    }
    db::record_progress(&st.db, s.user.get(), course, lesson, None, true, now_ms()).await?;
    hooks::emit(
        &st,
        ProgressChanged {
            learner: s.user,
            course: CourseId(course),
        },
    )
    .await?;
    Ok(())
}

/// The signed-in learner's courses: in progress (with percent and where to continue) and completed.
/// Errors: `NotAuthenticated`.
#[server(endpoint = "courses/learning")]
pub async fn my_learning() -> Result<Vec<LearningItem>, AppError> {
    let s = auth::actor()?;
    let st = state();
    let enrollments = db::enrollments_of(&st.db, s.user.get()).await?;
    let ids: Vec<i64> = enrollments.iter().map(|e| e.course_id).collect();
    let rows = db::select_courses(&st.db, &ids).await?;
    let cards = cards(&st, &rows).await?;
    Ok(enrollments
        .iter()
        .filter_map(|e| {
            let card = cards.iter().find(|c| c.id == e.course_id)?.clone();
            let total = card.lessons_count.max(1);
            Some(LearningItem {
                percent: super::percent(e.completed_lessons, total),
                completed: e.completed_at.is_some(),
                continue_lesson: e.last_lesson_id,
                card,
            })
        })
        .collect())
}

/// The signed-in tutor's courses with enrollments, completion rate and average progress.
/// Errors: `NotAuthenticated`.
#[server(endpoint = "courses/mine")]
pub async fn my_courses() -> Result<Vec<AuthorCourse>, AppError> {
    let s = auth::actor()?;
    let st = state();
    let rows = db::list_by_author(&st.db, s.user.get()).await?;
    let stats = db::author_stats(&st.db, s.user.get()).await?;
    let cards = cards(&st, &rows).await?;
    Ok(cards
        .into_iter()
        .map(|card| {
            let (learners, completed, lessons_done) = stats
                .iter()
                .find(|x| x.0 == card.id)
                .map(|x| (x.1, x.2, x.3))
                .unwrap_or((0, 0, 0));
            let changes = rows
                .iter()
                .find(|r| r.id == card.id)
                .map(|r| r.changes_state.clone())
                .unwrap_or_default();
            let total = card.lessons_count.max(1);
            AuthorCourse {
                completion_rate: if learners > 0 {
                    completed as f64 / learners as f64
                } else {
                    0.0
                },
                average_progress: if learners > 0 {
                    (lessons_done as f64 / learners as f64 / total as f64).min(1.0)
                } else {
                    0.0
                },
                changes_state: changes,
                card,
            }
        })
        .collect())
}
