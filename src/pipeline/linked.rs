//! `build`'s orphan rule: the links of each page as it is staged in, and of each page the
//! build cache kept (from its record) in; `check`'s `content/orphan` findings out, so that
//! `build`'s count of warnings is `check`'s.

use std::sync::Mutex;

use crate::build_cache::BuildCache;
use crate::check::links::{self, Published};
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::{Placed, Site, Target};

/// The links of every page of a build, gathered as its files are staged.
pub(super) struct Linked<'s> {
    placed: &'s Placed<'s>,
    base_path: String,
    /// `None` when check's rules are off (see `check::WITHOUT_GATE`).
    pages: Option<Mutex<Vec<Published>>>,
}

impl<'s> Linked<'s> {
    pub fn new(placed: &'s Placed<'s>, base_path: String) -> Self {
        let on = std::env::var_os(crate::check::WITHOUT_GATE).is_none();
        Linked {
            placed,
            base_path,
            pages: on.then(Mutex::default),
        }
    }

    /// Notes the links of `file` when it is a page or a section.
    pub fn see(&self, file: &Output) {
        let Some(pages) = &self.pages else {
            return;
        };
        if let Some(mut page) = Published::page(file, &self.placed.site, &self.base_path) {
            // Kept until the render pass ends, one per page: only the links are read (a
            // list grown link by link holds up to twice their room).
            page.path = String::new();
            page.links.shrink_to_fit();
            pages.lock().unwrap_or_else(|e| e.into_inner()).push(page);
        }
    }

    /// The orphans among the site's pages, with the links of the pages `cache` kept read
    /// from its record; the links of the pages rendered anew are handed to `cache` to be
    /// recorded. While no page's links changed, the graph is the previous build's: its
    /// orphans are `cache`'s, and the walk over the graph is not made again.
    pub fn orphans(self, cache: Option<&BuildCache>) -> Vec<Diagnostic> {
        let Some(pages) = self.pages else {
            return Vec::new();
        };
        let placed = self.placed;
        let site = &placed.site;
        let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
        let Some(cache) = cache else {
            return links::orphans(placed, &pages);
        };
        let source_of = |target| site.common(target).map(|c| c.source.clone());
        for page in &pages {
            if let Some(source) = page.page.and_then(source_of) {
                cache.linked(
                    &source,
                    page.links.iter().filter_map(|&t| source_of(t)).collect(),
                );
            }
        }
        let kept = cache.kept_orphans().and_then(|sources| {
            let target = |source: &String| site.by_source.get(source).copied();
            sources.iter().map(target).collect::<Option<Vec<Target>>>()
        });
        let orphans = match kept {
            Some(orphans) => orphans,
            None => {
                pages.extend(kept_pages(site, cache));
                links::orphan_targets(placed, &pages)
            }
        };
        cache.orphans_found(orphans.iter().filter_map(|&t| source_of(t)).collect());
        orphans
            .into_iter()
            .filter_map(|target| links::orphan(placed, target))
            .collect()
    }
}

/// The pages `cache` kept, each with the pages its finished file links to, from the record.
fn kept_pages<'c>(site: &'c Site, cache: &BuildCache) -> impl Iterator<Item = Published> + 'c {
    cache.kept_links().into_iter().filter_map(|(source, to)| {
        let target = *site.by_source.get(&source)?;
        // As `see` keeps them: the orphan rule reads no path.
        Some(Published {
            path: String::new(),
            page: Some(target),
            links: to
                .iter()
                .filter_map(|s| site.by_source.get(s).copied())
                .collect(),
        })
    })
}
