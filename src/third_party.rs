//! Requests to other sites: each finished file of a build in, an error for every address on
//! another origin a browser would contact while showing it out (scripts, pictures, frames,
//! stylesheets, fonts, media, form targets), unless `third_party:` in site.yaml allows it.
//!
//! Files are scanned as they are rendered (`Gate::inspect`); the findings are placed on the
//! file that wrote the address when it can be found (the page's markdown, a theme template or
//! stylesheet), else on the built file. Plain links (`<a href>`) contact nothing by themselves
//! and are fine.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::Config;
pub use crate::config::base_url::origin_of;
use crate::diagnostics::{Code, Diagnostic};
use crate::render::{Body, Output};
use crate::site::{Site, Target};

mod scan;

pub use scan::{Request, scan_css, scan_html};

/// Watches a build's files for requests to other origins.
#[derive(Debug)]
pub struct Gate {
    /// The site's own origin (from `base_url`), and every allowed one.
    allowed: Vec<String>,
    found: Mutex<Vec<(String, Request)>>,
}

/// Where the files a finding may come from can be read.
pub struct Sources<'a> {
    pub site: &'a Site<'a>,
    /// The theme's template and stylesheet files: path (relative to the site) and text.
    pub theme_files: Vec<(PathBuf, String)>,
}

impl Gate {
    pub fn new(config: &Config) -> Gate {
        let mut allowed: Vec<String> = config
            .third_party
            .iter()
            .map(|entry| entry.origin.to_ascii_lowercase())
            .collect();
        allowed.extend(origin_of(&config.base_url));
        Gate {
            allowed,
            found: Mutex::new(Vec::new()),
        }
    }

    /// Scans one finished file (HTML pages and stylesheets; other files request nothing).
    pub fn inspect(&self, output: &Output) {
        let requests = match &output.body {
            Body::Text(text) if output.path.ends_with(".html") => scan_html(text),
            Body::Text(text) if output.path.ends_with(".css") => scan_css(text),
            Body::Copy(data) if output.path.ends_with(".css") => match data.read() {
                Ok(bytes) => scan_css(&String::from_utf8_lossy(&bytes)),
                Err(_) => Vec::new(),
            },
            _ => return,
        };
        let foreign: Vec<(String, Request)> = requests
            .into_iter()
            .filter(|request| {
                may_name_an_origin(&request.url)
                    && origin_of(&request.url).is_some_and(|origin| !self.allowed.contains(&origin))
            })
            .map(|request| (output.path.clone(), request))
            .collect();
        if !foreign.is_empty() {
            self.found
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(foreign);
        }
    }

    /// Every request found, as errors on the file that wrote it; `sources` is asked only when
    /// there is something to report.
    pub fn findings<'s>(self, sources: &dyn Fn() -> Sources<'s>) -> Vec<Diagnostic> {
        let mut found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        if found.is_empty() {
            return Vec::new();
        }
        found.sort_by(|a, b| (&a.0, a.1.offset).cmp(&(&b.0, b.1.offset)));
        let sources = sources();
        let mut findings: Vec<Diagnostic> = found
            .iter()
            .map(|(output, request)| finding(output, request, &sources))
            .collect();
        findings.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        findings.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
        findings
    }
}

/// False for an address `origin_of` finds no origin in, without the copy it makes: the start
/// of the address as a browser reads it (spaces and control characters around it trimmed, tabs
/// and line breaks dropped, `\\` as `/`) is neither `//` nor `http:` nor `https:`. Most
/// addresses a page fetches are relative (`../style.css`).
fn may_name_an_origin(url: &str) -> bool {
    let mut start = [0u8; 6];
    let significant = url
        .trim_start_matches(|c: char| c <= ' ')
        .bytes()
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .map(|b| {
            if b == b'\\' {
                b'/'
            } else {
                b.to_ascii_lowercase()
            }
        });
    let mut len = 0;
    for (slot, byte) in start.iter_mut().zip(significant) {
        *slot = byte;
        len += 1;
    }
    let start = &start[..len];
    start.starts_with(b"//") || start.starts_with(b"http:") || start.starts_with(b"https:")
}

/// The theme's templates and stylesheets as written, read from disk (a built-in theme's
/// files are not on disk and are not searched).
pub fn theme_files(root: &Path, theme: &crate::theme::Theme) -> Vec<(PathBuf, String)> {
    let templates = theme.template_files.values().cloned();
    let stylesheets = theme.statics.iter().filter_map(|file| match &file.data {
        crate::source::Data::Disk(path) if file.rel.ends_with(".css") => {
            Some(path.strip_prefix(root).unwrap_or(path).to_path_buf())
        }
        _ => None,
    });
    templates
        .chain(stylesheets)
        .filter_map(|file| {
            Some((
                file.clone(),
                std::fs::read_to_string(root.join(&file)).ok()?,
            ))
        })
        .collect()
}

/// The tracker a known address belongs to, by its host.
pub fn tracker(url: &str) -> Option<&'static str> {
    const KNOWN: &[(&str, &str)] = &[
        ("facebook.net", "the Meta (Facebook) Pixel"),
        ("facebook.com", "the Meta (Facebook) Pixel"),
        ("google-analytics.com", "Google Analytics"),
        ("analytics.google.com", "Google Analytics"),
        ("googletagmanager.com", "Google Tag Manager"),
        ("doubleclick.net", "Google Ads"),
        ("googleadservices.com", "Google Ads"),
        ("googlesyndication.com", "Google Ads"),
        ("tiktok.com", "the TikTok Pixel"),
        ("bat.bing.com", "Microsoft Advertising (Bing)"),
        ("clarity.ms", "Microsoft Clarity"),
        ("licdn.com", "the LinkedIn Insight Tag"),
        ("ads.linkedin.com", "the LinkedIn Insight Tag"),
        ("sc-static.net", "the Snap Pixel"),
        ("pinimg.com", "the Pinterest Tag"),
        ("ct.pinterest.com", "the Pinterest Tag"),
        ("ads-twitter.com", "the X (Twitter) Pixel"),
        ("hotjar.com", "Hotjar"),
        ("fonts.googleapis.com", "Google Fonts"),
        ("fonts.gstatic.com", "Google Fonts"),
    ];
    let origin = origin_of(url)?;
    let host = origin.split("://").nth(1)?;
    let host = host.split(':').next()?;
    KNOWN
        .iter()
        .find(|(domain, _)| host == *domain || host.ends_with(&format!(".{domain}")))
        .map(|(_, name)| *name)
}

const HHS: &str = "the US health department (HHS) warns that trackers on health pages can tell other companies what a patient reads about their health, which can break HIPAA";

fn finding(output: &str, request: &Request, sources: &Sources) -> Diagnostic {
    let origin = origin_of(&request.url).unwrap_or_default();
    let what = match tracker(&request.url) {
        Some(name) => format!(" ({name}, a tracker)"),
        None => String::new(),
    };
    let message = format!(
        "`{}` makes every visitor's browser contact {origin}{what}: pages may load only from this site",
        request.element
    );
    let help = format!(
        "remove it: {HHS}. If it was reviewed and the site needs it, allow it in site.yaml:\nthird_party:\n  - origin: \"{origin}\"\n    reason: \"what it is for and who approved it\""
    );
    let (file, line, column) = locate(output, request, sources);
    Diagnostic::new(Code::PrivacyThirdParty, file, message)
        .at(line, column)
        .width(request.url.chars().count().max(1))
        .help(help)
}

/// The file, line and column that wrote `request`: the page's markdown, else a theme file,
/// else the built file itself (line 0: the whole file).
fn locate(output: &str, request: &Request, sources: &Sources) -> (PathBuf, usize, usize) {
    let url = request.url.trim();
    let page = output
        .strip_suffix("index.html")
        .and_then(|path| sources.site.by_path.get(path));
    let common = match page {
        Some(Target::Section(i)) => Some(&sources.site.sections[*i].common),
        Some(Target::Page(i)) => Some(&sources.site.pages[*i].common),
        _ => None,
    };
    // The address as written may differ after `?` (`&amp;` in HTML for `&`).
    let start = url.split('?').next().unwrap_or(url);
    let body = common.map(|common| common.body.read_or_empty());
    if let (Some(common), Some(body)) = (common, &body)
        && let Some((line, column)) = position(body, url).or_else(|| position(body, start))
    {
        let file = Path::new("content").join(&common.source);
        return (file, common.body_line + line - 1, column);
    }
    for (file, text) in &sources.theme_files {
        if let Some((line, column)) = position(text, url).or_else(|| position(text, start)) {
            return (file.clone(), line, column);
        }
    }
    (PathBuf::from(format!("(built file) {output}")), 0, 0)
}

/// The 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> Option<(usize, usize)> {
    let at = text.find(needle)?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((line, text[line_start..at].chars().count() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_addresses() {
        assert_eq!(
            origin_of("https://Connect.Facebook.net/en_US/fbevents.js").as_deref(),
            Some("https://connect.facebook.net")
        );
        assert_eq!(
            origin_of("//cdn.example.org/x.js").as_deref(),
            Some("https://cdn.example.org")
        );
        assert_eq!(
            origin_of("http://a.example:8080/?q").as_deref(),
            Some("http://a.example:8080")
        );
        assert_eq!(
            origin_of("https:\\\\evil.example/").as_deref(),
            Some("https://evil.example")
        );
        for local in [
            "/style.css",
            "faq/",
            "data:image/png;base64,AA",
            "mailto:a@b.c",
            "#top",
        ] {
            assert_eq!(origin_of(local), None, "{local}");
        }
    }

    proptest::proptest! {
        /// The quick test before `origin_of` never turns away an address with an origin.
        #[test]
        fn every_address_with_an_origin_is_looked_at(
            url in "( |\t|\n|\r|\x01|/|\\\\|:|h|H|t|T|p|P|s|S|x|é|\\.){0,12}"
        ) {
            if origin_of(&url).is_some() {
                proptest::prop_assert!(may_name_an_origin(&url), "{:?}", url);
            }
        }
    }

    #[test]
    fn quick_test_of_origins() {
        for url in [
            "//a.example/",
            " \tHT\nTPS://a.example",
            "\\\\a.example",
            "http:a.example",
        ] {
            assert!(origin_of(url).is_some() && may_name_an_origin(url), "{url}");
        }
        for url in [
            "../style.css",
            "/x.png",
            "data:image/png;base64,AA",
            "#top",
            "ht tp://a",
        ] {
            assert!(!may_name_an_origin(url), "{url}");
        }
    }

    #[test]
    fn trackers_are_named_by_host() {
        assert_eq!(
            tracker("https://www.googletagmanager.com/gtm.js?id=GTM-X"),
            Some("Google Tag Manager")
        );
        assert_eq!(
            tracker("https://analytics.tiktok.com/i18n/pixel/events.js"),
            Some("the TikTok Pixel")
        );
        assert_eq!(tracker("https://notfacebook.com/x"), None);
    }
}
