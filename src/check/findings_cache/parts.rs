//! A findings file written in pieces: each page's row and entry in, the bytes serde would
//! write for the whole `File` out, without joining the entries in memory.

use super::Tally;

/// Adds a page's row to `packed` (see `File::rows`) and its entry to `pieces`.
pub(super) fn push_row<'e>(
    packed: &mut Vec<u8>,
    pieces: &mut Vec<&'e [u8]>,
    (whole, quick, tally): (u128, Option<u128>, Tally),
    entry: &'e [u8],
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
    pub codes: &'a [&'a str],
    pub rows: &'a [u8],
    pub entries: &'a [&'a [u8]],
    pub placed: &'a [u8],
    pub duplicates: &'a [u8],
}

impl FileParts<'_> {
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use crate::cache_format::{write_bytes_header, write_list_header};
        let bytes = |out: &mut dyn std::io::Write, bytes: &[u8]| {
            write_bytes_header(out, bytes.len())?;
            out.write_all(bytes)
        };
        // `File`'s five fields, in its order.
        write_list_header(out, 5)?;
        rmp_serde::encode::write(out, self.codes).map_err(std::io::Error::other)?;
        bytes(out, self.rows)?;
        write_bytes_header(out, self.entries.iter().map(|e| e.len()).sum())?;
        for entry in self.entries {
            out.write_all(entry)?;
        }
        bytes(out, self.placed)?;
        bytes(out, self.duplicates)
    }
}
