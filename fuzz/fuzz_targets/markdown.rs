//! The markdown pipeline: any body renders against a small site, with unique heading ids and
//! findings inside the file.
#![no_main]

use std::path::Path;

use clinicsite::markdown::{self, PageRef};
use clinicsite::pipeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let body = clinicsite::source::normalise_newlines(body.to_string());
    let text = format!("---\ntitle: Pain\n---\n{body}");
    let files = clinicsite_fuzz::site_files(
        &[
            ("_index.md".into(), "---\ntitle: Home\n---\nHome.\n".into()),
            ("faq/pain.md".into(), text.clone()),
            (
                "faq/other.md".into(),
                "---\ntitle: Other\n---\n## Aftercare\n".into(),
            ),
        ],
        &["faq/photo.png".into()],
    );
    let placed = pipeline::place(&files, false, None);
    let page = PageRef {
        source: "faq/pain.md",
        path: "faq/pain/",
        body: &body,
        body_line: 4,
    };
    let (rendered, findings) = markdown::render(page, &placed.site);
    let mut ids: Vec<&String> = rendered.toc.iter().map(|h| &h.id).collect();
    let headings = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), headings, "two headings share an id");
    clinicsite_fuzz::assert_lines_inside(&findings, Path::new("content/faq/pain.md"), &text);
});
