//! `translation/untranslated`: a published translation as the rules read it in, an error out
//! when it still has its original's words (its title, description, short answer or a line of
//! its text, the same as the original's), placed on the first line at fault.
//!
//! `translate` starts a translation as a draft copy of its original, in the original's
//! language; removing `draft: true` before translating it would show patients the wrong
//! language. A rule of the translation's own page: the rendering pass hands it the
//! translation's text, and only its original's text is read. What it reads of the original
//! (`original_words`) is part of the page's key in the findings cache, so a build reads
//! neither text again while neither page changed.

use super::page::PageInput;
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{Placed, Site, Target};
use crate::translation::language_name;

/// A text shorter than this many words may rightly read the same in two languages (a name,
/// `Kendall`, `South Miami`); a longer one that does was not translated.
const WORDS_TO_COMPARE: usize = 4;

/// The error for `page` when it is a published translation that still has some of its
/// original's words.
pub fn check(page: &PageInput, placed: &Placed) -> Option<Diagnostic> {
    let site = &placed.site;
    let original = site.common(original_of(site, page.target)?)?;
    let original_target = site.by_source.get(&original.source).copied()?;
    let translation = page.common;
    let same = |a: &str, b: &str| words(a) >= WORDS_TO_COMPARE - 1 && a.trim() == b.trim();
    // What is the same, each with where it is written.
    let mut fields: Vec<(String, super::page::Spot)> = Vec::new();
    if same(&translation.title, &original.title) {
        let spot = page.field_spot("title", translation.title.trim());
        fields.push(("its title".into(), spot));
    }
    if same(&translation.description, &original.description) {
        let spot = page.field_spot("description", translation.description.trim());
        fields.push(("its description".into(), spot));
    }
    let summary = site.summary(page.target);
    if same(summary, site.summary(original_target)) {
        let spot = page.field_spot("summary", summary.trim());
        fields.push(("its short answer (`summary:`)".into(), spot));
    }
    let body = page.lines.text();
    let lines = copied_lines(&original.body.read_or_empty(), body);
    if let Some(&first) = lines.first() {
        let file_lines: Vec<usize> = lines.iter().map(|i| translation.body_line + i).collect();
        let width = body
            .lines()
            .nth(first)
            .map_or(1, |l| l.trim_end().chars().count());
        let spot = super::page::Spot {
            line: translation.body_line + first,
            column: 1,
            width: width.max(1),
        };
        fields.push((crate::location::line_list(&file_lines), spot));
    }
    // The copied text is pointed at; failing that, the first field copied.
    let spot = fields
        .last()
        .filter(|_| !lines.is_empty())
        .or(fields.first())?
        .1;
    let what: Vec<&str> = fields.iter().map(|(what, _)| what.as_str()).collect();
    let what = match what.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => what.join(""),
    };
    let plural = what.contains(" and ") || what.starts_with("lines");
    let message = format!(
        "this page is not translated yet: {what} still {} the {} words of content/{}",
        if plural { "have" } else { "has" },
        language_name(&original.lang),
        original.source
    );
    let help = format!(
        "write them in {}, or put the line `draft: true` back under `title:` to keep this page off the site until it is translated",
        language_name(&translation.lang)
    );
    let finding = Diagnostic::new(Code::TranslationUntranslated, &page.file, message).help(help);
    Some(finding.at(spot.line, spot.column).width(spot.width))
}

/// The rule on each published translation of `original` (the dev server checks again only
/// the pages edited, and an original's text decides its translations' finding).
pub fn of_translations(placed: &Placed, original: Target) -> Vec<(Target, Option<Diagnostic>)> {
    let site = &placed.site;
    site.translations_of(original)
        .iter()
        .filter(|&&t| original_of(site, t) == Some(original))
        .filter_map(|&t| {
            let front = placed.front_matter.get(&site.common(t)?.source);
            let page = PageInput::new(site, t, front)?;
            Some((t, check(&page, placed)))
        })
        .collect()
}

/// What the rule reads of `target`'s original, hashed: its title, description, short answer
/// and text (by the hash the read stage made, so no text is read for it). `None` when the
/// rule does not look at `target` (not a published translation).
pub fn original_words(placed: &Placed, target: Target) -> Option<blake3::Hash> {
    let site = &placed.site;
    let original = original_of(site, target)?;
    let common = site.common(original)?;
    let body_hash = match placed.front_matter.get(&common.source) {
        Some(front) if front.body.same(common.body) => front.body_hash(),
        _ => common.body.hash(),
    };
    let mut hasher = blake3::Hasher::new();
    for part in [&common.title, &common.description, site.summary(original)] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    hasher.update(body_hash.as_bytes());
    Some(hasher.finalize())
}

/// The original (in the default language) of `target`, when `target` is a translation the
/// rule looks at: published, and placed from its own file (a draft home page's stand-in is no
/// translation).
fn original_of(site: &Site, target: Target) -> Option<Target> {
    let common = site.common(target)?;
    let default = site.default_language();
    let own = |t: Target, c: &crate::site::Common| site.by_source.get(&c.source) == Some(&t);
    if common.lang == default || common.draft || !own(target, common) {
        return None;
    }
    site.translations_of(target).iter().copied().find(|&t| {
        site.common(t)
            .is_some_and(|c| c.lang == default && own(t, c))
    })
}

/// The 0-based lines of `translation` that are, word for word, a line of `original` long
/// enough to need translating.
fn copied_lines(original: &str, translation: &str) -> Vec<usize> {
    let long_enough = |line: &&str| words(line) >= WORDS_TO_COMPARE;
    let original: std::collections::HashSet<&str> = original
        .lines()
        .map(str::trim)
        .filter(long_enough)
        .collect();
    if original.is_empty() {
        return Vec::new();
    }
    translation
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            long_enough(&line) && original.contains(line)
        })
        .map(|(i, _)| i)
        .collect()
}

/// How many words with letters `text` has.
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_copied_word_for_word_are_found() {
        let original =
            "Write a short welcome here for patients.\n\nKendall\n- [Prices](prices.md)\n";
        let translation =
            "Escriba una bienvenida.\n\nKendall\n  Write a short welcome here for patients.  \n";
        assert_eq!(copied_lines(original, translation), [3]);
        assert!(copied_lines(original, "Escriba.\n").is_empty());
    }
}
