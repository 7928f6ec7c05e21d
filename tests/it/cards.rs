//! Share cards: one 1200×630 PNG per page, in the page's language, named in its head, the
//! same bytes from every build (fixture `cards`, which uses the real theme: its head holds the
//! link-preview tags).

use std::path::{Path, PathBuf};

use crate::support::{Site, assert_contains, assert_lacks};

/// The reference renders, compared pixel for pixel. `BLESS_CARDS=1 cargo test --test it
/// cards` writes them again after an intended change to how cards look: then look at them.
const REFERENCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/cards");

/// The cards of the fixture: every page and section except the office, whose photo is its
/// share image.
const CARDS: &[&str] = &[
    "cards/es.png",
    "cards/es/tips.png",
    "cards/es/tips/does-it-hurt.png",
    "cards/index.png",
    "cards/tips.png",
    "cards/tips/does-it-hurt.png",
    "cards/tips/sessions.png",
];

const BACKGROUND: [u8; 3] = [0x0c, 0x3b, 0x45];

fn built() -> Site {
    let site = Site::fixture("cards");
    site.build(&[]);
    site
}

fn card_files(site: &Site, output: &str) -> Vec<String> {
    site.files(output)
        .into_iter()
        .filter(|f| f.starts_with("cards/"))
        .collect()
}

fn decode(path: &Path) -> image::RgbImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{} is not an image: {e}", path.display()))
        .to_rgb8()
}

#[test]
fn every_page_without_a_photo_gets_a_1200_by_630_png_of_at_most_60_kb() {
    let site = built();
    assert_eq!(card_files(&site, "public"), CARDS);
    for card in CARDS {
        let path = site.path(&format!("public/{card}"));
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{card} is not a PNG"
        );
        assert!(bytes.len() <= 60 * 1024, "{card} is {} bytes", bytes.len());
        assert_eq!(decode(&path).dimensions(), (1200, 630), "{card}");
    }
    assert!(!site.exists("public/cards/tips/office.png"));
}

#[test]
fn cards_show_the_title_as_the_reference_renders_do() {
    let site = built();
    for (card, reference) in [
        ("cards/tips/does-it-hurt.png", "does-it-hurt.en.png"),
        ("cards/es/tips/does-it-hurt.png", "does-it-hurt.es.png"),
        ("cards/tips/sessions.png", "sessions.en.png"),
    ] {
        let file = site.path(&format!("public/{card}"));
        let actual = decode(&file);
        // Text is drawn where the title goes: not a blank card.
        let title_box = (80..1120)
            .flat_map(|x| (170..560).map(move |y| (x, y)))
            .filter(|&(x, y)| actual.get_pixel(x, y).0 != BACKGROUND)
            .count();
        assert!(title_box > 20_000, "{card}: {title_box} pixels of text");
        assert_matches_reference(&file, &actual, reference);
    }
}

/// The pixels of the card (decoded from `file`) are those of the reference render.
fn assert_matches_reference(file: &Path, actual: &image::RgbImage, reference: &str) {
    let path = PathBuf::from(REFERENCES).join(reference);
    if std::env::var_os("BLESS_CARDS").is_some() {
        std::fs::create_dir_all(REFERENCES).unwrap();
        std::fs::copy(file, &path).unwrap();
        return;
    }
    let expected = decode(&path);
    let differ = actual
        .pixels()
        .zip(expected.pixels())
        .filter(|(a, b)| a != b)
        .count();
    if differ > 0 {
        let seen = std::env::temp_dir().join(format!("actual-{reference}"));
        actual.save(&seen).unwrap();
        panic!(
            "{differ} pixels differ from {} (this build's card: {})",
            path.display(),
            seen.display()
        );
    }
}

#[test]
fn the_spanish_card_says_its_own_words() {
    let site = built();
    let english = decode(&site.path("public/cards/tips/does-it-hurt.png"));
    let spanish = decode(&site.path("public/cards/es/tips/does-it-hurt.png"));
    let differ = english
        .pixels()
        .zip(spanish.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert!(differ > 5_000, "only {differ} pixels differ");
}

#[test]
fn the_page_head_names_its_card_with_its_size_and_words() {
    let site = built();
    let english = site.read("public/tips/does-it-hurt/index.html");
    for tag in [
        r#"<meta property="og:image" content="https://www.example.org/cards/tips/does-it-hurt.png">"#,
        r#"<meta property="og:image:width" content="1200">"#,
        r#"<meta property="og:image:height" content="630">"#,
        r#"<meta property="og:image:alt" content="Does microneedling hurt? — Test Clinic">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
    ] {
        assert_contains(&english, tag);
    }
    let spanish = site.read("public/es/tips/does-it-hurt/index.html");
    assert_contains(
        &spanish,
        r#"<meta property="og:image" content="https://www.example.org/cards/es/tips/does-it-hurt.png">"#,
    );
    assert_contains(
        &spanish,
        r#"<meta property="og:image:alt" content="¿Duele el microneedling? — Clínica de Prueba">"#,
    );
    // The home page's title is the clinic's name: said once.
    assert_contains(
        &site.read("public/index.html"),
        r#"<meta property="og:image:alt" content="Test Clinic">"#,
    );
}

#[test]
fn a_page_with_a_photo_shares_the_photo_instead() {
    let site = built();
    let office = site.read("public/tips/office/index.html");
    assert_contains(
        &office,
        r#"<meta property="og:image" content="https://www.example.org/tips/office/front.png">"#,
    );
    assert_contains(&office, r#"<meta property="og:image:width" content="192">"#);
    assert_contains(
        &office,
        r#"<meta property="og:image:alt" content="The front door of our office">"#,
    );
    assert_lacks(&office, "cards/");
}

#[test]
fn cards_are_the_same_bytes_from_every_build_thread_count_and_an_empty_cache() {
    let site = built();
    let first: Vec<Vec<u8>> = CARDS
        .iter()
        .map(|c| std::fs::read(site.path(&format!("public/{c}"))).unwrap())
        .collect();
    std::fs::remove_dir_all(site.path(".clinicsite-cache")).unwrap();
    let output = site.tmp().join("one-thread");
    let output_arg = output.to_string_lossy();
    let run = site.run_with(
        &site.root,
        &[("RAYON_NUM_THREADS", "1")],
        &["build", "--output-dir", &output_arg],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    for (card, bytes) in CARDS.iter().zip(&first) {
        assert!(
            std::fs::read(output.join(card)).unwrap() == *bytes,
            "{card} differs after the cache was deleted, with one thread"
        );
    }
}

#[test]
fn a_changed_title_redraws_its_card_and_the_cache_keeps_only_cards_in_use() {
    let site = built();
    let cached = || site.files(".clinicsite-cache/cards");
    let before = cached();
    // One card per page, and the index.
    assert_eq!(before.len(), CARDS.len() + 1, "{before:?}");
    let old = std::fs::read(site.path("public/cards/tips/does-it-hurt.png")).unwrap();
    let other = std::fs::read(site.path("public/cards/tips/sessions.png")).unwrap();

    site.write(
        "content/tips/does-it-hurt.md",
        "---\ntitle: Is microneedling painful?\n---\nMost people say it feels like light sandpaper.\n",
    );
    site.build(&[]);
    let new = std::fs::read(site.path("public/cards/tips/does-it-hurt.png")).unwrap();
    assert!(new != old, "the card still shows the old title");
    assert!(std::fs::read(site.path("public/cards/tips/sessions.png")).unwrap() == other);
    let after = cached();
    assert_eq!(
        after.len(),
        before.len(),
        "the old card is not removed: {after:?}"
    );
}

#[test]
fn a_theme_without_share_cards_gets_no_cards() {
    // The test theme does not ask for cards.
    let site = Site::fixture("bilingual");
    site.build(&[]);
    assert!(card_files(&site, "public").is_empty());
    assert!(!site.exists(".clinicsite-cache/cards"));
}
