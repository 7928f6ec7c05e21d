//! Tests of `scan`: what each element fetches, names in any case, entities, broken HTML, and
//! the table-driven readers against the tokenizer as first written.

use super::*;

fn urls(html: &str) -> Vec<(String, String)> {
    scan_html(html)
        .into_iter()
        .map(|r| (r.element, r.url))
        .collect()
}

#[test]
fn each_fetching_element_is_found() {
    let html = r#"<script src="https://a.example/x.js"></script>
<img src=//b.example/p.gif srcset="https://c.example/1.jpg 1x, /local.jpg 2x" alt="">
<iframe src='https://d.example/'></iframe><link rel="Stylesheet" href="https://e.example/s.css">
<link rel=canonical href="https://f.example/"><a href="https://g.example/">g</a>
<form action="https://h.example/submit"></form><video poster="https://i.example/p.jpg"><source src="https://j.example/v.mp4"></video>
<object data="https://k.example/o"></object><embed src="https://l.example/e">
<div style="background:url('https://m.example/bg.png')"></div>
<style>@import "https://n.example/i.css"; body{background:url(https://o.example/b.png)}</style>
<!-- <img src="https://commented.example/"> --><script>var s = "<img src='https://in-script.example/'>";</script>"#;
    let found = urls(html);
    let hosts: Vec<&str> = found.iter().map(|(_, url)| url.as_str()).collect();
    assert_eq!(
        hosts,
        [
            "https://a.example/x.js",
            "//b.example/p.gif",
            "https://c.example/1.jpg",
            "/local.jpg",
            "https://d.example/",
            "https://e.example/s.css",
            "https://h.example/submit",
            "https://i.example/p.jpg",
            "https://j.example/v.mp4",
            "https://k.example/o",
            "https://l.example/e",
            "https://m.example/bg.png",
            "https://o.example/b.png",
            "https://n.example/i.css",
        ]
    );
    assert_eq!(found[0].0, "<script src>");
    assert_eq!(found[5].0, "<link href>");
}

#[test]
fn entities_cannot_hide_an_address() {
    assert_eq!(
        urls(r#"<img src="https&#58;&#x2F;&sol;x.example/p.gif" alt="">"#)[0].1,
        "https://x.example/p.gif"
    );
}

#[test]
fn any_tag_fetches_through_its_style_attribute() {
    let html = r#"<p class="a" STYLE="background:url(https&#58;//a.example/p.png)">x</p>
<li data-x=1 style=background:url(//b.example/q.png) hidden><a href="https://c.example/">c</a>
<link rel="&#105;con" href="https://d.example/i.svg">"#;
    let found = urls(html);
    assert_eq!(
        found,
        [
            ("<p style> url()".into(), "https://a.example/p.png".into()),
            ("<li style> url()".into(), "//b.example/q.png".into()),
            ("<link href>".into(), "https://d.example/i.svg".into()),
        ]
    );
}

#[test]
fn names_are_read_in_any_case() {
    let html = r#"<IMG SRC="https://a.example/p.gif" alt=""><Script>"<img src='https://in.example/'>"</SCRIPT >
<STYLE>b{background:URL(https://b.example/b.png)}</Style><img src="https://c.example/c.gif" alt="">"#;
    let found = urls(html);
    let hosts: Vec<&str> = found.iter().map(|(_, url)| url.as_str()).collect();
    assert_eq!(
        hosts,
        [
            "https://a.example/p.gif",
            "https://b.example/b.png",
            "https://c.example/c.gif",
        ]
    );
    assert_eq!(found[0].0, "<img src>");
}

/// The tokenizer as it was first written, one byte at a time with its own checks: the
/// table-driven `read_attributes` must read every tag as it does.
#[allow(clippy::while_let_loop)]
fn byte_by_byte<'h>(
    html: &'h str,
    mut at: usize,
    keep: fn(&str) -> bool,
    attributes: &mut Vec<(Cow<'h, str>, &'h str)>,
) -> usize {
    let bytes = html.as_bytes();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return at;
        }
        if bytes[at] == b'>' {
            return at + 1;
        }
        let name_start = at;
        while at < bytes.len()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
            && !bytes[at].is_ascii_whitespace()
        {
            at += 1;
        }
        let name = &html[name_start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] != b'=' {
            if keep(name) {
                attributes.push((lower(name), ""));
            }
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = memchr(quote, &bytes[at + 1..]).map_or(bytes.len(), |i| at + 1 + i);
                let value = &html[at + 1..end];
                at = (end + 1).min(bytes.len());
                value
            }
            _ => {
                let start = at;
                while at < bytes.len() && bytes[at] != b'>' && !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                &html[start..at]
            }
        };
        if keep(name) {
            attributes.push((lower(name), value));
        }
    }
}

proptest::proptest! {
    #[test]
    fn attributes_are_read_as_byte_by_byte(tag in "[a-zA-Z \t\n/=>'\"é-]{0,40}", all: bool) {
        let keep: fn(&str) -> bool = if all {
            |_: &str| true
        } else {
            |name: &str| name.eq_ignore_ascii_case("style")
        };
        let (mut new, mut old) = (Vec::new(), Vec::new());
        let end = read_attributes(&tag, 0, all, &mut new);
        proptest::prop_assert_eq!(end, byte_by_byte(&tag, 0, keep, &mut old));
        proptest::prop_assert_eq!(new, old);
    }
}

proptest::proptest! {
    #[test]
    fn skipped_tags_end_where_their_attributes_do(
        tag in "(style|StYlE|styles|a|=|\"|'|>|/| |\t|\n|é|-){0,24}"
    ) {
        let mut style = Vec::new();
        let end = read_attributes(&tag, 0, false, &mut style);
        proptest::prop_assert_eq!(skip_tag(tag.as_bytes(), 0), (end, !style.is_empty()));
    }
}

#[test]
fn broken_html_ends_the_scan_without_panicking() {
    for html in [
        "<",
        "<img src=",
        "<img src=\"https://x",
        "<style>url(",
        "<!--",
        "<a",
    ] {
        scan_html(html);
    }
}
