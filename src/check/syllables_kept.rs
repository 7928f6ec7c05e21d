//! English syllable counts kept between builds in `ROOT/.clinicsite-cache/syllables`: a word
//! in, its count as `syllables_en::count` makes it out (from the file when an earlier build
//! counted the word), and at the end of the build the file again, with the words it counted
//! anew.
//!
//! Counting an English word needs the hyphenation patterns, and loading them costs a one-page
//! edit more than the rest of checking the edited page (about a million instructions, once
//! per process). With the counts kept, a build whose words were all counted before never loads
//! them: the file is read on the first word the build's own syllable caches have not seen
//! (`readability::SyllableCache`), and each word the caches meet for the first time is looked
//! up in it in place (its short words are a sorted table of fixed rows).
//!
//! A count kept is always the count `syllables_en::count` makes today: the file's version
//! names the patterns' crates, their versions (a test holds them to `Cargo.lock`) and a hash
//! of the counter's source (`syllables_en.rs`), so a changed counter or new patterns start a
//! new file. A missing, damaged (see `cache_format`) or outdated file means every word is
//! counted anew, never an error; deleting it changes no finding. A word is kept by its
//! bytes, never by a hash: words of up to 16 bytes as one number, longer ones as text.
//!
//! The file only grows while the site's words do: each build that counted a word anew writes
//! it back with the words it had, until it holds `MOST` words, when it starts again from the
//! words of that build.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::syllables_en;
use crate::cache_format::Raw;

/// The file, relative to the site's folder.
pub const FILE: &str = ".clinicsite-cache/syllables";

/// The patterns `syllables_en` loads: the crates that embed and read them, at the versions
/// `Cargo.lock` names (checked by a test).
const PATTERNS: &str = "hyphenation 0.8.4 en-us, hyphenation_commons 0.8.4";

/// The file's layout: move it on when `File` or a row changes.
const LAYOUT: &str = "syllables 1";

/// A hash of the counter's source: any change to `syllables_en` starts a new file.
const COUNTER: u64 = fnv1a(include_bytes!("syllables_en.rs"));

/// The most words the file holds before it starts again (a row is 17 bytes).
const MOST: usize = 1 << 18;

/// The bytes of a short word's row: the word as a number (`short_key`), then its count.
const ROW: usize = 17;

/// The counts kept by earlier builds, and those this build made anew.
#[derive(Debug)]
pub struct KeptSyllables {
    path: PathBuf,
    /// The file's counts, read on the first word the build has not seen.
    table: OnceLock<Table>,
    fresh: Mutex<Table>,
}

/// Counts by word: short words as sorted rows of `ROW` bytes, longer ones sorted by text.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<u8>,
    long: Vec<(String, u8)>,
}

/// The file's value (in `cache_format`).
#[derive(Serialize, Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    rows: Raw<'a>,
    #[serde(borrow)]
    long: Vec<(&'a str, u8)>,
}

impl KeptSyllables {
    /// The counts kept in the site at `root`; the file is not read yet.
    pub fn new(root: &Path) -> KeptSyllables {
        KeptSyllables {
            path: root.join(FILE),
            table: OnceLock::new(),
            fresh: Mutex::default(),
        }
    }

    /// `syllables_en::count(word)`, from the file when it has the word.
    pub fn count(&self, word: &str) -> usize {
        let table = self.table.get_or_init(|| Table::read(&self.path));
        if let Some(count) = table.get(word) {
            return usize::from(count);
        }
        let count = syllables_en::count(word);
        // A word of hundreds of syllables is not kept (no count above 255 is).
        if let (Ok(kept), Ok(mut fresh)) = (u8::try_from(count), self.fresh.lock()) {
            fresh.push(word, kept);
        }
        count
    }

    /// Writes the file again when this build counted a word it did not have: its words and
    /// the new ones, or only the new ones once there would be more than `MOST`. A file that
    /// cannot be written is left as it was (the next build counts those words again).
    pub fn save(&self) {
        let Ok(mut fresh) = self.fresh.lock() else {
            return;
        };
        if fresh.rows.is_empty() && fresh.long.is_empty() {
            return;
        }
        let fresh = std::mem::take(&mut *fresh).sorted();
        let empty = Table::default();
        let kept = self.table.get().unwrap_or(&empty);
        let words = kept.rows.len() / ROW + kept.long.len();
        let merged = if words + fresh.rows.len() / ROW + fresh.long.len() > MOST {
            fresh
        } else {
            kept.merged(&fresh)
        };
        let file = File {
            rows: Raw(&merged.rows),
            long: merged.long.iter().map(|(w, c)| (w.as_str(), *c)).collect(),
        };
        let Some(folder) = self.path.parent() else {
            return;
        };
        if std::fs::create_dir_all(folder).is_ok() {
            let always = crate::atomic_file::When::Always;
            let _ = crate::cache_format::save(&self.path, always, &version(), &file);
        }
    }
}

impl Table {
    /// The counts in the file at `path`; none when it is missing, damaged or of another
    /// version, or its rows are not whole and sorted.
    fn read(path: &Path) -> Table {
        let Ok(bytes) = crate::cache_format::read(path) else {
            return Table::default();
        };
        let Some(file) = crate::cache_format::view::<File>(&version(), &bytes) else {
            return Table::default();
        };
        let rows = file.rows.0;
        let whole = rows.len().is_multiple_of(ROW);
        let sorted = whole && rows.chunks_exact(ROW).is_sorted_by(|a, b| key(a) < key(b));
        let long_sorted = file.long.is_sorted_by(|a, b| a.0 < b.0);
        if !sorted || !long_sorted {
            return Table::default();
        }
        Table {
            rows: rows.to_vec(),
            long: file.long.iter().map(|&(w, c)| (w.to_owned(), c)).collect(),
        }
    }

    fn get(&self, word: &str) -> Option<u8> {
        match short_key(word) {
            Some(wanted) => {
                let rows = self.rows.len() / ROW;
                let row = |i: usize| &self.rows[i * ROW..(i + 1) * ROW];
                let (mut low, mut high) = (0, rows);
                while low < high {
                    let mid = low + (high - low) / 2;
                    match key(row(mid)).cmp(&wanted) {
                        std::cmp::Ordering::Less => low = mid + 1,
                        std::cmp::Ordering::Greater => high = mid,
                        std::cmp::Ordering::Equal => return Some(row(mid)[16]),
                    }
                }
                None
            }
            None => {
                let at = self.long.binary_search_by(|(w, _)| w.as_str().cmp(word));
                at.ok().map(|at| self.long[at].1)
            }
        }
    }

    fn push(&mut self, word: &str, count: u8) {
        match short_key(word) {
            Some(key) => {
                self.rows.extend_from_slice(&key.to_be_bytes());
                self.rows.push(count);
            }
            None => self.long.push((word.to_owned(), count)),
        }
    }

    /// The rows and long words sorted, each word once (two threads may count one word).
    fn sorted(self) -> Table {
        let mut rows: Vec<[u8; ROW]> = self
            .rows
            .chunks_exact(ROW)
            .map(|row| row.try_into().unwrap_or([0; ROW]))
            .collect();
        rows.sort_unstable();
        rows.dedup_by_key(|row| key(row.as_slice()));
        let mut long = self.long;
        long.sort_unstable();
        long.dedup_by(|a, b| a.0 == b.0);
        Table {
            rows: rows.concat(),
            long,
        }
    }

    /// This table's words with `new`'s (sorted, none of them in this table), in order.
    fn merged(&self, new: &Table) -> Table {
        let mut rows = Vec::with_capacity(self.rows.len() + new.rows.len());
        let mut new_rows = new.rows.chunks_exact(ROW).peekable();
        for row in self.rows.chunks_exact(ROW) {
            while let Some(earlier) = new_rows.next_if(|r| key(r) < key(row)) {
                rows.extend_from_slice(earlier);
            }
            rows.extend_from_slice(row);
        }
        new_rows.for_each(|row| rows.extend_from_slice(row));
        let mut long = self.long.clone();
        long.extend(new.long.iter().cloned());
        long.sort_unstable();
        Table { rows, long }
    }
}

/// The file's version: its layout, the patterns and the counter.
fn version() -> String {
    format!("{LAYOUT} / {PATTERNS} / counter {COUNTER:016x}")
}

/// A word of up to 16 bytes as one number: its bytes first, then zeros, so the numbers sort
/// as the words do. `None` for a longer word, or one with a zero byte (two words would share
/// a number).
fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 || bytes.contains(&0) {
        return None;
    }
    let mut padded = [0u8; 16];
    padded[..bytes.len()].copy_from_slice(bytes);
    Some(u128::from_be_bytes(padded))
}

/// The word's number in a row (written big-endian, so rows sort as their bytes do).
fn key(row: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&row[..16]);
    u128::from_be_bytes(bytes)
}

/// The 64-bit FNV-1a hash of `bytes`, made while compiling.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests;
