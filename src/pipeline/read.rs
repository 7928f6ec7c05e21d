//! The read stage: `site.yaml` and `content/` of a site folder in, its settings (with the
//! text findings point into) and its files out.

use std::path::Path;

use super::made;
use crate::config::{self, Config};
use crate::diagnostics::{self, Code, Diagnostic};
use crate::source;

/// `site.yaml`'s settings, and its text (the build cache's key holds it).
pub fn read_config(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(Config, String), Vec<Diagnostic>> {
    let path = root.join(config::FILE);
    let bytes = std::fs::read(&path).map_err(|error| {
        vec![
            Diagnostic::new(
                Code::ConfigMissing,
                config::FILE,
                format!(
                    "cannot read site.yaml in `{}`: {error}",
                    diagnostics::display_path(root)
                ),
            )
            .help(missing_config_help(root)),
        ]
    })?;
    let text = source::decode(bytes, Path::new(config::FILE)).map_err(|d| vec![d])?;
    let config = config::parse(&text, base_url).map_err(|mut errors| {
        errors.extend(made::brand_findings_beside(root, &text));
        errors
    })?;
    Ok((config, text))
}

/// What to do when `root` has no site.yaml: go into the folder below that has one (staff
/// often run a command in the folder that holds their site), or the general advice.
fn missing_config_help(root: &Path) -> String {
    let mut sites: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join(config::FILE).is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    sites.sort_unstable();
    match sites.as_slice() {
        [] => "run clinicsite in the site's folder (the one with site.yaml), pass `--root FOLDER`, or start a new site with `clinicsite init FOLDER`".into(),
        [one] => format!(
            "the site is in the folder {one}: run `cd {}` first, then this command again",
            diagnostics::shell_word(one)
        ),
        several => format!(
            "these folders hold a site: {}; go into one with `cd FOLDER` first, then run this command again",
            several.join(", ")
        ),
    }
}

/// A site's settings and content as read from disk, for `inspect`.
#[derive(Debug)]
pub struct SiteFiles {
    pub config: Config,
    /// The text of `site.yaml`, which findings about it point into.
    pub site_yaml: String,
    pub content: source::Content,
    /// Files that could not be read.
    pub findings: Vec<Diagnostic>,
}

/// Reads `site.yaml` and `content/` of the site at `root`.
pub fn read_site_files(root: &Path) -> Result<SiteFiles, Vec<Diagnostic>> {
    read_site_files_at(root, None)
}

/// `read_site_files`, with `--base-url` in place of site.yaml's `base_url`.
pub fn read_site_files_at(
    root: &Path,
    base_url: Option<&str>,
) -> Result<SiteFiles, Vec<Diagnostic>> {
    let (config, site_yaml) = read_config(root, base_url)?;
    let (content, findings) = source::read_content(root);
    Ok(SiteFiles {
        config,
        site_yaml,
        content,
        findings,
    })
}
