//! Crash safety: `build` killed with SIGKILL at many moments while it updates `public/`.
//!
//! A generated site of 180 FAQ pages is built once (the old version), then edited so
//! that some pages change (some keeping their exact length, which a size check cannot tell
//! apart), some appear and some disappear. Each trial switches the site to the other version,
//! starts its build, kills it after a seeded random delay, and checks what the guarantee
//! promises: every file is whole and either its old or its new version, only the tool's own
//! temporary files are extra, and the next build turns `public/` into exactly what a clean
//! build of that version makes, with no temporary file left.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

const BIN: &str = env!("CARGO_BIN_EXE_clinicsite");
/// Where `write` stages the files of a build before renaming them into place (the build's
/// process id follows): all a killed build may leave in the output, for the next to remove.
const STAGING: &str = ".clinicsite-staging";
const SECTIONS: [&str; 3] = ["treatment", "recovery", "results"];
/// FAQ pages per section: enough that the debug binary spends a while writing.
const PAGES: usize = 60;
const TRIALS: usize = 50;
/// Trials aimed at the write itself, on top of `TRIALS`, when too few of those landed in it.
const EXTRA_TRIALS: usize = 30;
const WANTED_MID_WRITE: usize = 10;

#[test]
fn a_build_killed_at_any_moment_leaves_whole_files_and_the_next_build_finishes_the_job() {
    let site = Site::empty();
    let public = site.path("public");
    let sources = [site_files(Version::Old), site_files(Version::New)];
    switch(&site.root, &BTreeMap::new(), &sources[0]);
    build(&site.root, &public);
    let old = Tree::read(&public);
    // The build's records live in the site's cache folder: calibration puts them back too.
    let records = clinicsite::write::record::folder(&site.root, &public);
    let old_records = Tree::read(&records);
    switch(&site.root, &sources[0], &sources[1]);
    let clean_dir = site.tmp().join("clean");
    build(&site.root, &clean_dir);
    let outputs = [old, Tree::read(&clean_dir)];
    assert_edits_cover_every_case(&outputs[0], &outputs[1]);

    let timing = calibrate(&site.root, &public, [&outputs[0], &old_records]);
    // Calibration left the new version in place. Trials go back and forth between the two,
    // so pages appear and disappear in both directions and no trial has to reset `public/`.
    let mut current = 1;
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let mut outcomes = BTreeMap::<Outcome, usize>::new();
    let mut trial = 0;
    let mut trials_with_leftovers = 0;
    while trial < TRIALS
        || (trial < TRIALS + EXTRA_TRIALS
            && outcomes.get(&Outcome::MidWrite).copied().unwrap_or(0) < WANTED_MID_WRITE)
    {
        // A third of the trials anywhere in the build; the rest once it starts writing, the
        // part that matters, which a delay from the start hits poorly on a loaded machine.
        let moment = if trial % 3 == 0 && trial < TRIALS {
            Moment::FromStart(timing.total.mul_f64(1.1 * rng.unit()))
        } else {
            Moment::FromWrite(timing.writing.mul_f64(rng.unit()))
        };
        let next = 1 - current;
        switch(&site.root, &sources[current], &sources[next]);
        let context = format!("trial {trial} (killed {moment:?})");
        kill_build(&site.root, &public, moment);
        let (outcome, leftovers) = check_killed(
            &public,
            &manifest_of(&site.root, &public),
            [&outputs[current], &outputs[next]],
            &context,
        );
        *outcomes.entry(outcome).or_default() += 1;
        trials_with_leftovers += usize::from(leftovers > 0);

        build(&site.root, &public);
        let after = Tree::read(&public);
        assert!(
            after.leftovers().is_empty(),
            "{context}: temporary files left after the next build: {:?}",
            after.leftovers()
        );
        after.assert_equals(
            &outputs[next],
            &format!("{context}, the next build against a clean build"),
        );
        current = next;
        trial += 1;
    }
    println!(
        "{trial} kill trials (build {:?}, of which writing {:?}): {outcomes:?}; \
         {trials_with_leftovers} left temporary files, all removed by the next build",
        timing.total, timing.writing
    );
    assert!(
        outcomes.get(&Outcome::MidWrite).copied().unwrap_or(0) >= 1,
        "no kill landed while files were being written: {outcomes:?}"
    );
}

/// Where a killed build had got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// No file of the site replaced yet (some may be staged).
    BeforeWrite,
    /// Some files replaced, or the manifest already announcing the new ones.
    MidWrite,
    /// Everything written.
    Finished,
}

/// Checks `public/` right after the kill: every file whole and old or new, extra files only
/// the tool's temporaries, no file of both versions missing, the manifest whole. Returns how
/// far the build got and how many temporary files it left.
fn check_killed(
    public: &Path,
    manifest: &Path,
    [old, new]: [&Tree; 2],
    context: &str,
) -> (Outcome, usize) {
    let now = Tree::read(public);
    for (path, bytes) in &now.files {
        if is_leftover(path) {
            continue;
        }
        assert!(
            old.files.get(path) == Some(bytes) || new.files.get(path) == Some(bytes),
            "{context}: `{path}` is neither its old nor its new version ({} bytes)",
            bytes.len()
        );
    }
    for path in old.files.keys().filter(|p| new.files.contains_key(*p)) {
        assert!(
            now.files.contains_key(path),
            "{context}: `{path}`, in both versions, is missing"
        );
    }
    let manifest = fs::read_to_string(manifest)
        .unwrap_or_else(|e| panic!("{context}: the manifest is missing: {e}"));
    assert!(
        manifest.starts_with("# ") && manifest.ends_with('\n'),
        "{context}: the manifest is not whole:\n{manifest}"
    );
    let site_files = now.without_leftovers();
    let outcome = if site_files == old.files {
        Outcome::BeforeWrite
    } else if site_files == new.files {
        Outcome::Finished
    } else {
        Outcome::MidWrite
    };
    (outcome, now.leftovers().len())
}

/// The site's two versions. Page numbers decide each page's fate, so every kind of change
/// is there many times over and spread across the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Old,
    New,
}

/// The site's files (path under the site folder, text) in one version.
pub fn site_files(version: Version) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(
        "site.yaml".to_string(),
        "title: Crash Clinic\ndescription: A generated site that builds are killed on.\nbase_url: https://www.example.com/\ntheme: clinic\nphone: \"305-555-0100\"\n".to_string(),
    );
    files.insert(
        "content/_index.md".to_string(),
        "---\ntitle: Welcome\ndescription: The home page of a generated site.\n---\nHello.\n"
            .to_string(),
    );
    let mut rng = Rng(0x0DDB_A11C_0FFE_E000);
    for (s, section) in SECTIONS.iter().enumerate() {
        files.insert(
            format!("content/{section}/_index.md"),
            format!(
                "---\ntitle: About {section}\ndescription: Questions about {section}.\nkind: faq\nweight: {s}\ncategories: [Basics, Details]\n---\nQuestions about {section}.\n"
            ),
        );
        for i in 0..PAGES {
            // Drawn for every page in both versions, so unchanged pages stay byte-equal.
            let body = body(&mut rng);
            let gone = i % 13 == 5;
            let added = i % 9 == 4;
            let exists = match version {
                Version::Old => !added,
                Version::New => !gone,
            };
            if !exists {
                continue;
            }
            let mut text = faq_page(section, i, &body);
            if version == Version::New {
                if i % 5 == 1 {
                    // Same length: only a content comparison can see this change.
                    text = text.replace("important", "essential");
                } else if i % 7 == 3 {
                    text.push_str("\nOne more sentence was added to this answer.\n");
                }
            }
            files.insert(format!("content/{section}/q-{i:04}.md"), text);
        }
    }
    files
}

/// Turns the site at `root` from one version's files into another's, touching only what
/// differs so that switching costs little.
pub fn switch(root: &Path, from: &BTreeMap<String, String>, to: &BTreeMap<String, String>) {
    for rel in from.keys().filter(|rel| !to.contains_key(*rel)) {
        fs::remove_file(root.join(rel)).expect("remove a site file");
    }
    for (rel, text) in to
        .iter()
        .filter(|(rel, text)| from.get(*rel) != Some(*text))
    {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().expect("a file has a folder")).expect("create folder");
        fs::write(&path, text).expect("write a site file");
    }
}

fn faq_page(section: &str, i: usize, body: &str) -> String {
    const CATEGORIES: [&str; 2] = ["Basics", "Details"];
    format!(
        "---\ntitle: \"Question {i} about {section}?\"\ndescription: \"A generated answer to question {i} about {section}, for the crash test.\"\ncategory: {category}\nsummary: \"The short answer to question {i}.\"\nreviewed_by: Medical Director\nlast_reviewed: 2026-10-01\nweight: {i}\n---\n{body}",
        category = CATEGORIES[i % 2],
    )
}

/// About 400 words with headings, a list and links to the first page of the section (which
/// every version keeps), so rendering takes a realistic share of the build.
fn body(rng: &mut Rng) -> String {
    const WORDS: &[&str] = &[
        "skin", "collagen", "session", "needles", "heal", "visit", "cream", "gentle", "weeks",
        "patients", "doctor", "face", "scars", "pores", "calm", "mild", "care", "sun", "water",
        "soft", "helps", "feels", "after", "later", "most", "your", "the", "and", "with",
    ];
    let mut text = String::new();
    for part in 0..4 {
        let _ = write!(text, "## Part {part}\n\n");
        for _ in 0..6 {
            let words: Vec<&str> = (0..12).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            let _ = write!(text, "{}. ", words.join(" "));
        }
        text.push_str(
            "\n\n- This is important.\n- See [the first question](q-0000.md#part-1).\n\n",
        );
    }
    text
}

/// The old and new outputs must differ in every way the test is about.
fn assert_edits_cover_every_case(old: &Tree, new: &Tree) {
    let both = || old.files.keys().filter(|p| new.files.contains_key(*p));
    let same_length = both()
        .filter(|p| old.files[*p] != new.files[*p] && old.files[*p].len() == new.files[*p].len())
        .count();
    let changed = both().filter(|p| old.files[*p] != new.files[*p]).count();
    let gone = old
        .files
        .keys()
        .filter(|p| !new.files.contains_key(*p))
        .count();
    let added = new
        .files
        .keys()
        .filter(|p| !old.files.contains_key(*p))
        .count();
    assert!(
        same_length >= 10 && changed >= 50 && gone >= 10 && added >= 10,
        "changed {changed} (same length {same_length}), gone {gone}, added {added}"
    );
}

/// How long the edited site's build takes, and how long its last part, the write, takes,
/// measured on this machine as it is loaded now.
struct Timing {
    total: Duration,
    writing: Duration,
}

/// When a trial kills the build: after a delay from its start, or from the moment it starts
/// writing (seen as the manifest changing: it announces the new files first).
#[derive(Debug, Clone, Copy)]
enum Moment {
    FromStart(Duration),
    FromWrite(Duration),
}

/// Builds the edited site three times over the old output (`old`, and `old_records` in the
/// site's cache folder) and takes the middle timings.
fn calibrate(root: &Path, public: &Path, [old, old_records]: [&Tree; 2]) -> Timing {
    let mut totals = Vec::new();
    let mut writing = Vec::new();
    for _ in 0..3 {
        old.restore(public);
        old_records.restore(&clinicsite::write::record::folder(root, public));
        let started = Instant::now();
        let mut child = spawn_build(root);
        let write_start = wait_for_write(&mut child, &manifest_of(root, public), started);
        child.wait().expect("reap the build");
        let total = started.elapsed();
        totals.push(total);
        writing.push(total.saturating_sub(write_start));
    }
    totals.sort();
    writing.sort();
    Timing {
        total: totals[1],
        writing: writing[1],
    }
}

/// Waits until the build changes the manifest or exits; returns when, from `started`.
fn wait_for_write(child: &mut Child, manifest: &Path, started: Instant) -> Duration {
    let before = fs::read(manifest).ok();
    while child.try_wait().expect("poll the build").is_none() {
        if fs::read(manifest).ok() != before {
            break;
        }
        std::thread::sleep(Duration::from_micros(300));
    }
    started.elapsed()
}

/// The manifest of the build of `root` into `public`, in the site's cache folder.
fn manifest_of(root: &Path, public: &Path) -> std::path::PathBuf {
    clinicsite::write::record::folder(root, public).join(clinicsite::write::record::MANIFEST)
}

fn spawn_build(root: &Path) -> Child {
    Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start clinicsite build")
}

fn kill_build(root: &Path, public: &Path, moment: Moment) {
    let started = Instant::now();
    let mut child = spawn_build(root);
    let delay = match moment {
        Moment::FromStart(delay) => delay,
        Moment::FromWrite(delay) => {
            wait_for_write(&mut child, &manifest_of(root, public), started);
            delay
        }
    };
    std::thread::sleep(delay);
    // SIGKILL on Unix: no destructor, no handler, nothing gets to tidy up.
    let _ = child.kill();
    child.wait().expect("reap the build");
}

fn build(root: &Path, output: &Path) {
    let run = Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(output)
        .env("NO_COLOR", "1")
        .output()
        .expect("run clinicsite build");
    assert!(
        run.status.success(),
        "the build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Every file (with its bytes) and folder under an output folder.
#[derive(Debug, PartialEq, Eq)]
pub struct Tree {
    pub files: BTreeMap<String, Vec<u8>>,
    dirs: BTreeSet<String>,
}

impl Tree {
    pub fn read(dir: &Path) -> Tree {
        let mut tree = Tree {
            files: BTreeMap::new(),
            dirs: BTreeSet::new(),
        };
        let mut stack = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            for entry in fs::read_dir(&current).expect("read a folder") {
                let path = entry.expect("a folder entry").path();
                let rel = path
                    .strip_prefix(dir)
                    .expect("under the folder")
                    .to_string_lossy()
                    .into_owned();
                if path.is_dir() {
                    tree.dirs.insert(rel);
                    stack.push(path);
                } else {
                    tree.files
                        .insert(rel, fs::read(&path).expect("read a file"));
                }
            }
        }
        tree
    }

    /// Makes `dir` hold exactly this tree.
    fn restore(&self, dir: &Path) {
        if dir.exists() {
            fs::remove_dir_all(dir).expect("clear the output folder");
        }
        fs::create_dir_all(dir).expect("create the folder");
        for sub in &self.dirs {
            fs::create_dir_all(dir.join(sub)).expect("create a folder");
        }
        for (rel, bytes) in &self.files {
            fs::write(dir.join(rel), bytes).expect("write a file");
        }
    }

    /// What a killed build left for the next one to clear: hidden, so a web host that hides
    /// dotfiles never serves it.
    fn leftovers(&self) -> Vec<String> {
        let files = self.files.keys().filter(|p| is_leftover(p));
        let dirs = self.dirs.iter().filter(|d| d.starts_with(STAGING));
        files.chain(dirs).cloned().collect()
    }

    fn without_leftovers(&self) -> BTreeMap<String, Vec<u8>> {
        let files = self.files.iter().filter(|(p, _)| !is_leftover(p));
        files.map(|(p, b)| (p.clone(), b.clone())).collect()
    }

    pub fn assert_equals(&self, expected: &Tree, context: &str) {
        let paths: BTreeSet<&String> = self.files.keys().chain(expected.files.keys()).collect();
        let differ: Vec<&String> = paths
            .into_iter()
            .filter(|p| self.files.get(*p) != expected.files.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "{context}: these files differ: {differ:?}"
        );
        assert_eq!(self.dirs, expected.dirs, "{context}: the folders differ");
    }
}

fn is_leftover(path: &str) -> bool {
    path.starts_with(STAGING)
}

/// A small seeded generator (xorshift), so a failing trial can be run again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
