//! Incremental output: only changed files are written, stale ones removed, the user's own
//! files in the output folder left alone.

use crate::support::{Counts, Site, assert_contains};

#[test]
fn a_second_build_writes_nothing() {
    let site = Site::fixture("incremental");
    let first = site.build(&[]);
    let files = site.files("public").len() - 1; // all but the marker
    assert_eq!(
        first.counts(),
        Counts {
            written: files,
            unchanged: 0,
            removed: 0
        }
    );
    let before = site.fingerprint("public");

    let second = site.build(&[]);
    assert!(
        second.stdout.starts_with("Built 3 pages ("),
        "{}",
        second.stdout
    );
    assert_contains(
        &second.stdout,
        &format!(" ms into public: 0 written, {files} unchanged, 0 removed."),
    );
    assert_eq!(
        before.changed(&site.fingerprint("public")),
        Vec::<String>::new(),
        "no file may be touched"
    );

    // One page is counted as one.
    site.remove("content/one.md");
    site.remove("content/two.md");
    let third = site.build(&[]);
    assert!(
        third.stdout.starts_with("Built 1 page ("),
        "{}",
        third.stdout
    );
}

#[test]
fn editing_one_page_rewrites_only_its_file() {
    let site = Site::fixture("incremental");
    site.build(&[]);
    let before = site.fingerprint("public");
    site.write("content/one.md", "---\ntitle: One\n---\nSecond version.\n");
    let run = site.build(&[]);
    assert_eq!(run.counts().written, 1, "{}", run.stdout);
    assert_contains(
        &site.read("public/one/index.html"),
        "<p>Second version.</p>",
    );
    assert_eq!(
        before.changed(&site.fingerprint("public")),
        ["one/index.html"]
    );
}

#[test]
fn deleting_a_page_removes_its_output() {
    let site = Site::fixture("incremental");
    site.build(&[]);
    let before = site.fingerprint("public");
    site.remove("content/two.md");
    let run = site.build(&[]);
    assert_eq!(run.counts().removed, 1, "{}", run.stdout);
    assert!(
        !site.exists("public/two"),
        "the page and its empty folder are gone: {:?}",
        site.files("public")
    );
    assert!(!site.record("public", "manifest").contains("two/index.html"));
    let changed = before.changed(&site.fingerprint("public"));
    assert!(
        changed.contains(&"two/index.html".to_string()),
        "{changed:?}"
    );
    // The home page lists its pages, so it changes too; the other page does not.
    assert!(changed.contains(&"index.html".to_string()), "{changed:?}");
    assert!(
        !changed.contains(&"one/index.html".to_string()),
        "{changed:?}"
    );
}

#[test]
fn files_the_user_put_in_the_output_survive_rebuilds() {
    let site = Site::fixture("incremental");
    site.build(&[]);
    site.write("public/CNAME", "www.example.com\n");
    site.write("public/two/notes.txt", "the user's notes\n");
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");
    site.write("public/.git/objects/ab/cdef", "object\n");
    site.build(&[]);
    // Removing the page whose folder holds the user's notes removes only the page.
    site.remove("content/two.md");
    let run = site.build(&[]);
    assert_eq!(run.counts().removed, 1, "{}", run.stdout);
    assert!(!site.exists("public/two/index.html"));
    assert_eq!(site.read("public/CNAME"), "www.example.com\n");
    assert_eq!(site.read("public/two/notes.txt"), "the user's notes\n");
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/main\n");
    assert_eq!(site.read("public/.git/objects/ab/cdef"), "object\n");
}

/// Builds into a fresh folder beside the site and compares it with `public/`, leaving out
/// the marker (the one file of the tool's own in an output folder).
#[track_caller]
fn assert_same_as_a_clean_build(site: &Site, step: &str) {
    let clean = site.tmp().join(format!("clean-{step}"));
    let clean_arg = clean.to_string_lossy().into_owned();
    site.build(&["--output-dir", &clean_arg]);
    let records = [crate::support::MARKER];
    let ours: Vec<String> = site
        .files("public")
        .into_iter()
        .filter(|f| !records.contains(&f.as_str()))
        .collect();
    let fresh: Vec<String> = crate::support::files_in(&clean)
        .into_iter()
        .filter(|f| !records.contains(&f.as_str()))
        .collect();
    assert_eq!(ours, fresh, "after {step}: not the same files");
    for file in &ours {
        assert_eq!(
            site.read(&format!("public/{file}")),
            std::fs::read_to_string(clean.join(file)).expect("read the clean build"),
            "after {step}: {file} differs from a clean build"
        );
    }
}

/// `build` keeps the pages whose file did not change (see src/build_cache.rs). After any
/// edit, of a body, a header, a heading an anchor points at, the theme, the settings, or a
/// page added or removed, the output must be exactly what a clean build writes.
#[test]
fn rebuilds_after_edits_equal_a_clean_build() {
    let site = Site::fixture("links");
    site.build(&[]);
    let pain = site.read("content/treatments/pain.md");

    site.write(
        "content/treatments/pain.md",
        &format!("{pain}\n## A new heading\n\nMore words.\n"),
    );
    let run = site.build(&[]);
    assert_eq!(
        run.counts().written,
        2,
        "the page and the search index: {}",
        run.stdout
    );
    assert_same_as_a_clean_build(&site, "a body edit");

    site.write(
        "content/treatments/pain.md",
        &pain.replacen("title: ", "title: Renamed ", 1),
    );
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "a title edit");

    // The anchor another (unchanged) page links to disappears: that page's link is broken.
    site.write(
        "content/treatments/pain.md",
        &pain.replace("## Numbing cream", "## Cooling cream"),
    );
    let broken = site.run(&["build"]);
    assert_eq!(broken.status, 1, "{}", broken.stderr);
    assert_contains(&broken.stderr, "numbing-cream");
    site.write("content/treatments/pain.md", &pain);
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "the anchor restored");

    site.write(
        "content/care/new.md",
        "---\ntitle: New page\n---\nSee [numbing](../treatments/pain.md#numbing-cream).\n",
    );
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "a page added");

    let page = site.read("themes/mini/templates/base.html");
    site.write(
        "themes/mini/templates/base.html",
        &page.replacen("<main>", "<main class=\"edited\">", 1),
    );
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "a template edit");

    let settings = site.read("site.yaml");
    site.write(
        "site.yaml",
        &settings.replace("Test Clinic", "Edited Clinic"),
    );
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "a settings edit");

    site.remove("content/care/new.md");
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "a page removed");
}

/// The build's record folder for `public/` (see `write::record`).
pub(crate) fn records(site: &Site) -> std::path::PathBuf {
    clinicsite::write::record::folder(&site.path(""), &site.path("public"))
}

/// A build killed after it recorded its inputs, while it removed its staging folder, left
/// that folder in the output: the next build, with nothing else changed, still removes it.
#[test]
fn a_staging_folder_left_by_a_killed_build_is_removed_even_when_nothing_changed() {
    let site = Site::fixture("links");
    site.build(&[]);
    std::thread::sleep(std::time::Duration::from_millis(100));
    site.build(&[]);
    let left = "public/.clinicsite-staging-99999/old/r7";
    site.write(left, "an old copy");
    site.build(&[]);
    assert!(
        !site.exists("public/.clinicsite-staging-99999"),
        "the killed build's staging folder is removed"
    );
}

/// Another `clinicsite` program (here a copy of it, so another file) builds in full, even with
/// the site unchanged: a rebuilt program of the same version may write other bytes.
#[test]
fn another_program_builds_in_full_even_when_nothing_changed() {
    let site = Site::fixture("links");
    let program = site.tmp().join("bin").join("clinicsite");
    std::fs::create_dir_all(program.parent().expect("a folder")).expect("bin folder");
    let build = |program: &std::path::Path| {
        let out = std::process::Command::new(program)
            .args(["build", "--root"])
            .arg(site.path(""))
            .env("NO_COLOR", "1")
            .output()
            .expect("run the copy");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::copy(env!("CARGO_BIN_EXE_clinicsite"), &program).expect("copy the program");
    build(&program);
    std::thread::sleep(std::time::Duration::from_millis(100));
    build(&program);
    let page_cache = records(&site).join("build-cache");
    std::fs::remove_file(&page_cache).expect("remove the page cache");
    build(&program);
    assert!(
        !page_cache.exists(),
        "the same program, nothing changed: skipped"
    );
    // The program replaced by another file (a new build of it).
    std::fs::remove_file(&program).expect("remove the copy");
    std::fs::copy(env!("CARGO_BIN_EXE_clinicsite"), &program).expect("copy it again");
    std::thread::sleep(std::time::Duration::from_millis(100));
    build(&program);
    assert!(
        page_cache.is_file(),
        "another program file: the build does the work"
    );
}

/// A rebuild with nothing changed finds the inputs and the output as the last build left them
/// (see src/build_inputs.rs) and stops there, saying what that build said; it does not even
/// open the page cache. Any change after it, to an input, an output file, the options or
/// today's date, is built, and the output is again exactly what a clean build writes.
#[test]
fn a_rebuild_with_nothing_changed_repeats_the_last_build_and_any_change_is_built() {
    let site = Site::fixture("links");
    site.build(&[]);
    // Files changed within a clock tick of a build prove nothing by their stamp (see
    // src/write/stamp.rs): the copy of the fixture is older than that now.
    std::thread::sleep(std::time::Duration::from_millis(100));
    site.build(&[]);
    let page_cache = records(&site).join("build-cache");
    let inputs = records(&site).join("inputs");
    assert!(inputs.is_file(), "a successful build records its inputs");

    // Without the page cache, a build that did the work would write it again.
    std::fs::remove_file(&page_cache).expect("remove the page cache");
    let skipped = site.build(&[]);
    assert!(
        !page_cache.exists(),
        "nothing changed: no page was looked at"
    );
    std::fs::remove_file(&inputs).expect("remove the inputs record");
    let done = site.build(&[]);
    assert!(
        page_cache.is_file(),
        "without the record, the build does the work"
    );
    assert_eq!(
        skipped.stdout, done.stdout,
        "the same summary, warnings included"
    );
    assert_eq!(skipped.stderr, done.stderr);

    // An output file removed, or edited (here right after the build, within the file
    // system's clock tick, keeping its length): put back.
    let page = site.read("public/treatments/pain/index.html");
    site.remove("public/treatments/pain/index.html");
    assert_eq!(site.build(&[]).counts().written, 1);
    let edited = page.replacen("<main", "<MAIN", 1);
    assert_eq!(edited.len(), page.len());
    site.write("public/treatments/pain/index.html", &edited);
    assert_eq!(site.build(&[]).counts().written, 1);
    assert_eq!(site.read("public/treatments/pain/index.html"), page);
    assert_same_as_a_clean_build(&site, "an output file edited");

    // Another day: the review rules count from it, so the build is done again.
    std::fs::remove_file(&page_cache).expect("remove the page cache");
    site.build(&[]);
    assert!(!page_cache.exists());
    let later = site.run_with(
        &site.path(""),
        &[("CLINICSITE_TODAY", "2031-01-02")],
        &["build"],
    );
    assert_eq!(later.status, 0, "{}", later.stderr);
    assert!(page_cache.is_file(), "another day: the build does the work");

    // An input edited and then put back: each build is a clean build's bytes.
    let pain = site.read("content/treatments/pain.md");
    for (step, text) in [
        ("an edit", format!("{pain}\nOne more line.\n")),
        ("the edit undone", pain.clone()),
    ] {
        site.write("content/treatments/pain.md", &text);
        site.build(&[]);
        assert_same_as_a_clean_build(&site, step);
        site.build(&[]);
        assert_same_as_a_clean_build(&site, &format!("{step}, built again"));
    }
    site.build(&["--base-url", "https://elsewhere.example/"]);
    site.build(&[]);
    assert_same_as_a_clean_build(&site, "a build with another --base-url, then without");
}

// ---- The record of the files read (see src/read_record.rs) ---------------------------------

/// Longer than a clock tick (`write::stamp::TICK`): a file written before it has a stamp the
/// next build trusts, so it is recalled from `.clinicsite-cache/read`, not parsed.
pub(crate) fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(80));
}

/// The build's output and findings equal those of a clean build of a copy of the site (no
/// `.clinicsite-cache/`, no `public/`), but for the pages it tells are gone since the last
/// build; and its warning count equals `check`'s.
#[track_caller]
pub(crate) fn assert_as_a_clean_copy(site: &Site, run: &crate::support::Run, step: &str) {
    let copy = site.tmp().join(format!("copy-{}", step.replace(' ', "-")));
    for dir in ["content", "themes"] {
        crate::real_site::copy_tree(&site.path(dir), &copy.join(dir));
    }
    std::fs::copy(site.path("site.yaml"), copy.join("site.yaml")).expect("copy site.yaml");
    let clean = site.run_in(&copy, &["build"]);
    // Pages gone since the last build are told by that build alone (a clean build has no
    // last build to compare with).
    let without_gone = |stderr: &str| -> String {
        stderr
            .split_inclusive("\n\n")
            .filter(|finding| !finding.starts_with("warning[page/address-gone]"))
            .collect()
    };
    assert_eq!(
        (run.status, without_gone(&run.stderr)),
        (clean.status, clean.stderr.clone()),
        "after {step}: not the findings of a clean build"
    );
    let warnings = |stdout: &str| {
        stdout
            .lines()
            .find(|l| l.contains("warning"))
            .and_then(|l| {
                l.split(" warning")
                    .next()?
                    .rsplit(' ')
                    .next()
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "0".into())
    };
    assert_eq!(
        warnings(&run.stdout),
        warnings(&clean.stdout),
        "after {step}"
    );
    if run.status != 0 {
        return;
    }
    let check = site.run(&["check"]);
    let checked = check
        .stdout
        .lines()
        .find(|l| l.starts_with("Checked"))
        .unwrap_or_default()
        .to_string();
    let counted = warnings(&run.stdout);
    assert!(
        checked.contains(&format!(" {counted} warning"))
            || (counted == "0" && !checked.contains(" warning")),
        "after {step}: build counted {counted} warnings, check says: {checked}"
    );
    {
        let ours = site.files("public");
        let ours: Vec<&String> = ours
            .iter()
            .filter(|f| *f != crate::support::MARKER)
            .collect();
        let fresh = crate::support::files_in(&copy.join("public"));
        let fresh: Vec<&String> = fresh
            .iter()
            .filter(|f| *f != crate::support::MARKER)
            .collect();
        assert_eq!(ours, fresh, "after {step}: not the same files");
        for file in ours {
            assert_eq!(
                std::fs::read(site.path(&format!("public/{file}"))).expect("ours"),
                std::fs::read(copy.join("public").join(file)).expect("the clean build's"),
                "after {step}: {file} differs from a clean build"
            );
        }
    }
}

/// Each step is built with the site's files recalled from the last build's reading where
/// their stamps allow it: edit, revert, add, rename, delete, a translation, settings, the
/// theme, a touch without change, two changes within one clock tick, a damaged record.
#[test]
fn rebuilds_recalling_the_files_read_equal_a_clean_build() {
    let site = Site::fixture("bilingual");
    site.build(&[]);
    settle();
    let run = site.build(&[]);
    assert!(site.exists(".clinicsite-cache/read"), "{}", run.stderr);
    let pain = site.read("content/faq/pain.md");
    let step = |name: &str, edit: &dyn Fn()| {
        edit();
        settle();
        let run = site.run(&["build"]);
        assert_as_a_clean_copy(&site, &run, name);
    };
    step("a body edit", &|| {
        site.write(
            "content/faq/pain.md",
            &format!("{pain}\nMore words, guaranteed painless.\n"),
        )
    });
    step("a header edit", &|| {
        site.write(
            "content/faq/pain.md",
            &pain.replace("summary: A little.", "summary: Some."),
        )
    });
    step("the edit reverted", &|| {
        site.write("content/faq/pain.md", &pain)
    });
    step("a page added", &|| {
        site.write(
            "content/faq/care.md",
            "---\ntitle: Aftercare\ncategory: Comfort\nsummary: Rest.\ndraft: true\n---\nRest a day.\n",
        )
    });
    step("a page renamed", &|| {
        std::fs::rename(
            site.path("content/faq/care.md"),
            site.path("content/faq/aftercare.md"),
        )
        .expect("renamed")
    });
    step("a translation added", &|| {
        site.write(
            "content/faq/aftercare.es.md",
            "---\ntitle: Cuidados\ncategory: Comfort\nsummary: Descanso.\ndraft: true\n---\nDescanse un día.\n",
        )
    });
    step("a translation deleted", &|| {
        site.remove("content/faq/pain.es.md")
    });
    step("a settings edit", &|| {
        let settings = site.read("site.yaml");
        site.write(
            "site.yaml",
            &settings.replace("Test Clinic", "Edited Clinic"),
        );
    });
    step("a template edit", &|| {
        let base = site.read("themes/bi/templates/base.html");
        site.write(
            "themes/bi/templates/base.html",
            &format!("{base}\n<!-- edited -->\n"),
        );
    });
    step("a touch without change", &|| {
        site.write("content/faq/pain.md", &pain)
    });
    // An unknown key is an error that does not stop the page being read: never recorded, so
    // the build after stops on it too.
    let unknown = pain.replace("category:", "colour: red\ncategory:");
    step("an unknown key", &|| {
        site.write("content/faq/pain.md", &unknown)
    });
    step("the unknown key still there", &|| ());
    assert_contains(&site.run(&["build"]).stderr, "colour");
    step("the unknown key removed", &|| {
        site.write("content/faq/pain.md", &pain)
    });
    // Two changes of the same length within one tick: the second build must see the second.
    let same_length = pain.replace("A little.", "A littl!.");
    site.write("content/faq/pain.md", &same_length);
    site.run(&["build"]);
    site.write(
        "content/faq/pain.md",
        &pain.replace("A little.", "A li!tle."),
    );
    let run = site.run(&["build"]);
    assert_as_a_clean_copy(&site, &run, "two changes within a tick");
    step("a damaged record", &|| {
        site.write(".clinicsite-cache/read", "damaged");
        site.write(
            "content/faq/sessions.md",
            &site.read("content/faq/sessions.md").replace("four", "five"),
        );
    });
    step("a record cut short", &|| {
        let bytes = std::fs::read(site.path(".clinicsite-cache/read")).expect("the record");
        std::fs::write(
            site.path(".clinicsite-cache/read"),
            &bytes[..bytes.len() / 2],
        )
        .expect("cut");
        site.write("content/faq/pain.md", &pain);
    });
    step("the cache deleted", &|| {
        std::fs::remove_dir_all(site.path(".clinicsite-cache")).expect("removed")
    });
}

// ---- The files made from the whole site (see `incremental::Reuse::site_file`) --------------

/// The sitemap and the search index are kept while nothing they read changes: a body edit
/// leaves both as they are; an edited `##` heading is in the index at once; a sitemap or an
/// index edited by hand in `public/` is repaired by the next build. Always what a clean
/// build writes.
#[test]
fn the_sitemap_and_search_index_follow_every_edit() {
    let site = Site::fixture("incremental");
    let index = "search-index.en.json";
    site.build(&[]);
    settle();
    let before = site.fingerprint("public");
    site.write("content/one.md", "---\ntitle: One\n---\nSecond version.\n");
    site.build(&[]);
    assert_eq!(
        before.changed(&site.fingerprint("public")),
        ["one/index.html"]
    );

    site.write(
        "content/one.md",
        "---\ntitle: One\n---\n## Aftercare\n\nThird version.\n",
    );
    site.build(&[]);
    assert_contains(
        &site.read(&format!("public/{index}")),
        "\"h\":\"Aftercare\"",
    );
    assert_same_as_a_clean_build(&site, "a heading added");

    settle();
    site.write("public/sitemap.xml", "edited by hand\n");
    site.write(&format!("public/{index}"), "[]\n");
    site.write("content/two.md", "---\ntitle: Two\n---\nAnother version.\n");
    site.build(&[]);
    assert_contains(&site.read("public/sitemap.xml"), "<urlset");
    assert_contains(&site.read(&format!("public/{index}")), "Aftercare");
    assert_same_as_a_clean_build(&site, "the site files edited by hand");
}
