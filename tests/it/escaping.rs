//! Escaping: text staff write can never become markup or code in what the site publishes.
//!
//! The `hostile` fixture puts `TEXT` in every text field of every kind of page and of
//! site.yaml (`URL` in web addresses, `BASE` in `base_url`, `BODY` and `HEADING` in the markdown). The test builds it
//! twice: once with a hostile string there (`</script><script>…`, an `<img onerror>`, both
//! quotes, `&`, Tera's `{{ }}` and `{% %}`) and once with plain words. Escaped correctly, the
//! hostile text changes no structure: every HTML and XML file has exactly as many `<`, `>`
//! and (outside JSON-LD) quote characters in both builds, every JSON-LD block, search index
//! and manifest still parses and gives the hostile text back unchanged, and no template code
//! in it ever runs. Both the test theme and the real one are checked.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Site, assert_contains, assert_lacks};

/// Tera code that, if it ran, would print `PWNED` and `TRUEBRANCH` without its tags.
const TEMPLATE_CODE: &str = "{{ \"PWN\" ~ \"ED\" }} {% if true %}TRUEBRANCH{% endif %}";
const MARKUP: &str = "</script><script>alert(document.cookie)</script><img src=x onerror=alert(document.domain)> \"dq\" 'sq' & ";

fn hostile_text() -> String {
    format!("{MARKUP}{TEMPLATE_CODE}")
}

/// The fixture with its placeholders filled in, for `theme`.
fn fixture(theme: &str, hostile: bool) -> Site {
    let site = Site::fixture("hostile");
    let text = if hostile {
        hostile_text()
    } else {
        "Plain words".into()
    };
    let url = if hostile { "a\"b'c<d>e&f" } else { "abcdef" };
    let heading = if hostile {
        "&lt;/script&gt;&lt;script&gt; \"dq\" 'sq' & {{ x }}"
    } else {
        "plain heading"
    };
    let body = if hostile {
        format!(
            "Body {TEMPLATE_CODE} and `<script>alert(document.cookie)</script>` and &lt;img src=x onerror=alert(document.domain)&gt;."
        )
    } else {
        // The same structure: a paragraph with a code span.
        "Body plain and `plain code` and plain.".into()
    };
    let yaml = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    for rel in site.files("") {
        if !(rel.ends_with(".md") || rel == "site.yaml") || rel.starts_with("themes/") {
            continue;
        }
        let filled = site
            .read(&rel)
            .replace("theme: mini", &format!("theme: {theme}"))
            .replace("TEXT_HEADING", heading)
            .replace("\"TEXT\"", &format!("\"{}\"", yaml(&text)))
            .replace(" TEXT\"", &format!(" {}\"", yaml(&text)))
            .replace("URL", &yaml(url))
            .replace("BASE", if hostile { "a&b;c" } else { "abcde" })
            .replace("BODY", &body);
        site.write(&rel, &filled);
    }
    site
}

/// Every file of the built site, by path.
fn outputs(site: &Site) -> BTreeMap<String, String> {
    site.files("public")
        .into_iter()
        .filter(|rel| !rel.ends_with(".png") && !rel.starts_with(".clinicsite"))
        .map(|rel| {
            let text = site.read(&format!("public/{rel}"));
            (rel, text)
        })
        .collect()
}

fn check_theme(theme: &str) {
    let plain = fixture(theme, false);
    plain.build(&[]);
    let hostile = fixture(theme, true);
    hostile.build(&[]);
    let (plain, hostile) = (outputs(&plain), outputs(&hostile));
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        hostile.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let text = hostile_text();
    for (path, html) in &hostile {
        assert_lacks(html, "PWNED");
        assert_eq!(
            html.matches("TRUEBRANCH").count(),
            html.matches("{% if true %}TRUEBRANCH").count(),
            "template code ran in {path}"
        );
        if path.ends_with(".html") || path.ends_with(".xml") {
            assert_lacks(html, "<script>alert");
            assert_lacks(html, "<img src=x");
            let (scripts, rest) = split_scripts(html);
            let (plain_scripts, plain_rest) = split_scripts(&plain[path]);
            for c in ['<', '>'] {
                assert_eq!(
                    html.matches(c).count(),
                    plain[path].matches(c).count(),
                    "`{c}` in {path}: hostile text made markup"
                );
            }
            for c in ['"', '\''] {
                assert_eq!(
                    rest.matches(c).count(),
                    plain_rest.matches(c).count(),
                    "`{c}` in {path}: hostile text left an attribute or broke one"
                );
            }
            assert_eq!(scripts.len(), plain_scripts.len(), "scripts in {path}");
            for block in scripts.iter().filter(|s| !s.trim().is_empty()) {
                let value: serde_json::Value = serde_json::from_str(block)
                    .unwrap_or_else(|e| panic!("JSON-LD in {path} does not parse: {e}\n{block}"));
                assert_lacks(block, "</");
                assert!(value.is_object(), "{path}: {block}");
            }
        }
        if path.ends_with(".json") || path.ends_with(".webmanifest") {
            serde_json::from_str::<serde_json::Value>(html)
                .unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
        }
        if path.ends_with(".xml") {
            roxmltree::Document::parse(html).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    // The hostile text comes back unchanged where it is data.
    let index: serde_json::Value =
        serde_json::from_str(&hostile["search-index.en.json"]).expect("the search index");
    assert!(
        index
            .as_array()
            .expect("a list")
            .iter()
            .any(|e| e["t"] == text.as_str() && e["s"] == text.as_str()),
        "{index}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&hostile["manifest.webmanifest"]).expect("the manifest");
    assert_eq!(manifest["name"], text.as_str());
    if theme == "mini" {
        // The test theme prints no JSON-LD.
        return;
    }
    let about = json_ld(&hostile["about/index.html"]);
    assert!(
        about.iter().any(|b| b["name"] == text.as_str()),
        "{about:?}"
    );
    let faq = json_ld(&hostile["faq/index.html"]);
    assert!(
        faq.iter()
            .any(|b| b["mainEntity"][0]["acceptedAnswer"]["text"] == text.as_str()),
        "{faq:?}"
    );
}

/// The contents of every `<script>` element, and the page with them taken out.
fn split_scripts(html: &str) -> (Vec<String>, String) {
    let mut scripts = Vec::new();
    let mut rest = String::new();
    let mut remaining = html;
    while let Some(start) = remaining.find("<script") {
        let open_end = remaining[start..]
            .find('>')
            .map_or(remaining.len(), |e| start + e + 1);
        let close = remaining[open_end..]
            .find("</script>")
            .map_or(remaining.len(), |e| open_end + e);
        rest.push_str(&remaining[..open_end]);
        scripts.push(remaining[open_end..close].to_string());
        remaining = &remaining[close..];
        if let Some(after) = remaining.strip_prefix("</script>") {
            rest.push_str("</script>");
            remaining = after;
        }
    }
    rest.push_str(remaining);
    (scripts, rest)
}

fn json_ld(html: &str) -> Vec<serde_json::Value> {
    split_scripts(html)
        .0
        .iter()
        .filter_map(|s| serde_json::from_str(s).ok())
        .collect()
}

#[test]
fn hostile_text_is_escaped_everywhere_in_the_test_theme() {
    check_theme("mini");
}

#[test]
fn hostile_text_is_escaped_everywhere_in_the_real_theme() {
    check_theme("clinic");
}

/// With HTML allowed, the sanitiser still keeps scripts, handlers and styles out, in both
/// themes' pages.
#[test]
fn allowed_html_is_sanitised_on_the_real_theme() {
    let site = fixture("clinic", false);
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{config}markdown:\n  raw_html: true\n"),
    );
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\n<p style=\"mso-line-height-rule:exactly\" onclick=\"steal()\">Hello <a href=\"javascript:alert(1)\">there</a> <b>friend</b>.</p>\n\n<script>alert(1)</script><style>body{display:none}</style><iframe src=\"https://evil.example\"></iframe>\n",
    );
    site.build(&[]);
    let html = site.read("public/about/index.html");
    assert_contains(&html, "<p>Hello <a>there</a> <b>friend</b>.</p>");
    for gone in [
        "mso-",
        "onclick",
        "javascript:",
        "alert(1)",
        "display:none",
        "<iframe",
        "evil.example",
    ] {
        assert_lacks(&html, gone);
    }
}

/// The default: HTML in the text stops the build, on the real theme as on the test theme
/// (see `bad_input::html_pasted_from_word`).
#[test]
fn html_is_refused_by_default_on_the_real_theme() {
    let site = fixture("clinic", false);
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nHello <b>friend</b>.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[markdown/raw-html]: HTML is not allowed in the text: `<b>`\n --> content/about.md:4:7\n",
    );
    assert!(!Path::new(&site.path("public")).exists());
}

/// A NUL character in a page (a damaged file or paste) never reaches the HTML: it becomes
/// U+FFFD, as CommonMark says, in the text, a heading and a link.
#[test]
fn a_nul_character_becomes_a_replacement_character() {
    let site = Site::fixture("breakable");
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\n## Hea\0ding\n\nWe are\0 a clinic. [Call\0 us](/faq/)\n",
    );
    site.build(&[]);
    let page = site.read("public/about/index.html");
    assert!(!page.contains('\0'), "a NUL reached the page:\n{page}");
    assert_contains(&page, "We are\u{FFFD} a clinic.");
    assert_contains(&page, "Call\u{FFFD} us");
}
