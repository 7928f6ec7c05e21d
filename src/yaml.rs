//! The one place YAML is parsed: text in, typed values or `Diagnostic`s out.
//!
//! Swapping the YAML library means changing this file only. Messages are rewritten from the
//! library's wording into what staff should change, with line numbers shifted to the real
//! line of the file the YAML came from.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostic, nearest};

mod extra;
mod library;
mod past;
mod plain;
mod simple;
mod syntax;

pub use extra::Extra;
use library::from_library_error;

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
/// parser finds. Curly quotes around a whole value are read as quotes, and no-break spaces
/// after a key or in an indent as spaces.
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
    let text = plain::as_meant(text);
    let read = read(&text, origin, (known_keys, blocks), MAX_MENDS);
    with_lost_words(&text, origin, read)
}

/// How many syntax errors one run reports in one text: after each, the text is read again
/// with the line mended as the help says (see `syntax_errors`).
const MAX_MENDS: usize = 12;

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
    mends_left: usize,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    if let Some(deep) = syntax::too_deep(text) {
        return Err(vec![finding(deep, origin)]);
    }
    let mut findings = Vec::new();
    // Lines of misspelt keys (`titel:`), written with the key meant (`title:`).
    let mut renamed_lines: Vec<(usize, String)> = Vec::new();
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
            let present: Vec<&str> = map.keys().filter_map(Value::as_str).collect();
            for key in &present {
                if !known_keys.contains(key) {
                    let (finding, renamed) = unknown_key(key, known_keys, &present, text, origin);
                    findings.push(finding);
                    renamed_lines.extend(renamed);
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
        Err(error) => {
            return Err(syntax_errors::<T>(
                &error,
                text,
                origin,
                (known_keys, blocks),
                mends_left,
            ));
        }
    }
    // Parse again without the unknown keys' lines (blanked, so line numbers stay), so a wrong
    // value elsewhere in the same file is reported in the same run. A misspelt key is read as
    // the key meant, so its value is checked and used (a page with `titel:` has its title).
    let unknown: Vec<usize> = findings
        .iter()
        .map(|f| f.line + 1 - origin.first_line)
        .filter(|line| !renamed_lines.iter().any(|(renamed, _)| renamed == line))
        .collect();
    let renamed = with_lines(text, &renamed_lines);
    let blanked = blank_lines(&renamed, &unknown);
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
    let text = plain::as_meant(text);
    let read = serde_yaml::from_str::<Option<std::collections::BTreeMap<String, String>>>(&text)
        .map(Option::unwrap_or_default)
        .map(|map| (map, Vec::new()))
        .map_err(|error| vec![from_library_error(&error, &text, origin, &[]).0]);
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

/// `text` with each given 1-based line written as given (line numbers stay as they were).
fn with_lines(text: &str, written: &[(usize, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.lines().enumerate() {
        match written.iter().find(|(at, _)| *at == i + 1) {
            Some((_, new)) => out.push_str(new),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The 1-based line (within `text`) on which top-level `key:` is written, if any: the first
/// line that starts (after byte order marks) with `key`, bare or in quotes, then a colon.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    // Review findings point at `last_reviewed:` on every FAQ entry: only a line whose first
    // byte could start the key, a quote or a byte order mark is read closely.
    let could = |line: &str| match (line.as_bytes().first(), key.as_bytes().first()) {
        (Some(&first), Some(&starts)) => first == starts || matches!(first, b'"' | b'\'' | 0xEF),
        _ => true,
    };
    // Split at line feeds only: a `\r` left at a line's end is after any colon that counts.
    text.split('\n')
        .position(|line| could(line) && names_key(line, key))
        .map(|i| i + 1)
}

/// Whether `line` starts (after byte order marks) with `key`, bare or in quotes, then a colon.
fn names_key(line: &str, key: &str) -> bool {
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
}

/// The finding for an unknown top-level `key`, and, when it is a misspelling of a known key
/// not written elsewhere (`titel:` for `title:`), its line (1-based within `text`) written
/// with the key meant: the help shows that line, and the text is read with it.
fn unknown_key(
    key: &str,
    known: &[&str],
    present: &[&str],
    text: &str,
    origin: Origin,
) -> (Diagnostic, Option<(usize, String)>) {
    let found = key_line(text, key);
    let line = found.unwrap_or(1);
    let near = nearest(key, known.iter().copied());
    let renamed = near
        .filter(|near| !present.contains(near))
        .zip(found)
        .and_then(|(near, line)| {
            let written = text.lines().nth(line - 1)?;
            let (_, value) = written.split_once(':')?;
            Some((line, format!("{near}:{value}")))
        });
    let help = match (near, &renamed) {
        (Some(near), Some((_, written))) => {
            format!("did you mean `{near}`? Write `{}`", written.trim_end())
        }
        (Some(near), None) => format!("did you mean `{near}`? Custom values go under `extra:`"),
        (None, _) => format!(
            "known keys are: {}. Custom values go under `extra:`",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let finding = Diagnostic::new(
        Code::YamlUnknownKey,
        origin.file,
        format!("unknown key `{key}`"),
    )
    .at(origin.first_line + line - 1, 1)
    .width(key.chars().count())
    .help(help);
    (finding, renamed)
}

/// The finding for a text the library cannot read, then, where the help names the line to
/// write instead, the findings of the text read again with that line written so (up to
/// `mends_left` more times): a title with a colon, a tab and a date written `10/20/2026`
/// further down are reported in one run, not one run each.
fn syntax_errors<T: DeserializeOwned>(
    error: &serde_yaml::Error,
    text: &str,
    origin: Origin,
    keys: (&[&str], &[&str]),
    mends_left: usize,
) -> Vec<Diagnostic> {
    let (first, mended) = from_library_error(error, text, origin, keys.0);
    let mut findings = vec![first];
    let Some((line, fixed)) = mended.filter(|_| mends_left > 0) else {
        return findings;
    };
    if line == 0 || text.lines().nth(line - 1).is_none_or(|old| old == fixed) {
        return findings;
    }
    let mended_text = with_lines(text, &[(line, fixed)]);
    let later = match read::<T>(&mended_text, origin, keys, mends_left - 1) {
        Ok((_, later)) | Err(later) => later,
    };
    // The mended line may hold a second mistake of its own (an unknown key): kept.
    let first = (findings[0].line, findings[0].message.clone());
    findings.extend(
        later
            .into_iter()
            .filter(|f| (f.line, &f.message) != (first.0, &first.1)),
    );
    findings.sort_by_key(|f| f.line);
    findings
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
    /// The whole line the help says to write instead of line `line`, where it names one: the
    /// text is read again with it, so the lines after it are checked in the same run.
    pub mended: Option<String>,
}

/// An explained syntax error as a finding on the file's real line.
fn finding(explained: Explained, origin: Origin) -> Diagnostic {
    let Explained {
        line,
        column,
        width,
        message,
        help,
        mended: _,
    } = explained;
    Diagnostic::new(Code::YamlInvalid, origin.file, message)
        .at(origin.first_line + line - 1, column)
        .width(width.unwrap_or(1))
        .help(help)
}

#[cfg(test)]
mod tests;
