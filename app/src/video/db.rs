//! SQL of the video feature.
//!
//! Rows carry typed ids (`VideoId`, the owner's `UserId`), `Status` and `Visibility` as enums
//! and `has_poster` as `bool`.

use super::{Status, Visibility};
use crate::ids::{Flag, UserId, VideoId};
use crate::server::db::Db;
use crate::server::db::Tx;
use crate::server::sql::placeholders;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VideoRow {
    pub id: VideoId,
    pub public_id: String,
    pub owner_id: UserId,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    #[sqlx(try_from = "String")]
    pub visibility: Visibility,
    pub size_bytes: i64,
    pub uploaded_bytes: i64,
    pub duration_ms: Option<i64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub progress: i64,
    pub error: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub has_poster: bool,
    pub thumbs: Option<String>,
    pub storage_bytes: i64,
    pub created_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RenditionRow {
    pub name: String,
    pub width: i64,
    pub height: i64,
    pub bitrate: i64,
    pub mp4_bytes: i64,
}

const COLUMNS: &str = "id, public_id, owner_id, title, status, visibility, size_bytes, uploaded_bytes, duration_ms, \
     width, height, progress, error, has_poster, thumbs, storage_bytes, created_at";

pub async fn insert_upload(
    db: &Db,
    public_id: &str,
    owner_id: UserId,
    title: &str,
    size: i64,
    now: i64,
) -> sqlx::Result<VideoId> {
    let (id,): (VideoId,) = sqlx::query_as(
        "INSERT INTO videos (public_id, owner_id, title, status, visibility, size_bytes, created_at, updated_at) \
         VALUES ($1, $2, $3, 'uploading', 'private', $4, $5, $5) RETURNING id",
    )
    .bind(public_id)
    .bind(owner_id)
    .bind(title)
    .bind(size)
    .bind(now)
    .fetch_one(db.w())
    .await?;
    Ok(id)
}

pub async fn select_by_public_id(db: &Db, public_id: &str) -> sqlx::Result<Option<VideoRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM videos WHERE public_id = $1"
    )))
    .bind(public_id)
    .fetch_optional(db.r())
    .await
}

pub async fn select_by_id(db: &Db, id: VideoId) -> sqlx::Result<Option<VideoRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM videos WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.r())
    .await
}

/// The owner's videos, newest first, after the keyset cursor `before_id`.
pub async fn list_for_owner(
    db: &Db,
    owner_id: UserId,
    before_id: VideoId,
    limit: i64,
) -> sqlx::Result<Vec<VideoRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM videos WHERE owner_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    )))
    .bind(owner_id)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db.r())
    .await
}

/// Moves the resume offset from `from` to `to`; false when another request moved it first.
pub async fn advance_offset(
    db: &Db,
    id: VideoId,
    from: i64,
    to: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE videos SET uploaded_bytes = $1, updated_at = $2 WHERE id = $3 AND uploaded_bytes = $4 AND status = 'uploading'",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(db.w())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A complete, valid upload: store what ffprobe found, mark it processing and queue its job.
pub async fn start_processing(
    db: &Db,
    id: VideoId,
    duration_ms: i64,
    width: i64,
    height: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let n = sqlx::query(
        "UPDATE videos SET status = 'processing', progress = 0, error = NULL, duration_ms = $1, width = $2, height = $3, \
         updated_at = $4 WHERE id = $5 AND status = 'uploading'",
    )
    .bind(duration_ms)
    .bind(width)
    .bind(height)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 1 {
        enqueue_transcode(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(n == 1)
}

async fn enqueue_transcode(tx: &mut Tx, id: VideoId) -> sqlx::Result<()> {
    crate::server::jobs::enqueue_tx(
        tx,
        &super::TRANSCODE_JOB,
        &serde_json::json!({ "video_id": id }),
        Some(&format!("video:{id}")),
    )
    .await?;
    Ok(())
}

/// Queues a failed video again (the retry button).
pub async fn retry(db: &Db, id: VideoId, now: i64) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    let n = sqlx::query(
        "UPDATE videos SET status = 'processing', progress = 0, error = NULL, updated_at = $1 WHERE id = $2 AND status = 'failed'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 1 {
        enqueue_transcode(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(n == 1)
}

pub async fn set_progress(db: &Db, id: VideoId, progress: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE videos SET progress = $1, updated_at = $2 WHERE id = $3 AND status = 'processing'",
    )
    .bind(progress)
    .bind(now)
    .bind(id)
    .execute(db.w())
    .await?;
    Ok(())
}

pub async fn set_failed(db: &Db, id: VideoId, code: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE videos SET status = 'failed', error = $1, updated_at = $2 WHERE id = $3 AND status = 'processing'")
        .bind(code)
        .bind(now)
        .bind(id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// What a finished job stores.
pub struct Finished<'a> {
    pub renditions: &'a [RenditionRow],
    pub thumbs_json: &'a str,
    pub storage_bytes: i64,
}

/// Stores the renditions and marks the video ready — only if `worker` still holds job `job_id`.
/// Returns false (and changes nothing) when it does not.
pub async fn finish(
    db: &Db,
    video_id: VideoId,
    job_id: i64,
    worker: &str,
    f: Finished<'_>,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.w().begin().await?;
    if !crate::server::jobs::complete_tx(&mut tx, job_id, worker).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM video_renditions WHERE video_id = $1")
        .bind(video_id)
        .execute(&mut *tx)
        .await?;
    for r in f.renditions {
        sqlx::query(
            "INSERT INTO video_renditions (video_id, name, width, height, bitrate, mp4_bytes) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(video_id)
        .bind(&r.name)
        .bind(r.width)
        .bind(r.height)
        .bind(r.bitrate)
        .bind(r.mp4_bytes)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE videos SET status = 'ready', progress = 100, error = NULL, has_poster = 1, thumbs = $1, storage_bytes = $2, \
         updated_at = $3 WHERE id = $4",
    )
    .bind(f.thumbs_json)
    .bind(f.storage_bytes)
    .bind(now)
    .bind(video_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn select_renditions(db: &Db, video_id: VideoId) -> sqlx::Result<Vec<RenditionRow>> {
    sqlx::query_as("SELECT name, width, height, bitrate, mp4_bytes FROM video_renditions WHERE video_id = $1 ORDER BY height")
        .bind(video_id)
        .fetch_all(db.r())
        .await
}

pub async fn select_captions(db: &Db, video_id: VideoId) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT lang, label FROM video_captions WHERE video_id = $1 ORDER BY lang")
        .bind(video_id)
        .fetch_all(db.r())
        .await
}

pub async fn upsert_caption(
    db: &Db,
    video_id: VideoId,
    lang: &str,
    label: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO video_captions (video_id, lang, label, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (video_id, lang) DO UPDATE SET label = excluded.label, created_at = excluded.created_at",
    )
    .bind(video_id)
    .bind(lang)
    .bind(label)
    .bind(now)
    .execute(db.w())
    .await?;
    Ok(())
}

pub async fn delete_caption(db: &Db, video_id: VideoId, lang: &str) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM video_captions WHERE video_id = $1 AND lang = $2")
            .bind(video_id)
            .bind(lang)
            .execute(db.w())
            .await?
            .rows_affected(),
    )
}

pub async fn set_visibility(
    db: &Db,
    id: VideoId,
    visibility: Visibility,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE videos SET visibility = $1, updated_at = $2 WHERE id = $3")
        .bind(visibility.code())
        .bind(now)
        .bind(id)
        .execute(db.w())
        .await?;
    Ok(())
}

/// Deletes the video's rows (renditions, captions, positions go with it) and its jobs.
pub async fn delete(db: &Db, id: VideoId) -> sqlx::Result<()> {
    let mut tx = db.w().begin().await?;
    sqlx::query("DELETE FROM jobs WHERE ref_key = $1 AND status <> 'done'")
        .bind(format!("video:{id}"))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM videos WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn select_position(db: &Db, user_id: UserId, video_id: VideoId) -> sqlx::Result<i64> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT position_ms FROM video_positions WHERE user_id = $1 AND video_id = $2",
    )
    .bind(user_id)
    .bind(video_id)
    .fetch_optional(db.r())
    .await?;
    Ok(row.map(|r| r.0).unwrap_or(0))
}

pub async fn upsert_position(
    db: &Db,
    user_id: UserId,
    video_id: VideoId,
    position_ms: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO video_positions (user_id, video_id, position_ms, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, video_id) DO UPDATE SET position_ms = excluded.position_ms, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(video_id)
    .bind(position_ms)
    .bind(now)
    .execute(db.w())
    .await?;
    Ok(())
}

/// Uploads abandoned before `before` (their partial files are removed by the caller).
pub async fn list_stale_uploads(db: &Db, before: i64) -> sqlx::Result<Vec<(VideoId, String)>> {
    sqlx::query_as(
        "SELECT id, public_id FROM videos WHERE status = 'uploading' AND updated_at < $1",
    )
    .bind(before)
    .fetch_all(db.r())
    .await
}

/// Videos by ids (for feed pages: one query for all).
pub async fn select_by_ids(db: &Db, ids: &[VideoId]) -> sqlx::Result<Vec<VideoRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM videos WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

/// (video_id, rendition) for several videos.
pub async fn select_renditions_of(
    db: &Db,
    ids: &[VideoId],
) -> sqlx::Result<Vec<(VideoId, RenditionRow)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct RenditionOf {
        video_id: VideoId,
        name: String,
        width: i64,
        height: i64,
        bitrate: i64,
        mp4_bytes: i64,
    }
    let sql = format!(
        "SELECT video_id, name, width, height, bitrate, mp4_bytes FROM video_renditions WHERE video_id IN ({}) ORDER BY video_id, height",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, RenditionOf>(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(db.r())
        .await?
        .into_iter()
        .map(|r| {
            (
                r.video_id,
                RenditionRow {
                    name: r.name,
                    width: r.width,
                    height: r.height,
                    bitrate: r.bitrate,
                    mp4_bytes: r.mp4_bytes,
                },
            )
        })
        .collect())
}

/// (video_id, lang, label) for several videos.
pub async fn select_captions_of(
    db: &Db,
    ids: &[VideoId],
) -> sqlx::Result<Vec<(VideoId, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT video_id, lang, label FROM video_captions WHERE video_id IN ({}) ORDER BY video_id, lang",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

/// (video_id, position_ms) of one viewer for several videos.
pub async fn select_positions_of(
    db: &Db,
    user_id: UserId,
    ids: &[VideoId],
) -> sqlx::Result<Vec<(VideoId, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT video_id, position_ms FROM video_positions WHERE user_id = $1 AND video_id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.r()).await
}

/// What `owner`'s videos take, for their quota: a ready video its stored renditions, one still
/// uploading or processing the size it announced; failed ones keep nothing.
pub async fn storage_used(db: &Db, owner: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'ready' THEN storage_bytes \
         WHEN status = 'failed' THEN 0 ELSE size_bytes END), 0) AS BIGINT) FROM videos WHERE owner_id = $1",
    )
    .bind(owner)
    .fetch_one(db.r())
    .await?;
    Ok(n)
}
