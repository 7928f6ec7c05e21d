//! Placing: every parsed file in, the `Site` out (sections, pages, URLs claimed, order,
//! copied files, lead images, translations grouped), with the findings on the way.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use super::languages::{
    SectionIndex, add_missing_homes, make_default_home_first, nearest_section, prefix,
    split_language, untranslated_section,
};
use super::paths::{content_path, file_name, page_dir_and_stem, parent_dir};
use super::resolve::{Place, resolve_page, resolve_section};
use super::{Common, Options, Page, Role, Section, Site, Target};
use crate::diagnostics::{Diagnostic, nearest};
use crate::frontmatter::Parsed;
use crate::location::{self, Location};
use crate::source::{AssetFile, Content};

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
    let (assets, asset_paths) = place_assets(content, &pages, &by_source);
    place_lead_images(&mut sections, &mut pages, &asset_paths, &mut findings);
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
    };
    (site, findings)
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
