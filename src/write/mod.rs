//! Writing the output folder: the finished site's files in, `public/` updated out.
//!
//! The guarantees users rely on live here. The output folder is checked before anything is
//! built, and locked so that one build at a time writes it (`record`). Files are staged in a
//! hidden folder of their own inside the output (`.clinicsite-staging-PID`) as the site
//! renders; every output path is planned (`plan`) and checked against what is on disk before
//! the first file is put in place; then `commit` puts each changed file in place by an atomic
//! rename, keeping the old versions until the end so that a failure puts them back. A
//! manifest, kept in the site's cache folder, records what this tool wrote (with each file's
//! hash), so files an earlier build wrote and this one does not are removed, while files the
//! tool never wrote, or that someone changed since, are left alone. The manifest lists the
//! union of old and new files while renames are under way, so a build killed half-way leaves
//! nothing the next build cannot clean up or would mistake for finished.

mod commit;
pub mod hash;
mod in_the_way;
mod output_dir;
pub mod record;
pub mod stamp;

pub use output_dir::check_output_dir;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::render::{Body, Output};

pub use record::MARKER;

/// The start of the name of the folder inside the output where a build stages its files
/// (the build's process id follows); one left by a killed build is removed by the next one.
pub const STAGING: &str = ".clinicsite-staging";

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// A file-system failure, always with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} {}: {source}", display_path(path))]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

fn io<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> IoError + 'p {
    move |source| IoError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// An output folder being written. Files are staged as the site renders (so the whole site
/// never has to sit in memory), in a staging folder inside the output, and are put in place
/// only by `commit`, once the site is known to be free of errors. The output stays locked
/// until the staging is dropped. Dropped without a commit, it removes what it staged, and the
/// output folder too if it made it: a failed build leaves the output exactly as it was.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    /// Where this output's records live (see `record`).
    records: PathBuf,
    /// `OUTPUT/.clinicsite-staging-PID`; `None` for a staging that writes nothing (see `dry`).
    dir: Option<PathBuf>,
    /// Shared with the build cache, which looks up the hashes of the files it keeps in it.
    previous: std::sync::Arc<BTreeMap<String, String>>,
    /// Whether `previous` was read from a record. Without one (the cache was deleted), a
    /// folder with the marker is still this tool's: files at the paths the build writes are
    /// replaced, and nothing else is removed, since nothing proves who wrote it.
    recorded: bool,
    /// Whether the previous build finished with every path in `previous` checked (see
    /// `same_plan`).
    checked: bool,
    lock: Option<record::Lock>,
    next_name: AtomicUsize,
    /// Whether this build made the output folder, which then holds nothing but the marker
    /// and the staging folder: no file is looked for there, and files are staged at their
    /// own paths in the staging folder's `LAID_OUT` folder, whose top-level entries `commit`
    /// moves in whole (see `laid_out_path`).
    fresh: bool,
}

/// The folder inside the staging folder where a build into an output folder it made stages
/// the site as it will be laid out in the output.
const LAID_OUT: &str = "site";

/// A file of the site, staged: where it goes, its hash, and its staged copy (`None` when the
/// file in the output already has these bytes).
#[derive(Debug)]
pub struct Staged {
    pub path: String,
    pub hash: String,
    pub size: u64,
    staged: Option<PathBuf>,
}

impl Staged {
    /// A file that stays as it is in the output, with `hash`.
    fn kept(path: String, hash: String, size: u64) -> Staged {
        Staged {
            path,
            hash,
            size,
            staged: None,
        }
    }
}

impl Staging {
    /// Starts writing into `output` (which `check_output_dir` accepted) for the site at
    /// `root`: locks it (waiting for another build that holds it), then clears away what a
    /// killed build may have left.
    pub fn open(root: &Path, output: &Path) -> Result<Staging, IoError> {
        let lock = record::lock(output)?;
        let records = record::folder(root, output);
        remove_leftovers(output)?;
        let dir = output.join(format!("{STAGING}-{}", std::process::id()));
        fs::create_dir(&dir).map_err(io("cannot create", &dir))?;
        let previous = record::read_manifest_checked(&records, output);
        let checked = previous.as_ref().is_some_and(|(_, checked)| *checked);
        let fresh = lock.made_output;
        if fresh {
            let laid_out = dir.join(LAID_OUT);
            fs::create_dir(&laid_out).map_err(io("cannot create", &laid_out))?;
        }
        Ok(Staging {
            output: output.to_path_buf(),
            records,
            dir: Some(dir),
            recorded: previous.is_some(),
            checked,
            previous: std::sync::Arc::new(previous.map(|(files, _)| files).unwrap_or_default()),
            lock: Some(lock),
            next_name: AtomicUsize::new(0),
            fresh,
        })
    }

    /// A staging that writes nothing and cannot commit: for a build already known to fail,
    /// which renders only to find every problem.
    pub fn dry(output: &Path) -> Staging {
        Staging {
            output: output.to_path_buf(),
            records: PathBuf::new(),
            dir: None,
            previous: Default::default(),
            recorded: false,
            checked: false,
            lock: None,
            next_name: AtomicUsize::new(0),
            fresh: false,
        }
    }

    /// What the previous build wrote: output path -> hash (from the manifest).
    pub fn previous(&self) -> &BTreeMap<String, String> {
        &self.previous
    }

    /// `previous`, shared rather than copied (at 100,000 pages a copy holds 16 MB).
    pub fn previous_shared(&self) -> std::sync::Arc<BTreeMap<String, String>> {
        self.previous.clone()
    }

    /// Whether this build made the output folder: nothing the previous build wrote is there.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// The folder holding this output's records (the build cache keeps its own there).
    pub fn records(&self) -> &Path {
        &self.records
    }

    /// A file the previous build wrote at `path` and that this build keeps as it is: the
    /// caller has found it there, a plain file with the bytes the manifest records.
    pub fn keep(&self, path: String) -> Staged {
        let hash = self.previous.get(&path).cloned().unwrap_or_default();
        Staged::kept(path, hash, 0)
    }

    /// `keep` for many files, their `paths` sorted: each found in the manifest in one walk
    /// along it rather than searched for.
    pub fn keep_sorted(&self, paths: Vec<String>) -> Vec<Staged> {
        let mut previous = self.previous.iter().peekable();
        let mut find = |path: &str| {
            while previous.next_if(|(p, _)| p.as_str() < path).is_some() {}
            match previous.peek() {
                Some((p, hash)) if p.as_str() == path => Some((*hash).clone()),
                _ => self.previous.get(path).cloned(),
            }
        };
        let kept = paths.into_iter().map(|path| {
            let hash = find(&path).unwrap_or_default();
            Staged::kept(path, hash, 0)
        });
        kept.collect()
    }

    /// Whether `files` go to exactly the paths the previous build wrote, all of which it checked
    /// (`output_paths::check`, which depends only on the paths, the output folder and the
    /// tool's version) before it began and then put in place: they need no check again.
    pub fn same_plan(&self, files: &[Staged]) -> bool {
        if !self.checked || files.len() != self.previous.len() {
            return false;
        }
        // Sorted, then walked along the manifest: the same paths, each once. A stable sort
        // takes the kept files' run, already in order, as it is.
        let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        paths.sort();
        paths
            .iter()
            .zip(self.previous.keys())
            .all(|(a, b)| *a == b.as_str())
    }

    /// Files in the way of the build: present in the output, not written by this tool, and at
    /// a path the build wants; and, even with `force`, links to folders on the way to a file
    /// the build writes or removes. Checked before anything is put in place, for the files
    /// the build writes or removes only: a file it leaves as it is was found to be the one
    /// it wrote, a plain file at its place (see `stage` and `keep`). `wanted` holds the path
    /// of every file of `files` (the caller shares the set with `pipeline::gone`).
    pub fn in_the_way(
        &self,
        files: &[Staged],
        wanted: &std::collections::HashSet<&str>,
        force: bool,
    ) -> Vec<Diagnostic> {
        let output = &self.output;
        let previous = &self.previous;
        let written = files
            .iter()
            .filter(|f| f.staged.is_some())
            .map(|f| f.path.as_str());
        let removed = previous
            .keys()
            .map(String::as_str)
            .filter(|path| !wanted.contains(path));
        let mut disk = in_the_way::Disk::new(output);
        let mut findings = in_the_way::links(&mut disk, written.clone().chain(removed));
        findings.extend(in_the_way::on_disk(
            &mut disk,
            previous,
            wanted,
            written.clone(),
        ));
        if force || !self.recorded {
            return findings;
        }
        findings.extend(
            written
                .filter(|path| !previous.contains_key(*path) && disk.is_file(path))
                .map(|path| {
                    Diagnostic::new(
                        Code::OutputForeignFile,
                        output.join(path),
                        "clinicsite did not write this file, and the build needs its place",
                    )
                    .help("move the file away, or pass `--force` to replace it")
                }),
        );
        findings
    }

    /// Stages one file: hashes it and, unless the output already holds these very bytes
    /// (compared by hash, so a file edited in place is repaired whatever its length), writes
    /// it to the staging folder.
    pub fn stage(&self, file: Output) -> Result<Staged, IoError> {
        self.stage_borrowed(&file)
    }

    /// `stage`, leaving the file to the caller (`build` reads a page's links from it when
    /// they are not the ones recorded for its hash).
    pub fn stage_borrowed(&self, file: &Output) -> Result<Staged, IoError> {
        let Some(dir) = &self.dir else {
            return Ok(Staged::kept(file.path.clone(), String::new(), 0));
        };
        if let Body::Processed(processed) = &file.body {
            // Its hash is known: an unchanged image is not even read.
            let target = self.output.join(&file.path);
            let unchanged = !self.fresh
                && self.previous.get(&file.path) == Some(&processed.hash)
                && fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == processed.size);
            let staged = if unchanged {
                None
            } else {
                let copy = |path: &Path| match fs::symlink_metadata(path) {
                    Ok(_) => Err(std::io::ErrorKind::AlreadyExists.into()),
                    Err(_) => fs::copy(&processed.path, path).map(|_| ()),
                };
                Some(
                    self.write_staged(dir, &file.path, copy)
                        .map_err(io("cannot copy", &processed.path))?,
                )
            };
            return Ok(Staged {
                path: file.path.clone(),
                hash: processed.hash.clone(),
                size: processed.size,
                staged,
            });
        }
        let bytes = bytes_of(file)?;
        let size = bytes.len() as u64;
        let hash = hash::of(&bytes);
        let unchanged = !self.fresh
            && self.previous.get(&file.path) == Some(&hash)
            && holds(&self.output.join(&file.path), size, &hash);
        let staged = if unchanged {
            None
        } else {
            let write = |path: &Path| write_new(path, &bytes);
            Some(
                self.write_staged(dir, &file.path, write)
                    .map_err(io("cannot write", &dir.join(&file.path)))?,
            )
        };
        Ok(Staged {
            path: file.path.clone(),
            hash,
            size,
            staged,
        })
    }

    /// Writes a staged copy of the file at output path `rel` with `write` (which must not
    /// replace a file): at `rel` in `LAID_OUT` when the output is fresh, so that the commit
    /// moves whole folders instead of renaming each file; else, or when that place is taken
    /// (two files at one path, a file where a folder must go: `output_paths` reports them
    /// before the commit) or `rel` is not a plain relative path, under a number.
    fn write_staged(
        &self,
        dir: &Path,
        rel: &str,
        write: impl Fn(&Path) -> std::io::Result<()>,
    ) -> std::io::Result<PathBuf> {
        if self.fresh && is_safe_relative(rel) {
            let path = dir.join(LAID_OUT).join(rel);
            let parent = path.parent().unwrap_or(dir);
            if fs::create_dir_all(parent)
                .and_then(|()| write(&path))
                .is_ok()
            {
                return Ok(path);
            }
        }
        let name = self.next_name.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(name.to_string());
        write(&path)?;
        Ok(path)
    }

    /// Puts the staged files in place, one atomic rename each, and removes the files an
    /// earlier build wrote that this one does not. When a rename fails, the files already
    /// replaced get their old versions back (see `commit`).
    pub fn commit(&mut self, files: &[Staged]) -> Result<Report, IoError> {
        let Some(dir) = &self.dir else {
            return Err(io("cannot write into", &self.output)(
                std::io::Error::other("this build has errors"),
            ));
        };
        let laid_out = dir.join(LAID_OUT);
        let report = commit::commit(&commit::Commit {
            output: &self.output,
            records: &self.records,
            staging: dir,
            previous: &self.previous,
            files,
            laid_out: self.fresh.then_some(laid_out.as_path()),
        })?;
        for old in [record::OLD_MANIFEST, record::OLD_BUILD_CACHE] {
            let _ = fs::remove_file(self.output.join(old));
        }
        // The files are in place: the output is no longer one a failure should take away.
        if let Some(lock) = &mut self.lock {
            lock.made_output = false;
        }
        Ok(report)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = fs::remove_dir_all(dir);
            if self.lock.as_ref().is_some_and(|l| l.made_output) {
                let _ = fs::remove_file(self.output.join(MARKER));
                let _ = fs::remove_dir(&self.output);
            }
        }
    }
}

pub use hash::holds;

/// Writes `bytes` to a new file at `path`; fails when something is there already.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

fn bytes_of(output: &Output) -> Result<std::borrow::Cow<'_, [u8]>, IoError> {
    match &output.body {
        Body::Text(text) => Ok(text.as_bytes().into()),
        Body::Processed(processed) => fs::read(&processed.path)
            .map(Into::into)
            .map_err(io("cannot read", &processed.path)),
        Body::Copy(data) => data.read().map_err(|source| IoError {
            action: "cannot read",
            path: match data {
                crate::source::Data::Disk(p) => p.clone(),
                crate::source::Data::Embedded(_) | crate::source::Data::Made(_) => {
                    PathBuf::from(&output.path)
                }
            },
            source,
        }),
    }
}

/// Whether killed builds left staging folders or temporary files in the output.
pub fn has_leftovers(output: &Path) -> bool {
    fs::read_dir(output).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(STAGING) || name.ends_with(record::TEMP_SUFFIX)
        })
    })
}

/// Removes the staging folders and temporary files killed builds may have left: only ever
/// called with the lock held, so no other build is using them.
fn remove_leftovers(output: &Path) -> Result<(), IoError> {
    for entry in fs::read_dir(output).map_err(io("cannot read", output))? {
        let entry = entry.map_err(io("cannot read", output))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(STAGING) {
            fs::remove_dir_all(&path).map_err(io("cannot remove", &path))?;
        } else if name.ends_with(record::TEMP_SUFFIX) {
            fs::remove_file(&path).map_err(io("cannot remove", &path))?;
        }
    }
    Ok(())
}

pub(crate) fn prune_empty_parents(output: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == output || !d.starts_with(output) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Whether `path` names a file inside the output folder: relative, `/`-separated, every part
/// a plain name (no `..`, `.` or empty part), with no backslash (a separator on Windows) or
/// NUL. A manifest line may only name such a file.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

/// `path` made absolute and free of `.`/`..`, even when it does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut result = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.into_iter().rev() {
        if part == ".." {
            result.pop();
        } else if part != "." {
            result.push(part);
        }
    }
    result
}

#[cfg(test)]
mod tests;
