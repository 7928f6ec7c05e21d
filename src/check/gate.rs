//! The gate's side of `PageRules`: a page the rendering pass did not show checked on its
//! own, each page's part of the gate (its own rules and its links), and `GateParts`, the
//! gate's findings before `site.yaml`'s levels.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use super::page::PageInput;
use super::site_wide::output_files;
use super::{
    PageResult, PageRules, WITHOUT_GATE, cases, content_rules, document, findings_cache, links,
    photos, rules,
};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::site::Target;

impl<'a> PageRules<'a> {
    /// Checks a page the rendering pass did not show: its body is read for it (from disk,
    /// when `build` left it there; a body that can no longer be read is the page's error).
    pub(super) fn check_unrendered(
        &self,
        target: Target,
        key: Option<findings_cache::Key>,
    ) -> Option<(PageInput<'a>, PageResult)> {
        let (body, unreadable) = match self.placed.site.common(target)?.body.read() {
            Ok(body) => (body, None),
            Err(finding) => (Default::default(), Some(finding)),
        };
        let (page, mut result) = self.check(target, (&body, document::read(&body)), key)?;
        if let Some(finding) = unreadable {
            result.findings.push(finding);
            result.key = None;
        }
        Some((page, result))
    }

    /// `build`'s gate: what check's rules found on every page and across the site (all but
    /// orphans, which need every page's finished HTML), its results cases and photos, with
    /// `site.yaml`'s levels applied, sorted. `content` is the site's files, for the photos;
    /// `files` holds every output path of the build, for links written in HTML (`None` when
    /// the theme could not be loaded: then the pages' own addresses count). Errors stop the
    /// build; warnings are counted in its summary.
    pub fn gate(
        self,
        config: &Config,
        content: &crate::source::Content,
        files: Option<&HashSet<String>>,
    ) -> Vec<Diagnostic> {
        self.gate_parts(config, content, files)
            .into_findings(config)
    }

    /// `gate`'s findings before `site.yaml`'s levels, split into what each page's own text
    /// decides and the rest (the dev server keeps them, to check again only an edited page).
    pub fn gate_parts(
        self,
        config: &Config,
        content: &crate::source::Content,
        files: Option<&HashSet<String>>,
    ) -> GateParts {
        if self.off {
            eprintln!("{WITHOUT_GATE} is set: check's rules did not run (for benchmarks only)");
            return GateParts::default();
        }
        let placed = self.placed;
        let site = &placed.site;
        let today = self.review.today;
        // Pages the pass did not parse are recalled from the cache in `finish_remembering`.
        let (pages, results, remembered) = self.finish_remembering();
        if let Some(remembered) = remembered {
            let kept = pages.iter().zip(&results).filter_map(|(page, result)| {
                let key = result.key?;
                Some((key, &page.doc, result.findings.as_slice()))
            });
            remembered.save(kept);
        }
        let site_files;
        let files = match files {
            Some(files) => files,
            None => {
                site_files = output_files(site, None);
                &site_files
            }
        };
        let base_path = config.base_path();
        let mut own: Vec<Vec<Diagnostic>> = site
            .targets()
            .map(|target| crate::translation::findings_for(site, target))
            .collect();
        // Each page's findings are moved, not copied: the cache has kept them.
        let found: Vec<(Option<usize>, Vec<Diagnostic>)> = pages
            .par_iter()
            .zip(results.into_par_iter())
            .map(|(page, result)| {
                let mut findings = links::check(page, files, &base_path);
                findings.extend(result.findings);
                (target_index(site, page.target), findings)
            })
            .collect();
        let mut site_wide = Vec::new();
        for (index, mut findings) in found {
            match index.and_then(|i| own.get_mut(i)) {
                Some(own) => own.append(&mut findings),
                None => site_wide.append(&mut findings),
            }
        }
        site_wide.extend(content_rules::duplicates(&pages));
        site_wide.extend(photos::gps(content));
        site_wide.extend(cases::check(placed, content, today));
        GateParts { own, site_wide }
    }

    /// The gate's findings of each page this reader read while rendering (for the dev
    /// server, which renders only an edited page): by target, before `site.yaml`'s levels.
    /// `files` as for `gate`.
    pub fn gate_of_read(
        self,
        config: &Config,
        files: &HashSet<String>,
    ) -> Vec<(Target, Vec<Diagnostic>)> {
        let site = &self.placed.site;
        let base_path = config.base_path();
        let targets = site.targets();
        self.checked
            .into_iter()
            .zip(targets)
            .filter_map(|(slot, target)| {
                let (page, result) = slot.into_inner()??;
                let mut findings = crate::translation::findings_for(site, target);
                findings.extend(page_gate(&page, &result, files, &base_path));
                Some((target, findings))
            })
            .collect()
    }
}

/// `PageRules::gate`'s findings before `site.yaml`'s levels: `own[i]` is what the text of
/// the `i`th target (sections, then pages) decides, `site_wide` the rest.
#[derive(Debug, Clone, Default)]
pub struct GateParts {
    pub own: Vec<Vec<Diagnostic>>,
    pub site_wide: Vec<Diagnostic>,
}

impl GateParts {
    /// Every finding, with `site.yaml`'s levels applied, sorted.
    pub fn finish(&self, config: &Config) -> Vec<Diagnostic> {
        let all = self.own.iter().flatten().chain(&self.site_wide).cloned();
        levelled(all.collect(), config)
    }

    /// `finish`, taking the findings rather than copying them.
    pub fn into_findings(self, config: &Config) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.own.into_iter().flatten().collect();
        all.extend(self.site_wide);
        levelled(all, config)
    }
}

/// `findings` with `site.yaml`'s levels applied, sorted as `diagnostics::sort` sorts them,
/// each once. A site's findings are mostly one per page: comparing their files component by
/// component cost more than the rest of the gate's sorting, so files are compared as text
/// wherever that gives the same answer.
fn levelled(findings: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    let mut findings = rules::apply_levels(findings, &config.check.rules);
    findings.sort_by(|a, b| {
        file_order(&a.file, &b.file)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
            .then_with(|| a.message.cmp(&b.message))
    });
    findings.dedup_by(|a, b| same_file(&a.file, &b.file) && a == b);
    findings
}

/// `a.cmp(b)`: for two plain relative paths (see `plain`), their texts compared byte by
/// byte with the separator before every other byte, which orders them as their components.
fn file_order(a: &Path, b: &Path) -> Ordering {
    let (Some(a_text), Some(b_text)) = (plain(a), plain(b)) else {
        return a.cmp(b);
    };
    let rank = |byte: u8| if byte == b'/' { 0 } else { u16::from(byte) + 1 };
    match a_text.iter().zip(b_text).find(|(x, y)| x != y) {
        Some((&x, &y)) => rank(x).cmp(&rank(y)),
        None => a_text.len().cmp(&b_text.len()),
    }
}

/// `a == b`: two plain relative paths are the same only when their texts are.
fn same_file(a: &Path, b: &Path) -> bool {
    match (plain(a), plain(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// The text of a relative path whose components are exactly its text's parts between `/`
/// (`content/faq/pain.md`): no empty part, no `.` or `..`, and no other separator. `None`
/// for any other path, or on a system whose paths have more to them.
fn plain(path: &Path) -> Option<&[u8]> {
    let text = path.as_os_str().as_encoded_bytes();
    let plain = cfg!(unix)
        && !text.contains(&b'\\')
        && text
            .split(|&byte| byte == b'/')
            .all(|part| !matches!(part, b"" | b"." | b".."));
    plain.then_some(text)
}

/// What one page's text decides of the gate: its own rules and its links.
fn page_gate(
    page: &PageInput,
    result: &PageResult,
    files: &HashSet<String>,
    base_path: &str,
) -> Vec<Diagnostic> {
    let mut findings = links::check(page, files, base_path);
    findings.extend(result.findings.iter().cloned());
    findings
}

/// The place of `target` in the site's order: sections, then pages.
fn target_index(site: &crate::site::Site, target: Target) -> Option<usize> {
    match target {
        Target::Section(i) => Some(i),
        Target::Page(i) => Some(site.sections.len() + i),
        Target::Unavailable | Target::Draft => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_paths_are_told_from_the_others() {
        assert!(plain(Path::new("content/faq/pain.md")).is_some());
        for other in [
            "",
            "/content",
            "content/",
            "./content",
            "a//b",
            "a/./b",
            "a/../b",
        ] {
            assert_eq!(plain(Path::new(other)), None, "{other}");
        }
    }

    proptest! {
        /// Files are ordered and told apart as `Path` does it, for any path.
        #[test]
        fn files_are_ordered_as_paths_are(a in "[ab/.é-]{0,8}", b in "[ab/.é-]{0,8}") {
            let (a, b) = (Path::new(&a), Path::new(&b));
            prop_assert_eq!(file_order(a, b), a.cmp(b));
            prop_assert_eq!(same_file(a, b), a == b);
        }

        /// The same, for paths shaped like the site's files (mostly plain).
        #[test]
        fn files_like_the_sites_are_ordered_as_paths_are(
            a in "[a-c .-]{1,3}(/[a-c .-]{1,3}){0,3}",
            b in "[a-c .-]{1,3}(/[a-c .-]{1,3}){0,3}",
        ) {
            let (a, b) = (Path::new(&a), Path::new(&b));
            prop_assert_eq!(file_order(a, b), a.cmp(b));
            prop_assert_eq!(same_file(a, b), a == b);
        }
    }
}
