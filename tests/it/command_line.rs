//! The command line itself: a wrong one is exit status 2.

use crate::support::{Site, assert_contains};

#[test]
fn an_unknown_flag_is_exit_status_2() {
    let site = Site::fixture("breakable");
    let run = site.run(&["build", "--no-such-flag"]);
    run.assert_usage_error();
    assert_contains(
        &run.stderr,
        "error: unexpected argument '--no-such-flag' found",
    );
    assert!(
        !site.exists("public"),
        "nothing is built after a bad command line"
    );
}

#[test]
fn an_unknown_command_is_exit_status_2() {
    let site = Site::fixture("breakable");
    site.run(&["publish"]).assert_usage_error();
    site.run(&[]).assert_usage_error();
}

#[test]
fn help_is_not_an_error() {
    let site = Site::empty();
    for command in [
        &["--help"][..],
        &["build", "--help"],
        &["init", "--help"],
        &["new", "faq", "--help"],
    ] {
        let run = site.run_in(site.tmp(), command);
        assert_eq!(run.status, 0, "{command:?}: {}", run.stderr);
        assert_contains(&run.stdout, "Usage: clinicsite");
    }
}
