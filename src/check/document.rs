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
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Every run of visible text, in order: paragraphs, list items, headings, table cells and
    /// alt text (code is left out).
    pub blocks: Vec<Block>,
    pub headings: Vec<HeadingMark>,
    pub links: Vec<LinkMark>,
    /// Raw HTML written in the page.
    pub html: Vec<Piece>,
}

impl Document {
    /// Paragraphs and list items: the prose the reading level is measured on.
    pub fn prose(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.kind == BlockKind::Prose)
    }

    /// Lets go of the text and headings, keeping links and raw HTML.
    pub fn keep_links_only(&mut self) {
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

/// A paragraph, list item, heading, table cell or alt text as plain text, with where each
/// part of it is written.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    spans: Vec<Span>,
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

impl Block {
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

    fn push(&mut self, text: &str, source: Range<usize>, body: &str) {
        if text.trim().is_empty() {
            if !self.text.is_empty() && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
            return;
        }
        // Text the parser hands over unchanged is a slice of the body itself.
        let exact = body
            .get(source.clone())
            .is_some_and(|written| std::ptr::eq(written, text) || written == text);
        self.spans.push(Span {
            at: self.text.len(),
            len: text.len(),
            source: source.start,
            exact,
        });
        self.text.push_str(text);
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
#[derive(Default)]
pub struct Reader<'b> {
    body: &'b str,
    doc: Document,
    block: Block,
    /// Alt text of the image being read.
    alt: Block,
    in_table: bool,
    in_code: bool,
    heading: Option<(u8, String, Range<usize>)>,
    /// Open links and images, innermost last.
    links: Vec<LinkMark>,
}

impl<'b> Reader<'b> {
    pub fn new(body: &'b str) -> Self {
        Reader {
            body,
            ..Reader::default()
        }
    }

    pub fn finish(mut self) -> Document {
        self.flush();
        self.doc
    }

    pub fn event(&mut self, event: &Event, range: Range<usize>) {
        match event {
            Event::Start(Tag::Paragraph | Tag::TableCell) => {
                self.flush();
                // Its text is at most its source: made once, not grown word by word.
                self.block.text.reserve(range.len());
            }
            Event::Start(Tag::Item | Tag::List(_) | Tag::BlockQuote(_))
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
                    if link.image && !self.alt.text.trim().is_empty() {
                        self.doc.blocks.push(Block {
                            kind: BlockKind::Alt,
                            ..std::mem::take(&mut self.alt)
                        });
                    }
                    self.alt = Block::default();
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
            self.alt.push(text, range, self.body);
            return;
        }
        if self.block.spans.is_empty() {
            self.block.kind = match (&self.heading, self.in_table) {
                (Some(_), _) => BlockKind::Heading,
                (None, true) => BlockKind::Table,
                (None, false) => BlockKind::Prose,
            };
        }
        self.block.push(text, range, self.body);
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

    fn flush(&mut self) {
        let mut block = std::mem::take(&mut self.block);
        block.text.truncate(block.text.trim_end().len());
        if !block.text.is_empty() {
            self.doc.blocks.push(block);
        }
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
mod tests {
    use super::*;

    #[test]
    fn text_is_as_written_not_as_typeset() {
        // The renderer makes curly quotes, dashes and an ellipsis of these; the rules must
        // see (and underline) what the file says. Quotes typed curly stay curly.
        let body = "It's \"painless\" -- well... don't 'worry' --- ok. ‘curly’ “x”\n";
        let doc = read(body);
        let block = &doc.blocks[0];
        assert_eq!(block.text, body.trim_end());
        let at = block.text.find("painless").unwrap();
        assert_eq!(block.offset_of(at), body.find("painless").unwrap());
        let at = block.text.find("worry").unwrap();
        assert_eq!(block.offset_of(at), body.find("worry").unwrap());
    }

    #[test]
    fn prose_leaves_out_code_tables_headings_and_html() {
        let body = "# Title\n\nFirst *para*\ngraph.\n\n- one\n- two\n\n```\ncode here\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n<div>html</div>\n\nLast with `code`.\n";
        let doc = read(body);
        let prose: Vec<&str> = doc.prose().map(|b| b.text.as_str()).collect();
        assert_eq!(prose, ["First para graph.", "one", "two", "Last with ."]);
        let kinds: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert!(kinds.contains(&(BlockKind::Table, "c")), "{kinds:?}");
        assert!(kinds.contains(&(BlockKind::Heading, "Title")), "{kinds:?}");
        assert!(
            !kinds.iter().any(|(_, t)| t.contains("code here")),
            "{kinds:?}"
        );
        assert_eq!(
            doc.headings,
            [HeadingMark {
                level: 1,
                text: "Title".into(),
                source: 0..8
            }]
        );
        assert_eq!(doc.html.len(), 1);
    }

    #[test]
    fn links_and_images_keep_their_text() {
        let doc = read("See [click here](a.md) and ![](photo.jpg) and ![A face](b.jpg).\n");
        let links: Vec<(bool, &str, &str)> = doc
            .links
            .iter()
            .map(|l| (l.image, l.dest.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                (false, "a.md", "click here"),
                (true, "photo.jpg", ""),
                (true, "b.jpg", "A face")
            ]
        );
        assert_eq!(
            doc.prose().next().unwrap().text,
            "See click here and  and ."
        );
        assert!(
            doc.blocks
                .iter()
                .any(|b| b.kind == BlockKind::Alt && b.text == "A face")
        );
    }

    #[test]
    fn offsets_map_back_to_lines_and_columns() {
        let body = "Intro line.\n\nSome *very* painless thing.\n";
        let doc = read(body);
        let block = doc.prose().nth(1).unwrap();
        let at = block.text.find("painless").unwrap();
        let offset = block.offset_of(at);
        assert_eq!(&body[offset..offset + 8], "painless");
        let lines = Lines::new(BodyText::Here(body), 10);
        assert_eq!(lines.position(offset), (12, 13));
    }
}
