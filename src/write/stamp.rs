//! A file's stamp: a path in; its size, times and identity out, which tell, without reading
//! the file, that it is still the one seen before.
//!
//! Any write to a file gives it a new modification and change time, and replacing it gives a
//! new inode; the change time cannot be set back by tools like `touch`. File times come from
//! a clock that ticks every few milliseconds, though: a file written again within the tick of
//! its last write keeps its times. So a stamp taken less than `TICK` after the file's last
//! write is *racy* (as Git calls it) and proves nothing: the file must be read to be trusted.

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// More than any file system's clock tick (Linux: 1 to 10 ms; FAT's two seconds are not
/// worth a slower build, and such a disk still has the bytes checked by hash when racy).
pub const TICK: u128 = 50_000_000;

/// What a file looked like when it was stamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    /// Modification time, in nanoseconds since 1970.
    pub modified: u128,
    /// Change time (any change to the file or its inode), in nanoseconds; 0 where the system
    /// does not keep one.
    pub changed: u128,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of the regular file at `path` (links are not followed); `None` when there is
    /// no such file.
    pub fn of(path: &Path) -> Option<Stamp> {
        Stamp::from(fs::symlink_metadata(path).ok()?)
    }

    /// The stamp of the file at `path`, or of the file a link there leads to.
    pub fn following(path: &Path) -> Option<Stamp> {
        Stamp::from(fs::metadata(path).ok()?)
    }

    fn from(meta: fs::Metadata) -> Option<Stamp> {
        if !meta.is_file() {
            return None;
        }
        let modified = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed =
                (meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128).max(0) as u128;
            (changed, meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Some(Stamp {
            len: meta.len(),
            modified,
            changed,
            inode,
        })
    }

    /// Whether this stamp, taken at `taken`, is too close to the file's last change to prove
    /// that a later stamp equal to it means an unchanged file.
    pub fn is_racy(&self, taken: u128) -> bool {
        taken.saturating_sub(self.modified.max(self.changed)) < TICK
    }

    /// `is_racy` for a file of the output folder whose bytes were proven at `proven` (the
    /// time before the build that recorded this stamp put its files in place, or before a
    /// later build read them). A build writes each file in its staging folder and renames it
    /// into place: the rename moves the change time past `proven`, the bytes stay as they
    /// were. So a change time after `proven` proves nothing by itself, but the modification
    /// time still does: any write to the file after it was written moves that time on too,
    /// past `proven` less a tick, to a stamp other than the recorded one. (Only a writer that
    /// also set the modification time back to its recorded nanosecond within the same tick
    /// as the rename, while the build holds the output, could leave the stamp as recorded.)
    /// A change time before `proven` counts as in `is_racy`.
    pub fn is_racy_in_output(&self, proven: u128) -> bool {
        if self.changed < proven {
            return self.is_racy(proven);
        }
        proven.saturating_sub(self.modified) < TICK
    }
}

/// The stamp of every file of `files` in the output folder `output`, by output path, taken
/// once for all the records a build keeps; `known` holds the stamps taken already (the files
/// a build kept, as it found them in place) and is extended. A file with no stamp (gone,
/// or not a plain file) has no entry.
pub fn of_output(
    output: &Path,
    files: &[super::Staged],
    mut known: rustc_hash::FxHashMap<String, Stamp>,
) -> rustc_hash::FxHashMap<String, Stamp> {
    use rayon::prelude::*;
    let taken: Vec<(String, Stamp)> = files
        .par_iter()
        .filter(|file| !known.contains_key(&file.path))
        .filter_map(|file| Some((file.path.clone(), Stamp::of(&output.join(&file.path))?)))
        .collect();
    known.extend(taken);
    known
}

/// Now, in nanoseconds since 1970.
pub fn now() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewritten_file_has_a_new_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.html");
        fs::write(&path, "one").unwrap();
        let first = Stamp::of(&path).unwrap();
        assert!(first.is_racy(now()), "just written: racy");
        assert!(!first.is_racy(first.modified.max(first.changed) + TICK));
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, "two").unwrap();
        assert_ne!(Stamp::of(&path), Some(first));
        assert_eq!(Stamp::of(&dir.path().join("missing")), None);
        assert_eq!(Stamp::of(dir.path()), None, "a folder has no stamp");
    }

    /// A file written a tick before the commit and renamed into place during it: its change
    /// time is the rename's, after `taken`, and its stamp still proves its bytes. Written
    /// during the commit, or changed less than a tick before it, it proves nothing.
    #[test]
    fn a_file_renamed_into_place_is_proven_by_its_modification_time() {
        let taken = 10 * TICK;
        let stamp = |modified, changed| Stamp {
            len: 3,
            modified,
            changed,
            inode: 7,
        };
        let renamed = stamp(taken - TICK, taken + 1);
        assert!(renamed.is_racy(taken), "racy by its change time alone");
        assert!(!renamed.is_racy_in_output(taken));
        assert!(stamp(taken - TICK + 1, taken + 1).is_racy_in_output(taken));
        assert!(stamp(taken + 1, taken + 1).is_racy_in_output(taken));
        // Changed (not by the rename) less than a tick before the bytes were proven.
        assert!(stamp(taken - TICK, taken - 1).is_racy_in_output(taken));
        assert!(!stamp(taken - TICK, taken - TICK).is_racy_in_output(taken));
    }
}
