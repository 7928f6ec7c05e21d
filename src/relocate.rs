//! `clinicsite move OLD NEW`: a page's file (or its bundle folder) and a new name in; out,
//! the page and its translations renamed, every markdown link to them in every language
//! rewritten (`pain.md`, `../faq/pain.md`, `@/faq/pain.md`, anchors kept), and each old
//! address added to the page's `aliases:` so visitors and search engines are sent on.
//!
//! A page already renamed by hand (OLD gone, NEW there) is finished the same way: it is
//! placed under its old name, and only its translations are renamed.
//!
//! Everything is worked out before anything is written, and only the moved files and the
//! files whose links change are written. Links in a moved page to other pages are rewritten
//! too when it changes folder.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::diagnostics::{Code, Diagnostic, shell_word};
use crate::frontmatter_edit;
use crate::markdown;
use crate::pipeline;
use crate::site::{self, parent_dir};

/// Moves the page at `old` to `new` (paths as typed: `content/faq/a.md`, `faq/a.md`, or a
/// bundle's folder). Returns what was changed, one line each.
pub fn relocate(root: &Path, old: &Path, new: &Path) -> Result<String, Vec<Diagnostic>> {
    let mut files = pipeline::read_site_files(root)?;
    let plan = plan(root, old, new, &files.config.languages)?;
    // A page already renamed by hand is placed under its old name, so that its old address
    // is known and links to it are found, as if it had not moved yet.
    if let Some((from, to)) = &plan.by_hand {
        if let Some(file) = files.content.pages.iter_mut().find(|f| &f.rel == to) {
            file.rel.clone_from(from);
        }
        files.content.pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    }
    let placed = pipeline::place(&files, true, None);
    // Old addresses, by the file's new path.
    let old_paths: BTreeMap<String, String> = plan
        .pages
        .iter()
        .filter_map(|(from, to)| {
            let target = placed.site.by_source.get(from)?;
            let common = placed.site.common(*target)?;
            Some((to.clone(), common.path.clone()))
        })
        .collect();
    let moved: HashMap<&str, &str> = plan
        .pages
        .iter()
        .map(|(from, to)| (from.as_str(), to.as_str()))
        .collect();
    // New texts, by the file's path after the move, with the number of links changed and
    // whether a note in the header named the file's old name.
    let mut rewritten: BTreeMap<String, (String, usize, bool)> = BTreeMap::new();
    for file in &files.content.pages {
        let now = moved.get(file.rel.as_str()).copied().unwrap_or(&file.rel);
        let (text, count) = rewrite_links(&file.rel, now, &file.text, &moved);
        let (text, renamed) = rename_in_notes(&text, &file.rel, now);
        if count > 0 || renamed {
            rewritten.insert(now.to_string(), (text, count, renamed));
        }
    }
    // A rename by hand is taken as one only when something knew the old name: a translation,
    // a link, or the last build's page at its address. Otherwise OLD is most likely mistyped,
    // and NEW an unrelated page that would get an alias it never had.
    if let Some((from, to)) = &plan.by_hand {
        let linked = rewritten
            .iter()
            .any(|(rel, (_, count, _))| rel != to && *count > 0);
        let published = old_paths
            .values()
            .any(|path| root.join("public").join(path).join("index.html").is_file());
        if plan.pages.len() == 1 && !linked && !published {
            return Err(vec![
                Diagnostic::new(
                    Code::MoveNotFound,
                    old,
                    format!("there is no page `content/{from}`"),
                )
                .help(format!(
                    "check the name; no link, translation or published page knows `content/{from}`, so content/{to} was not renamed from it"
                )),
            ]);
        }
    }
    plan.rename(root)?;
    let mut report: Vec<String> = plan
        .pages
        .iter()
        .map(|(from, to)| match &plan.by_hand {
            Some(done) if done.0 == *from => {
                format!("content/{from} was already renamed to content/{to}.")
            }
            _ => format!("Moved content/{from} to content/{to}."),
        })
        .collect();
    for (rel, (text, count, renamed)) in &rewritten {
        let path = root.join("content").join(rel);
        let raw = fs::read_to_string(&path).map_err(|e| io(rel, &e))?;
        let mut text = with_line_endings_of(&raw, text);
        let shown = Path::new("content").join(rel);
        // Notes are not reviewed words: a page whose notes alone changed keeps its review
        // as it is.
        let kept_review = (*count > 0)
            .then(|| crate::review::carry_over(root, &shown, &raw, &text))
            .flatten();
        if let Some(reviewed) = &kept_review {
            text.clone_from(reviewed);
        }
        fs::write(&path, &text).map_err(|e| io(rel, &e))?;
        let links = if *count == 1 { "link" } else { "links" };
        if *count > 0 {
            report.push(format!("Updated {count} {links} in content/{rel}."));
        }
        if *renamed {
            report.push(format!(
                "Wrote the new file name in the notes (`#` lines) of content/{rel}."
            ));
        }
        if kept_review.is_some() {
            report.push(format!(
                "Kept the medical review of content/{rel}: only where its links go changed."
            ));
        }
    }
    report.extend(add_aliases(root, &old_paths)?);
    Ok(report.join("\n"))
}

/// The files to move, relative to `content/`: each markdown file (from, to), and the one
/// thing renamed on disk for each (a file, or a bundle's folder).
#[derive(Debug)]
struct Plan {
    pages: Vec<(String, String)>,
    renames: Vec<(String, String)>,
    /// The main-language page (from, to) when its file was already renamed by hand: it is
    /// among `pages`, not among `renames`.
    by_hand: Option<(String, String)>,
}

impl Plan {
    fn rename(&self, root: &Path) -> Result<(), Vec<Diagnostic>> {
        let content = root.join("content");
        for (from, to) in &self.renames {
            let target = content.join(to);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).map_err(|e| io(to, &e))?;
            }
            fs::rename(content.join(from), &target).map_err(|e| io(from, &e))?;
        }
        Ok(())
    }
}

fn plan(
    root: &Path,
    old: &Path,
    new: &Path,
    languages: &[String],
) -> Result<Plan, Vec<Diagnostic>> {
    let content = root.join("content");
    let old_rel = relative(root, old);
    let new_rel = relative(root, new);
    let refuse = |code: Code, message: String, help: &str| {
        let about = if code == Code::MoveExists { new } else { old };
        Err(vec![Diagnostic::new(code, about, message).help(help)])
    };
    if new_rel.split('/').any(|p| p == "..") || old_rel.split('/').any(|p| p == "..") {
        return refuse(
            Code::MoveOutside,
            "pages can only move inside content/".into(),
            "name both as paths under content/, like `content/faq/new-name.md`",
        );
    }
    let old_is_bundle = content.join(&old_rel).is_dir() || old_rel.ends_with("/index.md");
    let old_base = old_rel
        .trim_end_matches("/index.md")
        .trim_end_matches('/')
        .to_string();
    if old_is_bundle {
        if !content.join(&old_base).join("index.md").is_file() {
            return refuse(
                Code::MoveNotFound,
                format!("there is no page at `content/{old_base}/index.md`"),
                "name the page's markdown file, like `content/faq/does-it-hurt.md`, or a folder holding an index.md",
            );
        }
        let new_base = new_rel
            .trim_end_matches("/index.md")
            .trim_end_matches(".md")
            .trim_end_matches('/')
            .to_string();
        if content.join(&new_base).exists() || content.join(format!("{new_base}.md")).exists() {
            return refuse(
                Code::MoveExists,
                format!("`content/{new_base}` already exists"),
                "choose a new name no page uses, or move or delete that one first",
            );
        }
        let mut pages = Vec::new();
        for entry in walkdir::WalkDir::new(content.join(&old_base)).sort_by_file_name() {
            let entry =
                entry.map_err(|e| vec![Diagnostic::new(Code::MoveIo, old, e.to_string())])?;
            let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.ends_with(".md") {
                let rest = rel.strip_prefix(&old_base).unwrap_or(&rel);
                pages.push((rel.clone(), format!("{new_base}{rest}")));
            }
        }
        return Ok(Plan {
            pages,
            renames: vec![(old_base, new_base)],
            by_hand: None,
        });
    }
    let Some(stem) = old_rel.strip_suffix(".md") else {
        return refuse(
            Code::MoveNotAPage,
            format!("`{}` is not a page", old.display()),
            "name the page's markdown file, like `content/faq/does-it-hurt.md`",
        );
    };
    let new_stem = new_rel
        .strip_suffix(".md")
        .unwrap_or(&new_rel)
        .trim_end_matches('/')
        .to_string();
    // Renamed by hand already (in a file manager): the rest of the move is still to do.
    let by_hand = (!content.join(&old_rel).exists()
        && content.join(format!("{new_stem}.md")).is_file())
    .then(|| (old_rel.clone(), format!("{new_stem}.md")));
    if by_hand.is_none() && !content.join(&old_rel).is_file() {
        return refuse(
            Code::MoveNotFound,
            format!("there is no page `content/{old_rel}`"),
            "check the name; pages are under content/, like `content/faq/does-it-hurt.md`",
        );
    }
    if old_rel
        .rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with("_index."))
    {
        return refuse(
            Code::MoveSection,
            "a section's `_index.md` cannot be moved on its own".into(),
            "move the pages one by one, or rename the folder yourself and add `aliases:` to each page",
        );
    }
    let (_, lang) = site::split_language(&old_rel, languages).map_err(|e| vec![e])?;
    if languages.first() != Some(&lang) {
        let original = stem.strip_suffix(&format!(".{lang}")).unwrap_or(stem);
        let new_original = new_rel.strip_suffix(".md").unwrap_or(&new_rel);
        let new_original = new_original
            .strip_suffix(&format!(".{lang}"))
            .unwrap_or(new_original);
        return refuse(
            Code::MoveTranslation,
            format!("`content/{old_rel}` is a translation"),
            &format!(
                "move the main-language page (the file without a language code): its translations move with it. Run `clinicsite move {} {}`",
                shell_word(&format!("content/{original}.md")),
                shell_word(&format!("content/{new_original}.md"))
            ),
        );
    }
    let mut pages = vec![(old_rel.clone(), format!("{new_stem}.md"))];
    for lang in languages.iter().skip(1) {
        let from = format!("{stem}.{lang}.md");
        if content.join(&from).is_file() {
            pages.push((from, format!("{new_stem}.{lang}.md")));
        }
    }
    let renames: Vec<(String, String)> = pages
        .iter()
        .filter(|&page| by_hand.as_ref() != Some(page))
        .cloned()
        .collect();
    for (_, to) in &renames {
        if content.join(to).exists() {
            return refuse(
                Code::MoveExists,
                format!("`content/{to}` already exists"),
                "choose a new name no page uses, or move or delete that page first",
            );
        }
    }
    if content.join(&new_stem).join("index.md").exists() {
        return refuse(
            Code::MoveExists,
            format!("`content/{new_stem}/index.md` already has that address"),
            "choose a new name no page uses",
        );
    }
    Ok(Plan {
        renames,
        pages,
        by_hand,
    })
}

/// A path as typed, relative to `content/`, with `/`.
fn relative(root: &Path, file: &Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    let root_text = root.to_string_lossy().replace('\\', "/");
    let text = text
        .strip_prefix(&format!("{}/", root_text.trim_end_matches('/')))
        .unwrap_or(&text);
    let text = text.trim_start_matches("./");
    text.strip_prefix("content/").unwrap_or(text).to_string()
}

/// `text` (the file `was`, now at `now`) with every markdown link to a moved file pointing
/// at its new place, and how many links changed. When the file itself changed folder, its
/// relative links to pages that stayed are rewritten too.
pub(crate) fn rewrite_links(
    was: &str,
    now: &str,
    text: &str,
    moved: &HashMap<&str, &str>,
) -> (String, usize) {
    let Ok(split) = crate::frontmatter::split(text, Path::new(was)) else {
        return (text.to_string(), 0);
    };
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (dest, range) in link_destinations(split.body) {
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest.as_str(), None),
        };
        if !path.ends_with(".md") || path.contains(':') {
            continue;
        }
        let Some(target) = markdown::content_target(was, path) else {
            continue;
        };
        let new_target = moved.get(target.as_str()).copied().unwrap_or(&target);
        let folder_changed = parent_dir(was) != parent_dir(now);
        if new_target == target && (path.starts_with("@/") || !folder_changed) {
            continue;
        }
        let written = if path.starts_with("@/") {
            format!("@/{new_target}")
        } else {
            relative_link(&parent_dir(now), new_target)
        };
        let written = match anchor {
            Some(anchor) => format!("{written}#{anchor}"),
            None => written,
        };
        if written != dest {
            edits.push((body_start + range.start..body_start + range.end, written));
        }
    }
    edits.sort_by_key(|(range, _)| range.start);
    edits.dedup_by_key(|(range, _)| range.start);
    let mut out = text.to_string();
    for (range, with) in edits.iter().rev() {
        out.replace_range(range.clone(), with);
    }
    (out, edits.len())
}

/// `text` (the file `was`, now at `now`, both relative to `content/`) with its old name
/// changed to the new one in the notes (`#` lines) of its header, like the starter FAQ's
/// `# … clinicsite review content/faq/what-is-it.md …`; and whether there was one.
pub(crate) fn rename_in_notes(text: &str, was: &str, now: &str) -> (String, bool) {
    if was == now || !text.contains(was) {
        return (text.to_string(), false);
    }
    // In a command (`clinicsite review content/faq/a.md`), the new name is quoted as the
    // shell needs it, and a quoted old name loses its quotes with it.
    let (old_word, new_word) = (
        shell_word(&format!("content/{was}")),
        shell_word(&format!("content/{now}")),
    );
    edit_header_notes(text, |line| {
        if line.contains(&old_word) {
            Some(line.replace(&old_word, &new_word))
        } else if line.contains(was) {
            Some(line.replace(was, now))
        } else {
            None
        }
    })
}

/// `text` with the file named by each `clinicsite review FILE` command in the notes (`#`
/// lines) of its header changed to `content/{now}`, whatever file the command named: the
/// note of a page renamed by hand can name a file that is gone. Whether there was one.
pub(crate) fn point_review_notes(text: &str, now: &str) -> (String, bool) {
    const COMMAND: &str = "clinicsite review ";
    let new_word = shell_word(&format!("content/{now}"));
    edit_header_notes(text, |line| {
        let start = line.find(COMMAND)? + COMMAND.len();
        let rest = &line[start..];
        // The file named: a quoted word up to its closing quote, or a bare word.
        let len = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].find(quote).map_or(rest.len(), |end| end + 2),
            _ => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        };
        Some(format!("{}{new_word}{}", &line[..start], &rest[len..]))
    })
}

/// `text` with each note (`#` line) of its header replaced by what `edit` makes of it
/// (`None` keeps the line); and whether any was.
fn edit_header_notes(text: &str, mut edit: impl FnMut(&str) -> Option<String>) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut edited = false;
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            fences += 1;
        }
        let is_note = fences == 1 && line.trim_start().starts_with('#');
        match is_note.then(|| edit(line)).flatten() {
            Some(new) => {
                out.push_str(&new);
                edited = true;
            }
            None => out.push_str(line),
        }
    }
    (out, edited)
}

/// Each link destination written in `body` with its bytes: inline links and images, and
/// reference definitions (`[x]: pain.md`).
fn link_destinations(body: &str) -> Vec<(String, Range<usize>)> {
    let parser = Parser::new_ext(body, markdown::OPTIONS);
    let mut found = Vec::new();
    for (_, def) in parser.reference_definitions().iter() {
        let span = &body[def.span.clone()];
        if let Some(at) = span
            .find("]:")
            .and_then(|i| find_dest(span, i + 2, &def.dest))
        {
            let start = def.span.start + at;
            found.push((def.dest.to_string(), start..start + def.dest.len()));
        }
    }
    for (event, range) in parser.into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        if link_type != LinkType::Inline {
            continue;
        }
        let text = &body[range.clone()];
        if let Some(at) = text
            .rfind("](")
            .and_then(|i| find_dest(text, i + 2, &dest_url))
        {
            let start = range.start + at;
            found.push((dest_url.to_string(), start..start + dest_url.len()));
        }
    }
    found
}

/// Where `dest` is written in `text` at or after `from` (past spaces and a `<`).
fn find_dest(text: &str, from: usize, dest: &str) -> Option<usize> {
    let rest = &text[from..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '<']).len();
    let at = from + skipped;
    text[at..].starts_with(dest).then_some(at)
}

/// A relative link from folder `dir` to `target` (both relative to `content/`).
fn relative_link(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// Adds each page's old address to its `aliases:` when its address changed.
fn add_aliases(
    root: &Path,
    old_paths: &BTreeMap<String, String>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let files = pipeline::read_site_files(root)?;
    let placed = pipeline::place(&files, true, None);
    let mut report = Vec::new();
    for (rel, old_path) in old_paths {
        let new_path = placed
            .site
            .by_source
            .get(rel)
            .and_then(|t| placed.site.common(*t))
            .map(|c| c.path.clone());
        if new_path.as_deref() == Some(old_path.as_str()) {
            report.push(format!(
                "The address of content/{rel} stays /{old_path} (it sets its own `slug:`)."
            ));
            continue;
        }
        let alias = format!("/{old_path}");
        let path = root.join("content").join(rel);
        let raw = fs::read_to_string(&path).map_err(|e| io(rel, &e))?;
        let Ok(edited) = frontmatter_edit::push(&raw, "aliases", &frontmatter_edit::scalar(&alias))
        else {
            continue;
        };
        fs::write(&path, edited).map_err(|e| io(rel, &e))?;
        report.push(format!("Added {alias} to the aliases of content/{rel}: visitors to the old address are sent to the new one."));
    }
    Ok(report)
}

/// `text` with `\r\n` line endings when `original` had them.
fn with_line_endings_of(original: &str, text: &str) -> String {
    if original.contains("\r\n") {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text.to_string()
    }
}

fn io(rel: &str, error: &std::io::Error) -> Vec<Diagnostic> {
    vec![Diagnostic::new(
        Code::MoveIo,
        PathBuf::from("content").join(rel),
        format!("cannot change this file: {error}"),
    )]
}

#[cfg(test)]
mod tests;
