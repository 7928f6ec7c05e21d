//! Cache keys: the fields a cached result depends on in, one blake3 hash out. The theme, the
//! processed images and the build cache all key their records this way.

/// Adds one field to a hash, ended so that fields cannot run into each other.
pub fn hash_field(hasher: &mut blake3::Hasher, text: &str) {
    hasher.update(&(text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}
