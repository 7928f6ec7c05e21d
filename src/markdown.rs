//! Markdown: a page's body in, its HTML, table of contents and the links that still need an
//! anchor check out.
//!
//! Links to other markdown files (`[x](pain.md)`, `[x](@/faq/pain.md#aftercare)`) become the
//! target page's address, relative to the page so the site works under any folder. A link to
//! a missing file is reported here; whether `#anchor` exists on another page is only known
//! once every page is rendered, so those checks are returned as `AnchorCheck`s.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::html_policy;
use crate::site::{Site, Target, parent_dir, slugify};

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every heading id on the page, for anchor checks.
    pub ids: HashSet<String>,
    pub word_count: usize,
    pub anchors_to_check: Vec<AnchorCheck>,
}

/// An entry of the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to `#anchor` on another page, checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorCheck {
    pub target: Target,
    pub anchor: String,
    pub link: String,
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// The page being rendered.
#[derive(Debug, Clone, Copy)]
pub struct PageRef<'s> {
    /// Its markdown source, relative to `content/`.
    pub source: &'s str,
    /// Its address (`faq/pain/`).
    pub path: &'s str,
    pub body: &'s str,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// The markdown every body is read with: tables, footnotes, strikethrough, task lists,
/// `{#id}` on headings, and typographic quotes, dashes and ellipses.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Something that sees each markdown event of a body, with where it is written, as `render`
/// parses it: `check` reads a page's text this way instead of parsing it a second time.
pub type Watch<'w> = &'w mut dyn FnMut(&Event<'_>, Range<usize>);

/// A `Watch` that looks at nothing.
pub fn unwatched(_: &Event<'_>, _: Range<usize>) {}

/// Renders `page`'s body, resolving links against `site`.
pub fn render(page: PageRef, site: &Site) -> (Rendered, Vec<Diagnostic>) {
    render_watched(page, site, &mut unwatched)
}

/// `render`, showing every parsed event to `watch` first.
pub fn render_watched(page: PageRef, site: &Site, watch: Watch) -> (Rendered, Vec<Diagnostic>) {
    let lines = LineIndex::new(page.body);
    let mut out = Rendered::default();
    let mut findings = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>)> = None;
    let mut suffixes = HashMap::new();
    let mut in_external_link = false;
    let root = root_prefix(page.path);
    let mut guard = html_policy::Guard::default();
    let mut image: Option<PendingImage> = None;
    let mut images_seen = 0;

    for (event, range) in Parser::new_ext(page.body, OPTIONS).into_offset_iter() {
        watch(&event, range.clone());
        let spot = || {
            let at = lines.at(range.clone(), page.body_line);
            html_policy::Spot {
                line: at.line,
                column: at.column,
                width: at.width,
            }
        };
        if !guard.see(&event, &spot) {
            continue;
        }
        // An image's alt text arrives as the events between its start and end.
        let event = match (event, &mut image) {
            (Event::End(TagEnd::Image), Some(_)) => {
                let Some(pending) = image.take() else {
                    continue;
                };
                images_seen += 1;
                let html = pending.finish(&root, images_seen == 1, page, &mut findings);
                Event::Html(html.into())
            }
            (Event::Text(text) | Event::Code(text), Some(pending)) => {
                pending.alt.push_str(&text);
                continue;
            }
            (Event::SoftBreak | Event::HardBreak, Some(pending)) => {
                pending.alt.push(' ');
                continue;
            }
            (_, Some(_)) => continue,
            (event, None) => event,
        };
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let at = lines.at(range.clone(), page.body_line);
                match resolve_link(&dest_url, page, site, &root, at, &mut out, &mut findings) {
                    Link::External => {
                        in_external_link = true;
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", escape(&title))
                        };
                        Event::Html(
                            format!("<a href=\"{}\" rel=\"noopener\"{title}>", escape(&dest_url))
                                .into(),
                        )
                    }
                    Link::Internal(href) => Event::Start(Tag::Link {
                        link_type,
                        dest_url: href.into(),
                        title,
                        id,
                    }),
                }
            }
            Event::End(TagEnd::Link) if in_external_link => {
                in_external_link = false;
                Event::Html("</a>".into())
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let at = lines.at(range.clone(), page.body_line);
                let href =
                    match resolve_link(&dest_url, page, site, &root, at, &mut out, &mut findings) {
                        Link::External => dest_url.to_string(),
                        Link::Internal(href) => href,
                    };
                let set = href
                    .strip_prefix(root.as_str())
                    .and_then(|p| site.images.get(p));
                image = Some(PendingImage {
                    dest: dest_url.to_string(),
                    href,
                    title: title.to_string(),
                    set: set.cloned(),
                    at,
                    alt: String::new(),
                });
                continue;
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                out.word_count += text.split_whitespace().count();
                event
            }
            other => other,
        };
        match (event, &mut heading) {
            (Event::Start(Tag::Heading { level, id, .. }), None) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new()));
            }
            (Event::End(TagEnd::Heading(_)), Some(_)) => {
                let (level, id, inner) =
                    heading
                        .take()
                        .unwrap_or((HeadingLevel::H2, None, Vec::new()));
                emit_heading((level, id, inner), &mut out, &mut events, &mut suffixes);
            }
            (event, Some((_, _, inner))) => inner.push(event),
            (event, None) => events.push(event),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    findings.extend(guard.finish(&PathBuf::from("content").join(page.source)));
    (out, findings)
}

/// `../../` from `faq/pain/`, `./` from the home page.
pub fn root_prefix(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

fn emit_heading<'e>(
    (level, id, inner): (HeadingLevel, Option<String>, Vec<Event<'e>>),
    out: &mut Rendered,
    events: &mut Vec<Event<'e>>,
    suffixes: &mut HashMap<String, usize>,
) {
    let text: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = id.unwrap_or_else(|| {
        let slug = slugify(&text);
        if slug.is_empty() {
            "section".into()
        } else {
            slug
        }
    });
    let id = unique_id(base, &mut out.ids, suffixes);
    let level_number = level as u8;
    if (2..=3).contains(&level_number) {
        out.toc.push(Heading {
            level: level_number,
            id: id.clone(),
            text: text.clone(),
        });
    }
    let id = escape(&id);
    events.push(Event::Html(format!("<h{level_number} id=\"{id}\">").into()));
    events.extend(inner);
    events.push(Event::Html(
        // A pointer to copy, not a way through the page: hidden from screen readers and the
        // Tab key, so it needs no words in any language.
        format!("<a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level_number}>\n").into(),
    ));
}

/// `base`, or the first of `base-1`, `base-2`… not taken yet. `suffixes` remembers where each
/// base's search stopped (ids are never freed), so a page of 16,000 headings with the same
/// words takes 16,000 steps, not 16,000².
fn unique_id(
    base: String,
    taken: &mut HashSet<String>,
    suffixes: &mut HashMap<String, usize>,
) -> String {
    let mut id = base.clone();
    if taken.contains(&id) {
        let n = suffixes.entry(base.clone()).or_insert(1);
        loop {
            id = format!("{base}-{n}");
            *n += 1;
            if !taken.contains(&id) {
                break;
            }
        }
    }
    taken.insert(id.clone());
    id
}

/// A markdown image whose alt text is being read.
struct PendingImage {
    /// As written.
    dest: String,
    /// Its address from the page.
    href: String,
    title: String,
    /// Its published files, when the build processed it.
    set: Option<crate::assets::ImageSet>,
    at: At,
    alt: String,
}

impl PendingImage {
    /// Its markup (see `assets::markup`); an image without alt text is an error.
    fn finish(
        self,
        root: &str,
        first: bool,
        page: PageRef,
        findings: &mut Vec<Diagnostic>,
    ) -> String {
        use crate::assets::markup::{self, Alt, Shown};
        let alt = Alt::of(&self.alt);
        if alt == Alt::Missing {
            findings.push(
                Diagnostic::error(
                    "content/image-alt",
                    PathBuf::from("content").join(page.source),
                    format!("the image `{}` has no alt text", self.dest),
                )
                .at(self.at.line, self.at.column)
                .width(self.at.width)
                .help(markup::ALT_HELP),
            );
        }
        let shown = Shown {
            root,
            alt,
            title: &self.title,
            sizes: markup::SIZES,
            first,
        };
        match &self.set {
            Some(set) => markup::picture(set, shown),
            None => markup::plain(&self.href, shown),
        }
    }
}

enum Link {
    External,
    Internal(String),
}

#[derive(Clone, Copy)]
struct At {
    line: usize,
    column: usize,
    /// Characters of the link's markdown on its first line.
    width: usize,
}

/// Resolves a link target; missing files and pages are reported.
fn resolve_link(
    dest: &CowStr,
    page: PageRef,
    site: &Site,
    root: &str,
    at: At,
    out: &mut Rendered,
    findings: &mut Vec<Diagnostic>,
) -> Link {
    let dest = dest.as_ref();
    if is_external(dest) {
        return Link::External;
    }
    let file = PathBuf::from("content").join(page.source);
    let report = |message: String, help: &str| {
        Diagnostic::error("link/broken", &file, message)
            .at(at.line, at.column)
            .width(at.width)
            .help(help)
    };
    let (target_text, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    if target_text.is_empty() {
        if let Some(anchor) = anchor {
            out.anchors_to_check.push(AnchorCheck {
                target: site
                    .by_path
                    .get(page.path)
                    .copied()
                    .unwrap_or(Target::Unavailable),
                anchor: anchor.to_string(),
                link: dest.to_string(),
                line: at.line,
                column: at.column,
                width: at.width,
            });
        }
        return Link::Internal(dest.to_string());
    }
    let with_anchor = |href: String| match anchor {
        Some(a) => format!("{href}#{a}"),
        None => href,
    };
    // A site address: `/faq/pain/`.
    if let Some(address) = target_text.strip_prefix('/') {
        let key = if address.is_empty() || address.ends_with('/') {
            address.to_string()
        } else {
            format!("{address}/")
        };
        if let Some(&target) = site.by_path.get(&key) {
            queue_anchor(out, target, anchor, dest, at);
            return Link::Internal(with_anchor(format!("{root}{key}")));
        }
        if site.asset_paths.values().any(|p| p == address) {
            return Link::Internal(with_anchor(format!("{root}{address}")));
        }
        findings.push(report(format!("nothing is published at `{target_text}`"), "link to the page's markdown file instead, like `[Does it hurt?](@/faq/does-it-hurt.md)`"));
        return Link::Internal(dest.to_string());
    }
    let Some(content_rel) = content_target(page.source, target_text) else {
        findings.push(report(
            format!("`{target_text}` points outside the content folder"),
            "link to a file inside `content/`",
        ));
        return Link::Internal(dest.to_string());
    };
    if content_rel.ends_with(".md") {
        return match site.by_source.get(&content_rel) {
            Some(&Target::Unavailable) => Link::Internal(dest.to_string()),
            // A withheld case (see `results`) comes down without breaking the build: links
            // to it lead to its results section.
            Some(&Target::Draft) if site.withheld.iter().any(|w| w.source == content_rel) => {
                let section = site
                    .withheld
                    .iter()
                    .find(|w| w.source == content_rel)
                    .map_or("", |w| w.section_path.as_str());
                Link::Internal(format!("{root}{section}"))
            }
            Some(&Target::Draft) => {
                findings.push(report(
                    format!("the link goes to `{target_text}`, a draft that is not published"),
                    "publish that page (remove its `draft: true` line) or remove this link; `--drafts` builds both to preview",
                ));
                Link::Internal(dest.to_string())
            }
            Some(&target) => {
                queue_anchor(out, target, anchor, dest, at);
                let path = site
                    .common(target)
                    .map(|c| c.path.clone())
                    .unwrap_or_default();
                Link::Internal(with_anchor(format!("{root}{path}")))
            }
            None => {
                // Only pages in the linking page's language: an English page's link is
                // not mended by pointing it at the Spanish file.
                let language = |rel: &str| {
                    crate::site::split_language(rel, &site.languages)
                        .map_or_else(|_| String::new(), |(_, l)| l)
                };
                let own = language(page.source);
                let near = crate::diagnostics::nearest(
                    &content_rel,
                    site.by_source
                        .keys()
                        .map(String::as_str)
                        .filter(|rel| language(rel) == own),
                );
                let help = match near {
                    Some(near) => format!("did you mean `{}`?", relative_to(&parent_dir(page.source), near)),
                    None => "check the file name; links to pages name their markdown file, like `[Does it hurt?](does-it-hurt.md)`".into(),
                };
                findings.push(report(
                    format!("the link goes to `{target_text}`, which does not exist"),
                    &help,
                ));
                Link::Internal(dest.to_string())
            }
        };
    }
    match site.asset_paths.get(&content_rel) {
        Some(output) => Link::Internal(with_anchor(format!("{root}{output}"))),
        None => {
            // Windows and macOS find `Photo.JPG` as `photo.jpg`; web hosts do not.
            let other_case = site
                .asset_paths
                .keys()
                .find(|rel| rel.eq_ignore_ascii_case(&content_rel))
                .map(|rel| crate::site::file_name(rel).to_string());
            let help = match other_case {
                Some(name) => format!("the file is named `{name}`: write the name with the same capital and small letters (web hosts treat `{name}` and `{}` as two different files)", crate::site::file_name(&content_rel)),
                None => "put the file in the same folder as the page, or link to a page's markdown file (`pain.md`)".into(),
            };
            findings.push(report(
                format!("the link goes to `{target_text}`, which does not exist"),
                &help,
            ));
            Link::Internal(dest.to_string())
        }
    }
}

/// The file under `content/` a link written in `source` names (`pain.md`, `../faq/pain.md`,
/// `@/faq/pain.md`; without its `#anchor`), or `None` when it climbs out of `content/`.
pub fn content_target(source: &str, target_text: &str) -> Option<String> {
    match target_text.strip_prefix("@/") {
        Some(rel) => Some(rel.to_string()),
        None => join(&parent_dir(source), &percent_decode(target_text)),
    }
}

fn queue_anchor(out: &mut Rendered, target: Target, anchor: Option<&str>, link: &str, at: At) {
    if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
        out.anchors_to_check.push(AnchorCheck {
            target,
            anchor: anchor.to_string(),
            link: link.to_string(),
            line: at.line,
            column: at.column,
            width: at.width,
        });
    }
}

/// Checks queued `#anchor` links against the ids each page ended up with.
pub fn check_anchors(
    source: &str,
    checks: &[AnchorCheck],
    ids_of: &dyn Fn(Target) -> Option<Vec<String>>,
) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for check in checks {
        let Some(ids) = ids_of(check.target) else {
            continue;
        };
        if ids.iter().any(|id| id == &check.anchor) {
            continue;
        }
        let help = match crate::diagnostics::nearest(&check.anchor, ids.iter().map(String::as_str))
        {
            Some(near) => format!(
                "did you mean `#{near}`? Heading ids are the heading's words in lower case, joined by hyphens"
            ),
            None if ids.is_empty() => {
                "that page has no headings to link to; remove the `#…` part".into()
            }
            None => format!(
                "the page's headings are: {}",
                ids.iter()
                    .map(|i| format!("`#{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        findings.push(
            Diagnostic::error(
                "link/missing-anchor",
                PathBuf::from("content").join(source),
                format!("`{}` links to a heading that does not exist", check.link),
            )
            .at(check.line, check.column)
            .help(help),
        );
    }
    findings
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

/// Joins a relative link to the folder of the file it is written in; `None` if it climbs
/// out of `content/`.
fn join(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn relative_to(dir: &str, target: &str) -> String {
    target
        .strip_prefix(dir)
        .map_or_else(|| format!("@/{target}"), str::to_string)
}

fn percent_decode(text: &str) -> String {
    text.replace("%20", " ")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// Byte offset -> file line and column.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The last (offset, column) found: positions are asked for in order, so the next
    /// column on the same line is counted from there, not from the line's start (a line of
    /// 100,000 links would otherwise be counted 100,000 times).
    last: std::cell::Cell<(usize, usize)>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    fn at(&self, range: std::ops::Range<usize>, first_line: usize) -> At {
        let (line, column) = self.position(range.start, first_line);
        let text = &self.text[range];
        let width = text.split('\n').next().unwrap_or(text).chars().count();
        At {
            line,
            column,
            width,
        }
    }

    fn position(&self, offset: usize, first_line: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let (last_offset, last_column) = self.last.get();
        let column = if (self.starts[line]..=offset).contains(&last_offset) {
            last_column + self.text[last_offset..offset].chars().count()
        } else {
            self.text[self.starts[line]..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        (first_line + line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_links() {
        assert_eq!(join("faq/", "pain.md").as_deref(), Some("faq/pain.md"));
        assert_eq!(
            join("faq/", "../locations/kendall.md").as_deref(),
            Some("locations/kendall.md")
        );
        assert_eq!(join("faq/", "../../x.md"), None);
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.org/x"));
        assert!(!is_external("pain.md"));
        assert!(!is_external("../faq/pain.md#a:b"));
    }

    #[test]
    fn roots() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("faq/"), "../");
        assert_eq!(root_prefix("faq/pain/"), "../../");
    }

    #[test]
    fn positions() {
        let index = LineIndex::new("ab\ncdé f\n");
        assert_eq!(index.position(0, 5), (5, 1));
        assert_eq!(index.position(8, 5), (6, 5));
    }
}
