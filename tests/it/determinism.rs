//! Determinism: the same site gives byte-identical output, build after build, with one
//! worker thread or many. Each build is a new process, so anything that depends on hash-map
//! order (seeded afresh per process) or on which thread finishes first shows up as a
//! difference.

use std::path::Path;

use crate::crash::{Tree, Version, site_files, switch};
use crate::real_site::real_site;
use crate::support::Site;

/// rayon's global pool, which the build uses, takes its size from this variable.
const THREADS: [&str; 4] = ["1", "8", "8", "1"];

#[test]
fn the_real_site_builds_byte_identically_with_one_thread_or_many() {
    assert_builds_identical(&real_site());
}

#[test]
fn a_generated_site_builds_byte_identically_with_one_thread_or_many() {
    let site = Site::empty();
    switch(&site.root, &Default::default(), &site_files(Version::New));
    assert_builds_identical(&site);
}

fn assert_builds_identical(site: &Site) {
    let trees: Vec<Tree> = THREADS
        .iter()
        .enumerate()
        .map(|(run, threads)| {
            let output = site.tmp().join(format!("out-{run}"));
            build_with_threads(site, threads, &output);
            Tree::read(&output)
        })
        .collect();
    assert!(
        trees[0].files.len() > 10,
        "the site built almost nothing: {:?}",
        trees[0].files.keys()
    );
    for (run, tree) in trees.iter().enumerate().skip(1) {
        tree.assert_equals(
            &trees[0],
            &format!(
                "build {run} ({} threads) against build 0 ({} thread)",
                THREADS[run], THREADS[0]
            ),
        );
    }
}

fn build_with_threads(site: &Site, threads: &str, output: &Path) {
    let output = output.to_string_lossy();
    let run = site.run_with(
        &site.root,
        &[("RAYON_NUM_THREADS", threads)],
        &["build", "--output-dir", &output],
    );
    assert_eq!(run.status, 0, "the build failed:\n{}", run.stderr);
}
