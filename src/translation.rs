//! Keeping translations in step: the placed site in, findings about pages without a
//! translation and translations whose original changed since they were made, out.
//!
//! A translation records `translated_from:`, a fingerprint of its original's words (title,
//! description, short answer and text) taken when it was translated. When the original's
//! words change, the fingerprints differ and `check` says which two files to compare.
//! `clinicsite translate FILE --lang es` writes the fingerprint.
//!
//! A published translation that still has its original's words is the translation's own
//! error (`check::untranslated`), found with its page's other rules.

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, shell_path};
use crate::site::{Common, Site, Target, content_path};

/// The fingerprint of a page's translatable words: 12 hex digits. (A body `build` left on
/// disk is read again; one that can no longer be read counts as empty: rendering its page
/// reports it.)
pub fn fingerprint(common: &Common, summary: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    let body = common.body.read_or_empty();
    for part in [
        common.title.as_str(),
        common.description.as_str(),
        summary,
        body.trim(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    hasher.finalize().to_hex()[..12].to_string()
}

/// The fingerprint of a placed page or section.
pub fn fingerprint_of(site: &Site, target: Target) -> Option<String> {
    let common = site.common(target)?;
    let summary = site.summary(target);
    Some(fingerprint(common, summary))
}

/// Warnings for `check`: a default-language page with no version in another language, and
/// a translation whose original changed after it was translated (or that never recorded
/// what it was translated from).
pub fn findings(site: &Site) -> Vec<Diagnostic> {
    if site.languages.len() < 2 {
        return Vec::new();
    }
    let targets: Vec<Target> = site.targets().collect();
    targets
        .par_iter()
        .flat_map_iter(|&target| findings_for(site, target))
        .collect()
}

/// The codes of `findings_for`: what a page's translations decide of its findings.
pub const CODES: &[Code] = &[
    Code::TranslationMissing,
    Code::TranslationStale,
    Code::TranslationUntracked,
];

/// `findings` about one page or section of the default language and its translations (none
/// for other targets): what its text and their front matter decide.
pub fn findings_for(site: &Site, target: Target) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    // A site in one language has nothing to translate (the gate asks of every page).
    if site.languages.len() < 2 {
        return findings;
    }
    let Some(common) = site.common(target) else {
        return findings;
    };
    // Stand-in home pages (no `_index.md`) have nothing to translate.
    if common.lang != site.default_language() || !site.by_source.contains_key(&common.source) {
        return findings;
    }
    let versions = site.translations_of(target);
    // Only a translation that recorded its original needs the original's fingerprint.
    let original = std::cell::OnceCell::new();
    let original = || original.get_or_init(|| fingerprint_of(site, target).unwrap_or_default());
    for lang in site.languages.iter().skip(1) {
        // A stand-in home page (its file a draft) is no translation.
        let translation = versions.iter().find_map(|&t| {
            site.common(t)
                .filter(|c| &c.lang == lang && site.by_source.get(&c.source) == Some(&t))
        });
        let Some(translation) = translation else {
            let draft = format!("{}.{lang}.md", common.source.trim_end_matches(".md"));
            // A translation with errors of its own that keep it off the site: those errors
            // say what is wrong; "no translation" would not be true.
            if site.by_source.get(&draft) == Some(&Target::Unavailable) {
                continue;
            }
            let help = if let Some(section) = draft_section(site, &draft, lang) {
                format!(
                    "content/{section} is still a draft, so no page in content/{} is published in {}: translate it, then remove `draft: true`",
                    crate::site::parent_dir(&section),
                    language_name(lang)
                )
            } else if site.by_source.get(&draft) == Some(&Target::Draft) {
                format!("content/{draft} is still a draft: translate it, then remove `draft: true`")
            } else {
                format!(
                    "run `clinicsite translate {} --lang {lang}` to start one",
                    shell_path(&content_path(&common.source))
                )
            };
            findings.push(
                Diagnostic::new(
                    Code::TranslationMissing,
                    content_path(&common.source),
                    format!("this page has no `{lang}` translation"),
                )
                .help(help),
            );
            continue;
        };
        match &translation.translated_from {
                Some((recorded, _)) if recorded == original() => {}
                Some((_, line)) => findings.push(
                    Diagnostic::new(
                        Code::TranslationStale,
                        content_path(&translation.source),
                        format!("content/{} changed after this translation was made", common.source),
                    )
                    .at(*line, 1)
                    .help(format!(
                        "compare the two files, update this translation, then run `clinicsite translate {} --lang {lang}` to mark it up to date",
                        shell_path(&content_path(&common.source))
                    )),
                ),
                None => findings.push(
                    Diagnostic::new(
                        Code::TranslationUntracked,
                        content_path(&translation.source),
                        format!("this translation does not say which version of content/{} it was made from", common.source),
                    )
                    .at(1, 1)
                    .help(format!("check it against the original, then run `clinicsite translate {} --lang {lang}`", shell_path(&content_path(&common.source)))),
                ),
            }
    }

    findings
}

/// The nearest section page in `lang` above `translation` (`faq/pain.es.md`) that is still a
/// draft, which keeps every page under it off the site (`faq/_index.es.md`; not the home
/// page `_index.es.md`: a stand-in home takes a draft home's place).
fn draft_section(site: &Site, translation: &str, lang: &str) -> Option<String> {
    let own = crate::site::file_name(translation) == format!("_index.{lang}.md");
    let mut dir = crate::site::parent_dir(translation);
    if own {
        if dir.is_empty() {
            return None;
        }
        dir = crate::site::parent_dir(dir.trim_end_matches('/'));
    }
    while !dir.is_empty() {
        let section = format!("{dir}_index.{lang}.md");
        if site.by_source.get(&section) == Some(&Target::Draft) {
            return Some(section);
        }
        dir = crate::site::parent_dir(dir.trim_end_matches('/'));
    }
    None
}

/// The name of a language in the words of the messages: `es` -> `Spanish`.
pub fn language_name(code: &str) -> String {
    match code {
        "en" => "English".into(),
        "es" => "Spanish".into(),
        other => format!("`{other}`"),
    }
}
