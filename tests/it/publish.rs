//! Publishing outputs: the sitemap, robots.txt, JSON-LD, redirects for old addresses, the
//! search index, and every internal link working under a root and a sub-folder base URL.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::real_site::real_site;
use crate::support::{Site, assert_contains, assert_lacks};

/// Every `<script type="application/ld+json">` block of a page, parsed.
fn json_ld_blocks(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.split(open)
        .skip(1)
        .map(|rest| {
            let json = &rest[..rest.find("</script>").expect("a closed script")];
            serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{json}"))
        })
        .collect()
}

fn block<'a>(blocks: &'a [Value], kind: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} block in {blocks:#?}"))
}

#[track_caller]
fn has(value: &Value, fields: &[&str]) {
    for field in fields {
        let found = field.split('.').try_fold(value, |v, key| v.get(key));
        assert!(
            found.is_some_and(|f| !f.is_null() && f != "" && f != &Value::Array(vec![])),
            "`{field}` missing in {value:#}"
        );
    }
}

#[track_caller]
fn assert_web_page(blocks: &[Value]) {
    let page = block(blocks, "MedicalWebPage");
    assert_eq!(page["@context"], "https://schema.org");
    has(
        page,
        &["name", "url", "inLanguage", "breadcrumb.itemListElement"],
    );
    for (n, item) in page["breadcrumb"]["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(item["@type"], "ListItem");
        assert_eq!(item["position"], n + 1);
        has(item, &["name", "item"]);
    }
}

/// A clinic's structured data. The clinic's own offices have stand-in street addresses and
/// opening hours (`placeholder: [address, hours]`), which must never be given to search
/// engines.
#[track_caller]
fn assert_clinic(clinic: &Value) {
    assert_eq!(clinic["@type"], "MedicalClinic");
    assert_eq!(
        clinic["address"]["streetAddress"],
        Value::Null,
        "a placeholder street was published: {clinic}"
    );
    assert_eq!(
        clinic["openingHoursSpecification"],
        Value::Null,
        "placeholder hours were published: {clinic}"
    );
    has(
        clinic,
        &[
            "@id",
            "name",
            "url",
            "telephone",
            "address.addressLocality",
            "address.addressRegion",
            "address.postalCode",
            "address.addressCountry",
            "geo.latitude",
            "geo.longitude",
        ],
    );
    assert_eq!(clinic["address"]["@type"], "PostalAddress");
    assert_eq!(clinic["geo"]["@type"], "GeoCoordinates");
}

#[test]
fn the_real_site_has_valid_structured_data_on_every_page() {
    let site = real_site();
    site.build(&[]);
    let home = json_ld_blocks(&site.read("public/index.html"));
    assert_web_page(&home);
    let organization = block(&home, "MedicalOrganization");
    has(organization, &["name", "url", "telephone"]);
    let departments = organization["department"].as_array().expect("departments");
    assert_eq!(departments.len(), 3);
    departments.iter().for_each(assert_clinic);

    let faq = json_ld_blocks(&site.read("public/faq/index.html"));
    assert_web_page(&faq);
    let questions = block(&faq, "FAQPage")["mainEntity"]
        .as_array()
        .expect("questions")
        .clone();
    let entries = site
        .files("content/faq")
        .iter()
        .filter(|f| !f.ends_with("_index.md") && !f.ends_with(".es.md"))
        .count();
    assert_eq!(questions.len(), entries, "one Question per FAQ entry");
    for question in &questions {
        assert_eq!(question["@type"], "Question");
        assert_eq!(question["acceptedAnswer"]["@type"], "Answer");
        has(question, &["name", "acceptedAnswer.text"]);
    }

    let entry = json_ld_blocks(&site.read("public/faq/does-it-hurt/index.html"));
    assert_web_page(&entry);
    let page = block(&entry, "MedicalWebPage");
    has(page, &["lastReviewed", "reviewedBy.name", "about.name"]);
    assert_eq!(page["reviewedBy"]["@type"], "Person");
    assert_eq!(page["about"]["@type"], "MedicalProcedure");

    for slug in ["kendall", "south-miami", "coral-gables"] {
        let blocks = json_ld_blocks(&site.read(&format!("public/locations/{slug}/index.html")));
        assert_web_page(&blocks);
        assert_clinic(block(&blocks, "MedicalClinic"));
    }
}

#[test]
fn the_sitemap_is_xml_listing_every_page_with_full_addresses() {
    let site = real_site();
    site.build(&["--base-url", "https://clinic.example.org/"]);
    let xml = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml parses as XML");
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    let pages: BTreeSet<String> = site
        .pages()
        .iter()
        .map(|p| {
            format!(
                "https://clinic.example.org/{}",
                p.trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(locs, pages);
    assert_contains(
        &site.read("public/robots.txt"),
        "Sitemap: https://clinic.example.org/sitemap.xml",
    );
    let manifest: Value = serde_json::from_str(&site.read("public/manifest.webmanifest")).unwrap();
    has(&manifest, &["name", "start_url", "icons"]);
    for icon in manifest["icons"].as_array().unwrap() {
        assert!(
            site.exists(&format!("public/{}", icon["src"].as_str().unwrap())),
            "{icon}"
        );
    }
}

/// Every `href` and `src` of every page of `public`, resolved as a browser would when the
/// site is served at `base_url`, must name a file of the site. Returns the broken ones.
fn broken_links(public: &Path, base_url: &str) -> Vec<String> {
    let origin_end = base_url.find("://").map_or(0, |i| i + 3);
    let path_start = base_url[origin_end..]
        .find('/')
        .map_or(base_url.len(), |i| origin_end + i);
    let (origin, base_path) = base_url.split_at(path_start);
    let mut broken = Vec::new();
    for file in walk(public) {
        let rel = file
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") {
            continue;
        }
        // Hosts serve 404.html at any missing address: resolve its links from a deep one.
        let page_url = if rel == "404.html" {
            format!("{base_path}some/missing/page/")
        } else {
            format!("{base_path}{}", rel.trim_end_matches("index.html"))
        };
        let html = std::fs::read_to_string(&file).unwrap();
        for link in attribute_values(&html) {
            let link = link.split('#').next().unwrap().split('?').next().unwrap();
            let absolute = if let Some(rest) = link
                .strip_prefix(origin)
                .filter(|_| link.starts_with("http"))
            {
                rest.to_string()
            } else if link.contains(':') || link.is_empty() {
                continue;
            } else {
                resolve(&page_url, link)
            };
            let Some(inside) = absolute.strip_prefix(base_path) else {
                broken.push(format!("{rel}: {link} leaves {base_path}"));
                continue;
            };
            let target = if inside.is_empty() || inside.ends_with('/') {
                format!("{inside}index.html")
            } else {
                inside.to_string()
            };
            if !public.join(&target).is_file() {
                broken.push(format!("{rel}: {link} -> {target}"));
            }
        }
    }
    broken
}

fn attribute_values(html: &str) -> Vec<String> {
    let mut values = Vec::new();
    for attribute in [" href=\"", " src=\"", "og:image\" content=\""] {
        for piece in html.split(attribute).skip(1) {
            values.push(piece[..piece.find('"').unwrap()].replace("&amp;", "&"));
        }
    }
    values
}

/// Resolves a relative link against a page's address, as a browser does.
fn resolve(page_url: &str, link: &str) -> String {
    if link.starts_with('/') {
        return link.to_string();
    }
    let mut parts: Vec<&str> = page_url.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if link.ends_with('/') || link == "." || link == ".." || link.ends_with("/.") {
        format!("{}/", joined.trim_end_matches('/'))
    } else {
        joined
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn every_internal_link_works_at_the_root_and_under_a_sub_folder() {
    for base_url in ["https://clinic.example.org/", "https://example.org/clinic/"] {
        let site = real_site();
        site.build(&["--base-url", base_url]);
        let broken = broken_links(&site.path("public"), base_url);
        assert!(
            broken.is_empty(),
            "broken links with {base_url}:\n{}",
            broken.join("\n")
        );
        let home = site.read("public/index.html");
        assert_contains(&home, &format!("href=\"{base_url}\""));
    }
}

#[test]
fn the_crawler_finds_broken_links() {
    let site = Site::fixture("publishing");
    site.build(&[]);
    site.write(
        "public/faq/index.html",
        "<a href=\"../nowhere/\">x</a><img src=\"gone.png\">",
    );
    let broken = broken_links(&site.path("public"), "https://www.example.org/");
    assert_eq!(
        broken,
        [
            "faq/index.html: ../nowhere/ -> nowhere/index.html",
            "faq/index.html: gone.png -> faq/gone.png"
        ]
    );
    assert_eq!(resolve("/clinic/faq/pain/", "../../"), "/clinic/");
}

#[test]
fn json_ld_is_safe_against_closing_the_script() {
    let site = Site::fixture("publishing");
    site.build(&[]);
    let html = site.read("public/faq/pain/index.html");
    assert_lacks(&html, "</script><script>alert(1)");
    let blocks = json_ld_blocks(&html);
    assert_eq!(
        block(&blocks, "MedicalWebPage")["name"],
        "Does it hurt? </script><script>alert(1)</script>"
    );
    let faq = json_ld_blocks(&site.read("public/faq/index.html"));
    assert_eq!(
        block(&faq, "FAQPage")["mainEntity"][0]["acceptedAnswer"]["text"],
        "A little & only briefly <b>really</b>."
    );
}

#[test]
fn aliases_redirect_old_addresses() {
    let site = Site::fixture("publishing");
    site.build(&[]);
    let old = site.read("public/old/pain/index.html");
    assert_contains(
        &old,
        "<meta http-equiv=\"refresh\" content=\"0; url=../../faq/pain/\">",
    );
    assert_contains(
        &old,
        "<link rel=\"canonical\" href=\"https://www.example.org/faq/pain/\">",
    );
    assert_contains(
        &site.read("public/faq/does-it-hurt.html"),
        "url=../faq/pain/",
    );
    assert_eq!(
        site.read("public/_redirects"),
        "/faq/does-it-hurt.html /faq/pain/ 301\n/old/pain/ /faq/pain/ 301\n"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert_contains(
        &sitemap,
        "<loc>https://www.example.org/faq/pain/</loc>\n    <lastmod>2026-11-01</lastmod>",
    );
    assert_lacks(&sitemap, "old/pain");
}

#[test]
fn an_alias_on_a_real_page_is_an_error() {
    let site = Site::fixture("publishing");
    site.write(
        "content/about.md",
        "---\ntitle: About\naliases:\n  - /faq/pain/\n---\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[alias/collision]: the old address `/faq/pain/` is the address of content/faq/pain.md\n --> content/about.md:4:1\n",
    );
}

#[test]
fn the_search_index_lists_every_page_briefly() {
    let site = Site::fixture("publishing");
    site.build(&[]);
    let index: Value = serde_json::from_str(&site.read("public/search-index.en.json")).unwrap();
    let entries = index.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["u"], "faq/pain/");
    assert_eq!(entries[0]["c"], "Comfort");
    assert_eq!(entries[0]["h"], "Numbing cream");
}

#[test]
fn minify_shrinks_pages_and_keeps_their_text() {
    let site = Site::fixture("publishing");
    site.build(&[]);
    let plain = site.read("public/faq/pain/index.html");
    site.write(
        "site.yaml",
        &format!("{}minify: true\n", site.read("site.yaml")),
    );
    site.build(&[]);
    let small = site.read("public/faq/pain/index.html");
    assert!(
        small.len() < plain.len(),
        "{} >= {}",
        small.len(),
        plain.len()
    );
    assert_contains(&small, "Numbing cream");
}

#[test]
fn a_real_street_address_is_in_the_structured_data() {
    let site = Site::fixture("locations");
    let settings = site
        .read("site.yaml")
        .replace("theme: mini", "theme: clinic");
    site.write("site.yaml", &settings);
    site.build(&[]);
    let north = json_ld_blocks(&site.read("public/locations/north/index.html"));
    let clinic = block(&north, "MedicalClinic");
    assert_eq!(clinic["address"]["streetAddress"], "1 North Street");
}
