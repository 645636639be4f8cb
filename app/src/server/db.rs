//! The database: one binary on SQLite (default) or PostgreSQL, chosen from the URL at start.
//!
//! Queries go through sqlx's `Any` driver with `$1, $2…` placeholders and portable types only
//! (i64 for ids, times in unix ms and 0/1 booleans; String for text), so the same SQL runs on both.
//! SQLite gets one writer connection and a pool of readers: writes queue in the pool instead of
//! failing with `database is locked`, and readers never wait for writers (WAL). PostgreSQL gets a
//! reader pool and a writer pool too.
//!
//! Every write goes through [`Db::w`]: readers refuse to write (`query_only` on SQLite, read-only
//! transactions on PostgreSQL), so a write through [`Db::r`] fails in the tests of both backends.
//! That makes [`Db::writes`] a complete count: [`Db::w`] hands out a [`Writer`] that moves it once
//! its statement has finished, and a transaction begun there ([`Tx`]) moves it when it is committed
//! or rolled back — before the caller goes on, so before any answer that follows the write. The
//! page cache (`server/page_cache.rs`) keeps a page only while that count has not moved since the
//! page was rendered.

use futures::{FutureExt, StreamExt};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
    /// How many times a pool was handed out: one per query or transaction. Tests use it to prove
    /// that a page costs a bounded number of queries (no N+1).
    uses: Arc<AtomicU64>,
    /// Moves after every write ends (see [`Db::writes`]).
    writes: Arc<AtomicU64>,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Set on every reader connection: a write through [`Db::r`] fails instead of going uncounted.
const SQLITE_READER_PRAGMA: &str = "PRAGMA query_only = ON";
const POSTGRES_READER_SETTING: &str = "SET default_transaction_read_only = on";

const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA journal_mode = WAL",
    // FULL: an acknowledged write survives a power cut, not only a crash of the process.
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
];

impl Db {
    /// Connects to `url`, creating a SQLite file (and its folder) when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let writes = Arc::new(AtomicU64::new(0));
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let reader = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(POSTGRES_READER_SETTING).await?;
                        Ok(())
                    })
                })
                .connect(url)
                .await?;
            let writer = AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            return Ok(Db {
                reader,
                writer,
                backend: Backend::Postgres,
                uses: Default::default(),
                writes,
            });
        }
        let url = sqlite_url(url)?;
        let writer = sqlite_pool(&url, 1, false).await?;
        let reader = sqlite_pool(&url, 8, true).await?;
        Ok(Db {
            reader,
            writer,
            backend: Backend::Sqlite,
            uses: Default::default(),
            writes,
        })
    }

    /// Runs the migrations of this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator.run(&self.writer).await?;
        Ok(())
    }

    /// Pool for reads.
    pub fn r(&self) -> &AnyPool {
        self.uses.fetch_add(1, Ordering::Relaxed);
        &self.reader
    }

    /// The writer, for one statement (`.execute(db.w())`) or a transaction (`db.w().begin()`);
    /// one connection on SQLite. Every write goes through it (see [`Db::writes`]).
    pub fn w(&self) -> Writer<'_> {
        self.uses.fetch_add(1, Ordering::Relaxed);
        Writer {
            pool: &self.writer,
            sqlite: self.backend == Backend::Sqlite,
            _done: Done(self.writes.clone()),
        }
    }

    /// Queries (and transactions) issued so far through this handle and its clones.
    pub fn queries(&self) -> u64 {
        self.uses.load(Ordering::Relaxed)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A number that moves after every write of this process has ended (a statement through
    /// [`Db::w`] or a transaction begun there, committed or rolled back) and when
    /// [`Db::changed_elsewhere`] is called. Whatever was read while it stayed put is still what the
    /// database holds, as far as this process's writes go.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Another process (a worker run apart, another app instance, the command line) changed the
    /// database: what was read before is stale.
    pub fn changed_elsewhere(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// The migration versions of one backend's tree (for the test that keeps the two in step).
pub fn migration_versions(backend: Backend) -> Vec<(i64, String)> {
    let m = match backend {
        Backend::Sqlite => &SQLITE_MIGRATOR,
        Backend::Postgres => &POSTGRES_MIGRATOR,
    };
    m.iter()
        .map(|m| (m.version, m.description.to_string()))
        .collect()
}

fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| anyhow::anyhow!("DATABASE_URL must start with sqlite:// or postgres://"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// A SQLite pool: the writer, or readers (query-only).
async fn sqlite_pool(url: &str, size: u32, reader: bool) -> anyhow::Result<AnyPool> {
    Ok(AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                for p in SQLITE_PRAGMAS {
                    conn.execute(p).await?;
                }
                if reader {
                    conn.execute(SQLITE_READER_PRAGMA).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

/// Moves [`Db::writes`] when dropped: when the statement or transaction holding it is done.
struct Done(Arc<AtomicU64>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// The writer pool for one statement, or for [`Writer::begin`]. It moves [`Db::writes`] once the
/// statement's future or stream is done (or dropped).
pub struct Writer<'p> {
    pool: &'p AnyPool,
    sqlite: bool,
    _done: Done,
}

impl std::fmt::Debug for Writer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Writer<'_> {
    /// Begins a transaction; [`Db::writes`] moves when it is committed, rolled back or dropped.
    ///
    /// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a transaction that read
    /// first and wrote after would fail with "database is locked" (`SQLITE_BUSY_SNAPSHOT`, no
    /// waiting) when another process (the command line, a worker run apart) had written in
    /// between; this one waits its turn (`busy_timeout`) instead.
    pub async fn begin(self) -> sqlx::Result<Tx> {
        let tx = if self.sqlite {
            self.pool.begin_with("BEGIN IMMEDIATE").await?
        } else {
            self.pool.begin().await?
        };
        Ok(Tx {
            tx,
            _done: self._done,
        })
    }
}

impl<'p> Executor<'p> for Writer<'p> {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures::stream::BoxStream<
        'e,
        sqlx::Result<sqlx::Either<sqlx::any::AnyQueryResult, sqlx::any::AnyRow>>,
    >
    where
        'p: 'e,
        E: 'q + sqlx::Execute<'q, Any>,
    {
        let done = self._done;
        self.pool
            .fetch_many(query)
            .map(move |step| {
                let _ = &done;
                step
            })
            .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures::future::BoxFuture<'e, sqlx::Result<Option<sqlx::any::AnyRow>>>
    where
        'p: 'e,
        E: 'q + sqlx::Execute<'q, Any>,
    {
        let done = self._done;
        self.pool
            .fetch_optional(query)
            .map(move |row| {
                drop(done);
                row
            })
            .boxed()
    }

    fn prepare_with<'e>(
        self,
        sql: sqlx::SqlStr,
        parameters: &'e [sqlx::any::AnyTypeInfo],
    ) -> futures::future::BoxFuture<'e, sqlx::Result<sqlx::any::AnyStatement>>
    where
        'p: 'e,
    {
        self.pool.prepare_with(sql, parameters)
    }

    fn describe<'e>(
        self,
        sql: sqlx::SqlStr,
    ) -> futures::future::BoxFuture<'e, sqlx::Result<sqlx::Describe<Any>>>
    where
        'p: 'e,
    {
        self.pool.describe(sql)
    }
}

/// A transaction of the writer. `&mut *tx` is its connection, for statements; [`Db::writes`]
/// moves when it is committed or rolled back (or dropped, which rolls it back).
pub struct Tx {
    tx: sqlx::Transaction<'static, Any>,
    _done: Done,
}

impl Tx {
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(
            sqlite_url("sqlite:///tmp/x/t.db").ok().as_deref(),
            Some("sqlite:///tmp/x/t.db?mode=rwc")
        );
        assert!(sqlite_url("mysql://x").is_err());
    }

    #[test]
    fn both_migration_trees_list_the_same_versions() {
        let s = migration_versions(Backend::Sqlite);
        let p = migration_versions(Backend::Postgres);
        assert!(!s.is_empty());
        assert_eq!(
            s, p,
            "migrations/sqlite and migrations/postgres are out of step"
        );
    }
}
