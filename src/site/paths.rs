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

pub fn content_path(rel: &str) -> PathBuf {
    Path::new("content").join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

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
