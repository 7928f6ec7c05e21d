//! Text pasted from Word into a page's body: a bulleted list arrives as lines starting with a
//! bullet character and a tab, and is published as the list it was, by `build` and as `check`
//! reads it.

use crate::support::{Site, assert_contains, assert_lacks};

#[test]
fn a_bulleted_list_pasted_from_word_is_published_as_a_list() {
    let site = Site::fixture("faq");
    let page = site.read("content/faq/does-it-hurt.md");
    site.write(
        "content/faq/does-it-hurt.md",
        &format!(
            "{page}\nWhat to avoid for one day:\n\u{2022}\tMakeup\n\u{2022}\tHot showers\n\u{f0b7}\tThe gym\n\nA \u{2022} inside a sentence stays.\n"
        ),
    );
    let check = site.run(&["check"]);
    let build = site.run(&["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert_eq!(check.status, 0, "{}", check.stdout);
    let html = site.read("public/faq/does-it-hurt/index.html");
    assert_contains(
        &html,
        "<p>What to avoid for one day:</p>\n<ul>\n<li>Makeup</li>\n<li>Hot showers</li>\n<li>The gym</li>\n</ul>",
    );
    assert_contains(&html, "<p>A \u{2022} inside a sentence stays.</p>");
    assert_lacks(&html, "\u{2022}\tMakeup");
    // `check` and `build` count the same warnings.
    let counted = |text: &str| -> Option<String> {
        let summary = text
            .lines()
            .find(|line| line.starts_with("Checked ") || line.starts_with("Built "))?;
        let (before, _) = summary.split_once(" warning")?;
        before.rsplit(' ').next().map(str::to_string)
    };
    assert!(counted(&check.stdout).is_some(), "{}", check.stdout);
    assert_eq!(counted(&check.stdout), counted(&build.stdout));
}
