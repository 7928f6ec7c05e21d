//! The gate's side of `PageRules`: a page the rendering pass did not show checked on its
//! own, each page's part of the gate (its own rules and its links), and `GateParts`, the
//! gate's findings before `site.yaml`'s levels.

use std::collections::HashSet;

use rayon::prelude::*;

use super::document::Document;
use super::page::PageInput;
use super::site_wide::output_files;
use super::{
    Finished, PageResult, PageRules, WITHOUT_GATE, cases, content_rules, document, findings_cache,
    links, photos, rules,
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
    /// orphans, which need every page's finished HTML), its results cases and photos, before
    /// `site.yaml`'s levels and unsorted (`build` levels and sorts them with its own, once).
    /// `content` is the site's files, for the photos; `files` holds every output path of the
    /// build, for links written in HTML (`None` when the theme could not be loaded: then the
    /// pages' own addresses count). Errors stop the build; warnings are counted in its summary.
    /// They are added to `findings`; what is returned is how many warnings the pages only
    /// counted have (see `counting`: their findings are not among the others).
    pub fn gate(
        self,
        config: &Config,
        content: &crate::source::Content,
        files: Option<&HashSet<String>>,
        findings: &mut Vec<Diagnostic>,
    ) -> usize {
        let (GateParts { own, site_wide }, counted) = self.parts(config, content, files);
        // Room made once for all of them: grown as they came, a first build of 100,000 pages
        // (a warning a page) held the list twice over at its peak.
        let all = own.iter().map(Vec::len).sum::<usize>() + site_wide.len();
        findings.reserve_exact(all);
        for mut own in own {
            findings.append(&mut own);
        }
        findings.extend(site_wide);
        counted
    }

    /// `gate`'s findings before `site.yaml`'s levels, split into what each page's own text
    /// decides and the rest (the dev server keeps them, to check again only an edited page).
    pub fn gate_parts(
        self,
        config: &Config,
        content: &crate::source::Content,
        files: Option<&HashSet<String>>,
    ) -> GateParts {
        self.parts(config, content, files).0
    }

    /// `gate_parts`, with the warnings of the pages only counted.
    fn parts(
        mut self,
        config: &Config,
        content: &crate::source::Content,
        files: Option<&HashSet<String>>,
    ) -> (GateParts, usize) {
        if self.off {
            eprintln!("{WITHOUT_GATE} is set: check's rules did not run (for benchmarks only)");
            return (GateParts::default(), 0);
        }
        let placed = self.placed;
        let site = &placed.site;
        let today = self.review.today;
        // Still read by `finish_remembering`, which recalls pages by it.
        let placed_key = self.placed_key.clone();
        let kept_duplicates = self.kept_duplicates.take();
        let kept_syllables = self.kept_syllables.take();
        // Pages the pass did not parse are recalled from the cache in `finish_remembering`.
        let Finished {
            pages,
            results,
            remembered,
            counted,
        } = self.finish_remembering();
        if let Some(kept) = kept_syllables {
            kept.save();
        }
        // Kept for this placed site, or found again (they read every page, so a build that
        // counts pages has them kept, see `counting`).
        let duplicates = kept_duplicates.unwrap_or_else(|| content_rules::duplicates(&pages));
        if let Some(remembered) = remembered {
            let empty = Document::default();
            let kept = pages.iter().zip(&results).filter_map(|(page, result)| {
                let key = result.key?;
                Some((key, &page.doc, result.findings.as_slice()))
            });
            let kept = kept.chain(counted.iter().map(|(key, _)| (*key, &empty, &[][..])));
            remembered.save(kept, placed_key.as_deref().zip(Some(&duplicates[..])));
        }
        let counted = counted.iter().map(|(_, t)| t.warnings as usize).sum();
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
        site_wide.extend(duplicates);
        site_wide.extend(photos::gps(content));
        site_wide.extend(cases::check(placed, content, today));
        (GateParts { own, site_wide }, counted)
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
                let Gated::Read(Some(read)) = slot.into_inner()? else {
                    return None;
                };
                let (page, result) = read.open(site)?;
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
}

/// `findings` with `site.yaml`'s levels applied, sorted, each once (`diagnostics::sort_unique`).
fn levelled(findings: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    let mut findings = rules::apply_levels(findings, &config.check.rules);
    crate::diagnostics::sort_unique(&mut findings);
    findings
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

/// What the gate has of a page: what its rules found, checked or recalled whole (`None` for
/// a target that is not a page), or, for a build that only counts, its key and tally. A page
/// read is boxed: a slot is made for every page before the pass, and on a one-page edit
/// nearly every page is only counted (at 100,000 pages, unboxed slots held 40 MB).
pub(super) enum Gated<'a> {
    Read(Option<Box<Kept<'a>>>),
    Counted(findings_cache::Key, findings_cache::Tally),
}

/// A page read, as the gate keeps it until it ends: what its `PageInput` holds that is not
/// made again from the placed site (its links and raw HTML, all its `Document` keeps, see
/// `PageRules::check`), and what its rules found. Half the room of a `PageInput` with its
/// result: at 100,000 pages, 43 MB held to the end of a first build, at its peak.
pub(super) struct Kept<'a> {
    target: Target,
    front: Option<&'a crate::frontmatter::Parsed<'a>>,
    links: Vec<document::LinkMark>,
    html: Vec<document::Piece>,
    result: PageResult,
}

impl<'a> Kept<'a> {
    fn new((page, result): (PageInput<'a>, PageResult)) -> Kept<'a> {
        Kept {
            target: page.target,
            front: page.front,
            links: page.doc.links,
            html: page.doc.html,
            result,
        }
    }

    /// The page as it was read (its body read again only when asked, see `Lines`).
    pub(super) fn open(
        self,
        site: &'a crate::site::Site<'a>,
    ) -> Option<(PageInput<'a>, PageResult)> {
        let doc = Document::of_links(self.links, self.html);
        let page = PageInput::with_document(site, self.target, self.front, doc)?;
        Some((page, self.result))
    }
}

impl<'a> Gated<'a> {
    pub(super) fn read(read: Option<(PageInput<'a>, PageResult)>) -> Self {
        Gated::Read(read.map(|read| Box::new(Kept::new(read))))
    }
}
