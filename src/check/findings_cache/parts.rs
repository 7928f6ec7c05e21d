//! A findings file written in pieces: each page's row and entry in, the bytes serde would
//! write for the whole `File` out, without joining the entries in memory. An entry the file
//! had is written from where it lies; a page checked anew is encoded only as it is written,
//! its length known beforehand from an encoding that kept no bytes (`Part::fresh`), so no
//! run of new entries is held while the file is written.

use std::io::Write;

use super::{Document, Tally, encode};
use crate::diagnostics::Diagnostic;

/// One page's entry in the file being written.
#[derive(Clone, Copy)]
pub(super) enum Part<'e> {
    /// Its MessagePack bytes, as the file had them (or as a test gives them).
    Bytes(&'e [u8]),
    /// A page checked anew, encoded as it is written: `len` bytes.
    Fresh {
        doc: &'e Document,
        findings: &'e [Diagnostic],
        len: usize,
    },
}

impl<'e> Part<'e> {
    /// The entry of `doc` and `findings`, its codes placed in `codes` (new ones added): its
    /// length counted by encoding it into nothing. `None` when it cannot be encoded.
    pub fn fresh(
        doc: &'e Document,
        findings: &'e [Diagnostic],
        codes: &mut super::Table<'e>,
    ) -> Option<Part<'e>> {
        let mut counted = Counted {
            out: std::io::sink(),
            len: 0,
        };
        encode(doc, findings, &mut |code| codes.place(code), &mut counted).ok()?;
        Some(Part::Fresh {
            doc,
            findings,
            len: counted.len,
        })
    }

    pub fn len(&self) -> usize {
        match self {
            Part::Bytes(bytes) => bytes.len(),
            Part::Fresh { len, .. } => *len,
        }
    }
}

/// Adds a page's row to `packed` (see `File::rows`) and its entry to `pieces`.
pub(super) fn push_row<'e>(
    packed: &mut Vec<u8>,
    pieces: &mut Vec<Part<'e>>,
    (whole, quick, tally): (u128, Option<u128>, Tally),
    entry: Part<'e>,
) {
    packed.extend_from_slice(&whole.to_le_bytes());
    packed.push(u8::from(quick.is_some()));
    packed.extend_from_slice(&quick.unwrap_or(0).to_le_bytes());
    packed.extend_from_slice(&(entry.len() as u32).to_le_bytes());
    tally.write(packed);
    pieces.push(entry);
}

/// A `File` to write, its entries in pieces: the bytes are those serde would write for the
/// `File` with the pieces joined, without joining them in memory.
pub(super) struct FileParts<'a> {
    /// The codes' texts in their places; a new entry names its codes by these places, as
    /// when it was counted.
    pub codes: &'a super::Table<'a>,
    pub rows: &'a [u8],
    pub entries: &'a [Part<'a>],
    pub placed: &'a [u8],
    pub duplicates: &'a [u8],
}

impl FileParts<'_> {
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        use crate::cache_format::{write_bytes_header, write_list_header};
        let bytes = |out: &mut dyn Write, bytes: &[u8]| {
            write_bytes_header(out, bytes.len())?;
            out.write_all(bytes)
        };
        let places = &self.codes.places;
        let mut place = |code: &str| places.get(code).copied().unwrap_or(u32::MAX);
        // `File`'s five fields, in its order.
        write_list_header(out, 5)?;
        rmp_serde::encode::write(out, &self.codes.texts).map_err(std::io::Error::other)?;
        bytes(out, self.rows)?;
        write_bytes_header(out, self.entries.iter().map(Part::len).sum())?;
        for entry in self.entries {
            match *entry {
                Part::Bytes(bytes) => out.write_all(bytes)?,
                Part::Fresh { doc, findings, len } => {
                    let mut counted = Counted {
                        out: &mut *out,
                        len: 0,
                    };
                    encode(doc, findings, &mut place, &mut counted)?;
                    // Its row says `len` bytes: any other length would misplace every
                    // entry after it, so the file is not written at all.
                    if counted.len != len {
                        return Err(std::io::Error::other("an entry changed its length"));
                    }
                }
            }
        }
        bytes(out, self.placed)?;
        bytes(out, self.duplicates)
    }
}

/// A writer passing bytes on to `out` and counting them.
struct Counted<W> {
    out: W,
    len: usize,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.len += written;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
