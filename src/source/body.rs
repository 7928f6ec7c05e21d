//! A markdown file's body, in memory or left on disk: `build` keeps no page's text between
//! reading the files and rendering the pages, only where each body is and its hash, and
//! reads a body again when a stage needs it (rendering its page, a finding to place), then
//! drops it. At 100,000 pages the bodies are a third of a gigabyte.
//!
//! A body read again must be the one read first: a file saved while the site is being built
//! is an error (build again), never a page made of two versions.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::{ContentFile, decode, unreadable};
use crate::diagnostics::{Code, Diagnostic};

/// A markdown file's body as the stages after reading see it.
#[derive(Debug, Clone, Copy)]
pub enum BodyText<'a> {
    /// In memory: a slice of the file's text (the dev server, `check`, tests).
    Here(&'a str),
    /// Left on disk by `build`'s read stage (see `ContentFile::leave_body`).
    OnDisk(&'a Unread),
}

/// Where a body left on disk is, and what it must be when read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// The file.
    pub path: PathBuf,
    /// `content/REL`, as messages name it.
    pub shown: PathBuf,
    /// Where the body starts in the file's text (`\n` line endings), and the text's length.
    pub start: usize,
    pub len: usize,
    /// The body's hash.
    pub hash: blake3::Hash,
}

impl<'a> BodyText<'a> {
    /// The text: borrowed when in memory, read again otherwise; an error when the file can no
    /// longer be read or no longer holds this body.
    pub fn read(self) -> Result<Cow<'a, str>, Diagnostic> {
        match self {
            BodyText::Here(text) => Ok(Cow::Borrowed(text)),
            BodyText::OnDisk(unread) => unread.read().map(Cow::Owned),
        }
    }

    /// The text, or nothing when it cannot be read again (for what only adds detail to a
    /// finding: the page's rendering reports the file itself).
    pub fn read_or_empty(self) -> Cow<'a, str> {
        self.read().unwrap_or_default()
    }

    /// The text, when it is in memory.
    pub fn in_memory(self) -> Option<&'a str> {
        match self {
            BodyText::Here(text) => Some(text),
            BodyText::OnDisk(_) => None,
        }
    }

    /// The body's BLAKE3 hash (made now for a body in memory).
    pub fn hash(self) -> blake3::Hash {
        match self {
            BodyText::Here(text) => blake3::hash(text.as_bytes()),
            BodyText::OnDisk(unread) => unread.hash,
        }
    }

    /// Whether both are the same body of the same file (not merely equal texts).
    pub fn same(self, other: BodyText) -> bool {
        match (self, other) {
            (BodyText::Here(a), BodyText::Here(b)) => std::ptr::eq(a, b),
            (BodyText::OnDisk(a), BodyText::OnDisk(b)) => std::ptr::eq(a, b),
            _ => false,
        }
    }
}

impl Unread {
    fn read(&self) -> Result<String, Diagnostic> {
        let bytes = std::fs::read(&self.path).map_err(|error| unreadable(&self.shown, &error))?;
        let mut text = decode(bytes, &self.shown)?;
        let same = text.len() == self.len
            && text.is_char_boundary(self.start)
            && blake3::hash(&text.as_bytes()[self.start..]) == self.hash;
        if !same {
            return Err(Diagnostic::new(
                Code::SourceUnreadable,
                &self.shown,
                "this file changed while the site was being built",
            )
            .help("build again once the file is saved"));
        }
        text.drain(..self.start);
        Ok(text)
    }
}

impl ContentFile {
    /// The body starting at byte `start` of the file's text (the text's end when `start` is
    /// past it): a slice of `text`, or where it was left on disk.
    pub fn body(&self, start: usize) -> BodyText<'_> {
        match &self.unread {
            Some(unread) => BodyText::OnDisk(unread),
            None => BodyText::Here(self.text.get(start..).unwrap_or("")),
        }
    }

    /// The file's whole text, its body read again when it was left on disk (only its front
    /// matter when the body can no longer be read: rendering the page reports that).
    pub fn whole_text(&self) -> Cow<'_, str> {
        match &self.unread {
            None => Cow::Borrowed(&self.text),
            Some(unread) => Cow::Owned(self.text.clone() + &unread.read().unwrap_or_default()),
        }
    }

    /// The file's length, its body included.
    pub fn len(&self) -> usize {
        self.unread.as_ref().map_or(self.text.len(), |u| u.len)
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps only the text before byte `start` (the front matter), with the body's hash and
    /// where to read it again (`path`, the file on disk): see `BodyText::OnDisk`.
    pub fn leave_body(mut self, path: &Path, start: usize) -> ContentFile {
        if self.unread.is_some() || !self.text.is_char_boundary(start) {
            return self;
        }
        let unread = Unread {
            path: path.to_path_buf(),
            shown: Path::new("content").join(&self.rel),
            start,
            len: self.text.len(),
            hash: blake3::hash(&self.text.as_bytes()[start..]),
        };
        self.text.truncate(start);
        self.text.shrink_to_fit();
        self.unread = Some(unread);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_left_on_disk_reads_back_and_an_edit_meanwhile_is_an_error() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("a.md");
        let text = "---\ntitle: A\r\n---\nBody\r\ntext.\n";
        std::fs::write(&path, text).expect("written");
        let whole = crate::source::normalise_newlines(text.to_string());
        let start = whole.find("Body").unwrap();
        let file = ContentFile {
            rel: "a.md".into(),
            text: whole.clone(),
            unread: None,
        }
        .leave_body(&path, start);
        assert_eq!(file.text, "---\ntitle: A\n---\n");
        assert_eq!(file.len(), whole.len());
        let body = file.body(start);
        assert_eq!(body.in_memory(), None);
        assert_eq!(body.hash(), blake3::hash(b"Body\ntext.\n"));
        assert_eq!(body.read().unwrap(), "Body\ntext.\n");
        assert_eq!(file.whole_text(), whole);

        std::fs::write(&path, "---\ntitle: A\n---\nBody\ntexts\n").expect("written");
        let error = body.read().unwrap_err();
        assert_eq!(
            error.message,
            "this file changed while the site was being built"
        );
        assert_eq!(error.file, Path::new("content/a.md"));
        std::fs::remove_file(&path).expect("removed");
        assert!(
            body.read()
                .unwrap_err()
                .message
                .starts_with("cannot read this file")
        );
        assert_eq!(body.read_or_empty(), "");
    }
}
