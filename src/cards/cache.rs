//! The card cache: a card's key in, its PNG file out, drawn at most once for the same texts,
//! style and font.
//!
//! `ROOT/.clinicsite-cache/cards/KEY.png` holds one card, where KEY hashes everything that
//! changes its pixels (see `super::key`). The index (see `file_cache`) remembers each card's
//! hash and size, so a rebuild with nothing changed reads no card at all.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::assets::Processed;
use crate::file_cache::{self, FileCache};

/// The cache folder and what this build used of it.
pub struct Cache {
    files: FileCache<Stored>,
}

/// What the index remembers of a card (by its key).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    /// blake3 of the bytes, in hex.
    hash: String,
    size: u64,
}

impl file_cache::Record for Stored {
    fn key<'a>(&'a self, id: &'a str) -> &'a str {
        id
    }
}

impl Cache {
    pub fn open(dir: &Path, version: &str) -> Cache {
        Cache {
            files: FileCache::open(dir, version),
        }
    }

    /// The card with `key`: from the cache when it was drawn before, else drawn with `draw`
    /// and stored.
    pub fn card(&self, key: &str, draw: &dyn Fn() -> Vec<u8>) -> std::io::Result<Processed> {
        let name = format!("{key}.png");
        let path = self.files.path(&name);
        let known = self.files.previous(key).filter(|stored| {
            fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == stored.size)
        });
        let stored = match known {
            Some(stored) => stored.clone(),
            None => match fs::read(&path) {
                // Drawn by another build (the dev server's, say) since the index was written.
                Ok(bytes) => stored_of(&bytes),
                Err(_) => {
                    let bytes = draw();
                    self.files.store_file(&name, &bytes)?;
                    stored_of(&bytes)
                }
            },
        };
        self.files.record(key.to_string(), stored.clone());
        Ok(Processed {
            path,
            hash: stored.hash,
            size: stored.size,
        })
    }

    /// Writes the index of the cards this build used and removes the others.
    pub fn save(&self) {
        self.files.save();
    }
}

fn stored_of(bytes: &[u8]) -> Stored {
    Stored {
        hash: crate::write::hash::of(bytes),
        size: bytes.len() as u64,
    }
}
