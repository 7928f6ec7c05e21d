//! A parsed source file: its front matter, body and where each starts (`Parsed`), and every
//! file's, looked up by path (`FrontMatters`).

use std::sync::OnceLock;

use super::RawFrontMatter;
use crate::diagnostics::Diagnostic;
use crate::source::BodyText;
use crate::yaml;

/// A source file's front matter and body, with where each starts.
#[derive(Debug, Clone)]
pub struct Parsed<'a> {
    pub meta: RawFrontMatter,
    pub yaml: &'a str,
    pub yaml_line: usize,
    /// In memory, or left on disk by `build`'s read stage (see `source::BodyText`).
    pub body: BodyText<'a>,
    pub body_line: usize,
    /// The body's hash, made once, when first asked for (see `body_hash`), or recalled from
    /// the last build's reading (`read_record`), or made as the file was read.
    pub body_hash: OnceLock<blake3::Hash>,
    /// Errors that did not stop the page being read (unknown keys, read past): reported
    /// with the page's other findings, so one run shows them all.
    pub findings: Vec<Diagnostic>,
}

impl Parsed<'_> {
    /// The BLAKE3 hash of the body: what the build cache and the findings cache know a body
    /// by, so an unchanged body is never hashed again.
    pub fn body_hash(&self) -> blake3::Hash {
        *self.body_hash.get_or_init(|| self.body.hash())
    }

    /// The file line on which top-level `key:` is written (the opening fence if absent).
    pub fn key_line(&self, key: &str) -> usize {
        yaml::key_line(self.yaml, key).map_or(1, |line| self.yaml_line + line - 1)
    }
}

/// Every file's parsed front matter, looked up by its path relative to `content/`. A sorted
/// list rather than a hash map: it is kept for the whole build, one entry per file, and a
/// hash map's spare slots would each be as large as a front matter.
#[derive(Debug, Default)]
pub struct FrontMatters<'a> {
    by_rel: Vec<(Box<str>, Parsed<'a>)>,
}

impl<'a> FrontMatters<'a> {
    /// The front matter of `content/REL`, if it could be read.
    pub fn get(&self, rel: &str) -> Option<&Parsed<'a>> {
        let index = self
            .by_rel
            .binary_search_by(|(key, _)| (**key).cmp(rel))
            .ok()?;
        Some(&self.by_rel[index].1)
    }

    /// The front matter of `content/REL`, to change in place.
    pub fn get_mut(&mut self, rel: &str) -> Option<&mut Parsed<'a>> {
        let index = self
            .by_rel
            .binary_search_by(|(key, _)| (**key).cmp(rel))
            .ok()?;
        Some(&mut self.by_rel[index].1)
    }

    /// Forgets the words `site` copied into each placed page (`site::Common`'s title,
    /// description, tags and reviewer, an FAQ entry's category and summary), which nothing
    /// reads from the front matter after placing: `build` keeps every page's front matter
    /// until it ends, and at 100,000 pages the copies are tens of megabytes. Call it once the
    /// front matter is recorded (`read_record`) and the site placed.
    pub fn forget_placed_words(&mut self) {
        use rayon::prelude::*;
        // Tens of thousands of small frees: shared between the threads.
        self.by_rel.par_iter_mut().for_each(|(_, parsed)| {
            let meta = &mut parsed.meta;
            meta.title = None;
            meta.description = None;
            meta.tags = Vec::new();
            meta.reviewed_by = None;
            meta.category = None;
            meta.summary = None;
        });
    }

    /// Every file's path relative to `content/` and front matter, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Parsed<'a>)> {
        self.by_rel.iter().map(|(rel, parsed)| (&**rel, parsed))
    }
}

impl<'a> FromIterator<(String, Parsed<'a>)> for FrontMatters<'a> {
    fn from_iter<I: IntoIterator<Item = (String, Parsed<'a>)>>(files: I) -> Self {
        let mut by_rel: Vec<(Box<str>, Parsed<'a>)> = files
            .into_iter()
            .map(|(rel, parsed)| (rel.into_boxed_str(), parsed))
            .collect();
        by_rel.sort_by(|a, b| a.0.cmp(&b.0));
        by_rel.dedup_by(|a, b| a.0 == b.0);
        // Collected in place, the list would keep the allocation of larger entries.
        by_rel.shrink_to_fit();
        FrontMatters { by_rel }
    }
}
