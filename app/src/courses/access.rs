//! Who may do what with a course — one policy for pages, server functions, media routes and the
//! features that build on courses (quizzes, certificates, reviews next).
//!
//! Following the permission table of seed 001 (§4.2):
//! - view a course: everyone, once it is published or archived; its author, moderators and
//!   admins also before (the moderator's preview);
//! - open a lesson (its video, its attachments): enrolled learners; anyone for a free-preview
//!   lesson of a public course; the author, moderators and admins always;
//! - create a course: tutors;
//! - edit a course and its lessons: the author and admins; a lesson's video must be the
//!   editor's own;
//! - delete a course: the author and admins — a course that has learners is archived instead,
//!   so their access, progress and certificates stay;
//! - see the review queue: moderators; approve or return a course: moderators who are not its
//!   author, and admins;
//! - archive a published course: the author and moderators;
//! - enroll: signed-in people, in a published course (not a draft, one in review or an archived
//!   one); record progress: enrolled learners.

use super::Status;
use super::db::{self, CourseRow, EnrollmentRow};
use crate::accounts::Role;
use crate::error::AppError;
use crate::ids::{CourseId, LessonId};
use crate::server::AppState;
use crate::server::auth::Actor;

/// What one viewer may do with one course.
pub struct Access {
    /// The viewer's enrollment in the course, if any.
    pub enrollment: Option<EnrollmentRow>,
    pub author: bool,
    /// Moderators (and admins, who hold every role).
    pub moderator: bool,
    pub admin: bool,
}

impl Access {
    /// A visitor's access: nothing beyond what is public.
    pub fn anonymous() -> Self {
        Access {
            enrollment: None,
            author: false,
            moderator: false,
            admin: false,
        }
    }

    pub fn enrolled(&self) -> bool {
        self.enrollment.is_some()
    }

    /// Whether every lesson is open to this viewer (enrolled, author, moderator).
    pub fn full(&self) -> bool {
        self.enrolled() || self.author || self.moderator
    }

    /// Whether this viewer may see the course page at all.
    pub fn may_view(&self, c: &CourseRow) -> bool {
        is_public(c) || self.author || self.moderator
    }

    /// Whether this viewer may open a lesson of course `c`: the author and moderators always,
    /// enrolled learners and (for free previews) anyone once the course is public.
    pub fn may_open(&self, c: &CourseRow, free_preview: bool) -> bool {
        self.author || self.moderator || (is_public(c) && (self.enrolled() || free_preview))
    }

    /// Whether this viewer may approve or return the course: a moderator who is not its author
    /// (a review by oneself is no review), or an admin.
    pub fn may_review(&self) -> bool {
        self.admin || (self.moderator && !self.author)
    }

    /// Whether this viewer may edit (and delete) the course: its author or an admin.
    pub fn may_edit(&self) -> bool {
        self.author || self.admin
    }
}

/// Published and archived courses are public.
pub fn is_public(c: &CourseRow) -> bool {
    matches!(c.status, Status::Published | Status::Archived)
}

/// Whether `actor` may edit or delete `c`: its author or an admin.
pub fn may_edit(actor: &Actor, c: &CourseRow) -> bool {
    c.author_id == actor.user || actor.is_admin()
}

/// Whether `actor` may archive `c`: its author or a moderator.
pub fn may_archive(actor: &Actor, c: &CourseRow) -> bool {
    c.author_id == actor.user || actor.holds(Role::Moderator)
}

/// Whether `actor` may create courses: tutors.
pub fn may_create(actor: &Actor) -> bool {
    actor.holds(Role::Tutor)
}

/// Whether `actor` may moderate at all (see the review queue): moderators.
pub fn may_moderate(actor: &Actor) -> bool {
    actor.holds(Role::Moderator)
}

/// Whether `actor` may approve or return `c`: a moderator who is not its author, or an admin
/// (the same rule as [`Access::may_review`], without the enrollment).
pub fn may_review(actor: &Actor, c: &CourseRow) -> bool {
    actor.is_admin() || (actor.holds(Role::Moderator) && c.author_id != actor.user)
}

/// Whether `actor` may put `video` in a lesson: their own.
pub fn may_use_video(actor: &Actor, video: &crate::video::db::VideoRow) -> bool {
    video.owner_id == actor.user
}

/// Whether `c` takes new enrollments: once published, and not after it is archived.
pub fn open_for_enrollment(c: &CourseRow) -> bool {
    c.status == Status::Published
}

/// Whether `actor` is enrolled in `course` (progress is recorded for learners only).
pub async fn is_enrolled(st: &AppState, course: CourseId, actor: &Actor) -> Result<bool, AppError> {
    Ok(db::enrollment(&st.db, course, actor.user).await?.is_some())
}

/// What `viewer` may do with `c` (one query for the enrollment when signed in).
pub async fn access(
    st: &AppState,
    c: &CourseRow,
    viewer: Option<&Actor>,
) -> Result<Access, AppError> {
    let Some(v) = viewer else {
        return Ok(Access::anonymous());
    };
    Ok(Access {
        enrollment: db::enrollment(&st.db, c.id, v.user).await?,
        author: c.author_id == v.user,
        moderator: v.holds(Role::Moderator),
        admin: v.is_admin(),
    })
}

/// Whether `viewer` may open a lesson (and its video and attachments).
pub async fn may_open_lesson(
    st: &AppState,
    lesson_id: LessonId,
    viewer: Option<&Actor>,
) -> Result<bool, AppError> {
    let Some((course_id, lesson)) = db::select_lesson(&st.db, lesson_id).await? else {
        return Ok(false);
    };
    let c = db::select_course(&st.db, course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(access(st, &c, viewer)
        .await?
        .may_open(&c, lesson.free_preview))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;

    fn course(author: i64, status: &str) -> CourseRow {
        CourseRow {
            author_id: UserId(author),
            status: Status::from_code(status).expect("a status code"),
            ..CourseRow::default()
        }
    }

    fn actor(user: i64, roles: &[Role]) -> Actor {
        Actor::acting_as(UserId(user), roles.to_vec())
    }

    #[test]
    fn authors_and_admins_edit_and_nobody_else() {
        let c = course(1, "published");
        assert!(may_edit(&actor(1, &[Role::Tutor]), &c));
        assert!(may_edit(&actor(9, &[Role::Admin]), &c));
        assert!(!may_edit(&actor(2, &[Role::Tutor, Role::Moderator]), &c));
        assert!(may_archive(&actor(2, &[Role::Moderator]), &c));
        assert!(!may_archive(&actor(3, &[Role::Student]), &c));
    }

    #[test]
    fn tutors_create_and_moderators_review_others_courses() {
        let c = course(1, "review");
        assert!(may_create(&actor(1, &[Role::Student, Role::Tutor])));
        assert!(!may_create(&actor(2, &[Role::Student, Role::Moderator])));
        assert!(may_moderate(&actor(2, &[Role::Moderator])));
        assert!(!may_moderate(&actor(1, &[Role::Tutor])));
        assert!(may_review(&actor(2, &[Role::Moderator]), &c));
        assert!(
            !may_review(&actor(1, &[Role::Tutor, Role::Moderator]), &c),
            "no review of one's own course"
        );
        assert!(may_review(&actor(1, &[Role::Admin]), &c));
        assert!(!may_review(&actor(3, &[Role::Student]), &c));
        assert!(open_for_enrollment(&course(1, "published")));
        assert!(!open_for_enrollment(&course(1, "archived")));
        assert!(!open_for_enrollment(&course(1, "review")));
    }

    #[test]
    fn lessons_open_to_learners_previews_and_staff() {
        let published = course(1, "published");
        let draft = course(1, "draft");
        let anon = Access::anonymous();
        assert!(anon.may_open(&published, true) && !anon.may_open(&published, false));
        assert!(
            !anon.may_open(&draft, true),
            "a draft's preview is not public"
        );
        let moderator = Access {
            moderator: true,
            ..Access::anonymous()
        };
        assert!(moderator.may_open(&draft, false) && moderator.may_view(&draft));
        assert!(moderator.may_review());
        let own = Access {
            author: true,
            moderator: true,
            ..Access::anonymous()
        };
        assert!(!own.may_review(), "no review of one's own course");
        assert!(own.may_edit());
    }
}
