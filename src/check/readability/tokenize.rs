//! The text tokenizer: a block of prose in, its words and its sentences (byte ranges) out,
//! read byte by byte: a period after an abbreviation or an initial does not end a sentence.

use std::ops::Range;

/// The words of `text`: runs of letters, digits, apostrophes and inner hyphens, with the
/// punctuation around them removed. Dashes and slashes separate words.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    Words { text, at: 0 }
}

/// What `words` walks: the text, and how far it has read. Readability reads every word of
/// every page, so plain ASCII takes a byte-at-a-time path.
struct Words<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Iterator for Words<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            let start = self.at;
            let mut end = start;
            let mut separator = 0;
            while end < bytes.len() {
                let byte = bytes[end];
                if byte.is_ascii() {
                    // ASCII white space (as `char::is_whitespace` has it) or a slash.
                    if matches!(byte, b' ' | b'\t'..=b'\r' | b'/') {
                        separator = 1;
                        break;
                    }
                    end += 1;
                    continue;
                }
                let c = self.text[end..].chars().next().unwrap_or(' ');
                if c.is_whitespace() || matches!(c, '—' | '–' | '…') {
                    separator = c.len_utf8();
                    break;
                }
                end += c.len_utf8();
            }
            self.at = end + separator;
            let word = trim_to_word(&self.text[start..end]);
            if !word.is_empty() {
                return Some(word);
            }
        }
        None
    }
}

/// A token without the punctuation around it (`(4-6` -> `4-6`, `“painless”` -> `painless`).
fn trim_to_word(token: &str) -> &str {
    let bytes = token.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last))
            if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() =>
        {
            token
        }
        _ => token.trim_matches(|c: char| !c.is_alphanumeric()),
    }
}

/// Abbreviations whose period does not end a sentence, in byte order (for a binary search).
const ABBREVIATIONS: &[&str] = &[
    "a.m", "approx", "aprox", "av", "avda", "dr", "dra", "e.g", "etc", "fig", "i.e", "jr", "mr",
    "mrs", "ms", "no", "núm", "p.ej", "p.m", "sr", "sra", "srta", "st", "ste", "ud", "uds", "vs",
];

/// Cuts a block into sentences at `.`, `!`, `?` and `…` followed by a space, unless the period
/// ends an abbreviation (`Dr.`, `e.g.`) or an initial (`J. Smith`). Closing quotes and
/// brackets stay with their sentence.
pub fn split_sentences(block: &str) -> Vec<Range<usize>> {
    let bytes = block.as_bytes();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some((at, len)) = next_end_mark(bytes, from) {
        // Closing marks stay with the sentence: `?"`, `.)`, `!!`.
        let mut stop = at + len;
        while let Some(mark) = closing_mark(&bytes[stop..]) {
            stop += mark;
        }
        let followed_by_space = block[stop..].chars().next().is_none_or(char::is_whitespace);
        if followed_by_space && !(bytes[at] == b'.' && is_abbreviation(&block[start..at])) {
            push_sentence(&mut sentences, block, start..stop);
            start = stop;
        }
        from = stop;
    }
    push_sentence(&mut sentences, block, start..block.len());
    sentences
}

const ELLIPSIS: &[u8] = "…".as_bytes();

/// Where the next `.`, `!`, `?` or `…` at or after `from` is, and its length in bytes.
fn next_end_mark(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let rest = bytes.get(from..)?;
    let ascii = memchr::memchr3(b'.', b'!', b'?', rest);
    // `…` is looked for only before the next ASCII mark.
    let before = &rest[..ascii.unwrap_or(rest.len())];
    let mut at = 0;
    while let Some(lead) = memchr::memchr(ELLIPSIS[0], &before[at..]) {
        at += lead;
        if before[at..].starts_with(ELLIPSIS) {
            return Some((from + at, ELLIPSIS.len()));
        }
        at += 1;
    }
    ascii.map(|at| (from + at, 1))
}

/// The length of the closing mark `rest` starts with (`.!?"')]”’»`), if it does.
fn closing_mark(rest: &[u8]) -> Option<usize> {
    match rest.first()? {
        b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']' => Some(1),
        _ => ["”", "’", "»"]
            .iter()
            .find(|mark| rest.starts_with(mark.as_bytes()))
            .map(|mark| mark.len()),
    }
}

fn push_sentence(sentences: &mut Vec<Range<usize>>, block: &str, range: Range<usize>) {
    let text = &block[range.clone()];
    // A sentence has a word: a letter or digit somewhere.
    if text.chars().any(char::is_alphanumeric) {
        let leading = text.len() - text.trim_start().len();
        let trailing = text.len() - text.trim_end().len();
        sentences.push(range.start + leading..range.end - trailing);
    }
}

/// Whether the text before a period ends in an abbreviation or a single capital (an initial).
fn is_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(['(', '"', '“', '¿', '¡']);
    let abbreviation = if last.is_ascii() {
        // Lower case, on the stack: the list is sorted, so a binary search finds it.
        let mut lower = [0u8; 8];
        match lower.get_mut(..last.len()) {
            Some(lower) => {
                lower.copy_from_slice(last.as_bytes());
                lower.make_ascii_lowercase();
                ABBREVIATIONS
                    .binary_search_by(|a| a.as_bytes().cmp(lower))
                    .is_ok()
            }
            None => false,
        }
    } else {
        // Every abbreviation is a few letters long: a longer word needs no lower-case copy.
        last.chars().count() <= 6 && ABBREVIATIONS.contains(&last.to_lowercase().as_str())
    };
    abbreviation || (last.chars().count() == 1 && last.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `words` and `split_sentences` as plainly as they can be written, char by char: the
    /// byte-level versions must agree with them on any text.
    fn plain_words(text: &str) -> Vec<&str> {
        text.split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '/' | '…'))
            .map(|token| token.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|token| token.chars().any(char::is_alphanumeric))
            .collect()
    }

    fn plain_sentences(block: &str) -> Vec<Range<usize>> {
        let mut sentences = Vec::new();
        let mut start = 0;
        let mut chars = block.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if !matches!(c, '.' | '!' | '?' | '…') {
                continue;
            }
            while chars
                .next_if(|&(_, c)| {
                    matches!(
                        c,
                        '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | '»' | ']'
                    )
                })
                .is_some()
            {}
            let stop = chars.peek().map_or(block.len(), |&(b, _)| b);
            let followed_by_space = chars.peek().is_none_or(|(_, c)| c.is_whitespace());
            let last = block[start..at]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .trim_start_matches(['(', '"', '“', '¿', '¡']);
            let abbreviation = ABBREVIATIONS.contains(&last.to_lowercase().as_str())
                || (last.chars().count() == 1 && last.chars().all(char::is_uppercase));
            if followed_by_space && !(c == '.' && abbreviation) {
                push_sentence(&mut sentences, block, start..stop);
                start = stop;
            }
        }
        push_sentence(&mut sentences, block, start..block.len());
        sentences
    }

    /// Words, abbreviations, initials, and every mark the two functions treat specially.
    const PIECES: &[&str] = &[
        "a", "Bob", "J", "Dr", "e.g", "NÚM", "ñu", "4-6", " ", " ", ".", "!", "?", "…", "\"", "'",
        "”", "’", "»", ")", "]", "/", "—", "–", "“", "¿", "¡", "\u{a0}", "\u{2009}", ",",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_paths_agree_with_the_plain_versions(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), plain_words(&text));
            proptest::prop_assert_eq!(split_sentences(&text), plain_sentences(&text));
        }
    }

    #[test]
    fn abbreviations_stay_in_byte_order() {
        assert!(
            ABBREVIATIONS
                .windows(2)
                .all(|w| w[0].as_bytes() < w[1].as_bytes())
        );
    }

    #[test]
    fn sentences_split_at_ends_but_not_abbreviations() {
        let block = "Dr. Smith sees you at 9 a.m. on Monday. It takes 1.5 hours! Is it safe? \"Yes.\" Ask J. Doe";
        let parts: Vec<&str> = split_sentences(block)
            .into_iter()
            .map(|r| &block[r])
            .collect();
        assert_eq!(
            parts,
            [
                "Dr. Smith sees you at 9 a.m. on Monday.",
                "It takes 1.5 hours!",
                "Is it safe?",
                "\"Yes.\"",
                "Ask J. Doe"
            ]
        );
    }

    #[test]
    fn words_drop_punctuation_and_split_dashes() {
        let found: Vec<&str> = words("It's “painless”—well, almost (4-6 weeks).").collect();
        assert_eq!(
            found,
            ["It's", "painless", "well", "almost", "4-6", "weeks"]
        );
    }
}
