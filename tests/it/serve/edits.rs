//! After every kind of edit staff make, the preview equals a fresh `build` of the same files:
//! the same bytes in every file when the build succeeds, and the same errors (beside the
//! edited pages, which the preview still shows) when it stops.

use super::server::{Events, Server};
use super::{files_under, without_live_script};
use crate::support::{Site, assert_contains};

const HURT: &str = "content/faq/does-it-hurt.md";
const HURT_ES: &str = "content/faq/does-it-hurt.es.md";

type Edit<'a> = Box<dyn Fn(&Site) + 'a>;

#[test]
fn the_preview_equals_a_fresh_build_and_its_errors_after_every_kind_of_edit() {
    let site = Site::fixture("serve_site");
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    let hurt = site.read(HURT);
    let what = site.read("content/faq/what-is-it.md");
    let hurt_es = site.read(HURT_ES);
    let steps: Vec<(&str, Edit)> = vec![
        (
            "edit a page's text",
            Box::new(|site| site.write(HURT, &hurt.replace("numbing", "cooling"))),
        ),
        ("revert it", Box::new(|site| site.write(HURT, &hurt))),
        (
            "a translation's text keeps a line of its original",
            Box::new(|site| {
                site.write(
                    HURT_ES,
                    &format!("{hurt_es}\nYour skin may look pink for a day.\n"),
                )
            }),
        ),
        (
            "the line is translated",
            Box::new(|site| site.write(HURT_ES, &hurt_es)),
        ),
        (
            "a claim and an image without alt text",
            Box::new(|site| {
                let text = format!("{what}\nPainless and 100% guaranteed.\n\n![](leaflet.pdf)\n");
                site.write("content/faq/what-is-it.md", &text);
            }),
        ),
        (
            "a heading another page links to changes",
            Box::new(|site| site.write(HURT, &hurt.replace("## After your visit", "## Later"))),
        ),
        (
            "the heading comes back",
            Box::new(|site| site.write(HURT, &hurt)),
        ),
        (
            "rename a page",
            Box::new(|site| {
                let text = site.read("content/faq/how-long.md");
                site.remove("content/faq/how-long.md");
                site.write("content/faq/how-long-is-it.md", &text);
            }),
        ),
        (
            "delete a page another links to",
            Box::new(|site| site.remove(HURT)),
        ),
        ("put it back", Box::new(|site| site.write(HURT, &hurt))),
        (
            "fix the claim and the image",
            Box::new(|site| site.write("content/faq/what-is-it.md", &what)),
        ),
        (
            "edit site.yaml",
            Box::new(|site| {
                let yaml = site.read("site.yaml");
                site.write("site.yaml", &yaml.replace("Test Clinic", "Renamed Clinic"));
            }),
        ),
        (
            "edit a template",
            Box::new(|site| site.write("themes/live/templates/404.html", "<p>Not here</p>")),
        ),
        (
            "edit a page's text again",
            Box::new(|site| site.write(HURT, &hurt.replace("pink", "a little pink"))),
        ),
    ];
    let mut shown_errors = 0;
    for (step, edit) in steps {
        edit(&site);
        wait_for_rebuild(&mut events);
        shown_errors += usize::from(compare(&site, &server, step));
    }
    assert!(shown_errors >= 4, "{shown_errors} steps with errors");
}

/// A loose file a draft names is published only while a published page names it too: an
/// edit to a page's text alone that starts or stops naming it publishes or withdraws it, as
/// a fresh `build` would.
#[test]
fn naming_a_drafts_file_in_a_pages_text_publishes_it_in_the_preview() {
    let site = Site::fixture("serve_site");
    site.write(
        "content/faq/soon.md",
        "---\ntitle: Soon\ndraft: true\n---\nRead [the leaflet](soon-leaflet.pdf).\n",
    );
    site.write("content/faq/soon-leaflet.pdf", "SOONPDF");
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    assert_eq!(server.get("/faq/soon-leaflet.pdf").status, 404);
    let what = site.read("content/faq/what-is-it.md");

    site.write(
        "content/faq/what-is-it.md",
        &format!("{what}\nRead [the leaflet](soon-leaflet.pdf).\n"),
    );
    wait_for_rebuild(&mut events);
    assert_eq!(server.get("/faq/soon-leaflet.pdf").body, "SOONPDF");
    assert!(!compare(&site, &server, "a page names the draft's leaflet"));

    site.write("content/faq/what-is-it.md", &what);
    wait_for_rebuild(&mut events);
    assert_eq!(server.get("/faq/soon-leaflet.pdf").status, 404);
    assert!(!compare(&site, &server, "the page no longer names it"));
}

/// Waits for the preview to take the edit: a reload, or the report of a failed rebuild.
fn wait_for_rebuild(events: &mut Events) {
    loop {
        let event = events.next();
        if event.name == "reload" || event.name == "problem" {
            return;
        }
    }
}

/// Builds the site afresh and compares the preview with it; whether the build stopped on
/// errors (which the preview must show beside its pages).
fn compare(site: &Site, server: &Server, step: &str) -> bool {
    let fresh = site.tmp().join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    let run = site.run(&[
        "build",
        "--base-url",
        &server.url,
        "--output-dir",
        fresh.to_str().unwrap(),
    ]);
    let page = server.get("/about/");
    if run.status == 0 {
        assert!(
            !page.body.contains("__clinicsite-"),
            "{step}: {}",
            page.body
        );
        let files = files_under(&fresh);
        assert!(files.len() > 10, "{step}");
        for rel in &files {
            let built = std::fs::read(fresh.join(rel)).unwrap();
            let served = server.get(&format!("/{rel}"));
            assert_eq!(served.status, 200, "{step}: {rel}");
            let served = without_live_script(&served.body);
            assert!(
                served.as_bytes() == built.as_slice(),
                "{step}: {rel} differs:\nserved:\n{served}\nbuilt:\n{}",
                String::from_utf8_lossy(&built)
            );
        }
        return false;
    }
    assert_eq!(run.status, 1, "{step}: {}", run.stderr);
    assert_contains(&page.body, "id=\"__clinicsite-findings\"");
    assert_eq!(
        errors(&unescape(&page.body)),
        errors(&run.stderr),
        "{step}: the preview shows other errors than `build`:\n{}",
        run.stderr
    );
    true
}

/// Each error's first line and where it is (`error[link/broken]: …` / `--> content/a.md:4:5`).
fn errors(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut errors: Vec<String> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let start = line.find("error[")?;
            let place = lines.get(i + 1).map_or("", |l| l.trim());
            Some(format!("{} {place}", &line[start..]))
        })
        .collect();
    errors.sort();
    errors
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
