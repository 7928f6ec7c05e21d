//! Content rules: pages in, findings about what search engines, screen readers and patients
//! meet first out: titles and descriptions, alt text, headings, link text, FAQ summaries and
//! location details.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::page::{Kind, PageInput};
use crate::diagnostics::{Code, Diagnostic};
use crate::location::Location;
use crate::site::Role;

/// Link text that tells a screen-reader user nothing about where the link goes.
const VAGUE_LINK_TEXT: &[&str] = &[
    "click here",
    "here",
    "click",
    "this",
    "this link",
    "link",
    "this page",
    "read more",
    "more",
    "more here",
    "learn more",
    "go",
    "aquí",
    "haga clic aquí",
    "haz clic aquí",
    "más",
];

/// Sentences `clinicsite new faq` writes for staff to replace: a page that still holds one
/// is not ready for patients (`content/placeholder`, an error, so `build` stops on it).
pub const PLACEHOLDER_TEXT: &[&str] = &[
    "Write the full answer here",
    "Explain what happens, step by step",
];

/// Descriptions shorter than this are cut short in search results, longer ones are cut off.
const DESCRIPTION_CHARS: std::ops::RangeInclusive<usize> = 50..=160;

/// Findings about one page on its own.
pub fn check(page: &PageInput) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    if page.exists() {
        description(page, &mut findings);
    }
    placeholder_text(page, &mut findings);
    images(page, &mut findings);
    headings(page, &mut findings);
    link_text(page, &mut findings);
    match page.kind {
        Kind::Page(Role::Faq(faq)) if faq.summary.trim().is_empty() => findings.push(
            Diagnostic::new(Code::ContentMissingSummary, &page.file, "this answer has no `summary`")
                .at(1, 1)
                .width(3)
                .help("add the short answer in one or two plain sentences, like `summary: Most people feel only mild discomfort.`"),
        ),
        Kind::Page(Role::Location(location)) => location_details(page, location, &mut findings),
        _ => {}
    }
    findings
}

fn description(page: &PageInput, findings: &mut Vec<Diagnostic>) {
    let description = page.common.description.trim();
    let length = description.chars().count();
    if description.is_empty() {
        findings.push(
            Diagnostic::new(Code::ContentMissingDescription, &page.file, "this page has no `description`")
                .at(1, 1)
                .width(3)
                .help("add one or two sentences (50 to 160 characters) that search results and link previews show, like `description: What you feel during microneedling and how we keep you comfortable.`"),
        );
    } else if !DESCRIPTION_CHARS.contains(&length) {
        let spot = page.field_spot("description", description);
        let advice = if length < *DESCRIPTION_CHARS.start() {
            "say a little more about what the page answers"
        } else {
            "search results cut it off: keep the most useful words"
        };
        findings.push(
            Diagnostic::new(
                Code::ContentDescriptionLength,
                &page.file,
                format!(
                    "the description is {length} characters long; 50 to 160 fit search results"
                ),
            )
            .at(spot.line, spot.column)
            .width(spot.width)
            .help(advice),
        );
    }
}

/// One vectorised search for all of `PLACEHOLDER_TEXT`, made once: every page's body is
/// searched, and making a search costs more than running it on most pages. `None` if it
/// could not be made (then each text is looked for in turn).
fn placeholder_search() -> Option<&'static aho_corasick::AhoCorasick> {
    static SEARCH: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    SEARCH
        .get_or_init(|| aho_corasick::AhoCorasick::new(PLACEHOLDER_TEXT).ok())
        .as_ref()
}

/// Where each of `PLACEHOLDER_TEXT` first occurs in `body`, in its order. No text can end
/// with the start of another, so a search that does not look inside a match misses none.
fn placeholders_in(body: &str) -> [Option<usize>; PLACEHOLDER_TEXT.len()] {
    let mut first = [None; PLACEHOLDER_TEXT.len()];
    match placeholder_search() {
        Some(search) => {
            for found in search.find_iter(body) {
                let slot = &mut first[found.pattern().as_usize()];
                slot.get_or_insert(found.start());
            }
        }
        None => {
            for (slot, text) in first.iter_mut().zip(PLACEHOLDER_TEXT) {
                *slot = body.find(text);
            }
        }
    }
    first
}

fn placeholder_text(page: &PageInput, findings: &mut Vec<Diagnostic>) {
    let body = page.lines.text();
    for (text, at) in PLACEHOLDER_TEXT.iter().zip(placeholders_in(body)) {
        if let Some(at) = at {
            let end = body[at..].find('\n').map_or(body.len(), |e| at + e);
            let spot = page.body_spot(at..end);
            findings.push(
                Diagnostic::new(
                    Code::ContentPlaceholder,
                    &page.file,
                    format!("\"{text}\" is the sample text `clinicsite new faq` wrote"),
                )
                .at(spot.line, spot.column)
                .width(spot.width)
                .help("replace it with the answer in your own words, or delete the line"),
            );
        }
    }
}

fn images(page: &PageInput, findings: &mut Vec<Diagnostic>) {
    // Markdown images without alt text stop `build` (see `markdown`); images written in HTML
    // are checked here.
    for html in &page.doc.html {
        for (at, tag) in tags(&html.text, "img") {
            if attribute(tag, "alt").is_none() {
                let start = html.source.start + at;
                let spot = page.body_spot(start..start + tag.len());
                let src = attribute(tag, "src").unwrap_or_default();
                findings.push(
                    Diagnostic::new(Code::ContentImageAlt, &page.file, format!("the image `{src}` has no alt text"))
                        .at(spot.line, spot.column)
                        .width(spot.width)
                        .help("add `alt=\"…\"` describing the picture (or `alt=\"\"` if it is only decoration)"),
                );
            }
        }
    }
}

fn headings(page: &PageInput, findings: &mut Vec<Diagnostic>) {
    // The theme shows the title as the page's one top-level heading.
    let mut prev = 1;
    for heading in &page.doc.headings {
        // Placed only when found at fault: most headings are not.
        let spot = || page.body_spot(heading.source.clone());
        if heading.level == 1 {
            let spot = spot();
            findings.push(
                Diagnostic::new(
                    Code::ContentExtraH1,
                    &page.file,
                    "the page's title is already its top-level heading",
                )
                .at(spot.line, spot.column)
                .width(spot.width)
                .help("start headings in the text with `##`"),
            );
        } else if heading.level > prev + 1 {
            let spot = spot();
            let hashes = "#".repeat(usize::from(prev) + 1);
            findings.push(
                Diagnostic::new(
                    Code::ContentHeadingSkip,
                    &page.file,
                    format!(
                        "this heading skips from level {prev} to level {}",
                        heading.level
                    ),
                )
                .at(spot.line, spot.column)
                .width(spot.width)
                .help(format!(
                    "screen readers use headings as a table of contents: use `{hashes}` here"
                )),
            );
        }
        prev = heading.level;
    }
}

/// The most characters a text of `VAGUE_LINK_TEXT` has.
const VAGUE_LINK_CHARS: usize = 14;

fn link_text(page: &PageInput, findings: &mut Vec<Diagnostic>) {
    for link in page.doc.links.iter().filter(|l| !l.image) {
        let text = link.text.trim().trim_end_matches(['.', '!', ':']);
        // Lower case has as many characters or more: a longer text is none of the list,
        // and needs no lower-case copy.
        if text.len() > VAGUE_LINK_CHARS && text.chars().nth(VAGUE_LINK_CHARS).is_some() {
            continue;
        }
        let text = text.to_lowercase();
        if VAGUE_LINK_TEXT.contains(&text.as_str()) {
            let spot = page.body_spot(link.source.clone());
            findings.push(
                Diagnostic::new(Code::ContentLinkText, &page.file, format!("the link text \"{}\" does not say where the link goes", link.text.trim()))
                    .at(spot.line, spot.column)
                    .width(spot.width)
                    .help("use words that name the page, like `read [what recovery is like](recovery.md)`"),
            );
        }
    }
}

fn location_details(page: &PageInput, location: &Location, findings: &mut Vec<Diagnostic>) {
    let stand_ins: Vec<&str> = [
        (location.placeholder, "address"),
        (location.placeholder_hours, "opening hours"),
    ]
    .into_iter()
    .filter_map(|(placeholder, fact)| placeholder.then_some(fact))
    .collect();
    // Facts are written once, in the default language's file: warn there only.
    if !stand_ins.is_empty() && page.common.source == location.facts_from {
        let spot = page.field_spot("location", "placeholder:");
        let what = match stand_ins.as_slice() {
            ["address"] => "address is marked as a stand-in".to_string(),
            _ => format!("{} are marked as stand-ins", stand_ins.join(" and ")),
        };
        findings.push(
            Diagnostic::new(
                Code::LocationPlaceholder,
                &page.file,
                format!("{}: the {what} (`placeholder:`)", location.name),
            )
            .at(spot.line, spot.column)
            .width(spot.width)
            .help("write the real facts, then remove them from `placeholder:`; until then the site says \"call to confirm\""),
        );
    }
    if location.hours.is_empty() {
        let spot = page.field_spot("location", "");
        findings.push(
            Diagnostic::new(Code::LocationNoHours, &page.file, format!("the {} office has no opening hours", location.name))
                .at(spot.line, spot.column)
                .width(spot.width)
                .help("add them under `location:`, like `hours: [{ days: [Mo, Tu, We, Th, Fr], opens: \"09:00\", closes: \"17:00\" }]`"),
        );
    }
    let mut seen = BTreeMap::new();
    for hours in &location.hours {
        for day in &hours.day_codes {
            if let Some(first) = seen.insert(*day, hours.opens_24.clone()) {
                let spot = page.field_spot("location", &hours.opens_24);
                findings.push(
                    Diagnostic::new(Code::LocationHoursOverlap, &page.file, format!("{} is listed twice in the opening hours (from {first} and from {})", crate::location::day_name(*day), hours.opens_24))
                        .at(spot.line, spot.column)
                        .width(spot.width)
                        .help("list each day once; a day with a break needs its own line per opening, on different days"),
                );
            }
        }
    }
}

/// Findings about pages that share a title or a description (in the same language).
pub fn duplicates(pages: &[PageInput]) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (field, rule) in [
        ("title", Code::ContentDuplicateTitle),
        ("description", Code::ContentDuplicateDescription),
    ] {
        // Every page's title and description: hashed, and only the groups of several pages
        // sorted (in the order of their language and text).
        let mut groups: FxHashMap<(&str, String), Vec<&PageInput>> = FxHashMap::default();
        for page in maybe_same(pages, field) {
            let value = field_value(page, field);
            if !value.trim().is_empty() {
                let value = value.trim();
                // Plain ASCII needs no Unicode tables.
                let lower = if value.is_ascii() {
                    value.to_ascii_lowercase()
                } else {
                    value.to_lowercase()
                };
                groups
                    .entry((page.language.as_str(), lower))
                    .or_default()
                    .push(page);
            }
        }
        let mut groups: Vec<_> = groups.into_iter().filter(|(_, g)| g.len() > 1).collect();
        groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (_, group) in &groups {
            for page in group {
                let others: Vec<String> = group
                    .iter()
                    .filter(|o| o.file != page.file)
                    .map(|o| crate::diagnostics::display_path(&o.file))
                    .collect();
                let named = match others.len() {
                    0..=3 => others.join(", "),
                    n => format!("{} and {} more", others[..2].join(", "), n - 2),
                };
                let spot = page.field_spot(field, "");
                findings.push(
                    Diagnostic::new(rule, &page.file, format!("this page has the same {field} as {named}"))
                        .at(spot.line, spot.column)
                        .width(spot.width)
                        .help(format!("give each page its own {field}, so patients and search engines can tell them apart")),
                );
            }
        }
    }
    findings
}

/// The pages whose `field` may be another's of the same language (in any case): those
/// whose folded value hashes as another's. Most pages' titles are their own, and a hash of
/// each, made without copying it, finds them sooner than a lower-case copy of each would.
fn maybe_same<'p, 'a>(
    pages: &'p [PageInput<'a>],
    field: &str,
) -> impl Iterator<Item = &'p PageInput<'a>> {
    let hashes: Vec<Option<u64>> = pages
        .iter()
        .map(|page| {
            let value = field_value(page, field).trim();
            (page.exists() && !value.is_empty()).then(|| folded_hash(value))
        })
        .collect();
    let mut seen: FxHashMap<(&str, u64), u32> =
        FxHashMap::with_capacity_and_hasher(pages.len(), Default::default());
    for (page, hash) in pages.iter().zip(&hashes) {
        if let Some(hash) = hash {
            *seen.entry((page.language.as_str(), *hash)).or_default() += 1;
        }
    }
    pages.iter().zip(hashes).filter_map(move |(page, hash)| {
        let twice = seen.get(&(page.language.as_str(), hash?)) > Some(&1);
        twice.then_some(page)
    })
}

/// The page's `title` or `description`.
fn field_value<'p>(page: &'p PageInput, field: &str) -> &'p str {
    if field == "title" {
        &page.common.title
    } else {
        &page.common.description
    }
}

/// The hash of `text` in lower case (as `duplicates` folds it), hashed in pieces of 64
/// bytes of the folded text, so the ASCII text needs no copy.
fn folded_hash(text: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = rustc_hash::FxHasher::default();
    if text.is_ascii() {
        let mut piece = [0u8; 64];
        for chunk in text.as_bytes().chunks(64) {
            let piece = &mut piece[..chunk.len()];
            piece.copy_from_slice(chunk);
            piece.make_ascii_lowercase();
            hasher.write(piece);
        }
    } else {
        for chunk in text.to_lowercase().as_bytes().chunks(64) {
            hasher.write(chunk);
        }
    }
    hasher.finish()
}

/// `<tag …>` elements in HTML text, with their byte offsets.
pub fn tags<'h>(html: &'h str, name: &str) -> Vec<(usize, &'h str)> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut found = Vec::new();
    for (at, _) in lower.match_indices(&open) {
        let next = lower[at + open.len()..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '>' || c == '/') {
            let end = html[at..].find('>').map_or(html.len(), |e| at + e + 1);
            found.push((at, &html[at..end]));
        }
    }
    found
}

/// The value of attribute `name` in a tag (`""` for a bare `alt`), read the way browsers do:
/// `name="…"`, `name='…'` or `name=value`.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start();
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if key_end == 0 {
            return None;
        }
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(after) => {
                let after = after.trim_start();
                let (value, remainder) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => after[1..].split_once(q).unwrap_or((&after[1..], "")),
                    _ => after.split_once(char::is_whitespace).unwrap_or((after, "")),
                };
                rest = remainder;
                value
            }
            None => "",
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_vague_link_text_is_longer_than_the_bound() {
        let longest = VAGUE_LINK_TEXT.iter().map(|t| t.chars().count()).max();
        assert_eq!(longest, Some(VAGUE_LINK_CHARS));
    }

    #[test]
    fn each_sample_text_is_found_where_it_first_occurs() {
        let [write, explain] = PLACEHOLDER_TEXT else {
            panic!("two sample texts");
        };
        for texts in PLACEHOLDER_TEXT
            .iter()
            .flat_map(|a| PLACEHOLDER_TEXT.iter().map(move |b| (a, b)))
        {
            let (a, b) = texts;
            for cut in 1..a.len().min(b.len()) {
                assert!(!a.ends_with(&b[..cut]), "{a:?} ends as {b:?} starts");
            }
        }
        let bodies = [
            String::new(),
            "An answer.\n".to_string(),
            format!("{explain}\n\n{write}.\n{explain} again"),
            format!("{write}{explain}{write}"),
            format!("Write the full answer\n{write} here"),
        ];
        for body in &bodies {
            let each: Vec<Option<usize>> = PLACEHOLDER_TEXT.iter().map(|t| body.find(t)).collect();
            assert_eq!(placeholders_in(body).to_vec(), each, "{body:?}");
        }
    }

    #[test]
    fn finds_tags_and_attributes() {
        let html = "<p><IMG src=\"a.jpg\" ALT='A face'><img src=b.jpg><image-x></p>";
        let found = tags(html, "img");
        assert_eq!(found.len(), 2);
        assert_eq!(attribute(found[0].1, "alt").as_deref(), Some("A face"));
        assert_eq!(attribute(found[0].1, "src").as_deref(), Some("a.jpg"));
        assert_eq!(attribute(found[1].1, "src").as_deref(), Some("b.jpg"));
        assert_eq!(attribute(found[1].1, "alt"), None);
        assert_eq!(attribute("<img alt src=x>", "alt").as_deref(), Some(""));
        assert_eq!(attribute("<img data-alt=\"x\">", "alt"), None);
    }
}
