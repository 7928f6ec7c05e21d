//! Links inside the site: pages and the rendered files in, findings about links that lead
//! nowhere and pages nothing leads to out.
//!
//! `build` already checks links and images written in markdown (`link/broken`,
//! `link/missing-anchor`). This adds links written as HTML in a page, empty links, and
//! orphans: a page is an orphan when a visitor cannot reach it by clicking from a home page
//! (the site's, or a translation's: `/es/` is where Spanish readers arrive). Every link on
//! the rendered pages counts (menus, section lists, "related questions", language switchers
//! and links in the text), so an FAQ entry listed on its section page is not an orphan, but a
//! page whose section template does not list it and that no text links to is.

use std::collections::{HashSet, VecDeque};

use rustc_hash::{FxHashMap, FxHashSet};

use super::content_rules::{attribute, tags};
use super::document::LinkMark;
use super::page::PageInput;
use crate::diagnostics::{Code, Diagnostic};
use crate::render::{Body, Output};
use crate::site::{Placed, Site, Target, content_path};

/// Whether a markdown link or image has no address (`[text]()`): the only markdown links
/// this module reads (the renderer checks the others).
pub fn has_no_address(link: &LinkMark) -> bool {
    link.dest.trim().is_empty()
}

/// Empty links and HTML links or images that lead to no file of the site. `files` holds every
/// output path (`faq/pain/index.html`, `style.css`); `base_path` is where the site sits on its
/// host (`/` or `/clinic/`), so that `/clinic/style.css` is found.
pub fn check(page: &PageInput, files: &HashSet<String>, base_path: &str) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for link in page.doc.links.iter().filter(|l| has_no_address(l)) {
        let spot = page.body_spot(link.source.clone());
        let what = if link.image { "image" } else { "link" };
        findings.push(
            Diagnostic::new(Code::LinkEmpty, &page.file, format!("this {what} has no address"))
                .at(spot.line, spot.column)
                .width(spot.width)
                .help("put the page's file name between the brackets, like `[Does it hurt?](does-it-hurt.md)`"),
        );
    }
    for html in &page.doc.html {
        for (tag, attr) in [
            ("a", "href"),
            ("img", "src"),
            ("source", "src"),
            ("video", "src"),
            ("link", "href"),
        ] {
            for (at, text) in tags(&html.text, tag) {
                let Some(dest) = attribute(text, attr) else {
                    continue;
                };
                if leads_somewhere(&dest, &page.common.path, files, base_path) {
                    continue;
                }
                let start = html.source.start + at;
                let spot = page.body_spot(start..start + text.len());
                findings.push(
                    Diagnostic::new(Code::LinkHtml, &page.file, format!("`{dest}` leads to nothing on this site"))
                        .at(spot.line, spot.column)
                        .width(spot.width)
                        .help("check the address; for pages, a markdown link to the file checks itself: `[Does it hurt?](@/faq/does-it-hurt.md)`"),
                );
            }
        }
    }
    findings
}

fn leads_somewhere(dest: &str, page_path: &str, files: &HashSet<String>, base_path: &str) -> bool {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || is_external(dest) {
        return true;
    }
    match resolve(dest, page_path, base_path) {
        Some(path) => files.contains(&path) || files.contains(&format!("{path}/index.html")),
        None => false,
    }
}

/// Whether a link leaves the site (`https:`, `mailto:`, `tel:`, `//host`).
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A scheme is letters, digits and `+-.` up to the first `:`.
    let scheme = dest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    scheme > 0 && dest.as_bytes().get(scheme) == Some(&b':')
}

/// The output path a link on the page at `page_path` (`faq/pain/`) leads to: `../x/#a` ->
/// `faq/x/index.html`. `None` when it climbs above the site.
pub fn resolve(dest: &str, page_path: &str, base_path: &str) -> Option<String> {
    let mut path = String::with_capacity(page_path.len() + dest.len() + "/index.html".len());
    let is_folder = resolve_into(&mut path, dest, page_path, base_path)?;
    if is_folder {
        path.push_str(if path.is_empty() {
            "index.html"
        } else {
            "/index.html"
        });
    }
    Some(path)
}

/// `resolve` into `path` (emptied first), without the `index.html` of a folder: whether the
/// link leads to a folder. `None` when it climbs above the site.
fn resolve_into(path: &mut String, dest: &str, page_path: &str, base_path: &str) -> Option<bool> {
    path.clear();
    let dest = &dest[..address_end(dest)];
    let rest = match dest.strip_prefix('/') {
        Some(_) => dest
            .strip_prefix(base_path)
            .or_else(|| dest.strip_prefix('/'))
            .unwrap_or(dest),
        None => {
            path.push_str(page_path.trim_matches('/'));
            dest
        }
    };
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." if path.is_empty() => return None,
            ".." => path.truncate(path.rfind('/').unwrap_or(0)),
            other => {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(other);
            }
        }
    }
    Some(dest.is_empty() || dest.ends_with('/') || dest.ends_with("/.") || dest.ends_with(".."))
}

/// Where the path of a link ends: at its `#` or `?`, if it has one.
fn address_end(dest: &str) -> usize {
    dest.bytes()
        .position(|b| b == b'#' || b == b'?')
        .unwrap_or(dest.len())
}

/// A file of the rendered site as the orphan rule needs it: its path and, for a page, the
/// pages and sections its links lead to. Made from each file as it is rendered, so the site's
/// HTML is never held in memory all at once.
#[derive(Debug, Clone)]
pub struct Published {
    pub path: String,
    /// The page or section the file is.
    pub page: Option<Target>,
    /// Sorted, without repeats; empty for files that are not HTML.
    pub links: Vec<Target>,
}

impl Published {
    pub fn new(output: Output, site: &Site, base_path: &str) -> Published {
        let links = links_of(&output, site, base_path);
        Published {
            page: page_at(site, &output.path),
            path: output.path,
            links,
        }
    }

    /// The page or section `output` is, with the pages and sections its links lead to;
    /// `None` for a file that is no page (`build` keeps only these, as it stages each file).
    pub fn page(output: &Output, site: &Site, base_path: &str) -> Option<Published> {
        Some(Published {
            page: Some(page_at(site, &output.path)?),
            path: output.path.clone(),
            links: links_of(output, site, base_path),
        })
    }
}

/// The pages and sections the links of an HTML file lead to, sorted, without repeats.
fn links_of(output: &Output, site: &Site, base_path: &str) -> Vec<Target> {
    match &output.body {
        Body::Text(html) if output.path.ends_with(".html") => {
            let page_path = output.path.trim_end_matches("index.html");
            // Menus and lists repeat links: resolve each address once. Links within the
            // page (`#main`) lead nowhere new, and stylesheets and pictures are not pages.
            let mut dests: Vec<&str> = hrefs(html).collect();
            dests.sort_unstable();
            dests.dedup();
            let mut path = String::new();
            let mut to: Vec<Target> = dests
                .into_iter()
                .filter(|dest| !dest.starts_with('#') && !is_external(dest) && !is_file(dest))
                .filter_map(|dest| {
                    let is_folder = resolve_into(&mut path, dest, page_path, base_path)?;
                    page_at_resolved(site, &mut path, is_folder)
                })
                .collect();
            to.sort_unstable();
            to.dedup();
            to
        }
        _ => Vec::new(),
    }
}

/// `page_at` the path `resolve_into` left in `path` (which it changes).
fn page_at_resolved(site: &Site, path: &mut String, is_folder: bool) -> Option<Target> {
    site.by_path
        .get(page_key(path, is_folder))
        .filter(|t| matches!(t, Target::Section(_) | Target::Page(_)))
        .copied()
}

/// The key in `Site::by_path` of the path `resolve_into` left in `path`, as `page_at` has it
/// for the file `resolve` names.
fn page_key(path: &mut String, is_folder: bool) -> &str {
    if is_folder || !path.ends_with("index.html") {
        // A folder, or a link to a folder without its slash: the page's own path.
        if !(is_folder && path.is_empty()) {
            path.push('/');
        }
        path.as_str()
    } else {
        path.strip_suffix("index.html").unwrap_or_default()
    }
}

/// Whether a link names a file of a kind that is never a page (`style.css`, `photo.jpg`),
/// not a folder (`../pain/`, `..`), an HTML file or an address with a dot (`v1.2`).
fn is_file(dest: &str) -> bool {
    const NOT_PAGES: &[&str] = &[
        "css",
        "js",
        "mjs",
        "json",
        "xml",
        "txt",
        "webmanifest",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "avif",
        "ico",
        "pdf",
        "woff",
        "woff2",
        "ttf",
        "mp4",
        "webm",
        "mp3",
    ];
    let path = &dest.as_bytes()[..address_end(dest)];
    let last = match memchr::memrchr(b'/', path) {
        Some(slash) => &path[slash + 1..],
        None => path,
    };
    memchr::memrchr(b'.', last).is_some_and(|dot| {
        let extension = &last[dot + 1..];
        NOT_PAGES
            .iter()
            .any(|e| e.as_bytes().eq_ignore_ascii_case(extension))
    })
}

/// The page or section whose file is `file` (`faq/pain/index.html`, or `faq/pain` for a
/// link to the folder without its slash).
pub fn page_at(site: &Site, file: &str) -> Option<Target> {
    let target = match file.strip_suffix("index.html") {
        Some(path) => site.by_path.get(path),
        None => site.by_path.get(format!("{file}/").as_str()),
    };
    target
        .filter(|t| matches!(t, Target::Section(_) | Target::Page(_)))
        .copied()
}

/// Pages a visitor cannot reach by clicking from a home page, in the rendered site: every
/// page and section with a file of its own that no walk along the `published` pages' links
/// from a home page reaches.
pub fn orphans(placed: &Placed, published: &[Published]) -> Vec<Diagnostic> {
    orphan_targets(placed, published)
        .into_iter()
        .filter_map(|target| orphan(placed, target))
        .collect()
}

/// `orphans`' pages, in site order (sections, then pages), without their findings: `build`
/// keeps them between builds, and makes the findings again with `orphan` while no page's
/// links changed.
pub fn orphan_targets(placed: &Placed, published: &[Published]) -> Vec<Target> {
    let links = published
        .iter()
        .filter_map(|file| Some((file.page?, file.links.iter().copied())));
    orphan_targets_by(placed, links)
}

/// `orphan_targets`, with each page's links (the last given for a page counts) as any
/// list of targets: `build` keeps them in less room than a `Published` each.
pub fn orphan_targets_by<L>(
    placed: &Placed,
    links: impl Iterator<Item = (Target, L)>,
) -> Vec<Target>
where
    L: Iterator<Item = Target> + Clone,
{
    let site = &placed.site;
    let links: FxHashMap<Target, L> = links.collect();
    let commons: Vec<_> = site
        .targets()
        .filter_map(|t| Some((t, site.common(t)?)))
        .collect();
    // A walk from the home pages: the site's and each translation's.
    let homes = commons.iter().filter(|(target, common)| {
        common.path.is_empty()
            || (matches!(target, Target::Section(_)) && common.translation_key == "_index.md")
    });
    let mut reached: FxHashSet<Target> = homes.map(|&(target, _)| target).collect();
    let mut queue: VecDeque<Target> = reached.iter().copied().collect();
    while let Some(page) = queue.pop_front() {
        for next in links.get(&page).into_iter().flat_map(L::clone) {
            if reached.insert(next) {
                queue.push_back(next);
            }
        }
    }
    commons
        .into_iter()
        .map(|(target, _)| target)
        .filter(|target| !reached.contains(target))
        .collect()
}

/// The finding for `target`, a page no link leads to; `None` for a stand-in home page, which
/// has no file to link from.
pub fn orphan(placed: &Placed, target: Target) -> Option<Diagnostic> {
    let common = placed.site.common(target)?;
    placed.front_matter.get(&common.source)?;
    Some(
        Diagnostic::new(
            Code::ContentOrphan,
            content_path(&common.source),
            "no link leads to this page: visitors cannot find it by clicking from the home page",
        )
        .at(1, 1)
        .width(3)
        .help(format!(
            "link to it from a related page, like `[{}](@/{})`",
            common.title, common.source
        )),
    )
}

/// Every `href` value in an HTML page.
fn hrefs(html: &str) -> impl Iterator<Item = &str> {
    memchr::memmem::find_iter(html.as_bytes(), "href=").filter_map(move |at| {
        let value = &html[at + 5..];
        match value.as_bytes().first()? {
            &q @ (b'"' | b'\'') => {
                let value = &value[1..];
                let end = memchr::memchr(q, value.as_bytes()).unwrap_or(value.len());
                Some(&value[..end])
            }
            _ => value.split(|c: char| c.is_whitespace() || c == '>').next(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_like_a_browser() {
        assert_eq!(
            resolve("../x/#a", "faq/pain/", "/").as_deref(),
            Some("faq/x/index.html")
        );
        assert_eq!(
            resolve("photo.jpg", "faq/results/", "/").as_deref(),
            Some("faq/results/photo.jpg")
        );
        assert_eq!(resolve("./", "", "/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve("../../", "faq/pain/", "/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve("/clinic/style.css", "faq/", "/clinic/").as_deref(),
            Some("style.css")
        );
        assert_eq!(
            resolve("/style.css?v=2", "faq/", "/").as_deref(),
            Some("style.css")
        );
        assert_eq!(resolve("../../../x", "faq/pain/", "/"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The page a link leads to is looked up by the key `page_at` makes of the file
        /// `resolve` names, and files that are no pages are the same.
        #[test]
        fn page_keys_are_those_of_the_resolved_file(
            parts in proptest::collection::vec(proptest::sample::select(&[
                "..", ".", "", "/", "faq", "pain", "index.html", "myindex.html", "#a", "?v=2",
                "x.CSS", "v1.2", "photo.jpg", "/clinic/",
            ][..]), 0..6),
            page in proptest::sample::select(&["", "faq/", "faq/pain/"][..]),
            base in proptest::sample::select(&["/", "/clinic/"][..]),
        ) {
            let dest = parts.concat();
            let old = resolve(&dest, page, base).map(|file| match file.strip_suffix("index.html") {
                Some(path) => path.to_string(),
                None => format!("{file}/"),
            });
            let mut path = String::new();
            let new = resolve_into(&mut path, &dest, page, base)
                .map(|is_folder| page_key(&mut path, is_folder).to_string());
            proptest::prop_assert_eq!(new, old, "{:?}", dest);
            let file = dest.split(['#', '?']).next().unwrap_or("");
            let plain_is_file = file.rsplit('/').next().unwrap_or("").rsplit_once('.').is_some_and(|(_, e)| {
                ["css", "jpg"].iter().any(|x| x.eq_ignore_ascii_case(e))
            });
            proptest::prop_assert_eq!(is_file(&dest), plain_is_file, "{:?}", dest);
        }
    }

    #[test]
    fn finds_hrefs_quoted_or_not() {
        let found: Vec<&str> =
            hrefs("<a href=\"a/\">x</a><a class=y href='b'>y</a><a href=c>z</a>").collect();
        assert_eq!(found, ["a/", "b", "c"]);
    }

    #[test]
    fn files_that_are_not_pages() {
        assert!(is_file("../../style.2eb0b3368f.css"));
        assert!(is_file("photo.jpg?v=2"));
        assert!(!is_file("../../treatment/q-000004/"));
        assert!(!is_file("../pain"));
        assert!(!is_file(".."));
        assert!(!is_file("../v1.2"));
        assert!(!is_file("../pain/index.html#aftercare"));
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("tel:+13055550100"));
        assert!(!is_external("../pain/"));
    }
}
