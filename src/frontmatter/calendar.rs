//! Dates and days as people write them: `10/20/2026`, `Oct 20, 2026`, `Mo-Fr`, `Monday to
//! Friday` in; what they most likely mean, to suggest in a finding's help, out.
//!
//! Nothing here is accepted as written: the files keep one spelling (`2026-10-20`,
//! `[Mo, Tu, We, Th, Fr]`), and a mistake is answered with the exact text to write.

use serde::{Deserialize, Deserializer};

use super::Weekday;
use crate::yaml;

/// The dates `text` may mean: none, one, or two when day and month could be either way round
/// (`03/04/2026`).
pub fn date_guesses(text: &str) -> Vec<chrono::NaiveDate> {
    let text = text.trim();
    let numbers: Vec<&str> = text
        .split(['/', '.', '-'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if numbers.len() == 3
        && numbers
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return numeric_guesses(&numbers);
    }
    words_guess(text).into_iter().collect()
}

/// `2026/10/20`, `10/20/2026` (and the other way round), `10-20-26`.
fn numeric_guesses(parts: &[&str]) -> Vec<chrono::NaiveDate> {
    let number = |p: &str| p.parse::<u32>().ok();
    let (Some(a), Some(b), Some(c)) = (number(parts[0]), number(parts[1]), number(parts[2])) else {
        return Vec::new();
    };
    let full_year = |text: &str, n: u32| match text.len() {
        4 => Some(n as i32),
        2 => Some(2000 + n as i32),
        _ => None,
    };
    let ymd = |y: i32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let mut guesses = Vec::new();
    if parts[0].len() == 4 {
        guesses.extend(ymd(a as i32, b, c));
    } else if let Some(year) = full_year(parts[2], c) {
        // Month first, as written in the US, then day first.
        guesses.extend(ymd(year, a, b));
        guesses.extend(ymd(year, b, a));
    }
    guesses.dedup();
    guesses
}

/// `Oct 20, 2026`, `October 20th 2026`, `20 October 2026`, `20 de octubre de 2026`.
fn words_guess(text: &str) -> Option<chrono::NaiveDate> {
    let mut month = None;
    let mut numbers = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            numbers.push(digits);
        } else if let Some(m) = month_number(word)
            && month.replace(m).is_some()
        {
            return None;
        }
    }
    let month = month?;
    let year = numbers.iter().find(|n| n.len() == 4)?.parse().ok()?;
    let day = numbers.iter().find(|n| n.len() <= 2)?.parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(year, month, day)
}

const MONTHS: [[&str; 2]; 12] = [
    ["january", "enero"],
    ["february", "febrero"],
    ["march", "marzo"],
    ["april", "abril"],
    ["may", "mayo"],
    ["june", "junio"],
    ["july", "julio"],
    ["august", "agosto"],
    ["september", "septiembre"],
    ["october", "octubre"],
    ["november", "noviembre"],
    ["december", "diciembre"],
];

/// `Oct`, `october`, `octubre` -> 10. At least three letters, so `de` and `of` match nothing.
fn month_number(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    if word.chars().count() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep".into() } else { word };
    MONTHS
        .iter()
        .position(|names| names.iter().any(|name| name.starts_with(&word)))
        .map(|i| i as u32 + 1)
}

/// `days:` as written: a list of two-letter codes. Anything else is refused with the list to
/// write (`Mo-Fr` -> `days: [Mo, Tu, We, Th, Fr]`).
pub fn days<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Weekday>, D::Error> {
    let written = match yaml::Value::deserialize(deserializer)? {
        yaml::Value::Sequence(items) => items.iter().map(scalar_text).collect::<Vec<_>>(),
        other => vec![scalar_text(&other)],
    };
    let codes: Option<Vec<Weekday>> = written.iter().map(|w| code(w)).collect();
    if let Some(codes) = codes {
        return Ok(codes);
    }
    let shown = written.join(", ");
    let error = match read_days(&shown) {
        Some(days) => format!(
            "`{shown}` is not written as a list of days{}write `days: [{}]` (two letters a day: Mo, Tu, We, Th, Fr, Sa, Su)",
            yaml::HELP,
            days.iter()
                .map(|d| format!("{d:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "`{shown}` is not a day{}write two letters a day, like `days: [Mo, Tu, We, Th, Fr]` (Mo, Tu, We, Th, Fr, Sa, Su)",
            yaml::HELP
        ),
    };
    Err(serde::de::Error::custom(error))
}

fn scalar_text(value: &yaml::Value) -> String {
    match value {
        yaml::Value::String(s) => s.clone(),
        yaml::Value::Number(n) => n.to_string(),
        yaml::Value::Bool(b) => b.to_string(),
        yaml::Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

const CODES: [(&str, Weekday); 7] = [
    ("Mo", Weekday::Mo),
    ("Tu", Weekday::Tu),
    ("We", Weekday::We),
    ("Th", Weekday::Th),
    ("Fr", Weekday::Fr),
    ("Sa", Weekday::Sa),
    ("Su", Weekday::Su),
];

fn code(text: &str) -> Option<Weekday> {
    CODES.iter().find(|(c, _)| *c == text).map(|(_, d)| *d)
}

/// Day names in English and in Spanish (without accents), in week order from Monday.
const DAY_NAMES: [[&str; 2]; 7] = [
    ["monday", "lunes"],
    ["tuesday", "martes"],
    ["wednesday", "miercoles"],
    ["thursday", "jueves"],
    ["friday", "viernes"],
    ["saturday", "sabado"],
    ["sunday", "domingo"],
];

/// `Mo-Fr`, `Mon - Fri`, `Monday to Friday`, `lunes a viernes`, `Mon, Wed and Fri`: the days
/// meant, in week order; `None` when a word is not a day.
pub fn read_days(text: &str) -> Option<Vec<Weekday>> {
    let text = text
        .to_lowercase()
        .replace(['–', '—'], "-")
        .replace(['á', 'à'], "a")
        .replace('é', "e");
    let mut days = Vec::new();
    for part in text
        .split([',', ';', '&', '/'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" y "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let range = [" through ", " thru ", " to ", " a ", "-"]
            .iter()
            .find_map(|sep| part.split_once(sep));
        match range {
            Some((from, to)) => {
                let (from, to) = (day_index(from)?, day_index(to)?);
                let mut day = from;
                loop {
                    days.push(day);
                    if day == to {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => days.push(day_index(part)?),
        }
    }
    days.sort_unstable();
    days.dedup();
    (!days.is_empty()).then(|| days.into_iter().map(|d| CODES[d].1).collect())
}

/// `mo`, `mon`, `monday`, `lun` -> the day's place in the week (Monday is 0).
fn day_index(word: &str) -> Option<usize> {
    let word = word.trim().trim_end_matches('.');
    if word.chars().count() < 2 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let matches: Vec<usize> = (0..7)
        .filter(|&i| DAY_NAMES[i].iter().any(|name| name.starts_with(word)))
        .collect();
    match matches[..] {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    fn iso(guesses: Vec<chrono::NaiveDate>) -> Vec<String> {
        guesses.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn guesses_dates_written_other_ways() {
        assert_eq!(iso(date_guesses("10/20/2026")), ["2026-10-20"]);
        assert_eq!(iso(date_guesses("20/10/2026")), ["2026-10-20"]);
        assert_eq!(
            iso(date_guesses("03/04/2026")),
            ["2026-03-04", "2026-04-03"]
        );
        assert_eq!(iso(date_guesses("4/4/2026")), ["2026-04-04"]);
        assert_eq!(iso(date_guesses("2026/10/20")), ["2026-10-20"]);
        assert_eq!(iso(date_guesses("10-20-26")), ["2026-10-20"]);
        assert_eq!(iso(date_guesses("Oct 20, 2026")), ["2026-10-20"]);
        assert_eq!(iso(date_guesses("October 20th 2026")), ["2026-10-20"]);
        assert_eq!(iso(date_guesses("20 de octubre de 2026")), ["2026-10-20"]);
        assert_eq!(iso(date_guesses("last week")), Vec::<String>::new());
        assert_eq!(iso(date_guesses("13/13/2026")), Vec::<String>::new());
    }

    #[test]
    fn reads_days_written_other_ways() {
        let week = Some(vec![Mo, Tu, We, Th, Fr]);
        for text in [
            "Mo-Fr",
            "Mon-Fri",
            "Monday - Friday",
            "Monday to Friday",
            "Monday–Friday",
            "lunes a viernes",
            "Mon, Tue, Wed, Thu, Fri",
        ] {
            assert_eq!(read_days(text), week, "{text}");
        }
        assert_eq!(read_days("Sat and Sun"), Some(vec![Sa, Su]));
        assert_eq!(read_days("Fr-Mo"), Some(vec![Mo, Fr, Sa, Su]));
        assert_eq!(read_days("Monday"), Some(vec![Mo]));
        assert_eq!(read_days("Funday"), None);
        assert_eq!(read_days("S"), None);
    }
}
