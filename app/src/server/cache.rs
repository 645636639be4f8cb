//! A small in-process cache of values that are costly to compute and may be a little old
//! (catalog match counts today; search facets next). Per process: each instance keeps its own,
//! and every entry expires by age, so instances never disagree for long.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// At most this many keys: when full, the older half goes.
const MAX_KEYS: usize = 10_000;

#[derive(Clone, Default)]
pub struct TtlCache<V: Clone> {
    map: Arc<Mutex<HashMap<String, (V, Instant)>>>,
}

impl<V: Clone> TtlCache<V> {
    pub fn new() -> Self {
        TtlCache {
            map: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The value stored under `key` if it is younger than `max_age`.
    pub fn get(&self, key: &str, max_age: Duration) -> Option<V> {
        let map = self.map.lock().ok()?;
        map.get(key)
            .filter(|(_, at)| at.elapsed() < max_age)
            .map(|(v, _)| v.clone())
    }

    /// Stores a value.
    pub fn put(&self, key: String, value: V) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX_KEYS {
                let mut ages: Vec<_> = map.values().map(|(_, at)| *at).collect();
                ages.sort_unstable();
                let cut = ages[ages.len() / 2];
                map.retain(|_, (_, at)| *at > cut);
            }
            map.insert(key, (value, Instant::now()));
        }
    }

    /// Forgets every value whose key starts with `prefix`.
    pub fn forget(&self, prefix: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|k, _| !k.starts_with(prefix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
