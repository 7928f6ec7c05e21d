//! Writing the build cache's record: what this build rendered and kept in, the record the next
//! build reads out (when enough of it changed, see `cache_format::worth_rewriting`).

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{
    BuildCache, Entry, FILE, Fresh, Links, Previous, Proof, Record, VERSION, Written, links,
};
use crate::atomic_file::When;
use crate::cache_format::{Blob, Raw};
use crate::source::Content;
use crate::write::Staged;
use crate::write::stamp::Stamp;

/// A page's links, or the previous entry they are recorded in (when it has one).
type LinksOr<'a> = Result<Links, Option<&'a [u8]>>;

impl BuildCache {
    /// Lets go of what only the render pass reads (the previous manifest, each body's hash)
    /// and, when this build will not write the record again, of the previous record: at
    /// 100,000 pages, a hundred megabytes the rest of a one-page edit does without. Call it
    /// once every page is rendered and the orphans are found (see `links`).
    pub fn rendered(&mut self) {
        self.manifest = Default::default();
        self.bodies = FxHashMap::default();
        let saving = self.writes_record(&self.fresh());
        if !saving {
            self.previous = Previous::default();
        }
        self.saving = Some(saving);
    }

    /// Whether this build writes its record: always when the previous one was not made for
    /// this site, else when enough of it changed or the graph of links did.
    fn writes_record(&self, fresh: &Fresh) -> bool {
        if self.valid.get() != Some(&true) {
            return true;
        }
        let read = |(_, proof): &&(String, Proof)| matches!(proof, Proof::Read(..));
        let changed = fresh.rendered.len()
            + fresh.proven.len()
            + fresh.site_files.len()
            + fresh.kept_site_files.iter().filter(read).count();
        crate::cache_format::worth_rewriting(changed, self.previous.pages.len())
            || fresh.links_changed
    }

    /// Writes the record of this build: the pages it rendered and the ones it kept, with the
    /// hash, size and stamp (from `stamps`, by output path, see `write::stamp::of_output`) of
    /// every file it `wrote`, `taken` before the first was put in place. Best effort: without
    /// a record the next build renders every page.
    pub fn save(
        self,
        content: &Content,
        wrote: &[Staged],
        (taken, stamps): (u128, &FxHashMap<String, Stamp>),
    ) {
        let Some(key) = self.key.get().cloned() else {
            return;
        };
        if !self
            .saving
            .unwrap_or_else(|| self.writes_record(&self.fresh()))
        {
            return;
        }
        let mut fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        // The entries this build packs anew, and the previous ones it writes back as they
        // were read (borrowed from the previous record), by source file.
        let mut made: FxHashMap<String, Blob> = FxHashMap::default();
        let mut pages: FxHashMap<&str, &[u8]> = FxHashMap::default();
        let mut site_files = BTreeMap::new();
        if self.valid.get() == Some(&true) {
            for (path, proof) in fresh.kept_site_files {
                if let Some(mut written) = self.previous.files.get(&path).cloned() {
                    if let Proof::Read(stamp, proven) = proof {
                        written.stamp = Some(stamp);
                        written.proven = proven;
                    }
                    site_files.insert(path, written);
                }
            }
            for (source, stamp, proven) in fresh.proven {
                let Some(mut entry) = self.previous.entry(&source) else {
                    continue;
                };
                entry.stamp = Some(stamp);
                entry.proven = proven;
                if let Some(blob) = Blob::of(&entry) {
                    made.insert(source, blob);
                }
            }
            let previous = &self.previous;
            pages = (previous.pages.keys())
                .filter(|rel| !made.contains_key(*rel))
                .filter_map(|rel| Some((rel.as_str(), previous.page(rel)?)))
                .collect();
        }
        let files: FxHashMap<&str, (&str, u64)> = wrote
            .iter()
            .map(|f| (f.path.as_str(), (f.hash.as_str(), f.size)))
            .collect();
        // A page rendered anew keeps no entry of an earlier build: every entry holds what
        // the build that wrote the record made of its page (its links are that build's graph,
        // see `kept_orphans`).
        // Those whose links are the recorded ones (see `links_recorded`) take them from
        // their previous entry.
        let mut recorded: FxHashMap<&str, &[u8]> = FxHashMap::default();
        for rel in &fresh.rendered {
            made.remove(rel);
            if let Some(was) = pages.remove(rel.as_str())
                && fresh.recorded.contains(rel)
            {
                recorded.insert(rel, was);
            }
        }
        let bodies: Vec<(String, Blob, LinksOr)> = fresh
            .bodies
            .into_iter()
            .map(|(rel, packed)| {
                let links = fresh
                    .links
                    .remove(&rel)
                    .ok_or_else(|| recorded.remove(rel.as_str()));
                (rel, packed, links)
            })
            .collect();
        drop(recorded);
        // Each page's entry packed side by side; kept in their order.
        let entries: Vec<(String, Option<Option<Blob>>)> = bodies
            .into_par_iter()
            .map(|(rel, packed, links)| {
                let links = match links {
                    Ok(links) => Some(links),
                    Err(was) => was.and_then(links::links_of),
                };
                let (Some(links), Some(mut entry)) = (links, packed.value::<Entry>()) else {
                    return (rel, None);
                };
                entry.links = links;
                let Some(&(hash, size)) = files.get(entry.output.as_str()) else {
                    return (rel, Some(None));
                };
                entry.hash = hash.to_string();
                entry.size = size;
                entry.stamp = stamps.get(&entry.output).copied();
                entry.proven = taken;
                (rel, Some(Blob::of(&entry)))
            })
            .collect();
        for (rel, entry) in entries {
            match entry {
                None => {
                    made.remove(&rel);
                }
                Some(Some(blob)) => {
                    made.insert(rel, blob);
                }
                Some(None) => {}
            }
        }
        for path in fresh.site_files {
            if let Some(&(hash, size)) = files.get(path.as_str()) {
                let written = Written {
                    hash: hash.to_string(),
                    size,
                    stamp: stamps.get(&path).copied(),
                    proven: taken,
                };
                site_files.insert(path, written);
            }
        }
        let sources: rustc_hash::FxHashSet<&str> =
            content.pages.iter().map(|f| f.rel.as_str()).collect();
        let made = made
            .iter()
            .map(|(rel, blob)| (rel.as_str(), blob.0.as_slice()));
        let mut pages: Vec<(&str, Raw)> = (pages.into_iter().chain(made))
            .filter(|(rel, _)| sources.contains(rel))
            .map(|(rel, entry)| (rel, Raw(entry)))
            .collect();
        // Sorted, so the same build writes the same bytes.
        pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let record = Record {
            key,
            pages,
            files: site_files,
            orphans: fresh.orphans,
        };
        let path = self.records.join(FILE);
        let _ = crate::cache_format::save(&path, When::Changed, VERSION, &record);
    }
}
