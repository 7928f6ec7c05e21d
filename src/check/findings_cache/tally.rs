//! What a passing `build` needs of a kept page, kept in the page's row of the file: its
//! findings in (with `site.yaml`'s levels), a `Tally` out: how many warnings `build` counts
//! of them, whether any is an error, and whether the page has links the site-wide rules read.
//! Made when a page's entry is encoded, and written back with it as it was read. A build
//! that only counts (`PageRules::counting`) takes a page whose tally has neither errors nor
//! such links from its row alone, without reading its entry; the others are recalled whole.

use std::collections::BTreeMap;

use super::super::document::Document;
use super::super::links::has_no_address;
use crate::diagnostics::rules::{Level, apply_levels, level_of};
use crate::diagnostics::{Diagnostic, Severity, count_unique};

/// A kept page's findings as a passing `build` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Its warnings once `site.yaml`'s levels are applied, each counted once
    /// (`diagnostics::count_unique`: its findings are all on its own file, and no other rule
    /// makes a finding of the same place and message there).
    pub warnings: u32,
    /// Whether a finding is an error once the levels are applied.
    pub errors: bool,
    /// Whether the page has links without an address or HTML, which `links::check` reads.
    pub links: bool,
}

impl Tally {
    /// The bytes of a tally in a row: the warnings (little-endian), then the two marks.
    pub(super) const BYTES: usize = 5;

    /// The tally of a page's `findings` (as its rules made them) and the links of `doc`.
    pub fn of(doc: &Document, findings: &[Diagnostic], levels: &BTreeMap<String, Level>) -> Tally {
        let links = doc.links.iter().any(has_no_address) || !doc.html.is_empty();
        // Most pages have at most one warning, which is its own count: their findings are
        // looked at in place, not copied to be levelled and compared.
        let levelled = findings.iter().filter_map(|f| level_of(f, levels));
        let (mut errors, mut warnings) = (false, 0);
        for severity in levelled {
            match severity {
                Severity::Error => errors = true,
                Severity::Warning => warnings += 1,
            }
        }
        if warnings > 1 {
            let (_, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
                apply_levels(findings.to_vec(), levels)
                    .into_iter()
                    .partition(|f| f.severity == Severity::Error);
            return Tally {
                warnings: count_unique(&warnings) as u32,
                errors,
                links,
            };
        }
        Tally {
            warnings,
            errors,
            links,
        }
    }

    /// Whether a passing build needs only this count of the page (not its findings, nor its
    /// links).
    pub fn counts_alone(&self) -> bool {
        !self.errors && !self.links
    }

    pub(super) fn write(&self, bytes: &mut Vec<u8>) {
        bytes.extend_from_slice(&self.warnings.to_le_bytes());
        bytes.push(u8::from(self.errors) | u8::from(self.links) << 1);
    }

    pub(super) fn read(bytes: &[u8; Self::BYTES]) -> Option<Tally> {
        let [w0, w1, w2, w3, marks] = *bytes;
        (marks < 4).then_some(Tally {
            warnings: u32::from_le_bytes([w0, w1, w2, w3]),
            errors: marks & 1 == 1,
            links: marks & 2 == 2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn tallies_count_what_the_levels_leave() {
        let at = |code, line, message: &str| {
            Diagnostic::new(code, "content/faq/pain.md", message).at(line, 1)
        };
        let due = at(Code::ReviewDueSoon, 3, "due in 3 days");
        let unrecorded = at(Code::ReviewUnrecorded, 2, "no review");
        let findings = [due.clone(), due.clone(), unrecorded];
        let doc = Document::default();
        let levels = BTreeMap::new();
        let tally = Tally::of(&doc, &findings, &levels);
        assert_eq!(
            (tally.warnings, tally.errors, tally.links),
            (2, false, false)
        );
        assert!(tally.counts_alone());
        let mut bytes = Vec::new();
        tally.write(&mut bytes);
        let bytes: [u8; Tally::BYTES] = bytes.try_into().expect("five bytes");
        assert_eq!(Tally::read(&bytes), Some(tally));

        let mut levels = BTreeMap::new();
        levels.insert("review/unrecorded".to_string(), Level::Error);
        levels.insert("review/due-soon".to_string(), Level::Off);
        let tally = Tally::of(&doc, &findings, &levels);
        assert_eq!((tally.warnings, tally.errors), (0, true));
        assert!(!tally.counts_alone());
        assert_eq!(Tally::read(&[0, 0, 0, 0, 4]), None);

        // One warning is counted without the findings being levelled as a list.
        let levels = BTreeMap::new();
        let one = Tally::of(&doc, &findings[2..], &levels);
        assert_eq!((one.warnings, one.errors), (1, false));
        let mut levels = BTreeMap::new();
        levels.insert("review/unrecorded".to_string(), Level::Off);
        let off = Tally::of(&doc, &findings[2..], &levels);
        assert_eq!((off.warnings, off.errors), (0, false));
    }
}
