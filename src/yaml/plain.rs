//! Values as staff type them, read from the raw lines before the library sees them: the text
//! in; the words a ` #` would drop as a comment, and the text with curly quotes pasted from a
//! word processor made straight, out.
//!
//! YAML reads `Tip #1: arrive early` as `Tip` plus a comment, without a word of warning, and
//! reads `“305-555-0101”` as text that includes the curly quotes. Only what the library drops
//! or keeps can tell, so these look at each `key: value` and `- value` line as written.

use std::borrow::Cow;

use super::Explained;

/// A line that holds a value: where the value starts (a byte offset) and the key, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ValueLine<'a> {
    pub indent: usize,
    pub key: Option<&'a str>,
    /// Byte offset of the value in the line (after `key: ` or `- `).
    pub start: usize,
    pub value: &'a str,
}

/// Reads `key: value`, `- value` and `- key: value` lines; `None` for anything else (a
/// comment, a line that continues the text above, a line of a `|` block).
pub(super) fn value_line(line: &str) -> Option<ValueLine<'_>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut start = indent;
    let mut item = false;
    while let Some(rest) = line[start..].strip_prefix("- ") {
        item = true;
        start += 2 + rest.len() - rest.trim_start_matches(' ').len();
    }
    let rest = &line[start..];
    if rest.starts_with('#') {
        return None;
    }
    let key = key_of(rest);
    let value_start = match key {
        Some(key) => {
            let after = &rest[key.len()..];
            let after_colon = after.trim_start_matches(' ').strip_prefix(':')?;
            let colon = after.len() - after_colon.len();
            start + key.len() + colon + after_colon.len() - after_colon.trim_start().len()
        }
        None if item => start,
        None => return None,
    };
    let value = line[value_start..].trim_end();
    let key = key.map(|k| k.trim_matches(['"', '\'']));
    Some(ValueLine {
        indent,
        key,
        start: value_start,
        value,
    })
}

/// The key `text` starts with (`summary` in `summary: …`, `"a b"` in `"a b": …`), if any.
fn key_of(text: &str) -> Option<&str> {
    if let Some(q) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = text[1..].find(q)? + 2;
        return text[end..]
            .trim_start_matches(' ')
            .starts_with(':')
            .then(|| &text[..end]);
    }
    // A plain key ends at the first `: ` (or a `:` ending the line).
    let end = text
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| matches!(text[i + 1..].chars().next(), None | Some(' ' | '\t')))?;
    let key = text[..end].trim_end();
    (!key.is_empty()
        && !key.contains(" #")
        && !key.starts_with(['[', '{', '&', '*', '!', '|', '>']))
    .then_some(key)
}

/// Whether a value written as-is is plain text (no quotes, brackets, block or reference).
fn is_plain(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with([
            '"', '\'', '[', '{', '#', '|', '>', '&', '*', '!', '%', '@', '`',
        ])
}

/// Every value in `text` that a ` #` cuts short, with the words that would be lost.
pub(super) fn lost_to_comments(text: &str) -> Vec<Explained> {
    let mut found = Vec::new();
    // Most texts have no `#` at all: nothing to look for line by line.
    if !text.contains('#') {
        return found;
    }
    for (index, line, value) in value_lines(text) {
        if !is_plain(value.value) {
            continue;
        }
        let Some(hash) = value.value.find(" #").or_else(|| value.value.find("\t#")) else {
            continue;
        };
        let kept = value.value[..hash].trim_end();
        // `placeholder: true  # the street is made up` is a note beside a value, as meant.
        if kept.is_empty() || is_not_text(kept) {
            continue;
        }
        let lost = value.value[hash + 1..].trim();
        let column = line[..value.start + hash + 1].chars().count() + 1;
        let whose = value
            .key
            .map_or("this value".to_string(), |k| format!("`{k}`"));
        let write = format!("{}{}", &line[..value.start], quote(value.value));
        found.push(Explained {
            line: index + 1,
            column,
            width: Some(lost.chars().count()),
            message: format!(
                "{whose} would lose the words `{lost}`: YAML reads ` #` as the start of a comment"
            ),
            help: format!(
                "put the whole value in quotes: `{}`. A note for editors goes on a line of its own, starting with `#`",
                write.trim_start()
            ),
            mended: Some(write.clone()),
        });
    }
    found
}

/// `text` as staff meant it: no-break spaces in its structure made plain (`plain_spaces`) and
/// curly quotes around whole values made straight (`straighten`). Both look only for
/// characters beyond ASCII, so an ASCII text (nearly every header) is returned at once.
pub(super) fn as_meant(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    match plain_spaces(text) {
        Cow::Borrowed(text) => straighten(text),
        Cow::Owned(spaced) => match straighten(&spaced) {
            Cow::Borrowed(_) => Cow::Owned(spaced),
            Cow::Owned(straight) => Cow::Owned(straight),
        },
    }
}

/// Spaces that look like spaces but are not to YAML: the no-break spaces a word processor
/// puts after `title:` or in an indent.
const NO_BREAK_SPACES: [char; 3] = ['\u{a0}', '\u{2007}', '\u{202f}'];

/// `text` with no-break spaces pasted into its structure made plain: in a line's indent, and
/// between a key's colon (`title:`) and its value. Without this, `title:\u{a0}Does it hurt?`
/// is read as text holding a colon and the next line fails to read. Spaces inside values stay.
/// Line numbers and character columns stay as they were.
pub(super) fn plain_spaces(text: &str) -> Cow<'_, str> {
    if !text.contains(NO_BREAK_SPACES) {
        return Cow::Borrowed(text);
    }
    let is_space = |c: char| c == ' ' || NO_BREAK_SPACES.contains(&c);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(is_space);
        out.extend(std::iter::repeat_n(
            ' ',
            line[..line.len() - body.len()].chars().count(),
        ));
        let key_end = body
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .filter(|&end| end > 0 && body[end..].starts_with(':'));
        match key_end {
            Some(end) => {
                let after = &body[end + 1..];
                let value = after.trim_start_matches(is_space);
                out.push_str(&body[..=end]);
                out.extend(std::iter::repeat_n(
                    ' ',
                    after[..after.len() - value.len()].chars().count(),
                ));
                out.push_str(value);
            }
            None => out.push_str(body),
        }
    }
    Cow::Owned(out)
}

/// `text` with curly quotes around a whole value made straight: `“305-555-0101”` is read as
/// `"305-555-0101"`. Line numbers and character columns stay as they were.
pub(super) fn straighten(text: &str) -> Cow<'_, str> {
    if !text.contains(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{201e}']) {
        return Cow::Borrowed(text);
    }
    let mut changed: Vec<(usize, String)> = Vec::new();
    for (index, line, value) in value_lines(text) {
        if value.value.starts_with(['{', '[']) {
            if let Some(flow) = straighten_flow(value.value) {
                let end = value.start + value.value.len();
                changed.push((
                    index,
                    format!("{}{flow}{}", &line[..value.start], &line[end..]),
                ));
            }
            continue;
        }
        let mut chars = value.value.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            continue;
        };
        let double = matches!(first, '\u{201c}' | '\u{201d}' | '\u{201e}')
            && matches!(last, '\u{201c}' | '\u{201d}');
        let single =
            matches!(first, '\u{2018}' | '\u{2019}') && matches!(last, '\u{2018}' | '\u{2019}');
        if !(double || single) {
            continue;
        }
        let inner = chars.as_str();
        let quote = if !inner.contains(['"', '\\']) {
            '"'
        } else if !inner.contains('\'') {
            '\''
        } else {
            continue;
        };
        let end = value.start + value.value.len();
        changed.push((
            index,
            format!(
                "{}{quote}{inner}{quote}{}",
                &line[..value.start],
                &line[end..]
            ),
        ));
    }
    if changed.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut next = changed.into_iter().peekable();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        match next.peek() {
            Some((i, new)) if *i == index => {
                out.push_str(new);
                if line.ends_with('\n') {
                    out.push('\n');
                }
                next.next();
            }
            _ => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

/// A one-line `{ … }` or `[ … ]` with curly quotes around any of its values made straight
/// (`{ alt: “Our front door” }`); `None` when it has none. A value's quotes open after `:`,
/// `,`, `{` or `[` and close before `,`, `}` or `]`, so an apostrophe inside stays.
fn straighten_flow(flow: &str) -> Option<String> {
    const DOUBLE: [char; 3] = ['\u{201c}', '\u{201d}', '\u{201e}'];
    const SINGLE: [char; 2] = ['\u{2018}', '\u{2019}'];
    let chars: Vec<char> = flow.chars().collect();
    let mut out = chars.clone();
    let next_mark = |from: usize| chars[from..].iter().find(|c| !c.is_whitespace()).copied();
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let double = DOUBLE.contains(&chars[i]);
        let single = SINGLE.contains(&chars[i]);
        let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let opens = before.is_some_and(|c| matches!(c, ':' | ',' | '{' | '['));
        if !(double || single) || !opens {
            i += 1;
            continue;
        }
        let closes = |j: usize| {
            let quote = if double {
                chars[j] == '\u{201c}' || chars[j] == '\u{201d}'
            } else {
                SINGLE.contains(&chars[j])
            };
            quote && next_mark(j + 1).is_some_and(|c| matches!(c, ',' | '}' | ']'))
        };
        let Some(end) = (i + 1..chars.len()).find(|&j| closes(j)) else {
            i += 1;
            continue;
        };
        let inner: String = chars[i + 1..end].iter().collect();
        let quote = if !inner.contains(['"', '\\']) {
            '"'
        } else if !inner.contains('\'') {
            '\''
        } else {
            i = end + 1;
            continue;
        };
        out[i] = quote;
        out[end] = quote;
        changed = true;
        i = end + 1;
    }
    changed.then(|| out.into_iter().collect())
}

/// `value` in quotes, as YAML reads it back unchanged.
pub(super) fn quote(value: &str) -> String {
    if !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A comma inside `{ }` ends a value: `{ alt: Our door, with a blue awning. }` reads
/// `with a blue awning.` as a key. `key` is that "key" (words with a space: no key has one);
/// the line with the value before the comma and the words after it quoted as one, or `None`.
pub(super) fn comma_split_value(line: &str, key: &str) -> Option<String> {
    if !key.contains(' ') || !line.contains('{') {
        return None;
    }
    let words_at = line.find(key)?;
    let comma = line[..words_at].rfind(',')?;
    let value_at = line[..comma].rfind(": ")? + 2;
    let value = &line[value_at..words_at + key.len()];
    if value.starts_with(['"', '\'', '{', '[']) {
        return None;
    }
    let after = &line[words_at + key.len()..];
    Some(format!("{}{}{after}", &line[..value_at], quote(value)))
}

/// `true`, `no`, `3`, `25.7`, `~`: values that are not words, which a comment may follow.
fn is_not_text(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
    ) || value.parse::<f64>().is_ok()
}

/// The lines of `text` that hold a value, skipping the inside of `|` and `>` blocks and of
/// quoted text that runs over several lines: (0-based index, line, value).
fn value_lines(text: &str) -> Vec<(usize, &str, ValueLine<'_>)> {
    let mut lines = Vec::new();
    let mut block_indent: Option<usize> = None;
    let mut open_quote: Option<char> = None;
    for (index, line) in text.lines().enumerate() {
        if let Some(q) = open_quote {
            if closes(line, q) {
                open_quote = None;
            }
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(block) = block_indent {
            if line.trim().is_empty() || indent > block {
                continue;
            }
            block_indent = None;
        }
        let Some(value) = value_line(line) else {
            continue;
        };
        if value.value.starts_with(['|', '>']) {
            block_indent = Some(value.indent);
        } else if let Some(q) = value
            .value
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            && !closes(&value.value[1..], q)
        {
            open_quote = Some(q);
        }
        lines.push((index, line, value));
    }
    lines
}

/// Whether `text` holds the quote `q` that ends a quoted value.
fn closes(text: &str, q: char) -> bool {
    let mut escaped = false;
    for c in text.chars() {
        match c {
            '\\' if q == '"' && !escaped => escaped = true,
            c if c == q && !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_break_spaces_in_the_structure_are_made_plain() {
        assert_eq!(
            plain_spaces("title:\u{a0}Does it hurt?\n\u{a0}\u{a0}- a\u{a0}b\n"),
            "title: Does it hurt?\n  - a\u{a0}b\n"
        );
        assert_eq!(
            plain_spaces("summary: 10\u{202f}a.m.:\u{a0}early\n"),
            "summary: 10\u{202f}a.m.:\u{a0}early\n"
        );
        assert!(matches!(plain_spaces("title: A\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_comma_inside_braces_is_quoted_with_its_value() {
        let line = "image: { src: door.jpg, alt: The front door, with a blue awning. }";
        assert_eq!(
            comma_split_value(line, "with a blue awning.").as_deref(),
            Some("image: { src: door.jpg, alt: \"The front door, with a blue awning.\" }")
        );
        assert_eq!(comma_split_value("image: { sorc: door.jpg }", "sorc"), None);
    }

    #[test]
    fn reads_value_lines() {
        let line = value_line("  - { days: [Mo] }");
        assert_eq!(
            line.map(|l| (l.key, l.value)),
            Some((None, "{ days: [Mo] }"))
        );
        let line = value_line("summary: Tip #1: arrive").unwrap();
        assert_eq!(
            (line.key, line.start, line.value),
            (Some("summary"), 9, "Tip #1: arrive")
        );
        assert_eq!(value_line("  - name: A").unwrap().key, Some("name"));
        assert_eq!(value_line("# note"), None);
        assert_eq!(value_line("just text"), None);
    }

    #[test]
    fn finds_words_a_comment_would_drop() {
        let lost = lost_to_comments("title: A\nsummary: Comfortable. Tip #1: arrive early\n");
        assert_eq!(lost.len(), 1);
        assert_eq!((lost[0].line, lost[0].column), (2, 27));
        assert_eq!(
            lost[0].message,
            "`summary` would lose the words `#1: arrive early`: YAML reads ` #` as the start of a comment"
        );
        assert!(
            lost[0].help.starts_with(
                "put the whole value in quotes: `summary: \"Comfortable. Tip #1: arrive early\"`"
            ),
            "{}",
            lost[0].help
        );
    }

    #[test]
    fn notes_that_are_meant_as_notes_pass() {
        let text = "# a note\nplaceholder: true  # made up\nweight: 3 # first\ntitle: \"A #1\"\nbody: |\n  a #b\nextra:   # free-form\n  k: v\n";
        assert_eq!(lost_to_comments(text), Vec::new());
        assert_eq!(lost_to_comments("a: \"x\n  #y\" \nb: c\n"), Vec::new());
    }

    #[test]
    fn curly_quotes_around_a_value_become_straight() {
        assert_eq!(
            straighten(
                "phone: \u{201c}305-555-0101\u{201d}\ntitle: \u{2018}Does it hurt?\u{2019}\n"
            ),
            "phone: \"305-555-0101\"\ntitle: \"Does it hurt?\"\n"
        );
        assert_eq!(
            straighten("title: \u{201c}Glow\u{201d} after a session\n"),
            "title: \u{201c}Glow\u{201d} after a session\n"
        );
        assert_eq!(
            straighten("title: \u{201c}Say \"hi\"\u{201d}\n"),
            "title: 'Say \"hi\"'\n"
        );
        // Inside `{ … }` and `[ … ]` too, and an apostrophe stays one.
        assert_eq!(
            straighten("image: { src: a.jpg, alt: \u{201c}Our front door\u{201d} }\n"),
            "image: { src: a.jpg, alt: \"Our front door\" }\n"
        );
        assert_eq!(
            straighten("tags: [\u{2018}Don\u{2019}t wait\u{2019}, b]\n"),
            "tags: [\"Don\u{2019}t wait\", b]\n"
        );
        assert_eq!(
            straighten("image: { alt: It\u{2019}s \u{201c}new\u{201d} }\n"),
            "image: { alt: It\u{2019}s \u{201c}new\u{201d} }\n"
        );
    }

    #[test]
    fn quotes_as_yaml_reads_back() {
        assert_eq!(quote("a #b"), "\"a #b\"");
        assert_eq!(quote("say \"hi\""), "'say \"hi\"'");
        assert_eq!(quote("it's \"x\""), "\"it's \\\"x\\\"\"");
    }
}
