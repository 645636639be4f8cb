//! Media storage behind one interface (`object_store`): a local folder by default, any
//! S3-compatible store when S3_BUCKET is set.
//!
//! Reads of byte ranges are streamed (never the whole object in memory). On the local folder
//! they read the file directly with large buffers; on S3 they are ranged GETs.

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::{
    GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload,
    WriteMultipart, local::LocalFileSystem, path::Path,
};
use std::ops::Range;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Set for the local folder: range reads go straight to the file.
    local_root: Option<PathBuf>,
    kind: &'static str,
}

/// A stored object read back whole.
pub struct Object {
    pub bytes: Bytes,
    pub e_tag: Option<String>,
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

/// What `head` knows about an object.
#[derive(Clone, Debug)]
pub struct Meta {
    pub size: u64,
    pub e_tag: Option<String>,
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

pub type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// S3 settings (see `Config`).
pub struct S3Settings<'a> {
    pub endpoint: Option<&'a str>,
    pub bucket: &'a str,
    pub region: &'a str,
    pub access_key: Option<&'a str>,
    pub secret_key: Option<&'a str>,
    pub allow_http: bool,
}

const PART: usize = 8 * 1024 * 1024;

impl Storage {
    /// Local folder storage, creating the folder.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
        Ok(Storage {
            store: Arc::new(store),
            local_root: Some(std::fs::canonicalize(dir)?),
            kind: "local",
        })
    }

    /// An S3-compatible bucket.
    pub fn s3(s: S3Settings<'_>) -> anyhow::Result<Self> {
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(s.bucket)
            .with_region(s.region)
            .with_allow_http(s.allow_http);
        if let Some(e) = s.endpoint {
            b = b.with_endpoint(e);
        }
        if let (Some(k), Some(sk)) = (s.access_key, s.secret_key) {
            b = b.with_access_key_id(k).with_secret_access_key(sk);
        }
        Ok(Storage {
            store: Arc::new(b.build()?),
            local_root: None,
            kind: "s3",
        })
    }

    /// Storage as configured: S3 when S3_BUCKET is set, else the local media folder.
    pub fn from_config(c: &super::config::Config) -> anyhow::Result<Self> {
        match c.s3_bucket.as_deref().filter(|b| !b.is_empty()) {
            Some(bucket) => Storage::s3(S3Settings {
                endpoint: c.s3_endpoint.as_deref(),
                bucket,
                region: &c.s3_region,
                access_key: c.s3_access_key.as_deref(),
                secret_key: c.s3_secret_key.as_deref(),
                allow_http: c
                    .s3_endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with("http://")),
            }),
            None => Storage::local(&c.media_dir()),
        }
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        let path = Path::parse(key)?;
        self.store.put(&path, PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Stores an object unless one is already there; returns whether this call stored it. For
    /// derived files that several callers may produce at once (a certificate's PDF rendered by a
    /// request and by its job): the first one stays, so its ETag and date never change.
    pub async fn put_new(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<bool> {
        let path = Path::parse(key)?;
        let opts = PutOptions::from(PutMode::Create);
        match self
            .store
            .put_opts(&path, PutPayload::from(bytes.clone()), opts)
            .await
        {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
            // A store without conditional writes: check, then write.
            Err(object_store::Error::NotImplemented { .. }) => {
                if self.exists(key).await? {
                    return Ok(false);
                }
                self.store.put(&path, PutPayload::from(bytes)).await?;
                Ok(true)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a local file, in parts when it is large; returns its size.
    pub async fn put_file(&self, key: &str, file: &std::path::Path) -> anyhow::Result<u64> {
        let path = Path::parse(key)?;
        let size = tokio::fs::metadata(file).await?.len();
        if size as usize <= PART {
            self.store
                .put(&path, PutPayload::from(tokio::fs::read(file).await?))
                .await?;
            return Ok(size);
        }
        use tokio::io::AsyncReadExt;
        let upload = self.store.put_multipart(&path).await?;
        let mut w = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut f = tokio::fs::File::open(file).await?;
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = f.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            w.wait_for_capacity(4).await?;
            w.write(&buf[..n]);
        }
        w.finish().await?;
        Ok(size)
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Object>> {
        let path = Path::parse(key)?;
        match self.store.get(&path).await {
            Ok(r) => {
                let meta = r.meta.clone();
                let bytes = r.bytes().await?;
                Ok(Some(Object {
                    bytes,
                    e_tag: meta.e_tag,
                    last_modified: meta.last_modified,
                }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn head(&self, key: &str) -> anyhow::Result<Option<Meta>> {
        let path = Path::parse(key)?;
        match self.store.head(&path).await {
            Ok(m) => Ok(Some(Meta {
                size: m.size,
                e_tag: m.e_tag,
                last_modified: m.last_modified,
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Streams `range` of an object (which must lie within it).
    pub async fn read_range(&self, key: &str, range: Range<u64>) -> anyhow::Result<ByteStream> {
        if let Some(root) = &self.local_root {
            use tokio::io::{AsyncReadExt, AsyncSeekExt};
            let rel = Path::parse(key)?;
            let file_path = root.join(rel.as_ref());
            let mut f = tokio::fs::File::open(&file_path).await?;
            f.seek(std::io::SeekFrom::Start(range.start)).await?;
            let limited = f.take(range.end - range.start);
            let stream = tokio_util::io::ReaderStream::with_capacity(limited, 256 * 1024);
            return Ok(Box::pin(stream));
        }
        let path = Path::parse(key)?;
        let opts = GetOptions {
            range: Some(GetRange::Bounded(range)),
            ..Default::default()
        };
        let r = self.store.get_opts(&path, opts).await?;
        Ok(Box::pin(r.into_stream().map_err(std::io::Error::other)))
    }

    /// Every key under `prefix` with its size.
    pub async fn list(&self, prefix: &str) -> anyhow::Result<Vec<(String, u64)>> {
        let p = Path::parse(prefix)?;
        let mut out: Vec<(String, u64)> = self
            .store
            .list(Some(&p))
            .map_ok(|m| (m.location.to_string(), m.size))
            .try_collect()
            .await?;
        out.sort();
        Ok(out)
    }

    /// Deletes every object under `prefix` (e.g. all sizes of one avatar, all files of a video).
    pub async fn delete_prefix(&self, prefix: &str) -> anyhow::Result<()> {
        for (k, _) in self.list(prefix).await? {
            match self.store.delete(&Path::parse(&k)?).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        Ok(self.head(key).await?.is_some())
    }
}

/// Collects a byte stream (tests and small objects).
pub async fn collect(mut s: ByteStream) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = s.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}
