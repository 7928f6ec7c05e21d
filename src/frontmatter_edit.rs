//! Editing a file's front matter in place: a file's text and the keys to set, remove or add
//! to in, the same text out with only those lines changed. Every other line, comment, quote
//! and line ending is kept as written: the YAML is never parsed and written back.
//!
//! Only top-level keys are edited. A key's lines are its `key:` line and the indented or
//! `- ` list lines below it.

use std::ops::Range;

/// Why a file's front matter cannot be edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoFrontMatter;

/// Sets top-level `key: value` (`value` already written as YAML). Replaces the key's lines
/// when it is there; else writes it below a commented-out `# key:` line if there is one, or
/// just before the closing `---`.
pub fn set(text: &str, key: &str, value: &str) -> Result<String, NoFrontMatter> {
    let header = Header::find(text)?;
    let line = format!("{key}: {value}{}", header.newline);
    if let Some(lines) = header.key_lines(text, key) {
        if text[lines.clone()].trim_end() == line.trim_end() {
            return Ok(text.to_string());
        }
        return Ok(splice(text, lines, &line));
    }
    let at = header
        .lines(text)
        .find(|r| is_commented_key(&text[r.clone()], key))
        .map_or(header.close, |r| r.end);
    Ok(splice(text, at..at, &line))
}

/// Removes top-level `key` and its lines; the text is unchanged when it is not there.
pub fn remove(text: &str, key: &str) -> Result<String, NoFrontMatter> {
    let header = Header::find(text)?;
    Ok(match header.key_lines(text, key) {
        Some(lines) => splice(text, lines, ""),
        None => text.to_string(),
    })
}

/// Adds `item` (already written as YAML) to the list under top-level `key`, written as a
/// flow list (`[a, b]`) or as `- ` lines, whichever the file uses; makes the key when absent.
pub fn push(text: &str, key: &str, item: &str) -> Result<String, NoFrontMatter> {
    let header = Header::find(text)?;
    let Some(lines) = header.key_lines(text, key) else {
        return set(text, key, &format!("[{item}]"));
    };
    let first_end = text[lines.clone()]
        .find('\n')
        .map_or(lines.end, |i| lines.start + i + 1);
    let first = &text[lines.start..first_end];
    let value = first[key.len() + 1..].trim();
    let value = value.split(" #").next().unwrap_or("").trim();
    if value.starts_with('[') && value.ends_with(']') {
        let close = lines.start + first.rfind(']').unwrap_or(first.len());
        let inside = value[1..value.len() - 1].trim();
        let added = if inside.is_empty() {
            item.to_string()
        } else {
            format!(", {item}")
        };
        // `[ ]` keeps its inner spaces; only the new item is written.
        let at = if inside.is_empty() {
            lines.start + first.find('[').map_or(0, |i| i + 1)
        } else {
            close
        };
        let replaced = if inside.is_empty() {
            splice(text, at..close, &added)
        } else {
            splice(text, at..at, &added)
        };
        return Ok(replaced);
    }
    if value.is_empty() {
        // Block list: copy the indentation of its first item.
        let indent = text[first_end..lines.end]
            .lines()
            .find(|l| l.trim_start().starts_with("- "))
            .map_or("  ".to_string(), |l| {
                l[..l.len() - l.trim_start().len()].to_string()
            });
        let line = format!("{indent}- {item}{}", header.newline);
        // After the last item (trailing comments inside the block stay below it).
        let last_item_end = header
            .lines(text)
            .filter(|r| r.start >= first_end && r.end <= lines.end)
            .filter(|r| text[r.clone()].trim_start().starts_with("- "))
            .map(|r| r.end)
            .last()
            .unwrap_or(first_end);
        return Ok(splice(text, last_item_end..last_item_end, &line));
    }
    // A single value written as a scalar: make it a list of both.
    let line = format!("{key}: [{value}, {item}]{}", header.newline);
    Ok(splice(text, lines.start..first_end, &line))
}

/// A value written as YAML: plain when that reads back as the same text, else double-quoted.
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " .,'-()/".contains(c))
        && !text.starts_with(['-', '\''])
        && !matches!(
            text.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n"
        )
        && text.parse::<f64>().is_err();
    if plain {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Where the front matter is: byte ranges into the file's text.
struct Header {
    /// The first byte after the opening `---` line.
    start: usize,
    /// The first byte of the closing `---` line.
    close: usize,
    newline: &'static str,
}

impl Header {
    fn find(text: &str) -> Result<Header, NoFrontMatter> {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut lines = line_ranges(text, bom);
        let first = lines.next().ok_or(NoFrontMatter)?;
        if text[first.clone()].trim_end() != "---" {
            return Err(NoFrontMatter);
        }
        let close = lines
            .find(|r| text[r.clone()].trim_end() == "---")
            .ok_or(NoFrontMatter)?;
        let newline = if text[first.clone()].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        Ok(Header {
            start: first.end,
            close: close.start,
            newline,
        })
    }

    fn lines<'t>(&self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        let close = self.close;
        line_ranges(text, self.start).take_while(move |r| r.start < close)
    }

    /// The bytes of `key:`'s line and the lines that continue its value.
    fn key_lines(&self, text: &str, key: &str) -> Option<Range<usize>> {
        let mut lines = self
            .lines(text)
            .skip_while(|r| !is_key_line(&text[r.clone()], key));
        let first = lines.next()?;
        let mut end = first.end;
        for line in lines {
            let l = &text[line.clone()];
            let continues = l.starts_with([' ', '\t']) || l.starts_with("- ") || l.trim() == "-";
            if !continues {
                break;
            }
            end = line.end;
        }
        Some(first.start..end)
    }
}

/// The byte ranges of the lines of `text` from `from`, each with its line ending.
fn line_ranges(text: &str, from: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = from;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let range = at..end;
        at = end;
        Some(range)
    })
}

fn is_key_line(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'))
}

fn is_commented_key(line: &str, key: &str) -> bool {
    line.strip_prefix('#')
        .is_some_and(|rest| is_key_line(rest.trim_start(), key))
}

fn splice(text: &str, range: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\n# The question.\ntitle: Does it hurt?  # asked often\nreviewed_by: \"\"\n# last_reviewed: 2026-01-31\nweight: 10\n---\nBody\n---\n";

    #[test]
    fn set_replaces_only_the_key_line() {
        let out = set(PAGE, "reviewed_by", "Dr. Ana Ruiz").unwrap();
        assert_eq!(
            out,
            PAGE.replace("reviewed_by: \"\"", "reviewed_by: Dr. Ana Ruiz")
        );
    }

    #[test]
    fn set_writes_below_a_commented_out_key() {
        let out = set(PAGE, "last_reviewed", "2026-10-27").unwrap();
        assert_eq!(
            out,
            PAGE.replace(
                "# last_reviewed: 2026-01-31\n",
                "# last_reviewed: 2026-01-31\nlast_reviewed: 2026-10-27\n"
            )
        );
    }

    #[test]
    fn set_adds_new_keys_before_the_closing_fence_and_keeps_crlf() {
        let crlf = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        assert_eq!(
            set(crlf, "review_fingerprint", "abc").unwrap(),
            "---\r\ntitle: A\r\nreview_fingerprint: abc\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn a_key_with_a_longer_name_is_not_the_key() {
        let text = "---\ntitle_extra: x\n---\n";
        assert_eq!(
            set(text, "title", "A").unwrap(),
            "---\ntitle_extra: x\ntitle: A\n---\n"
        );
    }

    #[test]
    fn remove_takes_the_key_and_its_value_lines() {
        let text = "---\ntitle: A\nreviewed_by: >\n  Dr. A\nlast_reviewed: 2026-01-01\n---\nB\n";
        let out = remove(&remove(text, "reviewed_by").unwrap(), "last_reviewed").unwrap();
        assert_eq!(out, "---\ntitle: A\n---\nB\n");
    }

    #[test]
    fn push_to_flow_block_and_missing_lists() {
        let flow = "---\naliases: [/a/]  # old\n---\n";
        assert_eq!(
            push(flow, "aliases", "/b/").unwrap(),
            "---\naliases: [/a/, /b/]  # old\n---\n"
        );
        let empty = "---\naliases: []\n---\n";
        assert_eq!(
            push(empty, "aliases", "/b/").unwrap(),
            "---\naliases: [/b/]\n---\n"
        );
        let block = "---\naliases:\n    - /a/\n# kept\ntitle: T\n---\n";
        assert_eq!(
            push(block, "aliases", "/b/").unwrap(),
            "---\naliases:\n    - /a/\n    - /b/\n# kept\ntitle: T\n---\n"
        );
        let none = "---\ntitle: T\n---\n";
        assert_eq!(
            push(none, "aliases", "/b/").unwrap(),
            "---\ntitle: T\naliases: [/b/]\n---\n"
        );
    }

    #[test]
    fn files_without_front_matter_are_refused() {
        assert_eq!(set("Hello\n", "a", "b"), Err(NoFrontMatter));
        assert_eq!(set("---\ntitle: A\n", "a", "b"), Err(NoFrontMatter));
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("Medical Director"), "Medical Director");
        assert_eq!(scalar("Dr. Ana Ruiz, MD"), "Dr. Ana Ruiz, MD");
        assert_eq!(scalar("Dr. A: MD"), "\"Dr. A: MD\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("Tip #1"), "\"Tip #1\"");
    }
}
