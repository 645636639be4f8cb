//! Building SQL whose shape depends on the input: `IN` lists and optional filters.
//!
//! sqlx's `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL refuses, and every bound
//! parameter must appear in the text on PostgreSQL. [`Sql`] numbers placeholders as it goes:
//! push text, bind a value where it belongs, get `$n` back. The text is assembled only from
//! constant fragments and `$n` markers — values never enter it — so `query_as()` may assert it
//! safe.

use sqlx::any::{Any, AnyArguments};
use sqlx::{Arguments, Encode, Type};

/// `$first, $first+1, …` placeholders for `n` values (for a fixed-shape `IN` list whose values
/// the caller binds itself).
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A query under construction: text plus its bound values, numbered in order.
#[derive(Default)]
pub struct Sql {
    text: String,
    args: AnyArguments,
    n: usize,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            ..Default::default()
        }
    }

    /// Appends constant SQL text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Binds a value and returns its placeholder (`$n`), to be placed in the text by the caller
    /// (a value used twice in the text is bound once).
    pub fn bind<T>(&mut self, value: T) -> String
    where
        T: for<'q> Encode<'q, Any> + Type<Any>,
    {
        // Encoding into the `Any` buffer only copies the value: it cannot fail for the
        // integer, float and text values this module is used with.
        let _ = self.args.add(value);
        self.n += 1;
        format!("${}", self.n)
    }

    /// Appends a placeholder for `value`.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: for<'q> Encode<'q, Any> + Type<Any>,
    {
        let p = self.bind(value);
        self.text.push_str(&p);
        self
    }

    /// Appends `$a, $b, …` for the values (nothing for none: callers handle empty lists).
    pub fn push_list<T, I>(&mut self, values: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: for<'q> Encode<'q, Any> + Type<Any>,
    {
        let mut first = true;
        for v in values {
            if !first {
                self.text.push_str(", ");
            }
            first = false;
            self.push_bind(v);
        }
        self
    }

    /// `AND <cond>` where `cond` names the placeholder of `value` as `{}`:
    /// `sql.and("c.category = {}", category)`.
    pub fn and<T>(&mut self, cond: &str, value: T) -> &mut Self
    where
        T: for<'q> Encode<'q, Any> + Type<Any>,
    {
        let p = self.bind(value);
        self.text.push_str(" AND ");
        self.text.push_str(&cond.replace("{}", &p));
        self
    }

    /// The text so far (for tests and logs).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The finished query, mapped to rows of `O`.
    pub fn query_as<O>(self) -> sqlx::query::QueryAs<'static, Any, O, AnyArguments>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_as_with(sqlx::AssertSqlSafe(self.text), self.args)
    }

    /// The finished statement.
    pub fn query(self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        sqlx::query_with(sqlx::AssertSqlSafe(self.text), self.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        let mut q = Sql::new("SELECT id FROM t WHERE a = 1");
        q.and("b = {}", 5_i64)
            .and("c = {} OR d = {}", "x".to_string());
        q.push(" AND e IN (").push_list([1_i64, 2, 3]).push(")");
        assert_eq!(
            q.text(),
            "SELECT id FROM t WHERE a = 1 AND b = $1 AND c = $2 OR d = $2 AND e IN ($3, $4, $5)"
        );
    }
}
