//! What every fuzz target checks, and the small sites they build in memory.

use std::path::Path;
use std::sync::OnceLock;

use clinicsite::config;
use clinicsite::diagnostics::Diagnostic;
use clinicsite::pipeline::{self, SiteFiles};
use clinicsite::source::{Content, Data};
use clinicsite::theme::Theme;

/// The site settings every fuzzed site uses: two languages, so translations are in play.
const SITE_YAML: &str = "title: Fuzz Clinic\ndescription: A site made up by the fuzzer.\nbase_url: https://www.example.com/clinic/\nlanguages: [en, es]\nphone: \"305-555-0100\"\n";

/// The built-in theme, as a site without a `themes/` folder gets it; compiled once per
/// process, since every input renders with it.
pub fn built_in_theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let config = config::parse(SITE_YAML, None).expect("the fuzz site.yaml is valid");
        let nowhere = Path::new("/nonexistent/clinicsite-fuzz");
        pipeline::load_theme(nowhere, &config).expect("the built-in theme compiles")
    })
}

/// A site in memory, as `source` would hand it over.
pub fn site_files(pages: &[(String, String)], assets: &[String]) -> SiteFiles {
    let config = config::parse(SITE_YAML, None).expect("the fuzz site.yaml is valid");
    let picture = || Data::Embedded(b"not really a picture");
    let content = Content::in_memory(
        pages.iter().cloned(),
        assets.iter().map(|rel| (rel.clone(), picture())),
    );
    SiteFiles {
        config,
        site_yaml: SITE_YAML.to_string(),
        content,
        findings: Vec::new(),
    }
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
