//! Quick rebuilds: an edit to the text of pages (their front matter unchanged) in, the next
//! snapshot and its findings out, without a pass over the whole site.
//!
//! The front matter of every page decides the site's shape (addresses, listings, navigation,
//! the sitemap; see `incremental::shape`), and no page shows another page's text. So when only
//! the text below the front matter of some pages changed, the site placed by the last full
//! rebuild (`kept::PlacedSite`) takes their new texts, and only these pages are rendered and
//! checked again. Of what is made from every page, the things a page's text decides are
//! brought up to date: the `#anchor` checks of links to it, its headings in the search index,
//! and its share of check's gate (`check::GateParts`: its own rules, its links and its
//! translations' freshness); the rest is kept.
//!
//! Anything else (a new, removed or renamed file, changed front matter, a day gone by, an
//! edit that makes an error `build` stops on while rendering) returns `None`: the caller
//! rebuilds in full, which makes exactly what a fresh build makes.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::cache::{Cache, Memory, read_page};
use super::kept::PlacedSite;
use super::snapshot::Snapshot;
use super::watch::Changes;
use crate::check::{self, GateParts, PageRules};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::frontmatter::{self, Date};
use crate::markdown::Rendered;
use crate::output::Output;
use crate::render;
use crate::site::{Common, Placed, Site, Target};
use crate::theme::Theme;

/// What a full rebuild leaves for quick ones.
#[derive(Debug)]
pub struct Ready {
    pub config: Config,
    /// The theme, with the site's images known to its `image` function.
    pub theme: Theme,
    pub frame: render::Frame,
    /// The day the gate's review rules counted from.
    pub today: Date,
    pub gate: Errors,
    /// Every output path, for links written in HTML.
    pub files: HashSet<String>,
}

/// The errors of check's gate (with `site.yaml`'s levels applied): what the preview shows.
#[derive(Debug, Default)]
pub struct Errors {
    /// What each target's own text decides (sections, then pages, by index).
    own: Vec<Vec<Diagnostic>>,
    site_wide: Vec<Diagnostic>,
    /// All of them, sorted.
    pub served: Vec<Diagnostic>,
}

impl Errors {
    pub fn new(gate: GateParts, config: &Config) -> Errors {
        let errors = |findings: Vec<Diagnostic>| errors(findings, config);
        let mut all = Errors {
            own: gate.own.into_iter().map(errors).collect(),
            site_wide: errors(gate.site_wide),
            served: Vec::new(),
        };
        all.serve();
        all
    }

    /// Puts the errors of `own` in place of those the target at `index` had.
    fn replace(&mut self, index: usize, own: Vec<Diagnostic>, config: &Config) {
        if let Some(slot) = self.own.get_mut(index) {
            *slot = errors(own, config);
        }
    }

    /// Sorts them as `PageRules::gate` does (levels apply to each finding on its own, so
    /// the errors of the parts are the errors of the whole).
    fn serve(&mut self) {
        let mut served: Vec<Diagnostic> = self
            .own
            .iter()
            .flatten()
            .chain(&self.site_wide)
            .cloned()
            .collect();
        crate::diagnostics::sort(&mut served);
        served.dedup();
        self.served = served;
    }
}

fn errors(findings: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    let mut findings = check::rules::apply_levels(findings, &config.check.rules);
    findings.retain(|f| f.severity == Severity::Error);
    findings
}

/// A quick rebuild's result.
pub struct Quick {
    pub snapshot: Snapshot,
    /// Output files changed.
    pub changed: usize,
    pub pages: usize,
    /// Pages and sections rendered anew.
    pub rendered: usize,
    pub findings: Vec<Diagnostic>,
}

/// One page whose text changed.
struct Edit {
    index: usize,
    rel: String,
    path: std::path::PathBuf,
    text: String,
    target: Target,
}

/// Rebuilds after `changes` when they are edits to the text of pages alone; `None` when a
/// full rebuild is needed (then nothing kept is out of date: the full rebuild starts from
/// the files as they are now).
pub fn rebuild(
    root: &Path,
    cache: &mut Cache,
    ready: &mut Ready,
    changes: &Changes,
    previous: &Snapshot,
) -> Option<Quick> {
    let Cache { placed, memory, .. } = cache;
    let placed = placed.as_mut()?;
    let quick = changes.theme.is_empty()
        && !changes.config
        && !changes.rescan
        && std::env::var_os(check::WITHOUT_GATE).is_none()
        && ready.today == check::today_utc()
        && !placed.full();
    if !quick {
        return None;
    }
    let edits = text_edits(root, placed, &changes.content)?;
    if edits.is_empty() {
        return Some(unchanged(placed, ready, previous));
    }
    for edit in &edits {
        let rel = edit.rel.clone();
        let (path, target) = (edit.path.clone(), edit.target);
        placed.edit(edit.index, edit.text.clone(), |text, placed| {
            give_text(placed, &rel, &path, target, text);
        });
    }
    let made = placed.with(|_, site| render_edits(root, site, memory, ready, &edits));
    let sections = placed.with(|_, site| site.site.sections.len());
    match made {
        Some(made) => Some(finish(made, sections, ready, previous)),
        None => {
            for edit in &edits {
                memory.forget(&edit.rel);
            }
            None
        }
    }
}

/// The pages among `changed` whose text changed with their front matter as it was; `None`
/// when anything else changed.
fn text_edits(
    root: &Path,
    placed: &PlacedSite,
    changed: &BTreeSet<std::path::PathBuf>,
) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for path in changed {
        let (index, text) = read_page(root, path, placed.content())?;
        if placed.text(index) == Some(text.as_str()) {
            continue;
        }
        let rel = placed.content().pages.get(index)?.rel.clone();
        let split = frontmatter::split(&text, path).ok()?;
        let target = placed.with(|_, site| {
            let before = site.front_matter.get(&rel)?;
            let same = before.yaml == split.yaml
                && before.yaml_line == split.yaml_line
                && before.body_line == split.body_line;
            let target = *site.site.by_source.get(&rel)?;
            let placed = matches!(target, Target::Section(_) | Target::Page(_));
            (same && placed).then_some(target)
        })?;
        edits.push(Edit {
            index,
            rel,
            path: path.clone(),
            text,
            target,
        });
    }
    Some(edits)
}

/// Points the placed site's page at its new `text`, whose front matter is as before.
fn give_text<'a>(placed: &mut Placed<'a>, rel: &str, path: &Path, target: Target, text: &'a str) {
    let Ok(split) = frontmatter::split(text, path) else {
        return;
    };
    if let Some(parsed) = placed.front_matter.get_mut(rel) {
        parsed.yaml = split.yaml;
        parsed.body = split.body;
    }
    if let Some(common) = common_mut(&mut placed.site, target) {
        common.body = split.body;
    }
}

fn common_mut<'s, 'a>(site: &'s mut Site<'a>, target: Target) -> Option<&'s mut Common<'a>> {
    match target {
        Target::Section(i) => site.sections.get_mut(i).map(|s| &mut s.common),
        Target::Page(i) => site.pages.get_mut(i).map(|p| &mut p.common),
        Target::Unavailable | Target::Draft => None,
    }
}

/// What rendering the edited pages made.
struct Made {
    outputs: Vec<Output>,
    own: Vec<(Target, Vec<Diagnostic>)>,
    pages: usize,
}

/// Renders and checks the edited pages, remembering their bodies in `memory`; brings the
/// anchor checks and the search index up to date. `None` when that finds an error `build`
/// stops on while rendering (the full rebuild reports it with every other finding).
fn render_edits(
    root: &Path,
    placed: &Placed,
    memory: &mut Memory,
    ready: &Ready,
    edits: &[Edit],
) -> Option<Made> {
    let site = &placed.site;
    let config = &ready.config;
    let targets: Vec<Target> = edits.iter().map(|e| e.target).collect();
    let rules = PageRules::new(placed, config, ready.today, root);
    let singles = ready
        .frame
        .render_targets((site, &ready.theme, config), &targets, Some(&rules));
    if singles.len() != edits.len() {
        return None;
    }
    let third_party = crate::third_party::Gate::new(config);
    let mut outputs = Vec::new();
    let mut findings = Vec::new();
    let mut ids_changed = Vec::new();
    let mut headings_changed = BTreeSet::new();
    for (edit, single) in edits.iter().zip(singles) {
        findings.extend(single.found);
        match single.page {
            Some(Ok(output)) => {
                third_party.inspect(&output);
                outputs.push(output);
            }
            Some(Err(finding)) => findings.push(finding),
            None => {}
        }
        let before = memory.bodies.get(&edit.rel)?;
        if before.0.ids != single.body.0.ids {
            ids_changed.push(edit.target);
        }
        if let Target::Page(_) = edit.target
            && headings(&before.0) != headings(&single.body.0)
        {
            headings_changed.insert(site.common(edit.target)?.lang.clone());
        }
        let meta = &placed.front_matter.get(&edit.rel)?.meta;
        memory.edited(&edit.rel, (&edit.text, &edit.path), meta, single.body);
    }
    findings.extend(third_party.findings(&|| crate::third_party::Sources {
        site,
        theme_files: crate::third_party::theme_files(root, &ready.theme),
    }));
    findings.extend(anchors(site, memory, edits, &ids_changed)?);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return None;
    }
    if !headings_changed.is_empty() {
        let all: Vec<Vec<String>> = site
            .pages
            .iter()
            .map(|page| {
                memory
                    .bodies
                    .get(&page.common.source)
                    .map(|b| headings(&b.0))
            })
            .collect::<Option<_>>()?;
        let of = |page: usize| all[page].as_slice();
        for lang in &headings_changed {
            outputs.push(render::search_index(site, config, lang, &of));
        }
    }
    Some(Made {
        outputs,
        own: rules.gate_of_read(config, &ready.files),
        pages: site.sections.len() + site.pages.len(),
    })
}

/// The page's `##` headings, as the search index reads them.
fn headings(rendered: &Rendered) -> Vec<String> {
    rendered
        .toc
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| h.text.clone())
        .collect()
}

/// The `#anchor` checks the edits can change: the edited pages' own, and every page's links
/// to an edited page whose heading ids changed. `None` when a page's body is not remembered.
fn anchors(
    site: &Site,
    memory: &Memory,
    edits: &[Edit],
    ids_changed: &[Target],
) -> Option<Vec<Diagnostic>> {
    let ids_of = |target: Target| {
        let common = site.common(target)?;
        let mut ids: Vec<String> = memory
            .bodies
            .get(&common.source)?
            .0
            .ids
            .iter()
            .cloned()
            .collect();
        ids.sort();
        Some(ids)
    };
    let mut findings = Vec::new();
    for edit in edits {
        let anchors = &memory.bodies.get(&edit.rel)?.0.anchors_to_check;
        findings.extend(crate::markdown::check_anchors(&edit.rel, anchors, &ids_of));
    }
    if ids_changed.is_empty() {
        return Some(findings);
    }
    for target in site.targets() {
        let source = &site.common(target)?.source;
        let body = memory.bodies.get(source)?;
        let to_edited: Vec<_> = body
            .0
            .anchors_to_check
            .iter()
            .filter(|check| ids_changed.contains(&check.target))
            .cloned()
            .collect();
        findings.extend(crate::markdown::check_anchors(source, &to_edited, &ids_of));
    }
    Some(findings)
}

/// The new snapshot and findings, once the edited pages rendered without an error.
fn finish(made: Made, sections: usize, ready: &mut Ready, previous: &Snapshot) -> Quick {
    let rendered = made.own.len();
    for (target, own) in made.own {
        let index = match target {
            Target::Section(i) => i,
            Target::Page(i) => sections + i,
            Target::Unavailable | Target::Draft => continue,
        };
        ready.gate.replace(index, own, &ready.config);
    }
    ready.gate.serve();
    let (snapshot, changed) = previous.replaced(made.outputs);
    Quick {
        snapshot,
        changed: changed.len(),
        pages: made.pages,
        rendered,
        findings: ready.gate.served.clone(),
    }
}

/// Nothing changed: the same snapshot and findings.
fn unchanged(placed: &PlacedSite, ready: &Ready, previous: &Snapshot) -> Quick {
    let pages = placed.with(|_, site| site.site.sections.len() + site.site.pages.len());
    Quick {
        snapshot: previous.clone(),
        changed: 0,
        pages,
        rendered: 0,
        findings: ready.gate.served.clone(),
    }
}
