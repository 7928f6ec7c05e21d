//! What is in the output folder in the way of a build: the paths it writes in, findings about
//! links, files and folders on disk that would stop it (or make it write elsewhere) out.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

/// What the output folder holds at the paths the checks ask about, each path looked at once:
/// the same folders lie on the way to many files, and nothing lies below a missing folder
/// (a clean build asks about thousands of paths in folders not made yet).
pub(super) struct Disk<'o> {
    output: &'o Path,
    known: HashMap<String, Kind>,
}

/// What is at a path, its last part not followed when it is a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Missing,
    Link,
    Folder,
    File,
    Other,
}

impl<'o> Disk<'o> {
    pub(super) fn new(output: &'o Path) -> Self {
        Disk {
            output,
            known: HashMap::new(),
        }
    }

    /// What is at `rel` (`/`-separated, inside the output).
    fn kind(&mut self, rel: &str) -> Kind {
        if let Some(&kind) = self.known.get(rel) {
            return kind;
        }
        let below_missing = rel
            .match_indices('/')
            .map(|(end, _)| &rel[..end])
            .any(|folder| self.known.get(folder) == Some(&Kind::Missing));
        let kind = if below_missing {
            Kind::Missing
        } else {
            match fs::symlink_metadata(self.output.join(rel)) {
                Err(_) => Kind::Missing,
                Ok(meta) if meta.file_type().is_symlink() => Kind::Link,
                Ok(meta) if meta.is_dir() => Kind::Folder,
                Ok(meta) if meta.is_file() => Kind::File,
                Ok(_) => Kind::Other,
            }
        };
        self.known.insert(rel.to_string(), kind);
        kind
    }

    /// Whether a file is at `rel`, a link followed (`Path::is_file`).
    pub(super) fn is_file(&mut self, rel: &str) -> bool {
        match self.kind(rel) {
            Kind::File => true,
            Kind::Link => self.output.join(rel).is_file(),
            Kind::Missing | Kind::Folder | Kind::Other => false,
        }
    }
}

/// Folders inside `output` that are symbolic links and lie on the way to one of `paths`:
/// writing or removing through them would touch files outside the output folder.
pub(super) fn links<'p>(disk: &mut Disk, paths: impl Iterator<Item = &'p str>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut findings = Vec::new();
    for path in paths {
        for (end, _) in path.match_indices('/') {
            let folder = &path[..end];
            if !seen.insert(folder) {
                continue;
            }
            match disk.kind(folder) {
                Kind::Link => {
                    let on_disk = disk.output.join(folder);
                    let target = fs::read_link(&on_disk).unwrap_or_default();
                    findings.push(
                        Diagnostic::new(
                            Code::OutputLink,
                            &on_disk,
                            format!(
                                "this folder is a link to {}: the build would write outside the output folder through it",
                                target.display()
                            ),
                        )
                        .help("remove the link; the build makes the folder itself"),
                    );
                    break;
                }
                // Nothing further down exists either.
                Kind::Missing => break,
                Kind::Folder | Kind::File | Kind::Other => {}
            }
        }
    }
    findings
}

/// What is on disk in the way of `paths` in `output`: a file where a folder must go, or a
/// folder where a file must go, unless it is only what an earlier build wrote there (listed
/// in `previous` and not `wanted`: no longer made), which the commit removes first.
pub(super) fn on_disk<'p>(
    disk: &mut Disk,
    previous: &BTreeMap<String, String>,
    wanted: &HashSet<&str>,
    paths: impl Iterator<Item = &'p str>,
) -> Vec<Diagnostic> {
    let output = disk.output;
    let paths: Vec<&str> = paths.collect();
    let stale = |p: &str| previous.contains_key(p) && !wanted.contains(p);
    let mut findings = Vec::new();
    let mut folders = HashSet::new();
    for path in &paths {
        for (end, _) in path.match_indices('/') {
            let folder = &path[..end];
            if !folders.insert(folder) {
                continue;
            }
            let kind = disk.kind(folder);
            if kind == Kind::Missing {
                break;
            }
            if kind == Kind::File && !previous.contains_key(folder) && !wanted.contains(folder) {
                findings.push(
                    Diagnostic::new(
                        Code::OutputFileInTheWay,
                        output.join(folder),
                        format!("this is a file, but the build needs a folder here for `{path}`"),
                    )
                    .help("move the file away; clinicsite did not write it"),
                );
                break;
            }
        }
        let target = output.join(path);
        if disk.kind(path) == Kind::Folder && !only_stale_files(output, &target, &stale) {
            findings.push(
                Diagnostic::new(
                    Code::OutputFolderInTheWay,
                    &target,
                    format!("this is a folder, but the build writes the file `{path}` here"),
                )
                .help("move the folder away; it holds files clinicsite did not write"),
            );
        }
    }
    findings
}

/// Whether the folder `dir` holds nothing but files an earlier build wrote that this one does
/// not make (and empty folders).
fn only_stale_files(output: &Path, dir: &Path, stale: &dyn Fn(&str) -> bool) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().all(|entry| {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => only_stale_files(output, &path, stale),
            Ok(t) if t.is_file() => path
                .strip_prefix(output)
                .ok()
                .and_then(Path::to_str)
                .is_some_and(stale),
            _ => false,
        }
    })
}
