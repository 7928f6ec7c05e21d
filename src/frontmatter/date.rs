//! A calendar date as the files write it (`YYYY-MM-DD`): text in, a `Date` out, or an error
//! that names the date most likely meant (`10/20/2026` -> `2026-10-20`); a `Date` out as the
//! same text again.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::yaml;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !well_formed {
            return None;
        }
        // Digits where `YYYY-MM-DD` has them: read as numbers (every build reads every page's
        // dates back from the read record, `read_record`).
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        chrono::NaiveDate::from_ymd_opt(year as i32, month, day).map(Date)
    }

    /// Why well-formed `text` is not a date (`: there is no month 13`), or nothing.
    fn why_not(text: &str) -> String {
        let parts: Vec<u32> = text
            .trim()
            .split('-')
            .filter_map(|p| p.parse().ok())
            .collect();
        match parts[..] {
            [_, month, _] if !(1..=12).contains(&month) => format!(": there is no month {month}"),
            [year, month, day] if text.trim().len() == 10 => {
                let days = (28..=31)
                    .rev()
                    .find(|&d| chrono::NaiveDate::from_ymd_opt(year as i32, month, d).is_some())
                    .unwrap_or(31);
                let name = chrono::Month::try_from(month as u8)
                    .map(|m| m.name())
                    .unwrap_or("that month");
                format!(": {name} {year} has {days} days, not {day}")
            }
            _ => String::new(),
        }
    }

    /// The error for `text`, with the date it most likely means when it is written another
    /// way (`10/20/2026`).
    fn mistake(text: &str) -> String {
        let key = yaml::KEY;
        let guesses = super::calendar::date_guesses(text);
        let (message, help) = match guesses[..] {
            [one] => (
                format!("`{text}` is not written as YYYY-MM-DD"),
                format!(
                    "did you mean `{key}: {}` ({})? Dates are written YYYY-MM-DD",
                    Date(one),
                    long(one)
                ),
            ),
            [a, b] => (
                format!("`{text}` is not written as YYYY-MM-DD, and could be read two ways"),
                format!(
                    "did you mean `{key}: {}` ({}) or `{key}: {}` ({})? Dates are written YYYY-MM-DD",
                    Date(a),
                    long(a),
                    Date(b),
                    long(b)
                ),
            ),
            _ => (
                format!("`{text}` is not a real date{}", Date::why_not(text)),
                "write dates as YYYY-MM-DD, like `2026-10-15`".to_string(),
            ),
        };
        format!("{message}{}{help}", yaml::HELP)
    }

    /// Today's date in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a real date");
        Date(
            epoch
                .checked_add_days(chrono::Days::new(seconds / 86_400))
                .unwrap_or(epoch),
        )
    }

    pub fn iso(&self) -> String {
        use chrono::Datelike;
        // Written by hand for the years staff write (chrono's format reads its pattern on
        // every call, and review findings write a date or two for every page).
        let (year, month, day) = (self.0.year(), self.0.month(), self.0.day());
        let Some(year) = u32::try_from(year).ok().filter(|&y| y <= 9999) else {
            return self.0.format("%Y-%m-%d").to_string();
        };
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let bytes = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        // ASCII digits and dashes: always UTF-8.
        String::from_utf8(bytes.to_vec()).unwrap_or_default()
    }
}

/// `October 20, 2026`, so a guess can be checked at a glance.
fn long(date: chrono::NaiveDate) -> String {
    date.format("%B %-d, %Y").to_string()
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(Date::mistake(&text)))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_chronos() {
        let days = [
            (1, 1, 1),
            (999, 12, 31),
            (2026, 1, 1),
            (2026, 12, 6),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 6, 15),
        ];
        for (year, month, day) in days {
            let date = chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(Date(date).iso(), date.format("%Y-%m-%d").to_string());
        }
        let mut date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for _ in 0..800 {
            assert_eq!(Date(date).iso(), date.format("%Y-%m-%d").to_string());
            date = date.succ_opt().unwrap();
        }
    }
}
