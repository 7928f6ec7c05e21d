//! Writing the output folder: the finished site's files in, `public/` updated out.
//!
//! The guarantees users rely on live here. The output folder is checked before anything is
//! built. Each file is replaced by an atomic rename, and only when its bytes changed. A
//! manifest (`.clinicsite-manifest`) records what this tool wrote, so files an earlier build
//! wrote and this one does not are removed, while files the tool never wrote are left alone.
//! The manifest lists the union of old and new files while renames are under way, so a build
//! killed half-way leaves nothing the next build cannot clean up.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, display_path};
use crate::render::{Body, Output};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = ".clinicsite-manifest";
const MANIFEST_HEADER: &str = "# files written by clinicsite; do not edit";
/// Suffix of files being written; any left by a killed build are removed by the next one.
const TEMP_SUFFIX: &str = ".clinicsite-tmp";

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

/// Files in the way of the build: present in `output`, not written by this tool, and at a
/// path the build wants. Checked before anything is written.
pub fn foreign_in_the_way(output: &Path, outputs: &[Output], force: bool) -> Vec<Diagnostic> {
    if force {
        return Vec::new();
    }
    let previous = read_manifest(output);
    outputs
        .iter()
        .filter(|o| !previous.contains_key(&o.path) && output.join(&o.path).exists())
        .map(|o| {
            Diagnostic::error(
                "output/foreign-file",
                output.join(&o.path),
                "clinicsite did not write this file, and the build needs its place",
            )
            .help("move the file away, or pass `--force` to replace it")
        })
        .collect()
}

/// Writes the site into `output` (which `check_output_dir` accepted).
pub fn write(output: &Path, outputs: &[Output]) -> Result<Report, IoError> {
    fs::create_dir_all(output).map_err(io("cannot create", output))?;
    remove_leftover_temp_files(output)?;
    let previous = read_manifest(output);

    // Hash everything first so the manifest can announce the new files before they land.
    let hashed: Vec<(&Output, String, bool)> = outputs
        .par_iter()
        .map(|o| {
            let bytes = bytes_of(o)?;
            let hash = blake3::hash(&bytes).to_hex().to_string();
            let target = output.join(&o.path);
            let unchanged = previous.get(&o.path) == Some(&hash)
                && fs::metadata(&target)
                    .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
            Ok((o, hash, unchanged))
        })
        .collect::<Result<_, IoError>>()?;
    let next: BTreeMap<String, String> = hashed
        .iter()
        .map(|(o, h, _)| (o.path.clone(), h.clone()))
        .collect();
    let mut during = previous.clone();
    during.extend(next.clone());
    write_manifest(output, &during)?;

    let written = hashed
        .par_iter()
        .filter(|(_, _, unchanged)| !unchanged)
        .map(|(o, _, _)| replace(&output.join(&o.path), &bytes_of(o)?))
        .collect::<Result<Vec<()>, IoError>>()?
        .len();

    let stale: BTreeSet<&String> = previous.keys().filter(|p| !next.contains_key(*p)).collect();
    let mut removed = 0;
    for path in &stale {
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
        unchanged: outputs.len() - written,
        removed,
    })
}

fn bytes_of(output: &Output) -> Result<std::borrow::Cow<'_, [u8]>, IoError> {
    match &output.body {
        Body::Text(text) => Ok(text.as_bytes().into()),
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

/// Writes `bytes` to a temporary file beside `target`, then renames it into place.
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

fn remove_leftover_temp_files(output: &Path) -> Result<(), IoError> {
    let walker = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git");
    for entry in walker.filter_map(Result::ok) {
        if entry.file_type().is_file() && entry.file_name().to_string_lossy().ends_with(TEMP_SUFFIX)
        {
            fs::remove_file(entry.path()).map_err(io("cannot remove", entry.path()))?;
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

/// A manifest line may only name a file inside the output folder.
fn is_safe_relative(path: &str) -> bool {
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
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "", "a\\b"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
