use super::defaults::claim;
use super::*;

/// Where the phrases of a one-claim list are found in `text`.
fn matches(text: &str, phrases: &[&str]) -> Vec<(usize, String)> {
    let claims = Claims::new(vec![claim(Code::ClaimsCustom, phrases, "r", ("i", "i"))]);
    claims
        .scan(text)
        .claims
        .into_iter()
        .map(|(at, _, p)| (at, p.to_string()))
        .collect()
}

#[test]
fn whole_words_in_any_case() {
    let found = matches(
        "Is it Painless? No pain, 100% sure. Painlessly best-in-class",
        &["painless", "no pain", "100%", "best"],
    );
    let found: Vec<(usize, &str)> = found.iter().map(|(at, p)| (*at, p.as_str())).collect();
    assert_eq!(
        found,
        [(6, "painless"), (16, "no pain"), (25, "100%"), (47, "best")]
    );
}

#[test]
fn pain_alone_and_longer_words_are_not_claims() {
    let list = ["painless", "no pain", "cure", "best"];
    let found = matches(
        "Some pain is normal. Secure your bestseller. It can procure a cure-all.",
        &list,
    );
    assert_eq!(found, [(62, "cure".to_string())]);
    assert!(matches("There is pain, but no painkiller is needed.", &list).is_empty());
}

/// Phrases are found through their anchors in any case, with accents, of several words;
/// results shown or said to vary too.
#[test]
fn anchors_miss_no_phrase() {
    let claims = list(&CheckSettings::default());
    let found = |text: &str| {
        let scan = claims.scan(text);
        let phrases: Vec<&str> = scan.claims.iter().map(|(_, _, p)| *p).collect();
        (phrases, scan.shows.is_some(), scan.varies)
    };
    assert_eq!(found("Es SIN DOLOR."), (vec!["sin dolor"], false, false));
    assert_eq!(
        found("FDA-Approved, 100 Percent!"),
        (vec!["fda-approved", "100 percent"], false, false)
    );
    assert_eq!(
        found("Fotos de Antes y después. Los resultados varían."),
        (vec![], true, true)
    );
    assert_eq!(found("Before & After"), (vec![], true, false));
    assert_eq!(found("Soft skin, gentle care."), (vec![], false, false));
}

/// Pieces of texts: phrases of several words, the words of phrases, words that hold
/// them, other words, and what stands between words.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "Painless", "NO", "pain", "Risk", "free", "FREE", "100", "%", "percent", "best", "el",
    "MEJOR", "más", "Seguro", "FDA", "approved", "by", "the", "before", "AND", "after",
    "&", "Testimonials", "antes", "y", "DESPUÉS", "Results", "vary", "may", "resultados",
    "varían", "sin", "dolor", "tiempo", "de", "recuperación", "cure", "secure", "down",
    "time", "Guaranteed", "garantizadas", "permanentes", "without", "zero", "downtime",
    "skin", " ", " ", " ", "-", "/", ".", ",", "\n", "É", "no pain", "NO RISK",
    "pain free", "Results May Vary", "before & after", "Before/After", "antes y DESPUÉS",
    "sin tiempo de recuperación", "approved by the FDA", "el más seguro", "100 Percent",
    "Miracle cure", "Ñoño total", "resultados pueden variar", "zero downtime",
    "without risk", "#1", "x", "no risks", "Risk-Free", "FDA-approved", "permanently",
    "cures", "safest", "testimonio", "garantizado", "painlessly", "ñoño", "ÑOÑO",
];

/// The default list with one phrase of the site's own each (one starting with a mark,
/// one of a letter, one not in ASCII), made once for the cases below.
static LISTS: std::sync::LazyLock<Vec<Claims>> = std::sync::LazyLock::new(|| {
    ["miracle cure", "#1", "x", "Ñoño total"]
        .into_iter()
        .map(|phrase| {
            let mut settings = CheckSettings::default();
            settings.claims_add = vec![super::super::settings::CustomClaim {
                phrase: phrase.into(),
                reason: "r".into(),
                instead: "i".into(),
            }];
            list(&settings)
        })
        .collect()
});

/// What an automaton of every phrase finds in `text` (the search as plainly as it can be
/// written): (start, claim phrase) of the claims, the words that show results, and whether
/// results are said to vary.
fn plain_scan(
    claims: &Claims,
    text: &str,
) -> (Vec<(usize, String)>, Option<std::ops::Range<usize>>, bool) {
    let all: Vec<&str> = claims
        .patterns
        .iter()
        .map(|&(c, p)| claims.claims[c].phrases[p].as_str())
        .chain(SHOWS_RESULTS.iter().chain(RESULTS_VARY).copied())
        .collect();
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&all)
        .expect("an automaton");
    let mut found: Vec<(usize, String)> = Vec::new();
    let (mut shows, mut varies) = (None, false);
    for hit in automaton.find_overlapping_iter(text) {
        let pattern = hit.pattern().as_usize();
        if pattern >= claims.patterns.len() {
            if pattern >= claims.patterns.len() + SHOWS_RESULTS.len() {
                varies = true;
            } else if shows.is_none() {
                shows = Some(hit.range());
            }
            continue;
        }
        let phrase = all[pattern];
        if !whole_words(text, hit.start(), phrase) {
            continue;
        }
        match found.iter_mut().find(|(at, _)| *at == hit.start()) {
            Some(same) if same.1.len() < phrase.len() => *same = (hit.start(), phrase.to_string()),
            Some(_) => {}
            None => found.push((hit.start(), phrase.to_string())),
        }
    }
    found.sort_by_key(|(at, _)| *at);
    (found, shows, varies)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// The search through anchors finds what an automaton of every phrase finds.
    #[test]
    fn the_search_through_anchors_finds_every_phrase(
        pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..12),
        list in 0..4usize,
    ) {
        let text = pieces.concat();
        let claims = &LISTS[list];
        let scan = claims.scan(&text);
        let found: Vec<(usize, String)> =
            scan.claims.iter().map(|(at, _, p)| (*at, p.to_string())).collect();
        proptest::prop_assert_eq!((found, scan.shows, scan.varies), plain_scan(claims, &text), "{:?}", text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    /// One search over a page's texts finds in each what a search of it alone finds.
    #[test]
    fn one_search_over_many_texts_finds_what_each_search_finds(
        texts in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(PIECES), 0..6),
            0..6,
        ),
        list in 0..4usize,
    ) {
        let texts: Vec<String> = texts.iter().map(|t| t.concat()).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let claims = &LISTS[list];
        let seen = |scan: &Scan| {
            let found: Vec<(usize, String)> =
                scan.claims.iter().map(|(at, _, p)| (*at, p.to_string())).collect();
            (found, scan.shows.clone(), scan.varies)
        };
        // A text left out found nothing; the others come once each, in order.
        let scans = claims.scan_all(&texts);
        let places: Vec<usize> = scans.iter().map(|(at, _)| *at).collect();
        proptest::prop_assert!(places.windows(2).all(|w| w[0] < w[1]), "{:?}", places);
        let mut all = vec![(Vec::new(), None, false); texts.len()];
        for (at, scan) in &scans {
            all[*at] = seen(scan);
        }
        let each: Vec<_> = texts.iter().map(|t| seen(&claims.scan(t))).collect();
        proptest::prop_assert_eq!(all, each, "{:?}", texts);
    }
}

#[test]
fn anchors_are_one_word_of_each_phrase() {
    assert_eq!(
        anchors(&[
            "painless",
            "no pain",
            "pain-free",
            "fda approved",
            "100%",
            "el más seguro"
        ]),
        ["pain", "100%", "seguro", "approved"]
    );
    // A word most pages use is an anchor only for a phrase of no other word.
    assert_eq!(
        anchors(&["results will vary", "resultados pueden variar", "results"]),
        ["vary", "variar", "results"]
    );
    // Nor is one that starts like such a word (`with`).
    assert_eq!(anchors(&["without risk", "without"]), ["risk", "without"]);
}

#[test]
fn sites_trim_and_extend_the_list() {
    let mut settings = CheckSettings::default();
    settings.claims_remove = vec!["best".into()];
    settings.claims_add = vec![super::super::settings::CustomClaim {
        phrase: "Miracle".into(),
        reason: "r".into(),
        instead: "i".into(),
    }];
    let claims = list(&settings);
    let rules = |text: &str| {
        claims
            .scan(text)
            .claims
            .iter()
            .map(|(_, c, _)| c.rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rules("The best, a miracle, the safest."),
        [Code::ClaimsCustom, Code::ClaimsSuperlative]
    );
}

#[test]
fn anchors_that_overlap_in_the_text_are_all_found() {
    assert_eq!(
        matches("Ab%cd", &["ab%", "%cd"]),
        [(0, "ab%".to_string()), (2, "%cd".to_string())]
    );
}

#[test]
fn what_to_write_instead_is_safe_to_write_in_both_languages() {
    let claims = list(&CheckSettings::default());
    for claim in defaults() {
        let spanish = claim.instead_in("es");
        assert_ne!(spanish, claim.instead, "{claim:?} has no Spanish words");
        for text in [claim.instead.as_str(), spanish] {
            assert!(claims.scan(text).claims.is_empty(), "{text} is a claim");
        }
    }
    for language in ["en", "es"] {
        assert!(claims.scan(results_vary_in(language)).varies);
    }
}
