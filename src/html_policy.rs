//! What a page's markdown may put into its HTML: the parser's events in (as `markdown` renders
//! them), findings out; and, where `site.yaml` allows HTML, the rendered body in and a
//! sanitised body out.
//!
//! Staff paste text from Word and web pages. By default HTML written in the markdown is an
//! error (`markdown/raw-html`) that names the file, line and column. With
//! `markdown: { raw_html: true }` it is allowed, and every page that has some goes through
//! ammonia, which keeps ordinary structure (paragraphs, emphasis, links, lists, tables,
//! images, `details`) and drops scripts, styles, `on…` event handlers, `javascript:` links
//! and `style` attributes. HTML comments are never published. Whatever the setting, a link to
//! `javascript:` is an error, and so is nesting deeper than `MAX_DEPTH` (a paste gone wrong,
//! and a stack overflow waiting in every tool that walks the page afterwards).

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic};

/// How deeply lists, quotes and other blocks may sit inside each other. Real pages use a
/// handful of levels; the limit only stops runaway pastes.
pub const MAX_DEPTH: usize = 100;

/// Where in the file an event was written: line, column and characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// Watches a page's markdown events as they are rendered.
#[derive(Debug, Default)]
pub struct Guard {
    findings: Vec<(Code, Spot, String)>,
    depth: usize,
    too_deep: bool,
    in_html_block: bool,
    block_reported: bool,
    comment_open: bool,
    last_reported_line: usize,
}

impl Guard {
    /// Looks at one event. Returns `false` for an event to leave out of the page: an HTML
    /// comment, which is a note for the people editing the file, not for patients.
    pub fn see(&mut self, event: &Event, spot: &dyn Fn() -> Spot) -> bool {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH && !self.too_deep {
                    self.too_deep = true;
                    self.findings
                        .push((Code::MarkdownTooDeep, spot(), String::new()));
                }
                match tag {
                    Tag::HtmlBlock => {
                        self.in_html_block = true;
                        self.block_reported = false;
                        self.comment_open = false;
                    }
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        let image = matches!(tag, Tag::Image { .. });
                        if is_script_url(dest_url, image) {
                            self.findings
                                .push((Code::LinkScript, spot(), dest_url.to_string()));
                        }
                    }
                    _ => {}
                }
                true
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                if *tag == TagEnd::HtmlBlock {
                    self.in_html_block = false;
                    self.comment_open = false;
                }
                true
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let open = self.in_html_block && self.comment_open;
                let (only_comments, still_open) = comments_only(html, open);
                self.comment_open = self.in_html_block && still_open;
                if only_comments {
                    return false;
                }
                let closing = html.trim_start().starts_with("</");
                let report = if self.in_html_block {
                    !std::mem::replace(&mut self.block_reported, true)
                } else {
                    !closing
                };
                if report {
                    let at = spot();
                    if at.line != self.last_reported_line {
                        self.last_reported_line = at.line;
                        self.findings
                            .push((Code::MarkdownRawHtml, at, first_tag(html)));
                    }
                }
                true
            }
            _ => true,
        }
    }

    /// The findings for the page written in `file`.
    pub fn finish(self, file: &Path) -> Vec<Diagnostic> {
        self.findings
            .into_iter()
            .map(|(code, at, text)| finding(code, file, at, &text))
            .collect()
    }
}

fn finding(code: Code, file: &Path, at: Spot, text: &str) -> Diagnostic {
    let diagnostic = match code {
        Code::MarkdownRawHtml => Diagnostic::new(
            code,
            file,
            format!("HTML is not allowed in the text: `{text}`"),
        )
        .help(
            "write it in markdown instead, like `**bold**` or `[a link](page.md)`; or allow HTML \
             on the whole site with `markdown: { raw_html: true }` in site.yaml",
        ),
        Code::MarkdownTooDeep => Diagnostic::new(
            code,
            file,
            format!("lists or quotes are nested more than {MAX_DEPTH} deep here"),
        )
        .help(
            "this usually comes from a paste gone wrong: remove the extra `>` or `-` marks at the start of the line",
        ),
        _ => Diagnostic::new(
            code,
            file,
            format!("this link runs a script (`{}`), which is not allowed", shorten(text)),
        )
        .help("link to a page or to a web address starting with `https://`"),
    };
    diagnostic.at(at.line, at.column).width(at.width)
}

/// Applies the site's `markdown.raw_html` setting to one rendered body and its findings:
/// when HTML is allowed, its findings go and the body, if it had some, is sanitised. A body
/// nested too deeply is emptied either way, so nothing after this (the theme, minifying)
/// walks it.
pub fn apply(raw_html: bool, html: &mut String, findings: &mut Vec<Diagnostic>) {
    if findings.iter().any(|f| f.code == Code::MarkdownTooDeep) {
        html.clear();
        return;
    }
    let Some(first) = findings
        .iter()
        .find(|f| f.code == Code::MarkdownRawHtml)
        .cloned()
    else {
        return;
    };
    if !raw_html {
        return;
    }
    allow(findings);
    match sanitise(html) {
        Some(clean) => *html = clean,
        None => {
            html.clear();
            findings.push(Diagnostic {
                code: Code::MarkdownTooDeep,
                message: format!("the HTML here is nested more than {HTML_DEPTH} deep"),
                help: Some("remove the extra tags pasted into the page".into()),
                ..first
            });
        }
    }
}

/// Drops the raw-HTML findings: for a site that allows HTML.
pub fn allow(findings: &mut Vec<Diagnostic>) {
    findings.retain(|f| f.code != Code::MarkdownRawHtml);
}

/// A rendered body with HTML written by staff made safe: `None` when the result is nested
/// more than `MAX_DEPTH` deep.
pub fn sanitise(html: &str) -> Option<String> {
    // The HTML parser slows down with the square of the nesting depth (100,000 nested
    // `<div>`s take minutes), so deep input is refused before it is parsed.
    if depth(html) > HTML_DEPTH {
        return None;
    }
    let clean = builder().clean(html).to_string();
    (depth(&clean) <= HTML_DEPTH).then_some(clean)
}

/// How deeply elements may nest in a page with HTML: the markdown's own limit plus as much
/// again for the HTML written into it.
const HTML_DEPTH: usize = 2 * MAX_DEPTH;

/// The sanitiser, built once: ammonia's defaults (no scripts, styles, event handlers or
/// unsafe URL schemes) plus what the markdown renderer itself writes (heading ids, the `#`
/// anchor links, footnotes, code languages, table alignment) and `details`/`summary`.
fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["details", "summary", "abbr", "sup", "sub", "span"])
            .link_rel(None)
            .add_tag_attributes("a", ["rel", "class", "aria-hidden", "tabindex"])
            .add_tag_attributes("code", ["class"])
            .add_tag_attributes("sup", ["class"])
            .add_tag_attributes("div", ["class", "id"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("abbr", ["title"]);
        for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
            builder.add_tag_attributes(heading, ["id"]);
        }
        builder.attribute_filter(|element, attribute, value| {
            let keep = match (element, attribute) {
                ("a", "class") => value == "anchor",
                ("code", "class") => value.starts_with("language-"),
                ("sup", "class") => value.starts_with("footnote-"),
                ("div", "class") => value == "footnote-definition",
                // The alignment of a markdown table column; any other style (what Word
                // pastes: fonts, colours, `mso-…`) goes.
                (_, "style") => ["left", "center", "right"]
                    .iter()
                    .any(|a| value == format!("text-align: {a}")),
                _ => true,
            };
            keep.then_some(Cow::Borrowed(value))
        });
        builder
    })
}

/// Whether a link or image address would run a script: `javascript:` and `vbscript:` (also
/// with the spaces and control characters browsers ignore), and `data:` except for images.
pub fn is_script_url(url: &str, image: bool) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':' && c != '/' && c != '?' && c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .nth(scheme.chars().count())
        == Some(':');
    if !has_colon {
        return false;
    }
    match scheme.as_str() {
        "javascript" | "vbscript" => true,
        "data" => {
            let lower = url.to_ascii_lowercase();
            !(image && lower.contains("image/") && !lower.contains("svg"))
        }
        _ => false,
    }
}

/// Whether `fragment` holds only HTML comments and white space, given whether a comment was
/// already open before it; and whether one is still open after it.
fn comments_only(fragment: &str, open: bool) -> (bool, bool) {
    let mut rest = fragment;
    if open {
        match rest.find("-->") {
            Some(end) => rest = &rest[end + 3..],
            None => return (true, true),
        }
    }
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return (true, false);
        }
        let Some(after) = trimmed.strip_prefix("<!--") else {
            return (false, trimmed.contains("<!--") && !trimmed.contains("-->"));
        };
        match after.find("-->") {
            Some(end) => rest = &after[end + 3..],
            None => return (true, true),
        }
    }
}

/// The first tag of an HTML fragment, shortened for a message.
fn first_tag(html: &str) -> String {
    let trimmed = html.trim();
    let tag = match (trimmed.find('<'), trimmed.find('>')) {
        (Some(start), Some(end)) if start < end => &trimmed[start..=end],
        _ => trimmed.lines().next().unwrap_or(trimmed),
    };
    shorten(tag)
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// How deeply the elements of HTML sit inside each other, counting tags. Void elements and
/// those whose end tag may be left out (`<p>`, `<li>`, table cells) are not counted, so
/// hand-written HTML that leaves them open is not taken for deep nesting.
fn depth(html: &str) -> usize {
    const NOT_COUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
        "colgroup", "option", "optgroup", "rb", "rt", "rp", "rtc",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = bytes.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        let name = html[start..end].to_ascii_lowercase();
        // Skip to the end of the tag, over quoted attribute values that may hold `>`.
        let mut quote = None;
        i = end;
        while i < bytes.len() {
            match (quote, bytes[i]) {
                (None, b'"' | b'\'') => quote = Some(bytes[i]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            i += 1;
        }
        if name.is_empty() || NOT_COUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_keeps_structure_and_drops_what_word_and_attackers_paste() {
        let dirty = concat!(
            r#"<p style="font-family:Calibri;mso-bidi-font-size:11pt" class="MsoNormal">"#,
            r#"<b>Bold</b> <i>it</i> <span style="color:red" onclick="x()">“quoted” text</span></p>"#,
            r#"<script>alert(1)</script><style>p{}</style>"#,
            r#"<a href="javascript:alert(1)">bad</a> <a href="https://example.org" onmouseover="x">good</a>"#,
            r#"<img src="a.jpg" alt="A photo" onerror="x()"><details><summary>More</summary>text</details>"#,
            r#"<table><tr><td style="text-align: center">c</td><td style="color: red">d</td></tr></table>"#,
        );
        let clean = sanitise(dirty).unwrap();
        for gone in [
            "style=\"font",
            "mso-",
            "class=\"MsoNormal\"",
            "onclick",
            "<script",
            "alert(1)",
            "<style",
            "javascript:",
            "onmouseover",
            "onerror",
            "color",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        for kept in [
            "<p>",
            "<b>Bold</b>",
            "<i>it</i>",
            "<span>“quoted” text</span>",
            "<a href=\"https://example.org\">good</a>",
            "alt=\"A photo\"",
            "src=\"a.jpg\"",
            "<details><summary>More</summary>text</details>",
            "<td style=\"text-align: center\">c</td>",
            "<td>d</td>",
        ] {
            assert!(clean.contains(kept), "{kept} not in {clean}");
        }
    }

    #[test]
    fn sanitising_keeps_what_the_markdown_renderer_writes() {
        let ours = concat!(
            "<h2 id=\"after\">After<a class=\"anchor\" href=\"#after\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n",
            "<p><a href=\"https://example.org\" rel=\"noopener\">out</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n",
            "<pre><code class=\"language-text\">x</code></pre>\n",
        );
        assert_eq!(sanitise(ours).unwrap(), ours);
    }

    #[test]
    fn deep_html_is_refused_without_overflowing() {
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let result = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || sanitise(&deep))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(result, None);
        assert_eq!(
            depth("<div><span title=\"a>b\"><br>x</span></div><p><li>"),
            2
        );
    }

    #[test]
    fn script_urls() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            " java\tscript:x",
            "vbscript:x",
            "data:text/html,<script>",
        ] {
            assert!(is_script_url(bad, false), "{bad}");
        }
        assert!(is_script_url("data:image/svg+xml,<svg>", true));
        for good in [
            "https://example.org/a:b",
            "pain.md",
            "mailto:a@b.c",
            "tel:+13055550100",
            "../a.md#x:y",
        ] {
            assert!(!is_script_url(good, false), "{good}");
        }
        assert!(is_script_url("data:image/png;base64,AAAA", false));
        assert!(!is_script_url("data:image/png;base64,AAAA", true));
    }

    #[test]
    fn comments() {
        assert_eq!(comments_only("<!-- a -->\n", false), (true, false));
        assert_eq!(comments_only("<!-- a\n", false), (true, true));
        assert_eq!(comments_only("still -->\n", true), (true, false));
        assert_eq!(comments_only("<!-- a --><script>", false), (false, false));
        assert_eq!(comments_only("<b>", false), (false, false));
    }
}
