//! Reading level: a page's prose (paragraphs and list items, as plain text) in, its score and
//! its hardest sentences out.
//!
//! English uses the Flesch-Kincaid grade (the US school grade that can read the text);
//! Spanish uses Szigriszt-Pazos perspicuity, read on the INFLESZ scale (0–100, higher is
//! easier). Both count words per sentence and syllables per word, so the sentence splitter and
//! the syllable counters (`syllables_en`, `syllables_es`) matter as much as the formulas.
//! The words and sentences of a text are found in `tokenize`; the counting and scoring is here.

mod tally;
mod tokenize;

pub use tally::tally;
pub use tokenize::{Piece, read_block, split_sentences, words};

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde::Serialize;

use super::syllables_kept::KeptSyllables;
use super::{syllables_en, syllables_es};

/// A language the formulas know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    English,
    Spanish,
}

impl Language {
    /// `en`, `en-US`, `es`, `es-MX` -> a language; `None` for languages without a formula.
    pub fn from_code(code: &str) -> Option<Language> {
        match code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "en" => Some(Language::English),
            "es" => Some(Language::Spanish),
            _ => None,
        }
    }

    fn syllables(self, word: &str) -> usize {
        if !word.chars().any(char::is_alphabetic) {
            // Numbers (`6`, `2026`, `305-555-0100`) count as one short word: they are not what
            // makes a page hard.
            return 1;
        }
        match self {
            Language::English => syllables_en::count(word),
            Language::Spanish => syllables_es::count(word),
        }
    }

    /// Words of this many syllables or more are "long words" in suggestions.
    fn long_word(self) -> usize {
        match self {
            Language::English => 3,
            Language::Spanish => 4,
        }
    }
}

/// Word, sentence and syllable counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
    }
}

/// Flesch-Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59.
pub fn flesch_kincaid_grade(counts: Counts) -> f64 {
    if counts.words == 0 || counts.sentences == 0 {
        return 0.0;
    }
    let words = counts.words as f64;
    0.39 * words / counts.sentences as f64 + 11.8 * counts.syllables as f64 / words - 15.59
}

/// Szigriszt-Pazos perspicuity: 206.835 − 62.3 × syllables per word − words per sentence.
pub fn szigriszt_pazos(counts: Counts) -> f64 {
    if counts.words == 0 || counts.sentences == 0 {
        return 100.0;
    }
    let words = counts.words as f64;
    206.835 - 62.3 * counts.syllables as f64 / words - words / counts.sentences as f64
}

/// The INFLESZ band of a Szigriszt-Pazos score (Barrio-Cantalejo et al., 2008).
pub fn inflesz_band(score: f64) -> &'static str {
    match score {
        s if s < 40.0 => "very difficult",
        s if s < 55.0 => "somewhat difficult",
        s if s < 65.0 => "normal",
        s if s <= 80.0 => "fairly easy",
        _ => "very easy",
    }
}

/// One sentence of the prose, with its own score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    /// Which block it is in and where in the block's text.
    #[serde(skip)]
    pub block: usize,
    #[serde(skip)]
    pub range: Range<usize>,
    pub text: String,
    pub counts: Counts,
    /// Its grade (English) or perspicuity (Spanish), as if it were the whole page.
    pub score: f64,
    /// Its words of three syllables or more (four in Spanish), longest first, at most five.
    pub long_words: Vec<String>,
}

/// The reading level of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub language: Language,
    pub counts: Counts,
    /// Flesch-Kincaid grade (English) or Szigriszt-Pazos perspicuity (Spanish).
    pub score: f64,
    /// The hardest sentences, hardest first (at most three).
    #[serde(skip)]
    pub sentences: Vec<Sentence>,
}

impl Reading {
    /// Whether a higher score means harder text (true for grades).
    pub fn higher_is_harder(&self) -> bool {
        self.language == Language::English
    }
}

/// Syllable counts of words already seen: a site repeats most of its words, and counting
/// a word is far slower than looking it up. One per thread of work; it only ever grows.
#[derive(Debug, Default)]
pub struct SyllableCache {
    /// The words seen last, English then Spanish, each by its key's place (see `RECENT`): a
    /// page uses few words many times, and a look here is a few instructions, where the
    /// map's is tens. Made when first used.
    recent: Vec<Recent>,
    /// Words of up to 16 bytes (nearly all), packed into their key: no string to hash or
    /// compare, and no allocation per new word. English, then Spanish.
    short: [FxHashMap<u128, u8>; 2],
    long: [FxHashMap<String, usize>; 2],
    /// The English counts earlier builds kept (`build`'s and `serve`'s gate), asked for a
    /// word before it is counted.
    kept: Option<Arc<KeptSyllables>>,
}

/// A word of up to 16 bytes as its key's halves (`packed`), and its syllables. An empty
/// place holds the key zero, which no word has.
#[derive(Debug, Clone, Copy, Default)]
struct Recent {
    low: u64,
    high: u64,
    known: Known,
}

/// A word's syllables, and whether it is an abbreviation or an initial (`is_abbreviated`:
/// its period does not end a sentence), in one number.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known(u64);

impl Known {
    const ABBREVIATED: u64 = 1 << 32;

    fn new(syllables: usize, word: &str) -> Known {
        let abbreviated = if tokenize::is_abbreviated(word) {
            Known::ABBREVIATED
        } else {
            0
        };
        Known(syllables as u64 & 0xffff_ffff | abbreviated)
    }

    pub fn syllables(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }

    pub fn abbreviated(self) -> bool {
        self.0 & Known::ABBREVIATED != 0
    }
}

/// Places in `SyllableCache::recent` for each language, a power of two (24 bytes each).
const RECENT: usize = 1 << 12;

impl SyllableCache {
    /// A cache that asks `kept` for an English word's count before counting it.
    pub fn keeping(kept: Arc<KeptSyllables>) -> SyllableCache {
        SyllableCache {
            kept: Some(kept),
            ..SyllableCache::default()
        }
    }

    /// `Language::syllables`, from the counts kept when there are some.
    fn counted(&self, language: Language, word: &str) -> usize {
        match &self.kept {
            Some(kept)
                if language == Language::English && word.chars().any(char::is_alphabetic) =>
            {
                kept.count(word)
            }
            _ => language.syllables(word),
        }
    }

    fn count(&mut self, language: Language, word: &str) -> usize {
        match packed(word).filter(|&key| key != 0) {
            Some(key) => self.count_short(language, key as u64, (key >> 64) as u64, word),
            None => self.count_long(language, word),
        }
    }

    /// What is known of `block[start..end]`, a word as `read_block` finds it: its
    /// syllables (`Known::syllables`) and whether it is an abbreviation. Its key is read from
    /// the block in two loads when 16 bytes of the block start at the word (most words), and
    /// a word seen last is found without a call.
    #[inline(always)]
    fn known_at(&mut self, language: Language, block: &str, start: usize, end: usize) -> Known {
        let len = end - start;
        let window = block.as_bytes().get(start..start + 16);
        let (Some(window), 1..=16) = (window, len) else {
            return self.known_slowly(language, &block[start..end]);
        };
        let half =
            |at: usize| u64::from_le_bytes(window[at..at + 8].try_into().unwrap_or_default());
        // The bytes past the word are masked off (`packed` leaves zeros there).
        let (low, high) = if len <= 8 {
            (half(0) & low_bytes(len), 0)
        } else {
            (half(0), half(8) & low_bytes(len - 8))
        };
        self.known_by_key(language, (low, high), block, start..end)
    }

    /// What is known of the word `block[word]` whose key (`packed`) is `low` and `high`.
    #[inline(always)]
    fn known_by_key(
        &mut self,
        language: Language,
        (low, high): (u64, u64),
        block: &str,
        word: Range<usize>,
    ) -> Known {
        let place = place(language, low, high);
        if let Some(seen) = self.recent.get(place)
            && seen.low == low
            && seen.high == high
        {
            return seen.known;
        }
        self.known_short(language, low, high, &block[word])
    }

    /// `known_at` of a word without its 16 bytes of block.
    #[inline(never)]
    fn known_slowly(&mut self, language: Language, word: &str) -> Known {
        let Some(key) = packed(word).filter(|&key| key != 0) else {
            return Known::new(self.count_long(language, word), word);
        };
        let (low, high) = (key as u64, (key >> 64) as u64);
        let place = place(language, low, high);
        if let Some(seen) = self.recent.get(place)
            && seen.low == low
            && seen.high == high
        {
            return seen.known;
        }
        self.known_short(language, low, high, word)
    }

    /// `count` of a word of up to 16 bytes whose key (`packed`) is `low` and `high`.
    fn count_short(&mut self, language: Language, low: u64, high: u64, word: &str) -> usize {
        let place = place(language, low, high);
        if let Some(seen) = self.recent.get(place)
            && seen.low == low
            && seen.high == high
        {
            return seen.known.syllables();
        }
        self.known_short(language, low, high, word).syllables()
    }

    /// `count_short` of a word not seen last.
    #[inline(never)]
    fn known_short(&mut self, language: Language, low: u64, high: u64, word: &str) -> Known {
        let key = u128::from(low) | (u128::from(high) << 64);
        let count = match self.short[language as usize].get(&key) {
            Some(&count) => count,
            None => {
                // A 16-byte word has at most 16 syllables.
                let count = u8::try_from(self.counted(language, word)).unwrap_or(u8::MAX);
                self.short[language as usize].insert(key, count);
                count
            }
        };
        if self.recent.is_empty() {
            self.recent = vec![Recent::default(); 2 * RECENT];
        }
        let known = Known::new(usize::from(count), word);
        self.recent[place(language, low, high)] = Recent { low, high, known };
        known
    }

    fn count_long(&mut self, language: Language, word: &str) -> usize {
        if let Some(&count) = self.long[language as usize].get(word) {
            return count;
        }
        let count = self.counted(language, word);
        self.long[language as usize].insert(word.to_string(), count);
        count
    }
}

/// The `bytes` (1 to 8) lowest bytes of a number set, the others clear.
fn low_bytes(bytes: usize) -> u64 {
    u64::MAX >> (64 - 8 * bytes)
}

/// Where in `SyllableCache::recent` the word with key `low`, `high` is kept.
fn place(language: Language, low: u64, high: u64) -> usize {
    let mixed = (low ^ high.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    language as usize * RECENT + (mixed >> (64 - RECENT.trailing_zeros())) as usize
}

/// A word of up to 16 bytes as one number: its bytes, then zeros. A word never ends in a
/// zero byte (it ends in a letter or digit), so two words never share a number. Made from a
/// few loads, not a byte at a time: every word of every page is looked up.
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 16 {
        return None;
    }
    let (low, high) = bytes.split_at(bytes.len().min(8));
    Some(u128::from(packed_u64(low)) | (u128::from(packed_u64(high)) << 64))
}

/// Up to 8 bytes as a little-endian number, then zeros: two loads that may overlap (the
/// bytes both hold are the same, in the same place).
fn packed_u64(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let at = |i: usize| u64::from(bytes[i]) << (8 * i);
    match n {
        0 => 0,
        1..=3 => at(0) | at(n / 2) | at(n - 1),
        4..=7 => {
            let first = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            let last = u32::from_le_bytes([bytes[n - 4], bytes[n - 3], bytes[n - 2], bytes[n - 1]]);
            u64::from(first) | (u64::from(last) << (8 * (n - 4)))
        }
        _ => u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default()),
    }
}

/// The counts of `measure`, and its score, without finding the hardest sentences: all
/// `build`'s gate needs of a page that is not too hard to read.
pub fn count(blocks: &[&str], language: Language, cache: &mut SyllableCache) -> (Counts, f64) {
    let mut counts = Counts::default();
    for block in blocks {
        counts.add(tally(block, language, cache));
    }
    (counts, score(counts, language))
}

/// How many of the hardest sentences a `Reading` describes in full.
const HARDEST: usize = 3;

/// Measures the prose `blocks` (each a paragraph or list item: a sentence never spans two).
pub fn measure(blocks: &[&str], language: Language, cache: &mut SyllableCache) -> Reading {
    let mut counts = Counts::default();
    // (block, range, counts, score) of every sentence; only the hardest are described.
    type Scored = (usize, Range<usize>, Counts, f64);
    let mut scored: Vec<Scored> = Vec::new();
    let one_sentence = Counts {
        sentences: 1,
        ..Counts::default()
    };
    for (index, block) in blocks.iter().enumerate() {
        let mut sentence = one_sentence;
        read_block(block, |piece| match piece {
            Piece::Word(word) => {
                sentence.words += 1;
                sentence.syllables += cache.count(language, word);
            }
            Piece::SentenceEnd(range) => {
                counts.add(sentence);
                scored.push((index, range, sentence, score(sentence, language)));
                sentence = one_sentence;
            }
        });
    }
    let harder = |score: f64| {
        if language == Language::English {
            score
        } else {
            -score
        }
    };
    let hardest_first = |a: &Scored, b: &Scored| {
        harder(b.3)
            .total_cmp(&harder(a.3))
            .then((a.0, a.1.start).cmp(&(b.0, b.1.start)))
    };
    // Only the few hardest are described: no need to sort the rest.
    if scored.len() > HARDEST {
        scored.select_nth_unstable_by(HARDEST - 1, hardest_first);
        scored.truncate(HARDEST);
    }
    scored.sort_by(hardest_first);
    let sentences = scored
        .into_iter()
        .take(HARDEST)
        .map(|(block, range, counts, score)| {
            let text = &blocks[block][range.clone()];
            Sentence {
                block,
                text: text.to_string(),
                counts,
                score,
                long_words: long_words(text, language, cache),
                range,
            }
        })
        .collect();
    Reading {
        language,
        counts,
        score: score(counts, language),
        sentences,
    }
}

fn score(counts: Counts, language: Language) -> f64 {
    match language {
        Language::English => flesch_kincaid_grade(counts),
        Language::Spanish => szigriszt_pazos(counts),
    }
}

/// The sentence's long words, most syllables first, at most five.
fn long_words(text: &str, language: Language, cache: &mut SyllableCache) -> Vec<String> {
    let mut long: Vec<(usize, &str)> = Vec::new();
    for word in words(text) {
        let syllables = cache.count(language, word);
        if syllables >= language.long_word() && !long.iter().any(|(_, w)| *w == word) {
            long.push((syllables, word));
        }
    }
    long.sort_by_key(|w| std::cmp::Reverse(w.0));
    long.into_iter()
        .take(5)
        .map(|(_, w)| w.to_string())
        .collect()
}

#[cfg(test)]
mod tests;
