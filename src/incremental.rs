//! Reusing an earlier build's work, through two hooks with one job each:
//! - `Reuse`: the rendering pass may take a page's rendered body or finished file, or a file
//!   made from the whole site (`site_file`), from an earlier build instead of making it (`build`'s `BuildCache`, the dev server's cache,
//!   `serve::cache`).
//! - `ReuseRead`: placing may take the files of `content/` and their parsed front matter from
//!   the dev server's last read instead of reading and parsing them again.
//!
//! Each method is handed the way to do the work itself and may return an earlier result
//! instead, but only one that is exactly what the work would produce now. `Fresh` always
//! does the work. (`check` reads each page's text through its own hook, `render::ReadBodies`.)

use std::borrow::Cow;
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::frontmatter::Parsed;
use crate::markdown::{AnchorCheck, Rendered};
use crate::output::Output;
use crate::site::{Site, Target};
use crate::source::{self, Content, ContentFile};

/// What the rendering pass may take from the builds before it.
pub trait Reuse: Sync {
    /// Called once the theme is loaded, before any page is rendered.
    fn theme_loaded(&self, _theme: &crate::theme::Theme) {}

    /// One page's or section's markdown, rendered against the site's addresses.
    fn body(
        &self,
        _site: &Site,
        _target: Target,
        render: &dyn Fn() -> (Rendered, Vec<Diagnostic>),
    ) -> Markdown {
        let (rendered, findings) = render();
        Markdown::Rendered(rendered, findings)
    }

    /// The heading ids and `##` headings of a page whose markdown `body` kept
    /// (`Markdown::Kept`), read when another page's `#anchor` link or a search index needs
    /// them.
    fn outline(&self, _site: &Site, _target: Target) -> Option<Outline> {
        None
    }

    /// The `#anchor` links of a page whose markdown `body` kept (`Markdown::Kept`), read
    /// when a page one of them points at was rendered anew.
    fn anchors(&self, _site: &Site, _target: Target) -> Vec<AnchorCheck> {
        Vec::new()
    }

    /// One page's or section's finished file. `None` means that the file the previous
    /// build made for it is still exactly right: the caller keeps that one.
    fn page(
        &self,
        _site: &Site,
        _target: Target,
        render: &dyn Fn() -> Result<Output, Diagnostic>,
    ) -> Result<Option<Output>, Diagnostic> {
        render().map(Some)
    }

    /// A file made from the whole site (the sitemap, a search index): `make` reads the placed
    /// site and the settings, and what `reads` adds. `None` means that the file the previous
    /// build made at `path` is still exactly right: the caller keeps that one.
    fn site_file(
        &self,
        _path: &str,
        _reads: SiteWide,
        make: &dyn Fn() -> Output,
    ) -> Option<Output> {
        Some(make())
    }

    /// The output paths of the pages `page` kept so far (their files are not among the
    /// pass's outputs).
    fn kept_paths(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A page's markdown as the rendering pass gets it from `Reuse::body`.
#[derive(Debug, Clone)]
pub enum Markdown {
    /// Rendered now, or as an earlier build rendered it, with what rendering found.
    Rendered(Rendered, Vec<Diagnostic>),
    /// Kept with the page's finished file from the last build, which found nothing in it:
    /// only the pages and sections its `#anchor` links point at (sorted, once each). The
    /// links themselves are read (`Reuse::anchors`) only when one of those was rendered
    /// anew, as only then are they checked again. Its heading ids and headings are read
    /// only when asked (`Reuse::outline`): most pages are never asked.
    Kept(Vec<Target>),
}

/// What other pages and the search index read of a page's markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every heading id, sorted, for other pages' `#anchor` links.
    pub ids: Vec<String>,
    /// Its `##` headings, in order, for the search index.
    pub headings: Vec<String>,
}

impl Outline {
    /// The outline of `rendered`.
    pub fn of(rendered: &Rendered) -> Outline {
        let mut ids: Vec<String> = rendered.ids.iter().cloned().collect();
        ids.sort_unstable();
        let mut headings: Vec<String> = rendered
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| h.text.clone())
            .collect();
        // Every page's is kept until the pass ends: without a list's spare room.
        headings.shrink_to_fit();
        Outline { ids, headings }
    }
}

/// What a file made from the whole site reads besides the placed site and the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteWide {
    /// Nothing else (the sitemap).
    Placed,
    /// Every page's `##` headings (a search index).
    Headings,
}

/// What placing may take from the last read of the site's files.
pub trait ReuseRead: Sync {
    /// The files of `content/`.
    fn content(&self, root: &Path) -> (Cow<'_, Content>, Vec<Diagnostic>) {
        let (content, findings) = source::read_content(root);
        (Cow::Owned(content), findings)
    }

    /// One markdown file's front matter and body.
    fn front_matter<'a>(
        &self,
        _file: &'a ContentFile,
        parse: &dyn Fn() -> Result<Parsed<'a>, Vec<Diagnostic>>,
    ) -> Result<Parsed<'a>, Vec<Diagnostic>> {
        parse()
    }
}

/// Reuses nothing: every build from scratch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fresh;

impl Reuse for Fresh {}

impl ReuseRead for Fresh {}

/// The site's shape: every content file's path and front matter (with the line its body starts
/// on) and every copied file's path. Together with the theme and `site.yaml`, these decide
/// everything about the placed site but the bodies: `site` reads no body text, and no page
/// shows another page's body. So while the shape, the theme and the settings stay the same, a
/// page whose own file is unchanged renders to the same bytes. (`serve`'s test
/// `rebuilds_after_any_edits_equal_a_fresh_build` and `incremental`'s tests catch a stage
/// that starts to read other pages' bodies.)
pub fn shape(content: &Content) -> blake3::Hash {
    shape_parsed(content, &crate::frontmatter::FrontMatters::default())
}

/// `shape`, taking each file's front matter from its parse in `parsed` (by path relative to
/// `content/`) when there is one, rather than cutting the file again.
pub fn shape_parsed(content: &Content, parsed: &crate::frontmatter::FrontMatters) -> blake3::Hash {
    // Written out in one buffer, hashed in one call: the hasher is slow to call with many
    // small pieces.
    let mut all = Vec::with_capacity(content.pages.len() * 512);
    // Both are in path order, as a rule: walked side by side rather than searched.
    let mut in_order = parsed.iter().peekable();
    for file in &content.pages {
        all.extend_from_slice(file.rel.as_bytes());
        all.push(0);
        while in_order
            .next_if(|(rel, _)| *rel < file.rel.as_str())
            .is_some()
        {}
        let found = match in_order.peek() {
            Some(&(rel, front)) if rel == file.rel => Some(front),
            _ => parsed.get(&file.rel),
        };
        let split = match found {
            Some(parsed) => Some((parsed.yaml, parsed.body_line)),
            None => crate::frontmatter::split(&file.text, Path::new(&file.rel))
                .ok()
                .map(|split| (split.yaml, split.body_line)),
        };
        match split {
            Some((yaml, body_line)) => {
                all.extend_from_slice(yaml.as_bytes());
                all.extend_from_slice(&body_line.to_le_bytes());
            }
            None => all.extend_from_slice(file.text.as_bytes()),
        }
        all.push(0);
    }
    for asset in &content.assets {
        all.extend_from_slice(asset.rel.as_bytes());
        all.push(0);
    }
    blake3::hash(&all)
}
