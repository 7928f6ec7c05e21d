//! Front matter: a source file's text in, its raw typed header and markdown body out.
//!
//! `split` finds the YAML between the opening and closing `---` lines; `parse` reads it
//! strictly into `RawFrontMatter`. Checking values against the rest of the site (categories,
//! locations, which keys fit which kind of page) happens later, in `site`.

use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{BodyText, ContentFile};
use crate::yaml;

mod calendar;
mod date;
mod parsed;

pub use date::Date;

pub use parsed::{FrontMatters, Parsed};

/// A file cut at its front-matter fences. Line endings are already `\n` (see `source`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Cuts `text` into front matter and body.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(Code::FrontmatterEmpty, file, "this file is empty")
            .at(1, 1)
            .help("start it with front matter, for example:\n---\ntitle: Does microneedling hurt?\n---\nThen write the page below."));
    }
    // Spaces after the opening `---` are invisible in an editor, so they are allowed, as
    // they are after the closing one.
    let first = text.split_inclusive('\n').next().unwrap_or("");
    let Some(after_open) = (first.trim_end() == "---").then(|| &text[first.len()..]) else {
        return Err(missing_front_matter(text, file));
    };
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                yaml: &after_open[..offset],
                yaml_line: 2,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        Code::FrontmatterUnclosed,
        file,
        "the front matter opened on line 1 is never closed",
    )
    .at(1, 1)
    .width(3)
    .help("add a line with only `---` after the last front matter line, before the page text"))
}

/// The finding for a file whose first line is not `---`, saying what it starts with instead.
fn missing_front_matter(text: &str, file: &Path) -> Diagnostic {
    let first = text.lines().next().unwrap_or("");
    let example = "\n---\ntitle: Does microneedling hurt?\n---";
    let blank_lines = text.lines().take_while(|l| l.trim().is_empty()).count();
    let (message, help) = if blank_lines > 0
        && text
            .lines()
            .nth(blank_lines)
            .is_some_and(|l| l.trim() == "---")
    {
        (
            "the file starts with an empty line, before the `---` line".to_string(),
            "delete the empty lines at the top: `---` must be the very first line".to_string(),
        )
    } else if first.trim_end() == "+++" {
        (
            "this front matter is between `+++` lines (TOML, as Hugo and Zola write it)".into(),
            format!(
                "clinicsite reads YAML between two `---` lines, with `key: value` lines:{example}"
            ),
        )
    } else {
        (
            "the file does not start with a `---` line".into(),
            format!("every page starts with front matter between two `---` lines:{example}"),
        )
    };
    Diagnostic::new(Code::FrontmatterMissing, file, message)
        .at(1, 1)
        .width(first.chars().count())
        .help(help)
}

/// Which kind of section an `_index.md` declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    #[default]
    #[serde(rename = "")]
    Plain,
    Faq,
    Locations,
    /// Before-and-after results: one page bundle per case (see `results`).
    Results,
}

/// Front matter exactly as written. Every key of every kind of page is accepted here;
/// `site` reports keys that do not fit the kind of page they are on. The groups of keys only
/// some pages have are boxed: every page's front matter is kept until the build ends, and a
/// 100,000-page site would otherwise carry an empty office address and photo pair per page.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub template: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub extra: Option<Box<yaml::Extra>>,
    /// A photo shown at the top of the page and used as its share image.
    pub image: Option<Box<RawImage>>,
    // Sections.
    pub kind: Option<SectionKind>,
    pub categories: Option<Vec<String>>,
    /// Results sections: what results are typical, shown beside every case.
    pub typical_results: Option<String>,
    // FAQ entries.
    pub category: Option<String>,
    pub summary: Option<String>,
    pub reviewed_by: Option<String>,
    pub last_reviewed: Option<Date>,
    /// Written by `clinicsite review`: the fingerprint of the reviewed text.
    pub review_fingerprint: Option<String>,
    pub locations: Option<Vec<String>>,
    // Location pages.
    pub location: Option<Box<RawLocation>>,
    // Results cases (see `results`): words, then facts written once in the default language.
    pub treatment: Option<String>,
    pub area: Option<String>,
    pub interval: Option<String>,
    pub sessions: Option<u32>,
    pub before: Option<Box<RawPhoto>>,
    pub after: Option<Box<RawPhoto>>,
    pub retouched: Option<bool>,
    pub consent: Option<Box<RawConsent>>,
    // Translations: the fingerprint of the page they were translated from.
    pub translated_from: Option<String>,
    // `clinicsite check`: this page's own limits, each with the reason.
    pub reading_level: Option<Box<RawReadingLevel>>,
    #[serde(default)]
    pub allow_claims: Vec<RawAllowedClaim>,
}

/// `reading_level:`: a page that must be harder than the site's limit says how hard, and why.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawReadingLevel {
    /// English pages: the highest Flesch-Kincaid grade allowed on this page.
    pub max_grade: Option<f64>,
    /// Spanish pages: the lowest INFLESZ score allowed on this page.
    pub min_inflesz: Option<f64>,
    pub reason: Option<String>,
}

/// One entry of `allow_claims:`: wording `check` would flag, allowed on this page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllowedClaim {
    pub phrase: String,
    pub reason: Option<String>,
}

/// Every key `RawFrontMatter` accepts, for suggestions.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "slug",
    "weight",
    "date",
    "updated",
    "draft",
    "aliases",
    "template",
    "tags",
    "extra",
    "image",
    "kind",
    "categories",
    "typical_results",
    "category",
    "summary",
    "reviewed_by",
    "last_reviewed",
    "review_fingerprint",
    "locations",
    "location",
    "treatment",
    "area",
    "interval",
    "sessions",
    "before",
    "after",
    "retouched",
    "consent",
    "translated_from",
    "reading_level",
    "allow_claims",
];

/// `image: {src, alt}`: a photo in the page's folder and what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    /// Left out by a translation, which shows its original's photo.
    #[serde(default)]
    pub src: String,
    pub alt: String,
}

/// `before:` or `after:` of a results case: the photo (written once, in the default
/// language's file) and what it shows (in every language).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhoto {
    pub src: Option<String>,
    pub alt: Option<String>,
}

/// `consent:` of a results case: the patient's signed form, which stays in the clinic's
/// records. Every field is optional here so `results` can say which is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsent {
    pub id: Option<String>,
    pub signed: Option<Date>,
    pub expires: Option<Date>,
    pub scope: Option<Vec<String>>,
}

/// A clinic location as written under `location:`. Its facts (everything but `parking`) are
/// written once, in the default language's file; a translation's block holds only its
/// translated `parking` note (see `location`). So every fact is optional here, and `location`
/// says which is missing or out of place.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    pub name: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
    pub placeholder: Option<RawPlaceholder>,
    pub geo: Option<Geo>,
    pub hours: Option<Vec<RawHours>>,
    pub parking: Option<String>,
    pub map_url: Option<String>,
}

/// `placeholder:` as written: `true` (the address is a stand-in), or the facts that are,
/// like `[address, hours]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawPlaceholder {
    Address(bool),
    Facts(Vec<PlaceholderFact>),
}

impl<'de> Deserialize<'de> for RawPlaceholder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let written = yaml::Value::deserialize(deserializer)?;
        let facts = match &written {
            yaml::Value::Bool(address) => return Ok(RawPlaceholder::Address(*address)),
            yaml::Value::Sequence(items) => items
                .iter()
                .map(|item| match item.as_str() {
                    Some("address") => Some(PlaceholderFact::Address),
                    Some("hours") => Some(PlaceholderFact::Hours),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        facts.map(RawPlaceholder::Facts).ok_or_else(|| {
            let shown = serde_yaml::to_string(&written).unwrap_or_default();
            serde::de::Error::custom(format!(
                "`{}` does not say which facts are stand-ins{}list them, like `placeholder: [address, hours]`, or delete the line once every fact is real",
                shown.trim(),
                yaml::HELP
            ))
        })
    }
}

/// A fact of a location that can be a stand-in until the real one is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceholderFact {
    Address,
    Hours,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Geo {
    pub lat: f64,
    pub lng: f64,
}

/// One line of opening hours: days with the same times.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHours {
    #[serde(deserialize_with = "calendar::days")]
    pub days: Vec<Weekday>,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Weekday {
    Mo,
    Tu,
    We,
    Th,
    Fr,
    Sa,
    Su,
}

/// Splits and parses one source file.
pub fn parse<'a>(text: &'a str, file: &Path) -> Result<Parsed<'a>, Vec<Diagnostic>> {
    let split = split(text, file).map_err(|d| vec![d])?;
    let origin = yaml::Origin {
        file,
        first_line: split.yaml_line,
    };
    let (meta, findings) =
        yaml::parse_past_mistakes::<RawFrontMatter>(split.yaml, origin, KEYS, &["location"])?;
    Ok(Parsed {
        meta,
        yaml: split.yaml,
        yaml_line: split.yaml_line,
        body: BodyText::Here(split.body),
        body_line: split.body_line,
        body_hash: OnceLock::new(),
        findings,
    })
}

/// `parse`, of a file of `content/`: its body where the read stage left it (in memory or on
/// disk, see `source::BodyText`).
pub fn parse_file<'a>(file: &'a ContentFile, shown: &Path) -> Result<Parsed<'a>, Vec<Diagnostic>> {
    let mut parsed = parse(&file.text, shown)?;
    if let Some(unread) = &file.unread {
        parsed.body = BodyText::OnDisk(unread);
        parsed.body_hash = unread.hash.into();
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_header_and_body_with_lines() {
        let s = split("---\ntitle: A\n---\nHello\n", file()).unwrap();
        assert_eq!(
            (s.yaml, s.yaml_line, s.body, s.body_line),
            ("title: A\n", 2, "Hello\n", 4)
        );
    }

    #[test]
    fn strips_a_byte_order_mark() {
        assert_eq!(
            split("\u{feff}---\ntitle: A\n---\n", file()).unwrap().yaml,
            "title: A\n"
        );
    }

    #[test]
    fn empty_front_matter_and_body() {
        let s = split("---\n---\n", file()).unwrap();
        assert_eq!((s.yaml, s.body), ("", ""));
    }

    #[test]
    fn reports_empty_missing_and_unclosed() {
        assert_eq!(
            split(" \n", file()).unwrap_err().code,
            Code::FrontmatterEmpty
        );
        assert_eq!(
            split("title: A\n", file()).unwrap_err().code,
            Code::FrontmatterMissing
        );
        let unclosed = split("---\ntitle: A\nbody\n", file()).unwrap_err();
        assert_eq!(
            (unclosed.code, unclosed.line),
            (Code::FrontmatterUnclosed, 1)
        );
    }

    #[test]
    fn dates_must_be_real() {
        assert!(Date::parse("2026-10-15").is_some());
        assert!(Date::parse("2026-13-45").is_none());
        assert!(Date::parse("2026-2-1").is_none());
        for text in [
            "2024-02-29",
            "2023-02-29",
            "2026-04-31",
            "0000-01-01",
            " 2026-12-31 ",
        ] {
            let chrono = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
            assert_eq!(Date::parse(text).map(|d| d.0), chrono, "{text}");
        }
        let errors = parse("---\ntitle: A\ndate: 2026-02-30\n---\n", file()).unwrap_err();
        assert_eq!(errors[0].line, 3, "{:?}", errors[0]);
        assert!(
            errors[0]
                .message
                .contains("`2026-02-30` is not a real date"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn key_lines_are_file_lines() {
        let parsed = parse("---\ntitle: A\ncategory: B\n---\n", file()).unwrap();
        assert_eq!(parsed.key_line("category"), 3);
    }
}
