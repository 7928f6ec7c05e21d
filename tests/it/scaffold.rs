//! `init` (a whole new site) and `new faq` (one draft FAQ entry).

use crate::support::{Site, assert_contains, assert_lacks};

#[test]
fn init_makes_a_site_that_builds() {
    let site = Site::empty();
    let run = site.run_in(site.tmp(), &["init", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "Created a new site in site.");
    assert!(site.exists("site.yaml") && site.exists("content/_index.md"));
    // The staff guide the messages point to comes with the site.
    assert_contains(&run.stdout, "The staff guide, site/docs/staff.md,");
    assert_eq!(
        site.read("docs/staff.md"),
        include_str!("../../docs/staff.md")
    );

    // Run from the folder that holds the site, a build says where to go.
    let outside = site.run_in(site.tmp(), &["build"]);
    assert_eq!(outside.status, 1);
    assert_contains(
        &outside.stderr,
        "help: the site is in the folder site: run `cd site` first, then this command again\n",
    );

    let run = site.run_in(site.tmp(), &["build", "--root", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "into site/public: ");
    let home = site.read("public/index.html");
    assert_contains(&home, "Welcome");
    // One office is named as one, not "Offices in Main office".
    assert_contains(&home, "Our office: Main office");
    // The build's records stay out of the site's history.
    assert!(site.exists(".clinicsite-cache"));
    assert_contains(&site.read(".gitignore"), "\n/.clinicsite-cache/\n");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = Site::empty();
    site.write("notes.txt", "mine\n");
    let before = site.fingerprint("");
    let run = site.run_in(site.tmp(), &["init", "site"]);
    assert_eq!(run.status, 1);
    assert_contains(&run.stderr, "error[init/not-empty]: `site` is not empty");
    assert_contains(
        &run.stderr,
        "help: choose a new folder name, like `clinicsite init my-site`",
    );
    assert_eq!(
        site.fingerprint(""),
        before,
        "init wrote into a folder that was not empty"
    );
}

#[test]
fn new_faq_creates_a_draft_entry() {
    let site = Site::fixture("new_faq");
    let run = site.run_in(
        site.tmp(),
        &["new", "faq", "Does it hurt?", "--root", "site"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "Created content/faq/does-it-hurt.md. It is a draft",
    );
    let entry = site.read("content/faq/does-it-hurt.md");
    assert_contains(&entry, "\ntitle: \"Does it hurt?\"\n");
    assert_contains(&entry, "\ncategory: \"Comfort\"\n");
    assert_contains(&entry, "\ndraft: true\n");
    // The review is recorded with `clinicsite review`, never written by hand.
    assert_contains(
        &entry,
        "\n# The medical review: once your reviewer has read the answer, record it with\n# clinicsite review content/faq/does-it-hurt.md --by \"NAME\"\n",
    );
    assert_lacks(&entry, "reviewed_by");

    site.build(&[]);
    assert!(
        !site.exists("public/faq/does-it-hurt"),
        "a draft is not published"
    );

    site.build(&["--drafts"]);
    assert_contains(
        &site.read("public/faq/does-it-hurt/index.html"),
        "<h1>Does it hurt?</h1>",
    );
    assert_contains(
        &site.read("public/faq/index.html"),
        r#"<a href="../faq/does-it-hurt/">Does it hurt?</a>"#,
    );
}

#[test]
fn new_faq_will_not_overwrite_an_entry() {
    let site = Site::fixture("new_faq");
    site.write("content/faq/does-it-hurt.md", "---\ntitle: Mine\n---\n");
    let run = site.run(&["new", "faq", "Does it hurt?"]);
    assert_eq!(run.status, 1);
    assert_contains(&run.stderr, "error[new/exists]: this file already exists");
    assert_eq!(
        site.read("content/faq/does-it-hurt.md"),
        "---\ntitle: Mine\n---\n"
    );
}

#[test]
fn a_time_zone_set_after_init_leaves_the_starter_review_valid() {
    // `init` dates the starter answer's review by the machine's day. Just after midnight UTC
    // on December 8 it is still December 7 in Miami, where the clinic sets `timezone:`.
    let site = Site::empty();
    let utc = [("CLINICSITE_TODAY", "2026-12-08")];
    let run = site.run_with(site.tmp(), &utc, &["init", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &site.read("content/faq/what-is-it.md"),
        "\nlast_reviewed: 2026-12-08\n",
    );
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}timezone: America/New_York\n"));
    let miami = [("CLINICSITE_TODAY", "2026-12-07")];
    let run = site.run_with(site.tmp(), &miami, &["build", "--root", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    // A date two days ahead is after today everywhere: a mistake.
    let before = [("CLINICSITE_TODAY", "2026-12-06")];
    let run = site.run_with(site.tmp(), &before, &["build", "--root", "site"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[review/future-date]: `last_reviewed` is 2026-12-08, which is after today (2026-12-06)\n --> content/faq/what-is-it.md:8:1\n",
    );
}

#[test]
fn init_quotes_a_folder_name_with_spaces_in_the_command_it_suggests() {
    let site = Site::empty();
    let run = site.run_in(site.tmp(), &["init", "my site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "Next: cd \"my site\" && clinicsite serve,");
}

/// Translating a site made with `init` into a language it does not have yet: the help names
/// the `languages:` line to write, and with that line the translation starts and the site builds.
#[test]
fn translating_into_a_new_language_names_the_line_to_add() {
    let site = Site::empty();
    let run = site.run_in(site.tmp(), &["init", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // `--to`, the word people reach for, is read as `--lang`.
    let translate = ["translate", "content/faq/what-is-it.md", "--to", "es"];
    let run = site.run(&translate);
    assert_eq!(run.status, 1);
    let line = "languages: [en, es]";
    assert_contains(
        &run.stderr,
        &format!("help: the site's languages are en: to add `es`, write `{line}` in site.yaml"),
    );
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}{line}\n"));
    let run = site.run(&translate);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.exists("content/faq/what-is-it.es.md"));
    let run = site.run(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}
