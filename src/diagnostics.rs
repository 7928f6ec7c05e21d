//! Findings about the user's files: where (file, line, column), what is wrong, what to do.
//!
//! Every stage returns `Diagnostic`s instead of stopping at the first problem; the command
//! decides the exit status once all are collected. `render` turns them into the text staff see.

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
    /// A stable identifier, e.g. `frontmatter/unknown-key`.
    pub code: &'static str,
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
    /// An error about a whole file.
    pub fn error(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
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

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
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
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
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
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = display_path(&d.file);
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let source_line = (d.line > 0)
            .then(|| read_source(&d.file))
            .flatten()
            .and_then(|text| text.lines().nth(d.line - 1).map(str::to_string));
        let mut report = vec![match &source_line {
            Some(line) => {
                let start = byte_offset(line, d.column.saturating_sub(1));
                let end = byte_offset(line, d.column.saturating_sub(1) + d.width).max(start);
                title.element(
                    Snippet::source(line.as_str())
                        .line_start(d.line)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
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
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
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
    fn renders_location_snippet_and_help() {
        let d = Diagnostic::error("x/y", "content/a.md", "something is wrong")
            .at(2, 3)
            .width(4)
            .help("write this instead");
        let text = render(&[d], Colour::Never, &|_| Some("one\ntwo three\n".into()));
        assert_eq!(
            text,
            "error[x/y]: something is wrong\n --> content/a.md:2:3\n  |\n2 | two three\n  |   ^^^^\n  |\nhelp: write this instead\n\n"
        );
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "last_reviewed", "reviewed_by"];
        assert_eq!(nearest("last_reviewd", keys), Some("last_reviewed"));
        assert_eq!(nearest("colour", keys), None);
    }
}
