//! A record's value cut into its fields without reading them: MessagePack bytes in, the bytes
//! of each item of the list they hold out (a struct is written as a list of its fields).
//!
//! Skipping a value through serde (`IgnoredAny`) still reads it: `rmp_serde` checks every
//! text it passes for UTF-8. A build keeps most pages, and reads of each kept page's entry
//! only a few fields: with `fields` the others are passed over by their lengths alone, and
//! each field wanted is decoded on its own (`value_of`).

use rmp::Marker;

/// The `N` items of the list that is the whole of `bytes`, each as its own bytes; `None`
/// unless `bytes` hold exactly one list of `N` whole items.
pub fn fields<const N: usize>(bytes: &[u8]) -> Option<[&[u8]; N]> {
    let mut rest = bytes;
    let len = rmp::decode::read_array_len(&mut rest).ok()?;
    if len as usize != N {
        return None;
    }
    let mut items = [&[][..]; N];
    for item in &mut items {
        let (value, after) = rest.split_at_checked(skip(rest)?)?;
        *item = value;
        rest = after;
    }
    rest.is_empty().then_some(items)
}

/// MessagePack values read one after another in place, each by its marker, texts borrowed:
/// for the fields of a record's entry that every build reads (a kept page's), which serde
/// would read at many times the cost. Every read checks the value's kind and length: bytes
/// of another layout read as `None`, never as other values.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: u32) -> Option<&'a [u8]> {
        let (value, rest) = self.0.split_at_checked(usize::try_from(n).ok()?)?;
        self.0 = rest;
        Some(value)
    }

    /// The length of a list (a struct's fields, a `Vec`'s items) that follows.
    pub fn list(&mut self) -> Option<usize> {
        let len = rmp::decode::read_array_len(&mut self.0).ok()?;
        usize::try_from(len).ok()
    }

    /// A run of bytes.
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = rmp::decode::read_bin_len(&mut self.0).ok()?;
        self.take(len)
    }

    pub fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.text_bytes()?).ok()
    }

    /// A text's bytes, not yet checked for UTF-8: for a caller that checks only the texts it
    /// comes to use.
    pub fn text_bytes(&mut self) -> Option<&'a [u8]> {
        let len = rmp::decode::read_str_len(&mut self.0).ok()?;
        self.take(len)
    }

    /// A whole number that is not negative.
    pub fn number(&mut self) -> Option<u64> {
        rmp::decode::read_int(&mut self.0).ok()
    }

    /// A `u128`, as `rmp_serde` writes one: its 16 bytes, most significant first.
    pub fn u128(&mut self) -> Option<u128> {
        Some(u128::from_be_bytes(self.bytes()?.try_into().ok()?))
    }

    /// The next value's bytes, whatever it is, passed over unread (see `skip`).
    pub fn value(&mut self) -> Option<&'a [u8]> {
        let (value, rest) = self.0.split_at_checked(skip(self.0)?)?;
        self.0 = rest;
        Some(value)
    }

    /// Whether every byte was read.
    pub fn is_done(&self) -> bool {
        self.0.is_empty()
    }
}

/// The length in bytes of the first whole value in `bytes`; `None` when they are cut short
/// or hold a marker MessagePack does not use. Lists and maps are walked without recursion
/// (a damaged record cannot exhaust the stack), texts and bytes jumped over unread.
pub fn skip(bytes: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    // Values still to pass over: each is at least one byte, so damaged lengths run out.
    let mut left: u64 = 1;
    while left > 0 {
        left -= 1;
        let marker = Marker::from_u8(*bytes.get(at)?);
        at += 1;
        // The number of bytes of its length, if it has one, then the bytes it has after that
        // length and the values it holds.
        let (len_bytes, fixed, values): (usize, usize, u64) = match marker {
            Marker::FixPos(_) | Marker::FixNeg(_) | Marker::Null => (0, 0, 0),
            Marker::True | Marker::False => (0, 0, 0),
            Marker::U8 | Marker::I8 => (0, 1, 0),
            Marker::U16 | Marker::I16 => (0, 2, 0),
            Marker::U32 | Marker::I32 | Marker::F32 => (0, 4, 0),
            Marker::U64 | Marker::I64 | Marker::F64 => (0, 8, 0),
            Marker::FixStr(n) => (0, n.into(), 0),
            Marker::FixArray(n) => (0, 0, n.into()),
            Marker::FixMap(n) => (0, 0, 2 * u64::from(n)),
            Marker::FixExt1 => (0, 2, 0),
            Marker::FixExt2 => (0, 3, 0),
            Marker::FixExt4 => (0, 5, 0),
            Marker::FixExt8 => (0, 9, 0),
            Marker::FixExt16 => (0, 17, 0),
            Marker::Str8 | Marker::Bin8 | Marker::Ext8 => (1, 0, 0),
            Marker::Str16 | Marker::Bin16 | Marker::Ext16 | Marker::Array16 | Marker::Map16 => {
                (2, 0, 0)
            }
            Marker::Str32 | Marker::Bin32 | Marker::Ext32 | Marker::Array32 | Marker::Map32 => {
                (4, 0, 0)
            }
            Marker::Reserved => return None,
        };
        let len = match len_bytes {
            0 => 0,
            n => {
                let field = bytes.get(at..at.checked_add(n)?)?;
                at += n;
                field.iter().fold(0u64, |len, &b| len << 8 | u64::from(b))
            }
        };
        let (data, values) = match marker {
            Marker::Array16 | Marker::Array32 => (0, len),
            Marker::Map16 | Marker::Map32 => (0, len.checked_mul(2)?),
            // An extension's type byte follows its length.
            Marker::Ext8 | Marker::Ext16 | Marker::Ext32 => (len.checked_add(1)?, values),
            _ if len_bytes > 0 => (len, values),
            _ => (fixed as u64, values),
        };
        at = at.checked_add(usize::try_from(data).ok()?)?;
        if at > bytes.len() {
            return None;
        }
        left = left.checked_add(values)?;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache_format::{Hash32, value_of};
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Row {
        name: String,
        long: String,
        sizes: Vec<u64>,
        negative: Vec<i64>,
        big: u128,
        hash: Hash32,
        floats: (f32, f64),
        maybe: Option<Box<Row>>,
        flags: (bool, bool, ()),
        map: BTreeMap<String, Vec<String>>,
    }

    fn row(n: usize) -> Row {
        Row {
            name: "faq/pain.md".into(),
            long: "é".repeat(n),
            sizes: vec![0, 127, 128, 255, 256, 65_535, 65_536, u64::MAX],
            negative: vec![-1, -32, -33, -128, -129, -32_768, -32_769, i64::MIN],
            big: u128::MAX - 7,
            hash: blake3::hash(b"body").into(),
            floats: (1.5, -2.25),
            maybe: (n > 0).then(|| Box::new(row(0))),
            flags: (true, false, ()),
            map: (0..n.min(70))
                .map(|i| (format!("k{i}"), vec!["v".repeat(i); i % 3]))
                .collect(),
        }
    }

    #[test]
    fn each_field_is_cut_at_its_end_and_reads_as_itself() {
        for n in [0, 1, 31, 32, 255, 256, 70_000] {
            let value = row(n);
            let bytes = rmp_serde::to_vec(&value).expect("encoded");
            assert_eq!(skip(&bytes), Some(bytes.len()), "row({n})");
            let [
                name,
                long,
                sizes,
                negative,
                big,
                hash,
                floats,
                maybe,
                flags,
                map,
            ] = fields::<10>(&bytes).expect("ten fields");
            assert_eq!(value_of::<String>(name), Some(value.name.clone()));
            assert_eq!(value_of::<String>(long), Some(value.long.clone()));
            assert_eq!(value_of::<Vec<u64>>(sizes), Some(value.sizes.clone()));
            assert_eq!(value_of::<Vec<i64>>(negative), Some(value.negative.clone()));
            assert_eq!(value_of::<u128>(big), Some(value.big));
            assert_eq!(value_of::<Hash32>(hash), Some(value.hash));
            assert_eq!(value_of::<(f32, f64)>(floats), Some(value.floats));
            assert_eq!(value_of::<Option<Box<Row>>>(maybe), Some(value.maybe));
            assert_eq!(value_of::<(bool, bool, ())>(flags), Some(value.flags));
            assert_eq!(value_of(map), Some(value.map));
            // Cut anywhere, or with a byte more, the bytes are not ten whole fields.
            for cut in (0..bytes.len()).step_by(1 + bytes.len() / 500) {
                assert!(fields::<10>(&bytes[..cut]).is_none(), "cut at {cut}");
                assert!(skip(&bytes[..cut]).is_none(), "cut at {cut}");
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(fields::<10>(&longer).is_none());
            assert!(fields::<9>(&bytes).is_none(), "another number of fields");
        }
    }

    #[test]
    fn a_reader_reads_each_value_as_serde_wrote_it_and_nothing_of_another_kind() {
        for n in [0, 1, 31, 32, 255, 256, 70_000] {
            let value = row(n);
            let bytes = rmp_serde::to_vec(&value).expect("encoded");
            let mut reader = Reader(&bytes);
            assert_eq!(reader.list(), Some(10));
            assert_eq!(reader.text(), Some(value.name.as_str()));
            assert_eq!(reader.text(), Some(value.long.as_str()));
            assert_eq!(reader.list(), Some(value.sizes.len()));
            for &size in &value.sizes {
                assert_eq!(reader.number(), Some(size));
            }
            let negative = reader.value().expect("the negative numbers");
            assert_eq!(Reader(&negative[1..]).number(), None, "a negative number");
            assert_eq!(reader.u128(), Some(value.big));
            assert_eq!(reader.bytes(), Some(&value.hash.0[..]));
            let floats = reader.value().expect("two numbers");
            assert_eq!(Reader(floats).text(), None, "a list, not a text");
            for _ in 0..3 {
                assert!(reader.value().is_some());
            }
            assert!(reader.is_done());
        }
        assert_eq!(Reader(&[0xc4, 3, 1, 2]).bytes(), None, "cut short");
        assert_eq!(Reader(&[0xa2, 0xff, 0xfe]).text(), None, "not UTF-8");
        let unchecked = Reader(&[0xa2, 0xff, 0xfe]).text_bytes();
        assert_eq!(unchecked, Some(&[0xff, 0xfe][..]), "read, not checked");
        assert_eq!(Reader(&[0xc4, 2, 1, 2]).u128(), None, "not 16 bytes");
    }

    #[test]
    fn extensions_lists_and_maps_of_every_size_are_passed_over_whole() {
        // fixext 4: a type byte and four bytes.
        assert_eq!(skip(&[0xd6, 5, 0, 0, 0, 0, 0xc1]), Some(6));
        for len in [1u32, 2, 4, 8, 16, 17, 300, 70_000] {
            let mut ext = Vec::new();
            rmp::encode::write_ext_meta(&mut ext, len, 9).expect("written");
            let head = ext.len();
            ext.extend(std::iter::repeat_n(0xc1, len as usize));
            assert_eq!(skip(&ext), Some(head + len as usize), "ext of {len}");
            assert_eq!(skip(&ext[..ext.len() - 1]), None);
        }
        let list: Vec<Vec<String>> = vec![vec!["a".into(); 20]; 70_000];
        let bytes = rmp_serde::to_vec(&list).expect("encoded");
        assert_eq!(skip(&bytes), Some(bytes.len()));
        // A damaged length never reads past the bytes, nor loops for long.
        assert_eq!(skip(&[0xdd, 0xff, 0xff, 0xff, 0xff, 0x01]), None);
        assert_eq!(skip(&[0xdf, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(skip(&[0xc1]), None, "a marker never used");
        assert_eq!(skip(&[]), None);
    }
}
