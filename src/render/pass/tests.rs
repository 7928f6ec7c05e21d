//! Unit tests of the rendering pass: pages rendered in memory from a small theme.

use std::path::{Path, PathBuf};

use super::*;
use crate::source::{Content, Data, ThemeFiles};

const PAGES: &[(&str, &str)] = &[
    ("_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    ("about.md", "---\ntitle: About\n---\nHello *there*.\n"),
    (
        "hours.md",
        "---\ntitle: Hours\n---\nSee [about](about.md).\n",
    ),
];

fn config() -> Config {
    crate::config::parse("title: Test Clinic\nbase_url: https://example.com/\n", None).unwrap()
}

/// A theme with `index.html`, `section.html` and `page` (name, text).
fn theme(page: (&str, &str)) -> Theme {
    let files = ThemeFiles {
        name: "t".into(),
        dir: PathBuf::from("themes/t"),
        manifest: "name: t\n".into(),
        templates: vec![
            ("index.html".into(), "home: {{ section.title }}".into()),
            ("section.html".into(), "section".into()),
            (page.0.into(), page.1.into()),
        ],
        statics: Vec::new(),
        i18n: Vec::new(),
    };
    crate::theme::compile(&[files], &["en".into()], Vec::new()).unwrap()
}

/// Renders `pages` with `theme`: the files made, by path, and the findings.
fn render_site(pages: &[(&str, &str)], theme: &Theme) -> (BTreeMap<String, Body>, Vec<Diagnostic>) {
    let content = Content::in_memory(
        pages
            .iter()
            .map(|(rel, text)| (rel.to_string(), text.to_string())),
        Vec::<(String, Data)>::new(),
    );
    let placed = crate::site::place_for_test(&content);
    assert!(placed.findings.is_empty(), "{:?}", placed.findings);
    let (outputs, findings) = render(&placed.site, theme, &config(), Hooks::fresh());
    let files = outputs.into_iter().map(|o| (o.path, o.body)).collect();
    (files, findings)
}

fn text(files: &BTreeMap<String, Body>, path: &str) -> String {
    match files.get(path) {
        Some(Body::Text(text)) => text.clone(),
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn every_page_gets_its_template_and_the_site_files_are_added() {
    let theme = theme((
        "page.html",
        "{{ page.title }}|{{ root }}|{{ page.content | safe }}",
    ));
    let (files, findings) = render_site(PAGES, &theme);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(text(&files, "index.html"), "home: Home");
    assert_eq!(
        text(&files, "about/index.html"),
        "About|../|<p>Hello <em>there</em>.</p>\n"
    );
    assert_eq!(
        text(&files, "hours/index.html"),
        "Hours|../|<p>See <a href=\"../about/\">about</a>.</p>\n"
    );
    for path in [
        "sitemap.xml",
        "robots.txt",
        "manifest.webmanifest",
        "_headers",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
}

#[test]
fn a_template_missing_for_many_pages_is_reported_once() {
    let theme = theme(("other.html", "other"));
    let (files, findings) = render_site(PAGES, &theme);
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        ["the theme has neither `page.html` nor `page.html` (on 2 pages)"]
    );
    assert!(!files.contains_key("about/index.html"));
    assert!(
        files.contains_key("index.html"),
        "other templates still render"
    );
}

#[test]
fn a_template_error_names_the_page_it_happened_on() {
    let theme = theme(("page.html", "{{ asset(path='missing.css') }}"));
    let (_, findings) = render_site(PAGES, &theme);
    let mut messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    messages.sort_unstable();
    assert_eq!(
        messages,
        [
            "asset(): the theme has no static file `missing.css` (while rendering content/about.md)",
            "asset(): the theme has no static file `missing.css` (while rendering content/hours.md)",
        ]
    );
    assert!(
        findings
            .iter()
            .all(|f| f.file == Path::new("themes/t/templates/page.html"))
    );
}

#[test]
fn the_site_footer_is_rendered_for_each_root_and_given_to_every_page() {
    let files =
        ThemeFiles {
            name: "t".into(),
            dir: PathBuf::from("themes/t"),
            manifest: "name: t\n".into(),
            templates: vec![
            ("index.html".into(), "home|{{ site_footer | safe }}".into()),
            ("section.html".into(), "section".into()),
            ("page.html".into(), "{{ page.title }}|{{ site_footer | safe }}".into()),
            ("404.html".into(), "missing|{{ site_footer | safe }}".into()),
            (
                "site_footer.html".into(),
                "<a href=\"{{ root }}\">{{ site.title }}</a> {{ lang }}{% if page %}!{% endif %}"
                    .into(),
            ),
        ],
            statics: Vec::new(),
            i18n: Vec::new(),
        };
    let theme = crate::theme::compile(&[files], &["en".into()], Vec::new()).unwrap();
    let pages = [
        ("_index.md", "---\ntitle: Home\n---\n"),
        ("about.md", "---\ntitle: About\n---\n"),
        ("faq/_index.md", "---\ntitle: FAQ\n---\n"),
        ("faq/pain.md", "---\ntitle: Pain\n---\n"),
    ];
    let (files, findings) = render_site(&pages, &theme);
    assert!(findings.is_empty(), "{findings:?}");
    let footer = |root: &str| format!("<a href=\"{root}\">Test Clinic</a> en");
    assert_eq!(text(&files, "index.html"), format!("home|{}", footer("./")));
    assert_eq!(
        text(&files, "about/index.html"),
        format!("About|{}", footer("../"))
    );
    assert_eq!(
        text(&files, "faq/pain/index.html"),
        format!("Pain|{}", footer("../../"))
    );
    assert_eq!(text(&files, "404.html"), format!("missing|{}", footer("/")));
}

#[test]
fn a_broken_site_footer_is_reported_once() {
    let files = ThemeFiles {
        name: "t".into(),
        dir: PathBuf::from("themes/t"),
        manifest: "name: t\n".into(),
        templates: vec![
            ("index.html".into(), "{{ site_footer | safe }}".into()),
            ("section.html".into(), "section".into()),
            ("page.html".into(), "{{ site_footer | safe }}".into()),
            (
                "site_footer.html".into(),
                "{{ asset(path='gone.css') }}".into(),
            ),
        ],
        statics: Vec::new(),
        i18n: Vec::new(),
    };
    let theme = crate::theme::compile(&[files], &["en".into()], Vec::new()).unwrap();
    let (_, findings) = render_site(PAGES, &theme);
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        ["asset(): the theme has no static file `gone.css` (on 3 pages)"]
    );
    assert_eq!(
        findings[0].file,
        Path::new("themes/t/templates/site_footer.html")
    );
}

#[test]
fn without_templates_links_are_still_checked() {
    let content = Content::in_memory(
        [(
            "a.md".to_string(),
            "---\ntitle: A\n---\n[x](gone.md)\n".to_string(),
        )],
        Vec::<(String, Data)>::new(),
    );
    let placed = crate::site::place_for_test(&content);
    let findings = render_bodies(&placed.site, &crate::incremental::Fresh, None);
    let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::LinkBroken]);
    assert_eq!(findings[0].line, 4);
}

#[test]
fn i18n_gives_every_template_the_words_t_gives() {
    let files = ThemeFiles {
        name: "t".into(),
        dir: PathBuf::from("themes/t"),
        manifest: "name: t\n".into(),
        templates: vec![
            ("index.html".into(), "{{ i18n.home }}".into()),
            ("section.html".into(), "section".into()),
            (
                "page.html".into(),
                "{{ i18n.home }}|{{ t(key=\"home\") }}|{{ site_footer | safe }}".into(),
            ),
            ("404.html".into(), "{{ i18n.missing }}".into()),
            ("site_footer.html".into(), "{{ i18n.home }}".into()),
        ],
        statics: Vec::new(),
        i18n: vec![(
            "en".into(),
            "home: Home & <more>\nmissing: Not found\n".into(),
        )],
    };
    let theme = crate::theme::compile(&[files], &["en".into()], Vec::new()).unwrap();
    let (files, findings) = render_site(PAGES, &theme);
    assert!(findings.is_empty(), "{findings:?}");
    let home = "Home &amp; &lt;more&gt;";
    assert_eq!(text(&files, "index.html"), home);
    assert_eq!(
        text(&files, "about/index.html"),
        format!("{home}|{home}|{home}")
    );
    assert_eq!(text(&files, "404.html"), "Not found");
}
