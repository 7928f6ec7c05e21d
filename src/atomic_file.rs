//! The one way a single file is written: a path and its new bytes in, the file replaced whole
//! out, or left as it was. The records of the last build (`write::record`), the image and
//! share-card caches and `check --external`'s cache all write through it.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Suffix of a file while it is written; `write::record` removes any a killed build left.
pub const TEMP_SUFFIX: &str = ".clinicsite-tmp";

/// Replaces `target` with `bytes` through a temporary file beside it, renamed over `target`
/// once complete, so a reader sees the old file or the new one, never half of one. The
/// temporary file is created exclusively and without following links (`create_new` and
/// `O_NOFOLLOW` fail on anything already there, a planted link included), under a name no
/// other write uses, and removed again if anything fails.
pub fn replace(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_with(target, When::Always, |file| file.write_all(bytes))
}

/// When `replace_with` puts its new file in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// Only when its bytes differ from `target`'s: a file holding them already is left
    /// untouched.
    Changed,
}

/// Replaces `target`, as `replace` does, with the bytes `write` writes into the temporary
/// file: a large record goes to its file as it is encoded, never whole in memory.
pub fn replace_with(
    target: &Path,
    when: When,
    write: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{}-{n}{TEMP_SUFFIX}", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let mut file = options.open(&temp)?;
    // Ok(true): written, and the same bytes `target` holds already.
    let written = write(&mut file).map(|()| when == When::Changed && same_bytes(&mut file, target));
    drop(file);
    let placed = match written {
        Ok(true) => fs::remove_file(&temp),
        Ok(false) => fs::rename(&temp, target),
        Err(e) => Err(e),
    };
    placed.inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// Whether `file` (just written) holds the bytes of the file at `target`, read a block at a
/// time from both.
fn same_bytes(file: &mut fs::File, target: &Path) -> bool {
    use std::io::{Read, Seek};
    let Ok(mut old) = fs::File::open(target) else {
        return false;
    };
    let (Ok(new_meta), Ok(old_meta)) = (file.metadata(), old.metadata()) else {
        return false;
    };
    if new_meta.len() != old_meta.len() || file.rewind().is_err() {
        return false;
    }
    let (mut a, mut b) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let Ok(n) = file.read(&mut a) else {
            return false;
        };
        if n == 0 {
            // Nothing more of the new file: the old one, of the same length, must end too.
            return old.read(&mut b[..1]).is_ok_and(|m| m == 0);
        }
        if old.read_exact(&mut b[..n]).is_err() || a[..n] != b[..n] {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("index.json");
        replace(&target, b"old").expect("written");
        replace(&target, b"new").expect("replaced");
        assert_eq!(fs::read(&target).expect("read"), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("an entry").file_name())
            .collect();
        assert_eq!(names, ["index.json"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("index.json");
        replace(&target, b"old").expect("written");
        // A folder cannot be renamed over by a file: the rename fails after the write.
        let blocked = dir.path().join("blocked");
        fs::create_dir(&blocked).expect("a folder");
        fs::write(blocked.join("inside"), b"x").expect("a file in it");
        assert!(replace(&blocked, b"new").is_err());
        assert_eq!(fs::read(&target).expect("read"), b"old");
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("an entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["blocked", "index.json"]);
    }
}
