//! Rebuilding: a batch of changes in, the next snapshot to serve (or every finding) out.
//!
//! The site is rendered in memory by the same pipeline as `build`, so the preview is what
//! `build` would write (with the preview's own address as `base_url`). Content edits reuse
//! what the previous build already did (see `cache`); a change to the theme or `site.yaml`,
//! or lost events, start from scratch.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::cache::Cache;
use super::kept::PlacedSite;
use super::quick::{self, Ready};
use super::snapshot::{Entry, Snapshot};
use super::watch::Changes;
use crate::diagnostics::Diagnostic;
use crate::pipeline;
use crate::render::Frame;

/// Builds the site for the preview, again and again.
#[derive(Debug)]
pub struct Builder {
    pub root: PathBuf,
    /// The preview's own address, in place of `base_url`.
    pub base_url: String,
    pub drafts: bool,
    cache: Cache,
    /// What the last full rebuild left for quick ones (see `quick`), when it succeeded.
    ready: Option<Ready>,
}

/// A good rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    pub snapshot: Snapshot,
    pub pages: usize,
    /// Output files added, removed or changed since the previous snapshot.
    pub changed: usize,
    /// Pages and sections rendered anew; the others were kept from the previous snapshot.
    pub rendered: usize,
    /// Set when only stylesheets changed: their (old, new) paths, for swapping in place.
    pub styles: Option<Vec<(String, String)>>,
    /// What `build` would stop on (check's error-level findings); the site is served anyway.
    pub findings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Whether only the edited pages were rendered and checked (see `quick`).
    pub quick: bool,
}

impl Builder {
    pub fn new(root: PathBuf, base_url: String, drafts: bool) -> Builder {
        Builder {
            root,
            base_url,
            drafts,
            cache: Cache::default(),
            ready: None,
        }
    }

    /// Builds the site after `changes`, starting from `previous` (the snapshot being served).
    pub fn rebuild(
        &mut self,
        changes: &Changes,
        previous: &Snapshot,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        if changes.config || changes.rescan || !changes.theme.is_empty() {
            self.cache = Cache::default();
            self.ready = None;
        }
        let quick = self.ready.as_mut().and_then(|ready| {
            quick::rebuild(&self.root, &mut self.cache, ready, changes, previous)
        });
        if let Some(quick) = quick {
            return Ok(Rebuilt {
                snapshot: quick.snapshot,
                pages: quick.pages,
                changed: quick.changed,
                rendered: quick.rendered,
                styles: None,
                findings: quick.findings,
                elapsed: started.elapsed(),
                quick: true,
            });
        }
        self.ready = None;
        let mut rebuilt = self.rebuild_all(changes, previous)?;
        rebuilt.elapsed = started.elapsed();
        Ok(rebuilt)
    }

    /// Places and renders the whole site again (reusing what `cache` allows), and keeps
    /// the placed site for quick rebuilds.
    fn rebuild_all(
        &mut self,
        changes: &Changes,
        previous: &Snapshot,
    ) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        let root = self.root.as_path();
        let (config, _) = pipeline::read_config(root, Some(&self.base_url))?;
        let content = self.cache.take_content(root, &changes.content);
        let theme = pipeline::load_theme(root, &config);
        let memory = &self.cache.memory;
        let mut read_fresh = None;
        let drafts = self.drafts;
        let mut placed = PlacedSite::place(content, |content, findings| {
            let reuse = memory.reusing(content);
            let placed =
                pipeline::place_content(&config, content, &reuse, (drafts, None), findings);
            read_fresh = Some(reuse.into_fresh());
            placed
        });
        let today = crate::today::of(&config);
        let rendered = placed.with_mut(|content, placed| {
            let reuse = memory.reusing(content);
            let at = pipeline::Placing {
                root,
                config: &config,
                content,
                today,
            };
            let rendered = pipeline::render_placed(at, placed, theme.clone(), &reuse)?;
            // Errors the preview shows beside the pages (a broken link) do not stop it.
            let Some(gate) =
                quick::Errors::new(rendered.gate, &rendered.findings, &placed.site, &config)
            else {
                let mut findings = rendered.findings;
                crate::diagnostics::sort_unique(&mut findings);
                return Err(findings);
            };
            let (snapshot, fresh) = reuse.finish(rendered.outputs, previous);
            let images = placed.site.images.clone();
            Ok((snapshot, fresh, rendered.pages, gate, images))
        });
        self.cache.placed = Some(placed);
        let (snapshot, mut fresh, pages, gate, images) = rendered?;
        fresh.add_read(read_fresh.unwrap_or_default());
        let rendered = pages - fresh.kept();
        self.cache.memory.absorb(fresh);
        let served = gate.served.clone();
        if let (Ok(mut theme), Some(placed)) = (theme, &self.cache.placed) {
            crate::assets::markup::register_template_function(&mut theme.tera, images);
            let frame = placed.with(|_, placed| Frame::new(&placed.site, &theme, &config));
            self.ready = Some(Ready {
                files: snapshot
                    .entries()
                    .map(|(path, _)| path.to_string())
                    .collect(),
                config,
                theme,
                frame,
                today,
                gate,
            });
        }
        let changed = changed_files(previous, &snapshot);
        let styles = changes
            .only_stylesheets()
            .then(|| stylesheet_swaps(previous, &snapshot))
            .flatten();
        Ok(Rebuilt {
            snapshot,
            pages,
            changed: changed.len(),
            rendered,
            styles,
            findings: served,
            elapsed: started.elapsed(),
            quick: false,
        })
    }
}

/// Paths whose file was added, removed or changed between two snapshots, sorted.
pub fn changed_files(old: &Snapshot, new: &Snapshot) -> Vec<String> {
    let same = |a: Option<&Entry>, b: &Entry| match (a, b) {
        // Pages kept from the previous snapshot share their bytes: no need to compare them.
        (Some(Entry::Bytes(a)), Entry::Bytes(b)) => {
            (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
        }
        (a, b) => a == Some(b),
    };
    let mut changed: Vec<String> = new
        .entries()
        .filter(|(path, entry)| !same(old.get(path), entry))
        .chain(old.entries().filter(|(path, _)| new.get(path).is_none()))
        .map(|(path, _)| path.to_string())
        .collect();
    changed.sort_unstable();
    changed
}

/// When only stylesheets changed between two snapshots: each (old, new) path, as the browser
/// asks for them. Fingerprinted names (`style.1a2b3c4d5e.css`) are paired by their plain
/// name. `None` when anything else changed besides pages, so the page must reload instead.
pub fn stylesheet_swaps(old: &Snapshot, new: &Snapshot) -> Option<Vec<(String, String)>> {
    let changed = changed_files(old, new);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut swaps = Vec::new();
    for path in &changed {
        // `_headers` names the hashed stylesheets, so it changes with them.
        if path.ends_with(".html") || path == crate::headers::FILE {
            continue;
        }
        if !path.ends_with(".css") {
            return None;
        }
        match (old.get(path).is_some(), new.get(path).is_some()) {
            (true, true) => swaps.push((format!("/{path}"), format!("/{path}"))),
            (true, false) => removed.push(path.as_str()),
            (false, true) => added.push(path.as_str()),
            (false, false) => {}
        }
    }
    for gone in removed {
        let plain = without_fingerprint(gone);
        let mut matching = added.iter().filter(|a| without_fingerprint(a) == plain);
        let (Some(next), None) = (matching.next(), matching.next()) else {
            return None;
        };
        swaps.push((format!("/{gone}"), format!("/{next}")));
    }
    (!swaps.is_empty()).then_some(swaps)
}

/// `css/style.1a2b3c4d5e.css` -> `css/style.css`; other names are returned as they are.
fn without_fingerprint(path: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let parts: Vec<&str> = name.split('.').collect();
    let plain = match parts.as_slice() {
        [stem @ .., hash, ext]
            if !stem.is_empty()
                && hash.len() >= 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            format!("{}.{ext}", stem.join("."))
        }
        _ => name.to_string(),
    };
    if dir.is_empty() {
        plain
    } else {
        format!("{dir}/{plain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Body, Output};
    use std::path::Path;

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        Snapshot::from_outputs(
            files
                .iter()
                .map(|(path, text)| Output {
                    path: path.to_string(),
                    body: Body::Text(text.to_string()),
                })
                .collect(),
        )
    }

    #[test]
    fn fingerprints_are_taken_off_names() {
        assert_eq!(without_fingerprint("style.1a2b3c4d5e.css"), "style.css");
        assert_eq!(
            without_fingerprint("css/a.b.0123456789ab.css"),
            "css/a.b.css"
        );
        assert_eq!(without_fingerprint("print.css"), "print.css");
        assert_eq!(without_fingerprint("x.notahash.css"), "x.notahash.css");
    }

    #[test]
    fn a_renamed_stylesheet_is_swapped() {
        let old = snapshot(&[("index.html", "a"), ("style.1111111111.css", "x")]);
        let new = snapshot(&[("index.html", "b"), ("style.2222222222.css", "y")]);
        assert_eq!(
            stylesheet_swaps(&old, &new),
            Some(vec![(
                "/style.1111111111.css".into(),
                "/style.2222222222.css".into()
            )])
        );
    }

    #[test]
    fn a_stylesheet_changed_in_place_is_swapped_too() {
        let old = snapshot(&[("index.html", "a"), ("extra.css", "x")]);
        let new = snapshot(&[("index.html", "a"), ("extra.css", "y")]);
        assert_eq!(
            stylesheet_swaps(&old, &new),
            Some(vec![("/extra.css".into(), "/extra.css".into())])
        );
    }

    #[test]
    fn other_changes_need_a_reload() {
        let old = snapshot(&[("style.1111111111.css", "x"), ("search.js", "1")]);
        let new = snapshot(&[("style.2222222222.css", "y"), ("search.js", "2")]);
        assert_eq!(stylesheet_swaps(&old, &new), None);
        let gone = snapshot(&[]);
        assert_eq!(stylesheet_swaps(&old, &gone), None);
    }

    /// After any sequence of edits, the cache-assisted rebuild serves exactly what a build
    /// from scratch makes, and fails exactly when it fails. The fixture's theme prints each
    /// page's whole template context, so a stale listing, summary or link shows up here.
    #[test]
    fn rebuilds_after_any_edits_equal_a_fresh_build() {
        let (_temp, root) = serve_site();
        let base_url = "http://127.0.0.1:1111/";
        let mut builder = Builder::new(root.clone(), base_url.into(), false);
        let mut served = builder
            .rebuild(&Changes::everything(), &Snapshot::default())
            .expect("the fixture builds")
            .snapshot;
        let mut random = 0x2545_f491_4f6c_dd1d_u64;
        let mut failures = 0;
        let mut quick = 0;
        let mut quick_with_findings = 0;
        for step in 0..100 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let changes = random_edit(&root, random, step);
            // A fresh preview; it shows what a fresh build makes, and every error it stops on.
            let fresh = Builder::new(root.clone(), base_url.into(), false)
                .rebuild(&Changes::everything(), &Snapshot::default())
                .map(|rebuilt| (rebuilt.snapshot, rebuilt.findings));
            let built =
                pipeline::render_site(&root, Some(base_url), false, &crate::incremental::Fresh);
            let is_error = |f: &&Diagnostic| f.severity == crate::diagnostics::Severity::Error;
            if let (Ok((fresh, errors)), Ok(built)) = (&fresh, &built) {
                let gate: Vec<&Diagnostic> = built.gate.iter().filter(is_error).collect();
                assert_eq!(errors.iter().collect::<Vec<_>>(), gate, "step {step}");
                assert_same(fresh, &Snapshot::from_outputs(built.outputs.clone()), step);
            } else if let (Ok((_, errors)), Err(stopped)) = (&fresh, &built) {
                for error in stopped.iter().filter(is_error) {
                    assert!(errors.contains(error), "step {step}: {error:?} not shown");
                }
            }
            match (builder.rebuild(&changes, &served), fresh) {
                (Ok(rebuilt), Ok((fresh, errors))) => {
                    assert_same(&rebuilt.snapshot, &fresh, step);
                    assert_eq!(rebuilt.findings, errors, "step {step}");
                    quick += usize::from(rebuilt.quick);
                    quick_with_findings += usize::from(rebuilt.quick && !errors.is_empty());
                    served = rebuilt.snapshot;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "step {step}");
                    failures += 1;
                }
                (a, b) => panic!(
                    "step {step}: rebuild {:?} but fresh build {:?}",
                    a.map(|_| ()),
                    b.map(|_| ())
                ),
            }
        }
        assert!(failures > 0 && failures < 50, "{failures} failed steps");
        assert!(quick > 10, "{quick} quick rebuilds");
        assert!(
            quick_with_findings > 3,
            "{quick_with_findings} quick rebuilds with findings"
        );
        eprintln!("{failures} failed, {quick} quick, {quick_with_findings} with findings");
    }

    /// One random edit of the kinds staff make, after repairing what the previous one broke;
    /// returns what the watcher would report.
    fn random_edit(root: &Path, random: u64, step: usize) -> Changes {
        let pages = [
            "content/faq/does-it-hurt.md",
            "content/faq/what-is-it.md",
            "content/faq/how-long.md",
            "content/about.md",
        ];
        let mut changes = Changes::default();
        for rel in pages {
            let Ok(text) = std::fs::read_to_string(root.join(rel)) else {
                continue;
            };
            let repaired: String = text
                .lines()
                .filter(|l| {
                    !["oops", "[broken]", "Painless", "![", "[Again]"]
                        .iter()
                        .any(|start| l.starts_with(start))
                })
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                .replace("## After your visit, again", "## After your visit");
            if repaired != text {
                std::fs::write(root.join(rel), repaired).unwrap();
                changes.content.insert(PathBuf::from(rel));
            }
        }
        let rel = pages[(random >> 8) as usize % pages.len()];
        let path = root.join(rel);
        changes.content.insert(PathBuf::from(rel));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            format!("---\ntitle: Page {step}\ncategory: Basics\n---\nNew page.\n")
        });
        let (yaml, body) = text[4..].split_once("\n---\n").expect("front matter");
        let edited = match random % 16 {
            0..=2 => format!("---\n{yaml}\n---\n{body}Words {step}.\n"),
            3 => format!("---\n{yaml}\n---\n{body}\n## Part {step}\n\nMore.\n"),
            4 => format!(
                "---\n{}\n---\n{body}",
                replace_key(yaml, "title", &format!("Title {step}"))
            ),
            5 => format!(
                "---\n{}\n---\n{body}",
                replace_key(yaml, "summary", &format!("Summary {step}"))
            ),
            6 => format!(
                "---\n{}\n---\n{body}",
                replace_key(yaml, "weight", &(step % 4).to_string())
            ),
            7 => format!("---\n{yaml}\noops: 1\n---\n{body}"),
            8 => format!("---\n{yaml}\n---\n{body}\n[broken](nowhere-{step}.md)\n"),
            // What check's rules stop (a claim, an image without alt text), an anchor that
            // breaks and comes back, a link to a heading.
            11 => format!("---\n{yaml}\n---\n{body}\nPainless, {step}% guaranteed.\n"),
            12 => format!("---\n{yaml}\n---\n{body}\n![](leaflet-{step}.png)\n"),
            13 => format!(
                "---\n{yaml}\n---\n{}",
                body.replace("## After your visit", "## After your visit, again")
            ),
            14 => format!(
                "---\n{yaml}\n---\n{body}\n[Again](/faq/does-it-hurt/#after-your-visit) {step}\n"
            ),
            // Pages nothing links to may go (and come back when picked again).
            9 if rel.contains("what-is-it") || rel.contains("how-long") => {
                std::fs::remove_file(&path).unwrap();
                return changes;
            }
            9 => format!("---\n{yaml}\n---\n{body}Words {step}.\n"),
            _ => {
                let template = root.join("themes/live/templates/404.html");
                std::fs::write(&template, format!("<p>Missing {step}</p>")).unwrap();
                changes
                    .theme
                    .insert(PathBuf::from("themes/live/templates/404.html"));
                text
            }
        };
        std::fs::write(&path, edited).unwrap();
        changes
    }

    fn replace_key(yaml: &str, key: &str, value: &str) -> String {
        let mut lines: Vec<String> = yaml
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}:")))
            .map(str::to_string)
            .collect();
        if key != "summary" || yaml.contains("category:") {
            lines.push(format!("{key}: {value}"));
        }
        lines.join("\n")
    }

    fn assert_same(served: &Snapshot, fresh: &Snapshot, step: usize) {
        assert_eq!(served.paths(), fresh.paths(), "step {step}");
        for path in fresh.paths() {
            if served.get(path) != fresh.get(path) {
                let text = |s: &Snapshot| match s.get(path) {
                    Some(Entry::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
                    other => format!("{other:?}"),
                };
                panic!(
                    "step {step}: {path} differs\nserved:\n{}\nfresh:\n{}",
                    text(served),
                    text(fresh)
                );
            }
        }
    }

    /// A copy of the `serve_site` fixture with its theme, in a folder removed when the first
    /// value is dropped.
    fn serve_site() -> (tempfile::TempDir, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        copy_dir(&fixtures.join("serve_site"), &root);
        copy_dir(&fixtures.join("_theme"), &root.join("themes/mini"));
        (temp, root)
    }

    /// Replaces `from` with `to` in the site's file `rel`: the change the watcher reports.
    fn edit(root: &Path, rel: &str, from: &str, to: &str) -> Changes {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        std::fs::write(root.join(rel), text.replace(from, to)).unwrap();
        let mut changes = Changes::default();
        changes.content.insert(PathBuf::from(rel));
        changes
    }

    fn copy_dir(from: &Path, to: &Path) {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    #[test]
    fn a_text_edit_renders_only_its_page_and_a_title_edit_renders_all() {
        let (_temp, root) = serve_site();
        let mut builder = Builder::new(root.clone(), "http://127.0.0.1:1111/".into(), false);
        let first = builder
            .rebuild(&Changes::everything(), &Snapshot::default())
            .unwrap();
        assert_eq!((first.pages, first.rendered), (9, 9));

        let edit = |from: &str, to: &str| edit(&root, "content/faq/what-is-it.md", from, to);
        let text_edit = builder
            .rebuild(&edit("heal", "mend"), &first.snapshot)
            .unwrap();
        assert_eq!(text_edit.rendered, 1);
        // Only the page: listings, sitemap and search index hold no body text.
        assert_eq!(
            changed_files(&first.snapshot, &text_edit.snapshot),
            ["faq/what-is-it/index.html"]
        );

        let title_edit = builder
            .rebuild(&edit("What is it?", "What is this?"), &text_edit.snapshot)
            .unwrap();
        assert_eq!(title_edit.rendered, 9);
    }

    #[test]
    fn an_edit_to_an_original_brings_its_translations_untranslated_error_up_to_date() {
        let (_temp, root) = serve_site();
        let spanish = root.join("content/faq/does-it-hurt.es.md");
        let text = std::fs::read_to_string(&spanish).unwrap();
        std::fs::write(&spanish, text + "\nYour skin may look pink for a day.\n").unwrap();
        let mut builder = Builder::new(root.clone(), "http://127.0.0.1:1111/".into(), false);
        let untranslated = |findings: &[Diagnostic]| {
            findings
                .iter()
                .filter(|f| f.code == crate::diagnostics::Code::TranslationUntranslated)
                .map(|f| (f.file.clone(), f.line))
                .collect::<Vec<_>>()
        };
        let first = builder
            .rebuild(&Changes::everything(), &Snapshot::default())
            .unwrap();
        let copied = vec![(PathBuf::from("content/faq/does-it-hurt.es.md"), 10)];
        assert_eq!(untranslated(&first.findings), copied);

        let edit = |from: &str, to: &str| edit(&root, "content/faq/does-it-hurt.md", from, to);
        let reworded = builder
            .rebuild(&edit("pink for a day", "red for a day"), &first.snapshot)
            .unwrap();
        assert!(reworded.quick);
        assert_eq!(untranslated(&reworded.findings), []);
        let back = builder
            .rebuild(&edit("red for a day", "pink for a day"), &reworded.snapshot)
            .unwrap();
        assert!(back.quick);
        assert_eq!(untranslated(&back.findings), copied);
    }

    #[test]
    fn changed_files_lists_additions_removals_and_edits() {
        let old = snapshot(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = snapshot(&[("a", "1"), ("b", "changed"), ("d", "4")]);
        assert_eq!(changed_files(&old, &new), ["b", "c", "d"]);
    }
}
