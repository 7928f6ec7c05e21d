//! The front-matter splitter and the YAML front matter: any text either parses or yields
//! findings that point at lines of the file.
#![no_main]

use std::path::Path;

use clinicsite::frontmatter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let file = Path::new("content/a.md");
    if let Ok(split) = frontmatter::split(text, file) {
        assert!(text.ends_with(split.body));
        assert!(split.yaml_line <= split.body_line);
    }
    let text = clinicsite::source::normalise_newlines(text.to_string());
    if let Err(findings) = frontmatter::parse(&text, file) {
        assert!(!findings.is_empty());
        clinicsite_fuzz::assert_lines_inside(&findings, file, &text);
    }
});
