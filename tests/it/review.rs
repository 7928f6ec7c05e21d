//! `clinicsite review` and what a review means afterwards (fixture `review`): the fields it
//! writes in place, the badge that goes when the text changes, `check`'s "changed since
//! review" with the words removed and added, re-saving in another editor, translations
//! reviewed on their own, and the reviewer's HTML report.

use crate::support::{Run, Site, assert_contains, assert_lacks};

const PAGE: &str = "content/faq/pain.md";

fn review(site: &Site, args: &[&str]) -> Run {
    let all: Vec<&str> = ["review"].into_iter().chain(args.iter().copied()).collect();
    site.run(&all)
}

fn check(site: &Site, args: &[&str]) -> Run {
    let all: Vec<&str> = ["check", "--today", "2026-11-24"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    site.run(&all)
}

/// The page's front matter line for `key`.
fn line<'t>(text: &'t str, key: &str) -> &'t str {
    text.lines()
        .find(|l| l.starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no `{key}:` line in\n{text}"))
}

#[test]
fn review_records_reviewer_date_and_fingerprint_keeping_every_other_line() {
    let site = Site::fixture("review");
    let before = site.read(PAGE);
    let run = review(
        &site,
        &[PAGE, "--by", "Dr. Ana Ruiz", "--date", "2026-11-20"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Recorded the medical review of content/faq/pain.md by Dr. Ana Ruiz on 2026-11-20.\n"
    );
    let after = site.read(PAGE);
    assert_eq!(line(&after, "reviewed_by"), "reviewed_by: Dr. Ana Ruiz");
    let fingerprint = line(&after, "review_fingerprint")
        .trim_start_matches("review_fingerprint: ")
        .to_string();
    assert_eq!(fingerprint.len(), 16, "{after}");
    // Only the review lines changed: comments, the commented-out hint and the body are kept.
    let expected = before
        .replace("reviewed_by: \"\"", "reviewed_by: Dr. Ana Ruiz")
        .replace(
            "# last_reviewed: 2026-01-31\n",
            "# last_reviewed: 2026-01-31\nlast_reviewed: 2026-11-20\n",
        )
        .replace(
            "updated: 2026-11-02\n",
            &format!("updated: 2026-11-02\nreview_fingerprint: {fingerprint}\n"),
        );
    assert_eq!(after, expected);
    assert!(site.exists(&format!(".clinicsite-cache/reviews/{fingerprint}.txt")));

    site.build(&[]);
    assert_contains(
        &site.read("public/faq/pain/index.html"),
        "reviewed by: Dr. Ana Ruiz on <time datetime=\"2026-11-20\">",
    );
    let run = check(&site, &[]);
    assert_lacks(&run.stdout, "review/");
}

/// With no day given, a review is dated by the clinic's clock: the date in site.yaml's
/// `timezone:` (14 hours ahead of UTC in one, 11 behind in the other: at any hour one of
/// them is on another day than UTC). A name that is no zone stops the build.
#[test]
fn a_review_is_dated_by_the_clinics_time_zone() {
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let site = Site::fixture("review");
        site.write(
            "site.yaml",
            &format!("{}timezone: {zone}\n", site.read("site.yaml")),
        );
        let tz = jiff::tz::TimeZone::get(zone).expect("a zone");
        let there = jiff::Timestamp::now().to_zoned(tz).date().to_string();
        let run = site.run_with(
            &site.root,
            &[("CLINICSITE_TODAY", "")],
            &["review", PAGE, "--by", "Dr. Ana Ruiz"],
        );
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_eq!(
            line(&site.read(PAGE), "last_reviewed"),
            format!("last_reviewed: {there}"),
            "{zone}"
        );
    }

    let site = Site::fixture("review");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}timezone: Miami\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    let line = yaml.lines().count() + 1;
    assert_contains(
        &run.stderr,
        &format!(
            "error[config/timezone]: `Miami` is not a time zone name\n --> site.yaml:{line}:11\n"
        ),
    );
    assert_contains(
        &run.stderr,
        "help: write the clinic's zone as the time zone database names it, like `timezone: America/New_York` (Miami)\n",
    );
}

#[test]
fn an_edit_after_the_review_removes_the_badge_and_check_names_the_changed_words() {
    let site = Site::fixture("review");
    review(
        &site,
        &[PAGE, "--by", "Dr. Ana Ruiz", "--date", "2026-11-20"],
    );
    let text = site.read(PAGE).replace(
        "Most people feel some pressure and mild warmth.",
        "Most people feel light tapping and mild warmth.",
    );
    site.write(PAGE, &text);

    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stdout,
        "error[review/changed]: the text changed since its medical review on 2026-11-20: removed \"some pressure\"; added \"light tapping\"\n  --> content/faq/pain.md:10:1\n",
    );
    assert_contains(
        &run.stdout,
        "help: until it is reviewed again, the page no longer says it was medically reviewed; ask the medical reviewer to read it, then run `clinicsite review content/faq/pain.md --by \"Dr. Ana Ruiz\"`",
    );
    assert_contains(&run.stdout, "changed since review");

    // `build` will not publish it as it is (its gate runs the same rule)...
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error[review/changed]");
    // ...and where the site relaxes the rule, the page no longer says it was reviewed (the
    // check fixture's theme prints the field).
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}check:\n  rules:\n    review/changed: warning\n"),
    );
    site.build(&[]);
    let page = site.read("public/faq/pain/index.html");
    assert_contains(&page, "<p>reviewed by: </p>");
    assert_lacks(&page, "Dr. Ana Ruiz");
    site.write("site.yaml", &yaml);

    // Without the copy of the reviewed words, check still says the text changed.
    std::fs::remove_dir_all(site.path(".clinicsite-cache/reviews")).unwrap();
    let run = check(&site, &[]);
    assert_contains(
        &run.stdout,
        "error[review/changed]: the text changed since its medical review on 2026-11-20 (the reviewed words are not kept on this computer, so the changed words cannot be shown; compare with the file's history)",
    );

    // Reviewing it again brings the badge back.
    review(&site, &[PAGE, "--by", "Dr. Ana Ruiz"]);
    site.build(&[]);
    assert_contains(
        &site.read("public/faq/pain/index.html"),
        "reviewed by: Dr. Ana Ruiz on",
    );
}

#[test]
fn saving_in_another_editor_keeps_the_review() {
    let site = Site::fixture("review");
    review(
        &site,
        &[PAGE, "--by", "Dr. Ana Ruiz", "--date", "2026-11-20"],
    );
    // Windows line endings, spaces at line ends, an extra blank line, no final newline.
    let resaved = site
        .read(PAGE)
        .replace("first.\n\nMost", "first.   \n\n\n\nMost")
        .trim_end()
        .replace('\n', "\r\n");
    site.write(PAGE, &resaved);
    let run = check(&site, &[]);
    assert_lacks(&run.stdout, "review/");
    site.build(&[]);
    assert_contains(
        &site.read("public/faq/pain/index.html"),
        "reviewed by: Dr. Ana Ruiz on",
    );
}

#[test]
fn a_review_written_by_hand_shows_but_asks_to_be_recorded() {
    let site = Site::fixture("review");
    let text = site
        .read(PAGE)
        .replace("reviewed_by: \"\"", "reviewed_by: Medical Director")
        .replace("# last_reviewed: 2026-01-31", "last_reviewed: 2026-10-20");
    site.write(PAGE, &text);
    let run = check(&site, &[]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_contains(
        &run.stdout,
        "warning[review/unrecorded]: this review was written by hand, so a later change to the text would not be noticed\n --> content/faq/pain.md:7:1\n",
    );
    assert_contains(
        &run.stdout,
        "help: if the text is the one Medical Director reviewed on 2026-10-20, run `clinicsite review content/faq/pain.md --by \"Medical Director\" --date 2026-10-20`",
    );
    site.build(&[]);
    assert_contains(
        &site.read("public/faq/pain/index.html"),
        "reviewed by: Medical Director on",
    );
}

#[test]
fn changed_since_review_can_be_relaxed_to_a_warning() {
    let site = Site::fixture("review");
    review(
        &site,
        &[PAGE, "--by", "Dr. Ana Ruiz", "--date", "2026-11-20"],
    );
    site.write(PAGE, &site.read(PAGE).replace("mild warmth", "some warmth"));
    let yaml = site.read("site.yaml") + "check:\n  rules:\n    review/changed: warning\n";
    site.write("site.yaml", &yaml);
    let run = check(&site, &[]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_contains(
        &run.stdout,
        "warning[review/changed]: the text changed since its medical review on 2026-11-20: removed \"mild\"; added \"some\"",
    );
}

#[test]
fn review_refuses_bad_names_and_dates_and_changes_nothing() {
    let site = Site::fixture("review");
    site.write("notes.md", "---\ntitle: Notes\n---\nNot a page.\n");
    site.write("content/faq/plain.md", "Just text, no front matter.\n");
    let before = site.fingerprint("content");
    let run = review(
        &site,
        &[
            PAGE,
            "content/faq/missing.md",
            "notes.md",
            "content/faq/plain.md",
            "content/faq",
            "--by",
            "Dr. A",
            "--date",
            "2999-01-01",
        ],
    );
    assert_eq!(run.status, 1);
    for expected in [
        "error[review/future-date]: `--date 2999-01-01` is after today",
        "error[review/not-found]: there is no file `content/faq/missing.md`",
        "error[review/not-content]: `notes.md` is not in the site's content/ folder",
        "error[frontmatter/missing]: the file does not start with a `---` line\n --> content/faq/plain.md:1:1",
        "error[review/not-a-page]: `content/faq` is a folder",
    ] {
        assert_contains(&run.stderr, expected);
    }
    assert_eq!(site.fingerprint("content"), before, "nothing was written");
    assert!(!site.exists(".clinicsite-cache"));
    // An empty name is refused too; a missing --by is a command-line error.
    assert_contains(
        &review(&site, &[PAGE, "--by", " "]).stderr,
        "error[review/no-reviewer]: the reviewer's name is empty",
    );
    review(&site, &[PAGE]).assert_usage_error();
}

#[test]
fn a_translation_is_reviewed_on_its_own() {
    let site = Site::fixture("review");
    review(
        &site,
        &[PAGE, "--by", "Dr. Ana Ruiz", "--date", "2026-11-20"],
    );
    let run = site.run(&["translate", PAGE, "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let spanish = site.read("content/faq/pain.es.md");
    for key in ["reviewed_by:", "last_reviewed:", "review_fingerprint:"] {
        assert!(
            !spanish.lines().any(|l| l.starts_with(key)),
            "{key} was copied:\n{spanish}"
        );
    }
    assert_contains(
        &spanish,
        "# Who checked this answer, and the date they did.",
    );

    // Half translated and published: no badge, and check says it was never reviewed.
    let published = spanish
        .replace("title: Does it hurt?", "title: ¿Duele?")
        .lines()
        .filter(|l| !l.starts_with("draft:"))
        .collect::<Vec<_>>()
        .join("\n");
    site.write("content/faq/pain.es.md", &published);
    // `build` will not publish it: a translation needs a review of its own...
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[review/missing]: this answer has no medical review yet: no reviewer and no date\n --> content/faq/pain.es.md",
    );
    // (nor English words on the Spanish site)...
    assert_contains(
        &run.stderr,
        "error[translation/untranslated]: this page is not translated yet: its short answer (`summary:`) and lines 10 and 12 still have the English words of content/faq/pain.md\n",
    );
    // ...and where the site relaxes these rules, it is published without the badge.
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}check:\n  rules:\n    review/missing: warning\n    translation/untranslated: warning\n"),
    );
    site.build(&[]);
    assert_contains(
        &site.read("public/es/faq/pain/index.html"),
        "<p>reviewed by: </p>",
    );
    let run = check(&site, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let entry = json["review_schedule"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "content/faq/pain.es.md")
        .expect("the translation is in the schedule")
        .clone();
    assert_eq!(entry["status"], "missing");
    assert_eq!(entry["text"], "not-reviewed");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "content/faq/pain.es.md")
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"review/missing"), "{rules:?}");
}

#[test]
fn drafts_need_no_review() {
    let site = Site::fixture("review");
    site.write(
        PAGE,
        &site.read(PAGE).replace("updated:", "draft: true\nupdated:"),
    );
    let run = check(&site, &["--drafts"]);
    assert_lacks(&run.stdout, "review/");
}

#[test]
fn the_html_report_puts_what_needs_the_reviewer_first() {
    let site = Site::fixture("check_review");
    // One page changes after its review.
    let current = "content/faq/current.md";
    site.write(
        current,
        &(site.read(current) + "\nIt is painless for everyone.\n"),
    );
    let run = check(&site, &["--format", "html"]);
    assert_eq!(run.status, 1);
    let html = &run.stdout;
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in\n{html}"))
    };
    // Overdue, then changed since review, then never reviewed, then everything else.
    assert!(at("badge error\">Overdue<") < at("badge error\">Changed since review<"));
    assert!(at("badge error\">Changed since review<") < at("badge error\">Never reviewed<"));
    assert!(at("badge error\">Never reviewed<") < at("<h2>Other findings</h2>"));
    assert!(at("<h2>Needs the medical reviewer</h2>") < at("badge error\">Overdue<"));
    // Each item: the page title linked to the local preview, the file, the words at fault.
    assert_contains(
        html,
        "<a class=\"page\" href=\"http://127.0.0.1:1111/faq/current/\">Reviewed last month</a><span class=\"file\">content/faq/current.md, line",
    );
    assert_contains(
        html,
        "<blockquote>It is <mark>painless</mark> for everyone.</blockquote>",
    );
    // Plain words: no rule ids or backticks on the page.
    let visible: String = html
        .split('<')
        .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
        .collect();
    assert_lacks(&visible, "review/overdue");
    assert_lacks(&visible, "claims/absolute");
    assert_lacks(&visible, "`");
}

#[test]
fn the_commands_in_help_can_be_pasted_for_a_file_name_with_spaces() {
    let site = Site::fixture("review");
    let spaced = "content/faq/what is it.md";
    site.write(
        spaced,
        &site.read(PAGE).replace("Does it hurt?", "What is it?"),
    );
    site.remove(PAGE);
    review(
        &site,
        &[spaced, "--by", "Dr. O'Neil", "--date", "2026-11-20"],
    );
    let text = site.read(spaced).replace("some pressure", "light tapping");
    site.write(spaced, &text);

    let run = check(&site, &[]);
    let command = "clinicsite review \"content/faq/what is it.md\" --by \"Dr. O'Neil\"";
    assert_contains(&run.stdout, &format!("then run `{command}`"));
    assert_contains(
        &run.stdout,
        "help: run `clinicsite translate \"content/faq/what is it.md\" --lang es` to start one\n",
    );
    // Pasted into a shell as it is printed, it records the review.
    let pasted = std::process::Command::new("sh")
        .arg("-c")
        .arg(command.replacen("clinicsite", crate::support::BIN, 1))
        .current_dir(site.path(""))
        .env("CLINICSITE_TODAY", "2026-11-24")
        .output()
        .expect("run sh");
    assert!(pasted.status.success(), "{pasted:?}");
    assert_eq!(check(&site, &[]).status, 0);
}
