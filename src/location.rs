//! A clinic location: the raw `location:` block in, a checked `Location` with display-ready
//! hours out.

use std::path::Path;

use serde::Serialize;

use crate::config::tel_href;
use crate::diagnostics::Diagnostic;
use crate::frontmatter::{Parsed, RawLocation, Weekday};

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    /// The page's slug; FAQ entries name locations by it.
    pub slug: String,
    pub name: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub placeholder: bool,
    pub phone: String,
    pub phone_href: String,
    pub lat: f64,
    pub lng: f64,
    pub hours: Vec<Hours>,
    pub parking: String,
    pub map_url: String,
}

/// One line of opening hours.
#[derive(Debug, Clone, Serialize)]
pub struct Hours {
    /// `Monday–Friday`, `Saturday`, `Monday, Wednesday`.
    pub days: String,
    /// The day codes as written, for structured data.
    pub day_codes: Vec<Weekday>,
    /// `9:00 AM`.
    pub opens: String,
    pub closes: String,
    /// `09:00`, as written.
    pub opens_24: String,
    pub closes_24: String,
}

/// Checks a `location:` block. Problems are reported at the block's line.
pub fn resolve(
    raw: &RawLocation,
    slug: &str,
    parsed: &Parsed,
    file: &Path,
) -> Result<Location, Vec<Diagnostic>> {
    let line = parsed.key_line("location");
    let mut errors = Vec::new();
    let digits = raw.phone.chars().filter(char::is_ascii_digit).count();
    if !(10..=11).contains(&digits) {
        errors.push(
            Diagnostic::error(
                "location/phone",
                file,
                format!("`{}` is not a full phone number", raw.phone),
            )
            .at_spot(
                position_of(parsed, &raw.phone).unwrap_or((line, 1)),
                &raw.phone,
            )
            .help("write the area code and number, like `phone: \"305-555-0101\"`"),
        );
    }
    if !(-90.0..=90.0).contains(&raw.geo.lat) || !(-180.0..=180.0).contains(&raw.geo.lng) {
        errors.push(
            Diagnostic::error("location/geo", file, "the map position is not on Earth")
                .at_spot(position_of(parsed, "geo:").unwrap_or((line, 1)), "geo:")
                .help("`lat` is between -90 and 90 and `lng` between -180 and 180, like `geo: { lat: 25.68, lng: -80.31 }`"),
        );
    }
    if let Some(url) = &raw.map_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        // The theme links to it: anything but a web address (`javascript:`) could run a script.
        errors.push(
            Diagnostic::error("location/map-url", file, format!("`{url}` is not a web address"))
                .at_spot(position_of(parsed, url).unwrap_or((line, 1)), url)
                .help("copy the map's address from the browser, starting with `https://`, like `map_url: https://www.openstreetmap.org/?mlat=25.68&mlon=-80.31`"),
        );
    }
    let mut hours = Vec::new();
    for entry in &raw.hours {
        match (clock(&entry.opens), clock(&entry.closes)) {
            (Some(opens), Some(closes)) if opens < closes && !entry.days.is_empty() => {
                hours.push(Hours {
                    days: day_range(&entry.days),
                    day_codes: entry.days.clone(),
                    opens: twelve_hour(opens),
                    closes: twelve_hour(closes),
                    opens_24: entry.opens.clone(),
                    closes_24: entry.closes.clone(),
                })
            }
            (opens, closes) => {
                let (needle, message) = match (opens, closes) {
                    (None, _) => (
                        &entry.opens,
                        format!("`{}` is not a time written as 24-hour HH:MM", entry.opens),
                    ),
                    (_, None) => (
                        &entry.closes,
                        format!("`{}` is not a time written as 24-hour HH:MM", entry.closes),
                    ),
                    _ if entry.days.is_empty() => {
                        (&entry.opens, "these opening hours name no days".to_string())
                    }
                    _ => (
                        &entry.closes,
                        format!(
                            "the office closes (`{}`) before it opens (`{}`)",
                            entry.closes, entry.opens
                        ),
                    ),
                };
                errors.push(
                    Diagnostic::error("location/hours", file, message)
                        .at_spot(position_of(parsed, needle).unwrap_or((line, 1)), needle)
                        .help("write 24-hour times with the opening time first, like `{ days: [Mo, Tu], opens: \"09:00\", closes: \"17:00\" }` (5 PM is `17:00`)"),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Location {
        slug: slug.to_string(),
        name: raw.name.clone(),
        street: raw.street.clone(),
        city: raw.city.clone(),
        region: raw.region.clone(),
        postal_code: raw.postal_code.clone(),
        placeholder: raw.placeholder,
        phone: raw.phone.clone(),
        phone_href: tel_href(&raw.phone),
        lat: raw.geo.lat,
        lng: raw.geo.lng,
        hours,
        parking: raw.parking.clone().unwrap_or_default(),
        map_url: raw.map_url.clone().unwrap_or_default(),
    })
}

/// The file line and column at which `needle` first appears in the front matter.
fn position_of(parsed: &Parsed, needle: &str) -> Option<(usize, usize)> {
    parsed.yaml.lines().enumerate().find_map(|(i, l)| {
        l.find(needle)
            .map(|byte| (parsed.yaml_line + i, l[..byte].chars().count() + 1))
    })
}

/// Points a finding at a spot, underlining `text`.
trait AtSpot {
    fn at_spot(self, spot: (usize, usize), text: &str) -> Self;
}

impl AtSpot for Diagnostic {
    fn at_spot(self, (line, column): (usize, usize), text: &str) -> Self {
        self.at(line, column).width(text.chars().count())
    }
}

/// `"09:30"` -> minutes since midnight.
fn clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60 && text.len() == 5).then_some(h * 60 + m)
}

fn twelve_hour(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let suffix = if (12..24).contains(&h) { "PM" } else { "AM" };
    let h12 = match h % 12 {
        0 => 12,
        other => other,
    };
    format!("{h12}:{m:02} {suffix}")
}

/// A day's English name.
pub fn day_name(day: Weekday) -> &'static str {
    DAY_NAMES[day as usize]
}

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `[Mo, Tu, We, Th, Fr]` -> `Monday–Friday`; `[Mo, We]` -> `Monday, Wednesday`.
fn day_range(days: &[Weekday]) -> String {
    let mut sorted: Vec<usize> = days.iter().map(|d| *d as usize).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let consecutive = sorted.windows(2).all(|w| w[1] == w[0] + 1);
    match sorted.as_slice() {
        [one] => DAY_NAMES[*one].to_string(),
        [first, .., last] if consecutive && sorted.len() > 2 => {
            format!("{}–{}", DAY_NAMES[*first], DAY_NAMES[*last])
        }
        _ => sorted
            .iter()
            .map(|&d| DAY_NAMES[d])
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    #[test]
    fn hours_read_as_people_say_them() {
        assert_eq!(day_range(&[Mo, Tu, We, Th, Fr]), "Monday–Friday");
        assert_eq!(day_range(&[Sa]), "Saturday");
        assert_eq!(day_range(&[Mo, We]), "Monday, Wednesday");
        assert_eq!(twelve_hour(clock("09:00").unwrap()), "9:00 AM");
        assert_eq!(twelve_hour(clock("17:30").unwrap()), "5:30 PM");
        assert_eq!(twelve_hour(clock("12:00").unwrap()), "12:00 PM");
        assert_eq!(clock("9:00"), None);
        assert_eq!(clock("25:00"), None);
    }
}
