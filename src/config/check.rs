//! `check:` in `site.yaml`: the raw block as written in, `CheckSettings` with every default
//! filled in (and every unknown rule id reported) out.
//!
//! ```yaml
//! check:
//!   rules: { content/orphan: off, claims/superlative: error }
//!   reading_level: { target_grade: 6, max_grade: 8, target_inflesz: 55, min_inflesz: 40, min_words: 30 }
//!   review: { interval_days: 365, warn_days: 30 }
//!   claims:
//!     add: [{ phrase: miracle, reason: "…", instead: "…" }]
//!     remove: [best]
//!   external: { timeout_seconds: 10, per_host: 2, cache_days: 7 }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::rules::Level;
use crate::diagnostics::{Code, Diagnostic, nearest};

/// The `check:` block exactly as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(default)]
    reading_level: RawReadingLevel,
    #[serde(default)]
    review: RawReview,
    #[serde(default)]
    claims: RawClaims,
    #[serde(default)]
    external: RawExternal,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReadingLevel {
    target_grade: Option<f64>,
    max_grade: Option<f64>,
    target_inflesz: Option<f64>,
    min_inflesz: Option<f64>,
    min_words: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    interval_days: Option<i64>,
    warn_days: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaims {
    #[serde(default)]
    add: Vec<CustomClaim>,
    #[serde(default)]
    remove: Vec<String>,
}

/// A risky phrase a site adds to the default list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomClaim {
    pub phrase: String,
    /// Why it is risky.
    pub reason: String,
    /// What to write instead.
    pub instead: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExternal {
    timeout_seconds: Option<u64>,
    per_host: Option<usize>,
    cache_days: Option<i64>,
}

/// How strict `check` is, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSettings {
    /// Levels set in `site.yaml`, by rule id.
    pub rules: BTreeMap<String, Level>,
    pub reading: ReadingLimits,
    pub review: ReviewSettings,
    pub claims_add: Vec<CustomClaim>,
    /// Default phrases the site does not want checked, in lower case.
    pub claims_remove: Vec<String>,
    pub external: ExternalSettings,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadingLimits {
    /// English: a grade above this is a warning.
    pub target_grade: f64,
    /// English: a grade above this is an error.
    pub max_grade: f64,
    /// Spanish: an INFLESZ score below this is a warning.
    pub target_inflesz: f64,
    /// Spanish: an INFLESZ score below this is an error.
    pub min_inflesz: f64,
    /// Pages with fewer words of prose are too short to score.
    pub min_words: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewSettings {
    pub interval_days: i64,
    pub warn_days: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalSettings {
    pub timeout_seconds: u64,
    /// At most this many requests to one host at a time.
    pub per_host: usize,
    /// A link that worked is not asked again for this many days.
    pub cache_days: i64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        resolve(RawCheck::default(), "", Path::new("site.yaml")).0
    }
}

/// Fills in defaults and checks rule ids and numbers; findings point into `text` (site.yaml).
pub fn resolve(raw: RawCheck, text: &str, file: &Path) -> (CheckSettings, Vec<Diagnostic>) {
    let RawCheck {
        rules,
        reading_level,
        review,
        claims,
        external,
    } = raw;
    let RawReadingLevel {
        target_grade,
        max_grade,
        target_inflesz,
        min_inflesz,
        min_words,
    } = reading_level;
    let RawReview {
        interval_days,
        warn_days,
    } = review;
    let RawClaims { add, remove } = claims;
    let RawExternal {
        timeout_seconds,
        per_host,
        cache_days,
    } = external;
    let mut findings = Vec::new();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1)
    };
    for id in rules.keys() {
        if Code::rule(id).is_none() {
            let ids = Code::rules().map(Code::as_str);
            let help = match nearest(id, ids) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "the rule ids are listed in docs/staff.md, \"Checking content\"; rules of `build` (like `link/broken`) cannot be changed".into(),
            };
            findings.push(
                Diagnostic::new(
                    Code::ConfigUnknownRule,
                    file,
                    format!("`check` has no rule `{id}`"),
                )
                .at(line_of(id), 1)
                .help(help),
            );
        }
    }
    let reading = ReadingLimits {
        target_grade: target_grade.unwrap_or(6.0),
        max_grade: max_grade.unwrap_or(8.0),
        target_inflesz: target_inflesz.unwrap_or(55.0),
        min_inflesz: min_inflesz.unwrap_or(40.0),
        min_words: min_words.unwrap_or(30),
    };
    let review = ReviewSettings {
        interval_days: interval_days.unwrap_or(365),
        warn_days: warn_days.unwrap_or(30),
    };
    if review.interval_days < 1 || review.warn_days < 0 {
        findings.push(
            Diagnostic::new(
                Code::ConfigInvalid,
                file,
                "the review interval must be at least one day",
            )
            .at(line_of("interval_days"), 1)
            .help("write a number of days, like `interval_days: 365`"),
        );
    }
    let external = ExternalSettings {
        timeout_seconds: timeout_seconds.unwrap_or(10).max(1),
        per_host: per_host.unwrap_or(2).max(1),
        cache_days: cache_days.unwrap_or(7),
    };
    // A phrase without a word would match between every two letters of every page.
    for claim in add
        .iter()
        .filter(|c| !c.phrase.chars().any(char::is_alphanumeric))
    {
        findings.push(
            Diagnostic::new(
                Code::ConfigInvalid,
                file,
                format!("the risky phrase `{}` has no words", claim.phrase),
            )
            .at(line_of("phrase:"), 1)
            .help("write the words to look for, like `phrase: miracle`"),
        );
    }
    let claims_remove = remove.iter().map(|p| p.to_lowercase()).collect();
    let settings = CheckSettings {
        rules,
        reading,
        review,
        claims_add: add,
        claims_remove,
        external,
    };
    (settings, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (CheckSettings, Vec<Diagnostic>) {
        #[derive(Deserialize)]
        struct Wrapper {
            check: RawCheck,
        }
        let raw: Wrapper = serde_yaml::from_str(text).unwrap();
        resolve(raw.check, text, Path::new("site.yaml"))
    }

    #[test]
    fn defaults() {
        let settings = CheckSettings::default();
        assert_eq!(
            (settings.reading.target_grade, settings.reading.max_grade),
            (6.0, 8.0)
        );
        assert_eq!(
            (
                settings.reading.target_inflesz,
                settings.reading.min_inflesz
            ),
            (55.0, 40.0)
        );
        assert_eq!(
            settings.review,
            ReviewSettings {
                interval_days: 365,
                warn_days: 30
            }
        );
    }

    #[test]
    fn values_and_levels_as_written() {
        let (settings, findings) = parse(
            "check:\n  rules: { content/orphan: off }\n  reading_level: { max_grade: 9 }\n  review: { interval_days: 180 }\n",
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(settings.rules["content/orphan"], Level::Off);
        assert_eq!(settings.reading.max_grade, 9.0);
        assert_eq!(settings.review.interval_days, 180);
    }

    #[test]
    fn a_phrase_without_words_is_refused() {
        let (_, findings) =
            parse("check:\n  claims:\n    add:\n      - { phrase: \"\", reason: r, instead: i }\n");
        assert_eq!(findings[0].message, "the risky phrase `` has no words");
        assert_eq!(findings[0].line, 4);
    }

    #[test]
    fn unknown_rules_are_reported_with_the_nearest_id() {
        let (_, findings) = parse("title: T\ncheck:\n  rules:\n    content/orphans: off\n");
        assert_eq!(findings[0].message, "`check` has no rule `content/orphans`");
        assert_eq!(findings[0].line, 4);
        assert_eq!(
            findings[0].help.as_deref(),
            Some("did you mean `content/orphan`?")
        );
    }
}
