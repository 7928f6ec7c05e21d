//! The findings cache's file written and read back, and the keys it finds pages by.

use super::*;
use crate::check::page::Kind;
use crate::site::Common;

fn day(text: &str) -> Date {
    Date::parse(text).expect("a date")
}

/// Each quick key the cache knows, and the whole key it stands for, in order.
fn quick_keys(cache: &FindingsCache) -> Vec<(u128, u128)> {
    let mut keys: Vec<(u128, u128)> = cache.quick.iter().map(|(&q, &w)| (q, w)).collect();
    keys.sort_unstable();
    keys
}

fn finding(file: &Path, message: &str) -> Diagnostic {
    Diagnostic::new(Code::ReviewDueSoon, file, message.to_string())
        .at(5, 1)
        .help("plan the review")
}

/// Entries written, read back, and written back as they were read: the same bytes, the
/// same findings, found by either key.
#[test]
fn entries_are_written_back_as_read_and_found_by_either_key() {
    let root = std::env::temp_dir().join(format!("findings-cache-{}", std::process::id()));
    let settings = CheckSettings::default();
    let today = day("2026-12-06");
    let file = Path::new("content/faq/pain.md");
    let (pain, sessions) = (
        finding(file, "due in 26 days"),
        finding(file, "due in 3 days"),
    );
    let doc = Document::default();
    let keys = [
        Key {
            whole: 7,
            quick: Some(70),
        },
        Key {
            whole: 3,
            quick: None,
        },
    ];
    let first = FindingsCache::open(&root, &settings, today);
    first.checked_anew();
    let pages = [
        (keys[0], &doc, std::slice::from_ref(&pain)),
        (keys[1], &doc, std::slice::from_ref(&sessions)),
    ];
    let duplicate = Diagnostic::new(Code::ContentDuplicateTitle, "content/a.md", "same title")
        .at(2, 1)
        .help("give each page its own title");
    let duplicates = std::slice::from_ref(&duplicate);
    first.save(pages.iter().copied(), Some(("placed", duplicates)));
    let written = std::fs::read(root.join(FILE)).expect("the file is written");

    let second = FindingsCache::open(&root, &settings, today);
    assert_eq!(quick_keys(&second), [(70, 7)]);
    let (found, _) = second.recall(keys[0], file).expect("kept");
    assert_eq!(found, std::slice::from_ref(&pain));
    let (found, _) = second.recall(keys[1], file).expect("kept");
    assert_eq!(found, std::slice::from_ref(&sessions));
    let counted = Tally {
        warnings: 1,
        errors: false,
        links: false,
    };
    assert_eq!(second.tally(keys[0]), Some(counted));
    assert_eq!(second.duplicates("placed").as_deref(), Some(duplicates));
    assert_eq!(second.duplicates("placed elsewhere"), None);
    assert!(
        second
            .recall(
                Key {
                    whole: 9,
                    quick: None
                },
                file
            )
            .is_none()
    );
    // Written back as read (no entry encoded again), now with a quick key for the second.
    second.checked_anew();
    let empty: [Diagnostic; 0] = [];
    let rekeyed = Key {
        whole: 3,
        quick: Some(30),
    };
    let pages = [(keys[0], &doc, &empty[..]), (rekeyed, &doc, &empty[..])];
    second.save(pages.into_iter(), None);
    let third = FindingsCache::open(&root, &settings, today);
    assert_eq!(quick_keys(&third), [(30, 3), (70, 7)]);
    let (found, _) = third.recall(keys[0], file).expect("kept");
    assert_eq!(found, [pain], "the entry as it was read, not as given");
    assert_eq!(third.tally(keys[0]), Some(counted), "and its tally");
    assert_eq!(third.duplicates("placed").as_deref(), Some(duplicates));
    // The first page gone: forgotten.
    third.save(
        [(rekeyed, &doc, &empty[..])].into_iter(),
        Some(("moved", &[])),
    );
    let fourth = FindingsCache::open(&root, &settings, today);
    assert!(fourth.recall(keys[0], file).is_none());
    assert!(fourth.recall(rekeyed, file).is_some());
    assert_eq!(fourth.duplicates("placed"), None);
    assert_eq!(fourth.duplicates("moved"), Some(vec![]));
    assert_ne!(std::fs::read(root.join(FILE)).expect("the file"), written);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn keys_follow_what_the_rules_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/breakable");
    let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    let config = crate::config::parse(&yaml, None).expect("the fixture's settings");
    let (content, _) = crate::source::read_content(&root);
    let parsed = content
        .pages
        .iter()
        .map(|file| {
            let path = crate::site::content_path(&file.rel);
            let parsed = crate::frontmatter::parse(&file.text, &path).ok();
            (file.rel.clone(), parsed)
        })
        .collect();
    let options = crate::site::Options {
        drafts: false,
        languages: config.languages.clone(),
        consents: crate::results::Consents::default(),
    };
    let placed = crate::site::place(&content, parsed, &config.title, &options);
    let site = &placed.site;
    let target = site.by_path["faq/pain/"];
    let common = site.common(target).expect("a page");
    let kind = Kind::of(site, target).expect("a page");
    let front = placed.front_matter.get(&common.source);
    let settings = &config.check;
    let key = |settings: &CheckSettings, today: &str, common: &Common| {
        let input = KeyInput {
            target,
            common,
            kind,
            front,
            original: None,
        };
        FindingsCache::open(&root, settings, day(today))
            .key(input, None)
            .whole
    };
    // Reviewed on 2026-10-01, due a year later.
    let kept = key(settings, "2026-12-06", common);
    assert_eq!(kept, key(settings, "2027-01-06", common));
    assert_ne!(kept, key(settings, "2027-09-20", common), "due soon");
    assert_ne!(
        key(settings, "2027-09-20", common),
        key(settings, "2027-09-21", common),
        "due soon names the days left"
    );
    assert_ne!(kept, key(settings, "2027-10-05", common), "overdue");

    let mut fewer_claims = settings.clone();
    fewer_claims.claims_remove.push("painless".into());
    assert_ne!(kept, key(&fewer_claims, "2026-12-06", common));

    let mut edited = common.clone();
    edited.body = crate::source::BodyText::Here("## Numbing cream, and ice\n");
    assert_ne!(kept, key(settings, "2026-12-06", &edited));
    let mut retitled = common.clone();
    retitled.title.push('!');
    assert_ne!(kept, key(settings, "2026-12-06", &retitled));
}

/// The file written in pieces is the bytes serde writes for the same `File` with its entries
/// joined, whatever the lengths' headers (short runs, and entries past 64 KiB in all).
#[test]
fn a_file_written_in_pieces_is_the_file_serde_writes() {
    let long: Vec<u8> = (0..70_000).map(|i| (i % 251) as u8).collect();
    let cases: [&[&[u8]]; 3] = [&[], &[b"ab", b"", b"cde"], &[&long[..40_000], b"x", &long]];
    for pieces in cases {
        let joined: Vec<u8> = pieces.concat();
        let rows: Vec<u8> = (0..300).map(|i| i as u8).collect();
        let codes = ["review/due-soon", "content/orphan"];
        let mut table = Table::default();
        codes.iter().for_each(|code| table.keep(code));
        let whole = File {
            codes: codes.to_vec(),
            rows: Raw(&rows),
            entries: Raw(&joined),
            placed: Raw(&[7; 16]),
            duplicates: Raw(&[]),
        };
        let pieces: Vec<Part> = pieces.iter().map(|bytes| Part::Bytes(bytes)).collect();
        let parts = FileParts {
            codes: &table,
            rows: &rows,
            entries: &pieces,
            placed: &[7; 16],
            duplicates: &[],
        };
        let mut written = Vec::new();
        parts.write(&mut written).expect("written to memory");
        assert_eq!(written, rmp_serde::to_vec(&whole).expect("encoded"));
    }
}

/// A page checked anew is encoded only as the file is written: the file is the one its
/// entry encoded first and written as bytes makes, and its row's length is the entry's.
#[test]
fn a_new_entry_encoded_as_it_is_written_is_the_entry_encoded_first() {
    let file = Path::new("content/faq/pain.md");
    let findings = [
        finding(file, "due in 26 days"),
        Diagnostic::new(Code::ContentPlaceholder, file, "TODO left in".to_string()).at(9, 3),
    ];
    let doc = crate::check::document::read("See [the form](#consent) and <b>this</b>.\n");
    let mut codes = Table::default();
    codes.keep("content/orphan");
    let piece = Part::fresh(&doc, &findings, &mut codes).expect("encodable");
    let mut first = Vec::new();
    let mut place = |code| codes.place(code);
    encode(&doc, &findings, &mut place, &mut first).expect("encoded to memory");
    assert!(first.len() > 20);
    assert_eq!(piece.len(), first.len());
    let write = |entries: &[Part]| {
        let parts = FileParts {
            codes: &codes,
            rows: &[1, 2, 3],
            entries,
            placed: &[],
            duplicates: &[],
        };
        let mut written = Vec::new();
        parts.write(&mut written).expect("written to memory");
        written
    };
    let as_bytes = [Part::Bytes(b"x"), Part::Bytes(&first)];
    assert_eq!(write(&[Part::Bytes(b"x"), piece]), write(&as_bytes));
    // A length that is not the entry's is refused, not written.
    let Part::Fresh { doc, findings, len } = piece else {
        panic!("a new entry")
    };
    let wrong = Part::Fresh {
        doc,
        findings,
        len: len + 1,
    };
    let parts = FileParts {
        codes: &codes,
        rows: &[],
        entries: &[wrong],
        placed: &[],
        duplicates: &[],
    };
    assert!(parts.write(&mut Vec::new()).is_err());
}
