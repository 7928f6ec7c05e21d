//! The read record written and read back: recalled, parsed anew, written back unread.

use super::*;
use std::cell::Cell;

/// Reads `content` through `record` as `pipeline` does, counting the files parsed.
fn read<'a>(record: &ReadRecord, content: &'a Content) -> (FrontMatters<'a>, usize) {
    let parsed = Cell::new(0);
    let front_matter = content
        .pages
        .iter()
        .filter_map(|file| {
            let path = crate::site::content_path(&file.rel);
            let parse = || {
                parsed.set(parsed.get() + 1);
                crate::frontmatter::parse_file(file, &path)
            };
            let result = record.front_matter(file, &parse).ok()?;
            Some((file.rel.clone(), result))
        })
        .collect();
    (front_matter, parsed.get())
}

fn stamp(len: u64, modified: u128) -> Stamp {
    Stamp {
        len,
        modified,
        changed: modified,
        inode: 7,
    }
}

#[test]
fn unchanged_files_are_recalled_and_changed_ones_parsed() {
    let dir = tempfile::tempdir().expect("a folder");
    let text = "---\ntitle: Pain\nextra:\n  note: [1, two]\nlocation:\n  placeholder: [hours]\n  hours:\n    - {days: [Mo, Tu], opens: \"09:00\", closes: \"17:00\"}\n---\nBody text.\n";
    let content = Content::in_memory(
        [
            ("a.md".to_string(), text.to_string()),
            ("b.md".to_string(), "---\ntitle: B\n---\nB\n".to_string()),
        ],
        [],
    );
    let old = 1_000_000_000_000;
    let taken = old + 10 * crate::write::stamp::TICK;
    let stamps =
        |a: Stamp| FxHashMap::from_iter([("a.md".into(), a), ("b.md".into(), stamp(9, old))]);
    let first = ReadRecord::open(dir.path(), stamps(stamp(1, old)), taken);
    let (parsed, count) = read(&first, &content);
    assert_eq!(count, 2, "nothing recorded yet");
    first.save(&content, &parsed);

    let again = ReadRecord::open(dir.path(), stamps(stamp(1, old)), taken + 1);
    let (recalled, count) = read(&again, &content);
    assert_eq!(count, 0, "both files recalled");
    let (a, b) = (parsed.get("a.md").unwrap(), recalled.get("a.md").unwrap());
    assert_eq!(format!("{:?}", a.meta), format!("{:?}", b.meta));
    assert_eq!(
        (a.yaml, a.body.in_memory(), a.body_line),
        (b.yaml, b.body.in_memory(), b.body_line)
    );
    assert_eq!(a.body_hash(), b.body_hash());
    again.save(&content, &recalled);

    // Another stamp: parsed; a stamp as new as the record's: parsed, and not recorded.
    let edited = ReadRecord::open(dir.path(), stamps(stamp(2, old)), taken);
    assert_eq!(read(&edited, &content).1, 1);
    let racy = ReadRecord::open(dir.path(), stamps(stamp(3, taken)), taken);
    let (parsed, count) = read(&racy, &content);
    assert_eq!(count, 1);
    racy.save(&content, &parsed);
    let after = ReadRecord::open(dir.path(), stamps(stamp(3, taken)), taken + 1);
    assert_eq!(read(&after, &content).1, 1, "a racy stamp proves nothing");

    // A damaged or cut record is read as none, and the files are parsed.
    let bytes = std::fs::read(dir.path().join(FILE)).expect("the record");
    for damaged in [bytes[..bytes.len() / 2].to_vec(), b"not a record".to_vec()] {
        std::fs::write(dir.path().join(FILE), damaged).expect("written");
        let record = ReadRecord::open(dir.path(), stamps(stamp(3, old)), taken);
        assert_eq!(read(&record, &content).1, 2);
    }
}

/// The entries of unchanged files are written back as they were read, and give the very
/// bytes parsing every file anew would have given.
#[test]
fn entries_written_back_unread_are_the_ones_a_fresh_parse_writes() {
    let dir = tempfile::tempdir().expect("a folder");
    let content = Content::in_memory(
        [
            (
                "a.md".to_string(),
                "---\ntitle: A\ntags: [x]\n---\nA\n".to_string(),
            ),
            ("b.md".to_string(), "---\ntitle: B\n---\nB\n".to_string()),
            ("c.md".to_string(), "---\ntitle: C\n---\nC\n".to_string()),
        ],
        [],
    );
    let old = 1_000_000_000_000;
    let taken = old + 10 * crate::write::stamp::TICK;
    let stamps = |b: u64| {
        FxHashMap::from_iter([
            ("a.md".into(), stamp(1, old)),
            ("b.md".into(), stamp(b, old)),
            ("c.md".into(), stamp(3, old)),
        ])
    };
    let first = ReadRecord::open(dir.path(), stamps(2), taken);
    let (parsed, _) = read(&first, &content);
    first.save(&content, &parsed);

    // b.md changed: a.md and c.md are recalled and written back without decoding.
    let edited = ReadRecord::open(dir.path(), stamps(20), taken);
    let (parsed, count) = read(&edited, &content);
    assert_eq!(count, 1);
    edited.save(&content, &parsed);
    let kept = std::fs::read(dir.path().join(FILE)).expect("the record");

    std::fs::remove_file(dir.path().join(FILE)).expect("removed");
    let anew = ReadRecord::open(dir.path(), stamps(20), taken);
    let (parsed, count) = read(&anew, &content);
    assert_eq!(count, 3);
    anew.save(&content, &parsed);
    assert_eq!(
        std::fs::read(dir.path().join(FILE)).expect("the record"),
        kept
    );

    // A file gone: the record is written again, without it.
    let fewer = Content::in_memory(
        content
            .pages
            .iter()
            .filter(|f| f.rel != "c.md")
            .map(|f| (f.rel.clone(), f.text.clone())),
        [],
    );
    let gone = ReadRecord::open(dir.path(), stamps(20), taken);
    let (parsed, count) = read(&gone, &fewer);
    assert_eq!(count, 0);
    gone.save(&fewer, &parsed);
    let again = ReadRecord::open(dir.path(), stamps(20), taken);
    assert_eq!(again.previous.len(), 2);
}

#[test]
fn an_unchanged_file_is_known_without_reading_it_and_its_body_stays_on_disk() {
    let dir = tempfile::tempdir().expect("a folder");
    let content_dir = dir.path().join("content");
    std::fs::create_dir(&content_dir).expect("a folder");
    let text = "---\ntitle: Pain\n---\nBody *text*.\n";
    std::fs::write(content_dir.join("a.md"), text).expect("written");
    let path = content_dir.join("a.md");
    let old = 1_000_000_000_000;
    let taken = old + 10 * crate::write::stamp::TICK;
    let stamps = |len| FxHashMap::from_iter([("a.md".to_string(), stamp(len, old))]);
    // The read stage as `build` runs it: the body left on disk as the file is read.
    let lean = |record: &ReadRecord| {
        let listed = (vec![(path.clone(), "a.md".to_string())], Vec::new());
        let start = |file: &ContentFile| file.text.find("Body");
        crate::source::read_listed_lean(listed, &|p, rel| record.known(p, rel), &start).0
    };
    let first = ReadRecord::open(dir.path(), stamps(1), taken);
    assert!(first.known(&path, "a.md").is_none(), "nothing recorded yet");
    let content = lean(&first);
    assert_eq!(content.pages[0].text, "---\ntitle: Pain\n---\n");
    let (parsed, count) = read(&first, &content);
    assert_eq!(count, 1);
    first.save(&content, &parsed);

    // The file is gone from disk, but its stamp says it is unchanged: known, not read.
    std::fs::remove_file(&path).expect("removed");
    let again = ReadRecord::open(dir.path(), stamps(1), taken + 1);
    let content = lean(&again);
    let file = &content.pages[0];
    assert_eq!(file.text, "---\ntitle: Pain\n---\n");
    assert_eq!(file.len(), text.len());
    let (recalled, count) = read(&again, &content);
    assert_eq!(count, 0, "recalled, not parsed");
    let a = recalled.get("a.md").expect("recalled");
    assert_eq!(a.meta.title.as_deref(), Some("Pain"));
    assert_eq!((a.yaml, a.body_line), ("title: Pain\n", 4));
    assert_eq!(a.body_hash(), blake3::hash(b"Body *text*.\n"));
    assert_eq!(a.body.in_memory(), None, "the body stays on disk");
    // Read again when needed: the file is gone, which is an error, not an empty page.
    assert!(a.body.read().is_err());
    std::fs::write(&path, text).expect("written");
    assert_eq!(a.body.read().expect("read again"), "Body *text*.\n");

    // Another stamp: the file is read.
    let edited = ReadRecord::open(dir.path(), stamps(2), taken + 1);
    assert!(edited.known(&path, "a.md").is_none());
}

/// The record is written by serde and read back by hand (`entries`): every field of
/// every entry must read back as written.
#[test]
fn a_record_written_by_serde_reads_back_by_hand_field_for_field() {
    let program = Stamp {
        len: 1,
        modified: 2,
        changed: 3,
        inode: 4,
    };
    let stamp = Stamp {
        len: 10,
        modified: 1 << 70,
        changed: (1 << 70) + 5,
        inode: 99,
    };
    let layout = Layout {
        len: 300,
        yaml: (4, 40),
        yaml_line: 2,
        body: 44,
        body_line: 6,
        body_hash: blake3::hash(b"body").into(),
    };
    let meta = RawFrontMatter {
        title: Some("T".into()),
        ..RawFrontMatter::default()
    };
    let meta = Blob::of(&meta).expect("encoded");
    let header = "---\ntitle: T\n---\n";
    let entry = |header: &'static str| Entry {
        stamp,
        layout,
        header: header.into(),
        meta: meta.clone(),
    };
    let record = RecordOut {
        program: Some(program),
        files: vec![("a.md".into(), entry(header)), ("b.md".into(), entry(""))],
    };
    let bytes = crate::cache_format::encode(VERSION, &record).expect("encoded");
    let payload = crate::cache_format::payload(VERSION, &bytes).expect("checked");
    let base = bytes.as_ptr() as usize;
    let read = entries(payload, base, Some(program)).expect("read by hand");
    assert_eq!(read.len(), 2);
    let a = &read["a.md"];
    assert_eq!((a.stamp, a.layout), (stamp, layout));
    assert_eq!(&bytes[a.header.clone()], header.as_bytes());
    assert_eq!(&bytes[a.meta.clone()], &meta.0[..]);
    assert!(read["b.md"].header.is_empty());
    let other = Stamp {
        inode: 5,
        ..program
    };
    assert!(
        entries(payload, base, Some(other)).is_none(),
        "another program"
    );
    assert!(entries(payload, base, None).is_none());
    let cut = &payload[..payload.len() - 1];
    assert!(entries(cut, base, Some(program)).is_none(), "cut short");
}

#[test]
fn only_a_front_matter_that_reads_back_the_same_is_recorded() {
    let mut meta = RawFrontMatter {
        title: Some("Pain".into()),
        ..RawFrontMatter::default()
    };
    let blob = read_back(&meta).expect("plain fields read back");
    assert_eq!(blob.value::<RawFrontMatter>(), Some(meta.clone()));
    // A tagged value is stored as a map with the tag as its key: it would read back as
    // another value.
    let tagged = serde_yaml::value::TaggedValue {
        tag: serde_yaml::value::Tag::new("ref"),
        value: "x".into(),
    };
    let mut extra = serde_yaml::Mapping::new();
    extra.insert("a".into(), crate::yaml::Value::Tagged(Box::new(tagged)));
    meta.extra = Some(Box::new(crate::yaml::Extra(crate::yaml::Value::Mapping(
        extra,
    ))));
    assert_eq!(read_back(&meta), None);
}
