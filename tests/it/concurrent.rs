//! Two builds of one site at once (a double-clicked build script; an editor's save hook and a
//! terminal): only one may write the output folder at a time. The second waits for the first,
//! says so, and then does its own work on what the first left.
//!
//! The stress test is ignored by default (about a minute on 2 cores); `.ci/run` runs it:
//! `cargo test --test it -- --ignored paired_builds`. `CLINICSITE_PAIRS` sets how many pairs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::crash::{Tree, switch};
use crate::support::{Site, assert_contains};

const BIN: &str = env!("CARGO_BIN_EXE_clinicsite");
const PAIRS: usize = 200;

/// Pairs of builds of a generated site, started 0–8 ms apart, alternately on two versions of
/// the site (so each pair has files to replace, add and remove): both must succeed, one must
/// have waited or found the other done, and every file must equal a clean build of that
/// version, with no staging folder left. Every fourth pair starts with the output folder gone.
#[test]
#[ignore = "a stress test of about a minute; .ci/run runs it"]
fn paired_builds_never_mix_their_files() {
    let pairs = std::env::var("CLINICSITE_PAIRS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(PAIRS);
    let site = Site::empty();
    let versions = [site_files(0), site_files(1)];
    let mut cleans = Vec::new();
    let mut current = BTreeMap::new();
    for (n, version) in versions.iter().enumerate() {
        switch(&site.root, &current, version);
        current = version.clone();
        let clean = site.tmp().join(format!("clean-{n}"));
        let (status, _) = build(&site.root, &clean);
        assert!(status, "the clean build of version {n} failed");
        cleans.push(Tree::read(&clean));
    }
    let public = site.path("public");
    let mut rng = 0x5EED_F0B0_1D00_u64;
    let (mut failures, mut waited) = (Vec::new(), 0);
    let started = Instant::now();
    for pair in 0..pairs {
        let version = pair % 2;
        switch(&site.root, &current, &versions[version]);
        current = versions[version].clone();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let gap = Duration::from_micros(rng % 8_000);
        // Every fourth pair starts with no output folder, so both builds race to make it.
        if pair % 4 == 0 {
            let _ = std::fs::remove_dir_all(&public);
        }
        let first = spawn(&site.root, &public);
        std::thread::sleep(gap);
        let second = spawn(&site.root, &public);
        let outcomes = [first, second].map(|child| {
            let out = child.wait_with_output().expect("wait for a build");
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        });
        waited += outcomes
            .iter()
            .filter(|(_, stderr)| stderr.contains("waiting for it to finish"))
            .count();
        let now = Tree::read(&public);
        let differ: Vec<&String> = now
            .files
            .keys()
            .chain(cleans[version].files.keys())
            .filter(|p| now.files.get(*p) != cleans[version].files.get(*p))
            .collect();
        if outcomes.iter().any(|(ok, _)| !ok) || !differ.is_empty() {
            failures.push(format!(
                "pair {pair} ({gap:?} apart): exit {:?}, {} files differ from a clean build: {:?}\n{}\n{}",
                outcomes.each_ref().map(|(ok, _)| *ok),
                differ.len(),
                differ.iter().take(5).collect::<Vec<_>>(),
                outcomes[0].1,
                outcomes[1].1
            ));
        }
    }
    println!(
        "{pairs} pairs of builds in {:?}: {} failed, {waited} builds waited for the other",
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        waited > 0,
        "no build ever waited: the pairs did not overlap"
    );
}

/// The second of two builds started together waits for the first and says so, once.
#[test]
fn a_second_build_waits_for_the_first_and_says_so() {
    let site = Site::empty();
    switch(&site.root, &BTreeMap::new(), &site_files(0));
    let public = site.path("public");
    // Until one overlaps: on a loaded machine the first may finish before the second starts.
    for _ in 0..20 {
        let first = spawn(&site.root, &public);
        let second = spawn(&site.root, &public);
        let [a, b] = [first, second].map(|c| c.wait_with_output().expect("wait for a build"));
        assert!(a.status.success() && b.status.success());
        let stderr = String::from_utf8_lossy(&a.stderr) + String::from_utf8_lossy(&b.stderr);
        if !stderr.is_empty() {
            let shown = public.to_string_lossy();
            assert_contains(
                &stderr,
                &format!("Another build is writing {shown}: waiting for it to finish.\n"),
            );
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            return;
        }
    }
    panic!("no two builds overlapped in 20 tries");
}

fn spawn(root: &Path, output: &Path) -> std::process::Child {
    Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(output)
        // The published address, so the only thing a build says on stderr is that it waits.
        .args(["--base-url", "https://clinic.example/"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start clinicsite build")
}

fn build(root: &Path, output: &Path) -> (bool, String) {
    let out = spawn(root, output).wait_with_output().expect("run a build");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small generated site in two versions: version 1 changes a third of the pages (some to
/// the same length), drops some and adds others.
fn site_files(version: usize) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(
        "site.yaml".into(),
        "title: Paired Clinic\ndescription: Two builds at once.\nbase_url: https://www.example.com/\ntheme: clinic\n".into(),
    );
    files.insert(
        "content/_index.md".into(),
        "---\ntitle: Welcome\ndescription: The home page.\n---\nHello.\n".into(),
    );
    files.insert(
        "content/faq/_index.md".into(),
        "---\ntitle: Questions\ndescription: Questions and answers.\nkind: faq\ncategories: [Basics]\n---\nQuestions.\n".into(),
    );
    for i in 0..24 {
        let gone = version == 1 && i % 7 == 3;
        let added = version == 0 && i % 5 == 4;
        if gone || added {
            continue;
        }
        let word = if version == 1 && i % 3 == 0 {
            "healing"
        } else {
            "recovery"
        };
        files.insert(
            format!("content/faq/q-{i:02}.md"),
            format!(
                "---\ntitle: \"Question {i}?\"\ndescription: \"The answer to question {i}, for the paired builds.\"\ncategory: Basics\nsummary: \"The short answer to question {i}.\"\nreviewed_by: Medical Director\nlast_reviewed: 2026-10-01\nweight: {i}\n---\n## About {word}\n\nThe {word} takes a few days. Most patients feel fine.\n"
            ),
        );
    }
    files
}
