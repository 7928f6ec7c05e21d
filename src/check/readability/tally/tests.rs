//! `tally` compared with `read_block` and the syllable counters, and its fast paths with
//! their plain versions.

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
    "dermatologist",
    "recommendations",
    "dermatologically",
    "Dr.",
    "J.",
    "skin.",
    "skin,",
    "results!",
    "downtime?",
    "(e.g.",
    "x/Dr.",
    "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789",
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

/// Plain words of every length around 8 and 16 bytes, the marks `plain_words` reads after
/// them, and what ends its runs of plain words.
const PLAIN: &[&str] = &[
    "a ",
    "It ",
    "the ",
    "skin ",
    "heals ",
    "during ",
    "redness ",
    "collagen ",
    "treatment ",
    "sessions, ",
    "downtime. ",
    "Dr. ",
    "J. ",
    "etc. ",
    "Is it safe? ",
    "Yes! ",
    "first: ",
    "second; ",
    "dermatologist ",
    "recommendations ",
    "dermatologically ",
    "hyperpigmentation ",
    "  ",
    "(4-6 weeks) ",
    "don't ",
    "é ",
    "x/Dr. ",
    "2026 ",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// Long blocks of mostly plain words, read across many of `plain_words`' windows of
    /// 64 bytes: the same counts as `read_block`'s.
    #[test]
    fn plain_words_agree_with_read_block_across_windows(
        pieces in proptest::collection::vec(proptest::sample::select(PLAIN), 0..120),
        spanish in proptest::bool::ANY,
    ) {
        let language = if spanish { Language::Spanish } else { Language::English };
        let text = pieces.concat();
        let cache = &mut SyllableCache::default();
        proptest::prop_assert_eq!(tally(&text, language, cache), plain_tally(&text, language));
        let trimmed = text.trim_end();
        proptest::prop_assert_eq!(tally(trimmed, language, cache), plain_tally(trimmed, language));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// `tally` hands a word to `plain_words` only when `plainly_ends` says it is plain: the
    /// two agree at every word's start, at the start of a run and after other text.
    #[test]
    fn plainly_ends_is_what_plain_words_reads(
        pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
        more in proptest::collection::vec(proptest::sample::select(PLAIN), 0..10),
        starts_run in proptest::bool::ANY,
    ) {
        let text = [pieces.concat(), more.concat()].concat();
        let bytes = text.as_bytes();
        let cache = &mut SyllableCache::default();
        for start in 0..bytes.len() {
            let starts_word = bytes[start].is_ascii_alphanumeric()
                && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric());
            if !starts_word {
                continue;
            }
            let end = (start..bytes.len())
                .find(|&at| !bytes[at].is_ascii_alphanumeric())
                .unwrap_or(bytes.len());
            let mut walk = Walk { at: start, counts: Counts::default(), found: 0 };
            plain_words(&text, &mut walk, starts_run, Language::English, cache);
            proptest::prop_assert_eq!(
                plainly_ends(bytes, start..end, starts_run),
                walk.at != start,
                "{:?} at {}", text, start
            );
        }
    }
}

/// The masks that cut a word's two loads make the key `packed` makes of the word.
#[test]
fn kept_bytes_make_the_packed_key() {
    let text = "abcdefghijklmnop+++++++++";
    for len in 1..16 {
        let load = |at: usize| u64::from_le_bytes(text.as_bytes()[at..at + 8].try_into().unwrap());
        let key =
            u128::from(load(0) & KEEP_LOW[len]) | (u128::from(load(8) & KEEP_HIGH[len]) << 64);
        assert_eq!(Some(key), super::super::packed(&text[..len]), "{len}");
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

proptest::proptest! {
    /// Both ways of finding a window's letters and digits find each byte's as
    /// `is_ascii_alphanumeric` does.
    #[test]
    fn letters_are_found_in_every_window(window in proptest::array::uniform32(proptest::num::u8::ANY), more in proptest::array::uniform32(proptest::num::u8::ANY)) {
        let mut bytes = [0u8; WINDOW];
        bytes[..32].copy_from_slice(&window);
        bytes[32..64].copy_from_slice(&more);
        let expected = (0..64).fold(0u64, |bits, i| bits | (u64::from(bytes[i].is_ascii_alphanumeric()) << i));
        proptest::prop_assert_eq!(letters_in_lanes(&bytes), expected);
        proptest::prop_assert_eq!(letters_in(&bytes), expected);
    }
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
