//! Media storage behind one interface (`object_store`): a local folder by default.
//! S3-compatible stores plug in here with the video work.

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, path::Path};
use std::sync::Arc;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

/// A stored object read back whole.
pub struct Object {
    pub bytes: Bytes,
    pub e_tag: Option<String>,
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

impl Storage {
    /// Local folder storage, creating the folder.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
        Ok(Storage {
            store: Arc::new(store),
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        let path = Path::parse(key)?;
        self.store.put(&path, PutPayload::from(bytes)).await?;
        Ok(())
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

    /// Deletes every object under `prefix` (e.g. all sizes of one avatar).
    pub async fn delete_prefix(&self, prefix: &str) -> anyhow::Result<()> {
        use futures::TryStreamExt;
        let p = Path::parse(prefix)?;
        let keys: Vec<_> = self
            .store
            .list(Some(&p))
            .map_ok(|m| m.location)
            .try_collect()
            .await?;
        for k in keys {
            match self.store.delete(&k).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        let path = Path::parse(key)?;
        match self.store.head(&path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}
