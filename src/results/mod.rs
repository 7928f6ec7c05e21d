//! Before-and-after results: a case's front matter in, a checked `Case` (or the reason it is
//! withheld) out.
//!
//! A results section (`kind: results`) holds one page bundle per case: two photos, what was
//! done, and the patient's consent. The consent and the photos are facts, written once in the
//! default language's file (`resolve`); a translation holds only words, its title, captions
//! and alt texts (`words`), and `share` gives it its original's facts, as `location` does for
//! offices.
//!
//! A case is published only with a valid consent. One that could never be published (no
//! consent, `website` not in its scope, a malformed consent, a missing photo or alt text) is
//! an error. One whose consent was revoked (`revoked_consents:` in site.yaml) or has expired
//! is withheld (`standing`): `site` leaves it out like a draft, with every translation and
//! photo of it, and the build goes on, so the photos come down at once.

mod consent;
pub mod hints;
mod lines;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::{Parsed, RawPhoto};

use crate::location::line_list;
pub use consent::{Consent, Consents, Reason, Withheld, standing};
use lines::{block_lines, field_spot};

/// One before-and-after case, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub treatment: String,
    pub area: String,
    pub sessions: u32,
    /// How long after the first photo the second was taken (`3 months between the photos`).
    pub interval: String,
    pub before: Photo,
    pub after: Photo,
    /// The photos were edited: the theme shows a "retouched" label.
    pub retouched: bool,
    /// The signed form's details; never shown on the site.
    #[serde(skip)]
    pub consent: Consent,
}

/// `before:` or `after:`.
#[derive(Debug, Clone, Serialize)]
pub struct Photo {
    /// The photo's output path (`results/acne-scars/before.jpg`); until `place_photos`, its
    /// path in `content/`.
    pub path: String,
    pub alt: String,
    /// The file line of `before:` or `after:`.
    #[serde(skip)]
    pub line: usize,
}

/// The keys of a case's front matter that only fit pages in a results section.
pub const CASE_KEYS: &[&str] = &[
    "treatment",
    "area",
    "interval",
    "sessions",
    "before",
    "after",
    "retouched",
    "consent",
];

/// Checks a case written in the default language: every word and fact is there, the photos
/// have alt text, and the consent could allow publishing it. `rel` is its path in `content/`.
pub fn resolve(parsed: &Parsed, rel: &str, file: &Path) -> Result<Case, Vec<Diagnostic>> {
    let meta = &parsed.meta;
    let mut errors = Vec::new();
    if file_name(rel) != "index.md" {
        errors.push(
            Diagnostic::new(
                Code::ResultsNotAFolder,
                file,
                "a result is a folder of its own, with its two photos beside its text",
            )
            .at(1, 1)
            .width(3)
            .help(format!(
                "move this file to {} and put its photos in that folder",
                bundle_path(file)
            )),
        );
    }
    let mut word = |value: &Option<String>, key: &str, example: &str| {
        let value = value.as_deref().map(str::trim).unwrap_or_default();
        if value.is_empty() {
            errors.push(missing(parsed, file, key, example));
        }
        value.to_string()
    };
    let treatment = word(&meta.treatment, "treatment", "treatment: Microneedling");
    let area = word(&meta.area, "area", "area: Cheeks");
    let interval = word(
        &meta.interval,
        "interval",
        "interval: 3 months between the photos",
    );
    let sessions = match meta.sessions {
        Some(n) if n > 0 => n,
        Some(_) => {
            let line = parsed.key_line("sessions");
            errors.push(
                Diagnostic::new(Code::ResultsMissingFact, file, "`sessions` is 0")
                    .at(line, 1)
                    .width("sessions".len())
                    .help("write how many treatments the patient had, like `sessions: 4`"),
            );
            0
        }
        None => {
            errors.push(missing(parsed, file, "sessions", "sessions: 4"));
            0
        }
    };
    let retouched = meta.retouched.unwrap_or_else(|| {
        errors.push(
            Diagnostic::new(
                Code::ResultsMissingFact,
                file,
                "this case does not say whether its photos were retouched",
            )
            .at(1, 1)
            .width(3)
            .help("add `retouched: false` when the photos are as the camera took them, or `retouched: true` to show a \"retouched\" label on them"),
        );
        false
    });
    let folder = parent_dir(rel);
    let before = photo(
        parsed,
        file,
        &folder,
        "before",
        meta.before.as_deref(),
        &mut errors,
    );
    let after = photo(
        parsed,
        file,
        &folder,
        "after",
        meta.after.as_deref(),
        &mut errors,
    );
    let consent = consent::resolve(parsed, file, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Case {
        treatment,
        area,
        sessions,
        interval,
        before,
        after,
        retouched,
        consent: consent.expect("a consent when there is no error"),
    })
}

/// Checks a case's translation: it holds only words (title, captions, alt texts). Facts written
/// here are an error naming the lines to delete, because they would drift from the original's.
/// The result has no facts yet: `share` gives it its original's.
pub fn words(parsed: &Parsed, file: &Path) -> Result<Case, Vec<Diagnostic>> {
    let meta = &parsed.meta;
    let mut delete: Vec<usize> = Vec::new();
    for (key, set) in [
        ("sessions", meta.sessions.is_some()),
        ("retouched", meta.retouched.is_some()),
        ("consent", meta.consent.is_some()),
    ] {
        if set {
            delete.extend(block_lines(parsed, key));
        }
    }
    let mut sources: Vec<(String, usize)> = Vec::new();
    for (key, photo) in [("before", &meta.before), ("after", &meta.after)] {
        if photo.as_ref().is_some_and(|p| p.src.is_some()) {
            sources.push((key.to_string(), field_spot(parsed, key, "src").0));
        }
    }
    if !delete.is_empty() || !sources.is_empty() {
        delete.sort_unstable();
        delete.dedup();
        let first = delete
            .first()
            .copied()
            .into_iter()
            .chain(sources.iter().map(|(_, line)| *line))
            .min()
            .unwrap_or(1);
        let original = crate::location::original_of(file);
        let mut steps = Vec::new();
        if !delete.is_empty() {
            steps.push(format!("delete {}", line_list(&delete)));
        }
        for (key, line) in &sources {
            steps.push(format!(
                "remove `src:` from `{key}:` on line {line} (keep its `alt:`, the translated description)"
            ));
        }
        return Err(vec![
            Diagnostic::new(
                Code::ResultsTranslatedFacts,
                file,
                format!(
                    "a translation holds only words: the case's photos, sessions, retouched label and consent are written once, in {original}"
                ),
            )
            .at(first, 1)
            .width(parsed.yaml.lines().nth(first.saturating_sub(parsed.yaml_line)).map_or(1, |l| l.trim_end().chars().count()))
            .help(format!(
                "{}; every language shows the photos and consent of {original}",
                steps.join(", and ")
            )),
        ]);
    }
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_string();
    let alt = |photo: Option<&RawPhoto>, key: &str| Photo {
        path: String::new(),
        alt: photo.map(|p| text(&p.alt)).unwrap_or_default(),
        line: parsed.key_line(key),
    };
    Ok(Case {
        treatment: text(&meta.treatment),
        area: text(&meta.area),
        sessions: 0,
        interval: text(&meta.interval),
        before: alt(meta.before.as_deref(), "before"),
        after: alt(meta.after.as_deref(), "after"),
        retouched: false,
        consent: Consent::default(),
    })
}

/// A translation's case: its original's photos and consent with its own words (the
/// original's, untranslated, for a word it does not give).
pub fn share(original: &Case, words: &Case) -> Case {
    let or = |own: &str, theirs: &str| {
        if own.is_empty() {
            theirs.to_string()
        } else {
            own.to_string()
        }
    };
    let photo = |own: &Photo, theirs: &Photo| Photo {
        path: theirs.path.clone(),
        alt: or(&own.alt, &theirs.alt),
        line: theirs.line,
    };
    Case {
        treatment: or(&words.treatment, &original.treatment),
        area: or(&words.area, &original.area),
        interval: or(&words.interval, &original.interval),
        before: photo(&words.before, &original.before),
        after: photo(&words.after, &original.after),
        ..original.clone()
    }
}

/// Finds each photo of a case among the published files (`asset_paths`: content path ->
/// output path): its output path, or an error on its line.
pub fn place_photos(
    case: &mut Case,
    asset_paths: &HashMap<String, String>,
    file: &Path,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (key, photo) in [("before", &mut case.before), ("after", &mut case.after)] {
        match find_photo(key, photo, asset_paths, file) {
            Ok(output) => photo.path = output,
            Err(error) => errors.push(error),
        }
    }
    errors
}

/// Checks the file names a case's photos are written with when the case has other errors
/// (and so is not placed), so one build reports every problem of the case. `rel` is the
/// case's path in `content/`; a photo without `src:` is reported by `resolve` already.
pub fn check_photo_names(
    parsed: &Parsed,
    rel: &str,
    asset_paths: &HashMap<String, String>,
    file: &Path,
) -> Vec<Diagnostic> {
    let folder = parent_dir(rel);
    [
        ("before", &parsed.meta.before),
        ("after", &parsed.meta.after),
    ]
    .into_iter()
    .filter_map(|(key, raw)| {
        let src = raw.as_ref()?.src.as_deref().map(str::trim)?;
        let photo = Photo {
            path: format!("{folder}{src}"),
            alt: String::new(),
            line: parsed.key_line(key),
        };
        (!src.is_empty()).then_some((key, photo))
    })
    .filter_map(|(key, photo)| find_photo(key, &photo, asset_paths, file).err())
    .collect()
}

/// A photo's output path, or an error on its line naming the file that is there with other
/// capital letters (web hosts treat `Before.JPG` and `before.jpg` as two files).
fn find_photo(
    key: &str,
    photo: &Photo,
    asset_paths: &HashMap<String, String>,
    file: &Path,
) -> Result<String, Diagnostic> {
    if let Some(output) = asset_paths.get(&photo.path) {
        return Ok(output.clone());
    }
    let name = file_name(&photo.path);
    let help = match asset_paths
        .keys()
        .filter(|rel| rel.eq_ignore_ascii_case(&photo.path))
        .min()
    {
        Some(rel) => format!(
            "the file is named `{}`: write the name with the same capital and small letters (web hosts treat them as two different files)",
            file_name(rel)
        ),
        None => format!(
            "put the photo in the case's folder, {}, beside index.md, and write its file name, like `src: {key}.jpg`",
            parent_dir(&crate::diagnostics::display_path(file))
        ),
    };
    Err(Diagnostic::new(
        Code::ResultsMissingPhoto,
        file,
        format!("`{key}:` names `{name}`, which is not in the case's folder"),
    )
    .at(photo.line, 1)
    .width(key.len() + 1)
    .help(help))
}

/// Checks `typical_results:` of a results section's `_index.md` (every language has one).
pub fn typical_results(parsed: &Parsed, file: &Path) -> Result<String, Diagnostic> {
    match parsed.meta.typical_results.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Ok(text.to_string()),
        _ => Err(Diagnostic::new(
            Code::ResultsTypicalMissing,
            file,
            "a results section must say what results are typical, in `typical_results:`",
        )
        .at(parsed.key_line("kind"), 1)
        .width("kind: results".len())
        .help("add a line in this file's language, like `typical_results: \"Most patients see smoother skin after 3 to 4 sessions. Results vary.\"`; the site shows it beside every case")),
    }
}

/// The end of `build`'s summary line: which cases were withheld and why (empty when none),
/// like ` Withheld 1 result: content/results/acne/index.md (consent C-2026-014 was revoked).`
pub fn summary(withheld: &[Withheld]) -> String {
    if withheld.is_empty() {
        return String::new();
    }
    let cases: Vec<String> = withheld
        .iter()
        .map(|w| format!("content/{} ({})", w.source, w.reason))
        .collect();
    let noun = if cases.len() == 1 {
        "result"
    } else {
        "results"
    };
    format!(" Withheld {} {noun}: {}.", cases.len(), cases.join(", "))
}

/// `before:` or `after:`: its path in `content/` (beside the case's file) and alt text.
fn photo(
    parsed: &Parsed,
    file: &Path,
    folder: &str,
    key: &str,
    raw: Option<&RawPhoto>,
    errors: &mut Vec<Diagnostic>,
) -> Photo {
    let line = parsed.key_line(key);
    let example = format!(
        "`{key}: {{ src: {key}.jpg, alt: \"{}\" }}`",
        if key == "before" {
            "Cheek with raised acne scars before treatment"
        } else {
            "The same cheek three months after the fourth session"
        }
    );
    let Some(raw) = raw else {
        errors.push(
            Diagnostic::new(
                Code::ResultsMissingPhoto,
                file,
                format!("this case has no `{key}:` photo"),
            )
            .at(1, 1)
            .width(3)
            .help(format!(
                "add it, like {example}, with the photo in the case's folder"
            )),
        );
        return Photo {
            path: String::new(),
            alt: String::new(),
            line,
        };
    };
    let src = raw.src.as_deref().map(str::trim).unwrap_or_default();
    if src.is_empty() {
        errors.push(
            Diagnostic::new(
                Code::ResultsMissingPhoto,
                file,
                format!("`{key}:` names no photo file"),
            )
            .at(line, 1)
            .width(key.len() + 1)
            .help(format!(
                "add `src:` with the photo's file name, like {example}"
            )),
        );
    }
    let alt = raw.alt.as_deref().map(str::trim).unwrap_or_default();
    if alt.is_empty() || alt == crate::assets::markup::DECORATIVE {
        errors.push(
            Diagnostic::new(
                Code::ResultsPhotoAlt,
                file,
                format!("the `{key}:` photo has no alt text"),
            )
            .at(line, 1)
            .width(key.len() + 1)
            .help(format!(
                "describe what the photo shows for people who cannot see it, like {example}"
            )),
        );
    }
    Photo {
        path: format!("{folder}{src}"),
        alt: alt.to_string(),
        line,
    }
}

fn missing(parsed: &Parsed, file: &Path, key: &str, example: &str) -> Diagnostic {
    let line = parsed.key_line(key);
    Diagnostic::new(
        Code::ResultsMissingFact,
        file,
        format!("the case's `{key}` is missing"),
    )
    .at(line, 1)
    .width(3)
    .help(format!("add a line like `{example}`"))
}

/// `content/results/acne.md` -> `content/results/acne/index.md`.
fn bundle_path(file: &Path) -> String {
    let text = crate::diagnostics::display_path(file);
    let stem = text.strip_suffix(".md").unwrap_or(&text);
    match stem.rsplit_once('.') {
        Some((base, lang)) if !lang.contains('/') => format!("{base}/index.{lang}.md"),
        _ => format!("{stem}/index.md"),
    }
}

/// `results/acne/before.jpg` -> `before.jpg`.
fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `results/acne/index.md` -> `results/acne/`.
fn parent_dir(rel: &str) -> String {
    rel.rfind('/')
        .map_or_else(String::new, |i| rel[..=i].to_string())
}
