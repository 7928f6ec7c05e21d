//! Paths inside `content/`: a file's folder, its name, its page folder and stem.

use std::path::{Path, PathBuf};

/// `faq/pain.md` -> (`faq/`, `pain`); bundles `faq/results/index.md` -> (`faq/`, `results`).
pub(super) fn page_dir_and_stem(rel: &str) -> (String, String) {
    let dir = parent_dir(rel);
    let name = file_name(rel);
    if name == "index.md" && !dir.is_empty() {
        let trimmed = dir.trim_end_matches('/');
        return (parent_dir(trimmed), file_name(trimmed).to_string());
    }
    (dir, name.trim_end_matches(".md").to_string())
}

/// `faq/pain.md` -> `faq/`; `pain.md` -> ``.
pub fn parent_dir(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..=i].to_string(),
        None => String::new(),
    }
}

/// The last part of a `/` path: `faq/photo.jpg` -> `photo.jpg`.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `faq/pain.md` -> `content/faq/pain.md`, as `Path::join` makes it. Every page names its
/// file so: a path relative to `content/` is written out directly (joining costs as much as
/// the rest of placing a page's address).
pub fn content_path(rel: &str) -> PathBuf {
    if Path::new(rel).has_root() || rel.is_empty() {
        return Path::new("content").join(rel);
    }
    let mut path = String::with_capacity("content/".len() + rel.len());
    path.push_str("content");
    path.push(std::path::MAIN_SEPARATOR);
    path.push_str(rel);
    PathBuf::from(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths_are_joined_as_path_join_joins_them() {
        for rel in [
            "faq/pain.md",
            "a.md",
            "",
            "/etc/passwd",
            "es/a b.md",
            "a//b.md",
            "./a.md",
        ] {
            assert_eq!(content_path(rel), Path::new("content").join(rel), "{rel:?}");
            let shown = content_path(rel).display().to_string();
            assert_eq!(shown, Path::new("content").join(rel).display().to_string());
        }
    }

    #[test]
    fn bundle_and_page_paths() {
        assert_eq!(
            page_dir_and_stem("faq/pain.md"),
            ("faq/".into(), "pain".into())
        );
        assert_eq!(
            page_dir_and_stem("faq/results/index.md"),
            ("faq/".into(), "results".into())
        );
        assert_eq!(page_dir_and_stem("about.md"), ("".into(), "about".into()));
    }
}
