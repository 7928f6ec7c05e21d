//! The pages a page links to, as the build cache keeps them for `check`'s orphan rule: one
//! text per page, read back without a string per link.

use serde::{Deserialize, Serialize};

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
