//! Watching the site: file-system events in, one classified batch of changes per burst out.
//!
//! `content/`, `themes/` and `site.yaml` are watched. Each event's paths are classified first
//! (editor swap and backup files, hidden files and everything else are dropped), then events
//! are coalesced per path until the files have been quiet for `QUIET` (but no longer than
//! `LONGEST_WAIT`): an editor's save-rename-delete dance or a `git checkout` of hundreds of
//! files becomes one batch. A half-saved file is not handed on: a file still open for
//! writing (Linux reports closes) is waited for, and every changed file must keep its size
//! and time for `SETTLE` (see `settle`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::source::is_ignored;

/// How long the files must be quiet before a batch is handed on. Editors finish a save well
/// within it, so an edit shows at once.
pub const QUIET: Duration = Duration::from_millis(10);
/// The same once a batch has many events: a burst (a `git checkout`, a script, a sync tool)
/// pauses now and then, and should still cost one rebuild rather than several.
pub const QUIET_IN_A_BURST: Duration = Duration::from_millis(100);
/// How many events make a burst: a save is a handful (write, close, rename, remove backup).
const BURST: usize = 32;
/// The longest a batch waits for quiet: something that writes without pause (a sync tool, a
/// script in a loop) still gets a rebuild this often instead of freezing the preview.
pub const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// What one changed path is to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Config,
    /// A file or folder under `themes/`, relative to the site root.
    Theme(PathBuf),
    /// A file or folder under `content/`, relative to the site root.
    Content(PathBuf),
}

/// The changes of one burst, coalesced per path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub config: bool,
    pub theme: BTreeSet<PathBuf>,
    pub content: BTreeSet<PathBuf>,
    /// Events were lost (the system's queue overflowed): read everything again.
    pub rescan: bool,
}

impl Changes {
    /// Everything: what the first build sees.
    pub fn everything() -> Changes {
        Changes {
            rescan: true,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.config && !self.rescan && self.theme.is_empty() && self.content.is_empty()
    }

    pub fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Config => self.config = true,
            Kind::Theme(path) => {
                self.theme.insert(path);
            }
            Kind::Content(path) => {
                self.content.insert(path);
            }
        }
    }

    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.rescan |= other.rescan;
        self.theme.extend(other.theme);
        self.content.extend(other.content);
    }

    /// Whether only stylesheets of the theme changed, so pages may swap them in place.
    pub fn only_stylesheets(&self) -> bool {
        !self.config
            && !self.rescan
            && self.content.is_empty()
            && !self.theme.is_empty()
            && self
                .theme
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }

    /// The changed paths for a message: `content/faq/pain.md` or `3 files`.
    pub fn describe(&self) -> String {
        let mut paths: Vec<String> = self
            .content
            .iter()
            .chain(&self.theme)
            .map(|p| crate::diagnostics::display_path(p))
            .collect();
        if self.config {
            paths.push(crate::config::FILE.to_string());
        }
        match paths.len() {
            0 => "files changed".into(),
            1 => format!("{} changed", paths[0]),
            n => format!("{n} files changed"),
        }
    }
}

/// What `path` (absolute, below `root`) is to the site, or `None` when it does not matter:
/// editor leftovers, hidden files, the output folder, anything outside the watched places.
pub fn classify(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    let rest: Vec<_> = parts.collect();
    if rest.iter().any(|part| is_ignored(part)) {
        return None;
    }
    match (first.as_ref(), rest.is_empty()) {
        (crate::config::FILE, true) => Some(Kind::Config),
        ("themes", _) => Some(Kind::Theme(rel.to_path_buf())),
        ("content", _) => Some(Kind::Content(rel.to_path_buf())),
        _ => None,
    }
}

/// Whether an event can change the site: reads and opens cannot.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches `root` and sends one `Changes` per burst. Stops when `batches` is dropped.
pub fn start(root: &Path, batches: mpsc::Sender<Changes>) -> notify::Result<()> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (events, incoming) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events.send(event);
    })?;
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    for dir in ["content", "themes"] {
        if root.join(dir).is_dir() {
            watcher.watch(&root.join(dir), RecursiveMode::Recursive)?;
        }
    }
    std::thread::Builder::new()
        .name("clinicsite-watch".into())
        .spawn(move || debounce(&root, watcher, &incoming, &batches))
        .expect("start the watcher thread");
    Ok(())
}

type Incoming = mpsc::Receiver<notify::Result<notify::Event>>;

/// Collects events until the files are quiet for a while, then sends the batch.
fn debounce(
    root: &Path,
    mut watcher: RecommendedWatcher,
    incoming: &Incoming,
    batches: &mpsc::Sender<Changes>,
) {
    while let Ok(first) = incoming.recv() {
        let mut batch = Changes::default();
        let mut writing = Writing::default();
        track_writes(root, &mut writing, &first);
        add_event(root, &mut watcher, &mut batch, first);
        let mut events = 1;
        let started = Instant::now();
        loop {
            let quiet = if events < BURST {
                QUIET
            } else {
                QUIET_IN_A_BURST
            };
            let left = LONGEST_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match incoming.recv_timeout(quiet.min(left)) {
                Ok(event) => {
                    events += 1;
                    track_writes(root, &mut writing, &event);
                    add_event(root, &mut watcher, &mut batch, event);
                }
                // A file still open for writing is waited for: the editor paused mid-save.
                Err(mpsc::RecvTimeoutError::Timeout) if writing.open.is_empty() => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        settle(root, &batch, &writing.closed, started);
        if !batch.is_empty() && batches.send(batch).is_err() {
            return;
        }
    }
}

/// The site's files being written, as far as the system says (only Linux reports closes,
/// with `inotify`; elsewhere both sets stay empty and `settle` alone guards against
/// half-saved files).
#[derive(Debug, Default)]
struct Writing {
    /// Written to and not closed yet (an editor's swap file, kept open, is not one).
    open: BTreeSet<PathBuf>,
    /// Closed after their last write: whole, so `settle` need not watch them.
    closed: BTreeSet<PathBuf>,
}

fn track_writes(root: &Path, writing: &mut Writing, event: &notify::Result<notify::Event>) {
    use notify::event::{ModifyKind, RemoveKind};
    let Ok(event) = event else {
        return;
    };
    if !cfg!(target_os = "linux") {
        return;
    }
    for path in event.paths.iter().filter(|p| classify(root, p).is_some()) {
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                writing.open.remove(path);
                writing.closed.insert(path.clone());
            }
            EventKind::Remove(RemoveKind::File | RemoveKind::Any) => {
                writing.open.remove(path);
                writing.closed.remove(path);
            }
            EventKind::Access(_) => {}
            EventKind::Modify(ModifyKind::Data(_)) => {
                writing.open.insert(path.clone());
                writing.closed.remove(path);
            }
            // Anything else (created, renamed, its metadata changed) makes it unknown again.
            _ => {
                writing.closed.remove(path);
            }
        }
    }
}

/// How long a changed file's size and time must stay the same before it is read.
pub const SETTLE: Duration = Duration::from_millis(30);

/// Waits until every changed file has stopped changing: its size and modification time the
/// same in two looks `SETTLE` apart, for at most `LONGEST_WAIT` since the batch began. An
/// editor that pauses in the middle of writing would otherwise have half a file shown. Files
/// `closed` after their last write are whole already.
fn settle(root: &Path, batch: &Changes, closed: &BTreeSet<PathBuf>, started: Instant) {
    let mut paths: Vec<PathBuf> = batch
        .content
        .iter()
        .chain(&batch.theme)
        .map(|p| root.join(p))
        .filter(|path| !closed.contains(path))
        .collect();
    let config = root.join(crate::config::FILE);
    if batch.config && !closed.contains(&config) {
        paths.push(config);
    }
    if paths.is_empty() {
        return;
    }
    let look = || -> Vec<Option<(u64, Option<std::time::SystemTime>)>> {
        paths
            .iter()
            .map(|p| {
                std::fs::metadata(p)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()))
            })
            .collect()
    };
    let mut last = look();
    while started.elapsed() < LONGEST_WAIT {
        std::thread::sleep(SETTLE);
        let now = look();
        if now == last {
            return;
        }
        last = now;
    }
}

fn add_event(
    root: &Path,
    watcher: &mut RecommendedWatcher,
    batch: &mut Changes,
    event: notify::Result<notify::Event>,
) {
    let Ok(event) = event else {
        batch.rescan = true;
        return;
    };
    if event.need_rescan() {
        batch.rescan = true;
    }
    if !changes_files(&event.kind) {
        return;
    }
    for path in &event.paths {
        // `content/` or `themes/` made after the server started (or put back by a checkout).
        if path.parent() == Some(root)
            && path.is_dir()
            && matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("content" | "themes")
            )
        {
            let _ = watcher.watch(path, RecursiveMode::Recursive);
            batch.rescan = true;
        }
        if let Some(kind) = classify(root, path) {
            batch.add(kind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<Kind> {
        classify(Path::new("/site"), &Path::new("/site").join(path))
    }

    #[test]
    fn events_are_classified_by_place() {
        assert_eq!(kind("site.yaml"), Some(Kind::Config));
        assert_eq!(
            kind("content/faq/pain.md"),
            Some(Kind::Content("content/faq/pain.md".into()))
        );
        assert_eq!(
            kind("themes/clinic/templates/base.html"),
            Some(Kind::Theme("themes/clinic/templates/base.html".into()))
        );
        assert_eq!(kind("content"), Some(Kind::Content("content".into())));
    }

    #[test]
    fn editor_leftovers_and_other_places_are_dropped() {
        for path in [
            "content/faq/.pain.md.swp",
            "content/faq/pain.md~",
            "content/faq/#pain.md#",
            "content/faq/.#pain.md",
            "content/.git/index",
            "themes/clinic/static/.DS_Store",
            "content/faq/4913.tmp",
            "public/index.html",
            "README.md",
            "site.yaml~",
            ".site.yaml.swp",
            "content/faq/site.yaml/../x",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
        assert_eq!(
            classify(Path::new("/site"), Path::new("/elsewhere/site.yaml")),
            None
        );
    }

    #[test]
    fn changes_coalesce_per_path() {
        let mut changes = Changes::default();
        for _ in 0..1000 {
            changes.add(Kind::Content("content/faq/pain.md".into()));
        }
        changes.add(Kind::Content("content/faq/other.md".into()));
        assert_eq!(changes.content.len(), 2);
        assert_eq!(changes.describe(), "2 files changed");
    }

    #[test]
    fn stylesheet_only_changes_are_recognised() {
        let mut changes = Changes::default();
        changes.add(Kind::Theme("themes/clinic/static/style.css".into()));
        assert!(changes.only_stylesheets());
        changes.add(Kind::Theme("themes/clinic/templates/base.html".into()));
        assert!(!changes.only_stylesheets());
        assert!(!Changes::everything().only_stylesheets());
    }

    #[test]
    fn reads_do_not_count_as_changes() {
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
