//! A body in, the same body with the bullets pasted from Word made markdown list markers
//! out. Word pastes a bulleted list as lines like `•⇥Makeup` (a bullet character and a tab);
//! markdown reads them as one run-on paragraph, "• Makeup • Hot showers". Each such line
//! becomes `-  ⇥Makeup`, a list item.
//!
//! Every replacement has the length of the bullet it replaces, so byte offsets into the
//! body (findings' lines and columns, the check's text spans) stay right, and only bullets
//! followed by one tab or one or two spaces are replaced: with more, the item's text would
//! start inside the bullet's bytes. Bullets in a fenced code block are replaced too; a
//! patient-education page has none worth keeping.

use std::borrow::Cow;

/// The bullet characters Word and web pages paste, each with the marker of the same length
/// that replaces it. U+F0B7 is the Symbol font's bullet, which Word pastes as it is.
const BULLETS: &[(char, &str)] = &[
    ('•', "-  "),
    ('●', "-  "),
    ('◦', "-  "),
    ('▪', "-  "),
    ('■', "-  "),
    ('\u{f0b7}', "-  "),
    ('·', "- "),
];

/// `body` with each pasted bullet at the start of a line (after at most three spaces) made a
/// list marker; borrowed as it is when it has none.
pub fn as_list_items(body: &str) -> Cow<'_, str> {
    let bytes = body.as_bytes();
    let mut out: Option<String> = None;
    // Every page is read through here: a line is looked at closely only when its first
    // character after the spaces starts like one of the bullets (all begin with one of
    // these three bytes).
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    for start in starts {
        let first = bytes[start..].iter().take(4).position(|&b| b != b' ');
        let Some(first) = first.map(|i| start + i) else {
            continue;
        };
        if !matches!(bytes[first], 0xc2 | 0xe2 | 0xef) {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        if let Some((at, marker)) = pasted_bullet(&body[start..end]) {
            let text = out.get_or_insert_with(|| body.to_string());
            text.replace_range(start + at..start + at + marker.len(), marker);
        }
    }
    out.map_or(Cow::Borrowed(body), Cow::Owned)
}

/// Where a line's pasted bullet is (its byte offset in the line) and the marker to write in
/// its place, if the line starts with one followed by one tab or one or two spaces and text.
fn pasted_bullet(line: &str) -> Option<(usize, &'static str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let first = rest.chars().next()?;
    let &(_, marker) = BULLETS.iter().find(|(bullet, _)| *bullet == first)?;
    let after = &rest[first.len_utf8()..];
    let gap = if after.starts_with('\t') {
        1
    } else {
        after.len() - after.trim_start_matches(' ').len()
    };
    let spaced = matches!(gap, 1 | 2) && !after[gap..].starts_with([' ', '\t']);
    let text = after[gap..].trim_end();
    (spaced && !text.is_empty()).then_some((indent, marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bullets_become_list_items_of_the_same_length() {
        let body = "Avoid for one day:\n•\tMakeup\n• Hot showers\n  ·  The gym\n";
        let made = as_list_items(body);
        assert_eq!(
            made,
            "Avoid for one day:\n-  \tMakeup\n-   Hot showers\n  -   The gym\n"
        );
        assert_eq!(made.len(), body.len());
        let mut html = String::new();
        let events = pulldown_cmark::Parser::new_ext(&made, crate::markdown::OPTIONS);
        pulldown_cmark::html::push_html(&mut html, events);
        assert!(
            html.contains("<ul>\n<li>Makeup</li>\n<li>Hot showers</li>\n<li>The gym</li>\n</ul>"),
            "{html}"
        );
    }

    #[test]
    fn other_bullets_are_left_as_written() {
        for body in [
            "A • in a sentence.\n",
            "•\n",
            "•Makeup\n",
            "•   Three spaces\n",
            "• \tA space and a tab\n",
            "    •\tIndented as code\n",
            "No bullets at all.\n",
        ] {
            assert!(matches!(as_list_items(body), Cow::Borrowed(_)), "{body:?}");
        }
    }
}
