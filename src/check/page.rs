//! One page or section as the rules see it: its placed metadata, its front matter as written,
//! its body read into a `Document`, and where things are in its file.

use std::path::PathBuf;

use super::document::{self, Document, Lines};
use crate::frontmatter::{Parsed, SectionKind};
use crate::site::{Common, Role, Site, Target, content_path};

/// A page or a section.
pub struct PageInput<'a> {
    pub target: Target,
    /// `content/faq/pain.md`.
    pub file: PathBuf,
    pub common: &'a Common<'a>,
    pub kind: Kind<'a>,
    /// Its front matter as written (absent for the stand-in home page).
    pub front: Option<&'a Parsed<'a>>,
    pub doc: Document,
    pub lines: Lines<'a>,
    /// Language code (`en`, `es`), as `site` decided from the file name.
    pub language: String,
}

#[derive(Clone, Copy)]
pub enum Kind<'a> {
    Section(SectionKind),
    Page(&'a Role),
}

impl<'a> Kind<'a> {
    /// What the page at `target` is.
    pub fn of(site: &'a Site<'a>, target: Target) -> Option<Self> {
        match target {
            Target::Section(i) => Some(Kind::Section(site.sections.get(i)?.kind)),
            Target::Page(i) => Some(Kind::Page(&site.pages.get(i)?.role)),
            Target::Unavailable | Target::Draft => None,
        }
    }
}

impl<'a> PageInput<'a> {
    pub fn new(site: &'a Site<'a>, target: Target, front: Option<&'a Parsed<'a>>) -> Option<Self> {
        let body = site.common(target)?.body.read_or_empty();
        let mut page = Self::with_document(site, target, front, document::read(&body))?;
        page.lines.give(&body);
        Some(page)
    }

    /// `new`, with the body already read into `doc`.
    pub fn with_document(
        site: &'a Site<'a>,
        target: Target,
        front: Option<&'a Parsed<'a>>,
        doc: Document,
    ) -> Option<Self> {
        let common = site.common(target)?;
        let kind = Kind::of(site, target)?;
        Some(PageInput {
            target,
            file: content_path(&common.source),
            common,
            kind,
            // A stand-in home page (its file a draft, see `site`) has no front matter of its own.
            front: front.filter(|_| site.by_source.get(&common.source) == Some(&target)),
            doc,
            lines: Lines::new(common.body, common.body_line),
            language: common.lang.clone(),
        })
    }

    pub fn faq(&self) -> Option<&'a crate::site::Faq> {
        match self.kind {
            Kind::Page(Role::Faq(faq)) => Some(faq),
            _ => None,
        }
    }

    /// Whether the page is a real file (not the stand-in for a missing home page).
    pub fn exists(&self) -> bool {
        self.front.is_some()
    }

    /// File line, column and width of `needle` (any case) in the front matter value of `key`,
    /// or of the key's line when it is not found there.
    pub fn field_spot(&self, key: &str, needle: &str) -> Spot {
        let Some(front) = self.front else {
            return Spot {
                line: 1,
                column: 1,
                width: 3,
            };
        };
        let key_line = front.key_line(key);
        let first = key_line.saturating_sub(front.yaml_line);
        let mut lines = from_line(front.yaml, first).lines();
        let key_text = lines.next();
        if !needle.is_empty() {
            // The value may continue on the next, indented lines.
            let value_lines = key_text
                .into_iter()
                .chain(lines.take_while(|l| l.starts_with(' ')));
            for (i, line) in value_lines.enumerate() {
                if let Some(column) = find_ignoring_case(line, needle) {
                    return Spot {
                        line: front.yaml_line + first + i,
                        column: column + 1,
                        width: needle.chars().count(),
                    };
                }
            }
        }
        let width = key_text.map_or(1, |l| l.chars().count());
        Spot {
            line: key_line,
            column: 1,
            width,
        }
    }

    /// File line, column and width of body bytes `range` (cut at the end of its line).
    pub fn body_spot(&self, range: std::ops::Range<usize>) -> Spot {
        let (line, column) = self.lines.position(range.start);
        Spot {
            line,
            column,
            width: self.lines.width(range),
        }
    }
}

/// Where to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// `text` from the start of its line `n` (0-based) on, so that its lines are
/// `text.lines().skip(n)`, found without reading each line before.
fn from_line(text: &str, n: usize) -> &str {
    let Some(before) = n.checked_sub(1) else {
        return text;
    };
    match memchr::memchr_iter(b'\n', text.as_bytes()).nth(before) {
        Some(end) => &text[end + 1..],
        None => "",
    }
}

/// The character index of `needle` in `text`, ignoring case.
pub fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    let lower = text.to_lowercase();
    let needle = needle.to_lowercase();
    let at = lower.find(&needle)?;
    Some(lower[..at].chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_from_its_nth_line_has_the_lines_after_the_first_n() {
        for text in ["", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n\n", "a\nb\r\n\nc"] {
            for n in 0..6 {
                let skipped: Vec<&str> = text.lines().skip(n).collect();
                let from: Vec<&str> = from_line(text, n).lines().collect();
                assert_eq!(from, skipped, "{text:?} from line {n}");
            }
        }
    }

    #[test]
    fn finds_text_ignoring_case() {
        assert_eq!(find_ignoring_case("Is it Painless?", "painless"), Some(6));
        assert_eq!(find_ignoring_case("¿Es indoloro?", "INDOLORO"), Some(4));
    }
}
