use super::*;

/// Short and long words, the counter's special cases among them: an initialism, a
/// contraction, a compound, a word of 16 bytes and words past it, letters outside ASCII.
const WORDS: &[&str] = &[
    "skin",
    "treatment",
    "microneedling",
    "FDA",
    "isn't",
    "don’t",
    "post-surgical",
    "Collagen",
    "uncomfortableness",
    "hyperpigmentation",
    "dermatologist-recommended",
    "electrocauterizing",
    "anesthetic",
    "naïve",
    "café",
    "x",
];

fn site() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Each word's count through `kept`, checked against the counter's.
fn count_all(kept: &KeptSyllables, words: &[&str]) {
    for word in words {
        assert_eq!(kept.count(word), syllables_en::count(word), "{word}");
    }
}

#[test]
fn kept_counts_are_the_counters_own() {
    let root = site();
    let cold = KeptSyllables::new(root.path());
    count_all(&cold, WORDS);
    cold.save();
    let table = Table::read(&root.path().join(FILE));
    for word in WORDS {
        let counted = u8::try_from(syllables_en::count(word)).ok();
        assert_eq!(table.get(word), counted, "{word}");
    }
    // Read back, every word is found and nothing is new: the file is not written again.
    let warm = KeptSyllables::new(root.path());
    count_all(&warm, WORDS);
    let fresh = warm.fresh.lock().expect("not poisoned");
    assert!(fresh.rows.is_empty() && fresh.long.is_empty());
}

#[test]
fn new_words_are_added_to_the_words_kept() {
    let root = site();
    let (first, second) = WORDS.split_at(7);
    let kept = KeptSyllables::new(root.path());
    count_all(&kept, first);
    kept.save();
    let kept = KeptSyllables::new(root.path());
    count_all(&kept, second);
    count_all(&kept, first);
    kept.save();
    let table = Table::read(&root.path().join(FILE));
    for word in WORDS {
        assert!(table.get(word).is_some(), "{word} is kept");
    }
    assert_eq!(table.get("needles"), None);
}

#[test]
fn a_damaged_missing_or_outdated_file_means_counting_anew() {
    let root = site();
    let path = root.path().join(FILE);
    let kept = KeptSyllables::new(root.path());
    count_all(&kept, WORDS);
    kept.save();
    let good = std::fs::read(&path).expect("the counts were kept");
    let mut flipped = good.clone();
    let last = flipped.len() - 2;
    flipped[last] ^= 0x01;
    let other_version = crate::cache_format::encode(
        "syllables 1 / hyphenation 0.8.3 en-us / counter 0",
        &File {
            rows: Raw(&[]),
            long: vec![("hyperpigmentation", 1)],
        },
    )
    .expect("encoded");
    let damaged: Vec<Vec<u8>> = vec![
        flipped,
        good[..good.len() / 2].to_vec(),
        b"not a record".to_vec(),
        Vec::new(),
        other_version,
    ];
    for bytes in damaged {
        std::fs::write(&path, &bytes).expect("written");
        assert!(Table::read(&path).rows.is_empty());
        let kept = KeptSyllables::new(root.path());
        count_all(&kept, WORDS);
        kept.save();
        assert_eq!(std::fs::read(&path).expect("written again"), good);
    }
    std::fs::remove_file(&path).expect("removed");
    count_all(&KeptSyllables::new(root.path()), WORDS);
}

#[test]
fn rows_out_of_order_are_not_read() {
    let root = site();
    let path = root.path().join(FILE);
    let mut rows = Table::default();
    rows.push("skin", 1);
    rows.push("face", 1);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("made");
    let file = File {
        rows: Raw(&rows.rows),
        long: Vec::new(),
    };
    let always = crate::atomic_file::When::Always;
    crate::cache_format::save(&path, always, &version(), &file).expect("written");
    assert!(Table::read(&path).rows.is_empty());
    let file = File {
        rows: Raw(&rows.sorted().rows),
        long: Vec::new(),
    };
    crate::cache_format::save(&path, always, &version(), &file).expect("written");
    assert_eq!(Table::read(&path).get("face"), Some(1));
}

#[test]
fn merged_tables_stay_sorted_with_each_word_once() {
    let mut old = Table::default();
    for word in ["b", "d", "f"] {
        old.push(word, 1);
    }
    let mut new = Table::default();
    for word in ["g", "a", "e", "a", "uncomfortableness-free"] {
        new.push(word, 2);
    }
    let merged = old.sorted().merged(&new.sorted());
    let words: Vec<u128> = merged.rows.chunks_exact(ROW).map(key).collect();
    let expected: Vec<u128> = ["a", "b", "d", "e", "f", "g"]
        .iter()
        .filter_map(|w| short_key(w))
        .collect();
    assert_eq!(words, expected);
    assert_eq!(merged.long.len(), 1);
    assert_eq!(merged.get("e"), Some(2));
    assert_eq!(merged.get("d"), Some(1));
    assert_eq!(merged.get("c"), None);
}

/// The file's version names the patterns' crates at the versions the build uses.
#[test]
fn the_version_names_the_patterns_in_cargo_lock() {
    let lock = include_str!("../../../Cargo.lock");
    for name in ["hyphenation", "hyphenation_commons"] {
        let entry = format!("name = \"{name}\"\nversion = \"");
        let at = lock.find(&entry).expect("the crate is locked") + entry.len();
        let version = &lock[at..].split('"').next().expect("a version");
        assert!(
            PATTERNS.contains(&format!("{name} {version}")),
            "{PATTERNS} must name {name} {version}"
        );
    }
}
