//! Where a build may write: never the site itself, its sources, a folder holding them, the
//! top of the disk or the home folder; never over files it did not write (without
//! `--force`); never through a link out of the output folder; and the user's dotfiles (`.git`)
//! survive every rebuild.
//!
//! Each refused build must exit with status 1, say why, and change nothing anywhere in the
//! temporary folder that holds the site.

use std::path::Path;

use crate::failures::{MEMORY_LIMIT_MIB, TIME_LIMIT, built};
use crate::support::{Site, assert_contains, fingerprint};

/// Runs `build ARGS` (with `env`), expects it refused with `expected` in its message, and
/// checks that nothing in the temporary folder changed.
#[track_caller]
fn refused(site: &Site, args: &[&str], expected: &str) -> String {
    let everything = fingerprint(site.tmp());
    let args: Vec<&str> = ["build"].into_iter().chain(args.iter().copied()).collect();
    let run = site.run_bounded(&args, TIME_LIMIT, MEMORY_LIMIT_MIB);
    assert_eq!(
        run.status, 1,
        "expected a refusal:\n{}\n{}",
        run.stdout, run.stderr
    );
    assert_contains(&run.stderr, expected);
    assert_contains(&run.stderr, "help: ");
    assert_eq!(
        everything.changed(&fingerprint(site.tmp())),
        Vec::<String>::new(),
        "a refused build changed files"
    );
    run.stderr
}

#[test]
fn the_sources_are_refused_as_output() {
    let (site, _) = built();
    for folder in ["content", "content/faq", "themes", "themes/mini/templates"] {
        refused(
            &site,
            &["--output-dir", folder],
            &format!("error[output/refused]: `{folder}` is inside the site's sources\n"),
        );
    }
}

#[test]
fn folders_holding_the_site_are_refused_as_output() {
    let (site, _) = built();
    for folder in [".", "..", "../.."] {
        refused(
            &site,
            &["--output-dir", folder],
            &format!("error[output/refused]: `{folder}` holds the site itself\n"),
        );
    }
    let absolute = site.tmp().to_string_lossy().into_owned();
    refused(&site, &["--output-dir", &absolute], "holds the site itself");
}

#[test]
fn the_top_of_the_disk_is_refused_as_output() {
    let (site, _) = built();
    refused(
        &site,
        &["--output-dir", "/"],
        "error[output/refused]: `/` is the top of the disk or your home folder\n",
    );
}

#[test]
fn the_home_folder_is_refused_as_output() {
    let (site, _) = built();
    let home = site.tmp().join("home");
    std::fs::create_dir(&home).expect("a home folder");
    let everything = fingerprint(site.tmp());
    let home_text = home.to_string_lossy().into_owned();
    let run = site.run_with(
        &site.root,
        &[("HOME", home_text.as_str())],
        &["build", "--output-dir", &home_text],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "is the top of the disk or your home folder");
    assert_eq!(
        everything.changed(&fingerprint(site.tmp())),
        Vec::<String>::new()
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_the_site_is_refused_as_output() {
    let (site, _) = built();
    std::os::unix::fs::symlink(&site.root, site.tmp().join("shortcut")).expect("link");
    refused(
        &site,
        &["--output-dir", "../shortcut"],
        "error[output/refused]: `../shortcut` holds the site itself\n",
    );
}

#[test]
fn another_site_is_refused_as_output() {
    let (site, _) = built();
    let other = site.tmp().join("other");
    std::fs::create_dir_all(other.join("content")).expect("another site");
    refused(
        &site,
        &["--output-dir", "../other", "--force"],
        "`../other` looks like a site (it has content/ or site.yaml)",
    );
}

#[test]
fn a_file_is_refused_as_output() {
    let (site, _) = built();
    std::fs::write(site.tmp().join("notes.txt"), "mine\n").expect("a file");
    refused(
        &site,
        &["--output-dir", "../notes.txt", "--force"],
        "`../notes.txt` is a file, not a folder",
    );
}

/// A folder that holds only dotfiles (a fresh `git clone` of a host's repository) counts as
/// empty; the dotfiles survive the first build and every later one, even one that removes
/// pages.
#[test]
fn dotfiles_in_a_new_output_folder_survive_every_build() {
    let (site, _) = built();
    let deploy = site.tmp().join("deploy");
    for (rel, text) in [
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".git/config", "[core]\n"),
        (".gitignore", "*.log\n"),
        (
            ".well-known/security.txt",
            "Contact: mailto:it@example.com\n",
        ),
    ] {
        let path = deploy.join(rel);
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(path, text).expect("a dotfile");
    }
    let dotfiles = dotfiles_of(&deploy);
    site.build(&["--output-dir", "../deploy"]);
    assert!(deploy.join("about/index.html").is_file());
    site.remove("content/about.md");
    let run = site.build(&["--output-dir", "../deploy"]);
    assert_eq!(run.counts().removed, 1, "{}", run.stdout);
    assert!(!deploy.join("about").exists());
    assert_eq!(dotfiles_of(&deploy), dotfiles, "the dotfiles changed");
}

/// Every file under `dir` whose path starts with a dot, with its bytes.
fn dotfiles_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)
            .expect("read a folder")
            .flatten()
        {
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if rel.starts_with('.') && !rel.starts_with(".clinicsite") {
                found.push((rel, std::fs::read(&path).expect("read a file")));
            }
        }
    }
    found.sort();
    found
}

/// `--force` writes beside the user's files and never removes them, even when the build
/// later stops producing a page in the same folder.
#[test]
fn force_keeps_the_users_files_through_rebuilds() {
    let (site, _) = built();
    let shared = site.tmp().join("shared");
    std::fs::create_dir_all(shared.join("about")).expect("folder");
    std::fs::write(shared.join("about/photo.jpg"), "jpeg\n").expect("a file");
    std::fs::write(shared.join("index.php"), "<?php\n").expect("a file");
    site.build(&["--output-dir", "../shared", "--force"]);
    site.remove("content/about.md");
    site.build(&["--output-dir", "../shared", "--force"]);
    assert!(!shared.join("about/index.html").exists());
    assert_eq!(
        std::fs::read_to_string(shared.join("about/photo.jpg")).expect("kept"),
        "jpeg\n"
    );
    assert_eq!(
        std::fs::read_to_string(shared.join("index.php")).expect("kept"),
        "<?php\n"
    );
}

/// A folder inside the output replaced by a link to somewhere else: writing the page inside
/// it would write outside the output. Refused, with `--force` too.
#[cfg(unix)]
#[test]
fn a_link_inside_the_output_is_not_written_through() {
    let (site, _) = built();
    let elsewhere = site.tmp().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("folder");
    std::fs::remove_dir_all(site.path("public/faq")).expect("remove");
    std::os::unix::fs::symlink(&elsewhere, site.path("public/faq")).expect("link");
    for args in [&[][..], &["--force"][..]] {
        let stderr = refused(
            &site,
            args,
            "error[output/link]: this folder is a link to [TMP]/elsewhere: the build would write outside the output folder through it\n--> public/faq\n",
        );
        assert_contains(
            &stderr,
            "help: remove the link; the build makes the folder itself",
        );
    }
    assert_eq!(std::fs::read_dir(&elsewhere).expect("read").count(), 0);
}
