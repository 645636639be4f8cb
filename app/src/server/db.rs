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
//! That makes [`Db::writes`] a complete count: the writer pool counts each connection it gets back
//! — after the statement or the transaction it ran (committed or not) — and the page cache
//! (`server/page_cache.rs`) keeps a page only while that count has not moved since the page was
//! rendered.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
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
    uses: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Moves after every use of the writer pool ends (see [`Db::writes`]).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
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
        let writes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
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
            let writer = counted(AnyPoolOptions::new().max_connections(8), &writes)
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
        let writer = sqlite_pool(&url, 1, Some(&writes)).await?;
        let reader = sqlite_pool(&url, 8, None).await?;
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
        self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        &self.reader
    }

    /// Pool for writes and transactions (one connection on SQLite).
    pub fn w(&self) -> &AnyPool {
        self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        &self.writer
    }

    /// Queries (and transactions) issued so far through this handle and its clones.
    pub fn queries(&self) -> u64 {
        self.uses.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A number that moves after every write of this process has ended (a statement through
    /// [`Db::w`] or a transaction begun there, committed or rolled back) and when
    /// [`Db::changed_elsewhere`] is called. Whatever was read while it stayed put is still what the
    /// database holds, as far as this process's writes go.
    pub fn writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Another process (a worker run apart, another app instance, the command line) changed the
    /// database: what was read before is stale.
    pub fn changed_elsewhere(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
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

/// Writer pool options that move `writes` whenever a connection comes back: after the statement
/// or the transaction it ran has finished. Connections live as long as they work (a connection
/// closed for its age would come back without the hook).
fn counted(
    options: AnyPoolOptions,
    writes: &std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> AnyPoolOptions {
    let writes = writes.clone();
    options.max_lifetime(None).after_release(move |_, _| {
        writes.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Box::pin(async { Ok(true) })
    })
}

/// A SQLite pool; `writes` for the writer (counted), `None` for readers (query-only).
async fn sqlite_pool(
    url: &str,
    size: u32,
    writes: Option<&std::sync::Arc<std::sync::atomic::AtomicU64>>,
) -> anyhow::Result<AnyPool> {
    let reader = writes.is_none();
    let options = AnyPoolOptions::new()
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
        });
    let options = match writes {
        Some(w) => counted(options, w),
        None => options,
    };
    Ok(options.connect(url).await?)
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
