//! Files kept between builds: an entry (one file, or a folder of files) under its key in,
//! found again by the next build out. The processed images (`assets`) and the share cards
//! (`cards`) keep theirs this way, each in its own folder of `ROOT/.clinicsite-cache/`.
//!
//! An entry is named by its key (`key`: 32 hex digits of a hash of everything that changes
//! its bytes), with an extension for a one-file entry (`KEY.png`), so an entry never changes
//! once written. `index.json` remembers what each input of the last build used (a `Record`,
//! by an id the caller chooses), so a rebuild with nothing changed finds its entries without
//! reading or hashing anything. An entry is written under a temporary name of its own writer
//! and renamed into place (a file through `atomic_file`), so a build stopped halfway, and two
//! builds or two threads writing the same entry, leave only whole entries. `save` removes the entries this build did not
//! use. The folder may be deleted at any time: the same bytes are made again.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The layout of the index and of entry names; part of the index's version, so an index
/// written in another layout is not read. Move it on when either changes.
const LAYOUT: &str = "file cache 1";

const INDEX: &str = "index.json";

/// What the index remembers for one id.
pub trait Record: Clone + Serialize + DeserializeOwned {
    /// The key of the entry this record uses; `id` is the id it is recorded under.
    fn key<'a>(&'a self, id: &'a str) -> &'a str;
}

/// One cache folder and what this build used of it.
pub struct FileCache<R> {
    dir: PathBuf,
    previous: Index<R>,
    used: Mutex<Index<R>>,
    /// Makes every temporary name of this cache unique.
    writes: AtomicU64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(bound = "R: Record")]
struct Index<R> {
    version: String,
    /// By id.
    entries: BTreeMap<String, R>,
}

impl<R> Index<R> {
    fn empty(version: String) -> Index<R> {
        Index {
            version,
            entries: BTreeMap::new(),
        }
    }
}

impl<R: Record> FileCache<R> {
    /// Opens the cache folder `dir` (made when the first entry is stored). `version` names
    /// what the records mean; an index written under another version is ignored.
    pub fn open(dir: &Path, version: &str) -> FileCache<R> {
        let version = format!("{LAYOUT}; {version}");
        let previous = fs::read(dir.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Index<R>>(&bytes).ok())
            .filter(|index| index.version == version)
            .unwrap_or_else(|| Index::empty(version.clone()));
        FileCache {
            dir: dir.to_path_buf(),
            previous,
            used: Mutex::new(Index::empty(version)),
            writes: AtomicU64::new(0),
        }
    }

    /// Where the entry named `name` (`KEY`, or `KEY.png` for a one-file entry) is.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// What the last build recorded for `id`.
    pub fn previous(&self, id: &str) -> Option<&R> {
        self.previous.entries.get(id)
    }

    /// Records that this build used `record` for `id`: `save` keeps its entry.
    pub fn record(&self, id: String, record: R) {
        self.lock().entries.insert(id, record);
    }

    /// Stores a one-file entry.
    pub fn store_file(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        crate::atomic_file::replace(&self.dir.join(name), bytes)
    }

    /// Stores a folder entry: `fill` writes its files into the (temporary) folder it is
    /// given, and returns what it wrote.
    pub fn store_folder<T>(
        &self,
        name: &str,
        fill: impl FnOnce(&Path) -> io::Result<T>,
    ) -> io::Result<T> {
        let temp = self.temp(name);
        fs::create_dir_all(&temp)?;
        let filled = fill(&temp).inspect_err(|_| {
            let _ = fs::remove_dir_all(&temp);
        })?;
        self.rename(&temp, name)?;
        Ok(filled)
    }

    /// Writes the index of the entries this build used and removes the others.
    pub fn save(&self) {
        let used = self.lock();
        let keep: HashSet<&str> = used
            .entries
            .iter()
            .map(|(id, record)| record.key(id))
            .collect();
        if let Ok(listing) = fs::read_dir(&self.dir) {
            for item in listing.filter_map(Result::ok) {
                let name = item.file_name().to_string_lossy().into_owned();
                let key = name.split('.').next().unwrap_or_default();
                if is_key(key) && !name.ends_with(".tmp") && !keep.contains(key) {
                    let path = item.path();
                    let _ = if path.is_dir() {
                        fs::remove_dir_all(path)
                    } else {
                        fs::remove_file(path)
                    };
                }
            }
        }
        if used.entries.is_empty() && self.previous.entries.is_empty() {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec_pretty(&*used)
            && fs::create_dir_all(&self.dir).is_ok()
        {
            let _ = crate::atomic_file::replace(&self.dir.join(INDEX), &bytes);
        }
    }

    /// A temporary folder name beside `name` that no other writer uses.
    fn temp(&self, name: &str) -> PathBuf {
        let write = self.writes.fetch_add(1, Ordering::Relaxed);
        self.dir
            .join(format!("{name}.{}.{write}.tmp", std::process::id()))
    }

    /// Moves a written folder entry into place. An entry already there was written by
    /// another build or thread from the same key, so it holds the same files.
    fn rename(&self, temp: &Path, name: &str) -> io::Result<()> {
        let path = self.dir.join(name);
        match fs::rename(temp, &path) {
            Ok(()) => Ok(()),
            Err(error) => {
                let _ = fs::remove_dir_all(temp);
                if path.exists() { Ok(()) } else { Err(error) }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Index<R>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An entry's key: the first 32 hex digits of the hash of everything that changes its bytes.
pub fn key(hasher: &blake3::Hasher) -> String {
    hasher.finalize().to_hex()[..32].to_string()
}

/// Whether `name` is a key (entries' names start with one; the cache's own files do not).
pub fn is_key(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Size(u64);

    impl Record for Size {
        fn key<'a>(&'a self, id: &'a str) -> &'a str {
            id
        }
    }

    const A: &str = "0123456789abcdef0123456789abcdef";
    const B: &str = "fedcba9876543210fedcba9876543210";

    #[test]
    fn entries_survive_one_build_and_unused_ones_are_removed() {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let dir = temp.path().join("cards");
        let cache: FileCache<Size> = FileCache::open(&dir, "v1");
        cache.store_file(&format!("{A}.png"), b"a").unwrap();
        cache
            .store_folder(B, |folder| fs::write(folder.join("main.jpg"), b"b"))
            .unwrap();
        cache.record(A.into(), Size(1));
        cache.record(B.into(), Size(1));
        cache.save();
        let next: FileCache<Size> = FileCache::open(&dir, "v1");
        assert_eq!(next.previous(A), Some(&Size(1)));
        next.record(B.into(), Size(1));
        next.save();
        assert!(!dir.join(format!("{A}.png")).exists());
        assert_eq!(fs::read(dir.join(B).join("main.jpg")).unwrap(), b"b");
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
        // Another version's index is not read.
        let other: FileCache<Size> = FileCache::open(&dir, "v2");
        assert_eq!(other.previous(B), None);
    }

    #[test]
    fn two_writers_of_one_entry_both_succeed() {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let dir = temp.path().join("images");
        let cache: FileCache<Size> = FileCache::open(&dir, "v1");
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    cache
                        .store_folder(A, |folder| fs::write(folder.join("main.jpg"), b"same"))
                        .unwrap();
                    cache.store_file(&format!("{B}.png"), b"same").unwrap();
                });
            }
        });
        assert_eq!(fs::read(dir.join(A).join("main.jpg")).unwrap(), b"same");
        assert_eq!(fs::read(dir.join(format!("{B}.png"))).unwrap(), b"same");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
    }
}
