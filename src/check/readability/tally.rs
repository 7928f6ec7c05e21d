//! The counting walk: a block of prose in, its word, sentence and syllable counts out, as
//! `read_block` and the syllable counters have them, without the sentences' places.
//!
//! `build`'s gate counts every word of every page, and on most pages the counts are all it
//! needs (see `count`). So this walk does only what the counts need: one table look-up per
//! byte of plain ASCII text, a word's syllables from the cache by its bytes (read straight
//! from the block, see `SyllableCache::known_at`), and `ends_sentence` only for a run of text
//! that ends in punctuation. Characters outside ASCII are classified as `read_block` does.

use std::ops::Range;

use super::tokenize::{Class, ends_sentence};
use super::{Counts, Language, SyllableCache};

/// What each byte is to the walk: ASCII as `Class::of` has it; a byte of a longer character
/// is `MULTI` (the whole character is decoded and classified).
const WORD: u8 = 0;
const SPACE: u8 = 1;
const BREAK: u8 = 2;
const OTHER: u8 = 3;
const MULTI: u8 = 4;

const BYTE_CLASSES: [u8; 256] = {
    let mut classes = [MULTI; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        classes[byte] = if matches!(b, b' ' | b'\t'..=b'\r') {
            SPACE
        } else if b == b'/' {
            BREAK
        } else if b.is_ascii_alphanumeric() {
            WORD
        } else {
            OTHER
        };
        byte += 1;
    }
    classes
};

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` with the high bit set where the byte is an ASCII letter or
/// digit, and clear elsewhere. Each byte is compared with the ranges by an addition whose
/// carry lands in its high bit (`x + (0x80 - low)` has it set when `x >= low`); the bytes
/// are first cut to 7 bits, so no carry crosses into the next byte.
fn alphanumeric_bytes(bytes: u64) -> u64 {
    let each = |byte: u8| u64::from_le_bytes([byte; 8]);
    let seven = bytes & !HIGH_BITS;
    // Upper-case letters made lower case; no other character lands among the letters.
    let lower = seven | each(0x20);
    let letter = lower.wrapping_add(each(0x80 - b'a')) & !lower.wrapping_add(each(0x7f - b'z'));
    let digit = seven.wrapping_add(each(0x80 - b'0')) & !seven.wrapping_add(each(0x7f - b'9'));
    (letter | digit) & !bytes & HIGH_BITS
}

/// The class and length of the character at `at` (a space of length 0 at the end).
fn class_at(block: &str, at: usize) -> (u8, usize) {
    match block.as_bytes().get(at) {
        None => (SPACE, 0),
        Some(&byte) if byte < 0x80 => (BYTE_CLASSES[usize::from(byte)], 1),
        Some(_) => {
            let c = block[at..].chars().next().unwrap_or(' ');
            let class = match Class::of(c) {
                Class::WordChar => WORD,
                Class::Space => SPACE,
                Class::Break => BREAK,
                Class::Other => OTHER,
            };
            (class, c.len_utf8())
        }
    }
}

/// The counts of one block: words, sentences and syllables, exactly as `read_block`'s words
/// and sentence ends with `SyllableCache::count` of each word.
pub fn tally(block: &str, language: Language, cache: &mut SyllableCache) -> Counts {
    const NONE: usize = usize::MAX;
    let bytes = block.as_bytes();
    let mut counts = Counts::default();
    // Words since the last sentence end.
    let mut found = 0usize;
    // The run of text without white space being read starts at `run_start` (it is empty
    // while `run_start == at`); the word being read spans its first letter or digit to the
    // end of its last.
    let mut run_start = 0;
    let mut word_start = NONE;
    let mut word_end = NONE;
    // Where the last word that did not end at a space started, and whether it is an
    // abbreviation.
    let mut last = (NONE, false);
    let mut at = 0;
    loop {
        let (class, len) = match bytes.get(at) {
            Some(&byte) if byte < 0x80 => (BYTE_CLASSES[usize::from(byte)], 1),
            Some(_) => class_at(block, at),
            None => (SPACE, 0),
        };
        if class == WORD {
            if word_start == NONE {
                word_start = at;
                // Most words are a few ASCII letters and a space, read here 8 bytes at a
                // time (the word and its space), their key with them
                // (`SyllableCache::known_by_key`), one after another while they last.
                let from = at;
                while let Some(window) = bytes.get(at..at + 8) {
                    let window: [u8; 8] = window.try_into().unwrap_or_default();
                    let first = u64::from_le_bytes(window);
                    let len =
                        (!alphanumeric_bytes(first) & HIGH_BITS).trailing_zeros() as usize / 8;
                    if len == 0 || len == 8 || window[len] != b' ' {
                        break;
                    }
                    let key = first & (u64::MAX >> (64 - 8 * len));
                    let known = cache.known_by_key(language, (key, 0), block, at..at + len);
                    counts.words += 1;
                    found += 1;
                    counts.syllables += known.syllables();
                    at += len + 1;
                }
                if at != from {
                    // The last word ended at a space, so the run it ended does not end a
                    // sentence.
                    word_start = NONE;
                    word_end = at - 1;
                    at = past_spaces(bytes, at);
                    run_start = at;
                    continue;
                }
            }
            at += len;
            while let Some(&byte) = bytes.get(at)
                && BYTE_CLASSES[usize::from(byte)] == WORD
            {
                at += 1;
            }
            word_end = at;
            // Most words end at a space: the word is whole, and the run it ends does not
            // end a sentence.
            if bytes.get(at) == Some(&b' ') {
                counts.words += 1;
                found += 1;
                let known = cache.known_at(language, block, word_start, word_end);
                counts.syllables += known.syllables();
                word_start = NONE;
                at += 1;
                at = past_spaces(bytes, at);
                run_start = at;
            }
            continue;
        }
        if class == OTHER {
            at += len;
            continue;
        }
        // White space, a break or the end: the word read so far is whole.
        if word_start != NONE {
            counts.words += 1;
            found += 1;
            let known = cache.known_at(language, block, word_start, word_end);
            counts.syllables += known.syllables();
            last = (word_start, known.abbreviated());
            word_start = NONE;
        }
        if class == BREAK {
            at += len;
            continue;
        }
        // A word's last letter or digit ends the run: no sentence ends there.
        if run_start < at && word_end != at && run_ends_sentence(block, run_start..at, last) {
            counts.sentences += usize::from(found > 0);
            found = 0;
        }
        if len == 0 {
            break;
        }
        at += len;
        at = past_spaces(bytes, at);
        run_start = at;
    }
    counts.sentences += usize::from(found > 0);
    counts
}

/// Where the run of ASCII spaces starting at `at` ends (`at` itself when there is none).
#[inline]
fn past_spaces(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = bytes.get(at)
        && BYTE_CLASSES[usize::from(byte)] == SPACE
    {
        at += 1;
    }
    at
}

/// `ends_sentence` of the run `block[run]`, which does not end in a letter or digit; the
/// last word found starts at `last.0`, and `last.1` is whether it is an abbreviation. Most
/// such runs are a word and a comma or a period, decided here without its walk.
fn run_ends_sentence(block: &str, run: Range<usize>, last: (usize, bool)) -> bool {
    let bytes = block.as_bytes();
    let end = bytes[run.end - 1];
    // After other ASCII punctuation than the closing marks (`.!?"')]`), no sentence ends.
    if end < 0x80 && !matches!(end, b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
        return false;
    }
    // A word and its period: the sentence ends unless the word is an abbreviation or an
    // initial (as `ends_sentence` decides).
    if end == b'.' && last.0 == run.start && bytes[run.end - 2].is_ascii_alphanumeric() {
        return !last.1;
    }
    ends_sentence(&block[run])
}

#[cfg(test)]
mod tests {
    use super::super::{Piece, read_block};
    use super::*;

    /// `tally` as plainly as it can be written: `read_block`'s words and sentence ends, each
    /// word counted by the counters themselves.
    fn plain_tally(block: &str, language: Language) -> Counts {
        let mut counts = Counts::default();
        read_block(block, |piece| match piece {
            Piece::Word(word) => {
                counts.words += 1;
                counts.syllables += language.syllables(word);
            }
            Piece::SentenceEnd(_) => counts.sentences += 1,
        });
        counts
    }

    /// Words of every length around the walk's 8- and 16-byte reads, abbreviations and
    /// initials, and every character the walk treats on its own.
    const PIECES: &[&str] = &[
        "a",
        "Bob",
        "skin",
        "heals",
        "J",
        "Dr",
        "dr",
        "ETC",
        "e.g",
        "a.m",
        "núm",
        "No",
        "ñu",
        "4-6",
        "1.5",
        "don't",
        "FDA",
        "scarring",
        "collagen",
        "sessions",
        "treatment",
        "Microneedling",
        "microneedling's",
        "hyperpigmentation",
        "colágeno",
        "producción",
        " ",
        " ",
        " ",
        "  ",
        ".",
        ",",
        "!",
        "?",
        "…",
        "\"",
        "'",
        "”",
        "’",
        "»",
        ")",
        "]",
        "/",
        "—",
        "–",
        "“",
        "(",
        "¿",
        "¡",
        "\u{a0}",
        "\u{2009}",
        "\n",
        "\t",
        ";",
        ":",
        "é",
        "-",
        "0",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The counts of any text are `read_block`'s, through a cache new or warm.
        #[test]
        fn tally_agrees_with_read_block(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40),
            spanish in proptest::bool::ANY,
        ) {
            let language = if spanish { Language::Spanish } else { Language::English };
            let text = pieces.concat();
            let plain = plain_tally(&text, language);
            let cache = &mut SyllableCache::default();
            proptest::prop_assert_eq!(tally(&text, language, cache), plain);
            proptest::prop_assert_eq!(tally(&text, language, cache), plain);
            // The same words at other places in a longer block (other reads of 16 bytes).
            let longer = format!("{text} {text}");
            proptest::prop_assert_eq!(tally(&longer, language, cache), plain_tally(&longer, language));
        }
    }

    /// The clinic's own pages, every paragraph and the whole of each file: the same counts.
    #[test]
    fn tally_agrees_with_read_block_on_the_clinic_pages() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut files = vec![content];
        let mut checked = 0;
        let cache = &mut SyllableCache::default();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.to_string_lossy();
            let language = if name.ends_with(".es.md") {
                Language::Spanish
            } else {
                Language::English
            };
            let whole = text.replace('\n', " ");
            for block in text.split("\n\n").chain([text.as_str(), whole.as_str()]) {
                assert_eq!(
                    tally(block, language, cache),
                    plain_tally(block, language),
                    "{name}: {block:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} blocks");
    }

    #[test]
    fn alphanumeric_bytes_are_found_in_every_byte() {
        for byte in 0..=255u8 {
            for place in 0..8 {
                let mut bytes = [b' '; 8];
                bytes[place] = byte;
                let found = alphanumeric_bytes(u64::from_le_bytes(bytes));
                let expected = if byte.is_ascii_alphanumeric() {
                    0x80 << (8 * place)
                } else {
                    0
                };
                assert_eq!(found, expected, "{byte:#x} at {place}");
            }
        }
    }
}
