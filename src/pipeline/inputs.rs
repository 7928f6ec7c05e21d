//! What the last build read, for `build` to skip what it need not do again: the fingerprint
//! of this build's inputs (the settings, `site.yaml`, the content and theme files' stamps),
//! the markdown files' stamps the read record trusts, and the last build's outcome when this
//! one would only repeat it (see `build_inputs`).

use std::path::{Path, PathBuf};

use super::BuildOptions;
use crate::build_inputs;
use crate::config::Config;
use crate::source;
use crate::write;

/// The fingerprint of everything this build reads (see `build_inputs`).
pub(super) fn fingerprint_inputs(
    options: &BuildOptions,
    config: &Config,
    site_yaml: &str,
    content: &[(PathBuf, String)],
    chain: &[source::ThemeFiles],
    today: crate::frontmatter::Date,
) -> build_inputs::Inputs {
    // Files site.yaml names outside content/ and the theme: the brand's logo.
    let logo = config
        .brand
        .as_ref()
        .and_then(|brand| brand.logo.as_ref())
        .map(|logo| match std::fs::read(options.root.join(&logo.path)) {
            Ok(bytes) => blake3::hash(&bytes).to_hex().to_string(),
            Err(_) => String::new(),
        });
    let settings = format!(
        "drafts {} base_url {:?} force {} today {today:?} logo {logo:?}",
        options.drafts, options.base_url, options.force
    );
    build_inputs::fingerprint(site_yaml, &settings, content, chain)
}

/// The stamp of each markdown file in `listed` (full path, path relative to `content/`), by
/// its relative path, as `inputs` took them.
pub(super) fn markdown_stamps(
    listed: &[(PathBuf, String)],
    inputs: &build_inputs::Inputs,
) -> rustc_hash::FxHashMap<String, crate::write::stamp::Stamp> {
    listed
        .iter()
        .zip(&inputs.stamps)
        .filter(|((_, rel), _)| rel.ends_with(".md"))
        .filter_map(|((_, rel), stamp)| Some((rel.clone(), (*stamp)?)))
        .collect()
}

/// The last build's outcome when this one would only repeat it (see `build_inputs`),
/// checked with the output locked, so no other build is writing it meanwhile.
pub(super) fn unchanged(
    records: &Path,
    output: &Path,
    inputs: &build_inputs::Inputs,
) -> Option<build_inputs::Outcome> {
    if !output.join(write::MARKER).is_file() || !records.join(build_inputs::FILE).is_file() {
        return None;
    }
    let _lock = write::record::lock(output).ok()?;
    // A build killed after recording its inputs, while it removed its staging folder, leaves
    // that folder behind: only a build that runs removes it.
    if write::has_leftovers(output) {
        return None;
    }
    build_inputs::unchanged(records, output, inputs)
}
