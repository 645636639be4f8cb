//! Multipart uploads (avatars, covers, lesson files) streamed to a temporary file instead of
//! being buffered whole, with a cap on how many bodies the server reads at once.
//!
//! - At most [`IN_FLIGHT`] bodies are read at the same time across the server; the next one waits
//!   for a turn (up to [`WAIT`]) and is then refused with `RateLimited`, so a burst of uploads
//!   costs bounded memory and disk bandwidth instead of starving everything else.
//! - A body is written to `DATA_DIR/uploads/form-*` as its chunks arrive (a chunk at a time in
//!   memory), counted against the caller's limit; past the limit the rest is read and dropped, so
//!   the client gets a clear answer instead of a reset connection. The file is deleted when the
//!   [`Spooled`] upload is dropped, whatever happens.
//! - The first [`HEAD`] bytes are kept for checking the type from the content.

use super::AppState;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Upload bodies read at once, server-wide.
pub const IN_FLIGHT: usize = 8;
/// How long an upload waits for its turn before it is refused.
pub const WAIT: Duration = Duration::from_secs(20);
/// Bytes kept in memory from the start of a file, for sniffing its type.
pub const HEAD: usize = 8 * 1024;

fn turns() -> Arc<Semaphore> {
    static TURNS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    TURNS
        .get_or_init(|| Arc::new(Semaphore::new(IN_FLIGHT)))
        .clone()
}

/// Why an upload could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum SpoolError {
    /// Bigger than the caller's limit.
    TooLarge,
    /// A broken multipart body.
    Broken,
    /// Every turn was taken for [`WAIT`].
    Busy,
    /// The temporary file could not be written.
    Io,
}

/// An upload on disk; its file is deleted when this is dropped (the turn is given back too).
pub struct Spooled {
    pub path: PathBuf,
    pub size: u64,
    pub file_name: String,
    /// The first bytes of the file.
    pub head: Vec<u8>,
    /// The request's turn, held until the upload is processed.
    turn: Option<OwnedSemaphorePermit>,
}

impl Spooled {
    /// The whole file (for images, whose limit is a few MB and whose decoding is capped).
    pub async fn read(&self) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(&self.path).await
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Reads the first multipart field named `name` into a temporary file, at most `max` bytes.
/// `Ok(None)` when there is no such field (or it is empty).
pub async fn spool(
    state: &AppState,
    multipart: &mut axum::extract::Multipart,
    name: &str,
    max: u64,
) -> Result<Option<Spooled>, SpoolError> {
    let mut turn = Some(
        tokio::time::timeout(WAIT, turns().acquire_owned())
            .await
            .map_err(|_| SpoolError::Busy)?
            .map_err(|_| SpoolError::Busy)?,
    );
    let dir = state.config.uploads_dir();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|_| SpoolError::Io)?;
    let mut found: Option<Spooled> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| {
        if too_large {
            SpoolError::TooLarge
        } else {
            SpoolError::Broken
        }
    })? {
        if field.name() != Some(name) || found.is_some() || too_large {
            // Read and drop what is not wanted.
            while let Some(_chunk) = field.chunk().await.map_err(|_| SpoolError::Broken)? {}
            continue;
        }
        let path = dir.join(format!("form-{}", uuid::Uuid::new_v4().simple()));
        let mut spooled = Spooled {
            path: path.clone(),
            size: 0,
            file_name: field.file_name().unwrap_or_default().to_string(),
            head: Vec::new(),
            turn: turn.take(),
        };
        let mut file = tokio::fs::File::create(&path)
            .await
            .map_err(|_| SpoolError::Io)?;
        while let Some(chunk) = field.chunk().await.map_err(|_| {
            if too_large {
                SpoolError::TooLarge
            } else {
                SpoolError::Broken
            }
        })? {
            if too_large {
                continue;
            }
            if spooled.size + chunk.len() as u64 > max {
                too_large = true;
                continue;
            }
            if spooled.head.len() < HEAD {
                let take = (HEAD - spooled.head.len()).min(chunk.len());
                spooled.head.extend_from_slice(&chunk[..take]);
            }
            file.write_all(&chunk).await.map_err(|_| SpoolError::Io)?;
            spooled.size += chunk.len() as u64;
        }
        file.flush().await.map_err(|_| SpoolError::Io)?;
        if !too_large && spooled.size > 0 {
            found = Some(spooled);
        } else {
            turn = spooled.turn.take();
        }
    }
    if too_large {
        return Err(SpoolError::TooLarge);
    }
    Ok(found)
}

impl SpoolError {
    /// The error to answer with; `too_large` names the caller's limit.
    pub fn into_app(self, too_large: crate::error::AppError) -> crate::error::AppError {
        use crate::error::{AppError, Msg};
        match self {
            SpoolError::TooLarge => too_large,
            SpoolError::Broken => AppError::BadRequest(Msg::BadInput),
            SpoolError::Busy => AppError::RateLimited {
                retry_after_secs: WAIT.as_secs(),
            },
            SpoolError::Io => AppError::Internal,
        }
    }
}
