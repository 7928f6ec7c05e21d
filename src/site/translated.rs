//! What a translation takes from its original: an office's facts and a results case's
//! photos, numbers and consent are written once, in the default language's file; a
//! translation holding its own is a finding naming the lines to delete.

use std::collections::HashMap;

use super::paths::content_path;
use super::{Common, LeadImage, Page, Role, Section, Target};
use crate::diagnostics::{Code, Diagnostic};
use crate::location::{self, Location};
use crate::results::{self, Case};

/// Translations of one file, keyed by its path without a language code, in language order.
pub(super) fn group_translations(
    sections: &[Section],
    pages: &[Page],
    languages: &[String],
) -> HashMap<String, Vec<Target>> {
    // Keyed by the pages' own keys while grouping: each is copied once, into the result.
    let all = sections.len() + pages.len();
    let mut groups: rustc_hash::FxHashMap<&str, Vec<(usize, Target)>> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(all, Default::default());
    let order = |lang: &str| {
        languages
            .iter()
            .position(|l| l == lang)
            .unwrap_or(usize::MAX)
    };
    let all = commons(sections, pages);
    for (target, common) in all {
        groups
            .entry(common.translation_key.as_str())
            .or_default()
            .push((order(&common.lang), target));
    }
    let mut translations = HashMap::with_capacity(groups.len());
    translations.extend(groups.into_iter().map(|(key, mut targets)| {
        targets.sort();
        // At its size: one list per page, kept for the whole build.
        let mut versions = Vec::with_capacity(targets.len());
        versions.extend(targets.into_iter().map(|(_, t)| t));
        (key.to_string(), versions)
    }));
    translations
}

/// Gives every translated location page its original's facts; a translation without an
/// original in the default language is an error.
pub(super) fn share_location_facts(
    pages: &mut [Page],
    (default, by_source): (&str, &rustc_hash::FxHashMap<String, Target>),
    findings: &mut Vec<Diagnostic>,
) {
    let originals: HashMap<String, Location> = pages
        .iter()
        .filter(|p| p.common.lang == default)
        .filter_map(|p| match &p.role {
            Role::Location(l) => Some((p.common.translation_key.clone(), (**l).clone())),
            _ => None,
        })
        .collect();
    for page in pages.iter_mut().filter(|p| p.common.lang != default) {
        let Role::Location(words) = &page.role else {
            continue;
        };
        match originals.get(&page.common.translation_key) {
            Some(original) => {
                page.role = Role::Location(Box::new(location::share(original, words)))
            }
            // The original is there but has errors, reported on it: without its facts, this
            // is a plain page until they are fixed.
            None if by_source.contains_key(&page.common.translation_key) => {
                page.role = Role::Plain;
            }
            None => {
                let file = content_path(&page.common.source);
                let original = location::original_of(&file);
                findings.push(
                    Diagnostic::new(
                        Code::LocationNoOriginal,
                        &file,
                        format!("this translation has no original, {original}, to take the office's address, phone and hours from"),
                    )
                    .at(1, 1)
                    .width(3)
                    .help(format!("write the office's facts in {original} (see docs/staff.md, \"Add a location\"), or remove this file")),
                );
            }
        }
    }
}

/// What `share_case_facts` looks cases' files up in.
pub(super) struct CaseFiles<'c> {
    pub default: &'c str,
    /// Content path -> output path of every published file.
    pub asset_paths: &'c HashMap<String, String>,
    pub by_source: &'c rustc_hash::FxHashMap<String, Target>,
}

/// Finds the photos of every case written in the default language, then gives every
/// translated case its original's photos and consent; a translation without an original is
/// an error. A case whose photo is missing or whose original has errors (reported already)
/// is shown in no list and rendered as a plain page, so its template reports nothing more.
pub(super) fn share_case_facts(
    pages: &mut [Page],
    sections: &mut [Section],
    files: &CaseFiles,
    findings: &mut Vec<Diagnostic>,
) {
    let CaseFiles {
        default,
        asset_paths,
        by_source,
    } = *files;
    let mut originals: HashMap<String, Option<Case>> = HashMap::new();
    let mut broken = Vec::new();
    for (index, page) in pages.iter_mut().enumerate() {
        if page.common.lang != default {
            continue;
        }
        if let Role::Case(case) = &mut page.role {
            let file = content_path(&page.common.source);
            let mut missing = results::place_photos(case, asset_paths, &file);
            let placed = missing.is_empty().then(|| (**case).clone());
            if placed.is_none() {
                findings.append(&mut missing);
                page.role = Role::Plain;
                broken.push(index);
            }
            originals.insert(page.common.translation_key.clone(), placed);
        }
    }
    for (index, page) in pages.iter_mut().enumerate() {
        let Role::Case(words) = &page.role else {
            continue;
        };
        if page.common.lang == default {
            continue;
        }
        match originals.get(&page.common.translation_key) {
            Some(Some(original)) => {
                page.role = Role::Case(Box::new(results::share(original, words)))
            }
            None if by_source.contains_key(&page.common.translation_key) => {
                page.role = Role::Plain;
                broken.push(index);
            }
            Some(None) => {
                page.role = Role::Plain;
                broken.push(index);
            }
            None => {
                let file = content_path(&page.common.source);
                let original = location::original_of(&file);
                findings.push(
                    Diagnostic::new(
                        Code::ResultsNoOriginal,
                        &file,
                        format!("this translation has no original, {original}, to take the case's photos and consent from"),
                    )
                    .at(1, 1)
                    .width(3)
                    .help(format!("write the case in {original} first (see docs/staff.md, \"Add a result\"), or remove this file")),
                );
                page.role = Role::Plain;
                broken.push(index);
            }
        }
    }
    for section in sections.iter_mut() {
        section.pages.retain(|i| !broken.contains(i));
    }
}

/// Every section and page with its shared front matter, sections first.
pub(super) fn commons<'s, 'a>(
    sections: &'s [Section<'a>],
    pages: &'s [Page<'a>],
) -> impl Iterator<Item = (Target, &'s Common<'a>)> {
    let sections = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (Target::Section(i), &s.common));
    sections.chain(
        pages
            .iter()
            .enumerate()
            .map(|(i, p)| (Target::Page(i), &p.common)),
    )
}

/// Gives every translation its original's `image:` (the photo is written once, in the
/// default language's file): with the translation's own `alt:` when it writes
/// `image: { alt: "…" }`, else with the original's. A translation that names a photo of its
/// own keeps it, but for an office, whose photo is one of its facts: that is an error naming
/// the line. Runs once the photos are found (`place_lead_images`).
pub(super) fn share_lead_images<'a>(
    sections: &mut [Section<'a>],
    pages: &mut [Page<'a>],
    default: &str,
    findings: &mut Vec<Diagnostic>,
) {
    let originals: HashMap<String, Option<Box<LeadImage>>> = commons(sections, pages)
        .filter(|(_, common)| common.lang == default)
        .map(|(_, common)| {
            let image = common.image.clone().filter(|i| !i.path.is_empty());
            (common.translation_key.clone(), image)
        })
        .collect();
    let offices: Vec<bool> = pages
        .iter()
        .map(|p| matches!(p.role, Role::Location(_)))
        .collect();
    let commons = sections.iter_mut().map(|s| (&mut s.common, false)).chain(
        pages
            .iter_mut()
            .zip(offices)
            .map(|(p, office)| (&mut p.common, office)),
    );
    for (common, office) in commons {
        if common.lang == default {
            if let Some(own) = common.image.take_if(|i| i.path.is_empty()) {
                let file = content_path(&common.source);
                findings.push(
                    Diagnostic::new(Code::ContentImageMissing, &file, "`image:` has no `src:`, the photo's file name")
                        .at(own.line, 1)
                        .help(format!("write the file name of the photo beside this page, like `image: {{ src: front-desk.jpg, alt: \"{}\" }}`", own.alt.trim())),
                );
            }
            continue;
        }
        // `None` when the original is not placed (it has errors, reported on it, or is
        // missing): nothing more to say here.
        let Some(original) = originals.get(&common.translation_key).cloned() else {
            continue;
        };
        let file = content_path(&common.source);
        let from = location::original_of(&file);
        common.image = match (common.image.take(), original) {
            (None, original) => original,
            (Some(own), Some(original)) if own.path.is_empty() => Some(Box::new(LeadImage {
                alt: own.alt,
                ..*original
            })),
            (Some(own), None) if own.path.is_empty() => {
                findings.push(
                    Diagnostic::new(Code::ContentImageMissing, &file, format!("`image:` gives only `alt:`, and {from} has no photo to show with it"))
                        .at(own.line, 1)
                        .help(format!("a translation shows its original's photo: add `image: {{ src: photo.jpg, alt: \"…\" }}` to {from}, or remove `image:` here")),
                );
                None
            }
            (Some(own), _) if office => {
                findings.push(
                    Diagnostic::new(Code::LocationTranslatedFacts, &file, format!("a translation holds only words: the office's photo is written once, in {from}"))
                        .at(own.line, 1)
                        .help(format!("delete `src:` from `image:` on line {} (keep `alt:`, the photo's description in this language, like `image: {{ alt: \"…\" }}`); every language shows the photo of {from}", own.line)),
                );
                None
            }
            (own, _) => own,
        };
    }
}
