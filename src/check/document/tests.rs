use super::*;

#[test]
fn text_is_as_written_not_as_typeset() {
    // The renderer makes curly quotes, dashes and an ellipsis of these; the rules must
    // see (and underline) what the file says. Quotes typed curly stay curly.
    let body = "It's \"painless\" -- well... don't 'worry' --- ok. ‘curly’ “x”\n";
    let doc = read(body);
    let block = doc.blocks().next().unwrap();
    assert_eq!(block.text, body.trim_end());
    let at = block.text.find("painless").unwrap();
    assert_eq!(block.offset_of(at), body.find("painless").unwrap());
    let at = block.text.find("worry").unwrap();
    assert_eq!(block.offset_of(at), body.find("worry").unwrap());
}

#[test]
fn prose_leaves_out_code_tables_headings_and_html() {
    let body = "# Title\n\nFirst *para*\ngraph.\n\n- one\n- two\n\n```\ncode here\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n<div>html</div>\n\nLast with `code`.\n";
    let doc = read(body);
    let prose: Vec<&str> = doc.prose().map(|b| b.text).collect();
    assert_eq!(prose, ["First para graph.", "one", "two", "Last with ."]);
    let kinds: Vec<(BlockKind, &str)> = doc.blocks().map(|b| (b.kind, b.text)).collect();
    assert!(kinds.contains(&(BlockKind::Table, "c")), "{kinds:?}");
    assert!(kinds.contains(&(BlockKind::Heading, "Title")), "{kinds:?}");
    assert!(
        !kinds.iter().any(|(_, t)| t.contains("code here")),
        "{kinds:?}"
    );
    assert_eq!(
        doc.headings,
        [HeadingMark {
            level: 1,
            text: "Title".into(),
            source: 0..8
        }]
    );
    assert_eq!(doc.html.len(), 1);
}

#[test]
fn links_and_images_keep_their_text() {
    let doc = read("See [click here](a.md) and ![](photo.jpg) and ![A face](b.jpg).\n");
    let links: Vec<(bool, &str, &str)> = doc
        .links
        .iter()
        .map(|l| (l.image, l.dest.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (false, "a.md", "click here"),
            (true, "photo.jpg", ""),
            (true, "b.jpg", "A face")
        ]
    );
    assert_eq!(
        doc.prose().next().unwrap().text,
        "See click here and  and ."
    );
    assert!(
        doc.blocks()
            .any(|b| b.kind == BlockKind::Alt && b.text == "A face")
    );
}

#[test]
fn alt_text_comes_before_its_block_and_maps_back() {
    // An image's alt text is read while the paragraph around it is open: it is a block of
    // its own, placed before that paragraph, and its words point into the file.
    let body = "Before ![A *calm* face](a.jpg) after.\n\n- item ![Two\nlines](b.jpg) end\n- ![ ](c.jpg) [link ![in](d.jpg) x](e.md) tail\n";
    let doc = read(body);
    let blocks: Vec<(BlockKind, &str)> = doc.blocks().map(|b| (b.kind, b.text)).collect();
    assert_eq!(
        blocks,
        [
            (BlockKind::Alt, "A calm face"),
            (BlockKind::Prose, "Before  after."),
            (BlockKind::Alt, "Two lines"),
            (BlockKind::Prose, "item  end"),
            (BlockKind::Alt, "in"),
            (BlockKind::Prose, "link  x tail"),
        ]
    );
    for block in doc.blocks() {
        for word in block.text.split(' ').filter(|w| !w.is_empty()) {
            let at = block.text.find(word).unwrap();
            let offset = block.offset_of(at);
            assert_eq!(&body[offset..offset + word.len()], word, "{block:?}");
        }
    }
}

#[test]
fn offsets_map_back_to_lines_and_columns() {
    let body = "Intro line.\n\nSome *very* painless thing.\n";
    let doc = read(body);
    let block = doc.prose().nth(1).unwrap();
    let at = block.text.find("painless").unwrap();
    let offset = block.offset_of(at);
    assert_eq!(&body[offset..offset + 8], "painless");
    let lines = Lines::new(BodyText::Here(body), 10);
    assert_eq!(lines.position(offset), (12, 13));
}
