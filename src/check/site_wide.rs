//! The rules that look at more than one page, run once the pass is done: links written in
//! HTML (against every published file), duplicates, translations and orphans.

use std::collections::HashSet;

use rayon::prelude::*;

use super::page::PageInput;
use super::{content_rules, links};
use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// What the rules about the whole site need.
pub(super) struct SiteContext<'c> {
    pub config: &'c Config,
    pub site: &'c crate::site::Site<'c>,
    pub placed: &'c crate::site::Placed<'c>,
    /// The rendered files, when the theme could be loaded.
    pub outputs: Option<&'c [links::Published]>,
}

/// Rules that look at more than one page: HTML links (they need every published file),
/// duplicates, translations and orphans.
pub(super) fn site_rules(pages: &[PageInput], context: &SiteContext) -> Vec<Diagnostic> {
    let base_path = context.config.base_path();
    let files = output_files(context.site, context.outputs);
    let mut findings: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|page| links::check(page, &files, &base_path))
        .collect();
    findings.extend(content_rules::duplicates(pages));
    findings.extend(crate::translation::findings(context.site));
    if let Some(outputs) = context.outputs {
        findings.extend(links::orphans(context.placed, outputs));
    }
    findings
}

/// Every file the site would publish, for checking links written in HTML.
pub(super) fn output_files(
    site: &crate::site::Site,
    outputs: Option<&[links::Published]>,
) -> HashSet<String> {
    match outputs {
        Some(outputs) => outputs.iter().map(|o| o.path.clone()).collect(),
        None => {
            let pages = site.by_path.keys().map(|p| format!("{p}index.html"));
            pages.chain(site.asset_paths.values().cloned()).collect()
        }
    }
}
