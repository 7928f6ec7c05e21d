//! The YAML library's errors in plain words: its error and the text in; a finding that says
//! where, what is wrong and what to write instead out, with the whole line to write where a
//! syntax error's help names one. Syntax errors themselves are explained in `syntax`.

use serde_yaml::Error;

use super::{HELP, KEY, Origin, finding, key_line, plain, syntax};
use crate::diagnostics::{Code, Diagnostic, nearest};

/// Turns the YAML library's error into a finding with plain words and a suggestion, and the
/// line to write instead (1-based within `text`) where the help names a whole line.
pub(super) fn from_library_error(
    error: &Error,
    text: &str,
    origin: Origin,
    known_keys: &[&str],
) -> (Diagnostic, Option<(usize, String)>) {
    let raw = error.to_string();
    let (message_text, marks) = strip_marks(&raw);
    let library_position = error.location().map(|l| (l.line(), l.column()));
    if let Some(explained) = syntax::explain(&message_text, &marks, library_position, text) {
        let mended = explained
            .mended
            .clone()
            .map(|fixed| (explained.line, fixed));
        return (finding(explained, origin), mended);
    }
    let (path, message) = split_path(&message_text);
    // Errors raised by a value's own parser carry the location of the enclosing block; the
    // key's own line is closer to what needs changing.
    let key_position = path
        .and_then(|p| key_line(text, p.split(['.', '[']).next().unwrap_or(p)))
        .map(|line| (line, 1));
    let key_position = key_position.or_else(|| quoted_value_position(text, path, &message_text));
    let (line, column) = match (library_position, key_position) {
        (Some(library), Some(key)) => library.max(key),
        (Some(position), None) | (None, Some(position)) => position,
        (None, None) => (1, 1),
    };
    // A value's own parser names the block holding the value: name its key too.
    let later = later_in_block(text, line, message);
    let keyed_path = later
        .and_then(|later| plain::value_line(text.lines().nth(later - 1)?)?.key)
        .zip(path)
        .map(|(key, path)| format!("{path}.{key}"));
    let (message, help) = explain(keyed_path.as_deref().or(path), message, known_keys);
    let (line, column) = match later {
        Some(later) => (later, 1),
        None => (line, column),
    };
    let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    // A value's own parser is placed at the block holding it (`{ days: Mo-Fr, … }`): point at
    // the value the message quotes when it is written further along the line.
    let column = message
        .split('`')
        .nth(1)
        .filter(|v| !v.is_empty())
        .and_then(|value| source_line.find(value))
        .map(|byte| source_line[..byte].chars().count() + 1)
        .filter(|&at| at > column)
        .unwrap_or(column);
    let help = help.map(|help| with_key(help, source_line));
    // `{ alt: Our door, with a blue awning. }`: the words after the comma read as a key.
    let help = message
        .strip_prefix("unknown key `")
        .and_then(|rest| rest.split('`').next())
        .and_then(|key| plain::comma_split_value(source_line, key))
        .map(|fixed| {
            format!("a comma inside `{{ }}` ends a value: put the whole value in quotes: `{fixed}`")
        })
        .or(help);
    // `phone: [305-555-0101]`: one value in brackets, where text is wanted.
    let help = message
        .ends_with("expected text, found a list")
        .then(|| plain::value_line(source_line))
        .flatten()
        .and_then(|line| {
            let inner = line.value.strip_prefix('[')?.strip_suffix(']')?.trim();
            let key = line.key?;
            let single = !inner.is_empty() && !inner.contains([',', '[', '"']);
            single.then(|| format!("write it without brackets: `{key}: \"{inner}\"`"))
        })
        .or(help);
    // Underline the value the message quotes when it is written there, else the rest of the
    // line: the value (or key) that needs changing.
    let rest: String = source_line.chars().skip(column - 1).collect();
    let quoted = message.split('`').nth(1).filter(|v| !v.is_empty());
    let width = match quoted {
        Some(value) if rest.trim_start_matches(['"', '\'']).starts_with(value) => {
            value.chars().count() + rest.len() - rest.trim_start_matches(['"', '\'']).len()
        }
        _ => rest.trim_end().chars().count(),
    };
    let code = if message.starts_with("unknown key") {
        Code::YamlUnknownKey
    } else {
        Code::YamlInvalid
    };
    let mut finding = Diagnostic::new(code, origin.file, message)
        .at(origin.first_line + line - 1, column)
        .width(width);
    if let Some(help) = help {
        finding = finding.help(help);
    }
    (finding, None)
}

/// A value's own parser (`days:`, `placeholder:`) is placed at the first line of the block
/// holding it: the 1-based line further down that block where the value `message` quotes is
/// written, when it is not on `line` itself.
pub(super) fn later_in_block(text: &str, line: usize, message: &str) -> Option<usize> {
    let value = message.split('`').nth(1).filter(|v| !v.is_empty())?;
    let mut lines = text.lines().enumerate().skip(line.checked_sub(1)?);
    let (_, first) = lines.next()?;
    if first.contains(value) {
        return None;
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let block = indent(first);
    lines
        .take_while(|(_, l)| l.trim().is_empty() || indent(l) >= block)
        .find(|(_, l)| l.contains(value))
        .map(|(i, _)| i + 1)
}

/// `help` with `KEY` replaced by the key written on `line` (`last_reviewed`), so it shows
/// the whole line to write.
pub(super) fn with_key(help: String, line: &str) -> String {
    if !help.contains(KEY) {
        return help;
    }
    match line.split_once(':').map(|(key, _)| key.trim()) {
        Some(key) if !key.is_empty() && !key.contains(' ') => help.replace(KEY, key),
        _ => help.replace(&format!("{KEY}: "), ""),
    }
}

/// For messages from a value's own parser (which name no key), the line and column of the
/// value they quote in backticks.
pub(super) fn quoted_value_position(
    text: &str,
    path: Option<&str>,
    message: &str,
) -> Option<(usize, usize)> {
    if path.is_some() {
        return None;
    }
    let value = message.split('`').nth(1).filter(|v| !v.is_empty())?;
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(value)
            .map(|byte| (i + 1, line[..byte].chars().count() + 1))
    })
}

/// Removes the library's " at line L column C" fragments, returning them separately.
pub(super) fn strip_marks(raw: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut rest = raw;
    while let Some(i) = rest.find(" at line ") {
        text.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let (line, after_line) = leading_number(after);
        let (column, after_column) = after_line
            .strip_prefix(" column ")
            .map_or((None, after_line), leading_number);
        match (line, column) {
            (Some(l), Some(c)) => {
                marks.push((l, c));
                rest = after_column;
            }
            _ => {
                text.push_str(" at line ");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    (text, marks)
}

/// The number `text` starts with, and the text after it.
pub(super) fn leading_number(text: &str) -> (Option<usize>, &str) {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (text[..digits].parse().ok(), &text[digits..])
}

/// Splits the library's `path.to.key: message` prefix off a message.
pub(super) fn split_path(raw: &str) -> (Option<&str>, &str) {
    match raw.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && path != "invalid type" && !path.is_empty() => {
            (Some(path), rest)
        }
        _ => (None, raw),
    }
}

pub(super) fn explain(
    path: Option<&str>,
    message: &str,
    known_keys: &[&str],
) -> (String, Option<String>) {
    // `location.hours[0].days[1]` -> `location.hours.days`: the keys staff wrote.
    let at = path
        .map(|p| {
            let keys: Vec<&str> = p
                .split('.')
                .map(|k| k.split('[').next().unwrap_or(k))
                .collect();
            format!(" in `{}`", keys.join("."))
        })
        .unwrap_or_default();
    // A value's own parser (dates) gives its help after a `\nhelp: ` line.
    if let Some((message, help)) = message.split_once(HELP) {
        return (format!("{message}{at}"), Some(help.to_string()));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let choices = if choices.is_empty() {
            known_keys.to_vec()
        } else {
            choices
        };
        let help = match nearest(field, choices.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", quote_list(&choices)),
        };
        return (format!("unknown key `{field}`{at}"), Some(help));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        // An empty choice is the default, written by leaving the line out.
        let optional = choices.contains(&"");
        let choices: Vec<&str> = choices.into_iter().filter(|c| !c.is_empty()).collect();
        let help = match nearest(value, choices.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if optional => format!(
                "use one of: {}, or leave the line out",
                quote_list(&choices)
            ),
            None => format!("use one of: {}", quote_list(&choices)),
        };
        return (format!("`{value}` is not allowed here{at}"), Some(help));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("`{field}` is missing{at}"),
            Some(format!("add a line `{field}: ...`")),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: integer `") {
        let (number, size) = rest.split_once('`').unwrap_or((rest, ""));
        if size.starts_with(" as u128") || size.starts_with(" as i128") {
            return (
                format!("`{number}` is too large a number{at}"),
                Some("use a small whole number, like `weight: 3`".into()),
            );
        }
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let found = match found {
            "sequence" => "a list",
            "map" => "a block of `key: value` lines",
            other => other,
        };
        return (
            format!(
                "wrong kind of value{at}: expected {}, found {found}",
                plain_type(expected)
            ),
            type_help(expected),
        );
    }
    if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
    {
        return (
            format!("the YAML is malformed{at}: {message}"),
            Some("check the indentation and that each line is `key: value`; put text containing `: ` or `#` in quotes".into()),
        );
    }
    (format!("{message}{at}"), None)
}

pub(super) fn plain_type(expected: &str) -> String {
    match expected {
        "a string" => "text".into(),
        "i64" | "u64" | "i32" | "u32" | "usize" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a boolean" => "`true` or `false`".into(),
        "a sequence" => "a list".into(),
        "a map" => "a block of `key: value` lines".into(),
        other => other.into(),
    }
}

pub(super) fn type_help(expected: &str) -> Option<String> {
    Some(
        match expected {
            "a string" => "put the text in quotes, like `title: \"Does it hurt?\"`",
            "i64" | "u64" | "i32" | "u32" | "usize" => "write a whole number, like `weight: 3`",
            "f64" | "f32" => "write a number, like `lat: 25.68`",
            "a boolean" => "write `true` or `false`",
            "a sequence" => "write a list, like `tags: [skin, collagen]` or one `- item` per line",
            _ => return None,
        }
        .into(),
    )
}

pub(super) fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
