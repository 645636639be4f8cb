//! The review lifecycle: the author submits a draft (or a published course's pending changes),
//! a moderator approves or returns it with feedback, the author or a moderator archives it.

use super::{cards, course, illegal, reindex};
use crate::audit::{self, Action};
use crate::courses::{
    Changes, CourseCard, CourseMsg, Status, Transition, access, db, forget_counts, next_status,
};
use crate::error::{AppError, Msg};
use crate::ids::CourseId;
use crate::markdown::rich as markdown;
use crate::notifications::{Kind, Subject, service::notify};
use crate::server::auth::Actor;
use crate::server::{AppState, now_ms};

/// Feedback on a returned course: at most this many characters.
const FEEDBACK_MAX: usize = 5000;

/// Sends a draft for review (or a published course's pending changes). Its author or an admin.
/// Errors: `NotFound`, `Conflict(IllegalTransition)`, `Validation(CourseIncomplete)`.
pub async fn submit_course(st: &AppState, actor: &Actor, id: CourseId) -> Result<(), AppError> {
    let c = super::authored(st, actor, id).await?;
    let now = now_ms();
    if c.status == Status::Published
        && matches!(c.changes_state, Changes::Editing | Changes::Returned)
    {
        let from = [Changes::Editing, Changes::Returned];
        db::set_changes(st.db.w(), id, &from, Changes::Review, None, None, now).await?;
        return Ok(());
    }
    let from = c.status;
    let to = next_status(from, Transition::Submit).ok_or_else(illegal)?;
    if c.lessons_count == 0 || c.description.trim().is_empty() {
        return Err(AppError::field(
            "course",
            Msg::Course(CourseMsg::Incomplete),
        ));
    }
    if !db::set_status(st.db.w(), id, from, to, None, now).await? {
        return Err(illegal());
    }
    Ok(())
}

/// Archives a published course: no new enrollments; learners keep access. Its author or a
/// moderator. Errors: `NotFound`, `Conflict(IllegalTransition)`.
pub async fn archive_course(st: &AppState, actor: &Actor, id: CourseId) -> Result<(), AppError> {
    let c = course(st, id).await?;
    if !access::may_archive(actor, &c) {
        return Err(AppError::NotFound);
    }
    let from = c.status;
    let to = next_status(from, Transition::Archive).ok_or_else(illegal)?;
    let mut tx = st.db.w().begin().await?;
    if !db::set_status(&mut *tx, id, from, to, None, now_ms()).await? {
        return Err(illegal());
    }
    // Staff archiving someone else's course is a staff action: it goes to the audit log.
    if c.author_id != actor.user {
        let entry = audit::Entry::on(Action::CourseArchived, "course", id.get(), c.title.clone())
            .change(
                serde_json::json!({ "status": from.code() }),
                serde_json::json!({ "status": to.code() }),
            );
        audit::record(&mut tx, &audit::By::actor(actor), entry).await?;
    }
    tx.commit().await?;
    forget_counts(st);
    Ok(())
}

/// The review queue, oldest first, without the moderator's own courses (admins see all).
/// Moderators. Errors: `Forbidden`.
pub async fn review_queue(st: &AppState, actor: &Actor) -> Result<Vec<CourseCard>, AppError> {
    // `MfaRequired` for a moderator whose session has not proved a second factor.
    actor.require(crate::roles::Role::Moderator)?;
    if !access::may_moderate(actor) {
        return Err(AppError::Forbidden);
    }
    let mut rows = db::review_queue(&st.db).await?;
    rows.retain(|c| access::may_review(actor, c));
    cards(st, &rows).await
}

/// Approves a course (or its pending changes), or returns it to its author with `feedback`;
/// the author hears of it. Moderators who are not its author, and admins. Errors: `Forbidden`,
/// `NotFound`, `Conflict(IllegalTransition)`, `Validation(Required)` for a return without
/// feedback, `Validation(TooLong)`.
pub async fn moderate_course(
    st: &AppState,
    actor: &Actor,
    id: CourseId,
    approve: bool,
    feedback: &str,
) -> Result<(), AppError> {
    // `MfaRequired` for a moderator whose session has not proved a second factor.
    actor.require(crate::roles::Role::Moderator)?;
    if !access::may_moderate(actor) {
        return Err(AppError::Forbidden);
    }
    let c = course(st, id).await?;
    if !access::may_review(actor, &c) {
        return Err(AppError::Forbidden);
    }
    let feedback = feedback.trim();
    if !approve && feedback.is_empty() {
        return Err(AppError::field("feedback", Msg::Required));
    }
    if feedback.chars().count() > FEEDBACK_MAX {
        let max = FEEDBACK_MAX as u32;
        return Err(AppError::field("feedback", Msg::TooLong { max }));
    }
    let mut tx = st.db.w().begin().await?;
    if !decide(&mut tx, &c, approve, feedback).await? {
        return Err(illegal());
    }
    let action = if approve {
        Action::CourseApproved
    } else {
        Action::CourseReturned
    };
    let entry = audit::Entry::on(action, "course", id.get(), c.title.clone())
        .change(
            serde_json::json!({ "status": c.status.code(), "changes": c.changes_state.code() }),
            serde_json::json!({ "approved": approve }),
        )
        .reason(feedback);
    audit::record(&mut tx, &audit::By::actor(actor), entry).await?;
    tx.commit().await?;
    reindex(st, id).await?;
    let kind = if approve {
        Kind::CourseApproved
    } else {
        Kind::CourseReturned
    };
    let subject = Subject::new("course", id.get(), format!("/studio/courses/{id}"));
    notify(st, c.author_id, kind, actor.user, subject).await?;
    Ok(())
}

/// Applies the verdict: to a published course's pending changes, else as a lifecycle move.
/// False when the course moved meanwhile.
async fn decide(
    tx: &mut crate::server::db::Tx,
    c: &db::CourseRow,
    approve: bool,
    feedback: &str,
) -> Result<bool, AppError> {
    let now = now_ms();
    if c.status == Status::Published && c.changes_state == Changes::Review {
        let review = [Changes::Review];
        return Ok(if approve {
            let html = c.pending_description.as_deref().map(markdown);
            let to = Changes::None;
            db::set_changes(&mut **tx, c.id, &review, to, None, html.as_deref(), now).await?
        } else {
            let (to, fb) = (Changes::Returned, Some(feedback));
            db::set_changes(&mut **tx, c.id, &review, to, fb, None, now).await?
        });
    }
    let t = if approve {
        Transition::Approve
    } else {
        Transition::Return
    };
    let from = c.status;
    let to = next_status(from, t).ok_or_else(illegal)?;
    let fb = (!approve).then_some(feedback);
    Ok(db::set_status(&mut **tx, c.id, from, to, fb, now).await?)
}
