//! What every fuzz target checks, and the small sites they build in memory.

use std::path::{Component, Path};
use std::sync::OnceLock;

use clinicsite::config;
use clinicsite::diagnostics::Diagnostic;
use clinicsite::pipeline::SiteFiles;
use clinicsite::source::{self, AssetFile, Content, ContentFile, Data};
use clinicsite::theme::{self, Theme};

/// The site settings every fuzzed site uses: two languages, so translations are in play.
const SITE_YAML: &str = "title: Fuzz Clinic\ndescription: A site made up by the fuzzer.\nbase_url: https://www.example.com/clinic/\nlanguages: [en, es]\nphone: \"305-555-0100\"\n";

/// The built-in theme, as a site without a `themes/` folder gets it; compiled once per
/// process, since every input renders with it.
pub fn built_in_theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let config = config::parse(SITE_YAML, None).expect("the fuzz site.yaml is valid");
        let nowhere = Path::new("/nonexistent/clinicsite-fuzz");
        let read = |name: &str| source::read_theme(nowhere, name);
        let first = read(&config.theme).expect("the built-in theme is there");
        let chain = theme::load_chain(first, &read).expect("the built-in theme's chain loads");
        theme::compile(&chain, &config.languages).expect("the built-in theme compiles")
    })
}

/// A site in memory, as `source` would hand it over: sorted, one file per path, `\n` line
/// endings, no `\` in paths.
pub fn site_files(pages: &[(String, String)], assets: &[String]) -> SiteFiles {
    let config = config::parse(SITE_YAML, None).expect("the fuzz site.yaml is valid");
    let mut content = Content::default();
    for (rel, text) in pages {
        content.pages.push(ContentFile {
            rel: rel.replace('\\', "/"),
            text: source::normalise_newlines(text.clone()),
        });
    }
    for rel in assets {
        content.assets.push(AssetFile {
            rel: rel.replace('\\', "/"),
            data: Data::Embedded(b"not really a picture"),
        });
    }
    content.pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    content.pages.dedup_by(|a, b| a.rel == b.rel);
    content.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    content.assets.dedup_by(|a, b| a.rel == b.rel);
    SiteFiles {
        config,
        content,
        findings: Vec::new(),
    }
}

/// A path the build may write: relative, `/`-separated, every part a plain name (no `..`,
/// `.`, root or drive), with no backslash (a separator on Windows) or NUL.
pub fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|part| !part.is_empty() && part != ".")
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Panics unless every finding about `file` points at a line that `text` has.
pub fn assert_lines_inside(findings: &[Diagnostic], file: &Path, text: &str) {
    let lines = text.split('\n').count();
    for finding in findings.iter().filter(|f| f.file == file) {
        assert!(
            finding.line <= lines,
            "{} at line {} of a file of {lines} lines: {}",
            finding.code,
            finding.line,
            finding.message
        );
    }
}
