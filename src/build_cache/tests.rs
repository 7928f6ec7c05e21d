//! The build cache's record read back as it was written.

use super::*;

/// A kept page's entry is read in place (`EntryView`, and `OutlineView` when its headings are
/// asked for); they must read every field `Entry` wrote, and its links must still read back
/// whole when the graph of links changed.
#[test]
fn an_entry_read_in_place_is_the_entry_written() {
    let entry = Entry {
        source: blake3::hash(b"body").into(),
        output: "faq/pain/index.html".into(),
        hash: "0123abcd".into(),
        size: 4096,
        stamp: Some(Stamp {
            len: 4096,
            modified: 1_700_000_000_000_000_001,
            changed: 1_700_000_000_000_000_002,
            inode: 42,
        }),
        proven: 1_700_000_000_000_000_003,
        headings: vec!["Before".into(), "After your visit".into()],
        ids: vec!["after-your-visit".into(), "before".into()],
        anchors: vec![Anchor {
            target: "faq/cost.md".into(),
            anchor: "prices".into(),
            link: "cost.md#prices".into(),
            line: 7,
            column: 3,
            width: 21,
        }],
        links: Links::of(vec!["faq/cost.md".into(), "_index.md".into()]).expect("links"),
    };
    let packed = Blob::of(&entry).expect("encoded").0;
    let previous = Previous {
        pages: [("faq/pain.md".to_string(), 0..packed.len())]
            .into_iter()
            .collect(),
        bytes: crate::cache_format::Bytes::Read(packed),
        ..Previous::default()
    };
    let view = previous.view("faq/pain.md").expect("read in place");
    assert_eq!(view.source, entry.source);
    assert_eq!(
        (view.output, view.hash),
        ("faq/pain/index.html", "0123abcd")
    );
    assert_eq!(
        (view.size, view.stamp, view.proven),
        (4096, entry.stamp, entry.proven)
    );
    // A kept page's headings and ids are read only when asked for.
    let outline = OutlineView::of(previous.page("faq/pain.md").unwrap()).expect("its outline");
    assert_eq!(outline.headings, ["Before", "After your visit"]);
    assert_eq!(outline.ids, ["after-your-visit", "before"]);
    let anchor = &view.anchors[0];
    assert_eq!(
        (anchor.target, anchor.link),
        ("faq/cost.md", "cost.md#prices")
    );
    assert_eq!((anchor.line, anchor.column, anchor.width), (7, 3, 21));
    let links = previous.entry("faq/pain.md").expect("decoded").links;
    assert_eq!(
        links.iter().collect::<Vec<_>>(),
        ["_index.md", "faq/cost.md"]
    );
    // An entry of a file whose stamp was not taken, without anchor links.
    let bare = Entry {
        stamp: None,
        anchors: Vec::new(),
        ..entry.clone()
    };
    let packed = Blob::of(&bare).expect("encoded");
    let view = EntryView::of(&packed.0).expect("read in place");
    assert_eq!((view.stamp, view.anchors.len()), (None, 0));
    assert_eq!((view.output, view.size), ("faq/pain/index.html", 4096));
    // Bytes that are not a whole entry are not one.
    let mut cut = previous.page("faq/pain.md").expect("packed").to_vec();
    cut.pop();
    assert!(EntryView::of(&cut).is_none());
    assert!(OutlineView::of(&cut).is_none());
    assert!(links::links_of(&cut).is_none());
}
