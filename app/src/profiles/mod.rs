//! Profiles: the public profile page, editing it, avatars, settings (e-mail notifications per kind,
//! visibility), following, and the tutors directory.
//!
//! Invariants:
//! - `followers_count` / `following_count` change in the same transaction as the `follows` row, by
//!   a conditional insert/delete, so they stay exact under concurrent clicks;
//! - a members-only profile is shown to signed-in people only and never listed publicly;
//! - avatars are decoded and re-encoded (no EXIF survives), stored under a fresh key, and the
//!   replaced files are deleted.
//!
//! Reads join `users` for the public name and handle (one query per page, no N+1).

mod messages;
pub use messages::ProfileMsg;
pub mod api;
#[cfg(feature = "ssr")]
pub mod avatar;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::Msg;
use crate::i18n::Locale;
use crate::money::parse_money;
use serde::{Deserialize, Serialize};

pub const HEADLINE_MAX: usize = 120;
pub const BIO_MAX: usize = 3000;
pub const MAX_SUBJECTS: usize = 8;
pub const MAX_LANGUAGES: usize = 8;
pub const TUTORS_PAGE: i64 = 12;

/// The subjects a tutor can teach: (code, English, Russian).
pub const SUBJECTS: &[(&str, &str, &str)] = &[
    ("math", "Mathematics", "Математика"),
    ("physics", "Physics", "Физика"),
    ("chemistry", "Chemistry", "Химия"),
    ("biology", "Biology", "Биология"),
    ("programming", "Programming", "Программирование"),
    ("computer-science", "Computer science", "Информатика"),
    ("english", "English", "Английский язык"),
    ("russian", "Russian", "Русский язык"),
    ("german", "German", "Немецкий язык"),
    ("french", "French", "Французский язык"),
    ("spanish", "Spanish", "Испанский язык"),
    ("chinese", "Chinese", "Китайский язык"),
    ("history", "History", "История"),
    ("literature", "Literature", "Литература"),
    ("geography", "Geography", "География"),
    ("economics", "Economics", "Экономика"),
    ("music", "Music", "Музыка"),
    ("art", "Art and drawing", "Рисование"),
    ("exam-prep", "Exam preparation", "Подготовка к экзаменам"),
];

/// Languages a tutor can teach in: (code, name in that language).
pub const LANGUAGES: &[(&str, &str)] = &[
    ("ru", "Русский"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("kk", "Қазақ тілі"),
];

pub use crate::money::CURRENCIES;

/// Kinds of e-mail notifications a person can switch on or off: (code, English, Russian).
pub const NOTIFICATION_KINDS: &[(&str, &str, &str)] = &[
    ("new_follower", "Someone follows me", "На меня подписались"),
    ("comments", "Comments and replies", "Комментарии и ответы"),
    ("likes", "Likes (daily digest)", "Лайки (сводка раз в день)"),
    (
        "new_posts",
        "New posts from people I follow",
        "Новые публикации тех, на кого я подписан",
    ),
    (
        "courses",
        "Course news and moderation results",
        "Новости курсов и итоги модерации",
    ),
    (
        "reminders",
        "Lesson and event reminders",
        "Напоминания о занятиях и событиях",
    ),
];

pub fn subject_name(code: &str, locale: Locale) -> String {
    SUBJECTS
        .iter()
        .find(|s| s.0 == code)
        .map(|s| locale.pick(s.1, s.2).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub fn language_name(code: &str) -> String {
    LANGUAGES
        .iter()
        .find(|l| l.0 == code)
        .map(|l| l.1.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// The public URL of an avatar in one of its sizes (256 or 64).
pub fn avatar_url(key: &str, size: u32) -> String {
    format!("/media/{key}/{size}.jpg")
}

/// A public profile as the profile page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: i64,
    pub handle: String,
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub is_tutor: bool,
    pub subjects: Vec<String>,
    pub languages: Vec<String>,
    pub years_experience: Option<i64>,
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
    pub followers_count: i64,
    pub following_count: i64,
    /// Published posts and (for tutors) published courses, for the counts under the name.
    pub posts_count: i64,
    pub courses_count: i64,
    pub members_only: bool,
    pub joined_at: i64,
    /// The viewer is this person.
    pub is_me: bool,
    /// The viewer follows this person.
    pub followed: bool,
}

/// What a profile page request can find.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ProfileLookup {
    Found(Box<Profile>),
    /// A members-only profile seen by an anonymous visitor: the name only.
    MembersOnly {
        display_name: String,
    },
}

/// The profile form's content.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileUpdate {
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub is_tutor: bool,
    pub subjects: Vec<String>,
    pub languages: Vec<String>,
    /// Whole years, as typed ("" for none).
    pub years_experience: String,
    /// Price per hour in major units, as typed ("1500", "25.50"; "" for none).
    pub hourly_rate: String,
    pub currency: String,
}

/// A tutor in the directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TutorCard {
    pub handle: String,
    pub display_name: String,
    pub headline: String,
    pub avatar_url: Option<String>,
    pub subjects: Vec<String>,
    pub years_experience: Option<i64>,
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
    pub followers_count: i64,
}

/// One page of the directory and the cursor of the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TutorPage {
    pub items: Vec<TutorCard>,
    pub next: Option<String>,
}

/// Followers, or the people someone follows.
pub const FOLLOWS_PAGE: i64 = 30;

/// A person in a followers or following list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonItem {
    pub handle: String,
    pub display_name: String,
    pub headline: String,
    pub avatar_url: Option<String>,
    pub is_tutor: bool,
}

/// A page of someone's followers (or of whom they follow).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowPage {
    /// Whose list it is.
    pub display_name: String,
    pub handle: String,
    /// The count shown on their profile.
    pub count: i64,
    pub items: Vec<PersonItem>,
    pub next: Option<String>,
}

/// A follow button's state after a click.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowState {
    pub followed: bool,
    pub followers_count: i64,
}

/// Notification and privacy settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// (kind code, e-mail on)
    pub email: Vec<(String, bool)>,
    pub visibility: String,
}

/// Validated profile fields, ready for the database.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanProfile {
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub is_tutor: bool,
    pub subjects: Vec<String>,
    pub languages: Vec<String>,
    pub years_experience: Option<i64>,
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
}

fn clean_text(s: &str, max: usize, multiline: bool) -> Result<String, Msg> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control() || (multiline && *c == '\n'))
        .collect();
    if t.chars().count() > max {
        return Err(Msg::TooLong { max: max as u32 });
    }
    Ok(t)
}

impl ProfileUpdate {
    /// Checks every field; errors name the field.
    pub fn validate(&self) -> Result<CleanProfile, crate::error::AppError> {
        use crate::error::Checks;
        let mut c = Checks::new();
        let name = crate::accounts::normalize_name(&self.display_name);
        c.check("display_name", name.as_ref().map(|_| ()).map_err(|m| *m));
        let headline = clean_text(&self.headline, HEADLINE_MAX, false);
        c.check("headline", headline.as_ref().map(|_| ()).map_err(|m| *m));
        let bio = clean_text(&self.bio, BIO_MAX, true);
        c.check("bio", bio.as_ref().map(|_| ()).map_err(|m| *m));
        let mut subjects: Vec<String> = self
            .subjects
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        subjects.sort();
        subjects.dedup();
        if subjects.iter().any(|s| !SUBJECTS.iter().any(|k| k.0 == s)) {
            c.add("subjects", Msg::Profile(ProfileMsg::SubjectUnknown));
        } else if subjects.len() > MAX_SUBJECTS {
            c.add(
                "subjects",
                Msg::TooMany {
                    max: MAX_SUBJECTS as u32,
                },
            );
        }
        let mut languages: Vec<String> = self
            .languages
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        languages.dedup();
        if languages
            .iter()
            .any(|s| !LANGUAGES.iter().any(|k| k.0 == s))
        {
            c.add("languages", Msg::LanguageUnknown);
        } else if languages.len() > MAX_LANGUAGES {
            c.add(
                "languages",
                Msg::TooMany {
                    max: MAX_LANGUAGES as u32,
                },
            );
        }
        let years = match self.years_experience.trim() {
            "" => Ok(None),
            t => match t.parse::<i64>() {
                Ok(y) if (0..=70).contains(&y) => Ok(Some(y)),
                _ => Err(Msg::NumberOutOfRange { min: 0, max: 70 }),
            },
        };
        c.check("years_experience", years.map(|_| ()));
        let rate = parse_money(&self.hourly_rate);
        c.check("hourly_rate", rate.map(|_| ()));
        let currency = if self.currency.is_empty() {
            "RUB".to_string()
        } else {
            self.currency.clone()
        };
        if !CURRENCIES.contains(&currency.as_str()) {
            c.add("currency", Msg::CurrencyUnknown);
        }
        c.finish()?;
        Ok(CleanProfile {
            display_name: name.unwrap_or_default(),
            headline: headline.unwrap_or_default(),
            bio: bio.unwrap_or_default(),
            is_tutor: self.is_tutor,
            subjects,
            languages,
            years_experience: years.ok().flatten(),
            hourly_rate_minor: rate.ok().flatten(),
            currency,
        })
    }
}

/// A readable, URL-safe handle from a display name ("Анна Петрова" → "anna-petrova").
pub fn handle_from_name(name: &str) -> String {
    let mut handle = crate::slug::slugify(name, 30);
    if handle.len() < 3 {
        handle = format!("user-{handle}").trim_end_matches('-').to_string();
    }
    handle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_transliterated_and_url_safe() {
        assert_eq!(handle_from_name("Анна Петрова"), "anna-petrova");
        assert_eq!(handle_from_name("  John  O'Neil!! "), "john-o-neil");
        assert_eq!(handle_from_name("Щукин Юрий"), "shchukin-yurii");
        assert_eq!(handle_from_name("李"), "user");
        assert!(handle_from_name(&"a".repeat(80)).len() <= 30);
    }

    #[test]
    fn profile_updates_are_validated_per_field() {
        let mut u = ProfileUpdate {
            display_name: "Anna".into(),
            subjects: vec!["math".into(), "math".into(), "physics".into()],
            languages: vec!["ru".into()],
            years_experience: "5".into(),
            hourly_rate: "1500".into(),
            currency: "RUB".into(),
            ..Default::default()
        };
        let c = u.validate().unwrap();
        assert_eq!(c.subjects, vec!["math", "physics"]);
        assert_eq!(c.hourly_rate_minor, Some(150000));
        u.subjects = vec!["astrology".into()];
        u.years_experience = "200".into();
        let e = u.validate().unwrap_err();
        assert_eq!(
            e.field_msg("subjects"),
            Some(Msg::Profile(ProfileMsg::SubjectUnknown))
        );
        assert_eq!(
            e.field_msg("years_experience"),
            Some(Msg::NumberOutOfRange { min: 0, max: 70 })
        );
    }
}
