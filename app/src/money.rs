//! Money as people type and read it: amounts in minor units (kopecks, cents) as `i64`, never
//! floats; the currencies the platform takes. Shared by tutors' rates, course prices and,
//! next, tickets, lessons and balances.

use crate::error::Msg;

/// The currencies prices may be set in.
pub const CURRENCIES: &[&str] = &["RUB", "USD", "EUR"];

/// Parses "1500", "1 500", "25.50", "25,5" into minor units.
pub fn parse_money(s: &str) -> Result<Option<i64>, Msg> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(Msg::NumberOutOfRange {
            min: 0,
            max: 1_000_000,
        });
    }
    let whole: i64 = whole.parse().map_err(|_| Msg::NumberOutOfRange {
        min: 0,
        max: 1_000_000,
    })?;
    let frac: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    if whole > 1_000_000 {
        return Err(Msg::NumberOutOfRange {
            min: 0,
            max: 1_000_000,
        });
    }
    Ok(Some(whole * 100 + frac))
}

/// Formats minor units as "1 500 ₽", "$25.50".
pub fn format_money(minor: i64, currency: &str) -> String {
    let whole = minor / 100;
    let frac = minor % 100;
    let mut digits = whole.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!("\u{a0}{tail}{grouped}");
    }
    grouped = format!("{digits}{grouped}");
    let amount = if frac == 0 {
        grouped
    } else {
        format!("{grouped}.{frac:02}")
    };
    match currency {
        "RUB" => format!("{amount}\u{a0}₽"),
        "USD" => format!("${amount}"),
        "EUR" => format!("€{amount}"),
        other => format!("{amount} {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parses_and_formats() {
        assert_eq!(parse_money("1 500"), Ok(Some(150000)));
        assert_eq!(parse_money("25,5"), Ok(Some(2550)));
        assert_eq!(parse_money(""), Ok(None));
        assert!(parse_money("-5").is_err());
        assert!(parse_money("1e9").is_err());
        assert!(parse_money("99999999").is_err());
        assert_eq!(format_money(150000, "RUB"), "1\u{a0}500\u{a0}₽");
        assert_eq!(format_money(2550, "USD"), "$25.50");
    }
}
