//! robots.txt and sitemap.xml (server only).

use crate::server::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /settings/\nDisallow: /confirm\nDisallow: /reset-password\n\nSitemap: {}/sitemap.xml\n",
        state.config.base_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// How long a built sitemap is served before it is built again. Anything that takes a page off
/// the sitemap (a profile made private, a post hidden or deleted, a course unpublished) forgets
/// it at once ([`forget_sitemap`]); new pages wait at most this long.
const SITEMAP_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(600);
const SITEMAP_KEY: &str = "seo|sitemap";

/// Forgets the cached sitemap (a page left the public site).
pub fn forget_sitemap(state: &AppState) {
    state.pages.forget(SITEMAP_KEY);
}

/// `/sitemap.xml`: built at most every [`SITEMAP_MAX_AGE`] (it reads every public profile, course
/// and post), from the cache otherwise.
pub async fn sitemap(State(state): State<AppState>) -> axum::response::Response {
    // Built by one request at a time: the others wait for it, or get the previous one meanwhile.
    let built = state
        .pages
        .get_or_compute(SITEMAP_KEY, SITEMAP_MAX_AGE, || async {
            build_sitemap(&state).await.map(axum::body::Bytes::from)
        })
        .await;
    let xml = match built {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "sitemap query failed");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// Every public page: home, directory, public profiles, courses, posts and tags (keyset-paged
/// through the tables).
async fn build_sitemap(state: &AppState) -> sqlx::Result<String> {
    let base = state.config.base_url();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/courses", "/feed", "/tutors"] {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{path}"))
        ));
    }
    let mut after = 0i64;
    // A sitemap file holds at most 50 000 URLs.
    let mut budget = 49_000i64;
    while budget > 0 {
        let rows =
            crate::profiles::db::list_sitemap_profiles(&state.db, after, 1000.min(budget)).await?;
        if rows.is_empty() {
            break;
        }
        budget -= rows.len() as i64;
        for (id, handle, updated) in &rows {
            after = *id;
            let date = chrono::DateTime::from_timestamp_millis(*updated)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "  <url><loc>{}</loc><lastmod>{date}</lastmod></url>\n",
                xml_escape(&format!("{base}/u/{handle}"))
            ));
        }
    }
    let mut after = crate::ids::CourseId(0);
    while budget > 0 {
        let rows = crate::courses::db::list_sitemap(&state.db, after, 1000.min(budget)).await?;
        if rows.is_empty() {
            break;
        }
        budget -= rows.len() as i64;
        for (id, slug, updated) in &rows {
            after = *id;
            let date = chrono::DateTime::from_timestamp_millis(*updated)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "  <url><loc>{}</loc><lastmod>{date}</lastmod></url>\n",
                xml_escape(&format!("{base}/courses/{slug}"))
            ));
        }
    }
    let mut after = crate::ids::PostId(0);
    while budget > 0 {
        let rows = crate::feed::db::list_sitemap_posts(&state.db, after, 1000.min(budget)).await?;
        if rows.is_empty() {
            break;
        }
        budget -= rows.len() as i64;
        for (id, updated) in &rows {
            after = *id;
            let date = chrono::DateTime::from_timestamp_millis(*updated)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "  <url><loc>{}</loc><lastmod>{date}</lastmod></url>\n",
                xml_escape(&format!("{base}/posts/{id}"))
            ));
        }
    }
    if let Ok(tags) = crate::feed::db::list_sitemap_tags(&state.db, budget.clamp(0, 1000)).await {
        for t in tags {
            out.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                xml_escape(&format!("{base}/tags/{t}"))
            ));
        }
    }
    out.push_str("</urlset>\n");
    Ok(out)
}
