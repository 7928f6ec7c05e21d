//! The one place YAML is parsed: text in, typed values or `Diagnostic`s out.
//!
//! Swapping the YAML library means changing this file only. Messages are rewritten from the
//! library's wording into what staff should change, with line numbers shifted to the real
//! line of the file the YAML came from.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostic, nearest};

mod extra;
mod past;
mod plain;
mod simple;
mod syntax;

pub use extra::Extra;

/// A YAML value of any shape (for free-form `extra:` blocks).
pub type Value = serde_yaml::Value;

/// Put between a message and its help in the error of a value's own parser (see
/// `frontmatter::Date`), so the finding gets both.
pub const HELP: &str = "\nhelp: ";

/// Stands for the key in the help of a value's own parser (see `frontmatter::Date`): the
/// finding names the key the value is written under, so the help shows the whole line.
pub const KEY: &str = "{key}";

/// Where a YAML document sits in its file, so findings point at the real line.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    /// The file line on which the YAML text starts (1-based).
    pub first_line: usize,
}

/// Parses `text` into `T`. Every unknown top-level key is reported (with the nearest known
/// key as a suggestion), every value a ` #` would cut short, then the first other problem the
/// parser finds. Curly quotes around a whole value are read as quotes.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    origin: Origin,
    known_keys: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    match parse_past_unknown_keys(text, origin, known_keys)? {
        (value, unknown) if unknown.is_empty() => Ok(value),
        (_, unknown) => Err(unknown),
    }
}

/// Like `parse`, but a text whose only problems are unknown keys is still read (without
/// them): the value comes with the unknown keys' findings, so the rest of a page can be
/// checked in the same run.
pub fn parse_past_unknown_keys<T: DeserializeOwned>(
    text: &str,
    origin: Origin,
    known_keys: &[&str],
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_past_mistakes(text, origin, known_keys, &[])
}

/// Like `parse_past_unknown_keys`, and a wrong value inside one of the top-level `blocks`
/// (`location:`) is reported with the entry holding it left out, so the rest of the block is
/// read too and later checks of it report their own mistakes in the same run.
pub fn parse_past_mistakes<T: DeserializeOwned>(
    text: &str,
    origin: Origin,
    known_keys: &[&str],
    blocks: &[&str],
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = plain::straighten(text);
    with_lost_words(&text, origin, read(&text, origin, (known_keys, blocks)))
}

/// Adds the values a ` #` cuts short to the outcome of reading `text` (a value with the
/// findings that did not stop it being read, or the findings that did), in line order.
fn with_lost_words<T>(
    text: &str,
    origin: Origin,
    outcome: Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    let lost: Vec<Diagnostic> = plain::lost_to_comments(text)
        .into_iter()
        .map(|explained| finding(explained, origin))
        .collect();
    let mut findings = match outcome {
        Ok(read) if lost.is_empty() => return Ok(read),
        Ok((_, findings)) | Err(findings) => findings,
    };
    findings.retain(|f| !lost.iter().any(|l| l.line == f.line));
    findings.extend(lost);
    findings.sort_by_key(|f| f.line);
    Err(findings)
}

/// Reads `text`: the keys known at the top, and the blocks a wrong value can be read past.
fn read<T: DeserializeOwned>(
    text: &str,
    origin: Origin,
    (known_keys, blocks): (&[&str], &[&str]),
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    if let Some(deep) = syntax::too_deep(text) {
        return Err(vec![finding(deep, origin)]);
    }
    let mut findings = Vec::new();
    // Most front matter is plain `key: value` lines: read without the library (see `simple`).
    let tree = simple::mapping(text).map_or_else(|| serde_yaml::from_str::<Value>(text), Ok);
    match tree {
        Ok(Value::Mapping(map)) => {
            if map
                .keys()
                .all(|key| key.as_str().is_some_and(|key| known_keys.contains(&key)))
            {
                // The common case, every key known: read the values from the tree already
                // parsed. Only a wrong value needs the text parsed again, for its position.
                if let Ok(value) = T::deserialize(Value::Mapping(map)) {
                    return Ok((value, Vec::new()));
                }
                let wrong = past::Wrong {
                    text,
                    origin,
                    known_keys,
                    blocks,
                };
                return wrong.read_past(text.to_string(), Vec::new());
            }
            for key in map.keys() {
                let Some(key) = key.as_str() else { continue };
                if !known_keys.contains(&key) {
                    findings.push(unknown_key(key, known_keys, text, origin));
                }
            }
        }
        Ok(Value::Null) => {}
        Ok(_) => {
            return Err(vec![
                Diagnostic::new(
                    Code::YamlNotAMapping,
                    origin.file,
                    "this should be a list of `key: value` lines",
                )
                .at(origin.first_line, 1)
                .help("write one setting per line, like `title: Does microneedling hurt?`"),
            ]);
        }
        Err(error) => return Err(vec![from_library_error(&error, text, origin, known_keys)]),
    }
    // Parse again without the unknown keys' lines (blanked, so line numbers stay), so a wrong
    // value elsewhere in the same file is reported in the same run.
    let unknown: Vec<usize> = findings
        .iter()
        .map(|f| f.line + 1 - origin.first_line)
        .collect();
    let blanked = blank_lines(text, &unknown);
    let source = if blanked.trim().is_empty() {
        "{}".to_string()
    } else {
        blanked
    };
    let wrong = past::Wrong {
        text,
        origin,
        known_keys,
        blocks,
    };
    wrong.read_past(source, findings)
}

/// Parses a flat list of `key: text` lines (theme word lists).
pub fn parse_map(
    text: &str,
    origin: Origin,
) -> Result<std::collections::BTreeMap<String, String>, Vec<Diagnostic>> {
    if let Some(deep) = syntax::too_deep(text) {
        return Err(vec![finding(deep, origin)]);
    }
    let text = plain::straighten(text);
    let read = serde_yaml::from_str::<Option<std::collections::BTreeMap<String, String>>>(&text)
        .map(Option::unwrap_or_default)
        .map(|map| (map, Vec::new()))
        .map_err(|error| vec![from_library_error(&error, &text, origin, &[])]);
    with_lost_words(&text, origin, read).map(|(map, _)| map)
}

/// `text` with each given 1-based line, and the more-indented lines under it, made empty.
fn blank_lines(text: &str, lines: &[usize]) -> String {
    let mut blanking = false;
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        let nested = line.starts_with(' ') || line.starts_with('\t') || line.trim().is_empty();
        blanking = lines.contains(&(i + 1)) || (blanking && nested);
        if !blanking {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The 1-based line (within `text`) on which top-level `key:` is written, if any.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start_matches('\u{feff}');
            let unquoted = line.strip_prefix(key);
            let quoted = || {
                ['"', '\'']
                    .iter()
                    .find_map(|&q| line.strip_prefix(q)?.strip_prefix(key)?.strip_prefix(q))
            };
            unquoted
                .or_else(quoted)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

fn unknown_key(key: &str, known: &[&str], text: &str, origin: Origin) -> Diagnostic {
    let line = key_line(text, key).unwrap_or(1);
    let help = match nearest(key, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? Custom values go under `extra:`"),
        None => format!(
            "known keys are: {}. Custom values go under `extra:`",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::new(
        Code::YamlUnknownKey,
        origin.file,
        format!("unknown key `{key}`"),
    )
    .at(origin.first_line + line - 1, 1)
    .width(key.chars().count())
    .help(help)
}

/// Turns the YAML library's error into a finding with plain words and a suggestion.
fn from_library_error(
    error: &serde_yaml::Error,
    text: &str,
    origin: Origin,
    known_keys: &[&str],
) -> Diagnostic {
    let raw = error.to_string();
    let (message_text, marks) = strip_marks(&raw);
    let library_position = error.location().map(|l| (l.line(), l.column()));
    if let Some(explained) = syntax::explain(&message_text, &marks, library_position, text) {
        return finding(explained, origin);
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
    finding
}

/// A value's own parser (`days:`, `placeholder:`) is placed at the first line of the block
/// holding it: the 1-based line further down that block where the value `message` quotes is
/// written, when it is not on `line` itself.
fn later_in_block(text: &str, line: usize, message: &str) -> Option<usize> {
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

/// A syntax error explained: 1-based line and column within the YAML text, how many
/// characters to underline (`None`: the rest of the line), the message and the help.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Explained {
    pub line: usize,
    pub column: usize,
    pub width: Option<usize>,
    pub message: String,
    pub help: String,
}

/// An explained syntax error as a finding on the file's real line.
fn finding(explained: Explained, origin: Origin) -> Diagnostic {
    let Explained {
        line,
        column,
        width,
        message,
        help,
    } = explained;
    Diagnostic::new(Code::YamlInvalid, origin.file, message)
        .at(origin.first_line + line - 1, column)
        .width(width.unwrap_or(1))
        .help(help)
}

/// `help` with `KEY` replaced by the key written on `line` (`last_reviewed`), so it shows
/// the whole line to write.
fn with_key(help: String, line: &str) -> String {
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
fn quoted_value_position(text: &str, path: Option<&str>, message: &str) -> Option<(usize, usize)> {
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
fn strip_marks(raw: &str) -> (String, Vec<(usize, usize)>) {
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
fn leading_number(text: &str) -> (Option<usize>, &str) {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (text[..digits].parse().ok(), &text[digits..])
}

/// Splits the library's `path.to.key: message` prefix off a message.
fn split_path(raw: &str) -> (Option<&str>, &str) {
    match raw.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && path != "invalid type" && !path.is_empty() => {
            (Some(path), rest)
        }
        _ => (None, raw),
    }
}

fn explain(path: Option<&str>, message: &str, known_keys: &[&str]) -> (String, Option<String>) {
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

fn plain_type(expected: &str) -> String {
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

fn type_help(expected: &str) -> Option<String> {
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

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
