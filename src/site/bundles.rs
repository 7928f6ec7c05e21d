//! Content files that are not markdown (photos, PDFs) in, their output paths out: a page
//! bundle's files beside its page, other files at the same place, and the files of a draft's
//! or a withheld case's bundle (or of a draft section's folder) not at all. A loose file (in
//! no bundle) that a draft names and no published page names is not published either: a
//! photo for `faq/new-thing.md` kept beside it in `faq/` waits for the draft. Loose files no
//! page names are published, as they always were (a PDF handed out as a link, say).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::paths::{file_name, parent_dir};
use super::{Page, Target};
use crate::source::{AssetFile, Content, ContentFile};

/// Every content file to publish with its output path, and the same as a map from its path
/// in `content/`.
pub(super) fn place_assets(
    content: &Content,
    pages: &[Page],
    by_source: &rustc_hash::FxHashMap<String, Target>,
) -> (Vec<(AssetFile, String)>, HashMap<String, String>) {
    let held_back = held_back_folders(by_source);
    let drafts_only = named_only_by_drafts(content, by_source);
    let mut placed = Vec::new();
    let mut paths = HashMap::new();
    'assets: for asset in &content.assets {
        let mut output = asset.rel.clone();
        let mut dir = parent_dir(&asset.rel);
        let mut inner = file_name(&asset.rel).to_string();
        let mut bundled = false;
        // Walk up to find a bundle (`name/index.md`) the file belongs to.
        while !dir.is_empty() {
            if held_back.contains(dir.as_str()) {
                continue 'assets;
            }
            if let Some(Target::Page(index)) = by_source.get(&format!("{dir}index.md")) {
                output = format!("{}{inner}", pages[*index].common.path);
                bundled = true;
                break;
            }
            let trimmed = dir.trim_end_matches('/');
            inner = format!("{}/{inner}", file_name(trimmed));
            dir = parent_dir(trimmed);
        }
        if !bundled && drafts_only.contains(asset.rel.as_str()) {
            continue;
        }
        paths.insert(asset.rel.clone(), output.clone());
        placed.push((asset.clone(), output));
    }
    (placed, paths)
}

/// Whether a published page's whole text going from `before` to `after` changes where
/// `place_assets` puts the loose files: it starts or stops naming a file a draft names, which
/// is published only while a published page names it too.
pub fn placement_changes(
    content: &Content,
    by_source: &rustc_hash::FxHashMap<String, Target>,
    (before, after): (&str, &str),
) -> bool {
    let renamed = |rel: &str| {
        let name = file_name(rel);
        before.contains(name) != after.contains(name)
    };
    // Most edits name no file anew: the drafts are read only when one does.
    content.assets.iter().any(|asset| renamed(&asset.rel))
        && named_by_drafts(content, by_source).into_iter().any(renamed)
}

/// Loose files (in no page bundle) that a held-back page (a draft, without `--drafts`) names,
/// by their path from its folder (`new-thing-before.jpg`, `photos/before.jpg`), and that no
/// other page names at all: by path relative to `content/`. Only the names are compared, so
/// a file a published page names in any way (a link, an `image:`, HTML) stays published.
/// Bodies `build` left on disk are read again only when a draft names such a file.
fn named_only_by_drafts<'c>(
    content: &'c Content,
    by_source: &rustc_hash::FxHashMap<String, Target>,
) -> HashSet<&'c str> {
    let held = |rel: &str| matches!(by_source.get(rel), Some(Target::Draft));
    let mut named = named_by_drafts(content, by_source);
    if named.is_empty() {
        return named;
    }
    let published: Vec<&ContentFile> = content.pages.iter().filter(|p| !held(&p.rel)).collect();
    let shown: HashSet<&str> = published
        .par_iter()
        .flat_map_iter(|page| {
            let text = page.whole_text();
            named
                .iter()
                .filter(|rel| text.contains(file_name(rel)))
                .copied()
                .collect::<Vec<_>>()
        })
        .collect();
    named.retain(|rel| !shown.contains(rel));
    named
}

/// Content files a held-back page names by their path from its folder, by path relative to
/// `content/`.
fn named_by_drafts<'c>(
    content: &'c Content,
    by_source: &rustc_hash::FxHashMap<String, Target>,
) -> HashSet<&'c str> {
    let held = |rel: &str| matches!(by_source.get(rel), Some(Target::Draft));
    let mut named = HashSet::new();
    for draft in content.pages.iter().filter(|p| held(&p.rel)) {
        let dir = parent_dir(&draft.rel);
        let mut text = None;
        for asset in &content.assets {
            let Some(from_dir) = asset.rel.strip_prefix(dir.as_str()) else {
                continue;
            };
            if text
                .get_or_insert_with(|| draft.whole_text())
                .contains(from_dir)
            {
                named.insert(asset.rel.as_str());
            }
        }
    }
    named
}

/// Folders (`faq/new-photo/`) whose page or section is held back in every language: a draft
/// (without `--drafts`), or a withheld results case. Its files are published by no page.
fn held_back_folders(by_source: &rustc_hash::FxHashMap<String, Target>) -> HashSet<String> {
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
