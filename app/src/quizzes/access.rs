//! Who may do what with quizzes — built on the course's policy ([`crate::courses::access`]),
//! the one place these rules live:
//! - write, save and delete a course's quizzes: its author (admins may also read them in the
//!   editor);
//! - check a quiz file (import, which saves nothing): tutors;
//! - see a course's quizzes (their settings, never their questions): whoever may see the course;
//! - take a quiz: enrolled learners and the course's author; see its start page: everyone
//!   with full access to the course (enrolled, the author, moderators and admins);
//! - answer and submit an attempt: only the learner who started it; its result (with the
//!   correct answers and explanations) opens after submission to that learner, the course's
//!   author and moderators.

use crate::accounts::Role;
use crate::courses::access::{self as course_access, Access};
use crate::courses::db::CourseRow;
use crate::server::auth::Actor;

/// Whether `actor` may write, save and delete the quizzes of `c`: its author.
pub fn may_write(actor: &Actor, c: &CourseRow) -> bool {
    c.author_id == actor.user
}

/// Whether `actor` may open the quizzes of `c` in the editor: its author or an admin.
pub fn may_edit(actor: &Actor, c: &CourseRow) -> bool {
    course_access::may_edit(actor, c)
}

/// Whether `actor` may check a quiz file: tutors.
pub fn may_import(actor: &Actor) -> bool {
    actor.holds(Role::Tutor)
}

/// Whether a viewer with `a` may see the quizzes of `c` at all (the course page's rule).
pub fn may_see(a: &Access, c: &CourseRow) -> bool {
    a.may_view(c)
}

/// Whether a viewer with `a` may take the course's quizzes: enrolled learners and the author.
pub fn may_take(a: &Access) -> bool {
    a.enrolled() || a.author
}

/// Whether a viewer with `a` may open a quiz's start page: full access to the course.
pub fn may_open(a: &Access) -> bool {
    a.full()
}

/// Whether a viewer with `a` may read someone else's submitted attempt: the course's author and
/// moderators.
pub fn may_review_attempts(a: &Access) -> bool {
    a.author || a.moderator
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;

    fn course(author: i64, status: &str) -> CourseRow {
        CourseRow {
            author_id: UserId(author),
            status: crate::courses::Status::from_code(status).expect("a status code"),
            ..CourseRow::default()
        }
    }

    fn actor(user: i64, roles: &[Role]) -> Actor {
        Actor::acting_as(UserId(user), roles.to_vec())
    }

    #[test]
    fn the_author_writes_and_admins_only_read() {
        let c = course(1, "published");
        assert!(may_write(&actor(1, &[Role::Tutor]), &c));
        assert!(!may_write(&actor(9, &[Role::Admin]), &c));
        assert!(may_edit(&actor(9, &[Role::Admin]), &c));
        assert!(!may_edit(&actor(2, &[Role::Tutor, Role::Moderator]), &c));
        assert!(may_import(&actor(2, &[Role::Tutor])));
        assert!(!may_import(&actor(2, &[Role::Student])));
    }

    #[test]
    fn learners_and_the_author_take_and_staff_review() {
        let draft = course(1, "draft");
        let anon = Access::anonymous();
        assert!(!may_see(&anon, &draft) && may_see(&anon, &course(1, "archived")));
        assert!(!may_take(&anon) && !may_open(&anon));
        let moderator = Access {
            moderator: true,
            ..Access::anonymous()
        };
        assert!(may_see(&moderator, &draft) && may_open(&moderator));
        assert!(!may_take(&moderator), "moderators look, they do not take");
        assert!(may_review_attempts(&moderator));
        let author = Access {
            author: true,
            ..Access::anonymous()
        };
        assert!(may_take(&author) && may_review_attempts(&author));
    }
}
