//! A kept page's packed `Entry` read in place: the record's bytes in, the fields each
//! use needs out (see `cache_format::Reader` and `cache_format::fields`).

use crate::cache_format::Hash32;
use crate::write::stamp::Stamp;

/// An `Entry` read in place: its texts borrowed from the record's bytes, its headings, ids
/// and links passed over unread (see `cache_format::fields`). Every page kept is read this
/// way, so a kept page costs no copy of what the rendering pass does not keep.
#[derive(Debug)]
pub(super) struct EntryView<'a> {
    pub(super) source: Hash32,
    pub(super) output: &'a str,
    pub(super) hash: &'a str,
    pub(super) size: u64,
    pub(super) stamp: Option<Stamp>,
    pub(super) proven: u128,
    pub(super) anchors: Vec<AnchorView<'a>>,
}

/// The fields of a packed `Entry`, each its own bytes, in `Entry`'s order.
pub(super) fn entry_fields(entry: &[u8]) -> Option<[&[u8]; 10]> {
    crate::cache_format::fields(entry)
}

impl<'a> EntryView<'a> {
    /// Read by hand, field by field in `Entry`'s order (see `cache_format::Reader`): every
    /// kept page's entry is read, and serde would cost several times as much.
    pub(super) fn of(entry: &'a [u8]) -> Option<EntryView<'a>> {
        let mut read = crate::cache_format::Reader(entry);
        (read.list()? == 10).then_some(())?;
        let source = Hash32(read.bytes()?.try_into().ok()?);
        let (output, hash, size) = (read.text()?, read.text()?, read.number()?);
        let stamp = crate::cache_format::value_of(read.value()?)?;
        let proven = read.u128()?;
        let (_headings, _ids) = (read.value()?, read.value()?);
        let count = read.list()?;
        let mut anchors = Vec::with_capacity(count.min(entry.len()));
        for _ in 0..count {
            (read.list()? == 6).then_some(())?;
            let target = read.text()?;
            let _anchor = read.value()?;
            let link = read.text()?;
            let mut number = || usize::try_from(read.number()?).ok();
            let (line, column, width) = (number()?, number()?, number()?);
            anchors.push(AnchorView {
                target,
                link,
                line,
                column,
                width,
            });
        }
        let _links = read.value()?;
        read.is_done().then_some(EntryView {
            source,
            output,
            hash,
            size,
            stamp,
            proven,
            anchors,
        })
    }
}

/// The headings and ids of an `Entry`, read when another page's `#anchor` link or a search
/// index asks for those of a kept page (see `Reuse::outline`).
#[derive(Debug)]
pub(super) struct OutlineView {
    pub(super) headings: Vec<String>,
    pub(super) ids: Vec<String>,
}

impl OutlineView {
    pub(super) fn of(entry: &[u8]) -> Option<OutlineView> {
        use crate::cache_format::value_of;
        let [_, _, _, _, _, _, headings, ids, _, _] = entry_fields(entry)?;
        Some(OutlineView {
            headings: value_of(headings)?,
            ids: value_of(ids)?,
        })
    }
}

/// An `Anchor` read in place, but for the link's part after its `#` (see
/// `AnchorCheck::anchor`).
#[derive(Debug)]
pub(super) struct AnchorView<'a> {
    pub(super) target: &'a str,
    pub(super) link: &'a str,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) width: usize,
}
