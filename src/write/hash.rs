//! The hash that names an output file's bytes: bytes in, a hex text out, and whether a file on
//! disk still holds the bytes a hash names.
//!
//! It is compared, never trusted against an adversary: it tells a build whether the file an
//! earlier build wrote is still the one it would write. So it is XXH3 with 128 bits (32 hex
//! digits), which reads a page in a tenth of the instructions BLAKE3 takes. Records written
//! by earlier versions, and images encoded by them and kept in the cache, carry 64-digit BLAKE3
//! hashes: `holds` still recognises those by their length, so nothing has to be made again.

use std::fs;
use std::io::Read;
use std::path::Path;

use twox_hash::XxHash3_128;

/// The hash of `bytes`, as 32 lower-case hex digits.
pub fn of(bytes: &[u8]) -> String {
    format!("{:032x}", XxHash3_128::oneshot(bytes))
}

/// Whether `bytes` are the bytes `hash` names (made by `of`, or by BLAKE3 in earlier versions).
pub fn matches(bytes: &[u8], hash: &str) -> bool {
    match hash.len() {
        64 => blake3::hash(bytes).to_hex().as_str() == hash,
        _ => of(bytes) == hash,
    }
}

/// Whether the file at `path` holds exactly the bytes with `hash` (`size` long). The file is
/// hashed as it is read, a buffer at a time: a search index of 100,000 pages is 40 MB.
pub fn holds(path: &Path, size: u64, hash: &str) -> bool {
    let hashed = |file: fs::File| match hash.len() {
        64 => {
            let mut hasher = blake3::Hasher::new();
            hasher.update_reader(file).is_ok_and(|hasher| {
                hasher.count() == size && hasher.finalize().to_hex().as_str() == hash
            })
        }
        _ => xxh3_of_reader(file).is_some_and(|(read, digest)| read == size && digest == hash),
    };
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == size)
        && fs::File::open(path).is_ok_and(hashed)
}

/// The number of bytes `reader` gave and their hash, as `of` writes it.
fn xxh3_of_reader(mut reader: impl Read) -> Option<(u64, String)> {
    let mut hasher = XxHash3_128::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut read = 0u64;
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return Some((read, format!("{:032x}", hasher.finish_128()))),
            Ok(n) => {
                hasher.write(&buffer[..n]);
                read += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_in_pieces_has_the_hash_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        // Longer than one buffer, so the reader's hash is made of several writes.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let hash = of(&bytes);
        assert_eq!(hash.len(), 32);
        assert!(holds(&path, bytes.len() as u64, &hash));
        assert!(!holds(&path, bytes.len() as u64 - 1, &hash));
        let mut changed = bytes.clone();
        changed[150_000] ^= 1;
        assert!(!holds(&path, bytes.len() as u64, &of(&changed)));
    }

    #[test]
    fn hashes_written_by_earlier_versions_are_still_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.webp");
        fs::write(&path, b"encoded image").unwrap();
        let old = blake3::hash(b"encoded image").to_hex().to_string();
        assert!(holds(&path, 13, &old));
        assert!(!holds(&path, 13, &blake3::hash(b"another image").to_hex()));
        assert!(
            matches(b"encoded image", &old) && matches(b"encoded image", &of(b"encoded image"))
        );
        assert!(!matches(b"encoded image", &of(b"another image")) && !matches(b"", ""));
    }
}
