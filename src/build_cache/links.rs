//! The pages a page links to, as the build cache keeps them for `check`'s orphan rule: one
//! text per page, read back without a string per link; and the orphans the last build found,
//! which stand while no page's links changed.

use serde::{Deserialize, Serialize};

use super::BuildCache;

impl BuildCache {
    /// The pages and sections the finished file of each kept page links to (see `linked`):
    /// its source file with theirs, all relative to `content/`.
    pub fn kept_links(&self) -> Vec<(String, Links)> {
        let fresh = self.fresh();
        let mut kept: Vec<(String, Links)> = fresh
            .kept_bodies
            .iter()
            .filter_map(|source| Some((source.clone(), self.previous.entry(source)?.links)))
            .collect();
        kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        kept
    }

    /// Whether the finished file of `source`, `output` with `hash`, is the one the previous
    /// build recorded: a page rendered anew into the same bytes, on the same site with the
    /// same settings and theme, links to the same pages, so its file need not be read for
    /// them again. Its links stay in the record, not in memory: `recorded_links` reads them
    /// when the graph is walked, and `save` when the record is written.
    pub fn links_recorded(&self, source: &str, output: &str, hash: &str) -> bool {
        if self.valid.get() != Some(&true) {
            return false;
        }
        let entry = self.previous.page(source);
        let Some(entry) = entry.and_then(RecordedView::of) else {
            return false;
        };
        if entry.output != output || entry.hash != hash {
            return false;
        }
        self.fresh().recorded.insert(source.to_string());
        true
    }

    /// The pages and sections the previous build recorded that the finished file of
    /// `source` links to.
    pub fn recorded_links(&self, source: &str) -> Option<Links> {
        links_of(self.previous.page(source)?)
    }

    /// Records the pages and sections the finished file of `source`, rendered anew, links
    /// to (source files, relative to `content/`), to be read back when it is kept. A page
    /// whose links were not recorded is not kept next time.
    pub fn linked(&self, source: &str, links: Vec<String>) {
        if let Some(links) = Links::of(links) {
            self.fresh().links.insert(source.to_string(), links);
        }
    }

    /// The orphans the previous build found (source files, in site order), when they are
    /// this build's too: the site, the settings and the theme are the same (so are the pages
    /// and what each kept page links to), and every page rendered anew links to exactly the
    /// pages it did then (given to `linked` first). Then the graph of links is the previous
    /// build's, and no walk over it is needed.
    pub fn kept_orphans(&self) -> Option<Vec<String>> {
        if self.valid.get() != Some(&true) {
            return None;
        }
        let mut fresh = self.fresh();
        let same = fresh.rendered.iter().all(|source| {
            if fresh.recorded.contains(source) {
                return true;
            }
            let now = fresh.links.get(source);
            now.is_some() && self.previous.entry(source).map(|e| e.links).as_ref() == now
        });
        // Another graph: the record is written again, so the next build can compare with it.
        fresh.links_changed = !same || self.previous.orphans.is_none();
        self.previous.orphans.clone().filter(|_| same)
    }

    /// Records the orphans this build found (source files, in site order), for the next
    /// build's `kept_orphans`.
    pub fn orphans_found(&self, orphans: Vec<String>) {
        self.fresh().orphans = Some(orphans);
    }
}

/// What `links_recorded` reads of an `Entry`, in place: its output, and its links only to
/// know they read back.
struct RecordedView<'a> {
    output: &'a str,
    hash: &'a str,
}

impl<'a> RecordedView<'a> {
    fn of(entry: &'a [u8]) -> Option<RecordedView<'a>> {
        use crate::cache_format::value_of;
        let [_, output, hash, _, _, _, _, _, _, links] = super::entry_fields(entry)?;
        value_of::<&str>(links)?;
        Some(RecordedView {
            output: value_of(output)?,
            hash: value_of(hash)?,
        })
    }
}

/// The links recorded in a page's packed `Entry`, read without the rest.
pub(super) fn links_of(entry: &[u8]) -> Option<Links> {
    let [_, _, _, _, _, _, _, _, _, links] = super::entry_fields(entry)?;
    crate::cache_format::value_of(links)
}

/// The source files (relative to `content/`) a page links to, sorted, without repeats; kept
/// as one text, a name a line, so a kept page's links are one string to read back, not one
/// per link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links(String);

impl Links {
    /// `None` when a name holds a line break: such a page's links are not recorded, and it
    /// is rendered anew next time.
    pub(super) fn of(mut links: Vec<String>) -> Option<Links> {
        if links.iter().any(|link| link.contains('\n')) {
            return None;
        }
        links.sort();
        links.dedup();
        Some(Links(links.join("\n")))
    }

    /// Each source file linked to.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\n').filter(|link| !link.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache_format::Blob;

    #[test]
    fn links_are_kept_sorted_once_each_and_read_back_as_given() {
        let links = Links::of(vec![
            "faq/b.md".into(),
            "_index.md".into(),
            "faq/b.md".into(),
        ]);
        let links = links.expect("recorded");
        assert_eq!(links.iter().collect::<Vec<_>>(), ["_index.md", "faq/b.md"]);
        let none = Links::of(Vec::new()).expect("recorded");
        assert_eq!(none.iter().count(), 0);
        let blob = Blob::of(&links).expect("encoded");
        assert_eq!(blob.value::<Links>(), Some(links));
        assert_eq!(Links::of(vec!["a\nb.md".into()]), None, "not a name a line");
    }
}
