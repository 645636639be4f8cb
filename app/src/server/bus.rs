//! The live event bus: "something you are watching changed" for open pages (the notification
//! bell, a video's processing progress; chat, bookings and live seat counts next).
//!
//! Events are wake-ups, not data: the database stays the source of truth, and a subscriber
//! re-reads what it shows when an event arrives (the unread count, the video's row). So nothing
//! is lost when a wake-up is: a subscriber that may have missed events gets [`Signal::Resync`]
//! and re-reads too.
//!
//! - Topics are strings named by the feature that owns them (`user:42`, `video:17`); a topic
//!   exists while someone subscribes to it (one `tokio::sync::broadcast` channel each).
//! - PostgreSQL: `publish` is `pg_notify('tutorium_bus', …)`, and every instance keeps one
//!   `LISTEN` connection that fans notifications out to its local subscribers — so several app
//!   instances (and `tutorium worker` processes) share events. NOTIFY is delivered on commit and
//!   in commit order; when the listening connection drops and comes back, every local
//!   subscriber gets `Resync`.
//! - SQLite (one writer, so ids commit in order): `publish` delivers to this process's
//!   subscribers at once and queues the event; the relay writes the queue to `bus_events` in one
//!   statement every few milliseconds (a burst of a hundred likes is one write, not a hundred), and
//!   reads other processes' rows (a worker run apart) every second. Rows older than ten minutes are
//!   purged.
//!
//! An idle subscriber costs no query: 1,000 open bells are 1,000 channel receivers.

use super::db::{Backend, Db};
use super::now_ms;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// The PostgreSQL notification channel.
const CHANNEL: &str = "tutorium_bus";
/// How often a SQLite process looks for other processes' events.
const SQLITE_POLL: Duration = Duration::from_secs(1);
/// How long SQLite keeps delivered events.
const SQLITE_KEEP_MS: i64 = 10 * 60 * 1000;
/// Events a topic's channel holds for a slow subscriber before it lags (and resyncs).
const TOPIC_CAPACITY: usize = 64;
/// How long the SQLite relay gathers published events before writing them in one statement.
const SQLITE_BATCH: Duration = Duration::from_millis(20);
/// The topic on which a process says it changed the database (see [`Bus::announce_change`]).
pub const CHANGED: &str = "db:changed";
/// At most one [`CHANGED`] announcement per this long from one process.
const ANNOUNCE_EVERY: Duration = Duration::from_millis(100);

/// What a subscriber receives.
#[derive(Clone, Debug, PartialEq)]
pub enum Signal {
    /// An event published on the topic, with its (small) payload.
    Event(serde_json::Value),
    /// Events may have been missed: re-read the state from the database.
    Resync,
}

#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    topics: Mutex<HashMap<String, broadcast::Sender<Signal>>>,
    /// Wakes the SQLite relay when this process published.
    wake: Notify,
    started: AtomicBool,
    /// This process, in `bus_events.origin` (SQLite): it skips its own rows.
    origin: String,
    /// Events published here and not yet written to `bus_events` (SQLite).
    outbox: Mutex<Vec<(String, String)>>,
    /// Wakes the announcer: this process changed the database.
    changed: Notify,
}

impl Bus {
    pub fn new(backend: Backend) -> Self {
        Bus {
            inner: Arc::new(Inner {
                backend,
                topics: Mutex::new(HashMap::new()),
                wake: Notify::new(),
                started: AtomicBool::new(false),
                origin: super::random_token(9),
                outbox: Mutex::new(Vec::new()),
                changed: Notify::new(),
            }),
        }
    }

    /// Publishes an event on `topic` for every instance. Call it after the change is committed.
    pub async fn publish(
        &self,
        db: &Db,
        topic: &str,
        payload: serde_json::Value,
    ) -> sqlx::Result<()> {
        match self.inner.backend {
            Backend::Postgres => {
                let body = serde_json::json!({ "t": topic, "p": payload }).to_string();
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(body)
                    .execute(db.w())
                    .await?;
            }
            Backend::Sqlite => {
                let _ = db;
                self.deliver(topic, Signal::Event(payload.clone()));
                if let Ok(mut out) = self.inner.outbox.lock() {
                    out.push((topic.to_string(), payload.to_string()));
                }
                self.inner.wake.notify_one();
            }
        }
        Ok(())
    }

    /// Publishes, logging instead of failing: a lost wake-up only delays a live view until its
    /// next event (what it shows is re-read from the database).
    pub async fn notify(&self, db: &Db, topic: &str, payload: serde_json::Value) {
        if let Err(e) = self.publish(db, topic, payload).await {
            tracing::warn!(error = %e, topic, "publishing a live event failed");
        }
    }

    /// Tells the other processes on this database (app instances, workers run apart) that this one
    /// changed it, so that what they remember of it (rendered pages) is dropped. Many calls in a
    /// moment make one announcement, sent by the relay once [`Bus::start`] ran.
    pub fn announce_change(&self) {
        self.inner.changed.notify_one();
    }

    /// [`Bus::announce_change`] at once, for a process that ends next (the command line).
    pub async fn announce_change_now(&self, db: &Db) {
        self.announce(db).await;
        if self.inner.backend == Backend::Sqlite {
            flush(self, db).await;
        }
    }

    async fn announce(&self, db: &Db) {
        let from = serde_json::json!({ "from": self.inner.origin });
        self.notify(db, CHANGED, from).await;
    }

    /// Subscribes to a topic.
    pub fn subscribe(&self, topic: &str) -> Subscription {
        let mut topics = self.inner.topics.lock().unwrap_or_else(|e| e.into_inner());
        let rx = topics
            .entry(topic.to_string())
            .or_insert_with(|| broadcast::channel(TOPIC_CAPACITY).0)
            .subscribe();
        Subscription {
            rx,
            topic: topic.to_string(),
            bus: self.clone(),
        }
    }

    /// Open topics in this process (for tests and diagnostics).
    pub fn topics(&self) -> usize {
        self.inner
            .topics
            .lock()
            .map(|t| t.len())
            .unwrap_or_default()
    }

    fn deliver(&self, topic: &str, signal: Signal) {
        if let Ok(topics) = self.inner.topics.lock()
            && let Some(tx) = topics.get(topic)
        {
            let _ = tx.send(signal);
        }
    }

    fn resync_all(&self) {
        if let Ok(topics) = self.inner.topics.lock() {
            for tx in topics.values() {
                let _ = tx.send(Signal::Resync);
            }
        }
    }

    /// Starts this process's relay (once): the `LISTEN` connection on PostgreSQL, the reader
    /// of `bus_events` on SQLite. Until it runs, subscribers receive nothing.
    pub fn start(&self, db: &Db, database_url: &str) {
        if self.inner.started.swap(true, Ordering::SeqCst) {
            return;
        }
        match self.inner.backend {
            Backend::Postgres => {
                tokio::spawn(pg_relay(self.clone(), database_url.to_string()));
            }
            Backend::Sqlite => {
                tokio::spawn(sqlite_relay(self.clone(), db.clone()));
            }
        }
        // Another process's change (or a missed one: Resync) makes this one's reads stale; its
        // own announcements come back too (PostgreSQL's LISTEN, SQLite's local delivery) and
        // change nothing here.
        let mut changes = self.subscribe(CHANGED);
        let (origin, reader) = (self.inner.origin.clone(), db.clone());
        tokio::spawn(async move {
            loop {
                match changes.next().await {
                    Signal::Event(p) if p["from"].as_str() == Some(origin.as_str()) => {}
                    _ => reader.changed_elsewhere(),
                }
            }
        });
        let (bus, db) = (self.clone(), db.clone());
        tokio::spawn(async move {
            loop {
                bus.inner.changed.notified().await;
                bus.announce(&db).await;
                tokio::time::sleep(ANNOUNCE_EVERY).await;
            }
        });
    }
}

/// A subscription to one topic; dropping it closes the topic when it was the last one.
pub struct Subscription {
    rx: broadcast::Receiver<Signal>,
    topic: String,
    bus: Bus,
}

impl Subscription {
    /// The next signal (a lagging subscriber gets `Resync`).
    pub async fn next(&mut self) -> Signal {
        match self.rx.recv().await {
            Ok(s) => s,
            Err(broadcast::error::RecvError::Lagged(_)) => Signal::Resync,
            // The sender lives in the topic map while this receiver exists.
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut topics) = self.bus.inner.topics.lock()
            && topics
                .get(&self.topic)
                .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            topics.remove(&self.topic);
        }
    }
}

fn parse(body: &str) -> Option<(String, serde_json::Value)> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    Some((
        v.get("t")?.as_str()?.to_string(),
        v.get("p").cloned().unwrap_or_default(),
    ))
}

async fn pg_relay(bus: Bus, url: String) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
                // Whatever was published before this connection listened is not replayed:
                // subscribers re-read.
                bus.resync_all();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(n)) => {
                            if let Some((topic, payload)) = parse(n.payload()) {
                                bus.deliver(&topic, Signal::Event(payload));
                            }
                        }
                        // The connection was lost and is being re-established.
                        Ok(None) => bus.resync_all(),
                        Err(e) => {
                            tracing::warn!(error = %e, "the bus listener failed");
                            break;
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the bus listener cannot connect");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Writes this process's queued events to `bus_events` in one statement per 200.
async fn flush(bus: &Bus, db: &Db) {
    let batch: Vec<(String, String)> = match bus.inner.outbox.lock() {
        Ok(mut out) => std::mem::take(&mut *out),
        Err(_) => return,
    };
    let now = now_ms();
    for chunk in batch.chunks(200) {
        let mut q = super::sql::Sql::new(
            "INSERT INTO bus_events (topic, payload, origin, created_at) VALUES ",
        );
        let (origin, at) = (q.bind(bus.inner.origin.clone()), q.bind(now));
        for (i, (topic, payload)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").push_bind(topic.clone()).push(", ");
            q.push_bind(payload.clone());
            q.push(&format!(", {origin}, {at})"));
        }
        if let Err(e) = q.query().execute(db.w()).await {
            tracing::warn!(error = %e, "writing live events failed");
        }
    }
}

async fn sqlite_relay(bus: Bus, db: Db) {
    let mut cursor: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT COALESCE(MAX(id), 0) FROM bus_events")
            .fetch_one(db.r())
            .await
            .map(|r| r.0)
            .unwrap_or(0);
    let mut last_purge = std::time::Instant::now();
    loop {
        tokio::select! {
            _ = bus.inner.wake.notified() => {
                // Gather what else is published in the same moment into one write.
                tokio::time::sleep(SQLITE_BATCH).await;
            }
            _ = tokio::time::sleep(SQLITE_POLL) => {}
        }
        flush(&bus, &db).await;
        if bus.topics() == 0 {
            // Nobody listens here: nothing to read now. The events since the cursor are read
            // when someone subscribes; as wake-ups they only make a view re-read its state.
            continue;
        }
        let rows: Vec<(i64, String, String, String)> = match sqlx::query_as(
            "SELECT id, topic, payload, origin FROM bus_events WHERE id > $1 ORDER BY id LIMIT 500",
        )
        .bind(cursor)
        .fetch_all(db.r())
        .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "reading live events failed");
                bus.resync_all();
                continue;
            }
        };
        for (id, topic, payload, origin) in &rows {
            cursor = *id;
            // This process delivered its own events when they were published.
            if *origin != bus.inner.origin {
                bus.deliver(
                    topic,
                    Signal::Event(serde_json::from_str(payload).unwrap_or_default()),
                );
            }
        }
        if rows.len() == 500 {
            bus.inner.wake.notify_one();
        }
        if last_purge.elapsed() > Duration::from_secs(300) {
            last_purge = std::time::Instant::now();
            let _ = sqlx::query("DELETE FROM bus_events WHERE created_at < $1")
                .bind(now_ms() - SQLITE_KEEP_MS)
                .execute(db.w())
                .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn topics_close_with_their_last_subscriber_and_deliver_to_all() {
        let bus = Bus::new(Backend::Sqlite);
        let mut a = bus.subscribe("user:1");
        let mut b = bus.subscribe("user:1");
        let _c = bus.subscribe("user:2");
        assert_eq!(bus.topics(), 2);
        bus.deliver("user:1", Signal::Event(serde_json::json!({"n": 1})));
        assert_eq!(a.next().await, Signal::Event(serde_json::json!({"n": 1})));
        assert_eq!(b.next().await, Signal::Event(serde_json::json!({"n": 1})));
        bus.resync_all();
        assert_eq!(a.next().await, Signal::Resync);
        drop(a);
        assert_eq!(bus.topics(), 2);
        drop(b);
        assert_eq!(bus.topics(), 1);
    }

    #[tokio::test]
    async fn a_lagging_subscriber_is_told_to_resync() {
        let bus = Bus::new(Backend::Sqlite);
        let mut a = bus.subscribe("t");
        for i in 0..(TOPIC_CAPACITY + 5) {
            bus.deliver("t", Signal::Event(serde_json::json!(i)));
        }
        assert_eq!(a.next().await, Signal::Resync);
    }

    #[test]
    fn notifications_carry_topic_and_payload() {
        assert_eq!(
            parse(r#"{"t":"video:3","p":{"s":1}}"#),
            Some(("video:3".into(), serde_json::json!({"s": 1})))
        );
        assert_eq!(parse("nonsense"), None);
    }
}
