//! The fixture helper: a fixture site copied into a temporary folder in, the real binary's
//! exit status, output and written files (as stable text for snapshots) out.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The day the tests run on, as far as review dates go (`CLINICSITE_TODAY`).
pub const TODAY: &str = "2026-12-06";

pub const BIN: &str = env!("CARGO_BIN_EXE_clinicsite");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
/// The test theme, copied into every fixture as `themes/mini`.
const THEME: &str = "_theme";
/// The one file of the tool's own in an output folder (see src/write/record.rs).
pub const MARKER: &str = ".clinicsite-output";
/// The site's cache folder, where the build's records live.
pub const CACHE_DIR: &str = ".clinicsite-cache";

/// A site in a temporary folder: `TMP/site/`, with room beside it for other folders.
pub struct Site {
    temp: tempfile::TempDir,
    pub root: PathBuf,
}

/// What one run of the binary did, with temporary paths and timings masked.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The counts from `build`'s summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Every file and folder under a folder with its bytes and modification time: two equal
/// fingerprints mean nothing was written, even with the same bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint(BTreeMap<String, (String, SystemTime)>);

impl Site {
    /// Copies `tests/fixtures/NAME/` to `TMP/site/`, with the test theme as `themes/mini`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_dir(&Path::new(FIXTURES).join(name), &site.root);
        copy_dir(
            &Path::new(FIXTURES).join(THEME),
            &site.root.join("themes/mini"),
        );
        site
    }

    /// A temporary folder with nothing at `TMP/site/` yet.
    pub fn empty() -> Site {
        let temp = tempfile::tempdir().expect("create a temporary folder");
        let root = temp.path().join("site");
        Site { temp, root }
    }

    /// The temporary folder holding `site/`.
    pub fn tmp(&self) -> &Path {
        self.temp.path()
    }

    /// Runs `clinicsite ARGS` in the site's folder, as staff would.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(&self.root, args)
    }

    /// Runs `clinicsite ARGS` in `dir`.
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        self.run_with(dir, &[], args)
    }

    /// Runs `clinicsite ARGS` in `dir` with extra environment variables.
    pub fn run_with(&self, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
        let output = Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("RAYON_NUM_THREADS")
            // Review dates count from a fixed day, so a review falling due breaks no test.
            .env("CLINICSITE_TODAY", TODAY)
            .envs(env.iter().copied())
            .output()
            .expect("run clinicsite");
        Run {
            status: output
                .status
                .code()
                .expect("clinicsite exited without a status"),
            stdout: self.normalise(&String::from_utf8_lossy(&output.stdout)),
            stderr: self.normalise(&String::from_utf8_lossy(&output.stderr)),
        }
    }

    /// Runs `clinicsite ARGS` in the site's folder with its memory capped at `memory_mib`
    /// (address space, through the shell's `ulimit -v`), and fails the test if it has not
    /// finished within `limit`: it is killed then, so a hang is a failure, not a stuck suite.
    pub fn run_bounded(&self, args: &[&str], limit: Duration, memory_mib: u64) -> Run {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {}; exec \"$0\" \"$@\"",
                memory_mib * 1024
            ))
            .arg(BIN)
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env_remove("RAYON_NUM_THREADS")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run clinicsite");
        // Read both pipes while waiting, so a chatty process cannot block on a full pipe.
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    pipe.read_to_end(&mut bytes).ok();
                }
                bytes
            })
        };
        let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for clinicsite") {
                break status;
            }
            if started.elapsed() > limit {
                child.kill().ok();
                child.wait().ok();
                panic!("clinicsite {args:?} did not finish within {limit:?}: it hangs");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let text = |bytes: Vec<u8>| self.normalise(&String::from_utf8_lossy(&bytes));
        let stdout = text(stdout.join().expect("read stdout"));
        let stderr = text(stderr.join().expect("read stderr"));
        Run {
            status: status.code().unwrap_or_else(|| {
                panic!("clinicsite {args:?} was killed by a signal ({status}); stderr:\n{stderr}")
            }),
            stdout,
            stderr,
        }
    }

    /// Runs `clinicsite build ARGS` in the site's folder and insists that it succeeds.
    pub fn build(&self, args: &[&str]) -> Run {
        let args: Vec<&str> = ["build"].into_iter().chain(args.iter().copied()).collect();
        let run = self.run(&args);
        assert_eq!(run.status, 0, "the build failed:\n{}", run.stderr);
        run
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Writes a file of the site, creating its folder.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a file has a folder")).expect("create folder");
        fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("cannot remove {rel}: {e}"));
    }

    /// The build's record `file` (`manifest`, `build-cache`) for the output folder `output`
    /// (relative to the site), from the site's cache folder.
    pub fn record(&self, output: &str, file: &str) -> String {
        let folder = clinicsite::write::record::folder(&self.root, &self.root.join(output));
        fs::read_to_string(folder.join(file))
            .unwrap_or_else(|e| panic!("cannot read the record {file} of {output}: {e}"))
    }

    /// The output folder as text for a snapshot: every file's path (sorted, without the
    /// marker), with the contents of the HTML pages. Other files (theme statics, sitemap,
    /// robots.txt, copied images) are listed by name only: they have tests of their own, and
    /// a change to them should not churn every content snapshot.
    pub fn output(&self) -> String {
        let mut text = String::new();
        for (rel, path) in files_under(&self.path("public")) {
            if rel == MARKER {
                continue;
            }
            text.push_str(&format!("── {rel}\n"));
            if rel.ends_with(".html") {
                let contents = fs::read_to_string(&path).expect("an HTML page is UTF-8");
                text.push_str(&self.normalise(&contents));
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
        }
        text
    }

    /// The pages written (`about/index.html`), sorted.
    pub fn pages(&self) -> Vec<String> {
        self.files("public")
            .into_iter()
            .filter(|f| f == "index.html" || f.ends_with("/index.html"))
            .collect()
    }

    /// Paths of the files under `rel` (a folder of the site), sorted, `/`-separated.
    pub fn files(&self, rel: &str) -> Vec<String> {
        files_under(&self.path(rel))
            .into_iter()
            .map(|(rel, _)| rel)
            .collect()
    }

    /// A fingerprint of the folder `rel` (hidden files and folders included).
    pub fn fingerprint(&self, rel: &str) -> Fingerprint {
        fingerprint(&self.path(rel))
    }

    /// Temporary paths become `[TMP]`; the build's duration becomes `[MS]`.
    fn normalise(&self, text: &str) -> String {
        let mut text = text.to_string();
        let raw = self.temp.path().to_string_lossy().into_owned();
        let canonical = self
            .temp
            .path()
            .canonicalize()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        for path in [canonical, raw] {
            if !path.is_empty() {
                text = text.replace(&path, "[TMP]");
            }
        }
        mask_millis(&text)
    }
}

impl Run {
    /// The counts of `Built … : N written, N unchanged, N removed.`
    pub fn counts(&self) -> Counts {
        let number_before = |word: &str| -> usize {
            let end = self
                .stdout
                .find(word)
                .unwrap_or_else(|| panic!("no `{word}` in: {}", self.stdout));
            let digits = self.stdout[..end]
                .trim_end()
                .rsplit(' ')
                .next()
                .unwrap_or_default();
            digits
                .parse()
                .unwrap_or_else(|_| panic!("no count before `{word}` in: {}", self.stdout))
        };
        Counts {
            written: number_before(" written"),
            unchanged: number_before(" unchanged"),
            removed: number_before(" removed"),
        }
    }

    /// Asserts that the command line was wrong (exit status 2).
    pub fn assert_usage_error(&self) {
        assert_eq!(
            self.status, 2,
            "expected a command-line error; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
    }
}

impl Fingerprint {
    /// Files of the site added, removed, rewritten or touched between `self` and `later`.
    /// Folders do not count (their time changes whenever a file in them is replaced), nor
    /// do the build's records in the site's cache folder, which every successful build
    /// rewrites.
    pub fn changed(&self, later: &Fingerprint) -> Vec<String> {
        let mut paths: Vec<String> = self.0.keys().chain(later.0.keys()).cloned().collect();
        paths.sort();
        paths.dedup();
        paths.retain(|p| {
            !p.ends_with('/')
                && !p.starts_with(&format!("{CACHE_DIR}/"))
                && !p.contains(&format!("/{CACHE_DIR}/"))
                && self.0.get(p) != later.0.get(p)
        });
        paths
    }
}

/// A fingerprint of any folder (an empty one when it does not exist).
pub fn fingerprint(dir: &Path) -> Fingerprint {
    let mut entries = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(read) = fs::read_dir(&current) else {
            continue;
        };
        for entry in read {
            let path = entry.expect("read a folder entry").path();
            let meta = fs::symlink_metadata(&path).expect("read metadata");
            let rel = relative(dir, &path);
            let modified = meta.modified().expect("modification time");
            if meta.is_dir() {
                entries.insert(format!("{rel}/"), (String::new(), modified));
                stack.push(path);
            } else if meta.is_symlink() {
                // A link's own record, not its target's: the target may be a loop.
                let target = fs::read_link(&path).expect("read a link");
                entries.insert(rel, (target.to_string_lossy().into_owned(), modified));
            } else {
                let bytes = fs::read(&path).expect("read a file");
                entries.insert(
                    rel,
                    (String::from_utf8_lossy(&bytes).into_owned(), modified),
                );
            }
        }
    }
    Fingerprint(entries)
}

/// Files (not folders) under `dir`, hidden ones included, sorted by path.
/// Every file under `dir`, relative to it and sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    files_under(dir).into_iter().map(|(rel, _)| rel).collect()
}

pub fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(read) = fs::read_dir(&current) else {
            continue;
        };
        for entry in read {
            let path = entry.expect("read a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((relative(dir, &path), path));
            }
        }
    }
    files.sort();
    files
}

fn copy_dir(from: &Path, to: &Path) {
    assert!(from.is_dir(), "no fixture folder {}", from.display());
    for (rel, path) in files_under(from) {
        let target = to.join(&rel);
        fs::create_dir_all(target.parent().expect("a file has a folder")).expect("create folder");
        fs::copy(&path, &target).unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
    }
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `in 12 ms` -> `in [MS] ms`: the only part of the output that changes from run to run.
fn mask_millis(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(" in ") {
        let after = &rest[start + 4..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        out.push_str(&rest[..start + 4]);
        if digits > 0 && after[digits..].starts_with(" ms") {
            out.push_str("[MS]");
            rest = &after[digits..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Asserts that `haystack` contains `needle`, showing both when it does not.
#[track_caller]
pub fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find\n  {needle}\nin:\n{haystack}"
    );
}

/// Asserts that `haystack` does not contain `needle`.
#[track_caller]
pub fn assert_lacks(haystack: &str, needle: &str) {
    assert!(
        !haystack.contains(needle),
        "did not expect to find\n  {needle}\nin:\n{haystack}"
    );
}
