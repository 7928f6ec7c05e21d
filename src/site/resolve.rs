//! Resolving front matter: one parsed file's raw front matter in, its `Section` or `Page`
//! (per-kind metadata, keys that do not fit reported) out.

use std::path::Path;

use super::paths::{content_path, parent_dir};
use super::slug::{check_slug, is_reserved, slugify};
use super::{Common, Faq, LeadImage, Page, Review, Role, Section, SourceFile};
use crate::diagnostics::{Code, Diagnostic, nearest};
use crate::frontmatter::{Parsed, RawFrontMatter, SectionKind};
use crate::location;
use crate::results;

/// Keys that only fit some kinds of file, and the kinds they fit.
const SECTION_ONLY: &[&str] = &["kind", "categories"];
const FAQ_ONLY: &[&str] = &["category", "summary", "locations"];

/// Resolves a section's `_index.md`. A section with errors is still placed (with what could be
/// read), so the errors of its pages are found in the same run instead of their keys being
/// reported as out of place in the section above.
pub(super) fn resolve_section<'a>(
    source: &SourceFile,
    parsed: &Parsed<'a>,
    dir: &str,
) -> (Section<'a>, Vec<Diagnostic>) {
    let file = content_path(&source.rel);
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
    let common = resolve_common(source, parsed, dir.to_string(), false, &mut errors);
    let section = Section {
        common,
        kind,
        categories,
        typical_results,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
    };
    (section, errors)
}

/// Where a page goes: its folder's address, its file name without `.md` and language,
/// whether it is a translation (not in the default language) and its section.
pub(super) struct Place {
    pub(super) dir: String,
    pub(super) stem: String,
    pub(super) translation: bool,
    pub(super) section: usize,
}

/// A page resolved from its front matter, with the errors found on the way.
pub(super) struct Resolved<'a> {
    pub(super) page: Page<'a>,
    /// The line of `locations:`, for later checks.
    pub(super) locations_line: Option<usize>,
    /// Errors that leave the page an address and a role (an unknown category, a key out of
    /// place): the page is placed all the same, so its text is checked in the same run, and
    /// the errors stop the build.
    pub(super) errors: Vec<Diagnostic>,
}

/// Resolves a page's front matter (`section` is the one `place` names). `Err` when the page
/// cannot be placed: it has no address (a bad slug), or it is a results case with errors
/// (its photos must never be placed).
pub(super) fn resolve_page<'a>(
    source: &SourceFile,
    parsed: &Parsed<'a>,
    place: &Place,
    section: &Section,
) -> Result<Resolved<'a>, Vec<Diagnostic>> {
    let Place { dir, stem, .. } = place;
    let file = content_path(&source.rel);
    let mut errors = Vec::new();
    for key in SECTION_ONLY.iter().chain(&["typical_results"]) {
        if is_set(&parsed.meta, key) {
            errors.push(misplaced(parsed, &file, key, "a section's `_index.md`"));
        }
    }
    let (slug, slug_error) = resolve_slug(parsed, &file, stem);
    errors.extend(slug_error);
    let addressless = slug.is_none();
    let slug = slug.unwrap_or_default();
    let mut path = String::with_capacity(dir.len() + slug.len() + 1);
    path.push_str(dir);
    path.push_str(&slug);
    path.push('/');
    let role = resolve_role(
        parsed,
        &file,
        section,
        (&slug, place.translation),
        &mut errors,
    );
    let role =
        case_role(&source.rel, parsed, section, place.translation, &mut errors).unwrap_or(role);
    // A page in a draft section is a draft too.
    let draft = section.common.draft;
    let common = resolve_common(source, parsed, path, draft, &mut errors);
    if addressless || section.kind == SectionKind::Results && !errors.is_empty() {
        return Err(errors);
    }
    let locations_line = parsed
        .meta
        .locations
        .as_ref()
        .map(|_| parsed.key_line("locations"));
    Ok(Resolved {
        page: Page {
            common,
            section: place.section,
            role,
        },
        locations_line,
        errors,
    })
}

/// The page's slug: `slug:` as written, else its file name's. A written slug that cannot be
/// used is an error, and the file name's stands in for it so the page is still placed (and its
/// text checked); `None` when neither can be used.
fn resolve_slug(parsed: &Parsed, file: &Path, stem: &str) -> (Option<String>, Option<Diagnostic>) {
    let from_name = name_slug(file, stem);
    let Some(written) = &parsed.meta.slug else {
        return match from_name {
            Ok(slug) => (Some(slug), None),
            Err(error) => (None, Some(error)),
        };
    };
    match check_slug(written) {
        Ok(slug) => (Some(slug), None),
        Err(help) => {
            let line = parsed.key_line("slug");
            let error = Diagnostic::new(
                Code::PageBadSlug,
                file,
                format!("`{written}` cannot be used as a slug"),
            )
            .at(line, 1)
            .width(line_width(parsed, line))
            .help(help);
            (from_name.ok(), Some(error))
        }
    }
}

/// The slug the file name `stem` makes, or why it makes none.
fn name_slug(file: &Path, stem: &str) -> Result<String, Diagnostic> {
    let slug = slugify(stem);
    if slug.is_empty() {
        Err(Diagnostic::new(
            Code::PageBadSlug,
            file,
            "this file name has no letters or digits to make an address from",
        )
        .at(1, 1)
        .width(3)
        .help("rename the file, or add a `slug:` line like `slug: does-it-hurt`"))
    } else if is_reserved(&slug) {
        Err(Diagnostic::new(
            Code::PageBadSlug,
            file,
            format!("`{slug}` cannot be a web address: Windows keeps that name for itself"),
        )
        .at(1, 1)
        .width(3)
        .help(format!(
            "rename the file, or add a `slug:` line like `slug: {slug}-page`"
        )))
    } else {
        Ok(slug)
    }
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
            let category = resolve_category(parsed, file, section, errors);
            Role::Faq(Faq {
                category,
                summary: meta.summary.clone().unwrap_or_default(),
                locations: meta.locations.clone(),
            })
        }
        SectionKind::Locations if translation => {
            match location::words(meta.location.as_deref(), slug, parsed, file) {
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
                    Diagnostic::new(
                        Code::LocationMissing,
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
    if section.kind != SectionKind::Results {
        for key in results::CASE_KEYS {
            if is_set(&parsed.meta, key) {
                errors.push(misplaced(
                    parsed,
                    &content_path(rel),
                    key,
                    "a results case (a page in a section with `kind: results`)",
                ));
            }
        }
        return None;
    }
    let file = content_path(rel);
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
    section: &Section,
    errors: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let categories = &section.categories;
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
                "use one of the categories listed in content/{}: {}",
                section.common.source,
                categories
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        errors.push(
            Diagnostic::new(
                Code::FaqUnknownCategory,
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

/// `in_draft`: the file is in a draft section, so it is a draft too.
fn resolve_common<'a>(
    source: &SourceFile,
    parsed: &Parsed<'a>,
    path: String,
    in_draft: bool,
    errors: &mut Vec<Diagnostic>,
) -> Common<'a> {
    let rel = source.rel.as_str();
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
                Diagnostic::new(
                    Code::PageMissingTitle,
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
        draft: *draft || in_draft,
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
        extra: extra.as_ref().map(|e| Box::new(e.0.clone())),
        body: parsed.body,
        body_line: parsed.body_line,
        lang: source.lang.clone(),
        translation_key: source.key.clone(),
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
            .and_then(|image| lead_image(rel, parsed, image, errors))
            .map(Box::new),
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
            Diagnostic::new(Code::ContentImageAlt, content_path(rel), "the page's `image:` has no alt text")
                .at(line, 1)
                .width(line_width(parsed, line))
                .help("add `alt:` describing the picture, like `image: { src: front-desk.jpg, alt: \"The front desk of our Kendall office\" }`"),
        );
    }
    let src = image.src.trim();
    // No `src:` (a translation's `image: { alt: "…" }`): the path stays empty until
    // `share_lead_images` gives it its original's.
    let (path, from_root) = match src.strip_prefix('/') {
        _ if src.is_empty() => (String::new(), false),
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
    Diagnostic::new(
        Code::FrontmatterMisplacedKey,
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
