//! Links between pages become relative addresses; headings get unique ids with anchor links;
//! a broken link's help names the page meant, or the pages there are, in the page's language.

use crate::support::{Site, assert_contains, assert_lacks};

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

/// A name a typo away gets "did you mean"; a name like no page's gets the pages of the folder
/// the link points into, closest names first, in the linking page's language only.
#[test]
fn a_broken_links_help_names_the_pages_in_its_language() {
    let site = Site::fixture("bilingual");
    site.build(&[]);
    let before = site.fingerprint("public");
    let pain = site.read("content/faq/pain.md");
    site.write(
        "content/faq/pain.md",
        &format!("{pain}See [our prices](prices.md) and [sessions](sesions.md).\n"),
    );
    let pain_es = site.read("content/faq/pain.es.md");
    site.write(
        "content/faq/pain.es.md",
        &format!("{pain_es}Vea [nuestros precios](precios.es.md).\n"),
    );
    let stderr = crate::failures::fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[link/broken]: the link goes to `prices.md`, which does not exist\n  --> content/faq/pain.md:10:5\n",
    );
    assert_contains(
        &stderr,
        "help: no page has a name close to `prices.md`; the pages in content/faq/ are `_index.md` (Questions), `sessions.md` (How many sessions?); if you renamed content/faq/prices.md, `clinicsite move content/faq/prices.md content/faq/NEW-NAME.md` mends its links and keeps its old address working\n",
    );
    assert_contains(&stderr, "help: did you mean `sessions.md`?\n");
    assert_contains(
        &stderr,
        "help: no page has a name close to `precios.es.md`; the pages in content/faq/ are `_index.es.md` (Preguntas)\n",
    );
    assert_lacks(&stderr, "did you mean `_index.md`");
    insta::assert_snapshot!(stderr);
}

/// A page's address written as a browser reads it from the linking page (`../sessions/`) is a
/// link to that page; one that leads nowhere gets the closest page of the page's language,
/// named by its markdown file, whether written relative to the page, to the folder or from the
/// site's root.
#[test]
fn page_addresses_written_as_a_browser_reads_them_lead_to_the_page_or_the_closest_one() {
    let site = Site::fixture("bilingual");
    let pain = site.read("content/faq/pain.md");
    site.write(
        "content/faq/pain.md",
        &format!("{pain}Read [how many](../sessions/).\n"),
    );
    site.build(&[]);
    let page = site.read("public/faq/pain/index.html");
    assert_contains(&page, r#"Read <a href="../../faq/sessions/">how many</a>"#);

    let before = site.fingerprint("public");
    site.write(
        "content/faq/pain.md",
        &format!("{pain}Read [one](sessions/), [two](../sesions/) and [three](/faq/sesions/).\n"),
    );
    let stderr = crate::failures::fails(&site, &before, &[]);
    for (link, message) in [
        (
            "sessions/",
            "the link goes to `sessions/`, which does not exist",
        ),
        (
            "../sesions/",
            "the link goes to `../sesions/`, which does not exist",
        ),
        ("/faq/sesions/", "nothing is published at `/faq/sesions/`"),
    ] {
        assert_contains(&stderr, &format!("error[link/broken]: {message}\n"));
        assert_contains(&stderr, &format!("({link})"));
    }
    assert_eq!(
        stderr
            .matches("help: did you mean `sessions.md`? (links to pages name their markdown file, which keeps working if the page's address changes)\n")
            .count(),
        3,
        "{stderr}"
    );

    // An address in a folder with no pages: the help says once how links to pages are written.
    site.write(
        "content/faq/pain.md",
        &format!("{pain}Read [the news](/news/spring-offer/).\n"),
    );
    let stderr = crate::failures::fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "help: no page has a name close to `spring-offer.md`, and content/news/ has no pages in this language; links to pages name their markdown file, like `[Does it hurt?](does-it-hurt.md)`\n",
    );
    assert_eq!(
        stderr.matches("name their markdown file").count(),
        1,
        "{stderr}"
    );
}
