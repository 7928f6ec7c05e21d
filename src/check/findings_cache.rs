//! What each page's own rules found, kept between builds in `ROOT/.clinicsite-cache/findings`:
//! a page's key in, the findings its rules made and the links the site-wide rules read out,
//! so `build` and `serve` check again only the pages that changed.
//!
//! The key hashes everything a page's own rules read: the page as placed (its front matter
//! as written, its body, its address, language and draft mark, and its role's facts, which
//! for a translated office come from the original's file; for a translation, its original's
//! words, see `untranslated`), the site's `check:` settings, the program's version, and where
//! its medical review stands today (with today's date when a message names it). Rules that
//! look across pages (links written in HTML, duplicates, translations' freshness) run on every
//! build, on the links kept here. A page whose findings read other
//! files (`review/changed` shows the reviewed words kept in `.clinicsite-cache/reviews/`) is
//! never kept: it is checked on every build.
//!
//! A body is hashed in the key by its hash (`frontmatter::Parsed::body_hash`), made once per
//! changed file or recalled from the last build's reading (`read_record`), so an unchanged
//! body is never hashed again. A key is a 128-bit XXH3 hash of those bytes (a cache key,
//! not a defence against forged files).
//!
//! Hashing all of every page costs a one-page edit of a large site more than the rest of
//! its gate, so `build` knows a page by a quick key too (see `key`): the build cache's key of
//! the placed site (`BuildCache::placed_key`: every file's path and front matter,
//! `site.yaml`, the build's options, the theme), the page's place and file, and what can
//! change while the site is placed the same: its body's hash, its original's words, its
//! review's standing today. The file keeps each page's quick key beside its whole key, so
//! while the placed site is the same a page is recalled without hashing the rest; once it
//! is not (a front matter edited), each page's whole key finds its entry as before.
//!
//! The file is in the format of `cache_format`: the codes the findings name, each once, then
//! each page's whole key, quick key, `Tally` and entry, sorted by whole key, then the
//! findings of the duplicates rule by the key of the placed site they were made for (they
//! read only pages' places and front matter, see `placed`). Each entry is its own
//! MessagePack bytes (its messages written out: most name a date or a score of their own):
//! a build reads only the entries of the pages it recalls, and writes back the others as
//! they were read.
//!
//! The file is only a cache: a missing, unreadable or outdated file means every page is
//! checked, and deleting it changes no finding. Each build writes the entries of its own pages
//! (so pages deleted since are forgotten), and only when one of them was checked anew or got
//! a new quick key.

mod key;
mod parts;
mod placed;
mod tally;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::document::{Document, LinkMark, Piece};
use super::links::has_no_address;
use super::page::PageInput;
use crate::cache_format::Raw;
use crate::config::check::CheckSettings;
use crate::diagnostics::rules::Level;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::frontmatter::Date;
pub use key::{Key, KeyInput};
use parts::{FileParts, Part, push_row};
pub use tally::Tally;

/// The file, relative to the site's folder.
pub const FILE: &str = ".clinicsite-cache/findings";
/// Changes whenever the file's layout or what a rule finds does (every release).
const VERSION: &str = concat!("clinicsite ", env!("CARGO_PKG_VERSION"), " findings 8");

/// The findings of the previous builds, and whether this one added any.
pub struct FindingsCache {
    path: PathBuf,
    /// The file as read: each page's entry is read from it only when the page is recalled.
    bytes: crate::cache_format::Bytes,
    /// The codes the entries name, as written, and as this version knows them (`None` for
    /// one it does not).
    codes: Vec<(String, Option<Code>)>,
    /// Each page's whole key, where its entry is in `bytes`, and its quick key, sorted by
    /// whole key.
    known: Vec<Known>,
    /// Each quick key and the whole key it stands for.
    quick: FxHashMap<u128, u128>,
    /// The placed site's key this build gives, and its hash with the settings
    /// (`Hashing::placed`), which each page's quick key starts from.
    placed_hash: std::sync::OnceLock<(String, u128)>,
    hashing: key::Hashing,
    /// `site.yaml`'s levels, for each new entry's tally.
    levels: BTreeMap<String, Level>,
    /// The key of the placed site the duplicates rule's findings were kept for, and where
    /// they lie in `bytes`.
    placed: Option<(u128, Range<usize>)>,
    checked_anew: AtomicBool,
    /// Whether a page's quick key was new, so the file is written again with it.
    rekeyed: AtomicBool,
}

/// One page's entry in the file: rows of values rather than named fields, as the file is
/// read on every build.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Entry<S = String, R = Range<usize>> {
    findings: Vec<Finding<S>>,
    /// Its links without an address (`links::has_no_address`), the only ones the rules read.
    links: Vec<Link<S, R>>,
    html: Vec<(S, R)>,
}

/// A finding on the page's own file: its code (by its place in the file's `codes`), whether
/// it is a warning (else an error), line, column, width, message, help. (The texts are
/// written in each entry: most pages' messages name something of their own, a date, a
/// score, and an entry is written back as it was read.)
#[derive(Debug, Serialize, Deserialize)]
struct Finding<S = String>(u32, bool, usize, usize, usize, S, Option<S>);

impl Finding<&str> {
    /// The finding on `file`, with `codes` as the file names them.
    fn diagnostic(self, codes: &[(String, Option<Code>)], file: PathBuf) -> Option<Diagnostic> {
        let Finding(code, warning, line, column, width, message, help) = self;
        Some(Diagnostic {
            severity: if warning {
                Severity::Warning
            } else {
                Severity::Error
            },
            code: codes.get(code as usize)?.1?,
            file,
            line,
            column,
            width,
            message: message.to_owned(),
            help: help.map(str::to_owned),
        })
    }
}

/// A `LinkMark`: whether it is an image, its address, its text, where it is written.
#[derive(Debug, Serialize, Deserialize)]
struct Link<S = String, R = Range<usize>>(bool, S, S, R);

/// The file: the codes the findings name, each once (new ones are added after the old, so
/// the entries written back name theirs by the same places), each page's row, then the
/// pages' entries, one after another in the order of the rows. Rows and entries are each
/// one run of bytes, read and written in one piece. The rows are sorted by whole key, so the
/// same pages write the same bytes.
#[derive(Serialize, Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    codes: Vec<&'a str>,
    /// `ROW` bytes a page: its whole key, 1 and its quick key (0 and zeros without one), the
    /// length of its entry, in little-endian order.
    #[serde(borrow)]
    rows: Raw<'a>,
    /// Each entry is its own MessagePack bytes, read only when its page is recalled.
    #[serde(borrow)]
    entries: Raw<'a>,
    /// The key of the placed site (16 bytes, none when not known) and the duplicates rule's
    /// findings in it (`placed::encode`).
    #[serde(borrow)]
    placed: Raw<'a>,
    #[serde(borrow)]
    duplicates: Raw<'a>,
}

/// A page's whole key, where its entry lies in the file's bytes, its quick key and tally.
type Known = (u128, Range<usize>, Option<u128>, Tally);

/// The bytes of a page's row in `File::rows`.
const ROW: usize = 16 + 1 + 16 + 4 + Tally::BYTES;

impl FindingsCache {
    /// The findings kept in the site at `root` (none when the file is missing or outdated).
    pub fn open(root: &Path, settings: &CheckSettings, today: Date) -> FindingsCache {
        let path = root.join(FILE);
        let mut cache = FindingsCache {
            path,
            bytes: Default::default(),
            codes: Vec::new(),
            known: Vec::new(),
            quick: FxHashMap::default(),
            placed_hash: std::sync::OnceLock::new(),
            hashing: key::Hashing {
                base: key::base(VERSION, settings),
                today,
                review: settings.review,
            },
            levels: settings.rules.clone(),
            placed: None,
            checked_anew: AtomicBool::new(false),
            rekeyed: AtomicBool::new(false),
        };
        if let Ok(bytes) = crate::cache_format::read(&cache.path) {
            cache.read(bytes);
        }
        cache
    }

    /// Takes in the file's `bytes`, when they are a whole file of this version: its codes
    /// and where each page's entry is, each entry left unread.
    fn read(&mut self, bytes: crate::cache_format::Bytes) {
        let Some(file) = crate::cache_format::view::<File>(VERSION, &bytes) else {
            return;
        };
        // The entries lie within `bytes`: each is kept as where it lies.
        let start = bytes.as_ptr() as usize;
        let entries = file.entries.0;
        let at = (entries.as_ptr() as usize).checked_sub(start);
        let Some(at) = at.filter(|at| at + entries.len() <= bytes.len()) else {
            return;
        };
        let Some(mut known) = rows(file.rows.0, at..at + entries.len()) else {
            return;
        };
        let duplicates = file.duplicates.0;
        let at = (duplicates.as_ptr() as usize).checked_sub(start);
        let at = at.filter(|at| at + duplicates.len() <= bytes.len());
        let placed = <[u8; 16]>::try_from(file.placed.0).ok();
        self.placed = placed
            .zip(at)
            .map(|(key, at)| (u128::from_le_bytes(key), at..at + duplicates.len()));
        // Written sorted; a file sorted otherwise is only slower to read.
        if !known.is_sorted_by_key(|(key, ..)| *key) {
            known.sort_unstable_by_key(|(key, ..)| *key);
        }
        let quick = known
            .iter()
            .filter_map(|&(whole, _, quick, _)| Some((quick?, whole)))
            .collect();
        self.codes = file
            .codes
            .iter()
            .map(|&code| (code.to_owned(), code_named(code)))
            .collect();
        self.known = known;
        self.quick = quick;
        self.bytes = bytes;
    }

    /// The page's key. With `placed`, the placed site's key (`incremental::Reuse::placed_key`),
    /// a page whose quick key an earlier build kept is known by it, without hashing all it
    /// is made of.
    pub fn key(&self, page: KeyInput, placed: Option<&str>) -> Key {
        match self.quick_key(&page, placed) {
            Ok(key) => key,
            Err(quick) => self.whole_key(&page, quick),
        }
    }

    /// The key of a page an earlier build kept by its quick key in the placed site of key
    /// `placed`; otherwise its quick key (`None` without `placed`), for `whole_key`. The
    /// quick key reads of the front matter only its body's hash, which a body left on disk
    /// carries itself (`source::BodyText::hash`): such a page needs none.
    pub fn quick_key(&self, page: &KeyInput, placed: Option<&str>) -> Result<Key, Option<u128>> {
        let quick = placed.map(|placed| self.hashing.quick(page, self.placed_hash(placed)));
        match quick.and_then(|quick| Some((quick, *self.quick.get(&quick)?))) {
            Some((quick, whole)) => Ok(Key {
                whole,
                quick: Some(quick),
            }),
            None => Err(quick),
        }
    }

    /// The page's key made from all it is, with its quick key `quick` (which the file does
    /// not have yet: it is written again with it).
    pub fn whole_key(&self, page: &KeyInput, quick: Option<u128>) -> Key {
        if quick.is_some() {
            self.rekeyed.store(true, Ordering::Relaxed);
        }
        Key {
            whole: self.hashing.whole(page),
            quick,
        }
    }

    /// `Hashing::placed` of `placed`, made once a build.
    fn placed_hash(&self, placed: &str) -> u128 {
        let (made_for, hash) = self
            .placed_hash
            .get_or_init(|| (placed.to_owned(), self.hashing.placed(placed)));
        if made_for == placed {
            *hash
        } else {
            self.hashing.placed(placed)
        }
    }

    /// The findings kept for `key` on `page`'s file, and the document with the links the
    /// site-wide rules read; `None` when the page must be checked.
    pub fn recall(&self, key: Key, file: &Path) -> Option<(Vec<Diagnostic>, Document)> {
        let entry = self.entry(key.whole)?;
        let entry: Entry<&str> = crate::cache_format::value_of(&self.bytes[entry.1.clone()])?;
        let findings = entry
            .findings
            .into_iter()
            .map(|finding| finding.diagnostic(&self.codes, file.to_path_buf()))
            .collect::<Option<Vec<_>>>()?;
        let links = entry
            .links
            .into_iter()
            .map(|Link(image, dest, text, source)| LinkMark {
                image,
                dest: dest.to_owned(),
                text: text.to_owned(),
                source,
            });
        let html = entry.html.into_iter().map(|(text, source)| Piece {
            text: text.to_owned(),
            source,
        });
        let doc = Document::of_links(links.collect(), html.collect());
        Some((findings, doc))
    }

    /// The entry the file keeps for the whole key `whole`.
    fn entry(&self, whole: u128) -> Option<&Known> {
        let at = self.known.binary_search_by_key(&whole, |(k, ..)| *k).ok()?;
        self.known.get(at)
    }

    /// Whether `findings` of `page` can be kept: only what its own file and the key decide
    /// (see the module's doc), about its own file.
    pub fn keeps(page: &PageInput, findings: &[Diagnostic]) -> bool {
        findings
            .iter()
            .all(|f| f.file == page.file && f.code != Code::ReviewChanged)
    }

    /// Notes that a page was checked anew, so the file is written again.
    pub fn checked_anew(&self) {
        self.checked_anew.store(true, Ordering::Relaxed);
    }

    /// How a passing build counts the page of `key`, from its row alone (see `Tally`);
    /// `None` when the page must be recalled or checked.
    pub fn tally(&self, key: Key) -> Option<Tally> {
        let known = self.entry(key.whole)?;
        self.codes
            .iter()
            .all(|(_, code)| code.is_some())
            .then_some(known.3)
    }

    /// The duplicates rule's findings as kept for the placed site of key `placed`
    /// (`BuildCache::placed_key`), when they were.
    pub fn duplicates(&self, placed: &str) -> Option<Vec<Diagnostic>> {
        let (key, range) = self.placed.as_ref()?;
        let bytes = self.bytes.get(range.clone())?;
        (*key == self.placed_hash(placed)).then(|| placed::decode(bytes, &self.codes))?
    }

    /// Writes the entries of this build's pages: `(key, page, its findings)` for every page
    /// whose findings can be kept, and the duplicates rule's findings for the placed site of
    /// key `placed`, when known. Nothing is written when every page was recalled by the keys
    /// the file has and the duplicates are those it has. An entry the file has is written
    /// back as it was read. A cache that cannot be written is left as it was (the next build
    /// checks those pages again).
    pub fn save<'p>(
        &'p self,
        pages: impl Iterator<Item = (Key, &'p Document, &'p [Diagnostic])>,
        duplicates: Option<(&str, &'p [Diagnostic])>,
    ) {
        // In their places: the entries written back name them by those.
        let mut codes = Table::default();
        for (name, _) in &self.codes {
            codes.keep(name);
        }
        // Each page the file has, by its place there, with its quick key now; the others
        // encoded now. A quick key stays true of its page while what it hashes is the same.
        let mut kept: Vec<Option<Option<u128>>> = vec![None; self.known.len()];
        // The pages checked anew, in the file's order (below).
        let mut fresh: Vec<(u128, Option<u128>, &'p Document, &'p [Diagnostic])> = Vec::new();
        for (key, doc, findings) in pages {
            match self.known.binary_search_by_key(&key.whole, |(k, ..)| *k) {
                Ok(at) => kept[at] = Some(key.quick.or(self.known[at].2)),
                Err(_) => fresh.push((key.whole, key.quick, doc, findings)),
            }
        }
        fresh.sort_by_key(|(key, ..)| *key);
        fresh.dedup_by_key(|(key, ..)| *key);
        // No new entry is encoded before the file is written: each is counted now (its length
        // goes in its row) and encoded as it is written (see `parts`). Encoded into one run
        // first, at 100,000 pages the run (25 MB) was held with all else at a first build's
        // peak.
        let mut new: Vec<(u128, Option<u128>, Tally, Part<'p>)> = Vec::new();
        for (key, quick, doc, findings) in fresh {
            if let Some(piece) = Part::fresh(doc, findings, &mut codes) {
                let tally = Tally::of(doc, findings, &self.levels);
                new.push((key, quick, tally, piece));
            }
        }
        // The duplicates as the file has them, unless made now for another placed site.
        let stored = self.placed.as_ref();
        let stored = stored.map(|(key, range)| (*key, &self.bytes[range.clone()]));
        let made = duplicates.and_then(|(placed, found)| {
            let key = self.placed_hash(placed);
            if stored.is_some_and(|(k, _)| k == key) {
                return None;
            }
            Some((key, placed::encode(found, &mut codes)?))
        });
        let same_duplicates = made.is_none();
        let forgotten = kept.iter().any(Option::is_none);
        let rekeyed = self.rekeyed.load(Ordering::Relaxed);
        if !self.checked_anew.load(Ordering::Relaxed) && !forgotten && !rekeyed && same_duplicates {
            return;
        }
        // The rows in the order of their whole keys: the kept ones (already in that order)
        // merged with the new ones. The entries are not gathered into one buffer: each is
        // written from where it is in the file as read, or encoded as it is written.
        let rows = new.len() + kept.iter().flatten().count();
        let mut packed = Vec::with_capacity(rows * ROW);
        let mut pieces: Vec<Part> = Vec::with_capacity(rows);
        let mut write = |whole: u128, quick: Option<u128>, tally: Tally, entry| {
            push_row(&mut packed, &mut pieces, (whole, quick, tally), entry);
        };
        let mut new = new.iter().peekable();
        for ((whole, range, _, tally), quick) in self.known.iter().zip(&kept) {
            let Some(quick) = quick else { continue };
            while let Some((key, quick, tally, entry)) = new.next_if(|(key, ..)| key < whole) {
                write(*key, *quick, *tally, *entry);
            }
            write(
                *whole,
                *quick,
                *tally,
                Part::Bytes(&self.bytes[range.clone()]),
            );
        }
        for (key, quick, tally, entry) in new {
            write(*key, *quick, *tally, *entry);
        }
        let (placed_key, duplicates) = match (&made, stored) {
            (Some((key, bytes)), _) => (key.to_le_bytes().to_vec(), bytes.as_slice()),
            (None, Some((key, bytes))) => (key.to_le_bytes().to_vec(), bytes),
            (None, None) => (Vec::new(), &[][..]),
        };
        let Some(folder) = self.path.parent() else {
            return;
        };
        // Written beside and renamed over, so a build reading it meanwhile never sees half.
        if std::fs::create_dir_all(folder).is_ok() {
            let always = crate::atomic_file::When::Always;
            let file = |out: &mut dyn std::io::Write| {
                let parts = FileParts {
                    codes: &codes,
                    rows: &packed,
                    entries: &pieces,
                    placed: &placed_key,
                    duplicates,
                };
                parts.write(out)
            };
            let _ = crate::cache_format::save_with(&self.path, always, VERSION, file);
        }
    }
}

/// Each page's whole key, where its entry lies in the file (`entries`, the place of
/// `File::entries` in it), its quick key and tally, from `File::rows`; `None` unless the rows
/// are whole and their entries fill `entries` exactly.
fn rows(rows: &[u8], entries: Range<usize>) -> Option<Vec<Known>> {
    if !rows.len().is_multiple_of(ROW) {
        return None;
    }
    let mut at = entries.start;
    let mut known = Vec::with_capacity(rows.len() / ROW);
    for row in rows.chunks_exact(ROW) {
        let (whole, row) = row.split_first_chunk::<16>()?;
        let (&has_quick, row) = row.split_first()?;
        let (quick, row) = row.split_first_chunk::<16>()?;
        let (length, row) = row.split_first_chunk::<4>()?;
        let tally = Tally::read(row.first_chunk::<{ Tally::BYTES }>()?)?;
        let length = u32::from_le_bytes(*length) as usize;
        let end = at.checked_add(length).filter(|&end| end <= entries.end)?;
        let quick = (has_quick == 1).then(|| u128::from_le_bytes(*quick));
        known.push((u128::from_le_bytes(*whole), at..end, quick, tally));
        at = end;
    }
    (at == entries.end).then_some(known)
}

/// Writes a page's entry in MessagePack to `out`, naming its codes by `place`.
fn encode<'t>(
    doc: &'t Document,
    findings: &'t [Diagnostic],
    place: &mut dyn FnMut(&'t str) -> u32,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let findings = findings.iter().map(|f| {
        let warning = f.severity == Severity::Warning;
        Finding(
            place(f.code.as_str()),
            warning,
            f.line,
            f.column,
            f.width,
            f.message.as_str(),
            f.help.as_deref(),
        )
    });
    let findings = findings.collect();
    let links = doc.links.iter().filter(|l| has_no_address(l));
    let links = links.map(|l| Link(l.image, l.dest.as_str(), l.text.as_str(), &l.source));
    let html = doc.html.iter().map(|p| (p.text.as_str(), &p.source));
    let entry = Entry {
        findings,
        links: links.collect(),
        html: html.collect(),
    };
    rmp_serde::encode::write(out, &entry).map_err(std::io::Error::other)
}

/// Texts, each kept once, by their place in the list.
#[derive(Default)]
struct Table<'t> {
    texts: Vec<&'t str>,
    places: FxHashMap<&'t str, u32>,
}

impl<'t> Table<'t> {
    /// Adds `text` in the next place, even if it is there already.
    fn keep(&mut self, text: &'t str) {
        self.places.entry(text).or_insert(self.texts.len() as u32);
        self.texts.push(text);
    }

    /// The place of `text`, added if new.
    fn place(&mut self, text: &'t str) -> u32 {
        *self.places.entry(text).or_insert_with(|| {
            self.texts.push(text);
            (self.texts.len() - 1) as u32
        })
    }
}

/// The code written as `text` (`content/placeholder`); `None` for a code this version does
/// not know (the entry is then checked anew).
fn code_named(text: &str) -> Option<Code> {
    static CODES: std::sync::OnceLock<HashMap<&'static str, Code>> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| Code::ALL.iter().map(|c| (c.as_str(), *c)).collect());
    codes.get(text).copied()
}

#[cfg(test)]
mod tests;
