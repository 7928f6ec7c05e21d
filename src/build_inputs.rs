//! Whether a build would only repeat the last one: everything a build reads (`site.yaml`,
//! its options and today's date, `content/`, the theme's files) in, one fingerprint of it
//! out; with the record of the last successful build into the same output folder, whether
//! that build had the very same inputs and its files are all still in place.
//!
//! Staff run `clinicsite build` again and again with nothing changed (before each deploy, by
//! habit, from a script). Then the output is already exactly what a clean build would write,
//! and the build's findings (warnings only: a build with errors writes nothing and records
//! nothing) are the recorded ones. The record lives in the output's record folder (see
//! `write::record`); it is removed before a build starts writing and saved after it succeeds,
//! so a build killed half-way never leaves one behind. `site.yaml` and the templates count by
//! their bytes; the files of `content/` and the theme's other files by their stamp (see
//! `write::stamp`), as the image cache does, so an unchanged site is not even read: a file
//! changed less than a clock tick before the build looked at it makes the build go unrecorded.
//! The output's files count by their stamp too, and are read and hashed when their stamp was
//! racy when recorded. So does the program's own file: a `clinicsite` built again, even of
//! the same version, does the work.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_file::When;
use crate::source::{AssetFile, Data, ThemeFiles};
use crate::theme::hash_field;
use crate::write::record;
use crate::write::stamp::{self, Stamp};

/// The record's file name in the output's record folder.
pub const FILE: &str = "inputs";
/// Changes whenever the record's layout, or anything a build makes of the same inputs, may.
const VERSION: &str = concat!("clinicsite ", env!("CARGO_PKG_VERSION"), " build inputs 3");

/// The fingerprint of one build's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    hash: String,
    /// A copied file changed less than a clock tick before it was stamped: its stamp proves
    /// nothing, so this build is not recorded.
    racy: bool,
    /// The stamp of each file of `content/`, in the order listed (`None`: gone), taken from
    /// `taken` on, before any was read: `read_record` knows unchanged files by them.
    pub stamps: Vec<Option<Stamp>>,
    pub taken: u128,
}

/// What a successful build reported, to report again when nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub pages: usize,
    pub files: usize,
    pub warnings: usize,
}

/// The record: the inputs' fingerprint, then what the build made of them (a `Built`), read
/// only when the fingerprint is this build's.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    inputs: String,
    built: crate::cache_format::Blob,
}

#[derive(Debug, Serialize, Deserialize)]
struct Built {
    outcome: Outcome,
    /// When the stamps below were taken (before the files were put in place), in nanoseconds
    /// since 1970: a file changed less than a tick before it is checked by its hash.
    taken: u128,
    /// The manifest's hash (it is rewritten at the end of every build that writes).
    manifest: String,
    /// Every file the build wrote or kept: path in the output, its stamp, and its hash (from
    /// the manifest) to check a racy stamp against.
    files: Vec<(String, Stamp, String)>,
}

/// The fingerprint of a build of the `content` files (full path and path relative to
/// `content/`, as `source::list_content` lists them) with the settings in `site_yaml`, the
/// build's `options` (anything else that changes the output or the findings: drafts,
/// `--base-url`, today's date) and the theme files of `theme` (child first).
pub fn fingerprint(
    site_yaml: &str,
    options: &str,
    content: &[(PathBuf, String)],
    theme: &[ThemeFiles],
) -> Inputs {
    let now = stamp::now();
    let mut racy = false;
    let mut hasher = blake3::Hasher::new();
    hash_field(&mut hasher, VERSION);
    hash_field(&mut hasher, site_yaml);
    hash_field(&mut hasher, options);
    // Each stamp's bytes, and whether it proves nothing (racy, or no file).
    let add_stamp = |hasher: &mut blake3::Hasher, stamp: Option<Stamp>| {
        let mut bytes = Vec::with_capacity(56);
        let racy = stamp_bytes(&mut bytes, stamp, now);
        hasher.update(&bytes);
        racy
    };
    // The program itself: a rebuilt `clinicsite` of the same version may write other bytes.
    let program = std::env::current_exe()
        .ok()
        .and_then(|exe| Stamp::following(&exe));
    racy |= add_stamp(&mut hasher, program);
    let stamps: Vec<Option<Stamp>> = {
        use rayon::prelude::*;
        content
            .par_iter()
            .map(|(path, _)| Stamp::following(path))
            .collect()
    };
    hasher.update(&(content.len() as u64).to_le_bytes());
    // The same bytes as a field and a stamp at a time, in one buffer: the hasher is slow to
    // call with many small pieces.
    let mut all = Vec::with_capacity(content.len() * 96);
    for ((_, rel), &stamp) in content.iter().zip(&stamps) {
        all.extend_from_slice(&(rel.len() as u64).to_le_bytes());
        all.extend_from_slice(rel.as_bytes());
        racy |= stamp_bytes(&mut all, stamp, now);
    }
    hasher.update(&all);
    let add_file = |hasher: &mut blake3::Hasher, racy: &mut bool, file: &AssetFile| {
        hash_field(hasher, &file.rel);
        match &file.data {
            Data::Embedded(bytes) => {
                hasher.update(blake3::hash(bytes).as_bytes());
            }
            Data::Made(bytes) => {
                hasher.update(blake3::hash(bytes).as_bytes());
            }
            Data::Disk(path) => *racy |= add_stamp(hasher, Stamp::following(path)),
        }
    };
    for files in theme {
        hash_field(&mut hasher, &files.name);
        hash_field(&mut hasher, &files.manifest);
        hasher.update(&(files.templates.len() as u64).to_le_bytes());
        for (name, text) in &files.templates {
            hash_field(&mut hasher, name);
            hash_field(&mut hasher, text);
        }
        hasher.update(&(files.i18n.len() as u64).to_le_bytes());
        for (lang, text) in &files.i18n {
            hash_field(&mut hasher, lang);
            hash_field(&mut hasher, text);
        }
        hasher.update(&(files.statics.len() as u64).to_le_bytes());
        for file in &files.statics {
            add_file(&mut hasher, &mut racy, file);
        }
    }
    Inputs {
        hash: hasher.finalize().to_hex().to_string(),
        racy,
        stamps,
        taken: now,
    }
}

/// Adds the bytes of `stamp` to `out`; whether it proves nothing (racy at `now`, or no file).
fn stamp_bytes(out: &mut Vec<u8>, stamp: Option<Stamp>, now: u128) -> bool {
    let Some(stamp) = stamp else {
        return true;
    };
    out.extend_from_slice(&stamp.len.to_le_bytes());
    out.extend_from_slice(&stamp.modified.to_le_bytes());
    out.extend_from_slice(&stamp.changed.to_le_bytes());
    out.extend_from_slice(&stamp.inode.to_le_bytes());
    stamp.is_racy(now)
}

/// The last build's outcome, when it was made from `inputs` into `output` and every file it
/// wrote is still there as it wrote it (and the manifest too, so no other build wrote there
/// since). `records` is the output's record folder.
pub fn unchanged(records: &Path, output: &Path, inputs: &Inputs) -> Option<Outcome> {
    use rayon::prelude::*;
    let bytes = crate::cache_format::read(&records.join(FILE)).ok()?;
    let head: Record = crate::cache_format::decode(VERSION, &bytes)?;
    if head.inputs != inputs.hash || inputs.racy {
        return None;
    }
    let mut record: Built = head.built.value()?;
    let manifest = crate::cache_format::read(&records.join(record::MANIFEST)).ok()?;
    if blake3::hash(&manifest).to_hex().as_str() != record.manifest {
        return None;
    }
    let now = stamp::now();
    let checked: Option<Vec<bool>> = record
        .files
        .par_iter()
        .map(|(path, recorded, hash)| {
            let path = output.join(path);
            if Stamp::of(&path) != Some(*recorded) {
                return None;
            }
            let racy = recorded.is_racy_in_output(record.taken);
            (!racy || crate::write::holds(&path, recorded.len, hash)).then_some(racy)
        })
        .collect();
    let checked = checked?;
    // Files read because their stamps were racy are proven now: if their stamps no longer
    // are, the next run need not read them again (Git refreshes its index the same way).
    if checked.iter().any(|&racy| racy) {
        record.taken = now;
        if let Some(built) = crate::cache_format::Blob::of(&record) {
            let record = Record {
                inputs: head.inputs,
                built,
            };
            let _ = crate::cache_format::save(&records.join(FILE), When::Changed, VERSION, &record);
        }
    }
    Some(record.outcome)
}

/// Removes the record: called before a build changes anything in the output.
pub fn forget(records: &Path) {
    let _ = fs::remove_file(records.join(FILE));
}

/// Records a successful build of `inputs` into `output`: its outcome and the stamps of the
/// `files` it wrote or kept (output path and hash), taken `taken` (before the first file was
/// put in place: every file changed since counts as racy). `stamps` holds each file's stamp
/// by output path (see `write::stamp::of_output`): the files it kept as the build found them
/// in place, since it did not touch them (a file changed meanwhile only makes the next build
/// do the work). Best effort: without a record the next build does the work.
pub fn save(
    records: &Path,
    inputs: &Inputs,
    (outcome, taken): (Outcome, u128),
    files: &[(&str, &str)],
    stamps: &rustc_hash::FxHashMap<String, Stamp>,
) {
    if inputs.racy {
        return;
    }
    let Ok(manifest) = crate::cache_format::read(&records.join(record::MANIFEST)) else {
        return;
    };
    let files: Option<Vec<(String, Stamp, String)>> = files
        .iter()
        .map(|(path, hash)| Some((path.to_string(), *stamps.get(*path)?, hash.to_string())))
        .collect();
    let Some(files) = files else {
        return;
    };
    let built = Built {
        outcome,
        taken,
        manifest: blake3::hash(&manifest).to_hex().to_string(),
        files,
    };
    let record = crate::cache_format::Blob::of(&built).map(|built| Record {
        inputs: inputs.hash.clone(),
        built,
    });
    if let Some(record) = record {
        let _ = crate::cache_format::save(&records.join(FILE), When::Changed, VERSION, &record);
    }
}
