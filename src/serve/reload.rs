//! The reload channel: the outcome of each rebuild in, a server-sent event for every open page
//! out, plus the small script that listens for them, which the server adds to HTML responses
//! (the built files never contain it).
//!
//! Each good rebuild has a generation number. Pages carry the number they were served with,
//! and the first event on a new connection (`hello`) says the current one, so a page that
//! loaded just before a rebuild but connected just after it still reloads.

use std::sync::Arc;

use axum::response::sse::Event;
use serde::Serialize;

use super::overlay;

/// Where the script is served.
pub const SCRIPT_PATH: &str = "/__clinicsite/live.js";
/// Where pages listen for events.
pub const EVENTS_PATH: &str = "/__clinicsite/events";
/// The script itself.
pub const SCRIPT: &str = include_str!("live.js");

/// What open pages are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A good rebuild. `styles` lists stylesheet paths (old, new) when only stylesheets
    /// changed, so pages can swap them without reloading.
    Reload {
        generation: u64,
        styles: Option<Vec<(String, String)>>,
    },
    /// A failed rebuild, with the report the terminal printed.
    Problem { text: Arc<str> },
}

impl Notice {
    pub fn event(&self) -> Event {
        match self {
            Notice::Reload { generation, styles } => event(
                "reload",
                &ReloadData {
                    generation: *generation,
                    styles: styles.as_deref(),
                },
            ),
            Notice::Problem { text } => event(
                "problem",
                &ProblemData {
                    problem: Some(text),
                },
            ),
        }
    }
}

/// The first event on every connection: the current generation and problem, if any.
pub fn hello(generation: u64, problem: Option<&str>) -> Event {
    event(
        "hello",
        &HelloData {
            generation,
            problem,
        },
    )
}

#[derive(Serialize)]
struct ReloadData<'a> {
    generation: u64,
    styles: Option<&'a [(String, String)]>,
}

#[derive(Serialize)]
struct ProblemData<'a> {
    problem: Option<&'a str>,
}

#[derive(Serialize)]
struct HelloData<'a> {
    generation: u64,
    problem: Option<&'a str>,
}

fn event(name: &str, data: &impl Serialize) -> Event {
    let json = serde_json::to_string(data).expect("event data serialises");
    Event::default().event(name).data(json)
}

/// `html` with the live script, and the overlay when the site has a problem (or the panel
/// of what `build` would stop on, when it has `findings`), added before the last `</body>`
/// (or at the end when there is none).
pub fn inject(
    html: &str,
    generation: u64,
    problem: Option<&str>,
    findings: Option<&str>,
) -> String {
    let mut tail = String::new();
    if let Some(text) = problem {
        tail.push_str(&overlay::html(text));
    } else if let Some(text) = findings {
        tail.push_str(&overlay::panel(text));
    }
    tail.push_str(&format!(
        "<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>"
    ));
    let at = find_last_ignore_case(html, "</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + tail.len());
    out.push_str(&html[..at]);
    out.push_str(&tail);
    out.push_str(&html[at..]);
    out
}

fn find_last_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let html = "<html><body><p>Hi</p></BODY></html>";
        assert_eq!(
            inject(html, 3, None, None),
            "<html><body><p>Hi</p><script src=\"/__clinicsite/live.js\" data-generation=\"3\"></script></BODY></html>"
        );
    }

    #[test]
    fn without_a_body_tag_the_script_goes_last() {
        assert!(inject("<p>Hi</p>", 1, None, None).ends_with("data-generation=\"1\"></script>"));
    }

    #[test]
    fn findings_add_a_panel_that_leaves_the_page_usable() {
        let html = inject(
            "<body><p>New words</p></body>",
            1,
            None,
            Some("error: `a` < b"),
        );
        assert!(html.contains("<p>New words</p>"));
        assert!(html.contains("id=\"__clinicsite-findings\""));
        assert!(html.contains("error: `a` &lt; b"));
        assert!(!html.contains("aria-modal"));
    }

    #[test]
    fn a_problem_adds_the_overlay() {
        let html = inject("<body></body>", 1, Some("error: `a` < b"), None);
        assert!(html.contains("id=\"__clinicsite-overlay\""));
        assert!(html.contains("error: `a` &lt; b"));
    }
}
