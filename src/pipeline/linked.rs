//! `build`'s orphan rule: the links of each page as it is staged in, and of each page the
//! build cache kept (from its record) in; `check`'s `content/orphan` findings out, so that
//! `build`'s count of warnings is `check`'s.

use std::sync::Mutex;

use crate::build_cache::{BuildCache, Links};
use crate::check::links::{self, Published};
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::{Placed, Site, Target};
use crate::write::{IoError, Staged};

/// The links of every page of a build, gathered as its files are staged.
pub(super) struct Linked<'s> {
    placed: &'s Placed<'s>,
    base_path: String,
    /// The previous build's record: a page rendered anew into the bytes it recorded links
    /// to the pages it recorded.
    cache: Option<&'s BuildCache>,
    pages: Mutex<Vec<Noted>>,
    /// Whether the orphan rule runs: not with `check::WITHOUT_GATE` set, which turns off
    /// check's rules only. The links are still read and handed to `cache` then: a page whose
    /// links are not recorded is not kept by the next build.
    rule: bool,
}

/// A page's links as kept until the render pass ends, one per page: only its links are read
/// (not its path), each the index of a target among the site's (sections, then pages) in 4
/// bytes rather than a `Target`'s 16, without a list's spare room (at 100,000 pages, 28 MB
/// held as `Published` lists, most of it to the end of the rendering pass).
struct Noted {
    page: Option<Target>,
    links: Box<[u32]>,
    /// Whether its links are the recorded ones (`cache` has them already).
    recorded: bool,
}

impl Noted {
    fn new(site: &Site, page: Published, recorded: bool) -> Noted {
        let index = |target: &Target| match *target {
            Target::Section(i) => u32::try_from(i).ok(),
            Target::Page(i) => u32::try_from(site.sections.len() + i).ok(),
            Target::Unavailable | Target::Draft => None,
        };
        let links = page.links.iter().filter_map(index).collect();
        Noted {
            page: page.page,
            links,
            recorded,
        }
    }

    /// Its links, as `Published::links` has them.
    fn links<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = Target> + Clone + 'a {
        let sections = site.sections.len();
        self.links.iter().map(move |&i| match i as usize {
            i if i < sections => Target::Section(i),
            i => Target::Page(i - sections),
        })
    }
}

impl<'s> Linked<'s> {
    pub fn new(placed: &'s Placed<'s>, base_path: String, cache: Option<&'s BuildCache>) -> Self {
        // One for each page and section: a list grown by doubling would hold twice the room.
        let count = placed.site.sections.len() + placed.site.pages.len();
        Linked {
            placed,
            base_path,
            cache,
            pages: Mutex::new(Vec::with_capacity(count)),
            rule: std::env::var_os(crate::check::WITHOUT_GATE).is_none(),
        }
    }

    /// Stages `file` with `stage`, noting its links when it is a page or a section: those
    /// the previous build recorded for the same bytes, or else those read from the file.
    pub fn stage(
        &self,
        file: Output,
        stage: impl FnOnce(&Output) -> Result<Staged, IoError>,
    ) -> Result<Staged, IoError> {
        let site = &self.placed.site;
        let Some(cache) = self.cache else {
            if self.rule {
                self.see(&file);
            }
            return stage(&file);
        };
        let Some(target) = links::page_at(site, &file.path) else {
            return stage(&file);
        };
        let source = site.common(target).map(|c| c.source.as_str());
        // The file is read for its links only when its bytes are not the recorded ones.
        let staged = stage(&file)?;
        let recorded = source.is_some_and(|s| cache.links_recorded(s, &staged.path, &staged.hash));
        // Links the record holds are read from it again only if the graph is walked.
        let page = match recorded {
            true => Noted {
                page: Some(target),
                links: Box::default(),
                recorded: true,
            },
            false => Noted::new(site, Published::new(file, site, &self.base_path), false),
        };
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.push(page);
        Ok(staged)
    }

    /// Notes the links of `file` when it is a page or a section.
    fn see(&self, file: &Output) {
        let site = &self.placed.site;
        if let Some(page) = Published::page(file, site, &self.base_path) {
            let page = Noted::new(site, page, false);
            self.pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(page);
        }
    }

    /// The orphans among the site's pages, with the links of the pages `cache` kept read
    /// from its record; the links of the pages rendered anew are handed to `cache` to be
    /// recorded. While no page's links changed, the graph is the previous build's: its
    /// orphans are `cache`'s, and the walk over the graph is not made again.
    /// Without the rule (see `rule`), the links are only handed to `cache`.
    pub fn orphans(self, cache: Option<&BuildCache>) -> Vec<Diagnostic> {
        let placed = self.placed;
        let site = &placed.site;
        let mut pages = self.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        let walk = |pages: &[Noted]| {
            let links = pages.iter().filter_map(|p| Some((p.page?, p.links(site))));
            links::orphan_targets_by(placed, links)
        };
        let Some(cache) = cache else {
            if !self.rule {
                return Vec::new();
            }
            let orphans = walk(&pages).into_iter();
            return orphans.filter_map(|t| links::orphan(placed, t)).collect();
        };
        let source_of = |target| site.common(target).map(|c| c.source.clone());
        for page in pages.iter().filter(|page| !page.recorded) {
            if let Some(source) = page.page.and_then(source_of) {
                cache.linked(&source, page.links(site).filter_map(source_of).collect());
            }
        }
        if !self.rule {
            return Vec::new();
        }
        let kept = cache.kept_orphans().and_then(|sources| {
            let target = |source: &String| site.by_source.get(source).copied();
            sources.iter().map(target).collect::<Option<Vec<Target>>>()
        });
        let orphans = match kept {
            Some(orphans) => orphans,
            None => {
                for page in pages.iter_mut().filter(|page| page.recorded) {
                    let source = page.page.and_then(|t| site.common(t));
                    let to = source.and_then(|c| cache.recorded_links(&c.source));
                    let to = to.map(|to| targets(site, &to)).unwrap_or_default();
                    let links = Published {
                        path: String::new(),
                        page: page.page,
                        links: to,
                    };
                    *page = Noted::new(site, links, true);
                }
                let kept = kept_pages(site, cache).map(|page| Noted::new(site, page, true));
                pages.extend(kept);
                walk(&pages)
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
            links: targets(site, &to),
        })
    })
}

/// The pages and sections of `links` (source files), as `Published::links` holds them:
/// sorted, without repeats.
fn targets(site: &Site, links: &Links) -> Vec<Target> {
    let mut to: Vec<Target> = links
        .iter()
        .filter_map(|s| site.by_source.get(s).copied())
        .collect();
    to.sort_unstable();
    to.dedup();
    to
}
