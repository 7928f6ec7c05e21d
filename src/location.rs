//! A clinic location: the raw `location:` block in, a checked `Location` with display-ready
//! hours out.
//!
//! An office's facts (address, phone, hours, position, map link, which facts are stand-ins)
//! are written once, in the default language's file (`resolve`). A translation's block holds
//! only words, its translated `parking` note (`words`); `share` gives it its original's facts,
//! so a change in one file changes every language.

use std::path::Path;

use serde::Serialize;

mod clock;
use clock::{clock, hours_help, twelve_hour};

use crate::config::{tel_href, us_phone};
use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::{Parsed, PlaceholderFact, RawHours, RawLocation, RawPlaceholder, Weekday};

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    /// The page's slug; FAQ entries name locations by it.
    pub slug: String,
    pub name: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// The street address is a stand-in: structured data leaves it out.
    pub placeholder: bool,
    /// The opening hours are stand-ins: the theme says "call to confirm our hours" instead,
    /// and structured data leaves them out.
    pub placeholder_hours: bool,
    pub phone: String,
    pub phone_href: String,
    pub lat: f64,
    pub lng: f64,
    pub hours: Vec<Hours>,
    pub parking: String,
    pub map_url: String,
    /// The file its facts are written in, relative to `content/`: its own, or for a
    /// translation its original's.
    #[serde(skip)]
    pub facts_from: String,
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

/// The facts a translation must not repeat, as written under `location:`.
const FACT_KEYS: &[&str] = &[
    "name",
    "street",
    "city",
    "region",
    "postal_code",
    "phone",
    "placeholder",
    "geo",
    "hours",
    "map_url",
];

/// Checks the `location:` block of a default-language file: every fact is there and makes
/// sense. Problems are reported at the block's line or the value at fault.
pub fn resolve(
    raw: &RawLocation,
    slug: &str,
    parsed: &Parsed,
    file: &Path,
) -> Result<Location, Vec<Diagnostic>> {
    let line = parsed.key_line("location");
    let mut errors = Vec::new();
    let mut required = |value: &Option<String>, key: &str, example: &str| {
        value.clone().unwrap_or_else(|| {
            if written(parsed, key) {
                // Written but unreadable: the YAML reader says what is wrong with it.
                return String::new();
            }
            errors.push(
                Diagnostic::new(
                    Code::LocationMissingFact,
                    file,
                    format!("the office's `{key}` is missing"),
                )
                .at(line, 1)
                .width("location:".len())
                .help(format!("add it under `location:`, like `{key}: {example}`")),
            );
            String::new()
        })
    };
    let name = required(&raw.name, "name", "Kendall");
    let street = required(&raw.street, "street", "\"1234 Main Street, Suite 100\"");
    let city = required(&raw.city, "city", "Miami");
    let region = required(&raw.region, "region", "FL");
    let postal_code = required(&raw.postal_code, "postal_code", "\"33156\"");
    let phone = required(&raw.phone, "phone", "\"305-555-0101\"");
    let geo = raw.geo.unwrap_or_else(|| {
        if written(parsed, "geo") {
            return crate::frontmatter::Geo { lat: 0.0, lng: 0.0 };
        }
        errors.push(
            Diagnostic::new(
                Code::LocationMissingFact,
                file,
                "the office's `geo` (its map position) is missing",
            )
            .at(line, 1)
            .width("location:".len())
            .help("add it under `location:`, like `geo: { lat: 25.68, lng: -80.31 }`"),
        );
        crate::frontmatter::Geo { lat: 0.0, lng: 0.0 }
    });
    // Written one way whatever way it was typed: `(305) 555-0101` shows as `305-555-0101`.
    let phone = match us_phone(&phone) {
        Some(shown) => shown,
        None if raw.phone.is_some() => {
            errors.push(
                Diagnostic::new(
                    Code::LocationPhone,
                    file,
                    format!("`{phone}` is not a phone number the site can show"),
                )
                .at_spot(position_of(parsed, &phone).unwrap_or((line, 1)), &phone)
                .help("write the area code and number, like `phone: 305-555-0101`"),
            );
            phone
        }
        None => phone,
    };
    if !(-90.0..=90.0).contains(&geo.lat) || !(-180.0..=180.0).contains(&geo.lng) {
        errors.push(
            Diagnostic::new(Code::LocationGeo, file, "the map position is not on Earth")
                .at_spot(position_of(parsed, "geo:").unwrap_or((line, 1)), "geo:")
                .help("`lat` is between -90 and 90 and `lng` between -180 and 180, like `geo: { lat: 25.68, lng: -80.31 }`"),
        );
    }
    if let Some(url) = &raw.map_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        // The theme links to it: anything but a web address (`javascript:`) could run a script.
        errors.push(
            Diagnostic::new(Code::LocationMapUrl, file, format!("`{url}` is not a web address"))
                .at_spot(position_of(parsed, url).unwrap_or((line, 1)), url)
                .help("copy the map's address from the browser, starting with `https://`, like `map_url: https://www.openstreetmap.org/?mlat=25.68&mlon=-80.31`"),
        );
    }
    let hours = opening_hours(
        raw.hours.as_deref().unwrap_or_default(),
        parsed,
        file,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let (placeholder, placeholder_hours) = match &raw.placeholder {
        None => (false, false),
        Some(RawPlaceholder::Address(address)) => (*address, false),
        Some(RawPlaceholder::Facts(facts)) => (
            facts.contains(&PlaceholderFact::Address),
            facts.contains(&PlaceholderFact::Hours),
        ),
    };
    Ok(Location {
        slug: slug.to_string(),
        name,
        street,
        city,
        region,
        postal_code,
        placeholder,
        placeholder_hours,
        phone_href: tel_href(&phone),
        phone,
        lat: geo.lat,
        lng: geo.lng,
        hours,
        parking: raw.parking.clone().unwrap_or_default(),
        map_url: raw.map_url.clone().unwrap_or_default(),
        facts_from: relative_to_content(file),
    })
}

/// Checks the `location:` block of a translation (absent is fine): it holds only words, its
/// translated `parking` note. Facts written here are an error naming the lines to delete,
/// because they would drift from the original's. The result has no facts yet: `share`
/// gives it its original's.
pub fn words(
    raw: Option<&RawLocation>,
    slug: &str,
    parsed: &Parsed,
    file: &Path,
) -> Result<Location, Vec<Diagnostic>> {
    let raw = raw.cloned().unwrap_or_default();
    let lines = fact_lines(parsed);
    let has_facts = raw.name.is_some()
        || raw.street.is_some()
        || raw.city.is_some()
        || raw.region.is_some()
        || raw.postal_code.is_some()
        || raw.phone.is_some()
        || raw.placeholder.is_some()
        || raw.geo.is_some()
        || raw.hours.is_some()
        || raw.map_url.is_some();
    if has_facts {
        let first = lines
            .first()
            .copied()
            .unwrap_or(parsed.key_line("location"));
        let text = parsed
            .yaml
            .lines()
            .nth(first.saturating_sub(parsed.yaml_line))
            .unwrap_or_default();
        let column = text.len() - text.trim_start().len() + 1;
        let original = original_of(file);
        return Err(vec![
            Diagnostic::new(
                Code::LocationTranslatedFacts,
                file,
                format!(
                    "a translation holds only words: the office's address, phone, hours and map are written once, in {original}"
                ),
            )
            .at(first, column)
            .width(text.trim().chars().count().max(1))
            .help(format!(
                "delete {} under `location:` (keep `parking:`, the translated parking note); every language shows the facts of {original}",
                line_list(&lines)
            )),
        ]);
    }
    Ok(Location {
        slug: slug.to_string(),
        name: String::new(),
        street: String::new(),
        city: String::new(),
        region: String::new(),
        postal_code: String::new(),
        placeholder: false,
        placeholder_hours: false,
        phone: String::new(),
        phone_href: String::new(),
        lat: 0.0,
        lng: 0.0,
        hours: Vec::new(),
        parking: raw.parking.unwrap_or_default(),
        map_url: String::new(),
        facts_from: String::new(),
    })
}

/// A translation's location: its original's facts with its own parking note (the
/// original's, untranslated, when it has none).
pub fn share(original: &Location, words: &Location) -> Location {
    let parking = if words.parking.trim().is_empty() {
        original.parking.clone()
    } else {
        words.parking.clone()
    };
    Location {
        slug: words.slug.clone(),
        parking,
        ..original.clone()
    }
}

/// Removes the facts from a copy of a default-language location file, for a new translation:
/// `location:` keeps only its `parking:` note (and goes when there is none).
pub fn words_only(text: &str) -> String {
    let Ok(split) = crate::frontmatter::split(text, Path::new("x.md")) else {
        return text.to_string();
    };
    let first = split.yaml_line;
    let drop = block_entries(split.yaml)
        .into_iter()
        .filter(|(key, _)| key != "parking")
        .flat_map(|(_, lines)| lines)
        .map(|i| first + i)
        .collect::<std::collections::HashSet<_>>();
    let keeps_parking = block_entries(split.yaml)
        .iter()
        .any(|(key, _)| key == "parking");
    let location_line = split
        .yaml
        .lines()
        .position(|l| l.starts_with("location:"))
        .map(|i| first + i);
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| {
            let line = i + 1;
            !drop.contains(&line) && (keeps_parking || Some(line) != location_line)
        })
        .map(|(_, l)| l)
        .collect()
}

/// A copy of a default-language office file's `image:` for a new translation: the photo is
/// one of the office's facts, so only its description stays, `image: { alt: "…" }` (see
/// `site::translated::share_lead_images`).
pub fn photo_words_only(text: &str) -> String {
    let Ok(parsed) = crate::frontmatter::parse(text, Path::new("x.md")) else {
        return text.to_string();
    };
    let Some(image) = &parsed.meta.image else {
        return text.to_string();
    };
    let first = parsed.key_line("image");
    let alt = image.alt.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::with_capacity(text.len());
    let mut in_image = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == first {
            in_image = true;
            out.push_str(&format!("image: {{ alt: \"{alt}\" }}\n"));
            continue;
        }
        // The lines of a block `image:`, indented under it.
        if in_image && line.starts_with([' ', '\t']) {
            continue;
        }
        in_image = false;
        out.push_str(line);
    }
    out
}

/// The file lines of the facts written under `location:` (every entry but `parking:`, with
/// the notes above them), in order.
fn fact_lines(parsed: &Parsed) -> Vec<usize> {
    let mut lines: Vec<usize> = block_entries(parsed.yaml)
        .into_iter()
        .filter(|(key, _)| FACT_KEYS.contains(&key.as_str()))
        .flat_map(|(_, lines)| lines)
        .map(|i| parsed.yaml_line + i)
        .collect();
    if lines.is_empty() {
        // Written on one line, like `location: { street: … }`.
        lines.push(parsed.key_line("location"));
    }
    lines.sort_unstable();
    lines
}

/// The entries of the block under a top-level `location:` line: each key with the indexes of
/// its lines in `yaml` (notes and blank lines just above a key count as its own).
fn block_entries(yaml: &str) -> Vec<(String, Vec<usize>)> {
    let mut entries: Vec<(String, Vec<usize>)> = Vec::new();
    let mut lines = yaml.lines().enumerate();
    if lines
        .by_ref()
        .find(|(_, l)| l.starts_with("location:"))
        .is_none()
    {
        return entries;
    }
    let mut pending = Vec::new();
    let mut indent = None;
    for (i, line) in lines {
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if !trimmed.is_empty() && depth == 0 {
            break;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            pending.push(i);
            continue;
        }
        let indent = *indent.get_or_insert(depth);
        match trimmed.split_once(':') {
            Some((key, _)) if depth == indent => {
                let mut own = std::mem::take(&mut pending);
                own.push(i);
                entries.push((key.trim().to_string(), own));
            }
            _ => {
                if let Some((_, own)) = entries.last_mut() {
                    own.append(&mut pending);
                    own.push(i);
                }
            }
        }
    }
    entries
}

/// Whether `key` is written under `location:` with a value. Such a key the site has no value
/// for was left out by the YAML reader, which reported what is wrong with it (`phone: [ … ]`).
fn written(parsed: &Parsed, key: &str) -> bool {
    let lines: Vec<&str> = parsed.yaml.lines().collect();
    let entries = block_entries(parsed.yaml);
    let own = entries
        .iter()
        .filter(|(k, _)| k == key)
        .flat_map(|(_, own)| own);
    own.filter_map(|&i| lines.get(i)).any(|line| {
        let line = line.trim();
        match line
            .strip_prefix(key)
            .and_then(|r| r.trim_start().strip_prefix(':'))
        {
            Some(value) => {
                let value = value.trim();
                !(value.is_empty() || value.starts_with('#') || value == "~" || value == "null")
            }
            None => !(line.is_empty() || line.starts_with('#')),
        }
    })
}

/// `[5, 6, 7, 9]` -> `lines 5–7 and 9`.
pub fn line_list(lines: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == line => *end = line,
            _ => runs.push((line, line)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}–{end}")
            }
        })
        .collect();
    let word = if lines.len() == 1 { "line" } else { "lines" };
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{word} {} and {last}", rest.join(", "))
        }
        _ => format!("{word} {}", parts.join("")),
    }
}

/// `content/locations/kendall.es.md` -> `content/locations/kendall.md`.
pub fn original_of(file: &Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    let Some(stem) = text.strip_suffix(".md") else {
        return text;
    };
    match stem.rsplit_once('.') {
        Some((base, lang)) if !lang.contains('/') => format!("{base}.md"),
        _ => text,
    }
}

fn relative_to_content(file: &Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    text.strip_prefix("content/").unwrap_or(&text).to_string()
}

/// Checks opening hours and makes them ready to show.
fn opening_hours(
    raw: &[RawHours],
    parsed: &Parsed,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Hours> {
    let line = parsed.key_line("location");
    let mut hours = Vec::new();
    for entry in raw {
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
                    Diagnostic::new(Code::LocationHours, file, message)
                        .at_spot(position_of(parsed, needle).unwrap_or((line, 1)), needle)
                        .help(hours_help(entry)),
                );
            }
        }
    }
    hours
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
mod tests;
