//! Incremental output: only changed files are written, stale ones removed, the user's own
//! files in the output folder left alone.

use crate::support::{Counts, Site, assert_contains};

#[test]
fn a_second_build_writes_nothing() {
    let site = Site::fixture("incremental");
    let first = site.build(&[]);
    let files = site.files("public").len() - 1; // all but the manifest
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
        &format!(" ms into public: 0 written, {files} unchanged, 0 removed.\n"),
    );
    assert_eq!(
        before.changed(&site.fingerprint("public")),
        Vec::<String>::new(),
        "no file may be touched"
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
    assert!(
        !site
            .read("public/.clinicsite-manifest")
            .contains("two/index.html")
    );
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
