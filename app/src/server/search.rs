//! Full-text search in Russian and English, the same on SQLite and PostgreSQL, for every feature
//! that indexes text (courses today; tutors, posts and events next).
//!
//! Words are stemmed by the app (Snowball: Russian for Cyrillic words, English for Latin ones);
//! a feature stores the stemmed document in a `search_doc` column, which FTS5 (SQLite, kept in
//! step by triggers) or a generated `tsvector` with the 'simple' configuration (PostgreSQL)
//! indexes. A query is stemmed the same way, so "программирование" finds "программированию" on
//! both. The one backend difference — how a condition on the index is written — is [`matching`].

use super::db::Backend;
use super::sql::Sql;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

fn stemmers() -> &'static (Stemmer, Stemmer) {
    static S: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    S.get_or_init(|| {
        (
            Stemmer::create(Algorithm::Russian),
            Stemmer::create(Algorithm::English),
        )
    })
}

/// Lower-cased words (letters and digits), with ё folded to е.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace('ё', "е")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The stem of one word.
pub fn stem(word: &str) -> String {
    let (ru, en) = stemmers();
    if word.chars().any(|c| ('а'..='я').contains(&c)) {
        ru.stem(word).into_owned()
    } else if word.chars().all(|c| c.is_ascii_alphanumeric()) {
        en.stem(word).into_owned()
    } else {
        word.to_string()
    }
}

/// The document to index: the stems of every word, space-separated.
pub fn document(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        for w in words(p) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&stem(&w));
        }
    }
    out
}

/// The stems of a user's query (at most 10, each safe to quote).
pub fn query_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = words(q)
        .iter()
        .map(|w| stem(w))
        .filter(|s| !s.is_empty())
        .collect();
    terms.dedup();
    terms.truncate(10);
    terms
}

/// The FTS5 MATCH expression: every term, quoted, as a prefix.
pub fn fts5_match(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"*", t.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The PostgreSQL tsquery: every term as a prefix.
pub fn tsquery(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| {
            format!(
                "{}:*",
                t.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            )
        })
        .filter(|t| t.len() > 2)
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Where a table's search document is indexed.
pub struct Index {
    /// The FTS5 table over the document (SQLite), e.g. `courses_fts`, whose `rowid` is the id.
    pub fts_table: &'static str,
    /// The generated `tsvector` column (PostgreSQL), e.g. `search_tsv`.
    pub tsv_column: &'static str,
}

/// Appends ` AND <the row of alias.id matches every term>` to `sql` (nothing for no terms).
pub fn matching(sql: &mut Sql, backend: Backend, alias: &str, index: &Index, terms: &[String]) {
    if terms.is_empty() {
        return;
    }
    match backend {
        Backend::Sqlite => {
            let cond = format!(
                "{alias}.id IN (SELECT rowid FROM {t} WHERE {t} MATCH {{}})",
                t = index.fts_table
            );
            sql.and(&cond, fts5_match(terms));
        }
        Backend::Postgres => {
            let cond = format!("{alias}.{} @@ to_tsquery('simple', {{}})", index.tsv_column);
            sql.and(&cond, tsquery(terms));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_word_forms_share_a_stem() {
        assert_eq!(stem("программирование"), stem("программированию"));
        assert_eq!(stem("программирования"), stem("программированием"));
        assert_eq!(stem("running"), stem("runs"));
        assert_eq!(
            document(&["Основы программирования", "Ёлка"]),
            format!(
                "{} {} {}",
                stem("основы"),
                stem("программирования"),
                stem("елка")
            )
        );
    }

    #[test]
    fn queries_are_stemmed_and_quoted() {
        let t = query_terms("Программированию c++ \"x");
        assert_eq!(t[0], stem("программированию"));
        assert_eq!(
            fts5_match(&t),
            format!("\"{}\"* AND \"c\"* AND \"x\"*", t[0])
        );
        assert!(tsquery(&t).starts_with(&format!("{}:*", t[0])));
    }
}
