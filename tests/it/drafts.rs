//! A `--drafts` build is a preview: drafts are marked on the page (in the page's language),
//! kept from search engines, and left out of the sitemap, the search index and `_redirects`.

use crate::support::{Site, assert_contains, assert_lacks};

#[test]
fn drafts_in_a_preview_are_marked_and_kept_from_search_engines() {
    let site = Site::fixture("drafts");
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: clinic\nbase_url: https://clinic.test/\nlanguages: [en, es]\n",
    );
    site.write(
        "content/unfinished.md",
        "---\ntitle: Unfinished page\ndraft: true\naliases: [/old-unfinished/]\n---\nComing soon.\n",
    );
    site.write(
        "content/unfinished.es.md",
        "---\ntitle: Página sin terminar\ndraft: true\n---\nPronto.\n",
    );
    site.build(&["--drafts"]);

    let draft = site.read("public/unfinished/index.html");
    assert_contains(&draft, "<meta name=\"robots\" content=\"noindex\">");
    assert_contains(&draft, "Draft: not on the live site");
    assert_contains(
        &site.read("public/es/unfinished/index.html"),
        "Borrador: no está en el sitio publicado",
    );
    let published = site.read("public/published/index.html");
    assert_lacks(&published, "noindex");
    assert_lacks(&published, "Draft: not on the live site");

    let sitemap = site.read("public/sitemap.xml");
    assert_contains(&sitemap, "https://clinic.test/published/");
    assert_lacks(&sitemap, "unfinished");
    assert_lacks(&site.read("public/search-index.en.json"), "Unfinished");
    assert!(!site.exists("public/_redirects"), "the draft's old address");
    assert!(!site.exists("public/old-unfinished/index.html"));
}
