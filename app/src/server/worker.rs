//! The job worker: for each lane, as many loops as the lane has workers (media 1: transcoding
//! saturates both cores; messages 2; documents 1). A loop claims one job of its lane at a time,
//! renews the lease while it runs, stops a job that runs past its kind's time limit, and records
//! failures for retry. The handlers come from the registry the features filled (`AppState::hooks`):
//! the worker knows no feature. Runs inside the server by default, or alone as `tutorium worker`.

use super::AppState;
use super::jobs::{self, Job, JobContext, JobFailure, Lane};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long an idle loop waits before looking again (it is woken at once by a job queued in
/// this process).
const IDLE: Duration = Duration::from_millis(500);

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

/// Runs every lane's loops until `stop` turns true.
pub async fn run(state: AppState, stop: Arc<AtomicBool>) {
    let mut loops = Vec::new();
    for lane in Lane::ALL {
        for _ in 0..state.config.lane_workers(*lane) {
            loops.push(tokio::spawn(run_lane(state.clone(), *lane, stop.clone())));
        }
    }
    for l in loops {
        let _ = l.await;
    }
}

/// One loop of one lane.
pub async fn run_lane(state: AppState, lane: Lane, stop: Arc<AtomicBool>) {
    let id = worker_id();
    let lease_ms = state.config.job_lease_seconds as i64 * 1000;
    tracing::info!(worker = %id, lane = %lane, "job worker started");
    while !stop.load(Ordering::SeqCst) {
        let job = match jobs::claim(&state.db, &id, lease_ms, lane).await {
            Ok(j) => j,
            Err(e) => {
                tracing::warn!(error = %e, "claiming a job failed");
                None
            }
        };
        match job {
            Some(job) => {
                run_one(&state, &id, job, lease_ms).await;
                // Other processes' page caches learn of what the job wrote.
                state.bus.announce_change();
            }
            None => jobs::wait_for_work(IDLE).await,
        }
    }
}

async fn run_one(state: &AppState, worker: &str, job: Job, lease_ms: i64) {
    tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, "job started");
    let Some(handler) = state.hooks.job_handler(&job.kind) else {
        let f = JobFailure::permanent(
            "processing_failed",
            format!("no handler for job kind {}", job.kind),
        );
        tracing::warn!(job = job.id, error = %f.detail, "job failed");
        let _ = jobs::fail(&state.db, &job, worker, &f.detail, true).await;
        return;
    };
    let cx = JobContext {
        worker: worker.to_string(),
        cancelled: Arc::new(AtomicBool::new(false)),
    };
    // Renew the lease a few times per lease period; a lost lease cancels the job here.
    let beat = {
        let (db, worker, cancelled, id) = (
            state.db.clone(),
            worker.to_string(),
            cx.cancelled.clone(),
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
    let limit = (handler.timeout)(state);
    let mut timed_out = false;
    let result = match tokio::time::timeout(limit, (handler.run)(state, &job, &cx)).await {
        Ok(r) => r,
        Err(_) => {
            timed_out = true;
            cx.cancelled.store(true, Ordering::SeqCst);
            Err(JobFailure::retry(format!(
                "timed out after {} s",
                limit.as_secs()
            )))
        }
    };
    beat.abort();
    match result {
        Ok(()) => {
            // The handler completes the job in the same transaction as its result when it has
            // one; otherwise (nothing to do) it is completed here.
            let _ = jobs::complete(&state.db, job.id, worker, handler.kind.scrub_payload).await;
            tracing::info!(job = job.id, "job done");
        }
        Err(_) if cx.cancelled.load(Ordering::SeqCst) && !timed_out => {
            tracing::warn!(job = job.id, "job stopped: cancelled or lease lost");
        }
        Err(f) => {
            tracing::warn!(job = job.id, error = %f.detail, permanent = f.permanent, "job failed");
            match jobs::fail(&state.db, &job, worker, &f.detail, f.permanent).await {
                Ok(final_) => {
                    if final_ && handler.kind.scrub_payload {
                        let _ = jobs::scrub(&state.db, job.id).await;
                    }
                    if let Some(on_failure) = handler.on_failure {
                        on_failure(state, &job, &f, final_).await;
                    }
                }
                Err(e) => tracing::error!(error = %e, "recording a job failure failed"),
            }
        }
    }
}
