//! The output folder's unit tests (the guarantees are tested end to end in tests/it).

use super::output_dir::is_system_folder;
use super::*;

/// Tested here rather than by running builds: a mistake would let a test write into the
/// system's folders.
#[test]
fn the_systems_folders_are_refused_even_with_force() {
    let root = Path::new("/nonexistent/site");
    for folder in [
        "/etc",
        "/usr",
        "/usr/share",
        "/bin",
        "/sbin",
        "/lib",
        "/var",
        "/boot",
        "/proc",
        "/sys",
        "/dev",
        "/dev/sda",
        "/etc/nginx",
        "/usr/bin",
        "/bin/site",
    ] {
        let refused = check_output_dir(root, Path::new(folder), true).expect_err(folder);
        assert_eq!(
            refused.message,
            format!("`{folder}` is a folder of the computer's system"),
            "{folder}"
        );
    }
    for allowed in [
        "/var/www/clinic",
        "/usr/share/nginx/html",
        "/srv/clinic",
        "/dev/shm/site/public",
    ] {
        assert!(!is_system_folder(Path::new(allowed)), "{allowed}");
    }
}

#[test]
fn a_plan_is_the_same_only_for_the_paths_a_finished_build_checked() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let root = temp.path();
    let output = root.join("public");
    let records = record::folder(root, &output);
    let paths = ["a/index.html", "b/index.html"];
    let files: BTreeMap<String, String> = paths
        .iter()
        .map(|p| (p.to_string(), format!("hash of {p}")))
        .collect();
    let same = |checked: bool, planned: &[&str]| {
        record::make_folder(&records).expect("records");
        record::write_manifest(&records, &output, &files, checked).expect("manifest");
        let staging = Staging::open(root, &output).expect("staging");
        let staged: Vec<Staged> = planned
            .iter()
            .map(|p| staging.keep(p.to_string()))
            .collect();
        // Kept all at once, sorted: the same files.
        let mut sorted: Vec<String> = planned.iter().map(|p| p.to_string()).collect();
        sorted.sort();
        let all = staging.keep_sorted(sorted.clone());
        let one_by_one = sorted.into_iter().map(|p| staging.keep(p));
        let hashes: Vec<String> = one_by_one.map(|f| f.hash).collect();
        assert_eq!(all.into_iter().map(|f| f.hash).collect::<Vec<_>>(), hashes);
        staging.same_plan(&staged)
    };
    assert!(same(true, &paths));
    assert!(
        same(true, &["b/index.html", "a/index.html"]),
        "in any order"
    );
    assert!(
        !same(false, &paths),
        "a manifest written while files were put in place"
    );
    assert!(!same(true, &["a/index.html"]));
    assert!(
        !same(true, &["a/index.html", "a/index.html"]),
        "a path twice"
    );
    assert!(!same(true, &["a/index.html", "c/index.html"]));
}

/// Into an output folder the build makes, each file is staged at its own path, except
/// one whose place is taken (a second file at the same path, a file below a file), which
/// is staged under a number and keeps the first file's bytes whole; the commit puts
/// every file in place and says how many it wrote.
#[test]
fn a_fresh_output_is_staged_at_the_files_own_paths() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let root = temp.path();
    let output = root.join("public");
    let mut staging = Staging::open(root, &output).expect("staging");
    assert!(staging.is_fresh(), "the build made the folder");
    let text = |path: &str, text: &str| Output {
        path: path.to_string(),
        body: Body::Text(text.to_string()),
    };
    let laid_out = output
        .join(format!("{STAGING}-{}", std::process::id()))
        .join(LAID_OUT);
    let first = staging
        .stage(text("a/index.html", "first"))
        .expect("staged");
    assert_eq!(
        first.staged.as_deref(),
        Some(laid_out.join("a/index.html").as_path())
    );
    for (path, body) in [("a/index.html", "second"), ("a/index.html/x.html", "below")] {
        let taken = staging.stage(text(path, body)).expect("staged");
        let copy = taken.staged.expect("a copy");
        assert!(!copy.starts_with(&laid_out), "{path}: {}", copy.display());
        assert_eq!(fs::read_to_string(&copy).expect("the copy"), body);
    }
    assert_eq!(
        fs::read_to_string(laid_out.join("a/index.html")).expect("the first"),
        "first"
    );
    let files = vec![first, staging.stage(text("b/c.html", "c")).expect("staged")];
    let report = staging.commit(&files).expect("the commit");
    assert_eq!((report.written, report.unchanged), (2, 0));
    assert_eq!(
        fs::read_to_string(output.join("a/index.html")).expect("a"),
        "first"
    );
    assert_eq!(fs::read_to_string(output.join("b/c.html")).expect("c"), "c");
    drop(staging);
    let again = Staging::open(root, &output).expect("staging");
    assert!(!again.is_fresh(), "the folder is there now");
}

#[test]
fn manifest_paths_stay_inside() {
    assert!(is_safe_relative("faq/pain/index.html"));
    for bad in [
        "../x",
        "a/..",
        "/etc/passwd",
        "a//b",
        "a/./b",
        "",
        "a\\b",
        "a\0b",
    ] {
        assert!(!is_safe_relative(bad), "{bad}");
    }
}
