//! The smoke test: the clinic's real content with the real theme builds, and the pages staff
//! and patients rely on are there.

use std::path::Path;

use crate::support::{Site, assert_contains};

/// The real site's files (`content/`, `themes/`, `site.yaml`) copied into a temporary folder.
pub fn real_site() -> Site {
    let site = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "themes"] {
        copy_tree(&repo.join(dir), &site.root.join(dir));
    }
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).expect("copy site.yaml");
    site
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The `title:` of a content file, as the theme prints it (HTML-escaped).
fn title_of(site: &Site, rel: &str) -> String {
    let text = site.read(rel);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .unwrap_or_else(|| panic!("{rel} has no title"));
    let title = line.trim().trim_matches('"').trim_matches('\'');
    title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn the_real_site_builds_with_the_real_theme() {
    let site = real_site();
    site.build(&[]);

    let home = site.read("public/index.html");
    assert_contains(&home, &title_of(&site, "content/_index.md"));
    assert_contains(&home, "tel:+13055550100");

    let faq = site.read("public/faq/does-it-hurt/index.html");
    assert_contains(&faq, &title_of(&site, "content/faq/does-it-hurt.md"));

    for (slug, tel) in [
        ("kendall", "tel:+13055550101"),
        ("south-miami", "tel:+13055550102"),
        ("coral-gables", "tel:+13055550103"),
    ] {
        let page = site.read(&format!("public/locations/{slug}/index.html"));
        assert_contains(
            &page,
            &title_of(&site, &format!("content/locations/{slug}.md")),
        );
        assert_contains(&page, &format!("href=\"{tel}\""));
        // The offices' hours are stand-ins: patients are asked to call, in both languages,
        // and the Spanish page shows the English file's facts.
        assert_contains(&page, "Call to confirm our hours.");
        let spanish = site.read(&format!("public/es/locations/{slug}/index.html"));
        assert_contains(&spanish, "Llame para confirmar nuestro horario.");
        assert_contains(&spanish, &format!("href=\"{tel}\""));
    }
    // The offices named on the home pages come from the location pages.
    assert_contains(&home, "Offices in Kendall, South Miami and Coral Gables");
    assert_contains(
        &site.read("public/es/index.html"),
        "Consultorios en Kendall, South Miami y Coral Gables",
    );
}
