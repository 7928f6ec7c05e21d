//! Content files that are not markdown (photos, PDFs) in, their output paths out: a page
//! bundle's files beside its page, other files at the same place, and the files of a draft's
//! or a withheld case's bundle (or of a draft section's folder) not at all.

use std::collections::{HashMap, HashSet};

use super::paths::{file_name, parent_dir};
use super::{Page, Target};
use crate::source::{AssetFile, Content};

/// Every content file to publish with its output path, and the same as a map from its path
/// in `content/`.
pub(super) fn place_assets(
    content: &Content,
    pages: &[Page],
    by_source: &HashMap<String, Target>,
) -> (Vec<(AssetFile, String)>, HashMap<String, String>) {
    let held_back = held_back_folders(by_source);
    let mut placed = Vec::new();
    let mut paths = HashMap::new();
    'assets: for asset in &content.assets {
        let mut output = asset.rel.clone();
        let mut dir = parent_dir(&asset.rel);
        let mut inner = file_name(&asset.rel).to_string();
        // Walk up to find a bundle (`name/index.md`) the file belongs to.
        while !dir.is_empty() {
            if held_back.contains(dir.as_str()) {
                continue 'assets;
            }
            if let Some(Target::Page(index)) = by_source.get(&format!("{dir}index.md")) {
                output = format!("{}{inner}", pages[*index].common.path);
                break;
            }
            let trimmed = dir.trim_end_matches('/');
            inner = format!("{}/{inner}", file_name(trimmed));
            dir = parent_dir(trimmed);
        }
        paths.insert(asset.rel.clone(), output.clone());
        placed.push((asset.clone(), output));
    }
    (placed, paths)
}

/// Folders (`faq/new-photo/`) whose page or section is held back in every language: a draft
/// (without `--drafts`), or a withheld results case. Its files are published by no page.
fn held_back_folders(by_source: &HashMap<String, Target>) -> HashSet<String> {
    let mut held = HashSet::new();
    let mut shown = HashSet::new();
    for (rel, target) in by_source {
        let name = file_name(rel);
        let is_index =
            name.ends_with(".md") && (name.starts_with("index.") || name.starts_with("_index."));
        if !is_index {
            continue;
        }
        match target {
            Target::Draft => held.insert(parent_dir(rel)),
            Target::Page(_) | Target::Section(_) => shown.insert(parent_dir(rel)),
            Target::Unavailable => false,
        };
    }
    held.retain(|dir| !shown.contains(dir));
    held
}
