use std::sync::Arc;

use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn formulas_use_the_published_constants() {
    let counts = Counts {
        words: 100,
        sentences: 5,
        syllables: 140,
    };
    // 0.39 × 20 + 11.8 × 1.4 − 15.59
    assert!(close(flesch_kincaid_grade(counts), 8.73));
    // 206.835 − 62.3 × 1.4 − 20
    assert!(close(szigriszt_pazos(counts), 99.615));
    assert_eq!(inflesz_band(54.9), "somewhat difficult");
    assert_eq!(inflesz_band(55.0), "normal");
    assert_eq!(inflesz_band(39.0), "very difficult");
}

/// "The cat sat on the mat.": 6 words, 6 syllables, one sentence: grade −1.45, the usual
/// textbook example.
#[test]
fn the_cat_sat_on_the_mat() {
    let reading = measure(
        &["The cat sat on the mat."],
        Language::English,
        &mut SyllableCache::default(),
    );
    assert_eq!(
        reading.counts,
        Counts {
            words: 6,
            sentences: 1,
            syllables: 6
        }
    );
    assert!(close(reading.score, -1.45), "{}", reading.score);
}

/// A patient-education passage counted by hand against the CMU dictionary: 2 sentences,
/// 14 words, 19 syllables: grade 0.39 × 7 + 11.8 × 19/14 − 15.59 = 3.15.
#[test]
fn english_passage_with_known_counts() {
    let reading = measure(
        &["We put a numbing cream on your skin. Most people feel only mild discomfort."],
        Language::English,
        &mut SyllableCache::default(),
    );
    assert_eq!(
        reading.counts,
        Counts {
            words: 14,
            sentences: 2,
            syllables: 19
        }
    );
    assert!(close(reading.score, 3.154), "{}", reading.score);
}

/// A long sentence from the clinic's source material, counted by hand: 1 sentence,
/// 32 words, 63 syllables: grade 0.39 × 32 + 11.8 × 63/32 − 15.59 = 20.12.
#[test]
fn hard_english_sentence_with_known_counts() {
    let text = "A secondary benefit of microneedling is that it enables your medical aesthetician to apply various topical gels, serums, or creams, and they can efficiently penetrate through the epidermis through the tiny punctures.";
    let reading = measure(&[text], Language::English, &mut SyllableCache::default());
    assert_eq!(
        reading.counts,
        Counts {
            words: 32,
            sentences: 1,
            syllables: 63
        }
    );
    assert!(close(reading.score, 20.12), "{}", reading.score);
}

/// Spanish counted by hand: "El sol sale." (3 words, 4 syllables) "La piel se cura sola."
/// (5 words, 7 syllables): 206.835 − 62.3 × 11/8 − 4 = 117.17.
#[test]
fn spanish_passage_with_known_counts() {
    let reading = measure(
        &["El sol sale. La piel se cura sola."],
        Language::Spanish,
        &mut SyllableCache::default(),
    );
    assert_eq!(
        reading.counts,
        Counts {
            words: 8,
            sentences: 2,
            syllables: 11
        }
    );
    assert!(close(reading.score, 117.1725), "{}", reading.score);
}

/// A harder Spanish passage counted by hand: "La microaguja estimula la producción de
/// colágeno en la dermis." Syllables la 1, mi-cro-a-gu-ja 5, es-ti-mu-la 4, la 1,
/// pro-duc-ción 3, de 1, co-lá-ge-no 4, en 1, la 1, der-mis 2 = 23 (10 words), one sentence:
/// 206.835 − 62.3 × 23/10 − 10 = 53.54, "somewhat difficult".
#[test]
fn harder_spanish_sentence() {
    let reading = measure(
        &["La microaguja estimula la producción de colágeno en la dermis."],
        Language::Spanish,
        &mut SyllableCache::default(),
    );
    assert_eq!(
        reading.counts,
        Counts {
            words: 10,
            sentences: 1,
            syllables: 23
        }
    );
    assert!(close(reading.score, 53.545), "{}", reading.score);
    assert_eq!(inflesz_band(reading.score), "somewhat difficult");
}

/// `measure` as plainly as it can be written: sentences from `split_sentences`, then
/// the words of each from `words`.
fn plain_measure(blocks: &[&str], language: Language) -> Reading {
    let cache = &mut SyllableCache::default();
    let mut counts = Counts::default();
    let mut all = Vec::new();
    for (block, text) in blocks.iter().enumerate() {
        for range in split_sentences(text) {
            let mut sentence = Counts {
                sentences: 1,
                ..Counts::default()
            };
            for word in words(&text[range.clone()]) {
                sentence.words += 1;
                sentence.syllables += language.syllables(word);
            }
            counts.add(sentence);
            let sentence_text = &text[range.clone()];
            all.push(Sentence {
                block,
                text: sentence_text.to_string(),
                counts: sentence,
                score: score(sentence, language),
                long_words: long_words(sentence_text, language, cache),
                range,
            });
        }
    }
    let harder = |s: &Sentence| match language {
        Language::English => s.score,
        Language::Spanish => -s.score,
    };
    all.sort_by(|a, b| {
        harder(b)
            .total_cmp(&harder(a))
            .then((a.block, a.range.start).cmp(&(b.block, b.range.start)))
    });
    all.truncate(HARDEST);
    Reading {
        language,
        counts,
        score: score(counts, language),
        sentences: all,
    }
}

const VOCABULARY: &[&str] = &[
    "Microneedling",
    "creates",
    "tiny",
    "channels",
    "collagen",
    "pregnant",
    "don't",
    "FDA",
    "Dr",
    "e.g",
    "J",
    "4-6",
    "microagujas",
    "colágeno",
    "también",
    "ciudad",
    "¿Duele",
    "qué",
    "producción",
    "piel",
    "y",
    "“painless”",
    "(weeks)",
    ".",
    ",",
    "!",
    "?",
    "…",
    "/",
    "—",
    " ",
    " ",
    " ",
    "\n",
    "\u{a0}",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
    /// The one-walk `measure`, with its shared syllable cache, scores exactly as the plain
    /// one does.
    #[test]
    fn measure_agrees_with_the_plain_version(
        blocks in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(VOCABULARY), 0..30),
            0..4,
        ),
        spanish in proptest::bool::ANY,
    ) {
        let language = if spanish { Language::Spanish } else { Language::English };
        let blocks: Vec<String> = blocks.iter().map(|b| b.concat()).collect();
        let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
        let cache = &mut SyllableCache::default();
        // Twice: the second time every word comes from the cache.
        let plain = plain_measure(&blocks, language);
        proptest::prop_assert_eq!(&measure(&blocks, language, cache), &plain);
        proptest::prop_assert_eq!(&measure(&blocks, language, cache), &plain);
        // The gate's counts alone are the same.
        let (counts, score) = count(&blocks, language, cache);
        proptest::prop_assert_eq!(counts, plain.counts);
        proptest::prop_assert_eq!(score.to_bits(), plain.score.to_bits());
    }
}

proptest::proptest! {
    /// A word's number is its bytes, then zeros.
    #[test]
    fn packed_words_are_their_bytes(
        chars in proptest::collection::vec(
            proptest::sample::select(&['a', 'z', 'ñ', 'é', '0', '\'', '-'][..]),
            0..18,
        ),
    ) {
        let word: String = chars.into_iter().collect();
        let plain = (word.len() <= 16).then(|| {
            let mut key = [0u8; 16];
            key[..word.len()].copy_from_slice(word.as_bytes());
            u128::from_le_bytes(key)
        });
        proptest::prop_assert_eq!(packed(&word), plain);
    }
}

proptest::proptest! {
    /// Counts from the cache, in both languages through one cache and in any order,
    /// are the counters' own, for words of every length (those of 16 bytes and more
    /// are never among the words seen last).
    #[test]
    fn cached_counts_are_the_counters(
        words in proptest::collection::vec(
            (proptest::sample::select(VOCABULARY), 0..4usize, proptest::bool::ANY),
            0..60,
        ),
    ) {
        let cache = &mut SyllableCache::default();
        for (word, repeat, spanish) in words {
            let word = word.repeat(repeat + 1);
            let word = word.trim();
            let language = if spanish { Language::Spanish } else { Language::English };
            proptest::prop_assert_eq!(cache.count(language, word), language.syllables(word));
        }
    }
}

#[test]
fn hardest_sentences_come_first_with_their_long_words() {
    let reading = measure(
        &["Skin heals. Collagen production gradually diminishes with advancing age."],
        Language::English,
        &mut SyllableCache::default(),
    );
    assert_eq!(
        reading.sentences[0].text,
        "Collagen production gradually diminishes with advancing age."
    );
    assert_eq!(reading.sentences[0].long_words[0], "gradually");
    assert_eq!(reading.sentences[1].text, "Skin heals.");
}

/// The readability counts, and the hardest sentences with their long words, are the same
/// with the counts kept, cold or warm, as counted afresh.
#[test]
fn readings_with_kept_counts_equal_fresh_ones() {
    let blocks = [
        "Microneedling creates tiny channels in the skin. Collagen and elastin rebuild the \
         dermis over several months; hyperpigmentation fades gradually.",
        "Isn't it uncomfortable? Most patients describe a post-surgical, sandpaper-like \
         feeling, and the FDA-cleared devices are electrocauterizing nothing.",
    ];
    let fresh = measure(&blocks, Language::English, &mut SyllableCache::default());
    let fresh_count = count(&blocks, Language::English, &mut Default::default());
    let root = tempfile::tempdir().expect("a temporary folder");
    for _ in ["cold", "warm"] {
        let kept = Arc::new(KeptSyllables::new(root.path()));
        let cache = &mut SyllableCache::keeping(Arc::clone(&kept));
        assert_eq!(measure(&blocks, Language::English, cache), fresh);
        let cache = &mut SyllableCache::keeping(Arc::clone(&kept));
        assert_eq!(count(&blocks, Language::English, cache), fresh_count);
        kept.save();
    }
    // Spanish is counted by its own rules, never kept.
    let spanish = ["La piel se cura sola."];
    let root = tempfile::tempdir().expect("a temporary folder");
    let kept = Arc::new(KeptSyllables::new(root.path()));
    let cache = &mut SyllableCache::keeping(Arc::clone(&kept));
    assert_eq!(
        count(&spanish, Language::Spanish, cache),
        count(&spanish, Language::Spanish, &mut Default::default())
    );
    kept.save();
    assert!(
        !root
            .path()
            .join(super::super::syllables_kept::FILE)
            .exists()
    );
}
