//! What is in the output folder in the way of a build: the paths it writes in, findings about
//! links, files and folders on disk that would stop it (or make it write elsewhere) out.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

/// Folders inside `output` that are symbolic links and lie on the way to one of `paths`:
/// writing or removing through them would touch files outside the output folder.
pub(super) fn links<'p>(output: &Path, paths: impl Iterator<Item = &'p str>) -> Vec<Diagnostic> {
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
                        Diagnostic::new(
                            Code::OutputLink,
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

/// What is on disk in the way of `paths` in `output`: a file where a folder must go, or a
/// folder where a file must go, unless it is only what an earlier build wrote there (listed
/// in `previous` and not `wanted`: no longer made), which the commit removes first.
pub(super) fn on_disk<'p>(
    output: &Path,
    previous: &BTreeMap<String, String>,
    wanted: &HashSet<&str>,
    paths: impl Iterator<Item = &'p str>,
) -> Vec<Diagnostic> {
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
            let on_disk = output.join(folder);
            let Ok(meta) = fs::symlink_metadata(&on_disk) else {
                break;
            };
            if meta.is_file() && !previous.contains_key(folder) && !wanted.contains(folder) {
                findings.push(
                    Diagnostic::new(
                        Code::OutputFileInTheWay,
                        &on_disk,
                        format!("this is a file, but the build needs a folder here for `{path}`"),
                    )
                    .help("move the file away; clinicsite did not write it"),
                );
                break;
            }
        }
        let target = output.join(path);
        if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir())
            && !only_stale_files(output, &target, &stale)
        {
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
