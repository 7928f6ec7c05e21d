//! `site.yaml`: its text in, a validated `Config` out.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml;

pub mod base_url;
pub mod brand;
pub mod check;
pub mod reminders;
pub mod timezone;

pub use brand::{Brand, BrandLogo, FontStack, LogoKind, Rgb};

/// `site.yaml` exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    tagline: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    languages: Option<Vec<String>>,
    translations: Option<std::collections::BTreeMap<String, SiteText>>,
    theme: Option<String>,
    phone: Option<String>,
    procedure: Option<String>,
    #[serde(default)]
    minify: bool,
    extra: Option<yaml::Extra>,
    check: Option<check::RawCheck>,
    markdown: Option<RawMarkdown>,
    third_party: Option<Vec<RawThirdParty>>,
    synonyms: Option<Vec<Vec<String>>>,
    revoked_consents: Option<Vec<String>>,
    brand: Option<brand::RawBrand>,
    timezone: Option<String>,
}

/// One entry of `third_party:` in site.yaml: both fields required.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThirdParty {
    origin: String,
    reason: String,
}

/// `markdown:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: bool,
}

const KEYS: &[&str] = &[
    "title",
    "tagline",
    "description",
    "base_url",
    "language",
    "languages",
    "translations",
    "theme",
    "phone",
    "procedure",
    "minify",
    "extra",
    "check",
    "markdown",
    "third_party",
    "synonyms",
    "revoked_consents",
    "brand",
    "timezone",
];

/// The site's settings, checked and with defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub tagline: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The default language: its pages live at the top of the site.
    pub language: String,
    /// Every language of the site, the default first. Others live under `/CODE/`.
    pub languages: Vec<String>,
    /// `translations:`: the site's title, tagline and description in other languages.
    pub translations: std::collections::BTreeMap<String, SiteText>,
    pub theme: String,
    /// The main booking line, written `305-555-0100` whatever way it was typed.
    pub phone: String,
    /// The treatment the site teaches about (`Microneedling`), for structured data.
    pub procedure: String,
    /// `synonyms:`: groups of words that mean the same thing (`[microneedling, microagujado]`),
    /// so the site search finds a page by any of them (see `search`).
    pub synonyms: Vec<Vec<String>>,
    /// Minify the HTML written.
    pub minify: bool,
    pub extra: yaml::Value,
    /// The line `theme:` is written on, for theme errors (1 when absent).
    pub theme_line: usize,
    /// `check:`: how strict `clinicsite check` is.
    pub check: check::CheckSettings,
    /// `markdown: { raw_html: true }`: HTML written in pages is allowed (and sanitised, see
    /// `html_policy`) instead of being an error.
    pub raw_html: bool,
    /// `third_party:`: other sites pages may load from, each with why it was allowed.
    pub third_party: Vec<ThirdParty>,
    /// `revoked_consents:`: the ids of patients' consents withdrawn; their results cases are
    /// withheld (see `results`).
    pub revoked_consents: Vec<String>,
    /// `brand:`: the clinic's colours, logo and font; `None` keeps the theme's own look
    /// (`Brand::default()` has its colours).
    pub brand: Option<Brand>,
    /// `timezone:`: the zone the clinic's days are counted in (an IANA name, like
    /// `America/New_York`); the machine's own when absent. See `today`.
    pub timezone: jiff::tz::TimeZone,
}

/// An origin `third_party:` lets pages load from (see `third_party`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThirdParty {
    /// `https://host` or `https://host:port`, without a path.
    pub origin: String,
    pub reason: String,
}

/// The name of the configuration file in a site's root.
pub const FILE: &str = "site.yaml";

/// Parses and checks `site.yaml`. `base_url_override` is `--base-url`.
pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let file = Path::new(FILE);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawConfig = yaml::parse(
        text,
        yaml::Origin {
            file,
            first_line: 1,
        },
        KEYS,
    )?;
    let RawConfig {
        title,
        tagline,
        description,
        base_url,
        language,
        languages,
        translations,
        theme,
        phone,
        procedure,
        minify,
        extra,
        check,
        markdown,
        third_party,
        synonyms,
        revoked_consents,
        brand,
        timezone,
    } = raw;
    let mut errors = Vec::new();
    let (check, mut check_errors) = check::resolve(check.unwrap_or_default(), text, file);
    errors.append(&mut check_errors);
    let title = title.unwrap_or_else(|| {
        errors.push(
            Diagnostic::new(Code::ConfigMissingTitle, file, "the site has no `title`")
                .at(1, 1)
                .help("add a line like `title: Miami Plastic Surgery`"),
        );
        String::new()
    });
    let written = base_url_override.map(str::to_string).or(base_url);
    let base_url = match written.as_deref().map(base_url::check) {
        None => "/".into(),
        Some(Ok(url)) => url,
        Some(Err(problem)) => {
            let (line, column, width) = match base_url_override {
                Some(_) => (1, 1, 1),
                None => value_position(text, "base_url"),
            };
            let origin = if base_url_override.is_some() {
                " (from --base-url)"
            } else {
                ""
            };
            errors.push(
                Diagnostic::new(
                    Code::ConfigBaseUrl,
                    file,
                    format!("{}{origin}", problem.message),
                )
                .at(line, column)
                .width(width)
                .help(problem.help),
            );
            String::new()
        }
    };
    for code in languages.iter().flatten().chain(language.iter()) {
        if !is_language_code(code) {
            let line = yaml::key_line(text, "languages")
                .or(yaml::key_line(text, "language"))
                .unwrap_or(1);
            errors.push(
                Diagnostic::new(
                    Code::ConfigLanguage,
                    file,
                    format!("`{code}` is not a language code"),
                )
                .at(line, 1)
                .width(line_width(text, line))
                .help("use two-letter codes, like `language: en` and `languages: [en, es]`"),
            );
        }
    }
    let brand = brand.map(|raw| brand::resolve(raw, text, file));
    let brand = match brand {
        Some(Err(mut brand_errors)) => {
            errors.append(&mut brand_errors);
            None
        }
        Some(Ok(brand)) => Some(brand),
        None => None,
    };
    let third_party = resolve_third_party(third_party.unwrap_or_default(), text, &mut errors);
    let phone = match phone {
        Some(written) => match us_phone(&written) {
            Some(phone) => phone,
            None => {
                let line = yaml::key_line(text, "phone").unwrap_or(1);
                errors.push(
                    Diagnostic::new(
                        Code::ConfigPhone,
                        file,
                        format!("`{written}` is not a phone number the site can show"),
                    )
                    .at(line, 1)
                    .width(line_width(text, line))
                    .help("write the area code and number, like `phone: 305-555-0100`"),
                );
                written
            }
        },
        None => String::new(),
    };
    let timezone = timezone::resolve(timezone.as_deref(), text).unwrap_or_else(|error| {
        errors.push(error);
        jiff::tz::TimeZone::UTC
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        title,
        tagline: tagline.unwrap_or_default(),
        description: description.unwrap_or_default(),
        base_url,
        languages: all_languages(&language, languages),
        translations: translations.unwrap_or_default(),
        language: language.unwrap_or_else(|| "en".into()),
        theme: theme.unwrap_or_else(|| "clinic".into()),
        phone,
        synonyms: synonyms.unwrap_or_default(),
        procedure: procedure.unwrap_or_default(),
        minify,
        extra: extra.map_or(yaml::Value::Null, |e| e.0),
        theme_line: yaml::key_line(text, "theme").unwrap_or(1),
        check,
        raw_html: markdown.unwrap_or_default().raw_html,
        third_party,
        revoked_consents: revoked_consents.unwrap_or_default(),
        brand,
        timezone,
    })
}

/// `brand:` as far as it can be read from a site.yaml with errors (see `brand::Readable`);
/// `None` without `brand:`, or when the file's YAML cannot be read.
pub fn readable_brand(text: &str) -> Option<brand::Readable> {
    let file = Path::new(FILE);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let origin = yaml::Origin {
        file,
        first_line: 1,
    };
    let raw: RawConfig = yaml::parse(text, origin, KEYS).ok()?;
    Some(brand::readable(raw.brand?, text, file))
}

/// Checks each `third_party:` entry: an origin (scheme and host, no path) and a reason.
fn resolve_third_party(
    entries: Vec<RawThirdParty>,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<ThirdParty> {
    let file = Path::new(FILE);
    let start = yaml::key_line(text, "third_party").unwrap_or(1);
    let line_of = |needle: &str| {
        text.lines()
            .enumerate()
            .skip(start - 1)
            .find(|(_, line)| !needle.is_empty() && line.contains(needle))
            .map_or(start, |(i, _)| i + 1)
    };
    let mut resolved = Vec::new();
    for RawThirdParty { origin, reason } in entries {
        let line = line_of(&origin);
        let trimmed = origin.trim().trim_end_matches('/');
        let parsed = base_url::origin_of(trimmed);
        let example = match &parsed {
            Some(origin) => origin.replacen("http://", "https://", 1),
            None => "https://www.youtube-nocookie.com".to_string(),
        };
        match parsed {
            Some(parsed) if parsed == trimmed && trimmed.starts_with("https://") => {}
            _ => errors.push(
                Diagnostic::new(
                    Code::ConfigThirdParty,
                    file,
                    format!("`{origin}` is not an origin"),
                )
                .at(line, 1)
                .width(line_width(text, line))
                .help(format!("write only `https://` and the site's name, without a path: `origin: \"{example}\"`")),
            ),
        }
        if reason.trim().is_empty() {
            errors.push(
                Diagnostic::new(
                    Code::ConfigThirdParty,
                    file,
                    format!("`{origin}` has no reason"),
                )
                .at(line, 1)
                .width(line_width(text, line))
                .help("say who reviewed it and why pages need it, like `reason: \"Booking form; reviewed by the privacy officer, 2026-11\"`"),
            );
        }
        resolved.push(ThirdParty {
            origin: trimmed.to_string(),
            reason,
        });
    }
    resolved
}

/// The address `init` writes into site.yaml, to be replaced with the real one.
pub const EXAMPLE_BASE_URL: &str = "https://www.example.com/";

/// Where top-level `key:`'s value is written: line, column and width (the rest of the line).
fn value_position(text: &str, key: &str) -> (usize, usize, usize) {
    let Some(line) = yaml::key_line(text, key) else {
        return (1, 1, 1);
    };
    let source = text.lines().nth(line - 1).unwrap_or("");
    let value_at = source.find(':').map_or(0, |colon| {
        colon + 1 + (source[colon + 1..].len() - source[colon + 1..].trim_start().len())
    });
    let column = source[..value_at].chars().count() + 1;
    let width = source[value_at..].trim_end().chars().count().max(1);
    (line, column, width)
}

/// How many characters line `line` (1-based) of `text` has, to underline all of it.
fn line_width(text: &str, line: usize) -> usize {
    text.lines()
        .nth(line.saturating_sub(1))
        .map_or(1, |l| l.trim_end().chars().count())
}

/// The site's own words in one language (under `translations:` in site.yaml).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteText {
    pub title: Option<String>,
    pub tagline: Option<String>,
    pub description: Option<String>,
}

/// The default language first, then the others in the order written, once each.
fn all_languages(default: &Option<String>, listed: Option<Vec<String>>) -> Vec<String> {
    let default = default.clone().unwrap_or_else(|| "en".into());
    let mut all = vec![default];
    for code in listed.into_iter().flatten() {
        if !all.contains(&code) {
            all.push(code);
        }
    }
    all
}

/// `en`, `es`, `pt`: two or three lower-case letters.
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

impl Config {
    /// The site's title, tagline and description in `lang`, falling back to the default
    /// language's words for any that are not translated.
    pub fn text(&self, lang: &str) -> (String, String, String) {
        let t = self.translations.get(lang).cloned().unwrap_or_default();
        (
            t.title.unwrap_or_else(|| self.title.clone()),
            t.tagline.unwrap_or_else(|| self.tagline.clone()),
            t.description.unwrap_or_else(|| self.description.clone()),
        )
    }

    /// Whether `code` is one of the site's languages other than the default.
    pub fn is_translation(&self, code: &str) -> bool {
        code != self.language && self.languages.iter().any(|l| l == code)
    }

    /// Where a language's pages live: `` for the default, `es/` for the others.
    pub fn language_prefix(&self, code: &str) -> String {
        if code == self.language {
            String::new()
        } else {
            format!("{code}/")
        }
    }

    /// The path part of `base_url` (`/` or `/clinic/`): where the site sits on its host.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(i) if self.base_url.contains("://") => after_scheme[i..].to_string(),
            _ if self.base_url.starts_with('/') => self.base_url.clone(),
            _ => "/".into(),
        }
    }
}

/// A US phone number in any common form (`(305) 555-0101`, `305.555.0101`, `+1 305 555 0101`,
/// `3055550101`) written the one way the site shows it: `305-555-0101`. The dashes and spaces
/// a word processor puts in (`305‑555‑0101` with no-break hyphens, en dashes, no-break spaces)
/// count as separators too. `None` for anything else (too few digits, letters, an extension).
pub fn us_phone(text: &str) -> Option<String> {
    let allowed = |c: char| {
        c.is_ascii_digit()
            || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+')
            || matches!(
                c,
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{a0}' | '\u{2009}' | '\u{202f}'
            )
    };
    if !text.chars().all(allowed) {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('1') => &digits[1..],
        _ => return None,
    };
    Some(format!(
        "{}-{}-{}",
        &digits[..3],
        &digits[3..6],
        &digits[6..]
    ))
}

/// A phone number as a `tel:` link for the US: `305-555-0100` -> `tel:+13055550100`.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => format!("tel:+1{digits}"),
        11 if digits.starts_with('1') => format!("tel:+{digits}"),
        _ => format!("tel:{digits}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_trailing_slash() {
        let config = parse("title: T\nbase_url: https://example.org/clinic\n", None).unwrap();
        assert_eq!(config.base_url, "https://example.org/clinic/");
        assert_eq!(
            (config.language.as_str(), config.theme.as_str()),
            ("en", "clinic")
        );
    }

    #[test]
    fn override_wins_and_bad_urls_are_reported() {
        let config = parse(
            "title: T\nbase_url: https://a.org/\n",
            Some("https://b.org"),
        )
        .unwrap();
        assert_eq!(config.base_url, "https://b.org/");
        let errors = parse("title: T\nbase_url: example.org\n", None).unwrap_err();
        assert_eq!((errors[0].code, errors[0].line), (Code::ConfigBaseUrl, 2));
        assert_eq!((errors[0].column, errors[0].width), (11, 11));
        assert_eq!(
            errors[0].help.as_deref(),
            Some("write `base_url: https://example.org/`")
        );
    }

    #[test]
    fn languages_default_first() {
        let config = parse("title: T\nlanguage: en\nlanguages: [es, en]\n", None).unwrap();
        assert_eq!(config.languages, ["en", "es"]);
        assert_eq!(config.language_prefix("es"), "es/");
        let errors = parse("title: T\nlanguages: [Spanish]\n", None).unwrap_err();
        assert_eq!(errors[0].code, Code::ConfigLanguage);
    }

    #[test]
    fn base_paths() {
        let path = |url: &str| {
            parse(&format!("title: T\nbase_url: {url}\n"), None)
                .unwrap()
                .base_path()
        };
        assert_eq!(path("https://example.org"), "/");
        assert_eq!(path("https://example.org/clinic/"), "/clinic/");
        assert_eq!(parse("title: T\n", None).unwrap().base_path(), "/");
    }

    #[test]
    fn phone_links() {
        assert_eq!(tel_href("305-555-0100"), "tel:+13055550100");
        for written in [
            "(305) 555-0101",
            "305.555.0101",
            "+1 305 555 0101",
            "3055550101",
            "1-305-555-0101",
            "305-555-0101",
            "(305) 555\u{2011}0101",
            "305\u{2013}555\u{2013}0101",
            "(305)\u{a0}555-0101",
        ] {
            assert_eq!(
                us_phone(written).as_deref(),
                Some("305-555-0101"),
                "{written}"
            );
        }
        for wrong in [
            "555-0101",
            "305-555-0101 ext 2",
            "1-800-FLOWERS",
            "+44 20 7946 0958",
        ] {
            assert_eq!(us_phone(wrong), None, "{wrong}");
        }
        assert_eq!(tel_href("(305) 555 0101"), "tel:+13055550101");
    }
}
