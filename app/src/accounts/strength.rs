//! How hard a new password is to guess: zxcvbn's estimate (a maintained port of Dropbox's
//! estimator), whose ranked lists hold the 30,000 most common passwords — so any of them scores
//! too low — besides English words, names, keyboard walks, repeats, sequences and dates; the
//! person's own e-mail and name count as words it knows. A refusal names the reason.

use super::{AccountMsg, PASSWORD_MAX, PASSWORD_MIN, WeakReason};
use crate::error::Msg;
use zxcvbn::feedback::Warning;

/// The score a new password needs: 3 of zxcvbn's 0–4, at least 10^8 guesses.
const MIN_SCORE: u8 = 3;

/// Checks a new password: long enough, not too long, not built on the e-mail or name, and hard
/// to guess. CPU work of up to a few milliseconds: call it off the async runtime.
pub fn check_password(password: &str, email: &str, name: &str) -> Result<(), Msg> {
    let len = password.chars().count();
    if len == 0 {
        return Err(Msg::Required);
    }
    if len < PASSWORD_MIN {
        return Err(Msg::Account(AccountMsg::PasswordTooShort {
            min: PASSWORD_MIN as u32,
        }));
    }
    if len > PASSWORD_MAX {
        return Err(Msg::Account(AccountMsg::PasswordTooLong {
            max: PASSWORD_MAX as u32,
        }));
    }
    let weak = |reason| Err(Msg::Account(AccountMsg::PasswordWeak { reason }));
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let name = name.trim().to_lowercase();
    let joined: String = name.split_whitespace().collect();
    if (local.chars().count() >= 3 && lower.contains(&local))
        || (joined.chars().count() >= 3 && (lower.contains(&name) || lower.contains(&joined)))
    {
        return weak(WeakReason::Personal);
    }
    let mut known: Vec<&str> = vec![email, &local];
    known.extend(name.split_whitespace());
    let estimate = zxcvbn::zxcvbn(password, &known);
    if u8::from(estimate.score()) >= MIN_SCORE {
        return Ok(());
    }
    weak(match estimate.feedback().and_then(|f| f.warning()) {
        Some(
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword
            | Warning::ThisIsSimilarToACommonlyUsedPassword,
        ) => WeakReason::Common,
        Some(
            Warning::AWordByItselfIsEasyToGuess
            | Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
            | Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ) => WeakReason::Word,
        Some(
            Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => WeakReason::Repeats,
        Some(Warning::SequencesLikeAbcAreEasyToGuess) => WeakReason::Sequence,
        Some(
            Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess,
        ) => WeakReason::Keyboard,
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
            WeakReason::Date
        }
        None => WeakReason::Guessable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str) -> Option<WeakReason> {
        match check_password(password, "anna.petrova@x.ru", "Anna Petrova") {
            Err(Msg::Account(AccountMsg::PasswordWeak { reason })) => Some(reason),
            Ok(()) => None,
            Err(e) => panic!("{password}: {e:?}"),
        }
    }

    #[test]
    fn lengths_are_checked_first() {
        assert_eq!(check_password("", "a@b.ru", "Ann"), Err(Msg::Required));
        assert_eq!(
            check_password("short", "a@b.ru", "Ann"),
            Err(Msg::Account(AccountMsg::PasswordTooShort { min: 10 }))
        );
        assert_eq!(
            check_password(&"x1y2z3".repeat(30), "a@b.ru", "Ann"),
            Err(Msg::Account(AccountMsg::PasswordTooLong { max: 128 }))
        );
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        for (password, why) in [
            ("password123", WeakReason::Common),
            ("qwertyuiop", WeakReason::Common),
            ("aaaaaaaaaaaa", WeakReason::Repeats),
            ("ababababab", WeakReason::Repeats),
            ("0123456789", WeakReason::Sequence),
            ("anna.petrova99", WeakReason::Personal),
            ("annapetrova1990", WeakReason::Personal),
        ] {
            assert_eq!(reason(password), Some(why), "{password}");
        }
    }

    #[test]
    fn the_ten_thousand_most_common_passwords_are_refused() {
        // Ranks 987 to 9980 of the list, all long enough and all let through by the old rules.
        for common in [
            "manchester",
            "qazwsxedcrfv",
            "harrypotter",
            "watermelon",
            "8phrowz622",
            "hd764nw5d7e1vb1",
            "23176djivanfros",
        ] {
            assert_eq!(reason(common), Some(WeakReason::Common), "{common}");
            assert_eq!(
                reason(&common.to_uppercase()),
                Some(WeakReason::Common),
                "{common}"
            );
        }
    }

    #[test]
    fn passphrases_pass() {
        for good in [
            "correct horse battery",
            "correct horse battery staple",
            "Тёплый-ветер-42",
            "brand new secret words",
            "a fresh start at last",
        ] {
            assert_eq!(reason(good), None, "{good}");
        }
    }
}
