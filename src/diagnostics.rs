//! Findings about the user's files: where (file, line, column), what is wrong, what to do.
//!
//! Every stage returns `Diagnostic`s instead of stopping at the first problem; the command
//! decides the exit status once all are collected. `render` turns them into the text staff see.

pub mod code;
mod order;
pub mod rules;
mod shell;

pub use code::Code;
pub use shell::{push_shell_word, shell_path, shell_word};

use std::path::{Path, PathBuf};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one of the site's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What it is about, printed like `frontmatter/unclosed`.
    pub code: Code,
    /// Path relative to the site root, or absolute when outside it.
    pub file: PathBuf,
    /// 1-based line; 0 when the finding is about the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters to underline (at least one).
    pub width: usize,
    pub message: String,
    /// What to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding about a whole file, with its code's default severity.
    pub fn new(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.default_severity(),
            code,
            file: file.into(),
            line: 0,
            column: 0,
            width: 1,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column.max(1);
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column`, the way editors and terminals make it clickable.
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        match (self.line, self.column) {
            (0, _) => file,
            (line, column) => format!("{file}:{line}:{column}"),
        }
    }
}

/// Sorts findings by file, then position, so output is stable whatever the thread count.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        order::file_order(&a.file, &b.file)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// `sort`, then each finding shown once.
pub fn sort_unique(diagnostics: &mut Vec<Diagnostic>) {
    sort(diagnostics);
    diagnostics.dedup_by(|a, b| order::same_file(&a.file, &b.file) && a == b);
}

/// How many findings `sort_unique` leaves of `diagnostics`, without sorting them. `sort` is
/// stable and orders by file, line, column and message, so of the findings equal in those,
/// in the order given, `dedup` drops each that equals the one before it.
pub fn count_unique(diagnostics: &[Diagnostic]) -> usize {
    let mut last: rustc_hash::FxHashMap<(&Path, usize, usize, &str), &Diagnostic> =
        rustc_hash::FxHashMap::default();
    last.reserve(diagnostics.len());
    diagnostics
        .iter()
        .filter(|&d| {
            let place = (d.file.as_path(), d.line, d.column, d.message.as_str());
            last.insert(place, d).is_none_or(|before| before != d)
        })
        .count()
}

/// `text` with line breaks, tabs and other invisible control characters written out (`\n`,
/// `\u{7}`), so a message quoting a value shows all of it on one line.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            '\t' => "\\t".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A path as shown to users: forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}

/// Whether to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Always,
    Never,
}

impl Colour {
    /// Colours only on a terminal, and never when `NO_COLOR` is set.
    pub fn detect_stderr() -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if !no_color && std::io::stderr().is_terminal() {
            Colour::Always
        } else {
            Colour::Never
        }
    }

    /// The same for standard output (`check` prints its report there).
    pub fn detect_stdout() -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if !no_color && std::io::stdout().is_terminal() {
            Colour::Always
        } else {
            Colour::Never
        }
    }
}

/// Renders findings as text (with annotate-snippets, rustc's renderer): a header line, the
/// offending source line with the spot underlined, and the help. `read_source` gives the text
/// of a file, if it can be read.
pub fn render(
    diagnostics: &[Diagnostic],
    colour: Colour,
    read_source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    use annotate_snippets::renderer::DecorStyle;
    use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

    let renderer = match colour {
        Colour::Always => Renderer::styled(),
        Colour::Never => Renderer::plain(),
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    let mut sources = Sources::new(read_source);
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = display_path(&d.file);
        let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
        let excerpt = sources.excerpt(d);
        let mut report = vec![match &excerpt {
            Some(excerpt) => title.element(
                Snippet::source(excerpt.text.as_str())
                    .line_start(d.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(excerpt.spot.clone())),
            ),
            None if d.line > 0 => title.element(
                Origin::path(path.as_str())
                    .line(d.line)
                    // 1-based, like the column the renderer prints for a snippet.
                    .char_column(d.column.max(1)),
            ),
            None => title.element(Origin::path(path.as_str())),
        }];
        if let Some(help) = &d.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        let rendered = renderer.render(&report);
        match excerpt.and_then(|e| e.shown_column) {
            // The renderer counts the column in the window shown; the header gives the real one.
            Some(shown) => out.push_str(&rendered.replacen(
                &format!("{path}:{}:{shown}", d.line),
                &format!("{path}:{}:{}", d.line, d.column),
                1,
            )),
            None => out.push_str(&rendered),
        }
        out.push_str("\n\n");
    }
    out
}

/// Lines longer than this (in bytes) are shown as a window around the spot.
const LONG_LINE: usize = 300;
/// Characters shown on each side of the spot in a long line, and at most of the spot itself.
const AROUND: usize = 40;
const SPOT: usize = 80;

/// The source line of a finding as shown: the line, or a window of a long one.
struct Excerpt {
    text: String,
    /// Byte range of the underlined spot in `text`.
    spot: std::ops::Range<usize>,
    /// For a window, the column of the spot within it.
    shown_column: Option<usize>,
}

/// The files findings point into, each read once and indexed by line; the character
/// positions of the last long line, kept while findings on it follow one another (findings
/// are sorted), so 100,000 findings on one line cost a window each, not the line each.
struct Sources<'r> {
    read: &'r dyn Fn(&Path) -> Option<String>,
    files: std::collections::HashMap<PathBuf, Option<(String, Vec<usize>)>>,
    long_line: Option<((PathBuf, usize), Vec<usize>)>,
}

impl<'r> Sources<'r> {
    fn new(read: &'r dyn Fn(&Path) -> Option<String>) -> Self {
        Sources {
            read,
            files: std::collections::HashMap::new(),
            long_line: None,
        }
    }

    fn excerpt(&mut self, d: &Diagnostic) -> Option<Excerpt> {
        if d.line == 0 {
            return None;
        }
        let read = self.read;
        let (text, starts) = self
            .files
            .entry(d.file.clone())
            .or_insert_with(|| {
                read(&d.file).map(|text| {
                    let starts = std::iter::once(0)
                        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                        .collect();
                    (text, starts)
                })
            })
            .as_ref()?;
        let start = *starts.get(d.line - 1)?;
        // Like `str::lines`: the end of the file after a last line break is not a line.
        if start == text.len() {
            return None;
        }
        let end = starts.get(d.line).map_or(text.len(), |next| next - 1);
        let line = &text[start..end];
        if line.len() <= LONG_LINE {
            let from = byte_offset(line, d.column.saturating_sub(1));
            let to = byte_offset(line, d.column.saturating_sub(1) + d.width).max(from);
            return Some(Excerpt {
                text: line.to_string(),
                spot: from..to,
                shown_column: None,
            });
        }
        let key = (d.file.clone(), d.line);
        if self.long_line.as_ref().is_none_or(|(k, _)| *k != key) {
            let chars = line
                .char_indices()
                .map(|(i, _)| i)
                .chain([line.len()])
                .collect();
            self.long_line = Some((key, chars));
        }
        let (_, chars) = self.long_line.as_ref()?;
        Some(window(line, chars, d.column.saturating_sub(1), d.width))
    }
}

/// The part of a long `line` around the spot at character `column` (0-based), `width`
/// characters wide; `chars` holds the byte offset of every character and of the line's end.
fn window(line: &str, chars: &[usize], column: usize, width: usize) -> Excerpt {
    let count = chars.len() - 1;
    let column = column.min(count);
    let spot_end = (column + width.min(SPOT)).min(count);
    let first = column.saturating_sub(AROUND);
    let last = (spot_end + AROUND).min(count);
    let before = if first > 0 { "…" } else { "" };
    let after = if last < count { "…" } else { "" };
    let text = format!("{before}{}{after}", &line[chars[first]..chars[last]]);
    let from = before.len() + chars[column] - chars[first];
    let to = before.len() + chars[spot_end] - chars[first];
    Excerpt {
        text,
        spot: from..to.max(from),
        shown_column: Some(column - first + before.chars().count() + 1),
    }
}

/// The byte offset of the `chars`-th character of `line`, clamped to its end.
fn byte_offset(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i)
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_unique_counts_what_sort_unique_leaves() {
        let at = |file: &str, line, message: &str, code| {
            Diagnostic::new(code, file, message).at(line, 1)
        };
        let a = at("content/b.md", 3, "same", Code::ReviewDueSoon);
        // Equal to `a` in file, place and message, but not a copy: it keeps two copies of `a`
        // apart once sorted.
        let b = at("content/b.md", 3, "same", Code::ReviewUnrecorded);
        let c = at("content/a.md", 1, "other", Code::ReviewDueSoon);
        let d = at("content//b.md", 3, "same", Code::ReviewDueSoon);
        for given in [
            vec![a.clone(), a.clone(), c.clone()],
            vec![a.clone(), b.clone(), a.clone(), c.clone(), a.clone()],
            vec![a.clone(), a.clone(), b.clone(), b.clone(), a.clone()],
            vec![a.clone(), d.clone(), c.clone(), c.clone()],
            vec![],
        ] {
            let mut sorted = given.clone();
            sort_unique(&mut sorted);
            assert_eq!(count_unique(&given), sorted.len(), "{given:?}");
        }
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_with_the_real_column() {
        let line = format!("{}[x](/nope/){}", "a".repeat(5000), " b".repeat(5000));
        let d = Diagnostic::new(Code::LinkBroken, "content/a.md", "broken")
            .at(1, 5001)
            .width(11);
        let text = render(&[d], Colour::Never, &|_| Some(line.clone()));
        assert!(text.contains(" --> content/a.md:1:5001\n"), "{text}");
        assert!(
            text.contains(&format!(
                "1 | …{}[x](/nope/){}…\n",
                "a".repeat(40),
                " b".repeat(20)
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("  | {}^^^^^^^^^^^\n", " ".repeat(41))),
            "{text}"
        );
        assert!(text.len() < 1000, "{text}");
    }

    #[test]
    fn renders_location_snippet_and_help() {
        let d = Diagnostic::new(Code::ContentImageAlt, "content/a.md", "something is wrong")
            .at(2, 3)
            .width(4)
            .help("write this instead");
        let text = render(&[d], Colour::Never, &|_| Some("one\ntwo three\n".into()));
        assert_eq!(
            text,
            "error[content/image-alt]: something is wrong\n --> content/a.md:2:3\n  |\n2 | two three\n  |   ^^^^\n  |\nhelp: write this instead\n\n"
        );
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "last_reviewed", "reviewed_by"];
        assert_eq!(nearest("last_reviewd", keys), Some("last_reviewed"));
        assert_eq!(nearest("colour", keys), None);
    }
}
