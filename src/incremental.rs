//! Reusing an earlier build's work: the hook through which the dev server's cache (see
//! `serve::cache`) lets `pipeline::render_site_reusing` skip what did not change.
//!
//! Each method is handed the way to do the work itself and may return an earlier result
//! instead, but only one that is exactly what the work would produce now. `build` uses
//! `BuildCache`, and `Fresh` always does the work. `check` uses the same hook to read each
//! page's text from the markdown events the renderer parses (`check::PageRules`).

use std::borrow::Cow;
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::frontmatter::Parsed;
use crate::markdown::{Rendered, Watch, unwatched};
use crate::output::Output;
use crate::site::{Site, Target};
use crate::source::{self, Content, ContentFile};

/// What a rebuild may take from the builds before it.
pub trait Reuse: Sync {
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

    /// One page's or section's markdown, rendered against the site's addresses. `render`
    /// shows each markdown event it parses to the `Watch` it is given.
    fn body(
        &self,
        _site: &Site,
        _target: Target,
        render: &dyn Fn(Watch) -> (Rendered, Vec<Diagnostic>),
    ) -> (Rendered, Vec<Diagnostic>) {
        render(&mut unwatched)
    }

    /// Called once the theme is loaded, before any page is rendered.
    fn theme_loaded(&self, _theme: &crate::theme::Theme) {}

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
}

/// Reuses nothing: every build from scratch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fresh;

impl Reuse for Fresh {}

/// The site's shape: every content file's path and front matter (with the line its body starts
/// on) and every copied file's path. Together with the theme and `site.yaml`, these decide
/// everything about the placed site but the bodies: `site` reads no body text, and no page
/// shows another page's body. So while the shape, the theme and the settings stay the same, a
/// page whose own file is unchanged renders to the same bytes. (`serve`'s test
/// `rebuilds_after_any_edits_equal_a_fresh_build` and `incremental`'s tests catch a stage
/// that starts to read other pages' bodies.)
pub fn shape(content: &Content) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    for file in &content.pages {
        hasher.update(file.rel.as_bytes());
        hasher.update(b"\0");
        match crate::frontmatter::split(&file.text, Path::new(&file.rel)) {
            Ok(split) => {
                hasher.update(split.yaml.as_bytes());
                hasher.update(&split.body_line.to_le_bytes());
            }
            Err(_) => {
                hasher.update(file.text.as_bytes());
            }
        }
        hasher.update(b"\0");
    }
    for asset in &content.assets {
        hasher.update(asset.rel.as_bytes());
        hasher.update(b"\0");
    }
    hasher.finalize()
}
