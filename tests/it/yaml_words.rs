//! YAML as staff who are not programmers write it: a ` #` inside a value, a colon in a title,
//! a tab, a date or days written the way people say them, curly quotes pasted from Word,
//! phone numbers in any common form. Each mistake gets the exact line to write instead
//! (pinned, like the rest of the corpus in `bad_input`); what can be read is read.

use crate::bad_input::{
    ABOUT, LOCATIONS, LOCATIONS_INDEX, NORTH, PAIN, SITE, check_builds, fails_cleanly, lay,
    location,
};
use crate::failures::built;
use crate::support::{assert_contains, assert_lacks};

/// A location page whose hours are open on `days`, written as given (brackets included).
fn open_on(days: &str) -> String {
    location("305-555-0101", "09:00", "17:00", "Mo", "25.8").replace("[Mo]", days)
}

fails! {
    // ---- ` #` starts a comment: the words after it would be dropped ----
    comment_swallows_words: PAIN => "---\ntitle: Does it hurt?\ncategory: Comfort\nsummary: Most people feel comfortable. Tip #1: arrive early\n---\n";
        "error[yaml/invalid]: `summary` would lose the words `#1: arrive early`: YAML reads ` #` as the start of a comment\n --> content/faq/pain.md:4:44\n",
        "help: put the whole value in quotes: `summary: \"Most people feel comfortable. Tip #1: arrive early\"`";
    comment_swallows_a_list_item: ABOUT => "---\ntitle: About us\ntags:\n  - before #after\n---\n";
        "this value would lose the words `#after`: YAML reads ` #` as the start of a comment\n --> content/about.md:4:12\n",
        "`- \"before #after\"`";

    // ---- A colon in a value ----
    colon_in_title: ABOUT => "---\ntitle: Microneedling: what to expect\n---\n";
        "error[yaml/invalid]: the text of `title` holds `: `, which YAML reads as a second key\n --> content/about.md:2:8\n",
        "help: put the whole value in quotes: `title: \"Microneedling: what to expect\"`";
    colon_in_title_with_quotes: ABOUT => "---\ntitle: Ask us: \"does it hurt?\"\n---\n";
        "the text of `title` holds `: `",
        "help: put the whole value in quotes: `title: 'Ask us: \"does it hurt?\"'`";

    // ---- A comma inside { }: the words after it read as a key ----
    comma_in_a_braced_value: ABOUT => "---\ntitle: About us\nimage: { src: door.jpg, alt: Our front door, with a blue awning. }\n---\n";
        "error[yaml/unknown-key]: unknown key `with a blue awning.` in `image`\n --> content/about.md:3:",
        "help: a comma inside `{ }` ends a value: put the whole value in quotes: `image: { src: door.jpg, alt: \"Our front door, with a blue awning.\" }`";

    // ---- Tabs ----
    tab_before_a_top_level_key: ABOUT => "---\ntitle: About us\n\tdescription: Who we are.\n---\n";
        "this line is indented with a tab\n --> content/about.md:3:1\n",
        "help: YAML needs spaces, not tabs: delete the tab and write the line as `description: Who we are.`";

    // ---- Dates written the way people say them ----
    date_month_first: PAIN => "---\ntitle: Does it hurt?\ncategory: Comfort\nlast_reviewed: 10/20/2026\n---\n";
        "`10/20/2026` is not written as YYYY-MM-DD\n --> content/faq/pain.md:4:16\n",
        "help: did you mean `last_reviewed: 2026-10-20` (October 20, 2026)? Dates are written YYYY-MM-DD";
    date_day_first: ABOUT => "---\ntitle: About us\ndate: 20/10/2026\n---\n";
        "`20/10/2026` is not written as YYYY-MM-DD\n --> content/about.md:3:7\n",
        "help: did you mean `date: 2026-10-20` (October 20, 2026)?";
    date_month_in_words: ABOUT => "---\ntitle: About us\nupdated: Oct 20, 2026\n---\n";
        "`Oct 20, 2026` is not written as YYYY-MM-DD\n --> content/about.md:3:10\n",
        "help: did you mean `updated: 2026-10-20` (October 20, 2026)?";
    date_either_way_round: ABOUT => "---\ntitle: About us\ndate: 03/04/2026\n---\n";
        "`03/04/2026` is not written as YYYY-MM-DD, and could be read two ways\n --> content/about.md:3:7\n",
        "help: did you mean `date: 2026-03-04` (March 4, 2026) or `date: 2026-04-03` (April 3, 2026)?";

    // ---- Days written the way people say them ----
    days_two_letter_range: LOCATIONS => LOCATIONS_INDEX, NORTH => &open_on("[Mo-Fr]");
        "`Mo-Fr` is not written as a list of days in `location.hours`\n  --> content/locations/north.md:12:16\n",
        "help: write `days: [Mo, Tu, We, Th, Fr]`";
    days_short_names: LOCATIONS => LOCATIONS_INDEX, NORTH => &open_on("Mon-Fri");
        "`Mon-Fri` is not written as a list of days",
        "help: write `days: [Mo, Tu, We, Th, Fr]`";
    days_full_names_with_a_dash: LOCATIONS => LOCATIONS_INDEX, NORTH => &open_on("Monday - Friday");
        "`Monday - Friday` is not written as a list of days",
        "help: write `days: [Mo, Tu, We, Th, Fr]`";
    days_monday_to_friday: LOCATIONS => LOCATIONS_INDEX, NORTH => &open_on("[Monday to Friday]");
        "`Monday to Friday` is not written as a list of days",
        "help: write `days: [Mo, Tu, We, Th, Fr]`";
    days_not_a_day: LOCATIONS => LOCATIONS_INDEX, NORTH => &open_on("[Funday]");
        "`Funday` is not a day",
        "help: write two letters a day, like `days: [Mo, Tu, We, Th, Fr]`";

    // ---- Phone numbers ----
    phone_with_an_extension: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101 ext 2", "09:00", "17:00", "Mo", "25.8");
        "error[location/phone]: `305-555-0101 ext 2` is not a phone number the site can show\n --> content/locations/north.md:9:11\n",
        "help: write the area code and number, like `phone: 305-555-0101`";
    site_phone_in_words: SITE => "title: Test Clinic\ntheme: mini\nphone: call the front desk\n";
        "error[config/phone]: `call the front desk` is not a phone number the site can show\n --> site.yaml:3:1\n",
        "help: write the area code and number, like `phone: 305-555-0100`";
}

/// The help's line, applied as written, builds: the advice for a tab must not lead to the
/// next error.
#[test]
fn the_line_the_tab_help_suggests_builds() {
    for (page, line) in [
        ("---\ntitle: About us\n\tdescription: Who we are.\n---\n", 3),
        ("---\ntitle: About us\nextra:\n\thero: true\n---\n", 4),
    ] {
        let (site, public) = built();
        lay(&site, &[(ABOUT, page.as_bytes())]);
        let stderr = fails_cleanly(&site, &public);
        let help = stderr
            .lines()
            .find(|l| l.starts_with("help: "))
            .expect("a help line");
        let suggested = help
            .rsplit('`')
            .nth(1)
            .expect("the line to write, in backticks");
        let mut lines: Vec<&str> = page.lines().collect();
        lines[line - 1] = suggested;
        let fixed = lines.join("\n") + "\n";
        check_builds(&site, &[(ABOUT, fixed.as_bytes())]);
        assert_contains(&site.read("public/about/index.html"), "About us");
    }
}

/// Mistakes that stop YAML reading the text (a colon in a title, a quote left open, a tab)
/// are reported all in one run, with a wrong date further down: each help's line is applied
/// and the text read again, so staff do not fix one line per build.
#[test]
fn every_mistake_in_a_header_is_reported_in_one_run() {
    let page = "---\ntitle: Does it hurt: what to expect\ncategory: Comfort\nsummary: \"It feels like light scratching.\ndescription: What patients feel during a session.\nlast_reviewed: 10/20/2026\n\tweight: 2\n---\nText.\n";
    let (site, public) = built();
    lay(&site, &[(PAIN, page.as_bytes())]);
    let stderr = fails_cleanly(&site, &public);
    let expected = [
        "the text of `title` holds `: `, which YAML reads as a second key\n --> content/faq/pain.md:2:8\n",
        "this quoted text is never closed\n --> content/faq/pain.md:4:10\n",
        "`10/20/2026` is not written as YYYY-MM-DD\n --> content/faq/pain.md:6:16\n",
        "this line is indented with a tab\n --> content/faq/pain.md:7:1\n",
    ];
    let mut from = 0;
    for finding in expected {
        let at = stderr[from..]
            .find(finding)
            .unwrap_or_else(|| panic!("missing, or out of line order: {finding}\n{stderr}"));
        from += at + finding.len();
    }
    assert_contains(&stderr, "The build stopped: 4 errors.");
    assert_lacks(&stderr, "missing-title");
}

/// A misspelt key (`titel:`) is read as the key meant: one finding with the line to write,
/// not also a missing title and a review that no longer matches the text.
#[test]
fn a_misspelt_key_is_one_finding_with_the_line_to_write() {
    let (site, public) = built();
    lay(
        &site,
        &[(
            PAIN,
            b"---\ntitle: Does it hurt?\ncategory: Comfort\n---\nIt feels like light scratching.\n",
        )],
    );
    let review = site.run(&["review", PAIN, "--by", "Dr. Test"]);
    assert_eq!(review.status, 0, "{}", review.stderr);
    let reviewed = site.read(PAIN);
    assert_contains(&reviewed, "review_fingerprint: ");
    lay(
        &site,
        &[(PAIN, reviewed.replace("title:", "titel:").as_bytes())],
    );
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "error[yaml/unknown-key]: unknown key `titel`\n --> content/faq/pain.md:2:1\n",
    );
    assert_contains(
        &stderr,
        "help: did you mean `title`? Write `title: Does it hurt?`",
    );
    assert_contains(&stderr, "The build stopped: 1 error.");
    assert_lacks(&stderr, "missing-title");
    assert_lacks(&stderr, "review/changed");
    check_builds(&site, &[(PAIN, reviewed.as_bytes())]);
    assert_contains(&site.read("public/faq/pain/index.html"), "Does it hurt?");
}

/// Misspelt keys inside an office's `location:` are read as the keys meant: one finding each,
/// not also the office's facts called missing.
#[test]
fn misspelt_office_keys_are_one_finding_each() {
    let (site, public) = built();
    let north = location("305-555-0101", "09:00", "17:00", "Mo", "25.8")
        .replace("  street:", "  streat:")
        .replace("  phone:", "  phone_number:");
    lay(
        &site,
        &[
            (LOCATIONS, LOCATIONS_INDEX.as_bytes()),
            (NORTH, north.as_bytes()),
        ],
    );
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "error[yaml/unknown-key]: unknown key `streat` in `location`\n --> content/locations/north.md:5:3\n",
    );
    assert_contains(
        &stderr,
        "help: did you mean `street`? Write `street: 1 North Street`",
    );
    assert_contains(
        &stderr,
        "help: did you mean `phone`? Write `phone: \"305-555-0101\"`",
    );
    assert_contains(&stderr, "The build stopped: 2 errors.");
    assert_lacks(&stderr, "missing-fact");
}

/// Curly quotes pasted from Word around a whole value are read as quotes: the call button
/// shows the number, never the quotes.
#[test]
fn curly_quotes_around_a_value_are_read_as_quotes() {
    let (site, _) = built();
    let north = location("305-555-0101", "09:00", "17:00", "Mo", "25.8")
        .replace("\"305-555-0101\"", "\u{201c}305-555-0101\u{201d}")
        .replace("name: North", "name: \u{2018}North\u{2019}")
        // Inside `{ … }` too: `{ days: [Mo], opens: “09:00”, … }`.
        .replace("opens: \"09:00\"", "opens: \u{201c}09:00\u{201d}");
    assert_contains(&north, "opens: \u{201c}09:00\u{201d}");
    check_builds(
        &site,
        &[
            (LOCATIONS, LOCATIONS_INDEX.as_bytes()),
            (NORTH, north.as_bytes()),
            (
                PAIN,
                "---\ntitle: \u{2018}Does it hurt?\u{2019}\ncategory: Comfort\nreviewed_by: \u{201c}Dr. Test\u{201d}\nlast_reviewed: 2026-10-01\n---\n".as_bytes(),
            ),
        ],
    );
    let office = site.read("public/locations/north/index.html");
    assert_contains(&office, "<a href=\"tel:+13055550101\">305-555-0101</a>");
    assert_contains(&office, "9:00 AM");
    let pain = site.read("public/faq/pain/index.html");
    assert_contains(&pain, "Does it hurt?");
    for page in [office, pain] {
        for curly in ['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'] {
            assert_lacks(&page, &curly.to_string());
        }
    }
}

/// Text pasted from a word processor: no-break spaces after a key and in an indent, Windows
/// line ends. It reads as typed.
#[test]
fn no_break_spaces_after_a_key_are_read_as_spaces() {
    let (site, _) = built();
    check_builds(
        &site,
        &[(
            PAIN,
            "---\r\ntitle:\u{a0}Does it hurt?\r\ncategory:\u{a0}\u{a0}Comfort\r\ntags:\r\n\u{a0}\u{a0}- comfort\r\nreviewed_by: Dr. Test\r\nlast_reviewed: 2026-10-01\r\n---\r\nIt feels like light scratching.\r\n".as_bytes(),
        )],
    );
    assert_contains(&site.read("public/faq/pain/index.html"), "Does it hurt?");
}

/// Any common way of writing a US number is accepted and shown one way: `305-555-0101`,
/// also with the no-break hyphens, en dashes and no-break spaces pasted from a word processor.
#[test]
fn phone_numbers_in_any_common_form_are_shown_one_way() {
    let (site, _) = built();
    for written in [
        "(305) 555-0101",
        "305.555.0101",
        "+1 305 555 0101",
        "3055550101",
        "(305)\u{a0}555\u{2011}0101",
        "305\u{2013}555\u{2013}0101",
    ] {
        let north = location(written, "09:00", "17:00", "Mo", "25.8");
        check_builds(
            &site,
            &[
                (LOCATIONS, LOCATIONS_INDEX.as_bytes()),
                (NORTH, north.as_bytes()),
                (
                    SITE,
                    format!("title: Test Clinic\ntheme: mini\nphone: {written}\n").as_bytes(),
                ),
            ],
        );
        assert_contains(
            &site.read("public/locations/north/index.html"),
            "<a href=\"tel:+13055550101\">305-555-0101</a>",
        );
    }
}
