//! Builds after edits to the text of pages alone, their front matter as it was: the pages
//! whose text did not change are kept with what the last build recorded of them (see
//! src/build_cache.rs), and a link between two kept pages is not checked again. The output
//! and the findings are always those of a clean build.

use crate::incremental::{assert_as_a_clean_copy, settle};
use crate::support::{Run, Site, assert_contains};

/// Builds after `edit` and compares the output and findings with a clean build's.
#[track_caller]
fn step(site: &Site, name: &str, edit: &dyn Fn()) -> Run {
    edit();
    settle();
    let run = site.run(&["build"]);
    assert_as_a_clean_copy(site, &run, name);
    run
}

/// `care/before.md` links to `treatments/pain.md#numbing-cream`: the link is checked again
/// when either page's text changes, and a new broken link or anchor stops the build.
#[test]
fn links_to_headings_follow_edits_to_either_page() {
    let site = Site::fixture("links");
    site.build(&[]);
    settle();
    let before = site.read("content/care/before.md");
    let after = site.read("content/care/after.md");
    let pain = site.read("content/treatments/pain.md");

    let run = step(&site, "another page's text edited", &|| {
        site.write("content/care/after.md", &format!("{after}\nMore words.\n"))
    });
    assert_eq!(run.counts().written, 1, "{}", run.stdout);
    let run = step(&site, "the heading linked to renamed", &|| {
        let renamed = pain.replace("## Numbing cream", "## Cooling cream");
        site.write("content/treatments/pain.md", &renamed)
    });
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error[link/missing-anchor]");
    assert_contains(&run.stderr, "numbing-cream");
    step(&site, "the heading restored", &|| {
        site.write("content/treatments/pain.md", &pain)
    });
    let run = step(&site, "a link to a missing heading added", &|| {
        let link = "Also [cream](../treatments/pain.md#no-such-heading).";
        site.write("content/care/before.md", &format!("{before}\n{link}\n"))
    });
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "no-such-heading");
    let run = step(&site, "a link to a missing page added", &|| {
        let link = "Also [gone](../treatments/gone.md).";
        site.write("content/care/before.md", &format!("{before}\n{link}\n"))
    });
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error[link/broken]");
    step(&site, "the links fixed", &|| {
        site.write("content/care/before.md", &before)
    });
    let run = step(&site, "a risky claim added", &|| {
        let claim = "Results are 100% guaranteed.";
        site.write("content/care/after.md", &format!("{after}\n{claim}\n"))
    });
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error[claims/guarantee]");
    step(&site, "the claim removed", &|| {
        site.write("content/care/after.md", &after)
    });
    step(&site, "a heading added to the page linked to", &|| {
        let more = format!("{pain}\n## Cooling cream\n\nMore words.\n");
        site.write("content/treatments/pain.md", &more)
    });
    step(&site, "two pages' texts edited at once", &|| {
        site.write("content/treatments/pain.md", &pain);
        let link = "Also [cream](../treatments/pain.md#numbing-cream).";
        site.write("content/care/after.md", &format!("{after}\n{link}\n"))
    });
}

/// A translation's text and its original's text edited one at a time, then a front matter
/// edit and the settings: each build as a clean build of the site as it is then.
#[test]
fn edits_to_translations_and_originals_equal_a_clean_build() {
    let site = Site::fixture("bilingual");
    site.build(&[]);
    settle();
    let pain = site.read("content/faq/pain.md");
    let dolor = site.read("content/faq/pain.es.md");
    step(&site, "a translation's text edited", &|| {
        let more = format!("{dolor}\nVea [sesiones](sessions.md).\n");
        site.write("content/faq/pain.es.md", &more)
    });
    step(&site, "the original's text edited", &|| {
        site.write("content/faq/pain.md", &format!("{pain}\nMore words.\n"))
    });
    step(&site, "a heading added to the translation", &|| {
        let more = format!("{dolor}\n## Después\n\nDescanse.\n");
        site.write("content/faq/pain.es.md", &more)
    });
    step(&site, "the original's front matter edited", &|| {
        site.write("content/faq/pain.md", &pain.replace("A little.", "Some."))
    });
    step(&site, "the settings edited", &|| {
        let settings = site.read("site.yaml");
        site.write(
            "site.yaml",
            &settings.replace("Test Clinic", "Edited Clinic"),
        )
    });
    step(&site, "both texts restored", &|| {
        site.write("content/faq/pain.md", &pain);
        site.write("content/faq/pain.es.md", &dolor)
    });
}

/// Text edits between pages added, renamed and removed, a theme edit and a later day: after
/// each, the output and the findings are a clean build's of the site as it is then, on that
/// day.
#[test]
fn text_edits_around_new_and_deleted_pages_a_theme_edit_and_another_day() {
    let site = Site::fixture("bilingual");
    site.build(&[]);
    settle();
    let pain = site.read("content/faq/pain.md");
    let new = "---\ntitle: What does it cost?\ncategory: Comfort\nsummary: Ask us.\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-15\n---\nSee [pain](pain.md#numbing-cream).\n";
    let run = step(&site, "a page added", &|| {
        site.write("content/faq/cost.md", new)
    });
    assert_eq!(run.status, 0, "{}", run.stderr);
    step(&site, "its text edited", &|| {
        site.write("content/faq/cost.md", &format!("{new}\nMore words.\n"))
    });
    let run = step(&site, "the page renamed", &|| {
        site.write("content/faq/price.md", &format!("{new}\nMore words.\n"));
        site.remove("content/faq/cost.md")
    });
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(&run.stderr, "/faq/cost/");
    assert!(
        site.read("public/faq/price/index.html")
            .contains("More words.")
    );
    let run = step(&site, "the page deleted", &|| {
        site.remove("content/faq/price.md")
    });
    assert_contains(&run.stderr, "warning[page/address-gone]");
    assert_contains(&run.stderr, "/faq/price/");
    step(&site, "the theme's template edited", &|| {
        let base = site.read("themes/bi/templates/base.html");
        site.write(
            "themes/bi/templates/base.html",
            &format!("{base}<!-- edited -->\n"),
        )
    });
    step(&site, "a text edited after the theme", &|| {
        site.write("content/faq/pain.md", &format!("{pain}\nMore words.\n"))
    });
    // Another day, with the review of pain.md falling due: a clean build's findings that day.
    let later = [("CLINICSITE_TODAY", "2027-10-01")];
    site.write("content/faq/pain.md", &format!("{pain}\nOther words.\n"));
    settle();
    let run = site.run_with(&site.path(""), &later, &["build"]);
    let copy = site.tmp().join("copy-another-day");
    for dir in ["content", "themes"] {
        crate::real_site::copy_tree(&site.path(dir), &copy.join(dir));
    }
    std::fs::copy(site.path("site.yaml"), copy.join("site.yaml")).expect("copy site.yaml");
    let clean = site.run_with(&copy, &later, &["build"]);
    assert_eq!((run.status, &run.stderr), (clean.status, &clean.stderr));
    assert_eq!(run.status, 0, "{}", run.stderr);
    let warnings = |stdout: &str| -> Option<String> {
        let before = stdout.split(" warning").next()?;
        before.rsplit(' ').next().map(str::to_string)
    };
    assert_eq!(
        warnings(&run.stdout),
        warnings(&clean.stdout),
        "{}",
        run.stdout
    );
    let checked = site.run_with(&site.path(""), &later, &["check"]);
    assert_contains(&checked.stdout, "warning[review/due-soon]");
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let files = crate::support::files_in(dir).into_iter();
        let files = files.filter(|f| f != crate::support::MARKER);
        files
            .map(|f| (f.clone(), std::fs::read(dir.join(&f)).expect("read")))
            .collect()
    };
    assert!(
        files(&site.path("public")) == files(&copy.join("public")),
        "another day: not a clean build's output"
    );
    step(&site, "back to the test day", &|| {
        site.write("content/faq/pain.md", &pain)
    });
}

/// The build on `day` after `edit` reports what a clean build of a copy of the site reports
/// on that day: its exit status, its findings and its count of warnings.
#[track_caller]
fn step_on(site: &Site, day: &str, name: &str, edit: &dyn Fn()) -> Run {
    edit();
    settle();
    let on_day = [("CLINICSITE_TODAY", day)];
    let run = site.run_with(&site.path(""), &on_day, &["build"]);
    let copy = site.tmp().join(format!("clean-{}", name.replace(' ', "-")));
    for dir in ["content", "themes"] {
        crate::real_site::copy_tree(&site.path(dir), &copy.join(dir));
    }
    std::fs::copy(site.path("site.yaml"), copy.join("site.yaml")).expect("copy site.yaml");
    let clean = site.run_with(&copy, &on_day, &["build"]);
    let warnings = |stdout: &str| {
        let last = stdout.lines().last().unwrap_or_default().to_string();
        last.split_once(" removed.")
            .map(|(_, after)| after.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        (run.status, &run.stderr, warnings(&run.stdout)),
        (clean.status, &clean.stderr, warnings(&clean.stdout)),
        "after {name}: not what a clean build reports"
    );
    run
}

/// While every page is placed as it was (only texts edited, or nothing), a kept page's
/// findings are recalled by its quick key: the date moving past a review's due date, an
/// original's text copied into its kept translation, the settings and a deleted findings
/// cache each give what a clean build gives.
#[test]
fn kept_findings_follow_the_date_the_original_and_the_settings() {
    let site = Site::fixture("bilingual");
    let pain = site.read("content/faq/pain.md");
    let dolor = site.read("content/faq/pain.es.md");
    let copied = "Apply the numbing cream an hour before your visit.";
    let nothing = &|| {};
    let first = step_on(&site, "2026-12-06", "a first build", nothing);
    let run = step_on(&site, "2026-12-06", "nothing changed", nothing);
    assert_eq!(run.counts().written, 0, "{}", run.stdout);
    // Reviewed on 2026-10-15, due a year later: due soon (a warning more on each of the two
    // pages), then a day nearer, then overdue.
    let warnings = |run: &Run| run.stdout.lines().last().unwrap_or_default().to_string();
    let run = step_on(&site, "2027-09-20", "the review due soon", nothing);
    assert_ne!(warnings(&run), warnings(&first));
    step_on(&site, "2027-09-21", "a day later", nothing);
    let run = step_on(&site, "2027-10-20", "the review overdue", nothing);
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_contains(&run.stderr, "error[review/overdue]");
    step_on(&site, "2026-12-06", "back to today", nothing);
    step_on(&site, "2026-12-06", "a line in the translation", &|| {
        site.write("content/faq/pain.es.md", &format!("{dolor}\n{copied}\n"))
    });
    // Only the original's file changes: its translation is kept, its original's words not.
    let run = step_on(
        &site,
        "2026-12-06",
        "the same line in the original",
        &|| site.write("content/faq/pain.md", &format!("{pain}\n{copied}\n")),
    );
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_contains(&run.stderr, "error[translation/untranslated]");
    step_on(&site, "2026-12-06", "the original's line gone", &|| {
        site.write("content/faq/pain.md", &pain)
    });
    step_on(
        &site,
        "2026-12-06",
        "a claim added to the settings",
        &|| {
            let settings = site.read("site.yaml");
            let claim = "check:\n  claims:\n    add: [{ phrase: numbing cream, reason: \"it names a medicine\", instead: \"a cream\" }]\n";
            site.write("site.yaml", &format!("{settings}{claim}"))
        },
    );
    step_on(&site, "2026-12-06", "the findings cache deleted", &|| {
        site.remove(".clinicsite-cache/findings")
    });
}

/// A build that counts each kept page's warnings from the findings cache, its findings
/// unread, reports what a clean build reports: warnings only, a title made another page's
/// and given back (the duplicates rule's findings kept while the pages are placed the same),
/// a link in HTML that leads nowhere, and a warning made an error in `site.yaml`, each on the
/// builds after the edit too, when every page is kept.
#[test]
fn counted_pages_report_what_a_clean_build_reports() {
    let site = Site::fixture("bilingual");
    let today = "2026-12-06";
    let sessions = site.read("content/faq/sessions.md");
    let pain = site.read("content/faq/pain.md");
    let settings = site.read("site.yaml");
    let nothing = &|| {};
    step_on(&site, today, "a first build", nothing);
    for name in ["the duplicates kept", "every page counted"] {
        let run = step_on(&site, today, name, nothing);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_contains(&run.stdout, " warnings: run `clinicsite check`.");
    }
    let copied = sessions.replace("How many sessions?", "Does it hurt?");
    let run = step_on(&site, today, "a title made another's", &|| {
        site.write("content/faq/sessions.md", &copied)
    });
    assert_contains(&run.stdout, " warnings: run `clinicsite check`.");
    step_on(&site, today, "the same title kept", nothing);
    step_on(&site, today, "a body edited beside it", &|| {
        site.write(
            "content/faq/pain.md",
            &format!("{pain}\nIt stings a little.\n"),
        )
    });
    step_on(&site, today, "the title given back", &|| {
        site.write("content/faq/sessions.md", &sessions)
    });
    step_on(&site, today, "the other title kept", nothing);
    let html = "<a href=\"/nowhere/\">more</a>";
    let run = step_on(&site, today, "a link in HTML", &|| {
        site.write("content/faq/sessions.md", &format!("{sessions}\n{html}\n"))
    });
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_contains(&run.stderr, "error[link/html]");
    step_on(&site, today, "the link in HTML kept", nothing);
    step_on(&site, today, "the link in HTML gone", &|| {
        site.write("content/faq/sessions.md", &sessions)
    });
    let run = step_on(&site, today, "a warning made an error", &|| {
        let level = "check:\n  rules: { review/unrecorded: error }\n";
        site.write("site.yaml", &format!("{settings}{level}"))
    });
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_contains(&run.stderr, "error[review/unrecorded]");
    step_on(&site, today, "the error kept", nothing);
    step_on(&site, today, "the level taken back", &|| {
        site.write("site.yaml", &settings)
    });
    step_on(&site, today, "warnings counted again", nothing);
}

/// A site large enough that its records are mapped rather than read into memory (see
/// `cache_format::read`, from 64 KiB): after pages edited, added and removed, and after a
/// title edited, the output and the findings are a clean build's.
#[test]
fn edits_to_a_site_whose_records_are_mapped_equal_a_clean_build() {
    use crate::crash::{Version, site_files, switch};
    let site = Site::empty();
    let old = site_files(Version::Old);
    switch(&site.root, &Default::default(), &old);
    // The built-in theme: an empty folder for the clean copies to copy.
    std::fs::create_dir_all(site.path("themes")).expect("themes folder");
    // Files written in the clock tick a build starts in are not recorded (see
    // `write::stamp`): let them age, so the first build records every page.
    settle();
    site.build(&[]);
    let records = clinicsite::write::record::folder(&site.root, &site.path("public"));
    for record in [
        records.join("build-cache"),
        site.path(".clinicsite-cache/read"),
    ] {
        let len = std::fs::metadata(&record)
            .unwrap_or_else(|e| panic!("{}: {e}", record.display()))
            .len();
        assert!(
            len >= 64 * 1024,
            "{}: {len} bytes, read, not mapped",
            record.display()
        );
    }
    settle();
    let new = site_files(Version::New);
    let run = step(&site, "pages edited added and removed", &|| {
        switch(&site.root, &old, &new)
    });
    assert_eq!(run.status, 0, "{}", run.stderr);
    let (rel, text) = new
        .iter()
        .find(|(rel, _)| rel.ends_with("/q-0000.md"))
        .expect("a first page");
    let retitled = text.replace("title: \"Question 0", "title: \"The first question");
    assert_ne!(&retitled, text);
    step(&site, "a title edited", &|| site.write(rel, &retitled));
    // The texts of a quarter of the pages edited: both records are written again, the
    // entries of the pages kept copied from the mapped records as they were read; then one
    // more page's text, read through the records just written.
    let pages: Vec<&String> = new.keys().filter(|rel| rel.contains("/q-")).collect();
    let inodes = || {
        use std::os::unix::fs::MetadataExt as _;
        let read = site.path(".clinicsite-cache/read");
        [records.join("build-cache"), read].map(|r| std::fs::metadata(r).expect("a record").ino())
    };
    let before = inodes();
    let run = step(&site, "a quarter of the texts edited", &|| {
        for rel in pages.iter().step_by(4) {
            site.write(rel, &format!("{}\nOne more sentence.\n", new[*rel]));
        }
    });
    assert!(run.counts().written >= pages.len() / 4, "{}", run.stdout);
    let after = inodes();
    assert!(
        before[0] != after[0] && before[1] != after[1],
        "both records written again"
    );
    let last = pages[pages.len() - 1];
    let run = step(&site, "one more text edited", &|| {
        site.write(last, &format!("{}\nThe last sentence.\n", new[last]))
    });
    assert_eq!(run.counts().written, 1, "{}", run.stdout);
}

/// The walk over `content/` walks its folders side by side (see src/source/walk.rs): pages in
/// a new section, in a folder below a section and in a hidden folder, a page at the top, and
/// then a folder taken away again, each give a clean build's output and findings.
#[test]
fn pages_in_new_folders_and_a_folder_taken_away_equal_a_clean_build() {
    let site = Site::fixture("bilingual");
    site.build(&[]);
    settle();
    let page = |title: &str| {
        format!(
            "---\ntitle: {title}\ncategory: Comfort\nsummary: Ask us.\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-15\n---\nSee [pain](/faq/pain/).\n"
        )
    };
    let run = step(&site, "a new section with a page", &|| {
        site.write(
            "content/aftercare/_index.md",
            "---\ntitle: Aftercare\nkind: faq\ncategories: [Comfort]\n---\n",
        );
        site.write(
            "content/aftercare/sun.md",
            &page("Can I go out in the sun?"),
        );
    });
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        site.read("public/aftercare/sun/index.html")
            .contains("in the sun")
    );
    let run = step(&site, "a folder below a section, a hidden one", &|| {
        site.write("content/faq/more/ice.md", &page("May I use ice?"));
        site.write("content/.notes/draft.md", &page("Not published"));
    });
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        site.read("public/faq/more/ice/index.html")
            .contains("use ice")
    );
    assert!(!site.path("public/.notes").exists());
    let run = step(&site, "the new section taken away", &|| {
        site.remove("content/aftercare/sun.md");
        site.remove("content/aftercare/_index.md");
        std::fs::remove_dir(site.path("content/aftercare")).expect("remove the folder");
    });
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!site.path("public/aftercare/sun/index.html").exists());
}
