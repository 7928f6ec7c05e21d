//! The order findings are shown in: by file, line, column and message. Files compare as
//! `Path` does (by components); a plain relative path, the usual case, is compared as bytes,
//! which is the same order for a fraction of the cost.

use std::cmp::Ordering;
use std::path::Path;

/// `a.cmp(b)`: for two plain relative paths (see `plain`), their texts compared byte by
/// byte with the separator before every other byte, which orders them as their components.
pub(super) fn file_order(a: &Path, b: &Path) -> Ordering {
    let (Some(a_text), Some(b_text)) = (plain(a), plain(b)) else {
        return a.cmp(b);
    };
    let rank = |byte: u8| if byte == b'/' { 0 } else { u16::from(byte) + 1 };
    match a_text.iter().zip(b_text).find(|(x, y)| x != y) {
        Some((&x, &y)) => rank(x).cmp(&rank(y)),
        None => a_text.len().cmp(&b_text.len()),
    }
}

/// `a == b`: two plain relative paths are the same only when their texts are.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (plain(a), plain(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// The text of a relative path whose components are exactly its text's parts between `/`
/// (`content/faq/pain.md`): no empty part, no `.` or `..`, and no other separator. `None`
/// for any other path, or on a system whose paths have more to them.
fn plain(path: &Path) -> Option<&[u8]> {
    let text = path.as_os_str().as_encoded_bytes();
    let plain = cfg!(unix)
        && !text.contains(&b'\\')
        && text
            .split(|&byte| byte == b'/')
            .all(|part| !matches!(part, b"" | b"." | b".."));
    plain.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_paths_are_told_from_the_others() {
        assert!(plain(Path::new("content/faq/pain.md")).is_some());
        for other in [
            "",
            "/content",
            "content/",
            "./content",
            "a//b",
            "a/./b",
            "a/../b",
        ] {
            assert_eq!(plain(Path::new(other)), None, "{other}");
        }
    }

    proptest! {
        /// Files are ordered and told apart as `Path` does it, for any path.
        #[test]
        fn files_are_ordered_as_paths_are(a in "[ab/.é-]{0,8}", b in "[ab/.é-]{0,8}") {
            let (a, b) = (Path::new(&a), Path::new(&b));
            prop_assert_eq!(file_order(a, b), a.cmp(b));
            prop_assert_eq!(same_file(a, b), a == b);
        }

        /// The same, for paths shaped like the site's files (mostly plain).
        #[test]
        fn files_like_the_sites_are_ordered_as_paths_are(
            a in "[a-c .-]{1,3}(/[a-c .-]{1,3}){0,3}",
            b in "[a-c .-]{1,3}(/[a-c .-]{1,3}){0,3}",
        ) {
            let (a, b) = (Path::new(&a), Path::new(&b));
            prop_assert_eq!(file_order(a, b), a.cmp(b));
            prop_assert_eq!(same_file(a, b), a == b);
        }
    }
}
