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
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{}-{n}{TEMP_SUFFIX}", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let mut file = options.open(&temp)?;
    let written = file.write_all(bytes);
    drop(file);
    written
        .and_then(|()| fs::rename(&temp, target))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temp);
        })
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
