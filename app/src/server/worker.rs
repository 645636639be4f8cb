//! The job worker: claims jobs one at a time (transcoding saturates both cores), renews its lease
//! while a job runs, stops a job that runs past its time limit, and records failures for retry.
//! Runs inside the server by default, or alone as `tutorium worker`.

use super::{AppState, jobs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A worker's name: host, process and a random suffix.
pub fn worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_else(|_| "host".into());
    format!(
        "{}:{}:{}",
        host.trim(),
        std::process::id(),
        &super::random_token(6)
    )
}

/// Runs jobs until `stop` turns true.
pub async fn run(state: AppState, stop: Arc<AtomicBool>) {
    let id = worker_id();
    let lease_ms = state.config.job_lease_seconds as i64 * 1000;
    tracing::info!(worker = %id, "job worker started");
    while !stop.load(Ordering::SeqCst) {
        let job = match jobs::claim(&state.db, &id, lease_ms).await {
            Ok(j) => j,
            Err(e) => {
                tracing::warn!(error = %e, "claiming a job failed");
                None
            }
        };
        let Some(job) = job else {
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        };
        run_one(&state, &id, job, lease_ms).await;
    }
}

async fn run_one(state: &AppState, worker: &str, job: jobs::Job, lease_ms: i64) {
    tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, "job started");
    let cancelled = Arc::new(AtomicBool::new(false));
    // Renew the lease a few times per lease period; a lost lease cancels the job here.
    let beat = {
        let (db, worker, cancelled, id) = (
            state.db.clone(),
            worker.to_string(),
            cancelled.clone(),
            job.id,
        );
        tokio::spawn(async move {
            let every = Duration::from_millis((lease_ms / 3).max(200) as u64);
            loop {
                tokio::time::sleep(every).await;
                match jobs::heartbeat(&db, id, &worker, lease_ms).await {
                    Ok(true) => {}
                    Ok(false) => {
                        cancelled.store(true, Ordering::SeqCst);
                        break;
                    }
                    Err(e) => tracing::warn!(error = %e, "heartbeat failed"),
                }
            }
        })
    };
    let limit = Duration::from_secs(state.config.video_job_timeout_seconds);
    let result = match job.kind.as_str() {
        crate::video::transcode::JOB_KIND => {
            match tokio::time::timeout(
                limit,
                crate::video::transcode::run(state, &job, worker, cancelled.clone()),
            )
            .await
            {
                Ok(r) => r,
                Err(_) => {
                    cancelled.store(true, Ordering::SeqCst);
                    Err(crate::video::transcode::Failure {
                        permanent: false,
                        code: "processing_failed",
                        detail: format!("timed out after {} s", limit.as_secs()),
                    })
                }
            }
        }
        crate::notifications::service::DIGEST_JOB | crate::notifications::service::FANOUT_JOB => {
            let payload: serde_json::Value = serde_json::from_str(&job.payload).unwrap_or_default();
            let run = async {
                if job.kind == crate::notifications::service::DIGEST_JOB {
                    crate::notifications::service::run_digest(state, &payload).await
                } else {
                    crate::notifications::service::run_fanout(state, &payload).await
                }
            };
            match tokio::time::timeout(Duration::from_secs(300), run).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(crate::video::transcode::Failure {
                    permanent: false,
                    code: "processing_failed",
                    detail: e.to_string(),
                }),
                Err(_) => Err(crate::video::transcode::Failure {
                    permanent: false,
                    code: "processing_failed",
                    detail: "timed out after 300 s".into(),
                }),
            }
        }
        crate::certificates::service::PDF_JOB => {
            let payload: serde_json::Value = serde_json::from_str(&job.payload).unwrap_or_default();
            let run = crate::certificates::service::run_pdf_job(state, &payload);
            match tokio::time::timeout(Duration::from_secs(60), run).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(crate::video::transcode::Failure {
                    permanent: false,
                    code: "processing_failed",
                    detail: e.to_string(),
                }),
                Err(_) => Err(crate::video::transcode::Failure {
                    permanent: false,
                    code: "processing_failed",
                    detail: "timed out after 60 s".into(),
                }),
            }
        }
        other => Err(crate::video::transcode::Failure {
            permanent: true,
            code: "processing_failed",
            detail: format!("no handler for job kind {other}"),
        }),
    };
    beat.abort();
    match result {
        Ok(()) => {
            // The handler completes the job in the same transaction as its result when it has
            // one; otherwise (nothing to do) it is completed here.
            let _ = jobs::complete(&state.db, job.id, worker).await;
            tracing::info!(job = job.id, "job done");
        }
        Err(f) if cancelled.load(Ordering::SeqCst) && !f.detail.starts_with("timed out") => {
            tracing::warn!(job = job.id, "job stopped: cancelled or lease lost");
        }
        Err(f) => {
            tracing::warn!(job = job.id, error = %f.detail, permanent = f.permanent, "job failed");
            match jobs::fail(&state.db, &job, worker, &f.detail, f.permanent).await {
                Ok(final_) if job.kind == crate::video::transcode::JOB_KIND => {
                    crate::video::transcode::on_failure(state, &job, &f, final_).await
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "recording a job failure failed"),
            }
        }
    }
}
