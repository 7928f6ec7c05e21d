//! Unit tests of the scan for fetched addresses, against the tokenizer as first written.

use proptest::strategy::Strategy;

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

/// `scan_html` as it was before `tag_end`: every tag's attributes read.
fn scan_reading_every_tag(html: &str) -> Vec<Request> {
    let bytes = html.as_bytes();
    let mut requests = Vec::new();
    let mut attributes = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment
                .find("-->")
                .map_or(bytes.len(), |end| start + 4 + end + 3);
            continue;
        }
        let Some(name_len) = tag_name_len(&rest[1..]) else {
            at = start + 1;
            continue;
        };
        let name = lower(&rest[1..1 + name_len]);
        attributes.clear();
        let from = start + 1 + name_len;
        let end = read_attributes(html, from, may_fetch(&name), &mut attributes);
        for (attribute, value) in &attributes {
            check_attribute(&name, attribute, value, &attributes, start, &mut requests);
        }
        at = end;
        if name == "script" || name == "style" {
            let body_end = find_close(&html[at..], &name).map_or(bytes.len(), |i| at + i);
            if name == "style" {
                for mut request in scan_css(&html[at..body_end]) {
                    request.offset += at;
                    requests.push(request);
                }
            }
            at = body_end;
        }
    }
    requests
}

#[test]
fn a_style_attribute_is_found_in_any_tag_however_written() {
    let html = r#"<p title='a>b' data-x=y=z STYLE = "background:url(//a.example/p.png)">
<div class="stylish" title=it's>t</div><span sTyLe=background:url(//b.example/q.png)>x</span>
<a href="/x" title="no style here">y</a><em style>z</em>"#;
    let found = urls(html);
    let hosts: Vec<&str> = found.iter().map(|(_, url)| url.as_str()).collect();
    assert_eq!(hosts, ["//a.example/p.png", "//b.example/q.png"]);
    assert_eq!(scan_html(html), scan_reading_every_tag(html));
}

proptest::proptest! {
    #[test]
    fn tags_end_where_their_attributes_do(tag in "[a-zA-Z \t\n/=>'\"é-]{0,40}") {
        let end = read_attributes(&tag, 0, true, &mut Vec::new());
        proptest::prop_assert_eq!(tag_end(tag.as_bytes(), 0), end);
    }

    #[test]
    fn pages_are_scanned_as_reading_every_tag(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::string::string_regex("[a-zA-Z \t\n/=>'\"<!-]{0,12}").unwrap(),
                proptest::sample::select(vec![
                    "<a ", "<img ", "<p ", "<link ", "<style>", "</style>", "<script>",
                    "</script>", "style=", "STYLE", "src=", "href=", "rel=icon ",
                    "url(//x.example/a)", "\"//y.example/b\"", "'//z.example/c'",
                    "<!--", "-->", "&#58;",
                ]).prop_map(String::from),
            ],
            0..24,
        )
    ) {
        let html = parts.concat();
        proptest::prop_assert_eq!(scan_html(&html), scan_reading_every_tag(&html));
    }

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
