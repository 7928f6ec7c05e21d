//! Markdown: a page's body in, its HTML, table of contents and the links that still need an
//! anchor check out.
//!
//! Links to other markdown files (`[x](pain.md)`, `[x](@/faq/pain.md#aftercare)`) become the
//! target page's address, relative to the page so the site works under any folder. A link to
//! a missing file is reported here; whether `#anchor` exists on another page is only known
//! once every page is rendered, so those checks are returned as `AnchorCheck`s (`links`).

mod links;
mod word_bullets;

pub use links::{check_anchors, content_target};
pub use word_bullets::as_list_items;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::html_policy;
use crate::site::{Site, Target, slugify};
use links::{Link, resolve_link};

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

/// A link to `#anchor` on another page, checked once every page is rendered. Every page's
/// are kept until then, so the anchor is not a text of its own: it is the link's part after
/// its first `#` (see `anchor`).
#[derive(Debug, Clone)]
pub struct AnchorCheck {
    pub target: Target,
    /// The link as written, with its `#anchor`.
    pub link: String,
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl AnchorCheck {
    /// The heading id the link asks for: what follows the first `#` of `link`.
    pub fn anchor(&self) -> &str {
        self.link.split_once('#').map_or("", |(_, anchor)| anchor)
    }
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

    // Bullets pasted from Word are read as the list they were (same length: offsets hold).
    let body = as_list_items(page.body);
    for (event, range) in Parser::new_ext(&body, OPTIONS).into_offset_iter() {
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
                out.word_count += count_words(text);
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

/// The words of `text`, as `split_whitespace` counts them: a byte at a time when the text is
/// ASCII (most of it), where the whitespace is the six ASCII spaces.
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &byte in text.as_bytes() {
        let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
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
                Diagnostic::new(
                    Code::ContentImageAlt,
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

#[derive(Clone, Copy)]
struct At {
    line: usize,
    column: usize,
    /// Characters of the link's markdown on its first line.
    width: usize,
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
    fn roots() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("faq/"), "../");
        assert_eq!(root_prefix("faq/pain/"), "../../");
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            "  two words  ",
            "tab\tnew\nline\rfeed\x0cvertical\x0btab",
            "dash-joined, punctuated. words!",
            "ünïcode wörds and\u{a0}a no-break space\u{2003}em space",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn positions() {
        let index = LineIndex::new("ab\ncdé f\n");
        assert_eq!(index.position(0, 5), (5, 1));
        assert_eq!(index.position(8, 5), (6, 5));
    }
}
