//! The counting walk: a block of prose in, its word, sentence and syllable counts out, as
//! `read_block` and the syllable counters have them, without the sentences' places.
//!
//! `build`'s gate counts every word of every page, and on most pages the counts are all it
//! needs (see `count`). So this walk does only what the counts need: plain words (ASCII
//! letters and digits followed by a space, or by a comma or an end mark and a space) 8 bytes
//! at a time (`plain_words`), elsewhere one table look-up per byte of ASCII text, a word's
//! syllables from the cache by its bytes (read straight from the block, see
//! `SyllableCache::known_at`), and `ends_sentence` only for a run of text that ends in
//! punctuation. Characters outside ASCII are classified as `read_block` does.

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
            let starts = at;
            at += len;
            while let Some(&byte) = bytes.get(at)
                && BYTE_CLASSES[usize::from(byte)] == WORD
            {
                at += 1;
            }
            // Most words are plain (see `plain_words`): read there one after another while
            // they last, when this one is (its window is not made for nothing).
            if word_start == NONE
                && len == 1
                && plainly_ends(bytes, starts..at, run_start == starts)
            {
                let mut walk = Walk {
                    at: starts,
                    counts,
                    found,
                };
                plain_words(block, &mut walk, run_start == starts, language, cache);
                if walk.at != starts {
                    // The last word ended at a space, so the run it ended does not end a
                    // sentence.
                    (at, counts, found) = (walk.at, walk.counts, walk.found);
                    word_end = at - 1;
                    at = past_spaces(bytes, at);
                    run_start = at;
                    continue;
                }
            }
            if word_start == NONE {
                word_start = starts;
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

/// Where `tally` is in its block and what it has counted: `found` is the words since the
/// last sentence end.
#[derive(Clone, Copy)]
struct Walk {
    at: usize,
    counts: Counts,
    found: usize,
}

/// Whether a sentence ends after a plain word (`plain_words`).
#[derive(Clone, Copy)]
enum Ends {
    Never,
    Always,
    /// A period: unless the word is an abbreviation or an initial.
    UnlessAbbreviated,
}

/// The bytes a window of `plain_words` holds: the 64 its letters and digits are found in,
/// and 16 more for the keys and marks of the words that end near its end.
const WINDOW: usize = 64 + 16;

/// Which of the first 64 bytes of `window` are ASCII letters or digits, one bit each (bit `i`
/// for byte `i`): on x86-64 with SSE2, which every such processor has, 16 bytes at a time;
/// elsewhere as `letters_in_lanes`.
#[inline(always)]
fn letters_in(window: &[u8; WINDOW]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64 itself: every processor that runs this has it.
        unsafe { letters_in_sse2(window) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        letters_in_lanes(window)
    }
}

/// `letters_in` 8 bytes at a time: eight `alphanumeric_bytes`, each one's high bits gathered
/// into a byte by a multiplication (the bit of byte `i` lands in bit `56 + i`).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn letters_in_lanes(window: &[u8; WINDOW]) -> u64 {
    let mut letters = 0;
    for (lane, bytes) in window[..64].chunks_exact(8).enumerate() {
        let high = alphanumeric_bytes(u64::from_le_bytes(bytes.try_into().unwrap_or_default()));
        letters |= (high.wrapping_mul(0x0002_0408_1020_4081) >> 56) << (8 * lane);
    }
    letters
}

/// `letters_in` 16 bytes at a time: each byte compared with the ranges of letters (made lower
/// case) and digits, as signed numbers (a byte of a longer character is below them all), and
/// the results' high bits taken as one number.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn letters_in_sse2(window: &[u8; WINDOW]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    let mut letters = 0;
    for lane in 0..4 {
        let lane_bytes: &[u8; 16] = window[16 * lane..][..16].try_into().unwrap_or(&[0; 16]);
        // SAFETY: an unaligned load of the 16 bytes `lane_bytes` borrows.
        let bytes = unsafe { _mm_loadu_si128(lane_bytes.as_ptr().cast::<__m128i>()) };
        let lower = _mm_or_si128(bytes, _mm_set1_epi8(0x20));
        let letter = _mm_and_si128(
            _mm_cmpgt_epi8(lower, _mm_set1_epi8(b'a' as i8 - 1)),
            _mm_cmplt_epi8(lower, _mm_set1_epi8(b'z' as i8 + 1)),
        );
        let digit = _mm_and_si128(
            _mm_cmpgt_epi8(bytes, _mm_set1_epi8(b'0' as i8 - 1)),
            _mm_cmplt_epi8(bytes, _mm_set1_epi8(b'9' as i8 + 1)),
        );
        let found = _mm_movemask_epi8(_mm_or_si128(letter, digit)) as u32 as u64;
        letters |= found << (16 * lane);
    }
    letters
}

/// Reads plain words from `walk.at`, where a word starts, one after another while they last:
/// up to 15 ASCII letters and digits followed by a space, or by a comma, semicolon, colon,
/// period, `!` or `?` and a space (most of a page's prose). The block is read in windows of
/// 64 bytes, each copied out with 16 bytes more (zeros past the block's end), and the letters
/// and digits of all 64 are found at once (`letters_in`), so a word's length is one count of
/// bits, and two loads from the window, cut at its end, are its key in the syllable cache
/// (`SyllableCache::known_by_key`): no string, no hashing of bytes. After the word, `!` and
/// `?` end a sentence, and a period does unless the word is an abbreviation or an initial,
/// which decides it only when the word starts its run (`starts_run`, true of every word read
/// here after the first: each follows a space); the other marks never do. `walk` is left
/// after the last word's space.
#[inline(never)]
fn plain_words(
    block: &str,
    walk: &mut Walk,
    mut starts_run: bool,
    language: Language,
    cache: &mut SyllableCache,
) {
    let bytes = block.as_bytes();
    let Walk {
        at: mut base,
        mut counts,
        mut found,
    } = *walk;
    let mut window = [0u8; WINDOW];
    // Where the walk is in the window that starts at `base`.
    let mut pos = 0;
    'windows: loop {
        base += pos;
        pos = 0;
        match bytes.get(base..base + WINDOW) {
            Some(whole) => window.copy_from_slice(whole),
            None => {
                let rest = &bytes[base.min(bytes.len())..];
                window[..rest.len()].copy_from_slice(rest);
                window[rest.len()..].fill(0);
            }
        }
        let letters = letters_in(&window);
        while pos < 64 {
            let len = (!(letters >> pos)).trailing_zeros() as usize;
            if pos + len >= 64 {
                if pos == 0 {
                    // 64 letters and digits: no plain word.
                    break 'windows;
                }
                // The word may go on past the window: read it again from the word's start.
                continue 'windows;
            }
            if len == 0 || len > 15 {
                break 'windows;
            }
            // After the word: a space, or a mark and a space.
            let (skip, ends) = match window[pos + len] {
                b' ' => (1, Ends::Never),
                mark => {
                    if window[pos + len + 1] != b' ' {
                        break 'windows;
                    }
                    match mark {
                        b',' | b';' | b':' => (2, Ends::Never),
                        b'!' | b'?' => (2, Ends::Always),
                        b'.' if starts_run => (2, Ends::UnlessAbbreviated),
                        _ => break 'windows,
                    }
                }
            };
            let load = |at: usize| {
                let bytes: [u8; 8] = window[at..at + 8].try_into().unwrap_or_default();
                u64::from_le_bytes(bytes)
            };
            // Both halves loaded and cut without a branch (the second is zero up to 8 bytes).
            let key = (load(pos) & KEEP_LOW[len], load(pos + 8) & KEEP_HIGH[len]);
            let at = base + pos;
            let known = cache.known_by_key(language, key, block, at..at + len);
            counts.words += 1;
            found += 1;
            counts.syllables += known.syllables();
            let sentence_ends = match ends {
                Ends::Never => false,
                Ends::Always => true,
                Ends::UnlessAbbreviated => !known.abbreviated(),
            };
            if sentence_ends {
                counts.sentences += 1;
                found = 0;
            }
            pos += len + skip;
            starts_run = true;
        }
    }
    *walk = Walk {
        at: base + pos,
        counts,
        found,
    };
}

/// Whether the word of ASCII letters and digits `bytes[word]` is one `plain_words` reads:
/// at most 15 bytes, followed by a space, or by a comma, semicolon, colon, `!`, `?` or (when
/// the word starts its run) a period, and a space.
#[inline]
fn plainly_ends(bytes: &[u8], word: Range<usize>, starts_run: bool) -> bool {
    if word.len() > 15 {
        return false;
    }
    match bytes.get(word.end) {
        Some(b' ') => true,
        Some(b',' | b';' | b':' | b'!' | b'?') => bytes.get(word.end + 1) == Some(&b' '),
        Some(b'.') => starts_run && bytes.get(word.end + 1) == Some(&b' '),
        _ => false,
    }
}

/// The bytes of a word's first 8 that are its own (`KEEP_LOW[len]`) and of its next 8
/// (`KEEP_HIGH[len]`), for words of 0 to 15 bytes: the key `packed` makes, from two loads.
const KEEP_LOW: [u64; 16] = {
    let mut keep = [0; 16];
    let mut len = 1;
    while len < 16 {
        keep[len] = if len >= 8 {
            u64::MAX
        } else {
            (1 << (8 * len)) - 1
        };
        len += 1;
    }
    keep
};
const KEEP_HIGH: [u64; 16] = {
    let mut keep = [0; 16];
    let mut len = 9;
    while len < 16 {
        keep[len] = (1 << (8 * (len - 8))) - 1;
        len += 1;
    }
    keep
};

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
mod tests;
