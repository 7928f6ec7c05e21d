//! Links between pages become relative addresses; headings get unique ids with anchor links.

use crate::support::{Site, assert_contains};

#[test]
fn links_to_markdown_files_become_relative_addresses() {
    let site = Site::fixture("links");
    site.build(&[]);
    let page = site.read("public/care/before/index.html");
    for expected in [
        r#"Same folder: <a href="../../care/after/">after</a>"#,
        r#"Other section, with an anchor: <a href="../../treatments/pain/#numbing-cream">numbing</a>"#,
        r#"From the content root: <a href="../../treatments/pain/">pain</a>"#,
        r#"A section: <a href="../../treatments/">treatments</a>"#,
        r#"A site address: <a href="../../treatments/pain/">pain again</a>"#,
        r##"On this page: <a href="#setup-1">the second setup</a>"##,
        r#"Elsewhere: <a href="https://example.org/partner" rel="noopener" title="Partner">our partner</a>"#,
    ] {
        assert_contains(&page, expected);
    }
    let home = site.read("public/index.html");
    assert_contains(&home, r#"<a href="./care/before/">getting ready</a>"#);
    insta::assert_snapshot!(page);
}

#[test]
fn headings_get_unique_ids_and_anchor_links() {
    let site = Site::fixture("links");
    site.build(&[]);
    let page = site.read("public/care/before/index.html");
    assert_contains(
        &page,
        r##"<h2 id="setup">Setup<a class="anchor" href="#setup" aria-hidden="true" tabindex="-1">#</a></h2>"##,
    );
    assert_contains(
        &page,
        r##"<h2 id="setup-1">Setup<a class="anchor" href="#setup-1" aria-hidden="true" tabindex="-1">#</a></h2>"##,
    );
    assert_contains(&page, r#"<h2 id="dia-de-la-cita">"#);
}
