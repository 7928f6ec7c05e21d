//! Each page's file in (its language and folder known, the sections placed), what placing
//! makes of it out: its `Page`, or why it is left out. Every page is decided on its own, so
//! `place` decides them all in parallel and then numbers them in order.

use super::languages::{SectionIndex, nearest_section, prefix, untranslated_section};
use super::paths::page_dir_and_stem;
use super::resolve::{Place, resolve_page};
use super::{Options, Page, Section, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::frontmatter::{Parsed, SectionKind};
use crate::results;

/// What the pages are placed among: the sections placed, and the site's settings.
pub(super) struct Among<'s, 'a> {
    pub(super) sections: &'s [Section<'a>],
    pub(super) section_by_dir: &'s SectionIndex,
    /// Folders of draft sections, by language: their pages are drafts too.
    pub(super) hidden_dirs: &'s [(String, String)],
    /// The parse of each page in the default language, by the key its translations share.
    pub(super) originals: &'s rustc_hash::FxHashMap<&'s str, &'s Parsed<'a>>,
    pub(super) options: &'s Options,
    pub(super) default: &'s str,
}

/// What placing makes of one page's file.
// Nearly every file is `Placed`: boxing the page would only add an allocation per page.
#[allow(clippy::large_enum_variant)]
pub(super) enum Decision<'a> {
    /// Not published: a draft, a page of a draft, or a case whose original is a draft.
    Draft,
    /// A case without a valid consent: left out, and named in the summary.
    Withheld(results::Withheld),
    /// Its front matter could not be read (already reported), or it has no section.
    Unavailable(Option<Diagnostic>),
    /// Its front matter has errors; `case`: it is a case in the default language, whose
    /// photos' names are checked all the same.
    Broken { errors: Vec<Diagnostic>, case: bool },
    /// Placed, with the line of its `locations:` when it is an FAQ entry that names offices,
    /// and its errors: a page with an address and a role is placed even with errors (they
    /// stop the build), so its text is checked in the same run.
    Placed(Page<'a>, Option<usize>, Vec<Diagnostic>),
}

/// Decides one page's `file`.
pub(super) fn decide<'a>(file: &SourceFile<'_, 'a>, among: &Among<'_, 'a>) -> Decision<'a> {
    let Among {
        sections,
        section_by_dir,
        hidden_dirs,
        originals,
        options,
        default,
    } = among;
    let Some(parsed) = file.parsed else {
        return Decision::Unavailable(None);
    };
    let (dir, stem) = page_dir_and_stem(&file.key);
    if parsed.meta.draft && !options.drafts
        || hidden_dirs
            .iter()
            .any(|(l, hidden)| *l == file.lang && dir.starts_with(hidden.as_str()))
    {
        return Decision::Draft;
    }
    // A translation whose section has no version in its language is an error, but is
    // placed in its original's section so its text is checked in the same run.
    let (section, mut errors) = match nearest_section(section_by_dir, &file.lang, &dir, default) {
        Ok(section) => (section, Vec::new()),
        Err(missing) => {
            let finding = untranslated_section(&file.rel, &missing, &file.lang);
            match nearest_section(section_by_dir, default, &dir, default) {
                Ok(section) => (section, vec![finding]),
                Err(_) => return Decision::Unavailable(Some(finding)),
            }
        }
    };
    // A case's translation shows its original's photos: it waits while that is a draft.
    let case = sections[section].kind == SectionKind::Results;
    let original = originals.get(file.key.as_str());
    if case && file.lang != *default && !options.drafts && original.is_some_and(|o| o.meta.draft) {
        return Decision::Draft;
    }
    // A case without a valid consent is left out with its translations and photos.
    let consent = original.and_then(|o| o.meta.consent.as_deref());
    if case && let Some(reason) = results::standing(consent, &options.consents) {
        return Decision::Withheld(results::Withheld {
            source: file.rel.clone(),
            translation: file.lang != *default,
            section_path: sections[section].common.path.clone(),
            reason,
        });
    }
    let place = Place {
        dir: match file.lang == *default {
            true => dir,
            false => prefix(&file.lang, default) + &dir,
        },
        stem,
        translation: file.lang != *default,
        section,
    };
    match resolve_page(file, parsed, &place, &sections[section]) {
        Ok(resolved) => {
            errors.extend(resolved.errors);
            Decision::Placed(resolved.page, resolved.locations_line, errors)
        }
        Err(mut own) => {
            errors.append(&mut own);
            Decision::Broken {
                errors,
                case: case && file.lang == *default,
            }
        }
    }
}
