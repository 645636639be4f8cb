//! How a person is shown wherever they appear: the author line of a post, a course's tutor, a
//! notification's actor (and later a reviewer, an organiser, a chat partner).
//! `authors` loads many in one query, so lists stay a bounded number of queries.

use serde::{Deserialize, Serialize};

/// A person as a card or an author line shows them (posts, comments, a course's tutor, a
/// notification's actor).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Author {
    pub id: i64,
    pub handle: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::Author;
    use crate::error::AppError;
    use crate::ids::UserId;
    use crate::server::AppState;
    use std::collections::HashMap;

    /// Public author lines by user id (one query).
    pub async fn authors(
        st: &AppState,
        ids: &[UserId],
    ) -> Result<HashMap<UserId, Author>, AppError> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        Ok(crate::profiles::db::select_authors(&st.db, &ids)
            .await?
            .into_iter()
            .map(|a| {
                (
                    a.id,
                    Author {
                        id: a.id.get(),
                        handle: a.handle,
                        display_name: a.display_name,
                        avatar_url: a.avatar_key.map(|k| crate::profiles::avatar_url(&k, 64)),
                    },
                )
            })
            .collect())
    }
}

#[cfg(feature = "ssr")]
pub use server::authors;
