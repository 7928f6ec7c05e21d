//! Writing the output folder: the finished site's files in, `public/` updated out.
//!
//! The guarantees users rely on live here. The output folder is checked before anything is
//! built. Each file is replaced by an atomic rename, and only when its bytes changed. A
//! manifest (`.clinicsite-manifest`) records what this tool wrote, so files an earlier build
//! wrote and this one does not are removed, while files the tool never wrote are left alone.
//! Files are staged in `.clinicsite-staging` inside the output as the site renders, and put in
//! place only once the whole site is free of errors. The manifest lists the union of old and
//! new files while renames are under way, those being replaced marked as such, so a build
//! killed half-way leaves nothing the next build cannot clean up or would mistake for
//! finished.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, display_path};
use crate::render::{Body, Output};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = ".clinicsite-manifest";
const MANIFEST_HEADER: &str = "# files written by clinicsite; do not edit";
/// Suffix of the manifest while it is written; any left by a killed build are removed by the
/// next one.
const TEMP_SUFFIX: &str = ".clinicsite-tmp";
/// The folder inside the output where a build stages its files; one left by a killed build
/// is removed by the next one.
pub const STAGING: &str = ".clinicsite-staging";
/// The manifest's hash for a file being replaced, which no content hashes to.
const REPLACING: &str = "replacing";

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

/// Refuses output folders that would put the user's files at risk: the site root, any
/// folder holding `content/`, a folder inside `content/` or `themes/`, `/`, the home folder,
/// and (without `force`) a non-empty folder this tool never wrote to. Dotfiles such as `.git`
/// or `.gitignore` do not make a folder count as used.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<(), Diagnostic> {
    let shown = display_path(output);
    let refuse =
        |why: String, help: &str| Diagnostic::error("output/refused", output, why).help(help);
    let root = absolute(root);
    let target = absolute(output);
    let home = std::env::var_os("HOME").map(|h| absolute(Path::new(&h)));
    if target.parent().is_none() || home.as_deref() == Some(target.as_path()) {
        return Err(refuse(
            format!("`{shown}` is the top of the disk or your home folder"),
            "use a folder of its own, like `public`",
        ));
    }
    if root.starts_with(&target) {
        return Err(refuse(
            format!("`{shown}` holds the site itself"),
            "use a folder inside the site, like `public`",
        ));
    }
    if target.starts_with(root.join("content")) || target.starts_with(root.join("themes")) {
        return Err(refuse(
            format!("`{shown}` is inside the site's sources"),
            "use a folder of its own, like `public`",
        ));
    }
    if target.join("content").is_dir() || target.join(crate::config::FILE).is_file() {
        return Err(refuse(
            format!("`{shown}` looks like a site (it has content/ or site.yaml)"),
            "use an empty folder, like `public`",
        ));
    }
    if target.exists() && !target.is_dir() {
        return Err(refuse(
            format!("`{shown}` is a file, not a folder"),
            "use a folder, like `public`",
        ));
    }
    if force || target.join(MANIFEST).is_file() || !target.exists() {
        return Ok(());
    }
    let entries = fs::read_dir(&target).map_err(|e| {
        refuse(
            format!("cannot read `{shown}`: {e}"),
            "check the folder's permissions",
        )
    })?;
    let foreign = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .count();
    if foreign > 0 {
        return Err(refuse(
            format!(
                "`{shown}` already holds {foreign} {} that clinicsite did not write",
                if foreign == 1 {
                    "file or folder"
                } else {
                    "files or folders"
                }
            ),
            "clinicsite never overwrites files it did not write: empty the folder, choose another with `--output-dir`, or pass `--force` to write beside them",
        ));
    }
    Ok(())
}

/// Folders inside `output` that are symbolic links and lie on the way to one of `paths`:
/// writing or removing through them would touch files outside the output folder.
fn links_in_the_way<'p>(output: &Path, paths: impl Iterator<Item = &'p str>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut findings = Vec::new();
    for path in paths {
        let mut folder = output.to_path_buf();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            folder.push(part);
            if !seen.insert(folder.clone()) {
                continue;
            }
            match fs::symlink_metadata(&folder) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let target = fs::read_link(&folder).unwrap_or_default();
                    findings.push(
                        Diagnostic::error(
                            "output/link",
                            &folder,
                            format!(
                                "this folder is a link to {}: the build would write outside the output folder through it",
                                target.display()
                            ),
                        )
                        .help("remove the link; the build makes the folder itself"),
                    );
                    break;
                }
                Ok(_) => {}
                // Nothing further down exists either.
                Err(_) => break,
            }
        }
    }
    findings
}

/// An output folder being written. Files are staged as the site renders (so the whole site
/// never has to sit in memory), in a staging folder inside the output, and are put in place
/// only by `commit`, once the site is known to be free of errors. Dropped without a commit,
/// it removes what it staged, and the output folder too if it made it: a failed build leaves
/// the output exactly as it was.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    /// `OUTPUT/.clinicsite-staging`; `None` for a staging that writes nothing (see `dry`).
    dir: Option<PathBuf>,
    previous: BTreeMap<String, String>,
    made_output: bool,
    next_name: AtomicUsize,
}

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
    /// Starts writing into `output` (which `check_output_dir` accepted), after clearing away
    /// what a killed build may have left.
    pub fn open(output: &Path) -> Result<Staging, IoError> {
        let made_output = !output.exists();
        fs::create_dir_all(output).map_err(io("cannot create", output))?;
        let dir = output.join(STAGING);
        remove_leftovers(output, &dir)?;
        fs::create_dir(&dir).map_err(io("cannot create", &dir))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir: Some(dir),
            previous: read_manifest(output),
            made_output,
            next_name: AtomicUsize::new(0),
        })
    }

    /// A staging that writes nothing and cannot commit: for a build already known to fail,
    /// which renders only to find every problem.
    pub fn dry(output: &Path) -> Staging {
        Staging {
            output: output.to_path_buf(),
            dir: None,
            previous: BTreeMap::new(),
            made_output: false,
            next_name: AtomicUsize::new(0),
        }
    }

    /// What the previous build wrote: output path -> hash (from the manifest).
    pub fn previous(&self) -> &BTreeMap<String, String> {
        &self.previous
    }

    /// A file the previous build wrote at `path` and that this build keeps as it is.
    pub fn keep(&self, path: String) -> Staged {
        let hash = self.previous.get(&path).cloned().unwrap_or_default();
        Staged::kept(path, hash, 0)
    }

    /// Files in the way of the build: present in the output, not written by this tool, and at
    /// a path the build wants; and, even with `force`, links to folders on the way to a file
    /// the build writes or removes. Checked before anything is put in place.
    pub fn in_the_way(&self, files: &[Staged], force: bool) -> Vec<Diagnostic> {
        let output = &self.output;
        let previous = &self.previous;
        let paths = files.iter().map(|f| f.path.as_str());
        let mut findings = links_in_the_way(
            output,
            paths.clone().chain(previous.keys().map(String::as_str)),
        );
        if force {
            return findings;
        }
        findings.extend(
            paths
                .filter(|path| !previous.contains_key(*path) && output.join(path).exists())
                .map(|path| {
                    Diagnostic::error(
                        "output/foreign-file",
                        output.join(path),
                        "clinicsite did not write this file, and the build needs its place",
                    )
                    .help("move the file away, or pass `--force` to replace it")
                }),
        );
        findings
    }

    /// Stages one file: hashes it and, when its bytes differ from what the output holds,
    /// writes it to the staging folder.
    pub fn stage(&self, file: Output) -> Result<Staged, IoError> {
        let Some(dir) = &self.dir else {
            return Ok(Staged::kept(file.path, String::new(), 0));
        };
        if let Body::Processed(processed) = &file.body {
            // Its hash is known: an unchanged image is not even read.
            let target = self.output.join(&file.path);
            let unchanged = self.previous.get(&file.path) == Some(&processed.hash)
                && fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == processed.size);
            let staged = if unchanged {
                None
            } else {
                let name = self.next_name.fetch_add(1, Ordering::Relaxed);
                let path = dir.join(name.to_string());
                fs::copy(&processed.path, &path).map_err(io("cannot copy", &processed.path))?;
                Some(path)
            };
            return Ok(Staged {
                path: file.path,
                hash: processed.hash.clone(),
                size: processed.size,
                staged,
            });
        }
        let bytes = bytes_of(&file)?;
        let size = bytes.len() as u64;
        let hash = blake3::hash(&bytes).to_hex().to_string();
        let target = self.output.join(&file.path);
        let unchanged = self.previous.get(&file.path) == Some(&hash)
            && fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        let staged = if unchanged {
            None
        } else {
            let name = self.next_name.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(name.to_string());
            fs::write(&path, &bytes).map_err(io("cannot write", &path))?;
            Some(path)
        };
        Ok(Staged {
            path: file.path,
            hash,
            size,
            staged,
        })
    }

    /// Puts the staged files in place, one atomic rename each, and removes the files an
    /// earlier build wrote that this one does not.
    pub fn commit(self, files: &[Staged]) -> Result<Report, IoError> {
        let output = &self.output;
        let next: BTreeMap<String, String> = files
            .iter()
            .map(|f| (f.path.clone(), f.hash.clone()))
            .collect();
        // The manifest announces the new files before they land, so a build killed during
        // the renames leaves nothing the next build cannot clean up. Until its rename is
        // done, a file being replaced may hold either version: its hash is recorded as
        // unknown, so the next build rewrites it rather than trust a hash that an old file
        // of the same length would pass.
        let mut during = self.previous.clone();
        for file in files {
            let hash = match file.staged {
                Some(_) => REPLACING,
                None => &file.hash,
            };
            during.insert(file.path.clone(), hash.to_string());
        }
        write_manifest(output, &during)?;
        let written = files
            .par_iter()
            .filter_map(|f| Some((f, f.staged.as_ref()?)))
            .map(|(f, staged)| {
                let target = output.join(&f.path);
                let dir = target.parent().unwrap_or(output);
                fs::create_dir_all(dir).map_err(io("cannot create", dir))?;
                fs::rename(staged, &target).map_err(io("cannot replace", &target))
            })
            .collect::<Result<Vec<()>, IoError>>()?
            .len();
        let mut removed = 0;
        for path in self.previous.keys().filter(|p| !next.contains_key(*p)) {
            let target = output.join(path);
            match fs::remove_file(&target) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("cannot remove", &target)(e)),
            }
            prune_empty_parents(output, &target);
        }
        write_manifest(output, &next)?;
        Ok(Report {
            written,
            unchanged: files.len() - written,
            removed,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = fs::remove_dir_all(dir);
            if self.made_output {
                let _ = fs::remove_dir(&self.output);
            }
        }
    }
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
                crate::source::Data::Embedded(_) => PathBuf::from(&output.path),
            },
            source,
        }),
    }
}

/// Writes `bytes` to a temporary file beside `target`, then renames it into place: for the
/// manifest, which is written outside the staging.
fn replace(target: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io("cannot create", dir))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
    let mut file = fs::File::create(&temp).map_err(io("cannot create", &temp))?;
    file.write_all(bytes).map_err(io("cannot write", &temp))?;
    drop(file);
    fs::rename(&temp, target).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io("cannot replace", target)(e)
    })
}

/// Removes the staging folder and temporary files a killed build may have left. Since
/// files are staged in one folder, only the manifest's own temporary file can sit elsewhere,
/// beside it at the top of the output.
fn remove_leftovers(output: &Path, staging: &Path) -> Result<(), IoError> {
    match fs::remove_dir_all(staging) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io("cannot remove", staging)(e)),
    }
    for entry in fs::read_dir(output).map_err(io("cannot read", output))? {
        let entry = entry.map_err(io("cannot read", output))?;
        if entry.file_name().to_string_lossy().ends_with(TEMP_SUFFIX) {
            let path = entry.path();
            fs::remove_file(&path).map_err(io("cannot remove", &path))?;
        }
    }
    Ok(())
}

fn prune_empty_parents(output: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == output || !d.starts_with(output) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// The manifest in `output`: output path -> hash of the bytes written there.
fn read_manifest(output: &Path) -> BTreeMap<String, String> {
    let Ok(text) = fs::read_to_string(output.join(MANIFEST)) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, path)| is_safe_relative(path))
        .map(|(hash, path)| (path.to_string(), hash.to_string()))
        .collect()
}

fn write_manifest(output: &Path, files: &BTreeMap<String, String>) -> Result<(), IoError> {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for (path, hash) in files {
        text.push_str(&format!("{hash}\t{path}\n"));
    }
    let path = output.join(MANIFEST);
    if fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    replace(&path, text.as_bytes())
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
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_stay_inside() {
        assert!(is_safe_relative("faq/pain/index.html"));
        for bad in [
            "../x",
            "a/..",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "",
            "a\\b",
            "a\0b",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
