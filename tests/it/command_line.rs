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

/// `--base-url` is copied into `_redirects`, `robots.txt` and the sitemap: a line break in it
/// would add rules there (`Disallow: /`), so only a plain full address is taken.
#[test]
fn a_base_url_flag_that_is_not_a_plain_address_is_exit_status_2() {
    let site = Site::fixture("breakable");
    let run = site.run(&["build", "--base-url", "https://example.com/\nDisallow: /\n"]);
    run.assert_usage_error();
    assert_contains(
        &run.stderr,
        "for '--base-url <BASE_URL>': `base_url` `https://example.com/\\nDisallow: /\\n` has a line break in it\n  help: write `--base-url https://example.com/`\n",
    );
    for bad in [
        "",
        "//example.com/",
        "example.com",
        "https://example.com/\"x",
        "/clinic/",
    ] {
        site.run(&["build", "--base-url", bad]).assert_usage_error();
    }
    assert!(!site.exists("public"), "nothing is built");
    let run = site.run(&["build", "--base-url", "https://Example.com/clinic"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.com/clinic/sitemap.xml\n"
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
