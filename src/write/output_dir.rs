//! Which folders a build may write into: the output folder asked for in, a refusal (with
//! what to do instead) out when it would put the user's files at risk.

use std::fs;
use std::path::{Path, PathBuf};

use super::{MARKER, absolute, record};
use crate::diagnostics::{Code, Diagnostic, display_path};

/// Refuses output folders that would put the user's files at risk: the site root, any
/// folder holding `content/`, a folder inside `content/` or `themes/`, `/`, the home folder,
/// the system's folders (even with `force`), and (without `force`) a non-empty folder this tool never wrote to. Dotfiles such as `.git`
/// or `.gitignore` do not make a folder count as used.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<(), Diagnostic> {
    let shown = display_path(output);
    let refuse =
        |why: String, help: &str| Diagnostic::new(Code::OutputRefused, output, why).help(help);
    let root = absolute(root);
    let target = absolute(output);
    let home = std::env::var_os("HOME").map(|h| absolute(Path::new(&h)));
    if is_system_folder(&target) {
        return Err(refuse(
            format!("`{shown}` is a folder of the computer's system"),
            "use a folder of its own, like `public`",
        ));
    }
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
    let ours = target.join(MARKER).is_file()
        || target.join(record::OLD_MANIFEST).is_file()
        || record::folder(&root, &target)
            .join(record::MANIFEST)
            .is_file();
    if force || ours || !target.exists() {
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

/// The system's own folders, refused even with `--force`: the folders themselves, and
/// anything inside those that hold only the system's files. (`/var/www` and
/// `/usr/share/nginx/html` are real places to publish a site, so only `/var` and
/// `/usr/share` themselves are refused.)
pub(super) fn is_system_folder(target: &Path) -> bool {
    const EXACT: [&str; 6] = ["/usr", "/usr/share", "/usr/local", "/var", "/lib64", "/opt"];
    const WHOLE: [&str; 11] = [
        "/etc",
        "/bin",
        "/sbin",
        "/lib",
        "/boot",
        "/proc",
        "/sys",
        "/dev",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
    ];
    // `/dev/shm` is the RAM disk people (and benches/build.sh) build into for speed.
    if target.starts_with("/dev/shm") {
        return false;
    }
    // `/bin` is often a link to `/usr/bin`, and `target` is already free of links.
    let both = |folder: &str| {
        let raw = PathBuf::from(folder);
        let resolved = raw.canonicalize().unwrap_or_else(|_| raw.clone());
        [raw, resolved]
    };
    EXACT.iter().flat_map(|f| both(f)).any(|f| target == f)
        || WHOLE
            .iter()
            .flat_map(|f| both(f))
            .any(|f| target.starts_with(f))
}
