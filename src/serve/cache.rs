//! The preview's memory of earlier builds: the changed files in, the `ReuseRead` and `Reuse`
//! that let the pipeline skip everything else out.
//!
//! Kept between rebuilds: the text of every content file (only changed files are read
//! again), each file's parsed front matter, each page's rendered markdown, and which output
//! file each page became. A body or a page is reused only when its own file is unchanged
//! *and* the site's shape is unchanged: the shape is every file's path and front matter
//! (titles, addresses, order, summaries, categories, translations…), so any edit that can
//! show on another page (a listing, the navigation, a related-questions box, a link) changes
//! it and re-renders every page. An edit to a page's text re-renders that page alone; the
//! site-wide files (sitemap, search index, 404, redirects) are always rendered again.
//! A change to the theme or `site.yaml` starts a new, empty cache. The placed site itself,
//! with the files it was placed from, is kept too (`kept::PlacedSite`), for the edits that
//! need no pass over the whole site (`quick`).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::snapshot::Snapshot;
use crate::diagnostics::Diagnostic;
use crate::frontmatter::{self, Parsed, RawFrontMatter};
use crate::incremental::{Markdown, Reuse, ReuseRead};
use crate::markdown::Rendered;
use crate::render::Output;
use crate::site::{Common, Site, Target};
use crate::source::{self, Content, ContentFile};

type FrontMatter = Result<(RawFrontMatter, Layout), Vec<Diagnostic>>;

/// Where a file's header and body sit in its text, kept with its parsed header so that an
/// unchanged file is not split again on every rebuild.
#[derive(Debug, Clone, Copy)]
struct Layout {
    yaml: (usize, usize),
    yaml_line: usize,
    body: usize,
    body_line: usize,
}

impl Layout {
    /// `None` when the parse's slices are not slices of `text`.
    fn of(text: &str, parsed: &Parsed) -> Option<Layout> {
        let start = text.as_ptr() as usize;
        let at = |part: &str| {
            let offset = (part.as_ptr() as usize).checked_sub(start)?;
            (offset + part.len() <= text.len()).then_some(offset)
        };
        let yaml = at(parsed.yaml)?;
        Some(Layout {
            yaml: (yaml, yaml + parsed.yaml.len()),
            yaml_line: parsed.yaml_line,
            body: at(parsed.body.in_memory()?)?,
            body_line: parsed.body_line,
        })
    }
}
pub type Body = (Rendered, Vec<Diagnostic>);

/// What earlier good builds did, by source file (relative to `content/`).
#[derive(Debug, Default)]
pub struct Cache {
    /// The files of `content/` as last read, and what reading them found; `None` while
    /// they are lent to the placed site (see `take_content`).
    content: Option<(Content, Vec<Diagnostic>)>,
    /// The placed site of the last rebuild, which holds the files of `content/` then.
    pub placed: Option<super::kept::PlacedSite>,
    pub memory: Memory,
}

/// What earlier good builds made, by source file (relative to `content/`).
#[derive(Debug, Default)]
pub struct Memory {
    front_matter: HashMap<String, FrontMatter>,
    /// The shape of the site the bodies and pages below were rendered in.
    shape: Option<blake3::Hash>,
    pub bodies: HashMap<String, Body>,
    /// The output path each page's file has in the snapshot being served.
    pages: HashMap<String, String>,
}

/// One rebuild's view of the cache, collecting what the rebuild does anew.
#[derive(Debug)]
pub struct Reusing<'c> {
    cache: &'c Memory,
    content: &'c Content,
    /// This build's site shape, worked out on first use.
    shape: OnceLock<blake3::Hash>,
    fresh: Mutex<Fresh>,
}

/// What one rebuild did anew, to remember once it has succeeded.
#[derive(Debug, Default)]
pub struct Fresh {
    shape: Option<blake3::Hash>,
    front_matter: Vec<(String, FrontMatter)>,
    bodies: Vec<(String, Body)>,
    pages: Vec<(String, String)>,
    /// Output paths of the pages kept from the previous snapshot.
    kept: Vec<String>,
}

impl Cache {
    /// The files of `content/` after `changed` (paths relative to the site root): only the
    /// edited markdown files are read again when that is all that changed. What was derived
    /// from changed files is forgotten. The files are handed over: the placed site made
    /// from them (`placed`) keeps them until the next full rebuild.
    pub fn take_content(
        &mut self,
        root: &Path,
        changed: &BTreeSet<PathBuf>,
    ) -> (Content, Vec<Diagnostic>) {
        if let Some(placed) = self.placed.take() {
            self.content = Some(placed.into_content());
        }
        if !self.patch_content(root, changed) {
            self.read_all_content(root);
        }
        self.content.take().unwrap_or_default()
    }

    /// Reads just the edited markdown files again, when that is all that changed. `false`
    /// when a file was added, removed, renamed or is not a plain readable markdown file: then
    /// the whole folder must be read.
    fn patch_content(&mut self, root: &Path, changed: &BTreeSet<PathBuf>) -> bool {
        let Some((content, findings)) = &mut self.content else {
            return false;
        };
        if !findings.is_empty() {
            return false;
        }
        let mut texts = Vec::new();
        for path in changed {
            match read_page(root, path, content) {
                Some(read) => texts.push(read),
                None => return false,
            }
        }
        let mut edited = Vec::new();
        for (index, text) in texts {
            let file = &mut content.pages[index];
            if file.text != text {
                file.text = text;
                edited.push(file.rel.clone());
            }
        }
        for rel in edited {
            self.memory.forget(&rel);
        }
        true
    }

    fn read_all_content(&mut self, root: &Path) {
        let (content, findings) = source::read_content(root);
        let old: HashMap<&str, &str> = self
            .content
            .as_ref()
            .map(|(c, _)| {
                c.pages
                    .iter()
                    .map(|f| (f.rel.as_str(), f.text.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let memory = &self.memory;
        let stale: Vec<String> = memory
            .front_matter
            .keys()
            .chain(memory.bodies.keys())
            .chain(memory.pages.keys())
            .filter(|rel| {
                let now = content
                    .pages
                    .binary_search_by(|f| f.rel.as_str().cmp(rel.as_str()));
                match now {
                    Ok(i) => old.get(rel.as_str()) != Some(&content.pages[i].text.as_str()),
                    Err(_) => true,
                }
            })
            .cloned()
            .collect();
        for rel in stale {
            self.memory.forget(&rel);
        }
        self.content = Some((content, findings));
    }
}

/// The index in `content` of the markdown file at `path` (relative to the site root) and its
/// text now; `None` when it is not a plain readable markdown file `content` already has.
pub fn read_page(root: &Path, path: &Path, content: &Content) -> Option<(usize, String)> {
    let rel = path.strip_prefix("content").ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    let index = content
        .pages
        .binary_search_by(|f| f.rel.as_str().cmp(&rel))
        .ok()?;
    let full = root.join(path);
    let plain_file = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
    let text = plain_file
        .then(|| std::fs::read(&full).ok())
        .flatten()
        .and_then(|bytes| source::decode(bytes, path).ok())?;
    Some((index, text))
}

impl Memory {
    /// One rebuild's view of what is remembered, for a site of `content`.
    pub fn reusing<'c>(&'c self, content: &'c Content) -> Reusing<'c> {
        Reusing {
            cache: self,
            content,
            shape: OnceLock::new(),
            fresh: Mutex::default(),
        }
    }

    /// Remembers what a good rebuild did.
    pub fn absorb(&mut self, fresh: Fresh) {
        self.front_matter.extend(fresh.front_matter);
        if fresh.shape != self.shape {
            self.bodies.clear();
            self.pages.clear();
            self.shape = fresh.shape;
        }
        self.bodies.extend(fresh.bodies);
        self.pages.extend(fresh.pages);
    }

    /// Remembers a page whose text alone changed (the site's shape did not): its front
    /// matter (`parsed`, as placed) laid out in its new `text` (at `path`), and its new body.
    pub fn edited(&mut self, rel: &str, (text, path): (&str, &Path), parsed: &Parsed, body: Body) {
        let layout = frontmatter::split(text, path).ok().and_then(|split| {
            let parts = Parsed {
                meta: RawFrontMatter::default(),
                yaml: split.yaml,
                yaml_line: split.yaml_line,
                body: crate::source::BodyText::Here(split.body),
                body_line: split.body_line,
                body_hash: Default::default(),
                findings: Vec::new(),
            };
            Layout::of(text, &parts)
        });
        // As in `front_matter`: a parse with findings of its own is parsed again next time.
        match layout.filter(|_| parsed.findings.is_empty()) {
            Some(layout) => {
                self.front_matter
                    .insert(rel.to_string(), Ok((parsed.meta.clone(), layout)));
            }
            None => {
                self.front_matter.remove(rel);
            }
        }
        self.bodies.insert(rel.to_string(), body);
    }

    /// Forgets what was made from the file at `rel`.
    pub fn forget(&mut self, rel: &str) {
        self.front_matter.remove(rel);
        self.bodies.remove(rel);
        self.pages.remove(rel);
    }
}

impl Fresh {
    /// Adds what placing read anew (front matter) to what rendering did.
    pub fn add_read(&mut self, read: Fresh) {
        self.front_matter.extend(read.front_matter);
    }

    /// How many pages were kept from the previous snapshot.
    pub fn kept(&self) -> usize {
        self.kept.len()
    }
}

impl Reusing<'_> {
    /// What this rebuild did anew (for a view used only to place the site).
    pub fn into_fresh(self) -> Fresh {
        self.fresh.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The whole site to serve, and what this rebuild did anew: the `outputs` of the build
    /// plus the pages it kept from `previous`.
    pub fn finish(self, outputs: Vec<Output>, previous: &Snapshot) -> (Snapshot, Fresh) {
        let mut fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        fresh.shape = self.shape.get().copied();
        let snapshot = previous.merged(outputs, &fresh.kept);
        (snapshot, fresh)
    }

    /// Whether bodies and pages of the previous build were made for a site of this shape.
    fn same_shape(&self) -> bool {
        let shape = *self
            .shape
            .get_or_init(|| crate::incremental::shape(self.content));
        self.cache.shape == Some(shape)
    }

    /// The output path of the previous build's file for this page, when it is still right.
    fn kept_page(&self, common: &Common) -> Option<&String> {
        if !self.same_shape() {
            return None;
        }
        self.cache.pages.get(&common.source)
    }

    fn record(&self, add: impl FnOnce(&mut Fresh)) {
        add(&mut self.fresh.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

impl ReuseRead for Reusing<'_> {
    fn content(&self, _root: &Path) -> (Cow<'_, Content>, Vec<Diagnostic>) {
        (Cow::Borrowed(self.content), Vec::new())
    }

    fn front_matter<'a>(
        &self,
        file: &'a ContentFile,
        parse: &dyn Fn() -> Result<Parsed<'a>, Vec<Diagnostic>>,
    ) -> Result<Parsed<'a>, Vec<Diagnostic>> {
        match self.cache.front_matter.get(&file.rel) {
            Some(Ok((meta, layout))) => {
                let text = file.text.as_str();
                if let (Some(yaml), Some(body)) = (
                    text.get(layout.yaml.0..layout.yaml.1),
                    text.get(layout.body..),
                ) {
                    return Ok(Parsed {
                        meta: meta.clone(),
                        yaml,
                        yaml_line: layout.yaml_line,
                        body: crate::source::BodyText::Here(body),
                        body_line: layout.body_line,
                        body_hash: Default::default(),
                        findings: Vec::new(),
                    });
                }
            }
            Some(Err(errors)) => return Err(errors.clone()),
            None => {}
        }
        let parsed = parse();
        // A parse whose slices are not slices of the file, or that has findings of its own,
        // is not remembered: parsed again next time.
        let meta = match &parsed {
            Ok(p) if !p.findings.is_empty() => None,
            Ok(p) => Layout::of(&file.text, p).map(|layout| Ok((p.meta.clone(), layout))),
            Err(errors) => Some(Err(errors.clone())),
        };
        if let Some(meta) = meta {
            self.record(|fresh| fresh.front_matter.push((file.rel.clone(), meta)));
        }
        parsed
    }
}

impl Reuse for Reusing<'_> {
    fn body(
        &self,
        site: &Site,
        target: Target,
        render: &dyn Fn() -> (Rendered, Vec<Diagnostic>),
    ) -> Markdown {
        let Some(common) = site.common(target) else {
            let (rendered, findings) = render();
            return Markdown::Rendered(rendered, findings);
        };
        if self.same_shape()
            && let Some((rendered, findings)) = self.cache.bodies.get(&common.source)
        {
            // A page kept whole never reads its HTML again (see `page`): skip the copy.
            let html = match self.kept_page(common) {
                Some(_) => String::new(),
                None => rendered.html.clone(),
            };
            let rendered = Rendered {
                html,
                toc: rendered.toc.clone(),
                ids: rendered.ids.clone(),
                word_count: rendered.word_count,
                anchors_to_check: rendered.anchors_to_check.clone(),
            };
            return Markdown::Rendered(rendered, findings.clone());
        }
        let (rendered, findings) = render();
        self.record(|fresh| {
            let body = (rendered.clone(), findings.clone());
            fresh.bodies.push((common.source.clone(), body));
        });
        Markdown::Rendered(rendered, findings)
    }

    fn page(
        &self,
        site: &Site,
        target: Target,
        render: &dyn Fn() -> Result<Output, Diagnostic>,
    ) -> Result<Option<Output>, Diagnostic> {
        let Some(common) = site.common(target) else {
            return render().map(Some);
        };
        if let Some(path) = self.kept_page(common) {
            self.record(|fresh| fresh.kept.push(path.clone()));
            return Ok(None);
        }
        let output = render()?;
        self.record(|fresh| {
            fresh
                .pages
                .push((common.source.clone(), output.path.clone()))
        });
        Ok(Some(output))
    }

    fn kept_paths(&self) -> Vec<String> {
        let fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        fresh.kept.clone()
    }
}
