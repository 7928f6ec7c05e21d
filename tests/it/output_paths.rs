//! Every output path is planned before anything is written: two files on one path, one name
//! that is both a file and a folder (an alias `/robots.txt/` beside the crawler file), names
//! that differ only in capital letters, and names longer than the system allows are findings
//! with the file and line that made them, and the build changes nothing. A folder an earlier
//! build wrote that is now in the way is replaced, never left to wedge later builds.

use crate::failures::{built, fails};
use crate::support::{Site, assert_contains};

const ALIAS_ON_ROBOTS: &str = "error[output/file-and-folder]: `robots.txt/index.html` needs `robots.txt` to be a folder, but `robots.txt` is also written as a file (the old address `/robots.txt/` in content/about.md, line 3; `robots.txt`, a file clinicsite or the theme makes)\n --> content/about.md:3:1\n";

#[test]
fn an_alias_on_a_file_clinicsite_makes_stops_the_build_and_removing_it_unblocks_the_next() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\naliases:\n  - /robots.txt/\n---\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        &ALIAS_ON_ROBOTS
            .replace("line 3", "line 4")
            .replace(":3:1", ":4:1"),
    );
    assert_contains(
        &stderr,
        "help: rename one of the two: one name cannot be a file and a folder at once",
    );
    // `check` finds it too, so it never reaches a build.
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1, "{}", check.stdout);
    assert_contains(&check.stdout, "error[output/file-and-folder]");
    for generated in ["sitemap.xml", "_redirects", "manifest.webmanifest"] {
        site.write(
            "content/about.md",
            &format!("---\ntitle: About us\naliases: [/{generated}/]\n---\n"),
        );
        let stderr = fails(&site, &before, &[]);
        assert_contains(
            &stderr,
            &format!(
                "needs `{generated}` to be a folder, but `{generated}` is also written as a file"
            ),
        );
    }
    site.write("content/about.md", "---\ntitle: About us\n---\n");
    site.build(&[]);
    assert!(site.path("public/robots.txt").is_file());
}

#[test]
fn a_content_folder_named_like_a_file_clinicsite_makes_stops_the_build() {
    let (site, before) = built();
    site.write(
        "content/robots.txt/rules.md",
        "---\ntitle: Rules\n---\nText.\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[output/file-and-folder]: `robots.txt/rules/index.html` needs `robots.txt` to be a folder, but `robots.txt` is also written as a file (the page from content/robots.txt/rules.md; `robots.txt`, a file clinicsite or the theme makes)\n --> content/robots.txt/rules.md:1:1\n",
    );
}

/// Names that differ only in capital letters are one name on a Mac, on Windows and on many
/// hosts: each pair is an error naming both sources.
#[test]
fn names_that_differ_only_in_case_stop_the_build() {
    let (site, before) = built();
    site.write("content/Tips/a.md", "---\ntitle: A\n---\nA.\n");
    site.write("content/tips/b.md", "---\ntitle: B\n---\nB.\n");
    site.write("content/Photo.pdf", "not really a leaflet\n");
    site.write("content/photo.pdf", "not really a leaflet either\n");
    site.write(
        "content/about.md",
        "---\ntitle: About us\naliases: [/FAQ/pain/]\n---\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[output/case]: `tips` and `Tips` differ only in capital letters: on a Mac, on Windows and on many web hosts they are one name, and one would overwrite the other (the page from content/tips/b.md; the page from content/Tips/a.md)\n --> content/tips/b.md:1:1\n",
    );
    assert_contains(
        &stderr,
        "error[output/case]: `photo.pdf` and `Photo.pdf` differ only in capital letters",
    );
    assert_contains(
        &stderr,
        "(the file content/photo.pdf; the file content/Photo.pdf)\n--> content/photo.pdf\n",
    );
    assert_contains(
        &stderr,
        "error[output/case]: `FAQ` and `faq` differ only in capital letters: on a Mac, on Windows and on many web hosts they are one name, and one would overwrite the other (the old address `/FAQ/pain/` in content/about.md, line 3; the page from content/faq/pain.md)\n --> content/about.md:3:1\n",
    );
    assert_contains(
        &stderr,
        "help: spell both the same way (all lower case is safest)",
    );
    assert_contains(&stderr, "The build stopped: 3 errors.");
}

/// A name longer than the system allows (255 bytes) would fail half-way through putting the
/// files in place: it is found before the first one.
#[test]
fn a_name_too_long_for_the_system_stops_the_build_before_anything_is_written() {
    let (site, before) = built();
    let long = "a".repeat(300);
    site.write(
        "content/about.md",
        &format!("---\ntitle: About us\naliases: [/{long}/]\n---\n"),
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        &format!(
            "error[output/too-long]: the output path `{long}/index.html` has a name 300 bytes long; systems allow at most 255\n --> content/about.md:3:1\n"
        ),
    );
    assert_contains(
        &stderr,
        "help: use a shorter file name, folder name or slug",
    );
    // Every name short enough, the whole path too long (`PATH_MAX`, 4,096 bytes on Linux).
    let deep = vec!["b".repeat(200); 21].join("/");
    site.write(
        "content/about.md",
        &format!("---\ntitle: About us\naliases: [/{deep}/]\n---\n"),
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[output/too-long]: the output path `public/bbb",
    );
    assert_contains(
        &stderr,
        "bytes long; the system allows at most 4095\n --> content/about.md:3:1\n",
    );
}

/// A page folder an earlier build wrote (`notes.txt/index.html`) where this build puts a file
/// (`notes.txt`): the earlier build's folder is taken away, and the output is what a clean
/// build makes.
#[test]
fn a_folder_an_earlier_build_wrote_gives_way_to_a_file() {
    let site = Site::fixture("breakable");
    site.write(
        "content/notes.txt/_index.md",
        "---\ntitle: Notes\n---\nNotes.\n",
    );
    site.build(&[]);
    assert!(site.path("public/notes.txt/index.html").is_file());
    site.remove("content/notes.txt/_index.md");
    std::fs::remove_dir(site.path("content/notes.txt")).expect("remove the folder");
    site.write("content/notes.txt", "plain notes\n");
    site.build(&[]);
    assert_eq!(site.read("public/notes.txt"), "plain notes\n");
    // And back again.
    site.remove("content/notes.txt");
    site.write(
        "content/notes.txt/_index.md",
        "---\ntitle: Notes\n---\nNotes.\n",
    );
    site.build(&[]);
    assert_contains(&site.read("public/notes.txt/index.html"), "Notes.");
}

/// A folder of someone else's where the build must write a file is a finding, with `--force`
/// too: the build never deletes what it did not write.
#[test]
fn a_folder_of_someone_elses_in_the_way_of_a_file_stops_the_build() {
    let (site, _) = built();
    std::fs::remove_file(site.path("public/robots.txt")).expect("remove");
    site.write("public/robots.txt/mine.txt", "my notes\n");
    let before = site.fingerprint("public");
    for args in [&[][..], &["--force"][..]] {
        let stderr = fails(&site, &before, args);
        assert_contains(
            &stderr,
            "error[output/folder-in-the-way]: this is a folder, but the build writes the file `robots.txt` here\n--> public/robots.txt\n",
        );
        assert_contains(
            &stderr,
            "help: move the folder away; it holds files clinicsite did not write",
        );
    }
    assert_eq!(site.read("public/robots.txt/mine.txt"), "my notes\n");
}
