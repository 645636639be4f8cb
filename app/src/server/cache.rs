//! A small in-process cache of values that are costly to compute and may be a little old
//! (catalog match counts, whether the site is a demo, the sitemap). Per process: each instance
//! keeps its own, and every entry expires by age, so instances never disagree for long.
//!
//! [`TtlCache::get_or_compute`] computes a value once however many requests ask at the same
//! moment: when an entry is missing, one request computes it and the others wait for its answer;
//! when it has only grown old, one request computes the new value while the others keep using
//! the old one (stale-while-revalidate), so an expiry never sends every waiting request to the
//! database at once. [`TtlCache::forget`] is an invalidation: what it forgets is never served
//! again, not even by a computation that started before it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// At most this many keys: when full, the older half goes.
const MAX_KEYS: usize = 10_000;

struct Slot<V> {
    value: Option<(V, Instant)>,
    /// Set while one request computes the value; the others wait for its sender to go (or use
    /// the old value).
    computing: Option<watch::Receiver<()>>,
}

struct Inner<V> {
    slots: HashMap<String, Slot<V>>,
    /// Moves on every `forget`: a computation that started before it does not store its value.
    epoch: u64,
}

#[derive(Clone)]
pub struct TtlCache<V: Clone> {
    inner: Arc<Mutex<Inner<V>>>,
}

impl<V: Clone> Default for TtlCache<V> {
    fn default() -> Self {
        Self::new()
    }
}

/// Ends a computation when dropped (also when its request is cancelled): its sender goes, which
/// wakes the waiters, who then find the stored value or compute it themselves.
struct Computing<'a, V: Clone> {
    cache: &'a TtlCache<V>,
    key: &'a str,
    /// Dropped after `drop` has cleared the slot: only then are the waiters woken.
    _done: watch::Sender<()>,
    channel: watch::Receiver<()>,
}

impl<V: Clone> Drop for Computing<'_, V> {
    fn drop(&mut self) {
        if let Ok(mut inner) = self.cache.inner.lock()
            && let Some(slot) = inner.slots.get_mut(self.key)
            && slot
                .computing
                .as_ref()
                .is_some_and(|c| c.same_channel(&self.channel))
        {
            slot.computing = None;
        }
    }
}

/// What a caller of `get_or_compute` does, decided under the lock.
enum Step<V> {
    Answer(V),
    Wait(watch::Receiver<()>),
    Compute(watch::Sender<()>, watch::Receiver<()>, u64),
}

impl<V: Clone> TtlCache<V> {
    pub fn new() -> Self {
        TtlCache {
            inner: Arc::new(Mutex::new(Inner {
                slots: HashMap::new(),
                epoch: 0,
            })),
        }
    }

    /// The value stored under `key` if it is younger than `max_age`.
    #[cfg(test)]
    pub fn get(&self, key: &str, max_age: Duration) -> Option<V> {
        let inner = self.inner.lock().ok()?;
        inner
            .slots
            .get(key)
            .and_then(|s| s.value.as_ref())
            .filter(|(_, at)| at.elapsed() < max_age)
            .map(|(v, _)| v.clone())
    }

    /// Stores a value.
    #[cfg(test)]
    pub fn put(&self, key: String, value: V) {
        if let Ok(mut inner) = self.inner.lock() {
            Self::store(&mut inner, key, value);
        }
    }

    fn store(inner: &mut Inner<V>, key: String, value: V) {
        if !inner.slots.contains_key(&key) && inner.slots.len() >= MAX_KEYS {
            let mut ages: Vec<_> = inner
                .slots
                .values()
                .filter_map(|s| s.value.as_ref().map(|(_, at)| *at))
                .collect();
            ages.sort_unstable();
            if let Some(cut) = ages.get(ages.len() / 2).copied() {
                inner.slots.retain(|_, s| {
                    s.computing.is_some() || s.value.as_ref().is_some_and(|(_, at)| *at > cut)
                });
            }
        }
        let slot = inner.slots.entry(key).or_insert(Slot {
            value: None,
            computing: None,
        });
        slot.value = Some((value, Instant::now()));
    }

    /// The value under `key`: the stored one while it is younger than `max_age`; otherwise
    /// `compute`'s, computed by one caller at a time. While it computes, the others get the old
    /// value if there is one, and wait for the new one if there is not. An error is returned to
    /// the caller that computed (and nothing is stored); a waiter then tries again itself.
    pub async fn get_or_compute<E, F, Fut>(
        &self,
        key: &str,
        max_age: Duration,
        compute: F,
    ) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let mut compute = Some(compute);
        loop {
            let step = {
                let Ok(mut inner) = self.inner.lock() else {
                    // A poisoned lock: compute without the cache.
                    return compute.take().expect("computes once")().await;
                };
                let epoch = inner.epoch;
                let slot = inner.slots.entry(key.to_string()).or_insert(Slot {
                    value: None,
                    computing: None,
                });
                match (&slot.value, &slot.computing) {
                    (Some((v, at)), _) if at.elapsed() < max_age => Step::Answer(v.clone()),
                    (Some((v, _)), Some(_)) => Step::Answer(v.clone()),
                    (None, Some(c)) => Step::Wait(c.clone()),
                    (_, None) => {
                        let (tx, rx) = watch::channel(());
                        slot.computing = Some(rx.clone());
                        Step::Compute(tx, rx, epoch)
                    }
                }
            };
            match step {
                Step::Answer(v) => return Ok(v),
                Step::Wait(mut c) => {
                    // Ends (with an error) when the computing request's sender goes; a receiver
                    // taken under the lock cannot miss that.
                    let _ = c.changed().await;
                }
                Step::Compute(tx, rx, epoch) => {
                    let _done = Computing {
                        cache: self,
                        key,
                        _done: tx,
                        channel: rx,
                    };
                    let value = compute.take().expect("computes once")().await?;
                    if let Ok(mut inner) = self.inner.lock()
                        && inner.epoch == epoch
                    {
                        Self::store(&mut inner, key.to_string(), value.clone());
                    }
                    return Ok(value);
                }
            }
        }
    }

    /// Forgets every value whose key starts with `prefix`; computations under way do not store
    /// theirs (they may have read what changed).
    pub fn forget(&self, prefix: &str) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.epoch += 1;
            inner.slots.retain(|k, s| {
                if k.starts_with(prefix) {
                    s.value = None;
                }
                s.value.is_some() || s.computing.is_some()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn values_expire_and_are_forgotten_by_prefix() {
        let c = TtlCache::new();
        c.put("catalog|a".into(), 3_i64);
        c.put("other".into(), 4);
        assert_eq!(c.get("catalog|a", Duration::from_secs(30)), Some(3));
        assert_eq!(c.get("catalog|a", Duration::ZERO), None);
        c.forget("catalog|");
        assert_eq!(c.get("catalog|a", Duration::from_secs(30)), None);
        assert_eq!(c.get("other", Duration::from_secs(30)), Some(4));
    }

    /// Fifty requests at once for a missing value: one computes, the others wait for its answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_value_is_computed_once_for_everyone_waiting() {
        let c = TtlCache::<i64>::new();
        let runs = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (c, runs) = (c.clone(), runs.clone());
                tokio::spawn(async move {
                    c.get_or_compute("k", Duration::from_secs(30), || async {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok::<_, ()>(7)
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), Ok(7));
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    /// An old value: one request refreshes it, the others are answered at once with the old one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_old_value_is_refreshed_by_one_while_the_others_use_it() {
        let c = TtlCache::<i64>::new();
        c.put("k".into(), 1);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Notify::new());
        let refresher = {
            let (c, runs, gate) = (c.clone(), runs.clone(), gate.clone());
            tokio::spawn(async move {
                c.get_or_compute("k", Duration::from_millis(10), || async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    gate.notified().await;
                    Ok::<_, ()>(2)
                })
                .await
            })
        };
        while runs.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        for _ in 0..20 {
            let v = c
                .get_or_compute("k", Duration::from_millis(10), || async {
                    runs.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, ()>(3)
                })
                .await;
            assert_eq!(v, Ok(1), "the old value while the refresh runs");
        }
        gate.notify_one();
        assert_eq!(refresher.await.unwrap(), Ok(2));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(c.get("k", Duration::from_secs(30)), Some(2));
    }

    /// A value computed while the data changed (and the cache was told) is not kept.
    #[tokio::test]
    async fn a_computation_overtaken_by_forget_is_not_stored() {
        let c = TtlCache::<i64>::new();
        let v = c
            .get_or_compute("catalog|a", Duration::from_secs(30), || async {
                c.forget("catalog|");
                Ok::<_, ()>(5)
            })
            .await;
        assert_eq!(v, Ok(5));
        assert_eq!(c.get("catalog|a", Duration::from_secs(30)), None);
    }

    /// A failed or cancelled computation leaves nothing behind: the next caller computes.
    #[tokio::test]
    async fn errors_and_cancellations_are_not_remembered() {
        let c = TtlCache::<i64>::new();
        let e = c
            .get_or_compute("k", Duration::from_secs(30), || async {
                Err::<i64, _>("db down")
            })
            .await;
        assert_eq!(e, Err("db down"));
        let cancelled = tokio::time::timeout(
            Duration::from_millis(10),
            c.get_or_compute("k", Duration::from_secs(30), || async {
                std::future::pending::<Result<i64, ()>>().await
            }),
        )
        .await;
        assert!(cancelled.is_err());
        let v = c
            .get_or_compute("k", Duration::from_secs(30), || async { Ok::<_, ()>(9) })
            .await;
        assert_eq!(v, Ok(9));
    }
}
