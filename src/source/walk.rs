//! The walk over a folder of the site: a folder in (`content/`, or one of the theme's), its
//! files out, sorted, each with its path relative to the folder, and a finding for each entry
//! that cannot be read or must not be published.
//!
//! The folder's own entries are listed on this thread; the folders among them are walked side
//! by side (the walk of `content/` is the first thing a build does, with nothing beside it),
//! and their files joined in the order one walk of the whole folder would give. A folder that
//! is a link, or whose entries cannot all be listed, is walked in one piece.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::{DirEntry, WalkDir};

use super::{check_link, is_ignored, misplaced, relative, relative_below};
use crate::diagnostics::{Code, Diagnostic};

/// What one entry of the walk gives: a file to read, a finding, or nothing (a folder).
type Visited = Option<Result<(PathBuf, String), Diagnostic>>;

/// Files below `dir`, sorted, as (absolute path, path relative to `dir` with `/`).
/// Hidden files and editor leftovers are skipped. Symbolic links are followed only to files
/// inside `boundary` (`content/`, or the theme's folder) that are not hidden and not in a
/// hidden folder: a link to `../../.git/config` or `.env` would publish a password.
pub(super) fn walk(
    root: &Path,
    dir: &Path,
    boundary: &Path,
    findings: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    let folder = relative(root, boundary);
    let boundary = boundary
        .canonicalize()
        .unwrap_or_else(|_| boundary.to_path_buf());
    let visit = |entry: walkdir::Result<DirEntry>| -> Visited {
        visit(root, dir, (&boundary, &folder), entry)
    };
    let visited: Vec<Visited> = match top(dir) {
        // Each entry of the folder on its own, the folders among them side by side.
        Some(top) => top
            .into_par_iter()
            .map(|(path, is_folder)| -> Vec<Visited> {
                if is_folder {
                    // The folder itself was listed: only what is below it.
                    let below = listed(&path).min_depth(1).into_iter();
                    below.filter_entry(not_ignored).map(visit).collect()
                } else {
                    // The entry alone, a link not followed, as the walk of the whole folder
                    // would give it.
                    let alone = listed(&path).max_depth(0).follow_root_links(false);
                    alone.into_iter().map(visit).collect()
                }
            })
            .flatten_iter()
            .collect(),
        // A folder that is a link, or cannot be listed: one walk, which reports it.
        None => whole(dir, &visit),
    };
    for visited in visited.into_iter().flatten() {
        match visited {
            Ok(file) => files.push(file),
            Err(finding) => findings.push(finding),
        }
    }
    files
}

/// One walk of the whole of `dir`, every entry visited in turn.
fn whole(dir: &Path, visit: &dyn Fn(walkdir::Result<DirEntry>) -> Visited) -> Vec<Visited> {
    listed(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || not_ignored(e))
        .map(visit)
        .collect()
}

/// The entries of `dir` that are not skipped, in the order of their names, each with
/// whether it is a folder (not a link to one); `None` when `dir` is a link or an entry
/// cannot be read.
fn top(dir: &Path) -> Option<Vec<(PathBuf, bool)>> {
    if std::fs::symlink_metadata(dir)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let mut top = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let is_folder = entry.file_type().ok()?.is_dir();
        top.push((entry.file_name(), is_folder));
    }
    top.sort_by(|a, b| a.0.cmp(&b.0));
    top.retain(|(name, _)| !is_ignored(&name.to_string_lossy()));
    Some(
        top.into_iter()
            .map(|(name, is_folder)| (dir.join(name), is_folder))
            .collect(),
    )
}

fn not_ignored(entry: &DirEntry) -> bool {
    !is_ignored(&entry.file_name().to_string_lossy())
}

/// A walk of `dir` in the order of its names.
fn listed(dir: &Path) -> WalkDir {
    WalkDir::new(dir).sort_by_file_name()
}

/// One entry of the walk below `dir`.
fn visit(
    root: &Path,
    dir: &Path,
    (boundary, folder): (&Path, &Path),
    entry: walkdir::Result<DirEntry>,
) -> Visited {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let path = error.path().map(|p| relative(root, p)).unwrap_or_default();
            return Some(Err(Diagnostic::new(
                Code::SourceUnreadable,
                path,
                format!("cannot read this folder: {error}"),
            )));
        }
    };
    if entry.path_is_symlink() {
        if let Err(finding) = check_link(root, entry.path(), (boundary, folder)) {
            return Some(Err(finding));
        }
    } else if !entry.file_type().is_file() {
        return None;
    }
    let rel = relative_below(entry.path(), dir);
    if let Some(finding) = misplaced(&rel) {
        return Some(Err(finding));
    }
    Some(Ok((entry.into_path(), rel)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk gives what one walk of the whole folder gives, in its order: files at the
    /// top and below, hidden files and folders and editor leftovers skipped, a link inside
    /// the folder followed, one to a hidden file refused, a folder left unreadable reported.
    #[test]
    fn the_walk_side_by_side_is_the_walk_in_one_piece() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content");
        for file in [
            "_index.md",
            "a.md",
            ".hidden.md",
            "z.md~",
            "b/x.md",
            "b/c/y.md",
            "b/.git/config",
            "b/c/d/e.png",
            "m/q.md",
            ".drafts/w.md",
            "n.md",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\ntitle: A\n---\n").unwrap();
        }
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::{PermissionsExt, symlink};
            symlink(dir.join("a.md"), dir.join("link.md")).unwrap();
            symlink(dir.join("b/.git/config"), dir.join("m/secret.md")).unwrap();
            symlink(dir.join("b"), dir.join("folder-link")).unwrap();
            let locked = dir.join("m/locked");
            std::fs::create_dir_all(&locked).unwrap();
            std::fs::write(locked.join("r.md"), "").unwrap();
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
        let mut findings = Vec::new();
        let files = walk(root.path(), &dir, &dir, &mut findings);
        let boundary = dir.canonicalize().unwrap();
        let folder = relative(root.path(), &dir);
        let visit = |entry| visit(root.path(), &dir, (&boundary, &folder), entry);
        let (mut one_files, mut one_findings) = (Vec::new(), Vec::new());
        for visited in whole(&dir, &visit).into_iter().flatten() {
            match visited {
                Ok(file) => one_files.push(file),
                Err(finding) => one_findings.push(finding),
            }
        }
        #[cfg(unix)]
        std::fs::set_permissions(
            dir.join("m/locked"),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let rels: Vec<&str> = files.iter().map(|(_, rel)| rel.as_str()).collect();
        assert!(rels.starts_with(&["_index.md", "a.md", "b/c/d/e.png", "b/c/y.md", "b/x.md"]));
        assert!(
            !rels
                .iter()
                .any(|rel| rel.contains("git") || rel.contains("hidden"))
        );
        assert_eq!(files, one_files);
        let shown = |findings: &[Diagnostic]| {
            findings
                .iter()
                .map(|f| format!("{f:?}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(&findings), shown(&one_findings));
        #[cfg(unix)]
        assert!(!findings.is_empty(), "the link to a hidden file is refused");
    }
}
