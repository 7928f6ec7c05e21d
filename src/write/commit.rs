//! Putting a build's staged files in place: the staged files and the previous manifest in,
//! `public/` holding the new site (or, after a failure, the old one, whole) out.
//!
//! Before the first change, every folder that receives a file is tried for writing. Then the
//! files an earlier build wrote and this one does not are moved aside (only when their bytes
//! are still what the manifest says this tool wrote), and each staged file is renamed into
//! place, its old version kept as a hard link in the staging folder. Should a rename fail,
//! every step already taken is undone from those copies, so the output is the old site; the
//! copies go with the staging folder when the build ends.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::{IoError, Report, Staged, io, prune_empty_parents, record};
use crate::diagnostics::display_path;

/// What one commit works with.
pub(super) struct Commit<'a> {
    pub output: &'a Path,
    pub records: &'a Path,
    pub staging: &'a Path,
    pub previous: &'a BTreeMap<String, String>,
    pub files: &'a [Staged],
    /// When this build made the output folder: the folder of the staging where files are
    /// staged at their own paths (see `Staging::write_staged`), moved in by its top-level
    /// entries. Nothing else is in the output then, so nothing is looked for there.
    pub laid_out: Option<&'a Path>,
}

/// One change made to the output, with what undoes it.
#[derive(Debug)]
enum Step {
    /// `target` now holds the new file; its old version (if it had one) is `old`.
    Replaced {
        target: PathBuf,
        old: Option<PathBuf>,
    },
    /// `target`, a file an earlier build wrote, was moved to `old`.
    Removed { target: PathBuf, old: PathBuf },
    /// `target`, a file or a folder of new files, was moved in from the laid-out staging
    /// folder, with nothing there before.
    Placed { target: PathBuf },
}

pub(super) fn commit(c: &Commit) -> Result<Report, IoError> {
    // Borrowed, not copied: at 10,000 files the copies cost more than the commit's renames.
    let mut next: Vec<(&str, &str)> = c
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.hash.as_str()))
        .collect();
    // Stable: the files kept, already in path order, are taken as one run.
    next.sort();
    let wanted: FxHashSet<&str> = next.iter().map(|&(path, _)| path).collect();
    if c.laid_out.is_none() {
        try_folders(c)?;
    }
    record::make_folder(c.records)?;
    // The manifest announces the new files before they land, so a build killed during the
    // renames leaves nothing the next build cannot clean up. Until its rename is done, a file
    // being replaced may hold either version: both hashes are recorded. (With no file to
    // put in place, the previous manifest already lists every file there may be.)
    if c.files.iter().any(|f| f.staged.is_some()) {
        let mut during: BTreeMap<&str, Cow<str>> = c
            .previous
            .iter()
            .map(|(path, hash)| (path.as_str(), Cow::Borrowed(hash.as_str())))
            .collect();
        for file in c.files {
            let recorded = c.previous.get(&file.path);
            match file.staged {
                Some(_) => {
                    let hash = record::replacing(recorded.map(String::as_str), &file.hash);
                    during.insert(&file.path, Cow::Owned(hash));
                }
                None if recorded != Some(&file.hash) => {
                    during.insert(&file.path, Cow::Borrowed(&file.hash));
                }
                None => {}
            }
        }
        record::write_manifest(c.records, c.output, &during, false)?;
    }
    let old = c.staging.join("old");
    fs::create_dir(&old).map_err(io("cannot create", &old))?;
    let mut journal = Vec::new();
    // Stale files go first: a folder the site no longer has may be where a file goes now.
    for (n, (path, recorded)) in c.previous.iter().enumerate() {
        if wanted.contains(path.as_str()) || !removable(path) {
            continue;
        }
        let target = c.output.join(path);
        if !bytes_of(&target).is_some_and(|bytes| record::wrote(recorded, &bytes)) {
            // Missing (a killed build may have removed it, leaving its folder), or changed
            // since: not provably this tool's to remove.
            prune_empty_parents(c.output, &target);
            continue;
        }
        let kept = old.join(format!("d{n}"));
        if let Err(e) = fs::rename(&target, &kept) {
            return Err(undo(c, journal, io("cannot remove", &target)(e)));
        }
        prune_empty_parents(c.output, &target);
        journal.push(Step::Removed { target, old: kept });
    }
    let removed = journal.len();
    if let Some(laid_out) = c.laid_out
        && let Err(error) = place_laid_out(c.output, laid_out, &mut journal)
    {
        return Err(undo(c, journal, error));
    }
    let results: Vec<Result<Step, IoError>> = c
        .files
        .par_iter()
        .enumerate()
        .filter_map(|(n, f)| Some((n, f, f.staged.as_ref()?)))
        .filter(|(_, _, staged)| c.laid_out.is_none_or(|dir| !staged.starts_with(dir)))
        .map(|(n, f, staged)| put(c.output, &f.path, staged, &old.join(format!("r{n}"))))
        .collect();
    let mut failure = None;
    for result in results {
        match result {
            Ok(step) => journal.push(step),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    let written = match c.laid_out {
        Some(_) => c.files.iter().filter(|f| f.staged.is_some()).count(),
        None => journal.len() - removed,
    };
    if let Some(error) = failure {
        return Err(undo(c, journal, error));
    }
    record::write_manifest(c.records, c.output, next.iter().copied(), true)?;
    Ok(Report {
        written,
        unchanged: c.files.len() - written,
        removed,
    })
}

/// Whether the tool may remove a file it recorded at `path`: never a hidden file or one in a
/// hidden folder (`.git`, `.well-known`), which a record could only name if someone added
/// the line.
fn removable(path: &str) -> bool {
    !path.split('/').any(|part| part.starts_with('.'))
}

/// The bytes of the file at `path`; `None` when it is not a file (or cannot be read).
fn bytes_of(path: &Path) -> Option<Vec<u8>> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    fs::read(path).ok()
}

/// Asks the system whether every folder that will receive a file (or the nearest one that
/// exists above it) can be written: a folder that cannot stops the build before anything
/// changed. (The answer is the system's `access`, so it leaves nothing behind, even in a
/// build killed right then; for the superuser it is always yes.)
fn try_folders(c: &Commit) -> Result<(), IoError> {
    let mut tried = HashSet::new();
    // Many files share folders: each folder is looked at once.
    let mut is_dir: HashMap<PathBuf, bool> = HashMap::new();
    for file in c.files.iter().filter(|f| f.staged.is_some()) {
        let mut folder = c.output.join(&file.path);
        folder.pop();
        loop {
            let found = match is_dir.get(&folder) {
                Some(&found) => found,
                None => {
                    let found = folder.is_dir();
                    is_dir.insert(folder.clone(), found);
                    found
                }
            };
            if found || !folder.pop() {
                break;
            }
        }
        if tried.insert(folder.clone()) {
            writable(&folder).map_err(io("cannot write into", &folder))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn writable(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt as _;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes())?;
    // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
    match unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(not(unix))]
fn writable(folder: &Path) -> std::io::Result<()> {
    match fs::metadata(folder)?.permissions().readonly() {
        true => Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
        false => Ok(()),
    }
}

/// Renames `staged` to `OUTPUT/path`, keeping the file it replaces as `old`.
fn put(output: &Path, path: &str, staged: &Path, old: &Path) -> Result<Step, IoError> {
    let target = output.join(path);
    let existing = fs::symlink_metadata(&target).ok();
    if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
        // A folder an earlier build wrote, emptied of its files above: take it away.
        remove_empty_folders(&target);
    }
    let kept = match existing {
        Some(meta) if meta.is_file() => {
            fs::hard_link(&target, old)
                .or_else(|_| fs::copy(&target, old).map(|_| ()))
                .map_err(io("cannot keep the old version of", &target))?;
            Some(old.to_path_buf())
        }
        _ => None,
    };
    let dir = target.parent().unwrap_or(output);
    fs::create_dir_all(dir)
        .and_then(|()| fs::rename(staged, &target))
        .map_err(|e| {
            if let Some(kept) = &kept {
                let _ = fs::remove_file(kept);
            }
            io("cannot replace", &target)(e)
        })?;
    Ok(Step::Replaced { target, old: kept })
}

/// Moves each top-level entry of `laid_out` (a file, or a folder of files) to the same name
/// in `output`, where nothing is.
fn place_laid_out(output: &Path, laid_out: &Path, journal: &mut Vec<Step>) -> Result<(), IoError> {
    for entry in fs::read_dir(laid_out).map_err(io("cannot read", laid_out))? {
        let entry = entry.map_err(io("cannot read", laid_out))?;
        let target = output.join(entry.file_name());
        fs::rename(entry.path(), &target).map_err(io("cannot replace", &target))?;
        journal.push(Step::Placed { target });
    }
    Ok(())
}

fn remove_empty_folders(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_folders(&entry.path());
            }
        }
    }
    let _ = fs::remove_dir(dir);
}

/// Undoes `journal`, last step first, after `error`; returns `error` saying what the output
/// holds now: the old site, whole, or exactly which files are new and which old.
fn undo(c: &Commit, journal: Vec<Step>, error: IoError) -> IoError {
    let mut failed = Vec::new();
    let mut new = Vec::new();
    for step in journal.into_iter().rev() {
        let (target, outcome) = match step {
            Step::Replaced {
                target,
                old: Some(old),
            } => {
                let outcome = fs::rename(&old, &target);
                (target, outcome)
            }
            Step::Replaced { target, old: None } => {
                let outcome = fs::remove_file(&target);
                prune_empty_parents(c.output, &target);
                (target, outcome)
            }
            Step::Placed { target } => {
                let outcome = match fs::symlink_metadata(&target) {
                    Ok(meta) if meta.is_dir() => fs::remove_dir_all(&target),
                    _ => fs::remove_file(&target),
                };
                (target, outcome)
            }
            Step::Removed { target, old } => {
                let outcome = target
                    .parent()
                    .map_or(Ok(()), fs::create_dir_all)
                    .and_then(|()| fs::rename(&old, &target));
                (target, outcome)
            }
        };
        if let Err(e) = outcome {
            failed.push(format!("{} ({e})", display_path(&target)));
            new.push(target);
        }
    }
    let output = display_path(c.output);
    let said = if failed.is_empty() {
        // The manifest as it was: the output holds the old site again.
        let _ = record::write_manifest(c.records, c.output, c.previous, false);
        format!(
            "{}; nothing was changed: every file already replaced got its old version back, so {output} holds the site as it was before this build",
            error.source
        )
    } else {
        let mut old: Vec<&str> = c.files.iter().map(|f| f.path.as_str()).collect();
        old.retain(|p| !new.iter().any(|n| n.ends_with(p)));
        format!(
            "{}; putting the old versions back failed too, so {output} is part new, part old. New (this build): {}. Every other file of the site is as it was before this build ({} files). Build again once the problem is fixed",
            error.source,
            failed.join(", "),
            old.len()
        )
    };
    IoError {
        action: error.action,
        path: error.path,
        source: std::io::Error::other(said),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(text: &str) -> String {
        super::super::hash::of(text.as_bytes())
    }

    /// An output with an earlier build's files, and a staging folder with a new build's.
    struct Scene {
        _temp: tempfile::TempDir,
        output: PathBuf,
        records: PathBuf,
        staging: PathBuf,
        previous: BTreeMap<String, String>,
    }

    fn scene(old: &[(&str, &str)]) -> Scene {
        let temp = tempfile::tempdir().expect("a temporary folder");
        let output = temp.path().join("public");
        let records = temp.path().join("records");
        let staging = output.join(".clinicsite-staging-test");
        fs::create_dir_all(&staging).expect("staging");
        let mut previous = BTreeMap::new();
        for (path, text) in old {
            fs::write(output.join(path), text).expect("an old file");
            previous.insert(path.to_string(), hash(text));
        }
        Scene {
            _temp: temp,
            output,
            records,
            staging,
            previous,
        }
    }

    fn staged(scene: &Scene, files: &[(&str, &str)]) -> Vec<Staged> {
        files
            .iter()
            .enumerate()
            .map(|(n, (path, text))| staged_at(scene.staging.join(n.to_string()), path, text))
            .collect()
    }

    /// `text`, the file at `path`, staged at `copy`.
    fn staged_at(copy: PathBuf, path: &str, text: &str) -> Staged {
        fs::create_dir_all(copy.parent().expect("a folder")).expect("folders");
        fs::write(&copy, text).expect("a staged file");
        Staged {
            path: path.to_string(),
            hash: hash(text),
            size: text.len() as u64,
            staged: Some(copy),
        }
    }

    fn contents(dir: &Path) -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let rel = entry.path().strip_prefix(dir).expect("inside");
            if entry.file_type().is_file() && !rel.starts_with(".clinicsite-staging-test") {
                let text = fs::read_to_string(entry.path()).expect("read");
                found.insert(rel.to_string_lossy().into_owned(), text);
            }
        }
        found
    }

    /// A rename that fails half-way through the commit: forced reliably, even as the
    /// superuser (whom permission bits do not stop), by a file `x` where the folder for
    /// `x/y.html` must be made (which one fails depends on the order the renames run in).
    /// The files already replaced get their old versions back, the removed one comes back,
    /// and the manifest is the old one: the output is the old site, whole.
    #[test]
    fn a_rename_that_fails_mid_commit_leaves_the_old_site_whole() {
        let old = [
            ("a.html", "old a"),
            ("b.html", "old b"),
            ("gone.html", "old gone"),
        ];
        let scene = scene(&old);
        let files = staged(
            &scene,
            &[
                ("a.html", "new a"),
                ("b.html", "new b!"),
                ("x", "a file"),
                ("x/y.html", "y"),
            ],
        );
        let error = commit(&Commit {
            output: &scene.output,
            records: &scene.records,
            staging: &scene.staging,
            previous: &scene.previous,
            files: &files,
            laid_out: None,
        })
        .expect_err("the commit must fail");
        let message = error.to_string();
        assert!(
            message.contains(
                "nothing was changed: every file already replaced got its old version back"
            ),
            "{message}"
        );
        let expected: BTreeMap<String, String> = old
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(contents(&scene.output), expected);
        assert!(!scene.output.join("x").exists());
        assert_eq!(
            record::read_manifest(&scene.records, &scene.output),
            Some(scene.previous.clone())
        );
    }

    /// Into an output folder the build made, files staged at their paths move in by their
    /// top-level folders; one that could not be staged there (here `x/y.html`, under the file
    /// `x`) is renamed on its own, and when that fails, what moved in is taken away again.
    #[test]
    fn a_laid_out_site_moves_in_whole_or_not_at_all() {
        let scene = scene(&[]);
        let laid_out = scene.staging.join("site");
        let lay = |files: &[(&str, &str)]| -> Vec<Staged> {
            files
                .iter()
                .map(|(path, text)| staged_at(laid_out.join(path), path, text))
                .collect()
        };
        let files = lay(&[("index.html", "home"), ("a/b/index.html", "b"), ("x", "x")]);
        let fresh = |files: &[Staged]| {
            commit(&Commit {
                output: &scene.output,
                records: &scene.records,
                staging: &scene.staging,
                previous: &scene.previous,
                files,
                laid_out: Some(&laid_out),
            })
        };
        let mut with_stray = files;
        with_stray.extend(staged(&scene, &[("x/y.html", "y")]));
        let error = fresh(&with_stray).expect_err("x is a file");
        assert!(error.to_string().contains("nothing was changed"), "{error}");
        assert_eq!(contents(&scene.output), BTreeMap::new());
        assert!(!scene.output.join("a").exists(), "the folder went too");

        fs::remove_dir_all(&scene.staging).expect("a new staging");
        let files = lay(&[("index.html", "home"), ("a/b/index.html", "b")]);
        let report = fresh(&files).expect("the commit");
        assert_eq!(
            report,
            Report {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let expected: BTreeMap<String, String> = [("a/b/index.html", "b"), ("index.html", "home")]
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(contents(&scene.output), expected);
    }

    /// When even putting an old version back fails, the message names the files left new.
    #[test]
    fn a_failed_undo_names_the_files_left_new() {
        let scene = scene(&[("a.html", "old a")]);
        let files = staged(&scene, &[("a.html", "new a")]);
        fs::rename(
            files[0].staged.clone().unwrap_or_default(),
            scene.output.join("a.html"),
        )
        .expect("replace");
        let journal = vec![Step::Replaced {
            target: scene.output.join("a.html"),
            old: Some(scene.staging.join("no-such-copy")),
        }];
        let failure = IoError {
            action: "cannot replace",
            path: scene.output.join("b.html"),
            source: std::io::Error::other("disk full"),
        };
        let commit = Commit {
            output: &scene.output,
            records: &scene.records,
            staging: &scene.staging,
            previous: &scene.previous,
            files: &files,
            laid_out: None,
        };
        let message = undo(&commit, journal, failure).to_string();
        assert!(message.starts_with("cannot replace "), "{message}");
        assert!(
            message.contains("disk full; putting the old versions back failed too, so "),
            "{message}"
        );
        assert!(
            message.contains("is part new, part old. New (this build): "),
            "{message}"
        );
        assert!(
            message.contains("public/a.html (No such file or directory"),
            "{message}"
        );
    }
}
