//! New files: `init` (a whole starter site) and `new faq` (one FAQ entry with every field
//! laid out and explained).

use std::fs;
use std::path::{Path, PathBuf};

use crate::check::content_rules::PLACEHOLDER_TEXT;
use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::frontmatter::{self, SectionKind};
use crate::site::slugify;
use crate::source::{self, DEFAULT_THEME};

const SITE_YAML: &str = r#"# Settings for the whole site. Lines starting with # are notes and are ignored.
title: My Clinic
tagline: Plain answers about our treatments
description: Plain answers to common questions about our treatments and locations.
# The address the site will be published at.
base_url: https://www.example.com/
language: en
# The look of the site: a folder in themes/ (clinic is built in).
theme: clinic
# The main phone number for booking.
phone: "305-555-0100"
"#;

const HOME: &str = "---\ntitle: Welcome\ndescription: Plain answers about our treatments, written for patients.\n---\nWrite a short welcome here: what the clinic does and who it helps.\n";

const FAQ_SECTION: &str = "---\ntitle: Questions and answers\ndescription: Answers to the questions patients ask us most often, in plain words.\nkind: faq\ncategories:\n  - About the treatment\n  - Comfort and recovery\n---\nA short introduction to the questions below.\n";

/// The starter FAQ entry; `{today}` becomes the day `init` ran. It is published (so the new
/// site shows how an answer looks), so it passes `build`'s gate: no sample text of `new faq`,
/// and a review (to be redone by the clinic's own reviewer) dated the day it was written.
const FAQ_ENTRY: &str = "---\ntitle: What is this treatment?\ndescription: A short, plain explanation of what the treatment is and who it is for.\ncategory: About the treatment\nsummary: One or two plain sentences that answer the question.\n# Your medical reviewer checks each answer; record it with: clinicsite review content/faq/what-is-it.md --by \"NAME\"\nreviewed_by: Medical Director\nlast_reviewed: {today}\nweight: 1\n---\nThis sample answer shows how a page looks. Put your own answer in its place, in short sentences.\n\n## What to expect\n\nSay what happens before, during and after a visit.\n";

const LOCATIONS_SECTION: &str = "---\ntitle: Our locations\ndescription: Where to find us, our phone numbers and opening hours.\nkind: locations\n---\nCall the location nearest you to book a visit.\n";

const LOCATION: &str = r#"---
title: Main office
description: Address, phone number, opening hours and parking for our main office.
weight: 1
location:
  name: Main office
  # placeholder address: replace with the real one
  street: 0000 Placeholder Avenue
  city: Miami
  region: FL
  postal_code: "33101"
  phone: "305-555-0101"
  # The facts that are stand-ins: the site says "call to confirm" until they are real.
  placeholder: [address, hours]
  geo: { lat: 25.7617, lng: -80.1918 }
  hours:
    - { days: [Mo, Tu, We, Th, Fr], opens: "09:00", closes: "17:00" }
  parking: Parking is available near the building.
---
Call us before your first visit and we will help you find us.
"#;

/// Where the deploy set-ups install clinicsite from (Cargo.toml's `repository`), at the tag
/// `v` + this version.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The staff guide, written into every new site: the messages name its sections.
const STAFF_GUIDE: &str = include_str!("../docs/staff.md");

const GITIGNORE: &str = "# Made by clinicsite, never committed: the built site and the tool's records.\n/public/\n/.clinicsite-cache/\n";

/// The deploy set-ups `init` writes: the same files as this repository's own (a test keeps
/// their install address and tag equal to Cargo.toml's).
pub const DEPLOY_FILES: &[(&str, &str)] = &[
    (
        ".github/workflows/deploy.yml",
        include_str!("../.github/workflows/deploy.yml"),
    ),
    ("netlify.toml", include_str!("../netlify.toml")),
    ("deploy/nginx.conf", include_str!("../deploy/nginx.conf")),
    (
        "deploy/cloudflare-pages.yml",
        include_str!("../deploy/cloudflare-pages.yml"),
    ),
    ("deploy/s3.yml", include_str!("../deploy/s3.yml")),
];

/// Creates a new site in `dir`, which must not exist or be empty; its sample review is dated
/// `today`.
pub fn init(dir: &Path, today: crate::frontmatter::Date) -> Result<(), Vec<Diagnostic>> {
    let refuse = |message: String| {
        vec![
            Diagnostic::new(Code::InitNotEmpty, dir, message)
                .help("choose a new folder name, like `clinicsite init my-site`"),
        ]
    };
    if dir.exists() {
        let mut entries = fs::read_dir(dir)
            .map_err(|e| refuse(format!("cannot read `{}`: {e}", display_path(dir))))?;
        if entries.next().is_some() {
            return Err(refuse(format!("`{}` is not empty", display_path(dir))));
        }
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        ("site.yaml".into(), SITE_YAML.into()),
        ("content/_index.md".into(), HOME.into()),
        ("content/faq/_index.md".into(), FAQ_SECTION.into()),
        (
            "content/faq/what-is-it.md".into(),
            FAQ_ENTRY.replace("{today}", &today.to_string()).into(),
        ),
        (
            "content/locations/_index.md".into(),
            LOCATIONS_SECTION.into(),
        ),
        ("content/locations/main-office.md".into(), LOCATION.into()),
        (".gitignore".into(), GITIGNORE.into()),
        // The guide the tool's messages point to ("see docs/staff.md, …"), so a site made
        // outside this repository has it too.
        ("docs/staff.md".into(), STAFF_GUIDE.into()),
    ];
    files.extend(
        DEPLOY_FILES
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec())),
    );
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(theme_dir) = stack.pop() {
        stack.extend(theme_dir.dirs());
        for file in theme_dir.files() {
            files.push((
                Path::new("themes/clinic").join(file.path()),
                file.contents().to_vec(),
            ));
        }
    }
    for (path, bytes) in files {
        let target = dir.join(&path);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, bytes));
        if let Err(error) = written {
            return Err(vec![Diagnostic::new(
                Code::InitIo,
                target,
                format!("cannot write this file: {error}"),
            )]);
        }
    }
    // The sample answer's review is recorded as `clinicsite review` records any other, so the
    // new site starts with no findings.
    crate::review::review(&crate::review::Options {
        root: dir.to_path_buf(),
        files: vec![dir.join("content/faq/what-is-it.md")],
        by: "Medical Director".into(),
        date: None,
        today,
    })?;
    Ok(())
}

/// `code` is not among the site's other languages: the `languages:` line to write in
/// site.yaml, with the site's languages and `code`.
fn not_a_language(finding: Code, code: &str, config: &crate::config::Config) -> Diagnostic {
    let mut languages = config.languages.clone();
    languages.push(code.to_string());
    Diagnostic::new(
        finding,
        crate::config::FILE,
        format!("`{code}` is not one of the site's other languages"),
    )
    .help(format!(
        "the site's languages are {}: to add `{code}`, write `languages: [{}]` in site.yaml",
        config.languages.join(", "),
        languages.join(", ")
    ))
}

/// Creates a draft FAQ entry for `question` in the site's FAQ section (in `lang`, when given,
/// as `NAME.LANG.md`); returns its path.
pub fn new_faq(
    root: &Path,
    question: &str,
    lang: Option<&str>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let files = crate::pipeline::read_site_files(root)?;
    let suffix = match lang {
        Some(code) => {
            let config = &files.config;
            if !config.is_translation(code) {
                return Err(vec![not_a_language(Code::NewLanguage, code, config)]);
            }
            format!(".{code}")
        }
        None => String::new(),
    };
    let index_name = format!("_index{suffix}.md");
    let faq_section = |index_name: &str| {
        files
            .content
            .pages
            .iter()
            .filter(|f| f.rel == index_name || f.rel.ends_with(&format!("/{index_name}")))
            .find_map(|f| {
                let parsed = frontmatter::parse(&f.text, Path::new(&f.rel)).ok()?;
                (parsed.meta.kind == Some(SectionKind::Faq))
                    .then(|| (f.rel.clone(), parsed.meta.categories.unwrap_or_default()))
            })
    };
    let Some((section_file, categories)) = faq_section(&index_name) else {
        let original = faq_section("_index.md").map(|(file, _)| file);
        return Err(vec![no_faq_section(root, lang, original)]);
    };
    let slug = slugify(question);
    if slug.is_empty() {
        return Err(vec![
            Diagnostic::new(
                Code::NewBadQuestion,
                root,
                "the question has no letters or digits",
            )
            .help("write the question in words, like `clinicsite new faq \"Does it hurt?\"`"),
        ]);
    }
    let dir = section_file.trim_end_matches(&index_name);
    let rel = Path::new("content").join(format!("{dir}{slug}{suffix}.md"));
    let target = root.join(&rel);
    if target.exists() {
        return Err(vec![
            Diagnostic::new(Code::NewExists, &rel, "this file already exists")
                .help("edit it, or choose a different question"),
        ]);
    }
    let shown = rel.to_string_lossy().replace('\\', "/");
    fs::write(&target, faq_template(question, &categories, &shown)).map_err(|e| {
        vec![Diagnostic::new(
            Code::NewIo,
            &rel,
            format!("cannot write this file: {e}"),
        )]
    })?;
    Ok(rel)
}

/// There is no FAQ section in `lang` (or in the default language): the section to make, or,
/// when the default language has one (`original`, its file), the command that translates it.
fn no_faq_section(root: &Path, lang: Option<&str>, original: Option<String>) -> Diagnostic {
    match (lang, original) {
        (Some(code), Some(section)) => {
            let section = crate::diagnostics::shell_word(&format!("content/{section}"));
            Diagnostic::new(
                Code::NewNoFaqSection,
                root.join("content"),
                format!("the FAQ section has no `{code}` version yet"),
            )
            .help(format!(
                "translate the section first: `clinicsite translate {section} --lang {code}`, then run this command again"
            ))
        }
        _ => Diagnostic::new(
            Code::NewNoFaqSection,
            root.join("content"),
            "this site has no FAQ section",
        )
        .help("create content/faq/_index.md with `kind: faq` in its front matter, or pass `--root` with the site's folder"),
    }
}

/// The new entry's text; `file` is its path from the site's folder
/// (`content/faq/does-it-hurt.md`), for the review command in its notes.
fn faq_template(question: &str, categories: &[String], file: &str) -> String {
    let command_file = crate::diagnostics::shell_word(file);
    let title = yaml_quote(question);
    let category = categories
        .first()
        .map(|c| yaml_quote(c))
        .unwrap_or_default();
    let choices = if categories.is_empty() {
        "(this FAQ section lists no categories)".to_string()
    } else {
        categories.join(" | ")
    };
    format!(
        "---
# The question, as a patient would ask it.
title: {title}
# One or two sentences for search results and link previews (50 to 160 characters).
description: \"\"
# One of: {choices}
category: {category}
# The short answer: one or two plain sentences, shown above the full answer.
summary: \"\"
# The medical review: once your reviewer has read the answer, record it with
# clinicsite review {command_file} --by \"NAME\"
# Lower numbers come first in their category.
weight: 10
# Only for some locations? List their page names, like [kendall, coral-gables]. Leave out for all.
# locations: []
# Drafts are not published. Remove this line when the answer is ready.
draft: true
---
{answer}, in short sentences.

## What to expect

{steps}.
",
        answer = PLACEHOLDER_TEXT[0],
        steps = PLACEHOLDER_TEXT[1],
    )
}

/// A YAML string in double quotes.
fn yaml_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_faq_template_parses() {
        let text = faq_template("Does it \"hurt\"?", &["Comfort".into()], "content/faq/a.md");
        let parsed = frontmatter::parse(&text, Path::new("a.md")).unwrap();
        assert_eq!(parsed.meta.title.as_deref(), Some("Does it \"hurt\"?"));
        assert_eq!(parsed.meta.category.as_deref(), Some("Comfort"));
        assert!(parsed.meta.draft);
    }
}

/// `clinicsite translate FILE --lang es`: starts a translation of FILE (a draft copy with
/// `translated_from:` filled in), or, when the translation exists, records that it is now up
/// to date with FILE. Returns what was done, for the message.
pub fn translate(root: &Path, file: &Path, lang: &str) -> Result<String, Vec<Diagnostic>> {
    let files = crate::pipeline::read_site_files(root)?;
    let config = &files.config;
    if !config.is_translation(lang) {
        return Err(vec![not_a_language(Code::TranslateLanguage, lang, config)]);
    }
    let rel = content_relative(root, file);
    // Placing the site is enough to know the page and its fingerprint; nothing is rendered.
    let placed = crate::pipeline::place(&files, true, None);
    let site = &placed.site;
    let target = match site.by_source.get(&rel) {
        Some(&target)
            if site
                .common(target)
                .is_some_and(|c| c.lang == config.language) =>
        {
            target
        }
        _ => {
            return Err(vec![Diagnostic::new(Code::TranslateNotFound, file, "this is not a page of the site in its main language")
                .help("name a markdown file under content/ without a language code, like `content/faq/does-it-hurt.md`")]);
        }
    };
    let fingerprint = crate::translation::fingerprint_of(site, target).unwrap_or_default();
    let translation_rel = format!("{}.{lang}.md", rel.trim_end_matches(".md"));
    let translation_path = root.join("content").join(&translation_rel);
    let shown = format!("content/{translation_rel}");
    let text = match fs::read_to_string(&translation_path) {
        Ok(existing) => {
            let updated =
                set_front_matter_line(&existing, "translated_from", &format!("\"{fingerprint}\""));
            fs::write(&translation_path, updated).map_err(|e| {
                vec![Diagnostic::new(
                    Code::TranslateIo,
                    &shown,
                    format!("cannot write this file: {e}"),
                )]
            })?;
            return Ok(format!("Marked {shown} as up to date with content/{rel}."));
        }
        Err(_) => {
            let original = fs::read_to_string(root.join("content").join(&rel)).map_err(|e| {
                vec![Diagnostic::new(
                    Code::TranslateIo,
                    format!("content/{rel}"),
                    format!("cannot read this file: {e}"),
                )]
            })?;
            let original = source::normalise_newlines(original);
            // An office's facts are written once, in the original: the copy keeps only words.
            let is_location = matches!(target, crate::site::Target::Page(i)
                if matches!(site.pages[i].role, crate::site::Role::Location(_)));
            let original = if is_location {
                crate::location::photo_words_only(&crate::location::words_only(&original))
            } else {
                original
            };
            // A translation is reviewed on its own: the original's review says nothing
            // about words not yet written.
            let original = ["reviewed_by", "last_reviewed", "review_fingerprint"]
                .iter()
                .fold(original, |text, key| {
                    crate::frontmatter_edit::remove(&text, key).unwrap_or(text)
                });
            // Links to pages already published in `lang` lead to those translations.
            let translated = translated_pages(site, &config.language, lang);
            let moved = translated
                .iter()
                .map(|(from, to)| (from.as_str(), to.as_str()))
                .collect();
            let (original, _) =
                crate::relocate::rewrite_links(&rel, &translation_rel, &original, &moved);
            // The review command in a note (the starter answer's) names the copy, even when
            // the original was renamed by hand and its note still names the old file.
            let (original, _) = crate::relocate::point_review_notes(&original, &translation_rel);
            let with_hash =
                set_front_matter_line(&original, "translated_from", &format!("\"{fingerprint}\""));
            set_front_matter_line(
                &with_hash,
                "draft",
                "true  # translate this page, then remove this line",
            )
        }
    };
    fs::write(&translation_path, text).map_err(|e| {
        vec![Diagnostic::new(
            Code::TranslateIo,
            &shown,
            format!("cannot write this file: {e}"),
        )]
    })?;
    Ok(format!(
        "Created {shown}, a draft copy of content/{rel}. Translate its text, then remove `draft: true`."
    ))
}

/// Each page in the main language `from` (its path under `content/`) with its translation
/// into `lang`, for translations that are published (no draft).
fn translated_pages(site: &crate::site::Site, from: &str, lang: &str) -> Vec<(String, String)> {
    site.translations
        .values()
        .filter_map(|versions| {
            let mut commons = versions.iter().filter_map(|&v| site.common(v));
            let original = commons.clone().find(|c| c.lang == from)?;
            let translation = commons.find(|c| c.lang == lang && !c.draft)?;
            Some((original.source.clone(), translation.source.clone()))
        })
        .collect()
}

/// `file` as a path relative to `content/`, with `/`, whether given from the site root, the
/// current folder or as `content/...`.
fn content_relative(root: &Path, file: &Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    let root_text = root.to_string_lossy().replace('\\', "/");
    let text = text
        .strip_prefix(&format!("{}/", root_text.trim_end_matches('/')))
        .unwrap_or(&text)
        .to_string();
    let text = text.trim_start_matches("./");
    text.strip_prefix("content/").unwrap_or(text).to_string()
}

/// Sets `key: value` in a file's front matter: replaces the line if it is there, else adds
/// it just before the closing `---`.
fn set_front_matter_line(text: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let close = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1);
    let Some(close) = close else {
        return text.to_string();
    };
    let line = format!("{key}: {value}");
    match lines[1..close]
        .iter()
        .position(|l| l.starts_with(&format!("{key}:")))
    {
        Some(i) => lines[i + 1] = line,
        None => lines.insert(close, line),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod translate_tests {
    use super::*;

    #[test]
    fn front_matter_lines_are_set_or_added() {
        let text = "---\ntitle: A\n---\nBody\n";
        assert_eq!(
            set_front_matter_line(text, "draft", "true"),
            "---\ntitle: A\ndraft: true\n---\nBody\n"
        );
        let again = set_front_matter_line("---\ntitle: A\ndraft: false\n---\n", "draft", "true");
        assert_eq!(again, "---\ntitle: A\ndraft: true\n---\n");
    }

    #[test]
    fn files_are_found_however_they_are_named() {
        let root = Path::new("site");
        for given in [
            "site/content/faq/a.md",
            "content/faq/a.md",
            "./content/faq/a.md",
            "faq/a.md",
        ] {
            assert_eq!(
                content_relative(root, Path::new(given)),
                "faq/a.md",
                "{given}"
            );
        }
    }
}
