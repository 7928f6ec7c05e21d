//! Theme inheritance: a child theme replaces some files of its parent and inherits the rest.

use crate::support::{Site, assert_contains, assert_lacks};

#[test]
fn a_child_theme_overrides_one_template_and_inherits_the_rest() {
    let site = Site::fixture("theme_inheritance");
    site.build(&[]);
    let page = site.read("public/about/index.html");
    assert_contains(&page, "<p>template: child page.html</p>");
    // The child's page.html extends the parent's base.html.
    assert_contains(&page, "<title>About us | Test Clinic</title>");
    let home = site.read("public/index.html");
    assert_contains(&home, "<p>template: index.html</p>");
    assert_lacks(&home, "child");
    insta::assert_snapshot!(site.output());
}

#[test]
fn a_child_theme_static_file_replaces_the_parents() {
    let site = Site::fixture("theme_inheritance");
    site.build(&[]);
    // The file may be written under a fingerprinted name (`style.1a2b3c4d5e.css`).
    let styles: Vec<String> = site
        .files("public")
        .into_iter()
        .filter(|f| f.starts_with("style.") && f.ends_with(".css"))
        .collect();
    assert_eq!(styles.len(), 1, "one style sheet: {styles:?}");
    assert_eq!(site.read(&format!("public/{}", styles[0])), "/* child */\n");
    assert_eq!(
        site.read("themes/mini/static/style.css"),
        "/* mini */\n",
        "the parent has its own style.css"
    );
}
