//! Languages: which language a file is in, where each language's pages live, the home page
//! every language gets, and the section a file belongs to in its own language.

use std::collections::BTreeMap;

use super::paths::{content_path, file_name, parent_dir};
use super::{Common, Review, Section, Target};
use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::SectionKind;

/// Sections by (language, folder relative to `content/`).
pub(super) type SectionIndex = BTreeMap<(String, String), usize>;

/// Where a language's pages live: `` for the default, `es/` for the others.
pub(super) fn prefix(lang: &str, default: &str) -> String {
    if lang == default {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// `faq/pain.es.md` -> (`faq/pain.md`, `es`); files without a language code are in the
/// default language. A code that is not one of the site's languages is a finding.
pub fn split_language(rel: &str, languages: &[String]) -> Result<(String, String), Diagnostic> {
    let default = languages.first().cloned().unwrap_or_else(|| "en".into());
    let dir = parent_dir(rel);
    let stem = file_name(rel).trim_end_matches(".md");
    let Some((head, code)) = stem.rsplit_once('.') else {
        return Ok((rel.to_string(), default));
    };
    if !crate::config::is_language_code(code) {
        return Ok((rel.to_string(), default));
    }
    if languages.iter().any(|l| l == code) {
        return Ok((format!("{dir}{head}.md"), code.to_string()));
    }
    Err(Diagnostic::new(Code::SiteUnknownLanguage, content_path(rel), format!("`{code}` is not one of the site's languages"))
        .help(format!("add it to site.yaml, like `languages: [{}, {code}]`, or rename the file to content/{dir}{head}.md", languages.join(", "))))
}

/// Every language with pages published (`page_languages`, one entry a page) gets a home
/// page, a stand-in when `_index.LANG.md` is missing.
pub(super) fn add_missing_homes<'l>(
    sections: &mut Vec<Section>,
    section_by_dir: &mut SectionIndex,
    page_languages: impl Iterator<Item = &'l str>,
    site_title: &str,
    default: &str,
) {
    let mut languages: Vec<&str> = page_languages.collect();
    languages.push(default);
    languages.sort_unstable();
    languages.dedup();
    for lang in languages {
        if let std::collections::btree_map::Entry::Vacant(slot) =
            section_by_dir.entry((lang.to_string(), String::new()))
        {
            slot.insert(sections.len());
            sections.push(stand_in_home(site_title, lang, default));
        }
    }
}

/// The default language's home page is section 0.
pub(super) fn make_default_home_first(
    sections: &mut [Section],
    section_by_dir: &mut SectionIndex,
    by_source: &mut rustc_hash::FxHashMap<String, Target>,
    default: &str,
) {
    let home = section_by_dir[&(default.to_string(), String::new())];
    sections.swap(0, home);
    let swap = |index: usize| {
        if index == home {
            0
        } else if index == 0 {
            home
        } else {
            index
        }
    };
    for index in section_by_dir.values_mut() {
        *index = swap(*index);
    }
    for target in by_source.values_mut() {
        if let Target::Section(index) = target {
            *index = swap(*index);
        }
    }
}

pub(super) fn untranslated_section(rel: &str, missing_dir: &str, lang: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SiteUntranslatedSection,
        content_path(rel),
        format!("this page is in `{lang}`, but its section has no `{lang}` version: content/{missing_dir}_index.{lang}.md"),
    )
    .help(format!(
        "translate the section first: `clinicsite translate {} --lang {lang}` makes its `{lang}` copy",
        crate::diagnostics::shell_word(&format!("content/{missing_dir}_index.md"))
    ))
}

/// The home page of `lang` when `_index.md` (or `_index.LANG.md`) is missing.
fn stand_in_home<'a>(site_title: &str, lang: &str, default: &str) -> Section<'a> {
    Section {
        common: Common {
            source: if lang == default {
                "_index.md".into()
            } else {
                format!("_index.{lang}.md")
            },
            path: prefix(lang, default),
            title: site_title.into(),
            description: String::new(),
            weight: None,
            date: None,
            updated: None,
            aliases: Vec::new(),
            alias_lines: Vec::new(),
            template: None,
            tags: Vec::new(),
            extra: None,
            body: crate::source::BodyText::Here(""),
            body_line: 1,
            template_line: 1,
            lang: lang.to_string(),
            translation_key: "_index.md".into(),
            translated_from: None,
            draft: false,
            review: Review::default(),
            image: None,
        },
        kind: SectionKind::Plain,
        categories: Vec::new(),
        typical_results: String::new(),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
    }
}

/// The section a file in `dir` belongs to, in the same language: the nearest folder up with an
/// `_index` in that language. `Err(folder)` when a folder on the way has a section in the
/// default language only (its translation is missing).
pub(super) fn nearest_section(
    index: &SectionIndex,
    lang: &str,
    dir: &str,
    default: &str,
) -> Result<usize, String> {
    let mut dir = dir.to_string();
    loop {
        if let Some(&found) = index.get(&(lang.to_string(), dir.clone())) {
            return Ok(found);
        }
        if lang != default && index.contains_key(&(default.to_string(), dir.clone())) {
            return Err(dir);
        }
        if dir.is_empty() {
            return index
                .get(&(default.to_string(), String::new()))
                .copied()
                .ok_or(dir);
        }
        dir = parent_dir(dir.trim_end_matches('/'));
    }
}
