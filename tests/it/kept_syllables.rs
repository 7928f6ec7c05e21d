//! The English syllable counts `build` keeps in `.clinicsite-cache/syllables` (see
//! `check::syllables_kept`): whatever the file holds (nothing, the counts of an earlier build,
//! damaged bytes, fewer words than the pages now use), the gate finds exactly what a build
//! that counts every word afresh finds.

use crate::support::{Site, assert_contains};

const KEPT: &str = ".clinicsite-cache/syllables";
const FINDINGS: &str = ".clinicsite-cache/findings";
const HARD: &str = "content/hard.md";

/// The reading-level fixture, with the pages above the target shown too (as errors), so
/// every score is in the build's output.
fn site() -> Site {
    let site = Site::fixture("check_readability");
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\ncheck:\n  rules: { readability/above-target: error }\n",
    );
    site
}

/// The gate's findings: `build`'s stderr, as it stops on them.
#[track_caller]
fn findings(site: &Site) -> String {
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    run.stderr
}

/// Every page checked anew, its words counted afresh: no cache at all.
fn fresh(site: &Site) -> String {
    let _ = std::fs::remove_dir_all(site.path(".clinicsite-cache"));
    findings(site)
}

/// Every page checked anew, its words counted from the kept counts where they are there.
fn from_kept(site: &Site) -> String {
    site.remove(FINDINGS);
    findings(site)
}

#[test]
fn kept_counts_find_what_fresh_counts_find() {
    let site = site();
    let cold = fresh(&site);
    assert_contains(
        &cold,
        "error[readability/too-hard]: this page reads at grade 18.2, above the limit of grade 8\n",
    );
    assert_contains(
        &cold,
        "error[readability/above-target]: this page reads at grade 7.2; the target is grade 6 or lower\n",
    );
    let kept = std::fs::read(site.path(KEPT)).expect("the counts are kept");
    assert_contains(&String::from_utf8_lossy(&kept), "microinjuries");

    // Warm: every word was counted before, and the file is not written again.
    assert_eq!(from_kept(&site), cold);
    assert_eq!(std::fs::read(site.path(KEPT)).expect("still there"), kept);

    // Damaged, cut short or emptied: the words are counted anew and kept again.
    let mut flipped = kept.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x20;
    for bytes in [flipped, kept[..kept.len() / 2].to_vec(), Vec::new()] {
        std::fs::write(site.path(KEPT), &bytes).expect("written");
        assert_eq!(from_kept(&site), cold);
        assert_eq!(std::fs::read(site.path(KEPT)).expect("kept again"), kept);
    }
}

#[test]
fn new_words_are_counted_and_kept_as_fresh_counts_find_them() {
    let site = site();
    let cold = fresh(&site);
    let before = std::fs::read(site.path(KEPT)).expect("the counts are kept");
    let text = site.read(HARD).replace(
        "Your skin heals.",
        "Dermatologists recommend photoprotection afterwards. Your skin heals.",
    );
    site.write(HARD, &text);
    // Only the edited page is checked: its new words are counted and added to the others.
    let edited = findings(&site);
    assert_ne!(edited, cold, "the new sentence changes the page's grade");
    let after = std::fs::read(site.path(KEPT)).expect("the counts are kept");
    assert!(after.len() > before.len());
    assert_contains(&String::from_utf8_lossy(&after), "photoprotection");
    assert_contains(&String::from_utf8_lossy(&after), "microinjuries");
    assert_eq!(from_kept(&site), edited);
    assert_eq!(fresh(&site), edited);
}
