//! Plain words for YAML that cannot be read at all: the library's syntax error (its message,
//! with the `at line L column C` marks taken out) and the text in; where to point, what is
//! wrong and what to write instead out.
//!
//! The library often points where it gave up (the end of the file, the closing `---`), not at
//! what needs changing (the `[` never closed, the second `title:`), so most cases look for
//! the spot in the text themselves.

use super::{Explained, plain};

/// How deeply `[…]` and `{…}` may nest. The library gives up at 128 levels anyway, but only
/// after a scan that slows down with the square of the depth (100,000 levels take minutes).
pub(super) const MAX_FLOW_DEPTH: usize = 100;

/// Refuses text that nests `[` and `{` more than `MAX_FLOW_DEPTH` deep, before the library
/// sees it.
pub(super) fn too_deep(text: &str) -> Option<Explained> {
    // Nesting this deep needs more opening brackets than most texts have at all.
    if text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() <= MAX_FLOW_DEPTH {
        return None;
    }
    let mut depth = 0;
    for (line_index, line) in text.lines().enumerate() {
        for (column, c) in brackets(line) {
            if c == '[' || c == '{' {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(Explained {
                        line: line_index + 1,
                        column,
                        width: Some(1),
                        message: format!(
                            "the values here are nested more than {MAX_FLOW_DEPTH} levels deep"
                        ),
                        help: "remove the extra `[` and `{` signs; a list is written `tags: [skin, collagen]`".into(),
                        mended: None,
                    });
                }
            } else {
                depth = depth.saturating_sub(1);
            }
        }
    }
    None
}

/// The library's syntax errors in plain words; `None` for errors about a value's type or a
/// key, which the caller explains.
pub(super) fn explain(
    message: &str,
    marks: &[(usize, usize)],
    position: Option<(usize, usize)>,
    text: &str,
) -> Option<Explained> {
    let (line, column) = position.unwrap_or((1, 1));
    let at = |(line, column): (usize, usize), width, message: String, help: &str| Explained {
        line,
        column,
        width,
        message,
        help: help.to_string(),
        mended: None,
    };
    // A quote left open makes YAML read on into the lines below for its end, and fail there
    // (or at the end of the text): the line that opened it is the one to fix.
    let gave_up = [
        "while scanning a quoted scalar",
        "did not find expected",
        "could not find expected",
        "found unexpected end of stream",
        "mapping values are not allowed",
        "while parsing a block",
    ];
    if gave_up.iter().any(|m| message.contains(m))
        && let Some(explained) = unclosed_quote(text, line)
    {
        return Some(explained);
    }
    if message.contains("while scanning a quoted scalar") {
        // The library points at the end of the file; the quote that was opened is what to fix.
        let start = marks.last().copied().unwrap_or((line, column));
        return Some(at(
            start,
            None,
            "this quoted text is never closed".into(),
            "add the closing quote at the end of the value, on the same line",
        ));
    }
    if message.contains("flow sequence")
        || message.contains("flow mapping")
        || message.contains("flow node")
    {
        let (open_line, open_column, open) = unclosed_bracket(text).unwrap_or((
            line,
            column,
            if message.contains("mapping") {
                '{'
            } else {
                '['
            },
        ));
        let (what, close, example) = if open == '{' {
            ("a block opened with `{`", '}', "extra: { hero: true }")
        } else {
            ("a list opened with `[`", ']', "tags: [skin, collagen]")
        };
        return Some(at(
            (open_line, open_column),
            Some(1),
            format!("{what} is never closed"),
            &format!(
                "end it with `{close}` on the same line, like `{example}`; text that starts with `{open}` goes in quotes"
            ),
        ));
    }
    if message.contains("tab character") || starts_with_tab(text, line) {
        let tab_line = if starts_with_tab(text, line) {
            line
        } else {
            first_tab_line(text).unwrap_or(line)
        };
        let indent = text
            .lines()
            .nth(tab_line - 1)
            .map_or(1, |l| l.len() - l.trim_start().len());
        let (help, mended) = untabbed(text, tab_line);
        return Some(Explained {
            mended,
            ..at(
                (tab_line, 1),
                Some(indent),
                "this line is indented with a tab".into(),
                &help,
            )
        });
    }
    if message.contains("mapping values are not allowed") {
        return colon_in_value(text, line);
    }
    if message.contains("cannot start any token") {
        let found = text
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.chars().nth(column.saturating_sub(1)))
            .unwrap_or('?');
        return Some(at(
            (line, column),
            Some(1),
            format!("a value cannot start with `{found}`"),
            "put the text in quotes, like `title: \"@clinic on Instagram\"`",
        ));
    }
    if let Some(key) = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        let second = nth_key_line(text, key, 2).unwrap_or(line);
        return Some(at(
            (second, 1),
            Some(key.chars().count()),
            format!("`{key}` is written twice"),
            &format!("keep one `{key}:` line and delete the other"),
        ));
    }
    if message.contains("repetition limit exceeded") {
        let alias = first_alias(text).unwrap_or((line, column));
        return Some(at(
            alias,
            Some(1),
            "the `*` references here repeat values so often that the result would be enormous"
                .into(),
            "write the values out instead of repeating them with `&name` and `*name`",
        ));
    }
    if message.contains("recursion limit exceeded") {
        return Some(at(
            (line, column),
            Some(1),
            "the values here are nested too deeply".into(),
            "remove the extra `[`, `{` or `-` signs; a list is written `tags: [skin, collagen]`",
        ));
    }
    if message.contains("control characters are not allowed") {
        let (line, column, c) = first_control_character(text).unwrap_or((line, column, '\0'));
        return Some(at(
            (line, column),
            Some(1),
            format!(
                "this line holds an invisible control character (U+{:04X})",
                u32::from(c)
            ),
            "delete it: retype the end of the line, or paste the text again as plain text",
        ));
    }
    if message.starts_with("unknown anchor") {
        let name = text
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.get(column.saturating_sub(1)..))
            .map(|l| l.trim_start_matches('*'))
            .map(|l| {
                l.split([' ', ',', ']', '}'])
                    .next()
                    .unwrap_or(l)
                    .to_string()
            })
            .unwrap_or_default();
        return Some(at(
            (line, column),
            Some(name.chars().count() + 1),
            format!("`*{name}` repeats a value, but no `&{name}` above it names one"),
            "write the value out, or put `&NAME` before the value to repeat, above this line",
        ));
    }
    None
}

/// The 1-based line and column of each `[`, `]`, `{` and `}` of a line outside quotes and
/// comments, in order.
fn brackets(line: &str) -> Vec<(usize, char)> {
    let mut found = Vec::new();
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (index, c) in line.chars().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => break,
            (None, '[' | ']' | '{' | '}') => found.push((index + 1, c)),
            _ => {}
        }
        previous = c;
    }
    found
}

/// The innermost `[` or `{` left open at the end of the text: line, column and which.
fn unclosed_bracket(text: &str) -> Option<(usize, usize, char)> {
    let mut open = Vec::new();
    for (line_index, line) in text.lines().enumerate() {
        for (column, c) in brackets(line) {
            if c == '[' || c == '{' {
                open.push((line_index + 1, column, c));
            } else {
                open.pop();
            }
        }
    }
    open.pop()
}

/// A value holding `: ` (`title: Microneedling: what to expect`), or a `key:` line indented
/// under a line that already has its value: where YAML finds a second `key:` it cannot place.
fn colon_in_value(text: &str, line: usize) -> Option<Explained> {
    let source = text.lines().nth(line.checked_sub(1)?)?;
    let value = plain::value_line(source)?;
    if value.value.contains(": ") && !value.value.starts_with(['"', '\'', '[', '{']) {
        let whose = value.key.map_or("this value".into(), |k| format!("`{k}`"));
        return Some(Explained {
            line,
            column: source[..value.start].chars().count() + 1,
            width: Some(value.value.chars().count()),
            message: format!("the text of {whose} holds `: `, which YAML reads as a second key"),
            help: format!(
                "put the whole value in quotes: `{}{}`",
                source[..value.start].trim_start(),
                plain::quote(value.value)
            ),
            mended: Some(format!(
                "{}{}",
                &source[..value.start],
                plain::quote(value.value)
            )),
        });
    }
    let above = text
        .lines()
        .take(line - 1)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .last()
        .and_then(plain::value_line)?;
    let key = value.key?;
    if value.indent <= above.indent || above.value.is_empty() {
        return None;
    }
    let above_key = above
        .key
        .map_or("the line above".into(), |k| format!("`{k}`"));
    let fixed = format!("{}{}", " ".repeat(above.indent), source.trim_start());
    let how = if above.indent == 0 {
        "remove the spaces at the start of the line".to_string()
    } else {
        format!(
            "start the line with {} spaces, like the line above",
            above.indent
        )
    };
    Some(Explained {
        line,
        column: 1,
        width: Some(value.indent.max(1)),
        message: format!("`{key}:` is indented under {above_key}, which already has a value"),
        help: format!(
            "{how}: `{}`; if the line belongs to the text above, put that text in quotes",
            fixed.trim_start()
        ),
        mended: Some(fixed),
    })
}

/// The first line, up to line `last`, whose value opens a quote it does not close on that
/// line (`street: "100 North Road`), with the line to write.
fn unclosed_quote(text: &str, last: usize) -> Option<Explained> {
    text.lines()
        .enumerate()
        .take(last)
        .find_map(|(index, source)| {
            let value = plain::value_line(source)?;
            let quote = value
                .value
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\''))?;
            if closes(&value.value[1..], quote) {
                return None;
            }
            let fixed = format!(
                "{}{}{quote}",
                source[..value.start].trim_start(),
                value.value.trim_end()
            );
            Some(Explained {
                line: index + 1,
                column: source[..value.start].chars().count() + 1,
                width: Some(1),
                message: "this quoted text is never closed".into(),
                help: format!("add the closing quote at the end of the value: `{fixed}`"),
                mended: Some(format!(
                    "{}{}{quote}",
                    &source[..value.start],
                    value.value.trim_end()
                )),
            })
        })
}

/// Whether `rest`, the text after an opening `quote`, closes it (`\"` does not close a
/// double quote, nor `''` a single one).
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == quote => return true,
            _ => {}
        }
    }
    false
}

/// The first line that starts with a tab (after any spaces).
fn first_tab_line(text: &str) -> Option<usize> {
    (1..=text.lines().count()).find(|&line| starts_with_tab(text, line))
}

/// What to write instead of the tab-indented `line`: the indentation, among those the lines
/// above use, with which the text reads (tried with the library, so the advice works); the
/// help, and the line written so when one reads.
fn untabbed(text: &str, line: usize) -> (String, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let content = lines[line - 1].trim_start_matches([' ', '\t']);
    let above = lines[..line - 1]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let above_indent = above.map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
    let opens_block = above.is_some_and(|l| l.trim_end().ends_with(':'));
    let mut candidates = Vec::new();
    if opens_block {
        candidates.push(above_indent + 2);
    }
    candidates.push(above_indent);
    candidates.extend(
        lines[..line - 1]
            .iter()
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .rev(),
    );
    candidates.push(0);
    let reads = |indent: usize| {
        let mut tried: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        tried[line - 1] = format!("{}{content}", " ".repeat(indent));
        match serde_yaml::from_str::<serde_yaml::Value>(&tried.join("\n")) {
            Ok(_) => true,
            // A later line may have its own problem; this one is fixed.
            Err(error) => error.location().is_some_and(|l| l.line() > line),
        }
    };
    let Some(indent) = candidates.into_iter().find(|&indent| reads(indent)) else {
        let help =
            "YAML needs spaces, not tabs: replace the tab at the start of the line with spaces";
        return (help.into(), None);
    };
    let fixed = format!("{}{content}", " ".repeat(indent));
    let help = match indent {
        0 => {
            format!("YAML needs spaces, not tabs: delete the tab and write the line as `{content}`")
        }
        _ => format!(
            "YAML needs spaces, not tabs: replace the tab with {indent} spaces, like `{fixed}`"
        ),
    };
    (help, Some(fixed))
}

fn starts_with_tab(text: &str, line: usize) -> bool {
    text.lines()
        .nth(line.saturating_sub(1))
        .is_some_and(|l| l.trim_start_matches(' ').starts_with('\t'))
}

/// The 1-based line of the `n`-th line that starts (after its indentation) with `key:`.
fn nth_key_line(text: &str, key: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ");
            [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                .iter()
                .any(|k| {
                    l.strip_prefix(k.as_str())
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
                })
        })
        .nth(n - 1)
        .map(|(i, _)| i + 1)
}

/// Where the first `*name` reference is written.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let chars: Vec<char> = line.chars().collect();
        (0..chars.len())
            .find(|&j| {
                chars[j] == '*'
                    && (j == 0 || matches!(chars[j - 1], ' ' | '[' | ',' | '{'))
                    && chars.get(j + 1).is_some_and(|c| c.is_alphanumeric())
            })
            .map(|j| (i + 1, j + 1))
    })
}

/// The first control character other than tab and line break: line, column, character.
fn first_control_character(text: &str) -> Option<(usize, usize, char)> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.chars()
            .enumerate()
            .find(|&(_, c)| c.is_control() && c != '\t')
            .map(|(j, c)| (i + 1, j + 1, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_bracket_left_open() {
        assert_eq!(unclosed_bracket("a: [1, {b: 2}\nc: 3\n"), Some((1, 4, '[')));
        assert_eq!(unclosed_bracket("a: \"[\" # [\n"), None);
    }

    #[test]
    fn finds_the_quote_left_open() {
        let text = "title: A\nstreet: \"100 North Road\ncity: Miami\nzip: \"33101\"\n";
        let found = unclosed_quote(text, 4).expect("the open quote");
        assert_eq!((found.line, found.column), (2, 9));
        assert_eq!(
            found.help,
            "add the closing quote at the end of the value: `street: \"100 North Road\"`"
        );
        assert!(unclosed_quote("a: \"say \\\"hi\\\"\"\nb: 'it''s'\n", 2).is_none());
        assert!(unclosed_quote("- 'it''s\n", 1).is_some());
    }

    #[test]
    fn deep_brackets_are_refused_early() {
        let deep = format!("a: {}{}\n", "[".repeat(150), "]".repeat(150));
        assert_eq!(too_deep(&deep).map(|e| (e.line, e.column)), Some((1, 104)));
        assert_eq!(too_deep("a: [[1], {b: [2]}]\n"), None);
    }

    #[test]
    fn finds_the_second_key_and_the_first_alias() {
        assert_eq!(
            nth_key_line("title: A\nx: 1\ntitle: B\n", "title", 2),
            Some(3)
        );
        assert_eq!(first_alias("a: &a [1]\nb: [*a, *a]\n"), Some((2, 5)));
        assert_eq!(
            first_control_character("ok\na\u{7}b\n"),
            Some((2, 2, '\u{7}'))
        );
    }
}
