//! Authoring: the course form, sections, lessons (Markdown, a video, free previews),
//! attachments, reordering, and deleting a course (or archiving it when it has learners).

use super::{attachment, authored, cover_url, lesson_title, lesson_videos, reindex};
use crate::courses::{
    ATTACHMENT_MAX_BYTES, CourseDraft, CourseForm, CourseMsg, Deleted, DraftLesson, DraftSection,
    LESSON_BODY_MAX, ORDER_ITEM, Status, access, db, forget_counts,
};
use crate::error::{AppError, Msg, OnUnique};
use crate::ids::{AttachmentId, CourseId, LessonId, SectionId, VideoId};
use crate::markdown::rich as markdown;
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms, search};
use crate::video::{VideoMsg, Visibility};

fn slug_taken() -> AppError {
    AppError::field("slug", Msg::Course(CourseMsg::SlugTaken))
}

/// Creates a draft course of `actor` (a tutor). Errors: `Forbidden` (not a tutor), `Validation`
/// (with `SlugTaken`).
pub async fn create_course(
    st: &AppState,
    actor: &Actor,
    form: &CourseForm,
) -> Result<CourseId, AppError> {
    if !access::may_create(actor) {
        return Err(AppError::Forbidden);
    }
    let c = form.validate()?;
    if db::slug_taken(&st.db, &c.slug, CourseId(0)).await? {
        return Err(slug_taken());
    }
    let doc = search::document(&[&c.title, &c.description, &c.outcomes]);
    let html = markdown(&c.description);
    db::insert_course(&st.db, actor.user, &c, &html, &doc, now_ms())
        .await?
        .ok_or_else(slug_taken)
}

/// The course as its author edits it. Its author or an admin. Errors: `NotFound`.
pub async fn get_course_draft(
    st: &AppState,
    actor: &Actor,
    id: CourseId,
) -> Result<CourseDraft, AppError> {
    let c = authored(st, actor, id).await?;
    draft_of(st, c).await
}

/// The price as typed back into the form: major units, "" for free.
fn price_text(minor: i64) -> String {
    if minor == 0 {
        String::new()
    } else if minor % 100 == 0 {
        (minor / 100).to_string()
    } else {
        format!("{}.{:02}", minor / 100, minor % 100)
    }
}

async fn draft_of(st: &AppState, c: db::CourseRow) -> Result<CourseDraft, AppError> {
    let sections = db::sections(&st.db, c.id).await?;
    let lessons = db::lessons(&st.db, c.id).await?;
    let lesson_ids: Vec<LessonId> = lessons.iter().map(|l| l.id).collect();
    let attachments = db::attachments(&st.db, &lesson_ids).await?;
    let videos = lesson_videos(st, &lessons).await?;
    Ok(CourseDraft {
        id: c.id.get(),
        slug: c.slug,
        title: c.pending_title.clone().unwrap_or(c.title),
        description: c.pending_description.clone().unwrap_or(c.description),
        outcomes: c.outcomes,
        category: c.category,
        level: c.level,
        language: c.language,
        price: price_text(c.price_minor),
        currency: c.currency,
        cover_url: cover_url(&c.cover_key, 640),
        status: c.status,
        changes_state: c.changes_state.code().to_string(),
        review_feedback: c.review_feedback,
        structure_version: c.structure_version,
        sections: sections
            .into_iter()
            .map(|s| DraftSection {
                id: s.id.get(),
                title: s.title,
                lessons: lessons
                    .iter()
                    .filter(|l| l.section_id == s.id)
                    .map(|l| DraftLesson {
                        id: l.id.get(),
                        title: l.title.clone(),
                        body: l.body.clone(),
                        video: l.video_id.and_then(|v| {
                            videos
                                .iter()
                                .find(|x| x.id == v)
                                .map(|x| x.public_id.clone())
                        }),
                        free_preview: l.free_preview,
                        attachments: attachments
                            .iter()
                            .filter(|a| a.lesson_id == l.id)
                            .cloned()
                            .map(attachment)
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// Saves the course form. Its author or an admin. On a published course a new title or
/// description waits for review. Errors: `NotFound`, `Validation` (with `SlugTaken`).
pub async fn update_course(
    st: &AppState,
    actor: &Actor,
    id: CourseId,
    form: &CourseForm,
) -> Result<(), AppError> {
    let row = authored(st, actor, id).await?;
    let c = form.validate()?;
    if db::slug_taken(&st.db, &c.slug, id).await? {
        return Err(slug_taken());
    }
    // The check above answers at once; a course that took the slug meanwhile is the same error.
    db::update_course(&st.db, &row, &c, &markdown(&c.description), now_ms())
        .await
        .on_unique(slug_taken)?;
    reindex(st, id).await
}

/// Adds a section at the end. Its author or an admin. Errors: `NotFound`, `Validation`.
pub async fn add_section(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    title: &str,
) -> Result<SectionId, AppError> {
    authored(st, actor, course).await?;
    let title = lesson_title(title)?;
    Ok(db::insert_section(&st.db, course, &title, now_ms()).await?)
}

/// Renames a section. Its author or an admin. Errors: `NotFound`, `Validation`.
pub async fn rename_section(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    id: SectionId,
    title: &str,
) -> Result<(), AppError> {
    authored(st, actor, course).await?;
    if !db::rename_section(&st.db, course, id, &lesson_title(title)?).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes a section and its lessons. Its author or an admin. Errors: `NotFound`.
pub async fn delete_section(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    id: SectionId,
) -> Result<(), AppError> {
    authored(st, actor, course).await?;
    if !db::delete_section(&st.db, course, id, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    reindex(st, course).await
}

/// Adds a lesson at the end of a section of the course. Its author or an admin. Errors:
/// `NotFound` (the course, or a section of another course), `Validation`.
pub async fn add_lesson(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    section: SectionId,
    title: &str,
) -> Result<LessonId, AppError> {
    authored(st, actor, course).await?;
    let title = lesson_title(title)?;
    let id = db::insert_lesson(&st.db, course, section, &title, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    reindex(st, course).await?;
    Ok(id)
}

/// What the lesson editor saves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonUpdate {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The public id of one of the author's videos, "" for none.
    pub video: String,
    /// Whether everyone may open the lesson once the course is public.
    pub free_preview: bool,
}

/// Saves a lesson. Its author or an admin; the video must be the actor's own. The video becomes
/// private: its files are served through signed links given only to those who may open the
/// lesson. Errors: `NotFound` (a lesson of another course), `Validation`.
pub async fn update_lesson(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    id: LessonId,
    lesson: &LessonUpdate,
) -> Result<(), AppError> {
    authored(st, actor, course).await?;
    let title = lesson_title(&lesson.title)?;
    if lesson.body.chars().count() > LESSON_BODY_MAX {
        let max = LESSON_BODY_MAX as u32;
        return Err(AppError::field("body", Msg::TooLong { max }));
    }
    let video_id = lesson_video(st, actor, &lesson.video).await?;
    let body = lesson.body.trim();
    let (html, now) = (markdown(body), now_ms());
    let free = lesson.free_preview;
    if !db::update_lesson(&st.db, course, id, &title, body, &html, video_id, free, now).await? {
        return Err(AppError::NotFound);
    }
    if let Some(v) = video_id {
        crate::video::db::set_visibility(&st.db, v, Visibility::Private, now_ms()).await?;
    }
    reindex(st, course).await
}

/// The video a lesson names ("" for none): one of `actor`'s, else `Validation(video)`.
async fn lesson_video(
    st: &AppState,
    actor: &Actor,
    video: &str,
) -> Result<Option<VideoId>, AppError> {
    let video = video.trim();
    if video.is_empty() {
        return Ok(None);
    }
    match crate::video::db::select_by_public_id(&st.db, video).await? {
        Some(v) if access::may_use_video(actor, &v) => Ok(Some(v.id)),
        _ => Err(AppError::field("video", Msg::Video(VideoMsg::NotReady))),
    }
}

/// Deletes a lesson. Its author or an admin. Errors: `NotFound`.
pub async fn delete_lesson(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    id: LessonId,
) -> Result<(), AppError> {
    authored(st, actor, course).await?;
    if !db::delete_lesson(&st.db, course, id, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    reindex(st, course).await
}

/// Reorders sections and lessons: `layout` lists every section with its lessons, in order;
/// `version` is the structure version the editor saw. Returns the new version. Its author or an
/// admin. Errors: `NotFound`, `Conflict(StructureChanged)` when someone changed the course
/// meanwhile, `BadRequest` when the layout is not exactly this course's sections and lessons.
pub async fn reorder_course(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    version: i64,
    layout: &[(SectionId, Vec<LessonId>)],
) -> Result<i64, AppError> {
    authored(st, actor, course).await?;
    match db::reorder(&st.db, course, version, layout, now_ms()).await? {
        Ok(()) => Ok(version + 1),
        Err("stale") => Err(AppError::Conflict(Msg::Course(CourseMsg::StructureChanged))),
        Err(_) => Err(AppError::BadRequest(Msg::BadInput)),
    }
}

/// A file for a lesson, already on disk (an upload spooled by the HTTP route, or a file the
/// demo or a command made).
pub struct NewFile<'a> {
    /// As the person named it; cleaned before it is shown.
    pub name: &'a str,
    pub path: &'a std::path::Path,
    pub size: u64,
    /// Its first bytes (16 or more), from which its type is told.
    pub head: &'a [u8],
}

/// Adds a file to a lesson of the course: a PDF, an office document or an archive told from its
/// bytes, at most `ATTACHMENTS_MAX` per lesson and `ATTACHMENT_MAX_BYTES` each, within the
/// author's storage quota. Its author or an admin. Errors: `NotFound`, `Validation` on `file`
/// (too many, too big, not a supported type), the quota's 422.
pub async fn attach_file(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    lesson: LessonId,
    file: &NewFile<'_>,
) -> Result<crate::courses::Attachment, AppError> {
    use crate::courses::files::{ATTACHMENTS_MAX, clean_name, sniff};
    let c = authored(st, actor, course).await?;
    match db::select_lesson(&st.db, lesson).await? {
        Some((cid, _)) if cid == c.id => {}
        _ => return Err(AppError::NotFound),
    }
    if db::attachments(&st.db, &[lesson]).await?.len() as i64 >= ATTACHMENTS_MAX {
        let max = ATTACHMENTS_MAX as u32;
        return Err(AppError::field("file", Msg::TooMany { max }));
    }
    if file.size > ATTACHMENT_MAX_BYTES as u64 {
        let max_mb = (ATTACHMENT_MAX_BYTES / (1024 * 1024)) as u32;
        return Err(AppError::field(
            "file",
            Msg::Course(CourseMsg::AttachmentTooBig { max_mb }),
        ));
    }
    let Some((mime, fits)) = sniff(file.head, file.name) else {
        return Err(AppError::field(
            "file",
            Msg::Course(CourseMsg::AttachmentType),
        ));
    };
    let name = clean_name(file.name, fits);
    let size = file.size as i64;
    // Held until the attachment's row (which the quota counts) is written.
    let _reserved = crate::server::quota::reserve(st, c.author_id, size, "file").await?;
    let key = format!("attachments/{}", uuid::Uuid::new_v4().simple());
    if let Err(e) = st.storage.put_file(&format!("{key}/file"), file.path).await {
        tracing::error!(error = %e, "storing an attachment failed");
        return Err(AppError::Internal);
    }
    match db::insert_attachment(&st.db, lesson, &name, &key, size, mime, now_ms()).await {
        Ok(id) => Ok(attachment(db::AttachmentRow {
            id,
            lesson_id: lesson,
            name,
            storage_key: key,
            size_bytes: size,
            mime: mime.to_string(),
        })),
        Err(e) => {
            let _ = st.storage.delete_prefix(&key).await;
            Err(e.into())
        }
    }
}

/// Sets the course's cover from an image (JPEG, PNG or WebP, within the decoder's limits): cut
/// to 16:9 and stored at every cover width; the old cover's files go. Its author or an admin.
/// Answers the new cover's address. Errors: `NotFound`, `Validation` on `cover` (not an image,
/// too many pixels).
pub async fn set_cover(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    image: Vec<u8>,
) -> Result<String, AppError> {
    let c = authored(st, actor, course).await?;
    let sizes = match crate::server::images::run(move || {
        crate::courses::files::process_cover(&image)
    })
    .await
    {
        Ok(s) => s,
        Err(Msg::Internal) => return Err(AppError::Internal),
        Err(m) => return Err(AppError::field("cover", m)),
    };
    let key = format!("covers/{}", uuid::Uuid::new_v4().simple());
    let stored = async {
        for (w, b) in sizes {
            st.storage.put(&format!("{key}/{w}.jpg"), b).await?;
        }
        if let Some(old) = db::set_cover(&st.db, c.id, Some(&key), now_ms()).await? {
            st.storage.delete_prefix(&old).await?;
        }
        anyhow::Ok(())
    };
    if let Err(e) = stored.await {
        tracing::error!(error = %e, "storing a cover failed");
        return Err(AppError::Internal);
    }
    Ok(cover_url(&Some(key), 640).unwrap_or_default())
}

/// Removes an attachment of a lesson of the course, and its file. Its author or an admin.
/// Errors: `NotFound`.
pub async fn delete_attachment(
    st: &AppState,
    actor: &Actor,
    course: CourseId,
    id: AttachmentId,
) -> Result<(), AppError> {
    authored(st, actor, course).await?;
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

/// Deletes a course with its lessons and files; one with learners is archived instead (when
/// published), so that their access, progress and certificates stay. Its author or an admin.
/// Errors: `NotFound`.
pub async fn delete_course(
    st: &AppState,
    actor: &Actor,
    id: CourseId,
) -> Result<Deleted, AppError> {
    let c = authored(st, actor, id).await?;
    let lesson_ids: Vec<LessonId> = db::lessons(&st.db, id)
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
        crate::payments::service::withdraw_item(st, ORDER_ITEM, id.get()).await?;
        crate::notifications::service::forget_subject(st, "course", id.get()).await?;
        forget_counts(st);
        tracing::info!(course = id.get(), by = %actor.user, "course deleted");
        return Ok(Deleted::Removed);
    }
    if c.status == Status::Published {
        let (from, to) = (Status::Published, Status::Archived);
        db::set_status(st.db.w(), id, from, to, None, now_ms()).await?;
        forget_counts(st);
    }
    Ok(Deleted::Archived)
}
