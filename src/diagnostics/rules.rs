//! The rules `check` knows: each id with its default severity and what it looks for. Findings
//! are made here with their default severity; `apply_levels` then applies `site.yaml`'s
//! `check.rules` (error, warning or off) once every finding is in.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};

/// How seriously a rule's findings are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// One rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub default: Level,
    /// What it finds, in a few words (for `--help`-like listings and the README).
    pub finds: &'static str,
}

const fn rule(id: &'static str, default: Level, finds: &'static str) -> Rule {
    Rule { id, default, finds }
}

use Level::{Error, Warning};

/// Every rule `check` adds to what `build` reports, in the order of the README.
pub const RULES: &[Rule] = &[
    rule(
        "link/html",
        Error,
        "a link or image written in HTML leads to nothing on the site",
    ),
    rule(
        "link/empty",
        Error,
        "a link with no address, like `[text]()`",
    ),
    rule(
        "link/external-broken",
        Error,
        "with --external: an outside link answers 404 or 410, or its host does not exist",
    ),
    rule(
        "link/external-unreachable",
        Warning,
        "with --external: an outside link times out, refuses, or answers with another error",
    ),
    rule(
        "readability/above-target",
        Warning,
        "English above grade 6, or Spanish below INFLESZ 55",
    ),
    rule(
        "readability/too-hard",
        Error,
        "English above grade 8, or Spanish below INFLESZ 40",
    ),
    rule(
        "check/missing-reason",
        Error,
        "a page raises its reading level or allows a claim without saying why",
    ),
    rule(
        "review/missing",
        Error,
        "an FAQ entry without `reviewed_by` or `last_reviewed`",
    ),
    rule(
        "review/overdue",
        Error,
        "an FAQ entry last reviewed longer ago than the review interval",
    ),
    rule(
        "review/due-soon",
        Warning,
        "an FAQ entry whose review falls due within 30 days",
    ),
    rule(
        "review/changed",
        Error,
        "a reviewed page whose text changed since its review (`clinicsite review` records it)",
    ),
    rule(
        "review/unrecorded",
        Warning,
        "a review written by hand, without the fingerprint `clinicsite review` records",
    ),
    rule(
        "review/future-date",
        Error,
        "`last_reviewed` is after today",
    ),
    rule(
        "claims/guarantee",
        Error,
        "promises of results: guaranteed, 100%",
    ),
    rule(
        "claims/absolute",
        Error,
        "absolutes: painless, no pain, no risk, risk-free, no downtime, permanent, cure",
    ),
    rule("claims/superlative", Warning, "best, safest"),
    rule(
        "claims/fda-approved",
        Error,
        "\"FDA approved\" (microneedling devices are FDA-cleared)",
    ),
    rule(
        "claims/results-disclaimer",
        Error,
        "before-and-after pictures or testimonials without a \"results vary\" note",
    ),
    rule(
        "claims/custom",
        Error,
        "a phrase the site added in `check.claims.add`",
    ),
    rule(
        "content/duplicate-title",
        Warning,
        "two pages with the same title",
    ),
    rule(
        "content/missing-description",
        Warning,
        "a page without `description`",
    ),
    rule(
        "content/duplicate-description",
        Warning,
        "two pages with the same description",
    ),
    rule(
        "content/description-length",
        Warning,
        "a description shorter than 50 or longer than 160 characters",
    ),
    rule("content/image-alt", Error, "an image without alt text"),
    rule(
        "content/placeholder",
        Error,
        "sample text `clinicsite new faq` wrote, like \"Write the full answer here\"",
    ),
    rule(
        "content/photo-gps",
        Warning,
        "an original photo holds the GPS position where it was taken (removed from the published copy)",
    ),
    rule(
        "content/heading-skip",
        Warning,
        "a heading that skips a level (`##` then `####`)",
    ),
    rule(
        "content/extra-h1",
        Warning,
        "a `#` heading in the text: the title is already the page's top heading",
    ),
    rule(
        "content/link-text",
        Warning,
        "link text that says nothing, like \"click here\"",
    ),
    rule(
        "content/missing-summary",
        Warning,
        "an FAQ entry without `summary`",
    ),
    rule(
        "content/orphan",
        Warning,
        "a page no link leads to from the home page",
    ),
    rule(
        "location/hours-overlap",
        Error,
        "a day listed twice in a location's hours",
    ),
    rule(
        "location/placeholder",
        Warning,
        "a location whose address or hours are marked as stand-ins (`placeholder:`)",
    ),
    rule(
        "location/no-hours",
        Warning,
        "a location without opening hours",
    ),
    rule(
        "translation/missing",
        Warning,
        "a page with no version in one of the site's other languages",
    ),
    rule(
        "translation/stale",
        Warning,
        "a translation whose original changed after it was translated",
    ),
    rule(
        "translation/untracked",
        Warning,
        "a translation without `translated_from:` saying what it was made from",
    ),
    rule(
        "results/consent-expiring",
        Warning,
        "a results case whose consent expires within 30 days",
    ),
    rule(
        "results/withheld",
        Warning,
        "a results case left out of the site: its consent was revoked or has expired",
    ),
    rule(
        "results/photo-hints",
        Warning,
        "before and after photos taken with different flash or zoom, or the \"after\" dated first",
    ),
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A finding of rule `id` about `file`, with the rule's default severity.
pub fn finding(
    id: &'static str,
    file: impl Into<PathBuf>,
    message: impl Into<String>,
) -> Diagnostic {
    let finding = Diagnostic::error(id, file, message);
    match find(id).map(|r| r.default) {
        Some(Level::Warning) => finding.warning(),
        _ => finding,
    }
}

/// Applies the levels set in `site.yaml`: drops findings of rules turned off and sets the
/// severity of the others. Findings `build` makes are left as they are.
pub fn apply_levels(
    findings: Vec<Diagnostic>,
    levels: &BTreeMap<String, Level>,
) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .filter_map(|mut finding| {
            let level = levels
                .get(finding.code)
                .copied()
                .or_else(|| find(finding.code).map(|r| r.default));
            match level {
                Some(Level::Off) => None,
                Some(Level::Error) => {
                    finding.severity = Severity::Error;
                    Some(finding)
                }
                Some(Level::Warning) => {
                    finding.severity = Severity::Warning;
                    Some(finding)
                }
                None => Some(finding),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_namespaced() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(RULES.iter().all(|r| r.id.contains('/')));
    }

    #[test]
    fn levels_from_site_yaml_win() {
        let findings = vec![
            finding("content/orphan", "a.md", "x"),
            finding("review/overdue", "b.md", "y"),
            finding("claims/superlative", "c.md", "z"),
            Diagnostic::error("link/broken", "d.md", "w"),
        ];
        assert_eq!(findings[0].severity, Severity::Warning);
        let levels = BTreeMap::from([
            ("content/orphan".to_string(), Level::Off),
            ("claims/superlative".to_string(), Level::Error),
        ]);
        let kept = apply_levels(findings, &levels);
        let codes: Vec<(&str, Severity)> = kept.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            codes,
            [
                ("review/overdue", Severity::Error),
                ("claims/superlative", Severity::Error),
                ("link/broken", Severity::Error)
            ]
        );
    }
}
