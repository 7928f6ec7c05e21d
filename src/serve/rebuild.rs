//! Rebuilding: a batch of changes in, the next snapshot to serve (or every finding) out.
//!
//! The site is rendered in memory by the same pipeline as `build`, so the preview is what
//! `build` would write (with the preview's own address as `base_url`). Content edits reuse
//! what the previous build already did (see `cache`); a change to the theme or `site.yaml`,
//! or lost events, start from scratch.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::cache::Cache;
use super::snapshot::{Entry, Snapshot};
use super::watch::Changes;
use crate::diagnostics::Diagnostic;
use crate::pipeline;

/// Builds the site for the preview, again and again.
#[derive(Debug)]
pub struct Builder {
    pub root: PathBuf,
    /// The preview's own address, in place of `base_url`.
    pub base_url: String,
    pub drafts: bool,
    cache: Cache,
}

/// A good rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    pub snapshot: Snapshot,
    pub pages: usize,
    /// Output files added, removed or changed since the previous snapshot.
    pub changed: usize,
    /// Set when only stylesheets changed: their (old, new) paths, for swapping in place.
    pub styles: Option<Vec<(String, String)>>,
    pub elapsed: Duration,
}

impl Builder {
    pub fn new(root: PathBuf, base_url: String, drafts: bool) -> Builder {
        Builder {
            root,
            base_url,
            drafts,
            cache: Cache::default(),
        }
    }

    /// Builds the site after `changes`, starting from `previous` (the snapshot being served).
    pub fn rebuild(
        &mut self,
        changes: &Changes,
        previous: &Snapshot,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        if changes.config || changes.rescan || !changes.theme.is_empty() {
            self.cache = Cache::default();
        }
        let reuse = self.cache.prepare(&self.root, &changes.content);
        let site =
            pipeline::render_site_reusing(&self.root, Some(&self.base_url), self.drafts, &reuse)?;
        let pages = site.pages;
        let (snapshot, fresh) = reuse.finish(site.outputs, previous);
        self.cache.absorb(fresh);
        let changed = changed_files(previous, &snapshot);
        let styles = changes
            .only_stylesheets()
            .then(|| stylesheet_swaps(previous, &snapshot))
            .flatten();
        Ok(Rebuilt {
            snapshot,
            pages,
            changed: changed.len(),
            styles,
            elapsed: started.elapsed(),
        })
    }
}

/// Paths whose file was added, removed or changed between two snapshots, sorted.
pub fn changed_files(old: &Snapshot, new: &Snapshot) -> Vec<String> {
    let mut paths: Vec<&str> = old.paths();
    paths.extend(new.paths());
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| match (old.get(p), new.get(p)) {
            (Some(Entry::Bytes(a)), Some(Entry::Bytes(b))) => {
                !(a.as_ptr() == b.as_ptr() && a.len() == b.len()) && a != b
            }
            (a, b) => a != b,
        })
        .map(str::to_string)
        .collect()
}

/// When only stylesheets changed between two snapshots: each (old, new) path, as the browser
/// asks for them. Fingerprinted names (`style.1a2b3c4d5e.css`) are paired by their plain
/// name. `None` when anything else changed besides pages, so the page must reload instead.
pub fn stylesheet_swaps(old: &Snapshot, new: &Snapshot) -> Option<Vec<(String, String)>> {
    let changed = changed_files(old, new);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut swaps = Vec::new();
    for path in &changed {
        if path.ends_with(".html") {
            continue;
        }
        if !path.ends_with(".css") {
            return None;
        }
        match (old.get(path).is_some(), new.get(path).is_some()) {
            (true, true) => swaps.push((format!("/{path}"), format!("/{path}"))),
            (true, false) => removed.push(path.as_str()),
            (false, true) => added.push(path.as_str()),
            (false, false) => {}
        }
    }
    for gone in removed {
        let plain = without_fingerprint(gone);
        let mut matching = added.iter().filter(|a| without_fingerprint(a) == plain);
        let (Some(next), None) = (matching.next(), matching.next()) else {
            return None;
        };
        swaps.push((format!("/{gone}"), format!("/{next}")));
    }
    (!swaps.is_empty()).then_some(swaps)
}

/// `css/style.1a2b3c4d5e.css` -> `css/style.css`; other names are returned as they are.
fn without_fingerprint(path: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let parts: Vec<&str> = name.split('.').collect();
    let plain = match parts.as_slice() {
        [stem @ .., hash, ext]
            if !stem.is_empty() && hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            format!("{}.{ext}", stem.join("."))
        }
        _ => name.to_string(),
    };
    if dir.is_empty() {
        plain
    } else {
        format!("{dir}/{plain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Body, Output};

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        Snapshot::from_outputs(
            files
                .iter()
                .map(|(path, text)| Output {
                    path: path.to_string(),
                    body: Body::Text(text.to_string()),
                })
                .collect(),
        )
    }

    #[test]
    fn fingerprints_are_taken_off_names() {
        assert_eq!(without_fingerprint("style.1a2b3c4d5e.css"), "style.css");
        assert_eq!(without_fingerprint("css/a.b.0123456789ab.css"), "css/a.b.css");
        assert_eq!(without_fingerprint("print.css"), "print.css");
        assert_eq!(without_fingerprint("x.notahash.css"), "x.notahash.css");
    }

    #[test]
    fn a_renamed_stylesheet_is_swapped() {
        let old = snapshot(&[("index.html", "a"), ("style.1111111111.css", "x")]);
        let new = snapshot(&[("index.html", "b"), ("style.2222222222.css", "y")]);
        assert_eq!(
            stylesheet_swaps(&old, &new),
            Some(vec![(
                "/style.1111111111.css".into(),
                "/style.2222222222.css".into()
            )])
        );
    }

    #[test]
    fn a_stylesheet_changed_in_place_is_swapped_too() {
        let old = snapshot(&[("index.html", "a"), ("extra.css", "x")]);
        let new = snapshot(&[("index.html", "a"), ("extra.css", "y")]);
        assert_eq!(
            stylesheet_swaps(&old, &new),
            Some(vec![("/extra.css".into(), "/extra.css".into())])
        );
    }

    #[test]
    fn other_changes_need_a_reload() {
        let old = snapshot(&[("style.1111111111.css", "x"), ("search.js", "1")]);
        let new = snapshot(&[("style.2222222222.css", "y"), ("search.js", "2")]);
        assert_eq!(stylesheet_swaps(&old, &new), None);
        let gone = snapshot(&[]);
        assert_eq!(stylesheet_swaps(&old, &gone), None);
    }

    #[test]
    fn changed_files_lists_additions_removals_and_edits() {
        let old = snapshot(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = snapshot(&[("a", "1"), ("b", "changed"), ("d", "4")]);
        assert_eq!(changed_files(&old, &new), ["b", "c", "d"]);
    }
}
