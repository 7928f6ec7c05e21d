//! `clinicsite review FILE... --by NAME`: pages and a reviewer in; each page's front matter
//! with `reviewed_by`, `last_reviewed` and `review_fingerprint` set (edited in place, every
//! other line kept), and a copy of each reviewed text in `.clinicsite-cache/reviews/` (so
//! `check` can name the words that change later), out.
//!
//! Every file is checked before any is written: one bad name changes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::frontmatter::{self, Date};
use crate::frontmatter_edit::{self, scalar};
use crate::reviewed_text;

/// What `clinicsite review` was asked to record.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    /// The reviewer's name, as the page shows it.
    pub by: String,
    /// `--date`: when the review happened; `today` when absent.
    pub date: Option<Date>,
    pub today: Date,
}

/// Records the review in every file, or changes nothing and says what is wrong with each.
/// Returns one line per file for the message.
pub fn review(options: &Options) -> Result<String, Vec<Diagnostic>> {
    let by = options.by.trim();
    let date = options.date.unwrap_or(options.today);
    let mut errors = Vec::new();
    if by.is_empty() {
        errors.push(
            Diagnostic::new(
                Code::ReviewNoReviewer,
                "--by",
                "the reviewer's name is empty",
            )
            .help("write the name the page shows, like `--by \"Medical Director\"`"),
        );
    }
    if date > options.today {
        errors.push(
            Diagnostic::new(
                Code::ReviewFutureDate,
                "--date",
                format!("`--date {date}` is after today ({})", options.today),
            )
            .help("give the day the review happened, or leave `--date` out to record today"),
        );
    }
    let mut edits = Vec::new();
    for file in &options.files {
        match prepare(&options.root, file, by, date) {
            Ok(edit) => edits.push(edit),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut done = Vec::new();
    for edit in edits {
        write(&options.root, &edit)?;
        done.push(format!(
            "Recorded the medical review of {} by {by} on {date}.",
            display_path(&edit.shown)
        ));
    }
    Ok(done.join("\n"))
}

/// The reviewed words of a page file's text, and the fingerprint its front matter records;
/// `None` when the front matter cannot be read.
fn reviewed_words(raw: &str, shown: &Path) -> Option<(String, Option<String>)> {
    let text = crate::source::normalise_newlines(raw.to_string());
    let parsed = frontmatter::parse(&text, shown).ok()?;
    let meta = &parsed.meta;
    let words = reviewed_text::text(
        meta.title.as_deref().unwrap_or(""),
        meta.description.as_deref().unwrap_or(""),
        meta.summary.as_deref().unwrap_or(""),
        &parsed.body.read_or_empty(),
    );
    Some((words, meta.review_fingerprint.clone()))
}

/// A page whose links `clinicsite move` rewrote, `before` and `after` (whole files), keeps its
/// medical review when the review held before: the words patients read are the same, only
/// where a link goes changed. Returns `after` with the new fingerprint recorded (and keeps a
/// copy of the new words, as `review` does), or `None` when there was no review that held.
pub fn carry_over(root: &Path, shown: &Path, before: &str, after: &str) -> Option<String> {
    let (old_words, recorded) = reviewed_words(before, shown)?;
    if recorded? != reviewed_text::fingerprint(&old_words) {
        return None;
    }
    let (new_words, _) = reviewed_words(after, shown)?;
    let fingerprint = reviewed_text::fingerprint(&new_words);
    let edited = frontmatter_edit::set(after, "review_fingerprint", &fingerprint).ok()?;
    let cache = reviewed_text::cache_file(root, &fingerprint);
    if let Some(dir) = cache.parent()
        && fs::create_dir_all(dir).is_ok()
    {
        // Without the copy, `check` still compares fingerprints; it only cannot name the words.
        let _ = fs::write(&cache, &new_words);
    }
    Some(edited)
}

/// One file's new text and its reviewed words.
struct Edit {
    /// `content/faq/pain.md`.
    shown: PathBuf,
    path: PathBuf,
    text: String,
    reviewed: String,
    fingerprint: String,
}

fn prepare(root: &Path, file: &Path, by: &str, date: Date) -> Result<Edit, Vec<Diagnostic>> {
    let (path, shown) = locate(root, file).map_err(|e| vec![e])?;
    let raw = fs::read_to_string(&path).map_err(|e| {
        vec![Diagnostic::new(
            Code::ReviewIo,
            &shown,
            format!("cannot read this file: {e}"),
        )]
    })?;
    let text = crate::source::normalise_newlines(raw.clone());
    let parsed = frontmatter::parse(&text, &shown)?;
    let meta = &parsed.meta;
    let reviewed = reviewed_text::text(
        meta.title.as_deref().unwrap_or(""),
        meta.description.as_deref().unwrap_or(""),
        meta.summary.as_deref().unwrap_or(""),
        &parsed.body.read_or_empty(),
    );
    let fingerprint = reviewed_text::fingerprint(&reviewed);
    let edited = frontmatter_edit::set(&raw, "reviewed_by", &scalar(by))
        .and_then(|t| frontmatter_edit::set(&t, "last_reviewed", &date.iso()))
        .and_then(|t| frontmatter_edit::set(&t, "review_fingerprint", &fingerprint))
        .map_err(|_| {
            vec![
                Diagnostic::new(
                    Code::ReviewNoFrontMatter,
                    &shown,
                    "this file has no front matter",
                )
                .help("a page starts with `---`, its fields, and another `---` line"),
            ]
        })?;
    Ok(Edit {
        shown,
        path,
        text: edited,
        reviewed,
        fingerprint,
    })
}

/// The file on disk and its name from the site's folder (`content/faq/pain.md`), found as
/// given or inside the site's folder; it must be a markdown file under `content/`.
fn locate(root: &Path, file: &Path) -> Result<(PathBuf, PathBuf), Diagnostic> {
    let shown_given = display_path(file);
    let found = [file.to_path_buf(), root.join(file)]
        .into_iter()
        .find(|p| p.is_file());
    let Some(found) = found else {
        if file.is_dir() || root.join(file).is_dir() {
            return Err(Diagnostic::new(
                Code::ReviewNotAPage,
                file,
                format!("`{shown_given}` is a folder"),
            )
            .help("name each page's markdown file, like `content/faq/does-it-hurt.md`, or all of them at once: `content/faq/*.md`"));
        }
        return Err(Diagnostic::new(
            Code::ReviewNotFound,
            file,
            format!("there is no file `{shown_given}`"),
        )
        .help("check the name; pages are under content/, like `content/faq/does-it-hurt.md`"));
    };
    let content = root
        .join("content")
        .canonicalize()
        .unwrap_or_else(|_| root.join("content"));
    let full = found.canonicalize().unwrap_or_else(|_| found.clone());
    let inside = full.strip_prefix(&content).ok();
    match inside {
        Some(rel) if rel.extension().is_some_and(|e| e == "md") => {
            Ok((found, Path::new("content").join(rel)))
        }
        Some(_) => Err(Diagnostic::new(
            Code::ReviewNotAPage,
            file,
            format!("`{shown_given}` is not a page"),
        )
        .help("name the page's markdown file, like `content/faq/does-it-hurt.md`")),
        None => Err(Diagnostic::new(
            Code::ReviewNotContent,
            file,
            format!("`{shown_given}` is not in the site's content/ folder"),
        )
        .help("name a page under content/, like `content/faq/does-it-hurt.md`; for another site, add `--root` with its folder")),
    }
}

fn write(root: &Path, edit: &Edit) -> Result<(), Vec<Diagnostic>> {
    let io = |file: &Path, e: std::io::Error| {
        vec![Diagnostic::new(
            Code::ReviewIo,
            file,
            format!("cannot write this file: {e}"),
        )]
    };
    let cache = reviewed_text::cache_file(root, &edit.fingerprint);
    if let Some(dir) = cache.parent() {
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    fs::write(&cache, &edit.reviewed).map_err(|e| io(&cache, e))?;
    fs::write(&edit.path, &edit.text).map_err(|e| io(&edit.shown, e))
}
