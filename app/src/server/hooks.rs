//! What features plug into at start, so that infrastructure and other features never name them:
//! - job handlers, one per [`JobKind`](super::jobs::JobKind), run by the worker;
//! - media policies: who may read the stored objects under a key's first segment
//!   (`videos/…`, `attachments/…`), asked by `/media/{key}`;
//! - storage meters: how many bytes of a person's uploads a feature keeps (videos, lesson
//!   files), summed for their quota by `server::quota`;
//! - reactions to domain events: a use case raises an event (`hooks::emit(st, ProgressChanged
//!   { … })`) and every feature that registered for it reacts in the same request, in
//!   registration order. Courses raise "progress changed" and certificates issue in reaction,
//!   so that courses and quizzes never call certificates (which reads both).
//!
//! Reactions run in-process and are awaited: what they do is done when the use case returns
//! (the certificate exists when the quiz result is shown). Live updates for open pages are
//! another thing: they go through the bus (`server/bus.rs`). The registry is filled once, by
//! `crate::wiring::hooks()`, and is read-only afterwards.

use super::AppState;
use super::jobs::{BoxFuture, JobHandler};
use super::media::MediaPolicy;
use crate::error::AppError;
use std::any::{Any, TypeId};
use std::collections::HashMap;

/// How many bytes a feature keeps for one person.
pub type StorageMeter =
    for<'a> fn(&'a AppState, crate::ids::UserId) -> BoxFuture<'a, Result<i64, AppError>>;

/// A reaction to an event of type `E`.
pub type Reaction<E> = for<'a> fn(&'a AppState, &'a E) -> BoxFuture<'a, Result<(), AppError>>;

#[derive(Default)]
pub struct Hooks {
    jobs: HashMap<&'static str, JobHandler>,
    reactions: HashMap<TypeId, Vec<Box<dyn Any + Send + Sync>>>,
    media: HashMap<&'static str, MediaPolicy>,
    meters: Vec<StorageMeter>,
}

impl Hooks {
    /// Registers the handler of a job kind. A kind registered twice is a programming error.
    pub fn job(&mut self, handler: JobHandler) -> &mut Self {
        let name = handler.kind.name;
        let old = self.jobs.insert(name, handler);
        assert!(old.is_none(), "job kind {name} registered twice");
        self
    }

    /// Registers a reaction to events of type `E`.
    pub fn on<E: Any + Send + Sync>(&mut self, reaction: Reaction<E>) -> &mut Self {
        self.reactions
            .entry(TypeId::of::<E>())
            .or_default()
            .push(Box::new(reaction));
        self
    }

    /// Registers who may read stored objects whose key starts with `prefix/`.
    pub fn media(&mut self, prefix: &'static str, policy: MediaPolicy) -> &mut Self {
        let old = self.media.insert(prefix, policy);
        assert!(old.is_none(), "media prefix {prefix} registered twice");
        self
    }

    /// The policy for keys under `prefix/`, if a feature claimed them.
    pub fn media_policy(&self, prefix: &str) -> Option<MediaPolicy> {
        self.media.get(prefix).copied()
    }

    /// Registers a storage meter (see [`StorageMeter`]).
    pub fn storage(&mut self, meter: StorageMeter) -> &mut Self {
        self.meters.push(meter);
        self
    }

    /// Every registered storage meter.
    pub fn storage_meters(&self) -> &[StorageMeter] {
        &self.meters
    }

    /// The handler of a stored job kind.
    pub fn job_handler(&self, kind: &str) -> Option<&JobHandler> {
        self.jobs.get(kind)
    }

    /// Every registered job kind's name.
    pub fn job_kinds(&self) -> Vec<&'static str> {
        let mut k: Vec<_> = self.jobs.keys().copied().collect();
        k.sort_unstable();
        k
    }
}

/// Raises a domain event: runs every reaction registered for `E`, in order, and returns the
/// first error (a reaction that must not fail the use case handles its own errors).
pub async fn emit<E: Any + Send + Sync>(st: &AppState, event: E) -> Result<(), AppError> {
    let Some(list) = st.hooks.reactions.get(&TypeId::of::<E>()) else {
        return Ok(());
    };
    for r in list {
        if let Some(f) = r.downcast_ref::<Reaction<E>>() {
            f(st, &event).await?;
        }
    }
    Ok(())
}
