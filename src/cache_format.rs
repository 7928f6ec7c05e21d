//! How the build's records are stored (`build_cache`, `read_record`, `check::findings_cache`):
//! a value and the version of its layout in, compact bytes out, and back.
//!
//! The bytes are the version's text, the BLAKE3 hash of the rest, then the value in
//! MessagePack with structs as rows of values (no field names), which a build reads in a few
//! milliseconds for 10,000 pages. Bytes written by another version, damaged or cut short read
//! as nothing, never as a wrong value: the caller then does the work anew. So a struct's
//! fields may change only with its version.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The value's bytes, after the version that says how to read them.
pub fn encode<T: Serialize>(version: &str, value: &T) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(64 * 1024);
    bytes.extend_from_slice(&(version.len() as u32).to_le_bytes());
    bytes.extend_from_slice(version.as_bytes());
    let start = bytes.len();
    bytes.extend_from_slice(&[0; 32]);
    rmp_serde::encode::write(&mut bytes, value).ok()?;
    let hash = blake3::hash(&bytes[start + 32..]);
    bytes[start..start + 32].copy_from_slice(hash.as_bytes());
    Some(bytes)
}

/// The value in `bytes` when they were written by `encode` with this `version`.
pub fn decode<T: DeserializeOwned>(version: &str, bytes: &[u8]) -> Option<T> {
    let (length, rest) = bytes.split_first_chunk::<4>()?;
    let (written, payload) = rest.split_at_checked(u32::from_le_bytes(*length) as usize)?;
    let (hash, payload) = payload.split_first_chunk::<32>()?;
    if written != version.as_bytes() || blake3::hash(payload) != blake3::Hash::from_bytes(*hash) {
        return None;
    }
    let mut rest = payload;
    let value = T::deserialize(&mut rmp_serde::Deserializer::new(&mut rest)).ok()?;
    // Bytes left over mean the file is not what `encode` wrote.
    rest.is_empty().then_some(value)
}

/// A 32-byte hash stored as bytes (a plain array would be stored as 32 numbers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hash32(pub [u8; 32]);

impl From<blake3::Hash> for Hash32 {
    fn from(hash: blake3::Hash) -> Hash32 {
        Hash32(*hash.as_bytes())
    }
}

impl Serialize for Hash32 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Hash32 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Hash32;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("32 bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Hash32, E> {
                <[u8; 32]>::try_from(bytes)
                    .map(Hash32)
                    .map_err(|_| E::invalid_length(bytes.len(), &self))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Row {
        name: String,
        sizes: Vec<u64>,
        hash: Hash32,
    }

    #[test]
    fn reads_back_what_it_wrote_and_nothing_else() {
        let row = Row {
            name: "faq/pain.md".into(),
            sizes: vec![1, 2, 300_000],
            hash: blake3::hash(b"body").into(),
        };
        let bytes = encode("v1", &row).expect("encoded");
        assert_eq!(decode::<Row>("v1", &bytes), Some(row));
        assert_eq!(decode::<Row>("v2", &bytes), None, "another version");
        for cut in 0..bytes.len() {
            assert_eq!(decode::<Row>("v1", &bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode::<Row>("v1", &longer), None);
        let mut damaged = bytes;
        let last = damaged.len() - 1;
        damaged[last] = 0xc1;
        assert_eq!(decode::<Row>("v1", &damaged), None);
    }
}
