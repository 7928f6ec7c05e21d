//! Keeping translations in step: the placed site in, findings about pages without a
//! translation and translations whose original changed since they were made, out.
//!
//! A translation records `translated_from:`, a fingerprint of its original's words (title,
//! description, short answer and text) taken when it was translated. When the original's
//! words change, the fingerprints differ and `check` says which two files to compare.
//! `clinicsite translate FILE --lang es` writes the fingerprint.

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
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

/// `findings` about one page or section of the default language and its translations (none
/// for other targets): what its text and their front matter decide.
pub fn findings_for(site: &Site, target: Target) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
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
        let translation = versions
            .iter()
            .find_map(|&t| site.common(t).filter(|c| &c.lang == lang));
        let Some(translation) = translation else {
            let draft = format!("{}.{lang}.md", common.source.trim_end_matches(".md"));
            let help = if site.by_source.get(&draft) == Some(&Target::Draft) {
                format!("content/{draft} is still a draft: translate it, then remove `draft: true`")
            } else {
                format!(
                    "run `clinicsite translate {} --lang {lang}` to start one",
                    content_path(&common.source).display()
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
                        "compare the two files, update this translation, then run `clinicsite translate content/{} --lang {lang}` to mark it up to date",
                        common.source
                    )),
                ),
                None => findings.push(
                    Diagnostic::new(
                        Code::TranslationUntracked,
                        content_path(&translation.source),
                        format!("this translation does not say which version of content/{} it was made from", common.source),
                    )
                    .at(1, 1)
                    .help(format!("check it against the original, then run `clinicsite translate content/{} --lang {lang}`", common.source)),
                ),
            }
    }

    findings
}
