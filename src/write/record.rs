//! What a build keeps about an output folder, and who may write it: an output folder in,
//! its lock, its marker and its records (the manifest, the build cache) out.
//!
//! The records live in the site's cache folder, `ROOT/.clinicsite-cache/`, one folder per
//! output folder (named by a hash of its full path), so `public/` holds only the site and two
//! output folders never share a record. The output keeps one tiny marker, `.clinicsite-output`:
//! it lets a build recognise a folder it wrote after the cache was deleted, and it is the file
//! a build locks so that only one build writes a folder at a time. Its bytes never change, so
//! every build locks the same file.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{IoError, absolute, io, is_safe_relative};

/// The site's cache folder, beside `site.yaml` (shared with `check`'s link cache).
pub const CACHE_DIR: &str = ".clinicsite-cache";
/// The marker file in the output folder.
pub const MARKER: &str = ".clinicsite-output";
const MARKER_TEXT: &str = "written by clinicsite build\n";
/// The manifest's file name in the record folder.
pub const MANIFEST: &str = "manifest";
/// What earlier versions kept inside the output folder: read once, then removed.
pub const OLD_MANIFEST: &str = ".clinicsite-manifest";
pub const OLD_BUILD_CACHE: &str = ".clinicsite-build-cache";
const MANIFEST_HEADER: &str = "# files written by clinicsite; do not edit";
/// The line a finished build adds to its manifest: the paths it lists were planned and
/// checked (`output_paths::check`) by this version of the tool for this output folder.
const CHECKED: &str = "# checked ";
/// Suffix of a record while it is written; any left by a killed build are removed by the
/// next one.
pub use crate::atomic_file::TEMP_SUFFIX;
/// The manifest's hash for a file being replaced: `replacing:OLD:NEW`, either of which the
/// file may hold (OLD is empty for a new file).
const REPLACING: &str = "replacing:";

/// The folder holding the records of builds of `root` into `output`.
pub fn folder(root: &Path, output: &Path) -> PathBuf {
    let full = absolute(output);
    let key = blake3::hash(full.as_os_str().as_encoded_bytes()).to_hex();
    absolute(root)
        .join(CACHE_DIR)
        .join(format!("build-{}", &key.as_str()[..16]))
}

/// Makes the record folder, with a `.gitignore` in the cache folder so it never ends up in
/// the site's history.
pub fn make_folder(records: &Path) -> Result<(), IoError> {
    fs::create_dir_all(records).map_err(io("cannot create", records))?;
    if let Some(cache) = records.parent() {
        let ignore = cache.join(".gitignore");
        if !ignore.exists() {
            let _ = fs::write(&ignore, "*\n");
        }
    }
    remove_temporaries(records)
}

/// The output folder, locked by this build until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
    /// Whether this build made the output folder (and its marker): a failed build removes
    /// them again.
    pub made_output: bool,
}

/// Makes `output` and its marker when missing and locks the marker. When another build holds
/// the lock, says so on stderr once and waits for it.
pub fn lock(output: &Path) -> Result<Lock, IoError> {
    let marker = output.join(MARKER);
    let mut announced = false;
    loop {
        let made_dir = match fs::create_dir(output) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(_) => {
                fs::create_dir_all(output).map_err(io("cannot create", output))?;
                true
            }
        };
        let (file, made_marker) = match open_marker(&marker) {
            Ok(opened) => opened,
            // The build that made the folder failed and took it away again: start over.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io("cannot create", &marker)(e)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                if !announced {
                    eprintln!(
                        "Another build is writing {}: waiting for it to finish.",
                        super::display_path(output)
                    );
                    announced = true;
                }
                file.lock().map_err(io("cannot lock", &marker))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(io("cannot lock", &marker)(e)),
        }
        // The build we waited for may have removed the folder it made: our lock is then on a
        // file no one else sees.
        if still_there(&file, &marker) {
            // Making the marker and locking it are two steps: another build may have locked
            // it in between and written the whole site before this one got the lock. The
            // folder is this build's to lay out only while it holds nothing else.
            let made_output = made_dir && made_marker && holds_only_marker(output);
            return Ok(Lock {
                _file: file,
                made_output,
            });
        }
    }
}

/// Whether `output` holds nothing but the marker.
fn holds_only_marker(output: &Path) -> bool {
    fs::read_dir(output)
        .is_ok_and(|mut entries| entries.all(|e| e.is_ok_and(|e| e.file_name() == MARKER)))
}

fn open_marker(marker: &Path) -> std::io::Result<(fs::File, bool)> {
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(marker)
    {
        Ok(mut file) => {
            file.write_all(MARKER_TEXT.as_bytes())?;
            Ok((file, true))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = fs::symlink_metadata(marker)?;
            if !meta.is_file() {
                return Err(std::io::Error::other(
                    "it is not a plain file (a link or a folder)",
                ));
            }
            Ok((fs::OpenOptions::new().read(true).open(marker)?, false))
        }
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn still_there(file: &fs::File, marker: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), fs::symlink_metadata(marker)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_there(_file: &fs::File, marker: &Path) -> bool {
    marker.is_file()
}

/// What the previous build wrote: output path -> recorded hash. Read from the record
/// folder, or, for an output an earlier version wrote, from its manifest inside the output.
pub fn read_manifest(records: &Path, output: &Path) -> Option<BTreeMap<String, String>> {
    read_manifest_checked(records, output).map(|(files, _)| files)
}

/// `read_manifest`, and whether the build that wrote it finished with every path checked
/// (see `write_manifest`).
pub fn read_manifest_checked(
    records: &Path,
    output: &Path,
) -> Option<(BTreeMap<String, String>, bool)> {
    let bytes = crate::cache_format::read(&records.join(MANIFEST))
        .or_else(|_| crate::cache_format::read(&output.join(OLD_MANIFEST)))
        .ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let checked = format!("{CHECKED}{}", checked_key(output));
    let files = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, path)| is_safe_relative(path))
        .map(|(hash, path)| (path.to_string(), hash.to_string()))
        .collect();
    Some((files, text.lines().nth(1) == Some(checked.as_str())))
}

/// Writes the manifest: `files` (output path and hash, sorted by path). `checked` when they
/// are the paths of a finished build, every one of them checked (`output_paths::check`)
/// before it began; not while its files are being put in place.
pub fn write_manifest<P: AsRef<str>, H: AsRef<str>>(
    records: &Path,
    output: &Path,
    files: impl IntoIterator<Item = (P, H)>,
    checked: bool,
) -> Result<(), IoError> {
    let mut text = String::with_capacity(64 * 1024);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    if checked {
        text.push_str(CHECKED);
        text.push_str(&checked_key(output));
        text.push('\n');
    }
    for (path, hash) in files {
        text.push_str(hash.as_ref());
        text.push('\t');
        text.push_str(path.as_ref());
        text.push('\n');
    }
    save(&records.join(MANIFEST), text.as_bytes())
}

/// What the checks of a set of output paths depend on besides the paths: the tool's version
/// (its checks) and the output folder's full path (its length counts).
fn checked_key(output: &Path) -> String {
    let full = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(b"\0");
    hasher.update(full.as_os_str().as_encoded_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}

/// The manifest's entry for a file whose rename is under way.
pub fn replacing(old: Option<&str>, new: &str) -> String {
    format!("{REPLACING}{}:{new}", old.unwrap_or_default())
}

/// Whether a file holding `bytes` is one the manifest entry `recorded` says this tool wrote.
pub fn wrote(recorded: &str, bytes: &[u8]) -> bool {
    let named = |hash: &str| !hash.is_empty() && crate::file_hash::matches(bytes, hash);
    match recorded.strip_prefix(REPLACING) {
        Some(pair) => pair.split(':').any(named),
        None => named(recorded),
    }
}

/// Replaces `target` with `bytes` (see `atomic_file::replace`). Does nothing when `target`
/// already holds these bytes.
pub fn save(target: &Path, bytes: &[u8]) -> Result<(), IoError> {
    if fs::read(target).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    crate::atomic_file::replace(target, bytes).map_err(io("cannot replace", target))
}

/// Removes the temporary files a killed build may have left in `dir`.
fn remove_temporaries(dir: &Path) -> Result<(), IoError> {
    for entry in fs::read_dir(dir).map_err(io("cannot read", dir))? {
        let entry = entry.map_err(io("cannot read", dir))?;
        if entry.file_name().to_string_lossy().ends_with(TEMP_SUFFIX) {
            let path = entry.path();
            fs::remove_file(&path).map_err(io("cannot remove", &path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replacing_entry_accepts_either_version() {
        let of = crate::file_hash::of;
        let entry = replacing(Some(&of(b"old")), &of(b"new"));
        assert!(wrote(&entry, b"old") && wrote(&entry, b"new"));
        assert!(!wrote(&entry, b"other") && !wrote(&entry, b""));
        assert!(!wrote(&replacing(None, &of(b"new")), b""));
        assert!(wrote(&of(b"old"), b"old") && !wrote(&of(b"old"), b"new"));
    }

    /// A build that made the folder and its marker lays the site out there only when no
    /// other build has written into it before this one got the lock.
    #[test]
    fn a_folder_is_laid_out_afresh_only_while_it_holds_just_the_marker() {
        let dir = std::env::temp_dir().join(format!("clinicsite-marker-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        assert!(holds_only_marker(&dir));
        fs::create_dir(dir.join("cards")).unwrap();
        assert!(!holds_only_marker(&dir));
        fs::remove_dir_all(&dir).unwrap();
        assert!(!holds_only_marker(&dir), "a folder that is gone");
    }

    #[test]
    fn two_output_folders_never_share_a_record() {
        let root = Path::new("/srv/site");
        assert_ne!(
            folder(root, Path::new("/srv/site/public")),
            folder(root, Path::new("/srv/deploy"))
        );
        assert_eq!(
            folder(root, Path::new("/srv/site/public")),
            folder(root, Path::new("/srv/site/./public"))
        );
    }
}
