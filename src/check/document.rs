//! A page's markdown body in, what the rules read out: the prose a patient reads (paragraphs
//! and list items, without code, tables or raw HTML), every visible piece of text, headings,
//! links and images, each with where it is written.
//!
//! Positions are byte offsets into the body; `Lines` turns them into the file's line and
//! column. The events are the renderer's own (`markdown::OPTIONS`, usually seen through
//! `markdown::Watch` while the page renders), so typographic quotes, dashes and ellipses are
//! turned back into what the file says: text matches its source bytes and a phrase found in
//! the text can be underlined in the file.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::source::BodyText;

/// What the rules read on one page.
///
/// The blocks' texts are one buffer, one after another, and the places their parts come from
/// one list: reading a page makes a few allocations, not two for every paragraph.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Every block's text, one after another.
    text: String,
    /// Where the parts of every block come from, block after block.
    spans: Vec<Span>,
    /// Every run of visible text, in order: paragraphs, list items, headings, table cells and
    /// alt text (code is left out).
    blocks: Vec<BlockAt>,
    pub headings: Vec<HeadingMark>,
    pub links: Vec<LinkMark>,
    /// Raw HTML written in the page.
    pub html: Vec<Piece>,
}

impl Document {
    /// Every block, in order: paragraphs, list items, headings, table cells and alt text.
    pub fn blocks(&self) -> impl ExactSizeIterator<Item = Block<'_>> {
        self.blocks.iter().map(|at| Block {
            kind: at.kind,
            text: &self.text[at.text.0..at.text.1],
            spans: &self.spans[at.spans.0..at.spans.1],
        })
    }

    /// Paragraphs and list items: the prose the reading level is measured on.
    pub fn prose(&self) -> impl Iterator<Item = Block<'_>> {
        self.blocks().filter(|b| b.kind == BlockKind::Prose)
    }

    /// A document of links and raw HTML only (a page recalled from the findings cache).
    pub fn of_links(links: Vec<LinkMark>, html: Vec<Piece>) -> Self {
        Document {
            links,
            html,
            ..Document::default()
        }
    }

    /// Lets go of the text and headings, keeping links and raw HTML.
    pub fn keep_links_only(&mut self) {
        self.text = String::new();
        self.spans = Vec::new();
        self.blocks = Vec::new();
        self.headings = Vec::new();
    }
}

/// Raw HTML and where it is written in the body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Piece {
    pub text: String,
    pub source: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlockKind {
    #[default]
    Prose,
    Heading,
    Table,
    Alt,
}

/// Where a block is in `Document::text` and `Document::spans` (start, end).
#[derive(Debug, Clone, Copy)]
struct BlockAt {
    kind: BlockKind,
    text: (usize, usize),
    spans: (usize, usize),
}

/// A paragraph, list item, heading, table cell or alt text as plain text, with where each
/// part of it is written.
#[derive(Debug, Clone, Copy)]
pub struct Block<'d> {
    pub kind: BlockKind,
    pub text: &'d str,
    spans: &'d [Span],
}

/// A part of a block's text that comes from one place in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    /// Where it starts in the block's text, and its length there.
    at: usize,
    len: usize,
    /// Where its source starts in the body.
    source: usize,
    /// Whether the source is the text as it is (no escape or entity shifted it), so offsets
    /// inside it map one to one.
    exact: bool,
}

impl Block<'_> {
    /// The body offset of byte `at` of the block's text.
    pub fn offset_of(&self, at: usize) -> usize {
        let index = self
            .spans
            .partition_point(|span| span.at <= at)
            .saturating_sub(1);
        match self.spans.get(index) {
            Some(span) if span.exact => span.source + at.saturating_sub(span.at).min(span.len),
            Some(span) => span.source,
            None => 0,
        }
    }
}

/// A block being read: its text from byte `from` of `text`, its parts from `spans[first..]`.
struct Open<'r> {
    text: &'r mut String,
    spans: &'r mut Vec<Span>,
    from: usize,
}

impl Open<'_> {
    fn push(&mut self, text: &str, source: Range<usize>, body: &str) {
        if blank(text) {
            if self.text.len() > self.from && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
            return;
        }
        // Text the parser hands over unchanged is a slice of the body itself.
        let exact = body
            .get(source.clone())
            .is_some_and(|written| std::ptr::eq(written, text) || written == text);
        self.spans.push(Span {
            at: self.text.len() - self.from,
            len: text.len(),
            source: source.start,
            exact,
        });
        self.text.push_str(text);
    }
}

/// Whether `text` is only white space (most texts start with a letter: decided at once).
fn blank(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(&b) if b.is_ascii() && !(b as char).is_whitespace() => false,
        _ => text.trim().is_empty(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingMark {
    pub level: u8,
    pub text: String,
    pub source: Range<usize>,
}

/// A link or an image, with the text inside it (the alt text, for images).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkMark {
    pub image: bool,
    pub dest: String,
    pub text: String,
    pub source: Range<usize>,
}

/// Reads a markdown body.
pub fn read(body: &str) -> Document {
    let mut reader = Reader::new(body);
    let listed = crate::markdown::as_list_items(body);
    for (event, range) in Parser::new_ext(&listed, crate::markdown::OPTIONS).into_offset_iter() {
        reader.event(&event, range);
    }
    reader.finish()
}

/// Builds a `Document` from a body's markdown events, fed one at a time: by `read`, or by the
/// renderer's parse (see `markdown::Watch`).
///
/// The open block's text is written straight into the document's; an image's alt text, read
/// while the block around it is open, is kept aside and put after that block when it closes
/// (its place in the order of blocks is kept from when the image ended).
#[derive(Default)]
pub struct Reader<'b> {
    body: &'b str,
    doc: Document,
    /// Where the open block starts in `doc.text` and `doc.spans`, and what it is.
    open: (usize, usize),
    kind: BlockKind,
    /// Alt texts read since the open block started, and their parts; the image being read
    /// starts at `alt_from`.
    alts: String,
    alt_spans: Vec<Span>,
    alt_from: (usize, usize),
    /// Alt blocks waiting for the open block to close: their place in `doc.blocks`, and
    /// where they are in `alts` and `alt_spans`.
    waiting: Vec<(usize, BlockAt)>,
    in_table: bool,
    in_code: bool,
    heading: Option<(u8, String, Range<usize>)>,
    /// Open links and images, innermost last.
    links: Vec<LinkMark>,
}

impl<'b> Reader<'b> {
    pub fn new(body: &'b str) -> Self {
        let mut doc = Document::default();
        // The text is at most about the body's length: made once, not grown block by block.
        doc.text.reserve(body.len());
        doc.spans.reserve(body.len() / 48 + 4);
        doc.blocks.reserve(body.len() / 160 + 2);
        Reader {
            body,
            doc,
            ..Reader::default()
        }
    }

    pub fn finish(mut self) -> Document {
        self.flush();
        self.doc
    }

    pub fn event(&mut self, event: &Event, range: Range<usize>) {
        match event {
            Event::Start(Tag::Paragraph | Tag::TableCell | Tag::Item)
            | Event::Start(Tag::List(_) | Tag::BlockQuote(_))
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell,
            ) => self.flush(),
            Event::Start(Tag::Table(_)) | Event::End(TagEnd::Table) => {
                self.flush();
                self.in_table = matches!(event, Event::Start(_));
            }
            Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock) => {
                self.flush();
                self.in_code = matches!(event, Event::Start(_));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some((*level as u8, String::new(), range));
            }
            Event::End(TagEnd::Heading(_)) => {
                self.flush();
                if let Some((level, text, source)) = self.heading.take() {
                    self.doc.headings.push(HeadingMark {
                        level,
                        text,
                        source,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push(LinkMark {
                image: false,
                dest: dest_url.to_string(),
                text: String::new(),
                source: range,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => self.links.push(LinkMark {
                image: true,
                dest: dest_url.to_string(),
                text: String::new(),
                source: range,
            }),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(link) = self.links.pop() {
                    self.end_alt(link.image);
                    self.doc.links.push(link);
                }
            }
            Event::Text(text) if !self.in_code => {
                let text = as_written(text, &self.body[range.clone()]);
                self.text(text, range);
            }
            // Inline code is shown but is not prose: it counts only as link text.
            Event::Code(text) => self.in_context(text),
            Event::SoftBreak | Event::HardBreak => self.text(" ", range),
            Event::Html(html) | Event::InlineHtml(html) => self.doc.html.push(Piece {
                text: html.to_string(),
                source: range,
            }),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        self.in_context(text);
        if self.links.iter().any(|l| l.image) {
            let mut alt = Open {
                text: &mut self.alts,
                spans: &mut self.alt_spans,
                from: self.alt_from.0,
            };
            alt.push(text, range, self.body);
            return;
        }
        if self.doc.spans.len() == self.open.1 {
            self.kind = match (&self.heading, self.in_table) {
                (Some(_), _) => BlockKind::Heading,
                (None, true) => BlockKind::Table,
                (None, false) => BlockKind::Prose,
            };
        }
        let mut open = Open {
            text: &mut self.doc.text,
            spans: &mut self.doc.spans,
            from: self.open.0,
        };
        open.push(text, range, self.body);
    }

    /// A link or an image ended: the alt text read since the last one ended is a block of
    /// its own when it is an image's and not blank, and is let go of otherwise.
    fn end_alt(&mut self, image: bool) {
        let (text, spans) = self.alt_from;
        if image && !self.alts[text..].trim().is_empty() {
            let at = BlockAt {
                kind: BlockKind::Alt,
                text: (text, self.alts.len()),
                spans: (spans, self.alt_spans.len()),
            };
            // Its place now; its text goes after the open block's when that closes.
            self.waiting.push((self.doc.blocks.len(), at));
            self.doc.blocks.push(at);
        } else {
            self.alts.truncate(text);
            self.alt_spans.truncate(spans);
        }
        self.alt_from = (self.alts.len(), self.alt_spans.len());
    }

    /// Adds text to the heading and links it is inside.
    fn in_context(&mut self, text: &str) {
        if let Some((_, heading, _)) = &mut self.heading {
            heading.push_str(text);
        }
        for link in &mut self.links {
            link.text.push_str(text);
        }
    }

    /// Closes the open block (kept when it holds more than white space), then puts the alt
    /// texts waiting for it after it.
    #[inline]
    fn flush(&mut self) {
        // Most calls close nothing: a list, an item or a paragraph just closed. Decided here,
        // in the caller, without a call (every start and end of a block comes this way).
        if self.doc.text.len() == self.open.0 && self.waiting.is_empty() {
            self.kind = BlockKind::default();
            return;
        }
        self.close();
    }

    /// `flush` of a block that holds text, or with alt texts waiting.
    #[inline(never)]
    fn close(&mut self) {
        let doc = &mut self.doc;
        let (text, spans) = self.open;
        let kept = doc.text[text..].trim_end().len();
        doc.text.truncate(text + kept);
        if kept > 0 {
            doc.blocks.push(BlockAt {
                kind: self.kind,
                text: (text, doc.text.len()),
                spans: (spans, doc.spans.len()),
            });
        } else {
            doc.spans.truncate(spans);
        }
        self.kind = BlockKind::default();
        if !self.waiting.is_empty() {
            for (place, at) in self.waiting.drain(..) {
                let text = doc.text.len();
                doc.text.push_str(&self.alts[at.text.0..at.text.1]);
                let spans = doc.spans.len();
                doc.spans
                    .extend_from_slice(&self.alt_spans[at.spans.0..at.spans.1]);
                doc.blocks[place] = BlockAt {
                    kind: BlockKind::Alt,
                    text: (text, doc.text.len()),
                    spans: (spans, doc.spans.len()),
                };
            }
            // What an image still open has read stays, at the start.
            let (from, first) = self.alt_from;
            self.alts.drain(..from);
            self.alt_spans.drain(..first);
            self.alt_from = (0, 0);
        }
        self.open = (doc.text.len(), doc.spans.len());
    }
}

/// Text as written in the file: the renderer's typographic quote, dash or ellipsis becomes
/// the `'`, `"`, `--`, `---` or `...` it was made from, so that a phrase found in the text is
/// found at the same place in the file.
fn as_written<'t>(text: &'t str, source: &'t str) -> &'t str {
    match source {
        "'" | "\"" | "--" | "---" | "..." if text != source => source,
        _ => text,
    }
}

/// Body offsets -> file lines and columns.
#[derive(Debug)]
pub struct Lines<'t> {
    body: BodyText<'t>,
    /// The body's text, read when first asked (a body `build` left on disk, see
    /// `source::BodyText`), or given while the page is checked.
    text: OnceLock<Cow<'t, str>>,
    /// Where each line starts, found when first asked: most pages have nothing to point at.
    starts: OnceLock<Vec<usize>>,
    first_line: usize,
}

impl<'t> Lines<'t> {
    /// `body` starts on file line `first_line`.
    pub fn new(body: BodyText<'t>, first_line: usize) -> Self {
        let text = OnceLock::new();
        if let Some(here) = body.in_memory() {
            let _ = text.set(Cow::Borrowed(here));
        }
        Lines {
            body,
            text,
            starts: OnceLock::new(),
            first_line,
        }
    }

    /// Hands over the body's text, already read (the rendering pass reads it once for the
    /// page and its rules).
    pub fn give(&mut self, text: &str) {
        if self.text.get().is_none() {
            let _ = self.text.set(Cow::Owned(text.to_owned()));
        }
    }

    /// The body's text (empty when it can no longer be read: rendering the page reports it).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.body.read_or_empty())
    }

    /// Lets go of the line starts found so far and of a body read from disk (found and read
    /// again when next asked): a page's own rules need them, the site-wide rules after them
    /// rarely do, and every page is kept until those have run.
    pub fn forget(&mut self) {
        self.starts = OnceLock::new();
        if self.body.in_memory().is_none() {
            self.text = OnceLock::new();
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text().as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// File line and column (in characters, 1-based) of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = offset.min(text.len());
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = starts[line];
        let column = text.get(start..offset).map_or(1, |t| t.chars().count() + 1);
        (self.first_line + line, column)
    }

    /// Characters from `range.start` to the end of the range or of its line, whichever is first.
    pub fn width(&self, range: Range<usize>) -> usize {
        let text = self.text().get(range).unwrap_or("");
        text.split('\n')
            .next()
            .unwrap_or(text)
            .chars()
            .count()
            .max(1)
    }
}

#[cfg(test)]
mod tests;
