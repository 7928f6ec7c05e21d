//! The rendering pass: every section and page's markdown and template rendered in parallel,
//! links and `#anchors` checked, then the site-wide files and copied files added.

use std::collections::{BTreeMap, HashMap};
use std::mem::take;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::context::site_view;
use super::hooks::{Hooks, ReadBodies};
use super::page_template::render_one;
use super::site_files::{minify_if, publishing_files, render_not_found};
use super::{Body, CategoryGroups, Language, Output, Shared};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::incremental::{Markdown, Outline, Reuse, SiteWide};
use crate::markdown::{self, PageRef, Rendered, Watch};
use crate::site::{Site, Target};
use crate::theme::Theme;

/// Renders every page and section and lists the theme's and content's files to copy, through
/// `hooks`. Each page's markdown and template are rendered in one step, so no more than a
/// few pages' HTML exists at a time.
pub fn render<T: Send>(
    site: &Site,
    theme: &Theme,
    config: &Config,
    hooks: Hooks<'_, T>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let Hooks {
        reuse,
        reader,
        keep,
    } = hooks;
    let Frame { views, groups } = Frame::new(site, theme, config);
    let shared = Shared {
        site,
        theme,
        config,
        views: &views,
        groups: &groups,
    };
    reuse.theme_loaded(theme);
    let minified = minify_if(config);
    let finish = |output: Output| keep(minified(output));
    let Pass {
        targets,
        made,
        outlines,
        mut findings,
    } = pass(site, reuse, reader, Some((&shared, &finish)));

    let first_page = site.sections.len();
    let headings = |page: usize| {
        let target = Target::Page(page);
        outlines.of(first_page + page, target).headings.as_slice()
    };
    let mut template_findings: HashMap<(std::path::PathBuf, usize, String), (Diagnostic, usize)> =
        HashMap::new();
    // The not-found pages are the last to need each language's view: rendered first, so the
    // views (a listing of every page) are let go of before the site-wide files are made.
    let mut others = Vec::new();
    let mut not_found_findings = Vec::new();
    for (lang, language) in &views {
        match render_not_found(theme, config, lang, &language.value) {
            Ok(Some(output)) => others.push(output),
            Ok(None) => {}
            Err(finding) => not_found_findings.push(finding),
        }
    }
    let langs: Vec<String> = views.keys().cloned().collect();
    drop((views, groups));
    // The site-wide files only need the placed site and the headings. One after the other,
    // not side by side: the search indexes and the outlines they read are as large as the
    // sitemap, and the outlines are let go of before the sitemap is made.
    let search_indexes = langs
        .iter()
        .filter_map(|lang| {
            let path = crate::search::file_name(lang);
            let make = || search_index(site, config, lang, &headings);
            reuse.site_file(&path, SiteWide::Headings, &make)
        })
        .collect::<Vec<Output>>();
    drop(outlines);
    let mut publishing = Vec::new();
    let publishing_findings = publishing_files(site, config, reuse, &mut publishing);
    // Each page's file is moved out of `made` into `kept`, which takes over its allocation
    // (collected in place) rather than holding a second list of every page beside it.
    let mut paths = Vec::with_capacity(targets.len() + theme.statics.len() + site.assets.len());
    let mut kept: Vec<T> = made
        .into_iter()
        .filter_map(|made| match made.page {
            Some(Ok(Some((path, file)))) => {
                paths.push(path);
                Some(file)
            }
            Some(Ok(None)) | None => None,
            Some(Err(finding)) => {
                // One broken template fails every page that uses it: say it once.
                let key = (finding.file.clone(), finding.line, finding.message.clone());
                template_findings.entry(key).or_insert((finding, 0)).1 += 1;
                None
            }
        })
        .collect();
    findings.extend(template_findings.into_values().map(|(mut finding, count)| {
        if count > 1 {
            finding.message = format!("{} (on {count} pages)", finding.message);
        }
        finding
    }));
    findings.extend(not_found_findings);
    findings.extend(publishing_findings);
    others.extend(publishing);
    let mut others: Vec<Output> = others.into_par_iter().map(minify_if(config)).collect();
    // Made finished (see `search_index`).
    others.extend(search_indexes);
    let hashed: Vec<String> = theme
        .statics
        .iter()
        .filter(|f| crate::headers::is_hashed(&f.rel))
        .map(|f| f.rel.clone())
        .collect();
    others.push(Output {
        path: crate::headers::FILE.into(),
        body: Body::Text(crate::headers::file(config, &hashed)),
    });
    findings.extend(crate::headers::too_long(config));
    let copied = theme
        .statics
        .iter()
        .map(|f| (f, &f.rel))
        .chain(site.assets.iter().map(|(f, path)| (f, path)));
    for (file, path) in copied {
        // A file the brand made (an icon in its colours) replaces the theme's as it is.
        let processed = match file.data {
            crate::source::Data::Made(_) => None,
            _ => site.images.get(path),
        };
        match processed {
            Some(set) => others.extend(set.files().map(|variant| Output {
                path: variant.path.clone(),
                body: Body::Processed(variant.file.clone()),
            })),
            None => others.push(minified(Output {
                path: path.clone(),
                body: Body::Copy(file.data.clone()),
            })),
        }
    }
    for output in others {
        paths.push(output.path.clone());
        kept.push(keep(output));
    }
    findings.extend(duplicate_paths(&paths));
    (kept, findings)
}

/// Renders all markdown in parallel and checks every link and `#anchor`, without templates:
/// what runs when the theme has errors, so content problems are still reported in the same
/// run.
pub fn render_bodies(
    site: &Site,
    reuse: &dyn Reuse,
    reader: Option<&dyn ReadBodies>,
) -> Vec<Diagnostic> {
    pass::<()>(site, reuse, reader, None).findings
}

/// The search index of `lang`, finished as `build` writes it; `headings` gives each page's
/// `##` headings by index. (The dev server makes it again when a page's headings change.)
pub fn search_index<'s>(
    site: &'s Site,
    config: &Config,
    lang: &str,
    headings: &(dyn Fn(usize) -> &'s [String] + Sync),
) -> Output {
    minify_if(config)(Output {
        path: crate::search::file_name(lang),
        body: Body::Text(crate::search::index(site, lang, headings, &config.synonyms)),
    })
}

/// One page or section rendered on its own (see `Frame::render_targets`).
#[derive(Debug)]
pub struct Single {
    /// Its markdown rendered, with that rendering's findings: what `Reuse::body` is handed.
    pub body: (Rendered, Vec<Diagnostic>),
    /// Every finding of its markdown, the HTML policy's included.
    pub found: Vec<Diagnostic>,
    /// Its finished file (minified as `build` writes it); `None` for a file that lost its
    /// address to another.
    pub page: Option<Result<Output, Diagnostic>>,
}

/// What every page's rendering reads besides the site and the theme: each language's site
/// view and the FAQ entries of each category. It depends on the site's shape only (not on
/// any page's text), so the dev server keeps it between edits to pages' texts.
pub struct Frame {
    views: BTreeMap<String, Language>,
    groups: CategoryGroups,
}

impl Frame {
    pub fn new(site: &Site, theme: &Theme, config: &Config) -> Frame {
        let views = site
            .languages
            .iter()
            .map(|lang| {
                let view = site_view(site, config, lang, &theme.stylesheets);
                (lang.clone(), Language::new(view))
            })
            .collect();
        Frame {
            views,
            groups: CategoryGroups::new(site),
        }
    }

    /// Renders only `targets` of the site this frame was made for, as the full pass renders
    /// them, each body read by `reader` too: how the dev server shows an edit to a page's
    /// text without the pass over every page. Nothing else the pass makes (anchor checks,
    /// site-wide files) is made here.
    pub fn render_targets(
        &self,
        (site, theme, config): (&Site, &Theme, &Config),
        targets: &[Target],
        reader: Option<&dyn ReadBodies>,
    ) -> Vec<Single> {
        let shared = Shared {
            site,
            theme,
            config,
            views: &self.views,
            groups: &self.groups,
        };
        let minified = minify_if(config);
        targets
            .iter()
            .filter_map(|&target| {
                let common = site.common(target)?;
                let body = render_body(site, target, reader);
                let (mut rendered, mut found) = body.clone();
                crate::html_policy::apply(config.raw_html, &mut rendered.html, &mut found);
                let owns_address = site.by_path.get(&common.path) == Some(&target);
                let page =
                    owns_address.then(|| render_one(&shared, target, rendered).map(&minified));
                Some(Single { body, found, page })
            })
            .collect()
    }
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("languages", &self.views.keys())
            .finish()
    }
}

/// One target's finished file, when templates were rendered.
struct Made<T> {
    /// `None` without templates or for a file that lost its address to another; `Some(Ok(None))`
    /// when `reuse` kept the previous build's file.
    page: Option<Result<Option<(String, T)>, Diagnostic>>,
}

/// `Made`, with what only the pass's anchor checks read: the `#anchor` links it makes.
/// Dropped as soon as the anchors are checked, so the site-wide files are made without them
/// in memory.
struct Unchecked<T> {
    made: Made<T>,
    /// Known when its markdown was rendered; for a kept one, read when first asked for.
    outline: OnceLock<Outline>,
    /// Whether its markdown was kept from the last build (`Markdown::Kept`), with the
    /// pages its `#anchor` links point at (the links are read again only when needed).
    kept: Option<Vec<Target>>,
    anchors: Vec<markdown::AnchorCheck>,
    /// What rendering its markdown and template found.
    found: Vec<Diagnostic>,
}

struct Pass<'p, T> {
    /// Sections first, then pages, in site order.
    targets: Vec<Target>,
    made: Vec<Made<T>>,
    /// Each target's heading ids and headings, by the index of `targets`.
    outlines: Outlines<'p>,
    /// Every link and anchor finding of the site.
    findings: Vec<Diagnostic>,
}

type Finish<'f, T> = &'f (dyn Fn(Output) -> T + Sync);

/// Every target's outline (sections, then pages): the pages kept from the last build read
/// theirs from `reuse` only when another page's `#anchor` link or a search index asks.
struct Outlines<'p> {
    known: Vec<OnceLock<Outline>>,
    site: &'p Site<'p>,
    reuse: &'p dyn Reuse,
}

impl Outlines<'_> {
    /// The outline of `target`, at `index` among the targets.
    fn of(&self, index: usize, target: Target) -> &Outline {
        self.known[index].get_or_init(|| {
            // A kept page's entry was read whole from the record (see `Reuse::outline`).
            self.reuse.outline(self.site, target).unwrap_or_default()
        })
    }
}

/// Renders every target's markdown and, given templates, its page, in parallel; then checks
/// the `#anchors` links point at, which needs every page's heading ids.
fn pass<'p, T: Send>(
    site: &'p Site,
    reuse: &'p dyn Reuse,
    reader: Option<&dyn ReadBodies>,
    templates: Option<(&Shared, Finish<T>)>,
) -> Pass<'p, T> {
    let targets: Vec<Target> = (0..site.sections.len())
        .map(Target::Section)
        .chain((0..site.pages.len()).map(Target::Page))
        .collect();
    let mut results: Vec<Unchecked<T>> = targets
        .par_iter()
        .map(|&target| {
            let common = site.common(target).expect("placed targets exist");
            // The body is read (from disk, when `build` left it there) only when it is
            // rendered, and dropped as soon as it is.
            let (mut rendered, mut found, outline, kept) =
                match reuse.body(site, target, &|| render_body(site, target, reader)) {
                    Markdown::Rendered(rendered, found) => {
                        let outline = OnceLock::from(Outline::of(&rendered));
                        (rendered, found, outline, None)
                    }
                    Markdown::Kept(to) => {
                        let rendered = Rendered::default();
                        (rendered, Vec::new(), OnceLock::new(), Some(to))
                    }
                };
            if let Some((shared, _)) = templates {
                crate::html_policy::apply(shared.config.raw_html, &mut rendered.html, &mut found);
            }
            // A file that lost its address to another is already reported
            // (`site/duplicate-url`); rendering it too would add a misleading second error.
            let owns_address = site.by_path.get(&common.path) == Some(&target);
            let page = templates.filter(|_| owns_address).map(|(shared, finish)| {
                let made = reuse.page(site, target, &|| {
                    render_one(shared, target, rendered.clone())
                })?;
                Ok(made.map(|output| (output.path.clone(), finish(output))))
            });
            // Kept for every page until the pass ends: without a list's spare room.
            let mut anchors = take(&mut rendered.anchors_to_check);
            anchors.shrink_to_fit();
            Unchecked {
                made: Made { page },
                outline,
                kept,
                anchors,
                found,
            }
        })
        .collect();
    // `targets` holds the sections, then the pages, each in index order.
    let index_of = |target: Target| match target {
        Target::Section(i) => Some(i),
        Target::Page(i) => Some(site.sections.len() + i),
        Target::Unavailable | Target::Draft => None,
    };
    let known = results.iter_mut().map(|u| take(&mut u.outline)).collect();
    let outlines = Outlines { known, site, reuse };
    let kept = |target: Target| index_of(target).is_some_and(|i| results[i].kept.is_some());
    let anchor_findings: Vec<Vec<Diagnostic>> = targets
        .iter()
        .zip(&results)
        .map(|(target, unchecked)| {
            let source = &site.common(*target).expect("placed").source;
            // A link between two pages kept from the last build was checked by that build,
            // which found nothing wrong (it would not have finished): neither text changed.
            let ids_of = |to: Target| {
                let checked = unchecked.kept.is_some() && kept(to);
                let index = index_of(to).filter(|_| !checked)?;
                Some(outlines.of(index, to).ids.clone())
            };
            // A kept page's links are read again only when one points at a page rendered anew.
            let read;
            let anchors = match &unchecked.kept {
                None => &unchecked.anchors,
                Some(to) if to.iter().any(|&to| index_of(to).is_some() && !kept(to)) => {
                    read = reuse.anchors(site, *target);
                    &read
                }
                Some(_) => return Vec::new(),
            };
            markdown::check_anchors(source, anchors, &ids_of)
        })
        .collect();
    // After the anchor checks, only the search indexes read the outlines: of their `##`
    // headings. The heading ids (at 100,000 pages, 19 MB) are let go of before them.
    let mut outlines = outlines;
    outlines.known.par_iter_mut().for_each(|outline| {
        if let Some(outline) = outline.get_mut() {
            outline.ids = Vec::new();
        }
    });
    let mut findings = Vec::new();
    let made = results
        .into_iter()
        .zip(anchor_findings)
        .map(|(unchecked, anchors)| {
            findings.extend(unchecked.found);
            findings.extend(anchors);
            unchecked.made
        })
        .collect();
    Pass {
        targets,
        made,
        outlines,
        findings,
    }
}

/// `target`'s markdown rendered against the site's addresses, each event shown to `reader`
/// too; its body read for it (an error when it can no longer be read, see
/// `source::BodyText`).
fn render_body(
    site: &Site,
    target: Target,
    reader: Option<&dyn ReadBodies>,
) -> (Rendered, Vec<Diagnostic>) {
    let Some(common) = site.common(target) else {
        return (Rendered::default(), Vec::new());
    };
    let body = match common.body.read() {
        Ok(body) => body,
        Err(finding) => return (Rendered::default(), vec![finding]),
    };
    let page = PageRef {
        source: &common.source,
        path: &common.path,
        body: &body,
        body_line: common.body_line,
    };
    let parse = |watch: Watch| markdown::render_watched(page, site, watch);
    match reader {
        Some(reader) => reader.read(target, &body, &parse),
        None => parse(&mut markdown::unwatched),
    }
}

/// Two files on one path (a static file named like a page, say).
fn duplicate_paths(paths: &[String]) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    paths
        .iter()
        .filter(|path| !seen.insert(path.as_str()))
        .map(|path| {
            Diagnostic::new(
                Code::SiteDuplicateOutput,
                std::path::PathBuf::from(path),
                format!("two files of the site would be written to `{path}`"),
            )
            .help("rename the static or content file that has the same name as a page")
        })
        .collect()
}

#[cfg(test)]
mod tests;
