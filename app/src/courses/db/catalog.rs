//! The catalog: filters, full-text search, sort orders and keyset pages.

use super::*;

/// The WHERE clause of a catalog query (published courses only), on `q`.
fn filter(sql: &mut Sql, backend: Backend, q: &crate::courses::CatalogQuery, terms: &[String]) {
    sql.push(" WHERE c.status = 'published'");
    if !q.category.is_empty() {
        sql.and("c.category = {}", q.category.clone());
    }
    if !q.level.is_empty() {
        sql.and("c.level = {}", q.level.clone());
    }
    if !q.language.is_empty() {
        sql.and("c.language = {}", q.language.clone());
    }
    sql.push(match q.price.as_str() {
        "free" => " AND c.price_minor = 0",
        "paid" => " AND c.price_minor > 0",
        _ => "",
    });
    sql.push(match q.rating.as_str() {
        "4.5" => " AND c.rating_count > 0 AND c.rating_x100 >= 450",
        "4" => " AND c.rating_count > 0 AND c.rating_x100 >= 400",
        "3" => " AND c.rating_count > 0 AND c.rating_x100 >= 300",
        _ => "",
    });
    sql.push(match q.duration.as_str() {
        "short" => " AND c.duration_ms < 3600000",
        "medium" => " AND c.duration_ms >= 3600000 AND c.duration_ms <= 18000000",
        "long" => " AND c.duration_ms > 18000000",
        _ => "",
    });
    search::matching(sql, backend, "c", &SEARCH, terms);
}

/// Where the courses' search document is indexed.
const SEARCH: search::Index = search::Index {
    fts_table: "courses_fts",
    tsv_column: "search_tsv",
};

/// ORDER BY, and the keyset comparison after a cursor `(a, b)` written with `{a}`/`{b}`.
fn order(sort: &str) -> (&'static str, &'static str) {
    match sort {
        "newest" => (
            "c.published_at DESC, c.id DESC",
            "(c.published_at < {a} OR (c.published_at = {a} AND c.id < {b}))",
        ),
        "price" => (
            "c.price_minor ASC, c.id ASC",
            "(c.price_minor > {a} OR (c.price_minor = {a} AND c.id > {b}))",
        ),
        "price-desc" => (
            "c.price_minor DESC, c.id DESC",
            "(c.price_minor < {a} OR (c.price_minor = {a} AND c.id < {b}))",
        ),
        "rating" => (
            "c.rating_x100 DESC, c.id DESC",
            "(c.rating_x100 < {a} OR (c.rating_x100 = {a} AND c.id < {b}))",
        ),
        _ => (
            "c.enrollments_count DESC, c.id DESC",
            "(c.enrollments_count < {a} OR (c.enrollments_count = {a} AND c.id < {b}))",
        ),
    }
}

/// The sort key of a row for the cursor.
pub fn sort_key(sort: &str, c: &CourseRow) -> i64 {
    match sort {
        "newest" => c.published_at.unwrap_or(0),
        "price" | "price-desc" => c.price_minor,
        "rating" => c.rating_x100,
        _ => c.enrollments_count,
    }
}

/// A catalog keyset cursor: the sort key ([`sort_key`]) and the id of the last course shown.
pub type CatalogCursor = Option<(i64, CourseId)>;

/// One catalog page of published courses after the keyset cursor `after`.
pub async fn catalog_page(
    db: &Db,
    q: &crate::courses::CatalogQuery,
    terms: &[String],
    after: CatalogCursor,
    limit: i64,
) -> sqlx::Result<Vec<CourseRow>> {
    let (order_by, keyset) = order(&q.sort);
    let mut sql = Sql::new(&format!("SELECT {COLS} FROM courses c"));
    filter(&mut sql, db.backend(), q, terms);
    if let Some((a, b)) = after {
        let (a, b) = (sql.bind(a), sql.bind(b));
        sql.push(" AND ")
            .push(&keyset.replace("{a}", &a).replace("{b}", &b));
    }
    sql.push(" ORDER BY ")
        .push(order_by)
        .push(" LIMIT ")
        .push_bind(limit);
    sql.query_as().fetch_all(db.r()).await
}

/// How many published courses match the query (reads every match: callers cache it).
pub async fn catalog_count(
    db: &Db,
    q: &crate::courses::CatalogQuery,
    terms: &[String],
) -> sqlx::Result<i64> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM courses c");
    filter(&mut sql, db.backend(), q, terms);
    let (n,): (i64,) = sql.query_as().fetch_one(db.r()).await?;
    Ok(n)
}

/// How many published courses `author` has (the count on their profile).
pub async fn count_published_by(db: &Db, author: UserId) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM courses WHERE author_id = $1 AND status = 'published'",
    )
    .bind(author)
    .fetch_one(db.r())
    .await?;
    Ok(n)
}
