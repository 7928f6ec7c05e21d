//! The card cache: a card's key in, its PNG file out, drawn at most once for the same texts,
//! style and font.
//!
//! `ROOT/.clinicsite-cache/cards/KEY.png` holds one card, where KEY hashes everything that
//! changes its pixels (see `super::key`). `index.json` remembers each file's hash and size, so
//! a rebuild with nothing changed reads no card at all. A card is written to a temporary file
//! and renamed into place, so a build stopped halfway leaves only whole files. The cache may
//! be deleted at any time: the same bytes are drawn again.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::assets::Processed;

const INDEX: &str = "index.json";

/// The cache folder and what this build used of it.
pub struct Cache {
    dir: PathBuf,
    previous: Index,
    used: Mutex<Index>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    version: String,
    /// By key.
    cards: BTreeMap<String, Stored>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    /// blake3 of the bytes, in hex.
    hash: String,
    size: u64,
}

impl Cache {
    pub fn open(dir: &Path, version: &str) -> Cache {
        let previous: Index = fs::read(dir.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .filter(|index: &Index| index.version == version)
            .unwrap_or_default();
        Cache {
            dir: dir.to_path_buf(),
            previous,
            used: Mutex::new(Index {
                version: version.to_string(),
                cards: BTreeMap::new(),
            }),
        }
    }

    /// The card with `key`: from the cache when it was drawn before, else drawn with `draw`
    /// and stored.
    pub fn card(&self, key: &str, draw: &dyn Fn() -> Vec<u8>) -> std::io::Result<Processed> {
        let path = self.dir.join(format!("{key}.png"));
        let known = self.previous.cards.get(key).filter(|stored| {
            fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == stored.size)
        });
        let stored = match known {
            Some(stored) => stored.clone(),
            None => match fs::read(&path) {
                // Drawn by another build (the dev server's, say) since the index was written.
                Ok(bytes) => stored_of(&bytes),
                Err(_) => {
                    let bytes = draw();
                    self.store(&path, &bytes)?;
                    stored_of(&bytes)
                }
            },
        };
        self.lock().cards.insert(key.to_string(), stored.clone());
        Ok(Processed {
            path,
            hash: stored.hash,
            size: stored.size,
        })
    }

    /// Writes the index of the cards this build used and removes the others.
    pub fn save(&self) {
        let used = self.lock();
        if let Ok(listing) = fs::read_dir(&self.dir) {
            for item in listing.filter_map(Result::ok) {
                let name = item.file_name().to_string_lossy().into_owned();
                if let Some(key) = name.strip_suffix(".png")
                    && super::is_key(key)
                    && !used.cards.contains_key(key)
                {
                    let _ = fs::remove_file(item.path());
                }
            }
        }
        if used.cards.is_empty() && self.previous.cards.is_empty() {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec_pretty(&*used)
            && fs::create_dir_all(&self.dir).is_ok()
        {
            let _ = crate::atomic_file::replace(&self.dir.join(INDEX), &bytes);
        }
    }

    fn store(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        crate::atomic_file::replace(path, bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Index> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn stored_of(bytes: &[u8]) -> Stored {
    Stored {
        hash: blake3::hash(bytes).to_hex().to_string(),
        size: bytes.len() as u64,
    }
}
