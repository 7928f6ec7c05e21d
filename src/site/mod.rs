//! The site: parsed files in, every page and section placed at its URL out.
//!
//! This stage decides which files are sections, pages and bundles, resolves raw front matter
//! into per-kind metadata (reporting keys that do not fit), orders pages, leaves drafts out
//! and finds two files that want one URL. Markdown is rendered later with the URL map built
//! here, so links can be checked.
//!
//! `place` places the files (`pages` decides each page's file, in parallel); `resolve` turns
//! one file's raw front matter into its section or page; `languages` finds each file's language and section; `slug` and `paths` make
//! address parts.

mod bundles;
mod languages;
mod pages;
mod paths;
mod place;
mod resolve;
mod slug;
mod translated;

pub use bundles::placement_changes;
pub use languages::split_language;
pub use paths::{content_path, file_name, parent_dir};
pub use place::{Placed, place};
pub use slug::slugify;

/// For other stages' unit tests: `content` placed as an English site named "Test Clinic",
/// without drafts.
#[cfg(test)]
pub fn place_for_test(content: &crate::source::Content) -> Placed<'_> {
    let parsed = content
        .pages
        .iter()
        .map(|file| {
            let parsed = crate::frontmatter::parse_file(file, &content_path(&file.rel));
            (file.rel.clone(), parsed.ok())
        })
        .collect();
    let options = Options {
        drafts: false,
        languages: vec!["en".into()],
        consents: Default::default(),
    };
    place(content, parsed, "Test Clinic", &options)
}

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::frontmatter::{Date, Parsed, SectionKind};
use crate::location::Location;
use crate::results::{self, Case};
use crate::source::AssetFile;
use crate::yaml;

/// What `build` was asked for that changes which pages exist.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub drafts: bool,
    /// The site's languages, the default first.
    pub languages: Vec<String>,
    /// Which results cases may be shown (`revoked_consents:` and today).
    pub consents: results::Consents,
}

/// The whole site, placed.
#[derive(Debug)]
pub struct Site<'a> {
    /// Index 0 is the home page (`content/_index.md`, or a stand-in when it is missing).
    pub sections: Vec<Section<'a>>,
    pub pages: Vec<Page<'a>>,
    /// Content files copied as they are, with their output path.
    pub assets: Vec<(AssetFile, String)>,
    /// Markdown source (relative to `content/`) -> what it became.
    pub by_source: FxHashMap<String, Target>,
    /// URL path (`faq/pain/`) -> what is there.
    pub by_path: FxHashMap<String, Target>,
    /// Output path of every copied content file (`faq/results/photo.jpg`), by source path.
    pub asset_paths: HashMap<String, String>,
    /// The site's languages, the default first.
    pub languages: Vec<String>,
    /// Every version of a file (`faq/pain.md`, `faq/pain.es.md`), keyed by its path without a
    /// language code, in language order.
    pub translations: HashMap<String, Vec<Target>>,
    /// The processed images, by the output path of their source (empty until `assets` ran:
    /// markdown images then get plain `<img>` markup).
    pub images: crate::assets::Images,
    /// Results cases left out because their consent was revoked or has expired, each file
    /// (and translation) once.
    pub withheld: Vec<results::Withheld>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Section(usize),
    Page(usize),
    /// A file with errors of its own, already reported.
    Unavailable,
    /// A draft left out of this build.
    Draft,
}

/// A markdown file of `content/` with its language found: what `place` places.
struct SourceFile<'p, 'a> {
    /// Relative to `content/`: `faq/pain.es.md`.
    rel: String,
    /// Its path without the language code, shared by its translations: `faq/pain.md`.
    key: String,
    lang: String,
    /// `None` when it had errors, already reported.
    parsed: Option<&'p Parsed<'a>>,
}

/// Front matter and body shared by sections and pages.
#[derive(Debug, Clone)]
pub struct Common<'a> {
    /// Path relative to `content/`.
    pub source: String,
    /// URL path relative to the site root: `` for home, `faq/pain/` for a page.
    pub path: String,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub aliases: Vec<String>,
    /// Each alias with the file line it is written on.
    pub alias_lines: Vec<(String, usize)>,
    pub template: Option<String>,
    pub tags: Vec<String>,
    /// `extra:`, when given (boxed: few pages have one, and every page is kept).
    pub extra: Option<Box<yaml::Value>>,
    /// In memory, or left on disk by `build`'s read stage (see `source::BodyText`).
    pub body: crate::source::BodyText<'a>,
    pub body_line: usize,
    /// File line of `template:` for errors about the template (1 when absent).
    pub template_line: usize,
    /// The language code of this file.
    pub lang: String,
    /// Its path without a language code: the same for all translations of one page.
    pub translation_key: String,
    /// `translated_from:` with its file line: the fingerprint of the page this translates.
    pub translated_from: Option<(String, usize)>,
    /// Marked `draft: true` (itself or its section): placed only by `--drafts` builds.
    pub draft: bool,
    /// The medical review as recorded (any page may have one; FAQ entries need one).
    pub review: Review,
    /// `image:`, with its source file found (see `place_lead_images`).
    pub image: Option<Box<LeadImage>>,
}

/// `reviewed_by`, `last_reviewed` and `review_fingerprint` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Empty when not given.
    pub reviewed_by: String,
    pub last_reviewed: Option<Date>,
    /// The fingerprint `clinicsite review` recorded, with its file line.
    pub fingerprint: Option<(String, usize)>,
}

/// A page's `image:`: the photo at its top and its share image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadImage {
    /// The output path of the photo (`office/desk.jpg`); until `place_lead_images`, its
    /// path in `content/` (or, with `from_root`, its output path as written).
    pub path: String,
    pub alt: String,
    from_root: bool,
    /// The file line of `image:`.
    line: usize,
}

#[derive(Debug, Clone)]
pub struct Section<'a> {
    pub common: Common<'a>,
    pub kind: SectionKind,
    pub categories: Vec<String>,
    /// Results sections: `typical_results:`, shown beside every case.
    pub typical_results: String,
    pub parent: Option<usize>,
    /// In display order.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Page<'a> {
    pub common: Common<'a>,
    pub section: usize,
    pub role: Role,
}

/// What is particular to a page because of the section it is in.
// One value per page, made once: boxing the location would save little and cost a pointer.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Role {
    Plain,
    Faq(Faq),
    Location(Box<Location>),
    Case(Box<Case>),
}

#[derive(Debug, Clone)]
pub struct Faq {
    /// Index into the section's categories.
    pub category: Option<usize>,
    pub summary: String,
    /// Slugs of the location pages it applies to; `None` means all.
    pub locations: Option<Vec<String>>,
}

impl Site<'_> {
    pub fn common(&self, target: Target) -> Option<&Common<'_>> {
        match target {
            Target::Section(i) => Some(&self.sections[i].common),
            Target::Page(i) => Some(&self.pages[i].common),
            Target::Unavailable | Target::Draft => None,
        }
    }

    /// The short answer of an FAQ entry; empty for any other page or section.
    pub fn summary(&self, target: Target) -> &str {
        match target {
            Target::Page(i) => match &self.pages[i].role {
                Role::Faq(faq) => faq.summary.as_str(),
                _ => "",
            },
            _ => "",
        }
    }

    /// Every office, in the order of the default language's locations section: its page in
    /// `lang`, or its default-language page while it has no translation (so an office appears
    /// in every language as soon as its facts are written).
    pub fn locations(&self, lang: &str) -> Vec<(usize, &Location)> {
        self.locations_in(self.default_language())
            .into_iter()
            .map(|(index, original)| {
                let translated = self
                    .translations_of(Target::Page(index))
                    .iter()
                    .find_map(|&t| match t {
                        Target::Page(i) if self.pages[i].common.lang == lang => {
                            match &self.pages[i].role {
                                Role::Location(l) => Some((i, &**l)),
                                _ => None,
                            }
                        }
                        _ => None,
                    });
                translated.unwrap_or((index, original))
            })
            .collect()
    }

    /// Every section, then every page.
    pub fn targets(&self) -> impl Iterator<Item = Target> + use<> {
        let pages = (0..self.pages.len()).map(Target::Page);
        (0..self.sections.len()).map(Target::Section).chain(pages)
    }

    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// Every version of `target` (itself included), in language order.
    pub fn translations_of(&self, target: Target) -> &[Target] {
        self.common(target)
            .and_then(|c| self.translations.get(&c.translation_key))
            .map_or(&[], Vec::as_slice)
    }

    /// The home page of `lang`.
    pub fn home(&self, lang: &str) -> usize {
        self.sections
            .iter()
            .position(|s| s.common.lang == lang && s.common.translation_key == "_index.md")
            .unwrap_or(0)
    }

    fn locations_in(&self, lang: &str) -> Vec<(usize, &Location)> {
        let mut found = Vec::new();
        for section in self
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Locations && s.common.lang == lang)
        {
            for &index in &section.pages {
                if let Role::Location(location) = &self.pages[index].role {
                    found.push((index, &**location));
                }
            }
        }
        found
    }
}
