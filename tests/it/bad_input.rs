//! The bad-input corpus: every kind of broken file staff can save, and a few inputs built to
//! hurt (a 50 MB page, nesting 100,000 deep, YAML that expands a billion times).
//!
//! Each case lays its files over the `breakable` fixture after one clean build, runs `build`
//! (killed after `failures::TIME_LIMIT`, its memory capped) and checks: exit status 1, no
//! panic, a message that names the file, line and column and says what to write instead (the
//! exact text pinned by a snapshot named after the case), nothing changed anywhere in the
//! temporary folder (the site, `public/`, or beside them). `check` reads the same files and
//! must report the same problem. Inputs that are not mistakes (a byte order mark, Windows
//! line endings, a huge page) must build.
//!
//! Most cases are one line of the `fails!` table; the ones that need a symbolic link, file
//! permissions or a generated file are functions below it.

use std::path::Path;
use std::time::Duration;

use crate::failures::{MEMORY_LIMIT_MIB, TIME_LIMIT, built, fails};
use crate::support::{Fingerprint, Run, Site, assert_contains, assert_lacks, fingerprint};

/// Lays `files` over the built `breakable` fixture, expects the build to fail with every one
/// of `expected` in its message, and pins the message.
pub fn check_fails(name: &str, files: &[(&str, &[u8])], expected: &[&str]) {
    let (site, public) = built();
    lay(&site, files);
    let stderr = fails_cleanly(&site, &public);
    for text in expected {
        assert_contains(&stderr, text);
    }
    check_agrees(&site, expected[0]);
    insta::assert_snapshot!(name, stderr);
}

/// `failures::fails`, plus: no panic or overflow, nothing changed anywhere in the temporary
/// folder, and a location and a `help:` line in the message.
pub fn fails_cleanly(site: &Site, public: &Fingerprint) -> String {
    let everything = fingerprint(site.tmp());
    let stderr = fails(site, public, &[]);
    assert_no_crash(&stderr);
    assert_eq!(
        everything.changed(&fingerprint(site.tmp())),
        Vec::<String>::new(),
        "a failed build changed files"
    );
    assert_contains(&stderr, "-->");
    assert_contains(&stderr, "help: ");
    stderr
}

/// `check` reads the site as `build` does: it must stop on the same problem, in time.
fn check_agrees(site: &Site, expected: &str) {
    let run = site.run_bounded(&["check"], TIME_LIMIT, MEMORY_LIMIT_MIB);
    assert_no_crash(&run.stderr);
    assert_eq!(run.status, 1, "check:\n{}\n{}", run.stdout, run.stderr);
    assert_contains(&format!("{}{}", run.stdout, run.stderr), expected);
}

/// Lays `files` over the built fixture and expects a build that succeeds and writes only
/// inside `public/`.
pub fn check_builds(site: &Site, files: &[(&str, &[u8])]) -> Run {
    check_builds_within(site, files, TIME_LIMIT)
}

/// `check_builds`, with its own time limit.
pub fn check_builds_within(site: &Site, files: &[(&str, &[u8])], limit: Duration) -> Run {
    lay(site, files);
    let everything = fingerprint(site.tmp());
    let run = site.run_bounded(&["build"], limit, MEMORY_LIMIT_MIB);
    assert_no_crash(&run.stderr);
    assert_eq!(run.status, 0, "the build failed:\n{}", run.stderr);
    let outside: Vec<String> = everything
        .changed(&fingerprint(site.tmp()))
        .into_iter()
        .filter(|p| !p.starts_with("site/public/"))
        .collect();
    assert_eq!(
        outside,
        Vec::<String>::new(),
        "the build wrote outside public/"
    );
    run
}

pub fn lay(site: &Site, files: &[(&str, &[u8])]) {
    for (rel, bytes) in files {
        let path = site.path(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("folder");
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
    }
}

#[track_caller]
fn assert_no_crash(stderr: &str) {
    for sign in [
        "panicked",
        "stack overflow",
        "RUST_BACKTRACE",
        "memory allocation",
    ] {
        assert_lacks(stderr, sign);
    }
}

/// One case: `name: "file" => contents, … ; "expected text", …`. The first expected text is
/// also looked for in `check`'s report. Also used by `yaml_words`.
macro_rules! fails {
    ($($name:ident: $($path:expr => $bytes:expr),+ ; $($expected:literal),+ ;)+) => {$(
        #[test]
        fn $name() {
            $crate::bad_input::check_fails(
                stringify!($name),
                &[$(($path, AsRef::<[u8]>::as_ref($bytes))),+],
                &[$($expected),+],
            );
        }
    )+};
}

pub const ABOUT: &str = "content/about.md";
pub const PAIN: &str = "content/faq/pain.md";
pub const FAQ: &str = "content/faq/_index.md";
pub const SITE: &str = "site.yaml";
pub const LOCATIONS: &str = "content/locations/_index.md";
pub const LOCATIONS_INDEX: &str = "---\ntitle: Offices\nkind: locations\n---\n";
pub const NORTH: &str = "content/locations/north.md";
pub const PAGE_TEMPLATE: &str = "themes/mini/templates/page.html";

fails! {
    // ---- YAML that cannot be read ----
    yaml_list_never_closed: ABOUT => "---\ntitle: [About us\n---\n";
        "error[yaml/invalid]: a list opened with `[` is never closed\n --> content/about.md:2:8\n",
        "help: end it with `]` on the same line";
    yaml_block_never_closed: ABOUT => "---\ntitle: About us\nextra: {hero: true\n---\n";
        "a block opened with `{` is never closed\n --> content/about.md:3:8\n";
    yaml_quote_never_closed: ABOUT => "---\ntitle: \"About us\ndescription: Who we are.\n---\n";
        "this quoted text is never closed\n --> content/about.md:2:8\n",
        "help: add the closing quote at the end of the value: `title: \"About us\"`";
    // YAML reads on to the next quote and fails there; the open quote is what to fix.
    yaml_quote_closed_lines_later: ABOUT => "---\ntitle: \"About us\ndescription: Who we are.\nweight: \"2\"\n---\n";
        "error[yaml/invalid]: this quoted text is never closed\n --> content/about.md:2:8\n",
        "help: add the closing quote at the end of the value: `title: \"About us\"`";
    location_street_quote_never_closed: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101", "09:00", "17:00", "Mo", "25.8").replace("street: 1 North Street", "street: \"100 North Road");
        "error[yaml/invalid]: this quoted text is never closed\n --> content/locations/north.md:5:11\n",
        "help: add the closing quote at the end of the value: `street: \"100 North Road\"`";
    yaml_key_indented_under_text: ABOUT => "---\ntitle: About us\n  weight: 2\n---\n";
        "`weight:` is indented under `title`, which already has a value\n --> content/about.md:3:1\n",
        "help: remove the spaces at the start of the line: `weight: 2`";
    yaml_tab_indent: ABOUT => "---\ntitle: About us\nextra:\n\thero: true\n---\n";
        "this line is indented with a tab\n --> content/about.md:4:1\n",
        "help: YAML needs spaces, not tabs: replace the tab with 2 spaces, like `  hero: true`";
    yaml_key_twice: ABOUT => "---\ntitle: About us\ndescription: Who we are.\ntitle: About\n---\n";
        "error[yaml/invalid]: `title` is written twice\n --> content/about.md:4:1\n",
        "help: keep one `title:` line and delete the other";
    yaml_list_instead_of_keys: ABOUT => "---\n- title\n- About us\n---\n";
        "error[yaml/not-a-mapping]: this should be a list of `key: value` lines\n --> content/about.md:2:1\n";
    yaml_value_starts_with_at: ABOUT => "---\ntitle: @clinic on Instagram\n---\n";
        "a value cannot start with `@`\n --> content/about.md:2:8\n",
        "put the text in quotes";
    yaml_unknown_anchor: ABOUT => "---\ntitle: About us\ndescription: *intro\n---\n";
        "`*intro` repeats a value, but no `&intro` above it names one\n --> content/about.md:3:14\n";
    yaml_control_character: ABOUT => b"---\ntitle: About\x07us\n---\n";
        "this line holds an invisible control character (U+0007)\n --> content/about.md:2:13\n",
        "paste the text again as plain text";

    // ---- Values of the wrong kind ----
    wrong_type_list_for_text: ABOUT => "---\ntitle: [About, us]\n---\n";
        "wrong kind of value in `title`: expected text, found a list\n --> content/about.md:2:8\n";
    wrong_type_draft_maybe: ABOUT => "---\ntitle: About us\ndraft: maybe\n---\n";
        "wrong kind of value in `draft`: expected `true` or `false`, found string \"maybe\"\n --> content/about.md:3:8\n",
        "help: write `true` or `false`";
    wrong_type_alias_not_a_list: ABOUT => "---\ntitle: About us\naliases: /old-about/\n---\n";
        "wrong kind of value in `aliases`: expected a list, found string \"/old-about/\"\n --> content/about.md:3:10\n";
    number_too_large: ABOUT => "---\ntitle: About us\nweight: 99999999999999999999999\n---\n";
        "`99999999999999999999999` is too large a number in `weight`\n --> content/about.md:3:9\n",
        "help: use a small whole number";
    unknown_key_typo: ABOUT => "---\ntitle: About us\ndescripton: Who we are.\n---\n";
        "error[yaml/unknown-key]: unknown key `descripton`\n --> content/about.md:3:1\n",
        "help: did you mean `description`?";
    section_kind_unknown: FAQ => "---\ntitle: Questions\nkind: blog\ncategories: [Comfort]\n---\n";
        "`blog` is not allowed here in `kind`\n --> content/faq/_index.md:3:7\n",
        "help: use one of: `faq`, `locations`, `results`, or leave the line out";

    // ---- Dates ----
    date_month_13: ABOUT => "---\ntitle: About us\ndate: 2026-13-45\n---\n";
        "`2026-13-45` is not a real date: there is no month 13\n --> content/about.md:3:7\n",
        "help: write dates as YYYY-MM-DD, like `2026-10-15`";
    date_february_30: ABOUT => "---\ntitle: About us\nupdated: 2026-02-30\n---\n";
        "`2026-02-30` is not a real date: February 2026 has 28 days, not 30\n --> content/about.md:3:10\n";
    date_in_words: PAIN => "---\ntitle: Does it hurt?\ncategory: Comfort\nlast_reviewed: last week\n---\n";
        "`last week` is not a real date\n --> content/faq/pain.md:4:16\n";

    // ---- The file itself ----
    not_utf8: ABOUT => b"---\ntitle: About us\n---\nWe are caf\xe9 people.\n";
        "error[source/not-utf8]: this file is not saved as UTF-8 text\n --> content/about.md:4:11\n",
        "help: save it again as \"UTF-8\"";
    windows_1252_quotes: ABOUT => b"---\ntitle: \x93About us\x94\n---\n";
        "this file is not saved as UTF-8 text\n --> content/about.md:2:8\n";
    empty_file: ABOUT => "";
        "error[frontmatter/empty]: this file is empty\n--> content/about.md:1:1\n",
        "help: start it with front matter";
    only_blank_lines: ABOUT => "  \n\n\t\n";
        "this file is empty\n --> content/about.md:1:1\n";
    front_matter_never_closed: ABOUT => "---\ntitle: About us\n\nWe are a clinic.\n";
        "error[frontmatter/unclosed]: the front matter opened on line 1 is never closed\n --> content/about.md:1:1\n",
        "help: add a line with only `---`";
    no_front_matter: ABOUT => "About us\n\nWe are a clinic.\n";
        "error[frontmatter/missing]: the file does not start with a `---` line\n --> content/about.md:1:1\n";
    blank_line_before_front_matter: ABOUT => "\n---\ntitle: About us\n---\n";
        "the file starts with an empty line, before the `---` line\n --> content/about.md:1:1\n",
        "help: delete the empty lines at the top";
    toml_front_matter: ABOUT => "+++\ntitle = \"About us\"\n+++\n";
        "this front matter is between `+++` lines (TOML, as Hugo and Zola write it)\n --> content/about.md:1:1\n";
    empty_title: ABOUT => "---\ntitle: \"\"\n---\n";
        "error[page/missing-title]: this page has no title\n --> content/about.md:1:1\n";

    // ---- Addresses ----
    slug_climbs_out: ABOUT => "---\ntitle: About us\nslug: ../../etc\n---\n";
        "error[page/bad-slug]: `../../etc` cannot be used as a slug\n --> content/about.md:3:1\n",
        "help: use lower-case letters, digits and hyphens: `slug: etc`";
    slug_with_slash: ABOUT => "---\ntitle: About us\nslug: about/us\n---\n";
        "`about/us` cannot be used as a slug\n --> content/about.md:3:1\n",
        "`slug: about-us`";
    slug_with_backslash: ABOUT => "---\ntitle: About us\nslug: 'about\\us'\n---\n";
        "`about\\us` cannot be used as a slug\n --> content/about.md:3:1\n";
    slug_with_nul: ABOUT => "---\ntitle: About us\nslug: \"about\\0us\"\n---\n";
        "cannot be used as a slug\n --> content/about.md:3:1\n",
        "`slug: aboutus`";
    slug_windows_reserved: ABOUT => "---\ntitle: About us\nslug: con\n---\n";
        "`con` cannot be used as a slug\n --> content/about.md:3:1\n",
        "help: Windows keeps the name `con` for itself";
    slug_windows_reserved_upper_case: ABOUT => "---\ntitle: About us\nslug: COM1\n---\n";
        "`COM1` cannot be used as a slug\n --> content/about.md:3:1\n",
        "Windows keeps the name `com1` for itself";
    file_named_like_a_device: "content/nul.md" => "---\ntitle: Nothing\n---\n";
        "`nul` cannot be a web address: Windows keeps that name for itself\n --> content/nul.md:1:1\n",
        "help: rename the file, or add a `slug:` line like `slug: nul-page`";
    page_on_a_section_address: "content/faq.md" => "---\ntitle: Questions page\n---\n";
        "error[site/duplicate-url]: this page and content/faq/_index.md both want the address /faq/\n --> content/faq.md:1:1\n";
    alias_claimed_twice:
        ABOUT => "---\ntitle: About us\naliases: [/old/]\n---\n",
        "content/contact.md" => "---\ntitle: Contact\naliases: [/old]\n---\n";
        "error[alias/collision]: content/about.md already redirects `/old/`\n --> content/contact.md:3:1\n";
    alias_on_a_page: ABOUT => "---\ntitle: About us\naliases: [/faq/pain/]\n---\n";
        "the old address `/faq/pain/` is the address of content/faq/pain.md\n --> content/about.md:3:1\n";
    alias_outside_the_site: ABOUT => "---\ntitle: About us\naliases: [/../../etc/]\n---\n";
        "error[alias/invalid]: the old address `/../../etc/` has a `.` or `..` part, which could point outside the site\n --> content/about.md:3:1\n";
    alias_with_a_space: ABOUT => "---\ntitle: About us\naliases: [\"/old page/ /evil/ 200\"]\n---\n";
        "the old address `/old page/ /evil/ 200` has a space in it\n --> content/about.md:3:1\n";
    alias_wildcard: ABOUT => "---\ntitle: About us\naliases: [\"/*\"]\n---\n";
        "error[alias/invalid]: the old address `/*` has a `*` or `:name` part: hosts read those as patterns matching many addresses\n --> content/about.md:3:1\n",
        "help: write one exact address";
    alias_placeholder: ABOUT => "---\ntitle: About us\naliases: [\"/:splat/\"]\n---\n";
        "the old address `/:splat/` has a `*` or `:name` part";
    alias_windows_drive: ABOUT => "---\ntitle: About us\naliases: [\"C:/x/\"]\n---\n";
        "error[alias/invalid]: the old address `C:/x/` has a `:` in it, which a file name cannot have on Windows or in a link\n --> content/about.md:3:1\n",
        "help: write it as `/C/x/`";
    alias_windows_colon: ABOUT => "---\ntitle: About us\naliases:\n  - /old/\n  - /a:b/\n---\n";
        "the old address `/a:b/` has a `:` in it, which a file name cannot have on Windows or in a link\n --> content/about.md:5:1\n",
        "help: write it as `/ab/`";
    alias_windows_characters: ABOUT => "---\ntitle: About us\naliases: [\"/a|b/\", \"/c<d>/\"]\n---\n";
        "the old address `/a|b/` has a `|` in it",
        "the old address `/c<d>/` has a `<` in it";
    alias_trailing_dot: ABOUT => "---\ntitle: About us\naliases: [/old./]\n---\n";
        "a part of the old address `/old./` ends with `.`, which a file name cannot on Windows\n --> content/about.md:3:1\n",
        "help: write it as `/old/`";

    // ---- site.yaml values written into crawler and host files ----
    base_url_with_a_line_break: SITE => "title: Test Clinic\ntheme: mini\nbase_url: \"https://www.example.com/\\n/*  https://evil.example/:splat  200!\\n/\"\n";
        "error[config/base-url]: `base_url` `https://www.example.com/\\n/*  https://evil.example/:splat  200!\\n/` has a line break in it\n --> site.yaml:3:11\n",
        "help: write `base_url: https://www.example.com/`";
    base_url_without_scheme: SITE => "title: Test Clinic\ntheme: mini\nbase_url: //www.example.com/\n";
        "error[config/base-url]: `//www.example.com/` is not a full web address (`https://` and a host name)\n --> site.yaml:3:11\n",
        "help: write `base_url: https://www.example.com/`";
    base_url_with_a_quote: SITE => "title: Test Clinic\ntheme: mini\nbase_url: 'https://www.example.com/\"><script>'\n";
        "`base_url` `https://www.example.com/\"><script>` has a `\"` in it\n --> site.yaml:3:11\n",
        "help: write `base_url: https://www.example.com/`";
    base_url_empty: SITE => "title: Test Clinic\ntheme: mini\nbase_url: \"\"\n";
        "`` is not a full web address";

    // ---- extra: names the templates can read ----
    extra_number_key_in_site_yaml: SITE => "title: Test Clinic\ntheme: mini\nextra: {1.5: x}\n";
        "error[yaml/invalid]: the number `1.5` cannot be a name in `extra`\n --> site.yaml:3:9\n",
        "help: names under `extra:` must be words: put it in quotes, like `\"1.5\": ...`";
    extra_null_key_in_a_page: ABOUT => "---\ntitle: About us\nextra:\n  hero:\n    ~: x\n---\n";
        "error[yaml/invalid]: nothing (`~`, `null` or an empty key) cannot be a name in `extra.hero`\n --> content/about.md:5:5\n";
    extra_list_key_in_a_page: ABOUT => "---\ntitle: About us\nextra:\n  ? [a, b]\n  : x\n---\n";
        "a list cannot be a name in `extra`";
    extra_bool_key_in_a_list: SITE => "title: Test Clinic\ntheme: mini\nextra:\n  offers:\n    - true: yes\n";
        "`true` cannot be a name in `extra.offers";

    // ---- check: settings ----
    claim_phrase_without_words: SITE => "title: Test Clinic\ntheme: mini\ncheck:\n  claims:\n    add:\n      - phrase: \"  \"\n        reason: r\n        instead: i\n";
        "error[config/invalid]: the risky phrase `  ` has no words\n --> site.yaml:6:1\n",
        "help: write the words to look for";

    // ---- Markdown ----
    html_pasted_from_word: ABOUT => "---\ntitle: About us\n---\nWe are <span style=\"font-family:Calibri;mso-bidi-font-size:11pt\">friendly</span>.\n";
        "error[markdown/raw-html]: HTML is not allowed in the text: `<span style=\"font-family:Calibri;mso-bidi-font-size:11pt\">`\n --> content/about.md:4:8\n",
        "help: write it in markdown instead";
    html_block: ABOUT => "---\ntitle: About us\n---\nFirst.\n\n<div onclick=\"steal()\">\n<p>Inside</p>\n</div>\n";
        "HTML is not allowed in the text: `<div onclick=\"steal()\">`\n --> content/about.md:6:1\n";
    script_tag: ABOUT => "---\ntitle: About us\n---\n<script>alert(1)</script>\n";
        "HTML is not allowed in the text: `<script>`\n --> content/about.md:4:1\n";
    javascript_link: ABOUT => "---\ntitle: About us\n---\nCall [us](javascript:alert(1)) today.\n";
        "error[link/script]: this link runs a script (`javascript:alert(1)`), which is not allowed\n --> content/about.md:4:6\n",
        "help: link to a page or to a web address";
    image_from_outside_content: ABOUT => "---\ntitle: About us\n---\n![our door](../../../etc/passwd)\n";
        "error[link/broken]: `../../../etc/passwd` points outside the content folder\n --> content/about.md:4:1\n";

    // ---- FAQ entries ----
    faq_unknown_category: PAIN => "---\ntitle: Does it hurt?\ncategory: Comfrot\n---\n";
        "error[faq/unknown-category]: `Comfrot` is not one of this section's categories\n --> content/faq/pain.md:3:1\n",
        "help: did you mean `Comfort`?";
    faq_unknown_location: PAIN => "---\ntitle: Does it hurt?\ncategory: Comfort\nlocations: [kendall]\nreviewed_by: Dr. Test\nlast_reviewed: 2026-10-01\n---\n";
        "error[faq/unknown-location]: there is no location `kendall`\n --> content/faq/pain.md:4:1\n",
        "help: the site has no location pages yet";
    faq_key_on_a_plain_page: ABOUT => "---\ntitle: About us\nsummary: Who we are.\n---\n";
        "error[frontmatter/misplaced-key]: `summary` does not belong on this page\n --> content/about.md:3:1\n";

    // ---- Locations ----
    location_phone_too_short: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("555-0101", "09:00", "17:00", "Mo, Tu", "25.8");
        "error[location/phone]: `555-0101` is not a phone number the site can show\n --> content/locations/north.md:9:11\n",
        "help: write the area code and number, like `phone: 305-555-0101`";
    location_hours_in_am_pm: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101", "9am", "5pm", "Mo, Tu", "25.8");
        "error[location/hours]: `9am` is not a time written as 24-hour HH:MM\n  --> content/locations/north.md:12:33\n",
        "help: write 24-hour times in quotes: `{ days: [Mo, Tu], opens: \"09:00\", closes: \"17:00\" }`";
    location_closes_before_it_opens: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101", "17:00", "09:00", "Mo", "25.8");
        "the office closes (`09:00`) before it opens (`17:00`)\n  --> content/locations/north.md:12:46\n";
    location_day_in_full: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101", "09:00", "17:00", "Monday", "25.8");
        "`Monday` is not written as a list of days in `location.hours`\n  --> content/locations/north.md:12:16\n",
        "help: write `days: [Mo]`";
    location_off_the_earth: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101", "09:00", "17:00", "Mo", "250.8");
        "error[location/geo]: the map position is not on Earth\n  --> content/locations/north.md:10:3\n";
    location_map_runs_a_script: LOCATIONS => LOCATIONS_INDEX, NORTH => &location("305-555-0101", "09:00", "17:00", "Mo", "25.8").replace("  hours:", "  map_url: javascript:alert(document.cookie)\n  hours:");
        "error[location/map-url]: `javascript:alert(document.cookie)` is not a web address\n  --> content/locations/north.md:11:12\n";
    location_missing_street: LOCATIONS => LOCATIONS_INDEX, NORTH => "---\ntitle: North\nlocation:\n  name: North\n  city: Miami\n---\n";
        "error[location/missing-fact]: the office's `street` is missing\n --> content/locations/north.md:3:1\n",
        "help: add it under `location:`, like `street: \"1234 Main Street, Suite 100\"`";

    // ---- site.yaml ----
    site_yaml_empty: SITE => "";
        "error[config/missing-title]: the site has no `title`\n--> site.yaml:1:1\n";
    site_yaml_list_never_closed: SITE => "title: Test Clinic\ntheme: mini\nlanguages: [en, es\n";
        "a list opened with `[` is never closed\n --> site.yaml:3:12\n";
    site_base_url_without_scheme: SITE => "title: Test Clinic\ntheme: mini\nbase_url: www.example.com\n";
        "error[config/base-url]: `www.example.com` is not a full web address (`https://` and a host name)\n --> site.yaml:3:11\n",
        "help: write `base_url: https://www.example.com/`";
    site_language_name: SITE => "title: Test Clinic\ntheme: mini\nlanguages: [en, Spanish]\n";
        "error[config/language]: `Spanish` is not a language code\n --> site.yaml:3:1\n";
    site_unknown_check_rule: SITE => "title: Test Clinic\ntheme: mini\ncheck:\n  rules:\n    content/orphans: off\n";
        "`check` has no rule `content/orphans`\n --> site.yaml:5:";
    site_markdown_typo: SITE => "title: Test Clinic\ntheme: mini\nmarkdown:\n  raw: true\n";
        "unknown key `raw` in `markdown`\n --> site.yaml:4:3\n",
        "help: did you mean `raw_html`?";
    site_not_utf8: SITE => b"title: Cl\xednica\ntheme: mini\n";
        "this file is not saved as UTF-8 text\n --> site.yaml:1:10\n";

    // ---- Themes and templates ----
    missing_theme: SITE => "title: Test Clinic\ntheme: mnii\n";
        "error[theme/missing]: there is no theme `mnii`\n --> site.yaml:2:1\n",
        "help: did you mean `theme: mini`?";
    theme_extends_itself: "themes/mini/theme.yaml" => "name: mini\nextends: mini\n";
        "error[theme/cycle]: themes extend each other in a circle: mini -> mini\n --> themes/mini/theme.yaml:2:1\n";
    theme_extends_a_missing_theme: "themes/mini/theme.yaml" => "name: mini\nextends: base\n";
        "error[theme/missing]: this theme extends `base`, but there is no folder themes/base\n --> themes/mini/theme.yaml:2:1\n";
    template_includes_itself: PAGE_TEMPLATE => "<main>\n{% include \"page.html\" %}\n</main>\n";
        "error[template/cycle]: templates include each other in a circle: page.html -> page.html\n --> themes/mini/templates/page.html:2:1\n";
    template_extends_itself: PAGE_TEMPLATE => "{% extends \"page.html\" %}\n";
        "error[template/cycle]: templates extend each other in a circle: page.html -> page.html\n --> themes/mini/templates/page.html:1:1\n";
    templates_extend_each_other:
        PAGE_TEMPLATE => "{% extends \"section.html\" %}\n",
        "themes/mini/templates/section.html" => "{% extends \"page.html\" %}\n";
        "templates extend each other in a circle";
    template_unknown_filter: PAGE_TEMPLATE => "{% extends \"base.html\" %}\n{% block main %}{{ page.title | shout }}{% endblock main %}\n";
        "error[template/error]: ",
        " --> themes/mini/templates/page.html:2:";
}

/// A location page with the given phone, hours, days and latitude.
pub fn location(phone: &str, opens: &str, closes: &str, days: &str, lat: &str) -> String {
    format!(
        "---\ntitle: North\nlocation:\n  name: North\n  street: 1 North Street\n  city: Miami\n  region: FL\n  postal_code: \"33101\"\n  phone: \"{phone}\"\n  geo: {{ lat: {lat}, lng: -80.2 }}\n  hours:\n    - {{ days: [{days}], opens: \"{opens}\", closes: \"{closes}\" }}\n---\n"
    )
}

// ---- Not mistakes: these must build ----

#[test]
fn a_byte_order_mark_is_ignored() {
    let (site, _) = built();
    check_builds(
        &site,
        &[(ABOUT, b"\xef\xbb\xbf---\ntitle: About us\n---\nHello.\n")],
    );
    assert_contains(&site.read("public/about/index.html"), "<h1>About us</h1>");
}

#[test]
fn windows_and_old_mac_line_endings_build_like_unix_ones() {
    let (site, _) = built();
    let unix = site.read("public/faq/pain/index.html");
    check_builds(
        &site,
        &[
            (
                PAIN,
                b"---\r\ntitle: Does it hurt?\r\ncategory: Comfort\r\nreviewed_by: Dr. Test\r\nlast_reviewed: 2026-10-01\r\n---\r\n## Numbing cream\r\n",
            ),
            (ABOUT, b"---\rtitle: About us\r---\rHello.\r"),
        ],
    );
    assert_eq!(site.read("public/faq/pain/index.html"), unix);
    assert_contains(&site.read("public/about/index.html"), "<p>Hello.</p>");
}

#[test]
fn spaces_after_the_opening_fence_are_allowed() {
    let (site, _) = built();
    check_builds(&site, &[(ABOUT, b"---  \ntitle: About us\n--- \nHello.\n")]);
    assert_contains(&site.read("public/about/index.html"), "<p>Hello.</p>");
}

#[test]
fn a_50_mb_page_builds_in_bounded_time_and_memory() {
    let (site, _) = built();
    let paragraph =
        "Your skin may look pink for a day or two after a session, and it heals quickly. ";
    let mut text = String::from("---\ntitle: Everything\n---\n");
    let mut n = 0;
    while text.len() < 50 * 1024 * 1024 {
        if n % 100 == 0 {
            text.push_str(&format!("## Part {n}\n\n"));
        }
        text.push_str(&paragraph.repeat(8));
        text.push_str("\n\n");
        n += 1;
    }
    // The build reads all 50 MB for check's rules too (its gate): about 15 s of a debug
    // binary's time on a quiet 2-core machine, linear in the size. A minute still tells a
    // hang or a quadratic step (hours at this size) from a slow machine running other tests.
    let limit = Duration::from_secs(60);
    check_builds_within(&site, &[("content/everything.md", text.as_bytes())], limit);
    let page = std::fs::metadata(site.path("public/everything/index.html")).expect("the page");
    assert!(page.len() > 50 * 1024 * 1024, "{} bytes", page.len());
}

/// Shapes whose cost once grew with the square of their size (benches/quadratic.sh has the
/// series): 8,000 identical headings (each needs its own id), 8,000 broken links one a line
/// (each reported with its line) and 8,000 on one line (each reported with a window of it).
/// Before, in a debug build, each took minutes; now each is done well inside `TIME_LIMIT`.
#[test]
fn inputs_that_were_quadratic_finish_in_bounded_time() {
    const N: usize = 8000;
    let (site, _) = built();
    let headings = "## Same\n\nText.\n\n".repeat(N);
    check_builds(
        &site,
        &[(
            ABOUT,
            format!("---\ntitle: About us\n---\n{headings}").as_bytes(),
        )],
    );
    let page = site.read("public/about/index.html");
    assert_contains(&page, "id=\"same\"");
    assert_contains(&page, &format!("id=\"same-{}\"", N - 1));
    let public = site.fingerprint("public");
    let lines: String = (0..N)
        .map(|i| format!("[gone {i}](/gone-{i}/)\n\n"))
        .collect();
    lay(
        &site,
        &[(
            ABOUT,
            format!("---\ntitle: About us\n---\n{lines}").as_bytes(),
        )],
    );
    let stderr = fails(&site, &public, &[]);
    assert_eq!(stderr.matches("error[link/broken]").count(), N);
    let one_line: String = (0..N).map(|i| format!("[x](/gone-{i}/) ")).collect();
    lay(
        &site,
        &[(
            ABOUT,
            format!("---\ntitle: About us\n---\n{one_line}\n").as_bytes(),
        )],
    );
    let stderr = fails(&site, &public, &[]);
    assert_eq!(stderr.matches("error[link/broken]").count(), N);
    // The last link, at its real column, shown in a window of the line.
    let column = 1
        + (0..N - 1)
            .map(|i| format!("[x](/gone-{i}/) ").len())
            .sum::<usize>();
    assert_contains(&stderr, &format!(" --> content/about.md:4:{column}\n"));
    assert!(
        stderr.len() < N * 600,
        "the report quotes whole lines: {} bytes",
        stderr.len()
    );
}

/// With HTML allowed, what Word pastes is kept as text and structure, without its styles and
/// scripts; comments for the editor are not published.
#[test]
fn html_from_word_is_cleaned_where_the_site_allows_html() {
    let (site, _) = built();
    let page = "---\ntitle: About us\n---\n<p class=\"MsoNormal\" style=\"font-family:Calibri\">We are \u{201c}friendly\u{201d}\u{a0}people <span style=\"color:red\" onmouseover=\"x()\">here</span>.</p>\n\n<script>alert(1)</script>\n\n<!-- note for the editor -->\n";
    check_builds(
        &site,
        &[
            (
                SITE,
                b"title: Test Clinic\ntheme: mini\nmarkdown: { raw_html: true }\n",
            ),
            (ABOUT, page.as_bytes()),
        ],
    );
    let html = site.read("public/about/index.html");
    assert_contains(
        &html,
        "<p>We are \u{201c}friendly\u{201d}&nbsp;people <span>here</span>.</p>",
    );
    for gone in [
        "style=",
        "MsoNormal",
        "onmouseover",
        "<script",
        "alert(1)",
        "note for the editor",
    ] {
        assert_lacks(&html, gone);
    }
}

// ---- Inputs built to hurt ----

/// Each level repeats the one before nine times: nine levels would make 387 million values.
#[test]
fn yaml_that_expands_a_billion_times_is_refused() {
    let (site, public) = built();
    let mut yaml = String::from(
        "---\ntitle: About us\nextra:\n  l0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..9 {
        let previous = format!("*l{}", level - 1);
        yaml.push_str(&format!(
            "  l{level}: &l{level} [{}]\n",
            [previous.as_str(); 9].join(",")
        ));
    }
    yaml.push_str("---\n");
    lay(&site, &[(ABOUT, yaml.as_bytes())]);
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "error[yaml/invalid]: the `*` references here repeat values so often that the result would be enormous\n --> content/about.md:5:",
    );
    assert_contains(&stderr, "help: write the values out instead");
    insta::assert_snapshot!(stderr);
}

#[test]
fn yaml_nested_100000_deep_is_refused_quickly() {
    let (site, public) = built();
    let yaml = format!(
        "---\ntitle: About us\nextra: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    lay(&site, &[(ABOUT, yaml.as_bytes())]);
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "error[yaml/invalid]: the values here are nested more than 100 levels deep\n --> content/about.md:3:108\n",
    );
}

#[test]
fn lists_nested_100000_deep_are_refused_without_overflowing() {
    let (site, public) = built();
    let page = format!(
        "---\ntitle: About us\n---\nIntro.\n\n{}deep\n",
        "- ".repeat(100_000)
    );
    lay(&site, &[(ABOUT, page.as_bytes())]);
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "error[markdown/too-deep]: lists or quotes are nested more than 100 deep here\n --> content/about.md:6:",
    );
    assert_contains(&stderr, "help: this usually comes from a paste gone wrong");
    check_agrees(&site, "nested more than 100 deep");
}

/// Minifying walks the page's HTML recursively: a page nested too deeply must be stopped
/// before it gets there.
#[test]
fn quotes_nested_100000_deep_are_refused_even_when_minifying() {
    let (site, public) = built();
    let page = format!("---\ntitle: About us\n---\n{}deep\n", "> ".repeat(100_000));
    lay(
        &site,
        &[
            (ABOUT, page.as_bytes()),
            (SITE, b"title: Test Clinic\ntheme: mini\nminify: true\n"),
        ],
    );
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "lists or quotes are nested more than 100 deep here\n --> content/about.md:4:",
    );
}

#[test]
fn html_nested_100000_deep_is_refused_where_html_is_allowed() {
    let (site, public) = built();
    let page = format!(
        "---\ntitle: About us\n---\n{}deep{}\n",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    lay(
        &site,
        &[
            (ABOUT, page.as_bytes()),
            (
                SITE,
                b"title: Test Clinic\ntheme: mini\nmarkdown: { raw_html: true }\n",
            ),
        ],
    );
    let stderr = fails_cleanly(&site, &public);
    assert_contains(
        &stderr,
        "error[markdown/too-deep]: the HTML here is nested more than 200 deep\n --> content/about.md:4:1\n",
    );
}

// ---- Links and permissions ----

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_links_out_of_the_site_are_refused() {
    use std::os::unix::fs::symlink;
    let (site, public) = built();
    symlink("loop.md", site.path("content/loop.md")).expect("link");
    std::fs::write(site.tmp().join("secret.md"), "---\ntitle: Secret\n---\n").expect("write");
    symlink("../../secret.md", site.path("content/secret.md")).expect("link");
    symlink("..", site.path("content/faq/up")).expect("link");
    let stderr = fails_cleanly_without_line(&site, &public);
    assert_contains(
        &stderr,
        "error[source/symlink-broken]: the link content/loop.md -> loop.md cannot be followed: Too many levels of symbolic links",
    );
    assert_contains(&stderr, "--> content/loop.md\n");
    assert_contains(
        &stderr,
        "error[source/symlink-outside]: the link content/secret.md -> ../../secret.md points outside content/\n--> content/secret.md\n",
    );
    assert_contains(
        &stderr,
        "error[source/symlink-folder]: the link content/faq/up -> .. points to a folder; links to folders are not followed\n--> content/faq/up\n",
    );
    insta::assert_snapshot!(stderr);
}

/// A link to a secret kept in the site's own folder (`.git/config`, `.env`), or to a hidden
/// file inside `content/`, or out of the theme's folder, is refused by build and check.
#[cfg(unix)]
#[test]
fn symbolic_links_to_secrets_are_refused() {
    use std::os::unix::fs::symlink;
    let (site, public) = built();
    lay(
        &site,
        &[
            (".git/config", b"[remote]\ntoken = SECRET\n"),
            (".env", b"TOKEN=SECRET\n"),
            ("content/faq/.notes.txt", b"private\n"),
            ("themes/mini/static/site.css", b"body {}\n"),
        ],
    );
    symlink("../../.git/config", site.path("content/faq/config.txt")).expect("link");
    symlink("../.env", site.path("content/env.txt")).expect("link");
    symlink(".notes.txt", site.path("content/faq/notes.txt")).expect("link");
    symlink(
        "../../../site.yaml",
        site.path("themes/mini/static/site.txt"),
    )
    .expect("link");
    let stderr = fails_cleanly_without_line(&site, &public);
    assert_contains(
        &stderr,
        "error[source/symlink-outside]: the link content/faq/config.txt -> ../../.git/config points outside content/\n--> content/faq/config.txt\n",
    );
    assert_contains(
        &stderr,
        "error[source/symlink-outside]: the link content/env.txt -> ../.env points outside content/\n",
    );
    assert_contains(
        &stderr,
        "error[source/symlink-hidden]: the link content/faq/notes.txt -> .notes.txt points to a hidden file or folder\n",
    );
    assert_lacks(&stderr, "SECRET");
    check_agrees(
        &site,
        "the link content/faq/config.txt -> ../../.git/config points outside content/",
    );
    // The theme is read once the content is good.
    std::fs::remove_file(site.path("content/faq/config.txt")).expect("remove");
    std::fs::remove_file(site.path("content/env.txt")).expect("remove");
    std::fs::remove_file(site.path("content/faq/notes.txt")).expect("remove");
    let stderr = fails_cleanly_without_line(&site, &public);
    assert_contains(
        &stderr,
        "error[source/symlink-outside]: the link themes/mini/static/site.txt -> ../../../site.yaml points outside themes/mini/\n",
    );
}

/// A file the build cannot open. Permissions do not stop root, so as root the build runs as
/// the `nobody` user; where that is not possible either, the test says so and checks nothing.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let (site, public) = built();
    let path = site.path(ABOUT);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let stderr = if std::fs::read(&path).is_err() {
        fails_cleanly_without_line(&site, &public)
    } else {
        match as_nobody(&site) {
            Some(stderr) => stderr,
            None => {
                eprintln!(
                    "SKIPPED: an_unreadable_file_is_reported: running as root, which reads any file, and cannot switch to another user"
                );
                return;
            }
        }
    };
    assert_contains(
        &stderr,
        "error[source/unreadable]: cannot read this file: Permission denied (os error 13)\n--> content/about.md\n",
    );
    assert_contains(
        &stderr,
        "help: check that the file exists and that you are allowed to open it",
    );
}

/// Builds the site as the `nobody` user (uid 65534), for root, who can read unreadable
/// files. `None` when the system does not allow it.
#[cfg(unix)]
fn as_nobody(site: &Site) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // Everything but the unreadable file must be open to `nobody`.
    for dir in [site.tmp().to_path_buf()]
        .into_iter()
        .chain(walk_dirs(&site.root))
    {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).ok()?;
    }
    let before = fingerprint(site.tmp());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_clinicsite"))
        .arg("build")
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .uid(65534)
        .gid(65534)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_no_crash(&stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        before.changed(&fingerprint(site.tmp())),
        Vec::<String>::new()
    );
    Some(stderr)
}

#[cfg(unix)]
fn walk_dirs(root: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs = vec![root.to_path_buf()];
    let mut i = 0;
    while i < dirs.len() {
        if let Ok(entries) = std::fs::read_dir(&dirs[i]) {
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    dirs.push(entry.path());
                }
            }
        }
        i += 1;
    }
    dirs
}

/// `fails_cleanly` for problems about a whole file (links, permissions), which have no line.
fn fails_cleanly_without_line(site: &Site, public: &Fingerprint) -> String {
    let everything = fingerprint(site.tmp());
    let stderr = fails(site, public, &[]);
    assert_no_crash(&stderr);
    assert_eq!(
        everything.changed(&fingerprint(site.tmp())),
        Vec::<String>::new()
    );
    assert_contains(&stderr, "help: ");
    stderr
}

#[test]
fn site_yaml_missing_is_explained() {
    let (site, public) = built();
    std::fs::remove_file(site.path(SITE)).expect("remove site.yaml");
    let stderr = fails_cleanly_without_line(&site, &public);
    assert_contains(&stderr, "error[config/missing]: cannot read site.yaml in `");
    assert_contains(&stderr, "help: run clinicsite in the site's folder");
}
