//! A whole site, rendered with the built-in theme: every file it would write stays inside
//! the output folder, two files never share a path in a site without errors, and findings
//! point at lines of their files.
#![no_main]

use std::path::Path;

use clinicsite::diagnostics::Severity;
use clinicsite::{pipeline, render};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Path under `content/` (`.md` is added) and text of each page.
    pages: Vec<(String, String)>,
    /// Paths of other files under `content/`.
    assets: Vec<String>,
}

fuzz_target!(|input: Input| {
    if input.pages.len() > 8 || input.assets.len() > 4 {
        return;
    }
    // Names as a file system gives them: no empty, `.` or `..` parts, no NUL.
    let usable = |rel: &str| {
        !rel.contains('\0')
            && rel
                .split(['/', '\\'])
                .all(|p| !p.is_empty() && p != "." && p != "..")
    };
    let pages: Vec<(String, String)> = input
        .pages
        .into_iter()
        .map(|(rel, text)| (format!("{rel}.md"), text))
        .filter(|(rel, _)| usable(rel))
        .collect();
    let assets: Vec<String> = input
        .assets
        .into_iter()
        .filter(|rel| usable(rel) && !rel.ends_with(".md"))
        .collect();
    let files = clinicsite_fuzz::site_files(&pages, &assets);
    let placed = pipeline::place(&files, false, None);
    let theme = clinicsite_fuzz::built_in_theme();
    let (outputs, mut findings) =
        render::render(&placed.site, theme, &files.config, render::Hooks::fresh());
    for output in &outputs {
        assert!(
            clinicsite::write::is_safe_relative(&output.path),
            "written outside the output: {:?}",
            output.path
        );
    }
    findings.extend(placed.findings);
    if !findings.iter().any(|f| f.severity == Severity::Error) {
        let mut paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        paths.sort_unstable();
        let all = paths.len();
        paths.dedup();
        assert_eq!(all, paths.len(), "two files on one path, and no error");
    }
    for page in &files.content.pages {
        let file = Path::new("content").join(&page.rel);
        clinicsite_fuzz::assert_lines_inside(&findings, &file, &page.text);
    }
});
