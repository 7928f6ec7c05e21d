//! Reading past a wrong value inside a block: the YAML text and the path of the value the
//! library refused (`location.hours[0].days`) in, the lines to leave out on the next try out.
//!
//! One wrong value (`days: Monday` where a list is wanted) stops the library, which hides
//! every other mistake in the same block until it is fixed. Leaving out the entry that holds
//! the wrong value (the `hours` line it is on, the `phone:` key) lets the rest be read, so
//! staff see all of an office's mistakes in one run.

use serde::de::DeserializeOwned;

use super::Origin;
use super::library::{from_library_error, split_path, strip_marks};
use crate::diagnostics::Diagnostic;

/// At most this many wrong values are read past in one text.
const MAX_WRONG_VALUES: usize = 20;

/// A text being read past its wrong values: the text as written, where it is, its known
/// top-level keys and the blocks whose entries can be left out.
pub(super) struct Wrong<'a> {
    pub text: &'a str,
    pub origin: Origin<'a>,
    pub known_keys: &'a [&'a str],
    pub blocks: &'a [&'a str],
}

impl Wrong<'_> {
    /// Reads `source` (the text, some lines emptied) with the `findings` so far: each wrong
    /// value inside one of the blocks is reported and its entry left out for the next try.
    pub(super) fn read_past<T: DeserializeOwned>(
        &self,
        mut source: String,
        mut findings: Vec<Diagnostic>,
    ) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut left_out = false;
        for _ in 0..=MAX_WRONG_VALUES {
            let error = match serde_yaml::from_str::<T>(&source) {
                Ok(value) => return Ok((value, findings)),
                Err(error) => error,
            };
            let (message, _) = strip_marks(&error.to_string());
            // An entry left out can leave its block short of a key it needs: that is the
            // mistake already reported in it.
            if left_out && message.contains("missing field") {
                return Err(findings);
            }
            let (finding, _) = from_library_error(&error, self.text, self.origin, self.known_keys);
            if findings.iter().any(|f| f.line == finding.line) {
                return Err(findings);
            }
            let line = finding.line.saturating_sub(self.origin.first_line);
            // A misspelt key (`streat:` for `street:`) is read as the key meant.
            if let Some((meant, written)) = key_meant(&source, line, &finding) {
                let help = format!("did you mean `{meant}`? Write `{}`", written.trim_start());
                findings.push(finding.help(help));
                source = super::with_lines(&source, &[(line + 1, written)]);
                continue;
            }
            findings.push(finding);
            let entry = split_path(&message)
                .0
                .and_then(|path| entry_lines(&source, path, line, self.blocks));
            let Some(lines) = entry else {
                return Err(findings);
            };
            source = without_lines(&source, &lines);
            left_out = true;
        }
        Err(findings)
    }
}

/// The 0-based lines of `text` that hold the entry of a block named in `blocks` that the
/// error at `path`, reported on the 0-based `line`, is in: the key right under the block
/// (`phone:` under `location:`, with the lines nested under it), or, in a list, the item
/// (`- { days: Monday, … }`, the whole entry). `None` when the error is not inside one of
/// `blocks` or its lines cannot be told apart (a block written on one line).
pub(super) fn entry_lines(
    text: &str,
    path: &str,
    line: usize,
    blocks: &[&str],
) -> Option<Vec<usize>> {
    let block = path.split(['.', '[']).next()?;
    if !blocks.contains(&block) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.strip_prefix(block).is_some_and(|r| r.starts_with(':')))?;
    let block_end = (start + 1..lines.len())
        .find(|&i| indent(lines[i]) == 0 && is_content(lines[i]))
        .unwrap_or(lines.len());
    if !(start + 1..block_end).contains(&line) {
        return None;
    }
    let child = (start + 1..block_end).find(|&i| is_content(lines[i]))?;
    let child_indent = indent(lines[child]);
    let is_key = |i: usize| {
        indent(lines[i]) == child_indent
            && is_content(lines[i])
            && !lines[i].trim_start().starts_with('-')
    };
    let key_line = (start + 1..=line).rev().find(|&i| is_key(i))?;
    let key_end = (key_line + 1..block_end)
        .find(|&i| is_key(i) || (is_content(lines[i]) && indent(lines[i]) < child_indent))
        .unwrap_or(block_end);
    // In a list, only the item holding the line.
    let item_start = (key_line + 1..=line)
        .rev()
        .find(|&i| lines[i].trim_start().starts_with('-'));
    let Some(item_start) = item_start else {
        return Some(content_of(&lines, key_line..key_end));
    };
    let item_indent = indent(lines[item_start]);
    let item_end = (item_start + 1..key_end)
        .find(|&i| is_content(lines[i]) && indent(lines[i]) <= item_indent)
        .unwrap_or(key_end);
    Some(content_of(&lines, item_start..item_end))
}

/// The lines of `range` up to its last one with content: the notes below an entry belong to
/// the next one.
fn content_of(lines: &[&str], range: std::ops::Range<usize>) -> Vec<usize> {
    let end = range
        .clone()
        .rev()
        .find(|&i| is_content(lines[i]))
        .map_or(range.start, |i| i + 1);
    (range.start..end).collect()
}

/// The key the `finding` (an unknown key, with a `did you mean` help) suggests and the 0-based
/// `line` of `source` written with it, when that line is where the key is written and the key
/// meant is not written beside it already.
fn key_meant(source: &str, line: usize, finding: &Diagnostic) -> Option<(String, String)> {
    let unknown = finding
        .message
        .strip_prefix("unknown key `")?
        .split('`')
        .next()?;
    let meant = finding
        .help
        .as_deref()?
        .strip_prefix("did you mean `")?
        .split('`')
        .next()?;
    let lines: Vec<&str> = source.lines().collect();
    let written = *lines.get(line)?;
    let at = indent(written);
    let value = written[at..].strip_prefix(unknown)?.strip_prefix(':')?;
    let beside = lines.iter().any(|l| {
        indent(l) == at
            && l[at..]
                .strip_prefix(meant)
                .is_some_and(|r| r.starts_with(':'))
    });
    (!beside).then(|| {
        (
            meant.to_string(),
            format!("{}{meant}:{value}", &written[..at]),
        )
    })
}

/// `text` with the given 0-based lines emptied (line numbers stay as they were).
pub(super) fn without_lines(text: &str, lines: &[usize]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if !lines.contains(&i) {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line with a value or key on it (not blank, not a note).
fn is_content(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICE: &str = "title: A\nlocation:\n  phone: [1]\n  hours:\n    - { days: Monday, opens: \"09:00\", closes: \"17:00\" }\n    - opens: \"09:00\"\n      days: Sunday\n      closes: \"12:00\"\n  # the map\n  geo:\n    lat: x\n    lng: 1\nweight: 2\n";

    fn entry(path: &str, line: usize) -> Option<Vec<usize>> {
        entry_lines(OFFICE, path, line, &["location"])
    }

    #[test]
    fn a_key_under_the_block_goes_with_its_nested_lines() {
        assert_eq!(entry("location.phone", 2), Some(vec![2]));
        assert_eq!(entry("location.geo.lat", 10), Some(vec![9, 10, 11]));
    }

    #[test]
    fn a_list_item_goes_whole() {
        assert_eq!(entry("location.hours[0]", 4), Some(vec![4]));
        assert_eq!(entry("location.hours[1]", 6), Some(vec![5, 6, 7]));
    }

    #[test]
    fn only_inside_the_named_blocks() {
        assert_eq!(entry("weight", 12), None);
        assert_eq!(entry("location", 1), None);
        assert_eq!(entry_lines(OFFICE, "image.alt", 2, &["location"]), None);
        let flow = "location: { phone: [1] }\n";
        assert_eq!(entry_lines(flow, "location.phone", 0, &["location"]), None);
    }

    #[test]
    fn a_misspelt_key_is_written_as_the_key_meant() {
        let text = "location:\n  streat: 1 Main St\n  city: Miami\n";
        let finding = |key: &str, meant: &str| {
            Diagnostic::new(
                crate::diagnostics::Code::YamlUnknownKey,
                "a.md",
                format!("unknown key `{key}` in `location`"),
            )
            .help(format!("did you mean `{meant}`?"))
        };
        assert_eq!(
            key_meant(text, 1, &finding("streat", "street")),
            Some(("street".into(), "  street: 1 Main St".into()))
        );
        // Written beside it already, or not on that line: left out as any unknown key.
        assert_eq!(key_meant(text, 1, &finding("streat", "city")), None);
        assert_eq!(key_meant(text, 2, &finding("streat", "street")), None);
    }

    #[test]
    fn a_list_at_the_keys_own_indent() {
        let text = "location:\n  hours:\n  - { days: Mo }\n  - { days: Tu }\n  parking: x\n";
        assert_eq!(
            entry_lines(text, "location.hours[1]", 3, &["location"]),
            Some(vec![3])
        );
        assert_eq!(
            entry_lines(text, "location.hours", 1, &["location"]),
            Some(vec![1, 2, 3])
        );
    }
}
