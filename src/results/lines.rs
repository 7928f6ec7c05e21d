//! Where things are written in a case's front matter, for findings that name the lines.

use crate::frontmatter::Parsed;

/// The file lines of top-level `key:` and of everything indented under it (with the comments
/// just above it), in order; empty when `key:` is not written.
pub fn block_lines(parsed: &Parsed, key: &str) -> Vec<usize> {
    let lines: Vec<&str> = parsed.yaml.lines().collect();
    let Some(start) = lines.iter().position(|l| is_key(l, key)) else {
        return Vec::new();
    };
    let mut first = start;
    while first > 0 && lines[first - 1].trim_start().starts_with('#') {
        first -= 1;
    }
    let mut last = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() || line.starts_with(' ') || line.starts_with('\t') {
            if !line.trim().is_empty() {
                last = i;
            }
        } else {
            break;
        }
    }
    (first..=last).map(|i| parsed.yaml_line + i).collect()
}

/// The file line and column of `field:` inside top-level `block:` (written on one line or
/// below it); `block:` itself when the field is not written.
pub fn field_spot(parsed: &Parsed, block: &str, field: &str) -> (usize, usize) {
    let block_lines = block_lines(parsed, block);
    let Some(&first) = block_lines.first() else {
        return (parsed.key_line(block), 1);
    };
    let needle = format!("{field}:");
    for &line in &block_lines {
        let text = parsed
            .yaml
            .lines()
            .nth(line - parsed.yaml_line)
            .unwrap_or_default();
        let mut from = 0;
        while let Some(found) = text[from..].find(&needle) {
            let at = from + found;
            let before = text[..at].chars().last();
            if before.is_none_or(|c| c == ' ' || c == '{' || c == ',') {
                return (line, text[..at].chars().count() + 1);
            }
            from = at + needle.len();
        }
    }
    (parsed.key_line(block).max(first), 1)
}

fn is_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const CASE: &str = "---\ntitle: A\n# the signed form\nconsent:\n  id: C-1\n  signed: 2026-03-02\nbefore: { src: b.jpg, alt: B }\n---\n";

    #[test]
    fn blocks_and_fields_are_found_on_their_file_lines() {
        let parsed = crate::frontmatter::parse(CASE, Path::new("c.md")).unwrap();
        assert_eq!(block_lines(&parsed, "consent"), [3, 4, 5, 6]);
        assert_eq!(block_lines(&parsed, "before"), [7]);
        assert_eq!(block_lines(&parsed, "after"), Vec::<usize>::new());
        assert_eq!(field_spot(&parsed, "consent", "signed"), (6, 3));
        assert_eq!(field_spot(&parsed, "before", "src"), (7, 11));
        assert_eq!(field_spot(&parsed, "consent", "scope"), (4, 1));
    }
}
