//! The site: parsed files in, every page and section placed at its URL out.
//!
//! This stage decides which files are sections, pages and bundles, resolves raw front matter
//! into per-kind metadata (reporting keys that do not fit), orders pages, leaves drafts out
//! and finds two files that want one URL. Markdown is rendered later with the URL map built
//! here, so links can be checked.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::diagnostics::{Diagnostic, nearest};
use crate::frontmatter::{Date, Parsed, RawFrontMatter, SectionKind};
use crate::location::{self, Location};
use crate::results::{self, Case};
use crate::source::{AssetFile, Content};
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
    pub by_source: HashMap<String, Target>,
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
    pub extra: yaml::Value,
    pub body: &'a str,
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
    pub image: Option<LeadImage>,
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

/// Places every parsed file. `parsed` holds, per markdown file of `content`, its parse result
/// (`None` when it had errors, already reported).
pub fn assemble<'a>(
    content: &Content,
    parsed: &[(String, Option<Parsed<'a>>)],
    site_title: &str,
    options: &Options,
) -> (Site<'a>, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut by_source = HashMap::with_capacity(parsed.len());
    let default = options
        .languages
        .first()
        .cloned()
        .unwrap_or_else(|| "en".into());
    // (file, its path without the language code, its language, the parse result)
    let mut files = Vec::with_capacity(parsed.len());
    for (rel, parsed) in parsed {
        match split_language(rel, &options.languages) {
            Ok((base, lang)) => files.push((rel.clone(), base, lang, parsed.as_ref())),
            Err(finding) => {
                findings.push(finding);
                by_source.insert(rel.clone(), Target::Unavailable);
            }
        }
    }
    let (section_files, page_files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(_, base, _, _)| file_name(base) == "_index.md");

    // Sections first: pages find their section by folder and language.
    let mut sections: Vec<Section<'a>> = Vec::new();
    let mut section_by_dir: SectionIndex = BTreeMap::new();
    let mut hidden_dirs: Vec<(String, String)> = Vec::new();
    for (rel, base, lang, parsed) in section_files {
        let dir = parent_dir(&base);
        let Some(parsed) = parsed else {
            by_source.insert(rel, Target::Unavailable);
            continue;
        };
        if parsed.meta.draft && !options.drafts {
            hidden_dirs.push((lang, dir));
            by_source.insert(rel, Target::Draft);
            continue;
        }
        let path = format!("{}{dir}", prefix(&lang, &default));
        match resolve_section(&rel, parsed, &path) {
            Ok(mut section) => {
                section.common.lang = lang.clone();
                section.common.translation_key = base;
                by_source.insert(rel, Target::Section(sections.len()));
                section_by_dir.insert((lang, dir), sections.len());
                sections.push(section);
            }
            Err(mut errors) => {
                findings.append(&mut errors);
                by_source.insert(rel, Target::Unavailable);
            }
        }
    }
    add_missing_homes(
        &mut sections,
        &mut section_by_dir,
        &page_files,
        site_title,
        &default,
    );
    make_default_home_first(&mut sections, &mut section_by_dir, &mut by_source, &default);
    let keys: Vec<(String, String)> = section_by_dir.keys().cloned().collect();
    for (lang, dir) in keys {
        if !dir.is_empty() {
            let index = section_by_dir[&(lang.clone(), dir.clone())];
            let parent_dir = parent_dir(dir.trim_end_matches('/'));
            sections[index].parent =
                nearest_section(&section_by_dir, &lang, &parent_dir, &default).ok();
        }
    }

    let mut pages: Vec<Page<'a>> = Vec::with_capacity(page_files.len());
    let mut faq_locations: Vec<(usize, usize)> = Vec::new();
    let mut withheld = Vec::new();
    let originals: HashMap<String, &Parsed> = page_files
        .iter()
        .filter(|(_, _, lang, _)| *lang == default)
        .filter_map(|(_, base, _, parsed)| Some((base.clone(), (*parsed)?)))
        .collect();
    for (rel, base, lang, parsed) in page_files {
        let Some(parsed) = parsed else {
            by_source.insert(rel, Target::Unavailable);
            continue;
        };
        let (dir, stem) = page_dir_and_stem(&base);
        if parsed.meta.draft && !options.drafts
            || hidden_dirs
                .iter()
                .any(|(l, hidden)| *l == lang && dir.starts_with(hidden.as_str()))
        {
            by_source.insert(rel, Target::Draft);
            continue;
        }
        let section = match nearest_section(&section_by_dir, &lang, &dir, &default) {
            Ok(section) => section,
            Err(missing) => {
                findings.push(untranslated_section(&rel, &missing, &lang));
                by_source.insert(rel, Target::Unavailable);
                continue;
            }
        };
        // A case without a valid consent is left out with its translations and photos.
        let consent = originals.get(&base).and_then(|o| o.meta.consent.as_ref());
        if sections[section].kind == SectionKind::Results
            && let Some(reason) = results::standing(consent, &options.consents)
        {
            withheld.push(results::Withheld {
                source: rel.clone(),
                translation: lang != default,
                section_path: sections[section].common.path.clone(),
                reason,
            });
            by_source.insert(rel, Target::Draft);
            continue;
        }
        let place = Place {
            dir: format!("{}{dir}", prefix(&lang, &default)),
            stem,
            translation: lang != default,
        };
        match resolve_page(&rel, parsed, &place, &sections[section]) {
            Ok((mut page, locations_line)) => {
                if let (Role::Faq(faq), Some(line)) = (&page.role, locations_line)
                    && faq.locations.is_some()
                {
                    faq_locations.push((pages.len(), line));
                }
                page.common.lang = lang;
                page.common.translation_key = base;
                page.common.draft |= sections[section].common.draft;
                by_source.insert(rel, Target::Page(pages.len()));
                pages.push(Page { section, ..page });
            }
            Err(mut errors) => {
                findings.append(&mut errors);
                by_source.insert(rel, Target::Unavailable);
            }
        }
    }
    share_location_facts(&mut pages, &default, &mut findings);
    check_location_slugs(&pages, &faq_locations, &mut findings);

    let by_path = claim_paths(&sections, &pages, &mut findings);
    order(&mut sections, &pages);
    let (mut assets, mut asset_paths) = place_assets(content, &pages, &by_source);
    // Nothing of a withheld case is published: its photos stay behind with it.
    let withheld_dirs: Vec<String> = withheld
        .iter()
        .filter(|w| file_name(&w.source).starts_with("index."))
        .map(|w| parent_dir(&w.source))
        .collect();
    let kept = |rel: &str| {
        !withheld_dirs
            .iter()
            .any(|dir| rel.starts_with(dir.as_str()))
    };
    assets.retain(|(file, _)| kept(&file.rel));
    asset_paths.retain(|rel, _| kept(rel));
    place_lead_images(&mut sections, &mut pages, &asset_paths, &mut findings);
    share_case_facts(
        &mut pages,
        &mut sections,
        &default,
        &asset_paths,
        &mut findings,
    );
    let translations = group_translations(&sections, &pages, &options.languages);
    let site = Site {
        sections,
        pages,
        assets,
        by_source,
        by_path,
        asset_paths,
        languages: options.languages.clone(),
        translations,
        images: Default::default(),
        withheld,
    };
    (site, findings)
}

/// Sections by (language, folder relative to `content/`).
type SectionIndex = BTreeMap<(String, String), usize>;

/// Where a language's pages live: `` for the default, `es/` for the others.
fn prefix(lang: &str, default: &str) -> String {
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
    Err(Diagnostic::error("site/unknown-language", content_path(rel), format!("`{code}` is not one of the site's languages"))
        .help(format!("add it to site.yaml, like `languages: [{}, {code}]`, or rename the file to content/{dir}{head}.md", languages.join(", "))))
}

/// Every language with content gets a home page, a stand-in when `_index.LANG.md` is missing.
fn add_missing_homes(
    sections: &mut Vec<Section>,
    section_by_dir: &mut SectionIndex,
    page_files: &[(String, String, String, Option<&Parsed>)],
    site_title: &str,
    default: &str,
) {
    let mut languages: Vec<&str> = page_files
        .iter()
        .map(|(_, _, lang, _)| lang.as_str())
        .collect();
    languages.push(default);
    languages.sort_unstable();
    languages.dedup();
    for lang in languages {
        if let std::collections::btree_map::Entry::Vacant(slot) =
            section_by_dir.entry((lang.to_string(), String::new()))
        {
            let mut home = stand_in_home(site_title);
            home.common.path = prefix(lang, default);
            home.common.lang = lang.to_string();
            home.common.source = if lang == default {
                "_index.md".into()
            } else {
                format!("_index.{lang}.md")
            };
            slot.insert(sections.len());
            sections.push(home);
        }
    }
}

/// The default language's home page is section 0.
fn make_default_home_first(
    sections: &mut [Section],
    section_by_dir: &mut SectionIndex,
    by_source: &mut HashMap<String, Target>,
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

fn untranslated_section(rel: &str, missing_dir: &str, lang: &str) -> Diagnostic {
    Diagnostic::error(
        "site/untranslated-section",
        content_path(rel),
        format!("this page is in `{lang}`, but its section has no `{lang}` version: content/{missing_dir}_index.{lang}.md"),
    )
    .help(format!("translate content/{missing_dir}_index.md into content/{missing_dir}_index.{lang}.md first"))
}

/// Translations of one file, keyed by its path without a language code, in language order.
fn group_translations(
    sections: &[Section],
    pages: &[Page],
    languages: &[String],
) -> HashMap<String, Vec<Target>> {
    let mut groups: HashMap<String, Vec<(usize, Target)>> = HashMap::new();
    let order = |lang: &str| {
        languages
            .iter()
            .position(|l| l == lang)
            .unwrap_or(usize::MAX)
    };
    let all = commons(sections, pages);
    for (target, common) in all {
        groups
            .entry(common.translation_key.clone())
            .or_default()
            .push((order(&common.lang), target));
    }
    groups
        .into_iter()
        .map(|(key, mut targets)| {
            targets.sort();
            (key, targets.into_iter().map(|(_, t)| t).collect())
        })
        .collect()
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

fn stand_in_home<'a>(site_title: &str) -> Section<'a> {
    Section {
        common: Common {
            source: "_index.md".into(),
            path: String::new(),
            title: site_title.into(),
            description: String::new(),
            weight: None,
            date: None,
            updated: None,
            aliases: Vec::new(),
            alias_lines: Vec::new(),
            template: None,
            tags: Vec::new(),
            extra: yaml::Value::Null,
            body: "",
            body_line: 1,
            template_line: 1,
            lang: String::new(),
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

/// Keys that only fit some kinds of file, and the kinds they fit.
const SECTION_ONLY: &[&str] = &["kind", "categories"];
const FAQ_ONLY: &[&str] = &["category", "summary", "locations"];

fn resolve_section<'a>(
    rel: &str,
    parsed: &Parsed<'a>,
    dir: &str,
) -> Result<Section<'a>, Vec<Diagnostic>> {
    let file = content_path(rel);
    let mut errors = Vec::new();
    let kind = parsed.meta.kind.unwrap_or_default();
    let categories = parsed.meta.categories.clone().unwrap_or_default();
    if parsed.meta.categories.is_some() && kind != SectionKind::Faq {
        errors.push(misplaced(
            parsed,
            &file,
            "categories",
            "a section with `kind: faq`",
        ));
    }
    for key in FAQ_ONLY.iter().chain(["slug", "location"].iter()) {
        if is_set(&parsed.meta, key) {
            errors.push(misplaced(
                parsed,
                &file,
                key,
                if *key == "slug" {
                    "pages (a section's address is its folder name)"
                } else {
                    "pages inside a section"
                },
            ));
        }
    }
    let typical_results = match kind {
        SectionKind::Results => results::typical_results(parsed, &file).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        }),
        _ if parsed.meta.typical_results.is_some() => {
            errors.push(misplaced(
                parsed,
                &file,
                "typical_results",
                "a section with `kind: results`",
            ));
            String::new()
        }
        _ => String::new(),
    };
    for key in results::CASE_KEYS {
        if is_set(&parsed.meta, key) {
            errors.push(misplaced(
                parsed,
                &file,
                key,
                "a results case (a page in a section with `kind: results`)",
            ));
        }
    }
    let common = resolve_common(rel, parsed, dir.to_string(), &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Section {
        common,
        kind,
        categories,
        typical_results,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
    })
}

/// Resolves a page's front matter. Also returns the line of `locations:` for later checks.
/// Where a page goes: its folder's address, its file name without `.md` and language, and
/// whether it is a translation (not in the default language).
struct Place {
    dir: String,
    stem: String,
    translation: bool,
}

fn resolve_page<'a>(
    rel: &str,
    parsed: &Parsed<'a>,
    place: &Place,
    section: &Section,
) -> Result<(Page<'a>, Option<usize>), Vec<Diagnostic>> {
    let Place { dir, stem, .. } = place;
    let file = content_path(rel);
    let mut errors = Vec::new();
    for key in SECTION_ONLY.iter().chain(&["typical_results"]) {
        if is_set(&parsed.meta, key) {
            errors.push(misplaced(parsed, &file, key, "a section's `_index.md`"));
        }
    }
    let slug = match &parsed.meta.slug {
        Some(slug) => check_slug(slug).map_err(|help| {
            let line = parsed.key_line("slug");
            Diagnostic::error(
                "page/bad-slug",
                &file,
                format!("`{slug}` cannot be used as a slug"),
            )
            .at(line, 1)
            .width(line_width(parsed, line))
            .help(help)
        }),
        None => Ok(slugify(stem)).and_then(|s| {
            if s.is_empty() {
                Err(Diagnostic::error(
                    "page/bad-slug",
                    &file,
                    "this file name has no letters or digits to make an address from",
                )
                .at(1, 1)
                .width(3)
                .help("rename the file, or add a `slug:` line like `slug: does-it-hurt`"))
            } else if is_reserved(&s) {
                Err(Diagnostic::error(
                    "page/bad-slug",
                    &file,
                    format!("`{s}` cannot be a web address: Windows keeps that name for itself"),
                )
                .at(1, 1)
                .width(3)
                .help(format!(
                    "rename the file, or add a `slug:` line like `slug: {s}-page`"
                )))
            } else {
                Ok(s)
            }
        }),
    };
    let slug = slug.unwrap_or_else(|e| {
        errors.push(e);
        String::new()
    });
    let path = format!("{dir}{slug}/");
    let role = resolve_role(
        parsed,
        &file,
        section,
        (&slug, place.translation),
        &mut errors,
    );
    let role = case_role(rel, parsed, section, place.translation, &mut errors).unwrap_or(role);
    let common = resolve_common(rel, parsed, path, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let locations_line = parsed
        .meta
        .locations
        .as_ref()
        .map(|_| parsed.key_line("locations"));
    Ok((
        Page {
            common,
            section: 0,
            role,
        },
        locations_line,
    ))
}

/// `(slug, translation)`: a translated location page holds only words (see `location`).
fn resolve_role(
    parsed: &Parsed,
    file: &Path,
    section: &Section,
    (slug, translation): (&str, bool),
    errors: &mut Vec<Diagnostic>,
) -> Role {
    let meta = &parsed.meta;
    if section.kind != SectionKind::Faq {
        for key in FAQ_ONLY {
            if is_set(meta, key) {
                errors.push(misplaced(
                    parsed,
                    file,
                    key,
                    "FAQ entries (pages in a section with `kind: faq`)",
                ));
            }
        }
    }
    if section.kind != SectionKind::Locations && meta.location.is_some() {
        errors.push(misplaced(
            parsed,
            file,
            "location",
            "pages in a section with `kind: locations`",
        ));
    }
    match section.kind {
        SectionKind::Plain | SectionKind::Results => Role::Plain,
        SectionKind::Faq => {
            let category = resolve_category(parsed, file, &section.categories, errors);
            Role::Faq(Faq {
                category,
                summary: meta.summary.clone().unwrap_or_default(),
                locations: meta.locations.clone(),
            })
        }
        SectionKind::Locations if translation => {
            match location::words(meta.location.as_ref(), slug, parsed, file) {
                Ok(location) => Role::Location(Box::new(location)),
                Err(mut found) => {
                    errors.append(&mut found);
                    Role::Plain
                }
            }
        }
        SectionKind::Locations => {
            match &meta.location {
                Some(raw) => match location::resolve(raw, slug, parsed, file) {
                    Ok(location) => Role::Location(Box::new(location)),
                    Err(mut found) => {
                        errors.append(&mut found);
                        Role::Plain
                    }
                },
                None => {
                    errors.push(
                    Diagnostic::error(
                        "location/missing",
                        file,
                        "a location page needs a `location:` block",
                    )
                    .at(1, 1)
                    .width(3)
                    .help("add the address, phone and hours; see docs/staff.md, \"Add a location\""),
                );
                    Role::Plain
                }
            }
        }
    }
}

/// A page's case, when it is in a results section (see `results`); elsewhere the keys of a
/// case are errors.
fn case_role(
    rel: &str,
    parsed: &Parsed,
    section: &Section,
    translation: bool,
    errors: &mut Vec<Diagnostic>,
) -> Option<Role> {
    let file = content_path(rel);
    if section.kind != SectionKind::Results {
        for key in results::CASE_KEYS {
            if is_set(&parsed.meta, key) {
                errors.push(misplaced(
                    parsed,
                    &file,
                    key,
                    "a results case (a page in a section with `kind: results`)",
                ));
            }
        }
        return None;
    }
    let case = if translation {
        results::words(parsed, &file)
    } else {
        results::resolve(parsed, rel, &file)
    };
    match case {
        Ok(case) => Some(Role::Case(Box::new(case))),
        Err(mut found) => {
            errors.append(&mut found);
            None
        }
    }
}

fn resolve_category(
    parsed: &Parsed,
    file: &Path,
    categories: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let written = parsed.meta.category.as_deref()?;
    if categories.is_empty() {
        return None;
    }
    let found = categories.iter().position(|c| c == written);
    if found.is_none() {
        let line = parsed.key_line("category");
        let help = match nearest(written, categories.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "use one of the categories listed in this section's _index.md: {}",
                categories
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        errors.push(
            Diagnostic::error(
                "faq/unknown-category",
                file,
                format!("`{written}` is not one of this section's categories"),
            )
            .at(line, 1)
            .width(line_width(parsed, line))
            .help(help),
        );
    }
    found
}

fn resolve_common<'a>(
    rel: &str,
    parsed: &Parsed<'a>,
    path: String,
    errors: &mut Vec<Diagnostic>,
) -> Common<'a> {
    let RawFrontMatter {
        title,
        description,
        weight,
        date,
        updated,
        aliases,
        template,
        tags,
        extra,
        draft,
        reviewed_by,
        last_reviewed,
        review_fingerprint,
        image,
        ..
    } = &parsed.meta;
    let title = title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            errors.push(
                Diagnostic::error(
                    "page/missing-title",
                    content_path(rel),
                    "this page has no title",
                )
                .at(1, 1)
                .width(3)
                .help("add a line after the first `---`, like `title: Does microneedling hurt?`"),
            );
            String::new()
        });
    Common {
        draft: *draft,
        source: rel.to_string(),
        path,
        title,
        description: description.clone().unwrap_or_default(),
        weight: *weight,
        date: *date,
        updated: *updated,
        alias_lines: aliases
            .iter()
            .map(|a| (a.clone(), value_line(parsed, "aliases", a)))
            .collect(),
        aliases: aliases.clone(),
        // Looking a key's line up reads the header again: only for a key that is there.
        template_line: match template {
            Some(_) => parsed.key_line("template"),
            None => 1,
        },
        template: template.clone(),
        tags: tags.clone(),
        extra: extra.clone().map_or(yaml::Value::Null, |e| e.0),
        body: parsed.body,
        body_line: parsed.body_line,
        lang: String::new(),
        translation_key: rel.to_string(),
        translated_from: parsed
            .meta
            .translated_from
            .clone()
            .map(|t| (t, parsed.key_line("translated_from"))),
        review: Review {
            reviewed_by: reviewed_by.clone().unwrap_or_default(),
            last_reviewed: *last_reviewed,
            fingerprint: review_fingerprint
                .clone()
                .map(|f| (f, parsed.key_line("review_fingerprint"))),
        },
        image: image
            .as_ref()
            .and_then(|image| lead_image(rel, parsed, image, errors)),
    }
}

/// Gives every translated location page its original's facts; a translation without an
/// original in the default language is an error.
fn share_location_facts(pages: &mut [Page], default: &str, findings: &mut Vec<Diagnostic>) {
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
            None => {
                let file = content_path(&page.common.source);
                let original = location::original_of(&file);
                findings.push(
                    Diagnostic::error(
                        "location/no-original",
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

/// Finds the photos of every case written in the default language, then gives every
/// translated case its original's photos and consent; a translation without an original is
/// an error. A case whose photo is missing (an error already) is shown in no list and
/// rendered as a plain page, so its template reports nothing more.
fn share_case_facts(
    pages: &mut [Page],
    sections: &mut [Section],
    default: &str,
    asset_paths: &HashMap<String, String>,
    findings: &mut Vec<Diagnostic>,
) {
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
            Some(None) => {
                page.role = Role::Plain;
                broken.push(index);
            }
            None => {
                let file = content_path(&page.common.source);
                let original = location::original_of(&file);
                findings.push(
                    Diagnostic::error(
                        "results/no-original",
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

/// `image:` with its `src` read as a file beside the page (`/` for one at the site's root):
/// the content path for now, which `place_lead_images` turns into the output path.
fn lead_image(
    rel: &str,
    parsed: &Parsed,
    image: &crate::frontmatter::RawImage,
    errors: &mut Vec<Diagnostic>,
) -> Option<LeadImage> {
    let line = parsed.key_line("image");
    if crate::assets::markup::Alt::of(&image.alt) == crate::assets::markup::Alt::Missing {
        errors.push(
            Diagnostic::error("content/image-alt", content_path(rel), "the page's `image:` has no alt text")
                .at(line, 1)
                .width(line_width(parsed, line))
                .help("add `alt:` describing the picture, like `image: { src: front-desk.jpg, alt: \"The front desk of our Kendall office\" }`"),
        );
    }
    let src = image.src.trim();
    let (path, from_root) = match src.strip_prefix('/') {
        Some(path) => (path.to_string(), true),
        None => (format!("{}{src}", parent_dir(rel)), false),
    };
    Some(LeadImage {
        path,
        alt: image.alt.clone(),
        from_root,
        line,
    })
}

/// Finds the file each `image:` names among the published files: its output path, or an
/// error on the `image:` line.
fn place_lead_images<'a>(
    sections: &mut [Section<'a>],
    pages: &mut [Page<'a>],
    asset_paths: &HashMap<String, String>,
    findings: &mut Vec<Diagnostic>,
) {
    let commons = sections
        .iter_mut()
        .map(|s| &mut s.common)
        .chain(pages.iter_mut().map(|p| &mut p.common));
    for common in commons {
        let Some(image) = &mut common.image else {
            continue;
        };
        let output = if image.from_root {
            asset_paths.values().find(|p| **p == image.path).cloned()
        } else {
            asset_paths.get(&image.path).cloned()
        };
        match output {
            Some(output) => image.path = output,
            None => {
                let written = file_name(&image.path);
                let help = match asset_paths.keys().find(|rel| rel.eq_ignore_ascii_case(&image.path)) {
                    Some(rel) => format!("the file is named `{}`: write the name with the same capital and small letters (web hosts treat them as two different files)", file_name(rel)),
                    None => "put the photo in the page's own folder (`about/index.md` with `about/photo.jpg` beside it) and write its file name, like `src: photo.jpg`".to_string(),
                };
                findings.push(
                    Diagnostic::error(
                        "content/image-missing",
                        content_path(&common.source),
                        format!("`image:` names `{written}`, which is not in the site"),
                    )
                    .at(image.line, 1)
                    .help(help),
                );
                common.image = None;
            }
        }
    }
}

fn check_location_slugs(
    pages: &[Page],
    faq_locations: &[(usize, usize)],
    findings: &mut Vec<Diagnostic>,
) {
    let known: Vec<&str> = pages
        .iter()
        .filter_map(|p| match &p.role {
            Role::Location(l) => Some(l.slug.as_str()),
            _ => None,
        })
        .collect();
    for &(index, line) in faq_locations {
        let Role::Faq(faq) = &pages[index].role else {
            continue;
        };
        for slug in faq.locations.iter().flatten() {
            if !known.contains(&slug.as_str()) {
                let help = match nearest(slug, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => "the site has no location pages yet: remove this line, or add pages in a section whose `_index.md` says `kind: locations`".into(),
                    None => format!("use the file names of location pages: {}", known.join(", ")),
                };
                findings.push(
                    Diagnostic::error(
                        "faq/unknown-location",
                        content_path(&pages[index].common.source),
                        format!("there is no location `{slug}`"),
                    )
                    .at(line, 1)
                    .help(help),
                );
            }
        }
    }
}

/// Every section and page with its shared front matter, sections first.
fn commons<'s, 'a>(
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

/// Gives every page and section its URL; two files wanting one URL is an error naming both.
fn claim_paths(
    sections: &[Section],
    pages: &[Page],
    findings: &mut Vec<Diagnostic>,
) -> FxHashMap<String, Target> {
    let mut by_path: FxHashMap<String, Target> = FxHashMap::default();
    let claims = commons(sections, pages);
    let mut owners: HashMap<String, &str> = HashMap::new();
    for (target, common) in claims {
        match owners.get(&common.path) {
            Some(first) => findings.push(
                Diagnostic::error(
                    "site/duplicate-url",
                    content_path(&common.source),
                    format!(
                        "this page and content/{first} both want the address /{}",
                        common.path
                    ),
                )
                .at(1, 1)
                .width(3)
                .help("give one of them a different `slug:` or file name"),
            ),
            None => {
                owners.insert(common.path.clone(), &common.source);
                by_path.insert(common.path.clone(), target);
            }
        }
    }
    by_path
}

/// Sorts each section's pages and subsections by weight, then title, then address.
fn order(sections: &mut [Section], pages: &[Page]) {
    let key = |c: &Common| {
        (
            c.weight.unwrap_or(i64::MAX),
            c.title.to_lowercase(),
            c.path.clone(),
        )
    };
    for (index, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(index);
    }
    let children: Vec<(usize, usize)> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.parent.map(|p| (p, i)))
        .collect();
    for (parent, child) in children {
        sections[parent].subsections.push(child);
    }
    let commons: Vec<_> = sections.iter().map(|s| key(&s.common)).collect();
    for section in sections.iter_mut() {
        section.pages.sort_by_cached_key(|&i| key(&pages[i].common));
        section.subsections.sort_by_key(|&i| commons[i].clone());
    }
}

/// Content files that are not markdown are copied: beside their page for bundles, to the
/// same place otherwise.
fn place_assets(
    content: &Content,
    pages: &[Page],
    by_source: &HashMap<String, Target>,
) -> (Vec<(AssetFile, String)>, HashMap<String, String>) {
    let mut placed = Vec::new();
    let mut paths = HashMap::new();
    for asset in &content.assets {
        let mut output = asset.rel.clone();
        let mut dir = parent_dir(&asset.rel);
        let mut inner = file_name(&asset.rel).to_string();
        // Walk up to find a bundle (`name/index.md`) the file belongs to.
        while !dir.is_empty() {
            if let Some(Target::Page(index)) = by_source.get(&format!("{dir}index.md")) {
                output = format!("{}{inner}", pages[*index].common.path);
                break;
            }
            let trimmed = dir.trim_end_matches('/');
            inner = format!("{}/{inner}", file_name(trimmed));
            dir = parent_dir(trimmed);
        }
        paths.insert(asset.rel.clone(), output.clone());
        placed.push((asset.clone(), output));
    }
    (placed, paths)
}

/// The section a file in `dir` belongs to, in the same language: the nearest folder up with an
/// `_index` in that language. `Err(folder)` when a folder on the way has a section in the
/// default language only (its translation is missing).
fn nearest_section(
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

/// `faq/pain.md` -> (`faq/`, `pain`); bundles `faq/results/index.md` -> (`faq/`, `results`).
fn page_dir_and_stem(rel: &str) -> (String, String) {
    let dir = parent_dir(rel);
    let name = file_name(rel);
    if name == "index.md" && !dir.is_empty() {
        let trimmed = dir.trim_end_matches('/');
        return (parent_dir(trimmed), file_name(trimmed).to_string());
    }
    (dir, name.trim_end_matches(".md").to_string())
}

/// `faq/pain.md` -> `faq/`; `pain.md` -> ``.
pub fn parent_dir(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..=i].to_string(),
        None => String::new(),
    }
}

/// The last part of a `/` path: `faq/photo.jpg` -> `photo.jpg`.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

pub fn content_path(rel: &str) -> PathBuf {
    Path::new("content").join(rel)
}

fn is_set(meta: &RawFrontMatter, key: &str) -> bool {
    match key {
        "kind" => meta.kind.is_some(),
        "categories" => meta.categories.is_some(),
        "category" => meta.category.is_some(),
        "summary" => meta.summary.is_some(),
        "locations" => meta.locations.is_some(),
        "location" => meta.location.is_some(),
        "slug" => meta.slug.is_some(),
        "typical_results" => meta.typical_results.is_some(),
        "treatment" => meta.treatment.is_some(),
        "area" => meta.area.is_some(),
        "interval" => meta.interval.is_some(),
        "sessions" => meta.sessions.is_some(),
        "before" => meta.before.is_some(),
        "after" => meta.after.is_some(),
        "retouched" => meta.retouched.is_some(),
        "consent" => meta.consent.is_some(),
        _ => false,
    }
}

fn misplaced(parsed: &Parsed, file: &Path, key: &str, fits: &str) -> Diagnostic {
    Diagnostic::error(
        "frontmatter/misplaced-key",
        file,
        format!("`{key}` does not belong on this page"),
    )
    .at(parsed.key_line(key), 1)
    .width(key.len())
    .help(format!(
        "`{key}` is only for {fits}; remove the line or move the file"
    ))
}

/// The file line holding `value` at or after `key:` (the key's line when not found).
fn value_line(parsed: &Parsed, key: &str, value: &str) -> usize {
    let key_line = parsed.key_line(key);
    let start = key_line.saturating_sub(parsed.yaml_line);
    parsed
        .yaml
        .lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains(value))
        .map_or(key_line, |(i, _)| parsed.yaml_line + i)
}

fn line_width(parsed: &Parsed, line: usize) -> usize {
    let index = line.saturating_sub(parsed.yaml_line);
    parsed
        .yaml
        .lines()
        .nth(index)
        .map_or(1, |l| l.chars().count())
}

/// A file name made into an address part: lower case letters, digits and hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty()
            && !slug.ends_with('-')
            && (c.is_whitespace() || "-_./".contains(c))
        {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The letters Spanish and French add, without their accents.
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// A slug written in front matter must already be a clean address part.
fn check_slug(slug: &str) -> Result<String, String> {
    let clean = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.is_empty()
        && !slug.starts_with('-');
    if clean && !is_reserved(slug) {
        return Ok(slug.to_string());
    }
    let suggestion = slugify(slug);
    Err(if is_reserved(&suggestion) {
        format!(
            "Windows keeps the name `{suggestion}` for itself, so the site could not be copied to a Windows computer or server; use another, like `slug: {suggestion}-page`"
        )
    } else if suggestion.is_empty() {
        "use lower-case letters, digits and hyphens, like `slug: does-it-hurt`".to_string()
    } else {
        format!("use lower-case letters, digits and hyphens: `slug: {suggestion}`")
    })
}

/// Names Windows keeps for devices (`con`, `nul`, `com1`…): a folder so named cannot be
/// copied to a Windows computer or server.
fn is_reserved(slug: &str) -> bool {
    let lower = slug.to_ascii_lowercase();
    matches!(lower.as_str(), "con" | "prn" | "aux" | "nul")
        || ["com", "lpt"].iter().any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Does It Hurt?"), "does-it-hurt");
        assert_eq!(slugify("¿Duele el microagujado?"), "duele-el-microagujado");
        assert_eq!(slugify("a__b"), "a-b");
        assert!(check_slug("ok-1").is_ok());
        for bad in [
            "../x", "a/b", "a\\b", "a\0b", "con", "com9", "lpt1", "", "Big",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bundle_and_page_paths() {
        assert_eq!(
            page_dir_and_stem("faq/pain.md"),
            ("faq/".into(), "pain".into())
        );
        assert_eq!(
            page_dir_and_stem("faq/results/index.md"),
            ("faq/".into(), "results".into())
        );
        assert_eq!(page_dir_and_stem("about.md"), ("".into(), "about".into()));
    }
}
