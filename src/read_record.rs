//! What the last build made of each markdown file it read: this build's stamps of the files
//! in, each unchanged file's parsed front matter (where its front matter and body start, its
//! body's hash) out, so a rebuild parses and hashes only the files that changed. Kept in
//! `ROOT/.clinicsite-cache/read`, in the format of `cache_format`.
//!
//! A file is known by its stamp (see `write::stamp`: size, modification and change time,
//! inode), taken before it was read. A stamp taken less than a clock tick after the file's
//! last change proves nothing (a second change within the tick keeps the times, as Git's
//! index knows): such a file is parsed on every build until its stamp is older than that.
//! The program's own file counts too: a rebuilt `clinicsite`, even of the same version,
//! parses every file anew. Files with errors are never recorded: they are parsed again, so
//! every build reports their errors.
//!
//! The record holds no body, only each file's front matter as written (its text up to the
//! body): an unchanged file is not even read (`known`), its body left on disk for the stages
//! that need it (see `source::BodyText`). This is a `ReuseRead`, the hook `serve` reuses its
//! last read through.
//!
//! The file is only a cache: missing, damaged, cut short or of another version, it is
//! ignored and written anew; deleting it changes no output and no finding. It is written
//! again only when enough of it changed (`cache_format::worth_rewriting`): a file edited
//! since is parsed again until then.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::cache_format::{Blob, Bytes, Hash32};
use crate::diagnostics::Diagnostic;
use crate::frontmatter::{FrontMatters, Parsed, RawFrontMatter};
use crate::incremental::ReuseRead;
use crate::source::{BodyText, Content, ContentFile, Unread};
use crate::write::stamp::Stamp;

/// The file, relative to the site's folder.
pub const FILE: &str = ".clinicsite-cache/read";
/// Changes whenever the record's layout, or what parsing makes of a file, may.
const VERSION: &str = concat!("clinicsite ", env!("CARGO_PKG_VERSION"), " read 4");

/// The last build's record, and this build's stamps.
#[derive(Debug, Default)]
pub struct ReadRecord {
    path: PathBuf,
    /// The stamp of each markdown file (by path relative to `content/`), taken before it
    /// was read, and when the stamps were taken.
    stamps: FxHashMap<String, Stamp>,
    taken: u128,
    program: Option<Stamp>,
    /// The previous record's bytes as read (mapped, when large): each entry's front matter,
    /// as written and as parsed, is read from them in place.
    bytes: Bytes,
    /// The previous record's entries, by path: the file's stamp then, where its parts sit,
    /// and where in `bytes` its front matter as written and as parsed (still encoded, a
    /// `RawFrontMatter`) are: only the files this build reads are decoded, and the unchanged
    /// ones are written back as they were.
    previous: FxHashMap<String, Previous>,
    /// How many of `previous`'s entries this build recalled.
    recalled: AtomicUsize,
    /// The files this build parsed anew, each with whether its parse may be recorded.
    fresh: Mutex<FxHashMap<String, bool>>,
}

/// The record as written, borrowing each file's text: the program that wrote it, and each
/// file's entry, sorted by path, so the same files write the same bytes. Read back by hand
/// (see `entries`).
#[derive(Debug, Serialize)]
struct RecordOut<'a> {
    program: Option<Stamp>,
    files: Vec<(String, Entry<'a>)>,
}

/// What reading and parsing made of one file.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    stamp: Stamp,
    layout: Layout,
    /// The file's text up to its body.
    header: std::borrow::Cow<'a, str>,
    /// Its `RawFrontMatter`, encoded.
    meta: Blob,
}

/// An entry of the previous record.
#[derive(Debug)]
struct Previous {
    stamp: Stamp,
    layout: Layout,
    /// Where the file's text up to its body, and its encoded `RawFrontMatter`, sit in the
    /// record's bytes: nothing is copied out of the record but what this build uses.
    header: std::ops::Range<usize>,
    meta: std::ops::Range<usize>,
}

/// Where the front matter and the body sit in the file's text, and the body's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Layout {
    /// The text's length in bytes, as read (line endings made `\n`).
    len: usize,
    yaml: (usize, usize),
    yaml_line: usize,
    body: usize,
    body_line: usize,
    body_hash: Hash32,
}

impl ReadRecord {
    /// The record kept in the site at `root`, for a build whose markdown files had the
    /// `stamps` (by path relative to `content/`), taken from `taken` on; a file without a
    /// stamp is parsed, and not recorded.
    pub fn open(root: &Path, stamps: FxHashMap<String, Stamp>, taken: u128) -> ReadRecord {
        let path = root.join(FILE);
        let program = std::env::current_exe()
            .ok()
            .and_then(|exe| Stamp::following(&exe));
        let bytes = match program {
            Some(_) if !stamps.is_empty() => crate::cache_format::read(&path).unwrap_or_default(),
            _ => Bytes::default(),
        };
        let previous = crate::cache_format::payload(VERSION, &bytes)
            .and_then(|payload| entries(payload, bytes.as_ptr() as usize, program))
            .unwrap_or_default();
        ReadRecord {
            path,
            stamps,
            taken,
            program,
            bytes,
            previous,
            recalled: AtomicUsize::new(0),
            fresh: Mutex::default(),
        }
    }

    /// Writes the record of this build's parses of `content` (`front_matter`, by path
    /// relative to `content/`), when it differs from the last one. Best effort: without a
    /// record, the next build parses every file.
    pub fn save(mut self, content: &Content, front_matter: &FrontMatters<'_>) {
        let Some(program) = self.program else {
            return;
        };
        // Entries of files changed or gone, and files this build can record anew.
        let stale = self.previous.len() - *self.recalled.get_mut();
        let fresh = into_inner(self.fresh);
        let gained = fresh
            .iter()
            .filter(|&(rel, &recordable)| {
                recordable && self.stamps.get(rel).is_some_and(|s| !s.is_racy(self.taken))
            })
            .count();
        if !crate::cache_format::worth_rewriting(stale.max(gained), self.previous.len()) {
            return;
        }
        let previous = &self.previous;
        let files: Vec<(String, Entry)> = content
            .pages
            .par_iter()
            .filter_map(|file| {
                let parsed = front_matter.get(&file.rel)?;
                let stamp = *self.stamps.get(&file.rel)?;
                if stamp.is_racy(self.taken) {
                    return None;
                }
                let (layout, meta) = match (fresh.get(&file.rel), previous.get(&file.rel)) {
                    // Parsed anew: recorded when its parse reads back the same.
                    (Some(&recordable), _) => {
                        if !recordable {
                            return None;
                        }
                        (Layout::of(file, parsed)?, read_back(&parsed.meta)?)
                    }
                    // Recalled: the same stamp, so the same text and the same parse, written
                    // back as it was read.
                    (None, Some(was)) if was.stamp == stamp => {
                        (was.layout, Blob(self.bytes.get(was.meta.clone())?.to_vec()))
                    }
                    (None, _) => (Layout::of(file, parsed)?, Blob::of(&parsed.meta)?),
                };
                let header = file.text.get(..layout.body)?.into();
                let entry = Entry {
                    stamp,
                    layout,
                    header,
                    meta,
                };
                Some((file.rel.clone(), entry))
            })
            .collect();
        let record = RecordOut {
            program: Some(program),
            files,
        };
        if let Some(folder) = self.path.parent()
            && std::fs::create_dir_all(folder).is_ok()
        {
            let always = crate::atomic_file::When::Always;
            let _ = crate::cache_format::save(&self.path, always, VERSION, &record);
        }
    }
}

impl ReadRecord {
    /// The markdown file at `path` (`content/REL`) as the last build read it, when its stamp
    /// shows it unchanged, without reading it: its front matter, its body left on disk (see
    /// `source::read_listed_lean`).
    pub fn known(&self, path: &Path, rel: &str) -> Option<ContentFile> {
        let previous = self.previous.get(rel)?;
        let layout = previous.layout;
        if self.stamps.get(rel) != Some(&previous.stamp) || layout.body > layout.len {
            return None;
        }
        let header = self.bytes.get(previous.header.clone())?;
        if header.len() != layout.body {
            return None;
        }
        Some(ContentFile {
            rel: rel.to_string(),
            text: std::str::from_utf8(header).ok()?.to_string(),
            unread: Some(Unread {
                path: path.to_path_buf(),
                shown: Path::new("content").join(rel),
                start: layout.body,
                len: layout.len,
                hash: blake3::Hash::from_bytes(layout.body_hash.0),
            }),
        })
    }
}

/// The entries of a record's `payload` (at address `base` in its bytes) written by `program`,
/// read by hand in `RecordOut`'s order (see `cache_format::Reader`): every build reads every
/// entry, and serde would cost several times as much. `None` for a record of another program
/// or of another layout.
fn entries(
    payload: &[u8],
    base: usize,
    program: Option<Stamp>,
) -> Option<FxHashMap<String, Previous>> {
    let mut read = crate::cache_format::Reader(payload);
    let at = |part: &[u8]| {
        let start = part.as_ptr() as usize - base;
        start..start + part.len()
    };
    (read.list()? == 2).then_some(())?;
    let recorded = crate::cache_format::value_of::<Option<Stamp>>(read.value()?)?;
    if recorded.is_none() || recorded != program {
        return None;
    }
    let count = read.list()?;
    let mut entries = FxHashMap::with_capacity_and_hasher(count.min(payload.len()), <_>::default());
    for _ in 0..count {
        (read.list()? == 2).then_some(())?;
        let rel = read.text()?;
        (read.list()? == 4).then_some(())?;
        let stamp = read_stamp(&mut read)?;
        (read.list()? == 6).then_some(())?;
        let mut number = || usize::try_from(read.number()?).ok();
        let len = number()?;
        let mut yaml = || -> Option<(usize, usize)> {
            (read.list()? == 2).then_some(())?;
            Some((
                usize::try_from(read.number()?).ok()?,
                usize::try_from(read.number()?).ok()?,
            ))
        };
        let yaml = yaml()?;
        let mut number = || usize::try_from(read.number()?).ok();
        let (yaml_line, body, body_line) = (number()?, number()?, number()?);
        let body_hash = Hash32(read.bytes()?.try_into().ok()?);
        let layout = Layout {
            len,
            yaml,
            yaml_line,
            body,
            body_line,
            body_hash,
        };
        // Checked for UTF-8 only if the file is known (see `known`).
        let (header, meta) = (read.text_bytes()?, read.bytes()?);
        let previous = Previous {
            stamp,
            layout,
            header: at(header),
            meta: at(meta),
        };
        entries.insert(rel.to_string(), previous);
    }
    read.is_done().then_some(entries)
}

/// A `Stamp` as serde writes it (its fields in order), read by hand.
fn read_stamp(read: &mut crate::cache_format::Reader) -> Option<Stamp> {
    (read.list()? == 4).then_some(())?;
    Some(Stamp {
        len: read.number()?,
        modified: read.u128()?,
        changed: read.u128()?,
        inode: read.number()?,
    })
}

impl ReuseRead for ReadRecord {
    fn front_matter<'a>(
        &self,
        file: &'a ContentFile,
        parse: &dyn Fn() -> Result<Parsed<'a>, Vec<Diagnostic>>,
    ) -> Result<Parsed<'a>, Vec<Diagnostic>> {
        if let Some(previous) = self.previous.get(&file.rel)
            && self.stamps.get(&file.rel) == Some(&previous.stamp)
            && let Some(meta) = (self.bytes.get(previous.meta.clone()))
                .and_then(crate::cache_format::value_of::<RawFrontMatter>)
            && let Some(parsed) = previous.layout.parsed(file, meta)
        {
            self.recalled.fetch_add(1, Ordering::Relaxed);
            return Ok(parsed);
        }
        let parsed = parse();
        // A parse with findings of its own is parsed again by every build, which reports them.
        let recordable = parsed.as_ref().is_ok_and(|p| p.findings.is_empty());
        lock(&self.fresh).insert(file.rel.clone(), recordable);
        parsed
    }
}

impl Layout {
    /// Where `parsed`'s front matter and body sit in `file`; `None` unless its front matter
    /// is a slice of the file's text and its body the rest of the file.
    fn of(file: &ContentFile, parsed: &Parsed) -> Option<Layout> {
        let text = &file.text;
        let offset = |slice: &str| {
            let start = (slice.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
            (start + slice.len() <= text.len()).then_some(start)
        };
        let yaml = offset(parsed.yaml)?;
        let body = match (parsed.body, &file.unread) {
            (BodyText::OnDisk(unread), Some(left)) if std::ptr::eq(unread, left) => unread.start,
            (BodyText::Here(body), None) => {
                offset(body).filter(|&b| b + body.len() == text.len())?
            }
            _ => return None,
        };
        Some(Layout {
            len: file.len(),
            yaml: (yaml, yaml + parsed.yaml.len()),
            yaml_line: parsed.yaml_line,
            body,
            body_line: parsed.body_line,
            body_hash: parsed.body_hash().into(),
        })
    }

    /// The parse this layout describes in `file`, with the recorded front matter; `None`
    /// when the file cannot be the one recorded.
    fn parsed<'a>(&self, file: &'a ContentFile, meta: RawFrontMatter) -> Option<Parsed<'a>> {
        let whole = file.unread.is_none();
        if file.len() != self.len || (whole && !file.text.is_char_boundary(self.body)) {
            return None;
        }
        // A body left on disk as this build read it must be the recorded one.
        if let Some(unread) = &file.unread
            && (unread.start != self.body || unread.hash.as_bytes() != &self.body_hash.0)
        {
            return None;
        }
        Some(Parsed {
            meta,
            yaml: file.text.get(self.yaml.0..self.yaml.1)?,
            yaml_line: self.yaml_line,
            body: file.body(self.body),
            body_line: self.body_line,
            body_hash: blake3::Hash::from_bytes(self.body_hash.0).into(),
            findings: Vec::new(),
        })
    }
}

/// `meta` as the record keeps it, when it reads back as the same front matter (a value that
/// would not, say a tagged YAML value under `extra:`, leaves its file unrecorded). Compared
/// field by field: printing both to compare the text cost more than parsing the file.
fn read_back(meta: &RawFrontMatter) -> Option<Blob> {
    let blob = Blob::of(meta)?;
    (blob.value::<RawFrontMatter>()? == *meta).then_some(blob)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
