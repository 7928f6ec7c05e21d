//! The placed site kept between rebuilds: the files of `content/` in, the site placed from
//! them (which borrows their texts) out, held together so the next rebuild can change one
//! page's text in it instead of placing every page again.
//!
//! A page whose text changed is given its new text from an arena the site borrows from too
//! (the old text stays there until the next full rebuild, which places the site afresh from
//! the files with every edit applied).

use std::collections::HashMap;

use bumpalo::Bump;

use crate::diagnostics::Diagnostic;
use crate::site::Placed;
use crate::source::Content;

/// What the placed site borrows from: the files as read (the texts of pages edited since
/// are in `edits`), with what reading them found.
#[derive(Debug)]
struct Texts {
    content: Content,
    findings: Vec<Diagnostic>,
    edits: Bump,
}

self_cell::self_cell!(
    struct Cell {
        owner: Texts,
        #[covariant]
        dependent: Placed,
    }

    impl {Debug}
);

/// A placed site with the texts it was placed from.
#[derive(Debug)]
pub struct PlacedSite {
    cell: Cell,
    /// The texts of pages edited since placing, by index in the content's pages.
    edited: HashMap<usize, String>,
}

/// An arena holding more than this makes the next rebuild a full one, freeing it.
const MAX_EDITS: usize = 32 << 20;

impl PlacedSite {
    /// Places `content` with `place`.
    pub fn place(
        (content, findings): (Content, Vec<Diagnostic>),
        place: impl for<'a> FnOnce(&'a Content, Vec<Diagnostic>) -> Placed<'a>,
    ) -> PlacedSite {
        let texts = Texts {
            content,
            findings,
            edits: Bump::new(),
        };
        let cell = Cell::new(texts, |texts| place(&texts.content, texts.findings.clone()));
        PlacedSite {
            cell,
            edited: HashMap::new(),
        }
    }

    /// The files of `content/` as they are now (every edit applied), and what reading found.
    pub fn into_content(self) -> (Content, Vec<Diagnostic>) {
        let Texts {
            mut content,
            findings,
            ..
        } = self.cell.into_owner();
        for (index, text) in self.edited {
            if let Some(file) = content.pages.get_mut(index) {
                file.text = text;
            }
        }
        (content, findings)
    }

    /// The placed site and the files it was placed from (texts of edited pages not applied).
    pub fn with<R>(&self, read: impl for<'a> FnOnce(&'a Content, &Placed<'a>) -> R) -> R {
        self.cell
            .with_dependent(|texts, placed| read(&texts.content, placed))
    }

    /// `with`, the placed site open to change (the images a render adds).
    pub fn with_mut<R>(
        &mut self,
        change: impl for<'a> FnOnce(&'a Content, &mut Placed<'a>) -> R,
    ) -> R {
        self.cell
            .with_dependent_mut(|texts, placed| change(&texts.content, placed))
    }

    /// Gives the page at `index` of the content the new `text`: `apply` puts the text, as
    /// the site can borrow it, into the placed site.
    pub fn edit<R>(
        &mut self,
        index: usize,
        text: String,
        apply: impl for<'a> FnOnce(&'a str, &mut Placed<'a>) -> R,
    ) -> R {
        let result = self.cell.with_dependent_mut(|texts, placed| {
            let kept: &str = texts.edits.alloc_str(&text);
            apply(kept, placed)
        });
        self.edited.insert(index, text);
        result
    }

    /// The text of the page at `index` of the content now.
    pub fn text(&self, index: usize) -> Option<&str> {
        match self.edited.get(&index) {
            Some(text) => Some(text),
            None => self
                .cell
                .borrow_owner()
                .content
                .pages
                .get(index)
                .map(|f| f.text.as_str()),
        }
    }

    /// The files as read and what reading found (texts of edited pages not applied).
    pub fn content(&self) -> &Content {
        &self.cell.borrow_owner().content
    }

    /// Whether the arena of edited texts has grown past what a rebuild should keep.
    pub fn full(&self) -> bool {
        self.cell.borrow_owner().edits.allocated_bytes() > MAX_EDITS
    }
}
