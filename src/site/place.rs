//! Placing: every parsed file in, the `Site` out (sections, pages, URLs claimed, order,
//! copied files, lead images, translations grouped), with the findings on the way.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::bundles::place_assets;
use super::languages::{
    SectionIndex, add_missing_homes, make_default_home_first, nearest_section, prefix,
    split_language,
};
use super::pages::{Among, Decision, decide};
use super::paths::{content_path, file_name, parent_dir};
use super::resolve::resolve_section;
use super::translated::{
    CaseFiles, commons, group_translations, share_case_facts, share_lead_images,
    share_location_facts,
};
use super::{Common, Options, Page, Role, Section, Site, SourceFile, Target};
use crate::diagnostics::{Code, Diagnostic, nearest};
use crate::frontmatter::{FrontMatters, Parsed};
use crate::results;
use crate::source::Content;

/// A site with every page at its address, not yet rendered: what `render` renders and
/// `check` reads, kept even when the site has errors.
#[derive(Debug)]
pub struct Placed<'a> {
    pub site: Site<'a>,
    /// The front matter of every markdown file that has readable front matter, by path
    /// relative to `content/`.
    pub front_matter: FrontMatters<'a>,
    /// What was found on the way (`pipeline::place` adds what reading found first).
    pub findings: Vec<Diagnostic>,
}

/// Places every parsed file. `parsed` holds, per markdown file of `content`, its parse result
/// (`None` when it had errors, already reported).
pub fn place<'a>(
    content: &Content,
    parsed: Vec<(String, Option<Parsed<'a>>)>,
    site_title: &str,
    options: &Options,
) -> Placed<'a> {
    let placed = place_parsed(content, &parsed, site_title, options);
    let front_matter = parsed
        .into_iter()
        .filter_map(|(rel, parsed)| Some((rel, parsed?)))
        .collect();
    Placed {
        front_matter,
        ..placed
    }
}

fn place_parsed<'a>(
    content: &Content,
    parsed: &[(String, Option<Parsed<'a>>)],
    site_title: &str,
    options: &Options,
) -> Placed<'a> {
    let mut findings = Vec::new();
    let mut by_source = FxHashMap::with_capacity_and_hasher(parsed.len(), Default::default());
    let default = options
        .languages
        .first()
        .cloned()
        .unwrap_or_else(|| "en".into());
    let mut files = Vec::with_capacity(parsed.len());
    let languages: Vec<_> = parsed
        .par_iter()
        .map(|(rel, _)| split_language(rel, &options.languages))
        .collect();
    for ((rel, parsed), language) in parsed.iter().zip(languages) {
        match language {
            Ok((key, lang)) => files.push(SourceFile {
                rel: rel.clone(),
                key,
                lang,
                parsed: parsed.as_ref(),
            }),
            Err(finding) => {
                findings.push(finding);
                by_source.insert(rel.clone(), Target::Unavailable);
            }
        }
    }
    let (section_files, page_files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|file| file_name(&file.key) == "_index.md");

    // Sections first: pages find their section by folder and language.
    let mut sections: Vec<Section<'a>> = Vec::new();
    let mut section_by_dir: SectionIndex = BTreeMap::new();
    let mut hidden_dirs: Vec<(String, String)> = Vec::new();
    for file in &section_files {
        let dir = parent_dir(&file.key);
        let Some(parsed) = file.parsed else {
            by_source.insert(file.rel.clone(), Target::Unavailable);
            continue;
        };
        if parsed.meta.draft && !options.drafts {
            // A draft home page is left out like a missing one: a plain stand-in home takes
            // its place (`add_missing_homes`) and the language's pages are published. Only a
            // draft section below the home keeps its pages back.
            if !dir.is_empty() {
                hidden_dirs.push((file.lang.clone(), dir));
            }
            by_source.insert(file.rel.clone(), Target::Draft);
            continue;
        }
        let path = format!("{}{dir}", prefix(&file.lang, &default));
        let (section, mut errors) = resolve_section(file, parsed, &path);
        findings.append(&mut errors);
        by_source.insert(file.rel.clone(), Target::Section(sections.len()));
        section_by_dir.insert((file.lang.clone(), dir), sections.len());
        sections.push(section);
    }
    // A draft left out does not give its language a home page.
    let published = page_files.iter().filter(|file| {
        let draft = file.parsed.is_some_and(|parsed| parsed.meta.draft)
            || hidden_dirs
                .iter()
                .any(|(lang, dir)| *lang == file.lang && file.key.starts_with(dir.as_str()));
        options.drafts || !draft
    });
    add_missing_homes(
        &mut sections,
        &mut section_by_dir,
        published.map(|file| file.lang.as_str()),
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
    // Cases with errors of their own: their photos' file names are checked too, below.
    let mut broken_cases: Vec<(&str, &Parsed)> = Vec::new();
    // By the key of each page in the default language, borrowed from the list of pages.
    let mut originals: FxHashMap<&str, &Parsed> =
        FxHashMap::with_capacity_and_hasher(page_files.len(), Default::default());
    originals.extend(
        page_files
            .iter()
            .filter(|f| f.lang == default)
            .filter_map(|f| Some((f.key.as_str(), f.parsed?))),
    );
    let among = Among {
        sections: &sections,
        section_by_dir: &section_by_dir,
        hidden_dirs: &hidden_dirs,
        originals: &originals,
        options,
        default: &default,
    };
    // Each page on its own, in parallel; then numbered in order.
    let decisions: Vec<Decision<'a>> = page_files
        .par_iter()
        .map(|file| decide(file, &among))
        .collect();
    for (file, decision) in page_files.iter().zip(decisions) {
        let target = match decision {
            Decision::Draft => Target::Draft,
            Decision::Withheld(case) => {
                withheld.push(case);
                Target::Draft
            }
            Decision::Unavailable(finding) => {
                findings.extend(finding);
                Target::Unavailable
            }
            Decision::Broken { mut errors, case } => {
                findings.append(&mut errors);
                if let (true, Some(parsed)) = (case, file.parsed) {
                    broken_cases.push((&file.rel, parsed));
                }
                Target::Unavailable
            }
            Decision::Placed(page, locations_line, mut errors) => {
                findings.append(&mut errors);
                if let (Role::Faq(faq), Some(line)) = (&page.role, locations_line)
                    && faq.locations.is_some()
                {
                    faq_locations.push((pages.len(), line));
                }
                pages.push(page);
                Target::Page(pages.len() - 1)
            }
        };
        by_source.insert(file.rel.clone(), target);
    }
    share_location_facts(&mut pages, (&default, &by_source), &mut findings);
    check_location_slugs(&pages, &faq_locations, &mut findings);

    let by_path = claim_paths(&sections, &pages, &mut findings);
    order(&mut sections, &pages);
    // Nothing of a draft or a withheld case is published: its photos stay behind with it.
    let (assets, asset_paths) = place_assets(content, &pages, &by_source);
    place_lead_images(&mut sections, &mut pages, &asset_paths, &mut findings);
    share_lead_images(&mut sections, &mut pages, &default, &mut findings);
    for (rel, parsed) in broken_cases {
        let file = content_path(rel);
        findings.append(&mut results::check_photo_names(
            parsed,
            rel,
            &asset_paths,
            &file,
        ));
    }
    let cases = CaseFiles {
        default: &default,
        asset_paths: &asset_paths,
        by_source: &by_source,
    };
    share_case_facts(&mut pages, &mut sections, &cases, &mut findings);
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
    Placed {
        site,
        front_matter: FrontMatters::default(),
        findings,
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
        // `image: { alt: "…" }` in a translation: its original's photo (`share_lead_images`).
        let Some(image) = common.image.as_mut().filter(|i| !i.path.is_empty()) else {
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
                    Diagnostic::new(
                        Code::ContentImageMissing,
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
                    Diagnostic::new(
                        Code::FaqUnknownLocation,
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

/// Gives every page and section its URL; two files wanting one URL is an error naming both.
fn claim_paths(
    sections: &[Section],
    pages: &[Page],
    findings: &mut Vec<Diagnostic>,
) -> FxHashMap<String, Target> {
    // Sized for every page at once, the addresses claimed borrowed from the pages.
    let all = sections.len() + pages.len();
    let mut by_path: FxHashMap<String, Target> =
        FxHashMap::with_capacity_and_hasher(all, Default::default());
    let claims = commons(sections, pages);
    let mut owners: FxHashMap<&str, &str> =
        FxHashMap::with_capacity_and_hasher(all, Default::default());
    for (target, common) in claims {
        match owners.get(common.path.as_str()) {
            Some(first) => findings.push(
                Diagnostic::new(
                    Code::SiteDuplicateUrl,
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
                owners.insert(&common.path, &common.source);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Data;

    fn content(pages: &[(&str, &str)]) -> Content {
        Content::in_memory(
            pages
                .iter()
                .map(|(rel, text)| (rel.to_string(), text.to_string())),
            Vec::<(String, Data)>::new(),
        )
    }

    fn parse_all(content: &Content) -> Vec<(String, Option<Parsed<'_>>)> {
        content
            .pages
            .iter()
            .map(|file| {
                let parsed = crate::frontmatter::parse(&file.text, &content_path(&file.rel));
                (file.rel.clone(), parsed.ok())
            })
            .collect()
    }

    fn options(languages: &[&str], drafts: bool) -> Options {
        Options {
            drafts,
            languages: languages.iter().map(|l| l.to_string()).collect(),
            consents: Default::default(),
        }
    }

    fn page_of<'s>(site: &'s Site, rel: &str) -> &'s Page<'s> {
        match site.by_source[rel] {
            Target::Page(i) => &site.pages[i],
            other => panic!("{rel} is {other:?}"),
        }
    }

    #[test]
    fn sections_pages_and_translations_are_placed() {
        let content = content(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("_index.es.md", "---\ntitle: Inicio\n---\n"),
            ("faq/_index.md", "---\ntitle: FAQ\nkind: faq\n---\n"),
            (
                "faq/_index.es.md",
                "---\ntitle: Preguntas\nkind: faq\n---\n",
            ),
            (
                "faq/pain.md",
                "---\ntitle: Does it hurt?\nsummary: A little.\n---\nText.\n",
            ),
            (
                "faq/pain.es.md",
                "---\ntitle: ¿Duele?\nsummary: Un poco.\n---\nTexto.\n",
            ),
        ]);
        let parsed = parse_all(&content);
        let Placed { site, findings, .. } =
            place(&content, parsed, "Clinic", &options(&["en", "es"], false));
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(site.sections[0].common.source, "_index.md");

        let spanish = page_of(&site, "faq/pain.es.md");
        assert_eq!(spanish.common.path, "es/faq/pain/");
        assert_eq!(spanish.common.lang, "es");
        assert_eq!(spanish.common.translation_key, "faq/pain.md");
        assert_eq!(
            site.sections[spanish.section].common.source,
            "faq/_index.es.md"
        );
        assert!(matches!(&spanish.role, Role::Faq(faq) if faq.summary == "Un poco."));

        let english = site.by_source["faq/pain.md"];
        assert_eq!(site.by_path["faq/pain/"], english);
        assert_eq!(
            site.translations_of(english),
            [english, site.by_source["faq/pain.es.md"]]
        );
        let faq = &site.sections[page_of(&site, "faq/pain.md").section];
        assert_eq!(faq.common.path, "faq/");
        assert_eq!(faq.pages.len(), 1);
    }

    #[test]
    fn each_language_without_a_home_page_gets_a_stand_in() {
        let content = content(&[
            ("about.md", "---\ntitle: About\n---\n"),
            ("about.es.md", "---\ntitle: Nosotros\n---\n"),
        ]);
        let parsed = parse_all(&content);
        let Placed { site, findings, .. } =
            place(&content, parsed, "Clinic", &options(&["en", "es"], false));
        assert!(findings.is_empty(), "{findings:?}");
        let homes: Vec<(&str, &str, &str, &str)> = site
            .sections
            .iter()
            .map(|s| {
                let c = &s.common;
                (
                    c.source.as_str(),
                    c.path.as_str(),
                    c.lang.as_str(),
                    c.title.as_str(),
                )
            })
            .collect();
        assert_eq!(
            homes,
            [
                ("_index.md", "", "en", "Clinic"),
                ("_index.es.md", "es/", "es", "Clinic")
            ]
        );
        assert_eq!(page_of(&site, "about.es.md").common.path, "es/about/");
        assert_eq!(page_of(&site, "about.es.md").section, 1);
    }

    #[test]
    fn a_draft_section_leaves_its_pages_out_or_makes_them_drafts() {
        let content = content(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("news/_index.md", "---\ntitle: News\ndraft: true\n---\n"),
            ("news/new.md", "---\ntitle: New\n---\n"),
        ]);
        let parsed = parse_all(&content);
        let Placed { site, .. } =
            place(&content, parsed.clone(), "Clinic", &options(&["en"], false));
        assert_eq!(site.by_source["news/_index.md"], Target::Draft);
        assert_eq!(site.by_source["news/new.md"], Target::Draft);
        assert!(site.pages.is_empty());

        let Placed { site, .. } = place(&content, parsed, "Clinic", &options(&["en"], true));
        let page = page_of(&site, "news/new.md");
        assert!(page.common.draft, "a page in a draft section is a draft");
        assert_eq!(site.sections[page.section].common.source, "news/_index.md");
    }

    #[test]
    fn two_files_wanting_one_address_are_both_named() {
        let content = content(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("a.md", "---\ntitle: A\nslug: b\n---\n"),
            ("b.md", "---\ntitle: B\n---\n"),
        ]);
        let parsed = parse_all(&content);
        let Placed { findings, .. } = place(&content, parsed, "Clinic", &options(&["en"], false));
        let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::SiteDuplicateUrl]);
        let named = format!("{} {}", findings[0].file.display(), findings[0].message);
        assert!(named.contains("a.md") && named.contains("b.md"), "{named}");
    }

    #[test]
    fn a_language_the_site_does_not_have_is_a_finding() {
        let content = content(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("about.fr.md", "---\ntitle: À propos\n---\n"),
        ]);
        let parsed = parse_all(&content);
        let Placed { site, findings, .. } =
            place(&content, parsed, "Clinic", &options(&["en", "es"], false));
        assert_eq!(site.by_source["about.fr.md"], Target::Unavailable);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].file.ends_with("about.fr.md"));
    }
}
