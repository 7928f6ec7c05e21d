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

/// What `read_block` finds, in the order of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'t> {
    /// A word, as `words` has it.
    Word(&'t str),
    /// The end of a sentence, as `split_sentences` has it, with its words just before.
    SentenceEnd(Range<usize>),
}

/// `split_sentences` and `words` in one walk over the block: the words of each sentence, then
/// its end. Readability reads every word of every page in `build`'s gate, so each character
/// is looked at once. Sentences end only before white space, so each run of text between
/// white space is asked, when it ends, whether it ends a sentence.
pub fn read_block<'t>(block: &'t str, mut each: impl FnMut(Piece<'t>)) {
    const NONE: usize = usize::MAX;
    let bytes = block.as_bytes();
    // The run of text without white space being read, and the open sentence.
    let mut run_start = NONE;
    let mut sentence_start = NONE;
    let mut sentence_end = 0;
    let mut found = 0usize;
    // The word being read: from its first letter or digit to the end of its last.
    let mut word_start = NONE;
    let mut word_end = 0;
    let mut at = 0;
    loop {
        let (class, len) = match bytes.get(at) {
            None => (Class::Space, 0),
            Some(&byte) if byte.is_ascii() => (ASCII_CLASSES[usize::from(byte)], 1),
            Some(_) => {
                let c = block[at..].chars().next().unwrap_or(' ');
                (Class::of(c), c.len_utf8())
            }
        };
        if class == Class::WordChar {
            if word_start == NONE {
                word_start = at;
            }
            if run_start == NONE {
                run_start = at;
            }
            // Most text is ASCII letters: they are read in a loop of their own.
            at += len;
            while bytes
                .get(at)
                .is_some_and(|&byte| byte.is_ascii() && is_ascii_word_char(byte))
            {
                at += 1;
            }
            word_end = at;
            continue;
        }
        if word_start != NONE && class != Class::Other {
            found += 1;
            each(Piece::Word(&block[word_start..word_end]));
            word_start = NONE;
        }
        if class != Class::Space {
            if run_start == NONE {
                run_start = at;
            }
        } else if run_start != NONE {
            if sentence_start == NONE {
                sentence_start = run_start;
            }
            sentence_end = at;
            // A word's last letter or digit ends the run: no sentence ends there.
            if word_end != at && ends_sentence(&block[run_start..at]) {
                // A sentence has a word (as `push_sentence` has it: a letter or digit).
                if found > 0 {
                    each(Piece::SentenceEnd(sentence_start..at));
                }
                sentence_start = NONE;
                found = 0;
            }
            run_start = NONE;
        }
        if len == 0 {
            break;
        }
        at += len;
    }
    if found > 0 {
        each(Piece::SentenceEnd(sentence_start..sentence_end));
    }
}

fn is_ascii_word_char(byte: u8) -> bool {
    ASCII_CLASSES[usize::from(byte & 0x7f)] == Class::WordChar
}

/// What a character is to `read_block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// A letter or digit: part of a word.
    WordChar,
    /// Between words: a slash or a dash (`—`, `–`) or an ellipsis.
    Break,
    /// White space: between words and runs.
    Space,
    /// Punctuation, trimmed from the ends of words.
    Other,
}

impl Class {
    pub(super) fn of(c: char) -> Class {
        if c.is_whitespace() {
            Class::Space
        } else if matches!(c, '/' | '—' | '–' | '…') {
            Class::Break
        } else if c.is_alphanumeric() {
            Class::WordChar
        } else {
            Class::Other
        }
    }
}

/// `Class::of` each ASCII character.
const ASCII_CLASSES: [Class; 128] = {
    let mut classes = [Class::Other; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        classes[byte] = if matches!(b, b' ' | b'\t'..=b'\r') {
            Class::Space
        } else if b == b'/' {
            Class::Break
        } else if b.is_ascii_alphanumeric() {
            Class::WordChar
        } else {
            Class::Other
        };
        byte += 1;
    }
    classes
};

/// Whether a run of text followed by white space (or the block's end) ends a sentence, as
/// `split_sentences` decides: it ends in a mark (`.`, `!`, `?`, `…`) and closing marks, and
/// a period does not end an abbreviation or an initial.
pub(super) fn ends_sentence(run: &str) -> bool {
    let bytes = run.as_bytes();
    // The closing marks at the end (`.`, `!` and `?` among them), and the first end mark
    // among them.
    let mut end = bytes.len();
    let mut mark = None;
    while end > 0 {
        match bytes[end - 1] {
            b'.' | b'!' | b'?' => {
                mark = Some(end - 1);
                end -= 1;
            }
            b'"' | b'\'' | b')' | b']' => end -= 1,
            byte if byte.is_ascii() => break,
            _ => match ["”", "’", "»"]
                .iter()
                .find(|m| bytes[..end].ends_with(m.as_bytes()))
            {
                Some(m) => end -= m.len(),
                None => break,
            },
        }
    }
    // An ellipsis just before them is the sentence's end mark.
    if bytes[..end].ends_with(ELLIPSIS) {
        return true;
    }
    match mark {
        // The run has no white space: all of it before the period is the last word.
        Some(at) => bytes[at] != b'.' || !is_abbreviated(&run[..at]),
        None => false,
    }
}

/// Whether the word before a period (`Dr`, `(e.g`) is an abbreviation or an initial, as
/// `is_abbreviation` has it.
pub(super) fn is_abbreviated(last: &str) -> bool {
    // Nearly every word starts with a letter or digit: nothing to trim.
    let last = match last.as_bytes().first() {
        Some(first) if first.is_ascii_alphanumeric() => last,
        _ => last.trim_start_matches(['(', '"', '“', '¿', '¡']),
    };
    // The longest abbreviation has 6 bytes, an initial 4 at most.
    if last.len() > 6 {
        return false;
    }
    if !last.is_ascii() {
        return is_abbreviation(last);
    }
    let last = last.as_bytes();
    // Every sentence's last word is asked: one number compared with the list's, not a word
    // with each abbreviation.
    let listed = abbreviation_keys().binary_search(&lower_key(last)).is_ok();
    listed || matches!(last, [initial] if initial.is_ascii_uppercase())
}

/// An ASCII word of up to 7 bytes in lower case, as one number: its bytes, then zeros, and
/// its length last (no two such words share one).
fn lower_key(word: &[u8]) -> u64 {
    let mut key = [0u8; 8];
    for (to, from) in key.iter_mut().zip(word).take(7) {
        *to = from.to_ascii_lowercase();
    }
    key[7] = word.len().min(0xff) as u8;
    u64::from_le_bytes(key)
}

/// `lower_key` of each ASCII abbreviation, sorted.
fn abbreviation_keys() -> &'static [u64] {
    static KEYS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<u64> = ABBREVIATIONS
            .iter()
            .filter(|a| a.is_ascii() && a.len() <= 7)
            .map(|a| lower_key(a.as_bytes()))
            .collect();
        keys.sort_unstable();
        keys
    })
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

    /// What `read_block` finds.
    fn read_pieces(block: &str) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        read_block(block, |piece| pieces.push(piece));
        pieces
    }

    /// The same from `split_sentences` and `words`: each sentence's words, then its end.
    fn pieces_of(block: &str) -> Vec<Piece<'_>> {
        split_sentences(block)
            .into_iter()
            .flat_map(|range| {
                let words = words(&block[range.clone()]).map(Piece::Word);
                words.chain(std::iter::once(Piece::SentenceEnd(range)))
            })
            .collect()
    }

    #[test]
    fn one_walk_finds_the_words_and_sentences() {
        for block in [
            "Dr. Smith sees you at 9 a.m. on Monday. It takes 1.5 hours! Is it safe? \"Yes.\" Ask J. Doe",
            "It's “painless”—well, almost (4-6 weeks)… Really?! before/after. ¿Duele? «No».\u{a0}Fin",
            "  . , ?  ",
            "",
            "e.g. (Dr. Ruiz) — wait… ok.) end",
        ] {
            assert_eq!(read_pieces(block), pieces_of(block), "{block}");
        }
    }

    /// Words, abbreviations, initials, and every mark the two functions treat specially.
    const PIECES: &[&str] = &[
        "a", "Bob", "J", "Dr", "e.g", "NÚM", "ñu", "4-6", " ", " ", ".", "!", "?", "…", "\"", "'",
        "”", "’", "»", ")", "]", "/", "—", "–", "“", "¿", "¡", "\u{a0}", "\u{2009}", ",", "(",
        "\n", "\u{b}", "\u{1c}", "é", "a.m",
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
            proptest::prop_assert_eq!(read_pieces(&text), pieces_of(&text));
        }
    }

    /// `is_abbreviated` as plainly as it can be written: the list, compared word by word.
    fn plain_abbreviated(last: &str) -> bool {
        let last = last.trim_start_matches(['(', '"', '“', '¿', '¡']);
        let listed = ABBREVIATIONS.contains(&last.to_lowercase().as_str());
        let mut chars = last.chars();
        let initial = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
        listed || initial
    }

    #[test]
    fn abbreviations_are_found_in_any_case() {
        let mut words: Vec<String> = Vec::new();
        for abbreviation in ABBREVIATIONS {
            words.push(abbreviation.to_string());
            words.push(abbreviation.to_uppercase());
            words.push(format!("({abbreviation}"));
            words.push(format!("{abbreviation}x"));
            words.push(abbreviation[..abbreviation.len() - 1].to_string());
            words.push(format!("{abbreviation}\0"));
        }
        words.extend(["J", "j", "É", "(J", "", "skin", "approxi", "a.m.x", "DR"].map(String::from));
        for word in &words {
            assert_eq!(is_abbreviated(word), plain_abbreviated(word), "{word:?}");
        }
        assert!(is_abbreviated("Dr") && is_abbreviated("(e.g") && is_abbreviated("J"));
        assert!(!is_abbreviated("skin") && !is_abbreviated("dr\0"));
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
