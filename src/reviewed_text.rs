//! The words a medical review covers: a page's title, description, short answer and text in;
//! that text made plain of editor differences, its fingerprint, and whether the page's
//! recorded review still holds, out.
//!
//! The fingerprint is of what patients read, normalised so that saving the file in another
//! editor does not void a review: line endings, spaces at the ends of lines, blank lines at
//! the start and end and runs of blank lines do not count. Any other change does.
//! `clinicsite review` records it as `review_fingerprint:`; `check` and the page's "Medically
//! reviewed" line compare it with the text as it is now.

use std::path::{Path, PathBuf};

use crate::site::{Review, Site, Target};

/// Where `clinicsite review` keeps a copy of each reviewed text, by fingerprint, so `check`
/// can say which words changed since.
pub const CACHE_DIR: &str = ".clinicsite-cache/reviews";

/// The reviewed text of a page: its parts, normalised, one after another.
pub fn text(title: &str, description: &str, summary: &str, body: &str) -> String {
    [title, description, summary, body]
        .iter()
        .map(|part| normalise(part))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The reviewed text of a placed page or section (its body read again when `build` left it
/// on disk; a body that can no longer be read counts as empty: rendering the page reports it).
pub fn text_of(site: &Site, target: Target) -> Option<String> {
    let common = site.common(target)?;
    let summary = site.summary(target);
    Some(text(
        &common.title,
        &common.description,
        summary,
        &common.body.read_or_empty(),
    ))
}

/// 16 hex digits of the text's BLAKE3 hash.
pub fn fingerprint(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// Where a page's medical review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// No reviewer or no date.
    NotReviewed,
    /// A reviewer and a date, but no fingerprint (written by hand, before `clinicsite
    /// review`): shown as reviewed, with a warning to record it.
    Unrecorded,
    /// The text is the one reviewed.
    Holds,
    /// The text changed since the review.
    Changed,
}

impl Standing {
    /// Whether the page may say "Medically reviewed".
    pub fn shows_as_reviewed(self) -> bool {
        matches!(self, Standing::Holds | Standing::Unrecorded)
    }
}

/// Where `review` stands for a page whose reviewed text is `text`.
pub fn standing(review: &Review, text: &str) -> Standing {
    standing_with(review, || text.to_string())
}

/// `standing`, making the text only when there is a fingerprint to compare it with: most
/// pages have none, and a body can be megabytes.
fn standing_with(review: &Review, text: impl FnOnce() -> String) -> Standing {
    if review.reviewed_by.trim().is_empty() || review.last_reviewed.is_none() {
        return Standing::NotReviewed;
    }
    match &review.fingerprint {
        None => Standing::Unrecorded,
        Some((recorded, _)) if *recorded == fingerprint(&text()) => Standing::Holds,
        Some(_) => Standing::Changed,
    }
}

/// Where the review of a placed page or section stands.
pub fn standing_of(site: &Site, target: Target) -> Standing {
    match site.common(target) {
        Some(common) => standing_with(&common.review, || text_of(site, target).unwrap_or_default()),
        None => Standing::NotReviewed,
    }
}

/// The file holding the reviewed text with this fingerprint.
pub fn cache_file(root: &Path, fingerprint: &str) -> PathBuf {
    root.join(CACHE_DIR).join(format!("{fingerprint}.txt"))
}

/// `text` without the differences editors make: `\r`, spaces and tabs at line ends, blank
/// lines around it, more than one blank line in a row.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line = line.trim_end_matches([' ', '\t', '\r']);
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::Date;

    fn review(fingerprint: Option<&str>) -> Review {
        Review {
            reviewed_by: "Dr. A".into(),
            last_reviewed: Date::parse("2026-10-27"),
            fingerprint: fingerprint.map(|f| (f.to_string(), 5)),
        }
    }

    #[test]
    fn editor_differences_do_not_change_the_fingerprint() {
        let a = text(
            "Does it hurt?",
            "",
            "A little.",
            "Numbing cream helps.\n\nMost feel pressure.\n",
        );
        let b = text(
            "Does it hurt?",
            "",
            "A little.",
            "\r\n\r\nNumbing cream helps.  \r\n\r\n\r\nMost feel pressure.\t\r\n\r\n",
        );
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let c = text(
            "Does it hurt?",
            "",
            "A little.",
            "Numbing cream helps.\nMost feel pressure.\n",
        );
        assert_ne!(
            fingerprint(&a),
            fingerprint(&c),
            "joining paragraphs changes the text"
        );
    }

    #[test]
    fn every_part_counts() {
        let base = fingerprint(&text("T", "D", "S", "B"));
        for changed in [
            text("T2", "D", "S", "B"),
            text("T", "D2", "S", "B"),
            text("T", "D", "S2", "B"),
            text("T", "D", "S", "B2"),
        ] {
            assert_ne!(fingerprint(&changed), base);
        }
    }

    #[test]
    fn standings() {
        let now = text("T", "", "", "Body");
        assert_eq!(
            standing(&review(Some(&fingerprint(&now))), &now),
            Standing::Holds
        );
        assert_eq!(standing(&review(Some("0000")), &now), Standing::Changed);
        assert_eq!(standing(&review(None), &now), Standing::Unrecorded);
        let unsigned = Review {
            reviewed_by: " ".into(),
            ..review(None)
        };
        assert_eq!(standing(&unsigned, &now), Standing::NotReviewed);
        assert!(Standing::Unrecorded.shows_as_reviewed());
        assert!(!Standing::Changed.shows_as_reviewed());
    }
}
