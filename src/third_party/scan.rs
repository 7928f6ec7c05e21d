//! The addresses a browser fetches by itself: HTML or CSS text in, each such address with
//! the element or rule that asks for it and its byte offset out.
//!
//! A small tokenizer that knows only what matters here: tags and their attributes, comments,
//! and the raw text of `<script>` and `<style>` (scripts are skipped; styles are read as CSS).

use std::borrow::Cow;

use memchr::memchr;

/// An address the browser would fetch while showing the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// What asks for it, like `<img src>` or `CSS url()`.
    pub element: String,
    pub url: String,
    /// Byte offset of the tag or rule in the scanned text.
    pub offset: usize,
}

/// Link relations that make the browser fetch (or connect to) the address.
const FETCHING_RELS: &[&str] = &[
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "dns-prefetch",
    "preconnect",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
];

/// Every address the browser would fetch from `html`.
pub fn scan_html(html: &str) -> Vec<Request> {
    let bytes = html.as_bytes();
    let mut requests = Vec::new();
    // One list of attributes for every tag: scanning a page allocates only for what it finds.
    let mut attributes: Vec<(Cow<str>, &str)> = Vec::new();
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
        let after_name = start + 1 + name_len;
        let all = may_fetch(&name);
        // Most tags (`a`, `li`, `path`) fetch nothing but through a `style` attribute: their
        // attributes are only read when one is named so.
        let end = match (all, skip_tag(bytes, after_name)) {
            (false, (end, false)) => end,
            _ => read_attributes(html, after_name, all, &mut attributes),
        };
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

/// Every address the stylesheet `css` fetches: `url(…)` and `@import "…"`.
pub fn scan_css(css: &str) -> Vec<Request> {
    let lower = css.to_ascii_lowercase();
    let mut requests = Vec::new();
    for (at, _) in lower.match_indices("url(") {
        let inner = css[at + 4..].trim_start();
        let url = match inner.chars().next() {
            Some(quote @ ('"' | '\'')) => inner[1..].split(quote).next().unwrap_or(""),
            _ => inner.split(')').next().unwrap_or("").trim_end(),
        };
        requests.push(Request {
            element: "CSS url()".into(),
            url: url.to_string(),
            offset: at,
        });
    }
    for (at, _) in lower.match_indices("@import") {
        let inner = css[at + 7..].trim_start();
        if let Some(quote @ ('"' | '\'')) = inner.chars().next() {
            let url = inner[1..].split(quote).next().unwrap_or("");
            requests.push(Request {
                element: "CSS @import".into(),
                url: url.to_string(),
                offset: at,
            });
        }
    }
    requests
}

/// Whether a `tag` may fetch through an attribute other than `style` (see `check_attribute`).
fn may_fetch(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "img"
            | "iframe"
            | "frame"
            | "embed"
            | "video"
            | "audio"
            | "source"
            | "track"
            | "input"
            | "object"
            | "form"
            | "button"
            | "image"
            | "use"
            | "feimage"
            | "body"
            | "table"
            | "td"
            | "th"
            | "link"
    )
}

/// `value` is the attribute's value as written: decoded here, only for the attributes that
/// fetch.
fn check_attribute(
    tag: &str,
    attribute: &str,
    value: &str,
    all: &[(Cow<str>, &str)],
    offset: usize,
    requests: &mut Vec<Request>,
) {
    // Most attributes (`class`, `id`, `aria-*`, an icon's `d`) fetch nothing in any tag.
    if !matches!(
        attribute,
        "src"
            | "srcset"
            | "poster"
            | "data"
            | "action"
            | "formaction"
            | "href"
            | "xlink:href"
            | "background"
            | "imagesrcset"
            | "style"
    ) {
        return;
    }
    let value = &*decode(value);
    let fetched = match (tag, attribute) {
        ("script" | "img" | "iframe" | "frame" | "embed" | "video" | "audio" | "source", "src")
        | ("track" | "input", "src")
        | ("img" | "source", "srcset")
        | ("video", "poster")
        | ("object", "data")
        | ("form", "action")
        | ("button" | "input", "formaction")
        | ("image" | "use" | "feimage", "href" | "xlink:href")
        | ("body" | "table" | "td" | "th", "background") => true,
        ("link", "href" | "imagesrcset") => {
            let rel = all
                .iter()
                .find(|(name, _)| name == "rel")
                .map(|(_, rel)| decode(rel).to_ascii_lowercase())
                .unwrap_or_default();
            rel.split_ascii_whitespace()
                .any(|r| FETCHING_RELS.contains(&r))
        }
        (_, "style") => {
            for mut request in scan_css(value) {
                request.element = format!("<{tag} style> url()");
                request.offset = offset;
                requests.push(request);
            }
            return;
        }
        _ => false,
    };
    if !fetched {
        return;
    }
    let element = format!("<{tag} {attribute}>");
    if attribute.ends_with("srcset") {
        for candidate in value.split(',') {
            let url = candidate.split_ascii_whitespace().next().unwrap_or("");
            requests.push(Request {
                element: element.clone(),
                url: url.to_string(),
                offset,
            });
        }
    } else {
        requests.push(Request {
            element,
            url: value.to_string(),
            offset,
        });
    }
}

/// What each byte is to the tokenizer, as bits: one table look-up per byte in its loops.
const SPACE: u8 = 1;
/// Skipped between attributes: white space and `/`.
const GAP: u8 = 2;
/// Ends an attribute's name: `=`, `>`, `/` or white space.
const NAME_END: u8 = 4;
/// Ends an unquoted value: `>` or white space.
const VALUE_END: u8 = 8;
/// Continues a tag name: letters, digits, `-` and `:`.
const TAG_NAME: u8 = 16;

static CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let mut bits = 0;
        if byte.is_ascii_whitespace() {
            bits |= SPACE | GAP | NAME_END | VALUE_END;
        }
        if byte == b'/' {
            bits |= GAP | NAME_END;
        }
        if byte == b'=' {
            bits |= NAME_END;
        }
        if byte == b'>' {
            bits |= NAME_END | VALUE_END;
        }
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b':' {
            bits |= TAG_NAME;
        }
        class[b] = bits;
        b += 1;
    }
    class
};

/// The offset of the first byte from `at` on whose class has none of `bits` (or the end).
fn skip(bytes: &[u8], at: usize, bits: u8) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|&b| CLASS[b as usize] & bits == 0)
        .unwrap_or(rest.len())
}

/// The offset of the first byte from `at` on whose class has one of `bits` (or the end).
fn until(bytes: &[u8], at: usize, bits: u8) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|&b| CLASS[b as usize] & bits != 0)
        .unwrap_or(rest.len())
}

/// The length of the tag name at the start of `text` (after `<`), if it starts a tag.
fn tag_name_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    Some(skip(bytes, 1, TAG_NAME))
}

/// The offset after the tag whose attributes start at `at`, as `read_attributes` finds it,
/// and whether one of them is named `style` (in any case): nothing is kept, so a tag that
/// fetches nothing is passed over without a list of its attributes.
fn skip_tag(bytes: &[u8], mut at: usize) -> (usize, bool) {
    let len = bytes.len();
    let mut style = false;
    loop {
        while at < len && CLASS[bytes[at] as usize] & GAP != 0 {
            at += 1;
        }
        match bytes.get(at) {
            None => return (at, style),
            Some(b'>') => return (at + 1, style),
            Some(_) => {}
        }
        let name_start = at;
        while at < len && CLASS[bytes[at] as usize] & NAME_END == 0 {
            at += 1;
        }
        style |= bytes[name_start..at].eq_ignore_ascii_case(b"style");
        while at < len && CLASS[bytes[at] as usize] & SPACE != 0 {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while at < len && CLASS[bytes[at] as usize] & SPACE != 0 {
            at += 1;
        }
        match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                at = memchr(quote, &bytes[at + 1..]).map_or(len, |i| at + 2 + i);
            }
            _ => {
                while at < len && CLASS[bytes[at] as usize] & VALUE_END == 0 {
                    at += 1;
                }
            }
        }
    }
}

/// The attributes from `at` to the end of the tag into `attributes` (names lower case,
/// values as written), all of them or, without `all`, only `style`; the offset after the
/// tag's `>`.
fn read_attributes<'h>(
    html: &'h str,
    mut at: usize,
    all: bool,
    attributes: &mut Vec<(Cow<'h, str>, &'h str)>,
) -> usize {
    let bytes = html.as_bytes();
    let keep = |name: &str| all || name.eq_ignore_ascii_case("style");
    loop {
        at = skip(bytes, at, GAP);
        match bytes.get(at) {
            None => return at,
            Some(b'>') => return at + 1,
            Some(_) => {}
        }
        let name_start = at;
        at = until(bytes, at, NAME_END);
        let name = &html[name_start..at];
        at = skip(bytes, at, SPACE);
        if bytes.get(at) != Some(&b'=') {
            if keep(name) {
                attributes.push((lower(name), ""));
            }
            continue;
        }
        at = skip(bytes, at + 1, SPACE);
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = memchr(quote, &bytes[at + 1..]).map_or(bytes.len(), |i| at + 1 + i);
                let value = &html[at + 1..end];
                at = (end + 1).min(bytes.len());
                value
            }
            _ => {
                let start = at;
                at = until(bytes, at, VALUE_END);
                &html[start..at]
            }
        };
        if keep(name) {
            attributes.push((lower(name), value));
        }
    }
}

/// `value` with character references decoded where they could spell an address.
fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name.to_ascii_lowercase().as_str() {
                "amp" => Some('&'),
                "colon" => Some(':'),
                "sol" => Some('/'),
                "bsol" => Some('\\'),
                "period" => Some('.'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `text` in lower case, borrowed when it already is (as tag and attribute names mostly are).
fn lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Where `</name` (in any case) first starts in `text`.
fn find_close(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &bytes[start + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..1 + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

#[cfg(test)]
mod tests;
