//! Reading a site from disk: the site root in, the text of every file the build needs out.
//!
//! This is one of the two places that touch the disk (the other is `write`). Line endings are
//! normalised to `\n` here so every later stage counts lines and columns the same way.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};

mod body;
mod theme;
mod walk;
pub use body::{BodyText, Unread};
pub use theme::{DEFAULT_THEME, DEFAULT_THEME_NAME, ThemeFiles, read_theme};
use walk::walk;

/// A markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Its text, with `\n` line endings: all of it, or only its front matter when `unread`
    /// says where the body was left (see `read_listed_lean`).
    pub text: String,
    pub unread: Option<Unread>,
}

/// A file under `content/` that is copied as it is (images, PDFs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFile {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    pub data: Data,
}

/// Where a copied file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    Disk(PathBuf),
    Embedded(&'static [u8]),
    /// Made by the build from the site's settings (the brand stylesheet, the icon in the
    /// brand's colours).
    Made(std::sync::Arc<[u8]>),
}

impl Data {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            Data::Disk(path) => fs::read(path).map(Into::into),
            Data::Embedded(bytes) => Ok((*bytes).into()),
            Data::Made(bytes) => Ok(bytes.to_vec().into()),
        }
    }

    /// The first `limit` bytes (all of them in a shorter file), reading no more from disk.
    pub fn read_start(&self, limit: usize) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            Data::Disk(path) => {
                use std::io::Read;
                let mut start = Vec::new();
                fs::File::open(path)?
                    .take(limit as u64)
                    .read_to_end(&mut start)?;
                Ok(start.into())
            }
            Data::Embedded(bytes) => Ok(bytes[..limit.min(bytes.len())].into()),
            Data::Made(bytes) => Ok(bytes[..limit.min(bytes.len())].to_vec().into()),
        }
    }
}

/// Everything under `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub pages: Vec<ContentFile>,
    pub assets: Vec<AssetFile>,
}

impl Content {
    /// Content made in memory (markdown files as (path, text), copied files as (path, bytes)),
    /// in the form `read_content` hands it over: `/` separators, `\n` line endings, sorted, one
    /// file per path. For tests and fuzzing, which build sites without a folder.
    pub fn in_memory(
        pages: impl IntoIterator<Item = (String, String)>,
        assets: impl IntoIterator<Item = (String, Data)>,
    ) -> Content {
        let mut content = Content::default();
        for (rel, text) in pages {
            content.pages.push(ContentFile {
                rel: rel.replace('\\', "/"),
                text: normalise_newlines(text),
                unread: None,
            });
        }
        for (rel, data) in assets {
            content.assets.push(AssetFile {
                rel: rel.replace('\\', "/"),
                data,
            });
        }
        content.pages.sort_by(|a, b| a.rel.cmp(&b.rel));
        content.pages.dedup_by(|a, b| a.rel == b.rel);
        content.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
        content.assets.dedup_by(|a, b| a.rel == b.rel);
        content
    }
}

/// Reads `content/` below `root`. Unreadable files and files that are not UTF-8 are findings.
pub fn read_content(root: &Path) -> (Content, Vec<Diagnostic>) {
    read_listed(list_content(root))
}

/// The files under `content/` (each full path, and path relative to `content/`), without
/// reading them, and the folders that could not be read.
pub fn list_content(root: &Path) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let dir = root.join("content");
    let mut findings = Vec::new();
    let files = walk(root, &dir, &dir, &mut findings);
    (files, findings)
}

/// `read_content`, of the files `list_content` found.
pub fn read_listed(
    listed: (Vec<(PathBuf, String)>, Vec<Diagnostic>),
) -> (Content, Vec<Diagnostic>) {
    read_listed_lean(listed, &|_, _| None, &|_| None)
}

/// `read_listed`, keeping no body in memory where it can: a markdown file `known` hands over
/// (by its path on disk and relative to `content/`) is not read at all, and of every other
/// file only the text before the byte `body_start` names is kept, its body left on disk
/// (see `BodyText`). `build` reads this way; a file `body_start` finds no body in is kept
/// whole.
pub fn read_listed_lean(
    (files, mut findings): (Vec<(PathBuf, String)>, Vec<Diagnostic>),
    known: &(dyn Fn(&Path, &str) -> Option<ContentFile> + Sync),
    body_start: &(dyn Fn(&ContentFile) -> Option<usize> + Sync),
) -> (Content, Vec<Diagnostic>) {
    let mut content = Content::default();
    let (pages, assets): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|(_, rel)| rel.ends_with(".md"));
    // Thousands of small files are read faster side by side.
    let read: Vec<Result<ContentFile, Diagnostic>> = pages
        .into_par_iter()
        .map(|(path, rel)| {
            if let Some(file) = known(&path, &rel) {
                return Ok(file);
            }
            let display = Path::new("content").join(&rel);
            let bytes = fs::read(&path).map_err(|error| unreadable(&display, &error))?;
            let text = decode(bytes, &display)?;
            let file = ContentFile {
                rel,
                text,
                unread: None,
            };
            Ok(match body_start(&file) {
                Some(start) => file.leave_body(&path, start),
                None => file,
            })
        })
        .collect();
    // Kept for the whole build: room for each file, without a doubled list's spare third.
    content.pages.reserve_exact(read.len());
    for file in read {
        match file {
            Ok(file) => content.pages.push(file),
            Err(finding) => findings.push(finding),
        }
    }
    content.assets = assets
        .into_iter()
        .map(|(path, rel)| AssetFile {
            rel,
            data: Data::Disk(path),
        })
        .collect();
    content.pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    content.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    (content, findings)
}

/// The logo `brand:` names, as the file the site publishes at `published` (see `brand`):
/// an error at its line in site.yaml when there is no such file.
pub fn read_logo(
    root: &Path,
    brand: &crate::config::Brand,
    published: String,
) -> Result<Option<AssetFile>, Diagnostic> {
    let Some(logo) = &brand.logo else {
        return Ok(None);
    };
    let path = root.join(&logo.path);
    if path.is_file() {
        return Ok(Some(AssetFile {
            rel: published,
            data: Data::Disk(path),
        }));
    }
    let at = brand.lines.logo;
    let written = logo.path.to_string_lossy().replace('\\', "/");
    let folder = logo.path.parent().filter(|p| !p.as_os_str().is_empty());
    let near = fs::read_dir(root.join(folder.unwrap_or(Path::new(""))))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            lower.ends_with(".svg") || lower.ends_with(".png")
        })
        .collect::<Vec<_>>();
    let file_name = logo
        .path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let help = match crate::diagnostics::nearest(&file_name, near.iter().map(String::as_str)) {
        Some(name) => {
            let fixed = folder.map_or(name.to_string(), |f| {
                format!("{}/{name}", f.to_string_lossy())
            });
            format!("did you mean `logo: {fixed}`?")
        }
        None => format!(
            "put the logo file at `{written}` in the site's folder (where site.yaml is), or fix the path"
        ),
    };
    Err(Diagnostic::new(
        Code::ConfigBrandLogo,
        Path::new(crate::config::FILE),
        format!("there is no logo file `{written}`"),
    )
    .at(at.line, at.column)
    .width(at.width)
    .help(help))
}

/// `path`, a file the walk found below `dir`, relative to `dir` with `/` between its parts.
/// The walk's paths are `dir` joined with the names below it, so the prefix is cut as text
/// (comparing path components, `Path::strip_prefix`, costs more than the rest of the walk).
fn relative_below(path: &Path, dir: &Path) -> String {
    let text = path.to_str().zip(dir.to_str());
    let cut = text.and_then(|(path, dir)| {
        let rest = path.strip_prefix(dir)?;
        rest.strip_prefix(std::path::MAIN_SEPARATOR)
    });
    match cut {
        Some(rel) => rel.replace('\\', "/"),
        None => path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/"),
    }
}

/// A symbolic link at `path` may be read when it leads to a file inside `boundary` (its
/// real path, and the folder as shown) that is not hidden and not in a hidden folder.
fn check_link(
    root: &Path,
    path: &Path,
    (boundary, folder): (&Path, &Path),
) -> Result<(), Diagnostic> {
    let display = relative(root, path);
    let written = fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let shown = format!("{} -> {written}", display.display());
    let target = match path.canonicalize() {
        Ok(target) => target,
        Err(error) => {
            return Err(Diagnostic::new(
                Code::SourceSymlinkBroken,
                display,
                format!("the link {shown} cannot be followed: {error}"),
            )
            .help("remove the link or point it at an existing file"));
        }
    };
    let Ok(inside) = target.strip_prefix(boundary) else {
        return Err(Diagnostic::new(
            Code::SourceSymlinkOutside,
            display,
            format!("the link {shown} points outside {}/", folder.display()),
        )
        .help(format!(
            "copy the file into {}/ instead of linking to it",
            folder.display()
        )));
    };
    if inside
        .components()
        .any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
    {
        return Err(Diagnostic::new(
            Code::SourceSymlinkHidden,
            display,
            format!("the link {shown} points to a hidden file or folder"),
        )
        .help("hidden files (names starting with `.`) are never published: they often hold passwords; remove the link"));
    }
    if !target.is_file() {
        return Err(Diagnostic::new(
            Code::SourceSymlinkFolder,
            display,
            format!("the link {shown} points to a folder; links to folders are not followed"),
        )
        .help("move or copy the folder into place instead"));
    }
    Ok(())
}

/// Hidden files, editor swap and backup files, the lock files office programs keep beside an
/// open document (`~$name.docx`) and Windows' folder files: never part of a site.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with("~$")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// A file under `content/` (its path relative to `content/`) that must not be published as it
/// is: a page saved with another ending than `.md` (`notes.markdown`, `Notes.MD`), which would
/// be copied as a raw file instead of made a page, or an office document (a Word draft, a
/// spreadsheet), which would be published for anyone to download. An error naming what to do.
fn misplaced(rel: &str) -> Option<Diagnostic> {
    const PAGE_ENDINGS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn"];
    const DOCUMENTS: &[&str] = &[
        "doc", "docm", "docx", "dotx", "key", "numbers", "odp", "ods", "odt", "pages", "ppt",
        "pptx", "rtf", "xls", "xlsm", "xlsx",
    ];
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ending) = name.rsplit_once('.')?;
    // Called for every file of the site: a page's own ending returns without more work.
    if ending == "md" {
        return None;
    }
    let is = |endings: &[&str]| endings.iter().any(|e| e.eq_ignore_ascii_case(ending));
    let display = || Path::new("content").join(rel);
    if is(PAGE_ENDINGS) {
        return Some(
            Diagnostic::new(
                Code::SourcePageExtension,
                display(),
                format!("`{name}` is not made a page: page files end in `.md`, and this one would be published as a raw file"),
            )
            .help(format!("rename it `{stem}.md`")),
        );
    }
    is(DOCUMENTS).then(|| {
        Diagnostic::new(
            Code::SourceDocument,
            display(),
            format!("`{name}` is an office document: anything in content/ is published, so anyone could download it"),
        )
        .help("keep drafts and notes outside the content folder; for a handout patients download, save it as a PDF and link the PDF")
    })
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn unreadable(display: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::SourceUnreadable,
        display,
        format!("cannot read this file: {error}"),
    )
    .help("check that the file exists and that you are allowed to open it")
}

/// UTF-8 text with `\n` line endings, or a finding that names the first bad line.
pub fn decode(bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(normalise_newlines(text)),
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column =
                String::from_utf8_lossy(valid.rsplit(|&b| b == b'\n').next().unwrap_or(&[]))
                    .chars()
                    .count()
                    + 1;
            Err(Diagnostic::new(Code::SourceNotUtf8, display, "this file is not saved as UTF-8 text")
                .at(line, column)
                .help("save it again as \"UTF-8\" in your editor (text pasted from Word sometimes brings other encodings)"))
        }
    }
}

/// `\r\n` and lone `\r` become `\n`; a NUL character becomes U+FFFD `�`, as CommonMark says,
/// so it never reaches a page (a NUL is never meant: it comes from a damaged file or paste,
/// and a visible `�` shows where, in the page and in the messages quoting the line).
pub fn normalise_newlines(text: String) -> String {
    // Most files have neither: one fast pass over the bytes tells.
    if memchr::memchr2(b'\0', b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let text = if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    };
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalise_newlines("a\r\nb\rc\n".into()), "a\nb\nc\n");
        assert_eq!(normalise_newlines("a\0b\r\n".into()), "a\u{FFFD}b\n");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let finding = decode(b"ok\nab\xffc".to_vec(), Path::new("content/a.md")).unwrap_err();
        assert_eq!((finding.line, finding.column), (2, 3));
    }

    #[test]
    fn walked_paths_are_named_from_their_folder() {
        let dir = Path::new("site").join("content");
        let file = dir.join("faq").join("a.md");
        assert_eq!(relative_below(&file, &dir), "faq/a.md");
        assert_eq!(
            relative_below(&Path::new("site").join("contents"), &dir),
            "site/contents"
        );
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".a.md.swp",
            "a.md~",
            "#a.md#",
            ".DS_Store",
            "~$keup draft.docx",
            "Thumbs.db",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }

    #[test]
    fn pages_saved_with_another_ending_and_office_documents_are_refused() {
        let refused = |rel: &str| misplaced(rel).map(|d| (d.code, d.help.unwrap_or_default()));
        assert_eq!(
            refused("faq/notes.markdown"),
            Some((Code::SourcePageExtension, "rename it `notes.md`".into()))
        );
        assert_eq!(
            refused("faq/Notes.MD").map(|(code, _)| code),
            Some(Code::SourcePageExtension)
        );
        for rel in ["faq/Draft v2.docx", "prices.XLSX", "a/b.pages", "old.doc"] {
            assert_eq!(
                refused(rel).map(|(code, _)| code),
                Some(Code::SourceDocument),
                "{rel}"
            );
        }
        for rel in ["faq/a.md", "handout.pdf", "photo.jpg", "README", "faq/.md"] {
            assert_eq!(refused(rel), None, "{rel}");
        }
    }
}
