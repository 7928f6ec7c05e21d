//! The served site: the finished files of one successful build in, the file for a request
//! path (or a redirect, or nothing) out.
//!
//! A snapshot is immutable; the server swaps in a whole new one after each good rebuild, so a
//! request never sees half of one build and half of the next. Requests are answered only from
//! the snapshot's own list of paths, never by joining a request path onto a folder, so nothing
//! outside the built site can be reached whatever the request says.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::render::{Body, Output};
use crate::source::Data;

/// Every file of one build, by its path in the output (`faq/pain/index.html`).
///
/// The files of the last full build are shared by the snapshots after it, which hold only
/// the files quick rebuilds replaced since (`replaced`): a snapshot of a large site is made
/// anew, or dropped, without copying every file's entry.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    base: Arc<HashMap<String, Entry>>,
    /// Files in place of (or beside) those of `base`.
    top: HashMap<String, Entry>,
    /// What the site's `_headers` sends with every address (the security policy).
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// One file's bytes, or the source file they are copied from (images can be large, and are
/// read when asked for). A copied file's size and time tell when it was changed in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Bytes(Bytes),
    File {
        path: PathBuf,
        stamp: Option<(u64, SystemTime)>,
    },
}

/// How many files quick rebuilds may replace before a snapshot folds them into its base.
const MAX_TOP: usize = 256;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'s> {
    /// A file: its output path and entry.
    Found(&'s str, &'s Entry),
    /// A folder asked for without its final slash: send the browser to `faq/pain/`.
    Redirect(String),
    Missing,
    /// A path that tries to leave the site or cannot be decoded.
    Refused,
}

impl Snapshot {
    /// The snapshot of a build's outputs.
    pub fn from_outputs(outputs: Vec<Output>) -> Snapshot {
        let files = outputs
            .into_iter()
            .map(|output| {
                let entry = match output.body {
                    Body::Text(text) => Entry::Bytes(Bytes::from(text)),
                    Body::Copy(Data::Embedded(bytes)) => Entry::Bytes(Bytes::from_static(bytes)),
                    Body::Copy(Data::Made(bytes)) => Entry::Bytes(Bytes::from(bytes.to_vec())),
                    Body::Copy(Data::Disk(path))
                    | Body::Processed(crate::assets::Processed { path, .. }) => {
                        let stamp = std::fs::metadata(&path)
                            .ok()
                            .and_then(|m| Some((m.len(), m.modified().ok()?)));
                        Entry::File { path, stamp }
                    }
                };
                (output.path, entry)
            })
            .collect::<HashMap<String, Entry>>();
        let headers = match files.get(crate::headers::FILE) {
            Some(Entry::Bytes(bytes)) => {
                crate::headers::for_every_address(&String::from_utf8_lossy(bytes))
                    .into_iter()
                    .filter_map(|(name, value)| {
                        Some((
                            HeaderName::try_from(name).ok()?,
                            HeaderValue::try_from(value).ok()?,
                        ))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        Snapshot {
            base: Arc::new(files),
            top: HashMap::new(),
            headers,
        }
    }

    /// Adds the headers the published site sends (its `_headers`), so the preview breaks
    /// where the published site would.
    pub fn add_site_headers(&self, headers: &mut HeaderMap) {
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
    }

    /// A snapshot with `outputs` added to (or replacing) the files of `self` at `kept` paths:
    /// how an incremental rebuild, which renders only what changed, becomes a whole site.
    pub fn merged(&self, outputs: Vec<Output>, kept: &[String]) -> Snapshot {
        let mut next = Snapshot::from_outputs(outputs);
        let files = Arc::make_mut(&mut next.base);
        for path in kept {
            if let Some(entry) = self.get(path) {
                files.entry(path.clone()).or_insert_with(|| entry.clone());
            }
        }
        next
    }

    /// A snapshot with `outputs` in place of the files of `self` at their paths (how a quick
    /// rebuild, which renders only edited pages, becomes a whole site), and the paths whose
    /// file changed.
    pub fn replaced(&self, outputs: Vec<Output>) -> (Snapshot, Vec<String>) {
        let mut next = self.clone();
        let mut changed = Vec::new();
        let made = Snapshot::from_outputs(outputs);
        for (path, entry) in Arc::unwrap_or_clone(made.base) {
            if self.get(&path) != Some(&entry) {
                changed.push(path.clone());
            }
            next.top.insert(path, entry);
        }
        changed.sort_unstable();
        // Many replaced files are folded into a new base, so lookups stay one probe or two.
        if next.top.len() > MAX_TOP {
            let mut files = Arc::unwrap_or_clone(next.base);
            files.extend(std::mem::take(&mut next.top));
            next.base = Arc::new(files);
        }
        (next, changed)
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.top.get(path).or_else(|| self.base.get(path))
    }

    fn get_key_value(&self, path: &str) -> Option<(&String, &Entry)> {
        self.top
            .get_key_value(path)
            .or_else(|| self.base.get_key_value(path))
    }

    pub fn len(&self) -> usize {
        let added = self.top.keys().filter(|p| !self.base.contains_key(*p));
        self.base.len() + added.count()
    }

    pub fn is_empty(&self) -> bool {
        self.base.is_empty() && self.top.is_empty()
    }

    /// Every file, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        let below = self.base.iter().filter(|(p, _)| !self.top.contains_key(*p));
        self.top
            .iter()
            .chain(below)
            .map(|(path, entry)| (path.as_str(), entry))
    }

    /// Output paths, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.entries().map(|(path, _)| path).collect();
        paths.sort_unstable();
        paths
    }

    /// Finds the file for a request path as it arrived (percent-encoded, starting with `/`).
    /// Pretty URLs: `/faq/pain/` is `faq/pain/index.html`, and `/faq/pain` redirects there.
    pub fn lookup(&self, request_path: &str) -> Lookup<'_> {
        let Some(path) = decode_request_path(request_path) else {
            return Lookup::Refused;
        };
        let wanted = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.clone()
        };
        if let Some((key, entry)) = self.get_key_value(&wanted) {
            return Lookup::Found(key, entry);
        }
        if !path.is_empty()
            && !path.ends_with('/')
            && self.get(&format!("{path}/index.html")).is_some()
        {
            return Lookup::Redirect(format!("/{path}/"));
        }
        Lookup::Missing
    }

    /// The page shown for a missing path: the `404.html` of the language the path is in
    /// (`/es/…` → `es/404.html`) when the site has one, else the site's `404.html`.
    pub fn not_found_page(&self, request_path: &str) -> Option<(&str, &Entry)> {
        let first = request_path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let localised = format!("{first}/404.html");
        [localised.as_str(), "404.html"]
            .into_iter()
            .filter(|candidate| !first.is_empty() || *candidate == "404.html")
            .find_map(|candidate| self.get_key_value(candidate))
            .map(|(key, entry)| (key.as_str(), entry))
    }
}

/// The request path decoded into an output path without its leading `/` (`faq/pain/`), or
/// `None` for anything that is not a plain path inside the site: `..` or `.` segments
/// (also when percent-encoded), backslashes, NUL and other control characters, empty
/// segments (`//`), and bytes that are not UTF-8.
pub fn decode_request_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(rest).collect();
    let path = String::from_utf8(bytes).ok()?;
    if path.chars().any(|c| c == '\\' || c.is_control()) {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        let trailing_slash = i == last && segment.is_empty();
        if matches!(*segment, "." | "..") || (segment.is_empty() && !trailing_slash && last > 0) {
            return None;
        }
        // `C:` at the start would be an absolute path on Windows.
        if i == 0 && segment.len() == 2 && segment.ends_with(':') {
            return None;
        }
    }
    Some(path)
}

/// Whether the copied file at `path` (from the build) is still inside `root`: a file swapped
/// for a symbolic link to somewhere else after the build is not served.
pub fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(paths: &[&str]) -> Snapshot {
        Snapshot::from_outputs(
            paths
                .iter()
                .map(|p| Output {
                    path: p.to_string(),
                    body: Body::Text(format!("<p>{p}</p>")),
                })
                .collect(),
        )
    }

    #[test]
    fn pretty_urls_find_index_files() {
        let s = site(&["index.html", "faq/pain/index.html", "style.css"]);
        assert!(matches!(s.lookup("/"), Lookup::Found("index.html", _)));
        assert!(matches!(
            s.lookup("/faq/pain/"),
            Lookup::Found("faq/pain/index.html", _)
        ));
        assert!(matches!(
            s.lookup("/style.css"),
            Lookup::Found("style.css", _)
        ));
        assert_eq!(s.lookup("/faq/pain"), Lookup::Redirect("/faq/pain/".into()));
        assert_eq!(s.lookup("/faq/none/"), Lookup::Missing);
        assert_eq!(s.lookup("/style.css/"), Lookup::Missing);
    }

    #[test]
    fn encoded_names_are_decoded() {
        let s = site(&["faq/a b/index.html", "café.png"]);
        assert!(matches!(s.lookup("/faq/a%20b/"), Lookup::Found(..)));
        assert!(matches!(s.lookup("/caf%C3%A9.png"), Lookup::Found(..)));
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        let s = site(&["index.html", "etc/passwd"]);
        for bad in [
            "/../etc/passwd",
            "/faq/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/.%2e/etc/passwd",
            "/..%5cetc%5cpasswd",
            "/..\\etc\\passwd",
            "/%5c%5cserver%5cshare",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/c:%5cwindows",
            "/./index.html",
            "/a%00.html",
            "/%ff.html",
            "etc/passwd",
        ] {
            assert_eq!(s.lookup(bad), Lookup::Refused, "{bad}");
        }
    }

    #[test]
    fn missing_pages_get_the_nearest_404() {
        let s = site(&["404.html", "es/404.html"]);
        assert_eq!(
            s.not_found_page("/es/nada/").map(|f| f.0),
            Some("es/404.html")
        );
        assert_eq!(s.not_found_page("/nothing").map(|f| f.0), Some("404.html"));
        assert_eq!(s.not_found_page("/").map(|f| f.0), Some("404.html"));
        assert_eq!(site(&[]).not_found_page("/x"), None);
    }

    #[test]
    fn merging_keeps_unchanged_pages() {
        let old = site(&["a/index.html", "b/index.html", "sitemap.xml"]);
        let next = old.merged(
            vec![Output {
                path: "a/index.html".into(),
                body: Body::Text("new".into()),
            }],
            &["b/index.html".into()],
        );
        assert_eq!(next.paths(), ["a/index.html", "b/index.html"]);
        assert_eq!(
            next.get("a/index.html"),
            Some(&Entry::Bytes(Bytes::from("new")))
        );
    }
}
