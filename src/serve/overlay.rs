//! The error overlay: a failed rebuild's findings in, the text the terminal prints and the
//! same text as an HTML overlay for the browser out.

use std::path::Path;

use crate::diagnostics::{self, Colour, Diagnostic, Severity};

/// The findings as the terminal shows them (`colour` decides only the colours), followed by
/// one line that says the preview still shows the last good version.
pub fn text(findings: &[Diagnostic], root: &Path, colour: Colour) -> String {
    let read = |file: &Path| {
        std::fs::read(root.join(file))
            .ok()
            .map(|b| crate::source::normalise_newlines(String::from_utf8_lossy(&b).into_owned()))
    };
    let mut text = diagnostics::render(findings, colour, &read);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let count = match errors {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    text.push_str(&format!(
        "The site has {count}. The preview still shows the last good version; it updates as soon as the files are fixed.\n"
    ));
    text
}

/// The overlay shown over a page served while the site has errors. The live script builds
/// the same element when the error arrives on an open page, and on both makes it modal: the
/// page behind becomes inert and focus moves to the overlay. It carries no `style` attributes
/// (the site's security policy forbids them): the live script styles it (`tabindex=-1` lets it take focus
/// and scroll with the keys). `lang="en"` because the message is English on pages in any
/// language; the opaque background keeps the page behind from showing through the text.
pub fn html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 64);
    pulldown_cmark_escape::escape_html(&mut escaped, text).ok();
    format!(
        concat!(
            "<div id=\"__clinicsite-overlay\" role=\"alertdialog\" aria-modal=\"true\" ",
            "aria-labelledby=\"__clinicsite-overlay-title\" tabindex=\"-1\" lang=\"en\">",
            "<p id=\"__clinicsite-overlay-title\">",
            "This page is out of date: the site has errors. Fix them and save; this page updates by itself.</p>",
            "<pre>{}</pre></div>"
        ),
        escaped
    )
}

/// What `build` would stop on in a version that was rendered all the same (check's
/// error-level findings: an FAQ without review, sample text, a risky claim, an image without
/// alt text): the terminal's text, ending with what it means for the preview.
pub fn findings_text(findings: &[Diagnostic], root: &Path, colour: Colour) -> String {
    let read = |file: &Path| {
        std::fs::read(root.join(file))
            .ok()
            .map(|b| crate::source::normalise_newlines(String::from_utf8_lossy(&b).into_owned()))
    };
    let mut text = diagnostics::render(findings, colour, &read);
    let count = match findings.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    text.push_str(&format!(
        "`clinicsite build` would stop on {count}. The preview shows your change; fix these before you publish.\n"
    ));
    text
}

/// The panel below a page served while the site has findings `build` would stop on. Unlike
/// the overlay it is not modal and covers at most a third of the window, so staff see their
/// edit above it; `<details>` lets them fold it away.
pub fn panel(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 64);
    pulldown_cmark_escape::escape_html(&mut escaped, text).ok();
    format!(
        concat!(
            "<details id=\"__clinicsite-findings\" open lang=\"en\" ",
            "style=\"position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:33vh;overflow:auto;margin:0;",
            "padding:0.6rem 1rem;background:#141414;color:#fff;font:15px/1.5 system-ui,sans-serif;",
            "border-top:4px solid #ff8a80\">",
            "<summary style=\"cursor:pointer;font-weight:bold;color:#ff8a80\">",
            "Not ready to publish: `clinicsite build` would stop on this version.</summary>",
            "<pre style=\"white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.45 ui-monospace,monospace;margin:0.5rem 0 0\">{}</pre></details>"
        ),
        escaped
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_escapes_the_message() {
        let overlay = html("error: unknown key `<script>` & more\n");
        assert!(overlay.contains("unknown key `&lt;script&gt;` &amp; more"));
        assert!(!overlay.contains("<script>"));
    }

    #[test]
    fn the_overlay_is_a_labelled_modal_alert_in_english() {
        let overlay = html("error\n");
        for attribute in [
            "role=\"alertdialog\"",
            "aria-modal=\"true\"",
            "aria-labelledby=\"__clinicsite-overlay-title\"",
            "id=\"__clinicsite-overlay-title\"",
            "tabindex=\"-1\"",
            "lang=\"en\"",
        ] {
            assert!(
                overlay.contains(attribute),
                "{attribute} missing: {overlay}"
            );
        }
    }

    #[test]
    fn the_text_is_the_terminal_report_and_a_summary() {
        let finding = Diagnostic::new(
            crate::diagnostics::Code::ContentImageAlt,
            "content/missing.md",
            "something is wrong",
        )
        .help("write this instead");
        let text = text(&[finding], Path::new("/nonexistent"), Colour::Never);
        assert_eq!(
            text,
            "error[content/image-alt]: something is wrong\n--> content/missing.md\n |\nhelp: write this instead\n\nThe site has 1 error. The preview still shows the last good version; it updates as soon as the files are fixed.\n"
        );
    }
}
