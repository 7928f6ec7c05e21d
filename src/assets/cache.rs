//! The processed-image cache: a source file in, its processed files out, made at most once
//! for the same bytes and settings.
//!
//! `ROOT/.clinicsite-cache/images/KEY/` holds one image's files and `set.json`, where KEY is
//! the hash of the source bytes and everything that changes the result (`SETTINGS`, the job,
//! the format its name promises). The index (see `file_cache`) remembers each source file's
//! size, time and KEY, so a rebuild with nothing changed reads no photo at all.

use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::encode::{Encoded, EncodedSet};
use super::{Format, ImageSet, Job, Processed, SETTINGS, Source, Variant, sized_name};
use crate::diagnostics::{Code, Diagnostic};
use crate::file_cache::{self, FileCache};
use crate::source::Data;

const SET: &str = "set.json";

/// The cache folder and what this build used of it.
pub struct Cache {
    files: FileCache<Stamp>,
}

/// What the index remembers of a source file (by its path as shown in messages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified: u128,
    key: String,
}

impl file_cache::Record for Stamp {
    fn key<'a>(&'a self, _id: &'a str) -> &'a str {
        &self.key
    }
}

/// One image's entry: where its files are and what they are.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    #[serde(skip)]
    dir: std::path::PathBuf,
    main: Stored,
    fallback: Vec<Stored>,
    webp: Vec<Stored>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    /// File name inside the entry's folder.
    file: String,
    width: u32,
    height: u32,
    format: Format,
    hash: String,
    size: u64,
}

/// Makes an image's files from its source bytes.
pub type Make<'m> = &'m (dyn Fn(&[u8]) -> Result<EncodedSet, Diagnostic> + Sync);

impl Cache {
    pub fn open(dir: &Path) -> Cache {
        Cache {
            files: FileCache::open(dir, SETTINGS),
        }
    }

    /// `source`'s entry: from the cache when its bytes were processed before, else made with
    /// `make` and stored.
    pub fn entry(&self, source: &Source, make: Make) -> Result<Entry, Diagnostic> {
        let id = source.display.to_string_lossy().replace('\\', "/");
        let stamp = stamp_of(&source.file.data);
        if let Some((len, modified)) = stamp
            && let Some(known) = self.files.previous(&id)
            && known.len == len
            && known.modified == modified
            && let Some(entry) = self.load(&known.key)
        {
            self.files.record(id, known.clone());
            return Ok(entry);
        }
        let bytes = source.file.data.read().map_err(|error| {
            Diagnostic::new(
                Code::ImageUnreadable,
                &source.display,
                format!(
                    "cannot read `{}`: {error}",
                    crate::diagnostics::display_path(&source.display)
                ),
            )
        })?;
        let key = key_of(&bytes, source);
        let entry = match self.load(&key) {
            Some(entry) => entry,
            None => {
                let made = make(&bytes)?;
                drop(bytes);
                self.store(&key, made).map_err(|error| {
                    Diagnostic::new(
                        Code::ImageCache,
                        self.files.path(&key),
                        format!("cannot write the image cache: {error}"),
                    )
                    .help("check that the site's folder can be written to, or delete `.clinicsite-cache`")
                })?
            }
        };
        // A file built into the binary has no size and time to trust, but its entry is
        // still in use: recorded, so `save` keeps it.
        let (len, modified) = stamp.unwrap_or((0, 0));
        self.files.record(id, Stamp { len, modified, key });
        Ok(entry)
    }

    /// Writes the index of the entries this build used and removes the others.
    pub fn save(&self) {
        self.files.save();
    }

    fn load(&self, key: &str) -> Option<Entry> {
        let dir = self.files.path(key);
        let bytes = fs::read(dir.join(SET)).ok()?;
        let mut entry: Entry = serde_json::from_slice(&bytes).ok()?;
        entry.dir = dir;
        Some(entry)
    }

    fn store(&self, key: &str, made: EncodedSet) -> std::io::Result<Entry> {
        self.files.store_folder(key, |temp| {
            let save = |encoded: &Encoded, name: String| -> std::io::Result<Stored> {
                fs::write(temp.join(&name), &encoded.bytes)?;
                Ok(Stored {
                    file: name,
                    width: encoded.width,
                    height: encoded.height,
                    format: encoded.format,
                    hash: crate::write::hash::of(&encoded.bytes),
                    size: encoded.bytes.len() as u64,
                })
            };
            let main = save(&made.main, format!("main.{}", made.main.format.extension()))?;
            let mut fallback = Vec::new();
            for encoded in &made.fallback {
                fallback.push(save(encoded, file_name(encoded))?);
            }
            if made.responsive && made.main.format == made.main.format.fallback() {
                fallback.push(main.clone());
            }
            let webp = made
                .webp
                .iter()
                .map(|encoded| save(encoded, file_name(encoded)))
                .collect::<std::io::Result<Vec<_>>>()?;
            let entry = Entry {
                dir: self.files.path(key),
                main,
                fallback,
                webp,
            };
            let json = serde_json::to_vec_pretty(&entry).map_err(std::io::Error::other)?;
            fs::write(temp.join(SET), json)?;
            Ok(entry)
        })
    }
}

impl Entry {
    /// The set published for the source at `output` (its path under the output folder).
    pub fn set(&self, output: &str) -> ImageSet {
        let variant = |stored: &Stored, path: String| Variant {
            path,
            width: stored.width,
            height: stored.height,
            format: stored.format,
            file: Processed {
                path: self.dir.join(&stored.file),
                hash: stored.hash.clone(),
                size: stored.size,
            },
        };
        let sized = |stored: &Stored| {
            if stored.file == self.main.file {
                variant(stored, output.to_string())
            } else {
                variant(stored, sized_name(output, stored.width, stored.format))
            }
        };
        ImageSet {
            main: variant(&self.main, output.to_string()),
            fallback: self.fallback.iter().map(sized).collect(),
            webp: self.webp.iter().map(sized).collect(),
        }
    }
}

fn file_name(encoded: &Encoded) -> String {
    format!("{}.{}", encoded.width, encoded.format.extension())
}

fn key_of(bytes: &[u8], source: &Source) -> String {
    let mut hasher = blake3::Hasher::new();
    crate::cache_key::hash_field(&mut hasher, SETTINGS);
    let job = match source.job {
        Job::Responsive => "responsive",
        Job::Strip => "strip",
    };
    crate::cache_key::hash_field(&mut hasher, job);
    let format = Format::from_name(&source.output).map_or("", |f| f.extension());
    crate::cache_key::hash_field(&mut hasher, format);
    hasher.update(bytes);
    file_cache::key(&hasher)
}

/// A file's size and modification time, when it is on disk.
fn stamp_of(data: &Data) -> Option<(u64, u128)> {
    let Data::Disk(path) = data else {
        return None;
    };
    let meta = fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_nanos()))
}
