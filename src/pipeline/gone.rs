//! Addresses a build takes off the site: pages the last build published that this one does
//! not, because their file was renamed, deleted or given another `slug:`. Links to them from
//! other sites, from search results and from patients' bookmarks break from now on.
//!
//! In: the output paths the last build wrote, the ones this build writes, and the placed site.
//! Out: one warning per address gone, on the page that most likely took its place (a page new
//! in the same folder, or the same file at a new address), with the `aliases:` line that keeps
//! the old address working. An address whose page was made a draft again (or an old address
//! of such a page, in its `aliases:`) is left alone.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::FrontMatters;
use crate::site::{Site, Target};

/// The warnings for the pages of `previous` that this build no longer publishes; `written`
/// holds the path of every file it writes or keeps.
pub fn addresses(
    previous: &BTreeMap<String, String>,
    written: &HashSet<&str>,
    site: &Site,
    front_matter: &FrontMatters,
) -> Vec<Diagnostic> {
    // The old addresses of pages made drafts again go with them, on purpose.
    let drafted: HashSet<&str> = site
        .by_source
        .iter()
        .filter(|(_, target)| **target == Target::Draft)
        .filter_map(|(rel, _)| front_matter.get(rel))
        .flat_map(|parsed| parsed.meta.aliases.iter())
        .map(|alias| alias.trim_matches('/'))
        .collect();
    let gone: Vec<&str> = previous
        .keys()
        .filter(|path| !written.contains(path.as_str()))
        .filter_map(|path| path.strip_suffix("index.html"))
        .filter(|address| !site.by_path.contains_key(*address))
        .filter(|address| !drafted.contains(address.trim_matches('/')))
        .collect();
    if gone.is_empty() {
        return Vec::new();
    }
    // Pages this build publishes at an address the last build did not.
    let new: Vec<&crate::site::Common> = site
        .sections
        .iter()
        .map(|s| &s.common)
        .chain(site.pages.iter().map(|p| &p.common))
        .filter(|c| !previous.contains_key(&format!("{}index.html", c.path)))
        .collect();
    let mut findings = Vec::new();
    for address in &gone {
        let guessed = guess_source(address, &site.languages);
        let same_file = guessed.iter().find_map(|rel| site.by_source.get(rel));
        let successor = match same_file {
            Some(Target::Draft) => continue,
            Some(&target) => site.common(target),
            None => {
                let folder = parent(address);
                let mut near = new.iter().filter(|c| parent(&c.path) == folder);
                // The one page gone and the one page new: a rename, when in one language.
                let lone = (gone.len() == 1 && new.len() == 1)
                    .then(|| new[0])
                    .filter(|page| page.lang == language_of(address, &site.languages));
                match (near.next(), near.next()) {
                    (Some(only), None) => Some(*only),
                    _ => lone,
                }
            }
        };
        // The successor's own aliases, kept in the line it is told to write.
        let aliases = successor
            .and_then(|page| front_matter.get(&page.source))
            .map_or(&[][..], |parsed| parsed.meta.aliases.as_slice());
        findings.push(finding(address, successor, aliases, &site.languages));
    }
    findings
}

/// The warning for the page gone from `address`; `aliases` are those `successor` has already.
fn finding(
    address: &str,
    successor: Option<&crate::site::Common>,
    aliases: &[String],
    languages: &[String],
) -> Diagnostic {
    let lost = format!(
        "the page at /{address} is no longer on the site: links to it from other sites, search results and bookmarks now lead nowhere"
    );
    let alias = format!("aliases: [/{address}]");
    match successor {
        Some(page) => {
            // A page with aliases already gets its line with the old address added: a second
            // `aliases:` line would not build.
            let (line, by_hand) = match aliases {
                [] => (
                    format!("add the line `{alias}` to this page's front matter"),
                    "add the line",
                ),
                _ => (
                    format!(
                        "change this page's line `aliases: [{}]` to `aliases: [{}, /{address}]`",
                        aliases.join(", "),
                        aliases.join(", ")
                    ),
                    "change the line",
                ),
            };
            Diagnostic::new(
                Code::PageAddressGone,
                PathBuf::from("content").join(&page.source),
                format!("{lost}; if this page took its place, it can keep the old address working"),
            )
            .at(1, 1)
            .help(format!(
                "{line}, so visitors to the old address come here (this build has published the site without it, so {by_hand} by hand; next time, rename a page with `clinicsite move OLD NEW`, which does this for you)"
            ))
        }
        None => Diagnostic::new(
            Code::PageAddressGone,
            old_folder(address, languages),
            format!("{lost}; if you renamed its file, the new page can keep the old address working"),
        )
        .help(format!(
            "add the line `{alias}` to the front matter of the page that replaces it (next time, rename a page with `clinicsite move OLD NEW`, which does this for you); if you removed the page on purpose, there is nothing to do"
        )),
    }
}

/// The language of the page at `address`: the default one but under `es/` and the like.
fn language_of<'l>(address: &'l str, languages: &'l [String]) -> &'l str {
    let default = languages.first().map_or("en", String::as_str);
    split_language(address, languages).0.unwrap_or(default)
}

/// `es/faq/pain/` -> (`es`, `faq/pain/`); an address of the default language has no code:
/// `faq/pain/` -> (`None`, `faq/pain/`).
fn split_language<'a>(address: &'a str, languages: &[String]) -> (Option<&'a str>, &'a str) {
    match address.split_once('/') {
        Some((first, rest)) if languages.iter().skip(1).any(|l| l == first) => (Some(first), rest),
        _ => (None, address),
    }
}

/// The folder an address is in: `faq/` for `faq/pain/`, empty for a top-level page.
fn parent(address: &str) -> &str {
    let trimmed = address.trim_end_matches('/');
    trimmed.rfind('/').map_or("", |i| &address[..=i])
}

/// The folder of `content/` the page at `address` was in, when its file gave its address:
/// `content/faq/` for `faq/pain/` and `es/faq/pain/`, `content/` for `about/`.
fn old_folder(address: &str, languages: &[String]) -> PathBuf {
    let (_, rest) = split_language(address, languages);
    PathBuf::from(format!("content/{}", parent(rest)))
}

/// The files (relative to `content/`) a page at `address` was most likely made from, when it
/// kept the address its file name gives.
fn guess_source(address: &str, languages: &[String]) -> Vec<String> {
    let (lang, rest) = split_language(address, languages);
    let suffix = lang.map_or(".md".to_string(), |l| format!(".{l}.md"));
    let stem = rest.trim_end_matches('/');
    if stem.is_empty() {
        return vec![format!("_index{suffix}")];
    }
    vec![
        format!("{stem}{suffix}"),
        format!("{stem}/_index{suffix}"),
        format!("{stem}/index{suffix}"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn an_address_is_traced_to_the_files_it_came_from() {
        let languages = vec!["en".to_string(), "es".to_string()];
        assert_eq!(
            guess_source("faq/pain/", &languages),
            ["faq/pain.md", "faq/pain/_index.md", "faq/pain/index.md"]
        );
        assert_eq!(
            guess_source("es/faq/pain/", &languages),
            [
                "faq/pain.es.md",
                "faq/pain/_index.es.md",
                "faq/pain/index.es.md"
            ]
        );
        assert_eq!(guess_source("es/", &languages), ["_index.es.md"]);
        assert_eq!(parent("faq/pain/"), "faq/");
        assert_eq!(parent("about/"), "");
        assert_eq!(
            old_folder("faq/pain/", &languages),
            Path::new("content/faq/")
        );
        assert_eq!(
            old_folder("es/faq/pain/", &languages),
            Path::new("content/faq/")
        );
        assert_eq!(old_folder("es/about/", &languages), Path::new("content/"));
        assert_eq!(language_of("es/faq/pain/", &languages), "es");
        assert_eq!(language_of("es/", &languages), "es");
        assert_eq!(language_of("faq/pain/", &languages), "en");
        assert_eq!(language_of("estimates/", &languages), "en");
    }
}
