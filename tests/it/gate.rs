//! `build` stops on what `check` rates as an error (an FAQ without review, the sample text
//! `new faq` writes, risky claims, images without alt text, …): every deploy runs `build`, so
//! nothing of it reaches patients even when nobody runs `check`. Warnings are counted in the
//! summary line. Each failing case: exit status 1, the message, `public/` untouched.

use crate::failures::{built, fails};
use crate::support::{Site, assert_contains, assert_lacks};

const PAIN: &str = "content/faq/pain.md";
const UNREVIEWED: &str = "---\ntitle: Does it hurt?\ncategory: Comfort\n---\n## Numbing cream\n";

#[test]
fn an_faq_entry_without_a_review_stops_the_build() {
    let (site, before) = built();
    site.write(PAIN, UNREVIEWED);
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[review/missing]: this answer has no medical review yet: no reviewer and no date\n --> content/faq/pain.md:1:1\n",
    );
    assert_contains(
        &stderr,
        "help: after the medical review, record it: `clinicsite review content/faq/pain.md --by \"Medical Director\"` (with the reviewer's name)\n",
    );
    assert_contains(
        &stderr,
        "The build stopped: 1 error. Nothing in public was changed.",
    );
}

#[test]
fn site_yaml_can_make_a_missing_review_a_warning() {
    let site = Site::fixture("breakable");
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\ncheck:\n  rules: { review/missing: warning }\n",
    );
    site.write(PAIN, UNREVIEWED);
    let run = site.build(&[]);
    assert_contains(&run.stdout, " 6 warnings: run `clinicsite check`.\n");
    assert!(site.exists("public/faq/pain/index.html"));
}

#[test]
fn the_sample_text_of_new_faq_stops_the_build_once_it_is_no_draft() {
    let (site, _) = built();
    let run = site.run(&["new", "faq", "How long does it take?"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // A draft is still being written: it is not published, and not checked.
    site.build(&[]);
    assert!(!site.exists("public/faq/how-long-does-it-take/index.html"));
    let before = site.fingerprint("public");

    let draft = site.read("content/faq/how-long-does-it-take.md");
    site.write(
        "content/faq/how-long-does-it-take.md",
        &draft.replace("draft: true\n", ""),
    );
    // Reviewed as its own note says.
    let review = site.run(&[
        "review",
        "content/faq/how-long-does-it-take.md",
        "--by",
        "Dr. Test",
    ]);
    assert_eq!(review.status, 0, "{}", review.stderr);
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[content/placeholder]: \"Write the full answer here\" is the sample text `clinicsite new faq` wrote\n",
    );
    assert_contains(
        &stderr,
        "error[content/placeholder]: \"Explain what happens, step by step\" is the sample text `clinicsite new faq` wrote\n",
    );
    assert_contains(
        &stderr,
        "help: replace it with the answer in your own words, or delete the line\n",
    );
    assert_contains(
        &stderr,
        "The build stopped: 2 errors. Nothing in public was changed.",
    );
}

#[test]
fn risky_claims_stop_the_build() {
    let (site, before) = built();
    site.write(
        PAIN,
        "---\ntitle: Does it hurt?\ncategory: Comfort\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-01\n---\nIt is painless, and results are 100% guaranteed.\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, "error[claims/absolute]: ");
    assert_contains(&stderr, "error[claims/guarantee]: ");
    assert_contains(&stderr, " --> content/faq/pain.md:7:");
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_image_without_alt_text_stops_the_build() {
    let site = Site::fixture("bundle");
    site.build(&[]);
    let before = site.fingerprint("public");
    let page = "content/treatments/results/index.md";
    let text = site.read(page).replace("![Before and after]", "![]");
    site.write(page, &text);
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[content/image-alt]: the image `photo.png` has no alt text\n --> content/treatments/results/index.md:4:1\n",
    );
}

#[test]
fn drafts_need_no_review() {
    let site = Site::fixture("breakable");
    site.write(
        "content/faq/sessions.md",
        "---\ntitle: How many sessions?\ncategory: Comfort\ndraft: true\n---\nMost people need three.\n",
    );
    let run = site.build(&["--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.exists("public/faq/sessions/index.html"));
}

#[test]
fn warnings_are_counted_in_the_summary_as_check_counts_them() {
    let site = Site::fixture("breakable");
    let run = site.build(&[]);
    assert_contains(&run.stdout, " 6 warnings: run `clinicsite check`.\n");
    let check = site.run(&["check"]);
    assert_contains(&check.stdout, "Checked 4 pages: no errors, 6 warnings.");
}

// ---- The findings kept in .clinicsite-cache/findings (see `check::findings_cache`) ----------

const KEPT: &str = ".clinicsite-cache/findings";

fn reviewed_pain(text: &str) -> String {
    format!(
        "---\ntitle: Does it hurt?\ncategory: Comfort\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-01\n---\n{text}\n"
    )
}

#[test]
fn kept_findings_follow_each_edit_and_deleting_them_changes_nothing() {
    let (site, before) = built();
    assert!(site.exists(KEPT));
    site.write(PAIN, &reviewed_pain("It is painless."));
    let first = fails(&site, &before, &[]);
    assert_contains(
        &first,
        "error[claims/absolute]: `painless`: some people do feel discomfort, so promising none is not true for everyone\n --> content/faq/pain.md:7:7\n",
    );
    let kept = std::fs::read(site.path(KEPT)).expect("the findings are kept");
    assert_contains(&String::from_utf8_lossy(&kept), "claims/absolute");
    // The same page again: its findings come from the cache, word for word.
    assert_eq!(fails(&site, &before, &[]), first);
    site.remove(KEPT);
    assert_eq!(fails(&site, &before, &[]), first);

    // An edit is checked anew: the old finding goes, the new one is found.
    site.write(PAIN, &reviewed_pain("Results are guaranteed."));
    let edited = fails(&site, &before, &[]);
    assert_contains(&edited, "error[claims/guarantee]: ");
    assert_lacks(&edited, "claims/absolute");
    site.write(PAIN, &reviewed_pain("## Numbing cream"));
    assert_eq!(site.build(&[]).status, 0);
}

#[test]
fn a_change_of_check_settings_checks_every_page_again() {
    let (site, before) = built();
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\ncheck:\n  claims:\n    add: [{ phrase: numbing cream, reason: \"it names a medicine\", instead: \"a cream\" }]\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, "error[claims/custom]: ");
    assert_contains(&stderr, " --> content/faq/pain.md:7:4\n");
}

#[test]
fn kept_review_findings_follow_the_date() {
    let site = Site::fixture("breakable");
    let root = site.path("");
    let build_on = |day: &str| site.run_with(&root, &[("CLINICSITE_TODAY", day)], &["build"]);
    // pain.md was reviewed on 2026-10-01: due a year later.
    let run = build_on("2026-12-06");
    assert_contains(&run.stdout, " 6 warnings: run `clinicsite check`.\n");
    // Due in 11 days: one more warning, from the same kept page.
    let run = build_on("2027-09-20");
    assert_contains(&run.stdout, " 7 warnings: run `clinicsite check`.\n");
    let run = build_on("2027-10-05");
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_contains(
        &run.stderr,
        "error[review/overdue]: the medical review is overdue: last reviewed 2026-10-01, due 2027-10-01 (every 365 days)\n --> content/faq/pain.md:5:1\n",
    );
    let run = build_on("2026-12-06");
    assert_contains(&run.stdout, " 6 warnings: run `clinicsite check`.\n");
}

#[test]
fn an_unknown_key_does_not_hide_the_pages_other_errors() {
    let (site, before) = built();
    site.write(
        PAIN,
        "---\ntitle: Does it hurt?\ncatgory: Comfort\nreviewed_by: Dr. Test\nlast_reviewed: 2026-01-15\n---\nIt is painless. ![](numbing.png)\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[yaml/unknown-key]: unknown key `catgory`\n --> content/faq/pain.md:3:1\n",
    );
    assert_contains(&stderr, "error[claims/absolute]: `painless`");
    assert_contains(
        &stderr,
        "error[content/image-alt]: the image `numbing.png` has no alt text",
    );
    assert_contains(&stderr, "The build stopped: 4 errors.");
}

/// The number before `ending` on the line that has it (`… 1 warning: run …` -> 1; none -> 0).
fn warnings_in(text: &str, ending: &str) -> usize {
    let Some(line) = text.lines().find(|l| l.contains(ending)) else {
        return 0;
    };
    let before = &line[..line.find(ending).unwrap_or(0)];
    let count = before.rsplit(' ').next().unwrap_or_default();
    count.parse().unwrap_or(0)
}

#[test]
fn build_counts_orphans_as_check_does_when_pages_are_kept() {
    let site = Site::fixture("orphans");
    let build_warnings = |site: &Site| {
        let run = site.build(&[]);
        warnings_in(&run.stdout, " warning")
    };
    let check_warnings = |site: &Site| {
        let run = site.run(&["check"]);
        assert_eq!(run.status, 0, "{}", run.stdout);
        warnings_in(&run.stdout, " warning")
    };
    let run = site.build(&[]);
    assert_contains(
        &run.stdout,
        "11 written, 0 unchanged, 0 removed. 1 warning: run `clinicsite check`.\n",
    );
    let check = site.run(&["check"]);
    assert_contains(
        &check.stdout,
        "warning[content/orphan]: no link leads to this page: visitors cannot find it by clicking from the home page\n --> content/hidden/lost.md:1:1\n",
    );
    assert_contains(&check.stdout, "Checked 5 pages: no errors, 1 warning.");

    // Only the lost note is rendered again: the pages kept from the build cache bring their
    // links from its record (the first note's leads to the second, which is no orphan).
    site.write(
        "content/hidden/lost.md",
        "---\ntitle: A lost note\ndescription: A note no other page links to, so visitors cannot find it by clicking.\n---\nStill nobody links here.\n",
    );
    let run = site.build(&[]);
    assert_contains(
        &run.stdout,
        "1 written, 10 unchanged, 0 removed. 1 warning: run `clinicsite check`.\n",
    );
    assert_eq!(check_warnings(&site), 1);
    // Nothing changed: the build repeats the last one's count.
    let run = site.build(&[]);
    assert_contains(
        &run.stdout,
        "0 written, 11 unchanged, 0 removed. 1 warning: run `clinicsite check`.\n",
    );

    // The section links to it: no orphan left, in either count.
    site.write(
        "content/hidden/_index.md",
        "---\ntitle: Notes\ndescription: A section whose template lists none of its pages; only its text links to them.\ntemplate: quiet_section.html\n---\nRead [the first note](first.md) and [the lost one](lost.md).\n",
    );
    assert_eq!(build_warnings(&site), 0);
    assert_eq!(check_warnings(&site), 0);
    assert_eq!(build_warnings(&site), 0);

    // The first note no longer links to the second, which is kept from the last build.
    site.write(
        "content/hidden/first.md",
        "---\ntitle: The first note\ndescription: The first note, linked from the section's text, with a link to the second.\n---\nThat is the first.\n",
    );
    let run = site.build(&[]);
    assert_contains(&run.stdout, " 1 warning: run `clinicsite check`.\n");
    let check = site.run(&["check"]);
    assert_contains(&check.stdout, " --> content/hidden/second.md:1:1\n");
    assert_eq!(warnings_in(&check.stdout, " warning"), 1);
}

/// Edits that change no page's links (the build keeps the last build's orphans) and edits
/// that do (it walks the links again), one after the other: `build` counts what `check`,
/// which starts from nothing, finds.
#[test]
fn orphans_follow_every_edit_whether_its_links_changed_or_not() {
    let site = Site::fixture("orphans");
    site.build(&[]);
    // (file, new text after its front matter, orphans then)
    let steps = [
        ("hidden/lost.md", "Still nobody links here.", 1),
        ("hidden/second.md", "See [the lost note](lost.md).", 0),
        ("hidden/second.md", "See [the lost note](lost.md) again.", 0),
        ("hidden/first.md", "That is the first.", 2),
        ("hidden/lost.md", "Edited, and still lost.", 2),
        ("hidden/second.md", "Back to no links.", 2),
        (
            "hidden/first.md",
            "Then read [the second note](second.md).",
            1,
        ),
        (
            "hidden/_index.md",
            "Read [the first](first.md) and [the lost](lost.md).",
            0,
        ),
        ("hidden/lost.md", "Found at last.", 0),
    ];
    orphans_after_each(&site, &steps, false);
}

/// With the output removed before each build, every page is rendered anew, and those whose
/// files come out as recorded keep their links in the record: when another page's links
/// changed, the walk over the graph reads them back from it, and counts what `check` does.
#[test]
fn orphans_are_counted_from_the_record_when_the_output_was_removed() {
    let site = Site::fixture("orphans");
    site.build(&[]);
    // (file, new text after its front matter, orphans then)
    let steps = [
        ("hidden/first.md", "That is the first.", 2),
        // The lost note is linked to, but only from a page no link leads to.
        ("hidden/second.md", "See [the lost note](lost.md).", 2),
        (
            "hidden/first.md",
            "Then read [the second note](second.md).",
            0,
        ),
    ];
    orphans_after_each(&site, &steps, true);
}

/// Each step (file, new text after its front matter, orphans then) written and built, with
/// the output removed first when `output_removed`: `build` counts the orphans `check` finds.
#[track_caller]
fn orphans_after_each(site: &Site, steps: &[(&str, &str, usize)], output_removed: bool) {
    for &(file, body, orphans) in steps {
        let path = format!("content/{file}");
        let text = site.read(&path);
        // The front matter stays as it was: only the page's text, and so its links, change.
        let head = &text[..text.rfind("---\n").expect("front matter") + 4];
        site.write(&path, &format!("{head}{body}\n"));
        if output_removed {
            std::fs::remove_dir_all(site.path("public")).expect("output removed");
        }
        let run = site.build(&[]);
        let counts = match output_removed {
            true => "11 written, 0 unchanged, 0 removed.",
            false => "1 written, 10 unchanged, 0 removed.",
        };
        assert_contains(&run.stdout, counts);
        let check = site.run(&["check"]);
        let checked = check.stdout.lines().find(|l| l.starts_with("Checked "));
        assert_eq!(
            (
                warnings_in(&run.stdout, " warning"),
                warnings_in(checked.unwrap_or_default(), " warning")
            ),
            (orphans, orphans),
            "after {file}: {body}\n{}",
            check.stdout
        );
    }
}

/// The codes and places of the errors printed on `file`, as `code file:line:column`.
fn errors_on(output: &str, file: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut code = None;
    for line in output.lines() {
        if line.starts_with("warning[") {
            code = None;
        } else if let Some(rest) = line.strip_prefix("error[") {
            code = rest.split(']').next().map(str::to_string);
        } else if let (Some(at), Some(c)) = (line.trim_start().strip_prefix("--> "), &code)
            && at.starts_with(file)
        {
            found.push(format!("{c} {at}"));
        }
    }
    found
}

#[test]
fn a_page_that_cannot_be_placed_has_its_text_checked_in_the_same_run() {
    // A Spanish answer names an English category, a Spanish page sits in a folder whose
    // section has no Spanish version, a page's slug cannot be used: each error, and the
    // claims in their text, at once.
    let site = Site::fixture("place_errors");
    let pain = [
        "faq/unknown-category content/faq/pain.es.md:3:1",
        "claims/absolute content/faq/pain.es.md:4:28",
        "claims/guarantee content/faq/pain.es.md:8:22",
    ];
    let after = [
        "site/untranslated-section content/care/after.es.md",
        "claims/absolute content/care/after.es.md:4:4",
    ];
    // A slug that cannot be used: the page is checked at the address its file name gives.
    let about = [
        "page/bad-slug content/about.md:3:1",
        "claims/absolute content/about.md:5:13",
    ];
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1, "{}", check.stdout);
    assert_eq!(errors_on(&check.stdout, "content/faq/pain.es.md"), pain);
    assert_eq!(errors_on(&check.stdout, "content/care/after.es.md"), after);
    assert_eq!(errors_on(&check.stdout, "content/about.md"), about);
    // The help names the file that lists the Spanish section's categories.
    let listed = "help: use one of the categories listed in content/faq/_index.es.md: `Comodidad`";
    assert!(check.stdout.contains(listed), "{}", check.stdout);
    // Their originals do have a translation: no "no `es` translation" besides.
    for original in ["content/faq/pain.md", "content/care/after.md"] {
        assert_lacks(&check.stdout, &format!("translation\n--> {original}\n"));
    }

    let build = site.run(&["build"]);
    assert_eq!(build.status, 1);
    assert_eq!(errors_on(&build.stderr, "content/faq/pain.es.md"), pain);
    assert_eq!(errors_on(&build.stderr, "content/care/after.es.md"), after);
    assert_eq!(errors_on(&build.stderr, "content/about.md"), about);
    assert_contains(&build.stderr, "The build stopped: 7 errors.");
    assert!(!site.exists("public"), "a failed build writes nothing");
}

/// `CLINICSITE_BENCH_WITHOUT_GATE`, for measuring the gate, turns off check's rules and
/// nothing else: a broken link still stops the build, and the build cache's record is written
/// as a build with the gate writes it (but for the orphans the rules did not look for).
#[test]
fn the_benchmark_switch_turns_off_checks_rules_only() {
    let off = [("CLINICSITE_BENCH_WITHOUT_GATE", "1")];
    let site = Site::fixture("breakable");
    let root = site.path(".");
    let pain = site.read(PAIN);
    site.write(PAIN, &format!("{pain}\nSee [our prices](prices.md).\n"));
    let run = site.run_with(&root, &off, &["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[link/broken]: the link goes to `prices.md`, which does not exist",
    );

    // Without its review the page would stop a build with the gate.
    site.write(PAIN, UNREVIEWED);
    let run = site.run_with(&root, &off, &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(&run.stderr, "CLINICSITE_BENCH_WITHOUT_GATE is set");

    let record = clinicsite::write::record::folder(&root, &site.path("public"))
        .join(clinicsite::build_cache::FILE);
    let size = || std::fs::metadata(&record).map_or(0, |m| m.len());
    site.write(PAIN, &pain);
    let run = site.run_with(&root, &off, &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let without = size();
    // The record of the build without the gate holds every page: the next build keeps them.
    let run = site.build(&[]);
    assert_eq!(run.counts().written, 0, "{}", run.stdout);
    assert_lacks(&run.stderr, "CLINICSITE_BENCH_WITHOUT_GATE");
    let with = size();
    assert!(
        with > 0 && with.abs_diff(without) < 16,
        "record without the gate {without} bytes, with it {with}"
    );
}
