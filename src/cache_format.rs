//! How the build's records are stored (`build_cache`, `read_record`, `check::findings_cache`):
//! a value and the version of its layout in, compact bytes out, and back.
//!
//! The bytes are the version's text (with this layout's own, `LAYOUT`), the CRC-32 of the
//! rest, then the value in MessagePack with structs as rows of values (no field names),
//! which a build reads in a few milliseconds for 10,000 pages. Bytes written by another
//! version, damaged or cut short read as nothing, never as a wrong value: the caller then
//! does the work anew. So a struct's fields may change only with its version. (The checksum
//! finds damage, not tampering: the records are the site's own cache, and CRC-32 checks a
//! 5 MB record many times faster than a cryptographic hash.)
//!
//! A record with one entry per page keeps each entry as a `Blob`, its own MessagePack bytes:
//! a build decodes only the entries it uses, and writes the ones it did not change back as
//! they were, without decoding and encoding them again. Of an entry it decodes only the
//! fields it needs: `fields` cuts it into its fields' bytes, passing over the rest unread.

use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

mod fields;
pub use fields::{Reader, fields, skip};

/// The layout of the bytes around the value, written after the caller's version: bytes of an
/// earlier layout (a BLAKE3 hash where the CRC now is) read as another version.
const LAYOUT: &str = " / crc32";

/// The value's bytes, after the version that says how to read them.
#[cfg(test)]
pub fn encode<T: Serialize>(version: &str, value: &T) -> Option<Vec<u8>> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    write(&mut bytes, version, value).ok()?;
    Some(bytes.into_inner())
}

/// Replaces the file at `path` (see `atomic_file::replace_with`) with `value`'s bytes as
/// `encode` makes them, encoded straight into the file: a record of 100,000 pages is never
/// whole in memory, nor read back to be compared.
pub fn save<T: Serialize>(
    path: &Path,
    when: crate::atomic_file::When,
    version: &str,
    value: &T,
) -> std::io::Result<()> {
    crate::atomic_file::replace_with(path, when, |file| write(file, version, value))
}

/// `save`, with the value's MessagePack written by `payload` rather than by serde: for a
/// record holding one run of bytes gathered from many places (`write_bytes_header`, then
/// each piece), which serde could only write once it was whole in memory.
pub fn save_with(
    path: &Path,
    when: crate::atomic_file::When,
    version: &str,
    payload: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> std::io::Result<()> {
    crate::atomic_file::replace_with(path, when, |file| write_with(file, version, payload))
}

/// The MessagePack header of a list of `length` values, as `rmp_serde` writes a struct's
/// (it calls the same `rmp` function).
pub fn write_list_header(mut out: &mut dyn Write, length: usize) -> io::Result<()> {
    let length =
        u32::try_from(length).map_err(|_| io::Error::other("a list too long for MessagePack"))?;
    rmp::encode::write_array_len(&mut out, length).map_err(io::Error::other)?;
    Ok(())
}

/// The MessagePack header of `length` bytes, as `rmp_serde` writes a `Raw`'s (it calls the
/// same `rmp` function): the bytes themselves follow.
pub fn write_bytes_header(mut out: &mut dyn Write, length: usize) -> io::Result<()> {
    let length = u32::try_from(length)
        .map_err(|_| io::Error::other("a run of bytes too long for MessagePack"))?;
    rmp::encode::write_bin_len(&mut out, length).map_err(io::Error::other)?;
    Ok(())
}

/// Writes the version, then the value with its checksum (written last, where its place was
/// left, once the value's bytes have gone by).
fn write<W: Write + Seek, T: Serialize>(out: &mut W, version: &str, value: &T) -> io::Result<()> {
    write_with(out, version, |payload| {
        rmp_serde::encode::write(payload, value).map_err(io::Error::other)
    })
}

/// `write`, the value's MessagePack written by `payload`.
fn write_with<W: Write + Seek>(
    out: &mut W,
    version: &str,
    write_payload: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    out.write_all(&((version.len() + LAYOUT.len()) as u32).to_le_bytes())?;
    out.write_all(version.as_bytes())?;
    out.write_all(LAYOUT.as_bytes())?;
    let crc_at = out.stream_position()?;
    out.write_all(&[0; 4])?;
    let crc = {
        let mut payload = Checksummed {
            crc: crc32fast::Hasher::new(),
            out: io::BufWriter::with_capacity(256 * 1024, &mut *out),
        };
        write_payload(&mut payload)?;
        payload.out.flush()?;
        payload.crc.finalize()
    };
    let end = out.stream_position()?;
    out.seek(SeekFrom::Start(crc_at))?;
    out.write_all(&crc.to_le_bytes())?;
    out.seek(SeekFrom::Start(end))?;
    Ok(())
}

/// A writer that checksums what goes through it.
struct Checksummed<W: Write> {
    crc: crc32fast::Hasher,
    out: W,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.crc.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The value in `bytes` when they were written by `encode` with this `version`.
pub fn decode<T: DeserializeOwned>(version: &str, bytes: &[u8]) -> Option<T> {
    view(version, bytes)
}

/// `decode`, its texts and bytes borrowed from `bytes` rather than copied (a `T` of `&str`
/// fields).
pub fn view<'a, T: Deserialize<'a>>(version: &str, bytes: &'a [u8]) -> Option<T> {
    value_of(payload(version, bytes)?)
}

/// The value's MessagePack in `bytes` written by `encode` with this `version`, checked, for
/// a caller that reads it by hand (see `Reader`).
pub fn payload<'a>(version: &str, bytes: &'a [u8]) -> Option<&'a [u8]> {
    let (length, rest) = bytes.split_first_chunk::<4>()?;
    let (written, payload) = rest.split_at_checked(u32::from_le_bytes(*length) as usize)?;
    let (crc, payload) = payload.split_first_chunk::<4>()?;
    let same_version = written.len() == version.len() + LAYOUT.len()
        && written.starts_with(version.as_bytes())
        && written.ends_with(LAYOUT.as_bytes());
    let same_crc = crc32fast::hash(payload) == u32::from_le_bytes(*crc);
    (same_version && same_crc).then_some(payload)
}

/// A record file's bytes, as `read` gives them.
#[derive(Debug)]
pub enum Bytes {
    /// A large file, mapped: its pages are the system's file cache, put in place in one
    /// call and handed back the moment the bytes are dropped.
    Mapped(memmap2::Mmap),
    /// A small file (or one that could not be mapped), read into memory.
    Read(Vec<u8>),
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Read(Vec::new())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map) => map,
            Bytes::Read(bytes) => bytes,
        }
    }
}

/// The bytes of the record at `path`. A record of a large site is tens of megabytes, read
/// on every build: read into memory, each page of it is faulted in, copied from the file
/// cache, then freed and handed back to the system, only for the next stage to fault its
/// own memory in again. Mapped, it costs one call and no copy.
pub fn read(path: &Path) -> io::Result<Bytes> {
    /// Below this many bytes a file is read: mapping costs more than copying.
    const MAP_FROM: u64 = 64 * 1024;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len >= MAP_FROM {
        // SAFETY: a mapping is only sound while no one changes the file in place. Records
        // are never written in place: every writer (`atomic_file`) writes a new file and
        // renames it over the old one, which leaves a mapped old file as it was. Only a
        // person truncating a record by hand during a build could pull bytes from under it.
        if let Ok(map) = unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            return Ok(Bytes::Mapped(map));
        }
    }
    let mut bytes = Vec::with_capacity(len as usize);
    io::Read::read_to_end(&mut &file, &mut bytes)?;
    Ok(Bytes::Read(bytes))
}

/// Whether a record of `entries` entries is worth writing again for `changed` of them: always
/// for a small record, and for a large one only once a share of it changed. Writing 10,000
/// entries back costs more than a one-page edit's whole build saves by them; an entry not
/// written again is only out of date, which costs the next build the work for that one file
/// (a record is checked entry by entry, by stamps and hashes, never trusted blindly).
pub fn worth_rewriting(changed: usize, entries: usize) -> bool {
    /// Written again once one entry in this many changed.
    const SHARE: usize = 32;
    changed > 0 && changed.saturating_mul(SHARE) >= entries
}

/// One value encoded on its own, to be kept inside a record as a `Blob`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

impl Blob {
    /// `value` in MessagePack.
    pub fn of<T: Serialize>(value: &T) -> Option<Blob> {
        // Encoded into the thread's buffer, grown once for all the blobs a build makes, then
        // copied into a blob of its exact length: a record keeps one blob per page until it
        // is written, and a blob grown byte by byte would be reallocated several times and
        // hold up to twice its room.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        /// A buffer grown beyond this by an unusually large value is let go of after it.
        const KEPT: usize = 1 << 20;
        let encoded = SCRATCH.with(|scratch| {
            let mut scratch = scratch.try_borrow_mut().ok()?;
            scratch.clear();
            let blob = rmp_serde::encode::write(&mut *scratch, value)
                .ok()
                .map(|()| scratch.as_slice().to_vec());
            if scratch.capacity() > KEPT {
                *scratch = Vec::new();
            }
            Some(blob)
        });
        let bytes = match encoded {
            Some(blob) => blob?,
            // A value whose encoding makes a blob of its own (the buffer is in use).
            None => {
                let mut bytes = rmp_serde::to_vec(value).ok()?;
                bytes.shrink_to_fit();
                bytes
            }
        };
        Some(Blob(bytes))
    }

    /// The value these bytes hold, when they hold a whole `T` and nothing more.
    pub fn value<T: DeserializeOwned>(&self) -> Option<T> {
        value_of(&self.0)
    }

    /// The value these bytes hold, its texts borrowed from them rather than copied (a
    /// `T` of `&str` fields), when they hold a whole `T` and nothing more.
    pub fn view<'a, T: Deserialize<'a>>(&'a self) -> Option<T> {
        value_of(&self.0)
    }
}

/// The whole of `bytes` read as a `T` (a `Blob`'s bytes, or a part of a record kept as it
/// was read).
pub fn value_of<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    // Read in place: each text is copied once, into its `String`.
    let mut reader = rmp_serde::Deserializer::from_read_ref(bytes);
    let value = T::deserialize(&mut reader).ok()?;
    // Bytes left over mean the bytes are not what `encode` wrote: the next value must not
    // even have a first byte.
    let next = serde::de::IgnoredAny::deserialize(&mut reader);
    let ended = matches!(next, Err(rmp_serde::decode::Error::InvalidMarkerRead(e))
        if e.kind() == std::io::ErrorKind::UnexpectedEof);
    ended.then_some(value)
}

impl Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Blob;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Blob, E> {
                Ok(Blob(bytes.to_vec()))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// Bytes kept as they are, borrowed from a record as read, written as MessagePack bytes (not
/// a list of numbers).
#[derive(Clone, Copy)]
pub struct Raw<'a>(pub &'a [u8]);

impl Serialize for Raw<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'a [u8]>::deserialize(deserializer).map(Raw)
    }
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

    #[test]
    fn a_blob_is_the_value_encoded_at_its_exact_length() {
        // The second value outgrows the buffer kept between blobs; the one after it is
        // encoded in a new one.
        let values = [
            vec!["a".to_string(); 3],
            vec!["long".repeat(1000); 300],
            Vec::new(),
            vec!["b".to_string()],
        ];
        for value in &values {
            let blob = Blob::of(value).expect("encoded");
            assert_eq!(blob.0, rmp_serde::to_vec(value).unwrap());
            assert_eq!(blob.0.capacity(), blob.0.len());
            assert_eq!(blob.value::<Vec<String>>().as_ref(), Some(value));
        }
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

    #[test]
    fn a_saved_record_holds_the_bytes_encode_makes_and_an_unchanged_one_is_left_alone() {
        use crate::atomic_file::When;
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("record");
        let rows: Vec<Row> = (0..5000)
            .map(|n| Row {
                name: format!("faq/page-{n}.md"),
                sizes: vec![n, n * 7],
                hash: blake3::hash(&n.to_le_bytes()).into(),
            })
            .collect();
        save(&path, When::Always, "v1", &rows).expect("saved");
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(bytes, encode("v1", &rows).expect("encoded"));
        assert_eq!(decode::<Vec<Row>>("v1", &bytes).as_ref(), Some(&rows));
        let inode = std::fs::metadata(&path).expect("stat").ino();
        save(&path, When::Changed, "v1", &rows).expect("saved");
        assert_eq!(
            std::fs::metadata(&path).expect("stat").ino(),
            inode,
            "left alone"
        );
        save(&path, When::Changed, "v1", &rows[1..].to_vec()).expect("saved");
        assert_ne!(
            std::fs::metadata(&path).expect("stat").ino(),
            inode,
            "replaced"
        );
        let back = decode::<Vec<Row>>("v1", &std::fs::read(&path).expect("read"));
        assert_eq!(back.as_deref(), Some(&rows[1..]));
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_record_is_written_again_for_any_change_when_small_and_for_a_share_when_large() {
        assert!(!worth_rewriting(0, 0));
        assert!(!worth_rewriting(0, 10));
        assert!(worth_rewriting(1, 1));
        assert!(worth_rewriting(1, 32));
        assert!(!worth_rewriting(1, 33));
        assert!(!worth_rewriting(312, 10_000));
        assert!(worth_rewriting(313, 10_000));
    }

    #[test]
    fn a_blob_keeps_one_value_and_is_read_whole() {
        let row = Row {
            name: "faq/pain.md".into(),
            sizes: vec![7],
            hash: blake3::hash(b"body").into(),
        };
        let blob = Blob::of(&row).expect("encoded");
        let rows = vec![("faq/pain.md".to_string(), blob.clone())];
        let bytes = encode("v1", &rows).expect("encoded");
        let back = decode::<Vec<(String, Blob)>>("v1", &bytes).expect("decoded");
        assert_eq!(back, rows);
        assert_eq!(back[0].1.value::<Row>(), Some(row));
        let mut longer = blob.clone();
        longer.0.push(0);
        assert_eq!(longer.value::<Row>(), None, "bytes left over");
        let cut = Blob(blob.0[..blob.0.len() - 1].to_vec());
        assert_eq!(cut.value::<Row>(), None, "cut short");
    }

    #[test]
    fn a_large_record_is_mapped_and_keeps_its_bytes_while_another_build_replaces_it() {
        let dir = tempfile::tempdir().expect("a folder");
        let rows = |n: u64| -> Vec<Row> {
            (0..n)
                .map(|i| Row {
                    name: format!("faq/question-{i}.md"),
                    sizes: vec![i; 8],
                    hash: blake3::hash(&i.to_le_bytes()).into(),
                })
                .collect()
        };
        let (small, large) = (dir.path().join("small"), dir.path().join("large"));
        let when = crate::atomic_file::When::Always;
        save(&small, when, "v1", &rows(3)).expect("saved");
        save(&large, when, "v1", &rows(2000)).expect("saved");
        let read_small = read(&small).expect("read");
        assert!(
            matches!(read_small, Bytes::Read(_)),
            "a small record is read"
        );
        assert_eq!(decode::<Vec<Row>>("v1", &read_small), Some(rows(3)));
        let mapped = read(&large).expect("read");
        assert!(
            matches!(mapped, Bytes::Mapped(_)),
            "a large record is mapped"
        );
        assert_eq!(decode::<Vec<Row>>("v1", &mapped), Some(rows(2000)));
        // Another build writes its record while this one still reads the last: the mapped
        // bytes stay the last record's, whole, and the next read finds the new one.
        save(&large, when, "v1", &rows(1500)).expect("saved");
        assert_eq!(decode::<Vec<Row>>("v1", &mapped), Some(rows(2000)));
        let again = read(&large).expect("read");
        assert_eq!(decode::<Vec<Row>>("v1", &again), Some(rows(1500)));
        assert!(read(&dir.path().join("none")).is_err(), "no record");
    }

    /// The headers written by hand are those `rmp_serde` writes, at every size's edge.
    #[test]
    fn headers_are_the_ones_serde_writes() {
        for n in [0, 15, 16, 255, 256, 65_535, 65_536, 70_000] {
            let mut list = Vec::new();
            write_list_header(&mut list, n).expect("written");
            let serde = rmp_serde::to_vec(&vec![(); n]).expect("encoded");
            assert_eq!(list, serde[..list.len()], "a list of {n}");
            let mut bytes = Vec::new();
            write_bytes_header(&mut bytes, n).expect("written");
            let serde = rmp_serde::to_vec(&Raw(&vec![1; n])).expect("encoded");
            assert_eq!(bytes, serde[..serde.len() - n], "{n} bytes");
        }
    }
}
