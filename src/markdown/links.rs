//! Links: a link's destination in, the address it points at (or a finding) out; and the
//! `#anchor` checks run once every page's heading ids are known.

use std::path::PathBuf;

use pulldown_cmark::CowStr;

use super::{AnchorCheck, At, PageRef, Rendered};
use crate::diagnostics::{Code, Diagnostic, shell_word};
use crate::site::{Site, Target, parent_dir};

pub(super) enum Link {
    External,
    Internal(String),
}

/// Resolves a link target; missing files and pages are reported.
pub(super) fn resolve_link(
    dest: &CowStr,
    page: PageRef,
    site: &Site,
    root: &str,
    at: At,
    out: &mut Rendered,
    findings: &mut Vec<Diagnostic>,
) -> Link {
    let dest = dest.as_ref();
    if is_external(dest) {
        return Link::External;
    }
    let file = PathBuf::from("content").join(page.source);
    let report = |message: String, help: &str| {
        Diagnostic::new(Code::LinkBroken, &file, message)
            .at(at.line, at.column)
            .width(at.width)
            .help(help)
    };
    let (target_text, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    if target_text.is_empty() {
        if anchor.is_some() {
            out.anchors_to_check.push(AnchorCheck {
                target: site
                    .by_path
                    .get(page.path)
                    .copied()
                    .unwrap_or(Target::Unavailable),
                link: dest.to_string(),
                line: at.line,
                column: at.column,
                width: at.width,
            });
        }
        return Link::Internal(dest.to_string());
    }
    let with_anchor = |href: String| match anchor {
        Some(a) => format!("{href}#{a}"),
        None => href,
    };
    // A site address: `/faq/pain/`.
    if let Some(address) = target_text.strip_prefix('/') {
        let key = if address.is_empty() || address.ends_with('/') {
            address.to_string()
        } else {
            format!("{address}/")
        };
        if let Some(&target) = site.by_path.get(&key) {
            queue_anchor(out, target, anchor, dest, at);
            return Link::Internal(with_anchor(format!("{root}{key}")));
        }
        if site.asset_paths.values().any(|p| p == address) {
            return Link::Internal(with_anchor(format!("{root}{address}")));
        }
        let help = address_help(site, page, &key);
        findings.push(report(
            format!("nothing is published at `{target_text}`"),
            &help,
        ));
        return Link::Internal(dest.to_string());
    }
    // A page's address written relative to this page's, as a browser reads it:
    // `../does-it-hurt/` from `faq/what-is-it/`. Files (`pain.md`, `photo.jpg`) are found
    // next to the markdown file instead, below.
    let address = page_address(page.path, target_text);
    if let Some(&target) = address.as_ref().and_then(|key| site.by_path.get(key)) {
        queue_anchor(out, target, anchor, dest, at);
        let key = address.unwrap_or_default();
        return Link::Internal(with_anchor(format!("{root}{key}")));
    }
    let Some(content_rel) = content_target(page.source, target_text) else {
        let help = match &address {
            Some(key) => address_help(site, page, key),
            None => "link to a file inside `content/`".to_string(),
        };
        findings.push(report(
            format!("`{target_text}` points outside the content folder"),
            &help,
        ));
        return Link::Internal(dest.to_string());
    };
    if content_rel.ends_with(".md") {
        return match site.by_source.get(&content_rel) {
            Some(&Target::Unavailable) => Link::Internal(dest.to_string()),
            // A withheld case (see `results`) comes down without breaking the build: links
            // to it lead to its results section.
            Some(&Target::Draft) if site.withheld.iter().any(|w| w.source == content_rel) => {
                let section = site
                    .withheld
                    .iter()
                    .find(|w| w.source == content_rel)
                    .map_or("", |w| w.section_path.as_str());
                Link::Internal(format!("{root}{section}"))
            }
            Some(&Target::Draft) => {
                findings.push(report(
                    format!("the link goes to `{target_text}`, a draft that is not published"),
                    "publish that page (remove its `draft: true` line) or remove this link; `--drafts` builds both to preview",
                ));
                Link::Internal(dest.to_string())
            }
            Some(&target) => {
                if let Some(own) = own_language_version(site, page.source, target) {
                    let written = relative_to(&parent_dir(page.source), own);
                    let lang = |rel: &str| language_of(site, rel);
                    findings.push(
                        Diagnostic::new(
                            Code::LinkOtherLanguage,
                            &file,
                            format!(
                                "this page is in `{}`, but the link goes to `{target_text}`, the `{}` version",
                                lang(page.source),
                                lang(&content_rel)
                            ),
                        )
                        .at(at.line, at.column)
                        .width(at.width)
                        .help(format!("link to the page in the reader's language: `{written}`")),
                    );
                }
                queue_anchor(out, target, anchor, dest, at);
                let path = site
                    .common(target)
                    .map(|c| c.path.clone())
                    .unwrap_or_default();
                Link::Internal(with_anchor(format!("{root}{path}")))
            }
            None => {
                let help = match missing_page_help(site, page.source, &content_rel) {
                    (help, Nearest::Listed) => {
                        format!("{help}{}", renamed_hint(site, &content_rel))
                    }
                    (help, _) => help,
                };
                findings.push(report(
                    format!("the link goes to `{target_text}`, which does not exist"),
                    &help,
                ));
                Link::Internal(dest.to_string())
            }
        };
    }
    match site.asset_paths.get(&content_rel) {
        Some(output) => Link::Internal(with_anchor(format!("{root}{output}"))),
        None => {
            // Windows and macOS find `Photo.JPG` as `photo.jpg`; web hosts do not.
            let other_case = site
                .asset_paths
                .keys()
                .find(|rel| rel.eq_ignore_ascii_case(&content_rel))
                .map(|rel| crate::site::file_name(rel).to_string());
            let help = match (other_case, &address) {
                (Some(name), _) => format!(
                    "the file is named `{name}`: write the name with the same capital and small letters (web hosts treat `{name}` and `{}` as two different files)",
                    crate::site::file_name(&content_rel)
                ),
                (None, Some(key)) => address_help(site, page, key),
                (None, None) => {
                    "put the file in the same folder as the page's markdown file, or check its name"
                        .into()
                }
            };
            findings.push(report(
                format!("the link goes to `{target_text}`, which does not exist"),
                &help,
            ));
            Link::Internal(dest.to_string())
        }
    }
}

/// At most this many pages are listed when no page has a name close to a broken link's.
const PAGES_LISTED: usize = 5;

/// The help for a link from `source` to `missing`, a page that does not exist (both under
/// `content/`): the page whose name is a typo away, or, when none is, the pages of the folder
/// the link points into, closest names first. Only pages in the linking page's language: an
/// English page's link is not mended by pointing it at the Spanish file.
fn missing_page_help(site: &Site, source: &str, missing: &str) -> (String, Nearest) {
    let own = language_of(site, source);
    let key = |rel: &str| {
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        let stem = stem.strip_suffix(&format!(".{own}")).unwrap_or(stem);
        (parent_dir(stem), crate::site::file_name(stem).to_string())
    };
    let (folder, name) = key(missing);
    // How far a page's name is from the one written: typos in the file name, plus one for a
    // page of the same name in another folder.
    let distance = |rel: &str| {
        let (their_folder, their_name) = key(rel);
        strsim::damerau_levenshtein(&name, &their_name) + usize::from(their_folder != folder)
    };
    let mut pages: Vec<(usize, &str)> = site
        .by_source
        .iter()
        .filter(|(rel, target)| {
            matches!(target, Target::Section(_) | Target::Page(_))
                && rel.as_str() != source
                && language_of(site, rel) == own
        })
        .map(|(rel, _)| (distance(rel), rel.as_str()))
        .collect();
    pages.sort_unstable();
    let typos = match name.chars().count() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let from = parent_dir(source);
    if let Some(&(_, near)) = pages.first().filter(|(d, _)| *d <= typos) {
        return (
            format!("did you mean `{}`?", relative_to(&from, near)),
            Nearest::Typo,
        );
    }
    let written = crate::site::file_name(missing);
    let in_folder: Vec<&str> = pages
        .iter()
        .map(|&(_, rel)| rel)
        .filter(|rel| parent_dir(rel) == folder)
        .collect();
    if in_folder.is_empty() {
        let help = format!(
            "no page has a name close to `{written}`, and content/{folder} has no pages in this language; links to pages name their markdown file, like `[Does it hurt?](does-it-hurt.md)`"
        );
        return (help, Nearest::NoPages);
    }
    let listed: Vec<String> = in_folder
        .iter()
        .take(PAGES_LISTED)
        .map(|rel| {
            let title = site
                .by_source
                .get(*rel)
                .and_then(|&t| site.common(t))
                .map_or(String::new(), |c| format!(" ({})", c.title));
            format!("`{}`{title}", relative_to(&from, rel))
        })
        .collect();
    let more = match in_folder.len().saturating_sub(PAGES_LISTED) {
        0 => String::new(),
        n => format!(", and {n} more"),
    };
    let help = format!(
        "no page has a name close to `{written}`; the pages in content/{folder} are {}{more}",
        listed.join(", ")
    );
    (help, Nearest::Listed)
}

/// For a link to `missing`, a main-language page file that does not exist: how to finish a
/// rename done by hand, which leaves links like this one behind (`move` takes the
/// main-language file; its translations follow). Empty for other languages.
fn renamed_hint(site: &Site, missing: &str) -> String {
    let main_language = site.languages.first().map_or("", String::as_str);
    if language_of(site, missing) != main_language {
        return String::new();
    }
    format!(
        "; if you renamed content/{missing}, `clinicsite move {} {}` mends its links and keeps its old address working",
        shell_word(&format!("content/{missing}")),
        shell_word(&format!("content/{}NEW-NAME.md", parent_dir(missing))),
    )
}

/// What `missing_page_help` found near a missing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nearest {
    /// A page whose name is a typo away.
    Typo,
    /// No such page: the pages of the folder are listed.
    Listed,
    /// The folder has no pages in the language; the help says how links to pages are written.
    NoPages,
}

/// The site address (`faq/does-it-hurt/`) a link written on the page at `page_path` leads a
/// browser to, when it names a page rather than a file: it ends in `/`, or its last part has
/// no extension (`../does-it-hurt`). `None` for files and for links climbing above the site.
fn page_address(page_path: &str, target_text: &str) -> Option<String> {
    let last = target_text.rsplit('/').next().unwrap_or_default();
    if last.contains('.') && last != "." && last != ".." {
        return None;
    }
    let key = join(page_path, target_text)?;
    Some(if key.is_empty() {
        key
    } else {
        format!("{key}/")
    })
}

/// The help for a link to the site address `key` (`faq/does-it-hurt/`) where nothing is
/// published: the page of the linking page's language whose address is closest, named by
/// its markdown file, as links to pages are best written.
fn address_help(site: &Site, page: PageRef, key: &str) -> String {
    let own = language_of(site, page.source);
    let key = key.strip_prefix(&format!("{own}/")).unwrap_or(key);
    let as_file = match key.trim_end_matches('/') {
        "" => "_index.md".to_string(),
        stem => format!("{stem}.md"),
    };
    match missing_page_help(site, page.source, &as_file) {
        (help, Nearest::NoPages) => help,
        (help, _) => format!(
            "{help} (links to pages name their markdown file, which keeps working if the page's address changes)"
        ),
    }
}

/// The language of the file `rel` (under `content/`): its code, or the site's default.
fn language_of(site: &Site, rel: &str) -> String {
    crate::site::split_language(rel, &site.languages).map_or_else(|_| String::new(), |(_, l)| l)
}

/// When `target` is in another language than `source`, the published version of `target`
/// in `source`'s language (its file under `content/`), if there is one. A page may point
/// readers at its own translation ("read this in English").
fn own_language_version<'s>(site: &'s Site, source: &str, target: Target) -> Option<&'s str> {
    let own = language_of(site, source);
    if site.common(target)?.lang == own {
        return None;
    }
    site.translations_of(target)
        .iter()
        .filter_map(|&version| site.common(version))
        .find(|c| c.lang == own && !c.draft && c.source != source)
        .map(|c| c.source.as_str())
}

/// The file under `content/` a link written in `source` names (`pain.md`, `../faq/pain.md`,
/// `@/faq/pain.md`; without its `#anchor`), or `None` when it climbs out of `content/`.
pub fn content_target(source: &str, target_text: &str) -> Option<String> {
    match target_text.strip_prefix("@/") {
        Some(rel) => Some(rel.to_string()),
        None => join(&parent_dir(source), &percent_decode(target_text)),
    }
}

fn queue_anchor(out: &mut Rendered, target: Target, anchor: Option<&str>, link: &str, at: At) {
    if anchor.is_some_and(|a| !a.is_empty()) {
        out.anchors_to_check.push(AnchorCheck {
            target,
            link: link.to_string(),
            line: at.line,
            column: at.column,
            width: at.width,
        });
    }
}

/// Checks queued `#anchor` links against the ids each page ended up with.
pub fn check_anchors(
    source: &str,
    checks: &[AnchorCheck],
    ids_of: &dyn Fn(Target) -> Option<Vec<String>>,
) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for check in checks {
        let Some(ids) = ids_of(check.target) else {
            continue;
        };
        let anchor = check.anchor();
        if ids.iter().any(|id| id == anchor) {
            continue;
        }
        let help = match crate::diagnostics::nearest(anchor, ids.iter().map(String::as_str)) {
            Some(near) => format!(
                "did you mean `#{near}`? Heading ids are the heading's words in lower case, joined by hyphens"
            ),
            None if ids.is_empty() => {
                "that page has no headings to link to; remove the `#…` part".into()
            }
            None => format!(
                "the page's headings are: {}",
                ids.iter()
                    .map(|i| format!("`#{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        findings.push(
            Diagnostic::new(
                Code::LinkMissingAnchor,
                PathBuf::from("content").join(source),
                format!("`{}` links to a heading that does not exist", check.link),
            )
            .at(check.line, check.column)
            .help(help),
        );
    }
    findings
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

/// Joins a relative link to the folder of the file it is written in; `None` if it climbs
/// out of `content/`.
pub(super) fn join(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn relative_to(dir: &str, target: &str) -> String {
    target
        .strip_prefix(dir)
        .map_or_else(|| format!("@/{target}"), str::to_string)
}

fn percent_decode(text: &str) -> String {
    text.replace("%20", " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_links() {
        assert_eq!(join("faq/", "pain.md").as_deref(), Some("faq/pain.md"));
        assert_eq!(
            join("faq/", "../locations/kendall.md").as_deref(),
            Some("locations/kendall.md")
        );
        assert_eq!(join("faq/", "../../x.md"), None);
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.org/x"));
        assert!(!is_external("pain.md"));
        assert!(!is_external("../faq/pain.md#a:b"));
    }
}
