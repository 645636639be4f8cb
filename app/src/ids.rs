//! Typed identifiers and stored codes.
//!
//! - Id newtypes (`UserId`, `CourseId`, …) wrap the `BIGINT` keys so that two ids cannot swap
//!   places silently (`enrollment(course, user)` against `completed_lessons(user, course)` once
//!   compiled either way). On the wire and in the database they are plain integers (serde and
//!   sqlx `transparent`), so JSON, forms and SQL do not change.
//! - `codes!` declares an enum stored as `TEXT`: its code per variant, `ALL`, `code()`,
//!   `from_code()`, and `TryFrom<String>` so that a row field can be decoded straight into it
//!   (`#[sqlx(try_from = "String")] status: Status`). Enums that grow are validated here, in
//!   Rust, never with SQL `CHECK (x IN …)` lists, which SQLite cannot alter.
//! - `Flag` decodes a 0/1 `BIGINT` column into a `bool` field (`#[sqlx(try_from = "Flag")]`):
//!   booleans cross sqlx's `Any` driver as integers on both backends.

use serde::{Deserialize, Serialize};

/// Declares an id newtype over `i64`.
macro_rules! id {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw integer (for URLs, SQL lists and DTOs that carry plain numbers).
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v)
            }
        }

        impl From<$name> for i64 {
            fn from(v: $name) -> i64 {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id! {
    /// A person's account.
    UserId;
    /// A signed-in session.
    SessionId;
    CourseId;
    SectionId;
    LessonId;
    AttachmentId;
    QuizId;
    QuizVersionId;
    AttemptId;
    PostId;
    CommentId;
    /// A video's internal id (pages and links use its public id).
    VideoId;
    /// An order's internal id (pages and links use its public id).
    OrderId;
    CertificateId;
    NotificationId;
    JobId;
}

/// Declares an enum stored as a `TEXT` code. Its serde form stays the variant's name unless
/// the enum says otherwise (its attributes follow the derive, so `#[serde(…)]` may be among them).
#[macro_export]
macro_rules! codes {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),* $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $(#[$m])*
        $vis enum $name {
            $($(#[$vm])* $variant),*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),*
                }
            }

            /// The variant of a stored code.
            pub fn from_code(s: &str) -> Option<$name> {
                match s {
                    $($code => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $name::from_code(&s)
                    .ok_or_else(|| format!("unknown {} code {s:?}", stringify!($name)))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

/// A 0/1 integer column read as a `bool` (`#[sqlx(try_from = "Flag")] free_preview: bool`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(transparent))]
pub struct Flag(pub i64);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0 != 0
    }
}

/// The integer a `bool` is stored as.
pub fn flag(b: bool) -> i64 {
    i64::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    codes! {
        enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_fail() {
        for c in Colour::ALL {
            assert_eq!(Colour::from_code(c.code()), Some(*c));
            assert_eq!(Colour::try_from(c.code().to_string()), Ok(*c));
        }
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
        assert!(Colour::try_from("green".to_string()).is_err());
    }

    #[test]
    fn ids_are_plain_numbers_on_the_wire() {
        let id = CourseId(42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<CourseId>("7").unwrap(), CourseId(7));
        assert_eq!("15".parse::<UserId>().unwrap(), UserId(15));
        assert!(bool::from(Flag(1)) && !bool::from(Flag(0)));
    }
}
