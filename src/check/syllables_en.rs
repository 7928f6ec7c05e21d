//! English syllables: a word in, its number of spoken syllables out.
//!
//! Two sources, combined. Liang's hyphenation patterns for American English (the
//! `hyphenation` crate, patterns embedded in the binary) cut a word where a dictionary would,
//! which catches vowel pairs that are two syllables (`cre-ate`, `sci-ence`, `be-ing`) and the
//! joints of compounds (`some-thing`). A rule-based counter then counts the vowel groups of
//! each piece, knowing the silent endings (`make`, `used`, `makes`). Neither alone is enough:
//! the patterns never cut near a word's ends (`idea`, `media`) and rules cannot tell `create`
//! from `great`. A short list of common exceptions comes first.

use std::ops::Range;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Syllables in `word` (letters, optionally with apostrophes and inner hyphens); at least 1.
pub fn count(word: &str) -> usize {
    if let Some(letters) = initialism(word) {
        return letters;
    }
    let lower: String = word
        .chars()
        .filter(|c| !is_apostrophe(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let parts: usize = lower
        .split('-')
        .filter(|p| !p.is_empty())
        .map(count_part)
        .sum();
    (parts + contraction_extra(word)).max(1)
}

/// The rule-based counter alone, for measuring what the patterns add.
pub fn count_by_rules(word: &str) -> usize {
    let chars: Vec<char> = word.to_lowercase().chars().collect();
    rule_count(&chars, 0..chars.len()).max(1)
}

/// `FDA`, `UV`, `SPF`: said letter by letter (`W` is three syllables).
fn initialism(word: &str) -> Option<usize> {
    let letters = word.chars().count();
    let all_caps = (2..=4).contains(&letters) && word.chars().all(|c| c.is_ascii_uppercase());
    all_caps.then(|| word.chars().map(|c| if c == 'W' { 3 } else { 1 }).sum())
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// `isn't`, `didn't`: the `n't` after a consonant is a syllable of its own.
fn contraction_extra(word: &str) -> usize {
    let lower: Vec<char> = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect();
    let n = lower.len();
    usize::from(n > 3 && lower[n - 3..] == ['n', '\'', 't'] && !is_vowel(lower[n - 4]))
}

fn count_part(word: &str) -> usize {
    if let Some(&(_, syllables)) = EXCEPTIONS.iter().find(|(w, _)| *w == word) {
        return syllables;
    }
    let chars: Vec<char> = word.chars().collect();
    let whole = rule_count(&chars, 0..chars.len()).max(1);
    if chars.len() < 4 || !word.is_ascii() {
        return whole;
    }
    let pieces = pieces(&chars, &patterns().hyphenate(word).breaks);
    let by_pieces: usize = pieces
        .into_iter()
        .map(|range| rule_count(&chars, range).max(1))
        .sum();
    by_pieces - usize::from(ends_with(&chars, "ically"))
}

/// The word cut at the pattern's breaks. A piece without a vowel (the patterns give
/// `aca-d-e-m-i-cally`) is joined to the piece before it.
/// Breaks are byte offsets; the word is ASCII here, so they are also character offsets.
fn pieces(word: &[char], breaks: &[usize]) -> Vec<Range<usize>> {
    let has_vowel = |r: &Range<usize>| word[r.clone()].iter().any(|&c| is_vowel(c));
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for &end in breaks.iter().chain(std::iter::once(&word.len())) {
        let piece = start..end;
        match pieces.last_mut() {
            Some(prev) if !has_vowel(&piece) || !has_vowel(prev) => prev.end = end,
            _ => pieces.push(piece),
        }
        start = end;
    }
    pieces
}

fn patterns() -> &'static Standard {
    static PATTERNS: OnceLock<Standard> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        Standard::from_embedded(Language::EnglishUS).expect("the en-us patterns are embedded")
    })
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'é'
            | 'è'
            | 'ê'
            | 'ë'
            | 'á'
            | 'à'
            | 'â'
            | 'í'
            | 'ï'
            | 'î'
            | 'ó'
            | 'ô'
            | 'ö'
            | 'ú'
            | 'ü'
    )
}

fn is_consonant(c: char) -> bool {
    c.is_alphabetic() && !is_vowel(c)
}

/// Vowel groups of `word[piece]`, plus vowel pairs said apart, less silent letters. Letters
/// outside the piece are context only.
fn rule_count(word: &[char], piece: Range<usize>) -> usize {
    let last = piece.end == word.len();
    let sounds = |i: usize| -> bool {
        let next = if i + 1 < piece.end { word[i + 1] } else { ' ' };
        match word[i] {
            // `qu`, and `gu` before e/i (`guess`, `guide`): the u belongs to the consonant.
            'u' => !(i > 0 && (word[i - 1] == 'q' || (word[i - 1] == 'g' && "eiy".contains(next)))),
            // `y` before a vowel is a consonant: `yes`, `player`, `beyond`.
            'y' => !"aeiou".contains(next) || next == ' ',
            c => is_vowel(c),
        }
    };
    let mut count = 0;
    let mut i = piece.start;
    while i < piece.end {
        if !sounds(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < piece.end && sounds(i) {
            i += 1;
        }
        count += 1 + split_pairs(word, start, i, piece.end);
    }
    let text = &word[piece.clone()];
    let silent = if last {
        silent_ending(text)
    } else {
        silent_final_e(text)
    };
    if count > 1 {
        count -= silent;
    }
    if last && (ends_with(text, "sm") || ends_with(text, "sms")) {
        count += 1;
    }
    if count > 1 {
        count - silent_e_before_suffix(text)
    } else {
        count
    }
}

/// Vowel pairs inside one group that are said as two syllables: `i` before a vowel
/// (`me-di-a`, `ra-di-o`, `pi-an-o`) except in `-tion`, `-cial`, `-gious`, `-shion`;
/// `u` before a vowel after t/d/s/n/l (`ac-tu-al`, `flu-ent`); `eo` (`vi-de-o`); a final
/// `-ea(s)` (`i-de-a`).
fn split_pairs(word: &[char], start: usize, end: usize, piece_end: usize) -> usize {
    let n = piece_end;
    let mut extra = 0;
    for i in start..end.saturating_sub(1) {
        let (here, next) = (word[i], word[i + 1]);
        let before = if i > 0 { word[i - 1] } else { ' ' };
        let after = if i + 2 < n { word[i + 2] } else { ' ' };
        let before_that = if i > 1 { word[i - 2] } else { ' ' };
        let glide = "tcsgx".contains(before)
            || (before == 'h' && "sc".contains(before_that))
            || (before == 'l' && before_that == 'l');
        let word_end = |len: usize| i + len == n;
        extra += usize::from(match (here, next) {
            ('i', 'a' | 'o' | 'u') => i > 0 && !glide,
            ('i', 'e') => {
                let comparative = (after == 'r' && word_end(3))
                    || (after == 's' && word.get(i + 3) == Some(&'t') && word_end(4));
                i > 0
                    && !glide
                    && (((after == 'n' || after == 't') && word.get(i + 3) != Some(&'d'))
                        || comparative)
            }
            ('e', 'o') => i > 0 && after != 'u',
            ('u', 'a' | 'e' | 'i' | 'o') => {
                let plural_ue = next == 'e'
                    && (word_end(2)
                        || (after == 's' && word_end(3))
                        || (after == 'd' && word_end(3)));
                "tdsnlrc".contains(before) && !plural_ue && !(next == 'i' && "tcd".contains(after))
            }
            ('e', 'a') => i > 1 && (word_end(2) || (after == 's' && word_end(3))),
            _ => false,
        });
    }
    extra
}

fn ends_with(piece: &[char], suffix: &str) -> bool {
    let n = suffix.len();
    piece.len() > n && piece[piece.len() - n..].iter().copied().eq(suffix.chars())
}

/// A word's silent ending: `make`, `used`, `makes`, `played`, `technique`, `vague` (but not
/// `table`, `acre`, `needed`, `pages`, `fire`).
fn silent_ending(piece: &[char]) -> usize {
    let n = piece.len();
    let at = |back: usize| -> char { if back <= n { piece[n - back] } else { ' ' } };
    // `y` after a vowel (`played`, `stays`) closes the syllable like a consonant.
    let closes =
        |back: usize| is_consonant(at(back)) || (at(back) == 'y' && is_vowel(at(back + 1)));
    let fire = |back: usize| at(back) == 'r' && at(back + 1) == 'i' && is_consonant(at(back + 2));
    match (at(3), at(2), at(1)) {
        // `-le` and `-re` after a consonant are syllables: `ta-ble`, `ac-re`.
        (c, 'l' | 'r', 'e') if is_consonant(c) && c != 'l' && c != 'r' => 0,
        _ if at(1) == 'e' && fire(2) => 0,
        (_, 'u', 'e') if matches!(at(3), 'q' | 'g') => 1,
        (_, c, 'e') if is_consonant(c) => 1,
        (before, 'e', 'd') => {
            let syllabic_le = before == 'l' && is_consonant(at(4)) && at(4) != 'l';
            usize::from(closes(3) && before != 't' && before != 'd' && !syllabic_le && !fire(3))
        }
        (before, 'e', 's') => {
            let sibilant = matches!(before, 's' | 'x' | 'z' | 'c' | 'g')
                || (before == 'h' && matches!(at(4), 'c' | 's'));
            let syllabic_le =
                (before == 'l' || before == 'r') && is_consonant(at(4)) && at(4) != before;
            usize::from(closes(3) && !sibilant && !syllabic_le && !fire(3))
        }
        _ => 0,
    }
}

/// Inside a word, a piece like `some` in `some-thing` or `range` in `ar-range-ment` ends in a
/// silent `e`.
fn silent_final_e(piece: &[char]) -> usize {
    let n = piece.len();
    let syllabic = n >= 3 && matches!(piece[n - 2], 'l' | 'r') && is_consonant(piece[n - 3]);
    let earlier_vowel = n >= 3 && piece[..n - 2].iter().any(|&c| is_vowel(c));
    usize::from(
        n >= 3 && piece[n - 1] == 'e' && is_consonant(piece[n - 2]) && !syllabic && earlier_vowel,
    )
}

/// A silent `e` before a suffix the patterns did not cut off: `lately`, `safely`, `careful`.
fn silent_e_before_suffix(piece: &[char]) -> usize {
    for suffix in ["ly", "ment", "ments", "ful", "less", "ness"] {
        if ends_with(piece, suffix) {
            let stem = &piece[..piece.len() - suffix.chars().count()];
            if silent_final_e(stem) == 1 {
                return 1;
            }
        }
    }
    0
}

/// Common words the rules and patterns get wrong, with their dictionary counts.
const EXCEPTIONS: &[(&str, usize)] = &[
    ("acne", 2),
    ("business", 2),
    ("evening", 2),
    ("every", 2),
    ("everybody", 4),
    ("everyone", 3),
    ("everything", 3),
    ("everywhere", 3),
    ("maybe", 2),
    ("people", 2),
    ("really", 2),
    ("recipe", 3),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Words with their syllable counts in the CMU Pronouncing Dictionary (its first
    /// pronunciation, then the counts of the others it lists): patient-education vocabulary
    /// and the classic traps (silent endings, vowel pairs said apart, compounds).
    #[rustfmt::skip]
    const DICTIONARY: &[(&str, usize, &[usize])] = &[
        ("skin", 1, &[]), ("treatment", 2, &[]), ("needles", 2, &[]), ("collagen", 3, &[]),
        ("session", 2, &[]), ("sessions", 2, &[]), ("numbing", 2, &[]), ("cream", 1, &[]),
        ("anesthetic", 4, &[]), ("topical", 3, &[]), ("comfortable", 4, &[]),
        ("discomfort", 3, &[]), ("sandpaper", 3, &[]), ("pressure", 2, &[]), ("provider", 3, &[]),
        ("recovery", 3, &[4]), ("redness", 2, &[]), ("swelling", 2, &[]), ("tender", 2, &[]),
        ("results", 2, &[]), ("improve", 2, &[]), ("improvement", 3, &[]), ("gradually", 4, &[3]),
        ("visible", 3, &[]), ("months", 1, &[]), ("weeks", 1, &[]), ("texture", 2, &[]),
        ("wrinkles", 2, &[]), ("lines", 1, &[]), ("pores", 1, &[]), ("scars", 1, &[]),
        ("acne", 2, &[]), ("pigmentation", 4, &[]), ("sun", 1, &[]), ("damage", 2, &[]),
        ("stretch", 1, &[]), ("marks", 1, &[]), ("dull", 1, &[]), ("uneven", 3, &[]),
        ("candidate", 3, &[]), ("pregnant", 2, &[]), ("medication", 4, &[]), ("infection", 3, &[]),
        ("healing", 2, &[]), ("heal", 1, &[]), ("heals", 1, &[]), ("healed", 1, &[]),
        ("protein", 2, &[]), ("epidermis", 4, &[]), ("dermis", 2, &[]), ("layer", 2, &[]),
        ("layers", 2, &[]), ("surgery", 3, &[]), ("surgical", 3, &[]), ("procedure", 3, &[]),
        ("procedures", 3, &[]), ("cosmetic", 3, &[]), ("medical", 3, &[]), ("director", 3, &[]),
        ("reviewed", 2, &[]), ("appointment", 3, &[]), ("schedule", 2, &[]), ("location", 3, &[]),
        ("office", 2, &[]), ("parking", 2, &[]), ("hours", 2, &[1]), ("phone", 1, &[]),
        ("every", 3, &[2]), ("everyone", 3, &[]), ("people", 2, &[]), ("area", 3, &[]),
        ("areas", 3, &[]), ("idea", 3, &[]), ("ideas", 3, &[]), ("create", 2, &[]),
        ("created", 3, &[]), ("creates", 2, &[]), ("science", 2, &[]), ("being", 2, &[]),
        ("really", 2, &[]), ("table", 2, &[]), ("little", 2, &[]), ("simple", 2, &[]),
        ("apple", 2, &[]), ("make", 1, &[]), ("makes", 1, &[]), ("made", 1, &[]), ("used", 1, &[]),
        ("uses", 2, &[]), ("based", 1, &[]), ("wanted", 2, &[]), ("needed", 2, &[]),
        ("pages", 2, &[]), ("boxes", 2, &[]), ("times", 1, &[]), ("something", 2, &[]),
        ("sometimes", 2, &[]), ("lately", 2, &[]), ("safely", 2, &[]), ("careful", 2, &[]),
        ("movement", 2, &[]), ("statement", 2, &[]), ("completely", 3, &[]), ("business", 2, &[]),
        ("beautiful", 3, &[]), ("family", 3, &[2]), ("different", 3, &[2]), ("interest", 2, &[3]),
        ("usually", 4, &[3]), ("actually", 4, &[2, 3]), ("natural", 3, &[2]),
        ("naturally", 4, &[3]), ("quiet", 2, &[]), ("diet", 2, &[]), ("client", 2, &[]),
        ("patient", 2, &[]), ("patients", 2, &[]), ("ancient", 2, &[]), ("special", 2, &[]),
        ("material", 4, &[]), ("radio", 3, &[]), ("video", 3, &[]), ("media", 3, &[]),
        ("piano", 3, &[]), ("violet", 3, &[2]), ("fluid", 2, &[]), ("cruel", 2, &[1]),
        ("fluent", 2, &[]), ("continue", 3, &[]), ("value", 2, &[]), ("issue", 2, &[]),
        ("tissue", 2, &[]), ("tissues", 2, &[]), ("fire", 2, &[1]), ("hour", 2, &[1]),
        ("our", 2, &[1]), ("flower", 2, &[]), ("power", 2, &[]), ("evening", 2, &[]),
        ("experience", 4, &[]), ("experienced", 4, &[]), ("audience", 3, &[]), ("obvious", 3, &[]),
        ("serious", 3, &[]), ("previous", 3, &[]), ("various", 3, &[]), ("curious", 3, &[]),
        ("variety", 4, &[]), ("society", 4, &[]), ("anxiety", 4, &[]), ("smiled", 1, &[]),
        ("tired", 2, &[]), ("liked", 1, &[]), ("played", 1, &[]), ("stayed", 1, &[]),
        ("annoyed", 2, &[]), ("studied", 2, &[]), ("tried", 1, &[]), ("cookies", 2, &[]),
        ("recipe", 3, &[]), ("maybe", 2, &[]), ("yesterday", 3, &[]), ("orange", 2, &[]),
        ("vegetable", 3, &[]), ("chocolate", 2, &[]), ("interesting", 3, &[4]),
        ("temperature", 3, &[4]), ("separate", 3, &[2]), ("especially", 3, &[4]),
        ("probably", 3, &[2]), ("literally", 4, &[3]), ("basically", 3, &[]),
        ("automatically", 5, &[]),
    ];

    /// Accuracy on the word list; the figures are printed with `--nocapture`.
    #[test]
    fn counts_dictionary_words() {
        let agrees =
            |got: usize, first: usize, others: &[usize]| got == first || others.contains(&got);
        let misses: Vec<String> = DICTIONARY
            .iter()
            .filter(|(word, first, others)| !agrees(count(word), *first, others))
            .map(|(word, first, _)| format!("{word}: {} (dictionary {first})", count(word)))
            .collect();
        let percent = |hits: usize| 100.0 * hits as f64 / DICTIONARY.len() as f64;
        let accuracy = percent(DICTIONARY.len() - misses.len());
        let first_only = percent(
            DICTIONARY
                .iter()
                .filter(|(w, first, _)| count(w) == *first)
                .count(),
        );
        let rules_only = percent(
            DICTIONARY
                .iter()
                .filter(|(w, first, others)| agrees(count_by_rules(w), *first, others))
                .count(),
        );
        println!(
            "English syllables on {} words: {accuracy:.1}% agree with the dictionary ({first_only:.1}% with its first pronunciation; rules alone {rules_only:.1}%); misses: {misses:?}",
            DICTIONARY.len()
        );
        assert!(DICTIONARY.len() >= 150);
        assert!(accuracy >= 97.0, "{accuracy:.1}%: {misses:?}");
    }

    #[test]
    fn silent_and_sounded_endings() {
        for (word, expected) in [
            ("make", 1),
            ("table", 2),
            ("used", 1),
            ("needed", 2),
            ("makes", 1),
            ("pages", 2),
            ("played", 1),
        ] {
            assert_eq!(count(word), expected, "{word}");
        }
    }

    #[test]
    fn vowel_pairs_said_apart() {
        for (word, expected) in [
            ("create", 2),
            ("idea", 3),
            ("media", 3),
            ("great", 1),
            ("action", 2),
            ("actual", 3),
        ] {
            assert_eq!(count(word), expected, "{word}");
        }
    }

    #[test]
    fn initialisms_contractions_and_compounds() {
        assert_eq!(count("FDA"), 3);
        assert_eq!(count("isn't"), 2);
        assert_eq!(count("don’t"), 1);
        assert_eq!(count("post-surgical"), 4);
        assert_eq!(count("Collagen"), 3);
        assert_eq!(count("x"), 1);
    }
}
