//! What `build` remembers between runs: the previous build's record (in the output's record
//! folder in the site's cache, see `write::record`) in,
//! a `Reuse` that skips rendering every page whose file did not change out.
//!
//! Staff edit one page, build, and deploy; re-rendering the other 9,999 pages of a large site
//! would only produce the bytes already in `public/`. A page's file is kept when the site's
//! shape (see `incremental::shape`), the theme, `site.yaml` and the build's options are all
//! as they were, its own source file has the same bytes, and its output file is still the
//! one the last build wrote (same hash in the manifest, and the same stamp on disk, see
//! `write::stamp`: a file edited in place is rendered again whatever its length; a file whose
//! stamp was racy is read and hashed instead). Otherwise it is
//! rendered as usual. What a kept page contributes to the rest of the build is read from the
//! record: the anchor links it makes, at once; its heading ids and `##` headings
//! (`Reuse::outline`) only when a page rendered anew links to one of its headings or a search
//! index is made again; the pages its finished file links to (`check`'s orphan rule) only
//! when the graph of links changed. A link between two kept pages is not checked again: the
//! build that recorded them checked it, and finished, so it found nothing wrong.
//!
//! The files made from the whole site (the sitemap, the search indexes, see
//! `Reuse::site_file`) are kept the same way while the site's shape, the theme and the
//! settings are as they were and, for a search index, no page's `##` headings changed.
//!
//! A page's body is known by its hash (`frontmatter::Parsed::body_hash`), made once per
//! changed file or recalled from the last build's reading (`read_record`): an unchanged body
//! is never hashed again.
//!
//! The record is written after a successful build (when enough of it changed, see
//! `cache_format::worth_rewriting`: a page rendered anew and left out of the record is only
//! rendered again next time), beside the manifest, in the format of `cache_format`, and is
//! only a cache: a missing, damaged or outdated record means a full
//! build. Each page's entry is kept encoded on its own (a `cache_format::Blob`): the rendering
//! pass decodes a page's entry when it comes to that page, in parallel, and the entries of
//! the pages kept are written back as they were read.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::cache_format::{Blob, Bytes, Hash32, Raw};
use crate::diagnostics::Diagnostic;
use crate::incremental::{Markdown, Outline, Reuse, SiteWide};
use crate::markdown::{AnchorCheck, Rendered};
use crate::render::Output;
use crate::site::{Site, Target};
use crate::source::BodyText;
use crate::theme::hash_field;
use crate::write::stamp::Stamp;

mod links;
mod save;
mod views;
pub use links::Links;
use views::{EntryView, OutlineView, entry_fields};

/// The record's file name in the output's record folder.
pub const FILE: &str = "build-cache";
/// Changes whenever the record's layout or the meaning of its fields does.
const VERSION: &str = concat!("clinicsite ", env!("CARGO_PKG_VERSION"), " build cache 9");

/// The previous build's record, and what this build does anew.
#[derive(Debug)]
pub struct BuildCache {
    previous: Previous,
    /// What the whole site's pages depend on, but for the theme (known once it is loaded).
    site_key: String,
    /// The previous manifest: output path -> hash (see `write::Staging::previous_shared`).
    manifest: std::sync::Arc<BTreeMap<String, String>>,
    output: std::path::PathBuf,
    /// The output's record folder.
    records: std::path::PathBuf,
    /// The hash of each markdown file's body read into memory (the bodies left on disk
    /// carry theirs), by path relative to `content/`.
    bodies: FxHashMap<String, blake3::Hash>,
    /// Whether `previous` was made for this site, settings and theme.
    valid: OnceLock<bool>,
    key: OnceLock<String>,
    fresh: Mutex<Fresh>,
    /// Whether `save` writes the record, once `rendered` decided it.
    saving: Option<bool>,
}

/// The record of one build, its entries read in place (see `Previous::read`).
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    key: String,
    /// Each page's `Entry`, packed, by source file, relative to `content/`; sorted, so the
    /// same build writes the same bytes.
    #[serde(borrow)]
    pages: Vec<(&'a str, Raw<'a>)>,
    /// The files made from the whole site, by output path.
    files: BTreeMap<String, Written>,
    /// The pages no link leads to (`check`'s orphan rule), by source file, in site order;
    /// `None` when the build did not look (check's rules were off).
    orphans: Option<Vec<String>>,
}

/// The previous build's record, as this build reads it (see `Previous::read`): read while
/// the site is placed, as it needs nothing placing makes.
#[derive(Debug, Default)]
pub struct Previous {
    key: String,
    /// The record's bytes as read (mapped, when large): each page's entry is read from them
    /// in place, nothing copied out of them but what this build uses.
    bytes: Bytes,
    /// Where each page's packed `Entry` sits in `bytes`, by source file: decoded when the
    /// page comes to be rendered.
    pages: FxHashMap<String, std::ops::Range<usize>>,
    files: BTreeMap<String, Written>,
    orphans: Option<Vec<String>>,
}

impl Previous {
    /// The record in `records` (the output's record folder); empty when there is none or it
    /// cannot be read (another version, damaged). Read before the output is locked: a record
    /// another build replaces meanwhile is still one whole record of one build, and each
    /// entry is checked against the manifest and the files on disk before it is used.
    pub fn read(records: &Path) -> Previous {
        let Ok(bytes) = crate::cache_format::read(&records.join(FILE)) else {
            return Previous::default();
        };
        let Some(record) = crate::cache_format::view::<Record>(VERSION, &bytes) else {
            return Previous::default();
        };
        let base = bytes.as_ptr() as usize;
        let pages = (record.pages.into_iter())
            .map(|(rel, entry)| {
                let start = entry.0.as_ptr() as usize - base;
                (rel.to_string(), start..start + entry.0.len())
            })
            .collect();
        let (key, files, orphans) = (record.key, record.files, record.orphans);
        Previous {
            key,
            bytes,
            pages,
            files,
            orphans,
        }
    }

    /// The packed entry of `source`, as the record holds it.
    fn page(&self, source: &str) -> Option<&[u8]> {
        self.bytes.get(self.pages.get(source)?.clone())
    }

    /// The entry of `source`, decoded.
    fn entry(&self, source: &str) -> Option<Entry> {
        crate::cache_format::value_of(self.page(source)?)
    }

    /// The entry of `source`, its texts read in place (see `EntryView`).
    fn view(&self, source: &str) -> Option<EntryView<'_>> {
        EntryView::of(self.page(source)?)
    }
}

/// An output file as a build left it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Written {
    hash: String,
    size: u64,
    stamp: Option<Stamp>,
    proven: u128,
}

/// What a build knew of one page or section.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The hash of its markdown body (its front matter is part of the shape).
    source: Hash32,
    /// Its output file, and that file's hash and size.
    output: String,
    hash: String,
    size: u64,
    /// The output file's stamp once in place, and when its bytes were last proven (a stamp
    /// racy at that time proves nothing: the file is then read and hashed).
    stamp: Option<Stamp>,
    proven: u128,
    /// Its `##` headings, for the search index.
    headings: Vec<String>,
    /// Every heading id, for other pages' anchor checks.
    ids: Vec<String>,
    anchors: Vec<Anchor>,
    /// The pages and sections its finished file links to, by source file (relative to
    /// `content/`), sorted: `build` counts orphans with them (see `check::links::orphans`).
    links: Links,
}

/// An `AnchorCheck` with its target named by source file, which stays right from build to
/// build (a `Target` is a position in one build's site).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Anchor {
    target: String,
    anchor: String,
    link: String,
    line: usize,
    column: usize,
    width: usize,
}

#[derive(Debug, Default)]
struct Fresh {
    /// Bodies rendered anew, by source file, each entry packed as it will be kept (one
    /// allocation rather than one per heading, id and link: at 100,000 pages the entries
    /// unpacked would hold a tenth of a gigabyte until the record is saved).
    bodies: Vec<(String, Blob)>,
    /// The links of the pages rendered anew (see `linked`), by source file.
    links: FxHashMap<String, Links>,
    /// The pages rendered anew whose links are the recorded ones (see `recorded_links`).
    recorded: rustc_hash::FxHashSet<String>,
    /// The source files of the pages and sections rendered anew.
    rendered: Vec<String>,
    /// Source files whose body was kept: their page is kept too, without checking again.
    /// (The pages their finished files link to are their entries' `links`.)
    kept_bodies: rustc_hash::FxHashSet<String>,
    /// The orphans this build found (see `orphans_found`).
    orphans: Option<Vec<String>>,
    /// Whether the graph of links is not the one the previous record holds (see
    /// `kept_orphans`).
    links_changed: bool,
    /// Output paths of the pages kept from the previous build.
    kept: Vec<String>,
    /// Source files whose output was read and hashed because its stamp could not be trusted,
    /// with its stamp and the time before that check.
    proven: Vec<(String, Stamp, u128)>,
    /// Whether a page rendered anew has other `##` headings than the previous build's (or
    /// had none recorded): the search indexes are then made again.
    headings_changed: bool,
    /// Files made from the whole site: made anew, and kept (with the stamp that proved it
    /// when its bytes were read).
    site_files: Vec<String>,
    kept_site_files: Vec<(String, Proof)>,
    /// The stamp each kept file had when it was found still in place, by output path.
    stamps: Vec<(String, Stamp)>,
}

/// How an output file was known to be still the one the previous build left.
#[derive(Debug, Clone, Copy)]
enum Proof {
    /// Its stamp is the recorded one.
    Stamp(Stamp),
    /// Its bytes were read and hashed: its stamp then, and the time before.
    Read(Stamp, u128),
}

impl Proof {
    /// The file's stamp when it was found still in place.
    fn stamp(self) -> Stamp {
        match self {
            Proof::Stamp(stamp) | Proof::Read(stamp, _) => stamp,
        }
    }
}

impl BuildCache {
    /// The cache of a build of content of the `shape` (`incremental::shape_parsed`), with the
    /// front matter it `placed` (`site::Placed::front_matter`), into `output` with the settings in `site_yaml` and
    /// `options` (anything else that changes every page: drafts, `--base-url`), given the
    /// `previous` record of its record folder `records` (`Previous::read`); `manifest` is
    /// what the previous build wrote there (`write::Staging::previous_shared`).
    pub fn open(
        (records, output): (&Path, &Path),
        (previous, manifest): (Previous, std::sync::Arc<BTreeMap<String, String>>),
        (shape, placed): (blake3::Hash, &crate::frontmatter::FrontMatters),
        site_yaml: &str,
        options: &str,
    ) -> BuildCache {
        let mut hasher = blake3::Hasher::new();
        hash_field(&mut hasher, VERSION);
        hash_field(&mut hasher, site_yaml);
        hash_field(&mut hasher, options);
        hasher.update(shape.as_bytes());
        let bodies = placed
            .iter()
            .filter(|(_, parsed)| matches!(parsed.body, BodyText::Here(_)))
            .map(|(rel, parsed)| (rel.to_owned(), parsed.body_hash()))
            .collect();
        BuildCache {
            previous,
            site_key: hasher.finalize().to_hex().to_string(),
            manifest,
            output: output.to_path_buf(),
            records: records.to_path_buf(),
            bodies,
            valid: OnceLock::new(),
            key: OnceLock::new(),
            fresh: Mutex::default(),
            saving: None,
        }
    }

    /// A key of everything the placed site is made of but the pages' bodies (every file's
    /// path and front matter, see `incremental::shape`, `site.yaml`, the build's options),
    /// with `theme`: while it is the same, every page is placed and rendered as it was, but
    /// for its own body (`check::findings_cache` relies on it too).
    pub fn placed_key(&self, theme: &crate::theme::Theme) -> String {
        let mut hasher = blake3::Hasher::new();
        hash_field(&mut hasher, &self.site_key);
        hasher.update(theme.fingerprint.as_bytes());
        hasher.finalize().to_hex().to_string()
    }

    /// The output paths of the pages this build kept from the previous one: the caller must
    /// keep their files.
    pub fn kept(&self) -> Vec<String> {
        self.fresh().kept.clone()
    }

    /// The stamp of each file this build kept, by output path, as this build found it in
    /// place: unchanged since, it need not be taken again (see `build_inputs::save`).
    pub fn kept_stamps(&self) -> FxHashMap<String, Stamp> {
        self.fresh().stamps.iter().cloned().collect()
    }

    /// The hash of the body of `source` (`body` for a page without a file: a stand-in home).
    fn body_hash(&self, source: &str, body: BodyText) -> Hash32 {
        match (body, self.bodies.get(source)) {
            (BodyText::Here(_), Some(hash)) => (*hash).into(),
            _ => body.hash().into(),
        }
    }

    fn fresh(&self) -> std::sync::MutexGuard<'_, Fresh> {
        self.fresh.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The previous build's entry for a page, when its output can be kept as it is.
    fn kept_entry(&self, site: &Site, target: Target) -> Option<EntryView<'_>> {
        if self.valid.get() != Some(&true) {
            return None;
        }
        let common = site.common(target)?;
        let entry = self.previous.view(&common.source)?;
        let output = entry.output;
        let same = output.strip_suffix("index.html") == Some(common.path.as_str())
            && entry.source == self.body_hash(&common.source, common.body)
            && self.manifest.get(output).map(String::as_str) == Some(entry.hash);
        if !same {
            return None;
        }
        let written = (entry.size, entry.stamp, entry.proven);
        let proof = self.still_on_disk(output, entry.hash, written)?;
        let mut fresh = self.fresh();
        if let Proof::Read(stamp, now) = proof {
            fresh.proven.push((common.source.clone(), stamp, now));
        }
        fresh.stamps.push((output.to_string(), proof.stamp()));
        fresh.kept_bodies.insert(common.source.clone());
        drop(fresh);
        Some(entry)
    }

    /// Whether `rendered` has the `##` headings the previous build recorded for `target`.
    fn same_headings(&self, site: &Site, target: Target, rendered: &Rendered) -> bool {
        let Some(entry) = site
            .common(target)
            .and_then(|common| self.previous.entry(&common.source))
        else {
            return false;
        };
        let mut now = rendered
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| &h.text);
        entry.headings.iter().all(|h| now.next() == Some(h)) && now.next().is_none()
    }

    /// How the file the previous build made at `path` is known to be still there as it was
    /// (`hash`, and `(size, stamp, proven)` from the record); `None` when it is not.
    fn still_on_disk(
        &self,
        path: &str,
        hash: &str,
        (size, recorded, proven): (u64, Option<Stamp>, u128),
    ) -> Option<Proof> {
        let path = self.output.join(path);
        let now = crate::write::stamp::now();
        let stamp = Stamp::of(&path)?;
        if recorded == Some(stamp) && !stamp.is_racy_in_output(proven) {
            return Some(Proof::Stamp(stamp));
        }
        // No stamp to trust: the bytes decide, as they are on disk now.
        crate::write::holds(&path, size, hash).then_some(Proof::Read(stamp, now))
    }

    /// Whether the file the previous build made from the whole site at `path` is still
    /// exactly what this build would make, and still on disk as it was.
    fn kept_site_file(&self, path: &str, reads: SiteWide) -> Option<Proof> {
        if self.valid.get() != Some(&true)
            || (reads == SiteWide::Headings && self.fresh().headings_changed)
        {
            return None;
        }
        let written = self.previous.files.get(path)?;
        if self.manifest.get(path) != Some(&written.hash) {
            return None;
        }
        self.still_on_disk(
            path,
            &written.hash,
            (written.size, written.stamp, written.proven),
        )
    }
}

impl Reuse for BuildCache {
    fn theme_loaded(&self, theme: &crate::theme::Theme) {
        let key = self.placed_key(theme);
        let _ = self.valid.set(self.previous.key == key);
        let _ = self.key.set(key);
    }

    fn body(
        &self,
        site: &Site,
        target: Target,
        render: &dyn Fn() -> (Rendered, Vec<Diagnostic>),
    ) -> Markdown {
        if let Some(entry) = self.kept_entry(site, target) {
            let mut to: Vec<Target> = entry
                .anchors
                .iter()
                .filter_map(|a| site.by_source.get(a.target).copied())
                .collect();
            to.sort_unstable();
            to.dedup();
            to.shrink_to_fit();
            // A kept page is never rendered again: only its anchor links are checked again.
            return Markdown::Kept(to);
        }
        let (rendered, findings) = render();
        if let Some(common) = site.common(target) {
            self.fresh().rendered.push(common.source.clone());
        }
        if self.valid.get() == Some(&true) && !self.same_headings(site, target, &rendered) {
            self.fresh().headings_changed = true;
        }
        if findings.is_empty()
            && let Some(mut entry) = new_entry(site, target, &rendered)
        {
            if let Some(common) = site.common(target) {
                entry.source = self.body_hash(&common.source, common.body);
            }
            let source = site.common(target).map(|c| c.source.clone());
            if let Some(packed) = Blob::of(&entry) {
                self.fresh().bodies.extend(source.map(|s| (s, packed)));
            }
        }
        Markdown::Rendered(rendered, findings)
    }

    fn anchors(&self, site: &Site, target: Target) -> Vec<AnchorCheck> {
        let Some(entry) = site
            .common(target)
            .and_then(|common| self.previous.view(&common.source))
        else {
            return Vec::new();
        };
        entry
            .anchors
            .into_iter()
            .filter_map(|a| {
                Some(AnchorCheck {
                    target: *site.by_source.get(a.target)?,
                    link: a.link.to_string(),
                    line: a.line,
                    column: a.column,
                    width: a.width,
                })
            })
            .collect()
    }

    fn outline(&self, site: &Site, target: Target) -> Option<Outline> {
        let source = &site.common(target)?.source;
        let view = OutlineView::of(self.previous.page(source)?)?;
        Some(Outline {
            ids: view.ids,
            headings: view.headings,
        })
    }

    fn page(
        &self,
        site: &Site,
        target: Target,
        render: &dyn Fn() -> Result<Output, Diagnostic>,
    ) -> Result<Option<Output>, Diagnostic> {
        // `body` has already decided, for every page, whether its file is kept.
        let kept = site.common(target).and_then(|common| {
            let mut fresh = self.fresh();
            fresh.kept_bodies.contains(&common.source).then(|| {
                let output = format!("{}index.html", common.path);
                fresh.kept.push(output);
            })
        });
        match kept {
            Some(()) => Ok(None),
            None => render().map(Some),
        }
    }

    fn site_file(&self, path: &str, reads: SiteWide, make: &dyn Fn() -> Output) -> Option<Output> {
        if let Some(proof) = self.kept_site_file(path, reads) {
            let mut fresh = self.fresh();
            fresh.kept.push(path.to_string());
            fresh.kept_site_files.push((path.to_string(), proof));
            fresh.stamps.push((path.to_string(), proof.stamp()));
            return None;
        }
        self.fresh().site_files.push(path.to_string());
        Some(make())
    }
}

/// The entry for a page rendered anew; its output's hash and size are filled in once the
/// file is staged.
fn new_entry(site: &Site, target: Target, rendered: &Rendered) -> Option<Entry> {
    let common = site.common(target)?;
    let mut ids: Vec<String> = rendered.ids.iter().cloned().collect();
    ids.sort();
    let anchors = rendered
        .anchors_to_check
        .iter()
        .map(|a| {
            Some(Anchor {
                target: site.common(a.target)?.source.clone(),
                anchor: a.anchor().to_string(),
                link: a.link.clone(),
                line: a.line,
                column: a.column,
                width: a.width,
            })
        })
        .collect::<Option<Vec<Anchor>>>()?;
    Some(Entry {
        source: Hash32::default(),
        output: format!("{}index.html", common.path),
        hash: String::new(),
        size: 0,
        stamp: None,
        proven: 0,
        headings: rendered
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| h.text.clone())
            .collect(),
        ids,
        anchors,
        links: Links::default(),
    })
}

#[cfg(test)]
mod tests;
