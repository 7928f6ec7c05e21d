//! Builds that find problems: exit status 1, every problem reported with `file:line:column`,
//! what is wrong and what to write instead, and the output folder left exactly as it was.
//!
//! Each test builds the `breakable` fixture once (so `public/` has something to lose), breaks
//! it in one way, and checks the failed build.

use std::time::Duration;

use crate::support::{Fingerprint, Site, assert_contains, assert_lacks};

/// How long a failing build may take before it counts as a hang.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);
/// The address space a build may use, in MiB: a few times what a 50 MB page needs.
pub const MEMORY_LIMIT_MIB: u64 = 3 * 1024;

/// The `breakable` fixture after one clean build, and the fingerprint of its `public/`.
pub fn built() -> (Site, Fingerprint) {
    let site = Site::fixture("breakable");
    site.build(&[]);
    let before = site.fingerprint("public");
    (site, before)
}

/// Runs `build ARGS`, expecting findings: exit status 1 within `TIME_LIMIT`, nothing on
/// stdout, `public/` untouched. Returns stderr.
#[track_caller]
pub fn fails(site: &Site, before: &Fingerprint, args: &[&str]) -> String {
    let args: Vec<&str> = ["build"].into_iter().chain(args.iter().copied()).collect();
    let run = site.run_bounded(&args, TIME_LIMIT, MEMORY_LIMIT_MIB);
    assert_eq!(
        run.status, 1,
        "expected the build to fail; stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stdout, "");
    assert_eq!(
        site.fingerprint("public"),
        *before,
        "a failed build changed public/"
    );
    run.stderr
}

#[test]
fn bad_yaml_syntax() {
    let (site, before) = built();
    site.write("content/faq/pain.md", "---\ntitle: Does it hurt?\ncategory: Comfort\nsummary: Yes: a little\n---\n## Numbing cream\n");
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[yaml/invalid]: the text of `summary` holds `: `, which YAML reads as a second key\n --> content/faq/pain.md:4:10\n",
    );
    assert_contains(
        &stderr,
        "help: put the whole value in quotes: `summary: \"Yes: a little\"`",
    );
    assert_contains(
        &stderr,
        "The build stopped: 1 error. Nothing in public was changed.",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let (site, before) = built();
    site.write("content/faq/pain.md", "---\ntitle: Does it hurt?\ncategory: Comfort\nlast_reviewd: 2026-01-15\n---\n## Numbing cream\n");
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[yaml/unknown-key]: unknown key `last_reviewd`\n --> content/faq/pain.md:4:1\n",
    );
    assert_contains(
        &stderr,
        "help: did you mean `last_reviewed`? Write `last_reviewed: 2026-01-15`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_key_in_site_yaml() {
    let (site, before) = built();
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\nbase_ulr: https://www.example.com/\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[yaml/unknown-key]: unknown key `base_ulr`\n --> site.yaml:3:1\n",
    );
    assert_contains(
        &stderr,
        "help: did you mean `base_url`? Write `base_url: https://www.example.com/`",
    );
}

#[test]
fn wrong_type() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\nweight: heavy\n---\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[yaml/invalid]: wrong kind of value in `weight`: expected a whole number, found string \"heavy\"\n --> content/about.md:3:9\n",
    );
    assert_contains(&stderr, "help: write a whole number, like `weight: 3`");
    insta::assert_snapshot!(stderr);
}

#[test]
fn missing_title() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ndescription: Who we are.\n---\nText.\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[page/missing-title]: this page has no title\n --> content/about.md:1:1\n",
    );
    assert_contains(
        &stderr,
        "help: add a line after the first `---`, like `title: Does microneedling hurt?`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn broken_link_to_a_missing_page() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nFirst line.\nRead [the answer](faq/pian.md).\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[link/broken]: the link goes to `faq/pian.md`, which does not exist\n --> content/about.md:5:6\n",
    );
    assert_contains(&stderr, "help: did you mean `faq/pain.md`?");
    insta::assert_snapshot!(stderr);
}

#[test]
fn link_to_a_missing_anchor() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nRead [about numbing](faq/pain.md#numbing).\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[link/missing-anchor]: `faq/pain.md#numbing` links to a heading that does not exist\n --> content/about.md:4:6\n",
    );
    assert_contains(
        &stderr,
        "help: did you mean `#numbing-cream`? Heading ids are the heading's words in lower case, joined by hyphens",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn two_pages_on_one_address() {
    let (site, before) = built();
    site.write(
        "content/about-us.md",
        "---\ntitle: About the clinic\nslug: about\n---\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[site/duplicate-url]: this page and content/about-us.md both want the address /about/\n --> content/about.md:1:1\n",
    );
    assert_contains(
        &stderr,
        "help: give one of them a different `slug:` or file name",
    );
    assert_contains(&stderr, "The build stopped: 1 error.");
    insta::assert_snapshot!(stderr);
}

#[test]
fn template_syntax_error() {
    let (site, before) = built();
    let page = site
        .read("themes/mini/templates/page.html")
        .replace("<h1>{{ page.title }}</h1>", "<h1>{{ page.title }</h1>");
    site.write("themes/mini/templates/page.html", &page);
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, "error[template/error]: ");
    assert_contains(&stderr, " --> themes/mini/templates/page.html:5:");
    assert_contains(
        &stderr,
        "help: fix the template; the Tera 2 syntax is described at https://keats.github.io/tera/",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn missing_template() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\ntemplate: nope.html\n---\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[template/missing]: the theme has no template `nope.html`\n --> content/about.md:3:1\n",
    );
    assert_contains(&stderr, "help: did you mean `template: page.html`?");
    insta::assert_snapshot!(stderr);
}

#[test]
fn output_folder_with_foreign_files_is_refused_without_force() {
    let (site, before) = built();
    let elsewhere = site.tmp().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("photos")).expect("create a folder");
    std::fs::write(elsewhere.join("notes.txt"), "mine\n").expect("write a file");
    std::fs::write(elsewhere.join("photos/a.jpg"), "jpeg\n").expect("write a file");
    let theirs = crate::support::fingerprint(&elsewhere);

    let stderr = fails(&site, &before, &["--output-dir", "../elsewhere"]);
    assert_contains(
        &stderr,
        "error[output/refused]: `../elsewhere` already holds 2 files or folders that clinicsite did not write\n",
    );
    assert_contains(&stderr, "pass `--force` to write beside them");
    assert_contains(&stderr, "Nothing in ../elsewhere was changed.");
    assert_eq!(
        crate::support::fingerprint(&elsewhere),
        theirs,
        "the user's files were touched"
    );
    insta::assert_snapshot!(stderr);

    let run = site.run(&["build", "--output-dir", "../elsewhere", "--force"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(elsewhere.join("index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("notes.txt")).expect("the user's file"),
        "mine\n"
    );
}

#[test]
fn a_foreign_file_where_a_page_goes_is_refused() {
    let (site, _) = built();
    site.write("public/contact/index.html", "<p>the user's own page</p>\n");
    let before = site.fingerprint("public");
    site.write("content/contact.md", "---\ntitle: Contact\n---\n");
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[output/foreign-file]: clinicsite did not write this file, and the build needs its place\n--> public/contact/index.html\n",
    );
    assert_contains(
        &stderr,
        "help: move the file away, or pass `--force` to replace it",
    );
}

#[test]
fn the_site_root_is_refused_as_output() {
    let (site, before) = built();
    let whole_site = site.fingerprint("");
    let stderr = fails(&site, &before, &["--output-dir", "."]);
    assert_contains(
        &stderr,
        "error[output/refused]: `.` holds the site itself\n",
    );
    assert_contains(&stderr, "help: use a folder inside the site, like `public`");
    assert_eq!(
        site.fingerprint(""),
        whole_site,
        "nothing in the site may change"
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\nweight: heavy\n---\n",
    );
    site.write(
        "content/faq/pain.md",
        "---\ntitle: Does it hurt?\nlast_reviewd: 2026-01-15\n---\n## Numbing cream\n",
    );
    site.write(
        "content/faq/sessions.md",
        "---\ntitle: How many sessions?\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-01\n---\nSee [results](results.md).\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, " --> content/about.md:3:9\n");
    assert_contains(&stderr, " --> content/faq/pain.md:3:1\n");
    assert_contains(&stderr, " --> content/faq/sessions.md:6:5\n");
    // The misspelt key is read as the key meant: the page's review has its date, and the
    // finding about it names only the reviewer missing.
    assert_contains(
        &stderr,
        "error[review/missing]: this answer does not say who reviewed it medically\n --> content/faq/pain.md:1:1\n",
    );
    assert_contains(
        &stderr,
        "The build stopped: 4 errors. Nothing in public was changed.",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_link_to_a_draft_is_reported() {
    let (site, before) = built();
    site.write(
        "content/faq/soon.md",
        "---\ntitle: Coming soon?\ndraft: true\n---\nNot ready.\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nRead [what is coming](faq/soon.md).\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[link/broken]: the link goes to `faq/soon.md`, a draft that is not published\n --> content/about.md:4:6\n",
    );
    assert_contains(
        &stderr,
        "help: publish that page (remove its `draft: true` line) or remove this link; `--drafts` builds both to preview",
    );
    // With drafts, both are built and the link works.
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &site.read("public/about/index.html"),
        "href=\"../faq/soon/\"",
    );
}

#[test]
fn an_unknown_key_does_not_hide_a_wrong_value_in_the_same_file() {
    let (site, before) = built();
    site.write(
        "content/about.md",
        "---\ntitle: About us\ntitel: About\nweight: heavy\n---\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, "unknown key `titel`\n --> content/about.md:3:1\n");
    assert_contains(
        &stderr,
        "expected a whole number, found string \"heavy\"\n --> content/about.md:4:9\n",
    );
}

#[test]
fn a_template_error_does_not_hide_content_errors() {
    let (site, before) = built();
    site.write("themes/mini/templates/page.html", "{% if %}\n");
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nSee [nothing](missing.md).\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, " --> themes/mini/templates/page.html:1:7\n");
    assert_contains(&stderr, " --> content/about.md:4:5\n");
    assert_contains(
        &stderr,
        "The build stopped: 2 errors. Nothing in public was changed.",
    );
}

/// Files staff leave in `content/` by mistake: a Word draft beside its page would be published
/// for anyone to download, and a page saved as `.markdown` would be copied raw. Both stop the
/// build (and `check`) with what to do; Word's lock file is left out without a word.
#[test]
fn office_documents_and_pages_with_another_ending_stop_the_build() {
    let site = Site::fixture("faq");
    site.build(&[]);
    let before = site.fingerprint("public");
    site.write("content/faq/Pain draft v2.docx", "PK\u{3}\u{4} a Word file");
    site.write("content/faq/~$in draft v2.docx", "lock");
    site.write(
        "content/faq/notes.markdown",
        "---\ntitle: Notes\n---\nText.\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[source/document]: `Pain draft v2.docx` is an office document: anything in content/ is published, so anyone could download it\n--> content/faq/Pain draft v2.docx\n",
    );
    assert_contains(
        &stderr,
        "help: keep drafts and notes outside the content folder; for a handout patients download, save it as a PDF and link the PDF\n",
    );
    assert_contains(
        &stderr,
        "error[source/page-extension]: `notes.markdown` is not made a page: page files end in `.md`, and this one would be published as a raw file\n",
    );
    assert_contains(&stderr, "help: rename it `notes.md`\n");
    assert_lacks(&stderr, "~$");
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1);
    assert_contains(&check.stdout, "error[source/document]");

    // Drafts moved out: the build goes on, and the lock file is not published.
    site.remove("content/faq/Pain draft v2.docx");
    site.remove("content/faq/notes.markdown");
    site.build(&[]);
    assert!(!site.exists("public/faq/~$in draft v2.docx"));
    assert!(!site.exists("public/faq/notes.markdown"));
}
