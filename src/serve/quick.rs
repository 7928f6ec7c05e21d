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
//! Anything else (a new, removed or renamed file, changed front matter, a text that starts or
//! stops naming a loose photo a draft names, a day gone by, an edit that makes an error
//! `build` stops on while rendering) returns `None`: the caller
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

/// The errors `build` would stop on in a site the preview shows all the same: check's gate
/// (with `site.yaml`'s levels applied) and the `servable` errors of rendering.
#[derive(Debug, Default)]
pub struct Errors {
    /// The gate's errors each target's own text decides (sections, then pages, by index).
    own: Vec<Vec<Diagnostic>>,
    /// The errors of rendering each target, by index.
    render: Vec<Vec<Diagnostic>>,
    site_wide: Vec<Diagnostic>,
    /// All of them, sorted.
    pub served: Vec<Diagnostic>,
}

impl Errors {
    /// The errors of a full rebuild: the gate's, and those of its `found` (placing and
    /// rendering) by the target whose file they are on. `None` when one of `found` is an
    /// error the site cannot be previewed with.
    pub fn new(
        gate: GateParts,
        found: &[Diagnostic],
        site: &Site,
        config: &Config,
    ) -> Option<Errors> {
        let errors = |findings: Vec<Diagnostic>| errors(findings, config);
        let sections = site.sections.len();
        let mut render = vec![Vec::new(); sections + site.pages.len()];
        for finding in found.iter().filter(|f| f.severity == Severity::Error) {
            let rel = finding.file.strip_prefix("content").ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            let index = match site.by_source.get(&rel)? {
                Target::Section(i) => *i,
                Target::Page(i) => sections + i,
                Target::Unavailable | Target::Draft => return None,
            };
            if !servable(finding) {
                return None;
            }
            render.get_mut(index)?.push(finding.clone());
        }
        let mut all = Errors {
            own: gate.own.into_iter().map(errors).collect(),
            render,
            site_wide: errors(gate.site_wide),
            served: Vec::new(),
        };
        all.serve();
        Some(all)
    }

    /// Puts the gate's findings `own` in place of those the target at `index` had.
    fn replace(&mut self, index: usize, own: Vec<Diagnostic>, config: &Config) {
        if let Some(slot) = self.own.get_mut(index) {
            *slot = errors(own, config);
        }
    }

    /// Puts `found`, the `translation/untranslated` finding of the translation at `index`,
    /// in place of the one it had (its original's text changed).
    fn replace_untranslated(&mut self, index: usize, found: Option<Diagnostic>, config: &Config) {
        if let Some(slot) = self.own.get_mut(index) {
            slot.retain(|f| f.code != crate::diagnostics::Code::TranslationUntranslated);
            slot.extend(errors(found.into_iter().collect(), config));
        }
    }

    /// Puts `found`, what its translations decide of the findings of the target at `index`
    /// (`translation::findings_for`), in place of what they decided before.
    fn replace_translations(&mut self, index: usize, found: Vec<Diagnostic>, config: &Config) {
        if let Some(slot) = self.own.get_mut(index) {
            slot.retain(|f| !crate::translation::CODES.contains(&f.code));
            slot.extend(errors(found, config));
        }
    }

    /// Sorts them as `build` does (levels apply to each finding on its own, so the errors of
    /// the parts are the errors of the whole).
    fn serve(&mut self) {
        let parts = self.own.iter().chain(&self.render).flatten();
        let mut served: Vec<Diagnostic> = parts.chain(&self.site_wide).cloned().collect();
        crate::diagnostics::sort_unique(&mut served);
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
        && ready.today == crate::today::of(&ready.config)
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
        let before_text = placed.text(index)?;
        if before_text == text {
            continue;
        }
        let rel = placed.content().pages.get(index)?.rel.clone();
        let split = frontmatter::split(&text, path).ok()?;
        let target = placed.with(|content, site| {
            let before = site.front_matter.get(&rel)?;
            let same = before.yaml == split.yaml
                && before.yaml_line == split.yaml_line
                && before.body_line == split.body_line;
            let by_source = &site.site.by_source;
            let target = *by_source.get(&rel)?;
            let placed = matches!(target, Target::Section(_) | Target::Page(_));
            // Naming a photo a draft names publishes it (see `site::placement_changes`).
            let files_stay =
                !crate::site::placement_changes(content, by_source, (before_text, &text));
            (same && placed && files_stay).then_some(target)
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
        parsed.body = crate::source::BodyText::Here(split.body);
        // Hashed again when asked for (the findings cache's key reads it).
        parsed.body_hash = std::sync::OnceLock::new();
    }
    if let Some(common) = common_mut(&mut placed.site, target) {
        common.body = crate::source::BodyText::Here(split.body);
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
    /// The gate's findings of each edited page.
    own: Vec<(Target, Vec<Diagnostic>)>,
    /// What its translations decide of the findings of the original of each edited
    /// translation: they compare its text with theirs.
    originals: Vec<(Target, Vec<Diagnostic>)>,
    /// The `translation/untranslated` finding of each translation of an edited original, not
    /// edited itself: it compares their texts.
    translations: Vec<(Target, Option<Diagnostic>)>,
    /// The errors of rendering of each page they changed for.
    render: Vec<(Target, Vec<Diagnostic>)>,
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
    let mut found = Vec::new();
    let mut blocking = Vec::new();
    let mut ids_changed = Vec::new();
    let mut headings_changed = BTreeSet::new();
    for (edit, single) in edits.iter().zip(singles) {
        found.push((edit.target, single.found));
        match single.page {
            Some(Ok(output)) => {
                third_party.inspect(&output);
                outputs.push(output);
            }
            Some(Err(finding)) => blocking.push(finding),
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
        let parsed = placed.front_matter.get(&edit.rel)?;
        memory.edited(&edit.rel, (&edit.text, &edit.path), parsed, single.body);
    }
    blocking.extend(third_party.findings(&|| crate::third_party::Sources {
        site,
        theme_files: crate::third_party::theme_files(root, &ready.theme),
    }));
    if blocking.iter().any(|f| f.severity == Severity::Error) {
        return None;
    }
    let render = render_errors(site, memory, config, found, &ids_changed)?;
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
    let originals = originals_of(site, &targets)
        .into_iter()
        .map(|original| (original, crate::translation::findings_for(site, original)))
        .collect();
    let translations = targets
        .iter()
        .flat_map(|&original| check::untranslated::of_translations(placed, original))
        .filter(|(t, _)| !targets.contains(t))
        .collect();
    Some(Made {
        outputs,
        own: rules.gate_of_read(config, &ready.files),
        originals,
        translations,
        render,
        pages: site.sections.len() + site.pages.len(),
    })
}

/// The originals (in the default language) of the translations among `targets` that are not
/// among `targets` themselves.
fn originals_of(site: &Site, targets: &[Target]) -> Vec<Target> {
    let default = site.default_language();
    let mut originals: Vec<Target> = targets
        .iter()
        .filter(|&&t| site.common(t).is_some_and(|c| c.lang != default))
        .flat_map(|&t| site.translations_of(t).iter().copied())
        .filter(|&t| site.common(t).is_some_and(|c| c.lang == default))
        .filter(|t| !targets.contains(t))
        .collect();
    originals.sort_unstable();
    originals.dedup();
    originals
}

/// The errors of rendering that the edits can change, by target: the edited pages' own
/// (`found` while rendering them, and their `#anchor` links), and those of every page that
/// links to a heading of an edited page whose headings changed. `None` when one of them is
/// an error the preview cannot show the page with, or a page's body is not remembered.
fn render_errors(
    site: &Site,
    memory: &Memory,
    config: &Config,
    found: Vec<(Target, Vec<Diagnostic>)>,
    ids_changed: &[Target],
) -> Option<Vec<(Target, Vec<Diagnostic>)>> {
    let ids_of = |target: Target| {
        let common = site.common(target)?;
        let body = &memory.bodies.get(&common.source)?.0;
        let mut ids: Vec<String> = body.ids.iter().cloned().collect();
        ids.sort();
        Some(ids)
    };
    let mut errors = Vec::new();
    for (target, mut found) in found {
        let source = &site.common(target)?.source;
        let anchors = &memory.bodies.get(source)?.0.anchors_to_check;
        found.extend(crate::markdown::check_anchors(source, anchors, &ids_of));
        found.retain(|f| f.severity == Severity::Error);
        errors.push((target, found));
    }
    if !ids_changed.is_empty() {
        for target in site.targets() {
            let source = &site.common(target)?.source;
            let (rendered, found) = memory.bodies.get(source)?;
            let links_to_edited = rendered
                .anchors_to_check
                .iter()
                .any(|check| ids_changed.contains(&check.target));
            if !links_to_edited || errors.iter().any(|(t, _)| *t == target) {
                continue;
            }
            // The page's findings as the pass makes them: its body's, the HTML policy's
            // (which reads its HTML) and its anchors'.
            let mut html = rendered.html.clone();
            let mut found = found.clone();
            crate::html_policy::apply(config.raw_html, &mut html, &mut found);
            found.extend(crate::markdown::check_anchors(
                source,
                &rendered.anchors_to_check,
                &ids_of,
            ));
            found.retain(|f| f.severity == Severity::Error);
            errors.push((target, found));
        }
    }
    let shown = errors.iter().flat_map(|(_, e)| e).all(servable);
    shown.then_some(errors)
}

/// Whether the site can be previewed with `finding`, an error `build` stops on: a broken
/// link or `#anchor`, an image without alt text. The page is shown as it would be published,
/// with the error beside it, so staff see their change and what to fix.
pub fn servable(finding: &Diagnostic) -> bool {
    use crate::diagnostics::Code;
    matches!(
        finding.code,
        Code::LinkBroken | Code::LinkMissingAnchor | Code::ContentImageAlt
    )
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

/// The new snapshot and findings, once the edited pages rendered without an error.
fn finish(made: Made, sections: usize, ready: &mut Ready, previous: &Snapshot) -> Quick {
    let rendered = made.own.len();
    let index = |target: Target| match target {
        Target::Section(i) => Some(i),
        Target::Page(i) => Some(sections + i),
        Target::Unavailable | Target::Draft => None,
    };
    for (target, own) in made.own {
        if let Some(index) = index(target) {
            ready.gate.replace(index, own, &ready.config);
        }
    }
    for (target, found) in made.originals {
        if let Some(index) = index(target) {
            ready.gate.replace_translations(index, found, &ready.config);
        }
    }
    for (target, found) in made.translations {
        if let Some(index) = index(target) {
            ready.gate.replace_untranslated(index, found, &ready.config);
        }
    }
    for (target, errors) in made.render {
        if let Some(slot) = index(target).and_then(|i| ready.gate.render.get_mut(i)) {
            *slot = errors;
        }
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
