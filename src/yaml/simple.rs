//! The shape nearly every front matter has, read without the YAML library: text in, the
//! `Value` the library would make of it out, or nothing when the text is anything else.
//!
//! One `key: value` per line, each value a plain word or phrase, a number, a `YYYY-MM-DD`
//! date, a `"quoted"` text without escapes, or a `[flow, list]` of plain words. Any other
//! character or shape (comments, nesting, block text, anchors, tags, escapes, a key given
//! twice) leaves the text to the library, which then reads it and words its errors as
//! always: this path only ever answers for texts the library reads without a finding.

use serde_yaml::{Mapping, Value};

/// `text` as the YAML library reads it, when `text` has the simple shape.
pub(super) fn mapping(text: &str) -> Option<Value> {
    if !text.chars().all(plain_char) {
        return None;
    }
    let mut map = Mapping::new();
    for line in text.split('\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        if !is_key(key) {
            return None;
        }
        let value = value.trim_start_matches(' ');
        if map
            .insert(Value::String(key.to_string()), scalar_or_list(value)?)
            .is_some()
        {
            return None;
        }
    }
    if map.is_empty() {
        return None;
    }
    Some(Value::Mapping(map))
}

/// Characters that never change how a simple line reads: no line breaks other than `\n`, no
/// tabs, controls or characters YAML cannot hold, no comment, escape or flow map. (The
/// indicators that matter only at the start of a value, `&`, `*`, `!`, `|`, `>`, `-`, `?`
/// and the like, are kept out by what a value may start with.)
fn plain_char(c: char) -> bool {
    match c {
        '\n' => true,
        '#' | '\\' | '{' | '}' => false,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        c => !c.is_control(),
    }
}

/// A lowercase key that the library reads as a string.
fn is_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !matches!(key, "null" | "true" | "false")
}

fn scalar_or_list(value: &str) -> Option<Value> {
    if let Some(inner) = value.strip_prefix('"') {
        let text = inner.strip_suffix('"')?;
        return (!text.contains('"')).then(|| Value::String(text.to_string()));
    }
    if let Some(inner) = value.strip_prefix('[') {
        let items = inner.strip_suffix(']')?;
        if items.contains(['[', ']', '"', ':']) {
            return None;
        }
        if items.trim_matches(' ').is_empty() {
            return Some(Value::Sequence(Vec::new()));
        }
        return items
            .split(',')
            .map(|item| word(item.trim_matches(' ')))
            .collect::<Option<Vec<Value>>>()
            .map(Value::Sequence);
    }
    if value.contains(['[', ']', '"', ':']) {
        return None;
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return number_or_date(value);
    }
    word(value)
}

/// A plain scalar that starts with a letter (or any character past ASCII, none of which is
/// an indicator: `¿Duele?`): text, unless it is a null or a boolean.
fn word(value: &str) -> Option<Value> {
    let starts_with_letter = value.starts_with(|c: char| c.is_ascii_alphabetic() || !c.is_ascii());
    if !starts_with_letter || value.ends_with(' ') || value.contains(" -") {
        return None;
    }
    match value {
        "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => Some(Value::String(value.to_string())),
    }
}

/// Digits alone (a whole number, no leading zero) or `YYYY-MM-DD` (text to the library).
fn number_or_date(value: &str) -> Option<Value> {
    let bytes = value.as_bytes();
    if bytes.iter().all(u8::is_ascii_digit) {
        if bytes.len() > 1 && bytes[0] == b'0' || bytes.len() > 18 {
            return None;
        }
        return value.parse::<u64>().ok().map(|n| Value::Number(n.into()));
    }
    let date = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    date.then(|| Value::String(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts this path reads: each must read exactly as the library reads it.
    const SIMPLE: &[&str] = &[
        "title: Does it hurt?\n",
        "title: \"Question 12: does it hurt?\"\ndescription: \"A, b [c] and d.\"\n",
        "weight: 2495\ntags: [treatment, generated]\n",
        "last_reviewed: 2026-06-04\nreviewed_by: Medical Director\n",
        "draft: true\nx: False\ny: NULL\nz: Null\n",
        "tags: []\nother: [ a b ,c ]\n",
        "title: ¿Duele el microneedling?\ncategory: Después del tratamiento\n",
        "title:   spaced   words\n\n\nweight: 0\n",
        "title: yes\nsummary: no\ncity: nan\ncode: inf\nname: Infinity\n",
        "title: \"  kept spaces \"\ntitle_2: \"\"\n",
        "title: A/B test. Really! Q&A, 50% *off* | <b> `x` @me it's ok?\n",
        "title: ¿Duele?\ntags: [cuidado después, ñandú]\nx: \u{a0}a\n",
        "title: \"Everyone's 'quotes' & more!\"\ntags: [a, null, b]\n",
        "a: 1\nb: 18446744\n",
        "title: x, y\n",
    ];

    #[test]
    fn reads_what_the_library_reads() {
        for text in SIMPLE {
            let ours = mapping(text).unwrap_or_else(|| panic!("not simple: {text:?}"));
            let library: Value = serde_yaml::from_str(text).unwrap();
            assert_eq!(ours, library, "{text:?}");
            assert_eq!(format!("{ours:?}"), format!("{library:?}"), "{text:?}");
        }
    }

    /// Every front matter of the clinic's own site and of the test fixtures that this path
    /// reads, read as the library reads it.
    #[test]
    fn the_sites_front_matter_reads_as_the_library_reads_it() {
        let mut read = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                // The front matter between the `---` lines.
                let Some(header) = text
                    .strip_prefix("---\n")
                    .and_then(|rest| rest.split_once("\n---\n"))
                    .map(|(header, _)| format!("{header}\n"))
                else {
                    continue;
                };
                let yaml = super::super::plain::straighten(&header);
                if let Some(ours) = mapping(&yaml) {
                    let library: Value = serde_yaml::from_str(&yaml).unwrap();
                    assert_eq!(format!("{ours:?}"), format!("{library:?}"), "{path:?}");
                    read += 1;
                }
            }
        }
        assert!(read > 20, "only {read} front matters were simple");
    }

    /// Texts left to the library: anything it reads differently, or reports.
    #[test]
    fn leaves_everything_else_to_the_library() {
        for text in [
            "",
            "\n",
            "title: A # comment\n",
            "title: 'single'\n",
            "title: \"esc\\\"aped\"\n",
            "title: \"a\" b\n",
            "title: a\ntitle: b\n",
            "title:\n  nested: x\n",
            "tags:\n- a\n",
            "title: a: b\n",
            "title: a\tb\n",
            "title: a \n",
            "title: |\n  block\n",
            "title: &a x\n",
            "title: *a\n",
            "title: !tag x\n",
            "title: {a: b}\n",
            "Title: x\n",
            "true: x\n",
            "title : x\n",
            "weight: 007\n",
            "weight: 1.5\n",
            "weight: -3\n",
            "weight: 0x10\n",
            "date: 2026-6-4\n",
            "tags: [a, b,]\n",
            "tags: [a, [b]]\n",
            "tags: [a, \"b\"]\n",
            "tags: [1, 2]\n",
            "title: - x\n",
            "title: a - b\n",
            "title: x\r\n",
            "---\ntitle: x\n",
            "title: ?x\n",
            "title: ,x\n",
            "title: &x\n",
            "title: |x\n",
            "title: a\u{fffe}\n",
            "title: a\u{2028}b\n",
        ] {
            let library = serde_yaml::from_str::<Value>(text);
            match mapping(text) {
                None => {}
                Some(ours) => {
                    assert_eq!(Some(&ours), library.as_ref().ok(), "{text:?}");
                    panic!("read as simple: {text:?}");
                }
            }
        }
    }
}
