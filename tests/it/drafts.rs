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

/// A draft is the only page in its language: without `--drafts`, that language gets no home
/// page (nor a 404 page) of its own.
#[test]
fn a_draft_alone_in_its_language_publishes_nothing_in_it() {
    let site = Site::fixture("drafts");
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: clinic\nbase_url: https://clinic.test/\nlanguages: [en, es]\n",
    );
    site.build(&[]);
    let without = site.files("public");
    site.write(
        "content/published.es.md",
        "---\ntitle: Página publicada\ndraft: true\n---\nPronto.\n",
    );
    site.build(&[]);
    assert_eq!(site.files("public"), without);
    assert!(!site.exists("public/es/index.html"));
    site.build(&["--drafts"]);
    assert!(site.exists("public/es/published/index.html"));
    assert!(site.exists("public/es/index.html"));
}

/// Every file of `public/` with its bytes, but the pages and the theme's and site's own
/// files: the content files a build published.
fn published_content_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    crate::support::files_under(&site.path("public"))
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("faq/") && !rel.ends_with(".html"))
        .map(|(rel, path)| {
            let bytes = std::fs::read(path).expect("read a published file");
            (rel, bytes)
        })
        .collect()
}

#[test]
fn a_loose_photo_only_a_draft_shows_waits_for_the_draft() {
    let site = Site::fixture("loose_files");
    for (name, seed) in [("desk", 1), ("shared", 2), ("new-thing-before", 3)] {
        std::fs::write(
            site.path(&format!("content/faq/{name}.jpg")),
            crate::images::photo(40 + seed, 30, 1),
        )
        .expect("write a photo");
    }
    site.build(&[]);
    let published = published_content_files(&site);
    let names: Vec<&str> = published.iter().map(|(rel, _)| rel.as_str()).collect();
    // The draft's photo stays behind; the published page's photos, the photo both name, and
    // the files no page names (the price list) are published as before.
    assert_eq!(
        names,
        [
            "faq/desk-41.webp",
            "faq/desk.jpg",
            "faq/leaflet.pdf",
            "faq/prices.pdf",
            "faq/shared-42.webp",
            "faq/shared.jpg",
        ]
    );
    let bytes = |rel: &str| {
        let found = published.iter().find(|(r, _)| r == rel);
        found.map(|(_, b)| b.clone()).expect("published")
    };
    assert_eq!(
        bytes("faq/leaflet.pdf"),
        site.read("content/faq/leaflet.pdf").into_bytes()
    );
    assert_eq!(
        bytes("faq/prices.pdf"),
        site.read("content/faq/prices.pdf").into_bytes()
    );
    assert!(bytes("faq/desk.jpg").starts_with(&[0xFF, 0xD8]));
    assert!(
        !site.files("public").iter().any(|f| f.contains("new-thing")),
        "{:?}",
        site.files("public")
    );
    let page = site.read("public/faq/shown/index.html");
    assert_contains(&page, "desk.jpg");
    assert_contains(&page, "shared.jpg");

    // A preview of the drafts shows it with its photo.
    site.build(&["--drafts"]);
    let preview = published_content_files(&site);
    assert!(
        preview
            .iter()
            .any(|(rel, _)| rel == "faq/new-thing-before.jpg"),
        "{:?}",
        site.files("public")
    );

    // Published, the page takes its photo along.
    let draft = site.read("content/faq/new-thing.md");
    site.write(
        "content/faq/new-thing.md",
        &draft.replace("draft: true\n", ""),
    );
    site.build(&[]);
    let names: Vec<String> = published_content_files(&site)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.contains("new-thing"))
        .collect();
    assert_eq!(
        names,
        ["faq/new-thing-before-43.webp", "faq/new-thing-before.jpg"]
    );
    assert_contains(
        &site.read("public/faq/new-thing/index.html"),
        "new-thing-before.jpg",
    );
}
