//! Planning the output: every path a build will write in, the findings that stop it before
//! anything is written out (`build`), or that `check` reports.
//!
//! A path can be taken only once, cannot be both a file and a folder (an alias `/robots.txt/`
//! needs a folder where the crawler file goes), and cannot differ from another only in capital
//! letters (`Tips/` and `tips/` are one folder on a Mac, on Windows and on many hosts, so one
//! would overwrite the other). Each part of a path must fit the system's limits. Each finding
//! names the source of both paths, with its line where known. (What is already on disk in
//! the way is `write`'s to check.)

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::site::{Site, content_path};

/// The longest name of one file or folder most systems allow, in bytes (`NAME_MAX`).
pub const NAME_MAX: usize = 255;
/// The longest whole path Linux allows, in bytes (`PATH_MAX`, counting the final NUL).
pub const PATH_MAX: usize = 4096;

/// Where an output path comes from, for messages.
#[derive(Debug, Clone)]
struct Origin {
    /// The source file and line, when there is one.
    file: Option<(PathBuf, usize)>,
    what: String,
}

/// Every problem with the set of output `paths` the build of `site` into `output` makes.
pub fn check(site: &Site, paths: &[&str], output: &Path) -> Vec<Diagnostic> {
    // Where each path comes from is only needed for a finding.
    let origins = std::cell::OnceCell::new();
    let origin = |path: &str| {
        let origins = origins.get_or_init(|| origins_of(site));
        origins.get(path).cloned().unwrap_or_else(|| Origin {
            file: None,
            what: format!("`{path}`, a file clinicsite or the theme makes"),
        })
    };
    let mut findings = Vec::new();
    let files: HashSet<&str> = paths.iter().copied().collect();
    // Every folder, with the first file that needs it.
    let mut folders: BTreeMap<&str, &str> = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut spellings: HashMap<String, &str> = HashMap::new();
    let mut case_pairs = HashSet::new();
    let full_output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    for &path in paths {
        if !seen.insert(path) {
            findings.push(collision(
                Code::OutputDuplicate,
                &origin(path),
                &origin(path),
                &format!("two files of the site would be written to `{path}`"),
                "rename one of the two",
            ));
            continue;
        }
        findings.extend(too_long(path, output, &full_output, &origin));
        for (end, _) in path.match_indices('/') {
            folders.entry(&path[..end]).or_insert(path);
        }
        for prefix in prefixes(path) {
            let spelled = *spellings.entry(prefix.to_lowercase()).or_insert(prefix);
            let differs_here = spelled != prefix && parent(spelled) == parent(prefix);
            if differs_here && case_pairs.insert((spelled.to_string(), prefix.to_string())) {
                // The same path in the other spelling when there is one, else any path in it.
                let lower = path.to_lowercase();
                let first = paths
                    .iter()
                    .find(|p| **p != path && p.to_lowercase() == lower)
                    .or_else(|| {
                        let folder = format!("{spelled}/");
                        paths
                            .iter()
                            .find(|p| **p == spelled || p.starts_with(&folder))
                    })
                    .unwrap_or(&path);
                findings.push(collision(
                    Code::OutputCase,
                    &origin(path),
                    &origin(first),
                    &format!(
                        "`{prefix}` and `{spelled}` differ only in capital letters: on a Mac, on Windows and on many web hosts they are one name, and one would overwrite the other"
                    ),
                    "spell both the same way (all lower case is safest)",
                ));
            }
        }
    }
    for (folder, user) in &folders {
        if files.contains(folder) {
            findings.push(collision(
                Code::OutputFileAndFolder,
                &origin(user),
                &origin(folder),
                &format!(
                    "`{user}` needs `{folder}` to be a folder, but `{folder}` is also written as a file"
                ),
                "rename one of the two: one name cannot be a file and a folder at once (names clinicsite uses for its own files, like robots.txt, sitemap.xml, _redirects, favicon.svg and 404.html, cannot be folders or old addresses)",
            ));
        }
    }
    findings
}

/// `a`, `a/b`, `a/b/c.html` for `a/b/c.html`.
fn prefixes(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/')
        .map(|(end, _)| &path[..end])
        .chain(std::iter::once(path))
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// A part longer than `NAME_MAX`, or a whole path (inside `output`, which is `full_output`
/// made absolute) longer than `PATH_MAX`.
fn too_long(
    path: &str,
    output: &Path,
    full_output: &Path,
    origin: &dyn Fn(&str) -> Origin,
) -> Option<Diagnostic> {
    let long_part = path.split('/').find(|part| part.len() > NAME_MAX);
    // Making the path absolute can only drop parts of it: well short of the limit, the
    // lengths alone tell.
    if long_part.is_none() && full_output.as_os_str().len() + 1 + path.len() < PATH_MAX {
        return None;
    }
    // What the system measures is the path as the build hands it over: made absolute.
    let joined = output.join(path);
    let full = std::path::absolute(&joined)
        .unwrap_or(joined)
        .as_os_str()
        .len();
    let why = match long_part {
        Some(part) => format!(
            "the output path `{path}` has a name {} bytes long; systems allow at most {NAME_MAX}",
            part.len()
        ),
        None if full >= PATH_MAX => format!(
            "the output path `{}` is {full} bytes long; the system allows at most {}",
            display_path(&output.join(path)),
            PATH_MAX - 1
        ),
        None => return None,
    };
    let origin = origin(path);
    let mut finding = located(
        Diagnostic::new(Code::OutputTooLong, PathBuf::from(path), why),
        &origin,
    );
    finding = finding.help("use a shorter file name, folder name or slug");
    Some(finding)
}

/// A finding about `first` clashing with `second`, placed at `first`'s source (or
/// `second`'s, when `first` has none), naming both.
fn collision(code: Code, first: &Origin, second: &Origin, why: &str, help: &str) -> Diagnostic {
    let (here, there) = if first.file.is_some() || second.file.is_none() {
        (first, second)
    } else {
        (second, first)
    };
    let message = if here.what == there.what {
        format!("{why} ({})", here.what)
    } else {
        format!("{why} ({}; {})", here.what, there.what)
    };
    let fallback = PathBuf::from("site.yaml");
    located(Diagnostic::new(code, fallback, message), here).help(help)
}

/// `finding` placed at `origin`'s file, and at its line when it has one (a copied file,
/// often an image, has none worth quoting).
fn located(mut finding: Diagnostic, origin: &Origin) -> Diagnostic {
    if let Some((file, line)) = &origin.file {
        finding.file = file.clone();
        if *line > 0 {
            finding = finding.at(*line, 1);
        }
    }
    finding
}

/// The source of every output path the content makes: pages, the pages at old addresses
/// (aliases) and copied files.
fn origins_of(site: &Site) -> HashMap<String, Origin> {
    let mut origins = HashMap::new();
    let commons = site
        .sections
        .iter()
        .map(|s| &s.common)
        .chain(site.pages.iter().map(|p| &p.common));
    for common in commons {
        let file = content_path(&common.source);
        let shown = display_path(&file);
        origins.insert(
            format!("{}index.html", common.path),
            Origin {
                file: Some((file.clone(), 1)),
                what: format!("the page from {shown}"),
            },
        );
        for (alias, line) in &common.alias_lines {
            let Some(path) = alias_file(alias) else {
                continue;
            };
            origins.insert(
                path,
                Origin {
                    file: Some((file.clone(), *line)),
                    what: format!("the old address `{alias}` in {shown}, line {line}"),
                },
            );
        }
    }
    for (asset, path) in &site.assets {
        let file = content_path(&asset.rel);
        let what = format!("the file {}", display_path(&file));
        origins.insert(
            path.clone(),
            Origin {
                file: Some((file, 0)),
                what,
            },
        );
    }
    origins
}

/// The file an alias becomes (as `seo::redirects` writes it).
fn alias_file(alias: &str) -> Option<String> {
    let parts: Vec<&str> = alias.split('/').filter(|p| !p.is_empty()).collect();
    let joined = parts.join("/");
    match joined.as_str() {
        "" => None,
        j if j.ends_with(".html") => Some(joined),
        _ => Some(format!("{joined}/index.html")),
    }
}
