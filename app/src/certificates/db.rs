//! SQL of certificates.

use crate::ids::{AttemptId, CertificateId, CourseId, UserId};
use crate::server::db::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CertificateRow {
    pub id: CertificateId,
    pub code: String,
    pub user_id: UserId,
    /// `None` once the course is deleted: the certificate stays valid.
    pub course_id: Option<CourseId>,
    pub attempt_id: Option<AttemptId>,
    pub learner_name: String,
    pub course_title: String,
    pub tutor_name: String,
    pub score_percent: i64,
    pub issued_at: i64,
    pub pdf_key: Option<String>,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
    pub revoked_by: Option<UserId>,
}

const COLS: &str = "id, code, user_id, course_id, attempt_id, learner_name, course_title, tutor_name, \
    score_percent, issued_at, pdf_key, revoked_at, revoked_reason, revoked_by";

/// A certificate to issue (the snapshot taken at issue time).
pub struct NewCertificate<'a> {
    pub code: &'a str,
    pub user_id: UserId,
    pub course_id: CourseId,
    pub attempt_id: AttemptId,
    pub learner_name: &'a str,
    pub course_title: &'a str,
    pub tutor_name: &'a str,
    pub score_percent: i64,
    pub issued_at: i64,
}

/// Inserts the certificate unless the learner already has one for the course (or, very rarely,
/// the code is taken): one statement, so concurrent issuers insert exactly one row. Returns the
/// new row's id, `None` when nothing was inserted.
pub async fn insert_certificate(
    db: &Db,
    c: &NewCertificate<'_>,
) -> sqlx::Result<Option<CertificateId>> {
    let r: Option<(CertificateId,)> = sqlx::query_as(
        "INSERT INTO certificates (code, user_id, course_id, attempt_id, learner_name, course_title, tutor_name, score_percent, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(c.code)
    .bind(c.user_id)
    .bind(c.course_id)
    .bind(c.attempt_id)
    .bind(c.learner_name)
    .bind(c.course_title)
    .bind(c.tutor_name)
    .bind(c.score_percent)
    .bind(c.issued_at)
    .fetch_optional(db.w())
    .await?;
    Ok(r.map(|r| r.0))
}

pub async fn select_by_code(db: &Db, code: &str) -> sqlx::Result<Option<CertificateRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM certificates WHERE code = $1"
    )))
    .bind(code)
    .fetch_optional(db.r())
    .await
}

/// The learner's certificate for a course, if issued.
pub async fn select_for(
    db: &Db,
    user: UserId,
    course: CourseId,
) -> sqlx::Result<Option<CertificateRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM certificates WHERE user_id = $1 AND course_id = $2"
    )))
    .bind(user)
    .bind(course)
    .fetch_optional(db.r())
    .await
}

/// A learner's certificates, newest first.
pub async fn list_for_user(db: &Db, user: UserId) -> sqlx::Result<Vec<CertificateRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM certificates WHERE user_id = $1 ORDER BY issued_at DESC, id DESC LIMIT 500"
    )))
    .bind(user)
    .fetch_all(db.r())
    .await
}

/// Records where the PDF is stored (the same key every time, so a rerun changes nothing).
pub async fn set_pdf_key(db: &Db, id: CertificateId, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE certificates SET pdf_key = $1 WHERE id = $2")
        .bind(key)
        .bind(id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Revokes a valid certificate; false when it is unknown or already revoked (the first
/// revocation stays).
pub async fn revoke(
    ex: impl sqlx::Executor<'_, Database = sqlx::Any>,
    code: &str,
    reason: &str,
    by: UserId,
    now: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE certificates SET revoked_at = $1, revoked_reason = $2, revoked_by = $3 \
         WHERE code = $4 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(by)
    .bind(code)
    .execute(ex)
    .await?
    .rows_affected();
    Ok(n == 1)
}
