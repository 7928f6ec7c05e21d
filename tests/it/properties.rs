//! Property-based tests of the stages that read what staff write: the front-matter splitter,
//! the YAML front matter and its `extra:` blocks (and site.yaml's), the markdown pipeline
//! and addresses. Whatever the input, nothing
//! panics, nothing hangs (each case runs under a time limit), every finding points at a line
//! of its file, and every file the build would write stays inside the output folder.
//!
//! The inputs are built from the pieces that break parsers (fences, BOMs, stray `\r`, YAML
//! anchors, deep nesting, `..`, `\`, NUL, reserved names, raw HTML) mixed with arbitrary
//! Unicode, so a few hundred cases reach the corners. The same entry points have cargo-fuzz
//! targets in `fuzz/` for long runs.

use std::path::Path;
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use clinicsite::check::document;
use clinicsite::config;
use clinicsite::diagnostics::{Diagnostic, Severity};
use clinicsite::frontmatter;
use clinicsite::markdown::{self, PageRef};
use clinicsite::pipeline::{self, SiteFiles};
use clinicsite::render;
use clinicsite::site::slugify;
use clinicsite::source::{Content, Data, normalise_newlines};
use clinicsite::theme::Theme;
use clinicsite::write;
use proptest::prelude::*;
use proptest::test_runner::Config as Cases;

/// Far above what any case takes (milliseconds), even in a debug build on a loaded machine:
/// only a hang or a blow-up gets near it.
const LIMIT: Duration = Duration::from_secs(20);

// ---- Properties ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn the_splitter_cuts_any_text_into_pieces_of_it(text in document()) {
        within(move || {
            let Ok(split) = frontmatter::split(&text, Path::new("content/a.md")) else {
                return;
            };
            // Both parts are slices of the file, the body its end, and their lines agree.
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            assert!(text.ends_with(split.body));
            assert!(text.contains(split.yaml));
            if !split.body.is_empty() {
                let lines_before_body = text[..text.len() - split.body.len()].matches('\n').count();
                assert_eq!(split.body_line, lines_before_body + 1);
            }
            assert!(split.yaml_line <= split.body_line);
        });
    }

    #[test]
    fn front_matter_of_any_shape_parses_or_points_at_a_line_of_the_file(text in document()) {
        within(move || {
            let text = normalise_newlines(text);
            if let Err(findings) = frontmatter::parse(&text, Path::new("content/a.md")) {
                assert!(!findings.is_empty());
                assert_lines_inside(&findings, &text);
            }
        });
    }

    #[test]
    fn slugs_are_clean_address_parts(text in words()) {
        let slug = slugify(&text);
        let clean = slug.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        prop_assert!(slug.is_empty() || clean, "{text:?} -> {slug:?}");
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn markdown_of_any_shape_renders_with_findings_inside_the_body(body in markdown()) {
        within(move || {
            let body = normalise_newlines(body);
            let files = site_files(&[
                ("_index.md", "---\ntitle: Home\n---\nHome.\n".to_string()),
                ("faq/pain.md", format!("---\ntitle: Pain\n---\n{body}")),
            ], &[]);
            let placed = pipeline::place(&files, false, None);
            let page = PageRef { source: "faq/pain.md", path: "faq/pain/", body: &body, body_line: 4 };
            let mut reader = document::Reader::new(&body);
            let (rendered, findings) = markdown::render_watched(page, &placed.site, &mut |event, range| {
                reader.event(event, range)
            });
            // `check` reads each page's text from the renderer's own parse: the same as reading
            // it on its own.
            assert_eq!(format!("{:?}", reader.finish()), format!("{:?}", document::read(&body)));
            let ids: Vec<&String> = rendered.toc.iter().map(|h| &h.id).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(ids.len(), unique.len(), "two headings share an id: {ids:?}");
            assert!(rendered.toc.iter().all(|h| rendered.ids.contains(&h.id)));
            let file = format!("---\ntitle: Pain\n---\n{body}");
            assert_lines_inside(&findings, &file);
        });
    }
}

proptest! {
    // Each case renders a whole site with the built-in theme: fewer, slower cases.
    #![proptest_config(cases(64))]

    #[test]
    fn any_site_renders_only_files_inside_the_output_folder(site in site()) {
        within(move || {
            let (pages, assets) = site;
            let pages: Vec<(&str, String)> = pages.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
            let assets: Vec<&str> = assets.iter().map(String::as_str).collect();
            let files = site_files(&pages, &assets);
            let placed = pipeline::place(&files, false, None);
            let (outputs, mut findings) = render::render(&placed.site, built_in_theme(), &files.config, render::Hooks::fresh());
            for output in &outputs {
                assert!(write::is_safe_relative(&output.path), "written outside the output: {:?}", output.path);
            }
            findings.extend(placed.findings);
            if !findings.iter().any(|f| f.severity == Severity::Error) {
                let mut paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
                paths.sort_unstable();
                let before = paths.len();
                paths.dedup();
                assert_eq!(before, paths.len(), "two files on one path, and no error");
            }
            for page in &files.content.pages {
                let file = Path::new("content").join(&page.rel);
                let own: Vec<Diagnostic> = findings.iter().filter(|f| f.file == file).cloned().collect();
                assert_lines_inside(&own, &page.text);
            }
        });
    }
}

proptest! {
    #![proptest_config(cases(128))]

    /// `extra:` in site.yaml and in a page's front matter, holding any YAML value (keys of
    /// every kind, nested): read when every key is text, else refused with a finding on a
    /// line of the file; the site renders either way, never panics.
    #[test]
    fn any_extra_block_is_read_or_refused_with_a_line(extra in extra_value()) {
        within(move || {
            let yaml = format!("extra: {}\n", flow_yaml(&extra));
            let text_keys = only_text_keys(&extra);
            let site_yaml = format!("{SITE_YAML}{yaml}");
            let config = match config::parse(&site_yaml, None) {
                Ok(config) => {
                    assert!(text_keys, "a key that is not text was taken:\n{site_yaml}");
                    config
                }
                Err(findings) => {
                    assert!(!text_keys, "refused: {findings:?}\n{site_yaml}");
                    assert_lines_inside(&findings, &site_yaml);
                    config::parse(SITE_YAML, None).expect("the tests' site.yaml is valid")
                }
            };
            let page = format!("---\ntitle: Pain\n{yaml}---\nBody.\n");
            let mut files = site_files(&[("faq/pain.md", page.clone())], &[]);
            files.config = config;
            let placed = pipeline::place(&files, false, None);
            let (_, mut findings) = render::render(&placed.site, built_in_theme(), &files.config, render::Hooks::fresh());
            findings.extend(placed.findings);
            let refused = findings.iter().any(|f| f.severity == Severity::Error && f.code.as_str().starts_with("yaml/"));
            assert_eq!(refused, !text_keys, "{findings:?}\n{page}");
            assert_lines_inside(&findings, &page);
        });
    }
}

/// `default` cases, or `PROPTEST_CASES` for a longer hunt. Failing inputs are printed,
/// shrunk, in the test's output; nothing is written into the source tree.
fn cases(default: u32) -> Cases {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    Cases {
        cases: cases.unwrap_or(default),
        failure_persistence: None,
        ..Cases::default()
    }
}

// ---- Checks -------------------------------------------------------------------------------

/// Runs `work` on a thread of its own and fails if it takes longer than `LIMIT`; a panic
/// inside comes out as the test's own, so proptest shrinks it as usual.
fn within(work: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        work();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker ended without saying so"),
        },
        // The thread cannot be stopped; it is left to finish while the test fails.
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("no answer within {LIMIT:?}"),
    }
}

/// Every finding with a line points at a line that `text` has (line 0 means the whole file).
fn assert_lines_inside(findings: &[Diagnostic], text: &str) {
    let lines = text.split('\n').count();
    for finding in findings {
        assert!(
            finding.line <= lines,
            "{} at line {} of a file of {lines} lines: {}",
            finding.code,
            finding.line,
            finding.message
        );
    }
}

// ---- Inputs -------------------------------------------------------------------------------

const SITE_YAML: &str = "title: Property Clinic\ndescription: A site made up by the property tests.\nbase_url: https://www.example.com/clinic/\nlanguages: [en, es]\nphone: \"305-555-0100\"\n";

/// The built-in theme, as a site without a `themes/` folder gets it; compiled once, since
/// every case renders with it.
fn built_in_theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let config = config::parse(SITE_YAML, None).expect("the tests' site.yaml is valid");
        let nowhere = Path::new("/nonexistent/clinicsite-properties");
        pipeline::load_theme(nowhere, &config).expect("the built-in theme compiles")
    })
}

fn site_files(pages: &[(&str, String)], assets: &[&str]) -> SiteFiles {
    let config = config::parse(SITE_YAML, None).expect("the tests' site.yaml is valid");
    let content = Content::in_memory(
        pages
            .iter()
            .map(|(rel, text)| (rel.to_string(), text.clone())),
        assets
            .iter()
            .map(|rel| (rel.to_string(), Data::Embedded(b"\x89PNG not really"))),
    );
    SiteFiles {
        config,
        site_yaml: SITE_YAML.to_string(),
        content,
        findings: Vec::new(),
    }
}

/// Any YAML value: every kind of scalar, and lists and blocks whose keys are any value.
fn extra_value() -> impl Strategy<Value = serde_yaml::Value> {
    use serde_yaml::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|n| Value::Number(n.into())),
        words().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec((inner.clone(), inner), 0..4)
                .prop_map(|pairs| Value::Mapping(pairs.into_iter().collect())),
        ]
    })
}

/// `value` as YAML on one line, in flow style (the library's writer cannot write a list or
/// a block as a key): every key explicit (`? key : value`), text in double quotes.
fn flow_yaml(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    match value {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.is_nan() => ".nan".into(),
            Some(f) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.into(),
            Some(f) if n.is_f64() => format!("{f:?}"),
            _ => n.to_string(),
        },
        Value::String(s) => serde_json::to_string(s).expect("text serialises"),
        Value::Sequence(items) => format!(
            "[{}]",
            items.iter().map(flow_yaml).collect::<Vec<_>>().join(", ")
        ),
        Value::Mapping(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("? {} : {}", flow_yaml(k), flow_yaml(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Tagged(tagged) => flow_yaml(&tagged.value),
    }
}

/// Whether every key of every block in `value` is text.
fn only_text_keys(value: &serde_yaml::Value) -> bool {
    match value {
        serde_yaml::Value::Mapping(map) => {
            map.iter().all(|(k, v)| k.is_string() && only_text_keys(v))
        }
        serde_yaml::Value::Sequence(items) => items.iter().all(only_text_keys),
        serde_yaml::Value::Tagged(tagged) => only_text_keys(&tagged.value),
        _ => true,
    }
}

/// Text made of the pieces parsers trip on, with arbitrary Unicode between them.
fn words() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,8}",
        2 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
        1 => Just("..".to_string()),
        1 => Just("/".to_string()),
        1 => Just("\\".to_string()),
        1 => Just("\0".to_string()),
        1 => Just("-".to_string()),
        1 => Just("_".to_string()),
        1 => Just("¿Duele?".to_string()),
        1 => Just("İ".to_string()),
        1 => Just("con".to_string()),
        1 => Just("%2e%2e".to_string()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// A value that YAML may read as anything: plain, quoted, a date, a list, a map, an alias.
fn yaml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        words(),
        words().prop_map(|w| format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))),
        words().prop_map(|w| format!("'{w}'")),
        Just("2026-13-45".to_string()),
        Just("2026-10-20".to_string()),
        Just("true".to_string()),
        Just("~".to_string()),
        Just("-3".to_string()),
        Just("1e400".to_string()),
        Just("*a".to_string()),
        Just("&a [x, *a]".to_string()),
        Just("!!binary aGk=".to_string()),
        Just("|\n  block\n  text".to_string()),
        Just("{ a: 1, a: 2 }".to_string()),
        Just("[/old/, ../../etc, /a/../../b, index.html, 'C:\\x', \"a\\0b\"]".to_string()),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..3).prop_map(|v| {
                let pairs: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "title", "description", "slug", "weight", "date", "updated", "draft", "aliases",
            "template", "tags", "extra", "category", "summary", "reviewed_by", "last_reviewed",
            "locations", "location", "kind", "categories", "translated_from", "reading_level",
            "allow_claims", "last_reviewd", "<<",
        ])
        .prop_map(str::to_string),
        1 => words(),
    ]
}

/// Front matter lines: mostly `key: value`, with indentation, tabs, lists and junk.
fn yaml_lines() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => (key(), yaml_value()).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => (key(), yaml_value()).prop_map(|(k, v)| format!("  {k}: {v}")),
        1 => yaml_value().prop_map(|v| format!("- {v}")),
        1 => (key(), yaml_value()).prop_map(|(k, v)| format!("\t{k}: {v}")),
        1 => words(),
        1 => Just("---".to_string()),
        1 => Just("...".to_string()),
        1 => Just("# comment".to_string()),
    ];
    prop::collection::vec(line, 0..10).prop_map(|lines| lines.join("\n"))
}

/// A whole file: usually fenced front matter then a body, sometimes neither, with the line
/// endings and marks that come from other editors.
fn document() -> impl Strategy<Value = String> {
    let start = prop_oneof![
        6 => Just("---\n"),
        1 => Just("\u{feff}---\n"),
        1 => Just("---\r\n"),
        1 => Just(""),
        1 => Just("--- \n"),
    ];
    let close = prop_oneof![
        6 => Just("\n---\n"),
        1 => Just("\n---"),
        1 => Just("\n--- \n"),
        1 => Just("\n"),
        1 => Just("\r---\r"),
    ];
    (start, yaml_lines(), close, markdown()).prop_map(|(s, y, c, b)| format!("{s}{y}{c}{b}"))
}

/// A link or image target: pages that exist, pages that do not, and ways out of the site.
fn link_target() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "pain.md",
            "@/faq/pain.md",
            "@/_index.md",
            "../_index.md",
            "pain.md#aftercare",
            "#",
            "",
            "/",
            "/faq/pain/",
            "../../../../etc/passwd",
            "@/../../secret.md",
            "..%2F..%2Fsecret.md",
            "%00.md",
            "C:\\x.md",
            "//evil.example/x",
            "javascript:alert(1)",
            "mailto:a@b",
            "https://www.example.com/x",
            "photo.png",
            "faq/photo.png",
            "#héllo",
        ])
        .prop_map(str::to_string),
        words().prop_map(|w| format!("{w}.md")),
        words(),
    ]
}

/// Markdown built from block and inline pieces, nested a little, with raw HTML and the
/// characters that end or start constructs.
fn markdown() -> impl Strategy<Value = String> {
    let inline = prop_oneof![
        4 => words(),
        2 => (words(), link_target()).prop_map(|(t, l)| format!("[{t}]({l})")),
        1 => (words(), link_target()).prop_map(|(t, l)| format!("![{t}]({l})")),
        1 => (words(), link_target()).prop_map(|(t, l)| format!("[{t}]: {l}")),
        1 => words().prop_map(|w| format!("**{w}**")),
        1 => words().prop_map(|w| format!("`{w}`")),
        1 => Just("[^1]".to_string()),
        1 => Just("<script>alert(1)</script>".to_string()),
        1 => Just("<a href=\"../../x\">x</a>".to_string()),
        1 => Just("<span style=\"color:red\">".to_string()),
        1 => Just("{{ x }}{% if %}".to_string()),
        1 => Just("\r".to_string()),
        1 => Just("&#0;&amp;".to_string()),
    ];
    let line = prop::collection::vec(inline, 1..4).prop_map(|p| p.join(" "));
    let block = prop_oneof![
        4 => line.clone(),
        2 => (1..7usize, line.clone(), prop::option::of("[a-z#.= ]{0,6}"))
            .prop_map(|(n, l, id)| match id {
                Some(id) => format!("{} {l} {{#{id}}}", "#".repeat(n)),
                None => format!("{} {l}", "#".repeat(n)),
            }),
        1 => (0..40usize, line.clone()).prop_map(|(d, l)| format!("{}- {l}", "  ".repeat(d))),
        1 => (0..60usize, line.clone()).prop_map(|(d, l)| format!("{}{l}", "> ".repeat(d))),
        1 => line.clone().prop_map(|l| format!("| a | b |\n| --- | --- |\n| {l} | x |")),
        1 => line.clone().prop_map(|l| format!("```\n{l}\n```")),
        1 => line.prop_map(|l| format!("[^1]: {l}")),
        1 => Just("<div>\n\n*x*\n\n</div>".to_string()),
        1 => Just(String::new()),
    ];
    prop::collection::vec(block, 0..12).prop_map(|blocks| blocks.join("\n\n"))
}

/// A site's markdown files and other files under `content/`, with paths that include
/// translations, bundles, sections and names that are not addresses.
#[allow(clippy::type_complexity)]
fn site() -> impl Strategy<Value = (Vec<(String, String)>, Vec<String>)> {
    let part = prop_oneof![
        4 => "[a-z0-9-]{1,6}",
        1 => Just("faq".to_string()),
        1 => Just("con".to_string()),
        1 => Just("a b".to_string()),
        1 => Just("ñandú".to_string()),
        1 => Just("x\\y".to_string()),
        1 => Just("...".to_string()),
        1 => Just("index.html".to_string()),
    ];
    let name = prop_oneof![
        3 => part.clone().prop_map(|p| format!("{p}.md")),
        1 => part.clone().prop_map(|p| format!("{p}.es.md")),
        1 => Just("_index.md".to_string()),
        1 => Just("_index.es.md".to_string()),
        1 => Just("index.md".to_string()),
        1 => Just("x.fr.md".to_string()),
    ];
    // `source` turns a `\\` in a file name into `/`, so later stages never see one.
    let rel = (prop::collection::vec(part.clone(), 0..3), name).prop_map(|(dirs, name)| {
        let rel = dirs.into_iter().chain([name]).collect::<Vec<_>>().join("/");
        rel.replace('\\', "/")
    });
    // Text as `source` hands it over: `\n` line endings.
    let page = (rel, page_text().prop_map(normalise_newlines));
    let asset_name = "[a-z.]{1,8}".prop_filter("a file name, not a page", |n| {
        n != "." && n != ".." && !n.ends_with(".md")
    });
    let asset = (prop::collection::vec(part, 0..3), asset_name).prop_map(|(dirs, name)| {
        let rel = dirs.into_iter().chain([name]).collect::<Vec<_>>().join("/");
        rel.replace('\\', "/")
    });
    (
        prop::collection::vec(page, 1..7),
        prop::collection::vec(asset, 0..3),
    )
}

/// A page that is mostly right, so some sites build without errors and reach the write,
/// with addresses chosen through `slug` and `aliases`; or anything at all.
fn page_text() -> impl Strategy<Value = String> {
    let slug = prop_oneof![
        2 => "[a-z0-9-]{1,8}".prop_map(|s| format!("slug: {s}\n")),
        1 => words().prop_map(|w| format!("slug: \"{}\"\n", w.replace('\\', "\\\\").replace('"', "\\\""))),
        2 => Just(String::new()),
    ];
    let alias = prop_oneof![
        prop::sample::select(vec![
            "/old/",
            "old",
            "index.html",
            "/faq/",
            "/",
            "../../x",
            "/a/./b/",
            "a.html",
            "/es/",
            "sitemap.xml",
            "//x",
            "x/../../y",
            "404.html",
        ])
        .prop_map(str::to_string),
        "[a-z/]{1,10}",
    ];
    let aliases = prop::collection::vec(alias, 0..3).prop_map(|a| {
        if a.is_empty() {
            String::new()
        } else {
            format!(
                "aliases: [{}]\n",
                a.iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    });
    let fitting =
        ("[A-Za-z ]{1,12}", slug, aliases, markdown()).prop_map(|(title, slug, aliases, body)| {
            format!("---\ntitle: \"{title}\"\n{slug}{aliases}---\n{body}\n")
        });
    prop_oneof![3 => fitting, 1 => document()]
}
