//! `public/` is the site and nothing else: the build's records (the manifest of what it wrote
//! and the build cache) live in the site's cache folder, `.clinicsite-cache/`, one record per
//! output folder; the output keeps one tiny marker. The records cannot be turned against the
//! site: only files whose bytes match what the record says the tool wrote are ever removed,
//! and a file edited in place is repaired whatever its length.

use crate::failures::built;
use crate::support::{CACHE_DIR, MARKER, Site, assert_contains, files_in};

/// The files a clean build of the `breakable` fixture writes, and the marker.
fn site_files(site: &Site) -> Vec<String> {
    let clean = site.tmp().join("clean");
    let clean_arg = clean.to_string_lossy().into_owned();
    site.build(&["--output-dir", &clean_arg]);
    files_in(&clean)
}

#[test]
fn public_holds_only_the_site_and_the_marker_after_builds_edits_and_a_deleted_cache() {
    let (site, _) = built();
    let expected = site_files(&site);
    assert!(expected.contains(&MARKER.to_string()), "{expected:?}");
    assert_eq!(
        expected.iter().filter(|f| f.starts_with('.')).count(),
        1,
        "{expected:?}"
    );
    assert_eq!(site.files("public"), expected);
    assert!(
        site.read(&format!("public/{MARKER}")).len() < 40,
        "the marker is tiny"
    );
    site.write(
        "content/about.md",
        "---\ntitle: About us, again\n---\nNew words.\n",
    );
    site.build(&[]);
    assert_eq!(site.files("public"), site_files(&site));
    std::fs::remove_dir_all(site.path(CACHE_DIR)).expect("delete the cache");
    let run = site.build(&[]);
    assert_eq!(site.files("public"), site_files(&site));
    assert_eq!(run.counts().removed, 0, "{}", run.stdout);
    assert!(site.exists(&format!("{CACHE_DIR}/.gitignore")));
}

/// Without its record, a build of a folder it wrote (known by the marker) rewrites what it
/// needs, and removes nothing: nothing proves it wrote the rest.
#[test]
fn after_the_cache_is_deleted_a_build_removes_nothing_it_cannot_prove_it_wrote() {
    let (site, _) = built();
    std::fs::remove_dir_all(site.path(CACHE_DIR)).expect("delete the cache");
    site.remove("content/about.md");
    site.write("public/CNAME", "www.example.com\n");
    let run = site.build(&[]);
    assert_eq!(run.counts().removed, 0, "{}", run.stdout);
    assert!(
        site.exists("public/about/index.html"),
        "left: nothing proves who wrote it"
    );
    assert_eq!(site.read("public/CNAME"), "www.example.com\n");
    // With a record again, the next removal works as before.
    site.write(
        "content/faq/extra.md",
        "---\ntitle: Extra\ncategory: Comfort\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-01\n---\nText.\n",
    );
    site.build(&[]);
    site.remove("content/faq/extra.md");
    assert_eq!(site.build(&[]).counts().removed, 1);
    assert!(!site.exists("public/faq/extra"));
}

#[test]
fn two_output_folders_keep_separate_records() {
    let (site, _) = built();
    site.build(&["--output-dir", "../deploy"]);
    site.remove("content/about.md");
    // Only `public` is rebuilt: `deploy`'s record still lists the page, so removing the page
    // from `deploy` later works, and `public`'s build never removes anything from `deploy`.
    assert_eq!(site.build(&[]).counts().removed, 1);
    assert!(site.tmp().join("deploy/about/index.html").is_file());
    assert_contains(&site.record("../deploy", "manifest"), "about/index.html");
    assert!(
        !site
            .record("public", "manifest")
            .contains("about/index.html")
    );
    let run = site.build(&["--output-dir", "../deploy"]);
    assert_eq!(run.counts().removed, 1, "{}", run.stdout);
    assert!(!site.tmp().join("deploy/about").exists());
}

/// An output an earlier version wrote keeps its records inside: the next build takes them
/// over and leaves only the site and the marker.
#[test]
fn records_an_earlier_version_left_in_the_output_are_taken_over() {
    let (site, _) = built();
    let manifest = site.record("public", "manifest");
    std::fs::remove_dir_all(site.path(CACHE_DIR)).expect("delete the cache");
    std::fs::remove_file(site.path(&format!("public/{MARKER}"))).expect("remove the marker");
    site.write("public/.clinicsite-manifest", &manifest);
    site.write("public/.clinicsite-build-cache", "{}");
    site.remove("content/about.md");
    let run = site.build(&[]);
    assert_eq!(run.counts().removed, 1, "{}", run.stdout);
    assert_eq!(site.files("public"), site_files(&site));
}

/// Lines added to the record never make a build delete files it did not write: not with a
/// made-up hash, and never a hidden file, even with the file's true hash.
#[test]
fn lines_added_to_the_record_delete_nothing() {
    let (site, _) = built();
    site.write("public/CNAME", "www.example.com\n");
    site.write("public/.git/HEAD", "ref: refs/heads/main\n");
    let true_hash = |text: &str| clinicsite::write::hash::of(text.as_bytes());
    let folder = clinicsite::write::record::folder(&site.root, &site.path("public"));
    let mut manifest = site.record("public", "manifest");
    manifest.push_str(&format!("{}\tCNAME\n", "0".repeat(64)));
    manifest.push_str(&format!(
        "{}\t.git/HEAD\n",
        true_hash("ref: refs/heads/main\n")
    ));
    std::fs::write(folder.join("manifest"), manifest).expect("add lines");
    let run = site.build(&[]);
    assert_eq!(run.counts().removed, 0, "{}", run.stdout);
    assert_eq!(site.read("public/CNAME"), "www.example.com\n");
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/main\n");
}

/// A page edited in place, keeping its length: the next build compares the file's bytes with
/// the recorded hash and puts the page back.
#[test]
fn an_output_file_edited_in_place_with_the_same_length_is_repaired() {
    let (site, _) = built();
    let page = site.read("public/faq/pain/index.html");
    let edited = page.replacen("Numbing", "NUMBING", 1);
    assert_ne!(page, edited);
    assert_eq!(page.len(), edited.len());
    site.write("public/faq/pain/index.html", &edited);
    let run = site.build(&[]);
    assert_eq!(run.counts().written, 1, "{}", run.stdout);
    assert_eq!(site.read("public/faq/pain/index.html"), page);
}

/// Every page put in place anew over the last build's files (the settings edited: each file
/// is renamed over its old version, which moves its change time past the build's start, see
/// `Stamp::is_racy_in_output`), then one edited in place keeping its length: the next build
/// puts it back, with nothing else changed and after a one-page edit alike.
#[test]
fn a_page_rewritten_over_the_last_build_then_edited_in_place_is_repaired() {
    use crate::incremental::settle;
    let (site, _) = built();
    let settings = site.read("site.yaml");
    site.write(
        "site.yaml",
        &settings.replace("Test Clinic", "Edited Clinic"),
    );
    settle();
    let run = site.build(&[]);
    assert!(run.counts().written > 3, "{}", run.stdout);
    let page = site.read("public/faq/pain/index.html");
    assert_contains(&page, "Edited Clinic");
    let edited = page.replacen("Numbing", "NUMBING", 1);
    assert_eq!(page.len(), edited.len());
    for (n, edit) in ["nothing else changed", "another page edited"]
        .iter()
        .enumerate()
    {
        settle();
        site.write("public/faq/pain/index.html", &edited);
        if n == 1 {
            site.write(
                "content/about.md",
                "---\ntitle: About us\n---\nNew words.\n",
            );
        }
        settle();
        let run = site.build(&[]);
        assert_eq!(run.counts().written, 1 + n, "{edit}: {}", run.stdout);
        assert_eq!(site.read("public/faq/pain/index.html"), page, "{edit}");
    }
}

/// A file a build was not meant to remove, changed since: left alone (and no longer
/// recorded), since its bytes are no longer what the tool wrote.
#[test]
fn a_page_someone_changed_is_not_removed_with_its_source() {
    let (site, _) = built();
    site.write("public/about/index.html", "my own about page\n");
    site.remove("content/about.md");
    let run = site.build(&[]);
    assert_eq!(run.counts().removed, 0, "{}", run.stdout);
    assert_eq!(site.read("public/about/index.html"), "my own about page\n");
    assert!(
        !site
            .record("public", "manifest")
            .contains("about/index.html")
    );
}

/// A large site's records are not written again for a one-page edit, only once a share of
/// their entries changed (`cache_format::worth_rewriting`); the entries left out of date only
/// cost the next build the work for those pages, and every build equals a clean build.
#[test]
fn a_large_sites_records_wait_for_a_share_of_changes_and_builds_stay_clean() {
    use crate::incremental::{assert_as_a_clean_copy, records, settle};
    let site = Site::fixture("incremental");
    // 103 markdown files: three out of date are less than a 32nd of them, five are not.
    for n in 0..100 {
        let next = (n + 1) % 100;
        site.write(
            &format!("content/many/p{n:02}.md"),
            &format!(
                "---\ntitle: Page {n}\n---\nText of page {n}, then [the next](p{next:02}.md).\n"
            ),
        );
    }
    settle();
    site.build(&[]);
    settle();
    // The first build's files were new when it recorded them: the next build proves them
    // by their bytes and records them again (an edit's build; one with nothing changed
    // only repeats the last).
    site.write(
        "content/many/p01.md",
        "---\ntitle: Page 1\n---\nWarmed up.\n",
    );
    settle();
    site.build(&[]);
    settle();
    let saved = |site: &Site| {
        let read = std::fs::read(site.path(".clinicsite-cache/read")).expect("the read record");
        let cache = std::fs::read(records(site).join("build-cache")).expect("the build cache");
        (read, cache)
    };
    let first = saved(&site);

    // Its text, not its links (a page whose links changed has the records written again).
    site.write(
        "content/many/p03.md",
        "---\ntitle: Page 3\n---\nEdited, then [the next](p04.md).\n",
    );
    settle();
    let run = site.build(&[]);
    assert_contains(&run.stdout, "1 written, ");
    assert_as_a_clean_copy(&site, &run, "one page edited");
    let (read, cache) = saved(&site);
    assert!(read == first.0, "one edit: the read record stays as it was");
    assert!(
        cache == first.1,
        "one edit: the build cache stays as it was"
    );

    // Edited back: the record still has its first entry, which the manifest and the output
    // file's stamp no longer prove: the page is made again and written.
    site.write(
        "content/many/p03.md",
        "---\ntitle: Page 3\n---\nText of page 3, then [the next](p04.md).\n",
    );
    settle();
    let run = site.build(&[]);
    assert_contains(&run.stdout, "1 written, ");
    assert_as_a_clean_copy(&site, &run, "edited back");

    // Five more pages edited: a share worth writing the records for.
    for n in 10..15 {
        let text = format!("---\ntitle: Page {n}\n---\nAlso edited.\n");
        site.write(&format!("content/many/p{n:02}.md"), &text);
    }
    settle();
    let run = site.build(&[]);
    assert_as_a_clean_copy(&site, &run, "five pages edited");
    let (read, cache) = saved(&site);
    assert!(read != first.0 && cache != first.1, "written again");
    let run = site.build(&[]);
    assert_contains(&run.stdout, "0 written, ");
}
